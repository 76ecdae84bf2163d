package assertions_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

func TestProfilesAreValidAndPhiIsWhereExpected(t *testing.T) {
	want := map[string]bool{"dev": false, "staging": true, "prod": true}
	for _, p := range stacks.Profiles {
		if err := p.Validate(); err != nil {
			t.Errorf("profile %s: %v", p.Name, err)
		}
		if holds, ok := want[p.Name]; !ok || holds != p.HoldsPhi {
			t.Errorf("profile %s: HoldsPhi %v, want %v", p.Name, p.HoldsPhi, holds)
		}
	}
}

// A profile that holds PHI refuses each relaxed control, naming the
// environment and the setting.
func TestPhiProfileRefusesEachRelaxation(t *testing.T) {
	base, err := stacks.ProfileNamed("prod")
	if err != nil {
		t.Fatal(err)
	}
	relax := map[string]func(p *stacks.Profile){
		"DatabaseMultiAz":     func(p *stacks.Profile) { p.DatabaseMultiAz = false },
		"DeletionProtection":  func(p *stacks.Profile) { p.DeletionProtection = false },
		"NatGateways":         func(p *stacks.Profile) { p.NatGateways = 1 },
		"InterfaceEndpoints":  func(p *stacks.Profile) { p.InterfaceEndpoints = false },
		"BackupRetentionDays": func(p *stacks.Profile) { p.BackupRetentionDays = 1 },
		"LogRetentionDays":    func(p *stacks.Profile) { p.LogRetentionDays = 365 },
	}
	for setting, apply := range relax {
		t.Run(setting, func(t *testing.T) {
			p := base
			apply(&p)
			err := p.Validate()
			var pe *stacks.ProfileError
			if !errors.As(err, &pe) || pe.Env != "prod" || pe.Setting != setting {
				t.Fatalf("got %v, want a ProfileError for prod/%s", err, setting)
			}
			if !strings.Contains(err.Error(), `"prod"`) || !strings.Contains(err.Error(), setting) {
				t.Errorf("message %q must name the environment and the setting", err)
			}
			// The same relaxation is allowed where no PHI is held.
			p.HoldsPhi = false
			if err := p.Validate(); err != nil {
				t.Errorf("non-PHI profile refused %s: %v", setting, err)
			}
		})
	}
}

func TestUnknownEnvironmentIsRefused(t *testing.T) {
	if _, err := stacks.ProfileNamed("qa"); err == nil || !strings.Contains(err.Error(), "qa") {
		t.Errorf("got %v, want an error naming qa", err)
	}
}
