package assertions_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
)

// AuditTrail on a caller's key, topic and trail bucket (a log-archive style
// setup): it creates none of them, gives each the statements its service
// needs, and stays HIPAA-clean.
var auditExisting = newFixture("audit-existing", func(app awscdk.App) {
	stack := awscdk.NewStack(app, jsii.String("AuditExisting"), nil)
	key := kmskeys.New(stack, "OrgKey", "caller-supplied audit key")
	topic := awssns.NewTopic(stack, jsii.String("OpsTopic"), &awssns.TopicProps{MasterKey: key, EnforceSSL: jsii.Bool(true)})
	logs := awss3.NewBucket(stack, jsii.String("OrgAccessLogs"), &awss3.BucketProps{
		Encryption: awss3.BucketEncryption_S3_MANAGED, Versioned: jsii.Bool(true), EnforceSSL: jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(), RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	trailBucket := awss3.NewBucket(stack, jsii.String("OrgTrailBucket"), &awss3.BucketProps{
		EncryptionKey: key, Versioned: jsii.Bool(true), EnforceSSL: jsii.Bool(true), ObjectLockEnabled: jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(), ServerAccessLogsBucket: logs, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
		EncryptionKey: key, AlarmTopic: topic, TrailBucket: trailBucket, AccessLogBucket: logs,
	})
	// The caller's buckets stand in for a log-archive account's; replication
	// is that account's concern, not this fixture's.
	// S3 server access logging cannot deliver to SSE-KMS, as for AuditTrail's own.
	for _, b := range []awss3.Bucket{logs, trailBucket} {
		cdknag.NagSuppressions_AddResourceSuppressions(b, &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("HIPAA.Security-S3BucketReplicationEnabled"), Reason: jsii.String("test fixture: a caller's bucket"),
		}}, jsii.Bool(true))
	}
	cdknag.NagSuppressions_AddResourceSuppressions(logs, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("HIPAA.Security-S3DefaultEncryptionKMS"), Reason: jsii.String("test fixture: access logs need SSE-S3"),
	}}, jsii.Bool(true))
})

func TestAuditTrailUsesExistingResources(t *testing.T) {
	requireNagClean(t, auditExisting)
	tmpl := auditExisting.get(t).template(t, "AuditExisting")
	if n := len(resourcesOf(tmpl, "AWS::KMS::Key")); n != 1 {
		t.Errorf("%d KMS keys; want only the caller's (no audit key, no topic key)", n)
	}
	if n := len(resourcesOf(tmpl, "AWS::SNS::Topic")); n != 1 {
		t.Errorf("%d topics; want only the caller's", n)
	}
	// The trail bucket is the caller's; AuditTrail adds only its Config bucket.
	if n := len(resourcesOf(tmpl, "AWS::S3::Bucket")); n != 3 {
		t.Errorf("%d buckets; want the caller's two and the Config bucket", n)
	}
	_, trail := only(t, resourcesOf(tmpl, "AWS::CloudTrail::Trail"), "AWS::CloudTrail::Trail")
	if got := refTo(props(trail)["S3BucketName"]); !strings.HasPrefix(got, "OrgTrailBucket") {
		t.Errorf("trail writes to %q, want the caller's OrgTrailBucket", got)
	}
	_, key := only(t, resourcesOf(tmpl, "AWS::KMS::Key"), "AWS::KMS::Key")
	policy := jsonOf(props(key)["KeyPolicy"])
	for _, sid := range []string{"AllowCloudTrailToEncryptForThisTrailOnly", "AllowCloudWatchLogsInThisAccountAndRegion", "AllowAlarmAndEventPublishersToUseTheTopicKey"} {
		if !strings.Contains(policy, sid) {
			t.Errorf("the caller's key policy lacks %s", sid)
		}
	}
	bucketPolicies := jsonOf(resourcesOf(tmpl, "AWS::S3::BucketPolicy"))
	if !strings.Contains(bucketPolicies, "AWSCloudTrailWrite") {
		t.Error("the caller's trail bucket policy lacks AWSCloudTrailWrite")
	}
	topicPolicies := jsonOf(resourcesOf(tmpl, "AWS::SNS::TopicPolicy"))
	if !strings.Contains(topicPolicies, "AllowThisAccountsAlarmsToPublish") {
		t.Error("the caller's topic policy lacks AllowThisAccountsAlarmsToPublish")
	}
}

// Config, GuardDuty and Security Hub are one per account and region.
func TestAuditTrailIsOnePerAccountAndRegion(t *testing.T) {
	t.Run("two in one agnostic stack", func(t *testing.T) {
		expectValidationError(t, func(app awscdk.App) {
			stack := awscdk.NewStack(app, jsii.String("S"), nil)
			audittrail.NewAuditTrail(stack, jsii.String("A"), nil)
			audittrail.NewAuditTrail(stack, jsii.String("B"), nil)
		}, "AuditTrail", "S/B and S/A", "AWS Config configuration recorder", "GuardDuty detector")
	})
	t.Run("two pinned to one account and region", func(t *testing.T) {
		expectValidationError(t, func(app awscdk.App) {
			env := &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")}}
			audittrail.NewAuditTrail(awscdk.NewStack(app, jsii.String("One"), env), jsii.String("A"), nil)
			audittrail.NewAuditTrail(awscdk.NewStack(app, jsii.String("Two"), env), jsii.String("B"), nil)
		}, "Two/B and One/A", "111122223333/eu-west-1")
	})
	t.Run("a second trail that adopts the recorder and detector passes", func(t *testing.T) {
		app := newApp(t)
		stack := awscdk.NewStack(app, jsii.String("S"), nil)
		audittrail.NewAuditTrail(stack, jsii.String("A"), nil)
		audittrail.NewAuditTrail(stack, jsii.String("B"), &audittrail.AuditTrailProps{UseExistingRecorder: jsii.Bool(true), DisableGuardDuty: jsii.Bool(true)})
		app.Synth(nil)
	})
}
