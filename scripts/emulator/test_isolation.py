"""Tests of the isolation checks' document runner and of the documents' step
scripts (no emulator needed)."""
import contextlib
import glob
import json
import os
import sys
import types
import unittest

import boto3
from botocore.exceptions import ClientError, ParamValidationError
from botocore.stub import Stubber

from scripts.emulator import isolation, run

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
SCRIPTS = os.path.join(ROOT, "constructs", "tierisolation", "scripts")


@contextlib.contextmanager
def boto3_client(client):
    """The step scripts' `import boto3` gives a module whose client() is client."""
    fake = types.ModuleType("boto3")
    fake.client = lambda name: client
    saved = sys.modules.get("boto3")
    sys.modules["boto3"] = fake
    try:
        yield
    finally:
        sys.modules["boto3"] = saved


def script_handler(name):
    scope = {}
    with open(os.path.join(SCRIPTS, name)) as f:
        exec(compile(f.read(), name, "exec"), scope)
    return scope["handler"]


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
        with boto3_client(ec2):
            return script_handler("network_acl.py")({"NetworkAclId": "acl-data", "Action": action,
                                                     "SubnetIds": list(subnets), "Ipv4RuleNumber": "1",
                                                     "Ipv6RuleNumber": "2"}, None)["Changes"]

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


# Stubber checks every request against the service model (names, types,
# required members) and, with expected_params, its exact parameters; a call
# nothing was queued for fails. So these are well-formed API calls, in order.
EP = "cvpn-endpoint-0123456789abcdef0"
GROUP_RULE = {"Cidr": "10.0.0.0/16", "GroupId": "S-1-5-21-ops", "Description": "ops"}
ALL_RULE = {"Cidr": "10.1.0.0/16", "Description": "everyone"}


def vpn_rule(cidr, code, group=None):
    return {"ClientVpnEndpointId": EP, "DestinationCidr": cidr, "GroupId": group or "", "AccessAll": not group,
            "Status": {"Code": code}}


def connection(cid, code):
    return {"ClientVpnEndpointId": EP, "ConnectionId": cid, "Status": {"Code": code}}


def client_error(code):
    return {"service_error_code": code, "service_message": code, "http_status_code": 400}


class ClientVpnScriptTest(unittest.TestCase):
    def setUp(self):
        self.ec2 = boto3.client("ec2", region_name="us-east-1")
        self.stub = Stubber(self.ec2)
        self.stub.activate()
        self.addCleanup(self.stub.deactivate)

    def run_script(self, action, rules=(GROUP_RULE, ALL_RULE)):
        with boto3_client(self.ec2):
            changes = script_handler("client_vpn.py")({"ClientVpnEndpointId": EP, "VpnAction": action,
                                                        "AuthorizationRules": json.dumps(list(rules))}, None)["Changes"]
        self.stub.assert_no_pending_responses()
        return changes

    def rules_described(self, *pages):
        """Queue DescribeClientVpnAuthorizationRules, one page per list, chained by NextToken."""
        for i, page in enumerate(pages):
            params = {"ClientVpnEndpointId": EP, **({"NextToken": "t%d" % i} if i else {})}
            body = {"AuthorizationRules": page, **({"NextToken": "t%d" % (i + 1)} if i + 1 < len(pages) else {})}
            self.stub.add_response("describe_client_vpn_authorization_rules", body, params)

    def test_revoke_revokes_each_rule_over_pages_then_terminates_the_active_connections(self):
        self.rules_described([vpn_rule("10.0.0.0/16", "active", "S-1-5-21-ops")], [vpn_rule("10.1.0.0/16", "active")])
        self.stub.add_response("revoke_client_vpn_ingress", {"Status": {"Code": "revoking"}}, {
            "ClientVpnEndpointId": EP, "TargetNetworkCidr": "10.0.0.0/16", "AccessGroupId": "S-1-5-21-ops"})
        self.stub.add_response("revoke_client_vpn_ingress", {"Status": {"Code": "revoking"}}, {
            "ClientVpnEndpointId": EP, "TargetNetworkCidr": "10.1.0.0/16", "RevokeAllGroups": True})
        self.stub.add_response("describe_client_vpn_connections", {
            "Connections": [connection("cvpn-connection-1", "active"), connection("cvpn-connection-2", "terminated")],
            "NextToken": "c1"}, {"ClientVpnEndpointId": EP})
        self.stub.add_response("describe_client_vpn_connections", {
            "Connections": [connection("cvpn-connection-3", "active"), connection("cvpn-connection-4", "terminating")]},
            {"ClientVpnEndpointId": EP, "NextToken": "c1"})
        for cid in ("cvpn-connection-1", "cvpn-connection-3"):
            self.stub.add_response("terminate_client_vpn_connections", {"ClientVpnEndpointId": EP},
                                   {"ClientVpnEndpointId": EP, "ConnectionId": cid})
        changes = self.run_script("revoke")
        self.assertEqual(changes, ["%s 10.0.0.0/16: revoked" % EP, "%s 10.1.0.0/16: revoked" % EP,
                                   "%s: 2 connection(s) terminated" % EP])

    def test_revoke_skips_rules_already_revoked_or_revoking_and_tolerates_not_found(self):
        # the group rule is gone; the all-groups one is listed but gone by the revoke
        self.rules_described([vpn_rule("10.1.0.0/16", "active"), vpn_rule("10.2.0.0/16", "revoking")])
        self.stub.add_client_error("revoke_client_vpn_ingress", **client_error(
            "InvalidClientVpnEndpointAuthorizationRuleNotFound"))
        self.stub.add_response("describe_client_vpn_connections", {"Connections": []}, {"ClientVpnEndpointId": EP})
        changes = self.run_script("revoke", (GROUP_RULE, ALL_RULE, {"Cidr": "10.2.0.0/16"}))
        self.assertEqual(changes[:3], ["%s %s: already revoked" % (EP, c) for c in ("10.0.0.0/16", "10.1.0.0/16",
                                                                                    "10.2.0.0/16")])
        self.assertEqual(changes[3], "%s: 0 connection(s) terminated" % EP)

    def test_a_rule_for_one_group_is_not_the_all_groups_rule_of_the_same_cidr(self):
        # the endpoint has 10.1.0.0/16 for one group only: the synthesized all-groups rule is not there
        self.rules_described([vpn_rule("10.1.0.0/16", "active", "S-1-5-21-ops")])
        self.stub.add_response("describe_client_vpn_connections", {"Connections": []}, {"ClientVpnEndpointId": EP})
        self.assertIn("%s 10.1.0.0/16: already revoked" % EP, self.run_script("revoke", (ALL_RULE,)))

    def test_revoke_fails_on_any_other_error(self):
        self.rules_described([vpn_rule("10.0.0.0/16", "active", "S-1-5-21-ops")])
        self.stub.add_client_error("revoke_client_vpn_ingress", **client_error("UnauthorizedOperation"))
        with self.assertRaisesRegex(ClientError, "UnauthorizedOperation"):
            self.run_script("revoke", (GROUP_RULE,))

    def test_authorize_authorizes_the_synthesized_rules_with_their_descriptions_and_no_termination(self):
        self.rules_described([])
        self.stub.add_response("authorize_client_vpn_ingress", {"Status": {"Code": "authorizing"}}, {
            "ClientVpnEndpointId": EP, "TargetNetworkCidr": "10.0.0.0/16", "AccessGroupId": "S-1-5-21-ops",
            "Description": "ops"})
        self.stub.add_response("authorize_client_vpn_ingress", {"Status": {"Code": "authorizing"}}, {
            "ClientVpnEndpointId": EP, "TargetNetworkCidr": "10.1.0.0/16", "AuthorizeAllGroups": True,
            "Description": "everyone"})
        self.stub.add_response("authorize_client_vpn_ingress", {"Status": {"Code": "authorizing"}}, {
            "ClientVpnEndpointId": EP, "TargetNetworkCidr": "10.2.0.0/16", "AuthorizeAllGroups": True})
        changes = self.run_script("authorize", (GROUP_RULE, ALL_RULE, {"Cidr": "10.2.0.0/16"}))
        self.assertEqual(changes, ["%s %s: authorized" % (EP, c) for c in ("10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16")])

    def test_authorize_skips_rules_already_authorized_and_tolerates_duplicates(self):
        self.rules_described([vpn_rule("10.0.0.0/16", "active", "S-1-5-21-ops")],
                             [vpn_rule("10.2.0.0/16", "authorizing"), vpn_rule("10.3.0.0/16", "failed")])
        self.stub.add_client_error("authorize_client_vpn_ingress", **client_error("InvalidClientVpnDuplicateAuthorizationRule"))
        self.stub.add_response("authorize_client_vpn_ingress", {"Status": {"Code": "authorizing"}}, {
            "ClientVpnEndpointId": EP, "TargetNetworkCidr": "10.3.0.0/16", "AuthorizeAllGroups": True})
        changes = self.run_script("authorize", (GROUP_RULE, ALL_RULE, {"Cidr": "10.2.0.0/16"}, {"Cidr": "10.3.0.0/16"}))
        self.assertEqual(changes, ["%s 10.0.0.0/16: already authorized" % EP, "%s 10.1.0.0/16: already authorized" % EP,
                                   "%s 10.2.0.0/16: already authorized" % EP, "%s 10.3.0.0/16: authorized" % EP])

    def test_authorize_fails_on_any_other_error(self):
        self.rules_described([])
        self.stub.add_client_error("authorize_client_vpn_ingress", **client_error("InvalidClientVpnEndpointId.NotFound"))
        with self.assertRaises(ClientError):
            self.run_script("authorize", (GROUP_RULE,))

    def test_a_bad_vpn_action_fails_before_any_call(self):
        with self.assertRaisesRegex(Exception, "VpnAction must be revoke or authorize"):
            self.run_script("delete")

    def test_the_stubber_refuses_a_call_the_ec2_model_does_not_allow(self):
        # what the tests above rely on: a queued response is not enough, a
        # malformed request still fails (botocore validates before the stub answers)
        self.stub.add_response("revoke_client_vpn_ingress", {"Status": {"Code": "revoking"}})
        with self.assertRaises(ParamValidationError):
            self.ec2.revoke_client_vpn_ingress(ClientVpnEndpointId=EP, TargetNetworkCidr="10.0.0.0/16", AllGroups=True)


ACL_KEY = {"Name": "devapp-Service", "Scope": "REGIONAL", "Id": "a1b2c3"}
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "devapp-Service"}
MANAGED_RULE = {"Name": "Common", "Priority": 0, "OverrideAction": {"None": {}},
                "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}},
                "VisibilityConfig": dict(VISIBILITY, MetricName="Common")}


class WebAclScriptTest(unittest.TestCase):
    def setUp(self):
        self.waf = boto3.client("wafv2", region_name="us-east-1")
        self.stub = Stubber(self.waf)
        self.stub.activate()
        self.addCleanup(self.stub.deactivate)

    def run_script(self, acl, default_action, rules, sent):
        """Run web_acl.py on a web ACL GetWebACL answers as acl; sent is what
        UpdateWebACL must get besides the key, the LockToken and the two settings."""
        self.stub.add_response("get_web_acl", {"WebACL": acl, "LockToken": "token-1"}, ACL_KEY)
        self.stub.add_response("update_web_acl", {"NextLockToken": "token-2"}, dict(
            ACL_KEY, LockToken="token-1", DefaultAction=json.loads(default_action), Rules=json.loads(rules), **sent))
        with boto3_client(self.waf):
            changes = script_handler("web_acl.py")({"WebAclName": ACL_KEY["Name"], "WebAclId": ACL_KEY["Id"],
                                                    "Scope": ACL_KEY["Scope"], "DefaultAction": default_action,
                                                    "Rules": rules}, None)["Changes"]
        self.stub.assert_no_pending_responses()
        return changes

    def test_sets_the_two_settings_and_sends_back_every_other_one_with_the_lock_token(self):
        kept = {"Description": "PhiService web ACL", "VisibilityConfig": VISIBILITY, "TokenDomains": ["example.org"],
                "CaptchaConfig": {"ImmunityTimeProperty": {"ImmunityTime": 300}},
                "CustomResponseBodies": {"blocked": {"ContentType": "TEXT_PLAIN", "Content": "blocked"}},
                "AssociationConfig": {"RequestBody": {"APPLICATION_LOAD_BALANCER": {"DefaultSizeInspectionLimit": "KB_16"}}},
                # UpdateWebACL without it would stop masking these fields in the logs
                "DataProtectionConfig": {"DataProtections": [{"Field": {"FieldType": "SINGLE_HEADER", "FieldKeys": ["x-patient"]},
                                                              "Action": "SUBSTITUTION"}]}}
        acl = dict(ACL_KEY, ARN="arn:aws:wafv2:us-east-1:123456789012:regional/webacl/devapp-Service/a1b2c3",
                   DefaultAction={"Allow": {}}, Rules=[MANAGED_RULE], Capacity=700, LabelNamespace="awswaf:x:", **kept)
        acl.pop("Scope")
        changes = self.run_script(acl, '{"Block":{}}', "[]", kept)
        self.assertEqual(changes, ["devapp-Service: default action Block, 0 rule(s)"])

    def test_restores_rules_and_sends_no_setting_the_web_acl_does_not_have(self):
        acl = {"Name": ACL_KEY["Name"], "Id": ACL_KEY["Id"], "ARN": "arn:aws:wafv2:us-east-1:1:regional/webacl/x/y",
               "DefaultAction": {"Block": {}}, "Rules": [], "VisibilityConfig": VISIBILITY}
        changes = self.run_script(acl, '{"Allow":{}}', json.dumps([MANAGED_RULE]), {"VisibilityConfig": VISIBILITY})
        self.assertEqual(changes, ["devapp-Service: default action Allow, 1 rule(s)"])

    def test_rules_the_waf_model_refuses_fail(self):
        # the shape jsii gave the synthesized rules of an OverrideAction None ({"$jsii.map": {}})
        bad = dict(MANAGED_RULE, OverrideAction={"None": {"$jsii.map": {}}})
        self.stub.add_response("get_web_acl", {"WebACL": dict({"Name": ACL_KEY["Name"], "Id": ACL_KEY["Id"]}, ARN="arn:aws:wafv2:us-east-1:1:regional/webacl/x/y", DefaultAction={"Block": {}},
                                                              VisibilityConfig=VISIBILITY), "LockToken": "t"}, ACL_KEY)
        self.stub.add_response("update_web_acl", {"NextLockToken": "token-2"})  # any parameters: the model refuses
        with boto3_client(self.waf), self.assertRaises(ParamValidationError):
            script_handler("web_acl.py")({"WebAclName": ACL_KEY["Name"], "WebAclId": ACL_KEY["Id"], "Scope": "REGIONAL",
                                          "DefaultAction": '{"Allow":{}}', "Rules": json.dumps([bad])}, None)


def golden(pattern):
    for path in sorted(glob.glob(os.path.join(ROOT, "assertions_test", "testdata", "golden", pattern))):
        with open(path) as f:
            yield os.path.basename(path), json.load(f)


class GoldenEdgeDocumentsTest(unittest.TestCase):
    """Every environment's edge documents, as synthesized: what they set is
    valid UpdateWebACL input, and ReconnectEdge sets exactly the app
    template's web ACL settings (what drift detection compares)."""

    def test_reconnect_edge_sets_the_app_templates_settings_and_both_are_valid_api_input(self):
        shape = boto3.client("wafv2", region_name="us-east-1").meta.service_model.operation_model("UpdateWebACL")
        from botocore.validate import ParamValidator
        seen = 0
        for name, t in golden("*-isolation.template.json"):
            env = name.split("-isolation")[0]
            apps = dict(golden("%s-app.template.json" % env))
            acl = [r["Properties"] for a in apps.values() for r in a["Resources"].values()
                   if r["Type"] == "AWS::WAFv2::WebACL"]
            for r in t["Resources"].values():
                params = (r["Properties"].get("Content") or {}).get("parameters", {}) if r["Type"] == "AWS::SSM::Document" else {}
                if "Rules" not in params or not isinstance(params["Rules"]["default"], str):
                    continue  # not an edge document, or rules with a token (an IP set's ARN)
                seen += 1
                got = {"DefaultAction": json.loads(params["DefaultAction"]["default"]),
                       "Rules": json.loads(params["Rules"]["default"])}
                report = ParamValidator().validate(dict(ACL_KEY, LockToken="t", VisibilityConfig=VISIBILITY, **got),
                                                   shape.input_shape)
                self.assertFalse(report.has_errors(), "%s %s: %s" % (name, r["Properties"]["Name"], report.generate_report()))
                if r["Properties"]["Name"].endswith("-ReconnectEdge"):
                    self.assertEqual(len(acl), 1, name)
                    self.assertTrue(isolation._same(got, {k: acl[0].get(k, []) for k in got}),
                                    "%s: ReconnectEdge sets %s, the app template has %s" % (
                                        name, got, {k: acl[0].get(k) for k in got}))
        self.assertGreater(seen, 0, "no edge documents in the goldens")


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

    def test_the_client_vpn_gap_is_shown_only_when_the_access_documents_revoke_a_vpn(self):
        class Env:
            def __init__(self, steps):
                self.t = {"Resources": {"Doc": {"Type": "AWS::SSM::Document", "Properties": {
                    "Content": {"mainSteps": [{"name": n} for n in steps]}}}}}

            def stack(self, kind):
                return "dev-isolation" if kind == "isolation" else None

            def template(self, st):
                return self.t

            def resources(self, st, rtype):
                return ["Doc"] if rtype == "AWS::SSM::Document" else []
        with_vpn = [name for name, _, _ in isolation.gaps(Env(["Isolate", "IsolateClientVpn"]))]
        without = [name for name, _, _ in isolation.gaps(Env(["Isolate"]))]
        self.assertIn(isolation.VPN_GAP, with_vpn)
        self.assertNotIn(isolation.VPN_GAP, without)
        self.assertEqual(set(with_vpn) - set(without), {isolation.VPN_GAP})
        self.assertIn("no Client VPN API", isolation.GAPS[isolation.VPN_GAP])

    def test_every_isolation_gap_is_named_and_accepted(self):
        for name, reason in isolation.GAPS.items():
            self.assertTrue(name.startswith("isolation: ") and reason)
            self.assertEqual(run.ACCEPTED_GAPS[name], reason)


if __name__ == "__main__":
    unittest.main()
