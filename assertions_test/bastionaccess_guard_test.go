package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
)

// A bastion whose only HTTPS egress is the app subnets needs interface
// endpoints there: without them it could never register with Session
// Manager, so synth fails; with HipaaVpc's endpoints it passes (the
// bastion-defaults fixture).
func TestBastionAccessWithoutSessionManagerPathFailsSynth(t *testing.T) {
	expectValidationError(t, func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("S"), nil)
		net := hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), &hipaavpc.HipaaVpcProps{DisableInterfaceEndpoints: jsii.Bool(true)})
		bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{Vpc: net.Vpc()})
	}, "BastionAccess", "never reach Session Manager", "ssm, ssmmessages, ec2messages")
}

// The Session Manager preferences document is one per account and region:
// two in one environment-agnostic stack, or in two stacks pinned to the same
// account and region, fail synth naming both; different regions pass.
func TestBastionAccessSessionPreferencesAreOnePerAccountAndRegion(t *testing.T) {
	bastion := func(stack awscdk.Stack, id string) {
		net := hipaavpc.NewHipaaVpc(stack, jsii.String(id+"Net"), nil)
		bastionaccess.NewBastionAccess(stack, jsii.String(id), &bastionaccess.BastionAccessProps{
			Vpc: net.Vpc(), EndpointSecurityGroup: net.EndpointSecurityGroup(),
		})
	}
	pinned := func(app awscdk.App, id, region string) awscdk.Stack {
		return awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{Env: &awscdk.Environment{
			Account: jsii.String("111122223333"), Region: jsii.String(region)}})
	}
	t.Run("one agnostic stack", func(t *testing.T) {
		expectValidationError(t, func(app awscdk.App) {
			stack := awscdk.NewStack(app, jsii.String("S"), nil)
			bastion(stack, "A")
			bastion(stack, "B")
		}, "BastionAccess", "S/B and S/A", "Session Manager preferences document")
	})
	t.Run("two pinned stacks, same account and region", func(t *testing.T) {
		expectValidationError(t, func(app awscdk.App) {
			bastion(pinned(app, "One", "us-east-1"), "A")
			bastion(pinned(app, "Two", "us-east-1"), "B")
		}, "Two/B and One/A", "111122223333/us-east-1")
	})
	t.Run("two regions pass", func(t *testing.T) {
		app := newApp(t)
		bastion(pinned(app, "One", "us-east-1"), "A")
		bastion(pinned(app, "Two", "us-west-2"), "B")
		app.Synth(nil)
	})
}
