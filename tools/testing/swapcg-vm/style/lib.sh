# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Helpers shared by check-style.sh and check-docs.sh; sourced, not run.
# The caller sets REPO, VANILLA_SRC and WORK.

KTAP_N=${KTAP_START:-1}
KTAP_FAILED=0

# ktap_result RC NAME: print one KTAP result line.
ktap_result() {
	local rc=$1 name=$2

	if [ "$rc" = 0 ]; then
		echo "ok $KTAP_N $name"
	else
		echo "not ok $KTAP_N $name"
		KTAP_FAILED=$((KTAP_FAILED + 1))
	fi
	KTAP_N=$((KTAP_N + 1))
}

# Print stdin as KTAP diagnostics.
as_comment() {
	sed 's/^/# /'
}

# ktap_plan N: the header, unless the caller prints its own (KTAP_PLAN=0).
ktap_plan() {
	if [ "${KTAP_PLAN:-1}" = 1 ]; then
		echo "TAP version 13"
		echo "1..$1"
	fi
}

# Our files, relative to the repository: tracked, or new and not ignored.
our_files() {
	git -C "$REPO" ls-files -co --exclude-standard -- "$@"
}

# Our kernel C files and headers (the selftests are user space).
our_kernel_sources() {
	our_files '*.c' '*.h' | grep -v '^tools/' || true
}

# kernel-doc -none on our kernel sources, and every function that our
# headers declare or that we export must have a kernel-doc comment.
check_kernel_doc() {
	local out=$WORK/kernel-doc.log here f

	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	: > "$out"
	while read -r f; do
		# -v adds the warnings on missing return descriptions.
		"$VANILLA_SRC/scripts/kernel-doc" -none -v "$REPO/$f" 2>&1 |
			grep -v ': info: ' >> "$out" || true
	done < <(our_kernel_sources)
	"$here/kerneldoc-coverage.py" "$REPO" >> "$out" 2>&1 || true
	if [ -s "$out" ]; then
		as_comment < "$out"
		return 1
	fi
	return 0
}

# The patches of $PATCHES/series (patches/BASE), as absolute paths, in order.
series_patches() {
	local p

	[ -f "$PATCHES/series" ] || return 0
	while read -r p; do
		case $p in '' | '#'*) continue ;; esac
		echo "$PATCHES/$p"
	done < "$PATCHES/series"
}
