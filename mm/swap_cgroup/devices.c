// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: which swap areas a group may use.
 *
 * swap.devices holds a default, "max" or "0", and a rule per named area:
 * "max" allows the area, "0" forbids it, a size caps what the group and its
 * descendants may hold on it.  A rule names a block device by its number and
 * a swap file by its path in its file system, so it outlives swapoff and
 * applies again at the next swapon of the same device, or of a file made
 * anew at that path; a file elsewhere never takes it, whatever its inode.
 * A child can only narrow what its ancestors allow: an area is usable by a
 * group when no group on its path to the root forbids it and none has
 * reached its limit there.
 *
 * The rules of a group are compiled, for every active area, into a bitmap of
 * forbidden areas and a per-area limit in pages, and published under RCU as
 * one struct swapcg_areas, so that the swap-out path reads a consistent set
 * of rules of the group and of each ancestor without a lock.  A group whose
 * rules allow everything has none, and costs nothing.  The charge on an area
 * checks the rules again, so that a rule written while a slot is allocated
 * holds for that slot too.
 */

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <linux/swapcg.h>
#include <linux/swapops.h>
#include <kunit/visibility.h>

#include "internal.h"

/*
 * Serializes swap.devices writes and reads with swapon and swapoff.  Taken
 * inside the swap file's inode lock (swapon), never under swap_lock.
 */
static DEFINE_MUTEX(swapcg_devices_mutex);

/* The identity of each active area, by type; dev 0 and no path when none. */
static struct swapcg_area_key swapcg_area_keys[MAX_SWAPFILES];

/* The types that have an identity in swapcg_area_keys. */
static unsigned long swapcg_active_areas;

/**
 * swapcg_key_equal - do two keys name the same swap area?
 * @a: a key
 * @b: another
 *
 * Return: true if they do.
 */
bool swapcg_key_equal(const struct swapcg_area_key *a,
		      const struct swapcg_area_key *b)
{
	if (a->dev != b->dev || !uuid_equal(&a->uuid, &b->uuid) ||
	    !a->path != !b->path)
		return false;
	return !a->path || !strcmp(a->path, b->path);
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_key_equal);

/**
 * swapcg_key_set_fs - name the file system of a swap file in its key
 * @key: the key
 * @sb: the file system
 */
void swapcg_key_set_fs(struct swapcg_area_key *key,
		       const struct super_block *sb)
{
	if (!sb->s_bdev && !uuid_is_null(&sb->s_uuid)) {
		key->dev = 0;
		uuid_copy(&key->uuid, &sb->s_uuid);
	} else {
		key->dev = sb->s_dev;
		key->uuid = uuid_null;
	}
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_key_set_fs);

/*
 * The path of @dentry from the root of its file system, in a new string:
 * the same in every mount namespace and chroot, and for every bind mount.
 */
static char *swapcg_file_path(struct dentry *dentry, gfp_t gfp)
{
	char *buf, *p;

	buf = __getname();
	if (!buf)
		return ERR_PTR(-ENOMEM);
	p = dentry_path_raw(dentry, buf, PATH_MAX);
	if (!IS_ERR(p)) {
		p = kstrdup(p, gfp);
		if (!p)
			p = ERR_PTR(-ENOMEM);
	}
	__putname(buf);
	return p;
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

static struct swapcg_areas *swapcg_areas_alloc(gfp_t gfp)
{
	return kmalloc(sizeof(struct swapcg_areas), gfp);
}

/*
 * Compile @sg's rules for the active areas into @areas, from
 * swapcg_areas_alloc(), and put them in force.  Rules that allow every
 * area in full need no struct: @areas is freed then.
 */
static void swapcg_compile(struct swapcg *sg, struct swapcg_areas *areas)
{
	struct swapcg_areas *old;
	int type;

	lockdep_assert_held(&swapcg_devices_mutex);

	if (list_empty(&sg->rules) && !sg->default_deny) {
		kfree(areas);
		areas = NULL;
	} else {
		memset(areas, 0, sizeof(*areas));
		for_each_set_bit(type, &swapcg_active_areas, MAX_SWAPFILES) {
			unsigned long max = swapcg_rule_max(sg, type);

			areas->max[type] = max;
			if (!max)
				areas->denied |= BIT(type);
			else if (max != PAGE_COUNTER_MAX)
				areas->limited |= BIT(type);
		}
	}

	old = rcu_replace_pointer(sg->areas, areas,
				  lockdep_is_held(&swapcg_devices_mutex));
	if (old)
		kfree_rcu(old, rcu);
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
	unsigned long usable = SWAPCG_ALL_AREAS;

	rcu_read_lock();
	for (; !swapcg_is_root(sg); sg = swapcg_parent(sg)) {
		struct swapcg_areas *areas = rcu_dereference(sg->areas);
		int type;

		if (!areas)
			continue;
		usable &= ~areas->denied;
		for_each_set_bit(type, &areas->limited, MAX_SWAPFILES) {
			if (atomic_long_read(&sg->area_pages[type]) + nr_pages >
			    areas->max[type])
				usable &= ~BIT(type);
		}
	}
	rcu_read_unlock();
	return usable;
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_usable_areas);

/* Add @nr_pages to @used unless that takes it over @max. */
static bool swapcg_add_within(atomic_long_t *used, unsigned int nr_pages,
			      unsigned long max)
{
	long old = atomic_long_read(used);

	do {
		if (old + nr_pages > max)
			return false;
	} while (!atomic_long_try_cmpxchg(used, &old, old + nr_pages));
	return true;
}

/**
 * swapcg_areas_in_use - the swap areas that are on
 *
 * Return: a bitmap of the types of the active swap areas.  The rules of
 * an area that swapoff took away stay compiled until the next swapon that
 * takes its type: they do not count.
 */
unsigned long swapcg_areas_in_use(void)
{
	return READ_ONCE(swapcg_active_areas);
}

/**
 * swapcg_area_try_charge - charge pages on one swap area
 * @sg: the group
 * @type: the area
 * @nr_pages: how many
 * @limiter: set, on failure, to the group whose rule refused the charge
 *
 * A limited usage never goes over its limit, not even for an instant.
 *
 * Return: 0, or -ENOMEM if @sg or an ancestor forbids @type or would pass
 * its limit on it.
 */
int swapcg_area_try_charge(struct swapcg *sg, int type, unsigned int nr_pages,
			   struct swapcg **limiter)
{
	unsigned long bit = BIT(type);
	struct swapcg *pos;

	rcu_read_lock();
	for (pos = sg; !swapcg_is_root(pos); pos = swapcg_parent(pos)) {
		struct swapcg_areas *areas = rcu_dereference(pos->areas);
		atomic_long_t *used = &pos->area_pages[type];

		if (!areas || !((areas->denied | areas->limited) & bit)) {
			atomic_long_add(nr_pages, used);
			continue;
		}
		if ((areas->denied & bit) ||
		    !swapcg_add_within(used, nr_pages, areas->max[type]))
			goto undo;
	}
	rcu_read_unlock();
	return 0;

undo:
	rcu_read_unlock();
	*limiter = pos;
	for (; sg != pos; sg = swapcg_parent(sg))
		atomic_long_sub(nr_pages, &sg->area_pages[type]);
	return -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_area_try_charge);

/**
 * swapcg_area_uncharge - uncharge pages on one swap area
 * @sg: the group
 * @type: the area
 * @nr_pages: how many
 */
void swapcg_area_uncharge(struct swapcg *sg, int type, unsigned int nr_pages)
{
	for (; !swapcg_is_root(sg); sg = swapcg_parent(sg))
		atomic_long_sub(nr_pages, &sg->area_pages[type]);
}
EXPORT_SYMBOL_IF_KUNIT(swapcg_area_uncharge);

/*
 * The key of the swap file @dentry: its file system and its path there, in
 * a new string.  0, or -ENOMEM.
 */
static int swapcg_file_key(struct dentry *dentry,
			   struct swapcg_area_key *key, gfp_t gfp)
{
	char *path = swapcg_file_path(dentry, gfp);

	if (IS_ERR(path))
		return PTR_ERR(path);
	swapcg_key_set_fs(key, dentry->d_sb);
	key->path = path;
	return 0;
}

/**
 * swapcg_devices_swapon - apply the groups' rules to a new swap area
 * @si: the area, not yet open to allocations
 *
 * Return: 0, or -ENOMEM, which fails the swapon.
 */
int swapcg_devices_swapon(struct swap_info_struct *si)
{
	struct cgroup_subsys_state *root = init_css_set.subsys[swap_cgrp_id];
	struct swapcg_area_key key = { };
	struct cgroup_subsys_state *pos;
	int ret = 0;

	if (si->flags & SWP_BLKDEV) {
		key.dev = si->bdev->bd_dev;
	} else {
		/* The path the file has now: renaming it later changes nothing. */
		ret = swapcg_file_key(si->swap_file->f_path.dentry, &key,
				      GFP_KERNEL);
		if (ret)
			return ret;
	}

	mutex_lock(&swapcg_devices_mutex);
	swapcg_area_keys[si->type] = key;
	WRITE_ONCE(swapcg_active_areas, swapcg_active_areas | BIT(si->type));

	rcu_read_lock();
	css_for_each_descendant_pre(pos, root) {
		struct swapcg *sg = css_swapcg(pos);
		struct swapcg_areas *areas;

		/* A group being removed still takes charges until offline. */
		if (!rcu_access_pointer(sg->areas) || !css_tryget(pos))
			continue;
		rcu_read_unlock();

		/* The group's, not the memcg's of whoever runs swapon. */
		areas = swapcg_areas_alloc(GFP_KERNEL);
		if (areas)
			swapcg_compile(sg, areas);
		else
			ret = -ENOMEM;

		rcu_read_lock();
		css_put(pos);
		if (ret)
			break;
	}
	rcu_read_unlock();
	mutex_unlock(&swapcg_devices_mutex);

	if (ret)
		swapcg_devices_swapoff(si->type);
	return ret;
}

/**
 * swapcg_devices_swapoff - forget a swap area that is gone
 * @type: the area
 *
 * What the groups' compiled rules say of @type stays until an area takes
 * the type again, and is compiled anew then: nothing is allocated from an
 * inactive area.
 */
void swapcg_devices_swapoff(int type)
{
	mutex_lock(&swapcg_devices_mutex);
	kfree(swapcg_area_keys[type].path);
	memset(&swapcg_area_keys[type], 0, sizeof(swapcg_area_keys[type]));
	WRITE_ONCE(swapcg_active_areas, swapcg_active_areas & ~BIT(type));
	mutex_unlock(&swapcg_devices_mutex);
}

/*
 * Find the identity of the area that @name designates, into @key, whose
 * path the caller frees.  The lookup runs in the writer's mount namespace,
 * from its root, but with the credentials of whoever opened the file, as
 * cgroup core checks a write to cgroup.procs: a privileged writer handed an
 * open file cannot be made to name what the opener cannot reach.  It runs
 * before any lock of the controller is taken: it may sleep.
 */
static int swapcg_lookup_area(struct kernfs_open_file *of, const char *name,
			      struct swapcg_area_key *key)
{
	const struct cred *old;
	struct inode *inode;
	struct path path;
	int ret;

	memset(key, 0, sizeof(*key));
	if (name[0] != '/')
		return swapcg_parse_devnum(name, &key->dev);

	old = override_creds(of->file->f_cred);
	ret = kern_path(name, LOOKUP_FOLLOW, &path);
	revert_creds(old);
	if (ret)
		return ret;
	inode = d_backing_inode(path.dentry);
	if (S_ISBLK(inode->i_mode)) {
		key->dev = inode->i_rdev;
	} else if (S_ISREG(inode->i_mode) &&
		   (inode->i_mapping->a_ops->swap_activate ||
		    inode->i_mapping->a_ops->bmap)) {
		/* A file that swapon could take: no rule that never applies. */
		ret = swapcg_file_key(path.dentry, key, GFP_KERNEL_ACCOUNT);
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
	return swapcg_parse_area_size(buf, max);
}

/* One line of a write to swap.devices, checked before anything changes. */
struct swapcg_change {
	bool is_default;
	bool deny;			/* for the default */
	struct swapcg_area_key key;
	struct swapcg_rule *rule;	/* the new rule; NULL drops the area's */
};

/* Check one line of a write, and allocate the rule it sets. */
static int swapcg_change_prepare(struct kernfs_open_file *of,
				 struct swapcg_change *c, char *line)
{
	size_t len, path_len = 0;
	char *area, *limit;
	unsigned long max;
	int ret;

	ret = swapcg_parse_rule(line, &area, &limit);
	if (ret)
		return ret;
	if (!strcmp(area, "default")) {
		c->is_default = true;
		c->deny = !strcmp(limit, "0");
		if (!c->deny && strcmp(limit, "max"))
			return -EINVAL;
		return 0;
	}

	ret = swapcg_parse_area_limit(limit, &max);
	if (ret)
		return ret;
	ret = swapcg_lookup_area(of, area, &c->key);
	if (ret)
		return ret;
	if (max == ULONG_MAX)
		return 0;
	len = strlen(area) + 1;
	if (c->key.path)
		path_len = strlen(c->key.path) + 1;
	c->rule = kmalloc(struct_size(c->rule, name, len + path_len),
			  GFP_KERNEL_ACCOUNT);
	if (!c->rule)
		return -ENOMEM;
	c->rule->key.dev = c->key.dev;
	c->rule->key.uuid = c->key.uuid;
	c->rule->key.path = NULL;
	c->rule->max = max;
	memcpy(c->rule->name, area, len);
	if (path_len) {
		c->rule->key.path = c->rule->name + len;
		memcpy(c->rule->name + len, c->key.path, path_len);
	}
	return 0;
}

/*
 * Does the area of @changes[@n] have a rule before that change is made: one
 * set by an earlier change of the write, or else by @sg?
 */
static bool swapcg_has_rule_before(struct swapcg *sg,
				   struct swapcg_change *changes, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		if (!changes[i].is_default &&
		    swapcg_key_equal(&changes[i].key, &changes[n].key))
			return !!changes[i].rule;
	}
	return !!swapcg_find_rule(sg, &changes[n].key);
}

/*
 * Make the @nr changes of a write, in their order, all or none: -ENOSPC
 * when @sg would hold more than SWAPCG_MAX_RULES rules after them.  The
 * rules replaced or dropped go to @gone, to be freed once unlocked.
 */
static int swapcg_apply(struct swapcg *sg, struct swapcg_change *changes,
			int nr, struct swapcg_areas *areas,
			struct list_head *gone)
{
	int i, nr_rules = sg->nr_rules;
	struct swapcg_rule *old;

	lockdep_assert_held(&swapcg_devices_mutex);

	for (i = 0; i < nr; i++) {
		if (!changes[i].is_default)
			nr_rules += !!changes[i].rule -
				    swapcg_has_rule_before(sg, changes, i);
	}
	if (nr_rules > SWAPCG_MAX_RULES)
		return -ENOSPC;

	for (i = 0; i < nr; i++) {
		struct swapcg_change *c = &changes[i];

		if (c->is_default) {
			sg->default_deny = c->deny;
			continue;
		}
		old = swapcg_find_rule(sg, &c->key);
		if (old && c->rule)
			list_replace(&old->node, &c->rule->node);
		else if (old)
			list_del(&old->node);
		else if (c->rule)
			list_add_tail(&c->rule->node, &sg->rules);
		if (old)
			list_add(&old->node, gone);
		c->rule = NULL;		/* @sg's now */
	}
	sg->nr_rules = nr_rules;
	swapcg_compile(sg, areas);
	return 0;
}

/*
 * A write holds one rule per line, or the default.  All of them apply, in
 * their order, or none: a bad line fails the write and changes nothing,
 * and a reader or a charge sees the rules from before or after the write,
 * never between.
 */
ssize_t swapcg_devices_write(struct kernfs_open_file *of, char *buf,
			     size_t nbytes, loff_t off)
{
	struct swapcg *sg = css_swapcg(of_css(of));
	struct swapcg_change *changes;
	struct swapcg_rule *rule, *next;
	struct swapcg_areas *areas;
	int i, nr = 0, ret = 0;
	char *line;
	LIST_HEAD(gone);

	/* A NUL would end the parsing early: lines after it would be lost. */
	if (memchr_inv(buf + strlen(buf), 0, nbytes - strlen(buf)))
		return -EINVAL;
	changes = kcalloc(SWAPCG_MAX_LINES, sizeof(*changes), GFP_KERNEL);
	if (!changes)
		return -ENOMEM;

	/*
	 * A path can take long to resolve (a hung NFS or FUSE mount): the file
	 * must not stay active meanwhile, or the rmdir of the group, under
	 * cgroup_mutex, would wait for it.
	 */
	css_get(&sg->css);
	kernfs_break_active_protection(of->kn);
	while ((line = strsep(&buf, "\n"))) {
		if (!*skip_spaces(line))
			continue;
		if (nr == SWAPCG_MAX_LINES) {
			ret = -EINVAL;
			break;
		}
		ret = swapcg_change_prepare(of, &changes[nr++], line);
		if (ret)
			break;
	}
	kernfs_unbreak_active_protection(of->kn);
	if (!ret && !nr)
		ret = -EINVAL;
	if (!ret && css_is_dying(&sg->css))
		ret = -ENODEV;
	if (ret)
		goto out;

	areas = swapcg_areas_alloc(GFP_KERNEL_ACCOUNT);
	if (!areas) {
		ret = -ENOMEM;
		goto out;
	}
	mutex_lock(&swapcg_devices_mutex);
	ret = swapcg_apply(sg, changes, nr, areas, &gone);
	mutex_unlock(&swapcg_devices_mutex);
	if (ret)
		kfree(areas);

	list_for_each_entry_safe(rule, next, &gone, node)
		kfree(rule);
out:
	css_put(&sg->css);
	for (i = 0; i < nr; i++) {
		kfree(changes[i].rule);
		kfree(changes[i].key.path);
	}
	kfree(changes);
	return ret ?: nbytes;
}

static void swapcg_show_limit(struct seq_file *m, unsigned long max)
{
	if (max == PAGE_COUNTER_MAX)
		seq_puts(m, "max\n");
	else
		seq_printf(m, "%llu\n", (u64)max * PAGE_SIZE);
}

/* Escaped in names shown: what /proc/swaps escapes, and control characters. */
const char swapcg_name_esc[] =
	" \t\n\\\001\002\003\004\005\006\007\010\013\014\015\016\017"
	"\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037"
	"\177";

int swapcg_devices_show(struct seq_file *m, void *v)
{
	struct swapcg *sg = css_swapcg(seq_css(m));
	struct swapcg_rule *rule;

	mutex_lock(&swapcg_devices_mutex);
	seq_printf(m, "default %s\n", sg->default_deny ? "0" : "max");
	list_for_each_entry(rule, &sg->rules, node) {
		/* A name may hold any byte but NUL: one line per rule. */
		seq_escape_str(m, rule->name, ESCAPE_OCTAL, swapcg_name_esc);
		seq_putc(m, ' ');
		swapcg_show_limit(m, rule->max);
	}
	mutex_unlock(&swapcg_devices_mutex);
	return 0;
}

static void swapcg_effective_show_area(struct seq_file *m,
				       struct swap_info_struct *si, void *arg)
{
	unsigned long *max = arg;

	seq_file_path(m, si->swap_file, swapcg_name_esc);
	seq_putc(m, ' ');
	swapcg_show_limit(m, max[si->type]);
}

int swapcg_devices_effective_show(struct seq_file *m, void *v)
{
	unsigned long max[MAX_SWAPFILES];
	struct swapcg *sg;
	int type;

	for (type = 0; type < MAX_SWAPFILES; type++)
		max[type] = PAGE_COUNTER_MAX;
	/* Each group's rules are read once: one set of each, never a mix. */
	rcu_read_lock();
	for (sg = css_swapcg(seq_css(m)); !swapcg_is_root(sg);
	     sg = swapcg_parent(sg)) {
		struct swapcg_areas *areas = rcu_dereference(sg->areas);

		if (!areas)
			continue;
		for (type = 0; type < MAX_SWAPFILES; type++) {
			if (areas->denied & BIT(type))
				max[type] = 0;
			else if (areas->limited & BIT(type))
				max[type] = min(max[type], areas->max[type]);
		}
	}
	rcu_read_unlock();
	swap_active_areas_show(m, swapcg_effective_show_area, max);
	return 0;
}

/* Called when @sg is freed: nobody reads its rules any more. */
void swapcg_devices_free(struct swapcg *sg)
{
	struct swapcg_rule *rule, *next;

	list_for_each_entry_safe(rule, next, &sg->rules, node)
		kfree(rule);
	kfree(rcu_access_pointer(sg->areas));
}
