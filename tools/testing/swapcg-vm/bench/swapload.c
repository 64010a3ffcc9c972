// SPDX-License-Identifier: GPL-2.0
/*
 * Swap workloads for B2 and B3.
 *
 * swapload passes MB PASSES
 *	Fills MB of anonymous memory (small pages, half random, half zero, so
 *	zram compresses it about 2:1 and finds no same-filled pages), then
 *	dirties one word of every page PASSES times.  Run in a group whose
 *	memory.max is below MB, every pass swaps the working set out and in.
 *	Prints wall_s, user_s, sys_s (this process: memcg reclaim runs in it),
 *	pswpout and pswpin (deltas of /proc/vmstat over the passes).
 *
 * swapload pageout MB
 *	Fills MB, times MADV_PAGEOUT of all of it (each page takes and charges
 *	a swap slot) and then reading it back (swap-in).  Prints
 *	pageout_ns_per_page, swapin_ns_per_page and pswpout.
 *
 * swapload mkgroups DIR N | rmgroups DIR N
 *	Creates or removes the groups DIR/g0 ... DIR/g<N-1> (a process per
 *	mkdir costs a lot under TCG).
 *
 * Output lines are "metric,value".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE 4096UL

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long vmstat_read(const char *key)
{
	char name[64];
	unsigned long long v, ret = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", name, &v) == 2) {
		if (!strcmp(name, key)) {
			ret = v;
			break;
		}
	}
	fclose(f);
	return ret;
}

static char *fill(size_t bytes)
{
	unsigned long x = 88172645463325252ULL;
	char *buf;
	size_t off, i;

	buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	/* Small pages: a THP would be split or swapped as a whole. */
	madvise(buf, bytes, MADV_NOHUGEPAGE);
	for (off = 0; off < bytes; off += PAGE) {
		unsigned long *p = (unsigned long *)(buf + off);

		for (i = 0; i < PAGE / 16; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			p[i] = x;
		}
	}
	return buf;
}

static double tv_s(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static int passes(size_t bytes, int n)
{
	unsigned long long out0, in0;
	struct rusage r0, r1;
	char *buf = fill(bytes);
	double t0;
	size_t off;
	int i;

	getrusage(RUSAGE_SELF, &r0);
	out0 = vmstat_read("pswpout");
	in0 = vmstat_read("pswpin");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		for (off = 0; off < bytes; off += PAGE) {
			unsigned long *w = (unsigned long *)(buf + off) + i % 256;

			__atomic_store_n(w, *w + 1, __ATOMIC_RELAXED);
		}
	}
	printf("wall_s,%.3f\n", now_s() - t0);
	getrusage(RUSAGE_SELF, &r1);
	printf("user_s,%.3f\n", tv_s(r1.ru_utime) - tv_s(r0.ru_utime));
	printf("sys_s,%.3f\n", tv_s(r1.ru_stime) - tv_s(r0.ru_stime));
	printf("pswpout,%llu\n", vmstat_read("pswpout") - out0);
	printf("pswpin,%llu\n", vmstat_read("pswpin") - in0);
	return 0;
}

static int pageout(size_t bytes)
{
	size_t pages = bytes / PAGE, off;
	unsigned long long out0, out;
	char *buf = fill(bytes);
	unsigned long sum = 0;
	double t0, t1;

	out0 = vmstat_read("pswpout");
	t0 = now_s();
	if (madvise(buf, bytes, MADV_PAGEOUT)) {
		perror("madvise(MADV_PAGEOUT)");
		return 1;
	}
	t1 = now_s();
	out = vmstat_read("pswpout") - out0;
	for (off = 0; off < bytes; off += PAGE)
		sum += __atomic_load_n((unsigned long *)(buf + off),
					__ATOMIC_RELAXED);
	printf("pageout_ns_per_page,%.0f\n", (t1 - t0) * 1e9 / pages);
	printf("swapin_ns_per_page,%.0f\n", (now_s() - t1) * 1e9 / pages);
	printf("pswpout,%llu\n", out);
	return sum == 42;	/* keeps the reads */
}

static int groups(const char *dir, int n, int make)
{
	char path[4096];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/g%d", dir, i);
		if (make ? mkdir(path, 0755) : rmdir(path)) {
			perror(path);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t bytes;

	if (argc == 4 && !strcmp(argv[1], "mkgroups"))
		return groups(argv[2], atoi(argv[3]), 1);
	if (argc == 4 && !strcmp(argv[1], "rmgroups"))
		return groups(argv[2], atoi(argv[3]), 0);
	if (argc >= 3 && !strcmp(argv[1], "passes") && argc == 4) {
		bytes = strtoul(argv[2], NULL, 0) << 20;
		return passes(bytes, atoi(argv[3]));
	}
	if (argc == 3 && !strcmp(argv[1], "pageout")) {
		bytes = strtoul(argv[2], NULL, 0) << 20;
		return pageout(bytes);
	}
	fprintf(stderr, "usage: swapload passes MB PASSES | pageout MB |\n"
		"\tmkgroups DIR N | rmgroups DIR N\n");
	return 2;
}
