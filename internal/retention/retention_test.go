package retention

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
)

// cloudWatchValues are the retentions CloudWatch Logs' PutRetentionPolicy
// accepts, from its API reference, with the aws-cdk-lib name of each, plus
// 9999 (never expire, which CloudFormation writes as no RetentionInDays).
var cloudWatchValues = []struct {
	days float64
	want awslogs.RetentionDays
}{
	{1, awslogs.RetentionDays_ONE_DAY}, {3, awslogs.RetentionDays_THREE_DAYS},
	{5, awslogs.RetentionDays_FIVE_DAYS}, {7, awslogs.RetentionDays_ONE_WEEK},
	{14, awslogs.RetentionDays_TWO_WEEKS}, {30, awslogs.RetentionDays_ONE_MONTH},
	{60, awslogs.RetentionDays_TWO_MONTHS}, {90, awslogs.RetentionDays_THREE_MONTHS},
	{120, awslogs.RetentionDays_FOUR_MONTHS}, {150, awslogs.RetentionDays_FIVE_MONTHS},
	{180, awslogs.RetentionDays_SIX_MONTHS}, {365, awslogs.RetentionDays_ONE_YEAR},
	{400, awslogs.RetentionDays_THIRTEEN_MONTHS}, {545, awslogs.RetentionDays_EIGHTEEN_MONTHS},
	{731, awslogs.RetentionDays_TWO_YEARS}, {1096, awslogs.RetentionDays_THREE_YEARS},
	{1827, awslogs.RetentionDays_FIVE_YEARS}, {2192, awslogs.RetentionDays_SIX_YEARS},
	{2557, awslogs.RetentionDays_SEVEN_YEARS}, {2922, awslogs.RetentionDays_EIGHT_YEARS},
	{3288, awslogs.RetentionDays_NINE_YEARS}, {3653, awslogs.RetentionDays_TEN_YEARS},
	{InfiniteDays, awslogs.RetentionDays_INFINITE},
}

func TestFromDaysAcceptsEveryCloudWatchValue(t *testing.T) {
	for _, tc := range cloudWatchValues {
		got, err := FromDays(tc.days)
		if err != nil || got != tc.want {
			t.Errorf("FromDays(%v) = %q, %v; want %q", tc.days, got, err, tc.want)
		}
	}
	if len(byDays) != len(cloudWatchValues) {
		t.Errorf("FromDays knows %d values, CloudWatch Logs %d", len(byDays), len(cloudWatchValues))
	}
}

func TestFromDaysRefusesOtherValues(t *testing.T) {
	const accepted = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 9999"
	for _, tc := range []struct {
		days float64
		want string
	}{
		{0, "0 days: retention must be positive"},
		{-7, "-7 days: retention must be positive"},
		{2, "2 days is not a CloudWatch Logs retention; use one of " + accepted},
		{31, "31 days is not a CloudWatch Logs retention; use one of " + accepted},
		{2191, "2191 days is not a CloudWatch Logs retention; use one of " + accepted},
		{7.5, "7.5 days is not a CloudWatch Logs retention; use one of " + accepted},
		{10000, "10000 days is not a CloudWatch Logs retention; use one of " + accepted},
	} {
		got, err := FromDays(tc.days)
		if err == nil || err.Error() != tc.want || got != "" {
			t.Errorf("FromDays(%v) = %q, %v; want error %q", tc.days, got, err, tc.want)
		}
	}
}

// HIPAA's six years (45 CFR 164.316(b)(2)) must be a value CloudWatch takes.
func TestSixYearsIsACloudWatchValue(t *testing.T) {
	if r, err := FromDays(SixYearsDays); err != nil || r != awslogs.RetentionDays_SIX_YEARS || !strings.Contains(string(r), "SIX_YEARS") {
		t.Errorf("FromDays(SixYearsDays=%d) = %q, %v", SixYearsDays, r, err)
	}
}
