package hipaamap

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
)

// everyCitation is 45 CFR 164.308-164.316: each standard and implementation
// specification, as the regulation numbers them.
var everyCitation = strings.Fields(`
164.308(a)(1)(i) 164.308(a)(1)(ii)(A) 164.308(a)(1)(ii)(B) 164.308(a)(1)(ii)(C) 164.308(a)(1)(ii)(D)
164.308(a)(2) 164.308(a)(3)(i) 164.308(a)(3)(ii)(A) 164.308(a)(3)(ii)(B) 164.308(a)(3)(ii)(C)
164.308(a)(4)(i) 164.308(a)(4)(ii)(A) 164.308(a)(4)(ii)(B) 164.308(a)(4)(ii)(C)
164.308(a)(5)(i) 164.308(a)(5)(ii)(A) 164.308(a)(5)(ii)(B) 164.308(a)(5)(ii)(C) 164.308(a)(5)(ii)(D)
164.308(a)(6)(i) 164.308(a)(6)(ii) 164.308(a)(7)(i) 164.308(a)(7)(ii)(A) 164.308(a)(7)(ii)(B)
164.308(a)(7)(ii)(C) 164.308(a)(7)(ii)(D) 164.308(a)(7)(ii)(E) 164.308(a)(8) 164.308(b)(1) 164.308(b)(3)
164.310(a)(1) 164.310(a)(2)(i) 164.310(a)(2)(ii) 164.310(a)(2)(iii) 164.310(a)(2)(iv) 164.310(b) 164.310(c)
164.310(d)(1) 164.310(d)(2)(i) 164.310(d)(2)(ii) 164.310(d)(2)(iii) 164.310(d)(2)(iv)
164.312(a)(1) 164.312(a)(2)(i) 164.312(a)(2)(ii) 164.312(a)(2)(iii) 164.312(a)(2)(iv) 164.312(b)
164.312(c)(1) 164.312(c)(2) 164.312(d) 164.312(e)(1) 164.312(e)(2)(i) 164.312(e)(2)(ii)
164.314(a)(1) 164.314(a)(2)(i) 164.314(a)(2)(ii) 164.314(a)(2)(iii) 164.314(b)(1) 164.314(b)(2)
164.316(a) 164.316(b)(1) 164.316(b)(2)(i) 164.316(b)(2)(ii) 164.316(b)(2)(iii)`)

func load(t *testing.T) *Map {
	t.Helper()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMapHasEveryStandardAndSpecification(t *testing.T) {
	m := load(t)
	have := map[string]bool{}
	for _, s := range m.Specs {
		have[s.ID] = true
	}
	for _, id := range everyCitation {
		if !have[id] {
			t.Errorf("%s is missing from specs.json", id)
		}
		delete(have, id)
	}
	for id := range have {
		t.Errorf("%s in specs.json is not a citation of 164.308-164.316", id)
	}
}

func TestMapPhysicalSafeguardsAreMostlyAWS(t *testing.T) {
	aws := 0
	for _, s := range load(t).Specs {
		if s.Section() == "164.310" && s.Party == PartyAWS {
			aws++
		}
		if (s.Section() == "164.314" || s.ID == "164.316(a)") && s.Party != PartyCustomer {
			t.Errorf("%s: organizational requirements and policies are the customer's, got %s", s.ID, s.Party)
		}
	}
	if aws < 8 {
		t.Errorf("only %d of 164.310 are AWS's (shared responsibility)", aws)
	}
}

func TestParseRefusesInconsistentMaps(t *testing.T) {
	ctl := `{"id":"c","construct":"X","setting":"s","types":["AWS::S3::Bucket"],"property":"P","exists":true,"checks":{"tests":["TestX"]}}`
	spec := func(party, controls string) string {
		return `{"id":"164.312(b)","kind":"standard","req":"Required","party":"` + party + `","title":"t"` + controls + `}`
	}
	for name, tc := range map[string]struct {
		raw, want string
	}{
		"ok":                      {`{"specs":[` + spec("library", `,"controls":["c"]`) + `],"controls":[` + ctl + `]}`, ""},
		"unknown control":         {`{"specs":[` + spec("library", `,"controls":["nope"]`) + `],"controls":[` + ctl + `]}`, "unknown control nope"},
		"library without control": {`{"specs":[` + spec("library", ``) + `],"controls":[]}`, "names no control"},
		"customer with control":   {`{"specs":[` + spec("customer", `,"controls":["c"]`) + `],"controls":[` + ctl + `]}`, "only library-addressed"},
		"unused control":          {`{"specs":[` + spec("aws", ``) + `],"controls":[` + ctl + `]}`, "implements no specification"},
		"bad party":               {`{"specs":[` + spec("vendor", ``) + `]}`, "party must be"},
		"addressable standard":    {`{"specs":[{"id":"x","kind":"standard","req":"Addressable","party":"aws","title":"t"}]}`, "a standard is Required"},
		"unknown field":           {`{"specs":[],"extra":1}`, "unknown field"},
		"two expectations": {`{"specs":[` + spec("library", `,"controls":["c"]`) + `],"controls":[` +
			strings.Replace(ctl, `"exists":true`, `"exists":true,"equals":1`, 1) + `]}`, "exactly one of"},
		"known nag rule": {`{"specs":[` + spec("library", `,"controls":["c"]`) + `],"controls":[` +
			strings.Replace(ctl, `{"tests":["TestX"]}`, `{"nag":["HIPAA.Security-EC2RestrictedSSH"]}`, 1) + `]}`, ""},
		"unknown nag rule": {`{"specs":[` + spec("library", `,"controls":["c"]`) + `],"controls":[` +
			strings.Replace(ctl, `{"tests":["TestX"]}`, `{"nag":["HIPAA.Security-EC2NoSuchRule"]}`, 1) + `]}`, "HIPAA.Security-EC2NoSuchRule is not a rule of cdk-nag's HIPAA.Security pack (cdk-nag v2.38.2)"},
		"nag rule of another pack": {`{"specs":[` + spec("library", `,"controls":["c"]`) + `],"controls":[` +
			strings.Replace(ctl, `{"tests":["TestX"]}`, `{"nag":["AwsSolutions-EC23"]}`, 1) + `]}`, "AwsSolutions-EC23 is not a rule of"},
		"no check": {`{"specs":[` + spec("library", `,"controls":["c"]`) + `],"controls":[` +
			strings.Replace(ctl, `{"tests":["TestX"]}`, `{}`, 1) + `]}`, "names no check"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.raw))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestEveryNamedCheckExists: cdk-nag rule IDs are rules of the pinned
// cdk-nag's HIPAA Security pack (nag-hipaa-rules.json, also enforced by
// Parse), Config rules are deployed by the audit stack, Go tests exist in
// this repository, deploy-local checks exist in verify.py.
func TestEveryNamedCheckExists(t *testing.T) {
	m := load(t)
	pack, err := LoadNagPack()
	if err != nil {
		t.Fatal(err)
	}
	config := map[string]bool{}
	for _, r := range audittrail.ConfigRules() {
		config[r.SourceIdentifier] = true
	}
	tests := repoTestNames(t)
	verify, err := os.ReadFile("../../scripts/emulator/verify.py")
	if err != nil {
		t.Fatal(err)
	}
	deployLocal := map[string]bool{}
	for _, mm := range regexp.MustCompile(`@check\("([^"]+)"`).FindAllSubmatch(verify, -1) {
		deployLocal[string(mm[1])] = true
	}
	for _, c := range m.Controls {
		for _, n := range c.Checks.Nag {
			if _, ok := pack.Rule(n); !ok {
				t.Errorf("control %s: nag rule %s is not in cdk-nag %s's HIPAA.Security pack (nag-hipaa-rules.json)", c.ID, n, pack.Version)
			}
		}
		for _, n := range c.Checks.Config {
			if !config[n] {
				t.Errorf("control %s: Config rule %s is not deployed (constructs/audittrail/configrules.go)", c.ID, n)
			}
		}
		for _, n := range c.Checks.Tests {
			if !tests[n] {
				t.Errorf("control %s: no Go test %s in the repository", c.ID, n)
			}
		}
		for _, n := range c.Checks.DeployLocal {
			if !deployLocal[n] {
				t.Errorf("control %s: no deploy-local check %q in verify.py", c.ID, n)
			}
		}
	}
}

func repoTestNames(t *testing.T) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
	names := map[string]bool{}
	err := filepath.WalkDir("../..", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "cdk.out" || strings.HasPrefix(d.Name(), ".")) && p != "../.." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, "_test.go") {
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, mm := range re.FindAllSubmatch(raw, -1) {
				names[string(mm[1])] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}
