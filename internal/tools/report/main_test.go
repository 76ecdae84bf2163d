package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/internal/evidence"
	"github.com/healthstack-oss/hipaa-baseline/internal/hipaamap"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// golden holds exactly `make synth`'s templates (TestGoldenTemplates keeps them so).
const golden = "../../../assertions_test/testdata/golden"

func loadMap(t *testing.T) *hipaamap.Map {
	t.Helper()
	m, err := hipaamap.Load()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReachabilityOfEveryEnvironment runs make report's gate on every
// environment's synthesized templates: the database admits the two declared
// doors only, and the internet reaches it only through the app stack's
// load balancer and the app-tier door.
func TestReachabilityOfEveryEnvironment(t *testing.T) {
	rs, _, err := reports(loadMap(t), golden, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(stacks.Profiles) {
		t.Fatalf("%d environments in the goldens, %d profiles", len(rs), len(stacks.Profiles))
	}
	for _, r := range rs {
		if len(r.Stores) == 0 {
			t.Errorf("%s: no PHI store found", r.Env)
		}
		for _, s := range r.Stores {
			if s.Resource.Type == "AWS::S3::Bucket" {
				continue
			}
			if len(s.Doors) != 2 {
				t.Errorf("%s: %s has %d doors, want the app tier and the access tier", r.Env, s.Resource.Key(), len(s.Doors))
			}
			for _, p := range s.Paths {
				if !strings.Contains(p, r.Env+"-app/ServiceLoadBalancerSecurityGroup") || !strings.Contains(p, r.Env+"-network/AppTierSecurityGroup") {
					t.Errorf("%s: internet path to %s that bypasses the load balancer and the app tier: %s", r.Env, s.Resource.Key(), p)
				}
			}
		}
		if f := r.Failures(); len(f) > 0 {
			t.Errorf("%s: make report would fail: %v", r.Env, f)
		}
		phi, _ := holdsPhi(r.Env)
		if phi != r.HoldsPhi {
			t.Errorf("%s: HoldsPhi %v, profile says %v", r.Env, r.HoldsPhi, phi)
		}
	}
}

// copyGoldens writes the goldens to a temporary assembly, letting edit change
// one template first.
func copyGoldens(t *testing.T, stack string, edit func(tmpl map[string]interface{})) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(golden, "*.template.json"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(f) == stack+".template.json" {
			var tmpl map[string]interface{}
			if err := json.Unmarshal(raw, &tmpl); err != nil {
				t.Fatal(err)
			}
			edit(tmpl)
			if raw, err = json.Marshal(tmpl); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func addIngress(cidr string) func(map[string]interface{}) {
	return func(tmpl map[string]interface{}) {
		tmpl["Resources"].(map[string]interface{})["ExtraDoor"] = map[string]interface{}{
			"Type": "AWS::EC2::SecurityGroupIngress",
			"Properties": map[string]interface{}{
				"GroupId":    map[string]interface{}{"Fn::GetAtt": []interface{}{"DatabaseSecurityGroup5C91FDCB", "GroupId"}},
				"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": cidr,
			},
		}
	}
}

func TestAnAddedDoorFailsTheReportNamingTheSource(t *testing.T) {
	m := loadMap(t)
	for name, tc := range map[string]struct {
		stack, cidr string
		want        string // substring of a failure; empty: no failure
	}{
		"prod, 10.0.0.0/8":   {"prod-data", "10.0.0.0/8", "prod: extra network path to prod-data/DatabaseCluster5B53A178: 10.0.0.0/8 on tcp/5432 (rule prod-data/ExtraDoor)"},
		"staging, internet":  {"staging-data", "0.0.0.0/0", "staging: extra network path to staging-data/DatabaseInstanceAA8A5FDE: 0.0.0.0/0 on tcp/5432"},
		"dev holds no PHI":   {"dev-data", "10.0.0.0/8", ""},
		"no change, no fail": {"prod-data", "", ""},
	} {
		t.Run(name, func(t *testing.T) {
			edit := addIngress(tc.cidr)
			if tc.cidr == "" {
				edit = func(map[string]interface{}) {}
			}
			dir := copyGoldens(t, tc.stack, edit)
			failures, err := write(m, dir)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(failures, "\n")
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Fatalf("failures %q, want %q", got, tc.want)
			}
			md, err := os.ReadFile(filepath.Join(dir, "report", strings.TrimSuffix(tc.stack, "-data")+".md"))
			if err != nil {
				t.Fatal(err)
			}
			if tc.cidr != "" && !strings.Contains(string(md), "| "+tc.cidr+" | tcp/5432 | `"+tc.stack+"/ExtraDoor` | **EXTRA** |") {
				t.Errorf("report does not list the extra door:\n%s", md)
			}
		})
	}
}

func TestCompareNamesAddedPathsAndStatusChanges(t *testing.T) {
	m := loadMap(t)
	dir := copyGoldens(t, "prod-data", func(tmpl map[string]interface{}) {
		addIngress("10.0.0.0/8")(tmpl)
		for _, r := range tmpl["Resources"].(map[string]interface{}) {
			res := r.(map[string]interface{})
			if res["Type"] == "AWS::RDS::DBCluster" {
				res["Properties"].(map[string]interface{})["StorageEncrypted"] = false
			}
		}
	})
	out, err := compareDirs(m, golden, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"== evidence prod:",
		"+ path to PHI store: prod-data/DatabaseCluster5B53A178 <- 10.0.0.0/8 on tcp/5432",
		"~ 164.312(a)(2)(iv): implemented, not verifiable from templates -> " + evidence.StatusMissing,
		"evidence: 2 change(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("compare output lacks %q:\n%s", want, out)
		}
	}
	same, err := compareDirs(m, golden, golden)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(same, "evidence: 0 change(s)") {
		t.Errorf("goldens against themselves: %s", same)
	}
}

// Importing aws-cdk-lib creates a jsii client, which only Close cleans up.
func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }
