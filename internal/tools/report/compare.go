package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/internal/evidence"
	"github.com/healthstack-oss/hipaa-baseline/internal/hipaamap"
)

// facts flattens a report into comparable lines: every path to a PHI store
// and every specification's status. cdk-nag verdicts are left out (goldens
// have no nag reports), so statuses are the templates' alone.
func facts(r *evidence.Report) (paths, status map[string]string) {
	paths, status = map[string]string{}, map[string]string{}
	for _, s := range r.Stores {
		for _, d := range s.Doors {
			paths[fmt.Sprintf("%s <- %s on %s", s.Resource.Key(), d.Ingress.From(), d.Ingress.Ports)] = ""
		}
		for _, p := range s.Paths {
			paths[fmt.Sprintf("%s <- %s", s.Resource.Key(), p)] = ""
		}
		for _, g := range s.Access {
			paths[fmt.Sprintf("%s <- %s (%s)", s.Resource.Key(), g.Principal, g.Actions)] = ""
		}
	}
	for _, s := range r.Specs {
		status[s.Spec.ID] = s.Status
	}
	return paths, status
}

func compareDirs(m *hipaamap.Map, golden, dir string) (string, error) {
	before, _, err := reports(m, golden, false)
	if err != nil {
		return "", err
	}
	after, _, err := reports(m, dir, false)
	if err != nil {
		return "", err
	}
	return compareReports(before, after), nil
}

func compareReports(before, after []*evidence.Report) string {
	byEnv := map[string][2]*evidence.Report{}
	for _, r := range before {
		x := byEnv[r.Env]
		x[0] = r
		byEnv[r.Env] = x
	}
	for _, r := range after {
		x := byEnv[r.Env]
		x[1] = r
		byEnv[r.Env] = x
	}
	var envs []string
	for e := range byEnv {
		envs = append(envs, e)
	}
	sort.Strings(envs)
	var b strings.Builder
	changes := 0
	for _, env := range envs {
		pair := byEnv[env]
		var pb, pa, sb, sa map[string]string
		if pair[0] != nil {
			pb, sb = facts(pair[0])
		}
		if pair[1] != nil {
			pa, sa = facts(pair[1])
		}
		var lines []string
		for k := range pa {
			if _, ok := pb[k]; !ok {
				lines = append(lines, "  + path to PHI store: "+k)
			}
		}
		for k := range pb {
			if _, ok := pa[k]; !ok {
				lines = append(lines, "  - path to PHI store: "+k)
			}
		}
		for id, st := range sa {
			if old, ok := sb[id]; ok && old != st {
				lines = append(lines, fmt.Sprintf("  ~ %s: %s -> %s", id, old, st))
			}
		}
		sort.Strings(lines)
		if len(lines) > 0 {
			changes += len(lines)
			fmt.Fprintf(&b, "== evidence %s:\n%s\n", env, strings.Join(lines, "\n"))
		}
	}
	fmt.Fprintf(&b, "evidence: %d change(s) to paths to PHI stores or specification status against the goldens\n", changes)
	return b.String()
}
