package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// suppressReplication suppresses HIPAA.Security-S3BucketReplicationEnabled on
// one audit bucket. Replication needs a destination bucket in a second region
// (another stack); this construct does not create one. The objects are
// versioned, retained and (trail logs) under Object Lock in a bucket with
// S3's regional durability.
func suppressReplication(b awss3.Bucket, what string) {
	cdknag.NagSuppressions_AddResourceSuppressions(b, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("HIPAA.Security-S3BucketReplicationEnabled"),
		Reason: jsii.String("The " + what + " bucket is versioned and retained on stack deletion; " +
			"cross-region replication needs a destination bucket in another region, outside this single-region construct."),
	}}, jsii.Bool(false))
}

// suppressAccessLogBucket suppresses, on the server access log bucket only:
// S3DefaultEncryptionKMS, because S3 server access logging cannot deliver to
// a bucket with SSE-KMS default encryption (it uses SSE-S3); and
// S3BucketReplicationEnabled, as for the other audit buckets.
func suppressAccessLogBucket(b awss3.Bucket) {
	cdknag.NagSuppressions_AddResourceSuppressions(b, &[]*cdknag.NagPackSuppression{
		{
			Id: jsii.String("HIPAA.Security-S3DefaultEncryptionKMS"),
			Reason: jsii.String("S3 server access logging does not support SSE-KMS default encryption on the destination bucket; " +
				"it is encrypted with SSE-S3 and holds request metadata, not PHI."),
		},
		{
			Id: jsii.String("HIPAA.Security-S3BucketReplicationEnabled"),
			Reason: jsii.String("The access log bucket is versioned and retained; cross-region replication needs a destination " +
				"bucket in another region, outside this single-region construct."),
		},
	}, jsii.Bool(false))
}
