// SPDX-License-Identifier: GPL-2.0
/*
 * The gre-tunnel net_device: ARPHRD_IPGRE, point-to-point, no ARP.
 *
 * Tunnels are created through the ngre netlink family only (their
 * configuration needs ngre's checks); the rtnl_link_ops exist so that
 * `ip link del` removes one, a namespace's teardown removes its tunnels
 * and module unload removes all of them.
 *
 * Lifetime: the device is registered by ngre_tunnel_create() and from then
 * on belongs to the core.  ngre_dev_uninit() (under the RTNL, on every
 * unregistration) unlinks it from its namespace's list and announces the
 * deletion; its params are freed by the destructor, after the last
 * reference to the device is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "ngre.h"

static int ngre_dev_init(struct net_device *dev)
{
	struct ngre_tunnel *t = netdev_priv(dev);

	return gro_cells_init(&t->gro_cells, dev);
}

static void ngre_dev_uninit(struct net_device *dev)
{
	struct ngre_tunnel *t = netdev_priv(dev);

	ASSERT_RTNL();
	ngre_health_stop(t);
	if (!list_empty(&t->list)) {
		ngre_tunnel_event(t, NGRE_EV_DEL);
		list_del_init(&t->list);
		t->nn->n_tunnels--;
		t->nn->gen++;
		ngre_hooks_put(t->nn, NGRE_HOOKS_GRE);
	}
	ngre_tunnel_unlink(t);
}

/* After the last reference: RCU readers that found the tunnel before its
 * unregistration may use its params until then.
 */
static void ngre_dev_free(struct net_device *dev)
{
	struct ngre_tunnel *t = netdev_priv(dev);

	gro_cells_destroy(&t->gro_cells);
	ngre_tunnel_release(t);
}

/* Routed and locally originated packets: encapsulate (encap.c). */
static netdev_tx_t ngre_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	ngre_tunnel_add(netdev_priv(dev), skb);
	return NETDEV_TX_OK;
}

/* An MTU set by the user (ip link set mtu) becomes the tunnel's fixed MTU,
 * as NGRE_TUNNEL_A_MTU would; one set by ngre to follow the link does not.
 * The core has checked @new_mtu against min_mtu and max_mtu.
 */
static int ngre_dev_change_mtu(struct net_device *dev, int new_mtu)
{
	struct ngre_tunnel *t = netdev_priv(dev);
	unsigned int old_mtu = dev->mtu;
	struct ngre_tunnel_cfg cfg;
	int err;

	ASSERT_RTNL();
	WRITE_ONCE(dev->mtu, new_mtu);
	if (t->mtu_follows)
		return 0;
	cfg = ngre_tunnel_params_rtnl(t)->cfg;
	cfg.mtu = new_mtu;
	err = ngre_tunnel_apply(t, &cfg);
	if (err)
		WRITE_ONCE(dev->mtu, old_mtu);
	return err;
}

/* As ip_gre: GSO would copy one sequence number into every segment, so a
 * tunnel that sends them (oseq) segments in software first, whatever is
 * asked of ethtool.  Under the RTNL; the params are published before the
 * device is registered and ngre_tunnel_apply() recomputes the features.
 */
static netdev_features_t ngre_dev_fix_features(struct net_device *dev,
					       netdev_features_t features)
{
	const struct ngre_tunnel_params *p =
		ngre_tunnel_params_rtnl(netdev_priv(dev));

	if (p && (p->cfg.oflags & NGRE_F_SEQ))
		features &= ~NETIF_F_GSO_SOFTWARE;
	return features;
}

static const struct net_device_ops ngre_netdev_ops = {
	.ndo_init	= ngre_dev_init,
	.ndo_uninit	= ngre_dev_uninit,
	.ndo_start_xmit	= ngre_dev_xmit,
	.ndo_change_mtu	= ngre_dev_change_mtu,
	.ndo_fix_features = ngre_dev_fix_features,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void ngre_dev_setup(struct net_device *dev)
{
	struct ngre_tunnel *t = netdev_priv(dev);

	t->dev = dev;
	INIT_LIST_HEAD(&t->list);
	ngre_health_init(t);

	dev->netdev_ops = &ngre_netdev_ops;
	dev->rtnl_link_ops = &ngre_link_ops;
	dev->type = ARPHRD_IPGRE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 4;
	dev->needed_headroom = LL_MAX_HEADER + sizeof(struct iphdr) + 16;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->mtu = ETH_DATA_LEN - ngre_tunnel_hlen(0);
	dev->needs_free_netdev = true;
	dev->priv_destructor = ngre_dev_free;
	ngre_set_netns_local(dev);
	/* The core allocates and frees the per-CPU stats. */
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	netif_keep_dst(dev);
	ngre_set_lltx(dev);
	dev->features |= NETIF_F_SG | NETIF_F_FRAGLIST |
			 NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE |
			 NETIF_F_HW_CSUM;
	dev->hw_features |= NETIF_F_SG | NETIF_F_FRAGLIST |
			    NETIF_F_GSO_SOFTWARE | NETIF_F_HW_CSUM;
}

static int ngre_link_newlink(struct net *src_net, struct net_device *dev,
			     struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "ngre tunnels are created with the ngre tool");
	return -EOPNOTSUPP;
}

struct rtnl_link_ops ngre_link_ops __read_mostly = {
	.kind		= "ngre",
	.priv_size	= sizeof(struct ngre_tunnel),
	.setup		= ngre_dev_setup,
	.newlink	= ngre_link_newlink,
	.dellink	= unregister_netdevice_queue,
};

bool ngre_is_tunnel_dev(const struct net_device *dev)
{
	return dev->netdev_ops == &ngre_netdev_ops;
}

/**
 * ngre_tunnel_create - create and register a tunnel device
 * @net: its namespace
 * @name: the device name
 * @cfg: a configuration that passed ngre_cfg_validate()
 * @extack: for the error message
 *
 * Return: the tunnel, or an ERR_PTR.  Under the RTNL.
 */
struct ngre_tunnel *ngre_tunnel_create(struct net *net, const char *name,
				       const struct ngre_tunnel_cfg *cfg,
				       struct netlink_ext_ack *extack)
{
	struct ngre_net *nn = ngre_pernet(net);
	struct net_device *dev;
	struct ngre_tunnel *t;
	int err;

	ASSERT_RTNL();
	if (nn->n_tunnels >= nn->max_tunnels) {
		NL_SET_ERR_MSG(extack, "tunnel limit of the namespace reached");
		return ERR_PTR(-ENOSPC);
	}
	/* A name is taken as given: no "%d" template for the core to fill. */
	if (!dev_valid_name(name) || strchr(name, '%')) {
		NL_SET_ERR_MSG(extack, "invalid device name");
		return ERR_PTR(-EINVAL);
	}
	if (__dev_get_by_name(net, name)) {
		NL_SET_ERR_MSG(extack, "a device with this name exists");
		return ERR_PTR(-EEXIST);
	}
	/* The tunnel is a user of the GRE hooks from now on: they are in
	 * before its static flow can match.  ngre_dev_uninit() puts it.
	 */
	err = ngre_hooks_get(nn, NGRE_HOOKS_GRE, extack);
	if (err)
		return ERR_PTR(err);

	dev = alloc_netdev(sizeof(*t), name, NET_NAME_USER, ngre_dev_setup);
	if (!dev) {
		err = -ENOMEM;
		goto err_hooks;
	}
	dev_net_set(dev, net);
	t = netdev_priv(dev);
	t->nn = nn;

	/* Params exist before the device is visible. */
	err = ngre_tunnel_apply(t, cfg);
	if (err)
		goto err_free;
	err = register_netdevice(dev);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the tunnel device");
		goto err_free;
	}
	/* Carrier and MTU now that the device is registered.  Without the
	 * memory for them the request fails whole: the device goes again.
	 */
	err = ngre_tunnel_apply(t, cfg);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot set up the tunnel device");
		goto err_unregister;
	}
	list_add_tail(&t->list, &nn->tunnels);
	nn->n_tunnels++;
	nn->gen++;
	ngre_tunnel_event(t, NGRE_EV_NEW);
	return t;

err_unregister:
	/* The core frees the device; ngre_dev_uninit() leaves the hooks of
	 * a tunnel not yet listed to us.
	 */
	unregister_netdevice(dev);
	goto err_hooks;
err_free:
	ngre_tunnel_release(t);
	free_netdev(dev);
err_hooks:
	ngre_hooks_put(nn, NGRE_HOOKS_GRE);
	return ERR_PTR(err);
}

int __init ngre_device_init(void)
{
	return rtnl_link_register(&ngre_link_ops);
}

void ngre_device_exit(void)
{
	rtnl_link_unregister(&ngre_link_ops);
}
