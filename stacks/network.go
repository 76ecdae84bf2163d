// Package stacks composes the constructs into per-environment stacks.
package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
)

// NetworkStack holds an environment's HipaaVpc and the app-tier security
// group that backend services join (the database's first allowed source).
type NetworkStack struct {
	awscdk.Stack
	Network      *hipaavpc.HipaaVpc
	AppTierGroup awsec2.ISecurityGroup
}

// NewNetworkStack creates the network layer of an environment.
func NewNetworkStack(scope constructs.Construct, id string, props *awscdk.StackProps, vpc *hipaavpc.HipaaVpcProps) *NetworkStack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	net := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), vpc)
	appTier := awsec2.NewSecurityGroup(stack, jsii.String("AppTierSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:         net.Vpc(),
		Description: jsii.String("Backend app tier: services that may reach the PHI database join this group"),
		// No outbound by default: each service (PhiService) adds the egress
		// it needs, as resources of its own stack.
		AllowAllOutbound: jsii.Bool(false),
	})
	return &NetworkStack{Stack: stack, Network: net, AppTierGroup: appTier}
}
