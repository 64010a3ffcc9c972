// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: which group each swap slot is charged to.
 *
 * Each charged slot records its group's css id, and each id leads back to
 * its group, so that freeing a slot finds what to uncharge without a
 * lookup of the css.  Both maps belong to the lifecycle of groups and of
 * swap areas: they are made when the first group other than the root comes
 * online, or at swapon after that, and an area's map goes at its swapoff.
 */

#include <linux/cgroup.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/swap.h>
#include <linux/swapcg.h>
#include <linux/vmalloc.h>

#include "internal.h"

/*
 * The css id charged for each slot of each swap area; 0 when none.  At two
 * bytes a slot, a map is made only while a group other than the root is
 * online: for the areas on when the first one comes online, and at swapon
 * after that.  It stays until its area's swapoff.  A slot taken while its
 * area had no map is charged to nobody, and so never uncharged.
 */
unsigned short *swapcg_slot_ids[MAX_SWAPFILES];

/*
 * Under swapcg_ids_mutex: the number of slots of each area between
 * swapcg_swapon() and swapcg_swapoff(), 0 for none, and the number of
 * groups online other than the root.
 */
static DEFINE_MUTEX(swapcg_ids_mutex);
static unsigned long swapcg_area_slots[MAX_SWAPFILES];
static unsigned int swapcg_nr_online;

/*
 * The groups by css id, for the uncharge of a slot, in pages allocated as
 * ids come into use: cheaper than css_from_id() on every free.  A charged
 * id holds a reference on its group, which keeps its entry set.
 *
 * An entry is written before its group comes online, and so before any
 * charge to it: the charge's page_counter_try_charge(), fully ordered,
 * comes before its id is recorded for the slot, and whoever uncharges
 * reads the entry through the id it found there.
 */
struct swapcg **swapcg_groups[SWAPCG_ID_PAGES];

/**
 * swapcg_id_set - let the slots charged to a group find it by its css id
 * @sg: the group, coming online
 *
 * Return: 0, or -ENOMEM.
 */
int swapcg_id_set(struct swapcg *sg)
{
	unsigned short id = sg->css.id;
	struct swapcg ***page = &swapcg_groups[id / SWAPCG_IDS_PER_PAGE];

	if (!READ_ONCE(*page)) {
		struct swapcg **new = (void *)get_zeroed_page(GFP_KERNEL);

		if (!new)
			return -ENOMEM;
		if (cmpxchg(page, NULL, new))
			free_page((unsigned long)new);
	}
	WRITE_ONCE((*page)[id % SWAPCG_IDS_PER_PAGE], sg);
	return 0;
}

/**
 * swapcg_id_clear - forget a group's css id
 * @sg: the group, being freed: no slot is charged to it any more
 */
void swapcg_id_clear(struct swapcg *sg)
{
	int id = sg->css.id;
	struct swapcg **page;

	/* The root, or a group refused online for its id, has no entry. */
	if (id <= 0 || id > SWAPCG_ID_MAX)
		return;
	page = READ_ONCE(swapcg_groups[id / SWAPCG_IDS_PER_PAGE]);
	if (page && page[id % SWAPCG_IDS_PER_PAGE] == sg)
		WRITE_ONCE(page[id % SWAPCG_IDS_PER_PAGE], NULL);
}

/*
 * Make the map of area @type, with vmalloc, which has no size limit: an
 * area of 2^30 slots or more needs 2 GiB or more.  Only out of available
 * memory, as ring buffers check; its pages do not call the OOM killer.
 */
static int swapcg_ids_alloc(int type)
{
	unsigned long slots = swapcg_area_slots[type];
	unsigned short *ids = NULL;

	lockdep_assert_held(&swapcg_ids_mutex);
	if (swapcg_slot_ids[type])
		return 0;
	if (DIV_ROUND_UP(slots * sizeof(*ids), PAGE_SIZE) <= si_mem_available())
		ids = __vcalloc(slots, sizeof(*ids),
				GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!ids) {
		pr_warn_ratelimited("swap cgroup: not enough memory for the %lu KiB of group ids of swap area %d\n",
				    slots * sizeof(*ids) / 1024, type);
		return -ENOMEM;
	}
	/* Zeroed before a charge can find it. */
	smp_store_release(&swapcg_slot_ids[type], ids);
	return 0;
}

/* Forget area @type and free its map.  Return: its slots; 0 if none. */
static unsigned long swapcg_ids_forget(int type)
{
	unsigned long slots;
	unsigned short *ids;

	mutex_lock(&swapcg_ids_mutex);
	slots = swapcg_area_slots[type];
	swapcg_area_slots[type] = 0;
	ids = swapcg_slot_ids[type];
	WRITE_ONCE(swapcg_slot_ids[type], NULL);
	mutex_unlock(&swapcg_ids_mutex);
	vfree(ids);
	return slots;
}

/**
 * swapcg_ids_online - make the slot maps before a group comes online
 *
 * Return: 0 once every area that is on has its map, before the first group
 * other than the root comes online and so before any charge; or -ENOMEM,
 * which fails the group's online (mkdir).
 */
int swapcg_ids_online(void)
{
	int type, ret = 0;

	mutex_lock(&swapcg_ids_mutex);
	for (type = 0; type < MAX_SWAPFILES; type++) {
		if (!swapcg_area_slots[type])
			continue;
		ret = swapcg_ids_alloc(type);
		if (ret)
			break;
	}
	if (!ret)
		swapcg_nr_online++;
	mutex_unlock(&swapcg_ids_mutex);
	return ret;
}

/**
 * swapcg_ids_offline - a group that swapcg_ids_online() let in goes offline
 *
 * The maps stay: its slots, and those of every other group, keep their
 * charges until they are freed.
 */
void swapcg_ids_offline(void)
{
	mutex_lock(&swapcg_ids_mutex);
	swapcg_nr_online--;
	mutex_unlock(&swapcg_ids_mutex);
}

/**
 * swapcg_swapon - prepare a swap area for charging
 * @si: the area, not yet open to allocations
 * @max_pages: the number of slots the area has
 *
 * Its map of ids is made now only if a group other than the root is
 * online; otherwise when the first one comes online.
 *
 * Return: 0, or -ENOMEM, which fails the swapon.
 */
int swapcg_swapon(struct swap_info_struct *si, unsigned long max_pages)
{
	int type = si->type;
	int ret = 0;

	if (!cgroup_subsys_enabled(swap_cgrp_subsys))
		return 0;

	mutex_lock(&swapcg_ids_mutex);
	swapcg_area_slots[type] = max_pages;
	if (swapcg_nr_online)
		ret = swapcg_ids_alloc(type);
	mutex_unlock(&swapcg_ids_mutex);
	/* swapcg_devices_swapon() undoes itself when it fails. */
	if (!ret)
		ret = swapcg_devices_swapon(si);
	if (ret)
		swapcg_ids_forget(type);
	return ret;
}

/**
 * swapcg_swapoff - forget a swap area, all of whose slots are free
 * @type: the area's index
 *
 * Also after a swapcg_swapon() that failed, or that was never called.
 */
void swapcg_swapoff(int type)
{
	if (swapcg_ids_forget(type))
		swapcg_devices_swapoff(type);
}
