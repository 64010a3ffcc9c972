// SPDX-License-Identifier: GPL-2.0
/*
 * The owner of an mm_struct.
 *
 * Every mm has an owning task, mm->owner, at first the task that created it.
 * Controllers charge an mm to the cgroups of its owner, so none of them needs
 * a pointer of its own in the mm.  When the owner exits or execs while others
 * still use the mm, a new owner is chosen, nearest first: another thread of
 * its own thread group, a child, the parent or a sibling, and only then any
 * process on the system.  Kernel threads that borrow an mm are never chosen,
 * and a thread that is exiting itself only when no other thread will do.
 * When nobody is found the owner becomes NULL, which every reader takes as
 * the root group.
 */

#include <linux/mm.h>
#include <linux/mm_owner.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/vmstat.h>

#define CREATE_TRACE_POINTS
#include <trace/events/mm_owner.h>

/* Can @t own @mm?  Kernel threads only borrow an mm. */
static bool mm_owner_candidate(struct task_struct *t, struct mm_struct *mm)
{
	return READ_ONCE(t->mm) == mm && !(t->flags & PF_KTHREAD);
}

/* Publish @new as @mm's owner; @new's task_lock is held unless it is NULL. */
static void mm_owner_set(struct mm_struct *mm, struct task_struct *old,
			 struct task_struct *new, enum mm_owner_way way)
{
	BUILD_BUG_ON(MM_OWNER_BY_CHILD - MM_OWNER_BY_THREAD != MM_OWNER_CHILD);
	BUILD_BUG_ON(MM_OWNER_BY_PARENT - MM_OWNER_BY_THREAD != MM_OWNER_PARENT);
	BUILD_BUG_ON(MM_OWNER_BY_SCAN - MM_OWNER_BY_THREAD != MM_OWNER_SCAN);
	BUILD_BUG_ON(MM_OWNER_NOT_FOUND - MM_OWNER_BY_THREAD != MM_OWNER_NONE);

	rcu_assign_pointer(mm->owner, new);
	if (new)
		lru_gen_migrate_mm(mm);
	if (way != MM_OWNER_LAST)
		count_vm_event(MM_OWNER_BY_THREAD + way);
	trace_mm_owner_change(mm, old, new, way);
}

/* A search for a new owner of @mm, which @old has let go of. */
struct owner_search {
	struct mm_struct *mm;
	struct task_struct *old;
	enum mm_owner_way way;	/* the step searching */
};

/*
 * Make @c the owner if it still uses the mm.  It may have let go of it since
 * it was found; its task_lock keeps c->mm from changing, so that the owner
 * is always a task that uses its mm.
 */
static bool try_owner(struct owner_search *s, struct task_struct *c)
{
	bool done;

	task_lock(c);
	done = c->mm == s->mm;
	if (done)
		mm_owner_set(s->mm, s->old, c, s->way);
	task_unlock(c);
	return done;
}

/*
 * Make a thread of @g's thread group that uses the mm its owner.  The
 * threads of a group share one mm, so the walk ends at the first thread that
 * has another; threads that have let go of theirs, such as a zombie leader,
 * are passed over.
 */
static bool try_group(struct owner_search *s, struct task_struct *g)
{
	struct task_struct *t;

	for_each_thread(g, t) {
		if (mm_owner_candidate(t, s->mm)) {
			if (try_owner(s, t))
				return true;
		} else if (READ_ONCE(t->mm)) {
			break;
		}
	}
	return false;
}

/* The same among the children of @p's thread group, except @skip's. */
static bool try_children(struct owner_search *s, struct task_struct *p,
			 struct task_struct *skip)
{
	struct task_struct *t, *c;

	for_each_thread(p, t) {
		list_for_each_entry(c, &t->children, sibling) {
			if (skip && same_thread_group(c, skip))
				continue;
			if (try_group(s, c))
				return true;
		}
	}
	return false;
}

static bool try_all_processes(struct owner_search *s)
{
	struct task_struct *g;

	for_each_process(g) {
		/* Whoever still holds the mm now may be no task at all. */
		if (atomic_read(&s->mm->mm_users) <= 1)
			break;
		if (g->flags & PF_KTHREAD)
			continue;
		if (try_group(s, g))
			return true;
	}
	return false;
}

/*
 * Another thread of @p's group; @p itself has let go of @mm already.  A
 * thread that is exiting too would soon hand the mm over again, so one that
 * is not is preferred.  When the whole group is exiting, every thread will,
 * in the order in which the kill woke them, which is the order of the
 * thread list: the last thread that has not started to exit yet, or else
 * the last one that has, is likely to be the last to go, and one handover
 * covers most of the group's exit.
 */
static struct task_struct *find_in_thread_group(struct task_struct *p,
						struct mm_struct *mm)
{
	bool group_dying = READ_ONCE(p->signal->flags) & SIGNAL_GROUP_EXIT;
	struct task_struct *t, *live = NULL, *exiting = NULL;

	for_each_thread(p, t) {
		if (t == p || !mm_owner_candidate(t, mm))
			continue;
		if (READ_ONCE(t->flags) & PF_EXITING) {
			if (!exiting || group_dying)
				exiting = t;
			continue;
		}
		live = t;
		if (!group_dying)
			break;
	}
	return live ?: exiting;
}

/*
 * Make a task other than s->old that uses the mm its owner, nearest to
 * s->old first.  Called under rcu_read_lock().  The thread group is walked
 * under RCU alone; the family and the process list need tasklist_lock, whose
 * cost the usual case, a thread leaving a multi-threaded process, does not
 * pay.  A task found that has let go of the mm since is passed over, and the
 * search goes on from there: in the thread group, whose best thread is
 * known only at the end of a walk, by a new walk of the group alone.
 */
static bool owner_search(struct owner_search *s)
{
	struct task_struct *c, *parent, *p = s->old;
	bool found;

	s->way = MM_OWNER_THREAD;
	while ((c = find_in_thread_group(p, s->mm)))
		if (try_owner(s, c))
			return true;

	read_lock(&tasklist_lock);
	s->way = MM_OWNER_CHILD;
	found = try_children(s, p, NULL);
	if (!found) {
		parent = rcu_dereference(p->real_parent);
		s->way = MM_OWNER_PARENT;
		found = try_group(s, parent) || try_children(s, parent, p);
	}
	if (!found) {
		s->way = MM_OWNER_SCAN;
		found = try_all_processes(s);
	}
	read_unlock(&tasklist_lock);
	return found;
}

/**
 * mm_update_next_owner - hand an mm over when its owner lets go of it
 * @mm: the mm that current has just stopped using
 *
 * Called when current has exited or exec'ed, after current->mm was
 * changed.  If current owned @mm and others still use it, one of them
 * becomes the owner; otherwise the owner becomes NULL.
 */
void mm_update_next_owner(struct mm_struct *mm)
{
	struct owner_search s = { .mm = mm, .old = current };
	enum mm_owner_way way = MM_OWNER_LAST;

	if (rcu_access_pointer(mm->owner) != s.old)
		return;

	rcu_read_lock();
	if (atomic_read(&mm->mm_users) > 1) {
		if (owner_search(&s))
			goto out;
		/*
		 * Others may hold @mm, but no task uses it: swapoff, /proc,
		 * ptrace or migration through get_task_mm().
		 */
		if (atomic_read(&mm->mm_users) > 1)
			way = MM_OWNER_NONE;
	}
	mm_owner_set(mm, s.old, NULL, way);
out:
	rcu_read_unlock();
}

#ifdef CONFIG_CGROUPS
/**
 * get_mm_owner_css - get a reference to the css of an mm's owner
 * @mm: the mm
 * @ssid: the controller's subsystem id
 *
 * Like mm_owner_css(), but takes a reference, which the caller drops with
 * css_put().  May be called without rcu_read_lock().
 *
 * Return: the css of @mm's owner for @ssid, or the root css of @ssid.
 */
struct cgroup_subsys_state *get_mm_owner_css(struct mm_struct *mm, int ssid)
{
	struct cgroup_subsys_state *css;

	rcu_read_lock();
	do {
		css = mm_owner_css(mm, ssid);
	} while (!css_tryget(css));
	rcu_read_unlock();
	return css;
}
#endif /* CONFIG_CGROUPS */

/**
 * mm_owner_show - print the MmOwner line of /proc/PID/status
 * @m: the status file
 * @mm: the task's mm
 * @ns: the pid namespace of the reader
 *
 * Shows the thread id of @mm's owner as seen from @ns; 0 when @mm has no
 * owner or the owner is outside @ns.
 */
void mm_owner_show(struct seq_file *m, struct mm_struct *mm,
		   struct pid_namespace *ns)
{
	struct task_struct *owner;
	pid_t nr = 0;

	rcu_read_lock();
	owner = rcu_dereference(mm->owner);
	if (owner)
		nr = task_pid_nr_ns(owner, ns);
	rcu_read_unlock();

	seq_put_decimal_ull(m, "MmOwner:\t", nr);
	seq_putc(m, '\n');
}
