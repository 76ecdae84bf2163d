// Package retention maps a retention in days onto the values CloudWatch Logs
// accepts, so every construct validates log retention the same way.
package retention

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
)

// SixYearsDays is HIPAA's documentation retention (45 CFR 164.316(b)(2)):
// six years, which CloudWatch Logs expresses as 2192 days.
const SixYearsDays = 2192

// InfiniteDays asks CloudWatch Logs to keep events forever.
const InfiniteDays = 9999

var byDays = map[float64]awslogs.RetentionDays{
	1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS,
	5: awslogs.RetentionDays_FIVE_DAYS, 7: awslogs.RetentionDays_ONE_WEEK,
	14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
	60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS,
	120: awslogs.RetentionDays_FOUR_MONTHS, 150: awslogs.RetentionDays_FIVE_MONTHS,
	180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
	400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS,
	731: awslogs.RetentionDays_TWO_YEARS, 1096: awslogs.RetentionDays_THREE_YEARS,
	1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
	2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS,
	3288: awslogs.RetentionDays_NINE_YEARS, 3653: awslogs.RetentionDays_TEN_YEARS,
	InfiniteDays: awslogs.RetentionDays_INFINITE,
}

// FromDays returns the CloudWatch Logs retention for days, or an error that
// lists the accepted values when CloudWatch would refuse it.
func FromDays(days float64) (awslogs.RetentionDays, error) {
	if days <= 0 {
		return "", fmt.Errorf("%v days: retention must be positive", days)
	}
	if r, ok := byDays[days]; ok {
		return r, nil
	}
	return "", fmt.Errorf("%v days is not a CloudWatch Logs retention; use one of %s", days, accepted())
}

func accepted() string {
	keys := make([]float64, 0, len(byDays))
	for k := range byDays {
		keys = append(keys, k)
	}
	sort.Float64s(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprint(k)
	}
	return strings.Join(parts, ", ")
}
