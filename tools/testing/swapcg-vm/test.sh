#!/bin/bash
# test.sh [JOB:][BASE/]VARIANT...
#
# `make test`: for each base named, build the kselftests against that base's
# tree; then for each entry boot the kernel of VARIANT on BASE (default:
# $BASE), built meanwhile in the background, and run the ksft.sh guest job
# (KUnit runs during boot); run the host checks; and finally report every
# result with report.py, labelled BASE/VARIANT. A
# variant whose build or boot fails is reported as failed; the other
# variants still run.
# An entry JOB:[BASE/]VARIANT runs the guest job JOB.sh on VARIANT instead,
# whose KTAP counts like a kselftest program's.  soak: SOAK_DURATION seconds
# (default 120).  v1: the tests that need the memory controller on a
# cgroup v1 hierarchy, which only a boot that has not used it on v2 gives.
# An entry bigswap:[BASE/]VARIANT runs the bigswap.sh guest job on VARIANT:
# a swap area of more than 2^30 slots, on a sparse disk of BIGSWAP_DISK
# (default 4100G) in a guest of BIGSWAP_MEM (default 4G), watchdog
# BIGSWAP_TIMEOUT seconds (default 600).
# HOST_CHECKS entries are [BASE/]CHECK: make CHECK on that base.
# Environment (from the Makefile): REPO BASE MAKE PYTHON TEST_TIMEOUT
# KSFT_COLLECTIONS, and what run-vm.sh reads. Per variant V, optional:
# KSFT_COLLECTIONS_V (collections, or collection:program entries, to run
# instead of KSFT_COLLECTIONS), TEST_TIMEOUT_V, KSFT_TIMEOUT_V and APPEND_V
# (kernel arguments added to APPEND).
set -uo pipefail
: "${REPO:?}" "${BASE:?}" "${MAKE:=make}" "${PYTHON:=/usr/bin/python3}"
vmdir=$REPO/tools/testing/swapcg-vm
all_collections=${KSFT_COLLECTIONS:-}
all_ksft_timeout=${KSFT_TIMEOUT:-300}
export KSFT_COLLECTIONS

# The base of an entry [JOB:][BASE/]NAME, and its NAME.
base_of() {
	local e=${1#*:}
	case $e in */*) echo "${e%%/*}" ;; *) echo "$BASE" ;; esac
}
name_of() {
	local e=${1#*:}
	echo "${e#*/}"
}

# The value of ${NAME_VARIANT}, or $2.
per_variant() {
	local var="$1_$3"
	echo "${!var:-$2}"
}

report_args=()
declare -A built=()
for arg in "$@"; do
	b=$(base_of "$arg")
	[ -n "${built[$b]+x}" ] && continue
	built[$b]=1
	report_args+=(--stock "$b=$vmdir/stock-failures-$b.txt")
	if ! $MAKE -C "$REPO" --no-print-directory selftests BASE="$b"; then
		report_args+=(--ksft-build-failed "$b=$REPO/build/$b/ksft-build.log")
	fi
done

# Kernels, then the host checks, build in the background, in the order the
# entries need them and at the lowest priority: a guest runs as soon as its
# kernel is there, and the next build takes the CPU time the guest leaves.
mkdir -p "$REPO/build"
state=$(mktemp -d "$REPO/build/.test-state.XXXXXX")
builder_pid=
# On the way out, stop a build still running: the builder is a process
# group of its own (set -m).
trap '[ -n "$builder_pid" ] && kill -- -"$builder_pid" 2>/dev/null
	rm -rf "$state"' EXIT
builder() {
	local arg b v log
	declare -A seen=()

	renice -n 19 -p "$BASHPID" >/dev/null
	for arg; do
		b=$(base_of "$arg")
		v=$(name_of "$arg")
		case $arg in soak:*)
			$MAKE -C "$REPO" --no-print-directory soak-helpers BASE="$b" \
				>/dev/null 2>&1 ;;
		esac
		[ -n "${seen[$b/$v]+x}" ] && continue
		seen[$b/$v]=1
		log=$REPO/build/$b/kernel-$v.log
		echo "  BUILD   $b/$v (log: ${log#"$REPO"/})"
		$MAKE -C "$REPO" --no-print-directory kernel BASE="$b" \
			VARIANT="$v" >"$log" 2>&1
		echo $? >"$state/.rc" && mv "$state/.rc" "$state/$b-$v"
	done
	for arg in ${HOST_CHECKS:-}; do
		b=$(base_of "$arg")
		v=$(name_of "$arg")
		log=$REPO/build/$b/runs/host-$v.log
		mkdir -p "$(dirname "$log")"
		$MAKE -C "$REPO" --no-print-directory "$v" BASE="$b" >"$log" 2>&1
		echo $? >"$log.rc"
	done
}
set -m
builder "$@" &
builder_pid=$!
set +m

# Waits for the kernel of @1/@2; true if it built.
kernel_built() {
	while [ ! -f "$state/$1-$2" ]; do
		if ! kill -0 "$builder_pid" 2>/dev/null && [ ! -f "$state/$1-$2" ]; then
			return 1
		fi
		sleep 5
	done
	[ "$(cat "$state/$1-$2")" = 0 ]
}

for arg in "$@"; do
	b=$(base_of "$arg")
	v=$(name_of "$arg")
	job=ksft
	case $arg in *:*) job=${arg%%:*} ;; esac
	BUILD=$REPO/build/$b
	export BUILD
	rundir=$BUILD/runs/$v-$job
	if [ "$v" = vanilla ]; then
		kernel=$BUILD/vanilla-src/out-vanilla/arch/x86/boot/bzImage
	else
		kernel=$BUILD/src/out-$v/arch/x86/boot/bzImage
	fi
	timeout_s=$(per_variant TEST_TIMEOUT "${TEST_TIMEOUT:-1500}" "$v")
	KSFT_COLLECTIONS=$(per_variant KSFT_COLLECTIONS "$all_collections" "$v")
	KSFT_TIMEOUT=$(per_variant KSFT_TIMEOUT "$all_ksft_timeout" "$v")
	export KSFT_TIMEOUT
	append="${APPEND:-} $(per_variant APPEND "" "$v")"
	if [ $job = soak ]; then
		timeout_s=$((${SOAK_DURATION:-120} + ${SOAK_MARGIN:-900}))
		append+=" swapcg_soak=${SOAK_DURATION:-120}"
	fi
	vm_env=()
	if [ $job = bigswap ]; then
		timeout_s=${BIGSWAP_TIMEOUT:-600}
		vm_env=(VM_MEM="${BIGSWAP_MEM:-4G}"
			EXTRA_DISKS="big:${BIGSWAP_DISK:-4100G}")
	fi
	if kernel_built "$b" "$v"; then
		env APPEND="$append" "${vm_env[@]}" "$vmdir/run-vm.sh" \
			--variant "$v" --job $job --kernel "$kernel" \
			--timeout "$timeout_s" || true
	else
		rm -rf "$rundir"
		mkdir -p "$rundir"
		echo "kernel build failed" >"$rundir/build-failed"
		tail -n 20 "$BUILD/kernel-$v.log"
	fi
	if [ $job != ksft ]; then
		report_args+=(--job "$job:$b/$v=$rundir")
	else
		report_args+=("$b/$v=$rundir")
	fi
done

# Host checks: checkpatch, kernel-doc, sparse and W=1; the docs build.
wait "$builder_pid"
for entry in ${HOST_CHECKS:-}; do
	b=$(base_of "$entry")
	check=$(name_of "$entry")
	log=$REPO/build/$b/runs/host-$check.log
	tail -n 3 "$log"
	report_args+=(--host "$b/$check=$log")
done

"$PYTHON" "$vmdir/report.py" "${report_args[@]}"
