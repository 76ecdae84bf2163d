package assertions_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
)

const (
	testServerCert = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555"
	testClientRoot = "arn:aws:acm:us-east-1:111111111111:certificate/66666666-7777-8888-9999-000000000000"
	testSaml       = "arn:aws:iam::111111111111:saml-provider/EngineeringIdP"
	testS3List     = "pl-63a5400a"
)

// The BastionAccess configurations under test, each synthesized once.
var (
	bastionDefaults = newFixture("bastion-defaults", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("BastionDefaults"), nil)
		net := hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), nil)
		bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{Vpc: net.Vpc()})
	})
	// Time-boxed group, mutual-TLS Client VPN, S3 session logs, endpoint SG.
	bastionTimeBoxed = newFixture("bastion-timeboxed-vpn", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("BastionTimeBoxed"), &awscdk.StackProps{
			Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
		})
		net := hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), nil)
		bucketKey := awskms.Key_FromKeyArn(stack, jsii.String("LogBucketKey"),
			jsii.String("arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"))
		bucket := awss3.Bucket_FromBucketAttributes(stack, jsii.String("SessionLogs"), &awss3.BucketAttributes{
			BucketName: jsii.String("example-session-logs"), EncryptionKey: bucketKey,
		})
		bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
			Vpc:                               net.Vpc(),
			Mode:                              bastionaccess.ModeTimeBoxedAutoScaling,
			EndpointSecurityGroup:             net.EndpointSecurityGroup(),
			S3PrefixListId:                    jsii.String(testS3List),
			SessionLogBucket:                  bucket,
			DatabasePort:                      jsii.Number(3306),
			IdleSessionTimeoutMinutes:         jsii.Number(15),
			SessionLogRetentionDays:           jsii.Number(365),
			AllowRetentionShorterThanSixYears: jsii.Bool(true),
			InstanceType:                      awsec2.NewInstanceType(jsii.String("m7g.medium")),
			ClientVpn: &bastionaccess.ClientVpnProps{
				ClientCidr:            jsii.String("172.16.0.0/22"),
				ServerCertificate:     cert(stack, testServerCert),
				ClientRootCertificate: cert(stack, testClientRoot),
			},
		})
	})
	// SAML Client VPN, an x86 type, a caller's key, preferences managed centrally.
	bastionSaml = newFixture("bastion-saml-vpn", func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("BastionSaml"), nil)
		net := hipaavpc.NewHipaaVpc(stack, jsii.String("Net"), nil)
		key := kmskeys.New(stack, "OwnKey", "caller-supplied key")
		kmskeys.AllowCloudWatchLogs(key)
		bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
			Vpc:                       net.Vpc(),
			EncryptionKey:             key,
			InstanceType:              awsec2.NewInstanceType(jsii.String("t3.micro")),
			DisableSessionPreferences: jsii.Bool(true),
			ClientVpn: &bastionaccess.ClientVpnProps{
				ClientCidr:        jsii.String("192.168.0.0/20"),
				ServerCertificate: cert(stack, testServerCert),
				SamlProvider:      samlProvider(stack),
			},
		})
	})
)

func TestBastionAccessNagClean(t *testing.T) {
	for _, f := range []*fixture{bastionDefaults, bastionTimeBoxed, bastionSaml} {
		t.Run(f.name, func(t *testing.T) { requireNagClean(t, f) })
	}
}

// bastionAmiParameter asserts that v refers to a template parameter that reads the
// latest AL2023 AMI for arch from AWS's public SSM parameter.
func bastionAmiParameter(t *testing.T, tmpl assertions.Template, v interface{}, arch string) {
	t.Helper()
	name := refTo(v)
	params := *tmpl.FindParameters(jsii.String(name), nil)
	p, ok := params[name]
	if !ok {
		t.Fatalf("ImageId %v does not reference a template parameter", v)
	}
	want := "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-" + arch
	if (*p)["Type"] != "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>" || (*p)["Default"] != want {
		t.Errorf("AMI parameter %s = %v, want the public SSM parameter %s", name, *p, want)
	}
}

// bastionWantEncryptedRoot asserts one encrypted gp3 root volume under the key.
func bastionWantEncryptedRoot(t *testing.T, mappings interface{}, keyID string) {
	t.Helper()
	list, _ := mappings.([]interface{})
	if len(list) != 1 {
		t.Fatalf("want one block device mapping, got %v", mappings)
	}
	ebs := list[0].(map[string]interface{})["Ebs"].(map[string]interface{})
	if ebs["Encrypted"] != true || refTo(ebs["KmsKeyId"]) != keyID || ebs["VolumeType"] != "gp3" {
		t.Errorf("root volume %v: want gp3, encrypted with %s", ebs, keyID)
	}
}

func bastionWantImdsv2(t *testing.T, what string, md interface{}) {
	t.Helper()
	m, _ := md.(map[string]interface{})
	if m["HttpTokens"] != "required" || m["HttpPutResponseHopLimit"] != float64(1) || m["HttpEndpoint"] != "enabled" {
		t.Errorf("%s MetadataOptions = %v, want IMDSv2 required with hop limit 1", what, md)
	}
}

func TestBastionAccessInstanceHardening(t *testing.T) {
	tmpl := bastionDefaults.get(t).template(t, "BastionDefaults")
	tmpl.ResourceCountIs(jsii.String("AWS::AutoScaling::AutoScalingGroup"), jsii.Number(0))
	keyID, _ := only(t, withPrefix(resourcesOf(tmpl, "AWS::KMS::Key"), "AccessKey"), "AWS::KMS::Key")
	_, inst := only(t, withPrefix(resourcesOf(tmpl, "AWS::EC2::Instance"), "Access"), "AWS::EC2::Instance")
	p := props(inst)
	if p["InstanceType"] != bastionaccess.DefaultInstanceType {
		t.Errorf("InstanceType %v, want %s", p["InstanceType"], bastionaccess.DefaultInstanceType)
	}
	bastionAmiParameter(t, tmpl, p["ImageId"], "arm64")
	if !strings.Contains(refTo(p["SubnetId"]), "AppSubnet") {
		t.Errorf("instance in %v, want an app subnet", p["SubnetId"])
	}
	for _, forbidden := range []string{"KeyName", "NetworkInterfaces"} {
		if v, ok := p[forbidden]; ok {
			t.Errorf("instance has %s = %v; want no key pair and no public-IP network interface", forbidden, v)
		}
	}
	if p["Monitoring"] != true || p["EbsOptimized"] != true {
		t.Errorf("Monitoring %v, EbsOptimized %v; want both true", p["Monitoring"], p["EbsOptimized"])
	}
	bastionWantImdsv2(t, "instance", p["MetadataOptions"])
	lt := props(resourcesOf(tmpl, "AWS::EC2::LaunchTemplate")[refTo(p["LaunchTemplate"].(map[string]interface{})["LaunchTemplateId"])])
	if lt == nil {
		t.Fatalf("instance has no launch template")
	}
	bastionWantImdsv2(t, "instance launch template", lt["LaunchTemplateData"].(map[string]interface{})["MetadataOptions"])
	bastionWantEncryptedRoot(t, p["BlockDeviceMappings"], keyID)
	// The instance's subnet maps no public IPs, so the instance gets none.
	subnet := props(resourcesOf(tmpl, "AWS::EC2::Subnet")[refTo(p["SubnetId"])])
	if subnet["MapPublicIpOnLaunch"] != false {
		t.Errorf("bastion subnet MapPublicIpOnLaunch = %v, want false", subnet["MapPublicIpOnLaunch"])
	}

	// An x86 instance type gets the x86_64 AMI and the caller's key.
	saml := bastionSaml.get(t).template(t, "BastionSaml")
	_, inst = only(t, withPrefix(resourcesOf(saml, "AWS::EC2::Instance"), "Access"), "AWS::EC2::Instance")
	bastionAmiParameter(t, saml, props(inst)["ImageId"], "x86_64")
	ownKey, _ := only(t, withPrefix(resourcesOf(saml, "AWS::KMS::Key"), "OwnKey"), "AWS::KMS::Key")
	bastionWantEncryptedRoot(t, props(inst)["BlockDeviceMappings"], ownKey)
	saml.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(2)) // HipaaVpc's and the caller's
}

// bastionEgressRules lists a security group's egress as "proto port-port target",
// from its inline rules and from separate AWS::EC2::SecurityGroupEgress resources.
func bastionEgressRules(tmpl assertions.Template, sgID string) []string {
	var out []string
	add := func(r map[string]interface{}) {
		target := fmt.Sprint(r["CidrIp"])
		if r["DestinationSecurityGroupId"] != nil {
			target = "sg:" + refTo(r["DestinationSecurityGroupId"])
		} else if r["DestinationPrefixListId"] != nil {
			target = fmt.Sprint(r["DestinationPrefixListId"])
		}
		out = append(out, fmt.Sprintf("%v %v-%v %s", r["IpProtocol"], r["FromPort"], r["ToPort"], target))
	}
	sg := props(resourcesOf(tmpl, "AWS::EC2::SecurityGroup")[sgID])
	if list, ok := sg["SecurityGroupEgress"].([]interface{}); ok {
		for _, r := range list {
			add(r.(map[string]interface{}))
		}
	}
	for _, r := range resourcesOf(tmpl, "AWS::EC2::SecurityGroupEgress") {
		if refTo(props(r)["GroupId"]) == sgID {
			add(props(r))
		}
	}
	sort.Strings(out)
	return out
}

// bastionWantNoIngress asserts a security group admits nothing: no inline rule and
// no AWS::EC2::SecurityGroupIngress attached to it.
func bastionWantNoIngress(t *testing.T, tmpl assertions.Template, sgID string) {
	t.Helper()
	if in, ok := props(resourcesOf(tmpl, "AWS::EC2::SecurityGroup")[sgID])["SecurityGroupIngress"]; ok {
		t.Errorf("%s has inbound rules %v, want none", sgID, in)
	}
	for id, r := range resourcesOf(tmpl, "AWS::EC2::SecurityGroupIngress") {
		if refTo(props(r)["GroupId"]) == sgID {
			t.Errorf("%s admits traffic through %s, want no inbound rule", sgID, id)
		}
	}
}

func bastionWantRules(t *testing.T, what string, got, want []string) {
	t.Helper()
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s egress:\n got %q\nwant %q", what, got, want)
	}
}

func TestBastionAccessSecurityGroupsAdmitNothing(t *testing.T) {
	tmpl := bastionDefaults.get(t).template(t, "BastionDefaults")
	sgID, _ := only(t, withPrefix(resourcesOf(tmpl, "AWS::EC2::SecurityGroup"), "AccessSecurityGroup"), "AWS::EC2::SecurityGroup")
	bastionWantNoIngress(t, tmpl, sgID)
	// HipaaVpc defaults: app 10.0.2-3.0/24 (interface endpoints), data 10.0.4-5.0/24.
	bastionWantRules(t, "bastion (defaults)", bastionEgressRules(tmpl, sgID), []string{
		"tcp 5432-5432 10.0.4.0/24", "tcp 5432-5432 10.0.5.0/24",
		"tcp 443-443 10.0.2.0/24", "tcp 443-443 10.0.3.0/24",
	})

	tb := bastionTimeBoxed.get(t).template(t, "BastionTimeBoxed")
	sgID, _ = only(t, withPrefix(resourcesOf(tb, "AWS::EC2::SecurityGroup"), "AccessSecurityGroup"), "AWS::EC2::SecurityGroup")
	endpointSg, _ := only(t, withPrefix(resourcesOf(tb, "AWS::EC2::SecurityGroup"), "NetEndpointSecurityGroup"), "AWS::EC2::SecurityGroup")
	bastionWantNoIngress(t, tb, sgID)
	bastionWantRules(t, "bastion (endpoint SG, S3, port 3306)", bastionEgressRules(tb, sgID), []string{
		"tcp 3306-3306 10.0.4.0/24", "tcp 3306-3306 10.0.5.0/24",
		"tcp 443-443 sg:" + endpointSg, "tcp 443-443 " + testS3List,
	})
	vpnSg, _ := only(t, withPrefix(resourcesOf(tb, "AWS::EC2::SecurityGroup"), "AccessVpnSecurityGroup"), "AWS::EC2::SecurityGroup")
	bastionWantNoIngress(t, tb, vpnSg)
	bastionWantRules(t, "VPN", bastionEgressRules(tb, vpnSg), []string{
		"tcp 3306-3306 10.0.4.0/24", "tcp 3306-3306 10.0.5.0/24",
		"tcp 443-443 10.0.2.0/24", "tcp 443-443 10.0.3.0/24",
	})
	_, vpn := only(t, withPrefix(resourcesOf(tb, "AWS::EC2::ClientVpnEndpoint"), "Access"), "AWS::EC2::ClientVpnEndpoint")
	if ids := props(vpn)["SecurityGroupIds"].([]interface{}); len(ids) != 1 || refTo(ids[0]) != vpnSg {
		t.Errorf("VPN endpoint security groups %v, want only %s", ids, vpnSg)
	}
}

func TestBastionAccessRoleHasManagedPoliciesOnly(t *testing.T) {
	tmpl := bastionTimeBoxed.get(t).template(t, "BastionTimeBoxed")
	_, role := only(t, withPrefix(resourcesOf(tmpl, "AWS::IAM::Role"), "AccessRole"), "AWS::IAM::Role")
	p := props(role)
	if _, ok := p["Policies"]; ok {
		t.Errorf("bastion role has inline policies: %v", p["Policies"])
	}
	arns := p["ManagedPolicyArns"].([]interface{})
	policyID, _ := only(t, withPrefix(resourcesOf(tmpl, "AWS::IAM::ManagedPolicy"), "AccessSessionLoggingPolicy"), "AWS::IAM::ManagedPolicy")
	if len(arns) != 2 || !strings.HasSuffix(strings.Join(flatten(arns[0]), ""), ":iam::aws:policy/AmazonSSMManagedInstanceCore") || refTo(arns[1]) != policyID {
		t.Errorf("ManagedPolicyArns = %v, want AmazonSSMManagedInstanceCore and %s", arns, policyID)
	}
	for id, pol := range resourcesOf(tmpl, "AWS::IAM::Policy") {
		for _, r := range props(pol)["Roles"].([]interface{}) {
			if strings.HasPrefix(refTo(r), "AccessRole") {
				t.Errorf("inline policy %s is attached to the bastion role", id)
			}
		}
	}
	_, policy := only(t, withPrefix(resourcesOf(tmpl, "AWS::IAM::ManagedPolicy"), "AccessSessionLoggingPolicy"), "AWS::IAM::ManagedPolicy")
	got := map[string]string{}
	for _, st := range props(policy)["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
		s := st.(map[string]interface{})
		res := strings.Join(flatten(s["Resource"]), "")
		if res == "*" || strings.Contains(fmt.Sprint(s["Action"]), "*") {
			t.Errorf("statement %v has a wildcard action or resource", s["Sid"])
		}
		got[s["Sid"].(string)] = fmt.Sprint(s["Action"]) + " on " + res
	}
	want := map[string]string{
		"WriteSessionLogs":                "AccessSessionLogGroup",
		"CheckSessionLogGroupEncryption":  "arn:aws:logs:us-east-1:111111111111:log-group:*",
		"EncryptSessions":                 "AccessKey",
		"WriteSessionLogObjects":          "arn:aws:s3:::example-session-logs/*",
		"CheckSessionLogBucketEncryption": "arn:aws:s3:::example-session-logs",
		"EncryptSessionLogObjects":        "arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
	}
	if len(got) != len(want) {
		t.Errorf("statements %v, want %d", got, len(want))
	}
	for sid, res := range want {
		if !strings.Contains(got[sid], res) {
			t.Errorf("statement %s = %q, want its resource to be %s", sid, got[sid], res)
		}
	}
}

func TestBastionAccessSessionPreferences(t *testing.T) {
	tmpl := bastionDefaults.get(t).template(t, "BastionDefaults")
	groupID, _ := only(t, withPrefix(resourcesOf(tmpl, "AWS::Logs::LogGroup"), "AccessSessionLogGroup"), "AWS::Logs::LogGroup")
	keyID, _ := only(t, withPrefix(resourcesOf(tmpl, "AWS::KMS::Key"), "AccessKey"), "AWS::KMS::Key")
	tmpl.HasResourceProperties(jsii.String("AWS::SSM::Document"), map[string]interface{}{
		"Name": bastionaccess.SessionDocumentName, "DocumentType": "Session", "DocumentFormat": "JSON",
		"Content": map[string]interface{}{
			"schemaVersion": "1.0",
			"sessionType":   "Standard_Stream",
			"inputs": map[string]interface{}{
				"cloudWatchLogGroupName":      map[string]interface{}{"Ref": groupID},
				"cloudWatchEncryptionEnabled": true,
				"cloudWatchStreamingEnabled":  true,
				"kmsKeyId":                    map[string]interface{}{"Ref": keyID},
				"idleSessionTimeout":          fmt.Sprint(bastionaccess.DefaultIdleSessionTimeoutMinutes),
				"runAsEnabled":                false,
				"s3BucketName":                "",
			},
		},
	})
	bastionTimeBoxed.get(t).template(t, "BastionTimeBoxed").HasResourceProperties(jsii.String("AWS::SSM::Document"), map[string]interface{}{
		"Content": map[string]interface{}{"inputs": assertions.Match_ObjectLike(&map[string]interface{}{
			"idleSessionTimeout": "15", "s3BucketName": "example-session-logs", "s3EncryptionEnabled": true,
		})},
	})
	// DisableSessionPreferences leaves the account's central preferences alone.
	bastionSaml.get(t).template(t, "BastionSaml").ResourceCountIs(jsii.String("AWS::SSM::Document"), jsii.Number(0))
}

func TestBastionAccessLogGroupsEncryptedAndRetained(t *testing.T) {
	cases := []struct {
		f          *fixture
		stack, key string
		days       float64
		groups     int
	}{
		{bastionDefaults, "BastionDefaults", "AccessKey", bastionaccess.DefaultSessionLogRetentionDays, 1},
		{bastionTimeBoxed, "BastionTimeBoxed", "AccessKey", 365, 2},
		{bastionSaml, "BastionSaml", "OwnKey", bastionaccess.DefaultSessionLogRetentionDays, 2},
	}
	for _, c := range cases {
		tmpl := c.f.get(t).template(t, c.stack)
		n := 0
		for id, g := range resourcesOf(tmpl, "AWS::Logs::LogGroup") {
			if !strings.HasPrefix(id, "Access") {
				continue
			}
			n++
			p := props(g)
			if p["RetentionInDays"] != c.days || !strings.HasPrefix(refTo(p["KmsKeyId"]), c.key) {
				t.Errorf("%s %s: retention %v key %v; want %v days under %s", c.stack, id, p["RetentionInDays"], p["KmsKeyId"], c.days, c.key)
			}
			if g["DeletionPolicy"] != "Retain" || g["UpdateReplacePolicy"] != "Retain" {
				t.Errorf("%s %s must be retained", c.stack, id)
			}
		}
		if n != c.groups {
			t.Errorf("%s: %d BastionAccess log groups, want %d", c.stack, n, c.groups)
		}
	}
}

func TestBastionAccessTimeBoxedGroup(t *testing.T) {
	tmpl := bastionTimeBoxed.get(t).template(t, "BastionTimeBoxed")
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::Instance"), jsii.Number(0))
	_, asg := only(t, withPrefix(resourcesOf(tmpl, "AWS::AutoScaling::AutoScalingGroup"), "Access"), "AWS::AutoScaling::AutoScalingGroup")
	p := props(asg)
	if p["MinSize"] != "0" || p["MaxSize"] != "1" {
		t.Errorf("MinSize %v MaxSize %v, want 0 and 1", p["MinSize"], p["MaxSize"])
	}
	if d, ok := p["DesiredCapacity"]; ok {
		t.Errorf("DesiredCapacity %v is set; a deploy would reset a session in progress", d)
	}
	for _, sn := range p["VPCZoneIdentifier"].([]interface{}) {
		if !strings.Contains(refTo(sn), "AppSubnet") {
			t.Errorf("group spans %v, want app subnets only", sn)
		}
	}
	ltID := refTo(p["LaunchTemplate"].(map[string]interface{})["LaunchTemplateId"])
	data := props(resourcesOf(tmpl, "AWS::EC2::LaunchTemplate")[ltID])["LaunchTemplateData"].(map[string]interface{})
	keyID, _ := only(t, withPrefix(resourcesOf(tmpl, "AWS::KMS::Key"), "AccessKey"), "AWS::KMS::Key")
	bastionWantImdsv2(t, "launch template", data["MetadataOptions"])
	bastionWantEncryptedRoot(t, data["BlockDeviceMappings"], keyID)
	bastionAmiParameter(t, tmpl, data["ImageId"], "arm64")
	if data["InstanceType"] != "m7g.medium" || data["EbsOptimized"] != true ||
		data["Monitoring"].(map[string]interface{})["Enabled"] != true {
		t.Errorf("launch template type %v, EbsOptimized %v, Monitoring %v", data["InstanceType"], data["EbsOptimized"], data["Monitoring"])
	}
	if _, ok := data["KeyName"]; ok {
		t.Errorf("launch template has a key pair")
	}
	for _, ni := range data["NetworkInterfaces"].([]interface{}) {
		if ni.(map[string]interface{})["AssociatePublicIpAddress"] != false {
			t.Errorf("launch template network interface %v may get a public IP", ni)
		}
	}
	tmpl.HasResourceProperties(jsii.String("AWS::AutoScaling::ScheduledAction"), map[string]interface{}{
		"DesiredCapacity": 0, "Recurrence": "0 " + bastionaccess.DefaultScaleInHourUtc + " * * *", "TimeZone": "UTC",
	})
	// Auto Scaling's service-linked role may use the key to attach the
	// encrypted root volume, and create grants only for AWS resources.
	tmpl.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]interface{}{
		"KeyPolicy": map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{
				"Sid": "AllowAutoScalingToGrantKeyToEbs", "Action": "kms:CreateGrant",
				"Condition": map[string]interface{}{"Bool": map[string]interface{}{"kms:GrantIsForAWSResource": true}},
				"Principal": map[string]interface{}{"AWS": "arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"},
			}),
		})},
	})
	// The instance mode key has no Auto Scaling statement.
	_, key := only(t, withPrefix(resourcesOf(bastionDefaults.get(t).template(t, "BastionDefaults"), "AWS::KMS::Key"), "AccessKey"), "AWS::KMS::Key")
	if strings.Contains(fmt.Sprint(props(key)["KeyPolicy"]), "AutoScaling") {
		t.Errorf("instance-mode key policy mentions Auto Scaling: %v", props(key)["KeyPolicy"])
	}
}

func TestBastionAccessClientVpn(t *testing.T) {
	tmpl := bastionTimeBoxed.get(t).template(t, "BastionTimeBoxed")
	logID, _ := only(t, withPrefix(resourcesOf(tmpl, "AWS::Logs::LogGroup"), "AccessVpnConnectionLogGroup"), "AWS::Logs::LogGroup")
	tmpl.HasResourceProperties(jsii.String("AWS::EC2::ClientVpnEndpoint"), map[string]interface{}{
		"ClientCidrBlock":      "172.16.0.0/22",
		"ServerCertificateArn": testServerCert,
		"SplitTunnel":          true,
		"AuthenticationOptions": []interface{}{map[string]interface{}{
			"Type": "certificate-authentication", "MutualAuthentication": map[string]interface{}{"ClientRootCertificateChainArn": testClientRoot},
		}},
		"ConnectionLogOptions": map[string]interface{}{"Enabled": true, "CloudwatchLogGroup": map[string]interface{}{"Ref": logID}},
	})
	assoc := resourcesOf(tmpl, "AWS::EC2::ClientVpnTargetNetworkAssociation")
	if len(assoc) != 2 {
		t.Errorf("want 2 subnet associations (one per app subnet), got %d", len(assoc))
	}
	for id, a := range assoc {
		if !strings.Contains(refTo(props(a)["SubnetId"]), "AppSubnet") {
			t.Errorf("association %s is not with an app subnet", id)
		}
	}
	var cidrs []string
	for _, r := range resourcesOf(tmpl, "AWS::EC2::ClientVpnAuthorizationRule") {
		cidrs = append(cidrs, props(r)["TargetNetworkCidr"].(string))
	}
	sort.Strings(cidrs)
	if got := strings.Join(cidrs, " "); got != "10.0.2.0/24 10.0.3.0/24 10.0.4.0/24 10.0.5.0/24" {
		t.Errorf("authorized CIDRs %q, want the app and data subnets only", got)
	}
	// Split tunnel and no extra routes: nothing sends client traffic to the internet.
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::ClientVpnRoute"), jsii.Number(0))

	saml := bastionSaml.get(t).template(t, "BastionSaml")
	saml.HasResourceProperties(jsii.String("AWS::EC2::ClientVpnEndpoint"), map[string]interface{}{
		"SplitTunnel": true,
		"AuthenticationOptions": []interface{}{map[string]interface{}{
			"Type": "federated-authentication", "FederatedAuthentication": map[string]interface{}{"SAMLProviderArn": testSaml},
		}},
	})
	bastionDefaults.get(t).template(t, "BastionDefaults").ResourceCountIs(jsii.String("AWS::EC2::ClientVpnEndpoint"), jsii.Number(0))
}

// cert imports an ACM certificate by ARN into scope's stack (once per ARN).
func cert(scope constructs.IConstruct, arn string) awscertificatemanager.ICertificate {
	stack := awscdk.Stack_Of(scope)
	id := "Cert" + arn[strings.LastIndex(arn, "/")+1:]
	if c, ok := stack.Node().TryFindChild(jsii.String(id)).(awscertificatemanager.ICertificate); ok {
		return c
	}
	return awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String(id), jsii.String(arn))
}

// samlProvider imports the test SAML provider into scope's stack.
func samlProvider(scope constructs.IConstruct) awsiam.ISamlProvider {
	stack := awscdk.Stack_Of(scope)
	if p, ok := stack.Node().TryFindChild(jsii.String("Saml")).(awsiam.ISamlProvider); ok {
		return p
	}
	return awsiam.SamlProvider_FromSamlProviderArn(stack, jsii.String("Saml"), jsii.String(testSaml))
}
