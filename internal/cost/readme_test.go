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
