package phiservice

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

func suppress(c constructs.IConstruct, rule, reason string) {
	cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String(rule), Reason: jsii.String(reason),
	}}, jsii.Bool(false))
}

// suppressLogBuckets: the two log buckets cannot use SSE-KMS, and are kept
// in one Region.
func suppressLogBuckets(logs, serverLogs awss3.Bucket) {
	suppress(logs.Node().DefaultChild(), "HIPAA.Security-S3DefaultEncryptionKMS",
		"Elastic Load Balancing delivers access logs only to a bucket encrypted with SSE-S3 (S3-managed keys); "+
			"SSE-KMS is not supported for ALB access logs. The bucket is TLS-only, versioned, blocks public access and expires logs after the log retention.")
	suppress(serverLogs.Node().DefaultChild(), "HIPAA.Security-S3DefaultEncryptionKMS",
		"S3 server access logging cannot deliver to a bucket whose default encryption is SSE-KMS, so this bucket uses SSE-S3; "+
			"it holds request metadata of the access-log bucket, not PHI.")
	for _, b := range []awss3.Bucket{logs, serverLogs} {
		suppress(b.Node().DefaultChild(), "HIPAA.Security-S3BucketReplicationEnabled",
			"Replication needs a bucket in a second Region, which the baseline does not create; the log bucket is versioned and retained in-region. "+
				"Add replication where your recovery plan needs a second Region.")
	}
}

// suppressNonPhiRelaxation records the caller's Disable*ForNonPhiEnvironment
// opt-out on the resource it relaxes; the reason names the stack.
func suppressNonPhiRelaxation(c constructs.IConstruct, rule, prop string) {
	stack := *awscdk.Stack_Of(c).StackName()
	suppress(c, rule, prop+" is set in stack "+stack+": its environment profile declares it holds no PHI "+
		"(synthetic data only), so this HIPAA control is relaxed there for cost.")
}
