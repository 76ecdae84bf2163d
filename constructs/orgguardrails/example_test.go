package orgguardrails_test

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/orgguardrails"
	"github.com/healthstack-oss/hipaa-baseline/internal/testmain"
)

func TestMain(m *testing.M) { os.Exit(testmain.Run(m)) }

// The guardrails of an organization with one OU of PHI workloads and one of
// sandboxes, deployed in the management account: the PHI OU gets the
// eligible-services policy and the baseline policy, the sandboxes only the
// baseline policy.
func ExampleNewOrgGuardrails() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("org-guardrails"), nil)
	orgguardrails.NewOrgGuardrails(stack, jsii.String("Guardrails"), &orgguardrails.OrgGuardrailsProps{
		PhiTargetIds:      jsii.Strings("ou-ab12-phiworkloads"), // accounts that hold PHI
		TargetIds:         jsii.Strings("ou-ab12-sandboxes1"),   // accounts without PHI
		BreakGlassRoleArn: jsii.String("arn:aws:iam::*:role/break-glass"),
		AllowedRegions:    jsii.Strings("us-east-1", "us-west-2"),
	})

	var lines []string
	scps := true
	for _, r := range *assertions.Template_FromStack(stack, nil).FindResources(jsii.String("AWS::Organizations::Policy"), nil) {
		p := (*r)["Properties"].(map[string]interface{})
		content := p["Content"].(string)
		var doc struct{ Statement []json.RawMessage }
		if err := json.Unmarshal([]byte(content), &doc); err != nil {
			panic(err)
		}
		scps = scps && p["Type"] == orgguardrails.PolicyType && orgguardrails.Size(content) <= orgguardrails.MaxPolicySize
		lines = append(lines, fmt.Sprintf("%s: %d statements, targets %v", p["Name"], len(doc.Statement), p["TargetIds"]))
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Println("every policy an SCP within", orgguardrails.MaxPolicySize, "characters:", scps)
	// Output:
	// hipaa-baseline-eligible-services: 1 statements, targets [ou-ab12-phiworkloads]
	// hipaa-baseline-guardrails-1: 11 statements, targets [ou-ab12-phiworkloads ou-ab12-sandboxes1]
	// every policy an SCP within 5120 characters: true
}
