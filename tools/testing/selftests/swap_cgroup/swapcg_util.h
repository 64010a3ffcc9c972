/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the swap_cgroup selftests, on top of cgroup_util.h:
 * checks that explain themselves, one-write(2) control file writes, waits
 * with deadlines, groups that go away even with tasks in them, and the
 * swap areas of /proc/swaps.
 */
#ifndef __SWAPCG_UTIL_H
#define __SWAPCG_UTIL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

#include "../kselftest.h"
#include "../cgroup/cgroup_util.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif

/*
 * expect(cond, fmt, ...): reports @fmt, with the function and line, as a
 * diagnostic unless @cond holds; gives @cond.
 */
#define expect(cond, fmt, ...) \
	__expect(!!(cond), __func__, __LINE__, fmt, ##__VA_ARGS__)

bool __expect(bool ok, const char *func, int line, const char *fmt, ...);

/* A test of a program's table: its function (a KSFT_* code) and name. */
struct swapcg_test {
	int (*fn)(void);
	const char *name;
};

/* Why the last test that called skip() was skipped. */
extern char skip_reason[256];
int skip(const char *fmt, ...);
bool selected(const char *name, int argc, char **argv);

int cgroup2_root(char *root, size_t len);

long now_ms(void);
void sleep_ms(long ms);
bool close_to(long a, long b, long slack);

int write_buf(const char *path, const void *buf, size_t len);
int write_file(const char *path, const char *text);
int read_file(const char *path, char *buf, size_t size);
int cg_set(const char *cg, const char *file, const char *text);
int cg_setf(const char *cg, const char *file, const char *fmt, ...);
bool file_is(const char *cg, const char *file, const char *want);
bool has_file(const char *dir, const char *file);
bool has_word(const char *dir, const char *file, const char *word);
long area_value(const char *cg, const char *file, const char *name);

void dump_task(pid_t pid);
long task_faults(pid_t pid);
bool task_still_faulting(pid_t pid, long *faults, int secs);
long proc_kb(const char *path, const char *key);
long vmstat_read(const char *key);
void reap(pid_t pid);
void wait_writeback(void);
int proc_cgroups_num(const char *ss);
bool wait_hierarchy_empty(const char *ss);

char *group_create(const char *base, const char *name, const char *subtree);
int group_rmdir(const char *cg);
void group_destroy(char *cg);
void group_destroy_tree(const char *cg);

/* An active swap area, as /proc/swaps shows it. */
struct swap_area {
	char name[PATH_MAX];	/* escaped, as swap.stat shows it too */
	char path[PATH_MAX];
	long size;		/* bytes */
	long used;		/* bytes */
	int prio;
};

void unescape(const char *in, char *out);
int swap_areas(struct swap_area *areas, int max);
int area_swapon(const struct swap_area *area, int prio);
int swapfile_make(const char *path, long size);

/*
 * Prints the result line of test @name from its KSFT_* code @ret; a skip
 * gives skip_reason.  Inline: kselftest.h keeps its counters in each
 * program's own copy.
 */
static inline void report(int ret, const char *name)
{
	switch (ret) {
	case KSFT_PASS:
		ksft_test_result_pass("%s\n", name);
		break;
	case KSFT_SKIP:
		ksft_inc_xskip_cnt();
		printf("ok %u %s # SKIP %s\n", ksft_test_num(), name,
		       skip_reason);
		break;
	default:
		ksft_test_result_fail("%s\n", name);
		break;
	}
	fflush(stdout);
}

/*
 * Finds the cgroup v2 root, into @root, for a program that needs root and
 * the swap controller; if it cannot run, exits with its tests skipped.
 */
static inline void swapcg_require(char *root, size_t len)
{
	if (cgroup2_root(root, len))
		ksft_exit_skip("cgroup v2 isn't mounted\n");
	if (geteuid())
		ksft_exit_skip("must run as root\n");
	if (!has_word(root, "cgroup.controllers", "swap"))
		ksft_exit_skip("no swap controller\n");
}

#endif /* __SWAPCG_UTIL_H */
