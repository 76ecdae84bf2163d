package audittrail

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"

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
}

func fail(prop, format string, args ...any) error {
	return validate.Errorf(constructName, prop, format, args...)
}

func isTrue(b *bool) bool { return b != nil && *b }

func unresolved(s string) bool { return *awscdk.Token_IsUnresolved(s) }

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

	if p.TrailName != nil {
		n := *p.TrailName
		if !unresolved(n) && !trailNamePattern.MatchString(n) {
			return nil, fail("TrailName", "%q: must be 3-128 letters, digits, '.', '_' or '-', starting with a letter or digit", n)
		}
		s.trailName = n
	}

	if validate.Resolved(p.RetentionDays) {
		d := *p.RetentionDays
		if !validate.IsWhole(d) || d < MinRetentionDays {
			return nil, fail("RetentionDays", "%v: must be a whole number of days, at least %d", d, MinRetentionDays)
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
		for _, e := range *p.AlarmEmails {
			if e == nil {
				return nil, fail("AlarmEmails", "contains a nil entry")
			}
			if !unresolved(*e) {
				if err := checkEmail(*e); err != nil {
					return nil, err
				}
			}
			s.emails = append(s.emails, *e)
		}
	}
	if p.AlarmHttpsEndpoints != nil {
		for _, u := range *p.AlarmHttpsEndpoints {
			if u == nil {
				return nil, fail("AlarmHttpsEndpoints", "contains a nil entry")
			}
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
	return s, nil
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
