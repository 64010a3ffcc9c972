// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the limits and the usage files of the swap cgroup controller.
 *
 * A group of the "swap" controller may put at most swap.max bytes into swap,
 * counting its descendants.  swap.current and swap.peak show its usage,
 * swap.events counts refused charges ("max") and failed swap-outs ("fail"),
 * and swap.stat splits the usage by swap area; two tracepoints name the
 * group whose charge was refused.
 *
 * Swap-out is made deterministic with MADV_PAGEOUT: a worker process
 * (swapcg_worker.h), placed in a group by the test, fills anonymous memory
 * with non-zero data and asks the kernel to page it out.  The test process
 * drives its workers through pipes, samples the groups' files while they
 * work and checks the data when they read it back.  All groups live under
 * one parent group, created at the start and removed at the end; each test
 * removes its own groups.  So do those of test_swapcg_owner (which group a
 * page is charged to), test_swapcg_memcg (with the memory controller, THP
 * and zswap) and test_swapcg_reclaim (reclaim at the limit, and v1).
 *
 * Usage: test_swapcg [TEST...]: runs the named tests only, if any are
 * named.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "../kselftest.h"
#include "swapcg_util.h"
#include "swapcg_worker.h"

#define MAX_AREAS		16

/*
 * files: the files exist in a non-root group of a hierarchy with the
 * controller enabled, with their initial values, and nowhere else.
 */
static int test_files(void)
{
	struct swap_area areas[MAX_AREAS];
	char *cg = NULL, *plain = NULL, *below = NULL;
	char want[PAGE_SIZE] = "";
	int ret = KSFT_FAIL, nr, i;
	size_t len = 0;

	cg = group_create(parent, "files", NULL);
	if (!cg)
		goto cleanup;

	for (i = 0; i < ARRAY_SIZE(swap_files); i++) {
		if (!expect(has_file(cg, swap_files[i]), "%s/%s is missing",
			    cg, swap_files[i]))
			goto cleanup;
		if (!expect(!has_file(root, swap_files[i]),
			    "the root group has %s", swap_files[i]))
			goto cleanup;
	}
	if (!expect(has_word(cg, "cgroup.controllers", "swap"),
		    "swap is not in %s/cgroup.controllers", cg))
		goto cleanup;
	if (!file_is(cg, "swap.max", "max\n") ||
	    !file_is(cg, "swap.current", "0\n") ||
	    !file_is(cg, "swap.peak", "0\n") ||
	    !file_is(cg, "swap.events", "max 0\nfail 0\n"))
		goto cleanup;

	/* swap.stat: each active area, by priority, with nothing in it. */
	nr = swap_areas(areas, MAX_AREAS);
	for (i = 0; i < nr; i++)
		len += snprintf(want + len, sizeof(want) - len, "%s 0\n",
				areas[i].name);
	if (!file_is(cg, "swap.stat", want))
		goto cleanup;

	/* Read-only files refuse writes. */
	if (!expect(cg_set(cg, "swap.current", "0") &&
		    cg_set(cg, "swap.peak", "0") &&
		    cg_set(cg, "swap.events", "0") &&
		    cg_set(cg, "swap.stat", "0"),
		    "a read-only swap file accepted a write"))
		goto cleanup;

	/* Below a group that does not enable swap, there are no files. */
	plain = group_create(parent, "files_plain", NULL);
	if (!plain)
		goto cleanup;
	below = group_create(plain, "below", NULL);
	if (!below)
		goto cleanup;
	for (i = 0; i < ARRAY_SIZE(swap_files); i++) {
		if (!expect(!has_file(below, swap_files[i]),
			    "%s has %s without +swap above it", below,
			    swap_files[i]))
			goto cleanup;
	}
	if (!expect(has_file(plain, "swap.max"), "%s lacks swap.max", plain))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	group_destroy(below);
	group_destroy(plain);
	group_destroy(cg);
	return ret;
}

/* Values that swap.max takes, and how it reads them back. */
static const struct {
	const char *text;
	const char *want;
} good_max[] = {
	{ "1024K", "1048576\n" },
	{ "16m", "16777216\n" },
	{ "max", "max\n" },
	{ " 8M\n", "8388608\n" },
	{ "12345", "12288\n" },
	{ "0", "0\n" },
	{ "1g", "1073741824\n" },
	{ "2T", "2199023255552\n" },
	{ "1P", "1125899906842624\n" },
	{ "1e", "1152921504606846976\n" },
	{ "0x1000", "4096\n" },
	{ "0x10", "0\n" },
	{ "010000", "4096\n" },
	{ "\tmax \t\n", "max\n" },
	{ "4096\n", "4096\n" },
};

/*
 * bad_writes: swap.max takes what memory.swap.max takes (memparse(): a
 * decimal, 0x hexadecimal or 0 octal number and an optional suffix K to E),
 * but for an empty value or a bare suffix; it refuses anything else and
 * keeps its value.
 */
static int test_bad_writes(void)
{
	static const struct {
		const char *text;
		int err;
	} bad[] = {
		{ "-1", EINVAL },
		{ "+1", EINVAL },
		{ "abc", EINVAL },
		{ "10X", EINVAL },
		{ "\n", EINVAL },
		{ " ", EINVAL },
		{ "\t\n", EINVAL },
		{ "K", EINVAL },
		{ "10KB", EINVAL },
		{ "08", EINVAL },
		{ "0x", EINVAL },
		{ "1.5G", EINVAL },
		{ "MAX", EINVAL },
		{ "max max", EINVAL },
		{ "12M 4K", EINVAL },
	};
	char path[PATH_MAX], *cg;
	int ret = KSFT_FAIL, err, i;

	cg = group_create(parent, "bad_writes", NULL);
	if (!cg)
		goto cleanup;
	snprintf(path, sizeof(path), "%s/swap.max", cg);

	if (!expect(!cg_set(cg, "swap.max", "12M"), "cannot set 12M"))
		goto cleanup;
	/* A write of nothing never reaches the controller: it changes nothing. */
	err = write_buf(path, "", 0);
	if (!expect(err == 0, "an empty write failed: %s", strerror(-err)) ||
	    !file_is(cg, "swap.max", "12582912\n"))
		goto cleanup;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = write_file(path, bad[i].text);
		if (!expect(err == -bad[i].err,
			    "writing \"%s\": %s, expected %s", bad[i].text,
			    err ? strerror(-err) : "accepted",
			    strerror(bad[i].err)))
			goto cleanup;
		if (!file_is(cg, "swap.max", "12582912\n"))
			goto cleanup;
	}
	for (i = 0; i < ARRAY_SIZE(good_max); i++) {
		err = write_file(path, good_max[i].text);
		if (!expect(!err, "writing \"%s\": %s", good_max[i].text,
			    strerror(-err)))
			goto cleanup;
		if (!file_is(cg, "swap.max", good_max[i].want))
			goto cleanup;
	}

	ret = KSFT_PASS;
cleanup:
	group_destroy(cg);
	return ret;
}

/* max_like_memcg: memory.swap.max reads what swap.max takes the same way. */
static int test_max_like_memcg(void)
{
	char path[PATH_MAX], got[64], *cg = NULL;
	int ret = KSFT_FAIL, i;

	if (!has_memcg)
		return skip("no memory controller");
	if (!expect(!cg_set(parent, "cgroup.subtree_control", "+memory"),
		    "cannot enable the memory controller"))
		return KSFT_FAIL;
	cg = group_create(parent, "max_like_memcg", NULL);
	if (!cg)
		goto cleanup;
	snprintf(path, sizeof(path), "%s/memory.swap.max", cg);
	for (i = 0; i < ARRAY_SIZE(good_max); i++) {
		if (!expect(!write_file(path, good_max[i].text) &&
			    !read_file(path, got, sizeof(got)),
			    "memory.swap.max refused \"%s\"", good_max[i].text))
			goto cleanup;
		if (!expect(!strcmp(got, good_max[i].want),
			    "\"%s\": memory.swap.max reads %s, swap.max %s",
			    good_max[i].text, got, good_max[i].want))
			goto cleanup;
	}
	ret = KSFT_PASS;
cleanup:
	group_destroy(cg);
	cg_set(parent, "cgroup.subtree_control", "-memory");
	return ret;
}

/*
 * limit: a group with swap.max=16M pages out 64M: the usage never exceeds
 * the limit, it is what the worker has in swap, the refusals are counted,
 * and it all goes away when the worker exits.
 */
static int test_limit(void)
{
	long cur, peak, swapped, max_ev, fail_ev, sum, out0, out1;
	struct worker w = { 0 };
	struct watch watch;
	int ret = KSFT_FAIL, region, lines;
	char *cg;

	cg = group_create(parent, "limit", NULL);
	if (!cg)
		goto cleanup;
	if (!expect(!cg_set(cg, "swap.max", "16M"), "cannot set swap.max"))
		goto cleanup;
	if (worker_start(&w, cg))
		goto cleanup;
	region = worker_alloc(&w, MB(64), false);
	if (region < 0)
		goto cleanup;

	watch = (struct watch){ .cg = cg, .limit = MB(16) };
	out0 = vmstat_read("pswpout");
	if (worker_pageout(&w, region, &watch, 1))
		goto cleanup;
	out1 = vmstat_read("pswpout");
	cur = swap_current(cg);
	peak = swap_peak(cg);
	swapped = vmswap(w.pid, w.tid);
	sum = swap_stat_sum(cg, &lines);
	ksft_print_msg("limit: swap.current %ld, swap.peak %ld, VmSwap %ld\n",
		       cur, peak, swapped);
	ksft_print_msg("limit: highest sample %ld (%d samples), pswpout +%ld\n",
		       watch.peak, watch.samples, out1 - out0);

	if (!watch_ok(&watch, 1))
		goto cleanup;
	if (!expect(cur <= MB(16) && cur >= MB(16) - SLACK,
		    "swap.current %ld, expected 16M (the limit)", cur))
		goto cleanup;
	if (!expect(peak >= cur && peak <= MB(16),
		    "swap.peak %ld, swap.current %ld", peak, cur))
		goto cleanup;
	if (!expect(close_to(swapped, cur, SLACK),
		    "VmSwap %ld, swap.current %ld", swapped, cur))
		goto cleanup;
	if (!expect(sum == cur, "swap.stat adds up to %ld, swap.current %ld",
		    sum, cur))
		goto cleanup;
	if (!expect(out1 - out0 >= cur / PAGE_SIZE,
		    "pswpout grew by %ld pages, %ld are charged",
		    out1 - out0, cur / PAGE_SIZE))
		goto cleanup;
	if (!expect(!swap_events(cg, &max_ev, &fail_ev) && max_ev > 0 &&
		    fail_ev > 0, "swap.events: max %ld, fail %ld", max_ev,
		    fail_ev))
		goto cleanup;

	if (!expect(!worker_stop(&w), "the worker failed"))
		goto cleanup;
	cur = wait_swap_current(cg, 0);
	if (!expect(cur == 0, "swap.current %ld after the worker exited",
		    cur))
		goto cleanup;
	if (!expect(swap_peak(cg) == peak, "swap.peak changed to %ld",
		    swap_peak(cg)))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	worker_kill(&w);
	group_destroy(cg);
	return ret;
}

#define PEAK_WORKERS	4

/*
 * peak_area_limit: a charge that a per-area limit refuses leaves no trace
 * in swap.peak: confined to one area capped at 2M, under a swap.max of 8M,
 * a group whose workers swap out at once has a peak of 2M.
 */
static int test_peak_area_limit(void)
{
	struct worker w[PEAK_WORKERS] = { { 0 } };
	struct swap_area areas[MAX_AREAS];
	long cur, peak, max_ev, fail_ev;
	int ret = KSFT_FAIL, nr, i;
	char *cg;

	nr = swap_areas(areas, MAX_AREAS);
	if (nr < 1)
		return skip("no swap area");
	cg = group_create(parent, "peak_area_limit", NULL);
	if (!cg)
		goto cleanup;
	if (!expect(!cg_set(cg, "swap.max", "8M") &&
		    !cg_set(cg, "swap.devices", "default 0") &&
		    !cg_setf(cg, "swap.devices", "%s 2M", areas[nr - 1].path),
		    "cannot set the limits"))
		goto cleanup;
	for (i = 0; i < PEAK_WORKERS; i++)
		if (worker_start(&w[i], cg) ||
		    worker_alloc(&w[i], MB(8), false) < 0)
			goto cleanup;
	for (i = 0; i < PEAK_WORKERS; i++)
		if (worker_send(&w[i], OP_PAGEOUT, -1, 0))
			goto cleanup;
	for (i = 0; i < PEAK_WORKERS; i++)
		if (!expect(!worker_wait(&w[i], NULL, 0), "page-out failed"))
			goto cleanup;
	cur = swap_current(cg);
	peak = swap_peak(cg);
	swap_events(cg, &max_ev, &fail_ev);
	ksft_print_msg("peak_area_limit: swap.current %ld, swap.peak %ld, max %ld, fail %ld\n",
		       cur, peak, max_ev, fail_ev);
	if (!expect(cur == MB(2) && peak == MB(2),
		    "swap.current %ld, swap.peak %ld, expected 2M", cur, peak))
		goto cleanup;
	/*
	 * The area refused, not swap.max, each page once.  MADV_PAGEOUT
	 * passes over a page that it cannot isolate, such as one still in
	 * another CPU's LRU batch: some pages may not be tried at all.
	 */
	if (!expect(max_ev == 0 && fail_ev > 0 &&
		    fail_ev <= (PEAK_WORKERS * MB(8) - MB(2)) / PAGE_SIZE,
		    "swap.events max %ld fail %ld", max_ev, fail_ev))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	for (i = 0; i < PEAK_WORKERS; i++)
		worker_kill(&w[i]);
	group_destroy(cg);
	return ret;
}

/* events_notify: a refused charge wakes inotify and poll on swap.events. */
static int test_events_notify(void)
{
	char path[PATH_MAX], buf[4096];
	struct inotify_event ev;
	int ret = KSFT_FAIL, ifd = -1, efd = -1, region;
	struct pollfd pfd[2];
	struct worker w = { 0 };
	long max_ev, fail_ev;
	char *cg;

	cg = group_create(parent, "events_notify", NULL);
	if (!cg)
		goto cleanup;
	if (!expect(!cg_set(cg, "swap.max", "4M"), "cannot set swap.max"))
		goto cleanup;
	snprintf(path, sizeof(path), "%s/swap.events", cg);

	ifd = inotify_init1(IN_NONBLOCK);
	if (!expect(ifd >= 0, "inotify_init1: %s", strerror(errno)))
		goto cleanup;
	if (!expect(inotify_add_watch(ifd, path, IN_MODIFY) >= 0,
		    "inotify_add_watch: %s", strerror(errno)))
		goto cleanup;
	efd = open(path, O_RDONLY);
	if (!expect(efd >= 0, "open %s: %s", path, strerror(errno)))
		goto cleanup;
	if (!expect(read(efd, buf, sizeof(buf)) > 0, "read %s", path))
		goto cleanup;

	if (worker_start(&w, cg))
		goto cleanup;
	region = worker_alloc(&w, MB(16), false);
	if (region < 0)
		goto cleanup;

	/* Nothing happened yet. */
	pfd[0] = (struct pollfd){ .fd = ifd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = efd, .events = POLLPRI };
	if (!expect(poll(pfd, 2, 0) == 0, "swap.events changed before the test"))
		goto cleanup;

	if (worker_send(&w, OP_PAGEOUT, region, 0))
		goto cleanup;
	if (!expect(poll(&pfd[0], 1, 10000) == 1 && (pfd[0].revents & POLLIN),
		    "no inotify event on swap.events within 10 s"))
		goto cleanup;
	if (!expect(read(ifd, buf, sizeof(buf)) >= (ssize_t)sizeof(ev),
		    "cannot read the inotify event"))
		goto cleanup;
	memcpy(&ev, buf, sizeof(ev));
	if (!expect(ev.mask & IN_MODIFY, "inotify event %#x, not IN_MODIFY",
		    ev.mask))
		goto cleanup;
	if (!expect(poll(&pfd[1], 1, 10000) == 1 &&
		    (pfd[1].revents & POLLPRI),
		    "poll on swap.events did not report a change"))
		goto cleanup;
	if (!expect(worker_wait(&w, NULL, 0) == 0, "MADV_PAGEOUT failed"))
		goto cleanup;
	if (!expect(!swap_events(cg, &max_ev, &fail_ev) && max_ev > 0,
		    "swap.events: max %ld", max_ev))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	worker_kill(&w);
	if (ifd >= 0)
		close(ifd);
	if (efd >= 0)
		close(efd);
	group_destroy(cg);
	return ret;
}

/*
 * hierarchy: two unlimited children of a group with swap.max=24M page out
 * 32M each at once: the parent's limit holds for both together, its usage
 * is theirs, and the events land where they belong.
 */
static int test_hierarchy(void)
{
	long cur[2], pcur, max_ev[2], fail_ev[2], pmax, pfail, swapped;
	struct worker w[2] = { { 0 }, { 0 } };
	char *p = NULL, *c[2] = { NULL, NULL };
	int ret = KSFT_FAIL, region[2], i;
	struct watch watch[3];

	p = group_create(parent, "hierarchy", "+swap");
	if (!p)
		goto cleanup;
	if (!expect(!cg_set(p, "swap.max", "24M"), "cannot set swap.max"))
		goto cleanup;
	for (i = 0; i < 2; i++) {
		c[i] = group_create(p, i ? "c1" : "c0", NULL);
		if (!c[i] || worker_start(&w[i], c[i]))
			goto cleanup;
		region[i] = worker_alloc(&w[i], MB(32), false);
		if (region[i] < 0)
			goto cleanup;
	}

	watch[0] = (struct watch){ .cg = p, .limit = MB(24) };
	watch[1] = (struct watch){ .cg = c[0], .limit = -1 };
	watch[2] = (struct watch){ .cg = c[1], .limit = -1 };
	for (i = 0; i < 2; i++)
		if (worker_send(&w[i], OP_PAGEOUT, region[i], 0))
			goto cleanup;
	for (i = 0; i < 2; i++)
		if (!expect(worker_wait(&w[i], watch, 3) == 0,
			    "MADV_PAGEOUT in worker %d failed", i))
			goto cleanup;

	pcur = swap_current(p);
	for (i = 0; i < 2; i++) {
		cur[i] = swap_current(c[i]);
		if (swap_events(c[i], &max_ev[i], &fail_ev[i]))
			goto cleanup;
	}
	if (swap_events(p, &pmax, &pfail))
		goto cleanup;
	ksft_print_msg("hierarchy: parent %ld (peak sample %ld), children %ld + %ld\n",
		       pcur, watch[0].peak, cur[0], cur[1]);
	ksft_print_msg("hierarchy: events: parent max %ld fail %ld\n",
		       pmax, pfail);
	ksft_print_msg("hierarchy: events: children max %ld/%ld fail %ld/%ld\n",
		       max_ev[0], max_ev[1], fail_ev[0], fail_ev[1]);

	if (!watch_ok(watch, 3))
		goto cleanup;
	if (!expect(cur[0] + cur[1] <= MB(24),
		    "the children have %ld together, limit 24M",
		    cur[0] + cur[1]))
		goto cleanup;
	if (!expect(pcur == cur[0] + cur[1],
		    "the parent has %ld, its children %ld", pcur,
		    cur[0] + cur[1]))
		goto cleanup;
	if (!expect(pcur >= MB(24) - SLACK,
		    "the parent has %ld: its limit was not reached", pcur))
		goto cleanup;
	for (i = 0; i < 2; i++) {
		swapped = vmswap(w[i].pid, w[i].tid);
		if (!expect(close_to(swapped, cur[i], SLACK),
			    "worker %d: VmSwap %ld, swap.current %ld", i,
			    swapped, cur[i]))
			goto cleanup;
	}
	/* max: in the group whose limit refused; fail: all the way up. */
	if (!expect(pmax > 0 && max_ev[0] == 0 && max_ev[1] == 0,
		    "max events: parent %ld, children %ld and %ld", pmax,
		    max_ev[0], max_ev[1]))
		goto cleanup;
	if (!expect(fail_ev[0] + fail_ev[1] > 0 &&
		    pfail == fail_ev[0] + fail_ev[1],
		    "fail events: parent %ld, children %ld + %ld", pfail,
		    fail_ev[0], fail_ev[1]))
		goto cleanup;

	/* munmap frees the slots of the first child at once. */
	if (!expect(worker_call(&w[0], OP_UNMAP, region[0], 0, NULL, 0) == 0,
		    "munmap failed"))
		goto cleanup;
	cur[0] = wait_swap_current(c[0], 0);
	pcur = swap_current(p);
	if (!expect(cur[0] == 0 && pcur == swap_current(c[1]),
		    "after munmap: child %ld, parent %ld, other child %ld",
		    cur[0], pcur, swap_current(c[1])))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	for (i = 0; i < 2; i++) {
		worker_kill(&w[i]);
		group_destroy(c[i]);
	}
	group_destroy(p);
	return ret;
}

#define TRACEFS		"/sys/kernel/tracing"

static int trace_set(const char *file, const char *text)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", TRACEFS, file);
	return write_file(path, text);
}

/* Enables (@on) or disables the swapcg events and empties the buffer. */
static int trace_swapcg_events(bool on)
{
	const char *val = on ? "1" : "0";
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/trace", TRACEFS);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	close(fd);
	if (trace_set("events/swapcg/swapcg_charge_refused/enable", val) ||
	    trace_set("events/swapcg/swapcg_alloc_failed/enable", val))
		return -1;
	return 0;
}

/* How many lines of the trace buffer hold @event and every one of @words. */
static int trace_count(const char *event, const char * const *words,
		       int nr_words)
{
	char path[PATH_MAX], line[1024];
	int count = 0, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace", TRACEFS);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, event))
			continue;
		for (i = 0; i < nr_words; i++)
			if (!strstr(line, words[i]))
				break;
		if (i == nr_words)
			count++;
	}
	fclose(f);
	return count;
}

/*
 * trace: the swapcg_charge_refused event names the charged group and the
 * group whose swap.max refused, and swapcg_alloc_failed names a group that
 * swap.devices keeps off every area.
 */
static int test_trace(void)
{
	char *top = NULL, *cg = NULL, *denied = NULL;
	char want_cg[64], want_limit[64], want_denied[64];
	struct worker w = { 0 }, w2 = { 0 };
	int ret = KSFT_FAIL, region, n, n2;
	struct stat st;

	if (access(TRACEFS "/events/swapcg/swapcg_charge_refused", F_OK))
		return skip("no swapcg trace events in %s", TRACEFS);
	if (!expect(!trace_swapcg_events(true), "cannot enable the events"))
		return KSFT_FAIL;

	top = group_create(parent, "trace", "+swap");
	if (!top || !expect(!cg_set(top, "swap.max", "4M"),
			    "cannot set swap.max"))
		goto cleanup;
	cg = group_create(top, "child", NULL);
	denied = group_create(parent, "trace_denied", NULL);
	if (!cg || !denied ||
	    !expect(!cg_set(denied, "swap.devices", "default 0"),
		    "cannot forbid every area"))
		goto cleanup;

	if (stat(cg, &st))
		goto cleanup;
	snprintf(want_cg, sizeof(want_cg), "cgroup=%lu ", (unsigned long)st.st_ino);
	if (stat(top, &st))
		goto cleanup;
	snprintf(want_limit, sizeof(want_limit), "limit_cgroup=%lu ",
		 (unsigned long)st.st_ino);
	if (stat(denied, &st))
		goto cleanup;
	snprintf(want_denied, sizeof(want_denied), "cgroup=%lu ",
		 (unsigned long)st.st_ino);

	if (worker_start(&w, cg))
		goto cleanup;
	region = worker_swap_out(&w, MB(16));
	if (region < 0)
		goto cleanup;
	if (worker_start(&w2, denied))
		goto cleanup;
	region = worker_swap_out(&w2, MB(1));
	if (region < 0)
		goto cleanup;

	n = trace_count("swapcg_charge_refused: ",
			(const char * const[]){ want_cg, want_limit,
						"limit=swap.max" }, 3);
	n2 = trace_count("swapcg_alloc_failed: ",
			 (const char * const[]){ want_denied }, 1);
	ksft_print_msg("trace: %d refused charges of %s%s, %d failed allocations of %s\n",
		       n, want_cg, want_limit, n2, want_denied);
	if (!expect(n > 0, "no swapcg_charge_refused event for the child"))
		goto cleanup;
	if (!expect(n2 > 0, "no swapcg_alloc_failed event for the group without areas"))
		goto cleanup;
	if (!expect(!worker_stop(&w) && !worker_stop(&w2), "a worker failed"))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	trace_swapcg_events(false);
	worker_kill(&w);
	worker_kill(&w2);
	group_destroy(denied);
	if (cg)
		wait_swap_current(cg, 0);
	group_destroy(cg);
	group_destroy(top);
	return ret;
}

#define T(x) { test_ ## x, #x }
static const struct swapcg_test tests[] = {
	T(files),
	T(bad_writes),
	T(max_like_memcg),
	T(limit),
	T(peak_area_limit),
	T(events_notify),
	T(hierarchy),
	T(trace),
};

#undef T

SWAPCG_MAIN(.group = "swapcg_test", .memory = true)
