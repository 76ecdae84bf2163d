package assertions_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
)

// The HipaaVpc configurations under test, each synthesized once.
var (
	vpcDefaults = newFixture("vpc-defaults", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("VpcDefaults"), nil)
		hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), nil)
	})
	vpcOverrides = newFixture("vpc-overrides", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("VpcOverrides"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
		})
		key := kmskeys.New(stack, "OwnKey", "caller-supplied key")
		kmskeys.AllowCloudWatchLogs(key)
		hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), &hipaavpc.HipaaVpcProps{
			Cidr:                      jsii.String("172.20.0.0/20"),
			MaxAzs:                    jsii.Number(3),
			SubnetCidrMask:            jsii.Number(26),
			NatGateways:               jsii.Number(1),
			DisableInterfaceEndpoints: jsii.Bool(true),
			FlowLogRetentionDays:      jsii.Number(365),
			FlowLogInfrequentAccess:   jsii.Bool(true),
			DataAccessCidrs:           jsii.Strings("192.168.100.0/22"),
			EncryptionKey:             key,
		})
	})
	// Two VPCs in one stack share CDK's default-security-group provider.
	vpcTwoInStack = newFixture("vpc-two-in-stack", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("VpcTwo"), nil)
		hipaavpc.NewHipaaVpc(stack, jsii.String("First"), nil)
		hipaavpc.NewHipaaVpc(stack, jsii.String("Second"), &hipaavpc.HipaaVpcProps{Cidr: jsii.String("10.1.0.0/16")})
	})
	// Only the interface endpoints the bastion needs (the endpoint lever).
	vpcFewEndpoints = newFixture("vpc-few-endpoints", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("VpcFewEndpoints"), nil)
		services := hipaavpc.RequiredInterfaceEndpoints()
		hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), &hipaavpc.HipaaVpcProps{InterfaceEndpointServices: &services})
	})
	vpcNoNat = newFixture("vpc-no-nat", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("VpcNoNat"), nil)
		hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), &hipaavpc.HipaaVpcProps{DisableNatGateways: jsii.Bool(true)})
	})
)

func TestHipaaVpcNagClean(t *testing.T) {
	for _, f := range []*fixture{vpcDefaults, vpcOverrides, vpcNoNat, vpcTwoInStack, vpcFewEndpoints} {
		t.Run(f.name, func(t *testing.T) { requireNagClean(t, f) })
	}
}

func TestHipaaVpcDefaultNetwork(t *testing.T) {
	tmpl := vpcDefaults.get(t).template(t, "VpcDefaults")
	tmpl.HasResourceProperties(jsii.String("AWS::EC2::VPC"), map[string]interface{}{
		"CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": true, "EnableDnsSupport": true,
	})
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::Subnet"), jsii.Number(6)) // 3 tiers x 2 AZs
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::NatGateway"), jsii.Number(2))
	for id, sn := range resourcesOf(tmpl, "AWS::EC2::Subnet") {
		p := props(sn)
		if p["MapPublicIpOnLaunch"] != false {
			t.Errorf("subnet %s: MapPublicIpOnLaunch = %v, want false", id, p["MapPublicIpOnLaunch"])
		}
		if !strings.HasSuffix(p["CidrBlock"].(string), "/24") {
			t.Errorf("subnet %s: CidrBlock %v, want a /24", id, p["CidrBlock"])
		}
	}
	// The default security group is emptied by CDK's custom resource.
	tmpl.ResourceCountIs(jsii.String("Custom::VpcRestrictDefaultSG"), jsii.Number(1))
}

// routesByTier maps tier name to the route targets of that tier's route tables.
func routesByTier(tmpl assertions.Template) map[string][]string {
	tables := map[string]string{} // route table logical ID -> tier
	for id := range resourcesOf(tmpl, "AWS::EC2::RouteTable") {
		for _, tier := range []string{hipaavpc.PublicTierName, hipaavpc.AppTierName, hipaavpc.DataTierName} {
			if strings.Contains(id, tier+"Subnet") {
				tables[id] = tier
			}
		}
	}
	out := map[string][]string{}
	for _, r := range resourcesOf(tmpl, "AWS::EC2::Route") {
		p := props(r)
		tier := tables[refTo(p["RouteTableId"])]
		for _, target := range []string{"GatewayId", "NatGatewayId"} {
			if p[target] != nil {
				out[tier] = append(out[tier], target+" "+p["DestinationCidrBlock"].(string))
			}
		}
	}
	return out
}

func TestHipaaVpcTierRouting(t *testing.T) {
	routes := routesByTier(vpcDefaults.get(t).template(t, "VpcDefaults"))
	if got := routes[hipaavpc.DataTierName]; len(got) != 0 {
		t.Errorf("data tier must have no route to a NAT or internet gateway, has %v", got)
	}
	if got := routes[hipaavpc.AppTierName]; len(got) != 2 || got[0] != "NatGatewayId 0.0.0.0/0" {
		t.Errorf("app tier routes = %v, want one default route to a NAT gateway per AZ", got)
	}
	if got := routes[hipaavpc.PublicTierName]; len(got) != 2 || got[0] != "GatewayId 0.0.0.0/0" {
		t.Errorf("public tier routes = %v, want one default route to the internet gateway per AZ", got)
	}

	noNat := vpcNoNat.get(t).template(t, "VpcNoNat")
	noNat.ResourceCountIs(jsii.String("AWS::EC2::NatGateway"), jsii.Number(0))
	if got := routesByTier(noNat)[hipaavpc.AppTierName]; len(got) != 0 {
		t.Errorf("DisableNatGateways: app tier must have no egress route, has %v", got)
	}
}

func TestHipaaVpcFlowLogsEncryptedAndRetained(t *testing.T) {
	tmpl := vpcDefaults.get(t).template(t, "VpcDefaults")
	tmpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]interface{}{
		"ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs",
		"ResourceId": map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("NetVpc"))},
	})
	keys := resourcesOf(tmpl, "AWS::KMS::Key")
	if len(keys) != 1 {
		t.Fatalf("want 1 KMS key, got %d", len(keys))
	}
	var keyID string
	for id, k := range keys {
		keyID = id
		if props(k)["EnableKeyRotation"] != true || k["DeletionPolicy"] != "Retain" {
			t.Errorf("key %s: rotation %v, DeletionPolicy %v; want rotation on and Retain", id, props(k)["EnableKeyRotation"], k["DeletionPolicy"])
		}
	}
	// The flow-log group, and the log group of the handler that empties the
	// default security group: both encrypted, kept six years, retained.
	groups := resourcesOf(tmpl, "AWS::Logs::LogGroup")
	if len(groups) != 2 {
		t.Fatalf("want 2 log groups, got %d", len(groups))
	}
	var flowLogGroup string
	for _, fl := range resourcesOf(tmpl, "AWS::EC2::FlowLog") {
		flowLogGroup = refTo(props(fl)["LogDestination"])
	}
	if _, ok := groups[flowLogGroup]; !ok {
		t.Errorf("the flow log delivers to %q, not to one of the log groups", flowLogGroup)
	}
	for id, g := range groups {
		p := props(g)
		if _, ok := p["LogGroupClass"]; ok {
			t.Errorf("log group %s: LogGroupClass %v by default, want none (Standard)", id, p["LogGroupClass"])
		}
		if p["RetentionInDays"] != float64(hipaavpc.DefaultFlowLogRetentionDays) {
			t.Errorf("log group %s: RetentionInDays %v, want %d", id, p["RetentionInDays"], hipaavpc.DefaultFlowLogRetentionDays)
		}
		if refTo(p["KmsKeyId"]) != keyID {
			t.Errorf("log group %s: KmsKeyId %v, want the key %s", id, p["KmsKeyId"], keyID)
		}
		if g["DeletionPolicy"] != "Retain" || g["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("log group %s must be retained, has %v/%v", id, g["DeletionPolicy"], g["UpdateReplacePolicy"])
		}
	}
}

// The Lambda behind Custom::VpcRestrictDefaultSG logs into a group created
// before it runs, not into one Lambda would create unencrypted.
func TestHipaaVpcRestrictDefaultSgHandlerLogs(t *testing.T) {
	tmpl := vpcDefaults.get(t).template(t, "VpcDefaults")
	var handler, group string
	for id := range resourcesOf(tmpl, "AWS::Lambda::Function") {
		handler = id
	}
	for id, g := range resourcesOf(tmpl, "AWS::Logs::LogGroup") {
		if name := flatten(props(g)["LogGroupName"]); strings.HasPrefix(strings.Join(name, ""), "/aws/lambda/") {
			group = id
			if !strings.Contains(strings.Join(name, " "), handler) {
				t.Errorf("log group %s is named %v, want /aws/lambda/<%s>", id, name, handler)
			}
		}
	}
	if handler == "" || group == "" {
		t.Fatalf("handler %q, handler log group %q: want both", handler, group)
	}
	for _, cr := range resourcesOf(tmpl, "Custom::VpcRestrictDefaultSG") {
		if !strings.Contains(fmt.Sprint(cr["DependsOn"]), group) {
			t.Errorf("the custom resource runs before its log group exists: DependsOn %v", cr["DependsOn"])
		}
	}
}

// With two VPCs in a stack, the one provider's managed policy covers both
// default security groups and both custom resources wait for it and for the
// handler's log group.
func TestHipaaVpcTwoInStackShareTheHandlerPolicy(t *testing.T) {
	tmpl := vpcTwoInStack.get(t).template(t, "VpcTwo")
	_, policy := only(t, withPrefix(resourcesOf(tmpl, "AWS::IAM::ManagedPolicy"), "VpcRestrictDefaultSGHandlerPolicy"), "AWS::IAM::ManagedPolicy (handler)")
	doc := strings.Join(flatten(props(policy)["PolicyDocument"]), " ")
	vpcs := resourcesOf(tmpl, "AWS::EC2::VPC")
	if len(vpcs) != 2 {
		t.Fatalf("%d VPCs, want 2", len(vpcs))
	}
	for id := range vpcs {
		if !strings.Contains(doc, id) {
			t.Errorf("the handler policy does not cover %s's default security group: %s", id, doc)
		}
	}
	crs := resourcesOf(tmpl, "Custom::VpcRestrictDefaultSG")
	if len(crs) != 2 {
		t.Fatalf("%d Custom::VpcRestrictDefaultSG, want 2", len(crs))
	}
	for id, cr := range crs {
		deps := fmt.Sprint(cr["DependsOn"])
		if !strings.Contains(deps, "VpcRestrictDefaultSGHandlerPolicy") || !strings.Contains(deps, "VpcRestrictDefaultSGHandlerLogGroup") {
			t.Errorf("%s: DependsOn %v, want the handler's policy and log group", id, deps)
		}
	}
}

func TestHipaaVpcDataTierAcl(t *testing.T) {
	tmpl := vpcDefaults.get(t).template(t, "VpcDefaults")
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::NetworkAcl"), jsii.Number(1))
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::SubnetNetworkAclAssociation"), jsii.Number(2))
	for _, a := range resourcesOf(tmpl, "AWS::EC2::SubnetNetworkAclAssociation") {
		if sn := refTo(props(a)["SubnetId"]); !strings.Contains(sn, "DataSubnet") {
			t.Errorf("the data ACL is associated with %s, want data subnets only", sn)
		}
	}
	// App subnets 10.0.2.0/24, 10.0.3.0/24 and data subnets 10.0.4.0/24,
	// 10.0.5.0/24, in both directions; nothing else is allowed.
	want := map[string]bool{"10.0.2.0/24": true, "10.0.3.0/24": true, "10.0.4.0/24": true, "10.0.5.0/24": true}
	entries := resourcesOf(tmpl, "AWS::EC2::NetworkAclEntry")
	if len(entries) != 2*len(want) {
		t.Errorf("want %d ACL entries, got %d", 2*len(want), len(entries))
	}
	for id, e := range entries {
		p := props(e)
		if !want[p["CidrBlock"].(string)] || p["RuleAction"] != "allow" || p["Protocol"] != float64(6) {
			t.Errorf("unexpected ACL entry %s: %v", id, p)
		}
	}
	overrides := resourcesOf(vpcOverrides.get(t).template(t, "VpcOverrides"), "AWS::EC2::NetworkAclEntry")
	found := 0
	for _, e := range overrides {
		if props(e)["CidrBlock"] == "192.168.100.0/22" {
			found++
		}
	}
	if found != 2 {
		t.Errorf("DataAccessCidrs: want an ingress and an egress entry for 192.168.100.0/22, got %d", found)
	}
}

func TestHipaaVpcEndpoints(t *testing.T) {
	tmpl := vpcDefaults.get(t).template(t, "VpcDefaults")
	var gateways, interfaces []string
	for _, ep := range resourcesOf(tmpl, "AWS::EC2::VPCEndpoint") {
		p := props(ep)
		svc := strings.ToLower(strings.Join(flatten(p["ServiceName"]), ""))
		if p["VpcEndpointType"] == "Gateway" {
			gateways = append(gateways, svc)
			continue
		}
		interfaces = append(interfaces, svc)
		if p["PrivateDnsEnabled"] != true {
			t.Errorf("interface endpoint %s: private DNS off", svc)
		}
		for _, sn := range p["SubnetIds"].([]interface{}) {
			if !strings.Contains(refTo(sn), "AppSubnet") {
				t.Errorf("interface endpoint %s in %v, want app subnets only", svc, sn)
			}
		}
	}
	if len(gateways) != 2 || !containsAll(gateways, ".s3", ".dynamodb") {
		t.Errorf("gateway endpoints %v, want S3 and DynamoDB", gateways)
	}
	if !containsAll(interfaces, ".kms", ".secretsmanager", ".logs", ".ssm", ".ssmmessages", ".ec2messages") {
		t.Errorf("interface endpoints %v lack a required service", interfaces)
	}
	// The endpoint security group admits exactly HTTPS from the VPC CIDR.
	tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroup"), map[string]interface{}{
		"SecurityGroupIngress": []interface{}{map[string]interface{}{
			"CidrIp": "10.0.0.0/16", "FromPort": 443, "ToPort": 443, "IpProtocol": "tcp",
		}},
	})

	off := vpcOverrides.get(t).template(t, "VpcOverrides")
	off.ResourceCountIs(jsii.String("AWS::EC2::VPCEndpoint"), jsii.Number(2))
	off.ResourceCountIs(jsii.String("AWS::EC2::SecurityGroup"), jsii.Number(0))
}

// InterfaceEndpointServices creates exactly the listed interface endpoints,
// with the same logical IDs, private DNS, app-tier subnets and security
// group as the default eight.
func TestHipaaVpcInterfaceEndpointServices(t *testing.T) {
	endpoints := func(tmpl assertions.Template) map[string]map[string]interface{} {
		out := map[string]map[string]interface{}{}
		for id, ep := range resourcesOf(tmpl, "AWS::EC2::VPCEndpoint") {
			if p := props(ep); p["VpcEndpointType"] == "Interface" {
				c := map[string]interface{}{}
				for k, v := range p {
					if k != "Tags" { // the Name tag is the stack's path
						c[k] = v
					}
				}
				out[id] = c
			}
		}
		return out
	}
	all := endpoints(vpcDefaults.get(t).template(t, "VpcDefaults"))
	if len(all) != len(hipaavpc.DefaultInterfaceEndpoints()) || len(all) != 8 {
		t.Fatalf("default: %d interface endpoints, want the eight of DefaultInterfaceEndpoints", len(all))
	}
	tmpl := vpcFewEndpoints.get(t).template(t, "VpcFewEndpoints")
	few := endpoints(tmpl)
	var services []string
	for id, p := range few {
		services = append(services, strings.ToLower(strings.Join(flatten(p["ServiceName"]), "")))
		if _, ok := all[id]; !ok {
			t.Errorf("endpoint %s has a logical ID the default endpoints do not have", id)
		}
		if jsonOf(p) != jsonOf(all[id]) {
			t.Errorf("endpoint %s differs from the default's:\n%s\n%s", id, jsonOf(p), jsonOf(all[id]))
		}
	}
	want := hipaavpc.RequiredInterfaceEndpoints()
	if len(few) != len(want) {
		t.Fatalf("interface endpoints %v, want exactly %v", services, want)
	}
	for _, svc := range want {
		if !containsAll(services, "."+string(svc)) {
			t.Errorf("interface endpoints %v lack %s", services, svc)
		}
	}
	for _, gone := range []string{".sts", ".monitoring", ".secretsmanager"} {
		for _, s := range services {
			if strings.HasSuffix(s, gone) {
				t.Errorf("%s endpoint created although not listed", gone)
			}
		}
	}
	// The endpoints' security group still admits only HTTPS from the VPC.
	tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroup"), map[string]interface{}{
		"SecurityGroupIngress": []interface{}{map[string]interface{}{
			"CidrIp": "10.0.0.0/16", "FromPort": 443, "ToPort": 443, "IpProtocol": "tcp",
		}},
	})
}

func TestHipaaVpcOverrides(t *testing.T) {
	tmpl := vpcOverrides.get(t).template(t, "VpcOverrides")
	tmpl.HasResourceProperties(jsii.String("AWS::EC2::VPC"), map[string]interface{}{"CidrBlock": "172.20.0.0/20"})
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::Subnet"), jsii.Number(9)) // 3 tiers x 3 AZs
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::NatGateway"), jsii.Number(1))
	for id, sn := range resourcesOf(tmpl, "AWS::EC2::Subnet") {
		if c := props(sn)["CidrBlock"].(string); !strings.HasSuffix(c, "/26") {
			t.Errorf("subnet %s: %s, want /26", id, c)
		}
	}
	tmpl.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]interface{}{"RetentionInDays": 365})
	// FlowLogInfrequentAccess: the flow-log group only, still encrypted and
	// retained; the default-SG handler's group stays Standard.
	for id, g := range resourcesOf(tmpl, "AWS::Logs::LogGroup") {
		p := props(g)
		isFlowLog := false
		for _, fl := range resourcesOf(tmpl, "AWS::EC2::FlowLog") {
			isFlowLog = isFlowLog || refTo(props(fl)["LogDestination"]) == id
		}
		if want := map[bool]interface{}{true: "INFREQUENT_ACCESS", false: nil}[isFlowLog]; p["LogGroupClass"] != want {
			t.Errorf("log group %s (flow log %v): LogGroupClass %v, want %v", id, isFlowLog, p["LogGroupClass"], want)
		}
		if isFlowLog && (p["KmsKeyId"] == nil || p["RetentionInDays"] != float64(365) || g["DeletionPolicy"] != "Retain") {
			t.Errorf("infrequent-access flow-log group %s lost encryption, retention or Retain: %s", id, jsonOf(g))
		}
	}
	// The caller's key is used; HipaaVpc creates none of its own.
	tmpl.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(1))
	tmpl.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]interface{}{
		"KmsKeyId": map[string]interface{}{"Fn::GetAtt": []interface{}{assertions.Match_StringLikeRegexp(jsii.String("^OwnKey")), "Arn"}},
	})
}

// Only the public tier's default routes carry a suppression, of the
// internet-gateway route rule, and CDK's default-security-group handler, of
// the three Lambda rules it cannot meet (see suppressRestrictSgHandlerFindings).
func TestHipaaVpcSuppressionsAreNarrow(t *testing.T) {
	tmpl := vpcDefaults.get(t).template(t, "VpcDefaults")
	handlerRules := map[string]bool{"HIPAA.Security-LambdaInsideVPC": true, "HIPAA.Security-LambdaDLQ": true, "HIPAA.Security-LambdaConcurrency": true}
	var routes, handler []string
	for _, typ := range []string{"AWS::EC2::Route", "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::KMS::Key", "AWS::Logs::LogGroup", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::Lambda::Function"} {
		for id, r := range resourcesOf(tmpl, typ) {
			for _, rule := range suppressedRules(r) {
				switch {
				case typ == "AWS::EC2::Route" && rule == "HIPAA.Security-VPCNoUnrestrictedRouteToIGW" && strings.Contains(id, "PublicSubnet"):
					routes = append(routes, id)
				case typ == "AWS::Lambda::Function" && handlerRules[rule] && strings.Contains(id, "VpcRestrictDefaultSG"):
					handler = append(handler, rule)
				default:
					t.Errorf("unexpected suppression %s on %s", rule, id)
				}
			}
		}
	}
	if len(routes) != 2 {
		t.Errorf("want the 2 public default routes suppressed, got %v", routes)
	}
	if len(handler) != len(handlerRules) {
		t.Errorf("the default-security-group handler suppresses %v, want each of %v once", handler, handlerRules)
	}
}

// CDK's default-security-group handler role carries no inline policy: its
// permissions are a managed policy attached to it, which the custom resource
// waits for (it needs them on create, and on delete to restore the rules).
func TestHipaaVpcRestrictDefaultSgHandlerPolicy(t *testing.T) {
	tmpl := vpcDefaults.get(t).template(t, "VpcDefaults")
	var role string
	for id, fn := range resourcesOf(tmpl, "AWS::Lambda::Function") {
		role = refTo(props(fn)["Role"])
		if r := resourcesOf(tmpl, "AWS::IAM::Role")[role]; r == nil || props(r)["Policies"] != nil {
			t.Errorf("handler %s: role %s missing or with an inline policy: %v", id, role, props(r)["Policies"])
		}
	}
	var policy string
	for id, p := range resourcesOf(tmpl, "AWS::IAM::ManagedPolicy") {
		if roles, _ := props(p)["Roles"].([]interface{}); len(roles) == 1 && refTo(roles[0]) == role {
			policy = id
			actions := fmt.Sprint(props(p)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{})[0].(map[string]interface{})["Action"])
			if actions != "[ec2:AuthorizeSecurityGroupIngress ec2:AuthorizeSecurityGroupEgress ec2:RevokeSecurityGroupIngress ec2:RevokeSecurityGroupEgress]" {
				t.Errorf("policy %s allows %s, want CDK's four rule actions", id, actions)
			}
		}
	}
	if policy == "" {
		t.Fatalf("no managed policy attached to the handler role %q", role)
	}
	for id, cr := range resourcesOf(tmpl, "Custom::VpcRestrictDefaultSG") {
		if !strings.Contains(fmt.Sprint(cr["DependsOn"]), policy) {
			t.Errorf("%s runs before its permissions exist: DependsOn %v", id, cr["DependsOn"])
		}
	}
}

func flatten(v interface{}) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []interface{}:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case map[string]interface{}:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return nil
}

func containsAll(have []string, subs ...string) bool {
	for _, s := range subs {
		ok := false
		for _, h := range have {
			if strings.HasSuffix(h, s) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
