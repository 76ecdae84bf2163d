package assertions_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// nagRow is one line of a cdk-nag report: a rule's verdict on one resource.
// Rules that do not apply to a resource write no line.
type nagRow struct {
	rule, resource, compliance, reason string
}

// Verdicts cdk-nag writes in its reports.
const (
	nagCompliant  = "Compliant"
	nagSuppressed = "Suppressed"
)

// nagReport reads the HIPAA pack's CSV report of one stack from an assembly
// directory (compliance.ApplyHipaaChecks writes one per stack), named
// <pack>-<app id>-<stack>: the app's id is empty.
func nagReport(t *testing.T, dir, stack string) []nagRow {
	t.Helper()
	name := fmt.Sprintf("HIPAA.Security--%s-NagReport.csv", stack)
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("no cdk-nag report for %s: %v", stack, err)
	}
	defer f.Close()
	lines, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var rows []nagRow
	for _, l := range lines[1:] { // header: Rule ID,Resource ID,Compliance,Exception Reason,...
		rows = append(rows, nagRow{rule: l[0], resource: l[1], compliance: l[2], reason: l[3]})
	}
	return rows
}

// cdkPaths maps each resource's construct path (aws:cdk:path) to its logical
// ID, to match the in-app report's rows to a template's resources.
func cdkPaths(tmpl map[string]interface{}) map[string]string {
	out := map[string]string{}
	for id, r := range tmpl["Resources"].(map[string]interface{}) {
		md, _ := r.(map[string]interface{})["Metadata"].(map[string]interface{})
		if p, ok := md["aws:cdk:path"].(string); ok {
			out[p] = id
		}
	}
	return out
}
