package stacks

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

// BenchmarkBaselineRoundTrips synthesizes the four baseline layers of every
// profile (12 stacks: network, audit, access and data of dev, staging and
// prod), HIPAA checks applied, with the context of cdk.json as `cdk synth`
// passes it: the stacks issue #21 counted its jsii round trips on. make bench
// runs it once with the kernel's debug log on and counts the requests. It is
// a benchmark, so make unit (go test without -bench) never starts jsii here.
func BenchmarkBaselineRoundTrips(b *testing.B) {
	context := testmain.CdkContext("../cdk.json")
	for i := 0; i < b.N; i++ {
		app := awscdk.NewApp(&awscdk.AppProps{Context: &context, Outdir: jsii.String(b.TempDir())})
		for _, p := range Profiles {
			newEnvironment(app, p, nil, false)
		}
		compliance.ApplyHipaaChecks(app)
		if _, findings := compliance.Synth(app); len(findings) > 0 {
			b.Fatalf("unsuppressed findings: %v", findings)
		}
	}
}
