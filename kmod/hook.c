// SPDX-License-Identifier: GPL-2.0
/*
 * The NF_INET_PRE_ROUTING hook: the entry of ngre's receive datapath.
 *
 * Priority: NGRE_HOOK_PRIORITY runs after IPv4 defragmentation
 * (NF_IP_PRI_CONNTRACK_DEFRAG, -400), so a fragmented GRE packet is seen
 * whole where defragmentation is enabled (the defrag hook is registered
 * per namespace on demand; the datapath enables it in namespaces that
 * have tunnels), and before the raw table (-300) and conntrack (-200),
 * so the outer GRE packets of ngre's tunnels never create conntrack
 * entries: the inner packets do, when they come back through PRE_ROUTING
 * on the tunnel device.
 *
 * Anything the hook does not recognise is accepted untouched: loading
 * ngre must never change the fate of traffic that matches nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netfilter_ipv4.h>

#include "ngre.h"

#define NGRE_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK_DEFRAG + 1)

static unsigned int ngre_hook_prerouting(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static const struct nf_hook_ops ngre_hook_ops = {
	.hook		= ngre_hook_prerouting,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_PRE_ROUTING,
	.priority	= NGRE_HOOK_PRIORITY,
};

int ngre_hook_register(struct net *net)
{
	struct ngre_net *nn = ngre_pernet(net);
	int err;

	err = nf_register_net_hook(net, &ngre_hook_ops);
	if (err)
		return err;
	nn->hook_registered = true;
	return 0;
}

void ngre_hook_unregister(struct net *net)
{
	struct ngre_net *nn = ngre_pernet(net);

	if (!nn->hook_registered)
		return;
	nf_unregister_net_hook(net, &ngre_hook_ops);
	nn->hook_registered = false;
}
