package stacks

import "github.com/aws/aws-cdk-go/awscdk/v2"

// Compose adds every environment's stacks to app. The app in app/ and the
// tests both call it, so the tests check exactly what `make synth` builds.
func Compose(app awscdk.App) {
	NewNetworkStack(app, "dev-network", nil)
}
