/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mm_owner

#if !defined(_TRACE_MM_OWNER_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_MM_OWNER_H

#include <linux/tracepoint.h>
#include <linux/mm_owner.h>

TRACE_DEFINE_ENUM(MM_OWNER_THREAD);
TRACE_DEFINE_ENUM(MM_OWNER_CHILD);
TRACE_DEFINE_ENUM(MM_OWNER_PARENT);
TRACE_DEFINE_ENUM(MM_OWNER_SCAN);
TRACE_DEFINE_ENUM(MM_OWNER_NONE);
TRACE_DEFINE_ENUM(MM_OWNER_LAST);

TRACE_EVENT(mm_owner_change,
	    TP_PROTO(struct mm_struct *mm, struct task_struct *old,
		     struct task_struct *new, enum mm_owner_way way),
	    TP_ARGS(mm, old, new, way),
	    TP_STRUCT__entry(__field(const void *, mm)
			     __field(pid_t, old_pid)
			     __field(pid_t, new_pid)
			     __field(int, way)),
	    TP_fast_assign(__entry->mm = mm;
			   __entry->old_pid = old ? old->pid : 0;
			   __entry->new_pid = new ? new->pid : 0;
			   __entry->way = way;),
	    TP_printk("mm=%p old_pid=%d new_pid=%d way=%s",
		      __entry->mm, __entry->old_pid, __entry->new_pid,
		      __print_symbolic(__entry->way,
				       { MM_OWNER_THREAD, "thread" },
				       { MM_OWNER_CHILD, "child" },
				       { MM_OWNER_PARENT, "parent" },
				       { MM_OWNER_SCAN, "scan" },
				       { MM_OWNER_NONE, "none" },
				       { MM_OWNER_LAST, "last" }))
);

#endif /* _TRACE_MM_OWNER_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
