package stacks

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// noPhi is a valid profile that holds no PHI: each case changes one setting.
var noPhi = Profile{
	Name: "test", VpcCidr: "10.0.0.0/16", MaxAzs: 2, NatGateways: 1,
	DatabaseInstanceType: "t4g.medium", DatabaseStorageGiB: 20,
	BackupRetentionDays: 1, LogRetentionDays: 30,
}.withApp(app(1, 256, 512))

// phi is a valid profile that holds PHI.
var phi = Profile{
	Name: "phi", HoldsPhi: true, VpcCidr: "10.0.0.0/16", MaxAzs: 2, NatGateways: 2,
	InterfaceEndpoints: true, AlarmEmails: []string{"security@example.com"},
	DatabaseInstanceType: "r6g.large", DatabaseAurora: true, DatabaseMultiAz: true,
	DeletionProtection: true, BackupRetentionDays: 7, LogRetentionDays: retention.SixYearsDays,
	PhiBucketObjectLockDays: 35,
}.withApp(app(MinPhiTasks, 512, 1024))

type profileCase struct {
	name    string
	base    Profile
	change  func(p *Profile)
	setting string // the refused setting; "" = accepted
	problem string // part of the message after "setting <setting>: "
}

func runProfileCases(t *testing.T, cases []profileCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.base
			p.AlarmEmails = append([]string(nil), tc.base.AlarmEmails...)
			tc.change(&p)
			err := p.Validate()
			if tc.setting == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var pe *ProfileError
			if !errors.As(err, &pe) || pe.Env != p.Name || pe.Setting != tc.setting {
				t.Fatalf("got %v, want a ProfileError for %q setting %s", err, p.Name, tc.setting)
			}
			prefix := fmt.Sprintf("environment %q: setting %s: ", p.Name, tc.setting)
			if msg := err.Error(); !strings.HasPrefix(msg, prefix) || !strings.Contains(msg[len(prefix):], tc.problem) {
				t.Errorf("message %q, want %q followed by a problem containing %q", msg, prefix, tc.problem)
			}
		})
	}
}

func TestProfileValidateName(t *testing.T) {
	set := func(name string) func(p *Profile) { return func(p *Profile) { p.Name = name } }
	// The PHI bucket's name (hipaa-baseline-<Name>-phi-<account>-<region>)
	// is the tighter limit: S3's 63 characters leave maxNameLength.
	longest := "a" + strings.Repeat("b", maxNameLength-1)
	runProfileCases(t, []profileCase{
		{"letters", noPhi, set("dev"), "", ""},
		{"digits and hyphens", noPhi, set("team-2-dev"), "", ""},
		{"longest", noPhi, set(longest), "", ""},
		{"upper case", noPhi, set("Team-2-dev"), "Name", "lower-case letters"},
		{"double hyphen", noPhi, set("team--dev"), "Name", "single hyphens"},
		{"empty", noPhi, set(""), "Name", "is empty"},
		{"underscore", noPhi, set("my_env"), "Name", "only letters, digits and hyphens, starting with a letter"},
		{"leading digit", noPhi, set("1dev"), "Name", "starting with a letter"},
		{"dot", noPhi, set("dev.eu"), "Name", "(dev.eu-network)"},
		{"too long for the PHI bucket", noPhi, set(longest + "c"), "Name", "it names the PHI bucket"},
	})
}

func TestProfileValidateAccountRegion(t *testing.T) {
	runProfileCases(t, []profileCase{
		{"neither", noPhi, func(p *Profile) {}, "", ""},
		{"both", noPhi, func(p *Profile) { p.Account, p.Region = "111111111111", "us-east-1" }, "", ""},
		{"account only", noPhi, func(p *Profile) { p.Account = "111111111111" }, "Account/Region", "set both or neither"},
		{"region only", noPhi, func(p *Profile) { p.Region = "us-east-1" }, "Account/Region", "set both or neither"},
	})
}

func TestProfileValidateNetwork(t *testing.T) {
	cidr := func(c string) func(p *Profile) { return func(p *Profile) { p.VpcCidr = c } }
	azs := func(azs, nat int) func(p *Profile) {
		return func(p *Profile) { p.MaxAzs, p.NatGateways = azs, nat }
	}
	runProfileCases(t, []profileCase{
		{"172.16/12 range", noPhi, cidr("172.20.0.0/16"), "", ""},
		{"192.168/16 range", noPhi, cidr("192.168.0.0/16"), "", ""},
		{"smallest for 2 AZs", noPhi, cidr("10.0.0.0/21"), "", ""},
		{"public", noPhi, cidr("8.8.0.0/16"), "VpcCidr", `"8.8.0.0/16" is not inside a private (RFC 1918) range`},
		{"host bits", noPhi, cidr("10.0.0.1/16"), "VpcCidr", "has host bits set; did you mean 10.0.0.0/16?"},
		{"not a CIDR", noPhi, cidr("10.0.0.0"), "VpcCidr", "is not an IPv4 CIDR block"},
		{"empty", noPhi, cidr(""), "VpcCidr", `"" is not an IPv4 CIDR block`},
		{"wider than /16", noPhi, cidr("10.0.0.0/15"), "VpcCidr", "10.0.0.0/15: a VPC's prefix length is from /16 to /28"},
		{"too small for 2 AZs", noPhi, cidr("10.0.0.0/22"), "VpcCidr", "10.0.0.0/22 has room for 4 /24 subnets; 3 tiers x 2 AZs need 6"},
		{"narrower than a subnet", noPhi, cidr("10.0.0.0/26"), "VpcCidr", "has room for 0 /24 subnets"},
		{"3 AZs, 1 NAT", noPhi, azs(3, 1), "", ""},
		{"3 AZs, 3 NATs", noPhi, azs(3, 3), "", ""},
		{"1 AZ", noPhi, azs(1, 1), "MaxAzs", "1: at least 2 Availability Zones"},
		{"0 AZs", noPhi, azs(0, 1), "MaxAzs", "0: at least 2"},
		{"no NAT", noPhi, azs(2, 0), "NatGateways", "0: from 1 (one shared NAT gateway) to MaxAzs (2, one per AZ)"},
		{"NAT per AZ plus one", noPhi, azs(2, 3), "NatGateways", "3: from 1"},
		{"6 AZs need a /21 or more", noPhi, func(p *Profile) { p.VpcCidr, p.MaxAzs, p.NatGateways = "10.0.0.0/21", 6, 1 }, "VpcCidr", "3 tiers x 6 AZs need 18"},
	})
}

func TestProfileValidateDatabase(t *testing.T) {
	class := func(c string) func(p *Profile) { return func(p *Profile) { p.DatabaseInstanceType = c } }
	storage := func(gib int) func(p *Profile) { return func(p *Profile) { p.DatabaseStorageGiB = gib } }
	backup := func(days int) func(p *Profile) { return func(p *Profile) { p.BackupRetentionDays = days } }
	runProfileCases(t, []profileCase{
		{"memory class", noPhi, class("r6g.large"), "", ""},
		{"db. prefix", noPhi, class("db.t4g.medium"), "DatabaseInstanceType", `"db.t4g.medium": an RDS instance class without "db."`},
		{"no size", noPhi, class("t4g"), "DatabaseInstanceType", `"t4g"`},
		{"empty class", noPhi, class(""), "DatabaseInstanceType", `"": an RDS instance class`},
		{"default storage", noPhi, storage(0), "", ""},
		{"largest storage", noPhi, storage(999), "", ""},
		{"storage too small", noPhi, storage(19), "DatabaseStorageGiB", "19: 0 for the default, or from 20 to 999"},
		{"storage at the autoscaling ceiling", noPhi, storage(1000), "DatabaseStorageGiB", "below the storage autoscaling ceiling of 1000 GiB"},
		{"negative storage", noPhi, storage(-1), "DatabaseStorageGiB", "-1:"},
		{"Aurora without storage", phi, storage(0), "", ""},
		{"Aurora with storage", phi, storage(100), "DatabaseStorageGiB", "has no effect on Aurora"},
		{"1 backup day", noPhi, backup(1), "", ""},
		{"35 backup days", noPhi, backup(35), "", ""},
		{"no backups", noPhi, backup(0), "BackupRetentionDays", "0 days: RDS keeps automated backups from 1 to 35 days"},
		{"36 backup days", noPhi, backup(36), "BackupRetentionDays", "36 days: RDS keeps automated backups from 1 to 35 days"},
	})
}

func TestProfileValidateLogsAndAlarms(t *testing.T) {
	logs := func(days int) func(p *Profile) { return func(p *Profile) { p.LogRetentionDays = days } }
	emails := func(e ...string) func(p *Profile) { return func(p *Profile) { p.AlarmEmails = e } }
	runProfileCases(t, []profileCase{
		{"1 log day", noPhi, logs(1), "", ""},
		{"logs forever", phi, logs(retention.InfiniteDays), "", ""},
		{"0 log days", noPhi, logs(0), "LogRetentionDays", "0 days: retention must be positive"},
		{"31 log days", noPhi, logs(31), "LogRetentionDays", "31 days is not a CloudWatch Logs retention; use one of 1, 3, 5"},
		{"one day short of six years", phi, logs(2191), "LogRetentionDays", "2191 days is not a CloudWatch Logs retention"},
		{"no alarm emails without PHI", noPhi, emails(), "", ""},
		{"two alarm emails", phi, emails("a@example.com", "b@example.org"), "", ""},
		{"display name", phi, emails("Ops <ops@example.com>"), "AlarmEmails", `"Ops <ops@example.com>" is not a plain email address`},
		{"no dot in domain", noPhi, emails("ops@localhost"), "AlarmEmails", `"ops@localhost" is not a plain email address`},
		{"not an address", noPhi, emails("ops"), "AlarmEmails", `"ops" is not a plain email address`},
	})
}

// A profile that holds PHI refuses each relaxed control; where no PHI is
// held the same relaxation is accepted.
func TestProfileValidatePhiRelaxations(t *testing.T) {
	relax := []profileCase{
		{"DatabaseMultiAz", phi, func(p *Profile) { p.DatabaseMultiAz = false }, "DatabaseMultiAz", "keeps a standby database in a second AZ"},
		{"DeletionProtection", phi, func(p *Profile) { p.DeletionProtection = false }, "DeletionProtection", "keeps its database deletion-protected"},
		{"NatGateways", phi, func(p *Profile) { p.NatGateways = 1 }, "NatGateways", "1 NAT gateway(s) for 2 AZs"},
		{"InterfaceEndpoints", phi, func(p *Profile) { p.InterfaceEndpoints = false }, "InterfaceEndpoints", "through VPC endpoints"},
		{"BackupRetentionDays", phi, func(p *Profile) { p.BackupRetentionDays = MinPhiBackupRetentionDays - 1 }, "BackupRetentionDays", "6 days: an environment that holds PHI keeps at least 7"},
		{"AlarmEmails", phi, func(p *Profile) { p.AlarmEmails = nil }, "AlarmEmails", "must send its security alarms to someone"},
		{"LogRetentionDays", phi, func(p *Profile) { p.LogRetentionDays = 1827 }, "LogRetentionDays", "1827 days: an environment that holds PHI keeps logs at least six years (2192 days)"},
		{"PhiBucketObjectLockDays", phi, func(p *Profile) { p.PhiBucketObjectLockDays = 0 }, "PhiBucketObjectLockDays", "Object Lock (set the days) or cross-region replication"},
		{"AppTaskCount", phi, func(p *Profile) { p.AppTaskCount = 1 }, "AppTaskCount", "1 task(s): an environment that holds PHI runs at least 2"},
	}
	runProfileCases(t, append([]profileCase{{"as given", phi, func(p *Profile) {}, "", ""}}, relax...))
	var allowed []profileCase
	for _, tc := range relax {
		change := tc.change
		allowed = append(allowed, profileCase{name: tc.name + " without PHI", base: phi, change: func(p *Profile) {
			change(p)
			p.HoldsPhi = false
		}})
	}
	runProfileCases(t, allowed)
}

func TestProfileValidateAppTier(t *testing.T) {
	runProfileCases(t, []profileCase{
		{"no image", noPhi, func(p *Profile) { p.AppImage = "" }, "AppImage/AppCertificateArn/AppTaskCount", "needs an image"},
		{"no certificate", noPhi, func(p *Profile) { p.AppCertificateArn = "" }, "AppImage/AppCertificateArn/AppTaskCount", "a certificate ARN"},
		{"no task", noPhi, func(p *Profile) { p.AppTaskCount = 0 }, "AppImage/AppCertificateArn/AppTaskCount", "at least one task"},
	})
}

// Interface endpoints can be narrowed to what the workloads call, in a PHI
// environment too, but never below what the bastion needs.
func TestProfileValidateInterfaceEndpointServices(t *testing.T) {
	services := func(s ...hipaavpc.InterfaceEndpoint) func(p *Profile) {
		return func(p *Profile) { p.InterfaceEndpointServices = s }
	}
	bastion := hipaavpc.RequiredInterfaceEndpoints()
	plus := func(extra ...hipaavpc.InterfaceEndpoint) []hipaavpc.InterfaceEndpoint {
		return append(append([]hipaavpc.InterfaceEndpoint(nil), bastion...), extra...)
	}
	runProfileCases(t, []profileCase{
		{"only the bastion's, holding PHI", phi, services(bastion...), "", ""},
		{"bastion's and secrets manager", phi, services(plus(hipaavpc.EndpointSecretsManager)...), "", ""},
		{"without ssmmessages", phi, services(hipaavpc.EndpointKms, hipaavpc.EndpointLogs, hipaavpc.EndpointSsm, hipaavpc.EndpointEc2Messages), "InterfaceEndpointServices",
			`"ssmmessages" cannot be removed: Session Manager carries the bastion's sessions over ssmmessages`},
		{"without kms, no PHI either", noPhi, func(p *Profile) {
			p.InterfaceEndpoints = true
			p.InterfaceEndpointServices = []hipaavpc.InterfaceEndpoint{hipaavpc.EndpointLogs, hipaavpc.EndpointSsm, hipaavpc.EndpointSsmMessages, hipaavpc.EndpointEc2Messages}
		}, "InterfaceEndpointServices", `"kms" cannot be removed`},
		{"unknown service", phi, services(plus("s3")...), "InterfaceEndpointServices", `"s3" is not an interface endpoint HipaaVpc offers`},
		{"listed twice", phi, services(plus(hipaavpc.EndpointSsm)...), "InterfaceEndpointServices", `"ssm" is listed twice`},
		{"list without endpoints", noPhi, services(bastion...), "InterfaceEndpointServices", "InterfaceEndpoints is off"},
	})
}

// Aurora Serverless v2 is a capacity mode of Aurora, allowed where PHI is
// held, within Aurora's ACU bounds.
func TestProfileValidateServerlessV2(t *testing.T) {
	serverless := func(min, max float64) func(p *Profile) {
		return func(p *Profile) {
			p.DatabaseInstanceType = ""
			p.DatabaseServerlessV2 = &ServerlessV2Capacity{MinAcu: min, MaxAcu: max}
		}
	}
	runProfileCases(t, []profileCase{
		{"holding PHI", phi, serverless(0.5, 8), "", ""},
		{"widest", phi, serverless(0.5, 256), "", ""},
		{"fixed capacity", phi, serverless(4, 4), "", ""},
		{"not aurora", noPhi, func(p *Profile) { serverless(0.5, 8)(p); p.DatabaseAurora, p.DatabaseStorageGiB = false, 0 }, "DatabaseServerlessV2", "needs DatabaseAurora"},
		{"with an instance class", phi, func(p *Profile) { serverless(0.5, 8)(p); p.DatabaseInstanceType = "r6g.large" }, "DatabaseInstanceType", `"r6g.large" has no effect with DatabaseServerlessV2`},
		{"below 0.5", phi, serverless(0, 8), "DatabaseServerlessV2", "MinCapacity 0: Aurora Serverless v2 capacity is from 0.5 to 256 ACUs"},
		{"above 256", phi, serverless(1, 512), "DatabaseServerlessV2", "MaxCapacity 512: Aurora Serverless v2 capacity is from 0.5 to 256"},
		{"not a half step", phi, serverless(0.75, 8), "DatabaseServerlessV2", "MinCapacity 0.75"},
		{"min above max", phi, serverless(16, 8), "DatabaseServerlessV2", "MinCapacity 16 is above MaxCapacity 8"},
	})
}

// The flow logs' Infrequent Access class relaxes nothing: accepted with PHI,
// and the six-year log retention is still required.
func TestProfileValidateFlowLogsInfrequentAccess(t *testing.T) {
	runProfileCases(t, []profileCase{
		{"holding PHI", phi, func(p *Profile) { p.FlowLogsInfrequentAccess = true }, "", ""},
		{"without PHI", noPhi, func(p *Profile) { p.FlowLogsInfrequentAccess = true }, "", ""},
		{"still six years with PHI", phi, func(p *Profile) { p.FlowLogsInfrequentAccess, p.LogRetentionDays = true, 365 }, "LogRetentionDays", "keeps logs at least six years"},
	})
}

// The PHI bucket is protected one way, and its name fits S3's limit.
func TestProfileValidatePhiBucket(t *testing.T) {
	replica := &PhiBucketReplica{BucketArn: "arn:aws:s3:::replica", KeyArn: "arn:aws:kms:us-west-2:111111111111:key/k"}
	runProfileCases(t, []profileCase{
		{"replication instead of Object Lock", phi, func(p *Profile) { p.PhiBucketObjectLockDays, p.PhiBucketReplica = 0, replica }, "", ""},
		{"both", phi, func(p *Profile) { p.PhiBucketReplica = replica }, "PhiBucketObjectLockDays", "cannot be combined with PhiBucketReplica"},
		{"negative lock", noPhi, func(p *Profile) { p.PhiBucketObjectLockDays = -1 }, "PhiBucketObjectLockDays", "is negative"},
		{"name too long for the bucket", phi, func(p *Profile) { p.Name = "a-very-long-environment-name" }, "Name", "it names the PHI bucket"},
		{"upper case", noPhi, func(p *Profile) { p.Name = "Dev" }, "Name", "lower-case"},
	})
}

func TestShippedProfilesAreValidAndPhiIsWhereExpected(t *testing.T) {
	want := map[string]bool{"dev": false, "staging": true, "prod": true}
	if len(Profiles) != len(want) {
		t.Errorf("%d profiles, want %d (%v)", len(Profiles), len(want), want)
	}
	for _, p := range Profiles {
		if err := p.Validate(); err != nil {
			t.Errorf("profile %s: %v", p.Name, err)
		}
		if holds, ok := want[p.Name]; !ok || holds != p.HoldsPhi {
			t.Errorf("profile %s: HoldsPhi %v, want %v (known: %v)", p.Name, p.HoldsPhi, holds, ok)
		}
	}
}

func TestProfileNamed(t *testing.T) {
	for _, want := range Profiles {
		got, err := ProfileNamed(want.Name)
		if err != nil || got.Name != want.Name || got.VpcCidr != want.VpcCidr {
			t.Errorf("ProfileNamed(%q) = %s (%s), %v", want.Name, got.Name, got.VpcCidr, err)
		}
	}
	_, err := ProfileNamed("qa")
	if want := `unknown environment "qa"; known: [dev staging prod]`; err == nil || err.Error() != want {
		t.Errorf("ProfileNamed(qa): %v, want %q", err, want)
	}
}
