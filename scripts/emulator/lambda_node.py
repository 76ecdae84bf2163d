"""Node.js Lambda functions run in the project's Node.js 22 for deploy-local.

moto runs a Lambda function only in Docker, which deploy-local does not use.
For nodejs* runtimes this runs the function's own code (the deployed zip) in a
local Node.js process instead (lambda_runner.js), with the function's
environment variables, dummy credentials and AWS_ENDPOINT_URL pointing at the
emulator, so its AWS SDK calls land on moto's APIs. Other runtimes keep moto's
Docker path (and fail there, as before).

The AWS SDK the handler requires is the one in the project's node_modules
(package.json pins @aws-sdk/client-ec2 for CDK's default-security-group
handler); AWS Lambda provides it in its Node.js runtimes.

install(port) patches moto (call it in the server process before it serves).
"""
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lambda_runner.js")
NODE = os.path.join(ROOT, "node_modules", ".bin", "node")


def run_node_function(fn, event, endpoint):
    """(result, errored, logs) as moto's LambdaFunction._invoke_lambda returns them."""
    work = tempfile.mkdtemp(prefix="deploy-local-lambda-")
    try:
        code = os.path.join(work, "code")
        with zipfile.ZipFile(io.BytesIO(fn.code_bytes)) as z:
            z.extractall(code)
        module = fn.handler.rsplit(".", 1)[0]
        if not any(os.path.exists(os.path.join(code, module + ext)) for ext in (".js", ".cjs", ".mjs")) \
                and os.path.exists(os.path.join(code, module + ".py")):
            # moto stores inline (ZipFile) code as <module>.py whatever the runtime.
            os.rename(os.path.join(code, module + ".py"), os.path.join(code, module + ".js"))
        env = {
            "PATH": os.environ.get("PATH", ""),
            "NODE_PATH": os.path.join(ROOT, "node_modules"),
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_REGION": fn.region, "AWS_DEFAULT_REGION": fn.region,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
            "AWS_LAMBDA_FUNCTION_NAME": fn.function_name,
        }
        env.update(fn.environment_vars or {})
        body = event if isinstance(event, str) else json.dumps(event)
        result_file = os.path.join(work, "result.json")
        p = subprocess.run([NODE, RUNNER, code, fn.handler, result_file], input=body, env=env,
                           capture_output=True, text=True, timeout=int(fn.timeout or 60) + 30)
        logs = "deploy-local: ran %s (%s) in %s\n%s%s" % (fn.function_name, fn.run_time, NODE, p.stdout, p.stderr)
        if os.path.exists(result_file):
            with open(result_file) as f:
                result = f.read()
        else:
            result = json.dumps({"errorType": "Runtime.ExitError",
                                 "errorMessage": "exit %d: %s" % (p.returncode, p.stderr[-500:])})
        return result, p.returncode != 0, logs
    finally:
        shutil.rmtree(work, ignore_errors=True)


def install(port):
    from moto import settings
    from moto.awslambda.models import LambdaFunction

    endpoint = "http://127.0.0.1:%d" % port
    # Custom resources get ResponseURL = moto_server_host():MOTO_PORT/...;
    # moto's default host is Docker's, our handler runs on this machine.
    os.environ["MOTO_PORT"] = str(port)
    settings.moto_server_host = lambda: "http://127.0.0.1"

    docker_invoke = LambdaFunction._invoke_lambda

    def _invoke_lambda(self, event=None):
        if not str(self.run_time or "").startswith("nodejs") or not os.path.exists(NODE):
            return docker_invoke(self, event)
        self.logs_backend.ensure_log_group(self.logs_group_name)
        return run_node_function(self, event if event is not None else {}, endpoint)

    LambdaFunction._invoke_lambda = _invoke_lambda
