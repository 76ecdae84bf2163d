package hipaavpc

import (
	"fmt"
	"net/netip"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// guardDataTierAcl re-checks at synth, after every change the caller made,
// that the data tier's network ACL admits only the app tier, the data tier
// and DataAccessCidrs: an allow entry added later (DataTierAcl().AddEntry,
// or a CfnNetworkAclEntry anywhere in the app) that reaches further, for
// example the public tier, fails synth.
func (v *HipaaVpc) guardDataTierAcl(t *base.Tree) []string {
	var out []string
	for _, c := range t.Constructs() {
		entry, ok := c.(awsec2.CfnNetworkAclEntry)
		if !ok { // a Go type assertion: no call into jsii
			continue
		}
		props := t.Props(entry) // one read shared by every HipaaVpc of the app
		if props["networkAclId"] != v.dataAclID || props["ruleAction"] != "allow" {
			continue
		}
		if problem := v.admits(props); problem != "" {
			out = append(out, fmt.Sprintf("%s: the data-tier network ACL entry %s %s; the data tier admits only the app tier, itself and DataAccessCidrs",
				constructName, *entry.Node().Path(), problem))
		}
	}
	return out
}

// admits explains why an allow entry reaches beyond the declared peers, or
// returns "".
func (v *HipaaVpc) admits(entry map[string]interface{}) string {
	if v6, ok := entry["ipv6CidrBlock"]; ok && v6 != nil {
		return fmt.Sprintf("allows IPv6 %v", v6)
	}
	cidr, ok := entry["cidrBlock"].(string)
	if !ok || validate.StringToken(cidr) {
		return "allows a range that is not known at synth time"
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return fmt.Sprintf("allows %q, not an IPv4 CIDR block", cidr)
	}
	for _, peer := range v.dataAclPeers {
		if peer.Bits() <= p.Bits() && peer.Contains(p.Addr()) {
			return ""
		}
	}
	return fmt.Sprintf("allows %s", cidr)
}
