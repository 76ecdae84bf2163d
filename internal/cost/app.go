package cost

import "strings"

// The app tier's types: ECS on Fargate, load balancers, WAF, ECR.
func init() {
	handlers["AWS::ECS::Cluster"] = func(c *calc, p map[string]interface{}) error {
		settings, _ := p["ClusterSettings"].([]interface{})
		for _, s := range settings {
			m, _ := s.(map[string]interface{})
			if str(m["Name"]) == "containerInsights" && str(m["Value"]) != "disabled" {
				c.usage("Container Insights metrics", "cloudwatch.metricMonth", "ecs.containerInsightsMetrics", 1)
			}
		}
		return nil
	}
	handlers["AWS::ECS::Service"] = priceFargateService
	handlers["AWS::ElasticLoadBalancingV2::LoadBalancer"] = priceLoadBalancer
	handlers["AWS::WAFv2::WebACL"] = priceWebACL
	handlers["AWS::WAFv2::RuleGroup"] = func(c *calc, p map[string]interface{}) error {
		c.fixed("WAF rule group", "waf.ruleMonth", 1)
		return nil
	}
	handlers["AWS::ECR::Repository"] = func(c *calc, p map[string]interface{}) error {
		c.usage("ECR image storage (GB-month)", "ecr.gbMonth", "ecr.gbPerRepository", 1)
		return nil
	}
	handlers["AWS::Route53::HostedZone"] = func(c *calc, p map[string]interface{}) error {
		c.fixed("hosted zone", "route53.zoneMonth", 1)
		return nil
	}
}

func priceFargateService(c *calc, p map[string]interface{}) error {
	fargate := str(p["LaunchType"]) == "FARGATE"
	if cps, ok := p["CapacityProviderStrategy"].([]interface{}); ok {
		for _, s := range cps {
			if strings.HasPrefix(str(s.(map[string]interface{})["CapacityProvider"]), "FARGATE") {
				fargate = true // FARGATE_SPOT is priced as on-demand: an upper bound
			}
		}
	}
	if !fargate {
		return c.fail("only Fargate services are priced (LaunchType FARGATE or a FARGATE capacity provider)")
	}
	res := c.stacks[c.stack].Resources
	td, ok := res[refTarget(p["TaskDefinition"])]
	if !ok {
		return c.fail("task definition not in the stack")
	}
	cpu, ok1 := num(td.Properties["Cpu"])
	mem, ok2 := num(td.Properties["Memory"])
	if !ok1 || !ok2 {
		return c.fail("task definition Cpu and Memory must be literals")
	}
	arch := "x86"
	if rp, ok := td.Properties["RuntimePlatform"].(map[string]interface{}); ok && str(rp["CpuArchitecture"]) == "ARM64" {
		arch = "arm"
	}
	tasks := 1.0
	if d, ok := num(p["DesiredCount"]); ok {
		tasks = d
	}
	for _, r := range res {
		if r.Type != "AWS::ApplicationAutoScaling::ScalableTarget" {
			continue
		}
		for _, id := range refsUnder(r.Properties["ResourceId"]) {
			if id == c.id {
				if m, ok := num(r.Properties["MinCapacity"]); ok && m > tasks {
					tasks = m
				}
			}
		}
	}
	h := tasks * c.hours()
	c.fixed("Fargate vCPU-hours ("+arch+")", "fargate."+arch+".vcpuHour", h*cpu/1024)
	c.fixed("Fargate GB-hours ("+arch+")", "fargate."+arch+".gbHour", h*mem/1024)
	if es, ok := td.Properties["EphemeralStorage"].(map[string]interface{}); ok {
		if gb, ok := num(es["SizeInGiB"]); ok && gb > 20 {
			c.fixed("Fargate ephemeral storage beyond 20 GB (GB-hours)", "fargate.storage.gbHour", h*(gb-20))
		}
	}
	return nil
}

func priceLoadBalancer(c *calc, p map[string]interface{}) error {
	var hourKey, capKey, capItem string
	switch t := str(p["Type"]); t {
	case "", "application":
		hourKey, capKey, capItem = "alb.hour", "alb.lcuHour", "ALB LCU-hours"
	case "network":
		hourKey, capKey, capItem = "nlb.hour", "nlb.nlcuHour", "NLB NLCU-hours"
	default:
		return c.fail("load balancer type %s is not priced", t)
	}
	c.fixed("load balancer hours", hourKey, c.hours())
	lcu := c.assume("alb.lcus")
	c.usageQty(capItem, capKey, lcu.Low*c.hours(), lcu.Typical*c.hours())
	if s := str(p["Scheme"]); s == "internal" || str(p["IpAddressType"]) == "dualstack-without-public-ipv4" {
		return nil
	}
	azs := 0
	if s, ok := p["Subnets"].([]interface{}); ok {
		azs = len(s)
	} else if m, ok := p["SubnetMappings"].([]interface{}); ok {
		azs = len(m)
	}
	if azs == 0 {
		return c.fail("internet-facing load balancer without a literal Subnets list: cannot count its public IPv4 addresses")
	}
	c.fixed("public IPv4 address hours (one per AZ)", "ipv4.hour", float64(azs)*c.hours())
	return nil
}

var paidManagedRuleGroups = []string{"BotControl", "ATPRuleSet", "ACFPRuleSet", "AntiDDoS"}

func priceWebACL(c *calc, p map[string]interface{}) error {
	rules, ok := p["Rules"].([]interface{})
	if !ok && p["Rules"] != nil {
		return c.fail("Rules is not a literal list")
	}
	for _, r := range rules {
		for _, paid := range paidManagedRuleGroups {
			if strings.Contains(flatten(r), paid) {
				return c.fail("paid managed rule group %s is not priced", paid)
			}
		}
	}
	c.fixed("web ACL", "waf.webAclMonth", 1)
	c.fixed("WAF rules", "waf.ruleMonth", float64(len(rules)))
	c.usage("WAF requests inspected (millions)", "waf.requestMillion", "waf.requestsMillions", 1)
	return nil
}

// flatten returns every string under v, joined, for simple searches.
func flatten(v interface{}) string {
	var b strings.Builder
	var walk func(interface{})
	walk = func(v interface{}) {
		switch x := v.(type) {
		case string:
			b.WriteString(x)
			b.WriteByte(' ')
		case map[string]interface{}:
			for _, e := range x {
				walk(e)
			}
		case []interface{}:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}
