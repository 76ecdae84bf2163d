package phiservice

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/jsii-runtime-go"
)

// Alarm names (Alarms() keys; part of the alarms' construct IDs).
const (
	AlarmTarget5xxRate      = "Target5xxRate"
	AlarmUnhealthyHosts     = "UnhealthyHosts"
	AlarmWafBlockedRequests = "WafBlockedRequests"
)

// alarmSpec is one alarm: what a breach means and the one-line response.
type alarmSpec struct {
	id, detects, runbook string
	metric               awscloudwatch.IMetric
	threshold            float64
	periods              float64
}

func (a alarmSpec) description() string { return a.detects + ". Restore safety: " + a.runbook }

func newAlarms(p *PhiService, props *PhiServiceProps, s *settings) map[string]awscloudwatch.IAlarm {
	five := awscdk.Duration_Minutes(jsii.Number(5))
	tgMetrics := p.targetGroup.Metrics()
	errors := tgMetrics.HttpCodeTarget(awselasticloadbalancingv2.HttpCodeTarget_TARGET_5XX_COUNT, &awscloudwatch.MetricOptions{
		Statistic: jsii.String("Sum"), Period: five,
	})
	requests := tgMetrics.RequestCount(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: five})
	rate := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   jsii.String("IF(requests > 0, 100 * errors / requests, 0)"),
		UsingMetrics: &map[string]awscloudwatch.IMetric{"errors": errors, "requests": requests},
		Label:        jsii.String("Target 5xx (% of requests)"),
		Period:       five,
	})
	unhealthy := tgMetrics.UnhealthyHostCount(&awscloudwatch.MetricOptions{
		Statistic: jsii.String("Maximum"), Period: awscdk.Duration_Minutes(jsii.Number(1)),
	})
	blocked := awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:  jsii.String("AWS/WAFV2"),
		MetricName: jsii.String("BlockedRequests"),
		DimensionsMap: &map[string]*string{
			"WebACL": jsii.String(p.webAclName), "Region": awscdk.Stack_Of(p).Region(), "Rule": jsii.String("ALL"),
		},
		Statistic: jsii.String("Sum"),
		Period:    five,
	})
	specs := []alarmSpec{
		{
			id:        AlarmTarget5xxRate,
			detects:   fmt.Sprintf("More than %v%% of requests in 5 minutes were answered 5xx by the service's tasks", s.fivexxPercent),
			runbook:   "read the container log group for the errors and the service's events (aws ecs describe-services); roll back the last deployment if it started then, or fix the failing dependency (database, downstream API).",
			metric:    rate,
			threshold: s.fivexxPercent,
			periods:   1,
		},
		{
			id:        AlarmUnhealthyHosts,
			detects:   "At least one task failed the load balancer's health check for 3 minutes",
			runbook:   "check the target health (aws elbv2 describe-target-health) and the stopped tasks' reasons; fix the health check path or the crashing task, and scale out if the healthy tasks cannot carry the load.",
			metric:    unhealthy,
			threshold: 1,
			periods:   3,
		},
		{
			id:        AlarmWafBlockedRequests,
			detects:   fmt.Sprintf("The web ACL blocked more than %v requests in 5 minutes: an attack, a scan or a client that trips a rule", s.wafBlocked),
			runbook:   "in the WAF log group find the blocking rule, client IPs and URIs; block a hostile source with an IP set or a lower rate limit, or, if a legitimate client trips a rule, scope an exception to that rule and path.",
			metric:    blocked,
			threshold: s.wafBlocked,
			periods:   1,
		},
	}
	action := awscloudwatchactions.NewSnsAction(props.AlarmTopic)
	out := map[string]awscloudwatch.IAlarm{}
	for _, a := range specs {
		alarm := awscloudwatch.NewAlarm(p, jsii.String("Alarm"+a.id), &awscloudwatch.AlarmProps{
			AlarmDescription:   jsii.String(a.description()),
			Metric:             a.metric,
			Threshold:          jsii.Number(a.threshold),
			EvaluationPeriods:  jsii.Number(a.periods),
			DatapointsToAlarm:  jsii.Number(a.periods),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		alarm.AddAlarmAction(action)
		out[a.id] = alarm
	}
	return out
}
