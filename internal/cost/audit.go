package cost

import (
	"math"
	"strings"
)

func init() {
	handlers["AWS::Logs::LogGroup"] = priceLogGroup
	handlers["AWS::Logs::MetricFilter"] = func(c *calc, p map[string]interface{}) error {
		mt, _ := p["MetricTransformations"].([]interface{})
		c.fixed("custom metrics from the metric filter", "cloudwatch.metricMonth", float64(len(mt)))
		return nil
	}
	handlers["AWS::CloudWatch::Alarm"] = func(c *calc, p map[string]interface{}) error {
		key := "cloudwatch.alarmMonth"
		if period, ok := num(p["Period"]); ok && period < 60 {
			key = "cloudwatch.highResAlarmMonth"
		}
		metrics := 1.0
		if m, ok := p["Metrics"].([]interface{}); ok {
			metrics = 0
			for _, q := range m {
				if _, ok := q.(map[string]interface{})["MetricStat"]; ok {
					metrics++
				}
			}
		}
		c.fixed("alarm metrics", key, math.Max(metrics, 1))
		return nil
	}
	handlers["AWS::CloudWatch::CompositeAlarm"] = func(c *calc, p map[string]interface{}) error {
		c.fixed("composite alarm", "cloudwatch.compositeAlarmMonth", 1)
		return nil
	}
	handlers["AWS::CloudWatch::Dashboard"] = func(c *calc, p map[string]interface{}) error {
		c.fixed("dashboard", "cloudwatch.dashboardMonth", 1)
		return nil
	}
	handlers["AWS::SNS::Topic"] = func(c *calc, p map[string]interface{}) error {
		c.usage("SNS publishes (millions)", "sns.publishMillion", "sns.publishMillions", 1)
		return nil
	}
	handlers["AWS::Config::ConfigurationRecorder"] = func(c *calc, p map[string]interface{}) error {
		key := "config.item"
		if rm, ok := p["RecordingMode"].(map[string]interface{}); ok && strings.EqualFold(str(rm["RecordingFrequency"]), "DAILY") {
			key = "config.itemPeriodic"
		}
		per, extra := c.assume("config.changesPerResource"), c.assume("config.extraItems")
		n := float64(c.total)
		c.usageQty("configuration items recorded", key, n*per.Low+extra.Low, n*per.Typical+extra.Typical)
		return nil
	}
	handlers["AWS::Config::ConfigRule"] = func(c *calc, p map[string]interface{}) error {
		c.usage("Config rule evaluations", "config.evaluation", "config.evaluationsPerRule", 1)
		return nil
	}
	handlers["AWS::GuardDuty::Detector"] = func(c *calc, p map[string]interface{}) error {
		if v, ok := p["Enable"]; ok && !truthy(v) {
			return nil
		}
		c.usage("GuardDuty CloudTrail events analysed (millions)", "guardduty.cloudtrailMillion", "guardduty.cloudtrailMillions", 1)
		c.usage("GuardDuty flow and DNS logs analysed (GB)", "guardduty.flowDnsGb", "guardduty.flowDnsGb", 1)
		c.usage("GuardDuty S3 data events analysed (millions)", "guardduty.s3Million", "guardduty.s3Millions", 1)
		return nil
	}
	handlers["AWS::CloudTrail::Trail"] = func(c *calc, p map[string]interface{}) error {
		if _, ok := p["InsightSelectors"]; ok {
			return c.fail("CloudTrail Insights is not priced")
		}
		c.fixed("management events, first copy", "cloudtrail.managementFirstCopy", 1)
		data := false
		if _, ok := p["AdvancedEventSelectors"]; ok {
			data = true
		}
		if es, ok := p["EventSelectors"].([]interface{}); ok {
			for _, e := range es {
				if dr, ok := e.(map[string]interface{})["DataResources"].([]interface{}); ok && len(dr) > 0 {
					data = true
				}
			}
		}
		if data {
			a := c.assume("cloudtrail.dataEventsMillions")
			c.usageQty("CloudTrail data events", "cloudtrail.dataEvent", a.Low*1e6, a.Typical*1e6)
		}
		return nil
	}
}

// priceLogGroup prices what flows into a log group and what it keeps: the
// group itself is free.
func priceLogGroup(c *calc, p map[string]interface{}) error {
	kind := c.logKind[c.id]
	name := str(p["LogGroupName"])
	if kind == "" {
		kind = "other"
		switch {
		case strings.HasPrefix(name, "/aws/rds/") && strings.HasSuffix(name, "/upgrade"):
			kind = "rare"
		case strings.HasPrefix(name, "/aws/rds/"):
			kind = "rds"
		case strings.HasPrefix(name, "aws-waf-logs"):
			kind = "waf"
		case strings.Contains(strings.ToLower(c.id), "handlerloggroup"), lambdaLogName(p["LogGroupName"]):
			kind = "rare"
		}
	}
	in := c.assume("logs.gb." + kind)
	ingestKey := "logs.ingest.gb"
	if strings.EqualFold(str(p["LogGroupClass"]), "INFREQUENT_ACCESS") {
		ingestKey = "logs.ingestIA.gb"
	}
	c.usageQty("log ingestion (GB, "+kind+")", ingestKey, in.Low, in.Typical)
	horizon := c.assume("logs.horizonMonths")
	frac := c.assume("logs.storedFraction")
	months := func(h float64) float64 {
		if days, ok := num(p["RetentionInDays"]); ok {
			return math.Min(days/30.4, h)
		}
		return h // never expires
	}
	c.usageQty("log storage (GB-month, "+kind+")", "logs.storage.gbMonth",
		in.Low*frac.Low*months(horizon.Low), in.Typical*frac.Typical*months(horizon.Typical))
	return nil
}

// lambdaLogName reports a log group named /aws/lambda/... (literal or Join).
func lambdaLogName(v interface{}) bool {
	if s, ok := v.(string); ok {
		return strings.HasPrefix(s, "/aws/lambda/")
	}
	if m, ok := v.(map[string]interface{}); ok {
		if j, ok := m["Fn::Join"].([]interface{}); ok && len(j) == 2 {
			if parts, ok := j[1].([]interface{}); ok && len(parts) > 0 {
				return str(parts[0]) == "/aws/lambda/"
			}
		}
	}
	return false
}
