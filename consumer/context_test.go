package consumer

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// contextOf reads the "context" object of a cdk.json-shaped file, or the
// whole file when it is a flat map of flags.
func contextOf(t *testing.T, path string, key string) map[string]interface{} {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]interface{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	if key != "" {
		out, _ = out[key].(map[string]interface{})
	}
	if len(out) == 0 {
		t.Fatalf("%s has no feature flags", path)
	}
	return out
}

// portalTemplates synthesizes the portal and its variants in app and
// returns their templates without what the CLI or the app (not the
// constructs) adds: construct-path metadata and the CDKMetadata resource.
func portalTemplates(t *testing.T, app awscdk.App) map[string]map[string]interface{} {
	t.Helper()
	NewPortal(app, "portal")
	NewPortalVariants(app, "portal-variants")
	defer removeAll(*app.Outdir())
	assembly := app.Synth(nil)
	out := map[string]map[string]interface{}{}
	for _, name := range []string{"portal", "portal-variants"} {
		out[name] = stripAppMetadata(assembly.GetStackByName(jsii.String(name)).Template().(map[string]interface{}))
	}
	return out
}

func stripAppMetadata(tmpl map[string]interface{}) map[string]interface{} {
	resources := tmpl["Resources"].(map[string]interface{})
	delete(resources, "CDKMetadata")
	for _, r := range resources {
		if md, ok := r.(map[string]interface{})["Metadata"].(map[string]interface{}); ok {
			delete(md, "aws:cdk:path")
			if len(md) == 0 {
				delete(r.(map[string]interface{}), "Metadata")
			}
		}
	}
	delete(tmpl, "Conditions") // CDKMetadataAvailable
	return tmpl
}

// The constructs synthesize the same templates in an app with no context
// at all (awscdk.NewApp(nil), as `go test` of a cdk init app does), with the
// feature flags `cdk init` of the pinned CLI writes, and with this
// repository's cdk.json.
func TestSameTemplateWithAnyFeatureFlags(t *testing.T) {
	bare := portalTemplates(t, awscdk.NewApp(nil))
	for name, ctx := range map[string]map[string]interface{}{
		"cdk init":            contextOf(t, "../node_modules/aws-cdk/lib/init-templates/.recommended-feature-flags.json", ""),
		"repository cdk.json": contextOf(t, "../cdk.json", "context"),
	} {
		got := portalTemplates(t, awscdk.NewApp(&awscdk.AppProps{Context: &ctx}))
		for stack := range bare {
			diffTemplates(t, name+" "+stack, bare[stack], got[stack], teamResources...)
		}
	}
}

// teamResources are the logical-ID prefixes of what the team's own code
// creates beside the constructs (a key, a topic, a security group, imports):
// their templates follow the app's feature flags, as they should.
var teamResources = []string{"TeamKey", "OpsTopic", "AppTier"}

// diffTemplates reports every resource that differs between two templates,
// except those whose logical ID starts with one of skip.
func diffTemplates(t *testing.T, name string, want, got map[string]interface{}, skip ...string) {
	t.Helper()
	wr, gr := want["Resources"].(map[string]interface{}), got["Resources"].(map[string]interface{})
	ids := map[string]bool{}
	for id := range wr {
		ids[id] = true
	}
	for id := range gr {
		ids[id] = true
	}
	var sorted []string
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	for _, id := range sorted {
		if hasAnyPrefix(id, skip) {
			continue
		}
		if !reflect.DeepEqual(wr[id], gr[id]) {
			a, _ := json.Marshal(wr[id])
			b, _ := json.Marshal(gr[id])
			t.Errorf("%s: resource %s differs from the app with no context:\n  none: %s\n  %s: %s", name, id, a, name, b)
		}
	}
	for _, k := range []string{"Outputs", "Parameters", "Rules", "Mappings"} {
		if !reflect.DeepEqual(want[k], got[k]) {
			t.Errorf("%s: template section %s differs from the app with no context", name, k)
		}
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func removeAll(dir string) { _ = os.RemoveAll(dir) }
