// SPDX-License-Identifier: GPL-2.0-only
/*
 * SR-IOV: VF and PF relations from sysfs, and pptadm sriov; see sriov.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "inventory.h"
#include "names.h"
#include "persist.h"
#include "rows.h"
#include "sriov.h"

#define SYSFS_PCI	"/sys/bus/pci/devices"

/* The path of a device's sysfs attribute below root. */
static void dev_path(char *buf, size_t len, const char *root, const char *addr,
		     const char *attr)
{
	snprintf(buf, len, "%s" SYSFS_PCI "/%s%s%s", root, addr, attr ? "/" : "",
		 attr ? attr : "");
}

/* A decimal number from a sysfs file; false when unreadable. */
static bool read_uint(const char *path, unsigned int *out)
{
	char buf[32], *end;
	unsigned long v;
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!ok)
		return false;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > UINT_MAX)
		return false;
	*out = (unsigned int)v;
	return true;
}

/* The last component of a symlink's target; false when it is none. */
static bool link_base(const char *path, char *out, size_t len)
{
	char target[PATH_MAX];
	const char *slash, *base;
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n <= 0)
		return false;
	target[n] = '\0';
	slash = strrchr(target, '/');
	base = slash ? slash + 1 : target;
	if (!*base || strlen(base) >= len)
		return false;
	memcpy(out, base, strlen(base) + 1);
	return true;
}

/* A link to a PCI function: its canonical address. */
static bool link_addr(const char *path, char out[PPT_ADDR_BUFLEN])
{
	char base[NAME_MAX + 1];

	return link_base(path, base, sizeof(base)) && addr_parse(base, out);
}

/* "virtfnK": K; -1 for another name. */
static long virtfn_index(const char *name)
{
	char *end;
	long k;

	if (strncmp(name, "virtfn", 6) || name[6] < '0' || name[6] > '9')
		return -1;
	k = strtol(name + 6, &end, 10);
	return *end || k < 0 || k > 65535 ? -1 : k;
}

/* The K of pf's virtfnK link to vf; -1 when there is none. */
static long vf_index_of(const char *root, const char *pf, const char *vf)
{
	char dir[PATH_MAX], p[PATH_MAX + NAME_MAX + 2], a[PPT_ADDR_BUFLEN];
	struct dirent *e;
	long k, found = -1;
	DIR *d;

	dev_path(dir, sizeof(dir), root, pf, NULL);
	d = opendir(dir);
	if (!d)
		return -1;
	while (found < 0 && (e = readdir(d))) {
		k = virtfn_index(e->d_name);
		if (k < 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (link_addr(p, a) && !strcmp(a, vf))
			found = k;
	}
	closedir(d);
	return found;
}

void sriov_read(const char *root, const char *addr, struct out_sriov *s)
{
	char p[PATH_MAX];
	long k;

	memset(s, 0, sizeof(*s));
	dev_path(p, sizeof(p), root, addr, "physfn");
	if (link_addr(p, s->physfn)) {
		k = vf_index_of(root, s->physfn, addr);
		/* a VF without its link (going away): no index to show */
		if (k < 0)
			s->physfn[0] = '\0';
		else
			s->vf_index = (unsigned int)k;
	}
	dev_path(p, sizeof(p), root, addr, "sriov_totalvfs");
	s->is_pf = read_uint(p, &s->totalvfs);
	dev_path(p, sizeof(p), root, addr, "sriov_numvfs");
	if (s->is_pf && !read_uint(p, &s->numvfs))
		s->numvfs = 0;
}

void sriov_fill(const char *root, struct out_device *devs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sriov_read(root, devs[i].info.addr, &devs[i].sriov);
}

static int vf_cmp(const void *a, const void *b)
{
	const struct sriov_vf *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

int sriov_pf_read(const char *root, const char *addr, struct sriov_pf *p)
{
	char dir[PATH_MAX], path[PATH_MAX + NAME_MAX + 16];
	struct stat st;
	struct dirent *e;
	DIR *d;
	long k;

	memset(p, 0, sizeof(*p));
	snprintf(p->addr, sizeof(p->addr), "%s", addr);
	dev_path(dir, sizeof(dir), root, addr, NULL);
	p->exists = !stat(dir, &st) && S_ISDIR(st.st_mode);
	if (!p->exists)
		return 0;
	snprintf(path, sizeof(path), "%s/physfn", dir);
	link_addr(path, p->physfn);
	snprintf(path, sizeof(path), "%s/sriov_totalvfs", dir);
	p->capable = read_uint(path, &p->totalvfs);
	snprintf(path, sizeof(path), "%s/sriov_numvfs", dir);
	if (!read_uint(path, &p->numvfs))
		p->numvfs = 0;
	snprintf(path, sizeof(path), "%s/driver", dir);
	link_base(path, p->driver, sizeof(p->driver));
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		struct sriov_vf *v;

		k = virtfn_index(e->d_name);
		if (k < 0)
			continue;
		v = realloc(p->vfs, (p->nvfs + 1) * sizeof(*v));
		if (!v) {
			closedir(d);
			sriov_pf_free(p);
			return -ENOMEM;
		}
		p->vfs = v;
		v = &v[p->nvfs];
		memset(v, 0, sizeof(*v));
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!link_addr(path, v->addr))
			continue;
		v->index = (unsigned int)k;
		dev_path(path, sizeof(path), root, v->addr, "driver");
		link_base(path, v->driver, sizeof(v->driver));
		p->nvfs++;
	}
	if (d)
		closedir(d);
	if (p->nvfs > 1)
		qsort(p->vfs, p->nvfs, sizeof(*p->vfs), vf_cmp);
	return 0;
}

void sriov_pf_free(struct sriov_pf *p)
{
	free(p->vfs);
	p->vfs = NULL;
	p->nvfs = 0;
}

void sriov_pf_mark(struct sriov_pf *p, const struct out_device *kern, size_t nkern)
{
	size_t i, j;

	for (i = 0; i < p->nvfs; i++) {
		p->vfs[i].managed = false;
		for (j = 0; j < nkern; j++) {
			if (strcmp(kern[j].info.addr, p->vfs[i].addr))
				continue;
			p->vfs[i].managed = true;
			p->vfs[i].state = kern[j].info.state;
		}
	}
}

bool sriov_vf_idle(const struct sriov_vf *vf)
{
	if (vf->driver[0] && strcmp(vf->driver, "ppt"))
		return false;
	return !vf->managed || vf->state == PPT_STATE_RESERVED ||
	       vf->state == PPT_STATE_DIRTY || vf->state == PPT_STATE_QUARANTINED;
}

int sriov_decide(const struct sriov_pf *p, unsigned int want,
		 const struct sriov_env *env, struct sriov_plan *plan,
		 char *why, size_t whylen)
{
	size_t i, off, busy = 0;

	memset(plan, 0, sizeof(*plan));
	why[0] = '\0';
	if (!p->exists) {
		snprintf(why, whylen, "no PCI device %s in sysfs", p->addr);
		return -ENODEV;
	}
	if (p->physfn[0]) {
		snprintf(why, whylen,
			 "%s is an SR-IOV virtual function (of %s): name its physical function",
			 p->addr, p->physfn);
		return -ENODEV;
	}
	if (!p->capable) {
		snprintf(why, whylen,
			 "%s has no SR-IOV capability (no sriov_totalvfs in sysfs)", p->addr);
		return -ENODEV;
	}
	if (want > p->totalvfs) {
		snprintf(why, whylen, "VF count %u is more than %s's sriov_totalvfs (%u)",
			 want, p->addr, p->totalvfs);
		return -ERANGE;
	}
	if (want && !env->ppt) {
		snprintf(why, whylen,
			 "ppt is not loaded: nothing would hold the VFs (modprobe ppt)");
		return -ENOENT;
	}
	if (p->numvfs && p->numvfs != want) {
		off = (size_t)snprintf(why, whylen, "VFs in use: ");
		for (i = 0; i < p->nvfs; i++) {
			const struct sriov_vf *vf = &p->vfs[i];

			if (sriov_vf_idle(vf))
				continue;
			if (off < whylen)
				off += (size_t)snprintf(why + off, whylen - off, "%s%s (%s%s)",
							busy ? ", " : "", vf->addr,
							vf->driver[0] && strcmp(vf->driver, "ppt") ?
							"driver " : "",
							vf->driver[0] && strcmp(vf->driver, "ppt") ?
							vf->driver : ppt_state_name(vf->state));
			busy++;
		}
		if (busy) {
			if (off < whylen)
				snprintf(why + off, whylen - off,
					 "; changing the count removes every VF: stop using %s first",
					 busy == 1 ? "it" : "them");
			return -EBUSY;
		}
		why[0] = '\0';
		plan->write_zero = true;
	}
	plan->write_count = want && p->numvfs != want;
	plan->add_match = want && strcmp(p->driver, "ppt") && !env->boot_match &&
			  !env->runtime_match;
	plan->del_match = !want && env->runtime_match;
	return 0;
}

int sriov_write(const char *root, const char *addr, const char *attr,
		unsigned int value)
{
	char path[PATH_MAX], buf[16];
	int fd, ret = 0, len;

	dev_path(path, sizeof(path), root, addr, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%u\n", value);
	if (write(fd, buf, (size_t)len) != len)
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

const char *sriov_write_why(int err)
{
	switch (err) {
	case -EBUSY:
		return "the kernel refused: VFs in use (see the kernel log)";
	case -ENOENT:
		return "the PF has no driver, or its driver cannot configure SR-IOV (bind its host driver, or reserve it with ppt)";
	default:
		return NULL;
	}
}

/* The vfs matches that name the PF (env); 0 or EXIT_FAIL (said). */
static int find_matches(struct ctx *c, const char *pf, struct sriov_env *env)
{
	struct out_match *m = NULL;
	char a[PPT_ADDR_BUFLEN];
	unsigned int count;
	const char *why;
	size_t n = 0, i;
	int ret;

	ret = rows_matches(c->h, &m, &n);
	if (ret) {
		struct out_error e = { .err = ret, .what = "cannot list matches",
				       .operation = ctx_op(c), .message = ppt_errmsg(c->h) };

		ctx_report(c, &e);
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (m[i].kind != PPT_MATCH_VFS ||
		    entry_parse_vfs(m[i].text, a, &count, &why) || strcmp(a, pf))
			continue;
		if (m[i].boot)
			env->boot_match = true;
		else
			env->runtime_match = true;
	}
	free(m);
	return 0;
}

/* The kernel's devices again, after a change. */
static int reload_kernel(struct ctx *c)
{
	free(c->kern);
	c->kern = NULL;
	c->nkern = 0;
	c->have_kern = false;
	return ctx_load_kernel(c, ctx_op(c));
}

/*
 * Until each VF of the PF is ppt's and settled (not reserving), or the
 * timeout: the bus notifier gives ppt the new VFs as they are added.
 */
static void settle(struct ctx *c, const char *pf)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int waited = 0;

	while (waited < c->a.timeout_ms) {
		struct sriov_pf p;
		bool done = true;
		size_t i;

		if (reload_kernel(c) || sriov_pf_read(c->root, pf, &p))
			return;
		sriov_pf_mark(&p, c->kern, c->nkern);
		for (i = 0; i < p.nvfs; i++)
			done &= p.vfs[i].managed && p.vfs[i].state != PPT_STATE_RESERVING;
		sriov_pf_free(&p);
		if (done)
			return;
		nanosleep(&ts, NULL);
		waited += 100;
	}
}

/* A failed sysfs write, said. */
static void report_write(struct ctx *c, const char *pf, const char *attr, int err)
{
	char msg[256];
	const char *why = !strcmp(attr, "sriov_numvfs") ? sriov_write_why(err) : NULL;

	if (!why) {
		snprintf(msg, sizeof(msg), "cannot write %s" SYSFS_PCI "/%s/%s", c->root, pf,
			 attr);
		why = msg;
	}
	ctx_report_name(c, ctx_op(c), pf, err, why);
}

int sriov_apply(struct ctx *c, const char *pf, unsigned int want,
		bool *match_changed, uint64_t *req_id)
{
	struct sriov_env env = { 0 };
	struct sriov_plan plan;
	struct sriov_pf p;
	char why[2048], what[PPT_MATCH_BUFLEN + 8], dir[PATH_MAX];
	int ret, lock, status = EXIT_FAIL;

	*match_changed = false;
	*req_id = 0;
	/*
	 * One pptadm at a time changes a PF's VFs: a lock on its sysfs
	 * directory, which every host has (the boot lists' directory may not
	 * exist, and sriov changes nothing there).
	 */
	dev_path(dir, sizeof(dir), c->root, pf, NULL);
	lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0 || flock(lock, LOCK_EX) < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			snprintf(why, sizeof(why), "no PCI device %s in sysfs", pf);
		else
			snprintf(why, sizeof(why), "%.1024s: cannot lock it: %s", dir,
				 strerror(-ret));
		ctx_report_name(c, ctx_op(c), pf, ret, why);
		if (lock >= 0)
			close(lock);
		return EXIT_FAIL;
	}
	if (sriov_pf_read(c->root, pf, &p)) {
		ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
		close(lock);
		return EXIT_FAIL;
	}
	ret = c->h ? 0 : ppt_open(&c->h);
	if (ret && ret != -ENOENT) {
		ctx_report_what(c, ret, "cannot open a netlink socket", ctx_op(c));
		goto out;
	}
	env.ppt = !ret;
	if (env.ppt) {
		if (ctx_load_kernel(c, ctx_op(c)) || find_matches(c, pf, &env))
			goto out;
		sriov_pf_mark(&p, c->kern, c->nkern);
	}
	ret = sriov_decide(&p, want, &env, &plan, why, sizeof(why));
	if (ret) {
		ctx_report_name(c, ctx_op(c), pf, ret, why);
		goto out;
	}
	snprintf(what, sizeof(what), "vfs %s", pf);
	if (plan.add_match) {
		/* waits for the outcome: the VFs there are reserved */
		ret = ppt_match_add(c->h, PPT_MATCH_VFS, pf, PPT_RESET_AUTO, 0,
				    c->a.timeout_ms, req_id, NULL);
		if (ret) {
			ctx_report_op(c, ctx_op(c), what, ret);
			goto out;
		}
		*match_changed = true;
	}
	/* no VF driver probes a VF, even with ppt gone */
	ret = sriov_write(c->root, pf, "sriov_drivers_autoprobe", 0);
	if (ret) {
		report_write(c, pf, "sriov_drivers_autoprobe", ret);
		goto undo;
	}
	if (plan.write_zero) {
		ret = sriov_write(c->root, pf, "sriov_numvfs", 0);
		if (ret) {
			report_write(c, pf, "sriov_numvfs", ret);
			goto undo;
		}
	}
	if (plan.write_count) {
		ret = sriov_write(c->root, pf, "sriov_numvfs", want);
		if (ret) {
			report_write(c, pf, "sriov_numvfs", ret);
			goto undo;
		}
	}
	if (plan.del_match) {
		ret = ppt_match_del(c->h, PPT_MATCH_VFS, pf, 0);
		if (ret) {
			ctx_report_op(c, ctx_op(c), what, ret);
			goto out;
		}
		*match_changed = true;
	}
	if (want && env.ppt)
		settle(c, pf);
	status = 0;
	goto out;
undo:
	/* the match this added goes again: the command changed nothing else */
	if (*match_changed && !ppt_match_del(c->h, PPT_MATCH_VFS, pf, 0)) {
		*match_changed = false;
		*req_id = 0;
	}
out:
	sriov_pf_free(&p);
	close(lock);
	return status;
}

struct out_device *sriov_rows(struct ctx *c, const char *pf, size_t *n)
{
	struct out_device *rows;
	struct sriov_pf p;
	size_t i, j;

	*n = 0;
	if (sriov_pf_read(c->root, pf, &p))
		return NULL;
	/* without ppt, sysfs's view alone */
	if (c->h && reload_kernel(c))
		c->have_kern = false;
	rows = calloc(p.nvfs + 1, sizeof(*rows));
	for (i = 0; rows && i < p.nvfs; i++) {
		struct out_device *r = &rows[i];

		r->host_only = true;
		snprintf(r->info.addr, sizeof(r->info.addr), "%s", p.vfs[i].addr);
		snprintf(r->info.driver, sizeof(r->info.driver), "%s", p.vfs[i].driver);
		r->info.iommu_group = -1;
		r->info.last_reset = -1;
		r->info.reset_pref = -1;
		for (j = 0; c->have_kern && j < c->nkern; j++) {
			if (!strcmp(c->kern[j].info.addr, p.vfs[i].addr)) {
				*r = c->kern[j];
				r->host_only = false;
			}
		}
		sriov_read(c->root, r->info.addr, &r->sriov);
	}
	if (rows)
		*n = p.nvfs;
	sriov_pf_free(&p);
	return rows;
}

int cmd_sriov(struct ctx *c)
{
	const struct args *a = &c->a;
	struct name_target *t = NULL;
	struct out_device *rows = NULL;
	struct out_fields sel;
	char pf[PPT_ADDR_BUFLEN];
	bool changed;
	uint64_t id;
	size_t nt = 0, n = 0, i;
	int ret;

	ret = ctx_select_fields(c, &out_device_fields, "addr,state,driver", &sel);
	if (!ret)
		ret = ctx_parse_names(c, 1, a->argv);
	if (ret)
		return ret;
	if (ctx_resolve(c, SCOPE_HOST, true, c->names, 1, &t, &nt))
		return EXIT_FAIL;
	snprintf(pf, sizeof(pf), "%s", t[0].addr);
	free(t);
	/* sriov_apply() takes the PF's lock */
	ret = sriov_apply(c, pf, a->numvfs, &changed, &id);
	if (ret)
		return ret;
	rows = sriov_rows(c, pf, &n);
	if (!rows) {
		ctx_report_what(c, -ENOMEM, "out of memory", ctx_op(c));
		return EXIT_FAIL;
	}
	if (out_is_json(a->fmt)) {
		for (i = 0; i < n; i++)
			cmd_record(c, rows[i].info.addr, id, changed ? PPT_MATCH_VFS : -1, pf);
		if (!n)
			cmd_record(c, pf, id, changed ? PPT_MATCH_VFS : -1, pf);
	} else if (n) {
		inventory_names(rows, n);
		ctx_label(c, rows, n, rows, n);
		out_devices(c->out, a->fmt, &sel, rows, n);
	} else if (a->fmt == OUT_TABLE) {
		fprintf(c->err, "pptadm: %s has no virtual functions\n", pf);
	}
	free(rows);
	return 0;
}
