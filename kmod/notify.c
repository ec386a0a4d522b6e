// SPDX-License-Identifier: GPL-2.0
/*
 * Following the world around the tunnels: netdevice and IPv4 address
 * notifiers.  Both run under the RTNL.
 *
 *  - the tunnel device itself going up or down changes its state;
 *  - its parent going away deletes it;
 *  - its VLAN device appearing, disappearing, going up or down, changing
 *    carrier or MTU changes its state (oper-down with a reason, not
 *    deleted) and its automatic MTU;
 *  - an address change on its VLAN device moves an inherited source;
 *  - the next hops of services, and the sessions through devices, follow
 *    every device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>

#include "ngre.h"

/* @dev is, or could become, the device carrying @t's outer packets. */
static bool ngre_tunnel_uses(const struct ngre_tunnel *t,
			     const struct net_device *dev)
{
	const struct ngre_tunnel_params *p = ngre_tunnel_params_rtnl(t);

	if (p->link_ifindex == dev->ifindex ||
	    p->cfg.parent_ifindex == dev->ifindex)
		return true;
	return ngre_is_vlan_of(dev, p->cfg.parent_ifindex, p->cfg.vid);
}

/*
 * Services name their next hops and ingress devices: resolve the names
 * again when a device appears, goes or is renamed.  A device that goes
 * down, loses its carrier or goes away ends the sessions that use it
 * (before its unregistration waits for their routes).
 */
static void ngre_sessions_follow(struct ngre_net *nn, struct net_device *dev,
				 unsigned long event)
{
	switch (event) {
	case NETDEV_REGISTER:
	case NETDEV_CHANGENAME:
	case NETDEV_UNREGISTER:
		ngre_services_resolve(nn);
		break;
	}
	switch (event) {
	case NETDEV_CHANGE:
		if (netif_carrier_ok(dev))
			break;
		fallthrough;
	case NETDEV_DOWN:
	case NETDEV_UNREGISTER:
		ngre_sessions_end_dev(nn, dev->ifindex);
		break;
	}
	if (event == NETDEV_UNREGISTER)
		ngre_services_forget_dev(nn, dev);
}

static int ngre_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ngre_net *nn = ngre_pernet(dev_net(dev));
	struct ngre_tunnel *t, *tmp;
	LIST_HEAD(kill);

	ASSERT_RTNL();
	ngre_sessions_follow(nn, dev, event);
	if (ngre_is_tunnel_dev(dev)) {
		if (event == NETDEV_UP || event == NETDEV_DOWN)
			ngre_tunnel_refresh(netdev_priv(dev), NULL);
		return NOTIFY_DONE;
	}

	switch (event) {
	case NETDEV_UNREGISTER:
		list_for_each_entry_safe(t, tmp, &nn->tunnels, list) {
			/* A namespace's teardown may unregister the
			 * tunnel in the same batch as its parent.
			 */
			if (t->dev->reg_state != NETREG_REGISTERED)
				continue;
			if (ngre_tunnel_params_rtnl(t)->cfg.parent_ifindex ==
			    dev->ifindex)
				unregister_netdevice_queue(t->dev, &kill);
			else if (ngre_tunnel_uses(t, dev))
				ngre_tunnel_refresh(t, NULL);
		}
		unregister_netdevice_many(&kill);
		break;
	case NETDEV_REGISTER:
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_CHANGEMTU:
		list_for_each_entry(t, &nn->tunnels, list) {
			if (ngre_tunnel_uses(t, dev))
				ngre_tunnel_refresh(t, event == NETDEV_REGISTER ?
						    dev : NULL);
		}
		break;
	}
	return NOTIFY_DONE;
}

static int ngre_inetaddr_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;
	struct ngre_net *nn = ngre_pernet(dev_net(dev));
	struct ngre_tunnel *t;

	ASSERT_RTNL();
	list_for_each_entry(t, &nn->tunnels, list) {
		if (ngre_tunnel_params_rtnl(t)->link_ifindex == dev->ifindex)
			ngre_tunnel_refresh(t, NULL);
	}
	return NOTIFY_DONE;
}

static struct notifier_block ngre_netdev_nb = {
	.notifier_call = ngre_netdev_event,
};

static struct notifier_block ngre_inetaddr_nb = {
	.notifier_call = ngre_inetaddr_event,
};

int __init ngre_notify_init(void)
{
	int err;

	err = register_netdevice_notifier(&ngre_netdev_nb);
	if (err)
		return err;
	err = register_inetaddr_notifier(&ngre_inetaddr_nb);
	if (err)
		unregister_netdevice_notifier(&ngre_netdev_nb);
	return err;
}

void ngre_notify_exit(void)
{
	unregister_inetaddr_notifier(&ngre_inetaddr_nb);
	unregister_netdevice_notifier(&ngre_netdev_nb);
}
