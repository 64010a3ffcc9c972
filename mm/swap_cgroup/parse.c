// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: parsing what users write to its files.
 */

#include <linux/ctype.h>
#include <linux/kdev_t.h>
#include <linux/kernel.h>
#include <linux/page_counter.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <kunit/visibility.h>

#include "internal.h"

/**
 * swapcg_parse_size - parse a size written to swap.max
 * @buf: the text, without surrounding white space
 * @nr_pages: the result in pages, rounded down; PAGE_COUNTER_MAX for "max"
 *
 * What memory.swap.max takes: "max", or a number of bytes as memparse()
 * reads it (decimal, 0x hexadecimal or 0 octal, then an optional suffix K,
 * M, G, T, P or E in either case), with nothing after it.  The text must
 * start with a digit: an empty write or a bare suffix is refused rather
 * than taken for 0.
 *
 * Return: 0 and @nr_pages, or -EINVAL for other text.
 */
int swapcg_parse_size(const char *buf, unsigned long *nr_pages)
{
	if (strcmp(buf, "max") && !isdigit(*buf))
		return -EINVAL;
	return page_counter_memparse(buf, "max", nr_pages);
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_parse_size);

/*
 * Is @buf, a size that swapcg_parse_size() took, written with zeros only?
 * A size of less than a page reads as 0 pages too, and so does one that
 * wrapped around 64 bits.
 */
static bool swapcg_size_is_zero(const char *buf)
{
	bool hex = buf[0] == '0' && tolower(buf[1]) == 'x';
	const char *p = buf + (hex ? 2 : 0);

	p += strspn(p, "0");
	return hex ? !isxdigit(*p) : !isdigit(*p);
}

/**
 * swapcg_parse_area_size - parse the limit of a swap.devices rule
 * @buf: the text, without surrounding white space
 * @nr_pages: the result in pages; 0 forbids the area, PAGE_COUNTER_MAX
 *	allows it in full
 *
 * The syntax of swapcg_parse_size(); a size that is not written as zero
 * but comes to less than a page, or wraps around to one, is refused rather
 * than taken for 0, which forbids the area.
 *
 * Return: 0 and @nr_pages, or -EINVAL for other text.
 */
int swapcg_parse_area_size(const char *buf, unsigned long *nr_pages)
{
	unsigned long pages;
	int ret;

	ret = swapcg_parse_size(buf, &pages);
	if (ret)
		return ret;
	if (!pages && !swapcg_size_is_zero(buf))
		return -EINVAL;
	*nr_pages = pages;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_parse_area_size);

/**
 * swapcg_parse_rule - split a line of swap.devices into its two words
 * @buf: the line; white space in it is replaced by NULs
 * @area: the first word, an area or "default", with octal escapes undone,
 *	so that a name reads back as swap.devices shows it (\040 for a space)
 * @limit: the second word
 *
 * Return: 0, or -EINVAL unless @buf holds exactly two words and @area no
 * escaped NUL.
 */
int swapcg_parse_rule(char *buf, char **area, char **limit)
{
	char *rest = strim(buf);

	*area = strsep(&rest, " \t\n");
	if (!**area || !rest)
		return -EINVAL;
	if (string_unescape_inplace(*area, UNESCAPE_OCTAL) != strlen(*area) ||
	    !**area)
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
