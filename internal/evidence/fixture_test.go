package evidence

import (
	"encoding/json"
	"testing"
)

type obj = map[string]interface{}

func res(typ string, path string, props obj) obj {
	return obj{"Type": typ, "Metadata": obj{"aws:cdk:path": path}, "Properties": props}
}

func ref(id string) obj    { return obj{"Ref": id} }
func att(id, a string) obj { return obj{"Fn::GetAtt": []interface{}{id, a}} }
func stackOut(stack, out string) obj {
	return obj{"Fn::GetStackOutput": obj{"StackName": stack, "OutputName": out}}
}

var envTags = []interface{}{obj{"Key": "Environment", "Value": "prod"}}

// fixture is a small prod environment shaped like the app's: an app-tier
// group in prod-network, the bastion group in prod-access, and a database in
// prod-data admitting both; extra adds resources to a stack.
func fixture(t *testing.T, extra map[string]obj) *Assembly {
	t.Helper()
	stacks := map[string]obj{
		"prod-network": {
			"Resources": obj{
				"AppSG":  res("AWS::EC2::SecurityGroup", "prod-network/AppTierSecurityGroup/Resource", obj{"Tags": envTags}),
				"Subnet": res("AWS::EC2::Subnet", "prod-network/Vpc/DataSubnet1/Subnet", obj{"Tags": envTags}),
				"Acl":    res("AWS::EC2::NetworkAcl", "prod-network/Acl", obj{}),
				"AclIn": res("AWS::EC2::NetworkAclEntry", "prod-network/Acl/In", obj{"NetworkAclId": ref("Acl"), "RuleAction": "allow",
					"Egress": false, "CidrBlock": "10.30.2.0/24", "RuleNumber": 100.0, "PortRange": obj{"From": 5432.0, "To": 5432.0}}),
				"AclAssoc": res("AWS::EC2::SubnetNetworkAclAssociation", "prod-network/Acl/Assoc", obj{"NetworkAclId": ref("Acl"), "SubnetId": ref("Subnet")}),
			},
			"Outputs": obj{"AppOut": obj{"Value": att("AppSG", "GroupId")}, "SubnetOut": obj{"Value": ref("Subnet")}},
		},
		"prod-access": {
			"Resources": obj{"BastionSG": res("AWS::EC2::SecurityGroup", "prod-access/Access/SecurityGroup/Resource", obj{"Tags": envTags})},
			"Outputs":   obj{"BastionOut": obj{"Value": att("BastionSG", "GroupId"), "Export": obj{"Name": "prod-bastion-sg"}}},
		},
		"prod-data": {
			"Resources": obj{
				"DbSG":    res("AWS::EC2::SecurityGroup", "prod-data/Database/SecurityGroup/Resource", obj{"Tags": envTags}),
				"Subnets": res("AWS::RDS::DBSubnetGroup", "prod-data/Database/Subnets", obj{"SubnetIds": []interface{}{stackOut("prod-network", "SubnetOut")}}),
				"Db": res("AWS::RDS::DBInstance", "prod-data/Database/Resource", obj{"Tags": envTags, "StorageEncrypted": true,
					"VPCSecurityGroups": []interface{}{att("DbSG", "GroupId")}, "DBSubnetGroupName": ref("Subnets")}),
				"FromApp": res("AWS::EC2::SecurityGroupIngress", "prod-data/Database/SecurityGroup/from app:5432", obj{"GroupId": att("DbSG", "GroupId"),
					"IpProtocol": "tcp", "FromPort": 5432.0, "ToPort": 5432.0, "SourceSecurityGroupId": stackOut("prod-network", "AppOut")}),
				"FromBastion": res("AWS::EC2::SecurityGroupIngress", "prod-data/Database/SecurityGroup/from bastion:5432", obj{"GroupId": att("DbSG", "GroupId"),
					"IpProtocol": "tcp", "FromPort": 5432.0, "ToPort": 5432.0, "SourceSecurityGroupId": obj{"Fn::ImportValue": "prod-bastion-sg"}}),
			},
		},
	}
	for name, resources := range extra {
		st, ok := stacks[name]
		if !ok {
			st = obj{"Resources": obj{}}
			stacks[name] = st
		}
		for id, r := range resources {
			st["Resources"].(obj)[id] = r
		}
	}
	a := &Assembly{Stacks: map[string]*Stack{}}
	for name, tmpl := range stacks {
		raw, err := json.Marshal(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		st, err := ParseStack(name, raw)
		if err != nil {
			t.Fatal(err)
		}
		a.Stacks[name] = st
	}
	return a
}
