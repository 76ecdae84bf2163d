package cost

import (
	"strings"
	"testing"
)

func TestLeversArePricedOnTheGoldens(t *testing.T) {
	d := MustLoad()
	envs, err := LoadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := PriceLevers(d, envs)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range res {
		seen[r.Lever] = true
		if r.Lever == "graviton-already" {
			if r.SavingTypical >= 0 {
				t.Errorf("%s: x86 classes should cost more, saving %.2f", r.Env, r.SavingTypical)
			}
			continue
		}
		if r.SavingTypical <= 0 {
			t.Errorf("lever %s on %s saves %.2f", r.Lever, r.Env, r.SavingTypical)
		}
	}
	for _, l := range Levers {
		if !seen[l.Name] || l.TradeOff == "" {
			t.Errorf("lever %s: priced %v, trade-off %q", l.Name, seen[l.Name], l.TradeOff)
		}
	}
	// The levers rewrite copies: the goldens' estimate is unchanged.
	again, _ := EstimateDir(d, goldenDir)
	before, _ := Estimate(d, envs["prod"])
	if again["prod"].Typical != before.Typical {
		t.Error("a lever changed the templates it was given")
	}
}

func TestFormatDiffShowsTheChangedItems(t *testing.T) {
	d := MustLoad()
	base := fixture(t, `"Nat1": {"Type": "AWS::EC2::NatGateway", "Properties": {}}, "Nat2": {"Type": "AWS::EC2::NatGateway", "Properties": {}}`)
	one := fixture(t, `"Nat1": {"Type": "AWS::EC2::NatGateway", "Properties": {}}`)
	was, _ := Estimate(d, base)
	now, _ := Estimate(d, one)
	out := FormatDiff(map[string]Env{"dev": was, "prod": was}, map[string]Env{"dev": now, "prod": was})
	if !strings.Contains(out, "== dev: typical") || !strings.Contains(out, "-32.85  test-stack: NAT gateway hours") || !strings.Contains(out, "== prod: no cost change") {
		t.Fatalf("unexpected diff:\n%s", out)
	}
}
