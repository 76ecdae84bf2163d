// Package bastionaccess provides BastionAccess: how an engineer reaches the
// PHI database with no inbound port open to the internet.
//
//	access := bastionaccess.NewBastionAccess(stack, jsii.String("Access"), &bastionaccess.BastionAccessProps{
//		Vpc:                   network.Vpc(),                   // a hipaavpc.HipaaVpc
//		EndpointSecurityGroup: network.EndpointSecurityGroup(), // HTTPS to the VPC endpoints only
//	})
//	// access.SecurityGroup() is PhiDatabaseProps.AccessClient.
//
// The value is a construct. See README.md in this directory for every prop,
// default and the step-by-step session.
//
// By default it runs a Session Manager bastion: an EC2 instance in the
// private app tier with no public IP, no key pair and a security group with
// no inbound rules, whose egress is limited to the database port in the data
// tier and HTTPS to the VPC endpoints. Every session is logged to a
// KMS-encrypted log group, encrypted end to end with the same key, and ended
// when idle. Optionally the bastion rests at zero instances in an Auto
// Scaling group (time-boxed access), and an AWS Client VPN endpoint with
// mutual TLS or SAML federation adds a second way in.
//
// Enforced (cannot be turned off): no public IP, no key pair, no inbound
// rules, IMDSv2 with hop limit 1, KMS-encrypted root volume, detailed
// monitoring, EBS optimization, split tunnel and connection logging on the VPN.
package bastionaccess

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// BastionAccess is a Session Manager bastion, optionally time-boxed, with an
// optional Client VPN endpoint.
type BastionAccess struct {
	constructs.Construct
	key             awskms.IKey
	sessionLogGroup awslogs.ILogGroup
	sg              awsec2.ISecurityGroup
	vpnSg           awsec2.ISecurityGroup
	instance        awsec2.IInstance
	asg             awsautoscaling.IAutoScalingGroup
	vpn             awsec2.IClientVpnEndpoint
	sessionDocument bool
}

// NewBastionAccess creates the bastion. Invalid props panic with a
// *validate.Error that names BastionAccess and the prop, before any resource
// is created.
func NewBastionAccess(scope constructs.Construct, id *string, props *BastionAccessProps) *BastionAccess {
	if scope == nil || id == nil || *id == "" {
		validate.Must(fail("scope/id", "a scope and a non-empty id are required"))
	}
	s, err := resolve(props)
	validate.MustAt(scope, id, err)
	s.defaultInstanceType()

	this := &BastionAccess{}
	base.Init(this, scope, id, base.LaunchTemplateDefaultUserData)
	if props.EncryptionKey != nil {
		this.key = props.EncryptionKey
	} else {
		this.key = kmskeys.New(this, "Key", "BastionAccess: encrypts the bastion's root volume, session logs and sessions")
	}
	needs := []kmskeys.Need{kmskeys.CloudWatchLogs}
	if s.mode == ModeTimeBoxedAutoScaling {
		needs = append(needs, kmskeys.AutoScalingEbs)
	}
	kmskeys.Provide(this, constructName, "EncryptionKey", this.key, needs...)

	this.sessionLogGroup = newLogGroup(this, "SessionLogGroup", this.key, s.retentionDays)
	if s.sessionPrefs {
		newSessionPreferences(this, s, this.sessionLogGroup, this.key, props.SessionLogBucket)
		this.sessionDocument = true
		sessionPreferences.Register(this, constructName)
	}

	this.sg = newBastionSecurityGroup(this, s, props.EndpointSecurityGroup)
	if props.EndpointSecurityGroup == nil && !s.httpsViaNat {
		base.AddTreeValidation(this, func(t *base.Tree) []string { return this.guardReach(t, s.vpc) })
	}
	role := newBastionRole(this, this.sessionLogGroup, this.key, props.SessionLogBucket)
	if s.mode == ModeTimeBoxedAutoScaling {
		this.asg = newTimeBoxedGroup(this, s, role, this.sg, this.key)
	} else {
		this.instance = newInstance(this, s, role, this.sg, this.key)
	}

	if s.vpn != nil {
		this.vpnSg = newVpnSecurityGroup(this, s)
		this.vpn = newClientVpn(this, s, this.vpnSg, this.key)
	}
	return this
}

// SecurityGroup is the bastion's security group: no inbound rules, so the
// database admits it as a source.
func (b *BastionAccess) SecurityGroup() awsec2.ISecurityGroup { return b.sg }

// VpnSecurityGroup is the Client VPN endpoint's security group; nil without
// ClientVpn.
func (b *BastionAccess) VpnSecurityGroup() awsec2.ISecurityGroup { return b.vpnSg }

// AccessSecurityGroups are every security group engineers' traffic reaches
// the database from: what the database's security group must admit.
func (b *BastionAccess) AccessSecurityGroups() []awsec2.ISecurityGroup {
	out := []awsec2.ISecurityGroup{b.sg}
	if b.vpnSg != nil {
		out = append(out, b.vpnSg)
	}
	return out
}

// Instance is the bastion instance; nil in ModeTimeBoxedAutoScaling.
func (b *BastionAccess) Instance() awsec2.IInstance { return b.instance }

// AutoScalingGroup is the time-boxed bastion group; nil in
// ModeSessionManagerInstance.
func (b *BastionAccess) AutoScalingGroup() awsautoscaling.IAutoScalingGroup { return b.asg }

// ClientVpnEndpoint is the Client VPN endpoint; nil without ClientVpn.
func (b *BastionAccess) ClientVpnEndpoint() awsec2.IClientVpnEndpoint { return b.vpn }

// SessionLogGroup is the KMS-encrypted log group that receives every Session
// Manager session's input and output.
func (b *BastionAccess) SessionLogGroup() awslogs.ILogGroup { return b.sessionLogGroup }

// EncryptionKey is the KMS key of the root volume, the log groups and the
// sessions.
func (b *BastionAccess) EncryptionKey() awskms.IKey { return b.key }
