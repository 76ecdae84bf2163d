package phidatabase

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// newSecurityGroup creates the database's own security group. Outbound is
// closed (a database initiates no connections), and inbound is exactly the
// database port from each app-tier security group and from the access
// security group: one AWS::EC2::SecurityGroupIngress per source, with the
// source security group's ID, so the template shows every allowed source.
func newSecurityGroup(scope constructs.Construct, vpc awsec2.IVpc, port float64, appClients int, clients []awsec2.IPeer) awsec2.SecurityGroup {
	sg := awsec2.NewSecurityGroup(scope, jsii.String("SecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              vpc,
		Description:      jsii.String("PhiDatabase: the database port from the app tier and the access tier only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	dbPort := awsec2.Port_Tcp(jsii.Number(port))
	for i, peer := range clients {
		desc := fmt.Sprintf("PostgreSQL from app tier security group %d", i+1)
		if i == appClients {
			desc = "PostgreSQL from the access tier (BastionAccess or VPN)"
		}
		sg.AddIngressRule(peer, dbPort, jsii.String(desc), jsii.Bool(false))
	}
	return sg
}
