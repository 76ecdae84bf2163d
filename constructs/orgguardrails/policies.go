package orgguardrails

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/healthstack-oss/hipaa-baseline/internal/eligibility"
)

// Statement IDs: each says what it protects (README.md lists them and why).
const (
	SidEligibleServices        = "DenyServicesNotHipaaEligible"
	SidCloudTrail              = "ProtectCloudTrail"
	SidConfig                  = "ProtectConfigRecorderAndDeliveryChannel"
	SidGuardDuty               = "ProtectGuardDutyDetectorsAndMembership"
	SidAuditBuckets            = "ProtectAuditBucketsPoliciesAndObjectLock"
	SidLogGroups               = "ProtectLogGroups"
	SidKmsKeys                 = "ProtectKmsKeysFromDeletion"
	SidEbsDefaultEncryption    = "ProtectEbsDefaultEncryption"
	SidS3AccountPublicAccess   = "ProtectS3AccountPublicAccessBlock"
	SidLeaveOrganization       = "DenyLeavingTheOrganization"
	SidRootUser                = "DenyRootUser"
	SidRegionAllowList         = "DenyRegionsOutsideAllowList"
	policyVersion              = "2012-10-17"
	principalArnKey            = "aws:PrincipalArn"
	requestedRegionKey         = "aws:RequestedRegion"
	eligibleServicesPolicyName = "eligible-services"
	baselinePolicyName         = "guardrails"
)

// GlobalServiceActions are exempt from the region allow-list: services
// whose one endpoint is in us-east-1 (or that are global), which a
// principal in any allowed region still calls there. Billing and support
// hold no PHI; CloudFront, Route 53 and WAF for CloudFront are configured
// in us-east-1 whichever region the origin is in.
var GlobalServiceActions = []string{
	"account:*", "aws-portal:*", "billing:*", "budgets:*", "ce:*", "cloudfront:*", "cur:*",
	"globalaccelerator:*", "health:*", "iam:*", "organizations:*", "pricing:*", "route53:*",
	"route53domains:*", "shield:*", "sts:*", "support:*", "trustedadvisor:*", "waf:*",
}

// statement is one SCP statement; fields render in this order.
type statement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Action    any                       `json:"Action,omitempty"`
	NotAction any                       `json:"NotAction,omitempty"`
	Resource  any                       `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

type document struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

// one renders a one-element list as its element, as IAM allows: shorter.
func one(list []string) any {
	if len(list) == 1 {
		return list[0]
	}
	return list
}

// Policy is one rendered service control policy.
type Policy struct {
	// Name is the policy's name in AWS Organizations.
	Name string
	// Content is the policy text, compact JSON: exactly what the template
	// carries and what AWS Organizations measures.
	Content string
	// Sids are the statements it holds, in order.
	Sids []string
	// Phi is true for the eligible-services policy (PhiTargetIds only).
	Phi bool
}

func (s *settings) exempt() map[string]map[string]any {
	roles := append([]string{s.breakGlass}, s.deployment...)
	return map[string]map[string]any{"ArnNotLike": {principalArnKey: one(roles)}}
}

// baselineStatements are what every target gets.
func (s *settings) baselineStatements() []statement {
	exempt := s.exempt()
	var bucketArns []string
	for _, b := range s.buckets {
		bucketArns = append(bucketArns, fmt.Sprintf("arn:%s:s3:::%s", s.partition, b), fmt.Sprintf("arn:%s:s3:::%s/*", s.partition, b))
	}
	deny := func(sid string, actions []string, resource any) statement {
		return statement{Sid: sid, Effect: "Deny", Action: one(actions), Resource: resource, Condition: exempt}
	}
	return []statement{
		deny(SidCloudTrail, []string{"cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"}, "*"),
		deny(SidConfig, []string{"config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel", "config:DeleteRetentionConfiguration",
			"config:PutConfigurationRecorder", "config:PutDeliveryChannel", "config:StopConfigurationRecorder"}, "*"),
		deny(SidGuardDuty, []string{"guardduty:DeleteDetector", "guardduty:DeleteMembers", "guardduty:DisassociateFromAdministratorAccount",
			"guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateMembers", "guardduty:StopMonitoringMembers", "guardduty:UpdateDetector"}, "*"),
		deny(SidAuditBuckets, []string{"s3:BypassGovernanceRetention", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketObjectLockConfiguration",
			"s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration",
			"s3:PutLifecycleConfiguration", "s3:PutObjectRetention"}, one(bucketArns)),
		deny(SidLogGroups, []string{"logs:DeleteLogGroup", "logs:DeleteLogStream"}, "*"),
		deny(SidKmsKeys, []string{"kms:DeleteImportedKeyMaterial", "kms:ScheduleKeyDeletion"}, "*"),
		deny(SidEbsDefaultEncryption, []string{"ec2:DisableEbsEncryptionByDefault"}, "*"),
		// PutAccountPublicAccessBlock authorizes both changing and deleting
		// the account-level block.
		deny(SidS3AccountPublicAccess, []string{"s3:PutAccountPublicAccessBlock"}, "*"),
		{Sid: SidLeaveOrganization, Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*"},
		{Sid: SidRootUser, Effect: "Deny", Action: "*", Resource: "*",
			Condition: map[string]map[string]any{"StringLike": {principalArnKey: fmt.Sprintf("arn:%s:iam::*:root", s.partition)}}},
		{Sid: SidRegionAllowList, Effect: "Deny", NotAction: GlobalServiceActions, Resource: "*",
			Condition: map[string]map[string]any{
				"StringNotEquals": {requestedRegionKey: one(s.regions)},
				"ArnNotLike":      {principalArnKey: s.breakGlass},
			}},
	}
}

// eligibleStatement denies every action outside the eligible services and
// the control plane. A NotAction deny cannot be split: two of them
// intersect (each denies what the other's list allows), so the whole list
// is one statement in one policy.
func eligibleStatement() statement {
	return statement{Sid: SidEligibleServices, Effect: "Deny", NotAction: eligibility.AllowedActions(), Resource: "*"}
}

func render(stmts []statement) string {
	raw, err := json.Marshal(document{Version: policyVersion, Statement: stmts})
	if err != nil {
		panic(err)
	}
	return string(raw)
}

// Size is the size AWS Organizations counts: the policy's characters
// without the whitespace between JSON tokens (json.Compact; strings are
// kept as they are). Content rendered here is already compact.
func Size(content string) int {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(content)); err != nil {
		return utf8.RuneCountInString(content)
	}
	return utf8.RuneCount(buf.Bytes())
}

// pack puts statements, in order, into as few policies as MaxPolicySize
// allows (a new policy when the next statement does not fit).
func pack(stmts []statement) ([][]statement, error) {
	var out [][]statement
	var cur []statement
	for _, st := range stmts {
		if Size(render([]statement{st})) > MaxPolicySize {
			return nil, fmt.Errorf("statement %s alone renders to %d characters, over the %d-character SCP limit", st.Sid, len(render([]statement{st})), MaxPolicySize)
		}
		if len(cur) > 0 && Size(render(append(append([]statement{}, cur...), st))) > MaxPolicySize {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, st)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// policies renders every policy of the settings.
func (s *settings) policies() ([]Policy, error) {
	var out []Policy
	if len(s.phiTargets) > 0 {
		st := eligibleStatement()
		content := render([]statement{st})
		if Size(content) > MaxPolicySize {
			return nil, fail("(eligibility data)", "the eligible-services policy renders to %d characters, over the %d-character SCP limit; a NotAction deny cannot be split across policies (two such denies intersect): shorten internal/eligibility's lists (fewer control-plane entries, a prefix instead of action lists)", len(content), MaxPolicySize)
		}
		out = append(out, Policy{Name: s.prefix + "-" + eligibleServicesPolicyName, Content: content, Sids: []string{st.Sid}, Phi: true})
	}
	groups, err := pack(s.baselineStatements())
	if err != nil {
		return nil, fail("AuditBucketNamePatterns", "%v: name fewer bucket patterns or roles", err)
	}
	for i, g := range groups {
		var sids []string
		for _, st := range g {
			sids = append(sids, st.Sid)
		}
		out = append(out, Policy{Name: fmt.Sprintf("%s-%s-%d", s.prefix, baselinePolicyName, i+1), Content: render(g), Sids: sids})
	}
	perTarget := len(groups)
	if len(s.phiTargets) > 0 {
		perTarget++
	}
	if perTarget+1 > MaxPoliciesPerTarget {
		return nil, fail("DeploymentRoleArns", "the guardrails need %d policies per target, and with FullAWSAccess that is over AWS's %d SCPs per target: name fewer roles or bucket patterns", perTarget, MaxPoliciesPerTarget)
	}
	return out, nil
}
