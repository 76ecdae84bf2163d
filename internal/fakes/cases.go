package fakes

import "testing"

// The constructs' resolve tests are two tables each: props resolve must
// refuse, and props it must accept with the settings they resolve to. The
// helpers below run such a table, one subtest per case, so each package
// states only its cases and not the loop around them. Packages whose resolve
// takes more than props (the stack's AZs or region) pass a closure.

// Refusal is a case resolve must refuse: Props fail with a
// *validation.Error naming Prop whose problem contains Problem.
//
// Refusal and Resolution are aliases of unnamed struct types, not defined
// types, so that a table may list its cases unkeyed, one short line each:
// go vet flags unkeyed literals of another package's named struct types.
type Refusal[P any] = struct {
	Name    string
	Props   P
	Prop    string
	Problem string
}

// CheckRefusals runs each case as a subtest: resolve must refuse its props
// with the error the case names (see WantError) and return nil settings, so
// that no caller can build from refused props.
func CheckRefusals[P, S any](t *testing.T, construct string, resolve func(P) (*S, error), cases []Refusal[P]) {
	t.Helper()
	checkRefusals(t, construct, resolve, cases, true)
}

// CheckPartialRefusals is CheckRefusals for a resolve that returns the
// settings it had read so far beside its error: they are partial, and
// callers panic on the error, so only the error is checked.
func CheckPartialRefusals[P, S any](t *testing.T, construct string, resolve func(P) (*S, error), cases []Refusal[P]) {
	t.Helper()
	checkRefusals(t, construct, resolve, cases, false)
}

func checkRefusals[P, S any](t *testing.T, construct string, resolve func(P) (*S, error), cases []Refusal[P], wantNil bool) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			s, err := resolve(c.Props)
			WantError(t, err, construct, c.Prop, c.Problem)
			if wantNil && s != nil {
				t.Errorf("refused props resolved to %+v", s)
			}
		})
	}
}

// Resolution is a case resolve must accept: Props resolve, without error,
// to settings OK holds for.
type Resolution[P, S any] = struct {
	Name  string
	Props P
	OK    func(*S) bool
}

// CheckResolutions runs each case as a subtest: resolve must accept its
// props, and OK must hold for the settings; a failure prints them whole,
// since OK says only that some field is off.
func CheckResolutions[P, S any](t *testing.T, resolve func(P) (*S, error), cases []Resolution[P, S]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			s, err := resolve(c.Props)
			if err != nil {
				t.Fatal(err)
			}
			if !c.OK(s) {
				t.Errorf("resolved to %+v", *s)
			}
		})
	}
}
