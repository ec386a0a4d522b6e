/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ngre: native GRE tunnels for Linux routers - internal interfaces.
 *
 * The module's objects and who owns them:
 *
 *  struct ngre_net   per network namespace (pernet_operations); lives from
 *                    the namespace's creation to its exit.  Owns the
 *                    netfilter hook of the namespace.
 *
 * Locking: configuration changes are serialised by the RTNL (tunnels are
 * net_devices); the packet path only reads, under RCU.
 */
#ifndef _NGRE_H
#define _NGRE_H

#include <linux/netfilter.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "../uapi/linux/ngre.h"

#define NGRE_VERSION "0.1.0"

/**
 * struct ngre_net - per network namespace state
 * @net: the namespace (not counted: it owns us)
 * @hook_registered: the PRE_ROUTING hook is registered in @net
 *
 * Created and destroyed by the pernet operations; only the namespace's
 * own init/exit touch the hook fields, so they need no lock.
 */
struct ngre_net {
	struct net *net;
	bool hook_registered;
};

extern unsigned int ngre_net_id;

static inline struct ngre_net *ngre_pernet(const struct net *net)
{
	return net_generic(net, ngre_net_id);
}

/* hook.c */
int ngre_hook_register(struct net *net);
void ngre_hook_unregister(struct net *net);

/* netns.c */
int ngre_netns_init(void);
void ngre_netns_exit(void);

/* netlink.c */
int ngre_genl_init(void);
void ngre_genl_exit(void);

#endif /* _NGRE_H */
