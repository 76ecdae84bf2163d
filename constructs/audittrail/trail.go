package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudtrail"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"

	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
)

// trailArnOf builds the trail's ARN from its name. The key policy and the
// bucket policy need it before the trail exists (the trail references both).
func trailArnOf(scope constructs.Construct, name string) string {
	return *base.StackOf(scope).FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("cloudtrail"), Resource: jsii.String("trail"), ResourceName: jsii.String(name),
	})
}

// newTrailLogGroup is the encrypted log group the trail delivers to and the
// security alarms read.
func newTrailLogGroup(scope constructs.Construct, key awskms.IKey, days float64) awslogs.LogGroup {
	return retention.NewEncryptedLogGroup(scope, "TrailLogGroup", nil, key, days)
}

// newTrail creates the multi-region trail. It is the L1 resource with its own
// role and managed policy: the L2 Trail gives its CloudWatch Logs role an
// inline policy (cdk-nag HIPAA.Security-IAMNoInlinePolicy).
func newTrail(scope constructs.Construct, s *settings, name string, key awskms.IKey, bucket awss3.IBucket, group awslogs.LogGroup) awscloudtrail.CfnTrail {
	stack := base.StackOf(scope)
	role := awsiam.NewRole(scope, jsii.String("TrailLogsRole"), &awsiam.RoleProps{
		Description: jsii.String("Lets CloudTrail deliver this trail's events to its log group only"),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("cloudtrail.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]interface{}{
				"StringEquals": map[string]interface{}{"aws:SourceAccount": base.Account(stack)},
			},
		}),
	})
	policy := awsiam.NewManagedPolicy(scope, jsii.String("TrailLogsPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Write CloudTrail events to one log group"),
		Roles:       &[]awsiam.IRole{role},
		Document: base.Minimized(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
			Resources: &[]*string{group.LogGroupArn()},
		})),
	})

	selector := &awscloudtrail.CfnTrail_EventSelectorProperty{
		IncludeManagementEvents: jsii.Bool(true),
		ReadWriteType:           jsii.String("All"),
	}
	var objects []*string
	if s.allS3DataEvents {
		objects = append(objects, jsii.String("arn:"+*stack.Partition()+":s3"))
	}
	for _, b := range s.dataBuckets {
		objects = append(objects, jsii.String(*b.BucketArn()+"/"))
	}
	if len(objects) > 0 {
		selector.DataResources = &[]*awscloudtrail.CfnTrail_DataResourceProperty{{
			Type: jsii.String("AWS::S3::Object"), Values: &objects,
		}}
	}
	props := &awscloudtrail.CfnTrailProps{
		TrailName:                  jsii.String(name),
		IsLogging:                  jsii.Bool(true),
		IsMultiRegionTrail:         jsii.Bool(true),
		IncludeGlobalServiceEvents: jsii.Bool(true),
		EnableLogFileValidation:    jsii.Bool(true),
		KmsKeyId:                   key.KeyArn(),
		S3BucketName:               bucket.BucketName(),
		CloudWatchLogsLogGroupArn:  group.LogGroupArn(),
		CloudWatchLogsRoleArn:      role.RoleArn(),
		EventSelectors:             &[]*awscloudtrail.CfnTrail_EventSelectorProperty{selector},
	}
	if s.insights {
		props.InsightSelectors = &[]*awscloudtrail.CfnTrail_InsightSelectorProperty{
			{InsightType: jsii.String("ApiCallRateInsight")},
			{InsightType: jsii.String("ApiErrorRateInsight")},
		}
	}
	trail := awscloudtrail.NewCfnTrail(scope, jsii.String("Trail"), props)
	// CloudTrail checks at creation that it can write to the bucket and the
	// log group.
	trail.Node().AddDependency(policy)
	if bp := bucket.Policy(); bp != nil {
		trail.Node().AddDependency(bp)
	}
	return trail
}
