package validate

import "testing"

func TestStringToken(t *testing.T) {
	for s, want := range map[string]bool{
		"${Token[TOKEN.33]}": true, "arn:${Token[AWS.Partition.3]}:kms": true, "${Token[AWS::AccountId.4]}": true,
		"10.0.0.0/16": false, "${Token[]}": false, "$Token[X]": false, "": false,
	} {
		if got := StringToken(s); got != want {
			t.Errorf("StringToken(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestNumberToken(t *testing.T) {
	// -1.8881545897087626e+289 is how aws-cdk-lib encodes its first number token.
	for v, want := range map[float64]bool{-1.8881545897087626e+289: true, 2192: false, 0: false, -1: false, 1e300: false} {
		if got := NumberToken(v); got != want {
			t.Errorf("NumberToken(%v) = %v, want %v", v, got, want)
		}
	}
}
