package evidence

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/internal/hipaamap"
)

// Statuses of a specification in one environment.
const (
	StatusVerified     = "implemented and verified"
	StatusUnverifiable = "implemented, not verifiable from templates"
	StatusMissing      = "NOT IMPLEMENTED in the templates"
	StatusRelaxed      = "relaxed (environment holds no PHI)"
	StatusCustomer     = "customer responsibility"
	StatusAWS          = "AWS responsibility (shared responsibility)"
)

// Finding is one resource a control was looked for on, with the value of the
// property that matters.
type Finding struct {
	Resource *Resource
	Value    string
	Met      bool
}

// Suppression is a cdk_nag suppression in a resource's template metadata.
type Suppression struct {
	Resource     *Resource
	Rule, Reason string
}

// ControlResult is one control evaluated on one environment's templates.
type ControlResult struct {
	Control      *hipaamap.Control
	Findings     []Finding
	Nag          []NagRow // verdicts of the control's nag rules on its resources
	Config       map[string]bool
	Suppressions []Suppression
	Implemented  bool
	Verified     bool // a nag rule found a resource Compliant
}

// SpecResult is one specification's status in one environment.
type SpecResult struct {
	Spec     hipaamap.Spec
	Status   string
	Controls []ControlResult
}

// Evaluate computes every specification's status in env. holdsPhi selects the
// stricter thresholds (phiAtLeast); useNag false ignores the cdk-nag reports
// (comparing with goldens, which have none).
func (a *Assembly) Evaluate(m *hipaamap.Map, env string, holdsPhi, useNag bool) []SpecResult {
	var out []SpecResult
	for _, s := range m.Specs {
		r := SpecResult{Spec: s}
		switch s.Party {
		case hipaamap.PartyAWS:
			r.Status = StatusAWS
		case hipaamap.PartyCustomer:
			r.Status = StatusCustomer
		default:
			// Verified: cdk-nag found the resources of every control it can
			// check Compliant (controls without a nag rule do not count).
			implemented, verified, checked := true, true, 0
			for _, id := range s.Controls {
				c, _ := m.Control(id)
				cr := a.evalControl(c, env, holdsPhi, useNag)
				implemented = implemented && cr.Implemented
				if len(c.Checks.Nag) > 0 {
					checked++
					verified = verified && cr.Verified
				}
				r.Controls = append(r.Controls, cr)
			}
			verified = verified && checked > 0
			switch {
			case !implemented && !holdsPhi:
				r.Status = StatusRelaxed
			case !implemented:
				r.Status = StatusMissing
			case verified:
				r.Status = StatusVerified
			default:
				r.Status = StatusUnverifiable
			}
		}
		out = append(out, r)
	}
	return out
}

func (a *Assembly) evalControl(c *hipaamap.Control, env string, holdsPhi, useNag bool) ControlResult {
	cr := ControlResult{Control: c, Config: map[string]bool{}}
	cluster := false
	for _, t := range c.Types {
		cluster = cluster || t == "AWS::RDS::DBCluster"
	}
	nagRules := map[string]bool{}
	for _, n := range c.Checks.Nag {
		nagRules[n] = true
	}
	met, unmet := 0, 0
	for _, r := range a.Resources(env, c.Types...) {
		if c.Stack != "" && r.Stack != env+"-"+c.Stack {
			continue
		}
		if cluster && r.Type == "AWS::RDS::DBInstance" && r.Props["DBClusterIdentifier"] != nil {
			continue // an Aurora member: the cluster carries the setting
		}
		f := Finding{Resource: r}
		for _, v := range lookup(r.Props, c.Property) {
			f.Value = show(v)
			if satisfies(c, v, holdsPhi) {
				f.Met = true
				break
			}
		}
		if f.Met {
			met++
		} else {
			unmet++
		}
		cr.Findings = append(cr.Findings, f)
		cr.Suppressions = append(cr.Suppressions, suppressions(r)...)
		if useNag {
			for _, n := range a.NagRows(r) {
				if nagRules[n.Rule] {
					cr.Nag = append(cr.Nag, n)
					cr.Verified = cr.Verified || (f.Met && n.Compliance == "Compliant")
				}
			}
		}
	}
	// A resource without the setting is acceptable only when a nag
	// suppression on it gives the reason.
	unexplained := 0
	for _, f := range cr.Findings {
		if !f.Met && !suppressedFor(cr.Suppressions, f.Resource, nagRules) {
			unexplained++
		}
	}
	cr.Implemented = met > 0 && (!c.All || unexplained == 0)
	for _, id := range c.Checks.Config {
		for _, r := range a.Resources(env, "AWS::Config::ConfigRule") {
			if src, _ := r.Props["Source"].(map[string]interface{}); src != nil && src["SourceIdentifier"] == id {
				cr.Config[id] = true
			}
		}
	}
	return cr
}

func suppressedFor(sups []Suppression, r *Resource, rules map[string]bool) bool {
	for _, s := range sups {
		if s.Resource == r && rules[s.Rule] {
			return true
		}
	}
	return false
}

func suppressions(r *Resource) []Suppression {
	md, _ := r.Metadata["cdk_nag"].(map[string]interface{})
	var out []Suppression
	for _, x := range list(md["rules_to_suppress"]) {
		m, _ := x.(map[string]interface{})
		id, _ := m["id"].(string)
		reason, _ := m["reason"].(string)
		out = append(out, Suppression{Resource: r, Rule: id, Reason: reason})
	}
	return out
}

// lookup returns every value at a '/'-separated path ('|' separates
// alternatives); a step into a list applies to each element.
func lookup(props map[string]interface{}, path string) []interface{} {
	var out []interface{}
	for _, alt := range strings.Split(path, "|") {
		vals := []interface{}{props}
		for _, step := range strings.Split(alt, "/") {
			var next []interface{}
			for _, v := range vals {
				for _, e := range list(v) {
					if m, ok := e.(map[string]interface{}); ok {
						if x, ok := m[step]; ok {
							next = append(next, x)
						}
					}
				}
			}
			vals = next
		}
		out = append(out, vals...)
	}
	return out
}

func satisfies(c *hipaamap.Control, v interface{}, holdsPhi bool) bool {
	switch {
	case c.Equals != nil:
		return reflect.DeepEqual(v, c.Equals) || (fmt.Sprint(v) == fmt.Sprint(c.Equals) && !isObj(v))
	case c.Exists:
		switch t := v.(type) {
		case nil:
			return false
		case bool:
			return t
		case string:
			return t != ""
		case float64:
			return t != 0
		case []interface{}:
			return len(t) > 0
		}
		return true
	default:
		min := c.AtLeast
		if holdsPhi && c.PhiAtLeast > 0 {
			min = c.PhiAtLeast
		}
		n, err := strconv.ParseFloat(fmt.Sprint(v), 64)
		return err == nil && n >= min
	}
}

func isObj(v interface{}) bool {
	_, m := v.(map[string]interface{})
	_, l := v.([]interface{})
	return m || l
}

// show renders a property value compactly for the report.
func show(v interface{}) string {
	if s, ok := v.(string); ok {
		return s
	}
	raw, _ := json.Marshal(v)
	s := string(raw)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
