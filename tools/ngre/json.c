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

/* The length of the valid UTF-8 character at @s (1 to 4), or 0. */
static int utf8_char_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/*
 * A JSON string.  Names come from the kernel, where a device name may
 * hold any bytes: what is not UTF-8, which JSON must be, is written as
 * the replacement character U+FFFD.
 */
static void put_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	putchar('"');
	while (*s) {
		n = utf8_char_len(s);
		if (!n) {
			fputs("\\ufffd", stdout);
			s++;
		} else if (*s == '"' || *s == '\\') {
			printf("\\%c", *s++);
		} else if (*s < 0x20) {
			printf("\\u%04x", *s++);
		} else {
			fwrite(s, 1, n, stdout);
			s += n;
		}
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
