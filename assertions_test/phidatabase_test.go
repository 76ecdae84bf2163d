package assertions_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
)

// dbNetwork is what a PhiDatabase needs around it: a HipaaVpc, an app-tier
// security group and a bastion (access) security group.
type dbNetwork struct {
	net          *hipaavpc.HipaaVpc
	app, bastion awsec2.SecurityGroup
}

func newDbNetwork(scope awscdk.Stack) dbNetwork {
	net := hipaavpc.NewHipaaVpc(scope, jsii.String("Net"), nil)
	sg := func(id string) awsec2.SecurityGroup {
		return awsec2.NewSecurityGroup(scope, jsii.String(id), &awsec2.SecurityGroupProps{
			Vpc: net.Vpc(), Description: jsii.String(id), AllowAllOutbound: jsii.Bool(false),
		})
	}
	return dbNetwork{net: net, app: sg("AppSg"), bastion: sg("BastionSg")}
}

// props are the required props only.
func (n dbNetwork) props() *phidatabase.PhiDatabaseProps {
	return &phidatabase.PhiDatabaseProps{
		Vpc:          n.net.Vpc(),
		AppClients:   &[]awsec2.IPeer{n.app},
		AccessClient: n.bastion,
	}
}

// connectRole gets rds-db:connect through a managed policy, as the README
// recommends, so the fixture stays free of inline policies.
func connectRole(stack awscdk.Stack, db *phidatabase.PhiDatabase) {
	role := awsiam.NewRole(stack, jsii.String("AppRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
	})
	role.AddManagedPolicy(awsiam.NewManagedPolicy(stack, jsii.String("ConnectPolicy"), &awsiam.ManagedPolicyProps{
		Statements: &[]awsiam.PolicyStatement{db.ConnectPolicyStatement(jsii.String("app_user"))},
	}))
}

// The PhiDatabase configurations under test, each synthesized once.
var (
	pgDefaults = newFixture("phidb-pg-defaults", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("PgDefaults"), nil)
		n := newDbNetwork(stack)
		connectRole(stack, phidatabase.NewPhiDatabase(stack, jsii.String("Db"), n.props()))
	})
	pgOverrides = newFixture("phidb-pg-overrides", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("PgOverrides"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
		})
		n := newDbNetwork(stack)
		app2 := awsec2.NewSecurityGroup(stack, jsii.String("WorkerSg"), &awsec2.SecurityGroupProps{
			Vpc: n.net.Vpc(), Description: jsii.String("worker"), AllowAllOutbound: jsii.Bool(false),
		})
		// The construct adds the CloudWatch Logs statement to a key of the app.
		key := kmskeys.New(stack, "OwnKey", "caller-supplied key")
		p := n.props()
		p.AppClients = &[]awsec2.IPeer{n.app, app2}
		p.EncryptionKey = key
		p.RemovalPolicy = awscdk.RemovalPolicy_RETAIN
		p.BackupRetentionDays = jsii.Number(14)
		p.LogRetentionDays = jsii.Number(365)
		p.AllowRetentionShorterThanSixYears = jsii.Bool(true)
		p.InstanceType = awsec2.InstanceType_Of(awsec2.InstanceClass_M7G, awsec2.InstanceSize_LARGE)
		p.Port = jsii.Number(5433)
		p.AllocatedStorageGiB = jsii.Number(200)
		p.MaxAllocatedStorageGiB = jsii.Number(500)
		p.DatabaseName = jsii.String("orders")
		p.MasterUsername = jsii.String("ordersadmin")
		p.Identifier = jsii.String("phi-orders")
		p.EngineVersion = jsii.String("16.9")
		p.DailyBackupRetentionDays = jsii.Number(14)
		p.MonthlyBackupRetentionDays = jsii.Number(3653)
		p.EnableVaultLock = jsii.Bool(true)
		p.DisableMultiAzForNonPhiEnvironment = jsii.Bool(true)
		phidatabase.NewPhiDatabase(stack, jsii.String("Db"), p)
	})
	auroraDefaults = newFixture("phidb-aurora-defaults", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("AuroraDefaults"), nil)
		n := newDbNetwork(stack)
		p := n.props()
		p.Engine = phidatabase.EngineAuroraPostgres
		connectRole(stack, phidatabase.NewPhiDatabase(stack, jsii.String("Db"), p))
	})
	// The serverless lever: Aurora Serverless v2 writer and reader.
	auroraServerless = newFixture("phidb-aurora-serverless", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("AuroraServerless"), nil)
		n := newDbNetwork(stack)
		p := n.props()
		p.Engine = phidatabase.EngineAuroraPostgres
		p.ServerlessV2 = &phidatabase.ServerlessV2Props{MinCapacity: jsii.Number(0.5), MaxCapacity: jsii.Number(16)}
		connectRole(stack, phidatabase.NewPhiDatabase(stack, jsii.String("Db"), p))
	})
)

func TestPhiDatabaseNagClean(t *testing.T) {
	for _, f := range []*fixture{pgDefaults, pgOverrides, auroraDefaults, auroraServerless} {
		t.Run(f.name, func(t *testing.T) { requireNagClean(t, f) })
	}
}

// wantProps fails for every key of want whose value differs in got.
func wantProps(t *testing.T, what string, got, want map[string]interface{}) {
	t.Helper()
	for k, w := range want {
		gj, _ := json.Marshal(got[k])
		wj, _ := json.Marshal(w)
		if string(gj) != string(wj) {
			t.Errorf("%s: %s = %s, want %s", what, k, gj, wj)
		}
	}
}

// keyRef asserts v is a reference to a KMS key whose logical ID starts with prefix.
func keyRef(t *testing.T, what string, v interface{}, prefix string) {
	t.Helper()
	if id := refTo(v); !strings.HasPrefix(id, prefix) {
		t.Errorf("%s = %v, want a reference to key %s*", what, v, prefix)
	}
}

func hasPHITag(r map[string]interface{}) bool {
	for _, tags := range []interface{}{props(r)["Tags"], props(r)["BackupVaultTags"]} {
		if tagMap(tags)[phidatabase.DataClassificationTag] == phidatabase.DataClassificationPHI {
			return true
		}
	}
	return false
}

func TestPhiDatabasePostgresDefaults(t *testing.T) {
	tmpl := pgDefaults.get(t).template(t, "PgDefaults")
	id, db := only(t, resourcesOf(tmpl, "AWS::RDS::DBInstance"), "AWS::RDS::DBInstance")
	p := props(db)
	wantProps(t, id, p, map[string]interface{}{
		"Engine": "postgres", "EngineVersion": phidatabase.DefaultEngineVersion,
		"DBInstanceClass": "db." + phidatabase.DefaultInstanceType,
		"MultiAZ":         true, "PubliclyAccessible": false, "StorageEncrypted": true,
		"DeletionProtection": true, "BackupRetentionPeriod": 7, "CopyTagsToSnapshot": true,
		"AutoMinorVersionUpgrade": true, "MonitoringInterval": 60, "EnablePerformanceInsights": true,
		"EnableIAMDatabaseAuthentication": true, "ManageMasterUserPassword": true,
		"EnableCloudwatchLogsExports": []string{"postgresql", "upgrade"},
		"Port":                        "5432", "StorageType": "gp3", "AllocatedStorage": "100", "MaxAllocatedStorage": 1000,
		"DBName": "app", "MasterUsername": "phiadmin", "DeleteAutomatedBackups": false,
	})
	for _, k := range []string{"KmsKeyId", "PerformanceInsightsKMSKeyId"} {
		keyRef(t, k, p[k], "DbKey")
	}
	keyRef(t, "MasterUserSecret.KmsKeyId", p["MasterUserSecret"].(map[string]interface{})["KmsKeyId"], "DbKey")
	if p["MonitoringRoleArn"] == nil {
		t.Error("enhanced monitoring has no role")
	}
	if db["DeletionPolicy"] != "Snapshot" || db["UpdateReplacePolicy"] != "Snapshot" {
		t.Errorf("removal: DeletionPolicy %v, UpdateReplacePolicy %v, want Snapshot", db["DeletionPolicy"], db["UpdateReplacePolicy"])
	}
	if id := p["DBInstanceIdentifier"].(string); !strings.HasPrefix(id, "pgdefaults-db-") {
		t.Errorf("derived identifier %q, want pgdefaults-db-<hash>", id)
	}
	// Placed only in the isolated data tier.
	_, group := only(t, resourcesOf(tmpl, "AWS::RDS::DBSubnetGroup"), "AWS::RDS::DBSubnetGroup")
	subnets := props(group)["SubnetIds"].([]interface{})
	if len(subnets) != 2 {
		t.Errorf("subnet group has %d subnets, want the 2 data subnets", len(subnets))
	}
	for _, sn := range subnets {
		if !strings.HasPrefix(refTo(sn), "NetVpcDataSubnet") {
			t.Errorf("subnet group holds %v, want data-tier subnets only", sn)
		}
	}
	// Exactly one key, created by PhiDatabase, with rotation and retained.
	_, key := only(t, withPrefix(resourcesOf(tmpl, "AWS::KMS::Key"), "Db"), "AWS::KMS::Key")
	if props(key)["EnableKeyRotation"] != true || key["DeletionPolicy"] != "Retain" {
		t.Errorf("key: rotation %v, DeletionPolicy %v", props(key)["EnableKeyRotation"], key["DeletionPolicy"])
	}
}

// No password, secret value or generated secret appears in the template:
// RDS manages the master password.
func TestPhiDatabaseNoCredentialInTemplate(t *testing.T) {
	for _, c := range []struct {
		f     *fixture
		stack string
	}{{pgDefaults, "PgDefaults"}, {auroraDefaults, "AuroraDefaults"}} {
		raw, _ := json.Marshal(c.f.get(t).templates[c.stack])
		for _, bad := range []string{`"MasterUserPassword"`, "SecretString", "GenerateSecretString", "resolve:secretsmanager"} {
			if strings.Contains(string(raw), bad) {
				t.Errorf("%s: template contains %s", c.stack, bad)
			}
		}
		tmpl := c.f.get(t).template(t, c.stack)
		tmpl.ResourceCountIs(jsii.String("AWS::SecretsManager::Secret"), jsii.Number(0))
		tmpl.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(1)) // HipaaVpc's default-SG custom resource only
	}
}

// ingressSources returns port and source logical ID of every ingress rule of
// the database security group, and fails if the group has inline ingress.
func ingressSources(t *testing.T, f *fixture, stack string) (sources []string, ports []float64) {
	t.Helper()
	tmpl := f.get(t).template(t, stack)
	var sgID string
	for id, sg := range resourcesOf(tmpl, "AWS::EC2::SecurityGroup") {
		if strings.HasPrefix(id, "DbSecurityGroup") {
			sgID = id
			if props(sg)["SecurityGroupIngress"] != nil {
				t.Errorf("database security group has inline ingress %v", props(sg)["SecurityGroupIngress"])
			}
			egress := props(sg)["SecurityGroupEgress"].([]interface{})
			if len(egress) != 1 || egress[0].(map[string]interface{})["CidrIp"] != "255.255.255.255/32" {
				t.Errorf("database security group egress %v, want none (CDK's disallow-all placeholder)", egress)
			}
		}
	}
	if sgID == "" {
		t.Fatal("no database security group")
	}
	for _, r := range resourcesOf(tmpl, "AWS::EC2::SecurityGroupIngress") {
		p := props(r)
		if refTo(p["GroupId"]) != sgID {
			continue
		}
		for _, cidr := range []string{"CidrIp", "CidrIpv6", "SourcePrefixListId"} {
			if p[cidr] != nil {
				t.Errorf("ingress rule with %s %v", cidr, p[cidr])
			}
		}
		if p["IpProtocol"] != "tcp" || p["FromPort"] != p["ToPort"] {
			t.Errorf("ingress rule %v, want one TCP port", p)
		}
		sources = append(sources, refTo(p["SourceSecurityGroupId"]))
		ports = append(ports, p["FromPort"].(float64))
	}
	sort.Strings(sources)
	return sources, ports
}

func TestPhiDatabaseSecurityGroupIngressIsExactlyAppAndAccess(t *testing.T) {
	cases := []struct {
		f           *fixture
		stack       string
		wantSources []string
		wantPort    float64
	}{
		{pgDefaults, "PgDefaults", []string{"AppSg898BCA4E", "BastionSg3D6BE75A"}, 5432},
		{auroraDefaults, "AuroraDefaults", []string{"AppSg898BCA4E", "BastionSg3D6BE75A"}, 5432},
		{pgOverrides, "PgOverrides", []string{"AppSg898BCA4E", "BastionSg3D6BE75A", "WorkerSg"}, 5433},
	}
	for _, c := range cases {
		t.Run(c.stack, func(t *testing.T) {
			sources, ports := ingressSources(t, c.f, c.stack)
			if len(sources) != len(c.wantSources) {
				t.Fatalf("ingress sources %v, want exactly %v", sources, c.wantSources)
			}
			for i, w := range c.wantSources {
				if !strings.HasPrefix(sources[i], w) {
					t.Errorf("ingress source %d = %s, want %s", i, sources[i], w)
				}
			}
			for _, p := range ports {
				if p != c.wantPort {
					t.Errorf("ingress port %v, want %v", p, c.wantPort)
				}
			}
		})
	}
}

func TestPhiDatabaseParameterGroupEnforcesTlsAndAudit(t *testing.T) {
	want := map[string]interface{}{
		"rds.force_ssl": "1", "log_connections": "1", "log_disconnections": "1",
		"shared_preload_libraries": "pg_stat_statements,pgaudit", "pgaudit.log": "read,write,ddl,role",
		"ssl_min_protocol_version": "TLSv1.2",
	}
	pg := pgDefaults.get(t).template(t, "PgDefaults")
	gid, group := only(t, resourcesOf(pg, "AWS::RDS::DBParameterGroup"), "AWS::RDS::DBParameterGroup")
	wantProps(t, gid, props(group)["Parameters"].(map[string]interface{}), want)
	wantProps(t, gid, props(group), map[string]interface{}{"Family": "postgres17"})
	_, db := only(t, resourcesOf(pg, "AWS::RDS::DBInstance"), "AWS::RDS::DBInstance")
	if refTo(props(db)["DBParameterGroupName"]) != gid {
		t.Errorf("instance uses parameter group %v, want %s", props(db)["DBParameterGroupName"], gid)
	}

	aurora := auroraDefaults.get(t).template(t, "AuroraDefaults")
	cid, cgroup := only(t, resourcesOf(aurora, "AWS::RDS::DBClusterParameterGroup"), "AWS::RDS::DBClusterParameterGroup")
	wantProps(t, cid, props(cgroup)["Parameters"].(map[string]interface{}), want)
	wantProps(t, cid, props(cgroup), map[string]interface{}{"Family": "aurora-postgresql17"})
	_, cluster := only(t, resourcesOf(aurora, "AWS::RDS::DBCluster"), "AWS::RDS::DBCluster")
	if refTo(props(cluster)["DBClusterParameterGroupName"]) != cid {
		t.Errorf("cluster uses parameter group %v, want %s", props(cluster)["DBClusterParameterGroupName"], cid)
	}
}

func TestPhiDatabaseLogGroupsEncryptedRetainedCreatedFirst(t *testing.T) {
	cases := []struct {
		f       *fixture
		stack   string
		dbType  string
		names   []string
		days    float64
		keyFrom string
	}{
		{pgDefaults, "PgDefaults", "AWS::RDS::DBInstance", []string{"/aws/rds/instance/pgdefaults-db-*/postgresql", "/aws/rds/instance/pgdefaults-db-*/upgrade"}, 2192, "DbKey"},
		{pgOverrides, "PgOverrides", "AWS::RDS::DBInstance", []string{"/aws/rds/instance/phi-orders/postgresql", "/aws/rds/instance/phi-orders/upgrade"}, 365, "OwnKey"},
		{auroraDefaults, "AuroraDefaults", "AWS::RDS::DBCluster", []string{"/aws/rds/cluster/auroradefaults-db-*/postgresql"}, 2192, "DbKey"},
	}
	for _, c := range cases {
		t.Run(c.stack, func(t *testing.T) {
			tmpl := c.f.get(t).template(t, c.stack)
			var names, ids []string
			for id, g := range resourcesOf(tmpl, "AWS::Logs::LogGroup") {
				if !strings.HasPrefix(id, "Db") {
					continue // HipaaVpc's flow-log group
				}
				p := props(g)
				names = append(names, p["LogGroupName"].(string))
				ids = append(ids, id)
				keyRef(t, id+".KmsKeyId", p["KmsKeyId"], c.keyFrom)
				if p["RetentionInDays"] != c.days || g["DeletionPolicy"] != "Retain" {
					t.Errorf("%s: retention %v, DeletionPolicy %v; want %v days, Retain", id, p["RetentionInDays"], g["DeletionPolicy"], c.days)
				}
			}
			sort.Strings(names)
			if len(names) != len(c.names) {
				t.Fatalf("log groups %v, want %v", names, c.names)
			}
			for i, w := range c.names {
				prefix, suffix, _ := strings.Cut(w, "*")
				if !strings.HasPrefix(names[i], prefix) || !strings.HasSuffix(names[i], suffix) {
					t.Errorf("log group %q, want %q", names[i], w)
				}
			}
			_, db := only(t, resourcesOf(tmpl, c.dbType), c.dbType)
			deps, _ := json.Marshal(db["DependsOn"])
			for _, id := range ids {
				if !strings.Contains(string(deps), id) {
					t.Errorf("database does not depend on log group %s (DependsOn %s)", id, deps)
				}
			}
		})
	}
}

func TestPhiDatabaseBackupPlan(t *testing.T) {
	cases := []struct {
		f              *fixture
		stack, dbType  string
		daily, monthly float64
		lock           map[string]interface{}
		keyFrom        string
	}{
		{pgDefaults, "PgDefaults", "AWS::RDS::DBInstance", 35, 2192, nil, "DbKey"},
		{pgOverrides, "PgOverrides", "AWS::RDS::DBInstance", 14, 3653, map[string]interface{}{"MinRetentionDays": 14.0, "MaxRetentionDays": 3653.0}, "OwnKey"},
		{auroraDefaults, "AuroraDefaults", "AWS::RDS::DBCluster", 35, 2192, nil, "DbKey"},
	}
	for _, c := range cases {
		t.Run(c.stack, func(t *testing.T) {
			tmpl := c.f.get(t).template(t, c.stack)
			vid, vault := only(t, resourcesOf(tmpl, "AWS::Backup::BackupVault"), "AWS::Backup::BackupVault")
			keyRef(t, "vault EncryptionKeyArn", props(vault)["EncryptionKeyArn"], c.keyFrom)
			if vault["DeletionPolicy"] != "Retain" {
				t.Errorf("vault DeletionPolicy %v, want Retain", vault["DeletionPolicy"])
			}
			gotLock, _ := props(vault)["LockConfiguration"].(map[string]interface{})
			wantProps(t, "vault lock", map[string]interface{}{"lock": gotLock}, map[string]interface{}{"lock": c.lock})

			_, plan := only(t, resourcesOf(tmpl, "AWS::Backup::BackupPlan"), "AWS::Backup::BackupPlan")
			rules := props(plan)["BackupPlan"].(map[string]interface{})["BackupPlanRule"].([]interface{})
			want := map[string]struct {
				cron string
				days float64
			}{"Daily": {"cron(0 5 * * ? *)", c.daily}, "Monthly": {"cron(0 5 1 * ? *)", c.monthly}}
			if len(rules) != len(want) {
				t.Fatalf("plan rules %v, want daily and monthly", rules)
			}
			for _, r := range rules {
				r := r.(map[string]interface{})
				w, ok := want[r["RuleName"].(string)]
				if !ok || r["ScheduleExpression"] != w.cron || r["Lifecycle"].(map[string]interface{})["DeleteAfterDays"] != w.days {
					t.Errorf("rule %v, want %v", r, want)
				}
				if refTo(r["TargetBackupVault"]) != vid {
					t.Errorf("rule %v targets %v, want vault %s", r["RuleName"], r["TargetBackupVault"], vid)
				}
			}

			// The selection names the database (instance or cluster), through a
			// role with AWS managed policies only.
			dbID, _ := only(t, resourcesOf(tmpl, c.dbType), c.dbType)
			_, sel := only(t, resourcesOf(tmpl, "AWS::Backup::BackupSelection"), "AWS::Backup::BackupSelection")
			bs := props(sel)["BackupSelection"].(map[string]interface{})
			res, _ := json.Marshal(bs["Resources"])
			if len(bs["Resources"].([]interface{})) != 1 || !strings.Contains(string(res), `{"Ref":"`+dbID+`"}`) {
				t.Errorf("selection resources %s, want the database %s only", res, dbID)
			}
			roleID := refTo(bs["IamRoleArn"])
			role := resourcesOf(tmpl, "AWS::IAM::Role")[roleID]
			if props(role)["Policies"] != nil || len(props(role)["ManagedPolicyArns"].([]interface{})) != 2 {
				t.Errorf("backup role %s: %v, want the two AWS Backup managed policies and no inline policy", roleID, props(role))
			}
			tmpl.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(0))
		})
	}
}

// Everything that stores or logs PHI carries DataClassification=PHI.
func TestPhiDatabaseTagsPHI(t *testing.T) {
	cases := []struct {
		f     *fixture
		stack string
		types map[string]int // type -> how many must be tagged
	}{
		{pgDefaults, "PgDefaults", map[string]int{"AWS::RDS::DBInstance": 1, "AWS::Logs::LogGroup": 2, "AWS::KMS::Key": 1, "AWS::Backup::BackupVault": 1}},
		{auroraDefaults, "AuroraDefaults", map[string]int{"AWS::RDS::DBCluster": 1, "AWS::RDS::DBInstance": 2, "AWS::Logs::LogGroup": 1, "AWS::KMS::Key": 1, "AWS::Backup::BackupVault": 1}},
	}
	for _, c := range cases {
		tmpl := c.f.get(t).template(t, c.stack)
		for typ, n := range c.types {
			tagged := 0
			for id, r := range resourcesOf(tmpl, typ) {
				if strings.HasPrefix(id, "Db") && hasPHITag(r) {
					tagged++
				}
			}
			if tagged != n {
				t.Errorf("%s: %d %s tagged PHI, want %d", c.stack, tagged, typ, n)
			}
		}
	}
	// Recovery points are tagged too.
	_, plan := only(t, resourcesOf(pgDefaults.get(t).template(t, "PgDefaults"), "AWS::Backup::BackupPlan"), "AWS::Backup::BackupPlan")
	for _, r := range props(plan)["BackupPlan"].(map[string]interface{})["BackupPlanRule"].([]interface{}) {
		if r.(map[string]interface{})["RecoveryPointTags"].(map[string]interface{})["DataClassification"] != "PHI" {
			t.Errorf("rule %v: recovery points not tagged PHI", r)
		}
	}
}

func TestPhiDatabasePostgresOverrides(t *testing.T) {
	tmpl := pgOverrides.get(t).template(t, "PgOverrides")
	id, db := only(t, resourcesOf(tmpl, "AWS::RDS::DBInstance"), "AWS::RDS::DBInstance")
	p := props(db)
	wantProps(t, id, p, map[string]interface{}{
		"DBInstanceIdentifier": "phi-orders", "DBInstanceClass": "db.m7g.large", "EngineVersion": "16.9",
		"BackupRetentionPeriod": 14, "Port": "5433", "AllocatedStorage": "200", "MaxAllocatedStorage": 500,
		"DBName": "orders", "MasterUsername": "ordersadmin", "MultiAZ": false,
		// Enforced settings hold whatever else is overridden.
		"PubliclyAccessible": false, "StorageEncrypted": true, "DeletionProtection": true,
	})
	for _, k := range []string{"KmsKeyId", "PerformanceInsightsKMSKeyId"} {
		keyRef(t, k, p[k], "OwnKey")
	}
	if db["DeletionPolicy"] != "Retain" || db["UpdateReplacePolicy"] != "Retain" {
		t.Errorf("RemovalPolicy RETAIN: got DeletionPolicy %v", db["DeletionPolicy"])
	}
	// The caller's key is used; PhiDatabase creates none (the other is HipaaVpc's).
	for kid := range resourcesOf(tmpl, "AWS::KMS::Key") {
		if strings.HasPrefix(kid, "Db") {
			t.Errorf("PhiDatabase created key %s despite EncryptionKey", kid)
		}
	}
	tmpl.HasResourceProperties(jsii.String("AWS::RDS::DBParameterGroup"), map[string]interface{}{"Family": "postgres16"})
	// The non-PHI single-AZ opt-out is the only suppression on the database.
	if got := suppressedRules(db); len(got) != 1 || got[0] != "HIPAA.Security-RDSMultiAZSupport" {
		t.Errorf("suppressions on the instance: %v, want only RDSMultiAZSupport", got)
	}
}

func TestPhiDatabaseAuroraDefaults(t *testing.T) {
	tmpl := auroraDefaults.get(t).template(t, "AuroraDefaults")
	cid, cluster := only(t, resourcesOf(tmpl, "AWS::RDS::DBCluster"), "AWS::RDS::DBCluster")
	p := props(cluster)
	wantProps(t, cid, p, map[string]interface{}{
		"Engine": "aurora-postgresql", "EngineVersion": phidatabase.DefaultEngineVersion,
		"StorageEncrypted": true, "DeletionProtection": true, "EnableIAMDatabaseAuthentication": true,
		"CopyTagsToSnapshot": true, "BackupRetentionPeriod": 7, "AutoMinorVersionUpgrade": true,
		"EnableCloudwatchLogsExports": []string{"postgresql"}, "ManageMasterUserPassword": true,
		"Port": 5432, "DatabaseName": "app", "DeleteAutomatedBackups": false,
	})
	keyRef(t, "KmsKeyId", p["KmsKeyId"], "DbKey")
	keyRef(t, "MasterUserSecret.KmsKeyId", p["MasterUserSecret"].(map[string]interface{})["KmsKeyId"], "DbKey")
	if cluster["DeletionPolicy"] != "Snapshot" {
		t.Errorf("cluster DeletionPolicy %v, want Snapshot", cluster["DeletionPolicy"])
	}
	members := resourcesOf(tmpl, "AWS::RDS::DBInstance")
	if len(members) != 2 {
		t.Fatalf("want a writer and a reader, got %d instances", len(members))
	}
	azs := map[string]bool{}
	for id, m := range members {
		mp := props(m)
		wantProps(t, id, mp, map[string]interface{}{
			"Engine": "aurora-postgresql", "DBInstanceClass": "db." + phidatabase.DefaultInstanceType,
			"PubliclyAccessible": false, "MonitoringInterval": 60, "EnablePerformanceInsights": true,
			"AutoMinorVersionUpgrade": true,
		})
		keyRef(t, id+".PerformanceInsightsKMSKeyId", mp["PerformanceInsightsKMSKeyId"], "DbKey")
		if refTo(mp["DBClusterIdentifier"]) != cid {
			t.Errorf("%s is not a member of %s", id, cid)
		}
		az, _ := json.Marshal(mp["AvailabilityZone"])
		azs[string(az)] = true
		if got := suppressedRules(m); len(got) != 1 || got[0] != "HIPAA.Security-RDSInBackupPlan" {
			t.Errorf("%s suppressions %v, want only RDSInBackupPlan (cluster-level backup)", id, got)
		}
	}
	if len(azs) != 2 {
		t.Errorf("writer and reader share an AZ: %v", azs)
	}
}

// PhiDatabase adds no cdk-nag suppression to the database, security group,
// key, log groups or backup resources (the Aurora members' cluster-level
// backup suppression and the non-PHI opt-out are asserted above).
func TestPhiDatabaseSuppressionsAreNarrow(t *testing.T) {
	for _, c := range []struct {
		f     *fixture
		stack string
	}{{pgDefaults, "PgDefaults"}, {auroraDefaults, "AuroraDefaults"}} {
		raw := c.f.get(t).templates[c.stack]["Resources"].(map[string]interface{})
		for id, r := range raw {
			r := r.(map[string]interface{})
			if !strings.HasPrefix(id, "Db") {
				continue
			}
			rules := suppressedRules(r)
			if len(rules) == 0 {
				continue
			}
			if r["Type"] == "AWS::RDS::DBInstance" && c.stack == "AuroraDefaults" && len(rules) == 1 && rules[0] == "HIPAA.Security-RDSInBackupPlan" {
				continue
			}
			t.Errorf("%s: unexpected suppression %v on %s (%s)", c.stack, rules, id, r["Type"])
		}
	}
}

func TestPhiDatabaseConnectPolicyStatement(t *testing.T) {
	for _, c := range []struct {
		f          *fixture
		stack, att string
	}{{pgDefaults, "PgDefaults", "DbiResourceId"}, {auroraDefaults, "AuroraDefaults", "DBClusterResourceId"}} {
		_, pol := only(t, withPrefix(resourcesOf(c.f.get(t).template(t, c.stack), "AWS::IAM::ManagedPolicy"), "ConnectPolicy"), "AWS::IAM::ManagedPolicy")
		st := props(pol)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{})[0].(map[string]interface{})
		res, _ := json.Marshal(st["Resource"])
		if st["Action"] != "rds-db:connect" || !strings.Contains(string(res), `":rds-db:"`) ||
			!strings.Contains(string(res), `":dbuser:"`) || !strings.Contains(string(res), `"`+c.att+`"]}`) ||
			!strings.Contains(string(res), `"/app_user"`) {
			t.Errorf("%s: connect statement %v %s, want rds-db:connect on dbuser:<%s>/app_user", c.stack, st["Action"], res, c.att)
		}
	}
}

// ServerlessV2 changes only the capacity: the cluster keeps every control of
// the provisioned Aurora cluster (encryption with the key, deletion
// protection, backups, IAM auth, log exports, the TLS parameter group) and
// a writer and a reader in two AZs, both db.serverless, the reader scaling
// with the writer.
func TestPhiDatabaseAuroraServerlessV2(t *testing.T) {
	tmpl := auroraServerless.get(t).template(t, "AuroraServerless")
	cid, cluster := only(t, resourcesOf(tmpl, "AWS::RDS::DBCluster"), "AWS::RDS::DBCluster")
	p := props(cluster)
	wantProps(t, cid, p, map[string]interface{}{
		"ServerlessV2ScalingConfiguration": map[string]interface{}{"MinCapacity": 0.5, "MaxCapacity": 16},
	})
	base := props(func() map[string]interface{} {
		_, c := only(t, resourcesOf(auroraDefaults.get(t).template(t, "AuroraDefaults"), "AWS::RDS::DBCluster"), "AWS::RDS::DBCluster")
		return c
	}())
	for k, v := range base {
		if k == "Tags" || k == "DBClusterIdentifier" { // named after the stack
			continue
		}
		if jsonOf(p[k]) != jsonOf(v) {
			t.Errorf("cluster %s differs from the provisioned cluster's: %s vs %s", k, jsonOf(p[k]), jsonOf(v))
		}
	}
	keyRef(t, "KmsKeyId", p["KmsKeyId"], "DbKey")
	if cluster["DeletionPolicy"] != "Snapshot" {
		t.Errorf("cluster DeletionPolicy %v, want Snapshot", cluster["DeletionPolicy"])
	}
	members := resourcesOf(tmpl, "AWS::RDS::DBInstance")
	if len(members) != 2 {
		t.Fatalf("want a writer and a reader, got %d instances", len(members))
	}
	azs, tiers := map[string]bool{}, map[string]bool{}
	for id, m := range members {
		mp := props(m)
		wantProps(t, id, mp, map[string]interface{}{
			"Engine": "aurora-postgresql", "DBInstanceClass": "db.serverless",
			"PubliclyAccessible": false, "MonitoringInterval": 60, "EnablePerformanceInsights": true,
			"AutoMinorVersionUpgrade": true,
		})
		keyRef(t, id+".PerformanceInsightsKMSKeyId", mp["PerformanceInsightsKMSKeyId"], "DbKey")
		if refTo(mp["DBClusterIdentifier"]) != cid {
			t.Errorf("%s is not a member of %s", id, cid)
		}
		az, _ := json.Marshal(mp["AvailabilityZone"])
		azs[string(az)] = true
		tiers[jsonOf(mp["PromotionTier"])] = true
	}
	if len(azs) != 2 {
		t.Errorf("writer and reader share an AZ: %v", azs)
	}
	// ScaleWithWriter puts the reader in promotion tier 0 or 1.
	for tier := range tiers {
		if tier != "0" && tier != "1" && tier != "null" {
			t.Errorf("promotion tier %s: the reader must scale with the writer (tier 0 or 1)", tier)
		}
	}
	// The same TLS-and-pgaudit parameter group.
	tmpl.HasResourceProperties(jsii.String("AWS::RDS::DBClusterParameterGroup"), map[string]interface{}{
		"Parameters": assertions.Match_ObjectLike(&map[string]interface{}{"rds.force_ssl": "1", "ssl_min_protocol_version": "TLSv1.2"}),
	})
}
