#!/bin/bash
# test.sh VARIANT...
#
# `make test`: build the kselftests once, then for each variant build the
# kernel, boot it and run the ksft.sh guest job (KUnit runs during boot),
# and finally report every result with report.py. A variant whose build or
# boot fails is reported as failed; the other variants still run.
# Environment (from the Makefile): REPO BUILD MAKE PYTHON TEST_TIMEOUT
# KSFT_COLLECTIONS, and what run-vm.sh reads.
set -uo pipefail
: "${REPO:?}" "${BUILD:?}" "${MAKE:=make}" "${PYTHON:=/usr/bin/python3}"
vmdir=$REPO/tools/testing/swapcg-vm
export KSFT_COLLECTIONS

report_args=()
if ! $MAKE -C "$REPO" --no-print-directory selftests; then
	report_args+=(--ksft-build-failed "$BUILD/ksft-build.log")
fi

for v in "$@"; do
	rundir=$BUILD/runs/$v-ksft
	if [ "$v" = vanilla ]; then
		kernel=$BUILD/vanilla-src/out-vanilla/arch/x86/boot/bzImage
	else
		kernel=$BUILD/src/out-$v/arch/x86/boot/bzImage
	fi
	if $MAKE -C "$REPO" --no-print-directory kernel VARIANT="$v"; then
		"$vmdir/run-vm.sh" --variant "$v" --job ksft --kernel "$kernel" \
			--timeout "${TEST_TIMEOUT:-1500}" || true
	else
		rm -rf "$rundir"
		mkdir -p "$rundir"
		echo "kernel build failed" >"$rundir/build-failed"
	fi
	report_args+=("$v=$rundir")
done

exec "$PYTHON" "$vmdir/report.py" --stock "$vmdir/stock-6.1-failures.txt" \
	"${report_args[@]}"
