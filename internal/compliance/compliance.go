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

// errorMetadataType is the type of an error annotation's metadata entry in
// the cloud assembly (Annotations.AddError). The Go binding's
// cloudassemblyschema.ArtifactMetadataEntryType_ERROR is the enum member's
// name ("ERROR"), not this value, so it cannot be compared with an entry.
const errorMetadataType = "aws:cdk:error"

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
// "stack: path: message" lines, in path order. It reads each stack's
// metadata (the non-deprecated view of what Messages() summarizes).
func Findings(assembly cxapi.CloudAssembly) []string {
	var out []string
	for _, stack := range *assembly.Stacks() {
		md := stack.Metadata()
		if md == nil {
			continue
		}
		paths := make([]string, 0, len(*md))
		for p := range *md {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			entries := (*md)[p]
			if entries == nil {
				continue
			}
			for _, e := range *entries {
				if e == nil || e.Type == nil || *e.Type != errorMetadataType {
					continue
				}
				out = append(out, fmt.Sprintf("%s: %s: %v", *stack.StackName(), p, firstLine(e.Data)))
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
