#!/usr/bin/env bash
# make bench: how long the whole-app synth and each phase of `make test` take
# on this machine, as a table.
#
# One run of each, wall-clock seconds. Tests run with -count=1 (Go's test
# result cache would otherwise report ~0 s); the Go build, vet and
# staticcheck caches stay warm, as on a developer's machine after one build.
# Anything else running on the machine inflates the numbers: the load average
# before and after is printed so a reader can judge.
#
#   scripts/bench-phases.sh                   synth benchmark + every phase
#   PHASES="lint unit" scripts/bench-phases.sh  synth benchmark + those phases
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's Node.js 22 runs jsii, as under make (also when run directly).
export PATH="$PWD/node_modules/.bin:$PATH"

# The phases of `make test`, in its order (keep in step with the Makefile).
ALL_PHASES="lint unit assertions consumer deploy-local-test deploy-local deploy-local-org"
PHASES="${PHASES:-$ALL_PHASES}"
SYNTHS="${SYNTHS:-3}"
LOGS="cdk.out.local/bench"
rm -rf "$LOGS" && mkdir -p "$LOGS"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "bench: $(nproc) cores, $(go version | cut -d' ' -f3), load average $(load); logs in $LOGS/"

# Whole-app synth: every environment, HIPAA checks applied, as make synth
# builds it, in one test binary (BenchmarkSynthApp). The first synth of a
# process also starts the jsii kernel; -benchtime Nx averages N synths.
echo "bench: synthesizing the whole app $SYNTHS times (BenchmarkSynthApp)..."
start=$(now)
make --no-print-directory toolchain >"$LOGS/synth.log" 2>&1
go test -count=1 -run '^$' -bench BenchmarkSynthApp -benchtime "${SYNTHS}x" -timeout 30m ./assertions_test/ >>"$LOGS/synth.log" 2>&1 ||
	{ echo "bench: BenchmarkSynthApp failed, see $LOGS/synth.log"; exit 1; }
synth_wall=$(secs "$start" "$(now)")
per_synth=$(awk '/^BenchmarkSynthApp/ { printf "%.1f", $3 / 1e9 }' "$LOGS/synth.log")

# jsii round trips of one whole-app synth: the app binary as `cdk synth`
# runs it (the cdk.json context as CDK_CONTEXT_JSON), with the jsii kernel's
# debug log on; every request from Go to Node.js is a line starting "> ".
# A change that adds calls into jsii shows here.
echo "bench: counting jsii round trips of one synth..."
go build -o "$LOGS/app" ./app
context=$(python3 -c 'import json; print(json.dumps(json.load(open("cdk.json"))["context"]))')
rm -rf "$LOGS/cdk.out"
start=$(now)
CDK_OUTDIR="$LOGS/cdk.out" CDK_CONTEXT_JSON="$context" JSII_DEBUG=1 "$LOGS/app" 2>"$LOGS/jsii-debug.log" >/dev/null ||
	{ echo "bench: the app failed, see $LOGS/jsii-debug.log"; exit 1; }
app_wall=$(secs "$start" "$(now)")
round_trips=$(grep -c '^> ' "$LOGS/jsii-debug.log" || true)
stacks=$(ls "$LOGS/cdk.out"/*.template.json | wc -l)
rm -rf "$LOGS/cdk.out" "$LOGS/app"

rows=()
total=0
failed=0
for phase in $PHASES; do
	args=("$phase")
	[ "$phase" = deploy-local ] && args+=(ENV=dev) # as make test runs it
	echo "bench: make ${args[*]}..."
	start=$(now)
	status=ok
	make --no-print-directory "${args[@]}" GOTEST_FLAGS="-timeout 45m -count=1" >"$LOGS/$phase.log" 2>&1 || { status=FAILED; failed=1; }
	took=$(secs "$start" "$(now)")
	total=$(awk -v a="$total" -v b="$took" 'BEGIN { printf "%.1f", a + b }')
	rows+=("$(printf '| %-28s | %9s | %-6s |' "make ${args[*]}" "$took" "$status")")
done

echo
printf '| %-28s | %9s | %-6s |\n' "what" "seconds" "result"
printf '|%s|%s|%s|\n' "------------------------------" "-----------" "--------"
printf '| %-28s | %9s | %-6s |\n' "synth, whole app (per synth)" "$per_synth" "ok"
printf '| %-28s | %9s | %-6s |\n' "  benchmark run, wall" "$synth_wall" "ok"
printf '| %-28s | %9s | %-6s |\n' "one synth with jsii debug log" "$app_wall" "ok"
printf '| %-28s | %9s | %-6s |\n' "jsii round trips ($stacks stacks)" "$round_trips" "ok"
for r in "${rows[@]}"; do echo "$r"; done
printf '| %-28s | %9s | %-6s |\n' "make test phases, total" "$total" "$([ $failed = 0 ] && echo ok || echo FAILED)"
echo
echo "bench: load average after: $(load)"
exit "$failed"
