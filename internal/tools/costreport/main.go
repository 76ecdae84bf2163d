// Command costreport prints each environment's monthly estimate from the
// templates in a cdk.out directory and writes <dir>/report/cost.json
// (make cost). With -base DIR it prints, per environment, how the estimate
// of the templates in the positional directory differs from DIR's (make diff).
// It exits non-zero, naming the type, when a resource cannot be priced.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/healthstack-oss/hipaa-baseline/internal/cost"
)

func main() {
	base := flag.String("base", "", "compare against the templates in this directory (e.g. the goldens)")
	levers := flag.Bool("levers", false, "price the documented cost levers (README) on the templates instead")
	flag.Parse()
	dir := "cdk.out"
	if flag.NArg() > 0 {
		dir = flag.Arg(0)
	}
	d := cost.MustLoad()
	envs, err := cost.EstimateDir(d, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "costreport:", err)
		os.Exit(1)
	}
	if *levers {
		stacks, err := cost.LoadDir(dir)
		if err == nil {
			var res []cost.LeverResult
			if res, err = cost.PriceLevers(d, stacks); err == nil {
				fmt.Print(cost.FormatLevers(res))
				return
			}
		}
		fmt.Fprintln(os.Stderr, "costreport:", err)
		os.Exit(1)
	}
	if *base != "" {
		before, err := cost.EstimateDir(d, *base)
		if err != nil {
			fmt.Fprintln(os.Stderr, "costreport: base:", err)
			os.Exit(1)
		}
		fmt.Print(cost.FormatDiff(before, envs))
		return
	}
	fmt.Print(cost.Format(d, envs))
	out := filepath.Join(dir, "report", "cost.json")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "costreport:", err)
		os.Exit(1)
	}
	raw, _ := json.MarshalIndent(envs, "", " ")
	if err := os.WriteFile(out, append(raw, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "costreport:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(envs))
	for n := range envs {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Printf("wrote %s (%v)\n", out, names)
}
