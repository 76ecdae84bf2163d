"""Verification of a deploy-local run through the emulator's AWS APIs.

Every check reads the deployed state with boto3 clients pointed at the
emulator (endpoint_url); the synthesized template is used only to find which
logical resources to look at and what value the template asked for. A check
returns one of:
  PASS / FAIL      the API state was read and compared
  GAP              the emulator cannot show it (resource type or property not
                   supported by moto; the reason names which)
  SKIP             the stack the check needs is not in this environment
"""
import json
import os

import boto3
from botocore.exceptions import ClientError

PASS, FAIL, GAP, SKIP = "PASS", "FAIL", "GAP", "SKIP"
NOTE = "NOTE"  # not a check result: the template has nothing of the kind to check (said why)


def client(service):
    return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))


class Env:
    """What was synthesized (original templates), what the emulator got
    (adaptation report) and what CloudFormation says it created."""

    def __init__(self, env, assembly, report):
        self.env, self.assembly, self.report = env, assembly, report
        self.cfn = client("cloudformation")
        self._phys = {}
        self._templates = {}

    def stack(self, kind):
        name = "%s-%s" % (self.env, kind)
        return name if name in self.report["stacks"] else None

    def template(self, stack):
        if stack not in self._templates:  # every check reads them: once each
            with open(os.path.join(self.assembly, self.report["stacks"][stack]["templateFile"])) as f:
                self._templates[stack] = json.load(f)
        return self._templates[stack]

    def decision(self, stack, lid):
        return self.report["stacks"][stack]["decisions"].get(lid, {})

    def resources(self, stack, rtype, path_contains=""):
        """Logical ids of rtype in the synthesized template of stack."""
        out = []
        for lid, r in self.template(stack).get("Resources", {}).items():
            if r["Type"] == rtype and path_contains in r.get("Metadata", {}).get("aws:cdk:path", ""):
                out.append(lid)
        return sorted(out)

    def physical(self, stack, lid):
        if stack not in self._phys:
            rs = self.cfn.describe_stack_resources(StackName=stack)["StackResources"]
            # moto lists a resource it lost track of (e.g. after an update it
            # has no handler for) without ids: skip it
            self._phys[stack] = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in rs
                                 if "LogicalResourceId" in r}
        return self._phys[stack].get(lid)

    def forget(self):
        self._phys = {}


class Outcome(Exception):
    """A check's result decided before its end (see deployed)."""

    def __init__(self, status, detail):
        super().__init__(detail)
        self.result = (status, detail)


def check(name, needs=None):
    """A deploy check named name. With needs (a stack kind: network, data,
    audit, access), the check runs with that stack of the environment as its
    second argument, and is a SKIP when the environment has no such stack."""
    def deco(fn):
        def run(env):
            try:
                if not needs:
                    return fn(env)
                st = env.stack(needs)
                if not st:
                    return SKIP, "no %s-%s stack in this environment" % (env.env, needs)
                return fn(env, st)
            except Outcome as o:
                return o.result
        run.check_name, run.__name__, run.__doc__ = name, fn.__name__, fn.__doc__
        return run
    return deco


def deployed(env, st, rtype, also=(), missing=FAIL):
    """Logical ids of rtype in stack st. Ends the check with missing (FAIL by
    default) when the template has none, and with a GAP when any of them, or
    of the types in also, was not deployed on the emulator."""
    lids = env.resources(st, rtype)
    if not lids:
        raise Outcome(missing, "no %s in %s" % (rtype, st))
    gap = dropped(env, st, lids + [l for t in also for l in env.resources(st, t)])
    if gap:
        raise Outcome(*gap)
    return lids


def dropped(env, stack, lids):
    """A GAP result when any of lids was not deployed on the emulator."""
    for lid in lids:
        d = env.decision(stack, lid)
        if d.get("action") == "dropped":
            return (GAP, "%s (%s) not deployed on the emulator: %s" % (lid, d["type"], d["reason"]))
    return None


# ----------------------------------------------------------------- network
@check("network: flow logs exist for the VPC (ALL traffic)", needs="network")
def flow_logs(env, st):
    vpcs = env.resources(st, "AWS::EC2::VPC")
    if not vpcs:
        return FAIL, "no AWS::EC2::VPC in %s" % st
    vpc = env.physical(st, vpcs[0])
    logs = client("ec2").describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc]}])["FlowLogs"]
    if not logs:
        return FAIL, "no flow log for %s" % vpc
    bad = [f["FlowLogId"] for f in logs if f.get("TrafficType") != "ALL"]
    if bad:
        return FAIL, "flow log(s) %s do not capture ALL traffic" % bad
    return PASS, "%s: %s, traffic ALL, to %s" % (vpc, ", ".join(f["FlowLogId"] for f in logs),
                                                  logs[0].get("LogDestinationType"))


@check("network: data subnets use the data-tier NACL, open only to the VPC", needs="network")
def data_acl(env, st):
    acls = deployed(env, st, "AWS::EC2::NetworkAcl")
    acl_id = env.physical(st, acls[0])
    vpc = client("ec2").describe_vpcs(VpcIds=[env.physical(st, env.resources(st, "AWS::EC2::VPC")[0])])["Vpcs"][0]
    acl = client("ec2").describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]
    data_subnets = {env.physical(st, lid) for lid in env.resources(st, "AWS::EC2::Subnet", "/DataSubnet")}
    associated = {a["SubnetId"] for a in acl.get("Associations", [])}
    allows = [e for e in acl.get("Entries", []) if e["RuleAction"] == "allow"]
    outside = [e["CidrBlock"] for e in allows if not _within(e.get("CidrBlock", ""), vpc["CidrBlock"])]
    want_entries = len(env.resources(st, "AWS::EC2::NetworkAclEntry"))
    ours = [e for e in acl.get("Entries", []) if e["RuleNumber"] != 32767]
    if associated != data_subnets or outside or len(ours) != want_entries:
        return FAIL, ("%s: associated %s (data subnets %s); allow rules outside the VPC %s; %d rules, template has %d"
                      % (acl_id, sorted(associated), sorted(data_subnets), outside, len(ours), want_entries))
    return PASS, "%s on %s; %d rules, every allow within %s" % (acl_id, ", ".join(sorted(associated)), len(ours),
                                                                vpc["CidrBlock"])


def _within(cidr, outer):
    import ipaddress
    try:
        return ipaddress.ip_network(cidr).subnet_of(ipaddress.ip_network(outer))
    except (ValueError, TypeError):
        return False


@check("network: default security group has no rules", needs="network")
def default_sg(env, st):
    cr = env.resources(st, "Custom::VpcRestrictDefaultSG")
    gap = dropped(env, st, cr)
    if gap:
        return gap
    vpc = env.physical(st, env.resources(st, "AWS::EC2::VPC")[0])
    sgs = client("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                          {"Name": "group-name", "Values": ["default"]}])
    g = sgs["SecurityGroups"][0]
    if g["IpPermissions"] or g["IpPermissionsEgress"]:
        return FAIL, "default SG %s still has rules" % g["GroupId"]
    return PASS, "default SG %s has no rules" % g["GroupId"]


# ----------------------------------------------------------------- data
def database_resource(env, st):
    """(logical id, "cluster" or "instance") of the data stack's database:
    the Aurora cluster when there is one, else the (first) DB instance."""
    cluster = env.resources(st, "AWS::RDS::DBCluster")
    if cluster:
        return cluster[0], "cluster"
    inst = env.resources(st, "AWS::RDS::DBInstance")
    return (inst[0], "instance") if inst else (None, None)


def _subnet_group(rds, name):
    try:
        return rds.describe_db_subnet_groups(DBSubnetGroupName=name)["DBSubnetGroups"][0]
    except ClientError:
        return {"DBSubnetGroupName": name, "Subnets": []}  # e.g. "default": the data-subnets check fails


def _db(env):
    """(stack, description, None) of the database, or (None, None, result).
    A cluster is described in the shape of an instance (the fields the
    checks read), its members' public accessibility included."""
    st = env.stack("data")
    if not st:
        return None, None, (SKIP, "no %s-data stack in this environment" % env.env)
    lid, kind = database_resource(env, st)
    if not lid:
        return None, None, (FAIL, "no AWS::RDS::DBInstance or DBCluster in %s" % st)
    members = env.resources(st, "AWS::RDS::DBInstance")
    gap = dropped(env, st, [lid] + members)
    if gap:
        return None, None, gap
    ident = env.physical(st, lid)
    rds = client("rds")
    try:
        if kind == "instance":
            db = rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]
        else:
            c = rds.describe_db_clusters(DBClusterIdentifier=ident)["DBClusters"][0]
            insts = [rds.describe_db_instances(DBInstanceIdentifier=m["DBInstanceIdentifier"])["DBInstances"][0]
                     for m in c.get("DBClusterMembers", [])]
            if len(insts) != len(members):
                return None, None, (FAIL, "cluster %s has %d instances, the template %d" % (ident, len(insts),
                                                                                        len(members)))
            db = {"DBInstanceIdentifier": "%s (cluster of %d)" % (ident, len(insts)), "DBInstanceStatus": c["Status"],
                  "StorageEncrypted": c.get("StorageEncrypted"), "KmsKeyId": c.get("KmsKeyId"),
                  "PubliclyAccessible": any(i.get("PubliclyAccessible") for i in insts),
                  "DBSubnetGroup": _subnet_group(rds, c.get("DBSubnetGroup")),
                  "DeletionProtection": c.get("DeletionProtection"),
                  "VpcSecurityGroups": c.get("VpcSecurityGroups", []), "Endpoint": {"Port": c.get("Port")}}
    except ClientError as e:
        return None, None, (FAIL, "database %s: %s" % (ident, e))
    db["_lid"] = lid
    return st, db, None


@check("data: database exists, encrypted, not public")
def db_basics(env):
    st, db, res = _db(env)
    if res:
        return res
    problems = []
    if not db.get("StorageEncrypted"):
        problems.append("StorageEncrypted is false")
    key = env.template(st)["Resources"][db["_lid"]]["Properties"].get("KmsKeyId")
    if isinstance(key, dict) and "Fn::GetAtt" in key:
        key_id = env.physical(st, key["Fn::GetAtt"][0])
        if not key_id or key_id not in str(db.get("KmsKeyId")):
            problems.append("encrypted with %s, not the template's key %s" % (db.get("KmsKeyId"), key_id))
    if db.get("PubliclyAccessible"):
        problems.append("PubliclyAccessible is true")
    if problems:
        return FAIL, "%s: %s" % (db["DBInstanceIdentifier"], "; ".join(problems))
    return PASS, "%s: %s, encrypted (key %s), not publicly accessible" % (
        db["DBInstanceIdentifier"], db["DBInstanceStatus"], db.get("KmsKeyId"))


@check("data: database sits in the data subnets")
def db_subnets(env):
    st, db, res = _db(env)
    if res:
        return res
    net = env.stack("network")
    if not net:
        return SKIP, "no %s-network stack in this environment (where the data subnets are)" % env.env
    data_subnets = {env.physical(net, lid) for lid in env.resources(net, "AWS::EC2::Subnet", "/DataSubnet")}
    got = {s["SubnetIdentifier"] for s in db.get("DBSubnetGroup", {}).get("Subnets", [])}
    if not got or not got <= data_subnets:
        return FAIL, "subnet group %s, data subnets %s" % (sorted(got), sorted(data_subnets))
    return PASS, "subnet group %s = %s" % (db["DBSubnetGroup"].get("DBSubnetGroupName"), ", ".join(sorted(got)))


@check("data: deletion protection as the profile asks")
def db_deletion_protection(env):
    st, db, res = _db(env)
    if res:
        return res
    lid = db["_lid"]
    want = str(env.template(st)["Resources"][lid]["Properties"].get("DeletionProtection", False)).lower() == "true"
    got = bool(db.get("DeletionProtection"))
    if want != got:
        return FAIL, "DeletionProtection %s, template asks %s" % (got, want)
    return PASS, "DeletionProtection=%s (template: %s)" % (got, want)


@check("data: database SG admits exactly the app-tier and access SGs")
def db_security_group(env):
    st, db, res = _db(env)
    if res:
        return res
    net, acc = env.stack("network"), env.stack("access")
    if not acc or not net:
        return SKIP, "no %s-access or %s-network stack in this environment (the allowed sources)" % (env.env, env.env)
    ec2 = client("ec2")
    app_sg = env.physical(net, env.resources(net, "AWS::EC2::SecurityGroup", "AppTierSecurityGroup")[0])
    access_sgs = set()
    for lid in env.resources(acc, "AWS::EC2::Instance"):
        iid = env.physical(acc, lid)
        for r in ec2.describe_instances(InstanceIds=[iid])["Reservations"]:
            for i in r["Instances"]:
                access_sgs |= {g["GroupId"] for g in i.get("SecurityGroups", [])}
    want = {app_sg} | access_sgs
    db_sgs = [g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups", [])]
    got, cidrs, ports = set(), [], set()
    for g in ec2.describe_security_groups(GroupIds=db_sgs)["SecurityGroups"]:
        for p in g["IpPermissions"]:
            got |= {pair["GroupId"] for pair in p.get("UserIdGroupPairs", [])}
            ports.add((p.get("IpProtocol"), p.get("FromPort"), p.get("ToPort")))
            cidrs += [r["CidrIp"] for r in p.get("IpRanges", [])] + [r["CidrIpv6"] for r in p.get("Ipv6Ranges", [])]
    port = int(db.get("Endpoint", {}).get("Port", 0))
    if got != want or cidrs or not access_sgs or ports != {("tcp", port, port)}:
        return FAIL, "DB SG %s admits %s and CIDRs %s on %s; expected exactly app tier %s + access %s on tcp %d" % (
            db_sgs, sorted(got), cidrs, sorted(ports, key=str), app_sg, sorted(access_sgs), port)
    return PASS, "DB SG %s admits only %s (app tier) and %s (access), on tcp %d" % (
        db_sgs, app_sg, ", ".join(sorted(access_sgs)), port)


@check("data: backup plan rules keep recovery points in the KMS-encrypted vault, as long as the template asks", needs="data")
def db_backup_plan(env, st):
    plans = deployed(env, st, "AWS::Backup::BackupPlan", also=["AWS::Backup::BackupVault"])
    vaults = deployed(env, st, "AWS::Backup::BackupVault")
    backup = client("backup")
    vault = backup.describe_backup_vault(BackupVaultName=env.physical(st, vaults[0]))
    plan = backup.get_backup_plan(BackupPlanId=env.physical(st, plans[0]))["BackupPlan"]
    want = {r["RuleName"]: (r.get("ScheduleExpression"), r.get("Lifecycle", {}).get("DeleteAfterDays"))
            for r in env.template(st)["Resources"][plans[0]]["Properties"]["BackupPlan"]["BackupPlanRule"]}
    # AWS Backup (and moto) fill in a default schedule when the template sets none.
    got = {r["RuleName"]: (r.get("ScheduleExpression") if want.get(r["RuleName"], (None,))[0] else None,
                           r.get("Lifecycle", {}).get("DeleteAfterDays"))
           for r in plan["Rules"]}
    elsewhere = [r["RuleName"] for r in plan["Rules"] if r.get("TargetBackupVaultName") != vault["BackupVaultName"]]
    if got != want or elsewhere or not vault.get("EncryptionKeyArn"):
        return FAIL, "rules (schedule, days) %s, template %s; rules to another vault %s; vault key %s" % (
            got, want, elsewhere, vault.get("EncryptionKeyArn"))
    return PASS, "plan %s: %s into vault %s (KMS %s)" % (
        plan["BackupPlanName"], ", ".join("%s %s %s d" % (k, v[0], v[1]) for k, v in sorted(got.items())),
        vault["BackupVaultName"],
        vault["EncryptionKeyArn"].split("/")[-1])


@check("data: the backup plan selects the database", needs="data")
def db_backup_selection(env, st):
    deployed(env, st, "AWS::Backup::BackupSelection")
    return FAIL, "no API check written for a deployed BackupSelection"


def phi_bucket(env, st):
    """(logical id, physical name) of the data stack's PHI bucket: its SSE-KMS bucket."""
    lids = [l for l in deployed(env, st, "AWS::S3::Bucket")
            if "aws:kms" in json.dumps(env.template(st)["Resources"][l].get("Properties", {}).get("BucketEncryption"))]
    if len(lids) != 1:
        raise Outcome(FAIL, "%d SSE-KMS buckets in %s, want the one PHI bucket" % (len(lids), st))
    return lids[0], env.physical(st, lids[0])


@check("data: PHI bucket is SSE-KMS with its own key and the bucket key", needs="data")
def phi_bucket_encryption(env, st):
    lid, name = phi_bucket(env, st)
    key_ref = env.template(st)["Resources"][lid]["Properties"]["BucketEncryption"][
        "ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"].get("KMSMasterKeyID", {})
    key_lid = (key_ref.get("Fn::GetAtt") or [None])[0] if isinstance(key_ref, dict) else None
    key_id = env.physical(st, key_lid) if key_lid else None
    rules = client("s3").get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
    rule = rules[0] if len(rules) == 1 else {}
    by_default = rule.get("ApplyServerSideEncryptionByDefault", {})
    problems = [what for what, ok in (
        ("not SSE-KMS", by_default.get("SSEAlgorithm") == "aws:kms"),
        ("not the template's key %s" % key_id, key_id and key_id in by_default.get("KMSMasterKeyID", "")),
        ("bucket key off", rule.get("BucketKeyEnabled"))) if not ok]
    if problems:
        return FAIL, "%s: %s (%s)" % (name, ", ".join(problems), rules)
    return PASS, "%s: SSE-KMS with key %s, bucket key on" % (name, key_id)


@check("data: PHI bucket is versioned, blocks all public access, ACLs off", needs="data")
def phi_bucket_access(env, st):
    _, name = phi_bucket(env, st)
    s3 = client("s3")
    versioning = s3.get_bucket_versioning(Bucket=name).get("Status")
    try:
        pab = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    except ClientError as e:
        pab = {"missing": e.response["Error"].get("Code")}
    try:
        owner = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
    except ClientError as e:
        owner = e.response["Error"].get("Code")
    problems = [what for what, ok in (
        ("versioning %s" % versioning, versioning == "Enabled"),
        ("public access block %s" % pab, all(pab.get(k) is True for k in (
            "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"))),
        ("object ownership %s" % owner, owner == "BucketOwnerEnforced")) if not ok]
    if problems:
        return FAIL, "%s: %s" % (name, ", ".join(problems))
    return PASS, "%s: versioning Enabled, all four public access blocks, BucketOwnerEnforced" % name


@check("data: PHI bucket logs its requests to the audit stack's access-log bucket", needs="data")
def phi_bucket_logging(env, st):
    audit = env.stack("audit")
    if not audit:
        return SKIP, "no %s-audit stack in this environment (the access-log bucket is there)" % env.env
    _, name = phi_bucket(env, st)
    targets = [env.physical(audit, l) for l in env.resources(audit, "AWS::S3::Bucket", "/AccessLogBucket/")]
    logging = client("s3").get_bucket_logging(Bucket=name).get("LoggingEnabled") or {}
    if not targets or logging.get("TargetBucket") not in targets:
        return FAIL, "%s: access logs go to %s, want the access-log bucket %s" % (name, logging.get("TargetBucket"), targets)
    return PASS, "%s: access logs to %s under %s" % (name, logging["TargetBucket"], logging.get("TargetPrefix"))


@check("data: PHI bucket policy (TLS only, SSE-KMS uploads with its key only)", needs="data")
def phi_bucket_policy(env, st):
    deployed(env, st, "AWS::S3::BucketPolicy")
    return FAIL, "no API check written for a deployed bucket policy"


# ----------------------------------------------------------------- audit
def _trails_named(ct, name):
    # moto's DescribeTrails ignores trailNameList and lists every trail.
    return [t for t in ct.describe_trails(trailNameList=[name])["trailList"] if t.get("Name") == name]


@check("audit: trail exists, multi-region, validates log files, logging, KMS", needs="audit")
def trail(env, st):
    lids = deployed(env, st, "AWS::CloudTrail::Trail")
    name = env.physical(st, lids[0])
    ct = client("cloudtrail")
    trails = _trails_named(ct, name)
    if not trails:
        return FAIL, "trail %s not found" % name
    t = trails[0]
    logging = ct.get_trail_status(Name=name).get("IsLogging")
    problems = [what for what, ok in (("not multi-region", t.get("IsMultiRegionTrail")),
                                      ("no log file validation", t.get("LogFileValidationEnabled")),
                                      ("not logging", logging),
                                      ("no KMS key", t.get("KmsKeyId")),
                                      ("no CloudWatch Logs group", t.get("CloudWatchLogsLogGroupArn"))) if not ok]
    if problems:
        return FAIL, "%s: %s" % (name, ", ".join(problems))
    return PASS, "%s: multi-region, log file validation, logging, KMS %s, to S3 %s and CloudWatch Logs" % (
        name, t["KmsKeyId"].split("/")[-1], t.get("S3BucketName"))


@check("audit: the trail records every read and write of the PHI bucket (S3 data events)", needs="audit")
def trail_phi_data_events(env, st):
    data = env.stack("data")
    if not data:
        return SKIP, "no %s-data stack in this environment" % env.env
    _, bucket = phi_bucket(env, data)
    lids = deployed(env, st, "AWS::CloudTrail::Trail")
    name = env.physical(st, lids[0])
    selectors = client("cloudtrail").get_event_selectors(TrailName=name).get("EventSelectors") or []
    want = "arn:aws:s3:::%s/" % bucket
    for sel in selectors:
        values = [v for d in sel.get("DataResources", []) if d.get("Type") == "AWS::S3::Object" for v in d.get("Values", [])]
        if want in values and sel.get("ReadWriteType") == "All":
            return PASS, "%s: S3 data events (read and write) for %s" % (name, want)
    return FAIL, "%s: no event selector records reads and writes of %s: %s" % (name, want, selectors)


@check("audit: bucket policies (TLS only, CloudTrail and Config delivery)", needs="audit")
def bucket_policies(env, st):
    deployed(env, st, "AWS::S3::BucketPolicy")
    return FAIL, "no API check written for deployed bucket policies"


@check("audit: alarms exist, notify the alarm topic, watch a metric filter on the trail's logs", needs="audit")
def alarms(env, st):
    lids = deployed(env, st, "AWS::CloudWatch::Alarm", also=["AWS::Logs::MetricFilter"])
    names = [env.physical(st, l) for l in lids]
    got = client("cloudwatch").describe_alarms(AlarmNames=names)["MetricAlarms"]
    topics = {env.physical(st, l) for l in env.resources(st, "AWS::SNS::Topic")}
    trail = _trails_named(client("cloudtrail"), env.physical(st, env.resources(st, "AWS::CloudTrail::Trail")[0]))[0]
    group = trail["CloudWatchLogsLogGroupArn"].split(":log-group:")[1].split(":")[0]
    filtered = {(m["metricNamespace"], m["metricName"])
                for f in client("logs").describe_metric_filters(logGroupName=group)["metricFilters"]
                for m in f["metricTransformations"]}
    missing = set(names) - {a["AlarmName"] for a in got}
    wrong_action = [a["AlarmName"] for a in got if not a.get("AlarmActions") or not set(a["AlarmActions"]) <= topics
                    or not a.get("ActionsEnabled")]
    unwatched = [a["AlarmName"] for a in got if (a.get("Namespace"), a.get("MetricName")) not in filtered]
    undescribed = [a["AlarmName"] for a in got if not a.get("AlarmDescription")]
    if missing or wrong_action or unwatched or undescribed:
        return FAIL, "missing %s; actions not (enabled and) the alarm topic %s; no metric filter on %s for %s; no description %s" % (
            sorted(missing), wrong_action, group, unwatched, undescribed)
    return PASS, "%d alarms, each notifying %s, each on a metric filter of %s, each with a description" % (
        len(got), ", ".join(sorted(topics)), group)


@check("audit: Config records everything, delivers encrypted; each rule notifies the alarm topic when breached", needs="audit")
def config_rules(env, st):
    rules = deployed(env, st, "AWS::Config::ConfigRule",
                     also=["AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel"])
    rec = env.resources(st, "AWS::Config::ConfigurationRecorder")
    chan = env.resources(st, "AWS::Config::DeliveryChannel")
    cfg, events = client("config"), client("events")
    problems = []
    if rec:
        r = cfg.describe_configuration_recorders()["ConfigurationRecorders"][0]
        group = r.get("recordingGroup", {})
        status = cfg.describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]
        if not (group.get("allSupported") and group.get("includeGlobalResourceTypes")):
            problems.append("recorder %s does not record all resource types incl. global: %s" % (r["name"], group))
        if not status.get("recording"):
            problems.append("recorder %s is not recording" % r["name"])
    if chan:
        c = cfg.describe_delivery_channels()["DeliveryChannels"][0]
        want_bucket = env.physical(st, env.template(st)["Resources"][chan[0]]["Properties"]["S3BucketName"]["Ref"])
        if c.get("s3BucketName") != want_bucket or not c.get("s3KmsKeyArn"):
            problems.append("delivery channel to %s (KMS %s), template asks %s with a key"
                            % (c.get("s3BucketName"), c.get("s3KmsKeyArn"), want_bucket))
    names = {env.physical(st, l) for l in rules}
    listed = {r["ConfigRuleName"] for page in cfg.get_paginator("describe_config_rules").paginate()
                for r in page["ConfigRules"]}
    topics = {env.physical(st, l) for l in env.resources(st, "AWS::SNS::Topic")}
    notified = set()
    for rule in (r for page in events.get_paginator("list_rules").paginate() for r in page["Rules"]):
        pattern = json.loads(rule.get("EventPattern") or "{}")
        detail = pattern.get("detail", {})
        watched = set(detail.get("configRuleName", []))
        if "NON_COMPLIANT" not in detail.get("newEvaluationResult", {}).get("complianceType", []):
            continue
        targets = {t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]}
        if watched and targets & topics and rule.get("State") == "ENABLED":
            notified |= watched
    if names - listed:
        problems.append("rules missing: %s" % sorted(names - listed))
    if names - notified:
        problems.append("rules without an enabled NON_COMPLIANT notification to the alarm topic: %s"
                        % sorted(names - notified))
    if problems:
        return FAIL, "; ".join(problems)
    return PASS, "%d rules, each with a notification to the alarm topic; recorder recording all types%s" % (
        len(names), ", delivering to %s with KMS" % want_bucket if chan else "")


@check("audit: GuardDuty detector enabled", needs="audit")
def guardduty(env, st):
    lids = deployed(env, st, "AWS::GuardDuty::Detector", missing=SKIP)
    d = env.physical(st, lids[0])
    got = client("guardduty").get_detector(DetectorId=d)
    if got.get("Status") != "ENABLED":
        return FAIL, "detector %s status %s" % (d, got.get("Status"))
    return PASS, "detector %s enabled, findings every %s" % (d, got.get("FindingPublishingFrequency"))


# ----------------------------------------------------------------- access
@check("access: bastion has no public IP and requires IMDSv2", needs="access")
def bastion(env, st):
    lids = deployed(env, st, "AWS::EC2::Instance")
    ids = [env.physical(st, l) for l in lids]
    res = env.template(st)["Resources"]
    # what the template asks (instance MetadataOptions or its launch template)
    asks_imdsv2 = {}
    for l in lids:
        p = res[l].get("Properties", {})
        tokens = p.get("MetadataOptions", {}).get("HttpTokens")
        lt = p.get("LaunchTemplate", {}).get("LaunchTemplateId", {})
        if tokens is None and isinstance(lt, dict) and lt.get("Ref") in res:
            tokens = res[lt["Ref"]]["Properties"].get("LaunchTemplateData", {}).get("MetadataOptions", {}).get("HttpTokens")
        asks_imdsv2[env.physical(st, l)] = tokens == "required"
    problems, seen = [], []
    for r in client("ec2").describe_instances(InstanceIds=ids)["Reservations"]:
        for i in r["Instances"]:
            seen.append(i["InstanceId"])
            if i.get("PublicIpAddress"):
                problems.append("%s has public IP %s" % (i["InstanceId"], i["PublicIpAddress"]))
            tokens = i.get("MetadataOptions", {}).get("HttpTokens")
            if tokens != "required":
                problems.append("%s: API shows HttpTokens=%s (template requires IMDSv2: %s)"
                                % (i["InstanceId"], tokens, asks_imdsv2.get(i["InstanceId"])))
    if problems:
        return FAIL, "; ".join(problems)
    return PASS, "%s: no public IP, IMDSv2 required" % ", ".join(seen)


# ----------------------------------------------------------------- app
# The <env>-app stack (PhiService), read back through ECS, ELBv2, ACM, WAFv2,
# CloudWatch Logs, CloudWatch and ECR.

def _one(env, st, rtype, path_contains=""):
    lids = env.resources(st, rtype, path_contains)
    if len(lids) != 1:
        raise Outcome(FAIL, "%d %s%s in %s, expected one" % (
            len(lids), rtype, " under " + path_contains if path_contains else "", st))
    gap = dropped(env, st, lids)
    if gap:
        raise Outcome(*gap)
    return lids[0]


def _load_balancer_arn(env, st):
    return env.physical(st, _one(env, st, "AWS::ElasticLoadBalancingV2::LoadBalancer"))


@check("app: the service runs on Fargate in the app subnets, app-tier SG, no public IP", needs="app")
def app_service(env, st):
    lid = _one(env, st, "AWS::ECS::Service")
    props = env.template(st)["Resources"][lid]["Properties"]
    cluster = env.physical(st, props["Cluster"]["Ref"])
    svcs = client("ecs").describe_services(cluster=cluster, services=[env.physical(st, lid)])["services"]
    if not svcs:
        return FAIL, "service %s not found in cluster %s" % (env.physical(st, lid), cluster)
    svc = svcs[0]
    net = svc.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
    network = env.stack("network")
    want_subnets = {env.physical(network, l) for l in env.resources(network, "AWS::EC2::Subnet", "/AppSubnet")} \
        if network else set()
    want_groups = {env.physical(network, l) for l in env.resources(network, "AWS::EC2::SecurityGroup",
                                                                   "/AppTierSecurityGroup")} if network else set()
    problems = []
    if svc.get("launchType") != "FARGATE":
        problems.append("launch type %s" % svc.get("launchType"))
    if net.get("assignPublicIp") != "DISABLED":
        problems.append("assignPublicIp %s" % net.get("assignPublicIp"))
    if not want_subnets or set(net.get("subnets", [])) != want_subnets:
        problems.append("subnets %s, the app subnets are %s" % (sorted(net.get("subnets", [])), sorted(want_subnets)))
    if not want_groups or set(net.get("securityGroups", [])) != want_groups:
        problems.append("security groups %s, the app-tier group is %s" % (
            sorted(net.get("securityGroups", [])), sorted(want_groups)))
    if problems:
        return FAIL, "%s: %s" % (svc["serviceName"], "; ".join(problems))
    return PASS, "%s: FARGATE, assignPublicIp DISABLED, subnets %s (the app tier), security group %s" % (
        svc["serviceName"], ", ".join(sorted(want_subnets)), ", ".join(sorted(want_groups)))


def _listeners(env, st):
    return client("elbv2").describe_listeners(LoadBalancerArn=_load_balancer_arn(env, st))["Listeners"]


@check("app: HTTPS listener on 443 with the template's TLS policy and the imported certificate", needs="app")
def app_https_listener(env, st):
    res = env.template(st)["Resources"]
    https = [l for l in env.resources(st, "AWS::ElasticLoadBalancingV2::Listener")
             if res[l]["Properties"].get("Protocol") == "HTTPS"]
    if not https:
        return FAIL, "no HTTPS listener in %s" % st
    want = res[https[0]]["Properties"]
    want_cert = want["Certificates"][0]["CertificateArn"]
    got = [l for l in _listeners(env, st) if l["Port"] == 443]
    if not got:
        return FAIL, "no listener on 443"
    l = got[0]
    certs = [c["CertificateArn"] for c in l.get("Certificates", [])]
    problems = []
    if l["Protocol"] != "HTTPS":
        problems.append("protocol %s" % l["Protocol"])
    if l.get("SslPolicy") != want.get("SslPolicy"):
        problems.append("TLS policy %s, template asks %s" % (l.get("SslPolicy"), want.get("SslPolicy")))
    if want_cert not in certs:
        problems.append("certificates %s, template asks %s" % (certs, want_cert))
    try:
        acm = client("acm").describe_certificate(CertificateArn=want_cert)["Certificate"]
    except ClientError as e:
        acm = {}
        problems.append("certificate %s not in ACM: %s" % (want_cert, e.response["Error"].get("Code")))
    if problems:
        return FAIL, "; ".join(problems)
    return PASS, "443 HTTPS, %s, certificate %s (ACM: %s, %s)" % (l["SslPolicy"], want_cert, acm.get("Type"),
                                                                  acm.get("DomainName"))


@check("app: HTTP 80 only redirects to HTTPS 443; no other listener", needs="app")
def app_http_redirect(env, st):
    got = _listeners(env, st)
    others = sorted(l["Port"] for l in got if l["Port"] not in (80, 443))
    http = [l for l in got if l["Port"] == 80]
    if not http:
        return FAIL, "no listener on 80"
    actions = http[0].get("DefaultActions", [])
    redirect = [a.get("RedirectConfig", {}) for a in actions if a.get("Type") == "redirect"]
    ok = (http[0]["Protocol"] == "HTTP" and len(actions) == 1 and redirect
          and redirect[0].get("Protocol") == "HTTPS" and str(redirect[0].get("Port")) == "443")
    rules = client("elbv2").describe_rules(ListenerArn=http[0]["ListenerArn"])["Rules"]
    forwarding = [r["RuleArn"] for r in rules if any(a.get("Type") != "redirect" for a in r.get("Actions", []))]
    if not ok or forwarding or others:
        return FAIL, "port 80 default actions %s; rules forwarding %s; other listeners on %s" % (
            actions, forwarding, others)
    return PASS, "port 80: one action, redirect to HTTPS:443 (%s); listeners only on 80 and 443" % (
        redirect[0].get("StatusCode"))


@check("app: the web ACL protects the load balancer and logs to an aws-waf-logs- group", needs="app")
def app_web_acl(env, st):
    acl_lid = _one(env, st, "AWS::WAFv2::WebACL")
    _one(env, st, "AWS::WAFv2::WebACLAssociation")
    _one(env, st, "AWS::WAFv2::LoggingConfiguration")
    name = env.template(st)["Resources"][acl_lid]["Properties"]["Name"]
    waf = client("wafv2")
    lb = _load_balancer_arn(env, st)
    acl = waf.get_web_acl_for_resource(ResourceArn=lb).get("WebACL")
    if not acl or acl["Name"] != name:
        return FAIL, "load balancer %s is protected by %s, not %s" % (lb, acl and acl["Name"], name)
    try:
        cfg = waf.get_logging_configuration(ResourceArn=acl["ARN"])["LoggingConfiguration"]
    except ClientError as e:
        return FAIL, "web ACL %s has no logging configuration (%s)" % (name, e.response["Error"].get("Code"))
    groups = [d.split(":log-group:")[1].split(":")[0] for d in cfg.get("LogDestinationConfigs", []) if ":log-group:" in d]
    waf_groups = {env.physical(st, l) for l in env.resources(st, "AWS::Logs::LogGroup", "/WafLogGroup")}
    if not groups or not set(groups) <= waf_groups or not all(g.startswith("aws-waf-logs-") for g in groups):
        return FAIL, "web ACL %s logs to %s, the stack's WAF log group is %s" % (
            name, cfg.get("LogDestinationConfigs"), sorted(waf_groups))
    rules = [r["Name"] for r in acl.get("Rules", [])]
    return PASS, "%s (%d rules: %s) on %s; logs to %s, redacting %s" % (
        name, len(rules), ", ".join(rules), lb.split("/")[-2], ", ".join(groups),
        ", ".join(f.get("SingleHeader", {}).get("Name", "?") for f in cfg.get("RedactedFields") or []) or "nothing")


@check("app: every log group is KMS-encrypted with the service's key", needs="app")
def app_log_groups(env, st):
    lids = deployed(env, st, "AWS::Logs::LogGroup")
    key = client("kms").describe_key(KeyId=env.physical(st, _one(env, st, "AWS::KMS::Key")))["KeyMetadata"]["Arn"]
    logs, problems, seen = client("logs"), [], []
    for lid in lids:
        name = env.physical(st, lid)
        g = [x for x in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] if x["logGroupName"] == name]
        if not g:
            problems.append("%s missing" % name)
        elif g[0].get("kmsKeyId") != key:
            problems.append("%s: kmsKeyId %s" % (name, g[0].get("kmsKeyId")))
        else:
            seen.append("%s (%s days)" % (name, g[0].get("retentionInDays")))
    if problems:
        return FAIL, "; ".join(problems) + " (the service's key is %s)" % key
    return PASS, "%s: KMS key %s" % (", ".join(seen), key.split("/")[-1])


@check("app: the image repository has immutable tags, scans on push, is KMS-encrypted", needs="app")
def app_repository(env, st):
    lids = env.resources(st, "AWS::ECR::Repository")
    if not lids:
        # PhiService creates a repository only when the image is not from a registry.
        return NOTE, "no AWS::ECR::Repository in %s: the profile's image comes from a registry (AppImage), " \
            "PhiService creates no repository" % st
    gap = dropped(env, st, lids)
    if gap:
        return gap
    ecr, problems, seen = client("ecr"), [], []
    for lid in lids:
        r = ecr.describe_repositories(repositoryNames=[env.physical(st, lid)])["repositories"][0]
        enc = r.get("encryptionConfiguration", {})
        if r.get("imageTagMutability") != "IMMUTABLE":
            problems.append("%s: tags %s" % (r["repositoryName"], r.get("imageTagMutability")))
        if not r.get("imageScanningConfiguration", {}).get("scanOnPush"):
            problems.append("%s: no scan on push" % r["repositoryName"])
        if enc.get("encryptionType") != "KMS":
            problems.append("%s: encryption %s" % (r["repositoryName"], enc.get("encryptionType")))
        seen.append("%s (KMS %s)" % (r["repositoryName"], enc.get("kmsKey")))
    if problems:
        return FAIL, "; ".join(problems)
    return PASS, ", ".join(seen) + ": immutable tags, scan on push, KMS"


@check("app: alarms exist, notify the alarm topic, carry a description (metric math included)", needs="app")
def app_alarms(env, st):
    lids = deployed(env, st, "AWS::CloudWatch::Alarm")
    res = env.template(st)["Resources"]
    names = [env.physical(st, l) for l in lids]
    got = {a["AlarmName"]: a for a in client("cloudwatch").describe_alarms(AlarmNames=names)["MetricAlarms"]}
    audit = env.stack("audit")
    topics = {env.physical(audit, l) for l in env.resources(audit, "AWS::SNS::Topic")} if audit else set()
    problems, math = [], []
    for lid, name in zip(lids, names):
        a = got.get(name)
        if a is None:
            problems.append("%s missing" % name)
            continue
        if not a.get("ActionsEnabled") or not a.get("AlarmActions") or not set(a["AlarmActions"]) <= topics:
            problems.append("%s notifies %s, not the alarm topic" % (name, a.get("AlarmActions")))
        if not a.get("AlarmDescription"):
            problems.append("%s has no description" % name)
        want = res[lid]["Properties"].get("Metrics")
        if want:
            exprs = [m.get("Expression") for m in a.get("Metrics", []) if m.get("Expression")]
            if exprs != [m["Expression"] for m in want if m.get("Expression")]:
                problems.append("%s: metric math %s, template asks %s" % (
                    name, exprs, [m.get("Expression") for m in want if m.get("Expression")]))
            else:
                math.append("%s = %s" % (name, exprs[0] if exprs else "?"))
    if problems:
        return FAIL, "; ".join(problems)
    return PASS, "%d alarms, each notifying %s with a description; metric math: %s" % (
        len(names), ", ".join(sorted(topics)), "; ".join(math) or "none")


@check("app: access-log bucket policies (TLS only, load balancer log delivery)", needs="app")
def app_bucket_policies(env, st):
    deployed(env, st, "AWS::S3::BucketPolicy")
    return FAIL, "no API check written for deployed bucket policies"


APP_CHECKS = [app_service, app_https_listener, app_http_redirect, app_web_acl, app_log_groups, app_repository,
              app_alarms, app_bucket_policies]


DEPLOY_CHECKS = [flow_logs, data_acl, default_sg, db_basics, db_subnets, db_deletion_protection,
                 db_security_group, db_backup_plan, db_backup_selection, phi_bucket_encryption, phi_bucket_access,
                 phi_bucket_logging, phi_bucket_policy, trail, trail_phi_data_events, bucket_policies, alarms, config_rules,
                 guardduty, bastion]
DEPLOY_CHECKS += APP_CHECKS


def run_checks(env, checks):
    results = []
    for fn in checks:
        try:
            status, detail = fn(env)
        except Exception as e:  # an API error is a failed check, with its reason
            status, detail = FAIL, "%s: %s" % (type(e).__name__, e)
        results.append((fn.check_name, status, detail))
    return results


# ------------------------------------------------ update / retention helpers
RETAINABLE = ("AWS::KMS::Key", "AWS::S3::Bucket", "AWS::Logs::LogGroup", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster",
              "AWS::Backup::BackupVault", "AWS::ECR::Repository")


def retained_resources(env):
    """(stack, lid, type, policy, physical id) of every resource the templates
    keep on stack deletion, as deployed on the emulator."""
    out = []
    for st in env.report["order"]:
        for lid, r in env.template(st).get("Resources", {}).items():
            policy = r.get("DeletionPolicy", "Delete")
            if r["Type"] in RETAINABLE and policy in ("Retain", "RetainExceptOnCreate", "Snapshot"):
                out.append((st, lid, r["Type"], policy, env.physical(st, lid)))
    return out


def still_there(rtype, policy, phys):
    """(status, detail) for one retained resource after the stacks are deleted."""
    if phys is None:
        return GAP, "not deployed on the emulator"
    try:
        if rtype == "AWS::KMS::Key":
            k = client("kms").describe_key(KeyId=phys)["KeyMetadata"]
            ok = k["KeyState"] not in ("PendingDeletion",)
            return (PASS if ok else FAIL), "key %s %s" % (phys, k["KeyState"])
        if rtype == "AWS::S3::Bucket":
            client("s3").head_bucket(Bucket=phys)
            return PASS, "bucket %s exists" % phys
        if rtype == "AWS::Logs::LogGroup":
            gs = client("logs").describe_log_groups(logGroupNamePrefix=phys)["logGroups"]
            ok = any(g["logGroupName"] == phys for g in gs)
            return (PASS if ok else FAIL), "log group %s %s" % (phys, "exists" if ok else "is gone")
        if rtype == "AWS::ECR::Repository":
            r = client("ecr").describe_repositories(repositoryNames=[phys])["repositories"][0]
            return PASS, "repository %s exists" % r["repositoryName"]
        if rtype == "AWS::Backup::BackupVault":
            v = client("backup").describe_backup_vault(BackupVaultName=phys)
            return PASS, "vault %s exists (KMS %s)" % (phys, v.get("EncryptionKeyArn", "").split("/")[-1])
        if rtype == "AWS::RDS::DBCluster":
            rds = client("rds")
            if any(c["DBClusterIdentifier"] == phys for c in rds.describe_db_clusters()["DBClusters"]):
                return PASS, "cluster %s still exists (its delete was refused)" % phys
            snaps = [x for x in rds.describe_db_cluster_snapshots(DBClusterIdentifier=phys)["DBClusterSnapshots"]
                     if x.get("SnapshotType") != "automated"]
            if policy == "Snapshot" and snaps:
                return PASS, "final cluster snapshot %s" % snaps[0]["DBClusterSnapshotIdentifier"]
            return FAIL, "cluster %s is gone%s" % (phys, " without a final snapshot" if policy == "Snapshot" else "")
        if rtype == "AWS::RDS::DBInstance":
            rds = client("rds")
            if policy == "Snapshot":
                alive = [d for d in rds.describe_db_instances()["DBInstances"] if d["DBInstanceIdentifier"] == phys]
                if alive:
                    return PASS, "database %s still exists (its delete was refused)" % phys
                snaps = [x for x in rds.describe_db_snapshots(DBInstanceIdentifier=phys)["DBSnapshots"]
                         if x.get("SnapshotType") != "automated"]
                if snaps:
                    return PASS, "final snapshot %s" % snaps[0]["DBSnapshotIdentifier"]
                return FAIL, "no final snapshot of %s after the stack was deleted" % phys
            rds.describe_db_instances(DBInstanceIdentifier=phys)
            return PASS, "database %s still exists" % phys
    except ClientError as e:
        return FAIL, "%s: %s" % (phys, e.response["Error"].get("Code"))
    return GAP, "no retention check for " + rtype
