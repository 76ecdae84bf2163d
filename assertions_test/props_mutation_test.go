package assertions_test

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phibucket"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phiservice"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
)

// Constructors must never mutate the caller's props: not the struct, not the
// values its pointers point to, not the slices (length, element identity,
// element values), not nested structs (SubnetSelection, ClientVpnProps).
// Each test builds a fully populated props value, takes a deep snapshot,
// constructs (no synth), and compares.

// propsSnapshot walks v and records, by path, every pointer's address, every
// slice's length and capacity, every scalar value and the identity (dynamic
// type and address) of every interface value such as a jsii construct.
// Comparing two snapshots detects a replaced pointer or element, a changed
// pointed-to value and a grown or shrunk slice.
func propsSnapshot(v interface{}) map[string]string {
	out := map[string]string{}
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Ptr:
			if v.IsNil() {
				out[path] = "nil"
				return
			}
			out[path] = fmt.Sprintf("ptr %#x", v.Pointer())
			walk(path+"*", v.Elem())
		case reflect.Slice:
			if v.IsNil() {
				out[path] = "nil"
				return
			}
			out[path] = fmt.Sprintf("slice %#x len %d cap %d", v.Pointer(), v.Len(), v.Cap())
			for i := 0; i < v.Len(); i++ {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if f := v.Type().Field(i); f.IsExported() {
					walk(path+"."+f.Name, v.Field(i))
				}
			}
		case reflect.Interface:
			if v.IsNil() {
				out[path] = "nil"
				return
			}
			e := v.Elem()
			if e.Kind() == reflect.Ptr {
				// A jsii object: its identity is what the caller passed.
				out[path] = fmt.Sprintf("%s %#x", e.Type(), e.Pointer())
				return
			}
			walk(path+"("+e.Type().String()+")", e)
		default:
			out[path] = fmt.Sprintf("%s %v", v.Type(), v.Interface())
		}
	}
	walk("props", reflect.ValueOf(v))
	return out
}

// requireFullyPopulated fails unless every top-level field of *props is set,
// so a prop added later is not silently left out of these tests.
func requireFullyPopulated(t *testing.T, props interface{}) {
	t.Helper()
	requirePopulatedExcept(t, props)
}

// requirePopulatedExcept is requireFullyPopulated for props whose fields
// exclude each other (an existing resource or the props that would create
// it): the named fields are covered by another configuration.
func requirePopulatedExcept(t *testing.T, props interface{}, except ...string) {
	t.Helper()
	skip := map[string]bool{}
	for _, f := range except {
		skip[f] = true
	}
	v := reflect.ValueOf(props).Elem()
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() && !skip[v.Type().Field(i).Name] {
			t.Errorf("%s.%s is not set: populate every prop", v.Type().Name(), v.Type().Field(i).Name)
		}
	}
}

// requireSnapshotUnchanged compares the snapshot taken before construction
// with the props as they are now, naming every path that changed.
func requireSnapshotUnchanged(t *testing.T, construct string, before map[string]string, props interface{}) {
	t.Helper()
	after := propsSnapshot(props)
	if reflect.DeepEqual(before, after) {
		return
	}
	var diffs []string
	for k, b := range before {
		if a, ok := after[k]; !ok || a != b {
			diffs = append(diffs, fmt.Sprintf("%s: %s -> %s", k, b, a))
		}
	}
	for k, a := range after {
		if _, ok := before[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: (absent) -> %s", k, a))
		}
	}
	sort.Strings(diffs)
	t.Errorf("%s changed the caller's props:\n%v", construct, diffs)
}

// derefStrings is for messages: the values behind a []*string.
func derefStrings(ss []*string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		if s != nil {
			out[i] = *s
		}
	}
	return out
}

// The snapshot catches each kind of mutation a constructor could make.
func TestPropsAreNotMutatedSnapshot(t *testing.T) {
	type nested struct{ Name *string }
	type probe struct {
		Cidrs  *[]*string
		Peers  *[]interface{}
		Nested *nested
		Flag   *bool
		Mode   bastionaccess.Mode
	}
	key := &struct{ _ int }{}
	fresh := func() *probe {
		return &probe{
			Cidrs:  jsii.Strings("10.1.0.0/16", "10.2.0.0/16"),
			Peers:  &[]interface{}{key},
			Nested: &nested{Name: jsii.String("a")},
			Flag:   jsii.Bool(true),
			Mode:   bastionaccess.ModeTimeBoxedAutoScaling,
		}
	}
	for name, mutate := range map[string]func(p *probe){
		"element value":        func(p *probe) { *(*p.Cidrs)[0] = "0.0.0.0/0" },
		"element replaced":     func(p *probe) { (*p.Cidrs)[1] = jsii.String("10.2.0.0/16") },
		"slice appended":       func(p *probe) { *p.Cidrs = append(*p.Cidrs, jsii.String("10.3.0.0/16")) },
		"slice replaced":       func(p *probe) { p.Cidrs = jsii.Strings("10.1.0.0/16", "10.2.0.0/16") },
		"interface replaced":   func(p *probe) { (*p.Peers)[0] = &struct{ _ int }{} },
		"nested value":         func(p *probe) { *p.Nested.Name = "b" },
		"nested pointer reset": func(p *probe) { p.Nested.Name = nil },
		"pointed-to bool":      func(p *probe) { *p.Flag = false },
		"string enum":          func(p *probe) { p.Mode = bastionaccess.ModeSessionManagerInstance },
	} {
		p := fresh()
		before := propsSnapshot(p)
		if !reflect.DeepEqual(before, propsSnapshot(p)) {
			t.Fatalf("%s: snapshot is not stable", name)
		}
		mutate(p)
		if reflect.DeepEqual(before, propsSnapshot(p)) {
			t.Errorf("snapshot misses a mutation: %s", name)
		}
	}
}

func TestPropsAreNotMutatedHipaaVpc(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("S"), nil)
	key := kmskeys.New(stack, "OwnKey", "caller-supplied key")
	kmskeys.AllowCloudWatchLogs(key)
	props := &hipaavpc.HipaaVpcProps{
		Cidr:                      jsii.String("10.40.0.0/16"),
		MaxAzs:                    jsii.Number(2),
		SubnetCidrMask:            jsii.Number(22),
		NatGateways:               jsii.Number(1),
		DisableNatGateways:        jsii.Bool(false),
		DisableInterfaceEndpoints: jsii.Bool(false),
		InterfaceEndpointServices: &[]hipaavpc.InterfaceEndpoint{hipaavpc.EndpointKms, hipaavpc.EndpointLogs, hipaavpc.EndpointSsm,
			hipaavpc.EndpointSsmMessages, hipaavpc.EndpointEc2Messages, hipaavpc.EndpointSts},
		FlowLogRetentionDays:    jsii.Number(365),
		FlowLogInfrequentAccess: jsii.Bool(true),
		DataAccessCidrs:         jsii.Strings("172.16.0.0/22", "192.168.10.0/24"),
		EncryptionKey:           key,
	}
	requireFullyPopulated(t, props)
	cidrs := *props.DataAccessCidrs
	before := propsSnapshot(props)
	hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), props)
	requireSnapshotUnchanged(t, "NewHipaaVpc", before, props)
	// The same, spelled out for the list the constructor is most tempted to
	// extend (the app tier is always admitted, but not via the caller's list).
	if got := *props.DataAccessCidrs; len(got) != 2 || got[0] != cidrs[0] || *got[0] != "172.16.0.0/22" || got[1] != cidrs[1] || *got[1] != "192.168.10.0/24" {
		t.Errorf("DataAccessCidrs now %v", derefStrings(*props.DataAccessCidrs))
	}
}

func TestPropsAreNotMutatedPhiDatabase(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("S"), nil)
	net := hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), nil)
	sg := func(id string) awsec2.SecurityGroup {
		return awsec2.NewSecurityGroup(stack, jsii.String(id), &awsec2.SecurityGroupProps{
			Vpc: net.Vpc(), Description: jsii.String(id), AllowAllOutbound: jsii.Bool(false),
		})
	}
	app1, app2, access := sg("AppSg"), sg("WorkerSg"), sg("BastionSg")
	key := kmskeys.New(stack, "OwnKey", "caller-supplied key")
	kmskeys.AllowCloudWatchLogs(key)
	props := &phidatabase.PhiDatabaseProps{
		Vpc:                                net.Vpc(),
		DataSubnets:                        &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.DataTierName)},
		AppClients:                         &[]awsec2.IPeer{app1, app2},
		AccessClient:                       access,
		Engine:                             phidatabase.EnginePostgres,
		EngineVersion:                      jsii.String("16.9"),
		InstanceType:                       awsec2.InstanceType_Of(awsec2.InstanceClass_M7G, awsec2.InstanceSize_LARGE),
		AllocatedStorageGiB:                jsii.Number(200),
		MaxAllocatedStorageGiB:             jsii.Number(500),
		DatabaseName:                       jsii.String("orders"),
		MasterUsername:                     jsii.String("ordersadmin"),
		Port:                               jsii.Number(5433),
		Identifier:                         jsii.String("phi-orders"),
		BackupRetentionDays:                jsii.Number(14),
		LogRetentionDays:                   jsii.Number(365),
		AllowRetentionShorterThanSixYears:  jsii.Bool(true),
		EncryptionKey:                      key,
		RemovalPolicy:                      awscdk.RemovalPolicy_RETAIN,
		MultiAz:                            jsii.Bool(true),
		DisableMultiAzForNonPhiEnvironment: jsii.Bool(false),
		DisableDeletionProtectionForNonPhiEnvironment: jsii.Bool(false),
		PubliclyAccessible:                            jsii.Bool(false),
		StorageEncrypted:                              jsii.Bool(true),
		DailyBackupRetentionDays:                      jsii.Number(14),
		MonthlyBackupRetentionDays:                    jsii.Number(3653),
		EnableVaultLock:                               jsii.Bool(true),
	}
	// ServerlessV2 (Aurora only, no InstanceType) is populated below.
	requirePopulatedExcept(t, props, "ServerlessV2")
	clients := *props.AppClients
	before := propsSnapshot(props)
	phidatabase.NewPhiDatabase(stack, jsii.String("Db"), props)
	requireSnapshotUnchanged(t, "NewPhiDatabase", before, props)
	if got := *props.AppClients; len(got) != 2 || got[0] != clients[0] || got[1] != clients[1] {
		t.Errorf("AppClients now %v, want the caller's two security groups in order", got)
	}
	if props.AccessClient != access || *props.DataSubnets.SubnetGroupName != hipaavpc.DataTierName || props.DataSubnets.SubnetType != "" {
		t.Errorf("AccessClient or DataSubnets changed: %+v", *props.DataSubnets)
	}
}

func TestPropsAreNotMutatedPhiDatabaseServerlessV2(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("S"), nil)
	n := newDbNetwork(stack)
	props := n.props()
	props.Engine = phidatabase.EngineAuroraPostgres
	props.ServerlessV2 = &phidatabase.ServerlessV2Props{MinCapacity: jsii.Number(1), MaxCapacity: jsii.Number(16)}
	before := propsSnapshot(props)
	phidatabase.NewPhiDatabase(stack, jsii.String("Db"), props)
	requireSnapshotUnchanged(t, "NewPhiDatabase (ServerlessV2)", before, props)
	requireFullyPopulated(t, props.ServerlessV2)
}

func TestPropsAreNotMutatedAuditTrail(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("S"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	phi := awss3.Bucket_FromBucketName(stack, jsii.String("PhiBucket"), jsii.String("example-phi-records"))
	claims := awss3.Bucket_FromBucketName(stack, jsii.String("ClaimsBucket"), jsii.String("example-claims"))
	props := &audittrail.AuditTrailProps{
		TrailName:                         jsii.String("org-audit"),
		RetentionDays:                     jsii.Number(3653),
		LogGroupRetentionDays:             jsii.Number(365),
		AllowRetentionShorterThanSixYears: jsii.Bool(true),
		ObjectLockRetentionDays:           jsii.Number(2192),
		ObjectLockComplianceMode:          jsii.Bool(true),
		DataEventBuckets:                  &[]awss3.IBucket{phi, claims},
		AllS3DataEvents:                   jsii.Bool(false),
		EnableInsights:                    jsii.Bool(true),
		AlarmEmails:                       jsii.Strings("security@example.com", "oncall@example.com"),
		AlarmHttpsEndpoints:               jsii.Strings("https://events.example.com/hooks/aws"),
		UseExistingRecorder:               jsii.Bool(false),
		DisableGlobalResourceRecording:    jsii.Bool(true),
		UseHipaaConformancePack:           jsii.Bool(true),
		ConformancePackTemplateS3Uri:      jsii.String("s3://example-templates/Operational-Best-Practices-for-HIPAA-Security.yaml"),
		DisableGuardDuty:                  jsii.Bool(false),
		EnableSecurityHub:                 jsii.Bool(true),
	}
	// The existing-resource props are the other configuration, below.
	requirePopulatedExcept(t, props, "EncryptionKey", "AlarmTopic", "TrailBucket", "ConfigBucket", "AccessLogBucket")
	buckets, emails := *props.DataEventBuckets, *props.AlarmEmails
	before := propsSnapshot(props)
	audittrail.NewAuditTrail(stack, jsii.String("Audit"), props)
	requireSnapshotUnchanged(t, "NewAuditTrail", before, props)
	if got := *props.DataEventBuckets; len(got) != 2 || got[0] != buckets[0] || got[1] != buckets[1] {
		t.Errorf("DataEventBuckets now %v", got)
	}
	if got := *props.AlarmEmails; len(got) != 2 || got[0] != emails[0] || *got[0] != "security@example.com" || *got[1] != "oncall@example.com" {
		t.Errorf("AlarmEmails now %v", derefStrings(*props.AlarmEmails))
	}
}

// The existing-resource props (EncryptionKey, AlarmTopic and the buckets)
// are left as they were too. (Constructed, not synthesized: two AuditTrails
// in one stack would fail synth as two recorders.)
func TestPropsAreNotMutatedAuditTrailWithExistingResources(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("S"), nil)
	key := kmskeys.New(stack, "OwnKey", "caller-supplied key")
	topic := awssns.NewTopic(stack, jsii.String("Topic"), &awssns.TopicProps{MasterKey: key})
	bucket := func(id string) awss3.IBucket {
		return awss3.NewBucket(stack, jsii.String(id), &awss3.BucketProps{EncryptionKey: key, Versioned: jsii.Bool(true), EnforceSSL: jsii.Bool(true)})
	}
	for i, props := range []*audittrail.AuditTrailProps{
		{EncryptionKey: key, AlarmTopic: topic, ConfigBucket: bucket("Config"), AccessLogBucket: bucket("AccessLogs")},
		{EncryptionKey: key, AlarmTopic: topic, TrailBucket: bucket("Trail"), AccessLogBucket: bucket("AccessLogs2")},
	} {
		before := propsSnapshot(props)
		audittrail.NewAuditTrail(stack, jsii.String(fmt.Sprintf("Audit%d", i)), props)
		requireSnapshotUnchanged(t, "NewAuditTrail", before, props)
	}
}

func TestPropsAreNotMutatedBastionAccess(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("S"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	net := hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), &hipaavpc.HipaaVpcProps{Cidr: jsii.String("10.50.0.0/16")})
	key := kmskeys.New(stack, "OwnKey", "caller-supplied key")
	kmskeys.AllowCloudWatchLogs(key)
	bucketKey := awskms.Key_FromKeyArn(stack, jsii.String("LogBucketKey"),
		jsii.String("arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"))
	bucket := awss3.Bucket_FromBucketAttributes(stack, jsii.String("SessionLogs"), &awss3.BucketAttributes{
		BucketName: jsii.String("example-session-logs"), EncryptionKey: bucketKey,
	})
	props := &bastionaccess.BastionAccessProps{
		Vpc:                               net.Vpc(),
		AppSubnets:                        &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.AppTierName)},
		DataSubnets:                       &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.DataTierName)},
		VpcCidr:                           jsii.String("10.50.0.0/16"),
		DatabasePort:                      jsii.Number(5433),
		EndpointSecurityGroup:             net.EndpointSecurityGroup(),
		AllowHttpsEgressThroughNat:        jsii.Bool(false),
		S3PrefixListId:                    jsii.String(testS3List),
		InstanceType:                      awsec2.NewInstanceType(jsii.String("m7g.medium")),
		EncryptionKey:                     key,
		SessionLogRetentionDays:           jsii.Number(365),
		AllowRetentionShorterThanSixYears: jsii.Bool(true),
		IdleSessionTimeoutMinutes:         jsii.Number(15),
		SessionLogBucket:                  bucket,
		DisableSessionPreferences:         jsii.Bool(false),
		Mode:                              bastionaccess.ModeTimeBoxedAutoScaling,
		DisableNightlyScaleIn:             jsii.Bool(true),
		ClientVpn: &bastionaccess.ClientVpnProps{
			ClientCidr:            jsii.String("172.16.0.0/22"),
			ServerCertificate:     cert(stack, testServerCert),
			ClientRootCertificate: cert(stack, testClientRoot),
		},
	}
	requireFullyPopulated(t, props)
	vpn := *props.ClientVpn
	before := propsSnapshot(props)
	bastionaccess.NewBastionAccess(stack, jsii.String("Access"), props)
	requireSnapshotUnchanged(t, "NewBastionAccess", before, props)
	if *props.ClientVpn != vpn || *vpn.ClientCidr != "172.16.0.0/22" || vpn.SamlProvider != nil {
		t.Errorf("ClientVpn now %+v", *props.ClientVpn)
	}
	if *props.AppSubnets.SubnetGroupName != hipaavpc.AppTierName || *props.DataSubnets.SubnetGroupName != hipaavpc.DataTierName {
		t.Error("AppSubnets or DataSubnets changed")
	}
}

func TestPropsAreNotMutatedPhiBucket(t *testing.T) {
	for _, mode := range []string{"replication", "object lock"} {
		stack := awscdk.NewStack(newApp(t), jsii.String("S"), pinnedUsEast1)
		props := &phibucket.PhiBucketProps{
			AccessLogBucket:                awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("logs")),
			AccessLogPrefix:                jsii.String("phi/"),
			BucketName:                     jsii.String("phi-objects-111111111111-us-east-1"),
			EncryptionKey:                  kmskeys.New(stack, "OwnKey", "caller-supplied key"),
			NoncurrentVersionRetentionDays: jsii.Number(90),
			EnableMalwareScanning:          jsii.Bool(true),
			PublicReadAccess:               jsii.Bool(false),
			Versioned:                      jsii.Bool(true),
			RemovalPolicy:                  awscdk.RemovalPolicy_RETAIN,
			DisableReplicationAndObjectLockForNonPhiEnvironment: jsii.Bool(false),
		}
		// Replication and ObjectLock exclude each other: each is covered by one run.
		if mode == "replication" {
			props.Replication = &phibucket.ReplicationProps{DestinationBucketArn: jsii.String(replicaBucketArn), DestinationKeyArn: jsii.String(replicaKeyArn)}
			requirePopulatedExcept(t, props, "ObjectLock")
		} else {
			props.ObjectLock = &phibucket.ObjectLockProps{Mode: phibucket.ObjectLockGovernance, RetentionDays: jsii.Number(30)}
			requirePopulatedExcept(t, props, "Replication")
		}
		before := propsSnapshot(props)
		phibucket.NewPhiBucket(stack, jsii.String("Phi"), props)
		requireSnapshotUnchanged(t, "PhiBucket ("+mode+")", before, props)
	}
}

func TestPropsAreNotMutatedPhiService(t *testing.T) {
	configs := map[string]func(stack awscdk.Stack, e svcEnv) *phiservice.PhiServiceProps{
		"created repository": func(stack awscdk.Stack, e svcEnv) *phiservice.PhiServiceProps {
			p := e.props()
			p.RepositoryOptions = &phiservice.RepositoryOptions{MaxImages: jsii.Number(20)}
			return p
		},
		"existing repository": func(stack awscdk.Stack, e svcEnv) *phiservice.PhiServiceProps {
			p := e.props()
			p.Repository = awsecr.Repository_FromRepositoryName(stack, jsii.String("Repo"), jsii.String("app"))
			return p
		},
		"registry image": func(stack awscdk.Stack, e svcEnv) *phiservice.PhiServiceProps {
			p := e.props()
			p.ImageTag = nil
			p.RegistryImage = jsii.String("public.ecr.aws/nginx/nginx-unprivileged:stable")
			return p
		},
	}
	for name, mk := range configs {
		t.Run(name, func(t *testing.T) {
			app := newApp(t)
			stack := awscdk.NewStack(app, jsii.String("S"), nil)
			e := newSvcEnv(stack)
			p := mk(stack, e)
			p.TaskSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.AppTierName)}
			p.SslPolicy = "TLS13_13"
			p.ContainerPort = jsii.Number(8081)
			p.User = jsii.String("0")
			p.AllowRootUser = jsii.Bool(true)
			p.WritablePaths = jsii.Strings("/tmp", "/cache")
			p.Cpu, p.MemoryLimitMiB = jsii.Number(1024), jsii.Number(2048)
			p.DesiredCount, p.MaxCount = jsii.Number(1), jsii.Number(4)
			p.AllowSingleTaskForNonPhiEnvironment = jsii.Bool(true)
			p.CpuTargetPercent, p.RequestsPerTarget = jsii.Number(50), jsii.Number(100)
			p.HealthCheckPath = jsii.String("/healthz")
			p.HealthCheckCommand = jsii.Strings("CMD", "/healthcheck")
			p.Environment = &map[string]*string{"LOG_LEVEL": jsii.String("info")}
			p.Secrets = &map[string]*phiservice.ContainerSecret{"API_TOKEN": {
				Secret: awssecretsmanager.Secret_FromSecretNameV2(stack, jsii.String("Sec"), jsii.String("api")), JsonField: jsii.String("token"),
			}}
			p.Database = &phiservice.DatabaseAccess{Database: e.db, User: jsii.String("app_user")}
			p.Egress = &[]*phiservice.Egress{{Peer: awsec2.Peer_Ipv4(jsii.String("10.9.0.0/16")), Port: awsec2.Port_Tcp(jsii.Number(6379)), Description: jsii.String("cache")}}
			p.Internal = jsii.Bool(true)
			p.AllowedCidrs = jsii.Strings("10.0.0.0/16")
			p.DisableDeletionProtectionForNonPhiEnvironment = jsii.Bool(true)
			p.WafRateLimit, p.WafBlockedRequestsThreshold, p.Target5xxPercent = jsii.Number(500), jsii.Number(10), jsii.Number(3)
			p.LogRetentionDays = jsii.Number(30)
			p.AllowRetentionShorterThanSixYears = jsii.Bool(true)
			p.EnableExecuteCommand = jsii.Bool(true)
			p.EncryptionKey = kmskeys.New(stack, "Key", "k")
			p.AssignPublicIp, p.ReadonlyRootFilesystem, p.Privileged = jsii.Bool(false), jsii.Bool(true), jsii.Bool(false)
			requirePopulatedExcept(t, p, "Repository", "RepositoryOptions", "RegistryImage", "ImageTag")
			before := propsSnapshot(p)
			phiservice.NewPhiService(stack, jsii.String("Service"), p)
			requireSnapshotUnchanged(t, "PhiService", before, p)
		})
	}
}
