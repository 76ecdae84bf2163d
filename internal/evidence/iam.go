package evidence

import (
	"fmt"
	"sort"
	"strings"
)

// Grant is one principal allowed actions on a bucket by a policy.
type Grant struct {
	Principal string
	Actions   string
	Policy    string // the policy resource that grants it
}

// BucketGrants lists the principals that bucket policies and IAM policies
// (AWS::IAM::Policy, ManagedPolicy, Role inline policies) allow to act on a
// bucket. Deny statements are not grants.
func (a *Assembly) BucketGrants(env string, bucket *Resource) []Grant {
	var out []Grant
	for _, r := range a.Resources(env) {
		switch r.Type {
		case "AWS::S3::BucketPolicy":
			if b := a.Resolve(r.Stack, r.Props["Bucket"]); b == nil || b.Key() != bucket.Key() {
				continue
			}
			for _, st := range statements(r.Props["PolicyDocument"]) {
				if st["Effect"] == "Allow" {
					out = append(out, Grant{Principal: a.principal(r.Stack, st["Principal"]), Actions: actions(st), Policy: r.Key()})
				}
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			out = append(out, a.identityGrants(r, r.Props["PolicyDocument"], bucket, a.attached(r))...)
		case "AWS::IAM::Role":
			for _, p := range list(r.Props["Policies"]) {
				pm, _ := p.(map[string]interface{})
				out = append(out, a.identityGrants(r, pm["PolicyDocument"], bucket, []string{"role " + r.Key()})...)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Principal+out[i].Policy < out[j].Principal+out[j].Policy })
	return out
}

func (a *Assembly) identityGrants(policy *Resource, doc interface{}, bucket *Resource, principals []string) []Grant {
	var out []Grant
	for _, st := range statements(doc) {
		if st["Effect"] != "Allow" {
			continue
		}
		hit := false
		for _, ref := range a.Refs(policy.Stack, st["Resource"]) {
			hit = hit || ref.Key() == bucket.Key()
		}
		if res, ok := st["Resource"].(string); ok && res == "*" && strings.Contains(actions(st), "s3:") {
			hit = true
		}
		if !hit {
			continue
		}
		if len(principals) == 0 {
			principals = []string{"(policy attached to no principal in the templates)"}
		}
		for _, p := range principals {
			out = append(out, Grant{Principal: p, Actions: actions(st), Policy: policy.Key()})
		}
	}
	return out
}

// attached lists the roles, users and groups a policy is attached to,
// including roles naming a managed policy in ManagedPolicyArns.
func (a *Assembly) attached(policy *Resource) []string {
	var out []string
	for _, k := range []string{"Roles", "Users", "Groups"} {
		for _, v := range list(policy.Props[k]) {
			if r := a.Resolve(policy.Stack, v); r != nil {
				out = append(out, strings.ToLower(strings.TrimSuffix(k, "s"))+" "+r.Key())
			} else {
				out = append(out, fmt.Sprintf("%s %v", strings.ToLower(strings.TrimSuffix(k, "s")), v))
			}
		}
	}
	if policy.Type == "AWS::IAM::ManagedPolicy" {
		for _, st := range a.Stacks {
			for _, r := range st.Sorted() {
				if r.Type != "AWS::IAM::Role" {
					continue
				}
				for _, ref := range a.Refs(r.Stack, r.Props["ManagedPolicyArns"]) {
					if ref.Key() == policy.Key() {
						out = append(out, "role "+r.Key())
					}
				}
			}
		}
	}
	return out
}

func statements(doc interface{}) []map[string]interface{} {
	d, _ := doc.(map[string]interface{})
	var out []map[string]interface{}
	for _, s := range list(d["Statement"]) {
		if m, ok := s.(map[string]interface{}); ok {
			out = append(out, m)
		}
	}
	return out
}

func actions(st map[string]interface{}) string {
	var out []string
	for _, a := range list(st["Action"]) {
		out = append(out, fmt.Sprint(a))
	}
	return strings.Join(out, ", ")
}

func (a *Assembly) principal(stack string, p interface{}) string {
	if s, ok := p.(string); ok {
		return s
	}
	m, _ := p.(map[string]interface{})
	var out []string
	for _, k := range []string{"AWS", "Service", "Federated", "CanonicalUser"} {
		for _, v := range list(m[k]) {
			if r := a.Resolve(stack, v); r != nil {
				out = append(out, r.Key())
			} else if s, ok := v.(string); ok {
				out = append(out, k+" "+s)
			} else {
				out = append(out, k+" (computed ARN)")
			}
		}
	}
	return strings.Join(out, ", ")
}
