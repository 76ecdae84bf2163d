package phidatabase

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

const constructName = "PhiDatabase"

// Bounds AWS applies.
const (
	minAllocatedGiB = 20
	maxAllocatedGiB = 65536
	minPort         = 1150
	maxPort         = 65535
	minMajorVersion = 14
	minAzs          = 2
	maxBackupDays   = 36500 // AWS Backup's limit: 100 years
)

// settings are the props after defaults are merged and validated.
type settings struct {
	vpc               awsec2.IVpc
	engine            Engine
	version           string
	major             string
	instanceType      awsec2.InstanceType // the InstanceType prop; nil: instanceClass, built by dbInstanceType
	instanceClass     string              // "family.size", without "db."
	allocated, maxGiB float64
	databaseName      string
	username          string
	port              float64
	identifier        string // empty: derived once the construct exists
	backupDays        float64
	logDays           float64
	removal           awscdk.RemovalPolicy
	multiAz           bool
	deletionProtected bool
	dataSubnets       *awsec2.SubnetSelection
	subnets           []awsec2.ISubnet
	clients           []awsec2.IPeer // app clients, then the access client
	clientSgIDs       []string       // their security group IDs (tokens), in the same order
	dailyDays         float64
	monthlyDays       float64
	vaultLock         bool
	serverless        bool // Aurora Serverless v2 instances between minAcu and maxAcu
	minAcu, maxAcu    float64
}

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

var (
	versionRe    = regexp.MustCompile(`^([0-9]+)\.([0-9]+)$`)
	identifierRe = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	dbNameRe     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)
	usernameRe   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)
	// instanceClassRe is "<family>.<size>", e.g. t4g.medium, r6g.2xlarge,
	// x2g.large, r6gd.xlarge.
	instanceClassRe = regexp.MustCompile(`^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[a-z0-9]+$`)
)

// resolve merges library defaults with the caller's props and checks the
// result. It reads props and never writes them, and creates no construct.
func resolve(props *PhiDatabaseProps) (*settings, error) {
	if props == nil {
		return nil, fail("Vpc", "props are required: Vpc, AppClients and AccessClient have no default")
	}
	p := *props
	s := &settings{
		engine: DefaultEngine, version: DefaultEngineVersion, allocated: DefaultAllocatedStorageGiB,
		maxGiB: DefaultMaxAllocatedStorageGiB, databaseName: DefaultDatabaseName, username: DefaultMasterUsername,
		port: DefaultPort, backupDays: DefaultBackupRetentionDays, logDays: DefaultLogRetentionDays,
		removal: awscdk.RemovalPolicy_SNAPSHOT, multiAz: true,
		dailyDays: DefaultDailyBackupRetentionDays, monthlyDays: DefaultMonthlyBackupRetentionDays,
		vaultLock: p.EnableVaultLock != nil && *p.EnableVaultLock,
	}

	if p.Vpc == nil {
		return nil, fail("Vpc", "a VPC is required (normally HipaaVpc.Vpc())")
	}
	s.vpc = p.Vpc
	if err := resolveClients(&p, s); err != nil {
		return nil, err
	}

	// Enforced settings: a request for a weaker database is an error, never a
	// silently weaker template.
	if p.PubliclyAccessible != nil && *p.PubliclyAccessible {
		return nil, fail("PubliclyAccessible", "a PHI database is never publicly accessible; reach it from the app tier or through BastionAccess/VPN")
	}
	if p.StorageEncrypted != nil && !*p.StorageEncrypted {
		return nil, fail("StorageEncrypted", "storage encryption with a customer-managed KMS key is enforced for PHI and cannot be turned off")
	}
	if p.EncryptionKey != nil {
		if err := kmskeys.CheckCustomerManaged(p.EncryptionKey); err != nil {
			return nil, fail("EncryptionKey", "%v", err)
		}
	}
	optOut := p.DisableMultiAzForNonPhiEnvironment != nil && *p.DisableMultiAzForNonPhiEnvironment
	if p.MultiAz != nil && !*p.MultiAz && !optOut {
		return nil, fail("MultiAz", "Multi-AZ cannot be turned off for PHI; for an environment that holds no PHI set DisableMultiAzForNonPhiEnvironment instead")
	}
	if p.MultiAz != nil && *p.MultiAz && optOut {
		return nil, fail("MultiAz", "contradicts DisableMultiAzForNonPhiEnvironment; set only one")
	}
	s.multiAz = !optOut
	s.deletionProtected = p.DisableDeletionProtectionForNonPhiEnvironment == nil || !*p.DisableDeletionProtectionForNonPhiEnvironment

	switch p.RemovalPolicy {
	case "", awscdk.RemovalPolicy_SNAPSHOT:
	case awscdk.RemovalPolicy_RETAIN:
		s.removal = awscdk.RemovalPolicy_RETAIN
	default:
		return nil, fail("RemovalPolicy", "%s: a PHI database is removed only with a final snapshot (SNAPSHOT) or kept (RETAIN)", p.RemovalPolicy)
	}

	switch p.Engine {
	case "", EnginePostgres:
	case EngineAuroraPostgres:
		s.engine = EngineAuroraPostgres
	default:
		return nil, fail("Engine", "%q: use EnginePostgres or EngineAuroraPostgres", p.Engine)
	}
	if p.EngineVersion != nil {
		s.version = *p.EngineVersion
	}
	m := versionRe.FindStringSubmatch(s.version)
	if m == nil {
		return nil, fail("EngineVersion", "%q: give a PostgreSQL \"major.minor\" version such as %q", s.version, DefaultEngineVersion)
	}
	if major, _ := strconv.Atoi(m[1]); major < minMajorVersion {
		return nil, fail("EngineVersion", "%q: PostgreSQL %d and later are supported; older majors are out of standard support", s.version, minMajorVersion)
	}
	s.major = m[1]

	if err := resolveServerless(&p, s); err != nil {
		return nil, err
	}
	if err := resolveInstanceType(&p, s); err != nil {
		return nil, err
	}
	if err := resolveNumbers(&p, s); err != nil {
		return nil, err
	}
	if err := resolveNames(&p, s); err != nil {
		return nil, err
	}
	return s, resolveSubnets(&p, s)
}

func resolveClients(p *PhiDatabaseProps, s *settings) error {
	if p.AppClients == nil || len(*p.AppClients) == 0 {
		return fail("AppClients", "at least one backend application security group is required")
	}
	for i, peer := range *p.AppClients {
		id, err := securityGroupPeer(peer)
		if err != nil {
			return fail("AppClients", "entry %d: %v", i, err)
		}
		s.clients, s.clientSgIDs = append(s.clients, peer), append(s.clientSgIDs, id)
	}
	if p.AccessClient == nil {
		return fail("AccessClient", "the BastionAccess or VPN security group is required")
	}
	id, err := securityGroupPeer(p.AccessClient)
	if err != nil {
		return fail("AccessClient", "%v", err)
	}
	s.clients, s.clientSgIDs = append(s.clients, p.AccessClient), append(s.clientSgIDs, id)
	// CDK drops a duplicate ingress rule silently, so a group listed twice
	// would quietly shrink the two doors to one.
	seen := map[string]bool{}
	for i, id := range s.clientSgIDs {
		if seen[id] {
			return fail("AppClients", "security group %s is listed twice (or is also the AccessClient); the app tier and the access tier are separate doors", *s.clients[i].UniqueId())
		}
		seen[id] = true
	}
	return nil
}

// securityGroupPeer accepts a peer only when its ingress rule names a source
// security group and nothing else: a CIDR or prefix-list peer would admit
// addresses, not workloads. It returns the group's ID.
func securityGroupPeer(peer awsec2.IPeer) (string, error) {
	if peer == nil {
		return "", fmt.Errorf("is nil")
	}
	cfg := peer.ToIngressRuleConfig()
	if cfg == nil {
		return "", fmt.Errorf("is not a security group")
	}
	for _, any := range []string{"0.0.0.0/0", "::/0"} {
		if eq(cfg.CidrIp, any) || eq(cfg.CidrIpv6, any) {
			return "", fmt.Errorf("%s (any address) is never allowed to reach a PHI database; pass a security group", any)
		}
	}
	if cfg.CidrIp != nil || cfg.CidrIpv6 != nil || cfg.SourcePrefixListId != nil {
		return "", fmt.Errorf("%s is a CIDR or prefix-list peer; only security groups are allowed", *peer.UniqueId())
	}
	if cfg.SourceSecurityGroupId == nil {
		return "", fmt.Errorf("%s is not a security group", *peer.UniqueId())
	}
	return *cfg.SourceSecurityGroupId, nil
}

func eq(p *string, v string) bool { return p != nil && *p == v }

func isTrue(b *bool) bool { return b != nil && *b }

// unencryptable are instance classes RDS cannot encrypt at rest.
var unencryptable = []string{"t1.", "m1.", "m2.", "t2.micro"}

// CheckServerlessV2Capacity reports what is wrong with Aurora Serverless v2
// bounds: each from MinServerlessV2Acu to MaxServerlessV2Acu in steps of
// 0.5, and min at most max. It is pure, so a profile can run it before synth.
func CheckServerlessV2Capacity(min, max float64) error {
	for _, v := range []struct {
		name string
		acu  float64
	}{{"MinCapacity", min}, {"MaxCapacity", max}} {
		if v.acu < MinServerlessV2Acu || v.acu > MaxServerlessV2Acu || !validate.IsWhole(v.acu*2) {
			return fmt.Errorf("%s %v: Aurora Serverless v2 capacity is from %v to %v ACUs in steps of 0.5", v.name, v.acu, MinServerlessV2Acu, MaxServerlessV2Acu)
		}
	}
	if min > max {
		return fmt.Errorf("MinCapacity %v is above MaxCapacity %v", min, max)
	}
	return nil
}

func resolveServerless(p *PhiDatabaseProps, s *settings) error {
	if p.ServerlessV2 == nil {
		return nil
	}
	if s.engine != EngineAuroraPostgres {
		return fail("ServerlessV2", "Aurora Serverless v2 is an Aurora capacity mode; set Engine to EngineAuroraPostgres, or leave ServerlessV2 unset for RDS for PostgreSQL")
	}
	if p.InstanceType != nil {
		return fail("InstanceType", "does not apply with ServerlessV2, whose instances are db.serverless; leave it unset")
	}
	sv := *p.ServerlessV2
	s.serverless, s.minAcu, s.maxAcu = true, MinServerlessV2Acu, DefaultServerlessV2MaxAcu
	for prop, v := range map[string]*float64{"ServerlessV2.MinCapacity": sv.MinCapacity, "ServerlessV2.MaxCapacity": sv.MaxCapacity} {
		if validate.Token(v) {
			return fail(prop, "%s", validate.LiteralRequired("the capacity bounds are checked and priced at synth time"))
		}
	}
	if sv.MinCapacity != nil {
		s.minAcu = *sv.MinCapacity
	}
	if sv.MaxCapacity != nil {
		s.maxAcu = *sv.MaxCapacity
	}
	if err := CheckServerlessV2Capacity(s.minAcu, s.maxAcu); err != nil {
		return fail("ServerlessV2", "%v", err)
	}
	return nil
}

func resolveInstanceType(p *PhiDatabaseProps, s *settings) error {
	if s.serverless {
		return nil
	}
	// The default is a class name, not an awsec2.InstanceType: building one
	// is a jsii call, made where the database is created (dbInstanceType).
	name := DefaultInstanceType
	if p.InstanceType != nil {
		s.instanceType = p.InstanceType
		name = *p.InstanceType.ToString()
	}
	class := strings.TrimPrefix(name, "db.")
	if !instanceClassRe.MatchString(class) {
		return fail("InstanceType", "%q is not a DB instance class such as db.%s (family.size)", name, DefaultInstanceType)
	}
	for _, bad := range unencryptable {
		if strings.HasPrefix(class, bad) {
			return fail("InstanceType", "db.%s cannot be encrypted at rest; choose a current class such as db.%s", class, DefaultInstanceType)
		}
	}
	if s.engine == EngineAuroraPostgres && !auroraClass(class) {
		return fail("InstanceType", "db.%s is not offered by Aurora PostgreSQL; use a memory-optimized (r, x2g) class or t3/t4g medium or large", class)
	}
	s.instanceClass = class
	return nil
}

// auroraClass reports whether Aurora PostgreSQL offers a provisioned class.
func auroraClass(class string) bool {
	family, size, _ := strings.Cut(class, ".")
	switch {
	case strings.HasPrefix(family, "r"), strings.HasPrefix(family, "x2"):
		return true
	case family == "t3" || family == "t4g":
		return size == "medium" || size == "large"
	}
	return false
}

func resolveNumbers(p *PhiDatabaseProps, s *settings) error {
	// Numbers the construct must know at synth time are refused as tokens:
	// the port goes into every security-group rule, and retention floors
	// (backups, logs, recovery points) cannot be checked on a token.
	literal := map[string]*float64{
		"BackupRetentionDays": p.BackupRetentionDays, "Port": p.Port, "LogRetentionDays": p.LogRetentionDays,
		"DailyBackupRetentionDays": p.DailyBackupRetentionDays, "MonthlyBackupRetentionDays": p.MonthlyBackupRetentionDays,
	}
	for _, prop := range []string{"BackupRetentionDays", "Port", "LogRetentionDays", "DailyBackupRetentionDays", "MonthlyBackupRetentionDays"} {
		if validate.Token(literal[prop]) {
			return fail(prop, "%s", validate.LiteralRequired("it is checked against HIPAA's floors and AWS's limits at synth time"))
		}
	}
	whole := func(prop string, v *float64, lo, hi float64, dst *float64) error {
		if v == nil {
			return nil
		}
		if validate.Token(v) { // honoured: the template carries the token
			*dst = *v
			return nil
		}
		if !validate.IsWhole(*v) || *v < lo || *v > hi {
			return fail(prop, "%v: must be a whole number from %v to %v", *v, lo, hi)
		}
		*dst = *v
		return nil
	}
	if err := whole("BackupRetentionDays", p.BackupRetentionDays, MinBackupRetentionDays, MaxBackupRetentionDays, &s.backupDays); err != nil {
		return err
	}
	if err := whole("Port", p.Port, minPort, maxPort, &s.port); err != nil {
		return err
	}
	if s.engine == EngineAuroraPostgres && (p.AllocatedStorageGiB != nil || p.MaxAllocatedStorageGiB != nil) {
		return fail("AllocatedStorageGiB", "does not apply to Aurora, whose storage grows on its own; leave it unset")
	}
	if err := whole("AllocatedStorageGiB", p.AllocatedStorageGiB, minAllocatedGiB, maxAllocatedGiB, &s.allocated); err != nil {
		return err
	}
	if err := whole("MaxAllocatedStorageGiB", p.MaxAllocatedStorageGiB, minAllocatedGiB, maxAllocatedGiB, &s.maxGiB); err != nil {
		return err
	}
	if !validate.Token(&s.maxGiB) && !validate.Token(&s.allocated) && s.maxGiB <= s.allocated {
		return fail("MaxAllocatedStorageGiB", "%v must be larger than AllocatedStorageGiB (%v) for storage autoscaling", s.maxGiB, s.allocated)
	}
	if p.LogRetentionDays != nil {
		if err := retention.CheckPhiLog(*p.LogRetentionDays, isTrue(p.AllowRetentionShorterThanSixYears)); err != nil {
			return fail("LogRetentionDays", "%v", err)
		}
		s.logDays = *p.LogRetentionDays
	}
	if err := whole("DailyBackupRetentionDays", p.DailyBackupRetentionDays, 1, maxBackupDays, &s.dailyDays); err != nil {
		return err
	}
	if err := whole("MonthlyBackupRetentionDays", p.MonthlyBackupRetentionDays, 1, maxBackupDays, &s.monthlyDays); err != nil {
		return err
	}
	if s.monthlyDays < s.dailyDays {
		return fail("MonthlyBackupRetentionDays", "%v is shorter than DailyBackupRetentionDays (%v)", s.monthlyDays, s.dailyDays)
	}
	if s.vaultLock && s.monthlyDays == s.dailyDays {
		return fail("MonthlyBackupRetentionDays", "%v equals DailyBackupRetentionDays: with EnableVaultLock the lock's maximum retention "+
			"(monthly) must be longer than its minimum (daily)", s.monthlyDays)
	}
	return nil
}

func resolveNames(p *PhiDatabaseProps, s *settings) error {
	if p.DatabaseName != nil {
		if !dbNameRe.MatchString(*p.DatabaseName) {
			return fail("DatabaseName", "%q: 1 to 63 letters, digits or underscores, starting with a letter", *p.DatabaseName)
		}
		switch strings.ToLower(*p.DatabaseName) {
		case "template0", "template1", "rdsadmin":
			return fail("DatabaseName", "%q is reserved by PostgreSQL or RDS", *p.DatabaseName)
		}
		s.databaseName = *p.DatabaseName
	}
	if p.MasterUsername != nil {
		u := *p.MasterUsername
		if !usernameRe.MatchString(u) || strings.EqualFold(u, "rdsadmin") {
			return fail("MasterUsername", "%q: 1 to 63 letters, digits or underscores, starting with a letter, and not rdsadmin", u)
		}
		s.username = u
	}
	if p.Identifier != nil {
		id := *p.Identifier
		if !identifierRe.MatchString(id) || strings.Contains(id, "--") || strings.HasSuffix(id, "-") {
			return fail("Identifier", "%q: 1 to 63 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen", id)
		}
		s.identifier = id
	}
	return nil
}

// resolveSubnets enforces the isolated data tier: every selected subnet must
// be an isolated subnet of the VPC, and they must span two AZs.
func resolveSubnets(p *PhiDatabaseProps, s *settings) (err error) {
	s.dataSubnets = p.DataSubnets
	if s.dataSubnets == nil {
		s.dataSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.DataTierName)}
	}
	defer func() {
		// SelectSubnets panics when the selection matches no subnet group.
		if r := recover(); r != nil {
			msg, _, _ := strings.Cut(fmt.Sprint(r), "\n")
			err = fail("DataSubnets", "the selection matches no subnets of the VPC: %s", msg)
		}
	}()
	isolated := map[string]bool{}
	for _, sn := range *p.Vpc.IsolatedSubnets() {
		isolated[*sn.SubnetId()] = true
	}
	dataTier := dataTierSubnetIDs(p.Vpc)
	selected := p.Vpc.SelectSubnets(s.dataSubnets)
	azs := map[string]bool{}
	for _, sn := range *selected.Subnets {
		if !isolated[*sn.SubnetId()] {
			return fail("DataSubnets", "subnet %s is not an isolated subnet; a PHI database lives only in the isolated data tier", *sn.Node().Path())
		}
		// Without NAT, HipaaVpc's app tier is isolated too: being isolated is
		// not enough where the VPC has a data tier.
		if dataTier != nil && !dataTier[*sn.SubnetId()] {
			return fail("DataSubnets", "subnet %s is not in the %q tier; a PHI database lives only in the data tier", *sn.Node().Path(), hipaavpc.DataTierName)
		}
		azs[*sn.AvailabilityZone()] = true
		s.subnets = append(s.subnets, sn)
	}
	if len(s.subnets) == 0 {
		return fail("DataSubnets", "the selection matches no subnets; a PHI database lives in the isolated data tier")
	}
	if len(azs) < minAzs {
		return fail("DataSubnets", "the subnets span %d Availability Zone(s); RDS needs at least %d", len(azs), minAzs)
	}
	return nil
}

// dataTierSubnetIDs returns the IDs of the VPC's HipaaVpc data tier, or nil
// when the VPC has no subnet group of that name.
func dataTierSubnetIDs(vpc awsec2.IVpc) (ids map[string]bool) {
	defer func() {
		if recover() != nil {
			ids = nil // no such subnet group
		}
	}()
	sel := vpc.SelectSubnets(&awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.DataTierName)})
	ids = map[string]bool{}
	for _, sn := range *sel.Subnets {
		ids[*sn.SubnetId()] = true
	}
	return ids
}
