package tierisolation

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
)

// Tier names a tier that can be isolated; it is also the TIER of
// `make isolate` and the suffix of the document names.
type Tier string

const (
	// TierData cuts every network path to the data subnets.
	TierData Tier = "data"
	// TierAccess stops the human path (the bastion).
	TierAccess Tier = "access"
	// TierEdge switches the public web ACL to block everything (or to admit
	// only the responders' addresses).
	TierEdge Tier = "edge"
)

// Tiers lists the tiers in the order the documents are created.
var Tiers = []Tier{TierData, TierAccess, TierEdge}

// Library defaults.
const (
	// ScriptRuntime is the aws:executeScript runtime of every document.
	ScriptRuntime = "python3.11"
	// IsolationRuleNumber is the rule number of the data tier's deny-all
	// entries (ingress and egress, 0.0.0.0/0): below HipaaVpc's allow
	// entries, which start at 100, so they are evaluated first.
	IsolationRuleNumber = 1
	// IsolationRuleNumberIpv6 is the rule number of the deny-all entries for
	// ::/0, added only when the data-tier ACL has IPv6 entries.
	IsolationRuleNumberIpv6 = 2
)

// TierIsolationProps configures a TierIsolation. Every tier is optional, but
// at least one must be given, with ResponderPrincipals and AlarmTopic.
type TierIsolationProps struct {
	// Principals allowed to assume the incident-responder role (with MFA:
	// the trust policy requires aws:MultiFactorAuthPresent). Required, at
	// least one; e.g. awsiam.NewAccountRootPrincipal() to delegate the
	// choice to IAM policies of the account, or the ARNs of on-call roles.
	ResponderPrincipals *[]awsiam.IPrincipal

	// The topic every isolation and reconnection is announced on, normally
	// audittrail.AuditTrail.Topic() (its policy lets this account's
	// EventBridge rules publish). Required.
	AlarmTopic awssns.ITopic

	// Prefix of the Automation document names: <prefix>-Isolate<Tier> and
	// <prefix>-Reconnect<Tier>. Letters, digits, '-', '_' and '.', not a
	// token, not starting with "aws" or "amazon".
	// Default: the stack name.
	DocumentNamePrefix *string

	// --- data tier ---

	// The VPC of the data tier; required with DataSubnets.
	// Default: none (no data-tier documents).
	Vpc awsec2.IVpc

	// The data subnets the data documents cut, normally
	// HipaaVpc.DataSubnets(); they must be on DataTierAcl.
	// Default: none (no data-tier documents).
	DataSubnets *awsec2.SubnetSelection

	// The network ACL the data subnets carry (HipaaVpc's DataTierAcl()):
	// isolating adds deny-all entries to it at rule numbers
	// IsolationRuleNumber and IsolationRuleNumberIpv6, which must be free
	// (HipaaVpc leaves numbers below 100 free), and reconnecting deletes
	// them. Required with DataSubnets.
	// Default: none.
	DataTierAcl awsec2.INetworkAcl

	// --- access tier ---

	// The always-on bastion (BastionAccess.Instance()); isolating stops it,
	// reconnecting starts it.
	// Default: none.
	BastionInstance awsec2.IInstance

	// The key of the bastion's EBS volumes (BastionAccess.EncryptionKey()):
	// starting the instance again needs a KMS grant on it.
	// Default: none (volumes encrypted with an AWS managed key).
	BastionKey awskms.IKey

	// The time-boxed bastion group (BastionAccess.AutoScalingGroup());
	// isolating sets it to 0/0/0, reconnecting to its synthesized sizes. Must
	// be created in this app (its sizes are read from the template).
	// Default: none.
	BastionGroup awsautoscaling.IAutoScalingGroup

	// The Client VPN endpoint (BastionAccess.ClientVpnEndpoint()), a second
	// way into the access tier. Isolating also revokes its authorization
	// rules and terminates every current client connection; reconnecting
	// authorizes the same rules again (same CIDRs, groups and descriptions).
	// Must be created in this app, with its rules added by AddAuthorizationRule
	// (as BastionAccess does): they are read from its synthesized children.
	// Requires BastionInstance or BastionGroup.
	// Default: none (the VPN is not touched).
	ClientVpnEndpoint awsec2.IClientVpnEndpoint

	// --- public edge ---

	// The public web ACL (created in this app: the reconnect document
	// carries its synthesized DefaultAction and Rules). Isolating sets its
	// default action to block and replaces its rules with nothing, or with
	// one rule admitting ResponderCidrs.
	// Default: none (no edge documents).
	WebAcl awswafv2.CfnWebACL

	// IPv4 CIDRs still admitted by the web ACL while the edge is isolated
	// (e.g. the responders' office or VPN egress). Literals only.
	// Default: none (the edge blocks everything).
	ResponderCidrs *[]*string
}
