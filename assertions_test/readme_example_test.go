package assertions_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phiservice"
	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
)

// README example: begin
func newPatientPortalNetwork(app awscdk.App) *hipaavpc.HipaaVpc {
	stack := awscdk.NewStack(app, jsii.String("patient-portal-network"), nil)
	return hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), &hipaavpc.HipaaVpcProps{
		Cidr:        jsii.String("10.42.0.0/16"),
		NatGateways: jsii.Number(1), // one shared NAT gateway: cheaper, less available
	})
}

// README example: end

// The README's library example compiles (it is this file's code), appears in
// the README verbatim, and synthesizes clean.
func TestReadmeExample(t *testing.T) {
	requireInReadme(t, "README example")
	app := newApp(t)
	net := newPatientPortalNetwork(app)
	if net.Vpc() == nil {
		t.Fatal("no VPC")
	}
	requireSynthClean(t, app, "the README example")
}

// requireInReadme checks that the code between "// <marker>: begin" and
// "// <marker>: end" of this file appears in README.md verbatim.
func requireInReadme(t *testing.T, marker string) {
	t.Helper()
	src, err := os.ReadFile("readme_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "// "+marker+": begin\n", "// "+marker+": end"
	s := string(src)
	example := strings.TrimSpace(s[strings.Index(s, begin)+len(begin) : strings.Index(s, end)])
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), example) {
		t.Errorf("README.md does not contain the %s of readme_example_test.go verbatim:\n%s", marker, example)
	}
}

// requireSynthClean synthesizes app with the HIPAA checks and fails on any
// finding.
func requireSynthClean(t *testing.T, app awscdk.App, what string) {
	t.Helper()
	compliance.ApplyHipaaChecks(app)
	if _, findings := compliance.Synth(app); len(findings) > 0 {
		t.Errorf("%s has findings: %v", what, findings)
	}
}

// README service example: begin
func newPatientPortal(app awscdk.App) *phiservice.PhiService {
	stack := awscdk.NewStack(app, jsii.String("patient-portal"), nil)
	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), nil)
	appTier := awsec2.NewSecurityGroup(stack, jsii.String("AppTier"), &awsec2.SecurityGroupProps{
		Vpc: network.Vpc(), Description: jsii.String("portal backend"), AllowAllOutbound: jsii.Bool(false),
	})
	access := bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
		Vpc: network.Vpc(), EndpointSecurityGroup: network.EndpointSecurityGroup(),
	})
	db := phidatabase.NewPhiDatabase(stack, jsii.String("Database"), &phidatabase.PhiDatabaseProps{
		Vpc: network.Vpc(), AppClients: &[]awsec2.IPeer{appTier}, AccessClient: access.SecurityGroup(),
	})
	audit := audittrail.NewAuditTrail(stack, jsii.String("Audit"), &audittrail.AuditTrailProps{
		AlarmEmails: jsii.Strings("security@example.com"),
	})
	return phiservice.NewPhiService(stack, jsii.String("Portal"), &phiservice.PhiServiceProps{
		Vpc:              network.Vpc(),
		AppSecurityGroup: appTier, // the database's app-tier door
		Certificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"),
			jsii.String("arn:aws:acm:us-east-1:123456789012:certificate/your-certificate-id")),
		AlarmTopic: audit.Topic(),
		ImageTag:   jsii.String("v1.0.0"), // pushed by your CI to the service's Repository()
		Database:   &phiservice.DatabaseAccess{Database: db, User: jsii.String("portal_app")},
	})
}

// README service example: end

// The README's service example compiles, appears in the README verbatim,
// and synthesizes clean.
func TestReadmeServiceExample(t *testing.T) {
	requireInReadme(t, "README service example")
	app := newApp(t)
	if svc := newPatientPortal(app); svc.Repository() == nil {
		t.Fatal("no repository")
	}
	requireSynthClean(t, app, "the README service example")
}
