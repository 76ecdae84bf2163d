package evidence

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Edge is one flow of the data-flow diagram.
type Edge struct{ From, To, Label string }

// Diagram is an environment's data flows: internet -> load balancer -> app
// tier -> PHI stores, the access path, and every log flow to its sink and key.
type Diagram struct {
	Nodes map[string]string // id -> label
	PHI   map[string]bool
	Edges []Edge
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9_]`)

func nodeID(k string) string { return unsafe.ReplaceAllString(k, "_") }

func (d *Diagram) node(id, label string, phi bool) string {
	d.Nodes[id] = label
	if phi {
		d.PHI[id] = true
	}
	return id
}

func (d *Diagram) res(r *Resource) string {
	phi := r.Tag("DataClassification") == "PHI" && r.Type != "AWS::EC2::SecurityGroup"
	return d.node(nodeID(r.Key()), fmt.Sprintf("%s<br/>%s", shortType(r.Type), r.Key()), phi)
}

func (d *Diagram) edge(from, to, label string) {
	for _, e := range d.Edges {
		if e.From == from && e.To == to {
			return
		}
	}
	d.Edges = append(d.Edges, Edge{from, to, label})
}

func shortType(t string) string { return strings.TrimPrefix(t, "AWS::") }

// HasEdge reports whether the diagram has an edge between the nodes of two
// resource keys (or the node ids "internet", "operator").
func (d *Diagram) HasEdge(from, to string) bool {
	for _, e := range d.Edges {
		if e.From == nodeID(from) && e.To == nodeID(to) {
			return true
		}
	}
	return false
}

// BuildDiagram computes the data flows the templates imply.
func (a *Assembly) BuildDiagram(env string, stores []Store) *Diagram {
	d := &Diagram{Nodes: map[string]string{}, PHI: map[string]bool{}}
	rules := a.IngressRules(env)
	// Network: every chain of security-group rules into each database.
	var walk func(group *Resource, to string, seen map[string]bool)
	walk = func(group *Resource, to string, seen map[string]bool) {
		if seen[group.Key()] {
			return
		}
		seen[group.Key()] = true
		for _, in := range rules[group.Key()] {
			switch {
			case in.SourceSG != nil:
				src := a.groupNode(d, env, in.SourceSG)
				d.edge(src, to, in.Ports)
				walk(in.SourceSG, src, seen)
			case in.Internet():
				d.edge(d.node("internet", "Internet", false), to, in.Ports)
			default:
				d.edge(d.node(nodeID("cidr "+in.Source), in.Source, false), to, in.Ports)
			}
		}
	}
	for _, s := range stores {
		store := d.res(s.Resource)
		d.PHI[store] = true
		for _, g := range s.Groups {
			walk(g, store, map[string]bool{})
		}
		for _, g := range s.Access {
			d.edge(d.node(nodeID(g.Principal), g.Principal, false), store, "IAM: "+g.Actions)
		}
	}
	// WAF in front of load balancers.
	for _, w := range a.Resources(env, "AWS::WAFv2::WebACLAssociation") {
		if lb := a.Resolve(w.Stack, w.Props["ResourceArn"]); lb != nil {
			acl := d.node(nodeID(w.Key()), "WAF<br/>"+w.Key(), false)
			d.edge(d.node("internet", "Internet", false), acl, "HTTPS")
			d.edge(acl, d.res(lb), "")
		}
	}
	// The human paths: Session Manager and Client VPN.
	if len(a.Resources(env, "AWS::SSM::Document")) > 0 {
		op := d.node("operator", "Operator (IAM, Session Manager)", false)
		for _, i := range a.Resources(env, "AWS::EC2::Instance", "AWS::AutoScaling::AutoScalingGroup") {
			if strings.Contains(i.Path, "/Access/") {
				d.edge(op, d.res(i), "port forwarding")
			}
		}
	}
	for _, v := range a.Resources(env, "AWS::EC2::ClientVpnEndpoint") {
		d.edge(d.node("operator", "Operator (IAM, Session Manager)", false), d.res(v), "Client VPN")
	}
	a.logFlows(d, env, stores)
	sort.Slice(d.Edges, func(i, j int) bool { return d.Edges[i].From+d.Edges[i].To < d.Edges[j].From+d.Edges[j].To })
	return d
}

// groupNode names a security group by what sits in it (a load balancer, the
// bastion, ...), falling back to the group.
func (a *Assembly) groupNode(d *Diagram, env string, g *Resource) string {
	id := d.node(nodeID(g.Key()), "SecurityGroup<br/>"+g.Key(), false)
	for _, m := range a.Members(env, g) {
		if m.Type == "AWS::EC2::LaunchTemplate" {
			continue
		}
		d.edge(d.res(m), id, "member")
	}
	return id
}

// logFlows adds each log and audit flow to its log group or bucket and the
// KMS key that encrypts the sink.
func (a *Assembly) logFlows(d *Diagram, env string, stores []Store) {
	sinkTypes := map[string]bool{"AWS::Logs::LogGroup": true, "AWS::S3::Bucket": true}
	flow := func(src *Resource, v interface{}, label string) {
		for _, sink := range a.Refs(src.Stack, v) {
			if sinkTypes[sink.Type] {
				d.edge(d.res(src), d.res(sink), label)
				a.encryptedBy(d, sink)
			}
		}
	}
	for _, r := range a.Resources(env) {
		switch r.Type {
		case "AWS::EC2::FlowLog":
			flow(r, []interface{}{r.Props["LogDestination"], r.Props["LogGroupName"]}, "flow logs")
		case "AWS::CloudTrail::Trail":
			flow(r, []interface{}{r.Props["S3BucketName"], r.Props["CloudWatchLogsLogGroupArn"]}, "trail")
		case "AWS::Config::DeliveryChannel":
			flow(r, r.Props["S3BucketName"], "Config snapshots")
		case "AWS::SSM::Document":
			flow(r, r.Props["Content"], "session logs")
		case "AWS::EC2::ClientVpnEndpoint":
			flow(r, r.Props["ConnectionLogOptions"], "connection logs")
		case "AWS::ElasticLoadBalancingV2::LoadBalancer":
			flow(r, r.Props["LoadBalancerAttributes"], "access logs")
		case "AWS::S3::Bucket":
			flow(r, r.Props["LoggingConfiguration"], "server access logs")
		case "AWS::Logs::LogGroup":
			name, _ := r.Props["LogGroupName"].(string)
			for _, s := range stores {
				db := s.Resource
				for _, k := range []string{"DBInstanceIdentifier", "DBClusterIdentifier"} {
					if id, ok := db.Props[k].(string); ok && strings.HasPrefix(name, "/aws/rds/") && strings.Contains(name, "/"+id+"/") {
						d.edge(d.res(db), d.res(r), "database logs")
						a.encryptedBy(d, r)
					}
				}
			}
		}
	}
}

func (a *Assembly) encryptedBy(d *Diagram, sink *Resource) {
	var v interface{} = sink.Props["KmsKeyId"]
	if sink.Type == "AWS::S3::Bucket" {
		v = sink.Props["BucketEncryption"]
	}
	for _, k := range a.Refs(sink.Stack, v) {
		if k.Type == "AWS::KMS::Key" {
			d.edge(d.res(sink), d.res(k), "encrypted by")
		}
	}
}

// Mermaid renders the diagram as a Mermaid flowchart; PHI nodes are red.
func (d *Diagram) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	var ids []string
	for id := range d.Nodes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		label := d.Nodes[id]
		if d.PHI[id] {
			label += "<br/>PHI"
		}
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", id, strings.ReplaceAll(label, `"`, "'"))
	}
	for _, e := range d.Edges {
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s -->|%s| %s\n", e.From, strings.ReplaceAll(e.Label, "|", "/"), e.To)
		} else {
			fmt.Fprintf(&b, "  %s --> %s\n", e.From, e.To)
		}
	}
	b.WriteString("  classDef phi fill:#fdd,stroke:#c00,stroke-width:2px\n")
	var phi []string
	for _, id := range ids {
		if d.PHI[id] {
			phi = append(phi, id)
		}
	}
	if len(phi) > 0 {
		fmt.Fprintf(&b, "  class %s phi\n", strings.Join(phi, ","))
	}
	return b.String()
}
