package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// newAlarmTopic is the encrypted topic every alarm and compliance
// notification goes to. Its policy denies publishing without TLS and lets
// only this account's CloudWatch alarms and EventBridge rules publish.
func newAlarmTopic(scope constructs.Construct, key awskms.IKey, emails, endpoints []string) awssns.Topic {
	topic := awssns.NewTopic(scope, jsii.String("AlarmTopic"), &awssns.TopicProps{
		DisplayName: jsii.String("Security alarms and compliance changes"),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	allowAlarmPublishers(topic)
	for _, e := range emails {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(e), nil))
	}
	for _, u := range endpoints {
		topic.AddSubscription(awssnssubscriptions.NewUrlSubscription(jsii.String(u), &awssnssubscriptions.UrlSubscriptionProps{
			Protocol: awssns.SubscriptionProtocol_HTTPS,
		}))
	}
	return topic
}

// allowAlarmPublishers lets only this account's CloudWatch alarms and
// EventBridge rules publish to topic.
func allowAlarmPublishers(topic awssns.ITopic) bool {
	added := true
	stack := base.StackOf(topic)
	for _, p := range []struct{ sid, service, sourceArn string }{
		{"AllowThisAccountsAlarmsToPublish", "cloudwatch.amazonaws.com", *stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("cloudwatch"), Resource: jsii.String("alarm"), ResourceName: jsii.String("*"),
			ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})},
		{"AllowThisAccountsEventRulesToPublish", "events.amazonaws.com", *stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("events"), Resource: jsii.String("rule"), ResourceName: jsii.String("*"),
		})},
	} {
		res := topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String(p.sid),
			Principals: &[]awsiam.IPrincipal{base.Service(topic, p.service)},
			Actions:    jsii.Strings("sns:Publish"),
			Resources:  &[]*string{topic.TopicArn()},
			Conditions: &map[string]interface{}{
				"StringEquals": map[string]interface{}{"aws:SourceAccount": base.Account(stack)},
				"ArnLike":      map[string]interface{}{"aws:SourceArn": p.sourceArn},
			},
		}))
		added = added && *res.StatementAdded
	}
	return added
}
