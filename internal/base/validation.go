package base

import (
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// check is a synth-time validation written as a Go function that returns
// one message per violation. jsii calls it back through a pointer.
type check struct {
	fn   func(*Tree) []string
	tree *appChecks
}

// Validate implements constructs.IValidation.
func (c *check) Validate() *[]*string {
	msgs := c.fn(c.tree.begin(c))
	c.tree.end()
	return jsii.Strings(msgs...)
}

// AddValidation runs fn when the app synthesizes, after every change the
// caller made to the tree: a message fails synth naming this construct.
func AddValidation(c constructs.IConstruct, fn func() []string) {
	AddTreeValidation(c, func(*Tree) []string { return fn() })
}

// AddTreeValidation is AddValidation for a check that looks at the whole app
// (what a caller may have added anywhere): fn gets the app's Tree as it is
// when the app synthesizes.
func AddTreeValidation(c constructs.IConstruct, fn func(*Tree) []string) {
	t := checksOf(RootOf(c))
	t.mu.Lock()
	t.registered++
	t.mu.Unlock()
	c.Node().AddValidation(&check{fn: fn, tree: t})
}

// Tree is an app's constructs as one synth's validation pass sees them,
// listed once and with each L1 resource's properties read once, however many
// checks of the app look: every guard of every construct would otherwise
// list the app and read the same properties again, each a round trip to the
// jsii kernel.
type Tree struct {
	root  constructs.IConstruct
	all   []constructs.IConstruct
	props map[awscdk.CfnResource]map[string]interface{}
}

// Constructs lists every construct of the app, in preorder.
func (t *Tree) Constructs() []constructs.IConstruct {
	if t.all == nil {
		t.all = *t.root.Node().FindAll(constructs.ConstructOrder_PREORDER)
	}
	return t.all
}

// Props is the resource's properties as it will render them (camelCase
// keys; tokens unresolved), after every setter the caller used.
func (t *Tree) Props(r awscdk.CfnResource) map[string]interface{} {
	p, ok := t.props[r]
	if !ok {
		if raw := r.CfnProperties(); raw != nil {
			p = *raw
		}
		t.props[r] = p
	}
	return p
}

// appChecks are the checks registered in one app (by its root) and the Tree
// of the validation pass under way.
type appChecks struct {
	mu         sync.Mutex
	root       constructs.IConstruct
	registered int
	ran        map[*check]bool // in the current pass
	tree       *Tree
}

var (
	appsMu sync.Mutex
	apps   = map[constructs.IConstruct]*appChecks{}
)

func checksOf(root constructs.IConstruct) *appChecks {
	appsMu.Lock()
	defer appsMu.Unlock()
	t, ok := apps[root]
	if !ok {
		t = &appChecks{root: root}
		apps[root] = t
	}
	return t
}

// begin returns the Tree of the current pass. CDK runs every check once per
// synth, so a pass ends when each registered check has run; a check that
// runs again starts a new pass too. A new pass lists the tree afresh. (A
// nested Stage synthesized on its own runs only its checks: a later synth of
// the app whose first checks were not among them reuses that listing, which
// matters only if the tree changed in between.)
func (a *appChecks) begin(c *check) *Tree {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tree == nil || a.ran[c] {
		a.tree = &Tree{root: a.root, props: map[awscdk.CfnResource]map[string]interface{}{}}
		a.ran = map[*check]bool{}
	}
	a.ran[c] = true
	return a.tree
}

// end lets the pass's Tree go once every registered check has run.
func (a *appChecks) end() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.ran) >= a.registered {
		a.tree = nil
	}
}
