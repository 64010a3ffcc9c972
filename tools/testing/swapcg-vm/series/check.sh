#!/bin/bash
# check.sh: build the kernel after each step of the series made by
# mkseries.sh, incrementally, in one object dir, and report which step
# fails.  Each step's tree is checked out in B/series-git; the kernel is
# configured as tinyconfig + the config fragments of FRAGS (merged in
# order, then olddefconfig), again at every step, as the Kconfig symbols
# of later steps appear.
#
# Environment: REPO, B, VM, CFGS, FRAGS (fragment names), JOBS; STEPS limits
# the steps built (numbers, e.g. "1 3"), by default all of them.
# Logs: B/series-check/step-N.log.
set -euo pipefail

: "${REPO:?}" "${B:?}" "${VM:?}" "${CFGS:?}" "${FRAGS:?}" "${JOBS:?}"
GITDIR=$B/series-git
OBJDIR=out-series
LOGS=$B/series-check
STEPS=${STEPS:-}

die() {
	echo "error: $*" >&2
	exit 1
}

[ -f "$GITDIR/.git/series-steps" ] || die "no series yet: run 'make series' first"

kmake() {
	nice -n 10 make --no-print-directory -C "$GITDIR" O=$OBJDIR \
		CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

frag_files=()
for f in $FRAGS; do
	frag_files+=("$CFGS/$f.config")
done

# The fragments' symbols that this step's Kconfig does not know or drops.
missing_symbols() {
	{ "$VM"/check-config.sh "$GITDIR/$OBJDIR/.config" "${frag_files[@]}" 2>&1 || true; } |
		sed -n 's/^error: dropped or changed by Kconfig: \([A-Z0-9_]*\)=.*/ \1/p' |
		tr -d '\n'
}

configure() {
	kmake -s tinyconfig >/dev/null
	(cd "$GITDIR" && scripts/kconfig/merge_config.sh -m -O $OBJDIR \
		$OBJDIR/.config "${frag_files[@]}") >"$1" 2>&1
	kmake -s olddefconfig >>"$1" 2>&1
}

mkdir -p "$LOGS" "$CCACHE_DIR"
git -C "$GITDIR" diff --quiet HEAD 2>/dev/null ||
	echo "  SERIES  note: local changes in build/series-git are discarded"

failed=
total_start=$(date +%s)
while read -r n name commit; do
	if [ -n "$STEPS" ] && [[ " $STEPS " != *" $n "* ]]; then
		continue
	fi
	log=$LOGS/step-$n.log
	git -C "$GITDIR" checkout -q -f "$commit"
	start=$(date +%s)
	echo "  BUILD   step $n ($name): $(git -C "$GITDIR" log -1 --format=%s "$commit")"
	configure "$LOGS/step-$n.config.log"
	miss=$(missing_symbols)
	[ -z "$miss" ] || echo "          config symbols not (yet) available:$miss"
	if kmake bzImage >"$log" 2>&1; then
		status=ok
	else
		status=FAILED
		failed+=" $n"
	fi
	warn=$(grep -c ' warning: ' "$log" || true)
	echo "          $status in $(($(date +%s) - start)) s, $warn compiler warnings" \
		"(${log#"$REPO"/})"
	if [ $status != ok ]; then
		grep -E 'error:|Error [0-9]+|\*\*\*|undefined reference' "$log" |
			head -n 20 | sed 's/^/    /'
		break
	fi
done <"$GITDIR/.git/series-steps"

echo "  SERIES  total $(($(date +%s) - total_start)) s"
[ -z "$failed" ] || die "step$failed does not build (later steps not tried)"
echo "  SERIES  every step builds"
