package audittrail

// AlarmSpec is one security alarm: a CloudWatch Logs metric filter on the
// trail's log group and an alarm on its metric. The patterns follow the CIS
// AWS Foundations Benchmark monitoring controls (Security Hub CloudWatch.1-14).
type AlarmSpec struct {
	// ID names the metric, the filter and the alarm constructs. It must never
	// change: it is part of their logical IDs.
	ID string
	// Detects says what a breach means.
	Detects string
	// Pattern is the CloudWatch Logs filter pattern over CloudTrail events.
	Pattern string
	// Threshold is how many matching events in AlarmPeriodMinutes raise the
	// alarm.
	Threshold float64
	// Runbook is the one-line response that restores safety.
	Runbook string
}

// Description is the alarm's description: what it detected and how to
// restore safety.
func (a AlarmSpec) Description() string {
	return a.Detects + ". Restore safety: " + a.Runbook
}

// Alarms returns the security alarm catalogue, in a stable order.
func Alarms() []AlarmSpec {
	return []AlarmSpec{
		{
			ID:        "UnauthorizedApiCalls",
			Detects:   "API calls were denied (UnauthorizedOperation or AccessDenied): someone is probing permissions or a workload lost access",
			Pattern:   `{(($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")) && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket")}`,
			Threshold: 1,
			Runbook:   "in CloudTrail find the principal and source IP of the denied calls; if not an expected workload, disable its access keys or sessions and review what it attempted.",
		},
		{
			ID:        "ConsoleSignInWithoutMfa",
			Detects:   "An IAM user signed in to the console without MFA",
			Pattern:   `{($.eventName="ConsoleLogin") && ($.additionalEventData.MFAUsed!="Yes") && ($.userIdentity.type="IAMUser") && ($.responseElements.ConsoleLogin="Success")}`,
			Threshold: 1,
			Runbook:   "confirm the sign-in with the user, require an MFA device for the user (IAM policy denying actions without aws:MultiFactorAuthPresent) and rotate the password if the sign-in is not recognised.",
		},
		{
			ID:        "RootAccountUsage",
			Detects:   "The root user was used",
			Pattern:   `{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType!="AwsServiceEvent"}`,
			Threshold: 1,
			Runbook:   "confirm who used the root user and why; if unexpected, reset the root password, check root MFA, delete any root access keys and review the actions taken.",
		},
		{
			ID:        "IamPolicyChanges",
			Detects:   "An IAM policy was created, changed, attached or detached",
			Pattern:   `{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=SetDefaultPolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}`,
			Threshold: 1,
			Runbook:   "check the change against an approved change request; if not approved, revert the policy to its previous version and review the principal that made it.",
		},
		{
			ID:        "CloudTrailChanges",
			Detects:   "A CloudTrail trail was created, changed, stopped or deleted",
			Pattern:   `{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging) || ($.eventName=PutEventSelectors)}`,
			Threshold: 1,
			Runbook:   "make sure the audit trail is logging (aws cloudtrail get-trail-status) and redeploy the audit stack to restore its settings; investigate who changed it.",
		},
		{
			ID:        "ConsoleSignInFailures",
			Detects:   "Repeated console sign-in failures: a possible password-guessing attack",
			Pattern:   `{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}`,
			Threshold: 3,
			Runbook:   "identify the targeted user names and source IPs; lock or reset the targeted users and block the source if the attempts continue.",
		},
		{
			ID:        "KmsKeyDisabledOrScheduledForDeletion",
			Detects:   "A customer-managed KMS key was disabled or scheduled for deletion: data encrypted under it will become unreadable",
			Pattern:   `{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}`,
			Threshold: 1,
			Runbook:   "if not intended, run aws kms cancel-key-deletion and aws kms enable-key on the key at once, then find who changed it.",
		},
		{
			ID:        "S3BucketPolicyChanges",
			Detects:   "An S3 bucket policy, ACL, CORS, lifecycle, replication or public-access setting changed",
			Pattern:   `{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=PutBucketPublicAccessBlock) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication) || ($.eventName=DeleteBucketPublicAccessBlock))}`,
			Threshold: 1,
			Runbook:   "compare the bucket's policy and Block Public Access settings with the deployed stack; redeploy the stack to revert drift and check the bucket was not made public.",
		},
		{
			ID:        "ConfigChanges",
			Detects:   "AWS Config recording or delivery was changed or stopped",
			Pattern:   `{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}`,
			Threshold: 1,
			Runbook:   "make sure the recorder is recording (aws configservice describe-configuration-recorder-status) and restart it with start-configuration-recorder; investigate who changed it.",
		},
		{
			ID:        "SecurityGroupChanges",
			Detects:   "A security group was created, changed or deleted",
			Pattern:   `{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup) || ($.eventName=ModifySecurityGroupRules)}`,
			Threshold: 1,
			Runbook:   "check the rule change against the stack; remove any rule that opens PHI systems to 0.0.0.0/0 or unexpected sources and redeploy to revert drift.",
		},
		{
			ID:        "NetworkAclChanges",
			Detects:   "A network ACL or its entries changed",
			Pattern:   `{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}`,
			Threshold: 1,
			Runbook:   "compare the ACL with the network stack; redeploy it to restore the data-tier ACL and investigate who changed it.",
		},
		{
			ID:        "NetworkGatewayChanges",
			Detects:   "An internet or customer gateway was created, attached, detached or deleted",
			Pattern:   `{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}`,
			Threshold: 1,
			Runbook:   "confirm the gateway change was planned; detach and delete unexpected gateways, which can open a path between PHI subnets and the internet.",
		},
		{
			ID:        "RouteTableChanges",
			Detects:   "A route table or route changed",
			Pattern:   `{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable))}`,
			Threshold: 1,
			Runbook:   "check that the isolated data tier still has no route to an internet or NAT gateway; redeploy the network stack to revert drift.",
		},
		{
			ID:        "VpcChanges",
			Detects:   "A VPC or VPC peering connection was created, changed or deleted",
			Pattern:   `{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}`,
			Threshold: 1,
			Runbook:   "confirm the VPC or peering change was planned; remove unexpected peering connections to PHI VPCs and redeploy the network stack to revert drift.",
		},
		{
			ID:        "OrganizationsChanges",
			Detects:   "AWS Organizations structure, accounts or policies changed",
			Pattern:   `{($.eventSource=organizations.amazonaws.com) && (($.eventName=AcceptHandshake) || ($.eventName=AttachPolicy) || ($.eventName=CreateAccount) || ($.eventName=CreateOrganizationalUnit) || ($.eventName=CreatePolicy) || ($.eventName=DeclineHandshake) || ($.eventName=DeleteOrganization) || ($.eventName=DeleteOrganizationalUnit) || ($.eventName=DeletePolicy) || ($.eventName=DetachPolicy) || ($.eventName=DisablePolicyType) || ($.eventName=EnablePolicyType) || ($.eventName=InviteAccountToOrganization) || ($.eventName=LeaveOrganization) || ($.eventName=MoveAccount) || ($.eventName=RemoveAccountFromOrganization) || ($.eventName=UpdatePolicy) || ($.eventName=UpdateOrganizationalUnit))}`,
			Threshold: 1,
			Runbook:   "confirm the change with the organization's administrators; reattach any detached service control policy and investigate account moves or departures.",
		},
	}
}
