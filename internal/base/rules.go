package base

import "github.com/aws/aws-cdk-go/awscdk/v2"

// InlineRules resolves the inline rule list of a CfnSecurityGroup
// (SecurityGroupIngress or SecurityGroupEgress, a lazy value until synth)
// into one map per rule, with the L1 property names (cidrIp, ipProtocol,
// fromPort, sourceSecurityGroupId, ...).
func InlineRules(stack awscdk.Stack, v interface{}) []map[string]interface{} {
	list, _ := stack.Resolve(v).([]interface{})
	var out []map[string]interface{}
	for _, r := range list {
		if m, ok := r.(map[string]interface{}); ok {
			out = append(out, m)
		}
	}
	return out
}
