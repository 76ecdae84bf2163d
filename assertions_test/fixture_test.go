package assertions_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
)

// synthesized is one app, synthesized once with the HIPAA checks applied.
type synthesized struct {
	templates map[string]map[string]interface{} // by stack name
	findings  []string                          // unsuppressed nag findings and other synth errors
	outdir    string                            // the cloud assembly directory
}

// template returns the named stack's template for assertions.
func (s *synthesized) template(t testing.TB, stack string) assertions.Template {
	t.Helper()
	tmpl, ok := s.templates[stack]
	if !ok {
		t.Fatalf("no stack %q; have %v", stack, s.stackNames())
	}
	return assertions.Template_FromJSON(&tmpl, nil)
}

func (s *synthesized) stackNames() []string {
	var names []string
	for n := range s.templates {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// fixture builds an app lazily, at most once per test binary.
type fixture struct {
	name  string
	build func(app awscdk.App)
	once  sync.Once
	out   *synthesized
	err   interface{}
}

var fixtures []*fixture

// newFixture registers a configuration; every fixture is also linted by
// TestCfnLintEveryFixture.
func newFixture(name string, build func(app awscdk.App)) *fixture {
	f := &fixture{name: name, build: build}
	fixtures = append(fixtures, f)
	return f
}

// get synthesizes the fixture on first use and returns the shared result.
func (f *fixture) get(t testing.TB) *synthesized {
	t.Helper()
	f.once.Do(func() {
		defer func() { f.err = recover() }()
		app := newApp(t)
		f.build(app)
		compliance.ApplyHipaaChecks(app)
		assembly, findings := compliance.Synth(app)
		out := &synthesized{templates: map[string]map[string]interface{}{}, findings: findings, outdir: *app.Outdir()}
		if assembly != nil {
			for _, st := range *assembly.Stacks() {
				out.templates[*st.StackName()] = st.Template().(map[string]interface{})
			}
		}
		f.out = out
	})
	if f.err != nil {
		t.Fatalf("fixture %s failed to synthesize: %v", f.name, f.err)
	}
	return f.out
}

// requireNagClean fails when the fixture has any unsuppressed finding.
func requireNagClean(t *testing.T, f *fixture) {
	t.Helper()
	if fs := f.get(t).findings; len(fs) > 0 {
		t.Fatalf("%s: %d unsuppressed cdk-nag finding(s) or synth errors:\n%v", f.name, len(fs), fs)
	}
}

// writeTemplates writes every fixture's templates to dir and returns the
// paths, one per distinct template: fixtures that build the same stack the
// same way (the app's environments in several fixtures) are linted once.
func writeTemplates(t *testing.T, dir string) []string {
	var paths []string
	seen := map[[sha256.Size]byte]bool{}
	total := 0
	for _, f := range fixtures {
		s := f.get(t)
		for _, name := range s.stackNames() {
			raw, err := json.MarshalIndent(s.templates[name], "", " ")
			if err != nil {
				t.Fatal(err)
			}
			total++
			sum := sha256.Sum256(raw)
			if seen[sum] {
				continue
			}
			seen[sum] = true
			p := filepath.Join(dir, fmt.Sprintf("%s--%s.template.json", f.name, name))
			if err := os.WriteFile(p, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	t.Logf("%d templates, %d distinct", total, len(paths))
	return paths
}
