// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks of ngre's receive datapath.  PRE_ROUTING, after
 * defragmentation and before conntrack, takes the GRE of ngre's tunnels
 * (a static flow's TUNNEL_REMOVE) and learns path MTUs from ICMP about
 * their outer packets; LOCAL_OUT marks the outer packets ngre sends
 * untracked.  Everything else passes untouched.  Documentation/design.rst
 * ("The GRE hook") gives the rules and the reasons.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/inetdevice.h>
#include <linux/if_vlan.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rhashtable.h>
#include <net/dst_metadata.h>
#include <net/gre.h>
#include <net/ip.h>
#include <net/l3mdev.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "ngre.h"

#define NGRE_HOOK_PRIORITY (NF_IP_PRI_CONNTRACK_DEFRAG + 1)

static unsigned int ngre_flow_run(struct ngre_net *nn, struct ngre_flow *f,
				  struct sk_buff *skb)
{
	const struct ngre_action *a = &f->actions[0];

	/* Static flows have the one action. */
	switch (a->type) {
	case NGRE_ACT_TUNNEL_REMOVE:
		return ngre_tunnel_remove(nn, a->tunnel, skb);
	}
	return NF_ACCEPT;
}

/* Reassemble a fragment for one of ngre's endpoints (bottom halves
 * disabled, as ip_defrag() wants).  0: @skb is now the whole packet; else
 * it was queued or dropped (consumed).
 */
static int ngre_defrag(struct net *net, struct ngre_net *nn,
		       struct sk_buff *skb)
{
	int err;

	err = ip_defrag(net, skb, IP_DEFRAG_LOCAL_DELIVER);
	if (!err)
		ngre_stat_inc(nn, NGRE_STAT(FRAG_REASSEMBLED));
	return err;
}

/*
 * What ngre_rx_local() changed on a packet, to undo if ngre leaves the
 * packet to the stack: the route it set (@own_dst), the IPCB flags the
 * route lookup sets, and a metadata dst (a collect_md tunnel's receive
 * info) the lookup drops, held here (@md) to be put back.
 */
struct ngre_rx_route {
	bool own_dst;
	u16 ipcb_flags;
	struct dst_entry *md;
};

/* @verdict for a packet ngre_rx_local() looked at.  Left to the stack
 * (NF_ACCEPT), it goes on as it came: without ngre's route, with its own
 * IPCB flags and metadata dst, so that the stack's own lookup and later
 * hooks (a fwmark for policy routing, NAT) see what they would have seen
 * without ngre.  Taken (or dropped: @skb is then only a number here),
 * its held metadata dst is put.
 */
static unsigned int ngre_rx_verdict(struct sk_buff *skb, unsigned int verdict,
				    struct ngre_rx_route *r)
{
	if (verdict != NF_ACCEPT) {
		if (r->md)
			dst_release(r->md);
		return verdict;
	}
	IPCB(skb)->flags = r->ipcb_flags;
	if (r->own_dst) {
		skb_dst_drop(skb);
		if (r->md)
			skb_dst_set(skb, r->md);
	}
	return verdict;
}

/* A frame for another host at layer 2 that br_netfilter runs through the
 * IPv4 hooks as PACKET_HOST (its pkt_otherhost): the bridge forwards it,
 * local delivery never sees it.
 */
static bool ngre_rx_otherhost(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	const struct nf_bridge_info *nf_bridge = nf_bridge_info_get(skb);

	return nf_bridge && nf_bridge->pkt_otherhost;
#else
	return false;
#endif
}

/*
 * Under RCU: would local delivery take @skb?  True: the input route it
 * would get is RTN_LOCAL; the route is left on @skb (noref, under the RCU
 * read lock of the receive path, as ip_rcv_finish() leaves it), with
 * IPSKB_NOPOLICY where the device has disable_policy; ngre_rx_verdict()
 * says what becomes of it.  False: @skb as it came.
 */
static bool ngre_rx_route_local(struct sk_buff *skb, struct ngre_rx_route *r)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct in_device *in_dev;

	if (unlikely(ngre_rx_otherhost(skb)))
		return false;
	r->own_dst = !skb_valid_dst(skb);
	r->ipcb_flags = IPCB(skb)->flags;
	r->md = NULL;
	if (r->own_dst) {
		if (skb_dst(skb)) {
			r->md = skb_dst(skb);
			dst_hold(r->md);
		}
		if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
					 skb->dev))
			goto not_local;
	} else {
		in_dev = __in_dev_get_rcu(skb->dev);
		if (in_dev && IN_DEV_ORCONF(in_dev, NOPOLICY))
			IPCB(skb)->flags |= IPSKB_NOPOLICY;
	}
	if (likely(skb_rtable(skb)->rt_type == RTN_LOCAL))
		return true;
not_local:
	ngre_rx_verdict(skb, NF_ACCEPT, r);
	return false;
}

/* ngre_rx_route_local() for @skb, which matched one of ngre's flows or
 * endpoints; counted if local delivery would not take it.
 */
static bool ngre_rx_local(struct ngre_net *nn, struct sk_buff *skb,
			  struct ngre_rx_route *r)
{
	if (likely(ngre_rx_route_local(skb, r)))
		return true;
	ngre_stat_inc(nn, NGRE_STAT(RX_NOT_LOCAL));
	return false;
}

/*
 * Under RCU: the device @skb came in on, as a static flow's key has it.
 * br_netfilter runs the IPv4 hooks with the bridge as the device
 * (brnf_get_logical_dev() without pass_vlan_indev): a frame tagged with a
 * VID there came in on the bridge's VLAN device of that VID, if it has
 * one.  (An untagged frame that a VLAN-filtering bridge gives its port's
 * PVID gets the tag only after these hooks: it counts as the bridge's.)
 */
static int ngre_rx_iif(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	struct net_device *vdev;

	if (nf_bridge_info_exists(skb) && netif_is_bridge_master(skb->dev) &&
	    skb_vlan_tag_present(skb)) {
		vdev = __vlan_find_dev_deep_rcu(skb->dev, skb->vlan_proto,
						skb_vlan_tag_get_id(skb));
		if (vdev)
			return vdev->ifindex;
	}
#endif
	return skb->dev->ifindex;
}

/* Under RCU: where GRE @skb, which came in on @iif, stands with ngre's up
 * tunnels, whatever its key; counted if it came in on another link.
 */
static enum ngre_endpoint_match ngre_rx_link(struct ngre_net *nn,
					     const struct sk_buff *skb,
					     int iif)
{
	const struct iphdr *iph = ip_hdr(skb);
	enum ngre_endpoint_match m;

	m = ngre_endpoint_match(nn, iph->saddr, iph->daddr, iif);
	if (m == NGRE_EP_OTHER_LINK)
		ngre_stat_inc(nn, NGRE_STAT(RX_WRONG_LINK));
	return m;
}

/* Under RCU: is GRE @skb for one of ngre's up tunnels, on its link, and
 * for one of the router's addresses?  (The cheap test before reassembly;
 * the flow's packet is checked in full.)
 */
static bool ngre_rx_endpoint(struct net *net, struct ngre_net *nn,
			     const struct sk_buff *skb)
{
	return ngre_rx_link(nn, skb, ngre_rx_iif(skb)) == NGRE_EP_LINK &&
	       !ngre_rx_otherhost(skb) &&
	       __ip_dev_find(net, ip_hdr(skb)->daddr, false);
}

/* A GRE packet too short for its header: dropped if it is addressed like
 * one of ngre's tunnels, else left alone.
 */
static unsigned int ngre_rx_truncated(struct net *net, struct ngre_net *nn,
				      struct sk_buff *skb)
{
	if (!ngre_rx_endpoint(net, nn, skb))
		return NF_ACCEPT;
	ngre_stat_inc(nn, NGRE_STAT(DECAP_FAIL_MALFORMED));
	kfree_skb(skb);
	return NF_STOLEN;
}

static unsigned int ngre_rx_gre(struct net *net, struct ngre_net *nn,
				struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct gre_base_hdr *greh;
	struct ngre_flow_key key;
	unsigned int hlen, off;
	struct ngre_rx_route r;
	struct ngre_flow *f;

	if (ip_is_fragment(iph)) {
		if (!ngre_rx_endpoint(net, nn, skb))
			return NF_ACCEPT;
		if (ngre_defrag(net, nn, skb))
			return NF_STOLEN;
	}

	/* Peek at the GRE header; it is parsed in full only when a flow
	 * claims the packet.
	 */
	hlen = ip_hdrlen(skb);
	if (!pskb_may_pull(skb, hlen + sizeof(*greh)))
		return ngre_rx_truncated(net, nn, skb);
	iph = ip_hdr(skb);
	greh = (const struct gre_base_hdr *)(skb->data + hlen);
	if (greh->flags & GRE_VERSION) {
		ngre_stat_inc(nn, NGRE_STAT(RX_NO_FLOW));
		return NF_ACCEPT;
	}
	memset(&key, 0, sizeof(key));
	key.saddr = iph->saddr;
	key.daddr = iph->daddr;
	key.iif = ngre_rx_iif(skb);
	key.proto = IPPROTO_GRE;
	key.type = NGRE_FLOW_STATIC;
	if (greh->flags & GRE_KEY) {
		/* Checksum and offset come first if C or R is set. */
		off = hlen + sizeof(*greh) +
		      (greh->flags & (GRE_CSUM | GRE_ROUTING) ? 4 : 0);
		if (!pskb_may_pull(skb, off + 4))
			return ngre_rx_truncated(net, nn, skb);
		key.type = NGRE_FLOW_STATIC_KEYED;
		key.gre_key = *(__be32 *)(skb->data + off);
	}

	f = ngre_flow_lookup(nn, &key);
	if (f) {
		if (unlikely(!ngre_rx_local(nn, skb, &r)))
			return NF_ACCEPT;
		/* Local delivery processes IP options first (ip_rcv_options():
		 * their checks, source routing, accept_source_route), which
		 * ngre does not redo: such GRE is the stack's.
		 */
		if (unlikely(ip_hdr(skb)->ihl > 5)) {
			ngre_stat_inc(nn, NGRE_STAT(RX_IP_OPTIONS));
			return ngre_rx_verdict(skb, NF_ACCEPT, &r);
		}
		/* The IPsec inbound policy local delivery would apply to
		 * GRE (ip_protocol_deliver_rcu()): "GRE from this peer
		 * only through ESP" holds for ngre's tunnels too.
		 */
		if (unlikely(!xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb))) {
			ngre_stat_inc(nn, NGRE_STAT(DECAP_FAIL_POLICY));
			kfree_skb(skb);
			return ngre_rx_verdict(skb, NF_STOLEN, &r);
		}
		return ngre_rx_verdict(skb, ngre_flow_run(nn, f, skb), &r);
	}

	switch (ngre_rx_link(nn, skb, key.iif)) {
	case NGRE_EP_NONE:
		ngre_stat_inc(nn, NGRE_STAT(RX_NO_FLOW));
		return NF_ACCEPT;
	case NGRE_EP_OTHER_LINK:
		return NF_ACCEPT;
	case NGRE_EP_LINK:
		break;
	}
	if (!ngre_rx_local(nn, skb, &r))
		return NF_ACCEPT;
	/* One of ngre's tunnels, but not this key.  Every tunnel between
	 * these addresses wants a key if a keyless packet missed.
	 */
	if (key.type == NGRE_FLOW_STATIC) {
		ngre_stat_inc(nn, NGRE_STAT(DECAP_FAIL_KEY));
		kfree_skb(skb);
		return ngre_rx_verdict(skb, NF_STOLEN, &r);
	}
	ngre_stat_inc(nn, NGRE_STAT(RX_KEY_MISMATCH));
	return ngre_rx_verdict(skb, NF_ACCEPT, &r);
}

/* The path MTU an ICMP "fragmentation needed" about GRE asks for, as
 * icmp_unreach() would pass it to ip_gre, in @mtu; false to ignore it.
 * net.ipv4.ip_no_pmtu_disc: 0 believes the ICMP; 1 falls back to the
 * minimum (an MTU of 0 becomes min(old, min_pmtu)); 2 ignores it; 3 only
 * believes it for protocols that validate what the ICMP quotes, which
 * GRE does not.
 */
static bool ngre_icmp_frag_mtu(struct net *net, const struct icmphdr *icmph,
			       u32 *mtu)
{
	switch (READ_ONCE(net->ipv4.sysctl_ip_no_pmtu_disc)) {
	case 0:
		*mtu = ntohs(icmph->un.frag.mtu);
		return true;
	case 1:
		*mtu = 0;
		return true;
	default:
		return false;
	}
}

/*
 * An ICMP "fragmentation needed" about an outer packet of a tunnel (from
 * its local to its remote address), sent to that local address, lowers the
 * path MTU of the route to the remote through the tunnel's link: the route
 * its packets take, whatever interface of the link's VRF the ICMP came in
 * on (ip_gre's error handler uses the ICMP's own).  Only an ICMP that local
 * delivery would take (the reverse-path filter) counts, and only for the
 * tunnels in the VRF it came in.  The ICMP itself goes on.
 */
static void ngre_rx_icmp(struct net *net, struct ngre_net *nn,
			 struct sk_buff *skb)
{
	unsigned int hlen = ip_hdrlen(skb), off;
	struct {
		struct icmphdr icmph;
		struct iphdr orig;
	} _h;
	int zone = l3mdev_master_ifindex_rcu(skb->dev), last = 0;
	struct rhlist_head *eps, *pos;
	const struct icmphdr *icmph;
	struct ngre_endpoint *ep;
	const struct iphdr *orig;
	struct ngre_rx_route r;
	struct net_device *link;
	bool learnt = false;
	u32 mtu;

	/* Copied, not pulled: ICMP that is not about a tunnel (nearly all
	 * of it) is not touched.
	 */
	if (ip_is_fragment(ip_hdr(skb)))
		return;
	icmph = skb_header_pointer(skb, hlen, sizeof(_h), &_h);
	if (!icmph)
		return;
	orig = (const struct iphdr *)(icmph + 1);
	if (icmph->type != ICMP_DEST_UNREACH ||
	    icmph->code != ICMP_FRAG_NEEDED ||
	    orig->protocol != IPPROTO_GRE || orig->ihl < 5 ||
	    orig->saddr != ip_hdr(skb)->daddr ||
	    !__ip_dev_find(net, orig->saddr, false) ||
	    !ngre_icmp_frag_mtu(net, icmph, &mtu))
		return;
	eps = ngre_endpoints(nn, orig->daddr, orig->saddr);
	if (!eps)
		return;
	off = hlen + sizeof(*icmph);
	if (!pskb_may_pull(skb, off + sizeof(*orig)))
		return;
	/* Not from a corrupted ICMP. */
	if (csum_fold(skb_checksum(skb, hlen, skb->len - hlen, 0)) ||
	    !ngre_rx_route_local(skb, &r))
		return;

	/* ipv4_update_pmtu() reads the quoted header at skb->data.  Tunnels
	 * of the same addresses on two links of the VRF both learn it.
	 */
	__skb_pull(skb, off);
	rhl_for_each_entry_rcu(ep, pos, eps, node) {
		link = dev_get_by_index_rcu(net, ep->link);
		if (!link || ep->link == last ||
		    l3mdev_master_ifindex_rcu(link) != zone)
			continue;
		ipv4_update_pmtu(skb, net, mtu, ep->link, IPPROTO_GRE);
		last = ep->link;
		learnt = true;
	}
	__skb_push(skb, off);
	ngre_rx_verdict(skb, NF_ACCEPT, &r);
	if (learnt)
		ngre_stat_inc(nn, NGRE_STAT(PMTU_UPDATE));
}

/*
 * A GRE or ICMP packet at PRE_ROUTING.  Runs in the receive softirq, but
 * also in process context when a packet queued by an earlier hook
 * (NFQUEUE) is reinjected: bottom halves are disabled around ngre's work
 * for gro_cells and the per-CPU counters either way.
 */
static noinline unsigned int ngre_rx(struct net *net, struct sk_buff *skb,
				     u8 protocol)
{
	struct ngre_net *nn = ngre_pernet(net);
	unsigned int verdict = NF_ACCEPT;

	/* The second pass of a VRF slave's packet, on the VRF device
	 * (vrf_ip_rcv()): the first, on the slave, has decided.
	 */
	if (unlikely(IPCB(skb)->flags & IPSKB_L3SLAVE) && !skb_valid_dst(skb))
		return NF_ACCEPT;
	local_bh_disable();
	if (protocol == IPPROTO_GRE)
		verdict = ngre_rx_gre(net, nn, skb);
	else
		ngre_rx_icmp(net, nn, skb);
	local_bh_enable();
	return verdict;
}

/* Everything but GRE and ICMP passes at the least cost: ngre_rx() is out
 * of line, so that this path saves no registers and sets up no frame.
 */
static unsigned int ngre_hook_prerouting(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	u8 protocol = ip_hdr(skb)->protocol;

	if (protocol != IPPROTO_GRE && protocol != IPPROTO_ICMP)
		return NF_ACCEPT;
	return ngre_rx(state->net, skb, protocol);
}

/* Under RCU: is @skb, a GRE packet at LOCAL_OUT, an outer packet of
 * ngre's?  Out of line, as ngre_rx() is, for the other packets' sake.
 * ngre_tunnel_add() hands it to iptunnel_xmit() with the tunnel device as
 * skb->dev, except that on a link in a VRF vrf_ip_out() has made the VRF
 * device skb->dev by now: there it is GRE between an up tunnel's
 * addresses that leaves by the tunnel's link (an ip_gre tunnel between
 * the same addresses on the same link is taken for ngre's).
 */
static noinline bool ngre_tx_own(const struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!skb->dev)
		return false;
	if (ngre_is_tunnel_dev(skb->dev))
		return true;
	return netif_is_l3_master(skb->dev) && state->out &&
	       ngre_endpoint_match(ngre_pernet(state->net), iph->daddr,
				   iph->saddr, state->out->ifindex) ==
	       NGRE_EP_LINK;
}

/* ngre's own outer packets are not tracked: their replies are taken in
 * PRE_ROUTING before conntrack, so an entry would never see one.  A
 * packet the raw table gave a conntrack template (a zone, a helper) or
 * marked already keeps it.
 */
static unsigned int ngre_hook_local_out(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	if (ip_hdr(skb)->protocol == IPPROTO_GRE && !skb_get_nfct(skb) &&
	    ngre_tx_own(skb, state))
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	return NF_ACCEPT;
}

static const struct nf_hook_ops ngre_hook_ops[] = {
	{
		.hook		= ngre_hook_prerouting,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NGRE_HOOK_PRIORITY,
	},
	{
		.hook		= ngre_hook_local_out,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		/* After the raw table, before conntrack. */
		.priority	= NF_IP_PRI_RAW + 1,
	},
};

/* With the first tunnel of @net (netns.c). */
int ngre_gre_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, ngre_hook_ops,
				     ARRAY_SIZE(ngre_hook_ops));
}

void ngre_gre_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, ngre_hook_ops, ARRAY_SIZE(ngre_hook_ops));
}
