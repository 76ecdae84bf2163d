package base

import (
	"encoding/json"
	"testing"
)

func TestUnwrapMapsRemovesNestedWrappersOnly(t *testing.T) {
	var in interface{}
	raw := `[{"OverrideAction":{"None":{"$jsii.map":{"$jsii.map":{"$jsii.map":{}}}}},"Priority":0,
		"Keep":{"$jsii.map":{"a":1},"other":2}}]`
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(UnwrapMaps(in))
	// a map with another key besides "$jsii.map" is not a wrapper: kept
	want := `[{"Keep":{"$jsii.map":{"a":1},"other":2},"OverrideAction":{"None":{}},"Priority":0}]`
	if string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
