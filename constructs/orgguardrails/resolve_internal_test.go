package orgguardrails

import (
	"slices"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/fakes"
)

const (
	phiOU      = "ou-ab12-phiworkloads"
	breakGlass = "arn:aws:iam::*:role/break-glass"
)

// valid is the smallest props resolve accepts, changed by mod.
func valid(mod func(*OrgGuardrailsProps)) *OrgGuardrailsProps {
	p := &OrgGuardrailsProps{PhiTargetIds: jsii.Strings(phiOU), BreakGlassRoleArn: jsii.String(breakGlass), AllowedRegions: jsii.Strings("us-east-1")}
	if mod != nil {
		mod(p)
	}
	return p
}

func TestResolveRefusesBadProps(t *testing.T) {
	type P = OrgGuardrailsProps
	fakes.CheckRefusals(t, "OrgGuardrails", resolve, []fakes.Refusal[*OrgGuardrailsProps]{
		{"nil props", nil, "PhiTargetIds", "props are required"},
		{"empty props", &P{}, "PhiTargetIds", "at least one target"},
		{"no target", valid(func(p *P) { p.PhiTargetIds, p.TargetIds = nil, jsii.Strings() }), "PhiTargetIds", "at least one target"},
		{"empty target", valid(func(p *P) { p.PhiTargetIds = jsii.Strings("") }), "PhiTargetIds", "entry 0 is empty"},
		{"nil target", valid(func(p *P) { p.TargetIds = &[]*string{nil} }), "TargetIds", "entry 0 is empty"},
		{"malformed ou", valid(func(p *P) { p.PhiTargetIds = jsii.Strings("ou-PHI") }), "PhiTargetIds", `"ou-PHI" is not an organizational unit ID`},
		{"malformed account", valid(func(p *P) { p.TargetIds = jsii.Strings("12345") }), "TargetIds", `"12345"`},
		{"target twice", valid(func(p *P) { p.TargetIds = jsii.Strings(phiOU) }), "TargetIds", "also in PhiTargetIds"},
		{"phi target twice", valid(func(p *P) { p.PhiTargetIds = jsii.Strings(phiOU, phiOU) }), "PhiTargetIds", "also in PhiTargetIds"},
		{"no break-glass", valid(func(p *P) { p.BreakGlassRoleArn = nil }), "BreakGlassRoleArn", "is required"},
		{"empty break-glass", valid(func(p *P) { p.BreakGlassRoleArn = jsii.String("") }), "BreakGlassRoleArn", "is required"},
		{"break-glass token", valid(func(p *P) { p.BreakGlassRoleArn = jsii.String(fakes.StringToken) }), "BreakGlassRoleArn", "literal ARN, not a token"},
		{"break-glass is a user", valid(func(p *P) { p.BreakGlassRoleArn = jsii.String("arn:aws:iam::111122223333:user/admin") }), "BreakGlassRoleArn", "not an IAM role ARN"},
		{"break-glass wildcard", valid(func(p *P) { p.BreakGlassRoleArn = jsii.String("arn:aws:iam::*:role/*") }), "BreakGlassRoleArn", "not an IAM role ARN"},
		{"deployment role nil", valid(func(p *P) { p.DeploymentRoleArns = &[]*string{nil} }), "DeploymentRoleArns", "entry 0 must be a literal"},
		{"deployment role token", valid(func(p *P) { p.DeploymentRoleArns = jsii.Strings(fakes.StringToken) }), "DeploymentRoleArns", "entry 0 must be a literal"},
		{"deployment role not a role", valid(func(p *P) { p.DeploymentRoleArns = jsii.Strings("arn:aws:s3:::bucket") }), "DeploymentRoleArns", "not an IAM role ARN pattern"},
		{"deployment role other partition", valid(func(p *P) { p.DeploymentRoleArns = jsii.Strings("arn:aws-cn:iam::*:role/deploy") }), "DeploymentRoleArns", "partition aws-cn, BreakGlassRoleArn in aws"},
		{"no regions", valid(func(p *P) { p.AllowedRegions = nil }), "AllowedRegions", "at least one region"},
		{"empty regions", valid(func(p *P) { p.AllowedRegions = jsii.Strings() }), "AllowedRegions", "at least one region"},
		{"region token", valid(func(p *P) { p.AllowedRegions = jsii.Strings(fakes.StringToken) }), "AllowedRegions", "entry 0 must be a literal region"},
		{"unknown region", valid(func(p *P) { p.AllowedRegions = jsii.Strings("us-east-9") }), "AllowedRegions", `"us-east-9" is not a region of partition aws`},
		{"region of another partition", valid(func(p *P) { p.AllowedRegions = jsii.Strings("cn-north-1") }), "AllowedRegions", `"cn-north-1"`},
		{"region twice", valid(func(p *P) { p.AllowedRegions = jsii.Strings("us-east-1", "us-east-1") }), "AllowedRegions", "listed twice"},
		{"every bucket", valid(func(p *P) { p.AuditBucketNamePatterns = jsii.Strings("*") }), "AuditBucketNamePatterns", `not "*"`},
		{"bucket token", valid(func(p *P) { p.AuditBucketNamePatterns = jsii.Strings(fakes.StringToken) }), "AuditBucketNamePatterns", "entry 0"},
		{"upper-case bucket", valid(func(p *P) { p.AuditBucketNamePatterns = jsii.Strings("Audit-*") }), "AuditBucketNamePatterns", "entry 0"},
		{"no buckets", valid(func(p *P) { p.AuditBucketNamePatterns = jsii.Strings() }), "AuditBucketNamePatterns", "is empty"},
		{"bad name prefix", valid(func(p *P) { p.PolicyNamePrefix = jsii.String("has space") }), "PolicyNamePrefix", `"has space"`},
		{"name prefix token", valid(func(p *P) { p.PolicyNamePrefix = jsii.String(fakes.StringToken) }), "PolicyNamePrefix", "letters, digits"},
	})
}

func TestResolveAppliesDefaultsAndKeepsValues(t *testing.T) {
	type P = OrgGuardrailsProps
	fakes.CheckResolutions(t, resolve, []fakes.Resolution[*OrgGuardrailsProps, settings]{
		{"defaults", valid(nil), func(s *settings) bool {
			return s.partition == "aws" && s.breakGlass == breakGlass && slices.Equal(s.deployment, []string{DefaultDeploymentRoleArn}) &&
				slices.Equal(s.buckets, []string{DefaultAuditBucketNamePattern}) && s.prefix == DefaultPolicyNamePrefix &&
				slices.Equal(s.regions, []string{"us-east-1"}) && len(s.phiTargets) == 1 && s.otherTargets == nil
		}},
		{"other targets only", valid(func(p *P) { p.PhiTargetIds, p.TargetIds = nil, jsii.Strings("111122223333", "r-ab12") }),
			func(s *settings) bool { return s.phiTargets == nil && len(s.otherTargets) == 2 }},
		// A token target (a CfnOrganizationalUnit's AttrId) is AWS's to check.
		{"token target kept", valid(func(p *P) { p.TargetIds = jsii.Strings(fakes.StringToken) }),
			func(s *settings) bool { return *s.otherTargets[0] == fakes.StringToken }},
		{"default deployment role in the break-glass partition", valid(func(p *P) {
			p.BreakGlassRoleArn, p.AllowedRegions = jsii.String("arn:aws-us-gov:iam::*:role/bg"), jsii.Strings("us-gov-west-1")
		}), func(s *settings) bool {
			return s.partition == "aws-us-gov" && s.deployment[0] == "arn:aws-us-gov:iam::*:role/cdk-hnb659fds-cfn-exec-role-*"
		}},
		{"deployment roles kept", valid(func(p *P) {
			p.DeploymentRoleArns = jsii.Strings("arn:aws:iam::*:role/deploy-*", "arn:aws:iam::111122223333:role/ci")
		}),
			func(s *settings) bool {
				return slices.Equal(s.deployment, []string{"arn:aws:iam::*:role/deploy-*", "arn:aws:iam::111122223333:role/ci"})
			}},
		{"no deployment roles", valid(func(p *P) { p.DeploymentRoleArns = jsii.Strings() }), func(s *settings) bool { return s.deployment == nil }},
		{"regions kept in order", valid(func(p *P) { p.AllowedRegions = jsii.Strings("us-west-2", "eu-west-1") }),
			func(s *settings) bool { return slices.Equal(s.regions, []string{"us-west-2", "eu-west-1"}) }},
		{"bucket patterns kept", valid(func(p *P) { p.AuditBucketNamePatterns = jsii.Strings("org-audit-?", "trail.*") }),
			func(s *settings) bool { return slices.Equal(s.buckets, []string{"org-audit-?", "trail.*"}) }},
		{"name prefix kept", valid(func(p *P) { p.PolicyNamePrefix = jsii.String("acme_guard-1") }), func(s *settings) bool { return s.prefix == "acme_guard-1" }},
	})
}
