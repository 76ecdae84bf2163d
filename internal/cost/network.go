package cost

import "fmt"

type handler func(c *calc, p map[string]interface{}) error

// handlers price each cost-bearing resource type. Each file adds its own.
var handlers = map[string]handler{}

func init() {
	handlers["AWS::EC2::NatGateway"] = func(c *calc, p map[string]interface{}) error {
		c.fixed("NAT gateway hours", "nat.hour", c.hours())
		c.usage("NAT gateway data processed (GB)", "nat.gb", "nat.gbPerGateway", 1)
		return nil
	}
	handlers["AWS::EC2::EIP"] = func(c *calc, p map[string]interface{}) error {
		c.fixed("public IPv4 address hours", "ipv4.hour", c.hours())
		return nil
	}
	handlers["AWS::EC2::VPCEndpoint"] = func(c *calc, p map[string]interface{}) error {
		switch t := str(p["VpcEndpointType"]); t {
		case "Gateway":
			return nil // S3 and DynamoDB gateway endpoints are free
		case "Interface", "":
			subnets, ok := p["SubnetIds"].([]interface{})
			if !ok || len(subnets) == 0 {
				return c.fail("interface endpoint without a literal SubnetIds list: cannot count its AZs")
			}
			n := float64(len(subnets))
			c.fixed(fmt.Sprintf("interface endpoint hours (%d AZs)", len(subnets)), "endpoint.azHour", n*c.hours())
			c.usage("interface endpoint data processed (GB)", "endpoint.gb", "endpoint.gbPerEndpoint", 1)
			return nil
		default:
			return c.fail("endpoint type %s", t)
		}
	}
	handlers["AWS::EC2::Instance"] = func(c *calc, p map[string]interface{}) error {
		it := str(p["InstanceType"])
		if it == "" {
			return c.fail("InstanceType is not a literal")
		}
		if _, err := c.data.Price("ec2." + it); err != nil {
			return c.fail("no price for EC2 %s in prices.json", it)
		}
		c.fixed("EC2 "+it+" hours", "ec2."+it, c.hours())
		bdm, _ := p["BlockDeviceMappings"].([]interface{})
		if len(bdm) == 0 {
			return c.fail("no BlockDeviceMappings: the root volume size is unknown")
		}
		for _, b := range bdm {
			ebs, _ := b.(map[string]interface{})["Ebs"].(map[string]interface{})
			if ebs == nil {
				continue
			}
			size, ok := num(ebs["VolumeSize"])
			if !ok {
				return c.fail("EBS VolumeSize is not a literal")
			}
			vt := str(ebs["VolumeType"])
			if vt == "" {
				vt = "gp2"
			}
			if vt != "gp2" && vt != "gp3" {
				return c.fail("EBS volume type %s", vt)
			}
			c.fixed("EBS "+vt+" storage (GB-month)", "ebs."+vt+".gbMonth", size)
		}
		if truthy(p["Monitoring"]) {
			c.usage("detailed monitoring metrics", "cloudwatch.metricMonth", "cloudwatch.detailedMetricsPerInstance", 1)
		}
		return nil
	}
	handlers["AWS::KMS::Key"] = func(c *calc, p map[string]interface{}) error {
		// Rotation adds $1/month per rotated backing key from the first
		// anniversary; the twelfth month estimated has none yet.
		c.fixed("customer managed key", "kms.keyMonth", 1)
		c.usage("KMS requests", "kms.request", "kms.requestsPerKey", 1)
		return nil
	}
	handlers["AWS::Lambda::Function"] = func(c *calc, p map[string]interface{}) error {
		mem := 128.0
		if m, ok := num(p["MemorySize"]); ok {
			mem = m
		}
		c.usage("Lambda requests (millions)", "lambda.requestMillion", "lambda.invocationsMillions", 1)
		inv, sec := c.assume("lambda.invocationsMillions"), c.assume("lambda.secondsPerInvocation")
		gb := mem / 1024
		c.usageQty("Lambda compute (GB-seconds)", "lambda.gbSecond", inv.Low*1e6*sec.Low*gb, inv.Typical*1e6*sec.Typical*gb)
		return nil
	}
}
