def handler(events, context):
    """Action isolate: add deny-all entries (all protocols, ingress and
    egress, 0.0.0.0/0 at Ipv4RuleNumber, and ::/0 at Ipv6RuleNumber when the
    ACL has IPv6 entries) to NetworkAclId, ahead of its allow entries; every
    subnet in SubnetIds must be on that ACL. Action reconnect: delete exactly
    those entries. The ACL and its associations are not replaced, so nothing
    CloudFormation manages changes. A second run of either changes nothing
    (ec2:DescribeNetworkAcls, ec2:CreateNetworkAclEntry,
    ec2:DeleteNetworkAclEntry)."""
    import boto3
    from botocore.exceptions import ClientError
    ec2 = boto3.client("ec2")
    acl_id, action = events["NetworkAclId"], events["Action"]
    acl = ec2.describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]
    on_acl = {a.get("SubnetId") for a in acl.get("Associations", [])}
    missing = [s for s in events["SubnetIds"] if s not in on_acl]
    if missing and action == "isolate":
        raise Exception("subnets %s are not associated with %s: its entries would not cut them" % (missing, acl_id))
    wanted = [(int(events["Ipv4RuleNumber"]), "CidrBlock", "0.0.0.0/0")]
    if any(e.get("Ipv6CidrBlock") for e in acl.get("Entries", [])):
        wanted.append((int(events["Ipv6RuleNumber"]), "Ipv6CidrBlock", "::/0"))
    entries = {(e["RuleNumber"], bool(e["Egress"])): e for e in acl.get("Entries", [])}
    changes = []
    for number, key, cidr in wanted:
        for egress in (False, True):
            where = "%s %s rule %d" % (acl_id, "egress" if egress else "ingress", number)
            current = entries.get((number, egress))
            ours = current is not None and current.get("RuleAction") == "deny" and \
                str(current.get("Protocol")) == "-1" and current.get(key) == cidr
            if action == "isolate":
                if ours:
                    changes.append("%s: already deny all %s" % (where, cidr))
                    continue
                if current is not None:
                    raise Exception("%s is taken by another entry (%s): free it for isolation" % (where, current))
                ec2.create_network_acl_entry(NetworkAclId=acl_id, RuleNumber=number, Protocol="-1",
                                             RuleAction="deny", Egress=egress, **{key: cidr})
                changes.append("%s: deny all %s added" % (where, cidr))
            elif action == "reconnect":
                if current is None:
                    changes.append("%s: no isolation entry" % where)
                    continue
                if not ours:
                    changes.append("%s: not the isolation entry (%s), left as it is" % (where, current))
                    continue
                try:
                    ec2.delete_network_acl_entry(NetworkAclId=acl_id, RuleNumber=number, Egress=egress)
                    changes.append("%s: deny all %s deleted" % (where, cidr))
                except ClientError as err:
                    if err.response.get("Error", {}).get("Code") != "InvalidNetworkAclEntry.NotFound":
                        raise
                    changes.append("%s: already deleted" % where)
            else:
                raise Exception("Action %r: want isolate or reconnect" % action)
    return {"Changes": changes}
