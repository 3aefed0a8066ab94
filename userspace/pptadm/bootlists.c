// SPDX-License-Identifier: GPL-2.0-only
/*
 * add and remove: reserve or release now, and keep the boot lists file;
 * see bootlists.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootlists.h"
#include "cmds.h"
#include "inventory.h"
#include "rows.h"
#include "sriov.h"

const struct persist_entry *boot_other_entry(const struct persist *p,
					     const struct out_device *d,
					     const struct name *names,
					     int nnames, int *kind)
{
	struct name_cand c;
	size_t i;
	int k, n;

	inventory_cand(d, &c);
	for (k = 0; k < PERSIST_NLISTS; k++) {
		for (i = 0; i < p->nlist[k]; i++) {
			const struct persist_entry *e = &p->list[k][i];

			for (n = 0; n < nnames; n++)
				if ((int)name_list(&names[n]) == k &&
				    !strcmp(names[n].canon, e->canon))
					break;
			if (n < nnames || !entry_matches((enum ppt_match_kind)k, e->canon, &c))
				continue;
			*kind = k;
			return e;
		}
	}
	return NULL;
}

const struct persist_entry *boot_elsewhere_entry(const struct persist *others,
						 size_t nothers,
						 const struct out_device *d,
						 const char **src, int *kind)
{
	const struct persist_entry *e;
	size_t i;

	for (i = 0; i < nothers; i++) {
		e = boot_other_entry(&others[i], d, NULL, 0, kind);
		if (e) {
			*src = others[i].path;
			return e;
		}
	}
	return NULL;
}

struct persist *boot_load_elsewhere(const char *path, const char *root, size_t *n)
{
	struct persist *v;
	char **files = NULL, err[512], *name;
	size_t nf = 0, i;

	*n = 0;
	if (persist_other_files(path, &files, &nf))
		nf = 0;
	v = calloc(nf + 1, sizeof(*v));
	for (i = 0; i <= nf; i++) {
		int ret;

		name = i ? files[i - 1] : strdup("the kernel command line");
		if (!v || !name) {
			free(name);
			continue;
		}
		ret = i ? persist_load_other(&v[*n], name, err, sizeof(err)) :
			  persist_load_cmdline(&v[*n], root, err, sizeof(err));
		if (ret) {
			persist_free(&v[*n]);
			free(name);
			continue;
		}
		v[(*n)++].path = name;
	}
	free(files);
	return v;
}

void boot_free_elsewhere(struct persist *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		char *name = (char *)v[i].path;

		persist_free(&v[i]);
		free(name);
	}
	free(v);
}

const struct persist_entry *boot_vfs_entry(const struct persist *p,
					   const struct name *n)
{
	return n->kind == NAME_ADDR ? persist_find(p, PPT_MATCH_VFS, n->canon) : NULL;
}

/* A new problem of name k at the end of *pr; NULL without memory. */
static struct boot_problem *problem(struct boot_problem **pr, size_t *npr,
				    size_t *cap, int k, int err)
{
	struct boot_problem *v;

	if (*npr == *cap) {
		*cap = *cap * 2 + 8;
		v = realloc(*pr, *cap * sizeof(*v));
		if (!v)
			return NULL;
		*pr = v;
	}
	v = &(*pr)[(*npr)++];
	v->name = k;
	v->err = err;
	return v;
}

int boot_remove_check(const struct persist *p, const struct persist *others,
		      size_t nothers, const struct out_device *devs, size_t ndevs,
		      const struct name *names, int nnames,
		      struct boot_problem **pr, size_t *npr)
{
	const struct persist_entry *e;
	struct boot_problem *v;
	const char *src;
	size_t i, cap = 0;
	int k, kind;

	*pr = NULL;
	*npr = 0;
	for (k = 0; k < nnames; k++) {
		bool listed = persist_find(p, name_list(&names[k]), names[k].canon) ||
			      boot_vfs_entry(p, &names[k]);
		size_t hits = 0;

		for (i = 0; i < ndevs; i++) {
			struct name_cand c;

			inventory_cand(&devs[i], &c);
			if (!name_matches(&names[k], &c))
				continue;
			hits++;
			e = boot_other_entry(p, &devs[i], names, nnames, &kind);
			if (e) {
				v = problem(pr, npr, &cap, k, -EEXIST);
				if (!v)
					goto nomem;
				snprintf(v->msg, sizeof(v->msg),
					 "%s is also named by %s=%s (%s:%d): remove that too (pptadm remove %s)",
					 devs[i].info.addr, persist_param((enum ppt_match_kind)kind),
					 e->text, p->path, e->line,
					 /* vfs=PF=N: removed by naming the PF */
					 kind == PPT_MATCH_VFS ? e->canon : e->text);
			}
			e = boot_elsewhere_entry(others, nothers, &devs[i], &src, &kind);
			if (e) {
				v = problem(pr, npr, &cap, k, -EEXIST);
				if (!v)
					goto nomem;
				snprintf(v->msg, sizeof(v->msg),
					 "%s is also named by ppt's %s=%s in %s: it would be reserved again at boot; remove it there first",
					 devs[i].info.addr, persist_param((enum ppt_match_kind)kind),
					 e->text, src);
			}
		}
		if (!listed && !hits) {
			v = problem(pr, npr, &cap, k, -ENOENT);
			if (!v)
				goto nomem;
			snprintf(v->msg, sizeof(v->msg), "not in %s and not managed by ppt", p->path);
		}
	}
	return 0;
nomem:
	free(*pr);
	*pr = NULL;
	*npr = 0;
	return -ENOMEM;
}

void boot_note_change(struct ctx *c, const char *path)
{
	char where[4096];

	if (persist_others(path, where, sizeof(where)))
		fprintf(c->err,
			"pptadm: warning: %s sets ppt options too; modprobe passes both, and a parameter set in both takes the later file's value\n",
			where);
	if (persist_in_initramfs(c->root, where, sizeof(where)))
		fprintf(c->err,
			"pptadm: note: ppt is loaded from the initramfs (%s): run update-initramfs -u (or dracut -f) so the next boot uses %s\n",
			where, path);
	else
		fprintf(c->err,
			"pptadm: note: if ppt is loaded from your initramfs, run update-initramfs -u (or dracut -f) so the next boot uses %s\n",
			path);
}

/* Declared in bootlists.h. */
int boot_lists_save(struct ctx *c, struct persist *p, const char *done)
{
	char err[512], *content;
	int ret;

	if (!p->changed)
		return 0;
	content = persist_render(p);
	if (!content) {
		ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
		return EXIT_FAIL;
	}
	ret = persist_write(p->path, content, err, sizeof(err));
	free(content);
	if (ret) {
		char what[768];

		snprintf(what, sizeof(what), "%s; %s, but the next boot will not know",
			 err, done);
		ctx_report_what(c, ret, what, ctx_op(c));
		return EXIT_FAIL;
	}
	boot_note_change(c, p->path);
	return 0;
}

/* Declared in bootlists.h. */
void boot_note_cmdline(struct ctx *c, const char *path, int list)
{
	struct persist cl;
	char err[512];

	if (!persist_load_cmdline(&cl, c->root, err, sizeof(err)) && cl.nlist[list])
		fprintf(c->err,
			"pptadm: warning: the kernel command line sets ppt.%s=, which replaces %s's %s= at boot: add the entry there too\n",
			persist_param(list), path, persist_param(list));
	persist_free(&cl);
}

/* Declared in bootlists.h. */
int boot_lists_open(struct ctx *c, const char *path, struct persist *p, int *lock)
{
	char err[512];
	int ret;

	*lock = persist_lock(path, err, sizeof(err));
	if (*lock < 0) {
		ctx_report_what(c, *lock, err, ctx_op(c));
		return EXIT_FAIL;
	}
	ret = persist_load(p, path, err, sizeof(err));
	if (ret) {
		ctx_report_what(c, ret, err, ctx_op(c));
		persist_free(p);
		close(*lock);
		return EXIT_FAIL;
	}
	return 0;
}

/* A device acted on, for its record once the file is written. */
struct done {
	char addr[PPT_ADDR_BUFLEN];
	uint64_t id;
	int name;
};

/* The records: each device, with its name's entry when the file has it. */
static void records(struct ctx *c, const struct done *d, size_t nd,
		    const struct name *names, int nnames, const bool *entry_ok,
		    const bool *acted)
{
	size_t i;
	int k;

	for (i = 0; i < nd; i++)
		cmd_record(c, d[i].addr, d[i].id,
			   entry_ok[d[i].name] ? (int)name_list(&names[d[i].name]) : -1,
			   names[d[i].name].canon);
	/* names that acted on no device: the entry alone */
	for (k = 0; acted && k < nnames; k++)
		if (!acted[k] && entry_ok[k])
			cmd_record(c, NULL, 0, (int)name_list(&names[k]), names[k].canon);
}

/* add --vfs COUNT PF: the VFs now, as sriov does, and vfs=PF=COUNT for every boot */
static int add_vfs(struct ctx *c, const char *path, struct persist *p)
{
	struct name_target *t = NULL;
	struct out_device *rows;
	char pf[PPT_ADDR_BUFLEN], entry[PPT_MATCH_BUFLEN];
	uint64_t id;
	size_t nt = 0, n = 0, i;
	bool changed;
	int ret;

	if (ctx_resolve(c, SCOPE_HOST, true, c->names, 1, &t, &nt))
		return EXIT_FAIL;
	snprintf(pf, sizeof(pf), "%s", t[0].addr);
	free(t);
	snprintf(entry, sizeof(entry), "%s=%u", pf, c->a.vfs);
	if (sriov_apply(c, pf, c->a.vfs, &changed, &id)) {
		fprintf(c->err, "pptadm: %s: not added to %s\n", c->names[0].arg, path);
		return EXIT_FAIL;
	}
	ret = persist_add(p, PPT_MATCH_VFS, entry);
	if (ret < 0) {
		ctx_report_what(c, ret, persist_strerror(ret), "add");
		return EXIT_FAIL;
	}
	if (!out_is_json(c->a.fmt))
		fprintf(c->err, "pptadm: %s: %s vfs=%s\n", c->names[0].arg,
			ret ? "adding to the boot lists as" : "already in the boot lists as",
			entry);
	if (ret)
		boot_note_cmdline(c, path, PPT_MATCH_VFS);
	if (boot_lists_save(c, p, "the VFs are enabled"))
		return EXIT_FAIL;
	/* a record for each VF, with the boot-list entry */
	rows = sriov_rows(c, pf, &n);
	for (i = 0; rows && i < n; i++)
		cmd_record(c, rows[i].info.addr, id, PPT_MATCH_VFS, entry);
	free(rows);
	return 0;
}

int cmd_add(struct ctx *c)
{
	const struct args *a = &c->a;
	const char *path = persist_path();
	struct name_target *t = NULL;
	struct done *done = NULL;
	struct dev_info info;
	struct persist p;
	size_t nt = 0, nd = 0, i;
	bool *ok = NULL;
	int ret, k, lock, status = 0;

	ret = ctx_parse_names(c, a->argc, a->argv);
	if (ret || (ret = boot_lists_open(c, path, &p, &lock)))
		return ret;
	if (a->vfs) {
		status = add_vfs(c, path, &p);
		goto out;
	}
	ok = calloc((size_t)a->argc, sizeof(*ok));
	if (!ok || ctx_resolve(c, SCOPE_HOST, false, c->names, a->argc, &t, &nt) ||
	    ctx_open(c, "add")) {
		status = EXIT_FAIL;
		goto out;
	}
	done = calloc(nt + 1, sizeof(*done));
	if (!done) {
		ctx_report_what(c, -ENOMEM, "out of memory", "add");
		status = EXIT_FAIL;
		goto out;
	}
	for (k = 0; k < a->argc; k++)
		ok[k] = true;
	for (i = 0; i < nt; i++) {
		uint64_t id = 0;

		/* idempotent: a device ppt holds already is left as it is */
		if (rows_get(c->h, t[i].addr, &info) || info.state == PPT_STATE_DETACHED)
			ret = cmd_device_op(c, t[i].addr, &id);
		else
			ret = 0;
		if (ret) {
			ctx_report_op(c, "add", t[i].addr, ret);
			ok[t[i].name] = false;
			status = EXIT_FAIL;
			continue;
		}
		memcpy(done[nd].addr, t[i].addr, PPT_ADDR_BUFLEN);
		done[nd].id = id;
		done[nd++].name = t[i].name;
	}
	for (k = 0; k < a->argc; k++) {
		const struct name *nm = &c->names[k];
		enum ppt_match_kind kind = name_list(nm);

		if (!ok[k]) {
			fprintf(c->err, "pptadm: %s: not added to %s\n", nm->arg, path);
			continue;
		}
		ret = persist_add(&p, kind, nm->canon);
		if (ret == -E2BIG) {
			fprintf(c->err, "pptadm: %s: not added to %s: %s= there: %s\n", nm->arg,
				path, persist_param(kind), persist_strerror(ret));
			ok[k] = false;
			status = EXIT_FAIL;
			continue;
		}
		if (ret < 0) {
			ctx_report_what(c, ret, "out of memory", "add");
			status = EXIT_FAIL;
			goto out;
		}
		if (!out_is_json(a->fmt))
			fprintf(c->err, "pptadm: %s: %s %s=%s\n", nm->arg,
				ret ? "adding to the boot lists as" : "already in the boot lists as",
				persist_param(kind), nm->canon);
		if (ret)
			boot_note_cmdline(c, path, kind);
	}
	if (boot_lists_save(c, &p, "the devices are reserved")) {
		status = EXIT_FAIL;
		memset(ok, 0, (size_t)a->argc * sizeof(*ok));
	}
	records(c, done, nd, c->names, a->argc, ok, NULL);
out:
	persist_free(&p);
	free(done);
	free(ok);
	free(t);
	close(lock);
	return status;
}

int cmd_remove(struct ctx *c)
{
	const struct args *a = &c->a;
	const char *path = persist_path();
	struct persist p, *others = NULL;
	struct boot_problem *pr = NULL;
	struct done *done = NULL;
	size_t i, nothers = 0, npr = 0, nd = 0;
	bool *ok = NULL, *acted = NULL, *vfs = NULL;
	char **vfs_text = NULL;
	int ret, k, lock, status = 0;

	ret = ctx_parse_names(c, a->argc, a->argv);
	if (ret || (ret = boot_lists_open(c, path, &p, &lock)))
		return ret;
	others = boot_load_elsewhere(path, c->root, &nothers);
	/* without ppt loaded, only the file changes */
	ret = ppt_open(&c->h);
	if (ret && ret != -ENOENT) {
		ctx_report_what(c, ret, "cannot open a netlink socket", "remove");
		status = EXIT_FAIL;
		goto out;
	}
	if (!ret && ctx_load_kernel(c, "remove")) {
		status = EXIT_FAIL;
		goto out;
	}
	ok = calloc((size_t)a->argc, sizeof(*ok));
	acted = calloc((size_t)a->argc, sizeof(*acted));
	vfs = calloc((size_t)a->argc, sizeof(*vfs));
	vfs_text = calloc((size_t)a->argc, sizeof(*vfs_text));
	done = calloc(c->nkern + 1, sizeof(*done));
	/* check every name before anything is done */
	if (!ok || !acted || !vfs || !vfs_text || !done ||
	    boot_remove_check(&p, others, nothers, c->kern, c->nkern, c->names, a->argc,
			      &pr, &npr)) {
		ctx_report_what(c, -ENOMEM, "out of memory", "remove");
		status = EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < npr; i++)
		ctx_report_name(c, "remove", c->names[pr[i].name].arg, pr[i].err, pr[i].msg);
	if (npr) {
		status = EXIT_FAIL;
		goto out;
	}
	for (k = 0; k < a->argc; k++)
		ok[k] = true;
	/* a PF's vfs= entry: its VFs go first (a PF is not released under them) */
	for (k = 0; k < a->argc; k++) {
		const struct persist_entry *e = boot_vfs_entry(&p, &c->names[k]);
		uint64_t id;
		bool changed;

		if (!e)
			continue;
		vfs_text[k] = strdup(e->text);
		if (!vfs_text[k] || sriov_apply(c, c->names[k].canon, 0, &changed, &id)) {
			if (!vfs_text[k])
				ctx_report_what(c, -ENOMEM, "out of memory", "remove");
			ok[k] = false;
			status = EXIT_FAIL;
			continue;
		}
		vfs[k] = true;
	}
	for (i = 0; i < c->nkern; i++) {
		struct name_cand cd;
		uint64_t id = 0;

		inventory_cand(&c->kern[i], &cd);
		for (k = 0; k < a->argc && !name_matches(&c->names[k], &cd); k++)
			;
		if (k == a->argc || !ok[k])
			continue;
		acted[k] = true;
		ret = cmd_device_op(c, c->kern[i].info.addr, &id);
		if (ret) {
			ctx_report_op(c, "remove", c->kern[i].info.addr, ret);
			ok[k] = false;
			status = EXIT_FAIL;
			continue;
		}
		memcpy(done[nd].addr, c->kern[i].info.addr, PPT_ADDR_BUFLEN);
		done[nd].id = id;
		done[nd++].name = k;
	}
	for (k = 0; k < a->argc; k++) {
		const struct name *nm = &c->names[k];
		enum ppt_match_kind lk = name_list(nm);

		if (!ok[k]) {
			fprintf(c->err, "pptadm: %s: kept in %s\n", nm->arg, path);
			continue;
		}
		/* from here on, ok: the file had the entry and drops it */
		ok[k] = persist_del(&p, lk, nm->canon);
		if (ok[k] && !out_is_json(a->fmt))
			fprintf(c->err, "pptadm: %s: dropping %s=%s from the boot lists\n",
				nm->arg, persist_param(lk), nm->canon);
		if (vfs[k] && persist_del(&p, PPT_MATCH_VFS, nm->canon) &&
		    !out_is_json(a->fmt))
			fprintf(c->err, "pptadm: %s: dropping vfs=%s from the boot lists\n",
				nm->arg, vfs_text[k]);
	}
	if (boot_lists_save(c, &p, "the devices are released")) {
		status = EXIT_FAIL;
		memset(ok, 0, (size_t)a->argc * sizeof(*ok));
		memset(vfs, 0, (size_t)a->argc * sizeof(*vfs));
	}
	records(c, done, nd, c->names, a->argc, ok, acted);
	for (k = 0; k < a->argc; k++)
		if (vfs[k])
			cmd_record(c, c->names[k].canon, 0, PPT_MATCH_VFS, vfs_text[k]);
out:
	persist_free(&p);
	boot_free_elsewhere(others, nothers);
	free(pr);
	free(done);
	for (k = 0; vfs_text && k < a->argc; k++)
		free(vfs_text[k]);
	free(vfs_text);
	free(vfs);
	free(acted);
	free(ok);
	close(lock);
	return status;
}
