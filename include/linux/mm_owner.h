/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The owner of an mm_struct: the task whose cgroups an mm is charged to.
 */
#ifndef _LINUX_MM_OWNER_H
#define _LINUX_MM_OWNER_H

#include <linux/mm_types.h>
#include <linux/rcupdate.h>
#include <linux/cgroup.h>

struct seq_file;
struct pid_namespace;

/*
 * How a new owner was found when the old one left the mm, in the order the
 * search tries them.  Each way that finds (or fails to find) an owner has a
 * vmstat event; MM_OWNER_LAST, the last user leaving, is only traced.
 */
enum mm_owner_way {
	MM_OWNER_THREAD,	/* another thread of the leaving task's group */
	MM_OWNER_CHILD,		/* a child of the leaving task's group */
	MM_OWNER_PARENT,	/* the parent's group, or a sibling */
	MM_OWNER_SCAN,		/* the scan of every process */
	MM_OWNER_NONE,		/* other users remain, none is a task */
	MM_OWNER_LAST,		/* the owner was the last user */
};

#ifdef CONFIG_MM_OWNER

void mm_update_next_owner(struct mm_struct *mm);
void mm_owner_show(struct seq_file *m, struct mm_struct *mm,
		   struct pid_namespace *ns);

static inline void mm_init_owner(struct mm_struct *mm, struct task_struct *p)
{
	RCU_INIT_POINTER(mm->owner, p);
}

/* Undo mm_init_owner() when a fork that created @mm fails. */
static inline void mm_clear_owner(struct mm_struct *mm, struct task_struct *p)
{
	if (rcu_access_pointer(mm->owner) == p)
		RCU_INIT_POINTER(mm->owner, NULL);
}

#ifdef CONFIG_CGROUPS
/**
 * mm_owner_css - the css of an mm's owner for one controller
 * @mm: the mm
 * @ssid: the controller's subsystem id, e.g. memory_cgrp_id
 *
 * Must be called under rcu_read_lock(); no reference is taken.  An mm that
 * has no owner belongs to the root group.
 *
 * Return: the css of @mm's owner for @ssid, or the root css of @ssid.
 */
static inline struct cgroup_subsys_state *
mm_owner_css(struct mm_struct *mm, int ssid)
{
	struct task_struct *owner = rcu_dereference(mm->owner);

	if (unlikely(!owner))
		return init_css_set.subsys[ssid];
	return task_css(owner, ssid);
}

struct cgroup_subsys_state *get_mm_owner_css(struct mm_struct *mm, int ssid);
#endif /* CONFIG_CGROUPS */

#else /* !CONFIG_MM_OWNER */

static inline void mm_update_next_owner(struct mm_struct *mm)
{
}

static inline void mm_owner_show(struct seq_file *m, struct mm_struct *mm,
				 struct pid_namespace *ns)
{
}

static inline void mm_init_owner(struct mm_struct *mm, struct task_struct *p)
{
}

static inline void mm_clear_owner(struct mm_struct *mm, struct task_struct *p)
{
}

#endif /* CONFIG_MM_OWNER */

#endif /* _LINUX_MM_OWNER_H */
