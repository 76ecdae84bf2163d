package hipaamap

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// nag-hipaa-rules.json is generated from the cdk-nag JavaScript bundle that
// the pinned cdk-nag-go module embeds (go generate; see nagpack_test.go). It
// lets the map's cdk-nag rule IDs be checked without starting jsii.
//
//go:generate go test -run TestNagPackListMatchesPinnedModule -update-nag-pack .
//go:embed nag-hipaa-rules.json
var nagPackJSON []byte

// NagRule is one rule of the cdk-nag HIPAA Security pack.
type NagRule struct {
	ID string `json:"id"` // HIPAA.Security-<rule name>
	// Citations are the 45 CFR 164 control IDs that the pack's rule info
	// names (cdk-nag's own mapping, not ours).
	Citations []string `json:"citations"`
}

// NagPack is the rule list of cdk-nag's HIPAA Security pack at one version.
type NagPack struct {
	Source  string    `json:"source"`
	Module  string    `json:"module"`
	Version string    `json:"version"`
	File    string    `json:"file"`
	Pack    string    `json:"pack"`
	Rules   []NagRule `json:"rules"`
	byID    map[string]*NagRule
}

// Rule returns the pack's rule with the given ID (HIPAA.Security-...).
func (p *NagPack) Rule(id string) (*NagRule, bool) {
	r, ok := p.byID[id]
	return r, ok
}

// LoadNagPack parses the embedded rule list.
func LoadNagPack() (*NagPack, error) { return parseNagPack(nagPackJSON) }

func parseNagPack(raw []byte) (*NagPack, error) {
	var p NagPack
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("hipaamap: nag-hipaa-rules.json: %w", err)
	}
	if len(p.Rules) == 0 {
		return nil, fmt.Errorf("hipaamap: nag-hipaa-rules.json lists no rule")
	}
	p.byID = map[string]*NagRule{}
	for i := range p.Rules {
		p.byID[p.Rules[i].ID] = &p.Rules[i]
	}
	return &p, nil
}
