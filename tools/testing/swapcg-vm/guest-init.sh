#!/bin/sh
# PID 1 of the swapcg test guest (the kernel runs it as init=, from the
# host's root, which the guest mounts read-only over virtio-9p).
#
# Sets up a usable system (pseudo filesystems, cgroup2, three swap areas,
# an ext4 scratch disk), then runs one job script from this directory,
# chosen by the host in job.env on the writable "results" 9p share, and
# always powers off, whatever the job did. PID 1 must never exit: that
# would panic the kernel.

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/tmp
TMPDIR=/tmp
export PATH HOME TMPDIR

VMDIR=${0%/*}
RESULTS=/run/results
SCRATCH=/run/scratch
BUSYBOX=/bin/busybox

log() { echo "swapcg-init: $*"; }
run() { "$@" || log "failed: $*"; }

power_off() {
	sync
	# busybox's, not the host's systemd poweroff; reboot is the fallback
	# (QEMU runs with -no-reboot, so both end the VM).
	$BUSYBOX poweroff -f
	sleep 5
	$BUSYBOX reboot -f
	sleep 5
	while :; do sleep 3600; done
}

mount_basics() {
	run mount -t proc proc /proc
	run mount -t sysfs sysfs /sys
	mountpoint -q /dev || run mount -t devtmpfs devtmpfs /dev
	run mount -t tmpfs -o mode=1777 tmpfs /tmp
	run mount -t tmpfs -o mode=755 tmpfs /run
	mkdir -p /dev/pts /dev/shm
	run mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
	run mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	# The bare devtmpfs lacks these (the kselftest runner writes to
	# /dev/stdout).
	ln -sfn /proc/self/fd /dev/fd
	ln -sfn /proc/self/fd/0 /dev/stdin
	ln -sfn /proc/self/fd/1 /dev/stdout
	ln -sfn /proc/self/fd/2 /dev/stderr
	# The options systemd uses: upstream's cgroup selftests expect
	# nsdelegate (test_cgcore_lesser_ns_open) and adapt to recursiveprot.
	run mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup
	[ -d /sys/kernel/debug ] && run mount -t debugfs debugfs /sys/kernel/debug
	[ -d /sys/kernel/tracing ] && run mount -t tracefs tracefs /sys/kernel/tracing
	mkdir -p $RESULTS
	run mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results $RESULTS
}

# Block device whose virtio serial is $1 (falls back to $2).
disk_by_serial() {
	for d in /sys/block/vd*; do
		if [ "$(cat "$d/serial" 2>/dev/null)" = "$1" ]; then
			echo "/dev/${d##*/}"
			return
		fi
	done
	echo "$2"
}

setup_swap_and_disks() {
	swap1=$(disk_by_serial swap1 /dev/vda)
	swap2=$(disk_by_serial swap2 /dev/vdb)
	scratch=$(disk_by_serial scratch /dev/vdc)

	# Three swap areas with distinct priorities: zram0 first, then vda,
	# then vdb.
	if [ -e /sys/block/zram0/disksize ]; then
		echo 128M >/sys/block/zram0/disksize
		run mkswap -q /dev/zram0
		run swapon -p 20 /dev/zram0
	else
		log "no zram0"
	fi
	run mkswap -q "$swap1"
	run swapon -p 10 "$swap1"
	run mkswap -q "$swap2"
	run swapon -p 5 "$swap2"

	# The host made the ext4 file system; / is read-only, so mount it on
	# the tmpfs /run.
	mkdir -p $SCRATCH
	run mount -t ext4 "$scratch" $SCRATCH
	chmod 1777 $SCRATCH
}

setup() {
	mount_basics
	# The host's parameters for this run: SWAPCG_JOB, SWAPCG_VARIANT, ...
	set -a
	[ -f $RESULTS/job.env ] && . $RESULTS/job.env
	set +a
	[ -n "${SWAPCG_EPOCH:-}" ] && date -s "@$SWAPCG_EPOCH" >/dev/null
	hostname swapcg-guest 2>/dev/null || $BUSYBOX hostname swapcg-guest
	if command -v ip >/dev/null; then
		run ip link set lo up
	else
		run $BUSYBOX ip link set lo up
	fi
	setup_swap_and_disks
	export SWAPCG_RESULTS=$RESULTS SWAPCG_SCRATCH=$SCRATCH SWAPCG_VMDIR=$VMDIR
}

# Leak report for kernels with kmemleak: scan twice (the first scan of a run
# may still see objects in flight) and copy any report to the console.
kmemleak_report() {
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >$RESULTS/kmemleak.txt
	if [ -s $RESULTS/kmemleak.txt ]; then
		log "kmemleak found unreferenced objects:"
		sed 's/^/kmemleak: /' $RESULTS/kmemleak.txt | head -n 200
	fi
}

run_job() {
	job=${SWAPCG_JOB:-demo}
	case $job in
	/*) script=$job ;;
	*) script=$VMDIR/$job.sh ;;
	esac
	if [ ! -x "$script" ]; then
		log "no job script $script"
		echo 127 >$RESULTS/job.rc
		return
	fi
	log "running job $job (variant ${SWAPCG_VARIANT:-?})"
	if [ "$job" = shell ]; then
		# Interactive: the shell needs the serial port as its controlling
		# terminal, and its output must not go through a pipe.
		(cd /tmp && exec "$script" </dev/ttyS0 >/dev/ttyS0 2>&1)
		echo $? >$RESULTS/job.rc
	else
		{
			(cd /tmp && exec "$script" </dev/null)
			echo $? >$RESULTS/job.rc
		} 2>&1 | tee $RESULTS/job.log
	fi
	log "job $job finished: exit status $(cat $RESULTS/job.rc 2>/dev/null)"
}

setup
run_job
kmemleak_report
log "powering off"
power_off
