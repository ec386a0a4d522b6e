// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: what the objects of the command line (tunnel, service,
 * session) share: finding the command, and deleting and showing an
 * object by its name.
 */
#include <string.h>

#include "ngre.h"

/*
 * "ngre OBJECT [ COMMAND ... ]": the first of o->verbs that COMMAND
 * abbreviates; without a COMMAND, "show".
 */
int do_object(struct nl *nl, const struct object *o, int argc, char **argv)
{
	const struct verb *v;

	if (argc < 1)
		return do_object(nl, o, 1, (char *[]){ "show" });
	for (v = o->verbs; v->word; v++) {
		if (matches(argv[0], v->word))
			return v->run(nl, o, argc - 1, argv + 1);
	}
	if (matches(argv[0], "help")) {
		o->usage(stdout);
		return EXIT_OK;
	}
	return usage_err("unknown %s command \"%s\"; try \"ngre %s help\"",
			 o->name, argv[0], o->name);
}

/* "OBJECT del NAME". */
int object_del(struct nl *nl, const struct object *o, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	char what[32];
	int err = help_or_none(argc, argv, o->usage);

	if (err >= 0)
		return err;
	snprintf(what, sizeof(what), "%s del", o->name);
	if (argc > 1)
		return usage_err("%s: unexpected argument \"%s\"", what, argv[1]);
	if (o->check_name(argv[0], "NAME"))
		return EXIT_USAGE;
	nlh = nl_msg(nl, o->del, 0);
	put_name(nlh, o->nest, o->name_attr, argv[0]);
	err = nl_talk(nl, nlh, NULL, NULL);
	return err ? nl_report(nl, err, what) : EXIT_OK;
}

/* "OBJECT show [ NAME ]": one object, or a dump of them all. */
int object_show(struct nl *nl, const struct object *o, int argc, char **argv)
{
	char what[32];
	struct show s = { .what = what, .objects = o->plural, .print = o->print };
	struct nlmsghdr *nlh;

	if (argc >= 1 && !strcmp(argv[0], "help")) {
		o->usage(stdout);
		return EXIT_OK;
	}
	snprintf(what, sizeof(what), "%s show", o->name);
	if (argc > 1)
		return usage_err("%s: unexpected argument \"%s\"", what, argv[1]);
	if (argc && o->check_name(argv[0], "NAME"))
		return EXIT_USAGE;
	nlh = nl_msg(nl, o->get, argc ? 0 : NLM_F_DUMP);
	if (argc)
		put_name(nlh, o->nest, o->name_attr, argv[0]);
	return nl_show(nl, nlh, &s);
}
