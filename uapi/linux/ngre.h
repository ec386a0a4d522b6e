/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ngre: native GRE tunnels for Linux routers - generic netlink API.
 *
 * Family NGRE_GENL_NAME, version NGRE_GENL_VERSION.  Every command that
 * changes state needs CAP_NET_ADMIN in the user namespace owning the
 * network namespace of the socket; all state is per network namespace.
 * Errors carry an extended ACK message naming the offending attribute.
 *
 * Documentation/netlink.rst describes each command and attribute.
 */
#ifndef _UAPI_LINUX_NGRE_H
#define _UAPI_LINUX_NGRE_H

#define NGRE_GENL_NAME		"ngre"
#define NGRE_GENL_VERSION	1

/* Multicast group announcing tunnel (and later session) changes. */
#define NGRE_MCGRP_EVENTS	"events"

/*
 * Commands.  Numbers are ABI: append only.  Commands not yet implemented
 * by the running module answer EOPNOTSUPP.
 */
enum ngre_cmd {
	NGRE_CMD_UNSPEC,

	NGRE_CMD_TUNNEL_NEW,	/* create a tunnel; also an event */
	NGRE_CMD_TUNNEL_DEL,	/* delete a tunnel; also an event */
	NGRE_CMD_TUNNEL_GET,	/* one tunnel, or dump all */
	NGRE_CMD_TUNNEL_SET,	/* change a tunnel; also an event */

	NGRE_CMD_SERVICE_NEW,	/* reserved for the service area */
	NGRE_CMD_SERVICE_DEL,
	NGRE_CMD_SERVICE_GET,
	NGRE_CMD_SERVICE_SET,

	NGRE_CMD_SESSION_GET,	/* reserved for the session table */
	NGRE_CMD_SESSION_DEL,

	NGRE_CMD_STATS_GET,	/* global datapath counters of the netns */

	NGRE_CMD_CONFIG_GET,	/* per-netns settings */
	NGRE_CMD_CONFIG_SET,

	__NGRE_CMD_MAX,
	NGRE_CMD_MAX = __NGRE_CMD_MAX - 1
};

#endif /* _UAPI_LINUX_NGRE_H */
