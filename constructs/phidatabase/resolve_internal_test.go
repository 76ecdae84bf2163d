package phidatabase

import (
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/fakes"
)

var (
	appSG    = &fakes.SecurityGroup{ID: "AppTier"}
	accessSG = &fakes.SecurityGroup{ID: "Bastion"}
)

// valid is the smallest props resolve accepts (a HipaaVpc-like VPC, one app
// client, the access client), changed by mod.
func valid(mod func(*PhiDatabaseProps)) *PhiDatabaseProps {
	p := &PhiDatabaseProps{Vpc: fakes.ThreeTier(2, true), AppClients: &[]awsec2.IPeer{appSG}, AccessClient: accessSG}
	if mod != nil {
		mod(p)
	}
	return p
}

func dbType(name string) *fakes.InstanceType { return &fakes.InstanceType{Name: name} }

func TestResolveRefusesBadProps(t *testing.T) {
	type P = PhiDatabaseProps
	yes, no := jsii.Bool(true), jsii.Bool(false)
	vpc := fakes.ThreeTier(2, true)
	oneAz := fakes.ThreeTier(1, true)
	fakes.CheckPartialRefusals(t, "PhiDatabase", resolve, []fakes.Refusal[*PhiDatabaseProps]{
		{"nil props", nil, "Vpc", "props are required"},
		{"empty props", &P{}, "Vpc", "a VPC is required"},
		{"no app clients", valid(func(p *P) { p.AppClients = nil }), "AppClients", "at least one"},
		{"nil app client", valid(func(p *P) { p.AppClients = &[]awsec2.IPeer{nil} }), "AppClients", "entry 0: is nil"},
		{"any address", valid(func(p *P) { p.AppClients = &[]awsec2.IPeer{fakes.Ipv4("0.0.0.0/0")} }), "AppClients", "0.0.0.0/0 (any address) is never allowed"},
		{"cidr client", valid(func(p *P) { p.AppClients = &[]awsec2.IPeer{fakes.Ipv4("10.0.1.0/24")} }), "AppClients", "10.0.1.0/24 is a CIDR or prefix-list peer"},
		{"peer with no rule", valid(func(p *P) { p.AppClients = &[]awsec2.IPeer{&fakes.Peer{ID: "x"}} }), "AppClients", "is not a security group"},
		{"no access client", valid(func(p *P) { p.AccessClient = nil }), "AccessClient", "is required"},
		{"cidr access client", valid(func(p *P) { p.AccessClient = fakes.Ipv4("::/0") }), "AccessClient", "never allowed"},
		{"group twice", valid(func(p *P) { p.AccessClient = appSG }), "AppClients", "security group AppTier is listed twice"},
		{"public", valid(func(p *P) { p.PubliclyAccessible = yes }), "PubliclyAccessible", "never publicly accessible"},
		{"unencrypted", valid(func(p *P) { p.StorageEncrypted = no }), "StorageEncrypted", "cannot be turned off"},
		{"aws managed key", valid(func(p *P) { p.EncryptionKey = &fakes.Alias{Name: "alias/aws/rds"} }), "EncryptionKey", "AWS managed key"},
		{"single az", valid(func(p *P) { p.MultiAz = no }), "MultiAz", "DisableMultiAzForNonPhiEnvironment instead"},
		{"multi az and opt out", valid(func(p *P) { p.MultiAz, p.DisableMultiAzForNonPhiEnvironment = yes, yes }), "MultiAz", "contradicts"},
		{"destroyed", valid(func(p *P) { p.RemovalPolicy = awscdk.RemovalPolicy_DESTROY }), "RemovalPolicy", "DESTROY"},
		{"unknown engine", valid(func(p *P) { p.Engine = "mysql" }), "Engine", `"mysql"`},
		{"version without minor", valid(func(p *P) { p.EngineVersion = jsii.String("17") }), "EngineVersion", `"17": give a PostgreSQL "major.minor"`},
		{"old major", valid(func(p *P) { p.EngineVersion = jsii.String("13.4") }), "EngineVersion", "PostgreSQL 14 and later"},
		{"serverless on rds", valid(func(p *P) { p.ServerlessV2 = &ServerlessV2Props{} }), "ServerlessV2", "set Engine to EngineAuroraPostgres"},
		{"serverless and instance type", valid(func(p *P) {
			p.Engine, p.ServerlessV2, p.InstanceType = EngineAuroraPostgres, &ServerlessV2Props{}, dbType("r6g.large")
		}),
			"InstanceType", "does not apply with ServerlessV2"},
		{"serverless token", valid(func(p *P) {
			p.Engine, p.ServerlessV2 = EngineAuroraPostgres, &ServerlessV2Props{MaxCapacity: jsii.Number(fakes.NumberToken)}
		}), "ServerlessV2.MaxCapacity", "literal number"},
		{"serverless min above max", valid(func(p *P) {
			p.Engine, p.ServerlessV2 = EngineAuroraPostgres, &ServerlessV2Props{MinCapacity: jsii.Number(16)}
		}), "ServerlessV2", "MinCapacity 16 is above MaxCapacity 8"},
		{"serverless quarter acu", valid(func(p *P) {
			p.Engine, p.ServerlessV2 = EngineAuroraPostgres, &ServerlessV2Props{MinCapacity: jsii.Number(0.75)}
		}), "ServerlessV2", "steps of 0.5"},
		{"not a class", valid(func(p *P) { p.InstanceType = dbType("large") }), "InstanceType", `"large" is not a DB instance class such as db.t4g.medium`},
		{"unencryptable class", valid(func(p *P) { p.InstanceType = dbType("db.t2.micro") }), "InstanceType", "db.t2.micro cannot be encrypted at rest"},
		{"previous generation", valid(func(p *P) { p.InstanceType = dbType("m1.large") }), "InstanceType", "cannot be encrypted"},
		{"not an aurora class", valid(func(p *P) { p.Engine, p.InstanceType = EngineAuroraPostgres, dbType("m6g.large") }), "InstanceType", "not offered by Aurora PostgreSQL"},
		{"default class on aurora", valid(func(p *P) { p.Engine = EngineAuroraPostgres; p.InstanceType = dbType("t4g.micro") }), "InstanceType", "db.t4g.micro is not offered"},
		{"port token", valid(func(p *P) { p.Port = jsii.Number(fakes.NumberToken) }), "Port", "literal number"},
		{"backup token", valid(func(p *P) { p.BackupRetentionDays = jsii.Number(fakes.NumberToken) }), "BackupRetentionDays", "literal number"},
		{"log token", valid(func(p *P) { p.LogRetentionDays = jsii.Number(fakes.NumberToken) }), "LogRetentionDays", "literal number"},
		{"backup zero", valid(func(p *P) { p.BackupRetentionDays = jsii.Number(0) }), "BackupRetentionDays", "from 1 to 35"},
		{"privileged port", valid(func(p *P) { p.Port = jsii.Number(80) }), "Port", "from 1150 to 65535"},
		{"aurora storage", valid(func(p *P) {
			p.Engine, p.InstanceType, p.AllocatedStorageGiB = EngineAuroraPostgres, dbType("r6g.large"), jsii.Number(100)
		}),
			"AllocatedStorageGiB", "does not apply to Aurora"},
		{"storage too small", valid(func(p *P) { p.AllocatedStorageGiB = jsii.Number(10) }), "AllocatedStorageGiB", "from 20 to 65536"},
		{"max storage too large", valid(func(p *P) { p.MaxAllocatedStorageGiB = jsii.Number(70000) }), "MaxAllocatedStorageGiB", "from 20 to 65536"},
		{"max not above allocated", valid(func(p *P) { p.AllocatedStorageGiB = jsii.Number(1000) }), "MaxAllocatedStorageGiB", "1000 must be larger than AllocatedStorageGiB (1000)"},
		{"short log retention", valid(func(p *P) { p.LogRetentionDays = jsii.Number(365) }), "LogRetentionDays", "AllowRetentionShorterThanSixYears"},
		{"daily zero", valid(func(p *P) { p.DailyBackupRetentionDays = jsii.Number(0) }), "DailyBackupRetentionDays", "from 1 to 36500"},
		{"monthly below daily", valid(func(p *P) { p.MonthlyBackupRetentionDays = jsii.Number(30) }), "MonthlyBackupRetentionDays", "30 is shorter than DailyBackupRetentionDays (35)"},
		{"vault lock with equal days", valid(func(p *P) { p.EnableVaultLock, p.MonthlyBackupRetentionDays = yes, jsii.Number(35) }), "MonthlyBackupRetentionDays", "with EnableVaultLock"},
		{"bad database name", valid(func(p *P) { p.DatabaseName = jsii.String("1app") }), "DatabaseName", "starting with a letter"},
		{"reserved database name", valid(func(p *P) { p.DatabaseName = jsii.String("Template1") }), "DatabaseName", "reserved"},
		{"rdsadmin user", valid(func(p *P) { p.MasterUsername = jsii.String("RDSAdmin") }), "MasterUsername", "not rdsadmin"},
		{"bad username", valid(func(p *P) { p.MasterUsername = jsii.String("phi-admin") }), "MasterUsername", "letters, digits or underscores"},
		{"upper-case identifier", valid(func(p *P) { p.Identifier = jsii.String("PhiDb") }), "Identifier", "lower-case"},
		{"identifier double hyphen", valid(func(p *P) { p.Identifier = jsii.String("phi--db") }), "Identifier", "single hyphens"},
		{"identifier trailing hyphen", valid(func(p *P) { p.Identifier = jsii.String("phi-") }), "Identifier", "not ending with a hyphen"},
		{"no such subnet group", valid(func(p *P) { p.DataSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Db")} }),
			"DataSubnets", "matches no subnets of the VPC: There are no subnet groups with name 'Db'"},
		{"app subnets", valid(func(p *P) { p.DataSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("App")} }),
			"DataSubnets", "subnet Stack/Network/Vpc/AppSubnet1 is not an isolated subnet"},
		// Without NAT the app tier is isolated too.
		{"isolated app subnets", valid(func(p *P) {
			p.Vpc, p.DataSubnets = fakes.ThreeTier(2, false), &awsec2.SubnetSelection{SubnetGroupName: jsii.String("App")}
		}),
			"DataSubnets", `is not in the "Data" tier`},
		{"empty selection", valid(func(p *P) { p.DataSubnets = &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{}} }), "DataSubnets", "matches no subnets"},
		{"one az", valid(func(p *P) { p.Vpc = oneAz }), "DataSubnets", "span 1 Availability Zone(s); RDS needs at least 2"},
		{"one data subnet", valid(func(p *P) {
			p.DataSubnets = &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{vpc.Subnets("Data")[0]}}
		}),
			"DataSubnets", "span 1 Availability Zone(s)"},
	})
}

func TestResolveAppliesDefaultsAndKeepsValues(t *testing.T) {
	type P = PhiDatabaseProps
	yes := jsii.Bool(true)
	vpc := fakes.ThreeTier(2, true)
	r6g := dbType("db.r6g.large")
	fakes.CheckResolutions(t, resolve, []fakes.Resolution[*PhiDatabaseProps, settings]{
		{"defaults", valid(func(p *P) { p.Vpc = vpc }), func(s *settings) bool {
			return s.vpc == vpc && s.engine == DefaultEngine && s.version == DefaultEngineVersion && s.major == "17" &&
				s.instanceType == nil && s.instanceClass == DefaultInstanceType && s.allocated == DefaultAllocatedStorageGiB &&
				s.maxGiB == DefaultMaxAllocatedStorageGiB && s.databaseName == DefaultDatabaseName && s.username == DefaultMasterUsername &&
				s.port == DefaultPort && s.identifier == "" && s.backupDays == DefaultBackupRetentionDays && s.logDays == DefaultLogRetentionDays &&
				s.removal == awscdk.RemovalPolicy_SNAPSHOT && s.multiAz && s.deletionProtected && !s.vaultLock && !s.serverless &&
				s.dailyDays == DefaultDailyBackupRetentionDays && s.monthlyDays == DefaultMonthlyBackupRetentionDays &&
				*s.dataSubnets.SubnetGroupName == "Data" && slices.Equal(s.subnets, vpc.Subnets("Data")) &&
				slices.Equal(s.clients, []awsec2.IPeer{appSG, accessSG})
		}},
		{"instance type kept", valid(func(p *P) { p.InstanceType = r6g }), func(s *settings) bool { return s.instanceType == r6g && s.instanceClass == "r6g.large" }},
		{"aurora provisioned", valid(func(p *P) { p.Engine, p.InstanceType = EngineAuroraPostgres, dbType("t4g.medium") }),
			func(s *settings) bool { return s.engine == EngineAuroraPostgres && !s.serverless }},
		{"serverless defaults", valid(func(p *P) { p.Engine, p.ServerlessV2 = EngineAuroraPostgres, &ServerlessV2Props{} }), func(s *settings) bool {
			return s.serverless && s.minAcu == MinServerlessV2Acu && s.maxAcu == DefaultServerlessV2MaxAcu && s.instanceType == nil && s.instanceClass == ""
		}},
		{"serverless bounds kept", valid(func(p *P) {
			p.Engine, p.ServerlessV2 = EngineAuroraPostgres, &ServerlessV2Props{MinCapacity: jsii.Number(2), MaxCapacity: jsii.Number(2)}
		}), func(s *settings) bool { return s.minAcu == 2 && s.maxAcu == 2 }},
		{"non-phi opt outs", valid(func(p *P) {
			p.DisableMultiAzForNonPhiEnvironment, p.DisableDeletionProtectionForNonPhiEnvironment = yes, yes
		}),
			func(s *settings) bool { return !s.multiAz && !s.deletionProtected }},
		{"retained", valid(func(p *P) { p.RemovalPolicy = awscdk.RemovalPolicy_RETAIN }), func(s *settings) bool { return s.removal == awscdk.RemovalPolicy_RETAIN }},
		{"version kept", valid(func(p *P) { p.EngineVersion = jsii.String("16.4") }), func(s *settings) bool { return s.version == "16.4" && s.major == "16" }},
		{"numbers kept", valid(func(p *P) {
			p.Port, p.BackupRetentionDays, p.AllocatedStorageGiB, p.MaxAllocatedStorageGiB = jsii.Number(6543), jsii.Number(35), jsii.Number(20), jsii.Number(21)
			p.LogRetentionDays, p.DailyBackupRetentionDays, p.MonthlyBackupRetentionDays = jsii.Number(3653), jsii.Number(7), jsii.Number(7)
		}), func(s *settings) bool {
			return s.port == 6543 && s.backupDays == 35 && s.allocated == 20 && s.maxGiB == 21 && s.logDays == 3653 && s.dailyDays == 7 && s.monthlyDays == 7
		}},
		// A storage token reaches the template; the max/allocated comparison is skipped.
		{"storage token kept", valid(func(p *P) { p.AllocatedStorageGiB = jsii.Number(fakes.NumberToken) }), func(s *settings) bool { return s.allocated == fakes.NumberToken }},
		{"short logs where allowed", valid(func(p *P) { p.LogRetentionDays, p.AllowRetentionShorterThanSixYears = jsii.Number(30), yes }),
			func(s *settings) bool { return s.logDays == 30 }},
		{"vault lock", valid(func(p *P) { p.EnableVaultLock = yes }), func(s *settings) bool { return s.vaultLock }},
		{"names kept", valid(func(p *P) {
			p.DatabaseName, p.MasterUsername, p.Identifier = jsii.String("Records_1"), jsii.String("owner"), jsii.String("prod-phi-1")
		}), func(s *settings) bool {
			return s.databaseName == "Records_1" && s.username == "owner" && s.identifier == "prod-phi-1"
		}},
		{"explicit data subnets", valid(func(p *P) { p.Vpc, p.DataSubnets = vpc, &awsec2.SubnetSelection{Subnets: ptr(vpc.Subnets("Data"))} }),
			func(s *settings) bool { return len(s.subnets) == 2 }},
		{"two app clients", valid(func(p *P) { p.AppClients = &[]awsec2.IPeer{appSG, &fakes.SecurityGroup{ID: "Worker"}} }),
			func(s *settings) bool { return len(s.clients) == 3 && s.clients[2] == accessSG }},
	})
}

func ptr[T any](v T) *T { return &v }
