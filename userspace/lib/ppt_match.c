// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: runtime matches, the twins of the boot lists.  Adding one is
 * asynchronous since protocol 2: the entry is added at once, and the
 * outcome (PPT_CMD_REQUEST_NTF) names the devices it reserved.  A module
 * of protocol 1 adds it synchronously, with no request id.
 */
#include <errno.h>
#include <stdlib.h>

#include <netlink/genl/genl.h>

#include "ppt_internal.h"

/* The attribute that carries each kind of match entry. */
static const int match_attr[] = {
	[PPT_MATCH_IDS] = PPT_A_MATCH_IDS,
	[PPT_MATCH_DEVICE] = PPT_A_MATCH_DEVICE,
	[PPT_MATCH_PATH] = PPT_A_MATCH_PATH,
	[PPT_MATCH_VFS] = PPT_A_MATCH_VFS,
};

#define NMATCH_KINDS (sizeof(match_attr) / sizeof(match_attr[0]))

struct ppt_match *ppt__match_parse(struct nlattr **tb, int *err)
{
	struct ppt_match *m;
	size_t k;

	for (k = 0; k < NMATCH_KINDS; k++)
		if (tb[match_attr[k]])
			break;
	if (k == NMATCH_KINDS) {
		*err = -EPROTO;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		*err = -ENOMEM;
		return NULL;
	}
	m->kind = (enum ppt_match_kind)k;
	ppt__copy_str(m->text, sizeof(m->text), tb[match_attr[k]]);
	m->boot = tb[PPT_A_MATCH_BOOT] != NULL;
	m->reset_pref = -1;
	if (tb[PPT_A_DEV_RESET_PREF] &&
	    nla_get_u32(tb[PPT_A_DEV_RESET_PREF]) <= INT32_MAX)
		m->reset_pref = (int32_t)nla_get_u32(tb[PPT_A_DEV_RESET_PREF]);
	return m;
}

enum ppt_match_kind ppt_match_kind(const struct ppt_match *m)
{
	return m->kind;
}

const char *ppt_match_text(const struct ppt_match *m)
{
	return m->text;
}

bool ppt_match_boot(const struct ppt_match *m)
{
	return m->boot;
}

int ppt_match_reset_pref(const struct ppt_match *m)
{
	return m->reset_pref;
}

void ppt_match_list_free(struct ppt_match **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

static int parse_match_reply(struct ppt__request *req, struct nlmsghdr *nlh,
			     struct nlattr **tb)
{
	int err = 0;
	struct ppt_match *m = ppt__match_parse(tb, &err);

	(void)nlh;
	return m ? ppt__push_item(req, m) : err;
}

static void put_match(void *list, size_t i, void *item)
{
	((struct ppt_match **)list)[i] = item;
}

int ppt_match_list(struct ppt_handle *h, struct ppt_match ***out, size_t *n)
{
	void *list;
	int ret = ppt__list(h, PPT_CMD_MATCH_GET, parse_match_reply, put_match,
			    &list, n);

	*out = list;
	return ret;
}

/* The request for an entry, or NULL with the reason (-EINVAL, -ENOMEM). */
static struct nl_msg *match_request(struct ppt_handle *h, uint8_t cmd,
				    enum ppt_match_kind kind, const char *text,
				    uint32_t pref, int *err)
{
	struct nl_msg *msg;

	*err = -EINVAL;
	if ((unsigned int)kind >= NMATCH_KINDS) {
		ppt__set_errmsg(h, "unknown match kind %d", (int)kind);
		return NULL;
	}
	if (!text) {
		ppt__set_errmsg(h, "no match entry given");
		return NULL;
	}
	if (ppt__check_method(h, pref))
		return NULL;
	*err = -ENOMEM;
	msg = ppt__new_request(h, cmd, 0);
	if (!msg)
		return NULL;
	if (nla_put_string(msg, match_attr[kind], text) < 0) {
		nlmsg_free(msg);
		ppt__set_errmsg(h, "match entry too long for a netlink message");
		*err = -EINVAL;
		return NULL;
	}
	if (pref != PPT_RESET_AUTO &&
	    nla_put_u32(msg, PPT_A_DEV_RESET_PREF, pref) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int ppt_match_add(struct ppt_handle *h, enum ppt_match_kind kind,
		  const char *text, uint32_t reset_pref, unsigned int flags,
		  int timeout_ms, uint64_t *req_id, struct ppt_req **outcome)
{
	struct ppt__request req = { .h = h, .want_outcome_req = true };
	struct nl_sock *ev = NULL;
	struct nl_msg *msg;
	int ret;

	ppt__clear_error(h);
	if (req_id)
		*req_id = 0;
	if (outcome)
		*outcome = NULL;
	if (ppt__check_flags(h, flags, 0))
		return -EINVAL;
	msg = match_request(h, PPT_CMD_MATCH_ADD, kind, text, reset_pref, &ret);
	if (!msg)
		return ret;
	if (timeout_ms != 0) {
		ret = ppt__open_events(h, &ev);
		if (ret) {
			nlmsg_free(msg);
			return ret;
		}
	}
	ret = ppt__transact(h, msg, &req);
	/* without a request id the module added it synchronously (protocol 1) */
	if (!ret && req.have_req_id) {
		if (req_id)
			*req_id = req.req_id;
		if (ev)
			ret = ppt__wait_outcome(h, ev, &req, timeout_ms);
		if (req.done && outcome) {
			*outcome = req.outcome_req;
			req.outcome_req = NULL;
		}
	}
	if (ev)
		nl_socket_free(ev);
	ppt__request_free(&req);
	return ret;
}

int ppt_match_del(struct ppt_handle *h, enum ppt_match_kind kind,
		  const char *text, unsigned int flags)
{
	struct ppt__request req = { .h = h };
	struct nl_msg *msg;
	int ret;

	ppt__clear_error(h);
	if (ppt__check_flags(h, flags, 0))
		return -EINVAL;
	msg = match_request(h, PPT_CMD_MATCH_DEL, kind, text, PPT_RESET_AUTO, &ret);
	if (!msg)
		return ret;
	return ppt__transact(h, msg, &req);
}
