#!/bin/bash
# Guest job `repeat` (make repeat): the race and fault programs of the
# swap_cgroup kselftests and the soak, SWAPCG_REPEAT times in a row in one
# boot, to tell a flaky test or a rare kernel bug from a one-off.
#
# Each round N writes results/ksft/roundNN/<program>.log and .rc, as
# ksft.sh does for a collection, so report.py counts every program of every
# round; the soak's own logs go to results/ksft/roundNN/soak-logs/.
# Environment (job.env): SWAPCG_REPEAT (default 10), SWAPCG_REPEAT_SOAK
# (seconds of soak per round, default 60), SWAPCG_RACE_SECONDS (per race,
# default the program's), SWAPCG_KSFT_TIMEOUT (per program).
set -u

res=$SWAPCG_RESULTS/ksft
work=$SWAPCG_SCRATCH/ksft
rounds=${SWAPCG_REPEAT:-10}
soak_s=${SWAPCG_REPEAT_SOAK:-60}
limit=${SWAPCG_KSFT_TIMEOUT:-300}
progs="test_swapcg_races test_swapcg_faults"
mkdir -p "$res" "$work"

if [ ! -d "$SWAPCG_KSFT/swap_cgroup" ]; then
	echo "swapcg-repeat: no $SWAPCG_KSFT/swap_cgroup (kselftests not built)"
	exit 1
fi
cp -a "$SWAPCG_KSFT/swap_cgroup" "$work/"

plan=()
for r in $(seq -f %02g "$rounds"); do
	for p in $progs soak; do
		plan+=("round$r:$p")
	done
done
printf '%s\n' "${plan[@]}" >"$res/plan.txt"

ulimit -c 0
n=0
for entry in "${plan[@]}"; do
	round=${entry%%:*} prog=${entry#*:}
	n=$((n + 1))
	out=$res/$round
	mkdir -p "$out"
	start=$(date +%s)
	if [ "$prog" = soak ]; then
		(cd /tmp && SWAPCG_SOAK_DURATION=$soak_s \
			SWAPCG_SOAK_RESULTS=$out/soak-logs \
			exec timeout -k 5 $((soak_s + 900)) "$SWAPCG_VMDIR/soak.sh") \
			</dev/null >"$out/soak.log" 2>&1
	else
		(cd "$work/swap_cgroup" && exec timeout -k 5 "$limit" \
			stdbuf -oL -eL "./$prog") </dev/null >"$out/$prog.log" 2>&1
	fi
	rc=$?
	echo $rc >"$out/$prog.rc"
	echo "swapcg-repeat: [$n/${#plan[@]}] $round/$prog: exit $rc ($(($(date +%s) - start))s)"
	sync
done
exit 0
