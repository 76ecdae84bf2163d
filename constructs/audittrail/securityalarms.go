package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// CloudFormation values of the alarms' comparison and missing-data handling
// (the Go enums of aws-cdk-lib hold the enum names, not these).
const (
	alarmAtOrAboveThreshold      = "GreaterThanOrEqualToThreshold"
	alarmMissingDataNotBreaching = "notBreaching"
)

// newSecurityAlarms creates, for each catalogue entry, a metric filter on the
// trail's log group and an alarm that notifies the topic. Construct IDs come
// from the catalogue IDs, so logical IDs never change. They are the L1
// resources the MetricFilter and Alarm constructs would render (same paths,
// same properties), written directly: with the L2s each alarm took five
// round trips to jsii (the pattern, the filter, its metric, the alarm, its
// action), with these four.
func newSecurityAlarms(scope constructs.Construct, group awslogs.ILogGroup, topic awssns.ITopic) map[string]awscloudwatch.CfnAlarm {
	out := map[string]awscloudwatch.CfnAlarm{}
	groupName, topicArn := group.LogGroupName(), topic.TopicArn() // read once
	period := AlarmPeriodMinutes * 60
	for _, a := range Alarms() {
		filter := constructs.NewConstruct(scope, jsii.String("Filter"+a.ID))
		awslogs.NewCfnMetricFilter(filter, jsii.String("Resource"), &awslogs.CfnMetricFilterProps{
			LogGroupName:  groupName,
			FilterPattern: jsii.String(a.Pattern),
			MetricTransformations: &[]interface{}{&awslogs.CfnMetricFilter_MetricTransformationProperty{
				MetricNamespace: jsii.String(MetricNamespace),
				MetricName:      jsii.String(a.ID),
				MetricValue:     jsii.String("1"),
			}},
		})
		alarm := constructs.NewConstruct(scope, jsii.String("Alarm"+a.ID))
		out[a.ID] = awscloudwatch.NewCfnAlarm(alarm, jsii.String("Resource"), &awscloudwatch.CfnAlarmProps{
			AlarmActions:       &[]interface{}{topicArn},
			AlarmDescription:   jsii.String(a.Description()),
			ComparisonOperator: jsii.String(alarmAtOrAboveThreshold),
			EvaluationPeriods:  jsii.Number(1),
			MetricName:         jsii.String(a.ID),
			Namespace:          jsii.String(MetricNamespace),
			Period:             jsii.Number(period),
			Statistic:          jsii.String("Sum"),
			Threshold:          jsii.Number(a.Threshold),
			TreatMissingData:   jsii.String(alarmMissingDataNotBreaching),
		})
	}
	return out
}
