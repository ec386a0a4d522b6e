// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: struct ngre_net, created when a namespace
 * appears (or for every existing one when the module loads) and destroyed
 * when it goes away (or when the module unloads).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rtnetlink.h>

#include "ngre.h"

unsigned int ngre_net_id __read_mostly;

static int __net_init ngre_net_init(struct net *net)
{
	struct ngre_net *nn = ngre_pernet(net);
	int err;

	nn->net = net;
	INIT_LIST_HEAD(&nn->tunnels);
	nn->max_tunnels = NGRE_DEFAULT_MAX_TUNNELS;
	err = ngre_stats_net_init(nn);
	if (err)
		return err;
	err = ngre_flow_net_init(nn);
	if (err)
		goto err_flow;
	err = ngre_session_net_init(nn);
	if (err)
		goto err_session;
	err = ngre_service_net_init(nn);
	if (err)
		goto err_service;
	/* Last: once the hook is in, packets use the tables.  The session
	 * hooks come with the first service.
	 */
	err = ngre_hook_register(net);
	if (err)
		goto err_hook;
	return 0;

err_hook:
	ngre_service_net_exit(nn);
err_service:
	ngre_session_net_exit(nn);
err_session:
	ngre_flow_net_exit(nn);
err_flow:
	ngre_stats_net_exit(nn);
	return err;
}

/* The hook goes first: nf_unregister_net_hook() does not wait for the
 * packets in it, the grace period between pre_exit and exit does.
 */
static void __net_exit ngre_net_pre_exit(struct net *net)
{
	ngre_hook_unregister(net);
	rtnl_lock();
	ngre_session_hooks_unregister(net);
	rtnl_unlock();
}

/* The namespace's devices, tunnels among them, were unregistered by the
 * core's device exit before this runs; with them went every flow and
 * every session that used them.  The rest of the sessions, then the
 * services, go now.
 */
static void __net_exit ngre_net_exit(struct net *net)
{
	struct ngre_net *nn = ngre_pernet(net);

	WARN_ON_ONCE(!list_empty(&nn->tunnels));
	ngre_session_net_exit(nn);
	ngre_service_net_exit(nn);
	ngre_flow_net_exit(nn);
	ngre_stats_net_exit(nn);
}

static struct pernet_operations ngre_net_ops = {
	.init	= ngre_net_init,
	.pre_exit = ngre_net_pre_exit,
	.exit	= ngre_net_exit,
	.id	= &ngre_net_id,
	.size	= sizeof(struct ngre_net),
};

int ngre_netns_init(void)
{
	return register_pernet_subsys(&ngre_net_ops);
}

void ngre_netns_exit(void)
{
	unregister_pernet_subsys(&ngre_net_ops);
}
