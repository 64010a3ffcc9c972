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
 * Where the memcg that reclaim scans is not the group that a folio is
 * charged to (no memory controller, +swap enabled deeper than +memory, v1
 * with the two controllers on separate hierarchies, a task that moved),
 * the memcg cannot answer: the folio's own group does, folio by folio,
 * before a slot is taken.  A folio whose group has no room is activated
 * without a charge being tried, as a folio is when swap is full, and
 * reclaim goes on with the others: what one group refuses never stops
 * reclaim for the rest of the machine.
 */

#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/swapcg.h>
#include <linux/swapops.h>

#include "internal.h"

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

	usable = swapcg_usable_areas(sg, 1) & swapcg_areas_in_use();
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

/*
 * The pages @sg may still put into swap: the room under its swap.max and
 * its ancestors', on the areas it may use; LONG_MAX for no limit.  Under
 * rcu_read_lock().
 */
static long swapcg_room(struct swapcg *sg)
{
	struct swapcg *pos;
	long room = LONG_MAX;

	for (pos = sg; !swapcg_is_root(pos); pos = swapcg_parent(pos))
		room = min(room, (long)READ_ONCE(pos->swap.max) -
			   (long)page_counter_read(&pos->swap));
	if (room > 0)
		room = min(room, swapcg_areas_room(sg));
	return max(room, 0L);
}

/**
 * __swapcg_reclaim_may_swap - may reclaim try to swap a folio out?
 * @folio: the locked swap-backed folio, not in the swap cache, that
 *	reclaim would swap out
 *
 * Reclaim asks this of each folio where the memcg it scans cannot answer
 * for the folio's group.  A group with no room for one more page gets no
 * slot taken and given back for its folios, and no refusal is counted:
 * reclaim passes over them, as memcg reclaim passes over a memcg at its
 * memory.swap.max.  It waits on no lock: where the group cannot be known
 * without, the answer is yes, and the charge decides.
 *
 * Return: false when the group the folio would be charged to, or an
 * ancestor, has no room left in swap for it.
 */
bool __swapcg_reclaim_may_swap(struct folio *folio)
{
	struct swapcg *sg = swapcg_folio_group_find(folio, true);
	bool room;

	if (!sg)
		return true;
	rcu_read_lock();
	room = swapcg_room(sg) > 0;
	rcu_read_unlock();
	swapcg_group_put(sg);
	return room;
}

/**
 * __swapcg_reclaim_room - how much swap the pages of a memcg may fill
 * @memcg: the memcg being reclaimed from
 * @last_pass: whether this is reclaim's last pass (priority 0)
 *
 * Reclaim asks this, as it asks mem_cgroup_get_nr_swap_pages(), to know
 * whether swapping the memcg's anonymous pages out can succeed.  The answer
 * holds for the swap controller's group of the same cgroup, when it has one
 * in that hierarchy: on cgroup v2, or on a v1 hierarchy that has both
 * controllers.  Elsewhere it is LONG_MAX, and __swapcg_reclaim_may_swap()
 * answers for each folio.
 *
 * A task that left the cgroup leaves its pages in the memcg, charged in swap
 * to the group it joined, which may have room: once one has left, reclaim's
 * @last_pass asks each folio here too.  Reclaim of a cgroup no task has left
 * passes over its anonymous pages as memcg's memory.swap.max makes it do,
 * without an rmap walk for each.
 *
 * Return: a number of pages, LONG_MAX for no limit.
 */
long __swapcg_reclaim_room(struct mem_cgroup *memcg, bool last_pass)
{
	long room = LONG_MAX;
#ifdef CONFIG_MEMCG
	struct swapcg *sg;

	if (!memcg || mem_cgroup_disabled())
		return LONG_MAX;
	rcu_read_lock();
	sg = css_swapcg(cgroup_e_css(memcg->css.cgroup, &swap_cgrp_subsys));
	/* The root: no limit, or the controller is on another hierarchy. */
	if (!swapcg_is_root(sg) && !(last_pass && READ_ONCE(sg->tasks_left)))
		room = swapcg_room(sg);
	rcu_read_unlock();
#endif
	return room;
}
