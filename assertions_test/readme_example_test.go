package assertions_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/compliance"
)

// README example: begin
func newPatientPortalNetwork(app awscdk.App) *hipaavpc.HipaaVpc {
	stack := awscdk.NewStack(app, jsii.String("patient-portal-network"), nil)
	return hipaavpc.NewHipaaVpc(stack, jsii.String("Network"), &hipaavpc.HipaaVpcProps{
		Cidr:        jsii.String("10.42.0.0/16"),
		NatGateways: jsii.Number(1), // one shared NAT gateway: cheaper, less available
	})
}

// README example: end

// The README's library example compiles (it is this file's code), appears in
// the README verbatim, and synthesizes clean.
func TestReadmeExample(t *testing.T) {
	src, err := os.ReadFile("readme_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "// README example: begin\n", "// README example: end"
	s := string(src)
	example := strings.TrimSpace(s[strings.Index(s, begin)+len(begin) : strings.Index(s, end)])
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), example) {
		t.Errorf("README.md does not contain the example of readme_example_test.go verbatim:\n%s", example)
	}
	app := newApp(t)
	net := newPatientPortalNetwork(app)
	if net.Vpc() == nil {
		t.Fatal("no VPC")
	}
	compliance.ApplyHipaaChecks(app)
	if _, findings := compliance.Synth(app); len(findings) > 0 {
		t.Errorf("the README example has findings: %v", findings)
	}
}
