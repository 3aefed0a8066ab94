// SPDX-License-Identifier: GPL-2.0-only
/*
 * libppt without a kernel: notifications built with libnl are fed to the
 * event parser (device and request events, sequence gaps and restarts, the
 * controller's family notices), error messages to the extended-ack reader,
 * and the calls' own argument checks run before any socket is touched.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/genetlink.h>
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

static int pop(struct ppt_event *e)
{
	return ppt__events_pop(&evs, e) ? 1 : 0;
}

static void reset_events(void)
{
	free(evs.q);
	memset(&evs, 0, sizeof(evs));
	h.ev = &evs;
}

static void test_device_event(void)
{
	struct nl_msg *m = dev_ntf("0000:01:00.0", PPT_STATE_ASSIGNED, 7);
	struct ppt_event e;

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
		    1u << PPT_RESET_FLR | 1u << PPT_RESET_SBR);
	nla_put_u32(m, PPT_A_DEV_LAST_RESET, PPT_RESET_SBR);
	nla_put_u64(m, PPT_A_DEV_LAST_RESET_USEC, 123456789012ull);
	nla_put_string(m, PPT_A_DEV_SLOT, "SLOT 3");
	nla_put_u32(m, PPT_A_DEV_RESET_PREF, PPT_RESET_PM);
	/* an attribute from a newer kernel is ignored */
	nla_put_u32(m, PPT_A_MAX + 5, 1);

	reset_events();
	ok(feed(m) == 0, "device event parses");
	ok(pop(&e) && e.type == PPT_EVENT_DEVICE, "one device event queued");
	ok(e.seq == 7 && !e.removed, "its sequence number, not removed");
	is_str(e.device.addr, "0000:01:00.0", "address");
	ok(e.device.vendor == 0x10de && e.device.device == 0x1db4 &&
	   e.device.subvendor == 0x10de && e.device.subdevice == 0x1212,
	   "ids");
	ok(e.device.pci_class == 0x030200 && e.device.revision == 0xa1,
	   "class and revision");
	ok(e.device.state == PPT_STATE_ASSIGNED, "state");
	is_str(e.device.driver, "vfio-pci", "driver");
	is_str(e.device.owner, "vm \"one\"", "owner");
	ok(e.device.iommu_group == 12, "IOMMU group");
	is_str(e.device.path, "0000:00/03.0/00.0", "path");
	ok(e.device.boot_listed && e.device.adopted, "flags");
	ok(e.device.reset_methods == (1u << PPT_RESET_FLR | 1u << PPT_RESET_SBR),
	   "reset methods");
	ok(e.device.last_reset == PPT_RESET_SBR &&
	   e.device.last_reset_usec == 123456789012ull, "last reset and its time");
	is_str(e.device.slot, "SLOT 3", "slot label");
	ok(e.device.reset_pref == PPT_RESET_PM, "reset preference");
	ok(!pop(&e), "nothing more queued");

	m = dev_ntf("0000:02:00.0", PPT_STATE_RELEASING, 8);
	nla_put_flag(m, PPT_A_DEV_REMOVED);
	ok(feed(m) == 0 && pop(&e) && e.removed, "removed flag");
	ok(e.device.iommu_group == -1 && e.device.last_reset == -1 &&
	   e.device.last_reset_usec == 0 && !e.device.slot[0] &&
	   !e.device.owner[0] && !e.device.driver[0] && !e.device.reset_methods &&
	   e.device.reset_pref == -1,
	   "absent attributes: -1 group, last reset and preference; empty strings");
}

static void test_request_event(void)
{
	struct nl_msg *m = ntf(PPT_CMD_REQUEST_NTF, 3);
	struct ppt_event e;

	nla_put_u64(m, PPT_A_REQ_ID, 42);
	nla_put_u8(m, PPT_A_REQ_CMD, PPT_CMD_DEVICE_ASSIGN);
	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_u32(m, PPT_A_REQ_ERRNO, EBUSY);
	nla_put_string(m, PPT_A_REQ_MSG, "another device of the IOMMU group is not held by ppt");
	nla_put_string(m, PPT_A_BLOCKER_ADDR, "0000:01:00.1");
	nla_put_string(m, PPT_A_BLOCKER_DRIVER, "snd_hda_intel");
	reset_events();
	ok(feed(m) == 0 && pop(&e) && e.type == PPT_EVENT_REQUEST,
	   "request event parses");
	ok(e.request.id == 42 && e.request.cmd == PPT_CMD_DEVICE_ASSIGN &&
	   e.seq == 3, "id, command, sequence");
	ok(e.request.error == -EBUSY, "errno, negative");
	is_str(e.request.msg, "another device of the IOMMU group is not held by ppt",
	       "message");
	is_str(e.request.blocker, "0000:01:00.1", "blocker");
	is_str(e.request.blocker_driver, "snd_hda_intel", "blocker's driver");

	m = ntf(PPT_CMD_REQUEST_NTF, 4);
	nla_put_u64(m, PPT_A_REQ_ID, 43);
	nla_put_u8(m, PPT_A_REQ_CMD, PPT_CMD_DEVICE_CLEAN);
	nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");
	nla_put_u32(m, PPT_A_REQ_ERRNO, 0);
	ok(feed(m) == 0 && pop(&e) && e.request.error == 0 && !e.request.msg[0] &&
	   !e.request.blocker[0], "a success: errno 0, no message, no blocker");
}

static void test_sequence(void)
{
	struct ppt_event e;

	reset_events();
	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 1));
	feed(dev_ntf("0000:01:00.0", PPT_STATE_CLAIMED, 2));
	ok(pop(&e) && e.seq == 1 && pop(&e) && e.seq == 2 && !pop(&e),
	   "consecutive sequence numbers: no loss");

	feed(dev_ntf("0000:01:00.0", PPT_STATE_ASSIGNED, 6));
	ok(pop(&e) && e.type == PPT_EVENT_LOST && e.lost_reason == PPT_LOST_GAP,
	   "a jump from 2 to 6 is reported first, as a gap");
	ok(e.lost == 3 && e.lost_after == 2, "... of 3 events, after seq 2");
	ok(pop(&e) && e.type == PPT_EVENT_DEVICE && e.seq == 6,
	   "... then the event that showed it");

	/* a notification this libppt does not know still counts */
	feed(ntf(PPT_CMD_MAX + 7, 7));
	feed(dev_ntf("0000:01:00.0", PPT_STATE_DIRTY, 8));
	ok(pop(&e) && e.type == PPT_EVENT_DEVICE && e.seq == 8 && !pop(&e),
	   "an unknown notification is skipped but its number counted");

	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 1));
	ok(pop(&e) && e.type == PPT_EVENT_LOST &&
	   e.lost_reason == PPT_LOST_RESTART && e.lost == 0,
	   "the sequence starting over is a restart");
	ok(pop(&e) && e.seq == 1, "... then the event");

	ok(ppt__events_lost(&evs, PPT_LOST_OVERRUN, 0) == 0 && pop(&e) &&
	   e.type == PPT_EVENT_LOST && e.lost_reason == PPT_LOST_OVERRUN &&
	   e.lost_after == 1, "an overrun, after seq 1");
	feed(dev_ntf("0000:01:00.0", PPT_STATE_CLAIMED, 9));
	ok(pop(&e) && e.type == PPT_EVENT_DEVICE && e.seq == 9 && !pop(&e),
	   "after an overrun the next number is not compared (no second notice)");

	/* an unusable notification is one lost event, not a silent drop */
	{
		struct nl_msg *m = ntf(PPT_CMD_DEVICE_NTF, 10);

		nla_put_string(m, PPT_A_DEV_ADDR, "0000:01:00.0");	/* no state */
		feed(m);
	}
	ok(pop(&e) && e.type == PPT_EVENT_LOST && e.lost == 1 && !pop(&e),
	   "a device event without its state counts as one lost");

	/* the queue grows past its first allocation and keeps order */
	reset_events();
	{
		uint64_t s;
		bool inorder = true;

		for (s = 1; s <= 40; s++)
			feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, s));
		for (s = 1; s <= 40; s++)
			inorder &= pop(&e) && e.seq == s;
		ok(inorder && !pop(&e), "40 queued events come out in order");
	}
	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 41));
	ok(pop(&e) && e.seq == 41, "the drained queue is reused");

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
	struct ppt_event e;

	reset_events();
	h.family = FAM;
	h.events_group = 5;
	feed(dev_ntf("0000:01:00.0", PPT_STATE_RESERVED, 4));
	pop(&e);
	feed(ctrl(CTRL_CMD_DELFAMILY, "nl80211", 0x30, -1));
	ok(!pop(&e), "another family going away is nothing to ppt");
	feed(ctrl(CTRL_CMD_DELFAMILY, PPT_GENL_NAME, FAM, -1));
	ok(pop(&e) && e.type == PPT_EVENT_LOST &&
	   e.lost_reason == PPT_LOST_UNLOADED && e.lost_after == 4,
	   "ppt's family going away: unloaded, after seq 4");
	feed(ctrl(CTRL_CMD_DELFAMILY, PPT_GENL_NAME, FAM, -1));
	ok(!pop(&e), "... said once");
	feed(ctrl(CTRL_CMD_NEWFAMILY, PPT_GENL_NAME, FAM + 2, 9));
	ok(pop(&e) && e.type == PPT_EVENT_LOST &&
	   e.lost_reason == PPT_LOST_RESTART, "its return: restart");
	ok(h.family == FAM + 2 && h.events_group == 9,
	   "... with the new family id and events group");
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
	ok(pop(&e) && e.type == PPT_EVENT_DEVICE && e.seq == 1 && !pop(&e),
	   "events of the new family arrive, seq 1 without another notice");
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
	struct ppt_request_event out[2];

	ok(ppt_devices_clean(&h, one, 1, PPT_RESET_MAX + 1, 0, out) == -EINVAL,
	   "clean several: a method outside the enum");
	is_str(ppt_errmsg(&h), "unknown reset method 4", "... named");
	ok(ppt_devices_clean(&h, one, 0, PPT_RESET_FLR, 0, out) == -EINVAL,
	   "clean several: no device");
	is_str(ppt_errmsg(&h), "no device given", "... said");
	/* malformed addresses are refused before a socket would be used */
	ok(ppt_devices_clean(&h, bad, 2, PPT_RESET_AUTO, 0, out) == -EINVAL,
	   "clean several: every device refused: the first one's error");
	ok(out[0].error == -EINVAL && out[1].error == -EINVAL,
	   "... each device has its own outcome");
	is_str(out[1].addr, "zz:00.0", "... under the name it was given");
	is_str(out[1].msg, "malformed PCI address \"zz:00.0\" (want [domain:]bus:dev.fn)",
	       "... with its own reason");
	is_str(ppt_errmsg(&h),
	       "2 of 2 devices failed, the first 01:00: malformed PCI address \"01:00\" (want [domain:]bus:dev.fn)",
	       "... and the call's message counts them");
}

static void test_local_checks(void)
{
	struct ppt_device_info d;
	struct ppt_event e;

	/* these fail before a socket would be used: h has none */
	ok(ppt_device_get(&h, "01:00", &d) == -EINVAL, "get: malformed address");
	is_str(ppt_errmsg(&h), "malformed PCI address \"01:00\" (want [domain:]bus:dev.fn)",
	       "... named in the message");
	ok(ppt_device_reserve(&h, NULL, false, 0) == -EINVAL, "reserve: no address");
	ok(ppt_device_reset(&h, "01:00.0", PPT_RESET_MAX + 1, 0) == -EINVAL,
	   "reset: a method outside the enum");
	is_str(ppt_errmsg(&h), "unknown reset method 4", "... named");
	ok(ppt_device_clean(&h, "01:00.0", 99, 0) == -EINVAL, "clean: likewise");
	test_batch_checks();
	ok(ppt_match_add(&h, (enum ppt_match_kind)7, "x") == -EINVAL,
	   "match add: unknown kind");
	ok(ppt_match_del(&h, PPT_MATCH_IDS, NULL) == -EINVAL, "match del: no text");
	ok(ppt_match_add_reset_pref(&h, PPT_MATCH_IDS, "10de:1db4", 9) == -EINVAL,
	   "match add: a preference outside the enum");
	is_str(ppt_errmsg(&h), "unknown reset method 9", "... named");
	ok(ppt_device_set_reset_pref(&h, "01:00.0", PPT_RESET_MAX + 1) == -EINVAL,
	   "set: a preference outside the enum");
	ok(ppt_device_set_reset_pref(&h, "1:2", PPT_RESET_FLR) == -EINVAL,
	   "set: a malformed address");
	ok(ppt_blocker(&h, NULL) == NULL, "no blocker after a local refusal");
	ok(ppt_err_attr(&h, NULL) == -1 && ppt_err_attr(NULL, NULL) == -1,
	   "no attribute named either");
	ok(ppt_errmsg(NULL) == NULL && ppt_blocker(NULL, NULL) == NULL,
	   "NULL handle: no message, no blocker");

	h.ev = NULL;
	ok(ppt_events_fd(&h) == -EINVAL, "events_fd without a subscription");
	ok(ppt_events_next(&h, &e, 0) == -EINVAL, "events_next without one");
	ppt_events_unsubscribe(&h);
	ppt_close(NULL);
	ok(1, "unsubscribe and close take a handle without subscription, and NULL");
}

int main(void)
{
	h.err_attr = -1;
	h.family = FAM;
	h.ev = &evs;
	test_device_event();
	test_request_event();
	test_sequence();
	test_family_notices();
	test_extack();
	test_local_checks();
	free(evs.q);
	return tap_done();
}
