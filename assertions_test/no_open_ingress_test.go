package assertions_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// isPrivateIPv4 reports whether s is an IPv4 CIDR wholly inside RFC 1918:
// the only IPv4 sources an inbound rule may admit by CIDR.
func isPrivateIPv4(s string) bool {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return false
	}
	_, err = validate.PrivateIPv4Cidr(p.Masked().String())
	return err == nil
}

// openIngress lists every inbound security group rule in a template, inline
// in an AWS::EC2::SecurityGroup or as an AWS::EC2::SecurityGroupIngress
// resource, on any port or protocol, whose source is not provably private:
//   - an IPv4 CidrIp outside RFC 1918 (0.0.0.0/0, but also 0.0.0.0/1,
//     128.0.0.0/1, any public range),
//   - any IPv6 source (CidrIpv6): there is no private IPv6 range to allow,
//   - any SourcePrefixListId (its content is not in the template),
//   - a CidrIp that is not a literal (a token such as Fn::GetAtt or Ref):
//     "unknown source",
//   - a rule with no source at all.
//
// A security group source (SourceSecurityGroupId or SourceSecurityGroupName,
// literal or token) is allowed. The one door from the internet is a
// PhiService load balancer's security group (inline rules of the group
// described as "PhiService load balancer: ..."), on TCP 443 and 80 (which
// only redirects) and nothing else.
const loadBalancerGroupDescription = "PhiService load balancer:"

func isLoadBalancerDoor(res map[string]interface{}, rule map[string]interface{}) bool {
	p, _ := res["Properties"].(map[string]interface{})
	desc, _ := p["GroupDescription"].(string)
	if !strings.HasPrefix(desc, loadBalancerGroupDescription) || rule["IpProtocol"] != "tcp" {
		return false
	}
	for _, port := range []float64{443, 80} {
		if rule["FromPort"] == port && rule["ToPort"] == port {
			_, v6 := rule["CidrIpv6"]
			_, pl := rule["SourcePrefixListId"]
			_, isString := rule["CidrIp"].(string)
			return isString && !v6 && !pl
		}
	}
	return false
}
func openIngress(tmpl map[string]interface{}) []string {
	var out []string
	check := func(where string, rule map[string]interface{}) {
		report := func(field, what string) {
			out = append(out, fmt.Sprintf("%s: %s %s ports %v-%v", where, field, what, rule["FromPort"], rule["ToPort"]))
		}
		sources := 0
		if v, ok := rule["CidrIp"]; ok {
			sources++
			switch s, isString := v.(string); {
			case !isString:
				raw, _ := json.Marshal(v)
				report("CidrIp", "unknown source "+string(raw))
			case !isPrivateIPv4(s):
				report("CidrIp", s)
			}
		}
		for _, field := range []string{"CidrIpv6", "SourcePrefixListId"} {
			if v, ok := rule[field]; ok {
				sources++
				if s, isString := v.(string); isString {
					report(field, s)
				} else {
					raw, _ := json.Marshal(v)
					report(field, string(raw))
				}
			}
		}
		for _, field := range []string{"SourceSecurityGroupId", "SourceSecurityGroupName"} {
			if _, ok := rule[field]; ok {
				sources++
			}
		}
		if sources == 0 {
			report("(none)", "unknown source")
		}
	}
	resources, _ := tmpl["Resources"].(map[string]interface{})
	for id, r := range resources {
		res, _ := r.(map[string]interface{})
		p, _ := res["Properties"].(map[string]interface{})
		switch res["Type"] {
		case "AWS::EC2::SecurityGroup":
			switch rules := p["SecurityGroupIngress"].(type) {
			case nil:
			case []interface{}:
				for _, rule := range rules {
					if m, ok := rule.(map[string]interface{}); ok {
						if isLoadBalancerDoor(res, m) {
							continue
						}
						check(id, m)
					} else {
						out = append(out, fmt.Sprintf("%s: unknown source: ingress rule %v", id, rule))
					}
				}
			default:
				out = append(out, fmt.Sprintf("%s: unknown source: SecurityGroupIngress %v", id, rules))
			}
		case "AWS::EC2::SecurityGroupIngress":
			check(id, p)
		}
	}
	sort.Strings(out)
	return out
}

// TestNoSecurityGroupOpenToTheInternet walks every template of every
// registered fixture: no inbound rule admits a source outside RFC 1918 or a
// security group, on any port.
func TestNoSecurityGroupOpenToTheInternet(t *testing.T) {
	templates := 0
	for _, f := range fixtures {
		s := f.get(t)
		for _, name := range s.stackNames() {
			templates++
			for _, finding := range openIngress(s.templates[name]) {
				t.Errorf("%s/%s: security group admits a non-private source: %s", f.name, name, finding)
			}
		}
	}
	if templates == 0 {
		t.Fatal("no fixture templates to check")
	}
}

// The detector finds non-private sources in both shapes and ignores private
// CIDRs, security group sources and egress.
func TestNoSecurityGroupOpenToTheInternetDetector(t *testing.T) {
	ingress := func(p map[string]interface{}) map[string]interface{} {
		p["IpProtocol"], p["GroupId"] = "tcp", "sg-1"
		return map[string]interface{}{"Type": "AWS::EC2::SecurityGroupIngress", "Properties": p}
	}
	tmpl := map[string]interface{}{"Resources": map[string]interface{}{
		"OpenSg": map[string]interface{}{"Type": "AWS::EC2::SecurityGroup", "Properties": map[string]interface{}{
			"SecurityGroupIngress": []interface{}{
				// The VPC endpoint security group's rule: allowed.
				map[string]interface{}{"CidrIp": "10.20.0.0/16", "FromPort": 443, "ToPort": 443, "IpProtocol": "tcp"},
				map[string]interface{}{"CidrIp": "0.0.0.0/0", "FromPort": 22, "ToPort": 22, "IpProtocol": "tcp"},
				map[string]interface{}{"SourceSecurityGroupId": "sg-2", "FromPort": 5432, "ToPort": 5432, "IpProtocol": "tcp"},
			},
			"SecurityGroupEgress": []interface{}{map[string]interface{}{"CidrIp": "0.0.0.0/0", "IpProtocol": "-1"}},
		}},
		"OpenV6": map[string]interface{}{"Type": "AWS::EC2::SecurityGroupIngress", "Properties": map[string]interface{}{
			"CidrIpv6": "::/0", "IpProtocol": "-1", "GroupId": "sg-1",
		}},
		"LowerHalf":   ingress(map[string]interface{}{"CidrIp": "0.0.0.0/1", "FromPort": 443, "ToPort": 443}),
		"UpperHalf":   ingress(map[string]interface{}{"CidrIp": "128.0.0.0/1", "FromPort": 443, "ToPort": 443}),
		"Public":      ingress(map[string]interface{}{"CidrIp": "203.0.113.0/24", "FromPort": 443, "ToPort": 443}),
		"NearPrivate": ingress(map[string]interface{}{"CidrIp": "172.32.0.0/16", "FromPort": 443, "ToPort": 443}),
		"WiderThan10": ingress(map[string]interface{}{"CidrIp": "10.0.0.0/7", "FromPort": 443, "ToPort": 443}),
		"UlaV6":       ingress(map[string]interface{}{"CidrIpv6": "fd00::/8", "FromPort": 443, "ToPort": 443}),
		"PrefixList":  ingress(map[string]interface{}{"SourcePrefixListId": "pl-12345678", "FromPort": 443, "ToPort": 443}),
		"TokenCidr": ingress(map[string]interface{}{
			"CidrIp": map[string]interface{}{"Fn::GetAtt": []interface{}{"Vpc", "CidrBlock"}}, "FromPort": 443, "ToPort": 443,
		}),
		"NoSource": ingress(map[string]interface{}{"FromPort": 443, "ToPort": 443}),
		// A PhiService load balancer: 443 and 80 from anywhere are its door, 22 is not.
		"LbSg": map[string]interface{}{"Type": "AWS::EC2::SecurityGroup", "Properties": map[string]interface{}{
			"GroupDescription": "PhiService load balancer: HTTPS in",
			"SecurityGroupIngress": []interface{}{
				map[string]interface{}{"CidrIp": "0.0.0.0/0", "FromPort": float64(443), "ToPort": float64(443), "IpProtocol": "tcp"},
				map[string]interface{}{"CidrIp": "0.0.0.0/0", "FromPort": float64(80), "ToPort": float64(80), "IpProtocol": "tcp"},
				map[string]interface{}{"CidrIp": "0.0.0.0/0", "FromPort": float64(22), "ToPort": float64(22), "IpProtocol": "tcp"},
				map[string]interface{}{"CidrIpv6": "::/0", "FromPort": float64(443), "ToPort": float64(443), "IpProtocol": "tcp"},
			},
		}},
		// Must not be reported.
		"Closed":     ingress(map[string]interface{}{"CidrIp": "192.168.0.0/16", "FromPort": 5432, "ToPort": 5432}),
		"Private172": ingress(map[string]interface{}{"CidrIp": "172.31.5.0/24", "FromPort": 5432, "ToPort": 5432}),
		"FromSg": ingress(map[string]interface{}{
			"SourceSecurityGroupId": map[string]interface{}{"Fn::GetAtt": []interface{}{"AppSg", "GroupId"}}, "FromPort": 5432, "ToPort": 5432,
		}),
	}}
	got := openIngress(tmpl)
	want := []string{
		"LbSg: CidrIp 0.0.0.0/0 ports 22-22",
		"LbSg: CidrIpv6 ::/0 ports 443-443",
		"LowerHalf: CidrIp 0.0.0.0/1 ports 443-443",
		"NearPrivate: CidrIp 172.32.0.0/16 ports 443-443",
		"NoSource: (none) unknown source ports 443-443",
		"OpenSg: CidrIp 0.0.0.0/0 ports 22-22",
		"OpenV6: CidrIpv6 ::/0 ports <nil>-<nil>",
		"PrefixList: SourcePrefixListId pl-12345678 ports 443-443",
		"Public: CidrIp 203.0.113.0/24 ports 443-443",
		`TokenCidr: CidrIp unknown source {"Fn::GetAtt":["Vpc","CidrBlock"]} ports 443-443`,
		"UlaV6: CidrIpv6 fd00::/8 ports 443-443",
		"UpperHalf: CidrIp 128.0.0.0/1 ports 443-443",
		"WiderThan10: CidrIp 10.0.0.0/7 ports 443-443",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("openIngress =\n%q\nwant\n%q\n(private CIDRs, security group sources and egress must be ignored)", got, want)
	}
}
