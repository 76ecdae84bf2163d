package eligibility

import (
	"regexp"
	"strings"
	"testing"
)

var (
	prefixRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	namespaceRe = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	actionRe    = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z*]+$`)
)

// The data is well formed: each prefix and namespace once, in the form AWS
// uses, every eligible service with both, every control-plane entry reasoned.
func TestDataIsWellFormed(t *testing.T) {
	seenPrefix, seenNs := map[string]string{}, map[string]string{}
	for _, list := range [][]Service{Eligible, ControlPlane} {
		for _, s := range list {
			for _, p := range s.Prefixes {
				if !prefixRe.MatchString(p) {
					t.Errorf("%s: prefix %q is not an IAM service prefix", s.Name, p)
				}
				if other, dup := seenPrefix[p]; dup {
					t.Errorf("prefix %s under both %s and %s", p, other, s.Name)
				}
				seenPrefix[p] = s.Name
			}
			for _, a := range s.Actions {
				if !actionRe.MatchString(a) {
					t.Errorf("%s: action %q is not an IAM action pattern", s.Name, a)
				}
			}
			for _, ns := range s.Namespaces {
				if !namespaceRe.MatchString(ns) {
					t.Errorf("%s: namespace %q is not a CloudFormation namespace", s.Name, ns)
				}
				if other, dup := seenNs[ns]; dup {
					t.Errorf("namespace %s under both %s and %s", ns, other, s.Name)
				}
				seenNs[ns] = s.Name
			}
		}
	}
	for _, s := range Eligible {
		if len(s.Namespaces) == 0 || len(s.Prefixes) == 0 || len(s.Actions) != 0 || s.Why != "" {
			t.Errorf("eligible %s: needs namespaces and whole prefixes, no partial actions and no Why", s.Name)
		}
	}
	for _, s := range ControlPlane {
		if s.Why == "" {
			t.Errorf("control plane %s: say why it is exempt", s.Name)
		}
	}
}

// The guard and the SCP agree: every namespace the guard admits has its
// actions among the SCP's allowed actions, every allowed action belongs to
// an entry of the data, and Check admits exactly the data's namespaces.
func TestGuardAndScpAgree(t *testing.T) {
	allowed := map[string]bool{}
	for _, a := range AllowedActions() {
		allowed[a] = true
	}
	for _, ns := range Namespaces() {
		if err := Check("AWS::" + ns + "::Thing"); err != nil {
			t.Errorf("namespace %s is in the data but the guard refuses it: %v", ns, err)
		}
		acts, ok := ActionsOfNamespace(ns)
		if !ok {
			t.Errorf("namespace %s has no service", ns)
		}
		if ns != "CDK" && len(acts) == 0 {
			t.Errorf("namespace %s: the guard admits it but the SCP would deny every one of its API calls", ns)
		}
		for _, a := range acts {
			if !allowed[a] {
				t.Errorf("namespace %s: action %s is not allowed by the SCP", ns, a)
			}
		}
	}
	// The guard's maps are exactly the data (no namespace admitted beside it).
	if len(hipaaEligible)+len(controlPlane) != len(Namespaces()) {
		t.Errorf("the guard admits %d namespaces, the data has %d", len(hipaaEligible)+len(controlPlane), len(Namespaces()))
	}
	for _, typ := range []string{"AWS::GameLift::Fleet", "AWS::Lightsail::Instance", "AWS::Organizations::Policy", "AWS::SES::ConfigurationSet"} {
		if Check(typ) == nil {
			t.Errorf("%s is admitted but not in the data", typ)
		}
	}
	// Nothing in the allowed actions that the data does not list.
	n := 0
	for _, list := range [][]Service{Eligible, ControlPlane} {
		n += len(Actions(list))
	}
	if len(allowed) != n || len(AllowedActions()) != n {
		t.Errorf("allowed actions %d, data %d (duplicates?)", len(allowed), n)
	}
	for a := range allowed {
		if strings.Contains(a, " ") {
			t.Errorf("action %q has a space", a)
		}
	}
}
