// SPDX-License-Identifier: GPL-2.0
/*
 * ngre: native GRE tunnels for Linux routers - module entry and exit.
 *
 * Load order: per-netns state first (the hooks come with a namespace's
 * first tunnel or service), then the tunnel device type and the notifiers
 * that follow the devices tunnels ride on, and the netlink family last,
 * so no request can arrive before the state it acts on exists.  Unload:
 * no requests, then every tunnel in every namespace deleted
 * (rtnl_link_unregister; the notifiers follow the tunnels' devices until
 * the tunnels are gone), then no notifications, then the per-netns state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "ngre.h"

static int __init ngre_init(void)
{
	int err;

	err = ngre_session_init();
	if (err)
		goto err_session;

	err = ngre_netns_init();
	if (err)
		goto err_netns;

	err = ngre_device_init();
	if (err)
		goto err_device;

	err = ngre_notify_init();
	if (err)
		goto err_notify;

	err = ngre_genl_init();
	if (err)
		goto err_genl;

	pr_info("version " NGRE_VERSION " loaded\n");
	return 0;

err_genl:
	ngre_notify_exit();
err_notify:
	ngre_device_exit();
err_device:
	ngre_netns_exit();
err_netns:
	rcu_barrier();
	ngre_session_exit();
err_session:
	return err;
}

static void __exit ngre_exit(void)
{
	ngre_genl_exit();
	ngre_device_exit();
	ngre_notify_exit();
	ngre_netns_exit();
	/* Params freed by the last tunnels' destructors, sessions and
	 * services by their last references (call_rcu).
	 */
	rcu_barrier();
	ngre_session_exit();
	pr_info("unloaded\n");
}

module_init(ngre_init);
module_exit(ngre_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Native GRE tunnels for Linux routers");
MODULE_AUTHOR("The ngre developers");
MODULE_VERSION(NGRE_VERSION);
MODULE_ALIAS_GENL_FAMILY(NGRE_GENL_NAME);
MODULE_ALIAS_RTNL_LINK("ngre");
