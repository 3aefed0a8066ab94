// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm's output formats: JSON escaping (controls, quotes, UTF-8),
 * parseable escaping, -o fields and aliases, tables, show's vertical form,
 * devices ppt does not manage, match rows, and JSON errors.
 */
#include <errno.h>
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

	CAPTURE(got, json_write_string(f, in));
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
	d.info.last_reset = -1;
	d.info.reset_pref = -1;
	return d;
}

static void test_new_fields(void)
{
	struct out_device d = dev("0000:03:00.0", "vm1");
	struct out_fields fl;
	char bad[32], *got = NULL;

	d.info.reset_methods = 1u << PPT_RESET_FLR | 1u << PPT_RESET_PM;
	d.info.last_reset = PPT_RESET_FLR;
	d.info.last_reset_usec = 51234;
	snprintf(d.info.slot, sizeof(d.info.slot), "%s", "3");
	snprintf(d.vendor_name, sizeof(d.vendor_name), "%s", "Vendor \"Q\"");
	ok(out_fields_parse(&out_device_fields, "id,used_by,subsystem,iommu_group", &fl,
			    bad, sizeof(bad)) == 0 && fl.n == 4,
	   "RFD 114 names as aliases");
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, &d, 1));
	is_str(got,
	       "{\"devices\":[{\"addr\":\"0000:03:00.0\",\"owner\":\"vm1\",\"subdevice\":\"0000\",\"group\":null}]}\n",
	       "aliases print under the field's own name");
	free(got);

	d.info.reset_pref = PPT_RESET_SBR;
	out_fields_parse(&out_device_fields, "slot,reset_methods,last_reset,last_reset_usec,reset_pref,vendor_name",
			 &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, &d, 1));
	is_str(got,
	       "{\"devices\":[{\"slot\":\"3\",\"reset_methods\":[\"flr\",\"pm\"],"
	       "\"last_reset\":\"flr\",\"last_reset_usec\":51234,\"reset_pref\":\"sbr\",\"vendor_name\":\"Vendor \\\"Q\\\"\"}]}\n",
	       "JSON: methods as an array, the duration as a number");
	free(got);
	CAPTURE(got, out_devices(f, OUT_PARSEABLE, &fl, &d, 1));
	is_str(got, "3:flr,pm:flr:51234:sbr:Vendor \"Q\"\n", "parseable");
	free(got);

	d.info.reset_methods = 0;
	d.info.last_reset = -1;
	d.info.slot[0] = '\0';
	d.info.reset_pref = -1;
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, &d, 1));
	is_str(got,
	       "{\"devices\":[{\"slot\":null,\"reset_methods\":[],\"last_reset\":null,"
	       "\"last_reset_usec\":null,\"reset_pref\":null,\"vendor_name\":\"Vendor \\\"Q\\\"\"}]}\n",
	       "no methods: []; never reset, no preference: null");
	free(got);
	CAPTURE(got, out_devices(f, OUT_TABLE, &fl, &d, 1));
	is_str(got,
	       "SLOT  RESET_METHODS  LAST_RESET  LAST_RESET_USEC  RESET_PREF  VENDOR_NAME\n"
	       "-     -              -           -                -           Vendor \"Q\"\n",
	       "table: - for what is missing");
	free(got);

	ok(out_fields_parse(&out_device_fields, "all", &fl, bad, sizeof(bad)) == 0 &&
	   fl.n == (int)out_device_fields.n, "\"all\" selects every field");
	ok(strstr(out_field_names(&out_device_fields), "reset_methods,last_reset,last_reset_usec") != NULL,
	   "the field list names the new fields");
}

static void test_host_only(void)
{
	struct out_device d = dev("0000:00:1f.0", "");
	struct out_fields fl;
	char bad[32], *got = NULL;

	d.host_only = true;
	snprintf(d.info.driver, sizeof(d.info.driver), "%s", "lpc_ich");
	out_fields_parse(&out_device_fields, "addr,state,driver,boot,reset_methods", &fl,
			 bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_TABLE, &fl, &d, 1));
	is_str(got,
	       "ADDR          STATE  DRIVER   BOOT  RESET_METHODS\n"
	       "0000:00:1f.0  -      lpc_ich  -     -\n",
	       "a device ppt does not manage: state -, the kernel's fields missing");
	free(got);
	CAPTURE(got, out_devices(f, OUT_PARSEABLE, &fl, &d, 1));
	is_str(got, "0000\\:00\\:1f.0:-:lpc_ich::\n", "parseable: state -");
	free(got);
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, &d, 1));
	is_str(got,
	       "{\"devices\":[{\"addr\":\"0000:00:1f.0\",\"state\":null,\"driver\":\"lpc_ich\","
	       "\"boot\":null,\"reset_methods\":null}]}\n",
	       "JSON: state null, and what only the kernel knows null");
	free(got);
}

static void test_vertical_and_matches(void)
{
	struct out_device d[2] = { dev("0000:01:00.0", "vm1"), dev("0000:02:00.0", "") };
	struct out_match m[2] = {
		{ PPT_MATCH_IDS, "1234:1111", true, -1 },
		{ PPT_MATCH_PATH, "0000:00/02.0/00.0", false, PPT_RESET_SBR },
	};
	struct out_fields fl;
	char bad[32], *got = NULL;

	out_fields_parse(&out_device_fields, "addr,owner,group", &fl, bad, sizeof(bad));
	CAPTURE(got, out_rows_vertical(f, &out_device_fields, &fl, d, 2));
	is_str(got,
	       "addr:  0000:01:00.0\nowner: vm1\ngroup: -\n"
	       "\n"
	       "addr:  0000:02:00.0\nowner: -\ngroup: -\n",
	       "show: field: value lines, a blank line between devices");
	free(got);

	ok(out_fields_parse(&out_match_fields, NULL, &fl, bad, sizeof(bad)) == 0 && fl.n == 4,
	   "match fields: kind, text, boot, reset_pref");
	CAPTURE(got, out_rows(f, OUT_TABLE, &out_match_fields, &fl, m, 2));
	is_str(got,
	       "KIND  TEXT               BOOT  RESET_PREF\n"
	       "ids   1234:1111          yes   -\n"
	       "path  0000:00/02.0/00.0  no    sbr\n",
	       "match list table");
	free(got);
	CAPTURE(got, out_rows(f, OUT_JSON, &out_match_fields, &fl, m, 2));
	is_str(got,
	       "{\"matches\":[{\"kind\":\"ids\",\"text\":\"1234:1111\",\"boot\":true,\"reset_pref\":null},"
	       "{\"kind\":\"path\",\"text\":\"0000:00/02.0/00.0\",\"boot\":false,\"reset_pref\":\"sbr\"}]}\n",
	       "match list JSON");
	free(got);
	out_fields_parse(&out_match_fields, "text,boot", &fl, bad, sizeof(bad));
	CAPTURE(got, out_rows(f, OUT_PARSEABLE, &out_match_fields, &fl, m, 1));
	is_str(got, "1234\\:1111:yes\n", "match list parseable");
	free(got);
	ok(out_fields_parse(&out_match_fields, "kind,addr", &fl, bad, sizeof(bad)) == -1,
	   "a device field is not a match field");
	is_str(out_field_names(&out_match_fields), "kind,text,boot,reset_pref", "match field names");
}

/* changing commands' records, the versions, -o twice, --pretty */
static void test_records(void)
{
	struct out_result r = { "reserve", "0000:3b:00.0", "reserved", "", 42, -1, NULL };
	struct out_result m = { "match del", NULL, NULL, NULL, 0, PPT_MATCH_IDS, "8086:10ed" };
	struct out_version v = { "0.1.0", 2, "0.1.0", 2, NULL };
	struct out_version none = { "0.1.0", 2, NULL, 0, NULL };
	struct out_version why = { "0.1.0", 2, "0.1.0", 0, "not reachable" };
	struct out_device d = dev("0000:01:00.0", "vm1");
	struct out_fields fl;
	char bad[32], *got = NULL;

	CAPTURE(got, out_result(f, OUT_JSON, &r));
	is_str(got, "{\"device\":\"0000:3b:00.0\",\"operation\":\"reserve\",\"ok\":true,"
	       "\"state\":\"reserved\",\"owner\":null,\"request_id\":42,\"entry\":null}\n",
	       "a record: the device, the operation, its state now, the request id");
	free(got);
	CAPTURE(got, out_result(f, OUT_JSON, &m));
	is_str(got, "{\"device\":null,\"operation\":\"match del\",\"ok\":true,\"state\":null,"
	       "\"owner\":null,\"request_id\":null,\"entry\":{\"kind\":\"ids\",\"text\":\"8086:10ed\"}}\n",
	       "an entry's record: no device, the entry");
	free(got);
	CAPTURE(got, out_result(f, OUT_TABLE, &r));
	is_str(got, "", "humans: success is silent");
	free(got);

	CAPTURE(got, out_version(f, OUT_TABLE, &v));
	is_str(got, "pptadm 0.1.0 (protocol 2, JSON 1)\nmodule 0.1.0 (protocol 2)\n", "versions");
	free(got);
	CAPTURE(got, out_version(f, OUT_TABLE, &none));
	is_str(got, "pptadm 0.1.0 (protocol 2, JSON 1)\nmodule not loaded\n", "... without the module");
	free(got);
	CAPTURE(got, out_version(f, OUT_TABLE, &why));
	is_str(got, "pptadm 0.1.0 (protocol 2, JSON 1)\nmodule 0.1.0 (protocol unknown: not reachable)\n",
	       "... when its protocol cannot be asked");
	free(got);
	CAPTURE(got, out_version(f, OUT_JSON, &none));
	is_str(got, "{\"pptadm\":\"0.1.0\",\"module\":null,\"protocol\":2,\"module_protocol\":null,\"json\":1}\n",
	       "... as JSON");
	free(got);

	ok(out_fields_parse(&out_device_fields, "addr,state,addr", &fl, bad, sizeof(bad)) ==
	   OUT_FIELD_TWICE && !strcmp(bad, "addr"), "-o addr,state,addr: a field twice, named");
	ok(out_fields_parse(&out_device_fields, "ID,address", &fl, bad, sizeof(bad)) ==
	   OUT_FIELD_TWICE && !strcmp(bad, "addr"), "-o ID,address: two aliases of addr");
	ok(out_fields_parse(&out_device_fields, "addr,nosuch", &fl, bad, sizeof(bad)) ==
	   OUT_FIELD_UNKNOWN && !strcmp(bad, "nosuch"), "an unknown field, as given");

	out_fields_parse(&out_device_fields, "addr,group,reset_methods", &fl, bad, sizeof(bad));
	d.info.reset_methods = 1u << PPT_RESET_FLR;
	CAPTURE(got, out_devices(f, OUT_JSON_PRETTY, &fl, &d, 1));
	is_str(got, "{\n  \"devices\": [\n    {\n      \"addr\": \"0000:01:00.0\",\n"
	       "      \"group\": null,\n      \"reset_methods\": [\n        \"flr\"\n      ]\n    }\n  ]\n}\n",
	       "--pretty: the same keys, indented");
	free(got);
	ok(out_is_json(OUT_JSON) && out_is_json(OUT_JSON_PRETTY) && !out_is_json(OUT_PARSEABLE),
	   "out_is_json");
}

static void test_errors(void)
{
	struct out_error e = {
		.err = -EBUSY, .message = "another device of the IOMMU group is not held by ppt",
		.operation = "assign", .device = "0000:01:00.0",
		.blocker = "0000:01:00.1", .blocker_driver = "snd_hda_intel",
	};
	char *got = NULL, nb[16];

	CAPTURE(got, out_error(f, stdout, OUT_TABLE, &e));
	is_str(got,
	       "pptadm: assign 0000:01:00.0: Device or resource busy: another device of the IOMMU "
	       "group is not held by ppt (blocking: 0000:01:00.1, driver snd_hda_intel)\n",
	       "human error: operation, device, strerror, message, blocker");
	free(got);
	CAPTURE(got, out_error(stderr, f, OUT_JSON, &e));
	is_str(got,
	       "{\"error\":{\"errno\":\"EBUSY\",\"code\":16,\"strerror\":\"Device or resource busy\","
	       "\"message\":\"another device of the IOMMU group is not held by ppt\",\"operation\":\"assign\","
	       "\"device\":\"0000:01:00.0\",\"blocker\":\"0000:01:00.1\",\"blocker_driver\":\"snd_hda_intel\"}}\n",
	       "JSON error object");
	free(got);

	e = (struct out_error){ .err = -ENOENT, .what = "cannot reach the \"ppt\" family",
				.operation = "list" };
	CAPTURE(got, out_error(f, stdout, OUT_TABLE, &e));
	is_str(got, "pptadm: cannot reach the \"ppt\" family: No such file or directory\n",
	       "human error with its own words");
	free(got);
	CAPTURE(got, out_error(stderr, f, OUT_JSON, &e));
	is_str(got,
	       "{\"error\":{\"errno\":\"ENOENT\",\"code\":2,\"strerror\":\"No such file or directory\","
	       "\"message\":\"cannot reach the \\\"ppt\\\" family\",\"operation\":\"list\","
	       "\"device\":null,\"blocker\":null,\"blocker_driver\":null}}\n",
	       "JSON error: the words as message, nulls for the rest");
	free(got);

	e = (struct out_error){ .err = -ENODEV, .operation = "show", .device = "0000:09:00.0" };
	CAPTURE(got, out_error(f, stdout, OUT_TABLE, &e));
	is_str(got, "pptadm: show 0000:09:00.0: No such device\n", "no message at all");
	free(got);
	is_str(out_errno_name(-EOPNOTSUPP, nb, sizeof(nb)), "EOPNOTSUPP", "errno names");
	is_str(out_errno_name(4000, nb, sizeof(nb)), "E4000", "an errno without a name");
	{
		char m[64];

		out_reset_methods(0xffffffff, m, sizeof(m));
		is_str(m, "flr,pm,sbr,device_specific,acpi", "every method bit, auto never");
	}
}

/* variant and type; RFD 114's sysinfo and assignable_devices; claim's list */
static void test_inventory_shapes(void)
{
	struct out_device d[5];
	struct out_fields fl;
	char bad[32], *got = NULL;
	const char claimed[2][PPT_ADDR_BUFLEN] = { "0000:3b:00.0", "0000:3b:00.1" };

	d[0] = dev("0000:3b:00.0", "6ffa6b0e-3377-11e8-967e-abff9784e7f6");
	d[0].info.vendor = 0x10de;
	d[0].info.device = 0x1db4;
	d[0].info.subvendor = 0x10de;
	d[0].info.subdevice = 0x1214;
	d[0].info.revision = 0xa1;
	d[0].info.state = PPT_STATE_ASSIGNED;
	snprintf(d[0].info.driver, sizeof(d[0].info.driver), "%s", "vfio-pci");
	snprintf(d[0].info.path, sizeof(d[0].info.path), "%s", "0000:00/03.0/00.0");
	snprintf(d[0].variant, sizeof(d[0].variant), "%s", "nvidia_gpu_gen1");
	snprintf(d[0].type, sizeof(d[0].type), "%s", "gpu");
	d[1] = dev("0000:5e:00.0", "");
	d[1].info.state = PPT_STATE_RESERVED;
	snprintf(d[1].variant, sizeof(d[1].variant), "%s", "edu");
	snprintf(d[1].type, sizeof(d[1].type), "%s", "accel");
	d[2] = dev("0000:5f:00.0", "");
	d[2].info.state = PPT_STATE_CLEANING;
	snprintf(d[2].variant, sizeof(d[2].variant), "%s", "edu");
	snprintf(d[2].type, sizeof(d[2].type), "%s", "accel");
	d[3] = dev("0000:60:00.0", "");		/* no variant: not assignable */
	d[3].info.state = PPT_STATE_RESERVED;
	snprintf(d[3].type, sizeof(d[3].type), "%s", "nic");
	d[4] = dev("0000:61:00.0", "");		/* detached: not assignable */
	d[4].info.state = PPT_STATE_DETACHED;
	snprintf(d[4].variant, sizeof(d[4].variant), "%s", "edu");

	ok(out_fields_select(&out_device_fields, OUT_TABLE, NULL, &fl, bad, sizeof(bad)) == 0,
	   "table defaults");
	CAPTURE(got, out_devices(f, OUT_TABLE, &fl, &d[1], 3));
	is_str(got,
	       "ADDR          STATE     DRIVER  OWNER  GROUP  VENDOR  DEVICE  VARIANT  TYPE   NAME\n"
	       "0000:5e:00.0  reserved  -       -      -      1234    1111    edu      accel  -\n"
	       "0000:5f:00.0  cleaning  -       -      -      1234    1111    edu      accel  -\n"
	       "0000:60:00.0  reserved  -       -      -      1234    1111    -        nic    -\n",
	       "tables show VARIANT and TYPE by default, - without a variant");
	free(got);
	out_fields_select(&out_device_fields, OUT_JSON, NULL, &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, &d[3], 1));
	is_str(got,
	       "{\"devices\":[{\"addr\":\"0000:60:00.0\",\"state\":\"reserved\",\"driver\":null,"
	       "\"owner\":null,\"group\":null,\"vendor\":\"1234\",\"device\":\"1111\",\"name\":null}]}\n",
	       "-j without -o: the keys it always had");
	out_fields_parse(&out_device_fields, NULL, &fl, bad, sizeof(bad));
	free(got);
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, &d[3], 1));
	ok(!strstr(got, "variant"), "out_fields_parse(NULL): the same");
	free(got);
	out_fields_parse(&out_device_fields, "addr,variant,type", &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, &d[2], 2));
	is_str(got,
	       "{\"devices\":[{\"addr\":\"0000:5f:00.0\",\"variant\":\"edu\",\"type\":\"accel\"},"
	       "{\"addr\":\"0000:60:00.0\",\"variant\":null,\"type\":\"nic\"}]}\n",
	       "-j -o variant,type: null without a variant");
	free(got);
	CAPTURE(got, out_devices(f, OUT_PARSEABLE, &fl, &d[2], 2));
	is_str(got, "0000\\:5f\\:00.0:edu:accel\n0000\\:60\\:00.0::nic\n",
	       "-p: empty without a variant");
	free(got);
	out_fields_parse(&out_device_fields, "all", &fl, bad, sizeof(bad));
	CAPTURE(got, out_rows_vertical(f, &out_device_fields, &fl, &d[0], 1));
	ok(strstr(got, "\nvariant:                nvidia_gpu_gen1\ntype:                   gpu\n") != NULL,
	   "show: variant and type");
	free(got);
	d[0].info.lease = 4242;
	d[0].info.lease_ended = true;
	out_fields_parse(&out_device_fields, "lease,lease_ended", &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, d, 2));
	is_str(got,
	       "{\"devices\":[{\"lease\":4242,\"lease_ended\":true},{\"lease\":null,\"lease_ended\":false}]}\n",
	       "lease: the socket's port id, a number; null without one");
	free(got);
	CAPTURE(got, out_devices(f, OUT_TABLE, &fl, d, 2));
	is_str(got, "LEASE  LEASE_ENDED\n4242   yes\n-      no\n", "... in a table");
	free(got);

	CAPTURE(got, out_sysinfo(f, OUT_JSON, d, 2));
	is_str(got,
	       "{\"PCI Devices\":[{\"device\":\"1db4\",\"driver\":\"vfio-pci\",\"id\":\"0000:00/03.0/00.0\","
	       "\"revision\":\"a1\",\"subsystem\":\"1214\",\"subvendor\":\"10de\","
	       "\"used_by\":\"6ffa6b0e-3377-11e8-967e-abff9784e7f6\",\"vendor\":\"10de\"},"
	       "{\"device\":\"1111\",\"driver\":\"-\",\"id\":\"0000:5e:00.0\",\"revision\":\"00\","
	       "\"subsystem\":\"0000\",\"subvendor\":\"0000\",\"vendor\":\"1234\"}]}\n",
	       "sysinfo: RFD 114's keys; id the path (else the address), driver -, used_by only when used");
	free(got);
	CAPTURE(got, out_sysinfo(f, OUT_JSON, d, 0));
	is_str(got, "{\"PCI Devices\":[]}\n", "sysinfo of nothing");
	free(got);

	CAPTURE(got, out_assignable(f, OUT_JSON, d, 5));
	is_str(got,
	       "{\"assignable_devices\":[{\"id\":\"0000:00/03.0/00.0\",\"state\":\"used\",\"type\":\"gpu\","
	       "\"used_by\":\"6ffa6b0e-3377-11e8-967e-abff9784e7f6\",\"variant\":\"nvidia_gpu_gen1\"},"
	       "{\"id\":\"0000:5e:00.0\",\"state\":\"unassigned\",\"type\":\"accel\",\"variant\":\"edu\"},"
	       "{\"id\":\"0000:5f:00.0\",\"state\":\"dirty\",\"type\":\"accel\",\"variant\":\"edu\"}]}\n",
	       "assignable_devices: the devices with a variant, RFD 114's states");
	free(got);
	d[1].host_only = true;
	CAPTURE(got, out_assignable(f, OUT_JSON, &d[1], 1));
	is_str(got, "{\"assignable_devices\":[]}\n", "a device ppt does not manage is not assignable");
	free(got);

	is_str(out_assignable_state(PPT_STATE_RESERVED), "unassigned", "reserved: unassigned");
	is_str(out_assignable_state(PPT_STATE_CLAIMED), "provisioning", "claimed: provisioning");
	is_str(out_assignable_state(PPT_STATE_ASSIGNING), "provisioning", "assigning: provisioning");
	is_str(out_assignable_state(PPT_STATE_ASSIGNED), "used", "assigned: used");
	is_str(out_assignable_state(PPT_STATE_UNASSIGNING), "dirty", "unassigning: dirty");
	is_str(out_assignable_state(PPT_STATE_DIRTY), "dirty", "dirty: dirty");
	is_str(out_assignable_state(PPT_STATE_QUARANTINED), "dirty", "quarantined: dirty");
	is_str(out_assignable_state(PPT_STATE_RESETTING), "dirty", "resetting: dirty");
	ok(!out_assignable_state(PPT_STATE_DETACHED) && !out_assignable_state(PPT_STATE_RELEASING) &&
	   !out_assignable_state(PPT_STATE_RESERVING), "detached, releasing, reserving: none");

	CAPTURE(got, out_addr_list(f, OUT_TABLE, "claimed", "vm1", claimed, 2));
	is_str(got, "0000:3b:00.0\n0000:3b:00.1\n", "claimed devices: one address a line");
	free(got);
	CAPTURE(got, out_addr_list(f, OUT_JSON, "claimed", "vm \"1\"", claimed, 2));
	is_str(got, "{\"claimed\":[\"0000:3b:00.0\",\"0000:3b:00.1\"],\"owner\":\"vm \\\"1\\\"\"}\n",
	       "... JSON");
	free(got);
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
	json_case("\xe2\x82\xac \xf0\x9f\x98\x80", "\"\xe2\x82\xac \xf0\x9f\x98\x80\"",
		  "three- and four-byte UTF-8 pass through");
	json_case("a\xffz", "\"a\\ufffdz\"", "an invalid byte becomes U+FFFD");
	json_case("\xc3", "\"\\ufffd\"", "a truncated sequence at the end");
	json_case("\xc0\xaf", "\"\\ufffd\\ufffd\"", "an overlong form, byte by byte");
	json_case("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "a UTF-16 surrogate");
	json_case("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
		  "past U+10FFFF");
	json_case("", "\"\"", "empty string");

	CAPTURE(got, parseable_string(f, "a:b\\c"));
	is_str(got, "a\\:b\\\\c", "parseable escapes ':' and '\\'");
	free(got);

	ok(out_fields_parse(&out_device_fields, NULL, &fl, bad, sizeof(bad)) == 0 && fl.n > 0,
	   "default fields");
	ok(out_fields_parse(&out_device_fields, "addr,STATE,owner", &fl, bad, sizeof(bad)) == 0 &&
	   fl.n == 3, "named fields, case-insensitive");
	ok(out_fields_parse(&out_device_fields, "addr,nosuch", &fl, bad, sizeof(bad)) == -1,
	   "unknown field rejected");
	is_str(bad, "nosuch", "the unknown field is named");
	ok(out_fields_parse(&out_device_fields, "addr,", &fl, bad, sizeof(bad)) == -1,
	   "empty field name rejected");
	ok(out_fields_parse(&out_device_fields, "", &fl, bad, sizeof(bad)) == -1,
	   "empty list rejected");

	d[0] = dev("0000:01:00.0", "vm \"one\"");
	d[1] = dev("0000:02:00.0", "");
	out_fields_parse(&out_device_fields, "addr,owner,group,boot", &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_JSON, &fl, d, 2));
	is_str(got,
	       "{\"devices\":[{\"addr\":\"0000:01:00.0\",\"owner\":\"vm \\\"one\\\"\",\"group\":null,\"boot\":false},"
	       "{\"addr\":\"0000:02:00.0\",\"owner\":null,\"group\":null,\"boot\":false}]}\n",
	       "JSON device list: stable object, missing values null");
	free(got);

	CAPTURE(got, out_devices(f, OUT_JSON, &fl, d, 0));
	is_str(got, "{\"devices\":[]}\n", "JSON empty list");
	free(got);

	out_fields_parse(&out_device_fields, "addr,owner", &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_PARSEABLE, &fl, d, 2));
	is_str(got, "0000\\:01\\:00.0:vm \"one\"\n0000\\:02\\:00.0:\n",
	       "parseable: escaped, empty for missing");
	free(got);

	out_fields_parse(&out_device_fields, "addr,state,owner", &fl, bad, sizeof(bad));
	CAPTURE(got, out_devices(f, OUT_TABLE, &fl, d, 2));
	is_str(got,
	       "ADDR          STATE    OWNER\n"
	       "0000:01:00.0  claimed  vm \"one\"\n"
	       "0000:02:00.0  claimed  -\n",
	       "table: aligned columns, - for missing");
	free(got);
	test_new_fields();
	test_host_only();
	test_vertical_and_matches();
	test_errors();
	test_records();
	test_inventory_shapes();
	return tap_done();
}
