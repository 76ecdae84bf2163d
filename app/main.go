// Command app is the CDK app: it synthesizes every environment's stacks with
// the HIPAA Security checks applied and fails when any finding is left
// unsuppressed.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

func main() {
	os.Exit(run())
}

func run() (code int) {
	defer jsii.Close()
	defer func() {
		// Bad props panic with a message that names the construct and prop;
		// print it without a Go stack trace.
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "synth failed: %v\n", r)
			code = 1
		}
	}()

	app := awscdk.NewApp(nil)
	stacks.Compose(app)
	compliance.ApplyHipaaChecks(app)

	if _, findings := compliance.Synth(app); len(findings) > 0 {
		fmt.Fprintf(os.Stderr, "synth failed: %d unsuppressed finding(s):\n", len(findings))
		for _, f := range findings {
			fmt.Fprintln(os.Stderr, "  "+f)
		}
		return 1
	}
	return 0
}
