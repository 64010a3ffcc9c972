#!/bin/bash
# run-vm.sh --variant V --job NAME --kernel BZIMAGE [--timeout SECS]
#           [--interactive] [--show-log] [--quiet]
#
# Boot BZIMAGE under QEMU (TCG) with the host's / as a read-only 9p root and
# run the guest job NAME (tools/testing/swapcg-vm/NAME.sh, see
# guest-init.sh). Everything of the run goes to build/runs/<variant>-<job>/:
# console.log, vm.status, and results/ (the guest's writable share: job.log,
# job.rc, test logs). Disks are fresh sparse files each run.
#
# Exit status: the job's exit status; 1 if the guest died or the watchdog
# (timeout SECS, 0 = none) killed it, in which case the console tail is
# printed.
# Environment: REPO, BUILD (set by the Makefile), APPEND (extra kernel
# arguments), KSFT_TIMEOUT, KSFT_COLLECTIONS, KEEP_DISKS=1, and for jobs
# that need another machine (all optional):
#   VM_MEM=2G              guest RAM
#   VM_SMP=2               vCPUs
#   VM_ICOUNT=SPEC         -icount SPEC (e.g. shift=0,sleep=off): the guest
#                          clock counts instructions, so CPU times repeat
#                          from boot to boot; needs VM_SMP=1
#   EXTRA_DISKS="S:SIZE"   more blank sparse disks, virtio serial S
#   JOB_SCRIPT=/abs/x.sh   the job script to run instead of NAME.sh (the
#                          run dir is still named after NAME)
#   JOB_ENV="K=V ..."      more variables for the job (job.env)
#   QEMU_EXTRA="..."       more QEMU arguments
set -euo pipefail

variant= job= kernel= timeout_s=1500 interactive=0 quiet=0 show_log=0
while [ $# -gt 0 ]; do
	case $1 in
	--variant) variant=$2; shift ;;
	--job) job=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--timeout) timeout_s=$2; shift ;;
	--interactive) interactive=1 ;;
	--quiet) quiet=1 ;;
	--show-log) show_log=1 ;;
	*) echo "usage: $0 --variant V --job NAME --kernel BZIMAGE [--timeout S] [--interactive] [--quiet]" >&2; exit 2 ;;
	esac
	shift
done
: "${REPO:?}" "${BUILD:?}"
vmdir=$REPO/tools/testing/swapcg-vm

# The guest sees the host's / but mounts tmpfs over these (guest-init.sh).
for d in "$REPO" "$BUILD"; do
	case $(realpath -m "$d")/ in
	/tmp/* | /run/* | /dev/shm/*)
		echo "error: $d is under /tmp, /run or /dev/shm, which the guest" \
			"mounts over with tmpfs: it cannot see it; clone the" \
			"repository elsewhere" >&2
		exit 1
		;;
	esac
done
[ -f "$kernel" ] || { echo "error: no kernel image $kernel" >&2; exit 1; }
smp=${VM_SMP:-2}
icount=${VM_ICOUNT:-}
# With several vCPUs, TCG runs them round-robin on one host thread and
# icount then no longer measures one CPU's work: refuse it.
if [ -n "$icount" ] && [ "$smp" != 1 ]; then
	echo "error: VM_ICOUNT=$icount needs VM_SMP=1 (got VM_SMP=$smp):" \
		"instruction counting is only deterministic on one vCPU" >&2
	exit 2
fi

rundir=$BUILD/runs/$variant-$job
rm -rf "$rundir"
mkdir -p "$rundir/results"

# Disks: two swap disks and an ext4 scratch disk (made here: much faster
# than mkfs under TCG; no lazy init, so the guest does no background zeroing).
truncate -s 256M "$rundir/swap1.img"
truncate -s 256M "$rundir/swap2.img"
truncate -s 1G "$rundir/scratch.img"
for d in ${EXTRA_DISKS:-}; do
	truncate -s "${d#*:}" "$rundir/${d%%:*}.img"
done
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$rundir/scratch.img"

cat >"$rundir/results/job.env" <<ENV
SWAPCG_JOB='${JOB_SCRIPT:-$job}'
SWAPCG_VARIANT='$variant'
SWAPCG_REPO='$REPO'
SWAPCG_BUILD='$BUILD'
SWAPCG_KSFT='$BUILD/ksft'
SWAPCG_KSFT_COLLECTIONS='${KSFT_COLLECTIONS:-}'
SWAPCG_KSFT_TIMEOUT='${KSFT_TIMEOUT:-300}'
SWAPCG_EPOCH='$(date +%s)'
ENV
for kv in ${JOB_ENV:-}; do
	echo "${kv%%=*}='${kv#*=}'" >>"$rundir/results/job.env"
done

cmdline="root=hostroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144"
cmdline+=" ro console=ttyS0 loglevel=7 panic=-1 kunit.enable=1"
# Under TCG a vCPU thread that the host does not run for a while looks to
# the guest like a CPU stuck in the kernel: the RCU stall (21 s) and soft
# lockup (20 s) detectors then report whatever it was doing. Give them the
# margins used for emulated kernels; a real hang still ends in the run's
# watchdog, and lockdep, KASAN and the hung task detector are unchanged.
cmdline+=" rcupdate.rcu_cpu_stall_timeout=100 watchdog_thresh=50"
cmdline+=" init=$vmdir/guest-init.sh ${APPEND:-}"

disk() { # file serial
	echo "-drive file=$1,format=raw,if=none,id=$2,cache=unsafe -device virtio-blk-pci,drive=$2,serial=$2"
}

qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp "$smp" -m "${VM_MEM:-2G}" -nographic -no-reboot
	-kernel "$kernel" -append "$cmdline"
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot
	-fsdev local,id=results,path="$rundir/results",security_model=none
	-device virtio-9p-pci,fsdev=results,mount_tag=results
	$(disk "$rundir/swap1.img" swap1)
	$(disk "$rundir/swap2.img" swap2)
	$(disk "$rundir/scratch.img" scratch))
for d in ${EXTRA_DISKS:-}; do
	qemu+=($(disk "$rundir/${d%%:*}.img" "${d%%:*}"))
done
[ -z "$icount" ] || qemu+=(-icount "$icount")
qemu+=(${QEMU_EXTRA:-})
if [ $interactive = 1 ]; then
	# Serial console and QEMU monitor on the terminal (Ctrl-A X quits),
	# logged too.
	qemu+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$rundir/console.log"
		-serial chardev:con -mon chardev=con,mode=readline)
else
	qemu+=(-monitor none -serial "file:$rundir/console.log")
fi

[ $quiet = 1 ] || echo "  BOOT    $variant, job $job (console: ${rundir#"$REPO"/}/console.log)"
start=$(date +%s)
set +e
if [ $interactive = 1 ]; then
	timeout --foreground -k 10 "$timeout_s" "${qemu[@]}"
else
	timeout --foreground -k 10 "$timeout_s" "${qemu[@]}" </dev/null
fi
qemu_rc=$?
set -e
secs=$(($(date +%s) - start))
job_rc=$(cat "$rundir/results/job.rc" 2>/dev/null || echo none)
{
	echo "qemu_rc=$qemu_rc"
	echo "seconds=$secs"
	echo "timeout=$timeout_s"
	echo "job_rc=$job_rc"
	echo "vm_smp=$smp"
	echo "icount=$icount"
} >"$rundir/vm.status"
[ "${KEEP_DISKS:-0}" = 1 ] || rm -f "$rundir"/*.img

failed=
if [ $qemu_rc = 124 ] || [ $qemu_rc = 137 ]; then
	failed="guest killed by the watchdog after ${timeout_s}s"
elif [ $qemu_rc != 0 ]; then
	failed="qemu exited with status $qemu_rc"
elif [ "$job_rc" = none ]; then
	failed="guest stopped before the job finished"
fi
if [ -n "$failed" ]; then
	echo "error: $variant/$job: $failed; last 50 console lines:" >&2
	tail -n 50 "$rundir/console.log" | sed 's/^/    /' >&2
	exit 1
fi
if [ $show_log = 1 ]; then
	echo "---------------- $job output (${rundir#"$REPO"/}/results/job.log) ----------------"
	cat "$rundir/results/job.log"
	echo "----------------"
fi
[ $quiet = 1 ] || echo "  DONE    $variant, job $job: exit status $job_rc after ${secs}s"
exit "$job_rc"
