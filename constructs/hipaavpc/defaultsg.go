package hipaavpc

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// CDK's construct IDs for the custom resource that empties the default
// security group, and the IDs of what HipaaVpc adds for its handler.
const (
	restrictSgProviderID = "Custom::VpcRestrictDefaultSGCustomResourceProvider"
	restrictSgResourceID = "RestrictDefaultSecurityGroupCustomResource"
	restrictSgLogGroupID = "VpcRestrictDefaultSGHandlerLogGroup"
	restrictSgPolicyID   = "VpcRestrictDefaultSGHandlerPolicy"
)

// secureRestrictSgProvider hardens the Lambda function behind
// RestrictDefaultSecurityGroup, which CDK emits as raw CfnResources that the
// in-app cdk-nag aspect cannot inspect (the template re-check does): its log
// group is pre-created, encrypted with key and kept days; its role's inline
// policy becomes a managed policy; the Lambda findings that cannot be fixed
// carry suppressions in the function's own metadata. The provider is one per
// stack, so are these; every VPC's custom resource waits for them.
func secureRestrictSgProvider(vpc awsec2.Vpc, key awskms.IKey, days float64) {
	stack := base.StackOf(vpc)
	provider := stack.Node().TryFindChild(jsii.String(restrictSgProviderID))
	if provider == nil {
		return
	}
	handler, ok := provider.Node().TryFindChild(jsii.String("Handler")).(awscdk.CfnResource)
	role, ok2 := provider.Node().TryFindChild(jsii.String("Role")).(awscdk.CfnResource)
	if !ok || !ok2 {
		return
	}
	group := stack.Node().TryFindChild(jsii.String(restrictSgLogGroupID))
	policy := stack.Node().TryFindChild(jsii.String(restrictSgPolicyID))
	if group == nil {
		// Lambda would otherwise create the group on first run, unencrypted
		// and kept forever (the cloudwatch-log-group-encrypted Config rule).
		group = retention.NewEncryptedLogGroup(stack, restrictSgLogGroupID, jsii.String("/aws/lambda/"+*handler.Ref()), key, days)
		policy = moveInlinePolicy(stack, role)
		suppressRestrictSgHandlerFindings(handler)
	}
	// The handler runs while the stack deploys (and, on delete, restores the
	// default rules): its log group and permissions must exist first.
	vpc.Node().FindChild(jsii.String(restrictSgResourceID)).Node().AddDependency(group, policy)
}

// moveInlinePolicy replaces the provider role's inline policy (cdk-nag
// HIPAA.Security-IAMNoInlinePolicy) with a managed policy attached to the
// role. The document is read from the role at synth time, so it is exactly
// what CDK grants, including statements another VPC in the stack adds later.
func moveInlinePolicy(stack awscdk.Stack, role awscdk.CfnResource) constructs.IConstruct {
	inline := (*role.UpdatedProperties())["Policies"]
	document := awscdk.Lazy_Any(&policyDocumentOf{stack: stack, policies: inline}, nil)
	policy := awsiam.NewCfnManagedPolicy(stack, jsii.String(restrictSgPolicyID), &awsiam.CfnManagedPolicyProps{
		Description:    jsii.String("HipaaVpc: lets CDK's handler remove the rules of this stack's VPC default security groups"),
		PolicyDocument: document,
		Roles:          &[]interface{}{role.Ref()},
	})
	role.AddPropertyDeletionOverride(jsii.String("Policies"))
	return policy
}

// policyDocumentOf produces the document of the first (CDK's only) inline
// policy of a role's Policies property.
type policyDocumentOf struct {
	stack    awscdk.Stack
	policies interface{}
}

func (p *policyDocumentOf) Produce() interface{} {
	list, _ := p.stack.Resolve(p.policies).([]interface{})
	first, _ := firstOf(list).(map[string]interface{})
	if len(list) != 1 || first["PolicyDocument"] == nil {
		// A CDK upgrade changed the provider: fail the synth rather than
		// deploy a handler without its permissions.
		panic(fmt.Sprintf("HipaaVpc: expected one inline policy on CDK's default-security-group handler role, got %v", list))
	}
	return first["PolicyDocument"]
}

func firstOf(list []interface{}) interface{} {
	if len(list) == 0 {
		return nil
	}
	return list[0]
}
