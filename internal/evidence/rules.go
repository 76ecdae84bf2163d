package evidence

import (
	"fmt"
	"net/netip"
	"strings"
)

// Ingress is one inbound security-group rule, inline or a
// AWS::EC2::SecurityGroupIngress resource.
type Ingress struct {
	Group    *Resource // the security group the rule admits into
	Origin   *Resource // the resource that declares the rule
	SourceSG *Resource // source security group, when the rule names one
	Source   string    // CIDR, prefix list or unresolved group, otherwise
	Ports    string    // e.g. tcp/5432, all
}

// From names the rule's source for people.
func (g Ingress) From() string {
	if g.SourceSG != nil {
		return "security group " + g.SourceSG.Key()
	}
	return g.Source
}

// Internet is true when the rule admits addresses outside private ranges.
func (g Ingress) Internet() bool {
	if g.SourceSG != nil || !strings.Contains(g.Source, "/") {
		return false
	}
	p, err := netip.ParsePrefix(strings.TrimPrefix(strings.TrimPrefix(g.Source, "CIDR "), "IPv6 "))
	if err != nil {
		return true // unknown: assume the worst
	}
	a := p.Addr()
	return !(a.IsPrivate() && p.Bits() >= privateBits(a)) && !a.IsLoopback()
}

// privateBits is the prefix length of the private range holding a.
func privateBits(a netip.Addr) int {
	switch {
	case !a.Is4():
		return 7 // fc00::/7
	case a.As4()[0] == 10:
		return 8
	case a.As4()[0] == 172:
		return 12
	default:
		return 16
	}
}

func ports(rule map[string]interface{}) string {
	proto := fmt.Sprint(rule["IpProtocol"])
	if proto == "-1" || proto == "<nil>" {
		return "all"
	}
	from, to := num(rule["FromPort"]), num(rule["ToPort"])
	if from == to {
		return fmt.Sprintf("%s/%s", proto, from)
	}
	return fmt.Sprintf("%s/%s-%s", proto, from, to)
}

func num(v interface{}) string {
	switch t := v.(type) {
	case float64:
		return fmt.Sprintf("%d", int(t))
	case nil:
		return "?"
	default:
		return fmt.Sprint(t)
	}
}

// IngressRules returns every inbound rule of an environment's security
// groups, keyed by the group's Key().
func (a *Assembly) IngressRules(env string) map[string][]Ingress {
	out := map[string][]Ingress{}
	add := func(group, origin *Resource, rule map[string]interface{}) {
		g := Ingress{Group: group, Origin: origin, Ports: ports(rule)}
		switch {
		case rule["SourceSecurityGroupId"] != nil:
			g.SourceSG = a.Resolve(origin.Stack, rule["SourceSecurityGroupId"])
			if g.SourceSG == nil {
				g.Source = fmt.Sprintf("security group %v (outside the templates)", rule["SourceSecurityGroupId"])
			}
		case rule["SourceSecurityGroupName"] != nil:
			g.Source = fmt.Sprintf("security group named %v", rule["SourceSecurityGroupName"])
		case rule["SourcePrefixListId"] != nil:
			g.Source = fmt.Sprintf("prefix list %v", rule["SourcePrefixListId"])
		case rule["CidrIp"] != nil:
			g.Source = fmt.Sprint(rule["CidrIp"])
		case rule["CidrIpv6"] != nil:
			g.Source = fmt.Sprint(rule["CidrIpv6"])
		default:
			g.Source = "unknown source"
		}
		out[group.Key()] = append(out[group.Key()], g)
	}
	for _, r := range a.Resources(env, "AWS::EC2::SecurityGroup") {
		for _, x := range list(r.Props["SecurityGroupIngress"]) {
			if rule, ok := x.(map[string]interface{}); ok {
				add(r, r, rule)
			}
		}
	}
	for _, r := range a.Resources(env, "AWS::EC2::SecurityGroupIngress") {
		if group := a.Resolve(r.Stack, r.Props["GroupId"]); group != nil {
			add(group, r, r.Props)
		}
	}
	return out
}

// Members returns the resources placed in a security group: anything whose
// SecurityGroups, SecurityGroupIds, VPCSecurityGroups, GroupSet ... names it.
func (a *Assembly) Members(env string, group *Resource) []*Resource {
	var out []*Resource
	for _, r := range a.Resources(env) {
		if strings.HasPrefix(r.Type, "AWS::EC2::SecurityGroup") || r.Key() == group.Key() {
			continue
		}
		if a.placesIn(r.Stack, r.Props, group) {
			out = append(out, r)
		}
	}
	return out
}

func (a *Assembly) placesIn(stack string, v interface{}, group *Resource) bool {
	switch t := v.(type) {
	case map[string]interface{}:
		for k, x := range t {
			if strings.Contains(k, "SecurityGroup") || k == "GroupSet" {
				for _, ref := range a.Refs(stack, x) {
					if ref.Key() == group.Key() {
						return true
					}
				}
			} else if a.placesIn(stack, x, group) {
				return true
			}
		}
	case []interface{}:
		for _, x := range t {
			if a.placesIn(stack, x, group) {
				return true
			}
		}
	}
	return false
}
