package bastionaccess

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
)

// sessionManagerServices are the interface endpoints the SSM agent needs
// when it has no internet egress.
var sessionManagerServices = []string{"ssm", "ssmmessages", "ec2messages"}

// endpointService reads the service of an endpoint's ServiceName,
// "com.amazonaws.<region>.<service>", where CDK may append a token (a
// partition-dependent suffix) to the name.
var endpointService = regexp.MustCompile(`\.([a-z0-9-]+)(\$\{Token\[[^\]]+\]\})*$`)

// sessionPreferences is one per account and region.
var sessionPreferences = &base.Singleton{What: "the Session Manager preferences document " + SessionDocumentName}

// guardReach fails synth when the bastion could never register with Session
// Manager: without EndpointSecurityGroup and without NAT egress its HTTPS
// egress goes to the app subnets only, so the VPC must have interface
// endpoints for every service the agent calls. For a VPC imported from
// outside the app the endpoints cannot be seen: a warning says so.
func (b *BastionAccess) guardReach(t *base.Tree, vpc awsec2.IVpc) []string {
	if _, ok := vpc.Node().DefaultChild().(awsec2.CfnVPC); !ok {
		awscdk.Annotations_Of(b).AddWarningV2(jsii.String("hipaa-baseline:bastionEndpoints"), jsii.String(fmt.Sprintf(
			"%s: the VPC is imported; the bastion reaches Session Manager only if it has interface endpoints for %s in the app subnets",
			constructName, strings.Join(sessionManagerServices, ", "))), nil)
		return nil
	}
	vpcID := *vpc.VpcId()
	found := map[string]bool{}
	for _, c := range t.Constructs() {
		ep, ok := c.(awsec2.CfnVPCEndpoint)
		if !ok {
			continue
		}
		props := t.Props(ep)
		service, _ := props["serviceName"].(string)
		if props["vpcId"] != vpcID || service == "" {
			continue
		}
		if m := endpointService.FindStringSubmatch(service); m != nil {
			found[m[1]] = true
		}
	}
	var missing []string
	for _, svc := range sessionManagerServices {
		if !found[svc] {
			missing = append(missing, svc)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s: the bastion can never reach Session Manager: the VPC has no interface endpoint for %s and the bastion has no internet egress; "+
		"keep HipaaVpc's interface endpoints and pass EndpointSecurityGroup, or (for an environment without PHI) set AllowHttpsEgressThroughNat",
		constructName, strings.Join(missing, ", "))}
}
