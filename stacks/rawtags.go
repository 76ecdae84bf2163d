package stacks

import (
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// rawResources are the resources CDK emits as raw CfnResources, which take a
// Tags list but which Tags_Of cannot reach: the custom-resource provider of
// the default-security-group lockdown (one per stack that has a HipaaVpc),
// by its construct ID and its children's.
var rawResources = map[string][]string{
	"Custom::VpcRestrictDefaultSGCustomResourceProvider": {"Role", "Handler"},
}

// tagRawResources writes the stack's tags onto its raw CfnResources, so that
// "every resource is tagged" holds for CDK's own helpers too. They are found
// by name, not by visiting the tree: an aspect would call back into Go for
// every construct of the app. TestAppTagsEveryResource fails when CDK adds
// a raw resource this list does not name.
func tagRawResources(stack awscdk.Stack, tags map[string]string) {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic template
	list := make([]map[string]string, 0, len(keys))
	for _, k := range keys {
		list = append(list, map[string]string{"Key": k, "Value": tags[k]})
	}
	for provider, children := range rawResources {
		p := stack.Node().TryFindChild(jsii.String(provider))
		if p == nil {
			continue
		}
		for _, child := range children {
			if res, ok := p.Node().TryFindChild(jsii.String(child)).(awscdk.CfnResource); ok {
				res.AddPropertyOverride(jsii.String("Tags"), list)
			}
		}
	}
}
