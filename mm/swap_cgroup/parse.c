// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: parsing what users write to its files.
 */

#include <linux/ctype.h>
#include <linux/kdev_t.h>
#include <linux/overflow.h>
#include <linux/page_counter.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "internal.h"

/**
 * swapcg_parse_pages - parse a swap size
 * @buf: the text, without surrounding white space
 * @max: the word that means no limit, such as "max"
 * @nr_pages: the result in pages, rounded down; PAGE_COUNTER_MAX for @max
 *
 * A size is a decimal number of bytes with an optional suffix K, M, G or T
 * (either case) for binary multiples.  Nothing else may follow it.
 *
 * Return: 0 and @nr_pages, -EINVAL for malformed text, or -ERANGE for a
 * number of bytes that does not fit in 64 bits.
 */
int swapcg_parse_pages(const char *buf, const char *max,
		       unsigned long *nr_pages)
{
	const char *p = buf;
	unsigned int shift = 0;
	u64 bytes = 0;

	if (!strcmp(buf, max)) {
		*nr_pages = PAGE_COUNTER_MAX;
		return 0;
	}

	if (!isdigit(*p))
		return -EINVAL;
	for (; isdigit(*p); p++) {
		if (check_mul_overflow(bytes, (u64)10, &bytes) ||
		    check_add_overflow(bytes, (u64)(*p - '0'), &bytes))
			return -ERANGE;
	}

	switch (*p) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	default:
		return -EINVAL;
	}
	if (shift && *++p)
		return -EINVAL;
	if (bytes > (U64_MAX >> shift))
		return -ERANGE;

	*nr_pages = min_t(u64, (bytes << shift) >> PAGE_SHIFT, PAGE_COUNTER_MAX);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_parse_pages);

/**
 * swapcg_parse_rule - split a line of swap.devices into its two words
 * @buf: the line; white space in it is replaced by NULs
 * @area: the first word: an area, or "default"
 * @limit: the second word
 *
 * Return: 0, or -EINVAL unless @buf holds exactly two words.
 */
int swapcg_parse_rule(char *buf, char **area, char **limit)
{
	char *rest = strim(buf);

	*area = strsep(&rest, " \t\n");
	if (!**area || !rest)
		return -EINVAL;
	*limit = skip_spaces(rest);
	if (!**limit || strpbrk(*limit, " \t\n"))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_parse_rule);

/**
 * swapcg_parse_devnum - parse a device number written as MAJ:MIN
 * @buf: the text
 * @dev: the result
 *
 * Return: 0 and @dev, or -EINVAL for other text or numbers out of range.
 */
int swapcg_parse_devnum(const char *buf, dev_t *dev)
{
	unsigned int major = 0, minor = 0;
	const char *p = buf;

	if (!isdigit(*p))
		return -EINVAL;
	for (; isdigit(*p); p++) {
		major = major * 10 + (*p - '0');
		if (major > MAJOR(~0U))
			return -EINVAL;
	}
	if (*p++ != ':' || !isdigit(*p))
		return -EINVAL;
	for (; isdigit(*p); p++) {
		minor = minor * 10 + (*p - '0');
		if (minor > MINOR(~0U))
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;

	*dev = MKDEV(major, minor);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_parse_devnum);
