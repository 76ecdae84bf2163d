package cost

import (
	"math"
	"strings"
)

func init() {
	handlers["AWS::RDS::DBInstance"] = priceDBInstance
	handlers["AWS::RDS::DBCluster"] = priceDBCluster
	handlers["AWS::Backup::BackupSelection"] = priceBackupSelection
	handlers["AWS::SecretsManager::Secret"] = func(c *calc, p map[string]interface{}) error {
		priceSecret(c, "secret")
		return nil
	}
	handlers["AWS::S3::Bucket"] = priceBucket
}

func priceSecret(c *calc, what string) {
	c.fixed(what, "secretsmanager.secretMonth", 1)
	c.usage("Secrets Manager API calls", "secretsmanager.call", "secretsmanager.callsPerSecret", 1)
}

func priceDBInstance(c *calc, p map[string]interface{}) error {
	class, engine := str(p["DBInstanceClass"]), str(p["Engine"])
	if class == "" || engine == "" {
		return c.fail("DBInstanceClass and Engine must be literals")
	}
	if pi, ok := num(p["PerformanceInsightsRetentionPeriod"]); ok && pi > 7 {
		return c.fail("Performance Insights retention beyond the free 7 days is not priced")
	}
	if iv, ok := num(p["MonitoringInterval"]); ok && iv > 0 {
		c.usage("enhanced monitoring logs (GB)", "logs.ingest.gb", "rds.enhancedMonitoringGb", 1)
	}
	if cluster := refTarget(p["DBClusterIdentifier"]); cluster != "" || p["DBClusterIdentifier"] != nil {
		if class == "db.serverless" {
			return priceServerless(c, cluster)
		}
		key := "rds." + engine + "." + class
		if _, err := c.data.Price(key); err != nil {
			return c.fail("no price %s in prices.json", key)
		}
		c.fixed("Aurora instance "+class+" hours", key, c.hours())
		return nil
	}
	if engine != "postgres" {
		return c.fail("engine %s is not priced", engine)
	}
	key := "rds.postgres." + class
	if _, err := c.data.Price(key); err != nil {
		return c.fail("no price %s in prices.json", key)
	}
	copies, item := 1.0, ""
	if truthy(p["MultiAZ"]) {
		copies, item = 2, " (Multi-AZ: primary and standby)"
	}
	c.fixed("RDS "+class+" hours"+item, key, copies*c.hours())
	alloc, ok := num(p["AllocatedStorage"])
	if !ok {
		return c.fail("AllocatedStorage is not a literal")
	}
	st := str(p["StorageType"])
	if st == "" {
		st = "gp2"
	}
	if st != "gp2" && st != "gp3" {
		return c.fail("storage type %s is not priced", st)
	}
	c.fixed("RDS "+st+" storage (GB-month)"+item, "rds."+st+".gbMonth", copies*alloc)
	// Automated backups are free up to the allocated storage.
	data, change := c.assume("db.dataGb"), c.assume("db.dailyChangeFraction")
	days, _ := num(p["BackupRetentionPeriod"])
	beyond := func(d, ch float64) float64 {
		d = math.Min(d, alloc)
		return math.Max(0, d*(1+ch*days)-alloc)
	}
	c.usageQty("automated backup storage beyond the free allocation (GB-month)", "rds.backup.gbMonth",
		beyond(data.Low, change.Low), beyond(data.Typical, change.Typical))
	if truthy(p["ManageMasterUserPassword"]) {
		priceSecret(c, "master user secret (Secrets Manager)")
	}
	return nil
}

func priceServerless(c *calc, cluster string) error {
	cl, ok := c.stacks[c.stack].Resources[cluster]
	if !ok {
		return c.fail("db.serverless instance whose cluster is not in the stack")
	}
	sc, _ := cl.Properties["ServerlessV2ScalingConfiguration"].(map[string]interface{})
	min, ok1 := num(sc["MinCapacity"])
	max, ok2 := num(sc["MaxCapacity"])
	if !ok1 || !ok2 {
		return c.fail("ServerlessV2ScalingConfiguration Min/MaxCapacity must be literals")
	}
	avg := c.assume("aurora.serverlessAvgAcu")
	clamp := func(v float64) float64 { return math.Min(max, math.Max(min, v)) }
	c.usageQty("Aurora Serverless v2 ACU-hours", "rds.aurora.acuHour", clamp(avg.Low)*c.hours(), clamp(avg.Typical)*c.hours())
	return nil
}

func priceDBCluster(c *calc, p map[string]interface{}) error {
	if e := str(p["Engine"]); !strings.HasPrefix(e, "aurora") {
		return c.fail("cluster engine %q is not priced", e)
	}
	if st := str(p["StorageType"]); st != "" && st != "aurora" {
		return c.fail("Aurora storage type %s is not priced", st)
	}
	c.usage("Aurora storage (GB-month)", "rds.aurora.storage.gbMonth", "db.dataGb", 1)
	c.usage("Aurora I/O (millions)", "rds.aurora.ioMillion", "aurora.ioMillions", 1)
	data, change := c.assume("db.dataGb"), c.assume("db.dailyChangeFraction")
	days, _ := num(p["BackupRetentionPeriod"])
	// Free up to the cluster volume; beyond it, the changed data of each day kept.
	c.usageQty("automated backup storage beyond the cluster volume (GB-month)", "rds.aurora.backup.gbMonth",
		data.Low*change.Low*days, data.Typical*change.Typical*days)
	if truthy(p["ManageMasterUserPassword"]) {
		priceSecret(c, "master user secret (Secrets Manager)")
	}
	return nil
}

// priceBackupSelection prices the recovery points the selected resources keep
// under the plan's rules: one full copy, then the data changed between points.
func priceBackupSelection(c *calc, p map[string]interface{}) error {
	res := c.stacks[c.stack].Resources
	plan, ok := res[refTarget(p["BackupPlanId"])]
	if !ok {
		return c.fail("backup plan not in the stack")
	}
	sel, _ := p["BackupSelection"].(map[string]interface{})
	targets := refsUnder(sel["Resources"])
	if len(targets) == 0 {
		return c.fail("selection by tag or literal ARN: cannot tell what it backs up")
	}
	bp, _ := plan.Properties["BackupPlan"].(map[string]interface{})
	rules, _ := bp["BackupPlanRule"].([]interface{})
	horizon := c.assume("logs.horizonMonths")
	data, change := c.assume("db.dataGb"), c.assume("db.dailyChangeFraction")
	for _, t := range targets {
		key, d := "", data
		switch res[t].Type {
		case "AWS::RDS::DBInstance":
			key = "backup.rds.gbMonth"
		case "AWS::RDS::DBCluster":
			key = "backup.aurora.gbMonth"
		case "AWS::S3::Bucket":
			key, d = "backup.s3.gbMonth", c.assume("s3.gb.data")
		default:
			return c.fail("backup of %s (%s) is not priced", t, res[t].Type)
		}
		gb := func(data, change, horizonMonths float64) (float64, error) {
			total := data
			for _, r := range rules {
				rule, _ := r.(map[string]interface{})
				interval, err := cronIntervalDays(str(rule["ScheduleExpression"]))
				if err != "" {
					return 0, c.fail("rule %v: %s", rule["RuleName"], err)
				}
				keep := horizonMonths * 30.4
				if lc, ok := rule["Lifecycle"].(map[string]interface{}); ok {
					if _, cold := lc["MoveToColdStorageAfterDays"]; cold {
						return 0, c.fail("cold storage is not priced")
					}
					if del, ok := num(lc["DeleteAfterDays"]); ok {
						keep = math.Min(keep, del)
					}
				}
				points := math.Max(1, math.Floor(keep/interval))
				total += points * data * math.Min(1, change*interval)
			}
			return total, nil
		}
		lo, err := gb(d.Low, change.Low, horizon.Low)
		if err != nil {
			return err
		}
		ty, err := gb(d.Typical, change.Typical, horizon.Typical)
		if err != nil {
			return err
		}
		c.usageQty("AWS Backup storage of "+t+" (GB-month)", key, lo, ty)
	}
	return nil
}

// cronIntervalDays reads a daily, weekly or monthly cron(...) schedule.
func cronIntervalDays(expr string) (float64, string) {
	if !strings.HasPrefix(expr, "cron(") {
		return 0, "schedule " + expr + " is not a cron expression"
	}
	f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"))
	if len(f) != 6 {
		return 0, "schedule " + expr + " is not a 6-field cron expression"
	}
	if _, ok := num(f[1]); !ok {
		return 0, "schedule " + expr + " runs more than once a day"
	}
	dom, dow := f[2], f[4]
	switch {
	case dom != "*" && dom != "?":
		return 30.4, ""
	case dow != "*" && dow != "?":
		return 7, ""
	}
	return 1, ""
}

func priceBucket(c *calc, p map[string]interface{}) error {
	kind := c.bucketKind[c.id]
	if kind == "" {
		kind = "data"
	}
	c.usage("S3 Standard storage (GB-month, "+kind+")", "s3.standard.gbMonth", "s3.gb."+kind, 1)
	c.usage("S3 PUT requests ("+kind+")", "s3.put", "s3.putThousands."+kind, 1000)
	if kind == "data" {
		c.usage("S3 GET requests ("+kind+")", "s3.get", "s3.getThousands.data", 1000)
	}
	return nil
}
