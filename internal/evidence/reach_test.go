package evidence

import (
	"strings"
	"testing"
)

func TestReachFindsDoorsAndExtraSources(t *testing.T) {
	ingress := func(props obj) obj {
		p := obj{"GroupId": att("DbSG", "GroupId"), "IpProtocol": "tcp", "FromPort": 5432.0, "ToPort": 5432.0}
		for k, v := range props {
			p[k] = v
		}
		return res("AWS::EC2::SecurityGroupIngress", "prod-data/Database/SecurityGroup/extra", p)
	}
	alb := map[string]obj{"prod-app": {
		"LbSG": res("AWS::EC2::SecurityGroup", "prod-app/LbSG/Resource", obj{"Tags": envTags, "SecurityGroupIngress": []interface{}{
			obj{"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 443.0, "ToPort": 443.0}}}),
		"Lb":       res("AWS::ElasticLoadBalancingV2::LoadBalancer", "prod-app/Lb/Resource", obj{"SecurityGroups": []interface{}{att("LbSG", "GroupId")}}),
		"Listener": res("AWS::ElasticLoadBalancingV2::Listener", "prod-app/Lb/Https", obj{"LoadBalancerArn": ref("Lb"), "Port": 443.0, "Protocol": "HTTPS"}),
		"AppFromLb": res("AWS::EC2::SecurityGroupIngress", "prod-app/AppFromLb", obj{"GroupId": stackOut("prod-network", "AppOut"),
			"SourceSecurityGroupId": att("LbSG", "GroupId"), "IpProtocol": "tcp", "FromPort": 8080.0, "ToPort": 8080.0}),
	}}
	for name, tc := range map[string]struct {
		extra     map[string]obj
		wantExtra []string // substrings, one per extra door
		wantPath  string   // substring of an internet path; empty: none
	}{
		"two doors":            {},
		"extra CIDR ingress":   {extra: map[string]obj{"prod-data": {"Extra": ingress(obj{"CidrIp": "10.0.0.0/8"})}}, wantExtra: []string{"10.0.0.0/8 on tcp/5432 (rule prod-data/Extra)"}},
		"inline ingress":       {extra: map[string]obj{"prod-data": {"DbSG": res("AWS::EC2::SecurityGroup", "prod-data/Database/SecurityGroup/Resource", obj{"SecurityGroupIngress": []interface{}{obj{"CidrIp": "0.0.0.0/0", "IpProtocol": "-1"}}})}}, wantExtra: []string{"0.0.0.0/0 on all"}, wantPath: "internet (0.0.0.0/0) -> prod-data/DbSG [all]"},
		"prefix list":          {extra: map[string]obj{"prod-data": {"Extra": ingress(obj{"SourcePrefixListId": "pl-123"})}}, wantExtra: []string{"prefix list pl-123"}},
		"third security group": {extra: map[string]obj{"prod-data": {"Other": res("AWS::EC2::SecurityGroup", "prod-data/Other/Resource", obj{}), "Extra": ingress(obj{"SourceSecurityGroupId": att("Other", "GroupId")})}}, wantExtra: []string{"security group prod-data/Other"}},
		"publicly accessible":  {extra: map[string]obj{"prod-data": {"Db": res("AWS::RDS::DBInstance", "prod-data/Database/Resource", obj{"PubliclyAccessible": true, "VPCSecurityGroups": []interface{}{att("DbSG", "GroupId")}})}}, wantExtra: []string{"PubliclyAccessible"}, wantPath: "(PubliclyAccessible)"},
		"ALB through app tier": {extra: alb, wantPath: "internet (0.0.0.0/0) -> prod-app/LbSG [tcp/443] (members: AWS::ElasticLoadBalancingV2::LoadBalancer prod-app/Lb, internet-facing, listeners HTTPS/443) -> prod-network/AppSG [tcp/8080] -> prod-data/DbSG [tcp/5432]"},
	} {
		t.Run(name, func(t *testing.T) {
			a := fixture(t, tc.extra)
			stores := a.Reach("prod")
			if len(stores) != 1 {
				t.Fatalf("want one store, got %d", len(stores))
			}
			declared := 0
			for _, d := range stores[0].Doors {
				if d.Declared {
					declared++
				}
			}
			if declared != 2 {
				t.Errorf("want the two declared doors, got %d: %+v", declared, stores[0].Doors)
			}
			got := ExtraDoors("prod", stores)
			if len(got) != len(tc.wantExtra) {
				t.Fatalf("extra doors %q, want %d", got, len(tc.wantExtra))
			}
			for i, w := range tc.wantExtra {
				if !strings.Contains(got[i], w) {
					t.Errorf("extra door %q does not name %q", got[i], w)
				}
			}
			paths := strings.Join(stores[0].Paths, "\n")
			if (tc.wantPath == "") != (paths == "") || !strings.Contains(paths, tc.wantPath) {
				t.Errorf("internet paths %q, want %q", paths, tc.wantPath)
			}
		})
	}
}

func TestReachFollowsSubnetGroupToTheAcl(t *testing.T) {
	s := fixture(t, nil).Reach("prod")[0]
	if len(s.Subnets) != 1 || len(s.Subnets[0].ACL) != 1 || s.Subnets[0].ACL[0] != "rule 100: 10.30.2.0/24 ports 5432-5432" {
		t.Fatalf("subnet facts %+v", s.Subnets)
	}
}

func TestBucketGrants(t *testing.T) {
	phi := []interface{}{obj{"Key": "DataClassification", "Value": "PHI"}, obj{"Key": "Environment", "Value": "prod"}}
	a := fixture(t, map[string]obj{"prod-data": {
		"Bucket": res("AWS::S3::Bucket", "prod-data/Bucket/Resource", obj{"Tags": phi}),
		"Other":  res("AWS::S3::Bucket", "prod-data/Other/Resource", obj{"Tags": envTags}),
		"Role":   res("AWS::IAM::Role", "prod-data/Role/Resource", obj{}),
		"Policy": res("AWS::IAM::Policy", "prod-data/Role/Policy", obj{"Roles": []interface{}{ref("Role")}, "PolicyDocument": obj{"Statement": []interface{}{
			obj{"Effect": "Allow", "Action": []interface{}{"s3:GetObject"}, "Resource": obj{"Fn::Join": []interface{}{"", []interface{}{att("Bucket", "Arn"), "/*"}}}},
			obj{"Effect": "Allow", "Action": "s3:GetObject", "Resource": att("Other", "Arn")},
		}}}),
		"BucketPolicy": res("AWS::S3::BucketPolicy", "prod-data/Bucket/Policy", obj{"Bucket": ref("Bucket"), "PolicyDocument": obj{"Statement": []interface{}{
			obj{"Effect": "Deny", "Principal": obj{"AWS": "*"}, "Action": "s3:*"},
			obj{"Effect": "Allow", "Principal": obj{"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject"},
		}}}),
	}})
	var bucket *Store
	for i, s := range a.Reach("prod") {
		if s.Resource.ID == "Bucket" {
			bucket = &a.Reach("prod")[i]
		}
		if s.Resource.ID == "Other" {
			t.Error("a bucket without DataClassification=PHI is not a PHI store")
		}
	}
	if bucket == nil {
		t.Fatal("PHI bucket not found")
	}
	var got []string
	for _, g := range bucket.Access {
		got = append(got, g.Principal+" "+g.Actions)
	}
	want := []string{"Service logging.s3.amazonaws.com s3:PutObject", "role prod-data/Role s3:GetObject"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("grants %q, want %q", got, want)
	}
}
