package assertions_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
)

func TestPhiDatabaseRejectsBadInput(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *phidatabase.PhiDatabaseProps)
		want   []string
	}{
		{"no vpc", func(p *phidatabase.PhiDatabaseProps) { p.Vpc = nil }, []string{"Vpc", "required"}},
		{"serverless v2 on rds postgres", func(p *phidatabase.PhiDatabaseProps) { p.ServerlessV2 = &phidatabase.ServerlessV2Props{} },
			[]string{"ServerlessV2", "Aurora capacity mode", "EngineAuroraPostgres"}},
		{"serverless v2 with an instance type", func(p *phidatabase.PhiDatabaseProps) {
			p.Engine = phidatabase.EngineAuroraPostgres
			p.ServerlessV2 = &phidatabase.ServerlessV2Props{}
			p.InstanceType = awsec2.NewInstanceType(jsii.String("r6g.large"))
		}, []string{"InstanceType", "db.serverless"}},
		{"serverless v2 below 0.5 acu", func(p *phidatabase.PhiDatabaseProps) {
			p.Engine = phidatabase.EngineAuroraPostgres
			p.ServerlessV2 = &phidatabase.ServerlessV2Props{MinCapacity: jsii.Number(0.25)}
		}, []string{"ServerlessV2", "MinCapacity 0.25", "0.5 to 256 ACUs"}},
		{"serverless v2 above 256 acu", func(p *phidatabase.PhiDatabaseProps) {
			p.Engine = phidatabase.EngineAuroraPostgres
			p.ServerlessV2 = &phidatabase.ServerlessV2Props{MaxCapacity: jsii.Number(300)}
		}, []string{"ServerlessV2", "MaxCapacity 300"}},
		{"serverless v2 not a half step", func(p *phidatabase.PhiDatabaseProps) {
			p.Engine = phidatabase.EngineAuroraPostgres
			p.ServerlessV2 = &phidatabase.ServerlessV2Props{MaxCapacity: jsii.Number(7.3)}
		}, []string{"ServerlessV2", "steps of 0.5"}},
		{"serverless v2 min above max", func(p *phidatabase.PhiDatabaseProps) {
			p.Engine = phidatabase.EngineAuroraPostgres
			p.ServerlessV2 = &phidatabase.ServerlessV2Props{MinCapacity: jsii.Number(16)} // default max 8
		}, []string{"ServerlessV2", "MinCapacity 16 is above MaxCapacity 8"}},
		{"serverless v2 token", func(p *phidatabase.PhiDatabaseProps) {
			p.Engine = phidatabase.EngineAuroraPostgres
			p.ServerlessV2 = &phidatabase.ServerlessV2Props{MaxCapacity: numberToken("Acu")}
		}, []string{"ServerlessV2.MaxCapacity", "literal"}},
		{"no app client", func(p *phidatabase.PhiDatabaseProps) { p.AppClients = nil }, []string{"AppClients", "at least one"}},
		{"empty app clients", func(p *phidatabase.PhiDatabaseProps) { p.AppClients = &[]awsec2.IPeer{} }, []string{"AppClients", "at least one"}},
		{"no access client", func(p *phidatabase.PhiDatabaseProps) { p.AccessClient = nil }, []string{"AccessClient", "required"}},
		{"cidr app client", func(p *phidatabase.PhiDatabaseProps) {
			p.AppClients = &[]awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("10.0.1.0/24"))}
		}, []string{"AppClients", "CIDR"}},
		{"any ipv4 access client", func(p *phidatabase.PhiDatabaseProps) { p.AccessClient = awsec2.Peer_AnyIpv4() }, []string{"AccessClient", "0.0.0.0/0"}},
		{"any ipv6 app client", func(p *phidatabase.PhiDatabaseProps) {
			p.AppClients = &[]awsec2.IPeer{(*p.AppClients)[0], awsec2.Peer_AnyIpv6()}
		}, []string{"AppClients", "::/0"}},
		{"ipv6 cidr access client", func(p *phidatabase.PhiDatabaseProps) { p.AccessClient = awsec2.Peer_Ipv6(jsii.String("fd00::/64")) }, []string{"AccessClient", "CIDR"}},
		{"prefix list app client", func(p *phidatabase.PhiDatabaseProps) {
			p.AppClients = &[]awsec2.IPeer{awsec2.Peer_PrefixList(jsii.String("pl-12345678"))}
		}, []string{"AppClients", "prefix-list"}},
		{"backup retention 0", func(p *phidatabase.PhiDatabaseProps) { p.BackupRetentionDays = jsii.Number(0) }, []string{"BackupRetentionDays", "1 to 35"}},
		{"backup retention 36", func(p *phidatabase.PhiDatabaseProps) { p.BackupRetentionDays = jsii.Number(36) }, []string{"BackupRetentionDays", "1 to 35"}},
		{"backup retention fractional", func(p *phidatabase.PhiDatabaseProps) { p.BackupRetentionDays = jsii.Number(1.5) }, []string{"BackupRetentionDays"}},
		{"public access", func(p *phidatabase.PhiDatabaseProps) { p.PubliclyAccessible = jsii.Bool(true) }, []string{"PubliclyAccessible", "never publicly accessible"}},
		{"no encryption", func(p *phidatabase.PhiDatabaseProps) { p.StorageEncrypted = jsii.Bool(false) }, []string{"StorageEncrypted", "enforced"}},
		{"multi-az off without opt-out", func(p *phidatabase.PhiDatabaseProps) { p.MultiAz = jsii.Bool(false) }, []string{"MultiAz", "DisableMultiAzForNonPhiEnvironment"}},
		{"multi-az on with opt-out", func(p *phidatabase.PhiDatabaseProps) {
			p.MultiAz = jsii.Bool(true)
			p.DisableMultiAzForNonPhiEnvironment = jsii.Bool(true)
		}, []string{"MultiAz", "contradicts"}},
		{"removal destroy", func(p *phidatabase.PhiDatabaseProps) { p.RemovalPolicy = awscdk.RemovalPolicy_DESTROY }, []string{"RemovalPolicy", "SNAPSHOT"}},
		{"unencryptable t2.micro", func(p *phidatabase.PhiDatabaseProps) {
			p.InstanceType = awsec2.InstanceType_Of(awsec2.InstanceClass_T2, awsec2.InstanceSize_MICRO)
		}, []string{"InstanceType", "db.t2.micro", "cannot be encrypted"}},
		{"unencryptable m1", func(p *phidatabase.PhiDatabaseProps) {
			p.InstanceType = awsec2.NewInstanceType(jsii.String("m1.large"))
		}, []string{"InstanceType", "cannot be encrypted"}},
		{"class aurora does not offer", func(p *phidatabase.PhiDatabaseProps) {
			p.Engine = phidatabase.EngineAuroraPostgres
			p.InstanceType = awsec2.NewInstanceType(jsii.String("t4g.micro"))
		}, []string{"InstanceType", "Aurora"}},
		{"unknown engine", func(p *phidatabase.PhiDatabaseProps) { p.Engine = "mysql" }, []string{"Engine", "EnginePostgres"}},
		{"version not major.minor", func(p *phidatabase.PhiDatabaseProps) { p.EngineVersion = jsii.String("17") }, []string{"EngineVersion", "major.minor"}},
		{"old major version", func(p *phidatabase.PhiDatabaseProps) { p.EngineVersion = jsii.String("12.22") }, []string{"EngineVersion", "14"}},
		{"app tier subnets", func(p *phidatabase.PhiDatabaseProps) {
			p.DataSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.AppTierName)}
		}, []string{"DataSubnets", "not an isolated subnet"}},
		{"access client also an app client", func(p *phidatabase.PhiDatabaseProps) {
			p.AppClients = &[]awsec2.IPeer{(*p.AppClients)[0], p.AccessClient}
		}, []string{"AppClients", "listed twice"}},
		{"unknown subnet group", func(p *phidatabase.PhiDatabaseProps) {
			p.DataSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Nope")}
		}, []string{"DataSubnets", "matches no subnets"}},
		{"unsupported log retention", func(p *phidatabase.PhiDatabaseProps) { p.LogRetentionDays = jsii.Number(42) }, []string{"LogRetentionDays", "2192"}},
		{"bad identifier", func(p *phidatabase.PhiDatabaseProps) { p.Identifier = jsii.String("Phi_DB") }, []string{"Identifier", "lower-case"}},
		{"privileged port", func(p *phidatabase.PhiDatabaseProps) { p.Port = jsii.Number(80) }, []string{"Port", "1150"}},
		{"max storage below allocated", func(p *phidatabase.PhiDatabaseProps) { p.MaxAllocatedStorageGiB = jsii.Number(50) }, []string{"MaxAllocatedStorageGiB", "larger"}},
		{"storage on aurora", func(p *phidatabase.PhiDatabaseProps) {
			p.Engine = phidatabase.EngineAuroraPostgres
			p.AllocatedStorageGiB = jsii.Number(100)
		}, []string{"AllocatedStorageGiB", "Aurora"}},
		{"monthly shorter than daily", func(p *phidatabase.PhiDatabaseProps) { p.MonthlyBackupRetentionDays = jsii.Number(30) }, []string{"MonthlyBackupRetentionDays", "shorter"}},
		{"bad database name", func(p *phidatabase.PhiDatabaseProps) { p.DatabaseName = jsii.String("my-db") }, []string{"DatabaseName"}},
		{"reserved master user", func(p *phidatabase.PhiDatabaseProps) { p.MasterUsername = jsii.String("rdsadmin") }, []string{"MasterUsername"}},
		{"reserved database name", func(p *phidatabase.PhiDatabaseProps) { p.DatabaseName = jsii.String("template1") }, []string{"DatabaseName", "reserved"}},
		{"aws managed key alias", func(p *phidatabase.PhiDatabaseProps) {
			p.EncryptionKey = awskms.Alias_FromAliasName(awscdk.Stack_Of(p.Vpc), jsii.String("RdsManaged"), jsii.String("alias/aws/rds"))
		}, []string{"EncryptionKey", "alias/aws/rds", "AWS managed"}},
		{"customer alias", func(p *phidatabase.PhiDatabaseProps) {
			p.EncryptionKey = awskms.Alias_FromAliasName(awscdk.Stack_Of(p.Vpc), jsii.String("Mine"), jsii.String("alias/phi"))
		}, []string{"EncryptionKey", "alias"}},
		{"aws managed key by arn", func(p *phidatabase.PhiDatabaseProps) {
			p.EncryptionKey = awskms.Key_FromKeyArn(awscdk.Stack_Of(p.Vpc), jsii.String("Managed"), jsii.String("arn:aws:kms:us-east-1:111122223333:alias/aws/rds"))
		}, []string{"EncryptionKey", "AWS managed"}},
		{"port as a token", func(p *phidatabase.PhiDatabaseProps) {
			p.Port = awscdk.NewCfnParameter(awscdk.Stack_Of(p.Vpc), jsii.String("DbPort"), &awscdk.CfnParameterProps{Type: jsii.String("Number")}).ValueAsNumber()
		}, []string{"Port", "literal"}},
		{"backup retention as a token", func(p *phidatabase.PhiDatabaseProps) {
			p.BackupRetentionDays = awscdk.NewCfnParameter(awscdk.Stack_Of(p.Vpc), jsii.String("Days"), &awscdk.CfnParameterProps{Type: jsii.String("Number")}).ValueAsNumber()
		}, []string{"BackupRetentionDays", "literal"}},
		{"log retention below six years", func(p *phidatabase.PhiDatabaseProps) { p.LogRetentionDays = jsii.Number(365) }, []string{"LogRetentionDays", "AllowRetentionShorterThanSixYears"}},
		{"vault lock with equal retentions", func(p *phidatabase.PhiDatabaseProps) {
			p.EnableVaultLock = jsii.Bool(true)
			p.DailyBackupRetentionDays = jsii.Number(35)
			p.MonthlyBackupRetentionDays = jsii.Number(35)
		}, []string{"MonthlyBackupRetentionDays", "EnableVaultLock"}},
		{"not an instance class", func(p *phidatabase.PhiDatabaseProps) {
			p.InstanceType = awsec2.NewInstanceType(jsii.String("postgres"))
		}, []string{"InstanceType", "not a DB instance class"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectSynthError(t, func(stack awscdk.Stack) {
				// The network lives in a sibling stack, so the check that bad
				// input created nothing applies to the database's stack.
				netStack := awscdk.NewStack(stack.Node().Scope().(constructs.Construct), jsii.String("Net"), nil)
				p := newDbNetwork(netStack).props()
				c.mutate(p)
				phidatabase.NewPhiDatabase(stack, jsii.String("Db"), p)
			}, append([]string{"PhiDatabase"}, c.want...)...)
		})
	}
	t.Run("nil props", func(t *testing.T) {
		expectSynthError(t, func(stack awscdk.Stack) {
			phidatabase.NewPhiDatabase(stack, jsii.String("Db"), nil)
		}, "PhiDatabase", "Vpc")
	})
	// Without NAT the app tier is isolated too; an "all isolated subnets"
	// selection must still not put the database in the app tier.
	t.Run("isolated app tier without NAT", func(t *testing.T) {
		expectSynthError(t, func(stack awscdk.Stack) {
			netStack := awscdk.NewStack(stack.Node().Scope().(constructs.Construct), jsii.String("Net"), nil)
			net := hipaavpc.NewHipaaVpc(netStack, jsii.String("Net"), &hipaavpc.HipaaVpcProps{DisableNatGateways: jsii.Bool(true)})
			app := awsec2.NewSecurityGroup(netStack, jsii.String("App"), &awsec2.SecurityGroupProps{Vpc: net.Vpc()})
			access := awsec2.NewSecurityGroup(netStack, jsii.String("Access"), &awsec2.SecurityGroupProps{Vpc: net.Vpc()})
			phidatabase.NewPhiDatabase(stack, jsii.String("Db"), &phidatabase.PhiDatabaseProps{
				Vpc: net.Vpc(), AppClients: &[]awsec2.IPeer{app}, AccessClient: access,
				DataSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED},
			})
		}, "PhiDatabase", "DataSubnets", "data tier")
	})
}

func TestPhiDatabaseDoesNotMutateProps(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("S"), nil)
	props := newDbNetwork(stack).props()
	before := *props
	phidatabase.NewPhiDatabase(stack, jsii.String("Db"), props)
	if *props != before {
		t.Errorf("NewPhiDatabase changed the caller's props: %+v", *props)
	}
}

// GrantConnect adds rds-db:connect for one user to the grantee; a missing
// user is refused. (Not a nag fixture: CDK grants use an inline policy.)
func TestPhiDatabaseGrantConnect(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("Grant"), nil)
	db := phidatabase.NewPhiDatabase(stack, jsii.String("Db"), newDbNetwork(stack).props())
	role := awsiam.NewRole(stack, jsii.String("Reader"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
	})
	db.GrantConnect(role, jsii.String("report_reader"))
	for _, bad := range []string{"", "*", "a/b"} {
		msg := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			db.GrantConnect(role, jsii.String(bad))
			return
		}()
		if !strings.Contains(msg, "PhiDatabase") || !strings.Contains(msg, "dbUser") {
			t.Errorf("GrantConnect(%q): error %q, want one naming PhiDatabase and dbUser", bad, msg)
		}
	}
	if db.Instance() == nil || db.Cluster() != nil || db.SecurityGroup() == nil || db.Secret() == nil ||
		db.EncryptionKey() == nil || db.BackupVault() == nil || db.BackupPlan() == nil || len(db.LogGroups()) != 2 ||
		db.EndpointAddress() == nil || db.Port() == nil {
		t.Error("an accessor returned nil for an RDS PostgreSQL database")
	}
	tmpl := assertions.Template_FromStack(stack, nil)
	tmpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
		"PolicyDocument": map[string]interface{}{"Statement": []interface{}{map[string]interface{}{
			"Action": "rds-db:connect", "Effect": "Allow",
			"Resource": map[string]interface{}{"Fn::Join": []interface{}{"", assertions.Match_ArrayWith(&[]interface{}{
				":dbuser:", map[string]interface{}{"Fn::GetAtt": []interface{}{assertions.Match_StringLikeRegexp(jsii.String("^DbInstance")), "DbiResourceId"}}, "/report_reader",
			})}},
		}}},
		"Roles": []interface{}{map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Reader"))}},
	})
}

// Aurora with the non-PHI opt-out has a writer only. (Not a nag fixture: the
// configuration differs from auroraDefaults only in the reader.)
func TestPhiDatabaseAuroraSingleAzOptOut(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("AuroraSingle"), nil)
	p := newDbNetwork(stack).props()
	p.Engine = phidatabase.EngineAuroraPostgres
	p.DisableMultiAzForNonPhiEnvironment = jsii.Bool(true)
	db := phidatabase.NewPhiDatabase(stack, jsii.String("Db"), p)
	if db.Cluster() == nil || db.Instance() != nil {
		t.Error("Aurora: Cluster() must be set and Instance() nil")
	}
	tmpl := assertions.Template_FromStack(stack, nil)
	tmpl.ResourceCountIs(jsii.String("AWS::RDS::DBCluster"), jsii.Number(1))
	tmpl.ResourceCountIs(jsii.String("AWS::RDS::DBInstance"), jsii.Number(1))
	tmpl.HasResourceProperties(jsii.String("AWS::RDS::DBCluster"), map[string]interface{}{
		"StorageEncrypted": true, "DeletionProtection": true,
	})
}
