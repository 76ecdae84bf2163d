// Package testmain is the TestMain of the construct packages' examples; only
// tests import it.
package testmain

import (
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// Run runs a construct package's examples and tests: apps made
// with awscdk.NewApp(nil) write their assemblies into one temporary
// directory (CDK_OUTDIR), removed afterwards, and jsii is closed once.
func Run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "hipaa-examples-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	os.Setenv("CDK_OUTDIR", dir)
	defer jsii.Close()
	return m.Run()
}
