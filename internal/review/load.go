package review

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// LoadTemplates reads every <stack>.template.json in dir (a cdk.out or the
// goldens).
func LoadTemplates(dir string) (Templates, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil {
		return nil, err
	}
	out := Templates{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var t map[string]interface{}
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(filepath.Base(p), ".template.json")] = t
	}
	return out, nil
}

// LoadLedger reads the stateful ledger.
func LoadLedger(path string) (Ledger, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var l Ledger
	return l, json.Unmarshal(raw, &l)
}
