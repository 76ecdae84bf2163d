package phiservice

import (
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/fakes"
)

type (
	secret     struct{ awssecretsmanager.ISecret }
	parameter  struct{ awsssm.IParameter }
	repository struct{ awsecr.IRepository }
)

const certArn = "arn:aws:acm:us-east-1:111122223333:certificate/web-1"

// valid is the smallest props resolve accepts (an image from a registry),
// changed by mod.
func valid(mod func(*PhiServiceProps)) *PhiServiceProps {
	p := &PhiServiceProps{
		Vpc: fakes.ThreeTier(2, true), AppSecurityGroup: &fakes.SecurityGroup{ID: "App", AllowAll: jsii.Bool(false)},
		Certificate: &fakes.Certificate{Arn: certArn}, AlarmTopic: &fakes.Topic{},
		RegistryImage: jsii.String("public.ecr.aws/nginx/nginx-unprivileged:stable"),
	}
	if mod != nil {
		mod(p)
	}
	return p
}

func tcp(port float64) *fakes.Port {
	return &fakes.Port{Protocol: "tcp", From: port, To: port, Label: "tcp port"}
}

func TestResolveRefusesBadProps(t *testing.T) {
	type P = PhiServiceProps
	yes, no := jsii.Bool(true), jsii.Bool(false)
	fakes.CheckPartialRefusals(t, "PhiService", resolve, []fakes.Refusal[*PhiServiceProps]{
		{"nil props", nil, "Vpc", "props are required"},
		{"empty props", &P{}, "Vpc", "a VPC is required"},
		{"no app group", valid(func(p *P) { p.AppSecurityGroup = nil }), "AppSecurityGroup", "is required"},
		{"app group open outbound", valid(func(p *P) { p.AppSecurityGroup = &fakes.SecurityGroup{AllowAll: yes, N: fakes.Node{P: "Net/App"}} }),
			"AppSecurityGroup", "Net/App allows all outbound traffic"},
		{"no certificate", valid(func(p *P) { p.Certificate = nil }), "Certificate", "is required"},
		{"certificate not acm", valid(func(p *P) { p.Certificate = &fakes.Certificate{Arn: "arn:aws:iam::111122223333:server-certificate/x"} }), "Certificate", "not an ACM certificate ARN"},
		{"no topic", valid(func(p *P) { p.AlarmTopic = nil }), "AlarmTopic", "is required"},
		{"public ip", valid(func(p *P) { p.AssignPublicIp = yes }), "AssignPublicIp", "never get a public IP"},
		{"writable root", valid(func(p *P) { p.ReadonlyRootFilesystem = no }), "ReadonlyRootFilesystem", "WritablePaths"},
		{"privileged", valid(func(p *P) { p.Privileged = yes }), "Privileged", "never run privileged"},
		{"tls 1.0 policy", valid(func(p *P) { p.SslPolicy = awselasticloadbalancingv2.SslPolicy_LEGACY }), "SslPolicy", "accepts TLS below 1.2"},
		{"aws managed key", valid(func(p *P) { p.EncryptionKey = &fakes.Alias{Name: "alias/aws/logs"} }), "EncryptionKey", "AWS managed key"},
		{"image and repository", valid(func(p *P) { p.Repository = repository{} }), "RegistryImage", "both set"},
		{"image and repository options", valid(func(p *P) { p.RepositoryOptions = &RepositoryOptions{} }), "RepositoryOptions", "RegistryImage is set"},
		{"image and tag", valid(func(p *P) { p.ImageTag = jsii.String("v1") }), "ImageTag", "put the tag in RegistryImage"},
		{"image with a space", valid(func(p *P) { p.RegistryImage = jsii.String("nginx :1") }), "RegistryImage", "not an image reference"},
		{"image without tag", valid(func(p *P) { p.RegistryImage = jsii.String("nginx") }), "RegistryImage", "no tag or digest"},
		{"no tag for ecr", valid(func(p *P) { p.RegistryImage = nil }), "ImageTag", "is required with an ECR repository"},
		{"bad tag", valid(func(p *P) { p.RegistryImage, p.ImageTag = nil, jsii.String("v1/2") }), "ImageTag", "is not an image tag"},
		{"latest tag", valid(func(p *P) { p.RegistryImage, p.ImageTag = nil, jsii.String("latest") }), "ImageTag", "names no release"},
		{"max images token", valid(func(p *P) {
			p.RegistryImage, p.ImageTag, p.RepositoryOptions = nil, jsii.String("v1"), &RepositoryOptions{MaxImages: jsii.Number(fakes.NumberToken)}
		}), "RepositoryOptions.MaxImages", "literal number"},
		{"max images zero", valid(func(p *P) {
			p.RegistryImage, p.ImageTag, p.RepositoryOptions = nil, jsii.String("v1"), &RepositoryOptions{MaxImages: jsii.Number(0)}
		}),
			"RepositoryOptions.MaxImages", "from 1 to 10000"},
		{"port token", valid(func(p *P) { p.ContainerPort = jsii.Number(fakes.NumberToken) }), "ContainerPort", "literal number"},
		{"privileged port", valid(func(p *P) { p.ContainerPort = jsii.Number(80) }), "ContainerPort", "from 1024 to 65535"},
		{"cpu not fargate", valid(func(p *P) { p.Cpu = jsii.Number(768) }), "Cpu", "768 is not a Fargate CPU value"},
		{"memory not for cpu", valid(func(p *P) { p.Cpu, p.MemoryLimitMiB = jsii.Number(256), jsii.Number(1536) }), "MemoryLimitMiB", "1536 MiB does not go with 256 CPU units"},
		{"memory off step", valid(func(p *P) { p.MemoryLimitMiB = jsii.Number(1536) }), "MemoryLimitMiB", "steps of 1024"},
		{"one task", valid(func(p *P) { p.DesiredCount = jsii.Number(1) }), "DesiredCount", "AllowSingleTaskForNonPhiEnvironment"},
		{"max below desired", valid(func(p *P) { p.DesiredCount, p.MaxCount = jsii.Number(4), jsii.Number(3) }), "MaxCount", "3 is below DesiredCount (4)"},
		{"cpu target too high", valid(func(p *P) { p.CpuTargetPercent = jsii.Number(95) }), "CpuTargetPercent", "from 10 to 90"},
		{"waf limit too low", valid(func(p *P) { p.WafRateLimit = jsii.Number(5) }), "WafRateLimit", "from 10 to"},
		{"5xx zero", valid(func(p *P) { p.Target5xxPercent = jsii.Number(0) }), "Target5xxPercent", "above 0"},
		{"5xx token", valid(func(p *P) { p.Target5xxPercent = jsii.Number(fakes.NumberToken) }), "Target5xxPercent", "literal number"},
		{"short logs", valid(func(p *P) { p.LogRetentionDays = jsii.Number(30) }), "LogRetentionDays", "AllowRetentionShorterThanSixYears"},
		{"bad user", valid(func(p *P) { p.User = jsii.String("a b") }), "User", `"uid", "uid:gid"`},
		{"root", valid(func(p *P) { p.User = jsii.String("0:0") }), "User", "runs the container as root"},
		{"writable root dir", valid(func(p *P) { p.WritablePaths = jsii.Strings("/") }), "WritablePaths", "entry 0"},
		{"writable relative", valid(func(p *P) { p.WritablePaths = jsii.Strings("/tmp", "../etc") }), "WritablePaths", "entry 1"},
		{"writable twice", valid(func(p *P) { p.WritablePaths = jsii.Strings("/tmp", "/tmp") }), "WritablePaths", "listed twice"},
		{"health path relative", valid(func(p *P) { p.HealthCheckPath = jsii.String("health") }), "HealthCheckPath", "must start with /"},
		{"health command shell", valid(func(p *P) { p.HealthCheckCommand = jsii.Strings("curl", "-f") }), "HealthCheckCommand", `"CMD" or "CMD-SHELL"`},
		{"health command nil entry", valid(func(p *P) { p.HealthCheckCommand = &[]*string{jsii.String("CMD"), nil} }), "HealthCheckCommand", "nil entry"},
		{"env name", valid(func(p *P) { p.Environment = &map[string]*string{"1X": jsii.String("v")} }), "Environment", "not an environment variable name"},
		{"env secret", valid(func(p *P) { p.Environment = &map[string]*string{"DB_PASSWORD": jsii.String("v")} }), "Environment", "looks like a secret"},
		{"env api key", valid(func(p *P) { p.Environment = &map[string]*string{"STRIPE_API_KEY": jsii.String("v")} }), "Environment", "looks like a secret"},
		{"env nil value", valid(func(p *P) { p.Environment = &map[string]*string{"MODE": nil} }), "Environment", "nil value"},
		{"secret name", valid(func(p *P) { p.Secrets = &map[string]*ContainerSecret{"a-b": {Secret: secret{}}} }), "Secrets", "not an environment variable name"},
		{"secret also plain", valid(func(p *P) {
			p.Environment, p.Secrets = &map[string]*string{"MODE": jsii.String("v")}, &map[string]*ContainerSecret{"MODE": {Secret: secret{}}}
		}), "Secrets", "also a plain Environment variable"},
		{"secret empty", valid(func(p *P) { p.Secrets = &map[string]*ContainerSecret{"DB": {}} }), "Secrets", "give a Secrets Manager Secret or an SSM Parameter"},
		{"secret both", valid(func(p *P) { p.Secrets = &map[string]*ContainerSecret{"DB": {Secret: secret{}, Parameter: parameter{}}} }), "Secrets", "not both"},
		{"parameter json field", valid(func(p *P) {
			p.Secrets = &map[string]*ContainerSecret{"DB": {Parameter: parameter{}, JsonField: jsii.String("password")}}
		}), "Secrets", "SSM parameters have none"},
		{"empty json field", valid(func(p *P) {
			p.Secrets = &map[string]*ContainerSecret{"DB": {Secret: secret{}, JsonField: jsii.String("")}}
		}), "Secrets", "JsonField is empty"},
		{"database without database", valid(func(p *P) { p.Database = &DatabaseAccess{} }), "Database.Database", "is required"},
		{"egress without port", valid(func(p *P) { p.Egress = &[]*Egress{{Peer: fakes.Ipv4("10.1.0.0/16")}} }), "Egress", "entry 0: Peer and Port are required"},
		{"egress without why", valid(func(p *P) { p.Egress = &[]*Egress{{Peer: fakes.Ipv4("10.1.0.0/16"), Port: tcp(443)}} }), "Egress", "a Description saying why"},
		{"egress all traffic", valid(func(p *P) {
			p.Egress = &[]*Egress{{Peer: fakes.Ipv4("10.1.0.0/16"), Port: &fakes.Port{Protocol: "-1", Label: "ALL TRAFFIC"}, Description: jsii.String("x")}}
		}), "Egress", "ALL TRAFFIC: only TCP or UDP"},
		{"egress every port", valid(func(p *P) {
			p.Egress = &[]*Egress{{Peer: fakes.Ipv4("10.1.0.0/16"), Port: &fakes.Port{Protocol: "tcp", To: 65535, Label: "ALL PORTS"}, Description: jsii.String("x")}}
		}), "Egress", "opens every port"},
		{"egress unsupported peer", valid(func(p *P) {
			p.Egress = &[]*Egress{{Peer: &fakes.Peer{}, Port: tcp(443), Description: jsii.String("x")}}
		}), "Egress", "unsupported peer"},
		{"no allowed cidrs", valid(func(p *P) { p.AllowedCidrs = jsii.Strings() }), "AllowedCidrs", "is empty"},
		{"nil allowed cidr", valid(func(p *P) { p.AllowedCidrs = &[]*string{nil} }), "AllowedCidrs", "entry 0 is nil"},
		{"allowed cidr host bits", valid(func(p *P) { p.AllowedCidrs = jsii.Strings("203.0.113.7/24") }), "AllowedCidrs", "not a canonical IPv4 CIDR"},
		{"public task subnets", valid(func(p *P) { p.TaskSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Public")} }), "TaskSubnets", "is public"},
		{"data task subnets", valid(func(p *P) { p.TaskSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Data")} }), "TaskSubnets", `in the "Data" tier`},
		{"no such task group", valid(func(p *P) { p.TaskSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Web")} }), "TaskSubnets", "matches no subnets of the VPC"},
		{"empty task selection", valid(func(p *P) { p.TaskSubnets = &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{}} }), "TaskSubnets", "matches no subnets"},
		{"one az", valid(func(p *P) { p.Vpc = fakes.ThreeTier(1, true) }), "TaskSubnets", "span 1 Availability Zone(s)"},
	})
}

func TestResolveAppliesDefaultsAndKeepsValues(t *testing.T) {
	type P = PhiServiceProps
	yes := jsii.Bool(true)
	egress := &Egress{Peer: fakes.Ipv4("10.1.0.0/16"), Port: tcp(5432), Description: jsii.String("reporting database")}
	fakes.CheckResolutions(t, resolve, []fakes.Resolution[*PhiServiceProps, settings]{
		{"defaults", valid(nil), func(s *settings) bool {
			return s.port == DefaultContainerPort && s.cpu == DefaultCpu && s.memory == DefaultMemoryMiB && s.desired == DefaultDesiredCount &&
				s.max == DefaultMaxCount && s.cpuTarget == DefaultCpuTargetPercent && s.requestsTarget == DefaultRequestsPerTarget &&
				s.user == DefaultUser && slices.Equal(s.writable, []string{DefaultWritablePath}) && s.healthPath == DefaultHealthCheckPath &&
				slices.Equal(s.healthCommand, []string{"CMD-SHELL", "curl -fsS http://localhost:8080/ >/dev/null || exit 1"}) &&
				s.logDays == DefaultLogRetentionDays && s.wafLimit == DefaultWafRateLimit && s.wafBlocked == DefaultWafBlockedRequestsThreshold &&
				s.sslPolicy == DefaultSslPolicy && !s.createRepository && s.imageTag == "" && s.maxImages == DefaultRepositoryMaxImages &&
				slices.Equal(s.cidrs, []string{anyIPv4}) && !s.internal && s.deletionProtected && !s.singleTask && !s.exec &&
				*s.taskSubnets.SubnetGroupName == "App" && len(s.environment) == 0 && s.egress == nil
		}},
		{"created repository", valid(func(p *P) {
			p.RegistryImage, p.ImageTag, p.RepositoryOptions = nil, jsii.String("v1.4.2"), &RepositoryOptions{MaxImages: jsii.Number(10)}
		}),
			func(s *settings) bool { return s.createRepository && s.imageTag == "v1.4.2" && s.maxImages == 10 }},
		{"existing repository by digest", valid(func(p *P) {
			p.RegistryImage, p.Repository, p.ImageTag = nil, repository{}, jsii.String("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
		}), func(s *settings) bool { return !s.createRepository }},
		{"image token", valid(func(p *P) { p.RegistryImage = jsii.String(fakes.StringToken) }), func(s *settings) bool { return !s.createRepository }},
		{"sizes kept", valid(func(p *P) {
			p.Cpu, p.MemoryLimitMiB, p.ContainerPort = jsii.Number(256), jsii.Number(2048), jsii.Number(3000)
		}),
			func(s *settings) bool {
				return s.cpu == 256 && s.memory == 2048 && s.port == 3000 && s.healthCommand[1] == "curl -fsS http://localhost:3000/ >/dev/null || exit 1"
			}},
		{"max follows desired", valid(func(p *P) { p.DesiredCount = jsii.Number(8) }), func(s *settings) bool { return s.desired == 8 && s.max == 8 }},
		{"single task outside phi", valid(func(p *P) {
			p.DesiredCount, p.AllowSingleTaskForNonPhiEnvironment, p.Vpc = jsii.Number(1), yes, fakes.ThreeTier(1, true)
		}),
			func(s *settings) bool { return s.desired == 1 && s.singleTask }},
		{"5xx kept", valid(func(p *P) { p.Target5xxPercent = jsii.Number(0.5) }), func(s *settings) bool { return s.fivexxPercent == 0.5 }},
		{"tls 1.3 policy", valid(func(p *P) { p.SslPolicy = awselasticloadbalancingv2.SslPolicy_TLS13_13 }), func(s *settings) bool { return s.sslPolicy == awselasticloadbalancingv2.SslPolicy_TLS13_13 }},
		{"root where allowed", valid(func(p *P) { p.User, p.AllowRootUser = jsii.String("root"), yes }), func(s *settings) bool { return s.user == "root" }},
		{"container kept", valid(func(p *P) {
			p.WritablePaths, p.HealthCheckPath, p.HealthCheckCommand = jsii.Strings("/var/cache", "/run"), jsii.String("/healthz"), jsii.Strings("CMD", "/bin/check")
		}), func(s *settings) bool {
			return slices.Equal(s.writable, []string{"/var/cache", "/run"}) && s.healthPath == "/healthz" && slices.Equal(s.healthCommand, []string{"CMD", "/bin/check"})
		}},
		{"no writable paths", valid(func(p *P) { p.WritablePaths = jsii.Strings() }), func(s *settings) bool { return s.writable == nil }},
		{"environment sorted", valid(func(p *P) {
			p.Environment = &map[string]*string{"MODE": jsii.String("prod"), "API_URL": jsii.String(fakes.StringToken)}
			p.Secrets = &map[string]*ContainerSecret{"DB_PASSWORD": {Secret: secret{}, JsonField: jsii.String("password")}, "API_TOKEN": {Parameter: parameter{}}}
		}), func(s *settings) bool {
			return slices.Equal(s.envNames, []string{"API_URL", "MODE"}) && s.environment["API_URL"] == fakes.StringToken &&
				slices.Equal(s.secretNames, []string{"API_TOKEN", "DB_PASSWORD"})
		}},
		{"egress kept", valid(func(p *P) { p.Egress = &[]*Egress{egress} }), func(s *settings) bool { return len(s.egress) == 1 && s.egress[0] == egress }},
		{"internal", valid(func(p *P) { p.Internal = yes }), func(s *settings) bool { return s.internal && s.cidrs == nil }},
		{"allowed cidrs kept", valid(func(p *P) { p.AllowedCidrs = jsii.Strings("203.0.113.0/24") }), func(s *settings) bool { return slices.Equal(s.cidrs, []string{"203.0.113.0/24"}) }},
		{"switches", valid(func(p *P) { p.EnableExecuteCommand, p.DisableDeletionProtectionForNonPhiEnvironment = yes, yes }),
			func(s *settings) bool { return s.exec && !s.deletionProtected }},
	})
}
