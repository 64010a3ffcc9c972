// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the swap cgroup controller about the group a page is charged to:
 * that of its mm's owner, after the owning thread exits, after fork() and a
 * write, or a move; for tmpfs and shm, the group that created the file,
 * then its parent once the group is gone; and when charges go: with the
 * slot, at rmdir, at swapoff.  Workers and groups as in test_swapcg.c.
 *
 * Usage: test_swapcg_owner [TEST...]: runs the named tests only, if any
 * are named.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/swap.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "../kselftest.h"
#include "swapcg_util.h"
#include "swapcg_worker.h"

#define MAX_AREAS		16

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
 * Mounts a tmpfs on a new directory @dir (PATH_MAX) of the scratch area and
 * names @file (PATH_MAX + 16) in it: 0, or -1.
 */
static int tmpfs_mount(char *dir, char *file)
{
	const char *base = getenv("SWAPCG_SCRATCH");

	if (!base || access(base, W_OK))
		base = "/tmp";
	snprintf(dir, PATH_MAX, "%s/swapcg_tmpfs.XXXXXX", base);
	if (!expect(mkdtemp(dir), "mkdtemp: %s", strerror(errno)))
		return -1;
	if (!expect(!mount("swapcg", dir, "tmpfs", 0, "size=64m"),
		    "mount tmpfs on %s: %s", dir, strerror(errno))) {
		rmdir(dir);
		return -1;
	}
	snprintf(file, PATH_MAX + 16, "%s/data", dir);
	return 0;
}

static void tmpfs_umount(const char *dir)
{
	if (umount(dir))
		ksft_print_msg("umount %s: %s\n", dir, strerror(errno));
	rmdir(dir);
}

/*
 * tmpfs: tmpfs and memfd pages are charged to the group of the task that
 * created the file, whoever pages them out.
 */
static int test_tmpfs(void)
{
	char dir[PATH_MAX], file[PATH_MAX + 16];
	char *a = NULL, *b = NULL;
	int ret = KSFT_FAIL;
	long cur_a, cur_b;

	if (tmpfs_mount(dir, file))
		return KSFT_FAIL;

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
	tmpfs_umount(dir);
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
	char *p = NULL, *a = NULL, *b = NULL;
	long deadline, cur_p, cur_b;
	int ret = KSFT_FAIL, n0;

	if (tmpfs_mount(dir, file))
		return KSFT_FAIL;

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
	tmpfs_umount(dir);
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

#define T(x) { test_ ## x, #x }
static const struct swapcg_test tests[] = {
	T(owner_thread),
	T(fork_cow),
	T(rmdir_with_swap),
	T(tmpfs),
	T(tmpfs_group_removed),
	T(swapoff),
};

#undef T

SWAPCG_MAIN(.group = "swapcg_test", .memory = true)
