package assertions_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
)

func TestAuditTrailRejectsBadInput(t *testing.T) {
	yes := jsii.Bool(true)
	// A bucket from elsewhere: validation must fail before it is used.
	refs := awscdk.NewStack(newApp(t), jsii.String("Data"), nil)
	phi := awss3.Bucket_FromBucketName(refs, jsii.String("Phi"), jsii.String("example-phi"))
	plainTopic := awssns.NewTopic(refs, jsii.String("Plain"), nil)
	importedTopic := awssns.Topic_FromTopicArn(refs, jsii.String("Ops"), jsii.String("arn:aws:sns:us-east-1:111122223333:ops"))
	cases := []struct {
		name  string
		props *audittrail.AuditTrailProps
		want  []string
	}{
		{"retention under six years", &audittrail.AuditTrailProps{RetentionDays: jsii.Number(1827)},
			[]string{"RetentionDays", "six-year", "AllowRetentionShorterThanSixYears"}},
		{"retention under the floor even with override", &audittrail.AuditTrailProps{RetentionDays: jsii.Number(180), AllowRetentionShorterThanSixYears: yes},
			[]string{"RetentionDays", "365"}},
		{"fractional retention", &audittrail.AuditTrailProps{RetentionDays: jsii.Number(2192.5)}, []string{"RetentionDays", "whole"}},
		{"log group retention under six years", &audittrail.AuditTrailProps{LogGroupRetentionDays: jsii.Number(365)},
			[]string{"LogGroupRetentionDays", "AllowRetentionShorterThanSixYears"}},
		{"log group retention CloudWatch refuses", &audittrail.AuditTrailProps{LogGroupRetentionDays: jsii.Number(2200)},
			[]string{"LogGroupRetentionDays", "2192"}},
		{"object lock longer than expiry", &audittrail.AuditTrailProps{ObjectLockRetentionDays: jsii.Number(2557)},
			[]string{"ObjectLockRetentionDays", "lifecycle expiry"}},
		{"object lock longer than shortened expiry", &audittrail.AuditTrailProps{RetentionDays: jsii.Number(400), AllowRetentionShorterThanSixYears: yes, ObjectLockRetentionDays: jsii.Number(2192)},
			[]string{"ObjectLockRetentionDays", "400"}},
		{"zero object lock", &audittrail.AuditTrailProps{ObjectLockRetentionDays: jsii.Number(0)}, []string{"ObjectLockRetentionDays"}},
		{"invalid email", &audittrail.AuditTrailProps{AlarmEmails: jsii.Strings("security.example.com")}, []string{"AlarmEmails", "security.example.com"}},
		{"email with display name", &audittrail.AuditTrailProps{AlarmEmails: jsii.Strings("Security <security@example.com>")}, []string{"AlarmEmails", "display name"}},
		{"email without domain dot", &audittrail.AuditTrailProps{AlarmEmails: jsii.Strings("root@localhost")}, []string{"AlarmEmails"}},
		{"http endpoint", &audittrail.AuditTrailProps{AlarmHttpsEndpoints: jsii.Strings("http://hooks.example.com/x")}, []string{"AlarmHttpsEndpoints", "https://"}},
		{"endpoint without host", &audittrail.AuditTrailProps{AlarmHttpsEndpoints: jsii.Strings("https:///x")}, []string{"AlarmHttpsEndpoints"}},
		{"bad trail name", &audittrail.AuditTrailProps{TrailName: jsii.String("my trail!")}, []string{"TrailName"}},
		{"pack without template", &audittrail.AuditTrailProps{UseHipaaConformancePack: yes}, []string{"ConformancePackTemplateS3Uri", "UseHipaaConformancePack"}},
		{"pack template not s3", &audittrail.AuditTrailProps{UseHipaaConformancePack: yes, ConformancePackTemplateS3Uri: jsii.String("https://x/y.yaml")},
			[]string{"ConformancePackTemplateS3Uri", "s3://"}},
		{"pack template without the option", &audittrail.AuditTrailProps{ConformancePackTemplateS3Uri: jsii.String("s3://b/k.yaml")},
			[]string{"ConformancePackTemplateS3Uri", "UseHipaaConformancePack"}},
		{"all data events plus buckets", &audittrail.AuditTrailProps{AllS3DataEvents: yes, DataEventBuckets: &[]awss3.IBucket{phi}},
			[]string{"DataEventBuckets", "AllS3DataEvents"}},
		{"nil data event bucket", &audittrail.AuditTrailProps{DataEventBuckets: &[]awss3.IBucket{nil}}, []string{"DataEventBuckets", "nil"}},
		{"duplicate email", &audittrail.AuditTrailProps{AlarmEmails: jsii.Strings("ops@example.com", "Ops@example.com")}, []string{"AlarmEmails", "twice"}},
		{"duplicate endpoint", &audittrail.AuditTrailProps{AlarmHttpsEndpoints: jsii.Strings("https://h.example.com/a", "https://h.example.com/a")},
			[]string{"AlarmHttpsEndpoints", "twice"}},
		{"retention beyond object lock's limit", &audittrail.AuditTrailProps{RetentionDays: jsii.Number(36501)}, []string{"RetentionDays", "36500"}},
		{"retention token", &audittrail.AuditTrailProps{RetentionDays: numberToken("Days")}, []string{"RetentionDays", "literal"}},
		{"log group retention token", &audittrail.AuditTrailProps{LogGroupRetentionDays: numberToken("Days")}, []string{"LogGroupRetentionDays", "literal"}},
		{"object lock token", &audittrail.AuditTrailProps{ObjectLockRetentionDays: numberToken("Days")}, []string{"ObjectLockRetentionDays", "literal"}},
		{"aws managed key", &audittrail.AuditTrailProps{EncryptionKey: awskms.Alias_FromAliasName(refs, jsii.String("Ct"), jsii.String("alias/aws/cloudtrail"))},
			[]string{"EncryptionKey", "AWS managed"}},
		{"topic and emails", &audittrail.AuditTrailProps{AlarmTopic: importedTopic, AlarmEmails: jsii.Strings("ops@example.com")}, []string{"AlarmTopic", "AlarmEmails"}},
		{"unencrypted topic", &audittrail.AuditTrailProps{AlarmTopic: plainTopic}, []string{"AlarmTopic", "not KMS-encrypted"}},
		{"trail bucket and object lock props", &audittrail.AuditTrailProps{TrailBucket: phi, ObjectLockComplianceMode: yes}, []string{"TrailBucket", "ObjectLockComplianceMode"}},
		{"config bucket without a recorder", &audittrail.AuditTrailProps{ConfigBucket: phi, UseExistingRecorder: yes}, []string{"ConfigBucket", "UseExistingRecorder"}},
		{"access log bucket with nothing to log", &audittrail.AuditTrailProps{TrailBucket: phi, UseExistingRecorder: yes, AccessLogBucket: phi},
			[]string{"AccessLogBucket", "no effect"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectSynthError(t, func(stack awscdk.Stack) {
				audittrail.NewAuditTrail(stack, jsii.String("Audit"), c.props)
			}, append([]string{"AuditTrail"}, c.want...)...)
		})
	}
}

func TestAuditTrailDoesNotMutateProps(t *testing.T) {
	props := &audittrail.AuditTrailProps{AlarmEmails: jsii.Strings("ops@example.com")}
	before := *props
	app := newApp(t)
	audittrail.NewAuditTrail(awscdk.NewStack(app, jsii.String("S"), nil), jsii.String("Audit"), props)
	if !reflect.DeepEqual(*props, before) {
		t.Errorf("NewAuditTrail changed the caller's props: %+v", *props)
	}
}
