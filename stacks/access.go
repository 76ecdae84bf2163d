package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/bastionaccess"
	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// Output keys of the access stack; `make db-tunnel` finds them by what they
// reference, these names are for people reading the console.
const OutputBastionInstanceID = "BastionInstanceId"

// AccessStack holds an environment's BastionAccess: the one audited human
// path to the data tier.
type AccessStack struct {
	awscdk.Stack
	Access *bastionaccess.BastionAccess
}

// NewAccessStack creates the Session Manager bastion in the network's app tier.
func NewAccessStack(scope constructs.Construct, id string, props *awscdk.StackProps, p Profile, network *NetworkStack) *AccessStack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	access := bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
		Vpc:                     network.Network.Vpc(),
		VpcCidr:                 jsii.String(p.VpcCidr),
		DatabasePort:            jsii.Number(phidatabase.DefaultPort),
		EndpointSecurityGroup:   network.Network.EndpointSecurityGroup(),
		SessionLogRetentionDays: jsii.Number(p.LogRetentionDays),
		// Without interface endpoints (a profile without PHI, for cost) the
		// Session Manager agent reaches its APIs through the NAT gateway.
		AllowHttpsEgressThroughNat: jsii.Bool(!p.InterfaceEndpoints),
		// Only an environment without PHI keeps logs less than six years
		// (Profile.Validate).
		AllowRetentionShorterThanSixYears: jsii.Bool(p.LogRetentionDays < retention.SixYearsDays),
	})
	// A psql session prints query results to the terminal, and Session
	// Manager logs the terminal: the session log holds PHI.
	awscdk.Tags_Of(access.SessionLogGroup()).Add(jsii.String(TagDataClassification), jsii.String(ClassPHI), nil)
	if inst := access.Instance(); inst != nil {
		awscdk.NewCfnOutput(stack, jsii.String(OutputBastionInstanceID), &awscdk.CfnOutputProps{
			Value:       inst.InstanceId(),
			Description: jsii.String("Session Manager target for port forwarding to the database (make db-tunnel)"),
		})
	}
	return &AccessStack{Stack: stack, Access: access}
}
