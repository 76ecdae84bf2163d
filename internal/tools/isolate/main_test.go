package main

import (
	"strings"
	"testing"
)

func TestFindOnTheGoldens(t *testing.T) {
	dir := "../../../assertions_test/testdata/golden"
	for _, env := range []string{"dev", "staging", "prod"} {
		for _, tier := range []string{"data", "access"} {
			for _, reconnect := range []bool{false, true} {
				p, err := Find(dir, env, tier, reconnect)
				if err != nil {
					t.Fatalf("%s %s: %v", env, tier, err)
				}
				verb, other := "Isolate", "Reconnect"
				if reconnect {
					verb, other = other, verb
				}
				title := strings.ToUpper(tier[:1]) + tier[1:]
				if p.Stack != env+"-isolation" || p.Document != env+"-isolation-"+verb+title || p.Counterpart != env+"-isolation-"+other+title {
					t.Errorf("%s %s reconnect=%v: %+v", env, tier, reconnect, p)
				}
				if p.RoleOutput != "ResponderRoleArn" {
					t.Errorf("%s: role output %q", env, p.RoleOutput)
				}
				s := p.Script()
				if !strings.Contains(s, "aws ssm start-automation-execution --document-name "+p.Document+" ") {
					t.Errorf("%s %s: no start command in\n%s", env, tier, s)
				}
			}
		}
	}
}

func TestFindRefusesWhatIsNotThere(t *testing.T) {
	dir := "../../../assertions_test/testdata/golden"
	// Every environment has an app tier, so its web ACL has edge documents.
	if _, err := Find(dir, "dev", "edge", false); err != nil {
		t.Errorf("edge of dev: %v", err)
	}
	if _, err := Find(dir, "dev", "app", false); err == nil || !strings.Contains(err.Error(), "data, access, edge") {
		t.Errorf("bad tier: %v", err)
	}
	if _, err := Find(dir, "nosuch", "data", false); err == nil || !strings.Contains(err.Error(), "make synth") {
		t.Errorf("no stacks: %v", err)
	}
}
