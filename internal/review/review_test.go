package review

import (
	"strings"
	"testing"
)

func res(typ string, props map[string]interface{}) map[string]interface{} {
	return map[string]interface{}{"Type": typ, "Properties": props}
}

func tmpl(resources map[string]interface{}, outputs map[string]interface{}) map[string]interface{} {
	return map[string]interface{}{"Resources": resources, "Outputs": outputs}
}

func ref(id string) map[string]interface{} { return map[string]interface{}{"Ref": id} }

func stackOutput(stack, name string) map[string]interface{} {
	return map[string]interface{}{"Fn::GetStackOutput": map[string]interface{}{"StackName": stack, "OutputName": name}}
}

// net/data: a VPC with one subnet, published; a database in a subnet group
// and a security group built on them.
func netData(cidr string) Templates {
	return Templates{
		"net": tmpl(map[string]interface{}{
			"Vpc":    res("AWS::EC2::VPC", map[string]interface{}{"CidrBlock": cidr}),
			"Subnet": res("AWS::EC2::Subnet", map[string]interface{}{"VpcId": ref("Vpc"), "CidrBlock": cidr}),
		}, map[string]interface{}{
			"VpcOut":    map[string]interface{}{"Value": ref("Vpc")},
			"SubnetOut": map[string]interface{}{"Value": ref("Subnet")},
		}),
		"data": tmpl(map[string]interface{}{
			"Group": res("AWS::RDS::DBSubnetGroup", map[string]interface{}{"SubnetIds": []interface{}{stackOutput("net", "SubnetOut")}}),
			"Sg":    res("AWS::EC2::SecurityGroup", map[string]interface{}{"GroupDescription": "db", "VpcId": stackOutput("net", "VpcOut")}),
			"Db": res("AWS::RDS::DBInstance", map[string]interface{}{"DBSubnetGroupName": ref("Group"), "KmsKeyId": "k1",
				"VPCSecurityGroups": []interface{}{map[string]interface{}{"Fn::GetAtt": []interface{}{"Sg", "GroupId"}}}, "BackupRetentionPeriod": 1}),
		}, nil),
	}
}

func TestDirectCreateOnlyChangeOfStatefulResourceBlocks(t *testing.T) {
	cur := netData("10.0.0.0/16")
	cur["data"]["Resources"].(map[string]interface{})["Db"].(map[string]interface{})["Properties"].(map[string]interface{})["KmsKeyId"] = "k2"
	got := Compare(netData("10.0.0.0/16"), cur, nil).Blocking(nil)
	if len(got) != 1 || !strings.HasPrefix(got[0].String(), "REPLACES data/Db (AWS::RDS::DBInstance): KmsKeyId changes. Data loss: ") {
		t.Fatalf("got %v", got)
	}
}

func TestNetworkReplacementMovesTheDatabaseAcrossStacks(t *testing.T) {
	r := Compare(netData("10.0.0.0/16"), netData("10.1.0.0/16"), nil)
	blocking := r.Blocking(nil)
	if len(blocking) != 1 || blocking[0].LogicalID != "Db" || !strings.Contains(blocking[0].Cause, "net/Subnet (AWS::EC2::Subnet) is replaced") || blocking[0].Property != "DBSubnetGroupName" {
		t.Fatalf("blocking %v\n%s", blocking, r.Report(nil))
	}
	report := r.Report(nil)
	for _, want := range []string{
		"replaces net/Vpc (AWS::EC2::VPC): CidrBlock changes (no stored data)",
		"replaces data/Sg (AWS::EC2::SecurityGroup): VpcId changes",
		"TAKES data/Group (AWS::RDS::DBSubnetGroup) SubnetIds <- net/SubnetOut",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

func TestAcknowledgedReplacementPasses(t *testing.T) {
	r := Compare(netData("10.0.0.0/16"), netData("10.1.0.0/16"), nil)
	acks := []Acknowledgement{{Resource: "data/Db", Property: r.Blocking(nil)[0].Property, Reason: "test"}}
	if got := r.Blocking(acks); len(got) != 0 {
		t.Fatalf("still blocking: %v", got)
	}
	if !strings.Contains(r.Report(acks), "[acknowledged: test]") {
		t.Error(r.Report(acks))
	}
}

func TestInPlaceChangePasses(t *testing.T) {
	cur := netData("10.0.0.0/16")
	cur["data"]["Resources"].(map[string]interface{})["Db"].(map[string]interface{})["Properties"].(map[string]interface{})["BackupRetentionPeriod"] = 7
	if r := Compare(netData("10.0.0.0/16"), cur, nil); len(r.Replacements) != 0 || len(r.Takes) != 0 {
		t.Fatalf("got %s", r.Report(nil))
	}
}

func TestLedgerMakesAnyTypeStateful(t *testing.T) {
	cur := netData("10.0.0.0/16")
	cur["data"]["Resources"].(map[string]interface{})["Sg"].(map[string]interface{})["Properties"].(map[string]interface{})["GroupDescription"] = "other"
	ledger := Ledger{"data": {"Sg": "AWS::EC2::SecurityGroup"}}
	if got := Compare(netData("10.0.0.0/16"), cur, ledger).Blocking(nil); len(got) != 1 || got[0].LogicalID != "Sg" {
		t.Fatalf("got %v", got)
	}
}

func TestRemovedStatefulLogicalIdBlocks(t *testing.T) {
	cur := netData("10.0.0.0/16")
	delete(cur["data"]["Resources"].(map[string]interface{}), "Db")
	got := Compare(netData("10.0.0.0/16"), cur, nil).Blocking(nil)
	if len(got) != 1 || got[0].Property != "LogicalId" {
		t.Fatalf("got %v", got)
	}
}

func TestCreateOnlyTableHasItsSource(t *testing.T) {
	tb := CreateOnly()
	if tb.Generated == "" || !strings.Contains(tb.Source, "cfn-lint") || !ReplacesOnChange("AWS::EC2::VPC", "CidrBlock") || ReplacesOnChange("AWS::RDS::DBSubnetGroup", "SubnetIds") {
		t.Fatalf("table %s %s", tb.Generated, tb.Source)
	}
}
