// Package tierisolation provides TierIsolation: ready-made emergency
// disconnection of an environment's tiers, one audited, reversible step per
// tier, deployed with the stacks and idle until used.
//
//	iso := tierisolation.NewTierIsolation(stack, jsii.String("Isolation"), &tierisolation.TierIsolationProps{
//		ResponderPrincipals: &[]awsiam.IPrincipal{awsiam.NewAccountRootPrincipal()},
//		AlarmTopic:          audit.Topic(),            // audittrail.AuditTrail
//		Vpc:                 network.Vpc(),            // hipaavpc.HipaaVpc
//		DataSubnets:         network.DataSubnets(),
//		DataTierAcl:         network.DataTierAcl(),
//		BastionInstance:     access.Instance(),        // bastionaccess.BastionAccess
//		BastionKey:          access.EncryptionKey(),
//	})
//
// Each tier gets two AWS Systems Manager Automation documents,
// <prefix>-Isolate<Tier> and <prefix>-Reconnect<Tier>, whose parameters
// default to the synthesized state: the data tier adds deny-all entries to
// the data-tier network ACL, numbered before its allow entries, and deletes
// them again (the ACL and its subnet associations stay as CloudFormation
// created them); the access tier stops the bastion (or scales its group to zero)
// and starts it again, and with ClientVpnEndpoint also revokes the VPN's
// authorization rules, terminates its connections and authorizes the
// synthesized rules again; the edge sets the web ACL to block everything (or
// admit only ResponderCidrs) and restores its synthesized default action and
// rules. Only the incident-responder role this construct creates (assumable
// by ResponderPrincipals, with MFA) may start them and pass their automation
// roles, which hold least-privilege managed policies. Every execution is an
// API call CloudTrail records, and every status change of an execution is
// announced on AlarmTopic with a one-line runbook.
package tierisolation

import (
	"embed"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

//go:embed scripts/*.py
var scripts embed.FS

// Script is the Python handler of an aws:executeScript step, by file name
// (network_acl.py, bastion.py, client_vpn.py, web_acl.py). The emulator runs
// the same text (client_vpn.py only in its unit tests: moto has no Client VPN).
func Script(name string) string {
	raw, err := scripts.ReadFile("scripts/" + name)
	if err != nil {
		panic(err)
	}
	return string(raw)
}

// TierIsolation holds the isolation and reconnection documents of the tiers
// it was given, the incident-responder role, and the alerts.
type TierIsolation struct {
	constructs.Construct
	responder awsiam.Role
	roles     map[Tier]awsiam.Role
	docs      map[Tier][2]string // isolate, reconnect
	stack     awscdk.Stack
}

// NewTierIsolation creates the documents. Invalid props panic with a
// *validate.Error naming TierIsolation and the prop, before any resource is
// created.
func NewTierIsolation(scope constructs.Construct, id *string, props *TierIsolationProps) *TierIsolation {
	if scope == nil || id == nil || *id == "" {
		validate.Must(fail("scope/id", "a scope and a non-empty id are required"))
	}
	s, err := resolve(props)
	validate.MustAt(scope, id, err)
	stack := awscdk.Stack_Of(scope)
	if s.prefix == "" {
		s.prefix = *stack.StackName()
		validate.MustAt(scope, id, checkPrefix(s.prefix))
	}

	this := &TierIsolation{roles: map[Tier]awsiam.Role{}, docs: map[Tier][2]string{}, stack: stack}
	base.Init(this, scope, id)
	b := &builder{iso: this, s: s, p: props, stack: stack}
	if props.DataSubnets != nil {
		b.dataTier()
	}
	if props.BastionInstance != nil || props.BastionGroup != nil {
		b.accessTier()
	}
	if props.WebAcl != nil {
		b.edgeTier()
	}
	b.responderRole()
	return this
}

// ResponderRole is the incident-responder role: the only principal allowed
// to start the documents and pass their automation roles.
func (t *TierIsolation) ResponderRole() awsiam.IRole { return t.responder }

// AutomationRole is the role the tier's documents run with (nil when the
// tier was not given).
func (t *TierIsolation) AutomationRole(tier Tier) awsiam.IRole {
	if r, ok := t.roles[tier]; ok {
		return r
	}
	return nil
}

// IsolateDocument and ReconnectDocument are the names of the tier's
// documents ("" when the tier was not given).
func (t *TierIsolation) IsolateDocument(tier Tier) string   { return t.docs[tier][0] }
func (t *TierIsolation) ReconnectDocument(tier Tier) string { return t.docs[tier][1] }

// Tiers lists the tiers this construct isolates.
func (t *TierIsolation) Tiers() []Tier {
	var out []Tier
	for _, tier := range Tiers {
		if _, ok := t.docs[tier]; ok {
			out = append(out, tier)
		}
	}
	return out
}

// DocumentName is <prefix>-Isolate<Tier> or <prefix>-Reconnect<Tier>.
func DocumentName(prefix string, tier Tier, reconnect bool) string {
	verb := "Isolate"
	if reconnect {
		verb = "Reconnect"
	}
	return prefix + "-" + verb + title(tier)
}

func title(t Tier) string { return strings.ToUpper(string(t[:1])) + string(t[1:]) }

type builder struct {
	iso   *TierIsolation
	s     *settings
	p     *TierIsolationProps
	stack awscdk.Stack
}

func (b *builder) arn(service, resource, name string) *string {
	return b.stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String(service), Resource: jsii.String(resource), ResourceName: jsii.String(name),
	})
}

// automationRole is the role a tier's documents run with: only Systems
// Manager Automation of this account may assume it.
func (b *builder) automationRole(tier Tier, statements ...awsiam.PolicyStatement) awsiam.Role {
	t := title(tier)
	role := awsiam.NewRole(b.iso, jsii.String(t+"AutomationRole"), &awsiam.RoleProps{
		Description: jsii.String(fmt.Sprintf("TierIsolation: runs the %s tier's isolation and reconnection documents", tier)),
		AssumedBy: awsiam.NewPrincipalWithConditions(awsiam.NewServicePrincipal(jsii.String("ssm.amazonaws.com"), nil), &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": b.stack.Account()},
			"ArnLike":      map[string]interface{}{"aws:SourceArn": b.arn("ssm", "automation-execution", "*")},
		}),
	})
	awsiam.NewManagedPolicy(b.iso, jsii.String(t+"AutomationPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String(fmt.Sprintf("TierIsolation: the API calls of the %s tier's documents, on its resources only", tier)),
		Document:    base.Minimized(statements...),
		Roles:       &[]awsiam.IRole{role},
	})
	b.iso.roles[tier] = role
	return role
}

// param is an Automation document parameter.
type param struct {
	name, typ, description string
	def                    interface{}
	allowed                []interface{}
}

// step is an extra aws:executeScript step of a document, after the first.
type step struct {
	name, script string
	params       []param
}

// document creates one Automation document with one aws:executeScript step,
// followed by the extra steps, if any (each gets only its own parameters).
func (b *builder) document(tier Tier, reconnect bool, role awsiam.Role, description, script string, params []param, extra ...step) string {
	name := DocumentName(b.s.prefix, tier, reconnect)
	parameters := map[string]interface{}{
		"AutomationAssumeRole": map[string]interface{}{
			"type": "String", "default": role.RoleArn(), "allowedValues": []interface{}{role.RoleArn()},
			"description": "The role the steps run with (the tier's automation role).",
		},
	}
	first := "Isolate"
	if reconnect {
		first = "Reconnect"
	}
	var mainSteps, outputs []interface{}
	for _, st := range append([]step{{name: first, script: script, params: params}}, extra...) {
		payload := map[string]interface{}{}
		for _, p := range st.params {
			spec := map[string]interface{}{"type": p.typ, "description": p.description, "default": p.def}
			if len(p.allowed) > 0 {
				spec["allowedValues"] = p.allowed
			}
			parameters[p.name] = spec
			payload[p.name] = "{{ " + p.name + " }}"
		}
		mainSteps = append(mainSteps, map[string]interface{}{
			"name":   st.name,
			"action": "aws:executeScript",
			"inputs": map[string]interface{}{
				"Runtime": ScriptRuntime, "Handler": "handler", "Script": Script(st.script), "InputPayload": payload,
			},
			"outputs": []interface{}{map[string]interface{}{"Name": "Changes", "Selector": "$.Payload.Changes", "Type": "StringList"}},
		})
		outputs = append(outputs, st.name+".Changes")
	}
	content := map[string]interface{}{
		"schemaVersion": "0.3",
		"description":   description,
		"assumeRole":    "{{ AutomationAssumeRole }}",
		"parameters":    parameters,
		"mainSteps":     mainSteps,
		"outputs":       outputs,
	}
	awsssm.NewCfnDocument(b.iso, jsii.String(first+title(tier)+"Document"), &awsssm.CfnDocumentProps{
		Name:           jsii.String(name),
		DocumentType:   jsii.String("Automation"),
		DocumentFormat: jsii.String("JSON"),
		UpdateMethod:   jsii.String("NewVersion"),
		Content:        content,
	})
	return name
}

// tier records the tier's documents and announces their executions.
func (b *builder) tier(tier Tier, isolate, reconnect, what string) {
	b.iso.docs[tier] = [2]string{isolate, reconnect}
	newAlert(b.iso, tier, false, isolate, reconnect, what, b.p.AlarmTopic.TopicArn())
	newAlert(b.iso, tier, true, reconnect, isolate, what, b.p.AlarmTopic.TopicArn())
}

// dataTier: documents that add deny-all entries to DataTierAcl, ahead of its
// allow entries, and delete them again. The ACL, its entries as synthesized
// and its subnet associations are never replaced, so nothing CloudFormation
// manages changes.
func (b *builder) dataTier() {
	var subnetIds []interface{}
	for _, sn := range b.s.subnets {
		subnetIds = append(subnetIds, sn.SubnetId())
	}
	dataAcl := b.p.DataTierAcl.NetworkAclId()
	role := b.automationRole(TierData,
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("ec2:DescribeNetworkAcls"),
			Resources: jsii.Strings("*"), // Describe* calls take no resource
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAclEntry"),
			Resources: &[]*string{b.arn("ec2", "network-acl", *dataAcl)},
		}),
	)
	params := func(action string) []param {
		v4, v6 := fmt.Sprint(IsolationRuleNumber), fmt.Sprint(IsolationRuleNumberIpv6)
		return []param{
			{name: "SubnetIds", typ: "StringList", def: subnetIds,
				description: "The data subnets (as synthesized); isolating checks they are on the data-tier ACL."},
			{name: "NetworkAclId", typ: "String", def: dataAcl, allowed: []interface{}{dataAcl},
				description: "The data-tier network ACL, as synthesized."},
			{name: "Action", typ: "String", def: action, allowed: []interface{}{action},
				description: "isolate: add the deny-all entries; reconnect: delete them."},
			{name: "Ipv4RuleNumber", typ: "String", def: v4, allowed: []interface{}{v4},
				description: "The rule number of the deny-all entries for 0.0.0.0/0 (below the ACL's allow entries)."},
			{name: "Ipv6RuleNumber", typ: "String", def: v6, allowed: []interface{}{v6},
				description: "The rule number of the deny-all entries for ::/0, when the ACL has IPv6 entries."},
		}
	}
	isolate := b.document(TierData, false, role,
		"Isolate the data tier: add deny-all entries (all protocols, ingress and egress, 0.0.0.0/0, and ::/0 "+
			"when the ACL has IPv6) to the data-tier network ACL, evaluated before its allow entries, "+
			"cutting every network path to and from the PHI stores. The ACL and its associations are kept; "+
			"the database keeps running; nothing is deleted.",
		"network_acl.py", params("isolate"))
	reconnect := b.document(TierData, true, role,
		"Reconnect the data tier: delete the isolation's deny-all entries from the data-tier network ACL, "+
			"leaving it as synthesized.",
		"network_acl.py", params("reconnect"))
	b.tier(TierData, isolate, reconnect, "data tier network ACL")
}

// accessTier: stop the bastion (or scale its group to zero), and start it
// again (or restore the group's synthesized sizes). With ClientVpnEndpoint, a
// second step revokes the endpoint's authorization rules and terminates its
// connections, and authorizes the synthesized rules again; CloudFormation
// identifies a rule by endpoint, CIDR and group, so its resources match again.
func (b *builder) accessTier() {
	var statements []awsiam.PolicyStatement
	instanceIds := []interface{}{"none"}
	group := "none"
	sizes := [3]interface{}{"0", "0", "0"}
	if inst := b.p.BastionInstance; inst != nil {
		instanceIds = []interface{}{inst.InstanceId()}
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("ec2:StopInstances", "ec2:StartInstances"),
			Resources: &[]*string{b.arn("ec2", "instance", *inst.InstanceId())},
		}))
	}
	if asg := b.s.asg; asg != nil {
		group = *b.p.BastionGroup.AutoScalingGroupName()
		desired := asg.DesiredCapacity()
		if desired == nil {
			desired = asg.MinSize()
		}
		sizes = [3]interface{}{asg.MinSize(), asg.MaxSize(), desired}
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("autoscaling:UpdateAutoScalingGroup"),
			Resources: &[]*string{b.stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("autoscaling"), Resource: jsii.String("autoScalingGroup"),
				ResourceName: jsii.String("*:autoScalingGroupName/" + group), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
			})},
		}))
	}
	if key := b.p.BastionKey; key != nil {
		// Starting an instance whose EBS volumes use a customer-managed key
		// needs a grant for EC2 on that key.
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:    jsii.Strings("kms:CreateGrant"),
			Resources:  &[]*string{key.KeyArn()},
			Conditions: &map[string]interface{}{"Bool": map[string]interface{}{"kms:GrantIsForAWSResource": "true"}},
		}))
	}
	var isoVpn, recVpn []step
	isoWhat, recWhat, what := "", "", "bastion"
	if ep := b.p.ClientVpnEndpoint; ep != nil {
		id := ep.EndpointId()
		rules := []interface{}{}
		for _, r := range b.s.vpnRules {
			rule := map[string]interface{}{"Cidr": r.cidr}
			if r.group != nil {
				rule["GroupId"] = r.group
			}
			if r.description != nil {
				rule["Description"] = r.description
			}
			rules = append(rules, rule)
		}
		rulesJSON := b.stack.ToJsonString(rules, nil)
		statements = append(statements,
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ec2:DescribeClientVpnAuthorizationRules", "ec2:DescribeClientVpnConnections"),
				Resources: jsii.Strings("*"), // Describe* calls take no resource
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ec2:RevokeClientVpnIngress", "ec2:TerminateClientVpnConnections", "ec2:AuthorizeClientVpnIngress"),
				Resources: &[]*string{b.arn("ec2", "client-vpn-endpoint", *id)},
			}),
		)
		vpn := func(action string) []step {
			return []step{{name: map[string]string{"revoke": "IsolateClientVpn", "authorize": "ReconnectClientVpn"}[action], script: "client_vpn.py", params: []param{
				{name: "ClientVpnEndpointId", typ: "String", def: id, allowed: []interface{}{id}, description: "The Client VPN endpoint, as synthesized."},
				{name: "VpnAction", typ: "String", def: action, allowed: []interface{}{action},
					description: "revoke: revoke the rules and terminate every connection; authorize: authorize the rules again."},
				{name: "AuthorizationRules", typ: "String", def: rulesJSON, allowed: []interface{}{rulesJSON},
					description: "The endpoint's authorization rules as synthesized (JSON: Cidr, GroupId when not all groups, Description)."},
			}}}
		}
		isoVpn, recVpn = vpn("revoke"), vpn("authorize")
		isoWhat = " Then revoke the Client VPN endpoint's authorization rules and terminate every client connection."
		recWhat = " Then authorize the Client VPN endpoint's rules again, as synthesized (CloudFormation's rule resources match again)."
		what = "bastion and Client VPN"
	}
	role := b.automationRole(TierAccess, statements...)
	params := func(action string, s [3]interface{}) []param {
		return []param{
			{name: "InstanceIds", typ: "StringList", def: instanceIds, description: "The bastion instance (none: no always-on bastion)."},
			{name: "Action", typ: "String", def: action, allowed: []interface{}{action}, description: "stop or start the instances."},
			{name: "AutoScalingGroupName", typ: "String", def: group, allowed: []interface{}{group}, description: "The time-boxed bastion group (none: no group)."},
			{name: "MinSize", typ: "String", def: s[0], description: "The group's minimum size."},
			{name: "MaxSize", typ: "String", def: s[1], description: "The group's maximum size."},
			{name: "DesiredCapacity", typ: "String", def: s[2], description: "The group's desired capacity."},
		}
	}
	isolate := b.document(TierAccess, false, role,
		"Isolate the access tier: stop the bastion (ending every Session Manager session through it) "+
			"and scale the time-boxed bastion group to zero."+isoWhat+" Nothing is deleted.",
		"bastion.py", params("stop", [3]interface{}{"0", "0", "0"}), isoVpn...)
	reconnect := b.document(TierAccess, true, role,
		"Reconnect the access tier: start the bastion again and restore the bastion group's synthesized sizes."+recWhat,
		"bastion.py", params("start", sizes), recVpn...)
	b.tier(TierAccess, isolate, reconnect, what)
}

// edgeTier: block everything at the web ACL (or admit only the responders),
// and restore its synthesized default action and rules.
func (b *builder) edgeTier() {
	acl := b.p.WebAcl
	scope := *acl.Scope()
	arnScope := "regional"
	if strings.EqualFold(scope, "CLOUDFRONT") {
		arnScope = "global"
	}
	rules := []interface{}{}
	if len(b.s.cidrs) > 0 {
		set := awswafv2NewIPSet(b.iso, scope, b.s.cidrs)
		rules = append(rules, map[string]interface{}{
			"Name": "IsolationAllowResponders", "Priority": 0, "Action": map[string]interface{}{"Allow": map[string]interface{}{}},
			"Statement": map[string]interface{}{"IPSetReferenceStatement": map[string]interface{}{"ARN": set}},
			"VisibilityConfig": map[string]interface{}{
				"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "IsolationAllowResponders",
			},
		})
	}
	// Unwrapped: the reconnect document's Rules must be the template's (API) shape.
	rendered := base.UnwrapMaps(*acl.RenderProperties(acl.CfnProperties())).(map[string]interface{})
	origRules := rendered["Rules"]
	if origRules == nil {
		origRules = []interface{}{}
	}
	name := awscdk.Fn_Select(jsii.Number(0), awscdk.Fn_Split(jsii.String("|"), acl.Ref(), jsii.Number(3)))
	waf := func(kind string) *string {
		return b.arn("wafv2", arnScope+"/"+kind, "*")
	}
	role := b.automationRole(TierEdge,
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("wafv2:GetWebACL", "wafv2:UpdateWebACL"),
			Resources: &[]*string{acl.AttrArn()},
		}),
		// UpdateWebACL is also authorized on what the rules reference.
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("wafv2:UpdateWebACL"),
			Resources: &[]*string{waf("ipset"), waf("rulegroup"), waf("regexpatternset"), waf("managedruleset")},
		}),
	)
	common := func(defaultAction, rulesJSON interface{}, what string) []param {
		return []param{
			{name: "WebAclName", typ: "String", def: name, allowed: []interface{}{name}, description: "The web ACL's name."},
			{name: "WebAclId", typ: "String", def: acl.AttrId(), allowed: []interface{}{acl.AttrId()}, description: "The web ACL's ID."},
			{name: "Scope", typ: "String", def: scope, allowed: []interface{}{scope}, description: "REGIONAL or CLOUDFRONT."},
			{name: "DefaultAction", typ: "String", def: defaultAction, description: "The default action to set (JSON): " + what + "."},
			{name: "Rules", typ: "String", def: rulesJSON, description: "The rules to set (JSON): " + what + "."},
		}
	}
	isolate := b.document(TierEdge, false, role,
		"Isolate the public edge: the web ACL blocks every request (but from the responders' CIDRs, when configured). "+
			"Its other settings are kept.",
		"web_acl.py", common(`{"Block":{}}`, b.stack.ToJsonString(rules, nil), "block all"))
	reconnect := b.document(TierEdge, true, role,
		"Reconnect the public edge: restore the web ACL's default action and rules as synthesized.",
		"web_acl.py", common(b.stack.ToJsonString(rendered["DefaultAction"], nil), b.stack.ToJsonString(origRules, nil), "as synthesized"))
	b.tier(TierEdge, isolate, reconnect, "web ACL")
}
