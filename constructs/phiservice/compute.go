package phiservice

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"
)

// newRepository creates the image repository: KMS-encrypted, immutable
// tags, scanned on push, old images expired, retained with its images.
func newRepository(p *PhiService, s *settings, key awskms.IKey) awsecr.Repository {
	return awsecr.NewRepository(p, jsii.String("Repository"), &awsecr.RepositoryProps{
		Encryption:         awsecr.RepositoryEncryption_KMS(),
		EncryptionKey:      key,
		ImageScanOnPush:    jsii.Bool(true),
		ImageTagMutability: awsecr.TagMutability_IMMUTABLE,
		RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
		LifecycleRules: &[]*awsecr.LifecycleRule{{
			Description:   jsii.String(fmt.Sprintf("keep the %v most recent images", s.maxImages)),
			MaxImageCount: jsii.Number(s.maxImages),
			TagStatus:     awsecr.TagStatus_ANY,
		}},
	})
}

// newCluster creates the cluster with Container Insights and, with ECS Exec,
// sessions encrypted with key and logged to group.
func newCluster(p *PhiService, vpc awsec2.IVpc, s *settings, key awskms.IKey, group awslogs.ILogGroup) awsecs.Cluster {
	props := &awsecs.ClusterProps{Vpc: vpc, ContainerInsightsV2: awsecs.ContainerInsights_ENABLED}
	if s.exec {
		props.ExecuteCommandConfiguration = &awsecs.ExecuteCommandConfiguration{
			KmsKey:  key,
			Logging: awsecs.ExecuteCommandLogging_OVERRIDE,
			LogConfiguration: &awsecs.ExecuteCommandLogConfiguration{
				CloudWatchLogGroup:          group,
				CloudWatchEncryptionEnabled: jsii.Bool(true),
			},
		}
	}
	return awsecs.NewCluster(p, jsii.String("Cluster"), props)
}

// image is what the container runs.
func image(p *PhiService, props *PhiServiceProps, s *settings) awsecs.ContainerImage {
	if props.RegistryImage != nil {
		return awsecs.ContainerImage_FromRegistry(props.RegistryImage, nil)
	}
	return awsecs.ContainerImage_FromEcrRepository(p.repository, jsii.String(s.imageTag))
}

// newTaskDefinition creates the task definition and its one container:
// read-only root filesystem, unprivileged, non-root, every Linux capability
// dropped, writable paths on ephemeral task volumes, a health check, logs
// to the encrypted log group, secrets from Secrets Manager or SSM.
func newTaskDefinition(p *PhiService, props *PhiServiceProps, s *settings) (awsecs.FargateTaskDefinition, awsecs.ContainerDefinition) {
	var volumes []*awsecs.Volume
	for i := range s.writable {
		volumes = append(volumes, &awsecs.Volume{Name: jsii.String(fmt.Sprintf("writable-%d", i))})
	}
	td := awsecs.NewFargateTaskDefinition(p, jsii.String("TaskDefinition"), &awsecs.FargateTaskDefinitionProps{
		Cpu:            jsii.Number(s.cpu),
		MemoryLimitMiB: jsii.Number(s.memory),
		TaskRole:       p.taskRole,
		ExecutionRole:  p.executionRole,
		Volumes:        &volumes,
		RuntimePlatform: &awsecs.RuntimePlatform{
			OperatingSystemFamily: awsecs.OperatingSystemFamily_LINUX(),
			CpuArchitecture:       awsecs.CpuArchitecture_X86_64(),
		},
	})
	env := map[string]*string{}
	for _, name := range s.envNames {
		env[name] = jsii.String(s.environment[name])
	}
	if props.Database != nil {
		db := props.Database.Database
		env[DatabaseHostEnv] = db.EndpointAddress()
		env[DatabasePortEnv] = jsii.String(fmt.Sprint(s.dbPort))
		env[DatabaseNameEnv] = db.DatabaseName()
		env[DatabaseUserEnv] = props.Database.User
		env[DatabaseSslModeEnv] = jsii.String(DatabaseSslMode)
	}
	linux := awsecs.NewLinuxParameters(p, jsii.String("LinuxParameters"), &awsecs.LinuxParametersProps{
		// ECS Exec's agent needs an init process; it is harmless otherwise.
		InitProcessEnabled: jsii.Bool(s.exec),
	})
	linux.DropCapabilities(awsecs.Capability_ALL)
	var cmd []*string
	for _, c := range s.healthCommand {
		cmd = append(cmd, jsii.String(c))
	}
	container := td.AddContainer(jsii.String(ContainerName), &awsecs.ContainerDefinitionOptions{
		ContainerName:          jsii.String(ContainerName),
		Image:                  image(p, props, s),
		Essential:              jsii.Bool(true),
		ReadonlyRootFilesystem: jsii.Bool(true),
		Privileged:             jsii.Bool(false),
		User:                   jsii.String(s.user),
		LinuxParameters:        linux,
		Environment:            &env,
		PortMappings: &[]*awsecs.PortMapping{{
			ContainerPort: jsii.Number(s.port),
			Protocol:      awsecs.Protocol_TCP,
		}},
		HealthCheck: &awsecs.HealthCheck{
			Command:     &cmd,
			Interval:    awscdk.Duration_Seconds(jsii.Number(30)),
			Timeout:     awscdk.Duration_Seconds(jsii.Number(5)),
			Retries:     jsii.Number(3),
			StartPeriod: awscdk.Duration_Seconds(jsii.Number(60)),
		},
		Logging: awsecs.LogDrivers_AwsLogs(&awsecs.AwsLogDriverProps{
			LogGroup:     p.logGroup,
			StreamPrefix: jsii.String(ContainerName),
			Mode:         awsecs.AwsLogDriverMode_NON_BLOCKING,
		}),
	})
	var mounts []*awsecs.MountPoint
	for i, path := range s.writable {
		mounts = append(mounts, &awsecs.MountPoint{
			SourceVolume: jsii.String(fmt.Sprintf("writable-%d", i)), ContainerPath: jsii.String(path), ReadOnly: jsii.Bool(false),
		})
	}
	if len(mounts) > 0 {
		container.AddMountPoints(mounts...)
	}
	addSecrets(td, props, s)
	return td, container
}

// newService runs the tasks in the app subnets, without public IPs, in the
// app-tier security group, with a circuit breaker that rolls back.
//
// The service joins the app-tier group through an immutable reference:
// CDK's own connection rules (which would put the load balancer's ingress
// into the group's stack, a dependency cycle when that is the network
// stack) do not reach it; newListeners writes the one ingress rule here.
func newService(p *PhiService, props *PhiServiceProps, s *settings) awsecs.FargateService {
	p.taskSg = awsec2.SecurityGroup_FromSecurityGroupId(p, jsii.String("AppTierGroup"), props.AppSecurityGroup.SecurityGroupId(), &awsec2.SecurityGroupImportOptions{
		AllowAllOutbound: jsii.Bool(false), Mutable: jsii.Bool(false),
	})
	return awsecs.NewFargateService(p, jsii.String("Service"), &awsecs.FargateServiceProps{
		Cluster:                     p.cluster,
		TaskDefinition:              p.taskDef,
		DesiredCount:                jsii.Number(s.desired),
		AssignPublicIp:              jsii.Bool(false),
		SecurityGroups:              &[]awsec2.ISecurityGroup{p.taskSg},
		VpcSubnets:                  s.taskSubnets,
		CircuitBreaker:              &awsecs.DeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
		MinHealthyPercent:           jsii.Number(100),
		MaxHealthyPercent:           jsii.Number(200),
		EnableExecuteCommand:        jsii.Bool(s.exec),
		EnableECSManagedTags:        jsii.Bool(true),
		PropagateTags:               awsecs.PropagatedTagSource_SERVICE,
		PlatformVersion:             awsecs.FargatePlatformVersion_LATEST,
		HealthCheckGracePeriod:      awscdk.Duration_Seconds(jsii.Number(60)),
		AvailabilityZoneRebalancing: awsecs.AvailabilityZoneRebalancing_ENABLED,
	})
}

// newScaling scales the task count on CPU and on requests per task.
func newScaling(p *PhiService, s *settings) {
	scaling := p.service.AutoScaleTaskCount(&awsapplicationautoscaling.EnableScalingProps{
		MinCapacity: jsii.Number(s.desired),
		MaxCapacity: jsii.Number(s.max),
	})
	scaling.ScaleOnCpuUtilization(jsii.String("Cpu"), &awsecs.CpuUtilizationScalingProps{
		TargetUtilizationPercent: jsii.Number(s.cpuTarget),
	})
	scaling.ScaleOnRequestCount(jsii.String("Requests"), &awsecs.RequestCountScalingProps{
		RequestsPerTarget: jsii.Number(s.requestsTarget),
		TargetGroup:       p.targetGroup,
	})
}

// addSecrets writes the container's secrets (name and the ARN ECS reads the
// value from) into the task definition. CDK's own Secrets would also grant
// the execution role through the secret's key policy (a cycle when the key
// is in the same stack, and a statement outside the role's managed policy);
// the execution policy already allows exactly these reads.
func addSecrets(td awsecs.FargateTaskDefinition, props *PhiServiceProps, s *settings) {
	if len(s.secretNames) == 0 {
		return
	}
	var list []map[string]interface{}
	for _, name := range s.secretNames {
		sec := (*props.Secrets)[name]
		var from *string
		if sec.Secret != nil {
			from = sec.Secret.SecretArn()
			if sec.JsonField != nil {
				from = jsii.String(*from + ":" + *sec.JsonField + "::")
			}
		} else {
			from = sec.Parameter.ParameterArn()
		}
		list = append(list, map[string]interface{}{"Name": name, "ValueFrom": from})
	}
	td.Node().DefaultChild().(awsecs.CfnTaskDefinition).AddPropertyOverride(jsii.String("ContainerDefinitions.0.Secrets"), list)
}
