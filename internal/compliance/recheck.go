package compliance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/cloudformationinclude"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// TreeRules are the HIPAA Security rules that read the construct tree instead
// of the template, so they cannot hold on a template loaded on its own. The
// re-check excludes them, each with the reason; the in-app gate still runs
// them, and where the template can show the same thing the re-check's test
// asserts it directly.
var TreeRules = map[string]string{
	RulePrefix + "VPCDefaultSecurityGroupClosed": "The rule looks for a RestrictDefaultSecurityGroupCustomResource child of the L2 Vpc " +
		"that owns the AWS::EC2::VPC. An included VPC's parent is the CfnInclude, so the rule fails every VPC whatever " +
		"the template says; the re-check asserts the template-level equivalent instead (a Custom::VpcRestrictDefaultSG " +
		"on the VPC's DefaultSecurityGroup).",
}

// IncludeForRecheck adds a stack named name to app holding the synthesized
// template at templateFile as CloudFormation would read it: every resource
// becomes its L1 construct, whatever CDK construct produced it, so the HIPAA
// pack sees resources CDK emits as raw CfnResources (custom-resource
// providers) that the in-app aspect skips. The resources keep their logical
// IDs and Metadata, hence their own cdk_nag suppressions. TreeRules are
// suppressed on the stack. The adapted copy of the template is written to
// scratchDir.
func IncludeForRecheck(app awscdk.App, name, templateFile, scratchDir string) awscdk.Stack {
	raw, err := os.ReadFile(templateFile)
	if err != nil {
		panic(err)
	}
	var tmpl interface{}
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		panic(fmt.Errorf("%s: %w", templateFile, err))
	}
	adapted, err := json.Marshal(policyContentAsObject(importStackOutputs(tmpl)))
	if err != nil {
		panic(err)
	}
	copyFile := filepath.Join(scratchDir, name+".template.json")
	if err := os.WriteFile(copyFile, adapted, 0o644); err != nil {
		panic(err)
	}
	// No bootstrap parameter of its own: the template brings BootstrapVersion.
	stack := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
		Synthesizer: awscdk.NewBootstraplessSynthesizer(nil),
	})
	cloudformationinclude.NewCfnInclude(stack, jsii.String("Template"), &cloudformationinclude.CfnIncludeProps{
		TemplateFile: jsii.String(copyFile),
	})
	var excluded []*cdknag.NagPackSuppression
	for _, rule := range sortedKeys(TreeRules) {
		excluded = append(excluded, &cdknag.NagPackSuppression{Id: jsii.String(rule), Reason: jsii.String(TreeRules[rule])})
	}
	cdknag.NagSuppressions_AddStackSuppressions(stack, &excluded, nil)
	return stack
}

// importStackOutputs rewrites {"Fn::GetStackOutput": {StackName, OutputName}},
// which CDK emits for cross-stack references and cloudformation-include cannot
// parse, into the equivalent {"Fn::ImportValue": "<stack>:<output>"}: to a
// rule both are an unresolved value owned by another stack (the re-check's
// test compares every verdict with the in-app gate's).
func importStackOutputs(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		if ref, ok := t["Fn::GetStackOutput"].(map[string]interface{}); ok && len(t) == 1 {
			return map[string]interface{}{"Fn::ImportValue": fmt.Sprintf("%v:%v", ref["StackName"], ref["OutputName"])}
		}
		out := make(map[string]interface{}, len(t))
		for k, e := range t {
			out[k] = importStackOutputs(e)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			out[i] = importStackOutputs(e)
		}
		return out
	}
	return v
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// policyContentAsObject parses the Content of every AWS::Organizations::Policy
// given as a JSON string (OrgGuardrails writes its policies as literal text,
// which CloudFormation accepts) into an object: CfnInclude builds the L1
// CfnPolicy, whose Content must be an object. The re-check's copy only.
func policyContentAsObject(tmpl interface{}) interface{} {
	t, _ := tmpl.(map[string]interface{})
	resources, _ := t["Resources"].(map[string]interface{})
	for _, r := range resources {
		res, _ := r.(map[string]interface{})
		if res["Type"] != "AWS::Organizations::Policy" {
			continue
		}
		props, _ := res["Properties"].(map[string]interface{})
		if text, ok := props["Content"].(string); ok {
			var doc interface{}
			if err := json.Unmarshal([]byte(text), &doc); err == nil {
				props["Content"] = doc
			}
		}
	}
	return tmpl
}
