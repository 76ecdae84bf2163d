package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
)

// newAuditKey creates the key that encrypts the trail's log files, its log
// group and the Config bucket. CloudTrail may use it only for this trail:
// aws:SourceArn is the trail's ARN, built from its name because the trail
// itself references the key.
func newAuditKey(scope constructs.Construct) awskms.Key {
	return kmskeys.New(scope, "Key", "AuditTrail: encrypts CloudTrail logs, the trail log group and AWS Config history")
}

// cloudTrailKeyUse lets CloudTrail use the audit key for one trail only.
func cloudTrailKeyUse(trailArn string) kmskeys.Need {
	return kmskeys.Need{
		Sid: "AllowCloudTrailToEncryptForThisTrailOnly, AllowCloudTrailToDescribeKeyForThisTrail",
		Add: func(key awskms.IKey) bool { return allowCloudTrail(key, trailArn) },
	}
}

func allowCloudTrail(key awskms.IKey, trailArn string) bool {
	stack := base.StackOf(key)
	cloudtrail := base.Service(key, "cloudtrail.amazonaws.com")
	anyTrailOfAccount := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudtrail"), Region: jsii.String("*"), Resource: jsii.String("trail"), ResourceName: jsii.String("*"),
	})
	return base.AddToKeyPolicy(key, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudTrailToEncryptForThisTrailOnly"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceArn": trailArn},
			"StringLike":   map[string]interface{}{"kms:EncryptionContext:aws:cloudtrail:arn": anyTrailOfAccount},
		},
	}), awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudTrailToDescribeKeyForThisTrail"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("kms:DescribeKey"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceArn": trailArn},
		},
	}))
}

// newTopicKey creates the key that encrypts the alarm topic. CloudWatch
// alarms and EventBridge publish to an encrypted topic only if the key
// policy lets their service principals generate and decrypt data keys; the
// key encrypts nothing else. Which alarms and rules may publish is limited by
// the topic policy (aws:SourceAccount, aws:SourceArn).
func newTopicKey(scope constructs.Construct) awskms.Key {
	key := kmskeys.New(scope, "TopicKey", "AuditTrail: encrypts the security alarm topic")
	allowAlarmPublishersKey(key)
	return key
}

// topicKeyUse lets CloudWatch alarms and EventBridge rules publish to a
// topic encrypted with the key.
var topicKeyUse = kmskeys.Need{Sid: "AllowAlarmAndEventPublishersToUseTheTopicKey", Add: allowAlarmPublishersKey}

func allowAlarmPublishersKey(key awskms.IKey) bool {
	return base.AddToKeyPolicy(key, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("AllowAlarmAndEventPublishersToUseTheTopicKey"),
		Principals: &[]awsiam.IPrincipal{
			base.Service(key, "cloudwatch.amazonaws.com"),
			base.Service(key, "events.amazonaws.com"),
		},
		Actions:   jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources: jsii.Strings("*"),
	}))
}
