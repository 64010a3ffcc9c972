#!/bin/bash
# mkseries.sh: write the work as a git format-patch series against the
# pristine base tree, one patch per step of series/steps, plus a cover letter.
#
# Environment: REPO, B, LINUX_TARBALL, LINUX_SOURCE_PKG, LINUX_SOURCE_VERSION,
# PATCHES (patches/BASE) (from the top-level Makefile); SERIES_OUT (default
# B/series),
# CHECKPATCH_FATAL (default 1; 0 reports checkpatch problems without failing).
#
# The commits are made in B/series-git, a git repository of the unpacked
# tarball (made once), with a private index: its work tree is left alone
# (series-check uses it).  The step commits are recorded, in order, in
# B/series-git/.git/series-steps.
set -euo pipefail

: "${REPO:?}" "${B:?}" "${LINUX_TARBALL:?}" "${PATCHES:?}"
: "${LINUX_SOURCE_PKG:?}" "${LINUX_SOURCE_VERSION:?}"
UPSTREAM=${LINUX_SOURCE_VERSION%%-*}
OUT=${SERIES_OUT:-$B/series}
HERE=$REPO/tools/testing/swapcg-vm/series
GITDIR=$B/series-git
TMP=$(mktemp -d "$B/series-tmp.XXXXXX")
SNAP=$TMP/files
trap 'rm -rf "$TMP"' EXIT

die() {
	echo "error: $*" >&2
	exit 1
}

sgit() {
	git -C "$GITDIR" "$@"
}

# Deterministic commits: the identity and date of the first patch.
set_identity() {
	local info
	info=$(git mailinfo "$TMP/msg" "$TMP/patch" <"$1")
	GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' <<<"$info")
	GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' <<<"$info")
	GIT_AUTHOR_DATE=$(sed -n 's/^Date: //p' <<<"$info")
	GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
	GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
	GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE
	export GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE
}

# The scratch repository: the pinned tarball, committed once as "pristine".
init_git() {
	sgit rev-parse -q --verify pristine >/dev/null 2>&1 && return 0
	echo "  SERIES  unpack $LINUX_TARBALL -> build/series-git (once)"
	rm -rf "$GITDIR.tmp" "$GITDIR"
	mkdir -p "$GITDIR.tmp"
	tar -xf "$LINUX_TARBALL" -C "$GITDIR.tmp" --strip-components=1
	git -C "$GITDIR.tmp" init -q
	git -C "$GITDIR.tmp" config core.compression 0
	git -C "$GITDIR.tmp" config core.looseCompression 0
	git -C "$GITDIR.tmp" config gc.auto 0
	git -C "$GITDIR.tmp" config core.abbrev 12
	nice -n 10 git -C "$GITDIR.tmp" add -f -A .
	GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z \
		git -C "$GITDIR.tmp" -c user.name=pristine -c user.email=pristine@localhost \
		commit -q -m "Linux $UPSTREAM (Debian $LINUX_SOURCE_PKG $LINUX_SOURCE_VERSION)"
	git -C "$GITDIR.tmp" tag pristine
	mv "$GITDIR.tmp" "$GITDIR"
}

# Parse series/steps into step_name[], step_patches[], step_msg[] and
# step_files[] (space separated), plus ignores[].
step_name=() step_patches=() step_msg=() step_files=() ignores=()
parse_steps() {
	local kw arg n=-1 f
	while read -r kw arg; do
		case $kw in '' | '#'*) continue ;; esac
		case $kw in
		step)
			n=$((n + 1))
			step_name[n]=$arg step_patches[n]='' step_msg[n]='' step_files[n]=
			;;
		patch)
			[ -f "$PATCHES/$arg" ] || die "series/steps: patches/$arg does not exist"
			step_patches[n]+="$arg "
			;;
		msg)
			[ -f "$HERE/$arg" ] || die "series/steps: series/$arg does not exist"
			step_msg[n]=$arg
			;;
		file)
			[ -f "$REPO/$arg" ] || die "series/steps: $arg does not exist"
			step_files[n]+="$arg "
			;;
		dir)
			f=$(cd "$REPO" && git ls-files -co --exclude-standard -- "$arg" | tr '\n' ' ')
			[ -n "$f" ] || die "series/steps: no files under $arg"
			step_files[n]+="$f"
			;;
		ignore) ignores+=("$arg") ;;
		*) die "series/steps: unknown keyword '$kw'" ;;
		esac
		case $kw in step | ignore) ;; *) [ $n -ge 0 ] || die "series/steps: '$kw' before the first step" ;; esac
	done <"$HERE/steps"
	[ $n -ge 0 ] || die "series/steps: no steps"
}

# The new files of the first $1 steps, one a line.
files_upto() {
	printf '%s' "${step_files[@]:0:$1}" | tr -s ' ' '\n'
}

# Every patch of patches/series in exactly one step, in order; every new
# file of the repository in exactly one step or ignored.
check_coverage() {
	local listed want f i ign ok
	listed=$(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' -e 's/[[:space:]].*//' \
		"$PATCHES/series" | tr '\n' ' ')
	want=$(printf '%s' "${step_patches[@]}")
	[ "$listed" = "$want" ] || die "patches/series ($listed) does not list the patches of series/steps ($want) in the same order"
	for f in "$PATCHES"/*.patch; do
		[ "${f##*/}" = ours.patch ] && continue
		case " $listed" in *" ${f##*/} "*) ;; *)
			echo "  SERIES  warning: patches/${f##*/} is not in patches/series: left out" >&2
			;;
		esac
	done

	files_upto ${#step_files[@]} | sort | uniq -d >"$TMP/dups"
	[ ! -s "$TMP/dups" ] || die "files in more than one step: $(cat "$TMP/dups")"
	(cd "$REPO" && git ls-files -co --exclude-standard) | while read -r f; do
		ok=
		for ign in "${ignores[@]}"; do
			case $f in "$ign" | "$ign"/*) ok=1 ;; esac
		done
		for i in "${!step_files[@]}"; do
			case " ${step_files[i]}" in *" $f "*) ok=1 ;; esac
		done
		[ -n "$ok" ] || die "$f is in no step of series/steps (add it, or ignore it)"
	done

	for i in "${!step_name[@]}"; do
		[ -n "${step_patches[i]}${step_msg[i]}" ] ||
			die "series/steps: step ${step_name[i]} has neither patch nor msg"
	done
}

# The step (0-based) that adds file $1.
intro_step() {
	local i
	for i in "${!step_files[@]}"; do
		case " ${step_files[i]}" in *" $1 "*)
			echo "$i"
			return
			;;
		esac
	done
	echo -1
}

# Every early/N/PATH.diff belongs to a file added before step N.
check_early() {
	local d n path s
	[ -d "$HERE/early" ] || return 0
	while read -r d; do
		d=${d#"$HERE"/early/}
		n=${d%%/*} path=${d#*/}
		path=${path%.diff}
		case $n in '' | *[!0-9]*) die "series/early/$d: not under a step number" ;; esac
		if [ "$n" -lt 1 ] || [ "$n" -gt ${#step_name[@]} ]; then
			die "series/early/$d: there is no step $n"
		fi
		s=$(intro_step "$path")
		[ "$s" -ge 0 ] || die "series/early/$d: $path is in no step"
		[ $((s + 1)) -lt "$n" ] ||
			die "series/early/$d: $path is added at step $((s + 1)), not before step $n"
	done < <(find "$HERE/early" -name '*.diff' -type f | sort)
}

# A copy of the new files, so that edits made while this runs do not mix
# two versions of a file into one series.
snapshot() {
	local f
	files_upto ${#step_files[@]} | while read -r f; do
		mkdir -p "$SNAP/$(dirname "$f")"
		cp -p "$REPO/$f" "$SNAP/$f"
	done
	[ ! -f "$PATCHES/ours.patch" ] || cp "$PATCHES/ours.patch" "$TMP/ours.patch"
}

# The part of this base's ours.patch (see base-files.sh) for new file $1.
base_diff() {
	[ -f "$TMP/ours.patch" ] || return 0
	awk -v f="a/$1" '/^--- / { p = ($2 == f) } p' "$TMP/ours.patch"
}

# The content of new file $2 at step $1 (1-based), into file $3: that of
# early/N/PATH.diff for the first step N after $1 that has one, or the final.
content_at() {
	local n path=$2 out=$3 diff=
	cp "$SNAP/$path" "$out"
	for ((n = $1 + 1; n <= ${#step_name[@]}; n++)); do
		if [ -f "$HERE/early/$n/$path.diff" ]; then
			diff=$HERE/early/$n/$path.diff
			break
		fi
	done
	[ -n "$diff" ] || { base_spelling "$1" "$path" "$out"; return 0; }
	if ! patch -R -F0 --batch -s --no-backup-if-mismatch -r - "$out" <"$diff" \
		>"$TMP/patch.log" 2>&1; then
		sed 's/^/    /' "$TMP/patch.log" >&2
		die "series/early/$n/$path.diff no longer applies to $path: make the" \
			"earlier state of $path again, and its diff (see series/steps)"
	fi
	cmp -s "$SNAP/$path" "$out" && die "series/early/$n/$path.diff changes nothing"
	base_spelling "$1" "$path" "$out"
}

# New file $2 at step $1, in file $3, as this base spells it.
base_spelling() {
	local d

	d=$(base_diff "$2")
	[ -n "$d" ] || return 0
	patch -F0 --batch -s --no-backup-if-mismatch -r - "$3" <<<"$d" \
		>"$TMP/patch.log" 2>&1 || {
		sed 's/^/    /' "$TMP/patch.log" >&2
		die "${PATCHES#"$REPO"/}/ours.patch does not apply to $2 at step $1"
	}
}

commit_steps() {
	local i n p f mode blob tree parent
	export GIT_INDEX_FILE=$GITDIR/.git/series-index
	rm -f "$GIT_INDEX_FILE"
	sgit read-tree pristine
	parent=$(sgit rev-parse pristine)
	: >"$TMP/steps"
	set_identity "$PATCHES/${step_patches[0]%% *}"
	for i in "${!step_name[@]}"; do
		n=$((i + 1))
		for p in ${step_patches[i]}; do
			sgit apply --cached -p1 "$PATCHES/$p" 2>"$TMP/apply.log" || {
				sed 's/^/    /' "$TMP/apply.log" >&2
				die "patches/$p does not apply at step $n (${step_name[i]})"
			}
		done
		files_upto $n >"$TMP/step-files"
		while read -r f; do
			content_at "$n" "$f" "$TMP/blob"
			mode=100644
			[ -x "$SNAP/$f" ] && mode=100755
			blob=$(sgit hash-object -w --path="$f" "$TMP/blob")
			sgit update-index --add --cacheinfo "$mode,$blob,$f"
		done <"$TMP/step-files"
		tree=$(sgit write-tree)
		if [ -n "${step_patches[i]}" ]; then
			p=${step_patches[i]%% *}
			git mailinfo "$TMP/msg" "$TMP/patch" <"$PATCHES/$p" |
				sed -n 's/^Subject: //p' >"$TMP/commit-msg"
			{ echo; cat "$TMP/msg"; } >>"$TMP/commit-msg"
		else
			{
				cat "$HERE/${step_msg[i]}"
				echo
				echo "Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
			} >"$TMP/commit-msg"
		fi
		parent=$(sgit commit-tree "$tree" -p "$parent" -F "$TMP/commit-msg")
		echo "$n ${step_name[i]} $parent" >>"$TMP/steps"
	done
	rm -f "$GIT_INDEX_FILE"
	unset GIT_INDEX_FILE
	sgit update-ref refs/heads/series "$parent"
	cp "$TMP/steps" "$GITDIR/.git/series-steps.new"
	mv "$GITDIR/.git/series-steps.new" "$GITDIR/.git/series-steps"
}

# git format-patch, then the cover letter's subject and text from the
# template (its first line is the subject).
format_patches() {
	rm -rf "$OUT"
	mkdir -p "$OUT"
	sgit format-patch -q --no-signature --zero-commit --cover-letter \
		-o "$OUT" pristine..series
	local cover=$OUT/0000-cover-letter.patch
	[ -f "$cover" ] || die "git format-patch wrote no cover letter"
	sed -n '1p' "$HERE/cover-letter.txt" >"$TMP/subject"
	sed -e '1,2d' -e "s/@UPSTREAM@/$UPSTREAM/g" -e "s/@PKG@/$LINUX_SOURCE_PKG/g" \
		-e "s/@PKGVERSION@/$LINUX_SOURCE_VERSION/g" "$HERE/cover-letter.txt" >"$TMP/blurb"
	awk -v sf="$TMP/subject" -v bf="$TMP/blurb" '
	BEGIN { getline subj < sf; while ((getline l < bf) > 0) blurb = blurb l "\n" }
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
	/^\*\*\* BLURB HERE \*\*\*$/ { printf "%s", blurb; next }
	{ print }
	' "$cover" >"$TMP/cover"
	mv "$TMP/cover" "$cover"
	! grep -q '\*\*\* .* HERE \*\*\*' "$cover" || die "cover letter placeholders left"
}

# The patches, applied in order to pristine, give the tree of the last step.
verify_patches() {
	local p
	export GIT_INDEX_FILE=$TMP/verify-index
	sgit read-tree pristine
	for p in "$OUT"/0*.patch; do
		case $p in */0000-cover-letter.patch) continue ;; esac
		sgit apply --cached -p1 "$p" 2>"$TMP/apply.log" || {
			sed 's/^/    /' "$TMP/apply.log" >&2
			die "build/series/${p##*/} does not apply after the patches before it"
		}
	done
	[ "$(sgit write-tree)" = "$(sgit rev-parse 'series^{tree}')" ] ||
		die "build/series/*.patch applied to pristine do not give the last step's tree"
	unset GIT_INDEX_FILE
	echo "  SERIES  the patches apply in order to pristine $UPSTREAM and give the last step"
}

# checkpatch --strict on every patch.  New files need no MAINTAINERS
# change here (FILE_PATH_CHANGES): that entry is a decision for posting.
run_checkpatch() {
	local p bad=0
	for p in "$OUT"/0*.patch; do
		case $p in */0000-cover-letter.patch) continue ;; esac
		if perl "$GITDIR/scripts/checkpatch.pl" --strict --no-tree -q \
			--ignore FILE_PATH_CHANGES "$p" >"$TMP/cp.log" 2>&1; then
			echo "  CHECK   ${p##*/}: clean"
		else
			echo "  CHECK   ${p##*/}: NOT clean"
			sed 's/^/    /' "$TMP/cp.log"
			echo
			bad=1
		fi
	done
	return $bad
}

init_git
parse_steps
check_coverage
check_early
snapshot
commit_steps
format_patches
verify_patches
echo "  SERIES  ${OUT#"$REPO"/}:"
for f in "$OUT"/*; do
	echo "          ${f##*/}"
done
if ! run_checkpatch; then
	[ "${CHECKPATCH_FATAL:-1}" = 0 ] || die "checkpatch --strict found problems (above)"
	echo "  SERIES  warning: checkpatch --strict found problems (above)"
fi
