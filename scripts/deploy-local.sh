#!/usr/bin/env bash
# make deploy-local: deploy, verify, update and destroy an environment on
# moto's server (no AWS account, no internet). Starts moto's server on a free
# loopback port and always stops it (by its PID), also on failure.
#
#   ENV=dev scripts/deploy-local.sh          (ASSEMBLY=dir deploys a ready cloud assembly)
#   ENV=org-guardrails scripts/deploy-local.sh   (the organization guardrails: scripts/emulator/org.py)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ENV="${ENV:-dev}"
WORK="${DEPLOY_LOCAL_DIR:-$ROOT/cdk.out.local/$ENV}"
export PATH="$ROOT/node_modules/.bin:$PATH"

python3 -c 'import moto.server, flask' 2>/dev/null || { echo "deploy-local: moto's server not installed (pip install 'moto[server]')"; exit 1; }
[ -x "$ROOT/node_modules/.bin/cdk" ] || { echo "deploy-local: project CDK CLI missing: run make toolchain"; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MOTO_LOG="$WORK/moto.log"

MOTO_PID=""
stop_moto() {
  if [ -n "$MOTO_PID" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
    echo "deploy-local: stopped the emulator (pid $MOTO_PID)"
  fi
}
trap stop_moto EXIT
trap 'exit 130' INT TERM

# moto's server with deploy-local's CloudFormation handlers (scripts/emulator/server.py).
python3 -m scripts.emulator.server -H 127.0.0.1 -p "$PORT" >"$MOTO_LOG" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/moto-api/" && break
  kill -0 "$MOTO_PID" 2>/dev/null || { echo "deploy-local: the emulator exited:"; cat "$MOTO_LOG"; exit 1; }
  sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/moto-api/" || { echo "deploy-local: the emulator did not answer on 127.0.0.1:$PORT within 20 s:"; cat "$MOTO_LOG"; exit 1; }
echo "deploy-local: emulator pid $MOTO_PID on 127.0.0.1:$PORT (moto's server with deploy-local's CloudFormation handlers; log: $MOTO_LOG); environment $ENV"

export AWS_ENDPOINT_URL="http://localhost:$PORT"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE CDK_DEFAULT_ACCOUNT CDK_DEFAULT_REGION
export CDK_DISABLE_CLI_TELEMETRY=true JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1

args=(--env "$ENV" --work "$WORK" --moto-log "$MOTO_LOG")
[ -n "${ASSEMBLY:-}" ] && args+=(--assembly "$ASSEMBLY")
[ -n "${UPDATE_ASSEMBLY:-}" ] && args+=(--update-assembly "$UPDATE_ASSEMBLY")
if [ "$ENV" = "org-guardrails" ]; then
  # The management account's stack: an organization on the emulator (scripts/emulator/org.py).
  org_args=(--work "$WORK" --moto-log "$MOTO_LOG")
  [ -n "${ASSEMBLY:-}" ] && org_args+=(--assembly "$ASSEMBLY")
  python3 -m scripts.emulator.org "${org_args[@]}"
else
  python3 -m scripts.emulator.run "${args[@]}"
fi
