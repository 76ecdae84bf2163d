package eligibility

// Service is one entry of the eligibility data: the synth guard admits its
// CloudFormation namespaces and the eligible-services SCP (package
// constructs/orgguardrails) admits its IAM actions. Both are generated from
// the lists below, so they change together, and only when the lists change.
type Service struct {
	// Name is the service as AWS's list names it.
	Name string
	// Namespaces are the CloudFormation service namespaces (the X in
	// AWS::X::Resource). A service without resource types has none.
	Namespaces []string
	// Prefixes are the IAM service prefixes (the x in "x:Action"); the SCP
	// admits every action of each ("x:*").
	Prefixes []string
	// Actions are IAM action patterns admitted instead of a whole prefix
	// (control-plane services of which only part is needed, e.g.
	// "organizations:Describe*").
	Actions []string
	// Why says why a control-plane service is exempt (empty for eligible
	// services: being on AWS's list is the reason).
	Why string
}

// Sources of the data below.
//
// Eligibility: AWS, "HIPAA Eligible Services Reference"
// (https://aws.amazon.com/compliance/hipaa-eligible-services-reference/),
// as read on 2026-11-28, limited to the services a stack of this library
// might plausibly contain. Add a service only after checking it on that page;
// update the date when you re-check the list.
//
// IAM prefixes: AWS, "Service Authorization Reference: Actions, resources,
// and condition keys for AWS services"
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
// each service's "service prefix", as read on 2026-12-01. A service can have
// more than one prefix (its data-plane or session APIs); each prefix listed
// belongs to the eligible service it is listed under.
const (
	EligibilitySource = "https://aws.amazon.com/compliance/hipaa-eligible-services-reference/"
	EligibilityReadOn = "2026-11-28"
	IamPrefixSource   = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
	IamPrefixReadOn   = "2026-12-01"
)

// Eligible are the HIPAA-eligible services, in the order of the SCP.
var Eligible = []Service{
	{Name: "Amazon API Gateway", Namespaces: []string{"ApiGateway", "ApiGatewayV2"}, Prefixes: []string{"apigateway", "execute-api"}},
	{Name: "Application Auto Scaling", Namespaces: []string{"ApplicationAutoScaling"}, Prefixes: []string{"application-autoscaling"}},
	{Name: "Amazon EC2 Auto Scaling", Namespaces: []string{"AutoScaling"}, Prefixes: []string{"autoscaling"}},
	{Name: "AWS Backup", Namespaces: []string{"Backup"}, Prefixes: []string{"backup", "backup-storage"}},
	{Name: "AWS Certificate Manager", Namespaces: []string{"CertificateManager"}, Prefixes: []string{"acm"}},
	{Name: "Amazon CloudFront", Namespaces: []string{"CloudFront"}, Prefixes: []string{"cloudfront"}},
	{Name: "AWS CloudTrail", Namespaces: []string{"CloudTrail"}, Prefixes: []string{"cloudtrail"}},
	{Name: "Amazon CloudWatch", Namespaces: []string{"CloudWatch"}, Prefixes: []string{"cloudwatch"}},
	{Name: "Amazon Cognito", Namespaces: []string{"Cognito"}, Prefixes: []string{"cognito-identity", "cognito-idp", "cognito-sync"}},
	{Name: "AWS Config", Namespaces: []string{"Config"}, Prefixes: []string{"config"}},
	{Name: "Amazon DynamoDB", Namespaces: []string{"DynamoDB"}, Prefixes: []string{"dynamodb"}},
	// Amazon VPC and AWS Client VPN are EC2 APIs (prefix ec2); the EC2
	// instance-connect prefix is not listed: Session Manager is the one path.
	{Name: "Amazon EC2 / Amazon VPC / AWS Client VPN", Namespaces: []string{"EC2"}, Prefixes: []string{"ec2"}},
	{Name: "Amazon Elastic Container Registry", Namespaces: []string{"ECR"}, Prefixes: []string{"ecr"}},
	{Name: "Amazon Elastic Container Service", Namespaces: []string{"ECS"}, Prefixes: []string{"ecs"}},
	{Name: "Amazon Elastic File System", Namespaces: []string{"EFS"}, Prefixes: []string{"elasticfilesystem"}},
	{Name: "Amazon Elastic Kubernetes Service", Namespaces: []string{"EKS"}, Prefixes: []string{"eks"}},
	{Name: "Amazon ElastiCache", Namespaces: []string{"ElastiCache"}, Prefixes: []string{"elasticache"}},
	{Name: "Elastic Load Balancing", Namespaces: []string{"ElasticLoadBalancingV2"}, Prefixes: []string{"elasticloadbalancing"}},
	{Name: "Amazon EventBridge", Namespaces: []string{"Events"}, Prefixes: []string{"events"}},
	{Name: "Amazon GuardDuty", Namespaces: []string{"GuardDuty"}, Prefixes: []string{"guardduty"}},
	{Name: "AWS Key Management Service", Namespaces: []string{"KMS"}, Prefixes: []string{"kms"}},
	{Name: "AWS Lambda", Namespaces: []string{"Lambda"}, Prefixes: []string{"lambda"}},
	{Name: "Amazon CloudWatch Logs", Namespaces: []string{"Logs"}, Prefixes: []string{"logs"}},
	// rds-db: IAM database authentication (PhiDatabase's GrantConnect).
	{Name: "Amazon RDS / Amazon Aurora", Namespaces: []string{"RDS"}, Prefixes: []string{"rds", "rds-db"}},
	{Name: "Amazon Route 53", Namespaces: []string{"Route53"}, Prefixes: []string{"route53"}},
	{Name: "Amazon S3", Namespaces: []string{"S3"}, Prefixes: []string{"s3"}},
	{Name: "AWS Secrets Manager", Namespaces: []string{"SecretsManager"}, Prefixes: []string{"secretsmanager"}},
	{Name: "AWS Security Hub", Namespaces: []string{"SecurityHub"}, Prefixes: []string{"securityhub"}},
	{Name: "Amazon SNS", Namespaces: []string{"SNS"}, Prefixes: []string{"sns"}},
	{Name: "Amazon SQS", Namespaces: []string{"SQS"}, Prefixes: []string{"sqs"}},
	// ssmmessages and ec2messages are Session Manager's and the SSM Agent's
	// channels (BastionAccess's one human path).
	{Name: "AWS Systems Manager", Namespaces: []string{"SSM"}, Prefixes: []string{"ssm", "ssmmessages", "ec2messages"}},
	{Name: "AWS Step Functions", Namespaces: []string{"StepFunctions"}, Prefixes: []string{"states"}},
	{Name: "AWS WAF", Namespaces: []string{"WAFv2"}, Prefixes: []string{"wafv2"}},
}

// ControlPlane are services that configure or operate an account but never
// store or process PHI, so the eligibility list does not apply to them: the
// guard admits their namespaces and the SCP their actions. Keep it short:
// every entry is a way around the PHI boundary the SCP draws.
var ControlPlane = []Service{
	{Name: "CDK metadata", Namespaces: []string{"CDK"},
		Why: "AWS::CDK::Metadata holds version information only and calls no service API"},
	{Name: "AWS CloudFormation", Namespaces: []string{"CloudFormation"}, Prefixes: []string{"cloudformation"},
		Why: "deployment orchestration: every stack of the baseline is deployed and updated through it; holds no data"},
	{Name: "AWS IAM", Namespaces: []string{"IAM"}, Prefixes: []string{"iam"},
		Why: "identities and permissions, holds no data; every role of the baseline is an IAM resource"},
	{Name: "AWS STS", Prefixes: []string{"sts"},
		Why: "temporary credentials: signing in to (AssumeRole, SAML/OIDC federation) and deploying into the account"},
	{Name: "AWS Organizations (read only)", Actions: []string{"organizations:Describe*", "organizations:List*"},
		Why: "member accounts read their organization (the console and AWS Config do); every write stays denied"},
	{Name: "AWS Support", Prefixes: []string{"support"},
		Why: "opening cases with AWS; never put PHI in a case (AWS's Support is not in scope of the BAA)"},
	{Name: "AWS Health", Prefixes: []string{"health"},
		Why: "AWS's notices about the account's resources (scheduled maintenance, incidents)"},
	{Name: "AWS Trusted Advisor", Prefixes: []string{"trustedadvisor"},
		Why: "account checks (quotas, security findings) read from AWS's side; holds no customer data"},
	{Name: "Service Quotas", Prefixes: []string{"servicequotas"},
		Why: "reading and raising the account's limits"},
	{Name: "Billing and Cost Management", Prefixes: []string{"account", "aws-portal", "billing", "budgets", "ce", "cur", "freetier", "invoicing", "payments", "pricing", "tax"},
		Why: "paying for and watching the cost of the account; billing data, not PHI"},
	{Name: "Resource Groups Tagging", Prefixes: []string{"tag"},
		Why: "reading and setting tags across services (the DataClassification tag); tags must never hold PHI"},
}

// hipaaEligible and controlPlane are the guard's view of the data: by
// CloudFormation namespace, the service's name (or why it is exempt).
var (
	hipaaEligible = byNamespace(Eligible, func(s Service) string { return s.Name })
	controlPlane  = byNamespace(ControlPlane, func(s Service) string { return s.Name + ": " + s.Why })
)

func byNamespace(list []Service, describe func(Service) string) map[string]string {
	out := map[string]string{}
	for _, s := range list {
		for _, ns := range s.Namespaces {
			out[ns] = describe(s)
		}
	}
	return out
}
