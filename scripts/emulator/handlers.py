"""CloudFormation handlers deploy-local adds to moto's server.

moto emulates the AWS APIs (state, validation, Describe*), but its CloudFormation
has no handler for several types our templates use, and gets a few properties of
others wrong. A handler here is only the CloudFormation-to-API step: it reads the
resource's properties from the template and calls moto's own service backend, as
CloudFormation calls the service API. It never writes a result the verification
reads back without going through the service: if a template lost
IsMultiRegionTrail, DescribeTrails on the emulator would say so.

Importing this module registers the handlers (before moto's model map is first
built). scripts/emulator/server.py imports it and runs moto's server;
adapt.py imports it so its compatibility table knows which types are served.

HANDLED maps each type to what its handler applies: the compatibility table
prints it, so a reader sees where the emulator is moto and where it is ours.
"""
import json

from moto.cloudformation import parsing  # noqa: F401  (imports every moto model first: ours then win)
from moto.core.common_models import CloudFormationModel

HANDLED: dict[str, str] = {}
# Changes to moto's behaviour beyond one type's handler (overrides.py).
FIXES: dict[str, str] = {}


def handles(rtype, note, name=""):
    """Make cls the emulator's CloudFormation handler of rtype, whose name
    property (the physical name moto generates when absent) is name; note
    says what it applies, for the compatibility table."""
    def register(cls):
        cls.cloudformation_type = staticmethod(lambda: rtype)
        cls.cloudformation_name_type = staticmethod(lambda: name)
        HANDLED[rtype] = note
        return cls
    return register


class Created:
    """A resource one of our handlers created: Ref gives its physical ID,
    Fn::GetAtt its attributes, delete() undoes it through the backend."""

    def __init__(self, physical_id, attributes=None, on_delete=None):
        self.physical_resource_id = physical_id
        self.attributes = attributes or {}
        self.on_delete = on_delete

    def get_cfn_attribute(self, name):
        if name not in self.attributes:
            from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
            raise UnformattedGetAttTemplateException()
        return self.attributes[name]

    def is_created(self):
        return True

    def delete(self, account_id, region_name):
        if self.on_delete:
            self.on_delete()


class Handler(CloudFormationModel):
    """Base of our handlers. Subclasses must derive from CloudFormationModel
    directly too (moto registers only its direct subclasses), and name in
    APPLIES the template properties they apply: adapt.py reports any other
    property of a deployed resource as not applied on the emulator."""
    APPLIES: tuple = ()

    @classmethod
    def has_cfn_attr(cls, attr):
        return True

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        # What CloudFormation does for an in-place update of these types:
        # the same name, the new properties. moto makes up a new name when the
        # template sets none; CloudFormation keeps the one it generated.
        name = new_resource_name
        if cls.cloudformation_name_type() not in cloudformation_json.get("Properties", {}):
            name = original_resource.physical_resource_id
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        # Only reached when the Created object was lost (moto calls
        # Created.delete first); nothing left to undo.
        return None


def _bool(v, default=False):
    if v is None:
        return default
    if isinstance(v, str):
        return v.lower() == "true"
    return bool(v)


def _int(v):
    return None if v is None else int(v)


def _name(v):
    """moto resolves a Ref to some of its own models (no physical ID) to the
    object; CloudFormation gives the name."""
    return getattr(v, "name", v)


def _tags(props):
    return [{"Key": t["Key"], "Value": t["Value"]} for t in props.get("Tags") or []]


# --- CloudTrail -----------------------------------------------------------

@handles("AWS::CloudTrail::Trail", name="TrailName",
         note="CreateTrail (S3BucketName, IsMultiRegionTrail, EnableLogFileValidation, KMSKeyId, "
         "IncludeGlobalServiceEvents, CloudWatchLogs*), PutEventSelectors, StartLogging when IsLogging")
class CloudTrailTrail(Handler, CloudFormationModel):
    APPLIES = ("TrailName", "S3BucketName", "S3KeyPrefix", "SnsTopicName", "IncludeGlobalServiceEvents",
               "IsMultiRegionTrail", "EnableLogFileValidation", "IsOrganizationTrail",
               "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "KMSKeyId", "Tags", "EventSelectors",
               "AdvancedEventSelectors", "IsLogging")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.cloudtrail.models import cloudtrail_backends
        backend = cloudtrail_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        trail = backend.create_trail(
            name=resource_name, bucket_name=p["S3BucketName"], s3_key_prefix=p.get("S3KeyPrefix"),
            sns_topic_name=p.get("SnsTopicName"), is_global=_bool(p.get("IncludeGlobalServiceEvents"), True),
            is_multi_region=_bool(p.get("IsMultiRegionTrail")),
            log_validation=_bool(p.get("EnableLogFileValidation")),
            is_org_trail=_bool(p.get("IsOrganizationTrail")),
            cw_log_group_arn=p.get("CloudWatchLogsLogGroupArn"), cw_role_arn=p.get("CloudWatchLogsRoleArn"),
            kms_key_id=p.get("KMSKeyId"), tags_list=_tags(p))
        if p.get("EventSelectors") or p.get("AdvancedEventSelectors"):
            backend.put_event_selectors(resource_name, p.get("EventSelectors"), p.get("AdvancedEventSelectors"))
        if _bool(p.get("IsLogging")):
            backend.start_logging(resource_name)
        topic = p.get("SnsTopicName")
        if topic and not str(topic).startswith("arn:"):
            topic = "arn:aws:sns:%s:%s:%s" % (region_name, account_id, topic)
        return Created(resource_name, {"Arn": trail.arn, "SnsTopicArn": topic},
                       lambda: backend.delete_trail(resource_name))


# --- CloudWatch and CloudWatch Logs ---------------------------------------

@handles("AWS::CloudWatch::Alarm", name="AlarmName",
         note="PutMetricAlarm (metric, statistic, threshold, comparison, periods, AlarmActions, "
         "OKActions, TreatMissingData, AlarmDescription; Metrics: metric math, as the API's Metrics)")
class CloudWatchAlarm(Handler, CloudFormationModel):
    APPLIES = ("AlarmName", "Namespace", "MetricName", "ComparisonOperator", "EvaluationPeriods", "Period",
               "Threshold", "Statistic", "AlarmDescription", "Dimensions", "AlarmActions", "DatapointsToAlarm",
               "ExtendedStatistic", "OKActions", "InsufficientDataActions", "Unit", "ActionsEnabled",
               "TreatMissingData", "Tags", "Metrics", "ThresholdMetricId")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.cloudwatch.models import cloudwatch_backends
        backend = cloudwatch_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        queries = _metric_queries(p.get("Metrics"), p)
        alarm = backend.put_metric_alarm(
            name=resource_name, namespace=p.get("Namespace"), metric_name=p.get("MetricName"),
            comparison_operator=p["ComparisonOperator"], evaluation_periods=_int(p["EvaluationPeriods"]),
            period=_int(p.get("Period")), threshold=float(p["Threshold"]) if "Threshold" in p else None,
            statistic=p.get("Statistic"), description=p.get("AlarmDescription"),
            dimensions=p.get("Dimensions") or [], alarm_actions=p.get("AlarmActions") or [],
            metric_data_queries=queries, threshold_metric_id=p.get("ThresholdMetricId"),
            datapoints_to_alarm=_int(p.get("DatapointsToAlarm")), extended_statistic=p.get("ExtendedStatistic"),
            ok_actions=p.get("OKActions") or [], insufficient_data_actions=p.get("InsufficientDataActions") or [],
            unit=p.get("Unit"), actions_enabled=_bool(p.get("ActionsEnabled"), True),
            treat_missing_data=p.get("TreatMissingData"), tags=_tags(p))
        return Created(resource_name, {"Arn": alarm.alarm_arn},
                       lambda: backend.delete_alarms([resource_name]))


def _metric_queries(metrics, props):
    """CloudFormation's Metrics (metric math) as PutMetricAlarm's Metrics,
    in moto's model. The API refuses an alarm with both a metric and Metrics,
    Metrics without exactly one ReturnData query, or a query that is neither
    an Expression nor a MetricStat; so does this."""
    if not metrics:
        return None
    from moto.cloudwatch.exceptions import InvalidParameterCombination, ValidationError
    from moto.cloudwatch.models import Dimension, Metric, MetricDataQuery, MetricStat
    if props.get("MetricName") or props.get("Namespace") or props.get("Statistic"):
        raise InvalidParameterCombination("Metrics cannot be combined with MetricName, Namespace or Statistic")
    returned = [m.get("Id") for m in metrics if _bool(m.get("ReturnData"), True)]
    if len(returned) != 1:
        raise ValidationError("exactly one of Metrics must have ReturnData true, got %s" % returned)
    out = []
    for m in metrics:
        stat = None
        if m.get("MetricStat"):
            ms, metric = m["MetricStat"], m["MetricStat"]["Metric"]
            stat = MetricStat(metric=Metric(metric_name=metric["MetricName"], namespace=metric.get("Namespace"),
                                            dimensions=[Dimension(d["Name"], d["Value"])
                                                        for d in metric.get("Dimensions") or []]),
                              period=ms.get("Period"), stat=ms.get("Stat"), unit=ms.get("Unit"))
        elif not m.get("Expression"):
            raise ValidationError("metric %s has neither Expression nor MetricStat" % m.get("Id"))
        out.append(MetricDataQuery(query_id=m["Id"], label=m.get("Label"), period=m.get("Period"),
                                   return_data=str(_bool(m.get("ReturnData"), True)).lower(),
                                   expression=m.get("Expression"), metric_stat=stat))
    return out


@handles("AWS::Logs::MetricFilter", name="FilterName",
         note="PutMetricFilter (FilterPattern, LogGroupName, MetricTransformations)")
class LogsMetricFilter(Handler, CloudFormationModel):
    APPLIES = ("FilterName", "FilterPattern", "LogGroupName", "MetricTransformations")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.logs.models import logs_backends
        backend = logs_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        # The Logs API (and moto's backend) spell these in camelCase.
        transforms = []
        for t in p["MetricTransformations"]:
            api = {k[0].lower() + k[1:]: v for k, v in t.items() if k != "Dimensions"}
            if t.get("Dimensions"):  # CloudFormation: [{Key, Value}]; the API: {key: value}
                api["dimensions"] = {d["Key"]: d["Value"] for d in t["Dimensions"]}
            transforms.append(api)
        group = p["LogGroupName"]
        backend.put_metric_filter(resource_name, p["FilterPattern"], group, transforms)
        return Created(resource_name, {}, lambda: backend.delete_metric_filter(resource_name, group))


# --- EC2 network ACLs -------------------------------------------------------

def _ec2(account_id, region_name):
    from moto.ec2.models import ec2_backends
    return ec2_backends[account_id][region_name]


@handles("AWS::EC2::NetworkAcl", note="CreateNetworkAcl (VpcId, Tags)")
class NetworkAcl(Handler, CloudFormationModel):
    APPLIES = ("VpcId", "Tags")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        ec2 = _ec2(account_id, region_name)
        p = cloudformation_json["Properties"]
        acl = ec2.create_network_acl(p["VpcId"], tags=_tags(p))
        return Created(acl.id, {"Id": acl.id}, lambda: ec2.delete_network_acl(acl.id))

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        # Only Tags can change in place; VpcId would need a replacement.
        return original_resource


@handles("AWS::EC2::NetworkAclEntry",
         note="CreateNetworkAclEntry (RuleNumber, Protocol, RuleAction, Egress, CidrBlock, PortRange, Icmp)")
class NetworkAclEntry(Handler, CloudFormationModel):
    APPLIES = ("NetworkAclId", "RuleNumber", "Protocol", "RuleAction", "Egress", "CidrBlock", "Icmp", "PortRange",
               "Ipv6CidrBlock")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        ec2 = _ec2(account_id, region_name)
        p = cloudformation_json["Properties"]
        ports, icmp = p.get("PortRange") or {}, p.get("Icmp") or {}
        acl_id, number, egress = p["NetworkAclId"], int(p["RuleNumber"]), _bool(p.get("Egress"))
        ec2.create_network_acl_entry(
            acl_id, number, str(p["Protocol"]), p["RuleAction"], egress, p.get("CidrBlock"),
            _int(icmp.get("Code")), _int(icmp.get("Type")), _int(ports.get("From")), _int(ports.get("To")),
            p.get("Ipv6CidrBlock"))
        def delete():
            # moto deletes a stack's resources in no particular order; the
            # entries of an ACL already deleted went with it, as on AWS.
            if acl_id in ec2.network_acls:
                ec2.delete_network_acl_entry(acl_id, number, egress)

        return Created("%s|%d|%s" % (acl_id, number, egress), {}, delete)


@handles("AWS::EC2::SubnetNetworkAclAssociation",
         note="ReplaceNetworkAclAssociation for the subnet; on delete the subnet goes back to the VPC's default ACL")
class SubnetNetworkAclAssociation(Handler, CloudFormationModel):
    APPLIES = ("SubnetId", "NetworkAclId")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        ec2 = _ec2(account_id, region_name)
        p = cloudformation_json["Properties"]
        subnet_id = p["SubnetId"]
        current = next(aid for acl in ec2.network_acls.values() for aid, a in acl._associations.items()
                       if a.subnet_id == subnet_id)
        new = ec2.replace_network_acl_association(current, p["NetworkAclId"])
        vpc_id = ec2.get_subnet(subnet_id).vpc_id

        def restore_default():
            if subnet_id not in {sn.id for sn in ec2.describe_subnets()}:
                # moto deletes in no particular order; on AWS the association
                # goes with its subnet, moto keeps it on the ACL.
                for acl in ec2.network_acls.values():
                    acl._associations.pop(new.id, None)
                return
            default = next(a for a in ec2.network_acls.values() if a.default and a.vpc_id == vpc_id)
            ec2.replace_network_acl_association(new.id, default.id)

        return Created(new.id, {"AssociationId": new.id}, restore_default)


# --- Resource policies ----------------------------------------------------
# No handler for AWS::S3::BucketPolicy on purpose: see adapt.NOT_SERVED.

@handles("AWS::SNS::TopicPolicy", note="SetTopicAttributes Policy on each of Topics")
class SnsTopicPolicy(Handler, CloudFormationModel):
    APPLIES = ("Topics", "PolicyDocument")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.sns.models import sns_backends
        backend = sns_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        for arn in p["Topics"]:
            # moto's backend takes the attribute's snake_case name (its API layer converts).
            backend.set_topic_attribute(arn, "policy", json.dumps(p["PolicyDocument"]))

        def restore_default():
            # Deleting a TopicPolicy gives the topics their default policy back.
            for arn in p["Topics"]:
                topic = backend.topics.get(arn)
                if topic is not None:
                    topic.policy = json.dumps(topic._create_default_topic_policy(region_name, account_id, topic.name))

        return Created(resource_name, {}, restore_default)


# --- AWS Config and GuardDuty ---------------------------------------------

def _camel(v):
    """CloudFormation's PascalCase keys as the Config API's camelCase ones
    (RoleARN -> roleARN, S3KmsKeyArn -> s3KmsKeyArn), recursively."""
    if isinstance(v, dict):
        return {k[0].lower() + k[1:]: _camel(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_camel(x) for x in v]
    return v


def _config(account_id, region_name):
    from moto.config.models import config_backends
    return config_backends[account_id][region_name]


@handles("AWS::Config::ConfigurationRecorder", name="Name",
         note="PutConfigurationRecorder (RoleARN, RecordingGroup); recording starts once a delivery channel "
         "exists, as CloudFormation starts it")
class ConfigRecorder(Handler, CloudFormationModel):
    APPLIES = ("Name", "RoleARN", "RecordingGroup")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _config(account_id, region_name)
        p = cloudformation_json["Properties"]
        recorder = {"name": resource_name, "roleARN": p["RoleARN"]}
        if p.get("RecordingGroup"):
            recorder["recordingGroup"] = _camel(p["RecordingGroup"])
        backend.put_configuration_recorder(recorder)
        if backend.delivery_channels:
            backend.start_configuration_recorder(resource_name)

        def delete():
            backend.stop_configuration_recorder(resource_name)
            backend.delete_configuration_recorder(resource_name)

        return Created(resource_name, {}, delete)


@handles("AWS::Config::DeliveryChannel", name="Name",
         note="PutDeliveryChannel (S3BucketName, S3KeyPrefix, S3KmsKeyArn, SnsTopicARN, "
         "ConfigSnapshotDeliveryProperties); starts the recorder, as CloudFormation does")
class ConfigDeliveryChannel(Handler, CloudFormationModel):
    APPLIES = ("Name", "S3BucketName", "S3KeyPrefix", "S3KmsKeyArn", "SnsTopicARN",
               "ConfigSnapshotDeliveryProperties")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _config(account_id, region_name)
        channel = dict(_camel(cloudformation_json["Properties"]), name=resource_name)
        backend.put_delivery_channel(channel)
        for name in list(backend.recorders):
            backend.start_configuration_recorder(name)

        def delete():
            for name in list(backend.recorders):
                backend.stop_configuration_recorder(name)
            backend.delete_delivery_channel(resource_name)

        return Created(resource_name, {}, delete)


@handles("AWS::Config::ConfigRule", name="ConfigRuleName",
         note="PutConfigRule (Source, Scope, InputParameters, MaximumExecutionFrequency, Description); moto "
         "validates AWS managed rule identifiers and their parameters, but never evaluates resources")
class ConfigRule(Handler, CloudFormationModel):
    APPLIES = ("ConfigRuleName", "Description", "InputParameters", "MaximumExecutionFrequency", "Scope", "Source",
               "Tags")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _config(account_id, region_name)
        p = cloudformation_json["Properties"]
        rule = {k: v for k, v in p.items() if k not in ("Tags", "Compliance", "EvaluationModes")}
        rule["ConfigRuleName"] = resource_name
        if isinstance(rule.get("InputParameters"), dict):
            rule["InputParameters"] = json.dumps(rule["InputParameters"])
        backend.put_config_rule(rule, _tags(p))
        created = backend.config_rules[resource_name]
        return Created(resource_name, {"Arn": created.config_rule_arn, "ConfigRuleId": created.config_rule_id},
                       lambda: backend.delete_config_rule(resource_name))


@handles("AWS::GuardDuty::Detector",
         note="CreateDetector (Enable, FindingPublishingFrequency, DataSources, Features, Tags)")
class GuardDutyDetector(Handler, CloudFormationModel):
    APPLIES = ("Enable", "FindingPublishingFrequency", "DataSources", "Features", "Tags")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.guardduty.models import guardduty_backends
        backend = guardduty_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        detector_id = backend.create_detector(
            enable=_bool(p.get("Enable")), finding_publishing_frequency=p.get("FindingPublishingFrequency"),
            data_sources=_camel(p.get("DataSources") or {}), tags={t["Key"]: t["Value"] for t in _tags(p)},
            features=p.get("Features") or [])
        return Created(detector_id, {"Id": detector_id}, lambda: backend.delete_detector(detector_id))

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        # UpdateDetector: the detector (and its ID) stays, as on AWS.
        from moto.guardduty.models import guardduty_backends
        p = cloudformation_json["Properties"]
        guardduty_backends[account_id][region_name].update_detector(
            original_resource.physical_resource_id, enable=_bool(p.get("Enable")),
            finding_publishing_frequency=p.get("FindingPublishingFrequency"),
            data_sources=_camel(p.get("DataSources") or {}), features=p.get("Features") or [])
        return original_resource


# --- AWS Backup -------------------------------------------------------------
# No handler for AWS::Backup::BackupSelection: moto has no BackupSelection API
# to call, so which resources a plan covers cannot be shown on the emulator.

def _backup(account_id, region_name):
    from moto.backup.models import backup_backends
    return backup_backends[account_id][region_name]


@handles("AWS::Backup::BackupVault", name="BackupVaultName",
         note="CreateBackupVault (BackupVaultName, EncryptionKeyArn, BackupVaultTags)")
class BackupVault(Handler, CloudFormationModel):
    APPLIES = ("BackupVaultName", "BackupVaultTags", "EncryptionKeyArn")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _backup(account_id, region_name)
        p = cloudformation_json["Properties"]
        if p.get("LockConfiguration"):
            raise NotImplementedError("deploy-local's AWS::Backup::BackupVault handler does not apply "
                                      "LockConfiguration; extend scripts/emulator/handlers.py")
        vault = backend.create_backup_vault(resource_name, p.get("BackupVaultTags") or {},
                                            p.get("EncryptionKeyArn"), resource_name)
        return Created(resource_name, {"BackupVaultName": resource_name, "BackupVaultArn": vault.backup_vault_arn},
                       lambda: backend.delete_backup_vault(resource_name))


@handles("AWS::Backup::BackupPlan",
         note="CreateBackupPlan (BackupPlan: name, rules with vault, schedule, windows, lifecycle, "
         "recovery point tags)")
class BackupPlan(Handler, CloudFormationModel):
    APPLIES = ("BackupPlan", "BackupPlanTags")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _backup(account_id, region_name)
        p = cloudformation_json["Properties"]
        plan = cls.plan_document(p["BackupPlan"])
        return cls.created(backend, backend.create_backup_plan(plan, p.get("BackupPlanTags") or {}, resource_name))

    @staticmethod
    def plan_document(plan_props):
        """CloudFormation's BackupPlan property as the API's BackupPlan."""
        rules = []
        for r in plan_props.get("BackupPlanRule") or []:
            rule = {k: v for k, v in r.items() if k != "TargetBackupVault"}
            rule["TargetBackupVaultName"] = r["TargetBackupVault"]  # the API's name for it
            rules.append(rule)
        plan = {"BackupPlanName": plan_props["BackupPlanName"], "Rules": rules}
        if plan_props.get("AdvancedBackupSettings"):
            plan["AdvancedBackupSettings"] = plan_props["AdvancedBackupSettings"]
        return plan

    @staticmethod
    def created(backend, plan):
        return Created(plan.backup_plan_id, {"BackupPlanId": plan.backup_plan_id, "BackupPlanArn": plan.backup_plan_arn,
                                             "VersionId": plan.version_id},
                       lambda: backend.delete_backup_plan(plan.backup_plan_id))

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        # UpdateBackupPlan keeps the plan's ID and ARN and makes a new version.
        # moto has no update, and its delete only marks a plan deleted while
        # still refusing a new plan of the same name: replace the document.
        from moto.backup.models import Plan
        backend = _backup(account_id, region_name)
        old = backend.plans[original_resource.physical_resource_id]
        new = Plan(backup_plan=cls.plan_document(cloudformation_json["Properties"]["BackupPlan"]),
                   creator_request_id=old.creator_request_id, backend=backend)
        new.backup_plan_id, new.backup_plan_arn = old.backup_plan_id, old.backup_plan_arn
        backend.plans[old.backup_plan_id] = new
        return cls.created(backend, new)


# --- EC2 security group egress and SNS subscriptions -----------------------

@handles("AWS::EC2::SecurityGroupEgress",
         note="AuthorizeSecurityGroupEgress (IpProtocol, FromPort, ToPort, CidrIp, DestinationSecurityGroupId, "
         "DestinationPrefixListId, Description); RevokeSecurityGroupEgress on delete")
class SecurityGroupEgress(Handler, CloudFormationModel):
    APPLIES = ("GroupId", "IpProtocol", "FromPort", "ToPort", "CidrIp", "DestinationSecurityGroupId",
               "DestinationPrefixListId", "Description")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        ec2 = _ec2(account_id, region_name)
        p = cloudformation_json["Properties"]
        if p.get("CidrIpv6"):
            raise NotImplementedError("deploy-local's AWS::EC2::SecurityGroupEgress handler does not apply CidrIpv6")
        rule = dict(
            group_name_or_id=p["GroupId"], ip_protocol=str(p["IpProtocol"]),
            from_port=_int(p.get("FromPort")), to_port=_int(p.get("ToPort")),
            ip_ranges=[{"CidrIp": p["CidrIp"], "Description": p.get("Description")}] if p.get("CidrIp") else [],
            source_groups=[{"GroupId": p["DestinationSecurityGroupId"], "Description": p.get("Description")}]
            if p.get("DestinationSecurityGroupId") else [],
            prefix_list_ids=[{"PrefixListId": p["DestinationPrefixListId"], "Description": p.get("Description")}]
            if p.get("DestinationPrefixListId") else [])
        ec2.authorize_security_group_egress(**rule)

        def revoke():
            # moto deletes in no particular order; a rule of a group already
            # deleted went with it, as on AWS.
            if ec2.get_security_group_from_id(p["GroupId"]) is not None:
                ec2.revoke_security_group_egress(**rule)

        return Created("%s|egress|%s" % (p["GroupId"], resource_name), {}, revoke)


@handles("AWS::SNS::Subscription",
         note="Subscribe (TopicArn, Protocol, Endpoint); Unsubscribe on delete. No message is delivered")
class SnsSubscription(Handler, CloudFormationModel):
    APPLIES = ("TopicArn", "Protocol", "Endpoint")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.sns.models import sns_backends
        backend = sns_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        sub = backend.subscribe(p["TopicArn"], p["Endpoint"], p["Protocol"])
        return Created(sub.arn, {"Arn": sub.arn}, lambda: backend.unsubscribe(sub.arn))


# --- AWS Organizations --------------------------------------------------------

# AWS Organizations' limit on a service control policy, in characters of the
# policy without whitespace. AWS's CreatePolicy refuses a larger one
# (ConstraintViolationException, POLICY_CONTENT_LIMIT_EXCEEDED); moto does not
# check, so the handler does, as the API would.
SCP_MAX_CHARS = 5120


def _organizations(account_id, region_name):
    from moto.organizations.models import organizations_backends
    from moto.utilities.utils import get_partition
    return organizations_backends[account_id][get_partition(region_name)]


def _policy_text(content):
    """The policy as the API takes it: a JSON string (CloudFormation accepts
    an object too and serializes it)."""
    return content if isinstance(content, str) else json.dumps(content, separators=(",", ":"))


def _compact_len(text):
    return len(json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False))


@handles("AWS::Organizations::Policy", name="Name",
         note="CreatePolicy (Name, Type, Content, Description, Tags; the SCP size limit AWS applies), "
         "AttachPolicy to each of TargetIds; delete: DetachPolicy from every target, DeletePolicy")
class OrganizationsPolicy(Handler, CloudFormationModel):
    APPLIES = ("Name", "Type", "Content", "Description", "Tags", "TargetIds")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.organizations.exceptions import OrganizationsClientError
        backend = _organizations(account_id, region_name)
        p = cloudformation_json["Properties"]
        text = _policy_text(p["Content"])
        if p.get("Type") == "SERVICE_CONTROL_POLICY" and _compact_len(text) > SCP_MAX_CHARS:
            raise OrganizationsClientError(
                "ConstraintViolationException",
                "POLICY_CONTENT_LIMIT_EXCEEDED: policy %s has %d characters, over %d"
                % (p.get("Name", resource_name), _compact_len(text), SCP_MAX_CHARS))
        created = backend.create_policy(Name=p.get("Name", resource_name), Type=p["Type"], Content=text,
                                        Description=p.get("Description", ""), Tags=_tags(p))
        summary = created["Policy"]["PolicySummary"]
        policy_id = summary["Id"]

        def detach_all_and_delete():
            for t in backend.list_targets_for_policy(PolicyId=policy_id)["Targets"]:
                backend.detach_policy(PolicyId=policy_id, TargetId=t["TargetId"])
            backend.delete_policy(PolicyId=policy_id)

        try:
            for target in p.get("TargetIds") or []:
                backend.attach_policy(PolicyId=policy_id, TargetId=target)
        except Exception:
            # CloudFormation rolls the resource back: no half-attached policy.
            detach_all_and_delete()
            raise
        return Created(policy_id, {"Id": policy_id, "Arn": summary["Arn"], "AwsManaged": False},
                       detach_all_and_delete)


# --- App tier (<env>-app, PhiService): WAFv2, ECS service, Application Auto Scaling

def _wafv2(account_id, region_name):
    from moto.wafv2.models import wafv2_backends
    return wafv2_backends[account_id][region_name]


def _wafv2_error(message):
    from moto.wafv2.exceptions import WAFv2ClientError
    return WAFv2ClientError("WAFInvalidParameterException", message)


@handles("AWS::WAFv2::WebACL", name="Name",
         note="CreateWebACL (Name, Scope, DefaultAction, Rules, VisibilityConfig, Description, Tags, "
         "CustomResponseBodies, CaptchaConfig, ChallengeConfig, TokenDomains, AssociationConfig); "
         "DeleteWebACL on delete. moto stores the rules; it never inspects a request")
class WafV2WebAcl(Handler, CloudFormationModel):
    APPLIES = ("Name", "Scope", "DefaultAction", "Rules", "VisibilityConfig", "Description", "Tags",
               "CustomResponseBodies", "CaptchaConfig", "ChallengeConfig", "TokenDomains", "AssociationConfig")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _wafv2(account_id, region_name)
        p = cloudformation_json["Properties"]
        name = p.get("Name", resource_name)
        acl = backend.create_web_acl(
            name=name, visibility_config=p["VisibilityConfig"], default_action=p["DefaultAction"],
            scope=p["Scope"], description=p.get("Description"), tags=_tags(p), rules=p.get("Rules") or [],
            association_config=p.get("AssociationConfig"), captcha_config=p.get("CaptchaConfig"),
            challenge_config=p.get("ChallengeConfig"), custom_response_bodies=p.get("CustomResponseBodies"),
            token_domains=p.get("TokenDomains"))

        def delete():
            current = backend.wacls.get(acl.arn)
            if current is not None:
                backend.delete_web_acl(name, p["Scope"], acl.id, current.lock_token)

        # Ref of a web ACL is "name|id|scope", as CloudFormation gives it.
        return Created("%s|%s|%s" % (name, acl.id, p["Scope"]),
                       {"Arn": acl.arn, "Id": acl.id, "LabelNamespace": "awswaf:%s:webacl:%s:" % (account_id, name),
                        "Capacity": 0}, delete)


@handles("AWS::WAFv2::WebACLAssociation",
         note="AssociateWebACL (WebACLArn, ResourceArn; the load balancer must exist, as AWS requires); "
         "DisassociateWebACL on delete")
class WafV2WebAclAssociation(Handler, CloudFormationModel):
    APPLIES = ("WebACLArn", "ResourceArn")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _wafv2(account_id, region_name)
        p = cloudformation_json["Properties"]
        resource = p["ResourceArn"]
        if ":elasticloadbalancing:" in resource:
            from moto.elbv2.models import elbv2_backends
            if resource not in elbv2_backends[account_id][region_name].load_balancers:
                from moto.wafv2.exceptions import WAFNonexistentItemException
                raise WAFNonexistentItemException()
        backend.associate_web_acl(p["WebACLArn"], resource)

        def delete():
            backend.disassociate_web_acl(resource)

        return Created("%s|%s" % (p["WebACLArn"], resource), {}, delete)


WAF_LOG_GROUP_PREFIX = "aws-waf-logs-"  # AWS WAF logs only to log groups named so


@handles("AWS::WAFv2::LoggingConfiguration",
         note="PutLoggingConfiguration (ResourceArn, LogDestinationConfigs, RedactedFields, LoggingFilter; a "
         "CloudWatch Logs destination must be an existing log group named aws-waf-logs-*, as AWS requires); "
         "DeleteLoggingConfiguration on delete")
class WafV2LoggingConfiguration(Handler, CloudFormationModel):
    APPLIES = ("ResourceArn", "LogDestinationConfigs", "RedactedFields", "LoggingFilter")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _wafv2(account_id, region_name)
        p = cloudformation_json["Properties"]
        arn = p["ResourceArn"]
        if arn not in backend.wacls:
            from moto.wafv2.exceptions import WAFNonexistentItemException
            raise WAFNonexistentItemException()
        from moto.logs.models import logs_backends
        groups = logs_backends[account_id][region_name].groups
        for dest in p["LogDestinationConfigs"]:
            if ":log-group:" not in dest:
                continue
            group = dest.split(":log-group:")[1].split(":")[0]
            if not group.startswith(WAF_LOG_GROUP_PREFIX):
                raise _wafv2_error("log destination %s: the log group name must start with %s"
                                   % (dest, WAF_LOG_GROUP_PREFIX))
            if group not in groups:
                raise _wafv2_error("log destination %s: no such log group" % dest)
        backend.put_logging_configuration(arn, p["LogDestinationConfigs"], p.get("RedactedFields"), False,
                                          p.get("LoggingFilter"))

        def delete():
            if arn in backend.logging_configurations:
                backend.delete_logging_configuration(arn)

        return Created(arn, {}, delete)


def _camel_keys(v):
    """CloudFormation's PascalCase keys as ECS's JSON API spells them."""
    if isinstance(v, dict):
        return {k[0].lower() + k[1:]: _camel_keys(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_camel_keys(x) for x in v]
    return v


@handles("AWS::ECS::Service", name="ServiceName",
         note="CreateService (Cluster, TaskDefinition, DesiredCount, LaunchType, PlatformVersion, "
         "NetworkConfiguration, LoadBalancers, PropagateTags, Tags); moto starts no task. Replaces moto's "
         "handler, which drops NetworkConfiguration, LaunchType and LoadBalancers; DeleteService on delete")
class EcsService(Handler, CloudFormationModel):
    APPLIES = ("ServiceName", "Cluster", "TaskDefinition", "DesiredCount", "LaunchType", "PlatformVersion",
               "NetworkConfiguration", "LoadBalancers", "PropagateTags", "Tags")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.ecs.models import ecs_backends
        backend = ecs_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        cluster = getattr(p.get("Cluster"), "name", p.get("Cluster")) or "default"
        task = p.get("TaskDefinition")
        task = getattr(task, "arn", task)
        tags = [{"key": t["Key"], "value": t["Value"]} for t in _tags(p)]
        svc = backend.create_service(
            cluster, resource_name, _int(p.get("DesiredCount")), task_definition_str=task,
            load_balancers=_camel_keys(p.get("LoadBalancers") or []), tags=tags, launch_type=p.get("LaunchType"),
            platform_version=p.get("PlatformVersion"), propagate_tags=p.get("PropagateTags") or "NONE",
            network_configuration=_camel_keys(p.get("NetworkConfiguration")))

        def delete():
            if any(s.name == svc.name for s in backend.services.values()):
                backend.delete_service(svc.cluster_name, svc.name, force=True)

        return Created(svc.arn, {"Name": svc.name, "ServiceArn": svc.arn}, delete)


def _autoscaling(account_id, region_name):
    from moto.applicationautoscaling.models import applicationautoscaling_backends
    return applicationautoscaling_backends[account_id][region_name]


@handles("AWS::ApplicationAutoScaling::ScalableTarget",
         note="RegisterScalableTarget (ServiceNamespace, ResourceId, ScalableDimension, MinCapacity, MaxCapacity, "
         "RoleARN, SuspendedState; an ECS service must exist); DeregisterScalableTarget on delete")
class ScalableTarget(Handler, CloudFormationModel):
    APPLIES = ("ServiceNamespace", "ResourceId", "ScalableDimension", "MinCapacity", "MaxCapacity", "RoleARN",
               "SuspendedState")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _autoscaling(account_id, region_name)
        p = cloudformation_json["Properties"]
        ns, rid, dim = p["ServiceNamespace"], p["ResourceId"], p["ScalableDimension"]
        backend.register_scalable_target(ns, rid, dim, _int(p.get("MinCapacity")), _int(p.get("MaxCapacity")),
                                         p.get("RoleARN"), p.get("SuspendedState"))

        def delete():
            if rid in backend.targets.get(dim, {}):
                backend.deregister_scalable_target(ns, rid, dim)

        # Ref of a scalable target is "resource id|dimension|namespace".
        return Created("%s|%s|%s" % (rid, dim, ns), {}, delete)


@handles("AWS::ApplicationAutoScaling::ScalingPolicy", name="PolicyName",
         note="PutScalingPolicy (PolicyName, PolicyType, ScalingTargetId or ServiceNamespace/ResourceId/"
         "ScalableDimension, TargetTrackingScalingPolicyConfiguration, StepScalingPolicyConfiguration); "
         "DeleteScalingPolicy on delete. moto never scales")
class ScalingPolicy(Handler, CloudFormationModel):
    APPLIES = ("PolicyName", "PolicyType", "ScalingTargetId", "ServiceNamespace", "ResourceId", "ScalableDimension",
               "TargetTrackingScalingPolicyConfiguration", "StepScalingPolicyConfiguration")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        backend = _autoscaling(account_id, region_name)
        p = cloudformation_json["Properties"]
        if p.get("ScalingTargetId"):
            rid, dim, ns = p["ScalingTargetId"].split("|")
        else:
            rid, dim, ns = p["ResourceId"], p["ScalableDimension"], p["ServiceNamespace"]
        if rid not in backend.targets.get(dim, {}):
            from moto.applicationautoscaling.exceptions import AWSValidationException
            raise AWSValidationException("No scalable target registered for service namespace: %s, resource ID: "
                                         "%s, scalable dimension: %s" % (ns, rid, dim))
        name = p.get("PolicyName", resource_name)
        body = p.get("TargetTrackingScalingPolicyConfiguration") or p.get("StepScalingPolicyConfiguration")
        policy = backend.put_scaling_policy(name, ns, rid, dim, body, p.get("PolicyType"))

        def delete():
            key = policy.formulate_key(ns, rid, dim, name)
            if key in backend.policies:
                backend.delete_scaling_policy(name, ns, rid, dim)

        return Created(policy.policy_arn, {"Arn": policy.policy_arn}, delete)
