// Command isolate prints (and with -run starts) the exact AWS CLI command that
// isolates or reconnects one tier of an environment (make isolate / make
// reconnect ENV=... TIER=data|access|edge [RUN=1]).
//
// It reads names from the synthesized cloud assembly, like dbtunnel: the
// Automation documents are the AWS::SSM::Document resources of the
// environment's stacks named <prefix>-Isolate<Tier> / <prefix>-Reconnect<Tier>,
// and the incident-responder role is the output that references the role the
// documents' responder policy is attached to. Every parameter of a document
// defaults to the synthesized state (the subnets and ACLs, the bastion, the
// web ACL's rules, the automation role), so the command passes none: what
// runs is exactly what was reviewed in the template.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Tiers are the TIER values.
var Tiers = []string{"data", "access", "edge"}

type resource struct {
	Type       string                 `json:"Type"`
	Properties map[string]interface{} `json:"Properties"`
}

type template struct {
	Resources map[string]resource `json:"Resources"`
	Outputs   map[string]struct {
		Value interface{} `json:"Value"`
	} `json:"Outputs"`
}

// Plan is what the command prints for one tier.
type Plan struct {
	Env, Tier, Stack string
	Document         string // the document to run
	Counterpart      string // the one that undoes it
	RoleOutput       string // output key of the responder role ARN
	Reconnect        bool
}

func main() {
	run := flag.Bool("run", false, "start the execution (aws CLI on PATH, responder credentials)")
	reconnect := flag.Bool("reconnect", false, "reconnect instead of isolate")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: isolate [-reconnect] [-run] CDK_OUT ENV TIER (data|access|edge)")
	}
	flag.Parse()
	if flag.NArg() != 3 {
		flag.Usage()
		os.Exit(2)
	}
	plan, err := Find(flag.Arg(0), flag.Arg(1), flag.Arg(2), *reconnect)
	if err != nil {
		fmt.Fprintln(os.Stderr, "isolate:", err)
		os.Exit(1)
	}
	fmt.Print(plan.Script())
	if *run {
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", plan.Script())
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "isolate:", err)
			os.Exit(1)
		}
	}
}

// Find locates the tier's documents in the environment's templates.
func Find(dir, env, tier string, reconnect bool) (*Plan, error) {
	if !valid(tier) {
		return nil, fmt.Errorf("TIER=%q: use one of %s", tier, strings.Join(Tiers, ", "))
	}
	verb, other := "Isolate", "Reconnect"
	if reconnect {
		verb, other = other, verb
	}
	suffix := "-" + verb + strings.ToUpper(tier[:1]) + tier[1:]
	otherSuffix := "-" + other + strings.ToUpper(tier[:1]) + tier[1:]
	paths, _ := filepath.Glob(filepath.Join(dir, env+"-*.template.json"))
	sort.Strings(paths)
	if len(paths) == 0 {
		return nil, fmt.Errorf("no %s stacks in %s: run make synth first", env, dir)
	}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var t template
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		doc, counterpart := "", ""
		for _, r := range t.Resources {
			if r.Type != "AWS::SSM::Document" || r.Properties["DocumentType"] != "Automation" {
				continue
			}
			name, _ := r.Properties["Name"].(string)
			switch {
			case strings.HasSuffix(name, suffix):
				doc = name
			case strings.HasSuffix(name, otherSuffix):
				counterpart = name
			}
		}
		if doc == "" {
			continue
		}
		stack := strings.TrimSuffix(filepath.Base(p), ".template.json")
		out := roleOutput(&t)
		if out == "" {
			return nil, fmt.Errorf("stack %s has %s but no output naming the incident-responder role", stack, doc)
		}
		return &Plan{Env: env, Tier: tier, Stack: stack, Document: doc, Counterpart: counterpart, RoleOutput: out, Reconnect: reconnect}, nil
	}
	return nil, errors.New(notFound(env, tier))
}

func notFound(env, tier string) string {
	msg := fmt.Sprintf("environment %s has no %s-tier isolation documents", env, tier)
	if tier == "edge" {
		msg += " (the edge's documents exist once the app tier's web ACL is given to TierIsolation)"
	}
	return msg
}

func valid(tier string) bool {
	for _, t := range Tiers {
		if t == tier {
			return true
		}
	}
	return false
}

// roleOutput is the output that references the role a managed policy
// allowing ssm:StartAutomationExecution is attached to.
func roleOutput(t *template) string {
	roles := map[string]bool{}
	for _, r := range t.Resources {
		if r.Type != "AWS::IAM::ManagedPolicy" || !strings.Contains(fmt.Sprint(r.Properties["PolicyDocument"]), "ssm:StartAutomationExecution") {
			continue
		}
		list, _ := r.Properties["Roles"].([]interface{})
		for _, ref := range list {
			if m, ok := ref.(map[string]interface{}); ok {
				if id, ok := m["Ref"].(string); ok {
					roles[id] = true
				}
			}
		}
	}
	keys := make([]string, 0, len(t.Outputs))
	for k := range t.Outputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m, ok := t.Outputs[k].Value.(map[string]interface{})
		if !ok {
			continue
		}
		if ga, ok := m["Fn::GetAtt"].([]interface{}); ok && len(ga) == 2 && ga[1] == "Arn" && roles[fmt.Sprint(ga[0])] {
			return k
		}
	}
	return ""
}

// Script is the shell text: assume the responder role with MFA, then start
// the document and wait for its result.
func (p *Plan) Script() string {
	var b strings.Builder
	what := "ISOLATE"
	if p.Reconnect {
		what = "RECONNECT"
	}
	fmt.Fprintf(&b, "# %s: %s the %s tier with %s (stack %s).\n", p.Env, what, p.Tier, p.Document, p.Stack)
	if p.Counterpart != "" {
		fmt.Fprintf(&b, "# Undo with %s (make %s ENV=%s TIER=%s). The execution is in CloudTrail and announced on the audit alarm topic.\n",
			p.Counterpart, map[bool]string{true: "isolate", false: "reconnect"}[p.Reconnect], p.Env, p.Tier)
	}
	b.WriteString("# Run with the incident-responder role (assume it with MFA first, e.g. a profile with role_arn and mfa_serial):\n")
	fmt.Fprintf(&b, "#   RESPONDER_ROLE=$(aws cloudformation describe-stacks --stack-name %s --query \"Stacks[0].Outputs[?OutputKey=='%s'].OutputValue\" --output text)\n", p.Stack, p.RoleOutput)
	fmt.Fprintf(&b, "EXECUTION=$(aws ssm start-automation-execution --document-name %s --query AutomationExecutionId --output text)\n", p.Document)
	b.WriteString("echo \"execution $EXECUTION\"\n")
	b.WriteString("aws ssm get-automation-execution --automation-execution-id \"$EXECUTION\" --query 'AutomationExecution.[AutomationExecutionStatus,Outputs]'\n")
	return b.String()
}
