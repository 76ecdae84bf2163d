package validate

import (
	"net/netip"
	"strings"
	"testing"
)

func TestPrivateIPv4Cidr(t *testing.T) {
	for _, tc := range []struct {
		cidr string
		want string // the error's text; "" = accepted
	}{
		{"10.0.0.0/16", ""},
		{"10.0.0.0/8", ""},
		{"172.16.0.0/12", ""},
		{"172.31.255.0/24", ""},
		{"192.168.0.0/16", ""},
		{"192.168.10.0/28", ""},
		{"10.0.0.0", `"10.0.0.0" is not an IPv4 CIDR block`},
		{"not-a-cidr", `"not-a-cidr" is not an IPv4 CIDR block`},
		{"fd00::/8", `"fd00::/8" is not an IPv4 CIDR block`},
		{"10.0.0.1/16", `"10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?`},
		{"8.8.0.0/16", `"8.8.0.0/16" is not inside a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`},
		{"172.32.0.0/16", `"172.32.0.0/16" is not inside a private (RFC 1918) range`},
		// Wider than its RFC 1918 range: starts inside, ends outside.
		{"10.0.0.0/7", `"10.0.0.0/7" is not inside a private (RFC 1918) range`},
		{"192.168.0.0/15", `"192.168.0.0/15" is not inside a private (RFC 1918) range`},
	} {
		t.Run(tc.cidr, func(t *testing.T) {
			p, err := PrivateIPv4Cidr(tc.cidr)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if p.String() != tc.cidr {
					t.Errorf("prefix %s, want %s", p, tc.cidr)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error starting %q", err, tc.want)
			}
			if p.IsValid() {
				t.Errorf("refused CIDR returned prefix %s, want the zero prefix", p)
			}
		})
	}
}

func TestOverlaps(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"10.0.0.0/16", "10.0.128.0/17", true},   // b inside a
		{"10.0.0.0/24", "10.0.0.0/16", true},     // a inside b
		{"10.0.0.0/16", "10.1.0.0/16", false},    // neighbours
		{"10.0.0.0/16", "192.168.0.0/16", false}, // other range
	} {
		if got := Overlaps(netip.MustParsePrefix(tc.a), netip.MustParsePrefix(tc.b)); got != tc.want {
			t.Errorf("Overlaps(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
