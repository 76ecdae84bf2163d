package bastionaccess

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
)

// Mode selects how the Session Manager bastion runs.
type Mode string

const (
	// ModeSessionManagerInstance runs one always-on EC2 instance.
	ModeSessionManagerInstance Mode = "SessionManagerInstance"
	// ModeTimeBoxedAutoScaling runs the bastion in an Auto Scaling group that
	// rests at zero instances; an engineer scales it to one for a session and
	// back to zero afterwards (and a nightly scheduled action does so anyway).
	ModeTimeBoxedAutoScaling Mode = "TimeBoxedAutoScaling"
)

// Library defaults. Each is the secure (or safely sized) choice.
const (
	// DefaultInstanceType is a Graviton (arm64) burstable type: enough for the
	// SSM agent and a database client, about USD 6 a month.
	DefaultInstanceType = "t4g.micro"
	// DefaultDatabasePort is PostgreSQL's port.
	DefaultDatabasePort = 5432
	// DefaultSessionLogRetentionDays keeps session and VPN connection logs
	// six years, HIPAA's documentation retention.
	DefaultSessionLogRetentionDays = 2192
	// DefaultIdleSessionTimeoutMinutes ends a Session Manager session after
	// 20 idle minutes; MinIdle/MaxIdle are the range Session Manager accepts.
	DefaultIdleSessionTimeoutMinutes = 20
	MinIdleSessionTimeoutMinutes     = 1
	MaxIdleSessionTimeoutMinutes     = 60
	// DefaultScaleInHourUtc is when the time-boxed group is scaled back to zero
	// every day (UTC), in case an engineer forgot: 03:00.
	DefaultScaleInHourUtc = "3"
	// RootVolumeGiB is the root volume size: the AL2023 AMI's own size.
	RootVolumeGiB = 8
	// SessionDocumentName is the account- and region-wide Session Manager
	// preferences document that Session Manager reads for every session.
	SessionDocumentName = "SSM-SessionManagerRunShell"
)

// BastionAccessProps configures a BastionAccess. The zero value (plus Vpc) is
// the secure default: a Session Manager bastion with logged, encrypted sessions.
type BastionAccessProps struct {
	// The VPC to place the bastion in; typically HipaaVpc.Vpc(). Required.
	Vpc awsec2.IVpc

	// The private subnets the bastion (and Client VPN associations) run in.
	// Default: the HipaaVpc app tier (SubnetGroupName hipaavpc.AppTierName).
	AppSubnets *awsec2.SubnetSelection

	// The subnets the database lives in; the bastion may reach DatabasePort
	// in each of their CIDR blocks and nothing else there.
	// Default: the HipaaVpc data tier (SubnetGroupName hipaavpc.DataTierName).
	DataSubnets *awsec2.SubnetSelection

	// The VPC's IPv4 CIDR block, needed only to check ClientVpn.ClientCidr
	// when the VPC's CIDR is not known at synth time.
	// Default: read from the VPC.
	VpcCidr *string

	// The database port the bastion (and VPN clients) may reach in the data
	// tier. Must be a literal, not a token: it is written into the rules.
	// Default: DefaultDatabasePort (5432).
	DatabasePort *float64

	// The security group of the interface VPC endpoints (HipaaVpc's
	// EndpointSecurityGroup()). HTTPS egress goes to that group only.
	// Default: HTTPS egress to the AppSubnets' CIDR blocks, where HipaaVpc
	// places the interface endpoints.
	EndpointSecurityGroup awsec2.ISecurityGroup

	// Allow HTTPS egress to any address (through the VPC's NAT gateway), for a
	// VPC without interface endpoints (HipaaVpc DisableInterfaceEndpoints):
	// the Session Manager agent must reach the ssm, ssmmessages and
	// ec2messages APIs somehow. Meant for environments that hold no PHI and
	// skip the endpoints for cost. Cannot be combined with
	// EndpointSecurityGroup.
	// Default: false (HTTPS egress only to the interface endpoints).
	AllowHttpsEgressThroughNat *bool

	// The managed prefix list of the S3 gateway endpoint (pl-..., the list
	// named com.amazonaws.<region>.s3). When set, the bastion may reach S3
	// on 443: needed for SessionLogBucket and for dnf package repositories.
	// Default: no S3 egress; the bastion is patched by replacement from the
	// latest AMI, not by dnf.
	S3PrefixListId *string

	// The EC2 instance type. Previous-generation families without EBS
	// encryption or EBS optimization (t1, t2, m1, m2, c1, ...) are refused.
	// The AMI's architecture follows the type (arm64 for Graviton).
	// Default: DefaultInstanceType (t4g.micro).
	InstanceType awsec2.InstanceType

	// A customer-managed KMS key for the root volume, the session log group,
	// the VPN connection log group and session encryption. A key created in
	// the same app gets the statements it needs (package keypolicy: CloudWatch
	// Logs and, in ModeTimeBoxedAutoScaling, the Auto Scaling service-linked
	// role); an imported key gets a synth warning naming them. Enforced: AWS
	// managed keys and aliases are refused.
	// Default: a new key with rotation on, retained on delete.
	EncryptionKey awskms.IKey

	// Days to keep session logs (and VPN connection logs); one of the values
	// CloudWatch Logs accepts. Session logs hold what a terminal showed,
	// query results included, so below six years requires
	// AllowRetentionShorterThanSixYears. Must be a literal, not a token.
	// Default: DefaultSessionLogRetentionDays (2192, six years).
	SessionLogRetentionDays *float64

	// Accept a SessionLogRetentionDays below six years: for an environment
	// that holds no PHI, or where another system keeps the six-year record.
	// Default: false (retention below six years is refused).
	AllowRetentionShorterThanSixYears *bool

	// Minutes of inactivity after which Session Manager ends a session
	// (1 to 60).
	// Default: DefaultIdleSessionTimeoutMinutes (20).
	IdleSessionTimeoutMinutes *float64

	// An S3 bucket that also receives session logs. It must have default
	// encryption; requires S3PrefixListId.
	// Default: CloudWatch Logs only.
	SessionLogBucket awss3.IBucket

	// Do not create the account-wide SSM-SessionManagerRunShell preferences
	// document, for accounts that manage Session Manager preferences
	// centrally. Those preferences must then log and encrypt sessions.
	// Default: false (the document is created).
	DisableSessionPreferences *bool

	// How the bastion runs.
	// Default: ModeSessionManagerInstance.
	Mode Mode

	// In ModeTimeBoxedAutoScaling, do not scale the group back to zero every
	// night at DefaultScaleInHourUtc:00 UTC.
	// Default: false (the nightly scale-in runs).
	DisableNightlyScaleIn *bool

	// An AWS Client VPN endpoint in addition to the bastion.
	// Default: none.
	ClientVpn *ClientVpnProps
}

// ClientVpnProps configures the optional AWS Client VPN endpoint. Exactly one
// of ClientRootCertificate (mutual TLS) and SamlProvider (federation) must be
// set. Split tunnel is always on.
type ClientVpnProps struct {
	// The IPv4 range client addresses are assigned from: an RFC 1918 block
	// from /12 to /22 that does not overlap the VPC. Required.
	ClientCidr *string

	// The ACM certificate the endpoint presents, e.g.
	// awscertificatemanager.Certificate_FromCertificateArn(...). Required.
	ServerCertificate awscertificatemanager.ICertificate

	// The ACM certificate of the root CA that signs client certificates
	// (mutual TLS).
	// Default: none (set this or SamlProvider).
	ClientRootCertificate awscertificatemanager.ICertificate

	// The IAM SAML identity provider (federated authentication), e.g.
	// awsiam.SamlProvider_FromSamlProviderArn(...).
	// Default: none (set this or ClientRootCertificate).
	SamlProvider awsiam.ISamlProvider
}
