package consumer

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/keypolicy"
)

// Example ARNs of resources that live outside the app.
const (
	ServerCertificateArn = "arn:aws:acm:us-east-1:111122223333:certificate/11111111-2222-3333-4444-555555555555"
	SamlProviderArn      = "arn:aws:iam::111122223333:saml-provider/EngineeringIdP"
)

// NewPortalVariants adds a stack with the constructs' other modes: Aurora,
// a time-boxed bastion with a SAML Client VPN, and an AuditTrail on the
// team's own key and topic. Together with NewPortal it exercises every code
// path a feature flag could change.
func NewPortalVariants(app awscdk.App, id string) awscdk.Stack {
	stack := awscdk.NewStack(app, jsii.String(id), nil)
	key := awskms.NewKey(stack, jsii.String("TeamKey"), &awskms.KeyProps{
		EnableKeyRotation: jsii.Bool(true), RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	keypolicy.AllowCloudWatchLogs(key) // the constructs would add it too; adding it twice writes it once
	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), &hipaavpc.HipaaVpcProps{
		Cidr: jsii.String("10.60.0.0/16"), NatGateways: jsii.Number(1), EncryptionKey: key,
	})
	access := bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
		Vpc: network.Vpc(), EndpointSecurityGroup: network.EndpointSecurityGroup(),
		Mode: bastionaccess.ModeTimeBoxedAutoScaling, EncryptionKey: key,
		ClientVpn: &bastionaccess.ClientVpnProps{
			ClientCidr:        jsii.String("172.16.0.0/22"),
			ServerCertificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("VpnCert"), jsii.String(ServerCertificateArn)),
			SamlProvider:      awsiam.SamlProvider_FromSamlProviderArn(stack, jsii.String("Idp"), jsii.String(SamlProviderArn)),
		},
	})
	appTier := awsec2.NewSecurityGroup(stack, jsii.String("AppTier"), &awsec2.SecurityGroupProps{
		Vpc: network.Vpc(), AllowAllOutbound: jsii.Bool(false),
	})
	phidatabase.NewPhiDatabase(stack, jsii.String("Database"), &phidatabase.PhiDatabaseProps{
		Vpc: network.Vpc(), AppClients: &[]awsec2.IPeer{appTier}, AccessClient: access.VpnSecurityGroup(),
		Engine: phidatabase.EngineAuroraPostgres, InstanceType: awsec2.NewInstanceType(jsii.String("r6g.large")),
		EncryptionKey: key,
	})
	topic := awssns.NewTopic(stack, jsii.String("OpsTopic"), &awssns.TopicProps{MasterKey: key, EnforceSSL: jsii.Bool(true)})
	audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
		EncryptionKey: key, AlarmTopic: topic, EnableSecurityHub: jsii.Bool(true),
	})
	return stack
}
