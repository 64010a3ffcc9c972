// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures in the swap cgroup controller's paths.
 *
 * With failslab and fail_page_alloc armed through /proc/thread-self/fail-nth,
 * the N-th allocation of a single system call fails, for N = 1, 2, ... until
 * the call gets through without reaching the N-th one:
 *
 *   - swapon of a swap file (the controller allocates a record per slot);
 *   - mkdir of a group below one with the controller enabled;
 *   - writes of swap.devices rules, by path and by MAJ:MIN, and of swap.max.
 *
 * Each failing call must return ENOMEM and leave nothing behind: no area in
 * /proc/swaps, no group, the file as it was; a call that succeeds must have
 * done all of its work.  Then the number of groups returns to where it was,
 * and kmemleak, if the kernel has it, finds nothing of ours.
 *
 * The kernel messages between "swapcg-faults: injecting" and
 * "swapcg-faults: done" may hold allocation failure reports with stack
 * traces: they are expected.
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and
 * CONFIG_FAULT_INJECTION_DEBUG_FS; skips without them.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>

#include "../kselftest.h"
#include "swapcg_util.h"

#define DEBUGFS		"/sys/kernel/debug"
#define MAX_NTH		2000
#define SWAPFILE_SIZE	MB(16)

static int nth_fd = -1;
static char swapfile[PATH_MAX];
static int base_groups;

static void console_mark(const char *text)
{
	write_file("/dev/kmsg", text);
}

/* Fault injection settings we change, and their values before. */
static const char * const knobs[][2] = {
	{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
	{ DEBUGFS "/failslab/verbose", "0" },
	{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
	{ DEBUGFS "/fail_page_alloc/min-order", "0" },
	{ DEBUGFS "/fail_page_alloc/verbose", "0" },
};

static char saved[ARRAY_SIZE(knobs)][32];

static int faults_setup(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (read_file(knobs[i][0], saved[i], sizeof(saved[i])))
			return -1;
		if (write_file(knobs[i][0], knobs[i][1]))
			return -1;
	}
	return 0;
}

static void faults_restore(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (saved[i][0])
			write_file(knobs[i][0], saved[i]);
}

/* Arm the @nth allocation of this thread to fail. */
static int arm(int nth)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", nth);

	if (pwrite(nth_fd, buf, len, 0) != len)
		return -1;
	return 0;
}

/* Was the armed failure injected?  Disarms it either way. */
static bool disarm(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		return false;
	pwrite(nth_fd, "0", 1, 0);
	return atoi(buf) == 0;
}

/* ---- swapon ---- */

static bool in_proc_swaps(const char *path)
{
	char buf[PAGE_SIZE * 4];

	if (read_file("/proc/swaps", buf, sizeof(buf)))
		return false;
	return strstr(buf, path);
}

/* What swap.devices.effective of @cg lists: one line per active area. */
static int effective_lines(const char *cg)
{
	char buf[PAGE_SIZE];
	int n = 0;
	char *p;

	if (cg_read(cg, "swap.devices.effective", buf, sizeof(buf)))
		return -1;
	for (p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

static int active_areas(void)
{
	char buf[PAGE_SIZE * 4];
	int n = -1;
	char *p;

	if (read_file("/proc/swaps", buf, sizeof(buf)))
		return -1;
	for (p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

static int test_swapon(void)
{
	int nth, ret, err, areas = active_areas(), fails = 0;
	bool injected;
	char *g;

	if (!getenv("SWAPCG_SCRATCH") && access("/run/scratch", W_OK))
		return skip("no scratch disk for a swap file");
	snprintf(swapfile, sizeof(swapfile), "%s/swapcg_faults.swap",
		 getenv("SWAPCG_SCRATCH") ?: "/run/scratch");
	if (swapfile_make(swapfile, SWAPFILE_SIZE))
		return skip("cannot make %s: %s", swapfile, strerror(errno));
	g = cg_name(parent, "swapon");
	if (cg_create(g)) {
		free(g);
		return KSFT_FAIL;
	}

	for (nth = 1; nth < MAX_NTH; nth++) {
		arm(nth);
		ret = swapon(swapfile, 0);
		err = errno;
		injected = disarm();
		if (ret == 0) {
			if (!expect(in_proc_swaps(swapfile),
				    "nth %d: swapon succeeded, no area", nth) ||
			    !expect(effective_lines(g) == areas + 1,
				    "nth %d: swap.devices.effective has %d areas",
				    nth, effective_lines(g)) ||
			    !expect(!swapoff(swapfile), "swapoff: %s",
				    strerror(errno))) {
				fails++;
				break;
			}
			if (!injected)
				break;
			continue;
		}
		if (!expect(injected,
			    "nth %d: swapon failed (%s) with no fault",
			    nth, strerror(err)) ||
		    !expect(err == ENOMEM, "nth %d: swapon: %s", nth,
			    strerror(err)) ||
		    !expect(!in_proc_swaps(swapfile),
			    "nth %d: failed swapon left an area", nth) ||
		    !expect(effective_lines(g) == areas,
			    "nth %d: swap.devices.effective has %d areas",
			    nth, effective_lines(g)))
			fails++;
		if (fails > 5)
			break;
	}
	ksft_print_msg("swapon: %d allocations failed in turn\n", nth - 1);
	/* After all that, the file must still work as a swap area. */
	if (!expect(!swapon(swapfile, 0), "swapon: %s", strerror(errno)) ||
	    !expect(!swapoff(swapfile), "swapoff: %s", strerror(errno)))
		fails++;
	cg_destroy(g);
	free(g);
	unlink(swapfile);
	return fails || nth >= MAX_NTH ? KSFT_FAIL : KSFT_PASS;
}

/* ---- mkdir ---- */

/*
 * Waits for dying groups to go: at most @want swap groups again (groups
 * removed before the test may still be dying at the start).
 */
static bool groups_back_to(int want)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (proc_cgroups_num("swap") <= want)
			return true;
		usleep(100000);
	}
	ksft_print_msg("%d swap groups, at most %d expected\n",
		       proc_cgroups_num("swap"), want);
	return false;
}

static int test_mkdir(void)
{
	int nth, ret, err, fails = 0, groups = proc_cgroups_num("swap");
	bool injected;
	char *g = cg_name(parent, "mkdir");

	for (nth = 1; nth < MAX_NTH && fails < 5; nth++) {
		arm(nth);
		ret = mkdir(g, 0755);
		err = errno;
		injected = disarm();
		if (ret == 0) {
			if (!expect(cg_read_strcmp(g, "swap.max", "max\n") == 0,
				    "nth %d: new group without swap.max",
				    nth) ||
			    !expect(cg_read_strcmp(g, "swap.devices",
						   "default max\n") == 0,
				    "nth %d: new group without swap.devices",
				    nth))
				fails++;
			if (!expect(!rmdir(g), "rmdir: %s", strerror(errno)))
				break;
			if (!injected)
				break;
			continue;
		}
		if (!expect(injected, "nth %d: mkdir failed (%s) with no fault",
			    nth, strerror(err)) ||
		    !expect(err == ENOMEM, "nth %d: mkdir: %s", nth,
			    strerror(err)) ||
		    !expect(access(g, F_OK), "nth %d: failed mkdir left %s",
			    nth, g))
			fails++;
		rmdir(g);
	}
	ksft_print_msg("mkdir: %d allocations failed in turn\n", nth - 1);
	free(g);
	if (!groups_back_to(groups))
		fails++;
	return fails || nth >= MAX_NTH ? KSFT_FAIL : KSFT_PASS;
}

/* ---- writes ---- */

/* Writes @text to @cg/@file with each allocation failing in turn. */
static int fault_writes(const char *cg, const char *file, const char *text,
			const char *want)
{
	char path[PATH_MAX], before[PAGE_SIZE], after[PAGE_SIZE];
	int nth, fd, err, fails = 0;
	bool injected;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	for (nth = 1; nth < MAX_NTH && fails < 5; nth++) {
		if (read_file(path, before, sizeof(before)))
			return -1;
		fd = open(path, O_WRONLY);
		if (fd < 0)
			return -1;
		arm(nth);
		n = write(fd, text, strlen(text));
		err = errno;
		injected = disarm();
		close(fd);
		read_file(path, after, sizeof(after));
		if (n >= 0) {
			if (!expect(!strcmp(after, want),
				    "nth %d: \"%s\" gave:\n%s", nth, text,
				    after))
				fails++;
			if (!injected)
				break;
			continue;
		}
		if (!expect(injected, "nth %d: write failed (%s) with no fault",
			    nth, strerror(err)) ||
		    !expect(err == ENOMEM, "nth %d: write \"%s\": %s", nth,
			    text, strerror(err)) ||
		    !expect(!strcmp(after, before),
			    "nth %d: failed write changed %s:\n%s",
			    nth, file, after))
			fails++;
	}
	ksft_print_msg("%s \"%s\": %d allocations failed in turn\n", file,
		       text, nth - 1);
	return fails || nth >= MAX_NTH ? -1 : 0;
}

static int test_rule_writes(void)
{
	char area[PATH_MAX], line[PATH_MAX + 32], want[PATH_MAX + 64];
	char devnum[32];
	struct stat st;
	int ret = KSFT_PASS;
	char *g = cg_name(parent, "rules");
	FILE *f;

	f = fopen("/proc/swaps", "r");
	area[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (line[0] == '/' && sscanf(line, "%4095s", area) == 1)
			break;
	if (f)
		fclose(f);
	if (!area[0] || stat(area, &st) || !S_ISBLK(st.st_mode)) {
		free(g);
		return skip("no swap area on a block device");
	}
	snprintf(devnum, sizeof(devnum), "%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	if (cg_create(g)) {
		free(g);
		return KSFT_FAIL;
	}

	snprintf(line, sizeof(line), "%s 8M", area);
	snprintf(want, sizeof(want), "default max\n%s 8388608\n", area);
	if (fault_writes(g, "swap.devices", line, want))
		ret = KSFT_FAIL;
	snprintf(line, sizeof(line), "%s 0", devnum);
	snprintf(want, sizeof(want), "default max\n%s 0\n", devnum);
	if (fault_writes(g, "swap.devices", line, want))
		ret = KSFT_FAIL;
	snprintf(line, sizeof(line), "%s default", area);
	if (fault_writes(g, "swap.devices", line, "default max\n"))
		ret = KSFT_FAIL;
	if (fault_writes(g, "swap.devices", "default 0", "default 0\n"))
		ret = KSFT_FAIL;
	if (fault_writes(g, "swap.max", "12M", "12582912\n"))
		ret = KSFT_FAIL;
	cg_destroy(g);
	free(g);
	return ret;
}

/* ---- leaks ---- */

static int test_no_leaks(void)
{
	static char report[1 << 20];
	const char *path = DEBUGFS "/kmemleak";
	static const char * const ours[] = {
		"swapcg", "cgroup", "swapon", "kernfs", "css_",
	};
	int ret = KSFT_PASS;
	size_t i;

	if (!groups_back_to(base_groups))
		ret = KSFT_FAIL;
	if (access(path, W_OK))
		return ret == KSFT_PASS ? skip("no kmemleak") : ret;
	/* Objects freed by RCU or workers need a moment; scan twice. */
	sleep(2);
	if (write_file(path, "scan") || (sleep(1), write_file(path, "scan")) ||
	    read_file(path, report, sizeof(report)))
		return skip("kmemleak scan failed");
	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		if (strstr(report, ours[i])) {
			ksft_print_msg("kmemleak reports objects of ours (%s):\n",
				       ours[i]);
			printf("%.*s\n", 4000, report);
			return KSFT_FAIL;
		}
	}
	if (report[0])
		ksft_print_msg("kmemleak reports objects, none of ours\n");
	return ret;
}

static const struct swapcg_test tests[] = {
	{ test_swapon, "swapon" },
	{ test_mkdir, "mkdir" },
	{ test_rule_writes, "rule_writes" },
	{ test_no_leaks, "no_leaks" },
};

int main(void)
{
	const char *why = NULL;
	size_t i;
	int ret;

	ksft_print_header();
	swapcg_require(root, sizeof(root));

	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0)
		why = "no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)";
	else if (access(DEBUGFS "/failslab", F_OK) ||
		 access(DEBUGFS "/fail_page_alloc", F_OK))
		why = "no failslab or fail_page_alloc in debugfs";
	else if (faults_setup())
		why = "cannot set up fault injection";
	if (why) {
		faults_restore();
		ksft_set_plan(ARRAY_SIZE(tests));
		for (i = 0; i < ARRAY_SIZE(tests); i++)
			report(skip("%s", why), tests[i].name);
		ksft_finished();
	}

	root_had_swap = has_word(root, "cgroup.subtree_control", "swap");
	parent = cg_name(root, "swapcg_faults_test");
	cg_destroy(parent);
	base_groups = proc_cgroups_num("swap");
	if (write_file("/sys/fs/cgroup/cgroup.subtree_control", "+swap") ||
	    cg_create(parent) ||
	    cg_write(parent, "cgroup.subtree_control", "+swap"))
		ksft_exit_fail_msg("cannot create %s\n", parent);

	ksft_set_plan(ARRAY_SIZE(tests));
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		skip_reason[0] = '\0';
		if (tests[i].fn == test_no_leaks) {
			cg_destroy(parent);
			if (!root_had_swap)
				cg_write(root, "cgroup.subtree_control", "-swap");
		}
		console_mark("swapcg-faults: injecting");
		ret = tests[i].fn();
		console_mark("swapcg-faults: done");
		report(ret, tests[i].name);
	}
	faults_restore();
	cg_destroy(parent);
	free(parent);
	ksft_finished();
}
