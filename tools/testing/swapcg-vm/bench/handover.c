// SPDX-License-Identifier: GPL-2.0
/*
 * B1: the cost of an mm owner handover against the number of processes.
 *
 * Usage: handover ROUNDS M1 [M2 ...]
 *
 * For each M (ascending), idle processes are added until M of them exist,
 * then three kinds of rounds are timed, ROUNDS each.  A round forks a worker
 * and waits for it:
 *
 *   none  the worker starts a thread, joins it and exits: its mm has a
 *         single user when the owner leaves, so no new owner is searched;
 *   exit  the worker starts a thread and its main thread exits the way
 *         pthread_exit() ends (SYS_exit): the owner leaves while the other
 *         thread still uses the mm;
 *   exec  the worker starts a thread that execs: de_thread() kills the main
 *         thread, the owner, while the exec'ing thread still holds the mm.
 *
 * The difference between exit or exec and none is the handover.  The idle
 * processes are children of a separate spawner, so they are neither
 * children nor siblings of a worker: only a search of every process meets
 * them.  They share the spawner's mm (CLONE_VM) and never touch memory, so
 * each costs the kernel a task, not an address space.
 *
 * Output, one CSV line per value: b1,<mode>,<M>,<metric>,<value> with the
 * metrics ns_per_round (the median round), cpu_ns_per_round (the median
 * CPU time of the worker, all its threads, user and system, as wait4()
 * reports it, to the microsecond: under QEMU -icount it counts the
 * worker's instructions, and the handover runs in the worker, so it
 * repeats from boot to boot, where a clock also counts whatever else ran
 * and the waits for I/O), ns_handover (exit and exec:
 * the median time the worker itself saw, from the main thread's exit until
 * the other thread finds it a zombie, or from execve() until the new
 * program runs; the fork and wait of a round are left out), and the sums
 * over the rounds of the deltas of the mm_owner_* counters of /proc/vmstat
 * where the kernel has them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NR_COUNTERS 5
static const char *const counters[NR_COUNTERS] = {
	"mm_owner_thread", "mm_owner_child", "mm_owner_parent",
	"mm_owner_scan", "mm_owner_none",
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Fills @val with the mm_owner_* counters; returns 0 if the kernel lacks them. */
static int read_counters(unsigned long long *val)
{
	char name[64];
	unsigned long long v;
	int i, found = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", name, &v) == 2) {
		for (i = 0; i < NR_COUNTERS; i++) {
			if (!strcmp(name, counters[i])) {
				val[i] = v;
				found = 1;
			}
		}
	}
	fclose(f);
	return found;
}

/*
 * An idle process sharing the caller's mm and stack: the child runs only the
 * pause() loop below, in registers, so it never writes to the shared stack.
 * Its signals keep their default actions: SIGKILL ends it without a frame.
 */
static long clone_sleeper(void)
{
	register long r10 asm("r10") = 0;
	register long r8 asm("r8") = 0;
	long ret;

	asm volatile("syscall\n\t"
		     "test %%rax, %%rax\n\t"
		     "jnz 1f\n"
		     "2:\n\t"
		     "mov %[nr_pause], %%eax\n\t"
		     "syscall\n\t"
		     "jmp 2b\n"
		     "1:\n"
		     : "=a"(ret)
		     : "0"((long)SYS_clone), "D"((long)(CLONE_VM | SIGCHLD)),
		       "S"(0L), "d"(0L), "r"(r10), "r"(r8),
		       [nr_pause] "i"(SYS_pause)
		     : "rcx", "r11", "memory");
	return ret;
}

/* The spawner: adds as many sleepers as each number read from @in asks. */
static void spawner(int in, int out)
{
	int n, i;

	while (read(in, &n, sizeof(n)) == sizeof(n)) {
		for (i = 0; i < n; i++) {
			if (clone_sleeper() < 0) {
				n = -errno;
				break;
			}
		}
		if (write(out, &n, sizeof(n)) != sizeof(n))
			break;
	}
	_exit(0);
}

static int leader_stat_fd, result_fd, result_rd;
static long long exit_start;

/* Is the main thread gone, a zombie?  Field 3 of its stat. */
static int leader_gone(void)
{
	char buf[512], *p;
	ssize_t n = pread(leader_stat_fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return !p || p[2] == 'Z' || p[2] == 'X';
}

static void report(long long ns)
{
	if (write(result_fd, &ns, sizeof(ns)) != sizeof(ns))
		_exit(1);
}

static void *exit_thread(void *arg)
{
	/* Keep using the mm until the owner has let go of it. */
	while (!leader_gone())
		sched_yield();
	report(now_ns() - __atomic_load_n(&exit_start, __ATOMIC_ACQUIRE));
	_exit(0);
}

static void *exec_thread(void *arg)
{
	char t0[32], fd[16], *argv[5];

	argv[0] = "handover";
	argv[1] = "--exec-end";
	argv[2] = t0;
	argv[3] = fd;
	argv[4] = NULL;
	snprintf(fd, sizeof(fd), "%d", result_fd);
	snprintf(t0, sizeof(t0), "%lld", now_ns());
	execv("/proc/self/exe", argv);
	_exit(127);
}

static void *none_thread(void *arg)
{
	return NULL;
}

static void worker(const char *mode)
{
	pthread_t t;
	char path[64];

	if (!strcmp(mode, "none")) {
		if (pthread_create(&t, NULL, none_thread, NULL) ||
		    pthread_join(t, NULL))
			_exit(1);
		_exit(0);
	}
	if (!strcmp(mode, "exec")) {
		if (pthread_create(&t, NULL, exec_thread, NULL))
			_exit(1);
		for (;;)
			pause();
	}
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getpid());
	leader_stat_fd = open(path, O_RDONLY);
	if (leader_stat_fd < 0 || pthread_create(&t, NULL, exit_thread, NULL))
		_exit(1);
	__atomic_store_n(&exit_start, now_ns(), __ATOMIC_RELEASE);
	/* What pthread_exit() of the main thread ends in. */
	syscall(SYS_exit, 0);
	_exit(1);
}

/*
 * One round of @mode: returns its time; *@handover the time the worker saw,
 * *@cpu the CPU time the worker used.
 */
static long long one_round(const char *mode, long long *handover,
			   long long *cpu)
{
	long long t0 = now_ns(), t;
	struct rusage ru;
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		worker(mode);
	if (wait4(pid, &status, 0, &ru) != pid)
		die("wait4");
	t = now_ns() - t0;
	*cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "handover: %s worker failed: %#x\n", mode,
			status);
		exit(1);
	}
	*handover = 0;
	if (strcmp(mode, "none") &&
	    read(result_rd, handover, sizeof(*handover)) != sizeof(*handover)) {
		fprintf(stderr, "handover: %s worker sent no time\n", mode);
		exit(1);
	}
	return t;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * The modes take turns, round by round, so that a burst of load on the host
 * hits all of them alike; the median of each mode's rounds is reported.
 */
static void run_rounds(const char *const *modes, int nr_modes, int m,
		       int rounds)
{
	unsigned long long sum[3][NR_COUNTERS] = { 0 };
	unsigned long long before[NR_COUNTERS], after[NR_COUNTERS];
	long long *t[3], *h[3], *cpu[3], unused, unused_cpu;
	int i, j, c, have = 1;

	for (j = 0; j < nr_modes; j++) {
		t[j] = calloc(rounds, sizeof(**t));
		h[j] = calloc(rounds, sizeof(**h));
		cpu[j] = calloc(rounds, sizeof(**cpu));
		if (!t[j] || !h[j] || !cpu[j])
			die("calloc");
		/* Warm up: page cache of the binary, slab caches. */
		one_round(modes[j], &unused, &unused_cpu);
	}
	for (i = 0; i < rounds; i++) {
		for (j = 0; j < nr_modes; j++) {
			have &= read_counters(before);
			t[j][i] = one_round(modes[j], &h[j][i], &cpu[j][i]);
			have &= read_counters(after);
			for (c = 0; c < NR_COUNTERS; c++)
				sum[j][c] += after[c] - before[c];
		}
	}
	for (j = 0; j < nr_modes; j++) {
		qsort(t[j], rounds, sizeof(**t), cmp_ll);
		qsort(h[j], rounds, sizeof(**h), cmp_ll);
		qsort(cpu[j], rounds, sizeof(**cpu), cmp_ll);
		printf("b1,%s,%d,ns_per_round,%lld\n", modes[j], m,
		       t[j][rounds / 2]);
		printf("b1,%s,%d,cpu_ns_per_round,%lld\n", modes[j], m,
		       cpu[j][rounds / 2]);
		if (h[j][rounds / 2])
			printf("b1,%s,%d,ns_handover,%lld\n", modes[j], m,
			       h[j][rounds / 2]);
		for (c = 0; have && c < NR_COUNTERS; c++)
			printf("b1,%s,%d,%s,%llu\n", modes[j], m, counters[c],
			       sum[j][c]);
		free(t[j]);
		free(h[j]);
		free(cpu[j]);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const char *const modes[] = { "none", "exit", "exec" };
	int to_spawner[2], from_spawner[2], result[2];
	int rounds, have = 0, want, n, i;
	pid_t spawner_pid;

	if (argc == 4 && !strcmp(argv[1], "--exec-end")) {
		/* The exec of exec_thread() is done: tell how long it took. */
		result_fd = atoi(argv[3]);
		report(now_ns() - atoll(argv[2]));
		_exit(0);
	}
	if (argc < 3) {
		fprintf(stderr, "usage: handover ROUNDS M1 [M2 ...]\n");
		return 2;
	}
	rounds = atoi(argv[1]);

	/* The sleepers are reaped here once the spawner is gone. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(to_spawner) || pipe(from_spawner) || pipe(result))
		die("pipe");
	/* Workers write their times here; read once they are reaped. */
	result_fd = result[1];
	result_rd = result[0];
	if (fcntl(result_rd, F_SETFL, O_NONBLOCK))
		die("fcntl");
	spawner_pid = fork();
	if (spawner_pid < 0)
		die("fork");
	if (!spawner_pid) {
		setpgid(0, 0);
		spawner(to_spawner[0], from_spawner[1]);
	}
	setpgid(spawner_pid, spawner_pid);

	for (i = 2; i < argc; i++) {
		want = atoi(argv[i]);
		if (want > have) {
			n = want - have;
			if (write(to_spawner[1], &n, sizeof(n)) != sizeof(n) ||
			    read(from_spawner[0], &n, sizeof(n)) != sizeof(n))
				die("spawner");
			if (n < 0) {
				errno = -n;
				die("clone of idle processes");
			}
			have = want;
		}
		run_rounds(modes, 3, have, rounds);
	}

	kill(-spawner_pid, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
