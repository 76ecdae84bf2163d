package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
)

// bastionNet builds a HipaaVpc in a sibling stack, so expectSynthError can
// check that BastionAccess itself created nothing in the stack under test.
func bastionNet(stack awscdk.Stack) (*hipaavpc.HipaaVpc, awscdk.Stack) {
	netStack := awscdk.NewStack(stack.Node().Scope().(constructs.Construct), jsii.String("Net"), nil)
	return hipaavpc.NewHipaaVpc(netStack, jsii.String("Net"), nil), netStack
}

func TestBastionAccessRejectsBadInput(t *testing.T) {
	// Certificates are imported into a stack of their own, so the stack
	// under test stays empty on bad input.
	var refs awscdk.Stack
	refStack := func(n *hipaavpc.HipaaVpc) awscdk.Stack {
		if refs == nil || refs.Node().Scope() != awscdk.Stack_Of(n).Node().Scope() {
			refs = awscdk.NewStack(awscdk.Stack_Of(n).Node().Scope().(constructs.Construct), jsii.String("Refs"), nil)
		}
		return refs
	}
	vpn := func(n *hipaavpc.HipaaVpc, v bastionaccess.ClientVpnProps) *bastionaccess.ClientVpnProps {
		if v.ServerCertificate == nil {
			v.ServerCertificate = cert(refStack(n), testServerCert)
		}
		return &v
	}
	mtls := func(n *hipaavpc.HipaaVpc, cidr string) *bastionaccess.ClientVpnProps {
		return vpn(n, bastionaccess.ClientVpnProps{ClientCidr: jsii.String(cidr), ClientRootCertificate: cert(refStack(n), testClientRoot)})
	}
	cases := []struct {
		name  string
		props func(net *hipaavpc.HipaaVpc, netStack awscdk.Stack) *bastionaccess.BastionAccessProps
		noVpc bool
		wants []string
	}{
		{"nil props", func(*hipaavpc.HipaaVpc, awscdk.Stack) *bastionaccess.BastionAccessProps { return nil }, true, []string{"Vpc", "required"}},
		{"no vpc", func(*hipaavpc.HipaaVpc, awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{}
		}, true, []string{"Vpc", "required"}},
		{"previous-generation type without EBS encryption", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), InstanceType: awsec2.NewInstanceType(jsii.String("m1.small"))}
		}, false, []string{"InstanceType", "m1", "no EBS encryption"}},
		{"type without EBS optimization", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), InstanceType: awsec2.NewInstanceType(jsii.String("t2.micro"))}
		}, false, []string{"InstanceType", "t2"}},
		{"not an instance type", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), InstanceType: awsec2.NewInstanceType(jsii.String("large"))}
		}, false, []string{"InstanceType"}},
		{"nat egress with endpoints", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), EndpointSecurityGroup: n.EndpointSecurityGroup(), AllowHttpsEgressThroughNat: jsii.Bool(true)}
		}, false, []string{"AllowHttpsEgressThroughNat", "EndpointSecurityGroup"}},
		{"database port", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), DatabasePort: jsii.Number(70000)}
		}, false, []string{"DatabasePort"}},
		{"idle timeout zero", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), IdleSessionTimeoutMinutes: jsii.Number(0)}
		}, false, []string{"IdleSessionTimeoutMinutes", "1 to 60"}},
		{"idle timeout too long", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), IdleSessionTimeoutMinutes: jsii.Number(61)}
		}, false, []string{"IdleSessionTimeoutMinutes", "1 to 60"}},
		{"retention", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), SessionLogRetentionDays: jsii.Number(42)}
		}, false, []string{"SessionLogRetentionDays", "2192"}},
		{"unknown mode", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), Mode: "Always"}
		}, false, []string{"Mode", "Always"}},
		{"nightly scale-in without a group", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), DisableNightlyScaleIn: jsii.Bool(true)}
		}, false, []string{"DisableNightlyScaleIn"}},
		{"public app subnets", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), AppSubnets: n.PublicSubnets()}
		}, false, []string{"AppSubnets", "public"}},
		{"no such data subnets", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), DataSubnets: &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Db")}}
		}, false, []string{"DataSubnets"}},
		{"bucket without S3 egress", func(n *hipaavpc.HipaaVpc, ns awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), SessionLogBucket: awss3.Bucket_FromBucketName(ns, jsii.String("B"), jsii.String("logs"))}
		}, false, []string{"SessionLogBucket", "S3PrefixListId"}},
		{"bad prefix list", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), S3PrefixListId: jsii.String("sg-0123")}
		}, false, []string{"S3PrefixListId"}},
		{"vpn without certificate or SAML", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), ClientVpn: vpn(n, bastionaccess.ClientVpnProps{ClientCidr: jsii.String("172.16.0.0/22")})}
		}, false, []string{"ClientVpn.ClientRootCertificate/SamlProvider", "set one"}},
		{"vpn with both auth modes", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), ClientVpn: vpn(n, bastionaccess.ClientVpnProps{
				ClientCidr: jsii.String("172.16.0.0/22"), ClientRootCertificate: cert(refStack(n), testClientRoot), SamlProvider: samlProvider(refStack(n))})}
		}, false, []string{"ClientVpn.ClientRootCertificate/SamlProvider", "only one"}},
		{"vpn without server certificate", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), ClientVpn: &bastionaccess.ClientVpnProps{
				ClientCidr: jsii.String("172.16.0.0/22"), ClientRootCertificate: cert(refStack(n), testClientRoot)}}
		}, false, []string{"ClientVpn.ServerCertificate", "required"}},
		{"vpn bad certificate arn", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), ClientVpn: vpn(n, bastionaccess.ClientVpnProps{
				ClientCidr: jsii.String("172.16.0.0/22"), ClientRootCertificate: cert(refStack(n), "arn:aws:iam::111111111111:server-certificate/x")})}
		}, false, []string{"ClientVpn.ClientRootCertificate", "ACM"}},
		{"vpn without client cidr", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), ClientVpn: vpn(n, bastionaccess.ClientVpnProps{ClientRootCertificate: cert(refStack(n), testClientRoot)})}
		}, false, []string{"ClientVpn.ClientCidr", "required"}},
		{"vpc cidr not private", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), VpcCidr: jsii.String("8.8.0.0/16")}
		}, false, []string{"VpcCidr", "private"}},
		{"vpn client cidr overlaps the vpc cidr prop", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), VpcCidr: jsii.String("172.16.0.0/16"), ClientVpn: mtls(n, "172.16.0.0/22")}
		}, false, []string{"ClientVpn.ClientCidr", "overlaps", "172.16.0.0/16"}},
		{"vpn client cidr overlaps the vpc", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), ClientVpn: mtls(n, "10.0.0.0/22")}
		}, false, []string{"ClientVpn.ClientCidr", "overlaps", "10.0.0.0/16"}},
		{"vpn client cidr not private", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), ClientVpn: mtls(n, "100.64.0.0/22")}
		}, false, []string{"ClientVpn.ClientCidr", "private"}},
		{"database port token", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), DatabasePort: numberToken("Port")}
		}, false, []string{"DatabasePort", "literal"}},
		{"session log retention token", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), SessionLogRetentionDays: numberToken("Days")}
		}, false, []string{"SessionLogRetentionDays", "literal"}},
		{"session logs below six years", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), SessionLogRetentionDays: jsii.Number(30)}
		}, false, []string{"SessionLogRetentionDays", "AllowRetentionShorterThanSixYears"}},
		{"aws managed key", func(n *hipaavpc.HipaaVpc, ns awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), EncryptionKey: awskms.Alias_FromAliasName(ns, jsii.String("Ebs"), jsii.String("alias/aws/ebs"))}
		}, false, []string{"EncryptionKey", "AWS managed"}},
		{"instance type CDK cannot parse", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), InstanceType: awsec2.NewInstanceType(jsii.String("zz9.large"))}
		}, false, []string{"InstanceType"}},
		{"nat egress without nat", func(_ *hipaavpc.HipaaVpc, ns awscdk.Stack) *bastionaccess.BastionAccessProps {
			noNat := hipaavpc.NewHipaaVpc(ns, jsii.String("NoNat"), &hipaavpc.HipaaVpcProps{DisableNatGateways: jsii.Bool(true)})
			return &bastionaccess.BastionAccessProps{Vpc: noNat.Vpc(), AllowHttpsEgressThroughNat: jsii.Bool(true)}
		}, false, []string{"AllowHttpsEgressThroughNat", "no route to a NAT"}},
		{"vpn on an imported vpc without a cidr", func(n *hipaavpc.HipaaVpc, ns awscdk.Stack) *bastionaccess.BastionAccessProps {
			imported := awsec2.Vpc_FromVpcAttributes(ns, jsii.String("Imported"), &awsec2.VpcAttributes{
				VpcId: jsii.String("vpc-1234"), AvailabilityZones: jsii.Strings("us-east-1a", "us-east-1b"),
				PrivateSubnetIds: jsii.Strings("subnet-a", "subnet-b"), PrivateSubnetIpv4CidrBlocks: jsii.Strings("10.1.0.0/24", "10.1.1.0/24"),
				IsolatedSubnetIds: jsii.Strings("subnet-c", "subnet-d"), IsolatedSubnetIpv4CidrBlocks: jsii.Strings("10.1.2.0/24", "10.1.3.0/24"),
			})
			return &bastionaccess.BastionAccessProps{Vpc: imported, AppSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS},
				DataSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED}, ClientVpn: mtls(n, "172.16.0.0/22")}
		}, false, []string{"VpcCidr", "not known at synth time"}},
		{"vpn client cidr too small", func(n *hipaavpc.HipaaVpc, _ awscdk.Stack) *bastionaccess.BastionAccessProps {
			return &bastionaccess.BastionAccessProps{Vpc: n.Vpc(), ClientVpn: mtls(n, "172.16.0.0/24")}
		}, false, []string{"ClientVpn.ClientCidr", "/12 to /22"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectSynthError(t, func(stack awscdk.Stack) {
				var net *hipaavpc.HipaaVpc
				var netStack awscdk.Stack
				if !c.noVpc {
					net, netStack = bastionNet(stack)
				}
				bastionaccess.NewBastionAccess(stack, jsii.String("Access"), c.props(net, netStack))
			}, append([]string{"BastionAccess"}, c.wants...)...)
		})
	}
}

// The accessors return what each mode creates, and the caller's props are
// left as they were.
func TestBastionAccessAccessorsAndProps(t *testing.T) {
	app := newApp(t)
	stack := awscdk.NewStack(app, jsii.String("S"), nil)
	net := hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), nil)
	props := &bastionaccess.BastionAccessProps{Vpc: net.Vpc()}
	before := *props
	inst := bastionaccess.NewBastionAccess(stack, jsii.String("Instance"), props)
	if *props != before {
		t.Errorf("NewBastionAccess changed the caller's props: %+v", *props)
	}
	if inst.Instance() == nil || inst.AutoScalingGroup() != nil || inst.VpnSecurityGroup() != nil || inst.ClientVpnEndpoint() != nil {
		t.Errorf("instance mode: want an instance, no group, no VPN")
	}
	if sgs := inst.AccessSecurityGroups(); len(sgs) != 1 || sgs[0] != inst.SecurityGroup() {
		t.Errorf("instance mode AccessSecurityGroups = %v, want the bastion's only", sgs)
	}
	if inst.SessionLogGroup() == nil || inst.EncryptionKey() == nil {
		t.Errorf("session log group and key must be exposed")
	}

	other := awscdk.NewStack(app, jsii.String("T"), nil)
	net2 := hipaavpc.NewHipaaVpc(other, jsii.String("Net"), nil)
	tb := bastionaccess.NewBastionAccess(other, jsii.String("TimeBoxed"), &bastionaccess.BastionAccessProps{
		Vpc: net2.Vpc(), Mode: bastionaccess.ModeTimeBoxedAutoScaling, DisableSessionPreferences: jsii.Bool(true),
		ClientVpn: &bastionaccess.ClientVpnProps{ClientCidr: jsii.String("172.16.0.0/22"),
			ServerCertificate: cert(other, testServerCert), SamlProvider: samlProvider(other)},
	})
	if tb.Instance() != nil || tb.AutoScalingGroup() == nil || tb.ClientVpnEndpoint() == nil {
		t.Errorf("time-boxed mode: want a group and a VPN, no instance")
	}
	if sgs := tb.AccessSecurityGroups(); len(sgs) != 2 || sgs[0] != tb.SecurityGroup() || sgs[1] != tb.VpnSecurityGroup() {
		t.Errorf("AccessSecurityGroups = %v, want the bastion's and the VPN's", sgs)
	}
}
