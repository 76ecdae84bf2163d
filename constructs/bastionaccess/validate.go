package bastionaccess

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

const constructName = "BastionAccess"

// Client VPN accepts client CIDR blocks from /12 to /22.
const (
	minClientCidrBits = 12
	maxClientCidrBits = 22
)

// noEbsEncryption are instance families that cannot encrypt EBS volumes
// (t1, m1, m2, c1, cc2, cg1, hi1, hs1) or cannot be EBS-optimized (t2, cc1).
var noEbsEncryption = map[string]string{
	"t1": "no EBS encryption", "m1": "no EBS encryption", "m2": "no EBS encryption",
	"c1": "no EBS encryption", "cc2": "no EBS encryption", "cg1": "no EBS encryption",
	"hi1": "no EBS encryption", "hs1": "no EBS encryption",
	"t2": "no EBS optimization", "cc1": "no EBS encryption",
}

var (
	acmArn         = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$`)
	samlArn        = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:saml-provider/[\w+=,.@-]+$`)
	prefixListId   = regexp.MustCompile(`^pl-[0-9a-f]+$`)
	instanceTypeRe = regexp.MustCompile(`^([a-z]+[0-9]+[a-z-]*)\.[a-z0-9-]+$`)
	// ec2Family is the letter series of every EC2 instance family.
	ec2Family = regexp.MustCompile(`^(a|c|d|dl|f|g|gr|h|hpc|i|im|inf|is|m|mac|p|r|t|trn|u|vt|x|z)[0-9]`)
)

// settings are the props after defaults are merged and validated.
type settings struct {
	vpc            awsec2.IVpc
	appSubnets     *awsec2.SubnetSelection
	appCidrs       []string
	dataCidrs      []string
	dbPort         float64
	instanceType   awsec2.InstanceType // the InstanceType prop; nil until defaultInstanceType builds instanceName
	instanceName   string
	arm64          bool // of instanceType
	retentionDays  float64
	idleMinutes    float64
	mode           Mode
	sessionPrefs   bool
	nightlyScaleIn bool
	s3PrefixList   string
	httpsViaNat    bool
	vpn            *vpnSettings
}

type vpnSettings struct {
	clientCidr     string
	serverCert     awscertificatemanager.ICertificate
	clientRootCert awscertificatemanager.ICertificate
	samlProvider   awsiam.ISamlProvider
}

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

func isTrue(b *bool) bool { return b != nil && *b }

func literal(s *string) bool { return s != nil && !validate.StringToken(*s) }

// resolve merges library defaults with the caller's props and checks the
// result. It reads props and never writes them.
func resolve(props *BastionAccessProps) (*settings, error) {
	if props == nil || props.Vpc == nil {
		return nil, fail("Vpc", "is required: pass the HipaaVpc's Vpc()")
	}
	p := *props
	s := &settings{
		vpc: p.Vpc, dbPort: DefaultDatabasePort, retentionDays: DefaultSessionLogRetentionDays,
		idleMinutes: DefaultIdleSessionTimeoutMinutes, mode: ModeSessionManagerInstance,
		sessionPrefs: !isTrue(p.DisableSessionPreferences), nightlyScaleIn: !isTrue(p.DisableNightlyScaleIn),
	}

	s.appSubnets = p.AppSubnets
	if s.appSubnets == nil {
		s.appSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.AppTierName)}
	}
	dataSubnets := p.DataSubnets
	if dataSubnets == nil {
		dataSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.DataTierName)}
	}
	// One selection, read once: each SelectSubnets is a round trip to jsii
	// and each field of its result another.
	app, err := selectSubnets(p.Vpc, s.appSubnets)
	if err != nil {
		return nil, fail("AppSubnets", "%v", err)
	}
	if s.appCidrs, err = cidrsOf(app.subnets); err != nil {
		return nil, fail("AppSubnets", "%v", err)
	}
	if app.hasPublic {
		return nil, fail("AppSubnets", "selects public subnets; the bastion must run in private subnets with no route from the internet")
	}
	if s.dataCidrs, err = subnetCidrs(p.Vpc, dataSubnets); err != nil {
		return nil, fail("DataSubnets", "%v", err)
	}

	for prop, v := range map[string]*float64{"DatabasePort": p.DatabasePort, "SessionLogRetentionDays": p.SessionLogRetentionDays} {
		if validate.Token(v) {
			return nil, fail(prop, "%s", validate.LiteralRequired("it is written into security-group rules and checked against the six-year rule"))
		}
	}
	if validate.Resolved(p.DatabasePort) {
		if n := *p.DatabasePort; !validate.IsWhole(n) || n < 1 || n > 65535 {
			return nil, fail("DatabasePort", "%v: must be a whole number from 1 to 65535", n)
		}
	}
	if p.DatabasePort != nil {
		s.dbPort = *p.DatabasePort
	}

	// The default is a name, not an awsec2.InstanceType: building one (and
	// reading its architecture) is a jsii call, made where the bastion is
	// created (defaultInstanceType).
	name := DefaultInstanceType
	if p.InstanceType != nil {
		s.instanceType = p.InstanceType
		name = *p.InstanceType.ToString()
	}
	s.instanceName = name
	m := instanceTypeRe.FindStringSubmatch(name)
	if m == nil {
		return nil, fail("InstanceType", "%q is not an EC2 instance type such as %s", name, DefaultInstanceType)
	}
	if !ec2Family.MatchString(m[1]) {
		return nil, fail("InstanceType", "%q: %s is not an EC2 instance family (t, m, c, r, ...)", name, m[1])
	}
	if why, bad := noEbsEncryption[m[1]]; bad {
		return nil, fail("InstanceType", "%q: the %s family has %s; the root volume must be KMS-encrypted and EBS-optimized, so use a current-generation type such as %s",
			name, m[1], why, DefaultInstanceType)
	}
	if s.instanceType != nil {
		if s.arm64, err = isArm64(s.instanceType); err != nil {
			return nil, fail("InstanceType", "%q: %v", name, err)
		}
	}
	if p.EncryptionKey != nil {
		if err := kmskeys.CheckCustomerManaged(p.EncryptionKey); err != nil {
			return nil, fail("EncryptionKey", "%v", err)
		}
	}

	if p.SessionLogRetentionDays != nil {
		if err := retention.CheckPhiLog(*p.SessionLogRetentionDays, isTrue(p.AllowRetentionShorterThanSixYears)); err != nil {
			return nil, fail("SessionLogRetentionDays", "%v", err)
		}
		s.retentionDays = *p.SessionLogRetentionDays
	}

	if validate.Resolved(p.IdleSessionTimeoutMinutes) {
		n := *p.IdleSessionTimeoutMinutes
		if !validate.IsWhole(n) || n < MinIdleSessionTimeoutMinutes || n > MaxIdleSessionTimeoutMinutes {
			return nil, fail("IdleSessionTimeoutMinutes", "%v: must be a whole number of minutes from %d to %d",
				n, MinIdleSessionTimeoutMinutes, MaxIdleSessionTimeoutMinutes)
		}
	}
	if p.IdleSessionTimeoutMinutes != nil {
		if validate.Token(p.IdleSessionTimeoutMinutes) {
			return nil, fail("IdleSessionTimeoutMinutes", "must be a literal number: it is written into the session preferences document")
		}
		s.idleMinutes = *p.IdleSessionTimeoutMinutes
	}

	switch p.Mode {
	case "":
	case ModeSessionManagerInstance, ModeTimeBoxedAutoScaling:
		s.mode = p.Mode
	default:
		return nil, fail("Mode", "%q: use ModeSessionManagerInstance or ModeTimeBoxedAutoScaling", p.Mode)
	}
	if p.DisableNightlyScaleIn != nil && s.mode != ModeTimeBoxedAutoScaling {
		return nil, fail("DisableNightlyScaleIn", "applies only to Mode ModeTimeBoxedAutoScaling")
	}

	if p.AllowHttpsEgressThroughNat != nil && *p.AllowHttpsEgressThroughNat {
		if p.EndpointSecurityGroup != nil {
			return nil, fail("AllowHttpsEgressThroughNat", "contradicts EndpointSecurityGroup: with interface endpoints the bastion needs no internet egress")
		}
		if isolated(p.Vpc, app.subnets) {
			return nil, fail("AllowHttpsEgressThroughNat", "the AppSubnets have no route to a NAT gateway (isolated subnets, or HipaaVpc with DisableNatGateways): "+
				"the Session Manager agent could never register; keep HipaaVpc's interface endpoints and pass EndpointSecurityGroup instead")
		}
		s.httpsViaNat = true
	}
	if p.S3PrefixListId != nil {
		if literal(p.S3PrefixListId) && !prefixListId.MatchString(*p.S3PrefixListId) {
			return nil, fail("S3PrefixListId", "%q is not a managed prefix list ID (pl-...)", *p.S3PrefixListId)
		}
		s.s3PrefixList = *p.S3PrefixListId
	}
	if p.SessionLogBucket != nil {
		if !s.sessionPrefs {
			return nil, fail("SessionLogBucket", "has no effect with DisableSessionPreferences: the bucket is set in the preferences document")
		}
		if p.S3PrefixListId == nil {
			return nil, fail("SessionLogBucket", "the bastion cannot reach S3: also set S3PrefixListId to the S3 gateway endpoint's prefix list")
		}
	}

	if literal(p.VpcCidr) {
		if _, err := validate.PrivateIPv4Cidr(*p.VpcCidr); err != nil {
			return nil, fail("VpcCidr", "%v", err)
		}
	}
	if p.ClientVpn != nil {
		v, err := resolveVpn(p.ClientVpn, p.Vpc, p.VpcCidr)
		if err != nil {
			return nil, err
		}
		s.vpn = v
	}
	return s, nil
}

func resolveVpn(c *ClientVpnProps, vpc awsec2.IVpc, vpcCidrProp *string) (*vpnSettings, error) {
	v := &vpnSettings{}
	if c.ClientCidr == nil {
		return nil, fail("ClientVpn.ClientCidr", "is required: a private range for client addresses that does not overlap the VPC")
	}
	if !literal(c.ClientCidr) {
		return nil, fail("ClientVpn.ClientCidr", "must be a literal CIDR block, not a token, so it can be checked against the VPC")
	}
	client, err := validate.PrivateIPv4Cidr(*c.ClientCidr)
	if err != nil {
		return nil, fail("ClientVpn.ClientCidr", "%v", err)
	}
	if client.Bits() < minClientCidrBits || client.Bits() > maxClientCidrBits {
		return nil, fail("ClientVpn.ClientCidr", "%q: Client VPN needs a block from /%d to /%d", *c.ClientCidr, minClientCidrBits, maxClientCidrBits)
	}
	vpcCidr, err := vpcCidrOf(vpc, vpcCidrProp)
	if err != nil {
		return nil, err
	}
	if validate.Overlaps(client, vpcCidr) {
		return nil, fail("ClientVpn.ClientCidr", "%q overlaps the VPC's %s; VPN client addresses must not collide with VPC addresses", *c.ClientCidr, vpcCidr)
	}
	v.clientCidr = client.String()

	if c.ServerCertificate == nil {
		return nil, fail("ClientVpn.ServerCertificate", "is required: the ACM certificate the endpoint presents")
	}
	if err := acmCertificate(c.ServerCertificate); err != nil {
		return nil, fail("ClientVpn.ServerCertificate", "%v", err)
	}
	v.serverCert = c.ServerCertificate

	switch {
	case c.ClientRootCertificate == nil && c.SamlProvider == nil:
		return nil, fail("ClientVpn.ClientRootCertificate/SamlProvider",
			"set one: the client root CA certificate for mutual TLS, or a SAML provider for federation")
	case c.ClientRootCertificate != nil && c.SamlProvider != nil:
		return nil, fail("ClientVpn.ClientRootCertificate/SamlProvider", "set only one authentication mode: mutual TLS or SAML federation")
	case c.ClientRootCertificate != nil:
		if err := acmCertificate(c.ClientRootCertificate); err != nil {
			return nil, fail("ClientVpn.ClientRootCertificate", "%v", err)
		}
		v.clientRootCert = c.ClientRootCertificate
	default:
		if arn := c.SamlProvider.SamlProviderArn(); literal(arn) && !samlArn.MatchString(*arn) {
			return nil, fail("ClientVpn.SamlProvider", "%q is not an IAM SAML provider ARN", *arn)
		}
		v.samlProvider = c.SamlProvider
	}
	return v, nil
}

// vpcCidrOf finds the VPC's CIDR at synth time: the VpcCidr prop, the
// attribute of an imported (looked-up) VPC, or the literal CidrBlock of a
// VPC created in this app (whose attribute is a GetAtt token).
func vpcCidrOf(vpc awsec2.IVpc, prop *string) (netip.Prefix, error) {
	var cidr string
	switch {
	case prop != nil:
		if !literal(prop) {
			return netip.Prefix{}, fail("VpcCidr", "must be a literal CIDR block, not a token")
		}
		cidr = *prop
	default:
		cidr = knownVpcCidr(vpc)
	}
	if cidr == "" {
		return netip.Prefix{}, fail("VpcCidr", "the VPC's CIDR is not known at synth time; set VpcCidr so ClientVpn.ClientCidr can be checked against it")
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, fail("VpcCidr", "%q is not an IPv4 CIDR block", cidr)
	}
	return p.Masked(), nil
}

// subnetCidrs returns the selected subnets' IPv4 CIDR blocks.
func subnetCidrs(vpc awsec2.IVpc, sel *awsec2.SubnetSelection) ([]string, error) {
	selected, err := selectSubnets(vpc, sel)
	if err != nil {
		return nil, err
	}
	return cidrsOf(selected.subnets)
}

// selection is what the checks read of a subnet selection.
type selection struct {
	subnets   []awsec2.ISubnet
	hasPublic bool
}

func selectSubnets(vpc awsec2.IVpc, sel *awsec2.SubnetSelection) (out selection, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot select the subnets: %v", firstLine(r))
		}
	}()
	got := vpc.SelectSubnets(sel)
	if got.Subnets == nil || len(*got.Subnets) == 0 {
		return out, fmt.Errorf("selects no subnets in the VPC")
	}
	return selection{subnets: *got.Subnets, hasPublic: got.HasPublic != nil && *got.HasPublic}, nil
}

// cidrsOf reads the subnets' IPv4 CIDR blocks. jsii panics when a subnet was
// imported without its CIDR; that becomes an error.
func cidrsOf(subnets []awsec2.ISubnet) (out []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot read the selected subnets' CIDR blocks: %v", firstLine(r))
		}
	}()
	for _, sn := range subnets {
		out = append(out, *sn.Ipv4CidrBlock())
	}
	return out, nil
}

func firstLine(v any) string {
	s := fmt.Sprint(v)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// knownVpcCidr is the VPC's CIDR when synth can know it: the attribute of a
// looked-up VPC, or the literal CidrBlock of a VPC created in this app. An
// imported VPC without a CIDR attribute makes jsii throw; that is "unknown".
func knownVpcCidr(vpc awsec2.IVpc) (cidr string) {
	defer func() {
		if recover() != nil {
			cidr = ""
		}
	}()
	if cfn, ok := vpc.Node().DefaultChild().(awsec2.CfnVPC); ok && literal(cfn.CidrBlock()) {
		return *cfn.CidrBlock()
	}
	if c := vpc.VpcCidrBlock(); literal(c) {
		return *c
	}
	return ""
}

// isArm64 reads the instance type's architecture; CDK throws for a type it
// cannot parse.
func isArm64(t awsec2.InstanceType) (arm bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("not an instance type CDK can place: %s", firstLine(r))
		}
	}()
	return t.Architecture() == awsec2.InstanceArchitecture_ARM_64, nil
}

// acmCertificate checks a literal certificate ARN's form.
func acmCertificate(c awscertificatemanager.ICertificate) error {
	if arn := c.CertificateArn(); literal(arn) && !acmArn.MatchString(*arn) {
		return fmt.Errorf("%q is not an ACM certificate ARN", *arn)
	}
	return nil
}

// isolated reports whether every selected subnet is isolated (no NAT route).
func isolated(vpc awsec2.IVpc, subnets []awsec2.ISubnet) bool {
	iso := map[string]bool{}
	for _, sn := range *vpc.IsolatedSubnets() {
		iso[*sn.SubnetId()] = true
	}
	for _, sn := range subnets {
		if !iso[*sn.SubnetId()] {
			return false
		}
	}
	return len(subnets) > 0
}
