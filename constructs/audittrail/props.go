package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
)

// Library defaults. Each is the secure choice; props override them.
const (
	// DefaultRetentionDays keeps trail logs, Config history and access logs
	// six years: HIPAA's documentation retention (45 CFR 164.316(b)(2)).
	DefaultRetentionDays = 2192
	// MinRetentionDays is the shortest RetentionDays accepted even with
	// AllowRetentionShorterThanSixYears: a year of audit history.
	MinRetentionDays = 365
	// MaxRetentionDays is the longest RetentionDays: S3 Object Lock retains
	// an object at most 100 years.
	MaxRetentionDays = 36500
	// GlacierTransitionDays moves log objects to S3 Glacier Flexible
	// Retrieval once they are rarely read.
	GlacierTransitionDays = 90
	// DefaultLogGroupRetentionDays keeps the trail's CloudWatch log group six
	// years.
	DefaultLogGroupRetentionDays = 2192
	// AlarmPeriodMinutes is the window each security alarm sums its metric
	// over.
	AlarmPeriodMinutes = 5
	// MetricNamespace holds the security alarms' metrics.
	MetricNamespace = "HipaaBaseline/AuditTrail"
	// ConfigKeyPrefix is where AWS Config writes in the Config bucket.
	ConfigKeyPrefix = "config"
	// GuardDutyPublishingFrequency publishes updated findings every 15
	// minutes, the shortest interval.
	GuardDutyPublishingFrequency = "FIFTEEN_MINUTES"
)

// AuditTrailProps configures an AuditTrail. The zero value is the secure
// default: a multi-region trail, all alarms, an AWS Config recorder with the
// HIPAA managed rules, and GuardDuty.
type AuditTrailProps struct {
	// Name of the CloudTrail trail (3-128 letters, digits, '.', '_' or '-',
	// starting with a letter or digit). The key policy lets CloudTrail use the
	// key only for the trail of this name.
	// Default: a name derived from the stack and construct path.
	TrailName *string

	// An existing customer-managed KMS key for the trail's log files, its log
	// group and the Config bucket, instead of a new one. A key created in the
	// same app gets the statements it needs (CloudTrail for this trail only,
	// CloudWatch Logs); an imported key gets a synth warning naming them.
	// Enforced: AWS managed keys and aliases are refused.
	// Default: a new key with rotation on, retained on delete.
	EncryptionKey awskms.IKey

	// An existing SNS topic for every alarm and compliance notification,
	// instead of a new one (and its key). It must be KMS-encrypted. Cannot be
	// combined with AlarmEmails or AlarmHttpsEndpoints: subscribe to your
	// topic where it is defined. A topic created in the same app gets the
	// publish statements for this account's alarms and rules (and its key the
	// matching statement); an imported one gets a synth warning naming them.
	// Default: a new KMS-encrypted, TLS-only topic.
	AlarmTopic awssns.ITopic

	// An existing bucket for the trail's log files, e.g. in a log-archive
	// setup. It should be KMS-encrypted, versioned and Object-Locked; cannot
	// be combined with ObjectLockRetentionDays or ObjectLockComplianceMode,
	// which configure the bucket this construct would create. A bucket of the
	// same app gets CloudTrail's delivery statements; an imported one a
	// synth warning.
	// Default: a new KMS-encrypted, Object-Locked, versioned bucket.
	TrailBucket awss3.IBucket

	// An existing bucket for AWS Config history. Not with
	// UseExistingRecorder (no delivery channel is created then). A bucket of
	// the same app gets Config's delivery statements; an imported one a synth
	// warning.
	// Default: a new KMS-encrypted, versioned bucket.
	ConfigBucket awss3.IBucket

	// An existing bucket that receives the S3 server access logs of the
	// buckets this construct creates. It must use SSE-S3 (S3 server access
	// logging cannot deliver to SSE-KMS) and have no default Object Lock
	// retention. Refused when TrailBucket and ConfigBucket (or
	// UseExistingRecorder) leave no bucket to log.
	// Default: a new SSE-S3, versioned bucket.
	AccessLogBucket awss3.IBucket

	// Days to keep trail logs, AWS Config history and S3 access logs in their
	// buckets before the lifecycle expires them (objects move to Glacier after
	// GlacierTransitionDays). Below six years (2192 days) requires
	// AllowRetentionShorterThanSixYears; never below MinRetentionDays nor
	// above MaxRetentionDays. Must be a literal, not a token.
	// Default: DefaultRetentionDays (2192, six years).
	RetentionDays *float64

	// Days to keep the trail's CloudWatch log group; one of the values
	// CloudWatch Logs accepts (..., 2192, 2557, ..., 3653, 9999 = never).
	// Below six years requires AllowRetentionShorterThanSixYears. Must be a
	// literal, not a token.
	// Default: DefaultLogGroupRetentionDays (2192, six years).
	LogGroupRetentionDays *float64

	// Accept RetentionDays or LogGroupRetentionDays below six years. HIPAA
	// requires six years of retention for required documentation; set this
	// only when another system keeps that record (for example an organization
	// trail in a log-archive account).
	// Default: false (retention below six years is refused).
	AllowRetentionShorterThanSixYears *bool

	// Days each trail log object is locked by S3 Object Lock (cannot be
	// deleted or overwritten). At most RetentionDays.
	// Default: RetentionDays (locked for its whole life).
	ObjectLockRetentionDays *float64

	// Lock trail logs in COMPLIANCE mode: no one, including the root user, can
	// delete a locked object or shorten its retention. Irreversible for
	// objects already written.
	// Default: false (GOVERNANCE mode: users with
	// s3:BypassGovernanceRetention can remove a lock).
	ObjectLockComplianceMode *bool

	// Buckets (PHI stores) whose object-level reads and writes the trail
	// records as S3 data events.
	// Default: none.
	DataEventBuckets *[]awss3.IBucket

	// Record S3 data events for every bucket in the account, current and
	// future. Cannot be combined with DataEventBuckets. Data events are billed
	// per event.
	// Default: false.
	AllS3DataEvents *bool

	// Turn on CloudTrail Insights (unusual API call and error rates). Billed
	// per event analysed.
	// Default: false.
	EnableInsights *bool

	// Email addresses subscribed to the alarm topic (plain addresses, no
	// display names, each once). Each must confirm the subscription.
	// Default: none.
	AlarmEmails *[]*string

	// HTTPS endpoints (https:// URLs, each once) subscribed to the alarm
	// topic, e.g. an incident-management webhook.
	// Default: none.
	AlarmHttpsEndpoints *[]*string

	// Do not create a Config configuration recorder and delivery channel: the
	// account already has them in this region (Config allows one recorder per
	// region; AWS Control Tower accounts have one). The Config rules and the
	// compliance notifications are still created and use that recorder.
	// Default: false (a recorder and delivery channel are created).
	UseExistingRecorder *bool

	// Do not record global resources (IAM users, roles, policies) in this
	// region. Record them in one region only; set this in every other region.
	// Default: false (global resources are recorded).
	DisableGlobalResourceRecording *bool

	// Deploy the "Operational Best Practices for HIPAA Security" conformance
	// pack from ConformancePackTemplateS3Uri instead of the individual managed
	// rules.
	// Default: false (the managed rules in ConfigRules() are deployed).
	UseHipaaConformancePack *bool

	// s3:// URI of the conformance pack template (AWS publishes it in
	// awslabs/aws-config-rules). Required with UseHipaaConformancePack.
	// Default: none.
	ConformancePackTemplateS3Uri *string

	// Do not create a GuardDuty detector, for accounts whose organization
	// manages GuardDuty (a delegated administrator enables it; a second
	// detector cannot be created).
	// Default: false (a detector is created).
	DisableGuardDuty *bool

	// Enable AWS Security Hub with its default standards. Leave off when the
	// organization enables Security Hub centrally.
	// Default: false.
	EnableSecurityHub *bool
}
