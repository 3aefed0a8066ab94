// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm's JSON writer; see json.h.
 */
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

static void indent(struct json *j, int depth)
{
	fputc('\n', j->f);
	while (depth-- > 0)
		fputs("  ", j->f);
}

/* What comes before a member: a comma after the one before, a new line. */
static void member(struct json *j)
{
	if (j->depth == 0)
		return;
	if (j->items[j->depth])
		fputc(',', j->f);
	j->items[j->depth] = true;
	if (j->pretty)
		indent(j, j->depth);
}

/* Before a value: after its key, or as a member of an array. */
static void value(struct json *j)
{
	if (j->key_pending)
		j->key_pending = false;
	else
		member(j);
}

static void begin(struct json *j, char c)
{
	value(j);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->items[j->depth] = false;
}

static void end(struct json *j, char c)
{
	if (j->pretty && j->items[j->depth])
		indent(j, j->depth - 1);
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_object_begin(struct json *j)
{
	begin(j, '{');
}

void json_object_end(struct json *j)
{
	end(j, '}');
}

void json_array_begin(struct json *j)
{
	begin(j, '[');
}

void json_array_end(struct json *j)
{
	end(j, ']');
}

void json_key(struct json *j, const char *key)
{
	member(j);
	json_write_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->key_pending = true;
}

/* Length of the valid UTF-8 sequence at p, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n, i;
	uint32_t cp;

	if (*p < 0x80)
		return 1;
	if ((*p & 0xe0) == 0xc0) {
		n = 2;
		cp = *p & 0x1f;
	} else if ((*p & 0xf0) == 0xe0) {
		n = 3;
		cp = *p & 0x0f;
	} else if ((*p & 0xf8) == 0xf0) {
		n = 4;
		cp = *p & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are invalid */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_write_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	while (*p) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			n = utf8_len(p);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

void json_str(struct json *j, const char *s)
{
	value(j);
	if (s)
		json_write_string(j->f, s);
	else
		fputs("null", j->f);
}

void json_null(struct json *j)
{
	value(j);
	fputs("null", j->f);
}

void json_bool(struct json *j, bool v)
{
	value(j);
	fputs(v ? "true" : "false", j->f);
}

void json_int(struct json *j, long long v)
{
	value(j);
	fprintf(j->f, "%lld", v);
}

void json_uint(struct json *j, unsigned long long v)
{
	value(j);
	fprintf(j->f, "%llu", v);
}

void json_number(struct json *j, const char *digits)
{
	const char *p = digits + (digits[0] == '-');

	value(j);
	/* an integer in JSON's syntax: no leading zero, no sign but '-' */
	if (!*p || strspn(p, "0123456789") != strlen(p) || (p[0] == '0' && p[1]))
		fputs("null", j->f);
	else
		fputs(digits, j->f);
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_null(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_uint(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_uint(j, v);
}
