// Package orgguardrails provides OrgGuardrails: the service control
// policies (AWS Organizations) a management account attaches to the OUs or
// accounts of a HIPAA baseline.
//
//	guardrails := orgguardrails.NewOrgGuardrails(stack, jsii.String("Guardrails"), &orgguardrails.OrgGuardrailsProps{
//		PhiTargetIds:      jsii.Strings("ou-ab12-phiworkloads"), // accounts that hold PHI
//		TargetIds:         jsii.Strings("ou-ab12-sandboxes1"),   // accounts without PHI
//		BreakGlassRoleArn: jsii.String("arn:aws:iam::*:role/break-glass"),
//		AllowedRegions:    jsii.Strings("us-east-1", "us-west-2"),
//	})
//	// guardrails.Policies() are the rendered policies (name, content and
//	// Sids); guardrails.CfnPolicies() the AWS::Organizations::Policy resources.
//
// PHI targets get the eligible-services policy: a deny of every action
// outside the HIPAA-eligible services and the control plane, generated from
// internal/eligibility, the same data as the synth-time eligibility guard.
// Every target gets the baseline policies: the audit controls (CloudTrail,
// AWS Config, GuardDuty, the audit buckets, log groups, KMS keys, EBS
// default encryption, the S3 account public-access block) can be weakened
// only by the break-glass and deployment roles; no principal may leave the
// organization or act as the root user, and only the allowed regions may
// be used. The statements are packed into as few policies as the
// 5,120-character SCP limit allows.
//
// The value is a construct: deploy it in a stack of the management account.
// Bad props panic at synth with a *validation.Error before anything is
// created. See README.md in this directory for every prop, default and
// statement.
package orgguardrails

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsorganizations"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// PolicyType is the AWS Organizations policy type of every policy.
const PolicyType = "SERVICE_CONTROL_POLICY"

// OrgGuardrails is the set of service control policies and their attachments.
type OrgGuardrails struct {
	constructs.Construct
	policies []Policy
	cfn      []awsorganizations.CfnPolicy
}

// NewOrgGuardrails creates the policies, attached to the targets. Invalid
// props panic with a *validation.Error that names OrgGuardrails and the
// prop, before any resource is created.
func NewOrgGuardrails(scope constructs.Construct, id *string, props *OrgGuardrailsProps) *OrgGuardrails {
	if scope == nil || id == nil || *id == "" {
		validate.Must(fail("scope/id", "a scope and a non-empty id are required"))
	}
	s, err := resolve(props)
	validate.MustAt(scope, id, err)
	policies, err := s.policies()
	validate.MustAt(scope, id, err)

	this := &OrgGuardrails{policies: policies}
	base.Init(this, scope, id)
	all := append(append([]*string{}, s.phiTargets...), s.otherTargets...)
	baselineN := 0
	for _, p := range policies {
		targets := all
		description := "HIPAA baseline: protects the audit controls and the organization (" + joinSids(p.Sids) + ")"
		baselineN++
		logicalID := fmt.Sprintf("Guardrails%d", baselineN)
		if p.Phi {
			baselineN--
			targets = s.phiTargets
			description = "HIPAA baseline: only HIPAA-eligible services and the control plane, for accounts that hold PHI"
			logicalID = "EligibleServices"
		}
		cfn := awsorganizations.NewCfnPolicy(this, jsii.String(logicalID), &awsorganizations.CfnPolicyProps{
			Name:        jsii.String(p.Name),
			Type:        jsii.String(PolicyType),
			Description: jsii.String(truncate(description, maxDescription)),
			Content:     map[string]interface{}{}, // replaced below
			TargetIds:   &targets,
		})
		// The literal, compact text measured against the limit, written as
		// it is: CloudFormation takes the policy as a JSON object or a JSON
		// string, the L1 only an object, which CDK would render with its
		// keys in Go's map order (not deterministic).
		cfn.AddPropertyOverride(jsii.String("Content"), jsii.String(p.Content))
		this.cfn = append(this.cfn, cfn)
	}
	return this
}

// maxDescription is AWS Organizations' limit on a policy description.
const maxDescription = 512

func joinSids(sids []string) string {
	out := ""
	for i, s := range sids {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Policies returns the rendered policies, the eligible-services policy
// first (when there are PHI targets).
func (g *OrgGuardrails) Policies() []Policy { return append([]Policy(nil), g.policies...) }

// CfnPolicies returns the AWS::Organizations::Policy resources, in the
// order of Policies.
func (g *OrgGuardrails) CfnPolicies() []awsorganizations.CfnPolicy {
	return append([]awsorganizations.CfnPolicy(nil), g.cfn...)
}
