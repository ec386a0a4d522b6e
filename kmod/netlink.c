// SPDX-License-Identifier: GPL-2.0
/*
 * The "ngre" generic netlink family (uapi/linux/ngre.h).
 *
 * The family is netnsok: every request acts on the network namespace of
 * the requesting socket.  Commands that change state carry
 * GENL_UNS_ADMIN_PERM; listening to events needs CAP_NET_ADMIN too.
 * Every op has its own strict policy; errors carry an extack message that
 * names the attribute.  Handlers of tunnels, services and settings run
 * under the RTNL, which serialises them with the notifiers and device
 * teardown; the session handlers need no lock (session.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "ngre.h"

enum ngre_mcgrp {
	NGRE_MCGRP_EVENTS_ID,
};

static const struct genl_multicast_group ngre_mcgrps[] = {
	[NGRE_MCGRP_EVENTS_ID] = {
		.name	= NGRE_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

static const struct nla_policy ngre_tunnel_policy[NGRE_TUNNEL_A_MAX + 1] = {
	[NGRE_TUNNEL_A_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[NGRE_TUNNEL_A_IFNAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[NGRE_TUNNEL_A_PARENT]		= { .type = NLA_U32 },
	[NGRE_TUNNEL_A_VLAN]		= NLA_POLICY_MAX(NLA_U16, VLAN_VID_MASK - 1),
	[NGRE_TUNNEL_A_LINK]		= { .type = NLA_REJECT },
	[NGRE_TUNNEL_A_LOCAL_MODE]	= NLA_POLICY_MAX(NLA_U8, NGRE_LOCAL_CUSTOM),
	[NGRE_TUNNEL_A_LOCAL]		= { .type = NLA_BE32 },
	[NGRE_TUNNEL_A_REMOTE]		= { .type = NLA_BE32 },
	[NGRE_TUNNEL_A_IFLAGS]		= NLA_POLICY_BITFIELD32(NGRE_F_ALL),
	[NGRE_TUNNEL_A_OFLAGS]		= NLA_POLICY_BITFIELD32(NGRE_F_ALL),
	[NGRE_TUNNEL_A_IKEY]		= { .type = NLA_U32 },
	[NGRE_TUNNEL_A_OKEY]		= { .type = NLA_U32 },
	[NGRE_TUNNEL_A_TTL]		= { .type = NLA_U8 },
	[NGRE_TUNNEL_A_TOS]		= { .type = NLA_U8 },
	[NGRE_TUNNEL_A_TOS_INHERIT]	= NLA_POLICY_MAX(NLA_U8, 1),
	[NGRE_TUNNEL_A_PMTUDISC]	= NLA_POLICY_MAX(NLA_U8, 1),
	[NGRE_TUNNEL_A_MTU]		= { .type = NLA_U32 },
	[NGRE_TUNNEL_A_OPERSTATE]	= { .type = NLA_REJECT },
	[NGRE_TUNNEL_A_DOWN_REASON]	= { .type = NLA_REJECT },
	[NGRE_TUNNEL_A_STATS]		= { .type = NLA_REJECT },
	[NGRE_TUNNEL_A_KEEPALIVE_PERIOD] = NLA_POLICY_MAX(NLA_U16, 32767),
	[NGRE_TUNNEL_A_KEEPALIVE_RETRIES] = NLA_POLICY_MIN(NLA_U8, 1),
	[NGRE_TUNNEL_A_HEALTH]		= { .type = NLA_REJECT },
	[NGRE_TUNNEL_A_PROBE_ADDR]	= { .type = NLA_BE32 },
	[NGRE_TUNNEL_A_PROBE_INTERVAL]	= NLA_POLICY_RANGE(NLA_U16, 1, 32767),
	[NGRE_TUNNEL_A_PROBE_RETRIES]	= NLA_POLICY_MIN(NLA_U8, 1),
};

static struct netlink_range_validation ngre_max_tunnels_range __ro_after_init = {
	.min = 1,
	.max = NGRE_MAX_TUNNELS_LIMIT,
};

static struct netlink_range_validation ngre_max_sessions_range __ro_after_init = {
	.min = 1,
	.max = NGRE_MAX_SESSIONS_LIMIT,
};

/* In milliseconds a session's time left fits in its u32 attribute. */
static struct netlink_range_validation ngre_timeout_range __ro_after_init = {
	.min = 1,
	.max = NGRE_TIMEOUT_MAX,
};

static const struct nla_policy ngre_config_policy[NGRE_CONFIG_A_MAX + 1] = {
	[NGRE_CONFIG_A_MAX_TUNNELS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_max_tunnels_range),
	[NGRE_CONFIG_A_TUNNELS]		= { .type = NLA_REJECT },
	[NGRE_CONFIG_A_MAX_SESSIONS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_max_sessions_range),
	[NGRE_CONFIG_A_SESSIONS]	= { .type = NLA_REJECT },
	[NGRE_CONFIG_A_SERVICES]	= { .type = NLA_REJECT },
	[NGRE_CONFIG_A_TIMEOUT_TCP_OPENING] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_timeout_range),
	[NGRE_CONFIG_A_TIMEOUT_TCP_ESTABLISHED] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_timeout_range),
	[NGRE_CONFIG_A_TIMEOUT_TCP_CLOSING] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_timeout_range),
	[NGRE_CONFIG_A_TIMEOUT_UDP]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_timeout_range),
	[NGRE_CONFIG_A_TIMEOUT_ICMP]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_timeout_range),
	[NGRE_CONFIG_A_TIMEOUT_OTHER]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_timeout_range),
};

/* The timeout attributes, in enum ngre_timeout's order. */
static const u8 ngre_timeout_attr[NGRE_TO_N] = {
	[NGRE_TO_TCP_OPENING]		= NGRE_CONFIG_A_TIMEOUT_TCP_OPENING,
	[NGRE_TO_TCP_ESTABLISHED]	= NGRE_CONFIG_A_TIMEOUT_TCP_ESTABLISHED,
	[NGRE_TO_TCP_CLOSING]		= NGRE_CONFIG_A_TIMEOUT_TCP_CLOSING,
	[NGRE_TO_UDP]			= NGRE_CONFIG_A_TIMEOUT_UDP,
	[NGRE_TO_ICMP]			= NGRE_CONFIG_A_TIMEOUT_ICMP,
	[NGRE_TO_OTHER]			= NGRE_CONFIG_A_TIMEOUT_OTHER,
};

/* Top-level policies, one per object: an op accepts only its own nest. */
static const struct nla_policy ngre_tunnel_req_policy[NGRE_A_MAX + 1] = {
	[NGRE_A_TUNNEL]	= NLA_POLICY_NESTED(ngre_tunnel_policy),
};

static const struct nla_policy ngre_config_req_policy[NGRE_A_MAX + 1] = {
	[NGRE_A_CONFIG]	= NLA_POLICY_NESTED(ngre_config_policy),
};

/* The family is registered and events may be sent; RTNL. */
static bool ngre_events_on;

/* Someone listens to @net's events.  RTNL. */
static bool ngre_events_wanted(struct net *net)
{
	ASSERT_RTNL();
	return ngre_events_on &&
	       genl_has_listeners(&ngre_genl_family, net, NGRE_MCGRP_EVENTS_ID);
}

/* A message for an event in @net, or NULL if nobody listens (or no
 * memory).  RTNL.
 */
struct sk_buff *ngre_event_new(struct net *net)
{
	if (!ngre_events_wanted(net))
		return NULL;
	return genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
}

/* Send the event @skb to @net's listeners, if @err (its filling) is 0. */
void ngre_event_send(struct net *net, struct sk_buff *skb, int err)
{
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&ngre_genl_family, net, skb, 0,
				NGRE_MCGRP_EVENTS_ID, GFP_KERNEL);
}

/**
 * ngre_parse_nest - parse the object nest of a request
 * @info: the request
 * @type: the nest's attribute (NGRE_A_*)
 * @tb: the parsed nest, @maxtype + 1 entries
 * @maxtype: the nest's highest attribute
 * @policy: the nest's policy
 * @missing: the message when the nest is missing (a string constant)
 *
 * Return: 0, or a negative errno with the extack set.
 */
int ngre_parse_nest(struct genl_info *info, int type, struct nlattr **tb,
		    int maxtype, const struct nla_policy *policy,
		    const char *missing)
{
	if (GENL_REQ_ATTR_CHECK(info, type)) {
		/* What NL_SET_ERR_MSG() does, for a message not written
		 * here (GENL_REQ_ATTR_CHECK() has set the missing type).
		 */
		if (info->extack)
			info->extack->_msg = missing;
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[type], policy,
				info->extack);
}

/* ---- replies and events ------------------------------------------------ */

static int ngre_put_stats(struct sk_buff *skb, struct net_device *dev)
{
	struct rtnl_link_stats64 st;
	struct nlattr *nest;

	dev_get_stats(dev, &st);
	nest = nla_nest_start(skb, NGRE_TUNNEL_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, NGRE_TSTATS_A_RX_PACKETS, st.rx_packets, NGRE_TSTATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_TSTATS_A_RX_BYTES, st.rx_bytes, NGRE_TSTATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_TSTATS_A_RX_ERRORS, st.rx_errors, NGRE_TSTATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_TSTATS_A_RX_DROPPED, st.rx_dropped, NGRE_TSTATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_TSTATS_A_TX_PACKETS, st.tx_packets, NGRE_TSTATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_TSTATS_A_TX_BYTES, st.tx_bytes, NGRE_TSTATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_TSTATS_A_TX_ERRORS, st.tx_errors, NGRE_TSTATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_TSTATS_A_TX_DROPPED, st.tx_dropped, NGRE_TSTATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The keepalives' counters of @t (nest NGRE_TUNNEL_A_HEALTH). */
static int ngre_put_health(struct sk_buff *skb, struct ngre_tunnel *t)
{
	const struct ngre_health *h = &t->health;
	struct nlattr *nest;
	u32 last_ms;

	nest = nla_nest_start(skb, NGRE_TUNNEL_A_HEALTH);
	if (!nest ||
	    nla_put_u64_64bit(skb, NGRE_HEALTH_A_KEEPALIVE_SENT,
			      atomic64_read(&h->sent), NGRE_HEALTH_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_HEALTH_A_KEEPALIVE_REPLIES,
			      atomic64_read(&h->replies), NGRE_HEALTH_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_HEALTH_A_KEEPALIVE_REFLECTED,
			      atomic64_read(&h->reflected), NGRE_HEALTH_A_PAD) ||
	    (ngre_health_last_reply_ms(h, &last_ms) &&
	     nla_put_u32(skb, NGRE_HEALTH_A_LAST_REPLY_MS, last_ms)) ||
	    nla_put_u32(skb, NGRE_HEALTH_A_CHANGES, h->changes) ||
	    nla_put_u64_64bit(skb, NGRE_HEALTH_A_PROBE_SENT,
			      atomic64_read(&h->probes), NGRE_HEALTH_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_HEALTH_A_PROBE_REPLIES,
			      atomic64_read(&h->probe_replies), NGRE_HEALTH_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ngre_tunnel_put(struct sk_buff *skb, struct ngre_tunnel *t)
{
	const struct ngre_tunnel_params *p = ngre_tunnel_params_rtnl(t);
	const struct ngre_tunnel_cfg *c = &p->cfg;
	struct nlattr *nest;

	nest = nla_nest_start(skb, NGRE_A_TUNNEL);
	if (!nest ||
	    nla_put_u32(skb, NGRE_TUNNEL_A_IFINDEX, t->dev->ifindex) ||
	    nla_put_string(skb, NGRE_TUNNEL_A_IFNAME, t->dev->name) ||
	    nla_put_u32(skb, NGRE_TUNNEL_A_PARENT, c->parent_ifindex) ||
	    nla_put_u16(skb, NGRE_TUNNEL_A_VLAN, c->vid) ||
	    (p->link_ifindex &&
	     nla_put_u32(skb, NGRE_TUNNEL_A_LINK, p->link_ifindex)) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_LOCAL_MODE, c->local_mode) ||
	    nla_put_in_addr(skb, NGRE_TUNNEL_A_LOCAL, p->saddr) ||
	    nla_put_in_addr(skb, NGRE_TUNNEL_A_REMOTE, c->remote) ||
	    nla_put_bitfield32(skb, NGRE_TUNNEL_A_IFLAGS, c->iflags, NGRE_F_ALL) ||
	    nla_put_bitfield32(skb, NGRE_TUNNEL_A_OFLAGS, c->oflags, NGRE_F_ALL) ||
	    nla_put_u32(skb, NGRE_TUNNEL_A_IKEY, be32_to_cpu(c->ikey)) ||
	    nla_put_u32(skb, NGRE_TUNNEL_A_OKEY, be32_to_cpu(c->okey)) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_TTL, c->ttl) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_TOS, c->tos) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_TOS_INHERIT, c->tos_inherit) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_PMTUDISC, c->pmtudisc) ||
	    nla_put_u32(skb, NGRE_TUNNEL_A_MTU, t->dev->mtu) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_OPERSTATE,
		       ngre_tunnel_down_reason(t, p) == NGRE_DOWN_NONE &&
		       netif_carrier_ok(t->dev)) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_DOWN_REASON,
		       ngre_tunnel_down_reason(t, p)) ||
	    nla_put_u16(skb, NGRE_TUNNEL_A_KEEPALIVE_PERIOD, c->ka_period) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_KEEPALIVE_RETRIES, c->ka_retries) ||
	    nla_put_in_addr(skb, NGRE_TUNNEL_A_PROBE_ADDR, c->probe_addr) ||
	    nla_put_u16(skb, NGRE_TUNNEL_A_PROBE_INTERVAL, c->probe_interval) ||
	    nla_put_u8(skb, NGRE_TUNNEL_A_PROBE_RETRIES, c->probe_retries) ||
	    ngre_put_stats(skb, t->dev) || ngre_put_health(skb, t))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ngre_tunnel_fill(struct sk_buff *skb, struct ngre_tunnel *t,
			    u32 portid, u32 seq, int flags, u8 cmd,
			    struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ngre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (ngre_tunnel_put(skb, t)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Announce a tunnel's creation, deletion or change on the events group.
 * Tunnels not (or no longer) on their namespace's list are not announced.
 */
void ngre_tunnel_event(struct ngre_tunnel *t, enum ngre_event ev)
{
	struct net *net = dev_net(t->dev);
	struct sk_buff *skb;

	if (list_empty(&t->list))
		return;
	skb = ngre_event_new(net);
	if (skb)
		ngre_event_send(net, skb,
				ngre_tunnel_fill(skb, t, 0, 0, 0, ev, NULL));
}

/* ---- requests ------------------------------------------------------------ */

static int ngre_parse_tunnel(struct genl_info *info,
			     struct nlattr *tb[NGRE_TUNNEL_A_MAX + 1])
{
	return ngre_parse_nest(info, NGRE_A_TUNNEL, tb, NGRE_TUNNEL_A_MAX,
			       ngre_tunnel_policy,
			       "missing the tunnel nest (NGRE_A_TUNNEL)");
}

/**
 * ngre_req_tunnel_lock - parse a request and find the tunnel it names
 * @info: the request
 * @tb: the parsed tunnel nest
 *
 * The tunnel is named by IFINDEX or IFNAME.  On success the RTNL is held
 * and the tunnel stays valid until the caller drops it; on error the RTNL
 * is not held.
 *
 * Return: the tunnel, or an ERR_PTR() with the extack set.
 */
static struct ngre_tunnel *ngre_req_tunnel_lock(struct genl_info *info,
						struct nlattr **tb)
{
	struct ngre_tunnel *t;
	int err;

	err = ngre_parse_tunnel(info, tb);
	if (err)
		return ERR_PTR(err);
	if (!tb[NGRE_TUNNEL_A_IFINDEX] && !tb[NGRE_TUNNEL_A_IFNAME]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[NGRE_A_TUNNEL],
				     NGRE_TUNNEL_A_IFNAME);
		NL_SET_ERR_MSG(info->extack, "tunnel not named (ifindex or ifname)");
		return ERR_PTR(-EINVAL);
	}
	rtnl_lock();
	t = ngre_tunnel_find(genl_info_net(info),
			     tb[NGRE_TUNNEL_A_IFINDEX] ?
			     nla_get_u32(tb[NGRE_TUNNEL_A_IFINDEX]) : 0,
			     tb[NGRE_TUNNEL_A_IFNAME] ?
			     nla_data(tb[NGRE_TUNNEL_A_IFNAME]) : NULL);
	if (!t) {
		rtnl_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[NGRE_TUNNEL_A_IFINDEX] ?: tb[NGRE_TUNNEL_A_IFNAME],
				    "no such ngre tunnel");
		return ERR_PTR(-ENODEV);
	}
	return t;
}

/*
 * Apply the change of GRE flags in @attr, if given, to @flags: the flags
 * in its selector take their values from it, the others stay as they are.
 * The policy already refused selectors and values with unknown flags and
 * values outside the selector.
 */
static void ngre_nl_flags_change(u32 *flags, const struct nlattr *attr)
{
	struct nla_bitfield32 bf;

	if (!attr)
		return;
	bf = nla_get_bitfield32(attr);
	*flags = (*flags & ~bf.selector) | (bf.value & bf.selector);
}

/* Fill @cfg (already holding defaults or the current values) from @tb. */
static int ngre_cfg_from_attrs(struct net *net, struct ngre_tunnel_cfg *cfg,
			       struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct nlattr *a;

	a = tb[NGRE_TUNNEL_A_PARENT];
	if (a) {
		struct net_device *parent = __dev_get_by_index(net, nla_get_u32(a));

		if (!parent) {
			NL_SET_ERR_MSG_ATTR(extack, a, "parent device not found");
			return -ENODEV;
		}
		cfg->vid = 0;
		if (is_vlan_dev(parent)) {
			if (vlan_dev_vlan_proto(parent) != htons(ETH_P_8021Q)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "parent is an 802.1ad device; only 802.1Q is supported");
				return -EOPNOTSUPP;
			}
			/* eth0.100 names (eth0, VID 100). */
			cfg->vid = vlan_dev_vlan_id(parent);
			parent = ngre_vlan_lower(parent);
			if (!net_eq(dev_net(parent), net)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "parent is a VLAN device whose lower device is in another network namespace");
				return -EINVAL;
			}
			if (is_vlan_dev(parent)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "parent is a VLAN on a VLAN (QinQ); only one 802.1Q tag is supported");
				return -EOPNOTSUPP;
			}
			if (tb[NGRE_TUNNEL_A_VLAN] &&
			    nla_get_u16(tb[NGRE_TUNNEL_A_VLAN]) != cfg->vid) {
				NL_SET_ERR_MSG_ATTR(extack, tb[NGRE_TUNNEL_A_VLAN],
						    "vlan differs from the VID of the parent VLAN device");
				return -EINVAL;
			}
		}
		cfg->parent_ifindex = parent->ifindex;
	}
	if (tb[NGRE_TUNNEL_A_VLAN])
		cfg->vid = nla_get_u16(tb[NGRE_TUNNEL_A_VLAN]);

	a = tb[NGRE_TUNNEL_A_LOCAL_MODE];
	if (a)
		cfg->local_mode = nla_get_u8(a);
	if (tb[NGRE_TUNNEL_A_LOCAL]) {
		if (a && cfg->local_mode == NGRE_LOCAL_INHERIT) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NGRE_TUNNEL_A_LOCAL],
					    "local address given with local_mode inherit");
			return -EINVAL;
		}
		cfg->local_mode = NGRE_LOCAL_CUSTOM;
		cfg->local = nla_get_in_addr(tb[NGRE_TUNNEL_A_LOCAL]);
	}
	if (cfg->local_mode == NGRE_LOCAL_INHERIT) {
		cfg->local = 0;
	} else if (!cfg->local && !tb[NGRE_TUNNEL_A_LOCAL]) {
		NL_SET_ERR_MSG_ATTR(extack, a, "local_mode custom needs a local address");
		return -EINVAL;
	}

	if (tb[NGRE_TUNNEL_A_REMOTE])
		cfg->remote = nla_get_in_addr(tb[NGRE_TUNNEL_A_REMOTE]);
	ngre_nl_flags_change(&cfg->iflags, tb[NGRE_TUNNEL_A_IFLAGS]);
	ngre_nl_flags_change(&cfg->oflags, tb[NGRE_TUNNEL_A_OFLAGS]);
	if (tb[NGRE_TUNNEL_A_IKEY])
		cfg->ikey = cpu_to_be32(nla_get_u32(tb[NGRE_TUNNEL_A_IKEY]));
	if (tb[NGRE_TUNNEL_A_OKEY])
		cfg->okey = cpu_to_be32(nla_get_u32(tb[NGRE_TUNNEL_A_OKEY]));
	if (!(cfg->iflags & NGRE_F_KEY))
		cfg->ikey = 0;
	if (!(cfg->oflags & NGRE_F_KEY))
		cfg->okey = 0;
	if (tb[NGRE_TUNNEL_A_TTL])
		cfg->ttl = nla_get_u8(tb[NGRE_TUNNEL_A_TTL]);
	if (tb[NGRE_TUNNEL_A_TOS])
		cfg->tos = nla_get_u8(tb[NGRE_TUNNEL_A_TOS]);
	if (tb[NGRE_TUNNEL_A_TOS_INHERIT])
		cfg->tos_inherit = nla_get_u8(tb[NGRE_TUNNEL_A_TOS_INHERIT]);
	if (tb[NGRE_TUNNEL_A_PMTUDISC])
		cfg->pmtudisc = nla_get_u8(tb[NGRE_TUNNEL_A_PMTUDISC]);
	if (tb[NGRE_TUNNEL_A_MTU])
		cfg->mtu = nla_get_u32(tb[NGRE_TUNNEL_A_MTU]);
	if (tb[NGRE_TUNNEL_A_KEEPALIVE_PERIOD])
		cfg->ka_period = nla_get_u16(tb[NGRE_TUNNEL_A_KEEPALIVE_PERIOD]);
	if (tb[NGRE_TUNNEL_A_KEEPALIVE_RETRIES])
		cfg->ka_retries = nla_get_u8(tb[NGRE_TUNNEL_A_KEEPALIVE_RETRIES]);
	if (tb[NGRE_TUNNEL_A_PROBE_ADDR])
		cfg->probe_addr = nla_get_in_addr(tb[NGRE_TUNNEL_A_PROBE_ADDR]);
	if (tb[NGRE_TUNNEL_A_PROBE_INTERVAL])
		cfg->probe_interval = nla_get_u16(tb[NGRE_TUNNEL_A_PROBE_INTERVAL]);
	if (tb[NGRE_TUNNEL_A_PROBE_RETRIES])
		cfg->probe_retries = nla_get_u8(tb[NGRE_TUNNEL_A_PROBE_RETRIES]);

	/* As ip_gre: a fixed TTL needs DF (no fragments loop forever). */
	if (!cfg->pmtudisc && cfg->ttl) {
		NL_SET_ERR_MSG_ATTR(extack,
				    tb[NGRE_TUNNEL_A_PMTUDISC] ?: tb[NGRE_TUNNEL_A_TTL],
				    "nopmtudisc needs ttl inherit");
		return -EINVAL;
	}
	return 0;
}

static int ngre_nl_tunnel_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[NGRE_TUNNEL_A_MAX + 1];
	struct net *net = genl_info_net(info);
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[NGRE_A_TUNNEL];
	struct ngre_tunnel_cfg cfg;
	struct ngre_tunnel *t;
	int err;

	err = ngre_parse_tunnel(info, tb);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, NGRE_TUNNEL_A_IFNAME) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, NGRE_TUNNEL_A_PARENT) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, NGRE_TUNNEL_A_REMOTE)) {
		NL_SET_ERR_MSG(extack, "ifname, parent and remote are required");
		return -EINVAL;
	}
	if (tb[NGRE_TUNNEL_A_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NGRE_TUNNEL_A_IFINDEX],
				    "ifindex cannot be chosen");
		return -EINVAL;
	}

	ngre_cfg_defaults(&cfg);
	rtnl_lock();
	err = ngre_cfg_from_attrs(net, &cfg, tb, extack);
	if (!err)
		err = ngre_cfg_validate(net, &cfg, NULL, extack);
	if (!err) {
		t = ngre_tunnel_create(net, nla_data(tb[NGRE_TUNNEL_A_IFNAME]),
				       &cfg, extack);
		err = PTR_ERR_OR_ZERO(t);
	}
	rtnl_unlock();
	return err;
}

static int ngre_nl_tunnel_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[NGRE_TUNNEL_A_MAX + 1];
	struct net *net = genl_info_net(info);
	struct ngre_tunnel_cfg cfg;
	struct ngre_tunnel *t;
	int err;

	t = ngre_req_tunnel_lock(info, tb);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (tb[NGRE_TUNNEL_A_IFINDEX] && tb[NGRE_TUNNEL_A_IFNAME] &&
	    strcmp(t->dev->name, nla_data(tb[NGRE_TUNNEL_A_IFNAME]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NGRE_TUNNEL_A_IFNAME],
				    "renaming is done with ip link");
		err = -EINVAL;
		goto out;
	}
	cfg = ngre_tunnel_params_rtnl(t)->cfg;
	err = ngre_cfg_from_attrs(net, &cfg, tb, info->extack);
	if (!err)
		err = ngre_cfg_validate(net, &cfg, t, info->extack);
	if (!err)
		err = ngre_tunnel_apply(t, &cfg);
out:
	rtnl_unlock();
	return err;
}

static int ngre_nl_tunnel_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[NGRE_TUNNEL_A_MAX + 1];
	struct ngre_tunnel *t;

	t = ngre_req_tunnel_lock(info, tb);
	if (IS_ERR(t))
		return PTR_ERR(t);
	unregister_netdevice(t->dev);
	rtnl_unlock();
	return 0;
}

static int ngre_nl_tunnel_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[NGRE_TUNNEL_A_MAX + 1];
	struct ngre_tunnel *t;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	t = ngre_req_tunnel_lock(info, tb);
	if (IS_ERR(t)) {
		nlmsg_free(msg);
		return PTR_ERR(t);
	}
	err = ngre_tunnel_fill(msg, t, info->snd_portid, info->snd_seq, 0,
			       NGRE_CMD_TUNNEL_GET, NULL);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: how many tunnels were dumped already. */
static int ngre_nl_tunnel_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ngre_net *nn = ngre_pernet(sock_net(skb->sk));
	struct ngre_tunnel *t;
	long i = 0, skip = cb->args[0];
	int err = 0;

	rtnl_lock();
	cb->seq = nn->gen;
	list_for_each_entry(t, &nn->tunnels, list) {
		if (i++ < skip)
			continue;
		err = ngre_tunnel_fill(skb, t, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       NGRE_CMD_TUNNEL_GET, cb);
		if (err) {
			i--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = i;
	/* A full skb ends this round; the dump goes on in the next one. */
	return err && skb->len ? skb->len : err;
}

/*
 * Answer @info with a @cmd message holding one nest @nest_type that
 * @fill fills from @nn.  For the namespace-wide replies (config, stats).
 */
static int ngre_nest_reply(struct genl_info *info, u8 cmd, int nest_type,
			   int (*fill)(struct sk_buff *msg, struct ngre_net *nn),
			   struct ngre_net *nn)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ngre_genl_family, 0, cmd);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, nest_type);
	if (!nest || fill(msg, nn))
		goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* Under the RTNL. */
static int ngre_config_fill(struct sk_buff *msg, struct ngre_net *nn)
{
	const struct ngre_session_table *tab = &nn->sessions;
	int i;

	if (nla_put_u32(msg, NGRE_CONFIG_A_MAX_TUNNELS, nn->max_tunnels) ||
	    nla_put_u32(msg, NGRE_CONFIG_A_TUNNELS, nn->n_tunnels) ||
	    nla_put_u32(msg, NGRE_CONFIG_A_MAX_SESSIONS, READ_ONCE(tab->max)) ||
	    nla_put_u32(msg, NGRE_CONFIG_A_SESSIONS, atomic_read(&tab->count)) ||
	    nla_put_u32(msg, NGRE_CONFIG_A_SERVICES, nn->services.count))
		return -EMSGSIZE;
	for (i = 0; i < NGRE_TO_N; i++) {
		if (nla_put_u32(msg, ngre_timeout_attr[i],
				READ_ONCE(tab->timeout[i]) / HZ))
			return -EMSGSIZE;
	}
	return 0;
}

static int ngre_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ngre_net *nn = ngre_pernet(genl_info_net(info));
	int err;

	rtnl_lock();
	err = ngre_nest_reply(info, NGRE_CMD_CONFIG_GET, NGRE_A_CONFIG,
			      ngre_config_fill, nn);
	rtnl_unlock();
	return err;
}

static int ngre_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct ngre_net *nn = ngre_pernet(genl_info_net(info));
	struct nlattr *tb[NGRE_CONFIG_A_MAX + 1];
	int err, i;

	err = ngre_parse_nest(info, NGRE_A_CONFIG, tb, NGRE_CONFIG_A_MAX,
			      ngre_config_policy,
			      "missing the config nest (NGRE_A_CONFIG)");
	if (err)
		return err;
	rtnl_lock();
	if (tb[NGRE_CONFIG_A_MAX_TUNNELS])
		nn->max_tunnels = nla_get_u32(tb[NGRE_CONFIG_A_MAX_TUNNELS]);
	if (tb[NGRE_CONFIG_A_MAX_SESSIONS])
		WRITE_ONCE(nn->sessions.max,
			   nla_get_u32(tb[NGRE_CONFIG_A_MAX_SESSIONS]));
	for (i = 0; i < NGRE_TO_N; i++) {
		if (tb[ngre_timeout_attr[i]])
			WRITE_ONCE(nn->sessions.timeout[i],
				   (unsigned long)nla_get_u32(tb[ngre_timeout_attr[i]]) * HZ);
	}
	/* Sessions may expire sooner now. */
	ngre_session_gc_soon(&nn->sessions);
	rtnl_unlock();
	return 0;
}

/* STATS_GET takes no attribute: every one is refused. */
static const struct nla_policy ngre_stats_req_policy[NGRE_A_MAX + 1] = {
};

static int ngre_stats_fill(struct sk_buff *msg, struct ngre_net *nn)
{
	u64 v[NGRE_STATS_N];
	int i;

	ngre_stats_read(nn, v);
	for (i = 0; i < NGRE_STATS_N; i++) {
		if (nla_put_u64_64bit(msg, ngre_stat_attr(i), v[i],
				      NGRE_STATS_A_PAD))
			return -EMSGSIZE;
	}
	return 0;
}

static int ngre_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	return ngre_nest_reply(info, NGRE_CMD_STATS_GET, NGRE_A_STATS,
			       ngre_stats_fill,
			       ngre_pernet(genl_info_net(info)));
}

static const struct genl_ops ngre_genl_ops[] = {
	{
		.cmd	= NGRE_CMD_TUNNEL_NEW,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= ngre_tunnel_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_tunnel_new,
	}, {
		.cmd	= NGRE_CMD_TUNNEL_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= ngre_tunnel_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_tunnel_del,
	}, {
		.cmd	= NGRE_CMD_TUNNEL_GET,
		.policy	= ngre_tunnel_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_tunnel_get,
		.dumpit	= ngre_nl_tunnel_dump,
	}, {
		.cmd	= NGRE_CMD_TUNNEL_SET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= ngre_tunnel_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_tunnel_set,
	}, {
		.cmd	= NGRE_CMD_SERVICE_NEW,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= ngre_service_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_service_new,
	}, {
		.cmd	= NGRE_CMD_SERVICE_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= ngre_service_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_service_del,
	}, {
		.cmd	= NGRE_CMD_SERVICE_GET,
		.policy	= ngre_service_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_service_get,
		.dumpit	= ngre_nl_service_dump,
	}, {
		.cmd	= NGRE_CMD_SERVICE_SET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= ngre_service_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_service_set,
	}, {
		.cmd	= NGRE_CMD_SESSION_GET,
		.policy	= ngre_session_req_policy,
		.maxattr = NGRE_A_MAX,
		.start	= ngre_nl_session_dump_start,
		.dumpit	= ngre_nl_session_dump,
		.done	= ngre_nl_session_dump_done,
	}, {
		.cmd	= NGRE_CMD_SESSION_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= ngre_session_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_session_del,
	}, {
		.cmd	= NGRE_CMD_STATS_GET,
		.policy	= ngre_stats_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_stats_get,
	}, {
		.cmd	= NGRE_CMD_CONFIG_GET,
		.policy	= ngre_config_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_config_get,
	}, {
		.cmd	= NGRE_CMD_CONFIG_SET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.policy	= ngre_config_req_policy,
		.maxattr = NGRE_A_MAX,
		.doit	= ngre_nl_config_set,
	},
};

struct genl_family ngre_genl_family __ro_after_init = {
	.name		= NGRE_GENL_NAME,
	.version	= NGRE_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= ngre_genl_ops,
	.n_ops		= ARRAY_SIZE(ngre_genl_ops),
	.mcgrps		= ngre_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ngre_mcgrps),
};

int __init ngre_genl_init(void)
{
	int err;

	err = genl_register_family(&ngre_genl_family);
	if (err)
		return err;
	rtnl_lock();
	ngre_events_on = true;
	rtnl_unlock();
	return 0;
}

/* After this, tunnels deleted at unload are not announced: the family's
 * multicast group ids are no longer ours.
 */
void ngre_genl_exit(void)
{
	rtnl_lock();
	ngre_events_on = false;
	rtnl_unlock();
	genl_unregister_family(&ngre_genl_family);
}
