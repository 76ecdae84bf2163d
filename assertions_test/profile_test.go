package assertions_test

// Profile.Validate and ProfileNamed are tested in package stacks (no jsii);
// these tests compose stacks.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

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
