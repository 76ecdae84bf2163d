package bastionaccess

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"
)

// autoScalingServiceLinkedRole is the role EC2 Auto Scaling launches
// instances with; it must be able to use the key of the encrypted root volume.
const autoScalingServiceLinkedRole = "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"

// allowAutoScalingEbs adds the two key policy statements AWS documents for
// Auto Scaling to launch instances with CMK-encrypted EBS volumes: use of the
// key, and grants for AWS resources only (EC2 attaches the volume under a
// grant). The principal is the service-linked role alone.
func allowAutoScalingEbs(key awskms.IKey) {
	stack := awscdk.Stack_Of(key)
	slr := awsiam.NewArnPrincipal(stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
		ResourceName: jsii.String(autoScalingServiceLinkedRole),
	}))
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowAutoScalingToUseKeyForEbs"),
		Principals: &[]awsiam.IPrincipal{slr},
		Actions: jsii.Strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
			"kms:GenerateDataKey*", "kms:DescribeKey"),
		Resources: jsii.Strings("*"),
	}), jsii.Bool(true))
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowAutoScalingToGrantKeyToEbs"),
		Principals: &[]awsiam.IPrincipal{slr},
		Actions:    jsii.Strings("kms:CreateGrant"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"Bool": map[string]interface{}{"kms:GrantIsForAWSResource": true},
		},
	}), jsii.Bool(true))
}
