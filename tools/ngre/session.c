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
	char service[32], nexthop[64];
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

/* The columns of the text table; the row of a flow fills them. */
#define ROW_FMT "%-6s %-3s %-10s %-10s %-4s %-5s %-21s %-21s %-15s %-10s %-12s %-8s %s\n"
#define ENDPOINT_STRLEN	(INET_ADDRSTRLEN + 6)	/* ":65535" */
#define NUM_STRLEN	24

static void print_head(void)
{
	printf(ROW_FMT, "ID", "DIR", "SERVICE", "IIF", "VLAN", "PROTO", "SRC",
	       "DST", "NEXTHOP", "PACKETS", "BYTES", "TIMEOUT", "UPTIME");
}

/* "A.B.C.D:PORT", or the address alone for a flow without ports. */
static const char *endpoint(uint32_t addr, uint16_t port, bool ports, char *buf)
{
	ip4(addr, buf);
	if (ports)
		snprintf(buf + strlen(buf), 7, ":%u", port);
	return buf;
}

static const char *num(uint64_t v, const char *unit, char *buf)
{
	snprintf(buf, NUM_STRLEN, "%llu%s", (unsigned long long)v, unit);
	return buf;
}

/* With -d, under a row: the flow's actions and its wrong_iif count. */
static void print_details(const struct flow *f)
{
	unsigned int i;

	printf("    actions");
	for (i = 0; i < f->n_actions; i++) {
		if (action_name(f->actions[i]))
			printf(" %s", action_name(f->actions[i]));
		else
			printf(" %u", f->actions[i]);
	}
	printf(" wrong_iif %llu\n", (unsigned long long)f->wrong_iif);
}

/*
 * The name of device @ifindex, looked up once per dump: a dump names
 * three devices per session, and a table may hold millions of sessions
 * through a handful of devices.  Reset before each dump (batch mode runs
 * several, and names may change in between).
 */
#define DEV_CACHE	16
static struct {
	uint32_t ifindex;
	char name[IFNAMSIZ];
} dev_cache[DEV_CACHE];

static const char *dev_name(uint32_t ifindex)
{
	typeof(dev_cache[0]) *c = &dev_cache[ifindex % DEV_CACHE];

	if (c->ifindex != ifindex || !ifindex) {
		ifname_of(ifindex, c->name);
		c->ifindex = ifindex;
	}
	return c->name;
}

static void print_row(const struct session *s, const char *dir,
		      const struct flow *f, const char *nexthop)
{
	char id[NUM_STRLEN], vlan[NUM_STRLEN], proto[PROTO_STRLEN];
	char src[ENDPOINT_STRLEN], dst[ENDPOINT_STRLEN];
	char pkts[NUM_STRLEN], bytes[NUM_STRLEN], tmo[NUM_STRLEN], up[NUM_STRLEN];

	printf(ROW_FMT, num(s->id, "", id), dir, s->service,
	       dev_name(f->iif), f->has_vlan ? num(f->vlan, "", vlan) : "-",
	       proto_str(f->proto, proto),
	       endpoint(f->src, f->sport, f->has_ports, src),
	       endpoint(f->dst, f->dport, f->has_ports, dst), nexthop,
	       num(f->packets, "", pkts), num(f->bytes, "", bytes),
	       num(s->timeout / 1000, "s", tmo), num(s->uptime / 1000, "s", up));
	if (opts.details)
		print_details(f);
}

static void print_session_text(const struct session *s)
{
	char oif[IFNAMSIZ];

	/* A copy: print_row() looks up another name, maybe in its slot. */
	snprintf(oif, sizeof(oif), "%s", dev_name(s->rev.oif));
	print_row(s, "fwd", &s->fwd, s->nexthop);
	print_row(s, "rev", &s->rev, oif);
}

static void jw_uint_or_null(const char *key, uint64_t v, bool has)
{
	if (has)
		jw_uint(key, v);
	else
		jw_null(key);
}

static void print_actions_json(const struct flow *f)
{
	unsigned int i;

	jw_key("actions");
	jw_open('[');
	for (i = 0; i < f->n_actions; i++) {
		if (action_name(f->actions[i]))
			jw_str(NULL, action_name(f->actions[i]));
		else
			jw_uint(NULL, f->actions[i]);
	}
	jw_close(']');
}

/* A device's name; null for none, as every absent value in JSON. */
static void jw_dev(const char *key, uint32_t ifindex)
{
	if (ifindex)
		jw_str(key, dev_name(ifindex));
	else
		jw_null(key);
}

static void print_flow_json(const char *key, const struct flow *f)
{
	char a[INET_ADDRSTRLEN];

	jw_key(key);
	jw_open('{');
	jw_dev("iif", f->iif);
	jw_uint_or_null("vlan", f->vlan, f->has_vlan);
	jw_proto("proto", f->proto);
	jw_str("src", ip4(f->src, a));
	jw_uint_or_null("sport", f->sport, f->has_ports);
	jw_str("dst", ip4(f->dst, a));
	jw_uint_or_null("dport", f->dport, f->has_ports);
	jw_dev("oif", f->oif);
	jw_uint("packets", f->packets);
	jw_uint("bytes", f->bytes);
	jw_uint("wrong_iif", f->wrong_iif);
	print_actions_json(f);
	jw_close('}');
}

static void print_session_json(const struct session *s)
{
	jw_key(NULL);
	jw_open('{');
	jw_uint("id", s->id);
	jw_str("service", s->service);
	jw_str("nexthop", s->nexthop);
	jw_uint("timeout", s->timeout / 1000);
	jw_uint("uptime", s->uptime / 1000);
	print_flow_json("fwd", &s->fwd);
	print_flow_json("rev", &s->rev);
	jw_close('}');
}

static int show_one(const struct nlmsghdr *nlh, void *data)
{
	struct session s;

	if (parse_session(nlh, &s))
		return MNL_CB_OK;
	if (opts.json)
		print_session_json(&s);
	else
		print_session_text(&s);
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
	memset(dev_cache, 0, sizeof(dev_cache));
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
