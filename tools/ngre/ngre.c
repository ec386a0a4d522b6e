// SPDX-License-Identifier: GPL-2.0
/*
 * ngre - configure native GRE tunnels (the ngre generic netlink family).
 *
 * This is the foundation's skeleton: option parsing, help and version.
 * The object commands arrive with the control plane.
 */
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/ngre.h>

#define NGRE_CLI_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ngre [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       ngre -V | help\n"
		"where  OBJECT := { tunnel | stats | monitor }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -s[tats] | -d[etails] |\n"
		"                    -n[etns] NETNS | -b[atch] FILE [ -force ] }\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "-Version")) {
		printf("ngre utility, %s (netlink family %s version %d)\n",
		       NGRE_CLI_VERSION, NGRE_GENL_NAME, NGRE_GENL_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "ngre: unknown object or option \"%s\"; try \"ngre help\"\n",
		argv[1]);
	return 2;
}
