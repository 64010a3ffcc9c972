// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the swap cgroup controller next to the memory controller and
 * the swap paths of large folios and zswap: the stricter of swap.max and
 * memory.swap.max holds, a THP or multi-size THP folio is charged whole
 * or split and charged page by page, pages that zswap holds stay charged,
 * and a page read back gives its quota back.  Workers and groups as in
 * test_swapcg.c.
 *
 * Usage: test_swapcg_memcg [TEST...]: runs the named tests only, if any
 * are named.
 */

#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

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

#define T(x) { test_ ## x, #x }
static const struct swapcg_test tests[] = {
	T(thp),
	T(mthp),
	T(zswap),
	T(memcg_both_limits),
	T(swapin_frees_quota),
};

#undef T

SWAPCG_MAIN(.group = "swapcg_test", .memory = true)
