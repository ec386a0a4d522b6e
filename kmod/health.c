// SPDX-License-Identifier: GPL-2.0
/*
 * A tunnel's health: keepalives in Cisco's format (every period a GRE
 * packet whose inner packet, GRE of protocol 0, the remote only routes
 * back) or probes (an ICMP echo through the tunnel).  After RETRIES
 * periods with none back the tunnel goes down (carrier off), and the
 * first back brings it up.  The remote's keepalives are sent back to it.
 * Documentation/design.rst has the rules and their reasons.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <net/gre.h>
#include <net/ip.h>
#include <net/route.h>

#include "ngre.h"

/* Bits of ngre_health.flags. */
enum {
	NGRE_HEALTH_BACK,	/* a keepalive came back, or a probe was
				 * answered, since the last period
				 */
	NGRE_HEALTH_RESET,	/* start over: the next period counts nothing */
	NGRE_HEALTH_ANSWERED,	/* @last_reply holds a keepalive come back or
				 * a probe answered; never cleared
				 */
};

/* What watches a tunnel: keepalives or probes, every @period seconds,
 * down after @retries periods without an answer, for @reason.
 */
struct ngre_watch {
	unsigned int period;
	unsigned int retries;
	u8 reason;
};

/* The watch of @p's tunnel; false if it has none. */
static bool ngre_watch_of(const struct ngre_tunnel_params *p,
			  struct ngre_watch *w)
{
	if (p->cfg.ka_period) {
		*w = (struct ngre_watch) { p->cfg.ka_period, p->cfg.ka_retries,
					   NGRE_DOWN_KEEPALIVE };
		return true;
	}
	if (p->cfg.probe_addr) {
		*w = (struct ngre_watch) { p->cfg.probe_interval,
					   p->cfg.probe_retries,
					   NGRE_DOWN_PROBE };
		return true;
	}
	return false;
}

/* An IPv4 header without options from @saddr to @daddr, pushed in front
 * of what @skb holds (keepalives and probes are built inside out).
 */
static void ngre_ipv4_push(struct sk_buff *skb, u8 protocol, u8 ttl,
			   __be32 saddr, __be32 daddr)
{
	struct iphdr *iph = skb_push(skb, sizeof(*iph));

	skb_reset_network_header(skb);
	*iph = (struct iphdr) {
		.version	= 4,
		.ihl		= 5,
		.tot_len	= htons(skb->len),
		.ttl		= ttl,
		.protocol	= protocol,
		.saddr		= saddr,
		.daddr		= daddr,
	};
	ip_send_check(iph);
	skb->protocol = htons(ETH_P_IP);
}

/* The keepalive of @p: an IPv4 packet from the remote to the tunnel's
 * source, GRE of protocol 0 with the receive key if the tunnel has one
 * (so that it comes back on the tunnel's static flow), and no payload.
 */
static struct sk_buff *ngre_keepalive_build(const struct ngre_tunnel_params *p)
{
	u32 kflag = p->cfg.iflags & NGRE_F_KEY;
	unsigned int glen = kflag ? 8 : 4;
	unsigned int room = LL_MAX_HEADER + p->hlen + sizeof(struct iphdr) + glen;
	struct sk_buff *skb;

	skb = alloc_skb(room, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, room);
	ngre_gre_build_header(skb, glen, kflag, 0, p->cfg.ikey, 0);
	ngre_ipv4_push(skb, IPPROTO_GRE, 255, p->cfg.remote, p->saddr);
	return skb;
}

/* @t's probe number @seq: an ICMP echo from the tunnel device's address to
 * the probe address, without payload; NULL without an address or memory.
 */
static struct sk_buff *ngre_probe_build(struct ngre_tunnel *t,
					const struct ngre_tunnel_params *p,
					u16 seq)
{
	unsigned int room = LL_MAX_HEADER + p->hlen + sizeof(struct iphdr) +
			    sizeof(struct icmphdr);
	__be32 saddr = ngre_primary_addr(t->dev);
	struct icmphdr *icmph;
	struct sk_buff *skb;

	if (!saddr)
		return NULL;
	skb = alloc_skb(room, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, room);
	icmph = skb_push(skb, sizeof(*icmph));
	*icmph = (struct icmphdr) {
		.type = ICMP_ECHO,
		.un.echo.id = htons(t->health.probe_id),
		.un.echo.sequence = htons(seq),
	};
	icmph->checksum = ip_compute_csum(icmph, sizeof(*icmph));
	ngre_ipv4_push(skb, IPPROTO_ICMP, 64, saddr, p->cfg.probe_addr);
	return skb;
}

/* Send @t's keepalive or probe, under RCU with @p its params, up. */
static void ngre_health_send(struct ngre_tunnel *t,
			     struct ngre_tunnel_params *p, u8 reason)
{
	struct ngre_health *h = &t->health;
	struct sk_buff *skb;
	int err = -ENOMEM;

	if (reason == NGRE_DOWN_KEEPALIVE) {
		skb = ngre_keepalive_build(p);
	} else {
		WRITE_ONCE(h->probe_seq, h->probe_seq + 1);
		skb = ngre_probe_build(t, p, h->probe_seq);
	}
	local_bh_disable();
	if (skb)
		err = ngre_encap_own_xmit(t, p, skb);
	if (err) {
		ngre_stat_inc(t->nn, NGRE_STAT(HEALTH_FAIL));
	} else if (reason == NGRE_DOWN_KEEPALIVE) {
		atomic64_inc(&h->sent);
		ngre_stat_inc(t->nn, NGRE_STAT(KEEPALIVE_SENT));
	} else {
		atomic64_inc(&h->probes);
		ngre_stat_inc(t->nn, NGRE_STAT(PROBE_SENT));
	}
	local_bh_enable();
}

static const char *const ngre_watch_name[] = {
	[NGRE_DOWN_KEEPALIVE]	= "keepalive",
	[NGRE_DOWN_PROBE]	= "probe",
};

/* Under the RTNL: the keepalives or probes take @t down, or bring it
 * back up, if they still have a say (nothing changed the tunnel since).
 */
static void ngre_health_change(struct ngre_tunnel *t, bool down)
{
	const struct ngre_tunnel_params *p = ngre_tunnel_params_rtnl(t);
	struct ngre_health *h = &t->health;
	struct ngre_watch w;

	ASSERT_RTNL();
	if (!ngre_watch_of(p, &w) || !!h->down == down ||
	    test_bit(NGRE_HEALTH_RESET, &h->flags))
		return;
	WRITE_ONCE(h->down, down ? w.reason : NGRE_DOWN_NONE);
	h->changes++;
	if (down) {
		netif_carrier_off(t->dev);
		netdev_info(t->dev, "%s: down, no answer in %u periods\n",
			    ngre_watch_name[w.reason], w.retries);
	} else {
		/* Not while another reason holds it down, a failed
		 * refresh included.
		 */
		if (ngre_tunnel_down_reason(t, p) == NGRE_DOWN_NONE)
			netif_carrier_on(t->dev);
		netdev_info(t->dev, "%s: up, answered\n",
			    ngre_watch_name[w.reason]);
	}
	ngre_tunnel_event(t, NGRE_EV_CHANGE);
}

/* The period that ends now: an answer came during it, or it is one more
 * missed; none counts after a reset.  Under RCU.
 */
static void ngre_health_count(struct ngre_health *h, unsigned int retries)
{
	if (test_and_clear_bit(NGRE_HEALTH_RESET, &h->flags)) {
		clear_bit(NGRE_HEALTH_BACK, &h->flags);
		h->missed = 0;
	} else if (test_and_clear_bit(NGRE_HEALTH_BACK, &h->flags)) {
		h->missed = 0;
	} else if (h->missed < retries) {
		h->missed++;
	}
}

/* Take @t down or bring it up if the count says so.  Return: false if the
 * RTNL was taken (the work tries again a jiffy later).
 */
static bool ngre_health_apply(struct ngre_tunnel *t, unsigned int retries)
{
	bool down = t->health.missed >= retries;

	if (down == !!READ_ONCE(t->health.down))
		return true;
	/* ngre_dev_uninit() waits for this work under the RTNL. */
	if (!rtnl_trylock())
		return false;
	ngre_health_change(t, down);
	rtnl_unlock();
	return true;
}

/* Each period: count the one that ends, send a keepalive or probe, go
 * down or up.  A run that could not take the RTNL is followed a jiffy
 * later by one that only tries again, unless a reset came meanwhile.
 */
static void ngre_health_work(struct work_struct *work)
{
	struct ngre_health *h = container_of(to_delayed_work(work),
					     struct ngre_health, work);
	struct ngre_tunnel *t = container_of(h, struct ngre_tunnel, health);
	struct ngre_tunnel_params *p;
	bool retry = h->retry;
	struct ngre_watch w;

	h->retry = false;
	rcu_read_lock();
	p = rcu_dereference(t->params);
	/* None, or down for its configuration or a failed refresh: nothing
	 * to send, nothing to count.  ngre_health_publish() starts over when
	 * that changes.
	 */
	if (!ngre_watch_of(p, &w) || p->down_reason != NGRE_DOWN_NONE ||
	    READ_ONCE(t->stale)) {
		rcu_read_unlock();
		return;
	}
	if (!retry || test_bit(NGRE_HEALTH_RESET, &h->flags)) {
		ngre_health_count(h, w.retries);
		ngre_health_send(t, p, w.reason);
	}
	rcu_read_unlock();

	if (!ngre_health_apply(t, w.retries)) {
		h->retry = true;
		queue_delayed_work(system_power_efficient_wq, &h->work, 1);
		return;
	}
	queue_delayed_work(system_power_efficient_wq, &h->work, w.period * HZ);
}

void ngre_health_init(struct ngre_tunnel *t)
{
	INIT_DELAYED_WORK(&t->health.work, ngre_health_work);
	t->health.reflect_next = jiffies;
	t->health.probe_id = get_random_u32() & 0xffff;
}

/**
 * ngre_health_publish - the keepalives or probes of @t with new params
 * @t: the tunnel, under the RTNL
 * @old: its params until now, NULL for a new tunnel or one back from a
 *	failed refresh
 * @p: its new params, published
 *
 * Another peer, source or link, a tunnel that comes up, or other
 * keepalive or probe settings start over: the tunnel is up as far as
 * they go, and RETRIES periods must pass without an answer to take it
 * down.
 * The work runs only while the tunnel is up for its configuration (it
 * is created down, administratively).
 */
void ngre_health_publish(struct ngre_tunnel *t,
			 const struct ngre_tunnel_params *old,
			 const struct ngre_tunnel_params *p)
{
	struct ngre_health *h = &t->health;
	struct ngre_watch w;

	ASSERT_RTNL();
	if (old && old->cfg.ka_period == p->cfg.ka_period &&
	    old->cfg.ka_retries == p->cfg.ka_retries &&
	    old->cfg.probe_addr == p->cfg.probe_addr &&
	    old->cfg.probe_interval == p->cfg.probe_interval &&
	    old->cfg.probe_retries == p->cfg.probe_retries &&
	    old->cfg.remote == p->cfg.remote && old->saddr == p->saddr &&
	    old->link_ifindex == p->link_ifindex &&
	    (old->down_reason == NGRE_DOWN_NONE ||
	     p->down_reason != NGRE_DOWN_NONE))
		return;
	set_bit(NGRE_HEALTH_RESET, &h->flags);
	WRITE_ONCE(h->down, NGRE_DOWN_NONE);
	if (ngre_watch_of(p, &w) && t->dev->reg_state == NETREG_REGISTERED)
		mod_delayed_work(system_power_efficient_wq, &h->work, 0);
}

/* Under the RTNL, in ngre_dev_uninit(): after it, nothing queues the work. */
void ngre_health_stop(struct ngre_tunnel *t)
{
	ASSERT_RTNL();
	cancel_delayed_work_sync(&t->health.work);
}

/* An answer (softirq): the period is not missed, and a tunnel held down
 * comes up at once, not at the end of the period (the work runs once a
 * period however many answers come).
 */
static void ngre_health_answered(struct ngre_health *h)
{
	WRITE_ONCE(h->last_reply, jiffies);
	/* Pairs with the smp_rmb() of ngre_health_last_reply_ms(). */
	smp_mb__before_atomic();
	set_bit(NGRE_HEALTH_ANSWERED, &h->flags);
	if (!test_and_set_bit(NGRE_HEALTH_BACK, &h->flags) &&
	    READ_ONCE(h->down))
		mod_delayed_work(system_power_efficient_wq, &h->work, 0);
}

/**
 * ngre_health_last_reply_ms - the age of @h's last answer
 * @h: a tunnel's health (lockless)
 * @ms: set to the milliseconds since a keepalive last came back to a
 *	tunnel with keepalives or a probe was last answered, at most
 *	U32_MAX
 *
 * The jiffies read here may be older than the time another CPU has
 * just stored: that age is 0, not a wrapped difference.
 *
 * Return: false if there has been no answer yet (@ms untouched).
 */
bool ngre_health_last_reply_ms(const struct ngre_health *h, u32 *ms)
{
	unsigned long now, last;

	if (!test_bit(NGRE_HEALTH_ANSWERED, &h->flags))
		return false;
	/* Pairs with the barrier of ngre_health_answered(). */
	smp_rmb();
	last = READ_ONCE(h->last_reply);
	now = jiffies;
	*ms = time_after(last, now) ? 0 :
	      min_t(u64, U32_MAX, jiffies64_to_msecs(now - last));
	return true;
}

/**
 * ngre_keepalive_reply_rcv - take one of @t's keepalives come back
 * @nn: the namespace
 * @t: the tunnel whose static flow the packet matched
 * @p: its params (under RCU, in the receive softirq)
 * @skb: GRE of protocol 0 (ngre_gre_is_keepalive()); consumed
 *
 * Taken whatever its checksum and sequence number: decap.c asks before
 * it checks them, and the expected sequence number does not move.
 *
 * Return: NF_STOLEN.
 */
unsigned int ngre_keepalive_reply_rcv(struct ngre_net *nn,
				      struct ngre_tunnel *t,
				      const struct ngre_tunnel_params *p,
				      struct sk_buff *skb)
{
	struct ngre_health *h = &t->health;

	atomic64_inc(&h->replies);
	/* A tunnel watched by probes is not kept up by GRE of protocol 0. */
	if (p->cfg.ka_period)
		ngre_health_answered(h);
	ngre_stat_inc(nn, NGRE_STAT(DECAP_KEEPALIVE));
	consume_skb(skb);
	return NF_STOLEN;
}

/* @skb, decapsulated from @p's tunnel, is the remote's keepalive, as
 * Cisco's routers make them: IPv4 without options from the tunnel's
 * source to the remote, not a fragment, with a TTL to forward it, and no
 * more than a GRE header of version 0 and protocol 0 with at most a key.
 */
static bool ngre_is_keepalive_of(const struct ngre_tunnel_params *p,
				 struct sk_buff *skb)
{
	const struct gre_base_hdr *greh;
	const struct iphdr *iph;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*iph) + sizeof(*greh)))
		return false;
	iph = ip_hdr(skb);
	greh = (const struct gre_base_hdr *)(iph + 1);
	len = sizeof(*iph) + sizeof(*greh) + (greh->flags & GRE_KEY ? 4 : 0);
	return iph->ihl == 5 && iph->protocol == IPPROTO_GRE &&
	       iph->saddr == p->saddr && iph->daddr == p->cfg.remote &&
	       !ip_is_fragment(iph) && iph->ttl > 1 &&
	       ntohs(iph->tot_len) == len && skb->len == len &&
	       !(greh->flags & ~GRE_KEY) && !greh->protocol;
}

/**
 * ngre_keepalive_reflect - send the remote's keepalive back to it
 * @nn: the namespace
 * @t: the tunnel it came through
 * @p: the tunnel's params (under RCU, in the receive softirq)
 * @skb: the inner packet, decapsulated, data at its IPv4 header
 *
 * The inner packet goes to the remote as the stack would forward it
 * (its TTL one less), without the stack: Linux would take its source,
 * one of the router's own addresses, for a martian.  It leaves through
 * LOCAL_OUT (the OUTPUT chain), not FORWARD.  At most 16 a second a
 * tunnel; beyond that it is delivered as any other packet.
 *
 * Return: true if @skb was the remote's keepalive (and is consumed).
 */
bool ngre_keepalive_reflect(struct ngre_net *nn, struct ngre_tunnel *t,
			    struct ngre_tunnel_params *p, struct sk_buff *skb)
{
	struct ngre_health *h = &t->health;
	struct net *net = dev_net(t->dev);
	struct rtable *rt;
	__be32 saddr = 0;

	if (!ngre_is_keepalive_of(p, skb) ||
	    time_before(jiffies, READ_ONCE(h->reflect_next)))
		return false;
	WRITE_ONCE(h->reflect_next, jiffies + HZ / 16);
	rt = ngre_route(p, net, 0, &saddr);
	if (IS_ERR(rt)) {
		ngre_stat_inc(nn, NGRE_STAT(HEALTH_FAIL));
		kfree_skb(skb);
		return true;
	}
	if (rt->dst.dev == t->dev ||
	    skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev))) {
		ip_rt_put(rt);
		ngre_stat_inc(nn, NGRE_STAT(HEALTH_FAIL));
		kfree_skb(skb);
		return true;
	}
	skb_scrub_packet(skb, false);
	skb_clear_tstamp(skb);
	skb->ip_summed = CHECKSUM_NONE;
	ip_decrease_ttl(ip_hdr(skb));
	skb_dst_set(skb, &rt->dst);
	/* As the tunnel's own outer packets: not tracked (hook.c). */
	skb->dev = t->dev;
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	atomic64_inc(&h->reflected);
	ngre_stat_inc(nn, NGRE_STAT(KEEPALIVE_REFLECTED));
	ip_local_out(net, NULL, skb);
	return true;
}

/**
 * ngre_probe_reply_rcv - take the answer to one of @t's probes
 * @nn: the namespace
 * @t: the tunnel whose static flow the packet matched, with probes
 * @p: its params (under RCU, in the receive softirq)
 * @skb: the packet, data at its GRE header
 *
 * An ICMP echo reply from the probe address with the probes' identifier
 * and the number of one of the last RETRIES + 1 probes, inside GRE of
 * protocol 0x0800; taken whatever the GRE header's checksum and sequence
 * number, which decap.c checks after asking.  Consumed: the answer is
 * ngre's, not the stack's.
 *
 * Return: true if @skb was one (and is consumed).
 */
bool ngre_probe_reply_rcv(struct ngre_net *nn, struct ngre_tunnel *t,
			  const struct ngre_tunnel_params *p,
			  struct sk_buff *skb)
{
	const struct gre_base_hdr *greh;
	struct ngre_health *h = &t->health;
	struct gre_base_hdr _greh;
	const struct icmphdr *icmph;
	struct icmphdr _icmph;
	const struct iphdr *iph;
	struct iphdr _iph;
	unsigned int off;

	greh = skb_header_pointer(skb, 0, sizeof(_greh), &_greh);
	if (!greh || greh->protocol != htons(ETH_P_IP))
		return false;
	off = sizeof(*greh) + (greh->flags & GRE_CSUM ? 4 : 0) +
	      (greh->flags & GRE_KEY ? 4 : 0) + (greh->flags & GRE_SEQ ? 4 : 0);
	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5 ||
	    iph->protocol != IPPROTO_ICMP || iph->saddr != p->cfg.probe_addr ||
	    ip_is_fragment(iph))
		return false;
	icmph = skb_header_pointer(skb, off + iph->ihl * 4, sizeof(_icmph),
				   &_icmph);
	if (!icmph || icmph->type != ICMP_ECHOREPLY ||
	    ntohs(icmph->un.echo.id) != h->probe_id ||
	    (u16)(READ_ONCE(h->probe_seq) - ntohs(icmph->un.echo.sequence)) >
	    p->cfg.probe_retries)
		return false;
	atomic64_inc(&h->probe_replies);
	ngre_health_answered(h);
	ngre_stat_inc(nn, NGRE_STAT(PROBE_REPLIES));
	consume_skb(skb);
	return true;
}
