// Package stacks composes the constructs into per-environment stacks.
package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
)

// NetworkStackProps configures a NetworkStack.
type NetworkStackProps struct {
	awscdk.StackProps
	// Props of the HipaaVpc. Default: HipaaVpc's secure defaults.
	Vpc *hipaavpc.HipaaVpcProps
}

// NetworkStack holds an environment's HipaaVpc.
type NetworkStack struct {
	awscdk.Stack
	Network *hipaavpc.HipaaVpc
}

// NewNetworkStack creates the network layer of an environment.
func NewNetworkStack(scope constructs.Construct, id string, props *NetworkStackProps) *NetworkStack {
	var sp awscdk.StackProps
	var vp *hipaavpc.HipaaVpcProps
	if props != nil {
		sp, vp = props.StackProps, props.Vpc
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &sp)
	return &NetworkStack{Stack: stack, Network: hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), vp)}
}
