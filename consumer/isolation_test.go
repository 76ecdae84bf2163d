package consumer

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/tierisolation"
)

// The team's portal gets emergency disconnection of all three tiers, the
// edge included through the service's web ACL, in an app with no context:
// six Automation documents that only the MFA-gated responder role may start.
func TestIsolationInTheTeamsApp(t *testing.T) {
	p := NewPortal(bareApp(t), "portal")
	tiers := p.Isolation.Tiers()
	if len(tiers) != 3 || tiers[2] != tierisolation.TierEdge {
		t.Fatalf("tiers %v, want data, access and edge", tiers)
	}
	if got := p.Isolation.IsolateDocument(tierisolation.TierEdge); got != "portal-IsolateEdge" {
		t.Errorf("edge isolate document %q, want portal-IsolateEdge", got)
	}
	tmpl := assertions.Template_FromStack(p.Stack, nil)
	automation := 0
	for _, r := range *tmpl.FindResources(jsii.String("AWS::SSM::Document"), nil) {
		if (*r)["Properties"].(map[string]interface{})["DocumentType"] == "Automation" {
			automation++
		}
	}
	if automation != 6 {
		t.Errorf("%d Automation documents, want 6 (isolate and reconnect per tier)", automation)
	}
	mfa := 0
	for _, r := range *tmpl.FindResources(jsii.String("AWS::IAM::Role"), nil) {
		trust := (*r)["Properties"].(map[string]interface{})["AssumeRolePolicyDocument"]
		if strings.Contains(jsonText(trust), "aws:MultiFactorAuthPresent") {
			mfa++
		}
	}
	if mfa != 1 {
		t.Errorf("%d roles require MFA to assume, want exactly the responder role", mfa)
	}
}

func jsonText(v interface{}) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}
