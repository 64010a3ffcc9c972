#!/bin/bash
# Guest job for `make run`: a short, readable tour of the running kernel.
#
# Each demo is a function named demo_<name>; DEMOS lists the ones to run, in
# order. A demo fails by returning non-zero; the job's exit status is the
# number of failed demos (0 = all good). To add one, write a demo_<name>
# function and append <name> to DEMOS.
set -u

DEMOS="system swap_under_memcg swap_controller mm_owner"
CG=/sys/fs/cgroup

section() { printf '\n=== %s ===\n' "$*"; }
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
has_controller() { grep -qw "$1" $CG/cgroup.controllers; }
oom_kills() { awk '$1 == "oom_kill" { print $2 }' "$1/memory.events" 2>/dev/null; }

# stress-ng's own messages (including its alarm when the OOM killer ends a
# stressor) go to a log, shown only when a demo finds something wrong.
LOGS=${SWAPCG_RESULTS:-/tmp}
show_log() {
	echo "stress-ng output ($1):"
	sed 's/^/  | /' "$1"
}
# Run stress-ng with arguments $3... in cgroup $1 ("" = this one), output
# to log $2.
stress() {
	local cg=$1 log=$2
	shift 2
	(
		[ -z "$cg" ] || echo $BASHPID >"$cg/cgroup.procs" || exit 1
		cd /tmp && exec stress-ng --temp-path /tmp "$@"
	) >"$log" 2>&1
}

# Create cgroup $1 under the root with controllers $2... enabled above it.
make_cgroup() {
	local cg=$CG/$1 c
	shift
	for c in "$@"; do
		echo "+$c" >$CG/cgroup.subtree_control || return 1
	done
	mkdir -p "$cg" && echo "$cg"
}

demo_system() {
	section "kernel and swap"
	uname -a
	cat /proc/swaps
	section "cgroup controllers"
	cat $CG/cgroup.controllers
}

# stress-ng's vm stressor in a 64M memory.max group (when the memory
# controller exists) must push pages out to swap, and swap holds what
# memory.max does not: no OOM kill.
demo_swap_under_memcg() {
	local cg="" before after oom rc log=$LOGS/stress-ng-swapdemo.log
	section "stress-ng swap workload"
	before=$(vmstat pswpout)
	oom=$(vmstat oom_kill)
	if has_controller memory; then
		cg=$(make_cgroup swapdemo memory) || return 1
		echo 64M >"$cg/memory.max"
		echo "cgroup $cg: memory.max=$(cat "$cg/memory.max")"
	else
		echo "no memory controller: running without a limit (little or no swap expected)"
	fi
	stress "$cg" "$log" --vm 2 --vm-bytes 192M --vm-keep --timeout 10s
	rc=$?
	after=$(vmstat pswpout)
	oom=$(($(vmstat oom_kill) - oom))
	echo "stress-ng --vm 2 --vm-bytes 192M --vm-keep --timeout 10s: exit $rc, $oom OOM kills"
	cat /proc/swaps
	echo "pswpout: $before -> $after (+$((after - before)) pages)"
	if [ -n "$cg" ]; then
		grep -E '^(anon|swapcached) ' "$cg/memory.stat" || true
		echo "memory.swap.current: $(cat "$cg/memory.swap.current" 2>/dev/null)"
		rmdir "$cg"
		if [ "$after" -le "$before" ]; then
			echo "expected swap-out under memory.max=64M, saw none"
			return 1
		fi
	fi
	if [ $rc != 0 ] || [ $oom != 0 ]; then
		echo "unexpected: stress-ng must run to the end with no OOM kill"
		show_log "$log"
		return 1
	fi
}

# The swap controller at work: three groups run stress-ng's swap workloads
# at once, one under a swap.max, one confined to /dev/vdb and one kept off
# zram. swap.current is sampled while they run. With memcg, each group's
# memory.max makes it swap, and capped, which cannot hold its stress-ng
# in memory.max + swap.max, meets the OOM killer; no other group may.
# The demo fails if a limit or a rule did not hold, on an unexpected OOM
# kill, or if stress-ng failed for another reason.
demo_swap_controller() {
	local top=$CG/swapcg_demo g samples=0 bad=0 a v oom memcg=
	local -A peak=() used=() pid=() rc=()
	local -a stat=()
	local fifo=/tmp/swapcg_demo.fifo

	# A sleep without a fork: read with a timeout from a FIFO no one writes.
	rm -f $fifo && mkfifo $fifo
	local groups="capped vdb_only no_zram"

	section "swap controller: swap.max and swap.devices under stress-ng"
	if ! has_controller swap; then
		echo "no swap controller in $CG/cgroup.controllers"
		return 1
	fi
	echo +swap >$CG/cgroup.subtree_control || return 1
	has_controller memory && echo +memory >$CG/cgroup.subtree_control
	mkdir -p $top || return 1
	echo +swap >$top/cgroup.subtree_control || return 1
	has_controller memory && echo +memory >$top/cgroup.subtree_control &&
		memcg=1
	for g in $groups; do
		mkdir -p $top/$g || return 1
		# With memcg, memory.max makes stress-ng's vm workers swap too.
		[ -n "$memcg" ] && echo 32M >$top/$g/memory.max
		peak[$g]=0
		used[$g]=
	done
	echo 8M >$top/capped/swap.max
	echo "default 0" >$top/vdb_only/swap.devices
	echo "/dev/vdb max" >$top/vdb_only/swap.devices
	echo "/dev/zram0 0" >$top/no_zram/swap.devices
	for g in $groups; do
		printf '%s: swap.max=%s swap.devices=%s\n' "$g" \
			"$(cat $top/$g/swap.max)" \
			"$(paste -sd, $top/$g/swap.devices)"
	done

	oom=$(vmstat oom_kill)
	for g in $groups; do
		stress $top/$g $LOGS/stress-ng-$g.log --pageswap 1 --madvise 1 \
			--vm 1 --vm-bytes 96M --timeout 10s &
		pid[$g]=$!
	done
	while kill -0 "${pid[@]}" 2>/dev/null; do
		# Builtins only: a fork costs milliseconds under TCG.
		for g in $groups; do
			read -r v <$top/$g/swap.current
			[ "$v" -gt "${peak[$g]}" ] && peak[$g]=$v
			# Remember every area the group had pages on. One read():
			# `read` takes a line, seeks back and reads again, and the
			# file is made anew on each read, so its lines can tear.
			mapfile -t stat <$top/$g/swap.stat
			for a in "${stat[@]}"; do
				[ "${a##* }" = 0 ] && continue
				case " ${used[$g]} " in
				*" ${a% *} "*) ;;
				*) used[$g]="${used[$g]} ${a% *}" ;;
				esac
			done
		done
		samples=$((samples + 1))
		read -r -t 0.05 <>"$fifo" || true
	done
	for g in $groups; do
		wait "${pid[$g]}"
		rc[$g]=$?
	done

	echo
	printf '%-9s %10s %12s %12s %8s %8s  %s\n' group swap.max \
		"peak sampled" swap.peak "max ev" "fail ev" "areas used"
	for g in $groups; do
		printf '%-9s %10s %12s %12s %8s %8s  %s\n' "$g" \
			"$(cat $top/$g/swap.max)" "${peak[$g]}" \
			"$(cat $top/$g/swap.peak)" \
			"$(awk '$1 == "max" { print $2 }' $top/$g/swap.events)" \
			"$(awk '$1 == "fail" { print $2 }' $top/$g/swap.events)" \
			"${used[$g]:- none}"
	done
	echo "($samples samples of swap.current and swap.stat)"

	# OOM kills: memory.events counts them per group; without memcg, no
	# group has a memory limit and none may happen (/proc/vmstat).
	oom=$(($(vmstat oom_kill) - oom))
	[ -n "$memcg" ] || echo "no memory controller, no memory.max: $oom OOM kills (none expected)"
	for g in $groups; do
		v=$(oom_kills $top/$g)
		v=${v:-0}
		oom=$((oom - v))
		if [ "$v" = 0 ]; then
			[ -z "$memcg" ] || echo "$g: no OOM kills"
			[ "${rc[$g]}" = 0 ] && continue
			echo "$g: stress-ng failed (exit ${rc[$g]})"
		elif [ $g = capped ]; then
			# stress-ng's exit status may count its killed stressors.
			echo "capped: $v OOM kills: memory.max 32M + swap.max 8M cannot hold its 96M, as configured"
			continue
		else
			echo "$g: $v OOM kills, unexpected with swap.max $(cat $top/$g/swap.max) (stress-ng exit ${rc[$g]})"
		fi
		show_log $LOGS/stress-ng-$g.log
		bad=1
	done
	if [ $oom != 0 ]; then
		echo "$oom OOM kills not explained by a group's memory.max; kernel log:"
		dmesg | grep -E 'oom-kill:|Killed process'
		bad=1
	fi

	# What must have held.
	v=$(cat $top/capped/swap.peak)
	if [ "$v" -gt $((8 << 20)) ]; then
		echo "capped: swap.peak $v is over swap.max 8M"
		bad=1
	fi
	# page_counter adds, then checks and backs out: a reader may catch
	# a refused charge of one folio for an instant.  swap.peak does not.
	[ "${peak[capped]}" -gt $((8 << 20)) ] &&
		echo "capped: a sample read $((peak[capped] - (8 << 20))) bytes over for an instant (a charge being refused)"
	if [ "$v" = 0 ]; then
		echo "capped: nothing was swapped out"
		bad=1
	fi
	case "${used[vdb_only]}" in
	"" | " /dev/vdb") ;;
	*) echo "vdb_only: used${used[vdb_only]}, not only /dev/vdb"; bad=1 ;;
	esac
	case " ${used[no_zram]} " in
	*" /dev/zram0 "*) echo "no_zram: used /dev/zram0"; bad=1 ;;
	esac
	# Slots whose pages are still in the swap cache stay charged until
	# reclaim frees them, as with memory.swap.current.
	for g in $groups; do
		read -r v <$top/$g/swap.current
		[ "$v" != 0 ] &&
			echo "$g: $v bytes still charged: swap cache of exited tasks"
	done
	cat /proc/swaps
	for g in $groups; do
		rmdir $top/$g
	done
	rmdir $top
	rm -f $fifo
	return $bad
}

# mm->owner: its /proc status line and counters (absent on kernels without
# CONFIG_MM_OWNER; that is not an error).
demo_mm_owner() {
	section "mm->owner"
	grep -i mmowner /proc/self/status || echo "(no MmOwner line in /proc/self/status)"
	grep mm_owner /proc/vmstat || echo "(no mm_owner counters in /proc/vmstat)"
	return 0
}

failed=0
for d in $DEMOS; do
	if ! "demo_$d"; then
		echo "demo $d: FAILED"
		failed=$((failed + 1))
	fi
done
echo
echo "demo: $failed failed"
exit $failed
