// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: several devices cleaned side by side (ppt_devices_clean()).
 * Every request goes out before any outcome is awaited, so the kernel runs
 * the cleans concurrently; the outcomes are gathered from one events
 * socket opened before the first request.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "ppt_internal.h"

/*
 * A batch's requests: @pending ones await their outcome notification;
 * @following ones were refused because another request of the batch is
 * cleaning them already (a function of a multi-function slot goes with its
 * slot's bus reset), and their outcome is read from the device.
 */
struct batch {
	struct ppt_req **out;
	bool *pending, *following;
	size_t n, npending;
};

static int on_batch_outcome(struct nl_msg *msg, void *arg)
{
	struct batch *b = arg;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[PPT_A_MAX + 1];
	struct ppt_req *r;
	int err = 0;
	size_t i;

	if (gh->cmd != PPT_CMD_REQUEST_NTF ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, PPT_A_MAX, ppt__policy) < 0 ||
	    !tb[PPT_A_REQ_ID])
		return NL_OK;
	for (i = 0; i < b->n; i++) {
		if (!b->pending[i] ||
		    b->out[i]->id != nla_get_u64(tb[PPT_A_REQ_ID]))
			continue;
		r = ppt__req_parse(nlmsg_hdr(msg), tb, &err);
		if (!r)
			return NL_OK;	/* unusable: the deadline decides */
		/* the name the caller gave, as the refused ones keep */
		memcpy(r->addr, b->out[i]->addr, sizeof(r->addr));
		ppt_req_free(b->out[i]);
		b->out[i] = r;
		b->pending[i] = false;
		b->npending--;
		break;
	}
	return b->npending ? NL_OK : NL_STOP;
}

/*
 * Is the clean of @dev still going on?  Cleaning, or its first step,
 * sanitising, or between the two: dirty, sanitised, about to be cleaned.
 */
static bool batch_still_cleaning(const struct ppt_dev *dev)
{
	return dev->state == PPT_STATE_CLEANING ||
	       dev->state == PPT_STATE_SANITISING ||
	       (dev->state == PPT_STATE_DIRTY &&
		ppt_dev_has_attr(dev, PPT_A_DEV_SANITISED));
}

/*
 * Learn the outcomes of the devices flagged in @wait from the devices
 * themselves, each once it has left the cleaning state: those whose
 * notification an overrun lost, and those another request cleans.  A
 * failed clean ends quarantined, or dirty (its sanitiser did not run or
 * timed out); any other state means it succeeded (and somebody may have
 * claimed the device since).
 */
static int batch_poll(struct ppt_handle *h, struct batch *b, bool *wait,
		      long long deadline, int timeout_ms)
{
	struct ppt_dev *dev;
	struct ppt_req *r;
	size_t i;
	int ret;

	for (i = 0; i < b->n; i++) {
		while (wait[i]) {
			r = b->out[i];
			ret = ppt_device_get(h, r->addr, &dev);
			if (ret) {
				r->error = ret;
				snprintf(r->msg, sizeof(r->msg), "%s", ppt_errmsg(h) ?: "");
			} else if (batch_still_cleaning(dev)) {
				ppt_dev_free(dev);
				if (timeout_ms >= 0 && ppt__now_ms() >= deadline)
					return -ETIMEDOUT;
				poll(NULL, 0, 20);
				continue;
			} else if (dev->state == PPT_STATE_QUARANTINED) {
				r->error = -EIO;
				snprintf(r->msg, sizeof(r->msg),
					 "quarantined (see the kernel log)");
			} else if (dev->state == PPT_STATE_DIRTY) {
				r->error = -EUCLEAN;
				snprintf(r->msg, sizeof(r->msg), "still dirty: %.240s",
					 dev->reason[0] ? dev->reason : "not cleaned");
			}
			ppt_dev_free(dev);
			if (wait == b->pending)
				b->npending--;
			wait[i] = false;
		}
	}
	ppt__clear_error(h);
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
	int ret = ppt__recv_until(h, ev, on_batch_outcome, b, batch_done,
				  deadline, timeout_ms);

	if (ret == -ENOBUFS)
		ret = batch_poll(h, b, b->pending, deadline, timeout_ms);
	return ret;
}

/*
 * What a request refused with EBUSY ("an operation is in progress on the
 * device") comes to, judged by the state the device is in when it is read
 * back.  The operation in the way is most often another request of the
 * batch cleaning the device with its reset domain (a function of a
 * multi-function slot goes with its slot's bus reset), and on a busy host
 * that clean may have ended by the time the state is read: then the device
 * is no longer cleaning but reserved, and that clean's outcome is its own.
 * EBUSY has reasons of the device's own too (claimed, assigned, a PF whose
 * VFs are in use): only the kernel's refusal for an operation in progress
 * (@in_progress: its message, PPT__MSG_IN_PROGRESS) is looked into.
 */
enum ppt__busy_next ppt__batch_after_busy(enum ppt_state now, bool in_progress)
{
	if (!in_progress)
		return PPT__BUSY_REFUSED;
	switch (now) {
	case PPT_STATE_CLEANING:	/* being cleaned: follow that clean */
	case PPT_STATE_SANITISING:	/* ... or erased first */
	case PPT_STATE_RESERVED:	/* it ended: clean ... */
	case PPT_STATE_QUARANTINED:	/* ... or failed */
		return PPT__BUSY_FOLLOW;
	case PPT_STATE_DIRTY:		/* what ended did not clean it */
	case PPT_STATE_DETACHED:	/* the resent request says why not */
		return PPT__BUSY_RESEND;
	default:			/* still busy, or claimed since */
		return PPT__BUSY_REFUSED;
	}
}

static enum ppt__busy_next batch_busy_next(struct ppt_handle *h, const char *addr,
					   const char *why)
{
	enum ppt__busy_next next = PPT__BUSY_REFUSED;
	bool in_progress = !strcmp(why, PPT__MSG_IN_PROGRESS);
	struct ppt_dev *dev = NULL;

	if (in_progress && !ppt_device_get(h, addr, &dev))
		next = ppt__batch_after_busy(dev->state, true);
	ppt_dev_free(dev);
	return next;
}

/* Mark what is still unknown at the deadline (or without memory). */
static void batch_unknown(struct batch *b, bool *wait, int ret)
{
	struct ppt_req *r;
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (!wait[i])
			continue;
		r = b->out[i];
		r->error = ret;
		if (ret == -ENOMEM)
			snprintf(r->msg, sizeof(r->msg), "out of memory");
		else if (r->id)
			snprintf(r->msg, sizeof(r->msg),
				 "no outcome yet (request %llu goes on in the kernel)",
				 (unsigned long long)r->id);
		else
			snprintf(r->msg, sizeof(r->msg),
				 "still cleaning (with another device of its reset domain)");
	}
}

/* Record a refusal as device i's outcome: its errno, reason and blocker. */
static void batch_refused(struct ppt_handle *h, struct ppt_req *r, int ret)
{
	r->error = ret;
	snprintf(r->msg, sizeof(r->msg), "%s", ppt_errmsg(h) ?: "");
	snprintf(r->blocker, sizeof(r->blocker), "%s", h->blocker);
	snprintf(r->blocker_driver, sizeof(r->blocker_driver), "%s",
		 h->blocker_driver);
}

/* Send device i's request; its refusal is its outcome. */
static void batch_send(struct ppt_handle *h, struct batch *b, size_t i,
		       const char *addr, uint32_t method, bool waiting)
{
	enum ppt__busy_next next = PPT__BUSY_REFUSED;
	struct ppt_req *r = b->out[i];
	int ret, tries;

	ppt__clear_error(h);
	if (ppt__check_addr(h, addr, r->addr)) {
		snprintf(r->addr, sizeof(r->addr), "%s", addr ? addr : "(null)");
		batch_refused(h, r, -EINVAL);
		return;
	}
	/* once more when what was in the way ended without cleaning it */
	for (tries = 0; tries < 2; tries++) {
		ret = ppt__send_clean(h, r->addr, method, &r->id);
		if (!ret) {
			r->error = 0;
			r->msg[0] = r->blocker[0] = r->blocker_driver[0] = '\0';
			if (waiting) {
				b->pending[i] = true;
				b->npending++;
			}
			return;
		}
		/* kept before reading the device clears the handle's error */
		batch_refused(h, r, ret);
		if (ret != -EBUSY)
			return;
		next = batch_busy_next(h, r->addr, r->msg);
		if (next != PPT__BUSY_RESEND)
			break;
	}
	if (next == PPT__BUSY_FOLLOW) {
		r->error = 0;
		r->msg[0] = r->blocker[0] = r->blocker_driver[0] = '\0';
		b->following[i] = waiting;
	}
}

int ppt_devices_clean(struct ppt_handle *h, const char *const *addrs,
		      size_t n, uint32_t method, unsigned int flags,
		      int timeout_ms, struct ppt_req ***out)
{
	long long deadline = ppt__now_ms() + timeout_ms;
	struct batch b = { .n = n };
	struct nl_sock *ev = NULL;
	size_t i, failed = 0, first = 0;
	int ret = 0;

	ppt__clear_error(h);
	*out = NULL;
	if (ppt__check_method(h, method) || ppt__check_flags(h, flags, 0))
		return -EINVAL;
	if (!n || !addrs) {
		ppt__set_errmsg(h, "no device given");
		return -EINVAL;
	}
	b.out = calloc(n + 1, sizeof(*b.out));
	b.pending = calloc(n, sizeof(*b.pending));
	b.following = calloc(n, sizeof(*b.following));
	for (i = 0; b.out && i < n; i++)
		if (!(b.out[i] = ppt__req_new(PPT_CMD_DEVICE_CLEAN, NULL)))
			break;
	if (!b.out || i < n || !b.pending || !b.following) {
		ppt_req_list_free(b.out);
		b.out = NULL;
		ret = -ENOMEM;
		goto out;
	}
	/* subscribed before the first request: no outcome can be missed */
	if (timeout_ms != 0) {
		ret = ppt__open_events(h, &ev);
		if (ret)
			goto out;
	}
	/* every request first, so the kernel runs the cleans side by side */
	for (i = 0; i < n; i++)
		batch_send(h, &b, i, addrs[i], method, ev != NULL);
	ppt__clear_error(h);
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
		if (b.out[i]->error && !failed++)
			first = i;
	ret = failed ? b.out[first]->error : 0;
	if (failed)
		ppt__set_errmsg(h, "%zu of %zu devices failed, the first %s: %s",
				failed, n, b.out[first]->addr,
				b.out[first]->msg[0] ? b.out[first]->msg :
				strerror(-ret));
out:
	if (ev)
		nl_socket_free(ev);
	free(b.pending);
	free(b.following);
	*out = b.out;
	return ret;
}
