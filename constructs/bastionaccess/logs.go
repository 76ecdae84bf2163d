package bastionaccess

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// newLogGroup creates a KMS-encrypted, retained log group with the
// validated retention (or the token the caller passed).
func newLogGroup(scope constructs.Construct, id string, key awskms.IKey, days float64) awslogs.LogGroup {
	return retention.NewEncryptedLogGroup(scope, id, nil, key, days)
}
