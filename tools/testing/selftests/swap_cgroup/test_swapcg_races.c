// SPDX-License-Identifier: GPL-2.0
/*
 * Races of the swap cgroup controller, each run in a loop:
 *
 *   owner_exit_vs_migrate: the thread that owns an mm exits while its
 *	process is moved between groups;
 *   rmdir_vs_swapin: a group is removed while its pages come back in from
 *	swap;
 *   swapoff_vs_charge: a swap area is turned off and on while pages are
 *	being charged to it;
 *   rule_vs_alloc: swap.devices is rewritten while slots are allocated.
 *
 * Each checks what must hold afterwards (data intact, every charge gone
 * once the pages are, the groups freed) and, where it can, during the race
 * (limits held).  The kernel's own checks (lockdep, KASAN, DEBUG_VM) watch
 * the rest: run it on a debug kernel.
 *
 * Usage: test_swapcg_races [-t SECONDS] [TEST...]; SECONDS per race,
 * default 10 (or SWAPCG_RACE_SECONDS).
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>

#include "../kselftest.h"
#include "swapcg_util.h"
#include "swapcg_worker.h"

#define MAX_AREAS	8
#define SWAPFILE_SIZE	MB(32)
#define SWAPFILE_PRIO	100

static char *home;		/* a leaf for tasks that leave their group */
static int seconds = 10;
static int base_groups;

static struct swap_area areas[MAX_AREAS];
static int nr_areas;

static bool wait_for(bool (*cond)(const void *), const void *arg, long ms)
{
	long deadline = now_ms() + ms;

	while (!cond(arg)) {
		if (now_ms() > deadline)
			return false;
		usleep(50000);
	}
	return true;
}

static bool swap_empty(const void *cg)
{
	return cg_read_long(cg, "swap.current") == 0;
}

/*
 * No more groups than at the start: groups removed by earlier tests may
 * still be dying then, and be freed meanwhile.
 */
static bool groups_at(const void *want)
{
	return proc_cgroups_num("swap") <= *(const int *)want;
}

/* Every area of @cg's swap.stat holds 0 bytes. */
static bool stat_all_zero(const void *cg)
{
	char buf[PAGE_SIZE], *p;

	if (cg_read(cg, "swap.stat", buf, sizeof(buf)))
		return false;
	for (p = strtok(buf, "\n"); p; p = strtok(NULL, "\n"))
		if (strcmp(strrchr(p, ' ') ?: " ", " 0"))
			return false;
	return true;
}

/* ---- workers that page their memory out and in until stopped ---- */

/* Longer than any race: each stops its workers. */
#define CHURN_FOREVER_MS	(3600 * 1000L)

/* Starts a worker in @cg that churns @size bytes until churn_stop(). */
static bool churn_start(struct worker *w, const char *cg, long size)
{
	return !worker_start(w, cg) && worker_alloc(w, size, false) == 0 &&
	       !worker_send(w, OP_CHURN, 0, CHURN_FOREVER_MS);
}

/* Stops @w; true if it found its memory intact each time. */
static bool churn_stop(struct worker *w)
{
	long rounds = WORKER_DEAD, bad = WORKER_DEAD;
	bool ok;

	/* A command ends the churn, whose answer comes first. */
	if (w->pid > 0 && !worker_send(w, OP_READ, 0, 0)) {
		rounds = worker_wait(w, NULL, 0);
		bad = worker_wait(w, NULL, 0);
	}
	ok = expect(rounds >= 0 && !bad,
		    "worker %d: %ld rounds, %ld pages read back wrong",
		    w->pid, rounds, bad);
	return !worker_stop(w) && ok;
}

static char *group_new(const char *name)
{
	char *cg = cg_name(parent, name);

	rmdir(cg);
	if (cg_create(cg)) {
		ksft_print_msg("mkdir %s: %s\n", cg, strerror(errno));
		free(cg);
		return NULL;
	}
	return cg;
}

/*
 * A page that was locked or under writeback when its task exited stays in
 * the swap cache with its slot, and the slot's charge, until reclaim or
 * swapoff frees it: the kernel promises nothing sooner, and an idle guest
 * may never reclaim it.  Turning the areas off and on frees such slots; a
 * charge that outlives that is a leak.
 */
static void swap_cache_drop(void)
{
	struct swap_area now[MAX_AREAS];
	int i, n = swap_areas(now, MAX_AREAS);

	for (i = 0; i < n; i++) {
		if (!swapoff(now[i].path))
			area_swapon(&now[i], now[i].prio);
	}
}

/* Removes @cg once its swap is gone; false if either fails. */
static bool group_done(char *cg)
{
	bool ok = true;

	if (!cg)
		return true;
	if (!wait_for(swap_empty, cg, 10000)) {
		ksft_print_msg("%s: swap.current %ld after its tasks exited: swap off and on\n",
			       cg, cg_read_long(cg, "swap.current"));
		swap_cache_drop();
	}
	if (!expect(wait_for(swap_empty, cg, 10000),
		    "%s: swap.current %ld after its tasks exited", cg,
		    cg_read_long(cg, "swap.current")) ||
	    !expect(wait_for(stat_all_zero, cg, 1000),
		    "%s: swap.stat is not all 0", cg))
		ok = false;
	if (!expect(!rmdir(cg), "rmdir %s: %s", cg, strerror(errno)))
		ok = false;
	free(cg);
	return ok;
}

static bool groups_freed(void)
{
	return expect(wait_for(groups_at, &base_groups, 10000),
		      "%d swap groups, at most %d expected: a removed group was not freed",
		      proc_cgroups_num("swap"), base_groups);
}

/* ---- owner_exit_vs_migrate ---- */

static struct region victim = { .size = MB(1) };

static void *sleeper(void *arg)
{
	usleep(rand() % 20000);
	return NULL;
}

/* Pages the victim's memory out and in, then ends the whole process. */
static void *victim_worker(void *arg)
{
	long bad = 0;
	int i;

	usleep(rand() % 20000);
	for (i = 0; i < 2; i++) {
		victim.seed++;
		region_fill(&victim);
		madvise(victim.mem, victim.size, MADV_PAGEOUT);
		bad += region_bad_pages(&victim);
	}
	_exit(bad ? 1 : 0);
}

/*
 * The victim: its main thread, the owner of the mm, leaves at once (or
 * stays, every other time) while another thread pages memory out and in
 * and then ends the process.
 */
static void victim_main(void)
{
	pthread_t t1, t2;

	victim.mem = mmap(NULL, victim.size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (victim.mem == MAP_FAILED)
		_exit(2);
	pthread_create(&t1, NULL, sleeper, NULL);
	pthread_create(&t2, NULL, victim_worker, NULL);
	if (rand() % 2)
		pthread_exit(NULL);
	pthread_join(t2, NULL);
	_exit(3);
}

static int test_owner_exit_vs_migrate(void)
{
	char *a = group_new("a"), *b = group_new("b");
	long deadline = now_ms() + seconds * 1000L;
	int rounds = 0, moves = 0, ret = KSFT_PASS, status;
	char pid[16];

	if (!a || !b)
		return KSFT_FAIL;
	while (now_ms() < deadline) {
		pid_t v = fork();

		if (v < 0)
			break;
		if (v == 0) {
			srand(getpid());
			cg_enter_current(a);
			victim_main();
		}
		snprintf(pid, sizeof(pid), "%d", v);
		while (waitpid(v, &status, WNOHANG) == 0) {
			int err = cg_set(moves % 2 ? a : b, "cgroup.procs",
					 pid);

			if (!expect(!err || err == -ESRCH,
				    "moving %d: %s", v, strerror(-err)))
				ret = KSFT_FAIL;
			moves++;
		}
		if (!expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			    "victim %d: status 0x%x", v, status))
			ret = KSFT_FAIL;
		rounds++;
	}
	ksft_print_msg("%d processes, %d moves\n", rounds, moves);
	if (!group_done(a) || !group_done(b) || !groups_freed())
		ret = KSFT_FAIL;
	return ret;
}

/* ---- rmdir_vs_swapin ---- */

static int test_rmdir_vs_swapin(void)
{
	long deadline = now_ms() + seconds * 1000L, size = MB(4);
	int rounds = 0, ret = KSFT_PASS, status, go[2], done[2];
	char c;

	while (now_ms() < deadline && ret == KSFT_PASS) {
		char *g = group_new("g");
		pid_t w;

		if (!g || pipe(go) || pipe(done))
			return KSFT_FAIL;
		w = fork();
		if (w == 0) {
			struct region r = { .size = size };

			r.mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (cg_enter_current(g) || r.mem == MAP_FAILED)
				_exit(2);
			madvise(r.mem, size, MADV_NOHUGEPAGE);
			region_fill(&r);
			madvise(r.mem, size, MADV_PAGEOUT);
			/* Leave the group, its pages still charged to it. */
			if (cg_enter_current(home))
				_exit(2);
			write(done[1], "x", 1);
			read(go[0], &c, 1);
			_exit(region_bad_pages(&r) ? 1 : 0);
		}
		if (read(done[0], &c, 1) != 1)
			ret = KSFT_FAIL;
		if (rounds == 0)
			ksft_print_msg("group charged %ld K before rmdir\n",
				       cg_read_long(g, "swap.current") >> 10);
		write(go[1], "x", 1);
		/* Let the swap-ins start, or not, then remove the group. */
		if (rounds % 3)
			usleep((rounds % 7) * 1000);
		if (!expect(!rmdir(g), "rmdir %s: %s", g, strerror(errno)))
			ret = KSFT_FAIL;
		free(g);
		if (waitpid(w, &status, 0) != w ||
		    !expect(WIFEXITED(status) && !WEXITSTATUS(status),
			    "worker status 0x%x", status))
			ret = KSFT_FAIL;
		close(go[0]);
		close(go[1]);
		close(done[0]);
		close(done[1]);
		rounds++;
	}
	ksft_print_msg("%d rounds\n", rounds);
	if (!expect(wait_for(swap_empty, parent, 10000),
		    "parent swap.current %ld after all exited",
		    cg_read_long(parent, "swap.current")) ||
	    !groups_freed())
		ret = KSFT_FAIL;
	return ret;
}

/* ---- swapoff_vs_charge ---- */

#define NR_WORKERS	2

static int test_swapoff_vs_charge(void)
{
	const char *dir = getenv("SWAPCG_SCRATCH") ?: "/run/scratch";
	long deadline = now_ms() + seconds * 1000L;
	struct worker w[NR_WORKERS] = { };
	int i, cycles = 0, ret = KSFT_PASS, flags;
	char file[PATH_MAX];
	char *g;

	snprintf(file, sizeof(file), "%s/swapcg_races.swap", dir);
	if (access(dir, W_OK) || swapfile_make(file, SWAPFILE_SIZE))
		return skip("cannot make a swap file in %s", dir);
	flags = SWAP_FLAG_PREFER | (SWAPFILE_PRIO & SWAP_FLAG_PRIO_MASK);
	g = group_new("g");
	if (!g || swapon(file, flags)) {
		unlink(file);
		return KSFT_FAIL;
	}
	for (i = 0; i < NR_WORKERS; i++)
		if (!churn_start(&w[i], g, MB(8)))
			ret = KSFT_FAIL;

	/* The swap file takes long to write on a debug kernel: count from here. */
	deadline = now_ms() + seconds * 1000L;
	while (cycles < 3 || now_ms() < deadline) {
		usleep(100000);
		if (!expect(!swapoff(file), "swapoff: %s", strerror(errno))) {
			ret = KSFT_FAIL;
			break;
		}
		if (!expect(area_value(g, "swap.stat", file) == -1,
			    "%s still in swap.stat after swapoff", file))
			ret = KSFT_FAIL;
		if (!expect(!swapon(file, flags), "swapon: %s",
			    strerror(errno))) {
			ret = KSFT_FAIL;
			break;
		}
		cycles++;
	}
	ksft_print_msg("%d swapoff/swapon cycles; %ld K charged at the end\n",
		       cycles, cg_read_long(g, "swap.current") >> 10);
	for (i = 0; i < NR_WORKERS; i++)
		if (!churn_stop(&w[i]))
			ret = KSFT_FAIL;
	if (!expect(wait_for(swap_empty, g, 10000), "swap.current %ld",
		    cg_read_long(g, "swap.current")) ||
	    !expect(area_value(g, "swap.stat", file) == 0,
		    "%ld bytes left on %s", area_value(g, "swap.stat", file),
		    file))
		ret = KSFT_FAIL;
	if (!expect(!swapoff(file) || errno == EINVAL, "swapoff: %s",
		    strerror(errno)))
		ret = KSFT_FAIL;
	unlink(file);
	if (!group_done(g))
		ret = KSFT_FAIL;
	return ret;
}

/* ---- rule_vs_alloc ---- */

/* The most that charges in flight add to a usage: a page per worker and kswapd. */
#define IN_FLIGHT	((NR_WORKERS + 1) * PAGE_SIZE)

static int test_rule_vs_alloc(void)
{
	long deadline = now_ms() + seconds * 1000L, used, top = 0, peak, cur;
	const struct swap_area *hi = &areas[0], *mid = &areas[1];
	struct worker w[NR_WORKERS] = { };
	int i, n = 0, ret = KSFT_PASS;
	static const char * const rules[] = {
		"%s 0", "%s 2M", "%s max", "default 0", "%s default",
		"default max", "%s 4096",
	};
	char *lim, *g;

	if (nr_areas < 2)
		return skip("needs two swap areas");
	/* Fixed limits above the group: they must hold throughout. */
	lim = group_new("lim");
	if (!lim || cg_set(lim, "cgroup.subtree_control", "+swap") ||
	    cg_set(lim, "swap.max", "12M") ||
	    cg_setf(lim, "swap.devices", "%s 3M", mid->path))
		return KSFT_FAIL;
	g = cg_name(lim, "g");
	if (cg_create(g))
		return KSFT_FAIL;
	for (i = 0; i < NR_WORKERS; i++)
		if (!churn_start(&w[i], g, MB(8)))
			ret = KSFT_FAIL;

	while (now_ms() < deadline) {
		const char *rule = rules[n % ARRAY_SIZE(rules)];
		int err = cg_setf(g, "swap.devices", rule, hi->path);

		if (!expect(!err, "swap.devices \"%s\": %s", rule,
			    strerror(-err)))
			ret = KSFT_FAIL;
		used = area_value(lim, "swap.stat", mid->path);
		top = used > top ? used : top;
		cur = cg_read_long(lim, "swap.current");
		/*
		 * A per-area usage never passes its limit.  swap.current may,
		 * by the charges in flight: page_counter adds a charge before
		 * it checks the limit, and takes a refused one back at once.
		 * Each worker and kswapd charge one small page at a time.
		 */
		if (!expect(used <= MB(3), "%ld bytes on %s, limit 3M", used,
			    mid->path) ||
		    !expect(cur <= MB(12) + IN_FLIGHT,
			    "swap.current %ld above swap.max 12M + %ld", cur,
			    IN_FLIGHT))
			ret = KSFT_FAIL;
		n++;
		usleep(2000);
	}
	peak = cg_read_long(lim, "swap.peak");
	ksft_print_msg("%d rule writes; at most %ld K on %s; peak %ld K\n",
		       n, top >> 10, mid->path, peak >> 10);
	for (i = 0; i < NR_WORKERS; i++)
		if (!churn_stop(&w[i]))
			ret = KSFT_FAIL;
	if (!expect(peak <= MB(12), "swap.peak %ld above swap.max", peak) ||
	    !expect(peak >= MB(4), "too little swap to tell"))
		ret = KSFT_FAIL;
	if (!group_done(g) || !group_done(lim))
		ret = KSFT_FAIL;
	return ret;
}

static const struct swapcg_test tests[] = {
	{ test_owner_exit_vs_migrate, "owner_exit_vs_migrate" },
	{ test_rmdir_vs_swapin, "rmdir_vs_swapin" },
	{ test_swapoff_vs_charge, "swapoff_vs_charge" },
	{ test_rule_vs_alloc, "rule_vs_alloc" },
};

int main(int argc, char **argv)
{
	size_t i;
	int opt, ret;

	if (getenv("SWAPCG_RACE_SECONDS"))
		seconds = atoi(getenv("SWAPCG_RACE_SECONDS"));
	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't') {
			fprintf(stderr, "usage: %s [-t SECONDS] [TEST...]\n",
				argv[0]);
			return KSFT_FAIL;
		}
		seconds = atoi(optarg);
	}

	ksft_print_header();
	swapcg_require(root, sizeof(root));
	nr_areas = swap_areas(areas, MAX_AREAS);
	if (nr_areas < 1)
		ksft_exit_skip("no swap area\n");
	root_had_swap = has_word(root, "cgroup.subtree_control", "swap");

	parent = cg_name(root, "swapcg_races_test");
	home = cg_name(parent, "home");
	rmdir(home);
	rmdir(parent);
	base_groups = proc_cgroups_num("swap");
	if (cg_set(root, "cgroup.subtree_control", "+swap") ||
	    cg_create(parent) ||
	    cg_set(parent, "cgroup.subtree_control", "+swap"))
		ksft_exit_fail_msg("cannot create %s\n", parent);
	if (cg_create(home))
		ksft_exit_fail_msg("cannot create %s\n", home);
	base_groups += 2;
	ksft_print_msg("%d s per race\n", seconds);

	ksft_set_plan(ARRAY_SIZE(tests));
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		skip_reason[0] = '\0';
		if (!selected(tests[i].name, argc, argv)) {
			report(skip("not selected"), tests[i].name);
			continue;
		}
		ret = tests[i].fn();
		report(ret, tests[i].name);
	}
	rmdir(home);
	rmdir(parent);
	free(home);
	free(parent);
	if (!root_had_swap)
		cg_set(root, "cgroup.subtree_control", "-swap");
	ksft_finished();
}
