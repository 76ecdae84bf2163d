package retention

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// NewEncryptedLogGroup creates a log group encrypted with key, kept for days
// (validated by the caller with FromDays, or a token resolved at deploy
// time), and retained when its stack is deleted. name is optional: nil lets
// CloudFormation name the group.
func NewEncryptedLogGroup(scope constructs.Construct, id string, name *string, key awskms.IKey, days float64) awslogs.LogGroup {
	ret, err := FromDays(days)
	if err != nil {
		ret = awslogs.RetentionDays_SIX_YEARS // only for a token: overridden below
	}
	group := awslogs.NewLogGroup(scope, jsii.String(id), &awslogs.LogGroupProps{
		LogGroupName:  name,
		EncryptionKey: key,
		Retention:     ret,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	if validate.NumberToken(days) {
		group.Node().DefaultChild().(awslogs.CfnLogGroup).SetRetentionInDays(jsii.Number(days))
	}
	return group
}
