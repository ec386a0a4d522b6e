// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: the generic netlink socket, family lookup, and requests whose
 * errors carry the kernel's extended ACK.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "ngre.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct family_info {
	uint16_t id;
	uint32_t version;
	uint32_t mcgrp_events;
};

static const enum mnl_attr_data_type grp_policy[] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GRP_ID]	= MNL_TYPE_U32,
};

static const enum mnl_attr_data_type family_policy[] = {
	[CTRL_ATTR_FAMILY_ID]		= MNL_TYPE_U16,
	[CTRL_ATTR_VERSION]		= MNL_TYPE_U32,
	[CTRL_ATTR_MCAST_GROUPS]	= MNL_TYPE_NESTED,
};

static int family_grp_cb(const struct nlattr *attr, struct family_info *fi)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, attr) {
		if (!attr_ok(a, grp_policy, ARRAY_SIZE(grp_policy)))
			continue;
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
			id = mnl_attr_get_u32(a);
	}
	if (name && !strcmp(name, NGRE_MCGRP_EVENTS))
		fi->mcgrp_events = id;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_info *fi = data;
	const struct nlattr *a, *g;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (!attr_ok(a, family_policy, ARRAY_SIZE(family_policy)))
			continue;
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			fi->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			fi->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(g, a)
				family_grp_cb(g, fi);
			break;
		}
	}
	return MNL_CB_OK;
}

/* What the callbacks of one request see. */
struct talk {
	struct nl *nl;
	uint16_t type;		/* the family asked */
	mnl_cb_t cb;
	void *data;
	bool ended;		/* the ACK, error or DONE came */
};

/* Answers of the family asked, their headers whole, go to the caller. */
static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (nlh->nlmsg_type != t->type)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	t->nl->answers++;
	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/*
 * Where the extack attributes of an error start, or 0 if its header
 * claims more than the message holds.  Unless capped, the request comes
 * back first, as long as its own header says.
 */
static size_t err_tlv_offset(const struct nlmsghdr *nlh,
			     const struct nlmsgerr *e)
{
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return 0;
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	return off <= mnl_nlmsg_get_payload_len(nlh) ? off : 0;
}

/*
 * The errno of the kernel's error code (negative) in an answer, which
 * makes the request refused; EPROTO if the code is none (a broken
 * answer, not a refusal).
 */
static int refusal(struct nl *nl, int code)
{
	bool kernel = code < 0 && code >= -4095;

	if (kernel)
		nl->refused = true;
	return kernel ? -code : EPROTO;
}

/* The extack message and cookie of an NLMSG_ERROR, into @nl. */
static void err_tlvs(struct nl *nl, const struct nlmsghdr *nlh,
		     const struct nlmsgerr *e)
{
	size_t off = err_tlv_offset(nlh, e);
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !off)
		return;
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0) {
			snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
				 mnl_attr_get_str(a));
		} else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_COOKIE &&
			   mnl_attr_get_payload_len(a) == sizeof(uint32_t)) {
			memcpy(&nl->ext_cookie, mnl_attr_get_payload(a),
			       sizeof(uint32_t));
			nl->has_cookie = true;
		}
	}
}

/*
 * NLMSG_ERROR: keep the extack message and cookie.  0 is an ACK, whose
 * message is the kernel's warning on a request it carried out: printed,
 * as ip prints them.
 */
static int err_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct nl *nl = ((struct talk *)data)->nl;

	((struct talk *)data)->ended = true;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	err_tlvs(nl, nlh, e);
	if (!e->error) {
		if (nl->ext_msg[0])
			fprintf(stderr, "Warning: %s\n", nl->ext_msg);
		return MNL_CB_STOP;
	}
	errno = refusal(nl, e->error);
	return MNL_CB_ERROR;
}

/* NLMSG_DONE ends a dump; it carries the dump's error, if any. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err = 0;

	t->ended = true;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err < 0) {
		errno = refusal(t->nl, err);
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP]	= noop_cb,
	[NLMSG_ERROR]	= err_cb,
	[NLMSG_DONE]	= done_cb,
	[NLMSG_OVERRUN]	= noop_cb,
};

static struct nlmsghdr *nl_put_hdr(struct nl *nl, uint16_t type, uint8_t cmd,
				   uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/*
 * Every message of an answer (@len bytes in nl->buf) lies within it.
 * libmnl's own check reads a length above 2 GiB as negative, and would
 * step out of the buffer.
 */
static bool answer_framed(const struct nl *nl, size_t len)
{
	const struct nlmsghdr *nlh;
	size_t off = 0;

	while (off < len) {
		nlh = (const struct nlmsghdr *)(nl->buf + off);
		if (len - off < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
		    nlh->nlmsg_len > len - off)
			return false;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return true;
}

/* Receive into nl->buf: its length, or a negative errno. */
int nl_recv(struct nl *nl)
{
	int ret = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));

	if (ret < 0)
		return -errno;
	return answer_framed(nl, ret) ? ret : -EBADMSG;
}

/*
 * The dump changed under us: the kernel says so on any message of it.
 * libmnl fails at the first such message (EINTR) and leaves the rest of
 * the dump unread; take the flag off, so that the dump is read to its
 * end, and keep it in nl->dump_intr.
 */
static void take_dump_intr(struct nl *nl, int len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)nl->buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
			nl->dump_intr = true;
		}
	}
}

/*
 * A request of the ngre family in nl->buf.  The socket is opened on first
 * use, so that help and usage errors need no module; without the family
 * the CLI can do nothing, and exits.
 */
struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	if (nl_ready(nl))
		exit(EXIT_FAIL);
	return nl_put_hdr(nl, nl->family, cmd, NGRE_GENL_VERSION, flags);
}

/* Send @nlh and read its answers (nl_talk()). */
static int talk_answers(struct nl *nl, struct nlmsghdr *nlh, struct talk *t)
{
	unsigned int portid = mnl_socket_get_portid(nl->sock);
	uint32_t seq = nlh->nlmsg_seq;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ret = nl_recv(nl);
		if (ret < 0)
			return ret;
		take_dump_intr(nl, ret);
		ret = mnl_cb_run2(nl->buf, ret, seq, portid, data_cb, t,
				  ctl_cbs, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR && errno == 0)
			return -EIO;
		if (ret <= MNL_CB_STOP)
			return ret == MNL_CB_ERROR ? -errno : 0;
	}
}

/* The socket, opened again: bound, with extended ACKs.  0 or -1. */
static int nl_open(struct nl *nl)
{
	int one = 1;

	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->stale = false;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return -1;
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	return 0;
}

/*
 * Send @nlh and read the answers, each to @cb, up to the ACK, the end of
 * a dump or an error.  Returns 0 or a negative errno; the extack of an
 * error is in nl->ext_msg.  An answer left half read (a malformed one, a
 * callback's error) would meet the next request (-batch): the socket is
 * opened again before it.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct talk t = {
		.nl = nl, .type = nlh->nlmsg_type, .cb = cb, .data = data,
	};
	int err;

	nl->ext_msg[0] = '\0';
	nl->has_cookie = false;
	nl->refused = false;
	nl->dump_intr = false;
	nl->answers = 0;
	if (nl->stale && nl_open(nl))
		return -errno;
	err = talk_answers(nl, nlh, &t);
	nl->stale = !t.ended;
	return err;
}

/*
 * nl_talk() for a request answered with one message: none is ENODATA,
 * more than one EPROTO.
 */
int nl_talk_one(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	int err = nl_talk(nl, nlh, cb, data);

	if (err || nl->answers == 1)
		return err;
	return nl->answers ? -EPROTO : -ENODATA;
}

/*
 * Print "Error: what: extack-or-strerror" for the error @err of the last
 * request; the exit status: EXIT_REFUSED if the kernel refused it, else
 * EXIT_FAIL.
 */
int nl_report(struct nl *nl, int err, const char *what)
{
	fprintf(stderr, "Error: %s: %s", what,
		nl->ext_msg[0] ? nl->ext_msg : strerror(-err));
	if (nl->ext_msg[0] && err)
		fprintf(stderr, " (%s)", strerror(-err));
	fputc('\n', stderr);
	return nl->refused ? EXIT_REFUSED : EXIT_FAIL;
}

/* Open the socket and look the family up, once; 0 or -1 (reported). */
int nl_ready(struct nl *nl)
{
	struct family_info fi = { 0 };
	struct nlmsghdr *nlh;
	int err;

	if (nl->family)
		return 0;
	if (nl->sock)
		return -1;	/* failed before, and said so */
	nl->seq = time(NULL);
	if (nl_open(nl)) {
		perror("ngre: netlink socket");
		return -1;
	}

	nlh = nl_put_hdr(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NGRE_GENL_NAME);
	err = nl_talk(nl, nlh, family_cb, &fi);
	if (err || !fi.id) {
		fprintf(stderr,
			"ngre: the ngre netlink family is not available (is the module loaded?): %s\n",
			strerror(err ? -err : ENOENT));
		return -1;
	}
	/* Another version's attributes mean other things: an old module
	 * still loaded after an upgrade, for one.
	 */
	if (fi.version != NGRE_GENL_VERSION) {
		fprintf(stderr,
			"ngre: the loaded ngre module has version %u of the ngre netlink family, this ngre needs version %u (reload the module)\n",
			fi.version, NGRE_GENL_VERSION);
		return -1;
	}
	nl->family = fi.id;
	nl->mcgrp_events = fi.mcgrp_events;
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
}

/*
 * One answer of a show: open the JSON array (or print the text header)
 * at the first, so that an error prints nothing on stdout.
 */
static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show *s = data;

	if (!s->started) {
		open_json_array(NULL);
		if (!opts.json && s->head)
			s->head();
		s->started = true;
	}
	return s->print(nlh, NULL);
}

/*
 * Send the GET @nlh and print its answers; in JSON an array, empty if
 * there are none.  A dump that failed still prints valid JSON (what came
 * before the error; a GET of one object that failed prints nothing, as
 * ip's does).  A dump that changed while it ran is an error.  Returns
 * the exit status.
 */
int nl_show(struct nl *nl, struct nlmsghdr *nlh, struct show *s)
{
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int err;

	s->started = false;
	dev_names_forget();
	if (dump)
		err = nl_talk(nl, nlh, show_cb, s);
	else
		err = nl_talk_one(nl, nlh, show_cb, s);
	if (!err || dump || s->started) {
		if (!s->started)
			open_json_array(NULL);
		close_json_array();
	}
	if (err)
		return nl_report(nl, err, s->what);
	if (nl->dump_intr) {
		fprintf(stderr,
			"Error: %s: the %s changed during the dump; it may be inconsistent, try again\n",
			s->what, s->objects);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
