package eligibility

import "testing"

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		resourceType string
		want         string // the error; "" = allowed
	}{
		{"AWS::RDS::DBInstance", ""},
		{"AWS::EC2::VPC", ""},
		{"AWS::S3::Bucket", ""},
		{"AWS::IAM::Role", ""},             // control plane
		{"AWS::CDK::Metadata", ""},         // control plane
		{"AWS::CloudFormation::Stack", ""}, // control plane
		{"Custom::VpcRestrictDefaultSG", ""},
		{"AWS::CloudFormation::CustomResource", ""},
		{"AWS::Lightsail::Instance", "service Lightsail (AWS::Lightsail::Instance) is not on AWS's HIPAA Eligible Services list used by this library"},
		{"AWS::GameLift::Fleet", "service GameLift (AWS::GameLift::Fleet) is not on AWS's HIPAA Eligible Services list used by this library"},
		{"Vendor::Thing::Widget", "resource type Vendor::Thing::Widget is not an AWS resource type; only HIPAA-eligible AWS services may be used"},
		{"AWS::S3", "resource type AWS::S3 is not an AWS resource type; only HIPAA-eligible AWS services may be used"},
		{"AWS::S3::Bucket::Policy", "resource type AWS::S3::Bucket::Policy is not an AWS resource type; only HIPAA-eligible AWS services may be used"},
		{"aws::s3::Bucket", "resource type aws::s3::Bucket is not an AWS resource type; only HIPAA-eligible AWS services may be used"},
		// Namespaces are case-sensitive, as in CloudFormation.
		{"AWS::Rds::DBInstance", "service Rds (AWS::Rds::DBInstance) is not on AWS's HIPAA Eligible Services list used by this library"},
	} {
		err := Check(tc.resourceType)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.resourceType, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want):
			t.Errorf("%s: got %v, want %q", tc.resourceType, err, tc.want)
		}
	}
}

// A namespace is either eligible or control plane, and says what it is.
func TestServiceListsAreDisjointAndDescribed(t *testing.T) {
	for ns, what := range controlPlane {
		if _, dup := hipaaEligible[ns]; dup {
			t.Errorf("%s is in both lists", ns)
		}
		if what == "" {
			t.Errorf("control-plane %s has no description", ns)
		}
	}
	for ns, what := range hipaaEligible {
		if what == "" {
			t.Errorf("eligible %s has no service name", ns)
		}
	}
}
