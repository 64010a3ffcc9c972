#!/bin/bash
# apply-patches.sh REPO VANILLA_SRC SRC STAMP
#
# Bring SRC (an unpacked upstream tree) in line with $PATCHES/series
# without unpacking it again: every file touched by the previously applied
# set or by the new one is restored from VANILLA_SRC into a staging dir, the
# whole new series is applied there strictly (-p1, no fuzz), and a result is
# copied into SRC only if it differs from what SRC has, so untouched files
# keep their mtime and the kernel build stays incremental. STAMP records the
# applied set: a hash of series + patches, then the touched files.
set -euo pipefail
repo=$1 vanilla=$2 src=$3 stamp=$4
pdir=${PATCHES:?PATCHES (patches/BASE) is not set}

patches=()
if [ -f "$pdir/series" ]; then
	while read -r name _; do
		case $name in '' | '#'*) continue ;; esac
		if [ ! -f "$pdir/$name" ]; then
			echo "error: $pdir/series lists $name, which does not exist" >&2
			exit 1
		fi
		patches+=("$name")
	done <"$pdir/series"
fi

hash=$(for p in ${patches[@]+"${patches[@]}"}; do
	printf '== %s\n' "$p"
	cat "$pdir/$p"
done | sha256sum | cut -d' ' -f1)
old_hash=
[ -f "$stamp" ] && old_hash=$(sed -n '1s/^hash //p' "$stamp")
[ "$hash" = "$old_hash" ] && exit 0

# Paths named by the ---/+++ headers of the patches (-p1). A header is a
# "--- " line followed by a "+++ " line and a hunk start.
touched() {
	[ $# -eq 0 ] && return 0
	awk '
	function path(l) {
		sub(/^(---|\+\+\+) /, "", l); sub(/\t.*/, "", l)
		if (l == "/dev/null") return ""
		sub(/^[^\/]*\//, "", l); return l
	}
	/^@@ / && p1 ~ /^\+\+\+ / && p2 ~ /^--- / { print path(p2); print path(p1) }
	{ p2 = p1; p1 = $0 }
	' "$@" | sed '/^$/d' | sort -u
}

mapfile -t new_files < <(touched ${patches[@]+"${patches[@]/#/$pdir/}"})
old_files=()
[ -f "$stamp" ] && mapfile -t old_files < <(sed 1d "$stamp")
mapfile -t all_files < <(printf '%s\n' ${new_files[@]+"${new_files[@]}"} \
	${old_files[@]+"${old_files[@]}"} | sed '/^$/d' | sort -u)

stage=$(mktemp -d "$(dirname "$src")/patch-stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

for f in ${all_files[@]+"${all_files[@]}"}; do
	if [ -e "$vanilla/$f" ]; then
		mkdir -p "$stage/$(dirname "$f")"
		cp -p "$vanilla/$f" "$stage/$f"
	fi
done

for p in ${patches[@]+"${patches[@]}"}; do
	if ! out=$(patch -p1 -F0 -N --batch --no-backup-if-mismatch -r - \
		-d "$stage" -i "$pdir/$p" 2>&1); then
		echo "error: patches/$p does not apply to pristine $BASE + the patches before it" \
			"(strict: no fuzz):" >&2
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		exit 1
	fi
	if grep -qi 'fuzz' <<<"$out"; then
		echo "error: patches/$p applies only with fuzz:" >&2
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		exit 1
	fi
done

changed=0
for f in ${all_files[@]+"${all_files[@]}"}; do
	if [ -L "$src/$f" ]; then
		echo "error: $f is both one of our files and touched by a patch" >&2
		exit 1
	fi
	if [ -e "$stage/$f" ]; then
		if ! cmp -s "$stage/$f" "$src/$f"; then
			mkdir -p "$src/$(dirname "$f")"
			cp --preserve=mode "$stage/$f" "$src/$f"
			changed=$((changed + 1))
		fi
	elif [ -e "$src/$f" ]; then
		rm -f "$src/$f"
		changed=$((changed + 1))
	fi
done

{
	echo "hash $hash"
	printf '%s\n' ${new_files[@]+"${new_files[@]}"}
} >"$stamp.tmp"
mv "$stamp.tmp" "$stamp"
echo "  PATCH   ${#patches[@]} patch(es) applied, $changed file(s) updated in ${src#"$repo"/}"
