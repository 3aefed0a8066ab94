// SPDX-License-Identifier: GPL-2.0-only
/* pptadm's output formats: JSON escaping, parseable escaping, -o fields. */
#include <stdlib.h>

#include "output.h"
#include "tap.h"

/* Run fn into a memory stream and return what it printed (malloc()ed). */
#define CAPTURE(buf, stmt)						\
	do {								\
		size_t len_;						\
		FILE *f = open_memstream(&(buf), &len_);		\
		stmt;							\
		fclose(f);						\
	} while (0)

static void json_case(const char *in, const char *want, const char *what)
{
	char *got = NULL;

	CAPTURE(got, json_string(f, in));
	is_str(got, want, "json: %s", what);
	free(got);
}

static struct out_device dev(const char *addr, const char *owner)
{
	struct out_device d = { 0 };

	snprintf(d.info.addr, sizeof(d.info.addr), "%s", addr);
	snprintf(d.info.owner, sizeof(d.info.owner), "%s", owner);
	d.info.state = PPT_STATE_CLAIMED;
	d.info.vendor = 0x1234;
	d.info.device = 0x1111;
	d.info.iommu_group = -1;
	return d;
}

int main(void)
{
	struct out_fields fl;
	char bad[32], *got = NULL;
	struct out_device d[2];

	json_case("plain", "\"plain\"", "plain text");
	json_case("a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash");
	json_case("\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\"", "named controls");
	json_case("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"",
		  "other controls as \\u");
	json_case("caf\xc3\xa9", "\"caf\xc3\xa9\"", "UTF-8 passes through");
	json_case("", "\"\"", "empty string");

	CAPTURE(got, parseable_string(f, "a:b\\c"));
	is_str(got, "a\\:b\\\\c", "parseable escapes ':' and '\\'");
	free(got);

	ok(out_fields_parse(NULL, &fl, bad, sizeof(bad)) == 0 && fl.n > 0,
	   "default fields");
	ok(out_fields_parse("addr,STATE,owner", &fl, bad, sizeof(bad)) == 0 &&
	   fl.n == 3, "named fields, case-insensitive");
	ok(out_fields_parse("addr,nosuch", &fl, bad, sizeof(bad)) == -1,
	   "unknown field rejected");
	is_str(bad, "nosuch", "the unknown field is named");
	ok(out_fields_parse("addr,", &fl, bad, sizeof(bad)) == -1,
	   "empty field name rejected");
	ok(out_fields_parse("", &fl, bad, sizeof(bad)) == -1,
	   "empty list rejected");

	d[0] = dev("0000:01:00.0", "vm \"one\"");
	d[1] = dev("0000:02:00.0", "");
	out_fields_parse("addr,owner,group,boot", &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, d, 2));
	is_str(got,
	       "{\"devices\":[{\"addr\":\"0000:01:00.0\",\"owner\":\"vm \\\"one\\\"\",\"group\":null,\"boot\":false},"
	       "{\"addr\":\"0000:02:00.0\",\"owner\":null,\"group\":null,\"boot\":false}]}\n",
	       "JSON device list: stable object, missing values null");
	free(got);

	CAPTURE(got, out_devices(f, OUT_JSON, &fl, d, 0));
	is_str(got, "{\"devices\":[]}\n", "JSON empty list");
	free(got);

	out_fields_parse("addr,owner", &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_PARSEABLE, &fl, d, 2));
	is_str(got, "0000\\:01\\:00.0:vm \"one\"\n0000\\:02\\:00.0:\n",
	       "parseable: escaped, empty for missing");
	free(got);

	out_fields_parse("addr,state,owner", &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_TABLE, &fl, d, 2));
	is_str(got,
	       "ADDR          STATE    OWNER\n"
	       "0000:01:00.0  claimed  vm \"one\"\n"
	       "0000:02:00.0  claimed  --\n",
	       "table: aligned columns, -- for missing");
	free(got);
	return tap_done();
}
