package assertions_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
	"github.com/healthstack-oss/hipaa-baseline/internal/goldens"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// update rewrites the goldens and records new stateful resources: `make golden`.
var update = flag.Bool("update", false, "rewrite testdata/golden and record new stateful resources (make golden)")

const goldenDir = "testdata/golden"

// Every stack's template must equal its committed golden. A change is shown
// as a unified diff; refresh deliberately with `make golden`.
func TestGoldenTemplates(t *testing.T) {
	s := theApp.get(t)
	if *update {
		// `make golden` never records a replacement of stored data that
		// nobody acknowledged: the goldens would then hide it.
		res, acks := reviewAgainstGoldens(t)
		requireNoBlockingReplacement(t, res, acks)
		if err := os.RemoveAll(goldenDir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range s.stackNames() {
		got, err := goldens.Canonical(s.templates[name])
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(goldenDir, name+".template.json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no golden (%v); run `make golden` and commit it", name, err)
			continue
		}
		if d, _ := goldens.Diff(name+".template.json", want, got); d != "" {
			t.Errorf("%s changed without its golden being updated. Review the diff, then run `make golden`:\n%s", name, d)
		}
	}
	goldensOnDisk, _ := filepath.Glob(filepath.Join(goldenDir, "*.template.json"))
	if len(goldensOnDisk) != len(s.templates) {
		t.Errorf("%d goldens for %d stacks: remove the goldens of stacks that no longer exist (make golden)", len(goldensOnDisk), len(s.templates))
	}
}

// Two synths of the same code give byte-identical templates.
func TestSynthIsDeterministic(t *testing.T) {
	first := theApp.get(t)
	app := newApp(t)
	stacks.Compose(app)
	compliance.ApplyHipaaChecks(app)
	compliance.Synth(app)
	for _, name := range first.stackNames() {
		a, errA := os.ReadFile(filepath.Join(first.outdir, name+".template.json"))
		b, errB := os.ReadFile(filepath.Join(*app.Outdir(), name+".template.json"))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v %v", name, errA, errB)
		}
		if !bytes.Equal(a, b) {
			d, _ := goldens.Diff(name, a, b)
			t.Errorf("%s differs between two synths:\n%s", name, d)
		}
	}
}

func BenchmarkSynthApp(b *testing.B) {
	for b.Loop() {
		app := newApp(b)
		stacks.Compose(app)
		compliance.ApplyHipaaChecks(app)
		if _, findings := compliance.Synth(app); len(findings) > 0 {
			b.Fatalf("findings: %s", strings.Join(findings, "\n"))
		}
	}
}
