package audittrail

// ConfigRuleSpec is one AWS Config managed rule from the HIPAA Security
// conformance pack that applies to what this library deploys.
type ConfigRuleSpec struct {
	// ID names the rule's constructs. It must never change: it is part of
	// their logical IDs.
	ID string
	// SourceIdentifier is the managed rule's identifier.
	SourceIdentifier string
	// Remediation is the one-line fix sent with a NON_COMPLIANT notification.
	// It must not contain '<', '>' or '"' (EventBridge input template syntax).
	Remediation string
}

// ConfigRules returns the managed rule catalogue, in a stable order.
func ConfigRules() []ConfigRuleSpec {
	return []ConfigRuleSpec{
		// Network
		{"VpcFlowLogsEnabled", "VPC_FLOW_LOGS_ENABLED", "Turn on VPC flow logs for the VPC (HipaaVpc does this) to a KMS-encrypted log group."},
		{"VpcDefaultSecurityGroupClosed", "VPC_DEFAULT_SECURITY_GROUP_CLOSED", "Remove every inbound and outbound rule from the VPC's default security group."},
		{"SubnetAutoAssignPublicIpDisabled", "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED", "Set MapPublicIpOnLaunch to false on the subnet."},
		{"NoUnrestrictedRouteToIgw", "NO_UNRESTRICTED_ROUTE_TO_IGW", "Remove the 0.0.0.0/0 route to the internet gateway from private route tables; only the public tier may keep one."},
		// RDS
		{"RdsStorageEncrypted", "RDS_STORAGE_ENCRYPTED", "Restore the database from an encrypted snapshot copy into a KMS-encrypted instance; storage encryption cannot be turned on in place."},
		{"RdsInstancePublicAccessCheck", "RDS_INSTANCE_PUBLIC_ACCESS_CHECK", "Set PubliclyAccessible to false and keep the instance in the isolated data subnets."},
		{"RdsMultiAzSupport", "RDS_MULTI_AZ_SUPPORT", "Modify the instance to Multi-AZ."},
		{"DbInstanceBackupEnabled", "DB_INSTANCE_BACKUP_ENABLED", "Turn automated backups on: set a backup retention period (1 to 35 days; at least 7 where PHI is held) on the instance."},
		{"RdsSnapshotsPublicProhibited", "RDS_SNAPSHOTS_PUBLIC_PROHIBITED", "Remove the all value from the snapshot's restore attribute so it is no longer public."},
		{"RdsSnapshotEncrypted", "RDS_SNAPSHOT_ENCRYPTED", "Copy the snapshot with a KMS key, then delete the unencrypted snapshot."},
		{"RdsLoggingEnabled", "RDS_LOGGING_ENABLED", "Export the engine's audit, error and general logs to CloudWatch Logs."},
		{"RdsInBackupPlan", "RDS_IN_BACKUP_PLAN", "Add the database to an AWS Backup plan."},
		// CloudTrail
		{"CloudTrailEnabled", "CLOUD_TRAIL_ENABLED", "Restore a logging trail: redeploy the audit stack and check get-trail-status shows IsLogging."},
		{"MultiRegionCloudTrailEnabled", "MULTI_REGION_CLOUD_TRAIL_ENABLED", "Make the trail multi-region with read and write management events (redeploy the audit stack)."},
		{"CloudTrailEncryptionEnabled", "CLOUD_TRAIL_ENCRYPTION_ENABLED", "Set a customer-managed KMS key on the trail."},
		{"CloudTrailLogFileValidationEnabled", "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", "Turn on log file validation on the trail."},
		{"CloudTrailCloudWatchLogsEnabled", "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED", "Send the trail to a CloudWatch Logs group so the security alarms see its events."},
		// S3
		{"S3BucketSslRequestsOnly", "S3_BUCKET_SSL_REQUESTS_ONLY", "Add a bucket policy statement denying requests where aws:SecureTransport is false."},
		{"S3BucketPublicReadProhibited", "S3_BUCKET_PUBLIC_READ_PROHIBITED", "Turn on all four Block Public Access settings and remove public grants from the bucket policy and ACLs."},
		{"S3BucketPublicWriteProhibited", "S3_BUCKET_PUBLIC_WRITE_PROHIBITED", "Turn on all four Block Public Access settings and remove public write grants."},
		{"S3DefaultEncryptionKms", "S3_DEFAULT_ENCRYPTION_KMS", "Set default encryption to SSE-KMS with a customer-managed key."},
		{"S3BucketVersioningEnabled", "S3_BUCKET_VERSIONING_ENABLED", "Turn on versioning for the bucket."},
		// EC2
		{"EncryptedVolumes", "ENCRYPTED_VOLUMES", "Replace the volume with an encrypted copy (snapshot, copy encrypted, create volume) and turn on EBS encryption by default."},
		{"Ec2Imdsv2Check", "EC2_IMDSV2_CHECK", "Set HttpTokens to required on the instance metadata options."},
		{"Ec2InstanceNoPublicIp", "EC2_INSTANCE_NO_PUBLIC_IP", "Launch the instance in a private subnet without a public IP; reach it through Session Manager."},
		{"RestrictedSsh", "INCOMING_SSH_DISABLED", "Remove security group rules allowing port 22 from 0.0.0.0/0; use Session Manager instead."},
		{"RestrictedCommonPorts", "RESTRICTED_INCOMING_TRAFFIC", "Remove security group rules opening common ports (20, 21, 3389, 3306, 4333) to 0.0.0.0/0."},
		// Logs, keys, identity, threat detection
		{"CloudWatchLogGroupEncrypted", "CLOUDWATCH_LOG_GROUP_ENCRYPTED", "Associate a customer-managed KMS key with the log group."},
		{"KmsCmkNotScheduledForDeletion", "KMS_CMK_NOT_SCHEDULED_FOR_DELETION", "Run aws kms cancel-key-deletion on the key now, then enable it."},
		{"IamRootAccessKeyCheck", "IAM_ROOT_ACCESS_KEY_CHECK", "Delete the root user's access keys."},
		{"RootAccountMfaEnabled", "ROOT_ACCOUNT_MFA_ENABLED", "Enable MFA (preferably hardware) for the root user."},
		{"IamPasswordPolicy", "IAM_PASSWORD_POLICY", "Set an account password policy: 14+ characters, all character classes, 90-day maximum age, 24 remembered."},
		{"GuardDutyEnabledCentralized", "GUARDDUTY_ENABLED_CENTRALIZED", "Enable a GuardDuty detector in this region, or have the organization's delegated administrator enable it."},
	}
}
