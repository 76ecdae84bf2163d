"""Tests of deploy-local (run from the repository root):

    python3 -m unittest discover -s scripts/emulator -t .

BrokenTemplateTest and ProtectedDatabaseTest run scripts/deploy-local.sh
(the emulator, about 20 s each) and need the project CDK CLI (`make
toolchain`); the adaptation tests are offline and instant.
"""
import os
import subprocess
import tempfile
import unittest

from scripts.emulator import adapt, run
from scripts.emulator.stacks_testing import write_assembly

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class AdaptTest(unittest.TestCase):
    SUPPORTED = {"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::KMS::Key", "AWS::RDS::DBInstance"}

    def test_unsupported_and_dependents_are_dropped_and_reported(self):
        t = {"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Acl": {"Type": "AWS::EC2::NetworkAcl", "Properties": {"VpcId": {"Ref": "Vpc"}}},
            "Assoc": {"Type": "AWS::EC2::Subnet", "Properties": {"Tags": [{"Key": "acl", "Value": {"Ref": "Acl"}}]}},
            "Cr": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "x"}},
            "Sub": {"Type": "AWS::EC2::Subnet", "DependsOn": ["Cr", "Vpc"],
                    "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24"}},
        }, "Outputs": {"AclId": {"Value": {"Ref": "Acl"}, "Export": {"Name": "acl-id"}}}}
        decisions, exports = adapt.adapt_template(t, self.SUPPORTED, set(), stack_name="net")
        self.assertEqual(sorted(t["Resources"]), ["Sub", "Vpc"])
        self.assertEqual(t["Resources"]["Sub"]["DependsOn"], ["Vpc"])
        self.assertIn("no CloudFormation support", decisions["Acl"]["reason"])
        self.assertIn("Docker", decisions["Cr"]["reason"])
        self.assertIn("Acl", decisions["Assoc"]["reason"])
        self.assertEqual(exports, {"acl-id", "net/AclId"})
        # a later stack importing the dropped export is dropped too
        t2 = {"Resources": {"Db": {"Type": "AWS::RDS::DBInstance",
                                   "Properties": {"X": {"Fn::ImportValue": "acl-id"}}}}}
        d2, _ = adapt.adapt_template(t2, self.SUPPORTED, exports)
        self.assertEqual(d2["Db"]["action"], "dropped")
        t3 = {"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {
            "X": {"Fn::GetStackOutput": {"StackName": "net", "OutputName": "AclId"}}}}}}
        d3, _ = adapt.adapt_template(t3, self.SUPPORTED, exports)
        self.assertEqual(d3["Db"]["action"], "dropped")

    def test_key_policy_becomes_a_json_string_keeping_intrinsics(self):
        t = {"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {
            "KeyPolicy": {"Statement": [{"Principal": {"AWS": {"Fn::GetAtt": ["R", "Arn"]}}}]},
            "Tags": [{"Key": "a", "Value": "b"}]}}}}
        decisions, _ = adapt.adapt_template(t, self.SUPPORTED, set())
        props = t["Resources"]["Key"]["Properties"]
        self.assertNotIn("Tags", props)
        self.assertEqual(props["KeyPolicy"]["Fn::Join"][1][1], {"Fn::GetAtt": ["R", "Arn"]})
        self.assertEqual(decisions["Key"]["action"], "modified")

    def test_undeletable_types_and_their_dependencies_are_retained_in_the_copy(self):
        t = {"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {}},
            "Rt": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {}}}}}
        adapt.adapt_template(t, self.SUPPORTED | {"AWS::EC2::RouteTable"}, set(), {"AWS::EC2::RouteTable"})
        self.assertEqual(t["Resources"]["Rt"].get("DeletionPolicy"), "Retain")
        self.assertEqual(t["Resources"]["Vpc"].get("DeletionPolicy"), "Retain")
        self.assertNotIn("DeletionPolicy", t["Resources"]["Key"])


class ServedTypesTest(unittest.TestCase):
    def test_handler_types_are_served_and_named_in_the_table(self):
        supported = adapt.moto_cfn_types()  # moto's models plus deploy-local's handlers
        t = {"Resources": {
            "Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {}},
            "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {}},
            "Selection": {"Type": "AWS::Backup::BackupSelection", "Properties": {}},
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {}}}}
        decisions, _ = adapt.adapt_template(t, supported, set())
        self.assertEqual(decisions["Trail"]["action"], "deployed as synthesized")
        self.assertEqual(decisions["Policy"]["action"], "dropped")
        self.assertIn("without their Conditions", decisions["Policy"]["reason"])
        self.assertIn("no BackupSelection API", decisions["Selection"]["reason"])
        rows = {r["type"]: r for r in adapt.type_table({"stacks": {"s": {"decisions": decisions}}}, supported)}
        self.assertEqual(rows["AWS::CloudTrail::Trail"]["supported"], "handler")
        self.assertIn("CreateTrail", rows["AWS::CloudTrail::Trail"]["notes"])
        self.assertEqual(rows["AWS::EC2::VPC"]["supported"], "moto")
        self.assertEqual(rows["AWS::S3::BucketPolicy"]["supported"], "no")

    def test_custom_resource_kept_only_with_a_nodejs_provider_in_the_stack(self):
        def template(runtime):
            return {"Resources": {
                "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": runtime}},
                "Cr": {"Type": "Custom::Thing", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn", "Arn"]}}},
                "Foreign": {"Type": "Custom::Other", "Properties": {"ServiceToken": "arn:aws:lambda:x"}}}}
        supported = {"AWS::Lambda::Function"}
        kept = template("nodejs22.x")
        d, _ = adapt.adapt_template(kept, supported, set())
        self.assertIn("Cr", kept["Resources"])
        self.assertIn("project's Node.js", d["Cr"]["reason"])
        self.assertEqual(d["Foreign"]["action"], "dropped")
        py = template("python3.12")
        d, _ = adapt.adapt_template(py, supported, set())
        self.assertEqual(d["Cr"]["action"], "dropped")
        self.assertIn("Docker", d["Cr"]["reason"])


class VerdictTest(unittest.TestCase):
    def setUp(self):
        self.saved = list(run.rows)
        run.rows[:] = [("deploy", "dev-data", "OK", ""), ("verify", "a check", "PASS", ""),
                       ("verify", "data: the backup plan selects the database", "GAP", "moto has no API"),
                       ("verify", "audit check", "SKIP", "no dev-audit stack in this environment"),
                       ("destroy", "dev-data", "REFUSED", "protected"), ("emulator", "AWS::X", "NOTE", "")]

    def tearDown(self):
        run.rows[:] = self.saved

    def test_app_stack_is_no_longer_an_accepted_gap(self):
        # <env>-app deploys on the emulator: a GAP naming it is not accepted.
        self.assertFalse([k for k in run.ACCEPTED_GAPS if "<env>-app" in k])
        run.rows[:] = [("deploy", "app: the <env>-app stack (PhiService) on the emulator", "GAP", "dev-app not deployed")]
        self.assertEqual(run.unaccepted("dev"), [("deploy", "app: the <env>-app stack (PhiService) on the emulator",
                                                  "GAP not accepted (run.ACCEPTED_GAPS)")])
        run.rows[:] = []

    def test_accepted_results_pass(self):
        self.assertEqual(run.unaccepted("dev"), [])

    def test_unaccepted_gap_skip_and_failures_fail_the_run(self):
        run.rows.extend([("verify", "data: database exists, encrypted, not public", "GAP", "cluster not deployed"),
                         ("update", "dev-data", "SKIP", "hook missing: the app does not read -c x"),
                         ("verify", "b check", "FAIL", "x"), ("destroy", "dev-net", "FAILED", "y")])
        self.assertEqual(run.unaccepted("dev"), [
            ("verify", "data: database exists, encrypted, not public", "GAP not accepted (run.ACCEPTED_GAPS)"),
            ("update", "dev-data", "SKIP"), ("verify", "b check", "FAIL"), ("destroy", "dev-net", "FAILED")])

    def test_skip_for_another_environments_stack_is_not_accepted(self):
        run.rows.append(("verify", "c check", "SKIP", "no staging-audit stack in this environment"))
        self.assertEqual(run.unaccepted("dev"), [("verify", "c check", "SKIP")])


class BrokenTemplateTest(unittest.TestCase):
    def test_broken_template_fails_with_stack_and_reason(self):
        broken = {"Resources": {"Orphan": {"Type": "AWS::EC2::Subnet", "Properties": {
            "VpcId": "vpc-0000000000doesnotexist", "CidrBlock": "10.9.0.0/24"}}}}
        with tempfile.TemporaryDirectory() as d:
            asm = os.path.join(d, "asm")
            write_assembly(asm, {"broken-stack": broken})
            env = dict(os.environ, ASSEMBLY=asm, DEPLOY_LOCAL_DIR=os.path.join(d, "work"), ENV="broken")
            p = subprocess.run([os.path.join(ROOT, "scripts", "deploy-local.sh")], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
            out = p.stdout
            self.assertNotEqual(p.returncode, 0, out)
            self.assertIn("stack broken-stack failed to deploy", out)
            self.assertIn("vpc-0000000000doesnotexist", out)  # the reason, from the emulator
            self.assertIn("stopped the emulator", out)
            pid = [l for l in out.splitlines() if l.startswith("deploy-local: emulator pid ")][0].split()[3]
            self.assertFalse(os.path.exists("/proc/" + pid), "the emulator is still running")


def protected_data_stack(retention):
    """A <env>-data stack like the app's: a deletion-protected database with
    DeletionPolicy Snapshot, its backup vault (retained), plan and selection,
    and a PHI bucket (retained) with its policy."""
    return {"Resources": {
        "Key": {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "Properties": {"KeyPolicy": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                    "Action": "kms:*", "Resource": "*"}]}}},
        "Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot",
               "Properties": {"DBInstanceIdentifier": "prot-db", "Engine": "postgres", "DBInstanceClass": "db.t4g.micro",
                              "AllocatedStorage": "20", "StorageEncrypted": True, "KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]},
                              "DeletionProtection": True, "PubliclyAccessible": False, "MasterUsername": "admin1",
                              "MasterUserPassword": "not-a-secret-password", "BackupRetentionPeriod": retention}},
        "Vault": {"Type": "AWS::Backup::BackupVault", "DeletionPolicy": "Retain", "Properties": {
            "BackupVaultName": "prot-vault", "EncryptionKeyArn": {"Fn::GetAtt": ["Key", "Arn"]}}},
        "Plan": {"Type": "AWS::Backup::BackupPlan", "Properties": {"BackupPlan": {
            "BackupPlanName": "prot-plan", "BackupPlanRule": [{
                "RuleName": "Daily", "TargetBackupVault": {"Fn::GetAtt": ["Vault", "BackupVaultName"]},
                "ScheduleExpression": "cron(0 5 * * ? *)", "Lifecycle": {"DeleteAfterDays": 35}}]}}},
        "Selection": {"Type": "AWS::Backup::BackupSelection", "Properties": {
            "BackupPlanId": {"Fn::GetAtt": ["Plan", "BackupPlanId"]}, "BackupSelection": {
                "SelectionName": "Db", "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
                "Resources": [{"Fn::Join": ["", ["arn:aws:rds:us-east-1:123456789012:db:", {"Ref": "Db"}]]}]}}},
        "PhiBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "Properties": {
            "BucketName": "prot-phi-objects", "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"BucketKeyEnabled": True, "ServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]}}}]},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
                                               "RestrictPublicBuckets": True},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}},
        "PhiBucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "PhiBucket"}, "PolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                                                    "Resource": "arn:aws:s3:::prot-phi-objects/*",
                                                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
    }}


class ProtectedDatabaseTest(unittest.TestCase):
    def test_destroy_is_refused_and_the_database_kept(self):
        with tempfile.TemporaryDirectory() as d:
            asm, upd = os.path.join(d, "asm"), os.path.join(d, "upd")
            write_assembly(asm, {"prot-data": protected_data_stack(1)})
            write_assembly(upd, {"prot-data": protected_data_stack(2)})
            env = dict(os.environ, ASSEMBLY=asm, UPDATE_ASSEMBLY=upd, DEPLOY_LOCAL_DIR=os.path.join(d, "work"),
                       ENV="prot")
            p = subprocess.run([os.path.join(ROOT, "scripts", "deploy-local.sh")], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
            out = p.stdout
            table = out[out.index("== deploy-local result =="):]
            rows = {tuple(l.split()[:2]): l for l in table.splitlines()[2:] if l.startswith(
                ("verify", "update", "destroy", "retained"))}
            self.assertEqual(p.returncode, 0, out)
            self.assertIn(" REFUSED ", rows[("destroy", "prot-data")])
            self.assertIn("prot-db: DeletionProtection", rows[("destroy", "prot-data")])
            self.assertIn("PASS    AWS::RDS::DBInstance Snapshot: database prot-db still exists",
                          rows[("retained", "prot-data/Db")])
            self.assertIn("PASS    AWS::Backup::BackupVault Retain: vault prot-vault exists",
                          rows[("retained", "prot-data/Vault")])
            self.assertRegex(table, r"update +database physical ID +PASS +CloudFormation physical ID prot-db -> prot-db")
            self.assertRegex(table, r"update +backup retention +PASS +1 -> 2 days")
            self.assertRegex(table, r"verify +data: deletion protection as the profile asks +PASS +DeletionProtection=True")
            self.assertRegex(table, r"verify +data: PHI bucket is SSE-KMS with its own key and the bucket key +PASS")
            self.assertRegex(table, r"verify +data: PHI bucket policy \(TLS only, SSE-KMS uploads with its key only\) +GAP")


if __name__ == "__main__":
    unittest.main()
