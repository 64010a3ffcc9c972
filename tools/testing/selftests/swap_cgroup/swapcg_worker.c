// SPDX-License-Identifier: GPL-2.0
/*
 * The worker of the swap_cgroup selftests (see swapcg_worker.h), and the
 * groups the test process watches while a worker works.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "swapcg_util.h"
#include "swapcg_worker.h"

#define HPAGE_SIZE	(2UL << 20)
#define MAX_REGIONS	16
/* How often the test process samples the watched groups. */
#define SAMPLE_MS	5

struct worker_cmd {
	int op;
	int region;
	long arg;
};

/* The worker's regions, in the worker process. */
static struct region regions[MAX_REGIONS];
static int nr_regions;

/* What each byte of page @page of @r holds: never zero. */
static unsigned char page_byte(const struct region *r, size_t page)
{
	return (r->seed + page * 7) % 251 + 1;
}

/* Fills each page of @r with its byte. */
void region_fill(struct region *r)
{
	size_t i;

	for (i = 0; i < r->size / PAGE_SIZE; i++)
		memset(r->mem + i * PAGE_SIZE, page_byte(r, i), PAGE_SIZE);
}

/* The number of pages of @r that do not hold their byte. */
long region_bad_pages(const struct region *r)
{
	size_t i, offs[] = { 0, PAGE_SIZE / 2, PAGE_SIZE - 1 };
	const unsigned char *mem = (const unsigned char *)r->mem;
	long bad = 0;
	int j;

	for (i = 0; i < r->size / PAGE_SIZE; i++) {
		for (j = 0; j < 3; j++) {
			if (mem[i * PAGE_SIZE + offs[j]] != page_byte(r, i)) {
				bad++;
				break;
			}
		}
	}
	return bad;
}

static long region_alloc(size_t size, bool thp)
{
	size_t len = thp ? size + HPAGE_SIZE : size;
	struct region *r;
	char *mem, *start;

	if (nr_regions == MAX_REGIONS)
		return -ENOSPC;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	start = mem;
	if (thp) {
		start = (char *)(((unsigned long)mem + HPAGE_SIZE - 1) &
				 ~(HPAGE_SIZE - 1));
		if (start > mem)
			munmap(mem, start - mem);
		if (mem + len > start + size)
			munmap(start + size, mem + len - (start + size));
		if (madvise(start, size, MADV_HUGEPAGE))
			return -errno;
	} else {
		/*
		 * Small pages, unless the kernel has no THP at all: a THP
		 * swap-out may fail and count a "fail".
		 */
		madvise(start, size, MADV_NOHUGEPAGE);
	}

	r = &regions[nr_regions];
	r->mem = start;
	r->size = size;
	r->seed = nr_regions * 37 + 11;
	region_fill(r);
	return nr_regions++;
}

static long region_churn(struct region *r, long ms, int cmd_fd)
{
	struct pollfd pfd = { .fd = cmd_fd, .events = POLLIN };
	long deadline = now_ms() + ms, rounds = 0;

	while (now_ms() < deadline && !poll(&pfd, 1, 0)) {
		if (madvise(r->mem, r->size, MADV_PAGEOUT))
			return -errno;
		r->bad += region_bad_pages(r);
		r->seed++;
		region_fill(r);
		rounds++;
	}
	return rounds;
}

static long worker_do(const struct worker_cmd *cmd, int cmd_fd)
{
	int i, lo = cmd->region, hi = cmd->region + 1;
	long ret = 0;

	if (cmd->region < 0) {
		lo = 0;
		hi = nr_regions;
	}
	if (cmd->op == OP_ALLOC || cmd->op == OP_ALLOC_THP)
		return region_alloc(cmd->arg, cmd->op == OP_ALLOC_THP);
	if (hi > nr_regions)
		return -EINVAL;
	if (cmd->op == OP_CHURN)
		return cmd->region < 0 || !regions[lo].mem ? -EINVAL :
		       region_churn(&regions[lo], cmd->arg, cmd_fd);

	for (i = lo; i < hi; i++) {
		struct region *r = &regions[i];

		if (!r->mem)
			continue;
		switch (cmd->op) {
		case OP_PAGEOUT:
			if (madvise(r->mem, r->size, MADV_PAGEOUT))
				return -errno;
			break;
		case OP_READ:
			ret += r->bad + region_bad_pages(r);
			break;
		case OP_UNMAP:
			if (munmap(r->mem, r->size))
				return -errno;
			r->mem = NULL;
			break;
		default:
			return -EINVAL;
		}
	}
	return ret;
}

struct worker_fds {
	int cmd_fd;
	int rsp_fd;
};

static void *worker_main(void *arg)
{
	struct worker_fds *fds = arg;
	struct worker_cmd cmd;
	long ret = syscall(SYS_gettid);

	/* Say who serves, then serve. */
	while (write(fds->rsp_fd, &ret, sizeof(ret)) == sizeof(ret)) {
		if (read(fds->cmd_fd, &cmd, sizeof(cmd)) != sizeof(cmd))
			break;
		if (cmd.op == OP_EXIT)
			break;
		ret = worker_do(&cmd, fds->cmd_fd);
	}
	_exit(0);
}

static void worker_child(const char *cg, int cpu, bool threaded,
			 struct worker_fds *fds)
{
	pthread_t thread;
	cpu_set_t cpus;

	if (cg && cg_enter_current(cg))
		_exit(1);
	if (cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(cpu, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus))
			_exit(1);
	}
	if (!threaded)
		worker_main(fds);
	if (pthread_create(&thread, NULL, worker_main, fds))
		_exit(1);
	pthread_exit(NULL);
}

/*
 * Starts a worker in @cg (or where the test process is), on CPU @cpu if not
 * -1: 0 or -1.  A @threaded worker serves from a second thread while its
 * main thread, the first owner of its mm, exits.
 */
int worker_start_on(struct worker *w, const char *cg, int cpu, bool threaded)
{
	static struct worker_fds fds;
	int cmd[2], rsp[2];
	long tid;

	/* A worker that died must not take the test process with it. */
	signal(SIGPIPE, SIG_IGN);
	if (pipe(cmd))
		return -1;
	if (pipe(rsp)) {
		close(cmd[0]);
		close(cmd[1]);
		return -1;
	}
	fflush(stdout);
	w->pid = fork();
	if (w->pid < 0) {
		ksft_print_msg("fork: %s\n", strerror(errno));
		close(cmd[0]);
		close(cmd[1]);
		close(rsp[0]);
		close(rsp[1]);
		return -1;
	}
	if (!w->pid) {
		close(cmd[1]);
		close(rsp[0]);
		fds.cmd_fd = cmd[0];
		fds.rsp_fd = rsp[1];
		worker_child(cg, cpu, threaded, &fds);
	}
	close(cmd[0]);
	close(rsp[1]);
	w->cmd_fd = cmd[1];
	w->rsp_fd = rsp[0];
	tid = worker_wait(w, NULL, 0);
	if (tid == WORKER_DEAD) {
		ksft_print_msg("worker %d did not start (in %s)\n", w->pid,
			       cg ? cg : "the test's group");
		worker_kill(w);
		return -1;
	}
	w->tid = tid;
	return 0;
}

/* Kills @w, if it was started, and reaps it. */
void worker_kill(struct worker *w)
{
	if (w->pid <= 0)
		return;
	kill(w->pid, SIGKILL);
	waitpid(w->pid, NULL, 0);
	close(w->cmd_fd);
	close(w->rsp_fd);
	w->pid = 0;
}

/* Asks the worker to exit and reaps it: 0 if it exited cleanly. */
int worker_stop(struct worker *w)
{
	int status = -1;

	if (w->pid <= 0)
		return -1;
	if (worker_send(w, OP_EXIT, 0, 0))
		kill(w->pid, SIGKILL);
	waitpid(w->pid, &status, 0);
	close(w->cmd_fd);
	close(w->rsp_fd);
	w->pid = 0;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

/*
 * page_counter_try_charge() adds a charge before it compares the result with
 * the limit, and takes a refused charge back right after: a read in between
 * sees the usage over the limit by the refused folio, for longer if the CPU
 * is interrupted there (or, in a VM, its host thread is preempted).  A
 * sample over the limit is read again a few times over 50 ms and counts as
 * the usage only if it stays.  A charge that really went over the limit
 * stays until its slot is freed, and shows in swap.peak, which only
 * successful charges raise: watch_ok() checks that strictly.
 */
#define BLIP_REREADS	10
#define BLIP_REREAD_MS	5

/* Samples swap.current of each watched group. */
void watch_sample(struct watch *watch, int nr_watch)
{
	struct watch *wt;
	long cur, again;
	int i, j;

	for (i = 0; i < nr_watch; i++) {
		wt = &watch[i];
		cur = swap_current(wt->cg);
		for (j = 0; wt->limit >= 0 && cur > wt->limit &&
		     j < BLIP_REREADS; j++) {
			sleep_ms(BLIP_REREAD_MS);
			again = swap_current(wt->cg);
			if (again <= wt->limit) {
				wt->blips++;
				if (cur > wt->blip_peak)
					wt->blip_peak = cur;
				cur = again;
			}
		}
		if (cur > wt->peak)
			wt->peak = cur;
		wt->samples++;
	}
}

/* Did each watched group stay within its limit? */
bool watch_ok(const struct watch *watch, int nr_watch)
{
	const struct watch *wt;
	bool ok = true;
	long peak;
	int i;

	for (i = 0; i < nr_watch; i++) {
		wt = &watch[i];
		if (wt->limit < 0)
			continue;
		if (wt->blips)
			ksft_print_msg("%s: %d brief samples over %ld, up to %ld\n",
				       wt->cg, wt->blips, wt->limit,
				       wt->blip_peak);
		if (wt->peak > wt->limit) {
			ksft_print_msg("%s: swap.current reached %ld > limit %ld (%d samples)\n",
				       wt->cg, wt->peak, wt->limit,
				       wt->samples);
			ok = false;
		}
		peak = swap_peak(wt->cg);
		if (peak > wt->limit) {
			ksft_print_msg("%s: swap.peak %ld > limit %ld\n",
				       wt->cg, peak, wt->limit);
			ok = false;
		}
	}
	return ok;
}

/* Sends a command, without waiting: 0, or -1 if the worker is gone. */
int worker_send(struct worker *w, int op, int region, long arg)
{
	struct worker_cmd cmd = { .op = op, .region = region, .arg = arg };

	if (write(w->cmd_fd, &cmd, sizeof(cmd)) != sizeof(cmd)) {
		ksft_print_msg("worker %d is gone\n", w->pid);
		return -1;
	}
	return 0;
}

/*
 * Waits for the worker's answer, sampling @watch meanwhile: for
 * WORKER_TIMEOUT_MS, and as long again, twice at most, while the worker
 * keeps taking page faults.  The answer, or WORKER_DEAD.
 */
long worker_wait(struct worker *w, struct watch *watch, int nr_watch)
{
	struct pollfd pfd = { .fd = w->rsp_fd, .events = POLLIN };
	long deadline = now_ms() + WORKER_TIMEOUT_MS, ret;
	long faults = task_faults(w->pid);
	int n, more = 2;

	for (;;) {
		watch_sample(watch, nr_watch);
		n = poll(&pfd, 1, nr_watch ? SAMPLE_MS : 1000);
		if (n > 0)
			break;
		if (n < 0 && errno != EINTR)
			goto no_answer;
		if (now_ms() <= deadline)
			continue;
		if (!more-- || !task_still_faulting(w->pid, &faults,
						    WORKER_TIMEOUT_MS / 1000))
			goto no_answer;
		deadline = now_ms() + WORKER_TIMEOUT_MS;
	}
	if (read(w->rsp_fd, &ret, sizeof(ret)) != sizeof(ret)) {
		ksft_print_msg("worker %d died\n", w->pid);
		return WORKER_DEAD;
	}
	watch_sample(watch, nr_watch);
	return ret;
no_answer:
	ksft_print_msg("worker %d: no answer\n", w->pid);
	dump_task(w->pid);
	return WORKER_DEAD;
}

/* Sends a command and waits for its answer, or WORKER_DEAD. */
long worker_call(struct worker *w, int op, int region, long arg,
		 struct watch *watch, int nr_watch)
{
	if (worker_send(w, op, region, arg))
		return WORKER_DEAD;
	return worker_wait(w, watch, nr_watch);
}

/* Maps and fills @size bytes in the worker: the region, or -1. */
int worker_alloc(struct worker *w, size_t size, bool thp)
{
	long ret = worker_call(w, thp ? OP_ALLOC_THP : OP_ALLOC, 0, size,
			       NULL, 0);

	if (ret < 0) {
		ksft_print_msg("worker %d: allocation of %zu bytes: %s\n",
			       w->pid, size,
			       ret == WORKER_DEAD ? "died" : strerror(-ret));
		return -1;
	}
	return ret;
}

/* Pages @region (-1: all) out: 0, or -1 if MADV_PAGEOUT failed. */
int worker_pageout(struct worker *w, int region, struct watch *watch,
		   int nr_watch)
{
	long ret = worker_call(w, OP_PAGEOUT, region, 0, watch, nr_watch);

	if (ret) {
		ksft_print_msg("worker %d: MADV_PAGEOUT: %s\n", w->pid,
			       ret == WORKER_DEAD ? "died" : strerror(-ret));
		return -1;
	}
	return 0;
}

/* Allocates @size bytes in @w and pages them out: the region, or -1. */
int worker_swap_out(struct worker *w, size_t size)
{
	int region = worker_alloc(w, size, false);

	if (region < 0 || worker_pageout(w, region, NULL, 0))
		return -1;
	return region;
}

/* Reads @region (-1: all) back in the worker: 0 if every page is intact. */
int worker_read(struct worker *w, int region)
{
	long ret = worker_call(w, OP_READ, region, 0, NULL, 0);

	if (ret) {
		if (ret == WORKER_DEAD)
			ksft_print_msg("worker %d died reading\n", w->pid);
		else
			ksft_print_msg("worker %d: %ld pages read back wrong\n",
				       w->pid, ret);
		return -1;
	}
	return 0;
}

/*
 * Reads @region back in @w, stops it and waits until its group @cg holds no
 * swap: 0 if the data came back intact and all of it was uncharged.
 */
int worker_finish(struct worker *w, int region, const char *cg)
{
	long cur;

	if (worker_read(w, region))
		return -1;
	if (!expect(!worker_stop(w), "the worker failed"))
		return -1;
	cur = wait_swap_current(cg, 0);
	return expect(cur == 0, "swap.current %ld after exit", cur) ? 0 : -1;
}

/* Reads a long that a child writes to pipe @fd: 0, or -1 if none came. */
int read_long(int fd, long *val)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, WORKER_TIMEOUT_MS) != 1)
		return -1;
	return read(fd, val, sizeof(*val)) == sizeof(*val) ? 0 : -1;
}

/* Writes @val to pipe @fd, in a child, or exits. */
void write_long(int fd, long val)
{
	if (write(fd, &val, sizeof(val)) != sizeof(val))
		_exit(1);
}
