package bastionaccess

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// newLogGroup creates a KMS-encrypted, retained log group with the
// validated retention (or the token the caller passed).
func newLogGroup(scope constructs.Construct, id string, key awskms.IKey, days float64) awslogs.LogGroup {
	ret, err := retention.FromDays(days)
	if err != nil {
		ret = awslogs.RetentionDays_SIX_YEARS // unreachable: days was validated or is a token
	}
	group := awslogs.NewLogGroup(scope, jsii.String(id), &awslogs.LogGroupProps{
		EncryptionKey: key,
		Retention:     ret,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	if *awscdk.Token_IsUnresolved(days) {
		group.Node().DefaultChild().(awslogs.CfnLogGroup).SetRetentionInDays(jsii.Number(days))
	}
	return group
}
