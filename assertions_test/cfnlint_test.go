package assertions_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cfnLintCache holds a marker per template cfn-lint passed: the same template
// under the same cfn-lint and .cfnlintrc passes again, so only templates that
// changed are linted (cfn-lint takes about 0.7 s a template). A fresh clone
// has none; CFNLINT_CACHE=refresh (make bench) lints every template and
// records the passes.
const cfnLintCache = "../cdk.out.local/cfnlint-cache"

// TestCfnLintEveryFixture runs cfn-lint over the template of every fixture,
// including the configurations the app itself does not build. Zero errors
// and zero warnings, apart from the ignores in .cfnlintrc, each with its reason.
func TestCfnLintEveryFixture(t *testing.T) {
	if _, err := exec.LookPath("cfn-lint"); err != nil {
		t.Fatal("cfn-lint is required by make test: pip install cfn-lint")
	}
	paths := writeTemplates(t, t.TempDir())
	salt := cfnLintSalt(t)
	refresh := os.Getenv("CFNLINT_CACHE") == "refresh"
	var todo []string
	for _, p := range paths {
		if salt == "" || refresh || !fileExists(cfnLintMarker(salt, p)) {
			todo = append(todo, p)
		}
	}
	t.Logf("linting %d of %d distinct templates (the others passed unchanged before)", len(todo), len(paths))
	if len(todo) == 0 {
		return
	}
	args := append([]string{"--config-file", "../.cfnlintrc", "--"}, todo...)
	out, err := exec.Command("cfn-lint", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("cfn-lint found problems in %d templates:\n%s", len(todo), out)
	}
	if salt == "" {
		return
	}
	if err := os.MkdirAll(cfnLintCache, 0o755); err != nil {
		t.Logf("no cfn-lint cache: %v", err)
		return
	}
	for _, p := range todo {
		if err := os.WriteFile(cfnLintMarker(salt, p), nil, 0o644); err != nil {
			t.Logf("no cfn-lint cache: %v", err)
			return
		}
	}
}

// cfnLintSalt is what a cached pass depends on besides the template: the
// cfn-lint version and .cfnlintrc; "" (the version is unknown) turns the
// cache off.
func cfnLintSalt(t *testing.T) string {
	version, err := exec.Command("python3", "-c", `import importlib.metadata as m; print(m.version("cfn-lint"))`).Output()
	if err != nil {
		t.Logf("no cfn-lint cache: cfn-lint's version unknown: %v", err)
		return ""
	}
	rc, err := os.ReadFile("../.cfnlintrc")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(version)) + "\x00" + string(rc)
}

func cfnLintMarker(salt, path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return path // never exists in the cache: lint it
	}
	sum := sha256.Sum256(append([]byte(salt+"\x00"), raw...))
	return filepath.Join(cfnLintCache, hex.EncodeToString(sum[:]))
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
