"""`make deploy-local-org`: the org-guardrails stack on moto's server.

    python3 -m scripts.emulator.org --work DIR --moto-log FILE [--assembly DIR]

Creates an organization on the emulator (its account is the management
account) with one OU per OU ID the stack's settings name (placeholders such
as ou-xmpl-phiworkloads), synthesizes `-c env=org-guardrails`, replaces each
placeholder in the emulator's copy of the template by the emulator's OU ID
(the adaptation is printed), bootstraps, deploys, and verifies through the
Organizations API that every policy exists with the template's content, is
attached to exactly its targets, and that the eligible-services policy
carries every eligible prefix of internal/eligibility. Then the stack's
termination protection is checked, lifted, and the stack destroyed: the
policies must be detached and gone. Exits non-zero when anything fails.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from . import adapt, run, verify

STACK = "org-guardrails"
POLICY_TYPE = "SERVICE_CONTROL_POLICY"
row, say = run.row, run.say


def eligibility_data():
    out = subprocess.run(["go", "run", "./internal/tools/eligibility"], cwd=run.ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def policies_of(template):
    return {lid: r["Properties"] for lid, r in template.get("Resources", {}).items()
            if r.get("Type") == "AWS::Organizations::Policy"}


def make_organization(org, placeholders):
    """The organization, SCPs enabled on its root, an OU per placeholder."""
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root, PolicyType=POLICY_TYPE)
    mapping = {}
    for ph in placeholders:
        if ph.startswith("ou-"):
            mapping[ph] = org.create_organizational_unit(ParentId=root, Name=ph)["OrganizationalUnit"]["Id"]
        elif ph.startswith("r-"):
            mapping[ph] = root
        else:  # an account ID: create a member account and use its ID
            created = org.create_account(AccountName=ph, Email="%s@example.com" % ph)["CreateAccountStatus"]
            mapping[ph] = created["AccountId"]
    return root, mapping


def substitute(path, mapping):
    with open(path) as f:
        text = f.read()
    for ph, real in mapping.items():
        text = text.replace('"%s"' % ph, '"%s"' % real)
    with open(path, "w") as f:
        f.write(text)


def check_policies(org, template, mapping, data):
    """(name, PASS/FAIL, detail) per check, through the Organizations API."""
    out = []
    deployed = {p["Name"]: p for p in org.list_policies(Filter=POLICY_TYPE)["Policies"]}
    for lid, p in sorted(policies_of(template).items()):
        name = p["Name"]
        if name not in deployed:
            out.append(("policy %s exists" % name, "FAIL", "not in ListPolicies: %s" % sorted(deployed)))
            continue
        pid = deployed[name]["Id"]
        content = org.describe_policy(PolicyId=pid)["Policy"]["Content"]
        same = content == p["Content"]
        out.append(("policy %s exists with the template's content" % name, "PASS" if same else "FAIL",
                    "%s, %d characters (limit 5120)" % (pid, len(content)) if same else "content differs"))
        want = sorted(mapping.get(t, t) for t in p["TargetIds"])
        got = sorted(t["TargetId"] for t in org.list_targets_for_policy(PolicyId=pid)["Targets"])
        out.append(("policy %s attached to its targets" % name, "PASS" if got == want else "FAIL",
                    "targets %s (template %s)" % (got, sorted(p["TargetIds"]))))
        doc = json.loads(content)
        for st in doc["Statement"]:
            if st.get("Sid") != "DenyServicesNotHipaaEligible":
                continue
            allowed = st.get("NotAction") or []
            missing = [pre for pre in data["eligiblePrefixes"] if pre + ":*" not in allowed]
            extra = [a for a in allowed if a not in data["allowedActions"]]
            ok = not missing and not extra and st.get("Effect") == "Deny"
            out.append(("policy %s carries the eligible prefixes" % name, "PASS" if ok else "FAIL",
                        "%d eligible prefixes of internal/eligibility (read %s) in NotAction; missing %s; not in the data %s"
                        % (len(data["eligiblePrefixes"]), data["readOn"], missing or "none", extra or "none")))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--moto-log")
    ap.add_argument("--assembly", help="deploy this cloud assembly instead of synthesizing")
    a = ap.parse_args(argv)
    t0 = time.time()
    logs = os.path.join(a.work, "logs")
    os.makedirs(logs, exist_ok=True)
    moto = run.MotoLog(a.moto_log)
    cfn = verify.client("cloudformation")
    org = verify.client("organizations")
    account = verify.client("sts").get_caller_identity()["Account"]
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")

    asm = a.assembly
    if not asm:
        asm = os.path.join(a.work, "cdk.out")
        say("synth    %s (cdk synth -c env=%s, account %s) ..." % (STACK, STACK, account))
        rc, secs = run.synth(STACK, asm, logs, a.work)
        if rc != 0:
            row("synth", STACK, "FAILED", run.cli_reason(os.path.join(logs, "synth.log")))
            run.print_table()
            return 1
        row("synth", STACK, "OK", "%.1fs" % secs)
    emu = os.path.join(a.work, "emulator.out")
    report = adapt.adapt_assembly(asm, emu)
    if report["order"] != [STACK]:
        row("synth", STACK, "FAILED", "the assembly has stacks %s, want only %s" % (report["order"], STACK))
        run.print_table()
        return 1
    adapt.print_table(report)
    tfile = os.path.join(emu, report["stacks"][STACK]["templateFile"])
    with open(os.path.join(asm, report["stacks"][STACK]["templateFile"])) as f:
        template = json.load(f)

    placeholders = sorted({t for p in policies_of(template).values() for t in p.get("TargetIds", [])})
    root, mapping = make_organization(org, placeholders)
    substitute(tfile, mapping)
    row("emulator", "organization", "NOTE", "created on the emulator (management account %s, root %s, SCPs enabled); "
        "the settings' target IDs replaced in the emulator's template: %s" % (
            account, root, ", ".join("%s -> %s" % kv for kv in sorted(mapping.items()))))

    moto.mark()
    rc, secs = run.cdk(["bootstrap", "--app", emu, "aws://%s/%s" % (account, region)], os.path.join(logs, "bootstrap.log"))
    row("bootstrap", "aws://%s/%s" % (account, region), "OK" if rc == 0 else "FAILED", "%.1fs" % secs)
    if rc != 0:
        run.print_table()
        return 1
    if not run.deploy_stacks([STACK], emu, report, "deploy", logs, moto, cfn):
        run.print_table()
        return 1

    data = eligibility_data()
    for name, status, detail in check_policies(org, template, mapping, data):
        row("verify", name, status, detail)
        say("  %-8s %-60s %s" % ("verify", name, status))
    protected = cfn.describe_stacks(StackName=STACK)["Stacks"][0].get("EnableTerminationProtection")
    row("verify", "termination protection", "PASS" if protected else "FAIL",
        "EnableTerminationProtection=%s (deleting the stack would detach every guardrail)" % protected)

    # destroy: lift the protection as an operator would, then every policy
    # must be detached and deleted.
    try:
        cfn.update_termination_protection(StackName=STACK, EnableTerminationProtection=False)
    except Exception as e:  # moto 5.2 does not implement UpdateTerminationProtection (nor enforce it)
        row("destroy", "lift termination protection", "NOTE", "the emulator refused UpdateTerminationProtection "
            "(%s); destroying without it, as moto does not enforce the protection" % type(e).__name__)
    moto.mark()
    rc, secs = run.cdk(["destroy", "--app", emu, STACK, "--force"], os.path.join(logs, "destroy-%s.log" % STACK))
    left = [p["Name"] for p in org.list_policies(Filter=POLICY_TYPE)["Policies"] if not p["AwsManaged"]]
    ok = rc == 0 and not left
    row("destroy", STACK, "OK" if ok else "FAILED", "%.1fs; customer policies left: %s" % (secs, left or "none"))
    run.print_table()
    say("total time %.0fs" % (time.time() - t0))
    return run.verdict(STACK)


if __name__ == "__main__":
    sys.exit(main())
