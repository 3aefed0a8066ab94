// SPDX-License-Identifier: GPL-2.0-only
/*
 * The commands that change devices: reserve, release, claim, unclaim,
 * take, assign, unassign, reset, clean, set, and the runtime matches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "baseline_kept.h"
#include "cmds.h"
#include "inventory.h"
#include "nvme_host.h"
#include "rows.h"

void cmd_record(struct ctx *c, const char *addr, uint64_t req_id,
		int entry_kind, const char *entry)
{
	struct out_result r = {
		.operation = ctx_op(c), .device = addr, .request_id = req_id,
		.entry_kind = entry_kind, .entry = entry,
	};
	struct dev_info info;

	if (!out_is_json(c->a.fmt))
		return;
	if (addr && c->h && !rows_get(c->h, addr, &info)) {
		r.state = ppt_state_name(info.state);
		r.owner = info.owner;
	}
	out_result(c->out, c->a.fmt, &r);
}

/*
 * --force: take devices from host drivers; given twice, also those the
 * host uses (libppt and the kernel refuse them otherwise).
 */
static unsigned int reserve_flags(const struct ctx *c)
{
	unsigned int flags = c->a.force ? PPT_RESERVE_FORCE : 0;

	if (c->a.force_critical)
		flags |= PPT_RESERVE_FORCE_HOST;
	return flags;
}

/*
 * An NVMe controller reserved from the host's nvme driver: its baseline,
 * read through that driver before ppt takes it, is kept once the reserve
 * is accepted, so that what its first tenant changes is caught too
 * (baseline_kept.h).  Not read or not kept, the reserve goes on: the
 * first erase keeps one.  Returns whether *b holds one to keep.
 */
static bool reserve_read_baseline(struct ctx *c, const char *addr, struct nvme_baseline *b)
{
	char why[512];
	int ret;

	ret = nvme_host_baseline(addr, b, why, sizeof(why));
	if (ret && ret != -ENODEV)
		fprintf(c->err, "pptadm: %s %s: its NVMe controller baseline was not read (%s): its first erase keeps one\n",
			ctx_op(c), addr, why);
	return !ret;
}

static void reserve_keep_baseline(struct ctx *c, const char *addr, const struct nvme_baseline *b)
{
	char why[512];

	if (baseline_kept_store(baseline_dir(), addr, b, why, sizeof(why)))
		fprintf(c->err, "pptadm: %s %s: its NVMe controller baseline was not kept (%s): its first erase keeps one\n",
			ctx_op(c), addr, why);
}

static int reserve(struct ctx *c, const char *addr, uint64_t *id)
{
	struct nvme_baseline b;
	bool have = reserve_read_baseline(c, addr, &b);
	int ret;

	ret = ppt_device_reserve(c->h, addr, reserve_flags(c), c->a.timeout_ms, id);
	if (!ret && have)
		reserve_keep_baseline(c, addr, &b);
	return ret;
}

int cmd_device_op(struct ctx *c, const char *addr, uint64_t *id)
{
	const struct args *a = &c->a;
	uint32_t method = a->method < 0 ? PPT_RESET_AUTO : (uint32_t)a->method;

	*id = 0;
	switch (a->verb->id) {
	case V_RESERVE:
	case V_ADD:
		return reserve(c, addr, id);
	case V_RELEASE:
	case V_REMOVE:
		return ppt_device_release(c->h, addr, a->unclean ? PPT_RELEASE_UNCLEAN : 0,
					  a->timeout_ms, id);
	case V_CLAIM:
		return ppt_device_claim(c->h, addr, a->owner, 0);
	case V_UNCLAIM:
		return ppt_device_unclaim(c->h, addr, a->owner, 0);
	case V_ASSIGN:
		return ppt_device_assign(c->h, addr, a->owner,
					 a->recycle ? PPT_ASSIGN_RECYCLE : 0,
					 a->timeout_ms, id);
	case V_UNASSIGN:
		return ppt_device_unassign(c->h, addr, a->owner, 0, a->timeout_ms, id);
	case V_RESET:
		return ppt_device_reset(c->h, addr, method, 0, a->timeout_ms, id);
	case V_CLEAN:
		return ppt_device_clean(c->h, addr, method, a->inspect ? PPT_CLEAN_INSPECT : 0,
					a->timeout_ms, id);
	case V_SET:
		return ppt_device_set_reset_pref(c->h, addr, (uint32_t)a->reset_pref, 0);
	default:
		return -EINVAL;
	}
}

/*
 * clean: every device's request goes out before any outcome is awaited, so
 * the kernel cleans them side by side (a GPU host returning eight GPUs
 * waits for one reset, not eight).  Each failure is reported on its own.
 */
static int clean_targets(struct ctx *c, const struct name_target *t, size_t nt)
{
	int method = c->a.method < 0 ? PPT_RESET_AUTO : c->a.method;
	const char **addrs = calloc(nt, sizeof(*addrs));
	struct ppt_req **out = NULL;
	int ret, status = 0;
	size_t i;

	if (!addrs) {
		ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
		return EXIT_FAIL;
	}
	for (i = 0; i < nt; i++)
		addrs[i] = t[i].addr;
	ret = ppt_devices_clean(c->h, addrs, nt, (uint32_t)method, 0, c->a.timeout_ms, &out);
	for (i = 0; out && i < nt; i++) {
		struct out_error e = {
			.err = ppt_req_error(out[i]), .operation = ctx_op(c),
			.device = t[i].addr, .message = ppt_req_msg(out[i]) ?: "",
			.blocker = ppt_req_blocker(out[i]),
			.blocker_driver = ppt_req_blocker_driver(out[i]) ?: "",
		};

		if (!e.err) {
			cmd_record(c, t[i].addr, ppt_req_id(out[i]), -1, NULL);
			continue;
		}
		ctx_report(c, &e);
		status = EXIT_FAIL;
	}
	/* a failure of the whole batch (its events socket), not of a device */
	if (ret && !status) {
		ctx_report_what(c, ret, ppt_errmsg(c->h), ctx_op(c));
		status = EXIT_FAIL;
	}
	ppt_req_list_free(out);
	free(addrs);
	return status;
}

/* The verbs that change devices: one operation per device. */
int cmd_change(struct ctx *c)
{
	const struct args *a = &c->a;
	bool single = a->verb->id == V_CLAIM || a->verb->id == V_UNCLAIM ||
		      a->verb->id == V_ASSIGN || a->verb->id == V_UNASSIGN ||
		      a->verb->id == V_RESET;
	struct name_target *t = NULL;
	size_t nt = 0, i;
	uint64_t id;
	int ret, status = 0;

	ret = ctx_parse_names(c, a->argc, a->argv);
	if (ret)
		return ret;
	if (a->all_dirty) {
		if (ctx_load_kernel(c, ctx_op(c)))
			return EXIT_FAIL;
		t = calloc(c->nkern + 1, sizeof(*t));
		for (i = 0; t && i < c->nkern; i++)
			if (c->kern[i].info.state == PPT_STATE_DIRTY)
				snprintf(t[nt++].addr, PPT_ADDR_BUFLEN, "%s",
					 c->kern[i].info.addr);
		if (t && !nt)
			fprintf(c->err, "pptadm: no device is dirty\n");
	} else if (ctx_resolve(c, a->verb->id == V_RESERVE ? SCOPE_HOST : SCOPE_KERNEL,
			       single, c->names, a->argc, &t, &nt)) {
		return EXIT_FAIL;
	}
	if (!t || ctx_open(c, ctx_op(c))) {
		free(t);
		return EXIT_FAIL;
	}
	/* inspections one by one: a batch of cleans resets */
	if (a->verb->id == V_CLEAN && nt && !a->inspect) {
		status = clean_targets(c, t, nt);
		free(t);
		return status;
	}
	for (i = 0; i < nt; i++) {
		ret = cmd_device_op(c, t[i].addr, &id);
		if (ret) {
			ctx_report_op(c, ctx_op(c), t[i].addr, ret);
			status = EXIT_FAIL;
		} else if (a->verb->id == V_ASSIGN && a->user &&
			   vfio_give_group(c, t[i].addr, NULL, 0)) {
			status = EXIT_FAIL;
		} else {
			cmd_record(c, t[i].addr, id, -1, NULL);
		}
	}
	free(t);
	return status;
}

int cmd_assign(struct ctx *c)
{
	if (c->a.user && vfio_user_lookup(c->a.user, &c->user))
		return ctx_usage_error(c, "--user \"%s\": no such user", c->a.user);
	return cmd_change(c);
}

int claim_spec(struct ctx *c, struct claim_req *cr)
{
	const struct args *a = &c->a;
	struct name_target *t = NULL;
	size_t nt = 0, i, other = 0;
	unsigned int count = a->count;
	int ret;

	memset(cr, 0, sizeof(*cr));
	/* with a match, the kernel chooses the candidates */
	if (!a->match && a->variant) {
		if (ctx_load_variants(c, true) || ctx_load_kernel(c, ctx_op(c)))
			return EXIT_FAIL;
		if (!variants_find(&c->vs, a->variant)) {
			char msg[768];

			snprintf(msg, sizeof(msg), "no variant \"%s\" in %s", a->variant,
				 c->vs.path ? c->vs.path :
				 variants_path(a->variants_file, &(bool){0}));
			ctx_report_name(c, ctx_op(c), a->variant, -ENOENT, msg);
			return EXIT_FAIL;
		}
		ctx_label(c, c->kern, c->nkern, c->kern, c->nkern);
		t = calloc(c->nkern + 1, sizeof(*t));
		if (!t) {
			ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
			return EXIT_FAIL;
		}
		inventory_sort(c->kern, c->nkern);
		for (i = 0; i < c->nkern; i++) {
			if (strcmp(c->kern[i].variant, a->variant))
				continue;
			/* the kernel chooses among reserved devices only */
			if (c->kern[i].info.state != PPT_STATE_RESERVED) {
				other++;
				continue;
			}
			if (nt < PPT_CLAIM_MAX)
				snprintf(t[nt++].addr, PPT_ADDR_BUFLEN, "%s", c->kern[i].info.addr);
		}
		if (!nt) {
			char msg[256];

			if (other)
				snprintf(msg, sizeof(msg),
					 "no device of variant %s is reserved (%zu %s in other states)",
					 a->variant, other, other == 1 ? "is" : "are");
			else
				snprintf(msg, sizeof(msg), "ppt manages no device of variant %s",
					 a->variant);
			ctx_report_name(c, ctx_op(c), a->variant, other ? -ENOSPC : -ENODEV, msg);
			free(t);
			return EXIT_FAIL;
		}
		if (!count)
			count = 1;
	} else if (!a->match) {
		ret = ctx_parse_names(c, a->argc, a->argv);
		if (ret)
			return ret;
		if (ctx_resolve(c, SCOPE_KERNEL, true, c->names, a->argc, &t, &nt))
			return EXIT_FAIL;
	}
	cr->spec = ppt_claim_spec_new(a->owner);
	ret = cr->spec ? ppt_claim_spec_set_count(cr->spec, count) : -ENOMEM;
	if (!ret && a->match)
		ret = ppt_claim_spec_set_match(cr->spec, a->match);
	for (i = 0; !ret && i < nt; i++)
		ret = ppt_claim_spec_add_addr(cr->spec, t[i].addr);
	if (nt)
		memcpy(cr->first, t[0].addr, PPT_ADDR_BUFLEN);
	cr->naddrs = nt;
	free(t);
	if (ret) {
		ppt_claim_spec_free(cr->spec);
		cr->spec = NULL;
		ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
		return EXIT_FAIL;
	}
	return 0;
}

void claim_report(struct ctx *c, int ret, const struct claim_req *cr)
{
	char what[128];

	if (c->a.variant)
		snprintf(what, sizeof(what), "variant %s", c->a.variant);
	else if (c->a.match)
		snprintf(what, sizeof(what), "match %s", c->a.match);
	else if (cr->naddrs == 1)
		snprintf(what, sizeof(what), "%s", cr->first);
	else
		snprintf(what, sizeof(what), "%zu devices", cr->naddrs);
	ctx_report_op(c, ctx_op(c), what, ret);
}

/* The addresses a claim or take got, printed as claim and take print them. */
static int print_addrs(struct ctx *c, const char *key, char **got, size_t n)
{
	char (*addrs)[PPT_ADDR_BUFLEN] = rows_addrs(got, n);

	if (!addrs) {
		ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
		return EXIT_FAIL;
	}
	out_addr_list(c->out, c->a.fmt, key, c->a.owner,
		      (const char (*)[PPT_ADDR_BUFLEN])addrs, n);
	free(addrs);
	return 0;
}

int cmd_claim(struct ctx *c)
{
	struct claim_req cr;
	char **got = NULL;
	size_t n = 0;
	int ret;

	/* one DEVICE alone: the single-device claim, as it always was */
	if (c->a.argc == 1 && !c->a.count)
		return cmd_change(c);
	ret = claim_spec(c, &cr);
	if (ret)
		return ret;
	if (ctx_open(c, ctx_op(c))) {
		ret = EXIT_FAIL;
		goto out;
	}
	ret = ppt_claim(c->h, cr.spec, 0, &got, &n);
	if (ret) {
		claim_report(c, ret, &cr);
		ret = EXIT_FAIL;
		goto out;
	}
	ret = print_addrs(c, "claimed", got, n);
out:
	ppt_addrs_free(got);
	ppt_claim_spec_free(cr.spec);
	return ret;
}

static int unclaim_all(struct ctx *c)
{
	size_t i, n = 0;
	int ret, status = 0;

	if (ctx_load_kernel(c, "unclaim"))
		return EXIT_FAIL;
	for (i = 0; i < c->nkern; i++) {
		const struct dev_info *d = &c->kern[i].info;

		if (d->state != PPT_STATE_CLAIMED || strcmp(d->owner, c->a.owner))
			continue;
		n++;
		ret = ppt_device_unclaim(c->h, d->addr, c->a.owner, 0);
		if (ret) {
			ctx_report_op(c, "unclaim", d->addr, ret);
			status = EXIT_FAIL;
		} else {
			cmd_record(c, d->addr, 0, -1, NULL);
		}
	}
	if (!n) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s has claimed no device", c->a.owner);
		ctx_report_name(c, "unclaim", c->a.owner, -ENOENT, msg);
		return EXIT_FAIL;
	}
	return status;
}

int cmd_unclaim(struct ctx *c)
{
	return c->a.all ? unclaim_all(c) : cmd_change(c);
}

int cmd_take(struct ctx *c)
{
	char **got = NULL;
	size_t n = 0;
	int ret;

	if (ctx_open(c, "take"))
		return EXIT_FAIL;
	ret = ppt_take(c->h, c->a.owner, 0, &got, &n);
	if (ret == -ENOENT && !ppt_errmsg(c->h)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s holds no device", c->a.owner);
		ctx_report_name(c, "take", c->a.owner, ret, msg);
		return EXIT_FAIL;
	}
	if (ret) {
		ctx_report_op(c, "take", c->a.owner, ret);
		return EXIT_FAIL;
	}
	ret = print_addrs(c, "taken", got, n);
	ppt_addrs_free(got);
	return ret;
}

int cmd_match(struct ctx *c)
{
	const struct args *a = &c->a;
	struct out_match *m = NULL;
	struct ppt_req *outcome = NULL;
	struct out_fields sel;
	uint64_t id = 0;
	size_t n = 0, i;
	char what[PPT_MATCH_BUFLEN + 16];
	int ret;

	if (a->match_op == MATCH_LIST) {
		ret = ctx_select_fields(c, &out_match_fields, NULL, &sel);
		if (ret)
			return ret;
	}
	if (ctx_open(c, "match"))
		return EXIT_FAIL;
	if (a->match_op == MATCH_LIST) {
		ret = rows_matches(c->h, &m, &n);
		if (ret) {
			struct out_error e = { .err = ret, .what = "cannot list matches",
					       .operation = "match list",
					       .message = ppt_errmsg(c->h) };

			ctx_report(c, &e);
			return EXIT_FAIL;
		}
		out_rows(c->out, a->fmt, &out_match_fields, &sel, m, n);
		free(m);
		return 0;
	}
	/* an add returns once the devices it reserves are reserved */
	if (a->match_op == MATCH_ADD)
		ret = ppt_match_add(c->h, a->match_kind, a->match_text,
				    a->reset_pref < 0 ? PPT_RESET_AUTO : (uint32_t)a->reset_pref,
				    0, a->timeout_ms, &id, out_is_json(a->fmt) ? &outcome : NULL);
	else
		ret = ppt_match_del(c->h, a->match_kind, a->match_text, 0);
	if (ret) {
		snprintf(what, sizeof(what), "%s %s", ppt_match_kind_name(a->match_kind),
			 a->match_text);
		ctx_report_op(c, ctx_op(c), what, ret);
		ppt_req_free(outcome);
		return EXIT_FAIL;
	}
	/* the entry as given, as match list shows it */
	n = outcome ? ppt_req_device_count(outcome) : 0;
	for (i = 0; i < n; i++)
		cmd_record(c, ppt_req_device(outcome, i), id, (int)a->match_kind,
			   a->match_text);
	if (!n)
		cmd_record(c, NULL, id, (int)a->match_kind, a->match_text);
	ppt_req_free(outcome);
	return 0;
}
