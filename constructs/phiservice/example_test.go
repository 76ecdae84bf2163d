package phiservice_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phiservice"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }

// A backend in the app tier behind an HTTPS load balancer: its tasks join
// the security group the database admits, connect with IAM authentication,
// and alarm to the audit topic.
func ExampleNewPhiService() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("app"), nil)
	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), nil)
	group := func(id string) awsec2.ISecurityGroup {
		return awsec2.NewSecurityGroup(stack, jsii.String(id), &awsec2.SecurityGroupProps{Vpc: network.Vpc(), AllowAllOutbound: jsii.Bool(false)})
	}
	appTier := group("AppTier")
	db := phidatabase.NewPhiDatabase(stack, jsii.String("Db"), &phidatabase.PhiDatabaseProps{
		Vpc:          network.Vpc(),
		AppClients:   &[]awsec2.IPeer{appTier},
		AccessClient: group("Bastion"),
	})
	audit := audittrail.NewAuditTrail(stack, jsii.String("Audit"), nil)
	phiservice.NewPhiService(stack, jsii.String("Api"), &phiservice.PhiServiceProps{
		Vpc:              network.Vpc(),
		AppSecurityGroup: appTier, // the database's app-tier door
		Certificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"),
			jsii.String("arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555")),
		AlarmTopic: audit.Topic(),
		ImageTag:   jsii.String("v1.4.2"), // from the ECR repository PhiService creates
		Database:   &phiservice.DatabaseAccess{Database: db, User: jsii.String("app_user")},
	})

	tmpl := assertions.Template_FromStack(stack, nil)
	props := func(typ string) []map[string]interface{} {
		var out []map[string]interface{}
		for _, r := range *tmpl.FindResources(jsii.String(typ), nil) {
			out = append(out, (*r)["Properties"].(map[string]interface{}))
		}
		return out
	}
	for _, p := range props("AWS::ElasticLoadBalancingV2::Listener") {
		if p["Protocol"] == "HTTPS" {
			fmt.Println("listener:", p["Port"], p["SslPolicy"])
		}
	}
	for _, p := range props("AWS::ECS::Service") {
		vpc := p["NetworkConfiguration"].(map[string]interface{})["AwsvpcConfiguration"].(map[string]interface{})
		fmt.Println("tasks:", p["DesiredCount"], "public IP:", vpc["AssignPublicIp"])
	}
	for _, p := range props("AWS::ECS::TaskDefinition") {
		c := p["ContainerDefinitions"].([]interface{})[0].(map[string]interface{})
		fmt.Println("container user:", c["User"], "read-only root:", c["ReadonlyRootFilesystem"], "privileged:", c["Privileged"])
	}
	fmt.Println("web ACLs:", len(props("AWS::WAFv2::WebACL")))
	// Output:
	// listener: 443 ELBSecurityPolicy-TLS13-1-2-2021-06
	// tasks: 2 public IP: DISABLED
	// container user: 1000:1000 read-only root: true privileged: false
	// web ACLs: 1
}
