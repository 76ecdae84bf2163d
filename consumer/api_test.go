package consumer

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/validation"
)

// bareApp is an app with no context, as a new team's `go test` makes it;
// its assembly directory is removed after the test.
func bareApp(t *testing.T) awscdk.App {
	app := awscdk.NewApp(nil)
	t.Cleanup(func() { removeAll(*app.Outdir()) })
	return app
}

// counter is an aspect of the team's own.
type counter struct{ visited int }

func (c *counter) Visit(constructs.IConstruct) { c.visited++ }

// Each construct's value is a construct to CDK's own APIs: tags, outputs,
// aspects, dependencies and cdk-nag suppressions take it directly.
func TestConstructsWorkWithCdkApis(t *testing.T) {
	app := bareApp(t)
	p := NewPortal(app, "portal")
	awscdk.Aspects_Of(app).Add(cdknag.NewHIPAASecurityChecks(nil), nil)
	for _, c := range []constructs.IConstruct{p.Network, p.Access, p.Database, p.Audit} {
		awscdk.Tags_Of(c).Add(jsii.String("CostCenter"), jsii.String("portal"), nil)
	}
	awscdk.NewCfnOutput(p.Database, jsii.String("Endpoint"), &awscdk.CfnOutputProps{Value: p.Database.EndpointAddress()})
	awscdk.NewCfnOutput(p.Network, jsii.String("VpcId"), &awscdk.CfnOutputProps{Value: p.Network.Vpc().VpcId()})
	aspect := &counter{}
	awscdk.Aspects_Of(p.Audit).Add(aspect, nil)
	p.AppTier.Node().AddDependency(p.Access)
	cdknag.NagSuppressions_AddResourceSuppressions(p.Network, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("HIPAA.Security-VPCFlowLogsEnabled"), Reason: jsii.String("consumer test: a suppression on the construct reaches its children"),
	}}, jsii.Bool(true))

	tmpl := app.Synth(nil).GetStackByName(jsii.String("portal")).Template().(map[string]interface{})
	resources := tmpl["Resources"].(map[string]interface{})
	outputs := tmpl["Outputs"].(map[string]interface{})
	if !hasKeyWithPrefix(outputs, "DatabaseEndpoint") || !hasKeyWithPrefix(outputs, "NetworkVpcId") {
		t.Errorf("outputs scoped to the constructs are missing: %v", keys(outputs))
	}
	if aspect.visited == 0 {
		t.Error("an aspect added to the AuditTrail visited nothing")
	}
	tagged, suppressed := 0, 0
	for id, r := range resources {
		res := r.(map[string]interface{})
		if strings.Contains(fmt.Sprint(res["Properties"]), "CostCenter") {
			tagged++
		}
		if strings.HasPrefix(id, "Network") && strings.Contains(fmt.Sprint(res["Metadata"]), "consumer test") {
			suppressed++
		}
		if strings.HasPrefix(id, "AppTier") && res["Type"] == "AWS::EC2::SecurityGroup" {
			if deps := fmt.Sprint(res["DependsOn"]); !strings.Contains(deps, "AccessInstance") {
				t.Errorf("AppTier's DependsOn %s lacks the bastion's resources", deps)
			}
		}
	}
	if tagged < 20 {
		t.Errorf("only %d resources carry the CostCenter tag added to the four constructs", tagged)
	}
	if suppressed < 10 {
		t.Errorf("only %d network resources carry the suppression added to HipaaVpc", suppressed)
	}
}

// A team's test matches a bad prop with errors.As and reads its fields.
func TestValidationErrorIsTyped(t *testing.T) {
	stack := awscdk.NewStack(bareApp(t), jsii.String("portal"), nil)
	err := func() (err error) {
		defer func() { err, _ = recover().(error) }()
		hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), &hipaavpc.HipaaVpcProps{Cidr: jsii.String("8.8.0.0/16")})
		return nil
	}()
	var verr *validation.Error
	if !errors.As(err, &verr) {
		t.Fatalf("error %v is not a *validation.Error", err)
	}
	if verr.Construct != "HipaaVpc" || verr.Prop != "Cidr" || verr.Path != "portal/Network" || !strings.Contains(verr.Problem, "RFC 1918") {
		t.Errorf("fields %+v", *verr)
	}
	if !strings.HasPrefix(err.Error(), "HipaaVpc: invalid prop Cidr: ") {
		t.Errorf("message %q", err)
	}
}

// The database accessors work for both engines, and IAM database
// authentication is granted with *string users like the rest of CDK.
func TestDatabaseAccessorsForBothEngines(t *testing.T) {
	app := bareApp(t)
	p := NewPortal(app, "portal")
	variants := NewPortalVariants(app, "portal-variants")
	aurora := variants.Node().FindChild(jsii.String("Database")).(*phidatabase.PhiDatabase)
	for _, db := range []*phidatabase.PhiDatabase{p.Database, aurora} {
		if db.Database() == nil || db.Database().Connections() == nil || *db.DatabaseName() != phidatabase.DefaultDatabaseName {
			t.Errorf("%s: Database() or DatabaseName() missing", db.Engine())
		}
	}
	if aurora.Engine() != phidatabase.EngineAuroraPostgres || aurora.Cluster() == nil || aurora.Instance() != nil {
		t.Error("the variant is not Aurora")
	}
	if p.Audit.Trail() == nil || p.Audit.ConfigRecorder() == nil || p.Audit.GuardDutyDetector() == nil ||
		len(p.Audit.ManagedConfigRules()) == 0 || p.Audit.SecurityHub() != nil || *p.Audit.TrailName() == "" {
		t.Error("AuditTrail accessors: want trail, recorder, detector and rules, no hub (not enabled)")
	}
	role := awsiam.NewRole(p.Stack, jsii.String("Reporter"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil)})
	p.Database.GrantConnect(role, jsii.String("report_reader"))
}

// What the constructs enforce holds after the team's own changes, in an app
// with no context: a third door fails synth, and so does an AWS managed key.
func TestEnforcedInTheTeamsApp(t *testing.T) {
	t.Run("third door", func(t *testing.T) {
		app := bareApp(t)
		p := NewPortal(app, "portal")
		worker := awsec2.NewSecurityGroup(p.Stack, jsii.String("Worker"), &awsec2.SecurityGroupProps{Vpc: p.Network.Vpc()})
		p.Database.Database().Connections().AllowDefaultPortFrom(worker, nil)
		if msg := synthError(app); !strings.Contains(msg, "PhiDatabase: a third door") {
			t.Errorf("synth error %q, want the third door named", msg)
		}
	})
	t.Run("aws managed key", func(t *testing.T) {
		stack := awscdk.NewStack(bareApp(t), jsii.String("portal"), nil)
		err := func() (err error) {
			defer func() { err, _ = recover().(error) }()
			hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), &hipaavpc.HipaaVpcProps{
				EncryptionKey: awskms.Alias_FromAliasName(stack, jsii.String("Managed"), jsii.String("alias/aws/logs")),
			})
			return nil
		}()
		var verr *validation.Error
		if !errors.As(err, &verr) || verr.Prop != "EncryptionKey" {
			t.Errorf("got %v, want a validation error on EncryptionKey", err)
		}
	})
}

// The team's app passes the HIPAA Security pack with no context and no
// suppression of its own. Without cdk.json's flags aws-cdk-lib does not
// throw on error annotations, so they are read from the assembly.
func TestTeamAppIsHipaaClean(t *testing.T) {
	app := bareApp(t)
	NewPortal(app, "portal")
	NewPortalVariants(app, "portal-variants")
	if errs := nagErrors(t, app); len(errs) > 0 {
		t.Errorf("%d HIPAA finding(s): %v", len(errs), errs)
	}
	// The gate does fail: a plain bucket of the team's is a finding.
	bad := bareApp(t)
	awss3.NewBucket(awscdk.NewStack(bad, jsii.String("bad"), nil), jsii.String("Plain"), nil)
	if errs := nagErrors(t, bad); !strings.Contains(fmt.Sprint(errs), "HIPAA.Security-S3") {
		t.Errorf("a non-compliant bucket gave no finding: %v", errs)
	}
}

// nagErrors runs the HIPAA Security pack over app and returns every error
// annotation of the synthesized stacks.
func nagErrors(t *testing.T, app awscdk.App) []string {
	t.Helper()
	awscdk.Aspects_Of(app).Add(cdknag.NewHIPAASecurityChecks(nil), nil)
	var out []string
	for _, st := range *app.Synth(nil).Stacks() {
		for _, m := range *st.FindMetadataByType(jsii.String("aws:cdk:error")) {
			out = append(out, fmt.Sprintf("%s: %v", *m.Path, firstLine(fmt.Sprint(m.Data))))
		}
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func synthError(app awscdk.App) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	app.Synth(nil)
	return ""
}

func hasKeyWithPrefix(m map[string]interface{}, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func keys(m map[string]interface{}) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
