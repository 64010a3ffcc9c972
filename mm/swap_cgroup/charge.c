// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: charging swap slots to groups.
 *
 * A folio is charged when a swap slot is allocated for it, one page per
 * slot, to the group of the owner of an mm that maps it: the folio is
 * reverse-mapped, so this works from kswapd as well as from direct reclaim.
 * A tmpfs or shm folio is charged to the group of the task that created its
 * inode.  A folio that belongs to no group, or to the root, is not charged.
 *
 * A group that has no room left under its swap.max, or no swap area it may
 * use, is refused before a slot is taken; reclaim, which asks how much swap
 * a group has left (reclaim.c), does not try to swap its pages out then.  The slot is
 * charged after the memory controller has charged it, on its area first,
 * then against swap.max, so that swap.peak records no refused charge.
 *
 * The charged group's css id is kept for every slot (ids.c), and each
 * charged slot holds a reference on its group: a removed group lives on
 * until its last slot is freed, and its ancestors' usage stays right.  A
 * slot is uncharged when it is freed, not later when the per-CPU slot
 * cache gives it back to its area.
 */

#include <linux/cgroup.h>
#include <linux/mm.h>
#include <linux/mm_owner.h>
#include <linux/rmap.h>
#include <linux/shmem_fs.h>
#include <linux/swapcg.h>
#include <linux/swapops.h>

#include "internal.h"

#define CREATE_TRACE_POINTS
#include <trace/events/swapcg.h>

/* A removed group charges its nearest live ancestor.  Consumes @css's ref. */
static struct swapcg *swapcg_get_live(struct cgroup_subsys_state *css)
{
	while (css->parent && !(css->flags & CSS_ONLINE)) {
		struct cgroup_subsys_state *parent = css->parent;

		css_get(parent);
		css_put(css);
		css = parent;
	}
	if (!css->parent) {
		css_put(css);
		return NULL;
	}
	return css_swapcg(css);
}

/*
 * The first mm that really maps @folio: a VMA that covers the folio's offset
 * may hold a copy of it instead, made by a write after fork().
 */
static bool swapcg_rmap_one(struct folio *folio, struct vm_area_struct *vma,
			    unsigned long addr, void *arg)
{
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, 0);
	struct cgroup_subsys_state **css = arg;
	bool mapped = false;

	/* To its end: at most folio_nr_pages() PTEs in this VMA. */
	while (page_vma_mapped_walk(&pvmw))
		mapped = true;
	if (!mapped)
		return true;
	*css = get_mm_owner_css(vma->vm_mm, swap_cgrp_id);
	return false;
}

/* The owner's css of the first mm that really maps @folio, by rmap. */
static struct cgroup_subsys_state *swapcg_rmap_css_get(struct folio *folio,
						       bool anon_vma_locked)
{
	struct cgroup_subsys_state *css = NULL;
	struct rmap_walk_control rwc = {
		.rmap_one = swapcg_rmap_one,
		.arg = &css,
	};

	if (anon_vma_locked)
		rmap_walk_locked(folio, &rwc);
	else
		rmap_walk(folio, &rwc);
	return css;
}

/*
 * The owner's css of an mm that maps anonymous @folio, with a reference, or
 * NULL when the folio is not mapped.
 *
 * The anon_vma is pinned and read-locked while the folio is mapped, as for
 * folio_referenced().  With @try_lock, a contended lock gives NULL, as for
 * a folio not mapped: reclaim asking ahead takes no lock it would wait on.
 * Without, as when charging: a contended lock must not send the charge to
 * the root, and try_to_unmap(), next, waits for the same lock.
 *
 * Every VMA that maps the folio has a chain in its anon_vma's tree over
 * the folio's offset, and none joins or leaves while the lock is held.
 * When only one chain covers the offset and the folio is still mapped
 * (the lock may have been slept on), that VMA maps it: no need to look at
 * its page table.  With several (after fork(), mremap(), a split VMA),
 * rmap walks them all, under the lock already held.
 */
static struct cgroup_subsys_state *swapcg_anon_css_get(struct folio *folio,
						       bool try_lock)
{
	struct rmap_walk_control rwc = { .try_lock = try_lock };
	pgoff_t first = folio_pgoff(folio);
	pgoff_t last = first + folio_nr_pages(folio) - 1;
	struct cgroup_subsys_state *css;
	struct anon_vma_chain *avc;
	struct anon_vma *anon_vma;

	anon_vma = folio_lock_anon_vma_read(folio, &rwc);
	if (!anon_vma)
		return NULL;

	avc = anon_vma_interval_tree_iter_first(&anon_vma->rb_root, first, last);
	if (avc && !anon_vma_interval_tree_iter_next(avc, first, last) &&
	    folio_mapped(folio))
		css = get_mm_owner_css(avc->vma->vm_mm, swap_cgrp_id);
	else
		css = swapcg_rmap_css_get(folio, true);
	anon_vma_unlock_read(anon_vma);
	return css;
}

/*
 * The group of locked @folio, with a reference, or NULL for the root; with
 * @try_lock, also NULL where the group of an anonymous folio would have to
 * be waited for.
 */
struct swapcg *swapcg_folio_group_find(struct folio *folio, bool try_lock)
{
	struct cgroup_subsys_state *css = NULL;

	if (folio_test_ksm(folio)) {
		if (!try_lock)
			css = swapcg_rmap_css_get(folio, false);
	} else if (folio_test_anon(folio)) {
		/* A folio that is not mapped has no mm, hence no owner. */
		css = swapcg_anon_css_get(folio, try_lock);
	} else if (folio->mapping && shmem_mapping(folio->mapping)) {
		css = swapcg_shmem_css_get(folio);
	}
	if (!css)
		return NULL;
	return swapcg_get_live(css);
}

/**
 * __swapcg_folio_group_get - find the group a folio's swap is charged to
 * @folio: the locked folio about to be swapped out
 *
 * Return: the group, with a reference, or NULL for the root.
 */
struct swapcg *__swapcg_folio_group_get(struct folio *folio)
{
	return swapcg_folio_group_find(folio, false);
}

static void swapcg_record(swp_entry_t entry, unsigned int nr_pages,
			  unsigned short id)
{
	unsigned short *ids = swapcg_ids_map(swp_type(entry));
	pgoff_t offset = swp_offset(entry);
	unsigned int i;

	for (i = 0; i < nr_pages; i++)
		WRITE_ONCE(ids[offset + i], id);
}

/**
 * swapcg_event - count an event of a group and tell those who watch it
 * @sg: the group
 * @event: what happened
 *
 * A refused charge is counted in the group whose limit refused it; a
 * failed swap-out in the group of the pages and in each of its ancestors.
 */
void swapcg_event(struct swapcg *sg, enum swapcg_event event)
{
	for (; sg && !swapcg_is_root(sg); sg = swapcg_parent(sg)) {
		atomic_long_inc(&sg->events[event]);
		cgroup_file_notify(&sg->events_file);
		if (event == SWAPCG_EVENT_MAX)
			break;
	}
}

/* @limiter refused @nr_pages of @sg, on the area @type if @by_area. */
static void swapcg_refused(struct swapcg *sg, struct swapcg *limiter,
			   int type, unsigned int nr_pages, bool by_area)
{
	struct swap_info_struct *si;
	dev_t dev = 0;

	/* A large folio refused whole is split: its pages count themselves. */
	if (!by_area && nr_pages == 1)
		swapcg_event(limiter, SWAPCG_EVENT_MAX);
	if (!trace_swapcg_charge_refused_enabled())
		return;
	if (type >= 0) {
		si = swp_swap_info(swp_entry(type, 0));
		if (si->bdev)
			dev = si->bdev->bd_dev;
	}
	trace_swapcg_charge_refused(cgroup_id(sg->css.cgroup),
				    cgroup_id(limiter->css.cgroup), type, dev,
				    nr_pages, by_area);
}

/*
 * The group whose swap.max has no room for @nr_pages more of @sg, or NULL.
 * A race with another charge can still find the room gone: the charge
 * itself checks again.
 */
static struct swapcg *swapcg_max_limiter(struct swapcg *sg,
					 unsigned long nr_pages)
{
	for (; !swapcg_is_root(sg); sg = swapcg_parent(sg)) {
		if (page_counter_read(&sg->swap) + nr_pages >
		    READ_ONCE(sg->swap.max))
			return sg;
	}
	return NULL;
}

/*
 * A page stays in memory for want of swap: count it.  A large folio that
 * found no slot, or no charge, is split and its pages tried one by one:
 * they count for themselves.
 */
static void swapcg_failed(struct swapcg *sg, struct folio *folio)
{
	if (!folio_test_large(folio))
		swapcg_event(sg, SWAPCG_EVENT_FAIL);
}

/* No slot could be had for @folio on the areas that @sg may use, @usable. */
static void swapcg_no_slot(struct swapcg *sg, struct folio *folio,
			   unsigned long usable)
{
	swapcg_failed(sg, folio);
	if (trace_swapcg_alloc_failed_enabled())
		trace_swapcg_alloc_failed(cgroup_id(sg->css.cgroup),
					  folio_nr_pages(folio), usable);
}

/**
 * __swapcg_allowed_areas - where a group may swap a folio out to
 * @sg: the group from swapcg_folio_group_get()
 * @folio: the locked folio about to be swapped out
 *
 * A group without room for @folio under its swap.max, or under an
 * ancestor's, or without an area it may use, is refused here, and the
 * refusal counted: no slot is taken only to be given back.
 *
 * Return: a bitmap of swap types, all bits set when every area may be
 * used; 0 when @folio stays in memory.
 */
unsigned long __swapcg_allowed_areas(struct swapcg *sg, struct folio *folio)
{
	unsigned int nr_pages = folio_nr_pages(folio);
	struct swapcg *limiter = swapcg_max_limiter(sg, nr_pages);
	unsigned long usable, in_use;

	if (limiter) {
		swapcg_refused(sg, limiter, -1, nr_pages, false);
		swapcg_failed(sg, folio);
		return 0;
	}
	/*
	 * The areas not in use take nothing: only those in use matter.  With
	 * none, the swap-out fails as it would without this controller, and
	 * the memory controller counts it too.
	 */
	in_use = swapcg_areas_in_use();
	if (!in_use)
		return SWAPCG_ALL_AREAS;
	usable = swapcg_usable_areas(sg, nr_pages) & in_use;
	if (!usable) {
		swapcg_no_slot(sg, folio, 0);
		return 0;
	}
	return usable | ~in_use;
}

static int swapcg_charge(struct swapcg *sg, swp_entry_t entry,
			 unsigned int nr_pages)
{
	int type = swp_type(entry);
	struct page_counter *over;
	struct swapcg *limiter;

	/* The area first: it never goes over, and swap.peak sees no refusal. */
	if (swapcg_area_try_charge(sg, type, nr_pages, &limiter)) {
		swapcg_refused(sg, limiter, type, nr_pages, true);
		return -ENOMEM;
	}
	if (!page_counter_try_charge(&sg->swap, nr_pages, &over)) {
		swapcg_area_uncharge(sg, type, nr_pages);
		limiter = container_of(over, struct swapcg, swap);
		swapcg_refused(sg, limiter, type, nr_pages, false);
		return -ENOMEM;
	}

	css_get_many(&sg->css, nr_pages);
	swapcg_record(entry, nr_pages, sg->css.id);
	return 0;
}

/**
 * __swapcg_try_charge - charge a new swap slot to a group
 * @sg: the group from swapcg_folio_group_get()
 * @folio: the locked folio being swapped out
 * @entry: the slot(s) allocated for @folio, or zero if none was found on
 *	the areas from swapcg_allowed_areas()
 *
 * Return: 0, or -ENOMEM when the group or an ancestor is at its swap.max or
 * at its limit on the slot's area, or forbids the area now, in which case
 * the caller frees the slot and keeps @folio in memory.
 */
int __swapcg_try_charge(struct swapcg *sg, struct folio *folio,
			swp_entry_t entry)
{
	unsigned int nr_pages = folio_nr_pages(folio);
	int ret;

	if (!entry.val) {
		swapcg_no_slot(sg, folio, swapcg_usable_areas(sg, nr_pages));
		return 0;
	}
	if (!swapcg_ids_map(swp_type(entry)))
		return 0;

	ret = swapcg_charge(sg, entry, nr_pages);
	if (ret)
		swapcg_failed(sg, folio);
	return ret;
}

/**
 * __swapcg_swap_out_failed - count a swap-out that another charge failed
 * @sg: the group from swapcg_folio_group_get()
 * @folio: the folio, which stays in memory
 *
 * For when the memory controller refused the slot before this one charged
 * it.
 */
void __swapcg_swap_out_failed(struct swapcg *sg, struct folio *folio)
{
	swapcg_no_slot(sg, folio,
		       swapcg_usable_areas(sg, folio_nr_pages(folio)));
}

/**
 * swapcg_group_put - drop the reference from swapcg_folio_group_get()
 * @sg: the group, or NULL
 */
void swapcg_group_put(struct swapcg *sg)
{
	if (sg)
		css_put(&sg->css);
}

static void swapcg_uncharge_id(unsigned short id, int type,
			       unsigned int nr_pages)
{
	/* The charge being dropped keeps the group alive. */
	struct swapcg *sg = swapcg_from_id(id);

	if (WARN_ON_ONCE(!sg))
		return;
	page_counter_uncharge(&sg->swap, nr_pages);
	swapcg_area_uncharge(sg, type, nr_pages);
	css_put_many(&sg->css, nr_pages);
}

/**
 * __swapcg_uncharge - uncharge swap slots as they are freed
 * @entry: the first slot
 * @nr_pages: how many consecutive slots
 */
void __swapcg_uncharge(swp_entry_t entry, unsigned int nr_pages)
{
	int type = swp_type(entry);
	unsigned short *ids = swapcg_ids_map(type);
	pgoff_t offset = swp_offset(entry);
	unsigned int i, run;

	if (!ids)
		return;

	for (i = 0; i < nr_pages; i += run) {
		unsigned short id = READ_ONCE(ids[offset + i]);

		for (run = 1; i + run < nr_pages; run++) {
			if (READ_ONCE(ids[offset + i + run]) != id)
				break;
		}
		if (!id)
			continue;
		swapcg_record(swp_entry(type, offset + i), run, 0);
		swapcg_uncharge_id(id, type, run);
	}
}

/**
 * __swapcg_swap_full - should a swapped-in folio give up its slot now?
 * @folio: the locked folio, in the swap cache
 *
 * Freeing the slot of a page that is back in memory keeps stale swap cache
 * from eating the quota of a group near its limit.
 *
 * The folio lock keeps the slot, and so its charge, while @folio is in
 * the swap cache.
 *
 * Return: true when the group charged for @folio's slot, or an ancestor,
 * has used half or more of its swap.max.
 */
bool __swapcg_swap_full(struct folio *folio)
{
	unsigned short *ids;
	struct swapcg *sg;
	swp_entry_t entry;
	unsigned short id;
	bool full = false;

	VM_WARN_ON_ONCE_FOLIO(!folio_test_locked(folio), folio);
	if (!folio_test_swapcache(folio))
		return false;
	entry = folio_swap_entry(folio);
	ids = swapcg_ids_map(swp_type(entry));
	if (!ids)
		return false;
	id = READ_ONCE(ids[swp_offset(entry)]);
	if (!id)
		return false;

	/* The slot's charge keeps the group and its ancestors alive. */
	for (sg = swapcg_from_id(id); sg && !swapcg_is_root(sg);
	     sg = swapcg_parent(sg)) {
		unsigned long max = READ_ONCE(sg->swap.max);

		if (max != PAGE_COUNTER_MAX &&
		    page_counter_read(&sg->swap) * 2 >= max) {
			full = true;
			break;
		}
	}
	return full;
}
