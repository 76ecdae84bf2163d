"""The edge isolation check (isolation.edge_tier) on the emulator: an app
stack with its web ACL and an isolation stack with the edge documents, which
run web_acl.py as IsolateEdge and ReconnectEdge do. Same server as
test_handlers (run from the repository root):

    python3 -m unittest scripts.emulator.test_isolation_edge -v
"""
import copy
import json
import os

from scripts.emulator import isolation, verify
from scripts.emulator.test_handlers import EmulatorTest, client, setUpModule, tearDownModule  # noqa: F401
from scripts.emulator.test_handlers_app import app_template, audit_template, certificate, network_template

WEB_ACL_PY = os.path.join(os.path.dirname(__file__), "..", "..", "constructs", "tierisolation", "scripts", "web_acl.py")


def edge_document(env, verb, default_action, rules):
    """An Automation document like TierIsolation's edge ones, aimed at the app
    stack's web ACL through its exported Ref (name|id|scope)."""
    with open(WEB_ACL_PY) as f:
        script = f.read()
    ref = {"Fn::ImportValue": env + "-WebAclRef"}
    params = {"WebAclName": {"Fn::Select": [0, {"Fn::Split": ["|", ref]}]},
              "WebAclId": {"Fn::Select": [1, {"Fn::Split": ["|", ref]}]}, "Scope": "REGIONAL",
              "DefaultAction": json.dumps(default_action), "Rules": json.dumps(rules)}
    return {"Type": "AWS::SSM::Document", "Properties": {
        "Name": "%s-isolation-%sEdge" % (env, verb), "DocumentType": "Automation", "DocumentFormat": "JSON",
        "Content": {"schemaVersion": "0.3", "parameters": {k: {"type": "String", "default": v} for k, v in params.items()},
                    "mainSteps": [{"name": verb, "action": "aws:executeScript", "inputs": {
                        "Runtime": "python3.11", "Handler": "handler", "Script": script,
                        "InputPayload": {k: "{{ %s }}" % k for k in params}}}]}}}


class EdgeTierTest(EmulatorTest):
    def deploy(self, env, reconnect_rules=None):
        cert = certificate()
        app = app_template(env, cert)
        app["Outputs"] = {"WebAclRef": {"Value": {"Ref": "WebAcl"}, "Export": {"Name": env + "-WebAclRef"}}}
        acl = app["Resources"]["WebAcl"]["Properties"]
        iso = {"Resources": {
            "Isolate": edge_document(env, "Isolate", {"Block": {}}, []),
            "Reconnect": edge_document(env, "Reconnect", acl["DefaultAction"],
                                       acl["Rules"] if reconnect_rules is None else reconnect_rules)}}
        stacks = {"network": network_template(), "audit": audit_template(), "app": app, "isolation": iso}
        stacks = {k: json.loads(json.dumps(t).replace("${ENV}", env)) for k, t in stacks.items()}
        env_ = self.deploy_env(env, stacks)
        return env_, env_.physical(env + "-app", "WebAcl").split("|")

    def test_isolate_blocks_with_no_rules_and_reconnect_restores_the_template(self):
        env, (name, acl_id, scope) = self.deploy("edgeok")
        status, detail = isolation.edge_tier(env)
        self.assertEqual(status, verify.PASS, detail)
        self.assertIn("edgeok-isolation-IsolateEdge: default action Block, rules none, twice", detail)
        self.assertIn("default action Allow, rules RateLimit", detail)
        got = client("wafv2").get_web_acl(Name=name, Id=acl_id, Scope=scope)["WebACL"]
        self.assertEqual((got["DefaultAction"], [r["Name"] for r in got["Rules"]]), ({"Allow": {}}, ["RateLimit"]))

    def test_a_reconnect_that_leaves_drift_fails(self):
        rules = copy.deepcopy(app_template("x", "arn")["Resources"]["WebAcl"]["Properties"]["Rules"])
        rules[0]["Statement"]["RateBasedStatement"]["Limit"] = 2000
        env, _ = self.deploy("edgedrift", reconnect_rules=rules)
        status, detail = isolation.edge_tier(env)
        self.assertEqual(status, verify.FAIL, detail)
        self.assertIn("edgedrift-isolation-ReconnectEdge: Rules", detail)
        self.assertIn('"Limit": 2000', detail)

    def test_a_reconnect_the_waf_model_refuses_fails(self):
        rules = copy.deepcopy(app_template("x", "arn")["Resources"]["WebAcl"]["Properties"]["Rules"])
        rules[0]["Priority"] = "0"  # a string where WAF takes an integer
        env, _ = self.deploy("edgebad", reconnect_rules=rules)
        status, detail = verify.run_checks(env, [isolation.edge_tier])[0][1:]
        self.assertEqual(status, verify.FAIL, detail)
        self.assertIn("ParamValidationError", detail)

    def test_an_empty_rule_list_removes_every_rule(self):
        # moto kept the old rules for Rules []; AWS (and overrides.py) sets none
        self.deploy("edgeempty")
        waf = client("wafv2")
        acl = [a for a in waf.list_web_acls(Scope="REGIONAL")["WebACLs"] if a["Name"] == "edgeempty-acl"][0]
        got = waf.get_web_acl(Name=acl["Name"], Id=acl["Id"], Scope="REGIONAL")
        waf.update_web_acl(Name=acl["Name"], Id=acl["Id"], Scope="REGIONAL", LockToken=got["LockToken"],
                           DefaultAction={"Block": {}}, Rules=[], VisibilityConfig=got["WebACL"]["VisibilityConfig"])
        self.assertEqual(waf.get_web_acl(Name=acl["Name"], Id=acl["Id"], Scope="REGIONAL")["WebACL"]["Rules"], [])
