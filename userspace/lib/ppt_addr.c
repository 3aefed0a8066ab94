// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PCI addresses and the protocol's names: the pure parts of libppt, apart
 * from netlink so the unit tests can link them alone.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libppt.h"
#include "ppt_internal.h"

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

static const char *const reset_names[] = PPT_RESET_NAMES;

_Static_assert(sizeof(reset_names) / sizeof(reset_names[0]) == __PPT_RESET_MAX,
	       "a reset method in <linux/ppt.h> has no name in libppt");

const char *ppt_reset_method_name(uint32_t method)
{
	if (method >= sizeof(reset_names) / sizeof(reset_names[0]))
		return "invalid";
	return reset_names[method];
}

int ppt_reset_method_parse(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(reset_names) / sizeof(reset_names[0]); i++)
		if (!strcmp(name, reset_names[i]))
			return (int)i;
	return -EINVAL;
}

/* The kernel log uses the same names for the requests. */
static const char *const cmd_names[] = {
	[PPT_CMD_UNSPEC] = "unspec",
	[PPT_CMD_DEVICE_GET] = "get",
	[PPT_CMD_DEVICE_RESERVE] = "reserve",
	[PPT_CMD_DEVICE_RELEASE] = "release",
	[PPT_CMD_DEVICE_CLAIM] = "claim",
	[PPT_CMD_DEVICE_UNCLAIM] = "unclaim",
	[PPT_CMD_DEVICE_ASSIGN] = "assign",
	[PPT_CMD_DEVICE_UNASSIGN] = "unassign",
	[PPT_CMD_DEVICE_NTF] = "device-ntf",
	[PPT_CMD_REQUEST_NTF] = "request-ntf",
	[PPT_CMD_DEVICE_RESET] = "reset",
	[PPT_CMD_DEVICE_CLEAN] = "clean",
	[PPT_CMD_MATCH_ADD] = "match-add",
	[PPT_CMD_MATCH_DEL] = "match-del",
	[PPT_CMD_MATCH_GET] = "match-get",
	[PPT_CMD_DEVICE_SET] = "set",
	[PPT_CMD_CLAIM] = "claim-set",
	[PPT_CMD_TAKE] = "take",
	[PPT_CMD_STATS_GET] = "stats-get",
	[PPT_CMD_SANITISE_SET] = "sanitise-set",
	[PPT_CMD_SANITISE_DEL] = "sanitise-del",
	[PPT_CMD_SANITISE_GET] = "sanitise-get",
	[PPT_CMD_AGENT_REGISTER] = "agent-register",
	[PPT_CMD_AGENT_GET] = "agent-get",
	[PPT_CMD_SANITISE_REQ_NTF] = "sanitise-req-ntf",
	[PPT_CMD_SANITISE_DONE] = "sanitise-done",
};

const char *ppt_cmd_name(uint32_t cmd)
{
	if (cmd >= sizeof(cmd_names) / sizeof(cmd_names[0]) || !cmd_names[cmd])
		return "unknown";
	return cmd_names[cmd];
}

static const char *const kind_names[] = {
	[PPT_MATCH_IDS] = "ids",
	[PPT_MATCH_DEVICE] = "device",
	[PPT_MATCH_PATH] = "path",
	[PPT_MATCH_VFS] = "vfs",
};

const char *ppt_match_kind_name(enum ppt_match_kind kind)
{
	if ((unsigned int)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "invalid";
	return kind_names[kind];
}

int ppt_match_kind_parse(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcmp(name, kind_names[i]))
			return (int)i;
	return -EINVAL;
}

/* The selectors of the sanitiser policy (ppt_sanitise_set()). */
static const char *const sanitise_kind_names[] = {
	[PPT_SANITISE_BY_DEVICE] = "device",
	[PPT_SANITISE_BY_IDS] = "ids",
	[PPT_SANITISE_BY_CLASS] = "class",
};

#define NSANITISE_KINDS (sizeof(sanitise_kind_names) / sizeof(sanitise_kind_names[0]))

const char *ppt_sanitise_kind_name(enum ppt_sanitise_kind kind)
{
	return (unsigned int)kind < NSANITISE_KINDS ? sanitise_kind_names[kind] : "invalid";
}

int ppt_sanitise_kind_parse(const char *name)
{
	size_t k;

	for (k = 0; name && k < NSANITISE_KINDS; k++)
		if (!strcmp(name, sanitise_kind_names[k]))
			return (int)k;
	return -EINVAL;
}

/*
 * Attribute names for messages about a missing or rejected attribute: the
 * enum's own names, so a reader finds them in <linux/ppt.h>.  A number
 * added there later is "unknown" until it is named here.
 */
static const char *const attr_names[] = {
	[PPT_A_UNSPEC] = "PPT_A_UNSPEC",
	[PPT_A_DEV_ADDR] = "PPT_A_DEV_ADDR",
	[PPT_A_DEV_VENDOR] = "PPT_A_DEV_VENDOR",
	[PPT_A_DEV_DEVICE] = "PPT_A_DEV_DEVICE",
	[PPT_A_DEV_SUBVENDOR] = "PPT_A_DEV_SUBVENDOR",
	[PPT_A_DEV_SUBDEVICE] = "PPT_A_DEV_SUBDEVICE",
	[PPT_A_DEV_CLASS] = "PPT_A_DEV_CLASS",
	[PPT_A_DEV_REVISION] = "PPT_A_DEV_REVISION",
	[PPT_A_DEV_STATE] = "PPT_A_DEV_STATE",
	[PPT_A_DEV_DRIVER] = "PPT_A_DEV_DRIVER",
	[PPT_A_DEV_OWNER] = "PPT_A_DEV_OWNER",
	[PPT_A_DEV_IOMMU_GROUP] = "PPT_A_DEV_IOMMU_GROUP",
	[PPT_A_DEV_PATH] = "PPT_A_DEV_PATH",
	[PPT_A_DEV_BOOT_LISTED] = "PPT_A_DEV_BOOT_LISTED",
	[PPT_A_PAD] = "PPT_A_PAD",
	[PPT_A_FORCE] = "PPT_A_FORCE",
	[PPT_A_REQ_ID] = "PPT_A_REQ_ID",
	[PPT_A_REQ_CMD] = "PPT_A_REQ_CMD",
	[PPT_A_REQ_ERRNO] = "PPT_A_REQ_ERRNO",
	[PPT_A_REQ_MSG] = "PPT_A_REQ_MSG",
	[PPT_A_BLOCKER_ADDR] = "PPT_A_BLOCKER_ADDR",
	[PPT_A_BLOCKER_DRIVER] = "PPT_A_BLOCKER_DRIVER",
	[PPT_A_EVENT_SEQ] = "PPT_A_EVENT_SEQ",
	[PPT_A_DEV_ADOPTED] = "PPT_A_DEV_ADOPTED",
	[PPT_A_DEV_REMOVED] = "PPT_A_DEV_REMOVED",
	[PPT_A_RESET_METHOD] = "PPT_A_RESET_METHOD",
	[PPT_A_DEV_RESET_METHODS] = "PPT_A_DEV_RESET_METHODS",
	[PPT_A_DEV_LAST_RESET] = "PPT_A_DEV_LAST_RESET",
	[PPT_A_DEV_LAST_RESET_USEC] = "PPT_A_DEV_LAST_RESET_USEC",
	[PPT_A_DEV_SLOT] = "PPT_A_DEV_SLOT",
	[PPT_A_MATCH_IDS] = "PPT_A_MATCH_IDS",
	[PPT_A_MATCH_DEVICE] = "PPT_A_MATCH_DEVICE",
	[PPT_A_MATCH_PATH] = "PPT_A_MATCH_PATH",
	[PPT_A_MATCH_BOOT] = "PPT_A_MATCH_BOOT",
	[PPT_A_DEV_RESET_PREF] = "PPT_A_DEV_RESET_PREF",
	[PPT_A_CLAIM_ADDR] = "PPT_A_CLAIM_ADDR",
	[PPT_A_CLAIM_COUNT] = "PPT_A_CLAIM_COUNT",
	[PPT_A_LEASE] = "PPT_A_LEASE",
	[PPT_A_DEV_LEASE] = "PPT_A_DEV_LEASE",
	[PPT_A_DEV_LEASE_ENDED] = "PPT_A_DEV_LEASE_ENDED",
	[PPT_A_DEV_TAINTED] = "PPT_A_DEV_TAINTED",
	[PPT_A_DEV_GATED] = "PPT_A_DEV_GATED",
	[PPT_A_DEV_REASON] = "PPT_A_DEV_REASON",
	[PPT_A_DEV_LAST_RESET_INFERRED] = "PPT_A_DEV_LAST_RESET_INFERRED",
	[PPT_A_UNCLEAN] = "PPT_A_UNCLEAN",
	[PPT_A_FORCE_HOST] = "PPT_A_FORCE_HOST",
	[PPT_A_MATCH_VFS] = "PPT_A_MATCH_VFS",
	[PPT_A_STATS_OP] = "PPT_A_STATS_OP",
	[PPT_A_STATS_FAILED] = "PPT_A_STATS_FAILED",
	[PPT_A_STATS_COUNT] = "PPT_A_STATS_COUNT",
	[PPT_A_STATS_USEC_SUM] = "PPT_A_STATS_USEC_SUM",
	[PPT_A_STATS_BUCKET] = "PPT_A_STATS_BUCKET",
	[PPT_A_STATS_BOUND] = "PPT_A_STATS_BOUND",
	[PPT_A_STATS_QUARANTINES] = "PPT_A_STATS_QUARANTINES",
	[PPT_A_STATS_LEASE_EXPIRIES] = "PPT_A_STATS_LEASE_EXPIRIES",
	[PPT_A_RECYCLE] = "PPT_A_RECYCLE",
	[PPT_A_DEV_RECYCLE] = "PPT_A_DEV_RECYCLE",
	[PPT_A_DEV_RECYCLES] = "PPT_A_DEV_RECYCLES",
	[PPT_A_SANITISER] = "PPT_A_SANITISER",
	[PPT_A_SANITISE_CLASS] = "PPT_A_SANITISE_CLASS",
	[PPT_A_SANITISE_DEFAULT] = "PPT_A_SANITISE_DEFAULT",
	[PPT_A_DEV_SANITISER] = "PPT_A_DEV_SANITISER",
	[PPT_A_SANITISE_ID] = "PPT_A_SANITISE_ID",
	[PPT_A_SANITISE_TIMEOUT] = "PPT_A_SANITISE_TIMEOUT",
	[PPT_A_SANITISE_METHOD] = "PPT_A_SANITISE_METHOD",
	[PPT_A_SANITISE_VERIFIED] = "PPT_A_SANITISE_VERIFIED",
	[PPT_A_AGENT_PORTID] = "PPT_A_AGENT_PORTID",
	[PPT_A_AGENT_PID] = "PPT_A_AGENT_PID",
	[PPT_A_AGENT_PENDING] = "PPT_A_AGENT_PENDING",
	[PPT_A_DEV_SANITISED] = "PPT_A_DEV_SANITISED",
	[PPT_A_DEV_LAST_SANITISER] = "PPT_A_DEV_LAST_SANITISER",
	[PPT_A_DEV_LAST_SANITISE_TIME] = "PPT_A_DEV_LAST_SANITISE_TIME",
	[PPT_A_DEV_LAST_SANITISE_USEC] = "PPT_A_DEV_LAST_SANITISE_USEC",
	[PPT_A_DEV_LAST_SANITISE_ERRNO] = "PPT_A_DEV_LAST_SANITISE_ERRNO",
	[PPT_A_DEV_LAST_SANITISE_METHOD] = "PPT_A_DEV_LAST_SANITISE_METHOD",
	[PPT_A_DEV_LAST_SANITISE_VERIFIED] = "PPT_A_DEV_LAST_SANITISE_VERIFIED",
	[PPT_A_DEV_LAST_SANITISE_MSG] = "PPT_A_DEV_LAST_SANITISE_MSG",
	[PPT_A_INSPECT] = "PPT_A_INSPECT",
};

const char *ppt_attr_name(uint32_t attr)
{
	if (attr < sizeof(attr_names) / sizeof(attr_names[0]) && attr_names[attr])
		return attr_names[attr];
	return "unknown";
}
