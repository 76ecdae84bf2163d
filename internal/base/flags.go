package base

// flag is a CDK feature flag and the value a construct's template relies on.
type flag struct {
	name  string
	value any
}

// pinnedFlags are the feature flags whose value changes what the constructs
// synthesize. Each is set to the value `cdk init` of the pinned CLI
// recommends (and this repository's cdk.json uses); the consumer module's
// test proves that no other flag changes the templates.
var pinnedFlags = []flag{
	// Audit buckets deliver access logs through a bucket policy, not ACLs
	// (ACLs stay disabled: BucketOwnerEnforced).
	{"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true},
	// The time-boxed bastion's launch template carries an (empty) user data
	// script, as the reviewed goldens do.
	{"@aws-cdk/aws-ec2:launchTemplateDefaultUserData", true},
	// Policy documents are merged and sorted: the reviewed key and IAM
	// policies (goldens) keep one form.
	{"@aws-cdk/aws-iam:minimizePolicies", true},
}
