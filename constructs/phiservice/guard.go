package phiservice

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// disallowAllCidr is the placeholder egress rule CDK writes into a security
// group that allows no outbound traffic.
const disallowAllCidr = "255.255.255.255/32"

// tls12PolicyName matches the ELB security policies that accept nothing
// below TLS 1.2.
var tls12PolicyName = regexp.MustCompile(`^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-`)

// registry lists the PhiServices of each app: several may share one
// app-tier group, each admitting its own load balancer.
var registry sync.Map // root construct -> *[]*PhiService

func register(p *PhiService) {
	v, _ := registry.LoadOrStore(p.Node().Root(), &[]*PhiService{})
	list := v.(*[]*PhiService)
	*list = append(*list, p)
}

func servicesOf(root constructs.IConstruct) []*PhiService {
	if v, ok := registry.Load(root); ok {
		return *v.(*[]*PhiService)
	}
	return nil
}

// guard re-checks at synth, after every change the caller made, what
// PhiService enforces: the app-tier group admits only the load balancers of
// the services that share it, on their container port, and sends only what
// those services added; the tasks get no public IP; the container stays
// read-only, unprivileged and non-root, with no secret-looking plain
// environment variable; the listeners are HTTPS with a TLS 1.2+ policy, and
// HTTP only redirects; the load balancer drops invalid header fields and
// logs its access.
func (p *PhiService) guard(t *base.Tree) []string {
	var out []string
	stack := awscdk.Stack_Of(p)
	sgID := *p.appSg.SecurityGroupId()
	sharing := []*PhiService{}
	for _, o := range servicesOf(p.Node().Root()) {
		if *o.appSg.SecurityGroupId() == sgID {
			sharing = append(sharing, o)
		}
	}
	ownEgress := map[string]bool{}
	lbPorts := map[string]float64{}
	for _, o := range sharing {
		for _, c := range *o.Node().FindAll(constructs.ConstructOrder_PREORDER) {
			if _, ok := c.(awsec2.CfnSecurityGroupEgress); ok {
				ownEgress[*c.Node().Path()] = true
			}
		}
		lbPorts[*o.lbSg.SecurityGroupId()] = o.s.port
	}
	for _, c := range t.Constructs() {
		switch r := c.(type) {
		case awsec2.CfnSecurityGroupIngress:
			if eq(r.GroupId(), sgID) {
				port, ok := lbPorts[deref2(r.SourceSecurityGroupId())]
				if !ok || !eq(r.IpProtocol(), "tcp") || r.FromPort() == nil || r.ToPort() == nil || *r.FromPort() != port || *r.ToPort() != port {
					out = append(out, fmt.Sprintf("%s: the app-tier security group admits %s; only the load balancer may reach the tasks, on the container port. Remove the rule", constructName, *r.Node().Path()))
				}
			}
		case awsec2.CfnSecurityGroupEgress:
			if eq(r.GroupId(), sgID) && !ownEgress[*r.Node().Path()] {
				out = append(out, fmt.Sprintf("%s: the app-tier security group has an outbound rule PhiService did not add (%s); pass it as Egress instead", constructName, *r.Node().Path()))
			}
		}
	}
	if cfn := p.appSgCfn(); cfn != nil {
		out = append(out, p.checkInlineRules(awscdk.Stack_Of(cfn), cfn)...)
	}
	out = append(out, p.checkService(stack)...)
	out = append(out, p.checkContainers(stack)...)
	out = append(out, p.checkListeners(t, stack)...)
	return out
}

// appSgCfn is the app-tier group's L1 when it is a group of this app.
func (p *PhiService) appSgCfn() awsec2.CfnSecurityGroup {
	if sg, ok := p.appSg.(awsec2.SecurityGroup); ok {
		if cfn, ok := sg.Node().DefaultChild().(awsec2.CfnSecurityGroup); ok {
			return cfn
		}
	}
	return nil
}

func (p *PhiService) checkInlineRules(stack awscdk.Stack, sg awsec2.CfnSecurityGroup) []string {
	var out []string
	if len(base.InlineRules(stack, sg.SecurityGroupIngress())) > 0 {
		out = append(out, fmt.Sprintf("%s: the app-tier security group %s has inline inbound rules; only the load balancer may reach the tasks", constructName, *sg.Node().Path()))
	}
	for _, rule := range base.InlineRules(stack, sg.SecurityGroupEgress()) {
		if rule["cidrIp"] != disallowAllCidr {
			out = append(out, fmt.Sprintf("%s: the app-tier security group %s has an inline outbound rule %s; pass extra egress as Egress", constructName, *sg.Node().Path(), describe(rule)))
		}
	}
	return out
}

func (p *PhiService) checkService(stack awscdk.Stack) []string {
	cfn, ok := p.service.Node().DefaultChild().(awsecs.CfnService)
	if !ok {
		return nil
	}
	// CfnProperties comes back as plain JSON (a struct-typed getter loses
	// its nested values on the way through jsii).
	raw := resolved(stack, cfn.CfnProperties())
	assign := "unknown"
	if strings.Contains(raw, `"assignPublicIp":"DISABLED"`) && !strings.Contains(raw, `"assignPublicIp":"ENABLED"`) {
		assign = "DISABLED"
	}
	if assign != "DISABLED" {
		return []string{fmt.Sprintf("%s: the service's tasks may get a public IP (AssignPublicIp %s); it must stay DISABLED", constructName, assign)}
	}
	return nil
}

func (p *PhiService) checkContainers(stack awscdk.Stack) []string {
	cfn, ok := p.taskDef.Node().DefaultChild().(awsecs.CfnTaskDefinition)
	if !ok {
		return nil
	}
	var defs []map[string]interface{}
	raw, _ := json.Marshal(stack.Resolve(cfn.ContainerDefinitions()))
	_ = json.Unmarshal(raw, &defs)
	var out []string
	for _, d := range defs {
		get := func(k string) interface{} {
			if v, ok := d[k]; ok {
				return v
			}
			return d[strings.ToUpper(k[:1])+k[1:]]
		}
		name := fmt.Sprint(get("name"))
		if get("readonlyRootFilesystem") != true {
			out = append(out, fmt.Sprintf("%s: container %s no longer has a read-only root filesystem", constructName, name))
		}
		if get("privileged") == true {
			out = append(out, fmt.Sprintf("%s: container %s is privileged", constructName, name))
		}
		user, _ := get("user").(string)
		uid, _, _ := strings.Cut(user, ":")
		if (user == "" || uid == "0" || uid == "root") && !p.rootAllowed {
			out = append(out, fmt.Sprintf("%s: container %s runs as root (user %q); set a non-root user or AllowRootUser", constructName, name, user))
		}
		env, _ := get("environment").([]interface{})
		for _, e := range env {
			m, _ := e.(map[string]interface{})
			n := fmt.Sprint(m["name"], m["Name"])
			n = strings.TrimSuffix(strings.TrimPrefix(n, "<nil>"), "<nil>")
			if looksSecret(n) {
				out = append(out, fmt.Sprintf("%s: container %s has a plain environment variable %q that looks like a secret; inject it through Secrets", constructName, name, n))
			}
		}
	}
	return out
}

func (p *PhiService) checkListeners(t *base.Tree, stack awscdk.Stack) []string {
	var out []string
	lbArn := resolved(stack, p.lb.LoadBalancerArn())
	if cfn, ok := p.lb.Node().DefaultChild().(awselasticloadbalancingv2.CfnLoadBalancer); ok {
		attrs := resolved(stack, cfn.LoadBalancerAttributes())
		for _, want := range []string{`{"key":"routing.http.drop_invalid_header_fields.enabled","value":"true"}`, `{"key":"access_logs.s3.enabled","value":"true"}`} {
			if !strings.Contains(attrs, want) {
				out = append(out, fmt.Sprintf("%s: the load balancer lost the attribute %s", constructName, want))
			}
		}
	}
	for _, c := range t.Constructs() {
		l, ok := c.(awselasticloadbalancingv2.CfnListener)
		if !ok || resolved(stack, l.LoadBalancerArn()) != lbArn {
			continue
		}
		proto := deref2(l.Protocol())
		switch proto {
		case "HTTPS":
			if !tls12PolicyName.MatchString(deref2(l.SslPolicy())) {
				out = append(out, fmt.Sprintf("%s: HTTPS listener %s has TLS policy %q, which accepts TLS below 1.2", constructName, *l.Node().Path(), deref2(l.SslPolicy())))
			}
		case "HTTP":
			actions := resolved(stack, l.DefaultActions())
			if !strings.Contains(actions, `"type":"redirect"`) || !strings.Contains(actions, `"protocol":"HTTPS"`) {
				out = append(out, fmt.Sprintf("%s: HTTP listener %s does more than redirect to HTTPS", constructName, *l.Node().Path()))
			}
		default:
			out = append(out, fmt.Sprintf("%s: listener %s uses %s; the load balancer serves HTTPS only (HTTP redirects)", constructName, *l.Node().Path(), proto))
		}
	}
	for _, c := range t.Constructs() {
		if r, ok := c.(awselasticloadbalancingv2.CfnListenerRule); ok && resolved(stack, r.ListenerArn()) == resolved(stack, p.http.ListenerArn()) {
			out = append(out, fmt.Sprintf("%s: rule %s on the HTTP listener; port 80 only redirects to HTTPS", constructName, *r.Node().Path()))
		}
	}
	return out
}

func eq(p *string, v string) bool { return p != nil && *p == v }

func deref2(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// resolved is a value's CloudFormation form in stack, as JSON, for
// comparison. A property that jsii hands back as a Go struct is marshalled
// as it is (its fields carry their CloudFormation names).
func resolved(stack awscdk.Stack, v interface{}) string {
	if v == nil {
		return "null"
	}
	switch v.(type) {
	case *string, string, awscdk.IResolvable, *[]interface{}, []interface{}:
		raw, _ := json.Marshal(stack.Resolve(v))
		return string(raw)
	}
	if rv := reflect.ValueOf(v); rv.Kind() != reflect.Ptr || rv.Elem().Kind() != reflect.Struct {
		raw, _ := json.Marshal(stack.Resolve(v))
		return string(raw)
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

func describe(rule map[string]interface{}) string {
	raw, _ := json.Marshal(rule)
	return string(raw)
}
