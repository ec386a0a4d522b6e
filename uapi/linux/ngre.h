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

/*
 * Top-level attributes of every ngre message.  Each command carries the
 * nest of its object.
 */
enum ngre_attr {
	NGRE_A_UNSPEC,
	NGRE_A_TUNNEL,		/* nest: enum ngre_tunnel_attr */
	NGRE_A_STATS,		/* nest: enum ngre_stats_attr */
	NGRE_A_CONFIG,		/* nest: enum ngre_config_attr */
	NGRE_A_PAD,

	__NGRE_A_MAX,
	NGRE_A_MAX = __NGRE_A_MAX - 1
};

/* How a tunnel gets its source address (NGRE_TUNNEL_A_LOCAL_MODE). */
enum ngre_local_mode {
	NGRE_LOCAL_INHERIT,	/* the VLAN device's primary IPv4 address */
	NGRE_LOCAL_CUSTOM,	/* NGRE_TUNNEL_A_LOCAL */
};

/* GRE options of one direction (NGRE_TUNNEL_A_IFLAGS / _OFLAGS). */
enum ngre_gre_flags {
	NGRE_F_KEY	= 0x1,	/* key present (ikey/okey) */
	NGRE_F_CSUM	= 0x2,	/* checksum present */
	NGRE_F_SEQ	= 0x4,	/* sequence number present */
	NGRE_F_ALL	= 0x7,
};

/* Why a tunnel is operationally down (NGRE_TUNNEL_A_DOWN_REASON). */
enum ngre_down_reason {
	NGRE_DOWN_NONE,		/* up */
	NGRE_DOWN_ADMIN,	/* the tunnel device is administratively down */
	NGRE_DOWN_NO_VLAN_DEV,	/* no 802.1Q device with the VID on the parent */
	NGRE_DOWN_LINK_DOWN,	/* the VLAN (or parent) device is down */
	NGRE_DOWN_NO_ADDRESS,	/* inherit: the VLAN device has no IPv4 address */
	NGRE_DOWN_RX_CLASH,	/* another tunnel already receives with the
				 * same local, remote and key (an inherited
				 * address changed into a clash)
				 */
};

/*
 * A tunnel (nest NGRE_A_TUNNEL).  In TUNNEL_NEW, IFNAME, PARENT and
 * REMOTE are required; in DEL/GET/SET the tunnel is named by IFINDEX or
 * IFNAME.  "ro" attributes are reported by the kernel and rejected in
 * requests.
 */
enum ngre_tunnel_attr {
	NGRE_TUNNEL_A_UNSPEC,
	NGRE_TUNNEL_A_IFINDEX,		/* u32 */
	NGRE_TUNNEL_A_IFNAME,		/* string, < IFNAMSIZ */
	NGRE_TUNNEL_A_PARENT,		/* u32 ifindex of the real device; a
					 * VLAN device is resolved to its real
					 * device and VID
					 */
	NGRE_TUNNEL_A_VLAN,		/* u16 VID 0..4094; 0: untagged */
	NGRE_TUNNEL_A_LINK,		/* u32 ifindex of the VLAN device (ro) */
	NGRE_TUNNEL_A_LOCAL_MODE,	/* u8 enum ngre_local_mode */
	NGRE_TUNNEL_A_LOCAL,		/* be32 IPv4; with LOCAL_MODE custom,
					 * or the inherited address (ro)
					 */
	NGRE_TUNNEL_A_REMOTE,		/* be32 IPv4, unicast */
	NGRE_TUNNEL_A_IFLAGS,		/* u32 NGRE_F_* on receive */
	NGRE_TUNNEL_A_OFLAGS,		/* u32 NGRE_F_* on transmit */
	NGRE_TUNNEL_A_IKEY,		/* u32 receive key (with NGRE_F_KEY) */
	NGRE_TUNNEL_A_OKEY,		/* u32 transmit key (with NGRE_F_KEY) */
	NGRE_TUNNEL_A_TTL,		/* u8 1..255; 0: inherit */
	NGRE_TUNNEL_A_TOS,		/* u8 TOS value */
	NGRE_TUNNEL_A_TOS_INHERIT,	/* u8 0/1: copy the inner TOS */
	NGRE_TUNNEL_A_PMTUDISC,		/* u8 0/1: set DF, learn path MTU */
	NGRE_TUNNEL_A_MTU,		/* u32; 0 or absent: automatic */
	NGRE_TUNNEL_A_OPERSTATE,	/* u8 1 up, 0 down (ro) */
	NGRE_TUNNEL_A_DOWN_REASON,	/* u8 enum ngre_down_reason (ro) */
	NGRE_TUNNEL_A_STATS,		/* nest enum ngre_tstats_attr (ro) */
	NGRE_TUNNEL_A_PAD,

	__NGRE_TUNNEL_A_MAX,
	NGRE_TUNNEL_A_MAX = __NGRE_TUNNEL_A_MAX - 1
};

/* Standard counters of a tunnel device (nest NGRE_TUNNEL_A_STATS). */
enum ngre_tstats_attr {
	NGRE_TSTATS_A_UNSPEC,
	NGRE_TSTATS_A_RX_PACKETS,	/* u64 */
	NGRE_TSTATS_A_RX_BYTES,		/* u64 */
	NGRE_TSTATS_A_RX_ERRORS,	/* u64 */
	NGRE_TSTATS_A_RX_DROPPED,	/* u64 */
	NGRE_TSTATS_A_TX_PACKETS,	/* u64 */
	NGRE_TSTATS_A_TX_BYTES,		/* u64 */
	NGRE_TSTATS_A_TX_ERRORS,	/* u64 */
	NGRE_TSTATS_A_TX_DROPPED,	/* u64 */
	NGRE_TSTATS_A_PAD,

	__NGRE_TSTATS_A_MAX,
	NGRE_TSTATS_A_MAX = __NGRE_TSTATS_A_MAX - 1
};

/*
 * Datapath counters of a network namespace (nest NGRE_A_STATS of
 * NGRE_CMD_STATS_GET), each a u64.  "Passed" packets were left to the rest
 * of the stack untouched; "fail" ones were dropped.
 */
enum ngre_stats_attr {
	NGRE_STATS_A_UNSPEC,
	NGRE_STATS_A_ENCAP_SUCCESS,	/* encapsulated, handed to IP output */
	NGRE_STATS_A_ENCAP_FAIL_LINK_DOWN,	/* the tunnel is down */
	NGRE_STATS_A_ENCAP_FAIL_PROTOCOL,	/* inner packet not IPv4/IPv6 */
	NGRE_STATS_A_ENCAP_FAIL_NO_ROUTE,	/* no route to the remote */
	NGRE_STATS_A_ENCAP_FAIL_TOO_BIG,	/* over the path MTU; ICMP sent */
	NGRE_STATS_A_ENCAP_FAIL_NO_HEADROOM,	/* no room for the headers */
	NGRE_STATS_A_DECAP_SUCCESS,	/* packets decapsulated and delivered */
	NGRE_STATS_A_DECAP_FAIL_MALFORMED,	/* truncated, version, routing */
	NGRE_STATS_A_DECAP_FAIL_CHECKSUM,	/* bad, or missing but required */
	NGRE_STATS_A_DECAP_FAIL_KEY,	/* no key where the tunnel needs one */
	NGRE_STATS_A_DECAP_FAIL_SEQUENCE,	/* missing or out of order */
	NGRE_STATS_A_DECAP_FAIL_PROTOCOL,	/* inner protocol not IPv4/IPv6 */
	NGRE_STATS_A_DECAP_FAIL_ECN,	/* CE outside on a not-ECT inner */
	NGRE_STATS_A_DECAP_KEEPALIVE,	/* GRE protocol 0, dropped for now */
	NGRE_STATS_A_RX_NO_FLOW,	/* GRE matching no tunnel (or not
					 * version 0): passed
					 */
	NGRE_STATS_A_RX_KEY_MISMATCH,	/* a tunnel's addresses, another
					 * key (or a key where the tunnel has
					 * none): passed
					 */
	NGRE_STATS_A_INVALID_ENTRY,	/* matched the flow of a tunnel being
					 * removed: passed
					 */
	NGRE_STATS_A_FRAG_REASSEMBLED,	/* GRE packets reassembled by ngre */
	NGRE_STATS_A_PMTU_UPDATE,	/* ICMP about a tunnel's outer packets
					 * applied to the path MTU
					 */
	NGRE_STATS_A_RX_NOT_LOCAL,	/* for a tunnel, but local delivery
					 * would not take it (not one of the
					 * router's addresses, or the source
					 * fails rp_filter): passed
					 */
	NGRE_STATS_A_DECAP_FAIL_POLICY,	/* refused by the IPsec inbound
					 * policy
					 */
	NGRE_STATS_A_PAD,

	__NGRE_STATS_A_MAX,
	NGRE_STATS_A_MAX = __NGRE_STATS_A_MAX - 1
};

/* Per-netns settings (nest NGRE_A_CONFIG). */
enum ngre_config_attr {
	NGRE_CONFIG_A_UNSPEC,
	NGRE_CONFIG_A_MAX_TUNNELS,	/* u32, default 4096 */
	NGRE_CONFIG_A_TUNNELS,		/* u32 current count (ro) */

	__NGRE_CONFIG_A_MAX,
	NGRE_CONFIG_A_MAX = __NGRE_CONFIG_A_MAX - 1
};

#endif /* _UAPI_LINUX_NGRE_H */
