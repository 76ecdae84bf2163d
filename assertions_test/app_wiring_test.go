package assertions_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/constructs/phidatabase"
	"github.com/healthstack-oss/hipaa-baseline/stacks"
)

// In every environment the database admits exactly two sources on its port:
// the network stack's app-tier group and the access stack's bastion group.
func TestAppDatabaseHasExactlyTwoDoors(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		tmpl := s.template(t, p.Name+"-data")
		ingress := resourcesOf(tmpl, "AWS::EC2::SecurityGroupIngress")
		if len(ingress) != 2 {
			t.Errorf("%s-data: %d ingress rules, want 2", p.Name, len(ingress))
		}
		var sources []string
		for id, r := range ingress {
			pr := props(r)
			if pr["FromPort"] != float64(5432) || pr["ToPort"] != float64(5432) || pr["IpProtocol"] != "tcp" {
				t.Errorf("%s-data/%s: %v-%v/%v, want tcp 5432 only", p.Name, id, pr["FromPort"], pr["ToPort"], pr["IpProtocol"])
			}
			if pr["CidrIp"] != nil || pr["CidrIpv6"] != nil {
				t.Errorf("%s-data/%s admits a CIDR", p.Name, id)
			}
			sources = append(sources, fmt.Sprint(pr["SourceSecurityGroupId"]))
		}
		joined := strings.Join(sources, " ")
		for _, want := range []string{p.Name + "-network", "AppTierSecurityGroup", p.Name + "-access", "AccessSecurityGroup"} {
			if !strings.Contains(joined, want) {
				t.Errorf("%s-data: ingress sources %v do not reference %s", p.Name, sources, want)
			}
		}
	}
}

// Each profile's database settings reach the template; relaxations only
// where the profile holds no PHI.
func TestAppDatabaseFollowsProfile(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		tmpl := s.template(t, p.Name+"-data")
		typ := "AWS::RDS::DBInstance"
		if p.DatabaseAurora {
			typ = "AWS::RDS::DBCluster"
		}
		dbs := resourcesOf(tmpl, typ)
		if p.DatabaseAurora {
			if n := len(resourcesOf(tmpl, "AWS::RDS::DBInstance")); n != 2 {
				t.Errorf("%s: Aurora cluster has %d instances, want a writer and a reader", p.Name, n)
			}
		}
		if len(dbs) != 1 {
			t.Fatalf("%s-data: %d %s, want 1", p.Name, len(dbs), typ)
		}
		for id, db := range dbs {
			pr := props(db)
			if pr["DeletionProtection"] != p.DeletionProtection {
				t.Errorf("%s/%s: DeletionProtection %v, profile says %v", p.Name, id, pr["DeletionProtection"], p.DeletionProtection)
			}
			if pr["BackupRetentionPeriod"] != float64(p.BackupRetentionDays) {
				t.Errorf("%s/%s: BackupRetentionPeriod %v, profile says %d", p.Name, id, pr["BackupRetentionPeriod"], p.BackupRetentionDays)
			}
			if !p.DatabaseAurora && pr["MultiAZ"] != p.DatabaseMultiAz {
				t.Errorf("%s/%s: MultiAZ %v, profile says %v", p.Name, id, pr["MultiAZ"], p.DatabaseMultiAz)
			}
			if pr["StorageEncrypted"] != true {
				t.Errorf("%s/%s: storage not encrypted", p.Name, id)
			}
			rules := suppressedRules(db)
			if p.HoldsPhi && len(rules) > 0 {
				t.Errorf("%s holds PHI but its database suppresses %v", p.Name, rules)
			}
			if !p.HoldsPhi {
				for _, r := range rules {
					reason := suppressionReason(db, r)
					if !strings.Contains(reason, p.Name+"-data") || !strings.Contains(reason, "no PHI") {
						t.Errorf("%s: suppression %s must name the profile's stack and that it holds no PHI: %q", p.Name, r, reason)
					}
				}
			}
		}
	}
}

// The data stack is classified PHI throughout; the bastion's session log,
// which records terminal output, is PHI too; other stacks default to Internal.
func TestAppDataClassification(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		for id, r := range s.templates[p.Name+"-data"]["Resources"].(map[string]interface{}) {
			if tags := tagMap(props(r.(map[string]interface{}))["Tags"]); tags != nil && tags[stacks.TagDataClassification] != stacks.ClassPHI {
				t.Errorf("%s-data/%s: DataClassification %q, want PHI", p.Name, id, tags[stacks.TagDataClassification])
			}
		}
		for id, g := range resourcesOf(s.template(t, p.Name+"-access"), "AWS::Logs::LogGroup") {
			if c := tagMap(props(g)["Tags"])[stacks.TagDataClassification]; c != stacks.ClassPHI {
				t.Errorf("%s-access/%s (session log): DataClassification %q, want PHI", p.Name, id, c)
			}
		}
		for id, v := range resourcesOf(s.template(t, p.Name+"-network"), "AWS::EC2::VPC") {
			if c := tagMap(props(v)["Tags"])[stacks.TagDataClassification]; c != stacks.ClassInternal {
				t.Errorf("%s-network/%s: DataClassification %q, want Internal", p.Name, id, c)
			}
		}
	}
}

// The bastion reaches Session Manager through the interface endpoints where
// the profile has them, and only through NAT (HTTPS) where it has none.
func TestAppBastionReachesSessionManager(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		openHTTPS := false
		for _, sg := range resourcesOf(s.template(t, p.Name+"-access"), "AWS::EC2::SecurityGroup") {
			egress, _ := props(sg)["SecurityGroupEgress"].([]interface{})
			for _, e := range egress {
				rule := e.(map[string]interface{})
				if rule["CidrIp"] == "0.0.0.0/0" {
					if rule["FromPort"] != float64(443) || rule["ToPort"] != float64(443) {
						t.Errorf("%s-access: egress to 0.0.0.0/0 beyond HTTPS: %v", p.Name, rule)
					}
					openHTTPS = true
				}
			}
		}
		if openHTTPS == p.InterfaceEndpoints {
			t.Errorf("%s-access: HTTPS egress through NAT = %v with InterfaceEndpoints = %v", p.Name, openHTTPS, p.InterfaceEndpoints)
		}
	}
}

// AWS Backup keeps an environment's recovery points as its profile says: as
// long as its backups where it holds no PHI (dev: one day, not the six-year
// monthly default), PhiDatabase's defaults where it holds PHI.
func TestAppBackupPlanFollowsProfile(t *testing.T) {
	s := theApp.get(t)
	for _, p := range stacks.Profiles {
		want := map[string]float64{"Daily": phidatabase.DefaultDailyBackupRetentionDays, "Monthly": phidatabase.DefaultMonthlyBackupRetentionDays}
		if !p.HoldsPhi {
			want = map[string]float64{"Daily": float64(p.BackupRetentionDays), "Monthly": float64(p.BackupRetentionDays)}
		}
		_, plan := only(t, resourcesOf(s.template(t, p.Name+"-data"), "AWS::Backup::BackupPlan"), "AWS::Backup::BackupPlan")
		rules, _ := props(plan)["BackupPlan"].(map[string]interface{})["BackupPlanRule"].([]interface{})
		got := map[string]float64{}
		for _, r := range rules {
			rule := r.(map[string]interface{})
			days, _ := rule["Lifecycle"].(map[string]interface{})["DeleteAfterDays"].(float64)
			got[fmt.Sprint(rule["RuleName"])] = days
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s-data: backup plan keeps recovery points %v days, want %v", p.Name, got, want)
		}
	}
}
