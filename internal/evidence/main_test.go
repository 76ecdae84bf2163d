package evidence

import (
	"os"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

// Importing aws-cdk-lib creates a jsii client, which only Close cleans up.
func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }
