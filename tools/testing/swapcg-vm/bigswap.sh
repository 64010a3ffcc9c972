#!/bin/bash
# Guest job `bigswap`: a swap area of more than 2^30 slots (4 TiB).
#
# The host gives the guest a blank sparse disk of that size, virtio serial
# "big" (EXTRA_DISKS="big:4100G"), and memory for the area's swap_map (a
# byte a slot) and the controller's per-slot group ids (two bytes a slot).
# Checks, in this order:
#   - swapon takes the area, and SwapTotal counts it with its size;
#   - the swapon spent nothing on the group ids: no group exists yet;
#   - with less memory available than the ids need, the first group's
#     mkdir fails with ENOMEM and one line in the log;
#   - with enough, the first group can be made: its mkdir makes the ids;
#   - a worker of that group, limited by swap.devices to the big area,
#     pages out and is charged on it: swap.current, its swap.stat line for
#     the area and the worker's VmSwap agree;
#   - when the worker exits, swap.current is back to 0; the group goes;
#   - swapoff takes the area away.
# Kernel warnings are report.py's to find, in the console of the run.
# Output: KTAP on stdout and in results/bigswap/bigswap.ktap.
set -uo pipefail
# shellcheck source=SCRIPTDIR/../selftests/swap_cgroup/ktap_helpers.sh
. "$(dirname "$0")/../selftests/swap_cgroup/ktap_helpers.sh"

CG=/sys/fs/cgroup
G=$CG/bigswap
RES=${SWAPCG_RESULTS:-/tmp}/bigswap
WORKER_MIB=64
mkdir -p "$RES"
# The guest's init waits for this tee to end: the file is whole by then.
exec > >(tee "$RES/bigswap.ktap")
ktap_print_header

check() { # NAME DETAIL COMMAND...: a pass if COMMAND succeeds
	if "${@:3}"; then ktap_test_pass "$1" "$2"; else ktap_test_fail "$1" "$2"; fi
}

meminfo() { awk -v k="$1:" '$1 == k { printf "%.0f\n", $2 * 1024 }' /proc/meminfo; }
# Kernel messages since the mark.
dmesg_since() { dmesg | tail -n +"$(($1 + 1))"; }
# Wait up to $1 seconds for command $2... to succeed.
wait_for() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 1
	done
}

big=
for d in /sys/block/vd*; do
	[ "$(cat "$d/serial" 2>/dev/null)" = big ] && big=/dev/${d##*/}
done
if [ -z "$big" ]; then
	ktap_test_fail disk "no disk with serial big (EXTRA_DISKS=big:SIZE)"
	ktap_finished
fi
bytes=$(blockdev --getsize64 "$big")
slots=$((bytes / 4096))
ktap_print_msg "big disk $big: $bytes bytes, $slots slots (2^30 = $((1 << 30)))"
check disk-size "$slots slots" [ "$slots" -gt $((1 << 30)) ]

mkswap -q "$big" >"$RES/mkswap.log" 2>&1 || { ktap_test_fail mkswap "$(cat "$RES/mkswap.log")"; ktap_finished; }

mark=$(dmesg | wc -l)
vm_before=$(meminfo VmallocUsed)
total_before=$(meminfo SwapTotal)
ktap_print_msg "MemAvailable before swapon: $(meminfo MemAvailable)"
start=$(date +%s)
if swapon -p 100 "$big" 2>"$RES/swapon.err"; then
	ktap_test_pass swapon "$(($(date +%s) - start)) s"
else
	ktap_test_fail swapon "$(cat "$RES/swapon.err")"
	dmesg_since "$mark" | tail -n 40 | sed 's/^/# dmesg: /'
	ktap_finished
fi

# SwapTotal grows by the slots less the header.  (/proc/swaps prints
# sizes in KiB as 32-bit numbers on 6.12: past 4 TiB they wrap.)
grew=$(($(meminfo SwapTotal) - total_before))
check swap-total "SwapTotal +$grew bytes, want $(((slots - 1) * 4096))" \
	[ "$grew" = $(((slots - 1) * 4096)) ]

# swap_map is a byte a slot, its clusters and zero-page bitmap a few
# percent more: the ids would add two bytes a slot.
vm_grew=$(($(meminfo VmallocUsed) - vm_before))
ktap_print_msg "VmallocUsed grew by $vm_grew bytes at swapon ($((vm_grew * 100 / slots)) per 100 slots)"
check swapon-no-ids "vmalloc $((vm_grew * 100 / slots)) bytes per 100 slots, ids would add 200" \
	[ "$vm_grew" -lt $((slots * 3 / 2)) ]

echo +swap >$CG/cgroup.subtree_control

# Without the memory for the ids, the first group's mkdir fails cleanly:
# ENOMEM and one line in the log, no warning, nothing left allocated.  A
# locked mapping leaves half of the ids' size available.
ids=$((slots * 2))
lock=$(($(meminfo MemAvailable) - ids / 2))
locked=$RES/locker.ready
rm -f "$locked"
python3 -c '
import mmap, sys, time
MAP_LOCKED, MAP_POPULATE = 0x2000, 0x8000
m = mmap.mmap(-1, int(sys.argv[1]),
              flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE)
open(sys.argv[2], "w").write("locked\n")
time.sleep(3600)
' "$lock" "$locked" &
locker=$!
if [ "$lock" -le 0 ] || ! wait_for 120 test -s "$locked"; then
	ktap_test_fail mkdir-enomem "could not lock $lock bytes"
else
	mark=$(dmesg | wc -l)
	vm_before=$(meminfo VmallocUsed)
	ktap_print_msg "MemAvailable $(meminfo MemAvailable) with $lock bytes locked; the ids need $ids"
	if mkdir $G 2>"$RES/mkdir.err"; then
		ktap_test_fail mkdir-enomem "mkdir succeeded"
		rmdir $G
	else
		err=$(cat "$RES/mkdir.err")
		check mkdir-enomem "$err" grep -q 'Cannot allocate memory' "$RES/mkdir.err"
	fi
	vm_grew=$(($(meminfo VmallocUsed) - vm_before))
	check mkdir-enomem-nothing-left "vmalloc grew by $vm_grew bytes" [ "$vm_grew" -lt $((slots / 2)) ]
	said=$(dmesg_since "$mark" | grep 'swap cgroup: not enough memory' | head -n 1)
	check mkdir-enomem-logged "${said:-nothing logged}" [ -n "$said" ]
fi
kill "$locker" 2>/dev/null
wait "$locker" 2>/dev/null

# The first group: its mkdir makes the ids of the big area.
mark=$(dmesg | wc -l)
vm_before=$(meminfo VmallocUsed)
start=$(date +%s)
if mkdir $G 2>"$RES/mkdir.err"; then
	ktap_test_pass mkdir "$(($(date +%s) - start)) s"
else
	ktap_test_fail mkdir "$(cat "$RES/mkdir.err"), MemAvailable $(meminfo MemAvailable)"
	dmesg_since "$mark" | tail -n 20 | sed 's/^/# dmesg: /'
	swapoff "$big"
	ktap_finished
fi
vm_grew=$(($(meminfo VmallocUsed) - vm_before))
check mkdir-makes-ids "vmalloc $((vm_grew * 100 / slots)) bytes per 100 slots" \
	[ "$vm_grew" -ge $((slots * 2)) ]

# Only the big area for this group.
if ! printf 'default 0\n%s max\n' "$big" >$G/swap.devices; then
	ktap_test_fail swap.devices "write refused"
fi

# The worker: fills WORKER_MIB, pages it out, says so and waits.
ready=$RES/worker.ready
rm -f "$ready"
(
	echo $BASHPID >$G/cgroup.procs
	exec python3 -c '
import mmap, sys, time
size = int(sys.argv[1]) << 20
m = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
for off in range(0, size, 4096):
    m[off:off + 8] = (off + 1).to_bytes(8, "little")
m.madvise(21)  # MADV_PAGEOUT
open(sys.argv[2], "w").write("paged out\n")
time.sleep(3600)
' "$WORKER_MIB" "$ready"
) &
worker=$!
if ! wait_for 180 test -s "$ready"; then
	ktap_test_fail worker "not paged out after 180 s"
else
	vmswap=$(($(awk '$1 == "VmSwap:" { print $2 }' /proc/$worker/status) * 1024))
	current=$(cat $G/swap.current)
	on_big=$(awk -v d="$big" '$1 == d { print $2 }' $G/swap.stat)
	ktap_print_msg "VmSwap $vmswap, swap.current $current, swap.stat $big ${on_big:-none}"
	cat $G/swap.stat | sed 's/^/# swap.stat: /'
	check worker-swapped "VmSwap $vmswap of $((WORKER_MIB << 20))" \
		[ "$vmswap" -ge $((WORKER_MIB << 19)) ]
	check charged "swap.current $current = VmSwap $vmswap" [ "$current" = "$vmswap" ]
	check charged-on-big "swap.stat $big ${on_big:-none} = swap.current $current" \
		[ "${on_big:-x}" = "$current" ]
fi
kill "$worker" 2>/dev/null
wait "$worker" 2>/dev/null
uncharged() { [ "$(cat $G/swap.current)" = 0 ]; }
wait_for 60 uncharged
check uncharged "swap.current $(cat $G/swap.current) after the worker" uncharged
rmdir $G 2>/dev/null || wait_for 30 rmdir $G 2>/dev/null
check rmdir "" [ ! -d $G ]

start=$(date +%s)
if timeout 240 swapoff "$big" 2>"$RES/swapoff.err"; then
	ktap_test_pass swapoff "$(($(date +%s) - start)) s"
else
	ktap_test_fail swapoff "$(cat "$RES/swapoff.err")"
fi
check swapoff-gone "" sh -c "! grep -q '^$big ' /proc/swaps"
ktap_finished
