package audittrail

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"

	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

const constructName = "AuditTrail"

// trailNamePattern is CloudTrail's rule for trail names.
var trailNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$`)

// settings are the props after defaults are merged and validated.
type settings struct {
	trailName         string // "" = derive from the construct path
	retentionDays     float64
	logGroupDays      float64
	lockDays          float64
	complianceLock    bool
	dataBuckets       []awss3.IBucket
	allS3DataEvents   bool
	insights          bool
	emails            []string
	httpsEndpoints    []string
	existingRecorder  bool
	globalResources   bool
	conformancePack   bool
	packTemplateS3Uri string
	guardDuty         bool
	securityHub       bool
	key               awskms.IKey
	topic             awssns.ITopic
	trailBucket       awss3.IBucket
	configBucket      awss3.IBucket
	accessLogBucket   awss3.IBucket
}

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

func isTrue(b *bool) bool { return b != nil && *b }

func unresolved(s string) bool { return validate.StringToken(s) }

// resolve merges library defaults with the caller's props and checks the
// result. It reads props and never writes them.
func resolve(props *AuditTrailProps) (*settings, error) {
	var p AuditTrailProps
	if props != nil {
		p = *props
	}
	s := &settings{
		retentionDays:    DefaultRetentionDays,
		logGroupDays:     DefaultLogGroupRetentionDays,
		complianceLock:   isTrue(p.ObjectLockComplianceMode),
		allS3DataEvents:  isTrue(p.AllS3DataEvents),
		insights:         isTrue(p.EnableInsights),
		existingRecorder: isTrue(p.UseExistingRecorder),
		globalResources:  !isTrue(p.DisableGlobalResourceRecording),
		conformancePack:  isTrue(p.UseHipaaConformancePack),
		guardDuty:        !isTrue(p.DisableGuardDuty),
		securityHub:      isTrue(p.EnableSecurityHub),
	}
	allowShort := isTrue(p.AllowRetentionShorterThanSixYears)
	for _, n := range []struct {
		prop string
		v    *float64
	}{{"RetentionDays", p.RetentionDays}, {"LogGroupRetentionDays", p.LogGroupRetentionDays}, {"ObjectLockRetentionDays", p.ObjectLockRetentionDays}} {
		if validate.Token(n.v) {
			return nil, fail(n.prop, "%s", validate.LiteralRequired("retention is checked against the six-year rule and Object Lock's limits at synth time"))
		}
	}

	if p.TrailName != nil {
		n := *p.TrailName
		if !unresolved(n) && !trailNamePattern.MatchString(n) {
			return nil, fail("TrailName", "%q: must be 3-128 letters, digits, '.', '_' or '-', starting with a letter or digit", n)
		}
		s.trailName = n
	}

	if validate.Resolved(p.RetentionDays) {
		d := *p.RetentionDays
		if !validate.IsWhole(d) || d < MinRetentionDays || d > MaxRetentionDays {
			return nil, fail("RetentionDays", "%v: must be a whole number of days from %d to %d (S3 Object Lock's 100-year limit)", d, MinRetentionDays, MaxRetentionDays)
		}
		if d < retention.SixYearsDays && !allowShort {
			return nil, fail("RetentionDays", "%v days is shorter than HIPAA's six-year retention (%d days); "+
				"set AllowRetentionShorterThanSixYears if another system keeps the six-year record", d, retention.SixYearsDays)
		}
		s.retentionDays = d
	}

	if validate.Resolved(p.LogGroupRetentionDays) {
		d := *p.LogGroupRetentionDays
		if _, err := retention.FromDays(d); err != nil {
			return nil, fail("LogGroupRetentionDays", "%v", err)
		}
		if d < retention.SixYearsDays && !allowShort {
			return nil, fail("LogGroupRetentionDays", "%v days is shorter than HIPAA's six-year retention (%d days); "+
				"set AllowRetentionShorterThanSixYears if another system keeps the six-year record", d, retention.SixYearsDays)
		}
		s.logGroupDays = d
	}

	s.lockDays = s.retentionDays
	if validate.Resolved(p.ObjectLockRetentionDays) {
		d := *p.ObjectLockRetentionDays
		if !validate.IsWhole(d) || d < 1 {
			return nil, fail("ObjectLockRetentionDays", "%v: must be a whole number of days, at least 1", d)
		}
		if d > s.retentionDays {
			return nil, fail("ObjectLockRetentionDays", "%v days is longer than the lifecycle expiry (RetentionDays = %v): "+
				"objects would be locked after they are due to expire", d, s.retentionDays)
		}
		s.lockDays = d
	}

	if p.DataEventBuckets != nil {
		for _, b := range *p.DataEventBuckets {
			if b == nil {
				return nil, fail("DataEventBuckets", "contains a nil bucket")
			}
			s.dataBuckets = append(s.dataBuckets, b)
		}
	}
	if s.allS3DataEvents && len(s.dataBuckets) > 0 {
		return nil, fail("DataEventBuckets", "cannot be combined with AllS3DataEvents, which already covers every bucket; choose one")
	}

	if p.AlarmEmails != nil {
		seen := map[string]bool{}
		for _, e := range *p.AlarmEmails {
			if e == nil {
				return nil, fail("AlarmEmails", "contains a nil entry")
			}
			k := strings.ToLower(*e)
			if seen[k] {
				return nil, fail("AlarmEmails", "%q is listed twice; each address is subscribed once", *e)
			}
			seen[k] = true
			if !unresolved(*e) {
				if err := checkEmail(*e); err != nil {
					return nil, err
				}
			}
			s.emails = append(s.emails, *e)
		}
	}
	if p.AlarmHttpsEndpoints != nil {
		seen := map[string]bool{}
		for _, u := range *p.AlarmHttpsEndpoints {
			if u == nil {
				return nil, fail("AlarmHttpsEndpoints", "contains a nil entry")
			}
			if seen[*u] {
				return nil, fail("AlarmHttpsEndpoints", "%q is listed twice; each endpoint is subscribed once", *u)
			}
			seen[*u] = true
			if !unresolved(*u) {
				parsed, err := url.Parse(*u)
				if err != nil || parsed.Scheme != "https" || parsed.Host == "" {
					return nil, fail("AlarmHttpsEndpoints", "%q: must be an https:// URL with a host; alarm notifications are not sent in clear text", *u)
				}
			}
			s.httpsEndpoints = append(s.httpsEndpoints, *u)
		}
	}

	if p.ConformancePackTemplateS3Uri != nil {
		s.packTemplateS3Uri = *p.ConformancePackTemplateS3Uri
	}
	switch {
	case s.conformancePack && strings.TrimSpace(s.packTemplateS3Uri) == "":
		return nil, fail("ConformancePackTemplateS3Uri", "is required with UseHipaaConformancePack: the s3:// URI of the "+
			"Operational Best Practices for HIPAA Security template")
	case s.conformancePack && !unresolved(s.packTemplateS3Uri) && !strings.HasPrefix(s.packTemplateS3Uri, "s3://"):
		return nil, fail("ConformancePackTemplateS3Uri", "%q: must be an s3:// URI", s.packTemplateS3Uri)
	case !s.conformancePack && s.packTemplateS3Uri != "":
		return nil, fail("ConformancePackTemplateS3Uri", "is set but UseHipaaConformancePack is not; set both to deploy the conformance pack")
	}
	return s, resolveExisting(&p, s)
}

// resolveExisting applies the existing-resource-or-props rule: an existing
// key, topic or bucket replaces the one AuditTrail would create, so the
// props that would configure that one are refused with it.
func resolveExisting(p *AuditTrailProps, s *settings) error {
	if p.EncryptionKey != nil {
		if err := kmskeys.CheckCustomerManaged(p.EncryptionKey); err != nil {
			return fail("EncryptionKey", "%v", err)
		}
		s.key = p.EncryptionKey
	}
	if p.AlarmTopic != nil {
		if len(s.emails) > 0 || len(s.httpsEndpoints) > 0 {
			return fail("AlarmTopic", "cannot be combined with AlarmEmails or AlarmHttpsEndpoints: subscribe to the existing topic where it is defined")
		}
		if createdTopic(p.AlarmTopic) && p.AlarmTopic.MasterKey() == nil {
			return fail("AlarmTopic", "is not KMS-encrypted; alarm notifications describe the environment's security state and are encrypted at rest")
		}
		s.topic = p.AlarmTopic
	}
	if p.TrailBucket != nil {
		if p.ObjectLockRetentionDays != nil || p.ObjectLockComplianceMode != nil {
			return fail("TrailBucket", "cannot be combined with ObjectLockRetentionDays or ObjectLockComplianceMode, which configure the bucket AuditTrail would create; set Object Lock on your bucket")
		}
		s.trailBucket = p.TrailBucket
	}
	if p.ConfigBucket != nil {
		if s.existingRecorder {
			return fail("ConfigBucket", "has no effect with UseExistingRecorder: no delivery channel is created")
		}
		s.configBucket = p.ConfigBucket
	}
	if p.AccessLogBucket != nil {
		if s.trailBucket != nil && (s.configBucket != nil || s.existingRecorder) {
			return fail("AccessLogBucket", "has no effect: AuditTrail creates no bucket to log (TrailBucket and ConfigBucket are given, or UseExistingRecorder)")
		}
		s.accessLogBucket = p.AccessLogBucket
	}
	return nil
}

// createdTopic reports whether t is a topic of this app, whose properties
// synth can read.
func createdTopic(t awssns.ITopic) bool {
	_, ok := t.Node().DefaultChild().(awssns.CfnTopic)
	return ok
}

// checkEmail accepts a bare address only: "ops@example.com", not
// "Ops <ops@example.com>".
func checkEmail(e string) error {
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Name != "" || addr.Address != e || !strings.Contains(addr.Address[strings.LastIndex(addr.Address, "@")+1:], ".") {
		return fail("AlarmEmails", "%q is not a plain email address (user@example.com, no display name)", e)
	}
	return nil
}
