package eligibility

// Source: AWS, "HIPAA Eligible Services Reference"
// (https://aws.amazon.com/compliance/hipaa-eligible-services-reference/),
// as read on 2026-11-28. Keyed by CloudFormation service namespace (the X
// in AWS::X::Resource), limited to the services a stack of this library might
// plausibly contain. Add a namespace only after checking it on that page;
// update the date above when you re-check the list.
var hipaaEligible = map[string]string{
	"ApiGateway":             "Amazon API Gateway",
	"ApiGatewayV2":           "Amazon API Gateway",
	"ApplicationAutoScaling": "Application Auto Scaling (AWS Auto Scaling)",
	"AutoScaling":            "Amazon EC2 Auto Scaling",
	"Backup":                 "AWS Backup",
	"CertificateManager":     "AWS Certificate Manager",
	"CloudFront":             "Amazon CloudFront",
	"CloudTrail":             "AWS CloudTrail",
	"CloudWatch":             "Amazon CloudWatch",
	"Cognito":                "Amazon Cognito",
	"Config":                 "AWS Config",
	"DynamoDB":               "Amazon DynamoDB",
	"EC2":                    "Amazon EC2 / Amazon VPC / AWS Client VPN",
	"ECR":                    "Amazon Elastic Container Registry",
	"ECS":                    "Amazon Elastic Container Service",
	"EFS":                    "Amazon Elastic File System",
	"EKS":                    "Amazon Elastic Kubernetes Service",
	"ElastiCache":            "Amazon ElastiCache",
	"ElasticLoadBalancingV2": "Elastic Load Balancing",
	"Events":                 "Amazon EventBridge",
	"GuardDuty":              "Amazon GuardDuty",
	"KMS":                    "AWS Key Management Service",
	"Lambda":                 "AWS Lambda",
	"Logs":                   "Amazon CloudWatch Logs",
	"RDS":                    "Amazon RDS / Amazon Aurora",
	"Route53":                "Amazon Route 53",
	"S3":                     "Amazon S3",
	"SecretsManager":         "AWS Secrets Manager",
	"SecurityHub":            "AWS Security Hub",
	"SNS":                    "Amazon SNS",
	"SQS":                    "Amazon SQS",
	"SSM":                    "AWS Systems Manager",
	"StepFunctions":          "AWS Step Functions",
	"WAFv2":                  "AWS WAF",
}

// controlPlane are namespaces that configure an account but never store or
// process PHI, so the eligibility list does not apply to them.
var controlPlane = map[string]string{
	"CDK":            "CDK metadata (AWS::CDK::Metadata): version information only",
	"CloudFormation": "AWS CloudFormation: deployment orchestration, holds no data",
	"IAM":            "AWS IAM: identities and permissions, holds no data",
}
