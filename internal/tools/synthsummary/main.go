// Command synthsummary prints one line per synthesized stack: its resource
// count and its cdk-nag HIPAA Security result, read from a cdk.out directory.
// It exits non-zero when any stack has an unsuppressed finding.
package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/internal/cost"
)

type manifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile string `json:"templateFile"`
		} `json:"properties"`
		DisplayName string `json:"displayName"`
	} `json:"artifacts"`
}

type row struct {
	stack                                   string
	resources                               int
	compliant, suppressed, failing, unknown int
}

func main() {
	dir := "cdk.out"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	rows, err := summarize(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthsummary:", err)
		os.Exit(1)
	}
	failed := false
	monthly := stackCosts(dir)
	fmt.Printf("\n%-22s %9s %12s   %s\n", "STACK", "RESOURCES", "USD/MONTH*", "CDK-NAG HIPAA.Security")
	for _, r := range rows {
		verdict := "PASS"
		if r.failing > 0 || r.unknown > 0 {
			verdict, failed = "FAIL", true
		}
		usd := "?"
		if v, ok := monthly[r.stack]; ok {
			usd = fmt.Sprintf("%.2f", v)
		}
		fmt.Printf("%-22s %9d %12s   %s (%d compliant, %d suppressed, %d non-compliant, %d unknown)\n",
			r.stack, r.resources, usd, verdict, r.compliant, r.suppressed, r.failing, r.unknown)
	}
	fmt.Println("* typical month, us-east-1 list prices (make cost for the lines and the idle month)")
	if failed {
		os.Exit(1)
	}
}

func summarize(dir string) ([]row, error) {
	var m manifest
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	var rows []row
	for id, a := range m.Artifacts {
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		r := row{stack: id}
		var tmpl struct {
			Resources map[string]json.RawMessage `json:"Resources"`
		}
		raw, err := os.ReadFile(filepath.Join(dir, a.Properties.TemplateFile))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &tmpl); err != nil {
			return nil, err
		}
		r.resources = len(tmpl.Resources)
		if err := countNag(dir, id, &r); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].stack < rows[j].stack })
	return rows, nil
}

// countNag reads the stack's HIPAA.Security NagReport CSV.
func countNag(dir, stack string, r *row) error {
	matches, _ := filepath.Glob(filepath.Join(dir, "HIPAA.Security-*"+stack+"-NagReport.csv"))
	if len(matches) != 1 {
		return fmt.Errorf("stack %s: want one HIPAA.Security NagReport, found %d (is the pack applied?)", stack, len(matches))
	}
	f, err := os.Open(matches[0])
	if err != nil {
		return err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return err
	}
	for _, rec := range recs[1:] {
		switch strings.ToLower(rec[2]) {
		case "compliant":
			r.compliant++
		case "suppressed":
			r.suppressed++
		case "non-compliant":
			r.failing++
		default:
			r.unknown++
		}
	}
	return nil
}

// stackCosts is each stack's typical monthly figure from internal/cost. A
// stack the estimator cannot price shows "?" and a warning: make cost is the
// gate that refuses it, synth still succeeds.
func stackCosts(dir string) map[string]float64 {
	envs, err := cost.EstimateDir(cost.MustLoad(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthsummary: cost estimate unavailable:", err)
		return nil
	}
	out := map[string]float64{}
	for _, e := range envs {
		for s, v := range e.StackTypical() {
			out[s] = v
		}
	}
	return out
}
