package tierisolation_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/audittrail"
	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/constructs/tierisolation"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }

// Emergency disconnection of the data and access tiers of a network, an
// audit layer and a bastion built in one stack: an isolate and a reconnect
// document per tier, which only the MFA-gated responder role may start.
func ExampleNewTierIsolation() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("env"), nil)
	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), nil)
	audit := audittrail.NewAuditTrail(stack, jsii.String("Audit"), nil)
	access := bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
		Vpc:                   network.Vpc(),
		EndpointSecurityGroup: network.EndpointSecurityGroup(),
	})
	iso := tierisolation.NewTierIsolation(stack, jsii.String("Isolation"), &tierisolation.TierIsolationProps{
		ResponderPrincipals: &[]awsiam.IPrincipal{awsiam.NewAccountRootPrincipal()},
		AlarmTopic:          audit.Topic(),
		Vpc:                 network.Vpc(),
		DataSubnets:         network.DataSubnets(),
		DataTierAcl:         network.DataTierAcl(),
		BastionInstance:     access.Instance(),
		BastionKey:          access.EncryptionKey(),
	})
	for _, tier := range iso.Tiers() {
		fmt.Printf("%s: %s, %s\n", tier, iso.IsolateDocument(tier), iso.ReconnectDocument(tier))
	}

	tmpl := assertions.Template_FromStack(stack, nil)
	automation := 0
	for _, r := range *tmpl.FindResources(jsii.String("AWS::SSM::Document"), nil) {
		if (*r)["Properties"].(map[string]interface{})["DocumentType"] == "Automation" {
			automation++
		}
	}
	fmt.Println("automation documents:", automation)
	id := *stack.GetLogicalId(iso.ResponderRole().Node().DefaultChild().(awscdk.CfnElement))
	trust := (*(*tmpl.FindResources(jsii.String("AWS::IAM::Role"), nil))[id])["Properties"].(map[string]interface{})["AssumeRolePolicyDocument"]
	fmt.Println("responder role requires MFA:", strings.Contains(fmt.Sprint(trust), "aws:MultiFactorAuthPresent"))
	// Output:
	// data: env-IsolateData, env-ReconnectData
	// access: env-IsolateAccess, env-ReconnectAccess
	// automation documents: 4
	// responder role requires MFA: true
}
