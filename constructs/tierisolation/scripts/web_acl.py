def handler(events, context):
    """Set the web ACL's DefaultAction and Rules (wafv2:GetWebACL,
    wafv2:UpdateWebACL), keeping every other setting as it is. DefaultAction
    and Rules are JSON text in the API's shape, which is the template's."""
    import json
    import boto3
    waf = boto3.client("wafv2")
    key = {"Name": events["WebAclName"], "Scope": events["Scope"], "Id": events["WebAclId"]}
    got = waf.get_web_acl(**key)
    # UpdateWebACL replaces the whole web ACL: a setting it takes that is not
    # sent is reset (e.g. DataProtectionConfig, the log masking). Send back
    # every one GetWebACL returned, as far as this botocore models both.
    takes = waf.meta.service_model.operation_model("UpdateWebACL").input_shape.members
    update = {k: v for k, v in got["WebACL"].items() if k in takes and v}
    update.update(key, LockToken=got["LockToken"], DefaultAction=json.loads(events["DefaultAction"]),
                  Rules=json.loads(events["Rules"]))
    waf.update_web_acl(**update)
    return {"Changes": ["%s: default action %s, %d rule(s)" % (
        events["WebAclName"], ",".join(update["DefaultAction"]), len(update["Rules"]))]}
