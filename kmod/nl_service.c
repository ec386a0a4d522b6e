// SPDX-License-Identifier: GPL-2.0
/*
 * The SERVICE_* commands of the ngre family: services are created,
 * replaced, deleted and shown, and their changes announced on the
 * events group.  Handlers run under the RTNL (service.c's lock).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/sock.h>

#include "ngre.h"

static const struct nla_policy ngre_prefix_policy[NGRE_PREFIX_A_MAX + 1] = {
	[NGRE_PREFIX_A_ADDR]	= { .type = NLA_BE32 },
	[NGRE_PREFIX_A_LEN]	= NLA_POLICY_MAX(NLA_U8, 32),
};

/* nla_policy's min and max are s16: wider ranges need these. */
static struct netlink_range_validation ngre_weight_range __ro_after_init = {
	.min = 1,
	.max = 65535,
};

static struct netlink_range_validation ngre_priority_range __ro_after_init = {
	.max = 65535,
};

static const struct nla_policy ngre_nh_policy[NGRE_NH_A_MAX + 1] = {
	[NGRE_NH_A_KIND]	= NLA_POLICY_MAX(NLA_U8, NGRE_NH_DEVICE),
	[NGRE_NH_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[NGRE_NH_A_GATEWAY]	= { .type = NLA_BE32 },
	[NGRE_NH_A_WEIGHT]	= NLA_POLICY_FULL_RANGE(NLA_U32, &ngre_weight_range),
	[NGRE_NH_A_PRIORITY]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&ngre_priority_range),
	[NGRE_NH_A_USABLE]	= { .type = NLA_REJECT },
	[NGRE_NH_A_SESSIONS]	= { .type = NLA_REJECT },
	[NGRE_NH_A_PACKETS]	= { .type = NLA_REJECT },
	[NGRE_NH_A_BYTES]	= { .type = NLA_REJECT },
};

static const struct nla_policy ngre_service_policy[NGRE_SERVICE_A_MAX + 1] = {
	[NGRE_SERVICE_A_NAME]		= { .type = NLA_NUL_STRING,
					    .len = NGRE_SERVICE_NAMSIZ - 1 },
	[NGRE_SERVICE_A_PREFIX]		= NLA_POLICY_NESTED(ngre_prefix_policy),
	[NGRE_SERVICE_A_PROTO]		= { .type = NLA_U8 },
	[NGRE_SERVICE_A_PORT_MIN]	= NLA_POLICY_MIN(NLA_U16, 1),
	[NGRE_SERVICE_A_PORT_MAX]	= NLA_POLICY_MIN(NLA_U16, 1),
	[NGRE_SERVICE_A_LB]		= NLA_POLICY_MAX(NLA_U8, NGRE_LB_HUNT),
	[NGRE_SERVICE_A_NEXTHOP]	= NLA_POLICY_NESTED(ngre_nh_policy),
	[NGRE_SERVICE_A_FROM_DEV]	= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[NGRE_SERVICE_A_SESSIONS]	= { .type = NLA_REJECT },
};

const struct nla_policy ngre_service_req_policy[NGRE_A_MAX + 1] = {
	[NGRE_A_SERVICE]	= NLA_POLICY_NESTED(ngre_service_policy),
};

/* ---- replies and events ------------------------------------------------ */

static int ngre_nh_put(struct sk_buff *skb, struct net *net,
		       const struct ngre_nh *nh)
{
	struct net_device *dev;
	struct nlattr *nest;
	bool usable;
	__be32 gw;

	rcu_read_lock();
	usable = ngre_nh_usable(net, nh, &dev, &gw);
	rcu_read_unlock();
	nest = nla_nest_start(skb, NGRE_SERVICE_A_NEXTHOP);
	if (!nest ||
	    nla_put_u8(skb, NGRE_NH_A_KIND, nh->kind) ||
	    nla_put_string(skb, NGRE_NH_A_IFNAME, nh->ifname) ||
	    (nh->kind == NGRE_NH_GATEWAY &&
	     nla_put_in_addr(skb, NGRE_NH_A_GATEWAY, nh->gw)) ||
	    nla_put_u32(skb, NGRE_NH_A_WEIGHT, nh->weight) ||
	    nla_put_u32(skb, NGRE_NH_A_PRIORITY, nh->priority) ||
	    nla_put_u8(skb, NGRE_NH_A_USABLE, usable) ||
	    nla_put_u64_64bit(skb, NGRE_NH_A_SESSIONS,
			      atomic64_read(&nh->sessions), NGRE_NH_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_NH_A_PACKETS,
			      atomic64_read(&nh->packets), NGRE_NH_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_NH_A_BYTES,
			      atomic64_read(&nh->bytes), NGRE_NH_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ngre_prefix_put(struct sk_buff *skb, const struct ngre_svc_match *m)
{
	struct nlattr *nest = nla_nest_start(skb, NGRE_SERVICE_A_PREFIX);

	if (!nest ||
	    nla_put_in_addr(skb, NGRE_PREFIX_A_ADDR, m->addr) ||
	    nla_put_u8(skb, NGRE_PREFIX_A_LEN, m->len))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ngre_service_put_attrs(struct sk_buff *skb, struct net *net,
				  const struct ngre_service *svc)
{
	unsigned int i;

	if (nla_put_string(skb, NGRE_SERVICE_A_NAME, svc->name) ||
	    nla_put_u8(skb, NGRE_SERVICE_A_LB, svc->lb) ||
	    nla_put_u32(skb, NGRE_SERVICE_A_SESSIONS,
			atomic_read(&svc->n_sessions)) ||
	    (svc->proto && nla_put_u8(skb, NGRE_SERVICE_A_PROTO, svc->proto)) ||
	    (svc->port_min &&
	     (nla_put_u16(skb, NGRE_SERVICE_A_PORT_MIN, svc->port_min) ||
	      nla_put_u16(skb, NGRE_SERVICE_A_PORT_MAX, svc->port_max))))
		return -EMSGSIZE;
	for (i = 0; i < svc->n_prefixes; i++) {
		if (ngre_prefix_put(skb, &svc->match[i]))
			return -EMSGSIZE;
	}
	for (i = 0; i < svc->n_from; i++) {
		if (nla_put_string(skb, NGRE_SERVICE_A_FROM_DEV,
				   svc->from[i].ifname))
			return -EMSGSIZE;
	}
	for (i = 0; i < svc->n_nh; i++) {
		if (ngre_nh_put(skb, net, &svc->nh[i]))
			return -EMSGSIZE;
	}
	return 0;
}

static int ngre_service_fill(struct sk_buff *skb, struct net *net,
			     const struct ngre_service *svc, u32 portid,
			     u32 seq, int flags, u8 cmd,
			     struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ngre_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, NGRE_A_SERVICE);
	if (!nest || ngre_service_put_attrs(skb, net, svc)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* Announce a service's creation, deletion or change.  RTNL. */
static void ngre_service_event(struct net *net, const struct ngre_service *svc,
			       u8 cmd)
{
	struct sk_buff *skb = ngre_event_new(net);

	if (skb)
		ngre_event_send(net, skb,
				ngre_service_fill(skb, net, svc, 0, 0, 0, cmd,
						  NULL));
}

/* ---- requests ------------------------------------------------------------ */

static int ngre_parse_service(struct genl_info *info,
			      struct nlattr *tb[NGRE_SERVICE_A_MAX + 1])
{
	return ngre_parse_nest(info, NGRE_A_SERVICE, tb, NGRE_SERVICE_A_MAX,
			       ngre_service_policy,
			       "missing the service nest (NGRE_A_SERVICE)");
}

static int ngre_prefix_parse(struct nlattr *a, struct ngre_svc_match *m,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NGRE_PREFIX_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, NGRE_PREFIX_A_MAX, a, ngre_prefix_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, a, tb, NGRE_PREFIX_A_ADDR) ||
	    NL_REQ_ATTR_CHECK(extack, a, tb, NGRE_PREFIX_A_LEN)) {
		NL_SET_ERR_MSG(extack, "a prefix needs an address and a length");
		return -EINVAL;
	}
	m->addr = nla_get_in_addr(tb[NGRE_PREFIX_A_ADDR]);
	m->len = nla_get_u8(tb[NGRE_PREFIX_A_LEN]);
	if (m->addr & ~inet_make_mask(m->len)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NGRE_PREFIX_A_ADDR],
				    "prefix has host bits set");
		return -EINVAL;
	}
	return 0;
}

static int ngre_nh_parse(struct nlattr *a, struct ngre_nh *nh,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NGRE_NH_A_MAX + 1];
	bool is_gw;
	int err;

	err = nla_parse_nested(tb, NGRE_NH_A_MAX, a, ngre_nh_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, a, tb, NGRE_NH_A_KIND) ||
	    NL_REQ_ATTR_CHECK(extack, a, tb, NGRE_NH_A_IFNAME)) {
		NL_SET_ERR_MSG(extack, "a next hop needs a kind and a device name");
		return -EINVAL;
	}
	nh->kind = nla_get_u8(tb[NGRE_NH_A_KIND]);
	nla_strscpy(nh->ifname, tb[NGRE_NH_A_IFNAME], IFNAMSIZ);
	if (!dev_valid_name(nh->ifname)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NGRE_NH_A_IFNAME],
				    "invalid next hop device name");
		return -EINVAL;
	}
	is_gw = nh->kind == NGRE_NH_GATEWAY;
	if (is_gw != !!tb[NGRE_NH_A_GATEWAY]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NGRE_NH_A_GATEWAY] ?: a,
				    "a gateway address goes with kind gateway, and only with it");
		return -EINVAL;
	}
	if (tb[NGRE_NH_A_GATEWAY]) {
		nh->gw = nla_get_in_addr(tb[NGRE_NH_A_GATEWAY]);
		if (ipv4_is_multicast(nh->gw) || ipv4_is_lbcast(nh->gw) ||
		    ipv4_is_zeronet(nh->gw) || ipv4_is_loopback(nh->gw)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NGRE_NH_A_GATEWAY],
					    "gateway must be a unicast IPv4 address");
			return -EINVAL;
		}
	}
	nh->weight = tb[NGRE_NH_A_WEIGHT] ? nla_get_u32(tb[NGRE_NH_A_WEIGHT]) : 1;
	if (tb[NGRE_NH_A_PRIORITY])
		nh->priority = nla_get_u32(tb[NGRE_NH_A_PRIORITY]);
	return 0;
}

/* Count the attributes of each repeated type in @nest, within limits. */
static int ngre_service_count(struct nlattr *nest, unsigned int *n_prefixes,
			      unsigned int *n_nh, unsigned int *n_from,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int rem;

	*n_prefixes = *n_nh = *n_from = 0;
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case NGRE_SERVICE_A_PREFIX:
			if (++*n_prefixes > NGRE_MAX_PREFIXES)
				goto too_many;
			break;
		case NGRE_SERVICE_A_NEXTHOP:
			if (++*n_nh > NGRE_MAX_NEXTHOPS)
				goto too_many;
			break;
		case NGRE_SERVICE_A_FROM_DEV:
			if (++*n_from > NGRE_MAX_FROM_DEVS)
				goto too_many;
			break;
		}
	}
	if (!*n_prefixes || !*n_nh) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a service needs at least one prefix and one next hop");
		return -EINVAL;
	}
	return 0;
too_many:
	NL_SET_ERR_MSG_ATTR(extack, a,
			    "too many prefixes (" __stringify(NGRE_MAX_PREFIXES)
			    "), next hops (" __stringify(NGRE_MAX_NEXTHOPS)
			    ") or from devices (" __stringify(NGRE_MAX_FROM_DEVS) ")");
	return -E2BIG;
}

static bool ngre_proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP;
}

/* Protocol and ports of a service from @tb. */
static int ngre_service_match_parse(struct ngre_service *svc,
				    struct nlattr **tb,
				    struct netlink_ext_ack *extack)
{
	struct nlattr *pmin = tb[NGRE_SERVICE_A_PORT_MIN];
	struct nlattr *pmax = tb[NGRE_SERVICE_A_PORT_MAX];

	if (tb[NGRE_SERVICE_A_PROTO])
		svc->proto = nla_get_u8(tb[NGRE_SERVICE_A_PROTO]);
	if (pmax && !pmin) {
		NL_SET_ERR_MSG_ATTR(extack, pmax, "port_max without port_min");
		return -EINVAL;
	}
	if (!pmin)
		return 0;
	if (!ngre_proto_has_ports(svc->proto)) {
		NL_SET_ERR_MSG_ATTR(extack, pmin,
				    "ports need a protocol with ports (tcp, udp, udplite, sctp, dccp)");
		return -EINVAL;
	}
	svc->port_min = nla_get_u16(pmin);
	svc->port_max = pmax ? nla_get_u16(pmax) : svc->port_min;
	if (svc->port_max < svc->port_min) {
		NL_SET_ERR_MSG_ATTR(extack, pmax, "port_max below port_min");
		return -EINVAL;
	}
	return 0;
}

/* The repeated attributes of @nest into @svc (sized by the count). */
static int ngre_service_lists_parse(struct ngre_service *svc,
				    struct nlattr *nest,
				    struct netlink_ext_ack *extack)
{
	unsigned int np = 0, nn = 0, nf = 0, i;
	struct nlattr *a;
	int rem, err = 0;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case NGRE_SERVICE_A_PREFIX:
			err = ngre_prefix_parse(a, &svc->match[np], extack);
			for (i = 0; !err && i < np; i++) {
				if (svc->match[i].addr == svc->match[np].addr &&
				    svc->match[i].len == svc->match[np].len) {
					NL_SET_ERR_MSG_ATTR(extack, a, "prefix listed twice");
					err = -EINVAL;
				}
			}
			np++;
			break;
		case NGRE_SERVICE_A_NEXTHOP:
			err = ngre_nh_parse(a, &svc->nh[nn++], extack);
			break;
		case NGRE_SERVICE_A_FROM_DEV:
			nla_strscpy(svc->from[nf].ifname, a, IFNAMSIZ);
			if (!dev_valid_name(svc->from[nf++].ifname)) {
				NL_SET_ERR_MSG_ATTR(extack, a, "invalid from device name");
				err = -EINVAL;
			}
			break;
		}
		if (err)
			return err;
	}
	return 0;
}

/* A complete new service from a NEW or SET request; an ERR_PTR if bad. */
static struct ngre_service *ngre_service_parse_new(struct genl_info *info,
						   struct nlattr **tb)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[NGRE_A_SERVICE];
	unsigned int np, nn, nf;
	struct ngre_service *svc;
	int err;

	if (NL_REQ_ATTR_CHECK(extack, nest, tb, NGRE_SERVICE_A_NAME)) {
		NL_SET_ERR_MSG(extack, "the service needs a name");
		return ERR_PTR(-EINVAL);
	}
	if (!nla_len(tb[NGRE_SERVICE_A_NAME]) ||
	    !*(char *)nla_data(tb[NGRE_SERVICE_A_NAME])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NGRE_SERVICE_A_NAME],
				    "empty service name");
		return ERR_PTR(-EINVAL);
	}
	err = ngre_service_count(nest, &np, &nn, &nf, extack);
	if (err)
		return ERR_PTR(err);
	svc = ngre_service_alloc(nn, np, nf);
	if (!svc)
		return ERR_PTR(-ENOMEM);
	nla_strscpy(svc->name, tb[NGRE_SERVICE_A_NAME], sizeof(svc->name));
	if (tb[NGRE_SERVICE_A_LB])
		svc->lb = nla_get_u8(tb[NGRE_SERVICE_A_LB]);
	err = ngre_service_match_parse(svc, tb, extack);
	if (!err)
		err = ngre_service_lists_parse(svc, nest, extack);
	if (err) {
		ngre_service_put(svc);
		return ERR_PTR(err);
	}
	return svc;
}

/* NEW (@replace false) and SET (@replace true). */
static int ngre_nl_service_change(struct genl_info *info, bool replace)
{
	struct nlattr *tb[NGRE_SERVICE_A_MAX + 1];
	struct net *net = genl_info_net(info);
	struct ngre_net *nn = ngre_pernet(net);
	struct ngre_service *svc, *old;
	int err;

	err = ngre_parse_service(info, tb);
	if (err)
		return err;
	svc = ngre_service_parse_new(info, tb);
	if (IS_ERR(svc))
		return PTR_ERR(svc);

	rtnl_lock();
	old = ngre_service_find(nn, svc->name);
	if (!replace && old) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NGRE_SERVICE_A_NAME],
				    "a service with this name exists");
		err = -EEXIST;
	} else if (replace && !old) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NGRE_SERVICE_A_NAME],
				    "no such service");
		err = -ENOENT;
	} else {
		err = ngre_service_add(nn, svc, old, info->extack);
	}
	if (!err)
		ngre_service_event(net, svc, replace ? NGRE_CMD_SERVICE_SET :
						       NGRE_CMD_SERVICE_NEW);
	rtnl_unlock();
	if (err)
		ngre_service_put(svc);
	return err;
}

int ngre_nl_service_new(struct sk_buff *skb, struct genl_info *info)
{
	return ngre_nl_service_change(info, false);
}

int ngre_nl_service_set(struct sk_buff *skb, struct genl_info *info)
{
	return ngre_nl_service_change(info, true);
}

/*
 * Parse a request naming one service and find it.  On success the RTNL
 * is held (the caller drops it); on error it is not.
 */
static struct ngre_service *ngre_req_service_lock(struct genl_info *info)
{
	struct nlattr *tb[NGRE_SERVICE_A_MAX + 1];
	struct ngre_service *svc;
	int err;

	err = ngre_parse_service(info, tb);
	if (err)
		return ERR_PTR(err);
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[NGRE_A_SERVICE], tb,
			      NGRE_SERVICE_A_NAME)) {
		NL_SET_ERR_MSG(info->extack, "service not named");
		return ERR_PTR(-EINVAL);
	}
	rtnl_lock();
	svc = ngre_service_find(ngre_pernet(genl_info_net(info)),
				nla_data(tb[NGRE_SERVICE_A_NAME]));
	if (!svc) {
		rtnl_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NGRE_SERVICE_A_NAME],
				    "no such service");
		return ERR_PTR(-ENOENT);
	}
	return svc;
}

int ngre_nl_service_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct ngre_service *svc;

	svc = ngre_req_service_lock(info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	ngre_service_event(net, svc, NGRE_CMD_SERVICE_DEL);
	ngre_service_del(ngre_pernet(net), svc);
	rtnl_unlock();
	return 0;
}

int ngre_nl_service_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ngre_service *svc;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	svc = ngre_req_service_lock(info);
	if (IS_ERR(svc)) {
		nlmsg_free(msg);
		return PTR_ERR(svc);
	}
	err = ngre_service_fill(msg, genl_info_net(info), svc,
				info->snd_portid, info->snd_seq, 0,
				NGRE_CMD_SERVICE_GET, NULL);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: how many services were dumped already. */
int ngre_nl_service_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct ngre_net *nn = ngre_pernet(net);
	long i = 0, skip = cb->args[0];
	struct ngre_service *svc;
	int err = 0;

	rtnl_lock();
	cb->seq = nn->services.gen;
	list_for_each_entry(svc, &nn->services.list, list) {
		if (i++ < skip)
			continue;
		err = ngre_service_fill(skb, net, svc,
					NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					NGRE_CMD_SERVICE_GET, cb);
		if (err) {
			i--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = i;
	return err && skb->len ? skb->len : err;
}
