package cost

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// Lever is a cost change that keeps every HIPAA control, computed by
// rewriting an environment's templates and pricing them with the same data.
// A lever that is a profile setting names it (Setting) and sets it
// (Profile); assertions_test synthesizes an environment with every such
// setting and checks that its estimate is the rewritten templates' estimate,
// so the saving priced here is the setting's.
type Lever struct {
	Name     string
	Envs     []string // environments it applies to
	Saving   string   // what it changes
	TradeOff string
	Setting  string                  // the stacks.Profile field that takes it; "" = not a setting
	Profile  func(p *stacks.Profile) // applies Setting as the rewrite prices it
	apply    func(t map[string]Template) (changed bool)
}

// LeverResult is one lever priced for one environment.
type LeverResult struct {
	Lever                     string
	Setting                   string
	Env                       string
	TypicalBefore, TypicalNow float64
	LowBefore, LowNow         float64
	SavingTypical, SavingLow  float64
}

// Levers are the documented cost levers (README "Cost").
var Levers = []Lever{
	{
		Name: "aurora-serverless-v2", Envs: []string{"prod"},
		Saving:   "Aurora Serverless v2 (0.5-8 ACU) for the writer and the reader instead of two db.r6g.large",
		TradeOff: "scales in seconds but not instantly; costs more than provisioned above ~2.2 ACU average per instance; the reader in the second AZ, encryption, backups and logs are unchanged",
		Setting:  "DatabaseServerlessV2",
		Profile: func(p *stacks.Profile) {
			p.DatabaseInstanceType = ""
			p.DatabaseServerlessV2 = &stacks.ServerlessV2Capacity{MinAcu: 0.5, MaxAcu: 8}
		},
		apply: func(t map[string]Template) bool {
			changed := false
			forEach(t, func(r *Resource) {
				switch {
				case r.Type == "AWS::RDS::DBCluster":
					r.Properties["ServerlessV2ScalingConfiguration"] = map[string]interface{}{"MinCapacity": 0.5, "MaxCapacity": 8.0}
				case r.Type == "AWS::RDS::DBInstance" && r.Properties["DBClusterIdentifier"] != nil:
					r.Properties["DBInstanceClass"] = "db.serverless"
					changed = true
				}
			})
			return changed
		},
	},
	{
		Name: "endpoints-the-workloads-use", Envs: []string{"staging", "prod"},
		Saving:   "drop the sts and monitoring interface endpoints when no workload in the VPC calls STS or PutMetricData (keep ssm, ssmmessages, ec2messages, kms, logs, secretsmanager)",
		TradeOff: "a workload that later calls a dropped service reaches it through the NAT gateway (TLS, but over the internet and at $0.045/GB): add the endpoint back with the workload; a PHI environment still keeps an endpoint for every AWS API its PHI workloads call",
		Setting:  "InterfaceEndpointServices",
		Profile: func(p *stacks.Profile) {
			p.InterfaceEndpointServices = append(hipaavpc.RequiredInterfaceEndpoints(), hipaavpc.EndpointSecretsManager)
		},
		apply: func(t map[string]Template) bool {
			changed := false
			for name, tmpl := range t {
				for id, r := range tmpl.Resources {
					if r.Type == "AWS::EC2::VPCEndpoint" && str(r.Properties["VpcEndpointType"]) == "Interface" {
						svc := flatten(r.Properties["ServiceName"])
						if strings.HasSuffix(strings.TrimSpace(svc), ".sts") || strings.HasSuffix(strings.TrimSpace(svc), ".monitoring") {
							delete(t[name].Resources, id)
							changed = true
						}
					}
				}
			}
			return changed
		},
	},
	{
		Name: "flow-logs-infrequent-access", Envs: []string{"dev", "staging", "prod"},
		Saving:   "VPC flow log group in the Infrequent Access log class (flow logs are network metadata, not PHI)",
		TradeOff: "no metric filters, subscription filters or Live Tail on that group (Logs Insights queries still work); retention is unchanged, so a PHI environment still keeps six years; not for the trail's log group, whose metric filters drive the security alarms",
		Setting:  "FlowLogsInfrequentAccess",
		Profile:  func(p *stacks.Profile) { p.FlowLogsInfrequentAccess = true },
		apply: func(t map[string]Template) bool {
			changed := false
			for _, tmpl := range t {
				for _, r := range tmpl.Resources {
					if r.Type == "AWS::EC2::FlowLog" {
						if lg, ok := tmpl.Resources[refTarget(r.Properties["LogDestination"])]; ok {
							lg.Properties["LogGroupClass"] = "INFREQUENT_ACCESS"
							changed = true
						}
					}
				}
			}
			return changed
		},
	},
	{
		Name: "graviton-already", Envs: []string{"dev", "staging", "prod"},
		Saving:   "already taken: the database and the bastion run on Graviton (t4g, r6g); the figure is what the x86 classes (db.t3.medium, db.r5.large, t3.micro) would add — a negative saving",
		TradeOff: "none for PostgreSQL and Amazon Linux; container images of the app tier must be built for arm64 to take the same saving on Fargate (about 20%)",
		apply: func(t map[string]Template) bool {
			x86 := map[string]string{"db.t4g.medium": "db.t3.medium", "db.r6g.large": "db.r5.large", "t4g.micro": "t3.micro"}
			changed := false
			forEach(t, func(r *Resource) {
				for _, k := range []string{"DBInstanceClass", "InstanceType"} {
					if v, ok := x86[str(r.Properties[k])]; ok {
						r.Properties[k] = v
						changed = true
					}
				}
			})
			return changed
		},
	},
}

func forEach(t map[string]Template, f func(r *Resource)) {
	for _, tmpl := range t {
		for id, r := range tmpl.Resources {
			f(&r)
			tmpl.Resources[id] = r
		}
	}
}

// clone deep-copies an environment's templates.
func clone(t map[string]Template) map[string]Template {
	raw, _ := json.Marshal(t)
	var out map[string]Template
	_ = json.Unmarshal(raw, &out)
	return out
}

// ApplyLevers rewrites a copy of an environment's templates with every lever
// of names, in order, and returns it; the templates given are unchanged.
func ApplyLevers(stacks map[string]Template, names ...string) (map[string]Template, error) {
	out := clone(stacks)
	for _, n := range names {
		l, ok := leverNamed(n)
		if !ok {
			return nil, fmt.Errorf("no lever %q", n)
		}
		if !l.apply(out) {
			return nil, fmt.Errorf("lever %s changes nothing", n)
		}
	}
	return out, nil
}

func leverNamed(name string) (Lever, bool) {
	for _, l := range Levers {
		if l.Name == name {
			return l, true
		}
	}
	return Lever{}, false
}

// PriceLevers prices every lever for the environments it applies to.
func PriceLevers(d *Data, envs map[string]map[string]Template) ([]LeverResult, error) {
	var out []LeverResult
	for _, l := range Levers {
		for _, env := range l.Envs {
			stacks, ok := envs[env]
			if !ok {
				continue
			}
			before, err := Estimate(d, stacks)
			if err != nil {
				return nil, err
			}
			changed := clone(stacks)
			if !l.apply(changed) {
				return nil, fmt.Errorf("lever %s changes nothing in %s", l.Name, env)
			}
			now, err := Estimate(d, changed)
			if err != nil {
				return nil, fmt.Errorf("lever %s on %s: %w", l.Name, env, err)
			}
			out = append(out, LeverResult{Lever: l.Name, Setting: l.Setting, Env: env,
				TypicalBefore: before.Typical, TypicalNow: now.Typical, LowBefore: before.Low, LowNow: now.Low,
				SavingTypical: round2(before.Typical - now.Typical), SavingLow: round2(before.Low - now.Low)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Lever < out[j].Lever })
	return out, nil
}

// FormatLevers is costreport -levers: one row per lever and environment.
func FormatLevers(results []LeverResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| lever | profile setting | env | saving, typical month | saving, idle month | typical before -> after |\n|---|---|---|---|---|---|\n")
	for _, r := range results {
		setting := "(none)"
		if r.Setting != "" {
			setting = "`" + r.Setting + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.2f | %.2f | %.2f -> %.2f |\n", r.Lever, setting, r.Env, r.SavingTypical, r.SavingLow, r.TypicalBefore, r.TypicalNow)
	}
	return b.String()
}
