package hipaavpc_test

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
	"github.com/healthstack-oss/hipaa-baseline/validation"
)

func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }

func count(stack awscdk.Stack, typ string) int {
	return len(*assertions.Template_FromStack(stack, nil).FindResources(jsii.String(typ), nil))
}

// A three-tier VPC with one shared NAT gateway; the value is a construct, so
// CDK's own APIs (here Tags_Of) take it.
func ExampleNewHipaaVpc() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("network"), nil)
	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), &hipaavpc.HipaaVpcProps{
		Cidr:        jsii.String("10.42.0.0/16"),
		NatGateways: jsii.Number(1),
	})
	awscdk.Tags_Of(network).Add(jsii.String("Team"), jsii.String("portal"), nil)

	fmt.Println("subnets:", count(stack, "AWS::EC2::Subnet"))
	fmt.Println("NAT gateways:", count(stack, "AWS::EC2::NatGateway"))
	fmt.Println("flow logs:", count(stack, "AWS::EC2::FlowLog"))
	// Output:
	// subnets: 6
	// NAT gateways: 1
	// flow logs: 1
}

// Bad input panics before anything is created, with a *validation.Error.
func ExampleNewHipaaVpc_invalidProp() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("network"), nil)
	defer func() {
		var verr *validation.Error
		if err, ok := recover().(error); ok && errors.As(err, &verr) {
			fmt.Println(verr.Prop, "at", verr.Path)
			fmt.Println(err)
		}
	}()
	hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), &hipaavpc.HipaaVpcProps{Cidr: jsii.String("8.8.0.0/16")})
	// Output:
	// Cidr at network/Network
	// HipaaVpc: invalid prop Cidr: "8.8.0.0/16" is not inside a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16
}
