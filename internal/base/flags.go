package base

// Flag is a CDK feature flag and the value a construct's template relies on.
type Flag struct {
	name  string
	value any
}

// The feature flags whose value changes what a construct synthesizes, each
// at the value `cdk init` of the pinned CLI recommends (and this
// repository's cdk.json uses). A construct pins those it depends on (Init);
// the consumer module's test proves no other flag changes the templates.
// Flags read at the stack (@aws-cdk/aws-iam:minimizePolicies) cannot be
// pinned on a construct: see Minimized.
var (
	// S3ServerAccessLogsUseBucketPolicy: access logs are delivered through a
	// bucket policy, not ACLs (which stay disabled: BucketOwnerEnforced).
	S3ServerAccessLogsUseBucketPolicy = Flag{"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true}
	// LaunchTemplateDefaultUserData: a launch template carries an (empty)
	// user data script, as the reviewed goldens do.
	LaunchTemplateDefaultUserData = Flag{"@aws-cdk/aws-ec2:launchTemplateDefaultUserData", true}
	// EcsRemoveDefaultDeploymentAlarm: a service writes no empty deployment
	// alarm block (the circuit breaker does the rollback).
	EcsRemoveDefaultDeploymentAlarm = Flag{"@aws-cdk/aws-ecs:removeDefaultDeploymentAlarm", true}
	// EcsNoExplicitDeploymentController: a service with a circuit breaker
	// leaves the (default) ECS deployment controller implicit.
	EcsNoExplicitDeploymentController = Flag{"@aws-cdk/aws-ecs:disableExplicitDeploymentControllerForCircuitBreaker", true}
)
