package assertions_test

import (
	"fmt"
	"net/netip"
	"sort"
	"testing"
)

// openIngress lists every inbound security group rule in a template that
// admits the whole internet: an IPv4 or IPv6 CIDR with prefix length 0
// (0.0.0.0/0, ::/0), inline in an AWS::EC2::SecurityGroup or as an
// AWS::EC2::SecurityGroupIngress resource, on any port or protocol.
func openIngress(tmpl map[string]interface{}) []string {
	var out []string
	check := func(where string, rule map[string]interface{}) {
		for _, field := range []string{"CidrIp", "CidrIpv6"} {
			s, ok := rule[field].(string)
			if !ok {
				continue
			}
			if p, err := netip.ParsePrefix(s); err == nil && p.Bits() == 0 {
				out = append(out, fmt.Sprintf("%s: %s %s ports %v-%v", where, field, s, rule["FromPort"], rule["ToPort"]))
			}
		}
	}
	resources, _ := tmpl["Resources"].(map[string]interface{})
	for id, r := range resources {
		res, _ := r.(map[string]interface{})
		p, _ := res["Properties"].(map[string]interface{})
		switch res["Type"] {
		case "AWS::EC2::SecurityGroup":
			rules, _ := p["SecurityGroupIngress"].([]interface{})
			for _, rule := range rules {
				if m, ok := rule.(map[string]interface{}); ok {
					check(id, m)
				}
			}
		case "AWS::EC2::SecurityGroupIngress":
			check(id, p)
		}
	}
	sort.Strings(out)
	return out
}

// TestNoSecurityGroupOpenToTheInternet walks every template of every
// registered fixture: no security group admits 0.0.0.0/0 or ::/0, on any port.
func TestNoSecurityGroupOpenToTheInternet(t *testing.T) {
	templates := 0
	for _, f := range fixtures {
		s := f.get(t)
		for _, name := range s.stackNames() {
			templates++
			for _, finding := range openIngress(s.templates[name]) {
				t.Errorf("%s/%s: security group open to the internet: %s", f.name, name, finding)
			}
		}
	}
	if templates == 0 {
		t.Fatal("no fixture templates to check")
	}
}

// The detector finds open rules in both shapes and ignores closed ones.
func TestNoSecurityGroupOpenToTheInternetDetector(t *testing.T) {
	tmpl := map[string]interface{}{"Resources": map[string]interface{}{
		"OpenSg": map[string]interface{}{"Type": "AWS::EC2::SecurityGroup", "Properties": map[string]interface{}{
			"SecurityGroupIngress": []interface{}{
				map[string]interface{}{"CidrIp": "10.0.0.0/16", "FromPort": 443, "ToPort": 443, "IpProtocol": "tcp"},
				map[string]interface{}{"CidrIp": "0.0.0.0/0", "FromPort": 22, "ToPort": 22, "IpProtocol": "tcp"},
			},
			"SecurityGroupEgress": []interface{}{map[string]interface{}{"CidrIp": "0.0.0.0/0", "IpProtocol": "-1"}},
		}},
		"OpenV6": map[string]interface{}{"Type": "AWS::EC2::SecurityGroupIngress", "Properties": map[string]interface{}{
			"CidrIpv6": "::/0", "IpProtocol": "-1", "GroupId": "sg-1",
		}},
		"Closed": map[string]interface{}{"Type": "AWS::EC2::SecurityGroupIngress", "Properties": map[string]interface{}{
			"CidrIp": "192.168.0.0/16", "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "GroupId": "sg-1",
		}},
	}}
	got := openIngress(tmpl)
	want := []string{"OpenSg: CidrIp 0.0.0.0/0 ports 22-22", "OpenV6: CidrIpv6 ::/0 ports <nil>-<nil>"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("openIngress = %q, want %q (egress must be ignored)", got, want)
	}
}
