// Package base turns a construct's Go struct into a construct of its own in
// the jsii object graph, and pins the CDK behaviour its templates rely on.
package base

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Init creates the construct node for this, a pointer to a struct that
// embeds constructs.Construct, under scope. It uses jsii's subclassing entry
// point (NewConstruct_Override) so the Go value itself is registered as the
// JavaScript construct: it can then be passed wherever CDK takes a construct
// (Tags_Of, NewCfnOutput, Aspects_Of, Node().AddDependency, cdk-nag
// suppressions). Wrapping a construct made by NewConstruct instead registers
// only the embedded value, and jsii panics when the wrapper is passed.
//
// Init also sets, on this construct's own node, the feature flags given
// (those whose default would change the construct's template, see
// flags.go), so the template is the same in an app with no cdk.json
// context, with the flags of `cdk init`, or with this repository's.
func Init(this constructs.Construct, scope constructs.Construct, id *string, flags ...Flag) {
	constructs.NewConstruct_Override(this, scope, id)
	if len(flags) == 0 {
		return
	}
	node := this.Node()
	for _, f := range flags {
		node.SetContext(jsii.String(f.name), f.value)
	}
}
