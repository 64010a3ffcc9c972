// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the owner of an mm_struct (CONFIG_MM_OWNER).
 *
 * Every mm has an owning task, mm->owner.  When the owner exits or execs
 * while others still use the mm, the kernel looks for a new owner: another
 * thread of the leaving thread group, a child of that group, the parent's
 * group or a sibling, and only then every process on the system.  User space
 * sees the owner as "MmOwner:" in /proc/PID/status; each handover is counted
 * in /proc/vmstat (mm_owner_thread, mm_owner_child, mm_owner_parent,
 * mm_owner_scan, mm_owner_none) and traced by the mm_owner:mm_owner_change
 * tracepoint.
 *
 * Each scenario runs in a process group of its own, forked from the test
 * process.  Its tasks report what they saw (thread ids and MmOwner values)
 * as fixed-size records through a pipe, and the test function asserts on
 * those records and on the vmstat deltas.  Every wait has a deadline, and
 * the test process is a child subreaper, so that it reaps (and on a
 * timeout kills) whatever a scenario leaves behind.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "../swap_cgroup/swapcg_util.h"

/* How long a task of a scenario waits for the owner to change. */
#define OWNER_WAIT_MS		10000
/* How long the test process waits for the reports of a scenario. */
#define REPORT_WAIT_MS		15000
/* How long a scenario's processes may take to go away at its end. */
#define END_WAIT_MS		10000
#define POLL_INTERVAL_US	1000

#define STACK_SIZE		(256 * 1024)
#define VFORK_THREADS		32
#define LOOP_ITERATIONS		200
#define LOOP_SECONDS		20
#define MEMCG_ALLOC		MB(32)
#define MANY_THREADS		1000
#define MANY_STACK_SIZE		(64 * 1024)
/* How long MANY_THREADS threads may take to start, and to go away. */
#define MANY_WAIT_MS		60000
#define MANY_HANDOVERS		(MANY_THREADS / 10)
/* SCHED_FIFO priority of those threads; their leader's is one higher. */
#define MANY_PRIO		1
/* Unrelated users of one mm, and how many times they come and go. */
#define SCAN_USERS		8
#define SCAN_ROUNDS		4

/* argv[1] of the test binary when a scenario executes it. */
#define REPORT_MODE		"--mm-owner-report"
/* argv[1] of the test binary for a task that only reaps its children. */
#define HOLD_MODE		"--mm-owner-hold"

#define STATUS_PATH		"/proc/thread-self/status"

/* What a report is about. */
enum report_tag {
	R_ERROR = 1,	/* aux: source line, err: errno */
	R_LEADER,	/* the leader of a scenario process */
	R_SURVIVOR,	/* the thread left when the leader exited */
	R_EXEC,		/* a new image in REPORT_MODE */
	R_CHILD,	/* a CLONE_VM child; aux: its creator */
	R_FIRST,	/* first of two CLONE_VM children to own; aux: parent */
	R_SECOND,	/* the other one; aux: its parent */
	R_VFORK_CHILD,	/* a vfork child; aux: its parent */
	R_AFTER_EXIT,	/* vfork parent after its child exited */
	R_AFTER_EXEC,	/* vfork parent after its child exec'ed */
	R_KEEPER,	/* vfork child outliving its parent; aux: first owner */
	R_READY,	/* memcg scenario: owner of the mm, waiting */
	R_DONE,		/* memcg scenario: memory touched */
	R_MANY,		/* leader of many threads, all started; aux: count */
};

/**
 * struct report - one fact a task of a scenario sends to the test
 * @tag: what the report is about, enum report_tag
 * @err: errno, for R_ERROR
 * @tid: thread id of the reporting task
 * @pid: its thread group id
 * @owner: the MmOwner it read, -1 if there was none
 * @aux: depends on @tag
 */
struct report {
	int tag;
	int err;
	pid_t tid;
	pid_t pid;
	pid_t owner;
	pid_t aux;
};

/* The mm_owner_* lines of /proc/vmstat. */
struct owner_stat {
	long thread;
	long child;
	long parent;
	long scan;
	long none;
};

/*
 * Raw system calls: the helpers below also run in CLONE_VM and vfork
 * children, which must not rely on the C library's view of the process.
 */
static pid_t sys_gettid(void)
{
	return syscall(SYS_gettid);
}

static pid_t sys_getpid(void)
{
	return syscall(SYS_getpid);
}

static pid_t sys_getppid(void)
{
	return syscall(SYS_getppid);
}

static void pause_us(long us)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = us * 1000 };

	nanosleep(&ts, NULL);
}

/* The MmOwner value of a status file's text, -1 if it has none. */
static pid_t parse_owner(const char *buf)
{
	const char *p = strstr(buf, "\nMmOwner:");
	long v = 0;

	if (!p)
		return -1;
	p += strlen("\nMmOwner:");
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + *p++ - '0';
	return v;
}

/*
 * read_owner - the MmOwner of a /proc status file
 *
 * Uses only open(), read() and close(), so that CLONE_VM and vfork children
 * may call it.  Return: the owner's tid, 0 for none, -1 if the file could
 * not be read or has no MmOwner line.
 */
static pid_t read_owner(const char *path)
{
	char buf[8192];
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return parse_owner(buf);
}

/* The owner of the calling task's mm. */
static pid_t own_owner(void)
{
	return read_owner(STATUS_PATH);
}

/*
 * wait_owner - poll the owner of the caller's mm
 * @value: the owner to wait for, or to wait to go away
 * @equal: wait until the owner is @value (true) or is not (false)
 *
 * Return: the last owner read; the condition does not hold when
 * OWNER_WAIT_MS passed first.
 */
static pid_t wait_owner(pid_t value, bool equal)
{
	long long deadline = now_ms() + OWNER_WAIT_MS;
	pid_t owner;

	for (;;) {
		owner = own_owner();
		if (now_ms() > deadline)
			return owner;
		if (equal ? owner == value : owner != value)
			return owner;
		pause_us(POLL_INTERVAL_US);
	}
}

static void send_report(int fd, int tag, pid_t owner, pid_t aux)
{
	struct report r = {
		.tag = tag,
		.tid = sys_gettid(),
		.pid = sys_getpid(),
		.owner = owner,
		.aux = aux,
	};

	/* A record is smaller than PIPE_BUF: it is written whole or not. */
	if (write(fd, &r, sizeof(r)) != sizeof(r))
		return;
}

static void send_error(int fd, int line, int err)
{
	struct report r = {
		.tag = R_ERROR,
		.err = err,
		.tid = sys_gettid(),
		.pid = sys_getpid(),
		.owner = -1,
		.aux = line,
	};

	if (write(fd, &r, sizeof(r)) != sizeof(r))
		return;
}

/* Wait for a byte on @fd.  Return: 1, 0 at end of file, -1 on timeout. */
static int wait_byte(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret <= 0)
		return -1;
	ret = read(fd, &c, 1);
	return ret < 0 ? -1 : ret;
}

static void *alloc_stack_top(void)
{
	char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	return stack == MAP_FAILED ? NULL : stack + STACK_SIZE;
}

static int read_owner_stat(struct owner_stat *s)
{
	char name[64];
	long value;
	int found = 0;
	FILE *f;

	memset(s, 0, sizeof(*s));
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", name, &value) == 2) {
		if (strncmp(name, "mm_owner_", 9))
			continue;
		found++;
		if (!strcmp(name, "mm_owner_thread"))
			s->thread = value;
		else if (!strcmp(name, "mm_owner_child"))
			s->child = value;
		else if (!strcmp(name, "mm_owner_parent"))
			s->parent = value;
		else if (!strcmp(name, "mm_owner_scan"))
			s->scan = value;
		else if (!strcmp(name, "mm_owner_none"))
			s->none = value;
		else
			found--;
	}
	fclose(f);
	return found == 5 ? 0 : -1;
}

static void owner_stat_delta(struct owner_stat *d, const struct owner_stat *a,
			     const struct owner_stat *b)
{
	d->thread = b->thread - a->thread;
	d->child = b->child - a->child;
	d->parent = b->parent - a->parent;
	d->scan = b->scan - a->scan;
	d->none = b->none - a->none;
}

/* Why the tests cannot run here, or NULL if they can. */
static const char *mm_owner_unsupported(void)
{
	struct owner_stat s;

	if (geteuid())
		return "must be run as root";
	if (read_owner("/proc/self/status") < 0)
		return "no MmOwner in /proc/self/status: kernel without CONFIG_MM_OWNER";
	if (read_owner_stat(&s))
		return "no mm_owner_* counters in /proc/vmstat: kernel without CONFIG_MM_OWNER";
	return NULL;
}

static const struct report *find_report(const struct report *r, int n,
					int tag)
{
	int i;

	for (i = 0; i < n; i++) {
		if (r[i].tag == tag)
			return &r[i];
	}
	return NULL;
}

/* The reports received, for a failure message: "tag/tid/owner ...". */
static const char *describe(const struct report *r, int n)
{
	static char buf[512];
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%d/%d/%d",
				i ? " " : "", r[i].tag, r[i].tid, r[i].owner);
	return buf;
}

static const char *const tracefs_dirs[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

#define TRACE_EVENT_ENABLE	"events/mm_owner/mm_owner_change/enable"

/* A running scenario. */
struct scenario {
	pid_t pgrp;		/* its process group, 0 if none runs */
	int rfd;		/* read end of its report pipe */
};

FIXTURE(mm_owner) {
	const char *skip;	/* why the tests cannot run, or NULL */
	struct scenario sc;
	/* tracing state to restore, when trace_dir is set */
	const char *trace_dir;
	char trace_enable[8];
	char tracing_on[8];
	/* cgroups to remove, and the root's +memory to undo */
	char cg_root[PATH_MAX];
	char *cg_a;
	char *cg_b;
	bool memory_enabled;
};

/* A scenario runs in a forked process; its return value is the exit code. */
typedef int (*scenario_fn)(int wfd, void *arg);

static int scenario_start(struct scenario *sc, scenario_fn fn, void *arg)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		close(fds[0]);
		_exit(fn(fds[1], arg));
	}
	/* Both set the group, so that it exists whoever runs first. */
	setpgid(pid, pid);
	close(fds[1]);
	sc->pgrp = pid;
	sc->rfd = fds[0];
	return 0;
}

/*
 * scenario_recv - read one report of the running scenario
 * @deadline: now_ms() time to give up at
 *
 * Return: 1 with a report in @r, 0 at end of file (every task of the
 * scenario has gone), -1 on timeout or error.
 */
static int scenario_recv(struct scenario *sc, struct report *r,
			 long long deadline)
{
	struct pollfd pfd = { .fd = sc->rfd, .events = POLLIN };
	long long left;
	ssize_t n;
	int ret;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -1;
		ret = poll(&pfd, 1, left);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			return -1;
		n = read(sc->rfd, r, sizeof(*r));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == sizeof(*r))
			return 1;
		return n == 0 ? 0 : -1;
	}
}

/*
 * scenario_end - reap every process of the running scenario
 * @deadline: now_ms() time at which to kill whatever is left
 *
 * The test process is a child subreaper, so orphans of the scenario come
 * back to it.  Return: the wait status of the scenario's first process, or
 * -1 if the scenario had to be killed.
 */
static int scenario_end(struct scenario *sc, long long deadline)
{
	bool killed = false;
	int status, ret = -1;
	pid_t pid;

	if (!sc->pgrp)
		return -1;
	for (;;) {
		pid = waitpid(-1, &status, WNOHANG | __WALL);
		if (pid > 0) {
			if (pid == sc->pgrp)
				ret = status;
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		if (!killed && now_ms() > deadline) {
			kill(-sc->pgrp, SIGKILL);
			killed = true;
		}
		pause_us(POLL_INTERVAL_US);
	}
	if (sc->rfd >= 0)
		close(sc->rfd);
	sc->rfd = -1;
	sc->pgrp = 0;
	return killed ? -1 : ret;
}

/*
 * scenario_run - run a scenario to its end and collect its reports
 *
 * Return: the number of reports stored in @r (at most @max); the wait
 * status of the scenario's first process in *@status, -1 if it had to be
 * killed or could not be started.
 */
static int scenario_run(struct scenario *sc, scenario_fn fn,
			void *arg, struct report *r, int max, int *status)
{
	long long deadline = now_ms() + REPORT_WAIT_MS;
	struct report dummy;
	int n = 0;

	*status = -1;
	if (scenario_start(sc, fn, arg))
		return 0;
	for (;;) {
		if (scenario_recv(sc, n < max ? &r[n] : &dummy,
				  deadline) != 1)
			break;
		if (n < max)
			n++;
	}
	*status = scenario_end(sc, now_ms() + END_WAIT_MS);
	return n;
}

/* Scenario 1: the leader of a two-thread process exits. */

static void *survivor_fn(void *arg)
{
	int wfd = (long)arg;
	pid_t leader = sys_getpid();

	send_report(wfd, R_SURVIVOR, wait_owner(leader, false), leader);
	/* The last thread's exit ends the process with status 0. */
	return NULL;
}

static int thread_scenario(int wfd, void *arg)
{
	pthread_t t;
	int err;

	err = pthread_create(&t, NULL, survivor_fn, (void *)(long)wfd);
	if (err) {
		send_error(wfd, __LINE__, err);
		return 1;
	}
	pthread_exit(NULL);
}

/* Scenario 2: a thread other than the leader execs. */

static void *exec_thread_fn(void *arg)
{
	int wfd = (long)arg;
	char fd_arg[16];
	char *const argv[] = { "/proc/self/exe", REPORT_MODE, fd_arg, NULL };

	snprintf(fd_arg, sizeof(fd_arg), "%d", wfd);
	execv(argv[0], argv);
	send_error(wfd, __LINE__, errno);
	_exit(1);
}

static int exec_scenario(int wfd, void *arg)
{
	pthread_t t;
	int err;

	send_report(wfd, R_LEADER, own_owner(), 0);
	err = pthread_create(&t, NULL, exec_thread_fn, (void *)(long)wfd);
	if (err) {
		send_error(wfd, __LINE__, err);
		return 1;
	}
	/* de_thread() kills this thread when the other one execs. */
	for (;;)
		pause();
}

/* The new image of exec_scenario() and vfork_scenario(). */
static int report_mode(int wfd)
{
	send_report(wfd, R_EXEC, own_owner(), 0);
	return 0;
}

/* Scenario 3: a process exits, leaving its mm to a CLONE_VM child. */

static struct {
	int wfd;
	pid_t creator;
} vm_child;

static int vm_child_fn(void *arg)
{
	send_report(vm_child.wfd, R_CHILD, wait_owner(sys_gettid(), true),
		    vm_child.creator);
	return 0;
}

static int clone_vm_scenario(int wfd, void *arg)
{
	void *stack = alloc_stack_top();

	vm_child.wfd = wfd;
	vm_child.creator = getpid();
	if (!stack || clone(vm_child_fn, stack, CLONE_VM | SIGCHLD, NULL) < 0) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	return 0;
}

/*
 * Scenario 4: an owner that leaves its mm to a sibling.
 *
 * S, a child subreaper, forks C, which owns its new mm.  C creates two
 * CLONE_VM children and exits: one of them, O, becomes the owner by the
 * child step, and both are reparented to S.  When O exits in turn, the
 * other, X, is found by the parent step among the children of O's new
 * parent S: a sibling.  The parent's own thread group never shares the mm
 * there: the owner never has an ancestor that shares its mm (a CLONE_VM
 * child can only get the mm from a task that uses it, and the owner role
 * only moves down the tree or to a sibling), so siblings are what the
 * parent step finds in practice.
 */

static struct {
	int wfd;
	pid_t reaper;
	pid_t creator;
	int second_ready;	/* the other child has seen the first owner */
} vm_pair;

static int vm_pair_fn(void *arg)
{
	long long deadline = now_ms() + OWNER_WAIT_MS;
	pid_t tid = sys_gettid();
	pid_t owner;

	owner = wait_owner(vm_pair.creator, false);
	if (owner == tid) {
		/*
		 * Leave only once reparented, so that S is the parent
		 * searched, and once the other child has seen this one own
		 * the mm: one that starts late must not take the handover
		 * for the first one.
		 */
		while ((sys_getppid() != vm_pair.reaper ||
			!__atomic_load_n(&vm_pair.second_ready,
					 __ATOMIC_ACQUIRE)) &&
		       now_ms() < deadline)
			pause_us(POLL_INTERVAL_US);
		send_report(vm_pair.wfd, R_FIRST, owner, sys_getppid());
		return 0;
	}
	__atomic_store_n(&vm_pair.second_ready, 1, __ATOMIC_RELEASE);
	owner = wait_owner(tid, true);
	send_report(vm_pair.wfd, R_SECOND, owner, sys_getppid());
	return 0;
}

static int clone_vm_sibling_scenario(int wfd, void *arg)
{
	void *stack[2];
	pid_t pid;
	int i;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	vm_pair.wfd = wfd;
	vm_pair.reaper = getpid();
	send_report(wfd, R_LEADER, own_owner(), 0);
	pid = fork();
	if (pid < 0) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	if (pid == 0) {
		vm_pair.creator = getpid();
		for (i = 0; i < 2; i++) {
			stack[i] = alloc_stack_top();
			if (!stack[i] || clone(vm_pair_fn, stack[i],
					       CLONE_VM | SIGCHLD, NULL) < 0) {
				send_error(wfd, __LINE__, errno);
				_exit(1);
			}
		}
		_exit(0);
	}
	/* Reap C, then O and X when they come back here. */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}

/* Scenario 5: vfork children that exit and exec. */

static int vfork_scenario(int wfd, void *arg)
{
	char fd_arg[16];
	char *const argv[] = { "/proc/self/exe", REPORT_MODE, fd_arg, NULL };
	pid_t parent = getpid();
	pid_t child;

	snprintf(fd_arg, sizeof(fd_arg), "%d", wfd);

	child = vfork();
	if (child == 0) {
		send_report(wfd, R_VFORK_CHILD, own_owner(), parent);
		_exit(0);
	}
	if (child < 0 || waitpid(child, NULL, 0) != child) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	send_report(wfd, R_AFTER_EXIT, own_owner(), child);

	child = vfork();
	if (child == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (child < 0 || waitpid(child, NULL, 0) != child) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	send_report(wfd, R_AFTER_EXEC, own_owner(), child);
	return 0;
}

/*
 * Scenario 6: a vfork child outlives its many-threaded parent process.
 *
 * One of VFORK_THREADS threads calls vfork(); while the child runs, the
 * main thread ends the thread group with exit_group(), which also kills the
 * thread waiting for the vfork child.  The owner passes from thread to
 * thread as they exit, and then must reach the vfork child, whatever the
 * order of the exits.
 */

static struct {
	int wfd;
	int start[2];
} vfork_threads;

static void *idle_fn(void *arg)
{
	/* Until exit_group() kills the thread: no signal is handled. */
	pause();
	return NULL;
}

static void *vfork_thread_fn(void *arg)
{
	pid_t child, pid, first;

	child = vfork();
	if (child == 0) {
		pid = sys_getpid();
		first = own_owner();
		if (write(vfork_threads.start[1], &pid, sizeof(pid)) !=
		    sizeof(pid))
			_exit(1);
		send_report(vfork_threads.wfd, R_KEEPER,
			    wait_owner(pid, true), first);
		_exit(0);
	}
	if (child < 0)
		send_error(vfork_threads.wfd, __LINE__, errno);
	for (;;)
		pause();
}

static int vfork_threads_scenario(int wfd, void *arg)
{
	struct pollfd pfd;
	pthread_t t;
	pid_t keeper;
	int i, err;

	vfork_threads.wfd = wfd;
	if (pipe(vfork_threads.start)) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	for (i = 0; i < VFORK_THREADS - 1; i++) {
		err = pthread_create(&t, NULL,
				     i ? idle_fn : vfork_thread_fn, NULL);
		if (err) {
			send_error(wfd, __LINE__, err);
			return 1;
		}
	}
	pfd.fd = vfork_threads.start[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, OWNER_WAIT_MS) != 1 ||
	    read(vfork_threads.start[0], &keeper, sizeof(keeper)) !=
	    sizeof(keeper)) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	send_report(wfd, R_LEADER, own_owner(), keeper);
	/* exit_group(), while one thread still waits in vfork(). */
	_exit(0);
}

/*
 * Scenario 9: the memory of a process is charged to the cgroup of its mm's
 * owner.  The process starts in cgroup A, its leader exits, and the other
 * thread, now the owner, is moved to B: what it then allocates goes to B.
 */

struct memcg_arg {
	const char *cgroup;
	int go[2];
};

static struct {
	int wfd;
	int go;
} memcg;

static void *memcg_thread_fn(void *arg)
{
	char *p;
	size_t i;

	send_report(memcg.wfd, R_READY, wait_owner(sys_gettid(), true), 0);
	if (wait_byte(memcg.go, REPORT_WAIT_MS) != 1)
		return NULL;
	p = mmap(NULL, MEMCG_ALLOC, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		send_error(memcg.wfd, __LINE__, errno);
		return NULL;
	}
	for (i = 0; i < MEMCG_ALLOC; i += PAGE_SIZE)
		p[i] = 1;
	send_report(memcg.wfd, R_DONE, own_owner(), 0);
	/* Keep the memory until the test has read memory.current. */
	wait_byte(memcg.go, REPORT_WAIT_MS);
	return NULL;
}

static int memcg_scenario(int wfd, void *arg)
{
	struct memcg_arg *m = arg;
	pthread_t t;
	int err;

	close(m->go[1]);
	memcg.wfd = wfd;
	memcg.go = m->go[0];
	if (cg_enter_current(m->cgroup)) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	err = pthread_create(&t, NULL, memcg_thread_fn, NULL);
	if (err) {
		send_error(wfd, __LINE__, err);
		return 1;
	}
	pthread_exit(NULL);
}

/*
 * Scenario 10: a process with many threads dies.
 *
 * The leader, which owns the mm, starts MANY_THREADS threads that block in
 * pause() and reports.  Then it either ends the thread group itself with
 * exit_group(), or blocks in pause() too until the test kills the process
 * with SIGKILL.  Either way the kill wakes the threads in the order of the
 * thread list, which is the order of their creation, and each time the
 * owner exits while others still use the mm, the mm is handed over.
 *
 * How often that happens depends on the order in which the threads exit,
 * which is up to the scheduler.  The scenario makes it the order of the
 * wakeups: its tasks all run on one CPU with the SCHED_FIFO policy, the
 * threads at one priority, at which each runs its exit to the end in the
 * order in which it was woken, and the leader above them, so that it exits
 * first.  Left to the fair scheduler, a thread preempted while it exits,
 * for instance after it spun on the lock under which the kill wakes the
 * others, goes behind them all, and so does a leader preempted by the
 * threads it has just woken.
 */

static int many_started;	/* threads on their way into pause() */

static void *many_thread_fn(void *arg)
{
	__atomic_add_fetch(&many_started, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
	return NULL;
}

/* @arg: non-NULL to call exit_group(), NULL to wait for the kill. */
static int many_threads_scenario(int wfd, void *arg)
{
	struct sched_param sp = { .sched_priority = MANY_PRIO + 1 };
	long long deadline = now_ms() + MANY_WAIT_MS;
	pthread_attr_t attr;
	cpu_set_t cpus;
	pthread_t t;
	int i, err;

	/* The threads inherit the CPU of the leader, not its policy. */
	if (sched_getaffinity(0, sizeof(cpus), &cpus)) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	for (i = 0; i < CPU_SETSIZE - 1 && !CPU_ISSET(i, &cpus); i++)
		;
	CPU_ZERO(&cpus);
	CPU_SET(i, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus) ||
	    sched_setscheduler(0, SCHED_FIFO, &sp)) {
		send_error(wfd, __LINE__, errno);
		return 1;
	}
	sp.sched_priority = MANY_PRIO;
	err = pthread_attr_init(&attr);
	if (!err)
		err = pthread_attr_setstacksize(&attr, MANY_STACK_SIZE);
	if (!err)
		err = pthread_attr_setinheritsched(&attr,
						   PTHREAD_EXPLICIT_SCHED);
	if (!err)
		err = pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
	if (!err)
		err = pthread_attr_setschedparam(&attr, &sp);
	for (i = 0; !err && i < MANY_THREADS; i++)
		err = pthread_create(&t, &attr, many_thread_fn, NULL);
	if (err) {
		send_error(wfd, __LINE__, err);
		return 1;
	}
	while (__atomic_load_n(&many_started, __ATOMIC_ACQUIRE) <
	       MANY_THREADS) {
		if (now_ms() > deadline) {
			send_error(wfd, __LINE__, ETIMEDOUT);
			return 1;
		}
		pause_us(POLL_INTERVAL_US);
	}
	send_report(wfd, R_MANY, own_owner(), MANY_THREADS);
	if (arg)
		syscall(SYS_exit_group, 0);
	for (;;)
		pause();
}

/*
 * Scenario 10: users of one mm that are not related to each other.
 *
 * S, which owns its new mm, starts SCAN_USERS holders with vfork-like
 * CLONE_VM clones.  Each holder makes a CLONE_VM child, a user of the mm,
 * and execs HOLD_MODE, which waits for that child: the holder leaves the
 * mm, but stays the user's parent.  Then S execs HOLD_MODE too.  No user
 * has a parent, a sibling or a child that uses the mm, so each handover
 * is found by the scan of every process.  Once S has gone, the users
 * leave together, half by exiting and half by exec'ing, so that the owner
 * often finds a user that is leaving too.
 */

static struct {
	int wfd;
	pid_t creator;
	int index;
} scan_arg;

static int scan_user_fn(void *arg)
{
	long i = (long)arg;
	char *const argv[] = { "/proc/self/exe", HOLD_MODE, NULL };

	/* Go once S, the first owner, has handed the mm over. */
	if (wait_owner(scan_arg.creator, false) == scan_arg.creator)
		send_error(scan_arg.wfd, __LINE__, ETIMEDOUT);
	if (i % 2) {
		syscall(SYS_execve, argv[0], argv, NULL);
		send_error(scan_arg.wfd, __LINE__, errno);
	}
	syscall(SYS_exit, 0);
	return 0;
}

static int scan_holder_fn(void *arg)
{
	char *const argv[] = { "/proc/self/exe", HOLD_MODE, NULL };
	void *stack = alloc_stack_top();

	if (!stack || clone(scan_user_fn, stack, CLONE_VM | SIGCHLD,
			    (void *)(long)scan_arg.index) < 0)
		send_error(scan_arg.wfd, __LINE__, errno);
	syscall(SYS_execve, argv[0], argv, NULL);
	send_error(scan_arg.wfd, __LINE__, errno);
	syscall(SYS_exit, 1);
	return 1;
}

static int scan_scenario(int wfd, void *arg)
{
	char *const argv[] = { "/proc/self/exe", HOLD_MODE, NULL };
	void *stack;

	scan_arg.wfd = wfd;
	scan_arg.creator = getpid();
	for (scan_arg.index = 0; scan_arg.index < SCAN_USERS;
	     scan_arg.index++) {
		stack = alloc_stack_top();
		/* CLONE_VFORK: back here once the holder has exec'ed. */
		if (!stack || clone(scan_holder_fn, stack,
				    CLONE_VM | CLONE_VFORK | SIGCHLD,
				    NULL) < 0) {
			send_error(wfd, __LINE__, errno);
			return 1;
		}
	}
	execv(argv[0], argv);
	send_error(wfd, __LINE__, errno);
	return 1;
}

/* The new image of the scan scenario's tasks: reap the children, if any. */
static int hold_mode(void)
{
	alarm(END_WAIT_MS / 1000);
	while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
		;
	return 0;
}

static int dir_write(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	ssize_t len = strlen(text);
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (len && write(fd, text, len) != len)
		ret = -1;
	close(fd);
	return ret;
}

static int read_word(const char *dir, const char *name, char *buf,
		     size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n ")] = '\0';
	return 0;
}

/*
 * A SKIP() here would not stop the test body in this version of the
 * harness, so each test skips on self->skip itself.
 */
FIXTURE_SETUP(mm_owner)
{
	self->sc.rfd = -1;
	self->skip = mm_owner_unsupported();
	if (self->skip)
		return;
	/* Orphans of the scenarios come back here, to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
}

FIXTURE_TEARDOWN(mm_owner)
{
	if (self->sc.pgrp) {
		kill(-self->sc.pgrp, SIGKILL);
		scenario_end(&self->sc, now_ms());
	}
	if (self->trace_dir) {
		dir_write(self->trace_dir, TRACE_EVENT_ENABLE,
			  self->trace_enable);
		dir_write(self->trace_dir, "tracing_on", self->tracing_on);
		dir_write(self->trace_dir, "trace", "");
	}
	if (self->cg_a) {
		cg_destroy(self->cg_a);
		free(self->cg_a);
	}
	if (self->cg_b) {
		cg_destroy(self->cg_b);
		free(self->cg_b);
	}
	if (self->memory_enabled)
		cg_write(self->cg_root, "cgroup.subtree_control", "-memory");
}

/*
 * Run thread_scenario() and check it: the surviving thread must own the mm.
 * Return: the survivor's report in @r.
 */
static void check_thread_handover(struct __test_metadata *_metadata,
				  struct scenario *sc, struct report *r)
{
	struct report reports[4];
	const struct report *e, *s;
	int n, status;

	n = scenario_run(sc, thread_scenario, NULL, reports, 4, &status);
	e = find_report(reports, n, R_ERROR);
	ASSERT_EQ(0, e ? e->aux : 0)
		TH_LOG("scenario failed at line %d: %s", e->aux,
		       strerror(e->err));
	s = find_report(reports, n, R_SURVIVOR);
	ASSERT_NE(NULL, s) TH_LOG("no report from the surviving thread");
	ASSERT_EQ(0, status);
	ASSERT_NE(s->tid, s->pid);
	/* aux: the leader, which owned the mm and exited */
	ASSERT_EQ(s->aux, s->pid);
	ASSERT_EQ(s->tid, s->owner)
		TH_LOG("survivor %d sees MmOwner %d", s->tid, s->owner);
	*r = *s;
}

/* Run exec_scenario(): the new image must own its new mm. */
static void check_exec_from_thread(struct __test_metadata *_metadata,
				   struct scenario *sc)
{
	struct report reports[4];
	const struct report *e, *l, *x;
	int n, status;

	n = scenario_run(sc, exec_scenario, NULL, reports, 4, &status);
	e = find_report(reports, n, R_ERROR);
	ASSERT_EQ(0, e ? e->aux : 0)
		TH_LOG("scenario failed at line %d: %s", e->aux,
		       strerror(e->err));
	l = find_report(reports, n, R_LEADER);
	x = find_report(reports, n, R_EXEC);
	ASSERT_TRUE(l && x)
		TH_LOG("reports (tag/tid/owner): %s", describe(reports, n));
	ASSERT_EQ(0, status);
	ASSERT_EQ(l->pid, l->owner);
	/* exec from a thread takes over the leader's pid */
	ASSERT_EQ(l->pid, x->pid);
	ASSERT_EQ(x->pid, x->tid);
	ASSERT_EQ(x->pid, x->owner)
		TH_LOG("new image %d sees MmOwner %d", x->pid, x->owner);
}

/*
 * Run @fn with the handover counters read before and after it, their
 * difference in @d; the test fails if the scenario reported an error.
 * Returns the number of reports in @r.
 */
static int run_counted(struct __test_metadata *_metadata, struct scenario *sc,
		       scenario_fn fn, struct report *r, int max, int *status,
		       struct owner_stat *d)
{
	struct owner_stat a, b;
	const struct report *e;
	int n;

	ASSERT_EQ(0, read_owner_stat(&a));
	n = scenario_run(sc, fn, NULL, r, max, status);
	ASSERT_EQ(0, read_owner_stat(&b));
	owner_stat_delta(d, &a, &b);
	e = find_report(r, n, R_ERROR);
	ASSERT_EQ(0, e ? e->aux : 0)
		TH_LOG("scenario failed at line %d: %s", e->aux,
		       strerror(e->err));
	return n;
}

/*
 * Run many_threads_scenario(), with the handover counters read before and
 * after it, their difference in @d.  @kill_it: the test kills the process
 * with SIGKILL once all its threads have started; otherwise the leader
 * calls exit_group().
 */
static void run_many_threads(struct __test_metadata *_metadata,
			     struct scenario *sc, bool kill_it,
			     struct owner_stat *d)
{
	long long deadline = now_ms() + MANY_WAIT_MS;
	struct owner_stat a, b;
	struct report r;
	int ret, status;

	ASSERT_EQ(0, read_owner_stat(&a));
	ASSERT_EQ(0, scenario_start(sc, many_threads_scenario,
				    kill_it ? NULL : sc));
	ret = scenario_recv(sc, &r, deadline);
	ASSERT_EQ(1, ret) TH_LOG("no report from the scenario");
	ASSERT_EQ(R_MANY, r.tag)
		TH_LOG("scenario failed at line %d: %s", r.aux,
		       strerror(r.err));
	ASSERT_EQ(r.pid, r.tid);
	ASSERT_EQ(r.pid, r.owner)
		TH_LOG("leader %d sees MmOwner %d", r.pid, r.owner);
	if (kill_it)
		ASSERT_EQ(0, kill(r.pid, SIGKILL));
	/*
	 * The pipe closes with the files of the last thread to exit, after
	 * every thread has let go of the mm and counted its handover.
	 */
	ret = scenario_recv(sc, &r, deadline);
	ASSERT_EQ(0, ret)
		TH_LOG("%s", ret > 0 ? "unexpected report" :
		       "the threads did not all exit");
	status = scenario_end(sc, now_ms() + END_WAIT_MS);
	ASSERT_EQ(0, read_owner_stat(&b));
	owner_stat_delta(d, &a, &b);
	if (kill_it) {
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("wait status %#x", status);
	} else {
		ASSERT_EQ(0, status);
	}
	TH_LOG("%d threads; handovers: thread %ld child %ld parent %ld scan %ld none %ld",
	       MANY_THREADS, d->thread, d->child, d->parent, d->scan,
	       d->none);
}

TEST_F(mm_owner, thread_handover)
{
	struct owner_stat a, b, d;
	struct report r;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	ASSERT_EQ(0, read_owner_stat(&a));
	check_thread_handover(_metadata, &self->sc, &r);
	ASSERT_EQ(0, read_owner_stat(&b));
	owner_stat_delta(&d, &a, &b);
	EXPECT_GE(d.thread, 1);
	EXPECT_EQ(0, d.scan);
}

TEST_F(mm_owner, exec_from_thread)
{
	struct owner_stat a, b, d;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	ASSERT_EQ(0, read_owner_stat(&a));
	check_exec_from_thread(_metadata, &self->sc);
	ASSERT_EQ(0, read_owner_stat(&b));
	owner_stat_delta(&d, &a, &b);
	/* The leader, killed by de_thread(), hands over to the exec'er. */
	EXPECT_GE(d.thread, 1);
	EXPECT_EQ(0, d.scan);
}

TEST_F(mm_owner, clone_vm_child)
{
	struct report reports[4];
	const struct report *c;
	struct owner_stat d;
	int n, status;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	n = run_counted(_metadata, &self->sc, clone_vm_scenario, reports, 4,
			&status, &d);
	c = find_report(reports, n, R_CHILD);
	ASSERT_NE(NULL, c) TH_LOG("no report from the CLONE_VM child");
	ASSERT_EQ(0, status);
	ASSERT_NE(c->aux, c->tid);
	ASSERT_EQ(c->tid, c->owner)
		TH_LOG("child %d of %d sees MmOwner %d", c->tid, c->aux,
		       c->owner);
	EXPECT_GE(d.child, 1);
	EXPECT_EQ(0, d.scan);
}

TEST_F(mm_owner, clone_vm_sibling)
{
	const struct report *s, *o, *x;
	struct report reports[4];
	struct owner_stat d;
	int n, status;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	n = run_counted(_metadata, &self->sc, clone_vm_sibling_scenario,
			reports, 4, &status, &d);
	s = find_report(reports, n, R_LEADER);
	o = find_report(reports, n, R_FIRST);
	x = find_report(reports, n, R_SECOND);
	ASSERT_TRUE(s && o && x)
		TH_LOG("reports (tag/tid/owner): %s", describe(reports, n));
	ASSERT_EQ(0, status);
	ASSERT_NE(o->tid, x->tid);
	ASSERT_EQ(o->tid, o->owner);
	/* Both were reparented to S before O left. */
	ASSERT_EQ(s->pid, o->aux);
	ASSERT_EQ(s->pid, x->aux);
	ASSERT_EQ(x->tid, x->owner)
		TH_LOG("second child %d sees MmOwner %d (first owner %d)",
		       x->tid, x->owner, o->tid);
	EXPECT_GE(d.child, 1);
	EXPECT_GE(d.parent, 1);
	EXPECT_EQ(0, d.scan);
}

TEST_F(mm_owner, vfork_child)
{
	const struct report *c, *x, *p1, *p2;
	struct report reports[8];
	struct owner_stat d;
	int n, status;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	n = run_counted(_metadata, &self->sc, vfork_scenario, reports, 8,
			&status, &d);
	c = find_report(reports, n, R_VFORK_CHILD);
	x = find_report(reports, n, R_EXEC);
	p1 = find_report(reports, n, R_AFTER_EXIT);
	p2 = find_report(reports, n, R_AFTER_EXEC);
	ASSERT_TRUE(c && x && p1 && p2)
		TH_LOG("reports (tag/tid/owner): %s", describe(reports, n));
	ASSERT_EQ(0, status);
	/* The vfork child borrows its parent's mm, which keeps its owner. */
	ASSERT_EQ(c->aux, c->owner);
	ASSERT_EQ(p1->pid, p1->owner);
	/* The exec'ed child owns its new mm. */
	ASSERT_EQ(x->pid, x->owner);
	ASSERT_EQ(p2->pid, p2->owner);
	EXPECT_EQ(0, d.scan);
}

TEST_F(mm_owner, vfork_many_threads)
{
	const struct report *l, *k;
	struct report reports[4];
	struct owner_stat d;
	int n, status;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	n = run_counted(_metadata, &self->sc, vfork_threads_scenario, reports,
			4, &status, &d);
	l = find_report(reports, n, R_LEADER);
	k = find_report(reports, n, R_KEEPER);
	ASSERT_TRUE(l && k)
		TH_LOG("reports (tag/tid/owner): %s", describe(reports, n));
	ASSERT_EQ(0, status);
	ASSERT_EQ(l->aux, k->pid);
	/* Before: the leader owned the mm; after: the vfork child. */
	ASSERT_EQ(l->pid, k->aux);
	ASSERT_EQ(k->pid, k->owner)
		TH_LOG("vfork child %d sees MmOwner %d", k->pid, k->owner);
	TH_LOG("handovers: thread %ld child %ld parent %ld scan %ld none %ld",
	       d.thread, d.child, d.parent, d.scan, d.none);
	/*
	 * Until the last thread leaves, the vfork child is the child of a
	 * thread of the group, then of the test process (a subreaper, the
	 * group's parent): the child or the parent step finds it.
	 */
	EXPECT_EQ(0, d.scan);
	EXPECT_EQ(0, d.none);
}

/* The handovers counted in @d, whatever found the new owner. */
static long handovers(const struct owner_stat *d)
{
	return d->thread + d->child + d->parent + d->scan + d->none;
}

/*
 * A process with MANY_THREADS threads dies: its leader, the owner, exits
 * first, while every thread still uses the mm, so the mm changes hands at
 * least once.  Handed to the first thread of the list, the one that the
 * kill woke first, it would change hands again as soon as that one exits,
 * once per thread: MANY_THREADS times in this scenario.  Handed to the
 * thread woken last, it changes hands once.  The bound, a tenth of the
 * threads, tells the two apart with a wide margin on either side, and it
 * leaves room for threads that do not exit in the order of their wakeups:
 * left to the fair scheduler on two CPUs, the scenario measured up to 35.
 */

TEST_F_TIMEOUT(mm_owner, exit_group_many_threads, 120)
{
	struct owner_stat d;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	run_many_threads(_metadata, &self->sc, false, &d);
	EXPECT_GE(d.thread, 1);
	EXPECT_LE(handovers(&d), MANY_HANDOVERS);
	EXPECT_EQ(0, d.scan);
}

TEST_F_TIMEOUT(mm_owner, kill_many_threads, 120)
{
	struct owner_stat d;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	run_many_threads(_metadata, &self->sc, true, &d);
	EXPECT_GE(d.thread, 1);
	EXPECT_LE(handovers(&d), MANY_HANDOVERS);
	EXPECT_EQ(0, d.scan);
}

/* Look in the trace for a handover from @old to @new by @way. */
static bool trace_has(const char *dir, pid_t old, pid_t new, const char *way)
{
	char path[PATH_MAX], w[16];
	char *line = NULL;
	size_t size = 0;
	bool found = false;
	int o, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace", dir);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && getline(&line, &size, f) > 0) {
		char *p = strstr(line, "mm_owner_change:");

		if (!p)
			continue;
		p = strstr(p, "old_pid=");
		if (p && sscanf(p, "old_pid=%d new_pid=%d way=%15s",
				&o, &n, w) == 3)
			found = o == old && n == new && !strcmp(w, way);
	}
	free(line);
	fclose(f);
	return found;
}

TEST_F(mm_owner, last_user_trace)
{
	const char *dir = NULL;
	char path[PATH_MAX];
	struct report r;
	pid_t child;
	int status;
	size_t i;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	for (i = 0; i < ARRAY_SIZE(tracefs_dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", tracefs_dirs[i],
			 TRACE_EVENT_ENABLE);
		if (!access(path, W_OK)) {
			dir = tracefs_dirs[i];
			break;
		}
	}
	if (!dir)
		SKIP(return,
		     "no mm_owner:mm_owner_change event (tracefs not mounted at /sys/kernel/tracing or no CONFIG_TRACING)");

	ASSERT_EQ(0, read_word(dir, TRACE_EVENT_ENABLE, self->trace_enable,
			       sizeof(self->trace_enable)));
	ASSERT_EQ(0, read_word(dir, "tracing_on", self->tracing_on,
			       sizeof(self->tracing_on)));
	self->trace_dir = dir;
	ASSERT_EQ(0, dir_write(dir, "trace", ""));
	ASSERT_EQ(0, dir_write(dir, TRACE_EVENT_ENABLE, "1"));
	ASSERT_EQ(0, dir_write(dir, "tracing_on", "1"));

	check_thread_handover(_metadata, &self->sc, &r);

	/* A single-threaded process is the last user of its mm. */
	fflush(NULL);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(0);
	ASSERT_EQ(child, waitpid(child, &status, 0));

	ASSERT_EQ(0, dir_write(dir, TRACE_EVENT_ENABLE, "0"));
	EXPECT_TRUE(trace_has(dir, r.pid, r.tid, "thread"))
		TH_LOG("no 'old_pid=%d new_pid=%d way=thread' in %s/trace",
		       r.pid, r.tid, dir);
	EXPECT_TRUE(trace_has(dir, child, 0, "last"))
		TH_LOG("no 'old_pid=%d new_pid=0 way=last' in %s/trace",
		       child, dir);
}

TEST_F_TIMEOUT(mm_owner, handover_loop, 90)
{
	long long end = now_ms() + LOOP_SECONDS * 1000;
	struct owner_stat a, b, d;
	struct report r;
	int i;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	ASSERT_EQ(0, read_owner_stat(&a));
	b = a;
	for (i = 0; i < LOOP_ITERATIONS && now_ms() < end; i++) {
		check_thread_handover(_metadata, &self->sc, &r);
		check_exec_from_thread(_metadata, &self->sc);
		ASSERT_EQ(0, read_owner_stat(&b));
		ASSERT_EQ(a.scan, b.scan)
			TH_LOG("mm_owner_scan moved in iteration %d", i);
	}
	owner_stat_delta(&d, &a, &b);
	TH_LOG("%d iterations; handovers: thread %ld scan %ld", i, d.thread,
	       d.scan);
	EXPECT_GE(d.thread, 2 * i);
}

/*
 * The owner of an mm that unrelated processes share leaves, and then the
 * others leave together: every handover is found by the scan of every
 * process, one per owner that leaves while others use the mm.  An owner
 * that finds a user which has let go of the mm by the time its task_lock
 * is taken goes on with the scan; none is counted as "none".
 */
TEST_F_TIMEOUT(mm_owner, unrelated_users_scan, 60)
{
	struct owner_stat a, b, d;
	struct report r[4];
	const struct report *e;
	int i, n, status;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	ASSERT_EQ(0, read_owner_stat(&a));
	for (i = 0; i < SCAN_ROUNDS; i++) {
		n = scenario_run(&self->sc, scan_scenario, NULL, r,
				 ARRAY_SIZE(r), &status);
		e = find_report(r, n, R_ERROR);
		ASSERT_EQ(0, e ? e->aux : 0)
			TH_LOG("scenario failed at line %d: %s", e->aux,
			       strerror(e->err));
		ASSERT_EQ(0, status);
	}
	ASSERT_EQ(0, read_owner_stat(&b));
	owner_stat_delta(&d, &a, &b);
	TH_LOG("%d rounds of %d users; handovers: thread %ld child %ld parent %ld",
	       SCAN_ROUNDS, SCAN_USERS, d.thread, d.child, d.parent);
	TH_LOG("scan %ld none %ld", d.scan, d.none);
	/* The first owner of each round hands over to a user. */
	EXPECT_GE(d.scan, SCAN_ROUNDS);
	EXPECT_LE(d.scan, SCAN_ROUNDS * SCAN_USERS);
	EXPECT_EQ(0, d.thread + d.child + d.parent);
	EXPECT_EQ(0, d.none);
}

TEST_F_TIMEOUT(mm_owner, memcg_follows_owner, 60)
{
	long long deadline = now_ms() + REPORT_WAIT_MS;
	struct memcg_arg arg;
	long a0, b0, a1, b1;
	struct report r;
	int ret, status;

	if (self->skip)
		SKIP(return, "%s", self->skip);
	if (cgroup2_root(self->cg_root, sizeof(self->cg_root)))
		SKIP(return, "no cgroup2 file system mounted");
	if (cg_read_strstr(self->cg_root, "cgroup.controllers", "memory"))
		SKIP(return, "no memory controller");
	if (cg_read_strstr(self->cg_root, "cgroup.subtree_control",
			   "memory")) {
		ASSERT_EQ(0, cg_write(self->cg_root, "cgroup.subtree_control",
				      "+memory"));
		self->memory_enabled = true;
	}
	self->cg_a = cg_name(self->cg_root, "mm_owner_test_a");
	self->cg_b = cg_name(self->cg_root, "mm_owner_test_b");
	ASSERT_TRUE(self->cg_a && self->cg_b);
	cg_destroy(self->cg_a);
	cg_destroy(self->cg_b);
	ASSERT_EQ(0, cg_create(self->cg_a));
	ASSERT_EQ(0, cg_create(self->cg_b));

	arg.cgroup = self->cg_a;
	ASSERT_EQ(0, pipe(arg.go));
	ASSERT_EQ(0, scenario_start(&self->sc, memcg_scenario, &arg));
	close(arg.go[0]);

	ret = scenario_recv(&self->sc, &r, deadline);
	ASSERT_EQ(1, ret);
	ASSERT_EQ(R_READY, r.tag)
		TH_LOG("scenario failed at line %d: %s", r.aux,
		       strerror(r.err));
	ASSERT_EQ(r.tid, r.owner);
	ASSERT_NE(r.tid, r.pid);

	/* The tid of a thread moves its whole (live) thread group. */
	ASSERT_EQ(0, cg_enter(self->cg_b, r.tid));
	a0 = cg_read_long(self->cg_a, "memory.current");
	b0 = cg_read_long(self->cg_b, "memory.current");

	ASSERT_EQ(1, write(arg.go[1], "g", 1));
	ret = scenario_recv(&self->sc, &r, deadline);
	ASSERT_EQ(1, ret);
	ASSERT_EQ(R_DONE, r.tag)
		TH_LOG("scenario failed at line %d: %s", r.aux,
		       strerror(r.err));
	a1 = cg_read_long(self->cg_a, "memory.current");
	b1 = cg_read_long(self->cg_b, "memory.current");

	close(arg.go[1]);
	status = scenario_end(&self->sc, now_ms() + END_WAIT_MS);
	ASSERT_EQ(0, status);

	TH_LOG("memory.current: A %ld -> %ld, B %ld -> %ld", a0, a1, b0, b1);
	EXPECT_GE(b1 - b0, MB(24));
	EXPECT_LE(a1 - a0, MB(4));
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], REPORT_MODE))
		return report_mode(atoi(argv[2]));
	if (argc == 2 && !strcmp(argv[1], HOLD_MODE))
		return hold_mode();
	return test_harness_run(argc, argv);
}

/*
 * As TEST_HARNESS_MAIN does: run the tests in the order of this file.  Newer
 * harnesses (6.10 on) get the order right by themselves and have no
 * __constructor_order.
 */
#ifdef _CONSTRUCTOR_ORDER_BACKWARD
static void __attribute__((constructor)) constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}
#endif
