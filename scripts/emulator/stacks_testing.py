"""What the emulator tests share: a cloud assembly on disk, and deploying
one environment's stacks the way `make deploy-local` does."""
import json
import os
import shutil
import tempfile

from botocore.exceptions import BotoCoreError, ClientError

from scripts.emulator import adapt, verify


def write_assembly(d, stacks):
    """A minimal cloud assembly: {stack name: template}."""
    os.makedirs(d, exist_ok=True)
    arts = {}
    for name, template in stacks.items():
        with open(os.path.join(d, name + ".template.json"), "w") as f:
            json.dump(template, f)
        arts[name] = {"type": "aws:cloudformation:stack", "environment": "aws://123456789012/us-east-1",
                      "properties": {"templateFile": name + ".template.json", "validateOnSynth": False},
                      "displayName": name}
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump({"version": "55.0.0", "artifacts": arts}, f)


class DeploysEnvironments:
    """A unittest.TestCase mixin; the test class provides self.cfn and
    create(name, template_body, **kw) (asserting CREATE_COMPLETE)."""

    def physical(self, name):
        return {r["LogicalResourceId"]: r.get("PhysicalResourceId")
                for r in self.cfn.describe_stack_resources(StackName=name)["StackResources"]}

    def deploy_env(self, env, stacks, **create_kw):
        """Deploy {kind: template} as stacks <env>-<kind>, as `make deploy-local`
        does (adapt.adapt_assembly, then the adapted templates); returns the
        verify.Env the checks take. The stacks are deleted after the test."""
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        src, dst = os.path.join(d, "cdk.out"), os.path.join(d, "emulator")
        write_assembly(src, {"%s-%s" % (env, kind): t for kind, t in stacks.items()})
        report = adapt.adapt_assembly(src, dst)
        for name in report["order"]:
            with open(os.path.join(dst, report["stacks"][name]["templateFile"])) as f:
                self.create(name, f.read(), **create_kw)
            self.addCleanup(self.delete_quietly, name)
        return verify.Env(env, src, report)

    def delete_quietly(self, name):
        try:
            self.cfn.delete_stack(StackName=name)
        except (ClientError, BotoCoreError):
            pass
