package bastionaccess

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// newClientVpn creates the Client VPN endpoint: split tunnel (only VPC
// routes are pushed to clients, so their internet traffic never enters the
// VPC), every connection logged to an encrypted log group, associated with
// the app subnets, and authorized only for the app and data subnets.
func newClientVpn(scope constructs.Construct, s *settings, sg awsec2.ISecurityGroup, key awskms.IKey) awsec2.ClientVpnEndpoint {
	props := &awsec2.ClientVpnEndpointProps{
		Vpc:                        s.vpc,
		VpcSubnets:                 s.appSubnets,
		Cidr:                       jsii.String(s.vpn.clientCidr),
		ServerCertificateArn:       s.vpn.serverCert.CertificateArn(),
		SplitTunnel:                jsii.Bool(true),
		Logging:                    jsii.Bool(true),
		LogGroup:                   newLogGroup(scope, "VpnConnectionLogGroup", key, s.retentionDays),
		SecurityGroups:             &[]awsec2.ISecurityGroup{sg},
		AuthorizeAllUsersToVpcCidr: jsii.Bool(false),
		SelfServicePortal:          jsii.Bool(false),
		SessionTimeout:             awsec2.ClientVpnSessionTimeout_EIGHT_HOURS,
		DisconnectOnSessionTimeout: jsii.Bool(true),
		Description:                jsii.String("BastionAccess: engineer access to the app and data tiers"),
	}
	if s.vpn.clientRootCert != nil {
		props.ClientCertificateArn = s.vpn.clientRootCert.CertificateArn()
	} else {
		props.UserBasedAuthentication = awsec2.ClientVpnUserBasedAuthentication_Federated(s.vpn.samlProvider, nil)
	}
	vpn := awsec2.NewClientVpnEndpoint(scope, jsii.String("ClientVpn"), props)
	// A slice, not a map: iteration order must be fixed for a deterministic template.
	for _, t := range []struct {
		tier  string
		cidrs []string
	}{{"App", s.appCidrs}, {"Data", s.dataCidrs}} {
		tier := t.tier
		for i, cidr := range t.cidrs {
			vpn.AddAuthorizationRule(jsii.String(fmt.Sprintf("Authorize%s%d", tier, i)), &awsec2.ClientVpnAuthorizationRuleOptions{
				Cidr:        jsii.String(cidr),
				Description: jsii.String(fmt.Sprintf("%s tier subnet %s", tier, cidr)),
			})
		}
	}
	return vpn
}
