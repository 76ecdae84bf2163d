"""Isolation checks of `make deploy-local`: the isolation documents' step
scripts, run against the deployed environment with the documents' own
parameter defaults (as CloudFormation resolved them), through the same API
calls the documents make. Automation itself is not run: see GAPS."""
import json
import re

from scripts.emulator.verify import FAIL, GAP, PASS, check, client, deployed

# What the emulator cannot show, by check name (accepted in run.ACCEPTED_GAPS).
GAPS = {
    "isolation: documents run as Automation executions (runtime, assumeRole, step outputs)":
        "moto has no Automation runtime (StartAutomationExecution): the step scripts run directly, "
        "with the documents' parameter defaults",
    "isolation: only the MFA-gated responder role may start them":
        "moto does not evaluate IAM policies or the MFA condition; the template assertions check the policies",
    "isolation: every execution notifies the audit alarm topic":
        "moto's EventBridge emits no SSM Automation status-change events",
}
# Shown only for an environment whose access documents have the VPN step: for
# one without a VPN there is nothing the emulator leaves unproven.
VPN_GAP = "isolation: Client VPN rules revoked and re-authorized, connections terminated"
GAPS[VPN_GAP] = ("moto 5.2 has no Client VPN API (no endpoint, rule or connection calls): client_vpn.py is run "
                 "against botocore's EC2 model with Stubber instead (test_isolation.py)")


def _document(env, st, suffix):
    """(name, content) of the deployed Automation document whose name ends with suffix."""
    res = env.template(st)["Resources"]
    for lid in env.resources(st, "AWS::SSM::Document"):
        name = res[lid]["Properties"].get("Name", "")
        if name.endswith(suffix):
            deployed(env, st, "AWS::SSM::Document")
            doc = client("ssm").get_document(Name=name, DocumentFormat="JSON")
            raw = doc["Content"]  # moto returns a CloudFormation-made document's content as an object
            return name, json.loads(raw) if isinstance(raw, str) else raw
    return None, None


def _documents(env, st, tier):
    """The ((name, content), (name, content)) of the tier's isolate and reconnect documents."""
    return _document(env, st, "-Isolate" + tier), _document(env, st, "-Reconnect" + tier)


def run_document(content):
    """Run the document's aws:executeScript steps with its parameter defaults."""
    params = {k: v.get("default") for k, v in content["parameters"].items()}
    out = []
    for step in content["mainSteps"]:
        inputs = step["inputs"]
        events = {}
        for k, v in inputs.get("InputPayload", {}).items():
            m = re.fullmatch(r"\{\{ *(\w+) *\}\}", str(v))
            events[k] = params[m.group(1)] if m else v
        scope = {}
        exec(compile(inputs["Script"], step["name"], "exec"), scope)
        out += scope[inputs["Handler"]](events, None).get("Changes", [])
    return out


def _associations(subnets):
    acls = client("ec2").describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": sorted(subnets)}])["NetworkAcls"]
    return {a["SubnetId"]: acl["NetworkAclId"] for acl in acls for a in acl.get("Associations", [])
            if a["SubnetId"] in subnets}


def _database(env):
    st = env.stack("data")
    rds = client("rds")
    if env.resources(st, "AWS::RDS::DBCluster"):
        c = rds.describe_db_clusters(DBClusterIdentifier=env.physical(st, env.resources(st, "AWS::RDS::DBCluster")[0]))["DBClusters"][0]
        return {k: c.get(k) for k in ("Status", "Endpoint", "StorageEncrypted", "KmsKeyId", "VpcSecurityGroups", "DBSubnetGroup", "ClusterCreateTime")}
    i = rds.describe_db_instances(DBInstanceIdentifier=env.physical(st, env.resources(st, "AWS::RDS::DBInstance")[0]))["DBInstances"][0]
    return {k: i.get(k) for k in ("DBInstanceStatus", "Endpoint", "StorageEncrypted", "KmsKeyId", "AllocatedStorage",
                                  "VpcSecurityGroups", "InstanceCreateTime")}


def _db_sg_rules(env):
    st = env.stack("data")
    sg = env.physical(st, env.resources(st, "AWS::EC2::SecurityGroup", "/Database/")[0])
    g = client("ec2").describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]
    return sorted(json.dumps(p, sort_keys=True, default=str) for p in g.get("IpPermissions", []))


def _acl(acl_id):
    return client("ec2").describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]


def _entries(acl):
    return sorted(json.dumps(e, sort_keys=True, default=str) for e in acl.get("Entries", []))


@check("isolation: data tier cut by IsolateData, restored by ReconnectData; ACL associations and database unchanged",
       needs="isolation")
def data_tier(env, st):
    (iso_name, iso), (rec_name, rec) = _documents(env, st, "Data")
    if not iso or not rec:
        return FAIL, "no IsolateData/ReconnectData documents in %s" % st
    subnets = set(iso["parameters"]["SubnetIds"]["default"])
    acl_id = iso["parameters"]["NetworkAclId"]["default"]
    if rec["parameters"]["NetworkAclId"]["default"] != acl_id:
        return FAIL, "%s and %s name different ACLs" % (iso_name, rec_name)
    rule = int(iso["parameters"]["Ipv4RuleNumber"]["default"])
    before, db_before, sg_before = _associations(subnets), _database(env), _db_sg_rules(env)
    acl_before = _acl(acl_id)
    assoc_ids = sorted(a["NetworkAclAssociationId"] for a in acl_before.get("Associations", []))
    if set(before) != subnets or set(before.values()) != {acl_id}:
        return FAIL, "before isolation: associations %s, want every data subnet on %s" % (before, acl_id)
    allow_rules = sorted(e["RuleNumber"] for e in acl_before["Entries"] if e["RuleAction"] == "allow")
    if not allow_rules or min(allow_rules) <= rule:
        return FAIL, "%s: allow entries at %s, want them all after the isolation rule %d" % (acl_id, allow_rules, rule)
    run_document(iso)
    run_document(iso)  # a second run changes nothing
    acl_during = _acl(acl_id)
    deny = {bool(e["Egress"]) for e in acl_during["Entries"]
            if e["RuleNumber"] == rule and e["RuleAction"] == "deny" and str(e["Protocol"]) == "-1"
            and e.get("CidrBlock") == "0.0.0.0/0"}
    added = len(acl_during["Entries"]) - len(acl_before["Entries"])
    if deny != {False, True} or added != 2:
        return FAIL, "%s: deny-all at rule %d for %s (egress), %d entries added; want ingress and egress, 2 entries" % (
            iso_name, rule, sorted(deny), added)
    during_assoc = sorted(a["NetworkAclAssociationId"] for a in acl_during.get("Associations", []))
    if _associations(subnets) != before or during_assoc != assoc_ids:
        return FAIL, "%s changed the ACL associations: %s -> %s" % (iso_name, assoc_ids, during_assoc)
    if _database(env) != db_before:
        return FAIL, "isolation changed the database: %s -> %s" % (db_before, _database(env))
    run_document(rec)
    changes = run_document(rec)  # a second run changes nothing
    acl_after = _acl(acl_id)
    after, db_after, sg_after = _associations(subnets), _database(env), _db_sg_rules(env)
    after_assoc = sorted(a["NetworkAclAssociationId"] for a in acl_after.get("Associations", []))
    if _entries(acl_after) != _entries(acl_before):
        return FAIL, "%s: entries %s, want the synthesized %s" % (rec_name, _entries(acl_after), _entries(acl_before))
    if after != before or after_assoc != assoc_ids or db_after != db_before or sg_after != sg_before:
        return FAIL, "%s: associations %s (synthesized %s, IDs %s -> %s); database changed %s; SG rules changed %s" % (
            rec_name, after, before, assoc_ids, after_assoc, db_after != db_before, sg_after != sg_before)
    return PASS, ("%s: deny-all ingress and egress at rule %d of %s (allow entries from %d), twice; %s: deleted, "
                  "entries as synthesized (again: %s); %d data subnet associations %s unchanged; "
                  "database %s, unchanged; its %d SG rules unchanged" % (
                      iso_name, rule, acl_id, allow_rules[0], rec_name, "; ".join(changes), len(subnets),
                      ",".join(assoc_ids), db_after.get("DBInstanceStatus") or db_after.get("Status"), len(sg_after)))


@check("isolation: bastion stopped by IsolateAccess, started by ReconnectAccess", needs="isolation")
def access_tier(env, st):
    (iso_name, iso), (rec_name, rec) = _documents(env, st, "Access")
    if not iso or not rec:
        return FAIL, "no IsolateAccess/ReconnectAccess documents in %s" % st
    ids = [i for i in iso["parameters"]["InstanceIds"]["default"] if i != "none"]
    if not ids:
        return PASS, "no always-on bastion: %s sets the bastion group to 0" % iso_name
    ec2 = client("ec2")

    def state():
        return [i["State"]["Name"] for r in ec2.describe_instances(InstanceIds=ids)["Reservations"] for i in r["Instances"]]
    run_document(iso)
    stopped = state()
    run_document(rec)
    started = state()
    if set(stopped) - {"stopping", "stopped"} or set(started) - {"pending", "running"}:
        return FAIL, "%s: %s after isolate, %s after reconnect" % (ids, stopped, started)
    return PASS, "%s: %s by %s, %s by %s" % (",".join(ids), stopped[0], iso_name, started[0], rec_name)


# What ReconnectEdge restores and CloudFormation's drift detection compares
# with the template; the rest of GetWebACL (ARN, Capacity, LockToken, ...) is
# WAF's own. botocore leaves members WAF did not set out of the answer.
EDGE_SETTINGS = ("DefaultAction", "Rules", "VisibilityConfig")


def _same(a, b):
    """Equal as JSON values: same keys and values, and 1, "1" and True differ."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _web_acl(key):
    """The web ACL's settings EDGE_SETTINGS, and every other one but the LockToken."""
    acl = dict(client("wafv2").get_web_acl(**key)["WebACL"])
    acl.pop("LockToken", None)
    return {k: acl.pop(k, None) for k in EDGE_SETTINGS}, acl


def _acl_key(doc):
    p = doc["parameters"]
    return {"Name": p["WebAclName"]["default"], "Id": p["WebAclId"]["default"], "Scope": p["Scope"]["default"]}


@check("isolation: edge blocked by IsolateEdge, restored by ReconnectEdge as the app template has it (no drift)",
       needs="isolation")
def edge_tier(env, st):
    (iso_name, iso), (rec_name, rec) = _documents(env, st, "Edge")
    if not iso or not rec:
        return FAIL, "no IsolateEdge/ReconnectEdge documents in %s" % st
    key, rec_key = _acl_key(iso), _acl_key(rec)
    app = env.stack("app")
    if not app:
        return FAIL, "%s has edge documents but the environment has no app stack" % st
    lid = env.resources(app, "AWS::WAFv2::WebACL")
    if len(lid) != 1:
        return FAIL, "%d AWS::WAFv2::WebACL in %s, expected one" % (len(lid), app)
    deployed(env, app, "AWS::WAFv2::WebACL")
    props = env.template(app)["Resources"][lid[0]]["Properties"]
    # The template's settings, with Rules absent meaning none (as for WAF).
    template = {k: props.get(k, [] if k == "Rules" else None) for k in EDGE_SETTINGS}
    if "Fn::" in json.dumps(template) or '"Ref"' in json.dumps(template):
        return FAIL, "%s's web ACL settings hold intrinsics; this check compares literal templates only" % app
    if rec_key != key or "%(Name)s|%(Id)s|%(Scope)s" % key != env.physical(app, lid[0]):
        return FAIL, "%s targets %s, %s targets %s; the app's web ACL is %s" % (
            iso_name, key, rec_name, rec_key, env.physical(app, lid[0]))
    waf = client("wafv2")
    lb = env.physical(app, env.resources(app, "AWS::ElasticLoadBalancingV2::LoadBalancer")[0])

    def protecting():
        return (waf.get_web_acl_for_resource(ResourceArn=lb).get("WebACL") or {}).get("Name")
    before, rest = _web_acl(key)
    if not _same(before, template):
        return FAIL, "deployed web ACL %s differs from the template %s" % (before, template)
    if protecting() != key["Name"]:
        return FAIL, "load balancer %s is protected by %s, not %s" % (lb, protecting(), key["Name"])
    want_rules = json.loads(iso["parameters"]["Rules"]["default"])
    if {r["Name"] for r in want_rules} - {"IsolationAllowResponders"}:
        return FAIL, "%s sets rules %s, want none or only IsolationAllowResponders" % (iso_name, want_rules)
    run_document(iso)
    run_document(iso)  # a second run changes nothing
    during, rest_during = _web_acl(key)
    if during["DefaultAction"] != {"Block": {}} or not _same(during["Rules"], want_rules):
        return FAIL, "%s: default action %s, rules %s; want Block and %s" % (
            iso_name, during["DefaultAction"], [r["Name"] for r in during["Rules"]], want_rules)
    if not _same(during["VisibilityConfig"], before["VisibilityConfig"]) or not _same(rest_during, rest) \
            or protecting() != key["Name"]:
        return FAIL, "%s changed other settings: %s -> %s, %s; protects the load balancer: %s" % (
            iso_name, rest, rest_during, during["VisibilityConfig"], protecting())
    run_document(rec)
    changes = run_document(rec)  # a second run changes nothing
    after, rest_after = _web_acl(key)
    for name, state in (("before isolation", before), ("the template", template)):
        for k in EDGE_SETTINGS:
            if not _same(after[k], state[k]):
                return FAIL, "%s: %s %s, %s has %s" % (rec_name, k, json.dumps(after[k], sort_keys=True), name,
                                                       json.dumps(state[k], sort_keys=True))
    if not _same(rest_after, rest) or protecting() != key["Name"]:
        return FAIL, "%s changed other settings: %s -> %s; protects the load balancer: %s" % (
            rec_name, rest, rest_after, protecting())

    def names(rules):
        return ",".join(r["Name"] for r in rules) or "none"
    return PASS, ("%s: default action Block, rules %s, twice; %s: default action %s, rules %s, visibility config "
                  "%s: equal to before and to %s's template (again: %s); other settings kept; protects %s throughout" % (
                      iso_name, names(want_rules), rec_name, ",".join(after["DefaultAction"]), names(after["Rules"]),
                      after["VisibilityConfig"]["MetricName"], app, "; ".join(changes), lb.split("/")[-2]))


def _has_vpn_step(env, st):
    res = env.template(st)["Resources"]
    return any(step.get("name") == "IsolateClientVpn" for lid in env.resources(st, "AWS::SSM::Document")
               for step in (res[lid]["Properties"].get("Content") or {}).get("mainSteps", []))


def gaps(env):
    """The named GAP rows, when the environment has an isolation stack (the
    Client VPN's only when its access documents have the VPN step)."""
    st = env.stack("isolation")
    if not st:
        return []
    vpn = _has_vpn_step(env, st)
    return [(name, GAP, reason) for name, reason in GAPS.items() if name != VPN_GAP or vpn]


CHECKS = [data_tier, access_tier, edge_tier]
