package assertions_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/tierisolation"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// isolationEdge gives TierIsolation only a web ACL, with an allow-list.
var isolationEdge = newFixture("isolation-edge", func(app awscdk.App) {
	stack := awscdk.NewStack(app, jsii.String("edge"), nil)
	acl := awswafv2.NewCfnWebACL(stack, jsii.String("WebAcl"), &awswafv2.CfnWebACLProps{
		Scope:         jsii.String("REGIONAL"),
		DefaultAction: &awswafv2.CfnWebACL_DefaultActionProperty{Allow: &awswafv2.CfnWebACL_AllowActionProperty{}},
		VisibilityConfig: &awswafv2.CfnWebACL_VisibilityConfigProperty{
			CloudWatchMetricsEnabled: jsii.Bool(true), SampledRequestsEnabled: jsii.Bool(true), MetricName: jsii.String("web"),
		},
		Rules: &[]interface{}{&awswafv2.CfnWebACL_RuleProperty{
			Name: jsii.String("Common"), Priority: jsii.Number(1),
			OverrideAction: &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]interface{}{}},
			Statement: &awswafv2.CfnWebACL_StatementProperty{ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
				VendorName: jsii.String("AWS"), Name: jsii.String("AWSManagedRulesCommonRuleSet"),
			}},
			VisibilityConfig: &awswafv2.CfnWebACL_VisibilityConfigProperty{
				CloudWatchMetricsEnabled: jsii.Bool(true), SampledRequestsEnabled: jsii.Bool(true), MetricName: jsii.String("common"),
			},
		}},
	})
	// The app tier logs its web ACL; this fixture has no app tier.
	acl.AddMetadata(jsii.String("cdk_nag"), map[string]interface{}{"rules_to_suppress": []interface{}{map[string]interface{}{
		"id": "HIPAA.Security-WAFv2LoggingEnabled", "reason": "Test fixture: the web ACL stands in for the app tier's, which configures its logging",
	}}})
	topic := awssns.Topic_FromTopicArn(stack, jsii.String("Topic"), jsii.String("arn:aws:sns:us-east-1:123456789012:alarms"))
	tierisolation.NewTierIsolation(stack, jsii.String("Isolation"), &tierisolation.TierIsolationProps{
		ResponderPrincipals: &[]awsiam.IPrincipal{awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::123456789012:role/oncall"))},
		AlarmTopic:          topic,
		WebAcl:              acl,
		ResponderCidrs:      jsii.Strings("198.51.100.0/24"),
	})
})

func TestIsolationEdgeNagClean(t *testing.T) { requireNagClean(t, isolationEdge) }

// automationDocs are a template's Automation documents by name.
func automationDocs(tmpl map[string]interface{}) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	for _, r := range tmpl["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		if res["Type"] == "AWS::SSM::Document" && props(res)["DocumentType"] == "Automation" {
			out[props(res)["Name"].(string)] = props(res)
		}
	}
	return out
}

func docParam(doc map[string]interface{}, name string) map[string]interface{} {
	return doc["Content"].(map[string]interface{})["parameters"].(map[string]interface{})[name].(map[string]interface{})
}

func TestIsolationDocumentsPerEnvironment(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		name := p.Name + "-isolation"
		docs := automationDocs(s.templates[name])
		for _, tier := range []string{"Data", "Access", "Edge"} {
			for _, verb := range []string{"Isolate", "Reconnect"} {
				doc, ok := docs[name+"-"+verb+tier]
				if !ok {
					t.Errorf("%s: no document %s-%s%s; have %v", name, name, verb, tier, docs)
					continue
				}
				if doc["UpdateMethod"] != "NewVersion" {
					t.Errorf("%s-%s%s: UpdateMethod %v (a named document must update in place)", name, verb, tier, doc["UpdateMethod"])
				}
				step := doc["Content"].(map[string]interface{})["mainSteps"].([]interface{})[0].(map[string]interface{})
				if step["action"] != "aws:executeScript" || step["inputs"].(map[string]interface{})["Runtime"] != tierisolation.ScriptRuntime {
					t.Errorf("%s-%s%s: step %v", name, verb, tier, step["action"])
				}
				role := docParam(doc, "AutomationAssumeRole")
				if jsonOf(role["allowedValues"]) != jsonOf([]interface{}{role["default"]}) {
					t.Errorf("%s-%s%s: the automation role can be swapped: %v", name, verb, tier, role)
				}
			}
		}
		if len(docs) != 6 {
			t.Errorf("%s: %d documents, want 6 (isolate and reconnect for data, access and the app tier's web ACL)", name, len(docs))
		}
		// The data documents: both name the network stack's data-tier ACL
		// (and only it), with fixed rule numbers below HipaaVpc's allow entries.
		iso, rec := docs[name+"-IsolateData"], docs[name+"-ReconnectData"]
		for verb, doc := range map[string]map[string]interface{}{"isolate": iso, "reconnect": rec} {
			acl := docParam(doc, "NetworkAclId")
			if got := jsonOf(acl["default"]); !strings.Contains(got, "NetworkDataTierAcl") || !strings.Contains(got, p.Name+"-network") {
				t.Errorf("%s: %s names the ACL %s, want the network stack's data-tier ACL", name, verb, got)
			}
			if jsonOf(acl["allowedValues"]) != jsonOf([]interface{}{acl["default"]}) {
				t.Errorf("%s: %s can be pointed at another ACL: %v", name, verb, acl)
			}
			if got := docParam(doc, "Action")["default"]; got != verb {
				t.Errorf("%s: %s runs Action %v", name, verb, got)
			}
			for _, rule := range []string{"Ipv4RuleNumber", "Ipv6RuleNumber"} {
				r := docParam(doc, rule)
				n, err := strconv.Atoi(fmt.Sprint(r["default"]))
				if err != nil || n < 1 || n >= 100 || jsonOf(r["allowedValues"]) != jsonOf([]interface{}{r["default"]}) {
					t.Errorf("%s: %s %s %v, want one fixed number in 1-99 (before the allow entries at 100+)", name, verb, rule, r)
				}
			}
		}
		if n := len(docParam(rec, "SubnetIds")["default"].([]interface{})); n != p.MaxAzs {
			t.Errorf("%s: %d data subnets, want %d", name, n, p.MaxAzs)
		}
		if got := jsonOf(docParam(docs[name+"-ReconnectAccess"], "InstanceIds")["default"]); !strings.Contains(got, p.Name+"-access") {
			t.Errorf("%s: reconnect starts %s, want the access stack's bastion", name, got)
		}
	}
}

// The responder role is the only principal, anywhere in the app, allowed to
// start Automation executions or pass the automation roles, and only with MFA.
func TestIsolationOnlyTheResponderStartsDocuments(t *testing.T) {
	s := theApp.get(t)
	var holders []string
	for _, stackName := range s.stackNames() {
		for id, r := range s.templates[stackName]["Resources"].(map[string]interface{}) {
			res := r.(map[string]interface{})
			text := jsonOf(props(res))
			if strings.Contains(text, "ssm:StartAutomationExecution") || (strings.Contains(text, "iam:PassRole") && strings.Contains(text, "AutomationRole")) {
				holders = append(holders, stackName+"/"+id)
				if res["Type"] != "AWS::IAM::ManagedPolicy" {
					t.Errorf("%s/%s (%v) allows starting the documents", stackName, id, res["Type"])
				}
			}
		}
	}
	if len(holders) != len(stacks.Profiles) {
		t.Fatalf("policies that start documents or pass their roles: %v, want one per environment", holders)
	}
	for _, p := range stacks.Profiles {
		tmpl := s.template(t, p.Name+"-isolation")
		policies := resourcesOf(tmpl, "AWS::IAM::ManagedPolicy")
		for id, pol := range policies {
			if !strings.Contains(jsonOf(props(pol)), "ssm:StartAutomationExecution") {
				continue
			}
			roles := props(pol)["Roles"].([]interface{})
			if len(roles) != 1 || !strings.HasPrefix(refTo(roles[0]), "IsolationResponderRole") {
				t.Errorf("%s: %s is attached to %v, want the responder role only", p.Name, id, roles)
			}
		}
		for id, role := range resourcesOf(tmpl, "AWS::IAM::Role") {
			trust := props(role)["AssumeRolePolicyDocument"].(map[string]interface{})["Statement"].([]interface{})
			for _, st := range trust {
				text := jsonOf(st)
				switch {
				case strings.HasPrefix(id, "IsolationResponderRole"):
					if !strings.Contains(text, `"Bool":{"aws:MultiFactorAuthPresent":"true"}`) {
						t.Errorf("%s: responder trust without MFA: %s", p.Name, text)
					}
				case !strings.Contains(text, "ssm.amazonaws.com") || !strings.Contains(text, "aws:SourceAccount"):
					t.Errorf("%s: %s is assumable by %s, want Systems Manager of this account only", p.Name, id, text)
				}
			}
			if props(role)["Policies"] != nil {
				t.Errorf("%s: %s has inline policies", p.Name, id)
			}
		}
	}
}

// The data tier is isolated by entries the documents add at run time to the
// data-tier ACL: no ACL, entry or association of its own at deploy time, only
// the two entry calls on that ACL, and the rule numbers free in the app.
func TestIsolationDataTierAclUntouchedAtDeploy(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		name := p.Name + "-isolation"
		tmpl := s.template(t, name)
		for _, typ := range []string{"AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation"} {
			if r := resourcesOf(tmpl, typ); len(r) > 0 {
				t.Errorf("%s: %d %s; the isolation stack must leave the network ACLs to the network stack", name, len(r), typ)
			}
		}
		for eid, e := range resourcesOf(s.template(t, p.Name+"-network"), "AWS::EC2::NetworkAclEntry") {
			if n := int(props(e)["RuleNumber"].(float64)); n == tierisolation.IsolationRuleNumber || n == tierisolation.IsolationRuleNumberIpv6 {
				t.Errorf("%s-network/%s takes rule number %d, which isolation adds", p.Name, eid, n)
			}
		}
		var found bool
		for id, pol := range resourcesOf(tmpl, "AWS::IAM::ManagedPolicy") {
			text := jsonOf(props(pol))
			if strings.Contains(text, "ec2:ReplaceNetworkAclAssociation") {
				t.Errorf("%s/%s still replaces ACL associations", name, id)
			}
			if !strings.HasPrefix(id, "IsolationDataAutomationPolicy") {
				continue
			}
			found = true
			for _, st := range props(pol)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
				st := st.(map[string]interface{})
				acts := jsonOf(st["Action"])
				switch {
				case acts == `"ec2:DescribeNetworkAcls"`:
				case acts == `["ec2:CreateNetworkAclEntry","ec2:DeleteNetworkAclEntry"]`:
					if res := jsonOf(st["Resource"]); !strings.Contains(res, "network-acl/") || !strings.Contains(res, "NetworkDataTierAcl") || strings.HasPrefix(res, "[") {
						t.Errorf("%s/%s: entry calls on %s, want the data-tier ACL only", name, id, res)
					}
				default:
					t.Errorf("%s/%s: unexpected statement %s", name, id, jsonOf(st))
				}
			}
		}
		if !found {
			t.Errorf("%s: no data automation policy", name)
		}
	}
}

// Every execution of every document notifies the audit topic with its runbook.
func TestIsolationExecutionsAreAlarmed(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		name := p.Name + "-isolation"
		tmpl := s.template(t, name)
		rules := resourcesOf(tmpl, "AWS::Events::Rule")
		seen := map[string]bool{}
		for id, r := range rules {
			pattern := props(r)["EventPattern"].(map[string]interface{})
			doc := pattern["detail"].(map[string]interface{})["Definition"].([]interface{})[0].(string)
			seen[doc] = true
			if jsonOf(pattern["detail-type"]) != `["`+tierisolation.ExecutionDetailType+`"]` {
				t.Errorf("%s/%s: detail-type %v", name, id, pattern["detail-type"])
			}
			target := props(r)["Targets"].([]interface{})[0].(map[string]interface{})
			if !strings.Contains(jsonOf(target["Arn"]), p.Name+"-audit") {
				t.Errorf("%s/%s targets %v, want the audit stack's alarm topic", name, id, target["Arn"])
			}
			tpl := target["InputTransformer"].(map[string]interface{})["InputTemplate"].(string)
			counterpart := strings.Replace(doc, "-Isolate", "-Reconnect", 1)
			if strings.Contains(doc, "-Reconnect") {
				counterpart = strings.Replace(doc, "-Reconnect", "-Isolate", 1)
			}
			if !strings.Contains(tpl, "by <by>") || !strings.Contains(tpl, "run "+counterpart) {
				t.Errorf("%s/%s: runbook %s lacks who and %s", name, id, tpl, counterpart)
			}
		}
		if len(seen) != 6 {
			t.Errorf("%s: alerts for %v, want the 6 documents", name, seen)
		}
	}
}

func TestIsolationEdgeRestoresTheSynthesizedRules(t *testing.T) {
	docs := automationDocs(isolationEdge.get(t).templates["edge"])
	iso, rec := docs["edge-IsolateEdge"], docs["edge-ReconnectEdge"]
	if iso == nil || rec == nil {
		t.Fatalf("edge documents: %v", docs)
	}
	if got := docParam(iso, "DefaultAction")["default"]; got != `{"Block":{}}` {
		t.Errorf("isolate default action %v", got)
	}
	if got := jsonOf(docParam(iso, "Rules")["default"]); !strings.Contains(got, "IsolationAllowResponders") || !strings.Contains(got, "ResponderIpSet") {
		t.Errorf("isolate rules %s, want the responders' allow rule", got)
	}
	if got := docParam(rec, "DefaultAction")["default"]; got != `{"Allow":{}}` {
		t.Errorf("reconnect default action %v, want the synthesized {\"Allow\":{}}", got)
	}
	// Exactly the template's rules: UpdateWebACL refuses any other key (jsii
	// once left {"$jsii.map": {}} in OverrideAction None), and anything else is drift.
	var webAcl map[string]interface{}
	for _, r := range isolationEdge.get(t).templates["edge"]["Resources"].(map[string]interface{}) {
		if r.(map[string]interface{})["Type"] == "AWS::WAFv2::WebACL" {
			webAcl = props(r.(map[string]interface{}))
		}
	}
	var got interface{}
	if err := json.Unmarshal([]byte(docParam(rec, "Rules")["default"].(string)), &got); err != nil {
		t.Fatalf("reconnect rules %v: %v", docParam(rec, "Rules")["default"], err)
	}
	if jsonOf(got) != jsonOf(webAcl["Rules"]) || !strings.Contains(jsonOf(got), `"OverrideAction":{"None":{}}`) {
		t.Errorf("reconnect rules %s, want the template's %s", jsonOf(got), jsonOf(webAcl["Rules"]))
	}
}

func TestIsolationRefusesBadProps(t *testing.T) {
	topic := func(st awscdk.Stack) awssns.ITopic {
		// Imported in a stack of its own: the stack under test must stay empty.
		other := awscdk.NewStack(st.Node().Root().(constructs.Construct), jsii.String("TopicStack"), nil)
		return awssns.Topic_FromTopicArn(other, jsii.String("T"), jsii.String("arn:aws:sns:us-east-1:123456789012:t"))
	}
	root := &[]awsiam.IPrincipal{awsiam.NewAccountRootPrincipal()}
	cases := map[string]struct {
		props func(st awscdk.Stack) *tierisolation.TierIsolationProps
		want  string
	}{
		"nil": {func(awscdk.Stack) *tierisolation.TierIsolationProps { return nil }, "invalid prop ResponderPrincipals"},
		"no topic": {func(awscdk.Stack) *tierisolation.TierIsolationProps {
			return &tierisolation.TierIsolationProps{ResponderPrincipals: root}
		}, "invalid prop AlarmTopic"},
		"no tier": {func(st awscdk.Stack) *tierisolation.TierIsolationProps {
			return &tierisolation.TierIsolationProps{ResponderPrincipals: root, AlarmTopic: topic(st)}
		}, "no tier to isolate"},
		"bad prefix": {func(st awscdk.Stack) *tierisolation.TierIsolationProps {
			return &tierisolation.TierIsolationProps{ResponderPrincipals: root, AlarmTopic: topic(st), DocumentNamePrefix: jsii.String("AWS-x")}
		}, "invalid prop DocumentNamePrefix"},
		"cidrs no acl": {func(st awscdk.Stack) *tierisolation.TierIsolationProps {
			return &tierisolation.TierIsolationProps{ResponderPrincipals: root, AlarmTopic: topic(st), ResponderCidrs: jsii.Strings("10.0.0.0/8")}
		}, "invalid prop ResponderCidrs"},
		"vpn no bastion": {func(st awscdk.Stack) *tierisolation.TierIsolationProps {
			other := awscdk.NewStack(st.Node().Root().(constructs.Construct), jsii.String("VpnStack"), nil)
			ep := awsec2.ClientVpnEndpoint_FromEndpointAttributes(other, jsii.String("Vpn"), &awsec2.ClientVpnEndpointAttributes{
				EndpointId: jsii.String("cvpn-endpoint-0123456789abcdef0"), SecurityGroups: &[]awsec2.ISecurityGroup{},
			})
			return &tierisolation.TierIsolationProps{ResponderPrincipals: root, AlarmTopic: topic(st), ClientVpnEndpoint: ep}
		}, "invalid prop ClientVpnEndpoint"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			expectSynthError(t, func(st awscdk.Stack) {
				tierisolation.NewTierIsolation(st, jsii.String("Isolation"), c.props(st))
			}, "TierIsolation: ", c.want)
		})
	}
}

// isolationVpn gives TierIsolation a bastion with a mutual-TLS Client VPN.
var isolationVpn = newFixture("isolation-vpn", func(app awscdk.App) {
	stack := awscdk.NewStack(app, jsii.String("vpn"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	net := hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), nil)
	access := bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
		Vpc: net.Vpc(),
		ClientVpn: &bastionaccess.ClientVpnProps{
			ClientCidr:            jsii.String("172.16.0.0/22"),
			ServerCertificate:     cert(stack, testServerCert),
			ClientRootCertificate: cert(stack, testClientRoot),
		},
	})
	topic := awssns.Topic_FromTopicArn(stack, jsii.String("Topic"), jsii.String("arn:aws:sns:us-east-1:111111111111:alarms"))
	tierisolation.NewTierIsolation(stack, jsii.String("Isolation"), &tierisolation.TierIsolationProps{
		ResponderPrincipals: &[]awsiam.IPrincipal{awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::111111111111:role/oncall"))},
		AlarmTopic:          topic,
		BastionInstance:     access.Instance(),
		BastionKey:          access.EncryptionKey(),
		ClientVpnEndpoint:   access.ClientVpnEndpoint(),
	})
})

func TestIsolationVpnNagClean(t *testing.T) { requireNagClean(t, isolationVpn) }

// With a Client VPN, the access documents revoke and terminate, then
// authorize exactly the synthesized rules again, on that endpoint only.
func TestIsolationAccessClientVpn(t *testing.T) {
	tmpl := isolationVpn.get(t).templates["vpn"]
	var endpoint string
	var want []string // "cidr|description" of each synthesized rule
	for id, r := range tmpl["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		switch res["Type"] {
		case "AWS::EC2::ClientVpnEndpoint":
			endpoint = id
		case "AWS::EC2::ClientVpnAuthorizationRule":
			if props(res)["AuthorizeAllGroups"] != true {
				t.Fatalf("fixture rule %s is not for all groups", id)
			}
			want = append(want, fmt.Sprint(props(res)["TargetNetworkCidr"], "|", props(res)["Description"]))
		}
	}
	if endpoint == "" || len(want) == 0 {
		t.Fatalf("fixture: endpoint %q, rules %v", endpoint, want)
	}
	docs := automationDocs(tmpl)
	for verb, action := range map[string]string{"Isolate": "revoke", "Reconnect": "authorize"} {
		doc := docs["vpn-"+verb+"Access"]
		if doc == nil {
			t.Fatalf("no vpn-%sAccess in %v", verb, docs)
		}
		content := doc["Content"].(map[string]interface{})
		steps := content["mainSteps"].([]interface{})
		if len(steps) != 2 {
			t.Fatalf("%s: %d steps, want the bastion's and the VPN's", verb, len(steps))
		}
		st := steps[1].(map[string]interface{})
		script := st["inputs"].(map[string]interface{})["Script"].(string)
		if st["name"] != verb+"ClientVpn" || script != tierisolation.Script("client_vpn.py") {
			t.Errorf("%s: second step %v", verb, st["name"])
		}
		if jsonOf(content["outputs"]) != jsonOf([]interface{}{verb + ".Changes", verb + "ClientVpn.Changes"}) {
			t.Errorf("%s: outputs %v", verb, content["outputs"])
		}
		for _, api := range map[string][]string{
			"revoke":    {"revoke_client_vpn_ingress", "RevokeAllGroups", "terminate_client_vpn_connections"},
			"authorize": {"authorize_client_vpn_ingress", "AuthorizeAllGroups"},
		}[action] {
			if !strings.Contains(script, api) {
				t.Errorf("%s: script lacks %s", verb, api)
			}
		}
		ep := docParam(doc, "ClientVpnEndpointId")
		if got := jsonOf(ep["default"]); !strings.Contains(got, endpoint) || jsonOf(ep["allowedValues"]) != jsonOf([]interface{}{ep["default"]}) {
			t.Errorf("%s: endpoint %v, want %s and only it", verb, ep, endpoint)
		}
		if got := docParam(doc, "VpnAction"); got["default"] != action || jsonOf(got["allowedValues"]) != jsonOf([]interface{}{action}) {
			t.Errorf("%s: VpnAction %v, want %s", verb, got, action)
		}
		rp := docParam(doc, "AuthorizationRules")
		var rules []map[string]interface{}
		if err := json.Unmarshal([]byte(rp["default"].(string)), &rules); err != nil {
			t.Fatalf("%s: AuthorizationRules %v: %v", verb, rp["default"], err)
		}
		var got []string
		for _, r := range rules {
			if r["GroupId"] != nil {
				t.Errorf("%s: rule %v names a group, the synthesized rule is for all groups", verb, r)
			}
			got = append(got, fmt.Sprint(r["Cidr"], "|", r["Description"]))
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") || jsonOf(rp["allowedValues"]) != jsonOf([]interface{}{rp["default"]}) {
			t.Errorf("%s: rules %v, want exactly the synthesized %v", verb, got, want)
		}
	}
	var found bool
	for id, pol := range resourcesOf(isolationVpn.get(t).template(t, "vpn"), "AWS::IAM::ManagedPolicy") {
		if !strings.HasPrefix(id, "IsolationAccessAutomationPolicy") {
			continue
		}
		for _, st := range props(pol)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			st := st.(map[string]interface{})
			acts := jsonOf(st["Action"])
			if !strings.Contains(acts, "ClientVpn") {
				continue
			}
			res := jsonOf(st["Resource"])
			switch {
			case strings.Contains(acts, "Describe"):
				if strings.Contains(acts, "Revoke") || strings.Contains(acts, "Authorize") || strings.Contains(acts, "Terminate") {
					t.Errorf("%s: describe statement also mutates: %s", id, acts)
				}
			default:
				found = true
				for _, a := range []string{"ec2:RevokeClientVpnIngress", "ec2:TerminateClientVpnConnections", "ec2:AuthorizeClientVpnIngress"} {
					if !strings.Contains(acts, a) {
						t.Errorf("%s: %s lacks %s", id, acts, a)
					}
				}
				if !strings.Contains(res, "client-vpn-endpoint/") || !strings.Contains(res, endpoint) || strings.HasPrefix(res, "[") {
					t.Errorf("%s: VPN calls on %s, want the endpoint only", id, res)
				}
			}
		}
	}
	if !found {
		t.Errorf("the access automation policy does not name the endpoint")
	}
}
