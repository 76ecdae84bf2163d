package evidence

import (
	"fmt"
	"sort"
	"strings"
)

// Store is a PHI store: a database or an S3 bucket tagged DataClassification=PHI.
type Store struct {
	Resource *Resource
	Groups   []*Resource // security groups (databases)
	Doors    []Door      // network sources admitted (databases)
	Paths    []string    // chains from the internet, if any
	Access   []Grant     // IAM principals (buckets)
	Subnets  []SubnetFact
}

// Door is one source admitted into a store's security group.
type Door struct {
	Ingress  Ingress
	Declared bool   // one of the declared doors
	Members  string // what sits in the source group
}

// SubnetFact describes a subnet the store is placed in: its routes and its
// network ACL's inbound allow entries.
type SubnetFact struct {
	Subnet *Resource
	Routes []string
	ACL    []string
}

// DeclaredDoor reports whether a source group is one of the two doors of an
// environment's database: the app-tier group of <env>-network or the access
// tier's bastion group of <env>-access.
func DeclaredDoor(env string, sg *Resource) bool {
	if sg == nil {
		return false
	}
	return (sg.Stack == env+"-network" && strings.HasPrefix(sg.Path, env+"-network/AppTierSecurityGroup/")) ||
		(sg.Stack == env+"-access" && strings.HasPrefix(sg.Path, env+"-access/Access/SecurityGroup/"))
}

// Databases returns the environment's RDS instances (not cluster members) and clusters.
func (a *Assembly) Databases(env string) []*Resource {
	var out []*Resource
	for _, r := range a.Resources(env, "AWS::RDS::DBInstance", "AWS::RDS::DBCluster") {
		if r.Type == "AWS::RDS::DBInstance" && r.Props["DBClusterIdentifier"] != nil {
			continue
		}
		out = append(out, r)
	}
	return out
}

// PhiBuckets returns the environment's buckets tagged DataClassification=PHI.
func (a *Assembly) PhiBuckets(env string) []*Resource {
	var out []*Resource
	for _, r := range a.Resources(env, "AWS::S3::Bucket") {
		if r.Tag("DataClassification") == "PHI" {
			out = append(out, r)
		}
	}
	return out
}

// Reach computes the stores of an environment and every network path to them.
func (a *Assembly) Reach(env string) []Store {
	rules := a.IngressRules(env)
	var stores []Store
	for _, db := range a.Databases(env) {
		s := Store{Resource: db}
		for _, k := range []string{"VPCSecurityGroups", "VpcSecurityGroupIds"} {
			s.Groups = append(s.Groups, a.Refs(db.Stack, db.Props[k])...)
		}
		for _, g := range s.Groups {
			for _, in := range rules[g.Key()] {
				d := Door{Ingress: in, Declared: DeclaredDoor(env, in.SourceSG)}
				if in.SourceSG != nil {
					d.Members = a.describeMembers(env, in.SourceSG)
				}
				s.Doors = append(s.Doors, d)
			}
			s.Paths = append(s.Paths, a.internetPaths(env, rules, g, nil)...)
		}
		if db.Props["PubliclyAccessible"] == true {
			s.Paths = append(s.Paths, "internet -> "+db.Key()+" (PubliclyAccessible)")
		}
		s.Subnets = a.subnetFacts(db)
		stores = append(stores, s)
	}
	for _, b := range a.PhiBuckets(env) {
		stores = append(stores, Store{Resource: b, Access: a.BucketGrants(env, b)})
	}
	return stores
}

// internetPaths walks the ingress graph backwards from group to every rule
// that admits internet addresses and returns the chains, internet first.
func (a *Assembly) internetPaths(env string, rules map[string][]Ingress, group *Resource, seen []string) []string {
	for _, k := range seen {
		if k == group.Key() {
			return nil
		}
	}
	seen = append(seen, group.Key())
	var out []string
	for _, in := range rules[group.Key()] {
		hop := fmt.Sprintf("%s [%s]", group.Key(), in.Ports)
		switch {
		case in.SourceSG != nil:
			for _, p := range a.internetPaths(env, rules, in.SourceSG, seen) {
				out = append(out, p+" -> "+hop)
			}
		case in.Internet():
			via := a.describeMembers(env, group)
			out = append(out, fmt.Sprintf("internet (%s) -> %s%s", in.Source, hop, via))
		}
	}
	sort.Strings(out)
	return out
}

// describeMembers names what sits in a group, e.g. " (members: ALB x, internet-facing, listeners 443)".
func (a *Assembly) describeMembers(env string, group *Resource) string {
	var parts []string
	for _, m := range a.Members(env, group) {
		d := m.Type + " " + m.Key()
		if m.Type == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
			scheme, _ := m.Props["Scheme"].(string)
			if scheme == "" {
				scheme = "internet-facing" // the CloudFormation default
			}
			d += ", " + scheme
			if l := a.listeners(m); l != "" {
				d += ", listeners " + l
			}
		}
		parts = append(parts, d)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (members: " + strings.Join(parts, "; ") + ")"
}

func (a *Assembly) listeners(lb *Resource) string {
	var out []string
	for _, st := range a.Stacks {
		for _, r := range st.Sorted() {
			if r.Type != "AWS::ElasticLoadBalancingV2::Listener" {
				continue
			}
			if ref := a.Resolve(r.Stack, r.Props["LoadBalancerArn"]); ref != nil && ref.Key() == lb.Key() {
				out = append(out, fmt.Sprintf("%v/%s", r.Props["Protocol"], num(r.Props["Port"])))
			}
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// subnetFacts follows a database's subnet group to its subnets' routes and
// network ACL inbound allow entries.
func (a *Assembly) subnetFacts(db *Resource) []SubnetFact {
	key := "DBSubnetGroupName"
	group := a.Resolve(db.Stack, db.Props[key])
	if group == nil {
		return nil
	}
	var out []SubnetFact
	for _, subnet := range a.Refs(group.Stack, group.Props["SubnetIds"]) {
		f := SubnetFact{Subnet: subnet}
		st := a.Stacks[subnet.Stack]
		for _, assoc := range st.Sorted() {
			if a.Resolve(st.Name, assoc.Props["SubnetId"]) != subnet {
				continue
			}
			switch assoc.Type {
			case "AWS::EC2::SubnetRouteTableAssociation":
				f.Routes = a.routes(st, a.Resolve(st.Name, assoc.Props["RouteTableId"]))
			case "AWS::EC2::SubnetNetworkAclAssociation":
				f.ACL = a.aclAllows(st, a.Resolve(st.Name, assoc.Props["NetworkAclId"]))
			}
		}
		out = append(out, f)
	}
	return out
}

func (a *Assembly) routes(st *Stack, table *Resource) []string {
	var out []string
	for _, r := range st.Sorted() {
		if r.Type != "AWS::EC2::Route" || table == nil || a.Resolve(st.Name, r.Props["RouteTableId"]) != table {
			continue
		}
		dest := fmt.Sprint(r.Props["DestinationCidrBlock"])
		for _, k := range []string{"GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "InstanceId", "NetworkInterfaceId", "VpcEndpointId"} {
			if v := r.Props[k]; v != nil {
				target := fmt.Sprint(v)
				if t := a.Resolve(st.Name, v); t != nil {
					target = t.Type + " " + t.ID
				}
				out = append(out, dest+" -> "+target)
			}
		}
	}
	return out
}

func (a *Assembly) aclAllows(st *Stack, acl *Resource) []string {
	var out []string
	for _, r := range st.Sorted() {
		if r.Type != "AWS::EC2::NetworkAclEntry" || acl == nil || a.Resolve(st.Name, r.Props["NetworkAclId"]) != acl {
			continue
		}
		if r.Props["Egress"] == true || r.Props["RuleAction"] != "allow" {
			continue
		}
		p := "all"
		if pr, ok := r.Props["PortRange"].(map[string]interface{}); ok {
			p = num(pr["From"]) + "-" + num(pr["To"])
		}
		out = append(out, fmt.Sprintf("rule %s: %v ports %s", num(r.Props["RuleNumber"]), r.Props["CidrBlock"], p))
	}
	return out
}

// ExtraDoors returns a message per network source admitted to a database
// other than the declared doors, and per publicly accessible database.
func ExtraDoors(env string, stores []Store) []string {
	var out []string
	for _, s := range stores {
		for _, d := range s.Doors {
			if !d.Declared {
				out = append(out, fmt.Sprintf("%s: extra network path to %s: %s on %s (rule %s)",
					env, s.Resource.Key(), d.Ingress.From(), d.Ingress.Ports, d.Ingress.Origin.Key()))
			}
		}
		if s.Resource.Props["PubliclyAccessible"] == true {
			out = append(out, fmt.Sprintf("%s: %s is PubliclyAccessible", env, s.Resource.Key()))
		}
	}
	return out
}
