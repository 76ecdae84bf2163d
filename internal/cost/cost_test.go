package cost

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

const goldenDir = "../../assertions_test/testdata/golden"

// fixture builds a one-stack environment from "id": {Type, Properties} JSON.
func fixture(t *testing.T, resources string) map[string]Template {
	t.Helper()
	var tmpl Template
	if err := json.Unmarshal([]byte(`{"Resources": {`+resources+`}}`), &tmpl); err != nil {
		t.Fatal(err)
	}
	return map[string]Template{"test-stack": tmpl}
}

func sum(e Env, priceKey string) (qty, typical float64) {
	for _, l := range e.Lines {
		if l.PriceKey == priceKey {
			qty += l.QtyTypical
			typical += l.Typical
		}
	}
	return qty, typical
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestRefusesATypeItCannotPrice(t *testing.T) {
	_, err := Estimate(MustLoad(), fixture(t, `"Thing": {"Type": "AWS::Redshift::Cluster", "Properties": {}}`))
	var u *UnpriceableError
	if !errors.As(err, &u) || u.Type != "AWS::Redshift::Cluster" || !strings.Contains(err.Error(), "AWS::Redshift::Cluster") {
		t.Fatalf("want an UnpriceableError naming AWS::Redshift::Cluster, got %v", err)
	}
}

func TestRefusesWhatItCannotCount(t *testing.T) {
	cases := map[string]string{
		"endpoint subnets as a token": `"E": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcEndpointType": "Interface", "SubnetIds": {"Fn::Split": [",", "x"]}}}`,
		"unpriced DB class":           `"D": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres", "DBInstanceClass": "db.x2iedn.32xlarge", "AllocatedStorage": "20"}}`,
		"EC2 launch type service":     `"S": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "EC2"}}`,
		"paid WAF rule group":         `"W": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Rules": [{"Statement": {"ManagedRuleGroupStatement": {"Name": "AWSManagedRulesBotControlRuleSet"}}}]}}`,
	}
	for name, res := range cases {
		_, err := Estimate(MustLoad(), fixture(t, res))
		var u *UnpriceableError
		if !errors.As(err, &u) {
			t.Errorf("%s: want an UnpriceableError, got %v", name, err)
		}
	}
}

func TestFreeTypesCostNothing(t *testing.T) {
	var parts []string
	i := 0
	for typ := range FreeTypes() {
		parts = append(parts, `"R`+strings.Repeat("x", i)+`": {"Type": "`+typ+`", "Properties": {}}`)
		i++
	}
	parts = append(parts, `"C": {"Type": "Custom::VpcRestrictDefaultSG", "Properties": {}}`)
	e, err := Estimate(MustLoad(), fixture(t, strings.Join(parts, ",")))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Lines) != 0 || e.Typical != 0 {
		t.Fatalf("free types produced lines: %+v", e.Lines)
	}
	for _, must := range []string{"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::SecurityGroup", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::SSM::Document"} {
		if _, ok := Free(must); !ok {
			t.Errorf("%s should be free", must)
		}
	}
	if _, ok := Free("AWS::Logs::LogGroup"); ok {
		t.Error("a log group is priced by what it ingests and keeps, not listed free")
	}
}

func TestNatGatewaysAddressesAndEndpointsPerAZ(t *testing.T) {
	d := MustLoad()
	e, err := Estimate(d, fixture(t, `
		"Nat1": {"Type": "AWS::EC2::NatGateway", "Properties": {}},
		"Nat2": {"Type": "AWS::EC2::NatGateway", "Properties": {}},
		"Eip1": {"Type": "AWS::EC2::EIP", "Properties": {}},
		"Eip2": {"Type": "AWS::EC2::EIP", "Properties": {}},
		"Kms": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcEndpointType": "Interface", "SubnetIds": [{"Ref": "A"}, {"Ref": "B"}, {"Ref": "C"}]}},
		"Ssm": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcEndpointType": "Interface", "SubnetIds": [{"Ref": "A"}]}},
		"S3": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcEndpointType": "Gateway"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := sum(e, "nat.hour"); q != 2*730 {
		t.Errorf("NAT hours %v, want 1460", q)
	}
	if q, _ := sum(e, "ipv4.hour"); q != 2*730 {
		t.Errorf("IPv4 hours %v, want 1460", q)
	}
	if q, c := sum(e, "endpoint.azHour"); q != 4*730 || !near(c, 4*730*0.01) {
		t.Errorf("endpoint AZ-hours %v ($%v), want 2920 (3 AZs + 1 AZ; the gateway endpoint free)", q, c)
	}
	if q, _ := sum(e, "nat.gb"); q != 2*d.Assumptions.Values["nat.gbPerGateway"].Typical {
		t.Errorf("NAT GB %v", q)
	}
}

func TestDatabasesByClassAndMultiAz(t *testing.T) {
	e, err := Estimate(MustLoad(), fixture(t, `
		"Single": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres", "DBInstanceClass": "db.t4g.medium", "AllocatedStorage": "20", "StorageType": "gp3", "MultiAZ": false}},
		"Multi": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres", "DBInstanceClass": "db.t4g.medium", "AllocatedStorage": "50", "MultiAZ": true}},
		"Cluster": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-postgresql"}},
		"Writer": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "aurora-postgresql", "DBInstanceClass": "db.r6g.large", "DBClusterIdentifier": {"Ref": "Cluster"}}},
		"Reader": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "aurora-postgresql", "DBInstanceClass": "db.r6g.large", "DBClusterIdentifier": {"Ref": "Cluster"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if q, c := sum(e, "rds.postgres.db.t4g.medium"); q != 3*730 || !near(c, 3*730*0.065) {
		t.Errorf("RDS hours %v ($%v): want 730 single + 1460 Multi-AZ", q, c)
	}
	if q, _ := sum(e, "rds.gp3.gbMonth"); q != 20 {
		t.Errorf("gp3 GB %v, want 20", q)
	}
	if q, _ := sum(e, "rds.gp2.gbMonth"); q != 100 {
		t.Errorf("gp2 GB %v, want 100 (50 x two copies; gp2 when StorageType is absent)", q)
	}
	if q, c := sum(e, "rds.aurora-postgresql.db.r6g.large"); q != 2*730 || !near(c, 2*730*0.26) {
		t.Errorf("Aurora hours %v ($%v): want two instances", q, c)
	}
}

func TestServerlessV2IsPricedByCapacity(t *testing.T) {
	e, err := Estimate(MustLoad(), fixture(t, `
		"Cluster": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-postgresql", "ServerlessV2ScalingConfiguration": {"MinCapacity": 0.5, "MaxCapacity": 4}}},
		"Writer": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "aurora-postgresql", "DBInstanceClass": "db.serverless", "DBClusterIdentifier": {"Ref": "Cluster"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := sum(e, "rds.aurora.acuHour"); q != 730 {
		t.Errorf("ACU-hours %v, want 730 (1 ACU average typical)", q)
	}
}

func TestAppTierTypesArePriced(t *testing.T) {
	e, err := Estimate(MustLoad(), fixture(t, `
		"Cluster": {"Type": "AWS::ECS::Cluster", "Properties": {"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]}},
		"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Cpu": "512", "Memory": "1024", "RuntimePlatform": {"CpuArchitecture": "ARM64"}}},
		"Service": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "FARGATE", "DesiredCount": 1, "TaskDefinition": {"Ref": "Task"}}},
		"Target": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {"MinCapacity": 2, "MaxCapacity": 4, "ResourceId": {"Fn::Join": ["", ["service/", {"Ref": "Cluster"}, "/", {"Fn::GetAtt": ["Service", "Name"]}]]}}},
		"Policy": {"Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": {}},
		"Alb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing", "Subnets": [{"Ref": "A"}, {"Ref": "B"}]}},
		"Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {}},
		"Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {}},
		"Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Rules": [{"Name": "common"}, {"Name": "bad-inputs"}, {"Name": "rate"}]}},
		"Assoc": {"Type": "AWS::WAFv2::WebACLAssociation", "Properties": {}},
		"Repo": {"Type": "AWS::ECR::Repository", "Properties": {}},
		"Phi": {"Type": "AWS::S3::Bucket", "Properties": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	// 2 tasks (the scaling minimum) x 730 h x 0.5 vCPU, ARM.
	if q, c := sum(e, "fargate.arm.vcpuHour"); q != 730 || !near(c, 730*0.03238) {
		t.Errorf("Fargate vCPU-hours %v ($%v), want 730", q, c)
	}
	if q, _ := sum(e, "fargate.arm.gbHour"); q != 1460 {
		t.Errorf("Fargate GB-hours %v, want 1460", q)
	}
	if q, _ := sum(e, "alb.hour"); q != 730 {
		t.Errorf("ALB hours %v", q)
	}
	if q, _ := sum(e, "ipv4.hour"); q != 1460 {
		t.Errorf("ALB public IPv4 hours %v, want one address per AZ", q)
	}
	if _, c := sum(e, "waf.ruleMonth"); c != 3 {
		t.Errorf("WAF rules $%v, want 3", c)
	}
	for _, k := range []string{"waf.webAclMonth", "ecr.gbMonth", "s3.standard.gbMonth", "cloudwatch.metricMonth"} {
		if _, c := sum(e, k); c == 0 {
			t.Errorf("no %s line", k)
		}
	}
}

func TestEveryGoldenEnvironmentIsPriced(t *testing.T) {
	envs, err := EstimateDir(MustLoad(), goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"dev", "staging", "prod"} {
		e, ok := envs[name]
		if !ok || e.Typical <= 0 || e.Low > e.Typical || e.Fixed > e.Low {
			t.Errorf("%s: implausible estimate %+v", name, e)
		}
	}
	if !(envs["dev"].Typical < envs["staging"].Typical && envs["staging"].Typical < envs["prod"].Typical) {
		t.Errorf("want dev < staging < prod, got %.2f %.2f %.2f", envs["dev"].Typical, envs["staging"].Typical, envs["prod"].Typical)
	}
}

func TestEveryPriceAndAssumptionIsDocumented(t *testing.T) {
	d := MustLoad()
	if d.Prices.Region != "us-east-1" {
		t.Errorf("region %q", d.Prices.Region)
	}
	for k, p := range d.Prices.Prices {
		if !strings.HasPrefix(p.Source, "https://") || len(p.Read) != len("2006-01-02") {
			t.Errorf("price %s: source %q read %q", k, p.Source, p.Read)
		}
	}
	for k, a := range d.Assumptions.Values {
		if a.Unit == "" || a.Low > a.Typical {
			t.Errorf("assumption %s: unit %q, low %v > typical %v", k, a.Unit, a.Low, a.Typical)
		}
	}
}
