package evidence

import "sort"

// Resolve follows a template value to the resource it names: Ref,
// Fn::GetAtt, and across stacks Fn::GetStackOutput and Fn::ImportValue
// (through the producing stack's Outputs). It returns nil for literals and
// pseudo parameters.
func (a *Assembly) Resolve(stack string, v interface{}) *Resource {
	return a.resolve(stack, v, 0)
}

func (a *Assembly) resolve(stack string, v interface{}, depth int) *Resource {
	m, ok := v.(map[string]interface{})
	if !ok || len(m) != 1 || depth > 8 {
		return nil
	}
	st := a.Stacks[stack]
	if st == nil {
		return nil
	}
	for fn, arg := range m {
		switch fn {
		case "Ref":
			id, _ := arg.(string)
			return st.Resources[id]
		case "Fn::GetAtt":
			if l, ok := arg.([]interface{}); ok && len(l) > 0 {
				id, _ := l[0].(string)
				return st.Resources[id]
			}
		case "Fn::GetStackOutput":
			o, _ := arg.(map[string]interface{})
			name, _ := o["StackName"].(string)
			out, _ := o["OutputName"].(string)
			return a.output(name, out, depth)
		case "Fn::ImportValue":
			export, _ := arg.(string)
			for _, other := range a.Stacks {
				for out, def := range other.Outputs {
					e, _ := def.(map[string]interface{})["Export"].(map[string]interface{})
					if n, _ := e["Name"].(string); n != "" && n == export {
						return a.output(other.Name, out, depth)
					}
				}
			}
		}
	}
	return nil
}

func (a *Assembly) output(stack, name string, depth int) *Resource {
	st := a.Stacks[stack]
	if st == nil {
		return nil
	}
	def, _ := st.Outputs[name].(map[string]interface{})
	return a.resolve(stack, def["Value"], depth+1)
}

// Refs returns every resource a value references anywhere inside it.
func (a *Assembly) Refs(stack string, v interface{}) []*Resource {
	var out []*Resource
	seen := map[string]bool{}
	var walk func(v interface{})
	walk = func(v interface{}) {
		if r := a.Resolve(stack, v); r != nil {
			if !seen[r.Key()] {
				seen[r.Key()] = true
				out = append(out, r)
			}
			return
		}
		switch t := v.(type) {
		case map[string]interface{}:
			for _, x := range t {
				walk(x)
			}
		case []interface{}:
			for _, x := range t {
				walk(x)
			}
		}
	}
	walk(v)
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// list returns a property as a list (a single value becomes a list of one).
func list(v interface{}) []interface{} {
	switch t := v.(type) {
	case nil:
		return nil
	case []interface{}:
		return t
	default:
		return []interface{}{t}
	}
}
