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
    iso_name, iso = _document(env, st, "-IsolateData")
    rec_name, rec = _document(env, st, "-ReconnectData")
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
    iso_name, iso = _document(env, st, "-IsolateAccess")
    rec_name, rec = _document(env, st, "-ReconnectAccess")
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


def gaps(env):
    """The named GAP rows, when the environment has an isolation stack."""
    if not env.stack("isolation"):
        return []
    return [(name, GAP, reason) for name, reason in GAPS.items()]


CHECKS = [data_tier, access_tier]
