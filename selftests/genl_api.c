// SPDX-License-Identifier: GPL-2.0
/*
 * The ngre generic netlink family driven directly (libnl-genl-3),
 * independently of the CLI: every command, events, permissions (also from
 * a user namespace), namespace isolation, malformed requests, each
 * answered with an error and an extended ACK message, a seeded fuzzer,
 * and (on the debug kernel) each allocation of a request failing in turn,
 * and of a tunnel's refresh.
 *
 * Each test runs in a process of its own (the harness forks) and in a
 * network namespace of its own, with a veth pair eth0/eth1 as parents.
 * Needs root and the module loaded (genl_api.sh loads it).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/ngre.h>

#include "kselftest_harness.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/* The answer to one request. */
struct answer {
	bool done;
	int err;			/* 0 or a negative errno */
	char msg[256];			/* extack message */
	int miss_type;			/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	bool has_offs;			/* NLMSGERR_ATTR_OFFS present */
	__u32 offs;			/* its offset into the request */
	int offs_type;			/* the type of the attribute there, or -1 */
	bool has_cookie;
	__u32 cookie;
	int n_msgs;			/* data messages received */
	bool dump_intr;			/* a message had NLM_F_DUMP_INTR */
	/* The attributes of the last NGRE_A_TUNNEL nest received. */
	struct nlattr *tun[NGRE_TUNNEL_A_MAX + 1];
	struct nl_msg *last;		/* holds tun's memory */
	__u8 cmd;			/* of the last data message */
	__u32 config[NGRE_CONFIG_A_MAX + 1];
	int ifindexes[512];
	/* STATS_GET: the counters, and how many came. */
	__u64 stats[NGRE_STATS_A_MAX + 1];
	int n_stats;
};

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct answer *a = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *top[NGRE_A_MAX + 1], *c[NGRE_CONFIG_A_MAX + 1];
	int i;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		a->dump_intr = true;
	if (genlmsg_parse(nlh, 0, top, NGRE_A_MAX, NULL))
		return NL_SKIP;
	a->cmd = g->cmd;
	if (top[NGRE_A_TUNNEL]) {
		if (a->last)
			nlmsg_free(a->last);
		nlmsg_get(msg);
		a->last = msg;
		nla_parse_nested(a->tun, NGRE_TUNNEL_A_MAX, top[NGRE_A_TUNNEL], NULL);
		if (a->tun[NGRE_TUNNEL_A_IFINDEX] && a->n_msgs < 512)
			a->ifindexes[a->n_msgs] = nla_get_u32(a->tun[NGRE_TUNNEL_A_IFINDEX]);
	}
	if (top[NGRE_A_CONFIG]) {
		nla_parse_nested(c, NGRE_CONFIG_A_MAX, top[NGRE_A_CONFIG], NULL);
		for (i = 1; i <= NGRE_CONFIG_A_MAX; i++)
			a->config[i] = c[i] ? nla_get_u32(c[i]) : 0;
	}
	if (top[NGRE_A_STATS]) {
		struct nlattr *st;
		int rem;

		a->n_stats = 0;
		nla_for_each_nested(st, top[NGRE_A_STATS], rem) {
			if (nla_type(st) > NGRE_STATS_A_UNSPEC &&
			    nla_type(st) != NGRE_STATS_A_PAD &&
			    nla_type(st) <= NGRE_STATS_A_MAX && nla_len(st) == 8) {
				a->stats[nla_type(st)] = nla_get_u64(st);
				a->n_stats++;
			}
		}
	}
	a->n_msgs++;
	return NL_OK;
}

/* NLMSG_ERROR with an error: its code and extended ACK attributes. */
static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct answer *a = arg;
	struct nlattr *attr;
	int off, rem;

	a->err = e->error;
	a->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - off;
	nla_for_each_attr(attr, (struct nlattr *)((char *)e + NLA_ALIGN(off)), rem, rem) {
		switch (nla_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			snprintf(a->msg, sizeof(a->msg), "%s", (char *)nla_data(attr));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			a->miss_type = nla_get_u32(attr);
			break;
		case NLMSGERR_ATTR_OFFS:
			a->has_offs = nla_len(attr) == sizeof(__u32);
			if (a->has_offs)
				a->offs = nla_get_u32(attr);
			break;
		case NLMSGERR_ATTR_COOKIE:
			if (nla_len(attr) == sizeof(__u32)) {
				memcpy(&a->cookie, nla_data(attr), sizeof(__u32));
				a->has_cookie = true;
			}
			break;
		}
	}
	return NL_STOP;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	((struct answer *)arg)->done = true;
	return NL_STOP;
}

/* A test's netlink socket, the family, the parents and the last answer. */
struct ctx {
	struct nl_sock *sk;
	int family;
	int eth0, eth1;
	struct answer a;
};

FIXTURE(ngre) {
	struct ctx c;
};

/* A socket of netlink @protocol that asks for extended ACKs without the
 * request, and never waits more than 10 s for an answer; or NULL.
 */
static struct nl_sock *netlink_socket(int protocol)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct timeval tv = { .tv_sec = 10 };
	int one = 1;

	if (!sk)
		return NULL;
	if (nl_connect(sk, protocol)) {
		nl_socket_free(sk);
		return NULL;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Never wait forever for an answer. */
	setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return sk;
}

static struct nl_sock *ngre_socket(void)
{
	return netlink_socket(NETLINK_GENERIC);
}

/* @cx for the current namespace: its socket, the family, eth0 and eth1.
 * 0, or -1 without a socket or the family.
 */
static int ctx_open(struct ctx *cx)
{
	cx->eth0 = if_nametoindex("eth0");
	cx->eth1 = if_nametoindex("eth1");
	cx->sk = ngre_socket();
	if (!cx->sk)
		return -1;
	cx->family = genl_ctrl_resolve(cx->sk, NGRE_GENL_NAME);
	return cx->family > 0 ? 0 : -1;
}

FIXTURE_SETUP(ngre)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system("ip link add eth0 type veth peer name eth1"));
	ASSERT_EQ(0, system("ip link set eth0 up && ip link set eth1 up"));
	ASSERT_EQ(0, ctx_open(&self->c))
		TH_LOG("no socket, or the ngre family is not registered");
	ASSERT_NE(0, self->c.eth0);
}

/* Write @s to the file @path (proc, sysfs, debugfs); 0 or -1. */
static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -1;
	err = fputs(s, f) < 0;
	return fclose(f) || err ? -1 : 0;
}

static void fi_stop(void);

FIXTURE_TEARDOWN(ngre)
{
	fi_stop();
	if (self->c.a.last)
		nlmsg_free(self->c.a.last);
	nl_socket_free(self->c.sk);
}

/* A request of @cmd; attributes are added by the caller. */
static struct nl_msg *req(int family, __u8 cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
		    flags | NLM_F_ACK, cmd, NGRE_GENL_VERSION);
	return m;
}

/* Send @m (freed) on @sk and collect the answer in @a; returns a->err. */
/*
 * Fault injection (the debug kernel's fail-nth): while a test injects, the
 * thread's fail-nth file, the N of the request being sent, and after it
 * whether its Nth allocation came.
 */
static struct {
	int fd;
	int n;
	bool injected;
} fi = { .fd = -1 };

static void fail_nth_set(int n)
{
	char s[16];
	int l = snprintf(s, sizeof(s), "%d", n);

	if (pwrite(fi.fd, s, l, 0) != l)
		abort();
}

/* The remainder of the count: 0 once the failure was injected. */
static int fail_nth_left(void)
{
	char s[16] = "";

	if (pread(fi.fd, s, sizeof(s) - 1, 0) <= 0)
		abort();
	return atoi(s);
}

/* Send @m (freed) on @sk and collect the answer in @a; returns a->err.
 * With fi.n set, the Nth allocation of the send fails: the kernel handles
 * the request and makes its answer within sendmsg(), and nothing else.
 */
static int talk(struct nl_sock *sk, struct nl_msg *m, struct answer *a)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	static char sent[4096];
	__u32 sent_len;
	int ret;

	if (a->last)
		nlmsg_free(a->last);
	memset(a, 0, sizeof(*a));
	a->miss_type = -1;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, a);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, finish_cb, a);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, a);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, a);
	a->offs_type = -1;
	nl_complete_msg(sk, m);
	/* A copy of the request: the ACK does not hold it (NETLINK_CAP_ACK). */
	sent_len = nlmsg_hdr(m)->nlmsg_len;
	if (sent_len > sizeof(sent))
		sent_len = sizeof(sent);
	memcpy(sent, nlmsg_hdr(m), sent_len);
	if (fi.n)
		fail_nth_set(fi.n);
	ret = nl_send(sk, m);
	if (fi.n) {
		fi.injected = !fail_nth_left();
		fail_nth_set(0);
	}
	nlmsg_free(m);
	while (ret >= 0 && !a->done)
		ret = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (ret < 0 && !a->err)
		a->err = -EIO;
	if (a->has_offs && a->offs >= NLMSG_HDRLEN &&
	    a->offs <= sent_len - NLA_HDRLEN)
		a->offs_type = nla_type((struct nlattr *)(sent + a->offs));
	return a->err;
}

static void put_tunnel(struct nl_msg *m, const char *name, int parent,
		       const char *remote)
{
	struct nlattr *n = nla_nest_start(m, NGRE_A_TUNNEL);

	if (name)
		nla_put_string(m, NGRE_TUNNEL_A_IFNAME, name);
	if (parent)
		nla_put_u32(m, NGRE_TUNNEL_A_PARENT, parent);
	if (remote)
		nla_put_u32(m, NGRE_TUNNEL_A_REMOTE, inet_addr(remote));
	nla_nest_end(m, n);
}

/* A change of GRE flags: those of @selector set to their bits in @value. */
static void put_flags(struct nl_msg *m, int type, __u32 value, __u32 selector)
{
	struct nla_bitfield32 bf = { .value = value, .selector = selector };

	nla_put(m, type, sizeof(bf), &bf);
}

/* The bitfield32 of GRE flags @type in the last tunnel answered. */
static struct nla_bitfield32 tun_flags(const struct ctx *cx, int type)
{
	struct nla_bitfield32 bf = { .value = ~0U, .selector = 0 };

	if (cx->a.tun[type] && nla_len(cx->a.tun[type]) == sizeof(bf))
		memcpy(&bf, nla_data(cx->a.tun[type]), sizeof(bf));
	return bf;
}

static int tunnel_new(struct ctx *cx, const char *name, const char *remote)
{
	struct nl_msg *m = req(cx->family, NGRE_CMD_TUNNEL_NEW, 0);

	put_tunnel(m, name, cx->eth0, remote);
	return talk(cx->sk, m, &cx->a);
}

static int tunnel_get(struct ctx *cx, const char *name)
{
	struct nl_msg *m = req(cx->family, NGRE_CMD_TUNNEL_GET, 0);

	put_tunnel(m, name, 0, NULL);
	return talk(cx->sk, m, &cx->a);
}

/* SET @name's TTL to @ttl. */
static int tunnel_set_ttl(struct ctx *cx, const char *name, __u8 ttl)
{
	struct nl_msg *m = req(cx->family, NGRE_CMD_TUNNEL_SET, 0);
	struct nlattr *n = nla_nest_start(m, NGRE_A_TUNNEL);

	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, name);
	nla_put_u8(m, NGRE_TUNNEL_A_TTL, ttl);
	nla_nest_end(m, n);
	return talk(cx->sk, m, &cx->a);
}

static int tunnel_del(struct ctx *cx, const char *name)
{
	struct nl_msg *m = req(cx->family, NGRE_CMD_TUNNEL_DEL, 0);

	put_tunnel(m, name, 0, NULL);
	return talk(cx->sk, m, &cx->a);
}

/* CONFIG_SET of one u32 attribute. */
static int config_set(struct ctx *cx, int attr, __u32 val)
{
	struct nl_msg *m = req(cx->family, NGRE_CMD_CONFIG_SET, 0);
	struct nlattr *n = nla_nest_start(m, NGRE_A_CONFIG);

	nla_put_u32(m, attr, val);
	nla_nest_end(m, n);
	return talk(cx->sk, m, &cx->a);
}

/* CONFIG_GET; the answer is in cx->a.config. */
static int config_get(struct ctx *cx)
{
	return talk(cx->sk, req(cx->family, NGRE_CMD_CONFIG_GET, 0), &cx->a);
}

#define TUN_U32(cx, attr) nla_get_u32((cx)->a.tun[attr])
#define TUN_U8(cx, attr) nla_get_u8((cx)->a.tun[attr])

/* @msg contains @substr, or @substr is NULL. */
static bool has_substr(const char *msg, const char *substr)
{
	return !substr || strstr(msg, substr);
}

/* Each case's limit only catches a hang: the debug kernel under TCG on a
 * busy machine is many times slower than the 30 s the harness assumes.
 */
#define CASE_TIMEOUT 500

/* The last answer of @cx is error @want_err with an extack message
 * containing @substr (NULL: any message).
 */
#define ASSERT_ERR_MSG(want_err, cx, substr) do {			\
	const struct answer *__a = &(cx)->a;				\
									\
	ASSERT_EQ(want_err, __a->err) TH_LOG("extack: %s", __a->msg);	\
	ASSERT_NE(0, __a->msg[0]) TH_LOG("no extack message");		\
	ASSERT_TRUE(has_substr(__a->msg, substr))			\
		TH_LOG("extack %s", __a->msg);				\
} while (0)

TEST_F_TIMEOUT(ngre, lifecycle, CASE_TIMEOUT)
{
	struct nl_msg *m;
	struct nlattr *n;
	int ifindex;

	m = req(self->c.family, NGRE_CMD_TUNNEL_NEW, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, "gt0");
	nla_put_u32(m, NGRE_TUNNEL_A_PARENT, self->c.eth0);
	nla_put_u32(m, NGRE_TUNNEL_A_REMOTE, inet_addr("198.51.100.1"));
	nla_put_u32(m, NGRE_TUNNEL_A_LOCAL, inet_addr("192.0.2.1"));
	put_flags(m, NGRE_TUNNEL_A_IFLAGS, NGRE_F_KEY, NGRE_F_ALL);
	put_flags(m, NGRE_TUNNEL_A_OFLAGS, NGRE_F_KEY | NGRE_F_CSUM, NGRE_F_KEY | NGRE_F_CSUM);
	nla_put_u32(m, NGRE_TUNNEL_A_IKEY, 5);
	nla_put_u32(m, NGRE_TUNNEL_A_OKEY, 6);
	nla_put_u8(m, NGRE_TUNNEL_A_TTL, 30);
	nla_nest_end(m, n);
	ASSERT_EQ(0, talk(self->c.sk, m, &self->c.a)) TH_LOG("%s", self->c.a.msg);

	ASSERT_EQ(0, tunnel_get(&self->c, "gt0"));
	ASSERT_EQ(1, self->c.a.n_msgs);
	ASSERT_EQ(NGRE_CMD_TUNNEL_GET, self->c.a.cmd);
	ifindex = if_nametoindex("gt0");
	ASSERT_NE(0, ifindex);
	EXPECT_EQ(ifindex, TUN_U32(&self->c, NGRE_TUNNEL_A_IFINDEX));
	EXPECT_STREQ("gt0", nla_get_string(self->c.a.tun[NGRE_TUNNEL_A_IFNAME]));
	EXPECT_EQ(self->c.eth0, TUN_U32(&self->c, NGRE_TUNNEL_A_PARENT));
	EXPECT_EQ(0, nla_get_u16(self->c.a.tun[NGRE_TUNNEL_A_VLAN]));
	EXPECT_EQ(self->c.eth0, TUN_U32(&self->c, NGRE_TUNNEL_A_LINK));
	EXPECT_EQ(NGRE_LOCAL_CUSTOM, TUN_U8(&self->c, NGRE_TUNNEL_A_LOCAL_MODE));
	EXPECT_EQ(inet_addr("192.0.2.1"), TUN_U32(&self->c, NGRE_TUNNEL_A_LOCAL));
	EXPECT_EQ(inet_addr("198.51.100.1"), TUN_U32(&self->c, NGRE_TUNNEL_A_REMOTE));
	/* Flags come as the value, every flag selected. */
	EXPECT_EQ(NGRE_F_KEY, tun_flags(&self->c, NGRE_TUNNEL_A_IFLAGS).value);
	EXPECT_EQ(NGRE_F_ALL, tun_flags(&self->c, NGRE_TUNNEL_A_IFLAGS).selector);
	EXPECT_EQ(NGRE_F_KEY | NGRE_F_CSUM,
		  tun_flags(&self->c, NGRE_TUNNEL_A_OFLAGS).value);
	EXPECT_EQ(NGRE_F_ALL, tun_flags(&self->c, NGRE_TUNNEL_A_OFLAGS).selector);
	EXPECT_EQ(5, TUN_U32(&self->c, NGRE_TUNNEL_A_IKEY));
	EXPECT_EQ(6, TUN_U32(&self->c, NGRE_TUNNEL_A_OKEY));
	EXPECT_EQ(30, TUN_U8(&self->c, NGRE_TUNNEL_A_TTL));
	EXPECT_EQ(0, TUN_U8(&self->c, NGRE_TUNNEL_A_TOS_INHERIT));
	EXPECT_EQ(1, TUN_U8(&self->c, NGRE_TUNNEL_A_PMTUDISC));
	/* 1500 - 20 (IPv4) - 4 (GRE) - 4 (key) - 4 (checksum) */
	EXPECT_EQ(1468, TUN_U32(&self->c, NGRE_TUNNEL_A_MTU));
	EXPECT_EQ(0, TUN_U8(&self->c, NGRE_TUNNEL_A_OPERSTATE));
	EXPECT_EQ(NGRE_DOWN_ADMIN, TUN_U8(&self->c, NGRE_TUNNEL_A_DOWN_REASON));
	EXPECT_NE(NULL, self->c.a.tun[NGRE_TUNNEL_A_STATS]);

	/* Up: operational (custom source, eth0 has carrier). */
	ASSERT_EQ(0, system("ip link set gt0 up"));
	ASSERT_EQ(0, tunnel_get(&self->c, "gt0"));
	EXPECT_EQ(1, TUN_U8(&self->c, NGRE_TUNNEL_A_OPERSTATE));
	EXPECT_EQ(NGRE_DOWN_NONE, TUN_U8(&self->c, NGRE_TUNNEL_A_DOWN_REASON));

	/* SET by ifindex changes only what it names. */
	m = req(self->c.family, NGRE_CMD_TUNNEL_SET, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_u32(m, NGRE_TUNNEL_A_IFINDEX, ifindex);
	nla_put_u8(m, NGRE_TUNNEL_A_TTL, 40);
	nla_put_u32(m, NGRE_TUNNEL_A_MTU, 1400);
	nla_nest_end(m, n);
	ASSERT_EQ(0, talk(self->c.sk, m, &self->c.a)) TH_LOG("%s", self->c.a.msg);
	ASSERT_EQ(0, tunnel_get(&self->c, "gt0"));
	EXPECT_EQ(40, TUN_U8(&self->c, NGRE_TUNNEL_A_TTL));
	EXPECT_EQ(1400, TUN_U32(&self->c, NGRE_TUNNEL_A_MTU));
	EXPECT_EQ(5, TUN_U32(&self->c, NGRE_TUNNEL_A_IKEY));

	/* DEL by name; then it is gone. */
	ASSERT_EQ(0, tunnel_del(&self->c, "gt0")) TH_LOG("%s", self->c.a.msg);
	EXPECT_EQ(0, if_nametoindex("gt0"));
	tunnel_get(&self->c, "gt0");
	ASSERT_ERR_MSG(-ENODEV, &self->c, "no such ngre tunnel");
	EXPECT_TRUE(self->c.a.has_offs);
}

/* Enough tunnels for the dump to take several messages and rounds;
 * consistent when nothing changes, flagged when something does.
 */
TEST_F_TIMEOUT(ngre, dump, CASE_TIMEOUT)
{
	char name[IFNAMSIZ], remote[32], buf[8192];
	int i, j, n, rounds = 0, intr_round = 0;
	struct nlmsghdr *nlh;
	struct nl_sock *sk;
	bool done = false;
	struct nl_msg *m;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "gt%d", i);
		snprintf(remote, sizeof(remote), "198.51.%d.%d", 100 + i / 250, 1 + i % 250);
		ASSERT_EQ(0, tunnel_new(&self->c, name, remote))
			TH_LOG("%s: %s", name, self->c.a.msg);
	}
	m = req(self->c.family, NGRE_CMD_TUNNEL_GET, NLM_F_DUMP);
	ASSERT_EQ(0, talk(self->c.sk, m, &self->c.a));
	ASSERT_EQ(300, self->c.a.n_msgs);
	EXPECT_FALSE(self->c.a.dump_intr);
	for (i = 0; i < 300; i++)
		for (j = 0; j < i; j++)
			ASSERT_NE(self->c.a.ifindexes[i], self->c.a.ifindexes[j]);

	/* CONFIG_GET counts them. */
	ASSERT_EQ(0, config_get(&self->c));
	EXPECT_EQ(300, self->c.a.config[NGRE_CONFIG_A_TUNNELS]);

	/*
	 * A tunnel deleted while the dump is under way: the rounds after
	 * it are flagged NLM_F_DUMP_INTR.  Read round by round on a fresh
	 * socket with an 8 KiB buffer (about 40 tunnels a round); the
	 * kernel makes the first round when the request comes and the next
	 * one as each is read, so the third round follows the deletion.
	 */
	sk = nl_socket_alloc();
	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, genl_connect(sk));
	m = req(self->c.family, NGRE_CMD_TUNNEL_GET, NLM_F_DUMP);
	ASSERT_LT(0, nl_send_auto(sk, m));
	nlmsg_free(m);
	while (!done) {
		n = recv(nl_socket_get_fd(sk), buf, sizeof(buf), MSG_TRUNC);
		ASSERT_LT(0, n);
		ASSERT_GE((int)sizeof(buf), n);
		if (++rounds == 1)
			ASSERT_EQ(0, tunnel_del(&self->c, "gt299"));
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			ASSERT_NE(NLMSG_ERROR, nlh->nlmsg_type);
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr_round = intr_round ?: rounds;
			if (nlh->nlmsg_type == NLMSG_DONE)
				done = true;
		}
	}
	nl_socket_free(sk);
	EXPECT_LE(4, rounds);
	EXPECT_EQ(3, intr_round);
}

/* STATS_GET: every counter, all 0 in a new namespace; no attribute may
 * come with the request.
 */
TEST_F_TIMEOUT(ngre, stats, CASE_TIMEOUT)
{
	struct nl_msg *m;
	int i;

	ASSERT_EQ(0, talk(self->c.sk, req(self->c.family, NGRE_CMD_STATS_GET, 0),
			  &self->c.a));
	EXPECT_EQ(NGRE_CMD_STATS_GET, self->c.a.cmd);
	/* Every counter but UNSPEC and PAD; they continue after PAD. */
	EXPECT_EQ(NGRE_STATS_A_MAX - 1, self->c.a.n_stats);
	for (i = NGRE_STATS_A_UNSPEC + 1; i <= NGRE_STATS_A_MAX; i++)
		EXPECT_EQ(0, self->c.a.stats[i]) TH_LOG("counter %d", i);

	m = req(self->c.family, NGRE_CMD_STATS_GET, 0);
	nla_put_u32(m, NGRE_A_STATS, 1);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-EINVAL, &self->c, NULL);
}

TEST_F_TIMEOUT(ngre, config, CASE_TIMEOUT)
{
	ASSERT_EQ(0, config_get(&self->c));
	EXPECT_EQ(4096, self->c.a.config[NGRE_CONFIG_A_MAX_TUNNELS]);
	EXPECT_EQ(0, self->c.a.config[NGRE_CONFIG_A_TUNNELS]);

	ASSERT_EQ(0, config_set(&self->c, NGRE_CONFIG_A_MAX_TUNNELS, 1))
		TH_LOG("%s", self->c.a.msg);
	ASSERT_EQ(0, tunnel_new(&self->c, "gt0", "198.51.100.1"));
	tunnel_new(&self->c, "gt1", "198.51.100.2");
	ASSERT_ERR_MSG(-ENOSPC, &self->c, "limit");
	EXPECT_EQ(0, if_nametoindex("gt1"));

	/* Out of range: 0 and one over the limit's limit; it stays 1. */
	config_set(&self->c, NGRE_CONFIG_A_MAX_TUNNELS, 0);
	ASSERT_ERR_MSG(-ERANGE, &self->c, NULL);
	EXPECT_TRUE(self->c.a.has_offs);
	config_set(&self->c, NGRE_CONFIG_A_MAX_TUNNELS,
		   NGRE_MAX_TUNNELS_LIMIT + 1);
	ASSERT_ERR_MSG(-ERANGE, &self->c, NULL);
	ASSERT_EQ(0, config_get(&self->c));
	EXPECT_EQ(1, self->c.a.config[NGRE_CONFIG_A_MAX_TUNNELS]);

	/* The count is read-only. */
	config_set(&self->c, NGRE_CONFIG_A_TUNNELS, 7);
	ASSERT_ERR_MSG(-EINVAL, &self->c, NULL);
}

/* One malformed TUNNEL_NEW: built by @fill, answered by @err and a message
 * containing @substr (NULL: any message); nothing is created.
 */
struct bad_case {
	const char *what;
	void (*fill)(struct nl_msg *m, int parent);
	int err;
	const char *substr;
	int miss_type;			/* expected, or -1 */
};

static void bad_no_nest(struct nl_msg *m, int parent)
{
}

static void bad_flat_nest(struct nl_msg *m, int parent)
{
	nla_put_u32(m, NGRE_A_TUNNEL, 1);
}

static void bad_other_nest(struct nl_msg *m, int parent)
{
	struct nlattr *n = nla_nest_start(m, NGRE_A_CONFIG);

	nla_put_u32(m, NGRE_CONFIG_A_MAX_TUNNELS, 5);
	nla_nest_end(m, n);
}

static void bad_unknown_top(struct nl_msg *m, int parent)
{
	put_tunnel(m, "gtx", parent, "198.51.100.9");
	nla_put_u32(m, NGRE_A_MAX + 1, 1);
}

/* A valid tunnel nest with one more attribute of the given shape. */
#define BAD_EXTRA(fn, stmt)						\
static void fn(struct nl_msg *m, int parent)				\
{									\
	struct nlattr *n = nla_nest_start(m, NGRE_A_TUNNEL);		\
	char b[8] = { 0 };						\
									\
	(void)b;							\
	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, "gtx");			\
	nla_put_u32(m, NGRE_TUNNEL_A_PARENT, parent);			\
	nla_put_u32(m, NGRE_TUNNEL_A_REMOTE, inet_addr("198.51.100.9"));	\
	stmt;								\
	nla_nest_end(m, n);						\
}

BAD_EXTRA(bad_unknown_attr, nla_put_u32(m, NGRE_TUNNEL_A_MAX + 5, 1))
BAD_EXTRA(bad_short_u32, nla_put(m, NGRE_TUNNEL_A_MTU, 2, b))
BAD_EXTRA(bad_long_u8, nla_put(m, NGRE_TUNNEL_A_TTL, 4, b))
BAD_EXTRA(bad_vlan_4095, nla_put_u16(m, NGRE_TUNNEL_A_VLAN, 4095))
BAD_EXTRA(bad_flag_bit, put_flags(m, NGRE_TUNNEL_A_IFLAGS, 0x8, NGRE_F_ALL))
BAD_EXTRA(bad_selector_bit, put_flags(m, NGRE_TUNNEL_A_OFLAGS, 0, 0x8))
BAD_EXTRA(bad_flag_unselected,
	  put_flags(m, NGRE_TUNNEL_A_IFLAGS, NGRE_F_CSUM, NGRE_F_SEQ))
BAD_EXTRA(bad_flags_u32, nla_put_u32(m, NGRE_TUNNEL_A_OFLAGS, NGRE_F_CSUM))
BAD_EXTRA(bad_ro_oper, nla_put_u8(m, NGRE_TUNNEL_A_OPERSTATE, 1))
BAD_EXTRA(bad_ro_link, nla_put_u32(m, NGRE_TUNNEL_A_LINK, 1))
BAD_EXTRA(bad_ifindex, nla_put_u32(m, NGRE_TUNNEL_A_IFINDEX, 77))
BAD_EXTRA(bad_local_mode, nla_put_u8(m, NGRE_TUNNEL_A_LOCAL_MODE, 2))
BAD_EXTRA(bad_pmtudisc, nla_put_u8(m, NGRE_TUNNEL_A_PMTUDISC, 2))
BAD_EXTRA(bad_mtu_small, nla_put_u32(m, NGRE_TUNNEL_A_MTU, 67))
BAD_EXTRA(bad_mtu_big, nla_put_u32(m, NGRE_TUNNEL_A_MTU, 1501))
BAD_EXTRA(bad_local_bcast, nla_put_u32(m, NGRE_TUNNEL_A_LOCAL, 0xffffffff))
BAD_EXTRA(bad_nopmtudisc, nla_put_u8(m, NGRE_TUNNEL_A_PMTUDISC, 0))

static void bad_name_unterminated(struct nl_msg *m, int parent)
{
	struct nlattr *n = nla_nest_start(m, NGRE_A_TUNNEL);

	nla_put(m, NGRE_TUNNEL_A_IFNAME, 3, "gtx");
	nla_put_u32(m, NGRE_TUNNEL_A_PARENT, parent);
	nla_put_u32(m, NGRE_TUNNEL_A_REMOTE, inet_addr("198.51.100.9"));
	nla_nest_end(m, n);
}

static void bad_name_long(struct nl_msg *m, int parent)
{
	put_tunnel(m, "gt_name_far_too_long", parent, "198.51.100.9");
}

static void bad_name_template(struct nl_msg *m, int parent)
{
	put_tunnel(m, "gt%d", parent, "198.51.100.9");
}

static void bad_no_remote(struct nl_msg *m, int parent)
{
	put_tunnel(m, "gtx", parent, NULL);
}

static void bad_mcast_remote(struct nl_msg *m, int parent)
{
	put_tunnel(m, "gtx", parent, "224.0.0.5");
}

static void bad_no_parent_dev(struct nl_msg *m, int parent)
{
	put_tunnel(m, "gtx", 9999, "198.51.100.9");
}

static void bad_loopback_parent(struct nl_msg *m, int parent)
{
	put_tunnel(m, "gtx", 1, "198.51.100.9");
}

static const struct bad_case bad_cases[] = {
	{ "no tunnel nest", bad_no_nest, -EINVAL, "missing the tunnel nest", NGRE_A_TUNNEL },
	{ "tunnel nest not a nest", bad_flat_nest, -EINVAL, NULL, -1 },
	{ "config nest in a tunnel request", bad_other_nest, -EINVAL, NULL, -1 },
	{ "unknown top-level attribute", bad_unknown_top, -EINVAL, NULL, -1 },
	{ "unknown tunnel attribute", bad_unknown_attr, -EINVAL, NULL, -1 },
	{ "u32 of 2 bytes", bad_short_u32, -EINVAL, NULL, -1 },
	{ "u8 of 4 bytes", bad_long_u8, -EINVAL, NULL, -1 },
	{ "vlan 4095", bad_vlan_4095, -ERANGE, NULL, -1 },
	{ "unknown flag bit", bad_flag_bit, -EINVAL, "failed policy validation", -1 },
	{ "unknown flag in the selector", bad_selector_bit, -EINVAL,
	  "failed policy validation", -1 },
	{ "flag value outside the selector", bad_flag_unselected, -EINVAL,
	  "failed policy validation", -1 },
	{ "flags as a u32 (version 1)", bad_flags_u32, -ERANGE,
	  "failed policy validation", -1 },
	{ "read-only operstate", bad_ro_oper, -EINVAL, NULL, -1 },
	{ "read-only link", bad_ro_link, -EINVAL, NULL, -1 },
	{ "ifindex in NEW", bad_ifindex, -EINVAL, "ifindex cannot be chosen", -1 },
	{ "local_mode 2", bad_local_mode, -ERANGE, NULL, -1 },
	{ "pmtudisc 2", bad_pmtudisc, -ERANGE, NULL, -1 },
	{ "mtu 67", bad_mtu_small, -ERANGE, "mtu must be", -1 },
	{ "mtu above the link's", bad_mtu_big, -ERANGE, "mtu must be", -1 },
	{ "broadcast local", bad_local_bcast, -EINVAL, "local must be a unicast", -1 },
	{ "nopmtudisc with ttl", bad_nopmtudisc, -EINVAL, "nopmtudisc needs ttl inherit", -1 },
	{ "ifname not terminated", bad_name_unterminated, -EINVAL, NULL, -1 },
	{ "ifname too long", bad_name_long, -EINVAL, NULL, -1 },
	{ "ifname template", bad_name_template, -EINVAL, "invalid device name", -1 },
	{ "no remote", bad_no_remote, -EINVAL, "required", NGRE_TUNNEL_A_REMOTE },
	{ "multicast remote", bad_mcast_remote, -EINVAL, "remote must be a unicast", -1 },
	{ "no such parent", bad_no_parent_dev, -ENODEV, "parent device not found", -1 },
	{ "loopback parent", bad_loopback_parent, -EINVAL, "parent must be", -1 },
};

TEST_F_TIMEOUT(ngre, malformed, CASE_TIMEOUT)
{
	const struct bad_case *c;
	struct nl_msg *m;

	for (c = bad_cases; c < bad_cases + ARRAY_SIZE(bad_cases); c++) {
		m = req(self->c.family, NGRE_CMD_TUNNEL_NEW, 0);
		c->fill(m, self->c.eth0);
		talk(self->c.sk, m, &self->c.a);
		TH_LOG("%s: %d '%s'", c->what, self->c.a.err, self->c.a.msg);
		ASSERT_EQ(c->err, self->c.a.err) TH_LOG("%s", c->what);
		ASSERT_NE(0, self->c.a.msg[0]) TH_LOG("%s: no extack message", c->what);
		ASSERT_TRUE(has_substr(self->c.a.msg, c->substr))
			TH_LOG("%s: extack lacks '%s'", c->what, c->substr);
		if (c->miss_type >= 0)
			ASSERT_EQ(c->miss_type, self->c.a.miss_type) TH_LOG("%s", c->what);
		ASSERT_EQ(0, if_nametoindex("gtx")) TH_LOG("%s created it", c->what);
	}
	ASSERT_EQ(0, config_get(&self->c));
	EXPECT_EQ(0, self->c.a.config[NGRE_CONFIG_A_TUNNELS]);
}

/* SET of gt0 with the flag changes given (a zero selector: none). */
static int tunnel_set_flags(struct ctx *cx, __u32 ival, __u32 isel,
			    __u32 oval, __u32 osel)
{
	struct nl_msg *m = req(cx->family, NGRE_CMD_TUNNEL_SET, 0);
	struct nlattr *n = nla_nest_start(m, NGRE_A_TUNNEL);

	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, "gt0");
	if (isel)
		put_flags(m, NGRE_TUNNEL_A_IFLAGS, ival, isel);
	if (osel)
		put_flags(m, NGRE_TUNNEL_A_OFLAGS, oval, osel);
	nla_nest_end(m, n);
	return talk(cx->sk, m, &cx->a);
}

/* gt0's flags and keys are @ifl, @ofl, @ikey and @okey. */
#define ASSERT_GT0(cx, ifl, ofl, ikey, okey) do {			\
	struct ctx *__cx = (cx);					\
									\
	ASSERT_EQ(0, tunnel_get(__cx, "gt0"));				\
	EXPECT_EQ(ifl, tun_flags(__cx, NGRE_TUNNEL_A_IFLAGS).value);	\
	EXPECT_EQ(ofl, tun_flags(__cx, NGRE_TUNNEL_A_OFLAGS).value);	\
	EXPECT_EQ(NGRE_F_ALL, tun_flags(__cx, NGRE_TUNNEL_A_IFLAGS).selector); \
	EXPECT_EQ(NGRE_F_ALL, tun_flags(__cx, NGRE_TUNNEL_A_OFLAGS).selector); \
	EXPECT_EQ(ikey, TUN_U32(__cx, NGRE_TUNNEL_A_IKEY));		\
	EXPECT_EQ(okey, TUN_U32(__cx, NGRE_TUNNEL_A_OKEY));		\
} while (0)

/*
 * The flags of a request are a change: the selected flags take their
 * values and the others stay, so two clients changing different flags do
 * not undo each other.  Bad changes are refused and change nothing.
 */
TEST_F_TIMEOUT(ngre, flags_change, CASE_TIMEOUT)
{
	const __u32 kcs = NGRE_F_KEY | NGRE_F_CSUM | NGRE_F_SEQ;
	struct nl_msg *m;
	struct nlattr *n;

	m = req(self->c.family, NGRE_CMD_TUNNEL_NEW, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, "gt0");
	nla_put_u32(m, NGRE_TUNNEL_A_PARENT, self->c.eth0);
	nla_put_u32(m, NGRE_TUNNEL_A_REMOTE, inet_addr("198.51.100.1"));
	/* In NEW the unselected flags are those of a new tunnel: off. */
	put_flags(m, NGRE_TUNNEL_A_IFLAGS, NGRE_F_KEY | NGRE_F_CSUM,
		  NGRE_F_KEY | NGRE_F_CSUM);
	put_flags(m, NGRE_TUNNEL_A_OFLAGS, NGRE_F_KEY | NGRE_F_SEQ, NGRE_F_ALL);
	nla_put_u32(m, NGRE_TUNNEL_A_IKEY, 5);
	nla_put_u32(m, NGRE_TUNNEL_A_OKEY, 6);
	nla_nest_end(m, n);
	ASSERT_EQ(0, talk(self->c.sk, m, &self->c.a)) TH_LOG("%s", self->c.a.msg);
	ASSERT_GT0(&self->c, NGRE_F_KEY | NGRE_F_CSUM, NGRE_F_KEY | NGRE_F_SEQ, 5, 6);

	/* Receive without csum, transmit with it; key and seq untouched. */
	ASSERT_EQ(0, tunnel_set_flags(&self->c, 0, NGRE_F_CSUM,
				      NGRE_F_CSUM, NGRE_F_CSUM));
	ASSERT_GT0(&self->c, NGRE_F_KEY, kcs, 5, 6);

	/* Two clients, one after the other, as their requests may come:
	 * one turns seq on for receive, the other csum off for transmit.  Each
	 * keeps the other's change.
	 */
	ASSERT_EQ(0, tunnel_set_flags(&self->c, NGRE_F_SEQ, NGRE_F_SEQ, 0, 0));
	ASSERT_EQ(0, tunnel_set_flags(&self->c, 0, 0, 0, NGRE_F_CSUM));
	ASSERT_GT0(&self->c, NGRE_F_KEY | NGRE_F_SEQ, NGRE_F_KEY | NGRE_F_SEQ, 5, 6);

	/* A flag selected with its value already: no change. */
	ASSERT_EQ(0, tunnel_set_flags(&self->c, NGRE_F_SEQ, NGRE_F_SEQ, 0, NGRE_F_CSUM));
	ASSERT_GT0(&self->c, NGRE_F_KEY | NGRE_F_SEQ, NGRE_F_KEY | NGRE_F_SEQ, 5, 6);

	/* An empty selector changes nothing either. */
	m = req(self->c.family, NGRE_CMD_TUNNEL_SET, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, "gt0");
	put_flags(m, NGRE_TUNNEL_A_IFLAGS, 0, 0);
	nla_nest_end(m, n);
	ASSERT_EQ(0, talk(self->c.sk, m, &self->c.a)) TH_LOG("%s", self->c.a.msg);
	ASSERT_GT0(&self->c, NGRE_F_KEY | NGRE_F_SEQ, NGRE_F_KEY | NGRE_F_SEQ, 5, 6);

	/* Bad changes, each with a good one beside it: refused, naming the
	 * attribute, and nothing of the request is done.
	 */
	tunnel_set_flags(&self->c, 0, NGRE_F_KEY, 0x8, NGRE_F_ALL);
	ASSERT_ERR_MSG(-EINVAL, &self->c, "failed policy validation");
	EXPECT_EQ(NGRE_TUNNEL_A_OFLAGS, self->c.a.offs_type);
	tunnel_set_flags(&self->c, 0, 0x8 | NGRE_F_KEY, 0, NGRE_F_KEY);
	ASSERT_ERR_MSG(-EINVAL, &self->c, "failed policy validation");
	EXPECT_EQ(NGRE_TUNNEL_A_IFLAGS, self->c.a.offs_type);
	tunnel_set_flags(&self->c, NGRE_F_CSUM, NGRE_F_KEY, 0, NGRE_F_KEY);
	ASSERT_ERR_MSG(-EINVAL, &self->c, "failed policy validation");
	EXPECT_EQ(NGRE_TUNNEL_A_IFLAGS, self->c.a.offs_type);
	/* The u32 of version 1 (all the flags, absolute). */
	m = req(self->c.family, NGRE_CMD_TUNNEL_SET, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, "gt0");
	put_flags(m, NGRE_TUNNEL_A_IFLAGS, 0, NGRE_F_KEY);
	nla_put_u32(m, NGRE_TUNNEL_A_OFLAGS, 0);
	nla_nest_end(m, n);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-ERANGE, &self->c, "failed policy validation");
	EXPECT_EQ(NGRE_TUNNEL_A_OFLAGS, self->c.a.offs_type);
	ASSERT_GT0(&self->c, NGRE_F_KEY | NGRE_F_SEQ, NGRE_F_KEY | NGRE_F_SEQ, 5, 6);

	/* The key flag off: its key goes with it; the other direction's stays. */
	ASSERT_EQ(0, tunnel_set_flags(&self->c, 0, NGRE_F_KEY, 0, 0));
	ASSERT_GT0(&self->c, NGRE_F_SEQ, NGRE_F_KEY | NGRE_F_SEQ, 0, 6);
}

TEST_F_TIMEOUT(ngre, errors, CASE_TIMEOUT)
{
	struct nl_msg *m;
	struct nlattr *n;
	int holder;

	ASSERT_EQ(0, tunnel_new(&self->c, "gt0", "198.51.100.1"));
	holder = if_nametoindex("gt0");

	/* The same receive key (local inherit on eth0, remote, no key). */
	tunnel_new(&self->c, "gt1", "198.51.100.1");
	ASSERT_ERR_MSG(-EEXIST, &self->c, "already receives");
	ASSERT_TRUE(self->c.a.has_cookie);
	EXPECT_EQ(holder, self->c.a.cookie);

	/* The name of an existing device. */
	tunnel_new(&self->c, "eth1", "198.51.100.2");
	ASSERT_ERR_MSG(-EEXIST, &self->c, "name exists");

	/* DEL of a tunnel not named (libnl drops empty nests: put one
	 * attribute in it).
	 */
	m = req(self->c.family, NGRE_CMD_TUNNEL_DEL, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_u8(m, NGRE_TUNNEL_A_TTL, 9);
	nla_nest_end(m, n);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-EINVAL, &self->c, "tunnel not named");
	EXPECT_EQ(NGRE_TUNNEL_A_IFNAME, self->c.a.miss_type);

	/* GET by ifindex 0 (and no name). */
	m = req(self->c.family, NGRE_CMD_TUNNEL_GET, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_u32(m, NGRE_TUNNEL_A_IFINDEX, 0);
	nla_nest_end(m, n);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-ERANGE, &self->c, NULL);

	/* SET of a non-ngre device; of an unknown one by index. */
	m = req(self->c.family, NGRE_CMD_TUNNEL_SET, 0);
	put_tunnel(m, "eth0", 0, NULL);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-ENODEV, &self->c, "no such ngre tunnel");
	m = req(self->c.family, NGRE_CMD_TUNNEL_SET, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_u32(m, NGRE_TUNNEL_A_IFINDEX, 9999);
	nla_nest_end(m, n);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-ENODEV, &self->c, "no such ngre tunnel");

	/* Renaming through SET. */
	m = req(self->c.family, NGRE_CMD_TUNNEL_SET, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_u32(m, NGRE_TUNNEL_A_IFINDEX, holder);
	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, "gt9");
	nla_nest_end(m, n);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-EINVAL, &self->c, "renaming");

	/* A VLAN that contradicts the VLAN device named as parent. */
	ASSERT_EQ(0, system("ip link add link eth0 name eth0.5 type vlan id 5"));
	m = req(self->c.family, NGRE_CMD_TUNNEL_NEW, 0);
	n = nla_nest_start(m, NGRE_A_TUNNEL);
	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, "gt2");
	nla_put_u32(m, NGRE_TUNNEL_A_PARENT, if_nametoindex("eth0.5"));
	nla_put_u16(m, NGRE_TUNNEL_A_VLAN, 6);
	nla_put_u32(m, NGRE_TUNNEL_A_REMOTE, inet_addr("198.51.100.2"));
	nla_nest_end(m, n);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-EINVAL, &self->c, "vlan differs");

	/* A service request without its nest; an unknown command. */
	m = req(self->c.family, NGRE_CMD_SERVICE_NEW, 0);
	talk(self->c.sk, m, &self->c.a);
	ASSERT_ERR_MSG(-EINVAL, &self->c, "missing the service nest");
	m = req(self->c.family, NGRE_CMD_MAX + 1, 0);
	EXPECT_EQ(-EOPNOTSUPP, talk(self->c.sk, m, &self->c.a));

	/* Nothing of the above changed gt0. */
	ASSERT_EQ(0, tunnel_get(&self->c, "gt0"));
	EXPECT_EQ(64, TUN_U8(&self->c, NGRE_TUNNEL_A_TTL));
	EXPECT_EQ(inet_addr("198.51.100.1"), TUN_U32(&self->c, NGRE_TUNNEL_A_REMOTE));
}

static int any_seq_cb(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

/* Receive one event on @sk into @a; 0, or a negative libnl error (the
 * socket's receive timeout ends the wait).
 */
static int next_event(struct nl_sock *sk, struct answer *a)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (a->last)
		nlmsg_free(a->last);
	memset(a, 0, sizeof(*a));
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, a);
	/* Events are not answers: no sequence number to check. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, any_seq_cb, NULL);
	ret = 0;
	while (ret >= 0 && !a->n_msgs)
		ret = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	return ret < 0 ? ret : 0;
}

TEST_F_TIMEOUT(ngre, events, CASE_TIMEOUT)
{
	struct nl_sock *ev = ngre_socket();
	struct answer e = { 0 };
	int grp;

	ASSERT_NE(NULL, ev);
	grp = genl_ctrl_resolve_grp(self->c.sk, NGRE_GENL_NAME, NGRE_MCGRP_EVENTS);
	ASSERT_LT(0, grp);
	ASSERT_EQ(0, nl_socket_add_membership(ev, grp));

	ASSERT_EQ(0, tunnel_new(&self->c, "gt0", "198.51.100.1"));
	ASSERT_EQ(0, next_event(ev, &e));
	EXPECT_EQ(NGRE_CMD_TUNNEL_NEW, e.cmd);
	EXPECT_STREQ("gt0", nla_get_string(e.tun[NGRE_TUNNEL_A_IFNAME]));

	ASSERT_EQ(0, tunnel_set_ttl(&self->c, "gt0", 9));
	ASSERT_EQ(0, next_event(ev, &e));
	EXPECT_EQ(NGRE_CMD_TUNNEL_SET, e.cmd);
	EXPECT_EQ(9, nla_get_u8(e.tun[NGRE_TUNNEL_A_TTL]));

	/* Oper state: the device going up is announced. */
	ASSERT_EQ(0, system("ip link set gt0 up"));
	ASSERT_EQ(0, next_event(ev, &e));
	EXPECT_EQ(NGRE_CMD_TUNNEL_SET, e.cmd);
	EXPECT_EQ(NGRE_DOWN_NO_ADDRESS, nla_get_u8(e.tun[NGRE_TUNNEL_A_DOWN_REASON]));
	ASSERT_EQ(0, system("ip addr add 192.0.2.1/24 dev eth0"));
	ASSERT_EQ(0, next_event(ev, &e));
	EXPECT_EQ(1, nla_get_u8(e.tun[NGRE_TUNNEL_A_OPERSTATE]));
	EXPECT_EQ(inet_addr("192.0.2.1"), nla_get_u32(e.tun[NGRE_TUNNEL_A_LOCAL]));

	/* A SET that changes nothing announces nothing, and a deletion
	 * announces only itself (not the going down on the way): the next
	 * event is the deletion's.
	 */
	ASSERT_EQ(0, tunnel_set_ttl(&self->c, "gt0", 9));
	ASSERT_EQ(0, tunnel_del(&self->c, "gt0"));
	ASSERT_EQ(0, next_event(ev, &e));
	EXPECT_EQ(NGRE_CMD_TUNNEL_DEL, e.cmd);
	EXPECT_STREQ("gt0", nla_get_string(e.tun[NGRE_TUNNEL_A_IFNAME]));
	if (e.last)
		nlmsg_free(e.last);
	nl_socket_free(ev);
}

/* Drop CAP_NET_ADMIN from this process's effective set. */
static int drop_net_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
	return syscall(SYS_capset, &h, d);
}

TEST_F_TIMEOUT(ngre, permissions, CASE_TIMEOUT)
{
	struct nl_msg *m;

	ASSERT_EQ(0, tunnel_new(&self->c, "gt0", "198.51.100.1"));
	ASSERT_EQ(0, drop_net_admin());

	EXPECT_EQ(-EPERM, tunnel_new(&self->c, "gt1", "198.51.100.2"));
	EXPECT_EQ(-EPERM, tunnel_set_ttl(&self->c, "gt0", 9));
	EXPECT_EQ(-EPERM, tunnel_del(&self->c, "gt0"));
	EXPECT_EQ(-EPERM, config_set(&self->c, NGRE_CONFIG_A_MAX_TUNNELS, 5));

	/* Reading needs no privilege; nothing changed. */
	ASSERT_EQ(0, tunnel_get(&self->c, "gt0"));
	EXPECT_EQ(64, TUN_U8(&self->c, NGRE_TUNNEL_A_TTL));
	m = req(self->c.family, NGRE_CMD_TUNNEL_GET, NLM_F_DUMP);
	ASSERT_EQ(0, talk(self->c.sk, m, &self->c.a));
	EXPECT_EQ(1, self->c.a.n_msgs);
	ASSERT_EQ(0, config_get(&self->c));
	EXPECT_EQ(4096, self->c.a.config[NGRE_CONFIG_A_MAX_TUNNELS]);
}

TEST_F_TIMEOUT(ngre, netns_isolation, CASE_TIMEOUT)
{
	struct nl_sock *other;
	struct answer a = { 0 };
	struct nl_msg *m;
	int family;

	ASSERT_EQ(0, tunnel_new(&self->c, "gt0", "198.51.100.1"));
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	other = ngre_socket();
	ASSERT_NE(NULL, other);
	family = genl_ctrl_resolve(other, NGRE_GENL_NAME);
	ASSERT_LT(0, family);

	m = req(family, NGRE_CMD_TUNNEL_GET, NLM_F_DUMP);
	ASSERT_EQ(0, talk(other, m, &a));
	EXPECT_EQ(0, a.n_msgs);
	m = req(family, NGRE_CMD_TUNNEL_GET, 0);
	put_tunnel(m, "gt0", 0, NULL);
	EXPECT_EQ(-ENODEV, talk(other, m, &a));
	m = req(family, NGRE_CMD_CONFIG_GET, 0);
	ASSERT_EQ(0, talk(other, m, &a));
	EXPECT_EQ(0, a.config[NGRE_CONFIG_A_TUNNELS]);

	/* The first socket still acts on its own namespace. */
	ASSERT_EQ(0, tunnel_get(&self->c, "gt0"));
	if (a.last)
		nlmsg_free(a.last);
	nl_socket_free(other);
}

/* Write @s to /proc/@pid/@file. */
static int write_proc(pid_t pid, const char *file, const char *s)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return write_file(path, s);
}

/*
 * The child of TEST(userns), in a user namespace of its own (root inside
 * is root outside, so that it can run ip): it may not change the
 * namespace it came from, owned by the initial user namespace, nor join
 * its events group, but may read it; in a network namespace it creates
 * (and so its user namespace owns) it may do both.  Returns 0, or the
 * number of the step that went wrong.
 */
static int userns_child(int ready)
{
	struct ctx cx = { 0 };
	char c;
	int grp;

	if (read(ready, &c, 1) != 1)
		return 1;
	if (ctx_open(&cx))
		return 2;
	if (tunnel_new(&cx, "gt1", "198.51.100.2") != -EPERM)
		return 3;
	if (tunnel_set_ttl(&cx, "gt0", 9) != -EPERM ||
	    tunnel_del(&cx, "gt0") != -EPERM ||
	    config_set(&cx, NGRE_CONFIG_A_MAX_TUNNELS, 5) != -EPERM)
		return 4;
	grp = genl_ctrl_resolve_grp(cx.sk, NGRE_GENL_NAME, NGRE_MCGRP_EVENTS);
	if (grp <= 0 || nl_socket_add_membership(cx.sk, grp) != -NLE_PERM)
		return 5;
	if (tunnel_get(&cx, "gt0") ||
	    !cx.a.tun[NGRE_TUNNEL_A_TTL] ||
	    nla_get_u8(cx.a.tun[NGRE_TUNNEL_A_TTL]) != 64)
		return 6;
	nl_socket_free(cx.sk);

	/* A network namespace of its own. */
	if (unshare(CLONE_NEWNET) ||
	    system("ip link add eth0 type veth peer name eth1"))
		return 7;
	if (ctx_open(&cx))
		return 8;
	if (tunnel_new(&cx, "gt2", "198.51.100.3") ||
	    tunnel_set_ttl(&cx, "gt2", 9))
		return 9;
	if (tunnel_del(&cx, "gt2"))
		return 10;
	/* Last: events would come in the way of the requests' answers. */
	grp = genl_ctrl_resolve_grp(cx.sk, NGRE_GENL_NAME, NGRE_MCGRP_EVENTS);
	if (grp <= 0 || nl_socket_add_membership(cx.sk, grp))
		return 11;
	return 0;
}

TEST_F_TIMEOUT(ngre, userns, CASE_TIMEOUT)
{
	int pipefd[2], status;
	pid_t pid;

	ASSERT_EQ(0, tunnel_new(&self->c, "gt0", "198.51.100.1"));
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[1]);
		if (unshare(CLONE_NEWUSER))
			_exit(100);
		_exit(userns_child(pipefd[0]));
	}
	close(pipefd[0]);
	/* Root in the child's user namespace is root: ip runs there with
	 * the capabilities of its user namespace.  (The child unshares
	 * before reading the pipe; wait until it has.)
	 */
	for (status = 0; status < 100; status++) {
		char path[64], own[64], its[64];
		ssize_t a, b;

		snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
		a = readlink(path, its, sizeof(its) - 1);
		b = readlink("/proc/self/ns/user", own, sizeof(own) - 1);
		if (a > 0 && b > 0 && (a != b || memcmp(its, own, a)))
			break;
		usleep(50000);
	}
	ASSERT_EQ(0, write_proc(pid, "setgroups", "deny"));
	ASSERT_EQ(0, write_proc(pid, "gid_map", "0 0 1"));
	ASSERT_EQ(0, write_proc(pid, "uid_map", "0 0 1"));
	ASSERT_EQ(1, write(pipefd[1], "x", 1));
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status))
		TH_LOG("the child failed at step %d", WEXITSTATUS(status));
	/* Nothing of this namespace changed. */
	ASSERT_EQ(0, tunnel_get(&self->c, "gt0"));
	EXPECT_EQ(64, TUN_U8(&self->c, NGRE_TUNNEL_A_TTL));
	ASSERT_EQ(0, config_get(&self->c));
	EXPECT_EQ(1, self->c.a.config[NGRE_CONFIG_A_TUNNELS]);
}

/*
 * The fuzzer: a valid request of a random command, mutated at random (a
 * seeded PRNG: NGRE_FUZZ_SEED, default 1; NGRE_FUZZ_N requests, default
 * 10000), sent as it comes.  Every request must be answered (an ACK, an
 * error or a reply, never a timeout).  Afterwards the tunnels and services
 * that exist are those whose creations succeeded less those whose
 * deletions did, CONFIG_GET counts them the same, and every tunnel has
 * its device.  The VM's kernel log and kmemleak judge the rest.
 */
static __u32 fuzz_state;

static __u32 fuzz_rand(void)
{
	/* xorshift32 */
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 17;
	fuzz_state ^= fuzz_state << 5;
	return fuzz_state;
}

static __u32 fuzz_below(__u32 n)
{
	return fuzz_rand() % n;
}

static void fuzz_name(char *buf, size_t len, const char *prefix)
{
	snprintf(buf, len, "%s%u", prefix, fuzz_below(6));
}

static void fuzz_tunnel(struct ctx *cx, struct nl_msg *m, __u8 cmd)
{
	struct nlattr *n = nla_nest_start(m, NGRE_A_TUNNEL);
	__u32 flags = fuzz_below(8);
	char name[16];

	fuzz_name(name, sizeof(name), "fz");
	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, name);
	if (cmd == NGRE_CMD_TUNNEL_NEW) {
		nla_put_u32(m, NGRE_TUNNEL_A_PARENT,
			    fuzz_below(2) ? cx->eth0 : cx->eth1);
		nla_put_u16(m, NGRE_TUNNEL_A_VLAN, fuzz_below(3) * 100);
	}
	if (cmd == NGRE_CMD_TUNNEL_NEW || cmd == NGRE_CMD_TUNNEL_SET) {
		nla_put_u32(m, NGRE_TUNNEL_A_REMOTE,
			    htonl(0xc6336400 + fuzz_below(8)));
		put_flags(m, NGRE_TUNNEL_A_IFLAGS, flags, flags | fuzz_below(8));
		put_flags(m, NGRE_TUNNEL_A_OFLAGS, flags, flags | fuzz_below(8));
		nla_put_u32(m, NGRE_TUNNEL_A_IKEY, fuzz_below(4));
		nla_put_u32(m, NGRE_TUNNEL_A_OKEY, fuzz_below(4));
		nla_put_u8(m, NGRE_TUNNEL_A_TTL, fuzz_rand());
		nla_put_u8(m, NGRE_TUNNEL_A_TOS, fuzz_rand());
		nla_put_u32(m, NGRE_TUNNEL_A_MTU, fuzz_below(2) * 1400);
	}
	nla_nest_end(m, n);
}

static void fuzz_service(struct nl_msg *m, __u8 cmd)
{
	struct nlattr *n = nla_nest_start(m, NGRE_A_SERVICE), *p, *h;
	char name[16];

	fuzz_name(name, sizeof(name), "sv");
	nla_put_string(m, NGRE_SERVICE_A_NAME, name);
	if (cmd == NGRE_CMD_SERVICE_NEW || cmd == NGRE_CMD_SERVICE_SET) {
		p = nla_nest_start(m, NGRE_SERVICE_A_PREFIX);
		nla_put_u32(m, NGRE_PREFIX_A_ADDR,
			    htonl(0x0a000000 + (fuzz_below(8) << 16)));
		nla_put_u8(m, NGRE_PREFIX_A_LEN, 16);
		nla_nest_end(m, p);
		nla_put_u8(m, NGRE_SERVICE_A_PROTO, fuzz_below(2) * 17);
		nla_put_u8(m, NGRE_SERVICE_A_LB, fuzz_below(4));
		h = nla_nest_start(m, NGRE_SERVICE_A_NEXTHOP);
		if (fuzz_below(2)) {
			fuzz_name(name, sizeof(name), "fz");
			nla_put_u8(m, NGRE_NH_A_KIND, NGRE_NH_TUNNEL);
			nla_put_string(m, NGRE_NH_A_IFNAME, name);
		} else {
			nla_put_u8(m, NGRE_NH_A_KIND, NGRE_NH_DEVICE);
			nla_put_string(m, NGRE_NH_A_IFNAME, "eth1");
		}
		nla_put_u32(m, NGRE_NH_A_WEIGHT, fuzz_below(3));
		nla_nest_end(m, h);
	}
	nla_nest_end(m, n);
}

static void fuzz_config(struct nl_msg *m)
{
	struct nlattr *n = nla_nest_start(m, NGRE_A_CONFIG);

	nla_put_u32(m, 1 + fuzz_below(NGRE_CONFIG_A_MAX), fuzz_below(3) ?
		    1 + fuzz_below(100000) : fuzz_rand());
	nla_nest_end(m, n);
}

/* A valid request of a random command: its command, flags and attributes
 * in @m (a scratch message).
 */
static __u8 fuzz_valid(struct ctx *cx, struct nl_msg *m, int *flags)
{
	__u8 cmd = 1 + fuzz_below(NGRE_CMD_MAX);

	*flags = 0;
	switch (cmd) {
	case NGRE_CMD_TUNNEL_NEW:
	case NGRE_CMD_TUNNEL_DEL:
	case NGRE_CMD_TUNNEL_SET:
		fuzz_tunnel(cx, m, cmd);
		break;
	case NGRE_CMD_SERVICE_NEW:
	case NGRE_CMD_SERVICE_DEL:
	case NGRE_CMD_SERVICE_SET:
		fuzz_service(m, cmd);
		break;
	case NGRE_CMD_TUNNEL_GET:
	case NGRE_CMD_SERVICE_GET:
		if (fuzz_below(2))
			*flags = NLM_F_DUMP;
		else if (cmd == NGRE_CMD_TUNNEL_GET)
			fuzz_tunnel(cx, m, cmd);
		else
			fuzz_service(m, cmd);
		break;
	case NGRE_CMD_SESSION_GET:
	case NGRE_CMD_SESSION_DEL: {
		struct nlattr *n = nla_nest_start(m, NGRE_A_SESSION);

		if (cmd == NGRE_CMD_SESSION_GET)
			*flags = NLM_F_DUMP;

		nla_put_u8(m, NGRE_SESSION_A_PROTO, 17);
		nla_nest_end(m, n);
		break;
	}
	case NGRE_CMD_CONFIG_SET:
		fuzz_config(m);
		break;
	}
	return cmd;
}

/* Mutate the attributes in @buf (@len bytes, room for @cap); the new
 * length.
 */
static int fuzz_mutate(unsigned char *buf, int len, int cap)
{
	int i, n = 1 + fuzz_below(3), off;
	struct nlattr *a;

	for (i = 0; i < n; i++) {
		switch (fuzz_below(8)) {
		case 0:		/* a byte anywhere */
			if (len)
				buf[fuzz_below(len)] = fuzz_rand();
			break;
		case 1:		/* cut short */
			len = len ? fuzz_below(len) : 0;
			break;
		case 2:		/* an attribute header's length or type */
		case 3:
			off = 0;
			a = (struct nlattr *)buf;
			while (len - off >= NLA_HDRLEN && fuzz_below(3)) {
				if (a->nla_len < NLA_HDRLEN ||
				    off + NLA_ALIGN(a->nla_len) >= len)
					break;
				/* into a nest, or on to the next */
				off += fuzz_below(2) ? NLA_HDRLEN :
						      NLA_ALIGN(a->nla_len);
				a = (struct nlattr *)(buf + off);
			}
			if (len - off < NLA_HDRLEN)
				break;
			if (fuzz_below(2))
				a->nla_len = fuzz_below(2) ? fuzz_below(64) :
							     fuzz_rand();
			else
				a->nla_type = fuzz_below(2) ? fuzz_below(40) :
							      fuzz_rand();
			break;
		case 4:		/* an attribute appended */
		case 5: {
			int plen = fuzz_below(3) ? fuzz_below(24) : fuzz_below(600);
			int j;

			if (len + NLA_HDRLEN + NLA_ALIGN(plen) > cap)
				break;
			a = (struct nlattr *)(buf + len);
			a->nla_type = fuzz_below(4) ? fuzz_below(24) : fuzz_rand();
			a->nla_len = NLA_HDRLEN + plen;
			for (j = 0; j < NLA_ALIGN(plen); j++)
				buf[len + NLA_HDRLEN + j] = fuzz_rand();
			len += NLA_HDRLEN + NLA_ALIGN(plen);
			break;
		}
		case 6:		/* everything twice */
			if (2 * len <= cap) {
				memcpy(buf + len, buf, len);
				len *= 2;
			}
			break;
		case 7:		/* oversized: the attributes again and again */
			while (len && 2 * len <= cap) {
				memcpy(buf + len, buf, len);
				len *= 2;
			}
			break;
		}
	}
	return len;
}

/* How many objects a dump of @cmd lists. */
static int fuzz_count(struct ctx *cx, __u8 cmd)
{
	if (talk(cx->sk, req(cx->family, cmd, NLM_F_DUMP), &cx->a))
		return -1;
	return cx->a.n_msgs;
}

TEST_F_TIMEOUT(ngre, fuzz, CASE_TIMEOUT)
{
	static unsigned char buf[65536];
	const char *env = getenv("NGRE_FUZZ_SEED");
	int i, n = getenv("NGRE_FUZZ_N") ? atoi(getenv("NGRE_FUZZ_N")) : 10000;
	int tunnels = 0, services = 0, ok = 0, flags, len, err;
	struct nl_msg *m, *v;
	FILE *ip;
	__u8 cmd;

	fuzz_state = env ? strtoul(env, NULL, 0) : 1;
	if (!fuzz_state)
		fuzz_state = 1;
	TH_LOG("seed %u, %d requests", fuzz_state, n);
	for (i = 0; i < n; i++) {
		v = nlmsg_alloc();
		genlmsg_put(v, NL_AUTO_PORT, NL_AUTO_SEQ, self->c.family, 0,
			    0, 0, NGRE_GENL_VERSION);
		cmd = fuzz_valid(&self->c, v, &flags);
		len = genlmsg_attrlen(nlmsg_data(nlmsg_hdr(v)), 0);
		memcpy(buf, genlmsg_attrdata(nlmsg_data(nlmsg_hdr(v)), 0), len);
		nlmsg_free(v);
		if (fuzz_below(10))
			len = fuzz_mutate(buf, len, sizeof(buf) - 64);
		m = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + len + 64);
		ASSERT_NE(NULL, m);
		genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, self->c.family, 0,
			    flags | NLM_F_ACK, cmd, NGRE_GENL_VERSION);
		ASSERT_EQ(0, nlmsg_append(m, buf, len, NLMSG_ALIGNTO));
		err = talk(self->c.sk, m, &self->c.a);
		ASSERT_NE(-EIO, err) TH_LOG("request %d (cmd %u): no answer", i, cmd);
		if (err)
			continue;
		ok++;
		if (cmd == NGRE_CMD_TUNNEL_NEW)
			tunnels++;
		else if (cmd == NGRE_CMD_TUNNEL_DEL)
			tunnels--;
		else if (cmd == NGRE_CMD_SERVICE_NEW)
			services++;
		else if (cmd == NGRE_CMD_SERVICE_DEL)
			services--;
	}
	TH_LOG("%d of %d requests succeeded; %d tunnels, %d services",
	       ok, n, tunnels, services);
	ASSERT_EQ(tunnels, fuzz_count(&self->c, NGRE_CMD_TUNNEL_GET));
	ASSERT_EQ(services, fuzz_count(&self->c, NGRE_CMD_SERVICE_GET));
	ASSERT_EQ(0, config_get(&self->c));
	ASSERT_EQ(tunnels, self->c.a.config[NGRE_CONFIG_A_TUNNELS]);
	ASSERT_EQ(services, self->c.a.config[NGRE_CONFIG_A_SERVICES]);
	ip = popen("ip -o link show type ngre | wc -l", "r");
	ASSERT_NE(NULL, ip);
	ASSERT_EQ(1, fscanf(ip, "%d", &i));
	pclose(ip);
	ASSERT_EQ(tunnels, i);
}

/*
 * Allocation failures, one at a time (the debug kernel's fail-nth): the
 * Nth slab allocation of a request fails, for N = 1, 2, ... until the
 * request makes no Nth allocation.  Each request either fails and changes
 * nothing, or succeeds and makes the whole change: never half of it.  The
 * VM's kernel log and kmemleak judge the error paths.
 */

/* The family's state: its dumps and CONFIG_GET, each tunnel's ifindex
 * zeroed (a tunnel made again gets a new one).
 */
struct fi_state {
	int len;
	unsigned char buf[65536];
};

static void fi_mask_ifindex(struct nlmsghdr *nlh)
{
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, rem, nrem;
	struct nlattr *top = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	struct nlattr *a, *t;

	nla_for_each_attr(t, top, len, rem) {
		if (nla_type(t) != NGRE_A_TUNNEL)
			continue;
		nla_for_each_nested(a, t, nrem)
			if (nla_type(a) == NGRE_TUNNEL_A_IFINDEX)
				memset(nla_data(a), 0, nla_len(a));
	}
}

/* Append the answer to @cmd (@dump: a dump; else one reply) to @st;
 * 0, or -1 on an error.
 */
static int fi_snap_cmd(int fd, int family, __u8 cmd, bool dump,
		       struct fi_state *st)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} rq = {
		.n = { .nlmsg_len = sizeof(rq), .nlmsg_type = family,
		       .nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0) },
		.g = { .cmd = cmd, .version = NGRE_GENL_VERSION },
	};
	static unsigned char buf[32768];
	struct nlmsghdr *nlh;
	int n, l;

	if (send(fd, &rq, sizeof(rq), 0) != sizeof(rq))
		return -1;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return -1;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type != family)
				return -1;
			fi_mask_ifindex(nlh);
			l = nlh->nlmsg_len - NLMSG_HDRLEN;
			if (st->len + l > (int)sizeof(st->buf))
				return -1;
			memcpy(st->buf + st->len, NLMSG_DATA(nlh), l);
			st->len += l;
			if (!dump)
				return 0;
		}
	}
}

static int fi_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct if_nameindex *)a)->if_name,
		      ((const struct if_nameindex *)b)->if_name);
}

/* The names of the namespace's devices, sorted (the kernel lists them
 * by their index's hash): none may be left half made.
 */
static int fi_snap_links(struct fi_state *st)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int l, n = 0;

	if (!ifs)
		return -1;
	while (ifs[n].if_index)
		n++;
	qsort(ifs, n, sizeof(*ifs), fi_cmp_name);
	for (i = ifs; i->if_index; i++) {
		l = strlen(i->if_name) + 1;
		if (st->len + l > (int)sizeof(st->buf))
			break;
		memcpy(st->buf + st->len, i->if_name, l);
		st->len += l;
	}
	l = i->if_index ? -1 : 0;
	if_freenameindex(ifs);
	return l;
}

static int fi_snap(struct ctx *cx, struct fi_state *st)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int err;

	st->len = 0;
	err = fd < 0 ||
	      fi_snap_cmd(fd, cx->family, NGRE_CMD_TUNNEL_GET, true, st) ||
	      fi_snap_cmd(fd, cx->family, NGRE_CMD_SERVICE_GET, true, st) ||
	      fi_snap_cmd(fd, cx->family, NGRE_CMD_CONFIG_GET, false, st) ||
	      fi_snap_links(st);
	if (fd >= 0)
		close(fd);
	return err ? -1 : 0;
}

static bool fi_same(const struct fi_state *a, const struct fi_state *b)
{
	return a->len == b->len && !memcmp(a->buf, b->buf, a->len);
}

/* Where two states differ, for the log. */
static void fi_diff(const struct fi_state *a, const struct fi_state *b)
{
	int i = 0, j;

	while (i < a->len && i < b->len && a->buf[i] == b->buf[i])
		i++;
	fprintf(stderr, "# states of %d and %d bytes differ from byte %d:\n#", a->len,
		b->len, i);
	for (j = i > 16 ? i - 16 : 0; j < i + 48 && j < a->len; j++)
		fprintf(stderr, " %02x", a->buf[j]);
	fprintf(stderr, "\n#");
	for (j = i > 16 ? i - 16 : 0; j < i + 48 && j < b->len; j++)
		fprintf(stderr, " %02x", b->buf[j]);
	fprintf(stderr, "\n");
}

/* A tunnel request: @vlan and @local (NULL: inherited) only in NEW; a
 * key (in and out, with checksums and sequence numbers) if @key.
 */
static struct nl_msg *fi_tunnel(struct ctx *cx, __u8 cmd, const char *name,
				__u16 vlan, const char *local,
				const char *remote, __u32 key)
{
	struct nl_msg *m = req(cx->family, cmd, 0);
	struct nlattr *n = nla_nest_start(m, NGRE_A_TUNNEL);
	__u32 flags = key ? NGRE_F_KEY | NGRE_F_CSUM | NGRE_F_SEQ : 0;

	nla_put_string(m, NGRE_TUNNEL_A_IFNAME, name);
	if (cmd == NGRE_CMD_TUNNEL_NEW) {
		nla_put_u32(m, NGRE_TUNNEL_A_PARENT, cx->eth0);
		nla_put_u16(m, NGRE_TUNNEL_A_VLAN, vlan);
		if (local)
			nla_put_u32(m, NGRE_TUNNEL_A_LOCAL, inet_addr(local));
	}
	if (remote) {
		nla_put_u32(m, NGRE_TUNNEL_A_REMOTE, inet_addr(remote));
		put_flags(m, NGRE_TUNNEL_A_IFLAGS, flags, NGRE_F_ALL);
		put_flags(m, NGRE_TUNNEL_A_OFLAGS, flags, NGRE_F_ALL);
		nla_put_u32(m, NGRE_TUNNEL_A_IKEY, key);
		nla_put_u32(m, NGRE_TUNNEL_A_OKEY, key);
	}
	nla_nest_end(m, n);
	return m;
}

static void fi_prefix(struct nl_msg *m, const char *addr, __u8 len)
{
	struct nlattr *p = nla_nest_start(m, NGRE_SERVICE_A_PREFIX);

	nla_put_u32(m, NGRE_PREFIX_A_ADDR, inet_addr(addr));
	nla_put_u8(m, NGRE_PREFIX_A_LEN, len);
	nla_nest_end(m, p);
}

static void fi_nexthop(struct nl_msg *m, __u8 kind, const char *ifname,
		       __u32 weight)
{
	struct nlattr *h = nla_nest_start(m, NGRE_SERVICE_A_NEXTHOP);

	nla_put_u8(m, NGRE_NH_A_KIND, kind);
	nla_put_string(m, NGRE_NH_A_IFNAME, ifname);
	nla_put_u32(m, NGRE_NH_A_WEIGHT, weight);
	nla_nest_end(m, h);
}

/* A service request; @shape 0: none but the name (DEL), 1: two prefixes,
 * UDP, through tunnel gtk and device eth1; 2: one prefix, any protocol,
 * through eth1.
 */
static struct nl_msg *fi_service(struct ctx *cx, __u8 cmd, const char *name,
				 int shape)
{
	struct nl_msg *m = req(cx->family, cmd, 0);
	struct nlattr *n = nla_nest_start(m, NGRE_A_SERVICE);

	nla_put_string(m, NGRE_SERVICE_A_NAME, name);
	if (shape == 1) {
		fi_prefix(m, "10.4.0.0", 16);
		fi_prefix(m, "10.5.1.0", 24);
		nla_put_u8(m, NGRE_SERVICE_A_PROTO, 17);
		fi_nexthop(m, NGRE_NH_TUNNEL, "gtk", 2);
		fi_nexthop(m, NGRE_NH_DEVICE, "eth1", 1);
	} else if (shape == 2) {
		fi_prefix(m, "10.6.0.0", 16);
		fi_nexthop(m, NGRE_NH_DEVICE, "eth1", 3);
	}
	nla_nest_end(m, n);
	return m;
}

static struct nl_msg *fi_config(struct ctx *cx, __u32 max_sessions)
{
	struct nl_msg *m = req(cx->family, NGRE_CMD_CONFIG_SET, 0);
	struct nlattr *n = nla_nest_start(m, NGRE_A_CONFIG);

	nla_put_u32(m, NGRE_CONFIG_A_MAX_SESSIONS, max_sessions);
	nla_nest_end(m, n);
	return m;
}

/* The session limit before the test changed it. */
static __u32 fi_max_sessions;

/* Each request, and the one that undoes it. */
#define FI_TUNNEL_F(cx) fi_tunnel(cx, NGRE_CMD_TUNNEL_NEW, "gtf", 100, NULL, "198.51.100.6", 0)
#define FI_TUNNEL_K(cx, cmd, remote, key) \
	fi_tunnel(cx, cmd, "gtk", 0, "192.0.2.1", remote, key)

static struct nl_msg *fi_request(struct ctx *cx, int i, bool undo)
{
	switch (i) {
	case 0:
		return undo ? fi_tunnel(cx, NGRE_CMD_TUNNEL_DEL, "gtn", 0, NULL, NULL, 0) :
			      fi_tunnel(cx, NGRE_CMD_TUNNEL_NEW, "gtn", 200, NULL,
					"198.51.100.9", 9);
	case 1:
		return undo ? FI_TUNNEL_K(cx, NGRE_CMD_TUNNEL_SET, "198.51.100.7", 7) :
			      FI_TUNNEL_K(cx, NGRE_CMD_TUNNEL_SET, "198.51.100.8", 0);
	case 2:
		return undo ? FI_TUNNEL_F(cx) :
			      fi_tunnel(cx, NGRE_CMD_TUNNEL_DEL, "gtf", 0, NULL, NULL, 0);
	case 3:
		return undo ? fi_service(cx, NGRE_CMD_SERVICE_DEL, "svn", 0) :
			      fi_service(cx, NGRE_CMD_SERVICE_NEW, "svn", 1);
	case 4:
		return fi_service(cx, NGRE_CMD_SERVICE_SET, "svf", undo ? 1 : 2);
	case 5:
		return undo ? fi_service(cx, NGRE_CMD_SERVICE_NEW, "svf", 1) :
			      fi_service(cx, NGRE_CMD_SERVICE_DEL, "svf", 0);
	case 6:
		return fi_config(cx, undo ? fi_max_sessions : 1000);
	}
	return NULL;
}

static const char *const fi_what[] = {
	"tunnel new", "tunnel set", "tunnel del", "service new",
	"service set", "service del", "config set",
};

#define FAILSLAB "/sys/kernel/debug/failslab/"
#define FAILPAGE "/sys/kernel/debug/fail_page_alloc/"

/*
 * Start injecting into slab allocations, GFP_KERNEL ones too, each
 * failure quietly (a stack trace for each would read as a splat).  Page
 * allocations stay out of the count (an order above the largest): the
 * kernel warns, with a stack, about most that fail.  Some of its reports
 * of a failed slab allocation dump a stack too: the splat scan excuses
 * those between the two lines written here and by fi_stop() in the
 * kernel log.  0, or -1 where the kernel cannot inject.
 */
static int fi_start(void)
{
	fi.fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fi.fd < 0 || write_file(FAILSLAB "ignore-gfp-wait", "N") ||
	    write_file(FAILSLAB "verbose", "0") || write_file(FAILPAGE "verbose", "0") ||
	    write_file(FAILPAGE "min-order", "11")) {
		if (fi.fd >= 0)
			close(fi.fd);
		fi.fd = -1;
		return -1;
	}
	return write_file("/dev/kmsg", "ngre-selftest: injecting allocation failures\n");
}

/* Stop injecting, also when a test ends early (the fixture's teardown). */
static void fi_stop(void)
{
	if (fi.fd < 0)
		return;
	fi.n = 0;
	write_file(FAILSLAB "ignore-gfp-wait", "Y");
	write_file(FAILPAGE "min-order", "1");
	write_file("/dev/kmsg", "ngre-selftest: no more allocation failures\n");
	close(fi.fd);
	fi.fd = -1;
}

/*
 * Request @i with its first, second, ... allocation failing until one
 * goes through with none failing.  kmemleak's and debug objects' own
 * allocations share the count, so the numbering shifts a little from
 * run to run: the coverage is of nearly every allocation, not provably
 * of each.
 */
static void fi_each_alloc(struct __test_metadata *_metadata, struct ctx *cx, int i)
{
	static struct fi_state before, after, now;
	int n, err, failed = 0, absorbed = 0, lost = 0;

	/* The states before and after the request, without faults. */
	ASSERT_EQ(0, talk(cx->sk, fi_request(cx, i, false), &cx->a))
		TH_LOG("%s: %s", fi_what[i], cx->a.msg);
	ASSERT_EQ(0, fi_snap(cx, &after));
	ASSERT_EQ(0, talk(cx->sk, fi_request(cx, i, true), &cx->a))
		TH_LOG("%s undone: %s", fi_what[i], cx->a.msg);
	ASSERT_EQ(0, fi_snap(cx, &before));
	ASSERT_FALSE(fi_same(&before, &after)) TH_LOG("%s", fi_what[i]);

	for (n = 1; n < 10000; n++) {
		fi.n = n;
		err = talk(cx->sk, fi_request(cx, i, false), &cx->a);
		fi.n = 0;
		if (!fi.injected) {
			/* No Nth allocation: the request went through whole. */
			ASSERT_EQ(0, err) TH_LOG("%s: %s", fi_what[i], cx->a.msg);
			ASSERT_EQ(0, fi_snap(cx, &now));
			ASSERT_TRUE(fi_same(&now, &after)) TH_LOG("%s", fi_what[i]);
			break;
		}
		ASSERT_EQ(0, fi_snap(cx, &now));
		if (err == -EIO) {
			/* The request or its answer was lost: either state.  A
			 * new socket: libnl would wait for the lost answer's
			 * sequence number forever.
			 */
			ASSERT_TRUE(fi_same(&now, &before) || fi_same(&now, &after))
				TH_LOG("%s, allocation %d failed", fi_what[i], n);
			lost++;
			nl_socket_free(cx->sk);
			cx->sk = ngre_socket();
			ASSERT_NE(NULL, cx->sk);
		} else if (err) {
			failed++;
			if (!fi_same(&now, &before))
				fi_diff(&now, &before);
			ASSERT_TRUE(fi_same(&now, &before))
				TH_LOG("%s failed at allocation %d (%d, %s) and changed the state",
				       fi_what[i], n, err, cx->a.msg);
		} else {
			absorbed++;
			if (!fi_same(&now, &after))
				fi_diff(&now, &after);
			ASSERT_TRUE(fi_same(&now, &after))
				TH_LOG("%s succeeded without allocation %d, but not whole",
				       fi_what[i], n);
		}
		if (fi_same(&now, &after)) {
			ASSERT_EQ(0, talk(cx->sk, fi_request(cx, i, true), &cx->a))
				TH_LOG("%s undone: %s", fi_what[i], cx->a.msg);
			ASSERT_EQ(0, fi_snap(cx, &now));
			ASSERT_TRUE(fi_same(&now, &before)) TH_LOG("%s undone", fi_what[i]);
		}
	}
	TH_LOG("%s: %d allocations; failed: %d refused, %d absorbed, %d lost the request or answer",
	       fi_what[i], n - 1, failed, absorbed, lost);
	ASSERT_LT(n, 10000);
	ASSERT_LT(0, failed) TH_LOG("%s", fi_what[i]);
}

TEST_F_TIMEOUT(ngre, alloc_faults, CASE_TIMEOUT)
{
	struct ctx *cx = &self->c;
	int i;

	ASSERT_EQ(0, config_get(cx));
	fi_max_sessions = cx->a.config[NGRE_CONFIG_A_MAX_SESSIONS];
	ASSERT_EQ(0, talk(cx->sk, FI_TUNNEL_F(cx), &cx->a));
	ASSERT_EQ(0, talk(cx->sk, FI_TUNNEL_K(cx, NGRE_CMD_TUNNEL_NEW,
					      "198.51.100.7", 7), &cx->a));
	ASSERT_EQ(0, talk(cx->sk, fi_request(cx, 5, true), &cx->a))
		TH_LOG("service svf: %s", cx->a.msg);
	if (fi_start())
		SKIP(return, "no fault injection in this kernel (debug kernel only)");
	for (i = 0; i < (int)ARRAY_SIZE(fi_what); i++)
		fi_each_alloc(_metadata, cx, i);
	fi_stop();
}

/* RTM_NEWADDR or RTM_DELADDR of @addr/24 on the device numbered @ifindex. */
static struct nl_msg *addr_req(int type, int ifindex, const char *addr)
{
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET,
		.ifa_prefixlen = 24,
		.ifa_index = ifindex,
	};
	struct nl_msg *m = nlmsg_alloc_simple(type, type == RTM_NEWADDR ?
					      NLM_F_CREATE | NLM_F_EXCL : 0);

	nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO);
	nla_put_u32(m, IFA_LOCAL, inet_addr(addr));
	nla_put_u32(m, IFA_ADDRESS, inet_addr(addr));
	return m;
}

/* The next event on @ev announces a change of gtf with down reason
 * @reason: 0, or -1 (another event, or none within the socket's timeout).
 */
static int gtf_event(struct nl_sock *ev, struct answer *e, __u8 reason)
{
	if (next_event(ev, e))
		return -1;
	return e->cmd == NGRE_CMD_TUNNEL_SET && e->tun[NGRE_TUNNEL_A_IFNAME] &&
	       e->tun[NGRE_TUNNEL_A_DOWN_REASON] &&
	       !strcmp(nla_get_string(e->tun[NGRE_TUNNEL_A_IFNAME]), "gtf") &&
	       nla_get_u8(e->tun[NGRE_TUNNEL_A_DOWN_REASON]) == reason ? 0 : -1;
}

/* gtf's carrier, as `ip link` shows it (LOWER_UP): 1 or 0. */
static int gtf_carrier(void)
{
	return !system("ip link show gtf | grep -q LOWER_UP");
}

/*
 * A refresh that cannot allocate: an address added to a tunnel's VLAN
 * device refreshes the tunnel from the inetaddr notifier, which cannot
 * fail the request.  With each allocation of the request failing in
 * turn: where it is the refresh's, the address is added and the tunnel
 * is down with reason no-memory, its carrier off, announced; deleting the
 * address (no failure) refreshes it back up, announced.  Elsewhere the
 * tunnel stays up, and nothing is announced (the address does not change
 * the inherited source).
 */
TEST_F_TIMEOUT(ngre, refresh_faults, CASE_TIMEOUT)
{
	struct nl_sock *rt = netlink_socket(NETLINK_ROUTE), *ev = ngre_socket();
	struct answer ra = { 0 }, e = { 0 };
	struct ctx *cx = &self->c;
	int n, err, grp, vlan, stale = 0;
	__u8 reason;

	ASSERT_NE(NULL, rt);
	ASSERT_NE(NULL, ev);
	ASSERT_EQ(0, system("ip link add link eth0 name eth0.100 type vlan id 100"));
	ASSERT_EQ(0, system("ip link set eth0.100 up"));
	ASSERT_EQ(0, system("ip addr add 192.0.2.1/24 dev eth0.100"));
	vlan = if_nametoindex("eth0.100");
	ASSERT_NE(0, vlan);
	ASSERT_EQ(0, talk(cx->sk, FI_TUNNEL_F(cx), &cx->a)) TH_LOG("%s", cx->a.msg);
	ASSERT_EQ(0, system("ip link set gtf up"));
	/* The link watch's events of the setup, which refresh gtf outside
	 * the injection, are over once eth0.100's operstate is up.
	 */
	for (n = 0; n < 100 && system("ip link show eth0.100 | grep -q 'state UP'"); n++)
		usleep(100000);
	ASSERT_EQ(0, tunnel_get(cx, "gtf"));
	ASSERT_EQ(NGRE_DOWN_NONE, TUN_U8(cx, NGRE_TUNNEL_A_DOWN_REASON));
	ASSERT_EQ(1, gtf_carrier());
	grp = genl_ctrl_resolve_grp(cx->sk, NGRE_GENL_NAME, NGRE_MCGRP_EVENTS);
	ASSERT_LT(0, grp);
	ASSERT_EQ(0, nl_socket_add_membership(ev, grp));
	if (fi_start())
		SKIP(return, "no fault injection in this kernel (debug kernel only)");

	for (n = 1; n < 10000; n++) {
		fi.n = n;
		err = talk(rt, addr_req(RTM_NEWADDR, vlan, "192.0.2.2"), &ra);
		fi.n = 0;
		if (err == -EIO) {
			/* The answer was lost: a new socket (see fi_each_alloc()). */
			nl_socket_free(rt);
			rt = netlink_socket(NETLINK_ROUTE);
			ASSERT_NE(NULL, rt);
		}
		ASSERT_EQ(0, tunnel_get(cx, "gtf"));
		reason = TUN_U8(cx, NGRE_TUNNEL_A_DOWN_REASON);
		if (reason == NGRE_DOWN_NO_MEMORY) {
			stale++;
			ASSERT_EQ(0, err) TH_LOG("allocation %d: %s", n, ra.msg);
			ASSERT_EQ(0, gtf_carrier());
			ASSERT_EQ(0, gtf_event(ev, &e, NGRE_DOWN_NO_MEMORY));
		} else {
			ASSERT_EQ(NGRE_DOWN_NONE, reason) TH_LOG("allocation %d", n);
		}
		if (!fi.injected) {
			/* No Nth allocation: the request went through whole. */
			ASSERT_EQ(0, err) TH_LOG("%s", ra.msg);
			break;
		}
		err = talk(rt, addr_req(RTM_DELADDR, vlan, "192.0.2.2"), &ra);
		ASSERT_TRUE(!err || err == -EADDRNOTAVAIL) TH_LOG("%d %s", err, ra.msg);
		ASSERT_EQ(0, tunnel_get(cx, "gtf"));
		ASSERT_EQ(NGRE_DOWN_NONE, TUN_U8(cx, NGRE_TUNNEL_A_DOWN_REASON))
			TH_LOG("allocation %d, then the address deleted", n);
		ASSERT_EQ(1, TUN_U8(cx, NGRE_TUNNEL_A_OPERSTATE));
		if (reason == NGRE_DOWN_NO_MEMORY) {
			ASSERT_EQ(1, gtf_carrier());
			ASSERT_EQ(0, gtf_event(ev, &e, NGRE_DOWN_NONE));
		}
	}
	fi_stop();
	TH_LOG("address add: %d allocations, %d of them the refresh's", n - 1, stale);
	ASSERT_LT(n, 10000);
	ASSERT_LT(0, stale);
	/* No other event. */
	ASSERT_EQ(-1, recv(nl_socket_get_fd(ev), &n, sizeof(n), MSG_DONTWAIT));
	ASSERT_EQ(EAGAIN, errno);
	if (e.last)
		nlmsg_free(e.last);
	if (ra.last)
		nlmsg_free(ra.last);
	nl_socket_free(ev);
	nl_socket_free(rt);
}

TEST_HARNESS_MAIN
