// Package consumer is an app of another team's, kept in this repository to
// prove the library contract: it imports the constructs by module path (a
// replace points at the checkout), synthesizes with no cdk.json, and uses
// the construct objects with CDK's own APIs.
package consumer

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phibucket"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phiservice"
	"github.com/healthstack-oss/hipaa-baseline/constructs/tierisolation"
)

// Portal is a patient portal's baseline: every construct in one stack.
type Portal struct {
	Stack    awscdk.Stack
	Network  *hipaavpc.HipaaVpc
	AppTier  awsec2.SecurityGroup
	Access   *bastionaccess.BastionAccess
	Database *phidatabase.PhiDatabase
	Audit    *audittrail.AuditTrail
	Bucket   *phibucket.PhiBucket
	Service  *phiservice.PhiService
	// Isolation disconnects the data, access and edge tiers in an emergency.
	Isolation *tierisolation.TierIsolation
}

// NewPortal adds the portal's stack to app, with the constructs' defaults.
func NewPortal(app awscdk.App, id string) *Portal {
	stack := awscdk.NewStack(app, jsii.String(id), nil)
	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), nil)
	appTier := awsec2.NewSecurityGroup(stack, jsii.String("AppTier"), &awsec2.SecurityGroupProps{
		Vpc:              network.Vpc(),
		Description:      jsii.String("portal backend"),
		AllowAllOutbound: jsii.Bool(false),
	})
	access := bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
		Vpc:                   network.Vpc(),
		EndpointSecurityGroup: network.EndpointSecurityGroup(),
	})
	db := phidatabase.NewPhiDatabase(stack, jsii.String("Database"), &phidatabase.PhiDatabaseProps{
		Vpc:          network.Vpc(),
		AppClients:   &[]awsec2.IPeer{appTier},
		AccessClient: access.SecurityGroup(),
	})
	audit := audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
		AlarmEmails: jsii.Strings("security@example.com"),
	})
	bucket := phibucket.NewPhiBucket(stack, jsii.String("Documents"), &phibucket.PhiBucketProps{
		AccessLogBucket: audit.AccessLogBucket(),
		ObjectLock:      &phibucket.ObjectLockProps{RetentionDays: jsii.Number(365)},
	})
	service := phiservice.NewPhiService(stack, jsii.String("Backend"), &phiservice.PhiServiceProps{
		Vpc:              network.Vpc(),
		AppSecurityGroup: appTier,
		Certificate:      awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Cert"), jsii.String(ServerCertificateArn)),
		AlarmTopic:       audit.Topic(),
		ImageTag:         jsii.String("v1.0.0"),
		Database:         &phiservice.DatabaseAccess{Database: db, User: jsii.String("portal_app")},
	})
	webAcl, _ := service.WebAcl().(awswafv2.CfnWebACL)
	isolation := tierisolation.NewTierIsolation(stack, jsii.String("Isolation"), &tierisolation.TierIsolationProps{
		ResponderPrincipals: &[]awsiam.IPrincipal{awsiam.NewAccountRootPrincipal()},
		AlarmTopic:          audit.Topic(),
		Vpc:                 network.Vpc(),
		DataSubnets:         network.DataSubnets(),
		DataTierAcl:         network.DataTierAcl(),
		BastionInstance:     access.Instance(),
		BastionKey:          access.EncryptionKey(),
		WebAcl:              webAcl,
	})
	return &Portal{Stack: stack, Network: network, AppTier: appTier, Access: access, Database: db, Audit: audit, Bucket: bucket, Service: service, Isolation: isolation}
}
