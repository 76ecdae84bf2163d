package validate

import (
	"errors"
	"testing"
)

func TestErrorfNamesConstructAndProp(t *testing.T) {
	err := Errorf("HipaaVpc", "Cidr", "%q is not private", "8.8.0.0/16")
	if err.Construct != "HipaaVpc" || err.Prop != "Cidr" || err.Problem != `"8.8.0.0/16" is not private` {
		t.Errorf("fields %+v", *err)
	}
	if want := `HipaaVpc: invalid prop Cidr: "8.8.0.0/16" is not private`; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestMustPanicsWithTheError(t *testing.T) {
	Must(nil) // no error: returns
	want := Errorf("PhiDatabase", "Port", "out of range")
	defer func() {
		got, _ := recover().(error)
		if !errors.Is(got, want) {
			t.Errorf("recovered %v, want the error passed to Must", got)
		}
	}()
	Must(want)
	t.Error("Must(err) returned")
}
