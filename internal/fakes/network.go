package fakes

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
)

// Subnet is a VPC subnet. An empty Cidr panics in Ipv4CidrBlock, as jsii
// throws for a subnet imported without its CIDR.
type Subnet struct {
	awsec2.ISubnet
	ID, AZ, Cidr, Path string
}

func (s *Subnet) SubnetId() *string         { return &s.ID }
func (s *Subnet) AvailabilityZone() *string { return &s.AZ }
func (s *Subnet) Node() constructs.Node     { return &Node{P: s.Path} }

func (s *Subnet) Ipv4CidrBlock() *string {
	if s.Cidr == "" {
		panic("You cannot reference an imported Subnet's IPv4 CIDR if it was not supplied.\n    at ImportedSubnet")
	}
	return &s.Cidr
}

// Group is a subnet group (one tier) of a Vpc.
type Group struct {
	Name    string
	Type    awsec2.SubnetType
	Subnets []awsec2.ISubnet
}

// Vpc is a VPC made of subnet groups. An empty Cidr panics in
// VpcCidrBlock, as for an imported VPC without its CIDR.
type Vpc struct {
	awsec2.IVpc
	Groups []Group
	Cidr   string
	N      Node
}

func (v *Vpc) Node() constructs.Node { return &v.N }

func (v *Vpc) VpcCidrBlock() *string {
	if v.Cidr == "" {
		panic("Cannot perform 'VpcCidrBlock' on an imported VPC without a CIDR")
	}
	return &v.Cidr
}

func (v *Vpc) PublicSubnets() *[]awsec2.ISubnet { return v.ofType(awsec2.SubnetType_PUBLIC) }
func (v *Vpc) IsolatedSubnets() *[]awsec2.ISubnet {
	return v.ofType(awsec2.SubnetType_PRIVATE_ISOLATED)
}

func (v *Vpc) ofType(t awsec2.SubnetType) *[]awsec2.ISubnet {
	out := []awsec2.ISubnet{}
	for _, g := range v.Groups {
		if g.Type == t {
			out = append(out, g.Subnets...)
		}
	}
	return &out
}

// SelectSubnets answers a selection by explicit Subnets, SubnetGroupName or
// SubnetType, and panics, as CDK does, when no group matches.
func (v *Vpc) SelectSubnets(sel *awsec2.SubnetSelection) *awsec2.SelectedSubnets {
	var subnets []awsec2.ISubnet
	switch {
	case sel != nil && sel.Subnets != nil:
		subnets = *sel.Subnets
	case sel != nil && sel.SubnetGroupName != nil:
		g := v.group(*sel.SubnetGroupName)
		if g == nil {
			panic(fmt.Sprintf("There are no subnet groups with name '%s' in this VPC. Available names: %s\n    at Vpc.selectSubnetObjectsByName",
				*sel.SubnetGroupName, strings.Join(v.names(), ",")))
		}
		subnets = g.Subnets
	case sel != nil && sel.SubnetType != "":
		subnets = *v.ofType(sel.SubnetType)
		if len(subnets) == 0 {
			panic(fmt.Sprintf("There are no '%s' subgroups in this VPC. Available types: ...", sel.SubnetType))
		}
	default:
		panic("fakes.Vpc: a selection without Subnets, SubnetGroupName or SubnetType")
	}
	public := map[string]bool{}
	for _, sn := range *v.PublicSubnets() {
		public[*sn.SubnetId()] = true
	}
	hasPublic := false
	for _, sn := range subnets {
		hasPublic = hasPublic || public[*sn.SubnetId()]
	}
	return &awsec2.SelectedSubnets{Subnets: &subnets, HasPublic: &hasPublic}
}

func (v *Vpc) group(name string) *Group {
	for i := range v.Groups {
		if v.Groups[i].Name == name {
			return &v.Groups[i]
		}
	}
	return nil
}

func (v *Vpc) names() []string {
	var out []string
	for _, g := range v.Groups {
		out = append(out, g.Name)
	}
	return out
}

// Subnets returns the subnets of the named group, for a selection by list.
func (v *Vpc) Subnets(group string) []awsec2.ISubnet { return v.group(group).Subnets }

// ThreeTier is a VPC laid out as HipaaVpc lays it out: Public, App and Data
// groups over azs Availability Zones in 10.0.0.0/16, one /24 per subnet.
// Without NAT the app tier is isolated, like the data tier.
func ThreeTier(azs int, nat bool) *Vpc {
	app := awsec2.SubnetType_PRIVATE_WITH_EGRESS
	if !nat {
		app = awsec2.SubnetType_PRIVATE_ISOLATED
	}
	v := &Vpc{Cidr: "10.0.0.0/16", N: Node{P: "Stack/Network/Vpc"}}
	for t, g := range []Group{{Name: "Public", Type: awsec2.SubnetType_PUBLIC}, {Name: "App", Type: app}, {Name: "Data", Type: awsec2.SubnetType_PRIVATE_ISOLATED}} {
		for az := range azs {
			g.Subnets = append(g.Subnets, &Subnet{
				ID:   fmt.Sprintf("subnet-%s%d", strings.ToLower(g.Name), az+1),
				AZ:   fmt.Sprintf("us-east-1%c", 'a'+az),
				Cidr: fmt.Sprintf("10.0.%d.0/24", t*azs+az),
				Path: fmt.Sprintf("Stack/Network/Vpc/%sSubnet%d", g.Name, az+1),
			})
		}
		v.Groups = append(v.Groups, g)
	}
	return v
}

// SecurityGroup is a security group; as a peer it names itself as the
// source (ingress) or destination (egress) group.
type SecurityGroup struct {
	awsec2.ISecurityGroup
	ID       string
	AllowAll *bool // AllowAllOutbound
	N        Node
}

func (g *SecurityGroup) UniqueId() *string        { return &g.ID }
func (g *SecurityGroup) AllowAllOutbound() *bool  { return g.AllowAll }
func (g *SecurityGroup) Node() constructs.Node    { return &g.N }
func (g *SecurityGroup) SecurityGroupId() *string { return &g.ID }

func (g *SecurityGroup) ToIngressRuleConfig() *awsec2.IngressRuleConfig {
	return &awsec2.IngressRuleConfig{SourceSecurityGroupId: &g.ID}
}

func (g *SecurityGroup) ToEgressRuleConfig() *awsec2.EgressRuleConfig {
	return &awsec2.EgressRuleConfig{DestinationSecurityGroupId: &g.ID}
}

// Peer is a CIDR or prefix-list peer (awsec2.Peer_Ipv4 and friends).
type Peer struct {
	awsec2.IPeer
	ID      string
	Ingress *awsec2.IngressRuleConfig
	Egress  *awsec2.EgressRuleConfig
}

func (p *Peer) UniqueId() *string                              { return &p.ID }
func (p *Peer) ToIngressRuleConfig() *awsec2.IngressRuleConfig { return p.Ingress }
func (p *Peer) ToEgressRuleConfig() *awsec2.EgressRuleConfig   { return p.Egress }

// Ipv4 is the peer awsec2.Peer_Ipv4(cidr) makes.
func Ipv4(cidr string) *Peer {
	return &Peer{ID: cidr, Ingress: &awsec2.IngressRuleConfig{CidrIp: &cidr}, Egress: &awsec2.EgressRuleConfig{CidrIp: &cidr}}
}

// Port is a security-group port range (awsec2.Port_Tcp and friends), as
// its ToRuleJson and ToString render it.
type Port struct {
	awsec2.Port
	Protocol string
	From, To float64
	Label    string
}

func (p *Port) ToString() *string { return &p.Label }

func (p *Port) ToRuleJson() interface{} {
	return map[string]interface{}{"ipProtocol": p.Protocol, "fromPort": p.From, "toPort": p.To}
}
