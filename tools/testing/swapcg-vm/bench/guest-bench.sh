#!/bin/bash
# Guest job of `make bench`: runs the benches of BENCH_LIST on the booted
# kernel and writes $SWAPCG_RESULTS/bench.csv, one value a line:
#   bench,config,device,param,metric,value
# In B2-B4, config is "stock" on a kernel without the swap controller, else
# "off" (our kernel, swap controller not enabled) or "on" (enabled, limits
# set but not hit, a swap.devices rule in force).  The cost ladder (bench
# "ladder", under QEMU -icount) and B5 have configs of their own, below.
#
# Sizes come from the host through job.env (BENCH_*, lists separated by
# commas); the defaults are those of `make bench` (bench.sh).
set -euo pipefail

CG=/sys/fs/cgroup
BIN=${BENCH_BIN:?}
OUT=$SWAPCG_RESULTS/bench.csv
B1_ROUNDS=${BENCH_B1_ROUNDS:-30}
B1_M=${BENCH_B1_M:-0,1000,4000,16000}
B2_MB=${BENCH_B2_MB:-64}
B2_LIMIT=${BENCH_B2_LIMIT:-32M}
B2_PASSES=${BENCH_B2_PASSES:-2}
B2_REPS=${BENCH_B2_REPS:-1}
B3_MB=${BENCH_B3_MB:-16}
B3_GROUPS=${BENCH_B3_GROUPS:-1,100,1000}
B3_DEPTHS=${BENCH_B3_DEPTHS:-1,8}
B3_SAMPLES=${BENCH_B3_SAMPLES:-3}
B4_REPS=${BENCH_B4_REPS:-3}
FIO_SECS=${BENCH_FIO_SECS:-5}
LADDER_MB=${BENCH_LADDER_MB:-16}
LADDER_ROUNDS=${BENCH_LADDER_ROUNDS:-5}
LADDER_DEPTHS=${BENCH_LADDER_DEPTHS:-1,8}
LADDER_DEVICES=${BENCH_LADDER_DEVICES:-zram,vda}
B5_WORKERS=${BENCH_B5_WORKERS:-4}
B5_MB=${BENCH_B5_MB:-16}
B5_SECS=${BENCH_B5_SECS:-8}
B5_REPS=${BENCH_B5_REPS:-4}
BENCHES=${BENCH_LIST:-b4,b2,b3,b1,fio}

log() { echo "bench: $*" >&2; }
emit() { local IFS=,; echo "$*" >>"$OUT"; }
# Builtins only where it is cheap: a process costs about 0.2 s under TCG.
meminfo() {
	local k v _
	while read -r k v _; do
		if [ "$k" = "$1:" ]; then
			echo $((v * 1024))
			return
		fi
	done </proc/meminfo
}
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
}

# MemFree once it stops moving (groups removed before are freed through RCU
# and work queues, a while after rmdir).
memfree_stable() {
	local a b i
	a=$(meminfo MemFree)
	for ((i = 0; i < 15; i++)); do
		sleep 1
		b=$(meminfo MemFree)
		if ((b - a < 65536 && a - b < 65536)); then
			break
		fi
		a=$b
	done
	echo "$b"
}

# MemFree misses the pages on the per-CPU free lists, which can hold a few
# MiB: keep them short while memory is counted.
PCP_FRACTION=/proc/sys/vm/percpu_pagelist_high_fraction
pcp_short() { echo 100000 >$PCP_FRACTION; }
pcp_default() { echo 0 >$PCP_FRACTION; }
has_swapcg() { grep -qw swap $CG/cgroup.controllers; }

# Block device of virtio serial $1.
disk() {
	local d
	for d in /sys/block/vd*; do
		if [ "$(cat "$d/serial" 2>/dev/null)" = "$1" ]; then
			echo "/dev/${d##*/}"
			return
		fi
	done
	log "no disk with serial $1"
	return 1
}

ZRAM=/dev/zram0
VDA=$(disk swap1)
VDB=$(disk swap2)

swap_active() {
	local d rest
	while read -r d rest; do
		[ "$d" = "$1" ] && return 0
	done </proc/swaps
	return 1
}
swap_off() { if swap_active "$1"; then swapoff "$1"; fi; }
swap_on() { if ! swap_active "$1"; then swapon -p "$2" "$1"; fi; }

# zram sized $1, empty, as swap at priority 20.
zram_fresh() {
	swap_off $ZRAM
	echo 1 >/sys/block/zram0/reset
	echo "$1" >/sys/block/zram0/disksize
	mkswap -q $ZRAM
	swap_on $ZRAM 20
}

# Only $1 (zram or vda) in use, and vdb at the lowest priority (forbidden
# by the "on" rule).
swap_only() {
	case $1 in
	zram) swap_off "$VDA"; zram_fresh 512M ;;
	vda) swap_off $ZRAM; swap_on "$VDA" 10 ;;
	esac
	swap_on "$VDB" 5
}

# Controllers enabled in the subtree of $1 for config $2.
subtree() {
	local cg=$1 cfg=$2 enabled
	echo +memory >"$cg/cgroup.subtree_control"
	if [ "$cfg" = on ]; then
		echo +swap >"$cg/cgroup.subtree_control"
		return
	fi
	read -r enabled <"$cg/cgroup.subtree_control"
	case " $enabled " in
	*" swap "*) echo -swap >"$cg/cgroup.subtree_control" ;;
	esac
}

# Limits of config $2 on group $1, none of them hit by the runs: swap.max,
# a cap on the area in use ($3) and vdb forbidden; memcg's swap limit on
# the other configs.
limits() {
	local cg=$1 cfg=$2 area=$3
	if [ "$cfg" != on ]; then
		echo 1G >"$cg/memory.swap.max"
		return
	fi
	echo 1G >"$cg/swap.max"
	echo "default max" >"$cg/swap.devices"
	echo "$area 768M" >"$cg/swap.devices"
	echo "$VDB 0" >"$cg/swap.devices"
}

area() { if [ "$1" = zram ]; then echo $ZRAM; else echo "$VDA"; fi; }

configs() {
	if has_swapcg; then echo off on; else echo stock; fi
}

# B3 compares the enabled controller with stock only (time).
b3_configs() {
	if has_swapcg; then echo on; else echo stock; fi
}

# B4, per swap slot: free memory before and after swapon of a big area.
bench_b4() {
	local big before after slots i
	big=$(disk big) || return 0
	mkswap -q "$big"
	slots=$(($(blockdev --getsize64 "$big") / 4096 - 1))
	pcp_short
	for ((i = 0; i < B4_REPS; i++)); do
		settle
		before=$(meminfo MemFree)
		swapon -p 1 "$big"
		after=$(meminfo MemFree)
		swapoff "$big"
		emit b4 - big "$slots" bytes_per_slot \
			"$(awk -v b="$before" -v a="$after" -v s="$slots" \
			'BEGIN { printf "%.3f", (b - a) / s }')"
	done
	pcp_default
}

# B2: a working set twice memory.max, swapping on zram or vda.
b2_run() {
	local cfg=$1 dev=$2 cg=$CG/bench/b2 line
	subtree $CG "$cfg"
	mkdir -p $CG/bench
	subtree $CG/bench "$cfg"
	mkdir "$cg"
	echo "$B2_LIMIT" >"$cg/memory.max"
	limits "$cg" "$cfg" "$(area "$dev")"
	sync
	while IFS= read -r line; do
		emit b2 "$cfg" "$dev" "$B2_MB" "$line"
	done < <(sh -c "echo \$\$ >$cg/cgroup.procs && exec $BIN/swapload passes $B2_MB $B2_PASSES")
	rmdir "$cg" $CG/bench
}

bench_b2() {
	local dev cfg rep
	for dev in zram vda; do
		swap_only $dev
		for ((rep = 1; rep <= B2_REPS; rep++)); do
			for cfg in $(configs); do
				log "b2 $dev $cfg ($rep)"
				b2_run "$cfg" "$dev"
			done
		done
	done
	swap_on "$VDA" 10
}

# B3: the cost of a swap charge with $3 groups under $2 (at depth $4).
b3_groups() {
	local cfg=$1 cg=$2 groups=$3 depth=$4 i s before after line
	# No drop_caches here: it would throw the binaries out of the page
	# cache, to be read again over 9p.
	pcp_short
	before=$(memfree_stable)
	"$BIN/swapload" mkgroups "$cg" "$groups"
	after=$(memfree_stable)
	pcp_default
	emit b3 "$cfg" zram "$groups/$depth" bytes_per_group \
		"$(((before - after) / groups))"
	for ((s = 0; s < B3_SAMPLES; s++)); do
		i=$((s * groups / B3_SAMPLES))
		while IFS= read -r line; do
			emit b3 "$cfg" zram "$groups/$depth" "$line"
		done < <(sh -c "echo \$\$ >$cg/g$i/cgroup.procs && exec $BIN/swapload pageout $B3_MB")
	done
	"$BIN/swapload" rmgroups "$cg" "$groups"
}

# A chain of $2 - 1 groups under $CG/b3, with limits at every level; the
# groups of B3 go at its end.
b3_depth() {
	local cfg=$1 depth=$2 cg=$CG/b3 groups i
	subtree $CG "$cfg"
	mkdir $cg
	limits "$cg" "$cfg" $ZRAM
	for ((i = 2; i <= depth; i++)); do
		subtree "$cg" "$cfg"
		mkdir "$cg/l$i"
		cg=$cg/l$i
		limits "$cg" "$cfg" $ZRAM
	done
	subtree "$cg" "$cfg"
	for groups in ${B3_GROUPS//,/ }; do
		log "b3 $groups groups at depth $depth, $cfg"
		b3_groups "$cfg" "$cg" "$groups" "$depth"
	done
	rmdir -p "${cg#$CG/}" 2>/dev/null || true
}

bench_b3() {
	local cfg depth
	swap_only zram
	for depth in ${B3_DEPTHS//,/ }; do
		for cfg in $(b3_configs); do
			(cd $CG && b3_depth "$cfg" "$depth")
		done
	done
	swap_on "$VDA" 10
}

# ---------------------------------------------------------------------------
# B3, the cost ladder: the instructions a page-out and a swap-in take, per
# page (swapload cost: the process's CPU time under QEMU -icount shift=0,
# where 1 ns is one instruction), in configs that each add one step:
#
#   off      our kernel, no swap group ever created (the first run of a
#            boot), the process in the root group
#   rootkey  a swap group exists elsewhere (the controller's static key is
#            on), the process still in the root group
#   plain    the process in a group with +swap, no limits
#   max      swap.max 1G
#   cap      and a cap on the area in use in swap.devices
#   on       and the virtio disk vdb forbidden ("vdb 0")
#   memcg    the memory controller only (+memory, memory.swap.max 1G), for
#            reference
#   stock    the stock base kernel, the process in the root group
#
# plain to memcg run at depth 1 and 8 (the group at the end of a chain,
# with the same limits at every level); off, rootkey and stock have no
# group (param 0).  On zram a swap-in skips the swap cache.  On the virtio
# disk vda (the swap cache path) MADV_PAGEOUT leaves the pages in the swap
# cache: they are reclaimed through memory.reclaim of the process's group
# before the swap-in, so there every config runs in a chain of groups with
# +memory (no limit), off and stock too, and only off, plain, max, cap and
# memcg run (cap on vda).  The memory controller is not enabled for the
# zram configs that do not name it: the process's memory group is the root.
# The order keeps the configs that need no swap group first.
LCG=$CG/ladder

ladder_area() { if [ "$1" = zram ]; then echo $ZRAM; else echo "$VDA"; fi; }
ladder_cap() { if [ "$1" = zram ]; then echo 384M; else echo 192M; fi; }

# A fresh, empty area $1 (zram or vda) as the only one in use, with vdb at
# the lowest priority: every config starts from the same state.
ladder_swap() {
	case $1 in
	zram)
		swap_off "$VDA"
		zram_fresh 512M
		;;
	vda)
		swap_off $ZRAM
		swap_off "$VDA"
		swap_on "$VDA" 10
		;;
	esac
	swap_on "$VDB" 5
}

# Controllers of root's subtree: exactly $1 ("+memory", "+swap", both or
# none) of memory and swap.
root_controllers() {
	local want=" $* " c
	for c in memory swap; do
		case $want in
		*" +$c "*) echo "+$c" >$CG/cgroup.subtree_control ;;
		*)
			if grep -qw "$c" $CG/cgroup.controllers; then
				echo "-$c" >$CG/cgroup.subtree_control
			fi
			;;
		esac
	done
}

# Limits of config $1 on group $2 for area $3.
ladder_limits() {
	local cfg=$1 cg=$2 dev=$3
	case $cfg in
	max | cap | on) echo 1G >"$cg/swap.max" ;;
	memcg) echo 1G >"$cg/memory.swap.max" ;;
	esac
	case $cfg in
	cap | on) echo "$(ladder_area "$dev") $(ladder_cap "$dev")" >"$cg/swap.devices" ;;
	esac
	if [ "$cfg" = on ]; then
		echo "$VDB 0" >"$cg/swap.devices"
	fi
}

# Builds the chain of $3 groups for config $1 on $2; LEAF is the last one.
ladder_chain() {
	local cfg=$1 dev=$2 depth=$3 ctl=() cg=$LCG i c
	case $cfg in
	memcg | off | stock) ctl=(+memory) ;;
	*)
		ctl=(+swap)
		# memory.reclaim (see above)
		[ "$dev" = zram ] || ctl+=(+memory)
		;;
	esac
	root_controllers "${ctl[@]}"
	for ((i = 1; i <= depth; i++)); do
		mkdir "$cg"
		ladder_limits "$cfg" "$cg" "$dev"
		if ((i < depth)); then
			for c in "${ctl[@]}"; do echo "$c" >"$cg/cgroup.subtree_control"; done
			cg=$cg/l$((i + 1))
		fi
	done
	LEAF=$cg
}

# One config: swapload cost in the group chain (or in the root group with
# depth 0); its lines go to bench.csv as ladder,CFG,DEV,DEPTH,metric,value.
ladder_run() {
	local cfg=$1 dev=$2 depth=$3 cg='' line reclaim=
	ladder_swap "$dev"
	if ((depth)); then
		ladder_chain "$cfg" "$dev" "$depth"
		cg=$LEAF
		[ "$dev" = vda ] && reclaim=$cg/memory.reclaim
	fi
	log "ladder $dev $cfg depth $depth"
	while IFS= read -r line; do
		emit ladder "$cfg" "$dev" "$depth" "$line"
	done < <(if [ -n "$cg" ]; then
		sh -c "echo \$\$ >$cg/cgroup.procs && exec $BIN/swapload cost $LADDER_MB $LADDER_ROUNDS $reclaim"
	else
		"$BIN/swapload" cost "$LADDER_MB" "$LADDER_ROUNDS"
	fi)
	[ -z "$cg" ] || rm_chain "$cg"
}

# Removes group $1 and its parents up to $CG; the process that was in it
# may not be reaped yet.
rm_chain() {
	local i
	for ((i = 0; i < 50; i++)); do
		(cd $CG && rmdir -p "${1#"$CG"/}" 2>/dev/null) || true
		[ -d "$LCG" ] || return 0
		sleep 0.1
	done
	log "cannot remove $1"
	return 1
}

# "0 0" when root has neither live nor dying descendants.
cgroup_counts() {
	local k v n=- d=-
	while read -r k v; do
		case $k in
		nr_descendants) n=$v ;;
		nr_dying_descendants) d=$v ;;
		esac
	done <$CG/cgroup.stat
	echo "$n $d"
}

bench_ladder() {
	local dev depth cfg base counts
	base=off
	has_swapcg || base=stock
	counts=$(cgroup_counts)
	# off must be the first run of the boot: no swap group was ever made.
	if [ "$counts" != "0 0" ]; then
		log "ladder: root has descendants (live, dying: $counts): off is not clean"
	fi
	emit ladder "$base" - 0 root_descendants_at_start "${counts/ /:}"
	for dev in ${LADDER_DEVICES//,/ }; do
		if [ "$dev" = zram ]; then
			ladder_run "$base" zram 0
		fi
		for depth in ${LADDER_DEPTHS//,/ }; do
			if [ "$dev" = vda ]; then
				ladder_run "$base" vda "$depth"
			fi
			ladder_run memcg "$dev" "$depth"
		done
	done
	if ! has_swapcg; then
		root_controllers
		swap_on "$VDA" 10
		return 0
	fi
	# From here on a swap group exists: the static key is on.
	root_controllers +swap
	mkdir $CG/swapkey
	for dev in ${LADDER_DEVICES//,/ }; do
		if [ "$dev" = zram ]; then
			root_controllers +swap
			ladder_run rootkey zram 0
		fi
		for depth in ${LADDER_DEPTHS//,/ }; do
			for cfg in plain max cap on; do
				if [ "$dev" = zram ] || [ "$cfg" != on ]; then
					ladder_run "$cfg" "$dev" "$depth"
				fi
			done
		done
	done
	rmdir $CG/swapkey
	root_controllers
	swap_on "$VDA" 10
}

# ---------------------------------------------------------------------------
# B5: page-out throughput of B5_WORKERS processes at once (wall clock, no
# icount), each in a group of its own under $CG/b5 and swapping to zram:
# "unconfined" (the ladder's cap: swap.max, a cap on zram) against
# "confined" (its on: the same and vdb forbidden, an area a group may not
# use).  The two alternate, B5_REPS times each, in one boot.
b5_run() {
	local cfg=$1 rep=$2 i start pids=() line limits=cap
	[ "$cfg" = confined ] && limits=on
	zram_fresh 512M
	swap_on "$VDB" 5
	mkdir $CG/b5
	echo +swap >$CG/b5/cgroup.subtree_control
	for ((i = 0; i < B5_WORKERS; i++)); do
		mkdir $CG/b5/w$i
		ladder_limits $limits $CG/b5/w$i zram
	done
	start=$(($(date +%s) + 2))
	for ((i = 0; i < B5_WORKERS; i++)); do
		sh -c "echo \$\$ >$CG/b5/w$i/cgroup.procs && exec $BIN/swapload loop $B5_MB $start $((start + B5_SECS))" \
			>/tmp/b5.$i &
		pids+=($!)
	done
	wait "${pids[@]}"
	for ((i = 0; i < B5_WORKERS; i++)); do
		while IFS= read -r line; do
			emit b5 "$cfg" zram "$B5_WORKERS/$rep" "$line"
		done </tmp/b5.$i
		rmdir $CG/b5/w$i
	done
	rmdir $CG/b5
}

bench_b5() {
	local rep cfg order
	has_swapcg || return 0
	swap_off "$VDA"
	root_controllers +swap
	for ((rep = 1; rep <= B5_REPS; rep++)); do
		order="unconfined confined"
		# Which goes first alternates too.
		((rep % 2)) || order="confined unconfined"
		for cfg in $order; do
			log "b5 $B5_WORKERS workers, $cfg ($rep)"
			b5_run "$cfg" "$rep"
		done
	done
	root_controllers
	swap_on "$VDA" 10
}

# B1: owner handovers against idle processes (root group).
bench_b1() {
	local line
	echo 4194304 >/proc/sys/kernel/pid_max
	echo 1000000 >/proc/sys/kernel/threads-max
	while IFS= read -r line; do
		IFS=, read -r _ mode m metric value <<<"$line"
		emit b1 "$mode" - "$m" "$metric" "$value"
	done < <(cd /tmp && "$BIN/handover" "$B1_ROUNDS" ${B1_M//,/ })
}

# The ceiling: fio on the raw swap disk, in pages/s, with the request sizes
# swap uses: 128k writes (swap-out writes batches of a cluster), 32k random
# reads (swap-in reads 2^page-cluster pages around a fault).
fio_run() {
	local dev=$1 name=$2 rw bs kib f
	for rw in write:128k randread:32k; do
		bs=${rw#*:}
		rw=${rw%:*}
		# Terse output: field 7 is the read, 48 the write bandwidth (KiB/s).
		IFS=';' read -ra f < <(fio --name=ceil --filename="$dev" \
			--rw="$rw" --bs="$bs" --direct=1 --ioengine=libaio \
			--iodepth=16 --size=128M --time_based \
			--runtime="$FIO_SECS" --output-format=terse \
			--terse-version=3)
		if [ "$rw" = write ]; then kib=${f[47]}; else kib=${f[6]}; fi
		emit fio - "$name" "$bs" "${rw}_pages_per_s" $((kib / 4))
	done
}

bench_fio() {
	swap_off "$VDA"
	fio_run "$VDA" vda
	# fio wrote over the swap header.
	mkswap -q "$VDA"
	swap_on "$VDA" 10
}

main() {
	local b t0
	: >"$OUT"
	uname -r
	cat /proc/swaps
	echo "controllers: $(cat $CG/cgroup.controllers)"
	for b in ${BENCHES//,/ }; do
		t0=$(date +%s)
		log "$b"
		"bench_$b"
		log "$b took $(($(date +%s) - t0)) s"
	done
	echo "bench: $(wc -l <"$OUT") values"
}

# On one line: bash reads a script as it runs it.
main "$@"; exit $?
