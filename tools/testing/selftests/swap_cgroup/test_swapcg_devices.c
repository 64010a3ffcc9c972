// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for swap.devices of the swap cgroup controller: which swap areas
 * the pages of a group may be swapped out to.
 *
 * swap.devices holds a default ("max" or "0") and one rule per area, at
 * most 64, named by a path or MAJ:MIN: "max" allows the area, "0" forbids
 * it, a size of at least a page caps what the group and its descendants may
 * hold on it.  A rewritten rule keeps its place.  A child can only narrow
 * what its ancestors allow.  swap.devices.effective shows, for every
 * active area, what applies to the group; swap.stat shows where its pages
 * are.
 *
 * Swap-out is made deterministic with MADV_PAGEOUT: a worker process, placed
 * in a group, fills anonymous memory (small pages only) with non-zero data
 * and pages it out on command.  The areas are taken from /proc/swaps by
 * priority: the highest three are called hi, mid and lo below.  All groups
 * live under one parent group; each test removes its own groups and turns
 * back on any area it turned off.
 *
 * Usage: test_swapcg_devices [TEST...]: runs the named tests only, if any
 * are named.
 */

#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/types.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "../kselftest.h"
#include "swapcg_util.h"
#include "swapcg_worker.h"

#define MAX_AREAS		8
#define MAX_RULES		64	/* the most rules a group holds */

/* What other activity may change in /proc/swaps meanwhile. */
#define NOISE			(64 * PAGE_SIZE)

#define SAMPLE_MS		100
#define CHURN_MS		10000

#define SWAPFILE_SIZE		MB(64)
#define SWAPFILE_PRIO		30

/* The active areas, highest priority first. */
struct swaps {
	int nr;
	struct swap_area area[MAX_AREAS];
};

static struct swaps base;	/* the areas at the start */
static const struct swap_area *hi, *mid, *lo;

/* Writes one line to swap.devices of @cg: 0 or -errno. */
static int devices_write(const char *cg, const char *fmt, ...)
{
	char line[PATH_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	return cg_set(cg, "swap.devices", line);
}

/* Writes @len bytes of @buf, NULs and all, to @file of @cg: 0 or -errno. */
static int write_bytes(const char *cg, const char *file, const char *buf,
		       size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return write_buf(path, buf, len);
}

/* Writes a line that must be taken; reports it otherwise. */
static bool set_rule(const char *cg, const char *fmt, ...)
{
	char line[PATH_MAX + 64];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	err = devices_write(cg, "%s", line);
	return expect(!err, "%s/swap.devices: writing \"%s\": %s", cg, line,
		      strerror(-err));
}

static long swap_fail(const char *cg)
{
	return cg_read_key_long(cg, "swap.events", "fail ");
}

/* Reads /proc/swaps into @sw, highest priority first: 0 or -1. */
static int swaps_read(struct swaps *sw)
{
	sw->nr = swap_areas(sw->area, MAX_AREAS);
	if (sw->nr < 0) {
		sw->nr = 0;
		return -1;
	}
	return 0;
}

/* The index of @a (matched by path) in @sw, or -1. */
static int area_index(const struct swaps *sw, const struct swap_area *a)
{
	int i;

	for (i = 0; i < sw->nr; i++)
		if (!strcmp(sw->area[i].path, a->path))
			return i;
	return -1;
}

/* Turns back on any area of @base that is off. */
static void areas_restore(void)
{
	struct swaps now;
	int i;

	if (swaps_read(&now))
		return;
	for (i = 0; i < base.nr; i++) {
		if (area_index(&now, &base.area[i]) < 0) {
			ksft_print_msg("turning %s back on\n",
				       base.area[i].path);
			area_swapon(&base.area[i], base.area[i].prio);
		}
	}
}

/*
 * Does swap.devices.effective of @cg show the areas of @sw in order, each
 * with @def, except those given after it as (const struct swap_area *, const
 * char *limit) pairs, ended by NULL?
 */
static bool effective_is(const char *cg, const struct swaps *sw,
			 const char *def, ...)
{
	const char *lim[MAX_AREAS];
	const struct swap_area *a;
	char want[PAGE_SIZE];
	size_t len = 0;
	va_list ap;
	int i;

	for (i = 0; i < sw->nr; i++)
		lim[i] = def;
	va_start(ap, def);
	while ((a = va_arg(ap, const struct swap_area *))) {
		const char *l = va_arg(ap, const char *);

		i = area_index(sw, a);
		if (i >= 0)
			lim[i] = l;
	}
	va_end(ap);

	want[0] = '\0';
	for (i = 0; i < sw->nr; i++)
		len += snprintf(want + len, sizeof(want) - len, "%s %s\n",
				sw->area[i].name, lim[i]);
	return file_is(cg, "swap.devices.effective", want);
}

/*
 * Reads swap.stat of @cg into @bytes, indexed like @sw; its lines must name
 * the areas of @sw in the same order.  Returns 0 or -1.
 */
static int stat_read(const char *cg, const struct swaps *sw, long *bytes)
{
	char buf[PAGE_SIZE], *line, *save, *sp;
	int n = 0, err;

	err = cg_read(cg, "swap.stat", buf, sizeof(buf));
	if (err) {
		ksft_print_msg("read %s/swap.stat: %s\n", cg, strerror(-err));
		return -1;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sp = strrchr(line, ' ');
		if (!sp || n >= sw->nr)
			goto bad;
		*sp = '\0';
		if (strcmp(line, sw->area[n].name))
			goto bad;
		bytes[n++] = atol(sp + 1);
	}
	if (n == sw->nr)
		return 0;
bad:
	ksft_print_msg("%s/swap.stat: line %d does not match /proc/swaps (%d areas)\n",
		       cg, n + 1, sw->nr);
	return -1;
}

static void stat_print(const char *what, const struct swaps *sw,
		       const long *bytes)
{
	char line[PAGE_SIZE];
	size_t len = 0;
	int i;

	line[0] = '\0';
	for (i = 0; i < sw->nr; i++)
		len += snprintf(line + len, sizeof(line) - len, " %s=%ld",
				sw->area[i].path, bytes[i]);
	ksft_print_msg("%s:%s\n", what, line);
}

/*
 * Has @cg only @bytes on @sw's area @allowed (-1: any), nothing elsewhere,
 * and @total bytes in all (within SLACK), as swap.current says too?
 */
static bool stat_only(const char *cg, const struct swaps *sw, int allowed,
		      long total, long *bytes)
{
	long sum = 0, cur;
	bool ok = true;
	int i;

	if (stat_read(cg, sw, bytes))
		return false;
	stat_print(cg, sw, bytes);
	for (i = 0; i < sw->nr; i++) {
		sum += bytes[i];
		if (allowed >= 0 && i != allowed && bytes[i])
			ok = expect(false, "%s has %ld bytes on %s", cg,
				    bytes[i], sw->area[i].path);
	}
	cur = swap_current(cg);
	ok &= expect(sum == cur, "%s: swap.stat sums to %ld, swap.current %ld",
		     cg, sum, cur);
	ok &= expect(close_to(sum, total, SLACK),
		     "%s: %ld bytes in swap, expected %ld", cg, sum, total);
	return ok;
}

/* Do the changes of /proc/swaps from @before to @after match @bytes? */
static bool deltas_match(const char *what, const struct swaps *before,
			 const struct swaps *after, const long *bytes)
{
	bool ok = true;
	long d;
	int i;

	if (!expect(before->nr == after->nr, "the swap areas changed"))
		return false;
	for (i = 0; i < after->nr; i++) {
		d = after->area[i].used - before->area[i].used;
		ok &= expect(close_to(d, bytes[i], SLACK),
			     "%s: %s used grew by %ld in /proc/swaps, swap.stat says %ld",
			     what, after->area[i].path, d, bytes[i]);
	}
	return ok;
}

/*
 * Starts a worker in @cg (on CPU @cpu if not -1) that maps @size bytes and
 * pages them out.
 */
static bool worker_swap_on(struct worker *w, const char *cg, long size,
			   int cpu)
{
	return !worker_start_on(w, cg, cpu, false) &&
	       worker_swap_out(w, size) >= 0;
}

static bool worker_swap(struct worker *w, const char *cg, long size)
{
	return worker_swap_on(w, cg, size, -1);
}

/* Ends the workers, once their swap writes are done. */
static void workers_end(struct worker *w, int nr)
{
	int i;

	wait_writeback();
	for (i = 0; i < nr; i++)
		worker_kill(&w[i]);
}

/* Removes @cg, once its swap is freed. */
static void group_done(char *cg)
{
	long cur;

	if (!cg)
		return;
	cur = wait_swap_current(cg, 0);
	if (cur)
		ksft_print_msg("%s: swap.current still %ld after its tasks exited\n",
			       cg, cur);
	group_destroy(cg);
}

/*
 * devices_files: swap.devices is on non-root groups only and starts as
 * "default max"; swap.devices.effective is on every group and lists every
 * active area by priority; rules read back as written and combine along
 * the path to the root.
 */
static int test_devices_files(void)
{
	char *g = NULL, *k = NULL, want[4 * PATH_MAX];
	int ret = KSFT_FAIL;

	if (!expect(!has_file(root, "swap.devices"), "%s has swap.devices",
		    root) ||
	    !effective_is(root, &base, "max", NULL) ||
	    !effective_is(parent, &base, "max", NULL))
		return KSFT_FAIL;

	g = group_create(parent, "files", "+swap");
	k = g ? group_create(g, "k", NULL) : NULL;
	if (!k)
		goto out;
	if (!file_is(g, "swap.devices", "default max\n") ||
	    !file_is(k, "swap.devices", "default max\n") ||
	    !effective_is(g, &base, "max", NULL) ||
	    !effective_is(k, &base, "max", NULL))
		goto out;

	/* Rules read back as written, sizes in bytes, in order. */
	if (!set_rule(g, "default 0") ||
	    !file_is(g, "swap.devices", "default 0\n") ||
	    !effective_is(g, &base, "0", NULL) ||
	    !effective_is(k, &base, "0", NULL))
		goto out;
	if (!set_rule(g, "%s 8M", lo->path) ||
	    !set_rule(g, "%s 4096k", mid->path) ||
	    !set_rule(g, "%s max", hi->path))
		goto out;
	snprintf(want, sizeof(want),
		 "default 0\n%s 8388608\n%s 4194304\n%s max\n", lo->path,
		 mid->path, hi->path);
	if (!file_is(g, "swap.devices", want) ||
	    !effective_is(g, &base, "0", hi, "max", mid, "4194304",
			  lo, "8388608", NULL))
		goto out;

	/* "default" removes a rule; removing a missing one does nothing. */
	if (!set_rule(g, "%s default", mid->path) ||
	    !set_rule(g, "%s default", mid->path) ||
	    !set_rule(g, "default max"))
		goto out;
	snprintf(want, sizeof(want), "default max\n%s 8388608\n%s max\n",
		 lo->path, hi->path);
	if (!file_is(g, "swap.devices", want) ||
	    !effective_is(g, &base, "max", lo, "8388608", NULL))
		goto out;

	/* The smallest limit on the path to the root applies. */
	if (!set_rule(k, "%s 4M", lo->path) ||
	    !effective_is(k, &base, "max", lo, "4194304", NULL) ||
	    !set_rule(k, "%s 16M", lo->path) ||
	    !effective_is(k, &base, "max", lo, "8388608", NULL) ||
	    !effective_is(g, &base, "max", lo, "8388608", NULL))
		goto out;
	ret = KSFT_PASS;
out:
	group_destroy(k);
	group_destroy(g);
	return ret;
}

/*
 * bad_writes: malformed or impossible rules fail with the right errno and
 * change nothing.
 */
static int test_bad_writes(void)
{
	static const struct {
		const char *fmt;	/* %s is the path of lo */
		int err;
	} cases[] = {
		{ "/nonexistent/swapfile 0", ENOENT },
		{ "/nonexistent/swapfile max", ENOENT },
		{ "/dev 0", EINVAL },		/* a directory */
		{ "/dev/null 0", EINVAL },	/* a character device */
		{ "/proc/version 0", EINVAL },	/* a file swapon refuses */
		{ "%s", EINVAL },		/* one word */
		{ "default", EINVAL },
		{ "%s 0 0", EINVAL },		/* three words */
		{ "%s max 8M", EINVAL },
		{ "default 0 %s", EINVAL },
		{ "", EINVAL },
		{ "%s 5X", EINVAL },		/* bad limits */
		{ "%s 8MB", EINVAL },
		{ "%s -1", EINVAL },
		{ "%s 1.5M", EINVAL },
		{ "%s maximum", EINVAL },
		{ "%s none", EINVAL },
		{ "1:2:3 0", EINVAL },		/* bad MAJ:MIN */
		{ "99999:1 0", EINVAL },
		{ "8: 0", EINVAL },
		{ ":1 0", EINVAL },
		{ "8:x 0", EINVAL },
		{ "default 5", EINVAL },	/* bad defaults */
		{ "default 8M", EINVAL },
		{ "default default", EINVAL },
		{ "%s 08", EINVAL },		/* 0 in octal, then an 8 */
		{ "%s 0x", EINVAL },		/* 0, then an x */
		{ "%s 0xg", EINVAL },
		{ "%s K", EINVAL },
		{ "%s 1KK", EINVAL },
		{ "%s 1E1", EINVAL },		/* more after the suffix */
	};
	char before[PAGE_SIZE], after[PAGE_SIZE], eff[PAGE_SIZE];
	char eff_after[PAGE_SIZE], line[PATH_MAX];
	int ret = KSFT_FAIL, err, i;
	const char *got;
	char *g;

	g = group_create(parent, "bad_writes", NULL);
	if (!g)
		return KSFT_FAIL;
	if (!set_rule(g, "default 0") || !set_rule(g, "%s 8M", lo->path) ||
	    !set_rule(g, "%s max", mid->path))
		goto out;
	if (cg_read(g, "swap.devices", before, sizeof(before)) ||
	    cg_read(g, "swap.devices.effective", eff, sizeof(eff)))
		goto out;

	ret = KSFT_PASS;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(line, sizeof(line), cases[i].fmt, lo->path);
		err = devices_write(g, "%s", line);
		got = err ? strerror(-err) : "success";
		if (!expect(err == -cases[i].err,
			    "writing \"%s\": %s, expected %s", line, got,
			    strerror(cases[i].err)))
			ret = KSFT_FAIL;
		if (cg_read(g, "swap.devices", after, sizeof(after)) ||
		    !expect(!strcmp(before, after),
			    "after writing \"%s\", swap.devices is:\n%s# instead of:\n%s",
			    line, after, before)) {
			ret = KSFT_FAIL;
			break;
		}
	}
	if (cg_read(g, "swap.devices.effective", eff_after,
		    sizeof(eff_after)) ||
	    !expect(!strcmp(eff, eff_after),
		    "swap.devices.effective changed:\n%s# instead of:\n%s",
		    eff_after, eff))
		ret = KSFT_FAIL;
out:
	group_destroy(g);
	return ret;
}

/* What swap.devices of a group should read: its default, then its rules. */
static struct rule_list {
	const char *def;
	int nr;
	char line[MAX_RULES + 1][PATH_MAX + 32];
} rules;

static void rules_reset(void)
{
	rules.def = "max";
	rules.nr = 0;
}

/* Sets the rule @i of the list (a new one if @i is rules.nr) to a line. */
static void rules_set(int i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rules.line[i], sizeof(rules.line[i]), fmt, ap);
	va_end(ap);
	if (i == rules.nr)
		rules.nr++;
}

static void rules_del(int i)
{
	memmove(rules.line[i], rules.line[i + 1],
		(rules.nr - i - 1) * sizeof(rules.line[0]));
	rules.nr--;
}

/* Does swap.devices of @cg read as the list says? */
static bool rules_are(const char *cg)
{
	static char want[(MAX_RULES + 2) * (PATH_MAX + 32)];
	size_t len;
	int i;

	len = snprintf(want, sizeof(want), "default %s\n", rules.def);
	for (i = 0; i < rules.nr; i++)
		len += snprintf(want + len, sizeof(want) - len, "%s\n",
				rules.line[i]);
	return file_is(cg, "swap.devices", want);
}

/*
 * Writes a line that must fail with @err; swap.devices must stay as the
 * list says.
 */
static bool refused(const char *cg, int err, const char *fmt, ...)
{
	char line[PATH_MAX + 64];
	va_list ap;
	bool ok;
	int got;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	got = devices_write(cg, "%s", line);
	ok = expect(got == -err, "%s/swap.devices: writing \"%s\": %s, expected %s",
		    cg, line, got ? strerror(-got) : "success", strerror(err));
	return rules_are(cg) && ok;
}

/*
 * MAX_RULES rules, on devices that do not exist (major 4000 is past the
 * block majors), fill a group: a new rule fails with ENOSPC, however its
 * area is named, and a bad line, limit or area with its own error; a rule
 * can still be rewritten or dropped, and the default set.
 */
static bool rules_full(const char *g)
{
	int i;

	rules_reset();
	for (i = 0; i < MAX_RULES; i++) {
		if (!set_rule(g, "4000:%d %s", i, i % 2 ? "0" : "8M"))
			return false;
		rules_set(i, "4000:%d %s", i, i % 2 ? "0" : "8388608");
	}
	if (!rules_are(g) || !effective_is(g, &base, "max", NULL))
		return false;

	if (!refused(g, ENOSPC, "4000:%d 0", MAX_RULES) ||
	    !refused(g, ENOSPC, "4000:%d max", MAX_RULES) ||
	    !refused(g, ENOSPC, "%s 0", lo->path) ||
	    !refused(g, ENOSPC, "%s 4096", hi->path) ||
	    !refused(g, EINVAL, "4000:%d", MAX_RULES) ||
	    !refused(g, EINVAL, "4000:%d 1", MAX_RULES) ||
	    !refused(g, EINVAL, "4000:%d 8MB", MAX_RULES) ||
	    !refused(g, EINVAL, "99999:1 0") ||
	    !refused(g, EINVAL, "/dev/null 0") ||
	    !refused(g, ENOENT, "/nonexistent/swapfile 0") ||
	    !effective_is(g, &base, "max", NULL))
		return false;
	/* Dropping a rule that is not there does nothing. */
	if (!set_rule(g, "4000:%d default", MAX_RULES) || !rules_are(g))
		return false;

	/* Rewritten in its place, under the name it is given now. */
	rules_set(1, "4000:1 16777216");
	rules_set(2, "04000:2 max");
	if (!set_rule(g, "4000:1 16M") || !set_rule(g, "04000:2 max") ||
	    !rules_are(g))
		return false;
	rules.def = "0";
	if (!set_rule(g, "default 0") || !rules_are(g) ||
	    !effective_is(g, &base, "0", NULL))
		return false;
	rules.def = "max";
	if (!set_rule(g, "default max") || !rules_are(g))
		return false;

	/* A rule dropped makes room for one more, at the end. */
	rules_del(0);
	if (!set_rule(g, "4000:0 default") || !rules_are(g))
		return false;
	rules_set(rules.nr, "%s 0", lo->path);
	if (!set_rule(g, "%s 0", lo->path) || !rules_are(g) ||
	    !effective_is(g, &base, "max", lo, "0", NULL))
		return false;
	return refused(g, ENOSPC, "4000:0 8M");
}

/*
 * The limit of an area is a size as swap.max takes it; one that comes to
 * less than a page, or wraps around 64 bits to it, is refused rather than
 * taken for 0, which only a size written with zeros is.
 */
static bool area_sizes(const char *g)
{
	static const struct {
		const char *limit;
		const char *shown;	/* in swap.devices; NULL: EINVAL */
	} cases[] = {
		{ "8M", "8388608" },
		{ "1", NULL },
		{ "4095", NULL },
		{ "3K", NULL },
		{ "0x10", NULL },
		{ "18446744073709551617", NULL },	/* 2^64 + 1 bytes: 1 */
		{ "0", "0" },				/* forbids */
		{ "4096", "4096" },			/* one page */
		{ "0K", "0" },
		{ "8191", "4096" },
		{ "0x0", "0" },
		{ "0x1000", "4096" },
		{ "010000", "4096" },			/* octal */
		{ "1P", "1125899906842624" },
		{ "16E", NULL },			/* 2^64 bytes: 0 */
		{ "0x10000000000000000", NULL },	/* the same */
		{ "00", "0" },
		{ "0x00K", "0" },
		{ "max", "max" },
	};
	int i, err;

	rules_reset();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (!cases[i].shown) {
			if (!refused(g, EINVAL, "%s %s", lo->path,
				     cases[i].limit))
				return false;
			continue;
		}
		err = devices_write(g, "%s %s", lo->path, cases[i].limit);
		rules_set(0, "%s %s", lo->path, cases[i].shown);
		if (!expect(!err, "writing \"%s %s\": %s", lo->path,
			    cases[i].limit, strerror(-err)) ||
		    !rules_are(g) ||
		    !effective_is(g, &base, "max", lo, cases[i].shown, NULL))
			return false;
	}
	return true;
}

/*
 * A rewritten rule keeps its place, also under another name of its area;
 * a dropped rule written again goes last.
 */
static bool rules_keep_place(const char *g)
{
	struct stat st;

	rules_reset();
	rules_set(0, "%s 8388608", hi->path);
	rules_set(1, "%s 0", mid->path);
	rules_set(2, "%s max", lo->path);
	if (!set_rule(g, "%s 8M", hi->path) || !set_rule(g, "%s 0", mid->path) ||
	    !set_rule(g, "%s max", lo->path) || !rules_are(g))
		return false;

	rules_set(1, "%s 16777216", mid->path);
	if (!set_rule(g, "%s 16M", mid->path) || !rules_are(g) ||
	    !effective_is(g, &base, "max", hi, "8388608", mid, "16777216",
			  NULL))
		return false;
	rules_set(0, "%s 0", hi->path);
	if (!set_rule(g, "%s 0", hi->path) || !rules_are(g))
		return false;

	rules_del(1);
	rules_set(2, "%s 4194304", mid->path);
	if (!set_rule(g, "%s default", mid->path) ||
	    !set_rule(g, "%s 4M", mid->path) || !rules_are(g) ||
	    !effective_is(g, &base, "max", hi, "0", mid, "4194304", NULL))
		return false;

	if (stat(lo->path, &st) || !S_ISBLK(st.st_mode))
		return true;
	rules_set(1, "%u:%u 12288", major(st.st_rdev), minor(st.st_rdev));
	return set_rule(g, "%u:%u 12K", major(st.st_rdev), minor(st.st_rdev)) &&
	       rules_are(g) &&
	       effective_is(g, &base, "max", hi, "0", mid, "4194304", lo,
			    "12288", NULL);
}

#define MAX_LINES	(2 * MAX_RULES)	/* the most lines of one write */

/* Appends @n lines "4000:<first + i> <limit>" to @buf. */
static void devnum_lines(char *buf, size_t size, int first, int n,
			 const char *limit)
{
	size_t len = strlen(buf);
	int i;

	for (i = 0; i < n; i++)
		len += snprintf(buf + len, size - len, "4000:%d %s\n",
				first + i, limit);
}

/*
 * A write may hold a rule set, one rule per line: all of it applies, in
 * its order, or none of it, whichever line is bad; the count of rules is
 * checked on what the whole set leaves.
 */
static bool rule_sets(const char *g)
{
	static char set[2 * PAGE_SIZE];
	int n;

	/* What a container engine writes: the default and an area. */
	rules_reset();
	rules.def = "0";
	rules_set(0, "%s max", lo->path);
	if (!set_rule(g, "default 0\n%s max", lo->path) || !rules_are(g) ||
	    !effective_is(g, &base, "0", lo, "max", NULL))
		return false;
	/* Blank lines and CR LF; a later line wins over an earlier one. */
	rules.def = "max";
	rules_set(1, "%s 4194304", hi->path);
	/* A blank line may hold spaces. */
	if (!set_rule(g, "\n%s 0\r\n%s\n%s 4M\ndefault max", hi->path, " ",
		      hi->path) ||
	    !rules_are(g) ||
	    !effective_is(g, &base, "max", hi, "4194304", lo, "max", NULL))
		return false;

	/* A bad line anywhere: nothing changes. */
	if (!refused(g, EINVAL, "default 0\n%s 0\nbogus", mid->path) ||
	    !refused(g, EINVAL, "bogus\n%s 0", mid->path) ||
	    !refused(g, EINVAL, "%s 0\n%s 1", mid->path, hi->path) ||
	    !refused(g, EINVAL, "%s 0\n%s max max", mid->path, lo->path) ||
	    !refused(g, ENOENT, "default 0\n/nonexistent/swapfile 0") ||
	    !refused(g, EINVAL, "%s\n\t\n", " ") ||
	    !effective_is(g, &base, "max", hi, "4194304", lo, "max", NULL))
		return false;

	/* Too many lines, too many rules, or more than a page: the same. */
	set[0] = '\0';
	devnum_lines(set, sizeof(set), 0, MAX_LINES + 1, "default");
	if (!refused(g, EINVAL, "%s", set))
		return false;
	set[0] = '\0';
	devnum_lines(set, sizeof(set), 0, MAX_RULES - 1, "0");
	if (!refused(g, ENOSPC, "%s", set))
		return false;
	memset(set, ' ', PAGE_SIZE + 1);
	memcpy(set, "default 0\n", 10);
	set[PAGE_SIZE + 1] = '\0';
	if (!expect(cg_set(g, "swap.devices", set) == -E2BIG,
		    "a write of a page and a byte is not refused") ||
	    !rules_are(g))
		return false;
	/* A NUL does not end a write early: what follows it is refused. */
	n = snprintf(set, sizeof(set), "default 0\n%c%s max\n", '\0',
		     lo->path);
	if (!expect(write_bytes(g, "swap.devices", set, n) == -EINVAL,
		    "a write with a NUL inside is not refused") ||
	    !rules_are(g))
		return false;

	/* Full, a set that drops as many rules as it adds is taken. */
	set[0] = '\0';
	devnum_lines(set, sizeof(set), 0, MAX_RULES - 2, "0");
	if (!set_rule(g, "%s", set))
		return false;
	set[0] = '\0';
	devnum_lines(set, sizeof(set), MAX_RULES, 1, "0");
	devnum_lines(set, sizeof(set), 0, 1, "default");
	devnum_lines(set, sizeof(set), MAX_RULES + 1, 1, "0");
	devnum_lines(set, sizeof(set), MAX_RULES + 1, 1, "default");
	if (!set_rule(g, "%s", set))
		return false;
	rules_set(0, "%s max", lo->path);
	rules_set(1, "%s 4194304", hi->path);
	for (int i = 1; i < MAX_RULES - 2; i++)
		rules_set(i + 1, "4000:%d 0", i);
	rules_set(MAX_RULES - 1, "4000:%d 0", MAX_RULES);
	return rules_are(g) && refused(g, ENOSPC, "4000:%d 0", MAX_RULES + 2);
}

/* The two rule sets that sets_seen_whole() switches between. */
static const char * const race_sets[2] = {
	"default 0\n%s max\n%s 4M\n",
	"default max\n%s 0\n%s 8M\n",
};

struct race_reader {
	const char *cg;
	const char *file;
	char seen[2][PAGE_SIZE];	/* what the file reads after each */
	bool *stop;		/* read with __atomic_load_n() */
	long reads, torn;
	char bad[PAGE_SIZE];
};

static void *race_read(void *arg)
{
	struct race_reader *r = arg;
	char buf[PAGE_SIZE];

	while (!__atomic_load_n(r->stop, __ATOMIC_RELAXED)) {
		if (cg_read(r->cg, r->file, buf, sizeof(buf)))
			continue;
		r->reads++;
		if (strcmp(buf, r->seen[0]) && strcmp(buf, r->seen[1])) {
			if (!r->torn++)
				snprintf(r->bad, sizeof(r->bad), "%s", buf);
		}
	}
	return NULL;
}

/*
 * While one writer switches a group between two rule sets, readers of
 * swap.devices and swap.devices.effective only ever see one set or the
 * other, never a part of each.
 */
static bool sets_seen_whole(const char *g)
{
	static struct race_reader rd[2];
	bool stop = false;
	pthread_t tid[2];
	int i, k, err = 0;
	bool ok = true;

	for (i = 0; i < 2; i++) {
		rd[i] = (struct race_reader){ .cg = g, .stop = &stop,
			.file = i ? "swap.devices.effective" : "swap.devices" };
	}
	/* What each set reads as, applied on its own. */
	for (k = 0; k < 2; k++) {
		if (!set_rule(g, race_sets[k], lo->path, hi->path))
			return false;
		for (i = 0; i < 2; i++)
			if (cg_read(g, rd[i].file, rd[i].seen[k], PAGE_SIZE))
				return false;
	}
	for (i = 0; i < 2; i++) {
		if (pthread_create(&tid[i], NULL, race_read, &rd[i])) {
			__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
			while (i--)
				pthread_join(tid[i], NULL);
			return expect(false, "pthread_create failed");
		}
	}
	for (k = 0; k < 2000 && !err; k++)
		err = devices_write(g, race_sets[k % 2], lo->path, hi->path);
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < 2; i++) {
		pthread_join(tid[i], NULL);
		ksft_print_msg("%s: %ld reads, %ld torn\n", rd[i].file,
			       rd[i].reads, rd[i].torn);
		if (!expect(!rd[i].torn, "%s read as:\n%s", rd[i].file,
			    rd[i].bad))
			ok = false;
	}
	return expect(!err, "writing a rule set: %s", strerror(-err)) && ok;
}

/*
 * rule_list: a group holds at most MAX_RULES rules; an area limit is at
 * least a page, or 0; a rewritten rule keeps its place in swap.devices; a
 * write may hold a whole rule set, applied all or none.
 */
static int test_rule_list(void)
{
	static const struct {
		bool (*fn)(const char *cg);
		const char *name;
	} parts[] = {
		{ rules_full, "full" },
		{ area_sizes, "sizes" },
		{ rules_keep_place, "place" },
		{ rule_sets, "sets" },
		{ sets_seen_whole, "whole" },
	};
	int ret = KSFT_PASS, i;
	char *g;

	/* Each part in a group of its own, all of them whatever fails. */
	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		g = group_create(parent, parts[i].name, NULL);
		if (!g)
			return KSFT_FAIL;
		if (!parts[i].fn(g)) {
			ksft_print_msg("rule_list: %s failed\n", parts[i].name);
			ret = KSFT_FAIL;
		}
		group_destroy(g);
	}
	return ret;
}

/*
 * confine: a group allowed only lo swaps only to lo; a group that forbids
 * lo never uses it; an unconfined group follows the priorities.  The
 * unconfined group swaps first, and every worker runs on the same CPU: the
 * others must not take the slots it left in that CPU's slot cache.
 */
static int test_confine(void)
{
	static const char * const names[] = { "c", "a", "b" };
	struct swaps s[4];
	struct worker w[3] = { };
	long bytes[3][MAX_AREAS], room, swapped;
	char *g[3] = { };
	int ret = KSFT_FAIL, i, ilo = area_index(&base, lo);

	for (i = 0; i < 3; i++) {
		g[i] = group_create(parent, names[i], NULL);
		if (!g[i])
			goto out;
	}
	if (!set_rule(g[1], "default 0") ||
	    !set_rule(g[1], "%s max", lo->path) ||
	    !set_rule(g[2], "%s 0", lo->path))
		goto out;
	if (!effective_is(g[0], &base, "max", NULL) ||
	    !effective_is(g[1], &base, "0", lo, "max", NULL) ||
	    !effective_is(g[2], &base, "max", lo, "0", NULL))
		goto out;

	/* One group after the other, to tell their /proc/swaps deltas. */
	if (swaps_read(&s[0]))
		goto out;
	for (i = 0; i < 3; i++) {
		if (!worker_swap_on(&w[i], g[i], MB(32), 0) ||
		    swaps_read(&s[i + 1]))
			goto out;
		swapped = vmswap(w[i].pid, w[i].tid);
		ksft_print_msg("%s: VmSwap %ld\n", names[i], swapped);
		if (!expect(close_to(swapped, MB(32), SLACK),
			    "%s: VmSwap %ld, expected 32M", names[i],
			    swapped))
			goto out;
	}

	ret = KSFT_PASS;
	/* c: all on hi, if it had room before c swapped. */
	room = s[0].area[0].size - s[0].area[0].used;
	ksft_print_msg("room on %s before c: %ld\n", hi->path, room);
	if (room >= MB(32) + SLACK) {
		if (!stat_only(g[0], &base, 0, MB(32), bytes[0]))
			ret = KSFT_FAIL;
	} else if (!stat_only(g[0], &base, -1, MB(32), bytes[0]) ||
		   !expect(bytes[0][0] >= room - SLACK,
			   "c has %ld bytes on %s, which had %ld free",
			   bytes[0][0], hi->path, room)) {
		ret = KSFT_FAIL;
	}

	if (!stat_only(g[1], &base, ilo, MB(32), bytes[1]))
		ret = KSFT_FAIL;
	if (!stat_only(g[2], &base, -1, MB(32), bytes[2]) ||
	    !expect(bytes[2][ilo] == 0, "b has %ld bytes on %s", bytes[2][ilo],
		    lo->path))
		ret = KSFT_FAIL;

	for (i = 0; i < 3; i++)
		if (!deltas_match(names[i], &s[i], &s[i + 1], bytes[i]))
			ret = KSFT_FAIL;
	for (i = 0; i < 3; i++)
		if (worker_read(&w[i], 0))
			ret = KSFT_FAIL;
out:
	workers_end(w, 3);
	for (i = 0; i < 3; i++)
		group_done(g[i]);
	return ret;
}

/*
 * child_cannot_widen: a child's "max" does not reopen an area that its
 * parent forbids.
 */
static int test_child_cannot_widen(void)
{
	struct swaps before, after;
	struct worker w = { };
	long bytes[MAX_AREAS], pbytes[MAX_AREAS], fail0, fail1, cur;
	char *p, *k = NULL;
	int ret = KSFT_FAIL, region, ilo = area_index(&base, lo);

	p = group_create(parent, "p", "+swap");
	k = p ? group_create(p, "k", NULL) : NULL;
	if (!k)
		goto out;
	if (!set_rule(p, "%s 0", lo->path) ||
	    !set_rule(k, "%s max", lo->path) ||
	    !effective_is(p, &base, "max", lo, "0", NULL) ||
	    !effective_is(k, &base, "max", lo, "0", NULL))
		goto out;

	if (swaps_read(&before) || !worker_swap(&w, k, MB(32)))
		goto out;
	if (!stat_only(k, &base, -1, MB(32), bytes) ||
	    !expect(bytes[ilo] == 0, "k has %ld bytes on %s", bytes[ilo],
		    lo->path))
		goto out;

	/* Allowed lo alone by itself, k may swap nowhere. */
	if (!set_rule(k, "default 0") ||
	    !effective_is(k, &base, "0", NULL))
		goto out;
	region = worker_alloc(&w, MB(16), false);
	fail0 = swap_fail(k);
	if (region < 0 || worker_pageout(&w, region, NULL, 0))
		goto out;
	fail1 = swap_fail(k);
	cur = swap_current(k);
	if (swaps_read(&after))
		goto out;
	ksft_print_msg("k: swap.current %ld, VmSwap %ld, fail %ld -> %ld, %s used %ld -> %ld\n",
		       cur, vmswap(w.pid, w.tid), fail0, fail1, lo->path,
		       before.area[ilo].used, after.area[ilo].used);
	if (!stat_only(k, &base, -1, MB(32), bytes) ||
	    !expect(bytes[ilo] == 0, "k has %ld bytes on %s", bytes[ilo],
		    lo->path) ||
	    !expect(close_to(vmswap(w.pid, w.tid), MB(32), SLACK),
		    "VmSwap %ld, expected the first 32M only",
		    vmswap(w.pid, w.tid)) ||
	    !expect(fail1 > fail0, "swap.events fail %ld -> %ld", fail0,
		    fail1) ||
	    !expect(close_to(after.area[ilo].used, before.area[ilo].used,
			     NOISE),
		    "%s used %ld -> %ld", lo->path, before.area[ilo].used,
		    after.area[ilo].used))
		goto out;
	if (stat_read(p, &base, pbytes) ||
	    !expect(!memcmp(bytes, pbytes, sizeof(long) * base.nr),
		    "p's swap.stat differs from k's"))
		goto out;
	if (worker_read(&w, region))
		goto out;
	ret = KSFT_PASS;
out:
	workers_end(&w, 1);
	group_done(k);
	group_done(p);
	return ret;
}

/*
 * area_limit: a byte limit on hi caps the group there; the rest goes to
 * the next area by priority.
 */
static int test_area_limit(void)
{
	struct swaps before, after;
	struct worker w = { };
	long bytes[MAX_AREAS];
	int ret = KSFT_FAIL, i, ihi = area_index(&base, hi);
	int imid = area_index(&base, mid);
	char *a;

	a = group_create(parent, "a", NULL);
	if (!a)
		return KSFT_FAIL;
	if (!set_rule(a, "%s 8M", hi->path) ||
	    !effective_is(a, &base, "max", hi, "8388608", NULL))
		goto out;
	if (swaps_read(&before) || !worker_swap(&w, a, MB(32)) ||
	    swaps_read(&after))
		goto out;
	if (!stat_only(a, &base, -1, MB(32), bytes) ||
	    !deltas_match("a", &before, &after, bytes))
		goto out;
	if (!expect(bytes[ihi] > 0 && bytes[ihi] <= MB(8),
		    "%ld bytes on %s, limit 8M", bytes[ihi], hi->path) ||
	    !expect(close_to(bytes[imid], MB(32) - bytes[ihi], SLACK),
		    "%ld bytes on %s, expected the rest", bytes[imid],
		    mid->path))
		goto out;
	for (i = 0; i < base.nr; i++)
		if (i != ihi && i != imid &&
		    !expect(!bytes[i], "%ld bytes on %s", bytes[i],
			    base.area[i].path))
			goto out;
	if (!expect(close_to(vmswap(w.pid, w.tid), MB(32), SLACK),
		    "VmSwap %ld", vmswap(w.pid, w.tid)) ||
	    worker_read(&w, 0))
		goto out;
	ret = KSFT_PASS;
out:
	workers_end(&w, 1);
	group_done(a);
	return ret;
}

/*
 * all_forbidden: a group that may use no area swaps nothing: its swap-outs
 * fail and its pages stay in memory.
 */
static int test_all_forbidden(void)
{
	struct swaps before, after;
	struct worker w = { };
	long bytes[MAX_AREAS], fail0, fail1, cur, swapped;
	int ret = KSFT_FAIL, region, i;
	char *a;

	a = group_create(parent, "a", NULL);
	if (!a)
		return KSFT_FAIL;
	if (!set_rule(a, "default 0") || !effective_is(a, &base, "0", NULL))
		goto out;
	if (worker_start(&w, a))
		goto out;
	region = worker_alloc(&w, MB(16), false);
	if (region < 0)
		goto out;
	fail0 = swap_fail(a);
	if (swaps_read(&before) || worker_pageout(&w, region, NULL, 0) ||
	    swaps_read(&after))
		goto out;
	fail1 = swap_fail(a);
	cur = swap_current(a);
	swapped = vmswap(w.pid, w.tid);
	ksft_print_msg("a: swap.current %ld, VmSwap %ld, fail %ld -> %ld\n",
		       cur, swapped, fail0, fail1);
	for (i = 0; i < after.nr; i++)
		ksft_print_msg("%s: used %ld -> %ld in /proc/swaps\n",
			       after.area[i].path, before.area[i].used,
			       after.area[i].used);
	if (!stat_only(a, &base, -1, 0, bytes))
		goto out;
	for (i = 0; i < base.nr; i++)
		if (!expect(!bytes[i], "%ld bytes on %s", bytes[i],
			    base.area[i].path))
			goto out;
	if (!expect(cur == 0 && swapped == 0, "swap.current %ld, VmSwap %ld",
		    cur, swapped) ||
	    !expect(fail1 > fail0, "swap.events fail %ld -> %ld", fail0,
		    fail1))
		goto out;
	for (i = 0; i < after.nr; i++)
		if (!expect(close_to(after.area[i].used, before.area[i].used,
				     NOISE),
			    "%s used %ld -> %ld in /proc/swaps",
			    after.area[i].path, before.area[i].used,
			    after.area[i].used))
			goto out;
	if (worker_read(&w, region))
		goto out;
	ret = KSFT_PASS;
out:
	workers_end(&w, 1);
	group_done(a);
	return ret;
}

/*
 * no_swap: with no area active, a swap-out fails as it does without the
 * controller: each page counts once as a fail of the group, and the memory
 * controller, when it is on, counts it too.
 */
static int test_no_swap(void)
{
	struct worker w = { };
	long fail0, fail1, mfail0 = 0, mfail1 = 0;
	int ret = KSFT_FAIL, region, i;
	bool memcg = has_word(root, "cgroup.controllers", "memory");
	char *a;

	/* The group in a memcg of its own, when there is a memory controller. */
	if (memcg && !expect(!cg_set(root, "cgroup.subtree_control", "+memory") &&
			     !cg_set(parent, "cgroup.subtree_control", "+memory"),
			     "cannot enable the memory controller"))
		return KSFT_FAIL;
	a = group_create(parent, "a", NULL);
	if (!a)
		goto out;
	if (!expect(!memcg || has_file(a, "memory.swap.events"),
		    "no memory.swap.events in %s", a))
		goto out;
	if (worker_start(&w, a))
		goto out;
	region = worker_alloc(&w, MB(4), false);
	if (region < 0)
		goto out;
	for (i = 0; i < base.nr; i++)
		if (!expect(!swapoff(base.area[i].path), "swapoff %s: %s",
			    base.area[i].path, strerror(errno)))
			goto out;
	fail0 = swap_fail(a);
	if (memcg)
		mfail0 = cg_read_key_long(a, "memory.swap.events", "fail ");
	if (worker_pageout(&w, region, NULL, 0))
		goto out;
	fail1 = swap_fail(a);
	if (memcg)
		mfail1 = cg_read_key_long(a, "memory.swap.events", "fail ");
	ksft_print_msg("swap.events fail %ld -> %ld, memory.swap.events fail %ld -> %ld\n",
		       fail0, fail1, mfail0, mfail1);
	/*
	 * MADV_PAGEOUT passes over a page it cannot isolate, such as one
	 * still in another CPU's LRU batch: not every page is tried, but
	 * each one tried counts once, in both controllers.
	 */
	if (!expect(fail1 > fail0 && fail1 - fail0 <= MB(4) / PAGE_SIZE,
		    "swap.events fail grew by %ld, expected 1 to %ld",
		    fail1 - fail0, MB(4) / PAGE_SIZE) ||
	    !expect(!memcg || mfail1 - mfail0 == fail1 - fail0,
		    "memory.swap.events fail grew by %ld, swap.events fail by %ld",
		    mfail1 - mfail0, fail1 - fail0) ||
	    !expect(vmswap(w.pid, w.tid) == 0, "VmSwap %ld",
		    vmswap(w.pid, w.tid)) ||
	    worker_read(&w, region))
		goto out;
	ret = KSFT_PASS;
out:
	workers_end(&w, 1);
	areas_restore();
	group_done(a);
	if (memcg)
		cg_set(parent, "cgroup.subtree_control", "-memory");
	return ret;
}

/*
 * The MAJ:MIN of the block device lo, into @devnum: 0, or a skip when lo is
 * no block device.
 */
static int lo_devnum(char *devnum, size_t size)
{
	struct stat st;

	if (stat(lo->path, &st))
		return skip("stat %s: %s", lo->path, strerror(errno));
	if (!S_ISBLK(st.st_mode))
		return skip("%s is not a block device", lo->path);
	snprintf(devnum, size, "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	return 0;
}

/*
 * path_and_devnum: a path and its MAJ:MIN name the same rule.
 */
static int test_path_and_devnum(void)
{
	char want[4 * PATH_MAX], devnum[32];
	int ret;
	char *a;

	ret = lo_devnum(devnum, sizeof(devnum));
	if (ret)
		return ret;
	ret = KSFT_FAIL;

	a = group_create(parent, "a", NULL);
	if (!a)
		return KSFT_FAIL;

	snprintf(want, sizeof(want), "default max\n%s 0\n", lo->path);
	if (!set_rule(a, "%s 0", lo->path) ||
	    !file_is(a, "swap.devices", want) ||
	    !effective_is(a, &base, "max", lo, "0", NULL))
		goto out;
	snprintf(want, sizeof(want), "default max\n%s max\n", devnum);
	if (!set_rule(a, "%s max", devnum) ||
	    !file_is(a, "swap.devices", want) ||
	    !effective_is(a, &base, "max", NULL))
		goto out;
	if (!set_rule(a, "%s default", devnum) ||
	    !file_is(a, "swap.devices", "default max\n"))
		goto out;

	/* And the other way round. */
	snprintf(want, sizeof(want), "default 0\n%s 4194304\n", devnum);
	if (!set_rule(a, "default 0") || !set_rule(a, "%s 4M", devnum) ||
	    !file_is(a, "swap.devices", want) ||
	    !effective_is(a, &base, "0", lo, "4194304", NULL))
		goto out;
	if (!set_rule(a, "%s default", lo->path) ||
	    !file_is(a, "swap.devices", "default 0\n") ||
	    !effective_is(a, &base, "0", NULL))
		goto out;
	ret = KSFT_PASS;
out:
	group_destroy(a);
	return ret;
}

/*
 * survives_swapoff: a rule outlives swapoff of its area and applies again
 * at the next swapon.
 */
static int test_survives_swapoff(void)
{
	struct worker w = { };
	struct swaps off, on;
	long bytes[MAX_AREAS], fail0, fail1, cur;
	char want[4 * PATH_MAX];
	int ret = KSFT_FAIL, region, ilo;
	bool is_off = false;
	char *a;

	a = group_create(parent, "a", NULL);
	if (!a)
		return KSFT_FAIL;
	snprintf(want, sizeof(want), "default 0\n%s max\n", lo->path);
	if (!set_rule(a, "default 0") || !set_rule(a, "%s max", lo->path) ||
	    !file_is(a, "swap.devices", want) ||
	    !effective_is(a, &base, "0", lo, "max", NULL))
		goto out;
	if (worker_start(&w, a))
		goto out;
	region = worker_alloc(&w, MB(16), false);
	if (region < 0)
		goto out;

	if (!expect(!swapoff(lo->path), "swapoff %s: %s", lo->path,
		    strerror(errno)))
		goto out;
	is_off = true;
	if (swaps_read(&off) ||
	    !expect(area_index(&off, lo) < 0, "%s still in /proc/swaps",
		    lo->path))
		goto out;
	if (!file_is(a, "swap.devices", want) ||
	    !effective_is(a, &off, "0", NULL))
		goto out;

	/* With lo off, a may swap nowhere. */
	fail0 = swap_fail(a);
	if (worker_pageout(&w, region, NULL, 0))
		goto out;
	fail1 = swap_fail(a);
	cur = swap_current(a);
	if (!expect(cur == 0 && vmswap(w.pid, w.tid) == 0,
		    "with %s off: swap.current %ld, VmSwap %ld", lo->path, cur,
		    vmswap(w.pid, w.tid)) ||
	    !expect(fail1 > fail0, "swap.events fail %ld -> %ld", fail0,
		    fail1))
		goto out;

	if (area_swapon(lo, lo->prio))
		goto out;
	is_off = false;
	if (swaps_read(&on) || !expect(on.nr == base.nr, "%d areas, not %d",
				       on.nr, base.nr))
		goto out;
	ilo = area_index(&on, lo);
	if (!expect(ilo >= 0 && on.area[ilo].prio == lo->prio,
		    "%s is not back with priority %d", lo->path, lo->prio) ||
	    !file_is(a, "swap.devices", want) ||
	    !effective_is(a, &on, "0", lo, "max", NULL))
		goto out;
	if (worker_pageout(&w, region, NULL, 0) ||
	    !stat_only(a, &on, ilo, MB(16), bytes) ||
	    !expect(close_to(vmswap(w.pid, w.tid), MB(16), SLACK),
		    "VmSwap %ld", vmswap(w.pid, w.tid)) ||
	    worker_read(&w, region))
		goto out;
	ret = KSFT_PASS;
out:
	workers_end(&w, 1);
	if (is_off)
		area_swapon(lo, lo->prio);
	group_done(a);
	return ret;
}

/*
 * swapfile_area: a rule on a regular swap file, named by its path, confines
 * a group to it or keeps a group off it.
 */
static int test_swapfile_area(void)
{
	const char *dir = getenv("SWAPCG_SCRATCH");
	char path[PATH_MAX + 16], real[PATH_MAX];
	struct swaps s[3];
	struct worker w[2] = { };
	struct swap_area file = { };
	long bytes[2][MAX_AREAS];
	struct statfs sfs;
	int ret = KSFT_FAIL, ifile, i;
	bool made = false, on = false;
	char *g[2] = { };

	if (!realpath(dir ? dir : ".", real) || statfs(real, &sfs))
		return skip("no scratch directory: %s", strerror(errno));
	/* Where swap files cannot be. */
	if (sfs.f_type == TMPFS_MAGIC || sfs.f_type == V9FS_MAGIC ||
	    sfs.f_type == OVERLAYFS_SUPER_MAGIC)
		return skip("%s cannot hold a swap file: set SWAPCG_SCRATCH",
			    real);
	snprintf(path, sizeof(path), "%s/swapfile", real);
	if (strlen(path) >= PATH_MAX || strpbrk(path, " \t\n\\"))
		return skip("unusable scratch path %s", path);
	snprintf(file.path, sizeof(file.path), "%s", path);

	unlink(path);
	if (swapfile_make(path, SWAPFILE_SIZE))
		return skip("cannot write %s", path);
	made = true;
	if (area_swapon(&file, SWAPFILE_PRIO))
		goto out;
	on = true;
	if (swaps_read(&s[0]))
		goto out;
	ifile = area_index(&s[0], &file);
	if (!expect(ifile == 0, "%s is not the first area", path))
		goto out;

	g[0] = group_create(parent, "a", NULL);
	g[1] = group_create(parent, "b", NULL);
	if (!g[0] || !g[1])
		goto out;
	if (!set_rule(g[0], "default 0") || !set_rule(g[0], "%s max", path) ||
	    !set_rule(g[1], "%s 0", path) ||
	    !effective_is(g[0], &s[0], "0", &file, "max", NULL) ||
	    !effective_is(g[1], &s[0], "max", &file, "0", NULL))
		goto out;

	for (i = 0; i < 2; i++)
		if (!worker_swap(&w[i], g[i], MB(32)) || swaps_read(&s[i + 1]))
			goto out;
	ret = KSFT_PASS;
	if (!stat_only(g[0], &s[0], ifile, MB(32), bytes[0]) ||
	    !stat_only(g[1], &s[0], -1, MB(32), bytes[1]) ||
	    !expect(!bytes[1][ifile], "b has %ld bytes on %s", bytes[1][ifile],
		    path))
		ret = KSFT_FAIL;
	for (i = 0; i < 2; i++)
		if (!deltas_match(i ? "b" : "a", &s[i], &s[i + 1], bytes[i]) ||
		    worker_read(&w[i], 0))
			ret = KSFT_FAIL;
out:
	workers_end(w, 2);
	if (on && !expect(!swapoff(path), "swapoff %s: %s", path,
			  strerror(errno)))
		ret = KSFT_FAIL;
	if (made)
		unlink(path);
	for (i = 0; i < 2; i++)
		group_done(g[i]);
	return ret;
}

/*
 * The real path of the scratch directory, which must be able to hold swap
 * files, into @real: 0, or a skip code.
 */
static int scratch_dir(char *real)
{
	const char *dir = getenv("SWAPCG_SCRATCH");
	struct statfs sfs;

	if (!realpath(dir ? dir : ".", real) || statfs(real, &sfs))
		return skip("no scratch directory: %s", strerror(errno));
	if (sfs.f_type == TMPFS_MAGIC || sfs.f_type == V9FS_MAGIC ||
	    sfs.f_type == OVERLAYFS_SUPER_MAGIC)
		return skip("%s cannot hold a swap file: set SWAPCG_SCRATCH",
			    real);
	if (strlen(real) > PATH_MAX - 64 || strpbrk(real, " \t\n\\"))
		return skip("unusable scratch path %s", real);
	return 0;
}

/* The bytes "Used" on @a in /proc/swaps, or -1 when it is not active. */
static long area_used(const struct swap_area *a)
{
	struct swaps sw;
	int i;

	if (swaps_read(&sw))
		return -1;
	i = area_index(&sw, a);
	return i < 0 ? -1 : sw.area[i].used;
}

/*
 * A worker of @cg pages out @size bytes; then the growth of "Used" of @on
 * and @off in /proc/swaps, which the controller does not keep, shows where
 * they went: about all of them to @on (if not NULL) and none to @off, and
 * VmSwap of the worker has them all.
 */
static bool pages_go(const char *cg, long size, const struct swap_area *on,
		     const struct swap_area *off)
{
	long on0, off0, on1 = 0, off1, vm;
	struct worker w = { };
	bool ok = false;

	on0 = on ? area_used(on) : 0;
	off0 = area_used(off);
	if (!expect(on0 >= 0 && off0 >= 0, "an area is not active"))
		return false;
	if (!worker_swap(&w, cg, size))
		goto out;
	wait_writeback();
	vm = vmswap(w.pid, w.tid);
	if (on)
		on1 = area_used(on);
	off1 = area_used(off);
	ksft_print_msg("%s: VmSwap %ld; %s used %+ld\n", cg, vm, off->path,
		       off1 - off0);
	if (on)
		ksft_print_msg("%s: %s used %+ld\n", cg, on->path, on1 - on0);
	ok = expect(close_to(vm, size, SLACK), "VmSwap %ld, not %ld", vm,
		    size);
	ok &= expect(off1 - off0 <= NOISE,
		     "%s, which %s forbids, took %ld bytes", off->path, cg,
		     off1 - off0);
	if (on)
		ok &= expect(close_to(on1 - on0, size, SLACK),
			     "%s took %ld bytes, not %ld", on->path,
			     on1 - on0, size);
	ok &= !worker_read(&w, 0);
out:
	workers_end(&w, 1);
	return ok;
}

/*
 * swapfile_recreated: a rule on a swap file names its path.  A file made
 * anew at that path, by swapoff, rm, a new file and swapon, or by a new
 * file renamed over the old one, keeps the rule; the old file moved to
 * another path, with its inode, does not take it.
 */
static int test_swapfile_recreated(void)
{
	char real[PATH_MAX], want[4 * PATH_MAX], tmp[PATH_MAX];
	struct swap_area f = { }, moved = { };
	bool f_on = false, moved_on = false;
	int ret = KSFT_FAIL;
	struct stat st;
	ino_t ino;
	char *a;

	ret = scratch_dir(real);
	if (ret)
		return ret;
	ret = KSFT_FAIL;
	snprintf(f.path, sizeof(f.path), "%.4000s/recreated", real);
	snprintf(moved.path, sizeof(moved.path), "%.4000s/moved", real);
	snprintf(tmp, sizeof(tmp), "%.4000s/recreated.new", real);
	unlink(f.path);
	unlink(moved.path);
	unlink(tmp);
	if (swapfile_make(f.path, SWAPFILE_SIZE))
		return skip("cannot write %s", f.path);
	a = group_create(parent, "a", NULL);
	if (!a || area_swapon(&f, SWAPFILE_PRIO))
		goto out;
	f_on = true;
	snprintf(want, sizeof(want), "default max\n%s 0\n", f.path);
	if (!set_rule(a, "%s 0", f.path) ||
	    !file_is(a, "swap.devices", want) || !pages_go(a, MB(16), NULL, &f))
		goto out;

	/* swapoff, rm, a new file, swapon. */
	stat(f.path, &st);
	ino = st.st_ino;
	if (!expect(!swapoff(f.path), "swapoff: %s", strerror(errno)))
		goto out;
	f_on = false;
	if (!expect(!unlink(f.path), "rm: %s", strerror(errno)) ||
	    swapfile_make(f.path, SWAPFILE_SIZE) ||
	    area_swapon(&f, SWAPFILE_PRIO))
		goto out;
	f_on = true;
	stat(f.path, &st);
	ksft_print_msg("made anew: inode %lu, then %lu\n", (unsigned long)ino,
		       (unsigned long)st.st_ino);
	if (!file_is(a, "swap.devices", want) ||
	    !pages_go(a, MB(16), NULL, &f))
		goto out;

	/* A new file beside it, renamed over it once it is off. */
	ino = st.st_ino;
	if (swapfile_make(tmp, SWAPFILE_SIZE) ||
	    !expect(!swapoff(f.path), "swapoff: %s", strerror(errno)))
		goto out;
	f_on = false;
	if (!expect(!rename(tmp, f.path), "rename: %s", strerror(errno)) ||
	    area_swapon(&f, SWAPFILE_PRIO))
		goto out;
	f_on = true;
	stat(f.path, &st);
	ksft_print_msg("renamed over: inode %lu, then %lu\n",
		       (unsigned long)ino, (unsigned long)st.st_ino);
	if (!file_is(a, "swap.devices", want) ||
	    !pages_go(a, MB(16), NULL, &f))
		goto out;

	/*
	 * The old file moved away, above a new one at the rule's path: it is
	 * not at that path, so the rule is not its, whatever its inode.
	 */
	if (!expect(!swapoff(f.path), "swapoff: %s", strerror(errno)))
		goto out;
	f_on = false;
	if (!expect(!rename(f.path, moved.path), "rename: %s",
		    strerror(errno)) ||
	    area_swapon(&moved, SWAPFILE_PRIO + 1))
		goto out;
	moved_on = true;
	if (swapfile_make(f.path, SWAPFILE_SIZE) ||
	    area_swapon(&f, SWAPFILE_PRIO))
		goto out;
	f_on = true;
	if (!file_is(a, "swap.devices", want) ||
	    !pages_go(a, MB(16), &moved, &f))
		goto out;
	ret = KSFT_PASS;
out:
	if (f_on && !expect(!swapoff(f.path), "swapoff %s: %s", f.path,
			    strerror(errno)))
		ret = KSFT_FAIL;
	if (moved_on && !expect(!swapoff(moved.path), "swapoff %s: %s",
				moved.path, strerror(errno)))
		ret = KSFT_FAIL;
	unlink(f.path);
	unlink(moved.path);
	unlink(tmp);
	group_done(a);
	return ret;
}

/*
 * devnum_survives_swapoff: a rule that names a block device by MAJ:MIN
 * holds it again after swapoff and swapon, even with the device swapped on
 * first.
 */
static int test_devnum_survives_swapoff(void)
{
	int ret, prio = -1;
	char want[64], devnum[32];
	char *a;

	ret = lo_devnum(devnum, sizeof(devnum));
	if (ret)
		return ret;
	ret = KSFT_FAIL;
	snprintf(want, sizeof(want), "default max\n%s 0\n", devnum);

	a = group_create(parent, "a", NULL);
	if (!a || !set_rule(a, "%s 0", devnum) ||
	    !expect(!swapoff(lo->path), "swapoff %s: %s", lo->path,
		    strerror(errno)))
		goto out;
	prio = SWAPFILE_PRIO;
	if (area_swapon(lo, prio))
		goto out;
	ksft_print_msg("%s (%s) back on, priority %d\n", lo->path, devnum,
		       prio);
	if (!file_is(a, "swap.devices", want) ||
	    !pages_go(a, MB(16), NULL, lo))
		goto out;
	ret = KSFT_PASS;
out:
	if (prio >= 0 && !swapoff(lo->path))
		area_swapon(lo, lo->prio);
	group_done(a);
	return ret;
}

/*
 * opener_creds: a path in a write is looked up with the credentials of who
 * opened swap.devices, as cgroup core does for cgroup.procs: root writing
 * into a file that nobody opened cannot name a file in a directory that
 * only root may search.  Names read back escaped.
 */
static int test_opener_creds(void)
{
	char real[PATH_MAX], dir[PATH_MAX], file[PATH_MAX + 16];
	char odd[PATH_MAX + 16], path[PATH_MAX + 32], line[2 * PATH_MAX];
	char want[4 * PATH_MAX];
	int ret, fd = -1, err;
	char *a;

	ret = scratch_dir(real);
	if (ret)
		return ret;
	ret = KSFT_FAIL;
	snprintf(dir, sizeof(dir), "%.4000s/private", real);
	snprintf(file, sizeof(file), "%s/swapfile", dir);
	/* ESC and a backslash: shown as \033 and \134. */
	snprintf(odd, sizeof(odd), "%s/odd\033[1mname\\x", real);
	unlink(file);
	rmdir(dir);
	unlink(odd);
	if (!expect(!mkdir(dir, 0700), "mkdir %s: %s", dir, strerror(errno)))
		return KSFT_FAIL;
	a = group_create(parent, "a", NULL);
	if (!a || swapfile_make(file, MB(1)) || swapfile_make(odd, MB(1)))
		goto out;

	/* nobody opens the file; root writes into it. */
	snprintf(path, sizeof(path), "%s/swap.devices", a);
	if (!expect(!chown(path, 65534, 65534), "chown %s: %s", path,
		    strerror(errno)) ||
	    !expect(!seteuid(65534), "seteuid: %s", strerror(errno)))
		goto out;
	fd = open(path, O_WRONLY);
	err = errno;
	if (!expect(!seteuid(0), "seteuid back: %s", strerror(errno)))
		exit(KSFT_FAIL);
	if (!expect(fd >= 0, "open %s as nobody: %s", path, strerror(err)))
		goto out;
	snprintf(line, sizeof(line), "%s 0\n", file);
	err = write(fd, line, strlen(line)) < 0 ? errno : 0;
	if (!expect(err == EACCES,
		    "root writing \"%s 0\" into nobody's file: %s, not EACCES",
		    file, err ? strerror(err) : "taken") ||
	    !file_is(a, "swap.devices", "default max\n"))
		goto out;
	/* What nobody may reach, it may name. */
	snprintf(line, sizeof(line), "%s 4M\n", lo->path);
	err = write(fd, line, strlen(line)) < 0 ? errno : 0;
	snprintf(want, sizeof(want), "default max\n%s 4194304\n", lo->path);
	if (!expect(!err, "writing \"%s 4M\" into nobody's file: %s",
		    lo->path, strerror(err)) ||
	    !file_is(a, "swap.devices", want))
		goto out;
	/* The file root opens may name the private file. */
	snprintf(want, sizeof(want), "default max\n%s 4194304\n%s 0\n",
		 lo->path, file);
	if (!set_rule(a, "%s 0", file) || !file_is(a, "swap.devices", want))
		goto out;

	/* A name reads back escaped, one rule a line. */
	snprintf(want, sizeof(want),
		 "default max\n%s 4194304\n%s 0\n%s/odd\\033[1mname\\134x 0\n",
		 lo->path, file, real);
	if (!set_rule(a, "%s 0", odd) || !file_is(a, "swap.devices", want))
		goto out;
	ret = KSFT_PASS;
out:
	if (fd >= 0)
		close(fd);
	unlink(file);
	rmdir(dir);
	unlink(odd);
	group_done(a);
	return ret;
}

/*
 * disjoint_concurrent: two groups confined to disjoint areas swap out and
 * in at once on all CPUs; neither ever shows a page outside its area.
 */
static int test_disjoint_concurrent(void)
{
	const struct swap_area *own[2] = { mid, lo };
	struct pollfd pfd[2];
	struct worker w[2] = { };
	long bytes[MAX_AREAS], peak[2] = { }, rounds[2] = { };
	long deadline, next, violations = 0;
	int ret = KSFT_FAIL, i, j, idx[2], samples = 0, left = 2;
	bool done[2] = { };
	char *g[2] = { };

	for (i = 0; i < 2; i++) {
		idx[i] = area_index(&base, own[i]);
		g[i] = group_create(parent, i ? "b" : "a", NULL);
		if (!g[i] || !set_rule(g[i], "default 0") ||
		    !set_rule(g[i], "%s max", own[i]->path) ||
		    !effective_is(g[i], &base, "0", own[i], "max", NULL))
			goto out;
		if (worker_start(&w[i], g[i]) ||
		    worker_alloc(&w[i], MB(16), false) < 0)
			goto out;
	}
	for (i = 0; i < 2; i++) {
		if (worker_send(&w[i], OP_CHURN, 0, CHURN_MS))
			goto out;
		pfd[i].fd = w[i].rsp_fd;
		pfd[i].events = POLLIN;
	}

	deadline = now_ms() + CHURN_MS + WORKER_TIMEOUT_MS;
	next = now_ms();
	while (left) {
		if (now_ms() > deadline) {
			ksft_print_msg("the workers did not finish\n");
			goto out;
		}
		if (poll(pfd, 2, next > now_ms() ? next - now_ms() : 0) < 0 &&
		    errno != EINTR)
			goto out;
		for (i = 0; i < 2; i++) {
			if (done[i] || !(pfd[i].revents & (POLLIN | POLLHUP)))
				continue;
			if (read(w[i].rsp_fd, &rounds[i], sizeof(long)) !=
			    sizeof(long)) {
				ksft_print_msg("worker %d died\n", w[i].pid);
				goto out;
			}
			done[i] = true;
			pfd[i].fd = -1;
			left--;
		}
		if (left && now_ms() < next)
			continue;
		next += SAMPLE_MS;
		samples++;
		for (i = 0; i < 2; i++) {
			if (stat_read(g[i], &base, bytes))
				goto out;
			for (j = 0; j < base.nr; j++) {
				if (j == idx[i]) {
					if (bytes[j] > peak[i])
						peak[i] = bytes[j];
				} else if (bytes[j] && violations++ < 10) {
					ksft_print_msg("%s: %ld bytes on %s\n",
						       g[i], bytes[j],
						       base.area[j].path);
				}
			}
		}
	}
	ksft_print_msg("%d samples; a: %ld rounds, peak %ld on %s; b: %ld rounds, peak %ld on %s\n",
		       samples, rounds[0], peak[0], mid->path, rounds[1],
		       peak[1], lo->path);
	if (!expect(!violations, "%ld samples out of bounds", violations))
		goto out;
	for (i = 0; i < 2; i++)
		if (!expect(rounds[i] >= 2 && peak[i] > 0,
			    "%s: %ld rounds, peak %ld: did not swap", g[i],
			    rounds[i], peak[i]) ||
		    worker_read(&w[i], 0))
			goto out;
	ret = KSFT_PASS;
out:
	workers_end(w, 2);
	for (i = 0; i < 2; i++)
		group_done(g[i]);
	return ret;
}

/*
 * v1: on a cgroup v1 hierarchy, a group allowed only lo swaps only to lo.
 * It takes the controller away from cgroup v2: it runs last.
 */
static int test_v1(void)
{
	char dir[] = "/tmp/swapcg_devices_v1.XXXXXX", *g = NULL;
	char want[PATH_MAX + 32];
	struct worker w = { };
	long bytes[MAX_AREAS];
	int ret = KSFT_FAIL, err, ilo = area_index(&base, lo);

	err = v2_let_go("swap");
	if (err)
		return skip("swap is in use on cgroup v2 (%s)", strerror(-err));
	err = v1_mount(dir, "swap");
	if (err == EBUSY)
		return skip("mount -t cgroup -o swap: %s", strerror(err));
	if (!expect(!err, "mount -t cgroup -o swap: %s", strerror(err)))
		return KSFT_FAIL;

	if (!expect(!has_file(dir, "swap.devices"),
		    "the v1 root has swap.devices") ||
	    !effective_is(dir, &base, "max", NULL))
		goto out;
	g = cg_name(dir, "g");
	if (!expect(!mkdir(g, 0755), "mkdir %s: %s", g, strerror(errno)))
		goto out;
	snprintf(want, sizeof(want), "default 0\n%s max\n", lo->path);
	if (!file_is(g, "swap.devices", "default max\n") ||
	    !set_rule(g, "default 0\n%s max", lo->path) ||
	    !file_is(g, "swap.devices", want) ||
	    !effective_is(g, &base, "0", lo, "max", NULL))
		goto out;
	/* A rule set with a bad line changes nothing on v1 either. */
	if (!expect(devices_write(g, "default max\n%s 0\nbogus", lo->path) ==
		    -EINVAL, "a bad rule set was taken") ||
	    !file_is(g, "swap.devices", want) ||
	    !effective_is(g, &base, "0", lo, "max", NULL))
		goto out;
	if (!worker_swap(&w, g, MB(32)) ||
	    !stat_only(g, &base, ilo, MB(32), bytes) ||
	    !expect(close_to(vmswap(w.pid, w.tid), MB(32), SLACK),
		    "VmSwap %ld", vmswap(w.pid, w.tid)) ||
	    worker_read(&w, 0))
		goto out;
	ret = KSFT_PASS;
out:
	workers_end(&w, 1);
	if (g) {
		if (wait_swap_current(g, 0))
			ksft_print_msg("%s: swap.current %ld after exit\n", g,
				       swap_current(g));
		group_destroy(g);
	}
	v1_umount(dir, "swap");
	return ret;
}

#define T(x) { test_ ## x, #x }
static const struct swapcg_test tests[] = {
	T(devices_files),
	T(bad_writes),
	T(rule_list),
	T(confine),
	T(child_cannot_widen),
	T(area_limit),
	T(all_forbidden),
	T(no_swap),
	T(path_and_devnum),
	T(survives_swapoff),
	T(swapfile_area),
	T(swapfile_recreated),
	T(devnum_survives_swapoff),
	T(opener_creds),
	T(disjoint_concurrent),
	T(v1),		/* last: it takes the controller away from v2 */
};

#undef T

/* Names hi, mid and lo, if there are three areas to name. */
static const char *setup(void)
{
	static char why[64];

	if (swaps_read(&base) || base.nr < 3) {
		snprintf(why, sizeof(why),
			 "needs three active swap areas, has %d", base.nr);
		return why;
	}
	hi = &base.area[0];
	mid = &base.area[1];
	lo = &base.area[2];
	if (hi->prio == mid->prio || mid->prio == lo->prio)
		return "needs three swap areas of distinct priorities";
	if (!has_file(parent, "swap.devices"))
		return "no swap.devices";
	ksft_print_msg("areas: hi %s (priority %d), mid %s (%d), lo %s (%d)\n",
		       hi->path, hi->prio, mid->path, mid->prio, lo->path,
		       lo->prio);
	return NULL;
}

SWAPCG_MAIN(.group = "swapcg_devices_test", .setup = setup,
	    .after_each = areas_restore)
