package cost

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// group is lines of the same stack, type, item and price, summed.
type group struct {
	Line
	n int
}

func groups(lines []Line) []group {
	idx := map[string]int{}
	var out []group
	for _, l := range lines {
		k := strings.Join([]string{l.Stack, l.Type, l.Item, l.PriceKey, l.Part}, "|")
		i, ok := idx[k]
		if !ok {
			idx[k] = len(out)
			out = append(out, group{Line: l})
			continue
		}
		g := &out[i]
		g.n++
		g.QtyLow += l.QtyLow
		g.QtyTypical += l.QtyTypical
		g.Low += l.Low
		g.Typical += l.Typical
	}
	return out
}

func envNames(envs map[string]Env) []string {
	names := make([]string, 0, len(envs))
	for n := range envs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func qty(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 1:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
	}
	return fmt.Sprintf("%.3g", v)
}

// Format is make cost's report: per environment, each priced item with its
// quantity (idle / typical month), unit price and monthly figures.
func Format(d *Data, envs map[string]Env) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Monthly estimate, %s %s %s (%.0f hours a month).\n", d.Prices.Region, d.Prices.Currency, d.Prices.Kind, d.Assumptions.HoursPerMonth)
	fmt.Fprintf(&b, "fixed: set by the templates; usage: from internal/cost/assumptions.json (low = idle month, typical = small startup).\n")
	for _, name := range envNames(envs) {
		e := envs[name]
		fmt.Fprintf(&b, "\n== %s\n%-15s %-5s %-58s %12s %12s %11s %9s %9s\n", name, "STACK", "PART", "ITEM (xN resources)", "QTY LOW", "QTY TYPICAL", "UNIT PRICE", "LOW", "TYPICAL")
		for _, g := range groups(e.Lines) {
			if g.Typical == 0 && g.Low == 0 {
				continue
			}
			item := g.Item
			if g.n > 0 {
				item = fmt.Sprintf("%s x%d", item, g.n+1)
			}
			fmt.Fprintf(&b, "%-15s %-5s %-58s %12s %12s %11s %9.2f %9.2f\n", g.Stack, g.Part, trunc(item, 58), qty(g.QtyLow), qty(g.QtyTypical), price(g.UnitPrice), g.Low, g.Typical)
		}
		st := e.StackTypical()
		var stacks []string
		for s := range st {
			stacks = append(stacks, s)
		}
		sort.Strings(stacks)
		var parts []string
		for _, s := range stacks {
			parts = append(parts, fmt.Sprintf("%s %.2f", s, st[s]))
		}
		fmt.Fprintf(&b, "%s typical by stack: %s\n", name, strings.Join(parts, ", "))
		fmt.Fprintf(&b, "%s TOTAL: fixed %.2f + usage %.2f (idle) / %.2f (typical) = low %.2f, typical %.2f USD/month\n",
			name, e.Fixed, e.Low-e.Fixed, e.Typical-e.Fixed, e.Low, e.Typical)
	}
	return b.String()
}

func price(p float64) string {
	if p >= 0.01 || p == 0 {
		return fmt.Sprintf("%.4g", p)
	}
	return fmt.Sprintf("%.3g", p)
}

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "~"
}

// FormatDiff is make diff's cost step: per environment, the estimate before
// (base) and after, and the items whose typical figure changed.
func FormatDiff(before, after map[string]Env) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nCost change against the goldens (typical month, USD; low = idle month):\n")
	all := map[string]Env{}
	for n, e := range before {
		all[n] = e
	}
	for n, e := range after {
		all[n] = e
	}
	for _, name := range envNames(all) {
		was, now := before[name], after[name]
		dl, dt := now.Low-was.Low, now.Typical-was.Typical
		if math.Abs(dt) < 0.005 && math.Abs(dl) < 0.005 {
			fmt.Fprintf(&b, "== %s: no cost change (typical %.2f, low %.2f)\n", name, now.Typical, now.Low)
			continue
		}
		fmt.Fprintf(&b, "== %s: typical %.2f -> %.2f (%+.2f), low %.2f -> %.2f (%+.2f)\n", name, was.Typical, now.Typical, dt, was.Low, now.Low, dl)
		w, n := byItem(was.Lines), byItem(now.Lines)
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range n {
			keys[k] = true
		}
		var sorted []string
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if d := n[k] - w[k]; math.Abs(d) >= 0.005 {
				fmt.Fprintf(&b, "   %+9.2f  %s\n", d, k)
			}
		}
	}
	return b.String()
}

func byItem(lines []Line) map[string]float64 {
	out := map[string]float64{}
	for _, g := range groups(lines) {
		out[g.Stack+": "+g.Item] += g.Typical
	}
	return out
}
