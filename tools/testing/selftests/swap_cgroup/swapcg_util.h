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

/* How long the waits for the kernel to catch up last. */
#define SETTLE_MS		5000

/* The slack allowed between two ways of counting the same swap. */
#define SLACK			MB(1)

/* The files of the controller on a non-root group, but swap.devices. */
static const char * const swap_files[] = {
	"swap.max", "swap.current", "swap.peak", "swap.events", "swap.stat",
};

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

/*
 * The cgroup v2 root, the group under which a program's tests make theirs
 * (NULL once gone), whether the memory controller is in use there, and
 * whether the root had the swap and memory controllers on for its children
 * at the start.
 */
extern char root[PATH_MAX];
extern char *parent;
extern bool has_memcg, root_had_swap, root_had_memory;

/* A program of tests, run by swapcg_main(). */
struct swapcg_suite {
	const struct swapcg_test *tests;
	int nr_tests;
	const char *group;	/* the name of @parent */
	bool memory;		/* use the memory controller too, if any */
	/* Once @parent is made: why the tests cannot run, or NULL. */
	const char *(*setup)(void);
	void (*after_each)(void);
};

void swapcg_main(const struct swapcg_suite *s, int argc, char **argv);

/*
 * The main() of a program that swapcg_main() runs: its tests[], and the
 * other fields of its struct swapcg_suite as arguments.
 */
#define SWAPCG_MAIN(...)						\
int main(int argc, char **argv)						\
{									\
	static const struct swapcg_suite suite = {			\
		.tests = tests,						\
		.nr_tests = ARRAY_SIZE(tests),				\
		__VA_ARGS__						\
	};								\
									\
	swapcg_main(&suite, argc, argv);				\
}

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
int cg_set_pid(const char *cg, const char *file, pid_t pid);
bool file_is(const char *cg, const char *file, const char *want);
bool has_file(const char *dir, const char *file);
bool has_word(const char *dir, const char *file, const char *word);
long area_value(const char *cg, const char *file, const char *name);
long swap_current(const char *cg);
long swap_peak(const char *cg);
long wait_swap_current(const char *cg, long target);
int swap_events(const char *cg, long *max, long *fail);
long swap_stat_sum(const char *cg, int *lines);
long vmswap(pid_t pid, pid_t tid);

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
int v2_let_go(const char *ss);
int v1_mount(char *dir, const char *ss);
void v1_umount(char *dir, const char *ss);

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
int areas_swapon(struct swap_area *off, int nr_off);
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
