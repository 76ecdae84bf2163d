package base

import (
	"reflect"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Values the constructs read or make many times over, each once per
// construct or stack: every read is a round trip to the jsii kernel. Keys are
// the Go values jsii hands out, one per JavaScript object, so an entry never
// outlives the objects it was read from: a new app (or a new jsii kernel
// after jsii.Close) has new values and misses.
var memo struct {
	sync.Mutex
	stacks     map[constructs.IConstruct]awscdk.Stack
	accounts   map[awscdk.Stack]*string
	regions    map[awscdk.Stack]*string
	durations  map[stackValue]awscdk.Duration
	principals map[stackKey]awsiam.ServicePrincipal
	roots      map[awscdk.Stack]awsiam.AccountRootPrincipal
	strings    map[stackKey]*string
	apps       map[awscdk.Stack]constructs.IConstruct // the app each stack is in
}

type stackValue struct {
	stack awscdk.Stack
	days  float64
}

type stackKey struct {
	stack awscdk.Stack
	key   string
}

// StackOf is awscdk.Stack_Of(c), read once per construct.
func StackOf(c constructs.IConstruct) awscdk.Stack {
	if c == nil || !reflect.TypeOf(c).Comparable() { // not a map key: read it
		return awscdk.Stack_Of(c)
	}
	memo.Lock()
	s, ok := memo.stacks[c]
	memo.Unlock()
	if ok {
		return s
	}
	s = awscdk.Stack_Of(c)
	memo.Lock()
	if memo.stacks == nil {
		memo.stacks = map[constructs.IConstruct]awscdk.Stack{}
	}
	memo.stacks[c] = s
	memo.Unlock()
	return s
}

func readOnce(m *map[awscdk.Stack]*string, stack awscdk.Stack, read func() *string) *string {
	memo.Lock()
	v, ok := (*m)[stack]
	memo.Unlock()
	if ok {
		return v
	}
	v = read()
	memo.Lock()
	if *m == nil {
		*m = map[awscdk.Stack]*string{}
	}
	(*m)[stack] = v
	memo.Unlock()
	return v
}

// Account is stack.Account(), read once per stack.
func Account(stack awscdk.Stack) *string { return readOnce(&memo.accounts, stack, stack.Account) }

// Region is stack.Region(), read once per stack.
func Region(stack awscdk.Stack) *string { return readOnce(&memo.regions, stack, stack.Region) }

// Days is awscdk.Duration_Days(days), made once per stack of scope: a
// Duration is immutable, so the constructs of a stack can share one.
func Days(scope constructs.IConstruct, days float64) awscdk.Duration {
	key := stackValue{StackOf(scope), days}
	memo.Lock()
	defer memo.Unlock()
	d, ok := memo.durations[key]
	if !ok {
		d = awscdk.Duration_Days(jsii.Number(days))
		if memo.durations == nil {
			memo.durations = map[stackValue]awscdk.Duration{}
		}
		memo.durations[key] = d
	}
	return d
}

// Service is awsiam.NewServicePrincipal(service) without options, made once
// per stack of scope: a principal is immutable, so statements can share one.
func Service(scope constructs.IConstruct, service string) awsiam.ServicePrincipal {
	key := stackKey{StackOf(scope), service}
	memo.Lock()
	defer memo.Unlock()
	p, ok := memo.principals[key]
	if !ok {
		p = awsiam.NewServicePrincipal(jsii.String(service), nil)
		if memo.principals == nil {
			memo.principals = map[stackKey]awsiam.ServicePrincipal{}
		}
		memo.principals[key] = p
	}
	return p
}

// AccountRoot is awsiam.NewAccountRootPrincipal(), made once per stack of
// scope (the key policies' administration statement names it).
func AccountRoot(scope constructs.IConstruct) awsiam.AccountRootPrincipal {
	stack := StackOf(scope)
	memo.Lock()
	defer memo.Unlock()
	p, ok := memo.roots[stack]
	if !ok {
		p = awsiam.NewAccountRootPrincipal()
		if memo.roots == nil {
			memo.roots = map[awscdk.Stack]awsiam.AccountRootPrincipal{}
		}
		memo.roots[stack] = p
	}
	return p
}

// StringOnce is read(), read once per stack and key: for a value such as an
// ARN the stack formats the same way for every construct in it.
func StringOnce(stack awscdk.Stack, key string, read func() *string) *string {
	k := stackKey{stack, key}
	memo.Lock()
	v, ok := memo.strings[k]
	memo.Unlock()
	if ok {
		return v
	}
	v = read()
	memo.Lock()
	if memo.strings == nil {
		memo.strings = map[stackKey]*string{}
	}
	memo.strings[k] = v
	memo.Unlock()
	return v
}

// RootOf is the root of c's construct tree (the app), read once per stack.
func RootOf(c constructs.IConstruct) constructs.IConstruct {
	stack := StackOf(c)
	memo.Lock()
	r, ok := memo.apps[stack]
	memo.Unlock()
	if ok {
		return r
	}
	r = stack.Node().Root()
	memo.Lock()
	if memo.apps == nil {
		memo.apps = map[awscdk.Stack]constructs.IConstruct{}
	}
	memo.apps[stack] = r
	memo.Unlock()
	return r
}

// PathOf is the construct path of the stack, read once per stack.
func PathOf(stack awscdk.Stack) string {
	return *StringOnce(stack, "path", func() *string { return stack.Node().Path() })
}
