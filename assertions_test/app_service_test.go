package assertions_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// Every environment's app stack runs the profile's image, size and task
// count behind the profile's certificate, in the network's app-tier group.
func TestAppServiceFollowsProfile(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		tmpl := s.template(t, p.Name+"-app")
		_, svc := only(t, resourcesOf(tmpl, "AWS::ECS::Service"), "AWS::ECS::Service")
		if got := props(svc)["DesiredCount"]; got != float64(p.AppTaskCount) {
			t.Errorf("%s-app: DesiredCount %v, profile says %d", p.Name, got, p.AppTaskCount)
		}
		net := jsonOf(props(svc)["NetworkConfiguration"])
		if !strings.Contains(net, `"AssignPublicIp":"DISABLED"`) || !strings.Contains(net, "AppTierSecurityGroup") || !strings.Contains(net, p.Name+"-network") {
			t.Errorf("%s-app: network configuration %s", p.Name, net)
		}
		_, td := only(t, resourcesOf(tmpl, "AWS::ECS::TaskDefinition"), "AWS::ECS::TaskDefinition")
		c := props(td)["ContainerDefinitions"].([]interface{})[0].(map[string]interface{})
		if c["Image"] != p.AppImage || c["User"] != p.AppContainerUser || props(td)["Cpu"] != jsonNum(p.AppCpu) || props(td)["Memory"] != jsonNum(p.AppMemoryMiB) {
			t.Errorf("%s-app: image %v user %v cpu %v memory %v", p.Name, c["Image"], c["User"], props(td)["Cpu"], props(td)["Memory"])
		}
		if !strings.Contains(jsonOf(c["Environment"]), `"PGUSER","Value":"`+stacks.AppDatabaseUser+`"`) {
			t.Errorf("%s-app: the container is not told the database user", p.Name)
		}
		https := 0
		for _, l := range resourcesOf(tmpl, "AWS::ElasticLoadBalancingV2::Listener") {
			if props(l)["Protocol"] == "HTTPS" {
				https++
				if got := jsonOf(props(l)["Certificates"]); !strings.Contains(got, p.AppCertificateArn) {
					t.Errorf("%s-app: certificates %s, want %s", p.Name, got, p.AppCertificateArn)
				}
			}
		}
		if https != 1 {
			t.Errorf("%s-app: %d HTTPS listeners", p.Name, https)
		}
		_, lb := only(t, resourcesOf(tmpl, "AWS::ElasticLoadBalancingV2::LoadBalancer"), "LoadBalancer")
		protected := strings.Contains(jsonOf(props(lb)["LoadBalancerAttributes"]), `"deletion_protection.enabled","Value":"true"`)
		if protected != p.DeletionProtection {
			t.Errorf("%s-app: load balancer deletion protection %v, profile says %v", p.Name, protected, p.DeletionProtection)
		}
		rules := suppressedRules(lb)
		if p.HoldsPhi && len(rules) > 0 {
			t.Errorf("%s holds PHI but its load balancer suppresses %v", p.Name, rules)
		}
		for _, r := range rules {
			if reason := suppressionReason(lb, r); !strings.Contains(reason, p.Name+"-app") || !strings.Contains(reason, "no PHI") {
				t.Errorf("%s-app: suppression %s must name the stack and that it holds no PHI: %q", p.Name, r, reason)
			}
		}
		// The task policy connects as the one database user of the data stack.
		task := ""
		for id, mp := range resourcesOf(tmpl, "AWS::IAM::ManagedPolicy") {
			if strings.Contains(id, "TaskPolicy") {
				task = jsonOf(props(mp))
			}
		}
		if !strings.Contains(task, "rds-db:connect") || !strings.Contains(task, "/"+stacks.AppDatabaseUser) {
			t.Errorf("%s-app: task policy %s", p.Name, task)
		}
	}
}

func jsonNum(n int) string { return jsonOf(n) }

// The network's app-tier group allows no outbound traffic of its own; the
// service adds its egress in the app stack, and admits only its load
// balancer.
func TestAppTierGroupEgressComesFromTheService(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		for id, sg := range resourcesOf(s.template(t, p.Name+"-network"), "AWS::EC2::SecurityGroup") {
			if !strings.HasPrefix(id, "AppTierSecurityGroup") {
				continue
			}
			if e := jsonOf(props(sg)["SecurityGroupEgress"]); !strings.Contains(e, "255.255.255.255/32") || strings.Contains(e, "0.0.0.0/0") {
				t.Errorf("%s-network: app-tier egress %s, want none (CDK's placeholder)", p.Name, e)
			}
		}
		app := s.template(t, p.Name+"-app")
		toAppTier := 0
		for _, e := range resourcesOf(app, "AWS::EC2::SecurityGroupEgress") {
			if strings.Contains(jsonOf(props(e)["GroupId"]), "AppTierSecurityGroup") {
				toAppTier++
			}
		}
		if toAppTier != 2 {
			t.Errorf("%s-app: %d egress rules on the app tier, want HTTPS and the database port", p.Name, toAppTier)
		}
		ingress := 0
		for _, r := range resourcesOf(app, "AWS::EC2::SecurityGroupIngress") {
			pr := props(r)
			if strings.Contains(jsonOf(pr["GroupId"]), "AppTierSecurityGroup") {
				ingress++
				if !strings.Contains(jsonOf(pr["SourceSecurityGroupId"]), "LoadBalancerSecurityGroup") || pr["FromPort"] != float64(p.AppContainerPort) {
					t.Errorf("%s-app: app tier admits %v", p.Name, pr)
				}
			}
		}
		if ingress != 1 {
			t.Errorf("%s-app: %d ingress rules on the app tier, want the load balancer's", p.Name, ingress)
		}
	}
}

// `-c appCertificateArn=...` (make deploy-local) replaces the profile's
// placeholder certificate.
func TestAppCertificateFromContext(t *testing.T) {
	const arn = "arn:aws:acm:us-east-1:123456789012:certificate/abcdef01-2345-6789-abcd-ef0123456789"
	app := newApp(t)
	app.Node().SetContext(jsii.String(stacks.ContextEnv), "dev")
	app.Node().SetContext(jsii.String(stacks.ContextAppCertificateArn), arn)
	stacks.Compose(app)
	tmpl := app.Synth(nil).GetStackByName(jsii.String("dev-app")).Template()
	if got := jsonOf(tmpl); !strings.Contains(got, arn) || strings.Contains(got, stacks.PlaceholderCertificateArn) {
		t.Errorf("dev-app does not use the context's certificate %s", arn)
	}
	_ = awscdk.App(app)
}
