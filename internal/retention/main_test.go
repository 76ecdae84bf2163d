package retention

import (
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// TestMain closes the jsii client that importing aws-cdk-lib creates: these
// tests never start it (make unit runs them with a jsii runtime that refuses
// to start), but creating it extracts the runtime into a temporary directory
// that only Close removes.
func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}
