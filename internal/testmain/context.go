package testmain

import (
	"encoding/json"
	"os"
)

// CdkContext is the "context" of the project's cdk.json at path: the feature
// flags `cdk synth` runs with, so a test synthesizes with the same ones. It
// panics when the file cannot be read, as a test could not run without it.
func CdkContext(path string) map[string]interface{} {
	raw, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	var cfg struct {
		Context map[string]interface{} `json:"context"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		panic(err)
	}
	return cfg.Context
}
