package base

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every resource of every golden template: its key is the logical ID
// aws-cdk-lib allocated, its aws:cdk:path the construct path it came from.
func TestLogicalIDMatchesEveryGoldenResource(t *testing.T) {
	files, err := filepath.Glob("../../assertions_test/testdata/golden/*.template.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden templates: %v", err)
	}
	checked, withDefault, topLevel := 0, 0, 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tmpl struct {
			Resources map[string]struct {
				Metadata map[string]interface{}
			}
		}
		if err := json.Unmarshal(raw, &tmpl); err != nil {
			t.Fatal(err)
		}
		for id, r := range tmpl.Resources {
			path, _ := r.Metadata["aws:cdk:path"].(string)
			parts := strings.Split(path, "/")
			if path == "" || len(parts) < 2 {
				continue
			}
			below := parts[1:] // the stack is the first component
			if got := LogicalID(below...); got != id {
				t.Errorf("%s: LogicalID(%q) = %s, want %s", filepath.Base(f), below, got, id)
			}
			checked++
			if strings.Contains(path, "/Default") {
				withDefault++
			}
			if len(below) == 1 {
				topLevel++
			}
		}
	}
	if checked < 500 || withDefault == 0 {
		t.Errorf("checked %d resources (%d with a Default component, %d top-level): too few to prove the scheme", checked, withDefault, topLevel)
	}
}

func TestLogicalIDDropsRepeatsFromTheHumanPart(t *testing.T) {
	got := LogicalID("Bucket", "Bucket", "Resource")
	if !strings.HasPrefix(got, "Bucket") || strings.HasPrefix(got, "BucketBucket") || len(got) != len("Bucket")+logicalIDHashLen {
		t.Errorf("LogicalID(Bucket/Bucket/Resource) = %s: want one Bucket and an 8-character hash", got)
	}
	if LogicalID("My-Stack_Top") != "MyStackTop" {
		t.Errorf("a top-level ID keeps its letters and digits only, got %s", LogicalID("My-Stack_Top"))
	}
}
