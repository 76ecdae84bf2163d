package hipaavpc

import (
	"math"
	"net/netip"

	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

const constructName = "HipaaVpc"

// Subnet sizes AWS allows.
const (
	minSubnetMask = 16
	maxSubnetMask = 28
	tierCount     = 3
)

// settings are the props after defaults are merged and validated.
type settings struct {
	cidr            netip.Prefix
	azs             int
	subnetMask      int
	natGateways     int
	interfaceEps    map[InterfaceEndpoint]bool // empty: no interface endpoints
	flowLogDays     float64
	flowLogIA       bool
	dataAccessCidrs []string
}

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

// resolve merges library defaults with the caller's props and checks the
// result. It reads props and never writes them. availableAzs is the number
// of Availability Zones of the construct's stack, asked only once MaxAzs is
// checked, so resolve itself never calls into jsii.
func resolve(availableAzs func() int, props *HipaaVpcProps) (*settings, error) {
	var p HipaaVpcProps
	if props != nil {
		p = *props
	}
	s := &settings{azs: DefaultMaxAzs, subnetMask: DefaultSubnetCidrMask,
		flowLogDays: DefaultFlowLogRetentionDays, interfaceEps: map[InterfaceEndpoint]bool{}}
	if err := resolveEndpoints(&p, s); err != nil {
		return nil, err
	}

	cidr := DefaultCidr
	if p.Cidr != nil {
		cidr = *p.Cidr
	}
	if validate.StringToken(cidr) {
		return nil, fail("Cidr", "must be a literal CIDR block, not a token: the subnet plan is computed at synth time")
	}
	prefix, err := validate.PrivateIPv4Cidr(cidr)
	if err != nil {
		return nil, fail("Cidr", "%v", err)
	}
	if prefix.Bits() < 16 || prefix.Bits() > 28 {
		return nil, fail("Cidr", "%q: a VPC's prefix length must be from /16 to /28", cidr)
	}
	s.cidr = prefix

	for prop, v := range map[string]*float64{"MaxAzs": p.MaxAzs, "NatGateways": p.NatGateways, "SubnetCidrMask": p.SubnetCidrMask} {
		if validate.Token(v) {
			return nil, fail(prop, "%s", validate.LiteralRequired("the subnet plan is computed at synth time"))
		}
	}
	if validate.Resolved(p.MaxAzs) {
		n := *p.MaxAzs
		if !validate.IsWhole(n) || n < MinAzs {
			return nil, fail("MaxAzs", "%v: at least %d Availability Zones are required so every tier survives the loss of one AZ", n, MinAzs)
		}
		s.azs = int(n)
	}
	if available := availableAzs(); s.azs > available {
		return nil, fail("MaxAzs", "%d AZs requested but the stack has only %d; set the stack's env (account and region) to use more", s.azs, available)
	}

	if validate.Resolved(p.SubnetCidrMask) {
		m := *p.SubnetCidrMask
		if !validate.IsWhole(m) || m < minSubnetMask || m > maxSubnetMask {
			return nil, fail("SubnetCidrMask", "%v: must be a whole number from %d to %d", m, minSubnetMask, maxSubnetMask)
		}
		s.subnetMask = int(m)
	}
	needed := tierCount * s.azs
	if s.subnetMask < prefix.Bits() || float64(needed) > math.Pow(2, float64(s.subnetMask-prefix.Bits())) {
		return nil, fail("Cidr", "%s is too small for %d tiers x %d AZs of /%d subnets (%d subnets); use a larger CIDR or a larger SubnetCidrMask",
			cidr, tierCount, s.azs, s.subnetMask, needed)
	}

	s.natGateways = s.azs
	disableNat := p.DisableNatGateways != nil && *p.DisableNatGateways
	if disableNat && p.NatGateways != nil {
		return nil, fail("NatGateways", "cannot be set together with DisableNatGateways; choose one")
	}
	if disableNat {
		s.natGateways = 0
	} else if validate.Resolved(p.NatGateways) {
		n := *p.NatGateways
		if !validate.IsWhole(n) || n < 1 || int(n) > s.azs {
			return nil, fail("NatGateways", "%v: must be from 1 to the number of AZs (%d); to run without NAT set DisableNatGateways", n, s.azs)
		}
		s.natGateways = int(n)
	}

	if p.FlowLogRetentionDays != nil {
		// Flow logs record addresses and ports, not PHI: any CloudWatch Logs
		// value is accepted, and a token is passed through to the template.
		if validate.Resolved(p.FlowLogRetentionDays) {
			if _, err := retention.FromDays(*p.FlowLogRetentionDays); err != nil {
				return nil, fail("FlowLogRetentionDays", "%v", err)
			}
		}
		s.flowLogDays = *p.FlowLogRetentionDays
	}
	s.flowLogIA = p.FlowLogInfrequentAccess != nil && *p.FlowLogInfrequentAccess
	if p.EncryptionKey != nil {
		if err := kmskeys.CheckCustomerManaged(p.EncryptionKey); err != nil {
			return nil, fail("EncryptionKey", "%v", err)
		}
	}

	if p.DataAccessCidrs != nil {
		for _, c := range *p.DataAccessCidrs {
			if c == nil {
				return nil, fail("DataAccessCidrs", "contains a nil entry")
			}
			if validate.StringToken(*c) {
				return nil, fail("DataAccessCidrs", "must be literal CIDR blocks, not tokens: the data-tier ACL is checked at synth time")
			}
			access, err := validate.PrivateIPv4Cidr(*c)
			if err != nil {
				return nil, fail("DataAccessCidrs", "%v", err)
			}
			// The app and data tiers are admitted already; any other range
			// of the VPC would admit the public tier (NAT, load balancers).
			if validate.Overlaps(access, prefix) {
				return nil, fail("DataAccessCidrs", "%s overlaps the VPC's own range %s: the data tier already admits the app tier, and "+
					"a range inside the VPC would admit the public tier; list only networks outside the VPC (VPN, peered networks)", *c, prefix)
			}
			s.dataAccessCidrs = append(s.dataAccessCidrs, *c)
		}
	}
	return s, nil
}

func resolveEndpoints(p *HipaaVpcProps, s *settings) error {
	disabled := p.DisableInterfaceEndpoints != nil && *p.DisableInterfaceEndpoints
	if p.InterfaceEndpointServices != nil && disabled {
		return fail("InterfaceEndpointServices", "cannot be set together with DisableInterfaceEndpoints; choose one")
	}
	if disabled {
		return nil
	}
	services := DefaultInterfaceEndpoints()
	if p.InterfaceEndpointServices != nil {
		services = *p.InterfaceEndpointServices
	}
	if err := CheckInterfaceEndpoints(services); err != nil {
		return fail("InterfaceEndpointServices", "%v", err)
	}
	for _, svc := range services {
		s.interfaceEps[svc] = true
	}
	return nil
}
