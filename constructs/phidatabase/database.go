package phidatabase

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsrds"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// Maintenance windows (UTC). RDS takes its automated backup before AWS
// Backup's jobs start (backupStartHourUTC), so the two never overlap.
const (
	preferredBackupWindow      = "03:00-04:00"
	preferredMaintenanceWindow = "sun:04:30-sun:05:30"
)

// Parameters sets the database parameters PhiDatabase enforces: TLS only
// (1.2 or later), pgaudit loaded and logging reads, writes, DDL and role
// changes, and every connection and disconnection logged. For Aurora they
// go into the cluster parameter group.
func Parameters() map[string]string {
	return map[string]string{
		"rds.force_ssl":            "1",
		"ssl_min_protocol_version": "TLSv1.2",
		"shared_preload_libraries": "pg_stat_statements,pgaudit",
		"pgaudit.log":              "read,write,ddl,role",
		"pgaudit.role":             "rds_pgaudit",
		"log_connections":          "1",
		"log_disconnections":       "1",
	}
}

func parameterGroup(scope constructs.Construct, engine awsrds.IEngine) awsrds.ParameterGroup {
	params := map[string]*string{}
	for k, v := range Parameters() {
		params[k] = jsii.String(v)
	}
	return awsrds.NewParameterGroup(scope, jsii.String("ParameterGroup"), &awsrds.ParameterGroupProps{
		Engine:      engine,
		Description: jsii.String("PhiDatabase: TLS required, pgaudit, connection logging"),
		Parameters:  &params,
	})
}

// dbInstanceType is the InstanceType prop, or the resolved default class as
// an awsec2.InstanceType (a jsii object, so not built in resolve).
func (s *settings) dbInstanceType() awsec2.InstanceType {
	if s.instanceType != nil {
		return s.instanceType
	}
	return awsec2.NewInstanceType(jsii.String(s.instanceClass))
}

// newInstance creates the RDS for PostgreSQL instance.
func newInstance(scope constructs.Construct, s *settings, sg awsec2.ISecurityGroup, key awskms.IKey) awsrds.DatabaseInstance {
	engine := awsrds.DatabaseInstanceEngine_Postgres(&awsrds.PostgresInstanceEngineProps{
		Version: awsrds.PostgresEngineVersion_Of(jsii.String(s.version), jsii.String(s.major), nil),
	})
	return awsrds.NewDatabaseInstance(scope, jsii.String("Instance"), &awsrds.DatabaseInstanceProps{
		Engine:               engine,
		InstanceIdentifier:   jsii.String(s.identifier),
		InstanceType:         s.dbInstanceType(),
		Vpc:                  s.vpc,
		VpcSubnets:           s.dataSubnets,
		SecurityGroups:       &[]awsec2.ISecurityGroup{sg},
		PubliclyAccessible:   jsii.Bool(false),
		Port:                 jsii.Number(s.port),
		DatabaseName:         jsii.String(s.databaseName),
		ParameterGroup:       parameterGroup(scope, engine),
		StorageType:          awsrds.StorageType_GP3,
		AllocatedStorage:     jsii.Number(s.allocated),
		MaxAllocatedStorage:  jsii.Number(s.maxGiB),
		StorageEncrypted:     jsii.Bool(true),
		StorageEncryptionKey: key,
		// RDS generates the master password, keeps it in Secrets Manager
		// encrypted with key, and rotates it: no password in the template.
		ManageMasterUserPassword: jsii.Bool(true),
		Credentials: awsrds.Credentials_FromUsername(jsii.String(s.username), &awsrds.CredentialsFromUsernameOptions{
			EncryptionKey: key,
		}),
		IamAuthentication:               jsii.Bool(true),
		MultiAz:                         jsii.Bool(s.multiAz),
		DeletionProtection:              jsii.Bool(s.deletionProtected),
		RemovalPolicy:                   s.removal,
		BackupRetention:                 base.Days(scope, s.backupDays),
		PreferredBackupWindow:           jsii.String(preferredBackupWindow),
		PreferredMaintenanceWindow:      jsii.String(preferredMaintenanceWindow),
		DeleteAutomatedBackups:          jsii.Bool(false),
		CopyTagsToSnapshot:              jsii.Bool(true),
		AutoMinorVersionUpgrade:         jsii.Bool(true),
		AllowMajorVersionUpgrade:        jsii.Bool(false),
		CloudwatchLogsExports:           jsii.Strings(logExports(EnginePostgres)...),
		MonitoringInterval:              awscdk.Duration_Seconds(jsii.Number(MonitoringIntervalSeconds)),
		EnablePerformanceInsights:       jsii.Bool(true),
		PerformanceInsightEncryptionKey: key,
	})
}

// newCluster creates the Aurora PostgreSQL cluster: a writer and, unless
// Multi-AZ is opted out, one reader in another Availability Zone.
func newCluster(scope constructs.Construct, s *settings, sg awsec2.ISecurityGroup, key awskms.IKey) awsrds.DatabaseCluster {
	engine := awsrds.DatabaseClusterEngine_AuroraPostgres(&awsrds.AuroraPostgresClusterEngineProps{
		Version: awsrds.AuroraPostgresEngineVersion_Of(jsii.String(s.version), jsii.String(s.major), nil),
	})
	var instanceType awsec2.InstanceType // one for the writer and the readers
	if !s.serverless {
		instanceType = s.dbInstanceType()
	}
	member := func(id string, az *string) awsrds.IClusterInstance {
		if s.serverless {
			return awsrds.ClusterInstance_ServerlessV2(jsii.String(id), &awsrds.ServerlessV2ClusterInstanceProps{
				AvailabilityZone:                az,
				PubliclyAccessible:              jsii.Bool(false),
				AutoMinorVersionUpgrade:         jsii.Bool(true),
				AllowMajorVersionUpgrade:        jsii.Bool(false),
				EnablePerformanceInsights:       jsii.Bool(true),
				PerformanceInsightEncryptionKey: key,
				// The reader takes the writer's capacity, so a failover to
				// the second AZ lands on an instance as large as the writer.
				ScaleWithWriter: jsii.Bool(id == "Reader"),
			})
		}
		return awsrds.ClusterInstance_Provisioned(jsii.String(id), &awsrds.ProvisionedClusterInstanceProps{
			InstanceType:                    instanceType,
			AvailabilityZone:                az,
			PubliclyAccessible:              jsii.Bool(false),
			AutoMinorVersionUpgrade:         jsii.Bool(true),
			AllowMajorVersionUpgrade:        jsii.Bool(false),
			EnablePerformanceInsights:       jsii.Bool(true),
			PerformanceInsightEncryptionKey: key,
		})
	}
	first := s.subnets[0].AvailabilityZone()
	var readers []awsrds.IClusterInstance
	if s.multiAz {
		for _, sn := range s.subnets {
			if *sn.AvailabilityZone() != *first {
				readers = append(readers, member("Reader", sn.AvailabilityZone()))
				break
			}
		}
	}
	props := &awsrds.DatabaseClusterProps{
		Engine:                   engine,
		ClusterIdentifier:        jsii.String(s.identifier),
		Writer:                   member("Writer", first),
		Readers:                  &readers,
		Vpc:                      s.vpc,
		VpcSubnets:               s.dataSubnets,
		SecurityGroups:           &[]awsec2.ISecurityGroup{sg},
		Port:                     jsii.Number(s.port),
		DefaultDatabaseName:      jsii.String(s.databaseName),
		ParameterGroup:           parameterGroup(scope, engine),
		StorageEncrypted:         jsii.Bool(true),
		StorageEncryptionKey:     key,
		ManageMasterUserPassword: jsii.Bool(true),
		Credentials: awsrds.Credentials_FromUsername(jsii.String(s.username), &awsrds.CredentialsFromUsernameOptions{
			EncryptionKey: key,
		}),
		IamAuthentication:          jsii.Bool(true),
		DeletionProtection:         jsii.Bool(s.deletionProtected),
		RemovalPolicy:              s.removal,
		Backup:                     &awsrds.BackupProps{Retention: base.Days(scope, s.backupDays), PreferredWindow: jsii.String(preferredBackupWindow)},
		PreferredMaintenanceWindow: jsii.String(preferredMaintenanceWindow),
		DeleteAutomatedBackups:     jsii.Bool(false),
		CopyTagsToSnapshot:         jsii.Bool(true),
		AutoMinorVersionUpgrade:    jsii.Bool(true),
		CloudwatchLogsExports:      jsii.Strings(logExports(EngineAuroraPostgres)...),
		MonitoringInterval:         awscdk.Duration_Seconds(jsii.Number(MonitoringIntervalSeconds)),
	}
	if s.serverless {
		props.ServerlessV2MinCapacity = jsii.Number(s.minAcu)
		props.ServerlessV2MaxCapacity = jsii.Number(s.maxAcu)
	}
	return awsrds.NewDatabaseCluster(scope, jsii.String("Cluster"), props)
}
