// Package kmskeys creates the customer-managed KMS keys the constructs use,
// with rotation on and a retain-on-delete policy, and adds the narrow key
// policy statements that AWS services need to use them.
package kmskeys

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/keypolicy"
)

// PendingWindowDays is the longest waiting period KMS allows before deleting
// a key: the most time to notice and cancel a deletion that would make every
// record encrypted under the key unreadable.
const PendingWindowDays = 30

// New creates a customer-managed symmetric key with yearly rotation. The key
// is retained when its stack is deleted: data encrypted under it (backups,
// logs, snapshots) outlives the stack.
func New(scope constructs.Construct, id, description string) awskms.Key {
	return awskms.NewKey(scope, jsii.String(id), &awskms.KeyProps{
		Description:       jsii.String(description),
		EnableKeyRotation: jsii.Bool(true),
		PendingWindow:     base.Days(scope, PendingWindowDays),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		// Merged and sorted statements in any app (see base.Minimized). A key
		// given a policy gets no default statement, so the account's own
		// administration statement is written here, as CDK writes it.
		Policy: base.Minimized(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:    jsii.Strings("kms:*"),
			Principals: &[]awsiam.IPrincipal{base.AccountRoot(scope)},
			Resources:  jsii.Strings("*"),
		})),
	})
}

// AllowCloudWatchLogs is keypolicy.AllowCloudWatchLogs.
func AllowCloudWatchLogs(key awskms.IKey) { keypolicy.AllowCloudWatchLogs(key) }
