package tierisolation

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

const constructName = "TierIsolation"

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

// settings are the props after defaults are merged and validated.
type settings struct {
	principals []awsiam.IPrincipal
	prefix     string // empty: the stack name, checked by checkPrefix
	subnets    []awsec2.ISubnet
	cidrs      []string
	asg        awsautoscaling.CfnAutoScalingGroup
	vpnRules   []vpnRule
}

// vpnRule is a Client VPN authorization rule as synthesized.
type vpnRule struct {
	cidr        *string
	group       *string // nil: all groups
	description *string
}

var prefixRe = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)

// checkPrefix checks a document name prefix (given, or the stack name).
func checkPrefix(prefix string) error {
	if validate.StringToken(prefix) {
		return fail("DocumentNamePrefix", "must be a literal, not a token: `make isolate` reads the document names from the template")
	}
	if !prefixRe.MatchString(prefix) {
		return fail("DocumentNamePrefix", "%q: use 1 to 100 letters, digits, '-', '_' or '.'", prefix)
	}
	if l := strings.ToLower(prefix); strings.HasPrefix(l, "aws") || strings.HasPrefix(l, "amazon") {
		return fail("DocumentNamePrefix", "%q: SSM document names cannot start with aws or amazon", prefix)
	}
	return nil
}

// resolve checks the props and reads what the documents need. It never
// writes props and creates no construct.
func resolve(props *TierIsolationProps) (*settings, error) {
	if props == nil {
		return nil, fail("ResponderPrincipals", "props are required: ResponderPrincipals and AlarmTopic have no default")
	}
	p := *props
	s := &settings{}
	if p.ResponderPrincipals == nil || len(*p.ResponderPrincipals) == 0 {
		return nil, fail("ResponderPrincipals", "at least one principal must be allowed to assume the incident-responder role")
	}
	for i, pr := range *p.ResponderPrincipals {
		if pr == nil {
			return nil, fail("ResponderPrincipals", "entry %d is nil", i)
		}
		s.principals = append(s.principals, pr)
	}
	if p.AlarmTopic == nil {
		return nil, fail("AlarmTopic", "required: every isolation and reconnection is announced on it (audittrail.AuditTrail.Topic())")
	}
	if p.DocumentNamePrefix != nil {
		s.prefix = *p.DocumentNamePrefix
		if err := checkPrefix(s.prefix); err != nil {
			return nil, err
		}
	}
	if (p.DataSubnets != nil) != (p.DataTierAcl != nil) || (p.DataSubnets != nil && p.Vpc == nil) {
		return nil, fail("DataSubnets", "Vpc, DataSubnets and DataTierAcl go together: the data documents add deny-all entries to DataTierAcl, the ACL of the subnets of Vpc")
	}
	if p.DataSubnets != nil {
		sel := p.Vpc.SelectSubnets(p.DataSubnets)
		if sel == nil || sel.Subnets == nil || len(*sel.Subnets) == 0 {
			return nil, fail("DataSubnets", "selects no subnet of Vpc")
		}
		s.subnets = *sel.Subnets
	}
	if p.BastionKey != nil && p.BastionInstance == nil && p.BastionGroup == nil {
		return nil, fail("BastionKey", "given without BastionInstance or BastionGroup")
	}
	if p.BastionGroup != nil {
		cfn, ok := p.BastionGroup.Node().DefaultChild().(awsautoscaling.CfnAutoScalingGroup)
		if !ok || cfn == nil {
			return nil, fail("BastionGroup", "must be created in this app: reconnecting restores its synthesized sizes, read from its template")
		}
		s.asg = cfn
	}
	if p.ClientVpnEndpoint != nil {
		if p.BastionInstance == nil && p.BastionGroup == nil {
			return nil, fail("ClientVpnEndpoint", "given without BastionInstance or BastionGroup: the access tier is the bastion and the VPN together")
		}
		rules, err := vpnRules(p.ClientVpnEndpoint)
		if err != nil {
			return nil, err
		}
		s.vpnRules = rules
	}
	if p.ResponderCidrs != nil {
		if p.WebAcl == nil {
			return nil, fail("ResponderCidrs", "given without WebAcl")
		}
		for _, c := range *p.ResponderCidrs {
			if c == nil || validate.StringToken(*c) {
				return nil, fail("ResponderCidrs", "entries must be literal IPv4 CIDRs")
			}
			pre, err := netip.ParsePrefix(*c)
			if err != nil || !pre.Addr().Is4() || pre.Masked() != pre {
				return nil, fail("ResponderCidrs", "%q is not an IPv4 CIDR (network address/length)", *c)
			}
			if pre.Bits() == 0 {
				return nil, fail("ResponderCidrs", "%q admits the whole internet: the edge would not be isolated", *c)
			}
			s.cidrs = append(s.cidrs, *c)
		}
		if len(s.cidrs) == 0 {
			return nil, fail("ResponderCidrs", "empty: leave it nil to block everything")
		}
	}
	if p.DataSubnets == nil && p.BastionInstance == nil && p.BastionGroup == nil && p.WebAcl == nil {
		return nil, fail("DataSubnets", "no tier to isolate: give the data tier (Vpc, DataSubnets, DataTierAcl), the access tier (BastionInstance or BastionGroup) or the edge (WebAcl)")
	}
	return s, nil
}

// vpnRules reads the endpoint's authorization rules from its children (what
// ClientVpnEndpoint.AddAuthorizationRule creates), in construct order.
func vpnRules(ep awsec2.IClientVpnEndpoint) ([]vpnRule, error) {
	if _, ok := ep.Node().DefaultChild().(awsec2.CfnClientVpnEndpoint); !ok {
		return nil, fail("ClientVpnEndpoint", "must be created in this app: reconnecting authorizes its synthesized rules again, read from its template")
	}
	var out []vpnRule
	for _, c := range *ep.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		cfn, ok := c.(awsec2.CfnClientVpnAuthorizationRule)
		if !ok {
			continue
		}
		r := vpnRule{cidr: cfn.TargetNetworkCidr(), group: cfn.AccessGroupId(), description: cfn.Description()}
		if r.group != nil && *r.group == "" {
			r.group = nil
		}
		if r.group == nil && !validate.TrueValue(cfn.AuthorizeAllGroups()) {
			return nil, fail("ClientVpnEndpoint", "authorization rule %s has neither AccessGroupId nor AuthorizeAllGroups true", *c.Node().Path())
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fail("ClientVpnEndpoint", "has no authorization rule (added with AddAuthorizationRule): nothing to revoke")
	}
	return out, nil
}
