// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the parsers of the swap cgroup controller.
 */

#include <kunit/test.h>
#include <linux/page_counter.h>

#include "internal.h"

struct parse_case {
	const char *text;
	int ret;
	unsigned long long bytes;	/* when ret == 0 */
};

#define PAGES(bytes)	((unsigned long)((bytes) >> PAGE_SHIFT))

static const struct parse_case parse_cases[] = {
	{ "0",				0, 0 },
	{ "4096",			0, 4096 },
	{ "4097",			0, 4096 },
	{ "1",				0, 0 },
	{ "8K",				0, 8ULL << 10 },
	{ "8k",				0, 8ULL << 10 },
	{ "16M",			0, 16ULL << 20 },
	{ "3G",				0, 3ULL << 30 },
	{ "2t",				0, 2ULL << 40 },
	{ "007M",			0, 7ULL << 20 },
	{ "",				-EINVAL },
	{ "-1",				-EINVAL },
	{ "+1",				-EINVAL },
	{ "abc",			-EINVAL },
	{ "10X",			-EINVAL },
	{ "10KB",			-EINVAL },
	{ "10 K",			-EINVAL },
	{ "1 2",			-EINVAL },
	{ "0x10",			-EINVAL },
	{ "1.5G",			-EINVAL },
	{ "MAX",			-EINVAL },
	{ "maximum",			-EINVAL },
	{ "K",				-EINVAL },
	{ "\xff",			-EINVAL },
	{ "18446744073709551615",	0, ~0ULL },
	{ "18446744073709551616",	-ERANGE },
	{ "99999999999999999999999999",	-ERANGE },
	{ "16777216T",			-ERANGE },
};

static void swapcg_parse_pages_cases(struct kunit *test)
{
	unsigned long nr;
	int i;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		unsigned long long want;
		int ret;

		nr = 12345;
		ret = swapcg_parse_pages(c->text, "max", &nr);
		KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "text \"%s\"", c->text);
		if (c->ret) {
			KUNIT_EXPECT_EQ_MSG(test, nr, 12345UL,
					    "text \"%s\" changed the result",
					    c->text);
			continue;
		}
		want = min_t(u64, PAGES(c->bytes), PAGE_COUNTER_MAX);
		KUNIT_EXPECT_EQ_MSG(test, (unsigned long long)nr, want,
				    "text \"%s\"", c->text);
	}
}

static void swapcg_parse_pages_max(struct kunit *test)
{
	unsigned long nr = 0;

	KUNIT_EXPECT_EQ(test, swapcg_parse_pages("max", "max", &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, PAGE_COUNTER_MAX);
	KUNIT_EXPECT_EQ(test, swapcg_parse_pages("max", "none", &nr), -EINVAL);
}

static struct kunit_case swapcg_parse_test_cases[] = {
	KUNIT_CASE(swapcg_parse_pages_cases),
	KUNIT_CASE(swapcg_parse_pages_max),
	{}
};

static struct kunit_suite swapcg_parse_test_suite = {
	.name = "swap_cgroup_parse",
	.test_cases = swapcg_parse_test_cases,
};

kunit_test_suite(swapcg_parse_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
