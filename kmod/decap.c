// SPDX-License-Identifier: GPL-2.0
/*
 * TUNNEL_REMOVE: the action of a tunnel's static flow.  Strips the outer
 * IPv4 and GRE headers of a packet that matched the flow and hands the
 * inner packet to the stack as received on the tunnel device, through the
 * tunnel's gro_cells.  It comes back through PRE_ROUTING on the tunnel:
 * that second pass is where sessions will find it.
 *
 * Runs in the PRE_ROUTING hook, in softirq context under RCU.  Every drop
 * is counted by reason, in the namespace's counters and in the tunnel
 * device's standard ones.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ipv6.h>
#include <net/gre.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>

#include "ngre.h"

/* The DS field of the inner packet at the network header. */
static u8 ngre_inner_dsfield(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return ip_hdr(skb)->tos;
	return ipv6_get_dsfield(ipv6_hdr(skb));
}

static unsigned int ngre_decap_drop(struct ngre_net *nn, struct sk_buff *skb,
				    unsigned int stat)
{
	ngre_stat_inc(nn, stat);
	kfree_skb(skb);
	return NF_STOLEN;
}

/*
 * RFC 2890 sequence numbers, for a tunnel with iseq.  A number behind the
 * expected one by less than NGRE_SEQ_WINDOW is a duplicate or came out of
 * order: refused.  One NGRE_SEQ_WINDOW or more away in either direction
 * is a jump (a peer that restarted, a long outage, or a spoofed packet):
 * GRE is not authenticated, so the packet is refused and the jump only
 * proposed.  The next packet takes the jump if it continues from it; a
 * packet near the expected number withdraws it.  A single spoofed packet
 * never moves the expected number.
 */
#define NGRE_SEQ_WINDOW 65536

enum ngre_seq_verdict {
	NGRE_SEQ_OK,	/* at or ahead of the expected number, or continuing
			 * a proposed jump
			 */
	NGRE_SEQ_OLD,	/* behind: refused */
	NGRE_SEQ_JUMP,	/* far off: refused, proposed */
};

static enum ngre_seq_verdict ngre_seq_check(const struct ngre_tunnel *t,
					    u32 seq)
{
	u32 expected = READ_ONCE(t->i_seqno), jump;
	s32 d = seq - expected;

	/* 0: nothing received since the sequence (re)started. */
	if (!expected || (d >= 0 && d < NGRE_SEQ_WINDOW))
		return NGRE_SEQ_OK;
	if (d < 0 && d >= -NGRE_SEQ_WINDOW)
		return NGRE_SEQ_OLD;
	jump = READ_ONCE(t->i_seq_jump);
	d = seq - jump;
	if (jump && d >= 0 && d < NGRE_SEQ_WINDOW)
		return NGRE_SEQ_OK;
	return NGRE_SEQ_JUMP;
}

/* A packet numbered @seq passed every check (NGRE_SEQ_OK): the next one
 * is expected after it, and a proposed jump is taken or withdrawn.
 */
static void ngre_seq_advance(struct ngre_tunnel *t, u32 seq)
{
	WRITE_ONCE(t->i_seqno, seq + 1);
	if (READ_ONCE(t->i_seq_jump))
		WRITE_ONCE(t->i_seq_jump, 0);
}

/*
 * Parse the GRE header of @skb (data at the GRE header) into @tpi against
 * tunnel @t's requirements: no routing, the checksum verified (and present
 * if required), the sequence number present if required and not behind
 * (@seqv).  Return: the header's length, or -1 if @skb was dropped.
 */
static int ngre_decap_parse(struct ngre_net *nn, struct ngre_tunnel *t,
			    const struct ngre_tunnel_params *p,
			    struct sk_buff *skb, struct tnl_ptk_info *tpi,
			    enum ngre_seq_verdict *seqv)
{
	struct net_device *dev = t->dev;
	bool csum_err = false;
	int hdr_len;
	u32 flags;

	/* The hook left other versions than 0 alone. */
	hdr_len = gre_parse_header(skb, tpi, &csum_err, htons(ETH_P_IP), 0);
	if (hdr_len < 0) {
		DEV_STATS_INC(dev, rx_errors);
		if (csum_err) {
			DEV_STATS_INC(dev, rx_crc_errors);
			ngre_decap_drop(nn, skb, NGRE_STAT(DECAP_FAIL_CHECKSUM));
			return -1;
		}
		DEV_STATS_INC(dev, rx_frame_errors);
		ngre_decap_drop(nn, skb, NGRE_STAT(DECAP_FAIL_MALFORMED));
		return -1;
	}
	flags = ngre_tpi_flags(tpi);
	if ((p->cfg.iflags & NGRE_F_CSUM) && !(flags & NGRE_F_CSUM)) {
		DEV_STATS_INC(dev, rx_errors);
		DEV_STATS_INC(dev, rx_crc_errors);
		ngre_decap_drop(nn, skb, NGRE_STAT(DECAP_FAIL_CHECKSUM));
		return -1;
	}
	*seqv = NGRE_SEQ_OK;
	if (!(p->cfg.iflags & NGRE_F_SEQ))
		return hdr_len;
	if (flags & NGRE_F_SEQ)
		*seqv = ngre_seq_check(t, ntohl(tpi->seq));
	if (!(flags & NGRE_F_SEQ) || *seqv == NGRE_SEQ_OLD) {
		DEV_STATS_INC(dev, rx_errors);
		DEV_STATS_INC(dev, rx_fifo_errors);
		ngre_decap_drop(nn, skb, NGRE_STAT(DECAP_FAIL_SEQUENCE));
		return -1;
	}
	return hdr_len;
}

/*
 * The last check, once every other one passed: the expected sequence
 * number moves on, or a jump is proposed and the packet refused (false:
 * @skb was dropped).
 */
static bool ngre_decap_seq_commit(struct ngre_net *nn, struct ngre_tunnel *t,
				  const struct ngre_tunnel_params *p,
				  struct sk_buff *skb,
				  const struct tnl_ptk_info *tpi,
				  enum ngre_seq_verdict seqv)
{
	if (!(p->cfg.iflags & NGRE_F_SEQ))
		return true;
	if (seqv == NGRE_SEQ_OK) {
		ngre_seq_advance(t, ntohl(tpi->seq));
		return true;
	}
	WRITE_ONCE(t->i_seq_jump, ntohl(tpi->seq) + 1);
	DEV_STATS_INC(t->dev, rx_errors);
	DEV_STATS_INC(t->dev, rx_fifo_errors);
	ngre_decap_drop(nn, skb, NGRE_STAT(DECAP_FAIL_SEQ_JUMP));
	return false;
}

/* GRE of protocol 0, a keepalive (the GRE header at @skb->data). */
static bool ngre_gre_is_keepalive(struct sk_buff *skb)
{
	return pskb_may_pull(skb, sizeof(struct gre_base_hdr)) &&
	       !((const struct gre_base_hdr *)skb->data)->protocol;
}

/**
 * ngre_tunnel_remove - decapsulate a packet of tunnel @t
 * @nn: the namespace
 * @t: the tunnel whose static flow the packet matched
 * @skb: the outer packet, data at the outer IPv4 header
 *
 * Return: NF_STOLEN (delivered or dropped), or NF_ACCEPT (untouched) if
 * the tunnel is going away.
 */
unsigned int ngre_tunnel_remove(struct ngre_net *nn, struct ngre_tunnel *t,
				struct sk_buff *skb)
{
	struct net_device *dev = t->dev;
	struct ngre_tunnel_params *p = rcu_dereference(t->params);
	enum ngre_seq_verdict seqv;
	struct tnl_ptk_info tpi;
	int hdr_len, ecn;
	u8 outer_tos;

	/* The flow was found just as the tunnel went down or away. */
	if (unlikely(!p || !netif_running(dev))) {
		ngre_stat_inc(nn, NGRE_STAT(INVALID_ENTRY));
		return NF_ACCEPT;
	}

	outer_tos = ip_hdr(skb)->tos;
	skb_pull_rcsum(skb, ip_hdrlen(skb));
	/* A keepalive come back or a probe answered, before the checks
	 * that data must pass.
	 */
	if (unlikely(ngre_gre_is_keepalive(skb)))
		return ngre_keepalive_reply_rcv(nn, t, p, skb);
	if (unlikely(p->cfg.probe_addr) && ngre_probe_reply_rcv(nn, t, p, skb))
		return NF_STOLEN;
	hdr_len = ngre_decap_parse(nn, t, p, skb, &tpi, &seqv);
	if (hdr_len < 0)
		return NF_STOLEN;

	switch (tpi.proto) {
	case htons(ETH_P_IP):
	case htons(ETH_P_IPV6):
		break;
	default:
		DEV_STATS_INC(dev, rx_errors);
		DEV_STATS_INC(dev, rx_frame_errors);
		return ngre_decap_drop(nn, skb, NGRE_STAT(DECAP_FAIL_PROTOCOL));
	}

	/* Pull GRE, set the inner protocol, scrub (same namespace). */
	if (iptunnel_pull_header(skb, hdr_len, tpi.proto, false))
		goto malformed;
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	if (!pskb_inet_may_pull(skb))
		goto malformed;

	/* RFC 6040: CE outside marks an ECN-capable inner packet; on a
	 * not-ECT inner packet it is a drop.
	 */
	ecn = INET_ECN_decapsulate(skb, outer_tos, ngre_inner_dsfield(skb));
	if (unlikely(ecn > 1)) {
		DEV_STATS_INC(dev, rx_errors);
		DEV_STATS_INC(dev, rx_frame_errors);
		return ngre_decap_drop(nn, skb, NGRE_STAT(DECAP_FAIL_ECN));
	}
	if (!ngre_decap_seq_commit(nn, t, p, skb, &tpi, seqv))
		return NF_STOLEN;
	/* The remote's keepalive, to send back. */
	if (unlikely(tpi.proto == htons(ETH_P_IP) &&
		     ip_hdr(skb)->protocol == IPPROTO_GRE) &&
	    ngre_keepalive_reflect(nn, t, p, skb))
		return NF_STOLEN;

	skb->dev = dev;
	dev_sw_netstats_rx_add(dev, skb->len);
	/* A full backlog drops it and counts it in the device's rx_dropped. */
	if (gro_cells_receive(&t->gro_cells, skb) == NET_RX_SUCCESS)
		ngre_stat_inc(nn, NGRE_STAT(DECAP_SUCCESS));
	return NF_STOLEN;

malformed:
	DEV_STATS_INC(dev, rx_errors);
	DEV_STATS_INC(dev, rx_frame_errors);
	return ngre_decap_drop(nn, skb, NGRE_STAT(DECAP_FAIL_MALFORMED));
}
