// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: event subscriptions.
 *
 * A subscription is a second socket in the events group of the family, and
 * in the "notify" group of the generic netlink controller, which announces
 * families coming and going: when ppt is unloaded its group disappears with
 * every membership, so libppt says so, and joins the new group when ppt is
 * loaded again.  Messages are parsed into a queue; ppt_events_next() hands
 * them out one at a time.  Sequence numbers are checked as messages arrive:
 * a jump queues a lost-events notice ahead of the event that revealed it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "ppt_internal.h"

/* Room for bursts: an assign of a large group announces every function. */
#define EVENTS_RCVBUF	(1 << 20)

/* A new event at the end of the queue; NULL without memory. */
static struct ppt_event *push(struct ppt_events *ev, enum ppt_event_type type)
{
	struct ppt_event *e;

	if (ev->head == ev->len)
		ev->head = ev->len = 0;
	if (ev->len == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 8;
		struct ppt_event **q = realloc(ev->q, cap * sizeof(*q));

		if (!q)
			return NULL;
		ev->q = q;
		ev->cap = cap;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->type = type;
	ev->q[ev->len++] = e;
	return e;
}

struct ppt_event *ppt__events_pop(struct ppt_events *ev)
{
	if (ev->head == ev->len)
		return NULL;
	return ev->q[ev->head++];
}

void ppt__events_flush(struct ppt_events *ev)
{
	while (ev->head < ev->len)
		ppt_event_free(ev->q[ev->head++]);
	ev->head = ev->len = 0;
}

int ppt__events_lost(struct ppt_events *ev, enum ppt_lost_reason why,
		     uint64_t count)
{
	struct ppt_event *e = push(ev, PPT_EVENT_LOST);

	if (!e)
		return -ENOMEM;
	e->lost_reason = why;
	e->lost = count;
	e->lost_after = ev->last_seq;
	/* whatever follows is compared with nothing: the caller resyncs */
	ev->last_seq = 0;
	return 0;
}

/* Check a notification's sequence number against the last one seen. */
static int check_seq(struct ppt_events *ev, uint64_t seq)
{
	uint64_t last = ev->last_seq;
	int ret = 0;

	if (last && seq > last + 1)
		ret = ppt__events_lost(ev, PPT_LOST_GAP, seq - last - 1);
	else if (last && seq <= last)
		ret = ppt__events_lost(ev, PPT_LOST_RESTART, 0);
	ev->last_seq = seq;
	return ret;
}

static struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
	[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING },
	[CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
};

static struct nla_policy grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { .type = NLA_STRING },
	[CTRL_ATTR_MCAST_GRP_ID] = { .type = NLA_U32 },
};

/* The id of ppt's events group in a controller message, or -1. */
static int events_group_of(struct nlattr *groups)
{
	struct nlattr *g, *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	int rem;

	if (!groups)
		return -1;
	nla_for_each_nested(g, groups, rem) {
		if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, g, grp_policy) < 0 ||
		    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!strcmp(nla_get_string(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    PPT_GENL_MCGRP_EVENTS))
			return (int)nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return -1;
}

/* The controller announced a family, or a group, coming or going. */
static int handle_ctrl(struct ppt_handle *h, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct ppt_events *ev = h->ev;
	int grp;

	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, ctrl_policy) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), PPT_GENL_NAME))
		return 0;
	switch (gh->cmd) {
	case CTRL_CMD_DELFAMILY:
		/* a module loaded next may be another release: ask it again */
		ppt__family_reset(&h->fam);
		if (ev->gone)
			return 0;
		ev->gone = true;
		return ppt__events_lost(ev, PPT_LOST_UNLOADED, 0);
	case CTRL_CMD_NEWFAMILY:
		ppt__family_reset(&h->fam);
		/* fall through */
	case CTRL_CMD_NEWMCAST_GRP:
		grp = events_group_of(tb[CTRL_ATTR_MCAST_GROUPS]);
		if (tb[CTRL_ATTR_FAMILY_ID])
			h->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
		if (grp >= 0) {
			h->events_group = grp;
			/* tests feed messages to a handle without sockets */
			if (ev->sk)
				nl_socket_add_membership(ev->sk, grp);
		}
		if (!ev->gone || gh->cmd != CTRL_CMD_NEWFAMILY)
			return 0;
		ev->gone = false;
		return ppt__events_lost(ev, PPT_LOST_RESTART, 0);
	}
	return 0;
}

int ppt__events_handle(struct ppt_handle *h, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[PPT_A_MAX + 1];
	struct ppt_events *ev = h->ev;
	struct genlmsghdr *gh;
	struct ppt_event *e;
	int ret = 0;

	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return handle_ctrl(h, msg);
	if (nlh->nlmsg_type != h->family ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;
	gh = nlmsg_data(nlh);
	if (genlmsg_parse(nlh, 0, tb, PPT_A_MAX, ppt__policy) < 0)
		return ppt__events_lost(ev, PPT_LOST_GAP, 1);
	if (tb[PPT_A_EVENT_SEQ]) {
		ret = check_seq(ev, nla_get_u64(tb[PPT_A_EVENT_SEQ]));
		if (ret)
			return ret;
	}
	/* a notification this libppt does not know still counted above */
	if (gh->cmd != PPT_CMD_DEVICE_NTF && gh->cmd != PPT_CMD_REQUEST_NTF)
		return 0;
	e = push(ev, gh->cmd == PPT_CMD_DEVICE_NTF ? PPT_EVENT_DEVICE :
						     PPT_EVENT_REQUEST);
	if (!e)
		return -ENOMEM;
	if (e->type == PPT_EVENT_DEVICE) {
		e->dev = ppt__dev_parse(tb, &ret);
		e->removed = tb[PPT_A_DEV_REMOVED] != NULL;
	} else {
		e->req = ppt__req_parse(nlh, tb, &ret);
	}
	e->seq = tb[PPT_A_EVENT_SEQ] ? nla_get_u64(tb[PPT_A_EVENT_SEQ]) : 0;
	if (!e->dev && !e->req) {
		/* unusable: drop it and say one was lost */
		ev->len--;
		ppt_event_free(e);
		return ret == -ENOMEM ? ret : ppt__events_lost(ev, PPT_LOST_GAP, 1);
	}
	return 0;
}

static int on_message(struct nl_msg *msg, void *arg)
{
	struct ppt_handle *h = arg;
	int ret = ppt__events_handle(h, msg);

	if (ret && !h->ev->error)
		h->ev->error = ret;
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int ppt_events_subscribe(struct ppt_handle *h)
{
	struct ppt_events *ev;
	int ret, ctrl;

	if (h->ev)
		return 0;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->sk = nl_socket_alloc();
	ev->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ev->sk || !ev->cb) {
		ret = -ENOMEM;
		goto fail;
	}
	nl_socket_disable_seq_check(ev->sk);
	ret = genl_connect(ev->sk);
	if (!ret)
		ret = nl_socket_add_membership(ev->sk, h->events_group);
	if (!ret)
		ret = nl_socket_set_nonblocking(ev->sk);
	if (ret < 0) {
		ret = ppt__nl_errno(ret);
		goto fail;
	}
	/* without the controller's notices, unload and reload go unnoticed */
	ctrl = genl_ctrl_resolve_grp(ev->sk, "nlctrl", "notify");
	if (ctrl >= 0)
		nl_socket_add_membership(ev->sk, ctrl);
	nl_socket_set_buffer_size(ev->sk, EVENTS_RCVBUF, 0);
	nl_cb_set(ev->cb, NL_CB_VALID, NL_CB_CUSTOM, on_message, h);
	nl_cb_set(ev->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	h->ev = ev;
	return 0;
fail:
	if (ev->cb)
		nl_cb_put(ev->cb);
	nl_socket_free(ev->sk);
	free(ev);
	return ret;
}

void ppt_events_unsubscribe(struct ppt_handle *h)
{
	if (!h || !h->ev)
		return;
	if (h->ev->cb)
		nl_cb_put(h->ev->cb);
	nl_socket_free(h->ev->sk);
	ppt__events_flush(h->ev);
	free(h->ev->q);
	free(h->ev);
	h->ev = NULL;
}

int ppt_events_fd(const struct ppt_handle *h)
{
	if (!h || !h->ev || !h->ev->sk)
		return -EINVAL;
	return nl_socket_get_fd(h->ev->sk);
}

int ppt_events_next(struct ppt_handle *h, struct ppt_event **out,
		    int timeout_ms)
{
	long long deadline = ppt__now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	struct ppt_events *ev;
	int ret;

	*out = NULL;
	if (!h || !h->ev || !h->ev->sk)
		return -EINVAL;
	ev = h->ev;
	for (;;) {
		struct pollfd pfd = { .fd = nl_socket_get_fd(ev->sk), .events = POLLIN };
		int wait;

		*out = ppt__events_pop(ev);
		if (*out)
			return 0;
		if (ev->error) {
			ret = ev->error;
			ev->error = 0;
			return ret;
		}
		wait = timeout_ms < 0 ? -1 : (int)(deadline - ppt__now_ms());
		if (wait < 0)
			wait = 0;
		ret = poll(&pfd, 1, wait);
		if (ret < 0)
			return errno == EINTR ? -EINTR : -errno;
		if (ret == 0)
			return -EAGAIN;
		ret = nl_recvmsgs(ev->sk, ev->cb);
		if (ret >= 0 || ret == -NLE_AGAIN)
			continue;
		/* ENOBUFS: the kernel dropped notifications for this socket */
		if (ret == -NLE_NOMEM) {
			ret = ppt__events_lost(ev, PPT_LOST_OVERRUN, 0);
			if (ret)
				return ret;
			continue;
		}
		return ppt__nl_errno(ret);
	}
}

enum ppt_event_type ppt_event_type(const struct ppt_event *ev)
{
	return ev->type;
}

uint64_t ppt_event_seq(const struct ppt_event *ev)
{
	return ev->seq;
}

const struct ppt_dev *ppt_event_dev(const struct ppt_event *ev)
{
	return ev->dev;
}

bool ppt_event_removed(const struct ppt_event *ev)
{
	return ev->removed;
}

const struct ppt_req *ppt_event_req(const struct ppt_event *ev)
{
	return ev->req;
}

enum ppt_lost_reason ppt_event_lost_reason(const struct ppt_event *ev)
{
	return ev->lost_reason;
}

uint64_t ppt_event_lost_count(const struct ppt_event *ev)
{
	return ev->lost;
}

uint64_t ppt_event_lost_after(const struct ppt_event *ev)
{
	return ev->lost_after;
}

void ppt_event_free(struct ppt_event *ev)
{
	if (!ev)
		return;
	ppt_dev_free(ev->dev);
	ppt_req_free(ev->req);
	free(ev);
}
