package base

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// check is a synth-time validation written as a Go function that returns
// one message per violation. jsii calls it back through a pointer.
type check struct{ fn func() []string }

// Validate implements constructs.IValidation.
func (c *check) Validate() *[]*string {
	msgs := c.fn()
	return jsii.Strings(msgs...)
}

// AddValidation runs fn when the app synthesizes, after every change the
// caller made to the tree: a message fails synth naming this construct.
func AddValidation(c constructs.IConstruct, fn func() []string) {
	c.Node().AddValidation(&check{fn})
}

// AllConstructs lists every construct of the app c belongs to: a caller may
// have added something that touches c anywhere in it.
func AllConstructs(c constructs.IConstruct) []constructs.IConstruct {
	return *c.Node().Root().Node().FindAll(constructs.ConstructOrder_PREORDER)
}
