package assertions_test

import (
	"encoding/json"
	"os"
	"sort"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/internal/review"
)

// statefulTypes hold data that a replacement would destroy: one list with the
// replacement review's.
var statefulTypes = review.StatefulTypes

// statefulFile records, per stack, the logical ID and type of every stateful
// resource ever released. `make golden` adds new ones; nothing removes them
// but a deliberate hand edit.
const statefulFile = "testdata/stateful-resources.json"

type statefulRecord map[string]map[string]string // stack -> logical ID -> type

func currentStateful(s *synthesized) statefulRecord {
	out := statefulRecord{}
	for stack, tmpl := range s.templates {
		for id, r := range tmpl["Resources"].(map[string]interface{}) {
			typ, _ := r.(map[string]interface{})["Type"].(string)
			if _, ok := statefulTypes[typ]; ok {
				if out[stack] == nil {
					out[stack] = map[string]string{}
				}
				out[stack][id] = typ
			}
		}
	}
	return out
}

// A stateful resource whose logical ID changes is replaced by CloudFormation:
// a new, empty database, key or bucket. This test makes that visible.
func TestStatefulResourcesKeepTheirLogicalIds(t *testing.T) {
	s := theApp.get(t)
	current := currentStateful(s)
	recorded := statefulRecord{}
	if raw, err := os.ReadFile(statefulFile); err == nil {
		if err := json.Unmarshal(raw, &recorded); err != nil {
			t.Fatal(err)
		}
	} else if !*update {
		t.Fatalf("%s missing: run `make golden` to record the stateful resources", statefulFile)
	}
	for stack, ids := range recorded {
		for id, typ := range ids {
			if got, ok := current[stack][id]; !ok || got != typ {
				t.Errorf("%s: stateful resource %s (%s) is gone or changed type: deploying this would REPLACE it and lose its data. "+
					"Keep its construct ID stable; if removing it is intended, delete it from %s by hand.", stack, id, typ, statefulFile)
			}
		}
	}
	var added []string
	for stack, ids := range current {
		for id, typ := range ids {
			if _, ok := recorded[stack][id]; ok {
				continue
			}
			if !*update {
				t.Errorf("%s: new stateful resource %s (%s) is not recorded; run `make golden` and commit %s", stack, id, typ, statefulFile)
				continue
			}
			if recorded[stack] == nil {
				recorded[stack] = map[string]string{}
			}
			recorded[stack][id] = typ
			added = append(added, stack+"/"+id)
		}
	}
	if *update && len(added) > 0 {
		sort.Strings(added)
		raw, _ := json.MarshalIndent(recorded, "", "  ")
		if err := os.WriteFile(statefulFile, append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %d new stateful resource(s): %v", len(added), added)
	}
}

// Every stateful resource survives stack deletion and replacement.
func TestStatefulResourcesAreRetained(t *testing.T) {
	s := theApp.get(t)
	count := 0
	for stack, tmpl := range s.templates {
		for id, r := range tmpl["Resources"].(map[string]interface{}) {
			res := r.(map[string]interface{})
			if _, ok := statefulTypes[res["Type"].(string)]; !ok {
				continue
			}
			if props(res)["DBClusterIdentifier"] != nil {
				// An Aurora member instance stores nothing: the cluster owns
				// the storage and carries the Snapshot policy (checked too).
				continue
			}
			count++
			for _, policy := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
				if v := res[policy]; v != "Retain" && v != "Snapshot" {
					t.Errorf("%s/%s (%s): %s is %v, want Retain or Snapshot", stack, id, res["Type"], policy, v)
				}
			}
		}
	}
	if count == 0 {
		t.Error("no stateful resource found: the check would pass vacuously")
	}
}
