// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm: administer ppt, the PCI passthrough reservation module.
 *
 * This file runs the verbs.  The logic lives next to it, where the unit
 * tests reach it: args.c (the command line), names.c (device names and
 * boot-list entries), persist.c (the modprobe.d file), inventory.c (libpci),
 * output.c (formats), events.c (monitor's lines), variants.c (the variants
 * file) and run.c (run's arguments and device nodes).  libppt speaks netlink.
 *
 * Exit status: 0 success, 1 an operation failed, 2 usage error.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "check.h"
#include "events.h"
#include "inventory.h"
#include "libppt.h"
#include "names.h"
#include "output.h"
#include "persist.h"
#include "rows.h"
#include "run.h"
#include "variants.h"

static struct args A;
static struct ppt_handle *H;

/* The host's devices (libpci) and the kernel's, each loaded once. */
static struct out_device *host_devs;
static size_t nhost;
static bool have_host;
static struct out_device *kern_devs;
static size_t nkern;
static bool have_kern;

static void report(const struct out_error *e)
{
	out_error(stderr, stdout, A.fmt, e);
}

/* A failure of pptadm's own, without a device. */
static void report_what(int err, const char *what, const char *op)
{
	struct out_error e = { .err = err, .what = what, .operation = op };

	report(&e);
}

/* A failed operation on a device, with the kernel's reason and blocker. */
static void report_op(const char *op, const char *dev, int err)
{
	const char *drv = NULL, *msg = ppt_errmsg(H);
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
	e.blocker = ppt_blocker(H, &drv);
	e.blocker_driver = drv;
	report(&e);
}

/* A device name that names nothing, or too much. */
static void report_name(const char *op, const char *name, int err,
			const char *msg)
{
	struct out_error e = { .err = err, .operation = op, .device = name,
			       .message = msg };

	report(&e);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("pptadm: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

static int open_ppt(const char *op)
{
	int ret;

	if (H)
		return 0;
	ret = ppt_open(&H);
	if (ret == -ENOENT)
		report_what(ret, "cannot reach the ppt netlink family (is the ppt module loaded? "
			    "it is reachable only from the initial network namespace)", op);
	else if (ret)
		report_what(ret, "cannot open a netlink socket", op);
	return ret;
}

static int load_host(const char *op)
{
	char err[256];
	int ret;

	if (have_host)
		return 0;
	ret = inventory_host(&host_devs, &nhost, err, sizeof(err));
	if (ret) {
		report_what(ret, err, op);
		return ret;
	}
	have_host = true;
	return 0;
}

static int load_kernel(const char *op)
{
	struct dev_info *info = NULL;
	size_t n = 0;
	int ret;

	if (have_kern)
		return 0;
	ret = open_ppt(op);
	if (ret)
		return ret;
	ret = rows_list(H, &info, &n);
	if (ret) {
		struct out_error e = { .err = ret, .what = "cannot list devices",
				       .operation = op, .message = ppt_errmsg(H) };

		report(&e);
		return ret;
	}
	kern_devs = inventory_from_kernel(info, n);
	free(info);
	if (!kern_devs) {
		report_what(-ENOMEM, "out of memory", op);
		return -ENOMEM;
	}
	nkern = n;
	have_kern = true;
	return 0;
}

/* The variants file, loaded once (variants.h). */
static struct variants VS;
static bool have_vs;

/*
 * Load the variants file.  Where variants decide what is done (claim or
 * run --variant, list --format assignable) a bad or missing file is an
 * error (fatal); where they only label a listing, a warning, and the
 * devices are listed without variants.
 */
static int load_variants(bool fatal)
{
	bool explicit;
	const char *path = variants_path(A.variants_file, &explicit);
	char err[512];
	int ret;

	if (have_vs)
		return 0;
	ret = variants_load(&VS, path, explicit, err, sizeof(err));
	if (ret && !fatal) {
		fprintf(stderr, "pptadm: warning: %s; devices are listed without variants\n", err);
		variants_free(&VS);
		have_vs = true;
		return 0;
	}
	if (ret) {
		report_what(ret, err, A.verb->name);
		return ret;
	}
	have_vs = true;
	return 0;
}

/* Variant and type of devices; ctx: the devices that may share their slots. */
static void label(struct out_device *devs, size_t n,
		  const struct out_device *ctx, size_t nctx)
{
	load_variants(false);
	variants_label(&VS, devs, n, ctx, nctx);
}

/* The DEVICE arguments, parsed; freed by main(). */
static struct name *names_given;

/* Parse every DEVICE argument; a bad one is a usage error. */
static int parse_names(int argc, char **argv, struct name **out)
{
	struct name *names = calloc(argc ? (size_t)argc : 1, sizeof(*names));
	char why[256];
	int i;

	if (!names) {
		report_what(-ENOMEM, "out of memory", A.verb->name);
		return EXIT_FAIL;
	}
	for (i = 0; i < argc; i++) {
		if (name_parse(argv[i], &names[i], why, sizeof(why))) {
			free(names);
			return usage_error("%s", why);
		}
	}
	names_given = names;
	*out = names;
	return 0;
}

enum scope {
	SCOPE_HOST,		/* every PCI device (reserve, add) */
	SCOPE_KERNEL,		/* the devices ppt manages */
};

/* Name-matching candidates from a device list (malloc()ed). */
static struct name_cand *cands_of(const struct out_device *devs, size_t n)
{
	struct name_cand *c = calloc(n + 1, sizeof(*c));
	size_t i;

	for (i = 0; c && i < n; i++)
		inventory_cand(&devs[i], &c[i]);
	return c;
}

/*
 * The devices names stand for (names_resolve()), among devs, or among the
 * host's or the kernel's devices, loaded only when a name needs them.
 * Every name is checked before anything is done: on any problem each is
 * reported and EXIT_FAIL returned.
 */
static int resolve_in(const struct out_device *devs, size_t ndevs,
		      const char *where, int flags, const struct name *names,
		      int nnames, struct name_target **out, size_t *nout)
{
	struct name_cand *c = cands_of(devs, ndevs);
	struct name_problem *pr = NULL;
	size_t npr = 0, i;

	if (!c || names_resolve(names, nnames, c, ndevs, flags, where,
				A.verb->name, out, nout, &pr, &npr)) {
		free(c);
		report_what(-ENOMEM, "out of memory", A.verb->name);
		return EXIT_FAIL;
	}
	free(c);
	for (i = 0; i < npr; i++)
		report_name(A.verb->name, names[pr[i].name].arg, pr[i].err, pr[i].msg);
	free(pr);
	if (npr) {
		free(*out);
		*out = NULL;
		return EXIT_FAIL;
	}
	return 0;
}

static int resolve(enum scope scope, bool single, const struct name *names,
		   int nnames, struct name_target **out, size_t *nout)
{
	bool lookup = false;
	int i;

	for (i = 0; i < nnames; i++)
		lookup |= names[i].kind != NAME_ADDR;
	if (lookup && (scope == SCOPE_HOST ? load_host(A.verb->name) :
		       load_kernel(A.verb->name)))
		return EXIT_FAIL;
	if (!lookup)
		return resolve_in(NULL, 0, "", single ? RESOLVE_ONE : 0, names,
				  nnames, out, nout);
	if (scope == SCOPE_HOST)
		return resolve_in(host_devs, nhost, "on this host",
				  single ? RESOLVE_ONE : 0, names, nnames, out, nout);
	return resolve_in(kern_devs, nkern, "ppt manages",
			  single ? RESOLVE_ONE : 0, names, nnames, out, nout);
}

static int select_fields(const struct field_set *fs, const char *dflt,
			 struct out_fields *sel)
{
	char bad[64];

	if (out_fields_select(fs, A.fmt, A.fields ? A.fields : dflt, sel, bad, sizeof(bad))) {
		fprintf(stderr, "pptadm: unknown output field \"%s\" (fields: %s)\n",
			bad, out_field_names(fs));
		return EXIT_USAGE;
	}
	return 0;
}

static int cmd_list(void)
{
	struct out_device *devs, *shown = NULL;
	struct name *names = NULL;
	struct out_fields sel;
	size_t n, nshown = 0, i;
	int ret;

	ret = select_fields(&out_device_fields, NULL, &sel);
	if (!ret)
		ret = parse_names(A.argc, A.argv, &names);
	if (ret)
		return ret;
	if (A.all) {
		if (load_host("list"))
			return EXIT_FAIL;
		/* without ppt the host's devices are still worth listing */
		ret = ppt_open(&H);
		if (ret == -ENOENT)
			fprintf(stderr, "pptadm: note: ppt is not loaded; no device is managed\n");
		else if (ret) {
			report_what(ret, "cannot open a netlink socket", "list");
			return EXIT_FAIL;
		}
		if (!ret && load_kernel("list"))
			return EXIT_FAIL;
		if (have_kern) {
			struct dev_info *info = calloc(nkern + 1, sizeof(*info));

			for (i = 0; info && i < nkern; i++)
				info[i] = kern_devs[i].info;
			if (!info || inventory_merge(&host_devs, &nhost, info, nkern)) {
				free(info);
				report_what(-ENOMEM, "out of memory", "list");
				return EXIT_FAIL;
			}
			free(info);
		}
		devs = host_devs;
		n = nhost;
	} else {
		if (load_kernel("list"))
			return EXIT_FAIL;
		devs = kern_devs;
		n = nkern;
	}
	inventory_sort(devs, n);
	if (A.argc) {
		struct name_target *t = NULL;
		size_t nt = 0, k;

		if (resolve_in(devs, n, A.all ? "on this host" : "ppt manages",
			       RESOLVE_ADDR_LISTED, names, A.argc, &t, &nt)) {
			return EXIT_FAIL;
		}
		shown = calloc(n + 1, sizeof(*shown));
		for (i = 0; shown && i < n; i++)
			for (k = 0; k < nt; k++)
				if (!strcmp(t[k].addr, devs[i].info.addr))
					shown[nshown++] = devs[i];
		free(t);
		if (!shown) {
			report_what(-ENOMEM, "out of memory", "list");
			return EXIT_FAIL;
		}
		devs = shown;
		n = nshown;
	}
	inventory_names(devs, n);
	if (A.format == FORMAT_ASSIGNABLE && load_variants(true)) {
		free(shown);
		return EXIT_FAIL;
	}
	/* slot neighbours: the whole list, not just the devices shown */
	label(devs, n, A.all ? host_devs : kern_devs, A.all ? nhost : nkern);
	if (A.format == FORMAT_SYSINFO)
		out_sysinfo(stdout, devs, n);
	else if (A.format == FORMAT_ASSIGNABLE)
		out_assignable(stdout, devs, n);
	else
		out_devices(stdout, A.fmt, &sel, devs, n);
	free(shown);
	return 0;
}

static int cmd_show(void)
{
	struct out_device *devs;
	struct dev_info info;
	struct name *names = NULL;
	struct name_target *t = NULL;
	struct out_fields sel;
	size_t n = 0, nt = 0, i;
	int ret, status = 0;

	ret = select_fields(&out_device_fields, "all", &sel);
	if (!ret)
		ret = parse_names(A.argc, A.argv, &names);
	if (ret)
		return ret;
	if (resolve(SCOPE_KERNEL, false, names, A.argc, &t, &nt) ||
	    open_ppt("show")) {
		free(t);
		return EXIT_FAIL;
	}
	devs = calloc(nt + 1, sizeof(*devs));
	if (!devs) {
		free(t);
		report_what(-ENOMEM, "out of memory", "show");
		return EXIT_FAIL;
	}
	for (i = 0; i < nt; i++) {
		ret = rows_get(H, t[i].addr, &info);
		if (ret) {
			report_op("show", t[i].addr, ret);
			status = EXIT_FAIL;
			continue;
		}
		devs[n++].info = info;
	}
	inventory_names(devs, n);
	if (n && !load_kernel("show"))
		label(devs, n, kern_devs, nkern);
	else
		label(devs, n, devs, n);
	/* nothing found: the errors say it all, without an empty list */
	if (n && A.fmt == OUT_TABLE)
		out_rows_vertical(stdout, &out_device_fields, &sel, devs, n);
	else if (n || !status)
		out_devices(stdout, A.fmt, &sel, devs, n);
	free(devs);
	free(t);
	return status;
}

/*
 * --force: take devices from host drivers; given twice, also those the
 * host uses (libppt and the kernel refuse them otherwise).
 */
static unsigned int reserve_flags(void)
{
	unsigned int flags = A.force ? PPT_RESERVE_FORCE : 0;

	if (A.force_critical)
		flags |= PPT_RESERVE_FORCE_HOST;
	return flags;
}

static int run_op(const char *addr)
{
	int method = A.method < 0 ? PPT_RESET_AUTO : A.method;

	switch (A.verb->id) {
	case V_RESERVE:
		return ppt_device_reserve(H, addr, reserve_flags(), A.timeout_ms, NULL);
	case V_RELEASE:
		return ppt_device_release(H, addr, A.unclean ? PPT_RELEASE_UNCLEAN : 0,
					  A.timeout_ms, NULL);
	case V_CLAIM:
		return ppt_device_claim(H, addr, A.owner, 0);
	case V_UNCLAIM:
		return ppt_device_unclaim(H, addr, A.owner, 0);
	case V_ASSIGN:
		return ppt_device_assign(H, addr, A.owner, 0, A.timeout_ms, NULL);
	case V_UNASSIGN:
		return ppt_device_unassign(H, addr, A.owner, 0, A.timeout_ms, NULL);
	case V_RESET:
		return ppt_device_reset(H, addr, (uint32_t)method, 0, A.timeout_ms, NULL);
	case V_CLEAN:
		return ppt_device_clean(H, addr, (uint32_t)method, 0, A.timeout_ms, NULL);
	case V_SET:
		return ppt_device_set_reset_pref(H, addr, (uint32_t)A.reset_pref, 0);
	default:
		return -EINVAL;
	}
}

static int cmd_change(void);

/* --user: the user's ids and name (for its groups). */
struct user {
	uid_t uid;
	gid_t gid;
	char name[256];
	bool named;		/* in the user database: it has groups */
};

static struct user U;

/* Look --user up; a user that does not exist is a usage error. */
static int lookup_user(void)
{
	struct passwd *pw;
	char *end;
	long id;

	errno = 0;
	pw = getpwnam(A.user);
	if (!pw) {
		errno = 0;
		id = strtol(A.user, &end, 10);
		if (!*end && end != A.user && id >= 0 && id < 0x7fffffff) {
			pw = getpwuid((uid_t)id);
			if (!pw) {
				U.uid = (uid_t)id;
				U.gid = (gid_t)id;
				snprintf(U.name, sizeof(U.name), "%ld", id);
				return 0;
			}
		}
	}
	if (!pw)
		return usage_error("--user \"%s\": no such user", A.user);
	U.uid = pw->pw_uid;
	U.gid = pw->pw_gid;
	U.named = true;
	snprintf(U.name, sizeof(U.name), "%s", pw->pw_name);
	return 0;
}

/* Saved owners of the VFIO nodes given to --user (run gives them back). */
static struct run_node *nodes_given;
static size_t nnodes_given, nodes_cap;

/*
 * Give the VFIO nodes of a device's IOMMU group to --user: the group's
 * /dev/vfio/N and the vfio-pci cdev of every function of the group ppt
 * holds.  addrs, when given, are the devices to look at (run's); else
 * the kernel is asked for the group's members.  Nonzero on failure (said).
 */
static int give_group(const char *addr, const char (*addrs)[PPT_ADDR_BUFLEN],
		      size_t naddrs)
{
	char nodes[RUN_MAX_NODES][RUN_NODE_PATH], what[512];
	struct dev_info info, *list = NULL;
	size_t nlist = 0, i, k, nn;
	int ret;

	ret = rows_get(H, addr, &info);
	if (ret) {
		report_op("--user", addr, ret);
		return -1;
	}
	if (!addrs) {
		ret = rows_list(H, &list, &nlist);
		if (ret) {
			report_op("--user", addr, ret);
			return -1;
		}
	}
	for (i = 0; i < (addrs ? naddrs : nlist); i++) {
		struct dev_info mate;

		if (addrs) {
			if (rows_get(H, addrs[i], &mate))
				continue;
		} else {
			mate = list[i];
		}
		if (mate.iommu_group != info.iommu_group)
			continue;
		nn = run_vfio_nodes("", mate.addr, mate.iommu_group, nodes);
		for (k = 0; k < nn; k++) {
			size_t j;

			for (j = 0; j < nnodes_given; j++)
				if (!strcmp(nodes_given[j].path, nodes[k]))
					break;
			if (j < nnodes_given)
				continue;
			if (nnodes_given == nodes_cap) {
				struct run_node *nr;

				nodes_cap = nodes_cap ? nodes_cap * 2 : 8;
				nr = realloc(nodes_given, nodes_cap * sizeof(*nr));
				if (!nr) {
					free(list);
					report_what(-ENOMEM, "out of memory", A.verb->name);
					return -1;
				}
				nodes_given = nr;
			}
			ret = run_node_give(nodes[k], U.uid, U.gid, &nodes_given[nnodes_given]);
			if (ret) {
				snprintf(what, sizeof(what), "cannot give %.256s to %.64s", nodes[k], U.name);
				report_what(ret, what, A.verb->name);
				free(list);
				return -1;
			}
			nnodes_given++;
		}
	}
	free(list);
	if (info.iommu_group >= 0) {
		snprintf(what, sizeof(what), "/dev/vfio/%lld", (long long)info.iommu_group);
		for (k = 0; k < nnodes_given && strcmp(nodes_given[k].path, what); k++)
			;
		if (k == nnodes_given) {
			struct out_error e = { .err = -ENOENT, .operation = A.verb->name,
					       .device = addr, .message = "no VFIO group node",
					       .what = NULL };

			snprintf(what, sizeof(what), "%s: /dev/vfio/%lld does not exist", addr,
				 (long long)info.iommu_group);
			e.message = what;
			report(&e);
			return -1;
		}
	}
	return 0;
}

static void restore_nodes(void)
{
	size_t i;

	for (i = 0; i < nnodes_given; i++)
		run_node_restore(&nodes_given[i]);
	nnodes_given = 0;
}

/* Devices a claim chose, for messages: "A, B and C". */
static void addr_text(const char (*addrs)[PPT_ADDR_BUFLEN], size_t n, char *buf,
		      size_t len)
{
	char *j = run_join(addrs, n, ' ');

	snprintf(buf, len, "%s", j ? j : "");
	free(j);
}

/* What claim and run ask the kernel for, and how messages name it. */
struct claim_req {
	struct ppt_claim_spec *spec;
	size_t naddrs;			/* DEVICEs, or devices of the variant */
	char first[PPT_ADDR_BUFLEN];	/* the first of them */
};

/*
 * The claim request of claim and run: the candidates from DEVICE..., a
 * variant or a match, and the count.  EXIT_FAIL when something was wrong
 * (said); c->spec is then NULL.
 */
static int claim_spec(struct claim_req *c)
{
	struct name *names = NULL;
	struct name_target *t = NULL;
	size_t nt = 0, i, other = 0;
	unsigned int count = A.count;
	int ret;

	memset(c, 0, sizeof(*c));
	/* with a match, the kernel chooses the candidates */
	if (!A.match && A.variant) {
		if (load_variants(true) || load_kernel(A.verb->name))
			return EXIT_FAIL;
		if (!variants_find(&VS, A.variant)) {
			char msg[768];

			snprintf(msg, sizeof(msg), "no variant \"%s\" in %s", A.variant,
				 VS.path ? VS.path : variants_path(A.variants_file, &(bool){0}));
			report_name(A.verb->name, A.variant, -ENOENT, msg);
			return EXIT_FAIL;
		}
		label(kern_devs, nkern, kern_devs, nkern);
		t = calloc(nkern + 1, sizeof(*t));
		if (!t) {
			report_what(-ENOMEM, "out of memory", A.verb->name);
			return EXIT_FAIL;
		}
		inventory_sort(kern_devs, nkern);
		for (i = 0; i < nkern; i++) {
			if (strcmp(kern_devs[i].variant, A.variant))
				continue;
			/* the kernel chooses among reserved devices only */
			if (kern_devs[i].info.state != PPT_STATE_RESERVED) {
				other++;
				continue;
			}
			if (nt < PPT_CLAIM_MAX)
				snprintf(t[nt++].addr, PPT_ADDR_BUFLEN, "%s", kern_devs[i].info.addr);
		}
		if (!nt) {
			char msg[256];

			if (other)
				snprintf(msg, sizeof(msg),
					 "no device of variant %s is reserved (%zu %s in other states)",
					 A.variant, other, other == 1 ? "is" : "are");
			else
				snprintf(msg, sizeof(msg), "ppt manages no device of variant %s",
					 A.variant);
			report_name(A.verb->name, A.variant, other ? -ENOSPC : -ENODEV, msg);
			free(t);
			return EXIT_FAIL;
		}
		if (!count)
			count = 1;
	} else if (!A.match) {
		ret = parse_names(A.argc, A.argv, &names);
		if (ret)
			return ret;
		if (resolve(SCOPE_KERNEL, true, names, A.argc, &t, &nt))
			return EXIT_FAIL;
	}
	c->spec = ppt_claim_spec_new(A.owner);
	ret = c->spec ? ppt_claim_spec_set_count(c->spec, count) : -ENOMEM;
	if (!ret && A.match)
		ret = ppt_claim_spec_set_match(c->spec, A.match);
	for (i = 0; !ret && i < nt; i++)
		ret = ppt_claim_spec_add_addr(c->spec, t[i].addr);
	if (nt)
		memcpy(c->first, t[0].addr, PPT_ADDR_BUFLEN);
	c->naddrs = nt;
	free(t);
	if (ret) {
		ppt_claim_spec_free(c->spec);
		c->spec = NULL;
		report_what(-ENOMEM, "out of memory", A.verb->name);
		return EXIT_FAIL;
	}
	return 0;
}

/* A refused claim: the kernel's reason, and the device that blocked it. */
static void report_claim(int ret, const struct claim_req *c)
{
	char what[128];

	if (A.variant)
		snprintf(what, sizeof(what), "variant %s", A.variant);
	else if (A.match)
		snprintf(what, sizeof(what), "match %s", A.match);
	else if (c->naddrs == 1)
		snprintf(what, sizeof(what), "%s", c->first);
	else
		snprintf(what, sizeof(what), "%zu devices", c->naddrs);
	report_op(A.verb->name, what, ret);
}

/* The addresses a claim or take got, printed as claim and take print them. */
static int print_addrs(const char *key, char **got, size_t n)
{
	char (*addrs)[PPT_ADDR_BUFLEN] = rows_addrs(got, n);

	if (!addrs) {
		report_what(-ENOMEM, "out of memory", A.verb->name);
		return EXIT_FAIL;
	}
	out_addr_list(stdout, A.fmt, key, A.owner,
		      (const char (*)[PPT_ADDR_BUFLEN])addrs, n);
	free(addrs);
	return 0;
}

static int cmd_claim(void)
{
	struct claim_req c;
	char **got = NULL;
	size_t n = 0;
	int ret;

	/* one DEVICE alone: the single-device claim, as it always was */
	if (A.argc == 1 && !A.count)
		return cmd_change();
	ret = claim_spec(&c);
	if (ret)
		return ret;
	if (open_ppt("claim")) {
		ret = EXIT_FAIL;
		goto out;
	}
	ret = ppt_claim(H, c.spec, 0, &got, &n);
	if (ret) {
		report_claim(ret, &c);
		ret = EXIT_FAIL;
		goto out;
	}
	ret = print_addrs("claimed", got, n);
out:
	ppt_addrs_free(got);
	ppt_claim_spec_free(c.spec);
	return ret;
}

static int cmd_unclaim_all(void)
{
	size_t i, n = 0;
	int ret, status = 0;

	if (load_kernel("unclaim"))
		return EXIT_FAIL;
	for (i = 0; i < nkern; i++) {
		const struct dev_info *d = &kern_devs[i].info;

		if (d->state != PPT_STATE_CLAIMED || strcmp(d->owner, A.owner))
			continue;
		n++;
		ret = ppt_device_unclaim(H, d->addr, A.owner, 0);
		if (ret) {
			report_op("unclaim", d->addr, ret);
			status = EXIT_FAIL;
		}
	}
	if (!n) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s has claimed no device", A.owner);
		report_name("unclaim", A.owner, -ENOENT, msg);
		return EXIT_FAIL;
	}
	return status;
}

static int cmd_take(void)
{
	char **got = NULL;
	size_t n = 0;
	int ret;

	if (open_ppt("take"))
		return EXIT_FAIL;
	ret = ppt_take(H, A.owner, 0, &got, &n);
	if (ret == -ENOENT && !ppt_errmsg(H)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s holds no device", A.owner);
		report_name("take", A.owner, ret, msg);
		return EXIT_FAIL;
	}
	if (ret) {
		report_op("take", A.owner, ret);
		return EXIT_FAIL;
	}
	ret = print_addrs("taken", got, n);
	ppt_addrs_free(got);
	return ret;
}

/* --- run ------------------------------------------------------------ */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Does the kernel clean returned devices by itself (auto_clean)? */
static bool auto_clean_on(void)
{
	char v[8] = "";
	FILE *f = fopen("/sys/module/ppt/parameters/auto_clean", "r");

	if (!f)
		return true;
	if (!fgets(v, sizeof(v), f))
		v[0] = 'Y';
	fclose(f);
	return v[0] == 'Y' || v[0] == '1';
}

static void run_note(const char *fmt, const char *a, const char *b)
{
	if (A.fmt == OUT_JSON)
		return;
	fputs("pptadm: run: ", stderr);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
}

/*
 * Give run's devices back: unassign what is assigned (retrying while a
 * VFIO user still holds it), wait until the kernel has cleaned what came
 * back, unclaim what is still claimed.  Everything within the deadline
 * of --timeout-clean.  Returns 0 when every device ended reserved (or
 * left ppt), nonzero when one did not (said).
 */
static int give_back(const char (*addrs)[PPT_ADDR_BUFLEN], size_t n)
{
	long long deadline = now_ms() + A.timeout_clean_ms;
	bool clean_by_kernel = auto_clean_on(), *done;
	struct dev_info info;
	size_t i, left;
	int ret, status = 0;
	char msg[512];

	done = calloc(n + 1, sizeof(*done));
	if (!done) {
		report_what(-ENOMEM, "out of memory", "run");
		return -1;
	}
	restore_nodes();
	/* unassign: each group once (the first of its devices takes it back) */
	for (i = 0; i < n; i++) {
		for (;;) {
			ret = rows_get(H, addrs[i], &info);
			if (ret || info.state != PPT_STATE_ASSIGNED ||
			    strcmp(info.owner, A.owner))
				break;
			ret = ppt_device_unassign(H, addrs[i], A.owner, 0, A.timeout_ms, NULL);
			if (ret != -EBUSY || now_ms() >= deadline)
				break;
			sleep_ms(100);
		}
		if (ret && ret != -ENODEV) {
			report_op("run: unassign", addrs[i], ret);
			status = -1;
		}
	}
	/* then wait for the kernel's cleaning, and unclaim what is claimed */
	for (left = n; left;) {
		for (i = 0; i < n; i++) {
			if (done[i])
				continue;
			ret = rows_get(H, addrs[i], &info);
			if (ret == -ENODEV) {
				done[i] = true;
				left--;
				continue;
			}
			if (ret) {
				report_op("run", addrs[i], ret);
				status = -1;
				done[i] = true;
				left--;
				continue;
			}
			switch (info.state) {
			case PPT_STATE_CLAIMED:
				if (!strcmp(info.owner, A.owner)) {
					ret = ppt_device_unclaim(H, addrs[i], A.owner, 0);
					if (ret && ret != -EBUSY) {
						report_op("run: unclaim", addrs[i], ret);
						status = -1;
						break;
					}
					if (ret)
						continue;	/* again next round */
				}
				break;
			case PPT_STATE_DIRTY:
				if (clean_by_kernel)
					continue;
				snprintf(msg, sizeof(msg),
					 "%s is dirty and auto_clean is off: clean it with pptadm clean %s",
					 addrs[i], addrs[i]);
				report_name("run", addrs[i], -EAGAIN, msg);
				status = -1;
				break;
			case PPT_STATE_UNASSIGNING:
			case PPT_STATE_CLEANING:
			case PPT_STATE_ASSIGNING:
			case PPT_STATE_RESETTING:
				continue;
			case PPT_STATE_ASSIGNED:
				if (!strcmp(info.owner, A.owner)) {
					snprintf(msg, sizeof(msg),
						 "%s is still held by a VFIO user; the kernel gives it back when that closes it (the lease)",
						 addrs[i]);
					report_name("run", addrs[i], -EBUSY, msg);
					status = -1;
				}
				break;
			case PPT_STATE_QUARANTINED:
				snprintf(msg, sizeof(msg),
					 "%s failed cleaning and is quarantined: see pptadm show %s",
					 addrs[i], addrs[i]);
				report_name("run", addrs[i], -EIO, msg);
				status = -1;
				break;
			default:
				break;	/* reserved, or someone else's now */
			}
			done[i] = true;
			left--;
		}
		if (!left)
			break;
		if (now_ms() >= deadline) {
			for (i = 0; i < n; i++) {
				if (done[i])
					continue;
				ret = rows_get(H, addrs[i], &info);
				snprintf(msg, sizeof(msg),
					 "still %s after --timeout-clean %d s",
					 ret ? "unknown" : ppt_state_name(info.state),
					 A.timeout_clean_ms / 1000);
				report_name("run", addrs[i], -ETIMEDOUT, msg);
			}
			status = -1;
			break;
		}
		sleep_ms(100);
	}
	free(done);
	return status;
}

/* The COMMAND, in the child: as --user, dying with pptadm. */
static _Noreturn void run_child(char **argv, const sigset_t *mask, pid_t parent,
				const char *devices)
{
	if (A.user) {
		if ((U.named ? initgroups(U.name, U.gid) : setgroups(0, NULL)) ||
		    setgid(U.gid) || setuid(U.uid)) {
			fprintf(stderr, "pptadm: run: cannot become %s: %s\n", U.name,
				strerror(errno));
			_exit(126);
		}
	}
	/* after the change of user, which clears it */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(126);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (setenv("PPT_DEVICES", devices, 1) || setenv("PPT_OWNER", A.owner, 1))
		_exit(126);
	execvp(argv[0], argv);
	fprintf(stderr, "pptadm: run: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int cmd_run(void)
{
	struct claim_req c = { 0 };
	char (*got)[PPT_ADDR_BUFLEN] = NULL, **claimed = NULL;
	char **argv = NULL, *devices = NULL, err[512], list[PPT_CLAIM_MAX * 2 * PPT_ADDR_BUFLEN];
	struct dev_info info;
	struct signalfd_siginfo si;
	sigset_t set, old;
	size_t n = 0, i;
	int ret, sfd = -1, wstatus = 0, status = EXIT_FAIL;
	pid_t pid, self = getpid();

	if (A.user && (ret = lookup_user()))
		return ret;
	/* signals wait until the devices are set up, and are passed on then */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		report_what(-errno, "cannot watch for signals", "run");
		return EXIT_FAIL;
	}
	ret = claim_spec(&c);
	if (ret) {
		close(sfd);
		return ret;
	}
	if (open_ppt("run"))
		goto out;
	/* under a lease: if pptadm dies, the kernel gives the devices back */
	ret = ppt_claim(H, c.spec, PPT_CLAIM_LEASE, &claimed, &n);
	if (ret) {
		report_claim(ret, &c);
		goto out;
	}
	/* without memory the handle's close ends the lease: they come back */
	got = rows_addrs(claimed, n);
	if (!got) {
		report_what(-ENOMEM, "out of memory", "run");
		goto out;
	}
	addr_text((const char (*)[PPT_ADDR_BUFLEN])got, n, list, sizeof(list));
	ret = run_expand(A.cmd_argc, A.cmd_argv, (const char (*)[PPT_ADDR_BUFLEN])got, n,
			 &argv, err, sizeof(err));
	devices = run_join((const char (*)[PPT_ADDR_BUFLEN])got, n, ' ');
	if (ret || !devices) {
		if (ret == -ERANGE) {
			fprintf(stderr, "pptadm: run: %s\n", err);
			status = EXIT_USAGE;
		} else {
			report_what(-ENOMEM, "out of memory", "run");
		}
		give_back((const char (*)[PPT_ADDR_BUFLEN])got, n);
		goto out;
	}
	/* assign each device; a group mate goes along with the first of its group */
	for (i = 0; i < n; i++) {
		ret = rows_get(H, got[i], &info);
		if (!ret && info.state == PPT_STATE_ASSIGNED && !strcmp(info.owner, A.owner))
			continue;
		ret = ppt_device_assign(H, got[i], A.owner, 0, A.timeout_ms, NULL);
		if (ret) {
			report_op("run: assign", got[i], ret);
			break;
		}
	}
	if (!ret && A.user)
		for (i = 0; !ret && i < n; i++)
			ret = give_group(got[i], (const char (*)[PPT_ADDR_BUFLEN])got, n);
	/* a signal before the command started: give back and stop */
	if (!ret) {
		struct pollfd p = { .fd = sfd, .events = POLLIN };

		while (poll(&p, 1, 0) == 1 && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGCHLD)
				continue;
			ret = -EINTR;
			status = 128 + (int)si.ssi_signo;
			break;
		}
	}
	if (ret) {
		if (give_back((const char (*)[PPT_ADDR_BUFLEN])got, n) == 0)
			run_note("gave %s back to ppt%s", list, "");
		goto out;
	}
	run_note("%s assigned to %s", list, A.owner);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		report_what(-errno, "cannot start the command", "run");
		give_back((const char (*)[PPT_ADDR_BUFLEN])got, n);
		goto out;
	}
	if (pid == 0) {
		close(sfd);
		run_child(argv, &old, self, devices);
	}
	/* pass signals on, until the command has ended */
	for (;;) {
		ssize_t got_bytes = read(sfd, &si, sizeof(si));

		if (got_bytes != sizeof(si)) {
			if (got_bytes < 0 && errno == EINTR)
				continue;
			/* cannot read signals: wait for the command without */
			while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
				;
			break;
		}
		if (si.ssi_signo == SIGCHLD) {
			if (waitpid(pid, &wstatus, WNOHANG) == pid)
				break;
			continue;
		}
		/* the terminal sends ^C to the whole foreground group: the command has it */
		if (si.ssi_code != SI_KERNEL)
			kill(pid, (int)si.ssi_signo);
	}
	status = run_exit_status(wstatus);
	if (give_back((const char (*)[PPT_ADDR_BUFLEN])got, n) == 0)
		run_note("%s given back to ppt, clean%s", list, "");
	else if (!status)
		status = EXIT_FAIL;
out:
	run_free_argv(argv);
	free(devices);
	free(got);
	ppt_addrs_free(claimed);
	ppt_claim_spec_free(c.spec);
	if (sfd >= 0)
		close(sfd);
	return status;
}

/* The verbs that change devices: one operation per device. */
/*
 * clean: every device's request goes out before any outcome is awaited, so
 * the kernel cleans them side by side (a GPU host returning eight GPUs
 * waits for one reset, not eight).  Each failure is reported on its own.
 */
static int clean_targets(const struct name_target *t, size_t nt)
{
	int method = A.method < 0 ? PPT_RESET_AUTO : A.method;
	const char **addrs = calloc(nt, sizeof(*addrs));
	struct ppt_req **out = NULL;
	int ret, status = 0;
	size_t i;

	if (!addrs) {
		report_what(-ENOMEM, "out of memory", A.verb->name);
		return EXIT_FAIL;
	}
	for (i = 0; i < nt; i++)
		addrs[i] = t[i].addr;
	ret = ppt_devices_clean(H, addrs, nt, (uint32_t)method, 0, A.timeout_ms, &out);
	for (i = 0; out && i < nt; i++) {
		struct out_error e = {
			.err = ppt_req_error(out[i]), .operation = A.verb->name,
			.device = t[i].addr, .message = ppt_req_msg(out[i]) ?: "",
			.blocker = ppt_req_blocker(out[i]),
			.blocker_driver = ppt_req_blocker_driver(out[i]) ?: "",
		};

		if (!e.err)
			continue;
		report(&e);
		status = EXIT_FAIL;
	}
	/* a failure of the whole batch (its events socket), not of a device */
	if (ret && !status) {
		report_what(ret, ppt_errmsg(H), A.verb->name);
		status = EXIT_FAIL;
	}
	ppt_req_list_free(out);
	free(addrs);
	return status;
}

static int cmd_change(void)
{
	bool single = A.verb->id == V_CLAIM || A.verb->id == V_UNCLAIM ||
		      A.verb->id == V_ASSIGN || A.verb->id == V_UNASSIGN ||
		      A.verb->id == V_RESET;
	struct name *names = NULL;
	struct name_target *t = NULL;
	size_t nt = 0, i;
	int ret, status = 0;

	ret = parse_names(A.argc, A.argv, &names);
	if (ret)
		return ret;
	if (A.all_dirty) {
		if (load_kernel(A.verb->name))
			return EXIT_FAIL;
		t = calloc(nkern + 1, sizeof(*t));
		for (i = 0; t && i < nkern; i++)
			if (kern_devs[i].info.state == PPT_STATE_DIRTY)
				snprintf(t[nt++].addr, PPT_ADDR_BUFLEN, "%s",
					 kern_devs[i].info.addr);
		if (t && !nt)
			fprintf(stderr, "pptadm: no device is dirty\n");
	} else if (resolve(A.verb->id == V_RESERVE ? SCOPE_HOST : SCOPE_KERNEL,
			   single, names, A.argc, &t, &nt)) {
		return EXIT_FAIL;
	}
	if (!t || open_ppt(A.verb->name)) {
		free(t);
		return EXIT_FAIL;
	}
	if (A.verb->id == V_CLEAN && nt) {
		status = clean_targets(t, nt);
		free(t);
		return status;
	}
	for (i = 0; i < nt; i++) {
		ret = run_op(t[i].addr);
		if (ret) {
			report_op(A.verb->name, t[i].addr, ret);
			status = EXIT_FAIL;
		} else if (A.verb->id == V_ASSIGN && A.user &&
			   give_group(t[i].addr, NULL, 0)) {
			status = EXIT_FAIL;
		}
	}
	free(t);
	return status;
}

static void note_boot_change(const char *path)
{
	char where[4096];

	if (persist_others(path, where, sizeof(where)))
		fprintf(stderr,
			"pptadm: warning: %s sets ppt options too; modprobe passes both, and a parameter set in both takes the later file's value\n",
			where);
	if (persist_in_initramfs("", where, sizeof(where)))
		fprintf(stderr,
			"pptadm: note: ppt is loaded from the initramfs (%s): run update-initramfs -u (or dracut -f) so the next boot uses %s\n",
			where, path);
	else
		fprintf(stderr,
			"pptadm: note: if ppt is loaded from your initramfs, run update-initramfs -u (or dracut -f) so the next boot uses %s\n",
			path);
}

/* Write the boot lists back if they changed; EXIT_FAIL when that fails. */
static int save_boot_lists(struct persist *p, const char *done)
{
	char err[512], *content;
	int ret;

	if (!p->changed)
		return 0;
	content = persist_render(p);
	if (!content) {
		report_what(-ENOMEM, "out of memory", A.verb->name);
		return EXIT_FAIL;
	}
	ret = persist_write(p->path, content, err, sizeof(err));
	free(content);
	if (ret) {
		char what[768];

		snprintf(what, sizeof(what), "%s; %s, but the next boot will not know",
			 err, done);
		report_what(ret, what, A.verb->name);
		return EXIT_FAIL;
	}
	note_boot_change(p->path);
	return 0;
}

/*
 * The kernel command line's ppt.ids=, ppt.devices= or ppt.paths= replace
 * the file's list of the same name at boot (modprobe passes the command
 * line's options last): an entry added to the file would do nothing.
 */
static void note_cmdline(const char *path, enum ppt_match_kind kind)
{
	struct persist c;
	char err[512];

	if (!persist_load_cmdline(&c, "", err, sizeof(err)) && c.nlist[kind])
		fprintf(stderr,
			"pptadm: warning: the kernel command line sets ppt.%s=, which replaces %s's %s= at boot: add the entry there too\n",
			persist_param(kind), path, persist_param(kind));
	persist_free(&c);
}

static int cmd_add(void)
{
	const char *path = persist_path();
	struct name *names = NULL;
	struct name_target *t = NULL;
	struct dev_info info;
	struct persist p;
	size_t nt = 0, i;
	char err[512];
	bool *ok = NULL;
	int ret, k, lock, status = 0;

	ret = parse_names(A.argc, A.argv, &names);
	if (ret)
		return ret;
	/* another add or remove would lose this one's change, or this its */
	lock = persist_lock(path, err, sizeof(err));
	if (lock < 0) {
		report_what(lock, err, "add");
		return EXIT_FAIL;
	}
	ret = persist_load(&p, path, err, sizeof(err));
	if (ret) {
		report_what(ret, err, "add");
		persist_free(&p);
		close(lock);
		return EXIT_FAIL;
	}
	ok = calloc((size_t)A.argc, sizeof(*ok));
	if (!ok || resolve(SCOPE_HOST, false, names, A.argc, &t, &nt) ||
	    open_ppt("add")) {
		status = EXIT_FAIL;
		goto out;
	}
	for (k = 0; k < A.argc; k++)
		ok[k] = true;
	for (i = 0; i < nt; i++) {
		/* idempotent: a device ppt holds already is left as it is */
		if (!rows_get(H, t[i].addr, &info) &&
		    info.state != PPT_STATE_DETACHED)
			continue;
		ret = ppt_device_reserve(H, t[i].addr, reserve_flags(), A.timeout_ms, NULL);
		if (ret) {
			report_op("add", t[i].addr, ret);
			ok[t[i].name] = false;
			status = EXIT_FAIL;
		}
	}
	for (k = 0; k < A.argc; k++) {
		enum ppt_match_kind kind = name_list(&names[k]);

		if (!ok[k]) {
			fprintf(stderr, "pptadm: %s: not added to %s\n", names[k].arg, path);
			continue;
		}
		ret = persist_add(&p, kind, names[k].canon);
		if (ret < 0) {
			report_what(ret, "out of memory", "add");
			status = EXIT_FAIL;
			goto out;
		}
		if (A.fmt != OUT_JSON)
			fprintf(stderr, "pptadm: %s: %s %s=%s\n", names[k].arg,
				ret ? "adding to the boot lists as" : "already in the boot lists as",
				persist_param(kind), names[k].canon);
		if (ret)
			note_cmdline(path, kind);
	}
	if (save_boot_lists(&p, "the devices are reserved"))
		status = EXIT_FAIL;
out:
	persist_free(&p);
	free(ok);
	free(t);
	close(lock);
	return status;
}

/*
 * A file entry, other than those being removed, that names the device: it
 * would reserve the device again at the next boot.
 */
static const struct persist_entry *other_entry(const struct persist *p,
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

/*
 * What else reserves a device at boot: the kernel command line, or another
 * modprobe.d file's "options ppt" line.  Returns the entry, with its source
 * in @src (a file's path, or "the kernel command line") and its list in
 * @kind, or NULL.  @others holds the parsed sources.
 */
static const struct persist_entry *elsewhere_entry(const struct persist *others,
						   size_t nothers,
						   const struct out_device *d,
						   const char **src, int *kind)
{
	const struct persist_entry *e;
	size_t i;

	for (i = 0; i < nothers; i++) {
		e = other_entry(&others[i], d, NULL, 0, kind);
		if (e) {
			*src = others[i].path;
			return e;
		}
	}
	return NULL;
}

/*
 * The command line's lists, then every other modprobe.d file's: @n of them.
 * Each one's path (what messages name) is malloc()ed, freed by
 * free_elsewhere().
 */
static struct persist *load_elsewhere(const char *path, size_t *n)
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
			  persist_load_cmdline(&v[*n], "", err, sizeof(err));
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

static void free_elsewhere(struct persist *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		char *name = (char *)v[i].path;

		persist_free(&v[i]);
		free(name);
	}
	free(v);
}

static int cmd_remove(void)
{
	const char *path = persist_path(), *src;
	struct name *names = NULL;
	struct persist p, *others = NULL;
	char err[512], msg[768];
	bool failed = false, *ok = NULL;
	size_t i, nothers = 0;
	int ret, k, kind, lock, status = 0;

	ret = parse_names(A.argc, A.argv, &names);
	if (ret)
		return ret;
	lock = persist_lock(path, err, sizeof(err));
	if (lock < 0) {
		report_what(lock, err, "remove");
		return EXIT_FAIL;
	}
	ret = persist_load(&p, path, err, sizeof(err));
	if (ret) {
		report_what(ret, err, "remove");
		persist_free(&p);
		close(lock);
		return EXIT_FAIL;
	}
	others = load_elsewhere(path, &nothers);
	/* without ppt loaded, only the file changes */
	ret = ppt_open(&H);
	if (ret && ret != -ENOENT) {
		report_what(ret, "cannot open a netlink socket", "remove");
		status = EXIT_FAIL;
		goto out;
	}
	if (!ret && load_kernel("remove")) {
		status = EXIT_FAIL;
		goto out;
	}
	ok = calloc((size_t)A.argc, sizeof(*ok));
	if (!ok) {
		status = EXIT_FAIL;
		goto out;
	}
	/* check every name before anything is done */
	for (k = 0; k < A.argc; k++) {
		bool listed = persist_find(&p, name_list(&names[k]), names[k].canon);
		size_t hits = 0;

		for (i = 0; i < nkern; i++) {
			const struct persist_entry *e;
			struct name_cand c;

			inventory_cand(&kern_devs[i], &c);
			if (!name_matches(&names[k], &c))
				continue;
			hits++;
			e = other_entry(&p, &kern_devs[i], names, A.argc, &kind);
			if (e) {
				snprintf(msg, sizeof(msg),
					 "%s is also named by %s=%s (%s:%d): remove that too (pptadm remove %s)",
					 kern_devs[i].info.addr, persist_param(kind),
					 e->text, path, e->line, e->text);
				report_name("remove", names[k].arg, -EEXIST, msg);
				failed = true;
			}
			e = elsewhere_entry(others, nothers, &kern_devs[i], &src, &kind);
			if (e) {
				snprintf(msg, sizeof(msg),
					 "%s is also named by ppt's %s=%s in %s: it would be reserved again at boot; remove it there first",
					 kern_devs[i].info.addr, persist_param(kind),
					 e->text, src);
				report_name("remove", names[k].arg, -EEXIST, msg);
				failed = true;
			}
		}
		if (!listed && !hits) {
			snprintf(msg, sizeof(msg), "not in %s and not managed by ppt", path);
			report_name("remove", names[k].arg, -ENOENT, msg);
			failed = true;
		}
	}
	if (failed) {
		status = EXIT_FAIL;
		goto out;
	}
	for (k = 0; k < A.argc; k++)
		ok[k] = true;
	for (i = 0; i < nkern; i++) {
		struct name_cand c;

		inventory_cand(&kern_devs[i], &c);
		for (k = 0; k < A.argc && !name_matches(&names[k], &c); k++)
			;
		if (k == A.argc)
			continue;
		ret = ppt_device_release(H, kern_devs[i].info.addr, 0, A.timeout_ms, NULL);
		if (ret) {
			report_op("remove", kern_devs[i].info.addr, ret);
			ok[k] = false;
			status = EXIT_FAIL;
		}
	}
	for (k = 0; k < A.argc; k++) {
		enum ppt_match_kind lk = name_list(&names[k]);

		if (!ok[k]) {
			fprintf(stderr, "pptadm: %s: kept in %s\n", names[k].arg, path);
			continue;
		}
		if (persist_del(&p, lk, names[k].canon) && A.fmt != OUT_JSON)
			fprintf(stderr, "pptadm: %s: dropping %s=%s from the boot lists\n",
				names[k].arg, persist_param(lk), names[k].canon);
	}
	if (save_boot_lists(&p, "the devices are released"))
		status = EXIT_FAIL;
out:
	persist_free(&p);
	free_elsewhere(others, nothers);
	free(ok);
	close(lock);
	return status;
}

static int cmd_match(void)
{
	struct out_match *m = NULL;
	struct out_fields sel;
	size_t n = 0;
	char what[PPT_MATCH_BUFLEN + 16];
	int ret;

	if (A.match_op == MATCH_LIST) {
		ret = select_fields(&out_match_fields, NULL, &sel);
		if (ret)
			return ret;
	}
	if (open_ppt("match"))
		return EXIT_FAIL;
	if (A.match_op == MATCH_LIST) {
		ret = rows_matches(H, &m, &n);
		if (ret) {
			struct out_error e = { .err = ret, .what = "cannot list matches",
					       .operation = "match list",
					       .message = ppt_errmsg(H) };

			report(&e);
			return EXIT_FAIL;
		}
		out_rows(stdout, A.fmt, &out_match_fields, &sel, m, n);
		free(m);
		return 0;
	}
	/* an add returns once the devices it reserves are reserved */
	if (A.match_op == MATCH_ADD)
		ret = ppt_match_add(H, A.match_kind, A.match_text,
				    A.reset_pref < 0 ? PPT_RESET_AUTO : (uint32_t)A.reset_pref,
				    0, A.timeout_ms, NULL, NULL);
	else
		ret = ppt_match_del(H, A.match_kind, A.match_text, 0);
	if (ret) {
		snprintf(what, sizeof(what), "%s %s", ppt_match_kind_name(A.match_kind),
			 A.match_text);
		report_op(A.match_op == MATCH_ADD ? "match add" : "match del", what, ret);
		return EXIT_FAIL;
	}
	return 0;
}

/* Every device as it is now: at the start, and after a loss. */
static void sync_state(void)
{
	struct dev_info *info = NULL;
	struct out_device d;
	size_t n = 0, i;
	int ret = rows_list(H, &info, &n);

	if (ret) {
		struct out_error e = { .err = ret, .what = "cannot list devices to resynchronise",
				       .operation = "monitor", .message = ppt_errmsg(H) };

		out_error(stdout, stdout, A.fmt, &e);
		fflush(stdout);
		return;
	}
	for (i = 0; i < n; i++) {
		memset(&d, 0, sizeof(d));
		d.info = info[i];
		if (A.fmt == OUT_JSON) {
			inventory_names(&d, 1);
			label(&d, 1, NULL, 0);
		}
		ev_print_state(stdout, A.fmt, &d);
	}
	ev_print_synced(stdout, A.fmt, n);
	fflush(stdout);
	free(info);
}

static int cmd_monitor(void)
{
	struct pollfd pfd[2];
	struct ppt_event *pe;
	struct ev_event ev;
	struct out_device d;
	sigset_t set;
	int ret, sfd;

	if (open_ppt("monitor"))
		return EXIT_FAIL;
	ret = ppt_events_subscribe(H);
	if (ret) {
		report_what(ret, "cannot subscribe to ppt's events", "monitor");
		return EXIT_FAIL;
	}
	/* SIGINT and SIGTERM end the stream: read them, do not die of them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		report_what(-errno, "cannot watch for signals", "monitor");
		return EXIT_FAIL;
	}
	/* subscribed first, so nothing between the dump and the events is lost */
	sync_state();
	pfd[0] = (struct pollfd){ .fd = ppt_events_fd(H), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		while ((ret = ppt_events_next(H, &pe, 0)) == 0) {
			rows_event(pe, &ev);
			ppt_event_free(pe);
			if (ev.type == PPT_EVENT_DEVICE) {
				memset(&d, 0, sizeof(d));
				d.info = ev.device;
				if (A.fmt == OUT_JSON) {
					inventory_names(&d, 1);
					label(&d, 1, NULL, 0);
				}
			}
			ev_print(stdout, A.fmt, &ev, ev.type == PPT_EVENT_DEVICE ? &d : NULL);
			fflush(stdout);
			if (ev_needs_resync(&ev))
				sync_state();
		}
		if (ret != -EAGAIN && ret != -EINTR) {
			report_what(ret, "cannot read ppt's events", "monitor");
			close(sfd);
			return EXIT_FAIL;
		}
		if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
			report_what(-errno, "poll", "monitor");
			close(sfd);
			return EXIT_FAIL;
		}
		if (pfd[1].revents & POLLIN) {
			close(sfd);
			return 0;
		}
	}
}

/* check.h: the host's readiness; ppt's devices from the kernel and sysfs. */
static int cmd_check(void)
{
	struct check_list l = { 0 };
	struct ppt_dev **info = NULL;
	struct check_env e = { .root = "", .version = PPT_VERSION };
	char **devs = NULL, *log = check_kernel_log();
	size_t ndevs = 0, ninfo = 0, i;
	struct utsname u;
	int ret = 0;

	e.krel = uname(&u) ? "" : u.release;
	e.dmesg = log;
	/* the kernel's list has the listed devices held by others too */
	if ((H || !ppt_open(&H)) && !ppt_device_list(H, &info, &ninfo))
		for (i = 0; !ret && i < ninfo; i++)
			ret = check_add_device(&devs, &ndevs, ppt_dev_addr(info[i]));
	if (!ret)
		ret = check_sysfs_devices("", &devs, &ndevs);
	if (ret) {
		report_what(ret, "out of memory", "check");
	} else {
		e.devices = (const char *const *)devs;
		e.ndevices = ndevs;
		check_all(&e, &l);
		check_print(stdout, A.fmt, A.quiet, &l);
	}
	ret = ret || check_count(&l, CHECK_FAIL) ? EXIT_FAIL : 0;
	check_list_free(&l);
	for (i = 0; i < ndevs; i++)
		free(devs[i]);
	free(devs);
	ppt_dev_list_free(info);
	free(log);
	return ret;
}

static int cmd_version(void)
{
	FILE *f;
	char mod[64] = "";

	f = fopen("/sys/module/ppt/version", "r");
	if (f) {
		if (!fgets(mod, sizeof(mod), f))
			mod[0] = '\0';
		mod[strcspn(mod, "\n")] = '\0';
		fclose(f);
	}
	if (A.fmt == OUT_JSON) {
		fputs("{\"pptadm\":", stdout);
		json_string(stdout, PPT_VERSION);
		fputs(",\"module\":", stdout);
		json_string_or_null(stdout, mod[0] ? mod : NULL);
		printf(",\"protocol\":%d}\n", PPT_GENL_VERSION);
		return 0;
	}
	printf("pptadm %s\nmodule %s\nprotocol %d\n", PPT_VERSION,
	       mod[0] ? mod : "not loaded", PPT_GENL_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	const struct verb *v;
	char err[512];
	int ret, i;

	switch (args_parse(argc, argv, &A, err, sizeof(err))) {
	case ARGS_HELP:
		if (A.verb && A.verb->id != V_HELP)
			args_verb_help(stdout, A.verb);
		else
			args_usage(stdout);
		return 0;
	case ARGS_USAGE:
		/* a bad option is found before the verb is: name the verb anyway */
		for (v = A.verb, i = 1; !v && i < argc; i++)
			v = args_find_verb(argv[i]);
		fprintf(stderr, "pptadm: %s\nTry 'pptadm help%s%s'.\n", err,
			v ? " " : "", v ? v->name : "");
		return EXIT_USAGE;
	}
	switch (A.verb->id) {
	case V_LIST: ret = cmd_list(); break;
	case V_SHOW: ret = cmd_show(); break;
	case V_ADD: ret = cmd_add(); break;
	case V_REMOVE: ret = cmd_remove(); break;
	case V_MATCH: ret = cmd_match(); break;
	case V_MONITOR: ret = cmd_monitor(); break;
	case V_CHECK: ret = cmd_check(); break;
	case V_VERSION: ret = cmd_version(); break;
	case V_CLAIM: ret = cmd_claim(); break;
	case V_UNCLAIM: ret = A.all ? cmd_unclaim_all() : cmd_change(); break;
	case V_TAKE: ret = cmd_take(); break;
	case V_RUN: ret = cmd_run(); break;
	case V_ASSIGN: ret = A.user && lookup_user() ? EXIT_USAGE : cmd_change(); break;
	default: ret = cmd_change(); break;
	}
	ppt_close(H);
	variants_free(&VS);
	free(nodes_given);
	inventory_cleanup();
	free(host_devs);
	free(kern_devs);
	free(names_given);
	return ret;
}
