package cost

import "strings"

// freeTypes cost nothing by themselves. Where a free resource drives a cost
// elsewhere, the reason says where that cost is counted.
var freeTypes = map[string]string{
	"AWS::CDK::Metadata":                               "CDK version information",
	"AWS::EC2::VPC":                                    "no charge for a VPC",
	"AWS::EC2::Subnet":                                 "no charge",
	"AWS::EC2::RouteTable":                             "no charge",
	"AWS::EC2::Route":                                  "no charge",
	"AWS::EC2::SubnetRouteTableAssociation":            "no charge",
	"AWS::EC2::InternetGateway":                        "no charge (data transfer out is not estimated)",
	"AWS::EC2::VPCGatewayAttachment":                   "no charge",
	"AWS::EC2::NetworkAcl":                             "no charge",
	"AWS::EC2::NetworkAclEntry":                        "no charge",
	"AWS::EC2::SubnetNetworkAclAssociation":            "no charge",
	"AWS::EC2::SecurityGroup":                          "no charge",
	"AWS::EC2::SecurityGroupIngress":                   "no charge",
	"AWS::EC2::SecurityGroupEgress":                    "no charge",
	"AWS::EC2::LaunchTemplate":                         "no charge; the instance launched from it is priced",
	"AWS::EC2::FlowLog":                                "ingestion is priced on the destination log group (or as vended logs to S3)",
	"AWS::IAM::Role":                                   "IAM is free",
	"AWS::IAM::Policy":                                 "IAM is free",
	"AWS::IAM::ManagedPolicy":                          "IAM is free",
	"AWS::IAM::InstanceProfile":                        "IAM is free",
	"AWS::IAM::RolePolicy":                             "IAM is free",
	"AWS::IAM::ServiceLinkedRole":                      "IAM is free",
	"AWS::KMS::Alias":                                  "no charge; the key is priced",
	"AWS::Logs::ResourcePolicy":                        "no charge",
	"AWS::Logs::SubscriptionFilter":                    "no charge by itself; the destination is priced",
	"AWS::SSM::Document":                               "no charge for Session Manager documents",
	"AWS::SSM::Parameter":                              "standard parameters are free",
	"AWS::S3::BucketPolicy":                            "no charge",
	"AWS::SNS::TopicPolicy":                            "no charge",
	"AWS::SNS::Subscription":                           "email deliveries of a few alerts a month; publishes are priced on the topic",
	"AWS::Events::Rule":                                "AWS service events on the default bus are free; targets are priced",
	"AWS::Config::DeliveryChannel":                     "no charge; the bucket it writes to is priced",
	"AWS::RDS::DBSubnetGroup":                          "no charge",
	"AWS::RDS::DBParameterGroup":                       "no charge",
	"AWS::RDS::DBClusterParameterGroup":                "no charge",
	"AWS::Backup::BackupVault":                         "no charge; recovery points are priced on the backup selection",
	"AWS::Backup::BackupPlan":                          "no charge; its rules are priced on the backup selections that use it",
	"AWS::Lambda::LayerVersion":                        "layer storage is within Lambda's free code storage",
	"AWS::SecretsManager::RotationSchedule":            "no charge; the rotation Lambda is priced",
	"AWS::SecretsManager::SecretTargetAttachment":      "no charge",
	"AWS::EC2::PrefixList":                             "no charge",
	"AWS::Lambda::Permission":                          "no charge",
	"AWS::CertificateManager::Certificate":             "public ACM certificates are free",
	"AWS::Route53::RecordSet":                          "no charge per record (queries are not estimated)",
	"AWS::ECS::TaskDefinition":                         "no charge; the service that runs it is priced",
	"AWS::ECS::ClusterCapacityProviderAssociations":    "no charge with the FARGATE providers",
	"AWS::ElasticLoadBalancingV2::Listener":            "no charge; the load balancer is priced",
	"AWS::ElasticLoadBalancingV2::ListenerRule":        "no charge; rule evaluations are part of LCUs",
	"AWS::ElasticLoadBalancingV2::ListenerCertificate": "no charge",
	"AWS::ElasticLoadBalancingV2::TargetGroup":         "no charge",
	"AWS::WAFv2::WebACLAssociation":                    "no charge; the web ACL is priced",
	"AWS::WAFv2::IPSet":                                "no charge",
	"AWS::WAFv2::RegexPatternSet":                      "no charge",
	"AWS::WAFv2::LoggingConfiguration":                 "no charge; the destination log group is priced",
	"AWS::ApplicationAutoScaling::ScalableTarget":      "no charge; its minimum capacity is used when pricing the ECS service",
	"AWS::ApplicationAutoScaling::ScalingPolicy":       "no charge",
	"AWS::ECR::RegistryPolicy":                         "no charge",
	"AWS::ECR::ReplicationConfiguration":               "no charge by itself",
}

// Free reports whether a resource type costs nothing, and why.
func Free(resourceType string) (string, bool) {
	if r, ok := freeTypes[resourceType]; ok {
		return r, true
	}
	switch {
	case strings.HasPrefix(resourceType, "Custom::"), resourceType == "AWS::CloudFormation::CustomResource":
		return "a custom resource is a deployment-time call; its Lambda function is priced", true
	case strings.HasPrefix(resourceType, "AWS::CloudFormation::"):
		return "CloudFormation orchestration has no charge for AWS resource types", true
	}
	return "", false
}

// FreeTypes returns the documented free types and their reasons.
func FreeTypes() map[string]string {
	out := make(map[string]string, len(freeTypes))
	for k, v := range freeTypes {
		out[k] = v
	}
	return out
}
