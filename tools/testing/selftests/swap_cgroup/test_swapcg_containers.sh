#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The swap controller driven by container runtimes.  runc and crun run an
# OCI bundle whose linux.resources.unified map sets swap.max and, in one
# value, a swap.devices rule set: "default 0" and the lowest-priority swap
# area allowed.  The rootfs is the host's root, bound read-only.  Inside,
# swapcg_pageout fills 32 MiB, pages it out and checks it back.  Then the
# runtime's update command raises swap.max of the running container, and
# a second page-out holds to the new limit.  The container's cgroup must
# be gone once the container is deleted.
#
# Podman runs the host's root too (--rootfs), with swap.max and one
# swap.devices rule through --cgroup-conf, offline: no image, no network.
#
# Needs root, the swap controller on cgroup v2, active swap areas, and
# Debian's runc, crun and podman; a runtime that is not installed is
# skipped.

# shellcheck disable=SC2317 # run() calls the tests through "$@"
set -u

DIR=$(cd "$(dirname "$0")" && pwd)
PAGEOUT=$DIR/swapcg_pageout
V2=/sys/fs/cgroup
TOP=swapcg_containers
MB=$((1 << 20))
# VmSwap and swap.peak may differ by what other activity swaps meanwhile.
SLACK=$((1 * MB))
WAIT_S=120
# shellcheck source=SCRIPTDIR/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

diag() {
	echo "$*"
}

eq() {			# eq WHAT GOT WANT
	[ "$2" = "$3" ] && return 0
	diag "$1: got '$2', want '$3'"
	return 1
}

# in_range WHAT VALUE LOW HIGH
in_range() {
	[ "$2" -ge "$3" ] && [ "$2" -le "$4" ] && return 0
	diag "$1: $2, not within [$3, $4]"
	return 1
}

# The lowest-priority active area (the guest's /dev/vdb).
last_area() {
	awk 'NR > 1 { print $1 }' /proc/swaps | tail -n 1
}

# wait_file FILE: wait for FILE to be written (non-empty).
wait_file() {
	local i

	for i in $(seq $((WAIT_S * 10))); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	diag "no $1 after ${WAIT_S}s"
	return 1
}

# The bytes that swap.stat of $1 shows on area $2.
stat_bytes() {
	awk -v a="$2" '$1 == a { print $2; f = 1 } END { if (!f) print 0 }' \
		"$1/swap.stat"
}

# make_bundle DIR ID AREA: an OCI bundle whose process pages 32 MiB out,
# waits for DIR/io/go, pages 32 MiB out again, and sleeps.
make_bundle() {
	local b=$1 id=$2 area=$3

	mkdir -p "$b/rootfs" "$b/io" "$b/bin"
	mount --bind / "$b/rootfs" || return 1
	cp "$PAGEOUT" "$b/bin/" || return 1
	python3 - "$b" "$id" "$area" "$TOP" <<'PY'
import json, sys
b, cid, area, top = sys.argv[1:5]
script = ("/mnt/swapcg_pageout 32 >/srv/out1 2>&1; echo $? >/srv/rc1; "
          "while [ ! -e /srv/go ]; do sleep 0.1; done; "
          "/mnt/swapcg_pageout 32 >/srv/out2 2>&1; echo $? >/srv/rc2; "
          "exec sleep 1000")
cfg = {
    "ociVersion": "1.0.2",
    "process": {
        "terminal": False,
        "user": {"uid": 0, "gid": 0},
        "args": ["/bin/sh", "-c", script],
        "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
        "cwd": "/",
        "noNewPrivileges": True,
    },
    "root": {"path": "rootfs", "readonly": True},
    "hostname": cid,
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "nodev"]},
        {"destination": "/mnt", "type": "bind", "source": b + "/bin",
         "options": ["rbind", "ro"]},
        {"destination": "/srv", "type": "bind", "source": b + "/io",
         "options": ["rbind", "rw"]},
    ],
    "linux": {
        "cgroupsPath": "/" + top + "/" + cid,
        "resources": {
            "unified": {
                "swap.max": "8M",
                "swap.devices": "default 0\n" + area + " max",
            },
        },
        "namespaces": [{"type": t} for t in
                       ("pid", "ipc", "uts", "mount", "network")],
    },
}
with open(b + "/config.json", "w") as f:
    json.dump(cfg, f, indent=1)
PY
}

# update RUNTIME ID: raise swap.max of the running container to 16M.
update() {
	local rt=$1 id=$2 res=$3

	echo '{"unified": {"swap.max": "16M"}}' >"$res"
	"$rt" update --resources "$res" "$id"
}

# stop RUNTIME ID CGROUP: kill and delete the container; its cgroup goes.
stop() {
	local rt=$1 id=$2 cg=$3

	"$rt" kill "$id" KILL >/dev/null 2>&1
	for _ in $(seq 100); do
		"$rt" state "$id" 2>/dev/null | grep -q '"stopped"' && break
		sleep 0.1
	done
	"$rt" delete -f "$id" >/dev/null 2>&1 ||
		{ diag "$rt delete $id failed"; return 1; }
	for _ in $(seq 50); do
		[ -e "$cg" ] || return 0
		sleep 0.1
	done
	diag "$cg is still there after $rt delete"
	return 1
}

# test_runtime RUNTIME: the whole life of one container.
test_runtime() {
	local rt=$1 id="swapcg-$1-$$" b cg area ret=0

	b=$(mktemp -d /tmp/swapcg_ctr.XXXXXX)
	cg=$V2/$TOP/$id
	area=$(last_area)
	if ! make_bundle "$b" "$id" "$area"; then
		diag "cannot make the bundle in $b"
		ret=1
	elif ! "$rt" run -d --bundle "$b" "$id" </dev/null >"$b/run.log" 2>&1; then
		diag "$rt run failed:"
		sed 's/^/  /' "$b/run.log"
		ret=1
	else
		container_checks "$rt" "$id" "$b" "$cg" "$area" || ret=1
		stop "$rt" "$id" "$cg" || ret=1
	fi
	mountpoint -q "$b/rootfs" && umount "$b/rootfs"
	rm -rf "$b"
	return "$ret"
}

# The checks while the container runs.
container_checks() {
	local rt=$1 id=$2 b=$3 cg=$4 area=$5 peak got a bytes

	[ -d "$cg" ] || { diag "no cgroup $cg"; return 1; }
	eq "swap.max" "$(cat "$cg/swap.max")" $((8 * MB)) || return 1
	eq "swap.devices" "$(cat "$cg/swap.devices")" \
		"$(printf 'default 0\n%s max' "$area")" || return 1
	wait_file "$b/io/rc1" || return 1
	eq "first page-out exit status ($(cat "$b/io/out1"))" \
		"$(cat "$b/io/rc1")" 0 || return 1
	got=$(cat "$b/io/out1")
	peak=$(cat "$cg/swap.peak")
	diag "$rt: VmSwap $got, swap.peak $peak under swap.max 8M"
	in_range "swap.peak" "$peak" 1 $((8 * MB)) || return 1
	in_range "VmSwap" "$got" $((8 * MB - SLACK)) $((8 * MB)) || return 1
	# Only the allowed area holds the group's pages.
	while read -r a; do
		bytes=$(stat_bytes "$cg" "$a")
		if [ "$a" = "$area" ]; then
			in_range "swap.stat $a" "$bytes" 0 $((8 * MB)) || return 1
		else
			eq "swap.stat $a" "$bytes" 0 || return 1
		fi
	done < <(awk 'NR > 1 { print $1 }' /proc/swaps)

	update "$rt" "$id" "$b/resources.json" >"$b/update.log" 2>&1 ||
		{ diag "$rt update failed:"; sed 's/^/  /' "$b/update.log"; return 1; }
	eq "swap.max after update" "$(cat "$cg/swap.max")" $((16 * MB)) ||
		return 1
	eq "swap.devices after update" "$(cat "$cg/swap.devices")" \
		"$(printf 'default 0\n%s max' "$area")" || return 1
	touch "$b/io/go"
	wait_file "$b/io/rc2" || return 1
	eq "second page-out exit status ($(cat "$b/io/out2"))" \
		"$(cat "$b/io/rc2")" 0 || return 1
	got=$(cat "$b/io/out2")
	peak=$(cat "$cg/swap.peak")
	diag "$rt: VmSwap $got, swap.peak $peak under swap.max 16M"
	in_range "swap.peak" "$peak" $((8 * MB + SLACK)) $((16 * MB)) || return 1
	in_range "VmSwap" "$got" $((16 * MB - SLACK)) $((16 * MB)) || return 1
}

# The highest-priority active area, the one swap-outs go to first.
first_area() {
	awk 'NR > 1 { print $1 }' /proc/swaps | head -n 1
}

# test_podman: podman run --rootfs with --cgroup-conf.  Its flag takes a
# comma-separated list and ends a value at a newline, so a rule set of
# several lines cannot pass through it: one rule keeps the container off
# the first area.  Podman 4.3 has no update command.
test_podman() {
	local b pid cg name="swapcg-podman-$$" area ret=0
	local -a pm

	b=$(mktemp -d /tmp/swapcg_ctr.XXXXXX)
	area=$(first_area)
	# Podman makes cgroups of its own (conmon's): removed afterwards.
	find "$V2" -mindepth 1 -type d | sort >"$b.cgroups"
	mkdir -p "$b/rootfs" "$b/io" "$b/bin" "$b/root" "$b/run"
	cp "$PAGEOUT" "$b/bin/"
	pm=(podman --root "$b/root" --runroot "$b/run" --storage-driver vfs
	    --cgroup-manager cgroupfs --events-backend none --log-level error)
	# Podman writes /run/.containerenv into the rootfs before it starts.
	if ! mount --bind / "$b/rootfs" ||
	   ! mount -t tmpfs none "$b/rootfs/run"; then
		diag "cannot make the rootfs in $b"
		ret=1
	elif ! "${pm[@]}" run -d --name "$name" --network none \
		--cgroup-parent "/$TOP" \
		--cgroup-conf swap.max=8M \
		--cgroup-conf "swap.devices=$area 0" \
		-v "$b/bin:/mnt:ro" -v "$b/io:/srv" \
		--rootfs "$b/rootfs" /bin/sh -c \
		'/mnt/swapcg_pageout 32 >/srv/out1 2>&1; echo $? >/srv/rc1; exec sleep 1000' \
		</dev/null >"$b/run.log" 2>&1; then
		diag "podman run failed:"
		sed 's/^/  /' "$b/run.log"
		ret=1
	else
		pid=$("${pm[@]}" inspect --format '{{.State.Pid}}' "$name")
		cg=$V2$(awk -F: '$1 == 0 { print $3 }' "/proc/$pid/cgroup")
		podman_checks "$b" "$cg" "$area" || ret=1
		"${pm[@]}" rm -f "$name" >/dev/null 2>&1 ||
			{ diag "podman rm $name failed"; ret=1; }
		for _ in $(seq 50); do
			[ -e "$cg" ] || break
			sleep 0.1
		done
		[ -e "$cg" ] && { diag "$cg is still there after podman rm"; ret=1; }
	fi
	find "$V2" -mindepth 1 -type d | sort | comm -13 "$b.cgroups" - |
		sort -r | while read -r d; do
			diag "podman left $d"
			rmdir "$d" || diag "cannot remove $d"
		done
	rm -f "$b.cgroups"
	mountpoint -q "$b/rootfs/run" && umount "$b/rootfs/run"
	mountpoint -q "$b/rootfs" && umount "$b/rootfs"
	rm -rf "$b"
	return "$ret"
}

podman_checks() {
	local b=$1 cg=$2 area=$3 got peak

	case $cg in
	"$V2/$TOP/"*) ;;
	*) diag "the container's cgroup $cg is not below $V2/$TOP"; return 1 ;;
	esac
	eq "swap.max" "$(cat "$cg/swap.max")" $((8 * MB)) || return 1
	eq "swap.devices" "$(cat "$cg/swap.devices")" \
		"$(printf 'default max\n%s 0' "$area")" || return 1
	wait_file "$b/io/rc1" || return 1
	eq "page-out exit status ($(cat "$b/io/out1"))" \
		"$(cat "$b/io/rc1")" 0 || return 1
	got=$(cat "$b/io/out1")
	peak=$(cat "$cg/swap.peak")
	diag "podman: VmSwap $got, swap.peak $peak under swap.max 8M"
	in_range "swap.peak" "$peak" 1 $((8 * MB)) || return 1
	in_range "VmSwap" "$got" $((8 * MB - SLACK)) $((8 * MB)) || return 1
	eq "swap.stat $area" "$(stat_bytes "$cg" "$area")" 0
}

run() {
	local name=$1 out

	shift
	out=$("$@" 2>&1)
	case $? in
	0) [ -n "$out" ] && echo "$out" | sed 's/^/# /'
	   ktap_test_pass "$name" ;;
	*) echo "$out" | sed 's/^/# /'
	   ktap_test_fail "$name" ;;
	esac
}

runtimes=(runc crun podman)
ktap_print_header
ktap_set_plan ${#runtimes[@]}

reason=
if [ "$(id -u)" != 0 ]; then
	reason="not root"
elif ! grep -qw swap "$V2/cgroup.controllers" 2>/dev/null; then
	reason="no swap controller in $V2/cgroup.controllers"
elif [ -z "$(last_area)" ]; then
	reason="no active swap area"
elif [ ! -x "$PAGEOUT" ]; then
	reason="$PAGEOUT is not built"
elif ! command -v python3 >/dev/null; then
	reason="python3 not installed"
fi

had_swap=0
grep -qw swap "$V2/cgroup.subtree_control" && had_swap=1
if [ -z "$reason" ]; then
	echo +swap >"$V2/cgroup.subtree_control"
	mkdir -p "$V2/$TOP"
	# What the runtimes need below: every controller the root offers.
	for c in $(cat "$V2/cgroup.subtree_control"); do
		echo "+$c" >"$V2/$TOP/cgroup.subtree_control"
	done
fi

for rt in "${runtimes[@]}"; do
	if [ -n "$reason" ]; then
		ktap_test_skip "$rt" "$reason"
	elif ! command -v "$rt" >/dev/null; then
		ktap_test_skip "$rt" "$rt not installed (Debian: $rt)"
	elif [ "$rt" = podman ]; then
		run "$rt" test_podman
	else
		run "$rt" test_runtime "$rt"
	fi
done

rmdir "$V2/$TOP" 2>/dev/null
[ "$had_swap" = 1 ] || echo -swap >"$V2/cgroup.subtree_control" 2>/dev/null

ktap_finished
