package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phiservice"
)

// What PhiService enforces is checked again at synth, after the caller's
// own changes; the passing side is every PhiService fixture (and two
// services sharing one app-tier group, below), which synthesize clean.
func TestPhiServiceGuardFailsSynthOnLaterChanges(t *testing.T) {
	type change func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService)
	build := func(c change) func(app awscdk.App) {
		return func(app awscdk.App) {
			stack := awscdk.NewStack(app, jsii.String("S"), nil)
			e := newSvcEnv(stack)
			c(stack, e, phiservice.NewPhiService(stack, jsii.String("Service"), e.props()))
		}
	}
	cases := []struct {
		name   string
		change change
		want   []string
	}{
		{"a CIDR admitted to the tasks", func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService) {
			awsec2.NewCfnSecurityGroupIngress(stack, jsii.String("Door"), &awsec2.CfnSecurityGroupIngressProps{
				GroupId: e.app.SecurityGroupId(), IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(8080), ToPort: jsii.Number(8080), CidrIp: jsii.String("10.0.0.0/8"),
			})
		}, []string{"app-tier security group admits", "S/Door"}},
		{"the bastion admitted to the tasks", func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService) {
			e.app.AddIngressRule(e.bastion, awsec2.Port_Tcp(jsii.Number(8080)), nil, nil)
		}, []string{"app-tier security group admits"}},
		{"extra egress", func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService) {
			e.app.AddEgressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(25)), nil, nil)
		}, []string{"inline outbound rule"}},
		{"public IP override", func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService) {
			svc.Service().Node().DefaultChild().(awsecs.CfnService).SetNetworkConfiguration(&awsecs.CfnService_NetworkConfigurationProperty{
				AwsvpcConfiguration: &awsecs.CfnService_AwsVpcConfigurationProperty{
					AssignPublicIp: jsii.String("ENABLED"), Subnets: jsii.Strings("subnet-1"),
				},
			})
		}, []string{"public IP"}},
		{"secret-looking variable added later", func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService) {
			svc.TaskDefinition().(awsecs.FargateTaskDefinition).DefaultContainer().AddEnvironment(jsii.String("DB_PASSWORD"), jsii.String("hunter2"))
		}, []string{"DB_PASSWORD", "Secrets"}},
		{"a plain HTTP listener", func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService) {
			svc.LoadBalancer().(awselasticloadbalancingv2.ApplicationLoadBalancer).AddListener(jsii.String("Plain"), &awselasticloadbalancingv2.BaseApplicationListenerProps{
				Port: jsii.Number(8080), Protocol: awselasticloadbalancingv2.ApplicationProtocol_HTTP, Open: jsii.Bool(false),
				DefaultAction: awselasticloadbalancingv2.ListenerAction_FixedResponse(jsii.Number(200), nil),
			})
		}, []string{"does more than redirect"}},
		{"TLS policy overridden", func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService) {
			svc.Listener().Node().DefaultChild().(awselasticloadbalancingv2.CfnListener).SetSslPolicy(jsii.String("ELBSecurityPolicy-2016-08"))
		}, []string{"below 1.2"}},
		{"invalid headers kept", func(stack awscdk.Stack, e svcEnv, svc *phiservice.PhiService) {
			svc.LoadBalancer().(awselasticloadbalancingv2.ApplicationLoadBalancer).SetAttribute(jsii.String("routing.http.drop_invalid_header_fields.enabled"), jsii.String("false"))
		}, []string{"drop_invalid_header_fields"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectValidationError(t, build(c.change), append([]string{"PhiService"}, c.want...)...)
		})
	}
}

// Two services may share the app-tier group: each admits its own load
// balancer, and neither guard flags the other's rules.
var svcShared = newFixture("phisvc-shared-group", func(app awscdk.App) {
	stack := awscdk.NewStack(app, jsii.String("SvcShared"), nil)
	e := newSvcEnv(stack)
	phiservice.NewPhiService(stack, jsii.String("Api"), e.props())
	p := e.props()
	p.ContainerPort = jsii.Number(9000)
	phiservice.NewPhiService(stack, jsii.String("Admin"), p)
})

func TestPhiServiceSharedGroupIsClean(t *testing.T) { requireNagClean(t, svcShared) }
