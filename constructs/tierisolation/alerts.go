package tierisolation

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// ExecutionDetailType is the EventBridge detail type of an Automation
// execution's status change.
const ExecutionDetailType = "EC2 Automation Execution Status-change Notification"

// alertPaths are the event fields the notification carries.
var alertPaths = map[string]*string{
	"status":    jsii.String("$.detail.Status"),
	"by":        jsii.String("$.detail.ExecutedBy"),
	"execution": jsii.String("$.detail.ExecutionId"),
	"account":   jsii.String("$.account"),
	"region":    jsii.String("$.region"),
}

// Runbook is the one line announced when document runs: what happened, by
// whom, and the document that undoes it.
func Runbook(tier Tier, reconnect bool, document, counterpart, what string) string {
	if reconnect {
		return fmt.Sprintf("Tier %s RECONNECTED (%s restored as synthesized) by <by>: %s execution <execution> is <status> (account <account>, region <region>). "+
			"Check the tier works; to isolate it again run %s (make isolate TIER=%s).", tier, what, document, counterpart, tier)
	}
	return fmt.Sprintf("Tier %s ISOLATED (%s) by <by>: %s execution <execution> is <status> (account <account>, region <region>). "+
		"Follow the incident plan; to reconnect run %s (make reconnect TIER=%s).", tier, what, document, counterpart, tier)
}

// newAlert sends every status change of document's executions to the topic.
func newAlert(scope constructs.Construct, tier Tier, reconnect bool, document, counterpart, what string, topicArn *string) awsevents.CfnRule {
	verb := "Isolate"
	if reconnect {
		verb = "Reconnect"
	}
	return awsevents.NewCfnRule(scope, jsii.String(verb+title(tier)+"Alert"), &awsevents.CfnRuleProps{
		Description: jsii.String(fmt.Sprintf("Notify the security topic of every execution of %s", document)),
		State:       jsii.String("ENABLED"),
		EventPattern: map[string]interface{}{
			"source":      []interface{}{"aws.ssm"},
			"detail-type": []interface{}{ExecutionDetailType},
			"detail":      map[string]interface{}{"Definition": []interface{}{document}},
		},
		Targets: &[]*awsevents.CfnRule_TargetProperty{{
			Id:  jsii.String("AlarmTopic"),
			Arn: topicArn,
			InputTransformer: &awsevents.CfnRule_InputTransformerProperty{
				InputPathsMap: &alertPaths,
				InputTemplate: jsii.String(base.InputTemplateText(Runbook(tier, reconnect, document, counterpart, what))),
			},
		}},
	})
}

// awswafv2NewIPSet is the IP set of the responders' CIDRs, in the web ACL's
// scope; it returns its ARN.
func awswafv2NewIPSet(scope constructs.Construct, wafScope string, cidrs []string) *string {
	set := awswafv2.NewCfnIPSet(scope, jsii.String("ResponderIpSet"), &awswafv2.CfnIPSetProps{
		Addresses:        jsii.Strings(cidrs...),
		IpAddressVersion: jsii.String("IPV4"),
		Scope:            jsii.String(wafScope),
		Description:      jsii.String("TierIsolation - addresses the isolated edge still admits, the incident responders"),
	})
	return set.AttrArn()
}

// responderRole is the only principal allowed to start the documents: each
// ResponderPrincipal may assume it with MFA only.
func (b *builder) responderRole() {
	mfa := &map[string]interface{}{"Bool": map[string]interface{}{"aws:MultiFactorAuthPresent": "true"}}
	var trusted []awsiam.IPrincipal
	for _, p := range b.s.principals {
		trusted = append(trusted, awsiam.NewPrincipalWithConditions(p, mfa))
	}
	role := awsiam.NewRole(b.iso, jsii.String("ResponderRole"), &awsiam.RoleProps{
		Description:        jsii.String("TierIsolation: incident responder; starts the isolation and reconnection documents (MFA required)"),
		AssumedBy:          awsiam.NewCompositePrincipal(trusted...),
		MaxSessionDuration: awscdk.Duration_Hours(jsii.Number(1)),
	})
	var definitions, documents, passRoles []*string
	for _, tier := range Tiers {
		docs, ok := b.iso.docs[tier]
		if !ok {
			continue
		}
		for _, d := range docs {
			definitions = append(definitions, b.arn("ssm", "automation-definition", d+":*"))
			documents = append(documents, b.arn("ssm", "document", d))
		}
		passRoles = append(passRoles, b.iso.roles[tier].RoleArn())
	}
	awsiam.NewManagedPolicy(b.iso, jsii.String("ResponderPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("TierIsolation: start, follow and stop the isolation and reconnection documents"),
		Document: base.Minimized(
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ssm:StartAutomationExecution"),
				Resources: &definitions,
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ssm:DescribeDocument", "ssm:GetDocument"),
				Resources: &documents,
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ssm:GetAutomationExecution", "ssm:StopAutomationExecution"),
				Resources: &[]*string{b.arn("ssm", "automation-execution", "*")},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ssm:DescribeAutomationExecutions", "ssm:DescribeAutomationStepExecutions"),
				Resources: jsii.Strings("*"), // list calls take no resource
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:    jsii.Strings("iam:PassRole"),
				Resources:  &passRoles,
				Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"iam:PassedToService": "ssm.amazonaws.com"}},
			}),
		),
		Roles: &[]awsiam.IRole{role},
	})
	b.iso.responder = role
}
