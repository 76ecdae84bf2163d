package hipaavpc

import (
	"fmt"
	"net/netip"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// firstAclRule leaves rule numbers below it free for a user's own entries.
const firstAclRule = 100

// newDataTierAcl puts a network ACL on the data tier that admits TCP only
// from the app tier, the data tier itself and the extra access CIDRs, and
// lets replies go back to them. Everything else hits the ACL's implicit
// deny, so a misconfigured security group alone cannot expose the data tier.
func newDataTierAcl(scope constructs.Construct, vpc awsec2.IVpc, accessCidrs []string) (awsec2.INetworkAcl, []netip.Prefix) {
	acl := awsec2.NewNetworkAcl(scope, jsii.String("DataTierAcl"), &awsec2.NetworkAclProps{
		Vpc:             vpc,
		SubnetSelection: tier(DataTierName),
	})
	var peers []string
	for _, name := range []string{AppTierName, DataTierName} {
		for _, sn := range *vpc.SelectSubnets(tier(name)).Subnets {
			peers = append(peers, *sn.Ipv4CidrBlock())
		}
	}
	peers = append(peers, accessCidrs...)

	allTcp := awsec2.AclTraffic_TcpPortRange(jsii.Number(0), jsii.Number(65535))
	for i, cidr := range peers {
		for _, dir := range []awsec2.TrafficDirection{awsec2.TrafficDirection_INGRESS, awsec2.TrafficDirection_EGRESS} {
			acl.AddEntry(jsii.String(fmt.Sprintf("%s%d", dir, i)), &awsec2.CommonNetworkAclEntryOptions{
				Cidr:       awsec2.AclCidr_Ipv4(jsii.String(cidr)),
				RuleNumber: jsii.Number(firstAclRule + i),
				Traffic:    allTcp,
				Direction:  dir,
				RuleAction: awsec2.Action_ALLOW,
			})
		}
	}
	var admitted []netip.Prefix
	for _, cidr := range peers {
		admitted = append(admitted, netip.MustParsePrefix(cidr))
	}
	return acl, admitted
}
