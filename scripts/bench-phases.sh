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
#   scripts/bench-phases.sh           synth figures, then make test timed
#   SYNTHS=3 scripts/bench-phases.sh  fewer synths for the median
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's Node.js 22 runs jsii, as under make (also when run directly).
export PATH="$PWD/node_modules/.bin:$PATH"

SYNTHS="${SYNTHS:-5}"
LOGS="cdk.out.local/bench"
rm -rf "$LOGS" && mkdir -p "$LOGS"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "bench: $(nproc) cores, $(go version | cut -d' ' -f3), load average $(load); logs in $LOGS/"

# Whole-app synth, as `cdk synth` runs it: the project's CDK CLI running the
# app binary (built once, so no Go build is timed), SYNTHS times; the median
# wall time and the median CPU time (user + system, the CLI, Node.js and the
# Go app together). The first run warms the file cache and is not counted.
echo "bench: synthesizing the whole app $SYNTHS times through the CDK CLI..."
make --no-print-directory toolchain >"$LOGS/synth.log" 2>&1
go build -o "$LOGS/app" ./app
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for i in $(seq 0 "$SYNTHS"); do
	rm -rf "$LOGS/cdk.out"
	/usr/bin/time -f '%e %U %S' -o "$LOGS/synth-time.txt" \
		cdk --no-notices synth --quiet --app "$LOGS/app" -o "$LOGS/cdk.out" >>"$LOGS/synth.log" 2>&1 ||
		{ echo "bench: cdk synth failed, see $LOGS/synth.log"; exit 1; }
	[ "$i" = 0 ] || awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$LOGS/synth-time.txt" >>"$LOGS/synth-times.txt"
done
synth_wall=$(cut -d' ' -f1 "$LOGS/synth-times.txt" | median)
synth_cpu=$(cut -d' ' -f2 "$LOGS/synth-times.txt" | median)
stacks=$(ls "$LOGS/cdk.out"/*.template.json | wc -l)

# jsii round trips: every request from Go to the jsii kernel (Node.js) is a
# "> {" record in the kernel's debug log. Counted for one whole-app synth (the
# app binary as `cdk synth` runs it, cdk.json's context as CDK_CONTEXT_JSON),
# and for the 12 baseline stacks issue #21 measured (network, audit, access
# and data of every profile: BenchmarkBaselineRoundTrips). A change that adds
# calls into jsii shows here.
echo "bench: counting jsii round trips..."
context=$(python3 -c 'import json; print(json.dumps(json.load(open("cdk.json"))["context"]))')
rm -rf "$LOGS/cdk.out"
CDK_OUTDIR="$LOGS/cdk.out" CDK_CONTEXT_JSON="$context" JSII_DEBUG=1 "$LOGS/app" 2>"$LOGS/jsii-debug.log" >/dev/null ||
	{ echo "bench: the app failed, see $LOGS/jsii-debug.log"; exit 1; }
round_trips=$(grep -o '> {"' "$LOGS/jsii-debug.log" | wc -l)
JSII_DEBUG=1 go test -count=1 -run '^$' -bench BenchmarkBaselineRoundTrips -benchtime 1x ./stacks/ >"$LOGS/jsii-debug-baseline.log" 2>&1 ||
	{ echo "bench: BenchmarkBaselineRoundTrips failed, see $LOGS/jsii-debug-baseline.log"; exit 1; }
baseline_trips=$(grep -o '> {"' "$LOGS/jsii-debug-baseline.log" | wc -l)
rm -rf "$LOGS/cdk.out" "$LOGS/app"

# make test as it runs (scripts/test-phases.sh, two phases at a time), twice:
# first with every test really run (-count=1: no cached Go test results;
# CFNLINT_CACHE=refresh: every fixture template cfn-linted), then warm, as a
# developer's next run finds it (Go's test cache and the cfn-lint cache the
# first run filled), each with its table of phase times.
echo "bench: make test, every test run (GOTEST_FLAGS=-count=1, CFNLINT_CACHE=refresh)..."
failed=0
GOTEST_FLAGS="-timeout 45m -count=1" CFNLINT_CACHE=refresh scripts/test-phases.sh >"$LOGS/test.log" 2>&1 || failed=1
echo "bench: make test, warm (the caches the first run filled)..."
scripts/test-phases.sh >"$LOGS/test-warm.log" 2>&1 || failed=1

echo
printf '| %-30s | %9s | %-6s |\n' "what" "" "result"
printf '|%s|%s|%s|\n' "--------------------------------" "-----------" "--------"
printf '| %-30s | %9s | %-6s |\n' "cdk synth, wall (median of $SYNTHS)" "$synth_wall" "ok"
printf '| %-30s | %9s | %-6s |\n' "cdk synth, CPU (median)" "$synth_cpu" "ok"
printf '| %-30s | %9s | %-6s |\n' "jsii round trips, $stacks stacks" "$round_trips" "ok"
printf '| %-30s | %9s | %-6s |\n' "jsii round trips, 12 baseline" "$baseline_trips" "ok"
echo
echo "make test, every test run:"
sed -n '/^| phase (/,$p' "$LOGS/test.log"
echo
echo "make test, warm:"
sed -n '/^| phase (/,$p' "$LOGS/test-warm.log"
[ "$failed" = 0 ] || echo "bench: make test failed, see $LOGS/test.log and $LOGS/test-warm.log"
echo
echo "bench: load average after: $(load)"
exit "$failed"
