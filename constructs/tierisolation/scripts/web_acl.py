def handler(events, context):
    """Set the web ACL's DefaultAction and Rules (wafv2:GetWebACL,
    wafv2:UpdateWebACL), keeping every other setting as it is. DefaultAction
    and Rules are JSON text in the API's shape, which is the template's."""
    import json
    import boto3
    waf = boto3.client("wafv2")
    key = {"Name": events["WebAclName"], "Scope": events["Scope"], "Id": events["WebAclId"]}
    got = waf.get_web_acl(**key)
    acl = got["WebACL"]
    update = dict(key, LockToken=got["LockToken"], DefaultAction=json.loads(events["DefaultAction"]),
                  Rules=json.loads(events["Rules"]), VisibilityConfig=acl["VisibilityConfig"])
    for opt in ("Description", "CustomResponseBodies", "CaptchaConfig", "ChallengeConfig",
                "TokenDomains", "AssociationConfig"):
        if acl.get(opt):
            update[opt] = acl[opt]
    waf.update_web_acl(**update)
    return {"Changes": ["%s: default action %s, %d rule(s)" % (
        events["WebAclName"], ",".join(update["DefaultAction"]), len(update["Rules"]))]}
