"""Orchestration of `make deploy-local` (moto's lifecycle is in deploy-local.sh).

    python3 -m scripts.emulator.run --env dev --work DIR --moto-log FILE [--assembly DIR]

Synthesizes the environment with the project's CDK CLI (pointed at the
emulator), adapts the templates for moto (scripts/emulator/adapt.py), then
bootstraps, deploys every stack, verifies through the AWS APIs, updates,
destroys and checks what is retained. Exits non-zero when a stack fails (the
stack and the reason are printed) or a check fails.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

from . import adapt, isolation, verify

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CDK_TIMEOUT = int(os.environ.get("DEPLOY_LOCAL_CDK_TIMEOUT", "600"))  # seconds per cdk command
UPDATE_CONTEXT_KEY = "dbBackupRetentionDays"  # hook the app must read (see README)

rows = []  # (phase, item, result, detail)


def say(msg):
    print(msg, flush=True)


def row(phase, item, result, detail=""):
    rows.append((phase, item, result, detail))


def cdk(args, log_path, cwd=ROOT):
    """Run the project's CDK CLI; output goes to log_path. Returns (rc, secs)."""
    return cdk_wait(cdk_start(args, log_path, cwd))


def cdk_start(args, log_path, cwd=ROOT):
    """Start the project's CDK CLI in the background; cdk_wait collects it."""
    cmd = [os.path.join(ROOT, "node_modules", ".bin", "cdk"), "--no-notices"] + args
    log = open(log_path, "w")
    log.write("$ " + " ".join(cmd) + "\n")
    log.flush()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    return proc, log, args[0], time.time()


def cdk_wait(started):
    proc, log, what, t0 = started
    if proc.returncode is not None:  # collected before
        return proc.returncode, time.time() - t0
    try:
        rc = proc.wait(timeout=max(1, CDK_TIMEOUT - (time.time() - t0)))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        log.write("\n❌  deploy-local: cdk %s timed out after %ds (killed)\n" % (what, CDK_TIMEOUT))
        rc = 124
    log.close()
    return rc, time.time() - t0


class MotoLog:
    """Server-side errors moto logged while one step ran."""
    EXC = re.compile(r"^([A-Za-z_][\w.]*(Error|Exception|Exit|StopIteration)\b.*|.*UserWarning: .*)$")

    def __init__(self, path):
        self.path = path
        self.offset = self._size()

    def _size(self):
        return os.path.getsize(self.path) if self.path and os.path.exists(self.path) else 0

    def mark(self):
        self.offset = self._size()

    def errors(self):
        if not self.path or not os.path.exists(self.path):
            return []
        with open(self.path, errors="replace") as f:
            f.seek(self.offset)
            text = f.read()
        out = []
        for line in text.splitlines():
            if self.EXC.match(line) and line.strip() not in out:
                out.append(line.strip())
        return out


def skipped_types(errors):
    """Resource types moto said it skipped (it warns and carries on)."""
    return sorted({m.group(1) for e in errors for m in [re.search(r"Tried to parse (\S+) but", e)] if m})


def cli_reason(log_path):
    """The CLI's own error lines from a step log."""
    with open(log_path, errors="replace") as f:
        lines = [l.rstrip() for l in f]
    marks = [i for i, l in enumerate(lines) if "❌" in l]
    if marks:
        tail = [l.strip() for l in lines[marks[-1]:] if l.strip()][:4]
        return " / ".join(tail)
    keep = [l for l in lines if re.search(r"❌|Error|error|failed|FAILED", l)]
    return " / ".join(keep[-4:]) if keep else (lines[-1] if lines else "")


def stack_health(cfn, stack, expected_ids):
    """What CloudFormation on the emulator reports for a stack just deployed:
    its status and whether every resource of the (adapted) template exists."""
    s = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    status = s["StackStatus"]
    if not status.endswith("_COMPLETE") or "ROLLBACK" in status:
        return False, "stack status %s %s" % (status, s.get("StackStatusReason") or "")
    got = {r["LogicalResourceId"] for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]}
    missing = sorted(set(expected_ids) - got)
    if missing:
        return False, "resources not created by the emulator: %s" % ", ".join(missing)
    return True, "%s, %d resources" % (status, len(got))


def resolve_imports(path, cfn, emu=None, report=None):
    """Replace Fn::ImportValue in the emulator template at path by the export's
    value from the emulator (ListExports), and Fn::GetStackOutput (what CDK
    emits for cross-stack references) by the producer's output: moto does not
    implement Fn::GetStackOutput and crashes on it. Returns what was resolved."""
    exports = {}
    for page in cfn.get_paginator("list_exports").paginate():
        exports.update({e["Name"]: e["Value"] for e in page["Exports"]})
    used = set()
    outputs = {}

    def stack_output(ref):
        name = ref.get("StackName")
        if name not in outputs:
            outputs[name] = {o["OutputKey"]: o["OutputValue"]
                             for o in cfn.describe_stacks(StackName=name)["Stacks"][0].get("Outputs", [])}
        value = outputs[name].get(ref.get("OutputName"))
        if value is None and report and name in report["stacks"]:
            # moto does not record outputs of stacks created through change
            # sets: evaluate the producer's output (Ref / GroupId / Arn) from
            # the physical IDs the emulator reports.
            with open(os.path.join(emu, report["stacks"][name]["templateFile"])) as f:
                producer = json.load(f)
            expr = producer.get("Outputs", {}).get(ref.get("OutputName"), {}).get("Value")
            phys = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                    for r in cfn.describe_stack_resources(StackName=name)["StackResources"]}
            if isinstance(expr, dict) and "Ref" in expr:
                value = phys.get(expr["Ref"])
            elif isinstance(expr, dict) and "Fn::GetAtt" in expr:
                lid, attr = expr["Fn::GetAtt"]
                rtype = producer["Resources"].get(lid, {}).get("Type")
                if (rtype, attr) == ("AWS::EC2::SecurityGroup", "GroupId"):
                    value = phys.get(lid)
                elif (rtype, attr) == ("AWS::KMS::Key", "Arn"):
                    value = verify.client("kms").describe_key(KeyId=phys[lid])["KeyMetadata"]["Arn"]
        return value

    def walk(n):
        if isinstance(n, dict):
            if len(n) == 1 and isinstance(n.get("Fn::GetStackOutput"), dict):
                value = stack_output(n["Fn::GetStackOutput"])
                if value is not None:
                    used.add("%(StackName)s/%(OutputName)s" % n["Fn::GetStackOutput"])
                    return value
            if len(n) == 1 and isinstance(n.get("Fn::ImportValue"), str) and n["Fn::ImportValue"] in exports:
                used.add(n["Fn::ImportValue"])
                return exports[n["Fn::ImportValue"]]
            return {k: walk(v) for k, v in n.items()}
        if isinstance(n, list):
            return [walk(x) for x in n]
        return n

    with open(path) as f:
        t = walk(json.load(f))
    with open(path, "w") as f:
        json.dump(t, f, indent=1)
    return sorted(used)


def unresolved(path):
    with open(path) as f:
        text = f.read()
    return text.count('"Fn::GetStackOutput"') + text.count('"Fn::ImportValue"')


def deploy_stacks(stacks, emu, report, phase, logs, moto, cfn):
    """Deploy each stack, one line per stack. Returns True when all succeeded."""
    for st in stacks:
        imported = resolve_imports(os.path.join(emu, report["stacks"][st]["templateFile"]), cfn, emu, report)
        if imported:
            row(phase, st + " (imports)", "NOTE", "%d Fn::GetStackOutput/Fn::ImportValue (of %d) resolved by deploy-local "
                "from the emulator's stack outputs/exports (moto does not implement Fn::GetStackOutput)" % (len(imported), len(imported) + unresolved(
                os.path.join(emu, report["stacks"][st]["templateFile"]))))
        say("  %-8s %-28s ..." % (phase, st))
        moto.mark()
        # --method direct (CreateStack/UpdateStack): moto's change-set path
        # finds change sets by name across all stacks (an update then waits
        # forever, or crashes on DeleteChangeSet of a unique name).
        rc, secs = cdk(["deploy", "--app", emu, st, "--exclusively", "--require-approval", "never",
                        "--progress", "events", "--method", "direct", "--force"], os.path.join(logs, "%s-%s.log" % (phase, st)))
        errs = moto.errors()
        srv = [e for e in errs if "UserWarning" not in e]
        ok, detail = False, ""
        if rc != 0:
            detail = "cdk deploy exited %d: %s" % (rc, cli_reason(os.path.join(logs, "%s-%s.log" % (phase, st))))
        else:
            try:
                with open(os.path.join(emu, report["stacks"][st]["templateFile"])) as f:
                    ids = list(json.load(f).get("Resources", {}))
                ok, detail = stack_health(cfn, st, ids)
            except Exception as e:
                ok, detail = False, "emulator could not list the stack's resources: %s" % e
        if srv:
            ok = False
            detail = "emulator errors: " + " | ".join(srv[-3:]) + ("; " + detail if detail else "")
        skipped = skipped_types(errs)
        if skipped:
            ok = False
            detail += "; moto silently skipped: " + ", ".join(skipped)
        result = "OK" if ok else "FAILED"
        say("  %-8s %-28s %-6s %5.1fs  %s" % (phase, st, result, secs, detail[:400]))
        detail = detail if len(detail) < 400 else detail[:400] + "... (see %s)" % logs
        row(phase, st, result, "%.1fs; %s" % (secs, detail))
        if not ok:
            say("\nstack %s failed to %s: %s" % (st, phase, detail))
            return False
    return True


# What the emulator cannot show, accepted by name: any other GAP (a moto
# upgrade, a regression in the adaptation) fails the run.
ACCEPTED_GAPS = {
    **isolation.GAPS,
    "data: the backup plan selects the database": "moto has no BackupSelection API",
    "audit: bucket policies (TLS only, CloudTrail and Config delivery)":
        "moto's S3 evaluates bucket policies without their Conditions",
    "data: PHI bucket policy (TLS only, SSE-KMS uploads with its key only)":
        "moto's S3 evaluates bucket policies without their Conditions",
    "app: access-log bucket policies (TLS only, load balancer log delivery)":
        "moto's S3 evaluates bucket policies without their Conditions",
}


def unaccepted(env):
    """Rows that make the run fail: FAIL/FAILED, a GAP not in ACCEPTED_GAPS,
    a SKIP for any reason but a stack the environment does not have."""
    out = []
    for phase, item, result, detail in rows:
        if result in ("FAIL", "FAILED"):
            out.append((phase, item, result))
        elif result == "GAP" and item not in ACCEPTED_GAPS:
            out.append((phase, item, "GAP not accepted (run.ACCEPTED_GAPS)"))
        elif result == "SKIP" and not detail.startswith("no %s-" % env):
            out.append((phase, item, "SKIP"))
    return out


def print_table():
    w1 = max(len(r[1]) for r in rows)
    say("\n== deploy-local result ==")
    say("%-9s %-*s %-7s %s" % ("phase", w1, "item", "result", "detail"))
    for phase, item, result, detail in rows:
        say("%-9s %-*s %-7s %s" % (phase, w1, item, result, detail))
    counts = {}
    for r in rows:
        counts[r[2]] = counts.get(r[2], 0) + 1
    say("totals: " + ", ".join("%s %d" % kv for kv in sorted(counts.items())))
    say("PASS/FAIL: checked through the emulator's APIs; GAP: the emulator cannot show it (reason given); "
        "SKIP: the stack is not in this environment; REFUSED: the delete was refused by a protection the template asks for")


def app_project(work, logs):
    """A CDK project directory of the run's own for its synths: the project's
    cdk.json with "app" set to a binary of ./app built once (`go run` would
    build and link the app for each synth). The CLI caches the emulator's AZ
    lookup in that directory's cdk.context.json, not in the checkout, and two
    synths may run at once. Returns the directory, or None if the build failed."""
    d = os.path.join(work, "cdkapp")
    binary = os.path.join(d, "app")
    if not os.path.exists(binary):
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(logs, "build.log"), "w") as log:
            if subprocess.call(["go", "build", "-o", binary, "./app"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT):
                return None
        with open(os.path.join(ROOT, "cdk.json")) as f:
            cfg = json.load(f)
        cfg["app"] = binary
        cfg.pop("watch", None)
        with open(os.path.join(d, "cdk.json"), "w") as f:
            json.dump(cfg, f, indent=1)
        # The stacks are pinned to the emulator's account, so the app asks for
        # its Availability Zones; answered here as the CLI's lookup would
        # answer (the emulator's available zones), the CLI runs the app once
        # per synth instead of twice.
        account = verify.client("sts").get_caller_identity()["Account"]
        region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
        zones = verify.client("ec2").describe_availability_zones()["AvailabilityZones"]
        with open(os.path.join(d, "cdk.context.json"), "w") as f:
            json.dump({"availability-zones:account=%s:region=%s" % (account, region):
                       [z["ZoneName"] for z in zones if z.get("State") == "available"]}, f, indent=1)
    return d


def synth_start(env, out, logs, work, extra=()):
    """Start `cdk synth` of env into out (see app_project); synth_wait collects it."""
    log = os.path.join(logs, "synth%s.log" % ("-update" if extra else ""))
    project = app_project(work, logs)
    if project is None:
        with open(log, "w") as f:
            f.write("❌  deploy-local: go build ./app failed (logs/build.log)\n")
        return None
    return cdk_start(["synth", "-q", "-c", "env=" + env, "-o", out] + APP_CONTEXT + list(extra), log, cwd=project)


def synth_wait(started):
    return (1, 0.0) if started is None else cdk_wait(started)


def synth(env, out, logs, work, extra=()):
    return synth_wait(synth_start(env, out, logs, work, extra))


# The app stack's certificate (stacks.ContextAppCertificateArn): the ARN of
# one imported into the emulator's ACM, which the HTTPS listener must find.
APP_CERTIFICATE_CONTEXT_KEY = "appCertificateArn"
APP_CONTEXT = []  # extra synth arguments: -c appCertificateArn=<the imported certificate>


def app_certificate_pem(work, domain):
    """A self-signed certificate and its key (PEM bytes) for domain: no
    private CA, no internet. Made with the cryptography package, which moto
    itself depends on, so no openssl binary is needed. Both are also written
    into work (app-cert.pem, app-cert.key) for whoever debugs a run."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
            .sign(key, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    for name, data in (("app-cert.pem", pem), ("app-cert.key", key_pem)):
        with open(os.path.join(work, name), "wb") as f:
            f.write(data)
    return pem, key_pem


def import_app_certificate(work, env):
    """ImportCertificate into the emulator's ACM; returns its ARN."""
    cert, key = app_certificate_pem(work, "app.%s.deploy-local.invalid" % env)
    return verify.client("acm").import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--env", default="dev")
    ap.add_argument("--work", required=True)
    ap.add_argument("--moto-log")
    ap.add_argument("--assembly", help="deploy this cloud assembly instead of synthesizing")
    ap.add_argument("--no-update", action="store_true")
    ap.add_argument("--update-assembly", help="with --assembly: the assembly to update to (already synthesized)")
    ap.add_argument("--keep", action="store_true", help="debugging: stop before destroy")
    a = ap.parse_args(argv)
    t_start = time.time()
    logs = os.path.join(a.work, "logs")
    os.makedirs(logs, exist_ok=True)
    moto = MotoLog(a.moto_log)
    cfn = verify.client("cloudformation")
    account = verify.client("sts").get_caller_identity()["Account"]
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")

    # 1. synthesize (the CLI pins the stacks to the emulator's account), with
    # the app stack's HTTPS listener on a certificate imported into the emulator
    asm = a.assembly
    if not asm:
        cert = import_app_certificate(a.work, a.env)
        APP_CONTEXT[:] = ["-c", "%s=%s" % (APP_CERTIFICATE_CONTEXT_KEY, cert)]
        row("synth", "app certificate", "NOTE", "self-signed certificate imported into the emulator's ACM, "
            "passed as -c %s=%s" % (APP_CERTIFICATE_CONTEXT_KEY, cert))
        asm = os.path.join(a.work, "cdk.out")
        say("synth    %s-* (cdk synth -c env=%s, account %s) ..." % (a.env, a.env, account))
        rc, secs = synth(a.env, asm, logs, a.work)
        if rc != 0:
            say("synth failed: " + cli_reason(os.path.join(logs, "synth.log")))
            row("synth", a.env, "FAILED", cli_reason(os.path.join(logs, "synth.log")))
            print_table()
            return 1
        row("synth", a.env, "OK", "%.1fs" % secs)

    # 2. emulator compatibility
    emu = os.path.join(a.work, "emulator.out")
    report = adapt.adapt_assembly(asm, emu)
    with open(os.path.join(a.work, "compatibility.json"), "w") as f:
        json.dump(report, f, indent=1)
    say("")
    adapt.print_table(report)
    say("")
    # What the emulator does not deploy or apply, in the result table too.
    for t in report["types"]:
        if t["done"] == "dropped":
            row("emulator", t["type"], "NOTE", "not deployed (%d): %s" % (t["count"], t["notes"]))
        for note in t["notes"].split(" | "):
            if note.startswith(adapt.NOT_APPLIED):
                row("emulator", t["type"], "NOTE", note)
    stacks = report["order"]
    if not stacks:
        say("no stacks in the assembly")
        return 1

    # The update's synth needs only the first synth: it runs while the stacks deploy.
    pending = None if a.no_update else start_update_synth(a, verify.Env(a.env, asm, report), logs)
    try:
        # 3. bootstrap
        moto.mark()
        say("  %-8s %-28s ..." % ("bootstrap", "aws://%s/%s" % (account, region)))
        rc, secs = cdk(["bootstrap", "--app", emu, "aws://%s/%s" % (account, region)], os.path.join(logs, "bootstrap.log"))
        skipped = skipped_types(moto.errors())
        row("bootstrap", "aws://%s/%s" % (account, region), "OK" if rc == 0 else "FAILED",
            "%.1fs" % secs + ("" if rc == 0 else "; " + cli_reason(os.path.join(logs, "bootstrap.log")))
            + ("; moto skipped unsupported types in the CDK bootstrap stack (not ours): " + ", ".join(skipped)
               if skipped else ""))
        if rc != 0:
            print_table()
            return 1

        # 4. deploy
        if not deploy_stacks(stacks, emu, report, "deploy", logs, moto, cfn):
            row("destroy", "(all)", "SKIP", "not run after a failed deploy; the emulator is discarded")
            print_table()
            return 1

        # 5. verify
        env = verify.Env(a.env, asm, report)
        for name, status, detail in verify.run_checks(env, verify.DEPLOY_CHECKS):
            row("verify", name, status, detail)
            say("  %-8s %-60s %s" % ("verify", name, status))
        # 5b. isolate each tier and reconnect it, before the update re-deploys
        for name, status, detail in verify.run_checks(env, isolation.CHECKS) + isolation.gaps(env):
            row("isolate", name, status, detail)
            say("  %-8s %-60s %s" % ("isolate", name, status))

        # what must survive the destroy, with the physical IDs as first deployed
        retained = verify.retained_resources(env)

        # 6. update: a non-destructive change must keep the database's physical ID
        if not a.no_update:
            update(a, env, asm, emu, report, logs, moto, cfn, pending)

        # 7. destroy, then what is retained must still be there
        if a.keep:
            print_table()
            return verdict(a.env)
    finally:
        if pending:  # collected, also when a step failed
            synth_wait(pending[0])
    env.forget()
    for st in reversed(stacks):
        destroy_stack(st, emu, env, logs, moto, cfn)
    if not retained:
        row("retained", "(none)", "FAIL", "no resource with DeletionPolicy Retain/Snapshot was deployed")
    for st, lid, rtype, policy, phys in retained:
        status, detail = verify.still_there(rtype, policy, phys)
        row("retained", "%s/%s" % (st, lid), status, "%s %s: %s" % (rtype, policy, detail))

    print_table()
    say("total time %.0fs" % (time.time() - t_start))
    return verdict(a.env)


def verdict(env):
    bad = unaccepted(env)
    for phase, item, why in bad:
        say("deploy-local: failed: %s %s: %s" % (phase, item, why))
    if not bad:
        say("deploy-local: passed (accepted GAPs: %s)" % "; ".join(
            "%s -- %s" % kv for kv in ACCEPTED_GAPS.items() if any(r[1] == kv[0] and r[2] == "GAP" for r in rows))
            or "none")
    return 1 if bad else 0


def protected_databases(env, st):
    """DB instances and clusters of stack st whose template asks for DeletionProtection."""
    res = env.template(st).get("Resources", {})
    return [lid for lid in env.resources(st, "AWS::RDS::DBInstance") + env.resources(st, "AWS::RDS::DBCluster")
            if str(res[lid].get("Properties", {}).get("DeletionProtection", "false")).lower() == "true"]


EXPECTED_REFUSALS = ("Cannot delete protected DB Instance", "Cannot delete protected Cluster", "is in use by DB instance",
                     "Cluster cannot be deleted, it still contains DB instances")


def destroy_stack(st, emu, env, logs, moto, cfn):
    """cdk destroy one stack, one line. A database with deletion protection
    makes CloudFormation refuse the delete, as it should: REFUSED, not a
    failure, when the template asked for the protection and the database is
    still there, protected, afterwards."""
    protected = {lid: env.physical(st, lid) for lid in protected_databases(env, st)}
    moto.mark()
    say("  %-8s %-28s ..." % ("destroy", st))
    log = os.path.join(logs, "destroy-%s.log" % st)
    rc, secs = cdk(["destroy", "--app", emu, st, "--exclusively", "--force"], log)
    srv = [e for e in moto.errors() if "UserWarning" not in e]
    try:
        s = cfn.describe_stacks(StackName=st)["Stacks"][0]["StackStatus"]
        gone = s == "DELETE_COMPLETE"
    except Exception as e:
        s, gone = "deleted (%s)" % (str(e).split(": ")[-1][:60]), "does not exist" in str(e)
    reason = cli_reason(log)
    # Only the refusals a protected database causes: the protected delete
    # itself, and its parameter/subnet groups still in use.
    other = [e for e in srv if not any(x in e for x in EXPECTED_REFUSALS)]
    kept = still_protected(protected.values()) if rc not in (0, 124) and protected else []
    # moto's stack delete reports only the last error of its delete loop, so
    # which of these it names varies; anything else is a failure.
    said = " ".join(srv + [reason])
    if kept and len(kept) == len(protected) and not other and any(x in said for x in EXPECTED_REFUSALS):
        row("destroy", st, "REFUSED", "%.1fs; %s: DeletionProtection, as the template asks, refused the delete and "
            "the database is still there (turn the protection off in the profile to destroy)"
            % (secs, ", ".join(kept)))
        say("  %-8s %-28s %s" % ("destroy", st, "REFUSED (deletion protection)"))
        return
    if rc == 0 and protected:
        row("destroy", st, "FAILED", "%.1fs; the stack was deleted although %s asks for DeletionProtection"
            % (secs, ", ".join(protected)))
        say("  %-8s %-28s %s" % ("destroy", st, "FAILED"))
        return
    ok = gone and rc == 0 and not srv
    detail = "%.1fs; %s" % (secs, s) + ("" if rc == 0 else "; " + cli_reason(log))
    if srv:
        detail += "; emulator errors: " + " | ".join(srv[-3:])
    row("destroy", st, "OK" if ok else "FAILED", detail)
    say("  %-8s %-28s %s" % ("destroy", st, "OK" if ok else "FAILED"))


def still_protected(ids):
    """Which of the DB instance and cluster ids still exist with deletion protection on."""
    rds = verify.client("rds")
    found = [(d["DBInstanceIdentifier"], d.get("DeletionProtection")) for d in rds.describe_db_instances()["DBInstances"]]
    found += [(c["DBClusterIdentifier"], c.get("DeletionProtection")) for c in rds.describe_db_clusters()["DBClusters"]]
    return sorted(i for i, protected in found if i in set(ids) and protected)


MAX_BACKUP_RETENTION_DAYS = 35  # RDS's limit (PhiDatabase validates it too)


def describe_database(rds, kind, ident):
    """The fields the update step compares, for a DB instance or cluster."""
    if kind == "cluster":
        c = rds.describe_db_clusters(DBClusterIdentifier=ident)["DBClusters"][0]
        return {"created": c.get("ClusterCreateTime"), "BackupRetentionPeriod": c.get("BackupRetentionPeriod")}
    d = rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]
    return {"created": d.get("InstanceCreateTime"), "BackupRetentionPeriod": d.get("BackupRetentionPeriod")}


def count_databases(rds, kind):
    return len(rds.describe_db_clusters()["DBClusters"] if kind == "cluster" else rds.describe_db_instances()["DBInstances"])


def update_target(env):
    """(data stack, database logical ID, kind, retention now, retention to set), or None."""
    data = env.stack("data")
    if not data:
        return None
    lid, kind = verify.database_resource(env, data)
    if not lid:
        return None
    old = int(env.template(data)["Resources"][lid]["Properties"].get("BackupRetentionPeriod", 1))
    new = old + 1 if old < MAX_BACKUP_RETENTION_DAYS else old - 1  # a change either way is non-destructive
    return data, lid, kind, old, new


def start_update_synth(a, env, logs):
    """Start the synth the update deploys (pending: (started, new)), or None."""
    target = update_target(env)
    if a.update_assembly or not target:
        return None
    new = target[4]
    say("synth    %s with -c %s=%d (in the background) ..." % (a.env, UPDATE_CONTEXT_KEY, new))
    return synth_start(a.env, os.path.join(a.work, "cdk.out.update"), logs, a.work,
                       ["-c", "%s=%d" % (UPDATE_CONTEXT_KEY, new)]), new


def update(a, env, asm, emu, report, logs, moto, cfn, pending=None):
    data = env.stack("data")
    if not data:
        row("update", "%s-data" % a.env, "SKIP", "no %s-data stack in this environment: nothing to update" % a.env)
        return
    lid, kind = verify.database_resource(env, data)
    if not lid or env.decision(data, lid).get("action") == "dropped":
        row("update", data, "GAP", "no database deployed on the emulator to update")
        return
    before_phys = env.physical(data, lid)
    rds = verify.client("rds")
    before = describe_database(rds, kind, before_phys)
    count_before = count_databases(rds, kind)
    _, _, _, old, new = update_target(env)
    upd = a.update_assembly or os.path.join(a.work, "cdk.out.update")
    rc = 0
    if pending and pending[1] == new:
        rc, _ = synth_wait(pending[0])
    elif not a.update_assembly:
        if pending:
            synth_wait(pending[0])
        say("synth    %s with -c %s=%d ..." % (a.env, UPDATE_CONTEXT_KEY, new))
        rc, _ = synth(a.env, upd, logs, a.work, ["-c", "%s=%d" % (UPDATE_CONTEXT_KEY, new)])
    if rc != 0:
        row("update", data, "FAILED", "synth: " + cli_reason(os.path.join(logs, "synth-update.log")))
        return
    with open(os.path.join(upd, report["stacks"][data]["templateFile"])) as f:
        got = int(json.load(f)["Resources"].get(lid, {}).get("Properties", {}).get("BackupRetentionPeriod", -1))
    if got != new:
        row("update", data, "SKIP", "hook missing: the app does not read -c %s (BackupRetentionPeriod stays %s)"
            % (UPDATE_CONTEXT_KEY, got))
        return
    emu_u = os.path.join(a.work, "emulator.update.out")
    rep_u = adapt.adapt_assembly(upd, emu_u)
    resolve_imports(os.path.join(emu_u, rep_u["stacks"][data]["templateFile"]), cfn, emu, report)
    with open(os.path.join(emu, report["stacks"][data]["templateFile"])) as f:
        old_t = json.load(f)["Resources"]
    with open(os.path.join(emu_u, rep_u["stacks"][data]["templateFile"])) as f:
        new_t = json.load(f)["Resources"]
    changed = sorted(l for l in new_t if l in old_t and new_t[l] != old_t[l])
    unupdatable = adapt.moto_unupdatable_types()
    stuck = [l for l in changed if new_t[l]["Type"] in unupdatable]
    row("update", data + " (change)", "NOTE", "changed resources: %s" % ", ".join(
        "%s (%s)" % (l, new_t[l]["Type"]) for l in changed))
    if stuck:
        row("update", "database physical ID", "GAP",
            "not deployed: moto's CloudFormation has no update handler for %s; it drops such a resource from "
            "the stack on UpdateStack and the stack breaks (Fn::GetAtt of an undefined resource), so an "
            "in-place update cannot be shown on the emulator" % ", ".join(
                sorted({new_t[l]["Type"] for l in stuck})))
        return
    if not deploy_stacks([data], emu_u, rep_u, "update", logs, moto, cfn):
        return
    env.forget()
    after_phys = env.physical(data, lid)
    try:
        after = describe_database(rds, kind, before_phys)
    except Exception as e:
        row("update", "database physical ID", "FAIL", "%s is gone after the update: %s" % (before_phys, e))
        return
    count_after = count_databases(rds, kind)
    # moto gives every instance the same DbiResourceId; the creation time is
    # what tells a modified database from a re-created one.
    same_db = after["created"] == before["created"] and count_after == count_before
    ok = same_db and after_phys == before_phys
    row("update", "database physical ID", "PASS" if ok else "FAIL",
        "CloudFormation physical ID %s -> %s; created %s -> %s (same %s: %s); DB %ss %d -> %d"
        % (before_phys, after_phys, before["created"], after["created"], kind, same_db, kind, count_before,
           count_after))
    got_days = after.get("BackupRetentionPeriod")
    row("update", "backup retention", "PASS" if got_days == new else "FAIL",
        "%s -> %s days (asked %d)" % (old, got_days, new))

if __name__ == "__main__":
    sys.exit(main())
