#!/bin/bash
# check-config.sh CONFIG FRAGMENT...
# Every setting in the fragments (the last one wins, as in merge_config.sh)
# must be in the final .config: `CONFIG_X=v` lines identically, and
# `# CONFIG_X is not set` symbols must not be set. Kconfig silently drops a
# symbol whose dependencies are missing; this catches that.
set -euo pipefail
config=$1
shift

awk -v cfg="$config" '
# The final .config (read first).
FILENAME == cfg {
	if (/^CONFIG_[A-Za-z0-9_]+=/) { sym = $0; sub(/=.*/, "", sym); have[sym] = $0 }
	next
}
# The fragments: remember the last wanted state of each symbol.
/^CONFIG_[A-Za-z0-9_]+=/ { sym = $0; sub(/=.*/, "", sym); want[sym] = $0; next }
/^# CONFIG_[A-Za-z0-9_]+ is not set/ { want[$2] = "unset"; next }
END {
	bad = 0
	for (sym in want) {
		if (want[sym] == "unset") {
			if (sym in have) {
				printf "error: %s should not be set, but .config has %s\n", sym, have[sym] > "/dev/stderr"
				bad++
			}
		} else if (!(sym in have) || have[sym] != want[sym]) {
			printf "error: dropped or changed by Kconfig: %s (final .config: %s)\n", want[sym], (sym in have) ? have[sym] : "not set" > "/dev/stderr"
			bad++
		}
	}
	if (bad) {
		printf "error: %d fragment setting(s) did not survive olddefconfig; check their dependencies\n", bad > "/dev/stderr"
		exit 1
	}
}
' "$config" "$@"
