// SPDX-License-Identifier: GPL-2.0
/*
 * The "ngre" generic netlink family (uapi/linux/ngre.h).
 *
 * The family is netnsok: every request acts on the network namespace of
 * the requesting socket.  Commands that change state carry
 * GENL_UNS_ADMIN_PERM; listening to events needs CAP_NET_ADMIN too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>

#include "ngre.h"

enum ngre_mcgrp {
	NGRE_MCGRP_EVENTS_ID,
};

static const struct genl_multicast_group ngre_mcgrps[] = {
	[NGRE_MCGRP_EVENTS_ID] = {
		.name	= NGRE_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family ngre_genl_family __ro_after_init = {
	.name		= NGRE_GENL_NAME,
	.version	= NGRE_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.resv_start_op	= NGRE_CMD_MAX + 1,
	.mcgrps		= ngre_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ngre_mcgrps),
};

int __init ngre_genl_init(void)
{
	return genl_register_family(&ngre_genl_family);
}

void ngre_genl_exit(void)
{
	genl_unregister_family(&ngre_genl_family);
}
