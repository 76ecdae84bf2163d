// Package hipaamap is the HIPAA Security Rule map kept as data (specs.json):
// every standard and implementation specification of 45 CFR 164.308-164.316,
// who addresses it (AWS, this library or the customer) and, for the library's
// share, the controls that implement it and the checks that verify them.
package hipaamap

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed specs.json
var specsJSON []byte

// Parties that address a specification.
const (
	PartyAWS      = "aws"
	PartyLibrary  = "library"
	PartyCustomer = "customer"
)

// Spec is one standard or implementation specification.
type Spec struct {
	ID       string   `json:"id"`    // citation, e.g. 164.312(a)(2)(iv)
	Kind     string   `json:"kind"`  // standard or specification
	Req      string   `json:"req"`   // Required or Addressable
	Party    string   `json:"party"` // aws, library or customer
	Title    string   `json:"title"` // paraphrased
	Note     string   `json:"note,omitempty"`
	Controls []string `json:"controls,omitempty"` // control IDs, library only
}

// Section is the section of the citation: 164.308, 164.310, ...
func (s Spec) Section() string {
	if i := strings.IndexByte(s.ID, '('); i > 0 {
		return s.ID[:i]
	}
	return s.ID
}

// Control is one setting of a construct, found in the templates as a
// property of a resource type.
type Control struct {
	ID        string   `json:"id"`
	Construct string   `json:"construct"`
	Setting   string   `json:"setting"`
	Stack     string   `json:"stack"` // stack kind (network, data, ...); empty: any
	Types     []string `json:"types"`
	// Property is a '/'-separated path into the resource's Properties; '|'
	// separates alternatives. A path step into a list applies to each element.
	Property string `json:"property"`
	// Exactly one expectation: Equals (JSON value), Exists (present and not
	// false, empty or zero) or AtLeast (a number; PhiAtLeast where PHI is held).
	Equals     interface{} `json:"equals,omitempty"`
	Exists     bool        `json:"exists,omitempty"`
	AtLeast    float64     `json:"atLeast,omitempty"`
	PhiAtLeast float64     `json:"phiAtLeast,omitempty"`
	// All: every resource of the types must have the setting (else one is enough).
	All    bool   `json:"all,omitempty"`
	Checks Checks `json:"checks"`
}

// Checks verify a control.
type Checks struct {
	Nag         []string `json:"nag,omitempty"`         // cdk-nag HIPAA.Security rule IDs (nag-hipaa-rules.json)
	Config      []string `json:"config,omitempty"`      // AWS Config managed rule source identifiers
	Tests       []string `json:"tests,omitempty"`       // Go test names in this repository
	DeployLocal []string `json:"deployLocal,omitempty"` // make deploy-local check names (scripts/emulator/verify.py)
}

// Map is the whole map.
type Map struct {
	Source   string    `json:"source"`
	Specs    []Spec    `json:"specs"`
	Controls []Control `json:"controls"`
	byID     map[string]*Control
}

// Control returns the control with the given ID.
func (m *Map) Control(id string) (*Control, bool) {
	c, ok := m.byID[id]
	return c, ok
}

// Load parses the embedded map and checks its internal consistency.
func Load() (*Map, error) { return Parse(specsJSON) }

// Parse parses and validates a map. Every cdk-nag rule ID it names must be a
// rule of the HIPAA Security pack of the pinned cdk-nag (nag-hipaa-rules.json).
func Parse(raw []byte) (*Map, error) {
	pack, err := LoadNagPack()
	if err != nil {
		return nil, err
	}
	return parse(raw, pack)
}

func parse(raw []byte, pack *NagPack) (*Map, error) {
	var m Map
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("hipaamap: %w", err)
	}
	m.byID = map[string]*Control{}
	for i := range m.Controls {
		c := &m.Controls[i]
		if _, dup := m.byID[c.ID]; dup {
			return nil, fmt.Errorf("hipaamap: control %s defined twice", c.ID)
		}
		if err := c.validate(); err != nil {
			return nil, err
		}
		for _, n := range c.Checks.Nag {
			if _, ok := pack.Rule(n); !ok {
				return nil, fmt.Errorf("hipaamap: control %s: %s is not a rule of cdk-nag's %s pack (cdk-nag %s)", c.ID, n, pack.Pack, pack.Version)
			}
		}
		m.byID[c.ID] = c
	}
	seen := map[string]bool{}
	used := map[string]bool{}
	for _, s := range m.Specs {
		if seen[s.ID] {
			return nil, fmt.Errorf("hipaamap: %s listed twice", s.ID)
		}
		seen[s.ID] = true
		if err := s.validate(); err != nil {
			return nil, err
		}
		for _, id := range s.Controls {
			if _, ok := m.byID[id]; !ok {
				return nil, fmt.Errorf("hipaamap: %s names unknown control %s", s.ID, id)
			}
			used[id] = true
		}
	}
	for _, c := range m.Controls {
		if !used[c.ID] {
			return nil, fmt.Errorf("hipaamap: control %s implements no specification", c.ID)
		}
	}
	return &m, nil
}

func (s Spec) validate() error {
	bad := func(p string) error { return fmt.Errorf("hipaamap: %s: %s", s.ID, p) }
	switch {
	case s.Kind != "standard" && s.Kind != "specification":
		return bad("kind must be standard or specification")
	case s.Req != "Required" && s.Req != "Addressable":
		return bad("req must be Required or Addressable")
	case s.Kind == "standard" && s.Req != "Required":
		return bad("a standard is Required")
	case s.Title == "":
		return bad("no title")
	case s.Party == PartyLibrary && len(s.Controls) == 0:
		return bad("addressed by the library but names no control")
	case s.Party != PartyLibrary && len(s.Controls) > 0:
		return bad("only library-addressed specifications name controls")
	case s.Party != PartyLibrary && s.Party != PartyAWS && s.Party != PartyCustomer:
		return bad("party must be aws, library or customer")
	}
	return nil
}

func (c Control) validate() error {
	bad := func(p string) error { return fmt.Errorf("hipaamap: control %s: %s", c.ID, p) }
	n := 0
	if c.Equals != nil {
		n++
	}
	if c.Exists {
		n++
	}
	if c.AtLeast > 0 || c.PhiAtLeast > 0 {
		n++
	}
	switch {
	case n != 1:
		return bad("needs exactly one of equals, exists, atLeast")
	case len(c.Types) == 0 || c.Property == "" || c.Construct == "" || c.Setting == "":
		return bad("needs types, property, construct and setting")
	case len(c.Checks.Nag)+len(c.Checks.Config)+len(c.Checks.Tests)+len(c.Checks.DeployLocal) == 0:
		return bad("names no check")
	}
	return nil
}
