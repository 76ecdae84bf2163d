package hipaavpc

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// InterfaceEndpoint is an AWS service HipaaVpc can reach through an
// interface VPC endpoint, named as in the endpoint's service name
// (com.amazonaws.<region>.<service>).
type InterfaceEndpoint string

// The interface endpoints HipaaVpc offers.
const (
	EndpointKms            InterfaceEndpoint = "kms"
	EndpointSecretsManager InterfaceEndpoint = "secretsmanager"
	EndpointLogs           InterfaceEndpoint = "logs"
	EndpointMonitoring     InterfaceEndpoint = "monitoring"
	EndpointSts            InterfaceEndpoint = "sts"
	EndpointSsm            InterfaceEndpoint = "ssm"
	EndpointSsmMessages    InterfaceEndpoint = "ssmmessages"
	EndpointEc2Messages    InterfaceEndpoint = "ec2messages"
)

// interfaceEndpoint is one offered endpoint, keyed by a construct id that
// must not change (it names the endpoint's logical ID), and why the baseline
// itself needs it ("" when only workloads do).
type interfaceEndpoint struct {
	name     InterfaceEndpoint
	id       string
	service  func() awsec2.InterfaceVpcEndpointAwsService
	required string
}

// interfaceEndpoints are the AWS APIs a PHI workload and Session Manager
// call, in template order.
var interfaceEndpoints = []interfaceEndpoint{
	{EndpointKms, "KmsEndpoint", awsec2.InterfaceVpcEndpointAwsService_KMS, "the bastion's Session Manager sessions are KMS-encrypted"},
	{EndpointSecretsManager, "SecretsManagerEndpoint", awsec2.InterfaceVpcEndpointAwsService_SECRETS_MANAGER, ""},
	{EndpointLogs, "LogsEndpoint", awsec2.InterfaceVpcEndpointAwsService_CLOUDWATCH_LOGS, "the bastion's Session Manager agent writes the session log to CloudWatch Logs"},
	{EndpointMonitoring, "MonitoringEndpoint", awsec2.InterfaceVpcEndpointAwsService_CLOUDWATCH_MONITORING, ""},
	{EndpointSts, "StsEndpoint", awsec2.InterfaceVpcEndpointAwsService_STS, ""},
	{EndpointSsm, "SsmEndpoint", awsec2.InterfaceVpcEndpointAwsService_SSM, "the bastion's Session Manager agent registers with SSM"},
	{EndpointSsmMessages, "SsmMessagesEndpoint", awsec2.InterfaceVpcEndpointAwsService_SSM_MESSAGES, "Session Manager carries the bastion's sessions over ssmmessages"},
	{EndpointEc2Messages, "Ec2MessagesEndpoint", awsec2.InterfaceVpcEndpointAwsService_EC2_MESSAGES, "the bastion's SSM agent receives its commands over ec2messages"},
}

// DefaultInterfaceEndpoints returns the eight interface endpoints HipaaVpc
// creates by default: KMS, Secrets Manager, CloudWatch Logs and Monitoring,
// STS, SSM, SSM Messages and EC2 Messages.
func DefaultInterfaceEndpoints() []InterfaceEndpoint {
	out := make([]InterfaceEndpoint, len(interfaceEndpoints))
	for i, ep := range interfaceEndpoints {
		out[i] = ep.name
	}
	return out
}

// RequiredInterfaceEndpoints returns the endpoints every list of
// InterfaceEndpointServices must keep: the bastion in the app tier reaches
// AWS only through them (its HTTPS egress goes to the endpoints' security
// group), so without one Session Manager cannot work.
func RequiredInterfaceEndpoints() []InterfaceEndpoint {
	var out []InterfaceEndpoint
	for _, ep := range interfaceEndpoints {
		if ep.required != "" {
			out = append(out, ep.name)
		}
	}
	return out
}

// CheckInterfaceEndpoints reports what is wrong with a list of
// InterfaceEndpointServices: an unknown or repeated service, or a missing
// required one (RequiredInterfaceEndpoints), with the reason it is needed.
// It is pure, so a profile can run it before synth.
func CheckInterfaceEndpoints(services []InterfaceEndpoint) error {
	known := map[InterfaceEndpoint]interfaceEndpoint{}
	for _, ep := range interfaceEndpoints {
		known[ep.name] = ep
	}
	seen := map[InterfaceEndpoint]bool{}
	for _, s := range services {
		if _, ok := known[s]; !ok {
			return fmt.Errorf("%q is not an interface endpoint HipaaVpc offers; use one of %s", s, joinEndpoints(DefaultInterfaceEndpoints()))
		}
		if seen[s] {
			return fmt.Errorf("%q is listed twice", s)
		}
		seen[s] = true
	}
	for _, ep := range interfaceEndpoints {
		if ep.required != "" && !seen[ep.name] {
			return fmt.Errorf("%q cannot be removed: %s, and its HTTPS reaches AWS only through the interface endpoints; "+
				"keep %s (drop only endpoints no workload calls, e.g. sts, monitoring, secretsmanager)",
				ep.name, ep.required, joinEndpoints(RequiredInterfaceEndpoints()))
		}
	}
	return nil
}

func joinEndpoints(eps []InterfaceEndpoint) string {
	s := make([]string, len(eps))
	for i, e := range eps {
		s[i] = string(e)
	}
	return strings.Join(s, ", ")
}

// addEndpoints keeps AWS API traffic on the AWS network. Gateway endpoints
// (S3, DynamoDB) are free and always added, routed from the app and data
// tiers. Interface endpoints of the listed services sit in the app tier
// behind a security group that admits HTTPS from the VPC CIDR only; it
// returns that group, or nil when interface endpoints are off (services
// empty). The CIDR is passed as a literal, not the VPC's CidrBlock
// attribute, so reviewers and cdk-nag see the exact source range.
func addEndpoints(scope constructs.Construct, vpc awsec2.Vpc, vpcCidr string, services map[InterfaceEndpoint]bool) awsec2.ISecurityGroup {
	gwSubnets := &[]*awsec2.SubnetSelection{tier(AppTierName), tier(DataTierName)}
	vpc.AddGatewayEndpoint(jsii.String("S3Endpoint"), &awsec2.GatewayVpcEndpointOptions{
		Service: awsec2.GatewayVpcEndpointAwsService_S3(), Subnets: gwSubnets,
	})
	vpc.AddGatewayEndpoint(jsii.String("DynamoDbEndpoint"), &awsec2.GatewayVpcEndpointOptions{
		Service: awsec2.GatewayVpcEndpointAwsService_DYNAMODB(), Subnets: gwSubnets,
	})
	if len(services) == 0 {
		return nil
	}
	sg := awsec2.NewSecurityGroup(scope, jsii.String("EndpointSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              vpc,
		Description:      jsii.String("Interface VPC endpoints: HTTPS from inside the VPC only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	sg.AddIngressRule(awsec2.Peer_Ipv4(jsii.String(vpcCidr)), awsec2.Port_Tcp(jsii.Number(443)),
		jsii.String("HTTPS from the VPC CIDR"), jsii.Bool(false))
	for _, ep := range interfaceEndpoints {
		if !services[ep.name] {
			continue
		}
		vpc.AddInterfaceEndpoint(jsii.String(ep.id), &awsec2.InterfaceVpcEndpointOptions{
			Service:           ep.service(),
			PrivateDnsEnabled: jsii.Bool(true),
			Subnets:           tier(AppTierName),
			SecurityGroups:    &[]awsec2.ISecurityGroup{sg},
			Open:              jsii.Bool(false),
		})
	}
	return sg
}
