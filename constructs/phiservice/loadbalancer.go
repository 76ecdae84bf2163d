package phiservice

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/regioninfo"
	"github.com/aws/jsii-runtime-go"

	"github.com/healthstack-oss/hipaa-baseline/constructs/hipaavpc"
)

const (
	// noncurrentVersionDays keeps an overwritten or deleted log object this
	// long, so a mistaken delete can be undone.
	noncurrentVersionDays = 90
	incompleteUploadDays  = 7
	minimumTLSVersion     = 1.2
	// accessLogPrefix is where the load balancer writes its access logs.
	accessLogPrefix = "alb"
	// elbLogDeliveryService is the principal ELB delivers access logs as in
	// Regions opened since August 2022 (older Regions use an ELB account).
	elbLogDeliveryService = "logdelivery.elasticloadbalancing.amazonaws.com"
)

// logBucketProps are the settings both log buckets share: SSE-S3 (the only
// encryption ELB access logging and S3 server access logging deliver to),
// versioned, Block Public Access, TLS 1.2+ only, no ACLs, expiry after the
// log retention, retained with the stack.
func logBucketProps(s *settings) *awss3.BucketProps {
	return &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		Versioned:         jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(minimumTLSVersion),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("ExpireAfterLogRetention"),
			Enabled:                             jsii.Bool(true),
			Expiration:                          awscdk.Duration_Days(jsii.Number(s.logDays)),
			NoncurrentVersionExpiration:         awscdk.Duration_Days(jsii.Number(noncurrentVersionDays)),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(incompleteUploadDays)),
		}},
	}
}

// newLogBuckets creates the access-log bucket of the load balancer and the
// bucket that receives the S3 server access logs of the first.
func newLogBuckets(p *PhiService, s *settings) (logs, serverLogs awss3.Bucket) {
	serverLogs = awss3.NewBucket(p, jsii.String("ServerAccessLogBucket"), logBucketProps(s))
	props := logBucketProps(s)
	props.ServerAccessLogsBucket = serverLogs
	props.ServerAccessLogsPrefix = jsii.String("access-log-bucket/")
	logs = awss3.NewBucket(p, jsii.String("AccessLogBucket"), props)
	suppressLogBuckets(logs, serverLogs)
	return logs, serverLogs
}

// newLoadBalancer creates the load balancer, its security group (443 and 80
// from AllowedCidrs in; out only to the tasks, added with the target) and
// its access logging.
func newLoadBalancer(p *PhiService, props *PhiServiceProps, s *settings) (awselasticloadbalancingv2.ApplicationLoadBalancer, awsec2.SecurityGroup) {
	sg := awsec2.NewSecurityGroup(p, jsii.String("LoadBalancerSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              props.Vpc,
		Description:      jsii.String("PhiService load balancer: HTTPS (and HTTP, redirected) in; the container port to the tasks out"),
		AllowAllOutbound: jsii.Bool(false),
	})
	for _, cidr := range s.cidrs {
		peer := awsec2.Peer_Ipv4(jsii.String(cidr))
		sg.AddIngressRule(peer, awsec2.Port_Tcp(jsii.Number(httpsPort)), jsii.String("HTTPS"), jsii.Bool(false))
		sg.AddIngressRule(peer, awsec2.Port_Tcp(jsii.Number(httpPort)), jsii.String("HTTP, redirected to HTTPS"), jsii.Bool(false))
	}
	subnets := &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PUBLIC}
	if s.internal {
		subnets = s.taskSubnets
		if subnetIDs(props.Vpc, hipaavpc.AppTierName) != nil && props.TaskSubnets == nil {
			subnets = &awsec2.SubnetSelection{SubnetGroupName: jsii.String(hipaavpc.AppTierName)}
		}
	}
	lb := awselasticloadbalancingv2.NewApplicationLoadBalancer(p, jsii.String("LoadBalancer"), &awselasticloadbalancingv2.ApplicationLoadBalancerProps{
		Vpc:                     props.Vpc,
		InternetFacing:          jsii.Bool(!s.internal),
		VpcSubnets:              subnets,
		SecurityGroup:           sg,
		DropInvalidHeaderFields: jsii.Bool(true),
		DeletionProtection:      jsii.Bool(s.deletionProtected),
		Http2Enabled:            jsii.Bool(true),
	})
	logAccess(lb, p.logBucket)
	if !s.deletionProtected {
		suppressNonPhiRelaxation(lb.Node().DefaultChild(), "HIPAA.Security-ELBDeletionProtectionEnabled", "DisableDeletionProtectionForNonPhiEnvironment")
	}
	return lb, sg
}

// logAccess turns on access logs to bucket with the bucket policy ELB
// delivery needs. CDK's LogAccessLogs does the same but needs a literal
// Region; an environment-agnostic stack gets the log-delivery service
// principal instead of a Region's ELB account.
func logAccess(lb awselasticloadbalancingv2.ApplicationLoadBalancer, bucket awss3.Bucket) {
	stack := awscdk.Stack_Of(lb)
	lb.SetAttribute(jsii.String("access_logs.s3.enabled"), jsii.String("true"))
	lb.SetAttribute(jsii.String("access_logs.s3.bucket"), bucket.BucketName())
	lb.SetAttribute(jsii.String("access_logs.s3.prefix"), jsii.String(accessLogPrefix))
	var elb awsiam.IPrincipal = awsiam.NewServicePrincipal(jsii.String(elbLogDeliveryService), nil)
	if region := stack.Region(); !*awscdk.Token_IsUnresolved(region) {
		if account := regioninfo.RegionInfo_Get(region).Elbv2Account(); account != nil {
			elb = awsiam.NewAccountPrincipal(account)
		}
	}
	objects := bucket.ArnForObjects(jsii.String(accessLogPrefix + "/AWSLogs/" + *stack.Account() + "/*"))
	delivery := awsiam.NewServicePrincipal(jsii.String("delivery.logs.amazonaws.com"), nil)
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("ElbAccessLogDelivery"), Actions: jsii.Strings("s3:PutObject"),
		Principals: &[]awsiam.IPrincipal{elb}, Resources: &[]*string{objects},
	}))
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("LogDeliveryWrite"), Actions: jsii.Strings("s3:PutObject"),
		Principals: &[]awsiam.IPrincipal{delivery}, Resources: &[]*string{objects},
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"s3:x-amz-acl": "bucket-owner-full-control"}},
	}))
	bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("LogDeliveryAclCheck"), Actions: jsii.Strings("s3:GetBucketAcl"),
		Principals: &[]awsiam.IPrincipal{delivery}, Resources: &[]*string{bucket.BucketArn()},
	}))
	// ELB checks that it may write before it turns logging on.
	lb.Node().DefaultChild().Node().AddDependency(bucket.Policy())
}

// newListeners creates the HTTPS listener (the caller's certificate, a TLS
// 1.2+ policy, forwarding to the tasks) and the port 80 listener that only
// redirects to HTTPS. Neither opens the security group by itself.
func newListeners(p *PhiService, props *PhiServiceProps, s *settings) (https, http awselasticloadbalancingv2.ApplicationListener, tg awselasticloadbalancingv2.ApplicationTargetGroup) {
	tg = awselasticloadbalancingv2.NewApplicationTargetGroup(p, jsii.String("TargetGroup"), &awselasticloadbalancingv2.ApplicationTargetGroupProps{
		Vpc:                 props.Vpc,
		Port:                jsii.Number(s.port),
		Protocol:            awselasticloadbalancingv2.ApplicationProtocol_HTTP,
		TargetType:          awselasticloadbalancingv2.TargetType_IP,
		DeregistrationDelay: awscdk.Duration_Seconds(jsii.Number(30)),
		HealthCheck: &awselasticloadbalancingv2.HealthCheck{
			Path:                    jsii.String(s.healthPath),
			HealthyHttpCodes:        jsii.String("200-399"),
			Interval:                awscdk.Duration_Seconds(jsii.Number(30)),
			Timeout:                 awscdk.Duration_Seconds(jsii.Number(5)),
			HealthyThresholdCount:   jsii.Number(2),
			UnhealthyThresholdCount: jsii.Number(3),
		},
	})
	https = p.lb.AddListener(jsii.String("Https"), &awselasticloadbalancingv2.BaseApplicationListenerProps{
		Port:          jsii.Number(httpsPort),
		Protocol:      awselasticloadbalancingv2.ApplicationProtocol_HTTPS,
		Certificates:  &[]awselasticloadbalancingv2.IListenerCertificate{awselasticloadbalancingv2.ListenerCertificate_FromCertificateManager(props.Certificate)},
		SslPolicy:     s.sslPolicy,
		Open:          jsii.Bool(false),
		DefaultAction: awselasticloadbalancingv2.ListenerAction_Forward(&[]awselasticloadbalancingv2.IApplicationTargetGroup{tg}, nil),
	})
	http = p.lb.AddListener(jsii.String("Http"), &awselasticloadbalancingv2.BaseApplicationListenerProps{
		Port:     jsii.Number(httpPort),
		Protocol: awselasticloadbalancingv2.ApplicationProtocol_HTTP,
		Open:     jsii.Bool(false),
		DefaultAction: awselasticloadbalancingv2.ListenerAction_Redirect(&awselasticloadbalancingv2.RedirectOptions{
			Protocol: jsii.String("HTTPS"), Port: jsii.String(fmt.Sprint(httpsPort)), Permanent: jsii.Bool(true),
		}),
	})
	suppress(http.Node().DefaultChild(), "HIPAA.Security-ELBv2ACMCertificateRequired",
		"The port 80 listener only answers a permanent redirect to the HTTPS listener (ALBHttpToHttpsRedirection), which uses the ACM certificate; "+
			"an HTTP listener cannot carry a certificate, and no request is forwarded over it.")
	// Registers the tasks; the load balancer's group may send to the app
	// tier's group on the container port (CDK's egress rule, in this stack),
	// and the app tier's group admits it (this ingress rule, in this stack).
	tg.AddTarget(p.service)
	awsec2.NewCfnSecurityGroupIngress(p, jsii.String("LoadBalancerToTasks"), &awsec2.CfnSecurityGroupIngressProps{
		GroupId: props.AppSecurityGroup.SecurityGroupId(), IpProtocol: jsii.String("tcp"),
		FromPort: jsii.Number(s.port), ToPort: jsii.Number(s.port),
		SourceSecurityGroupId: p.lbSg.SecurityGroupId(),
		Description:           jsii.String("PhiService: the load balancer to the tasks, on the container port"),
	})
	return https, http, tg
}

// newEgress adds the tasks' outbound rules to the app-tier security group,
// as resources of this construct (they go with the service): HTTPS
// anywhere (AWS APIs, the image registry), the database port inside the
// VPC, and the caller's Egress.
func newEgress(p *PhiService, props *PhiServiceProps, s *settings) {
	groupID := props.AppSecurityGroup.SecurityGroupId()
	awsec2.NewCfnSecurityGroupEgress(p, jsii.String("HttpsEgress"), &awsec2.CfnSecurityGroupEgressProps{
		GroupId: groupID, IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(httpsPort), ToPort: jsii.Number(httpsPort),
		CidrIp: jsii.String(anyIPv4), Description: jsii.String("PhiService tasks: HTTPS to AWS APIs and the image registry"),
	})
	if props.Database != nil {
		awsec2.NewCfnSecurityGroupEgress(p, jsii.String("DatabaseEgress"), &awsec2.CfnSecurityGroupEgressProps{
			GroupId: groupID, IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(s.dbPort), ToPort: jsii.Number(s.dbPort),
			CidrIp: props.Vpc.VpcCidrBlock(), Description: jsii.String("PhiService tasks: the database port, inside the VPC"),
		})
	}
	for i, e := range s.egress {
		cfg := e.Peer.ToEgressRuleConfig()
		rule := e.Port.ToRuleJson().(map[string]interface{})
		eg := &awsec2.CfnSecurityGroupEgressProps{
			GroupId: groupID, IpProtocol: jsii.String(rule["ipProtocol"].(string)),
			FromPort: jsii.Number(rule["fromPort"].(float64)), ToPort: jsii.Number(rule["toPort"].(float64)),
			Description: e.Description, CidrIp: cfg.CidrIp, CidrIpv6: cfg.CidrIpv6,
			DestinationSecurityGroupId: cfg.DestinationSecurityGroupId, DestinationPrefixListId: cfg.DestinationPrefixListId,
		}
		awsec2.NewCfnSecurityGroupEgress(p, jsii.String(fmt.Sprintf("Egress%d", i)), eg)
	}
}
