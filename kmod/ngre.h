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
 *                      device the outer packets leave on).  Published with
 *                      rcu_assign_pointer() under the RTNL and replaced,
 *                      never changed in place; the old one is freed after a
 *                      grace period.  The packet path reads it under RCU.
 *
 * Locking: every configuration change (netlink, notifiers, device
 * teardown) runs under the RTNL; the packet path only reads, under RCU.
 */
#ifndef _NGRE_H
#define _NGRE_H

#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "../uapi/linux/ngre.h"

#define NGRE_VERSION "0.1.0"
#define NGRE_DEFAULT_MAX_TUNNELS 4096
#define NGRE_DEFAULT_TTL 64

/**
 * struct ngre_net - per network namespace state
 * @net: the namespace (not counted: it owns us)
 * @hook_registered: the PRE_ROUTING hook is registered in @net
 * @tunnels: the namespace's tunnels (struct ngre_tunnel.list); RTNL
 * @n_tunnels: number of entries in @tunnels; RTNL
 * @max_tunnels: limit on @n_tunnels; RTNL
 * @gen: bumped on every change of @tunnels, for consistent dumps; RTNL
 */
struct ngre_net {
	struct net *net;
	bool hook_registered;
	struct list_head tunnels;
	unsigned int n_tunnels;
	unsigned int max_tunnels;
	unsigned int gen;
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

/**
 * struct ngre_tunnel_params - RCU snapshot of a tunnel's state
 * @cfg: the configuration
 * @saddr: the effective source address (custom, or inherited; 0 if none)
 * @link_ifindex: the VLAN device (or untagged parent) carrying the outer
 *	packets; 0 if it does not exist
 * @down_reason: NGRE_DOWN_NONE when the tunnel is operational
 * @rcu: for freeing after a grace period
 */
struct ngre_tunnel_params {
	struct ngre_tunnel_cfg cfg;
	__be32 saddr;
	int link_ifindex;
	u8 down_reason;
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
 */
struct ngre_tunnel {
	struct net_device *dev;
	struct ngre_net *nn;
	struct list_head list;
	struct ngre_tunnel_params __rcu *params;
	bool mtu_follows;
};

static inline struct ngre_tunnel_params *
ngre_tunnel_params_rtnl(const struct ngre_tunnel *t)
{
	return rtnl_dereference(t->params);
}

/* hook.c */
int ngre_hook_register(struct net *net);
void ngre_hook_unregister(struct net *net);

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
int ngre_tunnel_refresh(struct ngre_tunnel *t, struct net_device *hint);
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
