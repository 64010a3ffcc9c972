#!/bin/bash
# bench.sh [--quick]: boot the stock base kernel and ours, run the guest job
# guest-bench.sh on each, collect every value into $OUT/bench.csv and write
# $OUT/report.md and the plots (report.py).  Three phases:
#
#   icount  VM_SMP=1 VM_ICOUNT=shift=0,sleep=off: the guest clock counts
#           instructions, so CPU times repeat from boot to boot; the cost
#           ladder (B3) and the owner handover (B1).  RUNS boots per
#           kernel in ABBA order (stock, ours, ours, stock, ...).
#   wall    the plain TCG guest (2 vCPUs): B2 (swap throughput), B4
#           (kernel memory) and fio, WALL_RUNS boots per kernel; their
#           times are the host's and vary much more.
#   b5      ours only: B5_SMP workers paging out at once, each in its own
#           group, with and without an area the groups may not use, on a
#           guest with as many vCPUs (wall clock).
#
# Environment: REPO, BUILD (set by bench.mk), STOCK_KERNEL, OURS_KERNEL,
# RUNS (icount boots per kernel), WALL_RUNS, B5_SMP (e.g. "4 2"; empty: no
# B5), PHASES (default "icount wall b5"), OUT (default
# $BUILD/bench/full), BENCH_TIMEOUT (watchdog per boot, s), PYTHON.
set -euo pipefail

: "${REPO:?}" "${BUILD:?}"
export REPO BUILD
HERE=$REPO/tools/testing/swapcg-vm/bench
OUT=${OUT:-$BUILD/bench/full}
BIN=$OUT/bin
STOCK_KERNEL=${STOCK_KERNEL:-$BUILD/vanilla-src/out-vanilla/arch/x86/boot/bzImage}
OURS_KERNEL=${OURS_KERNEL:-$BUILD/src/out-default/arch/x86/boot/bzImage}
PYTHON=${PYTHON:-python3}
PHASES=${PHASES:-icount wall b5}
ICOUNT=shift=0,sleep=off
# KUnit runs at boot otherwise, and is not what is measured.
BENCH_APPEND="kunit.enable=0 ${APPEND:-}"

# Sizes of the full run; --quick keeps the same report with fewer rounds and
# smaller sets.  Lists are comma-separated (they travel through job.env).
full_params() {
	RUNS=${RUNS:-3}
	WALL_RUNS=${WALL_RUNS:-3}
	B5_SMP=${B5_SMP-4 2}
	BENCH_TIMEOUT=${BENCH_TIMEOUT:-1200}
	ICOUNT_PARAMS="BENCH_LADDER_MB=32 BENCH_LADDER_ROUNDS=7
		BENCH_LADDER_DEPTHS=1,8 BENCH_LADDER_DEVICES=zram,vda
		BENCH_B1_ROUNDS=15 BENCH_B1_M=0,16000"
	WALL_PARAMS="BENCH_B2_MB=64 BENCH_B2_LIMIT=32M BENCH_B2_PASSES=2
		BENCH_B3_MB=16 BENCH_B3_GROUPS=1000 BENCH_B3_DEPTHS=1
		BENCH_B3_SAMPLES=1 BENCH_B4_REPS=3 BENCH_FIO_SECS=5"
	B5_PARAMS="BENCH_B5_MB=8 BENCH_B5_SECS=8 BENCH_B5_REPS=5"
	BIG=16G
}

quick_params() {
	RUNS=${RUNS:-1}
	WALL_RUNS=${WALL_RUNS:-1}
	B5_SMP=${B5_SMP-2}
	BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
	ICOUNT_PARAMS="BENCH_LADDER_MB=16 BENCH_LADDER_ROUNDS=5
		BENCH_LADDER_DEPTHS=1,8 BENCH_LADDER_DEVICES=zram,vda
		BENCH_B1_ROUNDS=7 BENCH_B1_M=0,4000"
	WALL_PARAMS="BENCH_B2_MB=24 BENCH_B2_LIMIT=12M BENCH_B2_PASSES=2
		BENCH_B3_MB=8 BENCH_B3_GROUPS=100 BENCH_B3_DEPTHS=1
		BENCH_B3_SAMPLES=1 BENCH_B4_REPS=1 BENCH_FIO_SECS=3"
	B5_PARAMS="BENCH_B5_MB=8 BENCH_B5_SECS=4 BENCH_B5_REPS=1"
	BIG=8G
}

build_helpers() {
	mkdir -p "$BIN"
	gcc -O2 -Wall -static -pthread -o "$BIN/handover" "$HERE/handover.c"
	gcc -O2 -Wall -static -o "$BIN/swapload" "$HERE/swapload.c"
}

# boot KERNEL RUN PHASE: one boot of kernel $1 (stock|ours); its values go
# to bench.csv with run $2 (the phase's boot number, or the vCPUs of B5).
boot() {
	local kernel=$1 run=$2 phase=$3 image rundir job params list
	local smp=2 icount=''
	if [ "$kernel" = stock ]; then image=$STOCK_KERNEL; else image=$OURS_KERNEL; fi
	case $phase in
	icount)
		smp=1 icount=$ICOUNT params=$ICOUNT_PARAMS list=ladder,b1
		;;
	wall) params=$WALL_PARAMS list=b4,b2,b3,fio ;;
	b5)
		smp=$run list=b5
		params="$B5_PARAMS BENCH_B5_WORKERS=$run"
		;;
	esac
	job=$phase-$kernel-$run
	rundir=$BUILD/runs/bench-$job
	printf '%s %s %s start=%s load=%s' "$phase" "$kernel" "$run" \
		"$(date -u +%T)" "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/boots.txt"
	# shellcheck disable=SC2086 # $params: words on purpose
	if ! APPEND=$BENCH_APPEND VM_SMP=$smp VM_ICOUNT=$icount \
		EXTRA_DISKS="big:$BIG" \
		JOB_SCRIPT=$HERE/guest-bench.sh \
		JOB_ENV="BENCH_BIN=$BIN BENCH_LIST=$list $(echo $params)" \
		nice "$REPO/tools/testing/swapcg-vm/run-vm.sh" --variant bench \
		--job "$job" --kernel "$image" --timeout "$BENCH_TIMEOUT"; then
		echo "bench: $job failed (see ${rundir#"$REPO"/})" >&2
		echo "$phase,$kernel,$run" >>"$OUT/failed.txt"
	fi
	printf ' end=%s load=%s %s\n' "$(date -u +%T)" \
		"$(cut -d' ' -f1 /proc/loadavg)" \
		"$(grep '^seconds=' "$rundir/vm.status" 2>/dev/null)" >>"$OUT/boots.txt"
	cp "$rundir/results/job.log" "$OUT/raw/$job.log" 2>/dev/null || true
	if [ -f "$rundir/results/bench.csv" ]; then
		sed "s/^/$phase,$run,$kernel,/" "$rundir/results/bench.csv" >>"$OUT/bench.csv"
	fi
}

# Stock, ours, then ours, stock, ...: a host whose load drifts during the
# runs favours neither kernel.
abba() {
	local phase=$1 runs=$2 run kernel order
	for ((run = 1; run <= runs; run++)); do
		if ((run % 2)); then order="stock ours"; else order="ours stock"; fi
		for kernel in $order; do
			boot $kernel $run "$phase"
		done
	done
}

main() {
	local mode=full phase smp t0
	[ "${1:-}" = --quick ] && mode=quick
	"${mode}_params"
	[ -f "$STOCK_KERNEL" ] || { echo "error: no $STOCK_KERNEL" >&2; exit 1; }
	[ -f "$OURS_KERNEL" ] || { echo "error: no $OURS_KERNEL" >&2; exit 1; }
	build_helpers
	rm -rf "$OUT/raw" "$OUT"/*.png "$OUT"/*.dat "$OUT/failed.txt" "$OUT/boots.txt"
	mkdir -p "$OUT/raw"
	echo "phase,run,kernel,bench,config,device,param,metric,value" >"$OUT/bench.csv"
	{
		echo "$mode: phases $PHASES; icount: $RUNS boots per kernel, ABBA," \
			"-icount $ICOUNT, 1 vCPU ($(echo $ICOUNT_PARAMS));" \
			"wall: $WALL_RUNS boots per kernel ($(echo $WALL_PARAMS));" \
			"b5: ours, vCPUs/workers ${B5_SMP:-none} ($(echo $B5_PARAMS))"
		echo "host: $(nproc) cores"
		echo "kernels (md5): stock $(md5sum <"$STOCK_KERNEL" | cut -c1-12)" \
			"$STOCK_KERNEL, ours $(md5sum <"$OURS_KERNEL" | cut -c1-12)" \
			"$OURS_KERNEL"
	} >"$OUT/params.txt"
	for phase in $PHASES; do
		t0=$(date +%s)
		case $phase in
		icount) abba icount "$RUNS" ;;
		wall) abba wall "$WALL_RUNS" ;;
		b5)
			for smp in $B5_SMP; do
				boot ours "$smp" b5
			done
			;;
		*) echo "error: unknown phase $phase" >&2; exit 2 ;;
		esac
		echo "phase $phase: $(($(date +%s) - t0)) s" >>"$OUT/params.txt"
	done
	"$PYTHON" "$HERE/report.py" "$OUT" "$mode"
	echo "  BENCH   $mode: ${OUT#"$REPO"/}/report.md, bench.csv, *.png"
	[ ! -s "$OUT/failed.txt" ]
}

# On one line: bash reads a script as it runs it.
main "$@"; exit $?
