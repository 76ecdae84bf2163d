// Package phibucket provides PhiBucket: an S3 bucket for protected health
// information.
//
//	b := phibucket.NewPhiBucket(stack, jsii.String("PhiBucket"), &phibucket.PhiBucketProps{
//		AccessLogBucket: audit.AccessLogBucket(),                                     // an audittrail.AuditTrail
//		ObjectLock:      &phibucket.ObjectLockProps{RetentionDays: jsii.Number(365)}, // or Replication
//	})
//	stmts := b.ReadWritePolicyStatements() // for a managed policy: no inline policy
//	role.AddManagedPolicy(awsiam.NewManagedPolicy(stack, jsii.String("PhiObjects"), &awsiam.ManagedPolicyProps{
//		Statements: &stmts,
//	}))
//
// The value is a construct (Tags_Of, NewCfnOutput, ... take it); Bucket()
// is the awss3.IBucket. Bad props panic at synth with a *validation.Error
// before anything is created; a change made later that weakens the bucket
// or its policy fails synth (escape-hatch property overrides excepted). See
// README.md in this directory for every prop and default.
//
// Enforced (cannot be turned off): SSE-KMS default encryption with a
// customer-managed key and the S3 bucket key; a bucket policy that denies
// requests without TLS (or below TLS 1.2) and uploads that do not ask for
// SSE-KMS or ask for another key; versioning; all four Block Public Access
// settings; object ownership enforced (ACLs off); server access logs to the
// access-log bucket; retained on delete; noncurrent versions expired after a
// documented period and incomplete multipart uploads aborted. Where PHI is
// held, either cross-region replication or Object Lock. Optionally GuardDuty
// Malware Protection for S3 with a tag-based read gate.
package phibucket

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// PhiBucket is an encrypted, versioned, logged, private S3 bucket for PHI.
type PhiBucket struct {
	constructs.Construct
	bucket      awss3.Bucket
	cfnBucket   awss3.CfnBucket
	key         awskms.IKey
	accessLogs  awss3.IBucket
	logPrefix   string
	s           *settings
	required    []awsiam.PolicyStatement // the bucket-policy statements the guard looks for
	scanRole    awsiam.IRole
	replicaRole awsiam.IRole
}

// NewPhiBucket creates the bucket. Invalid props panic with a
// *validation.Error that names PhiBucket and the prop, before any resource
// is created.
func NewPhiBucket(scope constructs.Construct, id *string, props *PhiBucketProps) *PhiBucket {
	if scope == nil || id == nil || *id == "" {
		validate.Must(fail("scope/id", "a scope and a non-empty id are required"))
	}
	s, err := resolve(func() string { return *base.Region(base.StackOf(scope)) }, props)
	validate.MustAt(scope, id, err)

	this := &PhiBucket{s: s, accessLogs: s.accessLogs}
	base.Init(this, scope, id, base.S3ServerAccessLogsUseBucketPolicy)
	this.logPrefix = s.logPrefix
	if this.logPrefix == "" {
		this.logPrefix = DefaultAccessLogPrefix + *id + "/"
	}
	if s.key != nil {
		this.key = s.key
	} else {
		key := kmskeys.New(this, "Key", "PhiBucket: encrypts the PHI objects of "+*this.Node().Path())
		tagPHI(key)
		this.key = key
	}
	// S3 uses the key through the caller's IAM permissions (the grants and
	// roles below): no service statement is needed in the key policy.
	kmskeys.Provide(this, constructName, "EncryptionKey", this.key)

	this.bucket = awss3.NewBucket(this, jsii.String("Bucket"), this.bucketProps())
	this.cfnBucket = this.bucket.Node().DefaultChild().(awss3.CfnBucket)
	// Logging on the L1 resource: the L2 prop would let CDK add an
	// unconditioned log-delivery statement to a bucket of another stack.
	this.cfnBucket.SetLoggingConfiguration(&awss3.CfnBucket_LoggingConfigurationProperty{
		DestinationBucketName: s.accessLogs.BucketName(),
		LogFilePrefix:         jsii.String(this.logPrefix),
	})
	this.allowLogDelivery()
	tagPHI(this.bucket)

	if s.malwareScanning {
		this.newMalwareScanning()
	}
	this.denyWeakUploads()
	if s.replication != nil {
		this.newReplication()
	} else {
		suppressReplication(this.cfnBucket, s, *base.StackOf(this).StackName())
	}
	base.AddTreeValidation(this, this.guard)
	return this
}

func (b *PhiBucket) bucketProps() *awss3.BucketProps {
	s := b.s
	props := &awss3.BucketProps{
		BucketName:        s.bucketName,
		Encryption:        awss3.BucketEncryption_KMS,
		EncryptionKey:     b.key,
		BucketKeyEnabled:  jsii.Bool(true),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(MinimumTLSVersion),
		Versioned:         jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("ExpireNoncurrentVersionsAbortIncompleteUploads"),
			Enabled:                             jsii.Bool(true),
			NoncurrentVersionExpiration:         base.Days(b, s.noncurrentDays),
			AbortIncompleteMultipartUploadAfter: base.Days(b, IncompleteMultipartUploadDays),
		}},
	}
	if s.lockMode != "" {
		props.ObjectLockEnabled = jsii.Bool(true)
		days := base.Days(b, s.lockDays)
		if s.lockMode == ObjectLockCompliance {
			props.ObjectLockDefaultRetention = awss3.ObjectLockRetention_Compliance(days)
		} else {
			props.ObjectLockDefaultRetention = awss3.ObjectLockRetention_Governance(days)
		}
	}
	return props
}

// arn is the bucket's ARN as another stack may name it: built from the
// physical name when there is one (no reference to this stack), else the
// bucket's own ARN attribute.
func (b *PhiBucket) arnFor(consumer constructs.IConstruct) *string {
	if b.s.bucketName != nil {
		return base.StackOf(consumer).FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("s3"), Region: jsii.String(""), Account: jsii.String(""), Resource: b.s.bucketName,
		})
	}
	if base.StackOf(consumer) == base.StackOf(b) {
		return b.bucket.BucketArn()
	}
	return nil
}

// allowLogDelivery lets S3's logging service write this bucket's access
// logs, under its prefix only, into the access-log bucket.
func (b *PhiBucket) allowLogDelivery() {
	logs := b.accessLogs
	conditions := map[string]interface{}{
		"StringEquals": map[string]interface{}{"aws:SourceAccount": base.Account(base.StackOf(b))},
	}
	if arn := b.arnFor(logs); arn != nil {
		conditions["ArnLike"] = map[string]interface{}{"aws:SourceArn": arn}
	}
	added := base.AddToBucketPolicy(logs, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("S3ServerAccessLogsFrom" + uniqueSuffix(b)),
		Principals: &[]awsiam.IPrincipal{base.Service(b, "logging.s3.amazonaws.com")},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  &[]*string{logs.ArnForObjects(jsii.String(b.logPrefix + "*"))},
		Conditions: &conditions,
	}))
	if !added {
		awscdk.Annotations_Of(b).AddWarningV2(jsii.String("hipaa-baseline:importedAccessLogBucket"), jsii.String(fmt.Sprintf(
			"%s: AccessLogBucket is an imported bucket, whose policy this app cannot change: it must allow logging.s3.amazonaws.com "+
				"s3:PutObject on %s* for this bucket, or S3 drops the access logs", constructName, b.logPrefix)), nil)
	}
}

// uniqueSuffix is a short, stable Sid suffix for statements this construct
// writes into a shared policy (several PhiBuckets may log to one bucket).
func uniqueSuffix(b *PhiBucket) string {
	id := *awscdk.Names_UniqueId(b)
	if len(id) > 40 {
		id = id[len(id)-40:]
	}
	return id
}

// denyWeakUploads writes the encryption statements of the bucket policy:
// an upload must ask for SSE-KMS, and may name no key but this one.
func (b *PhiBucket) denyWeakUploads() {
	objects := b.bucket.ArnForObjects(jsii.String("*"))
	notKms := map[string]interface{}{
		"StringNotEquals": map[string]interface{}{"s3:x-amz-server-side-encryption": "aws:kms"},
	}
	if b.scanRole != nil {
		// The scanner writes one validation object (default encryption,
		// this key) when the plan is created.
		notKms["ArnNotEquals"] = map[string]interface{}{"aws:PrincipalArn": b.scanRole.RoleArn()}
	}
	b.require(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyUploadsWithoutSseKms"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  &[]*string{objects},
		Conditions: &notKms,
	}))
	b.require(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyUploadsWithAnotherKey"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  &[]*string{objects},
		Conditions: &map[string]interface{}{
			"Null":            map[string]interface{}{"s3:x-amz-server-side-encryption-aws-kms-key-id": "false"},
			"StringNotEquals": map[string]interface{}{"s3:x-amz-server-side-encryption-aws-kms-key-id": b.key.KeyArn()},
		},
	}))
}

// require adds a statement to the bucket policy and remembers it for the
// synth-time guard.
func (b *PhiBucket) require(stmt awsiam.PolicyStatement) {
	base.AddToBucketPolicy(b.bucket, stmt)
	b.required = append(b.required, stmt)
}

// tagPHI marks a resource that stores PHI or can read it.
func tagPHI(c constructs.IConstruct) {
	awscdk.Tags_Of(c).Add(jsii.String(DataClassificationTag), jsii.String(DataClassificationPHI), nil)
}

// Bucket is the S3 bucket. Changes through it that weaken what PhiBucket
// enforces (a public or unencrypted-upload statement, another key) fail synth.
func (b *PhiBucket) Bucket() awss3.IBucket { return b.bucket }

// BucketName is the bucket's name.
func (b *PhiBucket) BucketName() *string { return b.bucket.BucketName() }

// BucketArn is the bucket's ARN.
func (b *PhiBucket) BucketArn() *string { return b.bucket.BucketArn() }

// EncryptionKey is the customer-managed key of the objects.
func (b *PhiBucket) EncryptionKey() awskms.IKey { return b.key }

// AccessLogBucket is where the server access logs go.
func (b *PhiBucket) AccessLogBucket() awss3.IBucket { return b.accessLogs }

// AccessLogPrefix is the key prefix of the access logs in AccessLogBucket.
func (b *PhiBucket) AccessLogPrefix() *string { return jsii.String(b.logPrefix) }

// MalwareScanRole is the role GuardDuty Malware Protection scans with; nil
// without EnableMalwareScanning.
func (b *PhiBucket) MalwareScanRole() awsiam.IRole { return b.scanRole }

// ReplicationRole is the role S3 replicates with; nil without Replication.
func (b *PhiBucket) ReplicationRole() awsiam.IRole { return b.replicaRole }
