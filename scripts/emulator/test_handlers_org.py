"""Tests of deploy-local's AWS::Organizations::Policy handler (handlers.py)
against moto's server, in-process (run from the repository root):

    python3 -m unittest scripts.emulator.test_handlers_org -v

An organization with two OUs is created once for the module (moto keeps one
organization per management account); each test uses its own stack and
policy names. The result is read back through the Organizations API.
"""
import json
import unittest

from botocore.exceptions import ClientError

from scripts.emulator import handlers, org
from scripts.emulator.test_handlers import EmulatorTest, client, setUpModule, tearDownModule  # noqa: F401

_ORG = {}


def organization():
    """The emulator's organization (created once) and two OUs under its root."""
    if not _ORG:
        org = client("organizations")
        try:
            org.create_organization(FeatureSet="ALL")
        except org.exceptions.AlreadyInOrganizationException:
            pass
        root = org.list_roots()["Roots"][0]["Id"]
        try:
            org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
        except Exception:  # already enabled by another module of the run
            pass
        ous = {ou["Name"]: ou["Id"] for ou in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]}
        for name in ("handler-phi", "handler-other"):
            if name not in ous:
                ous[name] = org.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]["Id"]
        _ORG.update(root=root, phi=ous["handler-phi"], other=ous["handler-other"])
    return _ORG


def scp(name, targets, statements=None):
    content = {"Version": "2012-10-17", "Statement": statements or [
        {"Sid": "DenyLeavingTheOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization",
         "Resource": "*"}]}
    return {"Type": "AWS::Organizations::Policy", "Properties": {
        "Name": name, "Type": "SERVICE_CONTROL_POLICY", "Description": "test " + name,
        "Content": json.dumps(content, separators=(",", ":")), "TargetIds": targets}}


class OrganizationsPolicyTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.org = client("organizations")
        self.ids = organization()

    def policies(self):
        return {p["Name"]: p for p in self.org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]}

    def targets(self, policy_id):
        return sorted(t["TargetId"] for t in self.org.list_targets_for_policy(PolicyId=policy_id)["Targets"])

    def test_policy_is_created_attached_and_deleted_with_the_stack(self):
        phys = self.create("org-policy-ok", {"Resources": {
            "Guard": scp("t-guard", [self.ids["phi"], self.ids["other"]]),
            "Phi": scp("t-phi", [self.ids["phi"]])}})
        got = self.policies()
        self.assertEqual(got["t-guard"]["Id"], phys["Guard"])
        self.assertEqual(self.targets(phys["Guard"]), sorted([self.ids["phi"], self.ids["other"]]))
        self.assertEqual(self.targets(phys["Phi"]), [self.ids["phi"]])
        content = json.loads(self.org.describe_policy(PolicyId=phys["Guard"])["Policy"]["Content"])
        self.assertEqual(content["Statement"][0]["Sid"], "DenyLeavingTheOrganization")
        attached = {p["Name"] for p in self.org.list_policies_for_target(
            TargetId=self.ids["phi"], Filter="SERVICE_CONTROL_POLICY")["Policies"]}
        self.assertTrue({"t-guard", "t-phi"} <= attached)
        self.cfn.delete_stack(StackName="org-policy-ok")
        self.assertNotIn("t-guard", self.policies())
        self.assertNotIn("t-phi", self.policies())

    def test_unknown_target_fails_and_leaves_no_policy(self):
        # The API's error reaches CreateStack's caller (moto creates the
        # stack's resources within the call).
        with self.assertRaises(ClientError) as err:
            self.cfn.create_stack(StackName="org-policy-bad-target", TemplateBody=json.dumps(
                {"Resources": {"Guard": scp("t-bad-target", ["ou-zzzz-doesnotexist"])}}))
        self.assertEqual(err.exception.response["Error"]["Code"], "OrganizationalUnitNotFoundException")
        self.assertNotIn("t-bad-target", self.policies())

    def test_policy_over_the_scp_size_limit_fails(self):
        big = [{"Sid": "S%03d" % i, "Effect": "Deny", "Action": "s3:DeleteBucket",
                "Resource": "arn:aws:s3:::bucket-name-that-is-rather-long-%03d" % i} for i in range(60)]
        body = json.dumps({"Resources": {"Guard": scp("t-too-big", [self.ids["phi"]], big)}})
        self.assertGreater(len(json.dumps({"Statement": big}, separators=(",", ":"))), handlers.SCP_MAX_CHARS)
        with self.assertRaises(ClientError) as err:
            self.cfn.create_stack(StackName="org-policy-too-big", TemplateBody=body)
        self.assertEqual(err.exception.response["Error"]["Code"], "ConstraintViolationException")
        self.assertIn("POLICY_CONTENT_LIMIT_EXCEEDED", str(err.exception))
        self.assertNotIn("t-too-big", self.policies())


if __name__ == "__main__":
    unittest.main()


class OrgChecksTest(EmulatorTest):
    """org.check_policies, the verification of make deploy-local-org."""

    def setUp(self):
        super().setUp()
        self.org = client("organizations")
        self.ids = organization()
        self.data = {"eligiblePrefixes": ["s3", "kms"], "allowedActions": ["s3:*", "kms:*", "iam:*"], "readOn": "test"}

    def eligible(self, name, not_action):
        return {"Resources": {"Phi": scp(name, ["ou-xmpl-phi"], [{
            "Sid": "DenyServicesNotHipaaEligible", "Effect": "Deny", "NotAction": not_action, "Resource": "*"}])}}

    def deploy(self, stack, template):
        body = json.dumps(template).replace("ou-xmpl-phi", self.ids["phi"])
        self.create(stack, body)
        self.addCleanup(self.delete_quietly, stack)

    def test_policy_with_every_eligible_prefix_on_its_targets_passes(self):
        t = self.eligible("t-check-ok", ["s3:*", "kms:*", "iam:*"])
        self.deploy("org-check-ok", t)
        rows = org.check_policies(self.org, t, {"ou-xmpl-phi": self.ids["phi"]}, self.data)
        self.assertEqual([r[1] for r in rows], ["PASS"] * 3, rows)

    def test_policy_missing_a_prefix_fails_naming_it(self):
        t = self.eligible("t-check-missing", ["s3:*", "iam:*", "gamelift:*"])
        self.deploy("org-check-missing", t)
        rows = org.check_policies(self.org, t, {"ou-xmpl-phi": self.ids["phi"]}, self.data)
        bad = [r for r in rows if r[1] == "FAIL"]
        self.assertEqual(len(bad), 1, rows)
        self.assertIn("missing ['kms']", bad[0][2])
        self.assertIn("gamelift:*", bad[0][2])

    def test_policy_not_deployed_or_on_other_targets_fails(self):
        t = self.eligible("t-check-elsewhere", ["s3:*", "kms:*", "iam:*"])
        self.deploy("org-check-elsewhere", t)
        rows = org.check_policies(self.org, t, {"ou-xmpl-phi": self.ids["other"]}, self.data)
        self.assertEqual([r[1] for r in rows if "attached" in r[0]], ["FAIL"], rows)
        missing = org.check_policies(self.org, self.eligible("t-never-deployed", ["s3:*"]), {}, self.data)
        self.assertEqual(missing[0][1], "FAIL")
