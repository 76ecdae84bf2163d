package hipaavpc

import (
	"slices"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/fakes"
)

// twoAzs is an environment-agnostic stack: CDK gives it two AZs.
func twoAzs() int { return 2 }

// onAzs is props resolved in a stack with azs Availability Zones: the
// stack's AZs bound the VPC's, so some cases need three.
type onAzs struct {
	azs   int
	props *HipaaVpcProps
}

func TestResolveRefusesBadProps(t *testing.T) {
	fakes.CheckRefusals(t, "HipaaVpc", func(p *HipaaVpcProps) (*settings, error) { return resolve(twoAzs, p) }, []fakes.Refusal[*HipaaVpcProps]{
		{"cidr token", &HipaaVpcProps{Cidr: jsii.String(fakes.StringToken)}, "Cidr", "literal CIDR block, not a token"},
		{"public cidr", &HipaaVpcProps{Cidr: jsii.String("8.8.0.0/16")}, "Cidr", "not inside a private (RFC 1918) range"},
		{"not a cidr", &HipaaVpcProps{Cidr: jsii.String("10.0.0.0")}, "Cidr", "not an IPv4 CIDR block"},
		{"host bits", &HipaaVpcProps{Cidr: jsii.String("10.0.0.1/16")}, "Cidr", "host bits set"},
		{"cidr wider than /16", &HipaaVpcProps{Cidr: jsii.String("10.0.0.0/8")}, "Cidr", "from /16 to /28"},
		{"cidr too small for the tiers", &HipaaVpcProps{Cidr: jsii.String("10.0.0.0/22")}, "Cidr", "too small for 3 tiers x 2 AZs of /24 subnets (6 subnets)"},
		{"mask above the cidr", &HipaaVpcProps{Cidr: jsii.String("10.0.0.0/25")}, "Cidr", "too small"},
		{"max azs token", &HipaaVpcProps{MaxAzs: jsii.Number(fakes.NumberToken)}, "MaxAzs", "literal number"},
		{"nat token", &HipaaVpcProps{NatGateways: jsii.Number(fakes.NumberToken)}, "NatGateways", "literal number"},
		{"mask token", &HipaaVpcProps{SubnetCidrMask: jsii.Number(fakes.NumberToken)}, "SubnetCidrMask", "literal number"},
		{"one az", &HipaaVpcProps{MaxAzs: jsii.Number(1)}, "MaxAzs", "at least 2 Availability Zones"},
		{"fractional azs", &HipaaVpcProps{MaxAzs: jsii.Number(2.5)}, "MaxAzs", "2.5: at least 2"},
		{"more azs than the stack has", &HipaaVpcProps{MaxAzs: jsii.Number(3)}, "MaxAzs", "3 AZs requested but the stack has only 2"},
		{"mask above 28", &HipaaVpcProps{SubnetCidrMask: jsii.Number(29)}, "SubnetCidrMask", "from 16 to 28"},
		{"mask below 16", &HipaaVpcProps{SubnetCidrMask: jsii.Number(15)}, "SubnetCidrMask", "from 16 to 28"},
		{"zero nat", &HipaaVpcProps{NatGateways: jsii.Number(0)}, "NatGateways", "set DisableNatGateways"},
		{"more nat than azs", &HipaaVpcProps{NatGateways: jsii.Number(3)}, "NatGateways", "number of AZs (2)"},
		{"nat and no nat", &HipaaVpcProps{NatGateways: jsii.Number(1), DisableNatGateways: jsii.Bool(true)}, "NatGateways", "together with DisableNatGateways"},
		{"negative retention", &HipaaVpcProps{FlowLogRetentionDays: jsii.Number(-1)}, "FlowLogRetentionDays", "positive"},
		{"unsupported retention", &HipaaVpcProps{FlowLogRetentionDays: jsii.Number(42)}, "FlowLogRetentionDays", "2192"},
		{"aws managed key", &HipaaVpcProps{EncryptionKey: &fakes.Alias{Name: "alias/aws/logs"}}, "EncryptionKey", "AWS managed key"},
		{"own alias", &HipaaVpcProps{EncryptionKey: &fakes.Alias{Name: "alias/flow"}}, "EncryptionKey", "is a KMS alias"},
		{"key arn of an alias", &HipaaVpcProps{EncryptionKey: &fakes.Key{Arn: "arn:aws:kms:us-east-1:111122223333:alias/flow"}}, "EncryptionKey", "names a KMS alias"},
		{"nil access cidr", &HipaaVpcProps{DataAccessCidrs: &[]*string{nil}}, "DataAccessCidrs", "nil entry"},
		{"access cidr token", &HipaaVpcProps{DataAccessCidrs: jsii.Strings(fakes.StringToken)}, "DataAccessCidrs", "not tokens"},
		{"public access cidr", &HipaaVpcProps{DataAccessCidrs: jsii.Strings("0.0.0.0/0")}, "DataAccessCidrs", "private"},
		{"access cidr is the vpc", &HipaaVpcProps{DataAccessCidrs: jsii.Strings("10.0.0.0/16")}, "DataAccessCidrs", "overlaps the VPC's own range 10.0.0.0/16"},
		{"access cidr inside the vpc", &HipaaVpcProps{DataAccessCidrs: jsii.Strings("10.0.0.0/24")}, "DataAccessCidrs", "public tier"},
		{"access cidr around the vpc", &HipaaVpcProps{DataAccessCidrs: jsii.Strings("10.0.0.0/8")}, "DataAccessCidrs", "overlaps"},
		{"endpoints without ssm", &HipaaVpcProps{InterfaceEndpointServices: &[]InterfaceEndpoint{EndpointKms, EndpointLogs, EndpointSsmMessages, EndpointEc2Messages}},
			"InterfaceEndpointServices", `"ssm" cannot be removed`},
		{"no endpoints listed", &HipaaVpcProps{InterfaceEndpointServices: &[]InterfaceEndpoint{}}, "InterfaceEndpointServices", `"kms" cannot be removed`},
		{"unknown endpoint", &HipaaVpcProps{InterfaceEndpointServices: &[]InterfaceEndpoint{"ecr.api"}}, "InterfaceEndpointServices", `"ecr.api" is not an interface endpoint`},
		{"repeated endpoint", &HipaaVpcProps{InterfaceEndpointServices: &[]InterfaceEndpoint{EndpointKms, EndpointKms}}, "InterfaceEndpointServices", `"kms" is listed twice`},
		{"endpoints and disabled", &HipaaVpcProps{DisableInterfaceEndpoints: jsii.Bool(true), InterfaceEndpointServices: &[]InterfaceEndpoint{EndpointKms}},
			"InterfaceEndpointServices", "together with DisableInterfaceEndpoints"},
	})
}

func TestResolveAppliesDefaultsAndKeepsValues(t *testing.T) {
	all := map[InterfaceEndpoint]bool{}
	for _, e := range DefaultInterfaceEndpoints() {
		all[e] = true
	}
	defaults := func(s *settings) bool {
		return s.cidr.String() == DefaultCidr && s.azs == DefaultMaxAzs && s.subnetMask == DefaultSubnetCidrMask &&
			s.natGateways == DefaultMaxAzs && s.flowLogDays == DefaultFlowLogRetentionDays && !s.flowLogIA &&
			len(s.interfaceEps) == len(all) && s.dataAccessCidrs == nil
	}
	fakes.CheckResolutions(t, func(in onAzs) (*settings, error) { return resolve(func() int { return in.azs }, in.props) }, []fakes.Resolution[onAzs, settings]{
		{"nil props", onAzs{2, nil}, defaults},
		{"empty props", onAzs{2, &HipaaVpcProps{}}, defaults},
		{"cidr kept", onAzs{2, &HipaaVpcProps{Cidr: jsii.String("172.16.0.0/20")}}, func(s *settings) bool { return s.cidr.String() == "172.16.0.0/20" }},
		{"smallest cidr that fits", onAzs{2, &HipaaVpcProps{Cidr: jsii.String("10.0.0.0/21")}}, func(s *settings) bool { return s.cidr.Bits() == 21 }},
		{"three azs where the stack has three", onAzs{3, &HipaaVpcProps{MaxAzs: jsii.Number(3)}}, func(s *settings) bool { return s.azs == 3 && s.natGateways == 3 }},
		{"mask kept", onAzs{2, &HipaaVpcProps{SubnetCidrMask: jsii.Number(28)}}, func(s *settings) bool { return s.subnetMask == 28 }},
		{"one nat", onAzs{2, &HipaaVpcProps{NatGateways: jsii.Number(1)}}, func(s *settings) bool { return s.natGateways == 1 }},
		{"no nat", onAzs{2, &HipaaVpcProps{DisableNatGateways: jsii.Bool(true)}}, func(s *settings) bool { return s.natGateways == 0 }},
		{"nat explicitly on", onAzs{2, &HipaaVpcProps{DisableNatGateways: jsii.Bool(false), NatGateways: jsii.Number(2)}}, func(s *settings) bool { return s.natGateways == 2 }},
		{"retention kept", onAzs{2, &HipaaVpcProps{FlowLogRetentionDays: jsii.Number(30)}}, func(s *settings) bool { return s.flowLogDays == 30 }},
		// A token retention reaches the template unchecked.
		{"retention token kept", onAzs{2, &HipaaVpcProps{FlowLogRetentionDays: jsii.Number(fakes.NumberToken)}}, func(s *settings) bool { return s.flowLogDays == fakes.NumberToken }},
		{"infrequent access", onAzs{2, &HipaaVpcProps{FlowLogInfrequentAccess: jsii.Bool(true)}}, func(s *settings) bool { return s.flowLogIA }},
		{"customer key", onAzs{2, &HipaaVpcProps{EncryptionKey: &fakes.Key{Arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd", ID: "1234abcd"}}}, defaults},
		{"access cidrs kept in order", onAzs{2, &HipaaVpcProps{DataAccessCidrs: jsii.Strings("192.168.0.0/24", "10.1.0.0/16")}},
			func(s *settings) bool {
				return slices.Equal(s.dataAccessCidrs, []string{"192.168.0.0/24", "10.1.0.0/16"})
			}},
		{"no interface endpoints", onAzs{2, &HipaaVpcProps{DisableInterfaceEndpoints: jsii.Bool(true)}}, func(s *settings) bool { return len(s.interfaceEps) == 0 }},
		{"required endpoints only", onAzs{2, &HipaaVpcProps{InterfaceEndpointServices: ptr(RequiredInterfaceEndpoints())}},
			func(s *settings) bool {
				return len(s.interfaceEps) == len(RequiredInterfaceEndpoints()) && !s.interfaceEps[EndpointSts]
			}},
	})
}

// The stack's AZs are asked for only after MaxAzs is checked: an earlier
// error never needs the stack.
func TestResolveAsksForTheStackAzsLast(t *testing.T) {
	_, err := resolve(func() int { panic("asked for the stack's AZs") }, &HipaaVpcProps{MaxAzs: jsii.Number(1)})
	fakes.WantError(t, err, "HipaaVpc", "MaxAzs")
}

// resolve reads props and never writes them.
func TestResolveDoesNotWriteProps(t *testing.T) {
	cidrs := jsii.Strings("192.168.0.0/24")
	props := &HipaaVpcProps{Cidr: jsii.String("10.1.0.0/16"), DataAccessCidrs: cidrs}
	before := *props
	if _, err := resolve(twoAzs, props); err != nil {
		t.Fatal(err)
	}
	if *props != before || *(*cidrs)[0] != "192.168.0.0/24" {
		t.Errorf("props changed: %+v", *props)
	}
}

func ptr[T any](v T) *T { return &v }
