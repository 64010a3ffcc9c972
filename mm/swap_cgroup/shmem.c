// SPDX-License-Identifier: GPL-2.0
/*
 * The swap cgroup controller: tmpfs and shm files.
 *
 * A tmpfs or shm page has no mm to find its group through: the file is tied
 * to the group of the task that created it, and its pages are charged there
 * when they are swapped out.  The tie does not pin the group: when the group
 * goes offline its ties move to its parent, as memcg's obj_cgroups do, so a
 * file that outlives its group neither keeps the group, and its two-byte id,
 * alive nor charges a group that is gone.
 */

#include <linux/cgroup.h>
#include <linux/mm_owner.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swapcg.h>

#include "internal.h"

/* Protects the lists of ties of all groups. */
static DEFINE_SPINLOCK(swapcg_ties_lock);

/**
 * swapcg_ties_init - give a new group the tie that its new files take
 * @sg: the group, just allocated
 * @root: whether @sg is the root, which is not charged: its files need none
 *
 * Return: 0, or -ENOMEM.
 */
int swapcg_ties_init(struct swapcg *sg, bool root)
{
	struct swapcg_tie *tie;

	INIT_LIST_HEAD(&sg->ties);
	if (root)
		return 0;

	tie = kzalloc(sizeof(*tie), GFP_KERNEL_ACCOUNT);
	if (!tie)
		return -ENOMEM;
	RCU_INIT_POINTER(tie->sg, sg);
	refcount_set(&tie->ref, 1);	/* the group's */
	list_add(&tie->node, &sg->ties);
	RCU_INIT_POINTER(sg->tie, tie);
	return 0;
}

static void swapcg_tie_put(struct swapcg_tie *tie)
{
	if (!refcount_dec_and_test(&tie->ref))
		return;
	spin_lock(&swapcg_ties_lock);
	list_del(&tie->node);
	spin_unlock(&swapcg_ties_lock);
	kfree_rcu(tie, rcu);
}

/**
 * swapcg_ties_offline - hand a group's files over to its parent
 * @sg: the group going offline
 */
void swapcg_ties_offline(struct swapcg *sg)
{
	struct swapcg *parent = swapcg_parent(sg);
	struct swapcg_tie *tie, *own;

	spin_lock(&swapcg_ties_lock);
	list_for_each_entry(tie, &sg->ties, node)
		rcu_assign_pointer(tie->sg, parent);
	list_splice_init(&sg->ties, &parent->ties);
	own = rcu_replace_pointer(sg->tie, NULL,
				  lockdep_is_held(&swapcg_ties_lock));
	spin_unlock(&swapcg_ties_lock);

	if (own)
		swapcg_tie_put(own);
}

/**
 * __swapcg_shmem_init - tie a new tmpfs or shm inode to a group
 * @info: the new inode
 *
 * The inode's pages are charged to the group of the owner of the mm of the
 * task that creates it, or to an ancestor once that group is gone.
 */
void __swapcg_shmem_init(struct shmem_inode_info *info)
{
	struct mm_struct *mm = current->mm;
	struct swapcg_tie *tie = NULL;
	struct swapcg *sg;

	if (!mm || (current->flags & PF_KTHREAD))
		return;

	rcu_read_lock();
	/* The group may go offline meanwhile: then take its parent's tie. */
	for (sg = css_swapcg(mm_owner_css(mm, swap_cgrp_id));
	     !swapcg_is_root(sg); sg = swapcg_parent(sg)) {
		tie = rcu_dereference(sg->tie);
		if (tie && refcount_inc_not_zero(&tie->ref))
			break;
		tie = NULL;
	}
	rcu_read_unlock();
	info->swapcg_tie = tie;
}

/**
 * swapcg_shmem_free - untie an evicted tmpfs or shm inode from its group
 * @info: the inode
 */
void swapcg_shmem_free(struct shmem_inode_info *info)
{
	if (info->swapcg_tie) {
		swapcg_tie_put(info->swapcg_tie);
		info->swapcg_tie = NULL;
	}
}

/**
 * swapcg_shmem_css_get - the group that a tmpfs or shm folio is charged to
 * @folio: the locked folio, in the page cache of a tmpfs or shm inode
 *
 * Return: the css of the group, with a reference, or NULL when the inode
 * has no group.
 */
struct cgroup_subsys_state *swapcg_shmem_css_get(struct folio *folio)
{
	struct swapcg_tie *tie = SHMEM_I(folio->mapping->host)->swapcg_tie;
	struct swapcg *sg;

	if (!tie)
		return NULL;
	rcu_read_lock();
	/* A group whose last reference is gone has handed its ties over. */
	do {
		sg = rcu_dereference(tie->sg);
	} while (!css_tryget(&sg->css));
	rcu_read_unlock();
	return &sg->css;
}
