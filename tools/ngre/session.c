// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: "ngre session ..." (NGRE_CMD_SESSION_GET and _DEL): the
 * sessions of the namespace, each a forward and a reverse flow.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

#include "ngre.h"

#define MAX_ACTIONS	16

/*
 * One direction of a session; ports in host byte order (ICMP: the echo
 * id and the type), known for protocols with ports and ICMP only.
 */
struct flow {
	uint32_t iif, oif, src, dst;
	uint16_t vlan, sport, dport;
	bool has_vlan, has_ports;
	uint8_t proto;
	uint64_t packets, bytes, wrong_iif;
	uint8_t actions[MAX_ACTIONS];
	unsigned int n_actions;
};

struct session {
	uint32_t id, timeout;		/* timeout: ms of idle time left */
	uint64_t uptime;		/* ms */
	char service[NGRE_SERVICE_NAMSIZ], nexthop[64];
	struct flow fwd, rev;
};

/* Which sessions a show or a flush is about. */
struct filter {
	const char *service;
	uint32_t tunnel, src, dst;
	bool has_src, has_dst;
	uint8_t proto;			/* 0: any */
};

static const char *const action_names[] = {
	[NGRE_ACTION_TTL_DEC]		= "ttl_dec",
	[NGRE_ACTION_MTU_CHECK]		= "mtu_check",
	[NGRE_ACTION_TUNNEL_ADD]	= "tunnel_add",
	[NGRE_ACTION_FORWARD]		= "forward",
};

static void session_usage(FILE *f)
{
	fprintf(f,
		"Usage: ngre session show [ FILTER ]\n"
		"       ngre session flush [ FILTER ]\n"
		"       ngre session del ID\n"
		"where  FILTER := [ service NAME ] [ tunnel NAME ] [ src ADDR ]\n"
		"                 [ dst ADDR ] [ proto { tcp | udp | icmp | NUM } ]\n");
}

/* ---- the kernel's answers ---------------------------------------------- */

static const enum mnl_attr_data_type flow_policy[] = {
	[NGRE_FLOW_A_IIF]	= MNL_TYPE_U32,
	[NGRE_FLOW_A_VLAN]	= MNL_TYPE_U16,
	[NGRE_FLOW_A_SRC]	= MNL_TYPE_U32,
	[NGRE_FLOW_A_DST]	= MNL_TYPE_U32,
	[NGRE_FLOW_A_PROTO]	= MNL_TYPE_U8,
	[NGRE_FLOW_A_SPORT]	= MNL_TYPE_U16,
	[NGRE_FLOW_A_DPORT]	= MNL_TYPE_U16,
	[NGRE_FLOW_A_OIF]	= MNL_TYPE_U32,
	[NGRE_FLOW_A_PACKETS]	= MNL_TYPE_U64,
	[NGRE_FLOW_A_BYTES]	= MNL_TYPE_U64,
	[NGRE_FLOW_A_WRONG_IIF]	= MNL_TYPE_U64,
	[NGRE_FLOW_A_ACTION]	= MNL_TYPE_U8,
};

static const enum mnl_attr_data_type session_policy[] = {
	[NGRE_SESSION_A_ID]		= MNL_TYPE_U32,
	[NGRE_SESSION_A_SERVICE]	= MNL_TYPE_NUL_STRING,
	[NGRE_SESSION_A_NEXTHOP]	= MNL_TYPE_NUL_STRING,
	[NGRE_SESSION_A_TIMEOUT]	= MNL_TYPE_U32,
	[NGRE_SESSION_A_UPTIME]		= MNL_TYPE_U64,
	[NGRE_SESSION_A_FWD]		= MNL_TYPE_NESTED,
	[NGRE_SESSION_A_REV]		= MNL_TYPE_NESTED,
};

static void parse_flow_attr(const struct nlattr *a, struct flow *f)
{
	if (!attr_ok(a, flow_policy, ARRAY_SIZE(flow_policy)))
		return;
	switch (mnl_attr_get_type(a)) {
	case NGRE_FLOW_A_IIF:
		f->iif = mnl_attr_get_u32(a);
		break;
	case NGRE_FLOW_A_VLAN:
		f->vlan = mnl_attr_get_u16(a);
		f->has_vlan = true;
		break;
	case NGRE_FLOW_A_SRC:
		f->src = mnl_attr_get_u32(a);
		break;
	case NGRE_FLOW_A_DST:
		f->dst = mnl_attr_get_u32(a);
		break;
	case NGRE_FLOW_A_PROTO:
		f->proto = mnl_attr_get_u8(a);
		break;
	case NGRE_FLOW_A_SPORT:
		f->sport = ntohs(mnl_attr_get_u16(a));
		f->has_ports = true;
		break;
	case NGRE_FLOW_A_DPORT:
		f->dport = ntohs(mnl_attr_get_u16(a));
		f->has_ports = true;
		break;
	case NGRE_FLOW_A_OIF:
		f->oif = mnl_attr_get_u32(a);
		break;
	case NGRE_FLOW_A_PACKETS:
		f->packets = mnl_attr_get_u64(a);
		break;
	case NGRE_FLOW_A_BYTES:
		f->bytes = mnl_attr_get_u64(a);
		break;
	case NGRE_FLOW_A_WRONG_IIF:
		f->wrong_iif = mnl_attr_get_u64(a);
		break;
	case NGRE_FLOW_A_ACTION:
		if (f->n_actions < MAX_ACTIONS)
			f->actions[f->n_actions++] = mnl_attr_get_u8(a);
		break;
	}
}

static void parse_session_attr(const struct nlattr *a, struct session *s)
{
	const struct nlattr *b;

	if (!attr_ok(a, session_policy, ARRAY_SIZE(session_policy)))
		return;
	switch (mnl_attr_get_type(a)) {
	case NGRE_SESSION_A_ID:
		s->id = mnl_attr_get_u32(a);
		break;
	case NGRE_SESSION_A_SERVICE:
		snprintf(s->service, sizeof(s->service), "%s", mnl_attr_get_str(a));
		break;
	case NGRE_SESSION_A_NEXTHOP:
		snprintf(s->nexthop, sizeof(s->nexthop), "%s", mnl_attr_get_str(a));
		break;
	case NGRE_SESSION_A_TIMEOUT:
		s->timeout = mnl_attr_get_u32(a);
		break;
	case NGRE_SESSION_A_UPTIME:
		s->uptime = mnl_attr_get_u64(a);
		break;
	case NGRE_SESSION_A_FWD:
		mnl_attr_for_each_nested(b, a)
			parse_flow_attr(b, &s->fwd);
		break;
	case NGRE_SESSION_A_REV:
		mnl_attr_for_each_nested(b, a)
			parse_flow_attr(b, &s->rev);
		break;
	}
}

/* Ports shown: those of TCP and the like, ICMP's echo id and type. */
static bool flow_has_ports(uint8_t proto)
{
	return proto_has_ports(proto) || proto == IPPROTO_ICMP;
}

static int parse_session(const struct nlmsghdr *nlh, struct session *s)
{
	const struct nlattr *top = reply_nest(nlh, NGRE_A_SESSION), *a;

	memset(s, 0, sizeof(*s));
	if (!top)
		return -1;
	mnl_attr_for_each_nested(a, top)
		parse_session_attr(a, s);
	s->fwd.has_ports &= flow_has_ports(s->fwd.proto);
	s->rev.has_ports &= flow_has_ports(s->rev.proto);
	return 0;
}

/* ---- printing --------------------------------------------------------- */

static const char *action_name(uint8_t a)
{
	return a < ARRAY_SIZE(action_names) ? action_names[a] : NULL;
}

/* The widths of the columns of the text table; a flow's row fills them. */
#define W_ID		6
#define W_DIR		3
#define W_SERVICE	10
#define W_IIF		10
#define W_VLAN		4
#define W_PROTO		5
#define W_ENDPOINT	21
#define W_NEXTHOP	15
#define W_PACKETS	10
#define W_BYTES		12
#define W_TIMEOUT	8
#define STR_(x)		#x
#define STR(x)		STR_(x)
/* A column: conversion @conv ("s", "u") at width @w, then a space. */
#define COL(w, conv)	"%-" STR(w) conv " "

#define ENDPOINT_STRLEN	(INET_ADDRSTRLEN + 6)	/* ":65535" */
#define NUM_STRLEN	24

static void print_head(void)
{
	printf(COL(W_ID, "s") COL(W_DIR, "s") COL(W_SERVICE, "s") COL(W_IIF, "s")
	       COL(W_VLAN, "s") COL(W_PROTO, "s") COL(W_ENDPOINT, "s")
	       COL(W_ENDPOINT, "s") COL(W_NEXTHOP, "s") COL(W_PACKETS, "s")
	       COL(W_BYTES, "s") COL(W_TIMEOUT, "s") "%s\n",
	       "ID", "DIR", "SERVICE", "IIF", "VLAN", "PROTO", "SRC", "DST",
	       "NEXTHOP", "PACKETS", "BYTES", "TIMEOUT", "UPTIME");
}

/*
 * An end of a flow: in JSON its address under @key and its port under
 * @port_key (null for a flow without ports), in text "A.B.C.D:PORT" (the
 * address alone).
 */
static void print_endpoint(const char *key, const char *port_key, uint32_t addr,
			   uint16_t port, bool has_port)
{
	char buf[ENDPOINT_STRLEN];

	print_string(PRINT_JSON, key, NULL, ip4(addr, buf));
	if (has_port) {
		print_uint(PRINT_JSON, port_key, NULL, port);
		snprintf(buf + strlen(buf), 7, ":%u", port);
	} else {
		print_null(PRINT_JSON, port_key, NULL, NULL);
	}
	print_string(PRINT_FP, NULL, COL(W_ENDPOINT, "s"), buf);
}

/* A time of @ms milliseconds, in whole seconds: "%us" in text. */
static void print_secs(enum output_type t, const char *key, const char *fmt,
		       uint64_t ms)
{
	char buf[NUM_STRLEN];

	print_u64(t & PRINT_JSON, key, NULL, ms / 1000);
	snprintf(buf, sizeof(buf), "%llus", (unsigned long long)(ms / 1000));
	print_string(t & PRINT_FP, NULL, fmt, buf);
}

/* The flow's actions and wrong_iif count; in text with -d, under its row. */
static void print_actions(const struct flow *f)
{
	enum output_type t = opts.details ? PRINT_ANY : PRINT_JSON;
	unsigned int i;

	print_string(t & PRINT_FP, NULL, "%s", "    actions");
	open_json_array("actions");
	for (i = 0; i < f->n_actions; i++) {
		if (action_name(f->actions[i]))
			print_string(t, NULL, " %s", action_name(f->actions[i]));
		else
			print_uint(t, NULL, " %u", f->actions[i]);
	}
	close_json_array();
	print_u64(t, "wrong_iif", " wrong_iif %llu\n", f->wrong_iif);
}

/*
 * A flow of session @s: in JSON an object under @dir, in text a row of
 * the table, which repeats the session's ID, service and times.  Its
 * NEXTHOP is the service's next hop for the forward flow, and for the
 * reverse flow the device it leaves by.
 */
static void print_flow(const struct session *s, const char *dir,
		       const struct flow *f)
{
	open_json_object(dir);
	print_uint(PRINT_FP, NULL, COL(W_ID, "u"), s->id);
	print_string(PRINT_FP, NULL, COL(W_DIR, "s"), dir);
	print_string(PRINT_FP, NULL, COL(W_SERVICE, "s"), s->service);
	print_dev(PRINT_ANY, "iif", COL(W_IIF, "s"), f->iif);
	if (f->has_vlan)
		print_uint(PRINT_ANY, "vlan", COL(W_VLAN, "u"), f->vlan);
	else
		print_null(PRINT_ANY, "vlan", COL(W_VLAN, "s"), "-");
	print_proto(PRINT_ANY, "proto", COL(W_PROTO, "s"), f->proto);
	print_endpoint("src", "sport", f->src, f->sport, f->has_ports);
	print_endpoint("dst", "dport", f->dst, f->dport, f->has_ports);
	if (f == &s->fwd)
		print_string(PRINT_FP, NULL, COL(W_NEXTHOP, "s"), s->nexthop);
	else
		print_dev(PRINT_FP, NULL, COL(W_NEXTHOP, "s"), f->oif);
	print_dev(PRINT_JSON, "oif", NULL, f->oif);
	print_u64(PRINT_ANY, "packets", COL(W_PACKETS, "llu"), f->packets);
	print_u64(PRINT_ANY, "bytes", COL(W_BYTES, "llu"), f->bytes);
	print_secs(PRINT_FP, NULL, COL(W_TIMEOUT, "s"), s->timeout);
	print_secs(PRINT_FP, NULL, "%s\n", s->uptime);
	print_actions(f);
	close_json_object();
}

/* A session: in JSON an object, in text a row for each flow. */
static void print_session(const struct session *s)
{
	open_json_object(NULL);
	print_uint(PRINT_JSON, "id", NULL, s->id);
	print_string(PRINT_JSON, "service", NULL, s->service);
	print_string(PRINT_JSON, "nexthop", NULL, s->nexthop);
	print_secs(PRINT_JSON, "timeout", NULL, s->timeout);
	print_secs(PRINT_JSON, "uptime", NULL, s->uptime);
	print_flow(s, "fwd", &s->fwd);
	print_flow(s, "rev", &s->rev);
	close_json_object();
}

static int show_one(const struct nlmsghdr *nlh, void *data)
{
	struct session s;

	if (!parse_session(nlh, &s))
		print_session(&s);
	return MNL_CB_OK;
}

/* ---- arguments ---------------------------------------------------------- */

static int filter_word(const char *k, const char *val, struct filter *f)
{
	if (!strcmp(k, "service")) {
		f->service = val;
		return check_service_name(val, "service");
	}
	if (!strcmp(k, "tunnel")) {
		if (check_ifname(val, "tunnel"))
			return EXIT_USAGE;
		return resolve_dev(val, "tunnel", &f->tunnel);
	}
	if (!strcmp(k, "src")) {
		f->has_src = true;
		return parse_addr(val, "src", &f->src);
	}
	if (!strcmp(k, "dst")) {
		f->has_dst = true;
		return parse_addr(val, "dst", &f->dst);
	}
	if (!strcmp(k, "proto"))
		return parse_proto(val, "proto", &f->proto);
	return usage_err("unknown option \"%s\"", k);
}

/* The filters of show and flush; -1: "help". */
static int parse_filter(int argc, char **argv, struct filter *f)
{
	int i, err;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < argc; i += 2) {
		if (!strcmp(argv[i], "help"))
			return -1;
		if (i + 1 >= argc)
			return usage_err("\"%s\" needs an argument", argv[i]);
		err = filter_word(argv[i], argv[i + 1], f);
		if (err)
			return err;
	}
	return 0;
}

/* The filters in an NGRE_A_SESSION nest (empty: every session). */
static void put_filter(struct nlmsghdr *nlh, const struct filter *f)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NGRE_A_SESSION);

	if (f->service)
		mnl_attr_put_strz(nlh, NGRE_SESSION_A_SERVICE, f->service);
	if (f->tunnel)
		mnl_attr_put_u32(nlh, NGRE_SESSION_A_TUNNEL, f->tunnel);
	if (f->has_src)
		mnl_attr_put_u32(nlh, NGRE_SESSION_A_SRC, f->src);
	if (f->has_dst)
		mnl_attr_put_u32(nlh, NGRE_SESSION_A_DST, f->dst);
	if (f->proto)
		mnl_attr_put_u8(nlh, NGRE_SESSION_A_PROTO, f->proto);
	mnl_attr_nest_end(nlh, nest);
}

/* ---- commands ----------------------------------------------------------- */

/* show (a dump) and flush (a delete) take the same filters. */
static int session_filtered(struct nl *nl, int argc, char **argv, bool show)
{
	struct show s = {
		.what = "session show", .objects = "sessions",
		.print = show_one, .head = print_head,
	};
	struct nlmsghdr *nlh;
	struct filter f;
	int err = parse_filter(argc, argv, &f);

	if (err < 0) {
		session_usage(stdout);
		return EXIT_OK;
	}
	if (err)
		return err;
	nlh = nl_msg(nl, show ? NGRE_CMD_SESSION_GET : NGRE_CMD_SESSION_DEL,
		     show ? NLM_F_DUMP : 0);
	put_filter(nlh, &f);
	if (show)
		return nl_show(nl, nlh, &s);
	err = nl_talk(nl, nlh, NULL, NULL);
	return err ? nl_report(nl, err, "session flush") : EXIT_OK;
}

static int session_show(struct nl *nl, const struct object *o, int argc, char **argv)
{
	return session_filtered(nl, argc, argv, true);
}

static int session_flush(struct nl *nl, const struct object *o, int argc, char **argv)
{
	return session_filtered(nl, argc, argv, false);
}

static int session_del(struct nl *nl, const struct object *o, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t id;
	int err = help_or_none(argc, argv, session_usage);

	if (err >= 0)
		return err;
	if (argc > 1)
		return usage_err("session del: unexpected argument \"%s\"", argv[1]);
	if (parse_u32(argv[0], "ID", 1, UINT32_MAX, &id))
		return EXIT_USAGE;
	nlh = nl_msg(nl, NGRE_CMD_SESSION_DEL, 0);
	nest = mnl_attr_nest_start(nlh, NGRE_A_SESSION);
	mnl_attr_put_u32(nlh, NGRE_SESSION_A_ID, id);
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nl, nlh, NULL, NULL);
	return err ? nl_report(nl, err, "session del") : EXIT_OK;
}

static const struct verb session_verbs[] = {
	{ "show", session_show },
	{ "list", session_show },
	{ "flush", session_flush },
	{ "delete", session_del },
	{ NULL, NULL },
};

static const struct object session = {
	.name = "session", .plural = "sessions", .usage = session_usage,
	.verbs = session_verbs,
};

int do_session(struct nl *nl, int argc, char **argv)
{
	return do_object(nl, &session, argc, argv);
}
