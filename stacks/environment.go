package stacks

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
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
	App     *AppStack
	// Isolation holds the emergency disconnection of the tiers (make isolate).
	Isolation *IsolationStack
}

// NewEnvironment validates the profile and creates its stacks.
func NewEnvironment(app awscdk.App, p Profile, target *awscdk.Environment) *Environment {
	return newEnvironment(app, p, target, true)
}

// newEnvironment creates the profile's stacks; without withAppTier only the
// four baseline layers (network, audit, access, data), the stacks issue #21
// measured its jsii round trips on (BenchmarkBaselineRoundTrips).
func newEnvironment(app awscdk.App, p Profile, target *awscdk.Environment, withAppTier bool) *Environment {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	env := &Environment{Profile: p}
	vpc := &hipaavpc.HipaaVpcProps{
		Cidr:                      jsii.String(p.VpcCidr),
		MaxAzs:                    jsii.Number(p.MaxAzs),
		NatGateways:               jsii.Number(p.NatGateways),
		DisableInterfaceEndpoints: jsii.Bool(!p.InterfaceEndpoints),
		FlowLogRetentionDays:      jsii.Number(p.LogRetentionDays),
	}
	if p.FlowLogsInfrequentAccess {
		vpc.FlowLogInfrequentAccess = jsii.Bool(true)
	}
	if p.InterfaceEndpointServices != nil {
		services := append([]hipaavpc.InterfaceEndpoint(nil), p.InterfaceEndpointServices...)
		vpc.InterfaceEndpointServices = &services
	}
	env.Network = NewNetworkStack(app, p.stackName(layerNetwork), p.stackProps(target, "network layer: HipaaVpc and the app-tier security group"), vpc)
	env.Audit = NewAuditStack(app, p.stackName(layerAudit), p.stackProps(target, "audit layer: CloudTrail, security alarms, AWS Config, GuardDuty"), p)
	env.Access = NewAccessStack(app, p.stackName(layerAccess), p.stackProps(target, "access layer: Session Manager bastion, the one human path to the data tier"), p, env.Network)
	env.Data = NewDataStack(app, p.stackName(layerData), p.stackProps(target, "data layer: the PHI database and object store, the only stack that stores PHI"), p, env.Network, env.Access, env.Audit)
	if withAppTier {
		env.App = NewAppStack(app, p.stackName(layerApp), p.stackProps(target, "app layer: the PhiService backend behind an HTTPS load balancer and WAF"), p, env.Network, env.Audit, env.Data)
		// The public edge's isolation switches the app tier's web ACL.
		webAcl, _ := env.App.Service.WebAcl().(awswafv2.CfnWebACL)
		env.Isolation = NewIsolationStack(app, p.stackName(layerIsolation), p.stackProps(target, "isolation layer: emergency disconnection of each tier, audited and reversible"), env.Network, env.Access, env.Audit, webAcl)
	}
	for _, s := range env.Stacks() {
		class := ClassInternal
		if s == env.Data.Stack {
			class = ClassPHI
		}
		// Only the network stack holds a HipaaVpc, whose default-SG lockdown
		// is the one raw resource to tag (TestAppTagsEveryResource fails if
		// another stack gets one): the others skip the lookups.
		p.tag(s, class, s == env.Network.Stack)
		if p.HoldsPhi {
			eligibility.Guard(s)
		}
	}
	return env
}

// Stacks lists the environment's stacks.
func (e *Environment) Stacks() []awscdk.Stack {
	all := []awscdk.Stack{e.Network.Stack, e.Audit.Stack, e.Access.Stack, e.Data.Stack}
	if e.App != nil {
		all = append(all, e.App.Stack, e.Isolation.Stack)
	}
	return all
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

// untaggedTypes take Tags in aws-cdk-lib's spec but not in the schema of
// cfn-lint (which lints every template): load balancer listeners and
// Application Auto Scaling targets. They hold no data; their load balancer
// and service carry the tags.
var untaggedTypes = []string{"AWS::ElasticLoadBalancingV2::Listener", "AWS::ApplicationAutoScaling::ScalableTarget"}

// tag applies the Environment, Project and default DataClassification tags.
// Constructs tag what stores or logs PHI with DataClassification=PHI on the
// resource itself, which takes precedence over this stack-wide default.
func (p Profile) tag(stack awscdk.Stack, class string, rawResources bool) {
	tags := awscdk.Tags_Of(stack)
	opts := &awscdk.TagProps{ExcludeResourceTypes: jsii.Strings(untaggedTypes...)}
	tags.Add(jsii.String(TagEnvironment), jsii.String(p.Name), opts)
	tags.Add(jsii.String(TagProject), jsii.String(Project), opts)
	tags.Add(jsii.String(TagDataClassification), jsii.String(class), opts)
	if rawResources {
		tagRawResources(stack, map[string]string{
			TagEnvironment: p.Name, TagProject: Project, TagDataClassification: class,
		})
	}
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
