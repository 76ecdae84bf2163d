package phiservice

import (
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ManagedRuleGroups are the AWS managed rule groups of the web ACL, in
// priority order: OWASP-style common rules, known bad inputs (e.g. Log4j),
// SQL injection, and Amazon's IP reputation list.
var ManagedRuleGroups = []string{
	"AWSManagedRulesAmazonIpReputationList",
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesKnownBadInputsRuleSet",
	"AWSManagedRulesSQLiRuleSet",
}

// RateLimitRuleName names the rate-based rule.
const RateLimitRuleName = "RateLimitPerClientIp"

// RedactedHeaders are kept out of the WAF logs: they carry credentials and
// session identifiers.
var RedactedHeaders = []string{"authorization", "cookie"}

var notNameChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// physicalName is a stable name from the stack name and construct path.
func physicalName(c constructs.IConstruct, max float64) string {
	raw := *awscdk.Names_UniqueResourceName(c, &awscdk.UniqueResourceNameOptions{
		MaxLength: jsii.Number(max), Separator: jsii.String("-"),
	})
	return notNameChars.ReplaceAllString(raw, "-")
}

// wafLogGroupName is the web ACL's log group: WAF logs only to groups whose
// name starts with aws-waf-logs-.
func wafLogGroupName(p *PhiService) string { return "aws-waf-logs-" + physicalName(p, 200) }

func visibility(metric string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
	return &awswafv2.CfnWebACL_VisibilityConfigProperty{
		CloudWatchMetricsEnabled: jsii.Bool(true),
		MetricName:               jsii.String(metric),
		SampledRequestsEnabled:   jsii.Bool(true),
	}
}

// newWebAcl creates the web ACL, associates it with the load balancer and
// logs it to the aws-waf-logs- group with the credential headers redacted.
func newWebAcl(p *PhiService, s *settings) awswafv2.CfnWebACL {
	var rules []interface{}
	for i, name := range ManagedRuleGroups {
		rules = append(rules, &awswafv2.CfnWebACL_RuleProperty{
			Name:     jsii.String(name),
			Priority: jsii.Number(float64(i)),
			Statement: &awswafv2.CfnWebACL_StatementProperty{
				ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
					VendorName: jsii.String("AWS"), Name: jsii.String(name),
				},
			},
			OverrideAction:   &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]interface{}{}},
			VisibilityConfig: visibility(name),
		})
	}
	rules = append(rules, &awswafv2.CfnWebACL_RuleProperty{
		Name:     jsii.String(RateLimitRuleName),
		Priority: jsii.Number(float64(len(ManagedRuleGroups))),
		Statement: &awswafv2.CfnWebACL_StatementProperty{
			RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
				Limit: jsii.Number(s.wafLimit), AggregateKeyType: jsii.String("IP"), EvaluationWindowSec: jsii.Number(300),
			},
		},
		Action:           &awswafv2.CfnWebACL_RuleActionProperty{Block: map[string]interface{}{}},
		VisibilityConfig: visibility(RateLimitRuleName),
	})
	name := physicalName(p, 128)
	acl := awswafv2.NewCfnWebACL(p, jsii.String("WebAcl"), &awswafv2.CfnWebACLProps{
		Name:             jsii.String(name),
		Description:      jsii.String("PhiService: AWS managed rules and a per-IP rate limit in front of the load balancer"),
		Scope:            jsii.String("REGIONAL"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]interface{}{}},
		VisibilityConfig: visibility(name),
		Rules:            &rules,
	})
	awswafv2.NewCfnWebACLAssociation(p, jsii.String("WebAclAssociation"), &awswafv2.CfnWebACLAssociationProps{
		ResourceArn: p.lb.LoadBalancerArn(),
		WebAclArn:   acl.AttrArn(),
	})
	var redacted []interface{}
	for _, h := range RedactedHeaders {
		redacted = append(redacted, &awswafv2.CfnLoggingConfiguration_FieldToMatchProperty{
			SingleHeader: map[string]interface{}{"Name": h},
		})
	}
	logging := awswafv2.NewCfnLoggingConfiguration(p, jsii.String("WafLogging"), &awswafv2.CfnLoggingConfigurationProps{
		ResourceArn: acl.AttrArn(),
		// WAF takes the log group's ARN without the trailing ":*".
		LogDestinationConfigs: &[]interface{}{awscdk.Stack_Of(p).FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("log-group"),
			ResourceName: p.wafLogGroup.LogGroupName(), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})},
		RedactedFields: &redacted,
	})
	logging.Node().AddDependency(p.wafLogGroup)
	p.webAclName = name
	return acl
}
