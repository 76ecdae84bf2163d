package assertions_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/healthstack-oss/hipaa-baseline/internal/cost"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// leverEnv is the environment the lever settings are synthesized for: prod,
// where every lever that is a setting applies.
const leverEnv = "prod"

// settingLevers are the cost levers (README "Levers that keep every
// control") that are profile settings and apply to leverEnv.
func settingLevers() []cost.Lever {
	var out []cost.Lever
	for _, l := range cost.Levers {
		if l.Profile != nil && slices.Contains(l.Envs, leverEnv) {
			out = append(out, l)
		}
	}
	return out
}

// appLevers is prod with every lever that is a setting: a PHI environment,
// so Profile.Validate, the eligibility guard and cdk-nag all see them.
var appLevers = newFixture("app-prod-levers", func(app awscdk.App) {
	p, err := stacks.ProfileNamed(leverEnv)
	if err != nil {
		panic(err)
	}
	p.AlarmEmails = append([]string(nil), p.AlarmEmails...)
	for _, l := range settingLevers() {
		l.Profile(&p)
	}
	stacks.ComposeProfiles(app, []stacks.Profile{p})
})

func TestAppLeversNagClean(t *testing.T) { requireNagClean(t, appLevers) }

// Each lever that is a setting costs what costreport -levers (the README's
// levers table) says: the environment synthesized with the settings is
// priced exactly as the goldens rewritten by the levers.
func TestLeverSettingsCostWhatTheLeversTableSays(t *testing.T) {
	levers := settingLevers()
	if len(levers) == 0 {
		t.Fatal("no lever is a profile setting")
	}
	var names []string
	for _, l := range levers {
		if l.Setting == "" {
			t.Errorf("lever %s sets a profile but names no Setting", l.Name)
		}
		names = append(names, l.Name)
	}
	s := appLevers.get(t)
	synthesized := map[string]cost.Template{}
	for name, tmpl := range s.templates {
		raw, err := json.Marshal(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		var ct cost.Template
		if err := json.Unmarshal(raw, &ct); err != nil {
			t.Fatal(err)
		}
		synthesized[name] = ct
	}
	goldens, err := cost.LoadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	rewritten, err := cost.ApplyLevers(goldens[leverEnv], names...)
	if err != nil {
		t.Fatal(err)
	}
	d := cost.MustLoad()
	want, err := cost.Estimate(d, rewritten)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cost.Estimate(d, synthesized)
	if err != nil {
		t.Fatal(err)
	}
	if got.Low != want.Low || got.Typical != want.Typical || got.Fixed != want.Fixed {
		t.Errorf("%s with the settings of %v: low %.2f typical %.2f fixed %.2f; the levers table prices low %.2f typical %.2f fixed %.2f",
			leverEnv, names, got.Low, got.Typical, got.Fixed, want.Low, want.Typical, want.Fixed)
		lines := func(e cost.Env) map[string]float64 {
			m := map[string]float64{}
			for _, l := range e.Lines {
				m[l.Stack+" "+l.Type+" "+l.Item] += l.Typical
			}
			return m
		}
		g, w := lines(got), lines(want)
		for k, v := range g {
			if w[k] != v {
				t.Errorf("  %s: synthesized %.2f, rewritten %.2f", k, v, w[k])
			}
		}
		for k, v := range w {
			if _, ok := g[k]; !ok {
				t.Errorf("  %s: synthesized none, rewritten %.2f", k, v)
			}
		}
	}
}

// The endpoint lever in prod: the interface endpoints the profile lists, no
// others, and the bastion still reaches AWS only through them.
func TestAppLeversInterfaceEndpoints(t *testing.T) {
	s := appLevers.get(t)
	p, _ := stacks.ProfileNamed(leverEnv)
	for _, l := range settingLevers() {
		l.Profile(&p)
	}
	if p.InterfaceEndpointServices == nil {
		t.Skip("the endpoint lever is not applied")
	}
	tmpl := s.template(t, leverEnv+"-network")
	var got []string
	for _, ep := range resourcesOf(tmpl, "AWS::EC2::VPCEndpoint") {
		if props(ep)["VpcEndpointType"] != "Interface" {
			continue
		}
		svc := flatten(props(ep)["ServiceName"])
		got = append(got, svc[len(svc)-1][1:]) // ".kms" -> "kms"
	}
	slices.Sort(got)
	var want []string
	for _, e := range p.InterfaceEndpointServices {
		want = append(want, string(e))
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s-network interface endpoints %v, want %v", leverEnv, got, want)
	}
	// No HTTPS egress through NAT for the bastion: it still uses the endpoints.
	access := s.template(t, leverEnv+"-access")
	for id, sg := range resourcesOf(access, "AWS::EC2::SecurityGroup") {
		for _, e := range asList(props(sg)["SecurityGroupEgress"]) {
			if m, _ := e.(map[string]interface{}); m["CidrIp"] == "0.0.0.0/0" {
				t.Errorf("%s: egress to 0.0.0.0/0 %v", id, m)
			}
		}
	}
}

func asList(v interface{}) []interface{} {
	l, _ := v.([]interface{})
	return l
}

// The flow-log lever in prod: the flow-log group is Infrequent Access, still
// encrypted and kept six years; no other log group changes class.
func TestAppLeversFlowLogsInfrequentAccess(t *testing.T) {
	s := appLevers.get(t)
	for name, tmpl := range s.templates {
		flowLogGroups := map[string]bool{}
		for _, r := range tmpl["Resources"].(map[string]interface{}) {
			if r := r.(map[string]interface{}); r["Type"] == "AWS::EC2::FlowLog" {
				flowLogGroups[refTo(props(r)["LogDestination"])] = true
			}
		}
		for id, r := range tmpl["Resources"].(map[string]interface{}) {
			r := r.(map[string]interface{})
			if r["Type"] != "AWS::Logs::LogGroup" {
				continue
			}
			p := props(r)
			if flowLogGroups[id] {
				if p["LogGroupClass"] != "INFREQUENT_ACCESS" || p["RetentionInDays"] != float64(2192) || p["KmsKeyId"] == nil {
					t.Errorf("%s/%s: flow-log group %s", name, id, jsonOf(p))
				}
			} else if p["LogGroupClass"] != nil {
				t.Errorf("%s/%s: LogGroupClass %v on a log group that is not the flow logs'", name, id, p["LogGroupClass"])
			}
		}
	}
}
