package base

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// Minimized is a policy document that merges and sorts its statements
// whatever the app's @aws-cdk/aws-iam:minimizePolicies flag says: that flag
// is read at the stack, not at the construct, so Init cannot pin it.
func Minimized(statements ...awsiam.PolicyStatement) awsiam.PolicyDocument {
	return awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
		Minimize:   jsii.Bool(true),
		Statements: &statements,
	})
}
