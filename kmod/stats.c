// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath counters of a namespace: per-CPU, incremented lockless by
 * ngre_stat_inc() (ngre.h), summed here for NGRE_CMD_STATS_GET.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "ngre.h"

/* Sum the counters of every CPU into @out[NGRE_STATS_N]. */
void ngre_stats_read(struct ngre_net *nn, u64 *out)
{
	int cpu, i;

	memset(out, 0, NGRE_STATS_N * sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct ngre_pcpu_stats *s = per_cpu_ptr(nn->stats, cpu);
		u64 v[NGRE_STATS_N];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < NGRE_STATS_N; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < NGRE_STATS_N; i++)
			out[i] += v[i];
	}
}

int ngre_stats_net_init(struct ngre_net *nn)
{
	int cpu;

	nn->stats = alloc_percpu(struct ngre_pcpu_stats);
	if (!nn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(nn->stats, cpu)->syncp);
	return 0;
}

void ngre_stats_net_exit(struct ngre_net *nn)
{
	free_percpu(nn->stats);
}
