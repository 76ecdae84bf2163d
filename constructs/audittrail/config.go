package audittrail

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsconfig"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// configSnapshotFrequency is how often Config delivers a full snapshot.
const configSnapshotFrequency = "TwentyFour_Hours"

// newRecorder creates the Config recorder (all supported resource types),
// its role and the delivery channel to the Config bucket. It returns the
// recorder and the channel; rules and packs are created after the channel,
// which CloudFormation creates after the recorder and then starts recording.
func newRecorder(scope constructs.Construct, s *settings, key awskms.IKey, bucket awss3.IBucket) (awsconfig.CfnConfigurationRecorder, awsconfig.CfnDeliveryChannel) {
	stack := base.StackOf(scope)
	role := awsiam.NewRole(scope, jsii.String("ConfigRole"), &awsiam.RoleProps{
		Description: jsii.String("AWS Config recorder: reads resource configuration, writes history to the Config bucket"),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("config.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]interface{}{
				"StringEquals": map[string]interface{}{"aws:SourceAccount": base.Account(stack)},
			},
		}),
		ManagedPolicies: &[]awsiam.IManagedPolicy{
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("service-role/AWS_ConfigRole")),
		},
	})
	delivery := awsiam.NewManagedPolicy(scope, jsii.String("ConfigDeliveryPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Deliver AWS Config history to the encrypted Config bucket"),
		Roles:       &[]awsiam.IRole{role},
		Document: base.Minimized(
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("s3:GetBucketAcl"),
				Resources: &[]*string{bucket.BucketArn()},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("s3:PutObject"),
				Resources: &[]*string{configObjects(bucket)},
				Conditions: &map[string]interface{}{
					"StringEquals": map[string]interface{}{"s3:x-amz-acl": "bucket-owner-full-control"},
				},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("kms:GenerateDataKey", "kms:Decrypt"),
				Resources: &[]*string{key.KeyArn()},
			}),
		),
	})

	recorder := awsconfig.NewCfnConfigurationRecorder(scope, jsii.String("Recorder"), &awsconfig.CfnConfigurationRecorderProps{
		RoleArn: role.RoleArn(),
		RecordingGroup: &awsconfig.CfnConfigurationRecorder_RecordingGroupProperty{
			AllSupported:               jsii.Bool(true),
			IncludeGlobalResourceTypes: jsii.Bool(s.globalResources),
		},
	})
	channel := awsconfig.NewCfnDeliveryChannel(scope, jsii.String("DeliveryChannel"), &awsconfig.CfnDeliveryChannelProps{
		S3BucketName: bucket.BucketName(),
		S3KeyPrefix:  jsii.String(ConfigKeyPrefix),
		S3KmsKeyArn:  key.KeyArn(),
		ConfigSnapshotDeliveryProperties: &awsconfig.CfnDeliveryChannel_ConfigSnapshotDeliveryPropertiesProperty{
			DeliveryFrequency: jsii.String(configSnapshotFrequency),
		},
	})
	// A delivery channel needs a recorder; CloudFormation starts the recorder
	// once the channel exists, and delivery needs the bucket and role policies.
	recorder.Node().AddDependency(delivery)
	channel.Node().AddDependency(recorder, delivery)
	if bp := bucket.Policy(); bp != nil {
		channel.Node().AddDependency(bp)
	}
	return recorder, channel
}

// newConfigRules creates the managed rules of the catalogue, keyed by
// catalogue ID. after, when not nil (the delivery channel), is created first.
func newConfigRules(scope constructs.Construct, after awscdk.CfnResource) map[string]awsconfig.CfnConfigRule {
	out := map[string]awsconfig.CfnConfigRule{}
	for _, r := range ConfigRules() {
		rule := awsconfig.NewCfnConfigRule(scope, jsii.String(configRuleID(r)), &awsconfig.CfnConfigRuleProps{
			Description: jsii.String("HIPAA Security (" + r.SourceIdentifier + "). Remediation: " + r.Remediation),
			Source: &awsconfig.CfnConfigRule_SourceProperty{
				Owner:            jsii.String("AWS"),
				SourceIdentifier: jsii.String(r.SourceIdentifier),
			},
		})
		if after != nil {
			rule.AddResourceDependency(after, nil) // one call; the same DependsOn as a node dependency
		}
		out[r.ID] = rule
	}
	return out
}

// configRuleID is the construct ID of a catalogue rule's AWS::Config::ConfigRule.
func configRuleID(r ConfigRuleSpec) string { return "Rule" + r.ID }

// newConformancePack deploys the HIPAA Security conformance pack from the
// caller's template instead of the individual rules.
func newConformancePack(scope constructs.Construct, templateS3Uri string, after awscdk.CfnResource) awsconfig.CfnConformancePack {
	pack := awsconfig.NewCfnConformancePack(scope, jsii.String("HipaaConformancePack"), &awsconfig.CfnConformancePackProps{
		ConformancePackName: awscdk.Names_UniqueResourceName(scope, &awscdk.UniqueResourceNameOptions{
			MaxLength: jsii.Number(256), Separator: jsii.String("-"),
		}),
		TemplateS3Uri: jsii.String(templateS3Uri),
	})
	if after != nil {
		pack.AddResourceDependency(after, nil)
	}
	return pack
}
