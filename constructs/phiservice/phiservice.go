// Package phiservice provides PhiService: a containerized backend on ECS
// Fargate behind an Application Load Balancer, for an app that processes
// protected health information.
//
//	svc := phiservice.NewPhiService(stack, jsii.String("Api"), &phiservice.PhiServiceProps{
//		Vpc:              network.Vpc(),         // a hipaavpc.HipaaVpc
//		AppSecurityGroup: appTier,               // one of the PhiDatabase's AppClients
//		Certificate:      certificate,           // ACM: HTTPS only
//		AlarmTopic:       audit.Topic(),         // an audittrail.AuditTrail
//		ImageTag:         jsii.String("v1.4.2"), // from the ECR repository it creates
//		Database:         &phiservice.DatabaseAccess{Database: db, User: jsii.String("app_user")},
//	})
//	// svc.Repository() takes your CI's images; svc.LoadBalancer() is the
//	// service's only way in.
//
// The value is a construct (Tags_Of, NewCfnOutput, ... take it). Bad props
// panic at synth with a *validation.Error before anything is created; a
// change made later that weakens what it enforces fails synth. See README.md
// in this directory for every prop and default.
//
// Enforced (cannot be turned off): tasks in private subnets without a public
// IP, joined to the app-tier security group the PhiDatabase admits, which
// admits only the load balancer on the container port and sends only HTTPS,
// the database port inside the VPC and the caller's explicit Egress; a
// read-only, unprivileged container; logs to KMS-encrypted, retained log
// groups; secrets only from Secrets Manager or SSM; task and execution roles
// with managed policies only; an HTTPS listener with a TLS 1.2+ policy and
// port 80 redirecting to it; invalid header fields dropped; access logs to a
// TLS-only, versioned, lifecycle-managed bucket; a WAF web ACL with AWS
// managed rule groups, a rate limit and redacted logging; Container
// Insights; a deployment circuit breaker with rollback; alarms to the audit
// topic. At least two tasks and deletion protection unless an explicit
// non-PHI opt-out.
package phiservice

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/internal/base"
	"github.com/healthstack-oss/hipaa-baseline/internal/kmskeys"
	"github.com/healthstack-oss/hipaa-baseline/internal/retention"
	"github.com/healthstack-oss/hipaa-baseline/internal/validate"
)

// PhiService is a hardened ECS Fargate service behind an HTTPS load
// balancer and a WAF web ACL.
type PhiService struct {
	constructs.Construct
	s             *settings
	key           awskms.IKey
	appSg         awsec2.ISecurityGroup
	taskSg        awsec2.ISecurityGroup // appSg, immutable
	lbSg          awsec2.SecurityGroup
	cluster       awsecs.Cluster
	taskDef       awsecs.FargateTaskDefinition
	container     awsecs.ContainerDefinition
	service       awsecs.FargateService
	lb            awselasticloadbalancingv2.ApplicationLoadBalancer
	https, http   awselasticloadbalancingv2.ApplicationListener
	targetGroup   awselasticloadbalancingv2.ApplicationTargetGroup
	webAcl        awswafv2.CfnWebACL
	repository    awsecr.IRepository
	logGroup      awslogs.LogGroup
	execLogGroup  awslogs.LogGroup // nil without ECS Exec
	wafLogGroup   awslogs.LogGroup
	logBucket     awss3.Bucket
	serverLogs    awss3.Bucket
	taskRole      awsiam.IRole
	executionRole awsiam.IRole
	alarms        map[string]awscloudwatch.IAlarm
	webAclName    string
	rootAllowed   bool
}

// NewPhiService creates the service. Invalid props panic with a
// *validation.Error that names PhiService and the prop, before any
// resource is created.
func NewPhiService(scope constructs.Construct, id *string, props *PhiServiceProps) *PhiService {
	if scope == nil || id == nil || *id == "" {
		validate.Must(fail("scope/id", "a scope and a non-empty id are required"))
	}
	s, err := resolve(props)
	validate.MustAt(scope, id, err)

	this := &PhiService{s: s, appSg: props.AppSecurityGroup, rootAllowed: isTrue(props.AllowRootUser)}
	base.Init(this, scope, id, base.S3ServerAccessLogsUseBucketPolicy,
		base.EcsRemoveDefaultDeploymentAlarm, base.EcsNoExplicitDeploymentController)
	if props.EncryptionKey != nil {
		this.key = props.EncryptionKey
	} else {
		key := kmskeys.New(this, "Key", "PhiService: encrypts the service's logs, image repository and ECS Exec sessions")
		tagPHI(key)
		this.key = key
	}
	kmskeys.Provide(this, constructName, "EncryptionKey", this.key, kmskeys.CloudWatchLogs)
	if s.internal && props.AllowedCidrs == nil {
		s.cidrs = []string{*props.Vpc.VpcCidrBlock()}
	}

	this.logGroup = retention.NewEncryptedLogGroup(this, "LogGroup", nil, this.key, s.logDays)
	tagPHI(this.logGroup)
	if s.exec {
		this.execLogGroup = retention.NewEncryptedLogGroup(this, "ExecLogGroup", nil, this.key, s.logDays)
		tagPHI(this.execLogGroup)
	}
	this.repository = props.Repository
	if s.createRepository {
		this.repository = newRepository(this, s, this.key)
	}

	this.cluster = newCluster(this, props.Vpc, s, this.key, this.execLogGroup)
	this.executionRole, this.taskRole = newRoles(this, props, s)
	this.taskDef, this.container = newTaskDefinition(this, props, s)
	this.service = newService(this, props, s)

	this.logBucket, this.serverLogs = newLogBuckets(this, s)
	tagPHI(this.logBucket)
	this.lb, this.lbSg = newLoadBalancer(this, props, s)
	this.https, this.http, this.targetGroup = newListeners(this, props, s)
	newScaling(this, s)
	newEgress(this, props, s)

	this.wafLogGroup = retention.NewEncryptedLogGroup(this, "WafLogGroup", jsii.String(wafLogGroupName(this)), this.key, s.logDays)
	tagPHI(this.wafLogGroup)
	this.webAcl = newWebAcl(this, s)
	this.alarms = newAlarms(this, props, s)

	register(this)
	base.AddTreeValidation(this, this.guard)
	return this
}

// tagPHI marks a resource that stores or logs PHI.
func tagPHI(c constructs.IConstruct) {
	awscdk.Tags_Of(c).Add(jsii.String(DataClassificationTag), jsii.String(DataClassificationPHI), nil)
}

// Service is the ECS Fargate service.
func (p *PhiService) Service() awsecs.IFargateService { return p.service }

// Cluster is the ECS cluster (Container Insights on).
func (p *PhiService) Cluster() awsecs.ICluster { return p.cluster }

// TaskDefinition is the Fargate task definition.
func (p *PhiService) TaskDefinition() awsecs.IFargateTaskDefinition { return p.taskDef }

// LoadBalancer is the Application Load Balancer.
func (p *PhiService) LoadBalancer() awselasticloadbalancingv2.IApplicationLoadBalancer { return p.lb }

// LoadBalancerSecurityGroup is the load balancer's security group: 443 and
// 80 from AllowedCidrs in, the container port to the tasks out.
func (p *PhiService) LoadBalancerSecurityGroup() awsec2.ISecurityGroup { return p.lbSg }

// Listener is the HTTPS listener.
func (p *PhiService) Listener() awselasticloadbalancingv2.IApplicationListener { return p.https }

// RedirectListener is the port 80 listener, which only redirects to HTTPS.
func (p *PhiService) RedirectListener() awselasticloadbalancingv2.IApplicationListener { return p.http }

// TargetGroup is the tasks' target group.
func (p *PhiService) TargetGroup() awselasticloadbalancingv2.IApplicationTargetGroup {
	return p.targetGroup
}

// WebAcl is the WAF web ACL associated with the load balancer.
func (p *PhiService) WebAcl() interfacesawswafv2.IWebACLRef { return p.webAcl }

// Repository is the ECR repository the image comes from: the one PhiService
// created, or the caller's; nil with RegistryImage.
func (p *PhiService) Repository() awsecr.IRepository { return p.repository }

// LogGroup is the container's encrypted log group.
func (p *PhiService) LogGroup() awslogs.ILogGroup { return p.logGroup }

// ExecLogGroup is the ECS Exec session log group; nil unless
// EnableExecuteCommand.
func (p *PhiService) ExecLogGroup() awslogs.ILogGroup {
	if p.execLogGroup == nil {
		return nil
	}
	return p.execLogGroup
}

// WafLogGroup is the web ACL's encrypted log group (aws-waf-logs-...).
func (p *PhiService) WafLogGroup() awslogs.ILogGroup { return p.wafLogGroup }

// LogGroups are every log group of the service.
func (p *PhiService) LogGroups() []awslogs.ILogGroup {
	out := []awslogs.ILogGroup{p.logGroup, p.wafLogGroup}
	if p.execLogGroup != nil {
		out = append(out, p.execLogGroup)
	}
	return out
}

// AccessLogBucket receives the load balancer's access logs.
func (p *PhiService) AccessLogBucket() awss3.IBucket { return p.logBucket }

// TaskRole is the role the application runs with.
func (p *PhiService) TaskRole() awsiam.IRole { return p.taskRole }

// ExecutionRole is the role ECS pulls the image, writes logs and reads the
// secrets with.
func (p *PhiService) ExecutionRole() awsiam.IRole { return p.executionRole }

// EncryptionKey encrypts the log groups, the repository and ECS Exec.
func (p *PhiService) EncryptionKey() awskms.IKey { return p.key }

// Alarms are the service's alarms by name (Target5xxRate, UnhealthyHosts,
// WafBlockedRequests).
func (p *PhiService) Alarms() map[string]awscloudwatch.IAlarm {
	out := map[string]awscloudwatch.IAlarm{}
	for k, v := range p.alarms {
		out[k] = v
	}
	return out
}
