package tierisolation

import (
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/fakes"
)

// Stand-ins resolve only passes on, or reads the node of.
type (
	principal struct{ awsiam.IPrincipal }
	acl       struct{ awsec2.INetworkAcl }
	instance  struct{ awsec2.IInstance }
	webAcl    struct{ awswafv2.CfnWebACL }
	cfnGroup  struct {
		awsautoscaling.CfnAutoScalingGroup
	}
	cfnVpn struct{ awsec2.CfnClientVpnEndpoint }
)

type group struct {
	awsautoscaling.IAutoScalingGroup
	n fakes.Node
}

func (g *group) Node() constructs.Node { return &g.n }

type endpoint struct {
	awsec2.IClientVpnEndpoint
	n fakes.Node
}

func (e *endpoint) Node() constructs.Node { return &e.n }

// rule is a Client VPN authorization rule as AddAuthorizationRule makes it.
type rule struct {
	awsec2.CfnClientVpnAuthorizationRule
	cidr, group string
	all         interface{}
}

func (r *rule) TargetNetworkCidr() *string      { return &r.cidr }
func (r *rule) AccessGroupId() *string          { return &r.group }
func (r *rule) Description() *string            { return jsii.String("to " + r.cidr) }
func (r *rule) AuthorizeAllGroups() interface{} { return r.all }
func (r *rule) Node() constructs.Node           { return &fakes.Node{P: "Stack/Access/Vpn/Rule" + r.cidr} }

// vpn is an endpoint created in the app, with the rules as its children.
func vpn(rules ...constructs.IConstruct) *endpoint {
	return &endpoint{n: fakes.Node{Child: cfnVpn{}, All: append([]constructs.IConstruct{cfnVpn{}}, rules...)}}
}

// edgeProps is props with the required fields and the edge tier, changed by mod.
func edgeProps(mod func(*TierIsolationProps)) *TierIsolationProps {
	p := &TierIsolationProps{ResponderPrincipals: &[]awsiam.IPrincipal{principal{}}, AlarmTopic: &fakes.Topic{}, WebAcl: webAcl{}}
	if mod != nil {
		mod(p)
	}
	return p
}

func TestResolveRefusesBadProps(t *testing.T) {
	type P = TierIsolationProps
	vpc := fakes.ThreeTier(2, true)
	fakes.CheckRefusals(t, "TierIsolation", resolve, []fakes.Refusal[*TierIsolationProps]{
		{"nil props", nil, "ResponderPrincipals", "props are required"},
		{"empty props", &P{}, "ResponderPrincipals", "at least one principal"},
		{"no principals", edgeProps(func(p *P) { p.ResponderPrincipals = &[]awsiam.IPrincipal{} }), "ResponderPrincipals", "at least one principal"},
		{"nil principal", edgeProps(func(p *P) { p.ResponderPrincipals = &[]awsiam.IPrincipal{principal{}, nil} }), "ResponderPrincipals", "entry 1 is nil"},
		{"no topic", edgeProps(func(p *P) { p.AlarmTopic = nil }), "AlarmTopic", "required"},
		{"prefix token", edgeProps(func(p *P) { p.DocumentNamePrefix = jsii.String(fakes.StringToken) }), "DocumentNamePrefix", "not a token"},
		{"prefix with a space", edgeProps(func(p *P) { p.DocumentNamePrefix = jsii.String("my docs") }), "DocumentNamePrefix", "1 to 100 letters"},
		{"empty prefix", edgeProps(func(p *P) { p.DocumentNamePrefix = jsii.String("") }), "DocumentNamePrefix", "1 to 100 letters"},
		{"prefix aws", edgeProps(func(p *P) { p.DocumentNamePrefix = jsii.String("AWS-x") }), "DocumentNamePrefix", "cannot start with aws or amazon"},
		{"prefix amazon", edgeProps(func(p *P) { p.DocumentNamePrefix = jsii.String("amazonian") }), "DocumentNamePrefix", "cannot start with aws or amazon"},
		{"subnets without acl", edgeProps(func(p *P) { p.Vpc, p.DataSubnets = vpc, &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Data")} }), "DataSubnets", "go together"},
		{"acl without subnets", edgeProps(func(p *P) { p.Vpc, p.DataTierAcl = vpc, acl{} }), "DataSubnets", "go together"},
		{"subnets without vpc", edgeProps(func(p *P) {
			p.DataSubnets, p.DataTierAcl = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Data")}, acl{}
		}), "DataSubnets", "go together"},
		{"no subnet selected", edgeProps(func(p *P) {
			p.Vpc, p.DataSubnets, p.DataTierAcl = vpc, &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{}}, acl{}
		}), "DataSubnets", "selects no subnet"},
		{"key without bastion", edgeProps(func(p *P) { p.BastionKey = &fakes.Key{} }), "BastionKey", "without BastionInstance or BastionGroup"},
		{"imported group", edgeProps(func(p *P) { p.BastionGroup = &group{} }), "BastionGroup", "must be created in this app"},
		{"vpn without bastion", edgeProps(func(p *P) { p.ClientVpnEndpoint = vpn() }), "ClientVpnEndpoint", "without BastionInstance or BastionGroup"},
		{"imported vpn", edgeProps(func(p *P) { p.BastionInstance, p.ClientVpnEndpoint = instance{}, &endpoint{} }), "ClientVpnEndpoint", "must be created in this app"},
		{"vpn without rules", edgeProps(func(p *P) { p.BastionInstance, p.ClientVpnEndpoint = instance{}, vpn() }), "ClientVpnEndpoint", "has no authorization rule"},
		{"rule for no group", edgeProps(func(p *P) {
			p.BastionInstance, p.ClientVpnEndpoint = instance{}, vpn(&rule{cidr: "10.0.0.0/16", all: false})
		}), "ClientVpnEndpoint", "rule Stack/Access/Vpn/Rule10.0.0.0/16 has neither AccessGroupId nor AuthorizeAllGroups true"},
		{"cidrs without web acl", edgeProps(func(p *P) {
			p.WebAcl, p.BastionInstance, p.ResponderCidrs = nil, instance{}, jsii.Strings("10.0.0.0/8")
		}), "ResponderCidrs", "without WebAcl"},
		{"nil cidr", edgeProps(func(p *P) { p.ResponderCidrs = &[]*string{nil} }), "ResponderCidrs", "literal IPv4 CIDRs"},
		{"cidr token", edgeProps(func(p *P) { p.ResponderCidrs = jsii.Strings(fakes.StringToken) }), "ResponderCidrs", "literal IPv4 CIDRs"},
		{"not a cidr", edgeProps(func(p *P) { p.ResponderCidrs = jsii.Strings("203.0.113.7") }), "ResponderCidrs", `"203.0.113.7" is not an IPv4 CIDR`},
		{"host bits", edgeProps(func(p *P) { p.ResponderCidrs = jsii.Strings("203.0.113.7/24") }), "ResponderCidrs", "is not an IPv4 CIDR"},
		{"ipv6 cidr", edgeProps(func(p *P) { p.ResponderCidrs = jsii.Strings("2001:db8::/32") }), "ResponderCidrs", "is not an IPv4 CIDR"},
		{"whole internet", edgeProps(func(p *P) { p.ResponderCidrs = jsii.Strings("0.0.0.0/0") }), "ResponderCidrs", "whole internet"},
		{"empty cidrs", edgeProps(func(p *P) { p.ResponderCidrs = jsii.Strings() }), "ResponderCidrs", "leave it nil"},
		{"no tier", edgeProps(func(p *P) { p.WebAcl = nil }), "DataSubnets", "no tier to isolate"},
	})
}

func TestResolveKeepsWhatTheDocumentsNeed(t *testing.T) {
	type P = TierIsolationProps
	vpc := fakes.ThreeTier(2, true)
	asg := cfnGroup{}
	fakes.CheckResolutions(t, resolve, []fakes.Resolution[*TierIsolationProps, settings]{
		{"edge only", edgeProps(nil), func(s *settings) bool {
			return len(s.principals) == 1 && s.prefix == "" && s.subnets == nil && s.cidrs == nil && s.asg == nil && s.vpnRules == nil
		}},
		{"prefix kept", edgeProps(func(p *P) { p.DocumentNamePrefix = jsii.String("prod.hipaa_1") }), func(s *settings) bool { return s.prefix == "prod.hipaa_1" }},
		{"data tier subnets", edgeProps(func(p *P) {
			p.WebAcl, p.Vpc, p.DataSubnets, p.DataTierAcl = nil, vpc, &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Data")}, acl{}
		}), func(s *settings) bool { return slices.Equal(s.subnets, vpc.Subnets("Data")) }},
		{"bastion instance", edgeProps(func(p *P) { p.WebAcl, p.BastionInstance, p.BastionKey = nil, instance{}, &fakes.Key{} }),
			func(s *settings) bool { return s.asg == nil }},
		{"bastion group's template", edgeProps(func(p *P) { p.WebAcl, p.BastionGroup = nil, &group{n: fakes.Node{Child: asg}} }),
			func(s *settings) bool { return s.asg == asg }},
		{"vpn rules in construct order", edgeProps(func(p *P) {
			p.BastionInstance, p.ClientVpnEndpoint = instance{}, vpn(&rule{cidr: "10.0.2.0/24", group: "oncall"},
				instance{}, // not a rule: skipped
				&rule{cidr: "10.0.3.0/24", all: true}, &rule{cidr: "10.0.4.0/24", all: jsii.Bool(true)})
		}), func(s *settings) bool {
			r := s.vpnRules
			return len(r) == 3 && *r[0].cidr == "10.0.2.0/24" && *r[0].group == "oncall" && *r[0].description == "to 10.0.2.0/24" &&
				r[1].group == nil && *r[2].cidr == "10.0.4.0/24" && r[2].group == nil
		}},
		{"responder cidrs kept", edgeProps(func(p *P) { p.ResponderCidrs = jsii.Strings("203.0.113.0/24", "198.51.100.7/32") }),
			func(s *settings) bool { return slices.Equal(s.cidrs, []string{"203.0.113.0/24", "198.51.100.7/32"}) }},
	})
}

func TestCheckPrefixAcceptsStackNames(t *testing.T) {
	for _, name := range []string{"prod-app", "dev", "Stack_1.2", "a"} {
		if err := checkPrefix(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
