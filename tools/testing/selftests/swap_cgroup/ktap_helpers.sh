# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# KTAP output for shell tests; sourced, not run.  The functions and their
# meaning are those of kselftest/ktap_helpers.sh of Linux 6.9 and later,
# which 6.1 lacks, plus: ktap_test_pass and ktap_test_fail take a DETAIL
# (printed after a "#"), ktap_test_skip a REASON, and ktap_finished prints
# the plan after the results if ktap_set_plan was not called (for a test
# that does not know its count up front).  ktap_finished exits: 0 if every
# planned test passed or was skipped, else 1.

# shellcheck disable=SC2034 # KSFT_SKIP: the exit status of a skipped test
KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4

KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0
KSFT_NUM_TESTS=

ktap_print_header() {
	echo "TAP version 13"
}

ktap_set_plan() {
	KSFT_NUM_TESTS=$1
	echo "1..$1"
}

ktap_print_msg() {
	echo "# $*"
}

# __ktap_test ok|"not ok" NAME [DIRECTIVE]
__ktap_test() {
	echo "$1 $KTAP_TESTNO $2${3:+ # $3}"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass() {	# NAME [DETAIL]
	__ktap_test ok "$1" "${2:-}"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_fail() {	# NAME [DETAIL]
	__ktap_test "not ok" "$1" "${2:-}"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

ktap_test_skip() {	# NAME [REASON]
	__ktap_test ok "$1" "SKIP${2:+ $2}"
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_test_result() {	# NAME COMMAND...: a pass if COMMAND succeeds
	if "${@:2}"; then
		ktap_test_pass "$1"
	else
		ktap_test_fail "$1"
	fi
}

ktap_print_totals() {
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0" \
		"skip:$KTAP_CNT_SKIP error:0"
}

ktap_finished() {
	[ -n "$KSFT_NUM_TESTS" ] || ktap_set_plan $((KTAP_TESTNO - 1))
	ktap_print_totals
	[ $((KTAP_CNT_PASS + KTAP_CNT_SKIP)) = "$KSFT_NUM_TESTS" ] &&
		exit $KSFT_PASS
	exit $KSFT_FAIL
}
