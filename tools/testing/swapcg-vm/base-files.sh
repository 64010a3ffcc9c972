#!/bin/bash
# base-files.sh REPO OUTDIR
#
# Our new files are the same on every base but for the few lines that a base
# spells differently.  Those lines are $PATCHES/ours.patch (patches/BASE/),
# a zero-context diff against our files as the repository holds them.  This
# writes the files it touches, patched, under OUTDIR at their paths, and
# prints their paths, one a line.  With no such patch it writes and prints
# nothing.  Used by place-files.sh (the build), check-style and mkseries.
set -euo pipefail
repo=$1 out=$2
diff=${PATCHES:?PATCHES (patches/BASE) is not set}/ours.patch

rm -rf "$out"
[ -f "$diff" ] || exit 0
mapfile -t files < <(sed -n 's|^+++ b/||p' "$diff" | sed 's/\t.*//' | sort -u)
mkdir -p "$out"
for f in "${files[@]}"; do
	if [ ! -f "$repo/$f" ]; then
		echo "error: ${diff#"$repo"/} changes $f, which is not one of our files" >&2
		exit 1
	fi
	mkdir -p "$out/$(dirname "$f")"
	cp -p "$repo/$f" "$out/$f"
done
if ! log=$(patch -p1 -F0 -N --batch --no-backup-if-mismatch -r - -d "$out" \
	-i "$diff" 2>&1) || grep -qi fuzz <<<"$log"; then
	echo "error: ${diff#"$repo"/} does not apply exactly to our files:" >&2
	sed 's/^/    /' <<<"$log" >&2
	exit 1
fi
printf '%s\n' "${files[@]}"
