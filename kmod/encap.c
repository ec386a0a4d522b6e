// SPDX-License-Identifier: GPL-2.0
/*
 * TUNNEL_ADD: encapsulate a packet in the tunnel's outer IPv4 and GRE
 * headers and send it to the remote.  The one encapsulation of ngre: the
 * tunnel device's ndo_start_xmit uses it, and so does the TUNNEL_ADD
 * action of session flows (forward.c).
 *
 * The route to the remote is constrained to the tunnel's link (the VLAN
 * device) and cached per params (dst_cache).  Path MTU: an inner packet
 * that does not fit gets an ICMP "fragmentation needed" / "packet too big"
 * back to its sender; the route's MTU is learnt from ICMP errors about the
 * outer packets (hook.c).
 *
 * Runs under RCU (the core's rcu_read_lock_bh around ndo_start_xmit, the
 * netfilter hook's rcu_read_lock), in any context that may transmit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <net/dst_metadata.h>
#include <net/gre.h>
#include <net/icmp.h>
#include <net/inet_dscp.h>
#include <net/inet_ecn.h>
#include <net/ip_tunnels.h>
#include <net/route.h>

#include "ngre.h"

/* The route to the remote, from the cache when the TOS is fixed. */
struct rtable *ngre_route(struct ngre_tunnel_params *p, struct net *net,
			  u8 tos, __be32 *saddr)
{
	bool use_cache = !p->cfg.tos_inherit;
	struct flowi4 fl4;
	struct rtable *rt;

	if (use_cache) {
		rt = dst_cache_get_ip4(&p->dst_cache, saddr);
		if (rt)
			return rt;
	}
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = p->cfg.remote;
	fl4.saddr = p->saddr;
	fl4.flowi4_oif = p->link_ifindex;
	fl4.flowi4_proto = IPPROTO_GRE;
	/* The DSCP, as ip_tunnel_xmit() has it on both kernels. */
	fl4.flowi4_tos = tos & INET_DSCP_MASK;
	/* No skb->mark: the cache would hand one mark's route to all. */
	fl4.fl4_gre_key = p->cfg.okey;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return rt;
	if (use_cache)
		dst_cache_set_ip4(&p->dst_cache, &rt->dst, fl4.saddr);
	*saddr = fl4.saddr;
	return rt;
}

/*
 * The inner packet must fit in the path MTU less the tunnel's headers:
 * tell its sender when it does not, and pass the MTU on to its route.
 * 0 if it fits.
 */
static int ngre_check_pmtu(struct net_device *dev, struct sk_buff *skb,
			   struct rtable *rt, unsigned int hlen, __be16 df)
{
	int mtu;

	if (df)
		mtu = dst_mtu(&rt->dst) - hlen;
	else
		mtu = skb_valid_dst(skb) ? dst_mtu(skb_dst(skb)) : dev->mtu;
	/* Only a route into the tunnel device learns the MTU, as with
	 * ip_gre.  A session's packet on the fast path carries ngre's own
	 * route of its next hop (and its input device): that route has
	 * nothing to learn, and the update would look up the FIB.
	 */
	if (skb_valid_dst(skb) && skb->dev == dev)
		skb_dst_update_pmtu_no_confirm(skb, mtu);
	if (skb_is_gso(skb) || skb->len <= mtu)
		return 0;

	if (skb->protocol == htons(ETH_P_IP)) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
			return 0;
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
		return -E2BIG;
	}
	if (mtu < IPV6_MIN_MTU)
		return 0;
	icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return -E2BIG;
}

/* The remote cannot be reached: tell the inner packet's sender, as
 * ip_gre does (host unreachable; address unreachable for IPv6).
 */
static void ngre_tx_unreachable(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	else
		icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH,
				0);
}

/**
 * ngre_tunnel_add - encapsulate @skb and send it through tunnel @t
 * @t: the tunnel
 * @skb: an IPv4 or IPv6 packet, data at its network header; consumed
 */
void ngre_tunnel_add(struct ngre_tunnel *t, struct sk_buff *skb)
{
	struct net_device *dev = t->dev;
	struct ngre_net *nn = t->nn;
	struct ngre_tunnel_params *p;
	unsigned int stat, headroom;
	const struct iphdr *inner;
	__be16 proto = skb->protocol;
	struct rtable *rt;
	__be32 saddr = 0;
	u8 tos, ttl;
	__be16 df;

	rcu_read_lock();
	p = rcu_dereference(t->params);
	/* Carrier too: a failed refresh (t->stale) or the keepalives took
	 * the tunnel down.
	 */
	if (unlikely(!p || p->down_reason != NGRE_DOWN_NONE ||
		     !netif_carrier_ok(dev))) {
		DEV_STATS_INC(dev, tx_carrier_errors);
		stat = NGRE_STAT(ENCAP_FAIL_LINK_DOWN);
		goto drop;
	}
	if (unlikely((proto != htons(ETH_P_IP) &&
		      proto != htons(ETH_P_IPV6)) || !pskb_inet_may_pull(skb))) {
		stat = NGRE_STAT(ENCAP_FAIL_PROTOCOL);
		goto drop;
	}
	inner = ip_hdr(skb);
	/* The inner packet starts at its network header, as it does for a
	 * packet the device sends.  A packet from the session path still
	 * has the Ethernet header it arrived with as its mac header, and
	 * GSO takes the inner mac header as where the tunnel's headers end.
	 */
	skb_reset_mac_header(skb);

	/* Outer TOS (with the inner ECN, RFC 6040), TTL and DF. */
	tos = p->cfg.tos_inherit ? ip_tunnel_get_dsfield(inner, skb) :
				   p->cfg.tos;
	tos = ip_tunnel_ecn_encap(tos, inner, skb);
	ttl = p->cfg.ttl;
	if (!ttl)
		ttl = proto == htons(ETH_P_IP) ? inner->ttl :
						 ipv6_hdr(skb)->hop_limit;
	df = p->cfg.pmtudisc ? htons(IP_DF) : 0;
	if (!df && proto == htons(ETH_P_IP))
		df = inner->frag_off & htons(IP_DF);

	rt = ngre_route(p, dev_net(dev), tos, &saddr);
	if (IS_ERR(rt)) {
		DEV_STATS_INC(dev, tx_carrier_errors);
		ngre_tx_unreachable(skb);
		stat = NGRE_STAT(ENCAP_FAIL_NO_ROUTE);
		goto drop;
	}
	if (unlikely(rt->dst.dev == dev)) {
		/* The route to the remote leads back into the tunnel. */
		ip_rt_put(rt);
		DEV_STATS_INC(dev, collisions);
		ngre_tx_unreachable(skb);
		stat = NGRE_STAT(ENCAP_FAIL_NO_ROUTE);
		goto drop;
	}
	if (ngre_check_pmtu(dev, skb, rt, p->hlen, df)) {
		ip_rt_put(rt);
		stat = NGRE_STAT(ENCAP_FAIL_TOO_BIG);
		goto drop;
	}

	headroom = LL_RESERVED_SPACE(rt->dst.dev) + rt->dst.header_len +
		   p->hlen;
	if (headroom > READ_ONCE(dev->needed_headroom))
		WRITE_ONCE(dev->needed_headroom, headroom);
	if (skb_cow_head(skb, headroom) ||
	    iptunnel_handle_offloads(skb, (p->cfg.oflags & NGRE_F_CSUM) ?
					  SKB_GSO_GRE_CSUM : SKB_GSO_GRE)) {
		ip_rt_put(rt);
		stat = NGRE_STAT(ENCAP_FAIL_NO_HEADROOM);
		goto drop;
	}

	ngre_gre_build_header(skb, p->hlen - sizeof(struct iphdr),
			      p->cfg.oflags, proto, p->cfg.okey,
			      (p->cfg.oflags & NGRE_F_SEQ) ?
			      htonl(atomic_fetch_inc(&t->o_seqno)) : 0);
	/* iptunnel_xmit() counts the packet on skb->dev. */
	skb->dev = dev;
	iptunnel_xmit(NULL, rt, skb, saddr, p->cfg.remote, IPPROTO_GRE, tos,
		      ttl, df, false);
	ngre_stat_inc(nn, NGRE_STAT(ENCAP_SUCCESS));
	rcu_read_unlock();
	return;

drop:
	rcu_read_unlock();
	DEV_STATS_INC(dev, tx_dropped);
	ngre_stat_inc(nn, stat);
	kfree_skb(skb);
}

/**
 * ngre_encap_own_xmit - encapsulate a packet ngre made and send it
 * @t: the tunnel
 * @p: its params, up (under RCU, with BHs off)
 * @skb: an IPv4 packet (a keepalive), data at its network header; consumed
 *
 * Sent whatever the tunnel device's carrier, which the keepalives may
 * have turned off; with the tunnel's outer header as ngre_tunnel_add()
 * builds it, the TTL 255 if the tunnel inherits it.  Counted on the
 * device, as iptunnel_xmit() counts.
 *
 * Return: 0, or a negative errno if there is no route to the remote.
 */
int ngre_encap_own_xmit(struct ngre_tunnel *t, struct ngre_tunnel_params *p,
			struct sk_buff *skb)
{
	u8 tos = p->cfg.tos_inherit ? 0 : p->cfg.tos;
	__be16 df = p->cfg.pmtudisc ? htons(IP_DF) : 0;
	struct rtable *rt;
	__be32 saddr = 0;

	rt = ngre_route(p, dev_net(t->dev), tos, &saddr);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	if (rt->dst.dev == t->dev ||
	    skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			 rt->dst.header_len + p->hlen)) {
		ip_rt_put(rt);
		kfree_skb(skb);
		return -ENETUNREACH;
	}
	/* The device counts the inner packet's bytes, from here. */
	skb_reset_inner_headers(skb);
	ngre_gre_build_header(skb, p->hlen - sizeof(struct iphdr),
			      p->cfg.oflags, htons(ETH_P_IP), p->cfg.okey,
			      (p->cfg.oflags & NGRE_F_SEQ) ?
			      htonl(atomic_fetch_inc(&t->o_seqno)) : 0);
	skb->dev = t->dev;
	iptunnel_xmit(NULL, rt, skb, saddr, p->cfg.remote, IPPROTO_GRE, tos,
		      p->cfg.ttl ?: 255, df, false);
	return 0;
}
