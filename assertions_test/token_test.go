package assertions_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// The constructs detect tokens in Go, without a call into jsii; they must
// agree with aws-cdk-lib on real tokens and on literals.
func TestLocalTokenChecksAgreeWithCdk(t *testing.T) {
	stack := awscdk.NewStack(newApp(t), jsii.String("S"), nil)
	param := awscdk.NewCfnParameter(stack, jsii.String("P"), &awscdk.CfnParameterProps{Type: jsii.String("Number")})
	for _, n := range []float64{*param.ValueAsNumber(), *awscdk.Token_AsNumber(awscdk.Fn_Ref(jsii.String("Q"))), 2192, 0, -1} {
		if got, want := validate.NumberToken(n), *awscdk.Token_IsUnresolved(n); got != want {
			t.Errorf("NumberToken(%v) = %v, aws-cdk-lib says %v", n, got, want)
		}
	}
	for _, s := range []string{*param.ValueAsString(), *stack.Account(), "arn:" + *stack.Partition() + ":s3", "10.0.0.0/16", ""} {
		if got, want := validate.StringToken(s), *awscdk.Token_IsUnresolved(s); got != want {
			t.Errorf("StringToken(%q) = %v, aws-cdk-lib says %v", s, got, want)
		}
	}
}
