package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// ConformancePackRemediation is the line sent for NON_COMPLIANT results in
// conformance-pack mode, where the rules come from the caller's template.
const ConformancePackRemediation = "Open the rule in the AWS Config console (its page links the AWS remediation guidance) " +
	"and fix the resource, or apply the rule's remediation action."

// compliancePaths are the event fields the notification carries.
var compliancePaths = map[string]*string{
	"rule":     jsii.String("$.detail.configRuleName"),
	"type":     jsii.String("$.detail.resourceType"),
	"resource": jsii.String("$.detail.resourceId"),
	"account":  jsii.String("$.detail.awsAccountId"),
	"region":   jsii.String("$.detail.awsRegion"),
}

// complianceMessage is the input template: a JSON string naming the rule and
// the resource, then the remediation line.
func complianceMessage(remediation string) string {
	return base.InputTemplateText("AWS Config rule <rule> found <type> <resource> NON_COMPLIANT (account <account>, region <region>). " +
		"Remediation: " + remediation)
}

// complianceEvents matches Config results turning NON_COMPLIANT; ruleName,
// when not nil, restricts it to one rule.
func complianceEvents(ruleName interface{}) map[string]interface{} {
	detail := map[string]interface{}{
		"messageType":         []interface{}{"ComplianceChangeNotification"},
		"newEvaluationResult": map[string]interface{}{"complianceType": []interface{}{"NON_COMPLIANT"}},
	}
	if ruleName != nil {
		detail["configRuleName"] = []interface{}{ruleName}
	}
	return map[string]interface{}{
		"source":      []interface{}{"aws.config"},
		"detail-type": []interface{}{"Config Rules Compliance Change"},
		"detail":      detail,
	}
}

func newComplianceRule(scope constructs.Construct, id, description string, pattern map[string]interface{}, remediation string, topicArn *string) awsevents.CfnRule {
	return awsevents.NewCfnRule(scope, jsii.String(id), &awsevents.CfnRuleProps{
		Description:  jsii.String(description),
		State:        jsii.String("ENABLED"),
		EventPattern: pattern,
		Targets: &[]*awsevents.CfnRule_TargetProperty{{
			Id:  jsii.String("AlarmTopic"),
			Arn: topicArn,
			InputTransformer: &awsevents.CfnRule_InputTransformerProperty{
				InputPathsMap: &compliancePaths,
				InputTemplate: jsii.String(complianceMessage(remediation)),
			},
		}},
	})
}

// newComplianceAlerts creates one EventBridge rule per Config rule, so each
// notification carries that rule's remediation line. Without rules
// (conformance-pack mode) one rule covers every NON_COMPLIANT result.
func newComplianceAlerts(scope constructs.Construct, rules map[string]awsconfig.CfnConfigRule, topic awssns.ITopic) []awsevents.CfnRule {
	var out []awsevents.CfnRule
	topicArn := topic.TopicArn() // read once: every rule targets the same topic
	if len(rules) == 0 {
		return append(out, newComplianceRule(scope, "NonCompliantConformancePack",
			"Notify the security topic when any AWS Config rule reports NON_COMPLIANT",
			complianceEvents(nil), ConformancePackRemediation, topicArn))
	}
	specs := ConfigRules()
	cfn, ids := make([]awscdk.CfnResource, len(specs)), make([]string, len(specs))
	for i, spec := range specs {
		cfn[i], ids[i] = rules[spec.ID], configRuleID(spec)
	}
	refs := base.Refs(scope, cfn, ids) // one round trip, not one per rule
	for i, spec := range specs {
		out = append(out, newComplianceRule(scope, "NonCompliant"+spec.ID,
			"Notify the security topic when "+spec.SourceIdentifier+" reports NON_COMPLIANT",
			complianceEvents(refs[i]), spec.Remediation, topicArn))
	}
	return out
}
