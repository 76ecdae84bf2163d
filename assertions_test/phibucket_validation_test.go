package assertions_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phibucket"
)

// goodBucketProps are valid props with an imported (resource-free) log bucket.
func goodBucketProps(stack awscdk.Stack) *phibucket.PhiBucketProps {
	return &phibucket.PhiBucketProps{
		AccessLogBucket: awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("access-logs")),
		ObjectLock:      &phibucket.ObjectLockProps{RetentionDays: jsii.Number(30)},
	}
}

// Every prop a caller can get wrong fails at synth, naming PhiBucket and the
// prop, before any resource is created.
func TestPhiBucketRefusesBadProps(t *testing.T) {
	param := func(stack awscdk.Stack) *float64 {
		return awscdk.NewCfnParameter(stack, jsii.String("Days"), &awscdk.CfnParameterProps{Type: jsii.String("Number")}).ValueAsNumber()
	}
	repl := func(bucket, key string) *phibucket.ReplicationProps {
		return &phibucket.ReplicationProps{DestinationBucketArn: jsii.String(bucket), DestinationKeyArn: jsii.String(key)}
	}
	cases := []struct {
		name   string
		change func(stack awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps
		prop   string
		want   string
	}{
		{"nil props", func(awscdk.Stack, *phibucket.PhiBucketProps) *phibucket.PhiBucketProps { return nil }, "AccessLogBucket", "props are required"},
		{"no access-log bucket", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.AccessLogBucket = nil
			return p
		},
			"AccessLogBucket", "is required"},
		{"SSE-KMS access-log bucket", func(stack awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.AccessLogBucket = awss3.Bucket_FromBucketAttributes(stack, jsii.String("KmsLogs"), &awss3.BucketAttributes{
				BucketName: jsii.String("kms-logs"), EncryptionKey: awskms.Key_FromKeyArn(stack, jsii.String("K"), jsii.String(replicaKeyArn))})
			return p
		}, "AccessLogBucket", "SSE-KMS"},
		{"access-log prefix without slash", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.AccessLogPrefix = jsii.String("phi")
			return p
		}, "AccessLogPrefix", `ending in "/"`},
		{"access-log prefix wildcard", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.AccessLogPrefix = jsii.String("*/")
			return p
		}, "AccessLogPrefix", "wildcards"},
		{"public reads", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.PublicReadAccess = jsii.Bool(true)
			return p
		},
			"PublicReadAccess", "never public"},
		{"unversioned", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.Versioned = jsii.Bool(false)
			return p
		},
			"Versioned", "enforced"},
		{"destroy on delete", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.RemovalPolicy = awscdk.RemovalPolicy_DESTROY
			return p
		}, "RemovalPolicy", "RETAIN"},
		{"bucket name upper case", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.BucketName = jsii.String("PHI")
			return p
		},
			"BucketName", "lower-case"},
		{"bucket name with dots", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.BucketName = jsii.String("phi.example.com")
			return p
		}, "BucketName", "no dots"},
		{"AWS managed key", func(stack awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.EncryptionKey = awskms.Alias_FromAliasName(stack, jsii.String("S3Key"), jsii.String("alias/aws/s3"))
			return p
		}, "EncryptionKey", "AWS managed key"},
		{"alias ARN as key", func(stack awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.EncryptionKey = awskms.Key_FromKeyArn(stack, jsii.String("AliasKey"), jsii.String("arn:aws:kms:us-east-1:111111111111:alias/phi"))
			return p
		}, "EncryptionKey", "alias"},
		{"noncurrent days token", func(stack awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.NoncurrentVersionRetentionDays = param(stack)
			return p
		}, "NoncurrentVersionRetentionDays", "literal"},
		{"noncurrent days zero", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.NoncurrentVersionRetentionDays = jsii.Number(0)
			return p
		}, "NoncurrentVersionRetentionDays", "from 1 to 36500"},
		{"noncurrent days fraction", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.NoncurrentVersionRetentionDays = jsii.Number(1.5)
			return p
		}, "NoncurrentVersionRetentionDays", "whole number"},
		{"neither replication nor Object Lock", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock = nil
			return p
		},
			"Replication", "needs cross-region Replication or ObjectLock"},
		{"both replication and Object Lock", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.Replication = repl(replicaBucketArn, replicaKeyArn)
			return p
		}, "Replication", "cannot be combined with ObjectLock"},
		{"opt-out with Object Lock", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.DisableReplicationAndObjectLockForNonPhiEnvironment = jsii.Bool(true)
			return p
		}, "DisableReplicationAndObjectLockForNonPhiEnvironment", "contradicts"},
		{"Object Lock mode unknown", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock = &phibucket.ObjectLockProps{Mode: "LEGAL_HOLD", RetentionDays: jsii.Number(30)}
			return p
		}, "ObjectLock.Mode", "LEGAL_HOLD"},
		{"Object Lock without days", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock = &phibucket.ObjectLockProps{Mode: phibucket.ObjectLockGovernance}
			return p
		}, "ObjectLock.RetentionDays", "is required"},
		{"Object Lock zero days", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock = &phibucket.ObjectLockProps{RetentionDays: jsii.Number(0)}
			return p
		}, "ObjectLock.RetentionDays", "from 1 to 36500"},
		{"Object Lock beyond 100 years", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock = &phibucket.ObjectLockProps{RetentionDays: jsii.Number(36501)}
			return p
		}, "ObjectLock.RetentionDays", "Object Lock's limit"},
		{"Object Lock days token", func(stack awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock = &phibucket.ObjectLockProps{RetentionDays: param(stack)}
			return p
		}, "ObjectLock.RetentionDays", "literal"},
		{"replica bucket missing", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock, p.Replication = nil, &phibucket.ReplicationProps{DestinationKeyArn: jsii.String(replicaKeyArn)}
			return p
		}, "Replication.DestinationBucketArn", "literal ARN"},
		{"replica bucket is a reference", func(stack awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			other := awss3.NewBucket(stack, jsii.String("Other"), nil)
			p.ObjectLock, p.Replication = nil, &phibucket.ReplicationProps{DestinationBucketArn: other.BucketArn(), DestinationKeyArn: jsii.String(replicaKeyArn)}
			return p
		}, "Replication.DestinationBucketArn", "cannot be a CloudFormation reference"},
		{"replica bucket not an ARN", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock, p.Replication = nil, repl("phi-replica", replicaKeyArn)
			return p
		}, "Replication.DestinationBucketArn", "not an S3 bucket ARN"},
		{"replica key missing", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock, p.Replication = nil, &phibucket.ReplicationProps{DestinationBucketArn: jsii.String(replicaBucketArn)}
			return p
		}, "Replication.DestinationKeyArn", "customer-managed key"},
		{"replica key AWS managed", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock, p.Replication = nil, repl(replicaBucketArn, "arn:aws:kms:us-west-2:111111111111:alias/aws/s3")
			return p
		}, "Replication.DestinationKeyArn", "AWS managed key"},
		{"replica key alias", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock, p.Replication = nil, repl(replicaBucketArn, "arn:aws:kms:us-west-2:111111111111:alias/replica")
			return p
		}, "Replication.DestinationKeyArn", "alias"},
		{"replica key not an ARN", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock, p.Replication = nil, repl(replicaBucketArn, "1234abcd-12ab-34cd-56ef-1234567890ab")
			return p
		}, "Replication.DestinationKeyArn", "not a KMS key ARN"},
		{"replica is the bucket itself", func(_ awscdk.Stack, p *phibucket.PhiBucketProps) *phibucket.PhiBucketProps {
			p.ObjectLock, p.BucketName, p.Replication = nil, jsii.String("phi-replica-us-west-2"), repl(replicaBucketArn, replicaKeyArn)
			return p
		}, "Replication.DestinationBucketArn", "names this bucket itself"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stack := awscdk.NewStack(newApp(t), jsii.String("Bad"), nil)
			p := c.change(stack, goodBucketProps(stack)) // what the caller made: a log bucket, a key, a parameter
			before := len(*stack.Node().Children())
			msg := func() (msg string) {
				defer func() {
					if r := recover(); r != nil {
						msg = fmt.Sprint(r)
					}
				}()
				phibucket.NewPhiBucket(stack, jsii.String("Phi"), p)
				return ""
			}()
			for _, w := range []string{"PhiBucket: invalid prop " + c.prop + ":", c.want} {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if n := len(*stack.Node().Children()); n != before {
				t.Errorf("bad input still created %d construct(s); validation must run first", n-before)
			}
		})
	}
}

// Replication to the bucket's own region is refused where the stack's
// region is known; an environment-agnostic stack gets a warning instead.
func TestPhiBucketRefusesReplicationToItsOwnRegion(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("West"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-west-2")},
	})
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		p := goodBucketProps(stack)
		p.ObjectLock = nil
		p.Replication = &phibucket.ReplicationProps{DestinationBucketArn: jsii.String(replicaBucketArn), DestinationKeyArn: jsii.String(replicaKeyArn)}
		phibucket.NewPhiBucket(stack, jsii.String("Phi"), p)
		return ""
	}()
	for _, want := range []string{"PhiBucket: invalid prop Replication.DestinationKeyArn", "us-west-2", "own region"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}

	app := newApp(t)
	agnostic := awscdk.NewStack(app, jsii.String("Agnostic"), nil)
	p := goodBucketProps(agnostic)
	p.ObjectLock = nil
	p.Replication = &phibucket.ReplicationProps{DestinationBucketArn: jsii.String(replicaBucketArn), DestinationKeyArn: jsii.String(replicaKeyArn)}
	phibucket.NewPhiBucket(agnostic, jsii.String("Phi"), p)
	warned := false
	for _, w := range warningsOf(t, app, agnostic) {
		warned = warned || strings.Contains(w, "cannot check that Replication's destination region")
	}
	if !warned {
		t.Error("no warning that the destination region is unchecked in an environment-agnostic stack")
	}
}

// What PhiBucket enforces is checked again at synth, after the caller's own
// changes; the passing side is every PhiBucket fixture, which synthesizes clean.
func TestPhiBucketGuardFailsSynthOnLaterChanges(t *testing.T) {
	build := func(change func(stack awscdk.Stack, b *phibucket.PhiBucket)) func(app awscdk.App) {
		return func(app awscdk.App) {
			stack := awscdk.NewStack(app, jsii.String("S"), nil)
			p := goodBucketProps(stack)
			p.ObjectLock = nil
			p.Replication = &phibucket.ReplicationProps{DestinationBucketArn: jsii.String(replicaBucketArn), DestinationKeyArn: jsii.String(replicaKeyArn)}
			b := phibucket.NewPhiBucket(stack, jsii.String("Phi"), p)
			change(stack, b)
		}
	}
	l1 := func(b *phibucket.PhiBucket) awss3.CfnBucket {
		return b.Bucket().Node().DefaultChild().(awss3.CfnBucket)
	}
	cases := []struct {
		name   string
		change func(stack awscdk.Stack, b *phibucket.PhiBucket)
		want   string
	}{
		{"public read statement", func(_ awscdk.Stack, b *phibucket.PhiBucket) {
			b.Bucket().AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("s3:GetObject"), Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
				Resources: &[]*string{b.Bucket().ArnForObjects(jsii.String("*"))},
			}))
		}, "allows \"s3:GetObject\" to everyone"},
		{"a second bucket policy", func(stack awscdk.Stack, b *phibucket.PhiBucket) {
			other := awscdk.NewStack(stack.Node().Scope().(awscdk.App), jsii.String("Other"), nil)
			awss3.NewCfnBucketPolicy(other, jsii.String("Replace"), &awss3.CfnBucketPolicyProps{
				Bucket: b.BucketName(), PolicyDocument: map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{}},
			})
		}, "Other/Replace is a second bucket policy"},
		{"SSE-S3 instead of the key", func(_ awscdk.Stack, b *phibucket.PhiBucket) {
			l1(b).SetBucketEncryption(&awss3.CfnBucket_BucketEncryptionProperty{
				ServerSideEncryptionConfiguration: &[]interface{}{&awss3.CfnBucket_ServerSideEncryptionRuleProperty{
					ServerSideEncryptionByDefault: &awss3.CfnBucket_ServerSideEncryptionByDefaultProperty{SseAlgorithm: jsii.String("AES256")},
				}},
			})
		}, "no longer SSE-KMS with EncryptionKey"},
		{"versioning suspended", func(_ awscdk.Stack, b *phibucket.PhiBucket) {
			l1(b).SetVersioningConfiguration(&awss3.CfnBucket_VersioningConfigurationProperty{Status: jsii.String("Suspended")})
		}, "versioning is no longer Enabled"},
		{"public access block relaxed", func(_ awscdk.Stack, b *phibucket.PhiBucket) {
			l1(b).SetPublicAccessBlockConfiguration(&awss3.CfnBucket_PublicAccessBlockConfigurationProperty{
				BlockPublicAcls: jsii.Bool(true), IgnorePublicAcls: jsii.Bool(true), BlockPublicPolicy: jsii.Bool(false), RestrictPublicBuckets: jsii.Bool(true),
			})
		}, "blockPublicPolicy is off"},
		{"ACL set", func(_ awscdk.Stack, b *phibucket.PhiBucket) { l1(b).SetAccessControl(jsii.String("PublicRead")) }, "ACLs are back on"},
		{"logging elsewhere", func(_ awscdk.Stack, b *phibucket.PhiBucket) {
			l1(b).SetLoggingConfiguration(&awss3.CfnBucket_LoggingConfigurationProperty{DestinationBucketName: jsii.String("elsewhere")})
		}, "server access logs no longer go to AccessLogBucket"},
		{"removal policy destroy", func(_ awscdk.Stack, b *phibucket.PhiBucket) {
			l1(b).ApplyRemovalPolicy(awscdk.RemovalPolicy_DESTROY, nil)
		}, "no longer retained"},
		{"replication disabled", func(_ awscdk.Stack, b *phibucket.PhiBucket) {
			l1(b).SetReplicationConfiguration(&awss3.CfnBucket_ReplicationConfigurationProperty{
				Role: jsii.String("arn:aws:iam::111111111111:role/r"),
				Rules: &[]interface{}{&awss3.CfnBucket_ReplicationRuleProperty{Status: jsii.String("Disabled"),
					Destination: &awss3.CfnBucket_ReplicationDestinationProperty{Bucket: jsii.String(replicaBucketArn)}}},
			})
		}, "cross-region replication to " + replicaBucketArn + " is no longer enabled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectValidationError(t, build(c.change), "PhiBucket", c.want)
		})
	}
}

func TestPhiBucketGuardObjectLockChanged(t *testing.T) {
	expectValidationError(t, func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("S"), nil)
		b := phibucket.NewPhiBucket(stack, jsii.String("Phi"), goodBucketProps(stack))
		b.Bucket().Node().DefaultChild().(awss3.CfnBucket).SetObjectLockConfiguration(&awss3.CfnBucket_ObjectLockConfigurationProperty{
			ObjectLockEnabled: jsii.String("Enabled"),
			Rule: &awss3.CfnBucket_ObjectLockRuleProperty{DefaultRetention: &awss3.CfnBucket_DefaultRetentionProperty{
				Mode: jsii.String("GOVERNANCE"), Days: jsii.Number(1)}},
		})
	}, "PhiBucket", "Object Lock (GOVERNANCE, 30 days) is no longer")
}
