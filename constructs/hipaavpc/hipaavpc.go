// Package hipaavpc provides HipaaVpc: a three-tier VPC for workloads that
// handle protected health information (PHI).
//
//	network := hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), &hipaavpc.HipaaVpcProps{
//		Cidr:        jsii.String("10.42.0.0/16"),
//		NatGateways: jsii.Number(1), // one shared NAT gateway: cheaper, less available
//	})
//	// network.Vpc(), network.AppSubnets(), network.DataSubnets() and
//	// network.EndpointSecurityGroup() feed BastionAccess and PhiDatabase.
//
// The value is a construct: pass it to awscdk.Tags_Of, NewCfnOutput,
// cdk-nag suppressions and the like. Bad props panic at synth with a
// *validation.Error before anything is created. See README.md in this
// directory for every prop and default.
//
// Enforced (cannot be turned off): private RFC 1918 addressing; at least two
// AZs; an isolated data tier with no route to a NAT or internet gateway; no
// auto-assigned public IPs; flow logs of all traffic to a KMS-encrypted log
// group; a default security group with no rules; a network ACL on the data
// tier that admits only the app tier (and DataAccessCidrs); S3 and DynamoDB
// gateway endpoints.
package hipaavpc

import (
	"net/netip"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// HipaaVpc is a VPC with public, private-app and isolated-data tiers.
type HipaaVpc struct {
	constructs.Construct
	vpc                   awsec2.Vpc
	key                   awskms.IKey
	flowLogGroup          awslogs.ILogGroup
	endpointSecurityGroup awsec2.ISecurityGroup
	dataAcl               awsec2.INetworkAcl
	dataAclPeers          []netip.Prefix // what the data-tier ACL admits
	dataAclID             string         // its NetworkAclId token, read once
}

// NewHipaaVpc creates the VPC. Invalid props panic with a *validate.Error
// that names HipaaVpc and the prop, before any resource is created.
func NewHipaaVpc(scope constructs.Construct, id *string, props *HipaaVpcProps) *HipaaVpc {
	if scope == nil || id == nil || *id == "" {
		validate.Must(fail("scope/id", "a scope and a non-empty id are required"))
	}
	s, err := resolve(func() int { return len(*base.StackOf(scope).AvailabilityZones()) }, props)
	validate.MustAt(scope, id, err)

	this := &HipaaVpc{}
	base.Init(this, scope, id)
	if props != nil && props.EncryptionKey != nil {
		this.key = props.EncryptionKey
	} else {
		this.key = kmskeys.New(this, "Key", "HipaaVpc: encrypts the VPC flow-log group")
	}
	kmskeys.Provide(this, constructName, "EncryptionKey", this.key, kmskeys.CloudWatchLogs)

	appType := awsec2.SubnetType_PRIVATE_WITH_EGRESS
	if s.natGateways == 0 {
		// Without NAT the app tier has no egress route at all.
		appType = awsec2.SubnetType_PRIVATE_ISOLATED
	}
	mask := jsii.Number(s.subnetMask)
	this.vpc = awsec2.NewVpc(this, jsii.String("Vpc"), &awsec2.VpcProps{
		IpAddresses:                  awsec2.IpAddresses_Cidr(jsii.String(s.cidr.String())),
		MaxAzs:                       jsii.Number(s.azs),
		NatGateways:                  jsii.Number(s.natGateways),
		EnableDnsHostnames:           jsii.Bool(true),
		EnableDnsSupport:             jsii.Bool(true),
		RestrictDefaultSecurityGroup: jsii.Bool(true),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String(PublicTierName), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: mask, MapPublicIpOnLaunch: jsii.Bool(false)},
			{Name: jsii.String(AppTierName), SubnetType: appType, CidrMask: mask},
			{Name: jsii.String(DataTierName), SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED, CidrMask: mask},
		},
	})
	suppressPublicRoutes(this.vpc)
	secureRestrictSgProvider(this.vpc, this.key, s.flowLogDays)

	this.flowLogGroup = newFlowLog(this, this.vpc, this.key, s.flowLogDays, s.flowLogIA)
	this.dataAcl, this.dataAclPeers = newDataTierAcl(this, this.vpc, s.dataAccessCidrs)
	this.dataAclID = *this.dataAcl.NetworkAclId()
	base.AddTreeValidation(this, this.guardDataTierAcl)
	this.endpointSecurityGroup = addEndpoints(this, this.vpc, s.cidr.String(), s.interfaceEps)
	return this
}

// Vpc is the VPC.
func (v *HipaaVpc) Vpc() awsec2.IVpc { return v.vpc }

// PublicSubnets selects the public tier: load balancers and NAT gateways only.
func (v *HipaaVpc) PublicSubnets() *awsec2.SubnetSelection { return tier(PublicTierName) }

// AppSubnets selects the private app tier, where backend services, the
// bastion and the interface endpoints run.
func (v *HipaaVpc) AppSubnets() *awsec2.SubnetSelection { return tier(AppTierName) }

// DataSubnets selects the isolated data tier, where PHI stores live.
func (v *HipaaVpc) DataSubnets() *awsec2.SubnetSelection { return tier(DataTierName) }

// FlowLogGroup is the KMS-encrypted log group that receives the flow logs.
func (v *HipaaVpc) FlowLogGroup() awslogs.ILogGroup { return v.flowLogGroup }

// EncryptionKey is the KMS key that encrypts the flow-log group.
func (v *HipaaVpc) EncryptionKey() awskms.IKey { return v.key }

// EndpointSecurityGroup guards the interface endpoints (HTTPS from the VPC
// CIDR only); nil when DisableInterfaceEndpoints is set.
func (v *HipaaVpc) EndpointSecurityGroup() awsec2.ISecurityGroup { return v.endpointSecurityGroup }

// DataTierAcl is the network ACL on the data tier.
func (v *HipaaVpc) DataTierAcl() awsec2.INetworkAcl { return v.dataAcl }

func tier(name string) *awsec2.SubnetSelection {
	return &awsec2.SubnetSelection{SubnetGroupName: jsii.String(name)}
}
