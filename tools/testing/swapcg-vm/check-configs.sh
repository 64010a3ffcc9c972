#!/bin/bash
# check-configs.sh VARIANT...: build the kernel of each (build-only)
# variant with `make kernel VARIANT=V` and report KTAP: a variant passes
# when it builds without a compiler warning.  Logs: build/runs/build-V.log.
# Environment: REPO, BUILD, MAKE.
set -uo pipefail
: "${REPO:?}" "${BUILD:?}" "${MAKE:=make}"

# shellcheck source=SCRIPTDIR/../selftests/swap_cgroup/ktap_helpers.sh
. "$REPO/tools/testing/selftests/swap_cgroup/ktap_helpers.sh"

mkdir -p "$BUILD/runs"
ktap_print_header
ktap_set_plan $#
for v in "$@"; do
	log=$BUILD/runs/build-$v.log
	start=$(date +%s)
	if $MAKE -C "$REPO" --no-print-directory kernel VARIANT="$v" >"$log" 2>&1; then
		warnings=$(grep -c ' warning: ' "$log")
	else
		warnings=-1
	fi
	ktap_print_msg "$v: $(grep -m1 'CONFIG ' "$log" | sed 's/^ *//') in $(($(date +%s) - start)) s"
	if [ "$warnings" = 0 ]; then
		ktap_test_pass "build $v"
		continue
	fi
	grep -E ' (warning|error): |Error [0-9]|^error' "$log" | head -n 20 | sed 's/^/# /'
	ktap_test_fail "build $v"
done
ktap_finished
