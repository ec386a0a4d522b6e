// SPDX-License-Identifier: GPL-2.0
/*
 * ngre CLI: printing an object once for both outputs, in the style of
 * iproute2's print_*() functions.  Each call names what it prints for
 * which output: PRINT_ANY prints the value under @key in JSON (-j), or
 * with the printf format @fmt in text; PRINT_JSON and PRINT_FP print it
 * in only one of them.  A NULL @key is a value of a JSON array; a NULL
 * @fmt prints nothing in text.  JSON goes through the writer of json.c.
 */
#include "ngre.h"

static bool to_json(enum output_type t)
{
	return opts.json && (t & PRINT_JSON);
}

static bool to_text(enum output_type t, const char *fmt)
{
	return !opts.json && (t & PRINT_FP) && fmt;
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (to_json(t))
		jw_str(key, value);
	else if (to_text(t, fmt))
		printf(fmt, value);
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (to_json(t))
		jw_uint(key, value);
	else if (to_text(t, fmt))
		printf(fmt, value);
}

/* @fmt takes an unsigned long long ("%llu"). */
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (to_json(t))
		jw_uint(key, value);
	else if (to_text(t, fmt))
		printf(fmt, (unsigned long long)value);
}

/* In text, @fmt takes the string "true" or "false". */
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (to_json(t))
		jw_bool(key, value);
	else if (to_text(t, fmt))
		printf(fmt, value ? "true" : "false");
}

/*
 * An absent value: null in JSON, as every absent value is; in text @fmt
 * with @value, what text shows instead ("none", "-").
 */
void print_null(enum output_type t, const char *key, const char *fmt,
		const char *value)
{
	if (to_json(t))
		jw_null(key);
	else if (to_text(t, fmt))
		printf(fmt, value);
}

/* JSON only: an object or an array, under @key (NULL: in an array). */
void open_json_object(const char *key)
{
	if (!opts.json)
		return;
	jw_key(key);
	jw_open('{');
}

void close_json_object(void)
{
	if (opts.json)
		jw_close('}');
}

void open_json_array(const char *key)
{
	if (!opts.json)
		return;
	jw_key(key);
	jw_open('[');
}

void close_json_array(void)
{
	if (opts.json)
		jw_close(']');
}

/* Text only: the end of a line. */
void print_nl(void)
{
	if (!opts.json)
		putchar('\n');
}
