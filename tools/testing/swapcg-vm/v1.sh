#!/bin/bash
# Guest job `v1`: the swap_cgroup tests that need the memory controller on a
# cgroup v1 hierarchy of its own (v1_split).  The memory controller moves to
# v1 only while nothing has used it on v2, so they run first thing in a boot
# of their own; in the kselftest run they skip.
cp -a "$SWAPCG_KSFT/swap_cgroup" "$SWAPCG_SCRATCH/v1" &&
	cd "$SWAPCG_SCRATCH/v1" || exit 1
exec ./test_swapcg_reclaim v1_split
