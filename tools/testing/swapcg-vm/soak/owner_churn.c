// SPDX-License-Identifier: GPL-2.0
/*
 * owner_churn SECONDS: hand mm->owner over, again and again, while the mm's
 * pages go to swap.  Each round is a new process that pages out some memory
 * and then, in turn:
 *   - its main thread (the owner) exits while another thread keeps the mm;
 *   - a thread other than the leader calls execve();
 *   - it vforks a child that execs;
 *   - a CLONE_VM child outlives the parent's thread that owned the mm.
 * Exits 1 if a round failed (a wrong page or a bad exit status).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define SIZE	(2L << 20)

static char *mem;
static const char *self;

/* Page the memory out and back in; 0 if it came back intact. */
static int churn(void)
{
	long page = sysconf(_SC_PAGESIZE), i;

	for (i = 0; i < SIZE; i += page)
		memset(mem + i, (i / page) % 251 + 1, page);
	madvise(mem, SIZE, MADV_PAGEOUT);
	for (i = 0; i < SIZE; i += page)
		if ((unsigned char)mem[i] != (i / page) % 251 + 1)
			return 1;
	return 0;
}

static void *churn_then_exit(void *arg)
{
	usleep(1000);
	_exit(churn());
}

static void *exec_self(void *arg)
{
	execl(self, self, "--exec-child", NULL);
	_exit(3);
}

static int clone_child(void *arg)
{
	usleep(2000);
	return churn();
}

static void round_main(int kind)
{
	static char stack[64 << 10];
	pthread_t t;
	pid_t pid;
	int status;

	mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		_exit(2);
	madvise(mem, SIZE, MADV_NOHUGEPAGE);
	if (churn())
		_exit(1);
	switch (kind) {
	case 0:
		pthread_create(&t, NULL, churn_then_exit, NULL);
		pthread_exit(NULL);
	case 1:
		pthread_create(&t, NULL, exec_self, NULL);
		pause();
		_exit(4);
	case 2:
		pid = vfork();
		if (pid == 0) {
			execl(self, self, "--exec-child", NULL);
			_exit(3);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			_exit(5);
		_exit(churn());
	default:
		pid = clone(clone_child, stack + sizeof(stack),
			    CLONE_VM | SIGCHLD, NULL);
		if (pid < 0)
			_exit(6);
		/* The parent leaves first; the child keeps the mm. */
		_exit(0);
	}
}

int main(int argc, char **argv)
{
	long rounds = 0, failed = 0;
	time_t end;
	int status;

	self = "/proc/self/exe";
	if (argc > 1 && !strcmp(argv[1], "--exec-child")) {
		mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return mem == MAP_FAILED ? 2 : churn();
	}
	if (argc < 2) {
		fprintf(stderr, "usage: %s SECONDS\n", argv[0]);
		return 2;
	}
	end = time(NULL) + atol(argv[1]);
	/* Orphaned CLONE_VM children come back here to be reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	while (time(NULL) < end) {
		pid_t pid = fork();

		if (pid < 0) {
			failed++;
			sleep(1);
			continue;
		}
		if (pid == 0)
			round_main(rounds % 4);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "owner_churn: round %ld (kind %ld): status 0x%x\n",
				rounds, rounds % 4, status);
			failed++;
		}
		while (waitpid(-1, &status, WNOHANG) > 0)
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				fprintf(stderr, "owner_churn: CLONE_VM child: status 0x%x\n",
					status);
				failed++;
			}
		rounds++;
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	printf("owner_churn: %ld rounds, %ld failed\n", rounds, failed);
	return failed ? 1 : 0;
}
