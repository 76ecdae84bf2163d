"""More tests of deploy-local's emulator against moto's server, run in-process
(run from the repository root):

    python3 -m unittest scripts.emulator.test_handlers_more -v

Covers what test_handlers.py does not: the AWS Config, GuardDuty and AWS
Backup handlers (handlers.py) with the checks in verify.py that read them, and
Node.js Lambda functions backing custom resources, run in the project's
Node.js by lambda_node.py / lambda_runner.js instead of Docker.

Same setup as test_handlers.py (its server set-up is copied, not imported, so the
two modules' servers stay apart): one server for the module, started on a
free port after importing the handlers and after lambda_node.install(port),
as server.py does; AWS_ENDPOINT_URL and dummy credentials point boto3 and
verify.client at it for the duration, and what install() patched is put back
afterwards. moto keeps one Config recorder and one delivery channel per
region, so each Config test deploys in a region of its own; every test uses
its own stack and environment names and deletes what it deployed. The Lambda
tests record each run of the Node.js runner (lambda_node.run_node_function,
wrapped) to know when the provider has finished. Offline; about 15 s.

"""
import io
import json
import logging
import os
import socket
import threading
import time
import unittest
import zipfile

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from scripts.emulator import overrides  # noqa: F401  (registers the handlers before the server starts)
from scripts.emulator import adapt, lambda_node, verify
from scripts.emulator.stacks_testing import DeploysEnvironments

ACCOUNT = "123456789012"
_SERVER = None
_SAVED_ENV = {}
_SAVED_LOG_LEVEL = None
_SAVED_PATCHES = []
_ENV_KEYS = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
             "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE", "MOTO_PORT")

# Every run of a Node.js function: (function name, event, result, errored, logs).
_RUNS = []
_RUNS_CHANGED = threading.Condition()


def _recorded(run):
    def run_node_function(fn, event, endpoint):
        out = run(fn, event, endpoint)
        with _RUNS_CHANGED:
            _RUNS.append((fn.function_name, event) + tuple(out))
            _RUNS_CHANGED.notify_all()
        return out
    return run_node_function


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setUpModule():
    global _SERVER, _SAVED_LOG_LEVEL
    from moto import settings
    from moto.awslambda.models import LambdaFunction
    from moto.server import ThreadedMotoServer
    werkzeug = logging.getLogger("werkzeug")
    _SAVED_LOG_LEVEL = werkzeug.level
    werkzeug.setLevel(logging.CRITICAL)
    for k in _ENV_KEYS:
        _SAVED_ENV[k] = os.environ.pop(k, None)
    # install() needs the port before the server serves (the ResponseURL
    # custom resources get); it patches moto process-wide: undone below.
    port = _free_port()
    _SAVED_PATCHES.extend([(LambdaFunction, "_invoke_lambda", LambdaFunction.__dict__["_invoke_lambda"]),
                           (settings, "moto_server_host", settings.moto_server_host),
                           (lambda_node, "run_node_function", lambda_node.run_node_function)])
    lambda_node.install(port)
    lambda_node.run_node_function = _recorded(lambda_node.run_node_function)
    _SERVER = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    _SERVER.start()
    os.environ.update(AWS_ENDPOINT_URL="http://127.0.0.1:%d" % port, AWS_ACCESS_KEY_ID="testing",
                      AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")


def tearDownModule():
    if _SERVER is not None:
        _SERVER.stop()
    for obj, name, value in reversed(_SAVED_PATCHES):
        setattr(obj, name, value)
    for k, v in _SAVED_ENV.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    logging.getLogger("werkzeug").setLevel(_SAVED_LOG_LEVEL or logging.NOTSET)


class EmulatorTest(DeploysEnvironments, unittest.TestCase):
    """As test_handlers.EmulatorTest, in a region of the test's choosing
    (in_region): verify.client and verify.Env read AWS_DEFAULT_REGION."""
    region = "us-east-1"

    def setUp(self):
        saved = os.environ.get("AWS_DEFAULT_REGION")
        self.addCleanup(os.environ.__setitem__, "AWS_DEFAULT_REGION", saved)
        self.in_region(self.region)

    def in_region(self, region):
        self.region = region
        os.environ["AWS_DEFAULT_REGION"] = region
        # No retries: an error is the emulator's answer, once.
        self.cfn = self.client("cloudformation", config=Config(retries={"total_max_attempts": 1}))

    def client(self, service, **kw):
        return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=self.region, **kw)

    def create(self, name, template, wait=0):
        """CreateStack; with wait, poll DescribeStacks up to wait seconds
        while the stack is CREATE_IN_PROGRESS (a custom resource completes
        when its provider answers). Asserts CREATE_COMPLETE."""
        body = template if isinstance(template, str) else json.dumps(template)
        self.cfn.create_stack(StackName=name, TemplateBody=body)
        self.addCleanup(self.delete_quietly, name)
        st = self.wait_while_in_progress(name, wait)
        self.assertEqual(st["StackStatus"], "CREATE_COMPLETE", st.get("StackStatusReason"))
        return self.physical(name)

    def wait_while_in_progress(self, name, timeout):
        deadline = time.time() + timeout
        while True:
            st = self.cfn.describe_stacks(StackName=name)["Stacks"][0]
            if st["StackStatus"] != "CREATE_IN_PROGRESS" or time.time() >= deadline:
                return st
            time.sleep(0.1)

    def status(self, name):
        return self.cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]



def key_resource():
    return {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT}, "Action": "kms:*",
        "Resource": "*"}]}}}


def role_resource(service):
    return {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": service}}]}}}


# ------------------------------------------------------------------ Config
CONFIG_RULES = {"FlowLogs": "VPC_FLOW_LOGS_ENABLED", "RdsEncrypted": "RDS_STORAGE_ENCRYPTED"}


def config_template(notified=tuple(CONFIG_RULES), include_global=True, channel=True):
    """As audittrail's config.go and compliancealerts.go synthesize it: a
    recorder of all supported types, a delivery channel to an encrypted
    bucket, two AWS managed rules, and for each rule in notified an
    EventBridge rule on its NON_COMPLIANT results notifying the topic."""
    group = {"AllSupported": True}
    if include_global:
        group["IncludeGlobalResourceTypes"] = True
    r = {
        "ConfigBucket": {"Type": "AWS::S3::Bucket"},
        "ConfigKey": key_resource(),
        "ConfigRole": role_resource("config.amazonaws.com"),
        "AlarmTopic": {"Type": "AWS::SNS::Topic"},
        "Recorder": {"Type": "AWS::Config::ConfigurationRecorder", "Properties": {
            "RoleARN": {"Fn::GetAtt": ["ConfigRole", "Arn"]}, "RecordingGroup": group}},
    }
    if channel:
        r["DeliveryChannel"] = {"Type": "AWS::Config::DeliveryChannel", "DependsOn": ["Recorder"], "Properties": {
            "S3BucketName": {"Ref": "ConfigBucket"}, "S3KeyPrefix": "config",
            "S3KmsKeyArn": {"Fn::GetAtt": ["ConfigKey", "Arn"]},
            "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "TwentyFour_Hours"}}}
    for lid, source in CONFIG_RULES.items():
        r["Rule" + lid] = {"Type": "AWS::Config::ConfigRule", "Properties": {
            "Description": "HIPAA Security (%s)" % source,
            "Source": {"Owner": "AWS", "SourceIdentifier": source}}}
        if channel:
            r["Rule" + lid]["DependsOn"] = ["DeliveryChannel"]
    for lid in notified:
        r["NonCompliant" + lid] = {"Type": "AWS::Events::Rule", "Properties": {
            "Description": "Notify the security topic when %s reports NON_COMPLIANT" % CONFIG_RULES[lid],
            "State": "ENABLED",
            "EventPattern": {"source": ["aws.config"], "detail-type": ["Config Rules Compliance Change"],
                             "detail": {"messageType": ["ComplianceChangeNotification"],
                                        "newEvaluationResult": {"complianceType": ["NON_COMPLIANT"]},
                                        "configRuleName": [{"Ref": "Rule" + lid}]}},
            "Targets": [{"Id": "AlarmTopic", "Arn": {"Ref": "AlarmTopic"}, "InputTransformer": {
                "InputPathsMap": {"rule": "$.detail.configRuleName", "resource": "$.detail.resourceId"},
                "InputTemplate": '"AWS Config rule <rule> found <resource> NON_COMPLIANT"'}}]}}
    return {"Resources": r}


class ConfigTest(EmulatorTest):
    def config(self):
        return self.client("config")

    def test_recorder_channel_rules_and_notifications_pass_then_delete_removes_them(self):
        self.in_region("eu-west-1")
        env = self.deploy_env("cfgok", {"audit": config_template()})
        ids = self.physical("cfgok-audit")
        cfg = self.config()
        recorders = cfg.describe_configuration_recorders()["ConfigurationRecorders"]
        self.assertEqual(len(recorders), 1)
        self.assertEqual(recorders[0]["name"], ids["Recorder"])
        self.assertTrue(recorders[0]["roleARN"].endswith(":role/" + ids["ConfigRole"]), recorders[0]["roleARN"])
        self.assertTrue(recorders[0]["recordingGroup"]["allSupported"])
        self.assertTrue(recorders[0]["recordingGroup"]["includeGlobalResourceTypes"])
        status = cfg.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
        self.assertEqual([(s["name"], s["recording"]) for s in status], [(ids["Recorder"], True)])
        key_arn = self.client("kms").describe_key(KeyId=ids["ConfigKey"])["KeyMetadata"]["Arn"]
        self.assertEqual(cfg.describe_delivery_channels()["DeliveryChannels"], [{
            "name": ids["DeliveryChannel"], "s3BucketName": ids["ConfigBucket"], "s3KeyPrefix": "config",
            "s3KmsKeyArn": key_arn, "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"}}])
        rules = {r["ConfigRuleName"]: r for r in cfg.describe_config_rules()["ConfigRules"]}
        self.assertEqual({n: (r["Source"]["Owner"], r["Source"]["SourceIdentifier"], r["ConfigRuleState"])
                          for n, r in rules.items()},
                         {ids["RuleFlowLogs"]: ("AWS", "VPC_FLOW_LOGS_ENABLED", "ACTIVE"),
                          ids["RuleRdsEncrypted"]: ("AWS", "RDS_STORAGE_ENCRYPTED", "ACTIVE")})
        events = self.client("events")
        for lid in CONFIG_RULES:
            rule = events.describe_rule(Name=ids["NonCompliant" + lid])
            self.assertEqual(json.loads(rule["EventPattern"])["detail"]["configRuleName"], [ids["Rule" + lid]])
            self.assertEqual(rule["State"], "ENABLED")
            self.assertEqual([t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]],
                             [ids["AlarmTopic"]])
        self.assertEqual(verify.config_rules(env), (verify.PASS, (
            "2 rules, each with a notification to the alarm topic; recorder recording all types, "
            "delivering to %s with KMS" % ids["ConfigBucket"])))

        self.cfn.delete_stack(StackName="cfgok-audit")
        self.assertEqual(cfg.describe_configuration_recorders()["ConfigurationRecorders"], [])
        self.assertEqual(cfg.describe_configuration_recorder_status()["ConfigurationRecordersStatus"], [])
        self.assertEqual(cfg.describe_delivery_channels()["DeliveryChannels"], [])
        self.assertEqual(cfg.describe_config_rules()["ConfigRules"], [])

    def test_rule_without_notification_fails_naming_it(self):
        self.in_region("eu-west-2")
        env = self.deploy_env("cfgquiet", {"audit": config_template(notified=["FlowLogs"])})
        ids = self.physical("cfgquiet-audit")
        self.assertEqual(len(self.config().describe_config_rules()["ConfigRules"]), 2)
        self.assertEqual(verify.config_rules(env), (verify.FAIL, (
            "rules without an enabled NON_COMPLIANT notification to the alarm topic: ['%s']"
            % ids["RuleRdsEncrypted"])))

    def test_notification_on_compliant_results_only_fails_naming_the_rule(self):
        # An EventBridge rule that watches the Config rule and targets the
        # topic, but on COMPLIANT results: a breach notifies nobody.
        self.in_region("ap-southeast-2")
        t = config_template()
        t["Resources"]["NonCompliantRdsEncrypted"]["Properties"]["EventPattern"]["detail"][
            "newEvaluationResult"]["complianceType"] = ["COMPLIANT"]
        env = self.deploy_env("cfgcompliant", {"audit": t})
        ids = self.physical("cfgcompliant-audit")
        events = self.client("events")
        rule = events.describe_rule(Name=ids["NonCompliantRdsEncrypted"])
        detail = json.loads(rule["EventPattern"])["detail"]
        self.assertEqual((detail["configRuleName"], detail["newEvaluationResult"]["complianceType"], rule["State"]),
                         ([ids["RuleRdsEncrypted"]], ["COMPLIANT"], "ENABLED"))
        self.assertEqual([t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]],
                         [ids["AlarmTopic"]])
        self.assertEqual(verify.config_rules(env), (verify.FAIL, (
            "rules without an enabled NON_COMPLIANT notification to the alarm topic: ['%s']"
            % ids["RuleRdsEncrypted"])))

    def test_recorder_without_global_types_fails(self):
        self.in_region("eu-central-1")
        env = self.deploy_env("cfgregional", {"audit": config_template(include_global=False)})
        ids = self.physical("cfgregional-audit")
        group = self.config().describe_configuration_recorders()["ConfigurationRecorders"][0]["recordingGroup"]
        self.assertTrue(group["allSupported"])
        self.assertFalse(group["includeGlobalResourceTypes"])
        status, detail = verify.config_rules(env)
        self.assertEqual(status, verify.FAIL, detail)
        self.assertEqual(detail, "recorder %s does not record all resource types incl. global: %s"
                         % (ids["Recorder"], group))

    def test_recorder_without_delivery_channel_is_not_recording(self):
        # CloudFormation starts the recorder once a channel exists; without
        # one the recorder stays stopped and the check says so.
        self.in_region("us-west-1")
        env = self.deploy_env("cfgnochannel", {"audit": config_template(channel=False)})
        ids = self.physical("cfgnochannel-audit")
        status = self.config().describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
        self.assertEqual([(s["name"], s["recording"]) for s in status], [(ids["Recorder"], False)])
        self.assertEqual(verify.config_rules(env), (verify.FAIL, "recorder %s is not recording" % ids["Recorder"]))


# ---------------------------------------------------------------- GuardDuty
def guardduty_template(enable):
    return {"Resources": {"GuardDutyDetector": {"Type": "AWS::GuardDuty::Detector", "Properties": {
        "Enable": enable, "FindingPublishingFrequency": "FIFTEEN_MINUTES"}}}}


class GuardDutyTest(EmulatorTest):
    def test_enabled_detector_passes_and_delete_removes_it(self):
        env = self.deploy_env("gdon", {"audit": guardduty_template(True)})
        detector = self.physical("gdon-audit")["GuardDutyDetector"]
        gd = self.client("guardduty")
        got = gd.get_detector(DetectorId=detector)
        self.assertEqual((got["Status"], got["FindingPublishingFrequency"]), ("ENABLED", "FIFTEEN_MINUTES"))
        self.assertEqual(verify.guardduty(env),
                         (verify.PASS, "detector %s enabled, findings every FIFTEEN_MINUTES" % detector))
        self.cfn.delete_stack(StackName="gdon-audit")
        self.assertNotIn(detector, gd.list_detectors()["DetectorIds"])

    def test_disabled_detector_fails(self):
        env = self.deploy_env("gdoff", {"audit": guardduty_template(False)})
        detector = self.physical("gdoff-audit")["GuardDutyDetector"]
        self.assertEqual(self.client("guardduty").get_detector(DetectorId=detector)["Status"], "DISABLED")
        self.assertEqual(verify.guardduty(env), (verify.FAIL, "detector %s status DISABLED" % detector))


    def test_update_of_enable_applies_it(self):
        env = self.deploy_env("gdflip", {"audit": guardduty_template(True)})
        before = self.physical("gdflip-audit")["GuardDutyDetector"]
        self.cfn.update_stack(StackName="gdflip-audit", TemplateBody=json.dumps(guardduty_template(False)))
        self.assertEqual(self.status("gdflip-audit"), "UPDATE_COMPLETE")
        after = self.physical("gdflip-audit")["GuardDutyDetector"]
        gd = self.client("guardduty")
        self.assertEqual(gd.get_detector(DetectorId=after)["Status"], "DISABLED")
        detectors = gd.list_detectors()["DetectorIds"]
        self.assertIn(after, detectors)
        self.assertNotIn(before, [d for d in detectors if d != after])  # the old one is not left behind
        env.forget()
        self.assertEqual(verify.guardduty(env), (verify.FAIL, "detector %s status DISABLED" % after))

    def test_update_of_enable_keeps_the_detector_id(self):
        # On AWS Enable changes in place ("Update requires: No interruption"):
        # the detector keeps its ID (UpdateDetector, not a new detector).
        before = self.create("gdkeep-audit", guardduty_template(True))["GuardDutyDetector"]
        self.cfn.update_stack(StackName="gdkeep-audit", TemplateBody=json.dumps(guardduty_template(False)))
        self.assertEqual(self.physical("gdkeep-audit")["GuardDutyDetector"], before)


# ------------------------------------------------------------------ Backup
def backup_template(plan_name, encrypted=True, retain=True, monthly_vault="BackupVault", daily_days=35):
    """As phidatabase's backup.go synthesizes it: a KMS-encrypted vault,
    retained on stack deletion, and a plan with a daily and a monthly rule."""
    vault = {"Type": "AWS::Backup::BackupVault", "Properties": {}}
    if encrypted:
        vault["Properties"]["EncryptionKeyArn"] = {"Fn::GetAtt": ["BackupKey", "Arn"]}
    if retain:
        vault["DeletionPolicy"] = vault["UpdateReplacePolicy"] = "Retain"

    def rule(name, schedule, days, target):
        return {"RuleName": name, "TargetBackupVault": {"Fn::GetAtt": [target, "BackupVaultName"]},
                "ScheduleExpression": schedule, "StartWindowMinutes": 60, "CompletionWindowMinutes": 480,
                "Lifecycle": {"DeleteAfterDays": days}, "RecoveryPointTags": {"data-classification": "phi"}}
    r = {
        "BackupKey": key_resource(),
        "BackupVault": vault,
        "BackupPlan": {"Type": "AWS::Backup::BackupPlan", "Properties": {"BackupPlan": {
            "BackupPlanName": plan_name,
            "BackupPlanRule": [rule("Daily", "cron(0 5 * * ? *)", daily_days, "BackupVault"),
                               rule("Monthly", "cron(0 5 1 * ? *)", 2192, monthly_vault)]}}},
    }
    if monthly_vault != "BackupVault":
        r[monthly_vault] = {"Type": "AWS::Backup::BackupVault", "Properties": {
            "EncryptionKeyArn": {"Fn::GetAtt": ["BackupKey", "Arn"]}}}
    return {"Resources": r}


class BackupTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.backup = self.client("backup")

    def test_plan_rules_reach_backup_and_the_check_passes(self):
        env = self.deploy_env("bkok", {"data": backup_template("bkok-backup")})
        ids = self.physical("bkok-data")
        vault = self.backup.describe_backup_vault(BackupVaultName=ids["BackupVault"])
        key_arn = self.client("kms").describe_key(KeyId=ids["BackupKey"])["KeyMetadata"]["Arn"]
        self.assertEqual(vault["EncryptionKeyArn"], key_arn)
        plan = self.backup.get_backup_plan(BackupPlanId=ids["BackupPlan"])["BackupPlan"]
        self.assertEqual(plan["BackupPlanName"], "bkok-backup")
        self.assertEqual([(r["RuleName"], r["TargetBackupVaultName"], r["Lifecycle"], r["ScheduleExpression"],
                           r["StartWindowMinutes"], r["CompletionWindowMinutes"], r["RecoveryPointTags"])
                          for r in plan["Rules"]],
                         [("Daily", ids["BackupVault"], {"DeleteAfterDays": 35}, "cron(0 5 * * ? *)", 60, 480,
                           {"data-classification": "phi"}),
                          ("Monthly", ids["BackupVault"], {"DeleteAfterDays": 2192}, "cron(0 5 1 * ? *)", 60, 480,
                           {"data-classification": "phi"})])
        self.assertEqual(verify.db_backup_plan(env), (verify.PASS, "plan bkok-backup: Daily cron(0 5 * * ? *) 35 d, "
                                                                   "Monthly cron(0 5 1 * ? *) 2192 d "
                                                                   "into vault %s (KMS %s)"
                                                      % (ids["BackupVault"], ids["BackupKey"])))

    def test_vault_without_key_fails(self):
        env = self.deploy_env("bknokey", {"data": backup_template("bknokey-backup", encrypted=False)})
        ids = self.physical("bknokey-data")
        self.assertNotIn("EncryptionKeyArn", self.backup.describe_backup_vault(BackupVaultName=ids["BackupVault"]))
        status, detail = verify.db_backup_plan(env)
        self.assertEqual(status, verify.FAIL, detail)
        rules = "{'Daily': ('cron(0 5 * * ? *)', 35), 'Monthly': ('cron(0 5 1 * ? *)', 2192)}"
        self.assertEqual(detail, "rules (schedule, days) %s, template %s; rules to another vault []; vault key None"
                         % (rules, rules))

    def test_rule_into_another_vault_fails(self):
        env = self.deploy_env("bkother", {"data": backup_template("bkother-backup", monthly_vault="OtherVault")})
        ids = self.physical("bkother-data")
        plan = self.backup.get_backup_plan(BackupPlanId=ids["BackupPlan"])["BackupPlan"]
        self.assertEqual([r["TargetBackupVaultName"] for r in plan["Rules"]], [ids["BackupVault"], ids["OtherVault"]])
        status, detail = verify.db_backup_plan(env)
        self.assertEqual(status, verify.FAIL, detail)
        self.assertIn("rules to another vault ['Monthly']", detail)

    def test_retained_vault_outlives_the_stack_and_the_rest_goes(self):
        ids = self.create("bkretain-data", backup_template("bkretain-backup", monthly_vault="OtherVault"))
        self.cfn.delete_stack(StackName="bkretain-data")
        self.assertEqual(verify.still_there("AWS::Backup::BackupVault", "Retain", ids["BackupVault"]),
                         (verify.PASS, "vault %s exists (KMS %s)" % (ids["BackupVault"], ids["BackupKey"])))
        # the vault without DeletionPolicy went with the stack, the plan too
        status, detail = verify.still_there("AWS::Backup::BackupVault", "Retain", ids["OtherVault"])
        self.assertEqual(status, verify.FAIL, detail)
        plans = self.backup.list_backup_plans()["BackupPlansList"]
        self.assertNotIn(ids["BackupPlan"], [p["BackupPlanId"] for p in plans])

    def test_lifecycle_change_updates_the_plan(self):
        # CloudFormation updates a plan's rules in place (UpdateBackupPlan,
        # same plan ID); moto's DeleteBackupPlan only marks a plan deleted and
        # CreateBackupPlan then refuses its name, so delete-and-create fails.
        self.create("bkupdate-data", backup_template("bkupdate-backup"))
        try:
            self.cfn.update_stack(StackName="bkupdate-data",
                                  TemplateBody=json.dumps(backup_template("bkupdate-backup", daily_days=36)))
        except (ClientError, BotoCoreError, ResponseParserError) as e:
            self.fail("UpdateStack refused: %s" % e)
        plan = self.backup.get_backup_plan(BackupPlanId=self.physical("bkupdate-data")["BackupPlan"])["BackupPlan"]
        self.assertEqual([r["Lifecycle"]["DeleteAfterDays"] for r in plan["Rules"]], [36, 2192])


# ------------------------------------------------------- Node.js Lambda
# A custom-resource provider as CDK's and cfn-response's are written: it does
# its work with the AWS SDK for JavaScript v3 (from the project's
# node_modules, as Lambda provides it) and answers CloudFormation with an
# HTTPS PUT to event.ResponseURL. ResourceProperties.Mode picks the behaviour:
#   lockdown          revoke GroupId's default egress rule, answer SUCCESS
#   throw             revoke it, then throw (no answer)
#   failed            answer FAILED
#   noop              answer SUCCESS, change nothing
#   (none)            CDK's restrict-default-sg handler: revoke the default
#                     SG's egress and self-ingress rules, ignoring
#                     InvalidPermission.NotFound, answer SUCCESS
PROVIDER_JS = r'''
const { EC2Client, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand } =
  require("@aws-sdk/client-ec2");
const https = require("https");

const allOut = (group) => ({ GroupId: group,
  IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] });
const selfIn = (group, account) => ({ GroupId: group, IpPermissions: [{ IpProtocol: "-1",
  UserIdGroupPairs: [{ GroupId: group, UserId: account }] }] });

async function ignoreNotFound(promise) {
  try { await promise; } catch (e) { if (e.name !== "InvalidPermission.NotFound") throw e; }
}

function respond(event, status, reason) {
  const body = JSON.stringify({ Status: status, Reason: reason,
    PhysicalResourceId: "lockdown-" + event.LogicalResourceId, StackId: event.StackId, RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId, Data: {} });
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: url.hostname, path: url.pathname + url.search, method: "PUT",
      headers: { "content-type": "", "content-length": Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on("end", () => resolve(res.statusCode)); });
    req.on("error", reject);
    req.write(body);
    req.end();
  });
}

exports.handler = async (event) => {
  const p = event.ResourceProperties;
  const ec2 = new EC2Client({});
  if (event.RequestType === "Create") {
    if (p.Mode === "lockdown" || p.Mode === "throw") {
      await ec2.send(new RevokeSecurityGroupEgressCommand(allOut(p.GroupId)));
    }
    if (p.Mode === undefined) {
      await ignoreNotFound(ec2.send(new RevokeSecurityGroupEgressCommand(allOut(p.DefaultSecurityGroupId))));
      await ignoreNotFound(ec2.send(new RevokeSecurityGroupIngressCommand(
        selfIn(p.DefaultSecurityGroupId, p.Account))));
    }
    if (p.Mode === "throw") {
      throw new Error("lockdown of " + p.GroupId + " failed on purpose");
    }
  }
  const answered = await respond(event, p.Mode === "failed" ? "FAILED" : "SUCCESS", "mode " + p.Mode);
  return { answered, region: process.env.AWS_REGION };
};
'''
ASSET_BUCKET, ASSET_KEY = "deploy-local-test-assets", "provider.zip"


def aurora_template(ident, retention=35, protected=True, members=2):
    """An Aurora PostgreSQL cluster like PhiDatabase's prod one: encrypted
    with its key, deletion-protected, DeletionPolicy Snapshot, a cluster
    parameter group and member instances without identifiers."""
    r = {
        "Key": key_resource(),
        "Params": {"Type": "AWS::RDS::DBClusterParameterGroup", "Properties": {
            "Family": "aurora-postgresql17", "Description": "TLS", "Parameters": {"rds.force_ssl": "1"}}},
        "Cluster": {"Type": "AWS::RDS::DBCluster", "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot",
                    "Properties": {"DBClusterIdentifier": ident, "Engine": "aurora-postgresql",
                                   "EngineVersion": "17.9", "StorageEncrypted": True,
                                   "KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}, "DeletionProtection": protected,
                                   "BackupRetentionPeriod": retention, "MasterUsername": "admin1",
                                   "MasterUserPassword": "not-a-secret-password", "Port": 5432,
                                   "DBClusterParameterGroupName": {"Ref": "Params"}}},
    }
    for n in range(members):
        r["Member%d" % n] = {"Type": "AWS::RDS::DBInstance", "Properties": {
            "DBClusterIdentifier": {"Ref": "Cluster"}, "Engine": "aurora-postgresql",
            "DBInstanceClass": "db.r6g.large", "PubliclyAccessible": False}}
    return {"Resources": r, "Outputs": {"Endpoint": {"Value": {"Fn::GetAtt": ["Cluster", "Endpoint.Address"]}}}}


class AuroraTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.rds = self.client("rds")

    # One cluster identifier per test: moto keeps a deleted cluster's automated
    # snapshots, named after the identifier and the minute.
    def cluster(self, ident):
        return self.rds.describe_db_clusters(DBClusterIdentifier=ident)["DBClusters"][0]

    def test_cluster_and_members_are_created_as_the_template_asks(self):
        env = self.deploy_env("aurora", {"data": aurora_template("aurora-create")})
        ids = self.physical("aurora-data")
        c = self.cluster("aurora-create")
        self.assertEqual((c["StorageEncrypted"], c["DeletionProtection"], c["BackupRetentionPeriod"], c["Port"]),
                         (True, True, 35, 5432))
        self.assertIn(ids["Key"], c["KmsKeyId"])
        self.assertEqual(sorted(m["DBInstanceIdentifier"] for m in c["DBClusterMembers"]),
                         sorted([ids["Member0"], ids["Member1"]]))
        self.assertEqual(c["DBClusterParameterGroup"], ids["Params"])
        status, detail = verify.db_basics(env)
        self.assertEqual(status, verify.PASS, detail)
        self.assertIn("aurora-create (cluster of 2)", detail)
        self.assertEqual(verify.db_deletion_protection(env), (verify.PASS, "DeletionProtection=True (template: True)"))
        self.rds.modify_db_cluster(DBClusterIdentifier="aurora-create", DeletionProtection=False)
        self.assertEqual(verify.db_deletion_protection(env)[0], verify.FAIL)

    def test_update_modifies_the_cluster_in_place(self):
        self.create("aurora-upd", aurora_template("aurora-update", retention=35))
        before = self.cluster("aurora-update")
        count = len(self.rds.describe_db_clusters()["DBClusters"])
        self.cfn.update_stack(StackName="aurora-upd",
                              TemplateBody=json.dumps(aurora_template("aurora-update", retention=34)))
        after = self.cluster("aurora-update")
        self.assertEqual(self.status("aurora-upd"), "UPDATE_COMPLETE")
        self.assertEqual((after["BackupRetentionPeriod"], after["ClusterCreateTime"]),
                         (34, before["ClusterCreateTime"]))
        self.assertEqual(len(self.rds.describe_db_clusters()["DBClusters"]), count)

    def test_protected_cluster_refuses_the_stack_delete(self):
        self.create("aurora-prot", aurora_template("aurora-protected", protected=True))
        with self.assertRaises((ClientError, BotoCoreError)):
            self.cfn.delete_stack(StackName="aurora-prot")
        self.assertTrue(self.cluster("aurora-protected")["DeletionProtection"])
        self.assertEqual(verify.still_there("AWS::RDS::DBCluster", "Snapshot", "aurora-protected"),
                         (verify.PASS, "cluster aurora-protected still exists (its delete was refused)"))
        self.rds.modify_db_cluster(DBClusterIdentifier="aurora-protected", DeletionProtection=False)

    def test_unprotected_cluster_leaves_a_final_snapshot(self):
        self.create("aurora-snap", aurora_template("aurora-snapshot", protected=False))
        self.cfn.delete_stack(StackName="aurora-snap")
        self.assertNotIn("aurora-snapshot",
                         [c["DBClusterIdentifier"] for c in self.rds.describe_db_clusters()["DBClusters"]])
        status, detail = verify.still_there("AWS::RDS::DBCluster", "Snapshot", "aurora-snapshot")
        self.assertEqual(status, verify.PASS, detail)
        self.assertIn("final cluster snapshot aurora-snap-cluster-snapshot-aurora-snapshot", detail)
        self.assertEqual(verify.still_there("AWS::RDS::DBCluster", "Snapshot", "never-deployed")[0], verify.FAIL)


def provider_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("index.js", PROVIDER_JS)
    return buf.getvalue()


def provider_resources(runtime="nodejs22.x", inline=False):
    """The provider function and its role, its code from the asset bucket
    (as CDK deploys it) or inline (Code.ZipFile)."""
    code = {"ZipFile": PROVIDER_JS} if inline else {"S3Bucket": ASSET_BUCKET, "S3Key": ASSET_KEY}
    return {
        "ProviderRole": role_resource("lambda.amazonaws.com"),
        "Provider": {"Type": "AWS::Lambda::Function", "DependsOn": ["ProviderRole"], "Properties": {
            "Runtime": runtime, "Handler": "index.handler", "Timeout": 30, "MemorySize": 128,
            "Role": {"Fn::GetAtt": ["ProviderRole", "Arn"]}, "Code": code}},
    }


def lockdown_template(mode, inline=False):
    r = provider_resources(inline=inline)
    r.update({
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.40.0.0/16"}},
        "AppSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "app tier", "VpcId": {"Ref": "Vpc"}}},
        "Lockdown": {"Type": "Custom::Lockdown", "Properties": {
            "ServiceToken": {"Fn::GetAtt": ["Provider", "Arn"]}, "GroupId": {"Fn::GetAtt": ["AppSg", "GroupId"]},
            "Mode": mode}},
    })
    return {"Resources": r}


def restrict_default_sg_template(mode=None, service_token=None):
    """As CDK's Vpc restrictDefaultSecurityGroup synthesizes it (provider on
    nodejs24.x, Custom::VpcRestrictDefaultSG)."""
    r = provider_resources(runtime="nodejs24.x")
    props = {"ServiceToken": service_token or {"Fn::GetAtt": ["Provider", "Arn"]},
             "DefaultSecurityGroupId": {"Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"]}, "Account": ACCOUNT}
    if mode:
        props["Mode"] = mode
    r.update({
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.50.0.0/16"}},
        "VpcRestrictDefaultSecurityGroupCustomResource": {"Type": "Custom::VpcRestrictDefaultSG", "Properties": props},
    })
    return {"Resources": r}


class NodeLambdaTest(EmulatorTest):
    """Custom resources whose provider runs in the project's Node.js."""
    WAIT = 30  # seconds for a provider run (Node.js start and the SDK's require take about one)

    @classmethod
    def setUpClass(cls):
        s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
        s3.create_bucket(Bucket=ASSET_BUCKET)
        s3.put_object(Bucket=ASSET_BUCKET, Key=ASSET_KEY, Body=provider_zip())

    def setUp(self):
        super().setUp()
        self.ec2 = self.client("ec2")

    def run_of(self, function_name, timeout=WAIT):
        """(event, result, errored, logs) of the function's first run."""
        deadline = time.time() + timeout
        with _RUNS_CHANGED:
            while True:
                runs = [r[1:] for r in _RUNS if r[0] == function_name]
                if runs:
                    return runs[0]
                left = deadline - time.time()
                if left <= 0:
                    self.fail("%s did not run within %ds" % (function_name, timeout))
                _RUNS_CHANGED.wait(left)

    def start(self, name, template):
        self.cfn.create_stack(StackName=name, TemplateBody=json.dumps(template))
        self.addCleanup(self.delete_quietly, name)
        return self.physical(name)

    def group(self, group_id):
        return self.ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]

    def default_group(self, vpc):
        return self.ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                          {"Name": "group-name", "Values": ["default"]}])[
            "SecurityGroups"][0]

    def test_provider_revokes_egress_and_answers_success(self):
        env = self.deploy_env("nodeok", {"app": lockdown_template("lockdown")}, wait=self.WAIT)
        decision = env.decision("nodeok-app", "Lockdown")
        self.assertEqual((decision["action"], decision["reason"]),
                         ("deployed as synthesized", adapt.CUSTOM_RESOURCE_NODE))
        ids = self.physical("nodeok-app")
        g = self.group(ids["AppSg"])
        self.assertEqual((g["IpPermissionsEgress"], g["IpPermissions"]), ([], []))
        event, result, errored, logs = self.run_of(ids["Provider"])
        self.assertFalse(errored, logs)
        self.assertEqual(json.loads(result), {"answered": 200, "region": "us-east-1"})
        self.assertEqual((event["RequestType"], event["LogicalResourceId"], event["ResourceType"],
                          event["ResourceProperties"]["GroupId"]),
                         ("Create", "Lockdown", "Custom::Lockdown", ids["AppSg"]))
        self.assertTrue(event["ResponseURL"].startswith("%s/cloudformation_us-east-1/cfnresponse?stack="
                                                        % os.environ["AWS_ENDPOINT_URL"]), event["ResponseURL"])
        self.assertIn("deploy-local: ran %s (nodejs22.x) in %s" % (ids["Provider"], lambda_node.NODE), logs)

    def test_other_groups_keep_their_egress(self):
        # the baseline the lockdown test compares with: moto gives a new
        # group the default egress rule, which only the provider removes
        ids = self.start("nodenoop", lockdown_template("noop"))
        self.run_of(ids["Provider"])
        self.assertEqual(self.wait_while_in_progress("nodenoop", self.WAIT)["StackStatus"], "CREATE_COMPLETE")
        self.assertEqual([(p["IpProtocol"], p["IpRanges"]) for p in self.group(ids["AppSg"])["IpPermissionsEgress"]],
                         [("-1", [{"CidrIp": "0.0.0.0/0"}])])

    def test_provider_that_throws_leaves_the_stack_in_progress(self):
        # No answer reaches CloudFormation: on AWS the stack would fail
        # after the custom resource's timeout (an hour); on the emulator it
        # stays CREATE_IN_PROGRESS, and cdk deploy waits until deploy-local's
        # CDK_TIMEOUT. Never CREATE_COMPLETE.
        ids = self.start("nodethrow", lockdown_template("throw"))
        event, result, errored, logs = self.run_of(ids["Provider"])
        self.assertTrue(errored)
        self.assertIn("Error: lockdown of %s failed on purpose" % ids["AppSg"], logs)
        self.assertEqual(self.group(ids["AppSg"])["IpPermissionsEgress"], [])  # it ran up to the throw
        time.sleep(0.5)
        self.assertEqual(self.status("nodethrow"), "CREATE_IN_PROGRESS")

    def test_provider_answering_failed_leaves_the_stack_in_progress(self):
        # moto's cfnresponse acts on SUCCESS only: a FAILED answer (CREATE_FAILED
        # on AWS) is ignored, and the stack stays CREATE_IN_PROGRESS.
        ids = self.start("nodefailed", lockdown_template("failed"))
        event, result, errored, logs = self.run_of(ids["Provider"])
        self.assertFalse(errored, logs)
        self.assertEqual(json.loads(result)["answered"], 200)
        time.sleep(0.5)
        self.assertEqual(self.status("nodefailed"), "CREATE_IN_PROGRESS")

    def test_inline_provider_code_runs(self):
        # CloudFormation stores a Node.js function's Code.ZipFile as index.js
        # (AWS docs, AWS::Lambda::Function Code); moto stores any inline code
        # as index.py, which the runner must still load as the module.
        ids = self.start("nodeinline", lockdown_template("lockdown", inline=True))
        event, result, errored, logs = self.run_of(ids["Provider"])
        self.assertFalse(errored, logs.strip().splitlines()[-12:])
        self.assertEqual(self.wait_while_in_progress("nodeinline", self.WAIT)["StackStatus"], "CREATE_COMPLETE")

    def test_restrict_default_sg_passes_the_check(self):
        env = self.deploy_env("sgok", {"network": restrict_default_sg_template()}, wait=self.WAIT)
        ids = self.physical("sgok-network")
        event, result, errored, logs = self.run_of(ids["Provider"])
        self.assertFalse(errored, logs)
        self.assertIn("deploy-local: ran %s (nodejs24.x)" % ids["Provider"], logs)
        sg = self.default_group(ids["Vpc"])
        self.assertEqual(event["ResourceProperties"]["DefaultSecurityGroupId"], sg["GroupId"])
        self.assertEqual((sg["IpPermissions"], sg["IpPermissionsEgress"]), ([], []))
        self.assertEqual(verify.default_sg(env), (verify.PASS, "default SG %s has no rules" % sg["GroupId"]))

    def test_default_sg_left_open_fails_the_check(self):
        env = self.deploy_env("sgopen", {"network": restrict_default_sg_template(mode="noop")}, wait=self.WAIT)
        ids = self.physical("sgopen-network")
        self.assertFalse(self.run_of(ids["Provider"])[2])
        sg = self.default_group(ids["Vpc"])
        self.assertEqual(len(sg["IpPermissionsEgress"]), 1)
        self.assertEqual(verify.default_sg(env), (verify.FAIL, "default SG %s still has rules" % sg["GroupId"]))

    def test_provider_not_in_the_stack_is_dropped_and_the_check_is_a_gap(self):
        token = "arn:aws:lambda:us-east-1:%s:function:elsewhere" % ACCOUNT
        env = self.deploy_env("sgelsewhere", {"network": restrict_default_sg_template(service_token=token)})
        cr = "VpcRestrictDefaultSecurityGroupCustomResource"
        self.assertEqual(env.decision("sgelsewhere-network", cr)["action"], "dropped")
        self.assertNotIn(cr, self.physical("sgelsewhere-network"))
        self.assertEqual(verify.default_sg(env), (verify.GAP, "%s (Custom::VpcRestrictDefaultSG) not deployed on "
                                                              "the emulator: %s" % (cr, adapt.CUSTOM_RESOURCE_REASON)))


# Not what deploy-local uses, but what lambda_node.install() changes as well:
# every Invoke of a nodejs* function on the emulator runs in Node.js.
INVOKE_JS = r'''
exports.handler = async (event, context) => {
  if (event.log) console.log("hello from the handler");
  if (event.fail) throw new Error("bad input " + event.fail);
  return { greeting: process.env.GREETING, name: context.functionName, region: process.env.AWS_REGION };
};
'''


class NodeInvokeTest(EmulatorTest):
    @classmethod
    def setUpClass(cls):
        def client(service):
            return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("index.js", INVOKE_JS)
        role = client("iam").create_role(RoleName="deploy-local-test-invoke", AssumeRolePolicyDocument=json.dumps(
            role_resource("lambda.amazonaws.com")["Properties"]["AssumeRolePolicyDocument"]))["Role"]["Arn"]
        client("lambda").create_function(FunctionName="deploy-local-test-invoke", Runtime="nodejs22.x", Role=role,
                                         Handler="index.handler", Code={"ZipFile": buf.getvalue()},
                                         Environment={"Variables": {"GREETING": "hi"}})

    def invoke(self, event):
        r = self.client("lambda").invoke(FunctionName="deploy-local-test-invoke", Payload=json.dumps(event))
        return r["Payload"].read().decode(), r.get("FunctionError")

    def test_result_environment_and_context(self):
        payload, error = self.invoke({})
        self.assertIsNone(error)
        self.assertEqual(json.loads(payload), {"greeting": "hi", "name": "deploy-local-test-invoke",
                                               "region": "us-east-1"})

    def test_thrown_error_is_a_function_error(self):
        self.assertIsNotNone(self.invoke({"fail": "x"})[1])

    def test_console_log_stays_out_of_the_result(self):
        # The handler's console.log output is logs, never part of the result.
        payload, error = self.invoke({"log": True})
        self.assertIsNone(error)
        try:
            result = json.loads(payload)
        except ValueError:
            self.fail("payload is not the handler's result: %r" % payload)
        self.assertEqual(result["greeting"], "hi")

    def test_error_payload_names_the_error(self):
        # Lambda answers {"errorType": "Error", "errorMessage": ...}: the message,
        # not a line of the stack trace.
        payload, error = self.invoke({"fail": "x"})
        self.assertIn("bad input x", payload)
