#!/bin/bash
# refresh-patch.sh REPO VANILLA_SRC SRC PATCH "FILES"
#
# Write $PATCHES/PATCH as the diff of FILES (paths in the kernel tree)
# between the pristine tree and SRC, where they were edited; without FILES,
# the files the existing patch touches. PATCH is appended to $PATCHES/series
# if it is not listed yet. The next make then re-applies the series (the
# files' contents do not change, so nothing is rebuilt).
set -euo pipefail
repo=$1 vanilla=$2 src=$3 patch=$4 files=$5
[ -n "$patch" ] || { echo "usage: make refresh-patch PATCH=name.patch [FILES=\"path...\"]" >&2; exit 2; }
pdir=${PATCHES:?PATCHES (patches/BASE) is not set}
out=$pdir/$patch

if [ -z "$files" ]; then
	[ -f "$out" ] || { echo "error: ${out#"$repo"/} does not exist; give FILES=" >&2; exit 1; }
	files=$(awk '/^\+\+\+ / { sub(/^\+\+\+ [^\/]*\//, ""); sub(/\t.*/, ""); print }' "$out" | grep -v '^/dev/null$' | sort -u)
fi

# Keep a leading description (anything before the first diff) of an old patch.
header=
[ -f "$out" ] && header=$(awk '/^(diff |--- |Index: )/ { exit } { print }' "$out")

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
[ -n "$header" ] && printf '%s\n' "$header" >"$tmp"
for f in $files; do
	a=$vanilla/$f b=$src/$f la=a/$f lb=b/$f
	[ -e "$a" ] || a=/dev/null la=/dev/null
	[ -e "$b" ] || b=/dev/null lb=/dev/null
	diff -u --label "$la" --label "$lb" "$a" "$b" >>"$tmp" || [ $? -eq 1 ]
done
mkdir -p "$pdir"
cp "$tmp" "$out"
touch "$pdir/series"
grep -qxF "$patch" "$pdir/series" || echo "$patch" >>"$pdir/series"
echo "  PATCH   wrote ${out#"$repo"/} ($(grep -c '^+++ ' "$out") file(s))"
