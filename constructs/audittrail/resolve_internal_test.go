package audittrail

import (
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/fakes"
)

const packUri = "s3://config-packs/Operational-Best-Practices-for-HIPAA-Security.yaml"

func TestResolveRefusesBadProps(t *testing.T) {
	type P = AuditTrailProps
	yes := jsii.Bool(true)
	bucket := &fakes.Bucket{}
	fakes.CheckPartialRefusals(t, "AuditTrail", resolve, []fakes.Refusal[*AuditTrailProps]{
		{"retention token", &P{RetentionDays: jsii.Number(fakes.NumberToken)}, "RetentionDays", "literal number"},
		{"log retention token", &P{LogGroupRetentionDays: jsii.Number(fakes.NumberToken)}, "LogGroupRetentionDays", "literal number"},
		{"lock token", &P{ObjectLockRetentionDays: jsii.Number(fakes.NumberToken)}, "ObjectLockRetentionDays", "literal number"},
		{"trail name too short", &P{TrailName: jsii.String("ab")}, "TrailName", `"ab": must be 3-128`},
		{"trail name with a space", &P{TrailName: jsii.String("my trail")}, "TrailName", "must be 3-128"},
		{"retention below the floor", &P{RetentionDays: jsii.Number(364), AllowRetentionShorterThanSixYears: yes}, "RetentionDays", "from 365 to 36500"},
		{"retention above S3's limit", &P{RetentionDays: jsii.Number(36501)}, "RetentionDays", "from 365 to 36500"},
		{"fractional retention", &P{RetentionDays: jsii.Number(2192.5)}, "RetentionDays", "whole number"},
		{"retention under six years", &P{RetentionDays: jsii.Number(2000)}, "RetentionDays", "shorter than HIPAA's six-year retention (2192 days)"},
		{"log retention not a CloudWatch value", &P{LogGroupRetentionDays: jsii.Number(42)}, "LogGroupRetentionDays", "2192"},
		{"log retention under six years", &P{LogGroupRetentionDays: jsii.Number(365)}, "LogGroupRetentionDays", "AllowRetentionShorterThanSixYears"},
		{"lock of zero days", &P{ObjectLockRetentionDays: jsii.Number(0)}, "ObjectLockRetentionDays", "at least 1"},
		{"lock longer than retention", &P{ObjectLockRetentionDays: jsii.Number(3000)}, "ObjectLockRetentionDays", "longer than the lifecycle expiry (RetentionDays = 2192)"},
		{"nil data bucket", &P{DataEventBuckets: &[]awss3.IBucket{nil}}, "DataEventBuckets", "nil bucket"},
		{"data buckets and all", &P{DataEventBuckets: &[]awss3.IBucket{bucket}, AllS3DataEvents: yes}, "DataEventBuckets", "cannot be combined with AllS3DataEvents"},
		{"nil email", &P{AlarmEmails: &[]*string{nil}}, "AlarmEmails", "nil entry"},
		{"email twice", &P{AlarmEmails: jsii.Strings("ops@example.com", "OPS@example.com")}, "AlarmEmails", "listed twice"},
		{"email with a name", &P{AlarmEmails: jsii.Strings("Ops <ops@example.com>")}, "AlarmEmails", "not a plain email address"},
		{"email without a domain", &P{AlarmEmails: jsii.Strings("ops@localhost")}, "AlarmEmails", "not a plain email address"},
		{"nil endpoint", &P{AlarmHttpsEndpoints: &[]*string{nil}}, "AlarmHttpsEndpoints", "nil entry"},
		{"endpoint twice", &P{AlarmHttpsEndpoints: jsii.Strings("https://h.example.com/a", "https://h.example.com/a")}, "AlarmHttpsEndpoints", "listed twice"},
		{"http endpoint", &P{AlarmHttpsEndpoints: jsii.Strings("http://h.example.com/a")}, "AlarmHttpsEndpoints", "must be an https:// URL"},
		{"endpoint without host", &P{AlarmHttpsEndpoints: jsii.Strings("https:///a")}, "AlarmHttpsEndpoints", "with a host"},
		{"pack without template", &P{UseHipaaConformancePack: yes}, "ConformancePackTemplateS3Uri", "is required with UseHipaaConformancePack"},
		{"pack template blank", &P{UseHipaaConformancePack: yes, ConformancePackTemplateS3Uri: jsii.String(" ")}, "ConformancePackTemplateS3Uri", "is required"},
		{"pack template https", &P{UseHipaaConformancePack: yes, ConformancePackTemplateS3Uri: jsii.String("https://x/y.yaml")}, "ConformancePackTemplateS3Uri", "must be an s3:// URI"},
		{"template without pack", &P{ConformancePackTemplateS3Uri: jsii.String(packUri)}, "ConformancePackTemplateS3Uri", "UseHipaaConformancePack is not"},
		{"aws managed key", &P{EncryptionKey: &fakes.Alias{Name: "alias/aws/s3"}}, "EncryptionKey", "AWS managed key"},
		{"topic and emails", &P{AlarmTopic: &fakes.Topic{}, AlarmEmails: jsii.Strings("ops@example.com")}, "AlarmTopic", "cannot be combined with AlarmEmails"},
		{"topic and endpoints", &P{AlarmTopic: &fakes.Topic{}, AlarmHttpsEndpoints: jsii.Strings("https://h.example.com")}, "AlarmTopic", "AlarmHttpsEndpoints"},
		{"unencrypted topic of the app", &P{AlarmTopic: &fakes.Topic{N: fakes.Node{Child: fakes.CfnTopic{}}}}, "AlarmTopic", "is not KMS-encrypted"},
		{"trail bucket and lock days", &P{TrailBucket: bucket, ObjectLockRetentionDays: jsii.Number(30)}, "TrailBucket", "Object Lock on your bucket"},
		{"trail bucket and lock mode", &P{TrailBucket: bucket, ObjectLockComplianceMode: jsii.Bool(false)}, "TrailBucket", "ObjectLockComplianceMode"},
		{"config bucket and existing recorder", &P{ConfigBucket: bucket, UseExistingRecorder: yes}, "ConfigBucket", "no delivery channel"},
		{"access logs of no bucket", &P{AccessLogBucket: bucket, TrailBucket: bucket, ConfigBucket: &fakes.Bucket{}}, "AccessLogBucket", "has no effect"},
		{"access logs with existing recorder", &P{AccessLogBucket: bucket, TrailBucket: bucket, UseExistingRecorder: yes}, "AccessLogBucket", "has no effect"},
	})
}

func TestResolveAppliesDefaultsAndKeepsValues(t *testing.T) {
	type P = AuditTrailProps
	yes := jsii.Bool(true)
	defaults := func(s *settings) bool {
		return s.trailName == "" && s.retentionDays == DefaultRetentionDays && s.logGroupDays == DefaultLogGroupRetentionDays &&
			s.lockDays == DefaultRetentionDays && !s.complianceLock && !s.allS3DataEvents && !s.insights && !s.existingRecorder &&
			s.globalResources && !s.conformancePack && s.guardDuty && !s.securityHub && s.key == nil && s.topic == nil &&
			s.trailBucket == nil && s.configBucket == nil && s.accessLogBucket == nil && s.emails == nil && s.httpsEndpoints == nil
	}
	bucket, other := &fakes.Bucket{}, &fakes.Bucket{}
	encrypted := &fakes.Topic{Key: &fakes.Key{}, N: fakes.Node{Child: fakes.CfnTopic{}}}
	fakes.CheckResolutions(t, resolve, []fakes.Resolution[*AuditTrailProps, settings]{
		{"nil props", nil, defaults},
		{"empty props", &P{}, defaults},
		{"switches", &P{ObjectLockComplianceMode: yes, AllS3DataEvents: yes, EnableInsights: yes, UseExistingRecorder: yes,
			DisableGlobalResourceRecording: yes, DisableGuardDuty: yes, EnableSecurityHub: yes}, func(s *settings) bool {
			return s.complianceLock && s.allS3DataEvents && s.insights && s.existingRecorder && !s.globalResources && !s.guardDuty && s.securityHub
		}},
		{"trail name kept", &P{TrailName: jsii.String("org.audit-trail_1")}, func(s *settings) bool { return s.trailName == "org.audit-trail_1" }},
		{"trail name token kept", &P{TrailName: jsii.String(fakes.StringToken)}, func(s *settings) bool { return s.trailName == fakes.StringToken }},
		{"seven years", &P{RetentionDays: jsii.Number(2557), LogGroupRetentionDays: jsii.Number(2557)}, func(s *settings) bool {
			return s.retentionDays == 2557 && s.logGroupDays == 2557 && s.lockDays == 2557
		}},
		{"shorter where allowed", &P{RetentionDays: jsii.Number(365), LogGroupRetentionDays: jsii.Number(30), AllowRetentionShorterThanSixYears: yes},
			func(s *settings) bool { return s.retentionDays == 365 && s.logGroupDays == 30 && s.lockDays == 365 }},
		{"lock shorter than retention", &P{ObjectLockRetentionDays: jsii.Number(365)}, func(s *settings) bool { return s.lockDays == 365 }},
		{"lock as long as retention", &P{ObjectLockRetentionDays: jsii.Number(2192)}, func(s *settings) bool { return s.lockDays == 2192 }},
		{"data buckets kept", &P{DataEventBuckets: &[]awss3.IBucket{bucket, other}}, func(s *settings) bool {
			return len(s.dataBuckets) == 2 && s.dataBuckets[0] == bucket && s.dataBuckets[1] == other
		}},
		{"subscriptions kept", &P{AlarmEmails: jsii.Strings("ops@example.com", fakes.StringToken), AlarmHttpsEndpoints: jsii.Strings("https://h.example.com/hook", fakes.StringToken)},
			func(s *settings) bool {
				return slices.Equal(s.emails, []string{"ops@example.com", fakes.StringToken}) &&
					slices.Equal(s.httpsEndpoints, []string{"https://h.example.com/hook", fakes.StringToken})
			}},
		{"conformance pack", &P{UseHipaaConformancePack: yes, ConformancePackTemplateS3Uri: jsii.String(packUri)},
			func(s *settings) bool { return s.conformancePack && s.packTemplateS3Uri == packUri }},
		{"conformance pack template token", &P{UseHipaaConformancePack: yes, ConformancePackTemplateS3Uri: jsii.String(fakes.StringToken)},
			func(s *settings) bool { return s.packTemplateS3Uri == fakes.StringToken }},
		{"existing key", &P{EncryptionKey: &fakes.Key{Arn: "arn:aws:kms:us-east-1:111122223333:key/k"}}, func(s *settings) bool { return s.key != nil }},
		{"encrypted topic of the app", &P{AlarmTopic: encrypted}, func(s *settings) bool { return s.topic == encrypted }},
		// An imported topic's encryption cannot be read at synth.
		{"imported topic", &P{AlarmTopic: &fakes.Topic{}}, func(s *settings) bool { return s.topic != nil }},
		{"existing buckets", &P{TrailBucket: bucket, ConfigBucket: other}, func(s *settings) bool {
			return s.trailBucket == bucket && s.configBucket == other && s.accessLogBucket == nil
		}},
		{"access logs of the config bucket", &P{TrailBucket: bucket, AccessLogBucket: other}, func(s *settings) bool { return s.accessLogBucket == other }},
	})
}
