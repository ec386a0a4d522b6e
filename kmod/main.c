// SPDX-License-Identifier: GPL-2.0
/*
 * ngre: native GRE tunnels for Linux routers - module entry and exit.
 *
 * Load order: per-netns state (and with it each namespace's hook) first,
 * then the netlink family, so no request can arrive before the state it
 * acts on exists.  Unload in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "ngre.h"

static int __init ngre_init(void)
{
	int err;

	err = ngre_netns_init();
	if (err)
		goto err_netns;

	err = ngre_genl_init();
	if (err)
		goto err_genl;

	pr_info("version " NGRE_VERSION " loaded\n");
	return 0;

err_genl:
	ngre_netns_exit();
err_netns:
	return err;
}

static void __exit ngre_exit(void)
{
	ngre_genl_exit();
	ngre_netns_exit();
	pr_info("unloaded\n");
}

module_init(ngre_init);
module_exit(ngre_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Native GRE tunnels for Linux routers");
MODULE_AUTHOR("The ngre developers");
MODULE_VERSION(NGRE_VERSION);
MODULE_ALIAS_GENL_FAMILY(NGRE_GENL_NAME);
