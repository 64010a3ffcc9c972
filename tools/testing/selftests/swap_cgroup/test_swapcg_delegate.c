// SPDX-License-Identifier: GPL-2.0
/*
 * Delegation of the swap controller to an unprivileged user.
 *
 * On cgroup v2, root delegates a subtree by giving the user the directory,
 * its cgroup.procs, cgroup.threads and cgroup.subtree_control, after
 * setting the delegation root's own swap.max and swap.devices.  The user
 * may then enable the controller below, create groups and set their
 * swap.max and swap.devices, but may not write the delegation root's limits,
 * nor use more swap than it allows, nor use an area that it forbids.
 *
 * On cgroup v1, the files of a group belong to root: a user cannot write
 * them at all.
 *
 * Swap-out is made deterministic with MADV_PAGEOUT.  The user is uid and gid
 * 65534 unless SWAPCG_TEST_UID is set.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest.h"
#include "swapcg_util.h"

#define DELEG_MAX	MB(16)
#define SWAP_SIZE	MB(48)
#define MAX_AREAS	8

static char *deleg;		/* the delegation root */
static char *child;		/* a group the user makes in it */
static char *leaf;		/* another, where root puts the user's tasks */
static uid_t uid = 65534;
static gid_t gid = 65534;

static struct swap_area areas[MAX_AREAS];
static int nr_areas;
static const struct swap_area *hi;	/* forbidden by the delegation root */

/*
 * Page out @size bytes of fresh anonymous memory of this process; the
 * memory stays mapped (and charged) until the process exits.
 */
static long page_out(long size)
{
	char *p;
	long i;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	madvise(p, size, MADV_NOHUGEPAGE);
	for (i = 0; i < size; i += PAGE_SIZE)
		memset(p + i, (i / PAGE_SIZE) % 251 + 1, PAGE_SIZE);
	if (madvise(p, size, MADV_PAGEOUT))
		return -1;
	return proc_kb("/proc/self/status", "VmSwap");
}

/* Become the delegatee: not root, no supplementary groups. */
static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid)) {
		ksft_print_msg("cannot become %d:%d: %s\n", uid, gid,
			       strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Runs @fn as the delegatee in a new process, placed first (by root) in
 * @cg if not NULL.  Returns what @fn returned, a KSFT_ code.
 */
static int as_user(const char *cg, int (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return KSFT_FAIL;
	if (pid == 0) {
		if (cg && cg_enter_current(cg)) {
			ksft_print_msg("cannot enter %s\n", cg);
			fflush(stdout);
			_exit(KSFT_FAIL);
		}
		if (drop_privileges()) {
			fflush(stdout);
			_exit(KSFT_FAIL);
		}
		status = fn();
		fflush(stdout);
		_exit(status);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return KSFT_FAIL;
	return WEXITSTATUS(status);
}

/* ---- run as the user ---- */

static int user_setup(void)
{
	struct stat st;

	if (!expect(!cg_set(deleg, "cgroup.subtree_control", "+swap"),
		    "enable swap in the delegated subtree: %s",
		    strerror(errno)) ||
	    !expect(!mkdir(child, 0755), "mkdir %s: %s", child,
		    strerror(errno)) ||
	    !expect(!mkdir(leaf, 0755), "mkdir %s: %s", leaf, strerror(errno)))
		return KSFT_FAIL;
	if (!expect(!stat(child, &st) && st.st_uid == uid,
		    "the new group does not belong to the user"))
		return KSFT_FAIL;
	return KSFT_PASS;
}

static int user_write_own(void)
{
	char want[PATH_MAX + 64];
	int err;

	err = cg_set(child, "swap.max", "8M");
	if (!expect(!err, "write swap.max: %s", strerror(-err)) ||
	    !file_is(child, "swap.max", "8388608\n"))
		return KSFT_FAIL;
	err = cg_set(child, "swap.devices", "default 0");
	if (!expect(!err, "write swap.devices: %s", strerror(-err)))
		return KSFT_FAIL;
	snprintf(want, sizeof(want), "%s 4M", areas[1].path);
	err = cg_set(child, "swap.devices", want);
	if (!expect(!err, "write swap.devices: %s", strerror(-err)))
		return KSFT_FAIL;
	snprintf(want, sizeof(want), "default 0\n%s 4194304\n", areas[1].path);
	if (!file_is(child, "swap.devices", want))
		return KSFT_FAIL;
	if (!expect(area_value(child, "swap.devices.effective",
			       areas[1].path) == MB(4),
		    "effective limit on %s", areas[1].path))
		return KSFT_FAIL;

	/* Back to no limits of its own. */
	snprintf(want, sizeof(want), "%s default", areas[1].path);
	if (cg_set(child, "swap.devices", want) ||
	    cg_set(child, "swap.devices", "default max") ||
	    cg_set(child, "swap.max", "max") ||
	    !file_is(child, "swap.devices", "default max\n") ||
	    !file_is(child, "swap.max", "max\n"))
		return KSFT_FAIL;
	return KSFT_PASS;
}

static int user_root_files(void)
{
	static const char * const files[] = { "swap.max", "swap.devices" };
	static const char * const texts[] = { "max", "default max" };
	char want[PATH_MAX + 64];
	int i, err;

	for (i = 0; i < 2; i++) {
		err = cg_set(deleg, files[i], texts[i]);
		if (!expect(err == -EACCES || err == -EPERM,
			    "write %s of the delegation root: %s", files[i],
			    err ? strerror(-err) : "accepted"))
			return KSFT_FAIL;
	}
	/* Nor can it make the root's files its own. */
	snprintf(want, sizeof(want), "%s/swap.max", deleg);
	if (!expect(chmod(want, 0666) && errno == EPERM,
		    "chmod of the root's swap.max: %s", strerror(errno)) ||
	    !expect(chown(want, uid, gid) && errno == EPERM,
		    "chown of the root's swap.max: %s", strerror(errno)))
		return KSFT_FAIL;
	snprintf(want, sizeof(want), "default max\n%s 0\n", hi->path);
	if (!file_is(deleg, "swap.max", "16777216\n") ||
	    !file_is(deleg, "swap.devices", want))
		return KSFT_FAIL;
	return KSFT_PASS;
}

/* Widen everything it can, then try to pass the delegation root's limit. */
static int user_over_limit(void)
{
	char rule[PATH_MAX + 16];
	long vmswap, cur, root_cur, events;

	snprintf(rule, sizeof(rule), "%s max", hi->path);
	if (cg_set(child, "swap.max", "max") ||
	    cg_set(child, "swap.devices", rule) ||
	    cg_set(child, "swap.devices", "default max"))
		return KSFT_FAIL;
	if (!expect(!cg_enter_current(child), "enter %s: %s", child,
		    strerror(errno)))
		return KSFT_FAIL;
	events = cg_read_key_long(deleg, "swap.events", "max ");
	vmswap = page_out(SWAP_SIZE);
	cur = cg_read_long(child, "swap.current");
	root_cur = cg_read_long(deleg, "swap.current");
	ksft_print_msg("paged out %ld MiB: VmSwap %ld K, swap.current %ld K, root %ld K\n",
		       (long)SWAP_SIZE >> 20, vmswap >> 10, cur >> 10, root_cur >> 10);
	if (!expect(vmswap >= DELEG_MAX / 2,
		    "too little swapped out to tell") ||
	    !expect(vmswap <= DELEG_MAX + SLACK,
		    "VmSwap above the root's limit") ||
	    !expect(cur <= DELEG_MAX && root_cur <= DELEG_MAX,
		    "swap.current above the root's limit") ||
	    !expect(cg_read_key_long(deleg, "swap.events", "max ") > events,
		    "no max event at the delegation root"))
		return KSFT_FAIL;
	if (!expect(area_value(child, "swap.stat", hi->path) == 0,
		    "%ld bytes on %s, which the root forbids",
		    area_value(child, "swap.stat", hi->path), hi->path) ||
	    !expect(area_value(child, "swap.devices.effective", hi->path) == 0,
		    "%s is not forbidden in swap.devices.effective", hi->path))
		return KSFT_FAIL;
	return KSFT_PASS;
}

/* ---- run as root ---- */

static bool wait_swap_empty(const char *cg)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (cg_read_long(cg, "swap.current") == 0)
			return true;
		usleep(50000);
	}
	return false;
}

static int test_enable_and_mkdir(void)
{
	return as_user(NULL, user_setup);
}

static int test_write_own_limits(void)
{
	return as_user(NULL, user_write_own);
}

static int test_root_limits_readonly(void)
{
	return as_user(NULL, user_root_files);
}

static int test_limit_holds(void)
{
	int ret = as_user(leaf, user_over_limit);

	if (!expect(wait_swap_empty(deleg), "swap.current %ld after exit",
		    cg_read_long(deleg, "swap.current")))
		ret = KSFT_FAIL;
	return ret;
}

static char *v1_group;

static int user_v1(void)
{
	static const char * const files[] = { "swap.max", "swap.devices" };
	char path[PATH_MAX];
	int i, err;

	for (i = 0; i < 2; i++) {
		err = cg_set(v1_group, files[i], "0");
		if (!expect(err == -EACCES, "write %s on v1: %s", files[i],
			    err ? strerror(-err) : "accepted"))
			return KSFT_FAIL;
	}
	snprintf(path, sizeof(path), "%s/sub", v1_group);
	if (!expect(mkdir(path, 0755) && errno == EACCES, "mkdir on v1: %s",
		    strerror(errno)))
		return KSFT_FAIL;
	if (!file_is(v1_group, "swap.max", "max\n") ||
	    !file_is(v1_group, "swap.devices", "default max\n"))
		return KSFT_FAIL;
	return KSFT_PASS;
}

/* The v2 groups go first: the controller must be free to move to v1. */
static int test_v1_readonly(void)
{
	char dir[] = "/tmp/swapcg_deleg_v1.XXXXXX";
	int ret = KSFT_FAIL, err, i;

	group_destroy_tree(deleg);
	if (cg_set(root, "cgroup.subtree_control", "-swap"))
		return skip("swap is in use on cgroup v2");
	if (!mkdtemp(dir))
		return KSFT_FAIL;
	for (i = 0; i < 100; i++) {
		err = mount("none", dir, "cgroup", 0, "swap") ? errno : 0;
		if (err != EBUSY)
			break;
		usleep(100000);
	}
	if (err) {
		rmdir(dir);
		if (err == EBUSY)
			return skip("mount -t cgroup -o swap: %s", strerror(err));
		ksft_print_msg("mount -t cgroup -o swap: %s\n", strerror(err));
		return KSFT_FAIL;
	}
	v1_group = cg_name(dir, "g");
	if (expect(!mkdir(v1_group, 0755), "mkdir %s", v1_group))
		ret = as_user(NULL, user_v1);
	rmdir(v1_group);
	free(v1_group);
	for (i = 0; i < 100 && proc_cgroups_num("swap") > 1; i++)
		usleep(50000);
	if (umount(dir))
		ksft_print_msg("umount %s: %s\n", dir, strerror(errno));
	rmdir(dir);
	return ret;
}

/* Give the subtree to the user: the directory and three of its files. */
static int delegate(void)
{
	static const char * const files[] = {
		"", "/cgroup.procs", "/cgroup.threads", "/cgroup.subtree_control",
	};
	char path[PATH_MAX + 32], rule[PATH_MAX + 8];
	size_t i;

	if (cg_create(deleg) || cg_set(deleg, "swap.max", "16M"))
		return -1;
	snprintf(rule, sizeof(rule), "%s 0", hi->path);
	if (cg_set(deleg, "swap.devices", rule))
		return -1;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s%s", deleg, files[i]);
		if (chown(path, uid, gid))
			return -1;
	}
	return 0;
}

static const struct swapcg_test tests[] = {
	{ test_enable_and_mkdir, "user_enables_swap_and_makes_groups" },
	{ test_write_own_limits, "user_sets_limits_below" },
	{ test_root_limits_readonly, "user_cannot_write_root_limits" },
	{ test_limit_holds, "root_limit_and_forbidden_area_hold" },
	{ test_v1_readonly, "v1_user_cannot_write" },
};

int main(void)
{
	const char *env;
	size_t i;
	int ret;

	ksft_print_header();
	env = getenv("SWAPCG_TEST_UID");
	if (env) {
		uid = atoi(env);
		gid = uid;
	}
	swapcg_require(root, sizeof(root));
	nr_areas = swap_areas(areas, MAX_AREAS);
	if (nr_areas < 2)
		ksft_exit_skip("needs two active swap areas\n");
	hi = &areas[0];
	root_had_swap = has_word(root, "cgroup.subtree_control", "swap");

	deleg = cg_name(root, "swapcg_delegate_test");
	child = cg_name(deleg, "a");
	leaf = cg_name(deleg, "b");
	group_destroy_tree(deleg);
	if (cg_set(root, "cgroup.subtree_control", "+swap") || delegate())
		ksft_exit_fail_msg("cannot delegate %s: %s\n", deleg,
				   strerror(errno));
	ksft_print_msg("delegated %s to %d:%d; swap.max 16M, %s forbidden\n",
		       deleg, uid, gid, hi->path);

	ksft_set_plan(ARRAY_SIZE(tests));
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		skip_reason[0] = '\0';
		ret = tests[i].fn();
		report(ret, tests[i].name);
	}
	group_destroy_tree(deleg);
	cg_set(root, "cgroup.subtree_control",
	       root_had_swap ? "+swap" : "-swap");
	ksft_finished();
}
