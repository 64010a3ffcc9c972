/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The swap cgroup controller: what its files share.
 */
#ifndef _MM_SWAP_CGROUP_INTERNAL_H
#define _MM_SWAP_CGROUP_INTERNAL_H

#include <linux/cgroup.h>
#include <linux/page_counter.h>
#include <linux/rcupdate.h>
#include <linux/swap.h>
#include <linux/uuid.h>

/* css ids are kept per swap slot in two bytes. */
#define SWAPCG_ID_MAX	USHRT_MAX

/*
 * What names a swap area for swap.devices: a block device by its number, a
 * swap file by its path in its file system, so that a file made anew at that
 * path is the same area and another file is not.  A file system on a block
 * device is that device; one without is its UUID where it has one (btrfs),
 * which a remount keeps where the anonymous device number changes, else
 * that number (NFS, SMB).
 */
struct swapcg_area_key {
	dev_t dev;		/* the block device, or the file's file system */
	uuid_t uuid;		/* the file's file system, where dev is 0 */
	const char *path;	/* the file's path in it; NULL for a block device */
};

/* One line of swap.devices. */
struct swapcg_rule {
	struct list_head node;
	struct swapcg_area_key key;
	unsigned long max;	/* pages; 0 forbids, PAGE_COUNTER_MAX allows */
	char name[];		/* the area as the user named it, then key.path */
};

/* The most rules a group may hold: they outlive swapoff, so name any file. */
#define SWAPCG_MAX_RULES	64
/* Lines per swap.devices write: enough to drop every rule and add as many. */
#define SWAPCG_MAX_LINES	(2 * SWAPCG_MAX_RULES)

/*
 * What a group's swap.devices says of each active swap area, by type,
 * published whole under RCU: a reader sees one set of rules, never half of
 * an update.
 */
struct swapcg_areas {
	unsigned long denied;		/* areas the group may not use */
	unsigned long limited;		/* areas with a limit in max[] */
	unsigned long max[MAX_SWAPFILES];	/* pages */
	struct rcu_head rcu;
};

/*
 * Ties a tmpfs or shm inode to a group, without pinning it: the tie moves
 * to the parent when the group goes offline.  See shmem.c.
 */
struct swapcg_tie {
	struct swapcg __rcu *sg;
	struct list_head node;	/* in sg->ties, under swapcg_ties_lock */
	refcount_t ref;
	struct rcu_head rcu;
};

enum swapcg_event {
	SWAPCG_EVENT_MAX,	/* this group's swap.max refused a charge */
	SWAPCG_EVENT_FAIL,	/* a page of the group stayed out of swap */
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
	unsigned int nr_rules;
	bool default_deny;

	/* The rules compiled; NULL while they allow every area in full. */
	struct swapcg_areas __rcu *areas;

	atomic_long_t events[SWAPCG_NR_EVENTS];
	struct cgroup_file events_file;

	/* A task has left: the memcg may hold pages charged elsewhere. */
	bool tasks_left;

	/* The tie that new files take, and the ties that point here. */
	struct swapcg_tie __rcu *tie;
	struct list_head ties;
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

/*
 * The css id charged for each slot of each swap area, and the groups by css
 * id; see ids.c.
 */
#define SWAPCG_IDS_PER_PAGE	(PAGE_SIZE / sizeof(struct swapcg *))
#define SWAPCG_ID_PAGES		DIV_ROUND_UP(SWAPCG_ID_MAX + 1, SWAPCG_IDS_PER_PAGE)
extern unsigned short *swapcg_slot_ids[MAX_SWAPFILES];
extern struct swapcg **swapcg_groups[SWAPCG_ID_PAGES];

/* The ids of the slots of area @type, or NULL while it has no map. */
static inline unsigned short *swapcg_ids_map(int type)
{
	return READ_ONCE(swapcg_slot_ids[type]);
}

/* The group that the slots recorded with @id are charged to. */
static inline struct swapcg *swapcg_from_id(unsigned short id)
{
	struct swapcg **page = READ_ONCE(swapcg_groups[id / SWAPCG_IDS_PER_PAGE]);

	return page ? READ_ONCE(page[id % SWAPCG_IDS_PER_PAGE]) : NULL;
}

void swapcg_event(struct swapcg *sg, enum swapcg_event event);
int swapcg_ties_init(struct swapcg *sg, bool root);
void swapcg_ties_offline(struct swapcg *sg);
struct cgroup_subsys_state *swapcg_shmem_css_get(struct folio *folio);
struct swapcg *swapcg_folio_group_find(struct folio *folio, bool try_lock);
int swapcg_parse_size(const char *buf, unsigned long *nr_pages);
int swapcg_parse_area_size(const char *buf, unsigned long *nr_pages);
int swapcg_parse_rule(char *buf, char **area, char **limit);
int swapcg_parse_devnum(const char *buf, dev_t *dev);

extern const char swapcg_name_esc[];
int swapcg_devices_show(struct seq_file *m, void *v);
ssize_t swapcg_devices_write(struct kernfs_open_file *of, char *buf,
			     size_t nbytes, loff_t off);
int swapcg_devices_effective_show(struct seq_file *m, void *v);
void swapcg_devices_free(struct swapcg *sg);
bool swapcg_key_equal(const struct swapcg_area_key *a,
		      const struct swapcg_area_key *b);
void swapcg_key_set_fs(struct swapcg_area_key *key,
		       const struct super_block *sb);
unsigned long swapcg_usable_areas(struct swapcg *sg, unsigned int nr_pages);
unsigned long swapcg_areas_in_use(void);
int swapcg_devices_swapon(struct swap_info_struct *si);
void swapcg_devices_swapoff(int type);
int swapcg_area_try_charge(struct swapcg *sg, int type, unsigned int nr_pages,
			   struct swapcg **limiter);
void swapcg_area_uncharge(struct swapcg *sg, int type, unsigned int nr_pages);
int swapcg_id_set(struct swapcg *sg);
void swapcg_id_clear(struct swapcg *sg);
int swapcg_ids_online(void);
void swapcg_ids_offline(void);

#endif /* _MM_SWAP_CGROUP_INTERNAL_H */
