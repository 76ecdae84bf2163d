package hipaavpc

import (
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
