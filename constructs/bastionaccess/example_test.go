package bastionaccess_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }

// A Session Manager bastion in the app tier that reaches AWS through the
// VPC's interface endpoints; its security group is the database's access
// client.
func ExampleNewBastionAccess() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("access"), nil)
	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), nil)
	access := bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
		Vpc:                   network.Vpc(),
		EndpointSecurityGroup: network.EndpointSecurityGroup(),
	})
	awscdk.NewCfnOutput(access, jsii.String("BastionId"), &awscdk.CfnOutputProps{Value: access.Instance().InstanceId()})

	tmpl := assertions.Template_FromStack(stack, nil)
	for _, r := range *tmpl.FindResources(jsii.String("AWS::EC2::Instance"), nil) {
		p := (*r)["Properties"].(map[string]interface{})
		_, hasKeyPair := p["KeyName"]
		fmt.Println("bastion key pair:", hasKeyPair)
	}
	for id, r := range *tmpl.FindResources(jsii.String("AWS::EC2::SecurityGroup"), nil) {
		if strings.HasPrefix(id, "AccessSecurityGroup") {
			_, inbound := (*r)["Properties"].(map[string]interface{})["SecurityGroupIngress"]
			fmt.Println("inbound rules:", inbound)
		}
	}
	fmt.Println("session documents:", len(*tmpl.FindResources(jsii.String("AWS::SSM::Document"), nil)))
	// Output:
	// bastion key pair: false
	// inbound rules: false
	// session documents: 1
}
