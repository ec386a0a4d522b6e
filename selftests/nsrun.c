// SPDX-License-Identifier: GPL-2.0
/*
 * nsrun NS CMD [ARGS...]: run CMD in the network namespace NS.
 *
 * "ip netns exec" also makes a mount namespace and mounts a sysfs of NS for
 * each call, which costs most of a second on the debug kernel; this only
 * joins the network namespace.  CMD sees NS's sockets, /proc/net and
 * /proc/sys/net, but /sys/class/net stays the caller's: what reads it
 * uses "ip netns exec".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	int fd, err;

	if (argc < 3 || strchr(argv[1], '/')) {
		fprintf(stderr, "usage: nsrun NS CMD [ARGS...]\n");
		return 255;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", argv[1]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "nsrun: namespace %s: %s\n", argv[1],
			strerror(errno));
		return 255;
	}
	close(fd);
	execvp(argv[2], argv + 2);
	err = errno;
	fprintf(stderr, "nsrun: %s: %s\n", argv[2], strerror(err));
	return err == ENOENT ? 127 : 126;
}
