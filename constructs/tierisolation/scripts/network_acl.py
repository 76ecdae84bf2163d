def handler(events, context):
    """Associate each subnet in SubnetIds with NetworkAclId
    (ec2:DescribeNetworkAcls, ec2:ReplaceNetworkAclAssociation). A subnet
    already on NetworkAclId is left as it is, so a second run changes nothing."""
    import boto3
    ec2 = boto3.client("ec2")
    target = events["NetworkAclId"]
    changes = []
    for subnet in events["SubnetIds"]:
        acls = ec2.describe_network_acls(
            Filters=[{"Name": "association.subnet-id", "Values": [subnet]}])["NetworkAcls"]
        assoc = [a for acl in acls for a in acl.get("Associations", []) if a.get("SubnetId") == subnet]
        if not assoc:
            raise Exception("subnet %s has no network ACL association" % subnet)
        current = assoc[0]
        if current["NetworkAclId"] == target:
            changes.append("%s: already on %s" % (subnet, target))
            continue
        new_id = ec2.replace_network_acl_association(
            AssociationId=current["NetworkAclAssociationId"], NetworkAclId=target)["NewAssociationId"]
        changes.append("%s: %s -> %s (%s)" % (subnet, current["NetworkAclId"], target, new_id))
    return {"Changes": changes}
