/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The worker of the swap_cgroup selftests: a process, placed in a group by
 * the test, that fills anonymous memory with non-zero data, pages it out
 * with MADV_PAGEOUT and reads it back, one command from the test process at
 * a time, each answered with a long.  Meanwhile the test process may sample
 * the swap.current of groups it watches.
 */
#ifndef __SWAPCG_WORKER_H
#define __SWAPCG_WORKER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How long the test process waits for a worker's answer. */
#define WORKER_TIMEOUT_MS	120000
/* The answer of a worker that died or did not answer in time. */
#define WORKER_DEAD		LONG_MIN

enum worker_op {
	OP_ALLOC,	/* map and fill @arg bytes: answers the region */
	OP_ALLOC_THP,	/* the same, 2 MiB aligned, with MADV_HUGEPAGE */
	OP_PAGEOUT,	/* MADV_PAGEOUT @region (-1: all): 0 or -errno */
	OP_READ,	/* read @region (-1: all) back: the number of bad pages */
	OP_UNMAP,	/* munmap @region (-1: all): 0 or -errno */
	/*
	 * Page @region out, check it and fill it with new data, round after
	 * round, for @arg ms or until the next command comes: answers the
	 * rounds; OP_READ counts the bad pages they found.
	 */
	OP_CHURN,
	OP_EXIT,	/* exit at once, answering nothing */
};

struct worker {
	pid_t pid;
	pid_t tid;	/* the thread that serves the commands */
	int cmd_fd;
	int rsp_fd;
};

/* Memory that a worker filled: each byte of page i is page_byte(). */
struct region {
	char *mem;
	size_t size;
	unsigned int seed;
	long bad;	/* bad pages found while churning */
};

void region_fill(struct region *r);
long region_bad_pages(const struct region *r);

/* A group whose swap.current is sampled while workers work. */
struct watch {
	const char *cg;
	long limit;	/* the group's own swap.max in bytes, or -1 */
	long peak;	/* the highest swap.current seen */
	int samples;
	int blips;	/* samples over the limit that an instant re-read undid */
	long blip_peak;
};

void watch_sample(struct watch *watch, int nr_watch);
bool watch_ok(const struct watch *watch, int nr_watch);

int worker_start_on(struct worker *w, const char *cg, int cpu,
		    bool threaded);
void worker_kill(struct worker *w);
int worker_stop(struct worker *w);
int worker_send(struct worker *w, int op, int region, long arg);
long worker_wait(struct worker *w, struct watch *watch, int nr_watch);
long worker_call(struct worker *w, int op, int region, long arg,
		 struct watch *watch, int nr_watch);
int worker_alloc(struct worker *w, size_t size, bool thp);
int worker_pageout(struct worker *w, int region, struct watch *watch,
		   int nr_watch);
int worker_swap_out(struct worker *w, size_t size);
int worker_read(struct worker *w, int region);
int worker_finish(struct worker *w, int region, const char *cg);
int read_long(int fd, long *val);
void write_long(int fd, long val);

/* Starts a worker in @cg (or where the test process is). */
static inline int worker_start(struct worker *w, const char *cg)
{
	return worker_start_on(w, cg, -1, false);
}

#endif /* __SWAPCG_WORKER_H */
