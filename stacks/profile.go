package stacks

import (
	"fmt"
	"regexp"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// Project is the value of the Project tag on every resource.
const Project = "hipaa-baseline"

// The shipped profiles' app tier runs a placeholder: replace both with your
// own image and certificate (or pass -c appCertificateArn=...).
const (
	// PlaceholderAppImage is nginx's unprivileged image (uid 101, port
	// 8080, writes only to /tmp): it runs under PhiService's read-only,
	// non-root container as a stand-in for your app.
	PlaceholderAppImage = "public.ecr.aws/nginx/nginx-unprivileged:stable"
	// PlaceholderCertificateArn names no certificate: the deploy fails until
	// it is replaced with your ACM certificate's ARN.
	PlaceholderCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
)

// MinPhiTasks is the fewest tasks an environment that holds PHI runs.
const MinPhiTasks = 2

// MinPhiBackupRetentionDays is the shortest automated-backup retention an
// environment that holds PHI may use.
const MinPhiBackupRetentionDays = 7

// Profile is one environment: everything that differs between dev, staging
// and prod, in one typed value. Add an environment by adding a Profile to
// Profiles.
type Profile struct {
	// Name prefixes every stack: <Name>-network, <Name>-data, ... So it is
	// letters, digits and hyphens, starting with a letter, as CloudFormation
	// requires of a stack name, and short enough for the longest one.
	Name string
	// HoldsPhi marks an environment that stores real PHI. Such an environment
	// cannot relax any HIPAA control (Validate refuses it).
	HoldsPhi bool
	// Account and Region pin the environment's stacks. Empty: taken from
	// context or the CDK CLI when this is the only environment synthesized,
	// else the templates stay environment-agnostic. The audit layer (AWS
	// Config recorder, GuardDuty) and the Session Manager preferences are one
	// per account and region, so each environment needs its own account (or
	// region); Compose refuses two environments pinned to the same one.
	Account, Region string
	// AlarmEmails receive the security alarms and compliance alerts. An
	// environment that holds PHI must name at least one.
	AlarmEmails []string
	// VpcCidr is the environment's private address range.
	VpcCidr string
	// MaxAzs is the number of Availability Zones. An environment-agnostic
	// stack (no account/region) has 2.
	MaxAzs int
	// NatGateways: 1 shares a NAT gateway between AZs; MaxAzs gives one per AZ.
	NatGateways int
	// InterfaceEndpoints keeps AWS API traffic on the AWS network.
	InterfaceEndpoints bool
	// InterfaceEndpointServices narrows the interface endpoints to the
	// services the environment's workloads call (a cost lever); nil keeps
	// HipaaVpc's eight. The bastion's (hipaavpc.RequiredInterfaceEndpoints)
	// must stay. Allowed where PHI is held: the services used are still
	// reached on the AWS network.
	InterfaceEndpointServices []hipaavpc.InterfaceEndpoint
	// FlowLogsInfrequentAccess puts the VPC flow-log group in the Infrequent
	// Access log class (a cost lever). Allowed where PHI is held: flow logs
	// are network metadata, and they stay encrypted and kept LogRetentionDays.
	FlowLogsInfrequentAccess bool
	// DatabaseInstanceType is the RDS instance class without "db.", e.g. "t4g.medium".
	DatabaseInstanceType string
	// DatabaseStorageGiB is the allocated storage of an RDS PostgreSQL
	// instance; leave 0 with DatabaseAurora (Aurora storage grows by itself).
	DatabaseStorageGiB int
	// DatabaseAurora selects Aurora PostgreSQL instead of RDS PostgreSQL.
	DatabaseAurora bool
	// DatabaseServerlessV2 runs the Aurora writer and reader as Aurora
	// Serverless v2 instances between MinAcu and MaxAcu (a cost lever for
	// spiky load); needs DatabaseAurora and an empty DatabaseInstanceType.
	// Allowed where PHI is held: encryption, the reader in a second AZ,
	// backups and TLS are unchanged. nil: provisioned instances.
	DatabaseServerlessV2 *ServerlessV2Capacity
	// DatabaseMultiAz keeps a standby in a second AZ.
	DatabaseMultiAz bool
	// DeletionProtection guards the database against deletion.
	DeletionProtection bool
	// BackupRetentionDays is the database's automated-backup retention (1-35).
	// An environment without PHI keeps its AWS Backup recovery points (daily
	// and monthly) as long; one with PHI keeps PhiDatabase's defaults (daily
	// 35 days, monthly six years).
	BackupRetentionDays int
	// LogRetentionDays is the retention of every log group (a CloudWatch Logs value).
	LogRetentionDays int
	// PhiBucketObjectLockDays locks every new version of a PHI bucket object
	// this many days (S3 Object Lock, governance mode). An environment that
	// holds PHI sets this or PhiBucketReplica, not both.
	PhiBucketObjectLockDays int
	// PhiBucketReplica replicates the PHI bucket to a bucket (and key) in a
	// second region instead of Object Lock: literal ARNs, since a
	// cross-region value cannot be a CloudFormation reference.
	PhiBucketReplica *PhiBucketReplica
	// AppImage is the container image of the <Name>-app stack's service, with
	// a tag (PlaceholderAppImage in the shipped profiles: replace it).
	AppImage string
	// AppContainerPort, AppContainerUser and AppHealthCheckPath describe the
	// image: the port it listens on (>= 1024), its non-root user, the path
	// that answers 2xx/3xx when it is healthy.
	AppContainerPort   int
	AppContainerUser   string
	AppHealthCheckPath string
	// AppTaskCount is the number of tasks (at least MinPhiTasks with PHI).
	AppTaskCount int
	// AppCpu and AppMemoryMiB size each task (a Fargate combination).
	AppCpu, AppMemoryMiB int
	// AppCertificateArn is the ACM certificate of the HTTPS listener
	// (PlaceholderCertificateArn in the shipped profiles: replace it).
	AppCertificateArn string
}

// app is the app tier the shipped profiles share: the placeholder image.
func app(tasks, cpu, memory int) Profile {
	return Profile{
		AppImage: PlaceholderAppImage, AppContainerPort: 8080, AppContainerUser: "101", AppHealthCheckPath: "/",
		AppTaskCount: tasks, AppCpu: cpu, AppMemoryMiB: memory, AppCertificateArn: PlaceholderCertificateArn,
	}
}

// withApp sets p's app tier from a.
func (p Profile) withApp(a Profile) Profile {
	p.AppImage, p.AppContainerPort, p.AppContainerUser, p.AppHealthCheckPath = a.AppImage, a.AppContainerPort, a.AppContainerUser, a.AppHealthCheckPath
	p.AppTaskCount, p.AppCpu, p.AppMemoryMiB, p.AppCertificateArn = a.AppTaskCount, a.AppCpu, a.AppMemoryMiB, a.AppCertificateArn
	return p
}

// ServerlessV2Capacity bounds an Aurora Serverless v2 database, in ACUs
// (phidatabase.MinServerlessV2Acu to MaxServerlessV2Acu, steps of 0.5).
type ServerlessV2Capacity struct {
	MinAcu, MaxAcu float64
}

// PhiBucketReplica is the PHI bucket's replica in a second region.
type PhiBucketReplica struct {
	BucketArn, KeyArn string
}

// maxNameLength keeps the PHI bucket's name, hipaa-baseline-<Name>-phi-
// <account>-<region>, within S3's 63 characters for every region.
const maxNameLength = 63 - len(Project+"--phi-") - 12 - 1 - len("ap-southeast-2")

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Profiles are the environments `make synth` builds, in order.
var Profiles = []Profile{
	Profile{
		// dev holds synthetic data only: it trades availability for cost.
		Name: "dev", HoldsPhi: false, VpcCidr: "10.10.0.0/16", MaxAzs: 2,
		NatGateways: 1, InterfaceEndpoints: false,
		DatabaseInstanceType: "t4g.medium", DatabaseStorageGiB: 20,
		DatabaseMultiAz: false, DeletionProtection: false,
		BackupRetentionDays: 1, LogRetentionDays: 30,
	}.withApp(app(1, 256, 512)), // one small task: no PHI
	Profile{
		Name: "staging", HoldsPhi: true, VpcCidr: "10.20.0.0/16", MaxAzs: 2,
		NatGateways: 2, InterfaceEndpoints: true,
		AlarmEmails:          []string{"security-alerts@example.com"}, // replace with your team's address
		DatabaseInstanceType: "t4g.medium", DatabaseStorageGiB: 50,
		DatabaseMultiAz: true, DeletionProtection: true,
		BackupRetentionDays: MinPhiBackupRetentionDays, LogRetentionDays: retention.SixYearsDays,
		PhiBucketObjectLockDays: 35,
	}.withApp(app(MinPhiTasks, 512, 1024)),
	Profile{
		Name: "prod", HoldsPhi: true, VpcCidr: "10.30.0.0/16", MaxAzs: 2,
		NatGateways: 2, InterfaceEndpoints: true,
		AlarmEmails:          []string{"security-alerts@example.com"}, // replace with your team's address
		DatabaseInstanceType: "r6g.large", DatabaseAurora: true,
		DatabaseMultiAz: true, DeletionProtection: true,
		BackupRetentionDays: 35, LogRetentionDays: retention.SixYearsDays,
		PhiBucketObjectLockDays: 365,
	}.withApp(app(3, 1024, 2048)),
}

// ProfileError says which environment and which setting is refused.
type ProfileError struct{ Env, Setting, Problem string }

func (e *ProfileError) Error() string {
	return fmt.Sprintf("environment %q: setting %s: %s", e.Env, e.Setting, e.Problem)
}

// ProfileNamed returns the profile called name.
func ProfileNamed(name string) (Profile, error) {
	var names []string
	for _, p := range Profiles {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Profile{}, fmt.Errorf("unknown environment %q; known: %v", name, names)
}
