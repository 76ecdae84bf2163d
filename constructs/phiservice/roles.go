package phiservice

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// newRoles creates the execution role (ECS: pull the image, write the
// container log, read the secrets) and the task role (the application: the
// database, ECS Exec). Each role's permissions are one managed policy that
// lists exactly those statements; CDK's own grants, which would write
// inline default policies, do not reach the roles (WithoutPolicyUpdates).
func newRoles(p *PhiService, props *PhiServiceProps, s *settings) (execution, task awsiam.IRole) {
	stack := awscdk.Stack_Of(p)
	assume := func() awsiam.IPrincipal {
		// Only ECS tasks of this account may assume the roles.
		return awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil).WithConditions(&map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": stack.Account()},
			"ArnLike": map[string]interface{}{"aws:SourceArn": stack.FormatArn(&awscdk.ArnComponents{
				Service: jsii.String("ecs"), Resource: jsii.String("*"), ArnFormat: awscdk.ArnFormat_NO_RESOURCE_NAME,
			})},
		})
	}

	var execStatements []awsiam.PolicyStatement
	if p.repository != nil {
		execStatements = append(execStatements,
			statement([]string{"ecr:GetAuthorizationToken"}, "*"),
			// ECR decrypts the layers of a KMS-encrypted repository under its
			// own grant: pulling needs no KMS permission.
			statement([]string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, *p.repository.RepositoryArn()),
		)
	}
	execStatements = append(execStatements,
		statement([]string{"logs:CreateLogStream", "logs:PutLogEvents"}, *p.logGroup.LogGroupArn()))
	for _, name := range s.secretNames {
		sec := (*props.Secrets)[name]
		if sec.Secret != nil {
			arn := sec.Secret.SecretFullArn()
			if arn == nil {
				arn = jsii.String(*sec.Secret.SecretArn() + "-??????")
			}
			execStatements = append(execStatements, statement([]string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"}, *arn))
			if k := sec.Secret.EncryptionKey(); k != nil {
				execStatements = append(execStatements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions:   jsii.Strings("kms:Decrypt"),
					Resources: jsii.Strings(*k.KeyArn()),
					Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{
						"kms:ViaService": "secretsmanager." + *stack.Region() + ".amazonaws.com",
					}},
				}))
			}
		} else {
			execStatements = append(execStatements, statement([]string{"ssm:GetParameters"}, *sec.Parameter.ParameterArn()))
		}
	}
	execRole := awsiam.NewRole(p, jsii.String("ExecutionRole"), &awsiam.RoleProps{
		AssumedBy:   assume(),
		Description: jsii.String("PhiService execution role: pull the image, write the container log, read the injected secrets"),
	})
	execRole.AddManagedPolicy(awsiam.NewManagedPolicy(p, jsii.String("ExecutionPolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("PhiService: what ECS needs to start the tasks, and nothing else"),
		Document:    base.Minimized(execStatements...),
	}))

	var taskStatements []awsiam.PolicyStatement
	if props.Database != nil {
		taskStatements = append(taskStatements, props.Database.Database.ConnectPolicyStatement(props.Database.User))
	}
	if s.exec {
		taskStatements = append(taskStatements,
			statement([]string{"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"}, "*"),
			statement([]string{"logs:DescribeLogGroups"}, "*"),
			statement([]string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"}, *p.execLogGroup.LogGroupArn()),
			statement([]string{"kms:Decrypt", "kms:GenerateDataKey"}, *p.key.KeyArn()),
		)
	}
	taskRole := awsiam.NewRole(p, jsii.String("TaskRole"), &awsiam.RoleProps{
		AssumedBy:   assume(),
		Description: jsii.String("PhiService task role: what the application may do"),
	})
	if len(taskStatements) > 0 {
		taskRole.AddManagedPolicy(awsiam.NewManagedPolicy(p, jsii.String("TaskPolicy"), &awsiam.ManagedPolicyProps{
			Description: jsii.String("PhiService: the application's permissions (IAM database authentication, ECS Exec)"),
			Document:    base.Minimized(taskStatements...),
		}))
	}
	noGrants := &awsiam.WithoutPolicyUpdatesOptions{AddGrantsToResources: jsii.Bool(false)}
	return execRole.WithoutPolicyUpdates(noGrants), taskRole.WithoutPolicyUpdates(noGrants)
}

func statement(actions []string, resource string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(actions...),
		Resources: jsii.Strings(resource),
	})
}
