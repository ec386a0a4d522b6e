/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/ngre.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_NGRE_H
#define _UAPI_LINUX_NGRE_H

#define NGRE_GENL_NAME		"ngre"
#define NGRE_GENL_VERSION	2

/**
 * enum ngre_local_mode - How a tunnel gets its source address.
 * @NGRE_LOCAL_INHERIT: The primary IPv4 address of the tunnel's VLAN device
 *   (or of the untagged parent), followed as it changes.
 * @NGRE_LOCAL_CUSTOM: The address given in the tunnel's local attribute.
 */
enum ngre_local_mode {
	NGRE_LOCAL_INHERIT,
	NGRE_LOCAL_CUSTOM,
};

/**
 * enum ngre_gre_flags - GRE options of one direction (iflags on receive,
 *   oflags on transmit).
 * @NGRE_F_KEY: A key is present (ikey / okey).
 * @NGRE_F_CSUM: A checksum is present.
 * @NGRE_F_SEQ: A sequence number is present.
 */
enum ngre_gre_flags {
	NGRE_F_KEY = 1,
	NGRE_F_CSUM = 2,
	NGRE_F_SEQ = 4,
};

#define NGRE_F_ALL		7
#define NGRE_SERVICE_NAMSIZ	32
#define NGRE_MAX_PREFIXES	64
#define NGRE_MAX_NEXTHOPS	16
#define NGRE_MAX_FROM_DEVS	16
#define NGRE_MAX_SERVICES	65536
#define NGRE_MAX_TUNNELS_LIMIT	65536
#define NGRE_MAX_SESSIONS_LIMIT	16777216
#define NGRE_TIMEOUT_MAX	1000000

/**
 * enum ngre_down_reason - Why a tunnel is operationally down: no-memory before
 *   any other, then the first that applies in the order of their values.
 * @NGRE_DOWN_NONE: The tunnel is operational.
 * @NGRE_DOWN_ADMIN: The tunnel device is administratively down.
 * @NGRE_DOWN_NO_VLAN_DEV: There is no 802.1Q device with the tunnel's VID on
 *   the parent.
 * @NGRE_DOWN_LINK_DOWN: The link device (the VLAN device, or the untagged
 *   parent) is down or has no carrier.
 * @NGRE_DOWN_NO_ADDRESS: Local mode inherit and the VLAN device (or the
 *   untagged parent) has no IPv4 address.
 * @NGRE_DOWN_RX_CLASH: Another tunnel already receives on the same link with
 *   the same local address, remote address and key; happens when an inherited
 *   address changes into a clash. Retried whenever a tunnel gives up its
 *   receive key.
 * @NGRE_DOWN_KEEPALIVE: No keepalive came back for keepalive-retries periods;
 *   the first to come back brings the tunnel up.
 * @NGRE_DOWN_PROBE: No probe was answered for probe-retries intervals; the
 *   first answer brings the tunnel up.
 * @NGRE_DOWN_NO_MEMORY: The kernel could not recompute the tunnel's state
 *   after an event on its link or addresses, for want of memory (the kernel
 *   log gives the errno); the state the other reasons come from is out of
 *   date. The next such event, a change of the tunnel, or its admin state
 *   toggled brings the tunnel back.
 */
enum ngre_down_reason {
	NGRE_DOWN_NONE,
	NGRE_DOWN_ADMIN,
	NGRE_DOWN_NO_VLAN_DEV,
	NGRE_DOWN_LINK_DOWN,
	NGRE_DOWN_NO_ADDRESS,
	NGRE_DOWN_RX_CLASH,
	NGRE_DOWN_KEEPALIVE,
	NGRE_DOWN_PROBE,
	NGRE_DOWN_NO_MEMORY,
};

/**
 * enum ngre_lb - How a service picks the next hop of a new session.
 * @NGRE_LB_HASH: A stable hash of the 5-tuple (the default).
 * @NGRE_LB_ROUND_ROBIN: Each usable next hop in turn.
 * @NGRE_LB_PROPORTIONAL: In proportion to the next hops' weights.
 * @NGRE_LB_HUNT: The usable next hop of the lowest priority (the hash picks
 *   among several of that priority).
 */
enum ngre_lb {
	NGRE_LB_HASH,
	NGRE_LB_ROUND_ROBIN,
	NGRE_LB_PROPORTIONAL,
	NGRE_LB_HUNT,
};

/**
 * enum ngre_nh_kind - What a next hop of a service is.
 * @NGRE_NH_TUNNEL: An ngre tunnel, named by ifname (action tunnel-add).
 * @NGRE_NH_GATEWAY: A gateway address (gateway) on a device named by ifname.
 * @NGRE_NH_DEVICE: A device named by ifname; destinations are on-link.
 */
enum ngre_nh_kind {
	NGRE_NH_TUNNEL,
	NGRE_NH_GATEWAY,
	NGRE_NH_DEVICE,
};

/**
 * enum ngre_flow_action - The actions of a session's flow, in the order they
 *   run.
 * @NGRE_ACTION_TTL_DEC: Decrement the TTL; at 1 or below, drop and send ICMP
 *   time exceeded.
 * @NGRE_ACTION_MTU_CHECK: Over the MTU with DF set: drop and send ICMP
 *   fragmentation needed.
 * @NGRE_ACTION_TUNNEL_ADD: Encapsulate into the tunnel.
 * @NGRE_ACTION_FORWARD: Send to the neighbour on a device.
 */
enum ngre_flow_action {
	NGRE_ACTION_TTL_DEC = 1,
	NGRE_ACTION_MTU_CHECK,
	NGRE_ACTION_TUNNEL_ADD,
	NGRE_ACTION_FORWARD,
};

enum ngre_attr {
	NGRE_A_UNSPEC,
	NGRE_A_TUNNEL,
	NGRE_A_STATS,
	NGRE_A_CONFIG,
	NGRE_A_PAD,
	NGRE_A_SERVICE,
	NGRE_A_SESSION,

	__NGRE_A_MAX,
	NGRE_A_MAX = (__NGRE_A_MAX - 1)
};

enum ngre_tunnel_attr {
	NGRE_TUNNEL_A_UNSPEC,
	NGRE_TUNNEL_A_IFINDEX,
	NGRE_TUNNEL_A_IFNAME,
	NGRE_TUNNEL_A_PARENT,
	NGRE_TUNNEL_A_VLAN,
	NGRE_TUNNEL_A_LINK,
	NGRE_TUNNEL_A_LOCAL_MODE,
	NGRE_TUNNEL_A_LOCAL,
	NGRE_TUNNEL_A_REMOTE,
	NGRE_TUNNEL_A_IFLAGS,
	NGRE_TUNNEL_A_OFLAGS,
	NGRE_TUNNEL_A_IKEY,
	NGRE_TUNNEL_A_OKEY,
	NGRE_TUNNEL_A_TTL,
	NGRE_TUNNEL_A_TOS,
	NGRE_TUNNEL_A_TOS_INHERIT,
	NGRE_TUNNEL_A_PMTUDISC,
	NGRE_TUNNEL_A_MTU,
	NGRE_TUNNEL_A_OPERSTATE,
	NGRE_TUNNEL_A_DOWN_REASON,
	NGRE_TUNNEL_A_STATS,
	NGRE_TUNNEL_A_PAD,
	NGRE_TUNNEL_A_KEEPALIVE_PERIOD,
	NGRE_TUNNEL_A_KEEPALIVE_RETRIES,
	NGRE_TUNNEL_A_HEALTH,
	NGRE_TUNNEL_A_PROBE_ADDR,
	NGRE_TUNNEL_A_PROBE_INTERVAL,
	NGRE_TUNNEL_A_PROBE_RETRIES,

	__NGRE_TUNNEL_A_MAX,
	NGRE_TUNNEL_A_MAX = (__NGRE_TUNNEL_A_MAX - 1)
};

enum ngre_health_attr {
	NGRE_HEALTH_A_UNSPEC,
	NGRE_HEALTH_A_KEEPALIVE_SENT,
	NGRE_HEALTH_A_KEEPALIVE_REPLIES,
	NGRE_HEALTH_A_KEEPALIVE_REFLECTED,
	NGRE_HEALTH_A_LAST_REPLY_MS,
	NGRE_HEALTH_A_CHANGES,
	NGRE_HEALTH_A_PAD,
	NGRE_HEALTH_A_PROBE_SENT,
	NGRE_HEALTH_A_PROBE_REPLIES,

	__NGRE_HEALTH_A_MAX,
	NGRE_HEALTH_A_MAX = (__NGRE_HEALTH_A_MAX - 1)
};

enum ngre_tstats_attr {
	NGRE_TSTATS_A_UNSPEC,
	NGRE_TSTATS_A_RX_PACKETS,
	NGRE_TSTATS_A_RX_BYTES,
	NGRE_TSTATS_A_RX_ERRORS,
	NGRE_TSTATS_A_RX_DROPPED,
	NGRE_TSTATS_A_TX_PACKETS,
	NGRE_TSTATS_A_TX_BYTES,
	NGRE_TSTATS_A_TX_ERRORS,
	NGRE_TSTATS_A_TX_DROPPED,
	NGRE_TSTATS_A_PAD,

	__NGRE_TSTATS_A_MAX,
	NGRE_TSTATS_A_MAX = (__NGRE_TSTATS_A_MAX - 1)
};

enum ngre_stats_attr {
	NGRE_STATS_A_UNSPEC,
	NGRE_STATS_A_ENCAP_SUCCESS,
	NGRE_STATS_A_ENCAP_FAIL_LINK_DOWN,
	NGRE_STATS_A_ENCAP_FAIL_PROTOCOL,
	NGRE_STATS_A_ENCAP_FAIL_NO_ROUTE,
	NGRE_STATS_A_ENCAP_FAIL_TOO_BIG,
	NGRE_STATS_A_ENCAP_FAIL_NO_HEADROOM,
	NGRE_STATS_A_DECAP_SUCCESS,
	NGRE_STATS_A_DECAP_FAIL_MALFORMED,
	NGRE_STATS_A_DECAP_FAIL_CHECKSUM,
	NGRE_STATS_A_DECAP_FAIL_KEY,
	NGRE_STATS_A_DECAP_FAIL_SEQUENCE,
	NGRE_STATS_A_DECAP_FAIL_PROTOCOL,
	NGRE_STATS_A_DECAP_FAIL_ECN,
	NGRE_STATS_A_DECAP_KEEPALIVE,
	NGRE_STATS_A_RX_NO_FLOW,
	NGRE_STATS_A_RX_KEY_MISMATCH,
	NGRE_STATS_A_INVALID_ENTRY,
	NGRE_STATS_A_FRAG_REASSEMBLED,
	NGRE_STATS_A_PMTU_UPDATE,
	NGRE_STATS_A_RX_NOT_LOCAL,
	NGRE_STATS_A_DECAP_FAIL_POLICY,
	NGRE_STATS_A_PAD,
	NGRE_STATS_A_SESSION_CREATED,
	NGRE_STATS_A_SESSION_REFUSED,
	NGRE_STATS_A_SESSION_EXPIRED,
	NGRE_STATS_A_SESSION_ENDED,
	NGRE_STATS_A_SESSION_DELETED,
	NGRE_STATS_A_SESSION_FW_DROPPED,
	NGRE_STATS_A_SESSION_NAT_SKIPPED,
	NGRE_STATS_A_SERVICE_NO_NEXTHOP,
	NGRE_STATS_A_FLOW_HIT,
	NGRE_STATS_A_FLOW_WRONG_IIF,
	NGRE_STATS_A_TTL_EXPIRED,
	NGRE_STATS_A_TOO_BIG,
	NGRE_STATS_A_FLOW_STALE,
	NGRE_STATS_A_FLOW_CT_LOST,
	NGRE_STATS_A_RX_WRONG_LINK,
	NGRE_STATS_A_DECAP_FAIL_SEQ_JUMP,
	NGRE_STATS_A_RX_IP_OPTIONS,
	NGRE_STATS_A_KEEPALIVE_SENT,
	NGRE_STATS_A_KEEPALIVE_REFLECTED,
	NGRE_STATS_A_HEALTH_FAIL,
	NGRE_STATS_A_PROBE_SENT,
	NGRE_STATS_A_PROBE_REPLIES,

	__NGRE_STATS_A_MAX,
	NGRE_STATS_A_MAX = (__NGRE_STATS_A_MAX - 1)
};

enum ngre_config_attr {
	NGRE_CONFIG_A_UNSPEC,
	NGRE_CONFIG_A_MAX_TUNNELS,
	NGRE_CONFIG_A_TUNNELS,
	NGRE_CONFIG_A_MAX_SESSIONS,
	NGRE_CONFIG_A_SESSIONS,
	NGRE_CONFIG_A_SERVICES,
	NGRE_CONFIG_A_TIMEOUT_TCP_OPENING,
	NGRE_CONFIG_A_TIMEOUT_TCP_ESTABLISHED,
	NGRE_CONFIG_A_TIMEOUT_TCP_CLOSING,
	NGRE_CONFIG_A_TIMEOUT_UDP,
	NGRE_CONFIG_A_TIMEOUT_ICMP,
	NGRE_CONFIG_A_TIMEOUT_OTHER,

	__NGRE_CONFIG_A_MAX,
	NGRE_CONFIG_A_MAX = (__NGRE_CONFIG_A_MAX - 1)
};

enum ngre_service_attr {
	NGRE_SERVICE_A_UNSPEC,
	NGRE_SERVICE_A_NAME,
	NGRE_SERVICE_A_PREFIX,
	NGRE_SERVICE_A_PROTO,
	NGRE_SERVICE_A_PORT_MIN,
	NGRE_SERVICE_A_PORT_MAX,
	NGRE_SERVICE_A_LB,
	NGRE_SERVICE_A_NEXTHOP,
	NGRE_SERVICE_A_FROM_DEV,
	NGRE_SERVICE_A_SESSIONS,
	NGRE_SERVICE_A_PAD,

	__NGRE_SERVICE_A_MAX,
	NGRE_SERVICE_A_MAX = (__NGRE_SERVICE_A_MAX - 1)
};

enum ngre_prefix_attr {
	NGRE_PREFIX_A_UNSPEC,
	NGRE_PREFIX_A_ADDR,
	NGRE_PREFIX_A_LEN,

	__NGRE_PREFIX_A_MAX,
	NGRE_PREFIX_A_MAX = (__NGRE_PREFIX_A_MAX - 1)
};

enum ngre_nh_attr {
	NGRE_NH_A_UNSPEC,
	NGRE_NH_A_KIND,
	NGRE_NH_A_IFNAME,
	NGRE_NH_A_GATEWAY,
	NGRE_NH_A_WEIGHT,
	NGRE_NH_A_PRIORITY,
	NGRE_NH_A_USABLE,
	NGRE_NH_A_SESSIONS,
	NGRE_NH_A_PACKETS,
	NGRE_NH_A_BYTES,
	NGRE_NH_A_PAD,

	__NGRE_NH_A_MAX,
	NGRE_NH_A_MAX = (__NGRE_NH_A_MAX - 1)
};

enum ngre_session_attr {
	NGRE_SESSION_A_UNSPEC,
	NGRE_SESSION_A_ID,
	NGRE_SESSION_A_SERVICE,
	NGRE_SESSION_A_TUNNEL,
	NGRE_SESSION_A_SRC,
	NGRE_SESSION_A_DST,
	NGRE_SESSION_A_PROTO,
	NGRE_SESSION_A_NEXTHOP,
	NGRE_SESSION_A_FWD,
	NGRE_SESSION_A_REV,
	NGRE_SESSION_A_TIMEOUT,
	NGRE_SESSION_A_UPTIME,
	NGRE_SESSION_A_PAD,

	__NGRE_SESSION_A_MAX,
	NGRE_SESSION_A_MAX = (__NGRE_SESSION_A_MAX - 1)
};

enum ngre_flow_attr {
	NGRE_FLOW_A_UNSPEC,
	NGRE_FLOW_A_IIF,
	NGRE_FLOW_A_VLAN,
	NGRE_FLOW_A_SRC,
	NGRE_FLOW_A_DST,
	NGRE_FLOW_A_PROTO,
	NGRE_FLOW_A_SPORT,
	NGRE_FLOW_A_DPORT,
	NGRE_FLOW_A_OIF,
	NGRE_FLOW_A_PACKETS,
	NGRE_FLOW_A_BYTES,
	NGRE_FLOW_A_WRONG_IIF,
	NGRE_FLOW_A_ACTION,
	NGRE_FLOW_A_PAD,

	__NGRE_FLOW_A_MAX,
	NGRE_FLOW_A_MAX = (__NGRE_FLOW_A_MAX - 1)
};

enum ngre_cmd {
	NGRE_CMD_UNSPEC,
	NGRE_CMD_TUNNEL_NEW,
	NGRE_CMD_TUNNEL_DEL,
	NGRE_CMD_TUNNEL_GET,
	NGRE_CMD_TUNNEL_SET,
	NGRE_CMD_SERVICE_NEW,
	NGRE_CMD_SERVICE_DEL,
	NGRE_CMD_SERVICE_GET,
	NGRE_CMD_SERVICE_SET,
	NGRE_CMD_SESSION_GET,
	NGRE_CMD_SESSION_DEL,
	NGRE_CMD_STATS_GET,
	NGRE_CMD_CONFIG_GET,
	NGRE_CMD_CONFIG_SET,

	__NGRE_CMD_MAX,
	NGRE_CMD_MAX = (__NGRE_CMD_MAX - 1)
};

#define NGRE_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_NGRE_H */
