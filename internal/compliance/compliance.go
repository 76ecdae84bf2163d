// Package compliance applies the verification gate every stack passes: the
// cdk-nag HIPAA Security pack, with findings raised as synth errors.
package compliance

import (
	"fmt"
	"sort"
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
// "stack: path: message" lines, in path order. Metadata that cannot be read
// is a finding too, so that it never passes for a clean assembly.
func Findings(assembly cxapi.CloudAssembly) []string {
	var out []string
	dir := *assembly.Directory()
	for _, stack := range *assembly.Stacks() {
		md, err := artifactMetadata(dir, *stack.Id())
		if err != nil {
			out = append(out, fmt.Sprintf("%s: cannot read its metadata: %v", *stack.StackName(), err))
			continue
		}
		paths := make([]string, 0, len(md))
		for p := range md {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			for _, e := range md[p] {
				if e.Type == errorMetadataType {
					out = append(out, fmt.Sprintf("%s: %s: %v", *stack.StackName(), p, firstLine(e.Data)))
				}
			}
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
