package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
)

func TestHipaaVpcRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		props *hipaavpc.HipaaVpcProps
		want  []string
	}{
		{"public cidr", &hipaavpc.HipaaVpcProps{Cidr: jsii.String("8.8.0.0/16")}, []string{"Cidr", "private"}},
		{"not a cidr", &hipaavpc.HipaaVpcProps{Cidr: jsii.String("10.0.0.0")}, []string{"Cidr", "not an IPv4 CIDR"}},
		{"host bits", &hipaavpc.HipaaVpcProps{Cidr: jsii.String("10.0.0.1/16")}, []string{"Cidr", "host bits"}},
		{"too small for tiers", &hipaavpc.HipaaVpcProps{Cidr: jsii.String("10.0.0.0/22")}, []string{"Cidr", "too small"}},
		{"one az", &hipaavpc.HipaaVpcProps{MaxAzs: jsii.Number(1)}, []string{"MaxAzs", "at least 2"}},
		{"more azs than agnostic stack has", &hipaavpc.HipaaVpcProps{MaxAzs: jsii.Number(3)}, []string{"MaxAzs", "only 2"}},
		{"subnet mask too small", &hipaavpc.HipaaVpcProps{SubnetCidrMask: jsii.Number(29)}, []string{"SubnetCidrMask"}},
		{"zero nat", &hipaavpc.HipaaVpcProps{NatGateways: jsii.Number(0)}, []string{"NatGateways", "DisableNatGateways"}},
		{"more nat than azs", &hipaavpc.HipaaVpcProps{NatGateways: jsii.Number(3)}, []string{"NatGateways"}},
		{"contradictory nat", &hipaavpc.HipaaVpcProps{NatGateways: jsii.Number(1), DisableNatGateways: jsii.Bool(true)}, []string{"NatGateways", "DisableNatGateways"}},
		{"negative retention", &hipaavpc.HipaaVpcProps{FlowLogRetentionDays: jsii.Number(-1)}, []string{"FlowLogRetentionDays", "positive"}},
		{"unsupported retention", &hipaavpc.HipaaVpcProps{FlowLogRetentionDays: jsii.Number(42)}, []string{"FlowLogRetentionDays", "2192"}},
		{"public access cidr", &hipaavpc.HipaaVpcProps{DataAccessCidrs: jsii.Strings("0.0.0.0/0")}, []string{"DataAccessCidrs", "private"}},
		{"access cidr is the vpc", &hipaavpc.HipaaVpcProps{DataAccessCidrs: jsii.Strings("10.0.0.0/16")}, []string{"DataAccessCidrs", "overlaps", "public tier"}},
		{"access cidr inside the vpc", &hipaavpc.HipaaVpcProps{DataAccessCidrs: jsii.Strings("10.0.0.0/24")}, []string{"DataAccessCidrs", "overlaps"}},
		{"access cidr around the vpc", &hipaavpc.HipaaVpcProps{DataAccessCidrs: jsii.Strings("10.0.0.0/8")}, []string{"DataAccessCidrs", "overlaps"}},
		{"endpoints without ssm", &hipaavpc.HipaaVpcProps{InterfaceEndpointServices: &[]hipaavpc.InterfaceEndpoint{
			hipaavpc.EndpointKms, hipaavpc.EndpointLogs, hipaavpc.EndpointSsmMessages, hipaavpc.EndpointEc2Messages}},
			[]string{"InterfaceEndpointServices", `"ssm" cannot be removed`, "registers with SSM", "keep kms, logs, ssm, ssmmessages, ec2messages"}},
		{"endpoints empty", &hipaavpc.HipaaVpcProps{InterfaceEndpointServices: &[]hipaavpc.InterfaceEndpoint{}},
			[]string{"InterfaceEndpointServices", `"kms" cannot be removed`}},
		{"unknown endpoint", &hipaavpc.HipaaVpcProps{InterfaceEndpointServices: &[]hipaavpc.InterfaceEndpoint{"ecr.api"}},
			[]string{"InterfaceEndpointServices", `"ecr.api" is not an interface endpoint`}},
		{"repeated endpoint", &hipaavpc.HipaaVpcProps{InterfaceEndpointServices: &[]hipaavpc.InterfaceEndpoint{hipaavpc.EndpointKms, hipaavpc.EndpointKms}},
			[]string{"InterfaceEndpointServices", `"kms" is listed twice`}},
		{"endpoints and disabled", &hipaavpc.HipaaVpcProps{DisableInterfaceEndpoints: jsii.Bool(true), InterfaceEndpointServices: &[]hipaavpc.InterfaceEndpoint{hipaavpc.EndpointKms}},
			[]string{"InterfaceEndpointServices", "DisableInterfaceEndpoints"}},
		{"max azs token", &hipaavpc.HipaaVpcProps{MaxAzs: numberToken("Azs")}, []string{"MaxAzs", "literal"}},
		{"nat gateways token", &hipaavpc.HipaaVpcProps{NatGateways: numberToken("Nat")}, []string{"NatGateways", "literal"}},
		{"subnet mask token", &hipaavpc.HipaaVpcProps{SubnetCidrMask: numberToken("Mask")}, []string{"SubnetCidrMask", "literal"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectSynthError(t, func(stack awscdk.Stack) {
				hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), c.props)
			}, append([]string{"HipaaVpc"}, c.want...)...)
		})
	}
	t.Run("aws managed key", func(t *testing.T) {
		expectSynthError(t, func(stack awscdk.Stack) {
			other := awscdk.NewStack(stack.Node().Scope().(awscdk.App), jsii.String("Keys"), nil)
			hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), &hipaavpc.HipaaVpcProps{
				EncryptionKey: awskms.Alias_FromAliasName(other, jsii.String("Logs"), jsii.String("alias/aws/logs")),
			})
		}, "HipaaVpc", "EncryptionKey", "AWS managed")
	})
}

// numberToken is a number that resolves only at deploy time (a parameter
// reference), as a caller passes a CfnParameter's ValueAsNumber.
func numberToken(param string) *float64 {
	return awscdk.Token_AsNumber(awscdk.Fn_Ref(jsii.String(param)))
}

func TestHipaaVpcDoesNotMutateProps(t *testing.T) {
	props := &hipaavpc.HipaaVpcProps{}
	app := newApp(t)
	hipaavpc.NewHipaaVpc(awscdk.NewStack(app, jsii.String("S"), nil), jsii.String("Net"), props)
	if *props != (hipaavpc.HipaaVpcProps{}) {
		t.Errorf("NewHipaaVpc changed the caller's props: %+v", *props)
	}
}
