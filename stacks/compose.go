package stacks

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// ContextEnv is the context key that selects one environment:
// `cdk synth -c env=staging` (or `make synth ENV=staging`).
const ContextEnv = "env"

// ContextBackupRetention overrides the selected profiles' database backup
// retention (`-c dbBackupRetentionDays=8`): a non-destructive change that
// make deploy-local uses to show an update keeps the database. Profile
// validation still applies, so a PHI environment refuses less than 7.
const ContextBackupRetention = "dbBackupRetentionDays"

// Compose adds the selected environments' stacks to app: the one named by the
// "env" context, or every profile and the organization guardrails stack
// (Guardrails; `-c env=org-guardrails` selects it alone). The app in app/ and
// the tests both call it, so the tests check exactly what `make synth` builds.
func Compose(app awscdk.App) []*Environment {
	selected := Profiles
	name, _ := app.Node().TryGetContext(jsii.String(ContextEnv)).(string)
	if name == Guardrails.StackName {
		NewGuardrailsStack(app, Guardrails, DeployTarget(app))
		return nil
	}
	if name == "" {
		NewGuardrailsStack(app, Guardrails, nil)
	}
	if name != "" {
		p, err := ProfileNamed(name)
		if err != nil {
			panic(fmt.Errorf("context %s: %w", ContextEnv, err))
		}
		selected = []Profile{p}
	}
	if v := app.Node().TryGetContext(jsii.String(ContextBackupRetention)); v != nil {
		days, err := strconv.Atoi(fmt.Sprint(v))
		if err != nil {
			panic(fmt.Errorf("context %s: %q is not a whole number of days", ContextBackupRetention, fmt.Sprint(v)))
		}
		overridden := make([]Profile, len(selected))
		for i, p := range selected {
			p.BackupRetentionDays = days
			overridden[i] = p
		}
		selected = overridden
	}
	return ComposeProfiles(app, selected)
}

// ComposeProfiles adds the given environments' stacks to app.
func ComposeProfiles(app awscdk.App, selected []Profile) []*Environment {
	// The CLI's (or context's) account and region apply only when one
	// environment is synthesized: every environment cannot share one account.
	var fallback *awscdk.Environment
	if len(selected) == 1 {
		fallback = DeployTarget(app)
	}
	seen := map[string]string{}
	var envs []*Environment
	for _, p := range selected {
		target := fallback
		if p.Account != "" {
			target = &awscdk.Environment{Account: jsii.String(p.Account), Region: jsii.String(p.Region)}
		}
		if target != nil {
			key := *target.Account + "/" + *target.Region
			if other, dup := seen[key]; dup {
				panic(&ProfileError{Env: p.Name, Setting: "Account/Region", Problem: fmt.Sprintf(
					"%s is already used by environment %q; AWS Config, GuardDuty and the Session Manager preferences are one per account and region, so each environment needs its own", key, other)})
			}
			seen[key] = p.Name
		}
		envs = append(envs, NewEnvironment(app, p, target))
	}
	return envs
}
