// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table of a namespace, and the endpoint table beside it.
 *
 * Flows: an rhashtable of struct ngre_flow keyed by struct ngre_flow_key,
 * looked up under RCU from the packet path in O(1).  Today every flow is a
 * tunnel's static flow (outer source = the tunnel's remote, outer
 * destination = its local address, protocol GRE, and the receive key if
 * it has one), embedded in the tunnel's params; sessions will add theirs.
 *
 * Endpoints: the (remote, local) pairs of the up tunnels, refcounted.  A
 * GRE packet that misses the flow table but hits an endpoint was meant for
 * one of ngre's tunnels with another key (or none); fragments of GRE
 * packets to an endpoint are the ones ngre reassembles.
 *
 * Updates run under the RTNL (the tables take their own bucket locks);
 * removed entries are freed after a grace period.
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
	err = rhashtable_init(&nn->endpoints, &ngre_endpoint_params);
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
	rhashtable_free_and_destroy(&nn->endpoints, ngre_leaked_entry,
				    "endpoint");
}

/* Under RCU. */
struct ngre_flow *ngre_flow_lookup(struct ngre_net *nn,
				   const struct ngre_flow_key *key)
{
	return rhashtable_lookup(&nn->flows, key, ngre_flow_params);
}

/* Under RCU: some up tunnel has this remote and local address. */
bool ngre_endpoint_exists(struct ngre_net *nn, __be32 remote, __be32 local)
{
	struct ngre_endpoint_key key = { .remote = remote, .local = local };

	return rhashtable_lookup(&nn->endpoints, &key, ngre_endpoint_params);
}

static int ngre_endpoint_get(struct ngre_net *nn, __be32 remote, __be32 local)
{
	struct ngre_endpoint_key key = { .remote = remote, .local = local };
	struct ngre_endpoint *ep;
	int err;

	ASSERT_RTNL();
	ep = rhashtable_lookup_fast(&nn->endpoints, &key, ngre_endpoint_params);
	if (ep) {
		ep->refs++;
		return 0;
	}
	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return -ENOMEM;
	ep->key = key;
	ep->refs = 1;
	err = rhashtable_insert_fast(&nn->endpoints, &ep->node,
				     ngre_endpoint_params);
	if (err)
		kfree(ep);
	return err;
}

static void ngre_endpoint_put(struct ngre_net *nn, __be32 remote, __be32 local)
{
	struct ngre_endpoint_key key = { .remote = remote, .local = local };
	struct ngre_endpoint *ep;

	ASSERT_RTNL();
	ep = rhashtable_lookup_fast(&nn->endpoints, &key, ngre_endpoint_params);
	if (WARN_ON_ONCE(!ep) || --ep->refs)
		return;
	rhashtable_remove_fast(&nn->endpoints, &ep->node, ngre_endpoint_params);
	kfree_rcu(ep, rcu);
}

/**
 * ngre_static_flow_link - put new params' static flow in the flow table
 * @nn: the namespace
 * @p: the new params, @p->flow filled, not yet published
 * @old: the params they replace, or NULL
 *
 * If @old's flow has the same key it is replaced in one step, so no packet
 * of a tunnel whose receive side did not change sees a gap.  Otherwise
 * @old's flow (if linked) stays for the caller to unlink.
 *
 * Return: 0; -EEXIST if another tunnel's flow has the key; -ENOMEM.
 */
int ngre_static_flow_link(struct ngre_net *nn, struct ngre_tunnel_params *p,
			  struct ngre_tunnel_params *old)
{
	int err;

	ASSERT_RTNL();
	if (old && old->flow_linked &&
	    !memcmp(&old->flow.key, &p->flow.key, sizeof(p->flow.key))) {
		err = rhashtable_replace_fast(&nn->flows, &old->flow.node,
					      &p->flow.node, ngre_flow_params);
		if (WARN_ON_ONCE(err))
			return err;
		/* The endpoint's reference moves with the flow. */
		old->flow_linked = false;
		p->flow_linked = true;
		return 0;
	}

	err = ngre_endpoint_get(nn, p->flow.key.saddr, p->flow.key.daddr);
	if (err)
		return err;
	err = rhashtable_lookup_insert_fast(&nn->flows, &p->flow.node,
					    ngre_flow_params);
	if (err) {
		ngre_endpoint_put(nn, p->flow.key.saddr, p->flow.key.daddr);
		return err;
	}
	p->flow_linked = true;
	return 0;
}

/* Take @p's static flow out of the flow table (if it is in). */
void ngre_static_flow_unlink(struct ngre_net *nn, struct ngre_tunnel_params *p)
{
	ASSERT_RTNL();
	if (!p->flow_linked)
		return;
	rhashtable_remove_fast(&nn->flows, &p->flow.node, ngre_flow_params);
	ngre_endpoint_put(nn, p->flow.key.saddr, p->flow.key.daddr);
	p->flow_linked = false;
}
