package phidatabase_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }

// A database in the data tier with its two doors: the backend's security
// group and the bastion's. The app role connects with IAM authentication
// through a managed policy.
func ExampleNewPhiDatabase() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("data"), nil)
	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), nil)
	group := func(id string) awsec2.ISecurityGroup {
		return awsec2.NewSecurityGroup(stack, jsii.String(id), &awsec2.SecurityGroupProps{Vpc: network.Vpc(), AllowAllOutbound: jsii.Bool(false)})
	}
	db := phidatabase.NewPhiDatabase(stack, jsii.String("Db"), &phidatabase.PhiDatabaseProps{
		Vpc:          network.Vpc(),
		AppClients:   &[]awsec2.IPeer{group("Backend")},
		AccessClient: group("Bastion"),
	})
	role := awsiam.NewRole(stack, jsii.String("BackendRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
	})
	role.AddManagedPolicy(awsiam.NewManagedPolicy(stack, jsii.String("DbConnect"), &awsiam.ManagedPolicyProps{
		Statements: &[]awsiam.PolicyStatement{db.ConnectPolicyStatement(jsii.String("app_user"))},
	}))

	tmpl := assertions.Template_FromStack(stack, nil)
	for _, r := range *tmpl.FindResources(jsii.String("AWS::RDS::DBInstance"), nil) {
		p := (*r)["Properties"].(map[string]interface{})
		fmt.Println("encrypted:", p["StorageEncrypted"], "public:", p["PubliclyAccessible"], "multi-AZ:", p["MultiAZ"])
	}
	doors := 0
	for id := range *tmpl.FindResources(jsii.String("AWS::EC2::SecurityGroupIngress"), nil) {
		if strings.HasPrefix(id, "DbSecurityGroup") {
			doors++
		}
	}
	fmt.Println("doors:", doors)
	fmt.Println("database:", *db.DatabaseName(), "engine:", db.Engine())
	// Output:
	// encrypted: true public: false multi-AZ: true
	// doors: 2
	// database: app engine: postgres
}
