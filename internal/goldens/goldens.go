// Package goldens keeps the reviewed copy of every synthesized template
// (assertions_test/testdata/golden) in one canonical form, so a pull request
// shows infrastructure changes as a readable diff.
package goldens

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Canonical re-encodes a template with sorted keys and one-space indent: the
// form goldens are stored in, independent of how it was produced.
func Canonical(template interface{}) ([]byte, error) {
	raw, err := json.Marshal(template)
	if err != nil {
		return nil, err
	}
	var v interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CanonicalFile reads a template file and returns its canonical form.
func CanonicalFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var v interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Canonical(v)
}

// Diff returns a unified diff of want (the golden) and got, labelled with
// name; empty when they are equal. It uses the system's diff(1).
func Diff(name string, want, got []byte) (string, error) {
	if bytes.Equal(want, got) {
		return "", nil
	}
	dir, err := os.MkdirTemp("", "golden-diff-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	a, b := filepath.Join(dir, "golden"), filepath.Join(dir, "synthesized")
	if err := os.WriteFile(a, want, 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(b, got, 0o644); err != nil {
		return "", err
	}
	out, _ := exec.Command("diff", "-u", "--label", "golden/"+name, "--label", "synthesized/"+name, a, b).CombinedOutput()
	return string(out), nil
}
