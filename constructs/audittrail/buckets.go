package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

const (
	// NoncurrentVersionExpiryDays keeps a deleted or overwritten object version
	// this long, so a mistaken or malicious delete can be undone.
	NoncurrentVersionExpiryDays = 90
	// minimumTLSVersion: bucket policies deny requests over older TLS.
	minimumTLSVersion = 1.2
	// incompleteUploadDays cleans up abandoned multipart uploads.
	incompleteUploadDays = 7
)

// lifecycle archives objects to Glacier after GlacierTransitionDays and
// expires them after the retention.
func lifecycle(scope constructs.Construct, retentionDays float64) *[]*awss3.LifecycleRule {
	return &[]*awss3.LifecycleRule{{
		Id:      jsii.String("ArchiveThenExpire"),
		Enabled: jsii.Bool(true),
		Transitions: &[]*awss3.Transition{{
			StorageClass:    awss3.StorageClass_GLACIER(),
			TransitionAfter: base.Days(scope, GlacierTransitionDays),
		}},
		Expiration:                          base.Days(scope, retentionDays),
		NoncurrentVersionExpiration:         base.Days(scope, NoncurrentVersionExpiryDays),
		AbortIncompleteMultipartUploadAfter: base.Days(scope, incompleteUploadDays),
	}}
}

// protectedBucket holds the settings every audit bucket shares: versioning,
// all four Block Public Access settings, TLS-only bucket policy, no ACLs,
// lifecycle, retained on stack deletion.
func protectedBucket(scope constructs.Construct, retentionDays float64) *awss3.BucketProps {
	return &awss3.BucketProps{
		Versioned:         jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(minimumTLSVersion),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		LifecycleRules:    lifecycle(scope, retentionDays),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	}
}

// newAccessLogBucket receives the S3 server access logs of the other audit
// buckets. S3 server access logging cannot deliver to a bucket with SSE-KMS
// default encryption or an Object Lock default retention, so this bucket
// uses SSE-S3 and no Object Lock; everything else matches the trail bucket.
func newAccessLogBucket(scope constructs.Construct, retentionDays float64) awss3.Bucket {
	props := protectedBucket(scope, retentionDays)
	props.Encryption = awss3.BucketEncryption_S3_MANAGED
	b := awss3.NewBucket(scope, jsii.String("AccessLogBucket"), props)
	suppressAccessLogBucket(b)
	return b
}

// newTrailBucket holds the trail's log files: KMS-encrypted with the audit
// key and write-once under S3 Object Lock. Only this trail may write to it.
func newTrailBucket(scope constructs.Construct, s *settings, key awskms.IKey, accessLogs awss3.IBucket, trailArn string) awss3.IBucket {
	props := protectedBucket(scope, s.retentionDays)
	props.Encryption = awss3.BucketEncryption_KMS
	props.EncryptionKey = key
	props.ServerAccessLogsBucket = accessLogs
	props.ServerAccessLogsPrefix = jsii.String("trail-bucket/")
	props.ObjectLockEnabled = jsii.Bool(true)
	lock := base.Days(scope, s.lockDays)
	if s.complianceLock {
		props.ObjectLockDefaultRetention = awss3.ObjectLockRetention_Compliance(lock)
	} else {
		props.ObjectLockDefaultRetention = awss3.ObjectLockRetention_Governance(lock)
	}
	b := awss3.NewBucket(scope, jsii.String("TrailBucket"), props)
	allowCloudTrailDelivery(b, trailArn)
	suppressReplication(b, "trail (Object Lock)")
	return b
}

// allowCloudTrailDelivery lets this trail, and no other, check the bucket's
// ACL and write its log files.
func allowCloudTrailDelivery(b awss3.IBucket, trailArn string) bool {
	stack := base.StackOf(b)
	cloudtrail := base.Service(b, "cloudtrail.amazonaws.com")
	thisTrail := map[string]interface{}{"aws:SourceArn": trailArn}
	return base.AddToBucketPolicy(b, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AWSCloudTrailAclCheck"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("s3:GetBucketAcl"),
		Resources:  &[]*string{b.BucketArn()},
		Conditions: &map[string]interface{}{"StringEquals": thisTrail},
	}), awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AWSCloudTrailWrite"),
		Principals: &[]awsiam.IPrincipal{cloudtrail},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  &[]*string{b.ArnForObjects(jsii.String("AWSLogs/" + *base.Account(stack) + "/*"))},
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
			"aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control",
		}},
	}))
}

// newConfigBucket holds AWS Config's configuration history and snapshots.
// Config cannot deliver to a bucket with an Object Lock default retention,
// so this bucket has none; it is otherwise protected like the trail bucket.
func newConfigBucket(scope constructs.Construct, retentionDays float64, key awskms.IKey, accessLogs awss3.IBucket) awss3.IBucket {
	props := protectedBucket(scope, retentionDays)
	props.Encryption = awss3.BucketEncryption_KMS
	props.EncryptionKey = key
	props.ServerAccessLogsBucket = accessLogs
	props.ServerAccessLogsPrefix = jsii.String("config-bucket/")
	b := awss3.NewBucket(scope, jsii.String("ConfigBucket"), props)
	allowConfigDelivery(b)
	suppressReplication(b, "AWS Config")
	return b
}

// allowConfigDelivery lets this account's AWS Config check the bucket and
// write its history under ConfigKeyPrefix.
func allowConfigDelivery(b awss3.IBucket) bool {
	stack := base.StackOf(b)
	config := base.Service(b, "config.amazonaws.com")
	thisAccount := map[string]interface{}{"aws:SourceAccount": base.Account(stack)}
	return base.AddToBucketPolicy(b, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AWSConfigBucketPermissionsCheck"),
		Principals: &[]awsiam.IPrincipal{config},
		Actions:    jsii.Strings("s3:GetBucketAcl", "s3:ListBucket"),
		Resources:  &[]*string{b.BucketArn()},
		Conditions: &map[string]interface{}{"StringEquals": thisAccount},
	}), awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AWSConfigBucketDelivery"),
		Principals: &[]awsiam.IPrincipal{config},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  &[]*string{configObjects(b)},
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
			"aws:SourceAccount": base.Account(stack), "s3:x-amz-acl": "bucket-owner-full-control",
		}},
	}))
}

// configObjects is where Config writes: <prefix>/AWSLogs/<account>/Config/*.
func configObjects(b awss3.IBucket) *string {
	return b.ArnForObjects(jsii.String(ConfigKeyPrefix + "/AWSLogs/" + *base.Account(base.StackOf(b)) + "/Config/*"))
}
