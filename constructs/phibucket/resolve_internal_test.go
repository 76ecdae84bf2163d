package phibucket

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/fakes"
)

const (
	replicaBucket = "arn:aws:s3:::phi-replica-west"
	replicaKey    = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// inEast is a stack in us-east-1; agnostic one without a region.
func inEast() string   { return "us-east-1" }
func agnostic() string { return "${Token[AWS.Region.9]}" }

// inRegion is props resolved in a stack whose region is region(): a
// replica must be in another region, unless the stack's is a token.
type inRegion struct {
	region func() string
	props  *PhiBucketProps
}

// withLogs is props with an SSE-S3 access-log bucket and the non-PHI opt
// out, changed by mod.
func withLogs(mod func(*PhiBucketProps)) *PhiBucketProps {
	p := &PhiBucketProps{AccessLogBucket: &fakes.Bucket{}, DisableReplicationAndObjectLockForNonPhiEnvironment: jsii.Bool(true)}
	if mod != nil {
		mod(p)
	}
	return p
}

// replicated and locked are withLogs with Replication or ObjectLock in place
// of the opt out.
func replicated(r *ReplicationProps, mod func(*PhiBucketProps)) *PhiBucketProps {
	return withLogs(func(p *PhiBucketProps) {
		p.DisableReplicationAndObjectLockForNonPhiEnvironment, p.Replication = nil, r
		if mod != nil {
			mod(p)
		}
	})
}

func locked(l *ObjectLockProps) *PhiBucketProps {
	return withLogs(func(p *PhiBucketProps) { p.DisableReplicationAndObjectLockForNonPhiEnvironment, p.ObjectLock = nil, l })
}

func TestResolveRefusesBadProps(t *testing.T) {
	type P = PhiBucketProps
	repl := func(bucket, key string) *ReplicationProps {
		return &ReplicationProps{DestinationBucketArn: jsii.String(bucket), DestinationKeyArn: jsii.String(key)}
	}
	fakes.CheckPartialRefusals(t, "PhiBucket", func(p *PhiBucketProps) (*settings, error) { return resolve(inEast, p) }, []fakes.Refusal[*PhiBucketProps]{
		{"nil props", nil, "AccessLogBucket", "props are required"},
		{"empty props", &P{}, "AccessLogBucket", "is required"},
		{"public", withLogs(func(p *P) { p.PublicReadAccess = jsii.Bool(true) }), "PublicReadAccess", "never public"},
		{"unversioned", withLogs(func(p *P) { p.Versioned = jsii.Bool(false) }), "Versioned", "cannot be turned off"},
		{"destroyed", withLogs(func(p *P) { p.RemovalPolicy = awscdk.RemovalPolicy_DESTROY }), "RemovalPolicy", "DESTROY: a PHI bucket is always retained"},
		{"kms access-log bucket", withLogs(func(p *P) { p.AccessLogBucket = &fakes.Bucket{Key: &fakes.Key{}, N: fakes.Node{P: "Stack/Logs"}} }),
			"AccessLogBucket", "Stack/Logs uses SSE-KMS"},
		{"prefix token", withLogs(func(p *P) { p.AccessLogPrefix = jsii.String(fakes.StringToken + "/") }), "AccessLogPrefix", "a literal key prefix"},
		{"empty prefix", withLogs(func(p *P) { p.AccessLogPrefix = jsii.String("") }), "AccessLogPrefix", `ending in "/"`},
		{"prefix without slash", withLogs(func(p *P) { p.AccessLogPrefix = jsii.String("logs") }), "AccessLogPrefix", `ending in "/"`},
		{"prefix from the root", withLogs(func(p *P) { p.AccessLogPrefix = jsii.String("/logs/") }), "AccessLogPrefix", "not starting with one"},
		{"prefix wildcard", withLogs(func(p *P) { p.AccessLogPrefix = jsii.String("logs/*/") }), "AccessLogPrefix", "no wildcards"},
		{"dotted name", withLogs(func(p *P) { p.BucketName = jsii.String("phi.records") }), "BucketName", "no dots"},
		{"upper-case name", withLogs(func(p *P) { p.BucketName = jsii.String("PhiRecords") }), "BucketName", "lower-case"},
		{"double hyphen", withLogs(func(p *P) { p.BucketName = jsii.String("phi--records") }), "BucketName", "single hyphens"},
		{"xn-- name", withLogs(func(p *P) { p.BucketName = jsii.String("xn--phi") }), "BucketName", "3 to 63"},
		{"s3alias name", withLogs(func(p *P) { p.BucketName = jsii.String("phi-s3alias") }), "BucketName", "3 to 63"},
		{"aws managed key", withLogs(func(p *P) { p.EncryptionKey = &fakes.Alias{Name: "alias/aws/s3"} }), "EncryptionKey", "AWS managed key"},
		{"noncurrent token", withLogs(func(p *P) { p.NoncurrentVersionRetentionDays = jsii.Number(fakes.NumberToken) }), "NoncurrentVersionRetentionDays", "literal number"},
		{"noncurrent zero", withLogs(func(p *P) { p.NoncurrentVersionRetentionDays = jsii.Number(0) }), "NoncurrentVersionRetentionDays", "from 1 to 36500"},
		{"noncurrent fractional", withLogs(func(p *P) { p.NoncurrentVersionRetentionDays = jsii.Number(1.5) }), "NoncurrentVersionRetentionDays", "whole number"},
		{"no protection", withLogs(func(p *P) { p.DisableReplicationAndObjectLockForNonPhiEnvironment = nil }), "Replication", "needs cross-region Replication or ObjectLock"},
		{"both protections", replicated(repl(replicaBucket, replicaKey), func(p *P) { p.ObjectLock = &ObjectLockProps{RetentionDays: jsii.Number(1)} }),
			"Replication", "cannot be combined with ObjectLock"},
		{"protection and opt out", withLogs(func(p *P) { p.ObjectLock = &ObjectLockProps{RetentionDays: jsii.Number(1)} }),
			"DisableReplicationAndObjectLockForNonPhiEnvironment", "contradicts"},
		{"unknown lock mode", locked(&ObjectLockProps{Mode: "LEGAL_HOLD", RetentionDays: jsii.Number(1)}), "ObjectLock.Mode", `"LEGAL_HOLD"`},
		{"lock without days", locked(&ObjectLockProps{}), "ObjectLock.RetentionDays", "is required"},
		{"lock days token", locked(&ObjectLockProps{RetentionDays: jsii.Number(fakes.NumberToken)}), "ObjectLock.RetentionDays", "literal number"},
		{"lock days zero", locked(&ObjectLockProps{RetentionDays: jsii.Number(0)}), "ObjectLock.RetentionDays", "from 1 to 36500"},
		{"lock days too long", locked(&ObjectLockProps{RetentionDays: jsii.Number(36501)}), "ObjectLock.RetentionDays", "from 1 to 36500"},
		{"no destination bucket", replicated(&ReplicationProps{DestinationKeyArn: jsii.String(replicaKey)}, nil), "Replication.DestinationBucketArn", "literal ARN"},
		{"destination bucket token", replicated(repl(fakes.StringToken, replicaKey), nil), "Replication.DestinationBucketArn", "cannot be a CloudFormation reference"},
		{"destination not a bucket arn", replicated(repl("phi-replica-west", replicaKey), nil), "Replication.DestinationBucketArn", "is not an S3 bucket ARN"},
		{"no destination key", replicated(&ReplicationProps{DestinationBucketArn: jsii.String(replicaBucket)}, nil), "Replication.DestinationKeyArn", "literal key ARN"},
		{"destination key token", replicated(repl(replicaBucket, fakes.StringToken), nil), "Replication.DestinationKeyArn", "literal key ARN"},
		{"aws managed replica key", replicated(repl(replicaBucket, "arn:aws:kms:us-west-2:111122223333:alias/aws/s3"), nil), "Replication.DestinationKeyArn", "AWS managed key"},
		{"replica key alias", replicated(repl(replicaBucket, "arn:aws:kms:us-west-2:111122223333:alias/replica"), nil), "Replication.DestinationKeyArn", "is a KMS alias"},
		{"replica key not an arn", replicated(repl(replicaBucket, "1234abcd"), nil), "Replication.DestinationKeyArn", "is not a KMS key ARN"},
		{"replica key in the own region", replicated(repl(replicaBucket, "arn:aws:kms:us-east-1:111122223333:key/k"), nil), "Replication.DestinationKeyArn", "this bucket's own region"},
		{"replicating to itself", replicated(repl(replicaBucket, replicaKey), func(p *P) { p.BucketName = jsii.String("phi-replica-west") }),
			"Replication.DestinationBucketArn", "names this bucket itself"},
	})
}

func TestResolveAppliesDefaultsAndKeepsValues(t *testing.T) {
	type P = PhiBucketProps
	logs := &fakes.Bucket{}
	key := &fakes.Key{Arn: "arn:aws:kms:us-east-1:111122223333:key/k"}
	fakes.CheckResolutions(t, func(in inRegion) (*settings, error) { return resolve(in.region, in.props) }, []fakes.Resolution[inRegion, settings]{
		{"defaults", inRegion{inEast, withLogs(func(p *P) { p.AccessLogBucket = logs })}, func(s *settings) bool {
			return s.accessLogs == logs && s.logPrefix == "" && s.bucketName == nil && s.key == nil &&
				s.noncurrentDays == DefaultNoncurrentVersionRetentionDays && s.replication == nil && s.lockMode == "" && s.nonPhiOptOut && !s.malwareScanning
		}},
		{"enforced values may be restated", inRegion{inEast, withLogs(func(p *P) {
			p.PublicReadAccess, p.Versioned, p.RemovalPolicy = jsii.Bool(false), jsii.Bool(true), awscdk.RemovalPolicy_RETAIN
		})}, func(s *settings) bool { return s.nonPhiOptOut }},
		{"prefix kept", inRegion{inEast, withLogs(func(p *P) { p.AccessLogPrefix = jsii.String("records/2026/") })}, func(s *settings) bool { return s.logPrefix == "records/2026/" }},
		{"name kept", inRegion{inEast, withLogs(func(p *P) { p.BucketName = jsii.String("phi-records-1") })}, func(s *settings) bool { return *s.bucketName == "phi-records-1" }},
		{"name token kept", inRegion{inEast, withLogs(func(p *P) { p.BucketName = jsii.String(fakes.StringToken) })}, func(s *settings) bool { return *s.bucketName == fakes.StringToken }},
		{"key kept", inRegion{inEast, withLogs(func(p *P) { p.EncryptionKey = key })}, func(s *settings) bool { return s.key == key }},
		{"noncurrent kept", inRegion{inEast, withLogs(func(p *P) { p.NoncurrentVersionRetentionDays = jsii.Number(36500) })}, func(s *settings) bool { return s.noncurrentDays == 36500 }},
		{"malware scanning", inRegion{inEast, withLogs(func(p *P) { p.EnableMalwareScanning = jsii.Bool(true) })}, func(s *settings) bool { return s.malwareScanning }},
		{"lock default mode", inRegion{inEast, locked(&ObjectLockProps{RetentionDays: jsii.Number(2192)})}, func(s *settings) bool {
			return s.lockMode == DefaultObjectLockMode && s.lockDays == 2192 && !s.nonPhiOptOut
		}},
		{"compliance lock", inRegion{inEast, locked(&ObjectLockProps{Mode: ObjectLockCompliance, RetentionDays: jsii.Number(1)})}, func(s *settings) bool {
			return s.lockMode == ObjectLockCompliance && s.lockDays == 1
		}},
		{"replication", inRegion{inEast, replicated(&ReplicationProps{DestinationBucketArn: jsii.String(replicaBucket), DestinationKeyArn: jsii.String(replicaKey)}, nil)},
			func(s *settings) bool {
				r := s.replication
				return r != nil && r.bucketArn == replicaBucket && r.keyArn == replicaKey && r.region == "us-west-2"
			}},
		// An environment-agnostic stack's region is a token: not compared.
		{"replication from an agnostic stack", inRegion{agnostic, replicated(&ReplicationProps{
			DestinationBucketArn: jsii.String(replicaBucket), DestinationKeyArn: jsii.String("arn:aws:kms:us-east-1:111122223333:key/k"),
		}, nil)}, func(s *settings) bool { return s.replication.region == "us-east-1" }},
	})
}

// The stack's region is asked for only by the replication check.
func TestResolveAsksForTheRegionOnlyToReplicate(t *testing.T) {
	if _, err := resolve(func() string { panic("asked for the region") }, locked(&ObjectLockProps{RetentionDays: jsii.Number(1)})); err != nil {
		t.Fatal(err)
	}
}
