// SPDX-License-Identifier: GPL-2.0-only
/* libppt's PCI address normalisation and the protocol's names. */
#include <errno.h>

#include "libppt.h"
#include "tap.h"

static void good(const char *in, const char *want)
{
	char out[PPT_ADDR_BUFLEN] = "";
	int ret = ppt_addr_normalize(in, out);

	ok(ret == 0, "\"%s\" parses", in);
	is_str(out, want, "\"%s\" normalises to %s", in, want);
}

static void bad(const char *in)
{
	char out[PPT_ADDR_BUFLEN] = "untouched";

	ok(ppt_addr_normalize(in, out) == -EINVAL, "\"%s\" is rejected",
	   in ? in : "(null)");
}

int main(void)
{
	good("0000:01:00.0", "0000:01:00.0");
	good("01:00.0", "0000:01:00.0");
	good("1:0.0", "0000:01:00.0");
	good("0001:FF:1F.7", "0001:ff:1f.7");
	good("7fffffff:00:00.0", "7fffffff:00:00.0");
	good("10000:3a:00.1", "10000:3a:00.1");

	bad(NULL);
	bad("");
	bad("01");
	bad("01:00");
	bad("01:00.");
	bad(":00.0");
	bad("01:.0");
	bad("01:00.8");
	bad("01:20.0");
	bad("100:00.0");
	bad("80000000:00:00.0");
	bad("0000:01:00.0:1");
	bad("0000:01:00.0 ");
	bad(" 0000:01:00.0");
	bad("00x0:01:00.0");
	bad("0000:01:00.00");
	bad("000000000:01:00.0");

	is_str(ppt_state_name(PPT_STATE_RESERVED), "reserved", "state name");
	is_str(ppt_state_name(PPT_STATE_QUARANTINED), "quarantined",
	       "state name");
	is_str(ppt_state_name(__PPT_STATE_MAX), "invalid",
	       "out-of-range state is \"invalid\"");
	is_str(ppt_state_name(0xffffffffu), "invalid", "huge state");
	is_str(ppt_state_name(PPT_STATE_RESETTING), "resetting", "the newest state");

	is_str(ppt_reset_method_name(PPT_RESET_AUTO), "auto", "reset method auto");
	is_str(ppt_reset_method_name(PPT_RESET_SBR), "sbr", "reset method sbr");
	is_str(ppt_reset_method_name(__PPT_RESET_MAX), "invalid", "out-of-range method");
	ok(ppt_reset_method_parse("flr") == PPT_RESET_FLR, "parse flr");
	ok(ppt_reset_method_parse("pm") == PPT_RESET_PM, "parse pm");
	ok(ppt_reset_method_parse("FLR") == -EINVAL, "method names are lower case");
	ok(ppt_reset_method_parse("") == -EINVAL && ppt_reset_method_parse(NULL) == -EINVAL,
	   "empty and NULL method names");

	is_str(ppt_cmd_name(PPT_CMD_DEVICE_RESERVE), "reserve", "command name");
	is_str(ppt_cmd_name(PPT_CMD_MATCH_ADD), "match-add", "match-add");
	is_str(ppt_cmd_name(PPT_CMD_MATCH_GET), "match-get", "match-get");
	is_str(ppt_cmd_name(PPT_CMD_MAX), "sanitise-done", "the last command has a name");
	is_str(ppt_cmd_name(PPT_CMD_AGENT_REGISTER), "agent-register", "agent-register");
	is_str(ppt_cmd_name(PPT_CMD_MAX + 1), "unknown", "past the last");

	is_str(ppt_attr_name(PPT_A_MAX), "PPT_A_INSPECT", "the last attribute has a name");
	is_str(ppt_match_kind_name(PPT_MATCH_PATH), "path", "match kind name");
	is_str(ppt_match_kind_name(PPT_MATCH_VFS), "vfs", "the vfs kind's name");
	is_str(ppt_match_kind_name((enum ppt_match_kind)4), "invalid", "bad kind");
	ok(ppt_match_kind_parse("ids") == PPT_MATCH_IDS &&
	   ppt_match_kind_parse("device") == PPT_MATCH_DEVICE &&
	   ppt_match_kind_parse("path") == PPT_MATCH_PATH &&
	   ppt_match_kind_parse("vfs") == PPT_MATCH_VFS, "parse kinds");
	ok(ppt_match_kind_parse("paths") == -EINVAL, "\"paths\" is not a kind");
	return tap_done();
}
