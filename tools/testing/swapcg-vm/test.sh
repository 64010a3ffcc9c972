#!/bin/bash
# test.sh VARIANT... [soak:VARIANT...]
#
# `make test`: build the kselftests once, then for each variant build the
# kernel, boot it and run the ksft.sh guest job (KUnit runs during boot),
# and finally report every result with report.py. A variant whose build or
# boot fails is reported as failed; the other variants still run.
# An argument soak:VARIANT runs the soak.sh guest job on VARIANT instead
# (SOAK_DURATION seconds, default 300); its KTAP counts like a kselftest.
# Environment (from the Makefile): REPO BUILD MAKE PYTHON TEST_TIMEOUT
# KSFT_COLLECTIONS, and what run-vm.sh reads. Per variant V, optional:
# KSFT_COLLECTIONS_V (collections, or collection:program entries, to run
# instead of KSFT_COLLECTIONS), TEST_TIMEOUT_V, KSFT_TIMEOUT_V and APPEND_V
# (kernel arguments added to APPEND).
set -uo pipefail
: "${REPO:?}" "${BUILD:?}" "${MAKE:=make}" "${PYTHON:=/usr/bin/python3}"
vmdir=$REPO/tools/testing/swapcg-vm
all_collections=${KSFT_COLLECTIONS:-}
all_ksft_timeout=${KSFT_TIMEOUT:-300}
export KSFT_COLLECTIONS

report_args=()
if ! $MAKE -C "$REPO" --no-print-directory selftests; then
	report_args+=(--ksft-build-failed "$BUILD/ksft-build.log")
fi

# The value of ${NAME_VARIANT}, or $2.
per_variant() {
	local var="$1_$3"
	echo "${!var:-$2}"
}

for arg in "$@"; do
	v=${arg#soak:}
	job=ksft
	[ "$arg" != "$v" ] && job=soak
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
		timeout_s=$((${SOAK_DURATION:-300} + ${SOAK_MARGIN:-900}))
		append+=" swapcg_soak=${SOAK_DURATION:-300}"
		$MAKE -C "$REPO" --no-print-directory soak-helpers || true
	fi
	if $MAKE -C "$REPO" --no-print-directory kernel VARIANT="$v"; then
		APPEND=$append "$vmdir/run-vm.sh" --variant "$v" --job $job \
			--kernel "$kernel" --timeout "$timeout_s" || true
	else
		rm -rf "$rundir"
		mkdir -p "$rundir"
		echo "kernel build failed" >"$rundir/build-failed"
	fi
	if [ $job = soak ]; then
		report_args+=(--soak "$v=$rundir")
	else
		report_args+=("$v=$rundir")
	fi
done

# Host checks: checkpatch, kernel-doc, sparse and W=1; the docs build.
for check in ${HOST_CHECKS:-}; do
	log=$BUILD/runs/host-$check.log
	mkdir -p "$BUILD/runs"
	$MAKE -C "$REPO" --no-print-directory "$check" >"$log" 2>&1
	echo $? >"$log.rc"
	tail -n 3 "$log"
	report_args+=(--host "$check=$log")
done

exec "$PYTHON" "$vmdir/report.py" --stock "$vmdir/stock-6.1-failures.txt" \
	"${report_args[@]}"
