// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: what reclaim needs to know.
 *
 * Reclaim swaps anonymous pages out only while there is swap for them.  It
 * asks the memory controller how much swap the memcg it scans may still
 * fill; it also asks this controller, which answers for its group of the
 * same cgroup: the room under its swap.max and its ancestors', and on the
 * areas that it may use.  That is the common case of cgroup v2, where the
 * two controllers share the cgroups.
 *
 * Reclaim without the memory controller cannot tell whose pages it scans:
 * it would try page after page of a group at its limit, a million times in
 * ten seconds.  There, after SWAPCG_REFUSALS_IN_A_ROW swap-outs refused in
 * a row, for want of room under a limit or on the areas a group may use,
 * reclaim leaves anonymous pages alone for a second, as it does when swap
 * is full; a successful swap-out starts the count again.  Only the choice
 * of what to scan changes: whether memory counts as reclaimable, which
 * decides the OOM killer's turn, does not.
 */

#include <linux/cgroup.h>
#include <linux/jiffies.h>
#include <linux/memcontrol.h>
#include <linux/swapcg.h>
#include <linux/swapops.h>

#include "internal.h"

#define SWAPCG_REFUSALS_IN_A_ROW	512
#define SWAPCG_REFUSING_JIFFIES		HZ

static atomic_t swapcg_refusals_in_a_row = ATOMIC_INIT(0);
/* When the refusing ends, in jiffies; 0 when it has ended. */
static unsigned long swapcg_refusing_until;

/*
 * Within a second of the last time the refusals reached the count?  An
 * end that has passed is cleared, so that jiffies, wrapping around, never
 * come back into the second that it closes.
 */
static bool swapcg_refusing(void)
{
	unsigned long until = READ_ONCE(swapcg_refusing_until);

	if (!until)
		return false;
	if (time_in_range_open(jiffies, until - SWAPCG_REFUSING_JIFFIES, until))
		return true;
	cmpxchg(&swapcg_refusing_until, until, 0);
	return false;
}

/**
 * swapcg_note_refusal - count a swap-out that the controller refused
 */
void swapcg_note_refusal(void)
{
	if (atomic_inc_return(&swapcg_refusals_in_a_row) <
	    SWAPCG_REFUSALS_IN_A_ROW)
		return;
	atomic_set(&swapcg_refusals_in_a_row, 0);
	WRITE_ONCE(swapcg_refusing_until,
		   (jiffies + SWAPCG_REFUSING_JIFFIES) ?: 1);
}

/**
 * swapcg_note_success - count a swap-out that found its swap
 */
void swapcg_note_success(void)
{
	if (atomic_read(&swapcg_refusals_in_a_row))
		atomic_set(&swapcg_refusals_in_a_row, 0);
}

/**
 * __swapcg_root_charged - note a swap-out of a page that no group pays for
 *
 * A page of the root group went to swap: the refusals are not in a row.
 */
void __swapcg_root_charged(void)
{
	swapcg_note_success();
}

#ifdef CONFIG_MEMCG
/*
 * How many more pages the rules of @sg and its ancestors let it put on the
 * area @type, LONG_MAX for no limit.  Under rcu_read_lock().
 */
static long swapcg_area_room(struct swapcg *sg, int type)
{
	long room = LONG_MAX;

	for (; !swapcg_is_root(sg); sg = swapcg_parent(sg)) {
		struct swapcg_areas *areas = rcu_dereference(sg->areas);

		if (!areas || !(areas->limited & BIT(type)))
			continue;
		room = min(room, (long)areas->max[type] -
			   atomic_long_read(&sg->area_pages[type]));
	}
	return max(room, 0L);
}

/*
 * The free slots of each active area that @sg may use, up to what its
 * limits and those of its ancestors leave on it; LONG_MAX when no rule
 * restricts @sg.  Under rcu_read_lock().
 */
static long swapcg_areas_room(struct swapcg *sg)
{
	struct swapcg *pos;
	unsigned long usable;
	long room = 0;
	int type;

	for (pos = sg; !swapcg_is_root(pos); pos = swapcg_parent(pos)) {
		if (rcu_access_pointer(pos->areas))
			break;
	}
	if (swapcg_is_root(pos))
		return LONG_MAX;

	usable = swapcg_usable_areas(sg, 1);
	for_each_set_bit(type, &usable, MAX_SWAPFILES) {
		struct swap_info_struct *si = swp_swap_info(swp_entry(type, 0));
		long free;

		if (!si || !(READ_ONCE(si->flags) & SWP_WRITEOK))
			continue;
		free = (long)READ_ONCE(si->pages) -
		       (long)READ_ONCE(si->inuse_pages);
		room += clamp(swapcg_area_room(sg, type), 0L, max(free, 0L));
	}
	return room;
}

/* The room of @cgrp's group, in @cgrp's hierarchy; LONG_MAX for none. */
static long swapcg_cgroup_room(struct cgroup *cgrp)
{
	struct swapcg *sg, *pos;
	long room = LONG_MAX;

	rcu_read_lock();
	sg = css_swapcg(cgroup_e_css(cgrp, &swap_cgrp_subsys));
	/* The root: no limit, or the controller is on another hierarchy. */
	if (swapcg_is_root(sg))
		goto out;
	for (pos = sg; !swapcg_is_root(pos); pos = swapcg_parent(pos))
		room = min(room, (long)READ_ONCE(pos->swap.max) -
			   (long)page_counter_read(&pos->swap));
	if (room > 0)
		room = min(room, swapcg_areas_room(sg));
out:
	rcu_read_unlock();
	return max(room, 0L);
}
#endif /* CONFIG_MEMCG */

/**
 * __swapcg_reclaim_room - how much swap the pages that reclaim scans may fill
 * @memcg: the memcg being reclaimed from, or NULL without the memory
 *	controller
 *
 * Reclaim asks this, as it asks mem_cgroup_get_nr_swap_pages(), to know
 * whether swapping anonymous pages out can succeed.  For a memcg, the
 * answer holds for the swap controller's group of the same cgroup, when it
 * has one in that hierarchy: on cgroup v2, or on a v1 hierarchy that has
 * both controllers.  Without a memcg, it says whether the controller has
 * lately refused every swap-out.
 *
 * Return: a number of pages, LONG_MAX for no limit.
 */
long __swapcg_reclaim_room(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	if (memcg && !mem_cgroup_disabled())
		return swapcg_cgroup_room(memcg->css.cgroup);
#endif
	return swapcg_refusing() ? 0 : LONG_MAX;
}
