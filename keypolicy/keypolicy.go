// Package keypolicy adds the key-policy statements AWS services need to use
// a customer-managed KMS key with this library's constructs.
//
// The constructs call these themselves for a key created in the same app
// (awskms.NewKey): pass your key as a construct's EncryptionKey and the
// statements appear in its policy. For a key imported by ARN, the policy
// lives outside the app: the construct then adds a synth warning naming the
// statements (the Sid of each function below) the policy must hold.
//
//	key := awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
//	keypolicy.AllowCloudWatchLogs(key) // also done by every construct that logs with it
package keypolicy

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// Statement IDs (Sid) of the statements this package writes.
const (
	SidCloudWatchLogs      = "AllowCloudWatchLogsInThisAccountAndRegion"
	SidAutoScalingEbsUse   = "AllowAutoScalingToUseKeyForEbs"
	SidAutoScalingEbsGrant = "AllowAutoScalingToGrantKeyToEbs"
	autoScalingLinkedRole  = "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
)

// AllowCloudWatchLogs lets CloudWatch Logs in the key's account and region
// use key for log groups, and nothing else: the encryption-context condition
// limits it to log groups of this account and region. It reports whether
// the statement is in the key's policy (false for an imported key, whose
// policy CDK cannot change). Calling it twice adds the statement once.
func AllowCloudWatchLogs(key awskms.IKey) bool {
	stack := base.StackOf(key)
	logsArn := base.StringOnce(stack, "logs-arn", func() *string {
		return stack.FormatArn(&awscdk.ArnComponents{
			Service:   jsii.String("logs"),
			Resource:  jsii.String("*"),
			ArnFormat: awscdk.ArnFormat_NO_RESOURCE_NAME,
		})
	})
	return addOnce(key, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(SidCloudWatchLogs),
		Principals: &[]awsiam.IPrincipal{base.Service(key, "logs."+*base.Region(stack)+".amazonaws.com")},
		Actions: jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
			"kms:GenerateDataKey*", "kms:Describe*"),
		Resources: jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"ArnLike": map[string]interface{}{"kms:EncryptionContext:aws:logs:arn": logsArn},
		},
	}))
}

// AllowAutoScalingEbs adds the two statements AWS documents for EC2 Auto
// Scaling to launch instances whose EBS volumes are encrypted with key: its
// service-linked role may use the key and create grants for EBS only.
func AllowAutoScalingEbs(key awskms.IKey) bool {
	stack := base.StackOf(key)
	slr := awsiam.NewArnPrincipal(stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
		ResourceName: jsii.String(autoScalingLinkedRole),
	}))
	use := addOnce(key, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(SidAutoScalingEbsUse),
		Principals: &[]awsiam.IPrincipal{slr},
		Actions: jsii.Strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
			"kms:GenerateDataKey*", "kms:DescribeKey"),
		Resources: jsii.Strings("*"),
	}))
	grant := addOnce(key, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(SidAutoScalingEbsGrant),
		Principals: &[]awsiam.IPrincipal{slr},
		Actions:    jsii.Strings("kms:CreateGrant"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"Bool": map[string]interface{}{"kms:GrantIsForAWSResource": true},
		},
	}))
	return use && grant
}
