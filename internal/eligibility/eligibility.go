// Package eligibility guards the PHI boundary: a stack of an environment
// that holds PHI may contain only resources of HIPAA-eligible AWS services.
package eligibility

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Check returns nil when resourceType belongs to a HIPAA-eligible (or
// control-plane) service, else an error naming the type and its service.
// Custom resources run on AWS Lambda, which is eligible.
func Check(resourceType string) error {
	if strings.HasPrefix(resourceType, "Custom::") || resourceType == "AWS::CloudFormation::CustomResource" {
		return nil
	}
	parts := strings.Split(resourceType, "::")
	if len(parts) != 3 || parts[0] != "AWS" {
		return fmt.Errorf("resource type %s is not an AWS resource type; only HIPAA-eligible AWS services may be used", resourceType)
	}
	service := parts[1]
	if _, ok := hipaaEligible[service]; ok {
		return nil
	}
	if _, ok := controlPlane[service]; ok {
		return nil
	}
	return fmt.Errorf("service %s (%s) is not on AWS's HIPAA Eligible Services list used by this library", service, resourceType)
}

// Guard is an aspect that adds a synth error to every resource of a
// non-eligible service. Apply it to the stacks of environments that hold PHI.
type guard struct{}

// NewGuard returns the aspect.
func NewGuard() awscdk.IAspect { return &guard{} }

func (g *guard) Visit(node constructs.IConstruct) {
	res, ok := node.(awscdk.CfnResource)
	if !ok {
		return
	}
	if err := Check(*res.CfnResourceType()); err != nil {
		awscdk.Annotations_Of(node).AddError(jsii.String(fmt.Sprintf(
			"HIPAA eligibility: %s: %v. A stack of an environment that holds PHI may use only HIPAA-eligible services.",
			*node.Node().Path(), err)))
	}
}

// IsHipaaEligibilityGuard marks the aspect so tests can find it on a stack.
func (g *guard) IsHipaaEligibilityGuard() bool { return true }
