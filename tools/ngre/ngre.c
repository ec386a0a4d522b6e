// SPDX-License-Identifier: GPL-2.0
/*
 * ngre - configure native GRE tunnels (the ngre generic netlink family).
 *
 *   ngre [ OPTIONS ] OBJECT { COMMAND | help }
 *
 * Exit status, as ip's: 0 success, 1 the tool could not do its work,
 * 2 the kernel refused the request (its message is printed), 255 usage
 * error (the offending argument is named); with -batch, 1 if a command
 * failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ngre.h"

struct opts opts;

int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("ngre: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* @arg is a non-empty prefix of @full, as ip(8) abbreviates. */
bool matches(const char *arg, const char *full)
{
	size_t n = strlen(arg);

	return n && n <= strlen(full) && !strncmp(arg, full, n);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ngre [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       ngre [ -force ] -batch FILE\n"
		"       ngre -V | help\n"
		"where  OBJECT := { tunnel | service | session | stats | config |\n"
		"                   monitor }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -s[tats] | -d[etails] |\n"
		"                    -n[etns] NETNS | -b[atch] FILE [ -force ] }\n");
}

static int run(struct nl *nl, int argc, char **argv)
{
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (matches(argv[0], "tunnel"))
		return do_tunnel(nl, argc - 1, argv + 1);
	/* "s" stays stats; "se" is service */
	if (matches(argv[0], "stats"))
		return do_stats(nl, argc - 1, argv + 1);
	if (matches(argv[0], "service"))
		return do_service(nl, argc - 1, argv + 1);
	if (matches(argv[0], "session"))
		return do_session(nl, argc - 1, argv + 1);
	if (matches(argv[0], "config"))
		return do_config(nl, argc - 1, argv + 1);
	if (matches(argv[0], "monitor"))
		return do_monitor(nl, argc - 1, argv + 1);
	if (matches(argv[0], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	return usage_err("unknown object \"%s\"; try \"ngre help\"", argv[0]);
}

/* The most words of a batch line: a service with every list full fits. */
#define BATCH_WORDS	511

/*
 * One command per line; blank lines and # comments are skipped.  The
 * status is EXIT_FAIL if a command failed, whatever its own status was.
 */
static int run_batch(struct nl *nl, const char *file, bool force)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL, *argv[BATCH_WORDS + 1], *tok;
	size_t cap = 0;
	int argc, lineno = 0, ret, status = EXIT_OK;

	if (!f) {
		fprintf(stderr, "ngre: cannot open batch file \"%s\": %s\n", file,
			strerror(errno));
		return EXIT_FAIL;
	}
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		argc = 0;
		for (tok = strtok(line, " \t\n"); tok && argc <= BATCH_WORDS;
		     tok = strtok(NULL, " \t\n")) {
			if (tok[0] == '#')
				break;
			argv[argc++] = tok;
		}
		if (!argc)
			continue;
		if (argc > BATCH_WORDS)
			ret = usage_err("batch: line %d: more than %d words", lineno,
					BATCH_WORDS);
		else
			ret = run(nl, argc, argv);
		if (ret) {
			fprintf(stderr, "ngre: batch: command failed at line %d\n", lineno);
			status = EXIT_FAIL;
			if (!force)
				break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return status;
}

static int enter_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "ngre: \"-netns\": cannot enter \"%s\": %s\n", name,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *batch_file = NULL, *netns = NULL;
	bool force = false;
	struct nl nl;
	int ret;

	while (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		const char *o = argv[1] + 1;

		if (o[0] == '-')
			o++;
		if (matches(o, "json")) {
			opts.json = true;
		} else if (matches(o, "pretty")) {
			opts.pretty = true;
		} else if (matches(o, "stats") || matches(o, "statistics")) {
			opts.stats = true;
		} else if (matches(o, "details")) {
			opts.details = true;
		} else if (!strcmp(o, "force")) {
			force = true;
		} else if (matches(o, "netns") || matches(o, "batch")) {
			if (argc < 3)
				return usage_err("option \"%s\" needs an argument", argv[1]);
			if (o[0] == 'n')
				netns = argv[2];
			else
				batch_file = argv[2];
			argc--;
			argv++;
		} else if (!strcmp(o, "V") || matches(o, "Version")) {
			printf("ngre utility, %s (netlink family %s version %d)\n",
			       NGRE_CLI_VERSION, NGRE_GENL_NAME, NGRE_GENL_VERSION);
			return EXIT_OK;
		} else if (matches(o, "help") || !strcmp(o, "h")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			return usage_err("unknown option \"%s\"; try \"ngre help\"", argv[1]);
		}
		argc--;
		argv++;
	}
	if (batch_file && argc > 1)
		return usage_err("unexpected argument \"%s\" after \"-batch %s\"",
				 argv[1], batch_file);
	if (force && !batch_file)
		return usage_err("\"-force\" applies only to \"-batch\"");
	if (!batch_file && argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!batch_file && matches(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (netns && enter_netns(netns))
		return EXIT_USAGE;
	memset(&nl, 0, sizeof(nl));
	ret = batch_file ? run_batch(&nl, batch_file, force) : run(&nl, argc - 1, argv + 1);
	nl_close(&nl);
	return ret;
}
