package cost

import (
	"math"
	"testing"
)

// TestDevMatchesAHandCalculation writes out dev's typical month by hand from
// the same list prices and assumptions, reading the counts off the dev
// templates by eye (1 NAT gateway and its address, no interface endpoints,
// one Single-AZ db.t4g.medium with 20 GB, a t4g.micro bastion with 8 GB,
// 5 KMS keys, 15 alarms and 15 metric filters, 33 Config rules, GuardDuty,
// 7 log groups), and checks make cost's total for dev lands within 10%.
func TestDevMatchesAHandCalculation(t *testing.T) {
	d := MustLoad()
	p := func(k string) float64 { return d.Prices.Prices[k].USD }
	a := func(k string) float64 { return d.Assumptions.Values[k].Typical }
	h := d.Assumptions.HoursPerMonth
	hand := []struct {
		what string
		usd  float64
	}{
		{"NAT gateway, 730 h", h * p("nat.hour")},
		{"NAT data processed", a("nat.gbPerGateway") * p("nat.gb")},
		{"NAT's public IPv4 address", h * p("ipv4.hour")},
		{"RDS db.t4g.medium Single-AZ", h * p("rds.postgres.db.t4g.medium")},
		{"RDS 20 GB gp3", 20 * p("rds.gp3.gbMonth")},
		{"RDS master secret", p("secretsmanager.secretMonth")},
		{"AWS Backup: one full copy + one daily and one monthly point kept a day", a("db.dataGb") * (1 + 2*a("db.dailyChangeFraction")) * p("backup.rds.gbMonth")},
		{"bastion t4g.micro", h * p("ec2.t4g.micro")},
		{"bastion 8 GB gp3", 8 * p("ebs.gp3.gbMonth")},
		{"bastion detailed monitoring, 7 metrics", 7 * p("cloudwatch.metricMonth")},
		{"6 KMS keys (network, audit x2, access, data, app)", 6 * p("kms.keyMonth")},
		{"15 alarms", 15 * p("cloudwatch.alarmMonth")},
		// The app tier (dev-app): one 0.25 vCPU / 0.5 GB task behind an ALB and WAF.
		{"Fargate 0.25 vCPU, 730 h", 0.25 * h * p("fargate.x86.vcpuHour")},
		{"Fargate 0.5 GB, 730 h", 0.5 * h * p("fargate.x86.gbHour")},
		{"ALB, 730 h", h * p("alb.hour")},
		{"ALB LCUs", a("alb.lcus") * h * p("alb.lcuHour")},
		{"ALB's public IPv4 addresses, one per AZ", 2 * h * p("ipv4.hour")},
		{"web ACL and its 5 rules", p("waf.webAclMonth") + 5*p("waf.ruleMonth")},
		{"WAF requests", a("waf.requestsMillions") * p("waf.requestMillion")},
		{"app and WAF log ingestion", (a("logs.gb.app") + a("logs.gb.waf")) * p("logs.ingest.gb")},
		{"3 app-tier alarms", 3 * p("cloudwatch.alarmMonth")},
		{"Container Insights metrics", a("ecs.containerInsightsMetrics") * p("cloudwatch.metricMonth")},
		{"15 metric-filter metrics", 15 * p("cloudwatch.metricMonth")},
		{"33 Config rules", 33 * a("config.evaluationsPerRule") * p("config.evaluation")},
		{"GuardDuty CloudTrail events", a("guardduty.cloudtrailMillions") * p("guardduty.cloudtrailMillion")},
		{"GuardDuty flow/DNS logs", a("guardduty.flowDnsGb") * p("guardduty.flowDnsGb")},
		{"flow log ingestion", a("logs.gb.flowlog") * p("logs.ingest.gb")},
		{"trail log ingestion", a("logs.gb.cloudtrail") * p("logs.ingest.gb")},
		{"database log ingestion", a("logs.gb.rds") * p("logs.ingest.gb")},
		{"session log ingestion", a("logs.gb.other") * p("logs.ingest.gb")},
	}
	var total float64
	for _, l := range hand {
		total += l.usd
		t.Logf("%-72s %8.2f", l.what, l.usd)
	}
	t.Logf("%-72s %8.2f", "hand total (typical)", total)

	envs, err := EstimateDir(d, goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	got := envs["dev"].Typical
	t.Logf("make cost, dev typical: %.2f", got)
	if math.Abs(got-total)/total > 0.10 {
		t.Fatalf("make cost says %.2f for dev, the hand calculation %.2f: more than 10%% apart", got, total)
	}
}
