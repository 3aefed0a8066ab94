// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: the sanitise agent (PPT_CMD_AGENT_REGISTER, PPT_CMD_AGENT_GET,
 * PPT_CMD_SANITISE_REQ_NTF and PPT_CMD_SANITISE_DONE).
 *
 * The kernel sends its sanitise requests by unicast to the socket that
 * registered: the handle's request socket, where the replies to the
 * handle's own requests arrive too.  The transport (libppt.c) shows every
 * message it reads there to ppt__agent_take() first, so a request that
 * arrives while a call waits for its reply is queued, not taken for that
 * reply (nor lost); ppt_agent_next() hands the queue out and reads the
 * socket when the queue is empty.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "ppt_internal.h"

struct ppt_sanitise_req *ppt__sanitise_req_parse(struct nlattr **tb, int *err)
{
	struct ppt_sanitise_req *r;

	if (!tb[PPT_A_SANITISE_ID] || !tb[PPT_A_DEV_ADDR] || !tb[PPT_A_SANITISER]) {
		*err = -EPROTO;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		*err = -ENOMEM;
		return NULL;
	}
	r->id = nla_get_u64(tb[PPT_A_SANITISE_ID]);
	ppt__copy_str(r->addr, sizeof(r->addr), tb[PPT_A_DEV_ADDR]);
	ppt__copy_str(r->sanitiser, sizeof(r->sanitiser), tb[PPT_A_SANITISER]);
	if (tb[PPT_A_SANITISE_TIMEOUT])
		r->timeout = nla_get_u32(tb[PPT_A_SANITISE_TIMEOUT]);
	r->inspect = tb[PPT_A_INSPECT] != NULL;
	return r;
}

static int push(struct ppt_agent_q *q, struct ppt_sanitise_req *r)
{
	if (q->head == q->len)
		q->head = q->len = 0;
	if (q->len == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 8;
		struct ppt_sanitise_req **n = realloc(q->q, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		q->q = n;
		q->cap = cap;
	}
	q->q[q->len++] = r;
	return 0;
}

struct ppt_sanitise_req *ppt__agent_pop(struct ppt_agent_q *q)
{
	if (q->head == q->len)
		return NULL;
	return q->q[q->head++];
}

void ppt__agent_flush(struct ppt_agent_q *q)
{
	while (q->head < q->len)
		ppt_sanitise_req_free(q->q[q->head++]);
	free(q->q);
	q->q = NULL;
	q->head = q->len = q->cap = 0;
}

bool ppt__agent_take(struct ppt_handle *h, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[PPT_A_MAX + 1];
	struct ppt_sanitise_req *r;
	int err = 0;

	if (nlh->nlmsg_type != h->family ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    ((struct genlmsghdr *)nlmsg_data(nlh))->cmd != PPT_CMD_SANITISE_REQ_NTF)
		return false;
	/*
	 * A request that cannot be used is still the agent's, not a reply:
	 * ppt_agent_next() says so once, and the kernel times it out.
	 */
	if (genlmsg_parse(nlh, 0, tb, PPT_A_MAX, ppt__policy) < 0)
		err = -EPROTO;
	else if ((r = ppt__sanitise_req_parse(tb, &err)) && (err = push(&h->agent, r)))
		ppt_sanitise_req_free(r);
	if (err && !h->agent.error)
		h->agent.error = err;
	return true;
}

int ppt_agent_register(struct ppt_handle *h, unsigned int flags)
{
	struct ppt__request req = { .h = h };
	struct nl_msg *msg;
	int ret;

	ppt__clear_error(h);
	if (ppt__check_flags(h, flags, PPT_AGENT_INSPECTS))
		return -EINVAL;
	msg = ppt__new_request(h, PPT_CMD_AGENT_REGISTER, 0);
	if (!msg)
		return -ENOMEM;
	/* a module older than inspection sends none: nothing to say */
	if ((flags & PPT_AGENT_INSPECTS) &&
	    ppt_supports_attr(h, PPT_CMD_AGENT_REGISTER, PPT_A_INSPECT) == 1 &&
	    nla_put_flag(msg, PPT_A_INSPECT) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = ppt__transact(h, msg, &req);
	if (!ret)
		h->agent.registered = true;
	else if (ret == -EBUSY && !h->has_errmsg)
		ppt__set_errmsg(h, "another sanitise agent is registered (pptadm agent status)");
	ppt__request_free(&req);
	return ret;
}

int ppt_agent_fd(const struct ppt_handle *h)
{
	if (!h || !h->agent.registered)
		return -EINVAL;
	return nl_socket_get_fd(h->sk);
}

/* While no request of the handle's is waiting, every message is the agent's or stale. */
static int agent_seq(struct nl_msg *msg, void *arg)
{
	ppt__agent_take(arg, msg);
	return NL_SKIP;
}

int ppt_agent_next(struct ppt_handle *h, struct ppt_sanitise_req **out, int timeout_ms)
{
	long long deadline = ppt__now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	struct nl_cb *cb = NULL;
	int ret;

	*out = NULL;
	if (!h || !h->agent.registered)
		return -EINVAL;
	ppt__clear_error(h);
	for (;;) {
		struct pollfd pfd = { .fd = nl_socket_get_fd(h->sk), .events = POLLIN };
		int wait;

		*out = ppt__agent_pop(&h->agent);
		if (*out) {
			ret = 0;
			break;
		}
		if (h->agent.error) {
			ret = h->agent.error;
			h->agent.error = 0;
			ppt__set_errmsg(h, "a sanitise request could not be read (%s): the kernel times it out",
					ret == -ENOMEM ? "out of memory" : "malformed");
			break;
		}
		wait = timeout_ms < 0 ? -1 : (int)(deadline - ppt__now_ms());
		if (wait < 0)
			wait = 0;
		ret = poll(&pfd, 1, wait);
		if (ret < 0) {
			ret = -errno;
			break;
		}
		if (ret == 0) {
			ret = -EAGAIN;
			break;
		}
		if (!cb) {
			cb = nl_cb_alloc(NL_CB_DEFAULT);
			if (!cb) {
				ret = -ENOMEM;
				break;
			}
			nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, agent_seq, h);
		}
		ret = nl_recvmsgs(h->sk, cb);
		if (ret >= 0 || ret == -NLE_AGAIN)
			continue;
		/* ENOBUFS: the kernel could not queue requests for this socket */
		if (ret == -NLE_NOMEM) {
			ppt__set_errmsg(h, "the agent's socket overran: sanitise requests were lost (the kernel times them out)");
			ret = -ENOBUFS;
		} else {
			ret = ppt__nl_errno(ret);
		}
		break;
	}
	if (cb)
		nl_cb_put(cb);
	return ret;
}

uint64_t ppt_sanitise_req_id(const struct ppt_sanitise_req *r)
{
	return r->id;
}

const char *ppt_sanitise_req_addr(const struct ppt_sanitise_req *r)
{
	return r->addr;
}

const char *ppt_sanitise_req_sanitiser(const struct ppt_sanitise_req *r)
{
	return r->sanitiser;
}

uint32_t ppt_sanitise_req_timeout(const struct ppt_sanitise_req *r)
{
	return r->timeout;
}

bool ppt_sanitise_req_inspect(const struct ppt_sanitise_req *r)
{
	return r->inspect;
}

void ppt_sanitise_req_free(struct ppt_sanitise_req *r)
{
	free(r);
}

static int parse_agent(struct ppt__request *req, struct nlmsghdr *nlh,
		       struct nlattr **tb)
{
	struct ppt_agent *a;

	(void)nlh;
	if (!tb[PPT_A_AGENT_PORTID] || !tb[PPT_A_AGENT_PID])
		return -EPROTO;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->portid = nla_get_u32(tb[PPT_A_AGENT_PORTID]);
	a->pid = nla_get_u32(tb[PPT_A_AGENT_PID]);
	if (tb[PPT_A_AGENT_PENDING])
		a->pending = nla_get_u32(tb[PPT_A_AGENT_PENDING]);
	return ppt__push_item(req, a);
}

int ppt_agent_get(struct ppt_handle *h, struct ppt_agent **out)
{
	struct ppt__request req = { .h = h, .parse = parse_agent };
	struct nl_msg *msg;
	int ret;

	ppt__clear_error(h);
	*out = NULL;
	msg = ppt__new_request(h, PPT_CMD_AGENT_GET, 0);
	if (!msg)
		return -ENOMEM;
	ret = ppt__transact_one(h, msg, &req, (void **)out);
	if (ret == -ENOENT && !h->has_errmsg)
		ppt__set_errmsg(h, "no sanitise agent is registered");
	return ret;
}

uint32_t ppt_agent_portid(const struct ppt_agent *a)
{
	return a->portid;
}

uint32_t ppt_agent_pid(const struct ppt_agent *a)
{
	return a->pid;
}

uint32_t ppt_agent_pending(const struct ppt_agent *a)
{
	return a->pending;
}

void ppt_agent_free(struct ppt_agent *a)
{
	free(a);
}

/*
 * Put a text the kernel takes up to PPT_SANITISE_TEXT_MAX - 1 bytes of,
 * cut there if longer, before a UTF-8 character rather than inside it: an
 * answer must reach the kernel even when a sanitiser said too much.
 */
static int put_text(struct nl_msg *msg, int attr, const char *s)
{
	char buf[PPT_SANITISE_TEXT_MAX];
	size_t n;

	if (!s)
		return 0;
	n = strlen(s);
	if (n >= sizeof(buf)) {
		n = sizeof(buf) - 1;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return nla_put_string(msg, attr, buf);
}

int ppt_sanitise_done(struct ppt_handle *h, uint64_t id, const char *addr, int error,
		      const char *msg, const char *method, const char *verified,
		      unsigned int flags)
{
	char canon[PPT_ADDR_BUFLEN];
	struct ppt__request req = { .h = h };
	struct nl_msg *m;
	int ret;

	ppt__clear_error(h);
	if (ppt__check_flags(h, flags, 0) || ppt__check_addr(h, addr, canon))
		return -EINVAL;
	if (error > 0 || error < -4095) {
		ppt__set_errmsg(h, "the outcome must be 0 or a negative errno, not %d", error);
		return -EINVAL;
	}
	m = ppt__new_request(h, PPT_CMD_SANITISE_DONE, 0);
	if (!m)
		return -ENOMEM;
	if (nla_put_u64(m, PPT_A_SANITISE_ID, id) < 0 ||
	    nla_put_string(m, PPT_A_DEV_ADDR, canon) < 0 ||
	    nla_put_u32(m, PPT_A_REQ_ERRNO, (uint32_t)-error) < 0 ||
	    put_text(m, PPT_A_REQ_MSG, msg && msg[0] ? msg : NULL) < 0 ||
	    put_text(m, PPT_A_SANITISE_METHOD, method && method[0] ? method : NULL) < 0 ||
	    put_text(m, PPT_A_SANITISE_VERIFIED,
		     verified && verified[0] ? verified : NULL) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	ret = ppt__transact(h, m, &req);
	if (ret == -ENOENT && !h->has_errmsg)
		ppt__set_errmsg(h, "the kernel has no sanitise request %llu for %s (it timed out)",
				(unsigned long long)id, canon);
	ppt__request_free(&req);
	return ret;
}
