// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: which swap areas a group may use.
 *
 * swap.devices holds a default, "max" or "0", and a rule per named area:
 * "max" allows the area, "0" forbids it, a size caps what the group and its
 * descendants may hold on it.  A rule names an area by its identity, the
 * block device or the file's inode, so it outlives swapoff and applies again
 * at the next swapon of the same area.  A child can only narrow what its
 * ancestors allow: an area is usable by a group when no group on its path to
 * the root forbids it and none has reached its limit there.
 *
 * The rules are compiled, for every group and every active area, into a
 * bitmap of forbidden areas and a per-area limit in pages, so that the swap
 * out path only reads bitmaps and counters of the group and its ancestors.
 */

#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/swapcg.h>

#include "internal.h"

/* Serializes swap.devices writes with swapon and swapoff. */
static DEFINE_MUTEX(swapcg_devices_mutex);

/* The identity of each active area, by type; dev 0 when none. */
static struct swapcg_area_key swapcg_area_keys[MAX_SWAPFILES];

static bool swapcg_key_equal(const struct swapcg_area_key *a,
			     const struct swapcg_area_key *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

static struct swapcg_rule *swapcg_find_rule(struct swapcg *sg,
					    const struct swapcg_area_key *key)
{
	struct swapcg_rule *rule;

	list_for_each_entry(rule, &sg->rules, node) {
		if (swapcg_key_equal(&rule->key, key))
			return rule;
	}
	return NULL;
}

/* What @sg's own rules allow on the active area @type, in pages. */
static unsigned long swapcg_rule_max(struct swapcg *sg, int type)
{
	struct swapcg_rule *rule;

	rule = swapcg_find_rule(sg, &swapcg_area_keys[type]);
	if (rule)
		return rule->max;
	return sg->default_deny ? 0 : PAGE_COUNTER_MAX;
}

/* Compile @sg's rules for the active area @type. */
static void swapcg_compile_area(struct swapcg *sg, int type)
{
	unsigned long max = swapcg_rule_max(sg, type);
	unsigned long bit = BIT(type);

	lockdep_assert_held(&swapcg_devices_mutex);

	WRITE_ONCE(sg->area_max[type], max);
	if (max == 0)
		WRITE_ONCE(sg->denied, sg->denied | bit);
	else
		WRITE_ONCE(sg->denied, sg->denied & ~bit);
	if (max && max != PAGE_COUNTER_MAX)
		WRITE_ONCE(sg->limited, sg->limited | bit);
	else
		WRITE_ONCE(sg->limited, sg->limited & ~bit);
}

static void swapcg_compile(struct swapcg *sg)
{
	int type;

	for (type = 0; type < MAX_SWAPFILES; type++) {
		if (swapcg_area_keys[type].dev)
			swapcg_compile_area(sg, type);
	}
}

/**
 * swapcg_usable_areas - the swap areas a group's pages may go to now
 * @sg: the group
 * @nr_pages: the size of the folio to swap out
 *
 * Return: a bitmap of swap types: those that neither @sg nor an ancestor
 * forbids, and where none of them would pass its limit with @nr_pages more.
 */
unsigned long swapcg_usable_areas(struct swapcg *sg, unsigned int nr_pages)
{
	unsigned long usable = ~0UL;

	for (; !swapcg_is_root(sg); sg = swapcg_parent(sg)) {
		unsigned long limited = READ_ONCE(sg->limited);
		int type;

		usable &= ~READ_ONCE(sg->denied);
		for_each_set_bit(type, &limited, MAX_SWAPFILES) {
			if (atomic_long_read(&sg->area_pages[type]) + nr_pages >
			    READ_ONCE(sg->area_max[type]))
				usable &= ~BIT(type);
		}
	}
	return usable;
}

/**
 * swapcg_area_try_charge - charge pages on one swap area
 * @sg: the group
 * @type: the area
 * @nr_pages: how many
 * @limiter: set, on failure, to the group whose limit refused the charge
 *
 * Return: 0, or -ENOMEM if @sg or an ancestor would pass its limit on @type.
 */
int swapcg_area_try_charge(struct swapcg *sg, int type, unsigned int nr_pages,
			   struct swapcg **limiter)
{
	struct swapcg *pos;

	for (pos = sg; pos; pos = swapcg_parent(pos)) {
		long pages = atomic_long_add_return(nr_pages,
						    &pos->area_pages[type]);

		if ((READ_ONCE(pos->limited) & BIT(type)) &&
		    pages > READ_ONCE(pos->area_max[type]))
			goto undo;
	}
	return 0;

undo:
	*limiter = pos;
	for (; sg != swapcg_parent(pos); sg = swapcg_parent(sg))
		atomic_long_sub(nr_pages, &sg->area_pages[type]);
	return -ENOMEM;
}

/**
 * swapcg_area_uncharge - uncharge pages on one swap area
 * @sg: the group
 * @type: the area
 * @nr_pages: how many
 */
void swapcg_area_uncharge(struct swapcg *sg, int type, unsigned int nr_pages)
{
	for (; sg; sg = swapcg_parent(sg))
		atomic_long_sub(nr_pages, &sg->area_pages[type]);
}

/* Recompile the rules of every group for the area @type. */
static void swapcg_compile_all(int type)
{
	struct cgroup_subsys_state *root = init_css_set.subsys[swap_cgrp_id];
	struct cgroup_subsys_state *pos;

	rcu_read_lock();
	css_for_each_descendant_pre(pos, root) {
		if (pos != root)
			swapcg_compile_area(css_swapcg(pos), type);
	}
	rcu_read_unlock();
}

/**
 * swapcg_devices_swapon - apply the groups' rules to a new swap area
 * @si: the area, not yet open to allocations
 */
void swapcg_devices_swapon(struct swap_info_struct *si)
{
	struct swapcg_area_key key = { };
	struct inode *inode = file_inode(si->swap_file);

	if (si->flags & SWP_BLKDEV) {
		key.dev = si->bdev->bd_dev;
	} else {
		key.dev = inode->i_sb->s_dev;
		key.ino = inode->i_ino;
	}

	mutex_lock(&swapcg_devices_mutex);
	swapcg_area_keys[si->type] = key;
	swapcg_compile_all(si->type);
	mutex_unlock(&swapcg_devices_mutex);
}

/**
 * swapcg_devices_swapoff - forget a swap area that is gone
 * @type: the area
 */
void swapcg_devices_swapoff(int type)
{
	struct cgroup_subsys_state *root = init_css_set.subsys[swap_cgrp_id];
	struct cgroup_subsys_state *pos;
	unsigned long bit = BIT(type);

	mutex_lock(&swapcg_devices_mutex);
	memset(&swapcg_area_keys[type], 0, sizeof(swapcg_area_keys[type]));
	rcu_read_lock();
	css_for_each_descendant_pre(pos, root) {
		struct swapcg *sg = css_swapcg(pos);

		WRITE_ONCE(sg->denied, sg->denied & ~bit);
		WRITE_ONCE(sg->limited, sg->limited & ~bit);
	}
	rcu_read_unlock();
	mutex_unlock(&swapcg_devices_mutex);
}

/* Find the identity of the area that @name designates. */
static int swapcg_lookup_area(const char *name, struct swapcg_area_key *key)
{
	struct inode *inode;
	struct path path;
	int ret;

	memset(key, 0, sizeof(*key));
	if (name[0] != '/')
		return swapcg_parse_devnum(name, &key->dev);

	ret = kern_path(name, LOOKUP_FOLLOW, &path);
	if (ret)
		return ret;
	inode = d_backing_inode(path.dentry);
	if (S_ISBLK(inode->i_mode)) {
		key->dev = inode->i_rdev;
	} else if (S_ISREG(inode->i_mode)) {
		key->dev = inode->i_sb->s_dev;
		key->ino = inode->i_ino;
	} else {
		ret = -EINVAL;
	}
	path_put(&path);
	return ret;
}

/* Parse a limit: "max", "0", a size, or "default" (@max gets ULONG_MAX). */
static int swapcg_parse_area_limit(const char *buf, unsigned long *max)
{
	if (!strcmp(buf, "default")) {
		*max = ULONG_MAX;
		return 0;
	}
	return swapcg_parse_pages(buf, "max", max);
}

ssize_t swapcg_devices_write(struct kernfs_open_file *of, char *buf,
			     size_t nbytes, loff_t off)
{
	struct swapcg *sg = css_swapcg(of_css(of));
	struct swapcg_rule *rule, *new = NULL;
	struct swapcg_area_key key;
	char *area, *limit;
	unsigned long max;
	int ret;

	ret = swapcg_parse_rule(buf, &area, &limit);
	if (ret)
		return ret;

	if (!strcmp(area, "default")) {
		if (strcmp(limit, "max") && strcmp(limit, "0"))
			return -EINVAL;
		mutex_lock(&swapcg_devices_mutex);
		sg->default_deny = !strcmp(limit, "0");
		swapcg_compile(sg);
		mutex_unlock(&swapcg_devices_mutex);
		return nbytes;
	}

	ret = swapcg_parse_area_limit(limit, &max);
	if (ret)
		return ret;
	ret = swapcg_lookup_area(area, &key);
	if (ret)
		return ret;
	if (max != ULONG_MAX) {
		new = kmalloc(struct_size(new, name, strlen(area) + 1),
			      GFP_KERNEL_ACCOUNT);
		if (!new)
			return -ENOMEM;
		new->key = key;
		new->max = max;
		strcpy(new->name, area);
	}

	mutex_lock(&swapcg_devices_mutex);
	rule = swapcg_find_rule(sg, &key);
	if (rule) {
		list_del(&rule->node);
		kfree(rule);
	}
	if (new)
		list_add_tail(&new->node, &sg->rules);
	swapcg_compile(sg);
	mutex_unlock(&swapcg_devices_mutex);
	return nbytes;
}

static void swapcg_show_limit(struct seq_file *m, unsigned long max)
{
	if (max == PAGE_COUNTER_MAX)
		seq_puts(m, "max\n");
	else
		seq_printf(m, "%llu\n", (u64)max * PAGE_SIZE);
}

int swapcg_devices_show(struct seq_file *m, void *v)
{
	struct swapcg *sg = css_swapcg(seq_css(m));
	struct swapcg_rule *rule;

	mutex_lock(&swapcg_devices_mutex);
	seq_printf(m, "default %s\n", sg->default_deny ? "0" : "max");
	list_for_each_entry(rule, &sg->rules, node) {
		seq_printf(m, "%s ", rule->name);
		swapcg_show_limit(m, rule->max);
	}
	mutex_unlock(&swapcg_devices_mutex);
	return 0;
}

static void swapcg_effective_show_area(struct seq_file *m,
				       struct swap_info_struct *si, void *arg)
{
	unsigned long max = PAGE_COUNTER_MAX;
	struct swapcg *sg;

	for (sg = arg; !swapcg_is_root(sg); sg = swapcg_parent(sg)) {
		if (READ_ONCE(sg->denied) & BIT(si->type))
			max = 0;
		else if (READ_ONCE(sg->limited) & BIT(si->type))
			max = min(max, READ_ONCE(sg->area_max[si->type]));
	}
	seq_file_path(m, si->swap_file, " \t\n\\");
	seq_putc(m, ' ');
	swapcg_show_limit(m, max);
}

int swapcg_devices_effective_show(struct seq_file *m, void *v)
{
	swap_active_areas_show(m, swapcg_effective_show_area,
			       css_swapcg(seq_css(m)));
	return 0;
}

/* Called when @sg is freed: nobody reads its rules any more. */
void swapcg_devices_free(struct swapcg *sg)
{
	struct swapcg_rule *rule, *next;

	list_for_each_entry_safe(rule, next, &sg->rules, node)
		kfree(rule);
}
