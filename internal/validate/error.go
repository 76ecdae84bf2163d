// Package validate holds the synth-time checks shared by every construct in
// this library. A failed check is a *validation.Error that names the
// construct and the prop, so `cdk synth` tells the user exactly what to change.
package validate

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/healthstack-oss/hipaa-baseline/validation"
)

// Error is the public validation error; internal code keeps its short name.
type Error = validation.Error

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

// MustAt is Must for a constructor: it first records in a *Error the path
// the construct would have had under scope.
func MustAt(scope constructs.IConstruct, id *string, err error) {
	if err == nil {
		return
	}
	var verr *Error
	if errors.As(err, &verr) && verr.Path == "" && scope != nil && id != nil {
		verr.Path = joinPath(*scope.Node().Path(), *id)
	}
	panic(err)
}

func joinPath(parent, id string) string {
	if parent == "" {
		return id
	}
	return parent + "/" + id
}
