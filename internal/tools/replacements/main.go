// Command replacements prints the replacement review of a cdk.out against
// the goldens (make diff): every resource CloudFormation would replace, the
// stateful ones as REPLACES lines with their data-loss consequence (BLOCKING
// unless acknowledged), and every resource that takes another stack's
// changed output. `make test` fails on the same BLOCKING lines
// (assertions_test/replacement_test.go); this command only reports, so the
// steps after it in `make diff` still run.
package main

import (
	"fmt"
	"os"

	"github.com/healthstack-oss/hipaa-baseline/internal/review"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: replacements CDK_OUT GOLDEN_DIR LEDGER ACKNOWLEDGED")
		os.Exit(2)
	}
	cur, err := review.LoadTemplates(os.Args[1])
	check(err)
	old, err := review.LoadTemplates(os.Args[2])
	check(err)
	ledger, err := review.LoadLedger(os.Args[3])
	check(err)
	acks, err := review.LoadAcknowledgements(os.Args[4])
	check(err)
	res := review.Compare(old, cur, ledger)
	fmt.Println("== Replacement review (create-only properties, cross-stack outputs)")
	if report := res.Report(acks); report != "" {
		fmt.Print(report)
	} else {
		fmt.Println("no resource is replaced")
	}
	fmt.Printf("%d replacement(s), %d blocking\n", len(res.Replacements), len(res.Blocking(acks)))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
