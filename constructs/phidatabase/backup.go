package phidatabase

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsbackup"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// AWS Backup schedule (UTC): after RDS's own backup window.
const (
	backupStartHourUTC = "5"
	backupStartWindowH = 1
	backupCompletionH  = 8
)

// newBackup puts the database in an AWS Backup plan: a daily and a monthly
// rule into a vault encrypted with key. The vault is retained with its
// recovery points when the stack is deleted. The selection's role carries
// only AWS managed policies (no inline policy).
func newBackup(scope constructs.Construct, s *settings, key awskms.IKey, resource awsbackup.BackupResource) (awsbackup.BackupVault, awsbackup.BackupPlan) {
	var lock *awsbackup.LockConfiguration
	if s.vaultLock {
		// Governance mode (no ChangeableFor): the lock can still be removed by
		// a principal with backup:DeleteBackupVaultLockConfiguration.
		lock = &awsbackup.LockConfiguration{
			MinRetention: base.Days(scope, s.dailyDays),
			MaxRetention: base.Days(scope, s.monthlyDays),
		}
	}
	vault := awsbackup.NewBackupVault(scope, jsii.String("BackupVault"), &awsbackup.BackupVaultProps{
		EncryptionKey:     key,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		LockConfiguration: lock,
	})
	tags := &map[string]*string{DataClassificationTag: jsii.String(DataClassificationPHI)}
	rule := func(name string, cron *awsevents.CronOptions, days float64) awsbackup.BackupPlanRule {
		return awsbackup.NewBackupPlanRule(&awsbackup.BackupPlanRuleProps{
			RuleName:           jsii.String(name),
			BackupVault:        vault,
			ScheduleExpression: awsevents.Schedule_Cron(cron),
			StartWindow:        awscdk.Duration_Hours(jsii.Number(backupStartWindowH)),
			CompletionWindow:   awscdk.Duration_Hours(jsii.Number(backupCompletionH)),
			DeleteAfter:        base.Days(scope, days),
			RecoveryPointTags:  tags,
		})
	}
	plan := awsbackup.NewBackupPlan(scope, jsii.String("BackupPlan"), &awsbackup.BackupPlanProps{
		BackupPlanName: jsii.String(s.identifier + "-backup"),
		BackupVault:    vault,
		BackupPlanRules: &[]awsbackup.BackupPlanRule{
			rule("Daily", &awsevents.CronOptions{Minute: jsii.String("0"), Hour: jsii.String(backupStartHourUTC)}, s.dailyDays),
			rule("Monthly", &awsevents.CronOptions{Minute: jsii.String("0"), Hour: jsii.String(backupStartHourUTC), Day: jsii.String("1")}, s.monthlyDays),
		},
	})
	role := awsiam.NewRole(scope, jsii.String("BackupRole"), &awsiam.RoleProps{
		Description: jsii.String("AWS Backup: back up and restore this PhiDatabase"),
		AssumedBy:   base.Service(scope, "backup.amazonaws.com"),
		ManagedPolicies: &[]awsiam.IManagedPolicy{
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("service-role/AWSBackupServiceRolePolicyForBackup")),
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("service-role/AWSBackupServiceRolePolicyForRestores")),
		},
	})
	plan.AddSelection(jsii.String("Database"), &awsbackup.BackupSelectionOptions{
		Resources:                  &[]awsbackup.BackupResource{resource},
		Role:                       role,
		DisableDefaultBackupPolicy: jsii.Bool(true),
	})
	return vault, plan
}
