#!/bin/bash
# Check that the given Debian packages are installed; install the missing
# ones when running as root, otherwise print the apt-get command and fail.
# An argument may pin a version as NAME=VERSION; a package already installed
# at another version is left alone (the Makefile reports that itself).
set -euo pipefail

missing=()
for spec in "$@"; do
	name=${spec%%=*}
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$name" 2>/dev/null || true)
	case $status in
	ii*) ;;
	*) missing+=("$spec") ;;
	esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "error: missing Debian packages: ${missing[*]}" >&2
	echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "  APT     installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}"
