// Package assertions_test checks the synthesized CloudFormation of every
// construct and of the app. Each distinct configuration is synthesized once
// (a fixture) and shared by the tests that read it.
package assertions_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// cdkContext is the "context" of the project's cdk.json: the feature flags
// `cdk synth` runs with. Tests synthesize with the same flags.
var cdkContext = func() map[string]interface{} {
	raw, err := os.ReadFile("../cdk.json")
	if err != nil {
		panic(err)
	}
	var cfg struct {
		Context map[string]interface{} `json:"context"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		panic(err)
	}
	return cfg.Context
}()

// newApp returns an App configured like the project's cdk.json, writing its
// assembly to a throwaway directory.
func newApp(t testing.TB) awscdk.App {
	ctx := map[string]interface{}{}
	for k, v := range cdkContext {
		ctx[k] = v
	}
	// The CDK CLI adds each resource's construct path and asset metadata; do the
	// same so test templates equal `cdk synth` output (goldens, make diff).
	ctx["aws:cdk:enable-path-metadata"] = true
	ctx["aws:cdk:enable-asset-metadata"] = true
	dir, err := os.MkdirTemp("", "cdkout-")
	if err != nil {
		t.Fatal(err)
	}
	return awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(dir)})
}
