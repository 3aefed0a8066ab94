// SPDX-License-Identifier: GPL-2.0-only
/*
 * One pptadm command's context and the helpers every command uses; see
 * ctx.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "inventory.h"
#include "rows.h"
#include "sriov.h"

void ctx_init(struct ctx *c, const struct args *a)
{
	memset(c, 0, sizeof(*c));
	c->a = *a;
	c->out = stdout;
	c->err = stderr;
	c->root = "";
}

void ctx_free(struct ctx *c)
{
	ppt_close(c->h);
	variants_free(&c->vs);
	vfio_given_free(&c->given);
	free(c->host);
	free(c->kern);
	free(c->names);
	c->h = NULL;
	c->host = c->kern = NULL;
	c->names = NULL;
	c->have_host = c->have_kern = c->have_vs = false;
}

const char *ctx_op(const struct ctx *c)
{
	if (c->a.verb->id != V_MATCH)
		return c->a.verb->name;
	return c->a.match_op == MATCH_ADD ? "match add" :
	       c->a.match_op == MATCH_DEL ? "match del" : "match list";
}

void ctx_report(struct ctx *c, const struct out_error *e)
{
	out_error(c->err, c->out, c->a.fmt, e);
}

void ctx_report_what(struct ctx *c, int err, const char *what, const char *op)
{
	struct out_error e = { .err = err, .what = what, .operation = op };

	ctx_report(c, &e);
}

void ctx_report_op(struct ctx *c, const char *op, const char *dev, int err)
{
	const char *drv = NULL, *msg = ppt_errmsg(c->h);
	struct out_error e = {
		.err = err, .operation = op, .device = dev, .message = msg,
	};
	char hint[1024];

	/* a device the host uses (libppt's check, or the kernel's) */
	if (msg && (strstr(msg, "the host uses") ||
		    !strncmp(msg, "cannot tell whether the host uses", 33))) {
		snprintf(hint, sizeof(hint), "%s; --force --force takes it anyway", msg);
		e.message = hint;
	}
	e.blocker = ppt_blocker(c->h, &drv);
	e.blocker_driver = drv;
	ctx_report(c, &e);
}

void ctx_report_name(struct ctx *c, const char *op, const char *name, int err,
		     const char *msg)
{
	struct out_error e = { .err = err, .operation = op, .device = name,
			       .message = msg };

	ctx_report(c, &e);
}

int ctx_usage_error(struct ctx *c, const char *fmt, const char *arg)
{
	fputs("pptadm: ", c->err);
	fprintf(c->err, fmt, arg);
	fputc('\n', c->err);
	return EXIT_USAGE;
}

int ctx_open(struct ctx *c, const char *op)
{
	int ret;

	if (c->h)
		return 0;
	ret = ppt_open(&c->h);
	if (ret == -ENOENT)
		ctx_report_what(c, ret, "cannot reach the ppt netlink family (is the ppt module loaded? "
				"it is reachable only from the initial network namespace)", op);
	else if (ret)
		ctx_report_what(c, ret, "cannot open a netlink socket", op);
	return ret;
}

int ctx_load_host(struct ctx *c, const char *op)
{
	char err[256];
	int ret;

	if (c->have_host)
		return 0;
	ret = inventory_host(&c->host, &c->nhost, err, sizeof(err));
	if (ret) {
		ctx_report_what(c, ret, err, op);
		return ret;
	}
	sriov_fill(c->root, c->host, c->nhost);
	c->have_host = true;
	return 0;
}

int ctx_load_kernel(struct ctx *c, const char *op)
{
	struct dev_info *info = NULL;
	size_t n = 0;
	int ret;

	if (c->have_kern)
		return 0;
	ret = ctx_open(c, op);
	if (ret)
		return ret;
	ret = rows_list(c->h, &info, &n);
	if (ret) {
		struct out_error e = { .err = ret, .what = "cannot list devices",
				       .operation = op, .message = ppt_errmsg(c->h) };

		ctx_report(c, &e);
		return ret;
	}
	c->kern = inventory_from_kernel(info, n);
	free(info);
	if (!c->kern) {
		ctx_report_what(c, -ENOMEM, "out of memory", op);
		return -ENOMEM;
	}
	c->nkern = n;
	sriov_fill(c->root, c->kern, c->nkern);
	c->have_kern = true;
	return 0;
}

int ctx_load_variants(struct ctx *c, bool fatal)
{
	bool explicit;
	const char *path = variants_path(c->a.variants_file, &explicit);
	char err[512];
	int ret;

	if (c->have_vs)
		return 0;
	ret = variants_load(&c->vs, path, explicit, err, sizeof(err));
	if (ret && !fatal) {
		fprintf(c->err, "pptadm: warning: %s; devices are listed without variants\n", err);
		variants_free(&c->vs);
		c->have_vs = true;
		return 0;
	}
	if (ret) {
		ctx_report_what(c, ret, err, ctx_op(c));
		return ret;
	}
	c->have_vs = true;
	return 0;
}

void ctx_label(struct ctx *c, struct out_device *devs, size_t n,
	       const struct out_device *nb, size_t nnb)
{
	ctx_load_variants(c, false);
	variants_label(&c->vs, devs, n, nb, nnb);
}

int ctx_parse_names(struct ctx *c, int argc, char **argv)
{
	struct name *names = calloc(argc ? (size_t)argc : 1, sizeof(*names));
	char why[256];
	int i;

	if (!names) {
		ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
		return EXIT_FAIL;
	}
	for (i = 0; i < argc; i++) {
		if (name_parse(argv[i], &names[i], why, sizeof(why))) {
			free(names);
			return ctx_usage_error(c, "%s", why);
		}
	}
	free(c->names);
	c->names = names;
	return 0;
}

/* Name-matching candidates from a device list (malloc()ed). */
static struct name_cand *cands_of(const struct out_device *devs, size_t n)
{
	struct name_cand *cd = calloc(n + 1, sizeof(*cd));
	size_t i;

	for (i = 0; cd && i < n; i++)
		inventory_cand(&devs[i], &cd[i]);
	return cd;
}

int ctx_resolve_in(struct ctx *c, const struct out_device *devs, size_t ndevs,
		   const char *where, int flags, const struct name *names,
		   int nnames, struct name_target **out, size_t *nout)
{
	struct name_cand *cd = cands_of(devs, ndevs);
	struct name_problem *pr = NULL;
	size_t npr = 0, i;

	if (!cd || names_resolve(names, nnames, cd, ndevs, flags, where,
				 ctx_op(c), out, nout, &pr, &npr)) {
		free(cd);
		ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
		return EXIT_FAIL;
	}
	free(cd);
	for (i = 0; i < npr; i++)
		ctx_report_name(c, ctx_op(c), names[pr[i].name].arg, pr[i].err, pr[i].msg);
	free(pr);
	if (npr) {
		free(*out);
		*out = NULL;
		return EXIT_FAIL;
	}
	return 0;
}

int ctx_resolve(struct ctx *c, enum ctx_scope scope, bool single,
		const struct name *names, int nnames, struct name_target **out,
		size_t *nout)
{
	int flags = single ? RESOLVE_ONE : 0;
	bool lookup = false;
	int i;

	for (i = 0; i < nnames; i++)
		lookup |= names[i].kind != NAME_ADDR;
	if (lookup && (scope == SCOPE_HOST ? ctx_load_host(c, ctx_op(c)) :
		       ctx_load_kernel(c, ctx_op(c))))
		return EXIT_FAIL;
	if (!lookup)
		return ctx_resolve_in(c, NULL, 0, "", flags, names, nnames, out, nout);
	if (scope == SCOPE_HOST)
		return ctx_resolve_in(c, c->host, c->nhost, "on this host", flags,
				      names, nnames, out, nout);
	return ctx_resolve_in(c, c->kern, c->nkern, "ppt manages", flags, names,
			      nnames, out, nout);
}

int ctx_select_fields(struct ctx *c, const struct field_set *fs,
		      const char *dflt, struct out_fields *sel)
{
	char bad[64];

	switch (out_fields_select(fs, c->a.fmt, c->a.fields ? c->a.fields : dflt, sel,
				  bad, sizeof(bad))) {
	case 0:
		return 0;
	case OUT_FIELD_TWICE:
		fprintf(c->err, "pptadm: -o names the field \"%s\" twice (aliases count)\n", bad);
		return EXIT_USAGE;
	default:
		fprintf(c->err, "pptadm: unknown output field \"%s\" (fields: %s)\n",
			bad, out_field_names(fs));
		return EXIT_USAGE;
	}
}
