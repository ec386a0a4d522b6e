// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: "ngre tunnel ...".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "ngre.h"

/* A tunnel as the kernel reports it. */
struct tunnel {
	uint32_t ifindex, parent, link, iflags, oflags, ikey, okey, mtu;
	uint16_t vlan;
	uint8_t local_mode, ttl, tos, tos_inherit, pmtudisc, oper, down;
	uint32_t local, remote;
	char ifname[IFNAMSIZ];
	bool has_stats;
	uint64_t st[NGRE_TSTATS_A_MAX + 1];
	uint16_t ka_period, probe_interval;
	uint8_t ka_retries, probe_retries;
	uint32_t probe_addr;
	bool has_health, has_last_reply;
	uint64_t ka_sent, ka_replies, ka_reflected, probe_sent, probe_replies;
	uint32_t last_reply_ms, changes;
};

static const char *const down_reasons[] = {
	[NGRE_DOWN_NONE]	= "none",
	[NGRE_DOWN_ADMIN]	= "admin-down",
	[NGRE_DOWN_NO_VLAN_DEV]	= "no-vlan-device",
	[NGRE_DOWN_LINK_DOWN]	= "link-down",
	[NGRE_DOWN_NO_ADDRESS]	= "no-address",
	[NGRE_DOWN_RX_CLASH]	= "rx-clash",
	[NGRE_DOWN_KEEPALIVE]	= "keepalive",
	[NGRE_DOWN_PROBE]	= "probe",
	[NGRE_DOWN_NO_MEMORY]	= "no-memory",
};

static const char *const stat_names[] = {
	[NGRE_TSTATS_A_RX_PACKETS]	= "rx_packets",
	[NGRE_TSTATS_A_RX_BYTES]	= "rx_bytes",
	[NGRE_TSTATS_A_RX_ERRORS]	= "rx_errors",
	[NGRE_TSTATS_A_RX_DROPPED]	= "rx_dropped",
	[NGRE_TSTATS_A_TX_PACKETS]	= "tx_packets",
	[NGRE_TSTATS_A_TX_BYTES]	= "tx_bytes",
	[NGRE_TSTATS_A_TX_ERRORS]	= "tx_errors",
	[NGRE_TSTATS_A_TX_DROPPED]	= "tx_dropped",
};

static void tunnel_usage(FILE *f)
{
	fprintf(f,
		"Usage: ngre tunnel add NAME dev PARENT [ vlan VID ] remote ADDR\n"
		"                       [ local { inherit | ADDR } ]\n"
		"                       [ key K | ikey K okey K | nokey ]\n"
		"                       [ csum | icsum | ocsum | nocsum ]\n"
		"                       [ seq | iseq | oseq | noseq ]\n"
		"                       [ ttl { 1..255 | inherit } ] [ tos { VAL | inherit } ]\n"
		"                       [ [no]pmtudisc ] [ mtu { N | auto } ]\n"
		"                       [ keepalive PERIOD RETRIES | nokeepalive ]\n"
		"                       [ probe ADDR [ interval SECONDS ] [ retries N ] | noprobe ]\n"
		"       ngre tunnel set NAME [ the options of add ]\n"
		"       ngre tunnel del NAME\n"
		"       ngre tunnel show [ NAME ]\n");
}

static void parse_stats(const struct nlattr *nest, struct tunnel *t)
{
	const struct nlattr *a;

	t->has_stats = true;
	mnl_attr_for_each_nested(a, nest) {
		unsigned int type = mnl_attr_get_type(a);

		if (type < ARRAY_SIZE(stat_names) && stat_names[type] &&
		    mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			t->st[type] = mnl_attr_get_u64(a);
	}
}

static void parse_health(const struct nlattr *nest, struct tunnel *t)
{
	const struct nlattr *a;

	t->has_health = true;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case NGRE_HEALTH_A_KEEPALIVE_SENT:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				t->ka_sent = mnl_attr_get_u64(a);
			break;
		case NGRE_HEALTH_A_KEEPALIVE_REPLIES:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				t->ka_replies = mnl_attr_get_u64(a);
			break;
		case NGRE_HEALTH_A_KEEPALIVE_REFLECTED:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				t->ka_reflected = mnl_attr_get_u64(a);
			break;
		case NGRE_HEALTH_A_LAST_REPLY_MS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
				t->last_reply_ms = mnl_attr_get_u32(a);
				t->has_last_reply = true;
			}
			break;
		case NGRE_HEALTH_A_CHANGES:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				t->changes = mnl_attr_get_u32(a);
			break;
		case NGRE_HEALTH_A_PROBE_SENT:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				t->probe_sent = mnl_attr_get_u64(a);
			break;
		case NGRE_HEALTH_A_PROBE_REPLIES:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				t->probe_replies = mnl_attr_get_u64(a);
			break;
		}
	}
}

static const enum mnl_attr_data_type tunnel_policy[] = {
	[NGRE_TUNNEL_A_IFINDEX]		= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_IFNAME]		= MNL_TYPE_NUL_STRING,
	[NGRE_TUNNEL_A_PARENT]		= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_VLAN]		= MNL_TYPE_U16,
	[NGRE_TUNNEL_A_LINK]		= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_LOCAL_MODE]	= MNL_TYPE_U8,
	[NGRE_TUNNEL_A_LOCAL]		= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_REMOTE]		= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_IFLAGS]		= MNL_TYPE_BINARY,
	[NGRE_TUNNEL_A_OFLAGS]		= MNL_TYPE_BINARY,
	[NGRE_TUNNEL_A_IKEY]		= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_OKEY]		= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_TTL]		= MNL_TYPE_U8,
	[NGRE_TUNNEL_A_TOS]		= MNL_TYPE_U8,
	[NGRE_TUNNEL_A_TOS_INHERIT]	= MNL_TYPE_U8,
	[NGRE_TUNNEL_A_PMTUDISC]	= MNL_TYPE_U8,
	[NGRE_TUNNEL_A_MTU]		= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_OPERSTATE]	= MNL_TYPE_U8,
	[NGRE_TUNNEL_A_DOWN_REASON]	= MNL_TYPE_U8,
	[NGRE_TUNNEL_A_STATS]		= MNL_TYPE_NESTED,
	[NGRE_TUNNEL_A_KEEPALIVE_PERIOD] = MNL_TYPE_U16,
	[NGRE_TUNNEL_A_KEEPALIVE_RETRIES] = MNL_TYPE_U8,
	[NGRE_TUNNEL_A_HEALTH]		= MNL_TYPE_NESTED,
	[NGRE_TUNNEL_A_PROBE_ADDR]	= MNL_TYPE_U32,
	[NGRE_TUNNEL_A_PROBE_INTERVAL]	= MNL_TYPE_U16,
	[NGRE_TUNNEL_A_PROBE_RETRIES]	= MNL_TYPE_U8,
};

/* The flags of a bitfield32 of GRE flags; those of a malformed one: none. */
static uint32_t get_flags(const struct nlattr *a)
{
	struct nla_bitfield32 bf;

	if (mnl_attr_get_payload_len(a) != sizeof(bf))
		return 0;
	memcpy(&bf, mnl_attr_get_payload(a), sizeof(bf));
	return bf.value;
}

static int parse_tunnel(const struct nlmsghdr *nlh, struct tunnel *t)
{
	const struct nlattr *top = reply_nest(nlh, NGRE_A_TUNNEL), *a;

	memset(t, 0, sizeof(*t));
	if (!top)
		return -1;
	mnl_attr_for_each_nested(a, top) {
		if (!attr_ok(a, tunnel_policy, ARRAY_SIZE(tunnel_policy)))
			continue;
		switch (mnl_attr_get_type(a)) {
		case NGRE_TUNNEL_A_IFINDEX:
			t->ifindex = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_IFNAME:
			snprintf(t->ifname, sizeof(t->ifname), "%s", mnl_attr_get_str(a));
			break;
		case NGRE_TUNNEL_A_PARENT:
			t->parent = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_VLAN:
			t->vlan = mnl_attr_get_u16(a);
			break;
		case NGRE_TUNNEL_A_LINK:
			t->link = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_LOCAL_MODE:
			t->local_mode = mnl_attr_get_u8(a);
			break;
		case NGRE_TUNNEL_A_LOCAL:
			t->local = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_REMOTE:
			t->remote = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_IFLAGS:
			t->iflags = get_flags(a);
			break;
		case NGRE_TUNNEL_A_OFLAGS:
			t->oflags = get_flags(a);
			break;
		case NGRE_TUNNEL_A_IKEY:
			t->ikey = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_OKEY:
			t->okey = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_TTL:
			t->ttl = mnl_attr_get_u8(a);
			break;
		case NGRE_TUNNEL_A_TOS:
			t->tos = mnl_attr_get_u8(a);
			break;
		case NGRE_TUNNEL_A_TOS_INHERIT:
			t->tos_inherit = mnl_attr_get_u8(a);
			break;
		case NGRE_TUNNEL_A_PMTUDISC:
			t->pmtudisc = mnl_attr_get_u8(a);
			break;
		case NGRE_TUNNEL_A_MTU:
			t->mtu = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_OPERSTATE:
			t->oper = mnl_attr_get_u8(a);
			break;
		case NGRE_TUNNEL_A_DOWN_REASON:
			t->down = mnl_attr_get_u8(a);
			break;
		case NGRE_TUNNEL_A_STATS:
			parse_stats(a, t);
			break;
		case NGRE_TUNNEL_A_KEEPALIVE_PERIOD:
			t->ka_period = mnl_attr_get_u16(a);
			break;
		case NGRE_TUNNEL_A_KEEPALIVE_RETRIES:
			t->ka_retries = mnl_attr_get_u8(a);
			break;
		case NGRE_TUNNEL_A_HEALTH:
			parse_health(a, t);
			break;
		case NGRE_TUNNEL_A_PROBE_ADDR:
			t->probe_addr = mnl_attr_get_u32(a);
			break;
		case NGRE_TUNNEL_A_PROBE_INTERVAL:
			t->probe_interval = mnl_attr_get_u16(a);
			break;
		case NGRE_TUNNEL_A_PROBE_RETRIES:
			t->probe_retries = mnl_attr_get_u8(a);
			break;
		}
	}
	return 0;
}

static const char *down_reason(uint8_t r)
{
	return r < ARRAY_SIZE(down_reasons) ?
	       down_reasons[r] : "unknown";
}

/* A GRE flag: true or false in JSON, its word (when set) in text. */
static void print_flag(const char *key, bool on)
{
	print_bool(PRINT_JSON, key, NULL, on);
	if (on)
		print_string(PRINT_FP, NULL, " %s", key);
}

/* The second line: the addresses, the keys and the GRE flags. */
static void print_tunnel_gre(const struct tunnel *t)
{
	char a[INET_ADDRSTRLEN];

	ip4(t->local, a);
	if (t->local)
		print_string(PRINT_ANY, "local", "\n    local %s", a);
	else
		print_null(PRINT_ANY, "local", "\n    local %s", a);
	print_string(PRINT_ANY, "local_mode", " (%s)",
		     t->local_mode == NGRE_LOCAL_CUSTOM ? "custom" : "inherit");
	print_string(PRINT_ANY, "remote", " remote %s", ip4(t->remote, a));
	if (t->iflags & NGRE_F_KEY)
		print_uint(PRINT_ANY, "ikey", " ikey %u", t->ikey);
	else
		print_null(PRINT_JSON, "ikey", NULL, NULL);
	if (t->oflags & NGRE_F_KEY)
		print_uint(PRINT_ANY, "okey", " okey %u", t->okey);
	else
		print_null(PRINT_JSON, "okey", NULL, NULL);
	print_flag("icsum", t->iflags & NGRE_F_CSUM);
	print_flag("ocsum", t->oflags & NGRE_F_CSUM);
	print_flag("iseq", t->iflags & NGRE_F_SEQ);
	print_flag("oseq", t->oflags & NGRE_F_SEQ);
}

/* The third line: the outer header, the MTU, keepalives and probes. */
static void print_tunnel_ip(const struct tunnel *t)
{
	char a[INET_ADDRSTRLEN];

	if (t->ttl)
		print_uint(PRINT_ANY, "ttl", "\n    ttl %u", t->ttl);
	else
		print_string(PRINT_ANY, "ttl", "\n    ttl %s", "inherit");
	if (t->tos_inherit)
		print_string(PRINT_ANY, "tos", " tos %s", "inherit");
	else
		print_uint(PRINT_ANY, "tos", " tos 0x%x", t->tos);
	print_bool(PRINT_JSON, "pmtudisc", NULL, t->pmtudisc);
	print_string(PRINT_FP, NULL, " %spmtudisc", t->pmtudisc ? "" : "no");
	print_uint(PRINT_ANY, "mtu", " mtu %u", t->mtu);
	if (t->ka_period) {
		open_json_object("keepalive");
		print_uint(PRINT_ANY, "period", " keepalive %u", t->ka_period);
		print_uint(PRINT_ANY, "retries", " %u", t->ka_retries);
		close_json_object();
	} else {
		print_null(PRINT_JSON, "keepalive", NULL, NULL);
	}
	if (t->probe_addr) {
		open_json_object("probe");
		print_string(PRINT_ANY, "address", " probe %s", ip4(t->probe_addr, a));
		print_uint(PRINT_ANY, "interval", " interval %u", t->probe_interval);
		print_uint(PRINT_ANY, "retries", " retries %u", t->probe_retries);
		close_json_object();
	} else {
		print_null(PRINT_JSON, "probe", NULL, NULL);
	}
	print_nl();
}

/* A direction's packets, bytes, errors and dropped (four counters from @first). */
static void print_counters(const char *dir, const struct tunnel *t,
			   unsigned int first)
{
	static const char *const words[] = { "packets", "bytes", "errors", "dropped" };
	unsigned int i;

	print_string(PRINT_FP, NULL, "    %s:", dir);
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		print_string(PRINT_FP, NULL, " %s", words[i]);
		print_u64(PRINT_ANY, stat_names[first + i], " %llu", t->st[first + i]);
	}
	print_nl();
}

/*
 * The health counters (-s): in JSON always, in text only for a tunnel
 * that sends keepalives or probes, or has reflected keepalives.
 */
static void print_health(const struct tunnel *t)
{
	enum output_type o = PRINT_JSON;
	char ago[24];

	if (t->ka_period || t->ka_reflected || t->probe_addr)
		o = PRINT_ANY;
	open_json_object("health");
	print_u64(o, "keepalive_sent", "    health: keepalives sent %llu", t->ka_sent);
	print_u64(o, "keepalive_replies", " replies %llu", t->ka_replies);
	print_u64(o, "keepalive_reflected", " reflected %llu", t->ka_reflected);
	print_u64(o, "probe_sent", " probes sent %llu", t->probe_sent);
	print_u64(o, "probe_replies", " replies %llu", t->probe_replies);
	print_uint(o, "changes", " changes %u", t->changes);
	if (t->has_last_reply) {
		print_uint(PRINT_JSON, "last_reply_ms", NULL, t->last_reply_ms);
		snprintf(ago, sizeof(ago), "%u.%03u", t->last_reply_ms / 1000,
			 t->last_reply_ms % 1000);
		print_string(o & PRINT_FP, NULL, " last reply %ss ago", ago);
	} else {
		print_null(PRINT_JSON, "last_reply_ms", NULL, NULL);
	}
	if (o & PRINT_FP)
		print_nl();
	close_json_object();
}

/* A tunnel, for both outputs; @event labels monitor output. */
static void print_tunnel(const struct tunnel *t, const char *event)
{
	open_json_object(NULL);
	if (event)
		print_string(PRINT_ANY, "event", "[%s] ", event);
	print_string(PRINT_ANY, "ifname", "%s:", t->ifname);
	print_uint(PRINT_ANY, "ifindex", " ifindex %u", t->ifindex);
	print_dev(PRINT_ANY, "parent", " parent %s", t->parent);
	print_uint(PRINT_ANY, "vlan", " vlan %u", t->vlan);
	print_dev(PRINT_ANY, "link", " link %s", t->link);
	print_string(PRINT_ANY, "operstate", " operstate %s", t->oper ? "up" : "down");
	if (!t->oper)
		print_string(PRINT_ANY, "down_reason", " (%s)", down_reason(t->down));
	else
		print_null(PRINT_JSON, "down_reason", NULL, NULL);
	print_tunnel_gre(t);
	print_tunnel_ip(t);
	if (opts.details) {
		print_uint(PRINT_ANY, "parent_ifindex", "    parent-ifindex %u", t->parent);
		print_uint(PRINT_ANY, "link_ifindex", " link-ifindex %u", t->link);
		print_nl();
	}
	if (opts.stats && t->has_stats) {
		open_json_object("stats");
		print_counters("RX", t, NGRE_TSTATS_A_RX_PACKETS);
		print_counters("TX", t, NGRE_TSTATS_A_TX_PACKETS);
		close_json_object();
	}
	if (opts.stats && t->has_health)
		print_health(t);
	close_json_object();
}

/* Print one tunnel message; @event labels monitor output. */
int print_tunnel_msg(const struct nlmsghdr *nlh, const char *event)
{
	struct tunnel t;

	if (!parse_tunnel(nlh, &t))
		print_tunnel(&t, event);
	return MNL_CB_OK;
}

/* ---- argument parsing ---------------------------------------------- */

struct req {
	const char *name;
	bool has_parent, has_vlan, has_remote, has_local, local_inherit;
	uint32_t parent, remote, local;
	uint16_t vlan;
	bool has_ikey, has_okey;
	uint32_t ikey, okey;
	uint32_t iset, iclr, oset, oclr;	/* NGRE_F_* to set or clear */
	bool has_ttl, has_tos, has_pmtu, has_mtu, has_ka, has_probe;
	bool has_interval, has_retries;
	uint8_t ttl, tos, tos_inherit, pmtudisc, ka_retries, probe_retries;
	uint32_t mtu, probe_addr;
	uint16_t ka_period, probe_interval;
};

/* A key: a number or a dotted quad, as ip-tunnel takes it. */
static int parse_key(const char *arg, const char *what, uint32_t *out)
{
	struct in_addr a;

	if (strchr(arg, '.')) {
		if (inet_pton(AF_INET, arg, &a) != 1)
			return usage_err("invalid key \"%s\" for \"%s\"", arg, what);
		*out = ntohl(a.s_addr);
		return 0;
	}
	return parse_u32(arg, what, 0, UINT32_MAX, out);
}

/* Options without a value. */
static const struct flag_word {
	const char *word;
	uint32_t iset, oset, iclr, oclr;
	int pmtu;	/* pmtudisc 0/1, or -1: not this word's business */
} flag_words[] = {
	{ "csum", NGRE_F_CSUM, NGRE_F_CSUM, 0, 0, -1 },
	{ "icsum", NGRE_F_CSUM, 0, 0, 0, -1 },
	{ "ocsum", 0, NGRE_F_CSUM, 0, 0, -1 },
	{ "nocsum", 0, 0, NGRE_F_CSUM, NGRE_F_CSUM, -1 },
	{ "seq", NGRE_F_SEQ, NGRE_F_SEQ, 0, 0, -1 },
	{ "iseq", NGRE_F_SEQ, 0, 0, 0, -1 },
	{ "oseq", 0, NGRE_F_SEQ, 0, 0, -1 },
	{ "noseq", 0, 0, NGRE_F_SEQ, NGRE_F_SEQ, -1 },
	{ "nokey", 0, 0, NGRE_F_KEY, NGRE_F_KEY, -1 },
	{ "pmtudisc", 0, 0, 0, 0, 1 },
	{ "nopmtudisc", 0, 0, 0, 0, 0 },
	{ NULL },
};

/* Flags to set and clear stay disjoint: the last word wins. */
static void flags_set(struct req *r, uint32_t in, uint32_t out)
{
	r->iset |= in;
	r->iclr &= ~in;
	r->oset |= out;
	r->oclr &= ~out;
}

static void flags_clear(struct req *r, uint32_t in, uint32_t out)
{
	r->iclr |= in;
	r->iset &= ~in;
	r->oclr |= out;
	r->oset &= ~out;
}

static int parse_tunnel_args(int argc, char **argv, struct req *r, bool add)
{
	const struct flag_word *f;
	uint32_t v;
	int i;

	for (i = 0; i < argc; i++) {
		const char *k = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;

		for (f = flag_words; f->word; f++) {
			if (!strcmp(k, f->word))
				break;
		}
		if (f->word) {
			/* The last word about a flag wins, as in ip(8). */
			flags_set(r, f->iset, f->oset);
			flags_clear(r, f->iclr, f->oclr);
			if (f->pmtu >= 0) {
				r->has_pmtu = true;
				r->pmtudisc = f->pmtu;
			}
			takes = false;
		}
		if (!takes)
			continue;
		if (!strcmp(k, "help"))
			return -1;
		if (!strcmp(k, "nokeepalive")) {
			r->has_ka = true;
			r->ka_period = 0;
			continue;
		}
		if (!strcmp(k, "noprobe")) {
			r->has_probe = true;
			r->probe_addr = 0;
			continue;
		}
		if (!val)
			return usage_err("\"%s\" needs an argument", k);
		i++;
		if (!strcmp(k, "dev")) {
			if (resolve_dev(val, "dev", &r->parent))
				return EXIT_FAIL;
			r->has_parent = true;
		} else if (!strcmp(k, "vlan")) {
			if (parse_u32(val, "vlan", 0, 4094, &v))
				return EXIT_USAGE;
			r->vlan = v;
			r->has_vlan = true;
		} else if (!strcmp(k, "remote")) {
			if (parse_addr(val, "remote", &r->remote))
				return EXIT_USAGE;
			r->has_remote = true;
		} else if (!strcmp(k, "local")) {
			r->has_local = true;
			if (!strcmp(val, "inherit"))
				r->local_inherit = true;
			else if (parse_addr(val, "local", &r->local))
				return EXIT_USAGE;
		} else if (!strcmp(k, "key") || !strcmp(k, "ikey") || !strcmp(k, "okey")) {
			if (parse_key(val, k, &v))
				return EXIT_USAGE;
			if (k[0] != 'o') {
				r->ikey = v;
				r->has_ikey = true;
				flags_set(r, NGRE_F_KEY, 0);
			}
			if (k[0] != 'i') {
				r->okey = v;
				r->has_okey = true;
				flags_set(r, 0, NGRE_F_KEY);
			}
		} else if (!strcmp(k, "ttl")) {
			r->has_ttl = true;
			v = 0;
			if (strcmp(val, "inherit") && parse_u32(val, "ttl", 1, 255, &v))
				return EXIT_USAGE;
			r->ttl = v;
		} else if (!strcmp(k, "tos")) {
			r->has_tos = true;
			r->tos_inherit = !strcmp(val, "inherit");
			v = 0;
			if (!r->tos_inherit && parse_u32(val, "tos", 0, 255, &v))
				return EXIT_USAGE;
			r->tos = v;
		} else if (!strcmp(k, "keepalive")) {
			/* keepalive PERIOD RETRIES, as on Cisco's routers */
			if (parse_u32(val, "keepalive PERIOD", 1, 32767, &v))
				return EXIT_USAGE;
			r->ka_period = v;
			if (i + 1 >= argc)
				return usage_err("\"keepalive\" needs PERIOD and RETRIES");
			if (parse_u32(argv[++i], "keepalive RETRIES", 1, 255, &v))
				return EXIT_USAGE;
			r->ka_retries = v;
			r->has_ka = true;
		} else if (!strcmp(k, "probe")) {
			if (parse_addr(val, "probe", &r->probe_addr))
				return EXIT_USAGE;
			r->has_probe = true;
		} else if (!strcmp(k, "interval")) {
			if (parse_u32(val, "interval", 1, 32767, &v))
				return EXIT_USAGE;
			r->probe_interval = v;
			r->has_interval = true;
		} else if (!strcmp(k, "retries")) {
			if (parse_u32(val, "retries", 1, 255, &v))
				return EXIT_USAGE;
			r->probe_retries = v;
			r->has_retries = true;
		} else if (!strcmp(k, "mtu")) {
			r->mtu = 0;	/* auto: follow the VLAN device */
			if (strcmp(val, "auto") &&
			    parse_u32(val, "mtu", 68, 65535, &r->mtu))
				return EXIT_USAGE;
			r->has_mtu = true;
		} else {
			return usage_err("unknown option \"%s\"", k);
		}
	}
	if ((r->has_interval || r->has_retries) && !(r->has_probe && r->probe_addr))
		return usage_err("\"interval\" and \"retries\" go with \"probe ADDR\"");
	if (add && !r->has_parent)
		return usage_err("\"dev\" is required");
	if (add && !r->has_remote)
		return usage_err("\"remote\" is required");
	/* A fixed TTL needs DF (the kernel's rule); a new tunnel asking for
	 * nopmtudisc without a TTL gets ttl inherit, as with ip-tunnel.
	 */
	if (add && r->has_pmtu && !r->pmtudisc && !r->has_ttl) {
		r->has_ttl = true;
		r->ttl = 0;
	}
	return 0;
}

/* A change of GRE flags: @set on, @clr off, the others as they are. */
static void put_flags(struct nlmsghdr *nlh, uint16_t type, uint32_t set, uint32_t clr)
{
	struct nla_bitfield32 bf = { .value = set, .selector = set | clr };

	if (bf.selector)
		mnl_attr_put(nlh, type, sizeof(bf), &bf);
}

static void put_req(struct nlmsghdr *nlh, const struct req *r)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NGRE_A_TUNNEL);

	mnl_attr_put_strz(nlh, NGRE_TUNNEL_A_IFNAME, r->name);
	if (r->has_parent)
		mnl_attr_put_u32(nlh, NGRE_TUNNEL_A_PARENT, r->parent);
	if (r->has_vlan)
		mnl_attr_put_u16(nlh, NGRE_TUNNEL_A_VLAN, r->vlan);
	if (r->has_remote)
		mnl_attr_put_u32(nlh, NGRE_TUNNEL_A_REMOTE, r->remote);
	if (r->has_local && r->local_inherit)
		mnl_attr_put_u8(nlh, NGRE_TUNNEL_A_LOCAL_MODE, NGRE_LOCAL_INHERIT);
	else if (r->has_local)
		mnl_attr_put_u32(nlh, NGRE_TUNNEL_A_LOCAL, r->local);
	put_flags(nlh, NGRE_TUNNEL_A_IFLAGS, r->iset, r->iclr);
	put_flags(nlh, NGRE_TUNNEL_A_OFLAGS, r->oset, r->oclr);
	if (r->has_ikey)
		mnl_attr_put_u32(nlh, NGRE_TUNNEL_A_IKEY, r->ikey);
	if (r->has_okey)
		mnl_attr_put_u32(nlh, NGRE_TUNNEL_A_OKEY, r->okey);
	if (r->has_ttl)
		mnl_attr_put_u8(nlh, NGRE_TUNNEL_A_TTL, r->ttl);
	if (r->has_tos) {
		mnl_attr_put_u8(nlh, NGRE_TUNNEL_A_TOS, r->tos);
		mnl_attr_put_u8(nlh, NGRE_TUNNEL_A_TOS_INHERIT, r->tos_inherit);
	}
	if (r->has_pmtu)
		mnl_attr_put_u8(nlh, NGRE_TUNNEL_A_PMTUDISC, r->pmtudisc);
	if (r->has_mtu)
		mnl_attr_put_u32(nlh, NGRE_TUNNEL_A_MTU, r->mtu);
	if (r->has_ka) {
		mnl_attr_put_u16(nlh, NGRE_TUNNEL_A_KEEPALIVE_PERIOD, r->ka_period);
		if (r->ka_period)
			mnl_attr_put_u8(nlh, NGRE_TUNNEL_A_KEEPALIVE_RETRIES,
					r->ka_retries);
	}
	if (r->has_probe)
		mnl_attr_put_u32(nlh, NGRE_TUNNEL_A_PROBE_ADDR, r->probe_addr);
	if (r->has_interval)
		mnl_attr_put_u16(nlh, NGRE_TUNNEL_A_PROBE_INTERVAL, r->probe_interval);
	if (r->has_retries)
		mnl_attr_put_u8(nlh, NGRE_TUNNEL_A_PROBE_RETRIES, r->probe_retries);
	mnl_attr_nest_end(nlh, nest);
}

/* Report a kernel error; name the tunnel holding a receive key. */
static int report(struct nl *nl, int err, const char *what)
{
	char b[IFNAMSIZ];

	if (err == -EEXIST && nl->has_cookie && if_indextoname(nl->ext_cookie, b)) {
		size_t n = strlen(nl->ext_msg);

		snprintf(nl->ext_msg + n, sizeof(nl->ext_msg) - n, ": held by %s", b);
	}
	return nl_report(nl, err, what);
}

static int tunnel_add_set(struct nl *nl, int argc, char **argv, bool add)
{
	struct req r = { 0 };
	struct nlmsghdr *nlh;
	int err = help_or_none(argc, argv, tunnel_usage);

	if (err >= 0)
		return err;
	r.name = argv[0];
	if (check_ifname(r.name, "NAME"))
		return EXIT_USAGE;
	err = parse_tunnel_args(argc - 1, argv + 1, &r, add);
	if (err < 0) {
		tunnel_usage(stdout);
		return EXIT_OK;
	}
	if (err)
		return err;
	nlh = nl_msg(nl, add ? NGRE_CMD_TUNNEL_NEW : NGRE_CMD_TUNNEL_SET, 0);
	put_req(nlh, &r);
	err = nl_talk(nl, nlh, NULL, NULL);
	return err ? report(nl, err, add ? "tunnel add" : "tunnel set") : EXIT_OK;
}

static int tunnel_add(struct nl *nl, const struct object *o, int argc, char **argv)
{
	return tunnel_add_set(nl, argc, argv, true);
}

static int tunnel_set(struct nl *nl, const struct object *o, int argc, char **argv)
{
	return tunnel_add_set(nl, argc, argv, false);
}

static int show_one(const struct nlmsghdr *nlh, void *data)
{
	return print_tunnel_msg(nlh, NULL);
}

static const struct verb tunnel_verbs[] = {
	{ "add", tunnel_add },
	{ "set", tunnel_set },
	{ "change", tunnel_set },
	{ "delete", object_del },
	{ "show", object_show },
	{ "list", object_show },
	{ NULL, NULL },
};

static const struct object tunnel = {
	.name = "tunnel", .plural = "tunnels", .usage = tunnel_usage,
	.verbs = tunnel_verbs,
	.nest = NGRE_A_TUNNEL, .name_attr = NGRE_TUNNEL_A_IFNAME,
	.get = NGRE_CMD_TUNNEL_GET, .del = NGRE_CMD_TUNNEL_DEL,
	.check_name = check_ifname, .print = show_one,
};

int do_tunnel(struct nl *nl, int argc, char **argv)
{
	return do_object(nl, &tunnel, argc, argv);
}
