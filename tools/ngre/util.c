// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: helpers the objects share: help, parsing arguments (numbers,
 * addresses, prefixes, protocols, device names), printing protocols and
 * devices, and a nest holding a name.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "ngre.h"

/*
 * No argument (a usage error) or "help" first: print @usage and return
 * the exit status.  -1: there is work to do.
 */
int help_or_none(int argc, char **argv, void (*usage)(FILE *f))
{
	if (argc >= 1 && strcmp(argv[0], "help"))
		return -1;
	usage(argc < 1 ? stderr : stdout);
	return argc < 1 ? EXIT_USAGE : EXIT_OK;
}

/* A number in C notation (decimal, 0x..., 0...); false if not in range. */
static bool number(const char *arg, uint64_t min, uint64_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || v < min || v > max || arg[0] == '-')
		return false;
	*out = v;
	return true;
}

int parse_u32(const char *arg, const char *what, uint64_t min, uint64_t max,
	      uint32_t *out)
{
	if (number(arg, min, max, out))
		return 0;
	return usage_err("invalid value \"%s\" for \"%s\": expected %llu..%llu",
			 arg, what, (unsigned long long)min,
			 (unsigned long long)max);
}

/* "N" or "N1-N2" (N1 <= N2), each in @min..@max. */
int parse_range(const char *arg, const char *what, uint32_t min, uint32_t max,
		uint32_t *lo, uint32_t *hi)
{
	char buf[24], *dash;

	snprintf(buf, sizeof(buf), "%s", arg);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (strlen(arg) < sizeof(buf) && number(buf, min, max, lo) &&
	    number(dash ? dash : buf, min, max, hi) && *lo <= *hi)
		return 0;
	return usage_err("invalid value \"%s\" for \"%s\": expected %s, %u..%u",
			 arg, what, "N or N1-N2 (N1 <= N2)", min, max);
}

int parse_addr(const char *arg, const char *what, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, arg, &a) != 1)
		return usage_err("invalid IPv4 address \"%s\" for \"%s\"", arg, what);
	*out = a.s_addr;
	return 0;
}

/* The length of a prefix: 1 or 2 decimal digits, 0..32. */
static bool prefix_len(const char *s, unsigned long *n)
{
	size_t digits = strspn(s, "0123456789");

	if (!digits || digits > 2 || s[digits])
		return false;
	*n = strtoul(s, NULL, 10);
	return *n <= 32;
}

/* A.B.C.D/N (A.B.C.D alone: /32), without host bits set. */
int parse_prefix(const char *arg, const char *what, uint32_t *addr, uint8_t *len)
{
	char buf[INET_ADDRSTRLEN + 3], *slash = NULL;
	unsigned long n = 32;
	uint32_t mask;

	if (strlen(arg) < sizeof(buf)) {
		memcpy(buf, arg, strlen(arg) + 1);
		slash = strchr(buf, '/');
		if (slash)
			*slash = '\0';
	}
	if (strlen(arg) >= sizeof(buf) || (slash && !prefix_len(slash + 1, &n)) ||
	    inet_pton(AF_INET, buf, addr) != 1)
		return usage_err("invalid prefix \"%s\" for \"%s\": expected A.B.C.D/0..32",
				 arg, what);
	mask = n ? htonl(~0U << (32 - n)) : 0;
	if (*addr & ~mask)
		return usage_err("prefix \"%s\" for \"%s\" has host bits set (%s/%lu?)",
				 arg, what, ip4(*addr & mask, buf), n);
	*len = n;
	return 0;
}

/* The IP protocols known by name. */
static const struct {
	const char *name;
	uint8_t num;
} protos[] = {
	{ "icmp", IPPROTO_ICMP },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
};

/* A protocol: a name of protos[] or a number, 1..255. */
int parse_proto(const char *arg, const char *what, uint8_t *out)
{
	unsigned int i;
	uint32_t v;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		if (!strcmp(arg, protos[i].name)) {
			*out = protos[i].num;
			return 0;
		}
	}
	if (!number(arg, 1, 255, &v))
		return usage_err("invalid protocol \"%s\" for \"%s\": expected %s",
				 arg, what, "tcp, udp, icmp or 1..255");
	*out = v;
	return 0;
}

/* The name of protocol @p, or NULL if it has none. */
static const char *proto_name(uint8_t p)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		if (protos[i].num == p)
			return protos[i].name;
	}
	return NULL;
}

/*
 * Protocol @p: in JSON its name (a string) or its number, in text its
 * name or its number with @fmt ("%s").
 */
void print_proto(enum output_type t, const char *key, const char *fmt, uint8_t p)
{
	const char *name = proto_name(p);
	char buf[4];	/* "255" */

	if (name) {
		print_string(t, key, fmt, name);
		return;
	}
	print_uint(t & PRINT_JSON, key, NULL, p);
	snprintf(buf, sizeof(buf), "%u", p);
	print_string(t & PRINT_FP, NULL, fmt, buf);
}

/* The protocols whose packets carry ports (the kernel's list). */
bool proto_has_ports(uint8_t p)
{
	return p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_SCTP ||
	       p == IPPROTO_UDPLITE || p == IPPROTO_DCCP;
}

const char *ip4(uint32_t addr, char *buf)
{
	return inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
}

/*
 * The name of device @ifindex, looked up once per show: a session dump
 * names three devices per session, and a table may hold millions of
 * sessions through a handful of devices.  Forgotten before each show and
 * each event (batch mode runs several, and names may change in between).
 * The name stays valid until the next lookup.
 */
#define DEV_CACHE	16
static struct {
	uint32_t ifindex;
	char name[IFNAMSIZ];
} dev_cache[DEV_CACHE];

void dev_names_forget(void)
{
	memset(dev_cache, 0, sizeof(dev_cache));
}

/* @ifindex is not 0; a device that does not exist reads as its number. */
static const char *dev_name(uint32_t ifindex)
{
	typeof(dev_cache[0]) *c = &dev_cache[ifindex % DEV_CACHE];

	if (c->ifindex == ifindex)
		return c->name;
	c->ifindex = ifindex;
	if (!if_indextoname(ifindex, c->name))
		snprintf(c->name, IFNAMSIZ, "%u", ifindex);
	return c->name;
}

/*
 * Device @ifindex: its name, or in JSON null for none (as every absent
 * value) and in text "none".
 */
void print_dev(enum output_type t, const char *key, const char *fmt,
	       uint32_t ifindex)
{
	if (ifindex)
		print_string(t, key, fmt, dev_name(ifindex));
	else
		print_null(t, key, fmt, "none");
}

/* A device name the kernel could take: non-zero (and said) if not. */
int check_ifname(const char *name, const char *what)
{
	if (!name[0])
		return usage_err("empty device name for \"%s\"", what);
	if (strlen(name) < IFNAMSIZ)
		return 0;
	return usage_err("\"%s\" for \"%s\" is too long for a device name (%d at most)",
			 name, what, IFNAMSIZ - 1);
}

/* The index of an existing device: EXIT_FAIL (and said) if none. */
int resolve_dev(const char *name, const char *what, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (*ifindex)
		return 0;
	fprintf(stderr, "Error: \"%s\": no device \"%s\"\n", what, name);
	return EXIT_FAIL;
}

/* The top-level attribute @type of an ngre message, or NULL. */
const struct nlattr *reply_nest(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == type &&
		    mnl_attr_validate(a, MNL_TYPE_NESTED) >= 0)
			return a;
	}
	return NULL;
}

/*
 * Whether @a, an attribute of a nest whose types @policy gives (@n of
 * them), may be read: a type this tool knows (a newer module's are
 * skipped) whose payload is as long as that type needs.  Nothing the
 * kernel sends is read unchecked.
 */
bool attr_ok(const struct nlattr *a, const enum mnl_attr_data_type *policy,
	     unsigned int n)
{
	unsigned int type = mnl_attr_get_type(a);

	return type < n && policy[type] != MNL_TYPE_UNSPEC &&
	       mnl_attr_validate(a, policy[type]) >= 0;
}

/* A nest @nest holding the string attribute @type: how objects are named. */
void put_name(struct nlmsghdr *nlh, uint16_t nest, uint16_t type, const char *name)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, nest);

	mnl_attr_put_strz(nlh, type, name);
	mnl_attr_nest_end(nlh, n);
}
