// Command eligibility prints internal/eligibility's data as JSON, for
// checks outside Go (make deploy-local-org verifies the deployed
// eligible-services SCP against it):
//
//	go run ./internal/tools/eligibility
package main

import (
	"encoding/json"
	"os"

	"github.com/healthstack-oss/hipaa-baseline/internal/eligibility"
)

func main() {
	var prefixes []string
	for _, s := range eligibility.Eligible {
		prefixes = append(prefixes, s.Prefixes...)
	}
	out := map[string]any{
		"eligiblePrefixes": prefixes,
		"allowedActions":   eligibility.AllowedActions(),
		"namespaces":       eligibility.Namespaces(),
		"source":           eligibility.EligibilitySource,
		"readOn":           eligibility.EligibilityReadOn,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		os.Exit(1)
	}
}
