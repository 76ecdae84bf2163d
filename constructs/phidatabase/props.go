package phidatabase

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
)

// Engine selects the database engine. Both are HIPAA-eligible.
type Engine string

const (
	// EnginePostgres is a single RDS for PostgreSQL instance with a Multi-AZ
	// standby.
	EnginePostgres Engine = "postgres"
	// EngineAuroraPostgres is an Aurora PostgreSQL cluster with a writer and
	// one reader in different Availability Zones.
	EngineAuroraPostgres Engine = "aurora-postgresql"
)

// Library defaults. Each is the secure (or safely sized) choice; props
// override them.
const (
	// DefaultEngine is RDS for PostgreSQL.
	DefaultEngine = EnginePostgres
	// DefaultEngineVersion is the PostgreSQL version of both engines: a
	// current major version that neither AWS nor cfn-lint lists as
	// deprecated. Minor versions are then upgraded automatically.
	DefaultEngineVersion = "17.9"
	// DefaultInstanceType is the DB instance class without the "db." prefix:
	// the smallest Graviton class that supports encryption, Performance
	// Insights and Aurora PostgreSQL.
	DefaultInstanceType = "t4g.medium"
	// DefaultPort is PostgreSQL's port.
	DefaultPort = 5432
	// DefaultAllocatedStorageGiB is the initial gp3 storage of an RDS
	// PostgreSQL instance (Aurora storage grows on its own).
	DefaultAllocatedStorageGiB = 100
	// DefaultMaxAllocatedStorageGiB is the ceiling of storage autoscaling.
	DefaultMaxAllocatedStorageGiB = 1000
	// DefaultDatabaseName is the database created with the instance or cluster.
	DefaultDatabaseName = "app"
	// DefaultMasterUsername is the administrative user whose password RDS
	// generates, stores in Secrets Manager and rotates.
	DefaultMasterUsername = "phiadmin"
	// DefaultBackupRetentionDays keeps RDS automated backups (point-in-time
	// recovery) for a week.
	DefaultBackupRetentionDays = 7
	// MinBackupRetentionDays and MaxBackupRetentionDays bound what RDS
	// accepts; 0 (no automated backups) is refused.
	MinBackupRetentionDays = 1
	MaxBackupRetentionDays = 35
	// DefaultLogRetentionDays keeps database logs six years, HIPAA's
	// documentation retention.
	DefaultLogRetentionDays = 2192
	// DefaultDailyBackupRetentionDays keeps AWS Backup's daily recovery points
	// five weeks.
	DefaultDailyBackupRetentionDays = 35
	// DefaultMonthlyBackupRetentionDays keeps AWS Backup's monthly recovery
	// points six years.
	DefaultMonthlyBackupRetentionDays = 2192
	// MinServerlessV2Acu and MaxServerlessV2Acu bound the capacity of an
	// Aurora Serverless v2 instance, in Aurora capacity units (ACUs) of 0.5.
	MinServerlessV2Acu = 0.5
	MaxServerlessV2Acu = 256
	// DefaultServerlessV2MaxAcu is the ceiling ServerlessV2 scales to unless
	// MaxCapacity says otherwise (about a db.r6g.large's 16 GiB of memory).
	DefaultServerlessV2MaxAcu = 8
	// MonitoringIntervalSeconds is the enhanced-monitoring granularity.
	MonitoringIntervalSeconds = 60
	// DataClassificationTag is set to DataClassificationPHI on every resource
	// that stores or logs PHI.
	DataClassificationTag = "DataClassification"
	DataClassificationPHI = "PHI"
)

// PhiDatabaseProps configures a PhiDatabase. Apart from the required Vpc,
// AppClients and AccessClient, the zero value is the secure default.
type PhiDatabaseProps struct {
	// The VPC, normally HipaaVpc.Vpc(). Required.
	Vpc awsec2.IVpc

	// The subnets of the database. Enforced: every selected subnet must be
	// one of the VPC's isolated subnets (no route to a NAT or internet
	// gateway), in at least two Availability Zones.
	// Default: the HipaaVpc data tier (SubnetGroupName "Data").
	DataSubnets *awsec2.SubnetSelection

	// The backend application tier: security groups allowed to connect on the
	// database port. Required, at least one. Enforced: each must be a
	// security group; CIDR peers (and 0.0.0.0/0, ::/0) are refused.
	AppClients *[]awsec2.IPeer

	// The access tier (BastionAccess or VPN security group), allowed to
	// connect on the database port for administration. Required. Enforced:
	// must be a security group; CIDR peers are refused.
	AccessClient awsec2.IPeer

	// The engine: RDS for PostgreSQL or Aurora PostgreSQL.
	// Default: DefaultEngine (EnginePostgres).
	Engine Engine

	// The PostgreSQL version ("major.minor"), for either engine.
	// Default: DefaultEngineVersion ("17.9").
	EngineVersion *string

	// The instance type of the instance (RDS) or of the writer and reader
	// (Aurora). Classes that cannot be encrypted at rest (db.t1, db.m1,
	// db.m2, db.t2.micro) are refused, and so are classes Aurora does not
	// offer for Aurora.
	// Default: DefaultInstanceType (db.t4g.medium).
	InstanceType awsec2.InstanceType

	// Run the Aurora writer and reader as Aurora Serverless v2 instances
	// (db.serverless) that scale between MinCapacity and MaxCapacity ACUs: a
	// cost lever for spiky or low load, billed per ACU-hour. Aurora only, and
	// not with InstanceType. Encryption, the reader in a second AZ (scaling
	// with the writer, so a failover lands on the same capacity), backups,
	// TLS, pgaudit, log exports and deletion protection are unchanged.
	// Default: nil (provisioned instances of InstanceType).
	ServerlessV2 *ServerlessV2Props

	// Initial storage in GiB (RDS PostgreSQL only; 20 to 65536). A token
	// (e.g. a CloudFormation parameter) is passed through unchecked.
	// Default: DefaultAllocatedStorageGiB (100).
	AllocatedStorageGiB *float64

	// Ceiling of storage autoscaling in GiB (RDS PostgreSQL only); must be
	// larger than AllocatedStorageGiB.
	// Default: DefaultMaxAllocatedStorageGiB (1000).
	MaxAllocatedStorageGiB *float64

	// Name of the database created with the instance or cluster.
	// Default: DefaultDatabaseName ("app").
	DatabaseName *string

	// The administrative user. Its password is generated and kept by RDS in
	// Secrets Manager, encrypted with EncryptionKey; it never appears in the
	// template.
	// Default: DefaultMasterUsername ("phiadmin").
	MasterUsername *string

	// The database port (1150 to 65535). Must be a literal, not a token: it
	// is written into every security-group rule.
	// Default: DefaultPort (5432).
	Port *float64

	// The DB instance identifier (RDS) or DB cluster identifier (Aurora):
	// lower case letters, digits and hyphens, starting with a letter. It also
	// names the log groups (/aws/rds/instance/<id>/... or
	// /aws/rds/cluster/<id>/...), which PhiDatabase creates before the
	// database so they are encrypted and retained from the first log line.
	// Default: derived from the stack name and construct path.
	Identifier *string

	// Days RDS keeps automated backups for point-in-time recovery, 1 to 35.
	// Must be a literal, not a token.
	// Default: DefaultBackupRetentionDays (7).
	BackupRetentionDays *float64

	// Days to keep the exported database logs; a value CloudWatch Logs
	// accepts (1, 3, 5, 7, 14, 30, ..., 2192, ..., 3653, 9999). The logs can
	// hold PHI (pgaudit records statements), so below six years requires
	// AllowRetentionShorterThanSixYears. Must be a literal, not a token.
	// Default: DefaultLogRetentionDays (2192, six years).
	LogRetentionDays *float64

	// Accept a LogRetentionDays below six years: for an environment that
	// holds no PHI, or where another system keeps the six-year record.
	// Default: false (retention below six years is refused).
	AllowRetentionShorterThanSixYears *bool

	// An existing customer-managed KMS key for storage, Performance Insights,
	// the master-user secret, the log groups and the backup vault. A key
	// created in the same app (awskms.NewKey) gets the CloudWatch Logs
	// statement it needs (keypolicy.AllowCloudWatchLogs); an imported key gets
	// a synth warning naming it. Enforced: AWS managed keys (alias/aws/rds)
	// and aliases are refused; a customer-managed key always encrypts the
	// database, checked again at synth after any later change.
	// Default: a new key with rotation on, retained on delete.
	EncryptionKey awskms.IKey

	// What happens to the database when it leaves the stack: SNAPSHOT or
	// RETAIN. DESTROY is refused.
	// Default: awscdk.RemovalPolicy_SNAPSHOT.
	RemovalPolicy awscdk.RemovalPolicy

	// Must be nil or true. Multi-AZ (a standby for RDS, a reader in another
	// AZ for Aurora) is on; false is refused unless
	// DisableMultiAzForNonPhiEnvironment is set.
	// Default: true.
	MultiAz *bool

	// Run a single-AZ database. ONLY for environments that hold no PHI (dev,
	// CI, demos with synthetic data): a single AZ has no standby, so an AZ
	// outage makes the data unavailable (45 CFR 164.308(a)(7)). Adds a
	// cdk-nag suppression of RDSMultiAZSupport on the instance saying so.
	// Default: false (Multi-AZ).
	DisableMultiAzForNonPhiEnvironment *bool

	// Turn off deletion protection. ONLY for environments that hold no PHI,
	// whose synthetic data may be torn down with the stack (RemovalPolicy
	// still takes a final snapshot). Adds a cdk-nag suppression of
	// RDSInstanceDeletionProtectionEnabled saying so.
	// Default: false (deletion protection on).
	DisableDeletionProtectionForNonPhiEnvironment *bool

	// Enforced: must be nil or false. Exists only so that a request for a
	// publicly accessible database fails at synth with a clear error.
	// Default: false (never publicly accessible).
	PubliclyAccessible *bool

	// Enforced: must be nil or true. Exists only so that a request for an
	// unencrypted database fails at synth with a clear error.
	// Default: true (storage encrypted with EncryptionKey).
	StorageEncrypted *bool

	// Days AWS Backup keeps the daily recovery points (1 or more, at most
	// MonthlyBackupRetentionDays).
	// Default: DefaultDailyBackupRetentionDays (35).
	DailyBackupRetentionDays *float64

	// Days AWS Backup keeps the monthly recovery points (at least
	// DailyBackupRetentionDays).
	// Default: DefaultMonthlyBackupRetentionDays (2192, six years).
	MonthlyBackupRetentionDays *float64

	// Lock the backup vault (AWS Backup Vault Lock, governance mode): recovery
	// points cannot be deleted before DailyBackupRetentionDays, nor kept
	// longer than MonthlyBackupRetentionDays, except by principals allowed to
	// remove the lock.
	// Default: false (no vault lock).
	EnableVaultLock *bool
}

// ServerlessV2Props bounds the capacity of Aurora Serverless v2 instances,
// in Aurora capacity units (1 ACU is about 2 GiB of memory with matching CPU
// and network). Both must be literals.
type ServerlessV2Props struct {
	// The fewest ACUs each instance scales down to (MinServerlessV2Acu to
	// MaxServerlessV2Acu, in steps of 0.5); what an idle month bills.
	// Default: MinServerlessV2Acu (0.5).
	MinCapacity *float64

	// The most ACUs each instance scales up to (MinCapacity to
	// MaxServerlessV2Acu, in steps of 0.5).
	// Default: DefaultServerlessV2MaxAcu (8).
	MaxCapacity *float64
}
