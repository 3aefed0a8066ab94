// SPDX-License-Identifier: GPL-2.0-only
/*
 * list and show: the devices ppt manages, or the host's, in every format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "export.h"
#include "info.h"
#include "inventory.h"
#include "rows.h"
#include "sriov.h"

/* list -a: the host's devices with the kernel's view merged in (c->host). */
static int load_all(struct ctx *c)
{
	struct dev_info *info;
	size_t i;
	int ret;

	if (ctx_load_host(c, "list"))
		return EXIT_FAIL;
	/* without ppt the host's devices are still worth listing */
	ret = ppt_open(&c->h);
	if (ret == -ENOENT) {
		fprintf(c->err, "pptadm: note: ppt is not loaded; no device is managed\n");
		return 0;
	}
	if (ret) {
		ctx_report_what(c, ret, "cannot open a netlink socket", "list");
		return EXIT_FAIL;
	}
	if (ctx_load_kernel(c, "list"))
		return EXIT_FAIL;
	info = calloc(c->nkern + 1, sizeof(*info));
	for (i = 0; info && i < c->nkern; i++)
		info[i] = c->kern[i].info;
	if (!info || inventory_merge(&c->host, &c->nhost, info, c->nkern)) {
		free(info);
		ctx_report_what(c, -ENOMEM, "out of memory", "list");
		return EXIT_FAIL;
	}
	free(info);
	/* the devices libpci did not see were appended without them */
	sriov_fill(c->root, c->host, c->nhost);
	return 0;
}

int cmd_list(struct ctx *c)
{
	const struct args *a = &c->a;
	struct out_device *devs, *shown = NULL;
	struct out_fields sel;
	size_t n, nshown = 0, i;
	int ret;

	ret = ctx_select_fields(c, &out_device_fields, NULL, &sel);
	if (!ret)
		ret = ctx_parse_names(c, a->argc, a->argv);
	if (ret)
		return ret;
	if (a->all) {
		if (load_all(c))
			return EXIT_FAIL;
		devs = c->host;
		n = c->nhost;
	} else {
		if (ctx_load_kernel(c, "list"))
			return EXIT_FAIL;
		devs = c->kern;
		n = c->nkern;
	}
	inventory_sort(devs, n);
	if (a->argc) {
		struct name_target *t = NULL;
		size_t nt = 0, k;

		if (ctx_resolve_in(c, devs, n, a->all ? "on this host" : "ppt manages",
				   RESOLVE_ADDR_LISTED, c->names, a->argc, &t, &nt))
			return EXIT_FAIL;
		shown = calloc(n + 1, sizeof(*shown));
		for (i = 0; shown && i < n; i++)
			for (k = 0; k < nt; k++)
				if (!strcmp(t[k].addr, devs[i].info.addr))
					shown[nshown++] = devs[i];
		free(t);
		if (!shown) {
			ctx_report_what(c, -ENOMEM, "out of memory", "list");
			return EXIT_FAIL;
		}
		devs = shown;
		n = nshown;
	}
	inventory_names(devs, n);
	inventory_hw(c->root, devs, n, out_fields_has(&out_device_fields, &sel, "serial"));
	if (a->format == FORMAT_ASSIGNABLE && ctx_load_variants(c, true)) {
		free(shown);
		return EXIT_FAIL;
	}
	/* slot neighbours: the whole list, not just the devices shown */
	ctx_label(c, devs, n, a->all ? c->host : c->kern, a->all ? c->nhost : c->nkern);
	if (a->format == FORMAT_SYSINFO)
		out_sysinfo(c->out, a->fmt, devs, n);
	else if (a->format == FORMAT_ASSIGNABLE)
		out_assignable(c->out, a->fmt, devs, n);
	else
		out_devices(c->out, a->fmt, &sel, devs, n);
	free(shown);
	return 0;
}

int cmd_show(struct ctx *c)
{
	const struct args *a = &c->a;
	struct out_device *devs;
	struct dev_info info;
	struct name_target *t = NULL;
	struct out_fields sel;
	size_t n = 0, nt = 0, i;
	int ret, status = 0;

	ret = ctx_select_fields(c, &out_device_fields, "all", &sel);
	if (!ret)
		ret = ctx_parse_names(c, a->argc, a->argv);
	if (ret)
		return ret;
	if (ctx_resolve(c, SCOPE_KERNEL, false, c->names, a->argc, &t, &nt) ||
	    ctx_open(c, "show")) {
		free(t);
		return EXIT_FAIL;
	}
	devs = calloc(nt + 1, sizeof(*devs));
	if (!devs) {
		free(t);
		ctx_report_what(c, -ENOMEM, "out of memory", "show");
		return EXIT_FAIL;
	}
	for (i = 0; i < nt; i++) {
		ret = rows_get(c->h, t[i].addr, &info);
		if (ret) {
			ctx_report_op(c, "show", t[i].addr, ret);
			status = EXIT_FAIL;
			continue;
		}
		devs[n++].info = info;
	}
	sriov_fill(c->root, devs, n);
	inventory_names(devs, n);
	inventory_hw(c->root, devs, n, out_fields_has(&out_device_fields, &sel, "serial"));
	if (n && !ctx_load_kernel(c, "show"))
		ctx_label(c, devs, n, c->kern, c->nkern);
	else
		ctx_label(c, devs, n, devs, n);
	/* nothing found: the errors say it all, without an empty list */
	if (n && a->fmt == OUT_TABLE)
		out_rows_vertical(c->out, &out_device_fields, &sel, devs, n);
	else if (n || !status)
		out_devices(c->out, a->fmt, &sel, devs, n);
	free(devs);
	free(t);
	return status;
}

/* export prometheus: the devices, labelled, and the module's statistics */
static int export_prom_to(struct ctx *c, FILE *f, const struct out_device *devs, size_t n)
{
	struct export_prom p = { .protocol = PPT_GENL_VERSION };
	struct ppt_stats *st = NULL;
	char version[64];
	int ret;

	ret = ppt_stats_get(c->h, &st);
	if (ret) {
		struct out_error e = { .err = ret, .what = "cannot read the module's statistics",
				       .operation = "export", .message = ppt_errmsg(c->h) };

		ctx_report(c, &e);
		return EXIT_FAIL;
	}
	ret = ppt_family_version(c->h);
	if (ret > 0)
		p.protocol = ret;
	info_module_version(c->root, version, sizeof(version));
	p.module_version = version;
	p.stats = st;
	export_prometheus(f, &p, devs, n);
	ppt_stats_free(st);
	return 0;
}

/* export's formats but triton, to f */
static int export_to(struct ctx *c, FILE *f)
{
	const struct args *a = &c->a;
	struct export_opts o = {
		.numa_policy = a->numa_policy, .by_id = a->by_id,
		.prefix = a->prefix, .external = a->external, .kind = a->kind,
		.warn = c->err,
	};
	struct out_device *devs = NULL;
	size_t n = 0;

	if (a->export_format != EXPORT_CDI && a->export_format != EXPORT_PROMETHEUS &&
	    ctx_load_variants(c, true))
		return EXIT_FAIL;
	if (a->export_format != EXPORT_KUBEVIRT) {
		if (ctx_load_kernel(c, "export"))
			return EXIT_FAIL;
		devs = c->kern;
		n = c->nkern;
		inventory_sort(devs, n);
		inventory_hw(c->root, devs, n, false);
		ctx_label(c, devs, n, devs, n);
	}
	switch (a->export_format) {
	case EXPORT_NOVA:
		export_nova(f, &o, &c->vs, devs, n);
		break;
	case EXPORT_KUBEVIRT:
		export_kubevirt(f, a->fmt, &o, &c->vs);
		break;
	case EXPORT_CDI:
		export_cdi(f, a->fmt, &o, devs, n);
		break;
	case EXPORT_PROMETHEUS:
		return export_prom_to(c, f, devs, n);
	}
	return 0;
}

/* triton: list -j --format, with FORMAT's word taken off the operands */
static int export_triton(struct ctx *c)
{
	int ret;

	c->a.argc--;
	c->a.argv++;
	/* RFD 114's shapes are JSON in every format (compact but with --pretty) */
	if (!(c->a.given & OPT_FORMAT))
		c->a.format = FORMAT_SYSINFO;
	ret = cmd_list(c);
	c->a.argc++;
	c->a.argv--;
	return ret;
}

int cmd_export(struct ctx *c)
{
	const char *file = c->a.outfile;
	char tmp[4096], why[4200];
	FILE *out = c->out, *f;
	mode_t mask;
	int fd, ret, err = 0;

	if (!file)
		return c->a.export_format == EXPORT_TRITON ? export_triton(c) :
		       export_to(c, c->out);
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", file) >= (int)sizeof(tmp)) {
		ctx_report_what(c, -ENAMETOOLONG, "the output file's name is too long", "export");
		return EXIT_FAIL;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = errno;
		snprintf(why, sizeof(why), "cannot create a temporary file beside %s", file);
		ctx_report_what(c, -err, why, "export");
		return EXIT_FAIL;
	}
	/* as a file created with open() would be: 0666 less the umask */
	mask = umask(0);
	umask(mask);
	f = fdopen(fd, "w");
	if (!f || fchmod(fd, 0666 & ~mask)) {
		err = errno;
		if (f)
			fclose(f);
		else
			close(fd);
		unlink(tmp);
		snprintf(why, sizeof(why), "cannot write %s", tmp);
		ctx_report_what(c, -err, why, "export");
		return EXIT_FAIL;
	}
	/* errors go where they would (stderr, or -j's stdout): only the output to f */
	c->out = f;
	ret = c->a.export_format == EXPORT_TRITON ? export_triton(c) : export_to(c, f);
	c->out = out;
	if (fflush(f) || ferror(f) || fsync(fd))
		err = errno ? errno : EIO;
	if (fclose(f) && !err)
		err = errno;
	if (ret || err) {
		unlink(tmp);
		if (err) {
			snprintf(why, sizeof(why), "cannot write %s", tmp);
			ctx_report_what(c, -err, why, "export");
		} else {
			/* with -j the failure's object went to the file: say it here */
			fprintf(c->err, "pptadm: export: %s not written: the export failed\n", file);
		}
		return ret ? ret : EXIT_FAIL;
	}
	if (rename(tmp, file)) {
		err = errno;
		unlink(tmp);
		snprintf(why, sizeof(why), "cannot rename %s to %s", tmp, file);
		ctx_report_what(c, -err, why, "export");
		return EXIT_FAIL;
	}
	return 0;
}
