package main

import (
	"strings"
	"testing"

	"github.com/healthstack-oss/hipaa-baseline/internal/evidence"
)

// TestDiagramHoldsTheFlowsTheTemplatesImply reads prod's goldens: both doors
// into the database, the operator's Session Manager path, every log flow to
// its sink and each sink's key; PHI nodes marked.
func TestDiagramHoldsTheFlowsTheTemplatesImply(t *testing.T) {
	d := reportOf(t, golden, "prod").Diagram
	for _, e := range [][2]string{
		{"prod-network/AppTierSecurityGroupEDEC7923", "prod-data/DatabaseCluster5B53A178"},
		{"prod-access/AccessSecurityGroupBEC1BC13", "prod-data/DatabaseCluster5B53A178"},
		{"operator", "prod-access/AccessInstanceEF95F611"},
		{"prod-network/NetworkFlowLogC0B00A8E", "prod-network/NetworkFlowLogGroup4F8CEEEF"},
		{"prod-network/NetworkFlowLogGroup4F8CEEEF", "prod-network/NetworkKey1D162FA0"},
		{"prod-audit/AuditTrail3BF4E139", "prod-audit/AuditTrailBucket1FC98696"},
		{"prod-audit/AuditTrail3BF4E139", "prod-audit/AuditTrailLogGroup6D314449"},
		{"prod-audit/AuditTrailBucket1FC98696", "prod-audit/AuditKey2ED08D30"},
		{"prod-audit/AuditDeliveryChannel2C147829", "prod-audit/AuditConfigBucket6819F20D"},
		{"prod-data/DatabaseCluster5B53A178", "prod-data/DatabasePostgresqlLogGroupE02FE0AC"},
		{"prod-data/DatabasePostgresqlLogGroupE02FE0AC", "prod-data/DatabaseKey5E5D9547"},
		{"prod-access/AccessSessionPreferences58A63658", "prod-access/AccessSessionLogGroupD53E4470"},
		{"prod-access/AccessSessionLogGroupD53E4470", "prod-access/AccessKey53E5010D"},
	} {
		if !d.HasEdge(e[0], e[1]) {
			t.Errorf("diagram lacks %s -> %s", e[0], e[1])
		}
	}
	if d.HasEdge("internet", "prod-network/AppTierSecurityGroupEDEC7923") {
		t.Error("no template opens the app tier to the internet")
	}
	m := d.Mermaid()
	for _, phi := range []string{"prod_data_DatabaseCluster5B53A178", "prod_access_AccessSessionLogGroupD53E4470", "prod_data_DatabasePostgresqlLogGroupE02FE0AC"} {
		if !strings.Contains(m, phi) || !strings.Contains(m[strings.Index(m, "class "):], phi) {
			t.Errorf("%s is not marked PHI", phi)
		}
	}
}

// reportOf builds the report of one environment of the templates in dir,
// failing the test when the environment is not there.
func reportOf(t *testing.T, dir, env string) *evidence.Report {
	t.Helper()
	rs, _, err := reports(loadMap(t), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Env == env {
			return r
		}
	}
	t.Fatalf("no %s environment in %s", env, dir)
	return nil
}

// TestDiagramShowsAnAppTierBehindALoadBalancer adds, beside the app stack's
// own, an internet-facing ALB whose group reaches the app tier.
func TestDiagramShowsAnAppTierBehindALoadBalancer(t *testing.T) {
	dir := copyGoldens(t, "prod-network", func(tmpl map[string]interface{}) {
		res := tmpl["Resources"].(map[string]interface{})
		res["LbSG"] = map[string]interface{}{"Type": "AWS::EC2::SecurityGroup", "Properties": map[string]interface{}{
			"SecurityGroupIngress": []interface{}{map[string]interface{}{"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}}}}
		res["Lb"] = map[string]interface{}{"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": map[string]interface{}{
			"SecurityGroups": []interface{}{map[string]interface{}{"Fn::GetAtt": []interface{}{"LbSG", "GroupId"}}}}}
		res["AppFromLb"] = map[string]interface{}{"Type": "AWS::EC2::SecurityGroupIngress", "Properties": map[string]interface{}{
			"GroupId":               map[string]interface{}{"Fn::GetAtt": []interface{}{"AppTierSecurityGroupEDEC7923", "GroupId"}},
			"SourceSecurityGroupId": map[string]interface{}{"Fn::GetAtt": []interface{}{"LbSG", "GroupId"}},
			"IpProtocol":            "tcp", "FromPort": 8080, "ToPort": 8080}}
	})
	r := reportOf(t, dir, "prod")
	d := r.Diagram
	for _, e := range [][2]string{
		{"internet", "prod-network/LbSG"},
		{"prod-network/Lb", "prod-network/LbSG"},
		{"prod-network/LbSG", "prod-network/AppTierSecurityGroupEDEC7923"},
	} {
		if !d.HasEdge(e[0], e[1]) {
			t.Errorf("diagram lacks %s -> %s", e[0], e[1])
		}
	}
	found := false
	for _, p := range r.Stores[0].Paths {
		found = found || strings.Contains(p, "internet (0.0.0.0/0) -> prod-network/LbSG [tcp/443]")
	}
	if !found {
		t.Errorf("internet path through the added ALB not found: %v", r.Stores[0].Paths)
	}
	if len(r.Failures()) != 0 {
		t.Errorf("a path through the declared app-tier door is not an extra door: %v", r.Failures())
	}
}
