/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ngre: native GRE tunnels for Linux routers - generic netlink API.
 *
 * Family NGRE_GENL_NAME, version NGRE_GENL_VERSION.  Every command that
 * changes state needs CAP_NET_ADMIN in the user namespace owning the
 * network namespace of the socket; all state is per network namespace.
 * Errors carry an extended ACK message naming the offending attribute.
 *
 * Documentation/netlink.rst describes each command and attribute; what
 * each counter and down reason means is the doc of its entry in the YNL
 * spec, Documentation/netlink/specs/ngre.yaml, which these comments
 * follow.
 */
#ifndef _UAPI_LINUX_NGRE_H
#define _UAPI_LINUX_NGRE_H

#define NGRE_GENL_NAME		"ngre"
#define NGRE_GENL_VERSION	1

/* Multicast group announcing tunnel and service changes. */
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

	NGRE_CMD_SERVICE_NEW,	/* create a service; also an event */
	NGRE_CMD_SERVICE_DEL,	/* delete a service; also an event */
	NGRE_CMD_SERVICE_GET,	/* one service, or dump all */
	NGRE_CMD_SERVICE_SET,	/* replace a service's definition; also an
				 * event
				 */

	NGRE_CMD_SESSION_GET,	/* dump the sessions (filters in the nest) */
	NGRE_CMD_SESSION_DEL,	/* end one session (ID), or every session
				 * matching the filters (flush)
				 */

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
	NGRE_A_SERVICE,		/* nest: enum ngre_service_attr */
	NGRE_A_SESSION,		/* nest: enum ngre_session_attr */

	__NGRE_A_MAX,
	NGRE_A_MAX = __NGRE_A_MAX - 1
};

/* How a tunnel gets its source address (NGRE_TUNNEL_A_LOCAL_MODE). */
enum ngre_local_mode {
	NGRE_LOCAL_INHERIT,	/* the link device's primary IPv4 address */
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
	NGRE_DOWN_NONE,		/* operational */
	NGRE_DOWN_ADMIN,	/* the tunnel device is administratively down */
	NGRE_DOWN_NO_VLAN_DEV,	/* no 802.1Q device with the VID on the parent */
	NGRE_DOWN_LINK_DOWN,	/* the link device is down or has no
				 * carrier
				 */
	NGRE_DOWN_NO_ADDRESS,	/* inherit: the link device has no IPv4
				 * address
				 */
	NGRE_DOWN_RX_CLASH,	/* another tunnel already receives on the
				 * same link with the same local, remote
				 * and key (an inherited address changed
				 * into a clash)
				 */
	NGRE_DOWN_KEEPALIVE,	/* no keepalive came back for RETRIES
				 * periods
				 */
	NGRE_DOWN_PROBE,	/* no probe was answered for RETRIES
				 * intervals
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
	NGRE_TUNNEL_A_LINK,		/* u32 ifindex of the link device: the
					 * VLAN device, or the untagged parent;
					 * absent without one (ro)
					 */
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
	NGRE_TUNNEL_A_MTU,		/* u32; 0: automatic, the default */
	NGRE_TUNNEL_A_OPERSTATE,	/* u8 1 up, 0 down (ro) */
	NGRE_TUNNEL_A_DOWN_REASON,	/* u8 enum ngre_down_reason (ro) */
	NGRE_TUNNEL_A_STATS,		/* nest enum ngre_tstats_attr (ro) */
	NGRE_TUNNEL_A_PAD,
	NGRE_TUNNEL_A_KEEPALIVE_PERIOD,	/* u16 seconds 1..32767; 0: none */
	NGRE_TUNNEL_A_KEEPALIVE_RETRIES,	/* u8 1..255 */
	NGRE_TUNNEL_A_HEALTH,		/* nest enum ngre_health_attr (ro) */
	NGRE_TUNNEL_A_PROBE_ADDR,	/* be32 IPv4 the probes ping through
					 * the tunnel, unicast; 0: none
					 */
	NGRE_TUNNEL_A_PROBE_INTERVAL,	/* u16 seconds 1..32767 */
	NGRE_TUNNEL_A_PROBE_RETRIES,	/* u8 1..255 */

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

/* A tunnel's keepalives and probes (nest NGRE_TUNNEL_A_HEALTH). */
enum ngre_health_attr {
	NGRE_HEALTH_A_UNSPEC,
	NGRE_HEALTH_A_KEEPALIVE_SENT,	/* u64 keepalives sent */
	NGRE_HEALTH_A_KEEPALIVE_REPLIES,	/* u64 keepalives come back: GRE
						 * of protocol 0 received, with
						 * or without KEEPALIVE_PERIOD;
						 * not the probes answered
						 */
	NGRE_HEALTH_A_KEEPALIVE_REFLECTED,	/* u64 the peer's, sent back */
	NGRE_HEALTH_A_LAST_REPLY_MS,	/* u32 milliseconds since the last
					 * answer: a keepalive come back with
					 * KEEPALIVE_PERIOD, or a probe
					 * answered; absent before the first
					 */
	NGRE_HEALTH_A_CHANGES,		/* u32 times the keepalives or probes
					 * took the tunnel down or up
					 */
	NGRE_HEALTH_A_PAD,
	NGRE_HEALTH_A_PROBE_SENT,	/* u64 probes sent */
	NGRE_HEALTH_A_PROBE_REPLIES,	/* u64 probes answered */

	__NGRE_HEALTH_A_MAX,
	NGRE_HEALTH_A_MAX = __NGRE_HEALTH_A_MAX - 1
};

/*
 * Datapath counters of a network namespace (nest NGRE_A_STATS of
 * NGRE_CMD_STATS_GET), each a u64.  "Passed" packets were left to the rest
 * of the stack untouched; "fail" ones were dropped.  New counters are
 * appended after NGRE_STATS_A_PAD, which stays where it is: a reader walks
 * every attribute of the nest and skips the types it does not know.
 */
enum ngre_stats_attr {
	NGRE_STATS_A_UNSPEC,
	NGRE_STATS_A_ENCAP_SUCCESS,	/* encapsulated, handed to IP output */
	NGRE_STATS_A_ENCAP_FAIL_LINK_DOWN,	/* the tunnel is down */
	NGRE_STATS_A_ENCAP_FAIL_PROTOCOL,	/* inner packet not IPv4/IPv6,
						 * or cut short
						 */
	NGRE_STATS_A_ENCAP_FAIL_NO_ROUTE,	/* no route to the remote, or
						 * one into the tunnel; ICMP
						 * unreachable sent
						 */
	NGRE_STATS_A_ENCAP_FAIL_TOO_BIG,	/* over the path MTU; ICMP sent */
	NGRE_STATS_A_ENCAP_FAIL_NO_HEADROOM,	/* no memory for the headers */
	NGRE_STATS_A_DECAP_SUCCESS,	/* decapsulated, taken by the stack */
	NGRE_STATS_A_DECAP_FAIL_MALFORMED,	/* GRE or inner header cut
						 * short, or the routing bit
						 */
	NGRE_STATS_A_DECAP_FAIL_CHECKSUM,	/* bad, or missing but required */
	NGRE_STATS_A_DECAP_FAIL_KEY,	/* no key, and every tunnel between
					 * the addresses has one
					 */
	NGRE_STATS_A_DECAP_FAIL_SEQUENCE,	/* missing, or behind the
						 * expected one
						 */
	NGRE_STATS_A_DECAP_FAIL_PROTOCOL,	/* inner protocol not IPv4/IPv6 */
	NGRE_STATS_A_DECAP_FAIL_ECN,	/* CE outside on a not-ECT inner */
	NGRE_STATS_A_DECAP_KEEPALIVE,	/* GRE protocol 0 on a tunnel, with
					 * or without keepalives (a keepalive
					 * come back): consumed
					 */
	NGRE_STATS_A_RX_NO_FLOW,	/* GRE, not a fragment, matching no
					 * tunnel (or not version 0): passed
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
					 * fails rp_filter or is a martian):
					 * passed
					 */
	NGRE_STATS_A_DECAP_FAIL_POLICY,	/* refused by the IPsec inbound
					 * policy
					 */
	NGRE_STATS_A_PAD,
	NGRE_STATS_A_SESSION_CREATED,	/* sessions confirmed (their first
					 * packet left the router)
					 */
	NGRE_STATS_A_SESSION_REFUSED,	/* first packets that found the table
					 * full (max_sessions): passed
					 */
	NGRE_STATS_A_SESSION_EXPIRED,	/* sessions ended by their idle
					 * timeout
					 */
	NGRE_STATS_A_SESSION_ENDED,	/* sessions ended because a tunnel,
					 * device, service or next hop they
					 * used went away or down, or their
					 * service was replaced
					 */
	NGRE_STATS_A_SESSION_DELETED,	/* sessions ended by SESSION_DEL
					 * (del, flush)
					 */
	NGRE_STATS_A_SESSION_FW_DROPPED,	/* first packets the firewall
						 * (FORWARD, POST_ROUTING)
						 * dropped: no session
						 */
	NGRE_STATS_A_SESSION_NAT_SKIPPED,	/* connections conntrack NATs:
						 * no session (SNAT: their
						 * packets keep the first
						 * one's next hop, through
						 * the hooks; DNAT: passed)
						 */
	NGRE_STATS_A_SERVICE_NO_NEXTHOP,	/* no usable next hop: dropped,
						 * ICMP unreachable sent
						 */
	NGRE_STATS_A_FLOW_HIT,		/* packets that hit a session's flow
					 * and ran its action list
					 */
	NGRE_STATS_A_FLOW_WRONG_IIF,	/* of those, arrived on another
					 * interface than the flow expects
					 */
	NGRE_STATS_A_TTL_EXPIRED,	/* TTL <= 1 on a session's packet:
					 * dropped, ICMP time exceeded sent
					 */
	NGRE_STATS_A_TOO_BIG,		/* over the next hop's MTU with DF:
					 * dropped, ICMP fragmentation needed
					 * sent
					 */
	NGRE_STATS_A_FLOW_STALE,	/* a flow's route could not be
					 * rebuilt: the session ended, the
					 * packet went to the service area
					 */
	NGRE_STATS_A_FLOW_CT_LOST,	/* a session's packet with a new
					 * conntrack entry (conntrack lost the
					 * connection): forward, it went
					 * through FORWARD and POST_ROUTING;
					 * a reply ended the session
					 */
	NGRE_STATS_A_RX_WRONG_LINK,	/* GRE from a tunnel's remote to its
					 * local address that came in on
					 * another device than its link: left
					 * to the stack
					 */
	NGRE_STATS_A_DECAP_FAIL_SEQ_JUMP,	/* receive drops: a sequence
						 * number 65536 or more away
						 * from the expected one, not
						 * continuing a jump the
						 * previous packet proposed
						 */
	NGRE_STATS_A_RX_IP_OPTIONS,	/* GRE for a tunnel with IP options:
					 * not received, left to the stack
					 */
	NGRE_STATS_A_KEEPALIVE_SENT,	/* keepalives sent */
	NGRE_STATS_A_KEEPALIVE_REFLECTED,	/* peers' keepalives sent back */
	NGRE_STATS_A_HEALTH_FAIL,	/* keepalives or probes not sent, or
					 * keepalives not sent back: no route
					 * to the remote (or one into the
					 * tunnel), no memory, no address on
					 * the tunnel device for a probe
					 */
	NGRE_STATS_A_PROBE_SENT,	/* probes sent */
	NGRE_STATS_A_PROBE_REPLIES,	/* probes answered (consumed) */

	__NGRE_STATS_A_MAX,
	NGRE_STATS_A_MAX = __NGRE_STATS_A_MAX - 1
};

/*
 * Per-netns settings (nest NGRE_A_CONFIG).  Timeouts are idle times in
 * seconds, 1..1000000; a change applies to each session at its next packet.
 */
enum ngre_config_attr {
	NGRE_CONFIG_A_UNSPEC,
	NGRE_CONFIG_A_MAX_TUNNELS,	/* u32, default 4096 */
	NGRE_CONFIG_A_TUNNELS,		/* u32 current count (ro) */
	NGRE_CONFIG_A_MAX_SESSIONS,	/* u32 1..16777216; default sized to
					 * the memory
					 */
	NGRE_CONFIG_A_SESSIONS,		/* u32 current count (ro) */
	NGRE_CONFIG_A_SERVICES,		/* u32 current count (ro) */
	NGRE_CONFIG_A_TIMEOUT_TCP_OPENING,	/* u32, default 120 */
	NGRE_CONFIG_A_TIMEOUT_TCP_ESTABLISHED,	/* u32, default 7440 */
	NGRE_CONFIG_A_TIMEOUT_TCP_CLOSING,	/* u32, default 120 */
	NGRE_CONFIG_A_TIMEOUT_UDP,	/* u32, default 180 */
	NGRE_CONFIG_A_TIMEOUT_ICMP,	/* u32, default 30 */
	NGRE_CONFIG_A_TIMEOUT_OTHER,	/* u32, default 600 */

	__NGRE_CONFIG_A_MAX,
	NGRE_CONFIG_A_MAX = __NGRE_CONFIG_A_MAX - 1
};

/* How a service picks the next hop of a new session (NGRE_SERVICE_A_LB). */
enum ngre_lb {
	NGRE_LB_HASH,		/* a stable hash of the 5-tuple (default) */
	NGRE_LB_ROUND_ROBIN,	/* each usable next hop in turn */
	NGRE_LB_PROPORTIONAL,	/* in proportion to the next hops' weights */
	NGRE_LB_HUNT,		/* the usable next hop of lowest priority */
};

/* What a next hop is (NGRE_NH_A_KIND). */
enum ngre_nh_kind {
	NGRE_NH_TUNNEL,		/* an ngre tunnel, by name (TUNNEL_ADD) */
	NGRE_NH_GATEWAY,	/* a gateway address on a device, by name */
	NGRE_NH_DEVICE,		/* a device, by name: on-link */
};

/*
 * A service (nest NGRE_A_SERVICE): which new sessions it takes and where
 * it sends them.  In SERVICE_NEW and SERVICE_SET, NAME, at least one
 * PREFIX and at least one NEXTHOP are required; SET replaces the whole
 * definition (and ends the service's sessions).  In DEL and GET the
 * service is named by NAME.  A namespace has at most 65536 services.
 */
enum ngre_service_attr {
	NGRE_SERVICE_A_UNSPEC,
	NGRE_SERVICE_A_NAME,		/* string, 1..31 bytes */
	NGRE_SERVICE_A_PREFIX,		/* nest enum ngre_prefix_attr; repeated
					 * (1..64)
					 */
	NGRE_SERVICE_A_PROTO,		/* u8 IP protocol; 0 or absent: any */
	NGRE_SERVICE_A_PORT_MIN,	/* u16 destination port range, with a
					 * protocol that has ports (TCP, UDP,
					 * SCTP, UDP-Lite, DCCP)
					 */
	NGRE_SERVICE_A_PORT_MAX,	/* u16, >= PORT_MIN; absent: PORT_MIN */
	NGRE_SERVICE_A_LB,		/* u8 enum ngre_lb */
	NGRE_SERVICE_A_NEXTHOP,		/* nest enum ngre_nh_attr; repeated
					 * (1..16)
					 */
	NGRE_SERVICE_A_FROM_DEV,	/* string, a device name; repeated
					 * (0..16): only packets arriving on one
					 * of them
					 */
	NGRE_SERVICE_A_SESSIONS,	/* u32 live sessions (ro) */
	NGRE_SERVICE_A_PAD,

	__NGRE_SERVICE_A_MAX,
	NGRE_SERVICE_A_MAX = __NGRE_SERVICE_A_MAX - 1
};

/* A destination prefix of a service (nest NGRE_SERVICE_A_PREFIX). */
enum ngre_prefix_attr {
	NGRE_PREFIX_A_UNSPEC,
	NGRE_PREFIX_A_ADDR,		/* be32 IPv4, no host bits set */
	NGRE_PREFIX_A_LEN,		/* u8 0..32 */

	__NGRE_PREFIX_A_MAX,
	NGRE_PREFIX_A_MAX = __NGRE_PREFIX_A_MAX - 1
};

/* A next hop of a service (nest NGRE_SERVICE_A_NEXTHOP). */
enum ngre_nh_attr {
	NGRE_NH_A_UNSPEC,
	NGRE_NH_A_KIND,			/* u8 enum ngre_nh_kind */
	NGRE_NH_A_IFNAME,		/* string: the tunnel or device */
	NGRE_NH_A_GATEWAY,		/* be32 IPv4 (NGRE_NH_GATEWAY) */
	NGRE_NH_A_WEIGHT,		/* u32 1..65535, default 1 */
	NGRE_NH_A_PRIORITY,		/* u32 0..65535, default 0 (hunt: the
					 * lowest usable wins)
					 */
	NGRE_NH_A_USABLE,		/* u8 0/1 (ro) */
	NGRE_NH_A_SESSIONS,		/* u64 sessions created through it (ro) */
	NGRE_NH_A_PACKETS,		/* u64 packets of its sessions' forward
					 * flows (ro)
					 */
	NGRE_NH_A_BYTES,		/* u64 bytes of the same (ro) */
	NGRE_NH_A_PAD,

	__NGRE_NH_A_MAX,
	NGRE_NH_A_MAX = __NGRE_NH_A_MAX - 1
};

/* The actions of a flow, in the order they run (NGRE_FLOW_A_ACTION). */
enum ngre_flow_action {
	NGRE_ACTION_TTL_DEC = 1,	/* TTL <= 1: ICMP time exceeded */
	NGRE_ACTION_MTU_CHECK,		/* over the MTU with DF: ICMP
					 * fragmentation needed
					 */
	NGRE_ACTION_TUNNEL_ADD,		/* encapsulate into the tunnel */
	NGRE_ACTION_FORWARD,		/* send to the neighbour on a device */
};

/*
 * A session (nest NGRE_A_SESSION of SESSION_GET replies).  In a
 * SESSION_GET dump request and a SESSION_DEL request, the nest holds the
 * filters, all of which a session must match: ID (one session), SERVICE,
 * TUNNEL (either flow's interface), and SRC, DST and PROTO of the
 * forward flow.
 */
enum ngre_session_attr {
	NGRE_SESSION_A_UNSPEC,
	NGRE_SESSION_A_ID,		/* u32, unique in the namespace */
	NGRE_SESSION_A_SERVICE,		/* string: the service's name */
	NGRE_SESSION_A_TUNNEL,		/* u32 ifindex: sessions through this
					 * tunnel (filter only)
					 */
	NGRE_SESSION_A_SRC,		/* be32 forward source (filter) */
	NGRE_SESSION_A_DST,		/* be32 forward destination (filter) */
	NGRE_SESSION_A_PROTO,		/* u8 IP protocol (filter) */
	NGRE_SESSION_A_NEXTHOP,		/* string: the next hop, "DEV" or
					 * "A.B.C.D@DEV" for a gateway (ro)
					 */
	NGRE_SESSION_A_FWD,		/* nest enum ngre_flow_attr (ro) */
	NGRE_SESSION_A_REV,		/* nest enum ngre_flow_attr (ro) */
	NGRE_SESSION_A_TIMEOUT,		/* u32 ms of idle time left (ro) */
	NGRE_SESSION_A_UPTIME,		/* u64 ms since creation (ro) */
	NGRE_SESSION_A_PAD,

	__NGRE_SESSION_A_MAX,
	NGRE_SESSION_A_MAX = __NGRE_SESSION_A_MAX - 1
};

/* One flow of a session (nests NGRE_SESSION_A_FWD / _REV). */
enum ngre_flow_attr {
	NGRE_FLOW_A_UNSPEC,
	NGRE_FLOW_A_IIF,		/* u32 ifindex the flow expects */
	NGRE_FLOW_A_VLAN,		/* u16 VID, if that is a VLAN device */
	NGRE_FLOW_A_SRC,		/* be32 */
	NGRE_FLOW_A_DST,		/* be32 */
	NGRE_FLOW_A_PROTO,		/* u8 */
	NGRE_FLOW_A_SPORT,		/* be16 (ICMP echo: the id) */
	NGRE_FLOW_A_DPORT,		/* be16 (ICMP echo: the type) */
	NGRE_FLOW_A_OIF,		/* u32 ifindex the flow sends to */
	NGRE_FLOW_A_PACKETS,		/* u64 */
	NGRE_FLOW_A_BYTES,		/* u64 */
	NGRE_FLOW_A_WRONG_IIF,		/* u64 hits that arrived elsewhere */
	NGRE_FLOW_A_ACTION,		/* u8 enum ngre_flow_action; repeated, in
					 * order
					 */
	NGRE_FLOW_A_PAD,

	__NGRE_FLOW_A_MAX,
	NGRE_FLOW_A_MAX = __NGRE_FLOW_A_MAX - 1
};

#endif /* _UAPI_LINUX_NGRE_H */
