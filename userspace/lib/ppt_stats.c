// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: the statistics the module kept since it loaded
 * (PPT_CMD_STATS_GET): a totals message, then one message per reset or
 * clean series.  A module without the command is refused before sending
 * (ppt_family.c), with -EOPNOTSUPP and a message naming the command.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "ppt_internal.h"

/* Most bucket bounds libppt takes from a module. */
#define MAX_BOUNDS	64

struct ppt_series {
	enum ppt_stats_op op;
	uint32_t method;
	bool failed;
	uint64_t count;
	uint64_t usec_sum;
	size_t nbuckets;
	uint64_t buckets[MAX_BOUNDS + 1];
};

struct ppt_stats {
	bool have_totals;
	uint64_t quarantines;
	uint64_t lease_expiries;
	size_t nbounds;
	uint64_t bounds[MAX_BOUNDS];
	size_t nseries;
	struct ppt_series **series;
};

/* Each message parses into one of these; ppt_stats_get() sorts them out. */
struct stats_msg {
	bool totals;
	struct ppt_stats t;		/* the totals' fields, series unused */
	struct ppt_series s;
};

int ppt__stats_msg(struct ppt__request *req, struct nlmsghdr *nlh,
		   struct nlattr **tb)
{
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct stats_msg *m;
	struct nlattr *a;
	int rem;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->totals = !tb[PPT_A_STATS_OP];
	if (m->totals) {
		if (!tb[PPT_A_STATS_QUARANTINES] || !tb[PPT_A_STATS_LEASE_EXPIRIES])
			goto proto;
		m->t.quarantines = nla_get_u64(tb[PPT_A_STATS_QUARANTINES]);
		m->t.lease_expiries = nla_get_u64(tb[PPT_A_STATS_LEASE_EXPIRIES]);
	} else {
		if (!tb[PPT_A_RESET_METHOD] || !tb[PPT_A_STATS_COUNT] ||
		    !tb[PPT_A_STATS_USEC_SUM])
			goto proto;
		m->s.op = (enum ppt_stats_op)nla_get_u32(tb[PPT_A_STATS_OP]);
		m->s.method = nla_get_u32(tb[PPT_A_RESET_METHOD]);
		m->s.failed = tb[PPT_A_STATS_FAILED] != NULL;
		m->s.count = nla_get_u64(tb[PPT_A_STATS_COUNT]);
		m->s.usec_sum = nla_get_u64(tb[PPT_A_STATS_USEC_SUM]);
	}
	/* the repeated attributes, in order (tb keeps the last one) */
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		if (m->totals && nla_type(a) == PPT_A_STATS_BOUND) {
			if (m->t.nbounds == MAX_BOUNDS)
				goto proto;
			m->t.bounds[m->t.nbounds++] = nla_get_u64(a);
		} else if (!m->totals && nla_type(a) == PPT_A_STATS_BUCKET) {
			if (m->s.nbuckets == MAX_BOUNDS + 1)
				goto proto;
			m->s.buckets[m->s.nbuckets++] = nla_get_u64(a);
		}
	}
	return ppt__push_item(req, m);
proto:
	free(m);
	return -EPROTO;
}

int ppt__stats_build(struct ppt__request *req, struct ppt_stats **out)
{
	struct ppt_stats *st;
	struct stats_msg *m;
	size_t i;
	int ret = -ENOMEM;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->series = calloc(req->nitems + 1, sizeof(*st->series));
	if (!st->series)
		goto fail;
	ret = -EPROTO;
	for (i = 0; i < req->nitems; i++) {
		m = req->items[i];
		if (m->totals) {
			if (st->have_totals)
				goto fail;
			st->have_totals = true;
			st->quarantines = m->t.quarantines;
			st->lease_expiries = m->t.lease_expiries;
			st->nbounds = m->t.nbounds;
			memcpy(st->bounds, m->t.bounds, sizeof(st->bounds));
			continue;
		}
		st->series[st->nseries] = malloc(sizeof(m->s));
		if (!st->series[st->nseries]) {
			ret = -ENOMEM;
			goto fail;
		}
		*st->series[st->nseries++] = m->s;
	}
	/* every series has one bucket more than there are bounds */
	for (i = 0; i < st->nseries; i++)
		if (st->series[i]->nbuckets != st->nbounds + 1)
			goto fail;
	if (!st->have_totals)
		goto fail;
	*out = st;
	return 0;
fail:
	if (ret == -EPROTO)
		ppt__set_errmsg(req->h, "the module's statistics are malformed");
	ppt_stats_free(st);
	return ret;
}

int ppt_stats_get(struct ppt_handle *h, struct ppt_stats **out)
{
	struct ppt__request req = { .h = h, .parse = ppt__stats_msg };
	int ret;

	*out = NULL;
	ret = ppt__dump(h, PPT_CMD_STATS_GET, &req);
	if (!ret)
		ret = ppt__stats_build(&req, out);
	ppt__request_free(&req);
	return ret;
}

void ppt_stats_free(struct ppt_stats *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nseries; i++)
		free(st->series[i]);
	free(st->series);
	free(st);
}

uint64_t ppt_stats_quarantines(const struct ppt_stats *st)
{
	return st->quarantines;
}

uint64_t ppt_stats_lease_expiries(const struct ppt_stats *st)
{
	return st->lease_expiries;
}

size_t ppt_stats_nbounds(const struct ppt_stats *st)
{
	return st->nbounds;
}

uint64_t ppt_stats_bound_usec(const struct ppt_stats *st, size_t i)
{
	return i < st->nbounds ? st->bounds[i] : UINT64_MAX;
}

size_t ppt_stats_nseries(const struct ppt_stats *st)
{
	return st->nseries;
}

const struct ppt_series *ppt_stats_series(const struct ppt_stats *st, size_t i)
{
	return i < st->nseries ? st->series[i] : NULL;
}

enum ppt_stats_op ppt_series_op(const struct ppt_series *s)
{
	return s->op;
}

uint32_t ppt_series_method(const struct ppt_series *s)
{
	return s->method;
}

bool ppt_series_failed(const struct ppt_series *s)
{
	return s->failed;
}

uint64_t ppt_series_count(const struct ppt_series *s)
{
	return s->count;
}

uint64_t ppt_series_usec_sum(const struct ppt_series *s)
{
	return s->usec_sum;
}

uint64_t ppt_series_bucket(const struct ppt_series *s, size_t i)
{
	return i < s->nbuckets ? s->buckets[i] : 0;
}

const char *ppt_stats_op_name(enum ppt_stats_op op)
{
	switch (op) {
	case PPT_STATS_OP_RESET:
		return "reset";
	case PPT_STATS_OP_CLEAN:
		return "clean";
	default:
		return "invalid";
	}
}
