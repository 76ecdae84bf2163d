package bastionaccess

import (
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/fakes"
)

const (
	serverCert = "arn:aws:acm:us-east-1:111122223333:certificate/server-1"
	clientRoot = "arn:aws:acm:us-east-1:111122223333:certificate/root-1"
)

// valid is props with a HipaaVpc-like VPC, changed by mod.
func valid(mod func(*BastionAccessProps)) *BastionAccessProps {
	p := &BastionAccessProps{Vpc: fakes.ThreeTier(2, true)}
	if mod != nil {
		mod(p)
	}
	return p
}

// mtls is a mutual-TLS Client VPN with client addresses in cidr.
func mtls(cidr string) *ClientVpnProps {
	return &ClientVpnProps{ClientCidr: jsii.String(cidr), ServerCertificate: &fakes.Certificate{Arn: serverCert}, ClientRootCertificate: &fakes.Certificate{Arn: clientRoot}}
}

func TestResolveRefusesBadProps(t *testing.T) {
	type P = BastionAccessProps
	yes := jsii.Bool(true)
	noCidrs := fakes.ThreeTier(2, true)
	noCidrs.Groups[1].Subnets = []awsec2.ISubnet{&fakes.Subnet{ID: "subnet-imported", AZ: "us-east-1a"}}
	imported := fakes.ThreeTier(2, true)
	imported.Cidr = "" // imported without its CIDR
	fakes.CheckRefusals(t, "BastionAccess", resolve, []fakes.Refusal[*BastionAccessProps]{
		{"nil props", nil, "Vpc", "is required"},
		{"empty props", &P{}, "Vpc", "is required"},
		{"no such app group", valid(func(p *P) { p.AppSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Private")} }),
			"AppSubnets", "cannot select the subnets: There are no subnet groups with name 'Private'"},
		{"no app subnet", valid(func(p *P) { p.AppSubnets = &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{}} }), "AppSubnets", "selects no subnets"},
		{"app subnets without cidr", valid(func(p *P) { p.Vpc = noCidrs }), "AppSubnets", "cannot read the selected subnets' CIDR blocks"},
		{"public app subnets", valid(func(p *P) { p.AppSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Public")} }), "AppSubnets", "selects public subnets"},
		{"no such data group", valid(func(p *P) { p.DataSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Db")} }), "DataSubnets", "no subnet groups with name 'Db'"},
		{"port token", valid(func(p *P) { p.DatabasePort = jsii.Number(fakes.NumberToken) }), "DatabasePort", "literal number"},
		{"retention token", valid(func(p *P) { p.SessionLogRetentionDays = jsii.Number(fakes.NumberToken) }), "SessionLogRetentionDays", "literal number"},
		{"port zero", valid(func(p *P) { p.DatabasePort = jsii.Number(0) }), "DatabasePort", "from 1 to 65535"},
		{"port too high", valid(func(p *P) { p.DatabasePort = jsii.Number(65536) }), "DatabasePort", "from 1 to 65535"},
		{"not an instance type", valid(func(p *P) { p.InstanceType = &fakes.InstanceType{Name: "micro"} }), "InstanceType", `"micro" is not an EC2 instance type such as t4g.micro`},
		{"not a family", valid(func(p *P) { p.InstanceType = &fakes.InstanceType{Name: "q9.large"} }), "InstanceType", "q9 is not an EC2 instance family"},
		{"no ebs encryption", valid(func(p *P) { p.InstanceType = &fakes.InstanceType{Name: "m1.small"} }), "InstanceType", "the m1 family has no EBS encryption"},
		{"no ebs optimization", valid(func(p *P) { p.InstanceType = &fakes.InstanceType{Name: "t2.micro"} }), "InstanceType", "no EBS optimization"},
		{"unplaceable type", valid(func(p *P) { p.InstanceType = &fakes.InstanceType{Name: "t3.nano"} }), "InstanceType", "not an instance type CDK can place: Malformed"},
		{"aws managed key", valid(func(p *P) { p.EncryptionKey = &fakes.Alias{Name: "alias/aws/ebs"} }), "EncryptionKey", "AWS managed key"},
		{"short session logs", valid(func(p *P) { p.SessionLogRetentionDays = jsii.Number(30) }), "SessionLogRetentionDays", "AllowRetentionShorterThanSixYears"},
		{"idle zero", valid(func(p *P) { p.IdleSessionTimeoutMinutes = jsii.Number(0) }), "IdleSessionTimeoutMinutes", "from 1 to 60"},
		{"idle token", valid(func(p *P) { p.IdleSessionTimeoutMinutes = jsii.Number(fakes.NumberToken) }), "IdleSessionTimeoutMinutes", "session preferences document"},
		{"unknown mode", valid(func(p *P) { p.Mode = "Always" }), "Mode", `"Always"`},
		{"scale-in of an instance", valid(func(p *P) { p.DisableNightlyScaleIn = yes }), "DisableNightlyScaleIn", "only to Mode ModeTimeBoxedAutoScaling"},
		{"nat and endpoints", valid(func(p *P) { p.AllowHttpsEgressThroughNat, p.EndpointSecurityGroup = yes, &fakes.SecurityGroup{} }), "AllowHttpsEgressThroughNat", "contradicts EndpointSecurityGroup"},
		{"nat without nat", valid(func(p *P) { p.Vpc, p.AllowHttpsEgressThroughNat = fakes.ThreeTier(2, false), yes }), "AllowHttpsEgressThroughNat", "no route to a NAT gateway"},
		{"bad prefix list", valid(func(p *P) { p.S3PrefixListId = jsii.String("pl-XYZ") }), "S3PrefixListId", "not a managed prefix list ID"},
		{"log bucket without preferences", valid(func(p *P) { p.SessionLogBucket, p.DisableSessionPreferences = &fakes.Bucket{}, yes }), "SessionLogBucket", "DisableSessionPreferences"},
		{"log bucket without prefix list", valid(func(p *P) { p.SessionLogBucket = awss3.IBucket(&fakes.Bucket{}) }), "SessionLogBucket", "also set S3PrefixListId"},
		{"public vpc cidr", valid(func(p *P) { p.VpcCidr = jsii.String("8.8.0.0/16") }), "VpcCidr", "private"},
		{"vpn without client cidr", valid(func(p *P) { p.ClientVpn = &ClientVpnProps{} }), "ClientVpn.ClientCidr", "is required"},
		{"vpn client cidr token", valid(func(p *P) { p.ClientVpn = mtls(fakes.StringToken) }), "ClientVpn.ClientCidr", "not a token"},
		{"vpn public client cidr", valid(func(p *P) { p.ClientVpn = mtls("100.64.0.0/22") }), "ClientVpn.ClientCidr", "private"},
		{"vpn client cidr too small", valid(func(p *P) { p.ClientVpn = mtls("172.16.0.0/24") }), "ClientVpn.ClientCidr", "from /12 to /22"},
		{"vpn overlaps the vpc", valid(func(p *P) { p.ClientVpn = mtls("10.0.0.0/22") }), "ClientVpn.ClientCidr", "overlaps the VPC's 10.0.0.0/16"},
		{"vpn overlaps the given vpc cidr", valid(func(p *P) { p.VpcCidr, p.ClientVpn = jsii.String("172.16.0.0/16"), mtls("172.16.0.0/22") }), "ClientVpn.ClientCidr", "overlaps"},
		{"vpn vpc cidr unknown", valid(func(p *P) { p.Vpc, p.ClientVpn = imported, mtls("172.16.0.0/22") }), "VpcCidr", "not known at synth time"},
		{"vpn vpc cidr token", valid(func(p *P) { p.VpcCidr, p.ClientVpn = jsii.String(fakes.StringToken), mtls("172.16.0.0/22") }), "VpcCidr", "not a token"},
		{"vpn without server cert", valid(func(p *P) { p.ClientVpn = mtls("172.16.0.0/22"); p.ClientVpn.ServerCertificate = nil }), "ClientVpn.ServerCertificate", "is required"},
		{"vpn server cert not acm", valid(func(p *P) {
			p.ClientVpn = mtls("172.16.0.0/22")
			p.ClientVpn.ServerCertificate = &fakes.Certificate{Arn: "arn:aws:iam::111122223333:server-certificate/x"}
		}), "ClientVpn.ServerCertificate", "not an ACM certificate ARN"},
		{"vpn without authentication", valid(func(p *P) { p.ClientVpn = mtls("172.16.0.0/22"); p.ClientVpn.ClientRootCertificate = nil }),
			"ClientVpn.ClientRootCertificate/SamlProvider", "set one"},
		{"vpn with both authentications", valid(func(p *P) { p.ClientVpn = mtls("172.16.0.0/22"); p.ClientVpn.SamlProvider = &fakes.SamlProvider{} }),
			"ClientVpn.ClientRootCertificate/SamlProvider", "set only one"},
		{"vpn client root not acm", valid(func(p *P) {
			p.ClientVpn = mtls("172.16.0.0/22")
			p.ClientVpn.ClientRootCertificate = &fakes.Certificate{Arn: "root"}
		}),
			"ClientVpn.ClientRootCertificate", `"root" is not an ACM certificate ARN`},
		{"vpn saml not an arn", valid(func(p *P) {
			p.ClientVpn = mtls("172.16.0.0/22")
			p.ClientVpn.ClientRootCertificate, p.ClientVpn.SamlProvider = nil, &fakes.SamlProvider{Arn: "arn:aws:iam::111122223333:role/x"}
		}), "ClientVpn.SamlProvider", "not an IAM SAML provider ARN"},
	})
}

func TestResolveAppliesDefaultsAndKeepsValues(t *testing.T) {
	type P = BastionAccessProps
	yes := jsii.Bool(true)
	vpc := fakes.ThreeTier(2, true)
	arm := &fakes.InstanceType{Name: "m7g.large", Arch: awsec2.InstanceArchitecture_ARM_64}
	fakes.CheckResolutions(t, resolve, []fakes.Resolution[*BastionAccessProps, settings]{
		{"defaults", valid(func(p *P) { p.Vpc = vpc }), func(s *settings) bool {
			return s.vpc == vpc && *s.appSubnets.SubnetGroupName == "App" && slices.Equal(s.appCidrs, []string{"10.0.2.0/24", "10.0.3.0/24"}) &&
				slices.Equal(s.dataCidrs, []string{"10.0.4.0/24", "10.0.5.0/24"}) && s.dbPort == DefaultDatabasePort &&
				s.instanceType == nil && s.instanceName == DefaultInstanceType && s.retentionDays == DefaultSessionLogRetentionDays &&
				s.idleMinutes == DefaultIdleSessionTimeoutMinutes && s.mode == ModeSessionManagerInstance && s.sessionPrefs && s.nightlyScaleIn &&
				s.s3PrefixList == "" && !s.httpsViaNat && s.vpn == nil
		}},
		{"arm instance type", valid(func(p *P) { p.InstanceType = arm }), func(s *settings) bool { return s.instanceType == arm && s.arm64 }},
		{"x86 instance type", valid(func(p *P) {
			p.InstanceType = &fakes.InstanceType{Name: "t3.micro", Arch: awsec2.InstanceArchitecture_X86_64}
		}),
			func(s *settings) bool { return !s.arm64 && s.instanceName == "t3.micro" }},
		{"numbers kept", valid(func(p *P) {
			p.DatabasePort, p.SessionLogRetentionDays, p.IdleSessionTimeoutMinutes = jsii.Number(6432), jsii.Number(3653), jsii.Number(60)
		}), func(s *settings) bool { return s.dbPort == 6432 && s.retentionDays == 3653 && s.idleMinutes == 60 }},
		{"short logs where allowed", valid(func(p *P) { p.SessionLogRetentionDays, p.AllowRetentionShorterThanSixYears = jsii.Number(30), yes }),
			func(s *settings) bool { return s.retentionDays == 30 }},
		{"time-boxed group", valid(func(p *P) { p.Mode, p.DisableNightlyScaleIn = ModeTimeBoxedAutoScaling, yes }),
			func(s *settings) bool { return s.mode == ModeTimeBoxedAutoScaling && !s.nightlyScaleIn }},
		{"https through nat", valid(func(p *P) { p.AllowHttpsEgressThroughNat = yes }), func(s *settings) bool { return s.httpsViaNat }},
		{"session log bucket", valid(func(p *P) { p.SessionLogBucket, p.S3PrefixListId = &fakes.Bucket{}, jsii.String("pl-63a5400a") }),
			func(s *settings) bool { return s.s3PrefixList == "pl-63a5400a" }},
		{"prefix list token kept", valid(func(p *P) { p.S3PrefixListId = jsii.String(fakes.StringToken) }), func(s *settings) bool { return s.s3PrefixList == fakes.StringToken }},
		{"no session preferences", valid(func(p *P) { p.DisableSessionPreferences = yes }), func(s *settings) bool { return !s.sessionPrefs }},
		{"mutual tls vpn", valid(func(p *P) { p.ClientVpn = mtls("172.16.0.0/22") }), func(s *settings) bool {
			v := s.vpn
			return v != nil && v.clientCidr == "172.16.0.0/22" && *v.serverCert.CertificateArn() == serverCert && *v.clientRootCert.CertificateArn() == clientRoot && v.samlProvider == nil
		}},
		{"saml vpn", valid(func(p *P) {
			p.ClientVpn = mtls("192.168.0.0/22")
			p.ClientVpn.ClientRootCertificate, p.ClientVpn.SamlProvider = nil, &fakes.SamlProvider{Arn: "arn:aws:iam::111122223333:saml-provider/okta"}
		}), func(s *settings) bool { return s.vpn.samlProvider != nil && s.vpn.clientRootCert == nil }},
		// An imported VPC without a CIDR: VpcCidr says it.
		{"vpn with the vpc cidr given", valid(func(p *P) {
			v := fakes.ThreeTier(2, true)
			v.Cidr = ""
			p.Vpc, p.VpcCidr, p.ClientVpn = v, jsii.String("10.0.0.0/16"), mtls("172.16.0.0/22")
		}), func(s *settings) bool { return s.vpn.clientCidr == "172.16.0.0/22" }},
	})
}
