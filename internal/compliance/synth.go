package compliance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"

	"github.com/healthstack-oss/hipaa-baseline/internal/eligibility"
)

// Synth synthesizes app and returns the assembly and every error-level
// finding. aws-cdk-lib throws when a construct carries an error annotation
// (an unsuppressed cdk-nag finding, CloudFormation schema validation); the findings are then read from the validation report
// it writes, and the assembly is nil. Other panics (e.g. a construct's bad
// props) propagate unchanged.
//
// On a synthesized assembly it adds the HIPAA-eligibility check of every
// stack marked with eligibility.Guard, read from its template.
func Synth(app awscdk.App) (assembly cxapi.CloudAssembly, findings []string) {
	var thrown interface{}
	func() {
		defer func() { thrown = recover() }()
		assembly = app.Synth(nil)
	}()
	if thrown == nil {
		return assembly, append(Findings(assembly), eligibilityFindings(app, assembly)...)
	}
	report := filepath.Join(*app.Outdir(), "validation-report.json")
	found, err := readValidationReport(report)
	if err != nil || len(found) == 0 {
		panic(thrown)
	}
	return nil, found
}

type validationReport struct {
	PluginReports []struct {
		PluginName string `json:"pluginName"`
		Violations []struct {
			RuleName           string `json:"ruleName"`
			Description        string `json:"description"`
			ViolatingConstruct []struct {
				ConstructPath string `json:"constructPath"`
			} `json:"violatingConstructs"`
		} `json:"violations"`
	} `json:"pluginReports"`
}

func readValidationReport(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r validationReport
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	var out []string
	for _, p := range r.PluginReports {
		for _, v := range p.Violations {
			for _, c := range v.ViolatingConstruct {
				out = append(out, fmt.Sprintf("%s: %s: %s", c.ConstructPath, v.RuleName, firstLine(v.Description)))
			}
		}
	}
	return out, nil
}

// eligibilityFindings runs the HIPAA-eligibility check on the synthesized
// template of every stack marked with eligibility.Guard.
func eligibilityFindings(app awscdk.App, assembly cxapi.CloudAssembly) []string {
	var out []string
	for _, id := range eligibility.GuardedArtifacts(app) {
		var tmpl map[string]interface{}
		path := filepath.Join(*assembly.Directory(), id+".template.json")
		if err := readJSON(path, &tmpl); err != nil {
			out = append(out, fmt.Sprintf("%s: cannot read its template for the HIPAA-eligibility check: %v", id, err))
			continue
		}
		out = append(out, eligibility.TemplateFindings(id, tmpl)...)
	}
	return out
}
