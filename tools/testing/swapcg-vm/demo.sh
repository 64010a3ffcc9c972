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
# controller exists) must push pages out to swap.
demo_swap_under_memcg() {
	local cg="" before after rc
	section "stress-ng swap workload"
	before=$(vmstat pswpout)
	if has_controller memory; then
		cg=$(make_cgroup swapdemo memory) || return 1
		echo 64M >"$cg/memory.max"
		echo "cgroup $cg: memory.max=$(cat "$cg/memory.max")"
	else
		echo "no memory controller: running without a limit (little or no swap expected)"
	fi
	(
		[ -n "$cg" ] && echo $BASHPID >"$cg/cgroup.procs"
		cd /tmp && exec stress-ng --temp-path /tmp --vm 2 --vm-bytes 192M \
			--vm-keep --timeout 10s
	)
	rc=$?
	after=$(vmstat pswpout)
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
	return $rc
}

# The swap controller at work: three groups run stress-ng's swap workloads
# at once, one under a swap.max, one confined to /dev/vdb and one kept off
# zram. swap.current is sampled while they run; the demo fails if a limit
# or a rule did not hold.
demo_swap_controller() {
	local top=$CG/swapcg_demo g pids=() samples=0 bad=0 rc=0 v
	local -A peak=() used=()
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
	has_controller memory && echo +memory >$top/cgroup.subtree_control
	for g in $groups; do
		mkdir -p $top/$g || return 1
		# With memcg, memory.max makes stress-ng's vm workers swap too.
		[ -f $top/$g/memory.max ] && echo 32M >$top/$g/memory.max
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

	for g in $groups; do
		(
			echo $BASHPID >$top/$g/cgroup.procs
			cd /tmp && exec stress-ng --temp-path /tmp --quiet \
				--pageswap 1 --madvise 1 --vm 1 --vm-bytes 96M \
				--timeout 10s
		) &
		pids+=($!)
	done
	while kill -0 "${pids[@]}" 2>/dev/null; do
		# Builtins only: a fork costs milliseconds under TCG.
		for g in $groups; do
			read -r v <$top/$g/swap.current
			[ "$v" -gt "${peak[$g]}" ] && peak[$g]=$v
			# Remember every area the group had pages on.
			while read -r a v; do
				[ "$v" = 0 ] && continue
				case " ${used[$g]} " in
				*" $a "*) ;;
				*) used[$g]="${used[$g]} $a" ;;
				esac
			done <$top/$g/swap.stat
		done
		samples=$((samples + 1))
		read -r -t 0.05 <>"$fifo" || true
	done
	for p in "${pids[@]}"; do
		wait "$p" || rc=1
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
	echo "($samples samples of swap.current and swap.stat; stress-ng exit: $rc)"

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
