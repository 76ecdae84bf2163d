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


@check("isolation: data tier cut by IsolateData, restored by ReconnectData; database unchanged", needs="isolation")
def data_tier(env, st):
    iso_name, iso = _document(env, st, "-IsolateData")
    rec_name, rec = _document(env, st, "-ReconnectData")
    if not iso or not rec:
        return FAIL, "no IsolateData/ReconnectData documents in %s" % st
    subnets = set(iso["parameters"]["SubnetIds"]["default"])
    deny = iso["parameters"]["NetworkAclId"]["default"]
    ec2 = client("ec2")
    before, db_before, sg_before = _associations(subnets), _database(env), _db_sg_rules(env)
    if set(before) != subnets or deny in before.values():
        return FAIL, "before isolation: associations %s" % before
    entries = ec2.describe_network_acls(NetworkAclIds=[deny])["NetworkAcls"][0]["Entries"]
    allows = [e for e in entries if e["RuleAction"] == "allow"]
    run_document(iso)
    during = _associations(subnets)
    if set(during.values()) != {deny} or allows:
        return FAIL, "%s: data subnets on %s, want all on the deny-all ACL %s (allow entries %s)" % (iso_name, during, deny, allows)
    if _database(env) != db_before:
        return FAIL, "isolation changed the database: %s -> %s" % (db_before, _database(env))
    changes = run_document(rec)
    after, db_after, sg_after = _associations(subnets), _database(env), _db_sg_rules(env)
    if after != before or db_after != db_before or sg_after != sg_before:
        return FAIL, "%s: associations %s (synthesized %s); database changed %s; SG rules changed %s" % (
            rec_name, after, before, db_after != db_before, sg_after != sg_before)
    return PASS, ("%s: %d data subnets on deny-all %s (%d entries, no allow); %s: back on %s (%s); "
                  "database %s, unchanged; its %d SG rules unchanged" % (
                      iso_name, len(subnets), deny, len(entries), rec_name, sorted(set(after.values())),
                      "; ".join(changes), db_after.get("DBInstanceStatus") or db_after.get("Status"), len(sg_after)))


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
