"""Tests of the isolation checks' document runner (no emulator needed)."""
import os
import sys
import types
import unittest

from botocore.exceptions import ClientError

from scripts.emulator import isolation, run

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "constructs", "tierisolation", "scripts", "network_acl.py")


class FakeEc2:
    """describe_network_acls / create_network_acl_entry / delete_network_acl_entry on one ACL."""

    def __init__(self, entries, subnets=("subnet-1",)):
        self.acl = {"NetworkAclId": "acl-data", "Entries": list(entries),
                    "Associations": [{"SubnetId": s, "NetworkAclAssociationId": "aclassoc-" + s} for s in subnets]}
        self.calls = []

    def describe_network_acls(self, NetworkAclIds):
        return {"NetworkAcls": [dict(self.acl, Entries=list(self.acl["Entries"]))]}

    def create_network_acl_entry(self, **kw):
        self.calls.append(("create", kw))
        self.acl["Entries"].append({"RuleNumber": kw["RuleNumber"], "Egress": kw["Egress"], "Protocol": kw["Protocol"],
                                    "RuleAction": kw["RuleAction"],
                                    **{k: kw[k] for k in ("CidrBlock", "Ipv6CidrBlock") if k in kw}})

    def delete_network_acl_entry(self, NetworkAclId, RuleNumber, Egress):
        self.calls.append(("delete", RuleNumber, Egress))
        kept = [e for e in self.acl["Entries"] if (e["RuleNumber"], e["Egress"]) != (RuleNumber, Egress)]
        if len(kept) == len(self.acl["Entries"]):
            raise ClientError({"Error": {"Code": "InvalidNetworkAclEntry.NotFound"}}, "DeleteNetworkAclEntry")
        self.acl["Entries"] = kept


def allow(n, egress, **cidr):
    return {"RuleNumber": n, "Egress": egress, "Protocol": "6", "RuleAction": "allow", **(cidr or {"CidrBlock": "10.0.0.0/24"})}


class NetworkAclScriptTest(unittest.TestCase):
    def run_script(self, ec2, action, subnets=("subnet-1",)):
        scope = {}
        with open(SCRIPT) as f:
            exec(compile(f.read(), "network_acl.py", "exec"), scope)
        fake = types.ModuleType("boto3")
        fake.client = lambda name: ec2
        saved = sys.modules.get("boto3")
        sys.modules["boto3"] = fake
        try:
            return scope["handler"]({"NetworkAclId": "acl-data", "Action": action, "SubnetIds": list(subnets),
                                     "Ipv4RuleNumber": "1", "Ipv6RuleNumber": "2"}, None)["Changes"]
        finally:
            sys.modules["boto3"] = saved

    def test_isolate_adds_deny_all_and_reconnect_deletes_exactly_it_twice_safe(self):
        synthesized = [allow(100, False), allow(100, True)]
        ec2 = FakeEc2(synthesized)
        self.run_script(ec2, "isolate")
        self.assertEqual(len(ec2.calls), 2)
        self.run_script(ec2, "isolate")
        self.assertEqual(len(ec2.calls), 2, "a second isolate adds nothing")
        self.assertEqual(sorted((e["RuleNumber"], e["Egress"]) for e in ec2.acl["Entries"] if e["RuleAction"] == "deny"),
                         [(1, False), (1, True)])
        self.assertTrue(all(kw["Protocol"] == "-1" and kw["CidrBlock"] == "0.0.0.0/0" for _, kw in ec2.calls))
        self.run_script(ec2, "reconnect")
        self.assertEqual(ec2.acl["Entries"], synthesized)
        changes = self.run_script(ec2, "reconnect")
        self.assertEqual(ec2.acl["Entries"], synthesized)
        self.assertTrue(all("no isolation entry" in c for c in changes), changes)

    def test_ipv6_entries_get_a_deny_for_all_ipv6(self):
        ec2 = FakeEc2([allow(100, False), allow(101, False, Ipv6CidrBlock="fd00::/64")])
        self.run_script(ec2, "isolate")
        self.assertIn("::/0", [kw.get("Ipv6CidrBlock") for _, kw in ec2.calls])
        self.assertEqual(len(ec2.calls), 4)
        self.run_script(ec2, "reconnect")
        self.assertEqual(len(ec2.acl["Entries"]), 2)

    def test_a_taken_rule_number_or_a_subnet_off_the_acl_fails_isolate(self):
        with self.assertRaisesRegex(Exception, "taken"):
            self.run_script(FakeEc2([allow(1, False)]), "isolate")
        with self.assertRaisesRegex(Exception, "not associated"):
            self.run_script(FakeEc2([]), "isolate", subnets=("subnet-1", "subnet-9"))

    def test_reconnect_leaves_another_entry_at_the_rule_number(self):
        ec2 = FakeEc2([allow(1, False)])
        self.run_script(ec2, "reconnect")
        self.assertEqual(ec2.calls, [])

    def test_a_delete_that_finds_nothing_is_ignored(self):
        ec2 = FakeEc2([])
        ec2.describe_network_acls = lambda NetworkAclIds: {"NetworkAcls": [{
            "NetworkAclId": "acl-data", "Associations": [{"SubnetId": "subnet-1"}],
            "Entries": [{"RuleNumber": 1, "Egress": e, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"}
                        for e in (False, True)]}]}
        changes = self.run_script(ec2, "reconnect")
        self.assertTrue(all("already deleted" in c for c in changes), changes)


class RunDocumentTest(unittest.TestCase):
    def test_runs_each_script_step_with_the_parameter_defaults(self):
        content = {
            "parameters": {"SubnetIds": {"type": "StringList", "default": ["subnet-1", "subnet-2"]},
                           "NetworkAclId": {"type": "String", "default": "acl-deny"}},
            "mainSteps": [{"name": "Isolate", "action": "aws:executeScript", "inputs": {
                "Handler": "handler", "InputPayload": {"SubnetIds": "{{ SubnetIds }}", "NetworkAclId": "{{NetworkAclId}}"},
                "Script": "def handler(events, context):\n"
                          "    return {'Changes': [s + '->' + events['NetworkAclId'] for s in events['SubnetIds']]}\n"}}],
        }
        self.assertEqual(isolation.run_document(content), ["subnet-1->acl-deny", "subnet-2->acl-deny"])

    def test_a_failing_script_fails(self):
        content = {"parameters": {}, "mainSteps": [{"name": "S", "inputs": {
            "Handler": "handler", "Script": "def handler(e, c):\n    raise Exception('no association')\n"}}]}
        with self.assertRaisesRegex(Exception, "no association"):
            isolation.run_document(content)

    def test_every_isolation_gap_is_named_and_accepted(self):
        for name, reason in isolation.GAPS.items():
            self.assertTrue(name.startswith("isolation: ") and reason)
            self.assertEqual(run.ACCEPTED_GAPS[name], reason)


if __name__ == "__main__":
    unittest.main()
