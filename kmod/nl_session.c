// SPDX-License-Identifier: GPL-2.0
/*
 * The SESSION_* commands of the ngre family: dump the session table in
 * pieces (a table walker kept across the dump's rounds, no lock held
 * between them), end one session or a filtered set of them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rhashtable.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "ngre.h"

static const struct nla_policy ngre_session_policy[NGRE_SESSION_A_MAX + 1] = {
	[NGRE_SESSION_A_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[NGRE_SESSION_A_SERVICE]	= { .type = NLA_NUL_STRING,
					    .len = NGRE_SERVICE_NAMSIZ - 1 },
	[NGRE_SESSION_A_TUNNEL]		= NLA_POLICY_MIN(NLA_U32, 1),
	[NGRE_SESSION_A_SRC]		= { .type = NLA_BE32 },
	[NGRE_SESSION_A_DST]		= { .type = NLA_BE32 },
	[NGRE_SESSION_A_PROTO]		= { .type = NLA_U8 },
	[NGRE_SESSION_A_NEXTHOP]	= { .type = NLA_REJECT },
	[NGRE_SESSION_A_FWD]		= { .type = NLA_REJECT },
	[NGRE_SESSION_A_REV]		= { .type = NLA_REJECT },
	[NGRE_SESSION_A_TIMEOUT]	= { .type = NLA_REJECT },
	[NGRE_SESSION_A_UPTIME]		= { .type = NLA_REJECT },
};

const struct nla_policy ngre_session_req_policy[NGRE_A_MAX + 1] = {
	[NGRE_A_SESSION]	= NLA_POLICY_NESTED(ngre_session_policy),
};

/* Which sessions a request is about; a zero field matches anything. */
struct ngre_session_filter {
	u32 id;
	char service[NGRE_SERVICE_NAMSIZ];
	int tunnel;
	__be32 src;
	__be32 dst;
	u8 proto;
};

static int ngre_session_filter_parse(struct nlattr *nest,
				     struct ngre_session_filter *flt,
				     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NGRE_SESSION_A_MAX + 1];
	int err;

	memset(flt, 0, sizeof(*flt));
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, NGRE_SESSION_A_MAX, nest,
			       ngre_session_policy, extack);
	if (err)
		return err;
	if (tb[NGRE_SESSION_A_ID])
		flt->id = nla_get_u32(tb[NGRE_SESSION_A_ID]);
	if (tb[NGRE_SESSION_A_SERVICE])
		nla_strscpy(flt->service, tb[NGRE_SESSION_A_SERVICE],
			    sizeof(flt->service));
	if (tb[NGRE_SESSION_A_TUNNEL])
		flt->tunnel = nla_get_u32(tb[NGRE_SESSION_A_TUNNEL]);
	if (tb[NGRE_SESSION_A_SRC])
		flt->src = nla_get_in_addr(tb[NGRE_SESSION_A_SRC]);
	if (tb[NGRE_SESSION_A_DST])
		flt->dst = nla_get_in_addr(tb[NGRE_SESSION_A_DST]);
	if (tb[NGRE_SESSION_A_PROTO])
		flt->proto = nla_get_u8(tb[NGRE_SESSION_A_PROTO]);
	return 0;
}

/* A session that dumps show (confirmed: not a NAT flow, nor one whose
 * first packet is on its way) and that matches @arg, the filter.
 */
static bool ngre_session_filter_match(const struct ngre_session *s,
				      const void *arg)
{
	const struct ngre_session_filter *flt = arg;
	const struct ngre_skey *key = &s->flow[NGRE_DIR_FWD].key;

	return test_bit(NGRE_SESS_CONFIRMED, &s->flags) &&
	       (!flt->id || s->id == flt->id) &&
	       (!flt->service[0] || !strcmp(s->svc->name, flt->service)) &&
	       (!flt->tunnel || s->flow[NGRE_DIR_FWD].iif == flt->tunnel ||
		s->flow[NGRE_DIR_REV].iif == flt->tunnel) &&
	       (!flt->src || key->saddr == flt->src) &&
	       (!flt->dst || key->daddr == flt->dst) &&
	       (!flt->proto || key->proto == flt->proto);
}

/* ---- one session in a message ---------------------------------------------- */

static int ngre_flow_put(struct sk_buff *skb, struct net *net, int type,
			 struct ngre_sflow *f)
{
	const struct ngre_skey *key = &f->key;
	struct net_device *dev;
	struct dst_entry *dst;
	struct nlattr *nest;
	int oif, vid = -1;
	unsigned int i;
	u8 action;

	rcu_read_lock();
	/* Only a reverse flow lacks a route, before its first packet; it
	 * will leave by the way its session came in.
	 */
	dst = rcu_dereference(f->dst);
	oif = dst ? dst->dev->ifindex :
		    ngre_sflow_session(f)->flow[NGRE_DIR_FWD].iif;
	dev = dev_get_by_index_rcu(net, f->iif);
	if (dev && is_vlan_dev(dev))
		vid = vlan_dev_vlan_id(dev);
	rcu_read_unlock();

	nest = nla_nest_start(skb, type);
	if (!nest ||
	    nla_put_u32(skb, NGRE_FLOW_A_IIF, f->iif) ||
	    (vid >= 0 && nla_put_u16(skb, NGRE_FLOW_A_VLAN, vid)) ||
	    nla_put_in_addr(skb, NGRE_FLOW_A_SRC, key->saddr) ||
	    nla_put_in_addr(skb, NGRE_FLOW_A_DST, key->daddr) ||
	    nla_put_u8(skb, NGRE_FLOW_A_PROTO, key->proto) ||
	    nla_put_be16(skb, NGRE_FLOW_A_SPORT, key->sport) ||
	    nla_put_be16(skb, NGRE_FLOW_A_DPORT, key->dport) ||
	    nla_put_u32(skb, NGRE_FLOW_A_OIF, oif) ||
	    nla_put_u64_64bit(skb, NGRE_FLOW_A_PACKETS,
			      atomic64_read(&f->packets), NGRE_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_FLOW_A_BYTES,
			      atomic64_read(&f->bytes), NGRE_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, NGRE_FLOW_A_WRONG_IIF,
			      atomic_read(&f->wrong_iif), NGRE_FLOW_A_PAD))
		return -EMSGSIZE;
	for (i = 0; (action = ngre_sflow_action(f, i)); i++) {
		if (nla_put_u8(skb, NGRE_FLOW_A_ACTION, action))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The next hop as the CLI prints it: the device, or gateway@device. */
static void ngre_nh_name(const struct ngre_nh *nh, char *buf, size_t len)
{
	if (nh->kind == NGRE_NH_GATEWAY)
		snprintf(buf, len, "%pI4@%s", &nh->gw, nh->ifname);
	else
		strscpy(buf, nh->ifname, len);
}

static int ngre_session_put(struct sk_buff *skb, struct net *net,
			    struct ngre_session *s)
{
	long left = (long)(READ_ONCE(s->timeout) - jiffies);
	char nh[IFNAMSIZ + 20];
	struct nlattr *nest;

	ngre_nh_name(ngre_session_nh(s), nh, sizeof(nh));
	nest = nla_nest_start(skb, NGRE_A_SESSION);
	if (!nest ||
	    nla_put_u32(skb, NGRE_SESSION_A_ID, s->id) ||
	    nla_put_string(skb, NGRE_SESSION_A_SERVICE, s->svc->name) ||
	    nla_put_string(skb, NGRE_SESSION_A_NEXTHOP, nh) ||
	    ngre_flow_put(skb, net, NGRE_SESSION_A_FWD, &s->flow[NGRE_DIR_FWD]) ||
	    ngre_flow_put(skb, net, NGRE_SESSION_A_REV, &s->flow[NGRE_DIR_REV]) ||
	    nla_put_u32(skb, NGRE_SESSION_A_TIMEOUT,
			left > 0 ? jiffies_to_msecs(left) : 0) ||
	    nla_put_u64_64bit(skb, NGRE_SESSION_A_UPTIME,
			      jiffies64_to_msecs(jiffies - s->start),
			      NGRE_SESSION_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* ---- SESSION_GET: the dump -------------------------------------------------- */

struct ngre_session_dump {
	struct rhashtable_iter iter;
	struct ngre_session_filter filter;
};

int ngre_nl_session_dump_start(struct netlink_callback *cb)
{
	struct ngre_net *nn = ngre_pernet(sock_net(cb->skb->sk));
	struct nlattr **attrs = ngre_dump_attrs(cb);
	struct ngre_session_dump *d;
	int err;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	err = ngre_session_filter_parse(attrs[NGRE_A_SESSION], &d->filter,
					cb->extack);
	if (err) {
		kfree(d);
		return err;
	}
	rhashtable_walk_enter(&nn->sessions.ht, &d->iter);
	cb->args[0] = (long)d;
	return 0;
}

int ngre_nl_session_dump_done(struct netlink_callback *cb)
{
	struct ngre_session_dump *d = (struct ngre_session_dump *)cb->args[0];

	if (d) {
		rhashtable_walk_exit(&d->iter);
		kfree(d);
	}
	return 0;
}

/* Confirmed, live, matching sessions, each once (by its forward flow). */
static bool ngre_session_dumped(struct ngre_sflow *f,
				const struct ngre_session_filter *flt)
{
	struct ngre_session *s = ngre_sflow_session(f);

	return f->dir == NGRE_DIR_FWD &&
	       !test_bit(NGRE_SESS_DYING, &s->flags) &&
	       ngre_session_filter_match(s, flt);
}

/* One round: from where the last stopped (the session that did not fit
 * is found again by rhashtable_walk_peek()).
 */
int ngre_nl_session_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ngre_session_dump *d = (struct ngre_session_dump *)cb->args[0];
	struct net *net = sock_net(skb->sk);
	struct ngre_sflow *f;
	void *hdr;

	rhashtable_walk_start(&d->iter);
	for (f = rhashtable_walk_peek(&d->iter); f;
	     f = rhashtable_walk_next(&d->iter)) {
		if (IS_ERR(f))
			continue;	/* -EAGAIN: resized; sessions may repeat */
		if (!ngre_session_dumped(f, &d->filter))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ngre_genl_family,
				  NLM_F_MULTI, NGRE_CMD_SESSION_GET);
		if (!hdr)
			break;
		if (ngre_session_put(skb, net, ngre_sflow_session(f))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rhashtable_walk_stop(&d->iter);
	return skb->len;
}

/* ---- SESSION_DEL -------------------------------------------------------------- */

int ngre_nl_session_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ngre_net *nn = ngre_pernet(genl_info_net(info));
	struct ngre_session_filter flt;
	unsigned int n;
	int err;

	err = ngre_session_filter_parse(info->attrs[NGRE_A_SESSION], &flt,
					info->extack);
	if (err)
		return err;
	n = ngre_sessions_end_if(nn, ngre_session_filter_match, &flt,
				 NGRE_STAT(SESSION_DELETED));
	if (flt.id && !n) {
		NL_SET_ERR_MSG(info->extack, "no session with this id");
		return -ENOENT;
	}
	return 0;
}
