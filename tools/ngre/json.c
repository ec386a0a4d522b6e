// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: a minimal JSON writer on stdout, compact or (-p) indented.
 */
#include "ngre.h"

static int depth;
static bool need_comma[16];

static void indent(void)
{
	int i;

	if (!opts.pretty)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("    ", stdout);
}

static void sep(void)
{
	if (!depth)
		return;	/* top-level values stand alone, one per line */
	if (need_comma[depth])
		putchar(',');
	need_comma[depth] = true;
	if (depth)
		indent();
}

static void put_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* A key inside an object; NULL inside an array. */
void jw_key(const char *key)
{
	sep();
	if (key) {
		put_string(key);
		fputs(opts.pretty ? ": " : ":", stdout);
	}
}

void jw_open(char c)
{
	putchar(c);
	if (depth < 15)
		depth++;
	need_comma[depth] = false;
}

void jw_close(char c)
{
	bool any = need_comma[depth];

	if (depth)
		depth--;
	if (any)
		indent();
	putchar(c);
	if (!depth)
		putchar('\n');
}

void jw_str(const char *key, const char *val)
{
	jw_key(key);
	put_string(val);
}

void jw_uint(const char *key, uint64_t val)
{
	jw_key(key);
	printf("%llu", (unsigned long long)val);
}

void jw_null(const char *key)
{
	jw_key(key);
	fputs("null", stdout);
}

void jw_bool(const char *key, bool val)
{
	jw_key(key);
	fputs(val ? "true" : "false", stdout);
}
