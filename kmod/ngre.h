/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ngre: native GRE tunnels for Linux routers - internal interfaces.
 *
 * The module's objects, who owns them, and how they are protected:
 *
 *  struct ngre_net     per network namespace (pernet_operations); lives
 *                      from the namespace's creation to its exit.  Owns the
 *                      namespace's netfilter hook and its list of tunnels.
 *
 *  struct ngre_tunnel  the private part of a tunnel net_device; lives as
 *                      long as the device (freed with it by the core after
 *                      the last reference is gone).  Its configuration is
 *                      changed under the RTNL only.
 *
 *  struct ngre_tunnel_params
 *                      an immutable snapshot of a tunnel's configuration
 *                      and derived state (effective source address, the
 *                      device the outer packets leave on, the route cache,
 *                      the static flow).  Published with
 *                      rcu_assign_pointer() under the RTNL and replaced,
 *                      never changed in place; the old one is freed after a
 *                      grace period.  The packet path reads it under RCU.
 *
 *  struct ngre_flow    an entry of the namespace's flow table: a key and
 *                      the actions applied to the packets that match it.
 *                      A tunnel's static flow is embedded in its params and
 *                      lives and dies with them: linked under the RTNL when
 *                      the params are published with the tunnel up,
 *                      unlinked before they are freed (after a grace
 *                      period, so a reader that found it may finish).
 *
 *  struct ngre_endpoint
 *                      a (remote, local) address pair used by one or more
 *                      up tunnels, whatever their keys: it tells packets
 *                      for a tunnel with the wrong key apart from other
 *                      GRE, and marks the fragments ngre reassembles.
 *                      Counted (refs) and changed under the RTNL, freed
 *                      after a grace period.
 *
 * Locking: every configuration change (netlink, notifiers, device
 * teardown) runs under the RTNL; the packet path only reads, under RCU.
 * The flow tables (rhashtable) take their own bucket locks on update.
 */
#ifndef _NGRE_H
#define _NGRE_H

#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <net/dst_cache.h>
#include <net/gro_cells.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "../uapi/linux/ngre.h"

#define NGRE_VERSION "0.1.0"
#define NGRE_DEFAULT_MAX_TUNNELS 4096
#define NGRE_DEFAULT_TTL 64

/* Counters of a namespace's datapath: NGRE_STATS_A_* - 1. */
#define NGRE_STATS_N (NGRE_STATS_A_PAD - 1)
#define NGRE_STAT(name) (NGRE_STATS_A_##name - 1)

struct ngre_pcpu_stats {
	u64_stats_t c[NGRE_STATS_N];
	struct u64_stats_sync syncp;
};

/**
 * struct ngre_net - per network namespace state
 * @net: the namespace (not counted: it owns us)
 * @hook_registered: the PRE_ROUTING hook is registered in @net
 * @tunnels: the namespace's tunnels (struct ngre_tunnel.list); RTNL
 * @n_tunnels: number of entries in @tunnels; RTNL
 * @max_tunnels: limit on @n_tunnels; RTNL
 * @gen: bumped on every change of @tunnels, for consistent dumps; RTNL
 * @flows: the flow table (struct ngre_flow); read under RCU
 * @endpoints: the address pairs of up tunnels (struct ngre_endpoint); read
 *	under RCU
 * @stats: datapath counters
 */
struct ngre_net {
	struct net *net;
	bool hook_registered;
	struct list_head tunnels;
	unsigned int n_tunnels;
	unsigned int max_tunnels;
	unsigned int gen;
	struct rhashtable flows;
	struct rhashtable endpoints;
	struct ngre_pcpu_stats __percpu *stats;
};

extern unsigned int ngre_net_id;

static inline struct ngre_net *ngre_pernet(const struct net *net)
{
	return net_generic(net, ngre_net_id);
}

/**
 * struct ngre_tunnel_cfg - what the user configured for a tunnel
 * @parent_ifindex: the real (non-VLAN) device the tunnel is bound to
 * @vid: 802.1Q VID shared with the parent; 0: the untagged parent
 * @local_mode: NGRE_LOCAL_INHERIT or NGRE_LOCAL_CUSTOM
 * @local: custom source address (NGRE_LOCAL_CUSTOM only)
 * @remote: destination, unicast
 * @iflags, @oflags: NGRE_F_* on receive and transmit
 * @ikey, @okey: keys, meaningful with NGRE_F_KEY
 * @ttl: 1..255, 0 for inherit
 * @tos: fixed TOS; @tos_inherit: copy the inner packet's
 * @pmtudisc: set DF and honour path MTU
 * @mtu: user-set MTU, 0 for automatic
 */
struct ngre_tunnel_cfg {
	int parent_ifindex;
	u16 vid;
	u8 local_mode;
	__be32 local;
	__be32 remote;
	u32 iflags;
	u32 oflags;
	__be32 ikey;
	__be32 okey;
	u8 ttl;
	u8 tos;
	bool tos_inherit;
	bool pmtudisc;
	u32 mtu;
};

struct ngre_tunnel;

/*
 * What a flow does to a packet.  TUNNEL_REMOVE (a tunnel's static flow):
 * strip the outer IPv4 and GRE headers and deliver the inner packet as
 * received on the tunnel.
 */
enum ngre_action_type {
	NGRE_ACT_TUNNEL_REMOVE = 1,
};

struct ngre_action {
	enum ngre_action_type type;
	struct ngre_tunnel *tunnel;
};

/* Kinds of flow keys. */
enum ngre_flow_type {
	NGRE_FLOW_STATIC = 1,		/* a tunnel receiving without a key */
	NGRE_FLOW_STATIC_KEYED,		/* a tunnel receiving with a key */
};

/**
 * struct ngre_flow_key - what a flow matches; hashed and compared whole,
 *	so it is zeroed before it is filled
 * @saddr, @daddr: outer source and destination
 * @gre_key: the GRE key (NGRE_FLOW_STATIC_KEYED), else 0
 * @proto: IP protocol (IPPROTO_GRE)
 * @type: enum ngre_flow_type
 */
struct ngre_flow_key {
	__be32 saddr;
	__be32 daddr;
	__be32 gre_key;
	u8 proto;
	u8 type;
	u16 pad;
};

#define NGRE_FLOW_MAX_ACTIONS 1

/**
 * struct ngre_flow - an entry of the flow table
 * @node: in ngre_net.flows
 * @key: what it matches
 * @n_actions: entries used in @actions
 * @actions: applied in order
 */
struct ngre_flow {
	struct rhash_head node;
	struct ngre_flow_key key;
	unsigned int n_actions;
	struct ngre_action actions[NGRE_FLOW_MAX_ACTIONS];
};

/* The (remote, local) address pair of some up tunnels. */
struct ngre_endpoint_key {
	__be32 remote;
	__be32 local;
};

/**
 * struct ngre_endpoint - an address pair in ngre_net.endpoints
 * @node: in ngre_net.endpoints
 * @key: the pair
 * @refs: up tunnels with this pair; RTNL
 * @rcu: for freeing after a grace period
 */
struct ngre_endpoint {
	struct rhash_head node;
	struct ngre_endpoint_key key;
	unsigned int refs;
	struct rcu_head rcu;
};

/**
 * struct ngre_tunnel_params - RCU snapshot of a tunnel's state
 * @cfg: the configuration
 * @saddr: the effective source address (custom, or inherited; 0 if none)
 * @link_ifindex: the VLAN device (or untagged parent) carrying the outer
 *	packets; 0 if it does not exist
 * @down_reason: NGRE_DOWN_NONE when the tunnel is operational
 * @hlen: bytes of outer IPv4 and GRE header on transmit
 * @dst_cache: routes to the remote for these params (a change of params
 *	starts a new cache, so no route outlives the config it was made for)
 * @flow: the static flow; in ngre_net.flows while @flow_linked
 * @flow_linked: @flow and the endpoint of @cfg.remote and @saddr are
 *	linked; RTNL (the one field changed after publication)
 * @rcu: for freeing after a grace period
 */
struct ngre_tunnel_params {
	struct ngre_tunnel_cfg cfg;
	__be32 saddr;
	int link_ifindex;
	u8 down_reason;
	unsigned int hlen;
	struct dst_cache dst_cache;
	struct ngre_flow flow;
	bool flow_linked;
	struct rcu_head rcu;
};

/**
 * struct ngre_tunnel - private part of a tunnel net_device
 * @dev: the tunnel device
 * @nn: its namespace's state (the device never leaves the namespace)
 * @list: entry in @nn->tunnels; RTNL
 * @params: current snapshot; written under RTNL, read under RCU
 * @mtu_follows: ngre itself is changing the device's MTU (to follow the
 *	link's), not the user; RTNL
 * @gro_cells: where decapsulated packets enter the stack
 * @o_seqno: next sequence number sent (oseq); atomic
 * @i_seqno: next sequence number expected (iseq); lockless, like ip_gre:
 *	concurrent receivers may race, the check stays monotonic enough
 */
struct ngre_tunnel {
	struct net_device *dev;
	struct ngre_net *nn;
	struct list_head list;
	struct ngre_tunnel_params __rcu *params;
	bool mtu_follows;
	struct gro_cells gro_cells;
	atomic_t o_seqno;
	u32 i_seqno;
};

static inline struct ngre_tunnel_params *
ngre_tunnel_params_rtnl(const struct ngre_tunnel *t)
{
	return rtnl_dereference(t->params);
}

/* The device an 802.1Q device sits directly on.  vlan_dev_real_dev()
 * would go down a stack of VLANs (eth0.100.200) to the bottom device,
 * which that stack does not share a tag with.
 */
static inline struct net_device *ngre_vlan_lower(const struct net_device *dev)
{
	return vlan_dev_priv(dev)->real_dev;
}

/* @dev is an 802.1Q device with VID @vid directly on the device numbered
 * @parent_ifindex in @dev's namespace (a VLAN device moved to another
 * namespace keeps its lower device in the old one, where ifindexes are
 * another namespace's).
 */
static inline bool ngre_is_vlan_of(const struct net_device *dev,
				   int parent_ifindex, u16 vid)
{
	const struct net_device *lower;

	if (!is_vlan_dev(dev) ||
	    vlan_dev_vlan_proto(dev) != htons(ETH_P_8021Q) ||
	    vlan_dev_vlan_id(dev) != vid)
		return false;
	lower = ngre_vlan_lower(dev);
	return lower->ifindex == parent_ifindex &&
	       net_eq(dev_net(lower), dev_net(dev));
}

static inline void ngre_stat_inc(struct ngre_net *nn, unsigned int stat)
{
	struct ngre_pcpu_stats *s = this_cpu_ptr(nn->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[stat]);
	u64_stats_update_end(&s->syncp);
}

/* hook.c */
int ngre_hook_register(struct net *net);
void ngre_hook_unregister(struct net *net);

/* flow.c */
int ngre_flow_net_init(struct ngre_net *nn);
void ngre_flow_net_exit(struct ngre_net *nn);
struct ngre_flow *ngre_flow_lookup(struct ngre_net *nn,
				   const struct ngre_flow_key *key);
bool ngre_endpoint_exists(struct ngre_net *nn, __be32 remote, __be32 local);
int ngre_static_flow_link(struct ngre_net *nn, struct ngre_tunnel_params *p,
			  struct ngre_tunnel_params *old);
void ngre_static_flow_unlink(struct ngre_net *nn,
			     struct ngre_tunnel_params *p);

/* decap.c */
unsigned int ngre_tunnel_remove(struct ngre_net *nn, struct ngre_tunnel *t,
				struct sk_buff *skb);

/* encap.c */
void ngre_tunnel_add(struct ngre_tunnel *t, struct sk_buff *skb);

/* stats.c */
void ngre_stats_read(struct ngre_net *nn, u64 *out);
int ngre_stats_net_init(struct ngre_net *nn);
void ngre_stats_net_exit(struct ngre_net *nn);

/* netns.c */
int ngre_netns_init(void);
void ngre_netns_exit(void);

/* device.c */
extern struct rtnl_link_ops ngre_link_ops;
bool ngre_is_tunnel_dev(const struct net_device *dev);
struct ngre_tunnel *ngre_tunnel_create(struct net *net, const char *name,
				       const struct ngre_tunnel_cfg *cfg,
				       struct netlink_ext_ack *extack);
int ngre_device_init(void);
void ngre_device_exit(void);

/* tunnel.c */
void ngre_cfg_defaults(struct ngre_tunnel_cfg *cfg);
int ngre_cfg_validate(struct net *net, const struct ngre_tunnel_cfg *cfg,
		      const struct ngre_tunnel *self,
		      struct netlink_ext_ack *extack);
unsigned int ngre_tunnel_hlen(u32 oflags);
int ngre_tunnel_apply(struct ngre_tunnel *t, const struct ngre_tunnel_cfg *cfg);
void ngre_tunnel_refresh(struct ngre_tunnel *t, struct net_device *hint);
void ngre_tunnel_unlink(struct ngre_tunnel *t);
void ngre_tunnel_release(struct ngre_tunnel *t);
struct ngre_tunnel *ngre_tunnel_find(struct net *net, int ifindex,
				     const char *name);

/* notify.c */
int ngre_notify_init(void);
void ngre_notify_exit(void);

/* netlink.c */
enum ngre_event {
	NGRE_EV_NEW = NGRE_CMD_TUNNEL_NEW,
	NGRE_EV_DEL = NGRE_CMD_TUNNEL_DEL,
	NGRE_EV_CHANGE = NGRE_CMD_TUNNEL_SET,
};

void ngre_tunnel_event(struct ngre_tunnel *t, enum ngre_event ev);
int ngre_genl_init(void);
void ngre_genl_exit(void);

#endif /* _NGRE_H */
