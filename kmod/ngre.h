/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ngre: native GRE tunnels for Linux routers - internal interfaces.
 *
 * The module's objects, who owns them, and how they are protected:
 *
 *  struct ngre_net     per network namespace (pernet_operations); lives
 *                      from the namespace's creation to its exit.  Owns the
 *                      namespace's netfilter hooks (while it has tunnels or
 *                      services) and its list of tunnels.
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
 *                      an up tunnel's (remote, local) address pair and
 *                      link, whatever its key: it tells packets for a
 *                      tunnel with the wrong key or on the wrong link apart
 *                      from other GRE, and marks the fragments ngre
 *                      reassembles.  Embedded in the params beside the
 *                      static flow, linked and unlinked with it.
 *
 *  struct ngre_service a prefix/protocol/port match and its next hops;
 *                      changed only by replacement, under the RTNL; read
 *                      under RCU; counted (each session holds a
 *                      reference), freed after the last one.
 *
 *  struct ngre_session a forward and a reverse flow (struct ngre_sflow)
 *                      in the namespace's session table; created in the
 *                      packet path, ended from any context (once: the
 *                      DYING bit), freed after a grace period.
 *
 * Locking: every configuration change (netlink, notifiers, device
 * teardown) runs under the RTNL; the packet path reads it under RCU.
 * Sessions are the exception: the packet path creates, confirms and ends
 * them, with the session table's bucket locks and each session's own
 * lock.  The tables (rhashtable) take their own bucket locks on update.
 */
#ifndef _NGRE_H
#define _NGRE_H

#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/netfilter.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <net/dst_cache.h>
#include <net/gro_cells.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "../uapi/linux/ngre.h"

#define NGRE_DEFAULT_MAX_TUNNELS 4096
#define NGRE_DEFAULT_TTL 64

/*
 * Counters of a namespace's datapath, indexed from 0: every
 * NGRE_STATS_A_* but UNSPEC and PAD (counters continue after PAD).
 */
#define NGRE_STATS_N (NGRE_STATS_A_MAX - 1)
#define NGRE_STAT(name) (NGRE_STATS_A_##name < NGRE_STATS_A_PAD ?	\
			 NGRE_STATS_A_##name - 1 : NGRE_STATS_A_##name - 2)
/* No counter (ngre_session_end()). */
#define NGRE_STAT_NONE NGRE_STATS_N

/* The attribute type of counter @i, the inverse of NGRE_STAT(). */
static inline int ngre_stat_attr(unsigned int i)
{
	return i + 1 < NGRE_STATS_A_PAD ? i + 1 : i + 2;
}

struct ngre_pcpu_stats {
	u64_stats_t c[NGRE_STATS_N];
	struct u64_stats_sync syncp;
};

/* Idle timeouts of sessions (struct ngre_session_table.timeout). */
enum ngre_timeout {
	NGRE_TO_TCP_OPENING,
	NGRE_TO_TCP_ESTABLISHED,
	NGRE_TO_TCP_CLOSING,
	NGRE_TO_UDP,
	NGRE_TO_ICMP,
	NGRE_TO_OTHER,
	NGRE_TO_N,
};

/**
 * struct ngre_session_table - the sessions of a namespace (session.c)
 * @ht: both flows of every session (struct ngre_sflow); lookups under RCU,
 *	updates take the table's bucket locks
 * @count: sessions in @ht, confirmed or not
 * @unconfirmed: sessions whose first packet has not left yet
 * @max: limit on @count (max-sessions); READ_ONCE
 * @next_id: the last session id handed out
 * @timeout: idle timeouts in jiffies, enum ngre_timeout; READ_ONCE
 * @walk_lock: taken by the walks that end sessions, one at a time
 *	(ngre_sessions_end_if())
 * @gc: the worker that ends expired sessions; queued by the table's
 *	first session and by config set, and queues itself while @count
 *	is not zero and @active
 * @gc_period: @gc's next delay (session.c says how it changes); READ_ONCE
 * @gc_pressed: the table refused a session since @gc's last walk;
 *	READ_ONCE
 * @active: the table is initialised (and @gc may run)
 */
struct ngre_session_table {
	struct rhashtable ht;
	atomic_t count;
	atomic_t unconfirmed;
	unsigned int max;
	atomic_t next_id;
	unsigned long timeout[NGRE_TO_N];
	struct mutex walk_lock;	/* the walks that end sessions */
	struct delayed_work gc;
	unsigned long gc_period;
	bool gc_pressed;
	bool active;
};

/**
 * struct ngre_service_table - the services of a namespace (service.c)
 * @list: every service (struct ngre_service.list), in creation order; RTNL
 * @count: entries in @list; RTNL
 * @gen: bumped on every change of @list, for consistent dumps; RTNL
 * @names: the services by name; RTNL
 * @prefixes: struct ngre_svc_node by (prefix, length); read under RCU
 * @plens: bit N set while @prefixes holds a prefix of length N; READ_ONCE
 * @plen_refs: prefixes of each length in @prefixes; RTNL
 */
struct ngre_service_table {
	struct list_head list;
	unsigned int count;
	unsigned int gen;
	struct rhashtable names;
	struct rhashtable prefixes;
	u64 plens;
	unsigned int plen_refs[33];
};

/* The groups of netfilter hooks a namespace has while it has their users. */
enum ngre_hook_group {
	NGRE_HOOKS_GRE,		/* hook.c, while it has a tunnel */
	NGRE_HOOKS_SESSION,	/* forward.c, while it has a service */
	NGRE_HOOKS_N,
};

/* How long a group's hooks stay after its last user (netns.c). */
#define NGRE_HOOKS_LINGER (10 * HZ)

/**
 * struct ngre_hooks - a namespace's hooks: each group registered with its
 *	first user, unregistered NGRE_HOOKS_LINGER after its last is gone
 *	unless one came back meanwhile (netns.c)
 * @users: each group's tunnels or services, and those being created; RTNL
 * @registered: each group's hooks are in; RTNL
 * @dying: the namespace is going: no release is scheduled any more; RTNL
 * @release: the delayed unregistration; cancelled at namespace exit
 */
struct ngre_hooks {
	unsigned int users[NGRE_HOOKS_N];
	bool registered[NGRE_HOOKS_N];
	bool dying;
	struct delayed_work release;
};

/**
 * struct ngre_net - per network namespace state
 * @net: the namespace (not counted: it owns us)
 * @hooks: the netfilter hooks of @net and their users
 * @tunnels: the namespace's tunnels (struct ngre_tunnel.list); RTNL
 * @n_tunnels: number of entries in @tunnels; RTNL
 * @max_tunnels: limit on @n_tunnels; RTNL
 * @gen: bumped on every change of @tunnels, for consistent dumps; RTNL
 * @flows: the flow table (struct ngre_flow); read under RCU
 * @endpoints: the address pairs of up tunnels (struct ngre_endpoint, one
 *	per tunnel: an rhltable); read under RCU
 * @services: the service area
 * @sessions: the session table
 * @stats: datapath counters
 */
struct ngre_net {
	struct net *net;
	struct ngre_hooks hooks;
	struct list_head tunnels;
	unsigned int n_tunnels;
	unsigned int max_tunnels;
	unsigned int gen;
	struct rhashtable flows;
	struct rhltable endpoints;
	struct ngre_service_table services;
	struct ngre_session_table sessions;
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
 * @iflags: NGRE_F_* on receive
 * @oflags: NGRE_F_* on transmit
 * @ikey: the key received, meaningful with NGRE_F_KEY in @iflags
 * @okey: the key sent, meaningful with NGRE_F_KEY in @oflags
 * @ttl: 1..255, 0 for inherit
 * @tos: fixed TOS
 * @tos_inherit: copy the inner packet's TOS instead
 * @pmtudisc: set DF and honour path MTU
 * @mtu: user-set MTU, 0 for automatic
 * @ka_period: seconds between keepalives, 0 for none
 * @ka_retries: periods without a keepalive back before the tunnel goes down
 * @probe_addr: the address probes ping through the tunnel, 0 for none
 *	(not with @ka_period)
 * @probe_interval: seconds between probes
 * @probe_retries: intervals without an answer before the tunnel goes down
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
	u16 ka_period;
	u8 ka_retries;
	__be32 probe_addr;
	u16 probe_interval;
	u8 probe_retries;
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
 * @saddr: outer source
 * @daddr: outer destination
 * @gre_key: the GRE key (NGRE_FLOW_STATIC_KEYED), else 0
 * @iif: the device the packets arrive on (the tunnel's link)
 * @proto: IP protocol (IPPROTO_GRE)
 * @type: enum ngre_flow_type
 * @pad: zero
 */
struct ngre_flow_key {
	__be32 saddr;
	__be32 daddr;
	__be32 gre_key;
	int iif;
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

/* The (remote, local) address pair of an up tunnel. */
struct ngre_endpoint_key {
	__be32 remote;
	__be32 local;
};

/**
 * struct ngre_endpoint - an up tunnel's entry in ngre_net.endpoints
 * @node: in ngre_net.endpoints, beside the other tunnels with @key
 * @key: the pair
 * @link: the tunnel's link device (its static flow's iif)
 */
struct ngre_endpoint {
	struct rhlist_head node;
	struct ngre_endpoint_key key;
	int link;
};

/* Where a GRE packet from an up tunnel's remote to its local address came
 * in: no such tunnel, another tunnel's link, or a link of such a tunnel.
 */
enum ngre_endpoint_match {
	NGRE_EP_NONE,
	NGRE_EP_OTHER_LINK,
	NGRE_EP_LINK,
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
 * @endpoint: its endpoint; in ngre_net.endpoints while @flow_linked
 * @flow_linked: @flow and @endpoint are linked; RTNL (the one field
 *	changed after publication)
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
	struct ngre_endpoint endpoint;
	bool flow_linked;
	struct rcu_head rcu;
};

/**
 * struct ngre_health - a tunnel's keepalives or probes (health.c)
 * @work: sends a keepalive or probe each period and takes the tunnel
 *	down or up;
 *	queued by ngre_tunnel_publish() (RTNL, registered devices only),
 *	by itself, and by a keepalive come back while the tunnel is down
 *	(softirq, while the device runs); cancelled in ngre_dev_uninit()
 *	after which none of these can queue it.  It never waits for the
 *	RTNL (a trylock), since ngre_dev_uninit() waits for it under it.
 * @flags: NGRE_HEALTH_* bits (health.c), set by the datapath and
 *	publish, cleared by @work (but NGRE_HEALTH_ANSWERED, never)
 * @missed: periods without a keepalive back or a probe answered; @work
 *	only
 * @retry: @work's last run could not take the RTNL; @work only
 * @down: NGRE_DOWN_KEEPALIVE or NGRE_DOWN_PROBE when they took the
 *	tunnel down, else NGRE_DOWN_NONE; written under the RTNL,
 *	READ_ONCE elsewhere
 * @changes: times they took the tunnel down or up; RTNL
 * @probe_id: the ICMP echo identifier of the probes, random
 * @probe_seq: the sequence number of the last probe sent; written by
 *	@work, READ_ONCE in the datapath
 * @last_reply: jiffies of the last keepalive back (to a tunnel with
 *	keepalives) or probe answered, valid once NGRE_HEALTH_ANSWERED is
 *	in @flags; written in the softirq, read lockless
 *	(ngre_health_last_reply_ms())
 * @reflect_next: jiffies before which no keepalive of the remote is sent
 *	back (a rate limit); lockless, a race lets one more through
 * @sent: keepalives sent
 * @replies: GRE packets of protocol 0 received on the tunnel's static
 *	flow, with or without keepalives configured
 * @reflected: the remote's keepalives sent back to it
 * @probes: probes sent
 * @probe_replies: probes answered
 */
struct ngre_health {
	struct delayed_work work;
	unsigned long flags;
	unsigned int missed;
	bool retry;
	u8 down;
	u32 changes;
	u16 probe_id;
	u16 probe_seq;
	unsigned long last_reply;
	unsigned long reflect_next;
	atomic64_t sent;
	atomic64_t replies;
	atomic64_t reflected;
	atomic64_t probes;
	atomic64_t probe_replies;
};

/**
 * struct ngre_tunnel - private part of a tunnel net_device
 * @dev: the tunnel device
 * @nn: its namespace's state (the device never leaves the namespace)
 * @list: entry in @nn->tunnels; RTNL
 * @params: current snapshot; written under RTNL, read under RCU
 * @mtu_follows: ngre itself is changing the device's MTU (to follow the
 *	link's), not the user; RTNL
 * @stale: the last refresh could not build new params
 *	(ngre_tunnel_refresh()), so @params are out of date, their static
 *	flow unlinked and the carrier off until a publish succeeds; written
 *	under the RTNL, read with READ_ONCE() without it
 * @gro_cells: where decapsulated packets enter the stack
 * @o_seqno: next sequence number sent (oseq); atomic
 * @i_seqno: next sequence number expected (iseq), 0 before the first;
 *	lockless, like ip_gre: concurrent receivers may race, the check
 *	stays monotonic enough
 * @i_seq_jump: the number a proposed jump expects next, 0 if none
 *	(decap.c); lockless like @i_seqno
 * @health: its keepalives
 */
struct ngre_tunnel {
	struct net_device *dev;
	struct ngre_net *nn;
	struct list_head list;
	struct ngre_tunnel_params __rcu *params;
	bool mtu_follows;
	bool stale;
	struct gro_cells gro_cells;
	atomic_t o_seqno;
	u32 i_seqno;
	u32 i_seq_jump;
	struct ngre_health health;
};

/* Why @t is down: a failed refresh first (@p is out of date), then its
 * configuration's reason, then its keepalives' or probes' (RTNL or RCU,
 * @p its params).
 */
static inline u8 ngre_tunnel_down_reason(const struct ngre_tunnel *t,
					 const struct ngre_tunnel_params *p)
{
	if (READ_ONCE(t->stale))
		return NGRE_DOWN_NO_MEMORY;
	if (p->down_reason != NGRE_DOWN_NONE)
		return p->down_reason;
	return READ_ONCE(t->health.down);
}

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

/* @dev can carry packets: up, with carrier. */
static inline bool ngre_dev_usable(const struct net_device *dev)
{
	return netif_running(dev) && netif_carrier_ok(dev);
}

static inline void ngre_stat_inc(struct ngre_net *nn, unsigned int stat)
{
	struct ngre_pcpu_stats *s = this_cpu_ptr(nn->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[stat]);
	u64_stats_update_end(&s->syncp);
}

/* ---- services (service.c) ---------------------------------------------- */

/**
 * struct ngre_nh - a next hop of a service
 * @kind: enum ngre_nh_kind
 * @ifname: the tunnel or device, by name (it may not exist)
 * @gw: the gateway (NGRE_NH_GATEWAY)
 * @weight: for NGRE_LB_PROPORTIONAL
 * @priority: for NGRE_LB_HUNT, lowest first
 * @ifindex: @ifname resolved in the namespace, 0 if there is no such
 *	device (or, for a tunnel, it is not an ngre tunnel); written under
 *	the RTNL, READ_ONCE in the packet path
 * @dst: the route its sessions' forward flows share (each holds a
 *	reference), NULL until the first session; replaced under RCU when
 *	it goes stale or the device or neighbour changes; dropped when its
 *	device is unregistered and with the service
 * @sessions: sessions created through it
 * @packets: packets of their forward flows
 * @bytes: their bytes
 */
struct ngre_nh {
	u8 kind;
	char ifname[IFNAMSIZ];
	__be32 gw;
	u32 weight;
	u32 priority;
	int ifindex;
	struct dst_entry __rcu *dst;
	atomic64_t sessions;
	atomic64_t packets;
	atomic64_t bytes;
};

struct ngre_service;

/* An ingress device a service is limited to; ifindex resolved as
 * ngre_nh.ifindex is.
 */
struct ngre_svc_from {
	char ifname[IFNAMSIZ];
	int ifindex;
};

/* A service's entry in the list of one prefix (struct ngre_svc_node);
 * @linked while it is in that list (RTNL).
 */
struct ngre_svc_match {
	struct list_head list;
	struct ngre_service *svc;
	__be32 addr;
	u8 len;
	bool linked;
};

/**
 * struct ngre_service - a service of the service area
 * @list: in ngre_service_table.list; RTNL
 * @name_node: in ngre_service_table.names; RTNL
 * @name: zero-padded, the key of @name_node
 * @refs: the service table's reference while it is listed, and one per
 *	session; the service is freed after the last, after a grace period
 * @proto: IP protocol, 0 for any
 * @port_min: lowest destination port (host order); 0: any
 * @port_max: highest destination port (host order); 0: any
 * @lb: enum ngre_lb
 * @n_prefixes: entries used in @match
 * @n_nh: entries used in @nh
 * @n_from: entries used in @from
 * @rr: the round-robin and proportional counter
 * @n_sessions: live sessions
 * @from: the ingress devices it is limited to (@n_from of them)
 * @match: one per prefix, linked in the prefix table
 * @rcu: for freeing after a grace period
 * @nh: the next hops
 *
 * Everything but the resolved ifindexes and the counters is fixed once
 * the service is published: a change builds a new service.
 */
struct ngre_service {
	struct list_head list;
	struct rhash_head name_node;
	char name[NGRE_SERVICE_NAMSIZ];
	refcount_t refs;
	u8 proto;
	u16 port_min;
	u16 port_max;
	u8 lb;
	u8 n_prefixes;
	u8 n_nh;
	u8 n_from;
	atomic_t rr;
	atomic_t n_sessions;
	struct ngre_svc_from *from;
	struct ngre_svc_match *match;
	struct rcu_head rcu;
	struct ngre_nh nh[];
};

/* ---- sessions (session.c, forward.c) ------------------------------------ */

/* The two flows of a session. */
enum ngre_dir {
	NGRE_DIR_FWD,	/* from the first packet's sender */
	NGRE_DIR_REV,	/* the replies */
	NGRE_DIR_N,
};

/**
 * struct ngre_skey - what a packet of one flow of a session matches;
 *	hashed and compared whole, so zeroed before it is filled
 * @saddr: IPv4 source address (@family AF_INET; the key widens for
 *	IPv6; today's users read it as IPv4, with @family AF_INET)
 * @daddr: IPv4 destination address, likewise
 * @sport: source port; ICMP echo: the id
 * @dport: destination port; ICMP echo: the ICMP type
 * @zone: the L3 master (VRF) device of the interface, 0 for none
 * @proto: IP protocol
 * @family: AF_INET
 * @pad: zero
 */
struct ngre_skey {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	u32 zone;
	u8 proto;
	u8 family;
	u16 pad;
};

#define NGRE_SFLOW_MAX_ACTIONS 3

/**
 * struct ngre_sflow - one direction of a session, in the session table
 * @node: in ngre_session_table.ht
 * @key: what it matches
 * @dir: enum ngre_dir: which of its session's flows this is
 * @actions: enum ngre_flow_action, run in order up to the first 0, or
 *	all NGRE_SFLOW_MAX_ACTIONS
 * @iif: the interface its packets are expected on
 * @wrong_iif: hits that arrived on another interface than @iif
 * @dst: the route its packets leave by (to the next hop, or back to the
 *	sender; through a tunnel device for TUNNEL_ADD); counted; replaced
 *	with xchg() when revalidation rebuilds it, the old one released;
 *	NULL in a reverse flow until its first packet
 * @packets: hits
 * @bytes: their bytes
 */
struct ngre_sflow {
	struct rhash_head node;
	struct ngre_skey key;
	u8 dir;
	u8 actions[NGRE_SFLOW_MAX_ACTIONS];
	int iif;
	atomic_t wrong_iif;
	struct dst_entry __rcu *dst;
	atomic64_t packets;
	atomic64_t bytes;
};

/* Session flag bits (struct ngre_session.flags), set under its lock and
 * read without it.
 */
enum {
	NGRE_SESS_CONFIRMED,	/* its first packet left; both flows linked */
	NGRE_SESS_DYING,	/* ended: unlinked, to be freed */
	NGRE_SESS_NAT,		/* conntrack NATs it: not a session, only a
				 * forward flow whose packets keep taking the
				 * first packet's way, through the hooks
				 */
};

/* TCP states, as far as the timeouts need them. */
enum ngre_tcp_state {
	NGRE_TCP_OPENING,
	NGRE_TCP_ESTABLISHED,
	NGRE_TCP_CLOSING,
};

/**
 * struct ngre_session - a session: both flows, in one object
 * @flow: the forward and the reverse flow
 * @svc: the service that created it; counted
 * @timeout: jiffies at which it expires unless a packet comes;
 *	READ_ONCE/WRITE_ONCE
 * @start: jiffies at creation
 * @id: unique in the namespace, for SESSION_DEL
 * @lock: serialises confirming and ending the session
 * @flags: NGRE_SESS_* bits
 * @tcp_state: enum ngre_tcp_state; WRITE_ONCE
 * @nh: the index in @svc->nh of the next hop it uses; fixed, valid as
 *	long as @svc
 * @rcu: for freeing after a grace period
 *
 * Lifetime: allocated by the first packet, linked (forward flow only)
 * unconfirmed, confirmed (reverse flow linked) when the first packet
 * leaves; ended once (unlinked, DYING; Documentation/design.rst lists
 * the reasons); freed after a grace period, when it drops its routes and
 * its service.
 */
struct ngre_session {
	struct ngre_sflow flow[NGRE_DIR_N];
	struct ngre_service *svc;
	unsigned long timeout;
	unsigned long start;
	u32 id;
	spinlock_t lock;	/* confirm vs end */
	unsigned long flags;
	u8 tcp_state;
	u8 nh;
	struct rcu_head rcu;
};

/* Action @i of flow @f, or 0 past the end of its list (its first 0, or
 * NGRE_SFLOW_MAX_ACTIONS).
 */
static inline u8 ngre_sflow_action(const struct ngre_sflow *f, unsigned int i)
{
	return i < ARRAY_SIZE(f->actions) ? f->actions[i] : 0;
}

/* The next hop of @s, in its service. */
static inline struct ngre_nh *ngre_session_nh(const struct ngre_session *s)
{
	return &s->svc->nh[s->nh];
}

static inline struct ngre_session *ngre_sflow_session(struct ngre_sflow *f)
{
	return container_of(f, struct ngre_session, flow[f->dir]);
}

/* hook.c */
int ngre_gre_hooks_register(struct net *net);
void ngre_gre_hooks_unregister(struct net *net);

/* service.c */
int ngre_service_net_init(struct ngre_net *nn);
void ngre_service_net_exit(struct ngre_net *nn);
struct ngre_service *ngre_service_alloc(unsigned int n_nh,
					unsigned int n_prefixes,
					unsigned int n_from);
struct ngre_service *ngre_service_find(struct ngre_net *nn, const char *name);
int ngre_service_add(struct ngre_net *nn, struct ngre_service *svc,
		     struct ngre_service *old, struct netlink_ext_ack *extack);
void ngre_service_del(struct ngre_net *nn, struct ngre_service *svc);
void ngre_service_put(struct ngre_service *svc);
struct ngre_service *ngre_service_lookup(struct ngre_net *nn,
					 const struct ngre_skey *key,
					 int iif);
struct net_device *ngre_nh_pick(struct net *net, struct ngre_service *svc,
				const struct ngre_skey *key,
				struct ngre_nh **nhp, __be32 *gw);
bool ngre_nh_usable(struct net *net, const struct ngre_nh *nh,
		    struct net_device **devp, __be32 *gw);
void ngre_services_resolve(struct ngre_net *nn);
void ngre_services_forget_dev(struct ngre_net *nn, struct net_device *dev);

/* session.c */
/* @s is past its expiry: idle for longer than its timeout, or
 * unconfirmed for longer than NGRE_UNCONFIRMED_TIMEOUT.
 */
static inline bool ngre_session_expired(const struct ngre_session *s)
{
	return time_after(jiffies, READ_ONCE(s->timeout));
}

int ngre_session_init(void);
void ngre_session_exit(void);
int ngre_session_net_init(struct ngre_net *nn);
void ngre_session_net_exit(struct ngre_net *nn);
struct ngre_sflow *ngre_sflow_lookup(struct ngre_net *nn,
				     const struct ngre_skey *key);
struct ngre_session *ngre_session_alloc(struct ngre_net *nn);
void ngre_session_free(struct ngre_net *nn, struct ngre_session *s);
int ngre_session_insert(struct ngre_net *nn, struct ngre_session *s);
void ngre_session_confirm(struct ngre_net *nn, struct ngre_session *s);
bool ngre_session_mark_nat(struct ngre_net *nn, struct ngre_session *s);
bool ngre_session_end(struct ngre_net *nn, struct ngre_session *s,
		      unsigned int stat);
unsigned int ngre_sessions_end_if(struct ngre_net *nn,
				  bool (*match)(const struct ngre_session *s,
						const void *arg),
				  const void *arg, unsigned int stat);
void ngre_sessions_end_dev(struct ngre_net *nn, int ifindex);
void ngre_session_touch(struct ngre_net *nn, struct ngre_session *s,
			u8 tcp_flags, bool reply);
void ngre_session_gc_soon(struct ngre_session_table *tab);
void ngre_skey_reverse(struct ngre_skey *rev, const struct ngre_skey *key);

/* forward.c */
int ngre_session_hooks_register(struct net *net);
void ngre_session_hooks_unregister(struct net *net);

/* flow.c */
int ngre_flow_net_init(struct ngre_net *nn);
void ngre_flow_net_exit(struct ngre_net *nn);
struct ngre_flow *ngre_flow_lookup(struct ngre_net *nn,
				   const struct ngre_flow_key *key);
enum ngre_endpoint_match ngre_endpoint_match(struct ngre_net *nn,
					     __be32 remote, __be32 local,
					     int iif);
struct rhlist_head *ngre_endpoints(struct ngre_net *nn, __be32 remote,
				   __be32 local);
int ngre_static_flow_link(struct ngre_net *nn, struct ngre_tunnel_params *p,
			  struct ngre_tunnel_params *old);
void ngre_static_flow_unlink(struct ngre_net *nn,
			     struct ngre_tunnel_params *p);

/* decap.c */
unsigned int ngre_tunnel_remove(struct ngre_net *nn, struct ngre_tunnel *t,
				struct sk_buff *skb);

/* encap.c */
void ngre_tunnel_add(struct ngre_tunnel *t, struct sk_buff *skb);
int ngre_encap_own_xmit(struct ngre_tunnel *t, struct ngre_tunnel_params *p,
			struct sk_buff *skb);
struct rtable *ngre_route(struct ngre_tunnel_params *p, struct net *net,
			  u8 tos, __be32 *saddr);

/* stats.c */
void ngre_stats_read(struct ngre_net *nn, u64 *out);
int ngre_stats_net_init(struct ngre_net *nn);
void ngre_stats_net_exit(struct ngre_net *nn);

/* netns.c */
int ngre_netns_init(void);
void ngre_netns_exit(void);
int ngre_hooks_get(struct ngre_net *nn, enum ngre_hook_group group,
		   struct netlink_ext_ack *extack);
void ngre_hooks_put(struct ngre_net *nn, enum ngre_hook_group group);

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
__be32 ngre_primary_addr(struct net_device *dev);
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

/* health.c */
void ngre_health_init(struct ngre_tunnel *t);
void ngre_health_publish(struct ngre_tunnel *t,
			 const struct ngre_tunnel_params *old,
			 const struct ngre_tunnel_params *p);
void ngre_health_stop(struct ngre_tunnel *t);
bool ngre_health_last_reply_ms(const struct ngre_health *h, u32 *ms);
unsigned int ngre_keepalive_reply_rcv(struct ngre_net *nn,
				      struct ngre_tunnel *t,
				      const struct ngre_tunnel_params *p,
				      struct sk_buff *skb);
bool ngre_keepalive_reflect(struct ngre_net *nn, struct ngre_tunnel *t,
			    struct ngre_tunnel_params *p, struct sk_buff *skb);
bool ngre_probe_reply_rcv(struct ngre_net *nn, struct ngre_tunnel *t,
			  const struct ngre_tunnel_params *p,
			  struct sk_buff *skb);

/* notify.c */
int ngre_notify_init(void);
void ngre_notify_exit(void);

/* nl_service.c, nl_session.c: the handlers of their commands */
extern const struct nla_policy ngre_service_req_policy[];
extern const struct nla_policy ngre_session_req_policy[];
int ngre_nl_service_new(struct sk_buff *skb, struct genl_info *info);
int ngre_nl_service_set(struct sk_buff *skb, struct genl_info *info);
int ngre_nl_service_del(struct sk_buff *skb, struct genl_info *info);
int ngre_nl_service_get(struct sk_buff *skb, struct genl_info *info);
int ngre_nl_service_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ngre_nl_session_dump_start(struct netlink_callback *cb);
int ngre_nl_session_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ngre_nl_session_dump_done(struct netlink_callback *cb);
int ngre_nl_session_del(struct sk_buff *skb, struct genl_info *info);

/* netlink.c */
extern struct genl_family ngre_genl_family;
struct sk_buff *ngre_event_new(struct net *net);
void ngre_event_send(struct net *net, struct sk_buff *skb, int err);
int ngre_parse_nest(struct genl_info *info, int type, struct nlattr **tb,
		    int maxtype, const struct nla_policy *policy,
		    const char *missing);
enum ngre_event {
	NGRE_EV_NEW = NGRE_CMD_TUNNEL_NEW,
	NGRE_EV_DEL = NGRE_CMD_TUNNEL_DEL,
	NGRE_EV_CHANGE = NGRE_CMD_TUNNEL_SET,
};

void ngre_tunnel_event(struct ngre_tunnel *t, enum ngre_event ev);
int ngre_genl_init(void);
void ngre_genl_exit(void);

#endif /* _NGRE_H */
