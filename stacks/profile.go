package stacks

import (
	"fmt"

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
	// Name prefixes every stack: <Name>-network, <Name>-data, ...
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
	// DatabaseInstanceType is the RDS instance class without "db.", e.g. "t4g.medium".
	DatabaseInstanceType string
	// DatabaseStorageGiB is the allocated storage of an RDS PostgreSQL
	// instance; leave 0 with DatabaseAurora (Aurora storage grows by itself).
	DatabaseStorageGiB int
	// DatabaseAurora selects Aurora PostgreSQL instead of RDS PostgreSQL.
	DatabaseAurora bool
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
	}.withApp(app(MinPhiTasks, 512, 1024)),
	Profile{
		Name: "prod", HoldsPhi: true, VpcCidr: "10.30.0.0/16", MaxAzs: 2,
		NatGateways: 2, InterfaceEndpoints: true,
		AlarmEmails:          []string{"security-alerts@example.com"}, // replace with your team's address
		DatabaseInstanceType: "r6g.large", DatabaseAurora: true,
		DatabaseMultiAz: true, DeletionProtection: true,
		BackupRetentionDays: 35, LogRetentionDays: retention.SixYearsDays,
	}.withApp(app(3, 1024, 2048)),
}

// ProfileError says which environment and which setting is refused.
type ProfileError struct{ Env, Setting, Problem string }

func (e *ProfileError) Error() string {
	return fmt.Sprintf("environment %q: setting %s: %s", e.Env, e.Setting, e.Problem)
}

// Validate refuses a profile that holds PHI but relaxes a HIPAA control.
// Environments without PHI may relax them; each relaxation is then recorded
// as a narrow cdk-nag suppression whose reason names the profile.
func (p Profile) Validate() error {
	bad := func(setting, problem string) error {
		return &ProfileError{Env: p.Name, Setting: setting, Problem: problem}
	}
	if p.Name == "" {
		return bad("Name", "is empty")
	}
	if p.DatabaseAurora && p.DatabaseStorageGiB != 0 {
		return bad("DatabaseStorageGiB", "has no effect on Aurora, whose storage grows by itself; leave it 0")
	}
	if (p.Account == "") != (p.Region == "") {
		return bad("Account/Region", "set both or neither")
	}
	if p.AppImage == "" || p.AppCertificateArn == "" || p.AppTaskCount < 1 {
		return bad("AppImage/AppCertificateArn/AppTaskCount", "the app tier needs an image, a certificate ARN and at least one task")
	}
	if !p.HoldsPhi {
		return nil
	}
	switch {
	case !p.DatabaseMultiAz:
		return bad("DatabaseMultiAz", "an environment that holds PHI keeps a standby database in a second AZ")
	case !p.DeletionProtection:
		return bad("DeletionProtection", "an environment that holds PHI keeps its database deletion-protected")
	case p.NatGateways < p.MaxAzs:
		return bad("NatGateways", fmt.Sprintf("%d NAT gateway(s) for %d AZs: an environment that holds PHI keeps one per AZ so losing one AZ does not cut off the others", p.NatGateways, p.MaxAzs))
	case !p.InterfaceEndpoints:
		return bad("InterfaceEndpoints", "an environment that holds PHI keeps AWS API traffic on the AWS network through VPC endpoints")
	case p.BackupRetentionDays < MinPhiBackupRetentionDays:
		return bad("BackupRetentionDays", fmt.Sprintf("%d days: an environment that holds PHI keeps at least %d", p.BackupRetentionDays, MinPhiBackupRetentionDays))
	case len(p.AlarmEmails) == 0:
		return bad("AlarmEmails", "an environment that holds PHI must send its security alarms to someone")
	case p.AppTaskCount < MinPhiTasks:
		return bad("AppTaskCount", fmt.Sprintf("%d task(s): an environment that holds PHI runs at least %d, across Availability Zones", p.AppTaskCount, MinPhiTasks))
	case p.LogRetentionDays < retention.SixYearsDays:
		return bad("LogRetentionDays", fmt.Sprintf("%d days: an environment that holds PHI keeps logs at least six years (%d days)", p.LogRetentionDays, retention.SixYearsDays))
	}
	return nil
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
