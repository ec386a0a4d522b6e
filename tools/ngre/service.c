// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: "ngre service ..." (NGRE_CMD_SERVICE_*): the services that
 * take new sessions to their destination prefixes, and their next hops.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

#include "ngre.h"

/* The longest service name, without its NUL. */
#define SERVICE_NAME_MAX	(NGRE_SERVICE_NAMSIZ - 1)

struct prefix {
	uint32_t addr;
	uint8_t len;
};

struct nexthop {
	uint8_t kind;			/* enum ngre_nh_kind */
	char dev[IFNAMSIZ];
	uint32_t gw;
	uint32_t weight, priority;
	bool has_weight, has_priority;	/* given (requests) */
	bool usable;			/* from here: reported by the kernel */
	uint64_t sessions, packets, bytes;
};

/* A service: as given to add/set, or as the kernel reports it. */
struct service {
	char name[NGRE_SERVICE_NAMSIZ];
	struct prefix pfx[NGRE_MAX_PREFIXES];
	unsigned int n_pfx;
	uint8_t proto;			/* 0: any */
	uint16_t port_min, port_max;	/* 0: any port */
	bool has_lb;
	uint8_t lb;			/* enum ngre_lb */
	char from[NGRE_MAX_FROM_DEVS][IFNAMSIZ];
	unsigned int n_from;
	struct nexthop nh[NGRE_MAX_NEXTHOPS];
	unsigned int n_nh;
	uint32_t sessions;
};

static const char *const lb_names[] = {
	[NGRE_LB_HASH]		= "hash",
	[NGRE_LB_ROUND_ROBIN]	= "round-robin",
	[NGRE_LB_PROPORTIONAL]	= "proportional",
	[NGRE_LB_HUNT]		= "hunt",
};

/* Next hop kinds as written: "tunnel NAME", "via ADDR dev DEV", "dev DEV". */
static const char *const nh_kinds[] = {
	[NGRE_NH_TUNNEL]	= "tunnel",
	[NGRE_NH_GATEWAY]	= "via",
	[NGRE_NH_DEVICE]	= "dev",
};

static void service_usage(FILE *f)
{
	fprintf(f,
		"Usage: ngre service add NAME prefix A.B.C.D/N [ prefix A.B.C.D/N ... ]\n"
		"                        [ proto { tcp | udp | icmp | NUM } [ port P[-P] ] ]\n"
		"                        [ lb { hash | round-robin | proportional | hunt } ]\n"
		"                        [ from dev IF [ dev IF ... ] ]\n"
		"                        nexthop NH [ nexthop NH ... ]\n"
		"       ngre service set NAME [ the arguments of add ]\n"
		"       ngre service del NAME\n"
		"       ngre service show [ NAME ]\n"
		"where  NH := { tunnel NAME | via ADDR dev DEV | dev DEV }\n"
		"             [ weight 1..65535 ] [ priority 0..65535 ]\n");
}

/* A service name the kernel could take: non-zero (and said) if not. */
int check_service_name(const char *name, const char *what)
{
	size_t n = strlen(name);

	if (n >= 1 && n <= SERVICE_NAME_MAX)
		return 0;
	return usage_err("invalid service name \"%s\" for \"%s\": 1..%d bytes",
			 name, what, SERVICE_NAME_MAX);
}

/* ---- printing --------------------------------------------------------- */

static const char *lb_name(uint8_t lb)
{
	return lb < ARRAY_SIZE(lb_names) ? lb_names[lb] : "unknown";
}

static const char *nh_kind(uint8_t kind)
{
	return kind < ARRAY_SIZE(nh_kinds) ? nh_kinds[kind] : "unknown";
}

#define PREFIX_STRLEN	(INET_ADDRSTRLEN + 4)	/* "/255" */

static const char *prefix_str(const struct prefix *p, char *buf)
{
	char a[INET_ADDRSTRLEN];

	snprintf(buf, PREFIX_STRLEN, "%s/%u", ip4(p->addr, a), p->len);
	return buf;
}

/*
 * A next hop, in the output @t: PRINT_ANY, or PRINT_JSON for a service
 * that text shows in one line (an event).
 */
static void print_nexthop(const struct nexthop *nh, enum output_type t)
{
	enum output_type counters = opts.stats ? t : t & PRINT_JSON;
	char a[INET_ADDRSTRLEN];

	open_json_object(NULL);
	print_string(t, "kind", "    nexthop %s", nh_kind(nh->kind));
	if (nh->kind == NGRE_NH_GATEWAY) {
		print_string(t, "gateway", " %s", ip4(nh->gw, a));
		print_string(t, "dev", " dev %s", nh->dev);
	} else {
		print_string(t, "dev", " %s", nh->dev);
		print_null(t & PRINT_JSON, "gateway", NULL, NULL);
	}
	print_uint(t, "weight", " weight %u", nh->weight);
	print_uint(t, "priority", " priority %u", nh->priority);
	print_bool(t & PRINT_JSON, "usable", NULL, nh->usable);
	print_string(t & PRINT_FP, NULL, " %s", nh->usable ? "usable" : "unusable");
	print_u64(counters, "sessions", " sessions %llu", nh->sessions);
	print_u64(counters, "packets", " packets %llu", nh->packets);
	print_u64(counters, "bytes", " bytes %llu", nh->bytes);
	if (t & PRINT_FP)
		print_nl();
	close_json_object();
}

/* The ports: "port_min" and "port_max", null when the service takes any. */
static void print_ports(const struct service *s, enum output_type t)
{
	if (!s->port_min) {
		print_null(t & PRINT_JSON, "port_min", NULL, NULL);
		print_null(t & PRINT_JSON, "port_max", NULL, NULL);
		return;
	}
	print_uint(t, "port_min", " port %u", s->port_min);
	print_uint(t & PRINT_JSON, "port_max", NULL, s->port_max);
	if (s->port_max != s->port_min)
		print_uint(t & PRINT_FP, NULL, "-%u", s->port_max);
}

/*
 * A service and its next hops.  An event of "ngre monitor" (@event, the
 * word in JSON; @text, the word in text) reads in text "service NAME:
 * TEXT", and in JSON is the service with "event" and "object" members.
 */
static void print_service(const struct service *s, const char *event,
			  const char *text)
{
	enum output_type t = event ? PRINT_JSON : PRINT_ANY;
	char a[PREFIX_STRLEN];
	unsigned int i;

	open_json_object(NULL);
	if (event) {
		print_string(PRINT_JSON, "event", NULL, event);
		print_string(PRINT_JSON, "object", NULL, "service");
		print_string(PRINT_FP, NULL, "service %s: ", s->name);
		print_string(PRINT_FP, NULL, "%s\n", text);
	}
	print_string(t, "name", "%s: prefix", s->name);
	open_json_array("prefixes");
	for (i = 0; i < s->n_pfx; i++)
		print_string(t, NULL, " %s", prefix_str(&s->pfx[i], a));
	close_json_array();
	if (s->proto)
		print_proto(t, "proto", " proto %s", s->proto);
	else
		print_null(t & PRINT_JSON, "proto", NULL, NULL);
	print_ports(s, t);
	print_string(t, "lb", " lb %s", lb_name(s->lb));
	if (s->n_from)
		print_string(t & PRINT_FP, NULL, "%s", " from");
	open_json_array("from");
	for (i = 0; i < s->n_from; i++)
		print_string(t, NULL, " dev %s", s->from[i]);
	close_json_array();
	print_uint(t, "sessions", " sessions %u", s->sessions);
	if (t & PRINT_FP)
		print_nl();
	open_json_array("nexthops");
	for (i = 0; i < s->n_nh; i++)
		print_nexthop(&s->nh[i], t);
	close_json_array();
	close_json_object();
}

/* ---- the kernel's answers ---------------------------------------------- */

static const enum mnl_attr_data_type prefix_policy[] = {
	[NGRE_PREFIX_A_ADDR]	= MNL_TYPE_U32,
	[NGRE_PREFIX_A_LEN]	= MNL_TYPE_U8,
};

static const enum mnl_attr_data_type nexthop_policy[] = {
	[NGRE_NH_A_KIND]	= MNL_TYPE_U8,
	[NGRE_NH_A_IFNAME]	= MNL_TYPE_NUL_STRING,
	[NGRE_NH_A_GATEWAY]	= MNL_TYPE_U32,
	[NGRE_NH_A_WEIGHT]	= MNL_TYPE_U32,
	[NGRE_NH_A_PRIORITY]	= MNL_TYPE_U32,
	[NGRE_NH_A_USABLE]	= MNL_TYPE_U8,
	[NGRE_NH_A_SESSIONS]	= MNL_TYPE_U64,
	[NGRE_NH_A_PACKETS]	= MNL_TYPE_U64,
	[NGRE_NH_A_BYTES]	= MNL_TYPE_U64,
};

static const enum mnl_attr_data_type service_policy[] = {
	[NGRE_SERVICE_A_NAME]		= MNL_TYPE_NUL_STRING,
	[NGRE_SERVICE_A_PREFIX]		= MNL_TYPE_NESTED,
	[NGRE_SERVICE_A_PROTO]		= MNL_TYPE_U8,
	[NGRE_SERVICE_A_PORT_MIN]	= MNL_TYPE_U16,
	[NGRE_SERVICE_A_PORT_MAX]	= MNL_TYPE_U16,
	[NGRE_SERVICE_A_LB]		= MNL_TYPE_U8,
	[NGRE_SERVICE_A_NEXTHOP]	= MNL_TYPE_NESTED,
	[NGRE_SERVICE_A_FROM_DEV]	= MNL_TYPE_NUL_STRING,
	[NGRE_SERVICE_A_SESSIONS]	= MNL_TYPE_U32,
};

static void parse_prefix_nest(const struct nlattr *nest, struct service *s)
{
	struct prefix *p = &s->pfx[s->n_pfx++];
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		if (!attr_ok(a, prefix_policy, ARRAY_SIZE(prefix_policy)))
			continue;
		if (mnl_attr_get_type(a) == NGRE_PREFIX_A_ADDR)
			p->addr = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == NGRE_PREFIX_A_LEN)
			p->len = mnl_attr_get_u8(a);
	}
}

static void parse_nexthop_nest(const struct nlattr *nest, struct service *s)
{
	struct nexthop *nh = &s->nh[s->n_nh++];
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		if (!attr_ok(a, nexthop_policy, ARRAY_SIZE(nexthop_policy)))
			continue;
		switch (mnl_attr_get_type(a)) {
		case NGRE_NH_A_KIND:
			nh->kind = mnl_attr_get_u8(a);
			break;
		case NGRE_NH_A_IFNAME:
			snprintf(nh->dev, sizeof(nh->dev), "%s", mnl_attr_get_str(a));
			break;
		case NGRE_NH_A_GATEWAY:
			nh->gw = mnl_attr_get_u32(a);
			break;
		case NGRE_NH_A_WEIGHT:
			nh->weight = mnl_attr_get_u32(a);
			break;
		case NGRE_NH_A_PRIORITY:
			nh->priority = mnl_attr_get_u32(a);
			break;
		case NGRE_NH_A_USABLE:
			nh->usable = mnl_attr_get_u8(a);
			break;
		case NGRE_NH_A_SESSIONS:
			nh->sessions = mnl_attr_get_u64(a);
			break;
		case NGRE_NH_A_PACKETS:
			nh->packets = mnl_attr_get_u64(a);
			break;
		case NGRE_NH_A_BYTES:
			nh->bytes = mnl_attr_get_u64(a);
			break;
		}
	}
}

/* The repeated attributes of a service, as many as fit. */
static void parse_service_list(const struct nlattr *a, struct service *s)
{
	switch (mnl_attr_get_type(a)) {
	case NGRE_SERVICE_A_PREFIX:
		if (s->n_pfx < NGRE_MAX_PREFIXES)
			parse_prefix_nest(a, s);
		break;
	case NGRE_SERVICE_A_NEXTHOP:
		if (s->n_nh < NGRE_MAX_NEXTHOPS)
			parse_nexthop_nest(a, s);
		break;
	case NGRE_SERVICE_A_FROM_DEV:
		if (s->n_from < NGRE_MAX_FROM_DEVS)
			snprintf(s->from[s->n_from++], IFNAMSIZ, "%s",
				 mnl_attr_get_str(a));
		break;
	}
}

static void parse_service_attr(const struct nlattr *a, struct service *s)
{
	if (!attr_ok(a, service_policy, ARRAY_SIZE(service_policy)))
		return;
	switch (mnl_attr_get_type(a)) {
	case NGRE_SERVICE_A_NAME:
		snprintf(s->name, sizeof(s->name), "%s", mnl_attr_get_str(a));
		break;
	case NGRE_SERVICE_A_PROTO:
		s->proto = mnl_attr_get_u8(a);
		break;
	case NGRE_SERVICE_A_PORT_MIN:
		s->port_min = mnl_attr_get_u16(a);
		break;
	case NGRE_SERVICE_A_PORT_MAX:
		s->port_max = mnl_attr_get_u16(a);
		break;
	case NGRE_SERVICE_A_LB:
		s->lb = mnl_attr_get_u8(a);
		break;
	case NGRE_SERVICE_A_SESSIONS:
		s->sessions = mnl_attr_get_u32(a);
		break;
	default:
		parse_service_list(a, s);
	}
}

static int parse_service(const struct nlmsghdr *nlh, struct service *s)
{
	const struct nlattr *top = reply_nest(nlh, NGRE_A_SERVICE), *a;

	memset(s, 0, sizeof(*s));
	if (!top)
		return -1;
	mnl_attr_for_each_nested(a, top)
		parse_service_attr(a, s);
	if (s->port_max < s->port_min)	/* absent: PORT_MIN */
		s->port_max = s->port_min;
	return 0;
}

static int show_one(const struct nlmsghdr *nlh, void *data)
{
	struct service s;

	if (!parse_service(nlh, &s))
		print_service(&s, NULL, NULL);
	return MNL_CB_OK;
}

/* A service event for "ngre monitor": print_service()'s @event, @text. */
int print_service_event(const struct nlmsghdr *nlh, const char *event,
			const char *text)
{
	struct service s;

	if (!parse_service(nlh, &s))
		print_service(&s, event, text);
	return MNL_CB_OK;
}

/* ---- arguments ---------------------------------------------------------- */

static int parse_lb(const char *arg, struct service *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lb_names); i++) {
		if (!strcmp(arg, lb_names[i])) {
			s->lb = i;
			s->has_lb = true;
			return 0;
		}
	}
	return usage_err("invalid value \"%s\" for \"lb\": expected %s", arg,
			 "hash, round-robin, proportional or hunt");
}

/* Copy the device name @arg of @what into @dst: non-zero if invalid. */
static int copy_ifname(char *dst, const char *arg, const char *what)
{
	if (check_ifname(arg, what))
		return EXIT_USAGE;
	snprintf(dst, IFNAMSIZ, "%s", arg);
	return 0;
}

static int too_many(const char *what, int max)
{
	return usage_err("too many \"%s\": %d at most", what, max);
}

/* "from dev IF [ dev IF ... ]": @argv at "from"; *@used words taken. */
static int parse_from(int argc, char **argv, struct service *s, int *used)
{
	int i;

	for (i = 1; i + 1 < argc && !strcmp(argv[i], "dev"); i += 2) {
		if (s->n_from == NGRE_MAX_FROM_DEVS)
			return too_many("from dev", NGRE_MAX_FROM_DEVS);
		if (copy_ifname(s->from[s->n_from++], argv[i + 1], "from dev"))
			return EXIT_USAGE;
	}
	if (i == 1)
		return usage_err("\"from\" needs \"dev IF\"");
	*used = i;
	return 0;
}

/* The words of a next hop, each with a value. */
enum nh_word { NHW_TUNNEL, NHW_VIA, NHW_DEV, NHW_WEIGHT, NHW_PRIORITY };

static const char *const nh_words[] = {
	[NHW_TUNNEL]	= "tunnel",
	[NHW_VIA]	= "via",
	[NHW_DEV]	= "dev",
	[NHW_WEIGHT]	= "weight",
	[NHW_PRIORITY]	= "priority",
};

#define SEEN(w)	(1U << (w))

static int nh_word_of(const char *k)
{
	unsigned int w;

	for (w = 0; w < ARRAY_SIZE(nh_words); w++) {
		if (!strcmp(k, nh_words[w]))
			return w;
	}
	return -1;
}

static int nexthop_word(struct nexthop *nh, enum nh_word w, const char *val)
{
	switch (w) {
	case NHW_TUNNEL:
		return copy_ifname(nh->dev, val, "nexthop tunnel");
	case NHW_DEV:
		return copy_ifname(nh->dev, val, "nexthop dev");
	case NHW_VIA:
		return parse_addr(val, "nexthop via", &nh->gw);
	case NHW_WEIGHT:
		nh->has_weight = true;
		return parse_u32(val, "weight", 1, 65535, &nh->weight);
	case NHW_PRIORITY:
		nh->has_priority = true;
		return parse_u32(val, "priority", 0, 65535, &nh->priority);
	}
	return EXIT_USAGE;
}

/* The kind of a next hop from the words given; negative (and said) if none. */
static int nexthop_kind(unsigned int seen)
{
	if (seen & SEEN(NHW_TUNNEL) && seen & (SEEN(NHW_VIA) | SEEN(NHW_DEV)))
		return -usage_err("\"nexthop tunnel\" takes no \"via\" or \"dev\"");
	if (seen & SEEN(NHW_TUNNEL))
		return NGRE_NH_TUNNEL;
	if (seen & SEEN(NHW_VIA) && !(seen & SEEN(NHW_DEV)))
		return -usage_err("\"nexthop via\" needs \"dev DEV\"");
	if (seen & SEEN(NHW_VIA))
		return NGRE_NH_GATEWAY;
	if (seen & SEEN(NHW_DEV))
		return NGRE_NH_DEVICE;
	return -usage_err("\"nexthop\" needs \"tunnel NAME\", \"via ADDR dev DEV\" or \"dev DEV\"");
}

/* "nexthop NH": @argv at "nexthop"; *@used words taken. */
static int parse_nexthop(int argc, char **argv, struct service *s, int *used)
{
	struct nexthop *nh;
	unsigned int seen = 0;
	int i, w, kind;

	if (s->n_nh == NGRE_MAX_NEXTHOPS)
		return too_many("nexthop", NGRE_MAX_NEXTHOPS);
	nh = &s->nh[s->n_nh++];
	for (i = 1; i < argc && (w = nh_word_of(argv[i])) >= 0; i += 2) {
		if (i + 1 >= argc)
			return usage_err("\"%s\" needs an argument", argv[i]);
		if (nexthop_word(nh, w, argv[i + 1]))
			return EXIT_USAGE;
		seen |= SEEN(w);
	}
	kind = nexthop_kind(seen);
	if (kind < 0)
		return EXIT_USAGE;
	nh->kind = kind;
	*used = i;
	return 0;
}

/* "prefix A.B.C.D/N", each prefix once. */
static int add_prefix(const char *arg, struct service *s)
{
	struct prefix *p = &s->pfx[s->n_pfx];
	unsigned int i;

	if (s->n_pfx == NGRE_MAX_PREFIXES)
		return too_many("prefix", NGRE_MAX_PREFIXES);
	if (parse_prefix(arg, "prefix", &p->addr, &p->len))
		return EXIT_USAGE;
	for (i = 0; i < s->n_pfx; i++) {
		if (s->pfx[i].addr == p->addr && s->pfx[i].len == p->len)
			return usage_err("prefix \"%s\" given twice", arg);
	}
	s->n_pfx++;
	return 0;
}

/* "WORD VALUE" arguments of add and set: @argv at WORD; *@used taken. */
static int service_word(int argc, char **argv, struct service *s, int *used)
{
	const char *k = argv[0], *val = argv[1];
	uint32_t lo, hi;

	*used = 2;
	if (!strcmp(k, "prefix"))
		return add_prefix(val, s);
	if (!strcmp(k, "proto"))
		return parse_proto(val, "proto", &s->proto);
	if (!strcmp(k, "port")) {
		if (parse_range(val, "port", 1, 65535, &lo, &hi))
			return EXIT_USAGE;
		s->port_min = lo;
		s->port_max = hi;
		return 0;
	}
	if (!strcmp(k, "lb"))
		return parse_lb(val, s);
	if (!strcmp(k, "from"))
		return parse_from(argc, argv, s, used);
	if (!strcmp(k, "nexthop"))
		return parse_nexthop(argc, argv, s, used);
	return usage_err("unknown option \"%s\"", k);
}

/* The arguments of add and set after NAME; -1: "help". */
static int parse_service_args(int argc, char **argv, struct service *s)
{
	int i, used, err;

	for (i = 0; i < argc; i += used) {
		if (!strcmp(argv[i], "help"))
			return -1;
		if (i + 1 >= argc)
			return usage_err("\"%s\" needs an argument", argv[i]);
		err = service_word(argc - i, argv + i, s, &used);
		if (err)
			return err;
	}
	if (!s->n_pfx)
		return usage_err("\"prefix\" is required");
	if (!s->n_nh)
		return usage_err("\"nexthop\" is required");
	if (s->port_min && !proto_has_ports(s->proto))
		return usage_err("\"port\" needs a \"proto\" with ports: %s",
				 "tcp, udp or 6, 17, 33, 132, 136");
	return 0;
}

static void put_nexthop(struct nlmsghdr *nlh, const struct nexthop *nh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NGRE_SERVICE_A_NEXTHOP);

	mnl_attr_put_u8(nlh, NGRE_NH_A_KIND, nh->kind);
	mnl_attr_put_strz(nlh, NGRE_NH_A_IFNAME, nh->dev);
	if (nh->kind == NGRE_NH_GATEWAY)
		mnl_attr_put_u32(nlh, NGRE_NH_A_GATEWAY, nh->gw);
	if (nh->has_weight)
		mnl_attr_put_u32(nlh, NGRE_NH_A_WEIGHT, nh->weight);
	if (nh->has_priority)
		mnl_attr_put_u32(nlh, NGRE_NH_A_PRIORITY, nh->priority);
	mnl_attr_nest_end(nlh, nest);
}

static void put_prefix(struct nlmsghdr *nlh, const struct prefix *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NGRE_SERVICE_A_PREFIX);

	mnl_attr_put_u32(nlh, NGRE_PREFIX_A_ADDR, p->addr);
	mnl_attr_put_u8(nlh, NGRE_PREFIX_A_LEN, p->len);
	mnl_attr_nest_end(nlh, nest);
}

static void put_service(struct nlmsghdr *nlh, const struct service *s)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NGRE_A_SERVICE);
	unsigned int i;

	mnl_attr_put_strz(nlh, NGRE_SERVICE_A_NAME, s->name);
	for (i = 0; i < s->n_pfx; i++)
		put_prefix(nlh, &s->pfx[i]);
	if (s->proto)
		mnl_attr_put_u8(nlh, NGRE_SERVICE_A_PROTO, s->proto);
	if (s->port_min) {
		mnl_attr_put_u16(nlh, NGRE_SERVICE_A_PORT_MIN, s->port_min);
		mnl_attr_put_u16(nlh, NGRE_SERVICE_A_PORT_MAX, s->port_max);
	}
	if (s->has_lb)
		mnl_attr_put_u8(nlh, NGRE_SERVICE_A_LB, s->lb);
	for (i = 0; i < s->n_from; i++)
		mnl_attr_put_strz(nlh, NGRE_SERVICE_A_FROM_DEV, s->from[i]);
	for (i = 0; i < s->n_nh; i++)
		put_nexthop(nlh, &s->nh[i]);
	mnl_attr_nest_end(nlh, nest);
}

/* ---- commands ----------------------------------------------------------- */

static int service_add_set(struct nl *nl, int argc, char **argv, bool add)
{
	const char *what = add ? "service add" : "service set";
	struct nlmsghdr *nlh;
	struct service s;
	int err = help_or_none(argc, argv, service_usage);

	if (err >= 0)
		return err;
	if (check_service_name(argv[0], "NAME"))
		return EXIT_USAGE;
	memset(&s, 0, sizeof(s));
	snprintf(s.name, sizeof(s.name), "%s", argv[0]);
	err = parse_service_args(argc - 1, argv + 1, &s);
	if (err < 0) {
		service_usage(stdout);
		return EXIT_OK;
	}
	if (err)
		return err;
	nlh = nl_msg(nl, add ? NGRE_CMD_SERVICE_NEW : NGRE_CMD_SERVICE_SET, 0);
	put_service(nlh, &s);
	err = nl_talk(nl, nlh, NULL, NULL);
	return err ? nl_report(nl, err, what) : EXIT_OK;
}

static int service_add(struct nl *nl, const struct object *o, int argc, char **argv)
{
	return service_add_set(nl, argc, argv, true);
}

static int service_set(struct nl *nl, const struct object *o, int argc, char **argv)
{
	return service_add_set(nl, argc, argv, false);
}

static const struct verb service_verbs[] = {
	{ "add", service_add },
	{ "set", service_set },
	{ "change", service_set },
	{ "delete", object_del },
	{ "show", object_show },
	{ "list", object_show },
	{ NULL, NULL },
};

static const struct object service = {
	.name = "service", .plural = "services", .usage = service_usage,
	.verbs = service_verbs,
	.nest = NGRE_A_SERVICE, .name_attr = NGRE_SERVICE_A_NAME,
	.get = NGRE_CMD_SERVICE_GET, .del = NGRE_CMD_SERVICE_DEL,
	.check_name = check_service_name, .print = show_one,
};

int do_service(struct nl *nl, int argc, char **argv)
{
	return do_object(nl, &service, argc, argv);
}
