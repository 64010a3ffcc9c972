#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The swap controller driven by the clients people already use:
# libcgroup's tools (cgcreate, cgset, cgget, cgexec, cgdelete) on cgroup v2
# and v1, and single-value writes as container runtimes make them (runc
# writes each key of its "unified" map with one write(2), without a
# newline; a swap.devices value may hold a rule set, one rule per line).
#
# Needs root, the swap controller, an active swap area, and Debian's
# cgroup-tools; the v1 tests also need the controller free to leave v2.

# shellcheck disable=SC2317 # run() calls the tests as test_$name
set -u

DIR=$(cd "$(dirname "$0")" && pwd)
PAGEOUT=$DIR/swapcg_pageout
V2=/sys/fs/cgroup
TOP=swapcg_tools
MB=$((1 << 20))
# shellcheck source=SCRIPTDIR/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

# A diagnostic line: run() prefixes "# " to a test's output.
diag() {
	echo "$*"
}

# check DESCRIPTION COMMAND...: run COMMAND; on failure, say what failed.
check() {
	local what=$1

	shift
	"$@" && return 0
	diag "failed: $what"
	return 1
}

eq() {			# eq WHAT GOT WANT
	[ "$2" = "$3" ] && return 0
	diag "$1: got '$2', want '$3'"
	return 1
}

# run TEST: run test_TEST in a subshell, so that a failed check ends it.
run() {
	local name=$1 out

	out=$( (set -e; "test_$name") 2>&1)
	case $? in
	0) [ -n "$out" ] && echo "$out" | sed 's/^/# /'
	   ktap_test_pass "$name" ;;
	"$KSFT_SKIP") ktap_test_skip "$name" "${out##*$'\n'}" ;;
	*) echo "$out" | sed 's/^/# /'
	   ktap_test_fail "$name" ;;
	esac
}

skip() {
	echo "$*"
	exit "$KSFT_SKIP"
}

first_area() {
	awk 'NR > 1 { print $1; exit }' /proc/swaps
}

# One write(2) of exactly VALUE, as runc makes it: 0, or the errno name.
single_write() {
	python3 - "$1" "$2" <<'PY'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
try:
    n = os.write(fd, sys.argv[2].encode())
    print(0 if n == len(sys.argv[2].encode()) else "short")
except OSError as e:
    print(errno.errorcode[e.errno])
finally:
    os.close(fd)
PY
}

# --- cgroup v2 -------------------------------------------------------------

test_v2_create() {
	check "cgcreate -g swap:/$TOP/grp" cgcreate -g "swap:/$TOP/grp"
	check "$TOP/grp has swap.max" test -f "$V2/$TOP/grp/swap.max"
	eq "swap.max of a new group" "$(cat "$V2/$TOP/grp/swap.max")" max
}

test_v2_set_get() {
	local g=$TOP/grp

	check "cgset swap.max=16M" cgset -r swap.max=16M "$g"
	eq "cgget swap.max" "$(cgget -n -v -r swap.max "$g")" $((16 * MB))
	check "cgset swap.max=max" cgset -r swap.max=max "$g"
	eq "cgget swap.max" "$(cgget -n -v -r swap.max "$g")" max
	check "cgset swap.max=8M" cgset -r swap.max=8M "$g"
	# A bad value fails the command and changes nothing.
	if cgset -r swap.max=8Q "$g" 2>/dev/null; then
		diag "cgset swap.max=8Q succeeded"
		return 1
	fi
	eq "swap.max after a bad cgset" "$(cat "$V2/$g/swap.max")" $((8 * MB))
}

test_v2_devices() {
	local g=$TOP/grp area

	area=$(first_area)
	check "cgset swap.devices=$area 0" cgset -r "swap.devices=$area 0" "$g"
	# cgget indents the second and later lines of a value.
	cgget -n -v -r swap.devices "$g" | grep -q "^[[:space:]]*$area 0\$" ||
		{ diag "cgget swap.devices lacks '$area 0'"; return 1; }
	cgget -n -v -r swap.devices.effective "$g" |
		grep -q "^[[:space:]]*$area 0\$" ||
		{ diag "swap.devices.effective lacks '$area 0'"; return 1; }
	check "cgset swap.devices=$area max" \
		cgset -r "swap.devices=$area max" "$g"
	eq "swap.devices" "$(cat "$V2/$g/swap.devices")" \
		"$(printf 'default max\n%s max' "$area")"
	# "default" drops the rule.
	check "cgset swap.devices=$area default" \
		cgset -r "swap.devices=$area default" "$g"
	eq "swap.devices" "$(cat "$V2/$g/swap.devices")" "default max"
}

test_v2_exec() {
	local g=$TOP/grp out peak events

	check "cgset swap.max=4M" cgset -r swap.max=4M "$g"
	out=$(cgexec -g "swap:$g" "$PAGEOUT" 16)
	peak=$(cat "$V2/$g/swap.peak")
	events=$(cat "$V2/$g/swap.events")
	diag "VmSwap of the task: $out, swap.peak $peak"
	eq "swap.peak" "$peak" $((4 * MB))
	[ "$out" -le $((4 * MB)) ] || { diag "VmSwap $out > 4M"; return 1; }
	echo "$events" | grep -q '^max [1-9]' ||
		{ diag "no max event: $events"; return 1; }
	wait_zero "$V2/$g/swap.current"
}

test_v2_delete() {
	check "cgdelete" cgdelete -g "swap:/$TOP/grp"
	check "$TOP/grp is gone" test ! -e "$V2/$TOP/grp"
}

wait_zero() {
	local i

	for i in $(seq 50); do
		[ "$(cat "$1")" = 0 ] && return 0
		sleep 0.1
	done
	diag "$1 is $(cat "$1"), not 0"
	return 1
}

# --- writes as runc makes them ----------------------------------------------

test_runc_unified() {
	local g=$V2/$TOP/runc area

	area=$(first_area)
	mkdir "$g"
	eq "swap.max 1073741824" "$(single_write "$g/swap.max" 1073741824)" 0
	eq "swap.max" "$(cat "$g/swap.max")" 1073741824
	eq "swap.max max" "$(single_write "$g/swap.max" max)" 0
	eq "swap.max" "$(cat "$g/swap.max")" max
	eq "swap.devices 'default 0'" \
		"$(single_write "$g/swap.devices" "default 0")" 0
	eq "swap.devices '$area 4194304'" \
		"$(single_write "$g/swap.devices" "$area 4194304")" 0
	eq "swap.devices" "$(cat "$g/swap.devices")" \
		"$(printf 'default 0\n%s 4194304' "$area")"
	# A rule set in one value: all of it, or none of it.
	eq "two rules in one write" \
		"$(single_write "$g/swap.devices" "$(printf 'default max\n%s 0' "$area")")" \
		0
	eq "swap.devices after a rule set" "$(cat "$g/swap.devices")" \
		"$(printf 'default max\n%s 0' "$area")"
	eq "a rule set with a bad line" \
		"$(single_write "$g/swap.devices" "$(printf 'default 0\n%s 4M\nbad' "$area")")" \
		EINVAL
	eq "swap.devices after the refused write" "$(cat "$g/swap.devices")" \
		"$(printf 'default max\n%s 0' "$area")"
	eq "swap.max -1" "$(single_write "$g/swap.max" -1)" EINVAL
	eq "swap.max" "$(cat "$g/swap.max")" max
	rmdir "$g"
}

# --- cgroup v1 -------------------------------------------------------------

V1=
v1_mount() {
	V1=$(mktemp -d /tmp/swapcg_v1.XXXXXX)
	echo -swap >"$V2/cgroup.subtree_control" 2>/dev/null
	mount -t cgroup -o swap none "$V1" 2>/dev/null
}

v1_umount() {
	local i

	[ -n "$V1" ] || return 0
	rmdir "$V1"/*/ 2>/dev/null
	umount "$V1" && rmdir "$V1"
	V1=
	# The controller returns to v2 once the v1 hierarchy is gone.
	for i in $(seq 50); do
		echo +swap >"$V2/cgroup.subtree_control" 2>/dev/null && return 0
		sleep 0.1
	done
}

test_v1_tools() {
	local out

	check "cgcreate -g swap:/grp on v1" cgcreate -g swap:/grp
	check "grp has swap.max" test -f "$V1/grp/swap.max"
	check "cgset swap.max=4M" cgset -r swap.max=4M grp
	eq "cgget swap.max" "$(cgget -n -v -r swap.max grp)" $((4 * MB))
	if cgset -r swap.max=four grp 2>/dev/null; then
		diag "cgset swap.max=four succeeded"
		return 1
	fi
	out=$(cgexec -g swap:grp "$PAGEOUT" 16)
	diag "VmSwap of the task: $out, swap.peak $(cat "$V1/grp/swap.peak")"
	eq "swap.peak" "$(cat "$V1/grp/swap.peak")" $((4 * MB))
	wait_zero "$V1/grp/swap.current"
	check "cgdelete on v1" cgdelete -g swap:/grp
}

# --- main ------------------------------------------------------------------

tests=(v2_create v2_set_get v2_devices v2_exec v2_delete runc_unified v1_tools)
ktap_print_header
ktap_set_plan ${#tests[@]}

reason=
if [ "$(id -u)" != 0 ]; then
	reason="not root"
elif ! grep -qw swap "$V2/cgroup.controllers" 2>/dev/null; then
	reason="no swap controller in $V2/cgroup.controllers"
elif [ -z "$(first_area)" ]; then
	reason="no active swap area"
elif [ ! -x "$PAGEOUT" ]; then
	reason="$PAGEOUT is not built"
fi
tools_reason=
command -v cgcreate >/dev/null ||
	tools_reason="libcgroup tools not installed (Debian: cgroup-tools)"
command -v python3 >/dev/null || py_reason="python3 not installed"

had_swap=0
grep -qw swap "$V2/cgroup.subtree_control" && had_swap=1
if [ -z "$reason" ]; then
	echo +swap >"$V2/cgroup.subtree_control"
	rmdir "$V2/$TOP"/* "$V2/$TOP" 2>/dev/null
	mkdir "$V2/$TOP" && echo +swap >"$V2/$TOP/cgroup.subtree_control"
fi

for t in "${tests[@]}"; do
	if [ -n "$reason" ]; then
		ktap_test_skip "$t" "$reason"
	elif [ "$t" = runc_unified ] && [ -n "${py_reason:-}" ]; then
		ktap_test_skip "$t" "$py_reason"
	elif [ "$t" != runc_unified ] && [ -n "$tools_reason" ]; then
		ktap_test_skip "$t" "$tools_reason"
	elif [ "$t" = v1_tools ]; then
		rmdir "$V2/$TOP"/* "$V2/$TOP" 2>/dev/null
		if v1_mount; then
			run "$t"
		else
			ktap_test_skip "$t" "cannot mount the swap controller on v1"
		fi
		v1_umount
	else
		run "$t"
	fi
done

rmdir "$V2/$TOP"/* "$V2/$TOP" 2>/dev/null
[ "$had_swap" = 1 ] || echo -swap >"$V2/cgroup.subtree_control" 2>/dev/null

ktap_finished
