// SPDX-License-Identifier: GPL-2.0-only
/* libppt's PCI address normalisation and state names. */
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
	return tap_done();
}
