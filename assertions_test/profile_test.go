package assertions_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

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
		"AlarmEmails":         func(p *stacks.Profile) { p.AlarmEmails = nil },
		"AppTaskCount":        func(p *stacks.Profile) { p.AppTaskCount = 1 },
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

// Two environments pinned to one account and region would collide on the
// per-region singletons (Config recorder, GuardDuty, SSM preferences).
func TestEnvironmentsCannotShareAnAccountAndRegion(t *testing.T) {
	dev, _ := stacks.ProfileNamed("dev")
	staging, _ := stacks.ProfileNamed("staging")
	dev.Account, dev.Region = "111111111111", "us-east-1"
	staging.Account, staging.Region = "111111111111", "us-east-1"
	app := newApp(t)
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		stacks.ComposeProfiles(app, []stacks.Profile{dev, staging})
		return ""
	}()
	for _, want := range []string{`"staging"`, "Account/Region", "111111111111/us-east-1", `"dev"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %s", msg, want)
		}
	}
}

func TestAuroraProfileRefusesAllocatedStorage(t *testing.T) {
	p, _ := stacks.ProfileNamed("prod")
	p.DatabaseStorageGiB = 100
	var pe *stacks.ProfileError
	if err := p.Validate(); !errors.As(err, &pe) || pe.Setting != "DatabaseStorageGiB" {
		t.Errorf("got %v, want a DatabaseStorageGiB error", err)
	}
}

// -c dbBackupRetentionDays overrides the selected profiles' backup retention;
// a PHI environment still refuses a value below its minimum.
func TestBackupRetentionContextOverride(t *testing.T) {
	app := newApp(t)
	app.Node().SetContext(jsii.String(stacks.ContextEnv), "dev")
	app.Node().SetContext(jsii.String(stacks.ContextBackupRetention), "3")
	envs := stacks.Compose(app)
	if len(envs) != 1 || envs[0].Profile.BackupRetentionDays != 3 {
		t.Fatalf("got %d envs, retention %v; want dev with 3 days", len(envs), envs[0].Profile.BackupRetentionDays)
	}
	prod := newApp(t)
	prod.Node().SetContext(jsii.String(stacks.ContextEnv), "prod")
	prod.Node().SetContext(jsii.String(stacks.ContextBackupRetention), "3")
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		stacks.Compose(prod)
		return ""
	}()
	if !strings.Contains(msg, `"prod"`) || !strings.Contains(msg, "BackupRetentionDays") {
		t.Errorf("prod with 3 days: got %q, want a BackupRetentionDays refusal", msg)
	}
}
