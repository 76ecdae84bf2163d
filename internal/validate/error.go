// Package validate holds the synth-time checks shared by every construct in
// this library. A failed check is an *Error that names the construct and the
// prop, so `cdk synth` tells the user exactly what to change.
package validate

import "fmt"

// Error is a bad-input error raised at synth time.
type Error struct {
	// Construct is the construct type, e.g. "HipaaVpc".
	Construct string
	// Prop is the offending prop, e.g. "Cidr".
	Prop string
	// Problem says what is wrong and, where it helps, what to do instead.
	Problem string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: invalid prop %s: %s", e.Construct, e.Prop, e.Problem)
}

// Errorf builds an *Error.
func Errorf(construct, prop, format string, args ...any) *Error {
	return &Error{Construct: construct, Prop: prop, Problem: fmt.Sprintf(format, args...)}
}

// Must panics with err when it is not nil. Constructors call it after
// validating their props, before creating any resource, so a bad input never
// yields a partial or weaker template. The app's main recovers the panic and
// prints the message without a Go stack trace.
func Must(err error) {
	if err != nil {
		panic(err)
	}
}
