/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels ngre supports (Debian 12's
 * 6.1 and 6.12).  Every version test in ngre lives in this file; the rest
 * of the code is written against the newest API and uses the helpers here.
 *
 * Debian backports API changes into its stable kernels, so the tests are
 * for features, not versions: kmod/Kbuild greps the kernel's headers and
 * defines NGRE_HAVE_* for what it finds.
 */
#ifndef _NGRE_COMPAT_H
#define _NGRE_COMPAT_H

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/gre.h>
#include <net/ip_tunnels.h>

#include "../uapi/linux/ngre.h"

/*
 * NETIF_F_NETNS_LOCAL became the dev->netns_local bit (6.12), since
 * renamed dev->netns_immutable and backported into Debian's 6.12.
 */
static inline void ngre_set_netns_local(struct net_device *dev)
{
#if defined(NGRE_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(NGRE_HAVE_NETNS_LOCAL)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/* Lockless transmit: NETIF_F_LLTX in 6.1, the dev->lltx bit since 6.11. */
static inline void ngre_set_lltx(struct net_device *dev)
{
#if defined(NGRE_HAVE_LLTX_BIT)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/*
 * GRE header flags: __be16 TUNNEL_* bits in 6.1, a bitmap indexed by
 * IP_TUNNEL_*_BIT since 6.10 (gre_build_header(), struct tnl_ptk_info).
 * ngre speaks NGRE_F_* and converts here.
 */
#if defined(NGRE_HAVE_TUNNEL_FLAGS_BITMAP)
static inline void ngre_gre_build_header(struct sk_buff *skb, int hdr_len,
					 u32 nflags, __be16 proto,
					 __be32 key, __be32 seq)
{
	IP_TUNNEL_DECLARE_FLAGS(flags) = { };

	if (nflags & NGRE_F_KEY)
		__set_bit(IP_TUNNEL_KEY_BIT, flags);
	if (nflags & NGRE_F_CSUM)
		__set_bit(IP_TUNNEL_CSUM_BIT, flags);
	if (nflags & NGRE_F_SEQ)
		__set_bit(IP_TUNNEL_SEQ_BIT, flags);
	gre_build_header(skb, hdr_len, flags, proto, key, seq);
}

static inline u32 ngre_tpi_flags(const struct tnl_ptk_info *tpi)
{
	return (test_bit(IP_TUNNEL_KEY_BIT, tpi->flags) ? NGRE_F_KEY : 0) |
	       (test_bit(IP_TUNNEL_CSUM_BIT, tpi->flags) ? NGRE_F_CSUM : 0) |
	       (test_bit(IP_TUNNEL_SEQ_BIT, tpi->flags) ? NGRE_F_SEQ : 0);
}
#else
static inline void ngre_gre_build_header(struct sk_buff *skb, int hdr_len,
					 u32 nflags, __be16 proto,
					 __be32 key, __be32 seq)
{
	__be16 flags = 0;

	if (nflags & NGRE_F_KEY)
		flags |= TUNNEL_KEY;
	if (nflags & NGRE_F_CSUM)
		flags |= TUNNEL_CSUM;
	if (nflags & NGRE_F_SEQ)
		flags |= TUNNEL_SEQ;
	gre_build_header(skb, hdr_len, flags, proto, key, seq);
}

static inline u32 ngre_tpi_flags(const struct tnl_ptk_info *tpi)
{
	return (tpi->flags & TUNNEL_KEY ? NGRE_F_KEY : 0) |
	       (tpi->flags & TUNNEL_CSUM ? NGRE_F_CSUM : 0) |
	       (tpi->flags & TUNNEL_SEQ ? NGRE_F_SEQ : 0);
}
#endif

/* skb_gso_segment() moved from linux/netdevice.h to net/gso.h (6.5). */
#if defined(NGRE_HAVE_NET_GSO_H)
#include <net/gso.h>
#endif

/* The attributes of a dump request, parsed by the op's policy: in the
 * dumpit info since 6.2 (genl_info_dump()), in its own field before.
 */
static inline struct nlattr **ngre_dump_attrs(struct netlink_callback *cb)
{
#if defined(NGRE_HAVE_GENL_INFO_DUMP)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _NGRE_COMPAT_H */
