package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectSynthError(t, func(stack awscdk.Stack) {
				hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), c.props)
			}, append([]string{"HipaaVpc"}, c.want...)...)
		})
	}
}

func TestHipaaVpcDoesNotMutateProps(t *testing.T) {
	props := &hipaavpc.HipaaVpcProps{}
	app := newApp(t)
	hipaavpc.NewHipaaVpc(awscdk.NewStack(app, jsii.String("S"), nil), jsii.String("Net"), props)
	if *props != (hipaavpc.HipaaVpcProps{}) {
		t.Errorf("NewHipaaVpc changed the caller's props: %+v", *props)
	}
}
