// Package review finds the changes between two sets of templates (the
// goldens and a new synth) that make CloudFormation replace a resource, and
// blocks those that would lose data: a stateful resource (by type, or in the
// stateful ledger) whose create-only property changes, directly, through a
// replaced resource it refers to, or through another stack's output that
// changes (Fn::GetStackOutput, Fn::ImportValue), unless the replacement is
// acknowledged in a reviewed list.
package review

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

// Templates are CloudFormation templates by stack name.
type Templates map[string]map[string]interface{}

// Ledger is the stateful ledger: stack -> logical ID -> type.
type Ledger map[string]map[string]string

// Replacement is one resource CloudFormation would replace.
type Replacement struct {
	Stack, LogicalID, Type string
	// Property is the create-only property that changes ("Type" when the
	// type changes, "LogicalId" when a stateful resource's logical ID is gone).
	Property string
	// Cause is why the property's value changes when its text does not: the
	// replaced resource it refers to or the other stack's output it takes.
	Cause    string
	Stateful bool
	network  bool
}

// Take is a resource that takes another stack's output that changes.
type Take struct {
	Output, Why      string // producer/output, and why it changes
	Stack, LogicalID string
	Type, Property   string
	Replaces         bool // the property is create-only for the taker
}

// Result is what a comparison found.
type Result struct {
	Replacements []Replacement // every replaced resource, stateful or not
	Takes        []Take        // cross-stack consumers of changed outputs
}

// String is the report line of a replacement.
func (c Replacement) String() string {
	s := fmt.Sprintf("REPLACES %s/%s (%s): %s changes", c.Stack, c.LogicalID, c.Type, c.Property)
	if c.Property == "LogicalId" {
		s = fmt.Sprintf("REPLACES %s/%s (%s): its logical ID is gone (renamed or removed)", c.Stack, c.LogicalID, c.Type)
	}
	if c.Cause != "" {
		s += " because it " + c.Cause
	}
	if c.Stateful {
		s += ". Data loss: " + consequence(c.Type)
	}
	return s
}

type run struct {
	old, cur Templates
	ledger   Ledger
	replaced map[string]Replacement // stack/id
	moved    map[string]reason      // stack/id of placement resources whose members move
	outputs  map[string]reason      // stack/output whose value changes
	exports  map[string]string      // export name -> stack/output (new templates)
}

// Compare finds what deploying cur over old replaces. Stacks only in one set
// are created or deleted, not replaced, and are left to the diff.
func Compare(old, cur Templates, ledger Ledger) Result {
	r := &run{old: normalize(old), cur: normalize(cur), ledger: ledger,
		replaced: map[string]Replacement{}, moved: map[string]reason{}, outputs: map[string]reason{}, exports: map[string]string{}}
	for stack, t := range r.cur {
		for name, o := range section(t, "Outputs") {
			if exp, ok := o["Export"].(map[string]interface{}); ok {
				if n, ok := exp["Name"].(string); ok {
					r.exports[n] = stack + "/" + name
				}
			}
		}
	}
	for size := -1; size != len(r.replaced)+len(r.moved)+len(r.outputs); {
		size = len(r.replaced) + len(r.moved) + len(r.outputs)
		for _, stack := range sortedKeys(r.cur) {
			if _, ok := r.old[stack]; ok {
				r.resources(stack)
				r.changedOutputs(stack)
			}
		}
	}
	r.removed()
	return Result{Replacements: r.sortedReplacements(), Takes: r.takes()}
}

// resources marks the stack's replaced and moved resources.
func (r *run) resources(stack string) {
	oldRes := section(r.old[stack], "Resources")
	for _, id := range sortedKeys(section(r.cur[stack], "Resources")) {
		res := section(r.cur[stack], "Resources")[id]
		before, ok := oldRes[id]
		key := stack + "/" + id
		if !ok {
			continue
		}
		typ, _ := res["Type"].(string)
		if _, done := r.replaced[key]; done {
			continue
		}
		if was, _ := before["Type"].(string); was != typ {
			r.mark(stack, id, typ, "Type", reason{})
			continue
		}
		props, oldProps := asMap(res["Properties"]), asMap(before["Properties"])
		for _, p := range sortedKeys(union(props, oldProps)) {
			why, changed := r.change(stack, oldProps[p], props[p])
			if !changed {
				continue
			}
			if ReplacesOnChange(typ, p) || (why.network && movesWith(typ, p)) {
				r.mark(stack, id, typ, p, why)
				break
			}
			if placement(typ, p) && (why.network || dropsElement(oldProps[p], props[p])) {
				if _, done := r.moved[key]; !done {
					text := fmt.Sprintf("uses %s (%s), whose %s change", key, typ, p)
					if why.text != "" {
						text += " (" + why.text + ")"
					}
					r.moved[key] = reason{text, true}
				}
			}
		}
	}
}

// change reports whether a property's value changes: its text, or what it
// refers to. A text change has an empty reason.
func (r *run) change(stack string, before, after interface{}) (reason, bool) {
	if !reflect.DeepEqual(before, after) {
		if why, ok := r.taint(stack, after); ok {
			return why, true
		}
		return reason{}, true
	}
	return r.taint(stack, after)
}

func (r *run) mark(stack, id, typ, prop string, why reason) {
	_, inLedger := r.ledger[stack][id]
	_, byType := StatefulTypes[typ]
	r.replaced[stack+"/"+id] = Replacement{Stack: stack, LogicalID: id, Type: typ, Property: prop,
		Cause: why.text, Stateful: inLedger || byType, network: why.network || typ == "AWS::EC2::VPC" || typ == "AWS::EC2::Subnet"}
}

// changedOutputs marks the stack's outputs whose value changes.
func (r *run) changedOutputs(stack string) {
	oldOut := section(r.old[stack], "Outputs")
	for name, o := range section(r.cur[stack], "Outputs") {
		key := stack + "/" + name
		if _, done := r.outputs[key]; done {
			continue
		}
		before, ok := oldOut[name]
		if !ok {
			continue
		}
		if why, changed := r.change(stack, before["Value"], o["Value"]); changed {
			if why.text == "" {
				why.text = "its value changes"
			}
			r.outputs[key] = why
		}
	}
}

// removed marks stateful resources whose logical ID is gone from a stack
// that still exists.
func (r *run) removed() {
	for stack, t := range r.old {
		cur, ok := r.cur[stack]
		if !ok {
			continue
		}
		now := section(cur, "Resources")
		for id, res := range section(t, "Resources") {
			if _, ok := now[id]; ok {
				continue
			}
			typ, _ := res["Type"].(string)
			_, inLedger := r.ledger[stack][id]
			if _, byType := StatefulTypes[typ]; byType || inLedger {
				r.replaced[stack+"/"+id] = Replacement{Stack: stack, LogicalID: id, Type: typ, Property: "LogicalId", Stateful: true}
			}
		}
	}
}

// takes lists the resources that take a changed output of another stack.
func (r *run) takes() []Take {
	var out []Take
	for _, stack := range sortedKeys(r.cur) {
		if _, ok := r.old[stack]; !ok {
			continue
		}
		for _, id := range sortedKeys(section(r.cur[stack], "Resources")) {
			res := section(r.cur[stack], "Resources")[id]
			typ, _ := res["Type"].(string)
			props := asMap(res["Properties"])
			for _, p := range sortedKeys(props) {
				for _, o := range crossRefs(props[p], r.exports) {
					if why, ok := r.outputs[o]; ok {
						out = append(out, Take{Output: o, Why: why.text, Stack: stack, LogicalID: id, Type: typ, Property: p,
							Replaces: ReplacesOnChange(typ, p) || (why.network && movesWith(typ, p))})
					}
				}
			}
		}
	}
	return out
}

func (r *run) sortedReplacements() []Replacement {
	var out []Replacement
	for _, k := range sortedKeys(r.replaced) {
		out = append(out, r.replaced[k])
	}
	return out
}

// normalize gives both template sets the same JSON value types.
func normalize(ts Templates) Templates {
	raw, err := json.Marshal(ts)
	if err != nil {
		panic(err)
	}
	var out Templates
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(err)
	}
	return out
}

func section(t map[string]interface{}, name string) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	for k, v := range asMap(t[name]) {
		if m, ok := v.(map[string]interface{}); ok {
			out[k] = m
		}
	}
	return out
}

func asMap(v interface{}) map[string]interface{} {
	m, _ := v.(map[string]interface{})
	return m
}

func union(a, b map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
