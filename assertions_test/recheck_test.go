package assertions_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
)

// The independent re-check: every template of the app fixture, read back
// from its assembly on its own (cloudformation-include), one stack per
// template in one fresh app synthesized once, through the same HIPAA gate.
// Included, each resource is its L1 construct, so the pack sees what the
// in-app aspect cannot: resources CDK emits as raw CfnResources.
type recheckResult struct {
	findings  []string                          // unsuppressed findings and synth errors
	templates map[string]map[string]interface{} // the re-check's own output, by stack
	reports   map[string][]nagRow               // the re-check's cdk-nag report, by stack
	took      time.Duration
}

var recheckOnce struct {
	sync.Once
	out *recheckResult
}

func recheckApp(t *testing.T) *recheckResult {
	t.Helper()
	s := theApp.get(t)
	recheckOnce.Do(func() {
		start := time.Now()
		app := newApp(t)
		scratch, err := os.MkdirTemp("", "recheck-in-")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range s.stackNames() {
			compliance.IncludeForRecheck(app, name, filepath.Join(s.outdir, name+".template.json"), scratch)
		}
		compliance.ApplyHipaaChecks(app)
		_, findings := compliance.Synth(app)
		out := &recheckResult{findings: findings, templates: map[string]map[string]interface{}{}, reports: map[string][]nagRow{}}
		for _, name := range s.stackNames() {
			raw, err := os.ReadFile(filepath.Join(*app.Outdir(), name+".template.json"))
			var tmpl map[string]interface{}
			if err == nil {
				err = json.Unmarshal(raw, &tmpl)
			}
			if err != nil {
				t.Fatalf("re-check of %s wrote no template: %v (findings %v)", name, err, findings)
			}
			out.templates[name] = tmpl
			out.reports[name] = nagReport(t, *app.Outdir(), name)
		}
		out.took = time.Since(start)
		recheckOnce.out = out
	})
	if recheckOnce.out == nil {
		t.Fatal("the re-check failed in an earlier test")
	}
	return recheckOnce.out
}

// Every template, loaded on its own, has zero unsuppressed findings: no
// error, no warning, no rule that failed to evaluate. And nothing was lost on
// the way in: each re-checked stack holds every resource of its template.
func TestRecheckIncludedTemplatesNagClean(t *testing.T) {
	s, r := theApp.get(t), recheckApp(t)
	t.Logf("re-check of %d templates: %v", len(r.templates), r.took)
	if len(r.findings) > 0 {
		t.Errorf("%d unsuppressed finding(s) on the included templates:\n%s", len(r.findings), strings.Join(r.findings, "\n"))
	}
	for _, name := range s.stackNames() {
		for _, row := range r.reports[name] {
			if row.compliance != nagCompliant && row.compliance != nagSuppressed {
				t.Errorf("%s: %s on %s is %s", name, row.rule, row.resource, row.compliance)
			}
		}
		want, got := logicalIDs(s.templates[name]), logicalIDs(r.templates[name])
		if strings.Join(want, " ") != strings.Join(got, " ") {
			t.Errorf("%s: the re-check holds resources %v, the template %v", name, got, want)
		}
	}
}

// The re-check reaches the same verdict as the in-app gate on every rule and
// resource the gate evaluates, except for compliance.TreeRules (which read
// the construct tree: each must really fail on an included template, else
// its exclusion is not needed). What only the re-check evaluates is exactly
// CDK's raw default-security-group provider (its Lambda function and role)
// in each network stack: the in-app gate's blind spot.
func TestRecheckAgreesWithTheAppGate(t *testing.T) {
	s, r := theApp.get(t), recheckApp(t)
	treeRuleHits := map[string]int{}
	for _, name := range s.stackNames() {
		byPath := cdkPaths(s.templates[name])
		inApp := map[[2]string]nagRow{}
		evaluated := map[string]bool{}
		for _, row := range nagReport(t, s.outdir, name) {
			id, ok := byPath[row.resource]
			if !ok {
				t.Fatalf("%s: in-app report names %s, which is no resource of the template", name, row.resource)
			}
			inApp[[2]string{row.rule, id}] = row
			evaluated[id] = true
		}
		onlyRecheck := map[string]bool{}
		for _, row := range r.reports[name] {
			id := row.resource[strings.LastIndex(row.resource, "/")+1:] // <stack>/Template/<logical ID>
			if !evaluated[id] {
				onlyRecheck[id] = true
				continue
			}
			app, ok := inApp[[2]string{row.rule, id}]
			delete(inApp, [2]string{row.rule, id})
			switch reason, tree := compliance.TreeRules[row.rule]; {
			case tree:
				treeRuleHits[row.rule]++
				if row.compliance != nagSuppressed || row.reason != reason || app.compliance != nagCompliant {
					t.Errorf("%s/%s: %s is %s in the app and %s (%q) in the re-check; want Compliant, and Suppressed with the TreeRules reason",
						name, id, row.rule, app.compliance, row.compliance, row.reason)
				}
			case !ok:
				t.Errorf("%s/%s: only the re-check evaluates %s (%s)", name, id, row.rule, row.compliance)
			case app.compliance != row.compliance:
				t.Errorf("%s/%s: %s is %s in the app but %s in the re-check", name, id, row.rule, app.compliance, row.compliance)
			}
		}
		for k, row := range inApp {
			t.Errorf("%s/%s: the re-check does not evaluate %s (%s in the app)", name, k[1], k[0], row.compliance)
		}
		if want := rawProviderResources(s.templates[name]); strings.Join(sortedSet(onlyRecheck), " ") != strings.Join(want, " ") {
			t.Errorf("%s: only the re-check evaluates %v, want CDK's raw provider resources %v", name, sortedSet(onlyRecheck), want)
		}
	}
	for rule := range compliance.TreeRules {
		if treeRuleHits[rule] == 0 {
			t.Errorf("TreeRules excludes %s, but it fails on no included resource: drop the exclusion", rule)
		}
	}
}

// Every cdk_nag suppression in a template, raw resources' included, is one
// the re-check needs: its rule fails on that resource and is reported
// suppressed with the resource's own reason. A suppression whose rule passes
// is stale and fails here.
func TestRecheckExercisesEverySuppression(t *testing.T) {
	s, r := theApp.get(t), recheckApp(t)
	total := 0
	for _, name := range s.stackNames() {
		suppressed := map[[2]string]string{}
		for _, row := range r.reports[name] {
			if row.compliance == nagSuppressed {
				suppressed[[2]string{row.rule, row.resource[strings.LastIndex(row.resource, "/")+1:]}] = row.reason
			}
		}
		for id, res := range s.templates[name]["Resources"].(map[string]interface{}) {
			for _, sup := range nagSuppressions(res.(map[string]interface{})) {
				total++
				if reason, ok := suppressed[[2]string{sup.rule, id}]; !ok || reason != sup.reason {
					t.Errorf("%s/%s suppresses %s, but the re-check reports no finding suppressed for it (reason %q)", name, id, sup.rule, reason)
				}
			}
		}
	}
	if total == 0 {
		t.Error("no suppression in any template: the check would pass vacuously")
	}
}

// compliance.TreeRules excludes VPCDefaultSecurityGroupClosed from the
// re-check; the template shows the same thing: every VPC's default security
// group is emptied by CDK's custom resource, through a Lambda function of the
// same stack whose role may revoke that group's rules.
func TestRecheckEveryDefaultSecurityGroupIsClosed(t *testing.T) {
	s := theApp.get(t)
	vpcs := 0
	for _, name := range s.stackNames() {
		tmpl := s.template(t, name)
		functions, policies := resourcesOf(tmpl, "AWS::Lambda::Function"), resourcesOf(tmpl, "AWS::IAM::ManagedPolicy")
		locked := map[string]bool{}
		for id, cr := range resourcesOf(tmpl, "Custom::VpcRestrictDefaultSG") {
			p := props(cr)
			sg, _ := p["DefaultSecurityGroupId"].(map[string]interface{})["Fn::GetAtt"].([]interface{})
			if len(sg) != 2 || sg[1] != "DefaultSecurityGroup" {
				t.Errorf("%s/%s: DefaultSecurityGroupId %v is no VPC's default group", name, id, p["DefaultSecurityGroupId"])
				continue
			}
			fn, ok := functions[refTo(p["ServiceToken"])]
			if !ok {
				t.Errorf("%s/%s: ServiceToken %v is no Lambda function of the stack", name, id, p["ServiceToken"])
				continue
			}
			if !mayRevokeRulesOf(policies, refTo(props(fn)["Role"]), sg[0].(string)) {
				t.Errorf("%s/%s: the handler's role may not revoke the rules of %s's default security group", name, id, sg[0])
				continue
			}
			locked[sg[0].(string)] = true
		}
		for id := range resourcesOf(tmpl, "AWS::EC2::VPC") {
			vpcs++
			if !locked[id] {
				t.Errorf("%s/%s: no Custom::VpcRestrictDefaultSG empties this VPC's default security group", name, id)
			}
		}
	}
	if vpcs == 0 {
		t.Error("no VPC in the app")
	}
}

// mayRevokeRulesOf reports whether a managed policy attached to role allows
// revoking ingress and egress rules of vpc's default security group.
func mayRevokeRulesOf(policies map[string]map[string]interface{}, role, vpc string) bool {
	for _, pol := range policies {
		attached := false
		roles, _ := props(pol)["Roles"].([]interface{})
		for _, r := range roles {
			attached = attached || refTo(r) == role
		}
		doc, _ := json.Marshal(props(pol)["PolicyDocument"])
		if attached && strings.Contains(string(doc), `"ec2:RevokeSecurityGroupIngress"`) &&
			strings.Contains(string(doc), `"ec2:RevokeSecurityGroupEgress"`) &&
			strings.Contains(string(doc), `["`+vpc+`","DefaultSecurityGroup"]`) {
			return true
		}
	}
	return false
}

// rawProviderResources are the logical IDs of CDK's default-security-group
// provider function and role (raw CfnResources), sorted.
func rawProviderResources(tmpl map[string]interface{}) []string {
	var out []string
	for path, id := range cdkPaths(tmpl) {
		if strings.Contains(path, "/Custom::VpcRestrictDefaultSGCustomResourceProvider/") {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func logicalIDs(tmpl map[string]interface{}) []string {
	var ids []string
	for id := range tmpl["Resources"].(map[string]interface{}) {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
