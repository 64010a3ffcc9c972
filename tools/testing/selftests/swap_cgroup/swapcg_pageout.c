// SPDX-License-Identifier: GPL-2.0
/*
 * swapcg_pageout MB: fill MB megabytes of anonymous memory, page them out
 * with MADV_PAGEOUT, print how much of it went to swap (VmSwap, bytes) and
 * read it back: exit status 3 if a page came back wrong.
 * A helper for the shell tests, run under cgexec and the like.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE_SIZE	4096

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

static long vmswap_bytes(void)
{
	char line[256];
	long kb = -1;
	FILE *f;

	f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmSwap:", 7)) {
			kb = atol(line + 7);
			break;
		}
	}
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

int main(int argc, char **argv)
{
	size_t size, i;
	long swapped;
	char *p;

	if (argc != 2 || atol(argv[1]) <= 0) {
		fprintf(stderr, "usage: %s MB\n", argv[0]);
		return 2;
	}
	size = (size_t)atol(argv[1]) << 20;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(p, size, MADV_NOHUGEPAGE);
	memset(p, 0x5a, size);
	/* Each page starts with its offset, to tell one from another. */
	for (i = 0; i < size; i += PAGE_SIZE)
		*(size_t *)(p + i) = i;
	if (madvise(p, size, MADV_PAGEOUT)) {
		perror("madvise(MADV_PAGEOUT)");
		return 1;
	}
	swapped = vmswap_bytes();
	for (i = 0; i < size; i += PAGE_SIZE) {
		if (*(size_t *)(p + i) != i ||
		    p[i + sizeof(size_t)] != 0x5a || p[i + PAGE_SIZE - 1] != 0x5a) {
			fprintf(stderr, "page at offset %zu came back wrong\n", i);
			return 3;
		}
	}
	printf("%ld\n", swapped);
	return 0;
}
