// Command templatediff shows, per stack, how the templates in a cdk.out
// directory differ from the committed goldens (make diff). It exits 0 and
// prints "no change" per unchanged stack, so a reviewer reads only changes.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/internal/goldens"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: templatediff CDK_OUT GOLDEN_DIR")
		os.Exit(2)
	}
	out, golden := os.Args[1], os.Args[2]
	synthesized, _ := filepath.Glob(filepath.Join(out, "*.template.json"))
	recorded, _ := filepath.Glob(filepath.Join(golden, "*.template.json"))
	names := map[string]bool{}
	for _, p := range append(synthesized, recorded...) {
		names[filepath.Base(p)] = true
	}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	changed := 0
	for _, name := range sorted {
		stack := strings.TrimSuffix(name, ".template.json")
		want, errW := goldens.CanonicalFile(filepath.Join(golden, name))
		got, errG := goldens.CanonicalFile(filepath.Join(out, name))
		switch {
		case errW != nil && errG == nil:
			fmt.Printf("== %s: NEW stack (no golden yet)\n", stack)
			changed++
		case errG != nil && errW == nil:
			fmt.Printf("== %s: REMOVED (golden exists, not synthesized)\n", stack)
			changed++
		case errW != nil:
			fmt.Fprintln(os.Stderr, errW)
			os.Exit(1)
		default:
			d, err := goldens.Diff(name, want, got)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			if d == "" {
				fmt.Printf("== %s: no change\n", stack)
				continue
			}
			changed++
			fmt.Printf("== %s: CHANGED\n%s", stack, d)
		}
	}
	fmt.Printf("%d of %d stacks differ from the goldens (refresh with: make golden)\n", changed, len(sorted))
}
