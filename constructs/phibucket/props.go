package phibucket

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
)

// ObjectLockMode is the S3 Object Lock retention mode of new object versions.
type ObjectLockMode string

const (
	// ObjectLockGovernance: principals with s3:BypassGovernanceRetention can
	// still remove a lock or delete a locked version.
	ObjectLockGovernance ObjectLockMode = "GOVERNANCE"
	// ObjectLockCompliance: no one, the root user included, can delete a
	// locked version or shorten its retention. Irreversible per version.
	ObjectLockCompliance ObjectLockMode = "COMPLIANCE"
)

// Library defaults and limits. Each default is the secure choice.
const (
	// DefaultNoncurrentVersionRetentionDays keeps an overwritten or deleted
	// object version a year, so a mistaken or malicious overwrite or delete
	// can be undone long after it happened.
	DefaultNoncurrentVersionRetentionDays = 365
	// IncompleteMultipartUploadDays aborts multipart uploads left unfinished
	// this long (their parts are stored, and billed, but are no object).
	IncompleteMultipartUploadDays = 7
	// MaxRetentionDays bounds noncurrent-version and Object Lock retention:
	// S3 Object Lock retains at most 100 years.
	MaxRetentionDays = 36500
	// DefaultObjectLockMode is governance mode.
	DefaultObjectLockMode = ObjectLockGovernance
	// MinimumTLSVersion: the bucket policy denies requests over older TLS.
	MinimumTLSVersion = 1.2
	// DefaultAccessLogPrefix is the key prefix of this bucket's server access
	// logs in the access-log bucket, followed by the construct's id and "/".
	DefaultAccessLogPrefix = "phi-bucket/"
	// MalwareScanStatusTag is the object tag GuardDuty Malware Protection for
	// S3 writes after a scan; MalwareScanClean is its value for a clean object.
	MalwareScanStatusTag = "GuardDutyMalwareScanStatus"
	MalwareScanClean     = "NO_THREATS_FOUND"
	// DataClassificationTag is set to DataClassificationPHI on the bucket and
	// on the keys and roles PhiBucket creates.
	DataClassificationTag = "DataClassification"
	DataClassificationPHI = "PHI"
)

// PhiBucketProps configures a PhiBucket. AccessLogBucket and one of
// Replication, ObjectLock or DisableReplicationAndObjectLockForNonPhiEnvironment
// are required; everything else defaults to the secure choice.
type PhiBucketProps struct {
	// The bucket that receives this bucket's S3 server access logs, normally
	// the environment's AuditTrail.AccessLogBucket(). Required. Enforced: it
	// must not use SSE-KMS default encryption (S3 server access logging
	// delivers only to SSE-S3 buckets). A bucket created in the app gets the
	// log-delivery statement in its policy (from this bucket only, under
	// AccessLogPrefix); an imported bucket gets a synth warning naming it.
	AccessLogBucket awss3.IBucket

	// Key prefix of the server access logs in AccessLogBucket; must end in "/".
	// Default: DefaultAccessLogPrefix + the construct id + "/" ("phi-bucket/<id>/").
	AccessLogPrefix *string

	// The bucket's physical name (S3 naming rules: 3-63 lower-case letters,
	// digits, dots or hyphens). A name makes the bucket's ARN known without a
	// reference to it, so another stack (the audit trail's data-event
	// selector, the access-log bucket's policy) can name it without depending
	// on this stack. With a name, replacing the bucket needs a new name, and a
	// retained bucket must be deleted or imported before the stack is created
	// again.
	// Default: a name CloudFormation generates.
	BucketName *string

	// An existing customer-managed KMS key instead of a new one. Enforced:
	// AWS managed keys (alias/aws/s3) and aliases are refused; the bucket's
	// default encryption is SSE-KMS with this key and the S3 bucket key, and
	// uploads that ask for another key or for no SSE-KMS are denied. An
	// imported key's policy must let this account's IAM policies use it (the
	// grants and the roles PhiBucket creates are IAM policies).
	// Default: a new key with rotation on, retained on delete.
	EncryptionKey awskms.IKey

	// Days S3 keeps an object version after it was overwritten or deleted
	// (1 to MaxRetentionDays). Must be a literal, not a token.
	// Default: DefaultNoncurrentVersionRetentionDays (365).
	NoncurrentVersionRetentionDays *float64

	// Cross-region replication of every object version to a replica bucket
	// in another region, encrypted there with the replica's own key. Where
	// PHI is held, set exactly one of Replication and ObjectLock.
	// Default: none.
	Replication *ReplicationProps

	// S3 Object Lock default retention of every new object version. Where
	// PHI is held, set exactly one of Replication and ObjectLock. Object Lock
	// can be turned on for an existing bucket but never off again.
	// Default: none.
	ObjectLock *ObjectLockProps

	// Neither replication nor Object Lock. ONLY for environments that hold
	// no PHI (synthetic data): versions are kept NoncurrentVersionRetentionDays
	// in one region only. Adds a cdk-nag suppression of
	// S3BucketReplicationEnabled that says so. Not with Replication or ObjectLock.
	// Default: false (one of Replication or ObjectLock is required).
	DisableReplicationAndObjectLockForNonPhiEnvironment *bool

	// Scan every new object version with GuardDuty Malware Protection for S3
	// (an AWS::GuardDuty::MalwareProtectionPlan and the role it uses, with a
	// managed policy) and deny reads of an object (GetObject, GetObjectVersion)
	// until the scan tagged it GuardDutyMalwareScanStatus=NO_THREATS_FOUND.
	// Only the scanner may tag objects. Billed per GB scanned.
	// Default: false (no scanning, no read gate).
	EnableMalwareScanning *bool

	// Enforced: must be nil or false. Exists only so that a request for
	// public reads fails at synth with a clear error.
	// Default: false (all four Block Public Access settings on).
	PublicReadAccess *bool

	// Enforced: must be nil or true. Exists only so that a request for an
	// unversioned bucket fails at synth with a clear error.
	// Default: true (versioning on).
	Versioned *bool

	// What happens to the bucket when it leaves the stack. Enforced: only
	// RETAIN; DESTROY (and SNAPSHOT, which S3 does not support) are refused.
	// Default: awscdk.RemovalPolicy_RETAIN.
	RemovalPolicy awscdk.RemovalPolicy
}

// ReplicationProps names the replica: a versioned bucket in another region
// (for example in a stack pinned to the recovery region, or in a backup
// account's stack set) and its customer-managed key there. Both are literal
// ARNs: a cross-region value cannot be a CloudFormation reference, and the
// key's region is checked against this bucket's.
type ReplicationProps struct {
	// ARN of the replica bucket, arn:<partition>:s3:::<name>. Required. It
	// must be versioned, and its policy must let this bucket's replication
	// role replicate into it when it is in another account.
	DestinationBucketArn *string

	// ARN of the customer-managed key that encrypts the replicas in the
	// destination region, arn:<partition>:kms:<region>:<account>:key/<id>.
	// Required. Enforced: a key, not an alias (AWS managed alias/aws/s3
	// refused), in a region other than this bucket's. Its policy must let
	// this account's IAM policies use it.
	DestinationKeyArn *string
}

// ObjectLockProps is the default retention every new object version gets.
type ObjectLockProps struct {
	// GOVERNANCE or COMPLIANCE.
	// Default: DefaultObjectLockMode (ObjectLockGovernance).
	Mode ObjectLockMode

	// Days each new object version is locked, 1 to MaxRetentionDays. Required.
	// Must be a literal, not a token.
	RetentionDays *float64
}
