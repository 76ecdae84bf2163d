package review

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Acknowledgement is a replacement of a stateful resource made on purpose:
// one entry of the reviewed list (assertions_test/testdata/acknowledged-replacements.json).
type Acknowledgement struct {
	Resource string `json:"resource"` // <stack>/<logical id>
	Property string `json:"property"` // the create-only property, "Type" or "LogicalId"
	Reason   string `json:"reason"`   // why losing or migrating the data is intended, and how
}

// LoadAcknowledgements reads the reviewed list; every entry needs a
// resource, a property and a reason.
func LoadAcknowledgements(path string) ([]Acknowledgement, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var acks []Acknowledgement
	if err := json.Unmarshal(raw, &acks); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, a := range acks {
		if !strings.Contains(a.Resource, "/") || a.Property == "" || strings.TrimSpace(a.Reason) == "" {
			return nil, fmt.Errorf("%s: entry %d (%q %q) needs resource <stack>/<logical id>, property and reason", path, i, a.Resource, a.Property)
		}
	}
	return acks, nil
}

// Blocking returns the stateful replacements no acknowledgement covers.
func (res Result) Blocking(acks []Acknowledgement) []Replacement {
	var out []Replacement
	for _, c := range res.Replacements {
		if c.Stateful && !acknowledged(c, acks) {
			out = append(out, c)
		}
	}
	return out
}

func acknowledged(c Replacement, acks []Acknowledgement) bool {
	for _, a := range acks {
		if a.Resource == c.Stack+"/"+c.LogicalID && a.Property == c.Property {
			return true
		}
	}
	return false
}
