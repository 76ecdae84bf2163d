// Package assertions_test checks the synthesized CloudFormation of every
// construct and of the app. Each distinct configuration is synthesized once
// (a fixture) and shared by the tests that read it.
package assertions_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

// assemblyRoot holds every app's cloud assembly (one directory per newApp).
// Fixtures are synthesized once and shared across tests through sync.Once,
// so an assembly must outlive the test that first built it: TestMain removes
// the whole root after the last test instead of each test removing its own.
var assemblyRoot string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	var err error
	if assemblyRoot, err = os.MkdirTemp("", "cdkout-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(assemblyRoot)
	defer jsii.Close() // runs first: stop the jsii kernel before removing what it wrote
	return m.Run()
}

// cdkContext is the "context" of the project's cdk.json: the feature flags
// `cdk synth` runs with. Tests synthesize with the same flags.
var cdkContext = testmain.CdkContext("../cdk.json")

// newApp returns an App configured like the project's cdk.json, writing its
// assembly to a new directory under assemblyRoot.
func newApp(t testing.TB) awscdk.App {
	ctx := map[string]interface{}{}
	for k, v := range cdkContext {
		ctx[k] = v
	}
	// The CDK CLI adds each resource's construct path and asset metadata; do the
	// same so test templates equal `cdk synth` output (goldens, make diff).
	ctx["aws:cdk:enable-path-metadata"] = true
	ctx["aws:cdk:enable-asset-metadata"] = true
	dir, err := os.MkdirTemp(assemblyRoot, "app-")
	if err != nil {
		t.Fatal(err)
	}
	return awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(dir)})
}
