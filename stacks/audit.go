package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// AuditStack holds an environment's AuditTrail: CloudTrail, the security
// alarms, AWS Config and GuardDuty. They are one per account and region, so
// each environment is meant to live in an account of its own.
type AuditStack struct {
	awscdk.Stack
	Audit *audittrail.AuditTrail
}

// NewAuditStack creates the audit layer of the profile's environment.
func NewAuditStack(scope constructs.Construct, id string, props *awscdk.StackProps, p Profile) *AuditStack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	ap := &audittrail.AuditTrailProps{LogGroupRetentionDays: jsii.Number(p.LogRetentionDays)}
	if len(p.AlarmEmails) > 0 {
		ap.AlarmEmails = jsii.Strings(p.AlarmEmails...)
	}
	if p.LogRetentionDays < retention.SixYearsDays {
		// Only an environment without PHI gets here (Profile.Validate): its
		// audit history is kept one year, its log group as the profile says.
		ap.AllowRetentionShorterThanSixYears = jsii.Bool(true)
		ap.RetentionDays = jsii.Number(audittrail.MinRetentionDays)
	}
	// Every object read and write of the data stack's PHI bucket is a data
	// event of this trail. The bucket is named by its physical name, not by a
	// reference: the data stack depends on this one (its access logs come
	// here), so this stack cannot depend on the data stack.
	ap.DataEventBuckets = &[]awss3.IBucket{awss3.Bucket_FromBucketName(stack, jsii.String("PhiBucketOfDataStack"), PhiBucketName(p, stack))}
	return &AuditStack{Stack: stack, Audit: audittrail.NewAuditTrail(stack, jsii.String("Audit"), ap)}
}
