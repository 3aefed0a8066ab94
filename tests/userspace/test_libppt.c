// SPDX-License-Identifier: GPL-2.0-only
/*
 * libppt without a kernel: notifications built with libnl are fed to the
 * event parser (device and request events, sequence gaps and restarts, the
 * controller's family notices), error messages to the extended-ack reader,
 * the controller's answers about an older or newer module to the
 * discovery of what it supports, and the calls' own argument checks run
 * before any socket is touched.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "ppt_internal.h"
#include "tap.h"

#define FAM	0x20

static struct ppt_handle h;
static struct ppt_events evs;

static struct nl_msg *ntf(uint8_t cmd, uint64_t seq)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, FAM, 0, 0, cmd, PPT_GENL_VERSION);
	if (seq)
		nla_put_u64(m, PPT_A_EVENT_SEQ, seq);
	return m;
}

static struct nl_msg *dev_ntf(const char *addr, uint32_t state, uint64_t seq)
{
	struct nl_msg *m = ntf(PPT_CMD_DEVICE_NTF, seq);

	nla_put_string(m, PPT_A_DEV_ADDR, addr);
	nla_put_u32(m, PPT_A_DEV_STATE, state);
	return m;
}

/* Feed a message (consumed); returns ppt__events_handle()'s result. */
static int feed(struct nl_msg *m)
{
	int ret = ppt__events_handle(&h, m);

	nlmsg_free(m);
	return ret;
}

/* The next queued event into *e (the previous one freed); 0 when none. */
static int pop(struct ppt_event **e)
{
	ppt_event_free(*e);
	*e = ppt__events_pop(&evs);
	return *e != NULL;
}

static void reset_events(void)
{
	ppt__events_flush(&evs);
	free(evs.q);
	memset(&evs, 0, sizeof(evs));
	h.ev = &evs;
}

static void test_device_event(void)
{
	struct nl_msg *m = dev_ntf("0000:01:00.0", PPT_STATE_ASSIGNED, 7);
	struct ppt_event *e = NULL;
	const struct ppt_dev *d;
	struct ppt_dev *copy;

	nla_put_u16(m, PPT_A_DEV_VENDOR, 0x10de);
	nla_put_u16(m, PPT_A_DEV_DEVICE, 0x1db4);
	nla_put_u16(m, PPT_A_DEV_SUBVENDOR, 0x10de);
	nla_put_u16(m, PPT_A_DEV_SUBDEVICE, 0x1212);
	nla_put_u32(m, PPT_A_DEV_CLASS, 0x030200);
	nla_put_u8(m, PPT_A_DEV_REVISION, 0xa1);
	nla_put_string(m, PPT_A_DEV_DRIVER, "vfio-pci");
	nla_put_string(m, PPT_A_DEV_OWNER, "vm \"one\"");
	nla_put_u32(m, PPT_A_DEV_IOMMU_GROUP, 12);
	nla_put_string(m, PPT_A_DEV_PATH, "0000:00/03.0/00.0");
	nla_put_flag(m, PPT_A_DEV_BOOT_LISTED);
	nla_put_flag(m, PPT_A_DEV_ADOPTED);
	nla_put_u32(m, PPT_A_DEV_RESET_METHODS,
		    1u << PPT_RESET_FLR | 1u << PPT_RESET_SBR | 1u << PPT_RESET_ACPI);
	nla_put_u32(m, PPT_A_DEV_LAST_RESET, PPT_RESET_DEVICE_SPECIFIC);
	nla_put_u64(m, PPT_A_DEV_LAST_RESET_USEC, 123456789012ull);
	nla_put_flag(m, PPT_A_DEV_LAST_RESET_INFERRED);
	nla_put_string(m, PPT_A_DEV_SLOT, "SLOT 3");
	nla_put_u32(m, PPT_A_DEV_RESET_PREF, PPT_RESET_PM);
	nla_put_u32(m, PPT_A_DEV_LEASE, 4242);
	nla_put_flag(m, PPT_A_DEV_LEASE_ENDED);
	nla_put_flag(m, PPT_A_DEV_TAINTED);
	nla_put_flag(m, PPT_A_DEV_GATED);
	nla_put_string(m, PPT_A_DEV_REASON, "verification failed: vendor id reads ffff");
	nla_put_flag(m, PPT_A_DEV_RECYCLE);
	nla_put_u32(m, PPT_A_DEV_RECYCLES, 7);
	/* an attribute from a newer kernel is ignored */
	nla_put_u32(m, PPT_A_MAX + 5, 1);

	reset_events();
	ok(feed(m) == 0, "device event parses");
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_DEVICE, "one device event queued");
	ok(ppt_event_seq(e) == 7 && !ppt_event_removed(e) && !ppt_event_req(e),
	   "its sequence number, not removed, no request outcome");
	d = ppt_event_dev(e);
	is_str(ppt_dev_addr(d), "0000:01:00.0", "address");
	ok(ppt_dev_vendor(d) == 0x10de && ppt_dev_device(d) == 0x1db4 &&
	   ppt_dev_subvendor(d) == 0x10de && ppt_dev_subdevice(d) == 0x1212,
	   "ids");
	ok(ppt_dev_class(d) == 0x030200 && ppt_dev_revision(d) == 0xa1,
	   "class and revision");
	ok(ppt_dev_state(d) == PPT_STATE_ASSIGNED, "state");
	is_str(ppt_dev_driver(d), "vfio-pci", "driver");
	is_str(ppt_dev_owner(d), "vm \"one\"", "owner");
	ok(ppt_dev_iommu_group(d) == 12, "IOMMU group");
	is_str(ppt_dev_path(d), "0000:00/03.0/00.0", "path");
	ok(ppt_dev_boot_listed(d) && ppt_dev_adopted(d), "flags");
	ok(ppt_dev_reset_methods(d) ==
	   (1u << PPT_RESET_FLR | 1u << PPT_RESET_SBR | 1u << PPT_RESET_ACPI),
	   "reset methods, acpi among them");
	ok(ppt_dev_last_reset(d) == PPT_RESET_DEVICE_SPECIFIC &&
	   ppt_dev_last_reset_usec(d) == 123456789012ull &&
	   ppt_dev_last_reset_inferred(d),
	   "last reset (device_specific), its time, inferred");
	is_str(ppt_dev_slot(d), "SLOT 3", "slot label");
	ok(ppt_dev_reset_pref(d) == PPT_RESET_PM, "reset preference");
	ok(ppt_dev_lease(d) == 4242 && ppt_dev_lease_ended(d), "lease, ended");
	ok(ppt_dev_tainted(d) && ppt_dev_gated(d), "tainted and gated");
	is_str(ppt_dev_reason(d), "verification failed: vendor id reads ffff", "reason");
	ok(ppt_dev_recycle(d) && ppt_dev_recycles(d) == 7, "recycled, 7 times");
	ok(ppt_dev_has_attr(d, PPT_A_DEV_TAINTED) && ppt_dev_has_attr(d, PPT_A_DEV_ADDR) &&
	   !ppt_dev_has_attr(d, PPT_A_DEV_REMOVED) && !ppt_dev_has_attr(d, PPT_A_MAX + 5) &&
	   !ppt_dev_has_attr(d, 100000),
	   "has_attr: what came, not what did not, nor what libppt does not know");
	copy = ppt_dev_dup(d);
	ok(!pop(&e), "nothing more queued (the event freed)");
	ok(copy && !strcmp(ppt_dev_addr(copy), "0000:01:00.0") &&
	   !strcmp(ppt_dev_reason(copy), "verification failed: vendor id reads ffff"),
	   "a duplicate outlives its event");
	ppt_dev_free(copy);
	ppt_dev_free(NULL);

	/* a module of protocol 1: none of the newer attributes */
	m = dev_ntf("0000:02:00.0", PPT_STATE_RELEASING, 8);
	nla_put_flag(m, PPT_A_DEV_REMOVED);
	ok(feed(m) == 0 && pop(&e) && ppt_event_removed(e), "removed flag");
	d = ppt_event_dev(e);
	ok(ppt_dev_iommu_group(d) == -1 && ppt_dev_last_reset(d) == -1 &&
	   ppt_dev_last_reset_usec(d) == 0 && !ppt_dev_slot(d) &&
	   !ppt_dev_owner(d) && !ppt_dev_driver(d) && !ppt_dev_path(d) &&
	   !ppt_dev_reason(d) && !ppt_dev_reset_methods(d) &&
	   ppt_dev_reset_pref(d) == -1 && !ppt_dev_lease(d),
	   "absent attributes: -1 group, last reset and preference; NULL strings");
	ok(!ppt_dev_tainted(d) && !ppt_dev_has_attr(d, PPT_A_DEV_TAINTED) &&
	   !ppt_dev_gated(d) && !ppt_dev_last_reset_inferred(d),
	   "... no taint, and has_attr says none was reported");
	pop(&e);
}

static void test_request_event(void)
{
	struct nl_msg *m = ntf(PPT_CMD_REQUEST_NTF, 3);
	struct ppt_event *e = NULL;
	const struct ppt_req *r;
	struct ppt_req *copy;

	nla_put_u64(m, PPT_A_REQ_ID, 42);
	nla_put_u8(m, PPT_A_REQ_CMD, PPT_CMD_DEVICE_ASSIGN);
	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_u32(m, PPT_A_REQ_ERRNO, EBUSY);
	nla_put_string(m, PPT_A_REQ_MSG, "another device of the IOMMU group is not held by ppt");
	nla_put_string(m, PPT_A_BLOCKER_ADDR, "0000:01:00.1");
	nla_put_string(m, PPT_A_BLOCKER_DRIVER, "snd_hda_intel");
	reset_events();
	ok(feed(m) == 0 && pop(&e) && ppt_event_type(e) == PPT_EVENT_REQUEST,
	   "request event parses");
	r = ppt_event_req(e);
	ok(r && !ppt_event_dev(e), "an outcome, no device");
	ok(ppt_req_id(r) == 42 && ppt_req_cmd(r) == PPT_CMD_DEVICE_ASSIGN &&
	   ppt_event_seq(e) == 3, "id, command, sequence");
	ok(ppt_req_error(r) == -EBUSY, "errno, negative");
	is_str(ppt_req_addr(r), "0000:01:00.0", "device");
	is_str(ppt_req_msg(r), "another device of the IOMMU group is not held by ppt",
	       "message");
	is_str(ppt_req_blocker(r), "0000:01:00.1", "blocker");
	is_str(ppt_req_blocker_driver(r), "snd_hda_intel", "blocker's driver");
	ok(ppt_req_device_count(r) == 0 && !ppt_req_device(r, 0), "no devices taken");

	m = ntf(PPT_CMD_REQUEST_NTF, 4);
	nla_put_u64(m, PPT_A_REQ_ID, 43);
	nla_put_u8(m, PPT_A_REQ_CMD, PPT_CMD_DEVICE_CLEAN);
	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_u32(m, PPT_A_REQ_ERRNO, 0);
	ok(feed(m) == 0 && pop(&e) && ppt_req_error(ppt_event_req(e)) == 0 &&
	   !ppt_req_msg(ppt_event_req(e)) && !ppt_req_blocker(ppt_event_req(e)) &&
	   !ppt_req_blocker_driver(ppt_event_req(e)),
	   "a success: errno 0, no message, no blocker");

	/* a match add's outcome: no device of its own, the devices it reserved */
	m = ntf(PPT_CMD_REQUEST_NTF, 5);
	nla_put_u64(m, PPT_A_REQ_ID, 44);
	nla_put_u8(m, PPT_A_REQ_CMD, PPT_CMD_MATCH_ADD);
	nla_put_u32(m, PPT_A_REQ_ERRNO, 0);
	nla_put_string(m, PPT_A_CLAIM_ADDR, "0000:03:00.0");
	nla_put_string(m, PPT_A_CLAIM_ADDR, "0000:03:00.1");
	ok(feed(m) == 0 && pop(&e), "a match add's outcome parses");
	r = ppt_event_req(e);
	ok(ppt_req_cmd(r) == PPT_CMD_MATCH_ADD && !ppt_req_addr(r) && ppt_req_id(r) == 44,
	   "... no address");
	ok(ppt_req_device_count(r) == 2, "... two devices reserved");
	is_str(ppt_req_device(r, 0), "0000:03:00.0", "... the first");
	is_str(ppt_req_device(r, 1), "0000:03:00.1", "... the second, in order");
	ok(!ppt_req_device(r, 2), "... and no third");
	copy = ppt_req_dup(r);
	pop(&e);
	ok(copy && ppt_req_device_count(copy) == 2 &&
	   !strcmp(ppt_req_device(copy, 1), "0000:03:00.1"),
	   "a duplicate keeps its devices after the event is freed");
	ppt_req_free(copy);

	m = ntf(PPT_CMD_REQUEST_NTF, 6);
	nla_put_u8(m, PPT_A_REQ_CMD, PPT_CMD_DEVICE_RESET);
	nla_put_u32(m, PPT_A_REQ_ERRNO, 0);
	ok(feed(m) == 0 && pop(&e) && ppt_event_type(e) == PPT_EVENT_LOST &&
	   ppt_event_lost_count(e) == 1 && !pop(&e),
	   "an outcome without its request id counts as one lost");
}

static void test_sequence(void)
{
	struct ppt_event *e = NULL;

	reset_events();
	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 1));
	feed(dev_ntf("0000:01:00.0", PPT_STATE_CLAIMED, 2));
	ok(pop(&e) && ppt_event_seq(e) == 1 && pop(&e) && ppt_event_seq(e) == 2 && !pop(&e),
	   "consecutive sequence numbers: no loss");

	feed(dev_ntf("0000:01:00.0", PPT_STATE_ASSIGNED, 6));
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_LOST &&
	   ppt_event_lost_reason(e) == PPT_LOST_GAP,
	   "a jump from 2 to 6 is reported first, as a gap");
	ok(ppt_event_lost_count(e) == 3 && ppt_event_lost_after(e) == 2 &&
	   !ppt_event_dev(e) && !ppt_event_req(e) && ppt_event_seq(e) == 0,
	   "... of 3 events, after seq 2");
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_DEVICE && ppt_event_seq(e) == 6,
	   "... then the event that showed it");

	/* a notification this libppt does not know still counts */
	feed(ntf(PPT_CMD_MAX + 7, 7));
	feed(dev_ntf("0000:01:00.0", PPT_STATE_DIRTY, 8));
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_DEVICE && ppt_event_seq(e) == 8 &&
	   !pop(&e), "an unknown notification is skipped but its number counted");

	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 1));
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_LOST &&
	   ppt_event_lost_reason(e) == PPT_LOST_RESTART && ppt_event_lost_count(e) == 0,
	   "the sequence starting over is a restart");
	ok(pop(&e) && ppt_event_seq(e) == 1, "... then the event");

	ok(ppt__events_lost(&evs, PPT_LOST_OVERRUN, 0) == 0 && pop(&e) &&
	   ppt_event_type(e) == PPT_EVENT_LOST &&
	   ppt_event_lost_reason(e) == PPT_LOST_OVERRUN && ppt_event_lost_after(e) == 1,
	   "an overrun, after seq 1");
	feed(dev_ntf("0000:01:00.0", PPT_STATE_CLAIMED, 9));
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_DEVICE && ppt_event_seq(e) == 9 &&
	   !pop(&e), "after an overrun the next number is not compared (no second notice)");

	/* an unusable notification is one lost event, not a silent drop */
	{
		struct nl_msg *m = ntf(PPT_CMD_DEVICE_NTF, 10);

		nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");	/* no state */
		feed(m);
	}
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_LOST && ppt_event_lost_count(e) == 1 &&
	   !pop(&e), "a device event without its state counts as one lost");

	/* the queue grows past its first allocation and keeps order */
	reset_events();
	{
		uint64_t s;
		bool inorder = true;

		for (s = 1; s <= 40; s++)
			feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, s));
		for (s = 1; s <= 40; s++)
			inorder &= pop(&e) && ppt_event_seq(e) == s;
		ok(inorder && !pop(&e), "40 queued events come out in order");
	}
	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 41));
	ok(pop(&e) && ppt_event_seq(e) == 41, "the drained queue is reused");
	pop(&e);

	/* events left unread are freed with the queue (ASan checks) */
	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 42));
	feed(dev_ntf("0000:01:00.0", PPT_STATE_CLAIMED, 43));
	ppt__events_flush(&evs);
	ok(!pop(&e), "flushed: nothing queued");

	/* other families' messages are not ppt's */
	{
		struct nl_msg *m = nlmsg_alloc();

		genlmsg_put(m, 0, 0, FAM + 1, 0, 0, PPT_CMD_DEVICE_NTF, 1);
		nla_put_u64(m, PPT_A_EVENT_SEQ, 99);
		feed(m);
		ok(!pop(&e), "another family's message is ignored");
	}
}

static struct nl_msg *ctrl(uint8_t cmd, const char *family, int id, int grp)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *groups, *g;

	genlmsg_put(m, 0, 0, GENL_ID_CTRL, 0, 0, cmd, 2);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, family);
	nla_put_u16(m, CTRL_ATTR_FAMILY_ID, (uint16_t)id);
	if (grp >= 0) {
		groups = nla_nest_start(m, CTRL_ATTR_MCAST_GROUPS);
		g = nla_nest_start(m, 1);
		nla_put_string(m, CTRL_ATTR_MCAST_GRP_NAME, "other");
		nla_put_u32(m, CTRL_ATTR_MCAST_GRP_ID, 3);
		nla_nest_end(m, g);
		g = nla_nest_start(m, 2);
		nla_put_string(m, CTRL_ATTR_MCAST_GRP_NAME, PPT_GENL_MCGRP_EVENTS);
		nla_put_u32(m, CTRL_ATTR_MCAST_GRP_ID, (uint32_t)grp);
		nla_nest_end(m, g);
		nla_nest_end(m, groups);
	}
	return m;
}

static void test_family_notices(void)
{
	struct ppt_event *e = NULL;

	reset_events();
	h.family = FAM;
	h.events_group = 5;
	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 4));
	pop(&e);
	h.fam.known = true;
	feed(ctrl(CTRL_CMD_DELFAMILY, "nl80211", 0x30, -1));
	ok(!pop(&e) && h.fam.known,
	   "another family going away is nothing to ppt (nor to what it supports)");
	feed(ctrl(CTRL_CMD_DELFAMILY, PPT_GENL_NAME, FAM, -1));
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_LOST &&
	   ppt_event_lost_reason(e) == PPT_LOST_UNLOADED && ppt_event_lost_after(e) == 4,
	   "ppt's family going away: unloaded, after seq 4");
	ok(!h.fam.known, "... what the module supports is forgotten");
	feed(ctrl(CTRL_CMD_DELFAMILY, PPT_GENL_NAME, FAM, -1));
	ok(!pop(&e), "... said once");
	h.fam.known = true;
	feed(ctrl(CTRL_CMD_NEWFAMILY, PPT_GENL_NAME, FAM + 2, 9));
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_LOST &&
	   ppt_event_lost_reason(e) == PPT_LOST_RESTART, "its return: restart");
	ok(h.family == FAM + 2 && h.events_group == 9,
	   "... with the new family id and events group");
	ok(!h.fam.known, "... the new module will be asked what it supports");
	feed(ctrl(CTRL_CMD_NEWMCAST_GRP, PPT_GENL_NAME, FAM + 2, 9));
	ok(!pop(&e), "the group notice that follows adds nothing");
	{
		struct nl_msg *m = nlmsg_alloc();

		genlmsg_put(m, 0, 0, FAM + 2, 0, 0, PPT_CMD_DEVICE_NTF, 1);
		nla_put_u64(m, PPT_A_EVENT_SEQ, 1);
		nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
		nla_put_u32(m, PPT_A_DEV_STATE, PPT_STATE_RESERVED);
		feed(m);
	}
	ok(pop(&e) && ppt_event_type(e) == PPT_EVENT_DEVICE && ppt_event_seq(e) == 1 &&
	   !pop(&e), "events of the new family arrive, seq 1 without another notice");
	h.family = FAM;
}

static void reset_err(void)
{
	h.has_errmsg = false;
	h.err_attr = -1;
}

/* An NLMSG_ERROR with extended ack attributes, as the kernel sends it. */
static struct nl_msg *nlerr(int error, bool capped, int echo_len)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	nlh = nlmsg_put(m, 0, 1, NLMSG_ERROR,
			(int)sizeof(*e) + (capped ? 0 : echo_len),
			NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0));
	e = nlmsg_data(nlh);
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : (uint32_t)echo_len);
	return m;
}

static void test_extack(void)
{
	struct nl_msg *m, *sent;
	struct nlattr *a;
	int rem, off = -1;

	reset_err();
	m = nlerr(-EINVAL, true, 0);
	nla_put_string(m, NLMSGERR_ATTR_MSG, "missing owner");
	nla_put_u32(m, NLMSGERR_ATTR_MISS_TYPE, PPT_A_DEV_OWNER);
	ppt__note_extack(&h, nlmsg_hdr(m), NULL);
	is_str(ppt_errmsg(&h), "missing owner", "the kernel's message, as it is");
	{
		bool missing = false;

		ok(ppt_err_attr(&h, &missing) == PPT_A_DEV_OWNER && missing,
		   "... and the missing attribute");
		is_str(ppt_attr_name(PPT_A_DEV_OWNER), "PPT_A_DEV_OWNER", "its name");
	}
	nlmsg_free(m);

	reset_err();
	m = nlerr(-EINVAL, true, 0);
	nla_put_u32(m, NLMSGERR_ATTR_MISS_TYPE, PPT_A_DEV_ADDR);
	ppt__note_extack(&h, nlmsg_hdr(m), NULL);
	is_str(ppt_errmsg(&h), "missing attribute PPT_A_DEV_ADDR",
	       "no message: the missing attribute alone (GENL_REQ_ATTR_CHECK)");
	nlmsg_free(m);

	/* the offset of a rejected attribute names it, from the request sent */
	sent = nlmsg_alloc();
	genlmsg_put(sent, 0, 1, FAM, 0, NLM_F_REQUEST, PPT_CMD_MATCH_ADD, 1);
	nla_put_string(sent, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_string(sent, PPT_A_MATCH_IDS, "zz:1");
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlmsg_hdr(sent)), 0),
			  genlmsg_attrlen(nlmsg_data(nlmsg_hdr(sent)), 0), rem)
		if (nla_type(a) == PPT_A_MATCH_IDS)
			off = (int)((char *)a - (char *)nlmsg_hdr(sent));
	reset_err();
	m = nlerr(-EINVAL, true, 0);
	nla_put_string(m, NLMSGERR_ATTR_MSG, "field is not hexadecimal");
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, (uint32_t)off);
	ppt__note_extack(&h, nlmsg_hdr(m), sent);
	is_str(ppt_errmsg(&h), "field is not hexadecimal", "a rejected attribute's message");
	{
		bool missing = true;

		ok(ppt_err_attr(&h, &missing) == PPT_A_MATCH_IDS && !missing,
		   "... the attribute, found by its offset in the request");
	}
	nlmsg_free(m);

	reset_err();
	m = nlerr(-EINVAL, true, 0);
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, (uint32_t)off);
	ppt__note_extack(&h, nlmsg_hdr(m), sent);
	is_str(ppt_errmsg(&h), "invalid attribute PPT_A_MATCH_IDS",
	       "no message: the rejected attribute makes one");
	nlmsg_free(m);

	reset_err();
	m = nlerr(-EINVAL, true, 0);
	nla_put_u32(m, NLMSGERR_ATTR_OFFS, 3);	/* points at no attribute */
	ppt__note_extack(&h, nlmsg_hdr(m), sent);
	ok(ppt_errmsg(&h) == NULL && ppt_err_attr(&h, NULL) == -1,
	   "an offset that is no attribute adds nothing");
	nlmsg_free(m);
	nlmsg_free(sent);

	/* uncapped: the request is echoed before the attributes */
	reset_err();
	m = nlerr(-EBUSY, false, 16);
	nla_put_string(m, NLMSGERR_ATTR_MSG, "device is already claimed");
	ppt__note_extack(&h, nlmsg_hdr(m), NULL);
	is_str(ppt_errmsg(&h), "device is already claimed",
	       "an uncapped error: the echoed request is skipped");
	nlmsg_free(m);

	/* a long message is kept whole, the attribute's name cut to fit */
	reset_err();
	m = nlerr(-EINVAL, true, 0);
	{
		char longmsg[300];

		memset(longmsg, 'x', sizeof(longmsg) - 1);
		longmsg[sizeof(longmsg) - 1] = '\0';
		nla_put_string(m, NLMSGERR_ATTR_MSG, longmsg);
	}
	nla_put_u32(m, NLMSGERR_ATTR_MISS_TYPE, 999);
	ppt__note_extack(&h, nlmsg_hdr(m), NULL);
	ok(ppt_errmsg(&h) && strlen(ppt_errmsg(&h)) == PPT_MSG_BUFLEN - 1,
	   "an overlong message is truncated, not overflowed");
	ok(ppt_err_attr(&h, NULL) == 999, "an attribute libppt has no name for");
	nlmsg_free(m);

	reset_err();
	m = nlerr(-EINVAL, true, 0);
	nla_put_u32(m, NLMSGERR_ATTR_MISS_TYPE, 999);
	ppt__note_extack(&h, nlmsg_hdr(m), NULL);
	is_str(ppt_errmsg(&h), "missing attribute 999", "... named by its number");
	is_str(ppt_attr_name(999), "unknown", "ppt_attr_name of it");
	nlmsg_free(m);

	reset_err();
	m = nlmsg_alloc();
	{
		struct nlmsgerr *e = nlmsg_data(nlmsg_put(m, 0, 1, NLMSG_ERROR,
							   sizeof(*e), 0));

		e->error = -EPERM;
		nla_put_string(m, NLMSGERR_ATTR_MSG, "not for this flag-less error");
	}
	ppt__note_extack(&h, nlmsg_hdr(m), NULL);
	ok(ppt_errmsg(&h) == NULL, "without NLM_F_ACK_TLVS nothing is read");
	nlmsg_free(m);
}

/* ppt_devices_clean()'s own checks, and one outcome per device */
static void test_batch_checks(void)
{
	const char *bad[] = { "01:00", "zz:00.0" }, *one[] = { "01:00.0" };
	struct ppt_req **out = NULL;

	ok(ppt_devices_clean(&h, one, 1, PPT_RESET_MAX + 1, 0, 0, &out) == -EINVAL && !out,
	   "clean several: a method outside the enum; no outcomes");
	is_str(ppt_errmsg(&h), "unknown reset method 6", "... named");
	ok(ppt_devices_clean(&h, one, 1, PPT_RESET_FLR, 0x10, 0, &out) == -EINVAL && !out,
	   "clean several: an unknown flag");
	is_str(ppt_errmsg(&h), "unknown flags 0x10", "... named");
	ok(ppt_devices_clean(&h, one, 0, PPT_RESET_FLR, 0, 0, &out) == -EINVAL,
	   "clean several: no device");
	is_str(ppt_errmsg(&h), "no device given", "... said");
	/* malformed addresses are refused before a socket would be used */
	ok(ppt_devices_clean(&h, bad, 2, PPT_RESET_AUTO, 0, 0, &out) == -EINVAL,
	   "clean several: every device refused: the first one's error");
	ok(out && out[0] && out[1] && !out[2], "... two outcomes, NULL-terminated");
	ok(ppt_req_error(out[0]) == -EINVAL && ppt_req_error(out[1]) == -EINVAL &&
	   ppt_req_id(out[0]) == 0 && ppt_req_cmd(out[1]) == PPT_CMD_DEVICE_CLEAN,
	   "... each device has its own outcome, no request id");
	is_str(ppt_req_addr(out[1]), "zz:00.0", "... under the name it was given");
	is_str(ppt_req_msg(out[1]), "malformed PCI address \"zz:00.0\" (want [domain:]bus:dev.fn)",
	       "... with its own reason");
	is_str(ppt_errmsg(&h),
	       "2 of 2 devices failed, the first 01:00: malformed PCI address \"01:00\" (want [domain:]bus:dev.fn)",
	       "... and the call's message counts them");
	ppt_req_list_free(out);
	ppt_req_list_free(NULL);
}

/*
 * A batch's request refused because an operation is in progress: the
 * state read back decides.  The slot's clean that refused it may have ended
 * before the read (seen on a busy host): reserved is that clean's success,
 * not a failure; dirty means what was in the way did not clean it.
 */
static void test_batch_after_busy(void)
{
	static const struct {
		enum ppt_state now;
		enum ppt__busy_next next;
		const char *why;
	} cases[] = {
		{ PPT_STATE_CLEANING, PPT__BUSY_FOLLOW, "cleaning: follow that clean" },
		{ PPT_STATE_SANITISING, PPT__BUSY_FOLLOW,
		  "sanitising (the clean's first step): follow that clean" },
		{ PPT_STATE_RESERVED, PPT__BUSY_FOLLOW, "reserved: the clean ended first" },
		{ PPT_STATE_CLAIMED, PPT__BUSY_REFUSED, "claimed since: refused" },
		{ PPT_STATE_ASSIGNED, PPT__BUSY_REFUSED, "assigned since: refused" },
		{ PPT_STATE_QUARANTINED, PPT__BUSY_FOLLOW, "quarantined: the clean failed" },
		{ PPT_STATE_DIRTY, PPT__BUSY_RESEND, "dirty: ask again" },
		{ PPT_STATE_DETACHED, PPT__BUSY_RESEND, "detached: the resend says why not" },
		{ PPT_STATE_UNASSIGNING, PPT__BUSY_REFUSED, "unassigning: busy" },
		{ PPT_STATE_RESETTING, PPT__BUSY_REFUSED, "resetting: busy" },
		{ PPT_STATE_RELEASING, PPT__BUSY_REFUSED, "releasing: busy" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(ppt__batch_after_busy(cases[i].now, true) == cases[i].next,
		   "clean several, refused as in progress, then %s", cases[i].why);
	/* the kernel's reason, word for word, or nothing is ever followed */
	{
		FILE *f = fopen(PPT_TOP "/kernel/ppt_state.c", "r");
		char line[256];
		bool found = false;

		while (f && fgets(line, sizeof(line), f))
			found |= strstr(line, "\"" PPT__MSG_IN_PROGRESS "\"") != NULL;
		if (f)
			fclose(f);
		ok(found, "kernel/ppt_state.c refuses with PPT__MSG_IN_PROGRESS's text");
	}
	/* EBUSY for the device's own reason: the refusal stands, whatever the state */
	ok(ppt__batch_after_busy(PPT_STATE_RESERVED, false) == PPT__BUSY_REFUSED &&
	   ppt__batch_after_busy(PPT_STATE_DIRTY, false) == PPT__BUSY_REFUSED,
	   "refused busy for another reason (a PF's VFs in use): refused");
}

/* Claim specs: built, checked before sending, freed. */
static void test_claim_checks(void)
{
	struct ppt_claim_spec *c = ppt_claim_spec_new("vm-1"), *empty;
	char **got = (char **)&got;
	size_t n = 7;
	unsigned int i;

	ok(c && ppt_claim_spec_add_addr(c, "01:00") == 0 &&
	   ppt_claim_spec_set_match(c, "10de:1db4") == 0 &&
	   ppt_claim_spec_set_match(c, NULL) == 0 &&
	   ppt_claim_spec_set_count(c, 2) == 0, "a claim spec is built");
	ok(ppt_claim_spec_add_addr(NULL, "01:00.0") == -EINVAL &&
	   ppt_claim_spec_add_addr(c, NULL) == -EINVAL &&
	   ppt_claim_spec_set_match(NULL, "x") == -EINVAL &&
	   ppt_claim_spec_set_count(NULL, 1) == -EINVAL, "... refusing NULL");
	ok(ppt_claim(&h, c, 0, &got, &n) == -EINVAL && !got && n == 0,
	   "claim: a malformed candidate; nothing returned");
	is_str(ppt_errmsg(&h), "malformed PCI address \"01:00\" (want [domain:]bus:dev.fn)",
	       "... named");
	ok(ppt_claim(&h, c, 2, &got, &n) == -EINVAL, "claim: an unknown flag");
	is_str(ppt_errmsg(&h), "unknown flags 0x2", "... named");
	empty = ppt_claim_spec_new(NULL);
	ok(ppt_claim(&h, empty, PPT_CLAIM_LEASE, NULL, NULL) == -EINVAL &&
	   ppt_claim(&h, NULL, 0, NULL, NULL) == -EINVAL,
	   "claim: neither devices nor a match");
	is_str(ppt_errmsg(&h), "a claim needs device addresses or a match", "... said");
	for (i = 0; i <= PPT_CLAIM_MAX; i++)
		ppt_claim_spec_add_addr(empty, "01:00.0");
	ok(ppt_claim(&h, empty, 0, NULL, NULL) == -EINVAL, "claim: too many candidates");
	is_str(ppt_errmsg(&h), "a claim names or claims at most 256 devices", "... said");
	ppt_claim_spec_free(empty);
	ppt_claim_spec_free(c);
	ppt_claim_spec_free(NULL);
	ok(ppt_take(&h, "vm-1", 4, &got, &n) == -EINVAL && !got,
	   "take: an unknown flag");
	ppt_addrs_free(NULL);
}

static void test_local_checks(void)
{
	struct ppt_dev *d = (struct ppt_dev *)&d;
	struct ppt_event *e = (struct ppt_event *)&e;
	struct ppt_req *outcome = (struct ppt_req *)&outcome;
	uint64_t id = 99;

	/* these fail before a socket would be used: h has none */
	ok(ppt_device_get(&h, "01:00", &d) == -EINVAL && !d, "get: malformed address");
	is_str(ppt_errmsg(&h), "malformed PCI address \"01:00\" (want [domain:]bus:dev.fn)",
	       "... named in the message");
	ok(ppt_device_reserve(&h, NULL, 0, 0, &id) == -EINVAL && id == 0,
	   "reserve: no address; no request id");
	ok(ppt_device_reserve(&h, "01:00.0", 1u << 7, 0, NULL) == -EINVAL,
	   "reserve: an unknown flag");
	is_str(ppt_errmsg(&h), "unknown flags 0x80", "... named");
	ok(ppt_device_reserve(&h, "01:00.0", PPT_RESERVE_FORCE_HOST, 0, NULL) == -EINVAL,
	   "reserve: force-host without force");
	is_str(ppt_errmsg(&h), "PPT_RESERVE_FORCE_HOST needs PPT_RESERVE_FORCE", "... said");
	ok(ppt_device_release(&h, "01:00.0", PPT_RELEASE_UNCLEAN << 1, 0, NULL) == -EINVAL,
	   "release: an unknown flag");
	ok(ppt_device_claim(&h, "01:00.0", "vm", 2) == -EINVAL &&
	   ppt_device_unclaim(&h, "01:00.0", "vm", 1) == -EINVAL &&
	   ppt_device_assign(&h, "01:00.0", "vm", PPT_ASSIGN_RECYCLE << 1, 0, NULL) == -EINVAL &&
	   ppt_device_unassign(&h, "01:00.0", NULL, 1, 0, NULL) == -EINVAL,
	   "claim, unclaim, assign, unassign: flags they do not define");
	ok(ppt_device_reset(&h, "01:00.0", PPT_RESET_MAX + 1, 0, 0, NULL) == -EINVAL,
	   "reset: a method outside the enum");
	is_str(ppt_errmsg(&h), "unknown reset method 6", "... named");
	ok(ppt_device_clean(&h, "01:00.0", 99, 0, 0, NULL) == -EINVAL, "clean: likewise");
	ok(ppt_device_clean(&h, "01:00.0", PPT_RESET_ACPI, PPT_CLEAN_INSPECT << 1, 0, NULL) == -EINVAL,
	   "clean: an unknown flag");
	ok(ppt_device_clean(&h, "01:00.0", PPT_RESET_FLR, PPT_CLEAN_INSPECT, 0, NULL) == -EINVAL,
	   "clean: an inspection with a reset method");
	is_str(ppt_errmsg(&h), "an inspection resets nothing: PPT_CLEAN_INSPECT takes PPT_RESET_AUTO",
	       "... said");
	test_batch_checks();
	test_batch_after_busy();
	test_claim_checks();
	ok(ppt_match_add(&h, (enum ppt_match_kind)7, "x", PPT_RESET_AUTO, 0, 0, &id,
			 &outcome) == -EINVAL && id == 0 && !outcome,
	   "match add: unknown kind; no id, no outcome");
	ok(ppt_match_del(&h, PPT_MATCH_IDS, NULL, 0) == -EINVAL, "match del: no text");
	ok(ppt_match_del(&h, PPT_MATCH_IDS, "10de:1db4", 8) == -EINVAL,
	   "match del: an unknown flag");
	ok(ppt_match_add(&h, PPT_MATCH_IDS, "10de:1db4", 9, 0, 0, NULL, NULL) == -EINVAL,
	   "match add: a preference outside the enum");
	is_str(ppt_errmsg(&h), "unknown reset method 9", "... named");
	ok(ppt_match_add(&h, PPT_MATCH_IDS, "10de:1db4", PPT_RESET_AUTO, 1, 0, NULL,
			 NULL) == -EINVAL, "match add: an unknown flag");
	ok(ppt_device_set_reset_pref(&h, "01:00.0", PPT_RESET_MAX + 1, 0) == -EINVAL,
	   "set: a preference outside the enum");
	ok(ppt_device_set_reset_pref(&h, "1:2", PPT_RESET_FLR, 0) == -EINVAL,
	   "set: a malformed address");
	ok(ppt_blocker(&h, NULL) == NULL, "no blocker after a local refusal");
	ok(ppt_err_attr(&h, NULL) == -1 && ppt_err_attr(NULL, NULL) == -1,
	   "no attribute named either");
	ok(ppt_errmsg(NULL) == NULL && ppt_blocker(NULL, NULL) == NULL,
	   "NULL handle: no message, no blocker");

	h.ev = NULL;
	ok(ppt_events_fd(&h) == -EINVAL, "events_fd without a subscription");
	ok(ppt_events_next(&h, &e, 0) == -EINVAL && !e, "events_next without one");
	ppt_events_unsubscribe(&h);
	ppt_close(NULL);
	ppt_event_free(NULL);
	ppt_dev_list_free(NULL);
	ppt_match_list_free(NULL);
	ok(1, "unsubscribe and close take a handle without subscription, and NULL");
}

/*
 * A module as the controller describes it: its version, its commands, and
 * each command's policy (the attributes a request may carry), in the
 * messages Linux 6.1 and 6.12 send: a CTRL_CMD_GETFAMILY reply, and a
 * CTRL_CMD_GETPOLICY dump of one message per command (the index of its
 * policy) and one per attribute of each policy.
 */
static const uint16_t pol_addr[] = { PPT_A_DEV_ADDR, 0 };
static const uint16_t pol_reserve1[] = { PPT_A_DEV_ADDR, PPT_A_FORCE, 0 };
static const uint16_t pol_reserve2[] = { PPT_A_DEV_ADDR, PPT_A_FORCE, PPT_A_FORCE_HOST, 0 };
static const uint16_t pol_release2[] = { PPT_A_DEV_ADDR, PPT_A_UNCLEAN, 0 };
static const uint16_t pol_owner[] = { PPT_A_DEV_ADDR, PPT_A_DEV_OWNER, 0 };
static const uint16_t pol_claim1[] = { PPT_A_DEV_ADDR, PPT_A_DEV_OWNER, PPT_A_LEASE, 0 };
static const uint16_t pol_reset[] = { PPT_A_DEV_ADDR, PPT_A_RESET_METHOD, 0 };
static const uint16_t pol_match[] = { PPT_A_MATCH_IDS, PPT_A_MATCH_DEVICE, PPT_A_MATCH_PATH,
				      PPT_A_DEV_RESET_PREF, 0 };
static const uint16_t pol_set[] = { PPT_A_DEV_ADDR, PPT_A_DEV_RESET_PREF, 0 };
static const uint16_t pol_claim[] = { PPT_A_CLAIM_ADDR, PPT_A_MATCH_IDS, PPT_A_CLAIM_COUNT,
				      PPT_A_DEV_OWNER, PPT_A_LEASE, 0 };
static const uint16_t pol_take[] = { PPT_A_DEV_OWNER, PPT_A_LEASE, 0 };
static const uint16_t pol_none[] = { 0 };

struct fake_module {
	uint32_t version;
	const uint16_t *policy[PPT_CMD_MAX + 1];	/* NULL: no such command */
};

static const struct fake_module module_v2 = { 2, {
	[PPT_CMD_DEVICE_GET] = pol_addr, [PPT_CMD_DEVICE_RESERVE] = pol_reserve2,
	[PPT_CMD_DEVICE_RELEASE] = pol_release2, [PPT_CMD_DEVICE_CLAIM] = pol_claim1,
	[PPT_CMD_DEVICE_UNCLAIM] = pol_owner, [PPT_CMD_DEVICE_ASSIGN] = pol_owner,
	[PPT_CMD_DEVICE_UNASSIGN] = pol_owner, [PPT_CMD_DEVICE_RESET] = pol_reset,
	[PPT_CMD_DEVICE_CLEAN] = pol_reset, [PPT_CMD_MATCH_ADD] = pol_match,
	[PPT_CMD_MATCH_DEL] = pol_match, [PPT_CMD_MATCH_GET] = pol_none,
	[PPT_CMD_DEVICE_SET] = pol_set, [PPT_CMD_CLAIM] = pol_claim,
	[PPT_CMD_TAKE] = pol_take,
} };

/* an early module of protocol 1, before claims of several devices */
static const struct fake_module module_v1_early = { 1, {
	[PPT_CMD_DEVICE_GET] = pol_addr, [PPT_CMD_DEVICE_RESERVE] = pol_reserve1,
	[PPT_CMD_DEVICE_RELEASE] = pol_addr, [PPT_CMD_DEVICE_CLAIM] = pol_owner,
	[PPT_CMD_DEVICE_UNCLAIM] = pol_owner, [PPT_CMD_DEVICE_ASSIGN] = pol_owner,
	[PPT_CMD_DEVICE_UNASSIGN] = pol_owner,
} };

static struct nl_msg *ctrl_msg(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, GENL_ID_CTRL, 0, 0, cmd, 2);
	nla_put_u16(m, CTRL_ATTR_FAMILY_ID, FAM);
	return m;
}

/* Feed one controller message to a parser (consumed); its result. */
static int feed_ctrl(int (*parse)(struct ppt_family *, const struct nlmsghdr *),
		     struct nl_msg *m)
{
	int ret = parse(&h.fam, nlmsg_hdr(m));

	nlmsg_free(m);
	return ret;
}

/* The policy index of cmd: commands that share a policy share its index. */
static uint32_t policy_index(const struct fake_module *mod, uint8_t cmd)
{
	uint8_t c;

	for (c = 0; c < cmd; c++)
		if (mod->policy[c] == mod->policy[cmd])
			return c;
	return cmd;
}

/* What libppt learns from the controller about mod, as discover() does. */
static void load_module(const struct fake_module *mod, bool policies)
{
	struct nl_msg *m = ctrl_msg(CTRL_CMD_NEWFAMILY);
	struct nlattr *ops, *op, *n1, *n2, *n3;
	const uint16_t *a;
	uint8_t cmd;

	ppt__family_reset(&h.fam);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, PPT_GENL_NAME);
	nla_put_u32(m, CTRL_ATTR_VERSION, mod->version);
	nla_put_u32(m, CTRL_ATTR_HDRSIZE, 0);
	nla_put_u32(m, CTRL_ATTR_MAXATTR, PPT_A_MAX);
	ops = nla_nest_start(m, CTRL_ATTR_OPS);
	for (cmd = 0; cmd <= PPT_CMD_MAX; cmd++) {
		if (!mod->policy[cmd])
			continue;
		op = nla_nest_start(m, cmd);
		nla_put_u32(m, CTRL_ATTR_OP_ID, cmd);
		nla_put_u32(m, CTRL_ATTR_OP_FLAGS, GENL_CMD_CAP_DO | GENL_CMD_CAP_HASPOL);
		nla_nest_end(m, op);
	}
	nla_nest_end(m, ops);
	ok(feed_ctrl(ppt__family_parse, m) == 0, "protocol %u: the family's reply parses",
	   mod->version);
	for (cmd = 0; policies && cmd <= PPT_CMD_MAX; cmd++) {
		if (!mod->policy[cmd])
			continue;
		m = ctrl_msg(CTRL_CMD_GETPOLICY);
		n1 = nla_nest_start(m, CTRL_ATTR_OP_POLICY);
		n2 = nla_nest_start(m, cmd);
		nla_put_u32(m, cmd == PPT_CMD_MATCH_GET ? CTRL_ATTR_POLICY_DUMP :
			    CTRL_ATTR_POLICY_DO, policy_index(mod, cmd));
		if (cmd == PPT_CMD_DEVICE_GET)
			nla_put_u32(m, CTRL_ATTR_POLICY_DUMP, policy_index(mod, cmd));
		nla_nest_end(m, n2);
		nla_nest_end(m, n1);
		feed_ctrl(ppt__policy_parse, m);
	}
	for (cmd = 0; policies && cmd <= PPT_CMD_MAX; cmd++) {
		if (!mod->policy[cmd] || policy_index(mod, cmd) != cmd)
			continue;
		for (a = mod->policy[cmd]; *a; a++) {
			m = ctrl_msg(CTRL_CMD_GETPOLICY);
			n1 = nla_nest_start(m, CTRL_ATTR_POLICY);
			n2 = nla_nest_start(m, cmd);
			n3 = nla_nest_start(m, *a);
			nla_put_u32(m, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_STRING);
			nla_nest_end(m, n3);
			nla_nest_end(m, n2);
			nla_nest_end(m, n1);
			feed_ctrl(ppt__policy_parse, m);
		}
	}
	h.fam.known = true;
}

static void test_discovery(void)
{
	struct ppt_claim_spec *c = ppt_claim_spec_new("vm-1");
	struct fake_module module_v1;
	struct nl_msg *m;
	uint64_t id = 99;

	load_module(&module_v2, true);
	ok(ppt_family_version(&h) == 2, "protocol 2: its version");
	ok(ppt_supports_cmd(&h, PPT_CMD_TAKE) == 1 &&
	   ppt_supports_cmd(&h, PPT_CMD_DEVICE_NTF) == 0 &&
	   ppt_supports_cmd(&h, 200) == 0 && ppt_supports_cmd(&h, 100000) == 0,
	   "... its commands, and none beyond them");
	ok(ppt_supports_attr(&h, PPT_CMD_DEVICE_RELEASE, PPT_A_UNCLEAN) == 1 &&
	   ppt_supports_attr(&h, PPT_CMD_DEVICE_RESERVE, PPT_A_FORCE_HOST) == 1,
	   "... unclean release, host override");
	ok(ppt_supports_attr(&h, PPT_CMD_DEVICE_RESERVE, PPT_A_UNCLEAN) == 0 &&
	   ppt_supports_attr(&h, PPT_CMD_DEVICE_RELEASE, PPT_A_FORCE) == 0,
	   "... each with its own command only");
	ok(ppt_supports_attr(&h, PPT_CMD_DEVICE_GET, PPT_A_DEV_ADDR) == 1 &&
	   ppt_supports_attr(&h, PPT_CMD_DEVICE_UNASSIGN, PPT_A_DEV_OWNER) == 1 &&
	   ppt_supports_attr(&h, PPT_CMD_MATCH_GET, PPT_A_DEV_ADDR) == 0 &&
	   ppt_supports_attr(&h, PPT_CMD_TAKE, 70000) == 0 &&
	   ppt_supports_attr(&h, 200, PPT_A_DEV_ADDR) == 0,
	   "... shared policies, a dump's empty one, unknown numbers");
	/* a valid request passes the check: a release without flags would go out */
	m = ppt__new_request(&h, PPT_CMD_DEVICE_RELEASE, 0);
	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_flag(m, PPT_A_UNCLEAN);
	ok(ppt__family_check(&h, m) == 0, "... a release unclean may be sent");
	nlmsg_free(m);
	m = ppt__new_request(&h, PPT_CMD_DEVICE_GET, NLM_F_DUMP);
	ok(ppt__family_check(&h, m) == 0, "... and a dump");
	nlmsg_free(m);

	/* libppt.so.0's module: no unclean release, no host override */
	module_v1 = module_v2;
	module_v1.version = 1;
	module_v1.policy[PPT_CMD_DEVICE_RESERVE] = pol_reserve1;
	module_v1.policy[PPT_CMD_DEVICE_RELEASE] = pol_addr;
	load_module(&module_v1, true);
	ok(ppt_family_version(&h) == 1, "protocol 1: its version");
	ok(ppt_supports_attr(&h, PPT_CMD_DEVICE_RELEASE, PPT_A_UNCLEAN) == 0 &&
	   ppt_supports_attr(&h, PPT_CMD_DEVICE_RESERVE, PPT_A_FORCE_HOST) == 0 &&
	   ppt_supports_attr(&h, PPT_CMD_DEVICE_RESERVE, PPT_A_FORCE) == 1,
	   "... no unclean release, no host override");
	ok(ppt_device_release(&h, "01:00.0", PPT_RELEASE_UNCLEAN, 0, &id) == -EOPNOTSUPP &&
	   id == 0, "... a release unclean fails before it is sent");
	is_str(ppt_errmsg(&h),
	       "the loaded ppt module does not support PPT_A_UNCLEAN with release (protocol version 1; libppt speaks 2): load the matching module",
	       "... saying what is missing and both versions");
	/*
	 * A reserve with host override is sent to it without the attribute: a
	 * module of protocol 1 has no host check to override (the old-module
	 * VM test sends one).
	 */
	m = ppt__new_request(&h, PPT_CMD_DEVICE_RESERVE, 0);
	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_flag(m, PPT_A_FORCE);
	ok(ppt__family_check(&h, m) == 0, "... a reserve with force may be sent");
	nlmsg_free(m);

	load_module(&module_v1_early, true);
	ok(ppt_supports_cmd(&h, PPT_CMD_TAKE) == 0 &&
	   ppt_supports_attr(&h, PPT_CMD_TAKE, PPT_A_DEV_OWNER) == 0,
	   "an early module: no take");
	ok(ppt_take(&h, "vm-1", 0, NULL, NULL) == -EOPNOTSUPP, "... take fails before it is sent");
	is_str(ppt_errmsg(&h),
	       "the loaded ppt module does not support the command take (protocol version 1; libppt speaks 2): load the matching module",
	       "... naming the command");
	ppt_claim_spec_add_addr(c, "01:00.0");
	ok(ppt_claim(&h, c, 0, NULL, NULL) == -EOPNOTSUPP, "... so does a claim of several");
	ok(ppt_device_claim(&h, "01:00.0", "vm-1", PPT_CLAIM_LEASE) == -EOPNOTSUPP,
	   "... and a single claim under a lease");
	is_str(ppt_errmsg(&h),
	       "the loaded ppt module does not support PPT_A_LEASE with claim (protocol version 1; libppt speaks 2): load the matching module",
	       "... naming the attribute");
	ppt_claim_spec_free(c);

	/* Linux before 5.10 dumps no policies: commands are known, attributes not */
	load_module(&module_v1, false);
	ok(ppt_supports_cmd(&h, PPT_CMD_DEVICE_RELEASE) == 1 &&
	   ppt_supports_attr(&h, PPT_CMD_DEVICE_RELEASE, PPT_A_UNCLEAN) == -EOPNOTSUPP,
	   "without policies: commands yes, attributes unknown");
	m = ppt__new_request(&h, PPT_CMD_DEVICE_RELEASE, 0);
	nla_put_flag(m, PPT_A_UNCLEAN);
	ok(ppt__family_check(&h, m) == 0, "... requests go out for the kernel to judge");
	nlmsg_free(m);

	/* what the parsers refuse */
	m = ctrl_msg(CTRL_CMD_NEWFAMILY);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, "nl80211");
	nla_put_u32(m, CTRL_ATTR_VERSION, 1);
	ok(feed_ctrl(ppt__family_parse, m) == -EPROTO, "another family's reply is refused");
	m = ctrl_msg(CTRL_CMD_NEWFAMILY);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, PPT_GENL_NAME);
	ok(feed_ctrl(ppt__family_parse, m) == -EPROTO, "... so is one without a version");
	m = ctrl_msg(CTRL_CMD_GETPOLICY);
	{
		struct nlattr *n1 = nla_nest_start(m, CTRL_ATTR_POLICY);
		struct nlattr *n2 = nla_nest_start(m, 5000);
		struct nlattr *n3 = nla_nest_start(m, PPT_A_DEV_ADDR);

		nla_put_u32(m, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_STRING);
		nla_nest_end(m, n3);
		nla_nest_end(m, n2);
		nla_nest_end(m, n1);
	}
	ok(feed_ctrl(ppt__policy_parse, m) == -ENOMEM,
	   "an absurd policy index is refused, not allocated");
	ppt__family_reset(&h.fam);
}

/* A match entry of the vfs kind, as MATCH_GET sends a boot list's. */
static void test_match_vfs(void)
{
	struct nlattr *tb[PPT_A_MAX + 1];
	struct ppt_match *m;
	struct nl_msg *msg = nlmsg_alloc();
	int err = 0;

	genlmsg_put(msg, 0, 1, FAM, 0, 0, PPT_CMD_MATCH_GET, 1);
	nla_put_string(msg, PPT_A_MATCH_VFS, "0000:3b:00.0=4");
	nla_put_flag(msg, PPT_A_MATCH_BOOT);
	ok(!genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, NULL), "a vfs entry parses");
	m = ppt__match_parse(tb, &err);
	ok(m && ppt_match_kind(m) == PPT_MATCH_VFS && ppt_match_boot(m),
	   "... the vfs kind, a boot entry");
	is_str(m ? ppt_match_text(m) : NULL, "0000:3b:00.0=4", "... with its count");
	free(m);
	nlmsg_free(msg);
}

/* Feed one PPT_CMD_STATS_GET message (consumed) to the parser. */
static int feed_stats(struct ppt__request *req, struct nl_msg *msg)
{
	struct nlattr *tb[PPT_A_MAX + 1];
	int ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, ppt__policy);

	if (!ret)
		ret = ppt__stats_msg(req, nlmsg_hdr(msg), tb);
	nlmsg_free(msg);
	return ret;
}

static struct nl_msg *stats_msg(void)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 1, FAM, 0, NLM_F_MULTI, PPT_CMD_STATS_GET, PPT_GENL_VERSION);
	return m;
}

/* A series message: op, method, outcome, count, sum, nb buckets. */
static struct nl_msg *series_msg(uint32_t op, uint32_t method, bool failed,
				 uint64_t count, uint64_t sum, int nb)
{
	struct nl_msg *m = stats_msg();
	int i;

	nla_put_u32(m, PPT_A_STATS_OP, op);
	nla_put_u32(m, PPT_A_RESET_METHOD, method);
	if (failed)
		nla_put_flag(m, PPT_A_STATS_FAILED);
	nla_put_u64(m, PPT_A_STATS_COUNT, count);
	nla_put_u64(m, PPT_A_STATS_USEC_SUM, sum);
	for (i = 0; i < nb; i++)
		nla_put_u64(m, PPT_A_STATS_BUCKET, i == 1 ? count : 0);
	return m;
}

/* The statistics dump: a totals message, then one per series. */
static void test_stats(void)
{
	struct ppt__request req = { .h = &h };
	const struct ppt_series *sr;
	struct ppt_stats *st = NULL;
	struct nl_msg *m = stats_msg();
	struct fake_module module_old;

	nla_put_u64(m, PPT_A_STATS_QUARANTINES, 3);
	nla_put_u64(m, PPT_A_STATS_LEASE_EXPIRIES, 2);
	nla_put_u64(m, PPT_A_STATS_BOUND, 100000);
	nla_put_u64(m, PPT_A_STATS_BOUND, 1000000);
	ok(feed_stats(&req, m) == 0, "stats: the totals parse");
	ok(feed_stats(&req, series_msg(PPT_STATS_OP_RESET, PPT_RESET_FLR, false, 4, 420000, 3)) == 0 &&
	   feed_stats(&req, series_msg(PPT_STATS_OP_CLEAN, PPT_RESET_SBR, true, 1, 1200000, 3)) == 0,
	   "... and two series");
	ok(ppt__stats_build(&req, &st) == 0 && st, "... they make one reading");
	ok(st && ppt_stats_quarantines(st) == 3 && ppt_stats_lease_expiries(st) == 2,
	   "... quarantines and lease expiries");
	ok(st && ppt_stats_nbounds(st) == 2 && ppt_stats_bound_usec(st, 0) == 100000 &&
	   ppt_stats_bound_usec(st, 1) == 1000000 && ppt_stats_bound_usec(st, 2) == UINT64_MAX,
	   "... the bounds in order, infinity past them");
	sr = st ? ppt_stats_series(st, 0) : NULL;
	ok(st && ppt_stats_nseries(st) == 2 && sr && ppt_series_op(sr) == PPT_STATS_OP_RESET &&
	   ppt_series_method(sr) == PPT_RESET_FLR && !ppt_series_failed(sr) &&
	   ppt_series_count(sr) == 4 && ppt_series_usec_sum(sr) == 420000 &&
	   ppt_series_bucket(sr, 0) == 0 && ppt_series_bucket(sr, 1) == 4 &&
	   ppt_series_bucket(sr, 2) == 0 && ppt_series_bucket(sr, 3) == 0,
	   "... a reset series with its buckets");
	sr = st ? ppt_stats_series(st, 1) : NULL;
	ok(sr && ppt_series_op(sr) == PPT_STATS_OP_CLEAN && ppt_series_failed(sr) &&
	   ppt_series_method(sr) == PPT_RESET_SBR && st && !ppt_stats_series(st, 2),
	   "... a failed clean, and nothing past the last");
	is_str(ppt_stats_op_name(PPT_STATS_OP_CLEAN), "clean", "... the operations' names");
	ppt_stats_free(st);
	ppt_stats_free(NULL);

	/* a series with a bucket too few is refused */
	ok(feed_stats(&req, series_msg(PPT_STATS_OP_RESET, PPT_RESET_PM, false, 1, 5, 2)) == 0 &&
	   ppt__stats_build(&req, &st) == -EPROTO && !st, "a series short of a bucket is refused");
	is_str(ppt_errmsg(&h), "the module's statistics are malformed", "... saying so");
	ppt__request_free(&req);
	req = (struct ppt__request){ .h = &h };
	ok(feed_stats(&req, series_msg(PPT_STATS_OP_RESET, PPT_RESET_PM, false, 1, 5, 3)) == 0 &&
	   ppt__stats_build(&req, &st) == -EPROTO, "... so are series without the totals");
	ppt__request_free(&req);

	/* a module before the statistics: refused before sending, naming it */
	module_old = module_v2;
	load_module(&module_old, true);
	ok(ppt_stats_get(&h, &st) == -EOPNOTSUPP && !st, "an older module: no statistics");
	is_str(ppt_errmsg(&h),
	       "the loaded ppt module does not support the command stats-get (protocol version 2; libppt speaks 2): load the matching module",
	       "... naming the command");
	ppt__family_reset(&h.fam);
}

/* The last sanitise of a device, and a device without one. */
static void test_sanitise_attrs(void)
{
	struct nl_msg *m = dev_ntf("0000:04:00.0", PPT_STATE_SANITISING, 20);
	struct ppt_event *e = NULL;
	const struct ppt_dev *d;

	nla_put_flag(m, PPT_A_DEV_SANITISED);
	nla_put_string(m, PPT_A_DEV_LAST_SANITISER, "nvme:auto");
	nla_put_u64(m, PPT_A_DEV_LAST_SANITISE_TIME, 1767225600ull);
	nla_put_u64(m, PPT_A_DEV_LAST_SANITISE_USEC, 93000000123ull);
	nla_put_u32(m, PPT_A_DEV_LAST_SANITISE_ERRNO, EIO);
	nla_put_string(m, PPT_A_DEV_LAST_SANITISE_METHOD, "format-crypto");
	nla_put_string(m, PPT_A_DEV_LAST_SANITISE_VERIFIED, "64 blocks read back as zero");
	nla_put_string(m, PPT_A_DEV_LAST_SANITISE_MSG, "namespace 2 kept data");
	reset_events();
	ok(feed(m) == 0 && pop(&e), "a device event with its last sanitise parses");
	d = e ? ppt_event_dev(e) : NULL;
	ok(d && ppt_dev_state(d) == PPT_STATE_SANITISING, "... state sanitising");
	is_str(ppt_state_name(PPT_STATE_SANITISING), "sanitising", "... named sanitising");
	ok(d && ppt_dev_sanitised(d), "... sanitised");
	is_str(d ? ppt_dev_last_sanitiser(d) : NULL, "nvme:auto", "... the sanitiser");
	ok(d && ppt_dev_last_sanitise_time(d) == 1767225600ull &&
	   ppt_dev_last_sanitise_usec(d) == 93000000123ull, "... when it ended and how long it took");
	ok(d && ppt_dev_last_sanitise_error(d) == -EIO, "... its outcome, a negative errno");
	is_str(d ? ppt_dev_last_sanitise_method(d) : NULL, "format-crypto", "... the method");
	is_str(d ? ppt_dev_last_sanitise_verified(d) : NULL, "64 blocks read back as zero",
	       "... what was verified");
	is_str(d ? ppt_dev_last_sanitise_msg(d) : NULL, "namespace 2 kept data", "... why it failed");
	pop(&e);

	/* before the first sanitise, or from an older module: nothing */
	m = dev_ntf("0000:04:00.0", PPT_STATE_DIRTY, 21);
	nla_put_u64(m, PPT_A_DEV_LAST_SANITISE_USEC, 5);	/* stray, without a sanitiser */
	ok(feed(m) == 0 && pop(&e), "a device without a last sanitise parses");
	d = e ? ppt_event_dev(e) : NULL;
	ok(d && !ppt_dev_sanitised(d) && !ppt_dev_last_sanitiser(d) &&
	   !ppt_dev_last_sanitise_time(d) && !ppt_dev_last_sanitise_usec(d) &&
	   !ppt_dev_last_sanitise_error(d) && !ppt_dev_last_sanitise_method(d) &&
	   !ppt_dev_last_sanitise_verified(d) && !ppt_dev_last_sanitise_msg(d),
	   "... reads as none (a stray number without the sanitiser too)");
	pop(&e);

	/* a success says what ran and what was read back, and no message */
	m = dev_ntf("0000:05:00.0", PPT_STATE_CLEANING, 22);
	nla_put_string(m, PPT_A_DEV_LAST_SANITISER, "bar");
	nla_put_u32(m, PPT_A_DEV_LAST_SANITISE_ERRNO, 0);
	nla_put_string(m, PPT_A_DEV_LAST_SANITISE_METHOD, "zero");
	ok(feed(m) == 0 && pop(&e), "a successful sanitise parses");
	d = e ? ppt_event_dev(e) : NULL;
	ok(d && !ppt_dev_last_sanitise_error(d) && !ppt_dev_last_sanitise_msg(d) &&
	   !ppt_dev_last_sanitise_verified(d) && !ppt_dev_sanitised(d),
	   "... outcome 0, no message, nothing verified said, not (yet) flagged");
	pop(&e);
}

static struct nl_msg *req_ntf(uint64_t id, const char *addr, const char *spec, uint32_t timeout)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, FAM, 0, 0, PPT_CMD_SANITISE_REQ_NTF, PPT_GENL_VERSION);
	if (addr)
		nla_put_string(m, PPT_A_DEV_ADDR, addr);
	if (id)
		nla_put_u64(m, PPT_A_SANITISE_ID, id);
	if (spec)
		nla_put_string(m, PPT_A_SANITISER, spec);
	if (timeout)
		nla_put_u32(m, PPT_A_SANITISE_TIMEOUT, timeout);
	return m;
}

/* Feed a message read on the request socket (consumed); ppt__agent_take()'s answer. */
static bool take(struct nl_msg *m)
{
	bool ret = ppt__agent_take(&h, m);

	nlmsg_free(m);
	return ret;
}

/* Sanitise requests arriving on the request socket, and the agent calls' checks. */
static void test_agent(void)
{
	struct ppt_sanitise_req *r, *r2;
	struct ppt_agent *a = (struct ppt_agent *)1;
	struct nl_msg *m;

	ok(take(req_ntf(7, "0000:04:00.0", "nvme", 600)), "a sanitise request is the agent's");
	ok(take(req_ntf(8, "0000:05:00.0", "exec:/usr/libexec/scrub", 0)), "... a second one");
	r = ppt__agent_pop(&h.agent);
	ok(r && ppt_sanitise_req_id(r) == 7, "queued in order: the first");
	is_str(r ? ppt_sanitise_req_addr(r) : NULL, "0000:04:00.0", "... its device");
	is_str(r ? ppt_sanitise_req_sanitiser(r) : NULL, "nvme", "... its sanitiser");
	ok(r && ppt_sanitise_req_timeout(r) == 600, "... its timeout");
	r2 = ppt__agent_pop(&h.agent);
	ok(r2 && ppt_sanitise_req_id(r2) == 8 && ppt_sanitise_req_timeout(r2) == 0 &&
	   !strcmp(ppt_sanitise_req_sanitiser(r2), "exec:/usr/libexec/scrub"),
	   "... the second, without a timeout");
	ok(!ppt__agent_pop(&h.agent), "... and nothing more");
	ok(!ppt_sanitise_req_inspect(r) && !ppt_sanitise_req_inspect(r2),
	   "... neither an inspection: erase them");
	ppt_sanitise_req_free(r);
	ppt_sanitise_req_free(r2);
	ppt_sanitise_req_free(NULL);
	m = req_ntf(11, "0000:04:00.0", "nvme", 600);
	nla_put_flag(m, PPT_A_INSPECT);
	ok(take(m), "an inspection request");
	r = ppt__agent_pop(&h.agent);
	ok(r && ppt_sanitise_req_inspect(r) && ppt_sanitise_req_id(r) == 11,
	   "... is one: read the device, erase nothing");
	ppt_sanitise_req_free(r);

	/* what answers a request is not the agent's */
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 5, FAM, 0, 0, PPT_CMD_AGENT_GET, PPT_GENL_VERSION);
	nla_put_u32(m, PPT_A_AGENT_PID, 1);
	ok(!take(m), "a reply is left to the request it answers");
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 5, FAM + 1, 0, 0, PPT_CMD_SANITISE_REQ_NTF, PPT_GENL_VERSION);
	ok(!take(m), "... so is another family's message");
	ok(!take(ntf(PPT_CMD_DEVICE_NTF, 3)), "... and a device notification");

	/* a malformed request is the agent's too, and said once */
	ok(take(req_ntf(9, "0000:04:00.0", NULL, 10)), "a request without a sanitiser is taken");
	ok(!ppt__agent_pop(&h.agent) && h.agent.error == -EPROTO, "... not queued: an error to say");
	h.agent.error = 0;
	ok(take(req_ntf(0, "0000:04:00.0", "bar", 10)) && h.agent.error == -EPROTO,
	   "... as one without an id");
	h.agent.error = 0;

	/* left queued when the handle closes: freed */
	ok(take(req_ntf(10, "0000:04:00.0", "bar", 10)), "a request left unread");
	ppt__agent_flush(&h.agent);
	ok(!ppt__agent_pop(&h.agent), "... is dropped with the queue");

	/* the calls' own checks, before any socket is touched */
	ok(ppt_agent_fd(&h) == -EINVAL, "no descriptor before registering");
	ok(ppt_agent_next(&h, &r, 0) == -EINVAL && !r, "... nor requests");
	ok(ppt_agent_register(&h, PPT_AGENT_INSPECTS << 1) == -EINVAL,
	   "register: unknown flags refused");
	ok(ppt_sanitise_done(&h, 7, "04:00", 0, NULL, NULL, NULL, 0) == -EINVAL,
	   "done: a malformed address refused");
	ok(ppt_sanitise_done(&h, 7, "04:00.0", EIO, NULL, NULL, NULL, 0) == -EINVAL,
	   "done: a positive errno refused");
	is_str(ppt_errmsg(&h), "the outcome must be 0 or a negative errno, not 5", "... saying so");
	ok(ppt_sanitise_done(&h, 7, "04:00.0", 0, NULL, NULL, NULL, 2) == -EINVAL,
	   "done: unknown flags refused");

	/* a module without agents: refused before sending, naming the command */
	load_module(&module_v2, true);
	ok(ppt_agent_register(&h, 0) == -EOPNOTSUPP, "an older module: no agent to register");
	is_str(ppt_errmsg(&h),
	       "the loaded ppt module does not support the command agent-register (protocol version 2; libppt speaks 2): load the matching module",
	       "... naming the command");
	ok(ppt_agent_get(&h, &a) == -EOPNOTSUPP && !a, "... nor one to ask about");
	ok(ppt_sanitise_done(&h, 7, "04:00.0", -EIO, "why", "zero", NULL, 0) == -EOPNOTSUPP,
	   "... nor requests to answer");
	is_str(ppt_errmsg(&h),
	       "the loaded ppt module does not support the command sanitise-done (protocol version 2; libppt speaks 2): load the matching module",
	       "... naming that command");
	ppt_agent_free(NULL);
	ppt__family_reset(&h.fam);
}

int main(void)
{
	h.err_attr = -1;
	h.family = FAM;
	h.ev = &evs;
	ppt__family_reset(&h.fam);
	test_device_event();
	test_request_event();
	test_sequence();
	test_family_notices();
	test_extack();
	test_local_checks();
	test_discovery();
	test_match_vfs();
	test_stats();
	test_sanitise_attrs();
	test_agent();
	reset_events();
	free(evs.q);
	return tap_done();
}
