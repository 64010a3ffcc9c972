// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the swap cgroup controller.
 *
 * A group of the "swap" controller may put at most swap.max bytes into swap,
 * counting its descendants.  swap.current and swap.peak show its usage,
 * swap.events counts refused charges ("max") and failed swap-outs ("fail"),
 * and swap.stat splits the usage by swap area.
 *
 * Swap-out is made deterministic with MADV_PAGEOUT: a worker process
 * (swapcg_worker.h), placed in a group by the test, fills anonymous memory
 * with non-zero data and asks the kernel to page it out.  The test process
 * drives its workers through pipes, samples the groups' files while they
 * work and checks the data when they read it back.  All groups live under
 * one parent group, created at the start and removed at the end; each test
 * removes its own groups.
 *
 * Usage: test_swapcg [TEST...]: runs the named tests only, if any are
 * named.
 */

#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "../kselftest.h"
#include "swapcg_util.h"
#include "swapcg_worker.h"

#define HPAGE_SIZE		(2UL << 20)
#define MAX_AREAS		16

/*
 * What VmSwap may lag behind after page faults: a thread's counts reach
 * its mm after 64 events (SPLIT_RSS_COUNTING).  Swap-outs by reclaim and
 * swapoff update the mm directly.
 */
#define RSS_LAG			(64 * PAGE_SIZE)

#define THP_DIR		"/sys/kernel/mm/transparent_hugepage"
#define THP_ENABLED	THP_DIR "/enabled"
#define MTHP_64K	THP_DIR "/hugepages-64kB"
#define MAX_THP_SIZES	16
#define ZSWAP_ENABLED	"/sys/module/zswap/parameters/enabled"

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

/* Waits until thread group leader @pid is a zombie. */
static bool leader_gone(pid_t pid)
{
	long deadline = now_ms() + 5000;
	char path[64], line[128];
	bool zombie = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	while (!zombie && now_ms() < deadline) {
		f = fopen(path, "r");
		if (!f)
			return false;
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "State:", 6)) {
				zombie = !!strchr(line, 'Z');
				break;
			}
		}
		fclose(f);
		if (!zombie)
			sleep_ms(10);
	}
	return zombie;
}

/*
 * owner_thread: swap is charged to the group of the mm's owner, which
 * passes to a surviving thread when the main thread exits, and moves with
 * it; charges made before a move stay where they were made.
 */
static int test_owner_thread(void)
{
	long cur_a, cur_b, swapped;
	struct worker w = { 0 };
	char *a = NULL, *b = NULL;
	int ret = KSFT_FAIL, region;

	a = group_create(parent, "owner_a", NULL);
	b = group_create(parent, "owner_b", NULL);
	if (!a || !b)
		goto cleanup;
	if (worker_start_on(&w, a, -1, true))
		goto cleanup;
	if (!expect(w.tid != w.pid && leader_gone(w.pid),
		    "the main thread of %d did not exit", w.pid))
		goto cleanup;

	region = worker_swap_out(&w, MB(16));
	if (region < 0)
		goto cleanup;
	cur_a = swap_current(a);
	swapped = vmswap(w.pid, w.tid);
	ksft_print_msg("owner_thread: in A: swap.current %ld, VmSwap %ld\n",
		       cur_a, swapped);
	if (!expect(close_to(cur_a, MB(16), SLACK) &&
		    close_to(cur_a, swapped, SLACK),
		    "A has %ld, VmSwap %ld, expected 16M", cur_a, swapped))
		goto cleanup;

	/* Move the process by the tid of its surviving thread. */
	if (!expect(!cg_set_pid(b, "cgroup.procs", w.tid),
		    "cannot move %d to %s", w.tid, b))
		goto cleanup;
	region = worker_swap_out(&w, MB(16));
	if (region < 0)
		goto cleanup;
	cur_a = swap_current(a);
	cur_b = swap_current(b);
	swapped = vmswap(w.pid, w.tid);
	ksft_print_msg("owner_thread: after the move: A %ld, B %ld, VmSwap %ld\n",
		       cur_a, cur_b, swapped);
	if (!expect(close_to(cur_b, MB(16), SLACK),
		    "B has %ld, expected 16M", cur_b))
		goto cleanup;
	if (!expect(close_to(cur_a, MB(16), SLACK),
		    "A has %ld, expected 16M", cur_a))
		goto cleanup;
	if (!expect(close_to(cur_a + cur_b, swapped, SLACK),
		    "A + B = %ld, VmSwap %ld", cur_a + cur_b, swapped))
		goto cleanup;

	if (!expect(!worker_stop(&w), "the worker failed"))
		goto cleanup;
	cur_a = wait_swap_current(a, 0);
	cur_b = wait_swap_current(b, 0);
	if (!expect(!cur_a && !cur_b, "after exit: A %ld, B %ld", cur_a,
		    cur_b))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	worker_kill(&w);
	group_destroy(a);
	group_destroy(b);
	return ret;
}

/* Reads one long from @fd within the worker timeout: 0, or -1. */

#define COW_SIZE	MB(32)

/*
 * The child of fork_cow: moves to @b and says so on @moved, waits on @go
 * until the parent has rewritten its copy of @mem, pages @mem out and
 * reports its VmSwap on @up.  When the test says so on @end, it reports
 * how many of its pages lost their first content, and waits for the end
 * (EOF on @end).
 */
static void cow_child(const char *b, char *mem, int moved, int go, int up,
		      int end)
{
	long val, bad = 0;
	size_t i;

	if (cg_set(b, "cgroup.procs", "0"))
		_exit(1);
	write_long(moved, 1);
	if (read(go, &val, sizeof(val)) != sizeof(val))
		_exit(1);
	if (madvise(mem, COW_SIZE, MADV_PAGEOUT))
		_exit(1);
	write_long(up, proc_kb("/proc/self/status", "VmSwap"));
	/* Reading swaps in, which may free slots: not before the test looked. */
	if (read(end, &val, sizeof(val)) != sizeof(val))
		_exit(1);
	for (i = 0; i < COW_SIZE; i += PAGE_SIZE)
		bad += mem[i] != 1 || mem[i + PAGE_SIZE - 1] != 1;
	write_long(up, bad);
	if (read(end, &val, sizeof(val)))
		_exit(1);
	_exit(0);
}

/*
 * The parent of fork_cow, in @a: fills memory, forks, rewrites it, and
 * waits for the child.
 */
static void cow_parent(const char *a, const char *b, int up, int end)
{
	int moved[2], go[2];
	char *mem;
	long val;
	pid_t pid;

	if (cg_set(a, "cgroup.procs", "0") || pipe(moved) || pipe(go))
		_exit(1);
	mem = mmap(NULL, COW_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		_exit(1);
	madvise(mem, COW_SIZE, MADV_NOHUGEPAGE);
	memset(mem, 1, COW_SIZE);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (!pid)
		cow_child(b, mem, moved[1], go[0], up, end);
	if (read(moved[0], &val, sizeof(val)) != sizeof(val))
		_exit(1);
	memset(mem, 2, COW_SIZE);
	write_long(go[1], 1);
	waitpid(pid, NULL, 0);
	_exit(0);
}

/*
 * fork_cow: after fork(), pages that the parent has written to, and so
 * copied, are mapped by the child alone: their swap is charged to the
 * child's group, not to the parent's, whose VMA still covers them.
 */
static int test_fork_cow(void)
{
	long swapped = -1, bad = -1, cur_a, cur_b;
	int ret = KSFT_FAIL, up[2] = { -1, -1 }, down[2] = { -1, -1 };
	char *a = NULL, *b = NULL;
	pid_t pid = -1;

	a = group_create(parent, "cow_a", NULL);
	b = group_create(parent, "cow_b", NULL);
	if (!a || !b || !expect(!cg_set(b, "swap.max", "4M"),
				"cannot set swap.max"))
		goto cleanup;
	if (pipe(up) || pipe(down))
		goto cleanup;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		goto cleanup;
	if (!pid) {
		close(up[0]);
		close(down[1]);
		cow_parent(a, b, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	up[1] = -1;
	down[0] = -1;

	if (!expect(!read_long(up[0], &swapped), "the child did not report"))
		goto cleanup;
	cur_a = swap_current(a);
	cur_b = swap_current(b);
	if (write(down[1], &swapped, sizeof(swapped)) != sizeof(swapped) ||
	    !expect(!read_long(up[0], &bad), "the child did not report"))
		goto cleanup;
	ksft_print_msg("fork_cow: child VmSwap %ld; A %ld, B %ld; %ld bad pages\n",
		       swapped, cur_a, cur_b, bad);
	if (!expect(cur_a == 0, "the parent's group has %ld in swap", cur_a))
		goto cleanup;
	if (!expect(cur_b == swapped && swapped <= MB(4) &&
		    swapped >= MB(4) - SLACK,
		    "child's group %ld, its VmSwap %ld, swap.max 4M", cur_b,
		    swapped))
		goto cleanup;
	if (!expect(bad == 0, "%ld pages of the child changed", bad))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	if (up[0] >= 0)
		close(up[0]);
	if (down[1] >= 0)
		close(down[1]);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		if (ret == KSFT_PASS &&
		    !expect(wait_swap_current(b, 0) == 0,
			    "%ld still charged after exit", swap_current(b)))
			ret = KSFT_FAIL;
	}
	group_destroy(a);
	group_destroy(b);
	return ret;
}

/*
 * rmdir_with_swap: a group whose pages are in swap can be removed once its
 * tasks have left; the charges stay with the parent until the slots are
 * freed, and new charges go to the group the task is in.
 */
static int test_rmdir_with_swap(void)
{
	char *p = NULL, *child = NULL, *other = NULL;
	long cur, pcur, ocur;
	struct worker w = { 0 };
	int ret = KSFT_FAIL, region;

	p = group_create(parent, "rmdir", "+swap");
	if (!p)
		goto cleanup;
	child = group_create(p, "child", NULL);
	other = group_create(p, "other", NULL);
	if (!child || !other)
		goto cleanup;
	if (worker_start(&w, child))
		goto cleanup;
	region = worker_swap_out(&w, MB(16));
	if (region < 0)
		goto cleanup;
	cur = swap_current(child);
	pcur = swap_current(p);
	if (!expect(close_to(cur, MB(16), SLACK) && pcur == cur,
		    "child %ld, parent %ld, expected 16M", cur, pcur))
		goto cleanup;

	if (!expect(!cg_set_pid(other, "cgroup.procs", w.pid),
		    "cannot move the worker to %s", other))
		goto cleanup;
	if (!expect(!rmdir(child), "rmdir %s: %s", child, strerror(errno)))
		goto cleanup;
	pcur = swap_current(p);
	ocur = swap_current(other);
	ksft_print_msg("rmdir_with_swap: after rmdir: parent %ld, sibling %ld\n",
		       pcur, ocur);
	if (!expect(pcur == cur && ocur == 0,
		    "parent %ld (expected %ld), sibling %ld (expected 0)",
		    pcur, cur, ocur))
		goto cleanup;

	/* New swap goes to the group the worker is in now. */
	region = worker_swap_out(&w, MB(4));
	if (region < 0)
		goto cleanup;
	ocur = swap_current(other);
	pcur = swap_current(p);
	if (!expect(close_to(ocur, MB(4), SLACK / 4) &&
		    pcur == cur + ocur,
		    "sibling %ld (expected 4M), parent %ld (expected %ld)",
		    ocur, pcur, cur + ocur))
		goto cleanup;

	if (worker_read(&w, -1))
		goto cleanup;
	if (!expect(!worker_stop(&w), "the worker failed"))
		goto cleanup;
	pcur = wait_swap_current(p, 0);
	if (!expect(pcur == 0, "parent %ld after the worker exited", pcur))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	worker_kill(&w);
	group_destroy(child);
	group_destroy(other);
	group_destroy(p);
	return ret;
}

/* tmpfs/memfd helpers, run in a child process in a group. */
#define SHMEM_SIZE	MB(16)
#define MEMFD_SIZE	MB(8)

static unsigned char shmem_byte(size_t page)
{
	return page % 253 + 1;
}

static int shmem_fill(int fd, size_t size)
{
	char buf[PAGE_SIZE];
	size_t i;

	for (i = 0; i < size / PAGE_SIZE; i++) {
		memset(buf, shmem_byte(i), sizeof(buf));
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return -1;
	}
	return 0;
}

/* Maps @fd shared, faults it in, pages it out; or with @check, verifies. */
static int shmem_map(int fd, size_t size, bool check)
{
	unsigned char *mem;
	int ret = 0;
	size_t i;

	mem = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED)
		return -1;
	for (i = 0; i < size / PAGE_SIZE; i++) {
		if (mem[i * PAGE_SIZE] != shmem_byte(i) ||
		    mem[i * PAGE_SIZE + PAGE_SIZE - 1] != shmem_byte(i))
			ret = -1;
	}
	if (!check && madvise(mem, size, MADV_PAGEOUT))
		ret = -1;
	munmap(mem, size);
	return ret;
}

static int tmpfs_create(const char *cg, void *arg)
{
	int fd, ret;

	fd = open(arg, O_CREAT | O_EXCL | O_WRONLY, 0600);
	if (fd < 0)
		return 1;
	ret = shmem_fill(fd, SHMEM_SIZE);
	close(fd);
	return ret ? 1 : 0;
}

static int tmpfs_pageout_or_check(const char *arg, bool check)
{
	int fd, ret;

	fd = open(arg, O_RDONLY);
	if (fd < 0)
		return 1;
	ret = shmem_map(fd, SHMEM_SIZE, check);
	close(fd);
	return ret ? 1 : 0;
}

static int tmpfs_pageout(const char *cg, void *arg)
{
	return tmpfs_pageout_or_check(arg, false);
}

static int tmpfs_check(const char *cg, void *arg)
{
	return tmpfs_pageout_or_check(arg, true);
}

/*
 * In group A: create a memfd and fill it; a child moves to group B and
 * pages it out.  The swap must be A's; returns 0 if so.
 */
static int memfd_in_a(const char *a, void *arg)
{
	const char *b = arg;
	long cur_a, cur_b;
	int fd, status;
	pid_t pid;

	fd = memfd_create("swapcg", 0);
	if (fd < 0 || shmem_fill(fd, MEMFD_SIZE))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		if (cg_set(b, "cgroup.procs", "0"))
			_exit(1);
		_exit(shmem_map(fd, MEMFD_SIZE, false) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		ksft_print_msg("memfd: paging out from %s failed\n", b);
		return 1;
	}
	cur_a = swap_current(a);
	cur_b = swap_current(b);
	ksft_print_msg("tmpfs: memfd of A paged out from B: A %ld, B %ld\n",
		       cur_a, cur_b);
	if (!close_to(cur_a, MEMFD_SIZE, SLACK) || cur_b != 0)
		return 1;
	close(fd);
	/* The last reference is gone: so is the swap. */
	cur_a = wait_swap_current(a, 0);
	if (cur_a) {
		ksft_print_msg("memfd closed, A still has %ld\n", cur_a);
		return 1;
	}
	return 0;
}

static int run_in(const char *cg, int (*fn)(const char *cg, void *arg),
		  void *arg)
{
	fflush(stdout);
	return cg_run(cg, fn, arg);
}

/*
 * tmpfs: tmpfs and memfd pages are charged to the group of the task that
 * created the file, whoever pages them out.
 */
static int test_tmpfs(void)
{
	char dir[PATH_MAX], file[PATH_MAX + 16];
	const char *base = getenv("SWAPCG_SCRATCH");
	char *a = NULL, *b = NULL;
	bool mounted = false;
	int ret = KSFT_FAIL;
	long cur_a, cur_b;

	if (!base || access(base, W_OK))
		base = "/tmp";
	snprintf(dir, sizeof(dir), "%s/swapcg_tmpfs.XXXXXX", base);
	if (!expect(mkdtemp(dir), "mkdtemp: %s", strerror(errno)))
		return KSFT_FAIL;
	if (!expect(!mount("swapcg", dir, "tmpfs", 0, "size=64m"),
		    "mount tmpfs on %s: %s", dir, strerror(errno)))
		goto cleanup;
	mounted = true;
	snprintf(file, sizeof(file), "%s/data", dir);

	a = group_create(parent, "tmpfs_a", NULL);
	b = group_create(parent, "tmpfs_b", NULL);
	if (!a || !b)
		goto cleanup;

	if (!expect(!run_in(a, tmpfs_create, file), "cannot create %s", file))
		goto cleanup;
	if (!expect(!run_in(b, tmpfs_pageout, file),
		    "cannot page out %s", file))
		goto cleanup;
	cur_a = swap_current(a);
	cur_b = swap_current(b);
	ksft_print_msg("tmpfs: file of A paged out from B: A %ld, B %ld\n",
		       cur_a, cur_b);
	if (!expect(close_to(cur_a, SHMEM_SIZE, SLACK) && cur_b == 0,
		    "A has %ld (expected 16M), B %ld (expected 0)", cur_a,
		    cur_b))
		goto cleanup;

	/* Reading it back brings the pages in and frees their slots. */
	if (!expect(!run_in(b, tmpfs_check, file), "%s read back wrong", file))
		goto cleanup;
	cur_a = wait_swap_current(a, SLACK);
	if (!expect(cur_a <= SLACK, "A has %ld after reading it all back",
		    cur_a))
		goto cleanup;

	/* Out again, and removing the file uncharges it. */
	if (!expect(!run_in(b, tmpfs_pageout, file),
		    "cannot page out %s", file))
		goto cleanup;
	cur_a = swap_current(a);
	if (!expect(close_to(cur_a, SHMEM_SIZE, SLACK),
		    "A has %ld after the second page-out", cur_a))
		goto cleanup;
	if (!expect(!unlink(file), "unlink %s: %s", file, strerror(errno)))
		goto cleanup;
	cur_a = wait_swap_current(a, 0);
	if (!expect(cur_a == 0, "A has %ld after the file was removed", cur_a))
		goto cleanup;

	if (!expect(!run_in(a, memfd_in_a, b), "memfd pages not charged to A"))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	if (mounted && umount(dir))
		ksft_print_msg("umount %s: %s\n", dir, strerror(errno));
	rmdir(dir);
	group_destroy(a);
	group_destroy(b);
	return ret;
}

/*
 * tmpfs_group_removed: a tmpfs file does not keep the group it was created
 * in: removed, the group is freed while the file lives on, and the file's
 * pages are charged to the group's parent from then on.
 */
static int test_tmpfs_group_removed(void)
{
	char dir[PATH_MAX], file[PATH_MAX + 16];
	const char *base = getenv("SWAPCG_SCRATCH");
	char *p = NULL, *a = NULL, *b = NULL;
	long deadline, cur_p, cur_b;
	int ret = KSFT_FAIL, n0;
	bool mounted = false;

	if (!base || access(base, W_OK))
		base = "/tmp";
	snprintf(dir, sizeof(dir), "%s/swapcg_tmpfs.XXXXXX", base);
	if (!expect(mkdtemp(dir), "mkdtemp: %s", strerror(errno)))
		return KSFT_FAIL;
	if (!expect(!mount("swapcg", dir, "tmpfs", 0, "size=64m"),
		    "mount tmpfs on %s: %s", dir, strerror(errno)))
		goto cleanup;
	mounted = true;
	snprintf(file, sizeof(file), "%s/data", dir);

	p = group_create(parent, "tmpfs_p", "+swap");
	b = group_create(parent, "tmpfs_b", NULL);
	if (!p || !b)
		goto cleanup;
	a = group_create(p, "a", NULL);
	if (!a || !expect(!run_in(a, tmpfs_create, file), "cannot create %s",
			  file))
		goto cleanup;

	n0 = proc_cgroups_num("swap");
	if (group_rmdir(a))
		goto cleanup;
	deadline = now_ms() + SETTLE_MS * 2;
	while (proc_cgroups_num("swap") >= n0 && now_ms() < deadline)
		sleep_ms(100);
	if (!expect(proc_cgroups_num("swap") < n0,
		    "the removed group is not freed (%d swap groups, %d before)",
		    proc_cgroups_num("swap"), n0))
		goto cleanup;

	if (!expect(!run_in(b, tmpfs_pageout, file),
		    "cannot page out %s", file))
		goto cleanup;
	cur_p = swap_current(p);
	cur_b = swap_current(b);
	ksft_print_msg("tmpfs_group_removed: parent %ld, pager %ld\n", cur_p,
		       cur_b);
	if (!expect(close_to(cur_p, SHMEM_SIZE, SLACK) && cur_b == 0,
		    "parent has %ld (expected 16M), pager %ld (expected 0)",
		    cur_p, cur_b))
		goto cleanup;
	if (!expect(!unlink(file), "unlink %s: %s", file, strerror(errno)))
		goto cleanup;
	cur_p = wait_swap_current(p, 0);
	if (!expect(cur_p == 0, "parent has %ld after the file was removed",
		    cur_p))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	if (mounted && umount(dir))
		ksft_print_msg("umount %s: %s\n", dir, strerror(errno));
	rmdir(dir);
	free(a);
	group_destroy(b);
	group_destroy(p);
	return ret;
}

/*
 * swapoff: turning every area off brings the pages back intact and
 * uncharges them; the areas are turned on again with their priorities.
 */
static int test_swapoff(void)
{
	struct swap_area areas[MAX_AREAS], now[MAX_AREAS];
	int ret = KSFT_FAIL, nr, nr_now, nr_off = 0, region, lines, i;
	struct worker w = { 0 };
	long cur, sum;
	char *cg;

	nr = swap_areas(areas, MAX_AREAS);
	cg = group_create(parent, "swapoff", NULL);
	if (!cg || worker_start(&w, cg))
		goto cleanup;
	region = worker_swap_out(&w, MB(16));
	if (region < 0)
		goto cleanup;
	cur = swap_current(cg);
	if (!expect(close_to(cur, MB(16), SLACK), "%ld in swap, expected 16M",
		    cur))
		goto cleanup;
	wait_writeback();

	for (i = 0; i < nr; i++) {
		if (!expect(!swapoff(areas[i].path), "swapoff %s: %s",
			    areas[i].path, strerror(errno)))
			goto cleanup;
		nr_off++;
	}
	cur = swap_current(cg);
	sum = swap_stat_sum(cg, &lines);
	ksft_print_msg("swapoff: all off: swap.current %ld, swap.stat lines %d, VmSwap %ld\n",
		       cur, lines, vmswap(w.pid, w.tid));
	if (!expect(cur == 0 && sum == 0 && lines == 0,
		    "swap.current %ld, swap.stat: %d lines, %ld bytes", cur,
		    lines, sum))
		goto cleanup;
	if (!expect(vmswap(w.pid, w.tid) == 0, "VmSwap %ld",
		    vmswap(w.pid, w.tid)))
		goto cleanup;
	if (worker_read(&w, region))
		goto cleanup;

	nr_off = 0;
	if (!expect(!areas_swapon(areas, nr), "cannot turn swap back on"))
		goto cleanup;
	nr_now = swap_areas(now, MAX_AREAS);
	if (!expect(nr_now == nr, "%d areas after swapon, not %d", nr_now,
		    nr))
		goto cleanup;
	/* A negative priority is the kernel's choice: it cannot be asked for. */
	for (i = 0; i < nr; i++) {
		if (!expect(!strcmp(now[i].path, areas[i].path) &&
			    (now[i].prio == areas[i].prio || areas[i].prio < 0),
			    "area %d is %s (priority %d), was %s (%d)", i,
			    now[i].path, now[i].prio, areas[i].path,
			    areas[i].prio))
			goto cleanup;
	}
	if (!expect(swap_stat_sum(cg, &lines) == 0 && lines == nr,
		    "swap.stat has %d lines after swapon", lines))
		goto cleanup;

	/* Swap works again, and is charged again. */
	if (worker_pageout(&w, region, NULL, 0))
		goto cleanup;
	cur = swap_current(cg);
	if (!expect(close_to(cur, MB(16), SLACK),
		    "%ld in swap after swapon, expected 16M", cur))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	worker_kill(&w);
	if (nr_off && areas_swapon(areas, nr_off))
		ksft_print_msg("swap areas could not be restored\n");
	if (cg) {
		wait_swap_current(cg, 0);
		group_destroy(cg);
	}
	return ret;
}

/* The [selected] mode of THP control file @path, into @mode. */
static int thp_mode(const char *path, char *mode, size_t len)
{
	char buf[256], *lb, *rb;
	int fd;
	ssize_t n;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	lb = strchr(buf, '[');
	rb = lb ? strchr(lb, ']') : NULL;
	if (!rb || (size_t)(rb - lb) > len)
		return -1;
	*rb = '\0';
	snprintf(mode, len, "%s", lb + 1);
	return 0;
}

/* One THP run in a new group with @limit (or none): 0 if all held. */
static int thp_run(const char *name, const char *limit, long limit_bytes)
{
	long cur, swapped, huge, thp0, thp1, fb0, fb1, max_ev = -1, fail_ev = -1;
	long stayed;
	char path[64], *cg;
	struct worker w = { 0 };
	struct watch watch;
	int ret = -1, region;

	cg = group_create(parent, name, NULL);
	if (!cg)
		return -1;
	if (limit && !expect(!cg_set(cg, "swap.max", limit),
			     "cannot set swap.max"))
		goto cleanup;
	if (worker_start(&w, cg))
		goto cleanup;
	region = worker_alloc(&w, MB(32), true);
	if (region < 0)
		goto cleanup;
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", w.pid);
	huge = proc_kb(path, "AnonHugePages");
	if (!expect(huge >= (long)HPAGE_SIZE,
		    "no huge page in the worker (AnonHugePages %ld)", huge))
		goto cleanup;

	watch = (struct watch){ .cg = cg, .limit = limit_bytes };
	thp0 = vmstat_read("thp_swpout");
	fb0 = vmstat_read("thp_swpout_fallback");
	if (worker_pageout(&w, region, &watch, 1))
		goto cleanup;
	thp1 = vmstat_read("thp_swpout");
	fb1 = vmstat_read("thp_swpout_fallback");
	cur = swap_current(cg);
	swapped = vmswap(w.pid, w.tid);
	swap_events(cg, &max_ev, &fail_ev);
	ksft_print_msg("thp: swap.max %s: AnonHugePages %ld, swap.current %ld, VmSwap %ld\n",
		       limit ? limit : "max", huge, cur, swapped);
	ksft_print_msg("thp: thp_swpout +%ld, fallback +%ld, events max %ld fail %ld\n",
		       thp1 - thp0, fb1 - fb0, max_ev, fail_ev);

	if (!watch_ok(&watch, 1))
		goto cleanup;
	if (!expect(cur == swapped, "swap.current %ld, VmSwap %ld", cur,
		    swapped))
		goto cleanup;
	/*
	 * A huge page refused whole is split and tried page by page: only
	 * the pages that stayed in memory count as failures, and not every
	 * one of them need have been tried (see peak_area_limit).
	 */
	stayed = (MB(32) - swapped) / PAGE_SIZE;
	if (!expect(fail_ev <= stayed && (!stayed || fail_ev > 0),
		    "swap.events fail %ld, %ld pages stayed in memory",
		    fail_ev, stayed))
		goto cleanup;
	if (limit) {
		if (!expect(cur <= limit_bytes && cur >= limit_bytes - SLACK,
			    "swap.current %ld with swap.max %s", cur, limit))
			goto cleanup;
		if (!expect(max_ev > 0, "no max event"))
			goto cleanup;
	} else if (!expect(cur == MB(32), "swap.current %ld, expected 32M",
			   cur)) {
		goto cleanup;
	}
	if (worker_finish(&w, region, cg))
		goto cleanup;
	ret = 0;
cleanup:
	worker_kill(&w);
	group_destroy(cg);
	return ret;
}

/*
 * thp: huge pages go to swap whole when they fit (charged page by page),
 * and are refused or split when they do not: the limit holds either way.
 */
static int test_thp(void)
{
	char mode[32];
	int ret = KSFT_FAIL;

	if (access(THP_ENABLED, F_OK))
		return skip("no transparent hugepages (%s)", THP_ENABLED);
	if (!expect(!thp_mode(THP_ENABLED, mode, sizeof(mode)),
		    "cannot read %s", THP_ENABLED))
		return KSFT_FAIL;
	if (!expect(!write_file(THP_ENABLED, "always"),
		    "cannot set %s", THP_ENABLED))
		return KSFT_FAIL;

	if (thp_run("thp", NULL, -1))
		goto cleanup;
	if (thp_run("thp_limit", "3M", MB(3)))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	if (write_file(THP_ENABLED, mode))
		ksft_print_msg("cannot restore %s to %s\n", THP_ENABLED, mode);
	return ret;
}

/* A number from a one-number file such as an mTHP stat: -1 if missing. */
static long file_long(const char *path)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return atol(buf);
}

/* The hugepages-<size>kB/enabled files and their modes, as they were. */
struct thp_sizes {
	int nr;
	char path[MAX_THP_SIZES][128];
	char mode[MAX_THP_SIZES][16];
};

static int thp_sizes_save(struct thp_sizes *ts)
{
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	ts->nr = 0;
	dir = opendir(THP_DIR);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "hugepages-", 10))
			continue;
		if (ts->nr == MAX_THP_SIZES) {
			ret = -1;
			break;
		}
		snprintf(ts->path[ts->nr], sizeof(ts->path[0]), "%s/%.40s/enabled",
			 THP_DIR, de->d_name);
		/* Some sizes are for shmem only (hugepages-8kB). */
		if (access(ts->path[ts->nr], F_OK))
			continue;
		if (thp_mode(ts->path[ts->nr], ts->mode[ts->nr],
			     sizeof(ts->mode[0]))) {
			ret = -1;
			break;
		}
		ts->nr++;
	}
	closedir(dir);
	return ret;
}

/* Each size back to its mode: 0, or -1 if one could not be. */
static int thp_sizes_restore(const struct thp_sizes *ts)
{
	int i, ret = 0;

	for (i = 0; i < ts->nr; i++) {
		if (write_file(ts->path[i], ts->mode[i])) {
			ksft_print_msg("cannot restore %s to %s\n", ts->path[i],
				       ts->mode[i]);
			ret = -1;
		}
	}
	return ret;
}

/* 64 kB folios for anonymous memory, and no other size. */
static int thp_sizes_only_64k(const struct thp_sizes *ts)
{
	const char *mode;
	int i;

	for (i = 0; i < ts->nr; i++) {
		mode = strstr(ts->path[i], "/hugepages-64kB/") ? "always" :
								  "never";
		if (!expect(!write_file(ts->path[i], mode), "cannot set %s to %s",
			    ts->path[i], mode))
			return -1;
	}
	return 0;
}

/*
 * Can @a take a large folio whole?  Only a block device with swap clusters,
 * that is, one that is not rotational.
 */
static bool area_takes_large(const struct swap_area *a)
{
	char path[128], buf[16];
	struct stat st;

	if (stat(a->path, &st) || !S_ISBLK(st.st_mode))
		return false;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/rotational",
		 major(st.st_rdev), minor(st.st_rdev));
	if (read_file(path, buf, sizeof(buf))) {
		/* A partition: the queue is its disk's. */
		snprintf(path, sizeof(path),
			 "/sys/dev/block/%u:%u/../queue/rotational",
			 major(st.st_rdev), minor(st.st_rdev));
		if (read_file(path, buf, sizeof(buf)))
			return false;
	}
	return buf[0] == '0';
}

/* The counters of an mTHP run, before and after. */
struct mthp_counts {
	long fault_alloc;	/* hugepages-64kB/stats: -1 without */
	long swpout;
	long swpout_fallback;
	long pswpout;		/* /proc/vmstat */
	long zswpout;		/* -1 without */
};

static void mthp_counts_read(struct mthp_counts *c)
{
	c->fault_alloc = file_long(MTHP_64K "/stats/anon_fault_alloc");
	c->swpout = file_long(MTHP_64K "/stats/swpout");
	c->swpout_fallback = file_long(MTHP_64K "/stats/swpout_fallback");
	c->pswpout = vmstat_read("pswpout");
	c->zswpout = vmstat_read("zswpout");
}

#define MTHP_SIZE	(64UL << 10)
#define MTHP_REGION	MB(32)
#define MTHP_FOLIOS	(MTHP_REGION / MTHP_SIZE)

/*
 * The checks of an mthp run under a limit of @limit_bytes, swap.max or a cap
 * on @area: @so and @fb are the 64 kB swpout and swpout_fallback deltas, @so
 * -1 if whole folios are not expected.  0 if they hold.
 */
static int mthp_limit_ok(const char *cg, const struct swap_area *area,
			 long limit_bytes, long cur, long swapped, long so,
			 long fb)
{
	long max_ev = -1, fail_ev = -1, stayed, on_area;

	swap_events(cg, &max_ev, &fail_ev);
	/*
	 * A folio is charged whole or refused; refused, it is split and its
	 * pages tried one by one: the limit is reached to the page, never
	 * passed.
	 */
	if (!expect(cur == limit_bytes, "swap.current %ld, expected %ld", cur,
		    limit_bytes))
		return -1;
	if (so >= 0 &&
	    !expect(so >= limit_bytes / (long)MTHP_SIZE && fb > 0,
		    "swpout +%ld, fallback +%ld: expected %ld whole folios and a split",
		    so, fb, limit_bytes / (long)MTHP_SIZE))
		return -1;
	/* Refused pages count as failures, refused folios do not. */
	stayed = (MTHP_REGION - swapped) / PAGE_SIZE;
	if (!expect(fail_ev > 0 && fail_ev <= stayed,
		    "swap.events fail %ld, %ld pages stayed in memory", fail_ev,
		    stayed))
		return -1;
	if (!area)
		return expect(max_ev > 0, "no max event") ? 0 : -1;
	/* The area refused, not swap.max. */
	on_area = area_value(cg, "swap.stat", area->name);
	if (!expect(max_ev == 0 && on_area == cur,
		    "swap.events max %ld, %ld on %s", max_ev, on_area,
		    area->name))
		return -1;
	return 0;
}

/*
 * One mthp run: a worker in a new group fills 32M of 64 kB folios and pages
 * them out.  @max is the group's swap.max, @area (with @cap) its only area
 * and the cap on it, each optional; @limit_bytes what binds, or -1.  With
 * @whole, the area takes large folios whole.  Gives 0 if all held.
 */
static int mthp_run(const char *name, const char *max,
		    const struct swap_area *area, const char *cap,
		    long limit_bytes, bool whole)
{
	long cur, swapped, huge, sum, written, so, fb, max_ev = -1, fail_ev = -1;
	struct mthp_counts c0, c1, c2;
	struct worker w = { 0 };
	struct watch watch;
	int ret = -1, region, lines;
	char path[64], *cg;

	cg = group_create(parent, name, NULL);
	if (!cg)
		return -1;
	if (max && !expect(!cg_set(cg, "swap.max", max), "cannot set swap.max"))
		goto cleanup;
	if (area && !expect(!cg_set(cg, "swap.devices", "default 0") &&
			    !cg_setf(cg, "swap.devices", "%s %s", area->path,
				     cap),
			    "cannot write swap.devices"))
		goto cleanup;
	if (worker_start(&w, cg))
		goto cleanup;
	mthp_counts_read(&c0);
	region = worker_alloc(&w, MTHP_REGION, true);
	if (region < 0)
		goto cleanup;
	mthp_counts_read(&c1);
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", w.pid);
	huge = proc_kb(path, "AnonHugePages");
	if (!expect(huge == 0, "AnonHugePages %ld: PMD-sized THP", huge))
		goto cleanup;
	/* Global, but the worker is all that runs. */
	if (c0.fault_alloc >= 0 &&
	    !expect(c1.fault_alloc - c0.fault_alloc >= (long)MTHP_FOLIOS,
		    "%ld 64 kB folios allocated for %ld",
		    c1.fault_alloc - c0.fault_alloc, (long)MTHP_FOLIOS))
		goto cleanup;

	watch = (struct watch){ .cg = cg, .limit = limit_bytes };
	if (worker_pageout(&w, region, &watch, 1))
		goto cleanup;
	mthp_counts_read(&c2);
	cur = swap_current(cg);
	swapped = vmswap(w.pid, w.tid);
	sum = swap_stat_sum(cg, &lines);
	swap_events(cg, &max_ev, &fail_ev);
	so = c2.swpout - c1.swpout;
	fb = c2.swpout_fallback - c1.swpout_fallback;
	written = (c2.pswpout - c1.pswpout) * PAGE_SIZE;
	if (c2.zswpout >= 0)
		written += (c2.zswpout - c1.zswpout) * PAGE_SIZE;
	ksft_print_msg("%s: max %s, cap %s: current %ld, VmSwap %ld, stat %ld, written %ld\n",
		       name, max ? max : "max", cap ? cap : "none", cur,
		       swapped, sum, written);
	ksft_print_msg("%s: 64kB faults +%ld, swpout +%ld, fallback +%ld, max %ld fail %ld\n",
		       name, c1.fault_alloc - c0.fault_alloc, so, fb, max_ev,
		       fail_ev);

	if (!watch_ok(&watch, 1))
		goto cleanup;
	if (!expect(cur == swapped && sum == cur && written == cur,
		    "swap.current %ld, VmSwap %ld, swap.stat %ld, pswpout+zswpout %ld",
		    cur, swapped, sum, written))
		goto cleanup;
	if (limit_bytes < 0) {
		if (!expect(cur == MTHP_REGION, "swap.current %ld, expected %ld",
			    cur, (long)MTHP_REGION))
			goto cleanup;
		/* Whole folios: each swapped out as one. */
		if (whole && c2.swpout >= 0 &&
		    !expect(so >= (long)MTHP_FOLIOS && fb == 0,
			    "64 kB folios: swpout +%ld, fallback +%ld, expected +%ld, +0",
			    so, fb, (long)MTHP_FOLIOS))
			goto cleanup;
	} else if (mthp_limit_ok(cg, area, limit_bytes, cur, swapped,
				 whole && c2.swpout >= 0 ? so : -1, fb)) {
		goto cleanup;
	}
	if (worker_finish(&w, region, cg))
		goto cleanup;
	ret = 0;
cleanup:
	worker_kill(&w);
	group_destroy(cg);
	return ret;
}

/*
 * mthp: 64 kB folios (mTHP, 6.8 on) go to swap whole and are charged
 * whole: swap.current, VmSwap, swap.stat and the pages written agree.
 * Under a swap.max, or an area cap, that is not a multiple of 64 kB, a
 * folio that does not fit is refused and split, and its pages charged one
 * by one: the usage reaches the limit to the page and never passes it.
 */
static int test_mthp(void)
{
	struct swap_area areas[MAX_AREAS];
	struct thp_sizes ts = { 0 };
	int ret = KSFT_FAIL, nr, top;
	bool whole;

	if (access(MTHP_64K "/enabled", F_OK))
		return skip("no 64 kB mTHP (kernel before 6.8)");
	nr = swap_areas(areas, MAX_AREAS);
	if (nr < 1)
		return skip("no swap area");
	if (!expect(!thp_sizes_save(&ts), "cannot read the THP sizes"))
		return KSFT_FAIL;
	if (thp_sizes_only_64k(&ts))
		goto cleanup;

	/* The pages go to the first area by priority that has room. */
	for (top = 0; top < nr - 1; top++)
		if (areas[top].size - areas[top].used >= 2 * MTHP_REGION)
			break;
	whole = area_takes_large(&areas[top]);
	ksft_print_msg("mthp: %s %s large folios whole\n", areas[top].path,
		       whole ? "takes" : "does not take");
	if (mthp_run("mthp", NULL, NULL, NULL, -1, whole))
		goto cleanup;
	if (mthp_run("mthp_max", "3076K", NULL, NULL, 3076 << 10, whole))
		goto cleanup;
	if (mthp_run("mthp_area", NULL, &areas[top], "2052K", 2052 << 10,
		     whole))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	if (thp_sizes_restore(&ts))
		ret = KSFT_FAIL;
	return ret;
}

/*
 * One zswap run: a worker in a new group (with @max as swap.max, or none)
 * pages out 16M of small pages.  Gives 0 if all held.
 */
static int zswap_run(const char *name, const char *max, long limit_bytes)
{
	long cur, swapped, sum, zsw0, zsw1, pswp0, pswp1, zcur = -1;
	long max_ev = -1, fail_ev = -1;
	struct worker w = { 0 };
	struct watch watch;
	int ret = -1, region, lines;
	char *cg;

	cg = group_create(parent, name, NULL);
	if (!cg)
		return -1;
	if (max && !expect(!cg_set(cg, "swap.max", max), "cannot set swap.max"))
		goto cleanup;
	if (worker_start(&w, cg))
		goto cleanup;
	region = worker_alloc(&w, MB(16), false);
	if (region < 0)
		goto cleanup;
	zsw0 = vmstat_read("zswpout");
	pswp0 = vmstat_read("pswpout");
	watch = (struct watch){ .cg = cg, .limit = limit_bytes };
	if (worker_pageout(&w, region, &watch, 1))
		goto cleanup;
	zsw1 = vmstat_read("zswpout");
	pswp1 = vmstat_read("pswpout");
	cur = swap_current(cg);
	swapped = vmswap(w.pid, w.tid);
	sum = swap_stat_sum(cg, &lines);
	swap_events(cg, &max_ev, &fail_ev);
	if (has_file(cg, "memory.zswap.current"))
		zcur = cg_read_long(cg, "memory.zswap.current");
	ksft_print_msg("%s: max %s: current %ld, VmSwap %ld, stat %ld, zswap.current %ld\n",
		       name, max ? max : "max", cur, swapped, sum, zcur);
	ksft_print_msg("%s: zswpout +%ld, pswpout +%ld, events max %ld fail %ld\n",
		       name, zsw1 - zsw0, pswp1 - pswp0, max_ev, fail_ev);

	if (!watch_ok(&watch, 1))
		goto cleanup;
	/* In zswap, a page keeps its slot, and its charge. */
	if (!expect(cur == swapped && sum == cur && lines > 0,
		    "swap.current %ld, VmSwap %ld, swap.stat %ld", cur, swapped,
		    sum))
		goto cleanup;
	if (zsw0 >= 0 &&
	    !expect((zsw1 - zsw0) * PAGE_SIZE >= cur - SLACK,
		    "zswpout +%ld pages for %ld bytes in swap", zsw1 - zsw0,
		    cur))
		goto cleanup;
	if (zcur >= 0 && !expect(zcur > 0, "memory.zswap.current is 0"))
		goto cleanup;
	if (limit_bytes < 0) {
		if (!expect(close_to(cur, MB(16), SLACK),
			    "swap.current %ld, expected 16M", cur))
			goto cleanup;
	} else if (!expect(cur <= limit_bytes && cur >= limit_bytes - SLACK &&
			   max_ev > 0,
			   "swap.current %ld, max events %ld with swap.max %s",
			   cur, max_ev, max)) {
		goto cleanup;
	}
	if (worker_finish(&w, region, cg))
		goto cleanup;
	ret = 0;
cleanup:
	worker_kill(&w);
	group_destroy(cg);
	return ret;
}

/*
 * zswap: pages that zswap holds keep their swap slot and are charged for
 * it: swap.current is what the worker has "in swap", swap.stat puts it on
 * an area, and swap.max holds as without zswap.
 */
static int test_zswap(void)
{
	char was[8], now[8];
	int ret = KSFT_FAIL;

	if (access(ZSWAP_ENABLED, F_OK))
		return skip("no zswap");
	if (!expect(!read_file(ZSWAP_ENABLED, was, sizeof(was)),
		    "cannot read %s", ZSWAP_ENABLED))
		return KSFT_FAIL;
	was[strcspn(was, "\n")] = '\0';
	if (write_file(ZSWAP_ENABLED, "Y") ||
	    read_file(ZSWAP_ENABLED, now, sizeof(now)) || now[0] != 'Y') {
		write_file(ZSWAP_ENABLED, was);
		return skip("cannot enable zswap");
	}
	if (has_memcg && !expect(!cg_set(parent, "cgroup.subtree_control",
					 "+memory"),
				 "cannot enable the memory controller"))
		goto cleanup;
	if (zswap_run("zswap", NULL, -1))
		goto cleanup;
	if (zswap_run("zswap_limit", "8M", MB(8)))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	if (has_memcg)
		cg_set(parent, "cgroup.subtree_control", "-memory");
	if (write_file(ZSWAP_ENABLED, was)) {
		ksft_print_msg("cannot restore %s to %s\n", ZSWAP_ENABLED, was);
		ret = KSFT_FAIL;
	}
	return ret;
}

/* One page-out with both limits: 0 if the lower one held. */
static int memcg_run(const char *name, const char *mem_swap_max,
		     const char *swap_max, bool ours_binds)
{
	long cur, mcur, mswap_max_ev, max_ev = -1, fail_ev = -1;
	struct worker w = { 0 };
	struct watch watch;
	int ret = -1, region;
	char *cg;

	cg = group_create(parent, name, NULL);
	if (!cg)
		return -1;
	if (!expect(!cg_set(cg, "memory.swap.max", mem_swap_max) &&
		    !cg_set(cg, "swap.max", swap_max), "cannot set the limits"))
		goto cleanup;
	if (worker_start(&w, cg))
		goto cleanup;
	region = worker_alloc(&w, MB(32), false);
	if (region < 0)
		goto cleanup;
	watch = (struct watch){ .cg = cg, .limit = MB(8) };
	if (worker_pageout(&w, region, &watch, 1))
		goto cleanup;
	cur = swap_current(cg);
	mcur = cg_read_long(cg, "memory.swap.current");
	mswap_max_ev = cg_read_key_long(cg, "memory.swap.events", "max ");
	swap_events(cg, &max_ev, &fail_ev);
	ksft_print_msg("memcg: memory.swap.max %s, swap.max %s\n",
		       mem_swap_max, swap_max);
	ksft_print_msg("memcg: swap.current %ld, memory.swap.current %ld\n",
		       cur, mcur);
	ksft_print_msg("memcg: swap.events max %ld fail %ld, memory.swap.events max %ld\n",
		       max_ev, fail_ev, mswap_max_ev);

	if (!watch_ok(&watch, 1))
		goto cleanup;
	if (!expect(cur <= MB(8) && cur >= MB(8) - SLACK,
		    "swap.current %ld, expected 8M", cur))
		goto cleanup;
	/*
	 * Both count the same slots: one that either refused is charged to
	 * neither, not even while it waits in the per-CPU slot cache.  Nor
	 * does swap.peak record a slot that memcg refused.
	 */
	if (!expect(mcur == cur, "memory.swap.current %ld, swap.current %ld",
		    mcur, cur))
		goto cleanup;
	if (!expect(swap_peak(cg) <= MB(8), "swap.peak %ld over the limit",
		    swap_peak(cg)))
		goto cleanup;
	if (ours_binds) {
		if (!expect(max_ev > 0 && mswap_max_ev == 0,
			    "swap.events max %ld, memory.swap.events max %ld",
			    max_ev, mswap_max_ev))
			goto cleanup;
	} else if (!expect(max_ev == 0 && mswap_max_ev > 0,
			   "swap.events max %ld, memory.swap.events max %ld",
			   max_ev, mswap_max_ev)) {
		goto cleanup;
	}
	/* Whichever limit refused it, the swap-out failed for the group. */
	if (!expect(fail_ev > 0, "swap.events fail %ld", fail_ev))
		goto cleanup;
	if (!expect(!worker_stop(&w), "the worker failed"))
		goto cleanup;
	cur = wait_swap_current(cg, 0);
	if (!expect(cur == 0, "swap.current %ld after exit", cur))
		goto cleanup;
	ret = 0;
cleanup:
	worker_kill(&w);
	group_destroy(cg);
	return ret;
}

/* memcg_both_limits: memory.swap.max and swap.max both hold. */
static int test_memcg_both_limits(void)
{
	int ret = KSFT_FAIL;

	if (!has_memcg)
		return skip("no memory controller");
	if (!expect(!cg_set(parent, "cgroup.subtree_control", "+memory"),
		    "cannot enable the memory controller"))
		return KSFT_FAIL;
	if (memcg_run("memcg_binds", "8M", "32M", false))
		goto cleanup;
	if (memcg_run("swapcg_binds", "max", "8M", true))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	cg_set(parent, "cgroup.subtree_control", "-memory");
	return ret;
}

/* Is the area at @path one that swaps in without the swap cache? */
static bool area_is_synchronous(const char *path)
{
	return !strncmp(path, "/dev/zram", 9) ||
	       !strncmp(path, "/dev/pmem", 9);
}

/*
 * swapin_frees_quota: with half or more of swap.max used, a page read back
 * from swap gives up its slot at once, so the quota is usable again.
 *
 * zram-like areas free the slot on every swap-in, bypassing the swap
 * cache: they are turned off here so that the rule itself is tested.
 */
static int test_swapin_frees_quota(void)
{
	struct swap_area areas[MAX_AREAS], off[MAX_AREAS];
	long cur0, cur1, cur2, swapped;
	int ret = KSFT_FAIL, nr, nr_off = 0, region, i;
	struct worker w = { 0 };
	char *cg = NULL;

	nr = swap_areas(areas, MAX_AREAS);
	for (i = 0; i < nr; i++) {
		if (!area_is_synchronous(areas[i].path))
			continue;
		if (!expect(!swapoff(areas[i].path), "swapoff %s: %s",
			    areas[i].path, strerror(errno)))
			goto cleanup;
		off[nr_off++] = areas[i];
	}
	if (nr_off == nr) {
		ret = skip("no swap area that swaps in through the swap cache");
		goto cleanup;
	}

	cg = group_create(parent, "swapin", NULL);
	if (!cg || !expect(!cg_set(cg, "swap.max", "16M"),
			   "cannot set swap.max"))
		goto cleanup;
	if (worker_start(&w, cg))
		goto cleanup;
	region = worker_swap_out(&w, MB(16));
	if (region < 0)
		goto cleanup;
	cur0 = swap_current(cg);
	if (!expect(cur0 <= MB(16) && cur0 >= MB(16) - SLACK,
		    "swap.current %ld, expected 16M", cur0))
		goto cleanup;

	/* Read-only faults keep the slot unless the group is "full". */
	wait_writeback();
	if (worker_read(&w, region))
		goto cleanup;
	cur1 = swap_current(cg);
	swapped = vmswap(w.pid, w.tid);

	region = worker_swap_out(&w, MB(16));
	if (region < 0)
		goto cleanup;
	cur2 = swap_current(cg);
	ksft_print_msg("swapin_frees_quota: paged out %ld, read back %ld (VmSwap %ld)\n",
		       cur0, cur1, swapped);
	ksft_print_msg("swapin_frees_quota: 16M more paged out %ld (VmSwap %ld)\n",
		       cur2, vmswap(w.pid, w.tid));

	if (!expect(swapped <= RSS_LAG, "VmSwap %ld after reading back",
		    swapped))
		goto cleanup;
	if (!expect(cur1 <= MB(8),
		    "swap.current %ld after reading back, expected at most 8M (half of swap.max)",
		    cur1))
		goto cleanup;
	if (!expect(cur2 <= MB(16) && cur2 >= MB(16) - SLACK,
		    "swap.current %ld after the second page-out, expected 16M",
		    cur2))
		goto cleanup;
	if (!expect(vmswap(w.pid, w.tid) >= MB(16) - cur1 - SLACK,
		    "only %ld of the second region went to swap",
		    vmswap(w.pid, w.tid)))
		goto cleanup;
	if (!expect(!worker_stop(&w), "the worker failed"))
		goto cleanup;
	cur0 = wait_swap_current(cg, 0);
	if (!expect(cur0 == 0, "swap.current %ld after exit", cur0))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	worker_kill(&w);
	if (cg) {
		wait_swap_current(cg, 0);
		group_destroy(cg);
	}
	if (nr_off && areas_swapon(off, nr_off))
		ksft_print_msg("swap areas could not be restored\n");
	return ret;
}

static char *find_program(const char *name)
{
	static char path[PATH_MAX];
	const char *env = getenv("PATH");
	char dirs[PATH_MAX], *dir, *save;

	snprintf(dirs, sizeof(dirs), "%s",
		 env ? env : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (!access(path, X_OK))
			return path;
	}
	return NULL;
}

#define STRESS_GROUPS	3
#define STRESS_SECONDS	20

/* Shows what the tasks of @cg are doing, for a test that timed out. */
static void dump_tasks(const char *cg)
{
	char procs[PAGE_SIZE], path[64], buf[512], *tok, *save;
	int fd, n;

	if (cg_read(cg, "cgroup.procs", procs, sizeof(procs)))
		return;
	for (tok = strtok_r(procs, "\n", &save); tok;
	     tok = strtok_r(NULL, "\n", &save)) {
		if (proc_read_text(atoi(tok), false, "stat", buf,
				   sizeof(buf)) > 0)
			ksft_print_msg("%s: %s", cg, buf);
		snprintf(path, sizeof(path), "/proc/%s/stack", tok);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			ksft_print_msg("stack:\n%s", buf);
		}
	}
}

/* Starts stress-ng's vm stressor in @cg: @bytes, kept, for @seconds. */
static pid_t stress_ng_start(const char *stress_ng, const char *cg,
			     const char *bytes, int seconds)
{
	char timeout[16];
	const char *tmp = getenv("SWAPCG_SCRATCH");
	pid_t pid;
	int fd;

	if (!tmp || access(tmp, W_OK))
		tmp = "/tmp";
	fflush(stdout);
	pid = fork();
	if (pid)
		return pid;
	if (cg_set(cg, "cgroup.procs", "0") || chdir(tmp))
		_exit(127);
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	snprintf(timeout, sizeof(timeout), "%ds", seconds);
	execl(stress_ng, "stress-ng", "--temp-path", tmp, "--vm", "1",
	      "--vm-bytes", bytes, "--vm-keep", "--timeout", timeout, NULL);
	_exit(127);
}

/* Waits up to @seconds for @pid: 0 if it exited, -1 (killed) if not. */
static int wait_exit(pid_t pid, int seconds)
{
	long deadline = now_ms() + seconds * 1000L;

	while (waitpid(pid, NULL, WNOHANG) != pid) {
		if (now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
		sleep_ms(100);
	}
	return 0;
}

#define RECLAIM_SECONDS		10
/*
 * Refusals that reclaim_at_limit allows in RECLAIM_SECONDS: reclaim may
 * try a batch of pages when a little room opens, never page after page
 * while there is none (about a million in ten seconds).
 */
#define RECLAIM_MAX_REFUSALS	10000
/*
 * Reclaim decides once per pass whether to scan anonymous pages, and goes
 * on with them for the whole pass when a little room opened as it began:
 * memcg's own memory.swap.max sees bursts of refusals too, rarely many.
 * A run over the bound is decided by the majority of three; the spin that
 * the bound is about shows in every run, a hundred times over.
 */

struct reclaim_result {
	long refused;	/* charges refused by swap.max or memory.swap.max */
	long oom_kills;	/* in the whole machine (/proc/vmstat) */
	long peak;	/* swap.peak */
	long pswpout;
	long ms;	/* how long stress-ng ran */
};

/* Where reclaim_run() puts the load. */
enum reclaim_shape {
	RECLAIM_GROUP,	/* a group with memory.max 32M and the limit */
	RECLAIM_DEEPER,	/* the limit on a child of that group */
	RECLAIM_GLOBAL,	/* a group with the limit only: global reclaim */
};

/*
 * stress-ng with @bytes for RECLAIM_SECONDS in a new group @name shaped as
 * @shape, with @limit_file 4M; for RECLAIM_DEEPER, only the swap controller
 * (and the memory controller for memory.swap.max) is enabled below the
 * group with memory.max.  0 and what happened, or -1.
 */
static int reclaim_run(const char *stress_ng, const char *name,
		       const char *limit_file, enum reclaim_shape shape,
		       const char *bytes, struct reclaim_result *r)
{
	long out0 = vmstat_read("pswpout"), oom0 = vmstat_read("oom_kill");
	bool memcg_limit = !strncmp(limit_file, "memory.", 7);
	char *cg, *child = NULL;
	long max_ev, fail_ev;
	const char *load;
	int ret = -1;
	pid_t pid;

	cg = group_create(parent, name, NULL);
	if (!cg)
		return -1;
	load = cg;
	if (shape == RECLAIM_DEEPER) {
		if (!expect(!cg_set(cg, "cgroup.subtree_control",
				    memcg_limit ? "+swap +memory" : "+swap"),
			    "cannot enable controllers in %s", cg))
			goto cleanup;
		child = group_create(cg, "b", NULL);
		if (!child)
			goto cleanup;
		load = child;
	}
	if (shape != RECLAIM_GLOBAL &&
	    !expect(!cg_set(cg, "memory.max", "32M"), "cannot set memory.max"))
		goto cleanup;
	if (!expect(!cg_set(load, limit_file, "4M"), "cannot set %s",
		    limit_file))
		goto cleanup;
	r->ms = now_ms();
	pid = stress_ng_start(stress_ng, load, bytes, RECLAIM_SECONDS);
	if (pid < 0)
		goto cleanup;
	if (!expect(!wait_exit(pid, RECLAIM_SECONDS + 120),
		    "stress-ng did not finish in time"))
		goto cleanup;
	r->ms = now_ms() - r->ms;
	if (!expect(!swap_events(load, &max_ev, &fail_ev), "no swap.events"))
		goto cleanup;
	r->refused = max_ev;
	if (memcg_limit)
		r->refused += cg_read_key_long(load, "memory.swap.events",
					       "max ");
	r->oom_kills = vmstat_read("oom_kill") - oom0;
	r->peak = swap_peak(load);
	r->pswpout = vmstat_read("pswpout") - out0;
	ksft_print_msg("%s: %s 4M: %ld refused, %ld OOM kills, peak %ld, pswpout +%ld, %ld ms\n",
		       name, limit_file, r->refused, r->oom_kills, r->peak,
		       r->pswpout, r->ms);
	ret = 0;
cleanup:
	group_destroy(child);
	group_destroy(cg);
	return ret;
}

/*
 * Does swap.max, in @ours, hold the group as memory.swap.max does on the
 * same load, in @memcg?  Refusals stay bounded, the run ends on time, and
 * the OOM killer comes no more often.  How often it comes depends on how
 * fast stress-ng refills what it lost, which varies from run to run: a
 * third more, and two, are allowed.  So does how long a run takes under
 * TCG: up to twice memcg's, or ten seconds more, where @timed.  (A reclaim
 * that spins takes longer, and refuses a million times.)
 */
static bool reclaim_like_memcg(const struct reclaim_result *ours,
			       const struct reclaim_result *memcg, bool timed)
{
	return ours->refused <= RECLAIM_MAX_REFUSALS &&
	       (!timed ||
		ours->ms <= memcg->ms + (memcg->ms > 10000 ? memcg->ms : 10000)) &&
	       ours->oom_kills <= memcg->oom_kills + memcg->oom_kills / 3 + 2;
}

/*
 * A child process that fills @size bytes of anonymous memory and sleeps:
 * locked and out of the OOM killer's reach if @locked, else in @cg, cold,
 * for reclaim to swap out.  Its pid, or -1.
 */
static pid_t filler_start(const char *cg, long size, bool locked)
{
	int ready[2];
	char *mem;
	pid_t pid;
	long i, ok;

	if (pipe(ready))
		return -1;
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(ready[0]);
		if (locked ? write_file("/proc/self/oom_score_adj", "-1000") :
			     cg_set(cg, "cgroup.procs", "0"))
			_exit(1);
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED || (locked && mlock(mem, size)))
			_exit(1);
		madvise(mem, size, MADV_NOHUGEPAGE);
		for (i = 0; !locked && i < size; i += PAGE_SIZE)
			memset(mem + i, i / PAGE_SIZE % 251 + 1, 64);
		write_long(ready[1], size);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read_long(ready[0], &ok)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

/*
 * Locks all but @left bytes of the available memory in a child process,
 * which the OOM killer leaves alone: its pid, or -1.
 */
static pid_t hog_start(long left)
{
	long avail = proc_kb("/proc/meminfo", "MemAvailable");
	pid_t pid;

	if (avail < 0 || avail - left < MB(64))
		return -1;
	pid = filler_start(NULL, avail - left, true);
	if (pid > 0)
		ksft_print_msg("hog: %ld of %ld bytes locked\n", avail - left,
			       avail);
	return pid;
}

/*
 * reclaim_global: a group at its swap.max whose memory global reclaim
 * takes back (the rest of memory is locked, there is no memory.max) is
 * spared page after page of refused swap-outs too, and stays within its
 * swap.max.  A worker of the group fills its swap.max first: whether
 * reclaim would ever have chosen the group's pages over others is the
 * LRU's business, not something the controller promises.
 *
 * With the memory controller, reclaim asks about the group through its
 * memcg.  Next to it, a ballast group holds cold memory that reclaim may
 * swap freely, so that the pressure has a way out other than the OOM
 * killer.  (With the group alone, the whole guest thrashed on its page
 * cache until the OOM killer came, for seconds; once the kernel reported
 * an RCU stall there.)
 *
 * Without the memory controller, the group is alone, and reclaim asks each
 * of its folios' group before taking a slot: it passes over them without
 * a refusal once the group is at its limit.
 */
static int test_reclaim_global(void)
{
	long max_ev, fail_ev, peak = 0, oom0, out0;
	int ret = KSFT_FAIL, runs, within;
	struct worker w = { 0 };
	const char *stress_ng;
	pid_t hog, pid, ballast = -1;
	char *cg = NULL, *bcg = NULL;

	stress_ng = find_program("stress-ng");
	if (!stress_ng)
		return skip("no stress-ng");
	hog = hog_start(MB(256));
	if (hog < 0)
		return skip("cannot lock memory away");
	/* A memcg of its own, as when both controllers are enabled alike. */
	if (has_memcg && !expect(!cg_set(parent, "cgroup.subtree_control",
					 "+memory"),
				 "cannot enable the memory controller"))
		goto cleanup;
	cg = group_create(parent, "reclaim_global", NULL);
	if (!cg || !expect(!cg_set(cg, "swap.max", "4M"),
			   "cannot set swap.max"))
		goto cleanup;
	if (worker_start(&w, cg) || worker_swap_out(&w, MB(8)) < 0)
		goto cleanup;
	if (!expect(swap_current(cg) >= MB(4) - SLACK,
		    "swap.current %ld after paging out 8M with swap.max 4M",
		    swap_current(cg)))
		goto cleanup;
	if (has_memcg) {
		bcg = group_create(parent, "reclaim_global_ballast", NULL);
		if (!bcg)
			goto cleanup;
		ballast = filler_start(bcg, MB(192), false);
		if (!expect(ballast > 0, "cannot start the ballast"))
			goto cleanup;
	}
	for (runs = 0, within = 0; runs < 3 && within < 2 &&
	     runs - within < 2; runs++) {
		long max0, fail0;

		if (!expect(!swap_events(cg, &max0, &fail0), "no swap.events"))
			goto cleanup;
		oom0 = vmstat_read("oom_kill");
		out0 = vmstat_read("pswpout");
		pid = stress_ng_start(stress_ng, cg, has_memcg ? "160M" : "320M",
				      RECLAIM_SECONDS);
		if (pid < 0)
			goto cleanup;
		if (!expect(!wait_exit(pid, RECLAIM_SECONDS + 120),
			    "stress-ng did not finish in time"))
			goto cleanup;
		if (!expect(!swap_events(cg, &max_ev, &fail_ev),
			    "no swap.events"))
			goto cleanup;
		max_ev -= max0;
		peak = swap_peak(cg);
		ksft_print_msg("reclaim_global: %ld refused, %ld OOM kills, swap.peak %ld\n",
			       max_ev, vmstat_read("oom_kill") - oom0, peak);
		ksft_print_msg("reclaim_global: pswpout +%ld, ballast VmSwap %ld\n",
			       vmstat_read("pswpout") - out0,
			       ballast > 0 ? vmswap(ballast, ballast) : 0);
		within += max_ev <= RECLAIM_MAX_REFUSALS;
		if (!runs && within)
			break;
	}
	if (!expect(within > runs / 2,
		    "more than %d refused charges in %ds in %d of %d runs",
		    RECLAIM_MAX_REFUSALS, RECLAIM_SECONDS, runs - within, runs))
		goto cleanup;
	if (!expect(peak <= MB(4), "swap.peak %ld with swap.max 4M", peak))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	if (ballast > 0) {
		kill(ballast, SIGKILL);
		waitpid(ballast, NULL, 0);
	}
	worker_kill(&w);
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	group_destroy(cg);
	group_destroy(bcg);
	if (has_memcg)
		cg_set(parent, "cgroup.subtree_control", "-memory");
	return ret;
}

/* Did the load of @r press memory: did anything go to swap, or get killed? */
static bool reclaim_pressed(const struct reclaim_result *r)
{
	return r->oom_kills > 0 || r->pswpout > 0;
}

#define RECLAIM_TRIES	5

/*
 * Runs @bytes of stress-ng shaped as @shape once with swap.max 4M and once
 * with memory.swap.max 4M, until most rounds hold the group as memcg does
 * (reclaim_like_memcg()), with swap.peak within swap.max.  A round counts
 * only if both runs pressed memory: how far stress-ng gets before the
 * OOM killer or the clock stops it varies, and a run that swapped nothing
 * and met no OOM killer says nothing either way.  The group reaches swap
 * in at least one counted round.  Under global reclaim, a hog leaves 256M,
 * and the group with swap.max has no memcg of its own.  KSFT_PASS,
 * KSFT_FAIL or a skip.
 */
static int reclaim_versus_memcg(const char *what, enum reclaim_shape shape,
				const char *bytes)
{
	int ret = KSFT_FAIL, tries, runs = 0, within = 0;
	struct reclaim_result ours, memcg;
	char ours_name[32], memcg_name[32];
	const char *stress_ng;
	long peak = 0;
	pid_t hog = -1;

	if (!has_memcg)
		return skip("no memory controller (reclaim_global covers global reclaim)");
	stress_ng = find_program("stress-ng");
	if (!stress_ng)
		return skip("no stress-ng");
	if (shape == RECLAIM_GLOBAL) {
		hog = hog_start(MB(256));
		if (hog < 0)
			return skip("cannot lock memory away");
	}
	snprintf(ours_name, sizeof(ours_name), "%s_swapcg", what);
	snprintf(memcg_name, sizeof(memcg_name), "%s_memcg", what);
	for (tries = 0; tries < RECLAIM_TRIES && runs < 3 && within < 2 &&
	     runs - within < 2; tries++) {
		if (shape != RECLAIM_GLOBAL &&
		    !expect(!cg_set(parent, "cgroup.subtree_control", "+memory"),
			    "cannot enable the memory controller"))
			goto cleanup;
		if (reclaim_run(stress_ng, ours_name, "swap.max", shape, bytes,
				&ours))
			goto cleanup;
		if (!expect(!cg_set(parent, "cgroup.subtree_control", "+memory"),
			    "cannot enable the memory controller"))
			goto cleanup;
		if (reclaim_run(stress_ng, memcg_name, "memory.swap.max", shape,
				bytes, &memcg))
			goto cleanup;
		cg_set(parent, "cgroup.subtree_control", "-memory");
		if (!expect(ours.peak <= MB(4), "swap.peak %ld with swap.max 4M",
			    ours.peak))
			goto cleanup;
		if (!reclaim_pressed(&ours) || !reclaim_pressed(&memcg)) {
			ksft_print_msg("%s: a run did not press memory, not counted\n",
				       what);
			continue;
		}
		/*
		 * Under global reclaim, the group's pages share the LRU with
		 * everyone's: reclaim passes over them one by one where memcg
		 * skips a whole memcg, and on a busy host takes seconds more
		 * to reach the OOM killer (20 s idle, up to 88 s loaded,
		 * against memcg's 14 to 17 s).  Not timed there.
		 */
		within += reclaim_like_memcg(&ours, &memcg,
					     shape != RECLAIM_GLOBAL);
		peak = ours.peak > peak ? ours.peak : peak;
		if (!runs++ && within && peak)
			break;
	}
	if (!expect(runs, "the load did not press memory in %d rounds", tries))
		goto cleanup;
	if (!expect(within > runs / 2,
		    "swap.max unlike memory.swap.max in %d of %d rounds (at most %d refusals, as long, as many OOM kills)",
		    runs - within, runs, RECLAIM_MAX_REFUSALS))
		goto cleanup;
	if (!expect(peak > 0, "the group never reached swap with swap.max 4M"))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	cg_set(parent, "cgroup.subtree_control", "-memory");
	reap(hog);
	return ret;
}

/*
 * reclaim_at_limit: a group at its swap.max under memory.max pressure, as
 * stress-ng makes it, is reclaimed like one at memory.swap.max: reclaim
 * sees that the group has no swap left and does not try its anonymous
 * pages one by one, and the group meets the OOM killer as memcg's does.
 */
static int test_reclaim_at_limit(void)
{
	return reclaim_versus_memcg("reclaim", RECLAIM_GROUP, "40M");
}

/*
 * reclaim_deeper: +swap enabled one level deeper than +memory.  Reclaim of
 * the memcg with memory.max asks the swap group of its own cgroup, which has
 * no limit: the limit is on the child, and the folio's own group has to
 * answer.
 */
static int test_reclaim_deeper(void)
{
	return reclaim_versus_memcg("deeper", RECLAIM_DEEPER, "40M");
}

/*
 * reclaim_swap_only: a memcg kernel where only +swap is enabled below the
 * test's group, as a distribution kernel runs the swap controller without
 * the memory controller.  Global reclaim scans the memcg of the test's
 * group, whose swap group has no limit, while a group with swap.max 4M runs
 * 480M of stress-ng in the 256M that a hog leaves.
 */
static int test_reclaim_swap_only(void)
{
	return reclaim_versus_memcg("swap_only", RECLAIM_GLOBAL, "480M");
}

/*
 * reclaim_moved: a task that moved.  Its pages stay charged to the memcg it
 * left, whose swap group has no limit, while their swap group is now the
 * one it joined, with swap.max 4M.  Lowering memory.max of the group it
 * left makes reclaim of that memcg take back 32M: it asks each folio's own
 * group, and passes over what does not fit rather than being refused folio
 * after folio.  The task's VmSwap, a witness the controller does not keep,
 * stays within the 4M (but for a few pages it shares, copy-on-write, with
 * the test, which are the test's to swap); the group does reach it.
 */
static int test_reclaim_moved(void)
{
	long max_ev, fail_ev, swapped, ms;
	char *from = NULL, *to = NULL;
	int ret = KSFT_FAIL;
	pid_t pid = -1;

	if (!has_memcg)
		return skip("no memory controller");
	if (!expect(!cg_set(parent, "cgroup.subtree_control", "+memory"),
		    "cannot enable the memory controller"))
		return KSFT_FAIL;
	from = group_create(parent, "moved_from", NULL);
	to = group_create(parent, "moved_to", NULL);
	if (!from || !to ||
	    !expect(!cg_set(to, "swap.max", "4M"), "cannot set swap.max"))
		goto cleanup;
	pid = filler_start(from, MB(48), false);
	if (!expect(pid > 0, "cannot fill 48M in %s", from) ||
	    !expect(!cg_set_pid(to, "cgroup.procs", pid),
		    "cannot move %d to %s", pid, to))
		goto cleanup;
	ms = now_ms();
	cg_set(from, "memory.max", "16M");
	ms = now_ms() - ms;
	swapped = vmswap(pid, pid);
	if (!expect(!swap_events(to, &max_ev, &fail_ev), "no swap.events"))
		goto cleanup;
	ksft_print_msg("reclaim_moved: %ld refused, %ld ms, VmSwap %ld, swap.peak %ld\n",
		       max_ev, ms, swapped, swap_peak(to));
	if (!expect(max_ev <= RECLAIM_MAX_REFUSALS,
		    "%ld refused charges, more than %d", max_ev,
		    RECLAIM_MAX_REFUSALS) ||
	    !expect(swapped <= MB(4) + SLACK, "VmSwap %ld with swap.max 4M",
		    swapped) ||
	    !expect(swap_peak(to) <= MB(4), "swap.peak %ld with swap.max 4M",
		    swap_peak(to)) ||
	    !expect(swapped > 0, "the group never reached swap with swap.max 4M"))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	reap(pid);
	group_destroy(to);
	group_destroy(from);
	cg_set(parent, "cgroup.subtree_control", "-memory");
	return ret;
}

#define OTHERS_ROUNDS	3

/*
 * reclaim_others: no group may stop reclaim for the others.  A group with
 * swap.max 0 holds 160M of the 384M that a hog leaves; a process of the
 * root group then needs 352M, which fits only if some of it goes to swap,
 * and swap is free.  In each of three rounds, no task is OOM-killed and
 * the root process's pages reach swap (its VmSwap); the group's stay out
 * (but for a few pages that its process shares, copy-on-write, with the
 * test, which are the test's to swap).
 */
static int test_reclaim_others(void)
{
	pid_t hog, held = -1, needy;
	int ret = KSFT_FAIL, round;
	long oom0, swapped;
	char *cg = NULL;

	hog = hog_start(MB(384));
	if (hog < 0)
		return skip("cannot lock memory away");
	cg = group_create(parent, "others_held", NULL);
	if (!cg || !expect(!cg_set(cg, "swap.max", "0"), "cannot set swap.max"))
		goto cleanup;
	held = filler_start(cg, MB(160), false);
	if (!expect(held > 0, "cannot fill the group"))
		goto cleanup;
	for (round = 1; round <= OTHERS_ROUNDS; round++) {
		oom0 = vmstat_read("oom_kill");
		needy = filler_start(root, MB(352), false);
		swapped = needy > 0 ? vmswap(needy, needy) : -1;
		reap(needy);
		ksft_print_msg("reclaim_others %d: %s, VmSwap %ld, %ld OOM kills, group's %ld\n",
			       round, needy > 0 ? "filled" : "failed", swapped,
			       vmstat_read("oom_kill") - oom0,
			       vmswap(held, held));
		if (!expect(vmstat_read("oom_kill") == oom0,
			    "round %d: OOM kill with swap free", round))
			goto cleanup;
		if (!expect(needy > 0 && swapped > 0,
			    "round %d: the root process's pages did not reach swap",
			    round))
			goto cleanup;
		if (!expect(vmswap(held, held) < MB(1),
			    "round %d: VmSwap %ld in a group with swap.max 0",
			    round, vmswap(held, held)))
			goto cleanup;
	}
	ret = KSFT_PASS;
cleanup:
	reap(held);
	reap(hog);
	group_destroy(cg);
	return ret;
}

/*
 * stress: three groups with swap.max 8M, 16M and max swap at once, under
 * stress-ng in a memory.max=48M group when the memory controller exists,
 * else under page-out loops: no group ever goes over its limit.
 */
static int test_stress(void)
{
	static const char * const limits[STRESS_GROUPS] = { "8M", "16M", "max" };
	static const long limit_bytes[STRESS_GROUPS] = { MB(8), MB(16), -1 };
	struct worker w[STRESS_GROUPS] = { { 0 } };
	pid_t pids[STRESS_GROUPS] = { 0 };
	char *cg[STRESS_GROUPS] = { NULL };
	struct watch watch[STRESS_GROUPS];
	const char *stress_ng = NULL;
	int ret = KSFT_FAIL, i, status, running, rounds = 0;
	long start, deadline, out0, cur;
	bool memcg_on = false;
	char name[32];

	if (has_memcg) {
		stress_ng = find_program("stress-ng");
		if (stress_ng) {
			if (!expect(!cg_set(parent, "cgroup.subtree_control",
					    "+memory"),
				    "cannot enable the memory controller"))
				return KSFT_FAIL;
			memcg_on = true;
		}
	}

	for (i = 0; i < STRESS_GROUPS; i++) {
		snprintf(name, sizeof(name), "stress_%s", limits[i]);
		cg[i] = group_create(parent, name, NULL);
		if (!cg[i] || !expect(!cg_set(cg[i], "swap.max", limits[i]),
				      "cannot set swap.max"))
			goto cleanup;
		if (memcg_on && !expect(!cg_set(cg[i], "memory.max", "48M"),
					"cannot set memory.max"))
			goto cleanup;
		watch[i] = (struct watch){ .cg = cg[i], .limit = limit_bytes[i] };
	}

	out0 = vmstat_read("pswpout");
	if (stress_ng) {
		ksft_print_msg("stress: %s in memory.max=48M groups\n",
			       stress_ng);
		for (i = 0; i < STRESS_GROUPS; i++) {
			pids[i] = stress_ng_start(stress_ng, cg[i], "96M",
						  STRESS_SECONDS);
			if (pids[i] < 0)
				goto cleanup;
		}
		start = now_ms();
		deadline = start + (STRESS_SECONDS + 100) * 1000;
		for (running = STRESS_GROUPS; running && now_ms() < deadline;) {
			watch_sample(watch, STRESS_GROUPS);
			sleep_ms(200);
			for (i = 0; i < STRESS_GROUPS; i++) {
				if (pids[i] <= 0 ||
				    waitpid(pids[i], &status, WNOHANG) != pids[i])
					continue;
				pids[i] = 0;
				running--;
				if (!expect(WIFEXITED(status) &&
					    !WEXITSTATUS(status),
					    "stress-ng in %s: status %#x",
					    cg[i], status))
					goto cleanup;
			}
		}
		if (!running)
			ksft_print_msg("stress: stress-ng ran for %lds\n",
				       (now_ms() - start) / 1000);
		if (!expect(!running, "stress-ng did not finish in time")) {
			for (i = 0; i < STRESS_GROUPS; i++)
				dump_tasks(cg[i]);
			goto cleanup;
		}
	} else {
		ksft_print_msg("stress: page-out loops%s\n",
			       has_memcg ? " (no stress-ng)" : "");
		for (i = 0; i < STRESS_GROUPS; i++) {
			if (worker_start(&w[i], cg[i]) ||
			    worker_alloc(&w[i], MB(32), false) < 0)
				goto cleanup;
		}
		deadline = now_ms() + STRESS_SECONDS * 1000 / 2;
		while (now_ms() < deadline) {
			for (i = 0; i < STRESS_GROUPS; i++)
				if (worker_send(&w[i], OP_PAGEOUT, -1, 0))
					goto cleanup;
			for (i = 0; i < STRESS_GROUPS; i++)
				if (!expect(worker_wait(&w[i], watch,
							STRESS_GROUPS) == 0,
					    "page-out failed in %s", cg[i]))
					goto cleanup;
			for (i = 0; i < STRESS_GROUPS; i++)
				if (worker_send(&w[i], OP_READ, -1, 0))
					goto cleanup;
			for (i = 0; i < STRESS_GROUPS; i++)
				if (!expect(worker_wait(&w[i], watch,
							STRESS_GROUPS) == 0,
					    "bad data read back in %s", cg[i]))
					goto cleanup;
			rounds++;
		}
		for (i = 0; i < STRESS_GROUPS; i++)
			if (!expect(!worker_stop(&w[i]), "a worker failed"))
				goto cleanup;
	}

	ksft_print_msg("stress: highest swap.current: %ld, %ld, %ld (%d samples)\n",
		       watch[0].peak, watch[1].peak, watch[2].peak,
		       watch[0].samples);
	ksft_print_msg("stress: %d page-out rounds, pswpout +%ld\n",
		       rounds, vmstat_read("pswpout") - out0);
	if (!watch_ok(watch, STRESS_GROUPS))
		goto cleanup;
	for (i = 0; i < STRESS_GROUPS; i++) {
		if (!expect(watch[i].peak > 0 && swap_peak(cg[i]) > 0,
			    "%s never swapped", cg[i]))
			goto cleanup;
		cur = wait_swap_current(cg[i], 0);
		if (cur && memcg_on) {
			/*
			 * A page that was locked by reclaim when its task
			 * exited stays in the swap cache, and keeps its slot,
			 * until reclaim comes back for it.
			 */
			ksft_print_msg("%s: %ld left in swap after the end: reclaiming\n",
				       cg[i], cur);
			cg_set(cg[i], "memory.reclaim", "64M");
			cur = wait_swap_current(cg[i], 0);
		}
		if (!expect(cur == 0, "%s: swap.current %ld after the end",
			    cg[i], cur))
			goto cleanup;
	}

	ret = KSFT_PASS;
cleanup:
	for (i = 0; i < STRESS_GROUPS; i++) {
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
		worker_kill(&w[i]);
	}
	for (i = 0; i < STRESS_GROUPS; i++)
		group_destroy(cg[i]);
	if (memcg_on)
		cg_set(parent, "cgroup.subtree_control", "-memory");
	return ret;
}

/*
 * v1: with the controller free on cgroup v2, it mounts on a v1 hierarchy
 * with the same files, and its limit holds there.
 */
static int test_v1(void)
{
	char dir[] = "/tmp/swapcg_v1.XXXXXX", *g = NULL;
	bool mounted = true;	/* from the first goto on */
	struct worker w = { 0 };
	long deadline, cur, swapped, max_ev = -1, fail_ev = -1;
	struct watch watch;
	int ret = KSFT_FAIL, region, err, i;

	/* Free the controller: no group of ours may use it on v2. */
	err = v2_let_go("swap");
	if (err)
		return skip("swap is in use on cgroup v2 (%s)", strerror(-err));
	err = v1_mount(dir, "swap");
	if (err == EBUSY) {
		char stat[256] = "";

		cg_read(root, "cgroup.stat", stat, sizeof(stat));
		ksft_print_msg("%s/cgroup.stat (the hierarchy of swap has %d groups):\n%s",
			       root, proc_cgroups_num("swap"), stat);
		return skip("mount -t cgroup -o swap: %s", strerror(err));
	}
	if (!expect(!err, "mount -t cgroup -o swap: %s", strerror(err)))
		return KSFT_FAIL;

	for (i = 0; i < ARRAY_SIZE(swap_files); i++)
		if (!expect(!has_file(dir, swap_files[i]),
			    "the v1 root has %s", swap_files[i]))
			goto cleanup;
	g = cg_name(dir, "g");
	if (!expect(!mkdir(g, 0755), "mkdir %s: %s", g, strerror(errno)))
		goto cleanup;
	for (i = 0; i < ARRAY_SIZE(swap_files); i++)
		if (!expect(has_file(g, swap_files[i]), "%s/%s is missing", g,
			    swap_files[i]))
			goto cleanup;
	if (!file_is(g, "swap.max", "max\n") ||
	    !file_is(g, "swap.current", "0\n") ||
	    !file_is(g, "swap.events", "max 0\nfail 0\n"))
		goto cleanup;
	if (!expect(!cg_set(g, "swap.max", "8M") &&
		    file_is(g, "swap.max", "8388608\n"), "cannot set swap.max"))
		goto cleanup;
	if (!expect(cg_set(g, "swap.max", "8MB") == -EINVAL,
		    "a bad value was not refused"))
		goto cleanup;

	if (worker_start(&w, g))
		goto cleanup;
	region = worker_alloc(&w, MB(32), false);
	watch = (struct watch){ .cg = g, .limit = MB(8) };
	if (region < 0 || worker_pageout(&w, region, &watch, 1))
		goto cleanup;
	cur = swap_current(g);
	swapped = vmswap(w.pid, w.tid);
	swap_events(g, &max_ev, &fail_ev);
	ksft_print_msg("v1: swap.current %ld, VmSwap %ld, events max %ld fail %ld\n",
		       cur, swapped, max_ev, fail_ev);
	if (!watch_ok(&watch, 1))
		goto cleanup;
	if (!expect(cur <= MB(8) && cur >= MB(8) - SLACK &&
		    close_to(cur, swapped, SLACK),
		    "swap.current %ld, VmSwap %ld, expected 8M", cur, swapped))
		goto cleanup;
	if (!expect(max_ev > 0 && fail_ev > 0, "swap.events: max %ld fail %ld",
		    max_ev, fail_ev))
		goto cleanup;
	if (!expect(!worker_stop(&w), "the worker failed"))
		goto cleanup;
	cur = wait_swap_current(g, 0);
	if (!expect(cur == 0, "swap.current %ld after exit", cur))
		goto cleanup;

	/*
	 * Unmounted without groups, the hierarchy goes away and gives the
	 * controller back to v2; a group that is not freed yet keeps it.
	 */
	if (!expect(!group_rmdir(g), "cannot remove %s", g))
		goto cleanup;
	if (!expect(wait_hierarchy_empty("swap"),
		    "the v1 hierarchy still has %d groups after rmdir",
		    proc_cgroups_num("swap")))
		goto cleanup;
	if (!expect(!umount(dir), "umount %s: %s", dir, strerror(errno)))
		goto cleanup;
	mounted = false;
	deadline = now_ms() + SETTLE_MS;
	while (!has_word(root, "cgroup.controllers", "swap") &&
	       now_ms() < deadline)
		sleep_ms(50);
	if (!expect(has_word(root, "cgroup.controllers", "swap"),
		    "the controller did not come back to cgroup v2"))
		goto cleanup;

	ret = KSFT_PASS;
cleanup:
	worker_kill(&w);
	group_destroy(g);
	if (mounted)
		v1_umount(dir, "swap");
	else
		rmdir(dir);
	return ret;
}

/*
 * v1_split: cgroup v1 with the memory and swap controllers on hierarchies
 * of their own, as v1 hosts mount them.  stress-ng runs in a memory group
 * with memory.limit_in_bytes 32M and a swap group with swap.max 4M.
 * Reclaim of the memcg asks the swap controller about the memcg's cgroup,
 * which is in another hierarchy: the folio's own group has to answer.  At
 * most RECLAIM_MAX_REFUSALS refusals, and swap.peak within swap.max.
 */
static int test_v1_split(void)
{
	char mdir[] = "/tmp/swapcg_v1m.XXXXXX", sdir[] = "/tmp/swapcg_v1s.XXXXXX";
	char *mg = NULL, *sg = NULL, self[32];
	bool m_on = false, s_on = false;
	long max_ev = -1, fail_ev = -1, peak, oom0, deadline;
	int ret = KSFT_FAIL, err;
	const char *stress_ng;
	pid_t pid;

	if (!has_memcg)
		return skip("no memory controller");
	stress_ng = find_program("stress-ng");
	if (!stress_ng)
		return skip("no stress-ng");
	/* Free both controllers on cgroup v2, as v1 asks. */
	if (v2_let_go("swap") || v2_let_go("memory"))
		return skip("a controller is in use on cgroup v2");
	err = v1_mount(mdir, "memory");
	if (err == ENOENT || err == EINVAL)
		return skip("no v1 memory controller (CONFIG_MEMCG_V1)");
	/* Removed memcgs that pages still pin keep it on v2 for a while. */
	if (err == EBUSY)
		return skip("the memory controller is still in use on cgroup v2 (%d memcgs)",
			    proc_cgroups_num("memory"));
	if (!expect(!err, "mount -t cgroup -o memory: %s", strerror(err)))
		return KSFT_FAIL;
	m_on = true;
	err = v1_mount(sdir, "swap");
	if (!expect(!err, "mount -t cgroup -o swap: %s", strerror(err)))
		goto cleanup;
	s_on = true;
	mg = cg_name(mdir, "g");
	sg = cg_name(sdir, "g");
	if (!expect(!mkdir(mg, 0755) && !mkdir(sg, 0755), "mkdir: %s",
		    strerror(errno)) ||
	    !expect(!cg_set(mg, "memory.limit_in_bytes", "32M") &&
		    !cg_set(sg, "swap.max", "4M"), "cannot set the limits"))
		goto cleanup;

	/* stress-ng starts in the memory group and moves to the swap group. */
	snprintf(self, sizeof(self), "%d", getpid());
	if (!expect(!cg_set(mg, "cgroup.procs", self), "cannot join %s", mg))
		goto cleanup;
	oom0 = vmstat_read("oom_kill");
	pid = stress_ng_start(stress_ng, sg, "40M", RECLAIM_SECONDS);
	cg_set(mdir, "cgroup.procs", self);
	if (pid < 0)
		goto cleanup;
	deadline = now_ms();
	if (!expect(!wait_exit(pid, RECLAIM_SECONDS + 120),
		    "stress-ng did not finish in time"))
		goto cleanup;
	swap_events(sg, &max_ev, &fail_ev);
	peak = cg_read_long(sg, "swap.peak");
	ksft_print_msg("v1_split: %ld refused, %ld OOM kills, swap.peak %ld, %ld ms\n",
		       max_ev, vmstat_read("oom_kill") - oom0, peak,
		       now_ms() - deadline);
	if (!expect(max_ev >= 0 && max_ev <= RECLAIM_MAX_REFUSALS,
		    "%ld refused charges in %ds", max_ev, RECLAIM_SECONDS) ||
	    !expect(peak > 0 && peak <= MB(4), "swap.peak %ld with swap.max 4M",
		    peak))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	if (mg) {
		group_rmdir(mg);
		free(mg);
	}
	if (sg) {
		group_rmdir(sg);
		free(sg);
	}
	if (s_on)
		v1_umount(sdir, "swap");
	if (m_on)
		v1_umount(mdir, "memory");
	/* Both come back to cgroup v2 once their hierarchies are gone. */
	deadline = now_ms() + 10000;
	while ((!has_word(root, "cgroup.controllers", "memory") ||
		!has_word(root, "cgroup.controllers", "swap")) &&
	       now_ms() < deadline)
		sleep_ms(100);
	if (root_had_memory)
		cg_set(root, "cgroup.subtree_control", "+memory");
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
	T(owner_thread),
	T(fork_cow),
	T(rmdir_with_swap),
	T(tmpfs),
	T(tmpfs_group_removed),
	T(swapoff),
	T(thp),
	T(mthp),
	T(zswap),
	T(memcg_both_limits),
	T(swapin_frees_quota),
	T(stress),
	T(reclaim_at_limit),
	T(reclaim_deeper),
	T(reclaim_swap_only),
	T(reclaim_moved),
	T(reclaim_others),
	T(reclaim_global),
	T(trace),
	T(v1),		/* these two last: they take controllers off v2 */
	T(v1_split),
};

#undef T

SWAPCG_MAIN(.group = "swapcg_test", .memory = true)
