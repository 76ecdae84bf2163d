package orgguardrails

import (
	"regexp"
	"sort"
	"strings"

	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

const constructName = "OrgGuardrails"

var (
	ouRe      = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	rootRe    = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	// roleArnRe is an IAM role ARN: partition, account (or * for the role
	// of that name in every account), optional path, name.
	roleArnRe = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}|\*):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]{1,64})$`)
	// rolePatternRe is the same with * and ? allowed in the path and name.
	rolePatternRe = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}|\*):role/[\w+=,.@*?/-]{1,512}$`)
	bucketRe      = regexp.MustCompile(`^[a-z0-9.*?-]{1,63}$`)
	namePrefixRe  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// settings are the props after defaults are merged and validated.
type settings struct {
	phiTargets, otherTargets []*string // as given (literal IDs or tokens)
	partition                string
	breakGlass               string
	deployment               []string
	regions                  []string
	buckets                  []string
	prefix                   string
}

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

// literal reports whether s is set and not a token. validate.StringToken
// answers as awscdk.Token_IsUnresolved does, without a call into jsii.
func literal(s *string) bool { return s != nil && !validate.StringToken(*s) }

// resolve merges defaults with props and checks them. It reads props and
// never writes them, and creates no construct.
func resolve(props *OrgGuardrailsProps) (*settings, error) {
	if props == nil {
		return nil, fail("PhiTargetIds", "props are required: at least one target (PhiTargetIds or TargetIds), BreakGlassRoleArn and AllowedRegions have no default")
	}
	p := *props
	s := &settings{prefix: DefaultPolicyNamePrefix}

	seen := map[string]string{}
	targets := func(prop string, list *[]*string) ([]*string, error) {
		if list == nil {
			return nil, nil
		}
		var out []*string
		for i, id := range *list {
			if id == nil || *id == "" {
				return nil, fail(prop, "entry %d is empty", i)
			}
			if !literal(id) { // a token (e.g. a CfnOrganizationalUnit's AttrId): AWS checks it at deploy
				out = append(out, id)
				continue
			}
			if !ouRe.MatchString(*id) && !accountRe.MatchString(*id) && !rootRe.MatchString(*id) {
				return nil, fail(prop, "%q is not an organizational unit ID (ou-xxxx-xxxxxxxx), an account ID (12 digits) or a root ID (r-xxxx)", *id)
			}
			if other, dup := seen[*id]; dup {
				return nil, fail(prop, "%q is also in %s: list each target once (PhiTargetIds already get every policy)", *id, other)
			}
			seen[*id] = prop
			out = append(out, id)
		}
		return out, nil
	}
	var err error
	if s.phiTargets, err = targets("PhiTargetIds", p.PhiTargetIds); err != nil {
		return nil, err
	}
	if s.otherTargets, err = targets("TargetIds", p.TargetIds); err != nil {
		return nil, err
	}
	if len(s.phiTargets)+len(s.otherTargets) == 0 {
		return nil, fail("PhiTargetIds", "at least one target is required: the OUs or accounts that hold PHI (PhiTargetIds) or others (TargetIds); a policy attached to nothing guards nothing")
	}

	if p.BreakGlassRoleArn == nil || *p.BreakGlassRoleArn == "" {
		return nil, fail("BreakGlassRoleArn", "a break-glass role ARN is required (e.g. arn:aws:iam::*:role/break-glass): without one nobody could repair the audit controls")
	}
	if !literal(p.BreakGlassRoleArn) {
		return nil, fail("BreakGlassRoleArn", "must be a literal ARN, not a token: it is written into the policy text, whose size must be known at synth")
	}
	m := roleArnRe.FindStringSubmatch(*p.BreakGlassRoleArn)
	if m == nil {
		return nil, fail("BreakGlassRoleArn", "%q is not an IAM role ARN (arn:aws:iam::<account or *>:role/<name>); a user, a wildcard role name or another service's ARN would exempt the wrong principals", *p.BreakGlassRoleArn)
	}
	s.partition, s.breakGlass = m[1], *p.BreakGlassRoleArn

	s.deployment = []string{strings.Replace(DefaultDeploymentRoleArn, "arn:aws:", "arn:"+s.partition+":", 1)}
	if p.DeploymentRoleArns != nil {
		s.deployment = nil
		for i, a := range *p.DeploymentRoleArns {
			if a == nil || !literal(a) {
				return nil, fail("DeploymentRoleArns", "entry %d must be a literal role ARN pattern, not empty or a token", i)
			}
			dm := rolePatternRe.FindStringSubmatch(*a)
			if dm == nil {
				return nil, fail("DeploymentRoleArns", "%q is not an IAM role ARN pattern (arn:aws:iam::<account or *>:role/<name, * and ? allowed>)", *a)
			}
			if dm[1] != s.partition {
				return nil, fail("DeploymentRoleArns", "%q is in partition %s, BreakGlassRoleArn in %s", *a, dm[1], s.partition)
			}
			s.deployment = append(s.deployment, *a)
		}
	}

	if p.AllowedRegions == nil || len(*p.AllowedRegions) == 0 {
		return nil, fail("AllowedRegions", "at least one region is required: the regions the workloads run in (e.g. us-east-1)")
	}
	known := knownRegions[s.partition]
	dupRegion := map[string]bool{}
	for i, r := range *p.AllowedRegions {
		if r == nil || !literal(r) {
			return nil, fail("AllowedRegions", "entry %d must be a literal region name, not empty or a token", i)
		}
		if !known[*r] {
			return nil, fail("AllowedRegions", "%q is not a region of partition %s known to this library (%s)", *r, s.partition, strings.Join(sortedKeys(known), ", "))
		}
		if dupRegion[*r] {
			return nil, fail("AllowedRegions", "%q is listed twice", *r)
		}
		dupRegion[*r] = true
		s.regions = append(s.regions, *r)
	}

	s.buckets = []string{DefaultAuditBucketNamePattern}
	if p.AuditBucketNamePatterns != nil {
		if len(*p.AuditBucketNamePatterns) == 0 {
			return nil, fail("AuditBucketNamePatterns", "is empty: leave it unset for the default %q, or name the audit buckets", DefaultAuditBucketNamePattern)
		}
		s.buckets = nil
		for i, b := range *p.AuditBucketNamePatterns {
			if b == nil || !literal(b) || !bucketRe.MatchString(*b) || *b == "*" {
				return nil, fail("AuditBucketNamePatterns", "entry %d must be a literal bucket name pattern (lowercase letters, digits, '.', '-', * and ?), not \"*\" (every bucket), empty or a token", i)
			}
			s.buckets = append(s.buckets, *b)
		}
	}

	if p.PolicyNamePrefix != nil {
		if !literal(p.PolicyNamePrefix) || !namePrefixRe.MatchString(*p.PolicyNamePrefix) {
			return nil, fail("PolicyNamePrefix", "%q: use 1 to 64 letters, digits, '-' or '_'", *p.PolicyNamePrefix)
		}
		s.prefix = *p.PolicyNamePrefix
	}
	return s, nil
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// knownRegions are the regions by partition, compiled by this library on
// 2026-12-01 from AWS's "Regions and Availability Zones" list
// (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
// Add a region when AWS opens it.
var knownRegions = map[string]map[string]bool{
	"aws": set("us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1",
		"mx-central-1", "sa-east-1"),
	"aws-us-gov": set("us-gov-east-1", "us-gov-west-1"),
	"aws-cn":     set("cn-north-1", "cn-northwest-1"),
}

func set(items ...string) map[string]bool {
	out := map[string]bool{}
	for _, i := range items {
		out[i] = true
	}
	return out
}
