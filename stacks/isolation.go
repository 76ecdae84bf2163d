package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/tierisolation"
)

// OutputResponderRoleArn is the output of the isolation stack that names the
// incident-responder role (make isolate assumes it).
const OutputResponderRoleArn = "ResponderRoleArn"

// IsolationStack holds an environment's TierIsolation: the emergency
// disconnection documents of the data and access tiers (and of the public
// edge, once the app tier's web ACL is given), idle until a responder runs
// them.
type IsolationStack struct {
	awscdk.Stack
	Isolation *tierisolation.TierIsolation
}

// NewIsolationStack creates the isolation layer. webAcl is the app tier's
// public web ACL, or nil while the environment has none.
func NewIsolationStack(scope constructs.Construct, id string, props *awscdk.StackProps, network *NetworkStack, access *AccessStack, audit *AuditStack, webAcl awswafv2.CfnWebACL) *IsolationStack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	ip := &tierisolation.TierIsolationProps{
		// Any principal of the account that IAM allows to assume the role,
		// with MFA: name the on-call roles instead where they are known.
		ResponderPrincipals: &[]awsiam.IPrincipal{awsiam.NewAccountRootPrincipal()},
		AlarmTopic:          audit.Audit.Topic(),
		Vpc:                 network.Network.Vpc(),
		DataSubnets:         network.Network.DataSubnets(),
		DataTierAcl:         network.Network.DataTierAcl(),
		BastionInstance:     access.Access.Instance(),
		BastionGroup:        access.Access.AutoScalingGroup(),
		BastionKey:          access.Access.EncryptionKey(),
		WebAcl:              webAcl,
	}
	iso := tierisolation.NewTierIsolation(stack, jsii.String("Isolation"), ip)
	awscdk.NewCfnOutput(stack, jsii.String(OutputResponderRoleArn), &awscdk.CfnOutputProps{
		Value:       iso.ResponderRole().RoleArn(),
		Description: jsii.String("Incident-responder role: assume it (with MFA) to run make isolate / make reconnect"),
	})
	return &IsolationStack{Stack: stack, Isolation: iso}
}
