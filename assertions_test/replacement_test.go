package assertions_test

import (
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/internal/review"
)

// acknowledgedFile is the reviewed list of stateful replacements made on
// purpose, each with its reason.
const acknowledgedFile = "testdata/acknowledged-replacements.json"

// reviewAgainstGoldens compares the app's templates with the goldens.
func reviewAgainstGoldens(t *testing.T) (review.Result, []review.Acknowledgement) {
	t.Helper()
	old, err := review.LoadTemplates(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := review.LoadLedger(statefulFile)
	if err != nil {
		t.Fatal(err)
	}
	acks, err := review.LoadAcknowledgements(acknowledgedFile)
	if err != nil {
		t.Fatal(err)
	}
	return review.Compare(old, review.Templates(theApp.get(t).templates), ledger), acks
}

// requireNoBlockingReplacement fails with one REPLACES line per stateful
// resource the change would replace without an acknowledgement.
func requireNoBlockingReplacement(t *testing.T, res review.Result, acks []review.Acknowledgement) {
	t.Helper()
	if blocking := res.Blocking(acks); len(blocking) > 0 {
		var lines []string
		for _, c := range blocking {
			lines = append(lines, c.String())
		}
		t.Fatalf("deploying this would replace %d stateful resource(s) and lose their data:\n%s\n"+
			"Avoid the change, or acknowledge each in %s with a reason (README: Reviewing infrastructure changes).",
			len(blocking), strings.Join(lines, "\n"), acknowledgedFile)
	}
}

// A change that replaces a stateful resource (a create-only property,
// directly, through a replaced referent or another stack's changed output)
// fails unless it is acknowledged.
func TestNoUnacknowledgedStatefulReplacement(t *testing.T) {
	res, acks := reviewAgainstGoldens(t)
	requireNoBlockingReplacement(t, res, acks)
	if report := res.Report(acks); report != "" {
		t.Logf("replacement review against the goldens:\n%s", report)
	}
}

// Every AWS type the app uses has its create-only properties in the table,
// so no replacement goes unseen; regenerate with `make createonly`.
func TestCreateOnlyTableCoversEveryType(t *testing.T) {
	table := review.CreateOnly().Types
	for stack, tmpl := range theApp.get(t).templates {
		for id, r := range tmpl["Resources"].(map[string]interface{}) {
			typ := r.(map[string]interface{})["Type"].(string)
			if _, ok := table[typ]; !ok && strings.HasPrefix(typ, "AWS::") {
				t.Errorf("%s/%s: type %s is not in internal/review/createonly.json; run `make createonly` and commit it", stack, id, typ)
			}
		}
	}
}
