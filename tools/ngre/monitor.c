// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: "ngre monitor" prints the events of the ngre family as they
 * happen (tunnels and services), one JSON object each with -j.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "ngre.h"

/*
 * The events, by command: @name is the "event" member in JSON and the
 * tag of a tunnel in text; a service reads "service NAME: @text".
 */
static const struct event {
	uint8_t cmd;
	bool service;
	const char *name, *text;
} events[] = {
	{ NGRE_CMD_TUNNEL_NEW, false, "new", NULL },
	{ NGRE_CMD_TUNNEL_DEL, false, "del", NULL },
	{ NGRE_CMD_TUNNEL_SET, false, "change", NULL },
	{ NGRE_CMD_SERVICE_NEW, true, "new", "new" },
	{ NGRE_CMD_SERVICE_DEL, true, "del", "deleted" },
	{ NGRE_CMD_SERVICE_SET, true, "change", "changed" },
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nl *nl = data;
	const struct event *ev;

	if (nlh->nlmsg_type != nl->family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return MNL_CB_OK;
	for (ev = events; ev < events + ARRAY_SIZE(events); ev++) {
		if (ev->cmd != g->cmd)
			continue;
		dev_names_forget();
		if (ev->service)
			print_service_event(nlh, ev->name, ev->text);
		else
			print_tunnel_msg(nlh, ev->name);
		fflush(stdout);
		break;
	}
	return MNL_CB_OK;
}

int do_monitor(struct nl *nl, int argc, char **argv)
{
	int ret, rcvbuf = 1024 * 1024;
	uint32_t grp;

	if (argc > 0) {
		if (matches(argv[0], "help")) {
			printf("Usage: ngre monitor\n");
			return EXIT_OK;
		}
		return usage_err("unknown monitor argument \"%s\"", argv[0]);
	}
	if (nl_ready(nl))
		return EXIT_FAIL;
	grp = nl->mcgrp_events;
	if (!grp ||
	    mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp))) {
		fprintf(stderr, "Error: monitor: cannot join the events group: %s\n",
			strerror(grp ? errno : ENOENT));
		return EXIT_FAIL;
	}
	/* Room for bursts, as ip monitor has (rtnl_open()): a change of
	 * many tunnels at once should not overflow the socket.
	 */
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
		   &rcvbuf, sizeof(rcvbuf));
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		ret = nl_recv(nl);
		if (ret == -EINTR)
			continue;
		/* ENOBUFS: events were lost; say so and go on. */
		if (ret == -ENOBUFS) {
			fprintf(stderr, "Warning: monitor: events lost\n");
			continue;
		}
		if (ret < 0) {
			fprintf(stderr, "ngre: monitor: %s\n", strerror(-ret));
			return EXIT_FAIL;
		}
		mnl_cb_run(nl->buf, ret, 0, 0, event_cb, nl);
	}
}
