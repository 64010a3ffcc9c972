// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input for the files of the swap cgroup controller.
 *
 * Mutated, truncated, oversized, binary and UTF-8 text is written to
 * swap.max and swap.devices of a test group, at least 10,000 writes each.
 * Every write must return its length or one of the errors the files
 * document, and reading the file back must show the old state after an
 * error and the new one after a success.  The new state is predicted by a
 * model of the documented syntax:
 *
 *   swap.max:     what memory.swap.max takes, "max" or a size: bytes as
 *                 memparse() reads them (decimal, "0x" then hexadecimal,
 *                 or octal after a leading 0; wrapping modulo 2^64), then
 *                 an optional suffix K, M, G, T, P or E of either case
 *                 (a shift by 10 to 60 bits, wrapping too), and nothing
 *                 after it.  The text must start with a digit.
 *   swap.devices: "default max|0", or "AREA LIMIT" with AREA a path of a
 *                 block device or of a regular file on a file system that
 *                 can hold swap (not procfs, sysfs, tmpfs, 9p...), or
 *                 MAJ:MIN, and LIMIT
 *                 "max", a size of at least a page, a size written with
 *                 zeros only, or "default" (drops the area's rule).  A
 *                 rewritten rule keeps its place, a new one goes last.
 *                 A group holds at most 64 rules: a new one past that
 *                 fails with ENOSPC.  The line is checked first, then
 *                 LIMIT, then AREA, then the count.
 *
 * Leading and trailing white space (the kernel's isspace(), which includes
 * 0xa0) is ignored, a write of more than a page fails with E2BIG and an
 * empty write does nothing.  swap.max stops at the first NUL byte of a
 * write; swap.devices refuses a write with anything but NULs after one
 * (EINVAL): the lines after it would be lost.
 *
 * Usage: test_swapcg_fuzz [-n WRITES] [-s SEED]; WRITES per file, default
 * 10000 or SWAPCG_FUZZ_WRITES.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/types.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "../kselftest.h"
#include "swapcg_util.h"

#define MAX_WRITE	4096		/* cgroup files take at most a page */
#define BUF_SIZE	(MAX_WRITE * 4)
#define STATE_SIZE	(1024 * 1024)
#define MAX_RULES	64		/* SWAPCG_MAX_RULES */
#define MAX_LINES	(2 * MAX_RULES)	/* lines one write may hold */
#define NAME_LEN	MAX_WRITE
#define PAGE_COUNTER_MAX (LONG_MAX / 4096)

static char *group;
static unsigned long nr_writes = 10000;
static unsigned int seed;

/* Kernel ctype: isspace() is true for \t\n\v\f\r, ' ' and 0xa0. */
static bool k_isspace(unsigned char c)
{
	return (c >= 9 && c <= 13) || c == ' ' || c == 0xa0;
}

static bool k_isdigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* strim(): strip both ends in place. */
static char *k_strim(char *s)
{
	size_t len = strlen(s);

	while (len && k_isspace(s[len - 1]))
		s[--len] = '\0';
	while (k_isspace(*s))
		s++;
	return s;
}

static bool k_isxdigit(unsigned char c)
{
	return k_isdigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/*
 * memparse(): simple_strtoull(@s, @end, 0), which reads "0x" or "0X" before
 * a hexadecimal digit as base 16, any other leading 0 as base 8, and takes
 * digits until one that is not of the base; then one suffix K, M, G, T, P
 * or E of either case.  Digits and suffix wrap modulo 2^64, silently.
 */
static __u64 model_memparse(const char *s, const char **end)
{
	static const char suffixes[] = "kmgtpe";
	unsigned int base = 10, val;
	const char *sfx;
	__u64 bytes = 0;

	if (s[0] == '0') {
		base = 8;
		if ((s[1] | 0x20) == 'x' && k_isxdigit(s[2])) {
			base = 16;
			s += 2;
		}
	}
	for (;; s++) {
		if (k_isdigit(*s))
			val = *s - '0';
		else if (k_isxdigit(*s))
			val = (*s | 0x20) - 'a' + 10;
		else
			break;
		if (val >= base)
			break;
		bytes = bytes * base + val;
	}
	sfx = *s ? strchr(suffixes, *s | 0x20) : NULL;
	if (sfx) {
		bytes <<= 10 * (sfx - suffixes + 1);
		s++;
	}
	*end = s;
	return bytes;
}

/* A size other than "max": memparse() text from a digit to the end. */
static int model_bytes(const char *s, __u64 *bytes)
{
	const char *end;

	if (!k_isdigit(*s))
		return -EINVAL;
	*bytes = model_memparse(s, &end);
	return *end ? -EINVAL : 0;
}

static unsigned long bytes_to_pages(__u64 bytes)
{
	return bytes / 4096 > PAGE_COUNTER_MAX ? PAGE_COUNTER_MAX : bytes / 4096;
}

/* swap.max (page_counter_memparse()): -EINVAL, or 0 and the pages. */
static int model_pages(const char *s, unsigned long *pages)
{
	__u64 bytes;

	if (!strcmp(s, "max")) {
		*pages = PAGE_COUNTER_MAX;
		return 0;
	}
	if (model_bytes(s, &bytes))
		return -EINVAL;
	*pages = bytes_to_pages(bytes);
	return 0;
}

/* Is the size @s written with zeros only (then a suffix, or nothing)? */
static bool model_zeros(const char *s)
{
	bool hex = s[0] == '0' && (s[1] | 0x20) == 'x';

	if (hex)
		s += 2;
	while (*s == '0')
		s++;
	return hex ? !k_isxdigit(*s) : !k_isdigit(*s);
}

/*
 * The LIMIT of a rule: the same, but 0 pages only when written with zeros:
 * not 1 to 4095 bytes, nor a size that wraps around to less than a page.
 */
static int model_area_pages(const char *s, unsigned long *pages)
{
	__u64 bytes;

	if (!strcmp(s, "max")) {
		*pages = PAGE_COUNTER_MAX;
		return 0;
	}
	if (model_bytes(s, &bytes))
		return -EINVAL;
	*pages = bytes_to_pages(bytes);
	if (!*pages && !model_zeros(s))
		return -EINVAL;
	return 0;
}

static void show_pages(char *out, size_t size, unsigned long pages)
{
	if (pages == PAGE_COUNTER_MAX)
		snprintf(out, size, "max\n");
	else
		snprintf(out, size, "%llu\n", (unsigned long long)pages * 4096);
}

/* Model of swap.devices. */
struct rule {
	dev_t dev;
	ino_t ino;
	unsigned long max;
	char *name;
};

static struct devices_model {
	bool deny;
	int nr;
	/* Room for what a write adds before its count is checked. */
	struct rule rule[MAX_RULES + MAX_LINES];
} dm;

static void devices_show(const struct devices_model *m, char *out, size_t size)
{
	size_t len;
	int i;

	len = snprintf(out, size, "default %s\n", m->deny ? "0" : "max");
	for (i = 0; i < m->nr && len < size; i++) {
		len += snprintf(out + len, size - len, "%s ", m->rule[i].name);
		show_pages(out + len, size - len, m->rule[i].max);
		len += strlen(out + len);
	}
}

static int model_devnum(const char *s, dev_t *dev)
{
	unsigned long maj = 0, min = 0;

	if (!k_isdigit(*s))
		return -EINVAL;
	for (; k_isdigit(*s); s++) {
		maj = maj * 10 + (*s - '0');
		if (maj > 0xfff)
			return -EINVAL;
	}
	if (*s++ != ':' || !k_isdigit(*s))
		return -EINVAL;
	for (; k_isdigit(*s); s++) {
		min = min * 10 + (*s - '0');
		if (min > 0xfffff)
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	*dev = makedev(maj, min);
	return 0;
}

/*
 * Apply the line @text (NUL terminated) to @m, whatever the number of rules
 * it comes to; 0 or -errno, in which case @m is unchanged.  The names that
 * the line replaces stay allocated, and the one it sets is added to @fresh:
 * model_devices_write() sorts them out.
 */
/* Can the file system of @path hold a swap file?  Not these ones. */
static bool model_fs_may_swap(const char *path)
{
	static const long no_swap[] = {
		PROC_SUPER_MAGIC, SYSFS_MAGIC, TMPFS_MAGIC, RAMFS_MAGIC,
		V9FS_MAGIC, OVERLAYFS_SUPER_MAGIC, CGROUP_SUPER_MAGIC,
		CGROUP2_SUPER_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
	};
	struct statfs sf;
	size_t i;

	if (statfs(path, &sf))
		return false;
	for (i = 0; i < ARRAY_SIZE(no_swap); i++)
		if (sf.f_type == no_swap[i])
			return false;
	return true;
}

static int model_devices_line(struct devices_model *m, char *text,
			      char **fresh, int *nr_fresh)
{
	char *rest = k_strim(text), *area, *limit;
	unsigned long max = 0;
	bool drop = false;
	struct rule *r;
	struct stat st;
	dev_t dev = 0;
	ino_t ino = 0;
	int i, ret;

	area = strsep(&rest, " \t\n");
	if (!*area || !rest)
		return -EINVAL;
	while (k_isspace(*rest))
		rest++;
	limit = rest;
	if (!*limit || strpbrk(limit, " \t\n"))
		return -EINVAL;

	if (!strcmp(area, "default")) {
		if (strcmp(limit, "max") && strcmp(limit, "0"))
			return -EINVAL;
		m->deny = !strcmp(limit, "0");
		return 0;
	}
	if (!strcmp(limit, "default")) {
		drop = true;
	} else {
		ret = model_area_pages(limit, &max);
		if (ret)
			return ret;
	}
	if (area[0] != '/') {
		ret = model_devnum(area, &dev);
		if (ret)
			return ret;
	} else {
		if (stat(area, &st))
			return -errno;
		if (S_ISBLK(st.st_mode)) {
			dev = st.st_rdev;
		} else if (S_ISREG(st.st_mode) && model_fs_may_swap(area)) {
			dev = st.st_dev;
			ino = st.st_ino;
		} else {
			return -EINVAL;
		}
	}

	for (i = 0; i < m->nr; i++) {
		if (m->rule[i].dev == dev && m->rule[i].ino == ino)
			break;
	}
	if (drop) {
		if (i < m->nr) {
			memmove(&m->rule[i], &m->rule[i + 1],
				(m->nr - i - 1) * sizeof(m->rule[0]));
			m->nr--;
		}
		return 0;
	}
	/* A new rule goes last; a rewritten one keeps its place. */
	if (i == m->nr)
		m->nr++;
	r = &m->rule[i];
	r->dev = dev;
	r->ino = ino;
	r->max = max;
	r->name = strdup(area);
	fresh[(*nr_fresh)++] = r->name;
	return 0;
}

static bool model_has_name(const struct devices_model *m, const char *name)
{
	int i;

	for (i = 0; i < m->nr; i++)
		if (m->rule[i].name == name)
			return true;
	return false;
}

/*
 * Apply the write @text (NUL terminated) to @m: a rule per line, blank
 * lines skipped, all of them or none.  The first bad line decides the
 * error; a set that leaves more than MAX_RULES rules fails with ENOSPC.
 * Returns 0 or -errno, in which case @m is unchanged.
 */
static int model_devices_write(struct devices_model *m, char *text)
{
	static struct devices_model w;
	char *fresh[MAX_LINES], *line;
	int i, lines = 0, nr_fresh = 0, ret = 0;

	w = *m;
	while ((line = strsep(&text, "\n"))) {
		while (k_isspace(*line))
			line++;
		if (!*line)
			continue;
		if (lines++ == MAX_LINES) {
			ret = -EINVAL;
			break;
		}
		ret = model_devices_line(&w, line, fresh, &nr_fresh);
		if (ret)
			break;
	}
	if (!ret && !lines)
		ret = -EINVAL;
	if (!ret && w.nr > MAX_RULES)
		ret = -ENOSPC;
	if (ret) {
		for (i = 0; i < nr_fresh; i++)
			free(fresh[i]);
		return ret;
	}
	for (i = 0; i < m->nr; i++)
		if (!model_has_name(&w, m->rule[i].name))
			free(m->rule[i].name);
	for (i = 0; i < nr_fresh; i++)
		if (!model_has_name(&w, fresh[i]))
			free(fresh[i]);
	*m = w;
	return 0;
}

/* The documented errors of a write to these files. */
static bool documented_error(int err)
{
	switch (err) {
	case EINVAL: case E2BIG: case ENOENT: case ENOTDIR:
	case ENAMETOOLONG: case ELOOP: case EACCES: case ENOSPC:
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Input generation */

static __u64 rng_state;

static __u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned long rnd_below(unsigned long n)
{
	return n ? rnd() % n : 0;
}

static const char * const utf8[] = {
	"\xc2\xa0",		/* U+00A0 no-break space */
	"\xe2\x80\x89",		/* U+2009 thin space */
	"\xef\xbc\x91\xef\xbc\x96",	/* fullwidth "16" */
	"\xef\xbd\x8d\xef\xbd\x81\xef\xbd\x98",	/* fullwidth "max" */
	"\xef\xbb\xbf",		/* byte order mark */
	"\xe2\x80\x8f",		/* right-to-left mark */
	"\xf0\x9f\x92\xbe",	/* U+1F4BE floppy disk */
	"\xd9\xa1\xd9\xa6",	/* Arabic-Indic "16" */
	"\xe2\x80\xa8",		/* line separator */
	"\xc0\xaf",		/* overlong "/" */
	"\xed\xa0\x80",		/* lone surrogate */
	"\xf4\x90\x80\x80",	/* above U+10FFFF */
	"\xcc\x81",		/* combining acute accent */
	"\xe2\x85\xab",		/* roman numeral twelve */
	"\xc3\x9f",
	"\xff\xfe",
};

static const char interesting[] = {
	0, ' ', '\t', '\n', '\v', '\f', '\r', (char)0xa0, (char)0x85,
	(char)0xff, (char)0x80, '0', '1', '7', '8', '9', 'k', 'K', 'm', 'M',
	'g', 'G', 't', 'T', 'p', 'P', 'e', 'E', 'x', 'X', 'a', 'f', ':', '/',
	'-', '+', '.', '%',
};

static const char * const max_seeds[] = {
	"max", "max\n", "0", "1", "4096", "4097", "16M", "16m\n", "8K", "3G",
	"2t", "007M", " 16M ", "\t8M\n\n", "18446744073709551615",
	"18446744073709551616", "16777216T", "17179869183G", "1099511627775K",
	"9223372036854771712", "9223372036854775807", "MAX", "max max",
	"16M 8M", "-1", "0x10", "1e6", "1.5G", "16 M", "16MB",
	/* memparse(): bases, the P and E suffixes, wrap-around */
	"0x1000", "0X10k", "0x1E", "0x1P", "0xfffffffffffff000", "0x", "0xg",
	"0x 1", "010000", "0777K", "08", "00", "0K", "1P", "1e", "7E", "8e",
	"15E", "16E", "17E", "99999999999999999999999", "0x10000000000001000",
	"36893488147419103232", "18014398509481984K", "K", "e", "",
};

/* A size for memparse(), of any magnitude and base, now and then off. */
static void size_seed(char *out, size_t size)
{
	static const char suffixes[] = "kKmMgGtTpPeE";
	static const char digits[] = "0123456789abcdefABCDEF";
	static const char * const tails[] = { "B", "K", "x", "Q", " 1", "." };
	unsigned long long v = rnd() >> rnd_below(64);
	const char *prefix;
	size_t len, n, base;

	switch (rnd_below(6)) {
	case 0:		/* less than a page, or about one */
		len = snprintf(out, size, "%lu",
			       rnd_below(2) ? rnd_below(8) : rnd_below(8192));
		break;
	case 1:
		len = snprintf(out, size, "%llu", v);
		break;
	case 2:
		len = snprintf(out, size, rnd_below(2) ? "0x%llx" : "0X%llX", v);
		break;
	case 3:
		len = snprintf(out, size, "0%llo", v);
		break;
	default:	/* a run of digits that may pass 64 bits, and wrap */
		switch (rnd_below(4)) {
		case 0:
			prefix = "0";
			base = 8;
			break;
		case 1:
			prefix = "0x";
			base = 22;	/* both cases of a to f */
			break;
		default:
			prefix = "";
			base = 10;
		}
		/* Now and then with a digit of too high a base. */
		if (!rnd_below(8))
			base = 22;
		len = snprintf(out, size, "%s", prefix);
		for (n = 1 + rnd_below(40); n && len + 1 < size; n--)
			out[len++] = digits[rnd_below(base)];
		out[len] = '\0';
	}
	if (rnd_below(2) && len + 1 < size) {
		out[len++] = suffixes[rnd_below(sizeof(suffixes) - 1)];
		out[len] = '\0';
	}
	if (!rnd_below(16))
		snprintf(out + len, size - len, "%s",
			 tails[rnd_below(ARRAY_SIZE(tails))]);
}

static char area_paths[4][PATH_MAX];	/* active areas and a swap file */
static char devnums[4][32];

/*
 * A seed line for swap.devices (some slots filled with real areas) for the
 * write @i.  The writes alternate, 1000 at a time, between piling up rules
 * past MAX_RULES, which MAJ:MIN names of devices that do not exist let them
 * do, and thinning them out; they often rewrite or drop a rule the group
 * has.
 */
static void devices_seed(char *out, unsigned long i)
{
	static const char * const limits[] = {
		"max", "0", "8M", "default", "4096", "1G", "18446744073709551616",
		"16777216T", "1.5M", "-1", "maximum", "8MB", "00", "0K", "0x0",
		"1", "4095", "3K", "0x10", "0x1000", "010000", "08", "0x", "1P",
		"1E", "16E", "18446744073709551617", "0x10000000000001000", "K",
	};
	static const char * const areas[] = {
		"/dev/null", "/dev", "/nonexistent", "/dev/vda/", "1:3", "0:0",
		"4095:1048575", "4096:0", "0:1048576", "8:", ":1", "1:2:3",
		"/dev/../dev/vda", "//dev//vda", "/proc/self/exe", "/dev/zero",
		"/sys/fs/cgroup", "/proc/swaps", "0x1:0", "1:0x3", "01:03",
	};
	static const char * const gaps[] = { " ", "\t", "  ", " \t " };
	bool thin = (i / 1000) % 2;
	const char *area, *limit;
	char num[32], size[64];

	switch (rnd_below(10)) {
	case 0:
		sprintf(out, "default %s", rnd_below(2) ? "max" : "0");
		return;
	case 1: case 2:
		area = area_paths[rnd_below(4)];
		if (!*area)
			area = "/dev/null";
		break;
	case 3:
		area = devnums[rnd_below(4)];
		if (!*area)
			area = "1:3";
		break;
	case 4: case 5: case 6:
		/* 96 areas, some named twice: "1:2" and "01:2" are one. */
		snprintf(num, sizeof(num), "%s%lu:%lu",
			 rnd_below(8) ? "" : "0", rnd_below(12), rnd_below(8));
		area = num;
		break;
	case 7:
		if (dm.nr) {
			area = dm.rule[rnd_below(dm.nr)].name;
			break;
		}
		area = "1:3";
		break;
	default:
		area = areas[rnd_below(ARRAY_SIZE(areas))];
	}
	if (thin ? rnd_below(2) : !rnd_below(12)) {
		limit = "default";
	} else if (rnd_below(3)) {
		limit = limits[rnd_below(ARRAY_SIZE(limits))];
	} else {
		size_seed(size, sizeof(size));
		limit = size;
	}
	sprintf(out, "%s%s%s", area,
		gaps[rnd_below(ARRAY_SIZE(gaps))], limit);
}

/* Mutate @buf of @len bytes (at most @cap) in place; returns the new length. */
static size_t mutate(char *buf, size_t len, size_t cap)
{
	int n = 1 + rnd_below(4);
	size_t pos, l;
	const char *s;

	while (n--) {
		pos = rnd_below(len + 1);
		switch (rnd_below(9)) {
		case 0:		/* flip a bit */
			if (len)
				buf[rnd_below(len)] ^= 1 << rnd_below(8);
			break;
		case 1:		/* replace a byte */
			if (len)
				buf[rnd_below(len)] =
					interesting[rnd_below(sizeof(interesting))];
			break;
		case 2:		/* insert a byte */
			if (len < cap) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = rnd_below(2) ?
					interesting[rnd_below(sizeof(interesting))] :
					(char)rnd();
				len++;
			}
			break;
		case 3:		/* insert UTF-8 */
			s = utf8[rnd_below(ARRAY_SIZE(utf8))];
			l = strlen(s);
			if (len + l <= cap) {
				memmove(buf + pos + l, buf + pos, len - pos);
				memcpy(buf + pos, s, l);
				len += l;
			}
			break;
		case 4:		/* delete a range */
			l = rnd_below(len - pos + 1);
			memmove(buf + pos, buf + pos + l, len - pos - l);
			len -= l;
			break;
		case 5:		/* truncate */
			len = pos;
			break;
		case 6:		/* duplicate a range */
			l = rnd_below(len - pos + 1);
			if (len + l <= cap) {
				memmove(buf + pos + l, buf + pos, len - pos);
				len += l;
			}
			break;
		case 7:		/* append a run of digits or spaces */
			l = rnd_below(64);
			if (len + l <= cap) {
				memset(buf + len, rnd_below(2) ? '9' : ' ', l);
				len += l;
			}
			break;
		default:	/* leave it, or a clean seed with one change */
			break;
		}
	}
	return len;
}

/* The next input for a file; returns its length (may exceed MAX_WRITE). */
static size_t next_input(char *buf, bool devices, unsigned long i)
{
	size_t len, cap = MAX_WRITE + 16;
	int n;

	switch (i % 50) {
	case 0:		/* random binary */
		len = rnd_below(cap);
		for (size_t j = 0; j < len; j++)
			buf[j] = rnd();
		return len;
	case 1:		/* oversized */
		len = MAX_WRITE + 1 + rnd_below(BUF_SIZE - MAX_WRITE - 1);
		memset(buf, '1', len);
		return len;
	case 2:		/* at the page bound: padded valid text */
		len = MAX_WRITE - rnd_below(2);
		memset(buf, ' ', len);
		memcpy(buf + len / 2, "8M", 2);
		return len;
	case 3:		/* empty */
		return 0;
	}
	if (devices) {
		devices_seed(buf, i);
		/* Now and then a rule set: up to four lines in one write. */
		for (n = rnd_below(4) ? 0 : 1 + rnd_below(3);
		     n && strlen(buf) < MAX_WRITE; n--) {
			/* Sometimes with a blank line of a space between. */
			strcat(buf, rnd_below(4) ? "\n" : "\n\x20\n");
			devices_seed(buf + strlen(buf), i);
		}
	} else if (rnd_below(2)) {
		snprintf(buf, BUF_SIZE, "%s",
			 max_seeds[rnd_below(ARRAY_SIZE(max_seeds))]);
	} else {
		size_seed(buf, cap);
	}
	len = strlen(buf);
	if (i % 3)
		len = mutate(buf, len, cap);
	return len;
}

/* ------------------------------------------------------------------ */

static void print_input(const char *buf, size_t len)
{
	char out[200];
	size_t i, o = 0;

	for (i = 0; i < len && o < sizeof(out) - 8; i++) {
		unsigned char c = buf[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = c;
		else
			o += sprintf(out + o, "\\x%02x", c);
	}
	out[o] = '\0';
	ksft_print_msg("input (%zu bytes): \"%s%s\"\n", len, out,
		       i < len ? "..." : "");
}

/* Does @in hold anything but NULs after its first NUL? */
static bool nul_inside(const char *in, size_t len)
{
	const char *nul = memchr(in, '\0', len);

	if (!nul)
		return false;
	while (++nul < in + len)
		if (*nul)
			return true;
	return false;
}

/*
 * Writes @count inputs to @file of @cg; each result and the state read back
 * are checked against the model.
 */
static int fuzz_file(const char *cg, const char *file, bool devices,
		     unsigned long count)
{
	static char in[BUF_SIZE], text[BUF_SIZE], want[STATE_SIZE],
		    before[STATE_SIZE], after[STATE_SIZE];
	unsigned long i, ok = 0, failed = 0, bad = 0, full = 0;
	unsigned long max_pages = 0;
	int most = 0;
	char path[PATH_MAX];
	int fd, err, expect;
	size_t len;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		ksft_print_msg("open %s: %s\n", path, strerror(errno));
		return KSFT_FAIL;
	}

	for (i = 0; i < count && bad < 10; i++) {
		if (read_file(path, before, sizeof(before))) {
			bad++;
			break;
		}
		len = next_input(in, devices, i);

		/* The model sees what the kernel sees: a C string. */
		memcpy(text, in, len < MAX_WRITE ? len : MAX_WRITE);
		text[len < MAX_WRITE ? len : MAX_WRITE] = '\0';
		if (len > MAX_WRITE)
			expect = -E2BIG;
		else if (len == 0)
			expect = 0;
		else if (devices && nul_inside(in, len))
			expect = -EINVAL;
		else if (devices)
			expect = model_devices_write(&dm, text);
		else
			expect = model_pages(k_strim(text), &max_pages);

		n = write(fd, in, len);
		err = n < 0 ? errno : 0;
		if (read_file(path, after, sizeof(after))) {
			bad++;
			break;
		}

		if (n >= 0 && (size_t)n != len) {
			ksft_print_msg("write returned %zd of %zu\n", n, len);
			print_input(in, len);
			bad++;
			continue;
		}
		if (err && !documented_error(err)) {
			ksft_print_msg("undocumented error %s\n", strerror(err));
			print_input(in, len);
			bad++;
		}
		if (-err != expect) {
			ksft_print_msg("write: %s, expected %s\n",
				       err ? strerror(err) : "success",
				       expect ? strerror(-expect) : "success");
			print_input(in, len);
			bad++;
		}

		full += err == ENOSPC;
		if (dm.nr > most)
			most = dm.nr;
		if (err || len == 0) {
			failed += !!err;
			snprintf(want, sizeof(want), "%s", before);
		} else if (devices) {
			ok++;
			devices_show(&dm, want, sizeof(want));
		} else {
			ok++;
			show_pages(want, sizeof(want), max_pages);
		}
		if (strcmp(after, want)) {
			ksft_print_msg("%s reads back as:\n%s# expected:\n%s",
				       file, after, want);
			print_input(in, len);
			bad++;
		}
		/*
		 * The model of swap.devices has its own state: once it parts
		 * from the kernel's, what follows tells nothing more.
		 */
		if (devices && bad)
			break;
	}
	close(fd);
	ksft_print_msg("%s: %lu writes, %lu accepted, %lu refused, %lu wrong\n",
		       file, i, ok, failed, bad);
	if (devices)
		ksft_print_msg("%s: up to %d rules, %lu refused for want of room\n",
			       file, most, full);
	return bad ? KSFT_FAIL : KSFT_PASS;
}

/* Drop every rule the group has, whatever the model thinks. */
static void devices_reset(const char *cg)
{
	static char buf[STATE_SIZE], line[NAME_LEN + 16];
	char *save, *l, *sp;
	int i;

	snprintf(line, sizeof(line), "%s/swap.devices", cg);
	if (!read_file(line, buf, sizeof(buf))) {
		for (l = strtok_r(buf, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			sp = strrchr(l, ' ');
			if (!sp || !strncmp(l, "default ", 8))
				continue;
			*sp = '\0';
			snprintf(line, sizeof(line), "%s default", l);
			cg_set(cg, "swap.devices", line);
		}
	}
	cg_set(cg, "swap.devices", "default max");
	for (i = 0; i < dm.nr; i++)
		free(dm.rule[i].name);
	memset(&dm, 0, sizeof(dm));
}

static int test_fuzz_max(void)
{
	return fuzz_file(group, "swap.max", false, nr_writes);
}

static int test_fuzz_devices(void)
{
	int ret = fuzz_file(group, "swap.devices", true, nr_writes);

	devices_reset(group);
	return ret;
}

/*
 * A line of swap.devices may name a path of nearly a page: the longest
 * path the kernel takes is PATH_MAX - 1 bytes.
 */
static int test_long_names(void)
{
	static char line[MAX_WRITE + 8], want[STATE_SIZE], got[STATE_SIZE];
	char path[PATH_MAX];
	size_t len;
	int ret = KSFT_PASS, err;

	snprintf(path, sizeof(path), "%s/swap.devices", group);
	/* "/" then "./" repeated resolves to the root: a directory. */
	for (len = 4000; len <= MAX_WRITE + 2; len += 47) {
		size_t i;

		line[0] = '/';
		for (i = 1; i + 1 < len - 2; i += 2)
			memcpy(line + i, "./", 2);
		line[i] = '\0';
		strcat(line, " 0");
		err = cg_set(group, "swap.devices", line);
		if (strlen(line) > MAX_WRITE) {
			if (err != -E2BIG) {
				ksft_print_msg("%zu bytes: %s, expected E2BIG\n",
					       strlen(line), strerror(-err));
				ret = KSFT_FAIL;
			}
		} else if (err != -EINVAL && err != -ENAMETOOLONG) {
			ksft_print_msg("%zu bytes naming a directory: %s\n",
				       strlen(line), strerror(-err));
			ret = KSFT_FAIL;
		}
	}
	devices_show(&dm, want, sizeof(want));
	if (read_file(path, got, sizeof(got)) || strcmp(got, want)) {
		ksft_print_msg("swap.devices changed:\n%s", got);
		ret = KSFT_FAIL;
	}
	return ret;
}

/* Files without a write handler refuse every write. */
static int test_readonly_files(void)
{
	static const char * const files[] = {
		"swap.current", "swap.peak", "swap.events", "swap.stat",
		"swap.devices.effective",
	};
	static char in[BUF_SIZE], before[STATE_SIZE], after[STATE_SIZE];
	int ret = KSFT_PASS;
	unsigned long i;
	size_t f, len;

	for (f = 0; f < ARRAY_SIZE(files); f++) {
		char path[PATH_MAX];
		int fd;

		snprintf(path, sizeof(path), "%s/%s", group, files[f]);
		if (read_file(path, before, sizeof(before))) {
			ksft_print_msg("cannot read %s\n", path);
			return KSFT_FAIL;
		}
		fd = open(path, O_WRONLY);
		if (fd < 0) {
			/* Root may open a 0444 file; if not, that refuses too. */
			if (errno != EACCES) {
				ksft_print_msg("open %s: %s\n", path,
					       strerror(errno));
				ret = KSFT_FAIL;
			}
			continue;
		}
		for (i = 0; i < 200; i++) {
			ssize_t n;

			len = next_input(in, i & 1, i);
			n = write(fd, in, len);
			if (len && len <= MAX_WRITE && (n >= 0 || errno != EINVAL)) {
				ksft_print_msg("write to %s: %s\n", files[f],
					       n < 0 ? strerror(errno) : "accepted");
				ret = KSFT_FAIL;
				break;
			}
		}
		close(fd);
		if (read_file(path, after, sizeof(after)) ||
		    (strcmp(files[f], "swap.stat") && strcmp(before, after))) {
			ksft_print_msg("%s changed:\n%s", files[f], after);
			ret = KSFT_FAIL;
		}
	}
	return ret;
}

/* The parent's files stay as they were, whatever the child was sent. */
static int test_parent_untouched(void)
{
	char buf[STATE_SIZE];

	if (cg_read_strcmp(parent, "swap.max", "max\n") ||
	    cg_read_strcmp(parent, "swap.devices", "default max\n")) {
		cg_read(parent, "swap.devices", buf, sizeof(buf));
		ksft_print_msg("parent changed: swap.devices\n%s", buf);
		return KSFT_FAIL;
	}
	return KSFT_PASS;
}

static const struct swapcg_test tests[] = {
	{ test_fuzz_max, "fuzz_swap_max" },
	{ test_fuzz_devices, "fuzz_swap_devices" },
	{ test_long_names, "long_names" },
	{ test_readonly_files, "readonly_files" },
	{ test_parent_untouched, "parent_untouched" },
};

/* Areas from /proc/swaps, and a regular file to name. */
static void find_areas(void)
{
	char line[PATH_MAX + 64], name[PATH_MAX];
	struct stat st;
	FILE *f;
	int n = 0;

	f = fopen("/proc/swaps", "r");
	while (f && n < 3 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%4095s", name) != 1 || name[0] != '/')
			continue;
		snprintf(area_paths[n], PATH_MAX, "%s", name);
		if (!stat(name, &st) && S_ISBLK(st.st_mode))
			snprintf(devnums[n], sizeof(devnums[n]), "%u:%u",
				 major(st.st_rdev), minor(st.st_rdev));
		n++;
	}
	if (f)
		fclose(f);
	/*
	 * A regular file where a swap file could be is a valid name; it need
	 * not be a swap area.
	 */
	snprintf(area_paths[3], PATH_MAX, "/proc/self/exe");
	if (realpath("/proc/self/exe", name))
		snprintf(area_paths[3], PATH_MAX, "%s", name);
}

static void cleanup(void)
{
	if (group) {
		cg_destroy(group);
		free(group);
	}
	if (parent) {
		cg_destroy(parent);
		free(parent);
	}
	if (!root_had_swap)
		cg_set(root, "cgroup.subtree_control", "-swap");
}

int main(int argc, char **argv)
{
	size_t i;
	int opt, ret;

	seed = time(NULL);
	if (getenv("SWAPCG_FUZZ_WRITES"))
		nr_writes = strtoul(getenv("SWAPCG_FUZZ_WRITES"), NULL, 0);
	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		switch (opt) {
		case 'n':
			nr_writes = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-n WRITES] [-s SEED]\n",
				argv[0]);
			return KSFT_FAIL;
		}
	}
	rng_state = seed * 2654435761ULL + 1;

	ksft_print_header();
	swapcg_require(root, sizeof(root));
	root_had_swap = has_word(root, "cgroup.subtree_control", "swap");

	parent = cg_name(root, "swapcg_fuzz_test");
	group = cg_name(parent, "child");
	cg_destroy(parent);
	if (cg_set(root, "cgroup.subtree_control", "+swap") ||
	    cg_create(parent) ||
	    cg_set(parent, "cgroup.subtree_control", "+swap") ||
	    cg_create(group))
		ksft_exit_fail_msg("cannot create %s\n", group);
	find_areas();
	ksft_print_msg("seed %u, %lu writes per file\n", seed, nr_writes);

	ksft_set_plan(ARRAY_SIZE(tests));
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		ret = tests[i].fn();
		report(ret, tests[i].name);
	}
	cleanup();
	ksft_finished();
}
