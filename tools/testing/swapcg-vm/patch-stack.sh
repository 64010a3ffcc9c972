#!/bin/bash
# patch-stack.sh import|export REPO VANILLA_SRC STACK [FILE...]
#
# Work on $PATCHES (patches/BASE) as a stack of git commits, for changes that span patches
# which touch the same file (refresh-patch.sh writes one patch from the
# whole difference of its files).
#
#   import  STACK becomes a git repository of the upstream files that the
#           series touches, and FILEs (kernel paths, for files a new change
#           will touch), at their pristine content in a first commit, then
#           one commit per patch of patches/series (git am).  Edit, commit
#           with --fixup, rebase --autosquash, as with any git history.
#   export  Write the commits after the first back as patches/, named as
#           git format-patch names them, and patches/series in their order;
#           the patches they replace are removed.
set -euo pipefail
cmd=${1:-} repo=${2:-} vanilla=${3:-} stack=${4:-}
[ -n "$stack" ] || { echo "usage: $0 import|export REPO VANILLA_SRC STACK [FILE...]" >&2; exit 2; }
shift 4
pdir=${PATCHES:?PATCHES (patches/BASE) is not set}
sgit() { git -C "$stack" -c user.name=stack -c user.email=stack@localhost "$@"; }

series() {
	sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' -e 's/[[:space:]].*//' "$pdir/series"
}

case $cmd in
import)
	rm -rf "$stack"
	mkdir -p "$stack"
	{
		series | while read -r p; do
			sed -n 's|^+++ b/||p; s|^--- a/||p' "$pdir/$p"
		done
		printf '%s\n' "$@"
	} | sed 's/\t.*//' | sort -u | while read -r f; do
		[ -f "$vanilla/$f" ] || continue
		mkdir -p "$stack/$(dirname "$f")"
		cp "$vanilla/$f" "$stack/$f"
	done
	sgit init -q
	sgit config core.abbrev 12
	sgit add -A .
	sgit commit -q -m "pristine files"
	sgit tag base
	series | while read -r p; do
		sgit am -q --keep-cr --committer-date-is-author-date "$pdir/$p"
	done
	echo "  STACK   $(sgit rev-list --count base..HEAD) patches in $stack"
	;;
export)
	if [ -d "$stack/.git/rebase-merge" ] || [ -d "$stack/.git/rebase-apply" ]; then
		echo "error: a rebase is in progress in $stack: finish it first" >&2
		exit 1
	fi
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	sgit format-patch -q --zero-commit --no-signature -N -o "$out" base..HEAD
	series | while read -r p; do rm -f "$pdir/$p"; done
	: >"$pdir/series"
	for f in "$out"/*.patch; do
		cp "$f" "$pdir/"
		basename "$f" >>"$pdir/series"
	done
	echo "  STACK   wrote $(wc -l <"$pdir/series") patches to ${pdir#"$repo"/}/"
	;;
*)
	echo "usage: $0 import|export REPO VANILLA_SRC STACK [FILE...]" >&2
	exit 2
	;;
esac
