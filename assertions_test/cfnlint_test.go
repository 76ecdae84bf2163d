package assertions_test

import (
	"os/exec"
	"testing"
)

// TestCfnLintEveryFixture runs cfn-lint over the template of every fixture,
// including the configurations the app itself does not build. Zero errors
// and zero warnings, apart from the ignores in .cfnlintrc, each with its reason.
func TestCfnLintEveryFixture(t *testing.T) {
	if _, err := exec.LookPath("cfn-lint"); err != nil {
		t.Fatal("cfn-lint is required by make test: pip install cfn-lint")
	}
	paths := writeTemplates(t, t.TempDir())
	args := append([]string{"--config-file", "../.cfnlintrc", "--"}, paths...)
	out, err := exec.Command("cfn-lint", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("cfn-lint found problems in %d templates:\n%s", len(paths), out)
	}
}
