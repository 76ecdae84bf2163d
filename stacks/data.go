package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phibucket"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// Output keys of the data stack.
const (
	OutputDatabaseEndpoint = "DatabaseEndpointAddress"
	OutputDatabasePort     = "DatabasePort"
	OutputDatabaseName     = "DatabaseName"
	OutputPhiBucketName    = "PhiBucketName"
)

// PhiBucketName is the physical name of the environment's PHI bucket,
// hipaa-baseline-<env>-phi-<account>-<region>: unique across S3, and known to
// the audit stack (whose trail records the bucket's data events) without a
// reference to the data stack. In an environment-agnostic stack the account
// and region are resolved at deploy time.
func PhiBucketName(p Profile, stack awscdk.Stack) *string {
	return awscdk.Fn_Join(jsii.String("-"), &[]*string{
		jsii.String(Project), jsii.String(p.Name), jsii.String("phi"), stack.Account(), stack.Region(),
	})
}

// DataStack holds an environment's PhiDatabase and PhiBucket: the only stack
// that stores PHI. The bucket lives beside the database because it shares
// its lifecycle and blast radius (PHI, retained, termination-protected).
type DataStack struct {
	awscdk.Stack
	Database *phidatabase.PhiDatabase
	Bucket   *phibucket.PhiBucket
}

// NewDataStack creates the PHI database in the network's data tier, admitting
// the app tier and the access layer's security group, nothing else.
func NewDataStack(scope constructs.Construct, id string, props *awscdk.StackProps, p Profile, network *NetworkStack, access *AccessStack, audit *AuditStack) *DataStack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	dp := &phidatabase.PhiDatabaseProps{
		Vpc:                 network.Network.Vpc(),
		AppClients:          &[]awsec2.IPeer{network.AppTierGroup},
		AccessClient:        access.Access.SecurityGroup(),
		BackupRetentionDays: jsii.Number(p.BackupRetentionDays),
		LogRetentionDays:    jsii.Number(p.LogRetentionDays),
	}
	if sv := p.DatabaseServerlessV2; sv != nil {
		dp.ServerlessV2 = &phidatabase.ServerlessV2Props{MinCapacity: jsii.Number(sv.MinAcu), MaxCapacity: jsii.Number(sv.MaxAcu)}
	} else {
		dp.InstanceType = awsec2.NewInstanceType(jsii.String(p.DatabaseInstanceType))
	}
	if p.DatabaseAurora {
		dp.Engine = phidatabase.EngineAuroraPostgres
	} else if p.DatabaseStorageGiB > 0 {
		dp.AllocatedStorageGiB = jsii.Number(p.DatabaseStorageGiB)
	}
	if !p.DatabaseMultiAz {
		dp.DisableMultiAzForNonPhiEnvironment = jsii.Bool(true)
	}
	if p.LogRetentionDays < retention.SixYearsDays {
		// Only an environment without PHI gets here (Profile.Validate).
		dp.AllowRetentionShorterThanSixYears = jsii.Bool(true)
	}
	if !p.DeletionProtection {
		dp.DisableDeletionProtectionForNonPhiEnvironment = jsii.Bool(true)
	}
	if !p.HoldsPhi {
		// Synthetic data: AWS Backup keeps its daily and monthly recovery
		// points as long as the profile keeps backups at all, not the six
		// years PhiDatabase keeps monthly points by default for PHI.
		dp.DailyBackupRetentionDays = jsii.Number(p.BackupRetentionDays)
		dp.MonthlyBackupRetentionDays = jsii.Number(p.BackupRetentionDays)
	}
	db := phidatabase.NewPhiDatabase(stack, jsii.String("Database"), dp)
	awscdk.NewCfnOutput(stack, jsii.String(OutputDatabaseEndpoint), &awscdk.CfnOutputProps{
		Value: db.EndpointAddress(), Description: jsii.String("Database host name (TLS required)"),
	})
	awscdk.NewCfnOutput(stack, jsii.String(OutputDatabasePort), &awscdk.CfnOutputProps{
		Value: awscdk.Token_AsString(db.Port(), nil), Description: jsii.String("Database port"),
	})
	awscdk.NewCfnOutput(stack, jsii.String(OutputDatabaseName), &awscdk.CfnOutputProps{
		Value: jsii.String(phidatabase.DefaultDatabaseName), Description: jsii.String("Database created with the instance or cluster"),
	})
	bucket := newPhiBucket(stack, p, audit)
	return &DataStack{Stack: stack, Database: db, Bucket: bucket}
}

// newPhiBucket creates the environment's PHI object store: access logs to the
// audit stack's access-log bucket, Object Lock or cross-region replication as
// the profile says (neither only where no PHI is held).
func newPhiBucket(stack awscdk.Stack, p Profile, audit *AuditStack) *phibucket.PhiBucket {
	bp := &phibucket.PhiBucketProps{
		AccessLogBucket: audit.Audit.AccessLogBucket(),
		BucketName:      PhiBucketName(p, stack),
	}
	switch {
	case p.PhiBucketReplica != nil:
		bp.Replication = &phibucket.ReplicationProps{
			DestinationBucketArn: jsii.String(p.PhiBucketReplica.BucketArn),
			DestinationKeyArn:    jsii.String(p.PhiBucketReplica.KeyArn),
		}
	case p.PhiBucketObjectLockDays > 0:
		bp.ObjectLock = &phibucket.ObjectLockProps{RetentionDays: jsii.Number(p.PhiBucketObjectLockDays)}
	default:
		// Only an environment without PHI gets here (Profile.Validate).
		bp.DisableReplicationAndObjectLockForNonPhiEnvironment = jsii.Bool(true)
	}
	b := phibucket.NewPhiBucket(stack, jsii.String("PhiBucket"), bp)
	awscdk.NewCfnOutput(stack, jsii.String(OutputPhiBucketName), &awscdk.CfnOutputProps{
		Value: b.BucketName(), Description: jsii.String("PHI bucket (SSE-KMS uploads only, TLS required)"),
	})
	return b
}
