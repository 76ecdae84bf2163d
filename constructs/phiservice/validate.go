package phiservice

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

const constructName = "PhiService"

// Bounds AWS (or a non-root container) applies.
const (
	minUnprivilegedPort = 1024
	maxPort             = 65535
	minAzs              = 2
	minWafRateLimit     = 10
	maxWafRateLimit     = 2000000000
	maxRepositoryImages = 10000
	maxTasks            = 1000
	httpsPort           = 443
	httpPort            = 80
	anyIPv4             = "0.0.0.0/0"
)

// settings are the props after defaults are merged and validated.
type settings struct {
	port, cpu, memory         float64
	desired, max              float64
	cpuTarget, requestsTarget float64
	user                      string
	writable                  []string
	healthPath                string
	healthCommand             []string
	environment               map[string]string // literal names; values may be tokens
	envNames                  []string          // sorted
	secretNames               []string          // sorted
	logDays                   float64
	wafLimit, wafBlocked      float64
	fivexxPercent             float64
	internal                  bool
	cidrs                     []string
	deletionProtected         bool
	sslPolicy                 awselasticloadbalancingv2.SslPolicy
	createRepository          bool
	imageTag                  string
	maxImages                 float64
	taskSubnets               *awsec2.SubnetSelection
	singleTask                bool
	exec                      bool
	dbPort                    float64
	egress                    []*Egress
}

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

func isTrue(b *bool) bool { return b != nil && *b }

var (
	envNameRe   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	userRe      = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$`)
	digestRe    = regexp.MustCompile(`^sha256:[a-f0-9]{64}$`)
	imageTagRe  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	healthRe    = regexp.MustCompile(`^/[A-Za-z0-9/._~%!$&'()*+,;=:@-]*$`)
	absPathRe   = regexp.MustCompile(`^/[A-Za-z0-9/._-]*$`)
	secretWords = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL"}
	secretParts = map[string]bool{"KEY": true, "PWD": true, "APIKEY": true, "ACCESSKEY": true, "PRIVATEKEY": true}
)

// tls12Policies are the listener policies that accept nothing below TLS 1.2.
var tls12Policies = map[awselasticloadbalancingv2.SslPolicy]bool{}

func init() {
	for _, p := range []awselasticloadbalancingv2.SslPolicy{
		awselasticloadbalancingv2.SslPolicy_RECOMMENDED_TLS, awselasticloadbalancingv2.SslPolicy_TLS13_12_PQ,
		awselasticloadbalancingv2.SslPolicy_TLS13_RES, awselasticloadbalancingv2.SslPolicy_TLS13_EXT1,
		awselasticloadbalancingv2.SslPolicy_TLS13_EXT2, awselasticloadbalancingv2.SslPolicy_TLS13_13,
		awselasticloadbalancingv2.SslPolicy_TLS13_13_PQ, awselasticloadbalancingv2.SslPolicy_TLS13_12_RES_PQ,
		awselasticloadbalancingv2.SslPolicy_TLS13_12_EXT1_PQ, awselasticloadbalancingv2.SslPolicy_TLS13_12_EXT2_PQ,
		awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_13, awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_RES,
		awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12, awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_EXT0,
		awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_EXT1, awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_EXT2,
		awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_13_PQ, awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_PQ,
		awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_RES_PQ, awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_EXT0_PQ,
		awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_EXT1_PQ, awselasticloadbalancingv2.SslPolicy_FIPS_TLS13_12_EXT2_PQ,
		awselasticloadbalancingv2.SslPolicy_FORWARD_SECRECY_TLS12_RES_GCM, awselasticloadbalancingv2.SslPolicy_FORWARD_SECRECY_TLS12_RES,
		awselasticloadbalancingv2.SslPolicy_FORWARD_SECRECY_TLS12, awselasticloadbalancingv2.SslPolicy_TLS12,
		awselasticloadbalancingv2.SslPolicy_TLS12_EXT,
	} {
		tls12Policies[p] = true
	}
}

// fargateMemory lists, per CPU unit value, the memory sizes Fargate offers.
func fargateMemory(cpu float64) (lo, hi, step float64, ok bool) {
	switch cpu {
	case 256:
		return 512, 2048, 512, true // 512, 1024, 2048 (checked below)
	case 512:
		return 1024, 4096, 1024, true
	case 1024:
		return 2048, 8192, 1024, true
	case 2048:
		return 4096, 16384, 1024, true
	case 4096:
		return 8192, 30720, 1024, true
	case 8192:
		return 16384, 61440, 4096, true
	case 16384:
		return 32768, 122880, 8192, true
	}
	return 0, 0, 0, false
}

// resolve merges library defaults with the caller's props and checks the
// result. It reads props and never writes them, and creates no construct.
func resolve(props *PhiServiceProps) (*settings, error) {
	if props == nil {
		return nil, fail("Vpc", "props are required: Vpc, AppSecurityGroup, Certificate and AlarmTopic have no default")
	}
	p := *props
	s := &settings{
		port: DefaultContainerPort, cpu: DefaultCpu, memory: DefaultMemoryMiB,
		desired: DefaultDesiredCount, max: DefaultMaxCount,
		cpuTarget: DefaultCpuTargetPercent, requestsTarget: DefaultRequestsPerTarget,
		user: DefaultUser, writable: []string{DefaultWritablePath}, healthPath: DefaultHealthCheckPath,
		logDays: DefaultLogRetentionDays, wafLimit: DefaultWafRateLimit, wafBlocked: DefaultWafBlockedRequestsThreshold,
		fivexxPercent: DefaultTarget5xxPercent, sslPolicy: DefaultSslPolicy, maxImages: DefaultRepositoryMaxImages,
		internal: isTrue(p.Internal), exec: isTrue(p.EnableExecuteCommand),
		singleTask:        isTrue(p.AllowSingleTaskForNonPhiEnvironment),
		deletionProtected: !isTrue(p.DisableDeletionProtectionForNonPhiEnvironment),
	}
	if p.Vpc == nil {
		return nil, fail("Vpc", "a VPC is required (normally HipaaVpc.Vpc())")
	}
	if p.AppSecurityGroup == nil {
		return nil, fail("AppSecurityGroup", "the app-tier security group the database admits is required (the network stack's AppTierGroup)")
	}
	if out := p.AppSecurityGroup.AllowAllOutbound(); out == nil || *out {
		return nil, fail("AppSecurityGroup", "%s allows all outbound traffic; create (or import) it with AllowAllOutbound false: PhiService adds the egress the tasks need", *p.AppSecurityGroup.Node().Path())
	}
	if p.Certificate == nil {
		return nil, fail("Certificate", "an ACM certificate for the HTTPS listener is required; the load balancer serves HTTPS only")
	}
	if arn := p.Certificate.CertificateArn(); arn != nil && !validate.StringToken(*arn) && !strings.Contains(*arn, ":acm:") {
		return nil, fail("Certificate", "%q is not an ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>)", *arn)
	}
	if p.AlarmTopic == nil {
		return nil, fail("AlarmTopic", "the SNS topic the alarms notify is required (normally AuditTrail.Topic())")
	}

	// Enforced settings: a request for a weaker service is an error.
	if isTrue(p.AssignPublicIp) {
		return nil, fail("AssignPublicIp", "tasks never get a public IP; they sit in the app tier and are reached through the load balancer")
	}
	if p.ReadonlyRootFilesystem != nil && !*p.ReadonlyRootFilesystem {
		return nil, fail("ReadonlyRootFilesystem", "the container's root filesystem is read-only; list the directories it must write to in WritablePaths")
	}
	if isTrue(p.Privileged) {
		return nil, fail("Privileged", "containers never run privileged")
	}
	if p.SslPolicy != "" {
		if !tls12Policies[p.SslPolicy] {
			return nil, fail("SslPolicy", "%s accepts TLS below 1.2 (or is unknown); use %s (TLS 1.3 preferred, TLS 1.2 minimum) or another TLS 1.2+ policy", p.SslPolicy, DefaultSslPolicy)
		}
		s.sslPolicy = p.SslPolicy
	}
	if p.EncryptionKey != nil {
		if err := kmskeys.CheckCustomerManaged(p.EncryptionKey); err != nil {
			return nil, fail("EncryptionKey", "%v", err)
		}
	}
	for _, f := range []func(*PhiServiceProps, *settings) error{resolveImage, resolveNumbers, resolveContainer, resolveEnvironment, resolveDatabase, resolveEgress, resolveLoadBalancer} {
		if err := f(&p, s); err != nil {
			return nil, err
		}
	}
	return s, resolveSubnets(&p, s)
}

func resolveImage(p *PhiServiceProps, s *settings) error {
	switch {
	case p.RegistryImage != nil && p.Repository != nil:
		return fail("RegistryImage", "and Repository are both set; run an image from one or the other")
	case p.RegistryImage != nil && p.RepositoryOptions != nil:
		return fail("RepositoryOptions", "configures the repository PhiService creates, and RegistryImage is set; give one or the other")
	case p.Repository != nil && p.RepositoryOptions != nil:
		return fail("RepositoryOptions", "configures the repository PhiService creates, and Repository (an existing one) is set; give one or the other")
	}
	if p.RegistryImage != nil {
		if p.ImageTag != nil {
			return fail("ImageTag", "names a tag of the ECR repository, and RegistryImage is set; put the tag in RegistryImage")
		}
		img := *p.RegistryImage
		if !validate.StringToken(img) {
			if img == "" || strings.ContainsAny(img, " \t\n") {
				return fail("RegistryImage", "%q is not an image reference such as public.ecr.aws/nginx/nginx-unprivileged:stable", img)
			}
			if !strings.Contains(img, ":") && !strings.Contains(img, "@") {
				return fail("RegistryImage", "%q has no tag or digest (it would run whatever \"latest\" is at each deploy); name a tag or a digest", img)
			}
		}
		return nil
	}
	s.createRepository = p.Repository == nil
	if p.ImageTag == nil || *p.ImageTag == "" {
		return fail("ImageTag", "is required with an ECR repository (created or Repository): its tags are immutable, so name the release to run (e.g. \"v1.4.2\"), or give RegistryImage")
	}
	if !validate.StringToken(*p.ImageTag) {
		if !imageTagRe.MatchString(*p.ImageTag) && !digestRe.MatchString(*p.ImageTag) {
			return fail("ImageTag", "%q is not an image tag (letters, digits, '_', '.', '-'; up to 128) or sha256:<digest>", *p.ImageTag)
		}
		if *p.ImageTag == "latest" {
			return fail("ImageTag", "\"latest\" names no release in a repository with immutable tags; name the version to run")
		}
	}
	s.imageTag = *p.ImageTag
	if p.RepositoryOptions != nil && p.RepositoryOptions.MaxImages != nil {
		v := *p.RepositoryOptions.MaxImages
		if validate.Token(&v) {
			return fail("RepositoryOptions.MaxImages", "%s", validate.LiteralRequired("it is written into the lifecycle policy text"))
		}
		if !validate.IsWhole(v) || v < 1 || v > maxRepositoryImages {
			return fail("RepositoryOptions.MaxImages", "%v: must be a whole number from 1 to %d", v, maxRepositoryImages)
		}
		s.maxImages = v
	}
	return nil
}

func resolveNumbers(p *PhiServiceProps, s *settings) error {
	nums := []struct {
		prop   string
		v      *float64
		lo, hi float64
		dst    *float64
		why    string
	}{
		{"ContainerPort", p.ContainerPort, minUnprivilegedPort, maxPort, &s.port, "it is written into security-group rules"},
		{"Cpu", p.Cpu, 256, 16384, &s.cpu, "it is checked against Fargate's CPU/memory combinations"},
		{"MemoryLimitMiB", p.MemoryLimitMiB, 512, 122880, &s.memory, "it is checked against Fargate's CPU/memory combinations"},
		{"DesiredCount", p.DesiredCount, 1, maxTasks, &s.desired, "at least two tasks are enforced where PHI is held"},
		{"MaxCount", p.MaxCount, 1, maxTasks, &s.max, "it must be at least DesiredCount"},
		{"CpuTargetPercent", p.CpuTargetPercent, 10, 90, &s.cpuTarget, "it is checked at synth"},
		{"RequestsPerTarget", p.RequestsPerTarget, 1, 1000000, &s.requestsTarget, "it is checked at synth"},
		{"WafRateLimit", p.WafRateLimit, minWafRateLimit, maxWafRateLimit, &s.wafLimit, "it is checked against AWS WAF's limits"},
		{"WafBlockedRequestsThreshold", p.WafBlockedRequestsThreshold, 1, 1e9, &s.wafBlocked, "it is checked at synth"},
		{"LogRetentionDays", p.LogRetentionDays, 1, retention.InfiniteDays, &s.logDays, "it is checked against the six-year rule"},
	}
	for _, n := range nums {
		if n.v == nil {
			continue
		}
		if validate.Token(n.v) {
			return fail(n.prop, "%s", validate.LiteralRequired(n.why))
		}
		if !validate.IsWhole(*n.v) || *n.v < n.lo || *n.v > n.hi {
			return fail(n.prop, "%v: must be a whole number from %v to %v", *n.v, n.lo, n.hi)
		}
		*n.dst = *n.v
	}
	if p.Target5xxPercent != nil {
		v := *p.Target5xxPercent
		if validate.Token(&v) {
			return fail("Target5xxPercent", "%s", validate.LiteralRequired("it is the alarm's threshold"))
		}
		if v <= 0 || v > 100 {
			return fail("Target5xxPercent", "%v: must be above 0 and at most 100", v)
		}
		s.fivexxPercent = v
	}
	lo, hi, step, ok := fargateMemory(s.cpu)
	if !ok {
		return fail("Cpu", "%v is not a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384)", s.cpu)
	}
	validMem := s.memory >= lo && s.memory <= hi && int64(s.memory-lo)%int64(step) == 0
	if s.cpu == 256 {
		validMem = s.memory == 512 || s.memory == 1024 || s.memory == 2048
	}
	if !validMem {
		return fail("MemoryLimitMiB", "%v MiB does not go with %v CPU units on Fargate: use %v to %v in steps of %v", s.memory, s.cpu, lo, hi, step)
	}
	if s.desired < minAzs && !s.singleTask {
		return fail("DesiredCount", "%v: at least %d tasks (across Availability Zones) serve PHI; for an environment that holds no PHI set AllowSingleTaskForNonPhiEnvironment", s.desired, minAzs)
	}
	if p.MaxCount == nil && s.max < s.desired {
		s.max = s.desired
	}
	if s.max < s.desired {
		return fail("MaxCount", "%v is below DesiredCount (%v)", s.max, s.desired)
	}
	if p.LogRetentionDays != nil {
		if err := retention.CheckPhiLog(s.logDays, isTrue(p.AllowRetentionShorterThanSixYears)); err != nil {
			return fail("LogRetentionDays", "%v", err)
		}
	}
	return nil
}

func resolveContainer(p *PhiServiceProps, s *settings) error {
	if p.User != nil {
		u := *p.User
		if !userRe.MatchString(u) {
			return fail("User", "%q: give \"uid\", \"uid:gid\" or a user name", u)
		}
		s.user = u
	}
	name, _, _ := strings.Cut(s.user, ":")
	if (name == "0" || name == "root") && !isTrue(p.AllowRootUser) {
		return fail("User", "%q runs the container as root; use a non-root user (default %q), or set AllowRootUser for an image that cannot run otherwise", s.user, DefaultUser)
	}
	if p.WritablePaths != nil {
		s.writable = nil
		seen := map[string]bool{}
		for i, w := range *p.WritablePaths {
			if w == nil || !absPathRe.MatchString(*w) || *w == "/" || strings.Contains(*w, "..") {
				return fail("WritablePaths", "entry %d: %v is not an absolute directory other than / (letters, digits, '/', '.', '_', '-')", i, deref(w))
			}
			if seen[*w] {
				return fail("WritablePaths", "%q is listed twice", *w)
			}
			seen[*w] = true
			s.writable = append(s.writable, *w)
		}
	}
	if p.HealthCheckPath != nil {
		if !healthRe.MatchString(*p.HealthCheckPath) || len(*p.HealthCheckPath) > 1024 {
			return fail("HealthCheckPath", "%q: must start with / and be a URL path of up to 1024 characters", *p.HealthCheckPath)
		}
		s.healthPath = *p.HealthCheckPath
	}
	if p.HealthCheckCommand != nil {
		cmd := *p.HealthCheckCommand
		if len(cmd) < 2 || cmd[0] == nil || (*cmd[0] != "CMD" && *cmd[0] != "CMD-SHELL") {
			return fail("HealthCheckCommand", "must start with \"CMD\" or \"CMD-SHELL\" followed by the command")
		}
		for _, c := range cmd {
			if c == nil {
				return fail("HealthCheckCommand", "has a nil entry")
			}
			s.healthCommand = append(s.healthCommand, *c)
		}
	} else {
		s.healthCommand = []string{"CMD-SHELL", fmt.Sprintf("curl -fsS http://localhost:%v%s >/dev/null || exit 1", s.port, s.healthPath)}
	}
	return nil
}

// looksSecret reports whether an environment variable name suggests a
// secret value: PASSWORD, SECRET, TOKEN, ... anywhere, or KEY, PWD, AUTH as
// one of its words.
func looksSecret(name string) bool {
	up := strings.ToUpper(name)
	for _, w := range secretWords {
		if strings.Contains(up, w) {
			return true
		}
	}
	for _, part := range strings.FieldsFunc(up, func(r rune) bool { return r == '_' || (r >= '0' && r <= '9') }) {
		if secretParts[part] || strings.HasSuffix(part, "APIKEY") {
			return true
		}
	}
	return false
}

func resolveEnvironment(p *PhiServiceProps, s *settings) error {
	s.environment = map[string]string{}
	if p.Environment != nil {
		for name, v := range *p.Environment {
			if !envNameRe.MatchString(name) {
				return fail("Environment", "%q is not an environment variable name (letters, digits, '_', not starting with a digit)", name)
			}
			if looksSecret(name) {
				return fail("Environment", "%q looks like a secret (PASSWORD, SECRET, TOKEN, KEY, ...): a plain value would be in the template and the task definition; inject it through Secrets from Secrets Manager or SSM", name)
			}
			if v == nil {
				return fail("Environment", "%q has a nil value", name)
			}
			if isReservedEnv(name) && p.Database != nil {
				return fail("Environment", "%q is set by PhiService from Database; remove it", name)
			}
			s.environment[name] = *v
			s.envNames = append(s.envNames, name)
		}
	}
	if p.Secrets != nil {
		for name, sec := range *p.Secrets {
			if !envNameRe.MatchString(name) {
				return fail("Secrets", "%q is not an environment variable name", name)
			}
			if _, dup := s.environment[name]; dup {
				return fail("Secrets", "%q is also a plain Environment variable; keep one", name)
			}
			if isReservedEnv(name) && p.Database != nil {
				return fail("Secrets", "%q is set by PhiService from Database; remove it", name)
			}
			switch {
			case sec == nil || (sec.Secret == nil && sec.Parameter == nil):
				return fail("Secrets", "%q: give a Secrets Manager Secret or an SSM Parameter", name)
			case sec.Secret != nil && sec.Parameter != nil:
				return fail("Secrets", "%q: give Secret or Parameter, not both", name)
			case sec.Parameter != nil && sec.JsonField != nil:
				return fail("Secrets", "%q: JsonField selects a key of a Secrets Manager secret; SSM parameters have none", name)
			case sec.JsonField != nil && *sec.JsonField == "":
				return fail("Secrets", "%q: JsonField is empty", name)
			}
			s.secretNames = append(s.secretNames, name)
		}
	}
	sort.Strings(s.envNames)
	sort.Strings(s.secretNames)
	return nil
}

func isReservedEnv(name string) bool {
	switch name {
	case DatabaseHostEnv, DatabasePortEnv, DatabaseNameEnv, DatabaseUserEnv, DatabaseSslModeEnv:
		return true
	}
	return false
}

var dbUserRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

func resolveDatabase(p *PhiServiceProps, s *settings) error {
	if p.Database == nil {
		return nil
	}
	if p.Database.Database == nil {
		return fail("Database.Database", "the PhiDatabase is required")
	}
	if p.Database.User == nil || !dbUserRe.MatchString(*p.Database.User) {
		return fail("Database.User", "%v: a PostgreSQL user name the tasks connect as with IAM authentication (letters, digits, underscores)", deref(p.Database.User))
	}
	if !p.Database.Database.AdmitsAppClient(p.AppSecurityGroup) {
		return fail("AppSecurityGroup", "%s is not one of the database's AppClients; the tasks must join the security group the database admits as its app tier (no third door)", *p.AppSecurityGroup.Node().Path())
	}
	s.dbPort = p.Database.Database.PortNumber()
	return nil
}

func resolveEgress(p *PhiServiceProps, s *settings) error {
	if p.Egress == nil {
		return nil
	}
	for i, e := range *p.Egress {
		if e == nil || e.Peer == nil || e.Port == nil {
			return fail("Egress", "entry %d: Peer and Port are required", i)
		}
		if e.Description == nil || strings.TrimSpace(*e.Description) == "" {
			return fail("Egress", "entry %d: a Description saying why is required", i)
		}
		rule := e.Port.ToRuleJson().(map[string]interface{})
		proto, _ := rule["ipProtocol"].(string)
		from, _ := rule["fromPort"].(float64)
		to, _ := rule["toPort"].(float64)
		if proto != "tcp" && proto != "udp" {
			return fail("Egress", "entry %d: %s: only TCP or UDP ports are allowed, not all traffic or other protocols", i, *e.Port.ToString())
		}
		if from == 0 && to == maxPort {
			return fail("Egress", "entry %d: %s opens every port; name the ports the service needs", i, *e.Port.ToString())
		}
		if e.Peer.ToEgressRuleConfig() == nil {
			return fail("Egress", "entry %d: unsupported peer", i)
		}
		s.egress = append(s.egress, e)
	}
	return nil
}

func resolveLoadBalancer(p *PhiServiceProps, s *settings) error {
	if p.AllowedCidrs == nil {
		if !s.internal {
			s.cidrs = []string{anyIPv4}
		}
		return nil // Internal: the VPC CIDR, known once the construct exists
	}
	if len(*p.AllowedCidrs) == 0 {
		return fail("AllowedCidrs", "is empty: nobody could reach the service; leave it nil for the default")
	}
	for i, c := range *p.AllowedCidrs {
		if c == nil {
			return fail("AllowedCidrs", "entry %d is nil", i)
		}
		pre, err := netip.ParsePrefix(*c)
		if err != nil || !pre.Addr().Is4() || pre.Masked() != pre {
			return fail("AllowedCidrs", "%q is not a canonical IPv4 CIDR block", *c)
		}
		s.cidrs = append(s.cidrs, *c)
	}
	return nil
}

// resolveSubnets keeps tasks out of the public and data tiers and across
// Availability Zones.
func resolveSubnets(p *PhiServiceProps, s *settings) (err error) {
	s.taskSubnets = p.TaskSubnets
	if s.taskSubnets == nil {
		s.taskSubnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.AppTierName)}
	}
	defer func() {
		if r := recover(); r != nil {
			msg, _, _ := strings.Cut(fmt.Sprint(r), "\n")
			err = fail("TaskSubnets", "the selection matches no subnets of the VPC: %s", msg)
		}
	}()
	public := map[string]bool{}
	for _, sn := range *p.Vpc.PublicSubnets() {
		public[*sn.SubnetId()] = true
	}
	data := subnetIDs(p.Vpc, hipaavpc.DataTierName)
	azs := map[string]bool{}
	selected := p.Vpc.SelectSubnets(s.taskSubnets)
	for _, sn := range *selected.Subnets {
		if public[*sn.SubnetId()] {
			return fail("TaskSubnets", "subnet %s is public; tasks run in the app tier, reached only through the load balancer", *sn.Node().Path())
		}
		if data[*sn.SubnetId()] {
			return fail("TaskSubnets", "subnet %s is in the %q tier, which holds the data stores only; tasks run in the app tier", *sn.Node().Path(), hipaavpc.DataTierName)
		}
		azs[*sn.AvailabilityZone()] = true
	}
	if len(*selected.Subnets) == 0 {
		return fail("TaskSubnets", "the selection matches no subnets")
	}
	if len(azs) < minAzs && !s.singleTask {
		return fail("TaskSubnets", "the subnets span %d Availability Zone(s); tasks serving PHI run in at least %d", len(azs), minAzs)
	}
	return nil
}

// subnetIDs returns the IDs of the VPC's subnet group name, or nil when the
// VPC has no such group.
func subnetIDs(vpc awsec2.IVpc, name string) (ids map[string]bool) {
	defer func() {
		if recover() != nil {
			ids = nil
		}
	}()
	sel := vpc.SelectSubnets(&awsec2.SubnetSelection{SubnetGroupName: jsii.String(name)})
	ids = map[string]bool{}
	for _, sn := range *sel.Subnets {
		ids[*sn.SubnetId()] = true
	}
	return ids
}

func deref(s *string) any {
	if s == nil {
		return "nil"
	}
	return fmt.Sprintf("%q", *s)
}
