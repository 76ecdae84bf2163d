package base

import (
	"crypto/md5"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
)

// CDK's logical ID scheme (aws-cdk-lib core, makeUniqueId): the path below
// the stack without "Default" components, hashed, after a human-readable
// part without "Resource" components and repeats.
const (
	hiddenID          = "Default"
	hiddenFromHumanID = "Resource"
	logicalIDHashLen  = 8
	maxHumanLen       = 240
	maxLogicalIDLen   = 255
)

var nonAlphanumeric = regexp.MustCompile(`[^A-Za-z0-9]`)

// LogicalID is the logical ID a stack that allocates IDs the default way
// gives the element at path components below it (construct IDs, stack
// excluded): computed in Go, so a construct can reference many of its own
// resources without a round trip to jsii for each Ref.
func LogicalID(components ...string) string {
	var kept []string
	for _, c := range components {
		if c != hiddenID {
			kept = append(kept, c)
		}
	}
	if len(kept) == 1 {
		if id := nonAlphanumeric.ReplaceAllString(kept[0], ""); len(id) <= maxLogicalIDLen {
			return id
		}
	}
	sum := md5.Sum([]byte(strings.Join(kept, "/")))
	hash := strings.ToUpper(hex.EncodeToString(sum[:]))[:logicalIDHashLen]
	var human strings.Builder
	var last string
	for i, c := range kept {
		if i > 0 && strings.HasSuffix(last, c) { // a repeat of the component before
			continue
		}
		last = c
		if c != hiddenFromHumanID {
			human.WriteString(nonAlphanumeric.ReplaceAllString(c, ""))
		}
	}
	h := human.String()
	if len(h) > maxHumanLen {
		h = h[:maxHumanLen]
	}
	return h + hash
}

// Refs returns a CloudFormation {"Ref": ...} for each of resources, the L1
// resources created directly in scope with the construct IDs ids, computed
// with LogicalID. It checks the first against the stack's own allocation
// (one round trip) and, when the stack allocates IDs its own way (a Stack
// that overrides allocateLogicalId, a renamed ID), reads each Ref from jsii.
func Refs(scope constructs.Construct, resources []awscdk.CfnResource, ids []string) []interface{} {
	out := make([]interface{}, len(resources))
	if len(resources) == 0 {
		return out
	}
	stack := awscdk.Stack_Of(scope)
	scopePath, stackPath := *scope.Node().Path(), *stack.Node().Path()
	var parts []string
	if scopePath != stackPath {
		parts = strings.Split(strings.TrimPrefix(scopePath, stackPath+"/"), "/")
	}
	computed := func(i int) string { return LogicalID(append(append([]string(nil), parts...), ids[i])...) }
	if *stack.GetLogicalId(resources[0]) != computed(0) {
		for i, r := range resources {
			out[i] = r.Ref()
		}
		return out
	}
	for i := range resources {
		out[i] = map[string]interface{}{"Ref": computed(i)}
	}
	return out
}
