package bastionaccess

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// newBastionRole is the instance role: AmazonSSMManagedInstanceCore plus a
// customer-managed policy with what session logging and session encryption
// need. No inline policy and no grant helpers (they would add one).
func newBastionRole(scope constructs.Construct, group awslogs.ILogGroup, key awskms.IKey, bucket awss3.IBucket) awsiam.Role {
	stack := base.StackOf(scope)
	logGroups := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("logs"), Resource: jsii.String("log-group"), ResourceName: jsii.String("*"),
		ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
	statements := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("WriteSessionLogs"),
			Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
			Resources: &[]*string{group.LogGroupArn()},
		}),
		// The SSM agent lists log groups to check that the session log group
		// is encrypted before it streams to it; DescribeLogGroups cannot be
		// scoped to one group, so it is scoped to this account and region.
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("CheckSessionLogGroupEncryption"),
			Actions:   jsii.Strings("logs:DescribeLogGroups"),
			Resources: &[]*string{logGroups},
		}),
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("EncryptSessions"),
			Actions:   jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"),
			Resources: &[]*string{key.KeyArn()},
		}),
	}
	if bucket != nil {
		statements = append(statements,
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("WriteSessionLogObjects"),
				Actions:   jsii.Strings("s3:PutObject"),
				Resources: &[]*string{bucket.ArnForObjects(jsii.String("*"))},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("CheckSessionLogBucketEncryption"),
				Actions:   jsii.Strings("s3:GetEncryptionConfiguration"),
				Resources: &[]*string{bucket.BucketArn()},
			}))
		if bk := bucket.EncryptionKey(); bk != nil {
			statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("EncryptSessionLogObjects"),
				Actions:   jsii.Strings("kms:GenerateDataKey"),
				Resources: &[]*string{bk.KeyArn()},
			}))
		}
	}
	logging := awsiam.NewManagedPolicy(scope, jsii.String("SessionLoggingPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("BastionAccess: write Session Manager logs to the session log group and encrypt sessions"),
		Document:    base.Minimized(statements...),
	})
	return awsiam.NewRole(scope, jsii.String("Role"), &awsiam.RoleProps{
		Description: jsii.String("BastionAccess bastion: Session Manager and session logging only"),
		AssumedBy:   base.Service(scope, "ec2.amazonaws.com"),
		ManagedPolicies: &[]awsiam.IManagedPolicy{
			awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("AmazonSSMManagedInstanceCore")),
			logging,
		},
	})
}
