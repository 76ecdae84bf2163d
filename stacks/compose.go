package stacks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// ContextEnv is the context key that selects one environment:
// `cdk synth -c env=staging` (or `make synth ENV=staging`).
const ContextEnv = "env"

// Compose adds the selected environments' stacks to app: the one named by the
// "env" context, or every profile. The app in app/ and the tests both call
// it, so the tests check exactly what `make synth` builds.
func Compose(app awscdk.App) []*Environment {
	selected := Profiles
	if name, ok := app.Node().TryGetContext(jsii.String(ContextEnv)).(string); ok && name != "" {
		p, err := ProfileNamed(name)
		if err != nil {
			panic(fmt.Errorf("context %s: %w", ContextEnv, err))
		}
		selected = []Profile{p}
	}
	target := DeployTarget(app)
	var envs []*Environment
	for _, p := range selected {
		envs = append(envs, NewEnvironment(app, p, target))
	}
	return envs
}
