// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm monitor's lines: every kind of event, human and JSON; and the
 * same lines from libppt's events, parsed from notifications and copied
 * into pptadm's rows (rows.c).
 */
#include <errno.h>
#include <stdlib.h>

#include <netlink/genl/genl.h>

#include "events.h"
#include "ppt_internal.h"
#include "rows.h"
#include "tap.h"

#define CAPTURE(buf, stmt)						\
	do {								\
		size_t len_;						\
		FILE *f = open_memstream(&(buf), &len_);		\
		stmt;							\
		fclose(f);						\
	} while (0)

static struct ev_event device_event(const char *owner, bool removed)
{
	struct ev_event e = { .type = PPT_EVENT_DEVICE, .seq = 12, .removed = removed };

	snprintf(e.device.addr, sizeof(e.device.addr), "%s", "0000:01:00.0");
	snprintf(e.device.owner, sizeof(e.device.owner), "%s", owner);
	snprintf(e.device.driver, sizeof(e.device.driver), "%s", "vfio-pci");
	e.device.state = PPT_STATE_ASSIGNED;
	e.device.iommu_group = -1;
	e.device.last_reset = -1;
	e.device.reset_pref = -1;
	return e;
}

static void check(enum out_format fmt, const struct ev_event *e,
		  const char *want, const char *what)
{
	char *got = NULL;

	CAPTURE(got, ev_print(f, fmt, NULL, e, NULL));
	is_str(got, want, "%s", what);
	free(got);
}

/*
 * A notification of family 0x20 (consumed), through libppt, as monitor
 * gets it; last_seq: the sequence number seen before it.
 */
static struct ev_event through_libppt(struct nl_msg *m, uint64_t last_seq)
{
	static struct ppt_events evs;
	struct ppt_handle h = { .family = 0x20, .ev = &evs };
	struct ppt_event *pe;
	struct ev_event e;

	memset(&e, 0, sizeof(e));
	evs.last_seq = last_seq;
	ppt__events_handle(&h, m);
	nlmsg_free(m);
	pe = ppt__events_pop(&evs);
	if (pe)
		rows_event(pe, &e);
	ppt_event_free(pe);
	ppt__events_flush(&evs);
	free(evs.q);
	memset(&evs, 0, sizeof(evs));
	return e;
}

static struct nl_msg *ntf(uint8_t cmd, uint64_t seq)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 0x20, 0, 0, cmd, PPT_GENL_VERSION);
	nla_put_u64(m, PPT_A_EVENT_SEQ, seq);
	return m;
}

static void test_rows(void)
{
	struct nl_msg *m = ntf(PPT_CMD_DEVICE_NTF, 12);
	struct ev_event e;

	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_u32(m, PPT_A_DEV_STATE, PPT_STATE_ASSIGNED);
	nla_put_string(m, PPT_A_DEV_OWNER, "vm-1");
	nla_put_string(m, PPT_A_DEV_DRIVER, "vfio-pci");
	nla_put_flag(m, PPT_A_DEV_TAINTED);
	nla_put_string(m, PPT_A_DEV_REASON, "why");
	e = through_libppt(m, 0);
	check(OUT_TABLE, &e,
	      "device 0000:01:00.0 state=assigned owner=vm-1 driver=vfio-pci seq=12\n",
	      "through libppt: a device event, human");
	check(OUT_JSON, &e,
	      "{\"event\":\"device\",\"seq\":12,\"removed\":false,\"device\":{\"addr\":\"0000:01:00.0\","
	      "\"state\":\"assigned\",\"driver\":\"vfio-pci\",\"owner\":\"vm-1\",\"group\":null,"
	      "\"vendor\":\"0000\",\"device\":\"0000\",\"subvendor\":\"0000\",\"subdevice\":\"0000\","
	      "\"class\":\"000000\",\"revision\":\"00\",\"path\":null,\"slot\":null,\"numa_node\":null,\"pcie_root\":null,\"root_port\":null,\"link_speed\":null,\"link_width\":null,\"serial\":null,\"vfio_group\":null,\"vfio_cdev\":null,\"boot\":false,"
	      "\"adopted\":false,\"reset_methods\":[],\"last_reset\":null,\"last_reset_usec\":null,\"last_reset_inferred\":null,\"reset_pref\":null,"
	      "\"vendor_name\":null,\"device_name\":null,\"lease\":null,\"lease_ended\":false,"
	      "\"tainted\":true,\"gated\":false,\"reason\":\"why\",\"recycle\":false,\"recycles\":null,\"sanitiser\":null,\"sanitised\":false,\"last_sanitiser\":null,\"last_sanitise_time\":null,\"last_sanitise_usec\":null,\"last_sanitise_outcome\":null,\"last_sanitise_method\":null,\"last_sanitise_verified\":null,\"last_sanitise_msg\":null,\"variant\":null,\"type\":null,\"name\":null}}\n",
	      "... JSON: absent attributes are null, as before");
	ok(e.device.tainted && !e.device.gated && !strcmp(e.device.reason, "why"),
	   "... the newer fields copied too");

	m = ntf(PPT_CMD_REQUEST_NTF, 13);
	nla_put_u64(m, PPT_A_REQ_ID, 7);
	nla_put_u8(m, PPT_A_REQ_CMD, PPT_CMD_DEVICE_ASSIGN);
	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_u32(m, PPT_A_REQ_ERRNO, EBUSY);
	nla_put_string(m, PPT_A_REQ_MSG, "busy");
	nla_put_string(m, PPT_A_BLOCKER_ADDR, "0000:01:00.1");
	e = through_libppt(m, 0);
	check(OUT_TABLE, &e,
	      "request 0000:01:00.0 assign id=7 failed errno=EBUSY message=\"busy\" blocker=0000:01:00.1 blocker_driver=- seq=13\n",
	      "through libppt: a request's failure");
	check(OUT_JSON, &e,
	      "{\"event\":\"request\",\"seq\":13,\"id\":7,\"command\":\"assign\",\"device\":\"0000:01:00.0\","
	      "\"ok\":false,\"errno\":\"EBUSY\",\"code\":16,\"message\":\"busy\","
	      "\"blocker\":\"0000:01:00.1\",\"blocker_driver\":null}\n",
	      "... JSON");

	m = ntf(PPT_CMD_REQUEST_NTF, 14);
	nla_put_u64(m, PPT_A_REQ_ID, 8);
	nla_put_u8(m, PPT_A_REQ_CMD, PPT_CMD_MATCH_ADD);
	nla_put_u32(m, PPT_A_REQ_ERRNO, 0);
	nla_put_string(m, PPT_A_CLAIM_ADDR, "0000:03:00.0");
	e = through_libppt(m, 0);
	check(OUT_TABLE, &e, "request - match-add id=8 ok seq=14\n",
	      "through libppt: a match add's outcome has no device");

	m = ntf(PPT_CMD_DEVICE_NTF, 20);
	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_u32(m, PPT_A_DEV_STATE, PPT_STATE_RESERVED);
	e = through_libppt(m, 15);
	check(OUT_TABLE, &e, "lost 4 events after seq=15: resynchronising\n",
	      "through libppt: a gap");
}

/* monitor -t: the time first on human lines, "time" after "event" in JSON */
static void test_timestamps(void)
{
	struct timespec ts = { 1795000000, 123456789 };	/* 2026-11-18 */
	struct ev_event e = device_event("vm-1", false);
	char t[64], *got = NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	ev_time_text(&ts, t, sizeof(t));
	is_str(t, "2026-11-18T11:06:40.123456+00:00", "RFC 3339, microseconds, the offset with a colon");
	setenv("TZ", "CET-1", 1);
	tzset();
	ev_time_text(&ts, t, sizeof(t));
	is_str(t, "2026-11-18T12:06:40.123456+01:00", "local time: its offset");
	setenv("TZ", "UTC", 1);
	tzset();
	CAPTURE(got, ev_print(f, OUT_TABLE, &ts, &e, NULL));
	is_str(got, "2026-11-18T11:06:40.123456+00:00 device 0000:01:00.0 state=assigned owner=vm-1 "
	       "driver=vfio-pci seq=12\n", "human: the time, then the line as it was");
	free(got);
	CAPTURE(got, ev_print_synced(f, OUT_JSON, &ts, 3));
	is_str(got, "{\"event\":\"synced\",\"time\":\"2026-11-18T11:06:40.123456+00:00\",\"devices\":3}\n",
	       "JSON: \"time\" after \"event\"");
	free(got);
	CAPTURE(got, ev_print_synced(f, OUT_JSON_PRETTY, NULL, 3));
	is_str(got, "{\n  \"event\": \"synced\",\n  \"devices\": 3\n}\n", "--pretty: over several lines");
	free(got);
}

int main(void)
{
	struct ev_event e = device_event("vm-1", false);
	struct out_device d = { .info = e.device };
	char *got = NULL;

	test_timestamps();
	check(OUT_TABLE, &e,
	      "device 0000:01:00.0 state=assigned owner=vm-1 driver=vfio-pci seq=12\n",
	      "device event, human");
	e = device_event("", false);
	check(OUT_TABLE, &e,
	      "device 0000:01:00.0 state=assigned owner=- driver=vfio-pci seq=12\n",
	      "a missing owner prints as -");
	e = device_event("vm \"one\"=x", false);
	check(OUT_TABLE, &e,
	      "device 0000:01:00.0 state=assigned owner=\"vm \\\"one\\\"=x\" driver=vfio-pci seq=12\n",
	      "an owner with spaces, quotes or '=' is quoted");
	e = device_event("", true);
	check(OUT_TABLE, &e, "device 0000:01:00.0 removed seq=12\n", "removed, human");
	check(OUT_JSON, &e,
	      "{\"event\":\"device\",\"seq\":12,\"removed\":true,\"device\":{\"addr\":\"0000:01:00.0\","
	      "\"state\":\"assigned\",\"driver\":\"vfio-pci\",\"owner\":null,\"group\":null,"
	      "\"vendor\":\"0000\",\"device\":\"0000\",\"subvendor\":\"0000\",\"subdevice\":\"0000\","
	      "\"class\":\"000000\",\"revision\":\"00\",\"path\":null,\"slot\":null,\"numa_node\":null,\"pcie_root\":null,\"root_port\":null,\"link_speed\":null,\"link_width\":null,\"serial\":null,\"vfio_group\":null,\"vfio_cdev\":null,\"boot\":false,"
	      "\"adopted\":false,\"reset_methods\":[],\"last_reset\":null,\"last_reset_usec\":null,\"last_reset_inferred\":null,\"reset_pref\":null,"
	      "\"vendor_name\":null,\"device_name\":null,\"lease\":null,\"lease_ended\":false,"
	      "\"tainted\":false,\"gated\":false,\"reason\":null,\"recycle\":false,\"recycles\":null,\"sanitiser\":null,\"sanitised\":false,\"last_sanitiser\":null,\"last_sanitise_time\":null,\"last_sanitise_usec\":null,\"last_sanitise_outcome\":null,\"last_sanitise_method\":null,\"last_sanitise_verified\":null,\"last_sanitise_msg\":null,\"variant\":null,\"type\":null,\"name\":null}}\n",
	      "device event, JSON: every field");

	e = (struct ev_event){ .type = PPT_EVENT_REQUEST, .seq = 13 };
	e.request.id = 7;
	e.request.cmd = PPT_CMD_DEVICE_RESERVE;
	snprintf(e.request.addr, sizeof(e.request.addr), "%s", "0000:01:00.0");
	check(OUT_TABLE, &e, "request 0000:01:00.0 reserve id=7 ok seq=13\n",
	      "request success, human");
	check(OUT_JSON, &e,
	      "{\"event\":\"request\",\"seq\":13,\"id\":7,\"command\":\"reserve\",\"device\":\"0000:01:00.0\","
	      "\"ok\":true,\"errno\":null,\"code\":0,\"message\":null,\"blocker\":null,\"blocker_driver\":null}\n",
	      "request success, JSON");
	e.request.cmd = PPT_CMD_DEVICE_ASSIGN;
	e.request.error = -EBUSY;
	snprintf(e.request.msg, sizeof(e.request.msg), "%s", "another device of the group is not held by ppt");
	snprintf(e.request.blocker, sizeof(e.request.blocker), "%s", "0000:01:00.1");
	snprintf(e.request.blocker_driver, sizeof(e.request.blocker_driver), "%s", "snd_hda_intel");
	check(OUT_TABLE, &e,
	      "request 0000:01:00.0 assign id=7 failed errno=EBUSY message=\"another device of the group is not held by ppt\""
	      " blocker=0000:01:00.1 blocker_driver=snd_hda_intel seq=13\n",
	      "request failure, human: errno name, message, blocker");
	check(OUT_JSON, &e,
	      "{\"event\":\"request\",\"seq\":13,\"id\":7,\"command\":\"assign\",\"device\":\"0000:01:00.0\","
	      "\"ok\":false,\"errno\":\"EBUSY\",\"code\":16,\"message\":\"another device of the group is not held by ppt\","
	      "\"blocker\":\"0000:01:00.1\",\"blocker_driver\":\"snd_hda_intel\"}\n",
	      "request failure, JSON");
	e.request.msg[0] = '\0';
	e.request.blocker[0] = '\0';
	e.request.cmd = PPT_CMD_DEVICE_CLEAN;
	e.request.error = -EIO;
	check(OUT_TABLE, &e,
	      "request 0000:01:00.0 clean id=7 failed errno=EIO message=\"Input/output error\" seq=13\n",
	      "a failure without a message says strerror");

	e = (struct ev_event){ .type = PPT_EVENT_LOST, .lost_reason = PPT_LOST_GAP,
				.lost = 3, .lost_after = 9 };
	check(OUT_TABLE, &e, "lost 3 events after seq=9: resynchronising\n", "gap, human");
	check(OUT_JSON, &e, "{\"event\":\"lost\",\"reason\":\"gap\",\"count\":3,\"after_seq\":9}\n",
	      "gap, JSON");
	ok(ev_needs_resync(&e), "a gap calls for a dump");
	e.lost = 1;
	check(OUT_TABLE, &e, "lost 1 event after seq=9: resynchronising\n", "one event");
	e = (struct ev_event){ .type = PPT_EVENT_LOST, .lost_reason = PPT_LOST_OVERRUN };
	check(OUT_TABLE, &e, "lost events (socket receive buffer overrun): resynchronising\n",
	      "overrun, human");
	check(OUT_JSON, &e, "{\"event\":\"lost\",\"reason\":\"overrun\",\"count\":null,\"after_seq\":null}\n",
	      "overrun, JSON: count unknown");
	ok(ev_needs_resync(&e), "an overrun calls for a dump");
	e.lost_reason = PPT_LOST_RESTART;
	check(OUT_TABLE, &e, "lost events (ppt was loaded again): resynchronising\n", "restart");
	ok(ev_needs_resync(&e), "so does a restart");
	e.lost_reason = PPT_LOST_UNLOADED;
	check(OUT_TABLE, &e, "lost events (ppt was unloaded): waiting for it to be loaded again\n",
	      "unloaded");
	check(OUT_JSON, &e, "{\"event\":\"lost\",\"reason\":\"unloaded\",\"count\":null,\"after_seq\":null}\n",
	      "unloaded, JSON");
	ok(!ev_needs_resync(&e), "an unload does not: there is nothing to dump");
	e = device_event("vm-1", false);
	ok(!ev_needs_resync(&e), "nor does an ordinary event");

	snprintf(d.info.owner, sizeof(d.info.owner), "%s", "vm-2");
	CAPTURE(got, ev_print_state(f, OUT_TABLE, NULL, &d));
	is_str(got, "state 0000:01:00.0 state=assigned owner=vm-2 driver=vfio-pci\n",
	       "a dumped device, human");
	free(got);
	CAPTURE(got, ev_print_synced(f, OUT_TABLE, NULL, 4));
	is_str(got, "synced devices=4\n", "the dump's end, human");
	free(got);
	CAPTURE(got, ev_print_synced(f, OUT_JSON, NULL, 4));
	is_str(got, "{\"event\":\"synced\",\"devices\":4}\n", "the dump's end, JSON");
	free(got);
	CAPTURE(got, ev_print_state(f, OUT_JSON, NULL, &d));
	ok(got && !strncmp(got, "{\"event\":\"state\",\"device\":{\"addr\":\"0000:01:00.0\"",
			   strlen("{\"event\":\"state\",\"device\":{\"addr\":\"0000:01:00.0\"")) &&
	   strstr(got, "\"owner\":\"vm-2\"") && got[strlen(got) - 1] == '\n',
	   "a dumped device, JSON: one object on one line");
	free(got);
	is_str(ev_lost_reason_name((enum ppt_lost_reason)99), "unknown", "unknown reason");
	test_rows();
	return tap_done();
}
