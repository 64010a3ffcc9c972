#!/bin/bash
# Guest job for `make shell`: an interactive shell on the serial console.
# Leaving it (exit or Ctrl-D) powers the guest off.
cat <<MSG

swapcg guest ($(uname -r), variant ${SWAPCG_VARIANT:-?}): host / is read-only,
/tmp, /run and /dev/shm are tmpfs, scratch ext4 is at $SWAPCG_SCRATCH, results
share at $SWAPCG_RESULTS, cgroup2 at /sys/fs/cgroup. Exit the shell to power off.

MSG
cat /proc/swaps
# setsid -c makes the serial port the controlling terminal (job control,
# Ctrl-C).
export PS1='swapcg-guest:\w# '
exec setsid -c -w bash --norc -i
