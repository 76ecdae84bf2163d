package stacks

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/eligibility"
)

// Tag keys every resource carries.
const (
	TagEnvironment        = "Environment"
	TagProject            = "Project"
	TagDataClassification = "DataClassification"
	ClassPHI              = "PHI"
	ClassInternal         = "Internal"
)

// Environment is one profile's set of stacks.
type Environment struct {
	Profile Profile
	Network *NetworkStack
	Audit   *AuditStack
	Access  *AccessStack
	Data    *DataStack
	// Isolation holds the emergency disconnection of the tiers (make isolate).
	Isolation *IsolationStack
}

// NewEnvironment validates the profile and creates its stacks.
func NewEnvironment(app awscdk.App, p Profile, target *awscdk.Environment) *Environment {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	env := &Environment{Profile: p}
	env.Network = NewNetworkStack(app, p.stackName(layerNetwork), p.stackProps(target, "network layer: HipaaVpc and the app-tier security group"), &hipaavpc.HipaaVpcProps{
		Cidr:                      jsii.String(p.VpcCidr),
		MaxAzs:                    jsii.Number(p.MaxAzs),
		NatGateways:               jsii.Number(p.NatGateways),
		DisableInterfaceEndpoints: jsii.Bool(!p.InterfaceEndpoints),
		FlowLogRetentionDays:      jsii.Number(p.LogRetentionDays),
	})
	env.Audit = NewAuditStack(app, p.stackName(layerAudit), p.stackProps(target, "audit layer: CloudTrail, security alarms, AWS Config, GuardDuty"), p)
	env.Access = NewAccessStack(app, p.stackName(layerAccess), p.stackProps(target, "access layer: Session Manager bastion, the one human path to the data tier"), p, env.Network)
	env.Data = NewDataStack(app, p.stackName(layerData), p.stackProps(target, "data layer: the PHI database and object store, the only stack that stores PHI"), p, env.Network, env.Access, env.Audit)
	// The app tier's web ACL is not composed here yet: pass it instead of nil
	// to give the public edge its isolation documents.
	env.Isolation = NewIsolationStack(app, p.stackName(layerIsolation), p.stackProps(target, "isolation layer: emergency disconnection of each tier, audited and reversible"), env.Network, env.Access, env.Audit, nil)
	for _, s := range env.Stacks() {
		class := ClassInternal
		if s == env.Data.Stack {
			class = ClassPHI
		}
		p.tag(s, class)
		if p.HoldsPhi {
			eligibility.Guard(s)
		}
	}
	return env
}

// Stacks lists the environment's stacks.
func (e *Environment) Stacks() []awscdk.Stack {
	return []awscdk.Stack{e.Network.Stack, e.Audit.Stack, e.Access.Stack, e.Data.Stack, e.Isolation.Stack}
}

// stackProps gives every stack of the profile its account/region (when known),
// description and termination protection (on where PHI is held).
func (p Profile) stackProps(target *awscdk.Environment, description string) *awscdk.StackProps {
	return &awscdk.StackProps{
		Env:                   target,
		Description:           jsii.String(p.Name + " " + description + " (" + Project + ")"),
		TerminationProtection: jsii.Bool(p.HoldsPhi),
	}
}

// tag applies the Environment, Project and default DataClassification tags.
// Constructs tag what stores or logs PHI with DataClassification=PHI on the
// resource itself, which takes precedence over this stack-wide default.
func (p Profile) tag(stack awscdk.Stack, class string) {
	tags := awscdk.Tags_Of(stack)
	tags.Add(jsii.String(TagEnvironment), jsii.String(p.Name), nil)
	tags.Add(jsii.String(TagProject), jsii.String(Project), nil)
	tags.Add(jsii.String(TagDataClassification), jsii.String(class), nil)
	tagRawResources(stack, map[string]string{
		TagEnvironment: p.Name, TagProject: Project, TagDataClassification: class,
	})
}

// DeployTarget pins stacks to an account and region when they are given as
// context (-c account=... -c region=...) or by the CDK CLI
// (CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION); otherwise (nil) the templates stay
// environment-agnostic.
func DeployTarget(app awscdk.App) *awscdk.Environment {
	account, region := os.Getenv("CDK_DEFAULT_ACCOUNT"), os.Getenv("CDK_DEFAULT_REGION")
	if v, ok := app.Node().TryGetContext(jsii.String("account")).(string); ok && v != "" {
		account = v
	}
	if v, ok := app.Node().TryGetContext(jsii.String("region")).(string); ok && v != "" {
		region = v
	}
	if account == "" || region == "" {
		return nil
	}
	return &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}
}
