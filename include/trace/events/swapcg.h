/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM swapcg

#if !defined(_TRACE_SWAPCG_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_SWAPCG_H

#include <linux/tracepoint.h>

/*
 * Groups are named by their cgroup id, the inode number of the group's
 * directory on cgroup v2.  An area is its swap type and the device that
 * holds it.
 */

TRACE_EVENT(swapcg_charge_refused,
	    TP_PROTO(u64 cgroup, u64 limit_cgroup, int area, dev_t dev,
		     unsigned int nr_pages, bool by_area),
	    TP_ARGS(cgroup, limit_cgroup, area, dev, nr_pages, by_area),
	    TP_STRUCT__entry(__field(u64, cgroup)
			     __field(u64, limit_cgroup)
			     __field(int, area)
			     __field(dev_t, dev)
			     __field(unsigned int, nr_pages)
			     __field(bool, by_area)),
	    TP_fast_assign(__entry->cgroup = cgroup;
			   __entry->limit_cgroup = limit_cgroup;
			   __entry->area = area;
			   __entry->dev = dev;
			   __entry->nr_pages = nr_pages;
			   __entry->by_area = by_area;),
	    TP_printk("cgroup=%llu limit_cgroup=%llu area=%d dev=%u:%u nr_pages=%u limit=%s",
		      __entry->cgroup, __entry->limit_cgroup, __entry->area,
		      MAJOR(__entry->dev), MINOR(__entry->dev),
		      __entry->nr_pages,
		      __entry->by_area ? "swap.devices" : "swap.max")
);

TRACE_EVENT(swapcg_alloc_failed,
	    TP_PROTO(u64 cgroup, unsigned int nr_pages, unsigned long areas),
	    TP_ARGS(cgroup, nr_pages, areas),
	    TP_STRUCT__entry(__field(u64, cgroup)
			     __field(unsigned int, nr_pages)
			     __field(unsigned long, areas)),
	    TP_fast_assign(__entry->cgroup = cgroup;
			   __entry->nr_pages = nr_pages;
			   __entry->areas = areas;),
	    TP_printk("cgroup=%llu nr_pages=%u areas=%#lx",
		      __entry->cgroup, __entry->nr_pages, __entry->areas)
);

#endif /* _TRACE_SWAPCG_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
