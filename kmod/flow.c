// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table of a namespace, and the endpoint table beside it.
 *
 * Flows: an rhashtable of struct ngre_flow keyed by struct ngre_flow_key,
 * looked up under RCU from the packet path in O(1).  Every flow is a
 * tunnel's static flow (outer source = the tunnel's remote, outer
 * destination = its local address, protocol GRE, the receive key if it
 * has one, and the tunnel's link as the device it arrives on), embedded in
 * the tunnel's params.
 *
 * Endpoints: an rhltable of the up tunnels' (remote, local) pairs, an
 * entry per tunnel with its link, embedded in the params beside the flow.
 * A GRE packet that misses the flow table but hits an endpoint was meant
 * for one of ngre's tunnels, with another key (or none) or on another
 * link; fragments of GRE packets to an endpoint on its link are the ones
 * ngre reassembles.
 *
 * Updates run under the RTNL (the tables take their own bucket locks);
 * the entries are freed with their params, after a grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rhashtable.h>

#include "ngre.h"

static const struct rhashtable_params ngre_flow_params = {
	.key_len		= sizeof(struct ngre_flow_key),
	.key_offset		= offsetof(struct ngre_flow, key),
	.head_offset		= offsetof(struct ngre_flow, node),
	.automatic_shrinking	= true,
};

static const struct rhashtable_params ngre_endpoint_params = {
	.key_len		= sizeof(struct ngre_endpoint_key),
	.key_offset		= offsetof(struct ngre_endpoint, key),
	.head_offset		= offsetof(struct ngre_endpoint, node),
	.automatic_shrinking	= true,
};

int ngre_flow_net_init(struct ngre_net *nn)
{
	int err;

	err = rhashtable_init(&nn->flows, &ngre_flow_params);
	if (err)
		return err;
	err = rhltable_init(&nn->endpoints, &ngre_endpoint_params);
	if (err)
		rhashtable_destroy(&nn->flows);
	return err;
}

static void ngre_leaked_entry(void *ptr, void *arg)
{
	WARN_ONCE(1, "ngre: %s entry left at namespace exit\n",
		  (const char *)arg);
}

/* Every tunnel, and with it every flow and endpoint, is gone by now. */
void ngre_flow_net_exit(struct ngre_net *nn)
{
	rhashtable_free_and_destroy(&nn->flows, ngre_leaked_entry, "flow");
	rhltable_free_and_destroy(&nn->endpoints, ngre_leaked_entry,
				  "endpoint");
}

/* Under RCU. */
struct ngre_flow *ngre_flow_lookup(struct ngre_net *nn,
				   const struct ngre_flow_key *key)
{
	return rhashtable_lookup(&nn->flows, key, ngre_flow_params);
}

/* Under RCU: the entries of the up tunnels from @remote to @local, for
 * rhl_for_each_entry_rcu(); NULL if there are none.
 */
struct rhlist_head *ngre_endpoints(struct ngre_net *nn, __be32 remote,
				   __be32 local)
{
	struct ngre_endpoint_key key = { .remote = remote, .local = local };

	return rhltable_lookup(&nn->endpoints, &key, ngre_endpoint_params);
}

/* Under RCU: is a packet from @remote to @local that came in on @iif for
 * an up tunnel's link, another link, or no tunnel?
 */
enum ngre_endpoint_match ngre_endpoint_match(struct ngre_net *nn,
					     __be32 remote, __be32 local,
					     int iif)
{
	enum ngre_endpoint_match m = NGRE_EP_NONE;
	struct ngre_endpoint *ep;
	struct rhlist_head *pos;

	rhl_for_each_entry_rcu(ep, pos, ngre_endpoints(nn, remote, local),
			       node) {
		if (ep->link == iif)
			return NGRE_EP_LINK;
		m = NGRE_EP_OTHER_LINK;
	}
	return m;
}

static int ngre_endpoint_link(struct ngre_net *nn,
			      struct ngre_tunnel_params *p)
{
	return rhltable_insert(&nn->endpoints, &p->endpoint.node,
			       ngre_endpoint_params);
}

static void ngre_endpoint_unlink(struct ngre_net *nn,
				 struct ngre_tunnel_params *p)
{
	WARN_ON_ONCE(rhltable_remove(&nn->endpoints, &p->endpoint.node,
				     ngre_endpoint_params));
}

/**
 * ngre_static_flow_link - put new params' static flow in the flow table
 * @nn: the namespace
 * @p: the new params, @p->flow filled, not yet published
 * @old: the params they replace, or NULL
 *
 * If @old's flow has the same key it is replaced in one step, so no packet
 * of a tunnel whose receive side did not change sees a gap (the new
 * endpoint is linked before the old one goes).  Otherwise @old's flow (if
 * linked) stays for the caller to unlink.
 *
 * Return: 0; -EEXIST if another tunnel's flow has the key; -ENOMEM.
 */
int ngre_static_flow_link(struct ngre_net *nn, struct ngre_tunnel_params *p,
			  struct ngre_tunnel_params *old)
{
	int err;

	ASSERT_RTNL();
	p->endpoint.key.remote = p->flow.key.saddr;
	p->endpoint.key.local = p->flow.key.daddr;
	p->endpoint.link = p->flow.key.iif;
	err = ngre_endpoint_link(nn, p);
	if (err)
		return err;
	if (old && old->flow_linked &&
	    !memcmp(&old->flow.key, &p->flow.key, sizeof(p->flow.key))) {
		err = rhashtable_replace_fast(&nn->flows, &old->flow.node,
					      &p->flow.node, ngre_flow_params);
		if (WARN_ON_ONCE(err))
			goto unlink_endpoint;
		ngre_endpoint_unlink(nn, old);
		old->flow_linked = false;
		p->flow_linked = true;
		return 0;
	}
	err = rhashtable_lookup_insert_fast(&nn->flows, &p->flow.node,
					    ngre_flow_params);
	if (err)
		goto unlink_endpoint;
	p->flow_linked = true;
	return 0;

unlink_endpoint:
	ngre_endpoint_unlink(nn, p);
	return err;
}

/* Take @p's static flow out of the flow table (if it is in). */
void ngre_static_flow_unlink(struct ngre_net *nn, struct ngre_tunnel_params *p)
{
	ASSERT_RTNL();
	if (!p->flow_linked)
		return;
	rhashtable_remove_fast(&nn->flows, &p->flow.node, ngre_flow_params);
	ngre_endpoint_unlink(nn, p);
	p->flow_linked = false;
}
