package hipaavpc

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// suppressPublicRoutes suppresses HIPAA.Security-VPCNoUnrestrictedRouteToIGW
// on the public tier's default routes only. The public tier exists to hold
// NAT gateways and internet-facing load balancers, which need a 0.0.0.0/0
// route to the internet gateway; the app and data tiers have no such route.
func suppressPublicRoutes(vpc awsec2.Vpc) {
	for _, sn := range *vpc.PublicSubnets() {
		route := sn.Node().FindChild(jsii.String("DefaultRoute"))
		cdknag.NagSuppressions_AddResourceSuppressions(route, &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("HIPAA.Security-VPCNoUnrestrictedRouteToIGW"),
			Reason: jsii.String("Public tier only: NAT gateways and internet-facing load balancers need a default route " +
				"to the internet gateway. App and data tiers have no route to it."),
		}}, jsii.Bool(false))
	}
}

// suppressRestrictSgHandlerFindings suppresses, on CDK's Lambda function that
// empties the default security group, the three Lambda rules it cannot meet
// without harm. Only CloudFormation invokes it, once per VPC per stack
// operation; it calls the EC2 API on that one group and reads no data.
func suppressRestrictSgHandlerFindings(handler awscdk.CfnResource) {
	cdknag.NagSuppressions_AddResourceSuppressions(handler, &[]*cdknag.NagPackSuppression{
		{
			Id: jsii.String("HIPAA.Security-LambdaInsideVPC"),
			Reason: jsii.String("CDK's handler that empties the default security group calls only the EC2 API, for that one " +
				"group, and reads no data. In the VPC it would need a route to the EC2 API (NAT, or an EC2 interface " +
				"endpoint the baseline does not create) and would leave Lambda network interfaces that delay deleting the subnets."),
		},
		{
			Id: jsii.String("HIPAA.Security-LambdaDLQ"),
			Reason: jsii.String("Only CloudFormation invokes this handler and waits for its answer: CDK's entrypoint reports " +
				"every failure to CloudFormation, which fails and rolls back the stack operation with the error (also in the " +
				"handler's encrypted log group). A dead-letter queue would hold a copy of an event nobody can replay."),
		},
		{
			Id: jsii.String("HIPAA.Security-LambdaConcurrency"),
			Reason: jsii.String("Runs once per VPC per stack operation, so there is no load to cap. Reserving concurrency fails " +
				"the deployment where the account's Lambda concurrency quota is below 100 plus the reservation (new accounts " +
				"start at 10), and every environment is meant to get an account of its own."),
		},
	}, jsii.Bool(false))
}
