"""Tests of deploy-local's CloudFormation handlers (handlers.py, overrides.py)
against moto's server, run in-process (run from the repository root):

    python3 -m unittest scripts.emulator.test_handlers -v

One server for the module, started on a free port after importing the
handlers (as server.py does); AWS_ENDPOINT_URL and dummy credentials point
boto3 and verify.client at it for the duration. Stacks are created, updated
and deleted through the CloudFormation API, and the result is read back
through the services' APIs and the checks in verify.py. Each test uses its own
stack and environment names, so the tests do not depend on one another.
Offline; a few seconds in all.
"""
import json
import logging
import os
import time
import unittest
import warnings

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from scripts.emulator import overrides  # noqa: F401  (registers the handlers before the server starts)
from scripts.emulator import verify
from scripts.emulator.stacks_testing import DeploysEnvironments

_SERVER = None
_SAVED_ENV = {}
_SAVED_LOG_LEVEL = None
_ENV_KEYS = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
             "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE")


def setUpModule():
    global _SERVER, _SAVED_LOG_LEVEL
    from moto.server import ThreadedMotoServer
    # The server thread logs every request, and a traceback for each update
    # the RDS handler refuses on purpose; the assertions say what matters.
    werkzeug = logging.getLogger("werkzeug")
    _SAVED_LOG_LEVEL = werkzeug.level
    werkzeug.setLevel(logging.CRITICAL)
    _SERVER = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    _SERVER.start()
    host, port = _SERVER.get_host_and_port()
    for k in _ENV_KEYS:
        _SAVED_ENV[k] = os.environ.pop(k, None)
    os.environ.update(AWS_ENDPOINT_URL="http://%s:%d" % (host, port), AWS_ACCESS_KEY_ID="testing",
                      AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")


def tearDownModule():
    if _SERVER is not None:
        _SERVER.stop()
    for k, v in _SAVED_ENV.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    logging.getLogger("werkzeug").setLevel(_SAVED_LOG_LEVEL or logging.NOTSET)


def client(service, **kw):
    return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1", **kw)


class EmulatorTest(DeploysEnvironments, unittest.TestCase):
    def setUp(self):
        # No retries: a refused update is a 500 from the emulator, once.
        self.cfn = client("cloudformation", config=Config(retries={"total_max_attempts": 1}))

    def create(self, name, template):
        body = template if isinstance(template, str) else json.dumps(template)
        self.cfn.create_stack(StackName=name, TemplateBody=body)
        st = self.cfn.describe_stacks(StackName=name)["Stacks"][0]
        self.assertEqual(st["StackStatus"], "CREATE_COMPLETE", st.get("StackStatusReason"))
        return self.physical(name)

    def refused(self, call, **kw):
        """Run call(**kw), which the emulator must answer with an error;
        returns the server's log of it (the handler's exception: moto answers
        a 500 whose body botocore cannot parse)."""
        with self.assertLogs("werkzeug", logging.ERROR) as logs:
            with self.assertRaises((ClientError, BotoCoreError, ResponseParserError)):
                call(**kw)
            deadline = time.time() + 5  # the server thread logs after it answers
            while not logs.records and time.time() < deadline:
                time.sleep(0.01)
        return "\n".join(logs.output)

    def assertOnlyTrail(self, name):
        self.assertEqual([t["Name"] for t in client("cloudtrail").describe_trails()["trailList"]], [name])


# ------------------------------------------------------------------ audit
def audit_template(multi_region=True, alarm_metric="UnauthorizedApiCalls"):
    """A trail to S3, KMS and CloudWatch Logs; a metric filter on the trail's
    log group; an alarm on alarm_metric notifying a topic of the stack."""
    trail = {"S3BucketName": {"Ref": "Bucket"}, "EnableLogFileValidation": True, "IsLogging": True,
             "IncludeGlobalServiceEvents": True, "KMSKeyId": {"Fn::GetAtt": ["Key", "Arn"]},
             "CloudWatchLogsLogGroupArn": {"Fn::GetAtt": ["TrailLogs", "Arn"]},
             "CloudWatchLogsRoleArn": {"Fn::GetAtt": ["TrailLogsRole", "Arn"]}}
    if multi_region:
        trail["IsMultiRegionTrail"] = True
    return {"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket"},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {
            "KeyPolicy": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "kms:*", "Resource": "*"}]},
            "Tags": [{"Key": "purpose", "Value": "audit"}]}},
        "TrailLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 365}},
        "TrailLogsRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"Service": "cloudtrail.amazonaws.com"}}]}}},
        "Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": trail},
        "AlarmTopic": {"Type": "AWS::SNS::Topic"},
        "UnauthorizedFilter": {"Type": "AWS::Logs::MetricFilter", "Properties": {
            "LogGroupName": {"Ref": "TrailLogs"},
            "FilterPattern": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
            "MetricTransformations": [{"MetricNamespace": "Audit", "MetricName": "UnauthorizedApiCalls",
                                       "MetricValue": "1"}]}},
        "UnauthorizedAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "AlarmDescription": "unauthorized API calls", "Namespace": "Audit", "MetricName": alarm_metric,
            "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}]}},
    }}


class TrailTest(EmulatorTest):
    def test_trail_properties_reach_cloudtrail_and_the_check_passes(self):
        env = self.deploy_env("trailok", {"audit": audit_template()})
        ids = self.physical("trailok-audit")
        ct = client("cloudtrail")
        t = ct.describe_trails(trailNameList=[ids["Trail"]])["trailList"][0]
        self.assertTrue(t["IsMultiRegionTrail"])
        self.assertTrue(t["LogFileValidationEnabled"])
        self.assertTrue(t["IncludeGlobalServiceEvents"])
        self.assertEqual(t["S3BucketName"], ids["Bucket"])
        self.assertEqual(t["KmsKeyId"], "arn:aws:kms:us-east-1:123456789012:key/" + ids["Key"])
        self.assertEqual(t["CloudWatchLogsLogGroupArn"].split(":log-group:")[1].split(":")[0], ids["TrailLogs"])
        self.assertTrue(t["CloudWatchLogsRoleArn"].endswith(":role/" + ids["TrailLogsRole"]))
        self.assertTrue(ct.get_trail_status(Name=ids["Trail"])["IsLogging"])
        self.assertOnlyTrail(ids["Trail"])
        status, detail = verify.trail(env)
        self.assertEqual(status, verify.PASS, detail)

        self.cfn.delete_stack(StackName="trailok-audit")
        self.assertEqual(ct.describe_trails(trailNameList=[ids["Trail"]])["trailList"], [])
        self.assertEqual(client("cloudwatch").describe_alarms(AlarmNames=[ids["UnauthorizedAlarm"]])["MetricAlarms"],
                         [])
        self.assertEqual(client("logs").describe_metric_filters(
            filterNamePrefix=ids["UnauthorizedFilter"])["metricFilters"], [])

    def test_single_region_trail_fails_the_check(self):
        env = self.deploy_env("trailsingle", {"audit": audit_template(multi_region=False)})
        name = self.physical("trailsingle-audit")["Trail"]
        t = client("cloudtrail").describe_trails(trailNameList=[name])["trailList"][0]
        self.assertFalse(t["IsMultiRegionTrail"])
        self.assertOnlyTrail(name)
        status, detail = verify.trail(env)
        self.assertEqual((status, detail), (verify.FAIL, "%s: not multi-region" % name))

    def test_check_reads_its_own_trail_when_another_exists(self):
        # moto's DescribeTrails ignores trailNameList and lists every trail:
        # the check must pick its own trail by name, not trailList[0].
        self.deploy_env("trailfirst", {"audit": audit_template()})
        env = self.deploy_env("trailsecond", {"audit": audit_template(multi_region=False)})
        self.assertEqual(len(client("cloudtrail").describe_trails()["trailList"]), 2)
        self.assertEqual(verify.trail(env)[0], verify.FAIL)


class AlarmTest(EmulatorTest):
    def test_alarm_on_the_filtered_metric_notifying_the_topic_passes(self):
        env = self.deploy_env("alarmok", {"audit": audit_template()})
        ids = self.physical("alarmok-audit")
        a = client("cloudwatch").describe_alarms(AlarmNames=[ids["UnauthorizedAlarm"]])["MetricAlarms"][0]
        self.assertEqual(a["AlarmActions"], [ids["AlarmTopic"]])
        self.assertEqual((a["Namespace"], a["MetricName"], a["Statistic"], a["Threshold"], a["Period"],
                          a["EvaluationPeriods"], a["ComparisonOperator"], a["TreatMissingData"]),
                         ("Audit", "UnauthorizedApiCalls", "Sum", 1.0, 300, 1,
                          "GreaterThanOrEqualToThreshold", "notBreaching"))
        f = client("logs").describe_metric_filters(logGroupName=ids["TrailLogs"])["metricFilters"]
        self.assertEqual([(x["filterName"], x["metricTransformations"]) for x in f],
                         [(ids["UnauthorizedFilter"], [{"metricName": "UnauthorizedApiCalls",
                                                        "metricNamespace": "Audit", "metricValue": "1"}])])
        self.assertOnlyTrail(ids["Trail"])
        status, detail = verify.alarms(env)
        self.assertEqual(status, verify.PASS, detail)

    def test_alarm_on_a_metric_no_filter_produces_fails(self):
        env = self.deploy_env("alarmunwatched", {"audit": audit_template(alarm_metric="RootAccountUsage")})
        ids = self.physical("alarmunwatched-audit")
        self.assertOnlyTrail(ids["Trail"])
        status, detail = verify.alarms(env)
        self.assertEqual(status, verify.FAIL, detail)
        self.assertIn("no metric filter on %s for ['%s']" % (ids["TrailLogs"], ids["UnauthorizedAlarm"]), detail)
        self.assertIn("missing []; actions not (enabled and) the alarm topic []", detail)

    def test_alarm_with_actions_enabled_passes(self):
        t = audit_template()
        t["Resources"]["UnauthorizedAlarm"]["Properties"]["ActionsEnabled"] = True
        env = self.deploy_env("alarmenabled", {"audit": t})
        ids = self.physical("alarmenabled-audit")
        a = client("cloudwatch").describe_alarms(AlarmNames=[ids["UnauthorizedAlarm"]])["MetricAlarms"][0]
        self.assertEqual((a["ActionsEnabled"], a["AlarmActions"]), (True, [ids["AlarmTopic"]]))
        status, detail = verify.alarms(env)
        self.assertEqual(status, verify.PASS, detail)

    def test_alarm_with_actions_disabled_fails_naming_it(self):
        # AlarmActions still name the topic, but a disabled alarm notifies nobody.
        t = audit_template()
        t["Resources"]["UnauthorizedAlarm"]["Properties"]["ActionsEnabled"] = False
        env = self.deploy_env("alarmdisabled", {"audit": t})
        ids = self.physical("alarmdisabled-audit")
        a = client("cloudwatch").describe_alarms(AlarmNames=[ids["UnauthorizedAlarm"]])["MetricAlarms"][0]
        self.assertEqual((a["ActionsEnabled"], a["AlarmActions"]), (False, [ids["AlarmTopic"]]))
        self.assertEqual(verify.alarms(env), (verify.FAIL, (
            "missing []; actions not (enabled and) the alarm topic ['%s']; no metric filter on %s for []; "
            "no description []" % (ids["UnauthorizedAlarm"], ids["TrailLogs"]))))

    def test_alarm_property_update_keeps_the_alarm(self):
        # On AWS a Threshold change updates the alarm in place (same name),
        # while moto makes up a new name on every update when the template
        # sets no AlarmName: the handler must keep the original one.
        def template(threshold):
            return {"Resources": {"Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
                "AlarmDescription": "d", "Namespace": "Audit", "MetricName": "M", "Statistic": "Sum",
                "Period": 300, "EvaluationPeriods": 1, "Threshold": threshold,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold"}}}}
        before = self.create("alarm-update", template(1))["Alarm"]
        self.cfn.update_stack(StackName="alarm-update", TemplateBody=json.dumps(template(5)))
        after = self.physical("alarm-update")["Alarm"]
        got = client("cloudwatch").describe_alarms(AlarmNames=[after])["MetricAlarms"]
        self.assertEqual(got[0]["Threshold"], 5.0)  # the new property is applied either way
        self.assertEqual(after, before)


class TopicPolicyTest(EmulatorTest):
    def test_policy_document_is_set_on_the_topic(self):
        # moto's set_topic_attribute setattr()s the name as given: only the
        # snake_case "policy" reaches what GetTopicAttributes reports.
        doc = {"Version": "2012-10-17", "Statement": [{
            "Sid": "cloudwatch", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish", "Resource": {"Ref": "Topic"}}]}
        ids = self.create("topicpolicy", {"Resources": {
            "Topic": {"Type": "AWS::SNS::Topic"},
            "Bare": {"Type": "AWS::SNS::Topic"},
            "Policy": {"Type": "AWS::SNS::TopicPolicy", "Properties": {
                "Topics": [{"Ref": "Topic"}], "PolicyDocument": doc}}}})
        sns = client("sns")
        got = json.loads(sns.get_topic_attributes(TopicArn=ids["Topic"])["Attributes"]["Policy"])
        self.assertEqual(got["Statement"], [dict(doc["Statement"][0], Resource=ids["Topic"])])
        bare = json.loads(sns.get_topic_attributes(TopicArn=ids["Bare"])["Attributes"]["Policy"])
        self.assertNotIn("cloudwatch", [s.get("Sid") for s in bare["Statement"]])

    def test_deleting_the_policy_restores_the_default_policy(self):
        # The topic in a stack of its own outlives the policy's stack.
        topic = self.create("policytopic", {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})["Topic"]
        self.addCleanup(self.delete_quietly, "policytopic")
        sns = client("sns")
        default = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
        statement = {"Sid": "cloudwatch", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
                     "Action": "sns:Publish", "Resource": topic}
        self.create("policyonly", {"Resources": {"Policy": {"Type": "AWS::SNS::TopicPolicy", "Properties": {
            "Topics": [topic], "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}}}}})
        self.addCleanup(self.delete_quietly, "policyonly")
        got = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
        self.assertEqual(got["Statement"], [statement])

        self.cfn.delete_stack(StackName="policyonly")
        got = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"])
        self.assertNotIn(statement, got["Statement"])
        self.assertEqual(got, default)
        self.assertEqual([s["Sid"] for s in got["Statement"]], ["__default_statement_ID"])


# ------------------------------------------------------------------- RDS
def db_template(ident, retention=1, encrypted=True, engine="postgres", protection=False, policy="Snapshot"):
    props = {"Engine": engine, "EngineVersion": "16.9", "DBInstanceClass": "db.t3.micro", "AllocatedStorage": "20",
             "MasterUsername": "dbadmin", "MasterUserPassword": "not-a-secret-1", "StorageEncrypted": encrypted,
             "BackupRetentionPeriod": retention, "DeletionProtection": protection}
    if ident:
        props["DBInstanceIdentifier"] = ident
    db = {"Type": "AWS::RDS::DBInstance", "Properties": props}
    if policy:
        db["DeletionPolicy"] = db["UpdateReplacePolicy"] = policy
    return {"Resources": {"Database": db}}


class RdsTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.rds = client("rds")

    def db(self, ident):
        return self.rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]

    def test_update_modifies_the_instance_in_place(self):
        self.assertEqual(self.create("rds-inplace", db_template("inplace-db"))["Database"], "inplace-db")
        before = self.db("inplace-db")
        self.assertEqual((before["BackupRetentionPeriod"], before["StorageEncrypted"], before["DeletionProtection"]),
                         (1, True, False))
        self.cfn.update_stack(StackName="rds-inplace", TemplateBody=json.dumps(db_template("inplace-db", 2)))
        self.assertEqual(self.cfn.describe_stacks(StackName="rds-inplace")["Stacks"][0]["StackStatus"],
                         "UPDATE_COMPLETE")
        self.assertEqual(self.physical("rds-inplace")["Database"], "inplace-db")
        after = self.db("inplace-db")
        self.assertEqual(after["BackupRetentionPeriod"], 2)
        self.assertEqual(after["InstanceCreateTime"], before["InstanceCreateTime"])
        self.assertEqual(len(self.rds.describe_db_instances(
            Filters=[{"Name": "db-instance-id", "Values": ["inplace-db"]}])["DBInstances"]), 1)

    def test_dbi_resource_id_attribute(self):
        # What PhiService's rds-db:connect ARN reads across stacks.
        t = db_template("dbi-db")
        t["Outputs"] = {"ResourceId": {"Value": {"Fn::GetAtt": ["Database", "DbiResourceId"]}}}
        self.create("rds-dbi", t)
        out = {o["OutputKey"]: o["OutputValue"] for o in self.cfn.describe_stacks(StackName="rds-dbi")["Stacks"][0]["Outputs"]}
        self.assertEqual(out["ResourceId"], self.db("dbi-db")["DbiResourceId"])
        # an attribute an instance does not have still fails the stack
        t = db_template("dbi-bad")
        t["Outputs"] = {"Nope": {"Value": {"Fn::GetAtt": ["Database", "NoSuchAttribute"]}}}
        with self.assertRaises((ClientError, BotoCoreError, ResponseParserError)):
            self.cfn.create_stack(StackName="rds-dbi-bad", TemplateBody=json.dumps(t))

    def test_update_needing_replacement_is_refused_and_changes_nothing(self):
        self.create("rds-replace", db_template("replace-db"))
        before = self.db("replace-db")
        for change, prop in (({"encrypted": False}, "StorageEncrypted"), ({"engine": "mysql"}, "Engine")):
            with self.subTest(prop):
                # The handler raises; moto's UpdateStack answers 500 and
                # applies nothing (the retention change with it). moto keeps
                # the stack's status and records no rollback (GetTemplate
                # then returns the refused template).
                log = self.refused(self.cfn.update_stack, StackName="rds-replace", TemplateBody=json.dumps(
                    db_template("replace-db", retention=3, **change)))
                self.assertIn("NotImplementedError: replace-db changes %s, which needs a replacement" % prop, log)
                after = self.db("replace-db")
                self.assertEqual((after["StorageEncrypted"], after["Engine"], after["BackupRetentionPeriod"],
                                  after["InstanceCreateTime"]),
                                 (True, "postgres", 1, before["InstanceCreateTime"]))
                self.assertNotEqual(self.cfn.describe_stacks(StackName="rds-replace")["Stacks"][0]["StackStatus"],
                                    "UPDATE_COMPLETE")

    def test_deletion_protection_is_applied(self):
        self.create("rds-protected", db_template("protected-db", protection=True, policy=None))
        self.assertTrue(self.db("protected-db")["DeletionProtection"])
        with self.assertRaises(ClientError) as e:
            self.cfn.delete_stack(StackName="rds-protected")
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidParameterCombination")
        self.assertEqual(self.db("protected-db")["DBInstanceStatus"], "available")
        self.rds.modify_db_instance(DBInstanceIdentifier="protected-db", DeletionProtection=False)
        self.rds.delete_db_instance(DBInstanceIdentifier="protected-db", SkipFinalSnapshot=True)

    def test_snapshot_policy_leaves_a_final_snapshot(self):
        self.create("rds-snap", db_template("snap-db"))
        self.cfn.delete_stack(StackName="rds-snap")
        with self.assertRaises(ClientError):
            self.db("snap-db")
        snaps = self.rds.describe_db_snapshots(DBInstanceIdentifier="snap-db")["DBSnapshots"]
        self.assertEqual([(s["SnapshotType"], s["Encrypted"]) for s in snaps], [("manual", True)])
        self.assertEqual(verify.still_there("AWS::RDS::DBInstance", "Snapshot", "snap-db"),
                         (verify.PASS, "final snapshot " + snaps[0]["DBSnapshotIdentifier"]))

    def test_without_snapshot_policy_no_snapshot_is_left(self):
        self.create("rds-nosnap", db_template("nosnap-db", policy=None))
        self.cfn.delete_stack(StackName="rds-nosnap")
        with self.assertRaises(ClientError):
            self.db("nosnap-db")
        self.assertEqual(self.rds.describe_db_snapshots(DBInstanceIdentifier="nosnap-db")["DBSnapshots"], [])
        self.assertEqual(verify.still_there("AWS::RDS::DBInstance", "Snapshot", "nosnap-db"),
                         (verify.FAIL, "no final snapshot of nosnap-db after the stack was deleted"))

    def test_update_without_identifier_modifies_in_place(self):
        # CDK's default: no DBInstanceIdentifier; CloudFormation keeps the
        # generated one across updates, while moto makes up a new name on
        # every update. The handler must not take that for a rename.
        ident = self.create("rds-generated", db_template(None, policy=None))["Database"]
        with self.assertLogs("werkzeug", logging.ERROR) as logs:
            try:
                self.cfn.update_stack(StackName="rds-generated",
                                      TemplateBody=json.dumps(db_template(None, 2, policy=None)))
            except (ClientError, BotoCoreError, ResponseParserError):
                deadline = time.time() + 5  # the server thread logs after it answers
                while not logs.records and time.time() < deadline:
                    time.sleep(0.01)
                self.fail("update refused: %s" % "\n".join(logs.output).splitlines()[-1:])
            logging.getLogger("werkzeug").error("(no error)")  # assertLogs needs one record
        self.assertEqual(self.db(ident)["BackupRetentionPeriod"], 2)


# ------------------------------------------------------------------- EC2
def access_template(ami, tokens="required"):
    """A bastion instance in a subnet, with a security group, taking its
    MetadataOptions from a launch template (as CDK's requireImdsv2 does)."""
    data = {"MetadataOptions": {"HttpTokens": tokens, "HttpPutResponseHopLimit": 1}} if tokens else {}
    return {"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.20.0.0/16"}},
        "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.20.1.0/24"}},
        "BastionSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "bastion", "VpcId": {"Ref": "Vpc"}}},
        "BastionLaunchTemplate": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": data}},
        "Bastion": {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": ami, "InstanceType": "t3.micro", "SubnetId": {"Ref": "Subnet"},
            "SecurityGroupIds": [{"Fn::GetAtt": ["BastionSg", "GroupId"]}],
            "LaunchTemplate": {"LaunchTemplateId": {"Ref": "BastionLaunchTemplate"},
                               "Version": {"Fn::GetAtt": ["BastionLaunchTemplate", "LatestVersionNumber"]}}}},
    }}


class Ec2InstanceTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.ec2 = client("ec2")
        self.ami = self.ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]

    def instance(self, iid):
        return self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]

    def test_launch_template_requiring_imdsv2_applies_to_the_instance(self):
        env = self.deploy_env("imdsv2", {"access": access_template(self.ami)})
        ids = self.physical("imdsv2-access")
        i = self.instance(ids["Bastion"])
        self.assertEqual(i["MetadataOptions"]["HttpTokens"], "required")
        self.assertEqual([g["GroupId"] for g in i["SecurityGroups"]], [ids["BastionSg"]])
        self.assertEqual(i["SubnetId"], ids["Subnet"])
        status, detail = verify.bastion(env)
        self.assertEqual(status, verify.PASS, detail)

    def test_without_metadata_options_tokens_are_optional(self):
        env = self.deploy_env("imdsv1", {"access": access_template(self.ami, tokens=None)})
        ids = self.physical("imdsv1-access")
        i = self.instance(ids["Bastion"])
        self.assertEqual(i["MetadataOptions"]["HttpTokens"], "optional")
        self.assertEqual([g["GroupId"] for g in i["SecurityGroups"]], [ids["BastionSg"]])
        self.assertEqual(verify.bastion(env), (verify.FAIL, "%s: API shows HttpTokens=optional (template requires "
                                                            "IMDSv2: False)" % ids["Bastion"]))

    def test_instance_metadata_options_win_over_none_in_the_template(self):
        t = access_template(self.ami, tokens=None)
        t["Resources"]["Bastion"]["Properties"]["MetadataOptions"] = {"HttpTokens": "required"}
        ids = self.create("imds-instance", t)
        self.assertEqual(self.instance(ids["Bastion"])["MetadataOptions"]["HttpTokens"], "required")


    def test_instance_in_a_public_subnet_fails_the_check(self):
        t = access_template(self.ami)
        t["Resources"]["Subnet"]["Properties"]["MapPublicIpOnLaunch"] = True
        env = self.deploy_env("publicsubnet", {"access": t})
        ids = self.physical("publicsubnet-access")
        ip = self.instance(ids["Bastion"]).get("PublicIpAddress")
        self.assertTrue(ip)
        self.assertEqual(verify.bastion(env), (verify.FAIL, "%s has public IP %s" % (ids["Bastion"], ip)))

    def test_network_interface_asking_for_a_public_ip_fails_the_check(self):
        t = access_template(self.ami)
        props = t["Resources"]["Bastion"]["Properties"]
        props["NetworkInterfaces"] = [{"DeviceIndex": "0", "AssociatePublicIpAddress": True,
                                       "SubnetId": props.pop("SubnetId"), "GroupSet": props.pop("SecurityGroupIds")}]
        env = self.deploy_env("publicnic", {"access": t})
        ids = self.physical("publicnic-access")
        i = self.instance(ids["Bastion"])
        self.assertEqual((i["SubnetId"], [g["GroupId"] for g in i["SecurityGroups"]]), (ids["Subnet"], [ids["BastionSg"]]))
        self.assertEqual(verify.bastion(env)[0], verify.FAIL)

    def test_private_subnet_gives_no_public_ip(self):
        # A subnet created without MapPublicIpOnLaunch is private, as on AWS
        # (moto's own handler made it public when it names no AZ).
        ids = self.create("privatesubnet", access_template(self.ami))
        self.assertFalse(self.ec2.describe_subnets(SubnetIds=[ids["Subnet"]])["Subnets"][0]["MapPublicIpOnLaunch"])
        self.assertNotIn("PublicIpAddress", self.instance(ids["Bastion"]))


# ------------------------------------------ database key and security group
def keyed_db_template(ident, key="KeyA"):
    """An encrypted database with two KMS keys in its stack, encrypted with key."""
    t = db_template(ident, policy=None)
    for lid in ("KeyA", "KeyB"):
        t["Resources"][lid] = {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                "AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}}}
    t["Resources"]["Database"]["Properties"]["KmsKeyId"] = {"Fn::GetAtt": [key, "Arn"]}
    return t


def sg_network_template(env):
    """The VPC and the app-tier security group (found by its aws:cdk:path,
    as verify.db_security_group finds it), exported for the later stacks."""
    return {"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.60.0.0/16"},
                "Metadata": {"aws:cdk:path": "%s-network/Vpc/Resource" % env}},
        "AppTierSecurityGroup0A1B2C3D": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "app tier", "VpcId": {"Ref": "Vpc"}},
            "Metadata": {"aws:cdk:path": "%s-network/AppTierSecurityGroup/Resource" % env}},
    }, "Outputs": {
        "VpcId": {"Value": {"Ref": "Vpc"}, "Export": {"Name": env + "-vpc"}},
        "AppSg": {"Value": {"Fn::GetAtt": ["AppTierSecurityGroup0A1B2C3D", "GroupId"]},
                  "Export": {"Name": env + "-app-sg"}},
    }}


def sg_access_template(env, ami):
    """A bastion with a security group of its own, in the imported VPC."""
    vpc = {"Fn::ImportValue": env + "-vpc"}
    return {"Resources": {
        "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": vpc, "CidrBlock": "10.60.1.0/24"}},
        "BastionSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "bastion", "VpcId": vpc}},
        "Bastion": {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": ami, "InstanceType": "t3.micro", "SubnetId": {"Ref": "Subnet"},
            "SecurityGroupIds": [{"Fn::GetAtt": ["BastionSg", "GroupId"]}]}},
    }, "Outputs": {"BastionSg": {"Value": {"Fn::GetAtt": ["BastionSg", "GroupId"]},
                                 "Export": {"Name": env + "-access-sg"}}}}


def sg_data_template(env, app_rule=None, access_rule=None):
    """The database behind a DB security group that admits the app tier
    through an AWS::EC2::SecurityGroupIngress and the bastion's group through
    an inline SecurityGroupIngress rule, on tcp 5432 unless the rules given
    say otherwise (a None value removes the property)."""
    app = {"GroupId": {"Fn::GetAtt": ["DbSg", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 5432,
           "ToPort": 5432, "SourceSecurityGroupId": {"Fn::ImportValue": env + "-app-sg"}}
    access = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
              "SourceSecurityGroupId": {"Fn::ImportValue": env + "-access-sg"}}
    t = db_template(env + "-db", policy=None)
    t["Resources"]["Database"]["Properties"].update(
        Port="5432", VPCSecurityGroups=[{"Fn::GetAtt": ["DbSg", "GroupId"]}])
    t["Resources"].update({
        "DbSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "database", "VpcId": {"Fn::ImportValue": env + "-vpc"},
            "SecurityGroupIngress": [dict(access, **(access_rule or {}))]}},
        "AppIngress": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
            k: v for k, v in dict(app, **(app_rule or {})).items() if v is not None}},
    })
    return t


class DbChecksTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.ec2, self.rds = client("ec2"), client("rds")
        self.ami = self.ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]

    def db(self, ident):
        return self.rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]

    def test_database_encrypted_with_the_templates_key_passes(self):
        env = self.deploy_env("dbkey", {"data": keyed_db_template("dbkey-db")})
        ids = self.physical("dbkey-data")
        key_arn = "arn:aws:kms:us-east-1:123456789012:key/" + ids["KeyA"]
        db = self.db("dbkey-db")
        self.assertEqual((db["StorageEncrypted"], db["KmsKeyId"]), (True, key_arn))
        self.assertEqual(verify.db_basics(env), (verify.PASS, "dbkey-db: available, encrypted (key %s), not publicly "
                                                              "accessible" % key_arn))

    def test_database_on_another_key_than_the_template_asks_fails(self):
        # The handler passes KmsKeyId through, so a deployment honestly on
        # another key than its template asks cannot be made: deploy on key A,
        # then make the synthesized template (what the check compares with)
        # ask for key B.
        env = self.deploy_env("dbotherkey", {"data": keyed_db_template("dbotherkey-db")})
        ids = self.physical("dbotherkey-data")
        path = os.path.join(env.assembly, env.report["stacks"]["dbotherkey-data"]["templateFile"])
        with open(path, "w") as f:
            json.dump(keyed_db_template("dbotherkey-db", key="KeyB"), f)
        self.assertEqual(self.db("dbotherkey-db")["KmsKeyId"],
                         "arn:aws:kms:us-east-1:123456789012:key/" + ids["KeyA"])
        self.assertEqual(verify.db_basics(env), (verify.FAIL, (
            "dbotherkey-db: encrypted with arn:aws:kms:us-east-1:123456789012:key/%s, not the template's key %s"
            % (ids["KeyA"], ids["KeyB"]))))

    def deploy_sg_env(self, env, **rules):
        return self.deploy_env(env, {"network": sg_network_template(env), "access": sg_access_template(env, self.ami),
                                     "data": sg_data_template(env, **rules)})

    def sg_ids(self, env):
        """(app-tier SG, bastion SG, DB SG) as deployed."""
        return (self.physical(env + "-network")["AppTierSecurityGroup0A1B2C3D"],
                self.physical(env + "-access")["BastionSg"], self.physical(env + "-data")["DbSg"])

    def test_db_sg_admitting_app_tier_and_access_on_5432_passes(self):
        env = self.deploy_sg_env("dbsgok")
        app, access, db_sg = self.sg_ids("dbsgok")
        db = self.db("dbsgok-db")
        self.assertEqual(([g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]], db["Endpoint"]["Port"]),
                         ([db_sg], 5432))
        rules = self.ec2.describe_security_groups(GroupIds=[db_sg])["SecurityGroups"][0]["IpPermissions"]
        self.assertEqual(sorted((p["IpProtocol"], p["FromPort"], p["ToPort"], g["GroupId"])
                                for p in rules for g in p["UserIdGroupPairs"]),
                         sorted([("tcp", 5432, 5432, app), ("tcp", 5432, 5432, access)]))
        self.assertEqual(verify.db_security_group(env), (verify.PASS, (
            "DB SG ['%s'] admits only %s (app tier) and %s (access), on tcp 5432" % (db_sg, app, access))))

    def test_db_sg_rule_on_all_protocols_fails(self):
        env = self.deploy_sg_env("dbsgall", app_rule={"IpProtocol": "-1", "FromPort": None, "ToPort": None})
        app, access, db_sg = self.sg_ids("dbsgall")
        self.assertEqual(verify.db_security_group(env), (verify.FAIL, (
            "DB SG ['%s'] admits %s and CIDRs [] on [('-1', None, None), ('tcp', 5432, 5432)]; expected exactly "
            "app tier %s + access ['%s'] on tcp 5432" % (db_sg, sorted([app, access]), app, access))))

    def test_db_sg_rule_on_all_ports_fails(self):
        env = self.deploy_sg_env("dbsgports", access_rule={"FromPort": 0, "ToPort": 65535})
        app, access, db_sg = self.sg_ids("dbsgports")
        self.assertEqual(verify.db_security_group(env), (verify.FAIL, (
            "DB SG ['%s'] admits %s and CIDRs [] on [('tcp', 0, 65535), ('tcp', 5432, 5432)]; expected exactly "
            "app tier %s + access ['%s'] on tcp 5432" % (db_sg, sorted([app, access]), app, access))))


# ------------------------------ SNS subscriptions, SG egress, metric filters
class MoreHandlersTest(EmulatorTest):
    def stack(self, name, resources):
        ids = self.create(name, {"Resources": resources})
        self.addCleanup(self.delete_quietly, name)
        return ids

    def test_subscription_is_created_and_deleted(self):
        # The topic in a stack of its own outlives the subscription's stack.
        topic = self.stack("subtopic", {"Topic": {"Type": "AWS::SNS::Topic"}})["Topic"]
        queue = "arn:aws:sqs:us-east-1:123456789012:subqueue"
        sub = self.stack("subonly", {"Sub": {"Type": "AWS::SNS::Subscription", "Properties": {
            "TopicArn": topic, "Protocol": "sqs", "Endpoint": queue}}})["Sub"]
        sns = client("sns")
        got = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        self.assertEqual([(s["SubscriptionArn"], s["Protocol"], s["Endpoint"]) for s in got], [(sub, "sqs", queue)])
        self.cfn.delete_stack(StackName="subonly")
        self.assertEqual(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"], [])

    def test_egress_rules_are_authorized_and_revoked(self):
        # The groups in a stack of their own outlive the rules' stack.
        ids = self.stack("egressgroup", {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.70.0.0/16"}},
            "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g", "VpcId": {"Ref": "Vpc"}}},
            "DbSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "db",
                                                                       "VpcId": {"Ref": "Vpc"}}},
        })
        self.stack("egressonly", {
            "Https": {"Type": "AWS::EC2::SecurityGroupEgress", "Properties": {
                "GroupId": ids["Sg"], "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.70.0.0/16",
                "Description": "https in the VPC"}},
            "ToDb": {"Type": "AWS::EC2::SecurityGroupEgress", "Properties": {
                "GroupId": ids["Sg"], "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                "DestinationSecurityGroupId": ids["DbSg"]}}})
        ec2 = client("ec2")

        def egress():
            return sorted(((p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), p["IpRanges"], p["UserIdGroupPairs"])
                           for p in ec2.describe_security_groups(GroupIds=[ids["Sg"]])["SecurityGroups"][0][
                               "IpPermissionsEgress"]), key=str)
        default = ("-1", None, None, [{"CidrIp": "0.0.0.0/0"}], [])
        self.assertEqual(egress(), sorted([
            default, ("tcp", 443, 443, [{"Description": "https in the VPC", "CidrIp": "10.70.0.0/16"}], []),
            ("tcp", 5432, 5432, [], [{"UserId": "123456789012", "GroupId": ids["DbSg"]}])], key=str))
        self.cfn.delete_stack(StackName="egressonly")
        self.assertEqual(egress(), [default])  # the group's default rule stays

    def test_egress_delete_after_the_group_is_gone(self):
        # moto deletes a stack's resources in no dependency order (a set's,
        # which changes with the process's hash seed), so the group may go
        # before its egress rule; the rule's delete must not fail on the
        # missing group (else DeleteStack fails with InvalidGroup.NotFound).
        # The group in another stack, deleted through the API, makes that
        # order certain and leaves the rule's delete the only one to run.
        ids = self.stack("egressgonegroup", {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.71.0.0/16"}},
            "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g", "VpcId": {"Ref": "Vpc"}}},
        })
        self.stack("egressgone", {"Out": {"Type": "AWS::EC2::SecurityGroupEgress", "Properties": {
            "GroupId": ids["Sg"], "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.71.0.0/16"}}})
        client("ec2").delete_security_group(GroupId=ids["Sg"])
        with warnings.catch_warnings():
            # on failure moto warns (in the server thread) that
            # InvalidGroup.NotFound is no error of the CloudFormation API
            warnings.simplefilter("ignore", UserWarning)
            try:
                self.cfn.delete_stack(StackName="egressgone")
            except ClientError as e:
                self.fail("DeleteStack failed: %s" % e)
        with self.assertRaises(ClientError):  # the stack is gone
            self.cfn.describe_stacks(StackName="egressgone")

    def test_metric_filter_dimensions_become_the_api_map(self):
        # CloudFormation's Dimensions are [{Key, Value}]; PutMetricFilter
        # and DescribeMetricFilters have {key: value}.
        ids = self.stack("filterdims", {
            "Logs": {"Type": "AWS::Logs::LogGroup"},
            "Filter": {"Type": "AWS::Logs::MetricFilter", "Properties": {
                "LogGroupName": {"Ref": "Logs"}, "FilterPattern": '{ $.errorCode = "AccessDenied*" }',
                "MetricTransformations": [{"MetricNamespace": "Audit", "MetricName": "Denied", "MetricValue": "1",
                                           "Dimensions": [{"Key": "Account", "Value": "$.recipientAccountId"},
                                                          {"Key": "Source", "Value": "$.eventSource"}]}]}},
        })
        got = client("logs").describe_metric_filters(logGroupName=ids["Logs"])["metricFilters"]
        self.assertEqual([(f["filterName"], f["metricTransformations"]) for f in got], [(ids["Filter"], [{
            "metricNamespace": "Audit", "metricName": "Denied", "metricValue": "1",
            "dimensions": {"Account": "$.recipientAccountId", "Source": "$.eventSource"}}])])


# ------------------------------------------------------------------- NACL
def network_template(associate_second=True, retain=True):
    """A VPC, two data subnets, a data-tier NACL open only to the VPC, and
    the subnets' associations with it. retain: DeletionPolicy Retain on the
    VPC and subnets, so a stack delete leaves them to look at."""
    def subnet(n):
        s = {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.30.%d.0/24" % n},
             "Metadata": {"aws:cdk:path": "net/Vpc/DataSubnet%dSubnet" % n}}
        if retain:
            s["DeletionPolicy"] = "Retain"
        return s
    r = {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.30.0.0/16"}},
        "DataSubnet1": subnet(1),
        "DataSubnet2": subnet(2),
        "DataAcl": {"Type": "AWS::EC2::NetworkAcl", "Properties": {"VpcId": {"Ref": "Vpc"}}},
        "PostgresIn": {"Type": "AWS::EC2::NetworkAclEntry", "Properties": {
            "NetworkAclId": {"Ref": "DataAcl"}, "RuleNumber": 100, "Protocol": 6, "RuleAction": "allow",
            "CidrBlock": "10.30.0.0/16", "PortRange": {"From": 5432, "To": 5432}}},
        "VpcOut": {"Type": "AWS::EC2::NetworkAclEntry", "Properties": {
            "NetworkAclId": {"Ref": "DataAcl"}, "RuleNumber": 100, "Protocol": -1, "RuleAction": "allow",
            "Egress": True, "CidrBlock": "10.30.0.0/16"}},
        "DataSubnet1Acl": {"Type": "AWS::EC2::SubnetNetworkAclAssociation", "Properties": {
            "SubnetId": {"Ref": "DataSubnet1"}, "NetworkAclId": {"Ref": "DataAcl"}}},
    }
    if retain:
        r["Vpc"]["DeletionPolicy"] = "Retain"
    if associate_second:
        r["DataSubnet2Acl"] = {"Type": "AWS::EC2::SubnetNetworkAclAssociation", "Properties": {
            "SubnetId": {"Ref": "DataSubnet2"}, "NetworkAclId": {"Ref": "DataAcl"}}}
    return {"Resources": r}


class NetworkAclTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.ec2 = client("ec2")

    def acls_of(self, vpc):
        return self.ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"]

    def test_entries_and_associations_and_delete_restores_the_default_acl(self):
        env = self.deploy_env("naclok", {"network": network_template()})
        ids = self.physical("naclok-network")
        acls = {a["NetworkAclId"]: a for a in self.acls_of(ids["Vpc"])}
        acl = acls[ids["DataAcl"]]
        self.assertFalse(acl["IsDefault"])
        self.assertEqual(sorted(a["SubnetId"] for a in acl["Associations"]),
                         sorted([ids["DataSubnet1"], ids["DataSubnet2"]]))
        self.assertEqual(sorted((e["Egress"], e["RuleNumber"], e["Protocol"], e["RuleAction"], e["CidrBlock"],
                                 e.get("PortRange")) for e in acl["Entries"]),
                         [(False, 100, "6", "allow", "10.30.0.0/16", {"From": 5432, "To": 5432}),
                          (True, 100, "-1", "allow", "10.30.0.0/16", None)])
        default = [a for a in acls.values() if a["IsDefault"]]
        self.assertEqual(len(default), 1)
        self.assertEqual(default[0]["Associations"], [])
        status, detail = verify.data_acl(env)
        self.assertEqual(status, verify.PASS, detail)

        self.cfn.delete_stack(StackName="naclok-network")
        acls = self.acls_of(ids["Vpc"])
        self.assertEqual([a["IsDefault"] for a in acls], [True])  # the data ACL and its entries are gone
        self.assertEqual(sorted(a["SubnetId"] for a in acls[0]["Associations"]),
                         sorted([ids["DataSubnet1"], ids["DataSubnet2"]]))

    def test_unassociated_data_subnet_fails_the_check(self):
        env = self.deploy_env("naclhalf", {"network": network_template(associate_second=False)})
        ids = self.physical("naclhalf-network")
        acls = {a["NetworkAclId"]: a for a in self.acls_of(ids["Vpc"])}
        self.assertEqual([a["SubnetId"] for a in acls[ids["DataAcl"]]["Associations"]], [ids["DataSubnet1"]])
        default = [a for a in acls.values() if a["IsDefault"]][0]
        self.assertEqual([a["SubnetId"] for a in default["Associations"]], [ids["DataSubnet2"]])
        status, detail = verify.data_acl(env)
        self.assertEqual(status, verify.FAIL, detail)
        self.assertIn("associated ['%s'] (data subnets %s)"
                      % (ids["DataSubnet1"], sorted([ids["DataSubnet1"], ids["DataSubnet2"]])), detail)

    def test_delete_after_the_subnet_is_gone(self):
        # moto deletes a stack's resources in no dependency order, so the
        # subnet may go before its association. The association's delete must
        # not fail looking the subnet up (else the NACL stays with a
        # DependencyViolation and DeleteStack fails). Deleting the subnet
        # first, through the API, makes that order certain.
        ids = self.create("nacl-subnetgone", network_template(associate_second=False))
        self.ec2.delete_subnet(SubnetId=ids["DataSubnet1"])
        try:
            self.cfn.delete_stack(StackName="nacl-subnetgone")
        except ClientError as e:
            self.fail("DeleteStack failed: %s" % e)
        self.assertEqual([a["IsDefault"] for a in self.acls_of(ids["Vpc"])], [True])
        self.assertEqual(self.acls_of(ids["Vpc"])[0]["Associations"][0]["SubnetId"], ids["DataSubnet2"])

if __name__ == "__main__":
    unittest.main()


# -------------------------------------------------------------- PHI bucket
def phi_templates(prefix, versioned=True, bucket_key=True, logged=True, trail_records=True, public_block=True):
    """An audit stack (access-log bucket, a trail whose data events name the
    PHI bucket by name) and a data stack (key, PHI bucket), as the app's."""
    logs, bucket = prefix + "-access-logs", prefix + "-phi-objects"
    trail = audit_template()
    trail["Resources"]["AccessLogBucket"] = {
        "Type": "AWS::S3::Bucket", "Metadata": {"aws:cdk:path": prefix + "-audit/Audit/AccessLogBucket/Resource"},
        "Properties": {"BucketName": logs, "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}}
    if trail_records:
        trail["Resources"]["Trail"]["Properties"]["EventSelectors"] = [{
            "IncludeManagementEvents": True, "ReadWriteType": "All",
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::%s/" % bucket]}]}]
    rule = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["PhiKey", "Arn"]}}}
    if bucket_key:
        rule["BucketKeyEnabled"] = True
    props = {"BucketName": bucket, "BucketEncryption": {"ServerSideEncryptionConfiguration": [rule]},
             "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}
    if versioned:
        props["VersioningConfiguration"] = {"Status": "Enabled"}
    if public_block:
        props["PublicAccessBlockConfiguration"] = {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                                   "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    if logged:
        props["LoggingConfiguration"] = {"DestinationBucketName": logs, "LogFilePrefix": "phi-bucket/PhiBucket/"}
    data = {"Resources": {
        "PhiKey": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}}},
        "PhiBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "Properties": props},
    }}
    return {"audit": trail, "data": data}


class PhiBucketTest(EmulatorTest):
    def test_bucket_properties_reach_s3_and_the_checks_pass(self):
        env = self.deploy_env("phiok", phi_templates("phiok"))
        s3 = client("s3")
        self.assertEqual(s3.get_bucket_versioning(Bucket="phiok-phi-objects")["Status"], "Enabled")
        for check in (verify.phi_bucket_encryption, verify.phi_bucket_access, verify.phi_bucket_logging,
                      verify.trail_phi_data_events):
            status, detail = check(env)
            self.assertEqual(status, verify.PASS, "%s: %s" % (check.check_name, detail))
        self.addCleanup(s3.delete_bucket, Bucket="phiok-phi-objects")

    def test_unversioned_public_unlogged_bucket_fails_the_checks(self):
        env = self.deploy_env("phibad", phi_templates("phibad", versioned=False, logged=False, public_block=False))
        self.addCleanup(client("s3").delete_bucket, Bucket="phibad-phi-objects")
        status, detail = verify.phi_bucket_access(env)
        self.assertEqual(status, verify.FAIL)
        self.assertIn("versioning None", detail)
        self.assertIn("public access block", detail)
        status, detail = verify.phi_bucket_logging(env)
        self.assertEqual(status, verify.FAIL)
        self.assertIn("access logs go to None", detail)

    def test_bucket_without_bucket_key_fails_the_encryption_check(self):
        env = self.deploy_env("phinokey", phi_templates("phinokey", bucket_key=False))
        self.addCleanup(client("s3").delete_bucket, Bucket="phinokey-phi-objects")
        status, detail = verify.phi_bucket_encryption(env)
        self.assertEqual(status, verify.FAIL)
        self.assertIn("bucket key off", detail)

    def test_trail_without_the_bucket_fails_the_data_event_check(self):
        env = self.deploy_env("phinotrail", phi_templates("phinotrail", trail_records=False))
        self.addCleanup(client("s3").delete_bucket, Bucket="phinotrail-phi-objects")
        status, detail = verify.trail_phi_data_events(env)
        self.assertEqual(status, verify.FAIL)
        self.assertIn("arn:aws:s3:::phinotrail-phi-objects/", detail)
