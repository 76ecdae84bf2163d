package hipaavpc

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// interfaceEndpoints are the AWS APIs a PHI workload and Session Manager call,
// keyed by a construct id that must not change (it names the endpoint's
// logical ID).
func interfaceEndpoints() []struct {
	id      string
	service awsec2.InterfaceVpcEndpointAwsService
} {
	return []struct {
		id      string
		service awsec2.InterfaceVpcEndpointAwsService
	}{
		{"KmsEndpoint", awsec2.InterfaceVpcEndpointAwsService_KMS()},
		{"SecretsManagerEndpoint", awsec2.InterfaceVpcEndpointAwsService_SECRETS_MANAGER()},
		{"LogsEndpoint", awsec2.InterfaceVpcEndpointAwsService_CLOUDWATCH_LOGS()},
		{"MonitoringEndpoint", awsec2.InterfaceVpcEndpointAwsService_CLOUDWATCH_MONITORING()},
		{"StsEndpoint", awsec2.InterfaceVpcEndpointAwsService_STS()},
		{"SsmEndpoint", awsec2.InterfaceVpcEndpointAwsService_SSM()},
		{"SsmMessagesEndpoint", awsec2.InterfaceVpcEndpointAwsService_SSM_MESSAGES()},
		{"Ec2MessagesEndpoint", awsec2.InterfaceVpcEndpointAwsService_EC2_MESSAGES()},
	}
}

// addEndpoints keeps AWS API traffic on the AWS network. Gateway endpoints
// (S3, DynamoDB) are free and always added, routed from the app and data
// tiers. Interface endpoints sit in the app tier behind a security group that
// admits HTTPS from the VPC CIDR only; it returns that group, or nil when
// interface endpoints are off. The CIDR is passed as a literal, not the VPC's
// CidrBlock attribute, so reviewers and cdk-nag see the exact source range.
func addEndpoints(scope constructs.Construct, vpc awsec2.Vpc, vpcCidr string, withInterface bool) awsec2.ISecurityGroup {
	gwSubnets := &[]*awsec2.SubnetSelection{tier(AppTierName), tier(DataTierName)}
	vpc.AddGatewayEndpoint(jsii.String("S3Endpoint"), &awsec2.GatewayVpcEndpointOptions{
		Service: awsec2.GatewayVpcEndpointAwsService_S3(), Subnets: gwSubnets,
	})
	vpc.AddGatewayEndpoint(jsii.String("DynamoDbEndpoint"), &awsec2.GatewayVpcEndpointOptions{
		Service: awsec2.GatewayVpcEndpointAwsService_DYNAMODB(), Subnets: gwSubnets,
	})
	if !withInterface {
		return nil
	}
	sg := awsec2.NewSecurityGroup(scope, jsii.String("EndpointSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              vpc,
		Description:      jsii.String("Interface VPC endpoints: HTTPS from inside the VPC only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	sg.AddIngressRule(awsec2.Peer_Ipv4(jsii.String(vpcCidr)), awsec2.Port_Tcp(jsii.Number(443)),
		jsii.String("HTTPS from the VPC CIDR"), jsii.Bool(false))
	for _, ep := range interfaceEndpoints() {
		vpc.AddInterfaceEndpoint(jsii.String(ep.id), &awsec2.InterfaceVpcEndpointOptions{
			Service:           ep.service,
			PrivateDnsEnabled: jsii.Bool(true),
			Subnets:           tier(AppTierName),
			SecurityGroups:    &[]awsec2.ISecurityGroup{sg},
			Open:              jsii.Bool(false),
		})
	}
	return sg
}
