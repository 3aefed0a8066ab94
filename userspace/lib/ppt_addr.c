// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PCI address and state names: the pure parts of libppt, apart from
 * netlink so the unit tests can link them alone.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libppt.h"

/* Parse exactly len hex digits (1..max_digits) of s into *out, up to max. */
static int hex_field(const char *s, size_t len, size_t max_digits,
		     unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > max_digits)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 16 + (unsigned long)(isdigit((unsigned char)s[i]) ?
			s[i] - '0' : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int ppt_addr_normalize(const char *in, char out[PPT_ADDR_BUFLEN])
{
	const char *c1, *c2, *dot, *bus;
	unsigned long domain = 0, b, d, f;

	if (!in)
		return -EINVAL;
	c1 = strchr(in, ':');
	if (!c1)
		return -EINVAL;
	c2 = strchr(c1 + 1, ':');
	if (c2) {
		if (strchr(c2 + 1, ':') ||
		    hex_field(in, c1 - in, 8, 0x7fffffff, &domain))
			return -EINVAL;
		bus = c1 + 1;
	} else {
		c2 = c1;
		bus = in;
	}
	dot = strchr(c2 + 1, '.');
	if (!dot ||
	    hex_field(bus, c2 - bus, 2, 0xff, &b) ||
	    hex_field(c2 + 1, dot - c2 - 1, 2, 0x1f, &d) ||
	    hex_field(dot + 1, strlen(dot + 1), 1, 7, &f))
		return -EINVAL;
	snprintf(out, PPT_ADDR_BUFLEN, "%04lx:%02lx:%02lx.%lx", domain, b, d, f);
	return 0;
}

static const char *const state_names[] = PPT_STATE_NAMES;

_Static_assert(sizeof(state_names) / sizeof(state_names[0]) == __PPT_STATE_MAX,
	       "a state in <linux/ppt.h> has no name in libppt");

const char *ppt_state_name(uint32_t state)
{
	if (state >= sizeof(state_names) / sizeof(state_names[0]))
		return "invalid";
	return state_names[state];
}
