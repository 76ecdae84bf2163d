#!/usr/bin/env bash
# Usage: scripts/cdk-diff.sh CDK_OUT GOLDEN_DIR (make diff)
#
# Shows each stack's change against its golden template with the CDK CLI's
# own diff engine (@aws-cdk/cloudformation-diff, bundled in the project-local
# aws-cdk): resource changes marked "replace" / "may replace" / "destroy", and
# the IAM statement and security group change tables. It runs offline and
# needs no credentials: the app is the cloud assembly already synthesized
# (--app CDK_OUT, no synth, no lookups), and --template compares with a file
# instead of the deployed stack. A stack without a golden is diffed against an
# empty template (all new); a golden without a stack is reported as removed.
set -euo pipefail
out=${1:?usage: cdk-diff.sh CDK_OUT GOLDEN_DIR}
golden=${2:?usage: cdk-diff.sh CDK_OUT GOLDEN_DIR}
cdk=${CDK:-cdk}
empty=$(mktemp)
trap 'rm -f "$empty"' EXIT
echo '{}' > "$empty"

stacks=$( { ls "$out" "$golden" | grep '\.template\.json$' | sed 's/\.template\.json$//'; } | sort -u)
for stack in $stacks; do
  if [[ ! -f "$out/$stack.template.json" ]]; then
    echo "Stack $stack"
    echo "REMOVED: a golden exists but the app no longer synthesizes this stack"
    continue
  fi
  base="$golden/$stack.template.json"
  [[ -f "$base" ]] || { echo "(no golden for $stack: every resource is new)"; base=$empty; }
  # No AWS call: no credentials are read. Keep any in the caller's shell away anyway.
  AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_CLI_TELEMETRY=true \
    $cdk diff --no-notices --no-color --app "$out" --lookups=false --exclusively \
    --template "$base" "$stack" 2>&1 | sed '/Number of stacks with differences/d'
done
