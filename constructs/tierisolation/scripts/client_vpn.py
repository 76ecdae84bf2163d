def handler(events, context):
    """Revoke (VpnAction=revoke) or authorize (VpnAction=authorize) the Client VPN
    endpoint ClientVpnEndpointId's authorization rules in AuthorizationRules
    (JSON: a list of {"Cidr", "GroupId" (absent: all groups), "Description"});
    on revoke, then terminate every current client connection. Idempotent: a
    rule already revoked (or already authorized) is skipped."""
    import json
    import boto3
    from botocore.exceptions import ClientError
    ep = events["ClientVpnEndpointId"]
    action = events["VpnAction"]
    if action not in ("revoke", "authorize"):
        raise Exception("VpnAction must be revoke or authorize, not %r" % action)
    rules = json.loads(events["AuthorizationRules"])
    ec2 = boto3.client("ec2")

    # Existing rules, by (cidr, group); group None is "all groups".
    existing = {}
    kwargs = {"ClientVpnEndpointId": ep}
    while True:
        page = ec2.describe_client_vpn_authorization_rules(**kwargs)
        for r in page.get("AuthorizationRules", []):
            code = r.get("Status", {}).get("Code")
            key = (r.get("DestinationCidr"), None if r.get("AccessAll") else (r.get("GroupId") or None))
            existing[key] = code
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]

    changes = []
    for rule in rules:
        cidr, group = rule["Cidr"], rule.get("GroupId") or None
        code = existing.get((cidr, group))
        target = {"TargetNetworkCidr": cidr}
        if group:
            target["AccessGroupId"] = group
        try:
            if action == "revoke":
                if code in (None, "revoking"):
                    changes.append("%s %s: already revoked" % (ep, cidr))
                    continue
                if not group:
                    target["RevokeAllGroups"] = True
                ec2.revoke_client_vpn_ingress(ClientVpnEndpointId=ep, **target)
                changes.append("%s %s: revoked" % (ep, cidr))
            else:
                if code in ("active", "authorizing"):
                    changes.append("%s %s: already authorized" % (ep, cidr))
                    continue
                if not group:
                    target["AuthorizeAllGroups"] = True
                if rule.get("Description"):
                    target["Description"] = rule["Description"]
                ec2.authorize_client_vpn_ingress(ClientVpnEndpointId=ep, **target)
                changes.append("%s %s: authorized" % (ep, cidr))
        except ClientError as e:
            err = e.response.get("Error", {}).get("Code", "")
            if action == "revoke" and "NotFound" in err:
                changes.append("%s %s: already revoked" % (ep, cidr))
            elif action == "authorize" and "Duplicate" in err:
                changes.append("%s %s: already authorized" % (ep, cidr))
            else:
                raise

    if action == "revoke":
        # With the rules gone no new traffic is authorized; end the sessions
        # already connected as well.
        kwargs = {"ClientVpnEndpointId": ep}
        ids = []
        while True:
            page = ec2.describe_client_vpn_connections(**kwargs)
            for c in page.get("Connections", []):
                if c.get("Status", {}).get("Code") == "active":
                    ids.append(c["ConnectionId"])
            if not page.get("NextToken"):
                break
            kwargs["NextToken"] = page["NextToken"]
        for cid in ids:
            ec2.terminate_client_vpn_connections(ClientVpnEndpointId=ep, ConnectionId=cid)
        changes.append("%s: %d connection(s) terminated" % (ep, len(ids)))
    return {"Changes": changes}
