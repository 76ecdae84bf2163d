package assertions_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// What `make synth ENV=org-guardrails` (or cdk deploy from the management
// account) builds: the guardrails stack alone, pinned to the CLI's account.
var pinnedGuardrails = newFixture("app-org-guardrails-pinned", func(app awscdk.App) {
	app.Node().SetContext(jsii.String(stacks.ContextEnv), stacks.Guardrails.StackName)
	app.Node().SetContext(jsii.String("account"), "123456789012")
	app.Node().SetContext(jsii.String("region"), "us-east-1")
	stacks.Compose(app)
})

func guardrailsStack(t *testing.T, app awscdk.App) awscdk.Stack {
	t.Helper()
	st, ok := app.Node().TryFindChild(jsii.String(stacks.Guardrails.StackName)).(awscdk.Stack)
	if !ok {
		t.Fatalf("no %s stack", stacks.Guardrails.StackName)
	}
	return st
}

// The app builds the guardrails stack with the settings' targets: the
// eligible-services policy on the PHI OUs, the guardrails on every OU.
func TestAppGuardrailsStack(t *testing.T) {
	ps := scpsOf(t, theApp, stacks.Guardrails.StackName)
	if len(ps) != 2 {
		t.Fatalf("want 2 policies, got %d", len(ps))
	}
	all := append(append([]string{}, stacks.Guardrails.PhiTargetIds...), stacks.Guardrails.TargetIds...)
	sort.Strings(all)
	phi := append([]string{}, stacks.Guardrails.PhiTargetIds...)
	sort.Strings(phi)
	for _, p := range ps {
		want := all
		if strings.HasSuffix(p.name, "-eligible-services") {
			want = phi
		}
		if strings.Join(p.targets, ",") != strings.Join(want, ",") {
			t.Errorf("%s attached to %v, want %v", p.name, p.targets, want)
		}
	}
	sts := statementsBySid(t, ps)
	if len(sts) != 12 {
		t.Errorf("%d statements, want 12", len(sts))
	}
	for _, p := range ps {
		r := resourcesOf(theApp.get(t).template(t, stacks.Guardrails.StackName), "AWS::Organizations::Policy")[p.id]
		tags := tagMap(props(r)["Tags"])
		if tags[stacks.TagProject] != stacks.Project || tags[stacks.TagDataClassification] != stacks.ClassManagement {
			t.Errorf("%s: tags %v", p.name, tags)
		}
	}
}

// The management account holds no PHI and configures AWS Organizations (a
// control-plane service the eligibility data does not list): the guard is
// not applied to its stack. The stack is termination-protected: deleting it
// would detach every guardrail.
func TestAppGuardrailsStackIsNotEligibilityGuarded(t *testing.T) {
	app := newApp(t)
	stacks.Compose(app)
	st := guardrailsStack(t, app)
	for _, a := range *awscdk.Aspects_Of(st).All() {
		if _, ok := a.(interface{ IsHipaaEligibilityGuard() bool }); ok {
			t.Error("the eligibility guard is applied to the management account's stack")
		}
	}
	if !*st.TerminationProtection() {
		t.Error("the guardrails stack is not termination-protected")
	}
}

func TestAppGuardrailsPinnedIsNagCleanAndAlone(t *testing.T) {
	requireNagClean(t, pinnedGuardrails)
	s := pinnedGuardrails.get(t)
	if names := s.stackNames(); len(names) != 1 || names[0] != stacks.Guardrails.StackName {
		t.Errorf("-c env=%s synthesized %v", stacks.Guardrails.StackName, names)
	}
}

// Bad guardrails settings fail synth naming the construct and the prop.
func TestAppGuardrailsBadSettings(t *testing.T) {
	for _, c := range []struct {
		name string
		mod  func(g *stacks.GuardrailsSettings)
		want string
	}{
		{"no targets", func(g *stacks.GuardrailsSettings) { g.PhiTargetIds, g.TargetIds = nil, nil }, "PhiTargetIds"},
		{"malformed ou", func(g *stacks.GuardrailsSettings) { g.TargetIds = []string{"ou-workloads"} }, "TargetIds"},
		{"break-glass not a role", func(g *stacks.GuardrailsSettings) { g.BreakGlassRoleArn = "break-glass" }, "BreakGlassRoleArn"},
		{"no regions", func(g *stacks.GuardrailsSettings) { g.AllowedRegions = nil }, "AllowedRegions"},
		{"unknown region", func(g *stacks.GuardrailsSettings) { g.AllowedRegions = []string{"mars-1"} }, "AllowedRegions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := stacks.Guardrails
			g.PhiTargetIds = append([]string(nil), g.PhiTargetIds...)
			g.TargetIds = append([]string(nil), g.TargetIds...)
			c.mod(&g)
			app := newApp(t)
			msg := func() (msg string) {
				defer func() {
					if r := recover(); r != nil {
						msg = strings.TrimSpace(jsonOf(r.(error).Error()))
					}
				}()
				stacks.NewGuardrailsStack(app, g, nil)
				return ""
			}()
			if !strings.Contains(msg, "OrgGuardrails: invalid prop "+c.want) {
				t.Errorf("got %q, want OrgGuardrails and %s", msg, c.want)
			}
		})
	}
}
