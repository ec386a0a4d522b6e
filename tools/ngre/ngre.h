/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ngre CLI: shared declarations.
 */
#ifndef NGRE_CLI_H
#define NGRE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ngre.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses, as ip(8) has them. */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* the tool could not do its work */
#define EXIT_REFUSED	2	/* the kernel refused the request */
#define EXIT_USAGE	255	/* a usage error: ip's exit(-1) */

/* Global options. */
struct opts {
	bool json;
	bool pretty;
	bool stats;
	bool details;
};

extern struct opts opts;

/* nl.c: a generic netlink socket talking to the ngre family. */
struct nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t mcgrp_events;
	uint32_t seq;
	char buf[65536];
	/* From the last error: the kernel's extack message and cookie. */
	char ext_msg[256];
	uint32_t ext_cookie;
	bool has_cookie;
	/* The last request's error was the kernel's answer to it (an
	 * NLMSG_ERROR or a dump's NLMSG_DONE), not the tool's own.
	 */
	bool refused;
	/* The last dump was interrupted by a change (NLM_F_DUMP_INTR). */
	bool dump_intr;
	/* Messages of the family asked that the last request's answer held. */
	unsigned int answers;
	/* The last answer was left half read: open the socket again. */
	bool stale;
};

int nl_ready(struct nl *nl);
void nl_close(struct nl *nl);
struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags);
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int nl_talk_one(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int nl_recv(struct nl *nl);
int nl_report(struct nl *nl, int err, const char *what);

/* A show command: the answers to a GET, printed one by one. */
struct show {
	const char *what;	/* "tunnel show": errors name it */
	const char *objects;	/* "tunnels": what a dump may see change */
	mnl_cb_t print;		/* prints the object of one message */
	void (*head)(void);	/* text: before the first object, or NULL */
	bool started;		/* an object was printed */
};

int nl_show(struct nl *nl, struct nlmsghdr *nlh, struct show *s);

/* json.c: a minimal JSON writer on stdout, under print.c. */
void jw_open(char c);
void jw_close(char c);
void jw_key(const char *key);
void jw_str(const char *key, const char *val);
void jw_uint(const char *key, uint64_t val);
void jw_bool(const char *key, bool val);
void jw_null(const char *key);

/* print.c: one function prints an object for text and for JSON. */
enum output_type {
	PRINT_FP = 1,		/* text only */
	PRINT_JSON = 2,		/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
void print_null(enum output_type t, const char *key, const char *fmt,
		const char *value);
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);
void print_nl(void);

/* util.c: helpers the objects share. */
int help_or_none(int argc, char **argv, void (*usage)(FILE *f));
int parse_u32(const char *arg, const char *what, uint64_t min, uint64_t max,
	      uint32_t *out);
int parse_range(const char *arg, const char *what, uint32_t min, uint32_t max,
		uint32_t *lo, uint32_t *hi);
int parse_addr(const char *arg, const char *what, uint32_t *out);
int parse_prefix(const char *arg, const char *what, uint32_t *addr, uint8_t *len);
int parse_proto(const char *arg, const char *what, uint8_t *out);
void print_proto(enum output_type t, const char *key, const char *fmt, uint8_t p);
bool proto_has_ports(uint8_t p);
const char *ip4(uint32_t addr, char *buf);
void dev_names_forget(void);
void print_dev(enum output_type t, const char *key, const char *fmt,
	       uint32_t ifindex);
int check_ifname(const char *name, const char *what);
int resolve_dev(const char *name, const char *what, uint32_t *ifindex);
const struct nlattr *reply_nest(const struct nlmsghdr *nlh, uint16_t type);
bool attr_ok(const struct nlattr *a, const enum mnl_attr_data_type *policy,
	     unsigned int n);
void put_name(struct nlmsghdr *nlh, uint16_t nest, uint16_t type, const char *name);

/* object.c: an object of the command line, and its commands. */
struct object;

struct verb {
	const char *word;	/* "add": matched abbreviated, in order */
	int (*run)(struct nl *nl, const struct object *o, int argc, char **argv);
};

struct object {
	const char *name;		/* "tunnel" */
	const char *plural;		/* "tunnels" */
	void (*usage)(FILE *f);
	const struct verb *verbs;	/* ended by one without a word */
	/* Objects named by a string (object_del, object_show): */
	uint16_t nest, name_attr;	/* NGRE_A_TUNNEL, NGRE_TUNNEL_A_IFNAME */
	uint8_t get, del;		/* NGRE_CMD_TUNNEL_GET, _DEL */
	int (*check_name)(const char *name, const char *what);
	mnl_cb_t print;			/* prints one GET answer */
};

int do_object(struct nl *nl, const struct object *o, int argc, char **argv);
int object_del(struct nl *nl, const struct object *o, int argc, char **argv);
int object_show(struct nl *nl, const struct object *o, int argc, char **argv);

/* tunnel.c */
int do_tunnel(struct nl *nl, int argc, char **argv);
int print_tunnel_msg(const struct nlmsghdr *nlh, const char *event);

/* service.c */
int do_service(struct nl *nl, int argc, char **argv);
int print_service_event(const struct nlmsghdr *nlh, const char *event,
			const char *text);
int check_service_name(const char *name, const char *what);

/* session.c */
int do_session(struct nl *nl, int argc, char **argv);

/* config.c */
int do_config(struct nl *nl, int argc, char **argv);

/* stats.c */
int do_stats(struct nl *nl, int argc, char **argv);

/* monitor.c */
int do_monitor(struct nl *nl, int argc, char **argv);

/* Error helpers. */
int usage_err(const char *fmt, ...);
bool matches(const char *arg, const char *full);

#endif /* NGRE_CLI_H */
