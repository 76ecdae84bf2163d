package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phiservice"
)

func TestPhiServiceRejectsBadInput(t *testing.T) {
	param := func(p *phiservice.PhiServiceProps, id string) *float64 {
		return awscdk.NewCfnParameter(awscdk.Stack_Of(p.Vpc), jsii.String(id), &awscdk.CfnParameterProps{Type: jsii.String("Number")}).ValueAsNumber()
	}
	cases := []struct {
		name   string
		mutate func(e svcEnv, p *phiservice.PhiServiceProps)
		want   []string
	}{
		{"no vpc", func(e svcEnv, p *phiservice.PhiServiceProps) { p.Vpc = nil }, []string{"Vpc", "required"}},
		{"no app security group", func(e svcEnv, p *phiservice.PhiServiceProps) { p.AppSecurityGroup = nil }, []string{"AppSecurityGroup", "required"}},
		{"app group allows all outbound", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.AppSecurityGroup = awsec2.NewSecurityGroup(awscdk.Stack_Of(p.Vpc), jsii.String("Open"), &awsec2.SecurityGroupProps{Vpc: p.Vpc})
		}, []string{"AppSecurityGroup", "AllowAllOutbound false"}},
		{"imported app group with default outbound", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.AppSecurityGroup = awsec2.SecurityGroup_FromSecurityGroupId(awscdk.Stack_Of(p.Vpc), jsii.String("Imp"), jsii.String("sg-12345678"), nil)
		}, []string{"AppSecurityGroup", "all outbound"}},
		{"no certificate", func(e svcEnv, p *phiservice.PhiServiceProps) { p.Certificate = nil }, []string{"Certificate", "required"}},
		{"not an acm certificate", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Certificate = awscertificatemanager.Certificate_FromCertificateArn(awscdk.Stack_Of(p.Vpc), jsii.String("IamCert"), jsii.String("arn:aws:iam::111111111111:server-certificate/old"))
		}, []string{"Certificate", "not an ACM certificate"}},
		{"no alarm topic", func(e svcEnv, p *phiservice.PhiServiceProps) { p.AlarmTopic = nil }, []string{"AlarmTopic", "required"}},
		{"tls policy below 1.2", func(e svcEnv, p *phiservice.PhiServiceProps) { p.SslPolicy = "TLS11" }, []string{"SslPolicy", "below 1.2"}},
		{"legacy recommended policy", func(e svcEnv, p *phiservice.PhiServiceProps) { p.SslPolicy = "RECOMMENDED" }, []string{"SslPolicy", "below 1.2"}},
		{"tls13 with 1.0 fallback", func(e svcEnv, p *phiservice.PhiServiceProps) { p.SslPolicy = "TLS13_10" }, []string{"SslPolicy"}},
		{"public ip", func(e svcEnv, p *phiservice.PhiServiceProps) { p.AssignPublicIp = jsii.Bool(true) }, []string{"AssignPublicIp", "never get a public IP"}},
		{"writable root filesystem", func(e svcEnv, p *phiservice.PhiServiceProps) { p.ReadonlyRootFilesystem = jsii.Bool(false) }, []string{"ReadonlyRootFilesystem", "WritablePaths"}},
		{"privileged", func(e svcEnv, p *phiservice.PhiServiceProps) { p.Privileged = jsii.Bool(true) }, []string{"Privileged"}},
		{"public task subnets", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.TaskSubnets = &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PUBLIC}
		}, []string{"TaskSubnets", "public"}},
		{"data tier task subnets", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.TaskSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.DataTierName)}
		}, []string{"TaskSubnets", "Data"}},
		{"unknown subnet group", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.TaskSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Nope")}
		}, []string{"TaskSubnets", "matches no subnets"}},
		{"one AZ", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.TaskSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.AppTierName), OnePerAz: jsii.Bool(true), AvailabilityZones: jsii.Strings(*(*e.net.Vpc().AvailabilityZones())[0])}
		}, []string{"TaskSubnets", "Availability Zone"}},
		{"one task where PHI is held", func(e svcEnv, p *phiservice.PhiServiceProps) { p.DesiredCount = jsii.Number(1) }, []string{"DesiredCount", "AllowSingleTaskForNonPhiEnvironment"}},
		{"desired count as a token", func(e svcEnv, p *phiservice.PhiServiceProps) { p.DesiredCount = param(p, "Count") }, []string{"DesiredCount", "literal"}},
		{"container port as a token", func(e svcEnv, p *phiservice.PhiServiceProps) { p.ContainerPort = param(p, "Port") }, []string{"ContainerPort", "literal"}},
		{"privileged container port", func(e svcEnv, p *phiservice.PhiServiceProps) { p.ContainerPort = jsii.Number(80) }, []string{"ContainerPort", "1024"}},
		{"max below desired", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.DesiredCount = jsii.Number(4)
			p.MaxCount = jsii.Number(3)
		}, []string{"MaxCount", "below DesiredCount"}},
		{"cpu not fargate", func(e svcEnv, p *phiservice.PhiServiceProps) { p.Cpu = jsii.Number(300) }, []string{"Cpu", "Fargate"}},
		{"memory does not fit cpu", func(e svcEnv, p *phiservice.PhiServiceProps) { p.MemoryLimitMiB = jsii.Number(512) }, []string{"MemoryLimitMiB", "512 CPU"}},
		{"root user", func(e svcEnv, p *phiservice.PhiServiceProps) { p.User = jsii.String("0:0") }, []string{"User", "root", "AllowRootUser"}},
		{"root by name", func(e svcEnv, p *phiservice.PhiServiceProps) { p.User = jsii.String("root") }, []string{"User", "root"}},
		{"bad user", func(e svcEnv, p *phiservice.PhiServiceProps) { p.User = jsii.String("a b") }, []string{"User"}},
		{"secret-looking env var", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Environment = &map[string]*string{"DB_PASSWORD": jsii.String("hunter2")}
		}, []string{"Environment", "DB_PASSWORD", "Secrets"}},
		{"api key env var", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Environment = &map[string]*string{"STRIPE_API_KEY": jsii.String("sk_live")}
		}, []string{"Environment", "STRIPE_API_KEY"}},
		{"token env var", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Environment = &map[string]*string{"githubToken": jsii.String("x")}
		}, []string{"Environment", "githubToken"}},
		{"bad env name", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Environment = &map[string]*string{"1X": jsii.String("x")}
		}, []string{"Environment", "1X"}},
		{"env var set from database", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Database = &phiservice.DatabaseAccess{Database: e.db, User: jsii.String("app_user")}
			p.Environment = &map[string]*string{"PGHOST": jsii.String("elsewhere")}
		}, []string{"Environment", "PGHOST"}},
		{"secret without source", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Secrets = &map[string]*phiservice.ContainerSecret{"API_TOKEN": {}}
		}, []string{"Secrets", "API_TOKEN"}},
		{"secret with both sources", func(e svcEnv, p *phiservice.PhiServiceProps) {
			stack := awscdk.Stack_Of(p.Vpc)
			p.Secrets = &map[string]*phiservice.ContainerSecret{"API_TOKEN": {
				Secret:    awssecretsmanager.Secret_FromSecretNameV2(stack, jsii.String("S"), jsii.String("s")),
				Parameter: awsssm.StringParameter_FromStringParameterName(stack, jsii.String("P"), jsii.String("p")),
			}}
		}, []string{"Secrets", "not both"}},
		{"json field on a parameter", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Secrets = &map[string]*phiservice.ContainerSecret{"API_TOKEN": {
				Parameter: awsssm.StringParameter_FromStringParameterName(awscdk.Stack_Of(p.Vpc), jsii.String("P"), jsii.String("p")),
				JsonField: jsii.String("x"),
			}}
		}, []string{"Secrets", "JsonField"}},
		{"secret also plain", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Environment = &map[string]*string{"LOG": jsii.String("x")}
			p.Secrets = &map[string]*phiservice.ContainerSecret{"LOG": {
				Parameter: awsssm.StringParameter_FromStringParameterName(awscdk.Stack_Of(p.Vpc), jsii.String("P"), jsii.String("p")),
			}}
		}, []string{"Secrets", "also a plain"}},
		{"database without user", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Database = &phiservice.DatabaseAccess{Database: e.db}
		}, []string{"Database.User"}},
		{"database wildcard user", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Database = &phiservice.DatabaseAccess{Database: e.db, User: jsii.String("*")}
		}, []string{"Database.User"}},
		{"database without database", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Database = &phiservice.DatabaseAccess{User: jsii.String("app_user")}
		}, []string{"Database.Database"}},
		{"tasks not in the database's app group", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Database = &phiservice.DatabaseAccess{Database: e.db, User: jsii.String("app_user")}
			p.AppSecurityGroup = awsec2.NewSecurityGroup(awscdk.Stack_Of(p.Vpc), jsii.String("Other"), &awsec2.SecurityGroupProps{Vpc: p.Vpc, AllowAllOutbound: jsii.Bool(false)})
		}, []string{"AppSecurityGroup", "not one of the database's AppClients"}},
		{"the access group as app group", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Database = &phiservice.DatabaseAccess{Database: e.db, User: jsii.String("app_user")}
			p.AppSecurityGroup = e.bastion
		}, []string{"AppSecurityGroup", "not one of the database's AppClients"}},
		{"no image tag", func(e svcEnv, p *phiservice.PhiServiceProps) { p.ImageTag = nil }, []string{"ImageTag", "required"}},
		{"latest tag", func(e svcEnv, p *phiservice.PhiServiceProps) { p.ImageTag = jsii.String("latest") }, []string{"ImageTag", "latest"}},
		{"bad tag", func(e svcEnv, p *phiservice.PhiServiceProps) { p.ImageTag = jsii.String("v1 2") }, []string{"ImageTag"}},
		{"registry image and tag", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.RegistryImage = jsii.String("public.ecr.aws/nginx/nginx:stable")
		}, []string{"ImageTag", "RegistryImage"}},
		{"registry image without tag", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.ImageTag = nil
			p.RegistryImage = jsii.String("nginx")
		}, []string{"RegistryImage", "no tag"}},
		{"registry image and repository options", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.ImageTag = nil
			p.RegistryImage = jsii.String("nginx:1")
			p.RepositoryOptions = &phiservice.RepositoryOptions{}
		}, []string{"RepositoryOptions", "RegistryImage"}},
		{"existing repository and options", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Repository = awsecr.Repository_FromRepositoryName(awscdk.Stack_Of(p.Vpc), jsii.String("Repo"), jsii.String("app"))
			p.RepositoryOptions = &phiservice.RepositoryOptions{MaxImages: jsii.Number(5)}
		}, []string{"RepositoryOptions", "Repository"}},
		{"repository keeps no image", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.RepositoryOptions = &phiservice.RepositoryOptions{MaxImages: jsii.Number(0)}
		}, []string{"RepositoryOptions.MaxImages"}},
		{"egress all traffic", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Egress = &[]*phiservice.Egress{{Peer: awsec2.Peer_AnyIpv4(), Port: awsec2.Port_AllTraffic(), Description: jsii.String("x")}}
		}, []string{"Egress", "only TCP or UDP"}},
		{"egress all tcp ports", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Egress = &[]*phiservice.Egress{{Peer: awsec2.Peer_AnyIpv4(), Port: awsec2.Port_AllTcp(), Description: jsii.String("x")}}
		}, []string{"Egress", "every port"}},
		{"egress without description", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.Egress = &[]*phiservice.Egress{{Peer: awsec2.Peer_AnyIpv4(), Port: awsec2.Port_Tcp(jsii.Number(25))}}
		}, []string{"Egress", "Description"}},
		{"bad allowed cidr", func(e svcEnv, p *phiservice.PhiServiceProps) { p.AllowedCidrs = jsii.Strings("10.0.0.1/16") }, []string{"AllowedCidrs", "canonical"}},
		{"empty allowed cidrs", func(e svcEnv, p *phiservice.PhiServiceProps) { p.AllowedCidrs = &[]*string{} }, []string{"AllowedCidrs", "empty"}},
		{"ipv6 allowed cidr", func(e svcEnv, p *phiservice.PhiServiceProps) { p.AllowedCidrs = jsii.Strings("::/0") }, []string{"AllowedCidrs"}},
		{"waf rate limit too low", func(e svcEnv, p *phiservice.PhiServiceProps) { p.WafRateLimit = jsii.Number(5) }, []string{"WafRateLimit", "10"}},
		{"waf rate limit as a token", func(e svcEnv, p *phiservice.PhiServiceProps) { p.WafRateLimit = param(p, "Rate") }, []string{"WafRateLimit", "literal"}},
		{"5xx percent zero", func(e svcEnv, p *phiservice.PhiServiceProps) { p.Target5xxPercent = jsii.Number(0) }, []string{"Target5xxPercent"}},
		{"log retention below six years", func(e svcEnv, p *phiservice.PhiServiceProps) { p.LogRetentionDays = jsii.Number(365) }, []string{"LogRetentionDays", "AllowRetentionShorterThanSixYears"}},
		{"log retention not a cloudwatch value", func(e svcEnv, p *phiservice.PhiServiceProps) { p.LogRetentionDays = jsii.Number(42) }, []string{"LogRetentionDays"}},
		{"log retention as a token", func(e svcEnv, p *phiservice.PhiServiceProps) { p.LogRetentionDays = param(p, "Days") }, []string{"LogRetentionDays", "literal"}},
		{"aws managed key", func(e svcEnv, p *phiservice.PhiServiceProps) {
			p.EncryptionKey = awskms.Alias_FromAliasName(awscdk.Stack_Of(p.Vpc), jsii.String("Managed"), jsii.String("alias/aws/ecr"))
		}, []string{"EncryptionKey", "AWS managed"}},
		{"bad health check path", func(e svcEnv, p *phiservice.PhiServiceProps) { p.HealthCheckPath = jsii.String("health") }, []string{"HealthCheckPath", "start with /"}},
		{"bad health check command", func(e svcEnv, p *phiservice.PhiServiceProps) { p.HealthCheckCommand = jsii.Strings("curl") }, []string{"HealthCheckCommand", "CMD"}},
		{"relative writable path", func(e svcEnv, p *phiservice.PhiServiceProps) { p.WritablePaths = jsii.Strings("tmp") }, []string{"WritablePaths"}},
		{"root as writable path", func(e svcEnv, p *phiservice.PhiServiceProps) { p.WritablePaths = jsii.Strings("/") }, []string{"WritablePaths"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectSynthError(t, func(stack awscdk.Stack) {
				// Everything around the service lives in a sibling stack, so
				// the check that bad input created nothing applies to the
				// service's stack.
				envStack := awscdk.NewStack(stack.Node().Scope().(constructs.Construct), jsii.String("Env"), nil)
				e := newSvcEnv(envStack)
				p := e.props()
				c.mutate(e, p)
				phiservice.NewPhiService(stack, jsii.String("Service"), p)
			}, append([]string{"PhiService", "invalid prop"}, c.want...)...)
		})
	}
	t.Run("nil props", func(t *testing.T) {
		expectSynthError(t, func(stack awscdk.Stack) {
			phiservice.NewPhiService(stack, jsii.String("Service"), nil)
		}, "PhiService", "Vpc")
	})
}
