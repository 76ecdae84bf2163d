package review

import "reflect"

// networkMoves are properties that place a store in a VPC. They are not
// create-only, but a value that changes because a VPC or subnet is replaced
// moves the store to another network, which its service does not do in
// place: it is reviewed as a replacement.
var networkMoves = map[string][]string{
	"AWS::RDS::DBInstance":               {"VPCSecurityGroups", "DBSubnetGroupName"},
	"AWS::RDS::DBCluster":                {"VpcSecurityGroupIds", "DBSubnetGroupName"},
	"AWS::ElastiCache::ReplicationGroup": {"SecurityGroupIds", "CacheSubnetGroupName"},
}

// placements are the subnet lists of the groups stores are placed with: when
// a subnet in use is replaced or dropped, every store that names the group
// (Ref) moves, as if its own subnet-group property changed.
var placements = map[string][]string{
	"AWS::RDS::DBSubnetGroup":           {"SubnetIds"},
	"AWS::ElastiCache::SubnetGroup":     {"SubnetIds"},
	"AWS::DocDB::DBSubnetGroup":         {"SubnetIds"},
	"AWS::Neptune::DBSubnetGroup":       {"SubnetIds"},
	"AWS::Redshift::ClusterSubnetGroup": {"SubnetIds"},
}

func movesWith(typ, prop string) bool { return contains(networkMoves[typ], prop) }

func placement(typ, prop string) bool { return contains(placements[typ], prop) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// dropsElement reports whether a list loses an element (a subnet in use).
func dropsElement(before, after interface{}) bool {
	b, okB := before.([]interface{})
	a, _ := after.([]interface{})
	if !okB {
		return !reflect.DeepEqual(before, after)
	}
	for _, e := range b {
		found := false
		for _, f := range a {
			if reflect.DeepEqual(e, f) {
				found = true
				break
			}
		}
		if !found {
			return true
		}
	}
	return false
}

// crossRefs lists the producer/output keys an expression takes from other
// stacks, through Fn::GetStackOutput or Fn::ImportValue of a known export.
func crossRefs(expr interface{}, exports map[string]string) []string {
	var out []string
	switch v := expr.(type) {
	case []interface{}:
		for _, e := range v {
			out = append(out, crossRefs(e, exports)...)
		}
	case map[string]interface{}:
		if m, ok := v["Fn::GetStackOutput"].(map[string]interface{}); ok && len(v) == 1 {
			producer, _ := m["StackName"].(string)
			name, _ := m["OutputName"].(string)
			return []string{producer + "/" + name}
		}
		if name, ok := v["Fn::ImportValue"].(string); ok && len(v) == 1 {
			if key, ok := exports[name]; ok {
				return []string{key}
			}
		}
		for _, e := range v {
			out = append(out, crossRefs(e, exports)...)
		}
	}
	return out
}
