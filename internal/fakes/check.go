package fakes

import (
	"errors"
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/validation"
)

// NumberToken is how aws-cdk-lib encodes its first number token (a
// CfnParameter's ValueAsNumber, say); validate.NumberToken recognizes it.
const NumberToken = -1.8881545897087626e+289

// StringToken is a string that holds an unresolved token.
const StringToken = "${Token[TOKEN.42]}"

// WantError fails t unless err is a *validation.Error naming construct and
// prop whose problem contains each of problem's parts.
func WantError(t testing.TB, err error, construct, prop string, problem ...string) {
	t.Helper()
	var verr *validation.Error
	if !errors.As(err, &verr) {
		t.Fatalf("got %v, want a *validation.Error for %s", err, prop)
	}
	if verr.Construct != construct || verr.Prop != prop {
		t.Errorf("error names %s.%s, want %s.%s: %v", verr.Construct, verr.Prop, construct, prop, err)
	}
	for _, part := range problem {
		if !strings.Contains(verr.Problem, part) {
			t.Errorf("problem %q does not contain %q", verr.Problem, part)
		}
	}
}
