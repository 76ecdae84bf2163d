package assertions_test

import (
	"regexp"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
)

// renamingStack allocates logical IDs its own way (a documented CDK
// extension point): AuditTrail's compliance alerts, which reference their
// Config rules by IDs computed in Go, must notice and read each Ref instead.
type renamingStack struct {
	awscdk.Stack
}

var nonAlnum = regexp.MustCompile(`[^A-Za-z0-9]`)

func (s *renamingStack) AllocateLogicalId(e awscdk.CfnElement) *string {
	return jsii.String("Own" + nonAlnum.ReplaceAllString(*e.Node().Path(), ""))
}

var renamedAudit = newFixture("audit-renamed-ids", func(app awscdk.App) {
	s := &renamingStack{}
	awscdk.NewStack_Override(s, app, jsii.String("RenamedIds"), nil)
	audittrail.NewAuditTrail(s, jsii.String("Audit"), nil)
})

func TestAuditTrailAlertsFollowAStacksOwnLogicalIds(t *testing.T) {
	tmpl := renamedAudit.get(t).template(t, "RenamedIds")
	rules := resourcesOf(tmpl, "AWS::Config::ConfigRule")
	if len(rules) != len(audittrail.ConfigRules()) {
		t.Fatalf("%d Config rules, want %d", len(rules), len(audittrail.ConfigRules()))
	}
	referenced := 0
	for id, r := range resourcesOf(tmpl, "AWS::Events::Rule") {
		pattern, _ := props(r)["EventPattern"].(map[string]interface{})
		detail, _ := pattern["detail"].(map[string]interface{})
		names, _ := detail["configRuleName"].([]interface{})
		if len(names) == 0 {
			continue
		}
		if _, ok := rules[refTo(names[0])]; !ok {
			t.Errorf("alert %s references %v, which is no Config rule of the stack (IDs: Own...)", id, names[0])
		}
		referenced++
	}
	if referenced != len(rules) {
		t.Errorf("%d alerts reference a Config rule, want one per rule (%d)", referenced, len(rules))
	}
}
