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
	apps       map[awscdk.Stack]constructs.IConstruct // the app each stack is in
	durations  map[stackValue]awscdk.Duration
	principals map[stackKey]awsiam.ServicePrincipal
	roots      map[awscdk.Stack]awsiam.AccountRootPrincipal
	strings    map[stackKey]*string
}

type stackValue struct {
	stack awscdk.Stack
	days  float64
}

type stackKey struct {
	stack awscdk.Stack
	key   string
}

// cached returns (*m)[k], made by make on the first call. make runs without
// the lock held: it calls into jsii, which may call back into Go.
func cached[K comparable, V any](m *map[K]V, k K, make func() V) V {
	memo.Lock()
	v, ok := (*m)[k]
	memo.Unlock()
	if ok {
		return v
	}
	v = make()
	memo.Lock()
	defer memo.Unlock()
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
	return v
}

// StackOf is awscdk.Stack_Of(c), read once per construct.
func StackOf(c constructs.IConstruct) awscdk.Stack {
	if c == nil || !reflect.TypeOf(c).Comparable() { // not a map key: read it
		return awscdk.Stack_Of(c)
	}
	return cached(&memo.stacks, c, func() awscdk.Stack { return awscdk.Stack_Of(c) })
}

// StringOnce is read(), read once per stack and key: for a value such as an
// ARN the stack formats the same way for every construct in it.
func StringOnce(stack awscdk.Stack, key string, read func() *string) *string {
	return cached(&memo.strings, stackKey{stack, key}, read)
}

// Account is stack.Account(), read once per stack.
func Account(stack awscdk.Stack) *string { return StringOnce(stack, "account", stack.Account) }

// Region is stack.Region(), read once per stack.
func Region(stack awscdk.Stack) *string { return StringOnce(stack, "region", stack.Region) }

// PathOf is the construct path of the stack, read once per stack.
func PathOf(stack awscdk.Stack) string {
	return *StringOnce(stack, "path", func() *string { return stack.Node().Path() })
}

// RootOf is the root of c's construct tree (the app), read once per stack.
func RootOf(c constructs.IConstruct) constructs.IConstruct {
	stack := StackOf(c)
	return cached(&memo.apps, stack, func() constructs.IConstruct { return stack.Node().Root() })
}

// Days is awscdk.Duration_Days(days), made once per stack of scope: a
// Duration is immutable, so the constructs of a stack can share one.
func Days(scope constructs.IConstruct, days float64) awscdk.Duration {
	return cached(&memo.durations, stackValue{StackOf(scope), days}, func() awscdk.Duration {
		return awscdk.Duration_Days(jsii.Number(days))
	})
}

// Service is awsiam.NewServicePrincipal(service) without options, made once
// per stack of scope: a principal is immutable, so statements can share one.
func Service(scope constructs.IConstruct, service string) awsiam.ServicePrincipal {
	return cached(&memo.principals, stackKey{StackOf(scope), service}, func() awsiam.ServicePrincipal {
		return awsiam.NewServicePrincipal(jsii.String(service), nil)
	})
}

// AccountRoot is awsiam.NewAccountRootPrincipal(), made once per stack of
// scope (the key policies' administration statement names it).
func AccountRoot(scope constructs.IConstruct) awsiam.AccountRootPrincipal {
	return cached(&memo.roots, StackOf(scope), func() awsiam.AccountRootPrincipal {
		return awsiam.NewAccountRootPrincipal()
	})
}
