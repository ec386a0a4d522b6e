// SPDX-License-Identifier: GPL-2.0
/*
 * The session datapath.  A PRE_ROUTING hook after conntrack and DNAT:
 * a packet that hits a confirmed session's flow runs the flow's action
 * list (the fast path); the first packet of a new session, if a service
 * takes it, is forwarded by ngre to the next hop the load balancer
 * picks, through the FORWARD and POST_ROUTING hooks, and a POST_ROUTING
 * hook at the very end confirms its session as it leaves.
 *
 * Documentation/design.rst ("The session datapath") has the why.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/inetdevice.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>
#include <net/dst_metadata.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/l3mdev.h>
#include <net/neighbour.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#include <net/tcp.h>

#include "ngre.h"

/* After conntrack (-200) and DNAT (-100); before the filter chains. */
#define NGRE_SESSION_PRIORITY (NF_IP_PRI_NAT_DST + 1)

/* What an action tells the action list runner. */
enum ngre_verdict {
	NGRE_CONTINUE,	/* run the next action */
	NGRE_CONSUMED,	/* the packet was sent or dropped */
	NGRE_PASS,	/* leave the packet to the stack, as it is */
};

/* A received packet, as far as sessions care. */
struct ngre_pkt {
	struct ngre_skey key;
	u8 tcp_flags;
};

/*
 * The first packet that ngre_first_forward() is passing through the
 * FORWARD and POST_ROUTING hooks on this CPU, and its session:
 * ngre_confirm_hook() takes the session from here, without a lookup,
 * when that packet reaches it within the same call.  Set and cleared
 * around the call, under RCU and with bottom halves disabled; the packet
 * is only compared with, never used (a packet NFQUEUE takes away comes
 * back later and is looked up).
 */
struct ngre_first {
	const struct sk_buff *skb;
	struct ngre_session *s;
};

static DEFINE_PER_CPU(struct ngre_first, ngre_first);

/* What the actions of one flow hit work on. */
struct ngre_actx {
	struct net *net;
	struct ngre_net *nn;
	struct ngre_session *s;
	struct dst_entry *dst;
};

static void ngre_skey_fill(struct ngre_skey *key, __be32 saddr, __be32 daddr,
			   u8 proto, __be16 sport, __be16 dport, u32 zone)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET;
	key->saddr = saddr;
	key->daddr = daddr;
	key->proto = proto;
	key->sport = sport;
	key->dport = dport;
	key->zone = zone;
}

/*
 * The flow key of @skb (IPv4, no options, not a fragment): addresses,
 * protocol and ports (the echo id and type for ICMP echo).  False for
 * what sessions do not carry: ICMP other than echo (errors follow the
 * routing table), a transport header cut short.
 */
static bool ngre_pkt_parse(struct sk_buff *skb, struct ngre_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int thoff = ip_hdrlen(skb);
	__be16 sport = 0, dport = 0;
	union {
		struct tcphdr th;
		struct icmphdr ih;
		__be16 ports[2];
	} _h;
	const struct tcphdr *th;
	const struct icmphdr *ih;
	const __be16 *ports;

	pkt->tcp_flags = 0;
	switch (iph->protocol) {
	case IPPROTO_TCP:
		th = skb_header_pointer(skb, thoff, sizeof(*th), &_h);
		if (!th)
			return false;
		sport = th->source;
		dport = th->dest;
		pkt->tcp_flags = tcp_flag_byte(th);
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		ports = skb_header_pointer(skb, thoff, sizeof(_h.ports), &_h);
		if (!ports)
			return false;
		sport = ports[0];
		dport = ports[1];
		break;
	case IPPROTO_ICMP:
		ih = skb_header_pointer(skb, thoff, sizeof(*ih), &_h);
		if (!ih || (ih->type != ICMP_ECHO && ih->type != ICMP_ECHOREPLY))
			return false;
		sport = ih->un.echo.id;
		dport = htons(ih->type);
		break;
	}
	ngre_skey_fill(&pkt->key, iph->saddr, iph->daddr, iph->protocol,
		       sport, dport, l3mdev_master_ifindex_rcu(skb->dev));
	return true;
}

/* ---- router behaviour ----------------------------------------------------- */

/*
 * Send an ICMP error about @skb, which may have no route yet: icmp_send()
 * needs one for its source address, so @skb gets the input route the
 * stack would give it (ip_route_input_noref(); an unreachable route if
 * there is none, which is enough).
 */
static void ngre_icmp_send(struct sk_buff *skb, int type, int code,
			   __be32 info)
{
	const struct iphdr *iph = ip_hdr(skb);

	skb_dst_drop(skb);
	if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
				 skb->dev))
		return;
	icmp_send(skb, type, code, info);
}

static enum ngre_verdict ngre_drop(struct ngre_net *nn, struct sk_buff *skb,
				   unsigned int stat)
{
	ngre_stat_inc(nn, stat);
	kfree_skb(skb);
	return NGRE_CONSUMED;
}

/* As ip_forward() judges it: too big for @mtu, and DF forbids
 * fragmenting (GSO packets are judged by their segments).
 */
static bool ngre_exceeds_mtu(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (unlikely(IPCB(skb)->frag_max_size > mtu))
		return true;
	if (skb->ignore_df)
		return false;
	if (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))
		return false;
	return true;
}

/* TTL <= 1: ICMP time exceeded, and the packet is dropped. */
static enum ngre_verdict ngre_ttl_check(struct ngre_net *nn,
					struct sk_buff *skb)
{
	if (ip_hdr(skb)->ttl > 1)
		return NGRE_CONTINUE;
	ngre_icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
	return ngre_drop(nn, skb, NGRE_STAT(TTL_EXPIRED));
}

/* The TTL goes down by one, if it may. */
static enum ngre_verdict ngre_ttl_dec(struct ngre_net *nn, struct sk_buff *skb)
{
	if (ngre_ttl_check(nn, skb) != NGRE_CONTINUE)
		return NGRE_CONSUMED;
	/* A tap's clone may share the header. */
	if (skb_ensure_writable(skb, sizeof(struct iphdr))) {
		kfree_skb(skb);
		return NGRE_CONSUMED;
	}
	ip_decrease_ttl(ip_hdr(skb));
	return NGRE_CONTINUE;
}

/* Over @mtu with DF: ICMP fragmentation needed. */
static enum ngre_verdict ngre_mtu_check(struct ngre_net *nn,
					struct sk_buff *skb, unsigned int mtu)
{
	if (!ngre_exceeds_mtu(skb, mtu))
		return NGRE_CONTINUE;
	ngre_icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
	return ngre_drop(nn, skb, NGRE_STAT(TOO_BIG));
}

/* ---- transmit --------------------------------------------------------------- */

/* What ip_forward() does to a packet it forwards, besides the TTL. */
static void ngre_forward_mark(struct net *net, struct sk_buff *skb)
{
	skb_forward_csum(skb);
	IPCB(skb)->flags |= IPSKB_FORWARDED;
	if (READ_ONCE(net->ipv4.sysctl_ip_fwd_update_priority))
		skb->priority = rt_tos2priority(ip_hdr(skb)->tos);
}

/* To the neighbour of @skb's route, as ip_finish_output2() does, but
 * without the POST_ROUTING hook.  Under RCU.
 */
static int ngre_neigh_xmit(struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct net_device *dev = rt->dst.dev;
	struct neighbour *neigh;
	bool is_v6gw = false;

	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dev))) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	neigh = ip_neigh_for_gw(rt, skb, &is_v6gw);
	if (IS_ERR(neigh)) {
		kfree_skb(skb);
		return PTR_ERR(neigh);
	}
	return neigh_output(neigh, skb, is_v6gw);
}

/* Send @skb by its route: into the tunnel (TUNNEL_ADD) if the route's
 * device is one of ngre's, else to the neighbour (FORWARD).  Also the
 * output of ip_do_fragment() for each fragment.  The encapsulation keeps
 * the route until iptunnel_xmit() replaces it: the ICMP errors it sends
 * (fragmentation needed, unreachable) need it.
 */
static int ngre_dst_xmit(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	struct net_device *dev = skb_dst(skb)->dev;

	if (ngre_is_tunnel_dev(dev)) {
		ngre_tunnel_add(netdev_priv(dev), skb);
		return 0;
	}
	return ngre_neigh_xmit(skb);
}

/* A GSO packet whose segments are too big and may be fragmented: each
 * segment on its own, as ip_finish_output_gso() does.
 */
static void ngre_gso_frag_xmit(struct net *net, struct sk_buff *skb)
{
	struct sk_buff *segs, *seg, *next;

	segs = skb_gso_segment(skb, 0);
	consume_skb(skb);
	if (IS_ERR_OR_NULL(segs))
		return;
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		ip_do_fragment(net, NULL, seg, ngre_dst_xmit);
	}
}

/* The last action of a flow (TUNNEL_ADD, FORWARD): send @skb on the
 * flow's route, fragmenting it if it is too big (with DF it was dropped
 * by MTU_CHECK).
 */
static enum ngre_verdict ngre_flow_xmit(struct ngre_actx *c,
					struct sk_buff *skb)
{
	struct dst_entry *dst = c->dst;
	unsigned int mtu = dst_mtu(dst);

	skb_dst_drop(skb);
	skb_dst_set_noref(skb, dst);
	ngre_forward_mark(c->net, skb);
	skb_clear_tstamp(skb);
	__IP_INC_STATS(c->net, IPSTATS_MIB_OUTFORWDATAGRAMS);
	/* A datagram defragmentation reassembled leaves in its fragments'
	 * sizes again, as ip_finish_output() sends it.
	 */
	if (skb->len <= mtu && !IPCB(skb)->frag_max_size)
		ngre_dst_xmit(c->net, NULL, skb);
	else if (!skb_is_gso(skb))
		ip_do_fragment(c->net, NULL, skb, ngre_dst_xmit);
	else if (skb_gso_validate_network_len(skb, mtu))
		ngre_dst_xmit(c->net, NULL, skb);
	else
		ngre_gso_frag_xmit(c->net, skb);
	return NGRE_CONSUMED;
}

/* ---- routes of flows -------------------------------------------------------- */

/* Put @dst in *@slot and release the route it replaces.  Two CPUs may
 * replace the same route at once: each releases the one it took out.
 */
static void ngre_dst_replace(struct dst_entry __rcu **slot,
			     struct dst_entry *dst)
{
	dst_release(unrcu_pointer(xchg(slot, RCU_INITIALIZER(dst))));
}

/*
 * The route of next hop @nh through @dev to the neighbour @gw (0: to the
 * packet's destination, on-link, as for a tunnel), with a reference for
 * the caller: ngre's own route, with no FIB lookup for the destination,
 * one per next hop and shared by its sessions.  A route that is stale
 * (dst_check()) or goes elsewhere is replaced.  Not on the lists that
 * device unregistration flushes: the sessions that hold it end, and
 * ngre_services_forget_dev() drops @nh's, before @dev is unregistered.
 */
static struct dst_entry *ngre_nh_route_get(struct ngre_nh *nh,
					   struct net_device *dev, __be32 gw)
{
	struct dst_entry *dst = rcu_dereference(nh->dst);
	struct rtable *rt;

	if (dst && dst->dev == dev &&
	    container_of(dst, struct rtable, dst)->rt_gw4 == gw &&
	    dst_check(dst, 0) && dst_hold_safe(dst))
		return dst;
	rt = rt_dst_alloc(dev, 0, RTN_UNICAST, false);
	if (!rt)
		return NULL;
	if (gw) {
		rt->rt_gw_family = AF_INET;
		rt->rt_gw4 = gw;
		rt->rt_uses_gateway = 1;
	}
	dst_hold(&rt->dst);	/* @nh's */
	ngre_dst_replace(&nh->dst, &rt->dst);
	return &rt->dst;
}

/* The unicast route back to @daddr through the interface the session
 * came in on.
 */
static struct dst_entry *ngre_back_route(struct net *net, __be32 daddr,
					 int oif)
{
	struct flowi4 fl4 = { .daddr = daddr, .flowi4_oif = oif };
	struct rtable *rt = ip_route_output_key(net, &fl4);

	if (IS_ERR(rt))
		return NULL;
	if (rt->rt_type != RTN_UNICAST) {
		ip_rt_put(rt);
		return NULL;
	}
	return &rt->dst;
}

/* Build flow @dir's route again (after a routing change). */
static struct dst_entry *ngre_flow_reroute(struct net *net,
					   struct ngre_session *s, int dir)
{
	const struct ngre_sflow *fwd = &s->flow[NGRE_DIR_FWD];
	struct net_device *dev;
	struct ngre_nh *nh;
	__be32 gw;

	if (dir == NGRE_DIR_REV)
		return ngre_back_route(net, fwd->key.saddr, fwd->iif);
	nh = ngre_session_nh(s);
	if (!ngre_nh_usable(net, nh, &dev, &gw) ||
	    dev->ifindex != s->flow[NGRE_DIR_REV].iif)
		return NULL;
	return ngre_nh_route_get(nh, dev, gw);
}

/*
 * The route of flow @f, revalidated: routes are rebuilt when the routing
 * changed (dst_check()), and a reverse flow's is made at its first packet
 * (it has none before).  A route that cannot be built ends the session
 * (NULL).
 */
static struct dst_entry *ngre_flow_dst(struct ngre_actx *c,
				       struct ngre_sflow *f)
{
	struct dst_entry *dst = rcu_dereference(f->dst), *ndst;

	if (likely(dst && dst_check(dst, 0)))
		return dst;
	ndst = ngre_flow_reroute(c->net, c->s, f->dir);
	if (!ndst) {
		ngre_session_end(c->nn, c->s, NGRE_STAT(FLOW_STALE));
		return NULL;
	}
	ngre_dst_replace(&f->dst, ndst);
	return ndst;
}

/* ---- the fast path ----------------------------------------------------------- */

/* The route of flow @f, revalidated, in @c; false if the session ended
 * because its route cannot be rebuilt or its device is down.
 */
static bool ngre_flow_route(struct ngre_actx *c, struct ngre_sflow *f)
{
	c->dst = ngre_flow_dst(c, f);
	if (!c->dst)
		return false;
	/* A next hop found down ends the session: the packet goes back
	 * to the service area, for a usable one.
	 */
	if (unlikely(!ngre_dev_usable(c->dst->dev))) {
		ngre_session_end(c->nn, c->s, NGRE_STAT(SESSION_ENDED));
		return false;
	}
	return true;
}

/* Run flow @f's actions on @skb, by the route in @c. */
static enum ngre_verdict ngre_flow_run(struct ngre_actx *c,
				       struct ngre_sflow *f,
				       struct sk_buff *skb)
{
	enum ngre_verdict v = NGRE_CONTINUE;
	unsigned int i;
	u8 action;

	for (i = 0; (action = ngre_sflow_action(f, i)); i++) {
		switch (action) {
		case NGRE_ACTION_TTL_DEC:
			v = ngre_ttl_dec(c->nn, skb);
			break;
		case NGRE_ACTION_MTU_CHECK:
			v = ngre_mtu_check(c->nn, skb, dst_mtu(c->dst));
			break;
		case NGRE_ACTION_TUNNEL_ADD:
		case NGRE_ACTION_FORWARD:
			v = ngre_flow_xmit(c, skb);
			break;
		}
		if (v != NGRE_CONTINUE)
			return v;
	}
	return NGRE_PASS;
}

/* Count a packet of flow @f (and of its next hop, forward). */
static void ngre_flow_count(struct ngre_session *s, struct ngre_sflow *f,
			    const struct sk_buff *skb)
{
	atomic64_inc(&f->packets);
	atomic64_add(skb->len, &f->bytes);
	if (f->dir == NGRE_DIR_FWD) {
		struct ngre_nh *nh = ngre_session_nh(s);

		atomic64_inc(&nh->packets);
		atomic64_add(skb->len, &nh->bytes);
	}
}

/* Count a hit of flow @f and push its session's expiry. */
static void ngre_flow_account(struct ngre_net *nn, struct ngre_session *s,
			      struct ngre_sflow *f, struct sk_buff *skb,
			      const struct ngre_pkt *pkt)
{
	ngre_stat_inc(nn, NGRE_STAT(FLOW_HIT));
	ngre_flow_count(s, f, skb);
	if (unlikely(skb->dev->ifindex != f->iif)) {
		atomic_inc(&f->wrong_iif);
		ngre_stat_inc(nn, NGRE_STAT(FLOW_WRONG_IIF));
	}
	ngre_session_touch(nn, s, pkt->tcp_flags, f->dir == NGRE_DIR_REV);
}

static enum ngre_verdict ngre_first_forward(struct ngre_net *nn,
					    struct ngre_session *s,
					    struct sk_buff *skb,
					    struct dst_entry *dst,
					    const struct nf_hook_state *state);

/* A packet hit flow @f.  NGRE_PASS: its session is gone (the packet may
 * start a new one).
 */
static enum ngre_verdict ngre_flow_hit(struct ngre_net *nn,
				       struct ngre_sflow *f,
				       struct sk_buff *skb,
				       const struct ngre_pkt *pkt,
				       const struct nf_hook_state *state)
{
	struct ngre_session *s = ngre_sflow_session(f);
	struct ngre_actx c = { .net = state->net, .nn = nn, .s = s };
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;

	if (unlikely(test_bit(NGRE_SESS_DYING, &s->flags)))
		return NGRE_PASS;
	/* A packet whose session ends here goes on to the service area:
	 * one that expired and that the collector has not reached yet, or
	 * one whose route is gone.
	 */
	if (unlikely(ngre_session_expired(s))) {
		ngre_session_end(nn, s, NGRE_STAT(SESSION_EXPIRED));
		return NGRE_PASS;
	}
	if (!ngre_flow_route(&c, f))
		return NGRE_PASS;
	ct = nf_ct_get(skb, &ctinfo);
	/* Before the firewall has passed the first packet, its followers
	 * take the same way, through the firewall too; so do all the
	 * packets of a NAT flow, through the NAT hooks.  A NAT flow sees
	 * only the packets of its first direction: conntrack knows whether
	 * the connection has had a reply.  (A reverse flow is linked just
	 * before its session is marked confirmed: a reply that comes in
	 * between takes the fast path.)
	 */
	if (f->dir == NGRE_DIR_FWD &&
	    !test_bit(NGRE_SESS_CONFIRMED, &s->flags)) {
		if (test_bit(NGRE_SESS_NAT, &s->flags))
			ngre_session_touch(nn, s, pkt->tcp_flags, ct &&
					   test_bit(IPS_SEEN_REPLY_BIT,
						    &ct->status));
		return ngre_first_forward(nn, s, skb, c.dst, state);
	}
	/* A new conntrack entry: conntrack lost the connection while the
	 * session lived, or the packet passed conntrack before the first
	 * one's entry was confirmed.  Only the hooks the fast path skips
	 * confirm the entry (or merge it into the confirmed one): a packet
	 * of the forward flow takes the first packet's way through them,
	 * and the session stays; a reply would start a connection of the
	 * other direction, so it ends the session.
	 */
	if (unlikely(ct && !nf_ct_is_confirmed(ct))) {
		if (f->dir == NGRE_DIR_FWD) {
			ngre_stat_inc(nn, NGRE_STAT(FLOW_CT_LOST));
			return ngre_first_forward(nn, s, skb, c.dst, state);
		}
		ngre_session_end(nn, s, NGRE_STAT(FLOW_CT_LOST));
		return NGRE_PASS;
	}
	ngre_flow_account(nn, s, f, skb, pkt);
	return ngre_flow_run(&c, f, skb);
}

/* ---- the first packet: the service area --------------------------------------- */

/* conntrack translates the connection of @ct (a packet's entry, NULL if
 * none): its packets would need the NAT hooks that the fast path skips.
 */
static bool ngre_ct_natted(const struct nf_conn *ct)
{
	return ct && (READ_ONCE(ct->status) & IPS_NAT_MASK);
}

/*
 * Whether the input route ip_rcv_finish() would make for @skb is a
 * unicast route to forward by.  The lookup leaves @skb as it found it:
 * the route it made is dropped, and so are the IPCB flags that route sets
 * (a redirect to send, no policy, multipath), because a later PRE_ROUTING
 * hook may still change what routing sees (a mark) and the stack then
 * routes again; a flow-based tunnel's metadata dst, which the lookup
 * drops after reading its tunnel id, is put back.
 */
static bool ngre_input_route_forwards(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	u16 ipcb_flags = IPCB(skb)->flags;
	struct dst_entry *md = skb_dst(skb);
	bool unicast;

	/* The stack will not route a packet that has a route. */
	if (skb_valid_dst(skb))
		return skb_rtable(skb)->rt_type == RTN_UNICAST;
	if (md && !dst_hold_safe(md))
		return false;
	unicast = !ip_route_input_noref(skb, iph->daddr, iph->saddr,
					iph->tos, skb->dev) &&
		  skb_rtable(skb)->rt_type == RTN_UNICAST;
	skb_dst_drop(skb);
	if (md)
		skb_dst_set(skb, md);
	IPCB(skb)->flags = ipcb_flags;
	return unicast;
}

/*
 * Whether the stack would forward @skb, which ngre must then be allowed
 * to: a device that forwards, no IPsec policy that may want the packet,
 * and a unicast input route.  The input route asks the stack's own
 * questions: the router's own addresses, broadcast and multicast as
 * destinations (which stay with the stack: a service must not swallow
 * SSH to the router, DHCP or routing protocols), martian sources, the
 * router's own addresses as sources, and the reverse-path filter, in the
 * device's VRF.  With accept_local the stack takes one of the router's
 * own addresses as a source; ngre does not, as the replies would need a
 * local route back.
 */
static bool ngre_stack_would_forward(struct net *net, struct sk_buff *skb)
{
	struct in_device *in_dev = __in_dev_get_rcu(skb->dev);
	const struct iphdr *iph = ip_hdr(skb);

	if (!in_dev || !IN_DEV_FORWARD(in_dev) ||
	    ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr))
		return false;
#ifdef CONFIG_XFRM
	if (READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_FWD]) ||
	    READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_OUT]))
		return false;
#endif
	if (IN_DEV_ACCEPT_LOCAL(in_dev) &&
	    inet_addr_type_dev_table(net, skb->dev, iph->saddr) == RTN_LOCAL)
		return false;
	return ngre_input_route_forwards(skb);
}

static void ngre_actions_init(struct ngre_sflow *f, struct net_device *out)
{
	f->actions[0] = NGRE_ACTION_TTL_DEC;
	f->actions[1] = NGRE_ACTION_MTU_CHECK;
	f->actions[2] = ngre_is_tunnel_dev(out) ? NGRE_ACTION_TUNNEL_ADD :
						  NGRE_ACTION_FORWARD;
}

/* Fill a new session for @skb through next hop @nh (device @out,
 * neighbour @gw): keys, expected interfaces, the forward route, action
 * lists.  The reverse flow's route is made at its first packet
 * (ngre_flow_dst()): a flow that is never answered costs no lookup.
 */
static int ngre_session_build(struct ngre_session *s, struct ngre_service *svc,
			      struct ngre_nh *nh, struct net_device *out,
			      __be32 gw, struct sk_buff *skb,
			      const struct ngre_pkt *pkt)
{
	struct ngre_sflow *fwd = &s->flow[NGRE_DIR_FWD];
	struct ngre_sflow *rev = &s->flow[NGRE_DIR_REV];
	struct dst_entry *dst;

	fwd->key = pkt->key;
	fwd->iif = skb->dev->ifindex;
	ngre_actions_init(fwd, out);
	ngre_skey_reverse(&rev->key, &pkt->key);
	rev->key.zone = l3mdev_master_ifindex_rcu(out);
	rev->iif = out->ifindex;
	ngre_actions_init(rev, skb->dev);

	dst = ngre_nh_route_get(nh, out, gw);
	if (!dst)
		return -ENOMEM;
	RCU_INIT_POINTER(fwd->dst, dst);
	/* The service is listed: it holds a reference until a grace
	 * period after it is not.
	 */
	refcount_inc(&svc->refs);
	s->svc = svc;
	s->nh = nh - svc->nh;
	s->tcp_state = NGRE_TCP_OPENING;
	return 0;
}

/* What ip_forward() checks before it forwards: TTL, then MTU (ICMP
 * errors as ip_forward() sends them).
 */
static enum ngre_verdict ngre_forward_check(struct ngre_net *nn,
					    struct sk_buff *skb,
					    unsigned int mtu)
{
	if (ngre_ttl_check(nn, skb) != NGRE_CONTINUE)
		return NGRE_CONSUMED;
	return ngre_mtu_check(nn, skb, mtu);
}

static int ngre_forward_finish(struct net *net, struct sock *sk,
			       struct sk_buff *skb)
{
	__IP_INC_STATS(net, IPSTATS_MIB_OUTFORWDATAGRAMS);
	skb_clear_tstamp(skb);
	return dst_output(net, sk, skb);
}

/*
 * Forward a packet of an unconfirmed session @s (or one with a new
 * conntrack entry) as ip_forward() would, but by the session's forward
 * route @dst: TTL, MTU, then the FORWARD hook and dst_output() (with
 * POST_ROUTING).  The session is confirmed by ngre_confirm_hook() as the
 * packet leaves; a packet the firewall drops ends it, unless it is
 * confirmed already or a NAT flow.
 */
static enum ngre_verdict ngre_first_forward(struct ngre_net *nn,
					    struct ngre_session *s,
					    struct sk_buff *skb,
					    struct dst_entry *dst,
					    const struct nf_hook_state *state)
{
	int err;

	if (ngre_forward_check(nn, skb, dst_mtu(dst)) != NGRE_CONTINUE)
		return NGRE_CONSUMED;
	ngre_flow_count(s, &s->flow[NGRE_DIR_FWD], skb);
	/* Counted: NFQUEUE may keep the packet past this RCU section. */
	if (!dst_hold_safe(dst)) {
		kfree_skb(skb);
		return NGRE_CONSUMED;
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	if (skb_cow(skb, LL_RESERVED_SPACE(dst->dev) + dst->header_len)) {
		kfree_skb(skb);
		return NGRE_CONSUMED;
	}
	ip_decrease_ttl(ip_hdr(skb));
	ngre_forward_mark(state->net, skb);

	this_cpu_write(ngre_first.s, s);
	this_cpu_write(ngre_first.skb, skb);
	err = NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, state->net, NULL, skb,
		      skb->dev, dst->dev, ngre_forward_finish);
	this_cpu_write(ngre_first.skb, NULL);
	/* A NAT flow outlives a later packet of its connection that the
	 * firewall drops.
	 */
	if (err < 0 && !test_bit(NGRE_SESS_CONFIRMED, &s->flags) &&
	    !test_bit(NGRE_SESS_NAT, &s->flags) &&
	    ngre_session_end(nn, s, NGRE_STAT_NONE))
		ngre_stat_inc(nn, NGRE_STAT(SESSION_FW_DROPPED));
	return NGRE_CONSUMED;
}

/*
 * Link the new session @s, which comes in by @in and leaves by @out.  A
 * device that goes down or loses its carrier ends the sessions through it
 * (ngre_sessions_end_dev()), but that walk can miss one linked after it
 * passed.  The device's state changes before the walk, with a full
 * barrier between; the one here pairs with it: a session the walk missed
 * sees the new state, and is ended.
 *
 * Return: 0; -EEXIST if another CPU linked a session for the flow first
 * (@s is the caller's to free); -ENETDOWN if a device went down (@s is
 * ended).
 */
static int ngre_session_link(struct ngre_net *nn, struct ngre_session *s,
			     const struct net_device *in,
			     const struct net_device *out)
{
	int err = ngre_session_insert(nn, s);

	if (err)
		return err;
	smp_mb();	/* The link before the devices' state (above). */
	if (likely(ngre_dev_usable(in) && ngre_dev_usable(out)))
		return 0;
	ngre_session_end(nn, s, NGRE_STAT_NONE);
	return -ENETDOWN;
}

/*
 * A new session for @skb, of service @svc: pick the next hop, create the
 * session unconfirmed and forward the packet.
 */
static enum ngre_verdict ngre_service_new_session(struct ngre_net *nn,
						  struct ngre_service *svc,
						  struct sk_buff *skb,
						  const struct ngre_pkt *pkt,
						  const struct nf_hook_state *state)
{
	bool picked_again = false;
	struct ngre_session *s;
	struct net_device *out;
	enum ngre_verdict v;
	struct ngre_sflow *f;
	struct ngre_nh *nh;
	__be32 gw;
	int err;

pick:
	/* Nor does a session come in by a device down or without carrier:
	 * ngre_sessions_end_dev() ends those.
	 */
	if (!ngre_dev_usable(skb->dev))
		return NGRE_PASS;
	out = ngre_nh_pick(state->net, svc, &pkt->key, &nh, &gw);
	if (!out) {
		ngre_icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
		return ngre_drop(nn, skb, NGRE_STAT(SERVICE_NO_NEXTHOP));
	}
	/* A first packet that cannot be forwarded makes no session. */
	v = ngre_forward_check(nn, skb, READ_ONCE(out->mtu));
	if (v != NGRE_CONTINUE)
		return v;
	s = ngre_session_alloc(nn);
	if (!s)
		return NGRE_PASS;
	if (ngre_session_build(s, svc, nh, out, gw, skb, pkt)) {
		ngre_session_free(nn, s);
		return NGRE_PASS;
	}
	err = ngre_session_link(nn, s, skb->dev, out);
	if (err == -EEXIST) {
		/* Another CPU created the session first: use it. */
		ngre_session_free(nn, s);
		f = ngre_sflow_lookup(nn, &pkt->key);
		if (!f)
			return NGRE_PASS;
		return ngre_flow_hit(nn, f, skb, pkt, state);
	}
	if (err) {
		/* The next hop went down meanwhile (or the way in): the
		 * load balancer again, once.
		 */
		if (picked_again)
			return NGRE_PASS;
		picked_again = true;
		goto pick;
	}
	return ngre_first_forward(nn, s, skb,
				  rcu_dereference(s->flow[NGRE_DIR_FWD].dst),
				  state);
}

/*
 * No flow took @skb: if a service does, and ngre may forward it, a new
 * session.  No service: the packet is left to the stack untouched.
 */
static enum ngre_verdict ngre_service_area(struct ngre_net *nn,
					   struct sk_buff *skb,
					   const struct ngre_pkt *pkt,
					   const struct nf_hook_state *state)
{
	enum ip_conntrack_info ctinfo;
	struct ngre_service *svc;
	const struct nf_conn *ct;

	if (!READ_ONCE(nn->services.plens))
		return NGRE_PASS;
	svc = ngre_service_lookup(nn, &pkt->key, skb->dev->ifindex);
	if (!svc || !ngre_stack_would_forward(state->net, skb))
		return NGRE_PASS;
	ct = nf_ct_get(skb, &ctinfo);
	if (ngre_ct_natted(ct)) {
		/* Translated before this hook (DNAT), or a reply of a
		 * translated connection: the stack's.  Counted once, at the
		 * connection's first packet.
		 */
		if (!nf_ct_is_confirmed(ct))
			ngre_stat_inc(nn, NGRE_STAT(SESSION_NAT_SKIPPED));
		return NGRE_PASS;
	}
	return ngre_service_new_session(nn, svc, skb, pkt, state);
}

/* A frame br_netfilter runs through the IPv4 hooks that the bridge
 * forwards to another host (it made it PACKET_HOST for the hooks).
 */
static bool ngre_bridged(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	const struct nf_bridge_info *nf_bridge = nf_bridge_info_get(skb);

	return nf_bridge && nf_bridge->pkt_otherhost;
#else
	return false;
#endif
}

static enum ngre_verdict ngre_session_rcv(struct ngre_net *nn,
					  struct sk_buff *skb,
					  const struct ngre_pkt *pkt,
					  const struct nf_hook_state *state)
{
	struct ngre_sflow *f = ngre_sflow_lookup(nn, &pkt->key);
	enum ngre_verdict v;

	if (f) {
		v = ngre_flow_hit(nn, f, skb, pkt, state);
		if (v != NGRE_PASS)
			return v;
	}
	return ngre_service_area(nn, skb, pkt, state);
}

/*
 * PRE_ROUTING, after conntrack and DNAT.  Only unicast IPv4 for this
 * host at layer 2, without IP options (left to the stack's option
 * handling), whole (defragmentation runs in namespaces with services),
 * and not taken by a socket yet (tproxy).  Bottom halves are disabled
 * around the work, as in the GRE hook (an NFQUEUE reinject runs in
 * process context).
 */
static unsigned int ngre_session_hook(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct ngre_net *nn = ngre_pernet(state->net);
	const struct iphdr *iph = ip_hdr(skb);
	enum ngre_verdict v;
	struct ngre_pkt pkt;

	if (skb->pkt_type != PACKET_HOST || iph->ihl != 5 || skb->sk ||
	    ip_is_fragment(iph) || (skb->dev->flags & IFF_LOOPBACK) ||
	    ngre_bridged(skb))
		return NF_ACCEPT;
	/* The second pass of a VRF slave's packet (see hook.c). */
	if (unlikely(IPCB(skb)->flags & IPSKB_L3SLAVE) && !skb_valid_dst(skb))
		return NF_ACCEPT;
	if (!ngre_pkt_parse(skb, &pkt))
		return NF_ACCEPT;
	local_bh_disable();
	v = ngre_session_rcv(nn, skb, &pkt, state);
	local_bh_enable();
	return v == NGRE_PASS ? NF_ACCEPT : NF_STOLEN;
}

/* The key the first packet of @skb's session had at PRE_ROUTING: the
 * original tuple of @skb's conntrack entry @ct if NAT changed the packet
 * since.
 */
static bool ngre_pkt_orig_key(struct sk_buff *skb, const struct nf_conn *ct,
			      struct ngre_skey *key, u32 zone)
{
	const struct nf_conntrack_tuple *t;
	struct ngre_pkt pkt;

	if (ngre_ct_natted(ct)) {
		t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
		if (t->dst.protonum == IPPROTO_ICMP)
			ngre_skey_fill(key, t->src.u3.ip, t->dst.u3.ip,
				       IPPROTO_ICMP, t->src.u.icmp.id,
				       htons(t->dst.u.icmp.type), zone);
		else
			ngre_skey_fill(key, t->src.u3.ip, t->dst.u3.ip,
				       t->dst.protonum, t->src.u.all,
				       t->dst.u.all, zone);
		return true;
	}
	if (!ngre_pkt_parse(skb, &pkt))
		return false;
	*key = pkt.key;
	key->zone = zone;
	return true;
}

/* The forward flow of the unconfirmed session whose first packet @skb
 * is, if it is one: from ngre_first, or looked up.
 */
static struct ngre_sflow *ngre_first_flow(struct ngre_net *nn,
					  struct sk_buff *skb,
					  const struct nf_conn *ct,
					  const struct nf_hook_state *state)
{
	struct net_device *in;
	struct ngre_skey key;

	if (this_cpu_read(ngre_first.skb) == skb)
		return &this_cpu_read(ngre_first.s)->flow[NGRE_DIR_FWD];
	in = dev_get_by_index_rcu(state->net, skb->skb_iif);
	if (!in || !ngre_pkt_orig_key(skb, ct, &key,
				      l3mdev_master_ifindex_rcu(in)))
		return NULL;
	return ngre_sflow_lookup(nn, &key);
}

/*
 * The end of POST_ROUTING: a first packet ngre forwarded is leaving, so
 * the firewall let it through.  Its session is confirmed, unless
 * conntrack translated it (SNAT, masquerade): its later packets would
 * skip the translation, so it becomes a NAT flow instead (they keep
 * taking this way, and the next hop the NAT was made for).
 */
static unsigned int ngre_confirm_hook(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct ngre_net *nn = ngre_pernet(state->net);
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;
	struct ngre_session *s;
	struct ngre_sflow *f;

	if (!atomic_read(&nn->sessions.unconfirmed) ||
	    !(IPCB(skb)->flags & IPSKB_FORWARDED))
		return NF_ACCEPT;
	ct = nf_ct_get(skb, &ctinfo);
	f = ngre_first_flow(nn, skb, ct, state);
	if (!f || f->dir != NGRE_DIR_FWD ||
	    rcu_access_pointer(f->dst) != skb_dst(skb))
		return NF_ACCEPT;
	s = ngre_sflow_session(f);
	local_bh_disable();
	if (ngre_ct_natted(ct)) {
		if (ngre_session_mark_nat(nn, s))
			ngre_stat_inc(nn, NGRE_STAT(SESSION_NAT_SKIPPED));
	} else {
		ngre_session_confirm(nn, s);
	}
	local_bh_enable();
	return NF_ACCEPT;
}

static const struct nf_hook_ops ngre_session_hook_ops[] = {
	{
		.hook		= ngre_session_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NGRE_SESSION_PRIORITY,
	}, {
		.hook		= ngre_confirm_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_POST_ROUTING,
		.priority	= NF_IP_PRI_LAST,
	},
};

/*
 * With the first service of @net (netns.c): the session hooks, and IPv4
 * defragmentation (conntrack's), so that the hooks see whole datagrams
 * and the fragments of a session's datagram follow its next hop.
 */
int ngre_session_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
	err = nf_register_net_hooks(net, ngre_session_hook_ops,
				    ARRAY_SIZE(ngre_session_hook_ops));
	if (err)
		nf_defrag_ipv4_disable(net);
	return err;
}

void ngre_session_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, ngre_session_hook_ops,
				ARRAY_SIZE(ngre_session_hook_ops));
	nf_defrag_ipv4_disable(net);
}
