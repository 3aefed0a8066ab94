// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: request outcomes (struct ppt_req), from a PPT_CMD_REQUEST_NTF
 * or made by libppt for a request refused at once, and the address lists
 * that claims, takes and a match's outcome carry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "ppt_internal.h"

int ppt__addrs_push(char ***list, size_t *n, size_t *cap, const char *addr)
{
	char *s;

	/* room for the new address and the terminating NULL */
	if (*n + 1 >= *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		char **l = realloc(*list, c * sizeof(*l));

		if (!l)
			return -ENOMEM;
		*list = l;
		*cap = c;
	}
	s = strdup(addr);
	if (!s)
		return -ENOMEM;
	(*list)[(*n)++] = s;
	(*list)[*n] = NULL;
	return 0;
}

void ppt_addrs_free(char **addrs)
{
	size_t i;

	for (i = 0; addrs && addrs[i]; i++)
		free(addrs[i]);
	free(addrs);
}

struct ppt_req *ppt__req_new(uint8_t cmd, const char *addr)
{
	struct ppt_req *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->cmd = cmd;
	snprintf(r->addr, sizeof(r->addr), "%s", addr ? addr : "");
	return r;
}

/* Every PPT_A_CLAIM_ADDR of the message, in order (tb keeps only one). */
static int collect_devices(struct ppt_req *r, const struct nlmsghdr *nlh)
{
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *a;
	size_t n = 0;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem)
		n += nla_type(a) == PPT_A_CLAIM_ADDR;
	if (!n)
		return 0;
	r->devices = calloc(n, sizeof(*r->devices));
	if (!r->devices)
		return -ENOMEM;
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem)
		if (nla_type(a) == PPT_A_CLAIM_ADDR && r->ndevices < n)
			ppt__copy_str(r->devices[r->ndevices++], PPT_ADDR_BUFLEN, a);
	return 0;
}

struct ppt_req *ppt__req_parse(const struct nlmsghdr *nlh, struct nlattr **tb,
			       int *err)
{
	struct ppt_req *r;

	if (!tb[PPT_A_REQ_ID] || !tb[PPT_A_REQ_ERRNO]) {
		*err = -EPROTO;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r || collect_devices(r, nlh)) {
		free(r);
		*err = -ENOMEM;
		return NULL;
	}
	r->id = nla_get_u64(tb[PPT_A_REQ_ID]);
	if (tb[PPT_A_REQ_CMD])
		r->cmd = nla_get_u8(tb[PPT_A_REQ_CMD]);
	ppt__copy_str(r->addr, sizeof(r->addr), tb[PPT_A_DEV_ADDR]);
	r->error = -(int)(nla_get_u32(tb[PPT_A_REQ_ERRNO]) & 0xffff);
	ppt__copy_str(r->msg, sizeof(r->msg), tb[PPT_A_REQ_MSG]);
	ppt__copy_str(r->blocker, sizeof(r->blocker), tb[PPT_A_BLOCKER_ADDR]);
	ppt__copy_str(r->blocker_driver, sizeof(r->blocker_driver),
		      tb[PPT_A_BLOCKER_DRIVER]);
	return r;
}

static const char *nonempty(const char *s)
{
	return s[0] ? s : NULL;
}

uint64_t ppt_req_id(const struct ppt_req *r)
{
	return r->id;
}

uint32_t ppt_req_cmd(const struct ppt_req *r)
{
	return r->cmd;
}

const char *ppt_req_addr(const struct ppt_req *r)
{
	return nonempty(r->addr);
}

int ppt_req_error(const struct ppt_req *r)
{
	return r->error;
}

const char *ppt_req_msg(const struct ppt_req *r)
{
	return nonempty(r->msg);
}

const char *ppt_req_blocker(const struct ppt_req *r)
{
	return nonempty(r->blocker);
}

const char *ppt_req_blocker_driver(const struct ppt_req *r)
{
	return nonempty(r->blocker_driver);
}

size_t ppt_req_device_count(const struct ppt_req *r)
{
	return r->ndevices;
}

const char *ppt_req_device(const struct ppt_req *r, size_t i)
{
	return i < r->ndevices ? r->devices[i] : NULL;
}

struct ppt_req *ppt_req_dup(const struct ppt_req *r)
{
	struct ppt_req *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *r;
	c->devices = NULL;
	if (r->ndevices) {
		c->devices = calloc(r->ndevices, sizeof(*c->devices));
		if (!c->devices) {
			free(c);
			return NULL;
		}
		memcpy(c->devices, r->devices, r->ndevices * sizeof(*c->devices));
	}
	return c;
}

void ppt_req_free(struct ppt_req *r)
{
	if (!r)
		return;
	free(r->devices);
	free(r);
}

void ppt_req_list_free(struct ppt_req **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		ppt_req_free(list[i]);
	free(list);
}
