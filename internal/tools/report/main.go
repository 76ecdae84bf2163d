// Command report writes the HIPAA Security Rule evidence of every environment
// of a cloud assembly (make report): <dir>/report/<env>.md, computed from the
// templates and cdk-nag reports. It exits non-zero when an environment that
// holds PHI has a network path to its database other than the two declared
// doors, or a library-addressed specification the templates do not implement.
//
// With -compare GOLDEN_DIR it prints, instead, what changed against the
// goldens: paths to PHI stores added or removed and specifications whose
// status changed (make diff).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/healthstack-oss/hipaa-baseline/internal/evidence"
	"github.com/healthstack-oss/hipaa-baseline/internal/hipaamap"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

func main() {
	compare := flag.String("compare", "", "golden directory to compare the assembly's report data with")
	flag.Parse()
	dir := "cdk.out"
	if flag.NArg() > 0 {
		dir = flag.Arg(0)
	}
	m, err := hipaamap.Load()
	if err != nil {
		fail(err)
	}
	if *compare != "" {
		out, err := compareDirs(m, *compare, dir)
		if err != nil {
			fail(err)
		}
		fmt.Print(out)
		return
	}
	failures, err := write(m, dir)
	if err != nil {
		fail(err)
	}
	for _, f := range failures {
		fmt.Fprintln(os.Stderr, "report: "+f)
	}
	if len(failures) > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "report:", err)
	os.Exit(2)
}

// holdsPhi reads an environment's HoldsPhi from stacks.Profiles; an
// environment that is not a profile is assumed to hold PHI.
func holdsPhi(env string) (bool, string) {
	if p, err := stacks.ProfileNamed(env); err == nil {
		return p.HoldsPhi, "stacks.Profiles"
	}
	return true, "not in stacks.Profiles: assumed to hold PHI"
}

// reports builds every environment's report.
func reports(m *hipaamap.Map, dir string, useNag bool) ([]*evidence.Report, *evidence.Assembly, error) {
	a, err := evidence.Load(dir)
	if err != nil {
		return nil, nil, err
	}
	var out []*evidence.Report
	for _, env := range a.Envs() {
		phi, why := holdsPhi(env)
		nag := useNag
		for _, st := range a.EnvStacks(env) {
			nag = nag && st.HasNag
		}
		out = append(out, a.Build(m, env, phi, why, nag))
	}
	return out, a, nil
}

// write writes <dir>/report/<env>.md and returns the failures.
func write(m *hipaamap.Map, dir string) ([]string, error) {
	rs, a, err := reports(m, dir, true)
	if err != nil {
		return nil, err
	}
	outDir := filepath.Join(dir, "report")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	var failures []string
	for _, r := range rs {
		path := filepath.Join(outDir, r.Env+".md")
		if err := os.WriteFile(path, []byte(r.Markdown(a)), 0o644); err != nil {
			return nil, err
		}
		counts := map[string]int{}
		for _, s := range r.Specs {
			counts[s.Status]++
		}
		fmt.Printf("%s: %d verified, %d not verifiable from templates, %d missing, %d relaxed, %d customer, %d AWS; %d extra path(s) to PHI stores\n",
			path, counts[evidence.StatusVerified], counts[evidence.StatusUnverifiable], counts[evidence.StatusMissing],
			counts[evidence.StatusRelaxed], counts[evidence.StatusCustomer], counts[evidence.StatusAWS], len(r.Extra))
		failures = append(failures, r.Failures()...)
	}
	return failures, nil
}
