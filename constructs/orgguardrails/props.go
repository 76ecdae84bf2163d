package orgguardrails

// Library defaults and AWS limits.
const (
	// MaxPolicySize is AWS Organizations' limit on one service control
	// policy, in characters of the policy without whitespace.
	MaxPolicySize = 5120
	// MaxPoliciesPerTarget is how many SCPs AWS Organizations attaches to
	// one root, OU or account; FullAWSAccess (or the policy that replaces
	// it) takes one of them.
	MaxPoliciesPerTarget = 5
	// DefaultDeploymentRoleArn is the CloudFormation execution role of a
	// default `cdk bootstrap` (qualifier hnb659fds) in any account: the
	// role that deploys and updates the baseline's stacks.
	DefaultDeploymentRoleArn = "arn:aws:iam::*:role/cdk-hnb659fds-cfn-exec-role-*"
	// DefaultAuditBucketNamePattern matches the buckets of every
	// "<env>-audit" stack of this library (CloudFormation names them
	// "<stack name>-<logical id>-<suffix>", lowercased).
	DefaultAuditBucketNamePattern = "*-audit-*"
	// DefaultPolicyNamePrefix starts the name of every policy.
	DefaultPolicyNamePrefix = "hipaa-baseline"
)

// OrgGuardrailsProps configures OrgGuardrails. At least one of PhiTargetIds
// and TargetIds is required, and BreakGlassRoleArn and AllowedRegions are.
type OrgGuardrailsProps struct {
	// PhiTargetIds are the organizational units (ou-...), accounts (12
	// digits) or the root (r-...) whose accounts hold PHI. They get every
	// policy: the eligible-services policy and the baseline policies.
	// Default: none.
	PhiTargetIds *[]*string

	// TargetIds are OUs, accounts or the root that hold no PHI (sandbox,
	// dev with synthetic data, the log-archive and security-tooling
	// accounts): they get the baseline policies (protection of the audit
	// controls, organization hygiene) but may use any service.
	// Default: none.
	TargetIds *[]*string

	// BreakGlassRoleArn is the IAM role exempt from the protection and
	// region statements: an emergency role, e.g.
	// "arn:aws:iam::*:role/break-glass" (the same role name in every
	// account). Its partition is the partition of every ARN in the
	// policies. Required; a literal role ARN (not a token).
	BreakGlassRoleArn *string

	// DeploymentRoleArns are the roles that deploy the baseline (they
	// create, update and delete what the protection statements guard) and
	// are exempt from those statements, not from the region allow-list.
	// ARN patterns (* and ? allowed) of roles in BreakGlassRoleArn's
	// partition.
	// Default: DefaultDeploymentRoleArn (CDK's cfn-exec role).
	DeploymentRoleArns *[]*string

	// AllowedRegions are the only regions a principal of a target may use
	// (the global services are exempt: see README). Required, at least one
	// region of BreakGlassRoleArn's partition.
	AllowedRegions *[]*string

	// AuditBucketNamePatterns are the names (* and ? allowed) of the
	// buckets that hold the audit record: they may not be deleted and their
	// policy, Object Lock, versioning, encryption, lifecycle and
	// public-access block may not be changed except by the exempt roles.
	// Default: [DefaultAuditBucketNamePattern].
	AuditBucketNamePatterns *[]*string

	// PolicyNamePrefix starts the name of every policy
	// ("<prefix>-eligible-services", "<prefix>-guardrails-1", ...): letters,
	// digits, '-' and '_', at most 64.
	// Default: DefaultPolicyNamePrefix.
	PolicyNamePrefix *string
}
