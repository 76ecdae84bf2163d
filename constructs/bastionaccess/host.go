package bastionaccess

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// imdsHopLimit 1 keeps instance credentials away from anything one network
// hop beyond the instance (containers, forwarded traffic).
const imdsHopLimit = 1

// defaultInstanceType builds the default instance type that resolve left
// as a name (an awsec2.InstanceType is a jsii object), with its
// architecture; a type given as the InstanceType prop is kept.
func (s *settings) defaultInstanceType() {
	if s.instanceType != nil {
		return
	}
	s.instanceType = awsec2.NewInstanceType(jsii.String(s.instanceName))
	s.arm64 = s.instanceType.Architecture() == awsec2.InstanceArchitecture_ARM_64
}

// machineImage is the latest Amazon Linux 2023 AMI, read at deploy time from
// AWS's public SSM parameter, for the instance type's architecture.
func machineImage(s *settings) awsec2.IMachineImage {
	cpu := awsec2.AmazonLinuxCpuType_X86_64
	if s.arm64 {
		cpu = awsec2.AmazonLinuxCpuType_ARM_64
	}
	// Not MachineImage_LatestAmazonLinux2023, which pins the 6.1 kernel line:
	// the kernel-default parameter follows AL2023's current kernel.
	return awsec2.NewAmazonLinux2023ImageSsmParameter(&awsec2.AmazonLinux2023ImageSsmParameterProps{
		CachedInContext: jsii.Bool(false),
		CpuType:         cpu,
		Kernel:          awsec2.AmazonLinux2023Kernel_DEFAULT(),
	})
}

// rootVolume is the encrypted gp3 root volume of AL2023 (/dev/xvda).
func rootVolume(key awskms.IKey) *[]*awsec2.BlockDevice {
	return &[]*awsec2.BlockDevice{{
		DeviceName: jsii.String("/dev/xvda"),
		Volume: awsec2.BlockDeviceVolume_Ebs(jsii.Number(RootVolumeGiB), &awsec2.EbsDeviceOptions{
			Encrypted:           jsii.Bool(true),
			KmsKey:              key,
			VolumeType:          awsec2.EbsDeviceVolumeType_GP3,
			DeleteOnTermination: jsii.Bool(true),
		}),
	}}
}

// newInstance is the always-on bastion. It gets no public IP because its
// subnet is private (validated) and does not map public IPs; setting
// AssociatePublicIpAddress would move the subnet into a network interface
// block, where cdk-nag's EC2InstancesInVPC no longer sees it. The metadata
// options are set on the instance and repeated in a launch template attached
// to it, which is where cdk-nag's EC2IMDSv2Enabled rule looks for them.
func newInstance(scope constructs.Construct, s *settings, role awsiam.IRole, sg awsec2.ISecurityGroup, key awskms.IKey) awsec2.Instance {
	inst := awsec2.NewInstance(scope, jsii.String("Instance"), &awsec2.InstanceProps{
		Vpc:                             s.vpc,
		VpcSubnets:                      s.appSubnets,
		InstanceType:                    s.instanceType,
		MachineImage:                    machineImage(s),
		SecurityGroup:                   sg,
		Role:                            role,
		BlockDevices:                    rootVolume(key),
		DetailedMonitoring:              jsii.Bool(true),
		EbsOptimized:                    jsii.Bool(true),
		HttpEndpoint:                    jsii.Bool(true),
		HttpTokens:                      awsec2.HttpTokens_REQUIRED,
		HttpPutResponseHopLimit:         jsii.Number(imdsHopLimit),
		PropagateTagsToVolumeOnCreation: jsii.Bool(true),
	})
	lt := awsec2.NewCfnLaunchTemplate(scope, jsii.String("InstanceMetadataOptions"), &awsec2.CfnLaunchTemplateProps{
		LaunchTemplateData: &awsec2.CfnLaunchTemplate_LaunchTemplateDataProperty{
			MetadataOptions: &awsec2.CfnLaunchTemplate_MetadataOptionsProperty{
				HttpEndpoint:            jsii.String("enabled"),
				HttpTokens:              jsii.String("required"),
				HttpPutResponseHopLimit: jsii.Number(imdsHopLimit),
			},
		},
	})
	cfn := inst.Node().DefaultChild().(awsec2.CfnInstance)
	cfn.SetLaunchTemplate(&awsec2.CfnInstance_LaunchTemplateSpecificationProperty{
		LaunchTemplateId: lt.Ref(),
		Version:          lt.AttrLatestVersionNumber(),
	})
	return inst
}

// newTimeBoxedGroup is the bastion as an Auto Scaling group of at most one
// instance that starts (and rests) at zero. DesiredCapacity is left unset so
// a deployment never resets a session in progress.
func newTimeBoxedGroup(scope constructs.Construct, s *settings, role awsiam.IRole, sg awsec2.ISecurityGroup, key awskms.IKey) awsautoscaling.AutoScalingGroup {
	lt := awsec2.NewLaunchTemplate(scope, jsii.String("LaunchTemplate"), &awsec2.LaunchTemplateProps{
		InstanceType:             s.instanceType,
		MachineImage:             machineImage(s),
		SecurityGroup:            sg,
		Role:                     role,
		AssociatePublicIpAddress: jsii.Bool(false),
		BlockDevices:             rootVolume(key),
		DetailedMonitoring:       jsii.Bool(true),
		EbsOptimized:             jsii.Bool(true),
		HttpEndpoint:             jsii.Bool(true),
		HttpTokens:               awsec2.LaunchTemplateHttpTokens_REQUIRED,
		HttpPutResponseHopLimit:  jsii.Number(imdsHopLimit),
	})
	asg := awsautoscaling.NewAutoScalingGroup(scope, jsii.String("AutoScalingGroup"), &awsautoscaling.AutoScalingGroupProps{
		Vpc:            s.vpc,
		VpcSubnets:     s.appSubnets,
		LaunchTemplate: lt,
		MinCapacity:    jsii.Number(0),
		MaxCapacity:    jsii.Number(1),
	})
	if s.nightlyScaleIn {
		asg.ScaleOnSchedule(jsii.String("NightlyScaleIn"), &awsautoscaling.BasicScheduledActionProps{
			Schedule:        awsautoscaling.Schedule_Cron(&awsautoscaling.CronOptions{Hour: jsii.String(DefaultScaleInHourUtc), Minute: jsii.String("0")}),
			DesiredCapacity: jsii.Number(0),
			TimeZone:        jsii.String("UTC"),
		})
	}
	return asg
}
