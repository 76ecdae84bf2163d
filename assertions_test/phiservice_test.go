package assertions_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phiservice"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
)

const testCertificateArn = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555"

// svcEnv is what a PhiService needs around it: the database's network, the
// database, an encrypted alarm topic and a certificate.
type svcEnv struct {
	dbNetwork
	db    *phidatabase.PhiDatabase
	topic awssns.ITopic
	cert  awscertificatemanager.ICertificate
}

func newSvcEnv(stack awscdk.Stack) svcEnv {
	n := newDbNetwork(stack)
	db := phidatabase.NewPhiDatabase(stack, jsii.String("Db"), n.props())
	topicKey := kmskeys.New(stack, "TopicKey", "alarm topic")
	topic := awssns.NewTopic(stack, jsii.String("Alarms"), &awssns.TopicProps{MasterKey: topicKey, EnforceSSL: jsii.Bool(true)})
	cert := awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Cert"), jsii.String(testCertificateArn))
	return svcEnv{dbNetwork: n, db: db, topic: topic, cert: cert}
}

// props are the required props, with the repository PhiService creates.
func (e svcEnv) props() *phiservice.PhiServiceProps {
	return &phiservice.PhiServiceProps{
		Vpc:              e.net.Vpc(),
		AppSecurityGroup: e.app,
		Certificate:      e.cert,
		AlarmTopic:       e.topic,
		ImageTag:         jsii.String("v1.0.0"),
	}
}

var (
	svcDefaults = newFixture("phisvc-defaults", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("SvcDefaults"), nil)
		e := newSvcEnv(stack)
		p := e.props()
		p.Database = &phiservice.DatabaseAccess{Database: e.db, User: jsii.String("app_user")}
		secretKey := kmskeys.New(stack, "SecretKey", "app secret")
		secret := awssecretsmanager.NewSecret(stack, jsii.String("ApiSecret"), &awssecretsmanager.SecretProps{EncryptionKey: secretKey})
		cdknag.NagSuppressions_AddResourceSuppressions(secret, &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("HIPAA.Security-SecretsManagerRotationEnabled"), Reason: jsii.String("test fixture: a third-party API token the vendor rotates"),
		}}, jsii.Bool(true))
		param := awsssm.StringParameter_FromSecureStringParameterAttributes(stack, jsii.String("Param"), &awsssm.SecureStringParameterAttributes{
			ParameterName: jsii.String("/app/signing-key"),
		})
		p.Secrets = &map[string]*phiservice.ContainerSecret{
			"API_TOKEN":   {Secret: secret, JsonField: jsii.String("token")},
			"SIGNING_KEY": {Parameter: param},
		}
		p.Environment = &map[string]*string{"LOG_LEVEL": jsii.String("info")}
		phiservice.NewPhiService(stack, jsii.String("Service"), p)
	})
	svcOverrides = newFixture("phisvc-overrides", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("SvcOverrides"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
		})
		e := newSvcEnv(stack)
		key := kmskeys.New(stack, "OwnKey", "caller key")
		p := e.props()
		p.ImageTag = nil
		p.RegistryImage = jsii.String("public.ecr.aws/nginx/nginx-unprivileged:stable")
		p.User = jsii.String("101")
		p.ContainerPort = jsii.Number(8081)
		p.Internal = jsii.Bool(true)
		p.AllowedCidrs = jsii.Strings("10.0.0.0/16", "192.168.10.0/24")
		p.EnableExecuteCommand = jsii.Bool(true)
		p.EncryptionKey = key
		p.DesiredCount = jsii.Number(1)
		p.MaxCount = jsii.Number(3)
		p.AllowSingleTaskForNonPhiEnvironment = jsii.Bool(true)
		p.DisableDeletionProtectionForNonPhiEnvironment = jsii.Bool(true)
		p.LogRetentionDays = jsii.Number(30)
		p.AllowRetentionShorterThanSixYears = jsii.Bool(true)
		p.Cpu = jsii.Number(1024)
		p.MemoryLimitMiB = jsii.Number(4096)
		p.WafRateLimit = jsii.Number(500)
		p.WafBlockedRequestsThreshold = jsii.Number(50)
		p.Target5xxPercent = jsii.Number(2)
		p.CpuTargetPercent = jsii.Number(50)
		p.RequestsPerTarget = jsii.Number(200)
		p.HealthCheckPath = jsii.String("/healthz")
		p.WritablePaths = jsii.Strings("/tmp", "/var/cache/nginx")
		p.SslPolicy = "TLS13_13"
		p.Egress = &[]*phiservice.Egress{{
			Peer: awsec2.Peer_Ipv4(jsii.String("10.99.0.0/16")), Port: awsec2.Port_Tcp(jsii.Number(6379)), Description: jsii.String("cache"),
		}}
		phiservice.NewPhiService(stack, jsii.String("Service"), p)
	})
)

var _ = awskms.NewKey

func TestPhiServiceNagClean(t *testing.T) {
	for _, f := range []*fixture{svcDefaults, svcOverrides} {
		t.Run(f.name, func(t *testing.T) { requireNagClean(t, f) })
	}
}

// svcResources returns one fixture stack's resources of a type.
func svcResources(t *testing.T, f *fixture, stack, typ string) map[string]map[string]interface{} {
	t.Helper()
	return resourcesOf(f.get(t).template(t, stack), typ)
}

func TestPhiServiceTasksArePrivateAndHardened(t *testing.T) {
	_, svc := only(t, svcResources(t, svcDefaults, "SvcDefaults", "AWS::ECS::Service"), "AWS::ECS::Service")
	pr := props(svc)
	net := pr["NetworkConfiguration"].(map[string]interface{})["AwsvpcConfiguration"].(map[string]interface{})
	if net["AssignPublicIp"] != "DISABLED" {
		t.Errorf("AssignPublicIp = %v", net["AssignPublicIp"])
	}
	if sgs := jsonOf(net["SecurityGroups"]); sgs != `[{"Fn::GetAtt":["AppSg898BCA4E","GroupId"]}]` {
		t.Errorf("tasks join %s, want only the app-tier group", sgs)
	}
	if subnets := jsonOf(net["Subnets"]); !strings.Contains(subnets, "AppSubnet1") || !strings.Contains(subnets, "AppSubnet2") || strings.Contains(subnets, "Public") {
		t.Errorf("task subnets %s, want the two app-tier subnets", subnets)
	}
	wantProps(t, "service", pr, map[string]interface{}{
		"DesiredCount": 2, "LaunchType": "FARGATE", "EnableExecuteCommand": false,
		"DeploymentConfiguration": map[string]interface{}{
			"DeploymentCircuitBreaker": map[string]interface{}{"Enable": true, "Rollback": true},
			"MaximumPercent":           200, "MinimumHealthyPercent": 100,
		},
	})
	_, cluster := only(t, svcResources(t, svcDefaults, "SvcDefaults", "AWS::ECS::Cluster"), "AWS::ECS::Cluster")
	if s := jsonOf(props(cluster)["ClusterSettings"]); s != `[{"Name":"containerInsights","Value":"enabled"}]` {
		t.Errorf("cluster settings %s, want Container Insights on", s)
	}
	_, td := only(t, svcResources(t, svcDefaults, "SvcDefaults", "AWS::ECS::TaskDefinition"), "AWS::ECS::TaskDefinition")
	c := props(td)["ContainerDefinitions"].([]interface{})[0].(map[string]interface{})
	wantProps(t, "container", c, map[string]interface{}{
		"ReadonlyRootFilesystem": true, "Privileged": false, "User": phiservice.DefaultUser, "Essential": true,
		"LinuxParameters": map[string]interface{}{"Capabilities": map[string]interface{}{"Drop": []interface{}{"ALL"}}, "InitProcessEnabled": false},
	})
	if c["HealthCheck"] == nil || c["LogConfiguration"].(map[string]interface{})["LogDriver"] != "awslogs" {
		t.Errorf("container health check %v / logging %v", c["HealthCheck"], c["LogConfiguration"])
	}
	if env := jsonOf(c["Environment"]); !strings.Contains(env, `{"Name":"PGSSLMODE","Value":"require"}`) || !strings.Contains(env, `"PGUSER","Value":"app_user"`) {
		t.Errorf("environment %s lacks the database's PG* variables", env)
	}
	if sec := jsonOf(c["Secrets"]); !strings.Contains(sec, `"Name":"API_TOKEN"`) || !strings.Contains(sec, ":token::") || !strings.Contains(sec, "parameter/app/signing-key") {
		t.Errorf("secrets %s", sec)
	}
}

func TestPhiServiceRolesUseManagedPoliciesOnly(t *testing.T) {
	if n := len(svcResources(t, svcDefaults, "SvcDefaults", "AWS::IAM::Policy")); n != 0 {
		t.Errorf("%d inline policies", n)
	}
	policies := svcResources(t, svcDefaults, "SvcDefaults", "AWS::IAM::ManagedPolicy")
	exec, task := jsonOf(props(policies["ServiceExecutionPolicy77490162"])), jsonOf(props(policies["ServiceTaskPolicy3C203DE7"]))
	for _, want := range []string{"ecr:BatchGetImage", "ServiceRepositoryB5DB2931", "logs:PutLogEvents", "secretsmanager:GetSecretValue", "kms:ViaService", "ssm:GetParameters"} {
		if !strings.Contains(exec, want) {
			t.Errorf("execution policy lacks %s: %s", want, exec)
		}
	}
	if !strings.Contains(task, "rds-db:connect") || !strings.Contains(task, "/app_user") || strings.Contains(task, "ssmmessages") {
		t.Errorf("task policy %s: want rds-db:connect for app_user only (no ECS Exec)", task)
	}
	for id, r := range svcResources(t, svcDefaults, "SvcDefaults", "AWS::IAM::Role") {
		if strings.HasPrefix(id, "Service") && props(r)["Policies"] != nil {
			t.Errorf("%s has inline policies", id)
		}
	}
}

func TestPhiServiceLoadBalancer(t *testing.T) {
	_, lb := only(t, svcResources(t, svcDefaults, "SvcDefaults", "AWS::ElasticLoadBalancingV2::LoadBalancer"), "LoadBalancer")
	attrs := jsonOf(props(lb)["LoadBalancerAttributes"])
	for _, want := range []string{`"deletion_protection.enabled","Value":"true"`, `"routing.http.drop_invalid_header_fields.enabled","Value":"true"`, `"access_logs.s3.enabled","Value":"true"`} {
		if !strings.Contains(attrs, want) {
			t.Errorf("load balancer attributes %s lack %s", attrs, want)
		}
	}
	if props(lb)["Scheme"] != "internet-facing" || !strings.Contains(jsonOf(props(lb)["Subnets"]), "PublicSubnet") {
		t.Errorf("scheme %v subnets %v, want internet-facing in the public subnets", props(lb)["Scheme"], props(lb)["Subnets"])
	}
	listeners := svcResources(t, svcDefaults, "SvcDefaults", "AWS::ElasticLoadBalancingV2::Listener")
	if len(listeners) != 2 {
		t.Fatalf("%d listeners, want HTTPS and the redirect", len(listeners))
	}
	for id, l := range listeners {
		pr := props(l)
		switch pr["Protocol"] {
		case "HTTPS":
			wantProps(t, id, pr, map[string]interface{}{"Port": 443, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
				"Certificates": []interface{}{map[string]interface{}{"CertificateArn": testCertificateArn}}})
		case "HTTP":
			wantProps(t, id, pr, map[string]interface{}{"Port": 80, "DefaultActions": []interface{}{map[string]interface{}{
				"Type": "redirect", "RedirectConfig": map[string]interface{}{"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"}}}})
		default:
			t.Errorf("%s: protocol %v", id, pr["Protocol"])
		}
	}
	_, overLb := only(t, svcResources(t, svcOverrides, "SvcOverrides", "AWS::ElasticLoadBalancingV2::LoadBalancer"), "LoadBalancer")
	if props(overLb)["Scheme"] != "internal" || !strings.Contains(jsonOf(props(overLb)["LoadBalancerAttributes"]), `"deletion_protection.enabled","Value":"false"`) {
		t.Errorf("Internal + non-PHI opt-out: %v", jsonOf(props(overLb)))
	}
	if r := suppressionReason(overLb, "HIPAA.Security-ELBDeletionProtectionEnabled"); !strings.Contains(r, "SvcOverrides") || !strings.Contains(r, "no PHI") {
		t.Errorf("deletion-protection opt-out suppression reason %q", r)
	}
	if r := suppressedRules(lb); len(r) != 0 {
		t.Errorf("default load balancer suppresses %v", r)
	}
}

// The load balancer's group admits 443 and 80 from AllowedCidrs and sends
// only to the app tier on the container port; the app tier admits only it.
func TestPhiServiceSecurityGroups(t *testing.T) {
	groups := svcResources(t, svcOverrides, "SvcOverrides", "AWS::EC2::SecurityGroup")
	lbSg := props(groups["ServiceLoadBalancerSecurityGroup2552BF12"])
	in := jsonOf(lbSg["SecurityGroupIngress"])
	for _, want := range []string{`"CidrIp":"10.0.0.0/16","Description":"HTTPS","FromPort":443`, `"CidrIp":"192.168.10.0/24","Description":"HTTP, redirected to HTTPS","FromPort":80`} {
		if !strings.Contains(in, want) {
			t.Errorf("load balancer ingress %s lacks %s", in, want)
		}
	}
	if n := len(lbSg["SecurityGroupIngress"].([]interface{})); n != 4 {
		t.Errorf("%d ingress rules, want 443 and 80 for each of 2 CIDRs", n)
	}
	// No inline outbound rule: CDK drops its placeholder once the egress
	// resource to the app tier exists (which removes EC2's default rule).
	if out := lbSg["SecurityGroupEgress"]; out != nil {
		t.Errorf("load balancer inline egress %s: want none", jsonOf(out))
	}
	egress := svcResources(t, svcOverrides, "SvcOverrides", "AWS::EC2::SecurityGroupEgress")
	var toApp, https, extra int
	for _, e := range egress {
		pr := props(e)
		switch {
		case refTo(pr["GroupId"]) == "ServiceLoadBalancerSecurityGroup2552BF12":
			if pr["FromPort"] != float64(8081) || refTo(pr["DestinationSecurityGroupId"]) != "AppSg898BCA4E" {
				t.Errorf("load balancer egress %v", pr)
			}
			toApp++
		case pr["FromPort"] == float64(443) && pr["CidrIp"] == "0.0.0.0/0":
			https++
		case pr["FromPort"] == float64(6379) && pr["CidrIp"] == "10.99.0.0/16":
			extra++
		default:
			t.Errorf("unexpected egress %v", pr)
		}
	}
	if toApp != 1 || https != 1 || extra != 1 {
		t.Errorf("egress: %d to the app tier, %d HTTPS, %d Egress; want 1 each (no database egress without Database)", toApp, https, extra)
	}
	ingress := svcResources(t, svcOverrides, "SvcOverrides", "AWS::EC2::SecurityGroupIngress")
	appIn := 0
	for _, r := range ingress {
		pr := props(r)
		if refTo(pr["GroupId"]) == "AppSg898BCA4E" {
			appIn++
			if refTo(pr["SourceSecurityGroupId"]) != "ServiceLoadBalancerSecurityGroup2552BF12" || pr["FromPort"] != float64(8081) {
				t.Errorf("app tier admits %v", pr)
			}
		}
	}
	if appIn != 1 {
		t.Errorf("app tier has %d ingress rules, want the load balancer's only", appIn)
	}
	// With Database: the database port inside the VPC.
	dbEgress := 0
	for _, e := range svcResources(t, svcDefaults, "SvcDefaults", "AWS::EC2::SecurityGroupEgress") {
		if pr := props(e); pr["FromPort"] == float64(5432) {
			dbEgress++
			if refTo(pr["CidrIp"]) != "NetVpc3A0B8D7A" && !strings.Contains(jsonOf(pr["CidrIp"]), "CidrBlock") {
				t.Errorf("database egress to %v, want the VPC CIDR", pr["CidrIp"])
			}
		}
	}
	if dbEgress != 1 {
		t.Errorf("%d database egress rules, want 1", dbEgress)
	}
}

func TestPhiServiceWafAndLogs(t *testing.T) {
	_, acl := only(t, svcResources(t, svcDefaults, "SvcDefaults", "AWS::WAFv2::WebACL"), "WebACL")
	rules := jsonOf(props(acl)["Rules"])
	for _, want := range append(append([]string{}, phiservice.ManagedRuleGroups...), `"RateBasedStatement":{"AggregateKeyType":"IP","EvaluationWindowSec":300,"Limit":1000}`) {
		if !strings.Contains(rules, want) {
			t.Errorf("web ACL rules lack %s", want)
		}
	}
	only(t, svcResources(t, svcDefaults, "SvcDefaults", "AWS::WAFv2::WebACLAssociation"), "association")
	_, logging := only(t, svcResources(t, svcDefaults, "SvcDefaults", "AWS::WAFv2::LoggingConfiguration"), "logging")
	if r := jsonOf(props(logging)["RedactedFields"]); r != `[{"SingleHeader":{"Name":"authorization"}},{"SingleHeader":{"Name":"cookie"}}]` {
		t.Errorf("redacted fields %s", r)
	}
	for id, g := range svcResources(t, svcDefaults, "SvcDefaults", "AWS::Logs::LogGroup") {
		if !strings.HasPrefix(id, "Service") {
			continue
		}
		pr := props(g)
		if pr["KmsKeyId"] == nil || pr["RetentionInDays"] != float64(2192) || g["DeletionPolicy"] != "Retain" {
			t.Errorf("%s: key %v retention %v deletion %v", id, pr["KmsKeyId"], pr["RetentionInDays"], g["DeletionPolicy"])
		}
		if tagMap(pr["Tags"])[phiservice.DataClassificationTag] != phiservice.DataClassificationPHI {
			t.Errorf("%s: not tagged PHI", id)
		}
		if strings.HasPrefix(id, "ServiceWaf") && !strings.HasPrefix(fmt.Sprint(pr["LogGroupName"]), "aws-waf-logs-") {
			t.Errorf("WAF log group name %v", pr["LogGroupName"])
		}
	}
	alarms := svcResources(t, svcDefaults, "SvcDefaults", "AWS::CloudWatch::Alarm")
	n := 0
	for id, a := range alarms {
		if !strings.HasPrefix(id, "ServiceAlarm") {
			continue
		}
		n++
		pr := props(a)
		if !strings.Contains(fmt.Sprint(pr["AlarmDescription"]), "Restore safety: ") || !strings.HasPrefix(refTo(pr["AlarmActions"].([]interface{})[0]), "Alarms") {
			t.Errorf("%s: description %v actions %v", id, pr["AlarmDescription"], pr["AlarmActions"])
		}
	}
	if n != 3 {
		t.Errorf("%d service alarms, want 3", n)
	}
}

func TestPhiServiceRepositoryAndBuckets(t *testing.T) {
	_, repo := only(t, svcResources(t, svcDefaults, "SvcDefaults", "AWS::ECR::Repository"), "repository")
	pr := props(repo)
	if pr["ImageTagMutability"] != "IMMUTABLE" || jsonOf(pr["ImageScanningConfiguration"]) != `{"ScanOnPush":true}` ||
		!strings.Contains(jsonOf(pr["EncryptionConfiguration"]), `"EncryptionType":"KMS"`) || pr["LifecyclePolicy"] == nil || repo["DeletionPolicy"] != "Retain" {
		t.Errorf("repository %s", jsonOf(repo))
	}
	if n := len(svcResources(t, svcOverrides, "SvcOverrides", "AWS::ECR::Repository")); n != 0 {
		t.Errorf("RegistryImage still created %d repositories", n)
	}
	for id, b := range svcResources(t, svcDefaults, "SvcDefaults", "AWS::S3::Bucket") {
		if !strings.HasPrefix(id, "Service") {
			continue
		}
		pr := props(b)
		if b["DeletionPolicy"] != "Retain" || jsonOf(pr["VersioningConfiguration"]) != `{"Status":"Enabled"}` || pr["LifecycleConfiguration"] == nil {
			t.Errorf("%s: %s", id, jsonOf(b))
		}
	}
	policies := svcResources(t, svcDefaults, "SvcDefaults", "AWS::S3::BucketPolicy")
	pol := jsonOf(props(policies["ServiceAccessLogBucketPolicyAB330285"]))
	for _, want := range []string{"aws:SecureTransport", "logdelivery.elasticloadbalancing.amazonaws.com", "/alb/AWSLogs/"} {
		if !strings.Contains(pol, want) {
			t.Errorf("access-log bucket policy lacks %s", want)
		}
	}
	// A stack pinned to a Region names the Region's ELB account instead.
	if pol := jsonOf(svcResources(t, svcOverrides, "SvcOverrides", "AWS::S3::BucketPolicy")); !strings.Contains(pol, "arn:aws:iam::127311923021:root") {
		t.Errorf("us-east-1 access-log bucket policy does not name ELB's account 127311923021")
	}
}

func TestPhiServiceExecuteCommandIsEncryptedAndLogged(t *testing.T) {
	_, cluster := only(t, svcResources(t, svcOverrides, "SvcOverrides", "AWS::ECS::Cluster"), "cluster")
	cfg := jsonOf(props(cluster)["Configuration"])
	for _, want := range []string{`"KmsKeyId"`, `"Logging":"OVERRIDE"`, `"CloudWatchEncryptionEnabled":true`, "ServiceExecLogGroup"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("exec configuration %s lacks %s", cfg, want)
		}
	}
	task := jsonOf(svcResources(t, svcOverrides, "SvcOverrides", "AWS::IAM::ManagedPolicy"))
	if !strings.Contains(task, "ssmmessages:CreateControlChannel") {
		t.Error("task policy lacks ECS Exec's ssmmessages actions")
	}
}
