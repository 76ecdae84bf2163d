package base

// UnwrapMaps removes the {"$jsii.map": ...} wrappers jsii leaves around Go
// maps that went through the kernel and came back (Resolve, RenderProperties)
// where the type is any, e.g. a WAF rule's OverrideAction None. Passed on as
// they are (ToJsonString), they would reach the template as a "$jsii.map" key.
func UnwrapMaps(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		if inner, ok := t["$jsii.map"]; ok && len(t) == 1 {
			return UnwrapMaps(inner)
		}
		out := map[string]interface{}{}
		for k, e := range t {
			out[k] = UnwrapMaps(e)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			out[i] = UnwrapMaps(e)
		}
		return out
	}
	return v
}
