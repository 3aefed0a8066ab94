// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm's JSON writer (json.c): commas, nesting, empty containers, the
 * compact and the pretty layout, numbers, null, and a newline after each
 * top-level value.  (String escaping is test_output.c's.)
 */
#include <stdlib.h>

#include "json.h"
#include "tap.h"

#define CAPTURE(buf, pretty, stmt)					\
	do {								\
		size_t len_;						\
		struct json j_;						\
		FILE *f_ = open_memstream(&(buf), &len_);		\
		struct json *j = &j_;					\
		json_init(j, f_, pretty);				\
		stmt;							\
		fclose(f_);						\
	} while (0)

/* {"a":1,"b":[true,null,"x"],"c":{},"d":[],"e":{"f":-2}} */
static void sample(struct json *j)
{
	json_object_begin(j);
	json_kv_int(j, "a", 1);
	json_key(j, "b");
	json_array_begin(j);
	json_bool(j, true);
	json_null(j);
	json_str(j, "x");
	json_array_end(j);
	json_key(j, "c");
	json_object_begin(j);
	json_object_end(j);
	json_key(j, "d");
	json_array_begin(j);
	json_array_end(j);
	json_key(j, "e");
	json_object_begin(j);
	json_kv_int(j, "f", -2);
	json_object_end(j);
	json_object_end(j);
}

int main(void)
{
	char *got = NULL;

	CAPTURE(got, false, sample(j));
	is_str(got, "{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{},\"d\":[],\"e\":{\"f\":-2}}\n",
	       "compact: one line, no blanks, a newline at the end");
	free(got);

	CAPTURE(got, true, sample(j));
	is_str(got,
	       "{\n"
	       "  \"a\": 1,\n"
	       "  \"b\": [\n"
	       "    true,\n"
	       "    null,\n"
	       "    \"x\"\n"
	       "  ],\n"
	       "  \"c\": {},\n"
	       "  \"d\": [],\n"
	       "  \"e\": {\n"
	       "    \"f\": -2\n"
	       "  }\n"
	       "}\n",
	       "pretty: a member a line, two spaces a level, empty containers closed at once");
	free(got);

	CAPTURE(got, false, (sample(j), sample(j)));
	ok(got && !strcmp(got, "{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{},\"d\":[],\"e\":{\"f\":-2}}\n"
				"{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{},\"d\":[],\"e\":{\"f\":-2}}\n"),
	   "two top-level values: two lines, no comma between them");
	free(got);

	CAPTURE(got, false, (json_array_begin(j), json_number(j, "42"), json_number(j, "-7"),
			     json_number(j, "0"), json_number(j, "007"), json_number(j, "1e3"),
			     json_number(j, ""), json_number(j, "-"), json_uint(j, 18446744073709551615ull),
			     json_int(j, -9223372036854775807ll - 1), json_array_end(j)));
	is_str(got, "[42,-7,0,null,null,null,null,18446744073709551615,-9223372036854775808]\n",
	       "numbers: integers as they are, anything else null");
	free(got);

	CAPTURE(got, false, (json_object_begin(j), json_kv_str(j, "s", NULL),
			     json_kv_null(j, "n"), json_kv_bool(j, "f", false),
			     json_kv_uint(j, "u", 3), json_kv_str(j, "k\"ey", "v\n"),
			     json_object_end(j)));
	is_str(got, "{\"s\":null,\"n\":null,\"f\":false,\"u\":3,\"k\\\"ey\":\"v\\n\"}\n",
	       "a NULL string is null; keys are escaped like strings");
	free(got);

	CAPTURE(got, true, (json_object_begin(j), json_object_end(j)));
	is_str(got, "{}\n", "pretty: an empty object on its line");
	free(got);

	CAPTURE(got, false, (json_array_begin(j), json_array_begin(j), json_array_begin(j),
			     json_array_end(j), json_array_end(j), json_array_end(j)));
	is_str(got, "[[[]]]\n", "nested arrays");
	free(got);
	return tap_done();
}
