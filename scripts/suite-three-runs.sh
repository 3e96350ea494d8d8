#!/usr/bin/env bash
# The suite's wall time on a busy machine, as issue #13 asks: three runs in
# a row of `CI=1 make test` in a clean clone (the first with an empty build
# cache) while a second clone runs the same command in a loop beside it.
#
#   scripts/suite-three-runs.sh [WORKDIR]     (default /tmp/suite-runs)
#
# Prints one line a run (result, seconds, load average) and the runs
# beside; logs stay in WORKDIR. Takes 15-40 minutes. Never run by the tests.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-/tmp/suite-runs}
rm -rf "$W" && mkdir -p "$W"
git clone -q "$ROOT" "$W/s1" && git clone -q "$ROOT" "$W/s2"
(
	cd "$W/s2" || exit 1
	n=0
	while [ ! -f "$W/stop" ]; do
		n=$((n + 1)); s=$(date +%s)
		CI=1 make test >"$W/beside-$n.log" 2>&1; rc=$?
		echo "beside run $n: rc=$rc $(($(date +%s) - s)) s" >>"$W/beside.txt"
	done
) &
BESIDE=$!
for i in 1 2 3; do
	s=$(date +%s)
	if [ "$i" = 1 ]; then
		(cd "$W/s1" && GOCACHE="$W/gocache-cold" CI=1 make test >"$W/run-$i.log" 2>&1); rc=$?
	else
		(cd "$W/s1" && CI=1 make test >"$W/run-$i.log" 2>&1); rc=$?
	fi
	echo "run $i: rc=$rc $(($(date +%s) - s)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
done
touch "$W/stop"
wait "$BESIDE"
cat "$W/beside.txt"
