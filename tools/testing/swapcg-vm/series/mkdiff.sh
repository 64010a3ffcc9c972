#!/bin/bash
# mkdiff.sh STEP PATH EARLY: store the content that new file PATH has before
# STEP, the step that changes it (the file EARLY), as series/early/STEP/PATH.diff:
# the diff from it to the final PATH, which mkseries.sh applies in reverse.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 STEP PATH EARLY-CONTENT" >&2; exit 2; }
step=$1 path=$2 early=$3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
out=$here/early/$step/$path.diff
[ -f "$repo/$path" ] || { echo "error: $path is not a file of the repository" >&2; exit 1; }
if cmp -s "$early" "$repo/$path"; then
	echo "error: $early is the final $path: no diff needed" >&2
	exit 1
fi
mkdir -p "$(dirname "$out")"
diff -u --label "a/$path" --label "b/$path" "$early" "$repo/$path" >"$out" || [ $? -eq 1 ]
echo "wrote ${out#"$repo"/}"
