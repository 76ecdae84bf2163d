package validate

import "github.com/aws/aws-cdk-go/awscdk/v2"

// Resolved reports whether v is set and is a concrete number. Unresolved
// tokens (CloudFormation parameters, lazy values) are skipped by numeric
// checks, as aws-cdk-lib does: their value is only known at deploy time.
func Resolved(v *float64) bool {
	return v != nil && !*awscdk.Token_IsUnresolved(v)
}

// IsWhole reports whether f has no fractional part.
func IsWhole(f float64) bool { return f == float64(int64(f)) }

// Token reports whether v is set to an unresolved token.
func Token(v *float64) bool { return v != nil && *awscdk.Token_IsUnresolved(v) }

// LiteralRequired is the problem text for a number prop given as a token
// where the construct must know the value at synth time.
func LiteralRequired(why string) string {
	return "must be a literal number, not a token (such as a CloudFormation parameter): " + why
}
