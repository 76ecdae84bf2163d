package assertions_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
	"github.com/healthstack-oss/hipaa-baseline/internal/eligibility"
)

func TestEligibilityGuardRefusesNonEligibleService(t *testing.T) {
	app := newApp(t)
	stack := awscdk.NewStack(app, jsii.String("Phi"), nil)
	awscdk.NewCfnResource(stack, jsii.String("Bucket"), &awscdk.CfnResourceProps{Type: jsii.String("AWS::S3::Bucket")})
	awscdk.NewCfnResource(stack, jsii.String("Game"), &awscdk.CfnResourceProps{
		Type: jsii.String("AWS::GameLift::Alias"),
		Properties: &map[string]interface{}{
			"Name": "a", "RoutingStrategy": map[string]interface{}{"Type": "TERMINAL", "Message": "m"},
		},
	})
	eligibility.Guard(stack)
	_, findings := compliance.Synth(app)
	if len(findings) != 1 {
		t.Fatalf("want exactly one finding (the GameLift alias), got %v", findings)
	}
	for _, want := range []string{"Phi/Game", "GameLift", "AWS::GameLift::Alias", "HIPAA"} {
		if !strings.Contains(findings[0], want) {
			t.Errorf("finding %q does not name %q", findings[0], want)
		}
	}
}

// The app applies the guard to every stack of an environment that holds PHI,
// and only there.
func TestEligibilityGuardOnPhiStacks(t *testing.T) {
	theApp.get(t)
	for _, env := range appEnvs {
		for _, st := range env.Stacks() {
			if guarded := eligibility.Guarded(st); guarded != env.Profile.HoldsPhi {
				t.Errorf("%s: eligibility guard applied=%v, want %v", *st.StackName(), guarded, env.Profile.HoldsPhi)
			}
		}
	}
}
