package hipaavpc

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// CDK's construct IDs for the custom resource that empties the default
// security group, and the ID of the log group added for its handler.
const (
	restrictSgProviderID = "Custom::VpcRestrictDefaultSGCustomResourceProvider"
	restrictSgResourceID = "RestrictDefaultSecurityGroupCustomResource"
	restrictSgLogGroupID = "VpcRestrictDefaultSGHandlerLogGroup"
)

// encryptRestrictSgHandlerLogs pre-creates the log group of the Lambda
// function behind RestrictDefaultSecurityGroup, encrypted with key and with a
// retention. Lambda would otherwise create it on first run, unencrypted and
// kept forever, and the cloudwatch-log-group-encrypted Config rule would flag
// it. The provider is one per stack, so is its log group.
func encryptRestrictSgHandlerLogs(vpc awsec2.Vpc, key awskms.IKey, days float64) {
	stack := awscdk.Stack_Of(vpc)
	provider := stack.Node().TryFindChild(jsii.String(restrictSgProviderID))
	if provider == nil || stack.Node().TryFindChild(jsii.String(restrictSgLogGroupID)) != nil {
		return
	}
	handler, ok := provider.Node().TryFindChild(jsii.String("Handler")).(awscdk.CfnResource)
	if !ok {
		return
	}
	group := retention.NewEncryptedLogGroup(stack, restrictSgLogGroupID, jsii.String("/aws/lambda/"+*handler.Ref()), key, days)
	// The handler runs while the stack deploys: its log group must exist first.
	vpc.Node().FindChild(jsii.String(restrictSgResourceID)).Node().AddDependency(group)
}
