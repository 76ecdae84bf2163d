package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsrds"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
)

// What PhiDatabase enforces is checked again at synth, after the caller's
// own changes; the passing side is every PhiDatabase fixture, which
// synthesizes clean.
func TestPhiDatabaseGuardFailsSynthOnLaterChanges(t *testing.T) {
	build := func(change func(stack awscdk.Stack, n dbNetwork, db *phidatabase.PhiDatabase)) func(app awscdk.App) {
		return func(app awscdk.App) {
			stack := awscdk.NewStack(app, jsii.String("S"), nil)
			n := newDbNetwork(stack)
			db := phidatabase.NewPhiDatabase(stack, jsii.String("Db"), n.props())
			change(stack, n, db)
		}
	}
	cases := []struct {
		name   string
		change func(stack awscdk.Stack, n dbNetwork, db *phidatabase.PhiDatabase)
		want   []string
	}{
		{"AllowDefaultPortFrom a third group", func(stack awscdk.Stack, n dbNetwork, db *phidatabase.PhiDatabase) {
			worker := awsec2.NewSecurityGroup(stack, jsii.String("Worker"), &awsec2.SecurityGroupProps{Vpc: n.net.Vpc()})
			db.Database().Connections().AllowDefaultPortFrom(worker, nil)
		}, []string{"S/Db", "PhiDatabase", "third door"}},
		{"a CIDR rule on the database group", func(stack awscdk.Stack, n dbNetwork, db *phidatabase.PhiDatabase) {
			db.SecurityGroup().AddIngressRule(awsec2.Peer_Ipv4(jsii.String("10.0.0.0/8")), awsec2.Port_Tcp(jsii.Number(5432)), nil, nil)
		}, []string{"third door", "10.0.0.0/8"}},
		{"an ingress resource in another stack", func(stack awscdk.Stack, n dbNetwork, db *phidatabase.PhiDatabase) {
			other := awscdk.NewStack(stack.Node().Scope().(awscdk.App), jsii.String("Other"), nil)
			awsec2.NewCfnSecurityGroupIngress(other, jsii.String("Door"), &awsec2.CfnSecurityGroupIngressProps{
				GroupId: db.SecurityGroup().SecurityGroupId(), IpProtocol: jsii.String("tcp"),
				FromPort: jsii.Number(5432), ToPort: jsii.Number(5432), CidrIp: jsii.String("10.9.0.0/16"),
			})
		}, []string{"third door", "Other/Door"}},
		{"an allowed group on another port", func(stack awscdk.Stack, n dbNetwork, db *phidatabase.PhiDatabase) {
			db.SecurityGroup().AddIngressRule(n.app, awsec2.Port_Tcp(jsii.Number(22)), nil, nil)
		}, []string{"third door"}},
		{"an outbound rule", func(stack awscdk.Stack, n dbNetwork, db *phidatabase.PhiDatabase) {
			db.SecurityGroup().AddEgressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(443)), nil, nil)
		}, []string{"outbound rule"}},
		{"storage key overridden", func(stack awscdk.Stack, n dbNetwork, db *phidatabase.PhiDatabase) {
			db.Instance().Node().DefaultChild().(awsrds.CfnDBInstance).SetKmsKeyId(jsii.String("alias/aws/rds"))
		}, []string{"no longer encrypted with EncryptionKey"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectValidationError(t, build(c.change), append([]string{"PhiDatabase"}, c.want...)...)
		})
	}
}

// A storage size given as a token is honoured: the template carries the
// parameter, not the default.
func TestPhiDatabaseHonoursStorageTokens(t *testing.T) {
	app := newApp(t)
	stack := awscdk.NewStack(app, jsii.String("S"), nil)
	p := newDbNetwork(stack).props()
	p.AllocatedStorageGiB = awscdk.NewCfnParameter(stack, jsii.String("StorageGiB"), &awscdk.CfnParameterProps{Type: jsii.String("Number")}).ValueAsNumber()
	phidatabase.NewPhiDatabase(stack, jsii.String("Db"), p)
	tmpl := app.Synth(nil).GetStackByName(stack.StackName()).Template().(map[string]interface{})
	for _, r := range tmpl["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		if res["Type"] == "AWS::RDS::DBInstance" {
			got := props(res)["AllocatedStorage"]
			if refTo(got) != "StorageGiB" {
				t.Errorf("AllocatedStorage = %v, want {Ref: StorageGiB}", got)
			}
		}
	}
}
