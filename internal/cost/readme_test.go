package cost

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The README's cost table shows the figures make cost prints for the goldens.
func TestReadmeCostTableMatchesTheEstimate(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	envs, err := EstimateDir(MustLoad(), goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range envNames(envs) {
		e := envs[name]
		st := e.StackTypical()
		row := fmt.Sprintf("| %s | %.2f | %.2f / %.2f | **%.2f** | **%.2f** | %.2f / %.2f / %.2f / %.2f / %.2f |",
			name, e.Fixed, e.Low-e.Fixed, e.Typical-e.Fixed, e.Low, e.Typical,
			st[name+"-network"], st[name+"-audit"], st[name+"-access"], st[name+"-data"], st[name+"-app"])
		if !strings.Contains(string(raw), row) {
			t.Errorf("README.md's Cost table is stale for %s (run make cost); want the row\n%s", name, row)
		}
	}
}

// The README's levers table is what costreport -levers prints for the goldens.
func TestReadmeLeversTableMatchesThePricing(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	envs, err := LoadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := PriceLevers(MustLoad(), envs)
	if err != nil {
		t.Fatal(err)
	}
	if table := FormatLevers(res); !strings.Contains(string(raw), table) {
		t.Errorf("README.md's levers table is stale; paste the output of\n  go run ./internal/tools/costreport -levers assertions_test/testdata/golden\nwhich is\n%s", table)
	}
}
