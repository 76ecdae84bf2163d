package review

import (
	"regexp"
	"strings"
)

// reason is why a value changes: a readable cause, and whether it comes from
// a replaced VPC or subnet (a network move).
type reason struct {
	text    string
	network bool
}

var subRef = regexp.MustCompile(`\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}`)

// taint reports why expr, unchanged in the template, resolves to a new value:
// it refers (Ref, Fn::GetAtt, Fn::Sub) to a resource of its stack that is
// replaced or moved, or takes another stack's output that changes
// (Fn::GetStackOutput, or Fn::ImportValue of an export).
func (r *run) taint(stack string, expr interface{}) (reason, bool) {
	switch v := expr.(type) {
	case []interface{}:
		for _, e := range v {
			if why, ok := r.taint(stack, e); ok {
				return why, true
			}
		}
	case map[string]interface{}:
		if len(v) == 1 {
			for fn, arg := range v {
				if why, ok := r.taintFn(stack, fn, arg); ok {
					return why, true
				}
			}
		}
		for _, e := range v {
			if why, ok := r.taint(stack, e); ok {
				return why, true
			}
		}
	}
	return reason{}, false
}

func (r *run) taintFn(stack, fn string, arg interface{}) (reason, bool) {
	switch fn {
	case "Ref":
		if id, ok := arg.(string); ok {
			return r.resourceChanged(stack, id)
		}
	case "Fn::GetAtt":
		if a, ok := arg.([]interface{}); ok && len(a) > 0 {
			if id, ok := a[0].(string); ok {
				return r.resourceChanged(stack, id)
			}
		}
		if s, ok := arg.(string); ok {
			return r.resourceChanged(stack, strings.SplitN(s, ".", 2)[0])
		}
	case "Fn::Sub":
		s, _ := arg.(string)
		if a, ok := arg.([]interface{}); ok && len(a) > 0 {
			s, _ = a[0].(string)
		}
		for _, m := range subRef.FindAllStringSubmatch(s, -1) {
			if why, ok := r.resourceChanged(stack, m[1]); ok {
				return why, true
			}
		}
	case "Fn::GetStackOutput":
		if m, ok := arg.(map[string]interface{}); ok {
			producer, _ := m["StackName"].(string)
			name, _ := m["OutputName"].(string)
			if why, ok := r.outputs[producer+"/"+name]; ok {
				return reason{"takes " + producer + "'s output " + name + ", which changes: " + why.text, why.network}, true
			}
		}
	case "Fn::ImportValue":
		if name, ok := arg.(string); ok {
			if key, ok := r.exports[name]; ok {
				if why, ok := r.outputs[key]; ok {
					return reason{"imports " + name + " (" + key + "), which changes: " + why.text, why.network}, true
				}
			}
		}
	}
	return reason{}, false
}

func (r *run) resourceChanged(stack, id string) (reason, bool) {
	if c, ok := r.replaced[stack+"/"+id]; ok {
		text := c.Stack + "/" + c.LogicalID + " (" + c.Type + ") is replaced: " + c.Property + " changes"
		if c.Cause != "" {
			text += " (" + c.Cause + ")"
		}
		return reason{text, c.network}, true
	}
	if why, ok := r.moved[stack+"/"+id]; ok {
		return why, true
	}
	return reason{}, false
}
