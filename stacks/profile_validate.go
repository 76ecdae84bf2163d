package stacks

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// CloudFormation's stack-name rule: letters, digits and hyphens, starting
// with a letter. (Its 128-character limit is never reached: the PHI
// bucket's name limits Name to maxNameLength.)
var stackNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// vpcTiers is HipaaVpc's subnet tiers (public, app, data): the VPC holds
// one subnet of each per AZ.
const vpcTiers = 3

// minStorageGiB is the smallest RDS for PostgreSQL allocation; PhiDatabase
// refuses less, and needs its autoscaling ceiling above the allocation.
const minStorageGiB = 20

// instanceClassPattern is an instance class as a Profile gives it: without
// "db.", which aws-cdk-lib's RDS constructs prepend (db.db.x would fail).
var instanceClassPattern = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)

// Validate refuses a profile that later code would reject (a stack name
// CloudFormation refuses, a setting a construct refuses), so the error names
// the environment and the setting. It also refuses a profile that holds PHI
// but relaxes a HIPAA control. Environments without PHI may relax them; each
// relaxation is then recorded as a narrow cdk-nag suppression whose reason
// names the profile.
func (p Profile) Validate() error {
	if err := p.validateSettings(); err != nil {
		return err
	}
	if p.HoldsPhi {
		return p.validatePhi()
	}
	return nil
}

func (p Profile) bad(setting, format string, args ...any) error {
	return &ProfileError{Env: p.Name, Setting: setting, Problem: fmt.Sprintf(format, args...)}
}

// validateSettings checks what every environment must satisfy.
func (p Profile) validateSettings() error {
	if err := p.validateName(); err != nil {
		return err
	}
	if (p.Account == "") != (p.Region == "") {
		return p.bad("Account/Region", "set both or neither")
	}
	if err := p.validateNetwork(); err != nil {
		return err
	}
	if err := p.validateDatabase(); err != nil {
		return err
	}
	if _, err := retention.FromDays(float64(p.LogRetentionDays)); err != nil {
		return p.bad("LogRetentionDays", "%v", err)
	}
	for _, e := range p.AlarmEmails {
		if !plainEmail(e) {
			return p.bad("AlarmEmails", "%q is not a plain email address (user@example.com, no display name)", e)
		}
	}
	if p.AppImage == "" || p.AppCertificateArn == "" || p.AppTaskCount < 1 {
		return p.bad("AppImage/AppCertificateArn/AppTaskCount", "the app tier needs an image, a certificate ARN and at least one task")
	}
	if p.PhiBucketObjectLockDays < 0 {
		return p.bad("PhiBucketObjectLockDays", "is negative")
	}
	if p.PhiBucketObjectLockDays > 0 && p.PhiBucketReplica != nil {
		return p.bad("PhiBucketObjectLockDays", "cannot be combined with PhiBucketReplica; choose Object Lock or cross-region replication")
	}
	return nil
}

func (p Profile) validateName() error {
	if p.Name == "" {
		return p.bad("Name", "is empty")
	}
	if !stackNamePattern.MatchString(p.Name) {
		return p.bad("Name", "it prefixes every stack name (%s), and a CloudFormation stack name has only letters, digits and hyphens, starting with a letter", p.stackName(layerNetwork))
	}
	// The name is also part of the PHI bucket's name, which S3 limits to 63
	// lower-case letters, digits and single hyphens.
	if !nameRe.MatchString(p.Name) || len(p.Name) > maxNameLength {
		return p.bad("Name", "%q: 1 to %d lower-case letters, digits or single hyphens, starting with a letter (it names the PHI bucket)", p.Name, maxNameLength)
	}
	return nil
}

// validateNetwork checks what HipaaVpc would refuse.
func (p Profile) validateNetwork() error {
	cidr, err := validate.PrivateIPv4Cidr(p.VpcCidr)
	if err != nil {
		return p.bad("VpcCidr", "%v", err)
	}
	if p.MaxAzs < hipaavpc.MinAzs {
		return p.bad("MaxAzs", "%d: at least %d Availability Zones, so every tier survives the loss of one", p.MaxAzs, hipaavpc.MinAzs)
	}
	mask := hipaavpc.DefaultSubnetCidrMask
	bits := cidr.Bits()
	if bits < 16 || bits > 28 {
		return p.bad("VpcCidr", "%s: a VPC's prefix length is from /16 to /28", p.VpcCidr)
	}
	// HipaaVpc gives every tier one subnet of the default size per AZ.
	room := 0
	if bits <= mask {
		room = 1 << (mask - bits)
	}
	if need := vpcTiers * p.MaxAzs; need > room {
		return p.bad("VpcCidr", "%s has room for %d /%d subnets; %d tiers x %d AZs need %d", p.VpcCidr, room, mask, vpcTiers, p.MaxAzs, need)
	}
	if p.NatGateways < 1 || p.NatGateways > p.MaxAzs {
		return p.bad("NatGateways", "%d: from 1 (one shared NAT gateway) to MaxAzs (%d, one per AZ)", p.NatGateways, p.MaxAzs)
	}
	if p.InterfaceEndpointServices != nil {
		if !p.InterfaceEndpoints {
			return p.bad("InterfaceEndpointServices", "lists endpoints but InterfaceEndpoints is off; turn it on or leave the list nil")
		}
		if err := hipaavpc.CheckInterfaceEndpoints(p.InterfaceEndpointServices); err != nil {
			return p.bad("InterfaceEndpointServices", "%v", err)
		}
	}
	return nil
}

// validateDatabase checks what PhiDatabase would refuse.
func (p Profile) validateDatabase() error {
	if sv := p.DatabaseServerlessV2; sv != nil {
		if !p.DatabaseAurora {
			return p.bad("DatabaseServerlessV2", "Aurora Serverless v2 needs DatabaseAurora")
		}
		if p.DatabaseInstanceType != "" {
			return p.bad("DatabaseInstanceType", "%q has no effect with DatabaseServerlessV2 (its instances are db.serverless); leave it empty", p.DatabaseInstanceType)
		}
		if err := phidatabase.CheckServerlessV2Capacity(sv.MinAcu, sv.MaxAcu); err != nil {
			return p.bad("DatabaseServerlessV2", "%v", err)
		}
	} else if !instanceClassPattern.MatchString(p.DatabaseInstanceType) {
		return p.bad("DatabaseInstanceType", "%q: an RDS instance class without \"db.\", such as %q", p.DatabaseInstanceType, phidatabase.DefaultInstanceType)
	}
	switch {
	case p.DatabaseAurora && p.DatabaseStorageGiB != 0:
		return p.bad("DatabaseStorageGiB", "has no effect on Aurora, whose storage grows by itself; leave it 0")
	case p.DatabaseStorageGiB != 0 && (p.DatabaseStorageGiB < minStorageGiB || p.DatabaseStorageGiB >= phidatabase.DefaultMaxAllocatedStorageGiB):
		return p.bad("DatabaseStorageGiB", "%d: 0 for the default, or from %d to %d (below the storage autoscaling ceiling of %d GiB)",
			p.DatabaseStorageGiB, minStorageGiB, phidatabase.DefaultMaxAllocatedStorageGiB-1, phidatabase.DefaultMaxAllocatedStorageGiB)
	}
	if p.BackupRetentionDays < phidatabase.MinBackupRetentionDays || p.BackupRetentionDays > phidatabase.MaxBackupRetentionDays {
		return p.bad("BackupRetentionDays", "%d days: RDS keeps automated backups from %d to %d days",
			p.BackupRetentionDays, phidatabase.MinBackupRetentionDays, phidatabase.MaxBackupRetentionDays)
	}
	return nil
}

// validatePhi refuses the relaxations an environment that holds PHI may not make.
func (p Profile) validatePhi() error {
	switch {
	case !p.DatabaseMultiAz:
		return p.bad("DatabaseMultiAz", "an environment that holds PHI keeps a standby database in a second AZ")
	case !p.DeletionProtection:
		return p.bad("DeletionProtection", "an environment that holds PHI keeps its database deletion-protected")
	case p.NatGateways < p.MaxAzs:
		return p.bad("NatGateways", "%d NAT gateway(s) for %d AZs: an environment that holds PHI keeps one per AZ so losing one AZ does not cut off the others", p.NatGateways, p.MaxAzs)
	case !p.InterfaceEndpoints:
		return p.bad("InterfaceEndpoints", "an environment that holds PHI keeps AWS API traffic on the AWS network through VPC endpoints")
	case p.BackupRetentionDays < MinPhiBackupRetentionDays:
		return p.bad("BackupRetentionDays", "%d days: an environment that holds PHI keeps at least %d", p.BackupRetentionDays, MinPhiBackupRetentionDays)
	case len(p.AlarmEmails) == 0:
		return p.bad("AlarmEmails", "an environment that holds PHI must send its security alarms to someone")
	case p.AppTaskCount < MinPhiTasks:
		return p.bad("AppTaskCount", "%d task(s): an environment that holds PHI runs at least %d, across Availability Zones", p.AppTaskCount, MinPhiTasks)
	case p.LogRetentionDays < retention.SixYearsDays:
		return p.bad("LogRetentionDays", "%d days: an environment that holds PHI keeps logs at least six years (%d days)", p.LogRetentionDays, retention.SixYearsDays)
	case p.PhiBucketObjectLockDays == 0 && p.PhiBucketReplica == nil:
		return p.bad("PhiBucketObjectLockDays", "an environment that holds PHI protects its PHI bucket with Object Lock (set the days) or cross-region replication (PhiBucketReplica)")
	}
	return nil
}

// plainEmail is AuditTrail's rule for an alarm address: a bare address
// ("ops@example.com", not "Ops <ops@example.com>") whose domain has a dot.
// With a display name or comment the parsed address is not the whole input.
func plainEmail(e string) bool {
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e {
		return false
	}
	return strings.Contains(e[strings.LastIndex(e, "@")+1:], ".")
}
