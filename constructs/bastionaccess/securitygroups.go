package bastionaccess

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// httpsPort is where the VPC interface endpoints (SSM, KMS, Logs) and S3 listen.
const httpsPort = 443

// newBastionSecurityGroup has no inbound rule at all: Session Manager
// sessions are opened by the SSM agent's outbound connection to the SSM
// endpoints. Egress is the database port to each data subnet, and HTTPS to
// the interface endpoints (and to S3 when its prefix list is given).
func newBastionSecurityGroup(scope constructs.Construct, s *settings, endpoints awsec2.ISecurityGroup) awsec2.SecurityGroup {
	sg := awsec2.NewSecurityGroup(scope, jsii.String("SecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              s.vpc,
		Description:      jsii.String("BastionAccess bastion: no inbound; egress to the database port and the VPC endpoints only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	addDatabaseEgress(sg, s)
	https := awsec2.Port_Tcp(jsii.Number(httpsPort))
	switch {
	case endpoints != nil:
		sg.AddEgressRule(endpoints, https, jsii.String("HTTPS to the VPC interface endpoints"), jsii.Bool(false))
	case s.httpsViaNat:
		sg.AddEgressRule(awsec2.Peer_AnyIpv4(), https,
			jsii.String("HTTPS to the Session Manager APIs through NAT: this VPC has no interface endpoints"), jsii.Bool(false))
	default:
		for _, cidr := range s.appCidrs {
			sg.AddEgressRule(awsec2.Peer_Ipv4(jsii.String(cidr)), https,
				jsii.String("HTTPS to the interface endpoints in app subnet "+cidr), jsii.Bool(false))
		}
	}
	if s.s3PrefixList != "" {
		sg.AddEgressRule(awsec2.Peer_PrefixList(jsii.String(s.s3PrefixList)), https,
			jsii.String("HTTPS to S3 through the gateway endpoint"), jsii.Bool(false))
	}
	return sg
}

// newVpnSecurityGroup guards the Client VPN endpoint's network interfaces.
// It has no inbound rule: VPN traffic enters through the endpoint, not
// through the security group. Egress is the database port to each data
// subnet and HTTPS to the app tier.
func newVpnSecurityGroup(scope constructs.Construct, s *settings) awsec2.SecurityGroup {
	sg := awsec2.NewSecurityGroup(scope, jsii.String("VpnSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              s.vpc,
		Description:      jsii.String("BastionAccess Client VPN: no inbound; egress to the database port and HTTPS in the app tier only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	addDatabaseEgress(sg, s)
	for _, cidr := range s.appCidrs {
		sg.AddEgressRule(awsec2.Peer_Ipv4(jsii.String(cidr)), awsec2.Port_Tcp(jsii.Number(httpsPort)),
			jsii.String("HTTPS to app subnet "+cidr), jsii.Bool(false))
	}
	return sg
}

func addDatabaseEgress(sg awsec2.SecurityGroup, s *settings) {
	port := awsec2.Port_Tcp(jsii.Number(s.dbPort))
	for _, cidr := range s.dataCidrs {
		sg.AddEgressRule(awsec2.Peer_Ipv4(jsii.String(cidr)), port,
			jsii.String(fmt.Sprintf("Database port to data subnet %s", cidr)), jsii.Bool(false))
	}
}
