#!/bin/bash
# check-configs.sh VARIANT...: build the kernel of each (build-only)
# variant with `make kernel VARIANT=V` and report KTAP: a variant passes
# when it builds without a compiler warning.  Logs: build/runs/build-V.log.
# Environment: REPO, BUILD, MAKE.
set -uo pipefail
: "${REPO:?}" "${BUILD:?}" "${MAKE:=make}"

mkdir -p "$BUILD/runs"
echo "TAP version 13"
echo "1..$#"
n=0 failed=0
for v in "$@"; do
	n=$((n + 1))
	log=$BUILD/runs/build-$v.log
	start=$(date +%s)
	if $MAKE -C "$REPO" --no-print-directory kernel VARIANT="$v" >"$log" 2>&1; then
		warnings=$(grep -c ' warning: ' "$log")
	else
		warnings=-1
	fi
	echo "# $v: $(grep -m1 'CONFIG ' "$log" | sed 's/^ *//') in $(($(date +%s) - start)) s"
	if [ "$warnings" = 0 ]; then
		echo "ok $n build $v"
		continue
	fi
	failed=$((failed + 1))
	grep -E ' (warning|error): |Error [0-9]|^error' "$log" | head -n 20 | sed 's/^/# /'
	echo "not ok $n build $v"
done
echo "# $((n - failed)) built, $failed failed"
[ $failed = 0 ]
