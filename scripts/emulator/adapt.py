"""Emulator compatibility step of `make deploy-local`.

Copies a synthesized cloud assembly (cdk.out) and, in the copy only, drops the
resources moto's CloudFormation cannot create, plus everything that references
them. Every decision is printed as a table and written to a JSON report: nothing
is dropped silently. Resources moto accepts are deployed exactly as synthesized,
except for the few documented property workarounds in PROPERTY_WORKAROUNDS.

    python3 -m scripts.emulator.adapt SRC_ASSEMBLY DST_ASSEMBLY [--report FILE]
"""
import argparse
import copy
import json
import os
import re
import shutil
import sys

# The emulator is moto's server with deploy-local's handlers (server.py):
# registering them here too keeps this table true to what the server serves.
from scripts.emulator import overrides  # noqa: F401  (registers its handlers)
from scripts.emulator.handlers import FIXES, HANDLED

# Why a resource type is not deployed on the emulator, beyond "moto has no
# CloudFormation model for it".
CUSTOM_RESOURCE_REASON = ("custom resource whose provider is not a Node.js Lambda function in the same stack: "
                          "moto runs other Lambda functions only in Docker, which deploy-local does not use; "
                          "the resource would never complete")
CUSTOM_RESOURCE_NODE = ("custom resource: Create runs its provider Lambda (Node.js) in the project's Node.js, "
                        "not Docker (lambda_node.py); moto sends it no Update or Delete")


def node_provider(resources, res):
    """Whether a custom resource's ServiceToken is the Arn of a nodejs*
    AWS::Lambda::Function of the same template (what lambda_node.py runs)."""
    token = res.get("Properties", {}).get("ServiceToken")
    if not (isinstance(token, dict) and "Fn::GetAtt" in token):
        return False
    target, attr = token["Fn::GetAtt"]
    fn = resources.get(target, {})
    return (attr == "Arn" and fn.get("Type") == "AWS::Lambda::Function"
            and str(fn.get("Properties", {}).get("Runtime", "")).startswith("nodejs"))

# Types neither moto nor deploy-local's handlers serve, where the reason is
# more than "moto has no CloudFormation support for this type".
NOT_SERVED = {
    "AWS::S3::BucketPolicy": ("moto has no CloudFormation support for this type, and deploy-local adds no handler: "
                              "moto's S3 evaluates bucket policies without their Conditions, so the TLS-only "
                              "Deny statements would deny every request, over HTTPS too"),
    "AWS::Backup::BackupSelection": ("moto has no CloudFormation support for this type, and deploy-local adds no "
                                     "handler: moto has no BackupSelection API to call"),
}

# Types moto creates, but with known gaps that verification reports as such.
PARTIAL_SUPPORT = {
    "AWS::Lambda::Function": ("created; nodejs* functions run in the project's Node.js (lambda_node.py), "
                              "other runtimes would need Docker"),
}


def moto_undeletable_types():
    """Types moto's CloudFormation creates but cannot delete (no delete handler:
    a stack delete leaves them behind and then fails on their dependencies)."""
    import inspect
    from moto.cloudformation.parsing import get_model_map
    out = set()
    for rtype, cls in get_model_map().items():
        d = getattr(cls, "delete", None)
        has_delete = (d is not None and not getattr(d, "__isabstractmethod__", False)
                      and len(inspect.signature(d).parameters) >= 2)
        has_cfn_delete = not hasattr(cls.delete_from_cloudformation_json, "__isabstractmethod__")
        if not (has_delete or has_cfn_delete):
            out.add(rtype)
    return out


def moto_unupdatable_types():
    """Types moto's CloudFormation cannot update in place: it drops such a
    resource from the stack on an update (its outputs then break)."""
    from moto.cloudformation.parsing import get_model_map
    return {t for t, cls in get_model_map().items()
            if hasattr(cls.update_from_cloudformation_json, "__isabstractmethod__")}


def json_string(value):
    """A CloudFormation expression for json.dumps(value) that keeps the
    intrinsics inside value working (like CDK's Stack.toJsonString)."""
    parts, holes = [], []

    def enc(v):
        if isinstance(v, dict) and len(v) == 1 and (next(iter(v)) == "Ref" or next(iter(v)).startswith("Fn::")):
            holes.append(v)
            return "\u0000HOLE%d\u0000" % (len(holes) - 1)
        if isinstance(v, dict):
            return {k: enc(x) for k, x in v.items()}
        if isinstance(v, list):
            return [enc(x) for x in v]
        return v

    text = json.dumps(enc(value), separators=(",", ":"))
    if not holes:
        return text
    for i, piece in enumerate(re.split(r"\\u0000HOLE(\d+)\\u0000", text)):
        parts.append(holes[int(piece)] if i % 2 else piece)
    return {"Fn::Join": ["", [p for p in parts if p != ""]]}


# Properties moto accepts in the template but mishandles, removed in the
# emulator copy only (observed with moto 5.2.1).
PROPERTY_WORKAROUNDS = {
    "AWS::KMS::Key": {
        "Tags": (None, "moto's KMS CloudFormation model crashes on CloudFormation-style tags "
                       "(KeyError 'TagKey'), so the key is created untagged"),
        "KeyPolicy": (json_string, "passed as a JSON string: moto stores an object policy as is and "
                                   "then fails every DescribeKey (TypeError in its policy check)"),
    },
}


NOT_APPLIED = "not applied on the emulator (the handler does not apply them): "


def not_applied(rtype, props):
    """The properties of a resource that deploy-local's handler for its type
    does not apply (sorted); empty for types moto serves itself."""
    if rtype not in HANDLED:
        return []
    from moto.cloudformation.parsing import get_model_map
    applies = set(getattr(get_model_map().get(rtype), "APPLIES", ()) or ())
    return sorted(p for p in props if p not in applies)


def moto_cfn_types():
    """Resource types the emulator's CloudFormation serves: moto's models
    plus deploy-local's handlers."""
    from moto.cloudformation.parsing import get_model_map
    return {t for t in get_model_map() if t.startswith("AWS::") and t != "AWS::SERVICE::RESOURCE"}


def is_custom(rtype):
    return rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource"


_SUB_REF = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


def references(node):
    """Logical IDs a template fragment refers to (Ref, Fn::GetAtt, Fn::Sub)
    and what it imports: Fn::ImportValue export names, "stack/output" of
    Fn::GetStackOutput."""
    refs, imports = set(), set()

    def walk(n):
        if isinstance(n, dict):
            for k, v in n.items():
                if k == "Ref" and isinstance(v, str):
                    refs.add(v)
                elif k == "Fn::GetAtt":
                    target = v[0] if isinstance(v, list) else str(v).split(".")[0]
                    refs.add(target)
                elif k == "Fn::Sub":
                    s = v[0] if isinstance(v, list) else v
                    if isinstance(s, str):
                        refs.update(_SUB_REF.findall(s))
                elif k == "Fn::ImportValue" and isinstance(v, str):
                    imports.add(v)
                elif k == "Fn::GetStackOutput" and isinstance(v, dict):
                    imports.add("%s/%s" % (v.get("StackName"), v.get("OutputName")))
                walk(v)
        elif isinstance(n, list):
            for x in n:
                walk(x)

    walk(node)
    return refs, imports


def stacks_in_order(manifest):
    """Stack artifact ids, dependencies first."""
    arts = manifest.get("artifacts", {})
    stacks = {k: v for k, v in arts.items() if v.get("type") == "aws:cloudformation:stack"}
    order, seen = [], set()

    def visit(name):
        if name in seen or name not in stacks:
            return
        seen.add(name)
        for dep in stacks[name].get("dependencies", []):
            visit(dep)
        order.append(name)

    for name in stacks:
        visit(name)
    return order, stacks


EMULATOR_RETAIN = ("DeletionPolicy Retain in the emulator copy only: moto's CloudFormation cannot delete "
                   "this type (no delete handler), so a stack delete would fail on it; it is left in the "
                   "throw-away emulator")
EMULATOR_RETAIN_DEP = ("DeletionPolicy Retain in the emulator copy only: a resource moto cannot delete "
                       "depends on it (%s)")


def retain_for_emulator(resources, decisions, undeletable):
    """Mark what moto cannot delete, and what those depend on, as retained."""
    keep = {lid: EMULATOR_RETAIN for lid, r in resources.items()
            if r["Type"] in undeletable and r.get("DeletionPolicy") not in ("Retain", "RetainExceptOnCreate")}
    todo = list(keep)
    while todo:
        lid = todo.pop()
        refs, _ = references(resources[lid])
        deps = resources[lid].get("DependsOn", [])
        refs |= set([deps] if isinstance(deps, str) else deps)
        for r in refs:
            if r in resources and r not in keep and resources[r].get("DeletionPolicy") not in ("Retain", "RetainExceptOnCreate"):
                keep[r] = EMULATOR_RETAIN_DEP % lid
                todo.append(r)
    for lid, why in keep.items():
        resources[lid]["DeletionPolicy"] = "Retain"
        d = decisions[lid]
        d["action"] = "modified"
        d["reason"] = " + ".join(x for x in (d["reason"], why) if x)


def adapt_template(template, supported, dropped_exports, undeletable=frozenset(), stack_name=""):
    """Adapt one template in place. Returns (decisions, newly dropped export names)."""
    resources = template.get("Resources", {})
    decisions = {}
    dropped = {}
    for lid, res in resources.items():
        rtype = res.get("Type", "")
        if is_custom(rtype) and not node_provider(resources, res):
            dropped[lid] = CUSTOM_RESOURCE_REASON
        elif not is_custom(rtype) and rtype not in supported:
            dropped[lid] = NOT_SERVED.get(rtype, "moto has no CloudFormation support for this type")
    # Cascade: anything that references a dropped resource or a dropped export.
    changed = True
    while changed:
        changed = False
        for lid, res in resources.items():
            if lid in dropped:
                continue
            refs, imports = references({k: v for k, v in res.items() if k != "DependsOn"})
            hit = sorted(r for r in refs if r in dropped)
            imp = sorted(i for i in imports if i in dropped_exports)
            if hit or imp:
                what = ", ".join(hit + ["export " + i for i in imp])
                dropped[lid] = "references a resource not deployed on the emulator: " + what
                changed = True
    for lid, res in resources.items():
        rtype = res.get("Type", "")
        if lid in dropped:
            decisions[lid] = {"type": rtype, "action": "dropped", "reason": dropped[lid]}
            continue
        notes = []
        for prop, (fix, why) in PROPERTY_WORKAROUNDS.get(rtype, {}).items():
            if prop in res.get("Properties", {}):
                if fix is None:
                    del res["Properties"][prop]
                    notes.append("property %s removed: %s" % (prop, why))
                else:
                    res["Properties"][prop] = fix(res["Properties"][prop])
                    notes.append("property %s %s" % (prop, why))
        missing = not_applied(rtype, res.get("Properties", {}))
        if missing:
            notes.append(NOT_APPLIED + ", ".join(missing))
        deps = res.get("DependsOn")
        if deps:
            deps_list = [deps] if isinstance(deps, str) else deps
            kept = [d for d in deps_list if d not in dropped]
            if len(kept) != len(deps_list):
                notes.append("DependsOn on dropped resource(s) removed")
                if kept:
                    res["DependsOn"] = kept
                else:
                    del res["DependsOn"]
        decisions[lid] = {"type": rtype, "action": "modified" if notes else "deployed as synthesized",
                          "reason": " + ".join(notes) or (CUSTOM_RESOURCE_NODE if is_custom(rtype)
                                                         else PARTIAL_SUPPORT.get(rtype, ""))}
    for lid in dropped:
        del resources[lid]
    for lid, res in resources.items():
        if res.get("DeletionPolicy") == "RetainExceptOnCreate":
            # moto's stack delete honours only "Retain"; a deployed stack's
            # resource is retained on delete either way.
            res["DeletionPolicy"] = "Retain"
            d = decisions[lid]
            d["action"] = "modified"
            d["reason"] = " + ".join(x for x in (d["reason"], "DeletionPolicy RetainExceptOnCreate passed as Retain "
                                                 "(moto honours only Retain; same on a stack delete)") if x)
    retain_for_emulator(resources, decisions, undeletable)
    # CDK's bootstrap-version check: moto's UpdateStack crashes on the
    # UsePreviousValue the CLI sends for this parameter (KeyError).
    if "BootstrapVersion" in template.get("Parameters", {}):
        del template["Parameters"]["BootstrapVersion"]
        template.get("Rules", {}).pop("CheckBootstrapVersion", None)
        if not template.get("Rules"):
            template.pop("Rules", None)
        decisions["Parameter BootstrapVersion"] = {
            "type": "Parameter", "action": "dropped",
            "reason": "with Rules.CheckBootstrapVersion: moto's UpdateStack crashes on the UsePreviousValue the "
                      "CDK CLI sends for it (KeyError 'BootstrapVersion'); deploy-local bootstraps with the same CLI"}
    new_dropped_exports = set()
    outputs = template.get("Outputs", {})
    for oid in list(outputs):
        refs, imports = references(outputs[oid].get("Value"))
        if any(r in dropped for r in refs) or any(i in dropped_exports for i in imports):
            name = outputs[oid].get("Export", {}).get("Name")
            if isinstance(name, str):
                new_dropped_exports.add(name)
            new_dropped_exports.add("%s/%s" % (stack_name, oid))  # for Fn::GetStackOutput
            decisions["Output " + oid] = {"type": "Output", "action": "dropped",
                                          "reason": "value references a resource not deployed on the emulator"}
            del outputs[oid]
    return decisions, new_dropped_exports


def adapt_assembly(src, dst, supported=None, undeletable=None):
    """Copy the assembly src to dst with emulator templates. Returns the report."""
    supported = moto_cfn_types() if supported is None else supported
    undeletable = moto_undeletable_types() if undeletable is None else undeletable
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    with open(os.path.join(dst, "manifest.json")) as f:
        manifest = json.load(f)
    order, stacks = stacks_in_order(manifest)
    report = {"stacks": {}, "order": order}
    dropped_exports = set()
    for name in order:
        props = stacks[name].get("properties", {})
        path = os.path.join(dst, props["templateFile"])
        with open(path) as f:
            template = json.load(f)
        original = copy.deepcopy(template)
        decisions, new_exports = adapt_template(template, supported, dropped_exports, undeletable, name)
        dropped_exports |= new_exports
        with open(path, "w") as f:
            json.dump(template, f, indent=1)
        report["stacks"][name] = {"decisions": decisions, "templateFile": props["templateFile"],
                                  "resourceCount": len(original.get("Resources", {})),
                                  "deployedCount": len(template.get("Resources", {}))}
    report["types"] = type_table(report, supported)
    return report


def type_table(report, supported):
    rows = {}
    for stack in report["stacks"].values():
        for lid, d in stack["decisions"].items():
            if d["type"] in ("Output", "Parameter"):
                continue
            row = rows.setdefault(d["type"], {"count": 0, "actions": set(), "reasons": set()})
            row["count"] += 1
            row["actions"].add(d["action"])
            for part in filter(None, d["reason"].split(" + ")):
                if part.startswith(NOT_APPLIED):
                    row.setdefault("not_applied", set()).update(part[len(NOT_APPLIED):].split(", "))
                    continue
                # per-resource detail (which resource) is in compatibility.json
                row["reasons"].add(re.sub(r" \(\w+\)$|: [A-Za-z0-9, ]+$", "", part)
                                   if part.startswith(("references", "DeletionPolicy Retain")) else part)
    table = []
    for rtype in sorted(rows):
        r = rows[rtype]
        if r.get("not_applied"):
            r["reasons"].add(NOT_APPLIED + ", ".join(sorted(r["not_applied"])))
        if is_custom(rtype):
            sup = "local Node.js" if r["actions"] != {"dropped"} else "no (needs Docker)"
        elif rtype in HANDLED and rtype in supported:
            sup = "handler"
            r["reasons"].add("deploy-local handler: " + HANDLED[rtype])
        elif rtype in supported:
            sup = "moto (partial)" if rtype in PARTIAL_SUPPORT or rtype in PROPERTY_WORKAROUNDS else "moto"
        else:
            sup = "no"
        table.append({"type": rtype, "count": r["count"], "supported": sup,
                      "done": " / ".join(sorted(r["actions"])), "notes": " | ".join(sorted(r["reasons"]))})
    return table


def print_table(report, out=sys.stdout):
    print("Emulator compatibility, per resource type (moto: moto's CloudFormation; handler: deploy-local's "
          "handler in scripts/emulator/, calling moto's service backend):", file=out)
    w = max([len(r["type"]) for r in report["types"]] + [4])
    print("  %-*s  %5s  %-17s  %s" % (w, "type", "count", "served by", "what was done"), file=out)
    for r in report["types"]:
        note = ("  -- " + r["notes"]) if r["notes"] else ""
        print("  %-*s  %5d  %-17s  %s%s" % (w, r["type"], r["count"], r["supported"], r["done"], note), file=out)
    for what, how in sorted(FIXES.items()):
        print("  emulator fix (%s): %s" % (what, how), file=out)
    print("  every stack: Parameters.BootstrapVersion and Rules.CheckBootstrapVersion removed (moto's UpdateStack "
          "crashes on them; the same CLI bootstraps the emulator)", file=out)
    for name in report["order"]:
        s = report["stacks"][name]
        print("  %s: %d of %d resources deployed on the emulator" % (name, s["deployedCount"], s["resourceCount"]), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--report")
    a = ap.parse_args(argv)
    report = adapt_assembly(a.src, a.dst)
    print_table(report)
    if a.report:
        with open(a.report, "w") as f:
            json.dump(report, f, indent=1, default=sorted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
