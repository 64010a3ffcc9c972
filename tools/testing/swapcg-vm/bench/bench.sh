#!/bin/bash
# bench.sh [--quick]: boot stock 6.1 and ours alternately, run the guest job
# guest-bench.sh on each (B1-B4, fio), collect every value into
# $OUT/bench.csv and write $OUT/report.md and the plots (report.py).
# Boots go in ABBA order (stock, ours, ours, stock, ...).
#
# Environment: REPO, BUILD (set by bench.mk), STOCK_KERNEL, OURS_KERNEL,
# RUNS (boots per kernel), OUT (default $BUILD/bench/full), BENCH_TIMEOUT
# (watchdog per boot, s), PYTHON.
set -euo pipefail

: "${REPO:?}" "${BUILD:?}"
export REPO BUILD
HERE=$REPO/tools/testing/swapcg-vm/bench
OUT=${OUT:-$BUILD/bench/full}
BIN=$OUT/bin
STOCK_KERNEL=${STOCK_KERNEL:-$BUILD/vanilla-src/out-vanilla/arch/x86/boot/bzImage}
OURS_KERNEL=${OURS_KERNEL:-$BUILD/src/out-default/arch/x86/boot/bzImage}
PYTHON=${PYTHON:-python3}

# Sizes of the full run; --quick keeps the same report with fewer rounds and
# smaller sets.  Lists are comma-separated (they travel through job.env).
full_params() {
	RUNS=${RUNS:-3}
	BENCH_TIMEOUT=${BENCH_TIMEOUT:-900}
	PARAMS="BENCH_B1_ROUNDS=30 BENCH_B1_M=0,1000,4000,16000
		BENCH_B2_MB=64 BENCH_B2_LIMIT=32M BENCH_B2_PASSES=2
		BENCH_B3_MB=16 BENCH_B3_GROUPS=1,100,1000 BENCH_B3_DEPTHS=1,8
		BENCH_B3_SAMPLES=3 BENCH_B4_REPS=3 BENCH_FIO_SECS=5"
	BIG=16G
}

quick_params() {
	RUNS=${RUNS:-1}
	BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
	PARAMS="BENCH_B1_ROUNDS=15 BENCH_B1_M=0,1000,4000
		BENCH_B2_MB=24 BENCH_B2_LIMIT=12M BENCH_B2_PASSES=2
		BENCH_B3_MB=8 BENCH_B3_GROUPS=1,100,1000 BENCH_B3_DEPTHS=1,8
		BENCH_B3_SAMPLES=1 BENCH_B4_REPS=1 BENCH_FIO_SECS=3"
	BIG=8G
}

build_helpers() {
	mkdir -p "$BIN"
	gcc -O2 -Wall -static -pthread -o "$BIN/handover" "$HERE/handover.c"
	gcc -O2 -Wall -static -o "$BIN/swapload" "$HERE/swapload.c"
}

# One boot of kernel $1 (stock|ours), run $2; its values go to raw/$1-$2.csv.
boot() {
	local kernel=$1 run=$2 image rundir
	if [ "$kernel" = stock ]; then image=$STOCK_KERNEL; else image=$OURS_KERNEL; fi
	rundir=$BUILD/runs/bench-$kernel-$run
	printf '%s %s start=%s load=%s' "$kernel" "$run" "$(date -u +%T)" \
		"$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/boots.txt"
	if ! EXTRA_DISKS="big:$BIG" \
		JOB_SCRIPT=$HERE/guest-bench.sh \
		JOB_ENV="BENCH_BIN=$BIN $(echo $PARAMS)" \
		nice "$REPO/tools/testing/swapcg-vm/run-vm.sh" --variant bench \
		--job "$kernel-$run" --kernel "$image" --timeout "$BENCH_TIMEOUT"; then
		echo "bench: $kernel run $run failed (see ${rundir#"$REPO"/})" >&2
		echo "$kernel,$run" >>"$OUT/failed.txt"
	fi
	printf ' end=%s load=%s %s\n' "$(date -u +%T)" \
		"$(cut -d' ' -f1 /proc/loadavg)" \
		"$(grep '^seconds=' "$rundir/vm.status" 2>/dev/null)" >>"$OUT/boots.txt"
	cp "$rundir/results/job.log" "$OUT/raw/$kernel-$run.log" 2>/dev/null || true
	if [ -f "$rundir/results/bench.csv" ]; then
		sed "s/^/$run,$kernel,/" "$rundir/results/bench.csv" >>"$OUT/bench.csv"
	fi
}

main() {
	local run kernel order mode=full
	[ "${1:-}" = --quick ] && mode=quick
	"${mode}_params"
	[ -f "$STOCK_KERNEL" ] || { echo "error: no $STOCK_KERNEL" >&2; exit 1; }
	[ -f "$OURS_KERNEL" ] || { echo "error: no $OURS_KERNEL" >&2; exit 1; }
	build_helpers
	rm -rf "$OUT/raw" "$OUT"/*.png "$OUT/failed.txt" "$OUT/boots.txt"
	mkdir -p "$OUT/raw"
	echo "run,kernel,bench,config,device,param,metric,value" >"$OUT/bench.csv"
	{
		echo "$mode: $RUNS boots per kernel, stock and ours alternately (ABBA)" \
			"($(echo $PARAMS))"
		echo "kernels (md5): stock $(md5sum <"$STOCK_KERNEL" | cut -c1-12)," \
			"ours $(md5sum <"$OURS_KERNEL" | cut -c1-12)"
	} >"$OUT/params.txt"
	# Stock, ours, then ours, stock, ...: a host whose load drifts during
	# the runs favours neither kernel.
	for ((run = 1; run <= RUNS; run++)); do
		if ((run % 2)); then order="stock ours"; else order="ours stock"; fi
		for kernel in $order; do
			boot $kernel $run
		done
	done
	"$PYTHON" "$HERE/report.py" "$OUT" "$mode"
	echo "  BENCH   $mode: ${OUT#"$REPO"/}/report.md, bench.csv, *.png"
	[ ! -s "$OUT/failed.txt" ]
}

# On one line: bash reads a script as it runs it.
main "$@"; exit $?
