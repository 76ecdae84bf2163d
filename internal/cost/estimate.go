package cost

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// Resource is one template resource.
type Resource struct {
	Type       string                 `json:"Type"`
	Properties map[string]interface{} `json:"Properties"`
}

// Template is the part of a CloudFormation template the estimator reads.
type Template struct {
	Resources map[string]Resource `json:"Resources"`
}

// Line is one priced quantity of one resource.
type Line struct {
	Stack      string  `json:"stack"`
	Resource   string  `json:"resource"`
	Type       string  `json:"type"`
	Item       string  `json:"item"`
	Part       string  `json:"part"` // "fixed" (from the template) or "usage" (from assumptions)
	PriceKey   string  `json:"priceKey"`
	Unit       string  `json:"unit"`
	UnitPrice  float64 `json:"unitPrice"`
	QtyLow     float64 `json:"qtyLow"`
	QtyTypical float64 `json:"qtyTypical"`
	Low        float64 `json:"low"`
	Typical    float64 `json:"typical"`
}

// Env is the estimate of one environment.
type Env struct {
	Low     float64 `json:"low"`
	Typical float64 `json:"typical"`
	Fixed   float64 `json:"fixed"`
	Lines   []Line  `json:"lines"`
}

// StackTypical sums the typical figure of each stack.
func (e Env) StackTypical() map[string]float64 {
	out := map[string]float64{}
	for _, l := range e.Lines {
		out[l.Stack] += l.Typical
	}
	return out
}

// UnpriceableError names a resource type the estimator cannot price.
type UnpriceableError struct{ Stack, Resource, Type, Why string }

func (e *UnpriceableError) Error() string {
	msg := fmt.Sprintf("%s/%s: cannot price resource type %s", e.Stack, e.Resource, e.Type)
	if e.Why != "" {
		msg += ": " + e.Why
	}
	return msg + " (price it in internal/cost, or list it in free.go if it costs nothing)"
}

// LoadDir reads every *.template.json in dir (a cdk.out or the goldens) and
// groups the stacks by environment: the stack name up to its first "-".
func LoadDir(dir string) (map[string]map[string]Template, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no *.template.json in %s (run make synth first)", dir)
	}
	envs := map[string]map[string]Template{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var t Template
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		stack := strings.TrimSuffix(filepath.Base(p), ".template.json")
		if stack == stacks.Guardrails.StackName {
			continue // the management account's SCPs, which cost nothing: no environment
		}
		env := stack
		if i := strings.Index(stack, "-"); i > 0 {
			env = stack[:i]
		}
		if envs[env] == nil {
			envs[env] = map[string]Template{}
		}
		envs[env][stack] = t
	}
	return envs, nil
}

// EstimateDir estimates every environment in dir.
func EstimateDir(d *Data, dir string) (map[string]Env, error) {
	envs, err := LoadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]Env{}
	for name, stacks := range envs {
		e, err := Estimate(d, stacks)
		if err != nil {
			return nil, fmt.Errorf("environment %s: %w", name, err)
		}
		out[name] = e
	}
	return out, nil
}

// Estimate prices one environment's stacks.
func Estimate(d *Data, stacks map[string]Template) (Env, error) {
	c := &calc{data: d, stacks: stacks}
	for _, t := range stacks {
		for _, r := range t.Resources {
			if !strings.HasPrefix(r.Type, "Custom::") && !strings.HasPrefix(r.Type, "AWS::CloudFormation::") && r.Type != "AWS::CDK::Metadata" {
				c.total++
			}
		}
	}
	for _, s := range c.stackNames() {
		t := stacks[s]
		c.index(s, t)
		for _, id := range sortedIDs(t) {
			r := t.Resources[id]
			c.stack, c.id, c.res = s, id, r
			if _, free := Free(r.Type); free {
				continue
			}
			h, ok := handlers[r.Type]
			if !ok {
				return Env{}, &UnpriceableError{Stack: s, Resource: id, Type: r.Type}
			}
			if err := h(c, r.Properties); err != nil {
				return Env{}, err
			}
			if c.err != nil {
				return Env{}, c.err
			}
		}
	}
	var e Env
	for _, l := range c.lines {
		e.Low += l.Low
		e.Typical += l.Typical
		if l.Part == "fixed" {
			e.Fixed += l.Typical
		}
	}
	e.Low, e.Typical, e.Fixed = round2(e.Low), round2(e.Typical), round2(e.Fixed)
	e.Lines = c.lines
	return e, nil
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func sortedIDs(t Template) []string {
	ids := make([]string, 0, len(t.Resources))
	for id := range t.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// calc accumulates lines for one environment.
type calc struct {
	data   *Data
	stacks map[string]Template
	total  int // resources in the environment (Config records them)

	stack, id string
	res       Resource
	lines     []Line
	err       error

	// per stack, logical ID -> role, found by following references
	logKind    map[string]string
	bucketKind map[string]string
}

func (c *calc) stackNames() []string {
	names := make([]string, 0, len(c.stacks))
	for s := range c.stacks {
		names = append(names, s)
	}
	sort.Strings(names)
	return names
}

func (c *calc) fail(format string, a ...interface{}) error {
	return &UnpriceableError{Stack: c.stack, Resource: c.id, Type: c.res.Type, Why: fmt.Sprintf(format, a...)}
}

func (c *calc) add(item, part, priceKey string, low, typical float64) {
	if c.err != nil {
		return
	}
	p, err := c.data.Price(priceKey)
	if err != nil {
		c.err = fmt.Errorf("%s/%s (%s): %w", c.stack, c.id, c.res.Type, err)
		return
	}
	c.lines = append(c.lines, Line{
		Stack: c.stack, Resource: c.id, Type: c.res.Type, Item: item, Part: part,
		PriceKey: priceKey, Unit: p.Unit, UnitPrice: p.USD,
		QtyLow: low, QtyTypical: typical, Low: low * p.USD, Typical: typical * p.USD,
	})
}

// fixed adds a quantity the template fixes (the same in both months).
func (c *calc) fixed(item, priceKey string, qty float64) { c.add(item, "fixed", priceKey, qty, qty) }

// usage adds a quantity from the assumptions, times factor.
func (c *calc) usage(item, priceKey, assumption string, factor float64) {
	a := c.assume(assumption)
	c.add(item, "usage", priceKey, a.Low*factor, a.Typical*factor)
}

func (c *calc) usageQty(item, priceKey string, low, typical float64) {
	c.add(item, "usage", priceKey, low, typical)
}

func (c *calc) assume(key string) Assumption {
	a, err := c.data.Assume(key)
	if err != nil && c.err == nil {
		c.err = fmt.Errorf("%s/%s (%s): %w", c.stack, c.id, c.res.Type, err)
	}
	return a
}

func (c *calc) hours() float64 { return c.data.Assumptions.HoursPerMonth }

// index classifies a stack's log groups and buckets by what writes to them.
func (c *calc) index(stack string, t Template) {
	c.logKind, c.bucketKind = map[string]string{}, map[string]string{}
	for _, r := range t.Resources {
		p := r.Properties
		switch r.Type {
		case "AWS::EC2::FlowLog":
			if id := refTarget(p["LogDestination"]); id != "" {
				c.logKind[id], c.bucketKind[id] = "flowlog", "accesslogs"
			}
		case "AWS::CloudTrail::Trail":
			if id := refTarget(p["CloudWatchLogsLogGroupArn"]); id != "" {
				c.logKind[id] = "cloudtrail"
			}
			if id := refTarget(p["S3BucketName"]); id != "" {
				c.bucketKind[id] = "trail"
			}
		case "AWS::Config::DeliveryChannel":
			if id := refTarget(p["S3BucketName"]); id != "" {
				c.bucketKind[id] = "config"
			}
		case "AWS::S3::Bucket":
			if lc, ok := p["LoggingConfiguration"].(map[string]interface{}); ok {
				if id := refTarget(lc["DestinationBucketName"]); id != "" {
					c.bucketKind[id] = "accesslogs"
				}
			}
		case "AWS::ElasticLoadBalancingV2::LoadBalancer":
			attrs, _ := p["LoadBalancerAttributes"].([]interface{})
			for _, a := range attrs {
				if m, _ := a.(map[string]interface{}); str(m["Key"]) == "access_logs.s3.bucket" {
					if id := refTarget(m["Value"]); id != "" {
						c.bucketKind[id] = "accesslogs"
					}
				}
			}
		case "AWS::ECS::TaskDefinition":
			for _, id := range refsUnder(p["ContainerDefinitions"]) {
				if t.Resources[id].Type == "AWS::Logs::LogGroup" {
					c.logKind[id] = "app"
				}
			}
		case "AWS::WAFv2::LoggingConfiguration":
			for _, id := range refsUnder(p["LogDestinationConfigs"]) {
				c.logKind[id] = "waf"
			}
		}
	}
}

// refTarget returns the logical ID a {"Ref": id} or {"Fn::GetAtt": [id, attr]} names.
func refTarget(v interface{}) string {
	m, ok := v.(map[string]interface{})
	if !ok {
		return ""
	}
	if r, ok := m["Ref"].(string); ok && !strings.HasPrefix(r, "AWS::") {
		return r
	}
	switch g := m["Fn::GetAtt"].(type) {
	case []interface{}:
		if len(g) > 0 {
			s, _ := g[0].(string)
			return s
		}
	case string:
		return strings.SplitN(g, ".", 2)[0]
	}
	return ""
}

// refsUnder returns every logical ID referenced anywhere under v.
func refsUnder(v interface{}) []string {
	var out []string
	var walk func(interface{})
	walk = func(v interface{}) {
		switch x := v.(type) {
		case map[string]interface{}:
			if id := refTarget(x); id != "" {
				out = append(out, id)
			}
			for _, e := range x {
				walk(e)
			}
		case []interface{}:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// num reads a number that CloudFormation may hold as a string; ok is false
// when it is absent or a token.
func num(v interface{}) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		var f float64
		if _, err := fmt.Sscan(x, &f); err == nil {
			return f, true
		}
	}
	return 0, false
}

func str(v interface{}) string {
	s, _ := v.(string)
	return s
}

func truthy(v interface{}) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(x, "true")
	}
	return false
}
