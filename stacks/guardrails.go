package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/orgguardrails"
)

// GuardrailsSettings are the organization guardrails' settings: the
// management account's counterpart of a Profile. The stack deploys to the
// management account (the only account that can create and attach service
// control policies) and guards the OUs that hold the environments' accounts.
type GuardrailsSettings struct {
	// StackName is the stack's name; `-c env=<StackName>` selects it alone.
	StackName string
	// Account and Region pin the stack to the management account. Empty:
	// taken from context or the CDK CLI when the stack is synthesized alone
	// (`make synth ENV=org-guardrails`), else environment-agnostic.
	Account, Region string
	// PhiTargetIds are the OUs (or accounts) whose accounts hold PHI: the
	// staging and prod workload accounts. They get the eligible-services SCP
	// and the guardrails.
	PhiTargetIds []string
	// TargetIds are the OUs (or accounts) without PHI: dev (synthetic data),
	// the log-archive and security-tooling accounts. They get the guardrails.
	TargetIds []string
	// BreakGlassRoleArn is the emergency role exempt from the guardrails.
	BreakGlassRoleArn string
	// AllowedRegions are the regions the guarded accounts may use.
	AllowedRegions []string
}

// Guardrails are the settings `make synth` builds. The OU IDs are
// placeholders (as the alarm email is): replace them with your
// organization's, from `aws organizations list-organizational-units-for-parent`.
var Guardrails = GuardrailsSettings{
	StackName:         "org-guardrails",
	PhiTargetIds:      []string{"ou-xmpl-phiworkloads"},                  // replace with your PHI workloads OU (staging, prod)
	TargetIds:         []string{"ou-xmpl-workloads", "ou-xmpl-security"}, // replace with your non-PHI workloads OU (dev) and security OU (log archive, security tooling)
	BreakGlassRoleArn: "arn:aws:iam::*:role/hipaa-baseline-break-glass",  // create this role in every account, trusted only by your incident process
	AllowedRegions:    []string{"us-east-1", "us-west-2"},
}

// ClassManagement is the DataClassification of the management account's
// resources: organization configuration, never PHI.
const ClassManagement = "Internal"

// GuardrailsStack is the management account's stack: OrgGuardrails.
type GuardrailsStack struct {
	awscdk.Stack
	Guardrails *orgguardrails.OrgGuardrails
}

// NewGuardrailsStack creates the organization guardrails stack. It carries
// no eligibility guard: the management account holds no PHI (no workload
// runs there) and AWS Organizations, a control-plane service, is what it
// configures; a PHI account's stack could never create these resources.
func NewGuardrailsStack(scope constructs.Construct, g GuardrailsSettings, target *awscdk.Environment) *GuardrailsStack {
	if g.Account != "" {
		target = &awscdk.Environment{Account: jsii.String(g.Account), Region: jsii.String(g.Region)}
	}
	stack := awscdk.NewStack(scope, jsii.String(g.StackName), &awscdk.StackProps{
		Env:         target,
		Description: jsii.String("organization guardrails: service control policies for the HIPAA baseline's OUs, deployed to the management account (" + Project + ")"),
		// Deleting the stack would detach every guardrail.
		TerminationProtection: jsii.Bool(true),
	})
	gp := &orgguardrails.OrgGuardrailsProps{
		BreakGlassRoleArn: jsii.String(g.BreakGlassRoleArn),
		AllowedRegions:    jsii.Strings(g.AllowedRegions...),
	}
	if len(g.PhiTargetIds) > 0 {
		gp.PhiTargetIds = jsii.Strings(g.PhiTargetIds...)
	}
	if len(g.TargetIds) > 0 {
		gp.TargetIds = jsii.Strings(g.TargetIds...)
	}
	s := &GuardrailsStack{Stack: stack, Guardrails: orgguardrails.NewOrgGuardrails(stack, jsii.String("Guardrails"), gp)}
	tags := awscdk.Tags_Of(stack)
	tags.Add(jsii.String(TagEnvironment), jsii.String("organization"), nil)
	tags.Add(jsii.String(TagProject), jsii.String(Project), nil)
	tags.Add(jsii.String(TagDataClassification), jsii.String(ClassManagement), nil)
	return s
}
