// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel configuration: defaults, validation, and the derived state of a
 * tunnel (the device its outer packets leave on, its effective source
 * address, whether it is operational and why not).
 *
 * Everything here runs under the RTNL.  A change builds a new
 * struct ngre_tunnel_params and publishes it with RCU (see ngre.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/ip.h>

#include "ngre.h"

void ngre_cfg_defaults(struct ngre_tunnel_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->local_mode = NGRE_LOCAL_INHERIT;
	cfg->ttl = NGRE_DEFAULT_TTL;
	cfg->pmtudisc = true;
	cfg->ka_retries = 3;
	cfg->probe_interval = 10;
	cfg->probe_retries = 3;
}

/* Bytes of outer IPv4 and GRE header a tunnel adds to each packet. */
unsigned int ngre_tunnel_hlen(u32 oflags)
{
	unsigned int hlen = sizeof(struct iphdr) + 4;

	if (oflags & NGRE_F_KEY)
		hlen += 4;
	if (oflags & NGRE_F_CSUM)
		hlen += 4;
	if (oflags & NGRE_F_SEQ)
		hlen += 4;
	return hlen;
}

/* The device the tunnel's outer packets use: the VLAN device with the
 * tunnel's VID on the parent, or the parent itself for VID 0.
 *
 * @hint is a device being registered, if any: a VLAN device is announced
 * (NETDEV_REGISTER) before the parent's VLAN table lists it, so the table
 * alone would miss it until its next event.
 */
static struct net_device *ngre_cfg_link(struct net *net,
					const struct ngre_tunnel_cfg *cfg,
					struct net_device *hint)
{
	struct net_device *parent, *link;

	ASSERT_RTNL();
	parent = __dev_get_by_index(net, cfg->parent_ifindex);
	if (!parent || !cfg->vid)
		return parent;
	if (hint && ngre_is_vlan_of(hint, parent->ifindex, cfg->vid) &&
	    dev_net(hint) == net)
		return hint;
	rcu_read_lock();
	link = __vlan_find_dev_deep_rcu(parent, htons(ETH_P_8021Q), cfg->vid);
	rcu_read_unlock();
	/* Stable: VLAN devices are only added, removed or moved to another
	 * namespace under the RTNL.  The deep lookup may answer with a VLAN
	 * of the parent's master (a bond's, say), and a VLAN device may have
	 * moved to another namespace: neither counts.
	 */
	if (!link || !ngre_is_vlan_of(link, parent->ifindex, cfg->vid) ||
	    __dev_get_by_index(net, link->ifindex) != link)
		return NULL;
	return link;
}

/* The primary IPv4 address of @dev, or 0: the inherited source (under
 * the RTNL) and a probe's (health.c, under RCU) alike.
 */
__be32 ngre_primary_addr(struct net_device *dev)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	__be32 addr = 0;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (!(ifa->ifa_flags & IFA_F_SECONDARY)) {
				addr = ifa->ifa_local;
				break;
			}
		}
	}
	rcu_read_unlock();
	return addr;
}

static bool ngre_unicast(__be32 addr)
{
	return !ipv4_is_multicast(addr) && !ipv4_is_lbcast(addr) &&
	       !ipv4_is_zeronet(addr) && !ipv4_is_loopback(addr);
}

/* Two tunnels would claim the same received packets: same link, remote,
 * key and source address.
 */
static bool ngre_rx_key_clash(struct net *net,
			      const struct ngre_tunnel_cfg *a, __be32 a_saddr,
			      const struct ngre_tunnel *other)
{
	const struct ngre_tunnel_params *p = ngre_tunnel_params_rtnl(other);
	const struct ngre_tunnel_cfg *b = &p->cfg;

	if (a->remote != b->remote || a->parent_ifindex != b->parent_ifindex ||
	    a->vid != b->vid)
		return false;
	if ((a->iflags & NGRE_F_KEY) != (b->iflags & NGRE_F_KEY))
		return false;
	if ((a->iflags & NGRE_F_KEY) && a->ikey != b->ikey)
		return false;
	if (a->local_mode == NGRE_LOCAL_INHERIT &&
	    b->local_mode == NGRE_LOCAL_INHERIT)
		return true;
	return a_saddr && a_saddr == p->saddr;
}

/* The tunnel's effective source address if its link is @link. */
static __be32 ngre_cfg_saddr(const struct ngre_tunnel_cfg *cfg,
			     struct net_device *link)
{
	if (cfg->local_mode == NGRE_LOCAL_CUSTOM)
		return cfg->local;
	return link ? ngre_primary_addr(link) : 0;
}

/**
 * ngre_cfg_validate - check a complete configuration before it is applied
 * @net: the namespace of the tunnel
 * @cfg: the configuration
 * @self: the tunnel being changed, or NULL for a new one
 * @extack: for the error message
 *
 * Attribute-level checks (types, ranges) are done by the netlink policy;
 * this checks what depends on the namespace and on other tunnels.
 *
 * Return: 0, or a negative errno with the extack set.
 */
int ngre_cfg_validate(struct net *net, const struct ngre_tunnel_cfg *cfg,
		      const struct ngre_tunnel *self,
		      struct netlink_ext_ack *extack)
{
	struct ngre_net *nn = ngre_pernet(net);
	struct net_device *parent, *link;
	struct ngre_tunnel *t;
	__be32 saddr;

	ASSERT_RTNL();
	parent = __dev_get_by_index(net, cfg->parent_ifindex);
	if (!parent) {
		NL_SET_ERR_MSG(extack, "parent device not found");
		return -ENODEV;
	}
	if (parent->type != ARPHRD_ETHER || is_vlan_dev(parent) ||
	    (parent->flags & IFF_LOOPBACK) || ngre_is_tunnel_dev(parent)) {
		NL_SET_ERR_MSG(extack,
			       "parent must be an Ethernet device (or a VLAN on one)");
		return -EINVAL;
	}
	if (cfg->vid >= VLAN_VID_MASK) {
		NL_SET_ERR_MSG(extack, "vlan must be 0..4094");
		return -ERANGE;
	}
	if (!ngre_unicast(cfg->remote)) {
		NL_SET_ERR_MSG(extack, "remote must be a unicast IPv4 address");
		return -EINVAL;
	}
	if (cfg->local_mode == NGRE_LOCAL_CUSTOM && !ngre_unicast(cfg->local)) {
		NL_SET_ERR_MSG(extack, "local must be a unicast IPv4 address");
		return -EINVAL;
	}
	if (cfg->probe_addr && !ngre_unicast(cfg->probe_addr)) {
		NL_SET_ERR_MSG(extack, "probe address must be a unicast IPv4 address");
		return -EINVAL;
	}
	if (cfg->probe_addr && cfg->ka_period) {
		NL_SET_ERR_MSG(extack, "keepalive and probe exclude each other");
		return -EINVAL;
	}
	/* A fixed MTU is checked when it is set; the link's MTU may drop
	 * below it later, and then the device's MTU is clamped to the link's
	 * (ngre_tunnel_publish()) without failing unrelated changes.
	 */
	link = ngre_cfg_link(net, cfg, NULL);
	if (cfg->mtu && (!self ||
			 cfg->mtu != ngre_tunnel_params_rtnl(self)->cfg.mtu)) {
		unsigned int max = link ? link->mtu : parent->mtu;

		if (cfg->mtu < IPV4_MIN_MTU || cfg->mtu > max) {
			NL_SET_ERR_MSG(extack,
				       "mtu must be at least 68 and at most the VLAN device's MTU");
			return -ERANGE;
		}
	}

	saddr = ngre_cfg_saddr(cfg, link);
	list_for_each_entry(t, &nn->tunnels, list) {
		if (t == self || !ngre_rx_key_clash(net, cfg, saddr, t))
			continue;
		/* The holder's ifindex goes in the cookie, for the CLI to
		 * name it (6.1 cannot format extack messages).
		 */
		NL_SET_ERR_MSG(extack,
			       "another tunnel already receives with this local, remote and key");
		if (extack) {
			u32 holder = t->dev->ifindex;

			memcpy(extack->cookie, &holder, sizeof(holder));
			extack->cookie_len = sizeof(holder);
		}
		return -EEXIST;
	}
	return 0;
}

static bool ngre_cfg_equal(const struct ngre_tunnel_cfg *a,
			   const struct ngre_tunnel_cfg *b)
{
	return a->parent_ifindex == b->parent_ifindex && a->vid == b->vid &&
	       a->local_mode == b->local_mode && a->local == b->local &&
	       a->remote == b->remote && a->iflags == b->iflags &&
	       a->oflags == b->oflags && a->ikey == b->ikey &&
	       a->okey == b->okey && a->ttl == b->ttl && a->tos == b->tos &&
	       a->tos_inherit == b->tos_inherit &&
	       a->pmtudisc == b->pmtudisc && a->mtu == b->mtu &&
	       a->ka_period == b->ka_period && a->ka_retries == b->ka_retries &&
	       a->probe_addr == b->probe_addr &&
	       a->probe_interval == b->probe_interval &&
	       a->probe_retries == b->probe_retries;
}

static u8 ngre_down_reason(struct net_device *dev, struct net_device *link,
			   __be32 saddr)
{
	if (!(dev->flags & IFF_UP))
		return NGRE_DOWN_ADMIN;
	if (!link)
		return NGRE_DOWN_NO_VLAN_DEV;
	if (!ngre_dev_usable(link))
		return NGRE_DOWN_LINK_DOWN;
	if (!saddr)
		return NGRE_DOWN_NO_ADDRESS;
	return NGRE_DOWN_NONE;
}

static void ngre_params_free_rcu(struct rcu_head *head)
{
	struct ngre_tunnel_params *p =
		container_of(head, struct ngre_tunnel_params, rcu);

	dst_cache_destroy(&p->dst_cache);
	kfree(p);
}

/* Free params no reader can reach any more (unpublished, flow unlinked)
 * after a grace period.
 */
static void ngre_params_free(struct ngre_tunnel_params *p)
{
	WARN_ON_ONCE(p->flow_linked);
	call_rcu(&p->rcu, ngre_params_free_rcu);
}

/* The static flow of @t with params @p: packets from the remote to the
 * source address, GRE, with the receive key if the tunnel has one, that
 * come in on the link.
 */
static void ngre_static_flow_init(struct ngre_tunnel *t,
				  struct ngre_tunnel_params *p)
{
	struct ngre_flow *f = &p->flow;
	bool keyed = p->cfg.iflags & NGRE_F_KEY;

	memset(&f->key, 0, sizeof(f->key));
	f->key.saddr = p->cfg.remote;
	f->key.daddr = p->saddr;
	f->key.proto = IPPROTO_GRE;
	f->key.type = keyed ? NGRE_FLOW_STATIC_KEYED : NGRE_FLOW_STATIC;
	f->key.gre_key = keyed ? p->cfg.ikey : 0;
	f->key.iif = p->link_ifindex;
	f->n_actions = 1;
	f->actions[0].type = NGRE_ACT_TUNNEL_REMOVE;
	f->actions[0].tunnel = t;
}

static int __ngre_tunnel_apply(struct ngre_tunnel *t,
			       const struct ngre_tunnel_cfg *cfg,
			       struct net_device *hint);

/* A tunnel gave up its static flow: tunnels that could not link theirs
 * because of it may now.  @hint as for ngre_tunnel_refresh().  No deeper
 * recursion: a tunnel down for a clash has no flow to give up.
 */
static void ngre_tunnel_retry_clashes(struct ngre_net *nn,
				      struct net_device *hint)
{
	struct ngre_tunnel *t;

	list_for_each_entry(t, &nn->tunnels, list) {
		if (ngre_tunnel_params_rtnl(t)->down_reason == NGRE_DOWN_RX_CLASH)
			ngre_tunnel_refresh(t, hint);
	}
}

/* Build and publish new params for @cfg: MTU, carrier, static flow. */
static int ngre_tunnel_publish(struct ngre_tunnel *t,
			       const struct ngre_tunnel_cfg *cfg,
			       struct net_device *hint, bool *changed)
{
	struct net *net = dev_net(t->dev);
	struct ngre_tunnel_params *old = ngre_tunnel_params_rtnl(t), *p;
	struct net_device *link, *parent;
	unsigned int max_mtu, mtu;
	bool freed_key = false, was_stale;
	int err;

	ASSERT_RTNL();
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	err = dst_cache_init(&p->dst_cache, GFP_KERNEL);
	if (err) {
		kfree(p);
		return err;
	}
	p->cfg = *cfg;
	p->hlen = ngre_tunnel_hlen(cfg->oflags);
	link = ngre_cfg_link(net, cfg, hint);
	p->link_ifindex = link ? link->ifindex : 0;
	p->saddr = ngre_cfg_saddr(cfg, link);
	p->down_reason = ngre_down_reason(t->dev, link, p->saddr);

	/* The static flow exists while the tunnel is up. */
	ngre_static_flow_init(t, p);
	if (p->down_reason == NGRE_DOWN_NONE) {
		err = ngre_static_flow_link(t->nn, p, old);
		if (err == -EEXIST) {
			p->down_reason = NGRE_DOWN_RX_CLASH;
		} else if (err) {
			ngre_params_free(p);
			return err;
		}
	}
	if (old && old->flow_linked) {
		ngre_static_flow_unlink(t->nn, old);
		freed_key = true;
	}

	/* MTU: the user's, or what fits in the link's MTU. */
	parent = __dev_get_by_index(net, cfg->parent_ifindex);
	max_mtu = link ? link->mtu : (parent ? parent->mtu : ETH_DATA_LEN);
	t->dev->max_mtu = max_t(unsigned int, max_mtu, IPV4_MIN_MTU);
	mtu = cfg->mtu ?: max_mtu - p->hlen;
	mtu = clamp_t(unsigned int, mtu, IPV4_MIN_MTU, t->dev->max_mtu);
	*changed = !old || !ngre_cfg_equal(&old->cfg, &p->cfg) ||
		   old->saddr != p->saddr ||
		   old->link_ifindex != p->link_ifindex ||
		   old->down_reason != p->down_reason || t->stale ||
		   t->dev->mtu != mtu;
	if (t->dev->reg_state == NETREG_UNINITIALIZED) {
		t->dev->mtu = mtu;
	} else if (t->dev->mtu != mtu) {
		t->mtu_follows = true;
		dev_set_mtu(t->dev, mtu);
		t->mtu_follows = false;
	}
	/* The headers ngre pushes, plus the link's own.  The transmit path
	 * may raise it concurrently (encap.c).
	 */
	WRITE_ONCE(t->dev->needed_headroom,
		   p->hlen + (link ? LL_RESERVED_SPACE(link) : LL_MAX_HEADER));
	/* As ip_gre: the link-layer address is the source, the peer the
	 * destination ("link/gre LOCAL peer REMOTE").
	 */
	if (memcmp(t->dev->dev_addr, &p->saddr, sizeof(p->saddr)) ||
	    memcmp(t->dev->broadcast, &cfg->remote, sizeof(cfg->remote))) {
		dev_addr_set(t->dev, (const u8 *)&p->saddr);
		memcpy(t->dev->broadcast, &cfg->remote, sizeof(cfg->remote));
		if (t->dev->reg_state == NETREG_REGISTERED)
			netdev_state_change(t->dev);
	}

	/* Another peer, or iseq just turned on, starts a new sequence. */
	if (old && (old->cfg.remote != cfg->remote || old->saddr != p->saddr ||
		    !(old->cfg.iflags & NGRE_F_SEQ))) {
		WRITE_ONCE(t->i_seqno, 0);
		WRITE_ONCE(t->i_seq_jump, 0);
	}
	rcu_assign_pointer(t->params, p);
	was_stale = t->stale;
	WRITE_ONCE(t->stale, false);
	ngre_health_publish(t, was_stale ? NULL : old, p);
	if (old)
		ngre_params_free(old);
	/* oseq turns GSO off (ngre_dev_fix_features()), its removal on. */
	if (t->dev->reg_state == NETREG_REGISTERED)
		netdev_update_features(t->dev);

	if (ngre_tunnel_down_reason(t, p) == NGRE_DOWN_NONE)
		netif_carrier_on(t->dev);
	else
		netif_carrier_off(t->dev);
	/* Not after a replacement in place: the key is still taken. */
	if (freed_key)
		ngre_tunnel_retry_clashes(t->nn, hint);
	return 0;
}

static int __ngre_tunnel_apply(struct ngre_tunnel *t,
			       const struct ngre_tunnel_cfg *cfg,
			       struct net_device *hint)
{
	bool changed;
	int err;

	err = ngre_tunnel_publish(t, cfg, hint, &changed);
	if (!err && changed)
		ngre_tunnel_event(t, NGRE_EV_CHANGE);
	return err;
}

/* Apply a validated configuration; announces the change. */
int ngre_tunnel_apply(struct ngre_tunnel *t, const struct ngre_tunnel_cfg *cfg)
{
	return __ngre_tunnel_apply(t, cfg, NULL);
}

/* @t's static flow leaves the flow table, if it is in: its receive key is
 * free, so the tunnels that clashed with it are retried (@hint as for
 * ngre_tunnel_refresh()).  RTNL.
 */
static void ngre_tunnel_flow_give_up(struct ngre_tunnel *t,
				     struct net_device *hint)
{
	struct ngre_tunnel_params *p = ngre_tunnel_params_rtnl(t);

	if (p && p->flow_linked) {
		ngre_static_flow_unlink(t->nn, p);
		ngre_tunnel_retry_clashes(t->nn, hint);
	}
}

/* A refresh could not publish new params: take @t down with what needs no
 * memory, so that it neither receives for nor sends through a link that
 * may be gone, and mark it stale (down reason no-memory).
 */
static void ngre_tunnel_take_down(struct ngre_tunnel *t,
				  struct net_device *hint)
{
	netif_carrier_off(t->dev);
	if (!t->stale) {
		WRITE_ONCE(t->stale, true);
		ngre_tunnel_event(t, NGRE_EV_CHANGE);
	}
	ngre_tunnel_flow_give_up(t, hint);
}

/**
 * ngre_tunnel_refresh - recompute a tunnel's derived state
 * @t: the tunnel
 * @hint: a device being registered that may be the tunnel's link, or NULL
 *
 * After a change around the tunnel (its VLAN device, an address, its own
 * admin state); announces a change.  A tunnel being unregistered is left
 * alone: its deletion is the one event it still has to announce.
 *
 * The notifiers cannot fail, but new params need memory.  Without it the
 * tunnel is taken down (ngre_tunnel_take_down()) until its next refresh
 * (any later event on the link, or the admin state toggled), or a change
 * of its configuration, publishes new params.
 */
void ngre_tunnel_refresh(struct ngre_tunnel *t, struct net_device *hint)
{
	struct ngre_tunnel_cfg cfg;
	int err;

	ASSERT_RTNL();
	if (t->dev->dismantle)
		return;
	cfg = ngre_tunnel_params_rtnl(t)->cfg;
	err = __ngre_tunnel_apply(t, &cfg, hint);
	if (unlikely(err)) {
		netdev_warn(t->dev, "cannot update the tunnel (%d): taken down\n",
			    err);
		ngre_tunnel_take_down(t, hint);
	}
}

/* The tunnel is being unregistered: no more packets for it.  RTNL. */
void ngre_tunnel_unlink(struct ngre_tunnel *t)
{
	ngre_tunnel_flow_give_up(t, NULL);
}

/* Free the params at device destruction (or when registration failed). */
void ngre_tunnel_release(struct ngre_tunnel *t)
{
	struct ngre_tunnel_params *p = rcu_dereference_protected(t->params, 1);

	RCU_INIT_POINTER(t->params, NULL);
	if (p)
		ngre_params_free(p);
}

/* The tunnel named by ifindex (if not 0) or name in @net, or NULL. */
struct ngre_tunnel *ngre_tunnel_find(struct net *net, int ifindex,
				     const char *name)
{
	struct net_device *dev;

	ASSERT_RTNL();
	dev = ifindex ? __dev_get_by_index(net, ifindex) :
			__dev_get_by_name(net, name);
	if (!dev || !ngre_is_tunnel_dev(dev))
		return NULL;
	return netdev_priv(dev);
}
