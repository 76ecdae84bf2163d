package assertions_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
)

// resourcesOf returns the template's resources of one type, by logical ID.
func resourcesOf(tmpl assertions.Template, typ string) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	for id, r := range *tmpl.FindResources(jsii.String(typ), nil) {
		out[id] = *r
	}
	return out
}

// props returns a resource's Properties.
func props(r map[string]interface{}) map[string]interface{} {
	p, _ := r["Properties"].(map[string]interface{})
	return p
}

// refTo returns the logical ID a {"Ref": id} or {"Fn::GetAtt": [id, ...]} points to.
func refTo(v interface{}) string {
	m, ok := v.(map[string]interface{})
	if !ok {
		return ""
	}
	if r, ok := m["Ref"].(string); ok {
		return r
	}
	if ga, ok := m["Fn::GetAtt"].([]interface{}); ok && len(ga) > 0 {
		s, _ := ga[0].(string)
		return s
	}
	return ""
}

// expectSynthError runs build in a fresh stack and asserts it fails with a
// message containing every one of wants, and that it created nothing.
func expectSynthError(t *testing.T, build func(stack awscdk.Stack), wants ...string) {
	t.Helper()
	app := newApp(t)
	stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
	msg := func() (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprint(r)
			}
		}()
		build(stack)
		return ""
	}()
	if msg == "" {
		t.Fatalf("expected an error containing %q, got none", wants)
	}
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
	if n := len(*stack.Node().Children()); n != 0 {
		t.Errorf("bad input still created %d construct(s); validation must run first", n)
	}
}

// nagSuppression is one entry of a resource's cdk_nag metadata.
type nagSuppression struct{ rule, reason string }

// nagSuppressions returns a resource's cdk-nag suppressions, in order.
func nagSuppressions(r map[string]interface{}) []nagSuppression {
	md, _ := r["Metadata"].(map[string]interface{})
	nag, _ := md["cdk_nag"].(map[string]interface{})
	list, _ := nag["rules_to_suppress"].([]interface{})
	var out []nagSuppression
	for _, e := range list {
		if m, ok := e.(map[string]interface{}); ok {
			out = append(out, nagSuppression{fmt.Sprint(m["id"]), fmt.Sprint(m["reason"])})
		}
	}
	return out
}

// suppressedRules returns rule ids suppressed in a resource's cdk_nag metadata.
func suppressedRules(r map[string]interface{}) []string {
	var ids []string
	for _, s := range nagSuppressions(r) {
		ids = append(ids, s.rule)
	}
	return ids
}

// suppressionReason returns the reason given for suppressing rule, or "".
func suppressionReason(r map[string]interface{}, rule string) string {
	for _, s := range nagSuppressions(r) {
		if s.rule == rule {
			return s.reason
		}
	}
	return ""
}

// only returns the single resource of a type, failing otherwise.
func only(t *testing.T, tmpl map[string]map[string]interface{}, typ string) (string, map[string]interface{}) {
	t.Helper()
	if len(tmpl) != 1 {
		t.Fatalf("want exactly one %s, got %d", typ, len(tmpl))
	}
	for id, r := range tmpl {
		return id, r
	}
	return "", nil
}

// withPrefix keeps the resources whose logical ID starts with prefix.
func withPrefix(rs map[string]map[string]interface{}, prefix string) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	for id, r := range rs {
		if strings.HasPrefix(id, prefix) {
			out[id] = r
		}
	}
	return out
}

// expectValidationError builds an app and asserts that synthesizing it
// fails with a message containing every one of wants: what a construct's
// synth-time validation (Node().AddValidation) reports after the caller
// changed the tree.
func expectValidationError(t *testing.T, build func(app awscdk.App), wants ...string) {
	t.Helper()
	app := newApp(t)
	build(app)
	msg := func() (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprint(r)
			}
		}()
		app.Synth(nil)
		return ""
	}()
	if msg == "" {
		t.Fatalf("expected synth to fail with %q, it succeeded", wants)
	}
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Errorf("synth error %q does not contain %q", msg, w)
		}
	}
}

// jsonOf is v as compact JSON, for substring checks on policies.
func jsonOf(v interface{}) string {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(raw)
}

// warningsOf synthesizes app and returns the warning annotations of stack.
func warningsOf(t *testing.T, app awscdk.App, stack awscdk.Stack) []string {
	t.Helper()
	assembly := app.Synth(nil)
	out, err := compliance.MetadataOfType(*assembly.Directory(), *stack.ArtifactId(), "aws:cdk:warning")
	if err != nil {
		t.Fatal(err)
	}
	return out
}
