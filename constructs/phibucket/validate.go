package phibucket

import (
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"

	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

const constructName = "PhiBucket"

// settings are the props after defaults are merged and validated.
type settings struct {
	accessLogs      awss3.IBucket
	logPrefix       string // "" = DefaultAccessLogPrefix + id + "/"
	bucketName      *string
	key             awskms.IKey
	noncurrentDays  float64
	replication     *replication
	lockMode        ObjectLockMode // "" = no Object Lock
	lockDays        float64
	nonPhiOptOut    bool
	malwareScanning bool
}

type replication struct {
	bucketArn, keyArn, region string
}

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

func isTrue(b *bool) bool { return b != nil && *b }

// unresolved is awscdk.Token_IsUnresolved without a call into jsii.
func unresolved(s string) bool { return validate.StringToken(s) }

var (
	// bucketNameRe is S3's general-purpose bucket naming rule (no dots: a
	// dotted name breaks virtual-hosted TLS certificates).
	bucketNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	bucketArnRe  = regexp.MustCompile(`^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$`)
	keyArnRe     = regexp.MustCompile(`^arn:aws[a-z-]*:kms:([a-z]{2}(-[a-z]+)+-[0-9]):[0-9]{12}:key/[A-Za-z0-9-]+$`)
)

// resolve merges library defaults with the caller's props and checks the
// result. It reads props and never writes them, and creates no construct.
// stackRegion is the region of the construct's stack (a token when the
// stack is environment-agnostic), asked only for the replication check, so
// resolve itself never calls into jsii.
func resolve(stackRegion func() string, props *PhiBucketProps) (*settings, error) {
	if props == nil {
		return nil, fail("AccessLogBucket", "props are required: AccessLogBucket and one of Replication, ObjectLock or "+
			"DisableReplicationAndObjectLockForNonPhiEnvironment have no default")
	}
	p := *props
	s := &settings{noncurrentDays: DefaultNoncurrentVersionRetentionDays, malwareScanning: isTrue(p.EnableMalwareScanning)}

	// Enforced settings: a request for a weaker bucket is an error.
	if isTrue(p.PublicReadAccess) {
		return nil, fail("PublicReadAccess", "a PHI bucket is never public: all four Block Public Access settings are enforced; "+
			"grant named principals with GrantRead or ReadPolicyStatements instead")
	}
	if p.Versioned != nil && !*p.Versioned {
		return nil, fail("Versioned", "versioning is enforced for PHI (an overwrite or delete must be recoverable) and cannot be turned off")
	}
	switch p.RemovalPolicy {
	case "", awscdk.RemovalPolicy_RETAIN:
	default:
		return nil, fail("RemovalPolicy", "%s: a PHI bucket is always retained when it leaves the stack (RETAIN)", p.RemovalPolicy)
	}

	if err := resolveAccessLogs(&p, s); err != nil {
		return nil, err
	}
	if p.BucketName != nil {
		name := *p.BucketName
		if !unresolved(name) && (!bucketNameRe.MatchString(name) || strings.Contains(name, "--") ||
			strings.HasPrefix(name, "xn--") || strings.HasSuffix(name, "-s3alias")) {
			return nil, fail("BucketName", "%q: 3 to 63 lower-case letters, digits or single hyphens, starting and ending with a letter "+
				"or digit (no dots: they break TLS for virtual-hosted requests)", name)
		}
		s.bucketName = p.BucketName
	}
	if p.EncryptionKey != nil {
		if err := kmskeys.CheckCustomerManaged(p.EncryptionKey); err != nil {
			return nil, fail("EncryptionKey", "%v", err)
		}
		s.key = p.EncryptionKey
	}
	if validate.Token(p.NoncurrentVersionRetentionDays) {
		return nil, fail("NoncurrentVersionRetentionDays", "%s", validate.LiteralRequired("it is checked against S3's limits at synth time"))
	}
	if v := p.NoncurrentVersionRetentionDays; v != nil {
		if !validate.IsWhole(*v) || *v < 1 || *v > MaxRetentionDays {
			return nil, fail("NoncurrentVersionRetentionDays", "%v: must be a whole number of days from 1 to %d", *v, MaxRetentionDays)
		}
		s.noncurrentDays = *v
	}
	return s, resolveProtection(stackRegion, &p, s)
}

func resolveAccessLogs(p *PhiBucketProps, s *settings) error {
	if p.AccessLogBucket == nil {
		return fail("AccessLogBucket", "is required: S3 server access logs of a PHI bucket go to the environment's access-log bucket "+
			"(AuditTrail.AccessLogBucket())")
	}
	if p.AccessLogBucket.EncryptionKey() != nil {
		return fail("AccessLogBucket", "%s uses SSE-KMS default encryption, to which S3 server access logging cannot deliver; "+
			"use an SSE-S3 bucket such as AuditTrail.AccessLogBucket()", *p.AccessLogBucket.Node().Path())
	}
	s.accessLogs = p.AccessLogBucket
	if p.AccessLogPrefix != nil {
		prefix := *p.AccessLogPrefix
		if unresolved(prefix) || prefix == "" || !strings.HasSuffix(prefix, "/") || strings.HasPrefix(prefix, "/") ||
			strings.ContainsAny(prefix, "*?") || len(prefix) > 512 {
			return fail("AccessLogPrefix", "%q: a literal key prefix ending in \"/\" (not starting with one, no wildcards), "+
				"so the log-delivery statement can name exactly it", prefix)
		}
		s.logPrefix = prefix
	}
	return nil
}

// resolveProtection checks the choice between replication and Object Lock.
func resolveProtection(stackRegion func() string, p *PhiBucketProps, s *settings) error {
	s.nonPhiOptOut = isTrue(p.DisableReplicationAndObjectLockForNonPhiEnvironment)
	switch {
	case p.Replication != nil && p.ObjectLock != nil:
		return fail("Replication", "cannot be combined with ObjectLock: choose one way to protect the PHI, "+
			"cross-region replication (a copy in another region) or Object Lock (versions that cannot be deleted)")
	case s.nonPhiOptOut && (p.Replication != nil || p.ObjectLock != nil):
		return fail("DisableReplicationAndObjectLockForNonPhiEnvironment", "contradicts Replication/ObjectLock, which are set; set only one")
	case p.Replication == nil && p.ObjectLock == nil && !s.nonPhiOptOut:
		return fail("Replication", "a PHI bucket needs cross-region Replication or ObjectLock (set one); only an environment that holds "+
			"no PHI may set DisableReplicationAndObjectLockForNonPhiEnvironment instead")
	}
	if p.ObjectLock != nil {
		return resolveObjectLock(p.ObjectLock, s)
	}
	if p.Replication != nil {
		return resolveReplication(stackRegion, p.Replication, s)
	}
	return nil
}

func resolveObjectLock(l *ObjectLockProps, s *settings) error {
	switch l.Mode {
	case "":
		s.lockMode = DefaultObjectLockMode
	case ObjectLockGovernance, ObjectLockCompliance:
		s.lockMode = l.Mode
	default:
		return fail("ObjectLock.Mode", "%q: use ObjectLockGovernance or ObjectLockCompliance", l.Mode)
	}
	if l.RetentionDays == nil {
		return fail("ObjectLock.RetentionDays", "is required: the days each new object version stays locked (1 to %d)", MaxRetentionDays)
	}
	if validate.Token(l.RetentionDays) {
		return fail("ObjectLock.RetentionDays", "%s", validate.LiteralRequired("it is checked against S3 Object Lock's limits at synth time"))
	}
	if d := *l.RetentionDays; !validate.IsWhole(d) || d < 1 || d > MaxRetentionDays {
		return fail("ObjectLock.RetentionDays", "%v: must be a whole number of days from 1 to %d (S3 Object Lock's limit)", d, MaxRetentionDays)
	}
	s.lockDays = *l.RetentionDays
	return nil
}

func resolveReplication(stackRegion func() string, r *ReplicationProps, s *settings) error {
	if r.DestinationBucketArn == nil || unresolved(*r.DestinationBucketArn) {
		return fail("Replication.DestinationBucketArn", "is required as a literal ARN (arn:aws:s3:::<bucket>): a bucket in another "+
			"region cannot be a CloudFormation reference")
	}
	if !bucketArnRe.MatchString(*r.DestinationBucketArn) {
		return fail("Replication.DestinationBucketArn", "%q is not an S3 bucket ARN (arn:aws:s3:::<bucket>)", *r.DestinationBucketArn)
	}
	if r.DestinationKeyArn == nil || unresolved(*r.DestinationKeyArn) {
		return fail("Replication.DestinationKeyArn", "is required as a literal key ARN (arn:aws:kms:<region>:<account>:key/<id>): "+
			"the replicas are encrypted with a customer-managed key of the destination region")
	}
	key := *r.DestinationKeyArn
	if strings.Contains(key, ":alias/") {
		if strings.Contains(key, ":alias/aws/") {
			return fail("Replication.DestinationKeyArn", "%s is an AWS managed key: PHI replicas are encrypted only with a customer-managed key", key)
		}
		return fail("Replication.DestinationKeyArn", "%s is a KMS alias; S3 replication needs the key's ARN", key)
	}
	m := keyArnRe.FindStringSubmatch(key)
	if m == nil {
		return fail("Replication.DestinationKeyArn", "%q is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)", key)
	}
	region := m[1]
	if own := stackRegion(); !unresolved(own) && own == region {
		return fail("Replication.DestinationKeyArn", "the replica key is in %s, this bucket's own region: cross-region replication "+
			"needs the replica bucket and its key in another region", region)
	}
	if s.bucketName != nil && !unresolved(*s.bucketName) && strings.HasSuffix(*r.DestinationBucketArn, ":::"+*s.bucketName) {
		return fail("Replication.DestinationBucketArn", "names this bucket itself; replicate to a bucket in another region")
	}
	s.replication = &replication{bucketArn: *r.DestinationBucketArn, keyArn: key, region: region}
	return nil
}
