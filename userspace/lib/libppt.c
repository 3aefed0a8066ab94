// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: the netlink side.  Speaks the "ppt" generic netlink family with
 * libnl-genl-3.
 *
 * libnl 3.7 has no extended-ack API, so the error callback reads the
 * NLMSGERR_ATTR_MSG attribute from the error message itself.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "libppt.h"

/* How often a dump interrupted by concurrent changes is tried again. */
#define DUMP_RETRIES	8

struct ppt_handle {
	struct nl_sock *sk;
	int family;
	int events_group;
	char errmsg[256];
	bool has_errmsg;
	char blocker[PPT_ADDR_BUFLEN];
	char blocker_driver[PPT_DRIVER_BUFLEN];
};

/* Per-request state shared by the callbacks. */
struct request {
	struct ppt_handle *h;
	int error;			/* kernel errno, negative; 0 if none */
	struct ppt_device_info *devs;	/* parsed device replies */
	size_t ndevs, cap;
	uint64_t req_id;		/* an asynchronous request's id */
	bool have_req_id;
	bool done;			/* its outcome arrived */
	int outcome;			/* the outcome: 0 or negative errno */
	bool complete;			/* the ACK or the dump's end arrived */
};

static struct nla_policy dev_policy[PPT_A_MAX + 1] = {
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
};

/* Map libnl's error codes to errno for callers. */
static int nl_to_errno(int nlerr)
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

static void copy_str(char *dst, size_t len, struct nlattr *a)
{
	if (a)
		snprintf(dst, len, "%s", nla_get_string(a));
	else
		dst[0] = '\0';
}

static int parse_device(struct nlattr **tb, struct ppt_device_info *d)
{
	if (!tb[PPT_A_DEV_ADDR] || !tb[PPT_A_DEV_STATE])
		return -EPROTO;
	memset(d, 0, sizeof(*d));
	copy_str(d->addr, sizeof(d->addr), tb[PPT_A_DEV_ADDR]);
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
	copy_str(d->driver, sizeof(d->driver), tb[PPT_A_DEV_DRIVER]);
	copy_str(d->owner, sizeof(d->owner), tb[PPT_A_DEV_OWNER]);
	d->iommu_group = tb[PPT_A_DEV_IOMMU_GROUP] ?
		(int64_t)nla_get_u32(tb[PPT_A_DEV_IOMMU_GROUP]) : -1;
	copy_str(d->path, sizeof(d->path), tb[PPT_A_DEV_PATH]);
	d->boot_listed = tb[PPT_A_DEV_BOOT_LISTED] != NULL;
	d->adopted = tb[PPT_A_DEV_ADOPTED] != NULL;
	return 0;
}

/* A request's outcome attributes: its failure message and blocker. */
static void note_outcome(struct ppt_handle *h, struct nlattr **tb)
{
	if (tb[PPT_A_REQ_MSG]) {
		copy_str(h->errmsg, sizeof(h->errmsg), tb[PPT_A_REQ_MSG]);
		h->has_errmsg = true;
	}
	if (tb[PPT_A_BLOCKER_ADDR]) {
		copy_str(h->blocker, sizeof(h->blocker), tb[PPT_A_BLOCKER_ADDR]);
		copy_str(h->blocker_driver, sizeof(h->blocker_driver),
			 tb[PPT_A_BLOCKER_DRIVER]);
	}
}

static int on_device(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlattr *tb[PPT_A_MAX + 1];
	struct ppt_device_info *d;
	int ret;

	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, dev_policy);
	if (ret < 0) {
		req->error = -EPROTO;
		return NL_STOP;
	}
	/* the reply to an asynchronous request, or a refusal with a blocker */
	if (tb[PPT_A_REQ_ID]) {
		req->req_id = nla_get_u64(tb[PPT_A_REQ_ID]);
		req->have_req_id = true;
		note_outcome(req->h, tb);
		return NL_OK;
	}
	if (req->ndevs == req->cap) {
		size_t cap = req->cap ? req->cap * 2 : 16;

		d = realloc(req->devs, cap * sizeof(*d));
		if (!d) {
			req->error = -ENOMEM;
			return NL_STOP;
		}
		req->devs = d;
		req->cap = cap;
	}
	ret = parse_device(tb, &req->devs[req->ndevs]);
	if (ret) {
		req->error = ret;
		return NL_STOP;
	}
	req->ndevs++;
	return NL_OK;
}

/* Record the kernel's errno and its extended ack message, if any. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct request *req = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	(void)nla;
	req->error = err->error;
	req->complete = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off >= nlh->nlmsg_len)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)err + off),
		      nlh->nlmsg_len - NLMSG_HDRLEN - off, NULL) < 0)
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG]) {
		snprintf(req->h->errmsg, sizeof(req->h->errmsg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
		req->h->has_errmsg = true;
	}
	return NL_STOP;
}

int ppt_open(struct ppt_handle **out)
{
	struct ppt_handle *h;
	int one = 1, ret;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		free(h);
		return -ENOMEM;
	}
	ret = genl_connect(h->sk);
	if (ret < 0) {
		ret = nl_to_errno(ret);
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
	nl_socket_free(h->sk);
	free(h);
}

const char *ppt_errmsg(const struct ppt_handle *h)
{
	return h && h->has_errmsg ? h->errmsg : NULL;
}

const char *ppt_blocker(const struct ppt_handle *h, const char **driver)
{
	if (!h || !h->blocker[0])
		return NULL;
	if (driver)
		*driver = h->blocker_driver;
	return h->blocker;
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
	int err = nl_to_errno(nlerr);

	if (err == -EIO) {
		snprintf(h->errmsg, sizeof(h->errmsg), "netlink: %s",
			 nl_geterror(nlerr));
		h->has_errmsg = true;
	}
	return err;
}

/*
 * Send msg (consumed) and receive until the request completes: its ACK
 * (every request asks for one), its error, or the end of its dump.
 * Replies go to on_device().  Returns 0 or a negative errno.
 */
static int transact(struct ppt_handle *h, struct nl_msg *msg,
		    struct request *req)
{
	struct nl_cb *cb;
	int ret;

	h->has_errmsg = false;
	h->blocker[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_device, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_finish, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, req);
	ret = nl_send_auto(h->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		ret = nl_error(h, ret);
		goto out;
	}
	do {
		ret = nl_recvmsgs(h->sk, cb);
	} while (ret >= 0 && !req->complete && !req->error);
	if (req->error)
		ret = req->error;
	else if (ret < 0)
		ret = nl_error(h, ret);
	else
		ret = 0;
out:
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

int ppt_device_get(struct ppt_handle *h, const char *addr,
		   struct ppt_device_info *out)
{
	char canon[PPT_ADDR_BUFLEN];
	struct request req = { .h = h };
	struct nl_msg *msg;
	int ret;

	if (ppt_addr_normalize(addr, canon))
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

int ppt_device_list(struct ppt_handle *h, struct ppt_device_info **out,
		    size_t *n)
{
	int attempt, ret = -EAGAIN;

	for (attempt = 0; attempt < DUMP_RETRIES && ret == -EAGAIN; attempt++) {
		struct request req = { .h = h };
		struct nl_msg *msg = new_request(h, PPT_CMD_DEVICE_GET,
						 NLM_F_DUMP);

		if (!msg)
			return -ENOMEM;
		ret = transact(h, msg, &req);
		if (ret) {
			free(req.devs);
			continue;
		}
		*out = req.devs;
		*n = req.ndevs;
	}
	return ret;
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
		return nl_to_errno(ret);
	}
	nl_socket_set_buffer_size(ev, 1 << 20, 0);
	*out = ev;
	return 0;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[PPT_A_MAX + 1];

	if (gh->cmd != PPT_CMD_REQUEST_NTF ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, dev_policy) < 0 ||
	    !tb[PPT_A_REQ_ID] || nla_get_u64(tb[PPT_A_REQ_ID]) != req->req_id)
		return NL_OK;
	req->done = true;
	req->outcome = tb[PPT_A_REQ_ERRNO] ?
		-(int)nla_get_u32(tb[PPT_A_REQ_ERRNO]) : -EPROTO;
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

/* Wait on the events socket for the outcome of request req->req_id. */
static int wait_outcome(struct ppt_handle *h, struct nl_sock *ev,
			struct request *req, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret = 0;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, req);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	while (!req->done) {
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
		/* a socket overrun loses notifications: maybe the outcome */
		if (ret == -NLE_NOMEM) {
			snprintf(h->errmsg, sizeof(h->errmsg),
				 "the outcome notification was lost (socket overrun): check the device");
			h->has_errmsg = true;
			ret = -ENOBUFS;
		} else {
			ret = nl_error(h, ret);
		}
		break;
	}
	nl_cb_put(cb);
	if (!ret && req->done)
		ret = req->outcome;
	if (ret == -ETIMEDOUT) {
		snprintf(h->errmsg, sizeof(h->errmsg),
			 "no outcome yet (request %llu goes on in the kernel)",
			 (unsigned long long)req->req_id);
		h->has_errmsg = true;
	}
	return ret;
}

/* Send a mutation and, for asynchronous ones, wait for its outcome. */
static int mutate(struct ppt_handle *h, uint8_t cmd, const char *addr,
		  const char *owner, bool force, bool async, int timeout_ms)
{
	char canon[PPT_ADDR_BUFLEN];
	struct request req = { .h = h };
	struct nl_sock *ev = NULL;
	struct nl_msg *msg;
	int ret;

	if (ppt_addr_normalize(addr, canon))
		return -EINVAL;
	if (async && timeout_ms != 0) {
		ret = open_events(h, &ev);
		if (ret)
			return ret;
	}
	msg = new_request(h, cmd, 0);
	if (!msg ||
	    nla_put_string(msg, PPT_A_DEV_ADDR, canon) < 0 ||
	    (owner && nla_put_string(msg, PPT_A_DEV_OWNER, owner) < 0) ||
	    (force && nla_put_flag(msg, PPT_A_FORCE) < 0)) {
		nlmsg_free(msg);
		ret = -ENOMEM;
		goto out;
	}
	ret = transact(h, msg, &req);
	if (ret || !ev)
		goto out;
	if (!req.have_req_id) {
		ret = -EPROTO;
		goto out;
	}
	ret = wait_outcome(h, ev, &req, timeout_ms);
out:
	free(req.devs);
	if (ev)
		nl_socket_free(ev);
	return ret;
}

int ppt_device_reserve(struct ppt_handle *h, const char *addr, bool force,
		       int timeout_ms)
{
	return mutate(h, PPT_CMD_DEVICE_RESERVE, addr, NULL, force, true,
		      timeout_ms);
}

int ppt_device_release(struct ppt_handle *h, const char *addr, int timeout_ms)
{
	return mutate(h, PPT_CMD_DEVICE_RELEASE, addr, NULL, false, true,
		      timeout_ms);
}

int ppt_device_claim(struct ppt_handle *h, const char *addr,
		     const char *owner)
{
	return mutate(h, PPT_CMD_DEVICE_CLAIM, addr, owner, false, false, 0);
}

int ppt_device_unclaim(struct ppt_handle *h, const char *addr,
		       const char *owner)
{
	return mutate(h, PPT_CMD_DEVICE_UNCLAIM, addr, owner, false, false, 0);
}

int ppt_device_assign(struct ppt_handle *h, const char *addr,
		      const char *owner, int timeout_ms)
{
	return mutate(h, PPT_CMD_DEVICE_ASSIGN, addr, owner, false, true,
		      timeout_ms);
}

int ppt_device_unassign(struct ppt_handle *h, const char *addr,
			const char *owner, int timeout_ms)
{
	return mutate(h, PPT_CMD_DEVICE_UNASSIGN, addr, owner, false, true,
		      timeout_ms);
}
