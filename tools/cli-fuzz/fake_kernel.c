// SPDX-License-Identifier: GPL-2.0
/*
 * A generic netlink "kernel" for the CLI's fuzzer, preloaded into ngre
 * (LD_PRELOAD): the CLI's generic netlink socket becomes one end of a
 * socket pair, and each request the CLI sends is answered with the next
 * record of the file $NGRE_FAKE_ANSWERS (written by answers.py), its
 * messages given the request's sequence number.  With no record left, or
 * nothing more to read, the socket reports an error, as one with a
 * receive timeout would: nothing here waits.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/netlink.h>

#define FAKE_PID 4242

static int fake_fd = -1, peer_fd = -1;
static FILE *answers;

/* The function @fn of the library the fake stands in front of. */
#define REAL(fn) ((__typeof__(fn) *)dlsym(RTLD_NEXT, #fn))

int socket(int domain, int type, int protocol)
{
	int sv[2];

	if (domain != AF_NETLINK || protocol != NETLINK_GENERIC || fake_fd >= 0)
		return REAL(socket)(domain, type, protocol);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	fake_fd = sv[0];
	peer_fd = sv[1];
	answers = fopen(getenv("NGRE_FAKE_ANSWERS") ?: "/dev/null", "re");
	if (!answers)
		abort();
	return fake_fd;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return fd == fake_fd ? 0 : REAL(bind)(fd, addr, len);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return fd == fake_fd ? 0 : REAL(setsockopt)(fd, level, name, val, len);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_nl nl = {
		.nl_family = AF_NETLINK,
		.nl_pid = FAKE_PID,
	};

	if (fd != fake_fd)
		return REAL(getsockname)(fd, addr, len);
	memcpy(addr, &nl, *len < sizeof(nl) ? *len : sizeof(nl));
	*len = sizeof(nl);
	return 0;
}

int close(int fd)
{
	if (fd == fake_fd && fake_fd >= 0) {
		REAL(close)(peer_fd);
		fclose(answers);
		fake_fd = -1;
		peer_fd = -1;
	}
	return REAL(close)(fd);
}

/* The request's error answer: no record left for it. */
static void answer_error(const struct nlmsghdr *rq)
{
	struct {
		struct nlmsghdr n;
		struct nlmsgerr e;
	} m = {
		.n = {
			.nlmsg_len = sizeof(m), .nlmsg_type = NLMSG_ERROR,
			.nlmsg_flags = NLM_F_CAPPED, .nlmsg_seq = rq->nlmsg_seq,
			.nlmsg_pid = FAKE_PID,
		},
		.e = { .error = -EOPNOTSUPP, .msg = *rq },
	};

	if (send(peer_fd, &m, sizeof(m), 0) != sizeof(m))
		abort();
}

/*
 * The next record: a u32 count of datagrams, then each as a u32 length
 * and its bytes.  Each whole message header in a datagram gets the
 * request's sequence number and the socket's port ID; whatever else the
 * record holds, however malformed, goes out as it is.
 */
static void answer(const struct nlmsghdr *rq)
{
	static unsigned char buf[1 << 20];
	struct nlmsghdr *h;
	uint32_t n, len;
	size_t off;

	if (fread(&n, sizeof(n), 1, answers) != 1) {
		answer_error(rq);
		return;
	}
	while (n--) {
		if (fread(&len, sizeof(len), 1, answers) != 1 || len > sizeof(buf) ||
		    fread(buf, 1, len, answers) != len)
			abort();
		for (off = 0; off + sizeof(*h) <= len; off += NLMSG_ALIGN(h->nlmsg_len)) {
			h = (struct nlmsghdr *)(buf + off);
			h->nlmsg_seq = rq->nlmsg_seq;
			h->nlmsg_pid = FAKE_PID;
			if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > len - off)
				break;
		}
		if (send(peer_fd, buf, len, 0) != (ssize_t)len)
			abort();
	}
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t alen)
{
	if (fd != fake_fd)
		return REAL(sendto)(fd, buf, len, flags, addr, alen);
	if (len < sizeof(struct nlmsghdr)) {
		errno = EINVAL;
		return -1;
	}
	answer(buf);
	return len;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (fd != fake_fd)
		return REAL(recvmsg)(fd, msg, flags);
	if (poll(&p, 1, 0) != 1) {
		errno = EAGAIN;
		return -1;
	}
	n = REAL(recvmsg)(fd, msg, flags);
	if (n >= 0 && msg->msg_name) {
		memcpy(msg->msg_name, &nl,
		       msg->msg_namelen < sizeof(nl) ? msg->msg_namelen : sizeof(nl));
		msg->msg_namelen = sizeof(nl);
	}
	return n;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *addr, socklen_t *alen)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = addr, .msg_namelen = alen ? *alen : 0,
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	if (fd != fake_fd)
		return REAL(recvfrom)(fd, buf, len, flags, addr, alen);
	n = recvmsg(fd, &msg, flags);
	if (n >= 0 && alen)
		*alen = msg.msg_namelen;
	return n;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}
