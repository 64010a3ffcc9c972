#!/bin/bash
# place-files.sh REPO VANILLA_SRC SRC
#
# Symlink each of our kernel-tree files (tracked, or untracked and not
# ignored) into SRC at the same path, so edits in the repository are seen by
# the next incremental build. Our files must be new: a path that exists in
# the pristine tree has to be changed through patches/BASE/ instead. Links
# into the repository whose file went away are removed. The few files that
# this base spells differently (patches/BASE/ours.patch, see base-files.sh)
# are copied in patched instead, and only when their content changes.
set -euo pipefail
repo=$1 vanilla=$2 src=$3
here=$(dirname "$0")

# The files this base changes, patched, in a stage; those of the last run.
stage=$src/.swapcg-base-files
copies=$src/.swapcg-copies
declare -A base=() old_copies=()
list=$("$here/base-files.sh" "$repo" "$stage")
while read -r f; do
	[ -n "$f" ] && base[$f]=1
done <<<"$list"
if [ -f "$copies" ]; then
	while read -r f; do
		old_copies[$f]=1
	done <"$copies"
fi

prefixes=(arch block crypto drivers fs include init ipc kernel lib mm net
	samples scripts security sound tools virt Documentation)

declare -A ours=()
errors=0
while IFS= read -r -d '' f; do
	case $f in tools/testing/swapcg-vm/*) continue ;; esac
	[ -e "$repo/$f" ] || continue # tracked but deleted in the work tree
	if [ -e "$vanilla/$f" ] || [ -L "$vanilla/$f" ]; then
		echo "error: $f exists in upstream $BASE; change it with a patch in patches/$BASE/" >&2
		errors=$((errors + 1))
		continue
	fi
	ours[$f]=1
	link=$src/$f
	if [ -n "${base[$f]+x}" ]; then
		[ -L "$link" ] && rm -f "$link"
		if ! cmp -s "$stage/$f" "$link"; then
			mkdir -p "$(dirname "$link")"
			cp "$stage/$f" "$link"
		fi
		continue
	fi
	# A copy of an earlier run that is no longer patched: link it again.
	[ -n "${old_copies[$f]+x}" ] && [ ! -L "$link" ] && rm -f "$link"
	[ -L "$link" ] && [ "$(readlink "$link")" = "$repo/$f" ] && continue
	if [ -e "$link" ] && [ ! -L "$link" ]; then
		echo "error: $f is one of our files, but a patch also creates it" >&2
		errors=$((errors + 1))
		continue
	fi
	mkdir -p "$(dirname "$link")"
	ln -sfn "$repo/$f" "$link"
done < <(cd "$repo" && git ls-files -z -co --exclude-standard -- "${prefixes[@]/%//}")
[ $errors -eq 0 ] || exit 1
printf '%s\n' "${!base[@]}" | sed '/^$/d' | sort >"$copies"

# Stale links: into the repository but no longer ours, or dangling absolute
# links (left behind when the repository moved).
while IFS= read -r -d '' link; do
	target=$(readlink "$link")
	rel=${link#"$src"/}
	if [[ $target == "$repo"/* ]]; then
		[ -n "${ours[$rel]+x}" ] && [ -e "$link" ] && continue
	elif [ -e "$link" ]; then
		continue
	fi
	rm -f "$link"
done < <(find "$src" -path "$src/out-*" -prune -o -type l -lname '/*' -print0)
