// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: what the loaded module supports.
 *
 * After a DKMS upgrade the loaded module may be older or newer than
 * libppt.  The generic netlink controller says what the family has: its
 * version and its commands (CTRL_CMD_GETFAMILY), and the attributes each
 * command's policy accepts (CTRL_CMD_GETPOLICY, Linux 5.10 and later).
 * libppt asks once per handle, at the first request, and checks every
 * request against the answer before sending it: an attribute the module
 * does not know would otherwise be refused by strict validation with a
 * bare "Unknown attribute type", or by an older module's policy with a
 * message that does not say the module is the wrong one.  Events of the
 * family going away or coming back (ppt_events.c) make it ask again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "ppt_internal.h"

/* Bounds on what a controller message may make libppt allocate. */
#define MAX_POLICIES	1024
#define MAX_ATTR	65535

static struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
	[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING },
	[CTRL_ATTR_VERSION] = { .type = NLA_U32 },
	[CTRL_ATTR_OPS] = { .type = NLA_NESTED },
	[CTRL_ATTR_POLICY] = { .type = NLA_NESTED },
	[CTRL_ATTR_OP_POLICY] = { .type = NLA_NESTED },
};

static struct nla_policy op_policy[CTRL_ATTR_OP_MAX + 1] = {
	[CTRL_ATTR_OP_ID] = { .type = NLA_U32 },
};

static struct nla_policy op_pol_policy[CTRL_ATTR_POLICY_DUMP_MAX + 1] = {
	[CTRL_ATTR_POLICY_DO] = { .type = NLA_U32 },
	[CTRL_ATTR_POLICY_DUMP] = { .type = NLA_U32 },
};

void ppt__family_reset(struct ppt_family *fam)
{
	size_t i;

	for (i = 0; i < fam->npolicies; i++)
		free(fam->policies[i].bits);
	free(fam->policies);
	memset(fam, 0, sizeof(*fam));
	memset(fam->do_policy, 0xff, sizeof(fam->do_policy));
	memset(fam->dump_policy, 0xff, sizeof(fam->dump_policy));
}

static bool has_cmd(const struct ppt_family *fam, uint32_t cmd)
{
	return cmd < PPT__NCMDS && (fam->ops[cmd / 64] >> (cmd % 64) & 1);
}

int ppt__family_parse(struct ppt_family *fam, const struct nlmsghdr *nlh)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *op, *otb[CTRL_ATTR_OP_MAX + 1];
	uint32_t cmd;
	int rem;

	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, CTRL_ATTR_MAX,
			  ctrl_policy) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME] || !tb[CTRL_ATTR_VERSION] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), PPT_GENL_NAME))
		return -EPROTO;
	fam->version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	memset(fam->ops, 0, sizeof(fam->ops));
	if (!tb[CTRL_ATTR_OPS])
		return 0;
	nla_for_each_nested(op, tb[CTRL_ATTR_OPS], rem) {
		if (nla_parse_nested(otb, CTRL_ATTR_OP_MAX, op, op_policy) < 0 ||
		    !otb[CTRL_ATTR_OP_ID])
			continue;
		cmd = nla_get_u32(otb[CTRL_ATTR_OP_ID]);
		if (cmd < PPT__NCMDS)
			fam->ops[cmd / 64] |= 1ull << (cmd % 64);
	}
	return 0;
}

/* Policy idx, grown to exist (with no attribute) when it does not yet. */
static struct ppt_policy *policy(struct ppt_family *fam, uint32_t idx)
{
	struct ppt_policy *p;

	if (idx >= MAX_POLICIES)
		return NULL;
	if (idx >= fam->npolicies) {
		p = realloc(fam->policies, (idx + 1) * sizeof(*p));
		if (!p)
			return NULL;
		memset(p + fam->npolicies, 0,
		       (idx + 1 - fam->npolicies) * sizeof(*p));
		fam->policies = p;
		fam->npolicies = idx + 1;
	}
	return &fam->policies[idx];
}

static int policy_add(struct ppt_family *fam, uint32_t idx, uint32_t attr)
{
	struct ppt_policy *p = policy(fam, idx);
	uint32_t words = attr / 64 + 1;

	if (!p || attr > MAX_ATTR)
		return -ENOMEM;
	if (words > p->nwords) {
		uint64_t *b = realloc(p->bits, words * sizeof(*b));

		if (!b)
			return -ENOMEM;
		memset(b + p->nwords, 0, (words - p->nwords) * sizeof(*b));
		p->bits = b;
		p->nwords = words;
	}
	p->bits[attr / 64] |= 1ull << (attr % 64);
	return 0;
}

/* CTRL_ATTR_OP_POLICY: { cmd: { DO: index, DUMP: index } } */
static int parse_op_policy(struct ppt_family *fam, struct nlattr *ops)
{
	struct nlattr *o, *tb[CTRL_ATTR_POLICY_DUMP_MAX + 1];
	uint32_t cmd, idx;
	int rem;

	nla_for_each_nested(o, ops, rem) {
		cmd = nla_type(o);
		if (cmd >= PPT__NCMDS ||
		    nla_parse_nested(tb, CTRL_ATTR_POLICY_DUMP_MAX, o,
				     op_pol_policy) < 0)
			continue;
		if (tb[CTRL_ATTR_POLICY_DO]) {
			idx = nla_get_u32(tb[CTRL_ATTR_POLICY_DO]);
			if (!policy(fam, idx))
				return -ENOMEM;
			fam->do_policy[cmd] = (int16_t)idx;
		}
		if (tb[CTRL_ATTR_POLICY_DUMP]) {
			idx = nla_get_u32(tb[CTRL_ATTR_POLICY_DUMP]);
			if (!policy(fam, idx))
				return -ENOMEM;
			fam->dump_policy[cmd] = (int16_t)idx;
		}
	}
	fam->have_policy = true;
	return 0;
}

/* CTRL_ATTR_POLICY: { index: { attribute: { its type, ... } } } */
static int parse_policy(struct ppt_family *fam, struct nlattr *pols)
{
	struct nlattr *p, *a;
	int rem, rem2, ret;

	nla_for_each_nested(p, pols, rem) {
		nla_for_each_nested(a, p, rem2) {
			ret = policy_add(fam, nla_type(p), nla_type(a));
			if (ret)
				return ret;
		}
	}
	return 0;
}

int ppt__policy_parse(struct ppt_family *fam, const struct nlmsghdr *nlh)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	int ret = 0;

	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, CTRL_ATTR_MAX,
			  ctrl_policy) < 0)
		return -EPROTO;
	if (tb[CTRL_ATTR_OP_POLICY])
		ret = parse_op_policy(fam, tb[CTRL_ATTR_OP_POLICY]);
	if (!ret && tb[CTRL_ATTR_POLICY])
		ret = parse_policy(fam, tb[CTRL_ATTR_POLICY]);
	return ret;
}

static int on_family(struct ppt__request *req, const struct nlmsghdr *nlh)
{
	return ppt__family_parse(req->priv, nlh);
}

static int on_policy(struct ppt__request *req, const struct nlmsghdr *nlh)
{
	return ppt__policy_parse(req->priv, nlh);
}

static struct nl_msg *ctrl_request(uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
				flags | NLM_F_REQUEST | NLM_F_ACK, cmd, 1)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* Ask the controller; what went wrong is not the caller's request's. */
static int discover(struct ppt_handle *h)
{
	struct ppt_family *fam = &h->fam;
	struct ppt__request req = { .h = h, .raw = on_family, .priv = fam };
	struct nl_msg *msg;
	int ret;

	ppt__family_reset(fam);
	msg = ctrl_request(CTRL_CMD_GETFAMILY, 0);
	if (!msg || nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, PPT_GENL_NAME) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = ppt__transact(h, msg, &req);
	if (!ret) {
		req = (struct ppt__request){ .h = h, .raw = on_policy, .priv = fam };
		msg = ctrl_request(CTRL_CMD_GETPOLICY, NLM_F_DUMP);
		if (!msg || nla_put_u16(msg, CTRL_ATTR_FAMILY_ID,
					(uint16_t)h->family) < 0) {
			nlmsg_free(msg);
			ret = -ENOMEM;
		} else {
			ret = ppt__transact(h, msg, &req);
		}
		/* a kernel without policy dumps: commands only */
		if (ret == -EOPNOTSUPP || ret == -EINVAL) {
			fam->have_policy = false;
			ret = 0;
		}
	}
	ppt__clear_error(h);
	if (ret) {
		ppt__family_reset(fam);
		return ret;
	}
	fam->known = true;
	return 0;
}

static int known(struct ppt_handle *h)
{
	return h->fam.known ? 0 : discover(h);
}

int ppt_family_version(struct ppt_handle *h)
{
	int ret = known(h);

	return ret ? ret : (int)(h->fam.version & INT32_MAX);
}

int ppt_supports_cmd(struct ppt_handle *h, uint32_t cmd)
{
	int ret = known(h);

	return ret ? ret : has_cmd(&h->fam, cmd);
}

/* Does policy idx (-1: none) accept attr? */
static bool accepts(const struct ppt_family *fam, int idx, uint32_t attr)
{
	const struct ppt_policy *p;

	if (idx < 0 || (size_t)idx >= fam->npolicies)
		return false;
	p = &fam->policies[idx];
	return attr / 64 < p->nwords && (p->bits[attr / 64] >> (attr % 64) & 1);
}

int ppt_supports_attr(struct ppt_handle *h, uint32_t cmd, uint32_t attr)
{
	const struct ppt_family *fam = &h->fam;
	int ret = known(h);

	if (ret)
		return ret;
	if (!has_cmd(fam, cmd))
		return 0;
	if (!fam->have_policy)
		return -EOPNOTSUPP;
	return accepts(fam, fam->do_policy[cmd] >= 0 ? fam->do_policy[cmd] :
		       fam->dump_policy[cmd], attr);
}

static int missing(struct ppt_handle *h, const char *what, const char *with,
		   uint8_t cmd)
{
	ppt__set_errmsg(h, "the loaded ppt module does not support %s%s%s (protocol version %u; libppt speaks %d): load the matching module",
			what, with, with[0] ? ppt_cmd_name(cmd) : "",
			h->fam.version, PPT_GENL_VERSION);
	return -EOPNOTSUPP;
}

int ppt__family_check(struct ppt_handle *h, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	const struct ppt_family *fam = &h->fam;
	char what[64];
	struct nlattr *a;
	int rem, idx;

	/* the kernel could not be asked: it judges the request itself */
	if (known(h))
		return 0;
	if (!has_cmd(fam, gh->cmd)) {
		snprintf(what, sizeof(what), "the command %s", ppt_cmd_name(gh->cmd));
		return missing(h, what, "", gh->cmd);
	}
	idx = nlh->nlmsg_flags & NLM_F_DUMP ? fam->dump_policy[gh->cmd] :
					      fam->do_policy[gh->cmd];
	if (!fam->have_policy || idx < 0)
		return 0;
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		if (!accepts(fam, idx, (uint32_t)nla_type(a)))
			return missing(h, ppt_attr_name((uint32_t)nla_type(a)),
				       " with ", gh->cmd);
	}
	return 0;
}
