// SPDX-License-Identifier: GPL-2.0
/*
 * The service area: services by name, the prefix table that finds the
 * most specific service for a new session's first packet, and the load
 * balancer that picks one of its usable next hops.
 *
 * Changes run under the RTNL; lookups run under RCU in the packet path
 * (Documentation/design.rst, "The service area").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <net/route.h>

#include "ngre.h"

/* The key of the prefix table. */
struct ngre_svc_pkey {
	__be32 addr;
	u8 len;
	u8 pad[3];
};

/*
 * struct ngre_svc_node - the services of one prefix, most specific first
 * @node: in ngre_service_table.prefixes
 * @key: the prefix
 * @svcs: struct ngre_svc_match, RCU list; changed under the RTNL
 * @rcu: for freeing after a grace period
 */
struct ngre_svc_node {
	struct rhash_head node;
	struct ngre_svc_pkey key;
	struct list_head svcs;
	struct rcu_head rcu;
};

static const struct rhashtable_params ngre_svc_name_params = {
	.key_len		= NGRE_SERVICE_NAMSIZ,
	.key_offset		= offsetof(struct ngre_service, name),
	.head_offset		= offsetof(struct ngre_service, name_node),
	.automatic_shrinking	= true,
};

static const struct rhashtable_params ngre_svc_prefix_params = {
	.key_len		= sizeof(struct ngre_svc_pkey),
	.key_offset		= offsetof(struct ngre_svc_node, key),
	.head_offset		= offsetof(struct ngre_svc_node, node),
	.automatic_shrinking	= true,
};

/* The seed of the hash balancer: stable while the module is loaded. */
static u32 ngre_lb_seed __read_mostly;

int ngre_service_net_init(struct ngre_net *nn)
{
	struct ngre_service_table *st = &nn->services;
	int err;

	if (!ngre_lb_seed)
		ngre_lb_seed = get_random_u32() | 1;
	INIT_LIST_HEAD(&st->list);
	err = rhashtable_init(&st->names, &ngre_svc_name_params);
	if (err)
		return err;
	err = rhashtable_init(&st->prefixes, &ngre_svc_prefix_params);
	if (err)
		rhashtable_destroy(&st->names);
	return err;
}

static void ngre_svc_node_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* The hooks and the sessions are gone, no reader is left: the services
 * go at once, without a grace period each.
 */
void ngre_service_net_exit(struct ngre_net *nn)
{
	struct ngre_service *svc, *tmp;

	list_for_each_entry_safe(svc, tmp, &nn->services.list, list) {
		list_del(&svc->list);
		ngre_service_put(svc);
	}
	rhashtable_destroy(&nn->services.names);
	rhashtable_free_and_destroy(&nn->services.prefixes,
				    ngre_svc_node_free, NULL);
}

struct ngre_service *ngre_service_alloc(unsigned int n_nh,
					unsigned int n_prefixes,
					unsigned int n_from)
{
	struct ngre_service *svc;

	svc = kzalloc(struct_size(svc, nh, n_nh), GFP_KERNEL);
	if (!svc)
		return NULL;
	svc->match = kcalloc(n_prefixes, sizeof(*svc->match), GFP_KERNEL);
	svc->from = kcalloc(max(n_from, 1U), sizeof(*svc->from), GFP_KERNEL);
	if (!svc->match || !svc->from) {
		kfree(svc->match);
		kfree(svc->from);
		kfree(svc);
		return NULL;
	}
	svc->n_nh = n_nh;
	svc->n_prefixes = n_prefixes;
	svc->n_from = n_from;
	refcount_set(&svc->refs, 1);
	return svc;
}

static void ngre_service_free_rcu(struct rcu_head *head)
{
	struct ngre_service *svc = container_of(head, struct ngre_service, rcu);
	unsigned int i;

	for (i = 0; i < svc->n_nh; i++)
		dst_release(rcu_dereference_protected(svc->nh[i].dst, 1));
	kfree(svc->match);
	kfree(svc->from);
	kfree(svc);
}

/* Drop a reference; the last frees @svc after a grace period. */
void ngre_service_put(struct ngre_service *svc)
{
	if (refcount_dec_and_test(&svc->refs))
		call_rcu(&svc->rcu, ngre_service_free_rcu);
}

/* Under the RTNL. */
struct ngre_service *ngre_service_find(struct ngre_net *nn, const char *name)
{
	char key[NGRE_SERVICE_NAMSIZ] = { };

	strscpy(key, name, sizeof(key));
	return rhashtable_lookup_fast(&nn->services.names, key,
				      ngre_svc_name_params);
}

/*
 * How specific a service is among those of one prefix: protocol and
 * ports over protocol alone over neither; an ingress list breaks ties.
 */
static unsigned int ngre_svc_rank(const struct ngre_service *svc)
{
	return (svc->port_min ? 4 : 0) + (svc->proto ? 2 : 0) +
	       (svc->n_from ? 1 : 0);
}

static int ngre_svc_match_link(struct ngre_service_table *st,
			       struct ngre_svc_match *m)
{
	struct ngre_svc_pkey key = { .addr = m->addr, .len = m->len };
	unsigned int rank = ngre_svc_rank(m->svc);
	struct ngre_svc_node *node;
	struct ngre_svc_match *pos;
	int err;

	node = rhashtable_lookup_fast(&st->prefixes, &key,
				      ngre_svc_prefix_params);
	if (!node) {
		node = kzalloc(sizeof(*node), GFP_KERNEL);
		if (!node)
			return -ENOMEM;
		node->key = key;
		INIT_LIST_HEAD(&node->svcs);
		err = rhashtable_insert_fast(&st->prefixes, &node->node,
					     ngre_svc_prefix_params);
		if (err) {
			kfree(node);
			return err;
		}
		if (!st->plen_refs[key.len]++)
			WRITE_ONCE(st->plens, st->plens | BIT_ULL(key.len));
	}
	/* Before the first less specific one: readers take the first. */
	list_for_each_entry(pos, &node->svcs, list) {
		if (ngre_svc_rank(pos->svc) < rank)
			break;
	}
	list_add_tail_rcu(&m->list, &pos->list);
	m->linked = true;
	return 0;
}

static void ngre_svc_match_unlink(struct ngre_service_table *st,
				  struct ngre_svc_match *m)
{
	struct ngre_svc_pkey key = { .addr = m->addr, .len = m->len };
	struct ngre_svc_node *node;

	if (!m->linked)
		return;
	/* A reader on @m goes on to the rest of the list. */
	list_del_rcu(&m->list);
	m->linked = false;
	node = rhashtable_lookup_fast(&st->prefixes, &key,
				      ngre_svc_prefix_params);
	if (WARN_ON_ONCE(!node) || !list_empty(&node->svcs))
		return;
	rhashtable_remove_fast(&st->prefixes, &node->node,
			       ngre_svc_prefix_params);
	if (!--st->plen_refs[key.len])
		WRITE_ONCE(st->plens, st->plens & ~BIT_ULL(key.len));
	kfree_rcu(node, rcu);
}

static void ngre_svc_unlink_matches(struct ngre_service_table *st,
				    struct ngre_service *svc)
{
	unsigned int i;

	for (i = 0; i < svc->n_prefixes; i++)
		ngre_svc_match_unlink(st, &svc->match[i]);
}

/* The device named @name in @net (a tunnel if @tunnel), or 0. */
static int ngre_resolve(struct net *net, const char *name, bool tunnel)
{
	struct net_device *dev = __dev_get_by_name(net, name);

	if (!dev || (tunnel && !ngre_is_tunnel_dev(dev)))
		return 0;
	return dev->ifindex;
}

static void ngre_service_resolve(struct net *net, struct ngre_service *svc)
{
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < svc->n_nh; i++)
		WRITE_ONCE(svc->nh[i].ifindex,
			   ngre_resolve(net, svc->nh[i].ifname,
					svc->nh[i].kind == NGRE_NH_TUNNEL));
	for (i = 0; i < svc->n_from; i++)
		WRITE_ONCE(svc->from[i].ifindex,
			   ngre_resolve(net, svc->from[i].ifname, false));
}

/* A device appeared, went or was renamed: resolve every name again. */
void ngre_services_resolve(struct ngre_net *nn)
{
	struct ngre_service *svc;

	list_for_each_entry(svc, &nn->services.list, list)
		ngre_service_resolve(nn->net, svc);
}

/* Drop the route that @nh keeps, if it goes through @dev (any, if NULL).
 * The packet path may replace it meanwhile: only the one read is taken.
 */
static void ngre_nh_forget_route(struct ngre_nh *nh,
				 const struct net_device *dev)
{
	struct dst_entry *dst;

	rcu_read_lock();
	dst = rcu_dereference(nh->dst);
	if (dst && (!dev || dst->dev == dev) &&
	    unrcu_pointer(cmpxchg(&nh->dst, RCU_INITIALIZER(dst), NULL)) == dst)
		dst_release(dst);
	rcu_read_unlock();
}

/*
 * @dev is being unregistered: drop the routes through it that next hops
 * keep.  Their sessions have ended, and none can take @dev any more (it
 * has been down for a grace period), so no route through it comes back.
 * Services that are no longer listed dropped theirs when they were
 * unlisted (ngre_service_end_sessions()).
 */
void ngre_services_forget_dev(struct ngre_net *nn, struct net_device *dev)
{
	struct ngre_service *svc;
	unsigned int i;

	list_for_each_entry(svc, &nn->services.list, list)
		for (i = 0; i < svc->n_nh; i++)
			ngre_nh_forget_route(&svc->nh[i], dev);
}

static bool ngre_session_of_svc(const struct ngre_session *s, const void *svc)
{
	return s->svc == svc;
}

/* @svc is no longer reachable from the lookup: once no reader can have
 * found it any more (a grace period), end the sessions it made, and drop
 * the routes its next hops keep (a packet of an ending session may still
 * make one again; it goes when @svc is freed, after that session).
 */
static void ngre_service_end_sessions(struct ngre_net *nn,
				      struct ngre_service *svc)
{
	unsigned int i;

	synchronize_net();
	ngre_sessions_end_if(nn, ngre_session_of_svc, svc,
			     NGRE_STAT(SESSION_ENDED));
	for (i = 0; i < svc->n_nh; i++)
		ngre_nh_forget_route(&svc->nh[i], NULL);
}

/* Each service is a user of the session hooks. */
static int ngre_service_count_inc(struct ngre_net *nn,
				  struct netlink_ext_ack *extack)
{
	int err;

	if (nn->services.count >= NGRE_MAX_SERVICES) {
		NL_SET_ERR_MSG(extack, "service limit of the namespace reached");
		return -ENOSPC;
	}
	err = ngre_hooks_get(nn, NGRE_HOOKS_SESSION, extack);
	if (err)
		return err;
	nn->services.count++;
	return 0;
}

static void ngre_service_count_dec(struct ngre_net *nn)
{
	nn->services.count--;
	ngre_hooks_put(nn, NGRE_HOOKS_SESSION);
}

/*
 * Make @svc findable by its prefixes.  On error it is not, and the
 * sessions that readers may have made with it in the meantime are ended.
 */
static int ngre_service_link(struct ngre_net *nn, struct ngre_service *svc)
{
	unsigned int i;
	int err;

	for (i = 0; i < svc->n_prefixes; i++) {
		svc->match[i].svc = svc;
		err = ngre_svc_match_link(&nn->services, &svc->match[i]);
		if (err) {
			ngre_svc_unlink_matches(&nn->services, svc);
			ngre_service_end_sessions(nn, svc);
			return err;
		}
	}
	return 0;
}

/**
 * ngre_service_add - publish a new service, or replace one
 * @nn: the namespace
 * @svc: the new service, complete; the table takes its reference
 * @old: the service of that name it replaces, or NULL
 * @extack: for the error message
 *
 * Under the RTNL.  The sessions of @old end.  On error nothing changed
 * and @svc is the caller's to put.
 *
 * Return: 0, or a negative errno with the extack set.
 */
int ngre_service_add(struct ngre_net *nn, struct ngre_service *svc,
		     struct ngre_service *old, struct netlink_ext_ack *extack)
{
	struct ngre_service_table *st = &nn->services;
	int err;

	ASSERT_RTNL();
	if (!old) {
		err = ngre_service_count_inc(nn, extack);
		if (err)
			return err;
		err = rhashtable_lookup_insert_fast(&st->names, &svc->name_node,
						    ngre_svc_name_params);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot index the service's name");
			goto err_count;
		}
	}
	/* Next hops resolved before the first packet can find it. */
	ngre_service_resolve(nn->net, svc);
	err = ngre_service_link(nn, svc);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot index the service's prefixes");
		goto err_name;
	}
	st->gen++;
	if (!old) {
		list_add_tail(&svc->list, &st->list);
		return 0;
	}
	WARN_ON_ONCE(rhashtable_replace_fast(&st->names, &old->name_node,
					     &svc->name_node,
					     ngre_svc_name_params));
	list_replace(&old->list, &svc->list);
	ngre_svc_unlink_matches(st, old);
	ngre_service_end_sessions(nn, old);
	ngre_service_put(old);
	return 0;

err_name:
	if (old)
		return err;
	rhashtable_remove_fast(&st->names, &svc->name_node,
			       ngre_svc_name_params);
err_count:
	ngre_service_count_dec(nn);
	return err;
}

/* Delete @svc: no new session finds it, its sessions end.  RTNL. */
void ngre_service_del(struct ngre_net *nn, struct ngre_service *svc)
{
	struct ngre_service_table *st = &nn->services;

	ASSERT_RTNL();
	rhashtable_remove_fast(&st->names, &svc->name_node,
			       ngre_svc_name_params);
	ngre_svc_unlink_matches(st, svc);
	list_del(&svc->list);
	st->gen++;
	ngre_service_end_sessions(nn, svc);
	ngre_service_count_dec(nn);
	ngre_service_put(svc);
}

/* ---- the packet path ------------------------------------------------------ */

static bool ngre_svc_from_ok(const struct ngre_service *svc, int iif)
{
	unsigned int i;

	if (!svc->n_from)
		return true;
	for (i = 0; i < svc->n_from; i++) {
		if (READ_ONCE(svc->from[i].ifindex) == iif)
			return true;
	}
	return false;
}

static bool ngre_svc_matches(const struct ngre_service *svc,
			     const struct ngre_skey *key, int iif)
{
	u16 port;

	if (svc->proto && svc->proto != key->proto)
		return false;
	if (svc->port_min) {
		port = ntohs(key->dport);
		if (port < svc->port_min || port > svc->port_max)
			return false;
	}
	return ngre_svc_from_ok(svc, iif);
}

/**
 * ngre_service_lookup - the service a new session's first packet belongs to
 * @nn: the namespace
 * @key: the packet's forward key
 * @iif: the interface it arrived on
 *
 * The longest prefix first; among the services of one prefix, the most
 * specific (ngre_svc_rank()).  At most 33 hash lookups, whatever the
 * number of services.  Under RCU.
 *
 * Return: the service, or NULL.
 */
struct ngre_service *ngre_service_lookup(struct ngre_net *nn,
					 const struct ngre_skey *key, int iif)
{
	struct ngre_service_table *st = &nn->services;
	u64 plens = READ_ONCE(st->plens);
	struct ngre_svc_match *m;
	struct ngre_svc_node *node;
	struct ngre_svc_pkey pk;
	int len;

	while (plens) {
		len = fls64(plens) - 1;
		plens &= ~BIT_ULL(len);
		memset(&pk, 0, sizeof(pk));
		pk.len = len;
		pk.addr = key->daddr & inet_make_mask(len);
		node = rhashtable_lookup(&st->prefixes, &pk,
					 ngre_svc_prefix_params);
		if (!node)
			continue;
		list_for_each_entry_rcu(m, &node->svcs, list) {
			if (ngre_svc_matches(m->svc, key, iif))
				return m->svc;
		}
	}
	return NULL;
}

/* Under RCU: the gateway @gw has a route through @dev; its next hop (the
 * gateway itself when it is on-link) in @nexthop.
 */
static bool ngre_gw_routed(struct net *net, __be32 gw, struct net_device *dev,
			   __be32 *nexthop)
{
	struct flowi4 fl4 = { .daddr = gw };
	struct rtable *rt;
	bool ok;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return false;
	ok = rt->dst.dev == dev && rt->rt_type == RTN_UNICAST;
	*nexthop = rt_nexthop(rt, gw);
	ip_rt_put(rt);
	return ok;
}

/**
 * ngre_nh_usable - a next hop can take a session now
 * @net: the namespace
 * @nh: the next hop
 * @devp: its device, if usable
 * @gw: the address of the neighbour to send to, 0 for the destination
 *	(a tunnel, or a device on-link)
 *
 * Usable: a tunnel that is up with carrier (oper-up), a device up with
 * carrier, a gateway with a route through its device.  Under RCU.
 *
 * Return: @nh is usable (then @devp and @gw are set).
 */
bool ngre_nh_usable(struct net *net, const struct ngre_nh *nh,
		    struct net_device **devp, __be32 *gw)
{
	int ifindex = READ_ONCE(nh->ifindex);
	struct net_device *dev;

	if (!ifindex)
		return false;
	dev = dev_get_by_index_rcu(net, ifindex);
	if (!dev || !ngre_dev_usable(dev))
		return false;
	*gw = 0;
	if (nh->kind == NGRE_NH_GATEWAY && !ngre_gw_routed(net, nh->gw, dev, gw))
		return false;
	*devp = dev;
	return true;
}

static u32 ngre_skey_hash(const struct ngre_skey *key)
{
	return jhash_3words((__force u32)key->saddr, (__force u32)key->daddr,
			    ((__force u32)key->sport << 16 |
			     (__force u32)key->dport) ^ key->proto,
			    ngre_lb_seed);
}

/* The next hops the load balancer chooses among, each with the device
 * and neighbour that ngre_nh_usable() found for it.
 */
struct ngre_nh_cands {
	struct net_device *dev[NGRE_MAX_NEXTHOPS];
	__be32 gw[NGRE_MAX_NEXTHOPS];
	u8 idx[NGRE_MAX_NEXTHOPS];
};

/* The usable next hops of @svc (those hunt wants: the lowest priority
 * only) in @c; their number.
 */
static unsigned int ngre_nh_candidates(struct net *net,
				       struct ngre_service *svc,
				       struct ngre_nh_cands *c)
{
	u32 best = U32_MAX;
	unsigned int i, n = 0;

	for (i = 0; i < svc->n_nh; i++) {
		if (svc->lb == NGRE_LB_HUNT && svc->nh[i].priority > best)
			continue;
		if (!ngre_nh_usable(net, &svc->nh[i], &c->dev[n], &c->gw[n]))
			continue;
		if (svc->lb == NGRE_LB_HUNT && svc->nh[i].priority < best) {
			best = svc->nh[i].priority;
			c->dev[0] = c->dev[n];
			c->gw[0] = c->gw[n];
			n = 0;
		}
		c->idx[n++] = i;
	}
	return n;
}

/* Proportional: the @c-th new session, spread by weight; the position
 * in @idx of the next hop it goes to.
 */
static unsigned int ngre_nh_by_weight(struct ngre_service *svc,
				      const u8 *idx, unsigned int n, u32 c)
{
	u32 total = 0, pos;
	unsigned int i;

	/* At most NGRE_MAX_NEXTHOPS weights of at most 65535: no overflow. */
	BUILD_BUG_ON((u64)NGRE_MAX_NEXTHOPS * 65535 > U32_MAX);
	for (i = 0; i < n; i++)
		total += svc->nh[idx[i]].weight;
	pos = c % total;
	for (i = 0; i < n - 1; i++) {
		if (pos < svc->nh[idx[i]].weight)
			break;
		pos -= svc->nh[idx[i]].weight;
	}
	return i;
}

/**
 * ngre_nh_pick - the load balancer: a usable next hop for a new session
 * @net: the namespace
 * @svc: the service
 * @key: the session's forward key
 * @nhp: the next hop chosen
 * @gw: its neighbour address, 0 for the destination itself
 *
 * Under RCU.
 *
 * Return: the next hop's device, or NULL if none is usable.
 */
struct net_device *ngre_nh_pick(struct net *net, struct ngre_service *svc,
				const struct ngre_skey *key,
				struct ngre_nh **nhp, __be32 *gw)
{
	struct ngre_nh_cands c;
	unsigned int n, i;

	n = ngre_nh_candidates(net, svc, &c);
	if (!n)
		return NULL;
	switch (svc->lb) {
	case NGRE_LB_ROUND_ROBIN:
		i = (u32)atomic_inc_return(&svc->rr) % n;
		break;
	case NGRE_LB_PROPORTIONAL:
		i = ngre_nh_by_weight(svc, c.idx, n,
				      atomic_inc_return(&svc->rr));
		break;
	default:	/* hash, and hunt among equal priorities */
		i = reciprocal_scale(ngre_skey_hash(key), n);
		break;
	}
	*nhp = &svc->nh[c.idx[i]];
	*gw = c.gw[i];
	return c.dev[i];
}
