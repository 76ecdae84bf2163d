package stacks

import (
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// rawTaggableTypes are resource types that take a Tags list but that CDK
// emits as raw CfnResources (custom-resource providers) which Tags.of cannot
// reach.
var rawTaggableTypes = map[string]bool{"AWS::IAM::Role": true, "AWS::Lambda::Function": true}

// rawTagger writes the stack's tags onto raw CfnResources, so that "every
// resource is tagged" holds for CDK's own helpers too.
type rawTagger struct{ tags map[string]string }

func (r *rawTagger) Visit(node constructs.IConstruct) {
	res, ok := node.(awscdk.CfnResource)
	if !ok || !rawTaggableTypes[*res.CfnResourceType()] || *awscdk.TagManager_IsTaggable(res) {
		return
	}
	keys := make([]string, 0, len(r.tags))
	for k := range r.tags {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic template
	list := make([]map[string]string, 0, len(keys))
	for _, k := range keys {
		list = append(list, map[string]string{"Key": k, "Value": r.tags[k]})
	}
	res.AddPropertyOverride(jsii.String("Tags"), list)
}
