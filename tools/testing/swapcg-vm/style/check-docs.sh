#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check our documentation: kernel-doc -none on our C files and headers, and a
# Sphinx build, with the kernel's conf.py, of the documents our patches touch
# or add and the directories around them (admin-guide/cgroup-v2.rst,
# admin-guide/cgroup-v1/ and mm/), compared with the same build from the
# pristine tree: a warning counts only if stock lacks it.  A full
# `make htmldocs` of 6.1 takes far longer and has hundreds of stock warnings.
#
# Usage: check-docs.sh REPO VANILLA_SRC SRC WORKDIR
# Environment: DOCS_PATCHES="extra.patch ..." are applied after the series.
# shellcheck disable=SC2317 # ktap_test_result runs the checks
set -euo pipefail

REPO=$1
VANILLA_SRC=$2
SRC=$3
WORK=$4
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
SPHINXBUILD=${SPHINXBUILD:-sphinx-build}
# The documents built: what our patches touch, with their neighbours so
# that their cross-references resolve.
DOC_PARTS=(admin-guide/cgroup-v2.rst admin-guide/cgroup-v1 mm)

# A tree in $1 to build from: a copy of the documents in DOC_PARTS, and
# links to everything else in $2 for kernel-doc.
make_tree() {
	local dst=$1 src=$2 e

	rm -rf "$dst"
	mkdir -p "$dst/Documentation" "$dst/mini"
	for e in "$src"/*; do
		[ "$(basename "$e")" = Documentation ] ||
			ln -s "$e" "$dst/$(basename "$e")"
	done
	cp -a "$VANILLA_SRC/Documentation/." "$dst/Documentation/"
}

# The Sphinx project: DOC_PARTS under mini/, with an index that lists them.
make_mini() {
	local tree=$1 part

	{
		echo "Swap cgroup documentation check"
		echo "==============================="
		echo
		echo ".. toctree::"
		echo
		echo "   admin-guide/cgroup-v2"
		echo "   admin-guide/cgroup-v1/index"
		echo "   mm/index"
	} > "$tree/mini/index.rst"
	for part in "${DOC_PARTS[@]}"; do
		mkdir -p "$tree/mini/$(dirname "$part")"
		cp -a "$tree/Documentation/$part" "$tree/mini/$part"
	done
}

sphinx() {
	local tree=$1 log=$2

	rm -rf "$tree/out"
	(cd "$tree" && PYTHONDONTWRITEBYTECODE=1 "$SPHINXBUILD" -b html -q \
		-c "$tree/Documentation" -d "$tree/out/.doctrees" \
		-D kerneldoc_srctree="$tree" \
		-D kerneldoc_bin="$tree/scripts/kernel-doc" \
		"$tree/mini" "$tree/out/html") > "$log" 2>&1 || true
}

check_sphinx() {
	local stock=$WORK/stock ours=$WORK/ours patches new f

	if ! command -v "$SPHINXBUILD" > /dev/null; then
		echo "# $SPHINXBUILD not found"
		return 1
	fi
	make_tree "$stock" "$VANILLA_SRC"
	make_tree "$ours" "$SRC"
	patches=$WORK/docs.patch
	# shellcheck disable=SC2046,SC2086 # lists of paths without spaces
	"$HERE/filter-patch.py" Documentation/ $(series_patches) \
		${DOCS_PATCHES:-} > "$patches"
	if [ -s "$patches" ] &&
	   ! patch -p1 -F0 -s -d "$ours" < "$patches" > "$WORK/patch.log" 2>&1; then
		echo "# the Documentation parts of the patches do not apply:"
		as_comment < "$WORK/patch.log"
		return 1
	fi
	# Our new documents are plain files in the repository.
	while read -r f; do
		mkdir -p "$ours/$(dirname "$f")"
		cp "$REPO/$f" "$ours/$f"
	done < <(our_files Documentation)
	make_mini "$stock"
	make_mini "$ours"
	sphinx "$stock" "$WORK/sphinx-stock.log"
	sphinx "$ours" "$WORK/sphinx-ours.log"
	if ! grep -q . "$ours/out/html/index.html" 2> /dev/null; then
		echo "# Sphinx built nothing:"
		tail -n 20 "$WORK/sphinx-ours.log" | as_comment
		return 1
	fi
	echo "# Sphinx: $(grep -c 'WARNING\|ERROR' "$WORK/sphinx-ours.log" || true) warnings, $(grep -c 'WARNING\|ERROR' "$WORK/sphinx-stock.log" || true) on stock"
	if ! new=$("$HERE/new-warnings.py" "$WORK/sphinx-ours.log" \
		   "$WORK/sphinx-stock.log" "$ours/mini" "$stock/mini" \
		   "$ours" "$stock"); then
		echo "# new Sphinx warnings:"
		as_comment <<< "$new"
		return 1
	fi
	return 0
}

main() {
	mkdir -p "$WORK"
	ktap_print_header
	ktap_set_plan 2
	ktap_test_result kernel-doc check_kernel_doc
	ktap_test_result sphinx-docs check_sphinx
	ktap_finished
}

main
