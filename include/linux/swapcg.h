/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The swap cgroup controller: the hooks that mm calls.
 */
#ifndef _LINUX_SWAPCG_H
#define _LINUX_SWAPCG_H

#include <linux/jump_label.h>
#include <linux/limits.h>
#include <linux/swap.h>

struct mem_cgroup;
struct shmem_inode_info;
struct swapcg;

#ifdef CONFIG_CGROUP_SWAP

/* Enabled while any group other than the root exists. */
DECLARE_STATIC_KEY_FALSE(swapcg_active_key);

/* Every swap area may be used. */
#define SWAPCG_ALL_AREAS	(~0UL)

int swapcg_swapon(struct swap_info_struct *si, unsigned long max_pages);
void swapcg_swapoff(int type);

struct swapcg *__swapcg_folio_group_get(struct folio *folio);
unsigned long __swapcg_allowed_areas(struct swapcg *sg, struct folio *folio);
int __swapcg_try_charge(struct swapcg *sg, struct folio *folio,
			swp_entry_t entry);
void __swapcg_swap_out_failed(struct swapcg *sg, struct folio *folio);
void swapcg_group_put(struct swapcg *sg);
void __swapcg_uncharge(swp_entry_t entry, unsigned int nr_pages);
bool __swapcg_swap_full(struct folio *folio);
bool __swapcg_reclaim_may_swap(struct folio *folio);
long __swapcg_reclaim_room(struct mem_cgroup *memcg, bool last_pass);
void __swapcg_shmem_init(struct shmem_inode_info *info);
void swapcg_shmem_free(struct shmem_inode_info *info);

/*
 * The group that the swap of @folio, locked and about to be swapped out, is
 * charged to, with a reference; NULL for the root, which is not charged.
 */
static inline struct swapcg *swapcg_folio_group_get(struct folio *folio)
{
	if (static_branch_unlikely(&swapcg_active_key))
		return __swapcg_folio_group_get(folio);
	return NULL;
}

/*
 * The swap areas (a bitmap of types) that @sg may use for @folio now; none
 * when @sg has no room left under its swap.max.
 */
static inline unsigned long swapcg_allowed_areas(struct swapcg *sg,
						 struct folio *folio)
{
	if (sg)
		return __swapcg_allowed_areas(sg, folio);
	return SWAPCG_ALL_AREAS;
}

/*
 * Charge the swap slot @entry, just allocated for @folio, to @sg.  A zero
 * @entry, no slot found, counts as a failure of the group.
 */
static inline int swapcg_try_charge(struct swapcg *sg, struct folio *folio,
				    swp_entry_t entry)
{
	if (sg)
		return __swapcg_try_charge(sg, folio, entry);
	return 0;
}

/* The memory controller refused a slot for @folio, which stays in memory. */
static inline void swapcg_swap_out_failed(struct swapcg *sg,
					  struct folio *folio)
{
	if (sg)
		__swapcg_swap_out_failed(sg, folio);
}

/* Uncharge @nr_pages slots from @entry on as they are freed. */
static inline void swapcg_uncharge(swp_entry_t entry, unsigned int nr_pages)
{
	if (static_branch_unlikely(&swapcg_active_key))
		__swapcg_uncharge(entry, nr_pages);
}

/*
 * Should swapped-in @folio give up its slot at once?  Yes when its group
 * or an ancestor has used half or more of its swap.max.
 */
static inline bool swapcg_swap_full(struct folio *folio)
{
	if (static_branch_unlikely(&swapcg_active_key))
		return __swapcg_swap_full(folio);
	return false;
}

/* Record the group that a new tmpfs or shm inode belongs to. */
static inline void swapcg_shmem_init(struct shmem_inode_info *info)
{
	if (static_branch_unlikely(&swapcg_active_key))
		__swapcg_shmem_init(info);
}

/*
 * How many pages the swap controller lets the pages of @memcg, which reclaim
 * scans, still put into swap.  LONG_MAX for no limit, or when the answer
 * depends on the folio (see swapcg_reclaim_may_swap()): on reclaim's
 * @last_pass, that is so where a task has left the cgroup.
 */
static inline long swapcg_reclaim_room(struct mem_cgroup *memcg,
				       bool last_pass)
{
	if (static_branch_unlikely(&swapcg_active_key))
		return __swapcg_reclaim_room(memcg, last_pass);
	return LONG_MAX;
}

/*
 * May reclaim try to swap @folio out?  Not when the group it would be
 * charged to has no room left: reclaim then activates it without taking a
 * slot.
 */
static inline bool swapcg_reclaim_may_swap(struct folio *folio)
{
	if (static_branch_unlikely(&swapcg_active_key))
		return __swapcg_reclaim_may_swap(folio);
	return true;
}

#else /* !CONFIG_CGROUP_SWAP */

#define SWAPCG_ALL_AREAS	(~0UL)

static inline int swapcg_swapon(struct swap_info_struct *si,
				unsigned long max_pages)
{
	return 0;
}

static inline void swapcg_swapoff(int type)
{
}

static inline struct swapcg *swapcg_folio_group_get(struct folio *folio)
{
	return NULL;
}

static inline unsigned long swapcg_allowed_areas(struct swapcg *sg,
						 struct folio *folio)
{
	return SWAPCG_ALL_AREAS;
}

static inline int swapcg_try_charge(struct swapcg *sg, struct folio *folio,
				    swp_entry_t entry)
{
	return 0;
}

static inline void swapcg_swap_out_failed(struct swapcg *sg,
					  struct folio *folio)
{
}

static inline void swapcg_group_put(struct swapcg *sg)
{
}

static inline void swapcg_uncharge(swp_entry_t entry, unsigned int nr_pages)
{
}

static inline bool swapcg_swap_full(struct folio *folio)
{
	return false;
}

static inline void swapcg_shmem_init(struct shmem_inode_info *info)
{
}

static inline void swapcg_shmem_free(struct shmem_inode_info *info)
{
}

static inline long swapcg_reclaim_room(struct mem_cgroup *memcg,
				       bool last_pass)
{
	return LONG_MAX;
}

static inline bool swapcg_reclaim_may_swap(struct folio *folio)
{
	return true;
}

#endif /* CONFIG_CGROUP_SWAP */

#endif /* _LINUX_SWAPCG_H */
