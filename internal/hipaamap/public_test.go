package hipaamap

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

type publicMappings struct {
	Read    string `json:"read"`
	Note    string `json:"note"`
	Sources []struct {
		Name      string   `json:"name"`
		Source    string   `json:"source"`
		Commit    string   `json:"commit"`
		Citations []string `json:"citations"`
	} `json:"sources"`
}

// publicCoverage: citation -> names of the public mappings (public.json and
// the cdk-nag pack) that give it at least one automated check.
func publicCoverage(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile("public.json")
	if err != nil {
		t.Fatal(err)
	}
	var pm publicMappings
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pm); err != nil {
		t.Fatal(err)
	}
	valid := map[string]bool{}
	for _, id := range everyCitation {
		valid[id] = true
	}
	cov := map[string][]string{}
	for _, s := range pm.Sources {
		if s.Name == "" || s.Source == "" || len(s.Commit) != 40 || len(s.Citations) == 0 {
			t.Fatalf("public.json: source %q needs name, source, a 40-hex commit and citations", s.Name)
		}
		for _, c := range s.Citations {
			if !valid[c] {
				t.Errorf("public.json: %s: %s is not a citation of 164.308-164.316", s.Name, c)
			}
			cov[c] = appendNew(cov[c], s.Name)
		}
	}
	pack, err := LoadNagPack()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range pack.Rules {
		for _, c := range r.Citations {
			cov[c] = appendNew(cov[c], "cdk-nag")
		}
	}
	return cov
}

// docTableCitations reads the first column of the Markdown table under the
// given heading of docs/hipaa-coverage.md.
func docTableCitations(t *testing.T, doc, heading string) []string {
	t.Helper()
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("docs/hipaa-coverage.md has no heading %q", heading)
	}
	section := doc[i+len(heading)+2:]
	if j := strings.Index(section, "\n#"); j >= 0 {
		section = section[:j]
	}
	var ids []string
	for _, m := range regexp.MustCompile("(?m)^\\| `(164\\.[^`]+)` \\|").FindAllStringSubmatch(section, -1) {
		ids = append(ids, m[1])
	}
	sort.Strings(ids)
	return ids
}

// TestPublicMappingDifferencesAreExplained: the citations that a public
// mapping checks but specs.json leaves to the customer (or AWS), and those
// specs.json gives the library but no public mapping checks, are exactly the
// rows of the two tables in docs/hipaa-coverage.md. A change to the map,
// public.json or the cdk-nag pack that moves a citation fails here until the
// doc says why.
func TestPublicMappingDifferencesAreExplained(t *testing.T) {
	cov := publicCoverage(t)
	var notOurs, onlyOurs []string
	for _, s := range load(t).Specs {
		switch {
		case s.Party != PartyLibrary && len(cov[s.ID]) > 0:
			notOurs = append(notOurs, s.ID)
		case s.Party == PartyLibrary && len(cov[s.ID]) == 0:
			onlyOurs = append(onlyOurs, s.ID)
		}
	}
	sort.Strings(notOurs)
	sort.Strings(onlyOurs)
	raw, err := os.ReadFile("../../docs/hipaa-coverage.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for heading, want := range map[string][]string{
		"## Checked by public mappings, left to the customer here":  notOurs,
		"## Addressed by the library, checked by no public mapping": onlyOurs,
	} {
		got := docTableCitations(t, doc, heading)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("docs/hipaa-coverage.md %q lists\n  %v\nthe map and public mappings give\n  %v", heading, got, want)
		}
	}
	for _, id := range notOurs {
		t.Logf("%s: checked by %s; specs.json leaves it to the customer", id, strings.Join(cov[id], ", "))
	}
}
