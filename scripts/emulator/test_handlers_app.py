"""Tests of the app tier on the emulator (the <env>-app stack, PhiService):
the WAFv2, ECS service and Application Auto Scaling handlers, metric-math
alarms, the target group and log group fixes, the certificate deploy-local
imports, and the app checks of verify.py, each with a passing and a failing
case. Same server as test_handlers (run from the repository root):

    python3 -m unittest scripts.emulator.test_handlers_app -v
"""
import copy
import json
import os
import tempfile
import unittest

from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from scripts.emulator import run, verify
from scripts.emulator.test_handlers import EmulatorTest, client, setUpModule, tearDownModule  # noqa: F401


def network_template():
    """A VPC with two public and two app subnets and the app-tier group,
    exported as the app stack imports them."""
    def subnet(cidr, az, path):
        return {"Type": "AWS::EC2::Subnet", "Metadata": {"aws:cdk:path": path}, "Properties": {
            "VpcId": {"Ref": "Vpc"}, "CidrBlock": cidr, "AvailabilityZone": az}}
    res = {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.9.0.0/16"}},
        "Public1": subnet("10.9.0.0/24", "us-east-1a", "n/Network/Vpc/PublicSubnet1/Subnet"),
        "Public2": subnet("10.9.1.0/24", "us-east-1b", "n/Network/Vpc/PublicSubnet2/Subnet"),
        "App1": subnet("10.9.2.0/24", "us-east-1a", "n/Network/Vpc/AppSubnet1/Subnet"),
        "App2": subnet("10.9.3.0/24", "us-east-1b", "n/Network/Vpc/AppSubnet2/Subnet"),
        "AppSg": {"Type": "AWS::EC2::SecurityGroup", "Metadata": {"aws:cdk:path": "n/AppTierSecurityGroup/Resource"},
                  "Properties": {"GroupDescription": "app tier", "VpcId": {"Ref": "Vpc"}}},
    }
    return {"Resources": res, "Outputs": {k: {"Value": {"Ref": k}, "Export": {"Name": "${ENV}-" + k}}
                                          for k in ("Vpc", "Public1", "Public2", "App1", "App2", "AppSg")}}


def imp(env, name):
    return {"Fn::ImportValue": "%s-%s" % (env, name)}


def app_template(env, cert_arn, waf_log_group="aws-waf-logs-%(env)s", public_ip="DISABLED", metrics=None):
    """The PhiService resources the app checks read, in the shape CDK synthesizes them."""
    waf_log_group = waf_log_group % {"env": env}
    lb_full = {"Fn::Join": ["", [{"Fn::Select": [1, {"Fn::Split": ["/", {"Ref": "Lb"}]}]}, "/",
                                 {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "Lb"}]}]}, "/",
                                 {"Fn::Select": [3, {"Fn::Split": ["/", {"Ref": "Lb"}]}]}]]}
    key_arn = {"Fn::GetAtt": ["Key", "Arn"]}
    res = {
        "Key": {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "Properties": {"KeyPolicy": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                    "Action": "kms:*", "Resource": "*"}]}}},
        "LogGroup": {"Type": "AWS::Logs::LogGroup", "Metadata": {"aws:cdk:path": "a/Service/LogGroup/Resource"},
                     "Properties": {"KmsKeyId": key_arn, "RetentionInDays": 30}},
        "WafLogGroup": {"Type": "AWS::Logs::LogGroup", "Metadata": {"aws:cdk:path": "a/Service/WafLogGroup/Resource"},
                        "Properties": {"LogGroupName": waf_log_group, "KmsKeyId": key_arn, "RetentionInDays": 30}},
        "Cluster": {"Type": "AWS::ECS::Cluster"},
        "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
            "Family": env + "-task", "NetworkMode": "awsvpc", "RequiresCompatibilities": ["FARGATE"],
            "Cpu": "256", "Memory": "512",
            "ContainerDefinitions": [{"Name": "app", "Image": "public.ecr.aws/nginx/nginx:1",
                                      "PortMappings": [{"ContainerPort": 8080}]}]}},
        "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {
            "Scheme": "internet-facing", "Type": "application", "Subnets": [imp(env, "Public1"), imp(env, "Public2")]}},
        "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
            "Port": 8080, "Protocol": "HTTP", "TargetType": "ip", "VpcId": imp(env, "Vpc")}},
        "Https": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
            "LoadBalancerArn": {"Ref": "Lb"}, "Port": 443, "Protocol": "HTTPS",
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "Certificates": [{"CertificateArn": cert_arn}],
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}]}},
        "Http": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
            "LoadBalancerArn": {"Ref": "Lb"}, "Port": 80, "Protocol": "HTTP", "DefaultActions": [
                {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]}},
        "Service": {"Type": "AWS::ECS::Service", "DependsOn": ["Https"], "Properties": {
            "Cluster": {"Ref": "Cluster"}, "TaskDefinition": {"Ref": "Task"}, "DesiredCount": 1, "LaunchType": "FARGATE",
            "LoadBalancers": [{"ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": {"Ref": "Tg"}}],
            "NetworkConfiguration": {"AwsvpcConfiguration": {
                "AssignPublicIp": public_ip, "SecurityGroups": [imp(env, "AppSg")],
                "Subnets": [imp(env, "App1"), imp(env, "App2")]}}}},
        "ScalingTarget": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {
            "MinCapacity": 1, "MaxCapacity": 4, "ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount",
            "ResourceId": {"Fn::Join": ["", ["service/", {"Ref": "Cluster"}, "/", {"Fn::GetAtt": ["Service", "Name"]}]]},
            "RoleARN": "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/x"}},
        "ScalingCpu": {"Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": {
            "PolicyName": env + "-cpu", "PolicyType": "TargetTrackingScaling", "ScalingTargetId": {"Ref": "ScalingTarget"},
            "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 60, "PredefinedMetricSpecification": {
                "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}}}},
        "WebAcl": {"Type": "AWS::WAFv2::WebACL", "Properties": {
            "Name": env + "-acl", "Scope": "REGIONAL", "DefaultAction": {"Allow": {}},
            "VisibilityConfig": {"CloudWatchMetricsEnabled": True, "MetricName": "acl", "SampledRequestsEnabled": True},
            "Rules": [{"Name": "RateLimit", "Priority": 0, "Action": {"Block": {}},
                       "Statement": {"RateBasedStatement": {"AggregateKeyType": "IP", "Limit": 1000}},
                       "VisibilityConfig": {"CloudWatchMetricsEnabled": True, "MetricName": "rate",
                                            "SampledRequestsEnabled": True}}]}},
        "WebAclAssociation": {"Type": "AWS::WAFv2::WebACLAssociation", "Properties": {
            "ResourceArn": {"Ref": "Lb"}, "WebACLArn": {"Fn::GetAtt": ["WebAcl", "Arn"]}}},
        "WafLogging": {"Type": "AWS::WAFv2::LoggingConfiguration", "DependsOn": ["WafLogGroup"], "Properties": {
            "ResourceArn": {"Fn::GetAtt": ["WebAcl", "Arn"]},
            "LogDestinationConfigs": [{"Fn::Join": ["", ["arn:aws:logs:us-east-1:123456789012:log-group:",
                                                         {"Ref": "WafLogGroup"}]]}],
            "RedactedFields": [{"SingleHeader": {"Name": "authorization"}}]}},
        "Alarm5xx": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "AlarmDescription": "5xx rate", "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "EvaluationPeriods": 1, "Threshold": 5, "AlarmActions": [imp(env, "Topic")],
            "Metrics": metrics or [
                {"Id": "expr_1", "Expression": "IF(requests > 0, 100 * errors / requests, 0)", "ReturnData": True},
                {"Id": "errors", "ReturnData": False, "MetricStat": {"Period": 300, "Stat": "Sum", "Metric": {
                    "Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": [
                        {"Name": "LoadBalancer", "Value": lb_full},
                        {"Name": "TargetGroup", "Value": {"Fn::GetAtt": ["Tg", "TargetGroupFullName"]}}]}}},
                {"Id": "requests", "ReturnData": False, "MetricStat": {"Period": 300, "Stat": "Sum", "Metric": {
                    "Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount", "Dimensions": [
                        {"Name": "LoadBalancer", "Value": lb_full}]}}}]}},
    }
    return {"Resources": res}


def audit_template():
    return {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"Topic": {"Value": {"Ref": "Topic"}, "Export": {"Name": "${ENV}-Topic"}}}}


def certificate():
    with tempfile.TemporaryDirectory() as d:
        return run.import_app_certificate(d, "handlers")


class AppTest(EmulatorTest):
    def refused_create(self, name, template):
        """CreateStack, which the emulator must refuse: the service's error
        (a JSON error inside CloudFormation's XML answer, which botocore
        cannot parse: the text is what there is)."""
        with self.assertRaises((ClientError, ResponseParserError)) as err:
            self.cfn.create_stack(StackName=name, TemplateBody=json.dumps(template))
        return str(err.exception)

    def deploy_app(self, env, **kw):
        cert = certificate()
        stacks = {"network": network_template(), "audit": audit_template(), "app": app_template(env, cert, **kw)}
        stacks = {k: json.loads(json.dumps(t).replace("${ENV}", env)) for k, t in stacks.items()}
        return self.deploy_env(env, stacks), cert

    def test_app_resources_reach_their_services_and_every_check_passes(self):
        env, cert = self.deploy_app("apptier")
        for check in verify.APP_CHECKS:
            if check is verify.app_bucket_policies:  # none in this template; see the test below
                continue
            status, detail = check(env)
            self.assertIn(status, (verify.PASS, verify.NOTE), "%s: %s" % (check.check_name, detail))
        ids = self.physical("apptier-app")
        # the metric-math alarm keeps its expression and metrics; the target
        # group's full name reached its dimension
        a = client("cloudwatch").describe_alarms(AlarmNames=[ids["Alarm5xx"]])["MetricAlarms"][0]
        self.assertEqual([m["Id"] for m in a["Metrics"]], ["expr_1", "errors", "requests"])
        dims = {d["Name"]: d["Value"] for d in a["Metrics"][1]["MetricStat"]["Metric"]["Dimensions"]}
        self.assertTrue(dims["TargetGroup"].startswith("targetgroup/"), dims)
        self.assertTrue(dims["LoadBalancer"].startswith("app/"), dims)
        # scaling target and policy
        aas = client("application-autoscaling")
        targets = aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
        rid = ids["ScalingTarget"].split("|")[0]
        self.assertIn((rid, 1, 4), [(t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]) for t in targets])
        policies = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=rid)["ScalingPolicies"]
        self.assertEqual([p["PolicyName"] for p in policies], ["apptier-cpu"])
        self.assertEqual(policies[0]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"], 60)
        # the retained log groups and key outlive the stack; WAF and scaling go with it
        acl_arn = client("wafv2").get_web_acl_for_resource(ResourceArn=ids["Lb"])["WebACL"]["ARN"]
        self.cfn.delete_stack(StackName="apptier-app")
        self.assertNotIn("WebACL", client("wafv2").get_web_acl_for_resource(ResourceArn=ids["Lb"]))
        with self.assertRaises(ClientError):
            client("wafv2").get_logging_configuration(ResourceArn=acl_arn)
        self.assertEqual(aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=rid)["ScalingPolicies"], [])
        self.assertEqual(verify.still_there("AWS::KMS::Key", "Retain", ids["Key"])[0], verify.PASS)

    def test_public_ip_and_unencrypted_log_group_fail_their_checks(self):
        env, _ = self.deploy_app("apppublic", public_ip="ENABLED")
        status, detail = verify.app_service(env)
        self.assertEqual(status, verify.FAIL)
        self.assertIn("assignPublicIp ENABLED", detail)
        # a log group that lost its key (as moto's handler lost every KmsKeyId)
        name = self.physical("apppublic-app")["LogGroup"]
        from moto.logs.models import logs_backends
        logs_backends["123456789012"]["us-east-1"].groups[name].kms_key_id = None
        status, detail = verify.app_log_groups(env)
        self.assertEqual(status, verify.FAIL)
        self.assertIn("%s: kmsKeyId None" % name, detail)

    def test_listener_on_another_certificate_or_policy_fails(self):
        env, cert = self.deploy_app("applistener")
        https = [l for l in verify._listeners(env, "applistener-app") if l["Port"] == 443][0]
        client("elbv2").modify_listener(ListenerArn=https["ListenerArn"], SslPolicy="ELBSecurityPolicy-2016-08",
                                        Certificates=[{"CertificateArn": certificate()}])
        status, detail = verify.app_https_listener(env)
        self.assertEqual(status, verify.FAIL)
        self.assertIn("TLS policy ELBSecurityPolicy-2016-08, template asks ELBSecurityPolicy-TLS13-1-2-2021-06", detail)
        self.assertIn("template asks %s" % cert, detail)

    def test_http_listener_forwarding_fails_the_redirect_check(self):
        env, _ = self.deploy_app("appforward")
        ids = self.physical("appforward-app")
        client("elbv2").modify_listener(ListenerArn=ids["Http"], DefaultActions=[
            {"Type": "forward", "TargetGroupArn": ids["Tg"]}])
        self.assertEqual(verify.app_http_redirect(env)[0], verify.FAIL)

    def test_web_acl_not_on_the_load_balancer_fails(self):
        env, _ = self.deploy_app("appnoacl")
        ids = self.physical("appnoacl-app")
        client("wafv2").disassociate_web_acl(ResourceArn=ids["Lb"])
        status, detail = verify.app_web_acl(env)
        self.assertEqual(status, verify.FAIL)
        self.assertIn("is protected by None", detail)

    def test_waf_logging_to_a_group_not_named_aws_waf_logs_is_refused(self):
        t = app_template("appwafname", "arn:unused", waf_log_group="%(env)s-waf")
        res = {k: t["Resources"][k] for k in ("Key", "WafLogGroup", "WebAcl", "WafLogging")}
        err = self.refused_create("appwafname", {"Resources": res})
        self.assertIn("WAFInvalidParameterException", err)
        self.assertIn("must start with aws-waf-logs-", err)
        self.addCleanup(self.delete_quietly, "appwafname")

    def test_association_with_a_load_balancer_that_does_not_exist_is_refused(self):
        t = app_template("appwafassoc", "arn:unused")
        res = {k: copy.deepcopy(t["Resources"][k]) for k in ("WebAcl", "WebAclAssociation")}
        res["WebAclAssociation"]["Properties"]["ResourceArn"] = (
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/none/0123456789abcdef")
        self.assertIn("WAFNonexistentItemException", self.refused_create("appwafassoc", {"Resources": res}))
        self.addCleanup(self.delete_quietly, "appwafassoc")

    def test_metric_math_alarm_with_two_returned_series_is_refused(self):
        bad = [{"Id": "a", "Expression": "1", "ReturnData": True}, {"Id": "b", "Expression": "2", "ReturnData": True}]
        alarm = app_template("appmath", "arn:unused", metrics=bad)["Resources"]["Alarm5xx"]
        alarm["Properties"]["AlarmActions"] = []
        self.assertIn("exactly one of Metrics must have ReturnData true",
                      self.refused_create("appmath", {"Resources": {"Alarm": alarm}}))
        self.addCleanup(self.delete_quietly, "appmath")

    def test_scaling_policy_without_its_target_is_refused(self):
        policy = app_template("appscale", "arn:unused")["Resources"]["ScalingCpu"]
        policy["Properties"]["ScalingTargetId"] = "service/none/none|ecs:service:DesiredCount|ecs"
        self.assertIn("No scalable target registered", self.refused_create("appscale", {"Resources": {"P": policy}}))
        self.addCleanup(self.delete_quietly, "appscale")

    def test_repository_check_reads_ecr_and_fails_on_mutable_tags(self):
        def repo(mutability):
            return {"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {
                "RepositoryName": "app-" + mutability.lower(), "ImageTagMutability": mutability, "ImageScanningConfiguration": {"ScanOnPush": True},
                "EncryptionConfiguration": {"EncryptionType": "KMS"}}}}}
        self.assertEqual(verify.app_repository(self.deploy_env("apprepo", {"app": repo("IMMUTABLE")}))[0], verify.PASS)
        status, detail = verify.app_repository(self.deploy_env("apprepomut", {"app": repo("MUTABLE")}))
        self.assertEqual(status, verify.FAIL)
        self.assertIn("tags MUTABLE", detail)


    def test_access_log_bucket_policy_is_a_named_gap(self):
        t = {"Resources": {"Logs": {"Type": "AWS::S3::Bucket"}, "LogsPolicy": {
            "Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Logs"}, "PolicyDocument": {
                "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                                        "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}}}
        status, detail = verify.app_bucket_policies(self.deploy_env("apppolicy", {"app": t}))
        self.assertEqual(status, verify.GAP)
        self.assertIn("LogsPolicy (AWS::S3::BucketPolicy) not deployed", detail)
        self.assertIn(verify.app_bucket_policies.check_name, run.ACCEPTED_GAPS)


class CertificateTest(EmulatorTest):
    def test_imported_certificate_is_in_acm_for_the_environment(self):
        with tempfile.TemporaryDirectory() as d:
            arn = run.import_app_certificate(d, "dev")
            self.assertTrue(os.path.exists(os.path.join(d, "app-cert.pem")))
        c = client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
        self.assertEqual((c["DomainName"], c["Type"]), ("app.dev.deploy-local.invalid", "IMPORTED"))


if __name__ == "__main__":
    unittest.main()
