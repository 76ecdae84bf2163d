package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// newSecurityAlarms creates, for each catalogue entry, a metric filter on the
// trail's log group and an alarm that notifies the topic. Construct IDs come
// from the catalogue IDs, so logical IDs never change.
func newSecurityAlarms(scope constructs.Construct, group awslogs.ILogGroup, topic awssns.ITopic) map[string]awscloudwatch.Alarm {
	out := map[string]awscloudwatch.Alarm{}
	action := awscloudwatchactions.NewSnsAction(topic)
	period := awscdk.Duration_Minutes(jsii.Number(AlarmPeriodMinutes)) // one value for every alarm
	for _, a := range Alarms() {
		filter := awslogs.NewMetricFilter(scope, jsii.String("Filter"+a.ID), &awslogs.MetricFilterProps{
			LogGroup:        group,
			FilterPattern:   awslogs.FilterPattern_Literal(jsii.String(a.Pattern)),
			MetricNamespace: jsii.String(MetricNamespace),
			MetricName:      jsii.String(a.ID),
			MetricValue:     jsii.String("1"),
		})
		alarm := awscloudwatch.NewAlarm(scope, jsii.String("Alarm"+a.ID), &awscloudwatch.AlarmProps{
			AlarmDescription: jsii.String(a.Description()),
			Metric: filter.Metric(&awscloudwatch.MetricOptions{
				Statistic: jsii.String("Sum"),
				Period:    period,
			}),
			Threshold:          jsii.Number(a.Threshold),
			EvaluationPeriods:  jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		alarm.AddAlarmAction(action)
		out[a.ID] = alarm
	}
	return out
}
