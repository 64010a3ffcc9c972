#!/bin/bash
# place-files.sh REPO VANILLA_SRC SRC
#
# Symlink each of our kernel-tree files (tracked, or untracked and not
# ignored) into SRC at the same path, so edits in the repository are seen by
# the next incremental build. Our files must be new: a path that exists in
# the pristine tree has to be changed through patches/ instead. Links into
# the repository whose file went away are removed.
set -euo pipefail
repo=$1 vanilla=$2 src=$3

prefixes=(arch block crypto drivers fs include init ipc kernel lib mm net
	samples scripts security sound tools virt Documentation)

declare -A ours=()
errors=0
while IFS= read -r -d '' f; do
	case $f in tools/testing/swapcg-vm/*) continue ;; esac
	[ -e "$repo/$f" ] || continue # tracked but deleted in the work tree
	if [ -e "$vanilla/$f" ] || [ -L "$vanilla/$f" ]; then
		echo "error: $f exists in upstream 6.1; change it with a patch in patches/" >&2
		errors=$((errors + 1))
		continue
	fi
	ours[$f]=1
	link=$src/$f
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
