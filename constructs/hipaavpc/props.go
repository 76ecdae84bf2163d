package hipaavpc

import "github.com/aws/aws-cdk-go/awscdk/v2/awskms"

// Library defaults. Each is the secure (or safely sized) choice; props
// override them.
const (
	// DefaultCidr is the VPC's IPv4 range: private (RFC 1918) and large enough
	// for three tiers in up to six AZs at the default subnet size.
	DefaultCidr = "10.0.0.0/16"
	// DefaultMaxAzs spreads every tier over two AZs, the minimum for a
	// Multi-AZ database and for surviving the loss of one AZ.
	DefaultMaxAzs = 2
	// MinAzs is the fewest AZs HipaaVpc accepts.
	MinAzs = 2
	// DefaultSubnetCidrMask sizes every subnet at /24 (251 usable addresses).
	DefaultSubnetCidrMask = 24
	// DefaultFlowLogRetentionDays keeps flow logs six years, HIPAA's
	// documentation retention.
	DefaultFlowLogRetentionDays = 2192
	// Subnet group names of the three tiers; select a tier with
	// awsec2.SubnetSelection{SubnetGroupName: ...} or the accessors.
	PublicTierName = "Public"
	AppTierName    = "App"
	DataTierName   = "Data"
)

// HipaaVpcProps configures a HipaaVpc. The zero value is the secure default.
type HipaaVpcProps struct {
	// The VPC's IPv4 CIDR block. Must lie in an RFC 1918 private range and be
	// large enough for three tiers of SubnetCidrMask subnets in every AZ.
	// Default: DefaultCidr ("10.0.0.0/16").
	Cidr *string

	// How many Availability Zones to spread the tiers over (at least 2).
	// An environment-agnostic stack (no account/region) has 2 AZs.
	// Default: DefaultMaxAzs (2).
	MaxAzs *float64

	// Prefix length of every subnet in every tier (16 to 28).
	// Default: DefaultSubnetCidrMask (24).
	SubnetCidrMask *float64

	// Number of NAT gateways, from 1 to the number of AZs. 1 shares one NAT
	// gateway between AZs (cheaper, but app egress depends on one AZ).
	// Default: one NAT gateway per AZ.
	NatGateways *float64

	// Create no NAT gateway: the app tier then has no route to the internet
	// and reaches AWS only through the VPC endpoints. Cannot be combined with
	// NatGateways.
	// Default: false (NAT gateways are created).
	DisableNatGateways *bool

	// Do not create the interface VPC endpoints (KMS, Secrets Manager, Logs,
	// SSM, ...). Saves their hourly cost; AWS API traffic then leaves through
	// NAT instead of staying on the AWS network. The S3 and DynamoDB gateway
	// endpoints, which cost nothing, are always created.
	// Default: false (interface endpoints are created).
	DisableInterfaceEndpoints *bool

	// The interface endpoints to create: only the services the
	// environment's workloads call (a cost lever, $7.30 per endpoint and AZ
	// a month). RequiredInterfaceEndpoints (ssm, ssmmessages, ec2messages for
	// the bastion's Session Manager; kms and logs for its encrypted, logged
	// sessions) cannot be left out; unknown and repeated services are
	// refused. A workload that calls a service left out reaches it through
	// the NAT gateway (TLS, but over the internet). Cannot be combined with
	// DisableInterfaceEndpoints.
	// Default: DefaultInterfaceEndpoints() (all eight).
	InterfaceEndpointServices *[]InterfaceEndpoint

	// Days to keep VPC flow logs; one of the values CloudWatch Logs accepts
	// (1, 3, 5, 7, 14, 30, ..., 2192, 2557, ..., 3653, or 9999 for never
	// expire).
	// Default: DefaultFlowLogRetentionDays (2192, six years).
	FlowLogRetentionDays *float64

	// Put the flow-log group in the CloudWatch Logs Infrequent Access log
	// class: half the ingestion price (a cost lever). Flow logs are network
	// metadata, not PHI; encryption and FlowLogRetentionDays are unchanged
	// and Logs Insights still queries the group. Such a group takes no
	// metric filters, subscription filters or Live Tail, and CloudWatch Logs
	// cannot change a group's class after it is created: choose it at the
	// first deploy.
	// Default: false (the Standard log class).
	FlowLogInfrequentAccess *bool

	// Extra private IPv4 CIDR blocks the data tier's network ACL admits, for a
	// VPN or peered access network. The app tier is always admitted. Each
	// must be an RFC 1918 range.
	// Default: none.
	DataAccessCidrs *[]*string

	// An existing customer-managed KMS key to encrypt the flow-log group.
	// The key policy must allow CloudWatch Logs to use it.
	// Default: a new key with rotation on, retained on delete.
	EncryptionKey awskms.IKey
}
