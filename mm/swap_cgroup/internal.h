/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The swap cgroup controller: what its files share.
 */
#ifndef _MM_SWAP_CGROUP_INTERNAL_H
#define _MM_SWAP_CGROUP_INTERNAL_H

#include <linux/cgroup.h>
#include <linux/page_counter.h>
#include <linux/swap.h>

/* What names a swap area for swap.devices: its device, or its file. */
struct swapcg_area_key {
	dev_t dev;		/* the block device, or the file's file system */
	unsigned long ino;	/* the file's inode; 0 for a block device */
};

/* One line of swap.devices. */
struct swapcg_rule {
	struct list_head node;
	struct swapcg_area_key key;
	unsigned long max;	/* pages; 0 forbids, PAGE_COUNTER_MAX allows */
	char name[];		/* the area as the user named it */
};

enum swapcg_event {
	SWAPCG_EVENT_MAX,	/* this group's swap.max refused a charge */
	SWAPCG_EVENT_FAIL,	/* a swap-out of the group's pages failed */
	SWAPCG_NR_EVENTS,
};

struct swapcg {
	struct cgroup_subsys_state css;

	/* Pages in swap, of this group and its descendants, and swap.max. */
	struct page_counter swap;

	/* The same pages, by swap area (type). */
	atomic_long_t area_pages[MAX_SWAPFILES];

	/* swap.devices as written, under swapcg_devices_mutex. */
	struct list_head rules;
	bool default_deny;

	/* What the rules say of each active area, by type. */
	unsigned long denied;		/* areas this group may not use */
	unsigned long limited;		/* areas with a limit in area_max */
	unsigned long area_max[MAX_SWAPFILES];

	atomic_long_t events[SWAPCG_NR_EVENTS];
	struct cgroup_file events_file;
};

static inline struct swapcg *css_swapcg(struct cgroup_subsys_state *css)
{
	return css ? container_of(css, struct swapcg, css) : NULL;
}

static inline struct swapcg *swapcg_parent(struct swapcg *sg)
{
	return css_swapcg(sg->css.parent);
}

static inline bool swapcg_is_root(struct swapcg *sg)
{
	return !sg->css.parent;
}

void swapcg_event(struct swapcg *sg, enum swapcg_event event);
int swapcg_parse_pages(const char *buf, const char *max,
		       unsigned long *nr_pages);
int swapcg_parse_rule(char *buf, char **area, char **limit);
int swapcg_parse_devnum(const char *buf, dev_t *dev);

int swapcg_devices_show(struct seq_file *m, void *v);
ssize_t swapcg_devices_write(struct kernfs_open_file *of, char *buf,
			     size_t nbytes, loff_t off);
int swapcg_devices_effective_show(struct seq_file *m, void *v);
void swapcg_devices_free(struct swapcg *sg);
unsigned long swapcg_usable_areas(struct swapcg *sg, unsigned int nr_pages);
void swapcg_devices_swapon(struct swap_info_struct *si);
void swapcg_devices_swapoff(int type);
int swapcg_area_try_charge(struct swapcg *sg, int type, unsigned int nr_pages,
			   struct swapcg **limiter);
void swapcg_area_uncharge(struct swapcg *sg, int type, unsigned int nr_pages);

#endif /* _MM_SWAP_CGROUP_INTERNAL_H */
