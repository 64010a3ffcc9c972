// SPDX-License-Identifier: GPL-2.0
/*
 * pageout MIB [SECONDS]: fill MIB of anonymous memory with a pattern, page
 * it out with MADV_PAGEOUT, read it back and check it, over and over, for
 * SECONDS (default: until killed).  Swap-out without memory pressure, so it
 * works with or without the memory controller.  Exits 1 on a wrong page.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	long size, pages, page = sysconf(_SC_PAGESIZE), i, bad = 0;
	time_t end = 0;
	unsigned int round;
	char *p;

	if (argc < 2) {
		fprintf(stderr, "usage: %s MIB [SECONDS]\n", argv[0]);
		return 2;
	}
	size = atol(argv[1]) << 20;
	pages = size / page;
	if (argc > 2)
		end = time(NULL) + atol(argv[2]);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	madvise(p, size, MADV_NOHUGEPAGE);
	for (round = 0; !stop && (!end || time(NULL) < end); round++) {
		for (i = 0; i < pages; i++)
			memset(p + i * page, (i * 13 + round) % 251 + 1, page);
		madvise(p, size, MADV_PAGEOUT);
		for (i = 0; i < pages; i++) {
			unsigned char want = (i * 13 + round) % 251 + 1;

			if ((unsigned char)p[i * page] != want ||
			    (unsigned char)p[i * page + page - 1] != want)
				bad++;
		}
		if (bad) {
			fprintf(stderr, "pageout: %ld wrong pages in round %u\n",
				bad, round);
			return 1;
		}
	}
	return 0;
}
