package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phiservice"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// Output keys of the app stack.
const (
	OutputLoadBalancerDns = "LoadBalancerDnsName"
	// AppDatabaseUser is the PostgreSQL user the service connects as with
	// IAM authentication (CREATE USER app_user; GRANT rds_iam TO app_user).
	AppDatabaseUser = "app_user"
)

// ContextAppCertificateArn overrides the profile's AppCertificateArn
// (`-c appCertificateArn=arn:aws:acm:...`): make deploy-local passes the
// certificate it imported into the emulator's ACM.
const ContextAppCertificateArn = "appCertificateArn"

// AppStack holds an environment's PhiService: the backend that serves the
// app, in the network's app tier, reaching the data stack's database.
type AppStack struct {
	awscdk.Stack
	Service *phiservice.PhiService
}

// NewAppStack creates the app tier of the profile's environment.
func NewAppStack(scope constructs.Construct, id string, props *awscdk.StackProps, p Profile, network *NetworkStack, audit *AuditStack, data *DataStack) *AppStack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	arn := p.AppCertificateArn
	if v, ok := stack.Node().TryGetContext(jsii.String(ContextAppCertificateArn)).(string); ok && v != "" {
		arn = v
	}
	sp := &phiservice.PhiServiceProps{
		Vpc:              network.Network.Vpc(),
		AppSecurityGroup: network.AppTierGroup,
		Certificate:      awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"), jsii.String(arn)),
		AlarmTopic:       audit.Audit.Topic(),
		RegistryImage:    jsii.String(p.AppImage),
		ContainerPort:    jsii.Number(p.AppContainerPort),
		User:             jsii.String(p.AppContainerUser),
		HealthCheckPath:  jsii.String(p.AppHealthCheckPath),
		Cpu:              jsii.Number(p.AppCpu),
		MemoryLimitMiB:   jsii.Number(p.AppMemoryMiB),
		DesiredCount:     jsii.Number(p.AppTaskCount),
		LogRetentionDays: jsii.Number(p.LogRetentionDays),
		Database:         &phiservice.DatabaseAccess{Database: data.Database, User: jsii.String(AppDatabaseUser)},
	}
	if !p.HoldsPhi && p.AppTaskCount < 2 {
		sp.AllowSingleTaskForNonPhiEnvironment = jsii.Bool(true)
	}
	if !p.DeletionProtection {
		// Only an environment without PHI gets here (Profile.Validate).
		sp.DisableDeletionProtectionForNonPhiEnvironment = jsii.Bool(true)
	}
	if p.LogRetentionDays < retention.SixYearsDays {
		sp.AllowRetentionShorterThanSixYears = jsii.Bool(true)
	}
	svc := phiservice.NewPhiService(stack, jsii.String("Service"), sp)
	awscdk.NewCfnOutput(stack, jsii.String(OutputLoadBalancerDns), &awscdk.CfnOutputProps{
		Value:       svc.LoadBalancer().LoadBalancerDnsName(),
		Description: jsii.String("The service's load balancer (HTTPS); point your DNS name, the certificate's, at it"),
	})
	return &AppStack{Stack: stack, Service: svc}
}
