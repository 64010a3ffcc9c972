// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the parsers of the swap cgroup controller.
 */

#include <kunit/test.h>
#include <linux/kdev_t.h>
#include <linux/page_counter.h>
#include <linux/string.h>

#include "internal.h"

struct parse_case {
	const char *text;
	int ret;
	unsigned long long bytes;	/* when ret == 0 */
};

#define PAGES(bytes)	((unsigned long)((bytes) >> PAGE_SHIFT))

/* What memory.swap.max takes, but for an empty text or a bare suffix. */
static const struct parse_case size_cases[] = {
	{ "0",				0, 0 },
	{ "4096",			0, 4096 },
	{ "4097",			0, 4096 },
	{ "1",				0, 0 },
	{ "4095",			0, 0 },
	{ "8K",				0, 8ULL << 10 },
	{ "8k",				0, 8ULL << 10 },
	{ "16M",			0, 16ULL << 20 },
	{ "3G",				0, 3ULL << 30 },
	{ "2t",				0, 2ULL << 40 },
	{ "1P",				0, 1ULL << 50 },
	{ "1e",				0, 1ULL << 60 },
	{ "0K",				0, 0 },
	{ "0x1000",			0, 4096 },
	{ "0X10k",			0, 16ULL << 10 },
	{ "0x10",			0, 16 },
	{ "010000",			0, 4096 },	/* octal */
	{ "007M",			0, 7ULL << 20 },
	{ "9223372036854775807",	0, 9223372036854775807ULL },
	{ "18446744073709551615",	0, ~0ULL },
	{ "1K\0",			0, 1ULL << 10 },
	{ "",				-EINVAL },
	{ "K",				-EINVAL },
	{ "-1",				-EINVAL },
	{ "+1",				-EINVAL },
	{ "abc",			-EINVAL },
	{ "10X",			-EINVAL },
	{ "10KB",			-EINVAL },
	{ "10 K",			-EINVAL },
	{ "1 2",			-EINVAL },
	{ "1.5G",			-EINVAL },
	{ "08",				-EINVAL },	/* not octal */
	{ "0x",				-EINVAL },
	{ "0xg",			-EINVAL },
	{ "MAX",			-EINVAL },
	{ "maximum",			-EINVAL },
	{ "\xff",			-EINVAL },
	{ "max ",			-EINVAL },	/* callers strip */
	{ " 1",				-EINVAL },
	{ "1\n",			-EINVAL },
	{ "1\xa0",			-EINVAL },
	{ "\xef\xbc\x91",		-EINVAL },	/* fullwidth digit one */
	{ "1KK",			-EINVAL },
};

static void swapcg_parse_size_check(struct kunit *test,
				    const struct parse_case *c, bool area)
{
	unsigned long nr = 12345;
	int ret;

	if (area)
		ret = swapcg_parse_area_size(c->text, &nr);
	else
		ret = swapcg_parse_size(c->text, &nr);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "text \"%s\"", c->text);
	if (c->ret) {
		KUNIT_EXPECT_EQ_MSG(test, nr, 12345UL,
				    "text \"%s\" changed the result", c->text);
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test, (unsigned long long)nr,
			    min_t(u64, PAGES(c->bytes), PAGE_COUNTER_MAX),
			    "text \"%s\"", c->text);
}

static void swapcg_parse_size_cases(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(size_cases); i++)
		swapcg_parse_size_check(test, &size_cases[i], false);
}

static void swapcg_parse_size_max(struct kunit *test)
{
	unsigned long nr = 0;

	KUNIT_EXPECT_EQ(test, swapcg_parse_size("max", &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, PAGE_COUNTER_MAX);
	nr = 0;
	KUNIT_EXPECT_EQ(test, swapcg_parse_area_size("max", &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, PAGE_COUNTER_MAX);
}

/* A per-area limit: "0" forbids; less than a page is not taken for it. */
static const struct parse_case area_size_cases[] = {
	{ "0",				0, 0 },
	{ "0K",				0, 0 },
	{ "0x0",			0, 0 },
	{ "4096",			0, 4096 },
	{ "4097",			0, 4096 },
	{ "8191",			0, 4096 },
	{ "2M",				0, 2ULL << 20 },
	{ "1",				-EINVAL },
	{ "4095",			-EINVAL },
	{ "0x10",			-EINVAL },
	{ "0x0E",			-EINVAL },	/* 14 bytes */
	{ "3K",				-EINVAL },
	{ "16E",			-EINVAL },	/* wraps to 0 */
	{ "0x10000000000000000",	-EINVAL },	/* wraps to 0 */
	{ "00",				0, 0 },
	{ "0x00K",			0, 0 },
	{ "",				-EINVAL },
	{ "K",				-EINVAL },
	{ "default",			-EINVAL },	/* the caller's word */
};

static void swapcg_parse_area_size_cases(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(area_size_cases); i++)
		swapcg_parse_size_check(test, &area_size_cases[i], true);
}

struct rule_case {
	const char *text;
	int ret;
	const char *area;	/* when ret == 0 */
	const char *limit;
};

static const struct rule_case rule_cases[] = {
	{ "/dev/vda 8M",		0, "/dev/vda", "8M" },
	{ "default 0",			0, "default", "0" },
	{ "8:0 max",			0, "8:0", "max" },
	{ "  /dev/vda\t\t8M\r\n",	0, "/dev/vda", "8M" },
	{ "a   b",			0, "a", "b" },
	{ "a\nb",			0, "a", "b" },
	{ "a b\n\n",			0, "a", "b" },
	{ "a \vb",			0, "a", "b" },
	{ "a b\v",			0, "a", "b" },
	{ "\xa0\x61 b\xa0",		0, "a", "b" },	/* isspace(0xa0) */
	/* \v and \f do not separate words: the limit parser refuses them. */
	{ "a b\vc",			0, "a", "b\vc" },
	/* Names as swap.devices shows them: octal escapes undone. */
	{ "/run/a\\040b 0",		0, "/run/a b", "0" },
	{ "a\\134b\\x 1M",		0, "a\\b\\x", "1M" },
	{ "a\\000 0",			-EINVAL },
	{ "\\0 0",			-EINVAL },
	{ "/dev/vda",			-EINVAL },
	{ "default",			-EINVAL },
	{ "",				-EINVAL },
	{ "   ",			-EINVAL },
	{ "\n",			-EINVAL },
	{ "\t\n\v\f\r ",		-EINVAL },
	{ "a b c",			-EINVAL },
	{ "a b\tc",			-EINVAL },
	{ "a b\nc",			-EINVAL },
	{ "a\vb",			-EINVAL },
	{ "/dev/vda 8M 8M",		-EINVAL },
};

static void swapcg_parse_rule_cases(struct kunit *test)
{
	char buf[64];
	int i;

	for (i = 0; i < ARRAY_SIZE(rule_cases); i++) {
		const struct rule_case *c = &rule_cases[i];
		char *area = NULL, *limit = NULL;
		int ret;

		strscpy(buf, c->text, sizeof(buf));
		ret = swapcg_parse_rule(buf, &area, &limit);
		KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "text \"%s\"", c->text);
		if (ret || c->ret)
			continue;
		KUNIT_EXPECT_STREQ_MSG(test, area, c->area, "text \"%s\"",
				       c->text);
		KUNIT_EXPECT_STREQ_MSG(test, limit, c->limit, "text \"%s\"",
				       c->text);
	}
}

/* The longest line a cgroup file takes is a page: no limit of its own. */
static void swapcg_parse_rule_long(struct kunit *test)
{
	char *buf, *area, *limit;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memset(buf, 'x', PAGE_SIZE - 1);
	buf[PAGE_SIZE - 3] = ' ';
	KUNIT_EXPECT_EQ(test, swapcg_parse_rule(buf, &area, &limit), 0);
	KUNIT_EXPECT_EQ(test, strlen(area), PAGE_SIZE - 3);
	KUNIT_EXPECT_STREQ(test, limit, "x");

	memset(buf, ' ', PAGE_SIZE - 1);
	KUNIT_EXPECT_EQ(test, swapcg_parse_rule(buf, &area, &limit), -EINVAL);
}

struct devnum_case {
	const char *text;
	int ret;
	unsigned int major, minor;	/* when ret == 0 */
};

static const struct devnum_case devnum_cases[] = {
	{ "8:0",			0, 8, 0 },
	{ "254:16",			0, 254, 16 },
	{ "0:0",			0, 0, 0 },
	{ "08:001",			0, 8, 1 },
	{ "4095:1048575",		0, 4095, 1048575 },
	{ "4096:0",			-EINVAL },
	{ "0:1048576",			-EINVAL },
	{ "99999999999999999999:0",	-EINVAL },
	{ "8:99999999999999999999",	-EINVAL },
	{ "8",				-EINVAL },
	{ "8:",				-EINVAL },
	{ ":0",				-EINVAL },
	{ ":",				-EINVAL },
	{ "",				-EINVAL },
	{ "8:0:0",			-EINVAL },
	{ "8:0 ",			-EINVAL },
	{ " 8:0",			-EINVAL },
	{ "8 :0",			-EINVAL },
	{ "-8:0",			-EINVAL },
	{ "+8:0",			-EINVAL },
	{ "8:-0",			-EINVAL },
	{ "0x8:0",			-EINVAL },
	{ "8:0x1",			-EINVAL },
	{ "a:b",			-EINVAL },
	{ "8.0",			-EINVAL },
	{ "/dev/vda",			-EINVAL },
	{ "\xd9\xa8:0",		-EINVAL },	/* Arabic-Indic eight */
};

static void swapcg_parse_devnum_cases(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(devnum_cases); i++) {
		const struct devnum_case *c = &devnum_cases[i];
		dev_t dev = MKDEV(1, 2);
		int ret;

		ret = swapcg_parse_devnum(c->text, &dev);
		KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "text \"%s\"", c->text);
		if (c->ret) {
			KUNIT_EXPECT_EQ_MSG(test, dev, MKDEV(1, 2),
					    "text \"%s\" changed the result",
					    c->text);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, MAJOR(dev), c->major,
				    "text \"%s\"", c->text);
		KUNIT_EXPECT_EQ_MSG(test, MINOR(dev), c->minor,
				    "text \"%s\"", c->text);
	}
}

static struct kunit_case swapcg_parse_test_cases[] = {
	KUNIT_CASE(swapcg_parse_size_cases),
	KUNIT_CASE(swapcg_parse_size_max),
	KUNIT_CASE(swapcg_parse_area_size_cases),
	KUNIT_CASE(swapcg_parse_rule_cases),
	KUNIT_CASE(swapcg_parse_rule_long),
	KUNIT_CASE(swapcg_parse_devnum_cases),
	{}
};

static struct kunit_suite swapcg_parse_test_suite = {
	.name = "swap_cgroup_parse",
	.test_cases = swapcg_parse_test_cases,
};

kunit_test_suite(swapcg_parse_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
