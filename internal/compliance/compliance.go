// Package compliance applies the verification gate every stack passes: the
// cdk-nag HIPAA Security pack, with findings raised as synth errors.
package compliance

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// RulePrefix prefixes the id of every HIPAA Security pack finding.
const RulePrefix = "HIPAA.Security-"

// ApplyHipaaChecks adds the HIPAA Security pack to scope and everything in it.
// Reports are written next to the templates (HIPAA.Security-<stack>-NagReport.csv).
func ApplyHipaaChecks(scope constructs.IConstruct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewHIPAASecurityChecks(&cdknag.NagPackProps{
		Verbose: jsii.Bool(true),
		Reports: jsii.Bool(true),
	}), nil)
}

// Findings returns every error-level message in the synthesized assembly:
// unsuppressed cdk-nag findings and any other synth error, as
// "stack: path: message" lines.
func Findings(assembly cxapi.CloudAssembly) []string {
	var out []string
	for _, stack := range *assembly.Stacks() {
		for _, m := range *stack.Messages() {
			if m.Level != cxapi.SynthesisMessageLevel_ERROR {
				continue
			}
			out = append(out, fmt.Sprintf("%s: %s: %v", *stack.StackName(), *m.Id, firstLine(m.Entry.Data)))
		}
	}
	return out
}

func firstLine(v interface{}) string {
	s := fmt.Sprint(v)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
