package retention

import "fmt"

// CheckPhiLog applies the library's one retention rule to a log that can
// hold PHI: days must be a CloudWatch Logs value, and below six years only
// with the construct's AllowRetentionShorterThanSixYears opt-out (HIPAA
// keeps required documentation six years, 45 CFR 164.316(b)(2)). Logs
// without PHI only need a CloudWatch Logs value (FromDays).
func CheckPhiLog(days float64, allowShorter bool) error {
	if _, err := FromDays(days); err != nil {
		return err
	}
	if days < SixYearsDays && !allowShorter {
		return fmt.Errorf("%v days is shorter than six years (%d days) for a log that can hold PHI; "+
			"set AllowRetentionShorterThanSixYears if the environment holds no PHI or another system keeps the six-year record", days, SixYearsDays)
	}
	return nil
}
