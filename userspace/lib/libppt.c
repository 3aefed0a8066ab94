// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: requests.  Speaks the "ppt" generic netlink family with
 * libnl-genl-3: one call per command, dumps with retry, and the wait for an
 * asynchronous request's outcome.  Event subscriptions are in ppt_events.c.
 *
 * libnl 3.7 has no extended-ack API, so the error callback reads the
 * NLMSGERR_ATTR_* attributes from the error message itself.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "ppt_internal.h"

/* How often a dump interrupted by concurrent changes is tried again. */
#define DUMP_RETRIES	8

struct nla_policy ppt__policy[PPT_A_MAX + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_STRING },
	[PPT_A_DEV_VENDOR] = { .type = NLA_U16 },
	[PPT_A_DEV_DEVICE] = { .type = NLA_U16 },
	[PPT_A_DEV_SUBVENDOR] = { .type = NLA_U16 },
	[PPT_A_DEV_SUBDEVICE] = { .type = NLA_U16 },
	[PPT_A_DEV_CLASS] = { .type = NLA_U32 },
	[PPT_A_DEV_REVISION] = { .type = NLA_U8 },
	[PPT_A_DEV_STATE] = { .type = NLA_U32 },
	[PPT_A_DEV_DRIVER] = { .type = NLA_STRING },
	[PPT_A_DEV_OWNER] = { .type = NLA_STRING },
	[PPT_A_DEV_IOMMU_GROUP] = { .type = NLA_U32 },
	[PPT_A_DEV_PATH] = { .type = NLA_STRING },
	[PPT_A_DEV_BOOT_LISTED] = { .type = NLA_FLAG },
	[PPT_A_FORCE] = { .type = NLA_FLAG },
	[PPT_A_REQ_ID] = { .type = NLA_U64 },
	[PPT_A_REQ_CMD] = { .type = NLA_U8 },
	[PPT_A_REQ_ERRNO] = { .type = NLA_U32 },
	[PPT_A_REQ_MSG] = { .type = NLA_STRING },
	[PPT_A_BLOCKER_ADDR] = { .type = NLA_STRING },
	[PPT_A_BLOCKER_DRIVER] = { .type = NLA_STRING },
	[PPT_A_EVENT_SEQ] = { .type = NLA_U64 },
	[PPT_A_DEV_ADOPTED] = { .type = NLA_FLAG },
	[PPT_A_DEV_REMOVED] = { .type = NLA_FLAG },
	[PPT_A_RESET_METHOD] = { .type = NLA_U32 },
	[PPT_A_DEV_RESET_METHODS] = { .type = NLA_U32 },
	[PPT_A_DEV_LAST_RESET] = { .type = NLA_U32 },
	[PPT_A_DEV_LAST_RESET_USEC] = { .type = NLA_U64 },
	[PPT_A_DEV_SLOT] = { .type = NLA_STRING },
	[PPT_A_MATCH_IDS] = { .type = NLA_STRING },
	[PPT_A_MATCH_DEVICE] = { .type = NLA_STRING },
	[PPT_A_MATCH_PATH] = { .type = NLA_STRING },
	[PPT_A_MATCH_BOOT] = { .type = NLA_FLAG },
	[PPT_A_DEV_RESET_PREF] = { .type = NLA_U32 },
	[PPT_A_CLAIM_ADDR] = { .type = NLA_STRING },
	[PPT_A_CLAIM_COUNT] = { .type = NLA_U32 },
	[PPT_A_LEASE] = { .type = NLA_FLAG },
	[PPT_A_DEV_LEASE] = { .type = NLA_U32 },
	[PPT_A_DEV_LEASE_ENDED] = { .type = NLA_FLAG },
};

/* The attribute that carries each kind of match entry. */
static const int match_attr[] = {
	[PPT_MATCH_IDS] = PPT_A_MATCH_IDS,
	[PPT_MATCH_DEVICE] = PPT_A_MATCH_DEVICE,
	[PPT_MATCH_PATH] = PPT_A_MATCH_PATH,
};

#define NMATCH_KINDS (sizeof(match_attr) / sizeof(match_attr[0]))

/* Map libnl's error codes to errno for callers. */
int ppt__nl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM: return -ENOMEM;
	case NLE_PERM: return -EPERM;
	case NLE_OBJ_NOTFOUND: return -ENOENT;
	case NLE_NODEV: return -ENODEV;
	case NLE_INVAL: return -EINVAL;
	case NLE_DUMP_INTR: return -EAGAIN;
	case NLE_BUSY: return -EBUSY;
	case NLE_AGAIN: return -EAGAIN;
	default: return -EIO;
	}
}

void ppt__set_errmsg(struct ppt_handle *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->errmsg, sizeof(h->errmsg), fmt, ap);
	va_end(ap);
	h->has_errmsg = true;
}

void ppt__copy_str(char *dst, size_t len, struct nlattr *a)
{
	if (a)
		snprintf(dst, len, "%s", nla_get_string(a));
	else
		dst[0] = '\0';
}

/* PPT_A_DEV_RESET_PREF, or -1 when absent (the default order). */
static int32_t reset_pref_of(struct nlattr **tb)
{
	uint32_t m;

	if (!tb[PPT_A_DEV_RESET_PREF])
		return -1;
	m = nla_get_u32(tb[PPT_A_DEV_RESET_PREF]);
	return m <= INT32_MAX ? (int32_t)m : -1;
}

int ppt__parse_device(struct nlattr **tb, struct ppt_device_info *d)
{
	if (!tb[PPT_A_DEV_ADDR] || !tb[PPT_A_DEV_STATE])
		return -EPROTO;
	memset(d, 0, sizeof(*d));
	ppt__copy_str(d->addr, sizeof(d->addr), tb[PPT_A_DEV_ADDR]);
	if (tb[PPT_A_DEV_VENDOR])
		d->vendor = nla_get_u16(tb[PPT_A_DEV_VENDOR]);
	if (tb[PPT_A_DEV_DEVICE])
		d->device = nla_get_u16(tb[PPT_A_DEV_DEVICE]);
	if (tb[PPT_A_DEV_SUBVENDOR])
		d->subvendor = nla_get_u16(tb[PPT_A_DEV_SUBVENDOR]);
	if (tb[PPT_A_DEV_SUBDEVICE])
		d->subdevice = nla_get_u16(tb[PPT_A_DEV_SUBDEVICE]);
	if (tb[PPT_A_DEV_CLASS])
		d->pci_class = nla_get_u32(tb[PPT_A_DEV_CLASS]);
	if (tb[PPT_A_DEV_REVISION])
		d->revision = nla_get_u8(tb[PPT_A_DEV_REVISION]);
	d->state = nla_get_u32(tb[PPT_A_DEV_STATE]);
	ppt__copy_str(d->driver, sizeof(d->driver), tb[PPT_A_DEV_DRIVER]);
	ppt__copy_str(d->owner, sizeof(d->owner), tb[PPT_A_DEV_OWNER]);
	d->iommu_group = tb[PPT_A_DEV_IOMMU_GROUP] ?
		(int64_t)nla_get_u32(tb[PPT_A_DEV_IOMMU_GROUP]) : -1;
	ppt__copy_str(d->path, sizeof(d->path), tb[PPT_A_DEV_PATH]);
	d->boot_listed = tb[PPT_A_DEV_BOOT_LISTED] != NULL;
	d->adopted = tb[PPT_A_DEV_ADOPTED] != NULL;
	if (tb[PPT_A_DEV_RESET_METHODS])
		d->reset_methods = nla_get_u32(tb[PPT_A_DEV_RESET_METHODS]);
	d->last_reset = -1;
	if (tb[PPT_A_DEV_LAST_RESET] &&
	    nla_get_u32(tb[PPT_A_DEV_LAST_RESET]) <= INT32_MAX) {
		d->last_reset = (int32_t)nla_get_u32(tb[PPT_A_DEV_LAST_RESET]);
		if (tb[PPT_A_DEV_LAST_RESET_USEC])
			d->last_reset_usec =
				nla_get_u64(tb[PPT_A_DEV_LAST_RESET_USEC]);
	}
	ppt__copy_str(d->slot, sizeof(d->slot), tb[PPT_A_DEV_SLOT]);
	d->reset_pref = reset_pref_of(tb);
	if (tb[PPT_A_DEV_LEASE])
		d->lease = nla_get_u32(tb[PPT_A_DEV_LEASE]);
	d->lease_ended = tb[PPT_A_DEV_LEASE_ENDED] != NULL;
	return 0;
}

int ppt__parse_request(struct nlattr **tb, struct ppt_request_event *r)
{
	if (!tb[PPT_A_REQ_ID] || !tb[PPT_A_REQ_ERRNO])
		return -EPROTO;
	memset(r, 0, sizeof(*r));
	r->id = nla_get_u64(tb[PPT_A_REQ_ID]);
	if (tb[PPT_A_REQ_CMD])
		r->cmd = nla_get_u8(tb[PPT_A_REQ_CMD]);
	ppt__copy_str(r->addr, sizeof(r->addr), tb[PPT_A_DEV_ADDR]);
	r->error = -(int)(nla_get_u32(tb[PPT_A_REQ_ERRNO]) & 0xffff);
	ppt__copy_str(r->msg, sizeof(r->msg), tb[PPT_A_REQ_MSG]);
	ppt__copy_str(r->blocker, sizeof(r->blocker), tb[PPT_A_BLOCKER_ADDR]);
	ppt__copy_str(r->blocker_driver, sizeof(r->blocker_driver),
		      tb[PPT_A_BLOCKER_DRIVER]);
	return 0;
}

/* Per-request state shared by the callbacks. */
struct request {
	struct ppt_handle *h;
	struct nl_msg *sent;		/* the request, to name a rejected attribute */
	int error;			/* negative errno; 0 if none */
	/* parses one reply that is not an asynchronous request's receipt */
	int (*parse)(struct request *req, struct nlattr **tb);
	struct ppt_device_info *devs;	/* device replies */
	size_t ndevs, devcap;
	struct ppt_match *matches;	/* match replies */
	size_t nmatches, matchcap;
	bool want_addrs;		/* collect PPT_A_CLAIM_ADDR (they repeat) */
	char (*addrs)[PPT_ADDR_BUFLEN];
	size_t naddrs, addrcap;
	uint64_t req_id;		/* an asynchronous request's id */
	bool have_req_id;
	bool done;			/* its outcome arrived */
	int outcome;			/* the outcome: 0 or negative errno */
	bool complete;			/* the ACK, error or dump's end arrived */
};

/* A request's outcome attributes: its failure message and blocker. */
static void note_outcome(struct ppt_handle *h, struct nlattr **tb)
{
	if (tb[PPT_A_REQ_MSG]) {
		ppt__copy_str(h->errmsg, sizeof(h->errmsg), tb[PPT_A_REQ_MSG]);
		h->has_errmsg = true;
	}
	if (tb[PPT_A_BLOCKER_ADDR]) {
		ppt__copy_str(h->blocker, sizeof(h->blocker),
			      tb[PPT_A_BLOCKER_ADDR]);
		ppt__copy_str(h->blocker_driver, sizeof(h->blocker_driver),
			      tb[PPT_A_BLOCKER_DRIVER]);
	}
}

static int parse_device_reply(struct request *req, struct nlattr **tb)
{
	struct ppt_device_info *d;

	if (req->ndevs == req->devcap) {
		size_t cap = req->devcap ? req->devcap * 2 : 16;

		d = realloc(req->devs, cap * sizeof(*d));
		if (!d)
			return -ENOMEM;
		req->devs = d;
		req->devcap = cap;
	}
	if (ppt__parse_device(tb, &req->devs[req->ndevs]))
		return -EPROTO;
	req->ndevs++;
	return 0;
}

static int parse_match_reply(struct request *req, struct nlattr **tb)
{
	struct ppt_match *m;
	size_t k;

	if (req->nmatches == req->matchcap) {
		size_t cap = req->matchcap ? req->matchcap * 2 : 16;

		m = realloc(req->matches, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		req->matches = m;
		req->matchcap = cap;
	}
	m = &req->matches[req->nmatches];
	for (k = 0; k < NMATCH_KINDS; k++)
		if (tb[match_attr[k]])
			break;
	if (k == NMATCH_KINDS)
		return -EPROTO;
	m->kind = (enum ppt_match_kind)k;
	ppt__copy_str(m->text, sizeof(m->text), tb[match_attr[k]]);
	m->boot = tb[PPT_A_MATCH_BOOT] != NULL;
	m->reset_pref = reset_pref_of(tb);
	req->nmatches++;
	return 0;
}

/* Every PPT_A_CLAIM_ADDR of a reply, in order (genlmsg_parse keeps one). */
static int collect_addrs(struct request *req, struct nlmsghdr *nlh)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) != PPT_A_CLAIM_ADDR)
			continue;
		if (req->naddrs == req->addrcap) {
			size_t cap = req->addrcap ? req->addrcap * 2 : 16;
			char (*n)[PPT_ADDR_BUFLEN];

			n = realloc(req->addrs, cap * sizeof(*n));
			if (!n)
				return -ENOMEM;
			req->addrs = n;
			req->addrcap = cap;
		}
		ppt__copy_str(req->addrs[req->naddrs++], PPT_ADDR_BUFLEN, a);
	}
	return 0;
}

/*
 * A reply.  One that carries a request id is an asynchronous request's
 * receipt, or a refusal that names a blocker ahead of the error.  A reply
 * that cannot be used records the error and the rest is still read, so
 * nothing of this request is left in the socket for the next one.
 */
static int on_reply(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlattr *tb[PPT_A_MAX + 1];
	int ret;

	if (req->error)
		return NL_SKIP;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, ppt__policy) < 0) {
		req->error = -EPROTO;
		return NL_SKIP;
	}
	if (tb[PPT_A_REQ_ID]) {
		req->req_id = nla_get_u64(tb[PPT_A_REQ_ID]);
		req->have_req_id = true;
		note_outcome(req->h, tb);
		return NL_OK;
	}
	if (req->want_addrs) {
		ret = collect_addrs(req, nlmsg_hdr(msg));
		if (ret)
			req->error = ret;
		return NL_OK;
	}
	if (req->parse) {
		ret = req->parse(req, tb);
		if (ret)
			req->error = ret;
	}
	return NL_OK;
}

/* The type of the attribute at offset off of the request, or -1. */
static int attr_at(struct nl_msg *sent, uint32_t off)
{
	struct nlmsghdr *nlh;
	struct nlattr *a;
	int rem;

	if (!sent)
		return -1;
	nlh = nlmsg_hdr(sent);
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if ((uint32_t)((char *)a - (char *)nlh) == off)
			return nla_type(a);
	}
	return -1;
}

/* The attribute the kernel's ack named; a message when it sent none. */
static void note_attr(struct ppt_handle *h, uint32_t type, bool missing)
{
	h->err_attr = type <= INT32_MAX ? (int)type : -1;
	h->err_attr_missing = missing;
	if (!h->has_errmsg) {
		if (!strcmp(ppt_attr_name(type), "unknown"))
			ppt__set_errmsg(h, "%s attribute %u", missing ? "missing" : "invalid",
					type);
		else
			ppt__set_errmsg(h, "%s attribute %s", missing ? "missing" : "invalid",
					ppt_attr_name(type));
	}
}

void ppt__note_extack(struct ppt_handle *h, const struct nlmsghdr *nlh,
		      struct nl_msg *sent)
{
	const struct nlmsgerr *err = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;
	int type;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*err))
		return;
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off >= nlh->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off),
		      (int)(nlh->nlmsg_len - NLMSG_HDRLEN - off), NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0 &&
	    memchr(nla_data(tb[NLMSGERR_ATTR_MSG]), '\0',
		   (size_t)nla_len(tb[NLMSGERR_ATTR_MSG])))
		ppt__set_errmsg(h, "%s", nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		note_attr(h, nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]), true);
	else if (tb[NLMSGERR_ATTR_OFFS] &&
		 nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4 &&
		 (type = attr_at(sent, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]))) >= 0)
		note_attr(h, (uint32_t)type, false);
}

/* Record the kernel's errno and its extended ack. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct request *req = arg;

	(void)nla;
	if (!req->error)
		req->error = err->error;
	req->complete = true;
	ppt__note_extack(req->h, (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN),
			 req->sent);
	return NL_STOP;
}

/* The request's ACK, or the end of its dump: nothing more will come. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->complete = true;
	return NL_STOP;
}

/* Keep libnl's own words for an error that has no errno of its own. */
static int nl_error(struct ppt_handle *h, int nlerr)
{
	int err = ppt__nl_errno(nlerr);

	if (err == -EIO)
		ppt__set_errmsg(h, "netlink: %s", nl_geterror(nlerr));
	return err;
}

static void clear_error(struct ppt_handle *h)
{
	h->has_errmsg = false;
	h->err_attr = -1;
	h->errmsg[0] = '\0';
	h->blocker[0] = '\0';
	h->blocker_driver[0] = '\0';
}

/*
 * Send msg (consumed) and receive until the request completes: its ACK
 * (every request asks for one), its error, or the end of its dump.
 * Returns 0 or a negative errno.
 */
static int transact(struct ppt_handle *h, struct nl_msg *msg,
		    struct request *req)
{
	struct nl_cb *cb;
	int ret;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_finish, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, req);
	req->sent = msg;
	ret = nl_send_auto(h->sk, msg);
	if (ret < 0) {
		ret = nl_error(h, ret);
		goto out;
	}
	do {
		ret = nl_recvmsgs(h->sk, cb);
	} while (ret >= 0 && !req->complete);
	if (req->error)
		ret = req->error;
	else if (ret < 0)
		ret = nl_error(h, ret);
	else
		ret = 0;
out:
	req->sent = NULL;
	nlmsg_free(msg);
	nl_cb_put(cb);
	return ret;
}

static struct nl_msg *new_request(struct ppt_handle *h, uint8_t cmd,
				  int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
				flags | NLM_F_REQUEST | NLM_F_ACK, cmd,
				PPT_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int ppt_open(struct ppt_handle **out)
{
	struct ppt_handle *h;
	int one = 1, ret;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->err_attr = -1;
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		free(h);
		return -ENOMEM;
	}
	ret = genl_connect(h->sk);
	if (ret < 0) {
		ret = ppt__nl_errno(ret);
		goto fail;
	}
	/* extended acks carry the kernel's reason; keep the echoed request short */
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	h->family = genl_ctrl_resolve(h->sk, PPT_GENL_NAME);
	if (h->family < 0) {
		ret = -ENOENT;
		goto fail;
	}
	h->events_group = genl_ctrl_resolve_grp(h->sk, PPT_GENL_NAME,
						PPT_GENL_MCGRP_EVENTS);
	if (h->events_group < 0) {
		ret = -ENOENT;
		goto fail;
	}
	*out = h;
	return 0;
fail:
	nl_socket_free(h->sk);
	free(h);
	return ret;
}

void ppt_close(struct ppt_handle *h)
{
	if (!h)
		return;
	ppt_events_unsubscribe(h);
	nl_socket_free(h->sk);
	free(h);
}

const char *ppt_errmsg(const struct ppt_handle *h)
{
	return h && h->has_errmsg ? h->errmsg : NULL;
}

int ppt_err_attr(const struct ppt_handle *h, bool *missing)
{
	if (!h || h->err_attr < 0)
		return -1;
	if (missing)
		*missing = h->err_attr_missing;
	return h->err_attr;
}

const char *ppt_blocker(const struct ppt_handle *h, const char **driver)
{
	if (!h || !h->blocker[0])
		return NULL;
	if (driver)
		*driver = h->blocker_driver;
	return h->blocker;
}

/* Canonical address, or -EINVAL with the reason for ppt_errmsg(). */
static int check_addr(struct ppt_handle *h, const char *addr,
		      char canon[PPT_ADDR_BUFLEN])
{
	if (ppt_addr_normalize(addr, canon) == 0)
		return 0;
	ppt__set_errmsg(h, "malformed PCI address \"%s\" (want [domain:]bus:dev.fn)",
			addr ? addr : "(null)");
	return -EINVAL;
}

int ppt_device_get(struct ppt_handle *h, const char *addr,
		   struct ppt_device_info *out)
{
	char canon[PPT_ADDR_BUFLEN];
	struct request req = { .h = h, .parse = parse_device_reply };
	struct nl_msg *msg;
	int ret;

	clear_error(h);
	if (check_addr(h, addr, canon))
		return -EINVAL;
	msg = new_request(h, PPT_CMD_DEVICE_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, PPT_A_DEV_ADDR, canon) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = transact(h, msg, &req);
	if (!ret && req.ndevs != 1)
		ret = -EPROTO;
	if (!ret)
		*out = req.devs[0];
	free(req.devs);
	return ret;
}

/* A dump of cmd, retried while the kernel flags it as interrupted. */
static int dump(struct ppt_handle *h, uint8_t cmd, struct request *out)
{
	int attempt, ret = -EAGAIN;

	for (attempt = 0; attempt < DUMP_RETRIES && ret == -EAGAIN; attempt++) {
		struct nl_msg *msg = new_request(h, cmd, NLM_F_DUMP);

		clear_error(h);
		free(out->devs);
		free(out->matches);
		*out = (struct request){ .h = h, .parse = out->parse };
		if (!msg)
			return -ENOMEM;
		ret = transact(h, msg, out);
	}
	if (ret == -EAGAIN)
		ppt__set_errmsg(h, "the kernel's table kept changing during %d dumps",
				DUMP_RETRIES);
	return ret;
}

int ppt_device_list(struct ppt_handle *h, struct ppt_device_info **out,
		    size_t *n)
{
	struct request req = { .h = h, .parse = parse_device_reply };
	int ret = dump(h, PPT_CMD_DEVICE_GET, &req);

	if (ret) {
		free(req.devs);
		return ret;
	}
	*out = req.devs;
	*n = req.ndevs;
	return 0;
}

int ppt_device_foreach(struct ppt_handle *h,
		       int (*cb)(const struct ppt_device_info *dev, void *arg),
		       void *arg)
{
	struct ppt_device_info *devs = NULL;
	size_t i, n = 0;
	int ret = ppt_device_list(h, &devs, &n);

	for (i = 0; !ret && i < n; i++)
		ret = cb(&devs[i], arg);
	free(devs);
	return ret;
}

int ppt_match_list(struct ppt_handle *h, struct ppt_match **out, size_t *n)
{
	struct request req = { .h = h, .parse = parse_match_reply };
	int ret = dump(h, PPT_CMD_MATCH_GET, &req);

	if (ret) {
		free(req.matches);
		return ret;
	}
	*out = req.matches;
	*n = req.nmatches;
	return 0;
}

static int match_change(struct ppt_handle *h, uint8_t cmd,
			enum ppt_match_kind kind, const char *text,
			uint32_t pref)
{
	struct request req = { .h = h };
	struct nl_msg *msg;

	clear_error(h);
	if ((unsigned int)kind >= NMATCH_KINDS) {
		ppt__set_errmsg(h, "unknown match kind %d", (int)kind);
		return -EINVAL;
	}
	if (!text) {
		ppt__set_errmsg(h, "no match entry given");
		return -EINVAL;
	}
	if (pref > PPT_RESET_MAX) {
		ppt__set_errmsg(h, "unknown reset method %u", pref);
		return -EINVAL;
	}
	msg = new_request(h, cmd, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, match_attr[kind], text) < 0) {
		nlmsg_free(msg);
		ppt__set_errmsg(h, "match entry too long for a netlink message");
		return -EINVAL;
	}
	if (pref != PPT_RESET_AUTO &&
	    nla_put_u32(msg, PPT_A_DEV_RESET_PREF, pref) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return transact(h, msg, &req);
}

int ppt_match_add(struct ppt_handle *h, enum ppt_match_kind kind,
		  const char *text)
{
	return match_change(h, PPT_CMD_MATCH_ADD, kind, text, PPT_RESET_AUTO);
}

int ppt_match_add_reset_pref(struct ppt_handle *h, enum ppt_match_kind kind,
			     const char *text, uint32_t method)
{
	return match_change(h, PPT_CMD_MATCH_ADD, kind, text, method);
}

int ppt_match_del(struct ppt_handle *h, enum ppt_match_kind kind,
		  const char *text)
{
	return match_change(h, PPT_CMD_MATCH_DEL, kind, text, PPT_RESET_AUTO);
}

/* Milliseconds on a clock that does not jump. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A socket subscribed to the events group.  It is opened before the request
 * is sent, so the request's outcome cannot be missed; one per request, so
 * events of earlier requests cannot have filled its buffer.
 */
static int open_events(struct ppt_handle *h, struct nl_sock **out)
{
	struct nl_sock *ev = nl_socket_alloc();
	int ret;

	if (!ev)
		return -ENOMEM;
	nl_socket_disable_seq_check(ev);
	ret = genl_connect(ev);
	if (!ret)
		ret = nl_socket_add_membership(ev, h->events_group);
	if (!ret)
		ret = nl_socket_set_nonblocking(ev);
	if (ret < 0) {
		nl_socket_free(ev);
		return ppt__nl_errno(ret);
	}
	nl_socket_set_buffer_size(ev, 1 << 20, 0);
	*out = ev;
	return 0;
}

static int on_outcome(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[PPT_A_MAX + 1];

	if (gh->cmd != PPT_CMD_REQUEST_NTF ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, ppt__policy) < 0 ||
	    !tb[PPT_A_REQ_ID] || nla_get_u64(tb[PPT_A_REQ_ID]) != req->req_id)
		return NL_OK;
	req->done = true;
	req->outcome = tb[PPT_A_REQ_ERRNO] ?
		-(int)(nla_get_u32(tb[PPT_A_REQ_ERRNO]) & 0xffff) : -EPROTO;
	if (req->outcome)
		note_outcome(req->h, tb);
	return NL_STOP;
}

/* Notifications carry no sequence number to check. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/*
 * Receive notifications on @ev, each handed to @on_msg with @arg, until
 * @done(@arg) or @deadline (ms on now_ms()'s clock; none when @timeout_ms
 * is negative).  Return: 0 once done, -ETIMEDOUT, -ENOBUFS when the socket
 * overran (notifications were lost), or another negative errno (said in
 * ppt_errmsg()).
 */
static int recv_until(struct ppt_handle *h, struct nl_sock *ev,
		      nl_recvmsg_msg_cb_t on_msg, void *arg,
		      bool (*done)(void *arg), long long deadline, int timeout_ms)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret = 0;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_msg, arg);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	while (!done(arg)) {
		struct pollfd pfd = { .fd = nl_socket_get_fd(ev), .events = POLLIN };
		int wait = timeout_ms < 0 ? -1 : (int)(deadline - now_ms());

		if (timeout_ms >= 0 && wait <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, wait) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		ret = nl_recvmsgs(ev, cb);
		if (ret == -NLE_AGAIN || ret >= 0) {
			ret = 0;
			continue;
		}
		ret = ret == -NLE_NOMEM ? -ENOBUFS : nl_error(h, ret);
		break;
	}
	nl_cb_put(cb);
	return ret;
}

static bool outcome_done(void *arg)
{
	return ((struct request *)arg)->done;
}

/* Wait on the events socket for the outcome of request req->req_id. */
static int wait_outcome(struct ppt_handle *h, struct nl_sock *ev,
			struct request *req, int timeout_ms)
{
	int ret = recv_until(h, ev, on_outcome, req, outcome_done,
			     now_ms() + timeout_ms, timeout_ms);

	/* a socket overrun loses notifications: maybe the outcome */
	if (ret == -ENOBUFS)
		ppt__set_errmsg(h, "the outcome notification was lost (socket overrun): check the device");
	if (!ret)
		ret = req->outcome;
	if (ret == -ETIMEDOUT)
		ppt__set_errmsg(h, "no outcome yet (request %llu goes on in the kernel)",
				(unsigned long long)req->req_id);
	return ret;
}

/* What a device request carries besides its address. */
struct change {
	uint8_t cmd;
	const char *owner;	/* PPT_A_DEV_OWNER, when not NULL */
	bool force;		/* PPT_A_FORCE */
	int method;		/* PPT_A_RESET_METHOD, when >= 0 */
	int pref;		/* PPT_A_DEV_RESET_PREF, when >= 0 */
	bool async;		/* answered by a notification */
};

/*
 * Send a device request (@canon: a checked, canonical address) and take
 * the kernel's answer; an asynchronous request's id is in @req.
 */
static int send_change(struct ppt_handle *h, const struct change *c,
		       const char *canon, struct request *req)
{
	struct nl_msg *msg = new_request(h, c->cmd, 0);
	int ret;

	if (!msg ||
	    nla_put_string(msg, PPT_A_DEV_ADDR, canon) < 0 ||
	    (c->owner && nla_put_string(msg, PPT_A_DEV_OWNER, c->owner) < 0) ||
	    (c->force && nla_put_flag(msg, PPT_A_FORCE) < 0) ||
	    (c->method >= 0 &&
	     nla_put_u32(msg, PPT_A_RESET_METHOD, (uint32_t)c->method) < 0) ||
	    (c->pref >= 0 &&
	     nla_put_u32(msg, PPT_A_DEV_RESET_PREF, (uint32_t)c->pref) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = transact(h, msg, req);
	if (!ret && c->async && !req->have_req_id) {
		ppt__set_errmsg(h, "the kernel's reply carries no request id");
		ret = -EPROTO;
	}
	return ret;
}

/* Send a device request and, for asynchronous ones, wait for its outcome. */
static int change(struct ppt_handle *h, const struct change *c,
		  const char *addr, int timeout_ms)
{
	char canon[PPT_ADDR_BUFLEN];
	struct request req = { .h = h };
	struct nl_sock *ev = NULL;
	int ret;

	clear_error(h);
	if (check_addr(h, addr, canon))
		return -EINVAL;
	if (c->async && timeout_ms != 0) {
		ret = open_events(h, &ev);
		if (ret)
			return ret;
	}
	ret = send_change(h, c, canon, &req);
	if (!ret && ev)
		ret = wait_outcome(h, ev, &req, timeout_ms);
	if (ev)
		nl_socket_free(ev);
	return ret;
}

int ppt_device_reserve(struct ppt_handle *h, const char *addr, bool force,
		       int timeout_ms)
{
	struct change c = { PPT_CMD_DEVICE_RESERVE, NULL, force, -1, -1, true };

	return change(h, &c, addr, timeout_ms);
}

int ppt_device_release(struct ppt_handle *h, const char *addr, int timeout_ms)
{
	struct change c = { PPT_CMD_DEVICE_RELEASE, NULL, false, -1, -1, true };

	return change(h, &c, addr, timeout_ms);
}

int ppt_device_claim(struct ppt_handle *h, const char *addr,
		     const char *owner)
{
	struct change c = { PPT_CMD_DEVICE_CLAIM, owner, false, -1, -1, false };

	return change(h, &c, addr, 0);
}

int ppt_device_unclaim(struct ppt_handle *h, const char *addr,
		       const char *owner)
{
	struct change c = { PPT_CMD_DEVICE_UNCLAIM, owner, false, -1, -1, false };

	return change(h, &c, addr, 0);
}

int ppt_device_assign(struct ppt_handle *h, const char *addr,
		      const char *owner, int timeout_ms)
{
	struct change c = { PPT_CMD_DEVICE_ASSIGN, owner, false, -1, -1, true };

	return change(h, &c, addr, timeout_ms);
}

int ppt_device_unassign(struct ppt_handle *h, const char *addr,
			const char *owner, int timeout_ms)
{
	struct change c = { PPT_CMD_DEVICE_UNASSIGN, owner, false, -1, -1, true };

	return change(h, &c, addr, timeout_ms);
}

static int reset_or_clean(struct ppt_handle *h, uint8_t cmd, const char *addr,
			  uint32_t method, int timeout_ms)
{
	struct change c = { cmd, NULL, false, (int)method, -1, true };

	if (method > PPT_RESET_MAX) {
		clear_error(h);
		ppt__set_errmsg(h, "unknown reset method %u", method);
		return -EINVAL;
	}
	return change(h, &c, addr, timeout_ms);
}

int ppt_device_set_reset_pref(struct ppt_handle *h, const char *addr,
			      uint32_t method)
{
	struct change c = { PPT_CMD_DEVICE_SET, NULL, false, -1, (int)method, false };

	if (method > PPT_RESET_MAX) {
		clear_error(h);
		ppt__set_errmsg(h, "unknown reset method %u", method);
		return -EINVAL;
	}
	return change(h, &c, addr, 0);
}

int ppt_device_reset(struct ppt_handle *h, const char *addr,
		     uint32_t method, int timeout_ms)
{
	return reset_or_clean(h, PPT_CMD_DEVICE_RESET, addr, method, timeout_ms);
}

int ppt_device_clean(struct ppt_handle *h, const char *addr,
		     uint32_t method, int timeout_ms)
{
	return reset_or_clean(h, PPT_CMD_DEVICE_CLEAN, addr, method, timeout_ms);
}

/*
 * A batch's requests: @pending ones await their outcome notification;
 * @following ones were refused because another request of the batch is
 * cleaning them already (a function of a multi-function slot goes with its
 * slot's bus reset), and their outcome is read from the device.
 */
struct batch {
	struct ppt_request_event *out;
	bool *pending, *following;
	size_t n, npending;
};

static int on_batch_outcome(struct nl_msg *msg, void *arg)
{
	struct batch *b = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[PPT_A_MAX + 1];
	struct ppt_request_event r;
	size_t i;

	if (gh->cmd != PPT_CMD_REQUEST_NTF ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, ppt__policy) < 0 ||
	    ppt__parse_request(tb, &r))
		return NL_OK;
	for (i = 0; i < b->n; i++) {
		if (!b->pending[i] || b->out[i].id != r.id)
			continue;
		b->out[i] = r;
		b->pending[i] = false;
		b->npending--;
		break;
	}
	return b->npending ? NL_OK : NL_STOP;
}

/*
 * Learn the outcomes of the devices flagged in @wait from the devices
 * themselves, each once it has left the cleaning state: those whose
 * notification an overrun lost, and those another request cleans.  A
 * failed clean ends quarantined; any other state means it succeeded (and
 * somebody may have claimed the device since).
 */
static int batch_poll(struct ppt_handle *h, struct batch *b, bool *wait,
		      long long deadline, int timeout_ms)
{
	struct ppt_device_info info;
	size_t i;
	int ret;

	for (i = 0; i < b->n; i++) {
		while (wait[i]) {
			ret = ppt_device_get(h, b->out[i].addr, &info);
			if (ret) {
				b->out[i].error = ret;
				snprintf(b->out[i].msg, sizeof(b->out[i].msg), "%s",
					 ppt_errmsg(h));
			} else if (info.state == PPT_STATE_CLEANING) {
				if (timeout_ms >= 0 && now_ms() >= deadline)
					return -ETIMEDOUT;
				poll(NULL, 0, 20);
				continue;
			} else if (info.state == PPT_STATE_QUARANTINED) {
				b->out[i].error = -EIO;
				snprintf(b->out[i].msg, sizeof(b->out[i].msg),
					 "quarantined (see the kernel log)");
			}
			if (wait == b->pending)
				b->npending--;
			wait[i] = false;
		}
	}
	clear_error(h);
	return 0;
}

static bool batch_done(void *arg)
{
	return !((struct batch *)arg)->npending;
}

/* Wait for every pending outcome of @b on @ev. */
static int batch_wait(struct ppt_handle *h, struct nl_sock *ev,
		      struct batch *b, long long deadline, int timeout_ms)
{
	int ret = recv_until(h, ev, on_batch_outcome, b, batch_done, deadline,
			     timeout_ms);

	if (ret == -ENOBUFS)
		ret = batch_poll(h, b, b->pending, deadline, timeout_ms);
	return ret;
}

/*
 * Is a device refused with EBUSY being cleaned already?  Then another
 * request of the batch (or somebody else) cleans it with its reset
 * domain, and its outcome is that clean's.
 */
static bool batch_being_cleaned(struct ppt_handle *h, int ret, const char *addr)
{
	struct ppt_device_info info;

	return ret == -EBUSY && !ppt_device_get(h, addr, &info) &&
	       info.state == PPT_STATE_CLEANING;
}

/* Mark what is still unknown at the deadline (or without memory). */
static void batch_unknown(struct batch *b, bool *wait, int ret)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (!wait[i])
			continue;
		b->out[i].error = ret;
		if (ret == -ENOMEM)
			snprintf(b->out[i].msg, sizeof(b->out[i].msg), "out of memory");
		else if (b->out[i].id)
			snprintf(b->out[i].msg, sizeof(b->out[i].msg),
				 "no outcome yet (request %llu goes on in the kernel)",
				 (unsigned long long)b->out[i].id);
		else
			snprintf(b->out[i].msg, sizeof(b->out[i].msg),
				 "still cleaning (with another device of its reset domain)");
	}
}

int ppt_devices_clean(struct ppt_handle *h, const char *const *addrs,
		      size_t n, uint32_t method, int timeout_ms,
		      struct ppt_request_event *out)
{
	struct change c = { PPT_CMD_DEVICE_CLEAN, NULL, false, (int)method, -1, true };
	long long deadline = now_ms() + timeout_ms;
	struct batch b = { .out = out, .n = n };
	struct nl_sock *ev = NULL;
	size_t i, failed = 0, first = 0;
	int ret = 0;

	clear_error(h);
	if (method > PPT_RESET_MAX) {
		ppt__set_errmsg(h, "unknown reset method %u", method);
		return -EINVAL;
	}
	if (!n || !addrs || !out) {
		ppt__set_errmsg(h, "no device given");
		return -EINVAL;
	}
	b.pending = calloc(n, sizeof(*b.pending));
	b.following = calloc(n, sizeof(*b.following));
	if (!b.pending || !b.following) {
		ret = -ENOMEM;
		goto out;
	}
	memset(out, 0, n * sizeof(*out));
	/* subscribed before the first request: no outcome can be missed */
	if (timeout_ms != 0) {
		ret = open_events(h, &ev);
		if (ret)
			goto out;
	}
	/* every request first, so the kernel runs the cleans side by side */
	for (i = 0; i < n; i++) {
		struct request req = { .h = h };

		out[i].cmd = PPT_CMD_DEVICE_CLEAN;
		clear_error(h);
		if (check_addr(h, addrs[i], out[i].addr)) {
			snprintf(out[i].addr, sizeof(out[i].addr), "%s",
				 addrs[i] ? addrs[i] : "(null)");
			ret = -EINVAL;
		} else {
			ret = send_change(h, &c, out[i].addr, &req);
		}
		if (ret) {
			out[i].error = ret;
			snprintf(out[i].msg, sizeof(out[i].msg), "%s", ppt_errmsg(h));
			snprintf(out[i].blocker, sizeof(out[i].blocker), "%s", h->blocker);
			snprintf(out[i].blocker_driver, sizeof(out[i].blocker_driver),
				 "%s", h->blocker_driver);
			if (batch_being_cleaned(h, ret, out[i].addr)) {
				out[i].error = 0;
				out[i].msg[0] = out[i].blocker[0] = '\0';
				out[i].blocker_driver[0] = '\0';
				b.following[i] = ev != NULL;
			}
			continue;
		}
		out[i].id = req.req_id;
		if (ev) {
			b.pending[i] = true;
			b.npending++;
		}
	}
	clear_error(h);
	ret = ev ? batch_wait(h, ev, &b, deadline, timeout_ms) : 0;
	if (!ret && ev)
		ret = batch_poll(h, &b, b.following, deadline, timeout_ms);
	if (ret == -ETIMEDOUT || ret == -ENOMEM) {
		batch_unknown(&b, b.pending, ret);
		batch_unknown(&b, b.following, ret);
	} else if (ret) {
		goto out;	/* the events socket failed: ppt_errmsg() says how */
	}
	for (i = 0; i < n; i++)
		if (out[i].error && !failed++)
			first = i;
	ret = failed ? out[first].error : 0;
	if (failed)
		ppt__set_errmsg(h, "%zu of %zu devices failed, the first %s: %s",
				failed, n, out[first].addr,
				out[first].msg[0] ? out[first].msg : strerror(-ret));
out:
	if (ev)
		nl_socket_free(ev);
	free(b.pending);
	free(b.following);
	return ret;
}

/* Hand a request's collected addresses to the caller, or free them. */
static void give_addrs(struct request *req, int ret,
		       char (**out)[PPT_ADDR_BUFLEN], size_t *n)
{
	if (ret || !out) {
		free(req->addrs);
		req->addrs = NULL;
		req->naddrs = 0;
	}
	if (out)
		*out = req->addrs;
	if (n)
		*n = req->naddrs;
}

int ppt_claim(struct ppt_handle *h, const struct ppt_claim_spec *spec,
	      char (**out)[PPT_ADDR_BUFLEN], size_t *n)
{
	char canon[PPT_ADDR_BUFLEN];
	struct request req = { .h = h, .want_addrs = true };
	struct nl_msg *msg;
	size_t i;
	int ret;

	clear_error(h);
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!spec || (!spec->n_addrs && !spec->match)) {
		ppt__set_errmsg(h, "a claim needs device addresses or a match");
		return -EINVAL;
	}
	if (spec->n_addrs > PPT_CLAIM_MAX || spec->count > PPT_CLAIM_MAX) {
		ppt__set_errmsg(h, "a claim names or claims at most %d devices",
				PPT_CLAIM_MAX);
		return -EINVAL;
	}
	msg = new_request(h, PPT_CMD_CLAIM, 0);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < spec->n_addrs; i++) {
		if (check_addr(h, spec->addrs[i], canon)) {
			nlmsg_free(msg);
			return -EINVAL;
		}
		if (nla_put_string(msg, PPT_A_CLAIM_ADDR, canon) < 0)
			goto nomem;
	}
	if ((spec->match &&
	     nla_put_string(msg, PPT_A_MATCH_IDS, spec->match) < 0) ||
	    (spec->count &&
	     nla_put_u32(msg, PPT_A_CLAIM_COUNT, spec->count) < 0) ||
	    (spec->owner &&
	     nla_put_string(msg, PPT_A_DEV_OWNER, spec->owner) < 0) ||
	    ((spec->flags & PPT_CLAIM_LEASE) &&
	     nla_put_flag(msg, PPT_A_LEASE) < 0))
		goto nomem;
	ret = transact(h, msg, &req);
	give_addrs(&req, ret, out, n);
	return ret;
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

int ppt_take(struct ppt_handle *h, const char *owner, unsigned int flags,
	     char (**out)[PPT_ADDR_BUFLEN], size_t *n)
{
	struct request req = { .h = h, .want_addrs = true };
	struct nl_msg *msg;
	int ret;

	clear_error(h);
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	msg = new_request(h, PPT_CMD_TAKE, 0);
	if (!msg ||
	    (owner && nla_put_string(msg, PPT_A_DEV_OWNER, owner) < 0) ||
	    ((flags & PPT_CLAIM_LEASE) && nla_put_flag(msg, PPT_A_LEASE) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = transact(h, msg, &req);
	give_addrs(&req, ret, out, n);
	return ret;
}

uint32_t ppt_handle_portid(const struct ppt_handle *h)
{
	return nl_socket_get_local_port(h->sk);
}
