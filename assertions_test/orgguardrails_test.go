package assertions_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/orgguardrails"
	"github.com/healthstack-oss/hipaa-baseline/internal/eligibility"
)

const (
	phiOU       = "ou-ab12-phiworkloads"
	sandboxOU   = "ou-ab12-sandboxes1"
	breakGlass  = "arn:aws:iam::*:role/break-glass"
	orgStack    = "Org"
	orgStackBig = "OrgBig"
)

func guardrailProps() *orgguardrails.OrgGuardrailsProps {
	return &orgguardrails.OrgGuardrailsProps{
		PhiTargetIds:      jsii.Strings(phiOU),
		TargetIds:         jsii.Strings(sandboxOU, "111122223333"),
		BreakGlassRoleArn: jsii.String(breakGlass),
		AllowedRegions:    jsii.Strings("us-east-1", "us-west-2"),
	}
}

var orgFixture = newFixture("orgguardrails", func(app awscdk.App) {
	stack := awscdk.NewStack(app, jsii.String(orgStack), nil)
	orgguardrails.NewOrgGuardrails(stack, jsii.String("Guardrails"), guardrailProps())
})

// Enough deployment roles and bucket patterns that the baseline statements
// need two policies.
var orgBigFixture = newFixture("orgguardrails-split", func(app awscdk.App) {
	stack := awscdk.NewStack(app, jsii.String(orgStackBig), nil)
	p := guardrailProps()
	var roles, buckets []string
	for i := 0; i < 12; i++ {
		roles = append(roles, "arn:aws:iam::*:role/deployment-pipeline-role-number-"+string(rune('a'+i))+"-*")
		buckets = append(buckets, "team-"+string(rune('a'+i))+"-audit-archive-*")
	}
	p.DeploymentRoleArns = jsii.Strings(roles...)
	p.AuditBucketNamePatterns = jsii.Strings(buckets...)
	orgguardrails.NewOrgGuardrails(stack, jsii.String("Guardrails"), p)
})

// scp is one AWS::Organizations::Policy of a template, with its parsed content.
type scp struct {
	id, name string
	content  string
	targets  []string
	doc      struct {
		Version   string
		Statement []map[string]interface{}
	}
}

func scpsOf(t *testing.T, f *fixture, stack string) []scp {
	t.Helper()
	var out []scp
	for id, r := range resourcesOf(f.get(t).template(t, stack), "AWS::Organizations::Policy") {
		p := props(r)
		if p["Type"] != orgguardrails.PolicyType {
			t.Errorf("%s: Type %v", id, p["Type"])
		}
		s := scp{id: id, name: p["Name"].(string)}
		var ok bool
		if s.content, ok = p["Content"].(string); !ok {
			t.Fatalf("%s: Content is not a literal string: %v", id, p["Content"])
		}
		if err := json.Unmarshal([]byte(s.content), &s.doc); err != nil {
			t.Fatalf("%s: content is not JSON: %v", id, err)
		}
		for _, tid := range p["TargetIds"].([]interface{}) {
			s.targets = append(s.targets, tid.(string))
		}
		sort.Strings(s.targets)
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// statementsBySid gathers every statement of the fixture's policies, failing
// on a Sid seen twice.
func statementsBySid(t *testing.T, policies []scp) map[string]map[string]interface{} {
	t.Helper()
	out := map[string]map[string]interface{}{}
	for _, p := range policies {
		for _, st := range p.doc.Statement {
			sid, _ := st["Sid"].(string)
			if _, dup := out[sid]; dup || sid == "" {
				t.Errorf("%s: Sid %q empty or repeated", p.name, sid)
			}
			out[sid] = st
		}
	}
	return out
}

func strs(v interface{}) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []interface{}:
		var out []string
		for _, e := range x {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

func TestOrgGuardrailsNagClean(t *testing.T) {
	requireNagClean(t, orgFixture)
	requireNagClean(t, orgBigFixture)
}

// The eligible-services policy goes to the PHI targets only; the baseline
// policies to every target.
func TestOrgGuardrailsAttachments(t *testing.T) {
	ps := scpsOf(t, orgFixture, orgStack)
	if len(ps) != 2 {
		t.Fatalf("want the eligible-services and one baseline policy, got %d", len(ps))
	}
	all := []string{"111122223333", phiOU, sandboxOU}
	sort.Strings(all)
	for _, p := range ps {
		want := all
		if strings.HasSuffix(p.name, "-eligible-services") {
			want = []string{phiOU}
		}
		if strings.Join(p.targets, ",") != strings.Join(want, ",") {
			t.Errorf("%s attached to %v, want %v", p.name, p.targets, want)
		}
		if p.doc.Version != "2012-10-17" {
			t.Errorf("%s: Version %q", p.name, p.doc.Version)
		}
	}
}

// The eligible-services statement is one NotAction deny whose list is
// exactly the eligibility data's allowed actions: every namespace the synth
// guard admits has its actions in it, and nothing else is in it.
func TestOrgGuardrailsEligibleServicesMatchTheGuard(t *testing.T) {
	sts := statementsBySid(t, scpsOf(t, orgFixture, orgStack))
	st, ok := sts[orgguardrails.SidEligibleServices]
	if !ok {
		t.Fatal("no eligible-services statement")
	}
	if st["Effect"] != "Deny" || st["Resource"] != "*" || st["Action"] != nil || st["Condition"] != nil {
		t.Errorf("want an unconditional Deny NotAction on *, got %v", st)
	}
	got := strs(st["NotAction"])
	if strings.Join(got, ",") != strings.Join(eligibility.AllowedActions(), ",") {
		t.Errorf("NotAction %v\nwant the data's %v", got, eligibility.AllowedActions())
	}
	in := map[string]bool{}
	for _, a := range got {
		in[a] = true
	}
	for _, ns := range eligibility.Namespaces() {
		if eligibility.Check("AWS::"+ns+"::Resource") != nil {
			t.Errorf("the guard refuses %s, which the data lists", ns)
		}
		acts, _ := eligibility.ActionsOfNamespace(ns)
		for _, a := range acts {
			if !in[a] {
				t.Errorf("the guard admits %s but the SCP denies %s", ns, a)
			}
		}
	}
	for _, must := range []string{"rds-db:*", "ssmmessages:*", "kms:*", "logs:*", "s3:*", "iam:*", "sts:*", "cloudformation:*", "organizations:Describe*"} {
		if !in[must] {
			t.Errorf("%s missing: the baseline's own stacks need it", must)
		}
	}
	for _, never := range []string{"organizations:*", "gamelift:*", "lightsail:*", "*"} {
		if in[never] {
			t.Errorf("%s must not be allowed", never)
		}
	}
}

// Every protection statement denies its actions to everyone but the
// break-glass and deployment roles.
func TestOrgGuardrailsProtectionStatements(t *testing.T) {
	sts := statementsBySid(t, scpsOf(t, orgFixture, orgStack))
	cases := map[string][]string{
		orgguardrails.SidCloudTrail:            {"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail"},
		orgguardrails.SidConfig:                {"config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel"},
		orgguardrails.SidGuardDuty:             {"guardduty:DeleteDetector", "guardduty:DisassociateFromAdministratorAccount", "guardduty:DisassociateMembers", "guardduty:UpdateDetector"},
		orgguardrails.SidAuditBuckets:          {"s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy", "s3:PutBucketObjectLockConfiguration", "s3:BypassGovernanceRetention"},
		orgguardrails.SidLogGroups:             {"logs:DeleteLogGroup"},
		orgguardrails.SidKmsKeys:               {"kms:ScheduleKeyDeletion"},
		orgguardrails.SidEbsDefaultEncryption:  {"ec2:DisableEbsEncryptionByDefault"},
		orgguardrails.SidS3AccountPublicAccess: {"s3:PutAccountPublicAccessBlock"},
	}
	for sid, actions := range cases {
		st, ok := sts[sid]
		if !ok {
			t.Errorf("no statement %s", sid)
			continue
		}
		have := strings.Join(strs(st["Action"]), ",")
		for _, a := range actions {
			if !strings.Contains(","+have+",", ","+a+",") {
				t.Errorf("%s does not deny %s (denies %s)", sid, a, have)
			}
		}
		if st["Effect"] != "Deny" {
			t.Errorf("%s: Effect %v", sid, st["Effect"])
		}
		cond, _ := st["Condition"].(map[string]interface{})
		exempt, _ := cond["ArnNotLike"].(map[string]interface{})
		if len(cond) != 1 || strings.Join(strs(exempt["aws:PrincipalArn"]), ",") != breakGlass+","+orgguardrails.DefaultDeploymentRoleArn {
			t.Errorf("%s: condition %v, want ArnNotLike aws:PrincipalArn [break-glass, CDK's cfn-exec role]", sid, cond)
		}
	}
	res := strs(sts[orgguardrails.SidAuditBuckets]["Resource"])
	if strings.Join(res, ",") != "arn:aws:s3:::*-audit-*,arn:aws:s3:::*-audit-*/*" {
		t.Errorf("audit buckets statement on %v", res)
	}
}

func TestOrgGuardrailsHygieneStatements(t *testing.T) {
	sts := statementsBySid(t, scpsOf(t, orgFixture, orgStack))
	leave := sts[orgguardrails.SidLeaveOrganization]
	if leave["Action"] != "organizations:LeaveOrganization" || leave["Condition"] != nil || leave["Effect"] != "Deny" {
		t.Errorf("leave organization: %v (no exemption expected)", leave)
	}
	root := sts[orgguardrails.SidRootUser]
	if root["Action"] != "*" || jsonOf(root["Condition"]) != `{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}` {
		t.Errorf("root user: %v", root)
	}
	region := sts[orgguardrails.SidRegionAllowList]
	if jsonOf(region["Condition"]) != `{"ArnNotLike":{"aws:PrincipalArn":"`+breakGlass+`"},"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}` {
		t.Errorf("region allow-list condition: %v", jsonOf(region["Condition"]))
	}
	global := strs(region["NotAction"])
	if strings.Join(global, ",") != strings.Join(orgguardrails.GlobalServiceActions, ",") {
		t.Errorf("region allow-list exempts %v", global)
	}
	for _, g := range []string{"iam:*", "sts:*", "organizations:*", "cloudfront:*", "route53:*", "support:*"} {
		if !strings.Contains(strings.Join(global, ","), g) {
			t.Errorf("global service %s not exempt from the region allow-list", g)
		}
	}
}

// Every policy fits the SCP limit, measured on the literal text the template
// carries (compact JSON: what AWS counts), and the split keeps each
// statement exactly once, attached to every target.
func TestOrgGuardrailsPoliciesFitTheSizeLimit(t *testing.T) {
	for _, c := range []struct {
		f            *fixture
		stack        string
		wantBaseline int
	}{{orgFixture, orgStack, 1}, {orgBigFixture, orgStackBig, 3}} {
		ps := scpsOf(t, c.f, c.stack)
		baseline := 0
		for _, p := range ps {
			n := orgguardrails.Size(p.content)
			if n > orgguardrails.MaxPolicySize {
				t.Errorf("%s/%s: %d characters > %d", c.stack, p.name, n, orgguardrails.MaxPolicySize)
			}
			if n != len(p.content) || strings.Contains(p.content, "${Token") || strings.Contains(p.content, "Fn::") {
				t.Errorf("%s/%s: content is not literal compact JSON", c.stack, p.name)
			}
			if strings.Contains(p.name, "-guardrails-") {
				baseline++
			}
		}
		if baseline != c.wantBaseline {
			t.Errorf("%s: %d baseline policies, want %d", c.stack, baseline, c.wantBaseline)
		}
		sts := statementsBySid(t, ps)
		if len(sts) != 12 {
			t.Errorf("%s: %d statements, want 12", c.stack, len(sts))
		}
	}
	sts := statementsBySid(t, scpsOf(t, orgBigFixture, orgStackBig))
	if n := len(strs(sts[orgguardrails.SidAuditBuckets]["Resource"])); n != 24 {
		t.Errorf("split fixture: audit bucket statement has %d resources, want 24", n)
	}
}

func TestOrgGuardrailsRejectsBadInput(t *testing.T) {
	with := func(mod func(p *orgguardrails.OrgGuardrailsProps)) *orgguardrails.OrgGuardrailsProps {
		p := guardrailProps()
		mod(p)
		return p
	}
	cases := []struct {
		name  string
		props *orgguardrails.OrgGuardrailsProps
		want  []string
	}{
		{"nil props", nil, []string{"PhiTargetIds", "required"}},
		{"no target", with(func(p *orgguardrails.OrgGuardrailsProps) { p.PhiTargetIds, p.TargetIds = nil, jsii.Strings() }), []string{"PhiTargetIds", "at least one target"}},
		{"malformed ou", with(func(p *orgguardrails.OrgGuardrailsProps) { p.PhiTargetIds = jsii.Strings("ou-PHI") }), []string{"PhiTargetIds", "ou-PHI", "not an organizational unit ID"}},
		{"malformed account", with(func(p *orgguardrails.OrgGuardrailsProps) { p.TargetIds = jsii.Strings("12345") }), []string{"TargetIds", "12345"}},
		{"target twice", with(func(p *orgguardrails.OrgGuardrailsProps) { p.TargetIds = jsii.Strings(phiOU) }), []string{"TargetIds", "also in PhiTargetIds"}},
		{"no break-glass", with(func(p *orgguardrails.OrgGuardrailsProps) { p.BreakGlassRoleArn = nil }), []string{"BreakGlassRoleArn", "required"}},
		{"break-glass is a user", with(func(p *orgguardrails.OrgGuardrailsProps) {
			p.BreakGlassRoleArn = jsii.String("arn:aws:iam::111122223333:user/admin")
		}), []string{"BreakGlassRoleArn", "not an IAM role ARN"}},
		{"break-glass is a wildcard", with(func(p *orgguardrails.OrgGuardrailsProps) { p.BreakGlassRoleArn = jsii.String("arn:aws:iam::*:role/*") }), []string{"BreakGlassRoleArn", "not an IAM role ARN"}},
		{"break-glass token", with(func(p *orgguardrails.OrgGuardrailsProps) {
			p.BreakGlassRoleArn = awscdk.Token_AsString(awscdk.Fn_Ref(jsii.String("Role")), nil)
		}), []string{"BreakGlassRoleArn", "literal"}},
		{"deployment role not a role", with(func(p *orgguardrails.OrgGuardrailsProps) {
			p.DeploymentRoleArns = jsii.Strings("arn:aws:s3:::bucket")
		}), []string{"DeploymentRoleArns", "not an IAM role ARN pattern"}},
		{"deployment role other partition", with(func(p *orgguardrails.OrgGuardrailsProps) {
			p.DeploymentRoleArns = jsii.Strings("arn:aws-cn:iam::*:role/deploy")
		}), []string{"DeploymentRoleArns", "partition"}},
		{"no regions", with(func(p *orgguardrails.OrgGuardrailsProps) { p.AllowedRegions = nil }), []string{"AllowedRegions", "at least one region"}},
		{"empty regions", with(func(p *orgguardrails.OrgGuardrailsProps) { p.AllowedRegions = jsii.Strings() }), []string{"AllowedRegions", "at least one region"}},
		{"unknown region", with(func(p *orgguardrails.OrgGuardrailsProps) { p.AllowedRegions = jsii.Strings("us-east-9") }), []string{"AllowedRegions", "us-east-9", "not a region"}},
		{"region of another partition", with(func(p *orgguardrails.OrgGuardrailsProps) { p.AllowedRegions = jsii.Strings("cn-north-1") }), []string{"AllowedRegions", "cn-north-1"}},
		{"region twice", with(func(p *orgguardrails.OrgGuardrailsProps) { p.AllowedRegions = jsii.Strings("us-east-1", "us-east-1") }), []string{"AllowedRegions", "twice"}},
		{"every bucket", with(func(p *orgguardrails.OrgGuardrailsProps) { p.AuditBucketNamePatterns = jsii.Strings("*") }), []string{"AuditBucketNamePatterns"}},
		{"no buckets", with(func(p *orgguardrails.OrgGuardrailsProps) { p.AuditBucketNamePatterns = jsii.Strings() }), []string{"AuditBucketNamePatterns", "empty"}},
		{"bad name prefix", with(func(p *orgguardrails.OrgGuardrailsProps) { p.PolicyNamePrefix = jsii.String("has space") }), []string{"PolicyNamePrefix"}},
		{"too many policies per target", with(func(p *orgguardrails.OrgGuardrailsProps) {
			var roles []string
			for i := 0; i < 80; i++ {
				roles = append(roles, fmt.Sprintf("arn:aws:iam::*:role/deployment-role-%02d-*", i))
			}
			p.DeploymentRoleArns = jsii.Strings(roles...)
		}), []string{"DeploymentRoleArns", "SCPs per target"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectSynthError(t, func(stack awscdk.Stack) {
				orgguardrails.NewOrgGuardrails(stack, jsii.String("Guardrails"), c.props)
			}, append([]string{"OrgGuardrails", "invalid prop"}, c.want...)...)
		})
	}
}

// The constructor reads its props and never writes them.
func TestOrgGuardrailsDoesNotMutateProps(t *testing.T) {
	p := guardrailProps()
	before := jsonOf(p)
	app := newApp(t)
	orgguardrails.NewOrgGuardrails(awscdk.NewStack(app, jsii.String("S"), nil), jsii.String("G"), p)
	if jsonOf(p) != before {
		t.Errorf("props changed: %s -> %s", before, jsonOf(p))
	}
}
