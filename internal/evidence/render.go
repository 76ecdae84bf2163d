package evidence

import (
	"fmt"
	"sort"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/internal/hipaamap"
)

// Report is one environment's computed evidence.
type Report struct {
	Env      string
	HoldsPhi bool
	PhiWhy   string // where HoldsPhi was read from
	Specs    []SpecResult
	Stores   []Store
	Extra    []string // extra doors: make report fails on them where PHI is held
	Diagram  *Diagram
}

// Build computes an environment's report.
func (a *Assembly) Build(m *hipaamap.Map, env string, holdsPhi bool, phiWhy string, useNag bool) *Report {
	r := &Report{Env: env, HoldsPhi: holdsPhi, PhiWhy: phiWhy, Specs: a.Evaluate(m, env, holdsPhi, useNag)}
	r.Stores = a.Reach(env)
	r.Extra = ExtraDoors(env, r.Stores)
	r.Diagram = a.BuildDiagram(env, r.Stores)
	return r
}

// Failures are the findings that make `make report` exit non-zero.
func (r *Report) Failures() []string {
	if !r.HoldsPhi {
		return nil
	}
	out := append([]string{}, r.Extra...)
	for _, s := range r.Specs {
		if s.Status == StatusMissing {
			out = append(out, fmt.Sprintf("%s: %s %s", r.Env, s.Spec.ID, StatusMissing))
		}
	}
	return out
}

// Markdown renders the report.
func (r *Report) Markdown(a *Assembly) string {
	var b strings.Builder
	p := func(format string, args ...interface{}) { fmt.Fprintf(&b, format, args...) }
	p("# HIPAA Security Rule evidence: %s\n\n", r.Env)
	p("Computed by `make report` from the synthesized templates and cdk-nag reports of this environment (%s); nothing here is hand-written. ", strings.Join(stackNames(a.EnvStacks(r.Env)), ", "))
	p("Holds PHI: **%v** (%s).\n\n", r.HoldsPhi, r.PhiWhy)
	p("*Implemented* means the templates carry the setting on the resources listed; *verified* means cdk-nag's HIPAA Security pack found those resources Compliant for every control it can check. *Not verifiable from templates*: the setting is present but nothing in the assembly checks it independently; its effect shows only in the account (the AWS Config rules listed) or in `make test` (the named tests and deploy-local checks).\n\n")
	counts := map[string]int{}
	for _, s := range r.Specs {
		counts[s.Status]++
	}
	p("| status | specifications |\n|---|---|\n")
	for _, st := range []string{StatusVerified, StatusUnverifiable, StatusMissing, StatusRelaxed, StatusCustomer, StatusAWS} {
		if counts[st] > 0 {
			p("| %s | %d |\n", st, counts[st])
		}
	}
	p("\n## Network paths to PHI stores\n\n")
	r.renderReach(&b)
	p("\n## Data flows\n\n```mermaid\n%s```\n\n", r.Diagram.Mermaid())
	p("## Specifications\n\n")
	p("| citation | specification | R/A | who | status |\n|---|---|---|---|---|\n")
	for _, s := range r.Specs {
		p("| %s | %s | %s | %s | %s |\n", s.Spec.ID, s.Spec.Title, s.Spec.Req[:1], s.Spec.Party, s.Status)
	}
	p("\n## Library-addressed specifications in detail\n")
	for _, s := range r.Specs {
		if len(s.Controls) > 0 {
			renderSpec(&b, s)
		}
	}
	p("\n## What the templates cannot show\n\n")
	p("Templates describe infrastructure, not people or paperwork. These are the customer's, whatever this report says:\n\n")
	p("- the Business Associate Addendum with AWS (AWS Artifact) and contracts with every other business associate (164.308(b), 164.314(a));\n")
	p("- risk analysis and risk management, sanction policy, the security official, workforce clearance, training and termination (164.308(a)(1)-(a)(5));\n")
	p("- incident response, contingency, disaster recovery and emergency-mode procedures, and testing them (164.308(a)(6)-(a)(7));\n")
	p("- who is granted IAM access to the database, the bastion and the buckets, and reviewing those grants; MFA for people;\n")
	p("- reading the alarms, Config findings and GuardDuty findings this baseline sends; the periodic evaluation (164.308(a)(8));\n")
	p("- workstation use and security (164.310(b), (c)); written policies, procedures and their six-year documentation (164.316);\n")
	p("- what the application does with PHI (application-level access control, integrity and logging).\n\n")
	p("AWS Config rules are listed as deployed; their results exist only in the account. Go tests and deploy-local checks are named, not run, by this report: `make test` runs them.\n")
	for _, s := range r.Specs {
		if s.Spec.Party == hipaamap.PartyCustomer {
			p("- %s %s\n", s.Spec.ID, s.Spec.Title)
		}
	}
	return b.String()
}

func (r *Report) renderReach(b *strings.Builder) {
	p := func(format string, args ...interface{}) { fmt.Fprintf(b, format, args...) }
	if len(r.Stores) == 0 {
		p("No PHI store (database or bucket tagged DataClassification=PHI) in the templates.\n")
	}
	for _, s := range r.Stores {
		p("### %s `%s`\n\n", s.Resource.Type, s.Resource.Key())
		if s.Resource.Type == "AWS::S3::Bucket" {
			p("Reached through IAM, not the network. Principals granted access by policies:\n\n")
			if len(s.Access) == 0 {
				p("- none in the templates\n")
			}
			for _, g := range s.Access {
				p("- %s: %s (policy `%s`)\n", g.Principal, g.Actions, g.Policy)
			}
			p("\n")
			continue
		}
		p("| source | ports | rule | door |\n|---|---|---|---|\n")
		for _, d := range s.Doors {
			door := "declared"
			if !d.Declared {
				door = "**EXTRA**"
			}
			p("| %s%s | %s | `%s` | %s |\n", d.Ingress.From(), d.Members, d.Ingress.Ports, d.Ingress.Origin.Key(), door)
		}
		if len(s.Paths) == 0 {
			p("\nPath from the internet: **none** (no chain of security-group rules from a public address reaches it).\n")
		} else {
			p("\nPaths from the internet:\n\n")
			for _, x := range s.Paths {
				p("- %s\n", x)
			}
		}
		for _, f := range s.Subnets {
			routes := "no routes beyond the VPC (isolated)"
			if len(f.Routes) > 0 {
				routes = strings.Join(f.Routes, "; ")
			}
			p("\nSubnet `%s`: %s; network ACL inbound allows: %s.\n", f.Subnet.Key(), routes, strings.Join(f.ACL, "; "))
		}
		p("\n")
	}
	if len(r.Extra) > 0 {
		p("**Extra network paths** (not the app-tier or access-tier door):\n\n")
		for _, e := range r.Extra {
			p("- %s\n", e)
		}
		p("\n")
	}
}

func renderSpec(b *strings.Builder, s SpecResult) {
	p := func(format string, args ...interface{}) { fmt.Fprintf(b, format, args...) }
	p("\n### %s %s: %s\n\n", s.Spec.ID, s.Spec.Title, s.Status)
	if s.Spec.Note != "" {
		p("%s\n\n", s.Spec.Note)
	}
	for _, c := range s.Controls {
		state := "implemented"
		if !c.Implemented {
			state = "**not implemented**"
		}
		p("- **%s**: %s (`%s`), %s\n", c.Control.Construct, c.Control.Setting, c.Control.Property, state)
		shown := 0
		for _, f := range c.Findings {
			if shown == 6 {
				p("  - ... %d more\n", len(c.Findings)-shown)
				break
			}
			mark := "meets"
			if !f.Met {
				mark = "does not meet"
			}
			p("  - `%s` %s `%s` = `%s`: %s\n", f.Resource.Stack, f.Resource.ID, f.Resource.Type, f.Value, mark)
			shown++
		}
		counts := map[string]int{}
		for _, n := range c.Nag {
			counts[n.Rule+" "+n.Compliance]++
		}
		var nag []string
		for k, n := range counts {
			nag = append(nag, fmt.Sprintf("%s: %d", k, n))
		}
		sort.Strings(nag)
		if len(nag) > 0 {
			p("  - cdk-nag: %s\n", strings.Join(nag, "; "))
		} else if len(c.Control.Checks.Nag) > 0 {
			p("  - cdk-nag: no verdict on these resources (%s)\n", strings.Join(c.Control.Checks.Nag, ", "))
		}
		if len(c.Control.Checks.Config) > 0 {
			var cfg []string
			for _, id := range c.Control.Checks.Config {
				st := "not deployed"
				if c.Config[id] {
					st = "deployed"
				}
				cfg = append(cfg, id+" "+st)
			}
			p("  - AWS Config: %s\n", strings.Join(cfg, "; "))
		}
		if len(c.Control.Checks.Tests)+len(c.Control.Checks.DeployLocal) > 0 {
			p("  - tests: %s\n", strings.Join(append(append([]string{}, c.Control.Checks.Tests...), quote(c.Control.Checks.DeployLocal)...), ", "))
		}
		for _, sp := range c.Suppressions {
			p("  - suppression on `%s`: %s: %s\n", sp.Resource.Key(), sp.Rule, sp.Reason)
		}
	}
}

func quote(names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, "deploy-local \""+n+"\"")
	}
	return out
}

func stackNames(st []*Stack) []string {
	var out []string
	for _, s := range st {
		out = append(out, s.Name)
	}
	return out
}
