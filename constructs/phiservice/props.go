package phiservice

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
)

// Library defaults. Each is the secure (or safely sized) choice; props
// override them.
const (
	// DefaultContainerPort is the port the container listens on: above 1023,
	// so a non-root user can bind it.
	DefaultContainerPort = 8080
	// DefaultUser is the container's user (uid:gid): not root.
	DefaultUser = "1000:1000"
	// DefaultCpu and DefaultMemoryMiB size each Fargate task (0.5 vCPU, 1 GiB).
	DefaultCpu       = 512
	DefaultMemoryMiB = 1024
	// DefaultDesiredCount is the number of tasks: two, so that the tasks
	// run in two Availability Zones.
	DefaultDesiredCount = 2
	// DefaultMaxCount is the autoscaling ceiling.
	DefaultMaxCount = 6
	// DefaultCpuTargetPercent is the average CPU utilization autoscaling keeps.
	DefaultCpuTargetPercent = 60
	// DefaultRequestsPerTarget is the ALB request count per task per minute
	// autoscaling keeps.
	DefaultRequestsPerTarget = 1000
	// DefaultHealthCheckPath is the path the load balancer and the container
	// health check request.
	DefaultHealthCheckPath = "/"
	// DefaultWritablePath is the one writable directory of the read-only
	// container: an ephemeral task volume, gone with the task.
	DefaultWritablePath = "/tmp"
	// DefaultLogRetentionDays keeps the container, ECS Exec and WAF logs six
	// years, HIPAA's documentation retention.
	DefaultLogRetentionDays = 2192
	// DefaultWafRateLimit is the most requests one client IP may send in five
	// minutes before the web ACL blocks it.
	DefaultWafRateLimit = 1000
	// DefaultWafBlockedRequestsThreshold is how many blocked requests in five
	// minutes raise the WAF alarm.
	DefaultWafBlockedRequestsThreshold = 100
	// DefaultTarget5xxPercent is the share of requests answered 5xx by the
	// tasks (over five minutes) that raises the 5xx alarm.
	DefaultTarget5xxPercent = 5
	// DefaultRepositoryMaxImages is how many images the created repository
	// keeps; older ones expire (lifecycle rule).
	DefaultRepositoryMaxImages = 50
	// DefaultSslPolicy prefers TLS 1.3 and accepts TLS 1.2
	// (ELBSecurityPolicy-TLS13-1-2-2021-06).
	DefaultSslPolicy = awselasticloadbalancingv2.SslPolicy_RECOMMENDED_TLS
	// DatabaseUserEnv and the other PG* names are the environment the
	// container gets for the database (libpq's own variables).
	DatabaseHostEnv    = "PGHOST"
	DatabasePortEnv    = "PGPORT"
	DatabaseNameEnv    = "PGDATABASE"
	DatabaseUserEnv    = "PGUSER"
	DatabaseSslModeEnv = "PGSSLMODE"
	// DatabaseSslMode makes libpq refuse a connection without TLS (the server
	// refuses one too: rds.force_ssl).
	DatabaseSslMode = "require"
	// ContainerName names the service's one container.
	ContainerName = "app"
	// DataClassificationTag is set to DataClassificationPHI on what logs PHI.
	DataClassificationTag = "DataClassification"
	DataClassificationPHI = "PHI"
)

// ContainerSecret is one value injected into the container's environment
// when a task starts, by ECS, from Secrets Manager or SSM Parameter Store:
// it never appears in the template or the task definition. Exactly one of
// Secret and Parameter.
type ContainerSecret struct {
	// A Secrets Manager secret. The execution role may read this secret only
	// (and decrypt it with its key, when the secret names one).
	Secret awssecretsmanager.ISecret
	// One JSON key of Secret (e.g. "password"). Secrets Manager only.
	// Default: the whole secret string.
	JsonField *string
	// An SSM parameter (SecureString for secrets). The execution role may
	// read this parameter only. A SecureString under a customer-managed key
	// needs that key's policy to allow the execution role kms:Decrypt.
	Parameter awsssm.IParameter
}

// Egress is one extra outbound rule of the task security group.
type Egress struct {
	// Where to: a CIDR (awsec2.Peer_Ipv4) or a security group. Required.
	Peer awsec2.IPeer
	// The TCP or UDP port or range (awsec2.Port_Tcp, Port_TcpRange, ...).
	// Required; all traffic (Port_AllTraffic) and all ports are refused.
	Port awsec2.Port
	// Says why, in the rule's description. Required.
	Description *string
}

// DatabaseAccess connects the service to a PhiDatabase with IAM
// authentication and TLS.
type DatabaseAccess struct {
	// The database. Required. Enforced: AppSecurityGroup must be one of its
	// AppClients (the database's app-tier door).
	Database *phidatabase.PhiDatabase
	// The PostgreSQL user the tasks connect as, with an IAM token (GRANT
	// rds_iam). Required; the task role may connect as this user only.
	User *string
}

// RepositoryOptions configures the ECR repository PhiService creates when
// neither Repository nor RegistryImage is given.
type RepositoryOptions struct {
	// How many images to keep; older ones expire (lifecycle rule). 1 to 10000.
	// Default: DefaultRepositoryMaxImages (50).
	MaxImages *float64
}

// PhiServiceProps configures a PhiService. Apart from the required Vpc,
// AppSecurityGroup, Certificate and AlarmTopic (and ImageTag or RegistryImage), the
// zero value is the secure default.
type PhiServiceProps struct {
	// The VPC, normally HipaaVpc.Vpc(). Required.
	Vpc awsec2.IVpc

	// The security group the tasks join: the one PhiDatabase admits as an app
	// client (AppClients), so the database keeps exactly two doors. Required.
	// Enforced: it must not allow all outbound traffic (create it with
	// AllowAllOutbound false); PhiService adds the egress the tasks need
	// (HTTPS, the database port inside the VPC, Egress) and admits only the
	// load balancer, on ContainerPort.
	AppSecurityGroup awsec2.ISecurityGroup

	// The subnets of the tasks. Enforced: no public subnet, no data-tier
	// subnet, at least two Availability Zones (unless
	// AllowSingleTaskForNonPhiEnvironment); tasks never get a public IP.
	// Default: the HipaaVpc app tier (SubnetGroupName "App").
	TaskSubnets *awsec2.SubnetSelection

	// The TLS certificate of the HTTPS listener (ACM). Required.
	Certificate awscertificatemanager.ICertificate

	// The TLS policy of the HTTPS listener. Enforced: a policy that accepts
	// TLS below 1.2 (SslPolicy_RECOMMENDED, TLS11, LEGACY, TLS13_10, ...) is
	// refused.
	// Default: DefaultSslPolicy (ELBSecurityPolicy-TLS13-1-2-2021-06).
	SslPolicy awselasticloadbalancingv2.SslPolicy

	// The SNS topic the alarms notify, normally AuditTrail.Topic(). Required.
	AlarmTopic awssns.ITopic

	// The caller's existing ECR repository to run ImageTag from; the
	// execution role may pull from it only. Not with RepositoryOptions or
	// RegistryImage.
	// Default: none; PhiService creates a repository (RepositoryOptions).
	Repository awsecr.IRepository

	// Settings of the repository PhiService creates (KMS-encrypted with
	// EncryptionKey, immutable tags, scan on push, a lifecycle rule,
	// retained). Not with Repository or RegistryImage.
	// Default: DefaultRepositoryMaxImages images kept.
	RepositoryOptions *RepositoryOptions

	// An image outside ECR that needs no registry credentials, e.g.
	// "public.ecr.aws/nginx/nginx-unprivileged:stable". Not with Repository,
	// RepositoryOptions or ImageTag.
	// Default: none; the image is ImageTag of the repository.
	RegistryImage *string

	// The tag (or "sha256:<digest>") to run from the repository, created or
	// given. Required unless RegistryImage: the repository's tags are
	// immutable, so a tag names one release forever ("latest" is refused).
	ImageTag *string

	// The port the container listens on (1024 to 65535 for a non-root user).
	// Must be a literal: it is written into security-group rules.
	// Default: DefaultContainerPort (8080).
	ContainerPort *float64

	// The container's user ("uid", "uid:gid" or a user name). Root ("0",
	// "root", "0:...") is refused unless AllowRootUser.
	// Default: DefaultUser ("1000:1000").
	User *string

	// Run the container as root. Only for images that cannot run otherwise;
	// the root filesystem stays read-only and the container unprivileged.
	// Default: false.
	AllowRootUser *bool

	// Directories the read-only container may write to, each an ephemeral
	// task volume (absolute paths).
	// Default: [DefaultWritablePath] ("/tmp").
	WritablePaths *[]*string

	// Task size: a Fargate CPU/memory combination (256/512..2048, 512/1024..4096,
	// 1024/2048..8192, 2048/4096..16384, 4096/8192..30720, ...). Literals only.
	// Default: DefaultCpu (512) and DefaultMemoryMiB (1024).
	Cpu            *float64
	MemoryLimitMiB *float64

	// Tasks to run, at least 2 (spread across Availability Zones) unless
	// AllowSingleTaskForNonPhiEnvironment. Literal only.
	// Default: DefaultDesiredCount (2).
	DesiredCount *float64

	// Run fewer than two tasks (and in one AZ). ONLY for environments that
	// hold no PHI: a single task is a single point of failure.
	// Default: false.
	AllowSingleTaskForNonPhiEnvironment *bool

	// The autoscaling ceiling, at least DesiredCount. Literal only.
	// Default: DefaultMaxCount (6), or DesiredCount when larger.
	MaxCount *float64

	// Target average CPU utilization (10 to 90 percent).
	// Default: DefaultCpuTargetPercent (60).
	CpuTargetPercent *float64

	// Target ALB requests per task per minute (1 or more).
	// Default: DefaultRequestsPerTarget (1000).
	RequestsPerTarget *float64

	// The HTTP path the load balancer and the container health check request
	// (must start with "/").
	// Default: DefaultHealthCheckPath ("/").
	HealthCheckPath *string

	// The container health check command, as ECS takes it
	// (["CMD-SHELL", "..."] or ["CMD", ...]).
	// Default: ["CMD-SHELL", "curl -fsS http://localhost:<port><path> >/dev/null || exit 1"].
	HealthCheckCommand *[]*string

	// Plain environment variables. Enforced: a name that looks like a secret
	// (PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL, ...) is refused; put the
	// value in Secrets.
	// Default: none (the database's PG* variables are added with Database).
	Environment *map[string]*string

	// Secrets injected at task start from Secrets Manager or SSM, by
	// environment variable name.
	// Default: none.
	Secrets *map[string]*ContainerSecret

	// The PhiDatabase the tasks use, with IAM authentication and TLS: the
	// task role gets rds-db:connect for User (a managed policy), the tasks
	// get egress on the database port inside the VPC and the PGHOST, PGPORT,
	// PGDATABASE, PGUSER and PGSSLMODE=require variables.
	// Default: none.
	Database *DatabaseAccess

	// More outbound rules of the task security group.
	// Default: none (HTTPS anywhere, and the database port inside the VPC
	// with Database).
	Egress *[]*Egress

	// Put the load balancer in the app subnets without a public address,
	// reachable only from inside the network (VPN, peering).
	// Default: false (internet-facing, in the public subnets).
	Internal *bool

	// The IPv4 CIDRs allowed to reach the load balancer on 443 (and 80, which
	// only redirects to 443).
	// Default: 0.0.0.0/0 when internet-facing; the VPC CIDR when Internal.
	AllowedCidrs *[]*string

	// Turn off the load balancer's deletion protection. ONLY for
	// environments that hold no PHI. Adds a cdk-nag suppression of
	// ELBDeletionProtectionEnabled saying so.
	// Default: false (deletion protection on).
	DisableDeletionProtectionForNonPhiEnvironment *bool

	// Requests one client IP may send in five minutes before the web ACL
	// blocks it (10 to 2000000000). Literal only.
	// Default: DefaultWafRateLimit (1000).
	WafRateLimit *float64

	// Blocked requests in five minutes that raise the WAF alarm. Literal only.
	// Default: DefaultWafBlockedRequestsThreshold (100).
	WafBlockedRequestsThreshold *float64

	// Percent of requests answered 5xx by the tasks (over five minutes) that
	// raises the 5xx alarm (0 < p <= 100). Literal only.
	// Default: DefaultTarget5xxPercent (5).
	Target5xxPercent *float64

	// Days to keep the container, ECS Exec and WAF logs: a CloudWatch Logs
	// value. They can hold PHI, so below six years requires
	// AllowRetentionShorterThanSixYears. The load balancer's access logs are
	// kept as long. Literal only.
	// Default: DefaultLogRetentionDays (2192, six years).
	LogRetentionDays *float64

	// Accept a LogRetentionDays below six years: for an environment that
	// holds no PHI, or where another system keeps the six-year record.
	// Default: false.
	AllowRetentionShorterThanSixYears *bool

	// Allow ECS Exec (a shell in a running task). Sessions are encrypted
	// with EncryptionKey and logged to an encrypted log group.
	// Default: false (ECS Exec off).
	EnableExecuteCommand *bool

	// An existing customer-managed key for the log groups, the repository and
	// ECS Exec. A key of the app gets the CloudWatch Logs statement; an
	// imported key a synth warning. Enforced: AWS managed keys and aliases
	// are refused.
	// Default: a new key with rotation on, retained on delete.
	EncryptionKey awskms.IKey

	// Enforced: must be nil or false. Exists only so that a request for
	// tasks with a public IP fails at synth with a clear error.
	// Default: false.
	AssignPublicIp *bool

	// Enforced: must be nil or true. Exists only so that a request for a
	// writable root filesystem fails at synth with a clear error.
	// Default: true.
	ReadonlyRootFilesystem *bool

	// Enforced: must be nil or false. Exists only so that a request for a
	// privileged container fails at synth with a clear error.
	// Default: false.
	Privileged *bool
}
