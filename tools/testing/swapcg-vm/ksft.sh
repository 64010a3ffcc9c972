#!/bin/bash
# Guest job for `make test`: run the installed kselftests. (KUnit suites
# already ran during boot; their KTAP output is in the console log.)
#
# Programs come from kselftest-list.txt (collection:program): those of the
# collections in SWAPCG_KSFT_COLLECTIONS, and those it names as
# collection:program. Each runs as root, in the root
# cgroup, from a copy of its collection on the ext4 scratch disk, with line
# buffered output and a timeout. Output goes to
# results/ksft/<collection>/<program>.log and the exit status to .rc;
# results/ksft/plan.txt lists what was to run, so the host can tell a
# program that never finished from one that was never meant to run.
set -u

res=$SWAPCG_RESULTS/ksft
ksft=$SWAPCG_KSFT
work=$SWAPCG_SCRATCH/ksft
limit=${SWAPCG_KSFT_TIMEOUT:-300}
mkdir -p "$res" "$work"

if [ ! -f "$ksft/kselftest-list.txt" ]; then
	echo "swapcg-ksft: no $ksft/kselftest-list.txt (kselftests not built)"
	exit 1
fi

plan=()
while IFS=: read -r coll prog; do
	case " $SWAPCG_KSFT_COLLECTIONS " in
	*" $coll "* | *" $coll:$prog "*) ;;
	*) continue ;;
	esac
	plan+=("$coll:$prog")
done <"$ksft/kselftest-list.txt"
printf '%s\n' ${plan[@]+"${plan[@]}"} >"$res/plan.txt"

# Upstream's test_zswap (6.12) tests zswap as distributions ship it: on.
# Everything else runs with the kernel's default (off).
zswap=/sys/module/zswap/parameters/enabled

ulimit -c 0
n=0
for entry in ${plan[@]+"${plan[@]}"}; do
	coll=${entry%%:*} prog=${entry#*:}
	n=$((n + 1))
	mkdir -p "$res/$coll"
	[ -d "$work/$coll" ] || cp -a "$ksft/$coll" "$work/"
	[ "$entry" = cgroup:test_zswap ] && [ -w $zswap ] && echo Y >$zswap
	# A collection's settings file sets its timeout, as for
	# run_kselftest.sh; SWAPCG_KSFT_TIMEOUT is the default.
	timeout=$(sed -n 's/^timeout=//p' "$ksft/$coll/settings" 2>/dev/null)
	start=$(date +%s)
	(cd "$work/$coll" && exec timeout -k 5 "${timeout:-$limit}" \
		stdbuf -oL -eL "./$prog") \
		</dev/null >"$res/$coll/$prog.log" 2>&1
	rc=$?
	[ "$entry" = cgroup:test_zswap ] && [ -w $zswap ] && echo N >$zswap
	echo $rc >"$res/$coll/$prog.rc"
	echo "swapcg-ksft: [$n/${#plan[@]}] $coll/$prog: exit $rc ($(($(date +%s) - start))s)"
	sync
done
exit 0
