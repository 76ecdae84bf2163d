package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
)

// aclEntry adds an allow entry for cidr to the data-tier ACL after
// NewHipaaVpc, as a caller would.
func aclEntry(net *hipaavpc.HipaaVpc, cidr string) {
	net.DataTierAcl().AddEntry(jsii.String("Extra"), &awsec2.CommonNetworkAclEntryOptions{
		Cidr:       awsec2.AclCidr_Ipv4(jsii.String(cidr)),
		RuleNumber: jsii.Number(50),
		Traffic:    awsec2.AclTraffic_TcpPort(jsii.Number(5432)),
		Direction:  awsec2.TrafficDirection_INGRESS,
		RuleAction: awsec2.Action_ALLOW,
	})
}

func TestHipaaVpcGuardsTheDataTierAcl(t *testing.T) {
	build := func(change func(net *hipaavpc.HipaaVpc)) func(app awscdk.App) {
		return func(app awscdk.App) {
			stack := awscdk.NewStack(app, jsii.String("S"), nil)
			change(hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), nil))
		}
	}
	t.Run("an entry for the public tier fails synth", func(t *testing.T) {
		expectValidationError(t, build(func(net *hipaavpc.HipaaVpc) {
			aclEntry(net, *(*net.Vpc().PublicSubnets())[0].Ipv4CidrBlock())
		}), "HipaaVpc", "data-tier network ACL", "Extra", "allows 10.0.0.0/24")
	})
	t.Run("an entry for the whole internet fails synth", func(t *testing.T) {
		expectValidationError(t, build(func(net *hipaavpc.HipaaVpc) { aclEntry(net, "0.0.0.0/0") }), "HipaaVpc", "allows 0.0.0.0/0")
	})
	t.Run("an entry within the app tier passes", func(t *testing.T) {
		app := newApp(t)
		build(func(net *hipaavpc.HipaaVpc) {
			aclEntry(net, *(*net.Vpc().SelectSubnets(net.AppSubnets()).Subnets)[0].Ipv4CidrBlock())
		})(app)
		app.Synth(nil) // panics on a validation error
	})
}

// A flow-log retention given as a token reaches the template.
func TestHipaaVpcHonoursFlowLogRetentionToken(t *testing.T) {
	app := newApp(t)
	stack := awscdk.NewStack(app, jsii.String("S"), nil)
	days := awscdk.NewCfnParameter(stack, jsii.String("FlowLogDays"), &awscdk.CfnParameterProps{Type: jsii.String("Number")}).ValueAsNumber()
	hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), &hipaavpc.HipaaVpcProps{FlowLogRetentionDays: days})
	tmpl := app.Synth(nil).GetStackByName(stack.StackName()).Template().(map[string]interface{})
	found := 0
	for _, r := range tmpl["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		if res["Type"] == "AWS::Logs::LogGroup" {
			found++
			if got := props(res)["RetentionInDays"]; refTo(got) != "FlowLogDays" {
				t.Errorf("RetentionInDays = %v, want {Ref: FlowLogDays}", got)
			}
		}
	}
	if found == 0 {
		t.Fatal("no log group in the template")
	}
}
