// Package audittrail provides AuditTrail: the account-and-region audit layer
// of a HIPAA workload. CloudTrail, CloudWatch alarms and AWS Config rules
// track the environment's state; a rule breach notifies an encrypted SNS
// topic with what changed and the one-line action that restores safety.
//
//	audit := audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
//		AlarmEmails:      jsii.Strings("security@example.com"),
//		DataEventBuckets: &[]awss3.IBucket{phiBucket}, // object-level reads and writes
//	})
//	// audit.Topic() receives every alarm; audit.AccessLogBucket() takes the
//	// server access logs of your own buckets.
//
// Existing resources replace the ones it would create (EncryptionKey,
// AlarmTopic, TrailBucket, ConfigBucket, AccessLogBucket), never together
// with the props that would configure them. The value is a construct. See
// README.md in this directory for every prop and default.
//
// Enforced (cannot be turned off): a multi-region trail with global service
// events, log file validation and all management events, encrypted with a
// customer-managed key that CloudTrail may use for this trail only; delivery
// to a CloudWatch log group (KMS, explicit retention) and to an S3 bucket
// with KMS, versioning, Block Public Access, TLS-only policy, no ACLs, server
// access logs, Object Lock and lifecycle; every bucket, key and log group is
// retained on stack deletion; the security alarms; the alarm topic is
// KMS-encrypted and TLS-only.
//
// One per account and region: Config allows one recorder, GuardDuty one
// detector and Security Hub one hub per region. Put AuditTrail in its own
// stack (<env>-audit) and deploy it once per account and region.
package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudtrail"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsguardduty"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecurityhub"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudtrail"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsguardduty"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawssecurityhub"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// AuditTrail is the trail, its buckets and log group, the security alarms,
// AWS Config and threat detection of one account and region.
type AuditTrail struct {
	constructs.Construct
	trailName        string
	trail            awscloudtrail.CfnTrail
	key, topicKey    awskms.IKey
	trailBucket      awss3.IBucket
	accessLogBucket  awss3.IBucket
	configBucket     awss3.IBucket
	logGroup         awslogs.ILogGroup
	topic            awssns.ITopic
	alarms           map[string]awscloudwatch.CfnAlarm
	alarmRefs        map[string]awscloudwatch.IAlarm // made by SecurityAlarms
	recorder         awsconfig.CfnConfigurationRecorder
	configRules      map[string]awsconfig.CfnConfigRule
	conformancePack  awsconfig.CfnConformancePack
	complianceAlerts []awsevents.CfnRule
	threatAlerts     awsevents.CfnRule
	detector         awsguardduty.CfnDetector
	hub              awssecurityhub.CfnHub
}

// NewAuditTrail creates the audit layer. Invalid props panic with a
// *validate.Error that names AuditTrail and the prop, before any resource is
// created.
func NewAuditTrail(scope constructs.Construct, id *string, props *AuditTrailProps) *AuditTrail {
	if scope == nil || id == nil || *id == "" {
		validate.Must(fail("scope/id", "a scope and a non-empty id are required"))
	}
	s, err := resolve(props)
	validate.MustAt(scope, id, err)

	this := &AuditTrail{}
	base.Init(this, scope, id, base.S3ServerAccessLogsUseBucketPolicy)
	c := this
	this.trailName = s.trailName
	if this.trailName == "" {
		this.trailName = *awscdk.Names_UniqueResourceName(c, &awscdk.UniqueResourceNameOptions{
			MaxLength: jsii.Number(128), Separator: jsii.String("-"),
		})
	}
	trailArn := trailArnOf(c, this.trailName)

	key := s.key
	if key == nil {
		key = newAuditKey(c)
	}
	kmskeys.Provide(c, constructName, "EncryptionKey", key, cloudTrailKeyUse(trailArn), kmskeys.CloudWatchLogs)
	this.key = key

	// The access-log bucket serves the buckets AuditTrail creates.
	accessLogs := s.accessLogBucket
	if accessLogs == nil && (s.trailBucket == nil || (s.configBucket == nil && !s.existingRecorder)) {
		accessLogs = newAccessLogBucket(c, s.retentionDays)
	}
	trailBucket := s.trailBucket
	if trailBucket == nil {
		trailBucket = newTrailBucket(c, s, key, accessLogs, trailArn)
	} else {
		existing(c, "TrailBucket", trailBucket, "AWSCloudTrailAclCheck, AWSCloudTrailWrite", func() bool { return allowCloudTrailDelivery(trailBucket, trailArn) })
	}
	group := newTrailLogGroup(c, key, s.logGroupDays)
	this.accessLogBucket, this.trailBucket, this.logGroup = accessLogs, trailBucket, group
	this.trail = newTrail(c, s, this.trailName, key, trailBucket, group)

	topic := s.topic
	if topic == nil {
		this.topicKey = newTopicKey(c)
		topic = newAlarmTopic(c, this.topicKey, s.emails, s.httpsEndpoints)
	} else {
		existing(c, "AlarmTopic", topic, "AllowThisAccountsAlarmsToPublish, AllowThisAccountsEventRulesToPublish", func() bool { return allowAlarmPublishers(topic) })
		if topicKey := topic.MasterKey(); topicKey != nil {
			kmskeys.Provide(c, constructName, "AlarmTopic's key", topicKey, topicKeyUse)
			this.topicKey = topicKey
		}
	}
	this.topic = topic
	this.alarms = newSecurityAlarms(c, group, topic)

	var configReady awscdk.CfnResource // rules wait for the delivery channel
	if !s.existingRecorder {
		configBucket := s.configBucket
		if configBucket == nil {
			configBucket = newConfigBucket(c, s.retentionDays, key, accessLogs)
		} else {
			existing(c, "ConfigBucket", configBucket, "AWSConfigBucketPermissionsCheck, AWSConfigBucketDelivery", func() bool { return allowConfigDelivery(configBucket) })
		}
		this.configBucket = configBucket
		var channel awsconfig.CfnDeliveryChannel
		this.recorder, channel = newRecorder(c, s, key, configBucket)
		configReady = channel
		recorders.Register(c, constructName)
	}
	if s.conformancePack {
		this.conformancePack = newConformancePack(c, s.packTemplateS3Uri, configReady)
	} else {
		this.configRules = newConfigRules(c, configReady)
	}
	this.complianceAlerts = newComplianceAlerts(c, this.configRules, topic)

	if s.guardDuty {
		this.detector = newGuardDuty(c)
		detectors.Register(c, constructName)
	}
	this.threatAlerts = newGuardDutyAlerts(c, topic)
	if s.securityHub {
		this.hub = newSecurityHub(c)
		hubs.Register(c, constructName)
	}
	return this
}

// One per account and region.
var (
	recorders = &base.Singleton{What: "an AWS Config configuration recorder (set UseExistingRecorder on all but one)"}
	detectors = &base.Singleton{What: "a GuardDuty detector (set DisableGuardDuty on all but one)"}
	hubs      = &base.Singleton{What: "a Security Hub hub (set EnableSecurityHub on one only)"}
)

// existing gives a caller's topic or bucket the policy statements its
// service needs: written by add into a resource of this app, or named in a
// synth warning for an imported one, whose policy is outside the app.
func existing(c constructs.IConstruct, prop string, r constructs.IConstruct, sids string, add func() bool) {
	if add() {
		return
	}
	awscdk.Annotations_Of(c).AddWarningV2(jsii.String("hipaa-baseline:importedResourcePolicy"), jsii.String(
		constructName+": "+prop+" is imported; its resource policy, outside this app, must hold the statements "+sids+" (see the audittrail README)"), nil)
}

// Trail is the CloudTrail trail.
func (a *AuditTrail) Trail() interfacesawscloudtrail.ITrailRef { return a.trail }

// TrailName is the trail's name.
func (a *AuditTrail) TrailName() *string { return &a.trailName }

// TrailBucket holds the trail's log files (KMS, Object Lock).
func (a *AuditTrail) TrailBucket() awss3.IBucket { return a.trailBucket }

// AccessLogBucket receives the S3 server access logs of the audit buckets.
func (a *AuditTrail) AccessLogBucket() awss3.IBucket { return a.accessLogBucket }

// ConfigBucket holds AWS Config history; nil with UseExistingRecorder.
func (a *AuditTrail) ConfigBucket() awss3.IBucket { return a.configBucket }

// EncryptionKey encrypts the trail's logs, its log group and the Config
// bucket.
func (a *AuditTrail) EncryptionKey() awskms.IKey { return a.key }

// TopicKey encrypts the alarm topic.
func (a *AuditTrail) TopicKey() awskms.IKey { return a.topicKey }

// Topic receives every alarm and compliance notification; subscribe
// responders to it.
func (a *AuditTrail) Topic() awssns.ITopic { return a.topic }

// LogGroup is the CloudWatch log group the trail delivers to.
func (a *AuditTrail) LogGroup() awslogs.ILogGroup { return a.logGroup }

// SecurityAlarms are the alarms of the catalogue (Alarms()), by AlarmSpec.ID.
// The first call makes a reference to each alarm by its ARN (an
// Alarm.fromAlarmArn construct under AuditTrail, nothing in the template);
// the alarms themselves are CloudFormation resources written without the
// Alarm construct, so that building them costs fewer jsii round trips.
func (a *AuditTrail) SecurityAlarms() map[string]awscloudwatch.IAlarm {
	if a.alarmRefs == nil {
		a.alarmRefs = make(map[string]awscloudwatch.IAlarm, len(a.alarms))
		for _, spec := range Alarms() {
			if cfn, ok := a.alarms[spec.ID]; ok {
				a.alarmRefs[spec.ID] = awscloudwatch.Alarm_FromAlarmArn(a, jsii.String("SecurityAlarmRef"+spec.ID), cfn.AttrArn())
			}
		}
	}
	out := make(map[string]awscloudwatch.IAlarm, len(a.alarmRefs))
	for k, v := range a.alarmRefs {
		out[k] = v
	}
	return out
}

// ConfigRecorder is the Config recorder; nil with UseExistingRecorder.
func (a *AuditTrail) ConfigRecorder() interfacesawsconfig.IConfigurationRecorderRef {
	if a.recorder == nil {
		return nil
	}
	return a.recorder
}

// ManagedConfigRules are the Config rules of the catalogue (ConfigRules()),
// by ConfigRuleSpec.ID; empty with UseHipaaConformancePack.
func (a *AuditTrail) ManagedConfigRules() map[string]interfacesawsconfig.IConfigRuleRef {
	out := make(map[string]interfacesawsconfig.IConfigRuleRef, len(a.configRules))
	for k, v := range a.configRules {
		out[k] = v
	}
	return out
}

// ConformancePack is the HIPAA conformance pack; nil unless
// UseHipaaConformancePack.
func (a *AuditTrail) ConformancePack() interfacesawsconfig.IConformancePackRef {
	if a.conformancePack == nil {
		return nil
	}
	return a.conformancePack
}

// ComplianceAlerts are the EventBridge rules that notify the topic of
// NON_COMPLIANT results.
func (a *AuditTrail) ComplianceAlerts() []interfacesawsevents.IRuleRef {
	out := make([]interfacesawsevents.IRuleRef, len(a.complianceAlerts))
	for i, r := range a.complianceAlerts {
		out[i] = r
	}
	return out
}

// GuardDutyFindingAlerts is the EventBridge rule that notifies the topic of
// high-severity GuardDuty findings.
func (a *AuditTrail) GuardDutyFindingAlerts() interfacesawsevents.IRuleRef { return a.threatAlerts }

// GuardDutyDetector is the detector; nil with DisableGuardDuty.
func (a *AuditTrail) GuardDutyDetector() interfacesawsguardduty.IDetectorRef {
	if a.detector == nil {
		return nil
	}
	return a.detector
}

// SecurityHub is the hub; nil unless EnableSecurityHub.
func (a *AuditTrail) SecurityHub() interfacesawssecurityhub.IHubRef {
	if a.hub == nil {
		return nil
	}
	return a.hub
}
