package orgguardrails

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// The pure part (no CDK app): sizes of the rendered policies for the
// largest props the tests use, and the NotAction list in one statement.
func TestRenderedPoliciesFitTheScpLimit(t *testing.T) {
	s, err := resolve(&OrgGuardrailsProps{
		PhiTargetIds: jsii.Strings("ou-ab12-phiworkloads"), BreakGlassRoleArn: jsii.String("arn:aws:iam::*:role/break-glass"),
		AllowedRegions: jsii.Strings("us-east-1", "us-east-2", "us-west-2", "eu-west-1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.policies()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Logf("%s: %d characters, %v", p.Name, Size(p.Content), p.Sids)
		if Size(p.Content) > MaxPolicySize || Size(p.Content) != len(p.Content) {
			t.Errorf("%s: %d characters", p.Name, Size(p.Content))
		}
	}
}
