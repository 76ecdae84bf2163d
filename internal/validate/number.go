package validate

import (
	"math"
	"regexp"
)

// Resolved reports whether v is set and is a concrete number. Unresolved
// tokens (CloudFormation parameters, lazy values) are skipped by numeric
// checks, as aws-cdk-lib does: their value is only known at deploy time.
func Resolved(v *float64) bool {
	return v != nil && !NumberToken(*v)
}

// IsWhole reports whether f has no fractional part.
func IsWhole(f float64) bool { return f == float64(int64(f)) }

// Token reports whether v is set to an unresolved token.
func Token(v *float64) bool { return v != nil && NumberToken(*v) }

// doubleTokenMarker is the high 16 bits aws-cdk-lib sets in a number that
// encodes a token (its DOUBLE_TOKEN_MARKER_BITS).
const doubleTokenMarker = 0xFBFF0000

// NumberToken reports whether v encodes an unresolved token, as
// awscdk.Token_IsUnresolved does for a number, without a call into jsii.
func NumberToken(v float64) bool {
	return uint32(math.Float64bits(v)>>32)&0xFFFF0000 == doubleTokenMarker
}

// LiteralRequired is the problem text for a number prop given as a token
// where the construct must know the value at synth time.
func LiteralRequired(why string) string {
	return "must be a literal number, not a token (such as a CloudFormation parameter): " + why
}

// stringToken is how aws-cdk-lib encodes a token in a string (its
// BEGIN_STRING_TOKEN_MARKER, key characters and END_TOKEN_MARKER).
var stringToken = regexp.MustCompile(`\$\{Token\[[a-zA-Z0-9:._-]+\]\}`)

// StringToken reports whether s holds an unresolved token, as
// awscdk.Token_IsUnresolved does for a string, without a call into jsii:
// synth-time checks run on many strings.
func StringToken(s string) bool { return stringToken.MatchString(s) }

// TrueValue reads a boolean property as jsii hands it back: a bool, or a
// *bool (nil is false).
func TrueValue(v interface{}) bool {
	switch b := v.(type) {
	case bool:
		return b
	case *bool:
		return b != nil && *b
	}
	return false
}
