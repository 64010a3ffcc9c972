// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the swap cgroup controller under reclaim, with stress-ng where
 * there is one: several groups at their limits at once, reclaim of a group
 * at its swap.max (the limit on it, above it, with the memory controller
 * or without, global reclaim) against memcg's memory.swap.max, and the
 * controller on a cgroup v1 hierarchy.  Workers and groups as in
 * test_swapcg.c.
 *
 * Usage: test_swapcg_reclaim [TEST...]: runs the named tests only, if any
 * are named.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "../kselftest.h"
#include "swapcg_util.h"
#include "swapcg_worker.h"

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
	long pgscan_anon;	/* anonymous pages reclaim looked at */
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
	long scan0 = vmstat_read("pgscan_anon");
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
	r->pgscan_anon = vmstat_read("pgscan_anon") - scan0;
	ksft_print_msg("%s: %s 4M: %ld refused, %ld OOM kills, peak %ld, %ld ms\n",
		       name, limit_file, r->refused, r->oom_kills, r->peak,
		       r->ms);
	ksft_print_msg("%s: pswpout +%ld, pgscan_anon +%ld\n", name,
		       r->pswpout, r->pgscan_anon);
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
 * that spins takes longer, and refuses a million times.)  Where @scans,
 * the memcg answers for the group, and reclaim looks at no more anonymous
 * pages than twice memcg's, and 64M: one that walked every page of the
 * group at each try before the OOM killer would look at its 8,192 pages
 * sixteen times per kill.
 */
static bool reclaim_like_memcg(const struct reclaim_result *ours,
			       const struct reclaim_result *memcg, bool timed,
			       bool scans)
{
	return ours->refused <= RECLAIM_MAX_REFUSALS &&
	       (!timed ||
		ours->ms <= memcg->ms + (memcg->ms > 10000 ? memcg->ms : 10000)) &&
	       (!scans ||
		ours->pgscan_anon <= 2 * memcg->pgscan_anon + MB(64) / 4096) &&
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
					     shape != RECLAIM_GLOBAL,
					     shape == RECLAIM_GROUP);
		peak = ours.peak > peak ? ours.peak : peak;
		if (!runs++ && within && peak)
			break;
	}
	if (!expect(runs, "the load did not press memory in %d rounds", tries))
		goto cleanup;
	if (!expect(within > runs / 2,
		    "swap.max unlike memory.swap.max in %d of %d rounds (at most %d refusals, as long, as many OOM kills, as few pages scanned)",
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

/* The two groups of a moved task, and the task, for moved_start(). */
struct moved {
	char *from, *to;
	pid_t pid;
};

/*
 * Enables the memory controller, makes the groups "@name_from" and
 * "@name_to" with @file set to @value in @limited (the one or the other),
 * and moves a task that filled 48M in the first to the second.  0, or -1
 * with what failed said; moved_end() cleans up either way.
 */
static int moved_start(struct moved *m, const char *name, bool limit_from,
		       const char *file, const char *value)
{
	char from[32], to[32];

	m->from = NULL;
	m->to = NULL;
	m->pid = -1;
	if (!expect(!cg_set(parent, "cgroup.subtree_control", "+memory"),
		    "cannot enable the memory controller"))
		return -1;
	snprintf(from, sizeof(from), "%s_from", name);
	snprintf(to, sizeof(to), "%s_to", name);
	m->from = group_create(parent, from, NULL);
	m->to = group_create(parent, to, NULL);
	if (!m->from || !m->to ||
	    !expect(!cg_set(limit_from ? m->from : m->to, file, value),
		    "cannot set %s", file))
		return -1;
	m->pid = filler_start(m->from, MB(48), false);
	if (!expect(m->pid > 0, "cannot fill 48M in %s", m->from) ||
	    !expect(!cg_set_pid(m->to, "cgroup.procs", m->pid),
		    "cannot move %d to %s", m->pid, m->to))
		return -1;
	return 0;
}

static void moved_end(struct moved *m)
{
	reap(m->pid);
	group_destroy(m->to);
	group_destroy(m->from);
	cg_set(parent, "cgroup.subtree_control", "-memory");
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
	long max_ev, fail_ev, swapped, peak, ms;
	int ret = KSFT_FAIL;
	struct moved m;

	if (!has_memcg)
		return skip("no memory controller");
	if (moved_start(&m, "moved", false, "swap.max", "4M"))
		goto cleanup;
	ms = now_ms();
	cg_set(m.from, "memory.max", "16M");
	ms = now_ms() - ms;
	swapped = vmswap(m.pid, m.pid);
	peak = swap_peak(m.to);
	if (!expect(!swap_events(m.to, &max_ev, &fail_ev), "no swap.events"))
		goto cleanup;
	ksft_print_msg("reclaim_moved: %ld refused, %ld ms, VmSwap %ld, swap.peak %ld\n",
		       max_ev, ms, swapped, peak);
	if (!expect(max_ev <= RECLAIM_MAX_REFUSALS,
		    "%ld refused charges, more than %d", max_ev,
		    RECLAIM_MAX_REFUSALS) ||
	    !expect(swapped <= MB(4) + SLACK, "VmSwap %ld with swap.max 4M",
		    swapped) ||
	    !expect(peak <= MB(4), "swap.peak %ld with swap.max 4M", peak) ||
	    !expect(swapped > 0, "the group never reached swap with swap.max 4M"))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	moved_end(&m);
	return ret;
}

/*
 * reclaim_moved_room: the other way round.  The task's pages stay charged
 * to the memcg it left, whose swap group has swap.max 0, while their swap
 * group is the one it joined, with no limit.  Lowering memory.max of the
 * group it left to 16M has to put 32M of them into swap rather than kill
 * the task: reclaim may not judge the pages by the memcg's swap group
 * alone.  The task's VmSwap is the witness; swap.current of the group it
 * left stays 0.
 */
static int test_reclaim_moved_room(void)
{
	long oom0, kills, swapped, cur;
	int ret = KSFT_FAIL;
	struct moved m;

	if (!has_memcg)
		return skip("no memory controller");
	if (moved_start(&m, "room", true, "swap.max", "0"))
		goto cleanup;
	oom0 = vmstat_read("oom_kill");
	cg_set(m.from, "memory.max", "16M");
	kills = vmstat_read("oom_kill") - oom0;
	swapped = vmswap(m.pid, m.pid);
	cur = cg_read_long(m.from, "memory.current");
	ksft_print_msg("reclaim_moved_room: %ld OOM kills, VmSwap %ld, memory.current %ld\n",
		       kills, swapped, cur);
	if (!expect(!kills, "%ld OOM kills with swap free for the task", kills) ||
	    !expect(cur <= MB(16), "memory.current %ld with memory.max 16M",
		    cur) ||
	    !expect(swapped >= MB(24), "VmSwap %ld: the pages did not reach swap",
		    swapped) ||
	    !expect(swap_current(m.from) == 0, "swap.current %ld with swap.max 0",
		    swap_current(m.from)))
		goto cleanup;
	ret = KSFT_PASS;
cleanup:
	moved_end(&m);
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

#define T(x) { test_ ## x, #x }
static const struct swapcg_test tests[] = {
	T(stress),
	T(reclaim_at_limit),
	T(reclaim_deeper),
	T(reclaim_swap_only),
	T(reclaim_moved),
	T(reclaim_moved_room),
	T(reclaim_others),
	T(reclaim_global),
	T(v1),		/* these two last: they take controllers off v2 */
	T(v1_split),
};

#undef T

SWAPCG_MAIN(.group = "swapcg_test", .memory = true)
