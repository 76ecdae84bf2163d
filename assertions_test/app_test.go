package assertions_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// appEnvs are the environments of the app fixture, kept for checks that are
// not in the templates (termination protection).
var appEnvs []*stacks.Environment

// theApp is exactly what `make synth` builds: every environment.
var theApp = newFixture("app", func(app awscdk.App) { appEnvs = stacks.Compose(app) })

// layers are the stacks every environment has, by name suffix.
var layers = []string{"network", "audit", "access", "data", "app", "isolation"}

func TestAppNagClean(t *testing.T) { requireNagClean(t, theApp) }

func TestAppHasEveryEnvironmentAndLayer(t *testing.T) {
	s := theApp.get(t)
	want := map[string]bool{stacks.Guardrails.StackName: true}
	for _, p := range stacks.Profiles {
		for _, l := range layers {
			want[p.Name+"-"+l] = true
		}
	}
	if len(s.templates) != len(want) {
		t.Errorf("stacks %v, want %d (every profile x %v, and the guardrails)", s.stackNames(), len(want), layers)
	}
	for name := range want {
		if _, ok := s.templates[name]; !ok {
			t.Errorf("missing stack %s", name)
		}
	}
}

func TestAppTerminationProtectionWherePhiIsHeld(t *testing.T) {
	theApp.get(t)
	for _, env := range appEnvs {
		for _, st := range env.Stacks() {
			if got := *st.TerminationProtection(); got != env.Profile.HoldsPhi {
				t.Errorf("%s: termination protection %v, want %v (HoldsPhi)", *st.StackName(), got, env.Profile.HoldsPhi)
			}
		}
	}
}

// Every resource that takes tags carries Environment, Project and
// DataClassification with the right values. The class is exact per stack:
// PHI throughout <env>-data; Internal elsewhere, except what stores or logs
// PHI outside the data stack (the bastion's session log, which records
// terminal output). Tags are read from every tag property, list-style (Tags:
// [{Key, Value}]) and map-style (e.g. BackupVaultTags, BackupPlanTags). A
// resource of a type that is tagged elsewhere in the app must be tagged too.
func TestAppTagsEveryResource(t *testing.T) {
	s := theApp.get(t)
	// phiOutsideData are the construct-path suffixes of resources outside the
	// data stack that hold PHI, by layer.
	phiOutsideData := map[string][]string{
		"access": {"/Access/SessionLogGroup/Resource"},
		// The service's logs (container output, WAF records) and access
		// logs (request URLs) can carry PHI; its key encrypts them.
		"app": {"/Service/LogGroup/Resource", "/Service/WafLogGroup/Resource", "/Service/Key/Resource", "/Service/AccessLogBucket/Resource"},
	}

	tagsOf := func(r map[string]interface{}) (map[string]string, []string) {
		var all map[string]string
		var names []string
		for k, v := range props(r) {
			if !strings.HasSuffix(k, "Tags") {
				continue
			}
			if m := tagMap(v); m != nil {
				if all == nil {
					all = map[string]string{}
				}
				for tk, tv := range m {
					all[tk] = tv
				}
				names = append(names, k)
			}
		}
		return all, names
	}
	pathOf := func(r map[string]interface{}) string {
		md, _ := r["Metadata"].(map[string]interface{})
		p, _ := md["aws:cdk:path"].(string)
		return p
	}

	// Types that carry tags anywhere in the app take tags.
	taggable := map[string]bool{}
	for _, tmpl := range s.templates {
		for _, raw := range tmpl["Resources"].(map[string]interface{}) {
			r := raw.(map[string]interface{})
			if tags, _ := tagsOf(r); tags != nil {
				taggable[r["Type"].(string)] = true
			}
		}
	}
	for _, typ := range []string{"AWS::Backup::BackupVault", "AWS::Backup::BackupPlan", "AWS::SSM::Document", "AWS::Logs::LogGroup", "AWS::KMS::Key"} {
		if !taggable[typ] {
			t.Errorf("no %s carries tags anywhere in the app", typ)
		}
	}

	for _, p := range stacks.Profiles {
		for _, l := range layers {
			stack := p.Name + "-" + l
			tagged, phiExceptions, mapStyle := 0, 0, 0
			for id, raw := range s.templates[stack]["Resources"].(map[string]interface{}) {
				r := raw.(map[string]interface{})
				typ, path := r["Type"].(string), pathOf(r)
				tags, tagProps := tagsOf(r)
				if tags == nil {
					if taggable[typ] {
						t.Errorf("%s/%s (%s): no tags, but %s takes tags", stack, id, path, typ)
					}
					continue
				}
				tagged++
				for _, k := range tagProps {
					if k != "Tags" {
						mapStyle++
					}
				}
				if tags[stacks.TagEnvironment] != p.Name || tags[stacks.TagProject] != stacks.Project {
					t.Errorf("%s/%s: tags %v lack Environment=%s/Project=%s", stack, id, tags, p.Name, stacks.Project)
				}
				want := stacks.ClassInternal
				if l == "data" {
					want = stacks.ClassPHI
				}
				for _, suffix := range phiOutsideData[l] {
					if strings.HasSuffix(path, suffix) {
						want = stacks.ClassPHI
						phiExceptions++
					}
				}
				if c := tags[stacks.TagDataClassification]; c != want {
					t.Errorf("%s/%s (%s, %s): DataClassification %q, want %q", stack, id, typ, path, c, want)
				}
				// Backup recovery points are copies of the PHI database.
				if typ == "AWS::Backup::BackupPlan" {
					plan, _ := props(r)["BackupPlan"].(map[string]interface{})
					rules, _ := plan["BackupPlanRule"].([]interface{})
					if len(rules) == 0 {
						t.Errorf("%s/%s: backup plan without rules", stack, id)
					}
					for _, rule := range rules {
						rt := tagMap(rule.(map[string]interface{})["RecoveryPointTags"])
						if rt[stacks.TagDataClassification] != stacks.ClassPHI {
							t.Errorf("%s/%s: recovery point tags %v, want DataClassification=PHI", stack, id, rt)
						}
					}
				}
			}
			if tagged == 0 {
				t.Errorf("%s: no tagged resource at all", stack)
			}
			if n := len(phiOutsideData[l]); phiExceptions != n {
				t.Errorf("%s: %d PHI resources outside the data stack found, want %d (%v)", stack, phiExceptions, n, phiOutsideData[l])
			}
			// The data stack's AWS Backup vault and plan take map-style tags.
			if l == "data" && mapStyle < 2 {
				t.Errorf("%s: %d map-style tag properties checked, want the backup vault's and plan's", stack, mapStyle)
			}
		}
	}
}

// tagMap reads CloudFormation tags into a map: a Tags list ([{Key, Value}])
// or a map-style tag property ({key: value}, e.g. BackupVaultTags). Anything
// else (no tags, a boolean like CopyTagsToSnapshot) is nil.
func tagMap(v interface{}) map[string]string {
	switch tv := v.(type) {
	case []interface{}:
		out := map[string]string{}
		for _, e := range tv {
			if m, ok := e.(map[string]interface{}); ok {
				out[fmt.Sprint(m["Key"])] = fmt.Sprint(m["Value"])
			}
		}
		return out
	case map[string]interface{}:
		out := map[string]string{}
		for k, val := range tv {
			out[k] = fmt.Sprint(val)
		}
		return out
	}
	return nil
}

// What `cdk deploy -c env=dev` builds with credentials: stacks pinned to the
// CLI's account and region (here given as context). It must pass the same
// gates as the environment-agnostic synth.
var pinnedDev = newFixture("app-dev-pinned", func(app awscdk.App) {
	app.Node().SetContext(jsii.String(stacks.ContextEnv), "dev")
	app.Node().SetContext(jsii.String("account"), "123456789012")
	app.Node().SetContext(jsii.String("region"), "us-east-1")
	stacks.Compose(app)
})

func TestAppPinnedToAnAccountIsNagClean(t *testing.T) {
	requireNagClean(t, pinnedDev)
	s := pinnedDev.get(t)
	if len(s.templates) != len(layers) {
		t.Errorf("pinned dev app has stacks %v, want the %d dev layers", s.stackNames(), len(layers))
	}
	for _, name := range s.stackNames() {
		if !strings.HasPrefix(name, "dev-") {
			t.Errorf("-c env=dev synthesized %s", name)
		}
	}
	// Pinned: the subnets name concrete AZs instead of Fn::GetAZs.
	for _, sn := range resourcesOf(s.template(t, "dev-network"), "AWS::EC2::Subnet") {
		if _, ok := props(sn)["AvailabilityZone"].(string); !ok {
			t.Errorf("subnet AZ %v is not concrete: the stack is not pinned", props(sn)["AvailabilityZone"])
		}
	}
}

// Each layer holds its construct, and PHI stores live only in the data stack.
func TestAppEachStackHoldsItsLayer(t *testing.T) {
	s := theApp.get(t)
	holds := map[string][]string{
		"network":   {"AWS::EC2::VPC", "AWS::EC2::FlowLog"},
		"audit":     {"AWS::CloudTrail::Trail", "AWS::Config::ConfigRule", "AWS::GuardDuty::Detector"},
		"access":    {"AWS::EC2::Instance", "AWS::SSM::Document"},
		"data":      {"AWS::Backup::BackupPlan"},
		"app":       {"AWS::ECS::Service", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation"},
		"isolation": {"AWS::SSM::Document", "AWS::Events::Rule"},
	}
	for _, p := range stacks.Profiles {
		for layer, types := range holds {
			tmpl := s.template(t, p.Name+"-"+layer)
			for _, typ := range types {
				if len(resourcesOf(tmpl, typ)) == 0 {
					t.Errorf("%s-%s holds no %s", p.Name, layer, typ)
				}
			}
		}
		for _, layer := range layers {
			tmpl := s.template(t, p.Name+"-"+layer)
			dbs := len(resourcesOf(tmpl, "AWS::RDS::DBInstance")) + len(resourcesOf(tmpl, "AWS::RDS::DBCluster"))
			if (layer == "data") != (dbs > 0) {
				t.Errorf("%s-%s: %d databases; only the data stack stores PHI", p.Name, layer, dbs)
			}
		}
	}
}
