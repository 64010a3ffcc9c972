// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the per-area charges of the swap cgroup controller: the
 * rules of every group on the path are checked at charge time, and a
 * limited usage never passes its limit, not even for an instant.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/page_counter.h>
#include <linux/swapcg.h>

#include "internal.h"

/* root <- parent <- child, as css parent links; no cgroup behind them. */
struct areas_test_groups {
	struct swapcg root, parent, child;
};

static struct areas_test_groups *groups_new(struct kunit *test)
{
	struct areas_test_groups *g;

	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, g);
	g->parent.css.parent = &g->root.css;
	g->child.css.parent = &g->parent.css;
	return g;
}

static struct swapcg_areas *areas_new(struct kunit *test)
{
	struct swapcg_areas *areas;
	int type;

	areas = kunit_kzalloc(test, sizeof(*areas), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, areas);
	for (type = 0; type < MAX_SWAPFILES; type++)
		areas->max[type] = PAGE_COUNTER_MAX;
	return areas;
}

static long used(struct swapcg *sg, int type)
{
	return atomic_long_read(&sg->area_pages[type]);
}

/* An area that a group on the path forbids is refused, and nothing stays. */
static void swapcg_area_charge_denied(struct kunit *test)
{
	struct areas_test_groups *g = groups_new(test);
	struct swapcg_areas *areas = areas_new(test);
	struct swapcg *limiter = NULL;

	areas->denied = BIT(3);
	areas->max[3] = 0;
	rcu_assign_pointer(g->parent.areas, areas);

	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 3, 1, &limiter),
			-ENOMEM);
	KUNIT_EXPECT_PTR_EQ(test, limiter, &g->parent);
	KUNIT_EXPECT_EQ(test, used(&g->child, 3), 0);
	KUNIT_EXPECT_EQ(test, used(&g->parent, 3), 0);

	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 2, 8, &limiter),
			0);
	KUNIT_EXPECT_EQ(test, used(&g->child, 2), 8);
	KUNIT_EXPECT_EQ(test, used(&g->parent, 2), 8);
	/* The root has no limits and no swap.stat: it is not counted. */
	KUNIT_EXPECT_EQ(test, used(&g->root, 2), 0);
	swapcg_area_uncharge(&g->child, 2, 8);
	KUNIT_EXPECT_EQ(test, used(&g->child, 2), 0);
	KUNIT_EXPECT_EQ(test, used(&g->parent, 2), 0);
}

/*
 * The areas a group may use are computed before a slot is taken; rules
 * written in between still hold for the slot when it is charged.
 */
static void swapcg_area_charge_rechecks(struct kunit *test)
{
	struct areas_test_groups *g = groups_new(test);
	struct swapcg_areas *areas = areas_new(test);
	struct swapcg *limiter = NULL;
	unsigned long usable;

	usable = swapcg_usable_areas(&g->child, 1);
	KUNIT_EXPECT_TRUE(test, usable & BIT(5));

	areas->denied = BIT(5);
	areas->max[5] = 0;
	rcu_assign_pointer(g->child.areas, areas);
	KUNIT_EXPECT_FALSE(test, swapcg_usable_areas(&g->child, 1) & BIT(5));
	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 5, 1, &limiter),
			-ENOMEM);
	KUNIT_EXPECT_PTR_EQ(test, limiter, &g->child);
	KUNIT_EXPECT_EQ(test, used(&g->child, 5), 0);
}

/* Limits of the group and of its parent, and the undo of a refusal. */
static void swapcg_area_charge_limits(struct kunit *test)
{
	struct areas_test_groups *g = groups_new(test);
	struct swapcg_areas *child = areas_new(test);
	struct swapcg_areas *parent = areas_new(test);
	struct swapcg *limiter = NULL;

	child->limited = BIT(1);
	child->max[1] = 10;
	parent->limited = BIT(1);
	parent->max[1] = 12;
	rcu_assign_pointer(g->child.areas, child);
	rcu_assign_pointer(g->parent.areas, parent);

	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 1, 4, &limiter),
			0);
	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 1, 4, &limiter),
			0);
	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 1, 4, &limiter),
			-ENOMEM);
	KUNIT_EXPECT_PTR_EQ(test, limiter, &g->child);
	KUNIT_EXPECT_EQ(test, used(&g->child, 1), 8);
	KUNIT_EXPECT_EQ(test, used(&g->parent, 1), 8);
	KUNIT_EXPECT_EQ(test, swapcg_usable_areas(&g->child, 2) & BIT(1),
			BIT(1));
	KUNIT_EXPECT_EQ(test, swapcg_usable_areas(&g->child, 3) & BIT(1), 0);

	/* The parent refuses now: the child's charge is taken back. */
	atomic_long_add(4, &g->parent.area_pages[1]);
	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 1, 1, &limiter),
			-ENOMEM);
	KUNIT_EXPECT_PTR_EQ(test, limiter, &g->parent);
	KUNIT_EXPECT_EQ(test, used(&g->child, 1), 8);
	KUNIT_EXPECT_EQ(test, used(&g->parent, 1), 12);
}

/* Several limited areas: each is judged by its own limit and usage. */
static void swapcg_area_usable_several_limits(struct kunit *test)
{
	struct areas_test_groups *g = groups_new(test);
	struct swapcg_areas *child = areas_new(test);
	struct swapcg_areas *parent = areas_new(test);
	const unsigned long areas_0_to_4 = GENMASK(4, 0);
	struct swapcg *limiter = NULL;

	child->limited = BIT(0) | BIT(2);
	child->max[0] = 4;
	child->max[2] = 8;
	parent->limited = BIT(3);
	parent->max[3] = 2;
	parent->denied = BIT(4);
	rcu_assign_pointer(g->child.areas, child);
	rcu_assign_pointer(g->parent.areas, parent);

	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 0, 4, &limiter),
			0);
	KUNIT_EXPECT_EQ(test, swapcg_area_try_charge(&g->child, 2, 4, &limiter),
			0);
	/* Area 0 is full, area 2 has 4 pages left, area 3 has 2. */
	KUNIT_EXPECT_EQ(test, swapcg_usable_areas(&g->child, 1) & areas_0_to_4,
			BIT(1) | BIT(2) | BIT(3));
	KUNIT_EXPECT_EQ(test, swapcg_usable_areas(&g->child, 3) & areas_0_to_4,
			BIT(1) | BIT(2));
	KUNIT_EXPECT_EQ(test, swapcg_usable_areas(&g->child, 5) & areas_0_to_4,
			BIT(1));
	swapcg_area_uncharge(&g->child, 0, 4);
	swapcg_area_uncharge(&g->child, 2, 4);
	KUNIT_EXPECT_EQ(test, used(&g->parent, 0), 0);
	KUNIT_EXPECT_EQ(test, used(&g->parent, 2), 0);
}

/* How long the chargers race. */
#define RACE_MS		200

struct race {
	struct swapcg *sg;
	atomic_t *go;		/* 1: start, 2: stop */
	struct completion done;
	long charged, refused;
	long seen;		/* the most seen charged while holding one */
};

/* Charge and uncharge one page on area 0 until told to stop. */
static int race_charger(void *arg)
{
	struct race *race = arg;
	struct swapcg *limiter;

	/* Yield while waiting: on one CPU, the others must run too. */
	while (atomic_read(race->go) == 0)
		cond_resched();
	while (atomic_read(race->go) == 1) {
		if (swapcg_area_try_charge(race->sg, 0, 1, &limiter)) {
			race->refused++;
			cond_resched();
			continue;
		}
		race->charged++;
		race->seen = max(race->seen,
				 atomic_long_read(&race->sg->area_pages[0]));
		swapcg_area_uncharge(race->sg, 0, 1);
		cond_resched();
	}
	complete(&race->done);
	return 0;
}

/*
 * Two chargers race for the one page that a limit allows: neither they nor
 * a reader ever see the usage over the limit, as they would if a charge
 * were added before it is checked.
 */
static void swapcg_area_charge_no_overshoot(struct kunit *test)
{
	struct areas_test_groups *g = groups_new(test);
	struct swapcg_areas *areas = areas_new(test);
	unsigned long deadline;
	struct task_struct *t[2];
	struct race race[2];
	atomic_t go;
	long seen = 0;
	int i;

	/* One CPU that never preempts a charger: nothing would race. */
	if (num_online_cpus() < 2 && !IS_ENABLED(CONFIG_PREEMPTION))
		kunit_skip(test, "needs two CPUs or a preemptible kernel");

	areas->limited = BIT(0);
	areas->max[0] = 1;
	rcu_assign_pointer(g->child.areas, areas);

	atomic_set(&go, 0);
	for (i = 0; i < ARRAY_SIZE(race); i++) {
		race[i] = (struct race){ .sg = &g->child, .go = &go };
		init_completion(&race[i].done);
		t[i] = kthread_run(race_charger, &race[i], "swapcg_race/%d", i);
		if (IS_ERR(t[i]))
			complete(&race[i].done);
	}
	atomic_set(&go, 1);
	deadline = jiffies + msecs_to_jiffies(RACE_MS);
	while (time_before(jiffies, deadline)) {
		seen = max(seen, used(&g->child, 0));
		cond_resched();
	}
	atomic_set(&go, 2);
	wait_for_completion(&race[0].done);
	wait_for_completion(&race[1].done);

	KUNIT_EXPECT_FALSE(test, IS_ERR(t[0]) || IS_ERR(t[1]));
	KUNIT_EXPECT_LE(test, seen, 1);
	KUNIT_EXPECT_LE(test, race[0].seen, 1);
	KUNIT_EXPECT_LE(test, race[1].seen, 1);
	KUNIT_EXPECT_EQ(test, used(&g->child, 0), 0);
	kunit_info(test, "charged %ld and %ld times, refused %ld and %ld\n",
		   race[0].charged, race[1].charged, race[0].refused,
		   race[1].refused);
}

/*
 * A swap file names its file system by the block device under it, or by the
 * UUID of one without (btrfs): a remount gives that one another anonymous
 * device number, and the rule still holds; another file system never takes
 * it, whatever number it is given.
 */
static void swapcg_area_key_file_system(struct kunit *test)
{
	static const uuid_t one = UUID_INIT(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
	static const uuid_t two = UUID_INIT(2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
	struct block_device *bdev = (struct block_device *)1;
	struct swapcg_area_key a = { .path = "/swap" };
	struct swapcg_area_key b = { .path = "/swap" };
	struct super_block *sb;

	sb = kunit_kzalloc(test, sizeof(*sb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sb);
	sb->s_uuid = one;
	sb->s_dev = MKDEV(0, 40);
	swapcg_key_set_fs(&a, sb);
	sb->s_dev = MKDEV(0, 41);
	swapcg_key_set_fs(&b, sb);
	KUNIT_EXPECT_TRUE(test, swapcg_key_equal(&a, &b));

	sb->s_uuid = two;
	swapcg_key_set_fs(&b, sb);
	KUNIT_EXPECT_FALSE(test, swapcg_key_equal(&a, &b));
	sb->s_dev = MKDEV(0, 40);
	KUNIT_EXPECT_FALSE(test, swapcg_key_equal(&a, &b));

	/* No UUID (NFS): the device number, while it is mounted. */
	sb->s_uuid = uuid_null;
	swapcg_key_set_fs(&a, sb);
	swapcg_key_set_fs(&b, sb);
	KUNIT_EXPECT_TRUE(test, swapcg_key_equal(&a, &b));
	KUNIT_EXPECT_EQ(test, a.dev, MKDEV(0, 40));

	/* On a block device, its number, whatever the UUID. */
	sb->s_bdev = bdev;
	sb->s_dev = MKDEV(7, 0);
	sb->s_uuid = one;
	swapcg_key_set_fs(&a, sb);
	sb->s_uuid = two;
	swapcg_key_set_fs(&b, sb);
	KUNIT_EXPECT_TRUE(test, swapcg_key_equal(&a, &b));
	KUNIT_EXPECT_EQ(test, a.dev, MKDEV(7, 0));
	b.path = "/other";
	KUNIT_EXPECT_FALSE(test, swapcg_key_equal(&a, &b));
}

static struct kunit_case swapcg_areas_test_cases[] = {
	KUNIT_CASE(swapcg_area_charge_denied),
	KUNIT_CASE(swapcg_area_charge_rechecks),
	KUNIT_CASE(swapcg_area_charge_limits),
	KUNIT_CASE(swapcg_area_usable_several_limits),
	KUNIT_CASE(swapcg_area_charge_no_overshoot),
	KUNIT_CASE(swapcg_area_key_file_system),
	{}
};

static struct kunit_suite swapcg_areas_test_suite = {
	.name = "swap_cgroup_areas",
	.test_cases = swapcg_areas_test_cases,
};

kunit_test_suite(swapcg_areas_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
