package hipaavpc

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"

	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// flowLogAggregationSeconds is the shortest aggregation interval, so an
// investigation sees connections within a minute of when they happened.
const flowLogAggregationSeconds = 60

// newFlowLog records ALL traffic of the VPC to an encrypted log group. It uses
// the L1 flow log and a managed policy instead of CDK's grant helpers, which
// would add an inline policy (cdk-nag HIPAA.Security-IAMNoInlinePolicy).
func newFlowLog(scope constructs.Construct, vpc awsec2.IVpc, key awskms.IKey, days float64, infrequentAccess bool) awslogs.ILogGroup {
	group := retention.NewEncryptedLogGroup(scope, "FlowLogGroup", nil, key, days)
	if infrequentAccess {
		group.Node().DefaultChild().(awslogs.CfnLogGroup).SetLogGroupClass(jsii.String("INFREQUENT_ACCESS"))
	}

	stack := base.StackOf(scope)
	role := awsiam.NewRole(scope, jsii.String("FlowLogRole"), &awsiam.RoleProps{
		Description: jsii.String("Lets VPC Flow Logs deliver to this VPC's flow-log group only"),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("vpc-flow-logs.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			// Confused-deputy guard: only flow logs of this account may assume it.
			Conditions: &map[string]interface{}{
				"StringEquals": map[string]interface{}{"aws:SourceAccount": base.Account(stack)},
			},
		}),
	})
	policy := awsiam.NewManagedPolicy(scope, jsii.String("FlowLogPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Write VPC flow logs to one log group"),
		Document: base.Minimized(
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
				Resources: &[]*string{group.LogGroupArn()},
			}),
		),
	})
	role.AddManagedPolicy(policy)

	awsec2.NewCfnFlowLog(scope, jsii.String("FlowLog"), &awsec2.CfnFlowLogProps{
		ResourceId:               vpc.VpcId(),
		ResourceType:             jsii.String("VPC"),
		TrafficType:              jsii.String("ALL"),
		LogDestinationType:       jsii.String("cloud-watch-logs"),
		LogDestination:           group.LogGroupArn(),
		DeliverLogsPermissionArn: role.RoleArn(),
		MaxAggregationInterval:   jsii.Number(flowLogAggregationSeconds),
	})
	return group
}
