// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: the handle and its requests.  Speaks the "ppt" generic netlink
 * family with libnl-genl-3: one call per device command, dumps with retry,
 * and the wait for an asynchronous request's outcome.  Claims are in
 * ppt_claim.c, matches in ppt_match.c, batches of cleans in ppt_batch.c,
 * event subscriptions in ppt_events.c, and what the loaded module supports
 * in ppt_family.c.
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

#include "ppt_host.h"
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
	[PPT_A_DEV_TAINTED] = { .type = NLA_FLAG },
	[PPT_A_DEV_GATED] = { .type = NLA_FLAG },
	[PPT_A_DEV_REASON] = { .type = NLA_STRING },
	[PPT_A_DEV_LAST_RESET_INFERRED] = { .type = NLA_FLAG },
	[PPT_A_UNCLEAN] = { .type = NLA_FLAG },
	[PPT_A_FORCE_HOST] = { .type = NLA_FLAG },
	[PPT_A_MATCH_VFS] = { .type = NLA_STRING },
	[PPT_A_STATS_OP] = { .type = NLA_U32 },
	[PPT_A_STATS_FAILED] = { .type = NLA_FLAG },
	[PPT_A_STATS_COUNT] = { .type = NLA_U64 },
	[PPT_A_STATS_USEC_SUM] = { .type = NLA_U64 },
	[PPT_A_STATS_BUCKET] = { .type = NLA_U64 },
	[PPT_A_STATS_BOUND] = { .type = NLA_U64 },
	[PPT_A_STATS_QUARANTINES] = { .type = NLA_U64 },
	[PPT_A_STATS_LEASE_EXPIRIES] = { .type = NLA_U64 },
	[PPT_A_RECYCLE] = { .type = NLA_FLAG },
	[PPT_A_DEV_RECYCLE] = { .type = NLA_FLAG },
	[PPT_A_DEV_RECYCLES] = { .type = NLA_U32 },
	[PPT_A_SANITISER] = { .type = NLA_STRING },
	[PPT_A_SANITISE_CLASS] = { .type = NLA_STRING },
	[PPT_A_SANITISE_DEFAULT] = { .type = NLA_FLAG },
	[PPT_A_DEV_SANITISER] = { .type = NLA_STRING },
	[PPT_A_SANITISE_ID] = { .type = NLA_U64 },
	[PPT_A_SANITISE_TIMEOUT] = { .type = NLA_U32 },
	[PPT_A_SANITISE_METHOD] = { .type = NLA_STRING },
	[PPT_A_SANITISE_VERIFIED] = { .type = NLA_STRING },
	[PPT_A_AGENT_PORTID] = { .type = NLA_U32 },
	[PPT_A_AGENT_PID] = { .type = NLA_U32 },
	[PPT_A_AGENT_PENDING] = { .type = NLA_U32 },
	[PPT_A_DEV_SANITISED] = { .type = NLA_FLAG },
	[PPT_A_DEV_LAST_SANITISER] = { .type = NLA_STRING },
	[PPT_A_DEV_LAST_SANITISE_TIME] = { .type = NLA_U64 },
	[PPT_A_DEV_LAST_SANITISE_USEC] = { .type = NLA_U64 },
	[PPT_A_DEV_LAST_SANITISE_ERRNO] = { .type = NLA_U32 },
	[PPT_A_DEV_LAST_SANITISE_METHOD] = { .type = NLA_STRING },
	[PPT_A_DEV_LAST_SANITISE_VERIFIED] = { .type = NLA_STRING },
	[PPT_A_DEV_LAST_SANITISE_MSG] = { .type = NLA_STRING },
};

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
	case NLE_OPNOTSUPP: return -EOPNOTSUPP;
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

long long ppt__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

/* Every PPT_A_CLAIM_ADDR of a reply, in order (genlmsg_parse keeps one). */
static int collect_addrs(struct ppt__request *req, struct nlmsghdr *nlh)
{
	struct nlattr *a;
	int rem, ret;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) != PPT_A_CLAIM_ADDR)
			continue;
		ret = ppt__addrs_push(&req->addrs, &req->naddrs, &req->addrcap,
				      nla_get_string(a));
		if (ret)
			return ret;
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
	struct ppt__request *req = arg;
	struct nlattr *tb[PPT_A_MAX + 1];
	int ret;

	if (req->error)
		return NL_SKIP;
	if (req->raw) {
		ret = req->raw(req, nlmsg_hdr(msg));
		if (ret)
			req->error = ret;
		return NL_OK;
	}
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
		ret = req->parse(req, nlmsg_hdr(msg), tb);
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
	/*
	 * The reply's PPT_A_REQ_MSG, when there was one, is the whole reason
	 * (it may name devices); the extended ack carries only its gist.
	 */
	if (!h->has_errmsg && tb[NLMSGERR_ATTR_MSG] &&
	    nla_len(tb[NLMSGERR_ATTR_MSG]) > 0 &&
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
	struct ppt__request *req = arg;

	(void)nla;
	if (!req->error)
		req->error = err->error;
	req->complete = true;
	ppt__note_extack(req->h, (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN),
			 req->sent);
	return NL_STOP;
}

/*
 * The sequence check of the request socket.  A sanitise request the kernel
 * sent the agent (ppt_agent.c) may arrive here while a call waits for its
 * own reply: it is queued, not taken for that reply.  Everything else must
 * answer the request sent, as libnl's own check would insist.
 */
static int on_seq(struct nl_msg *msg, void *arg)
{
	struct ppt__request *req = arg;

	if (ppt__agent_take(req->h, msg))
		return NL_SKIP;
	if (nlmsg_hdr(msg)->nlmsg_seq != nlmsg_hdr(req->sent)->nlmsg_seq)
		return -NLE_SEQ_MISMATCH;
	return NL_OK;
}

/* The request's ACK, or the end of its dump: nothing more will come. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct ppt__request *req = arg;

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

void ppt__clear_error(struct ppt_handle *h)
{
	h->has_errmsg = false;
	h->err_attr = -1;
	h->errmsg[0] = '\0';
	h->blocker[0] = '\0';
	h->blocker_driver[0] = '\0';
}

int ppt__check_flags(struct ppt_handle *h, unsigned int flags,
		     unsigned int allowed)
{
	if (!(flags & ~allowed))
		return 0;
	ppt__set_errmsg(h, "unknown flags 0x%x", flags & ~allowed);
	return -EINVAL;
}

int ppt__transact(struct ppt_handle *h, struct nl_msg *msg,
		  struct ppt__request *req)
{
	struct nl_cb *cb;
	int ret;

	if (nlmsg_hdr(msg)->nlmsg_type != GENL_ID_CTRL) {
		ret = ppt__family_check(h, msg);
		if (ret) {
			nlmsg_free(msg);
			return ret;
		}
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_finish, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, req);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq, req);
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

struct nl_msg *ppt__new_request(struct ppt_handle *h, uint8_t cmd, int flags)
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

void ppt__request_free(struct ppt__request *req)
{
	size_t i;

	for (i = 0; i < req->nitems; i++)
		free(req->items[i]);
	free(req->items);
	req->items = NULL;
	req->nitems = req->itemcap = 0;
	ppt_addrs_free(req->addrs);
	req->addrs = NULL;
	req->naddrs = req->addrcap = 0;
	ppt_req_free(req->outcome_req);
	req->outcome_req = NULL;
}

int ppt__push_item(struct ppt__request *req, void *item)
{
	if (req->nitems + 1 >= req->itemcap) {
		size_t cap = req->itemcap ? req->itemcap * 2 : 16;
		void **n = realloc(req->items, cap * sizeof(*n));

		if (!n) {
			free(item);
			return -ENOMEM;
		}
		req->items = n;
		req->itemcap = cap;
	}
	req->items[req->nitems++] = item;
	req->items[req->nitems] = NULL;
	return 0;
}

static int parse_device_reply(struct ppt__request *req, struct nlmsghdr *nlh,
			      struct nlattr **tb)
{
	int err = 0;
	struct ppt_dev *d = ppt__dev_parse(tb, &err);

	(void)nlh;
	return d ? ppt__push_item(req, d) : err;
}

int ppt__dump(struct ppt_handle *h, uint8_t cmd, struct ppt__request *req)
{
	int attempt, ret = -EAGAIN;

	for (attempt = 0; attempt < DUMP_RETRIES && ret == -EAGAIN; attempt++) {
		struct nl_msg *msg = ppt__new_request(h, cmd, NLM_F_DUMP);

		ppt__clear_error(h);
		ppt__request_free(req);
		*req = (struct ppt__request){ .h = h, .parse = req->parse };
		if (!msg)
			return -ENOMEM;
		ret = ppt__transact(h, msg, req);
	}
	if (ret == -EAGAIN)
		ppt__set_errmsg(h, "the kernel's table kept changing during %d dumps",
				DUMP_RETRIES);
	return ret;
}

int ppt_open(struct ppt_handle **out)
{
	struct ppt_handle *h;
	int one = 1, ret;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->err_attr = -1;
	ppt__family_reset(&h->fam);
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
	ppt__family_reset(&h->fam);
	ppt__agent_flush(&h->agent);
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

uint32_t ppt_handle_portid(const struct ppt_handle *h)
{
	return nl_socket_get_local_port(h->sk);
}

int ppt__check_addr(struct ppt_handle *h, const char *addr,
		    char canon[PPT_ADDR_BUFLEN])
{
	if (ppt_addr_normalize(addr, canon) == 0)
		return 0;
	ppt__set_errmsg(h, "malformed PCI address \"%s\" (want [domain:]bus:dev.fn)",
			addr ? addr : "(null)");
	return -EINVAL;
}

/*
 * Send @msg and take its one reply object: it moves to *@out (the
 * caller's), and @req is freed.  -EPROTO when the kernel sent more or
 * none.
 */
int ppt__transact_one(struct ppt_handle *h, struct nl_msg *msg,
		      struct ppt__request *req, void **out)
{
	int ret = ppt__transact(h, msg, req);

	if (!ret && req->nitems != 1)
		ret = -EPROTO;
	if (!ret) {
		*out = req->items[0];
		req->nitems = 0;
	}
	ppt__request_free(req);
	return ret;
}

int ppt_device_get(struct ppt_handle *h, const char *addr,
		   struct ppt_dev **out)
{
	char canon[PPT_ADDR_BUFLEN];
	struct ppt__request req = { .h = h, .parse = parse_device_reply };
	struct nl_msg *msg;

	ppt__clear_error(h);
	*out = NULL;
	if (ppt__check_addr(h, addr, canon))
		return -EINVAL;
	msg = ppt__new_request(h, PPT_CMD_DEVICE_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, PPT_A_DEV_ADDR, canon) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return ppt__transact_one(h, msg, &req, (void **)out);
}

int ppt__list(struct ppt_handle *h, uint8_t cmd,
	      int (*parse)(struct ppt__request *req, struct nlmsghdr *nlh,
			   struct nlattr **tb),
	      void (*put)(void *list, size_t i, void *item), void **out,
	      size_t *n)
{
	struct ppt__request req = { .h = h, .parse = parse };
	int ret = ppt__dump(h, cmd, &req);
	void *list = NULL;
	size_t i;

	if (!ret && !(list = calloc(req.nitems + 1, sizeof(void *))))
		ret = -ENOMEM;
	for (i = 0; !ret && i < req.nitems; i++)
		put(list, i, req.items[i]);
	if (!ret)
		req.nitems = 0;
	ppt__request_free(&req);
	*out = list;
	if (n)
		*n = ret ? 0 : i;
	return ret;
}

static void put_dev(void *list, size_t i, void *item)
{
	((struct ppt_dev **)list)[i] = item;
}

int ppt_device_list(struct ppt_handle *h, struct ppt_dev ***out, size_t *n)
{
	void *list;
	int ret = ppt__list(h, PPT_CMD_DEVICE_GET, parse_device_reply, put_dev,
			    &list, n);

	*out = list;
	return ret;
}

int ppt_device_foreach(struct ppt_handle *h,
		       int (*cb)(const struct ppt_dev *dev, void *arg),
		       void *arg)
{
	struct ppt_dev **devs = NULL;
	size_t i, n = 0;
	int ret = ppt_device_list(h, &devs, &n);

	for (i = 0; !ret && i < n; i++)
		ret = cb(devs[i], arg);
	ppt_dev_list_free(devs);
	return ret;
}

int ppt__open_events(struct ppt_handle *h, struct nl_sock **out)
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
	/* one per request: events of earlier requests cannot have filled it */
	nl_socket_set_buffer_size(ev, 1 << 20, 0);
	*out = ev;
	return 0;
}

static int on_outcome(struct nl_msg *msg, void *arg)
{
	struct ppt__request *req = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[PPT_A_MAX + 1];
	int err = 0;

	if (gh->cmd != PPT_CMD_REQUEST_NTF ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, ppt__policy) < 0 ||
	    !tb[PPT_A_REQ_ID] || nla_get_u64(tb[PPT_A_REQ_ID]) != req->req_id)
		return NL_OK;
	req->done = true;
	req->outcome = tb[PPT_A_REQ_ERRNO] ?
		-(int)(nla_get_u32(tb[PPT_A_REQ_ERRNO]) & 0xffff) : -EPROTO;
	if (req->want_outcome_req) {
		req->outcome_req = ppt__req_parse(nlmsg_hdr(msg), tb, &err);
		if (!req->outcome_req && !req->outcome)
			req->outcome = err;
	}
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

int ppt__recv_until(struct ppt_handle *h, struct nl_sock *ev,
		    int (*on_msg)(struct nl_msg *msg, void *arg), void *arg,
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
		int wait = timeout_ms < 0 ? -1 : (int)(deadline - ppt__now_ms());

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
	return ((struct ppt__request *)arg)->done;
}

int ppt__wait_outcome(struct ppt_handle *h, struct nl_sock *ev,
		      struct ppt__request *req, int timeout_ms)
{
	int ret = ppt__recv_until(h, ev, on_outcome, req, outcome_done,
				  ppt__now_ms() + timeout_ms, timeout_ms);

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
	unsigned int flags;	/* the caller's */
	unsigned int allowed;	/* the flags the call defines */
	const char *owner;	/* PPT_A_DEV_OWNER, when not NULL */
	bool force;		/* PPT_A_FORCE */
	bool force_host;	/* PPT_A_FORCE_HOST */
	bool unclean;		/* PPT_A_UNCLEAN */
	bool inspect;		/* PPT_A_INSPECT */
	bool lease;		/* PPT_A_LEASE */
	bool recycle;		/* PPT_A_RECYCLE */
	bool has_method;	/* PPT_A_RESET_METHOD: method */
	bool has_pref;		/* PPT_A_DEV_RESET_PREF: method */
	uint32_t method;
	bool async;		/* answered by a notification */
};

static int put_flag(struct nl_msg *msg, bool set, int attr)
{
	return set ? nla_put_flag(msg, attr) : 0;
}

/*
 * Send a device request (@canon: a checked, canonical address) and take
 * the kernel's answer; an asynchronous request's id is in @req.
 */
static int send_change(struct ppt_handle *h, const struct change *c,
		       const char *canon, struct ppt__request *req)
{
	struct nl_msg *msg = ppt__new_request(h, c->cmd, 0);
	int ret;

	if (!msg ||
	    nla_put_string(msg, PPT_A_DEV_ADDR, canon) < 0 ||
	    (c->owner && nla_put_string(msg, PPT_A_DEV_OWNER, c->owner) < 0) ||
	    put_flag(msg, c->force, PPT_A_FORCE) < 0 ||
	    /* a module of protocol 1 checks nothing: the flag is its default */
	    put_flag(msg, c->force_host &&
		     ppt_supports_attr(h, c->cmd, PPT_A_FORCE_HOST) == 1,
		     PPT_A_FORCE_HOST) < 0 ||
	    put_flag(msg, c->unclean, PPT_A_UNCLEAN) < 0 ||
	    put_flag(msg, c->inspect, PPT_A_INSPECT) < 0 ||
	    put_flag(msg, c->lease, PPT_A_LEASE) < 0 ||
	    put_flag(msg, c->recycle, PPT_A_RECYCLE) < 0 ||
	    (c->has_method && nla_put_u32(msg, PPT_A_RESET_METHOD, c->method) < 0) ||
	    (c->has_pref && nla_put_u32(msg, PPT_A_DEV_RESET_PREF, c->method) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = ppt__transact(h, msg, req);
	if (!ret && c->async && !req->have_req_id) {
		ppt__set_errmsg(h, "the kernel's reply carries no request id");
		ret = -EPROTO;
	}
	return ret;
}

int ppt__send_clean(struct ppt_handle *h, const char *canon, uint32_t method,
		    uint64_t *req_id)
{
	struct change c = { .cmd = PPT_CMD_DEVICE_CLEAN, .has_method = true,
			    .method = method, .async = true };
	struct ppt__request req = { .h = h };
	int ret = send_change(h, &c, canon, &req);

	*req_id = ret ? 0 : req.req_id;
	return ret;
}

int ppt_device_host_use(const char *addr, char *what, size_t len)
{
	struct ppt_host_env env = { .root = "" };
	char canon[PPT_ADDR_BUFLEN];

	if (!what || !len)
		return -EINVAL;
	what[0] = '\0';
	if (ppt_addr_normalize(addr, canon)) {
		snprintf(what, len, "malformed PCI address \"%s\"", addr ? addr : "");
		return -EINVAL;
	}
	return ppt_host_use(&env, canon, what, len);
}

/*
 * A forced reserve takes the device from its host driver, and with it
 * whatever the host runs on it: refuse, before anything is sent, a device
 * the host uses (PPT_RESERVE_FORCE_HOST says to take it all the same).
 */
static int refuse_host_use(struct ppt_handle *h, const char *addr)
{
	char what[PPT_MSG_BUFLEN];
	int ret = ppt_device_host_use(addr, what, sizeof(what));

	if (!ret)
		return 0;
	if (ret > 0) {
		ppt__set_errmsg(h, "the host uses it: %s", what);
		return -EBUSY;
	}
	ppt__set_errmsg(h, "cannot tell whether the host uses it: %s", what);
	return ret;
}

/*
 * Check a device request, send it and, for asynchronous ones, wait for
 * its outcome.  The request's id goes to *req_id (when not NULL) once the
 * kernel gave it.
 */
static int change(struct ppt_handle *h, const struct change *c,
		  const char *addr, int timeout_ms, uint64_t *req_id)
{
	char canon[PPT_ADDR_BUFLEN];
	struct ppt__request req = { .h = h };
	struct nl_sock *ev = NULL;
	int ret;

	ppt__clear_error(h);
	if (req_id)
		*req_id = 0;
	if (ppt__check_flags(h, c->flags, c->allowed) ||
	    ((c->has_method || c->has_pref) && ppt__check_method(h, c->method)))
		return -EINVAL;
	if (c->force_host && !c->force) {
		ppt__set_errmsg(h, "PPT_RESERVE_FORCE_HOST needs PPT_RESERVE_FORCE");
		return -EINVAL;
	}
	if (ppt__check_addr(h, addr, canon))
		return -EINVAL;
	if (c->inspect && c->method != PPT_RESET_AUTO) {
		ppt__set_errmsg(h, "an inspection resets nothing: PPT_CLEAN_INSPECT takes PPT_RESET_AUTO");
		return -EINVAL;
	}
	if (c->inspect && ppt_supports_attr(h, c->cmd, PPT_A_INSPECT) != 1) {
		ppt__set_errmsg(h, "the loaded ppt module cannot inspect devices (PPT_A_INSPECT)");
		return -EOPNOTSUPP;
	}
	if (c->recycle && ppt_supports_attr(h, c->cmd, PPT_A_RECYCLE) != 1) {
		ppt__set_errmsg(h, "the loaded ppt module cannot recycle assignments (PPT_A_RECYCLE)");
		return -EOPNOTSUPP;
	}
	if (c->cmd == PPT_CMD_DEVICE_RESERVE && c->force && !c->force_host) {
		ret = refuse_host_use(h, canon);
		if (ret)
			return ret;
	}
	if (c->async && timeout_ms != 0) {
		ret = ppt__open_events(h, &ev);
		if (ret)
			return ret;
	}
	ret = send_change(h, c, canon, &req);
	if (req_id && req.have_req_id)
		*req_id = req.req_id;
	if (!ret && ev)
		ret = ppt__wait_outcome(h, ev, &req, timeout_ms);
	if (ev)
		nl_socket_free(ev);
	return ret;
}

int ppt__check_method(struct ppt_handle *h, uint32_t method)
{
	if (method <= PPT_RESET_MAX)
		return 0;
	ppt__set_errmsg(h, "unknown reset method %u", method);
	return -EINVAL;
}

int ppt_device_reserve(struct ppt_handle *h, const char *addr,
		       unsigned int flags, int timeout_ms, uint64_t *req_id)
{
	struct change c = {
		.cmd = PPT_CMD_DEVICE_RESERVE, .async = true, .flags = flags,
		.allowed = PPT_RESERVE_FORCE | PPT_RESERVE_FORCE_HOST,
		.force = flags & PPT_RESERVE_FORCE,
		.force_host = flags & PPT_RESERVE_FORCE_HOST,
	};

	return change(h, &c, addr, timeout_ms, req_id);
}

int ppt_device_release(struct ppt_handle *h, const char *addr,
		       unsigned int flags, int timeout_ms, uint64_t *req_id)
{
	struct change c = {
		.cmd = PPT_CMD_DEVICE_RELEASE, .async = true, .flags = flags,
		.allowed = PPT_RELEASE_UNCLEAN, .unclean = flags & PPT_RELEASE_UNCLEAN,
	};

	return change(h, &c, addr, timeout_ms, req_id);
}

int ppt_device_claim(struct ppt_handle *h, const char *addr,
		     const char *owner, unsigned int flags)
{
	struct change c = {
		.cmd = PPT_CMD_DEVICE_CLAIM, .owner = owner, .flags = flags,
		.allowed = PPT_CLAIM_LEASE, .lease = flags & PPT_CLAIM_LEASE,
	};

	return change(h, &c, addr, 0, NULL);
}

int ppt_device_unclaim(struct ppt_handle *h, const char *addr,
		       const char *owner, unsigned int flags)
{
	struct change c = { .cmd = PPT_CMD_DEVICE_UNCLAIM, .owner = owner,
			    .flags = flags };

	return change(h, &c, addr, 0, NULL);
}

int ppt_device_assign(struct ppt_handle *h, const char *addr,
		      const char *owner, unsigned int flags, int timeout_ms,
		      uint64_t *req_id)
{
	struct change c = { .cmd = PPT_CMD_DEVICE_ASSIGN, .owner = owner,
			    .flags = flags, .allowed = PPT_ASSIGN_RECYCLE,
			    .recycle = flags & PPT_ASSIGN_RECYCLE, .async = true };

	return change(h, &c, addr, timeout_ms, req_id);
}

int ppt_device_unassign(struct ppt_handle *h, const char *addr,
			const char *owner, unsigned int flags, int timeout_ms,
			uint64_t *req_id)
{
	struct change c = { .cmd = PPT_CMD_DEVICE_UNASSIGN, .owner = owner,
			    .flags = flags, .async = true };

	return change(h, &c, addr, timeout_ms, req_id);
}

int ppt_device_reset(struct ppt_handle *h, const char *addr, uint32_t method,
		     unsigned int flags, int timeout_ms, uint64_t *req_id)
{
	struct change c = { .cmd = PPT_CMD_DEVICE_RESET, .flags = flags,
			    .has_method = true, .method = method, .async = true };

	return change(h, &c, addr, timeout_ms, req_id);
}

int ppt_device_clean(struct ppt_handle *h, const char *addr, uint32_t method,
		     unsigned int flags, int timeout_ms, uint64_t *req_id)
{
	struct change c = { .cmd = PPT_CMD_DEVICE_CLEAN, .flags = flags,
			    .allowed = PPT_CLEAN_INSPECT,
			    .inspect = flags & PPT_CLEAN_INSPECT,
			    /* an inspection resets nothing */
			    .has_method = !(flags & PPT_CLEAN_INSPECT),
			    .method = method, .async = true };

	return change(h, &c, addr, timeout_ms, req_id);
}

int ppt_device_set_reset_pref(struct ppt_handle *h, const char *addr,
			      uint32_t method, unsigned int flags)
{
	struct change c = { .cmd = PPT_CMD_DEVICE_SET, .flags = flags,
			    .has_pref = true, .method = method };

	return change(h, &c, addr, 0, NULL);
}
