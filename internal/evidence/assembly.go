// Package evidence computes review and audit evidence from a cloud assembly's
// templates and cdk-nag reports: the status of every HIPAA Security Rule
// specification, the network paths to each PHI store and a data-flow diagram.
package evidence

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// Resource is one template resource.
type Resource struct {
	Stack, ID, Type string
	Path            string // aws:cdk:path
	Props           map[string]interface{}
	Metadata        map[string]interface{}
}

// Key names the resource across stacks.
func (r *Resource) Key() string { return r.Stack + "/" + r.ID }

// Tag returns the value of a resource's tag (Tags list or map).
func (r *Resource) Tag(key string) string {
	switch tags := r.Props["Tags"].(type) {
	case []interface{}:
		for _, t := range tags {
			if m, ok := t.(map[string]interface{}); ok && m["Key"] == key {
				s, _ := m["Value"].(string)
				return s
			}
		}
	case map[string]interface{}:
		s, _ := tags[key].(string)
		return s
	}
	if m, ok := r.Props["BackupVaultTags"].(map[string]interface{}); ok {
		s, _ := m[key].(string)
		return s
	}
	return ""
}

// NagRow is one verdict of a cdk-nag report.
type NagRow struct{ Rule, Path, Compliance, Reason string }

// Stack is one template and its cdk-nag report (if the assembly has one).
type Stack struct {
	Name, Env, Kind string
	Resources       map[string]*Resource
	Outputs         map[string]interface{}
	Nag             []NagRow
	HasNag          bool
}

// Sorted returns the stack's resources by logical ID.
func (s *Stack) Sorted() []*Resource {
	var out []*Resource
	for _, r := range s.Resources {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Assembly is every stack of a cloud assembly directory.
type Assembly struct {
	Stacks map[string]*Stack
}

// Load reads every *.template.json of dir and the HIPAA.Security NagReport
// CSVs next to them.
func Load(dir string) (*Assembly, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no templates in %s (run make synth)", dir)
	}
	a := &Assembly{Stacks: map[string]*Stack{}}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".template.json")
		if name == stacks.Guardrails.StackName {
			continue // the management account's SCPs: no environment, no PHI store
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		st, err := ParseStack(name, raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		a.Stacks[name] = st
	}
	reports, _ := filepath.Glob(filepath.Join(dir, "HIPAA.Security-*-NagReport.csv"))
	for _, f := range reports {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "HIPAA.Security-"), "-NagReport.csv")
		st := a.Stacks[strings.TrimPrefix(name, "-")] // the app's id is empty: HIPAA.Security--<stack>
		if st == nil {
			continue
		}
		if st.Nag, err = readNag(f); err != nil {
			return nil, err
		}
		st.HasNag = true
	}
	return a, nil
}

// ParseStack parses one template; the environment is read from the
// resources' Environment tag, else the stack name's prefix.
func ParseStack(name string, raw []byte) (*Stack, error) {
	var t struct {
		Resources map[string]struct {
			Type       string                 `json:"Type"`
			Properties map[string]interface{} `json:"Properties"`
			Metadata   map[string]interface{} `json:"Metadata"`
		} `json:"Resources"`
		Outputs map[string]interface{} `json:"Outputs"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, err
	}
	st := &Stack{Name: name, Resources: map[string]*Resource{}, Outputs: t.Outputs}
	envs := map[string]int{}
	for id, r := range t.Resources {
		res := &Resource{Stack: name, ID: id, Type: r.Type, Props: r.Properties, Metadata: r.Metadata}
		if res.Props == nil {
			res.Props = map[string]interface{}{}
		}
		res.Path, _ = r.Metadata["aws:cdk:path"].(string)
		if e := res.Tag("Environment"); e != "" {
			envs[e]++
		}
		st.Resources[id] = res
	}
	best := 0
	for e, n := range envs {
		if n > best || (n == best && e < st.Env) {
			st.Env, best = e, n
		}
	}
	if st.Env == "" || !strings.HasPrefix(name, st.Env+"-") {
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			st.Env = name[:i]
		} else {
			st.Env = name
		}
	}
	st.Kind = strings.TrimPrefix(name, st.Env+"-")
	return st, nil
}

func readNag(path string) ([]NagRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lines, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rows []NagRow
	for i, l := range lines {
		if i == 0 || len(l) < 4 {
			continue
		}
		rows = append(rows, NagRow{Rule: l[0], Path: l[1], Compliance: l[2], Reason: l[3]})
	}
	return rows, nil
}

// Envs lists the environments of the assembly, sorted.
func (a *Assembly) Envs() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range a.Stacks {
		if !seen[s.Env] {
			seen[s.Env] = true
			out = append(out, s.Env)
		}
	}
	sort.Strings(out)
	return out
}

// EnvStacks returns one environment's stacks, sorted by name.
func (a *Assembly) EnvStacks(env string) []*Stack {
	var out []*Stack
	for _, s := range a.Stacks {
		if s.Env == env {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Resources returns an environment's resources of the given types (all
// types when none is given), in stack and logical-ID order.
func (a *Assembly) Resources(env string, types ...string) []*Resource {
	want := map[string]bool{}
	for _, t := range types {
		want[t] = true
	}
	var out []*Resource
	for _, s := range a.EnvStacks(env) {
		for _, r := range s.Sorted() {
			if len(want) == 0 || want[r.Type] {
				out = append(out, r)
			}
		}
	}
	return out
}

// NagRows returns the cdk-nag verdicts on a resource.
func (a *Assembly) NagRows(r *Resource) []NagRow {
	st := a.Stacks[r.Stack]
	if st == nil || r.Path == "" {
		return nil
	}
	var out []NagRow
	for _, n := range st.Nag {
		if n.Path == r.Path {
			out = append(out, n)
		}
	}
	return out
}
