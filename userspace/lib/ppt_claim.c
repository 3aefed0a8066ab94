// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: claims of several devices (PPT_CMD_CLAIM) and take-back
 * (PPT_CMD_TAKE).  A struct ppt_claim_spec collects what a claim asks
 * for; ppt_claim() checks it and sends it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ppt_internal.h"

struct ppt_claim_spec *ppt_claim_spec_new(const char *owner)
{
	struct ppt_claim_spec *c = calloc(1, sizeof(*c));

	if (c && owner && !(c->owner = strdup(owner))) {
		free(c);
		c = NULL;
	}
	return c;
}

int ppt_claim_spec_add_addr(struct ppt_claim_spec *c, const char *addr)
{
	if (!c || !addr)
		return -EINVAL;
	return ppt__addrs_push(&c->addrs, &c->naddrs, &c->cap, addr);
}

int ppt_claim_spec_set_match(struct ppt_claim_spec *c, const char *ids)
{
	char *m = NULL;

	if (!c)
		return -EINVAL;
	if (ids && !(m = strdup(ids)))
		return -ENOMEM;
	free(c->match);
	c->match = m;
	return 0;
}

int ppt_claim_spec_set_count(struct ppt_claim_spec *c, unsigned int count)
{
	if (!c)
		return -EINVAL;
	c->count = count;
	return 0;
}

void ppt_claim_spec_free(struct ppt_claim_spec *c)
{
	if (!c)
		return;
	free(c->owner);
	ppt_addrs_free(c->addrs);
	free(c->match);
	free(c);
}

/*
 * Hand a request's collected addresses to the caller (an empty list when
 * the kernel named none), or free them; returns the call's result.
 */
static int give_addrs(struct ppt__request *req, int ret, char ***out,
		      size_t *n)
{
	if (!ret && out && !req->addrs &&
	    !(req->addrs = calloc(1, sizeof(*req->addrs))))
		ret = -ENOMEM;
	if (!ret && out) {
		*out = req->addrs;
		req->addrs = NULL;
	}
	if (!ret && n)
		*n = req->naddrs;
	ppt__request_free(req);
	return ret;
}

static int start(struct ppt_handle *h, unsigned int flags, char ***out,
		 size_t *n)
{
	ppt__clear_error(h);
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	return ppt__check_flags(h, flags, PPT_CLAIM_LEASE);
}

int ppt_claim(struct ppt_handle *h, const struct ppt_claim_spec *c,
	      unsigned int flags, char ***out, size_t *n)
{
	char canon[PPT_ADDR_BUFLEN];
	struct ppt__request req = { .h = h, .want_addrs = true };
	struct nl_msg *msg;
	size_t i;

	if (start(h, flags, out, n))
		return -EINVAL;
	if (!c || (!c->naddrs && !c->match)) {
		ppt__set_errmsg(h, "a claim needs device addresses or a match");
		return -EINVAL;
	}
	if (c->naddrs > PPT_CLAIM_MAX || c->count > PPT_CLAIM_MAX) {
		ppt__set_errmsg(h, "a claim names or claims at most %d devices",
				PPT_CLAIM_MAX);
		return -EINVAL;
	}
	msg = ppt__new_request(h, PPT_CMD_CLAIM, 0);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < c->naddrs; i++) {
		if (ppt__check_addr(h, c->addrs[i], canon)) {
			nlmsg_free(msg);
			return -EINVAL;
		}
		if (nla_put_string(msg, PPT_A_CLAIM_ADDR, canon) < 0)
			goto nomem;
	}
	if ((c->match && nla_put_string(msg, PPT_A_MATCH_IDS, c->match) < 0) ||
	    (c->count && nla_put_u32(msg, PPT_A_CLAIM_COUNT, c->count) < 0) ||
	    (c->owner && nla_put_string(msg, PPT_A_DEV_OWNER, c->owner) < 0) ||
	    ((flags & PPT_CLAIM_LEASE) && nla_put_flag(msg, PPT_A_LEASE) < 0))
		goto nomem;
	return give_addrs(&req, ppt__transact(h, msg, &req), out, n);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

int ppt_take(struct ppt_handle *h, const char *owner, unsigned int flags,
	     char ***out, size_t *n)
{
	struct ppt__request req = { .h = h, .want_addrs = true };
	struct nl_msg *msg;

	if (start(h, flags, out, n))
		return -EINVAL;
	msg = ppt__new_request(h, PPT_CMD_TAKE, 0);
	if (!msg ||
	    (owner && nla_put_string(msg, PPT_A_DEV_OWNER, owner) < 0) ||
	    ((flags & PPT_CLAIM_LEASE) && nla_put_flag(msg, PPT_A_LEASE) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return give_addrs(&req, ppt__transact(h, msg, &req), out, n);
}
