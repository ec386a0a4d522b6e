// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: "ngre config ...", the settings of the namespace
 * (NGRE_CMD_CONFIG_GET and NGRE_CMD_CONFIG_SET).
 */
#include <string.h>

#include "ngre.h"

/* The settings, in the order "config show" prints them. */
static const struct setting {
	const char *word;	/* in "config set" and text output */
	const char *key;	/* in JSON output */
	uint16_t attr;		/* NGRE_CONFIG_A_* */
	uint32_t min, max;	/* what "config set" takes; 0, 0: read-only */
	bool eol;		/* the last of its line in text output */
} settings[] = {
	{ "max-tunnels", "max_tunnels", NGRE_CONFIG_A_MAX_TUNNELS, 1,
	  NGRE_MAX_TUNNELS_LIMIT, false },
	{ "tunnels", "tunnels", NGRE_CONFIG_A_TUNNELS, 0, 0, true },
	{ "max-sessions", "max_sessions", NGRE_CONFIG_A_MAX_SESSIONS, 1,
	  NGRE_MAX_SESSIONS_LIMIT, false },
	{ "sessions", "sessions", NGRE_CONFIG_A_SESSIONS, 0, 0, false },
	{ "services", "services", NGRE_CONFIG_A_SERVICES, 0, 0, true },
	{ "timeout-tcp-opening", "timeout_tcp_opening",
	  NGRE_CONFIG_A_TIMEOUT_TCP_OPENING, 1, NGRE_TIMEOUT_MAX, false },
	{ "timeout-tcp-established", "timeout_tcp_established",
	  NGRE_CONFIG_A_TIMEOUT_TCP_ESTABLISHED, 1, NGRE_TIMEOUT_MAX, false },
	{ "timeout-tcp-closing", "timeout_tcp_closing",
	  NGRE_CONFIG_A_TIMEOUT_TCP_CLOSING, 1, NGRE_TIMEOUT_MAX, false },
	{ "timeout-udp", "timeout_udp", NGRE_CONFIG_A_TIMEOUT_UDP, 1,
	  NGRE_TIMEOUT_MAX, false },
	{ "timeout-icmp", "timeout_icmp", NGRE_CONFIG_A_TIMEOUT_ICMP, 1,
	  NGRE_TIMEOUT_MAX, false },
	{ "timeout-other", "timeout_other", NGRE_CONFIG_A_TIMEOUT_OTHER, 1,
	  NGRE_TIMEOUT_MAX, true },
};

/* Values of settings[], and whether each is known. */
struct config {
	uint32_t val[ARRAY_SIZE(settings)];
	bool has[ARRAY_SIZE(settings)];
};

static int setting_of_attr(unsigned int attr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		if (settings[i].attr == attr)
			return i;
	}
	return -1;
}

static void parse_config(const struct nlmsghdr *nlh, struct config *c)
{
	const struct nlattr *top = reply_nest(nlh, NGRE_A_CONFIG), *a;
	int i;

	if (!top)
		return;
	mnl_attr_for_each_nested(a, top) {
		i = setting_of_attr(mnl_attr_get_type(a));
		if (i < 0 || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			continue;
		c->val[i] = mnl_attr_get_u32(a);
		c->has[i] = true;
	}
}

/*
 * The settings: in JSON each under its key, null if unknown; in text
 * "word value" pairs, a line per group, "-" for what is unknown.
 */
static void print_config(const struct config *c)
{
	unsigned int i;
	bool first = true;

	open_json_object(NULL);
	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		print_string(PRINT_FP, NULL, first ? "%s " : " %s ", settings[i].word);
		if (c->has[i])
			print_uint(PRINT_ANY, settings[i].key, "%u", c->val[i]);
		else
			print_null(PRINT_ANY, settings[i].key, "%s", "-");
		first = settings[i].eol;
		if (first)
			print_nl();
	}
	close_json_object();
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config c = { 0 };

	parse_config(nlh, &c);
	print_config(&c);
	return MNL_CB_OK;
}

static void config_usage(FILE *f)
{
	fprintf(f, "Usage: ngre config show\n"
		   "       ngre config set SETTING VALUE [ SETTING VALUE ... ]\n"
		   "where  SETTING := { max-tunnels | max-sessions |\n"
		   "                    timeout-tcp-opening | timeout-tcp-established |\n"
		   "                    timeout-tcp-closing | timeout-udp |\n"
		   "                    timeout-icmp | timeout-other }\n"
		   "       max-tunnels 1..%u, max-sessions 1..%u,\n"
		   "       timeouts in seconds, 1..%u\n",
		NGRE_MAX_TUNNELS_LIMIT, NGRE_MAX_SESSIONS_LIMIT, NGRE_TIMEOUT_MAX);
}

/* A setting "config set" takes, by its word; -1 if none. */
static int setting_of_word(const char *word)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		if (settings[i].max && !strcmp(settings[i].word, word))
			return i;
	}
	return -1;
}

/* The WORD VALUE pairs of "config set" into @c; the last value counts. */
static int parse_config_args(int argc, char **argv, struct config *c)
{
	int i, s;

	for (i = 0; i < argc; i += 2) {
		s = setting_of_word(argv[i]);
		if (s < 0)
			return usage_err("config set: unknown parameter \"%s\"", argv[i]);
		if (i + 1 >= argc)
			return usage_err("\"%s\" needs an argument", argv[i]);
		if (parse_u32(argv[i + 1], argv[i], settings[s].min,
			      settings[s].max, &c->val[s]))
			return EXIT_USAGE;
		c->has[s] = true;
	}
	return 0;
}

static int config_set(struct nl *nl, int argc, char **argv)
{
	struct config c = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;
	int err;

	if (argc < 1) {
		config_usage(stderr);
		return EXIT_USAGE;
	}
	if (parse_config_args(argc, argv, &c))
		return EXIT_USAGE;
	nlh = nl_msg(nl, NGRE_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, NGRE_A_CONFIG);
	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		if (c.has[i])
			mnl_attr_put_u32(nlh, settings[i].attr, c.val[i]);
	}
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nl, nlh, NULL, NULL);
	return err ? nl_report(nl, err, "config set") : EXIT_OK;
}

int do_config(struct nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int err;

	if (argc >= 2 && matches(argv[1], "help")) {
		config_usage(stdout);
		return EXIT_OK;
	}
	if (argc < 1 || matches(argv[0], "show")) {
		if (argc > 1)
			return usage_err("config show: unexpected argument \"%s\"",
					 argv[1]);
		nlh = nl_msg(nl, NGRE_CMD_CONFIG_GET, 0);
		err = nl_talk_one(nl, nlh, config_cb, NULL);
		return err ? nl_report(nl, err, "config show") : EXIT_OK;
	}
	if (matches(argv[0], "help")) {
		config_usage(stdout);
		return EXIT_OK;
	}
	if (!matches(argv[0], "set"))
		return usage_err("unknown config command \"%s\"", argv[0]);
	return config_set(nl, argc - 1, argv + 1);
}
