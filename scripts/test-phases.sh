#!/usr/bin/env bash
# make test: the phases of the test suite, two at a time (one per core of the
# machines this project is built on). Two workers take the phases from one
# queue, longest first, so the emulator phases (Python, one core) run beside
# the Go ones (Go and Node.js). Every line is prefixed with its phase. After a
# failure no new phase starts; the run fails if any phase did. A table of
# phase times ends the run.
#
#   scripts/test-phases.sh                        what make test runs
#   GOTEST_FLAGS="-count=1" scripts/test-phases.sh  every Go test really run (make bench)
set -uo pipefail
cd "$(dirname "$0")/.."

# Longest first (as measured by make bench); none depends on another.
PHASES=(assertions deploy-local-test "deploy-local ENV=dev" deploy-local-org unit consumer lint)
WORKERS=2
STATE="$(mktemp -d)"
trap 'rm -rf "$STATE"' EXIT
echo 0 >"$STATE/next"
: >"$STATE/times"

now() { date +%s.%N; }

# take prints the index of the next phase to run (or nothing once all are
# taken, or after a failure).
take() {
	(
		flock 9
		[ -e "$STATE/failed" ] && exit 0
		n=$(cat "$STATE/next")
		[ "$n" -lt "${#PHASES[@]}" ] || exit 0
		echo $((n + 1)) >"$STATE/next"
		echo "$n"
	) 9>"$STATE/lock"
}

worker() {
	while n=$(take) && [ -n "$n" ]; do
		local phase=${PHASES[$n]} start status=ok tag
		tag=${phase%% *}
		start=$(now)
		# shellcheck disable=SC2086 # a phase may carry an argument (ENV=dev)
		make --no-print-directory $phase 2>&1 | sed -u "s/^/[$tag] /" || status=FAILED
		[ "$status" = ok ] || touch "$STATE/failed"
		awk -v n="$n" -v p="make $phase" -v a="$start" -v b="$(now)" -v s="$status" \
			'BEGIN { printf "%d\t%s\t%.1f\t%s\n", n, p, b - a, s }' >>"$STATE/times"
	done
}

start=$(now)
pids=()
for _ in $(seq "$WORKERS"); do
	worker &
	pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
wall=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')

result=ok
[ -e "$STATE/failed" ] && result=FAILED
echo
printf '| %-30s | %9s | %-7s |\n' "phase ($WORKERS at a time)" "seconds" "result"
printf '|%s|%s|%s|\n' "--------------------------------" "-----------" "---------"
sort -n "$STATE/times" | while IFS=$'\t' read -r _ phase secs status; do
	printf '| %-30s | %9s | %-7s |\n' "$phase" "$secs" "$status"
done
for n in "${!PHASES[@]}"; do
	cut -f1 "$STATE/times" | grep -qx "$n" || printf '| %-30s | %9s | %-7s |\n' "make ${PHASES[$n]}" "-" "not run"
done
printf '| %-30s | %9s | %-7s |\n' "make test, wall" "$wall" "$result"
[ "$result" = ok ]
