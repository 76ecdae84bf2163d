package assertions_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// appEnvs are the environments of the app fixture, kept for checks that are
// not in the templates (termination protection).
var appEnvs []*stacks.Environment

// theApp is exactly what `make synth` builds: every environment.
var theApp = newFixture("app", func(app awscdk.App) { appEnvs = stacks.Compose(app) })

// layers are the stacks every environment has, by name suffix.
var layers = []string{"network", "audit", "access", "data"}

func TestAppNagClean(t *testing.T) { requireNagClean(t, theApp) }

func TestAppHasEveryEnvironmentAndLayer(t *testing.T) {
	s := theApp.get(t)
	want := map[string]bool{}
	for _, p := range stacks.Profiles {
		for _, l := range layers {
			want[p.Name+"-"+l] = true
		}
	}
	if len(s.templates) != len(want) {
		t.Errorf("stacks %v, want %d (every profile x %v)", s.stackNames(), len(want), layers)
	}
	for name := range want {
		if _, ok := s.templates[name]; !ok {
			t.Errorf("missing stack %s", name)
		}
	}
}

func TestAppTerminationProtectionWherePhiIsHeld(t *testing.T) {
	theApp.get(t)
	for _, env := range appEnvs {
		for _, st := range env.Stacks() {
			if got := *st.TerminationProtection(); got != env.Profile.HoldsPhi {
				t.Errorf("%s: termination protection %v, want %v (HoldsPhi)", *st.StackName(), got, env.Profile.HoldsPhi)
			}
		}
	}
}

// Every resource that takes tags carries Environment, Project and
// DataClassification with the right values.
func TestAppTagsEveryResource(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		for _, l := range layers {
			stack := p.Name + "-" + l
			tagged := 0
			for id, r := range s.templates[stack]["Resources"].(map[string]interface{}) {
				tags := tagMap(props(r.(map[string]interface{}))["Tags"])
				if tags == nil {
					continue // the resource type takes no tags (or takes a map, checked below)
				}
				tagged++
				if tags[stacks.TagEnvironment] != p.Name || tags[stacks.TagProject] != stacks.Project {
					t.Errorf("%s/%s: tags %v lack Environment=%s/Project", stack, id, tags, p.Name)
				}
				if c := tags[stacks.TagDataClassification]; c != stacks.ClassPHI && c != stacks.ClassInternal {
					t.Errorf("%s/%s: DataClassification %q", stack, id, c)
				}
			}
			if tagged == 0 {
				t.Errorf("%s: no tagged resource at all", stack)
			}
		}
	}
}

// tagMap reads a CloudFormation Tags list ([{Key, Value}]) into a map.
func tagMap(v interface{}) map[string]string {
	list, ok := v.([]interface{})
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, e := range list {
		if m, ok := e.(map[string]interface{}); ok {
			out[fmt.Sprint(m["Key"])] = fmt.Sprint(m["Value"])
		}
	}
	return out
}
