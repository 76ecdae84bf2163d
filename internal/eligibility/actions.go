package eligibility

import "sort"

// Namespaces returns the CloudFormation namespaces the guard admits
// (eligible and control-plane), sorted.
func Namespaces() []string {
	var out []string
	for _, list := range [][]Service{Eligible, ControlPlane} {
		for _, s := range list {
			out = append(out, s.Namespaces...)
		}
	}
	sort.Strings(out)
	return out
}

// Actions returns the IAM action patterns of services: "prefix:*" for each
// prefix, then the explicit patterns, in the data's order.
func Actions(services []Service) []string {
	var out []string
	for _, s := range services {
		for _, p := range s.Prefixes {
			out = append(out, p+":*")
		}
		out = append(out, s.Actions...)
	}
	return out
}

// AllowedActions are the actions the eligible-services SCP leaves alone:
// every eligible service's, then the control plane's. Everything else is
// denied in an account that holds PHI.
func AllowedActions() []string {
	return append(Actions(Eligible), Actions(ControlPlane)...)
}

// ActionsOfNamespace returns the IAM action patterns of the service that
// owns the CloudFormation namespace ns, and whether one does.
func ActionsOfNamespace(ns string) ([]string, bool) {
	for _, list := range [][]Service{Eligible, ControlPlane} {
		for _, s := range list {
			for _, n := range s.Namespaces {
				if n == ns {
					return Actions([]Service{s}), true
				}
			}
		}
	}
	return nil, false
}
