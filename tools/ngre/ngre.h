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

#define NGRE_CLI_VERSION "0.1.0"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

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
	/* The last dump was interrupted by a change (NLM_F_DUMP_INTR). */
	bool dump_intr;
};

int nl_ready(struct nl *nl);
void nl_close(struct nl *nl);
struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags);
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int nl_report(struct nl *nl, int err, const char *what);

/* json.c: a minimal JSON writer on stdout. */
void jw_open(char c);
void jw_close(char c);
void jw_key(const char *key);
void jw_str(const char *key, const char *val);
void jw_uint(const char *key, uint64_t val);
void jw_bool(const char *key, bool val);
void jw_null(const char *key);

/* tunnel.c */
int do_tunnel(struct nl *nl, int argc, char **argv);
int do_config(struct nl *nl, int argc, char **argv);
int print_tunnel_msg(const struct nlmsghdr *nlh, const char *event);

/* stats.c */
int do_stats(struct nl *nl, int argc, char **argv);

/* monitor.c */
int do_monitor(struct nl *nl, int argc, char **argv);

/* Error helpers. */
int usage_err(const char *fmt, ...);
bool matches(const char *arg, const char *full);

#endif /* NGRE_CLI_H */
