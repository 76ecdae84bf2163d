package validate

import (
	"math"
	"testing"
)

func TestIsWhole(t *testing.T) {
	for v, want := range map[float64]bool{
		0: true, 7: true, -3: true, 2192: true,
		0.5: false, 7.25: false, -1.5: false, math.NaN(): false,
	} {
		if got := IsWhole(v); got != want {
			t.Errorf("IsWhole(%v) = %v, want %v", v, got, want)
		}
	}
}

// Resolved(nil) answers without asking aws-cdk-lib (no jsii): an unset
// prop is never a concrete number. A set value needs jsii to tell a token
// from a number, which the assertion tests cover.
func TestResolvedUnset(t *testing.T) {
	if Resolved(nil) {
		t.Error("Resolved(nil) = true, want false")
	}
}

func TestTrueValue(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		v    interface{}
		want bool
	}{{true, true}, {false, false}, {&yes, true}, {&no, false}, {(*bool)(nil), false}, {"true", false}, {nil, false}} {
		if got := TrueValue(c.v); got != c.want {
			t.Errorf("TrueValue(%#v) = %v, want %v", c.v, got, c.want)
		}
	}
}
