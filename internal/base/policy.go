package base

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
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

// AddToKeyPolicy adds statements to the key's resource policy and reports
// whether they were added (false for a key imported into the app, which has
// no policy here). For a Key of the app it does what Key.addToResourcePolicy
// does, policy.addStatements, in one round trip for all of them instead of
// three for each (the call, and the two fields of its result).
func AddToKeyPolicy(key awskms.IKey, statements ...awsiam.PolicyStatement) bool {
	if k, ok := key.(awskms.Key); ok {
		policy := k.Policy()
		if policy == nil {
			return false
		}
		policy.AddStatements(statements...)
		return true
	}
	added := true
	for _, s := range statements {
		added = *key.AddToResourcePolicy(s, jsii.Bool(true)).StatementAdded && added
	}
	return added
}

// AddToBucketPolicy is AddToKeyPolicy for a bucket: for a Bucket of the app
// whose policy exists it adds to the policy document, as
// Bucket.addToResourcePolicy does; otherwise (the policy is yet to be
// created, or the bucket is imported) it calls addToResourcePolicy.
func AddToBucketPolicy(bucket awss3.IBucket, statements ...awsiam.PolicyStatement) bool {
	if b, ok := bucket.(awss3.Bucket); ok {
		if policy := b.Policy(); policy != nil {
			policy.Document().AddStatements(statements...)
			return true
		}
	}
	added := true
	for _, s := range statements {
		added = *bucket.AddToResourcePolicy(s).StatementAdded && added
	}
	return added
}
