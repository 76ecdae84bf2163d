package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsguardduty"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecurityhub"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// newGuardDuty enables threat detection in this account and region.
func newGuardDuty(scope constructs.Construct) awsguardduty.CfnDetector {
	return awsguardduty.NewCfnDetector(scope, jsii.String("GuardDutyDetector"), &awsguardduty.CfnDetectorProps{
		Enable:                     jsii.Bool(true),
		FindingPublishingFrequency: jsii.String(GuardDutyPublishingFrequency),
	})
}

// newSecurityHub enables Security Hub with its default standards and
// consolidated control findings.
func newSecurityHub(scope constructs.Construct) awssecurityhub.CfnHub {
	return awssecurityhub.NewCfnHub(scope, jsii.String("SecurityHub"), &awssecurityhub.CfnHubProps{
		EnableDefaultStandards:  jsii.Bool(true),
		ControlFindingGenerator: jsii.String("SECURITY_CONTROL"),
		AutoEnableControls:      jsii.Bool(true),
	})
}

// GuardDutyAlertMinSeverity is the lowest GuardDuty severity that notifies
// the topic: High (7.0-8.9) and Critical (9.0-10.0).
const GuardDutyAlertMinSeverity = 7

// GuardDutyRemediation is the line sent with a GuardDuty finding.
const GuardDutyRemediation = "Open the finding in the GuardDuty console and follow its remediation section; " +
	"isolate the affected resource and rotate exposed credentials first."

// newGuardDutyAlerts notifies the topic of high-severity GuardDuty findings.
// Findings reach this account's event bus whether the detector is this
// construct's or the organization's.
func newGuardDutyAlerts(scope constructs.Construct, topic awssns.ITopic) awsevents.CfnRule {
	return awsevents.NewCfnRule(scope, jsii.String("GuardDutyHighSeverityFindings"), &awsevents.CfnRuleProps{
		Description: jsii.String("Notify the security topic of high-severity GuardDuty findings"),
		State:       jsii.String("ENABLED"),
		EventPattern: map[string]interface{}{
			"source":      []interface{}{"aws.guardduty"},
			"detail-type": []interface{}{"GuardDuty Finding"},
			"detail": map[string]interface{}{
				"severity": []interface{}{map[string]interface{}{"numeric": []interface{}{">=", GuardDutyAlertMinSeverity}}},
			},
		},
		Targets: &[]*awsevents.CfnRule_TargetProperty{{
			Id:  jsii.String("AlarmTopic"),
			Arn: topic.TopicArn(),
			InputTransformer: &awsevents.CfnRule_InputTransformerProperty{
				InputPathsMap: &map[string]*string{
					"type":     jsii.String("$.detail.type"),
					"severity": jsii.String("$.detail.severity"),
					"resource": jsii.String("$.detail.resource.resourceType"),
					"account":  jsii.String("$.detail.accountId"),
					"region":   jsii.String("$.detail.region"),
				},
				InputTemplate: jsii.String(base.InputTemplateText("GuardDuty finding <type> (severity <severity>) on a <resource> resource " +
					"(account <account>, region <region>). Remediation: " + GuardDutyRemediation)),
			},
		}},
	})
}
