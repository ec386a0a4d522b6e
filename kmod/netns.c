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

/* ---- the hooks, with their users --------------------------------------------
 *
 * A namespace without tunnels or services pays nothing for ngre: its hooks
 * are registered with the first user of their group and unregistered a
 * while after the last (design.rst, "Hooks on demand").  Unregistration
 * drops every packet the namespace has queued to user space (NFQUEUE), so
 * configuration that comes and goes must not make the hooks come and go.
 */

static const struct {
	int (*reg)(struct net *net);
	void (*unreg)(struct net *net);
} ngre_hook_groups[NGRE_HOOKS_N] = {
	[NGRE_HOOKS_GRE] = {
		ngre_gre_hooks_register, ngre_gre_hooks_unregister,
	},
	[NGRE_HOOKS_SESSION] = {
		ngre_session_hooks_register, ngre_session_hooks_unregister,
	},
};

/**
 * ngre_hooks_get - a new user of a group of hooks
 * @nn: the namespace
 * @group: which hooks
 * @extack: for the error message
 *
 * Registers the group's hooks if they are not in.  Under the RTNL.
 * Return: 0, or the registration's error (nothing changed).
 */
int ngre_hooks_get(struct ngre_net *nn, enum ngre_hook_group group,
		   struct netlink_ext_ack *extack)
{
	struct ngre_hooks *h = &nn->hooks;
	int err;

	ASSERT_RTNL();
	if (WARN_ON_ONCE(h->dying))
		return -ENODEV;
	if (!h->registered[group]) {
		err = ngre_hook_groups[group].reg(nn->net);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot register ngre's netfilter hooks");
			return err;
		}
		h->registered[group] = true;
	}
	h->users[group]++;
	return 0;
}

/**
 * ngre_hooks_put - a user of a group of hooks is gone
 * @nn: the namespace
 * @group: which hooks
 *
 * The last one schedules their unregistration.  Under the RTNL.
 */
void ngre_hooks_put(struct ngre_net *nn, enum ngre_hook_group group)
{
	struct ngre_hooks *h = &nn->hooks;

	ASSERT_RTNL();
	if (WARN_ON_ONCE(!h->users[group]))
		return;
	if (!--h->users[group] && !h->dying)
		mod_delayed_work(system_wq, &h->release, NGRE_HOOKS_LINGER);
}

/* Unregister the groups without users, or every group once the
 * namespace is dying.  Under the RTNL.
 */
static void ngre_hooks_unused_unregister(struct ngre_net *nn)
{
	struct ngre_hooks *h = &nn->hooks;
	int g;

	ASSERT_RTNL();
	for (g = 0; g < NGRE_HOOKS_N; g++) {
		if (h->registered[g] && (!h->users[g] || h->dying)) {
			ngre_hook_groups[g].unreg(nn->net);
			h->registered[g] = false;
		}
	}
}

static void ngre_hooks_release(struct work_struct *work)
{
	struct ngre_net *nn = container_of(to_delayed_work(work),
					   struct ngre_net, hooks.release);

	rtnl_lock();
	ngre_hooks_unused_unregister(nn);
	rtnl_unlock();
}

/* ---- the namespace ----------------------------------------------------------- */

static int __net_init ngre_net_init(struct net *net)
{
	struct ngre_net *nn = ngre_pernet(net);
	int err;

	nn->net = net;
	INIT_DELAYED_WORK(&nn->hooks.release, ngre_hooks_release);
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
	/* The hooks come with the first tunnel or service. */
	return 0;

err_service:
	ngre_session_net_exit(nn);
err_session:
	ngre_flow_net_exit(nn);
err_flow:
	ngre_stats_net_exit(nn);
	return err;
}

/* The hooks go first, whatever their users: nf_unregister_net_hook()
 * does not wait for the packets in them, the grace period between
 * pre_exit and exit does.  The tunnels' devices go after this, and their
 * puts schedule nothing any more; a release already scheduled finds
 * nothing to do.
 */
static void __net_exit ngre_net_pre_exit(struct net *net)
{
	struct ngre_net *nn = ngre_pernet(net);

	rtnl_lock();
	nn->hooks.dying = true;
	ngre_hooks_unused_unregister(nn);
	rtnl_unlock();
	cancel_delayed_work_sync(&nn->hooks.release);
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
