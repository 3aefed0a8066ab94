/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm's one JSON writer: every JSON pptadm prints goes through it, so
 * commas, escaping and the layout are decided in one place.
 *
 * A writer streams one value at a time to a FILE: objects and arrays are
 * opened and closed, keys and scalars written in between; a top-level
 * value ends with a newline.  Compact by default, every value on one line
 * ({"devices":[{"addr":"0000:01:00.0"}]}); pretty (--pretty) puts each
 * member on a line of its own, indented by two spaces per level, with a
 * space after each colon, and empty containers as {} and [].
 *
 * Strings are escaped: quotes, backslashes and control characters (DEL
 * too) as \", \\, \n... or \u00XX; valid UTF-8 passes through, and each
 * byte of an invalid sequence becomes U+FFFD.
 *
 * PPTADM_JSON_VERSION is the version of the shapes pptadm prints, which
 * the JSON Schema (userspace/pptadm/pptadm.schema.json, installed as
 * share/ppt/pptadm.schema.json) describes under its "$id": it changes when
 * a key is removed or renamed or a value changes its type; keys are added
 * without a change.
 */
#ifndef PPTADM_JSON_H
#define PPTADM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PPTADM_JSON_VERSION	1

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool key_pending;		/* a key was written, its value is next */
	bool items[JSON_MAX_DEPTH];	/* the container at that depth has a member */
};

void json_init(struct json *j, FILE *f, bool pretty);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);

/* A member's key; its value is written next. */
void json_key(struct json *j, const char *key);

/* Scalars.  json_str() writes null for NULL. */
void json_str(struct json *j, const char *s);
void json_null(struct json *j);
void json_bool(struct json *j, bool v);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
/* A number already in decimal (a field's text); null when it is not one. */
void json_number(struct json *j, const char *digits);

/* Key and value in one call. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_null(struct json *j, const char *key);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_uint(struct json *j, const char *key, unsigned long long v);

/*
 * A JSON string on its own, for text formats that quote a value the JSON
 * way (monitor's human lines).
 */
void json_write_string(FILE *f, const char *s);

#endif /* PPTADM_JSON_H */
