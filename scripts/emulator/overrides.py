"""CloudFormation handlers that replace moto's own for two types it gets wrong.

- AWS::RDS::DBInstance: moto's handler reads VPCSecurityGroups under another
  name, crashes on a Ref'd DBParameterGroupName, ignores DeletionProtection,
  has no in-place update (an update drops the instance from the stack) and
  deletes without the final snapshot DeletionPolicy Snapshot asks for.
- AWS::EC2::Instance: moto's handler ignores SecurityGroupIds,
  NetworkInterfaces, MetadataOptions and LaunchTemplate.

As in handlers.py, only the CloudFormation-to-API step is ours: the instance
is created, modified and deleted by moto's RDS and EC2 backends.
"""
from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel

from scripts.emulator.handlers import FIXES, Created, Handler, _bool, _int, _name, _tags, handles

# CloudFormation property -> moto's attribute, for what CreateDBInstance /
# CreateDBCluster and their Modify* take (first what both share). Any other
# property is listed as not applied (APPLIES).
RDS_COMMON_PROPERTIES = {
    "AutoMinorVersionUpgrade": ("auto_minor_version_upgrade", _bool),
    "BackupRetentionPeriod": ("backup_retention_period", _int),
    "CopyTagsToSnapshot": ("copy_tags_to_snapshot", _bool),
    "DBSubnetGroupName": ("db_subnet_group_name", _name),
    "DeletionProtection": ("deletion_protection", _bool),
    "EnableCloudwatchLogsExports": ("enable_cloudwatch_logs_exports", list),
    "EnableIAMDatabaseAuthentication": ("enable_iam_database_authentication", _bool),
    "Engine": ("engine", None),
    "EngineVersion": ("engine_version", None),
    "KmsKeyId": ("kms_key_id", None),
    "ManageMasterUserPassword": ("manage_master_user_password", _bool),
    "MasterUsername": ("master_username", None),
    "MasterUserPassword": ("master_user_password", None),
    "Port": ("port", _int),
    "PreferredBackupWindow": ("preferred_backup_window", None),
    "PreferredMaintenanceWindow": ("preferred_maintenance_window", lambda v: v.lower()),
    "StorageEncrypted": ("storage_encrypted", _bool),
    "StorageType": ("storage_type", None),
    "Tags": ("tags", list),
}
RDS_PROPERTIES = dict(RDS_COMMON_PROPERTIES, **{
    "AllocatedStorage": ("allocated_storage", _int),
    "AvailabilityZone": ("availability_zone", None),
    "DBInstanceClass": ("db_instance_class", None),
    "DBClusterIdentifier": ("db_cluster_identifier", _name),
    "DBName": ("db_name", None),
    "DBParameterGroupName": ("db_parameter_group_name", _name),
    "Iops": ("iops", _int),
    "MaxAllocatedStorage": ("max_allocated_storage", _int),
    "MultiAZ": ("multi_az", _bool),
    "PromotionTier": ("promotion_tier", _int),
    "PubliclyAccessible": ("publicly_accessible", _bool),
    "VPCSecurityGroups": ("vpc_security_group_ids", list),
})

# Changing one of these makes CloudFormation replace the instance (AWS docs,
# "Update requires: Replacement"); the handler refuses rather than pretend.
RDS_REPLACEMENT_PROPERTIES = ("DBInstanceIdentifier", "DBClusterIdentifier", "DBName", "DBSubnetGroupName", "Engine",
                              "KmsKeyId", "MasterUsername", "StorageEncrypted", "AvailabilityZone")


def _rds_kwargs(props, table=None):
    """The backend's keyword arguments for a resource's properties, by table
    (RDS_PROPERTIES for instances, RDS_CLUSTER_PROPERTIES for clusters)."""
    out = {}
    for prop, (attr, conv) in (table or RDS_PROPERTIES).items():
        if props.get(prop) is not None:
            out[attr] = conv(props[prop]) if conv else props[prop]
    if "MasterUserSecret" in props:
        out["master_user_secret_kms_key_id"] = props["MasterUserSecret"].get("KmsKeyId")
    return out


@handles("AWS::RDS::DBInstance", name="DBInstanceIdentifier",
         note="CreateDBInstance / ModifyDBInstance with the template's properties (incl. VPCSecurityGroups, "
         "DeletionProtection); an update modifies the instance in place; DeletionPolicy Snapshot deletes "
         "with a final snapshot")
class RdsDbInstance(Handler, CloudFormationModel):
    # DeleteAutomatedBackups: on the DeletionPolicy Snapshot delete below.
    APPLIES = tuple(RDS_PROPERTIES) + ("DBInstanceIdentifier", "MasterUserSecret", "DeleteAutomatedBackups")

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr in ("Endpoint.Address", "Endpoint.Port", "DbiResourceId")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.rds.models import rds_backends
        p = cloudformation_json["Properties"]
        if p.get("SourceDBInstanceIdentifier") or p.get("DBSnapshotIdentifier"):
            raise NotImplementedError("deploy-local's AWS::RDS::DBInstance handler creates new instances "
                                      "only; extend scripts/emulator/overrides.py")
        db_kwargs = _rds_kwargs(p)
        db_kwargs["db_instance_identifier"] = resource_name.replace("_", "-").lower()
        # CloudFormation's default, as for a CreateDBInstance without the flag.
        db_kwargs.setdefault("preferred_backup_window", "03:00-03:30")
        db = rds_backends[account_id][region_name].create_db_instance(db_kwargs)
        db.deploy_local_kwargs = db_kwargs  # what an update compares against (moto normalizes some values)
        return db

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        from moto.rds.models import rds_backends
        backend = rds_backends[account_id][region_name]
        new = _rds_kwargs(cloudformation_json["Properties"])
        before = original_resource.deploy_local_kwargs
        for prop in RDS_REPLACEMENT_PROPERTIES:
            if prop == "DBInstanceIdentifier":
                # Without the property moto makes up a new name; CloudFormation keeps its own.
                changed = ("DBInstanceIdentifier" in cloudformation_json["Properties"]
                           and new_resource_name.lower() != original_resource.db_instance_identifier)
            else:
                attr = RDS_PROPERTIES[prop][0]
                changed = new.get(attr) != before.get(attr)
            if changed:
                raise NotImplementedError("%s changes %s, which needs a replacement: deploy-local's handler "
                                          "updates in place only" % (original_resource.db_instance_identifier,
                                                                     prop))
        # Like CloudFormation, modify only what changed.
        mutable = {k: v for k, v in new.items() if v != before.get(k) and k != "master_user_password"}
        db = backend.modify_db_instance(original_resource.db_instance_identifier, mutable)
        db.deploy_local_kwargs = dict(before, **new)
        return db

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        from moto.rds.models import rds_backends
        rds_backends[account_id][region_name].delete_db_instance(resource_name)

    @staticmethod
    def snapshot_and_delete(backend, ident, resource_json, snapshot_id):
        keep_automated = str(resource_json.get("Properties", {}).get("DeleteAutomatedBackups", "true")).lower() == "false"
        backend.delete_db_instance(ident, final_db_snapshot_identifier=snapshot_id,
                                   delete_automated_backups=not keep_automated)


def final_snapshot_id(stack_name, logical_id, db_id):
    # CloudFormation names it after the stack and resource; any unique name does.
    return ("%s-%s-snapshot-%s" % (stack_name, logical_id, db_id)).lower()[:255]




@handles("AWS::EC2::Instance",
         note="RunInstances as the EC2 API gets it: ImageId, InstanceType, SubnetId, SecurityGroupIds, KeyName, "
         "PrivateIpAddress, BlockDeviceMappings, UserData, IamInstanceProfile, EbsOptimized, Monitoring, "
         "LaunchTemplate, MetadataOptions (the instance's, else its launch template's), one NetworkInterfaces "
         "entry (SubnetId, GroupSet, AssociatePublicIpAddress; without it the subnet's MapPublicIpOnLaunch "
         "decides the public IP)")
class Ec2Instance(Handler, CloudFormationModel):
    APPLIES = ("ImageId", "InstanceType", "AvailabilityZone", "SubnetId", "KeyName", "SecurityGroupIds", "SecurityGroups",
               "PrivateIpAddress", "NetworkInterfaces", "EbsOptimized", "Monitoring", "BlockDeviceMappings",
               "MetadataOptions", "LaunchTemplate", "UserData", "Tags", "IamInstanceProfile")

    @staticmethod
    def _moto():
        from moto.ec2.models.instances import Instance
        return Instance

    @classmethod
    def has_cfn_attr(cls, attr):
        return cls._moto().has_cfn_attr(attr)

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.ec2.models import ec2_backends
        ec2 = ec2_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        nics = p.get("NetworkInterfaces") or []
        if len(nics) > 1:
            raise NotImplementedError("deploy-local's AWS::EC2::Instance handler takes at most one "
                                      "NetworkInterfaces entry; extend scripts/emulator/overrides.py")
        nic = nics[0] if nics else {}
        lt = p.get("LaunchTemplate") or {}
        options = p.get("MetadataOptions")
        if options is None and lt:
            template = (ec2.get_launch_template(lt["LaunchTemplateId"]) if lt.get("LaunchTemplateId")
                        else ec2.get_launch_template_by_name(lt["LaunchTemplateName"]))
            options = template.get_version(lt.get("Version", "$Default")).data.get("MetadataOptions")
        run = {
            "instance_type": p.get("InstanceType", "m1.small"),
            "is_instance_type_default": not p.get("InstanceType"),
            "region_name": region_name,
            "placement": p.get("AvailabilityZone"),
            "subnet_id": p.get("SubnetId") or nic.get("SubnetId"),
            "key_name": p.get("KeyName"),
            "security_group_ids": list(p.get("SecurityGroupIds") or nic.get("GroupSet") or []),
            "private_ip": p.get("PrivateIpAddress"),
            # None: the subnet's MapPublicIpOnLaunch decides, as in EC2.
            "associate_public_ip": _bool(nic["AssociatePublicIpAddress"]) if "AssociatePublicIpAddress" in nic else None,
            "ebs_optimized": _bool(p.get("EbsOptimized")),
            "monitoring_state": "enabled" if _bool(p.get("Monitoring")) else "disabled",
            "block_device_mappings": p.get("BlockDeviceMappings") or [],
            "metadata_options": options or {},
        }
        if lt:
            run["launch_template"] = {k: v for k, v in lt.items() if k in ("LaunchTemplateId", "LaunchTemplateName",
                                                                           "Version")}
        reservation = ec2.run_instances(p["ImageId"], 1, p.get("UserData"), list(p.get("SecurityGroups") or []), **run)
        instance = reservation.instances[0]
        for tag in p.get("Tags") or []:
            instance.add_tag(tag["Key"], tag["Value"])
        if p.get("IamInstanceProfile"):
            ec2.associate_iam_instance_profile(instance_id=instance.id,
                                               iam_instance_profile_name=p["IamInstanceProfile"])
        return instance

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        # moto has no EC2 instance update either; fail the stack update
        # visibly rather than drop the instance from the stack as moto does.
        raise NotImplementedError("deploy-local does not update EC2 instances in place (%s)"
                                  % original_resource.id)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        return cls._moto().delete_from_cloudformation_json(resource_name, cloudformation_json, account_id,
                                                           region_name)


def refuse_in_use(original, kind, code, in_use):
    """An RDS backend delete that refuses a group an instance still uses, as
    RDS does. moto deletes it, and every DescribeDBInstances then fails (500)
    on the instance that names it: after a stack delete that a protected
    database refused, moto's unordered delete reaches the groups anyway."""
    def delete(self, name):
        users = [db.db_instance_identifier for db in self.databases.values() if in_use(db, name)]
        if users:
            from moto.rds.exceptions import RDSClientError
            raise RDSClientError(code, "%s %s is in use by DB instance(s) %s" % (kind, name, ", ".join(users)))
        return original(self, name)
    return delete


def _uses_parameter_group(db, name):
    return str(getattr(db, "db_parameter_group_name", "") or "").lower() == name.lower()


def _uses_subnet_group(db, name):
    return str(getattr(db, "_db_subnet_group_name", "") or "").lower() == name.lower()


def _install_rds_refusals():
    from moto.rds.models import RDSBackend
    RDSBackend.delete_db_parameter_group = refuse_in_use(
        RDSBackend.delete_db_parameter_group, "DB parameter group", "InvalidDBParameterGroupState",
        _uses_parameter_group)
    RDSBackend.delete_subnet_group = refuse_in_use(
        RDSBackend.delete_subnet_group, "DB subnet group", "InvalidDBSubnetGroupStateFault", _uses_subnet_group)


_install_rds_refusals()


def _install_dbi_resource_id():
    """Fn::GetAtt DbiResourceId of a DB instance (the rds-db:connect ARN of an
    IAM-authenticated client, e.g. PhiService's task policy): moto's instance
    has the ID but answers only Endpoint.Address/Port."""
    from moto.rds.models import DBInstance
    original = DBInstance.get_cfn_attribute
    if getattr(original, "deploy_local", False):
        return

    def get_cfn_attribute(self, name):
        if name == "DbiResourceId":
            return self.dbi_resource_id
        return original(self, name)
    get_cfn_attribute.deploy_local = True
    DBInstance.get_cfn_attribute = get_cfn_attribute


_install_dbi_resource_id()
FIXES["RDS group deletes"] = ("DeleteDBParameterGroup / DeleteDBSubnetGroup refused while an instance uses the "
                                "group, as RDS does")


def _moto_subnet():
    from moto.ec2.models.subnets import Subnet
    return Subnet


@handles("AWS::EC2::Subnet",
         note="moto's own handler, then MapPublicIpOnLaunch (default false) through ModifySubnetAttribute: moto's "
         "ignores the property and makes a subnet created without an AvailabilityZone public")
class Ec2Subnet(Handler, CloudFormationModel):
    APPLIES = ("VpcId", "CidrBlock", "AvailabilityZone", "Tags", "MapPublicIpOnLaunch")

    @classmethod
    def has_cfn_attr(cls, attr):
        return _moto_subnet().has_cfn_attr(attr)

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.ec2.models import ec2_backends
        subnet = _moto_subnet().create_from_cloudformation_json(resource_name, cloudformation_json, account_id,
                                                                region_name, **kwargs)
        public = _bool(cloudformation_json["Properties"].get("MapPublicIpOnLaunch"))
        ec2_backends[account_id][region_name].modify_subnet_attribute(subnet.id, "map_public_ip_on_launch", public)
        return subnet


# Update and delete stay moto's own (it has no subnet update handler, which
# adapt.moto_unupdatable_types reads from these).
Ec2Subnet.update_from_cloudformation_json = _moto_subnet().update_from_cloudformation_json
Ec2Subnet.delete_from_cloudformation_json = _moto_subnet().delete_from_cloudformation_json


# --- Aurora: DB clusters and their parameter groups --------------------------

@handles("AWS::RDS::DBClusterParameterGroup", name="DBClusterParameterGroupName",
         note="CreateDBClusterParameterGroup (Family, Description, Tags) and ModifyDBClusterParameterGroup (Parameters)")
class RdsDbClusterParameterGroup(Handler, CloudFormationModel):
    APPLIES = ("DBClusterParameterGroupName", "Family", "Description", "Parameters", "Tags")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.rds.models import rds_backends
        backend = rds_backends[account_id][region_name]
        p = cloudformation_json["Properties"]
        name = resource_name.lower()
        backend.create_db_cluster_parameter_group(name, p["Family"], p.get("Description", ""), _tags(p))
        params = [{"ParameterName": k, "ParameterValue": str(v), "ApplyMethod": "pending-reboot"}
                  for k, v in (p.get("Parameters") or {}).items()]
        if params:
            backend.modify_db_cluster_parameter_group(name, params)
        return Created(name, {}, lambda: backend.delete_db_cluster_parameter_group(name))


RDS_CLUSTER_PROPERTIES = dict(RDS_COMMON_PROPERTIES, **{
    "DatabaseName": ("database_name", None),
    "DBClusterParameterGroupName": ("db_cluster_parameter_group_name", _name),
    "VpcSecurityGroupIds": ("vpc_security_group_ids", list),
})
RDS_CLUSTER_REPLACEMENT_PROPERTIES = ("DatabaseName", "DBSubnetGroupName", "Engine", "KmsKeyId", "MasterUsername",
                                      "StorageEncrypted")


class ClusterRef(Created):
    """The stack's view of a cluster moto's RDS backend holds: Ref gives its
    identifier, Fn::GetAtt its endpoints and ARN (read from the backend)."""

    def __init__(self, backend, ident, kwargs):
        super().__init__(ident, on_delete=lambda: backend.delete_db_cluster(ident))
        self.backend, self.db_cluster_identifier, self.deploy_local_kwargs = backend, ident, kwargs

    def get_cfn_attribute(self, name):
        c = self.backend.clusters[self.db_cluster_identifier]
        values = {"Endpoint.Address": c.endpoint, "Endpoint.Port": str(c.port), "ReadEndpoint.Address": c.reader_endpoint,
                  "DBClusterArn": c.db_cluster_arn, "DBClusterResourceId": c.db_cluster_resource_id}
        if name not in values:
            return super().get_cfn_attribute(name)
        return values[name]


@handles("AWS::RDS::DBCluster", name="DBClusterIdentifier",
         note="CreateDBCluster / ModifyDBCluster with what they take (incl. StorageEncrypted, KmsKeyId, "
         "DeletionProtection, VpcSecurityGroupIds); in-place update; DeletionPolicy Snapshot deletes with a "
         "final cluster snapshot")
class RdsDbCluster(Handler, CloudFormationModel):
    APPLIES = tuple(RDS_CLUSTER_PROPERTIES) + ("DBClusterIdentifier", "MasterUserSecret")

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        from moto.rds.models import rds_backends
        p = cloudformation_json["Properties"]
        if p.get("SnapshotIdentifier") or p.get("SourceDBClusterIdentifier") or p.get("GlobalClusterIdentifier"):
            raise NotImplementedError("deploy-local's AWS::RDS::DBCluster handler creates new regional clusters "
                                      "only; extend scripts/emulator/overrides.py")
        kw = _rds_kwargs(p, RDS_CLUSTER_PROPERTIES)
        kw["db_cluster_identifier"] = resource_name.lower()
        backend = rds_backends[account_id][region_name]
        backend.create_db_cluster(kw)
        return ClusterRef(backend, kw["db_cluster_identifier"], kw)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        from moto.rds.models import rds_backends
        backend = rds_backends[account_id][region_name]
        new = _rds_kwargs(cloudformation_json["Properties"], RDS_CLUSTER_PROPERTIES)
        before = original_resource.deploy_local_kwargs
        ident = original_resource.db_cluster_identifier
        changed = [p for p in RDS_CLUSTER_REPLACEMENT_PROPERTIES
                   if new.get(RDS_CLUSTER_PROPERTIES[p][0]) != before.get(RDS_CLUSTER_PROPERTIES[p][0])]
        if "DBClusterIdentifier" in cloudformation_json["Properties"] and new_resource_name.lower() != ident:
            changed.append("DBClusterIdentifier")
        if changed:
            raise NotImplementedError("%s changes %s, which needs a replacement: deploy-local's handler updates in "
                                      "place only" % (ident, ", ".join(changed)))
        mutable = {k: v for k, v in new.items() if v != before.get(k) and k != "master_user_password"}
        backend.modify_db_cluster(dict(mutable, db_cluster_identifier=ident))
        return ClusterRef(backend, ident, dict(before, **new))

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        from moto.rds.models import rds_backends
        rds_backends[account_id][region_name].delete_db_cluster(resource_name)

    @staticmethod
    def snapshot_and_delete(backend, ident, resource_json, snapshot_id):
        backend.delete_db_cluster(ident, snapshot_name=snapshot_id)


def honour_snapshot_policy(original):
    """ResourceMap._delete_resource, plus DeletionPolicy Snapshot for the
    types whose handler has snapshot_and_delete: moto's own delete ignores the
    policy."""
    def _delete_resource(self, parsed_resource, resource_json):
        handler = parsing.get_model_map().get(resource_json.get("Type"))
        if resource_json.get("DeletionPolicy") == "Snapshot" and hasattr(handler, "snapshot_and_delete"):
            from moto.rds.models import rds_backends
            ident = parsed_resource.physical_resource_id
            handler.snapshot_and_delete(rds_backends[self._account_id][self._region_name], ident, resource_json,
                                        final_snapshot_id(self["AWS::StackName"], parsed_resource.logical_resource_id,
                                                          ident))
            return
        original(self, parsed_resource, resource_json)
    return _delete_resource


parsing.ResourceMap._delete_resource = honour_snapshot_policy(parsing.ResourceMap._delete_resource)
FIXES["DeletionPolicy Snapshot"] = ("AWS::RDS::DBInstance / DBCluster: DeleteDBInstance / DeleteDBCluster with a "
                                    "final snapshot")


# --- S3 buckets ---------------------------------------------------------------

def _moto_bucket():
    from moto.s3.models import FakeBucket
    return FakeBucket


BUCKET_APPLIES = ("BucketName", "BucketEncryption", "Tags", "VersioningConfiguration", "PublicAccessBlockConfiguration",
                  "OwnershipControls", "LoggingConfiguration", "ObjectLockEnabled", "ObjectLockConfiguration")


def _apply_bucket_properties(bucket, props, account_id, region_name):
    """What CreateBucket's follow-up calls (PutBucketVersioning, ...) set, as
    CloudFormation makes them, through moto's S3 backend."""
    from moto.s3.models import s3_backends
    from moto.s3.exceptions import InvalidTargetBucketForLogging
    from moto.utilities.utils import get_partition
    backend = s3_backends[account_id][get_partition(region_name)]
    name = bucket.name
    enc = props.get("BucketEncryption")
    if enc:
        # moto's handler drops BucketKeyEnabled; PutBucketEncryption takes it.
        rule = enc["ServerSideEncryptionConfiguration"][0]
        by_default = {"SSEAlgorithm": rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"]}
        if rule["ServerSideEncryptionByDefault"].get("KMSMasterKeyID"):
            by_default["KMSMasterKeyID"] = rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]
        api_rule = {"ApplyServerSideEncryptionByDefault": by_default}
        if _bool(rule.get("BucketKeyEnabled")):
            api_rule["BucketKeyEnabled"] = "true"
        backend.put_bucket_encryption(bucket_name=name, encryption={"Rule": api_rule})
    versioning = (props.get("VersioningConfiguration") or {}).get("Status")
    if versioning:
        backend.put_bucket_versioning(name, versioning)
    pab = props.get("PublicAccessBlockConfiguration")
    if pab:
        backend.put_public_access_block(name, {k: str(_bool(v)).lower() for k, v in pab.items()})
    rules = (props.get("OwnershipControls") or {}).get("Rules")
    if rules:
        backend.put_bucket_ownership_controls(name, ownership=rules[0]["ObjectOwnership"])
    if _bool(props.get("ObjectLockEnabled")):
        retention = ((props.get("ObjectLockConfiguration") or {}).get("Rule") or {}).get("DefaultRetention") or {}
        backend.put_object_lock_configuration(name, True, retention.get("Mode"), _int(retention.get("Days")),
                                              _int(retention.get("Years")))
    logging = props.get("LoggingConfiguration")
    if logging:
        config = {"TargetBucket": _name(logging["DestinationBucketName"]), "TargetPrefix": logging.get("LogFilePrefix", "")}
        try:
            backend.put_bucket_logging(name, config)
        except InvalidTargetBucketForLogging:
            # The delivery permission is the target's bucket policy, which the
            # emulator does not deploy (see adapt.NOT_SERVED); moto's other
            # checks (the target exists, same region) passed or raised above.
            target = backend.get_bucket(config["TargetBucket"])
            if target.region_name != bucket.region_name:
                raise
            bucket.logging = config


@handles("AWS::S3::Bucket", name="BucketName",
         note="moto's own handler (CreateBucket, encryption, tags), then PutBucketEncryption with BucketKeyEnabled, "
         "PutBucketVersioning, PutPublicAccessBlock, PutBucketOwnershipControls, PutObjectLockConfiguration and "
         "PutBucketLogging (the target's delivery permission is its bucket policy, which is not deployed)")
class S3Bucket(Handler, CloudFormationModel):
    APPLIES = BUCKET_APPLIES

    @classmethod
    def has_cfn_attr(cls, attr):
        return _moto_bucket().has_cfn_attr(attr)

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name,
                                        **kwargs):
        bucket = _moto_bucket().create_from_cloudformation_json(resource_name, cloudformation_json, account_id,
                                                                region_name, **kwargs)
        _apply_bucket_properties(bucket, cloudformation_json.get("Properties", {}), account_id, region_name)
        return bucket

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        bucket = _moto_bucket().update_from_cloudformation_json(original_resource, new_resource_name,
                                                                cloudformation_json, account_id, region_name)
        _apply_bucket_properties(bucket, cloudformation_json.get("Properties", {}), account_id, region_name)
        return bucket


S3Bucket.delete_from_cloudformation_json = _moto_bucket().delete_from_cloudformation_json


# --- ELBv2 target group attributes (the app stack) ---------------------------
# moto's FakeTargetGroup has no get_cfn_attribute: any Fn::GetAtt of a target
# group (PhiService's alarms and request-count scaling use TargetGroupFullName)
# crashes the stack create with an AttributeError.

def _target_group_attribute(self, attribute_name):
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
    if attribute_name == "TargetGroupFullName":  # targetgroup/<name>/<id>, as CloudWatch dimensions take it
        return self.arn.split(":")[-1]
    if attribute_name == "TargetGroupArn":
        return self.arn
    if attribute_name == "TargetGroupName":
        return self.name
    if attribute_name == "LoadBalancerArns":
        return list(self.load_balancer_arns)
    raise UnformattedGetAttTemplateException()


def _install_target_group_attributes():
    from moto.elbv2.models import FakeTargetGroup
    FakeTargetGroup.get_cfn_attribute = _target_group_attribute
    FakeTargetGroup.has_cfn_attr = classmethod(
        lambda cls, attr: attr in ("TargetGroupFullName", "TargetGroupArn", "TargetGroupName", "LoadBalancerArns"))


_install_target_group_attributes()
FIXES["ELBv2 TargetGroup attributes"] = ("Fn::GetAtt TargetGroupFullName, TargetGroupArn, TargetGroupName, "
                                         "LoadBalancerArns (moto's target group has no attributes and crashes)")


# --- Logs LogGroup KmsKeyId ---------------------------------------------------
# moto's LogGroup handler passes the template's properties to CreateLogGroup
# under their CloudFormation names, but its backend reads the key as the API
# spells it (kmsKeyId): KmsKeyId was silently dropped and every log group
# came out unencrypted.

def _log_group_with_key(create):
    def wrapped(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json.get("Properties") or {}
        if props.get("KmsKeyId") and "kmsKeyId" not in props:
            cloudformation_json = dict(cloudformation_json, Properties=dict(props, kmsKeyId=props["KmsKeyId"]))
        return create.__func__(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    return classmethod(wrapped)


def _install_log_group_key():
    from moto.logs.models import LogGroup
    LogGroup.create_from_cloudformation_json = _log_group_with_key(LogGroup.create_from_cloudformation_json)


_install_log_group_key()
FIXES["Logs LogGroup KmsKeyId"] = ("AWS::Logs::LogGroup: KmsKeyId reaches CreateLogGroup as the API's kmsKeyId "
                                   "(moto's handler dropped it: every log group came out unencrypted)")


# --- ECR Repository scanning and encryption -----------------------------------
# moto's Repository handler passes ImageScanningConfiguration and
# EncryptionConfiguration with CloudFormation's keys (ScanOnPush,
# EncryptionType, KmsKey) to a backend that reads the API's (scanOnPush,
# encryptionType, kmsKey): DescribeRepositories showed neither.

def _repository_api_keys(create):
    def wrapped(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = dict(cloudformation_json.get("Properties") or {})
        for prop in ("ImageScanningConfiguration", "EncryptionConfiguration"):
            if isinstance(props.get(prop), dict):
                props[prop] = {k[0].lower() + k[1:]: v for k, v in props[prop].items()}
        return create.__func__(cls, resource_name, dict(cloudformation_json, Properties=props), account_id,
                               region_name, **kwargs)
    return classmethod(wrapped)


def _install_repository_keys():
    from moto.ecr.models import Repository
    Repository.create_from_cloudformation_json = _repository_api_keys(Repository.create_from_cloudformation_json)


_install_repository_keys()
FIXES["ECR Repository configurations"] = ("AWS::ECR::Repository: ImageScanningConfiguration and "
                                          "EncryptionConfiguration reach the backend with the API's keys (moto's "
                                          "handler dropped both)")


# --- WAFv2 UpdateWebACL with no rules -----------------------------------------
# moto's UpdateWebACL keeps the old rules when Rules is an empty list (it tests
# the list's truth), where AWS replaces them with none: IsolateEdge (Rules [])
# looked like it left every rule in place.

def _update_web_acl_with_no_rules(update):
    def wrapped(self, name, _id, default_action, rules, *args, **kwargs):
        token = update(self, name, _id, default_action, rules, *args, **kwargs)
        if rules == []:
            self.get_web_acl(None, name, _id).rules = []
        return token
    wrapped.deploy_local = True
    return wrapped


def _install_update_web_acl_with_no_rules():
    from moto.wafv2.models import WAFV2Backend
    if not getattr(WAFV2Backend.update_web_acl, "deploy_local", False):
        WAFV2Backend.update_web_acl = _update_web_acl_with_no_rules(WAFV2Backend.update_web_acl)


_install_update_web_acl_with_no_rules()
FIXES["WAFv2 UpdateWebACL with no rules"] = ("UpdateWebACL with Rules [] leaves the web ACL with no rules, as AWS "
                                             "does (moto kept the old ones)")
