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

#endif /* _NGRE_COMPAT_H */
