// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: groups and their files.
 *
 * A group may put at most swap.max bytes into swap, counting the pages of
 * its descendants, and only onto the areas that swap.devices allows.  See
 * charge.c for what is charged to whom, and when, and devices.c for areas.
 */

#include <linux/cgroup.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/swapcg.h>

#include "internal.h"

DEFINE_STATIC_KEY_FALSE(swapcg_active_key);

static struct cgroup_subsys_state *
swapcg_css_alloc(struct cgroup_subsys_state *parent_css)
{
	struct swapcg *parent = css_swapcg(parent_css);
	struct swapcg *sg;

	sg = kzalloc(sizeof(*sg), GFP_KERNEL_ACCOUNT);
	if (!sg)
		return ERR_PTR(-ENOMEM);
	if (swapcg_ties_init(sg, !parent)) {
		kfree(sg);
		return ERR_PTR(-ENOMEM);
	}

	/*
	 * The root is never charged and has no swap.max: the counters of its
	 * children are the tops of their hierarchies, so that a charge
	 * touches no counter that every group shares.
	 */
	page_counter_init(&sg->swap, parent && !swapcg_is_root(parent) ?
				     &parent->swap : NULL);
	INIT_LIST_HEAD(&sg->rules);
	if (parent)
		static_branch_inc(&swapcg_active_key);
	return &sg->css;
}

static int swapcg_css_online(struct cgroup_subsys_state *css)
{
	int ret;

	/* The root is never charged. */
	if (!css->parent)
		return 0;
	if (css->id > SWAPCG_ID_MAX)
		return -ENOSPC;
	ret = swapcg_id_set(css_swapcg(css));
	if (ret)
		return ret;
	/* The first group makes the per-slot maps: mkdir fails without them. */
	return swapcg_ids_online();
}

static void swapcg_css_offline(struct cgroup_subsys_state *css)
{
	swapcg_ties_offline(css_swapcg(css));
	if (css->parent)
		swapcg_ids_offline();
}

/* Called once the last charge of @css is gone: each holds a reference. */
static void swapcg_css_free(struct cgroup_subsys_state *css)
{
	struct swapcg *sg = css_swapcg(css);

	if (css->parent)
		static_branch_dec(&swapcg_active_key);
	/* A group that never came online still has its tie. */
	if (rcu_access_pointer(sg->tie))
		swapcg_ties_offline(sg);
	swapcg_id_clear(sg);
	swapcg_devices_free(sg);
	kfree(sg);
}

/* Reclaim of the memcgs that tasks leave asks their folios: see reclaim.c. */
static int swapcg_can_attach(struct cgroup_taskset *tset)
{
	struct cgroup_subsys_state *dst;
	struct task_struct *task;

	cgroup_taskset_for_each(task, dst, tset)
		WRITE_ONCE(css_swapcg(task_css(task, swap_cgrp_id))->tasks_left,
			   true);
	return 0;
}

static u64 swapcg_current_read(struct cgroup_subsys_state *css,
			       struct cftype *cft)
{
	return (u64)page_counter_read(&css_swapcg(css)->swap) * PAGE_SIZE;
}

static u64 swapcg_peak_read(struct cgroup_subsys_state *css,
			    struct cftype *cft)
{
	return (u64)READ_ONCE(css_swapcg(css)->swap.watermark) * PAGE_SIZE;
}

static void swapcg_show_pages(struct seq_file *m, unsigned long nr_pages)
{
	if (nr_pages == PAGE_COUNTER_MAX)
		seq_puts(m, "max\n");
	else
		seq_printf(m, "%llu\n", (u64)nr_pages * PAGE_SIZE);
}

static int swapcg_max_show(struct seq_file *m, void *v)
{
	swapcg_show_pages(m, READ_ONCE(css_swapcg(seq_css(m))->swap.max));
	return 0;
}

/*
 * A limit below the current usage is taken as it is: nothing is pulled back
 * from swap, but new swap-outs fail until the usage has fallen under it.
 */
static ssize_t swapcg_max_write(struct kernfs_open_file *of, char *buf,
				size_t nbytes, loff_t off)
{
	struct swapcg *sg = css_swapcg(of_css(of));
	unsigned long max;
	int ret;

	ret = swapcg_parse_size(strstrip(buf), &max);
	if (ret)
		return ret;

	xchg(&sg->swap.max, max);
	return nbytes;
}

static int swapcg_events_show(struct seq_file *m, void *v)
{
	struct swapcg *sg = css_swapcg(seq_css(m));

	seq_printf(m, "max %lu\n",
		   atomic_long_read(&sg->events[SWAPCG_EVENT_MAX]));
	seq_printf(m, "fail %lu\n",
		   atomic_long_read(&sg->events[SWAPCG_EVENT_FAIL]));
	return 0;
}

static void swapcg_stat_show_area(struct seq_file *m,
				  struct swap_info_struct *si, void *arg)
{
	struct swapcg *sg = arg;

	seq_file_path(m, si->swap_file, swapcg_name_esc);
	seq_printf(m, " %llu\n",
		   (u64)atomic_long_read(&sg->area_pages[si->type]) * PAGE_SIZE);
}

static int swapcg_stat_show(struct seq_file *m, void *v)
{
	swap_active_areas_show(m, swapcg_stat_show_area,
			       css_swapcg(seq_css(m)));
	return 0;
}

/* The same files, named swap.*, on cgroup v1 and v2. */
static struct cftype swapcg_files[] = {
	{
		.name = "max",
		.flags = CFTYPE_NOT_ON_ROOT,
		.seq_show = swapcg_max_show,
		.write = swapcg_max_write,
	},
	{
		.name = "current",
		.flags = CFTYPE_NOT_ON_ROOT,
		.read_u64 = swapcg_current_read,
	},
	{
		.name = "peak",
		.flags = CFTYPE_NOT_ON_ROOT,
		.read_u64 = swapcg_peak_read,
	},
	{
		.name = "events",
		.flags = CFTYPE_NOT_ON_ROOT,
		.file_offset = offsetof(struct swapcg, events_file),
		.seq_show = swapcg_events_show,
	},
	{
		.name = "stat",
		.flags = CFTYPE_NOT_ON_ROOT,
		.seq_show = swapcg_stat_show,
	},
	{
		.name = "devices",
		.flags = CFTYPE_NOT_ON_ROOT,
		.seq_show = swapcg_devices_show,
		.write = swapcg_devices_write,
	},
	{
		.name = "devices.effective",
		.seq_show = swapcg_devices_effective_show,
	},
	{ }	/* terminate */
};

struct cgroup_subsys swap_cgrp_subsys = {
	.css_alloc	= swapcg_css_alloc,
	.css_online	= swapcg_css_online,
	.css_offline	= swapcg_css_offline,
	.css_free	= swapcg_css_free,
	.can_attach	= swapcg_can_attach,
	.legacy_cftypes	= swapcg_files,
	.dfl_cftypes	= swapcg_files,
};
