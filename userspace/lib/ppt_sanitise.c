// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: the sanitiser policy the kernel keeps (PPT_CMD_SANITISE_SET,
 * _DEL, _GET): which sanitiser must erase a device's data between tenants.
 * Every call is synchronous.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "ppt_internal.h"

/* The attribute that carries each kind of selector. */
static const int sel_attr[] = {
	[PPT_SANITISE_BY_DEVICE] = PPT_A_MATCH_DEVICE,
	[PPT_SANITISE_BY_IDS] = PPT_A_MATCH_IDS,
	[PPT_SANITISE_BY_CLASS] = PPT_A_SANITISE_CLASS,
};

#define NSEL_KINDS (sizeof(sel_attr) / sizeof(sel_attr[0]))

struct ppt_sanitise_rule {
	enum ppt_sanitise_kind kind;
	char selector[PPT_MATCH_BUFLEN];
	char sanitiser[PPT_SANITISER_MAX];
	bool boot;
	bool is_default;
};

enum ppt_sanitise_kind ppt_sanitise_rule_kind(const struct ppt_sanitise_rule *r)
{
	return r->kind;
}

const char *ppt_sanitise_rule_selector(const struct ppt_sanitise_rule *r)
{
	return r->selector;
}

const char *ppt_sanitise_rule_sanitiser(const struct ppt_sanitise_rule *r)
{
	return r->sanitiser;
}

bool ppt_sanitise_rule_boot(const struct ppt_sanitise_rule *r)
{
	return r->boot;
}

bool ppt_sanitise_rule_default(const struct ppt_sanitise_rule *r)
{
	return r->is_default;
}

void ppt_sanitise_list_free(struct ppt_sanitise_rule **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

static int parse_rule_reply(struct ppt__request *req, struct nlmsghdr *nlh,
			    struct nlattr **tb)
{
	struct ppt_sanitise_rule *r;
	size_t k;

	(void)nlh;
	for (k = 0; k < NSEL_KINDS; k++)
		if (tb[sel_attr[k]])
			break;
	if (k == NSEL_KINDS || !tb[PPT_A_SANITISER])
		return -EPROTO;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->kind = (enum ppt_sanitise_kind)k;
	ppt__copy_str(r->selector, sizeof(r->selector), tb[sel_attr[k]]);
	ppt__copy_str(r->sanitiser, sizeof(r->sanitiser), tb[PPT_A_SANITISER]);
	r->boot = tb[PPT_A_MATCH_BOOT] != NULL;
	r->is_default = tb[PPT_A_SANITISE_DEFAULT] != NULL;
	return ppt__push_item(req, r);
}

static void put_rule(void *list, size_t i, void *item)
{
	((struct ppt_sanitise_rule **)list)[i] = item;
}

int ppt_sanitise_list(struct ppt_handle *h, struct ppt_sanitise_rule ***out,
		      size_t *n)
{
	void *list;
	int ret = ppt__list(h, PPT_CMD_SANITISE_GET, parse_rule_reply, put_rule,
			    &list, n);

	*out = list;
	return ret;
}

/* SANITISE_SET (spec given) or SANITISE_DEL (spec NULL). */
static int sanitise_request(struct ppt_handle *h, uint8_t cmd,
			    enum ppt_sanitise_kind kind, const char *selector,
			    const char *spec, unsigned int flags)
{
	struct ppt__request req = { .h = h };
	struct nl_msg *msg;

	ppt__clear_error(h);
	if (ppt__check_flags(h, flags, 0))
		return -EINVAL;
	if ((unsigned int)kind >= NSEL_KINDS) {
		ppt__set_errmsg(h, "unknown selector kind %d", (int)kind);
		return -EINVAL;
	}
	if (!selector || (cmd == PPT_CMD_SANITISE_SET && !spec)) {
		ppt__set_errmsg(h, !selector ? "no selector given" : "no sanitiser given");
		return -EINVAL;
	}
	msg = ppt__new_request(h, cmd, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, sel_attr[kind], selector) < 0 ||
	    (spec && nla_put_string(msg, PPT_A_SANITISER, spec) < 0)) {
		nlmsg_free(msg);
		ppt__set_errmsg(h, "selector or sanitiser too long for a netlink message");
		return -EINVAL;
	}
	return ppt__transact(h, msg, &req);
}

int ppt_sanitise_set(struct ppt_handle *h, enum ppt_sanitise_kind kind,
		     const char *selector, const char *sanitiser, unsigned int flags)
{
	return sanitise_request(h, PPT_CMD_SANITISE_SET, kind, selector, sanitiser, flags);
}

int ppt_sanitise_del(struct ppt_handle *h, enum ppt_sanitise_kind kind,
		     const char *selector, unsigned int flags)
{
	return sanitise_request(h, PPT_CMD_SANITISE_DEL, kind, selector, NULL, flags);
}
