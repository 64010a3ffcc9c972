#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Style checks of our kernel work, as KTAP:
# - checkpatch.pl --strict on every patches/BASE/*.patch (from the pristine tree,
#   so that its tree checks apply) and on every new file of ours that it
#   understands (--no-tree -f);
# - kernel-doc -none on our C files and headers, and a kernel-doc comment
#   for every function our headers declare or we export;
# - sparse (C=2) and W=1 on the objects built from our C files and from the
#   upstream C files our patches touch, against the same objects of the
#   pristine tree: only warnings that stock lacks count.
#
# Usage: check-style.sh REPO VANILLA_SRC SRC OBJDIR VANILLA_OBJDIR WORKDIR
# OBJDIR, inside SRC, must be configured and built; VANILLA_OBJDIR, inside
# VANILLA_SRC, at least configured.  The objects checked are rebuilt there
# with C=2 W=1 (a later normal build rebuilds them again).
# Environment: STYLE_CC and STYLE_HOSTCC, the compilers the trees were built
# with (default gcc; another one would rebuild the host tools), STYLE_JOBS;
# PATCHES (patches/BASE).
# shellcheck disable=SC2317 # ktap_test_result runs the checks
set -euo pipefail
: "${PATCHES:?}"

REPO=$1
VANILLA_SRC=$2
SRC=$3
OBJDIR=$4
VANILLA_OBJDIR=$5
WORK=$6
HERE=$(cd "$(dirname "$0")" && pwd)
STYLE_CC=${STYLE_CC:-gcc}
STYLE_HOSTCC=${STYLE_HOSTCC:-gcc}
STYLE_JOBS=${STYLE_JOBS:-$(nproc)}
# shellcheck source=lib.sh
. "$HERE/lib.sh"

# Our files that checkpatch understands; the harness, the config fragments
# and the patches (checked as patches) are left out.
checkpatch_files() {
	our_files | grep -v -E '^(tools/testing/swapcg-vm/|kernel/configs/|patches/|\.ci/|build/)' |
		grep -E '\.(c|h|rst)$|(^|/)(Kconfig[^/]*|Makefile)$' |
		grep -v '^Makefile$' || true
}

checkpatch() {
	(cd "$VANILLA_SRC" && scripts/checkpatch.pl --strict --color=never \
		--summary-file --show-types "$@" 2>&1)
}

check_patch() {
	local out

	out=$(checkpatch -q "$1") && return 0
	as_comment <<< "$out"
	return 1
}

check_files() {
	local f path out rc=0 stage=$WORK/base-files

	"$HERE/../base-files.sh" "$REPO" "$stage" >/dev/null || return 1
	while read -r f; do
		path=$REPO/$f
		[ -f "$stage/$f" ] && path=$stage/$f
		if ! out=$(checkpatch -q --no-tree -f "$path"); then
			as_comment <<< "$out"
			rc=1
		fi
	done < <(checkpatch_files)
	return "$rc"
}

# Was object $2 built in object directory $1?  Its .cmd file says so, and
# stays when the object is removed for a rebuild.
built() {
	[ -e "$1/$(dirname "$2")/.$(basename "$2").cmd" ]
}

# The upstream C files the patches touch that our configuration builds (the
# stock one is the same, less our options); the stock objects are built as
# needed, so VANILLA_OBJDIR only has to be configured.
upstream_objects() {
	local f o

	# shellcheck disable=SC2046
	grep -h '^diff --git a/' $(series_patches) /dev/null |
		awk '{ print substr($3, 3) }' | grep '\.c$' | sort -u |
		while read -r f; do
			o=${f%.c}.o
			[ -e "$VANILLA_SRC/$f" ] && built "$SRC/$OBJDIR" "$o" &&
				echo "$o"
		done
}

# The objects to check in a tree: the upstream ones, and ours in ours.
objects() {
	local ours=$1 f

	if [ "$ours" = 1 ]; then
		our_kernel_sources | grep '\.c$' | while read -r f; do
			echo "${f%.c}.o"
		done
	fi
	[ ${#UPSTREAM_OBJS[@]} -eq 0 ] || printf '%s\n' "${UPSTREAM_OBJS[@]}"
}

# Rebuild the objects of a tree with sparse and W=1; the output to $3.
build_checked() {
	local tree=$1 obj=$2 log=$3 ours=$4 objs o

	mapfile -t objs < <(objects "$ours")
	echo "# $(basename "$tree")/$obj: ${objs[*]}"
	for o in "${objs[@]}"; do
		rm -f "$tree/$obj/$o"
	done
	nice -n 10 make --no-print-directory -C "$tree" O="$obj" \
		CC="$STYLE_CC" HOSTCC="$STYLE_HOSTCC" -j"$STYLE_JOBS" \
		C=2 W=1 "${objs[@]}" > "$log" 2>&1
}

check_build() {
	local ours=$WORK/build-ours.log stock=$WORK/build-stock.log new

	if ! command -v sparse > /dev/null; then
		echo "# sparse is not installed"
		return 1
	fi
	# Listed before anything is rebuilt.
	mapfile -t UPSTREAM_OBJS < <(upstream_objects)
	if ! build_checked "$SRC" "$OBJDIR" "$ours" 1; then
		echo "# the build with C=2 W=1 failed:"
		grep -E 'error|Error' "$ours" | head -n 30 | as_comment
		return 1
	fi
	if ! build_checked "$VANILLA_SRC" "$VANILLA_OBJDIR" "$stock" 0; then
		echo "# the stock build with C=2 W=1 failed:"
		tail -n 30 "$stock" | as_comment
		return 1
	fi
	echo "# $(grep -c ': warning:' "$ours" || true) warnings, $(grep -c ': warning:' "$stock" || true) on stock"
	if ! new=$("$HERE/new-warnings.py" "$ours" "$stock" "$SRC" \
		   "$VANILLA_SRC" "$REPO"); then
		echo "# new warnings:"
		as_comment <<< "$new"
		return 1
	fi
	return 0
}

main() {
	local patches=() p

	mkdir -p "$WORK"
	# ours.patch is checked as the files it gives (check_files).
	mapfile -t patches < <(find "$PATCHES" -maxdepth 1 -name '*.patch' \
		! -name ours.patch | sort)
	ktap_print_header
	ktap_set_plan $((${#patches[@]} + 3))
	for p in "${patches[@]}"; do
		ktap_test_result "checkpatch $(basename "$p")" check_patch "$p"
	done
	ktap_test_result "checkpatch new files" check_files
	ktap_test_result kernel-doc check_kernel_doc
	ktap_test_result "sparse and W=1, no new warnings" check_build
	ktap_finished
}

main
