# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Helpers shared by check-style.sh and check-docs.sh; sourced, not run.
# The caller sets REPO, VANILLA_SRC and WORK.

# shellcheck source=SCRIPTDIR/../../selftests/swap_cgroup/ktap_helpers.sh
. "$REPO/tools/testing/selftests/swap_cgroup/ktap_helpers.sh"

# Print stdin as KTAP diagnostics.
as_comment() {
	sed 's/^/# /'
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
