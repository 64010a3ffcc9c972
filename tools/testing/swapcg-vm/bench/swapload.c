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
 * swapload cost MB ROUNDS [RECLAIM]
 *	The cost of a page-out and of a swap-in in the process's own CPU
 *	time (CLOCK_THREAD_CPUTIME_ID: under QEMU -icount shift=0, 1 ns of
 *	it is one guest instruction, and it repeats from boot to boot).
 *	ROUNDS + 1 rounds on one buffer of MB; each fills it (not timed) with
 *	the same data every round, so that zram compresses it the same way,
 *	then times MADV_PAGEOUT of all of it and reading one word of every
 *	page back.  The first round warms up and is not reported.  A round
 *	whose pswpout and pswpin deltas are not exactly one per page (some
 *	page was not swapped out, or read back without I/O) is dropped.
 *	RECLAIM is a memory.reclaim file: on a disk, MADV_PAGEOUT leaves the
 *	pages in the swap cache under writeback, and a swap-in would find
 *	them there; once writeback is done, MB is reclaimed through it (not
 *	timed) so that the swap-in reads from the disk.
 *	Prints, per kept round, pageout_cpu_ns_per_page and
 *	swapin_cpu_ns_per_page, then their medians (*_median), rounds_kept
 *	and rounds_dropped.
 *
 * swapload loop MB START END
 *	From the wall-clock second START (CLOCK_REALTIME) until END: fills
 *	MB, pages it out with MADV_PAGEOUT (timed) and reads it back, over
 *	and over.  For several of these running at once.  Prints
 *	pageout_pages (pages found out of memory after each MADV_PAGEOUT),
 *	pageout_s (wall time inside MADV_PAGEOUT), pageout_pages_per_s,
 *	loops and window_s.
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

/*
 * Writes every word of @buf: the first half of each page from a fixed
 * xorshift sequence, the second half zero.
 */
static void fill_data(char *buf, size_t bytes)
{
	unsigned long x = 88172645463325252ULL;
	size_t off, i;

	for (off = 0; off < bytes; off += PAGE) {
		unsigned long *p = (unsigned long *)(buf + off);

		for (i = 0; i < PAGE / 16; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			p[i] = x;
		}
		memset(p + PAGE / 16, 0, PAGE / 2);
	}
}

static char *map(size_t bytes)
{
	char *buf;

	buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	/* Small pages: a THP would be split or swapped as a whole. */
	madvise(buf, bytes, MADV_NOHUGEPAGE);
	return buf;
}

static char *fill(size_t bytes)
{
	char *buf = map(bytes);

	fill_data(buf, bytes);
	return buf;
}

static void page_out(char *buf, size_t bytes)
{
	if (madvise(buf, bytes, MADV_PAGEOUT)) {
		perror("madvise(MADV_PAGEOUT)");
		exit(1);
	}
}

/* Reads a word of every page of @buf: the sum keeps the reads. */
static unsigned long read_back(char *buf, size_t bytes)
{
	unsigned long sum = 0;
	size_t off;

	for (off = 0; off < bytes; off += PAGE)
		sum += __atomic_load_n((unsigned long *)(buf + off),
				       __ATOMIC_RELAXED);
	return sum;
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
	size_t pages = bytes / PAGE;
	unsigned long long out0, out;
	char *buf = fill(bytes);
	unsigned long sum;
	double t0, t1;

	out0 = vmstat_read("pswpout");
	t0 = now_s();
	page_out(buf, bytes);
	t1 = now_s();
	out = vmstat_read("pswpout") - out0;
	sum = read_back(buf, bytes);
	printf("pageout_ns_per_page,%.0f\n", (t1 - t0) * 1e9 / pages);
	printf("swapin_ns_per_page,%.0f\n", (now_s() - t1) * 1e9 / pages);
	printf("pswpout,%llu\n", out);
	return sum == 42;	/* keeps the reads */
}

static long long thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Pages of @buf still in memory (mapped, or in the swap cache). */
static size_t resident(char *buf, size_t bytes)
{
	static unsigned char vec[1 << 18];
	size_t pages = bytes / PAGE, n = 0, i;

	if (pages > sizeof(vec) || mincore(buf, bytes, vec)) {
		perror("mincore");
		exit(1);
	}
	for (i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

/*
 * Waits for the swap-out writes to end, then reclaims via @file until no
 * page of @buf is left in memory (a few tries: reclaim may take other
 * pages first).
 */
static void reclaim(const char *file, char *buf, size_t bytes)
{
	struct timespec ms = { 0, 1000000 };
	size_t left;
	FILE *f;
	int i;

	for (i = 0; i < 10000 && vmstat_read("nr_writeback"); i++)
		nanosleep(&ms, NULL);
	for (i = 0; i < 8 && (left = resident(buf, bytes)); i++) {
		f = fopen(file, "w");
		if (!f) {
			perror(file);
			exit(1);
		}
		/* Fails with EAGAIN when it got less than asked. */
		fprintf(f, "%zu", left * PAGE);
		fclose(f);
	}
}

static int cost(size_t bytes, int rounds, const char *reclaim_file)
{
	size_t pages = bytes / PAGE;
	unsigned long long out0, out1, in0, in1;
	double *po = calloc(rounds, sizeof(*po));
	double *si = calloc(rounds, sizeof(*si));
	long long t0, t1, t2, t3;
	char *buf;
	unsigned long sum = 0;
	int r, kept = 0, dropped = 0;

	if (!po || !si) {
		perror("calloc");
		return 1;
	}
	/*
	 * Only the buffer may be reclaimed: a page of the stack, heap or
	 * program swapped out by a reclaim (of a whole group) would fault in
	 * while a swap-in is timed.  The buffer is mapped after, so it is
	 * not locked; the stack and the heap are used before, so they are.
	 */
	vmstat_read("pswpin");
	{
		volatile char stack[65536];

		memset((char *)stack, 0, sizeof(stack));
	}
	if (mlockall(MCL_CURRENT))
		perror("mlockall");
	buf = map(bytes);
	for (r = 0; r <= rounds; r++) {
		fill_data(buf, bytes);
		out0 = vmstat_read("pswpout");
		t0 = thread_ns();
		page_out(buf, bytes);
		t1 = thread_ns();
		out1 = vmstat_read("pswpout");
		if (reclaim_file)
			reclaim(reclaim_file, buf, bytes);
		in0 = vmstat_read("pswpin");
		t2 = thread_ns();
		sum += read_back(buf, bytes);
		t3 = thread_ns();
		in1 = vmstat_read("pswpin");
		if (!r)
			continue;	/* warm-up */
		if (out1 - out0 != pages || in1 - in0 != pages) {
			fprintf(stderr, "swapload: round %d dropped: pswpout "
				"%llu, pswpin %llu, pages %zu\n", r,
				out1 - out0, in1 - in0, pages);
			dropped++;
			continue;
		}
		po[kept] = (double)(t1 - t0) / pages;
		si[kept] = (double)(t3 - t2) / pages;
		printf("pageout_cpu_ns_per_page,%.1f\n", po[kept]);
		printf("swapin_cpu_ns_per_page,%.1f\n", si[kept]);
		kept++;
	}
	if (kept) {
		printf("pageout_cpu_ns_per_page_median,%.1f\n",
		       median(po, kept));
		printf("swapin_cpu_ns_per_page_median,%.1f\n",
		       median(si, kept));
	}
	printf("rounds_kept,%d\n", kept);
	printf("rounds_dropped,%d\n", dropped);
	return sum == 42;	/* keeps the reads */
}

static int loop(size_t bytes, time_t start, time_t end)
{
	size_t pages = bytes / PAGE, out = 0;
	struct timespec ts = { start, 0 };
	char *buf = map(bytes);
	unsigned long sum = 0;
	double in_pageout = 0, t0, t1, w0;
	int loops = 0;

	fill_data(buf, bytes);
	clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
	w0 = now_s();
	while (time(NULL) < end) {
		fill_data(buf, bytes);
		t0 = now_s();
		page_out(buf, bytes);
		t1 = now_s();
		in_pageout += t1 - t0;
		out += pages - resident(buf, bytes);
		sum += read_back(buf, bytes);
		loops++;
	}
	printf("pageout_pages,%zu\n", out);
	printf("pageout_s,%.3f\n", in_pageout);
	printf("pageout_pages_per_s,%.0f\n", in_pageout ? out / in_pageout : 0);
	printf("loops,%d\n", loops);
	printf("window_s,%.3f\n", now_s() - w0);
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
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "cost")) {
		bytes = strtoul(argv[2], NULL, 0) << 20;
		return cost(bytes, atoi(argv[3]), argc == 5 ? argv[4] : NULL);
	}
	if (argc == 5 && !strcmp(argv[1], "loop")) {
		bytes = strtoul(argv[2], NULL, 0) << 20;
		return loop(bytes, atol(argv[3]), atol(argv[4]));
	}
	fprintf(stderr, "usage: swapload passes MB PASSES | pageout MB |\n"
		"\tcost MB ROUNDS [RECLAIM] | loop MB START END |\n"
		"\tmkgroups DIR N | rmgroups DIR N\n");
	return 2;
}
