#!/bin/bash
# Guest job for `make run`: a short, readable tour of the running kernel.
#
# Each demo is a function named demo_<name>; DEMOS lists the ones to run, in
# order. A demo fails by returning non-zero; the job's exit status is the
# number of failed demos (0 = all good). To add one, write a demo_<name>
# function and append <name> to DEMOS.
set -u

DEMOS="system swap_under_memcg mm_owner"
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
