// Package eligibility guards the PHI boundary: a stack of an environment
// that holds PHI may contain only resources of HIPAA-eligible AWS services.
package eligibility

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
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

// guarded records, per app (its root construct), the stacks whose
// templates may hold only HIPAA-eligible services.
var (
	mu      sync.Mutex
	guarded = map[constructs.IConstruct]map[string]bool{}
)

// Guard marks stack as one of an environment that holds PHI: once the app
// is synthesized, TemplateFindings refuses any resource of its template
// whose service is not eligible. The check reads the synthesized template
// (pure JSON) instead of visiting the construct tree, which would call back
// into Go for every construct and read every resource's type from Node.
func Guard(stack awscdk.Stack) {
	root, id := stack.Node().Root(), *stack.ArtifactId()
	mu.Lock()
	defer mu.Unlock()
	if guarded[root] == nil {
		guarded[root] = map[string]bool{}
	}
	guarded[root][id] = true
}

// Guarded reports whether stack was marked with Guard.
func Guarded(stack awscdk.Stack) bool {
	root, id := stack.Node().Root(), *stack.ArtifactId()
	mu.Lock()
	defer mu.Unlock()
	return guarded[root][id]
}

// GuardedArtifacts lists the artifact IDs of the stacks of app marked with
// Guard, sorted.
func GuardedArtifacts(app constructs.IConstruct) []string {
	mu.Lock()
	defer mu.Unlock()
	var out []string
	for id := range guarded[app.Node().Root()] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// TemplateFindings checks every resource of a synthesized template and
// returns one synth error per resource of a service that is not eligible,
// naming its construct path (or logical ID) and the service.
func TemplateFindings(stackName string, template map[string]interface{}) []string {
	resources, _ := template["Resources"].(map[string]interface{})
	ids := make([]string, 0, len(resources))
	for id := range resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []string
	for _, id := range ids {
		r, _ := resources[id].(map[string]interface{})
		typ, _ := r["Type"].(string)
		if err := Check(typ); err != nil {
			where := stackName + "/" + id
			if md, ok := r["Metadata"].(map[string]interface{}); ok {
				if p, ok := md["aws:cdk:path"].(string); ok {
					where = p
				}
			}
			out = append(out, fmt.Sprintf("%s: HIPAA eligibility: %s: %v. A stack of an environment that holds PHI may use only HIPAA-eligible services.",
				stackName, where, err))
		}
	}
	return out
}
