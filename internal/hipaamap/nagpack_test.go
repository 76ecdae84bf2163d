package hipaamap

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Regenerate nag-hipaa-rules.json (go generate ./internal/hipaamap):
//
//	go test ./internal/hipaamap -run TestNagPackListMatchesPinnedModule -update-nag-pack
var updateNagPack = flag.Bool("update-nag-pack", false, "rewrite nag-hipaa-rules.json from the pinned cdk-nag-go module")

const (
	nagModule   = "github.com/cdklabs/cdk-nag-go/cdknag/v2"
	nagPackFile = "package/lib/packs/hipaa-security.js"
)

// pinnedNagVersion is the cdk-nag-go version that go.mod requires.
func pinnedNagVersion(t *testing.T) string {
	t.Helper()
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?` + regexp.QuoteMeta(nagModule) + `\s+(v\S+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatalf("go.mod does not require %s", nagModule)
	}
	return string(m[1])
}

// nagTarball is the path of the jsii bundle inside the module cache. The Go
// module embeds the npm tarball of cdk-nag at the same version.
func nagTarball(version string) (string, error) {
	cache := os.Getenv("GOMODCACHE")
	if cache == "" {
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			return "", fmt.Errorf("go env GOMODCACHE: %w", err)
		}
		cache = strings.TrimSpace(string(out))
	}
	// The module path is all lower case, so it needs no case-escaping.
	return filepath.Join(cache, filepath.FromSlash(nagModule)+"@"+version, "jsii", "cdk-nag-"+strings.TrimPrefix(version, "v")+".tgz"), nil
}

var (
	rePackName   = regexp.MustCompile(`this\.packName\s*=\s*['"]([^'"]+)['"]`)
	reRule       = regexp.MustCompile(`\brule:\s*[\w$]+\.(\w+)\s*,`)
	reSuffix     = regexp.MustCompile(`\bruleSuffixOverride:\s*['"](\w+)['"]`)
	reInfo       = regexp.MustCompile(`(?m)^\s*info:\s*(.*)$`)
	reCitation   = regexp.MustCompile(`164\.3\d\d(?:\([0-9a-zA-Z]+\))+`)
	reApplyStart = regexp.MustCompile(`this\.applyRule\(\{`)
)

// extractNagPack reads the HIPAA Security pack's source out of the cdk-nag
// tarball: the pack name, and for each applyRule call the rule (its ID is
// pack name, '-', ruleSuffixOverride or the rule's name, as NagPack.applyRule
// builds it) and the control IDs its info names.
func extractNagPack(tgz []byte) (pack string, rules []NagRule, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return "", nil, err
	}
	tr := tar.NewReader(zr)
	var src []byte
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, err
		}
		if h.Name == nagPackFile {
			if src, err = io.ReadAll(tr); err != nil {
				return "", nil, err
			}
			break
		}
	}
	if src == nil {
		return "", nil, fmt.Errorf("%s not in the tarball", nagPackFile)
	}
	m := rePackName.FindSubmatch(src)
	if m == nil {
		return "", nil, fmt.Errorf("%s: no packName", nagPackFile)
	}
	pack = string(m[1])
	starts := reApplyStart.FindAllIndex(src, -1)
	byID := map[string]*NagRule{}
	var order []string
	for i, st := range starts {
		end := len(src)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		block := src[st[1]:end]
		rm := reRule.FindSubmatch(block)
		if rm == nil {
			return "", nil, fmt.Errorf("%s: applyRule call %d names no rule", nagPackFile, i+1)
		}
		name := string(rm[1])
		if sm := reSuffix.FindSubmatch(block); sm != nil {
			name = string(sm[1])
		}
		id := pack + "-" + name
		r, ok := byID[id]
		if !ok {
			r = &NagRule{ID: id, Citations: []string{}}
			byID[id] = r
			order = append(order, id)
		}
		if im := reInfo.FindSubmatch(block); im != nil {
			for _, c := range reCitation.FindAll(im[1], -1) {
				r.Citations = appendNew(r.Citations, string(c))
			}
		}
	}
	if len(order) == 0 {
		return "", nil, fmt.Errorf("%s: no applyRule call", nagPackFile)
	}
	sort.Strings(order)
	for _, id := range order {
		sort.Strings(byID[id].Citations)
		rules = append(rules, *byID[id])
	}
	return pack, rules, nil
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

func marshalNagPack(p NagPack) []byte {
	raw, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		panic(err)
	}
	return append(raw, '\n')
}

// TestNagPackListMatchesPinnedModule: nag-hipaa-rules.json is what the
// pinned cdk-nag-go ships, so a cdk-nag upgrade that renames or drops a rule
// fails here (regenerate) and then in Parse (fix specs.json). It reads the
// tarball from the module cache and never starts jsii.
func TestNagPackListMatchesPinnedModule(t *testing.T) {
	version := pinnedNagVersion(t)
	have, err := LoadNagPack()
	if err != nil {
		t.Fatal(err)
	}
	if !*updateNagPack && have.Version != version {
		t.Errorf("nag-hipaa-rules.json is from cdk-nag-go %s, go.mod pins %s: run go generate ./internal/hipaamap", have.Version, version)
	}
	path, err := nagTarball(version)
	if err != nil {
		t.Skipf("cannot locate the module cache (%v); nag-hipaa-rules.json not compared with the module", err)
	}
	tgz, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s@%s is not in the module cache (%s missing; go mod download %s): nag-hipaa-rules.json not compared with the module", nagModule, version, path, nagModule)
	}
	if err != nil {
		t.Fatal(err)
	}
	pack, rules, err := extractNagPack(tgz)
	if err != nil {
		t.Fatal(err)
	}
	want := NagPack{
		Source:  "Generated from the cdk-nag JavaScript bundle that the Go module embeds (jsii/" + filepath.Base(path) + ", " + nagPackFile + "): one entry per applyRule call of the HIPAA Security pack, with the control IDs its rule info names. Do not edit; run go generate ./internal/hipaamap.",
		Module:  nagModule,
		Version: version,
		File:    nagPackFile,
		Pack:    pack,
		Rules:   rules,
	}
	raw := marshalNagPack(want)
	if *updateNagPack {
		if err := os.WriteFile("nag-hipaa-rules.json", raw, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote nag-hipaa-rules.json: %d rules of %s from cdk-nag-go %s", len(rules), pack, version)
		return
	}
	if !bytes.Equal(raw, marshalNagPack(*have)) {
		t.Errorf("nag-hipaa-rules.json differs from %s (%d rules there, %d in the file): run go generate ./internal/hipaamap", path, len(rules), len(have.Rules))
	}
}

func TestNagPackListIsSane(t *testing.T) {
	p, err := LoadNagPack()
	if err != nil {
		t.Fatal(err)
	}
	if p.Pack != "HIPAA.Security" || len(p.Rules) < 50 {
		t.Fatalf("pack %q with %d rules: not the HIPAA Security pack", p.Pack, len(p.Rules))
	}
	cited := map[string]bool{}
	for _, id := range everyCitation {
		cited[id] = true
	}
	for _, r := range p.Rules {
		if !strings.HasPrefix(r.ID, "HIPAA.Security-") {
			t.Errorf("%s: not a HIPAA.Security rule ID", r.ID)
		}
		if len(r.Citations) == 0 {
			t.Errorf("%s: no control ID read from its info", r.ID)
		}
		for _, c := range r.Citations {
			if !cited[c] {
				t.Errorf("%s: control ID %s is not a citation of 164.308-164.316", r.ID, c)
			}
		}
	}
}

func TestExtractNagPackReadsRulesAndSuffixOverrides(t *testing.T) {
	js := `class P extends NagPack {
    constructor(props) { super(props); this.packName = 'HIPAA.Security'; }
    checkX(node) {
        this.applyRule({
            info: 'A - (Control IDs: 164.312(a)(1), 164.312(e)(1)).',
            explanation: 'mentions 164.308(a)(1)(i) which is not the info',
            level: nag_rules_1.NagMessageLevel.ERROR,
            rule: ec2_1.EC2RestrictedSSH,
            node: node,
        });
        this.applyRule({
            ruleSuffixOverride: 'Renamed',
            info: "B's - (Control ID: 164.312(b)).",
            rule: ec2_1.Original,
            node: node,
        });
    }
}`
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: nagPackFile, Mode: 0o644, Size: int64(len(js))}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(js)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	pack, rules, err := extractNagPack(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(rules)
	want := `[{"id":"HIPAA.Security-EC2RestrictedSSH","citations":["164.312(a)(1)","164.312(e)(1)"]},{"id":"HIPAA.Security-Renamed","citations":["164.312(b)"]}]`
	if pack != "HIPAA.Security" || string(got) != want {
		t.Fatalf("got %s %s, want HIPAA.Security %s", pack, got, want)
	}
}
