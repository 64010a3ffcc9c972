// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the swap_cgroup selftests; see swapcg_util.h. */

#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <sys/mount.h>
#include <sys/swap.h>
#include <sys/wait.h>

#include "../kselftest.h"
#include "swapcg_util.h"

#define WRITEBACK_MS		20000

char skip_reason[256];
char root[PATH_MAX];
char *parent;
bool has_memcg, root_had_swap, root_had_memory;

bool __expect(bool ok, const char *func, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	printf("# %s:%d: ", func, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return false;
}

/* Records why the test is skipped; gives KSFT_SKIP. */
int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
	return KSFT_SKIP;
}

/*
 * Is test @name to run: named among the arguments after the options (see
 * getopt()), or none named?
 */
bool selected(const char *name, int argc, char **argv)
{
	int i;

	if (optind >= argc)
		return true;
	for (i = optind; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

/*
 * Puts the mount point of the first cgroup2 file system of /proc/self/mounts
 * into @root: 0, or -1 if there is none or it does not fit.  Ours rather than
 * cg_find_unified_root(), whose arguments differ between kernel versions.
 */
int cgroup2_root(char *root, size_t len)
{
	struct mntent *mnt;
	int ret = -1;
	FILE *f;

	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return -1;
	while ((mnt = getmntent(f))) {
		if (strcmp(mnt->mnt_type, "cgroup2"))
			continue;
		if (snprintf(root, len, "%s", mnt->mnt_dir) < (int)len)
			ret = 0;
		break;
	}
	endmntent(f);
	return ret;
}

long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(long ms)
{
	usleep(ms * 1000);
}

bool close_to(long a, long b, long slack)
{
	return labs(a - b) <= slack;
}

/* Writes @len bytes of @buf to @path with one write(2): 0 or -errno. */
int write_buf(const char *path, const void *buf, size_t len)
{
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

int write_file(const char *path, const char *text)
{
	return write_buf(path, text, strlen(text));
}

/* Reads all of @path, at most @size - 1 bytes, into @buf: 0 or -errno. */
int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -errno : 0;
}

/* Writes @pid to @cg/@file: 0 or -errno. */
int cg_set_pid(const char *cg, const char *file, pid_t pid)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", pid);
	return cg_set(cg, file, buf);
}

/* Writes @text to @cg/@file with one write(2), as runtimes do: 0 or -errno. */
int cg_set(const char *cg, const char *file, const char *text)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return write_file(path, text);
}

int cg_setf(const char *cg, const char *file, const char *fmt, ...)
{
	char text[PATH_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return cg_set(cg, file, text);
}

/* Prints @text as diagnostics, one line of it per line. */
static void print_lines(const char *text)
{
	const char *nl;

	while (*text) {
		nl = strchrnul(text, '\n');
		ksft_print_msg("  %.*s\n", (int)(nl - text), text);
		text = *nl ? nl + 1 : nl;
	}
}

/* Is the content of @cg/@file exactly @want?  Reports it if not. */
bool file_is(const char *cg, const char *file, const char *want)
{
	char buf[PAGE_SIZE];
	int err;

	err = cg_read(cg, file, buf, sizeof(buf));
	if (err) {
		ksft_print_msg("cannot read %s/%s\n", cg, file);
		return false;
	}
	if (strcmp(buf, want)) {
		ksft_print_msg("%s/%s is:\n", cg, file);
		print_lines(buf);
		ksft_print_msg("expected:\n");
		print_lines(want);
		return false;
	}
	return true;
}

bool has_file(const char *dir, const char *file)
{
	char path[2 * PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return !access(path, F_OK);
}

/* Is @word one of the white-space separated words of @dir/@file? */
bool has_word(const char *dir, const char *file, const char *word)
{
	char buf[PAGE_SIZE], *tok, *save;

	if (cg_read(dir, file, buf, sizeof(buf)))
		return false;
	for (tok = strtok_r(buf, "\n ", &save); tok;
	     tok = strtok_r(NULL, "\n ", &save)) {
		if (!strcmp(tok, word))
			return true;
	}
	return false;
}

/*
 * The value of area @name in @cg/@file, a file of "NAME VALUE" lines
 * (swap.stat, swap.devices.effective): LONG_MAX for "max", -1 if @name is
 * not listed.
 */
long area_value(const char *cg, const char *file, const char *name)
{
	char buf[PAGE_SIZE], *line, *save, *sp;

	if (cg_read(cg, file, buf, sizeof(buf)))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sp = strrchr(line, ' ');
		if (!sp)
			continue;
		*sp++ = '\0';
		if (!strcmp(line, name))
			return strcmp(sp, "max") ? atol(sp) : LONG_MAX;
	}
	return -1;
}

/*
 * Shows what the threads of @pid are doing, for a wait that timed out: their
 * state and kernel stack, and the stacks of all tasks and CPUs on the
 * console (sysrq w and l), for a thread that runs, whose stack cannot be
 * read, and the state of memory (sysrq m).
 */
void dump_task(pid_t pid)
{
	char path[PATH_MAX], buf[1024];
	struct dirent *de;
	const char *f;
	DIR *dir;
	int fd, n, i;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir) {
		ksft_print_msg("task %d: %s\n", pid, strerror(errno));
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		for (i = 0; i < 2; i++) {
			f = i ? "stack" : "stat";
			snprintf(path, sizeof(path), "/proc/%d/task/%s/%s",
				 pid, de->d_name, f);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				continue;
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			buf[n > 0 ? n : 0] = '\0';
			ksft_print_msg("task %s of %d, %s:\n%s\n", de->d_name,
				       pid, f, buf);
		}
	}
	closedir(dir);
	write_file("/proc/sysrq-trigger", "w");
	write_file("/proc/sysrq-trigger", "l");
	write_file("/proc/sysrq-trigger", "m");
}

/*
 * The page faults, minor and major, that @pid has taken so far; -1 if it is
 * gone.  A worker that does not answer but whose count grows is slow (under
 * emulation, on a loaded host), not stuck.
 */
long task_faults(pid_t pid)
{
	unsigned long minflt, majflt;
	char path[64], buf[1024], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	/* After the command, which may hold anything: state ... majflt. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %lu %*u %lu",
			 &minflt, &majflt) != 2)
		return -1;
	return minflt + majflt;
}

/*
 * For a worker @pid that gave no answer in @secs seconds: true, said in a
 * message, if it took page faults since *@faults, which is brought up to
 * date; false if it took none.
 */
bool task_still_faulting(pid_t pid, long *faults, int secs)
{
	long now = task_faults(pid);

	if (now <= *faults)
		return false;
	ksft_print_msg("worker %d: slow, %ld page faults in %d s\n", pid,
		       now - *faults, secs);
	*faults = now;
	return true;
}

/* A "Key:  N kB" value of a /proc file, in bytes; -1 if none. */
long proc_kb(const char *path, const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long val = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) && line[len] == ':') {
			val = atol(line + len + 1) * 1024;
			break;
		}
	}
	fclose(f);
	return val;
}

/* Kills child @pid, if there is one, and reaps it. */
void reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The event counter @key of /proc/vmstat; -1 if there is none. */
long vmstat_read(const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long val = -1;
	FILE *f;

	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) && line[len] == ' ') {
			val = atol(line + len + 1);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Waits for the writeback of swapped-out pages to finish. */
void wait_writeback(void)
{
	long deadline = now_ms() + WRITEBACK_MS;

	while (proc_kb("/proc/meminfo", "Writeback") > 0 &&
	       now_ms() < deadline)
		sleep_ms(20);
}

/* num_cgroups of the hierarchy of controller @ss in /proc/cgroups. */
int proc_cgroups_num(const char *ss)
{
	char line[256], name[64];
	int hier, num, enabled, ret = -1;
	FILE *f;

	f = fopen("/proc/cgroups", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %d %d %d", name, &hier, &num,
			   &enabled) == 4 && !strcmp(name, ss)) {
			ret = num;
			break;
		}
	}
	fclose(f);
	return ret;
}

long swap_current(const char *cg)
{
	return cg_read_long(cg, "swap.current");
}

long swap_peak(const char *cg)
{
	return cg_read_long(cg, "swap.peak");
}

int swap_events(const char *cg, long *max, long *fail)
{
	char buf[256];

	if (cg_read(cg, "swap.events", buf, sizeof(buf)))
		return -1;
	if (sscanf(buf, "max %ld\nfail %ld\n", max, fail) != 2)
		return -1;
	return 0;
}

/* The sum of the bytes in swap.stat, and the number of its lines. */
long swap_stat_sum(const char *cg, int *lines)
{
	char buf[PAGE_SIZE], *line, *save, *sp;
	long sum = 0;

	*lines = 0;
	if (cg_read(cg, "swap.stat", buf, sizeof(buf)))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sp = strrchr(line, ' ');
		if (!sp)
			return -1;
		sum += atol(sp + 1);
		(*lines)++;
	}
	return sum;
}

long vmswap(pid_t pid, pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	return proc_kb(path, "VmSwap");
}

/* Turns the areas in @off back on; 0, or -1 if one failed. */
int areas_swapon(struct swap_area *off, int nr_off)
{
	int i, ret = 0;

	for (i = 0; i < nr_off; i++)
		if (area_swapon(&off[i], off[i].prio))
			ret = -1;
	return ret;
}

/* Waits until swap.current of @cg is at most @target; returns it. */
long wait_swap_current(const char *cg, long target)
{
	long deadline = now_ms() + SETTLE_MS, cur;

	for (;;) {
		cur = swap_current(cg);
		if ((cur >= 0 && cur <= target) || now_ms() > deadline)
			return cur;
		sleep_ms(20);
	}
}

/* Waits until the hierarchy of @ss has only its root group left. */
bool wait_hierarchy_empty(const char *ss)
{
	long deadline = now_ms() + SETTLE_MS;

	while (proc_cgroups_num(ss) > 1 && now_ms() < deadline)
		sleep_ms(50);
	return proc_cgroups_num(ss) == 1;
}

/*
 * Takes @parent away and controller @ss off the root's children, so that a
 * v1 hierarchy may take it: 0 or -errno.
 */
int v2_let_go(const char *ss)
{
	if (parent) {
		group_destroy_tree(parent);
		free(parent);
		parent = NULL;
	}
	if (!has_word(root, "cgroup.subtree_control", ss))
		return 0;
	return cg_set(root, "cgroup.subtree_control", ss[0] == 's' ?
		      "-swap" : "-memory");
}

/*
 * Mounts controller @ss on a new v1 hierarchy in @dir, waiting for groups
 * just removed to let go of it: 0, or an errno.
 */
int v1_mount(char *dir, const char *ss)
{
	long deadline = now_ms() + 10000;
	int err;

	if (!mkdtemp(dir))
		return errno;
	for (;;) {
		err = mount("none", dir, "cgroup", 0, ss) ? errno : 0;
		if (err != EBUSY || now_ms() > deadline)
			break;
		sleep_ms(100);
	}
	if (err)
		rmdir(dir);
	return err;
}

/* Unmounts the v1 hierarchy of @ss in @dir, once its groups are gone. */
void v1_umount(char *dir, const char *ss)
{
	wait_hierarchy_empty(ss);
	if (umount(dir))
		ksft_print_msg("umount %s: %s\n", dir, strerror(errno));
	rmdir(dir);
}

/* Creates @base/@name and enables @subtree (or nothing) for its children. */
char *group_create(const char *base, const char *name, const char *subtree)
{
	char *cg = cg_name(base, name);
	int err;

	if (cg_create(cg)) {
		ksft_print_msg("mkdir %s: %s\n", cg, strerror(errno));
		free(cg);
		return NULL;
	}
	if (subtree) {
		err = cg_set(cg, "cgroup.subtree_control", subtree);
		if (err) {
			ksft_print_msg("%s: %s in subtree_control: %s\n", cg,
				       subtree, strerror(-err));
			rmdir(cg);
			free(cg);
			return NULL;
		}
	}
	return cg;
}

/* Removes @cg, killing its tasks if need be: 0 or -1. */
int group_rmdir(const char *cg)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		if (!rmdir(cg) || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		cg_killall(cg);
		sleep_ms(50);
	}
	ksft_print_msg("rmdir %s: %s\n", cg, strerror(errno));
	return -1;
}

/* Removes @cg, if any, and frees its name. */
void group_destroy(char *cg)
{
	if (!cg)
		return;
	group_rmdir(cg);
	free(cg);
}

/* Removes @cg and every group below it. */
void group_destroy_tree(const char *cg)
{
	struct dirent *de;
	char *sub;
	DIR *dir;

	dir = opendir(cg);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		sub = cg_name(cg, de->d_name);
		group_destroy_tree(sub);
		free(sub);
	}
	closedir(dir);
	group_rmdir(cg);
}

/* Undoes the octal escapes of a /proc/swaps name: "\040" is a space. */
void unescape(const char *in, char *out)
{
	while (*in) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '7' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' &&
		    in[3] <= '7') {
			*out++ = (in[1] - '0') * 64 + (in[2] - '0') * 8 +
				 (in[3] - '0');
			in += 4;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
}

/*
 * Reads at most @max active swap areas from /proc/swaps into @areas,
 * highest priority first (equal ones in their order there); gives their
 * number, or -1.
 */
int swap_areas(struct swap_area *areas, int max)
{
	char line[PATH_MAX + 128], type[32];
	struct swap_area *a, tmp;
	int n = 0, i, j;
	FILE *f;

	f = fopen("/proc/swaps", "r");
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	while (n < max && fgets(line, sizeof(line), f)) {
		a = &areas[n];
		if (sscanf(line, "%4095s %31s %ld %ld %d", a->name, type,
			   &a->size, &a->used, &a->prio) != 5)
			continue;
		a->size *= 1024;
		a->used *= 1024;
		unescape(a->name, a->path);
		n++;
	}
	fclose(f);

	for (i = 1; i < n; i++) {
		tmp = areas[i];
		for (j = i; j > 0 && areas[j - 1].prio < tmp.prio; j--)
			areas[j] = areas[j - 1];
		areas[j] = tmp;
	}
	return n;
}

/* Turns @area on with priority @prio (none if negative): 0 or -1. */
int area_swapon(const struct swap_area *area, int prio)
{
	int flags = 0;

	if (prio >= 0)
		flags = SWAP_FLAG_PREFER |
			((prio << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
	if (swapon(area->path, flags)) {
		ksft_print_msg("swapon %s (priority %d): %s\n", area->path,
			       prio, strerror(errno));
		return -1;
	}
	return 0;
}

/* Makes a swap file of @size bytes at @path, as mkswap would: 0 or -1. */
int swapfile_make(const char *path, long size)
{
	char *buf;
	__u32 *hdr;
	long done;
	int fd;

	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0) {
		ksft_print_msg("create %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = calloc(1, MB(1));
	if (!buf)
		goto fail;
	for (done = 0; done < size; done += MB(1))
		if (write(fd, buf, MB(1)) != MB(1))
			goto fail;
	/* The header: version 1, the last page, no bad pages; the magic. */
	hdr = (__u32 *)(buf + 1024);
	hdr[0] = 1;
	hdr[1] = size / PAGE_SIZE - 1;
	memcpy(buf + PAGE_SIZE - 10, "SWAPSPACE2", 10);
	if (pwrite(fd, buf, PAGE_SIZE, 0) != PAGE_SIZE || fsync(fd))
		goto fail;
	free(buf);
	close(fd);
	return 0;
fail:
	ksft_print_msg("write %s: %s\n", path, strerror(errno));
	free(buf);
	close(fd);
	unlink(path);
	return -1;
}

static void suite_skip(const struct swapcg_suite *s, const char *fmt, ...)
{
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
	ksft_set_plan(s->nr_tests);
	for (i = 0; i < s->nr_tests; i++)
		report(KSFT_SKIP, s->tests[i].name);
	ksft_print_cnts();
	exit(KSFT_SKIP);
}

/* Sets the root's subtree_control back to what it was. */
static void root_restore(void)
{
	long deadline = now_ms() + SETTLE_MS;

	if (!root_had_memory && has_memcg &&
	    has_word(root, "cgroup.subtree_control", "memory"))
		cg_set(root, "cgroup.subtree_control", "-memory");
	if (!root_had_swap &&
	    has_word(root, "cgroup.subtree_control", "swap"))
		cg_set(root, "cgroup.subtree_control", "-swap");
	/* After v1, the controller comes back to v2 asynchronously. */
	while (root_had_swap &&
	       cg_set(root, "cgroup.subtree_control", "+swap") &&
	       now_ms() < deadline)
		sleep_ms(100);
}

/**
 * swapcg_main() - run the tests of a program in groups under @parent
 * @s: the program's tests
 * @argc: main()'s
 * @argv: main()'s; the tests named there only, if any are
 *
 * Finds the cgroup v2 @root, enables the swap controller (and the memory
 * controller, for a @s->memory program, as @has_memcg tells) in it, creates
 * @parent and runs each test there, then removes @parent and sets the
 * root's controllers back.  A test named v1... runs even when an earlier
 * one took @parent away.  Exits with the results.
 */
void swapcg_main(const struct swapcg_suite *s, int argc, char **argv)
{
	struct swap_area area;
	const char *why;
	int i, nr;

	signal(SIGPIPE, SIG_IGN);
	ksft_print_header();
	if (cgroup2_root(root, sizeof(root)))
		ksft_exit_skip("cgroup v2 isn't mounted\n");
	if (geteuid())
		suite_skip(s, "not root");
	if (!has_word(root, "cgroup.controllers", "swap"))
		suite_skip(s, "no swap controller in %s/cgroup.controllers",
			   root);
	if (swap_areas(&area, 1) <= 0)
		suite_skip(s, "no active swap area");
	has_memcg = s->memory && has_word(root, "cgroup.controllers",
					  "memory");
	root_had_swap = has_word(root, "cgroup.subtree_control", "swap");
	root_had_memory = has_word(root, "cgroup.subtree_control", "memory");

	if (cg_set(root, "cgroup.subtree_control", "+swap"))
		ksft_exit_fail_msg("cannot enable swap in %s\n", root);
	if (has_memcg && cg_set(root, "cgroup.subtree_control", "+memory"))
		ksft_exit_fail_msg("cannot enable memory in %s\n", root);
	parent = cg_name(root, s->group);
	group_destroy_tree(parent);
	if (cg_create(parent) ||
	    cg_set(parent, "cgroup.subtree_control", "+swap"))
		ksft_exit_fail_msg("cannot create %s\n", parent);
	why = s->setup ? s->setup() : NULL;
	if (why) {
		group_destroy_tree(parent);
		root_restore();
		suite_skip(s, "%s", why);
	}

	/* Tests named on the command line, if any, are the whole plan. */
	for (i = 0, nr = 0; i < s->nr_tests; i++)
		nr += selected(s->tests[i].name, argc, argv);
	ksft_set_plan(nr);
	for (i = 0; i < s->nr_tests; i++) {
		skip_reason[0] = '\0';
		if (!selected(s->tests[i].name, argc, argv))
			continue;
		if (!parent && strncmp(s->tests[i].name, "v1", 2))
			report(skip("the test group is gone"),
			       s->tests[i].name);
		else
			report(s->tests[i].fn(), s->tests[i].name);
		if (s->after_each)
			s->after_each();
	}

	if (parent) {
		group_destroy_tree(parent);
		free(parent);
	}
	root_restore();
	ksft_finished();
}
