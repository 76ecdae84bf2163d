package eligibility

import (
	"strings"
	"testing"
)

func TestTemplateFindings(t *testing.T) {
	tmpl := map[string]interface{}{"Resources": map[string]interface{}{
		"Bucket": map[string]interface{}{"Type": "AWS::S3::Bucket"},
		"Game": map[string]interface{}{"Type": "AWS::GameLift::Alias",
			"Metadata": map[string]interface{}{"aws:cdk:path": "prod-data/Game/Resource"}},
		"Lock": map[string]interface{}{"Type": "Custom::VpcRestrictDefaultSG"},
		"Sail": map[string]interface{}{"Type": "AWS::Lightsail::Instance"},
	}}
	got := TemplateFindings("prod-data", tmpl)
	if len(got) != 2 {
		t.Fatalf("want the GameLift alias and the Lightsail instance, got %v", got)
	}
	for i, want := range [][]string{{"prod-data/Game/Resource", "GameLift", "AWS::GameLift::Alias"}, {"prod-data/Sail", "Lightsail"}} {
		for _, w := range want {
			if !strings.Contains(got[i], w) {
				t.Errorf("finding %q does not name %q", got[i], w)
			}
		}
	}
	if clean := TemplateFindings("prod-data", map[string]interface{}{"Resources": map[string]interface{}{
		"Db": map[string]interface{}{"Type": "AWS::RDS::DBInstance"},
	}}); len(clean) != 0 {
		t.Errorf("an eligible template has findings: %v", clean)
	}
}
