package assertions_test

import (
	"fmt"
	"os"
	"path"
	"strings"
	"testing"
)

// readmeSuppressions parses README's suppression table: rows of
// | `rule` | `resource path glob` | reason |, in the "cdk-nag suppressions"
// section up to its first subsection (the re-check's excluded rules, which
// are not suppressions in the app).
func readmeSuppressions(t *testing.T) [][2]string {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## cdk-nag suppressions\n")
	if !ok {
		t.Fatal(`README has no "## cdk-nag suppressions" section`)
	}
	if i := strings.Index(section, "\n#"); i >= 0 {
		section = section[:i]
	}
	var rows [][2]string
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.Contains(cells[1], "HIPAA.Security-") {
			continue
		}
		rows = append(rows, [2]string{strings.Trim(cells[1], " `"), strings.Trim(cells[2], " `")})
	}
	return rows
}

// Every suppression in the app carries a reason and is listed in README with
// its rule and resource; every README row still matches something.
func TestEverySuppressionHasReasonAndReadmeRow(t *testing.T) {
	s := theApp.get(t)
	rows := readmeSuppressions(t)
	used := make([]bool, len(rows))
	total := 0
	for stack, tmpl := range s.templates {
		for id, r := range tmpl["Resources"].(map[string]interface{}) {
			res := r.(map[string]interface{})
			md, _ := res["Metadata"].(map[string]interface{})
			cdkPath := fmt.Sprint(md["aws:cdk:path"])
			for _, sup := range nagSuppressions(res) {
				total++
				rule, reason := sup.rule, sup.reason
				if len(reason) < 30 {
					t.Errorf("%s/%s: suppression of %s has no concrete reason: %q", stack, id, rule, reason)
				}
				listed := false
				for i, row := range rows {
					if ok, _ := path.Match(row[1], cdkPath); ok && row[0] == rule {
						listed, used[i] = true, true
					}
				}
				if !listed {
					t.Errorf("suppression %s on %s is not listed in README's suppression table", rule, cdkPath)
				}
			}
		}
	}
	for i, row := range rows {
		if !used[i] {
			t.Errorf("README lists suppression %s on %s, which no longer exists", row[0], row[1])
		}
	}
	if total == 0 {
		t.Error("no suppression found: the check would pass vacuously")
	}
}
