/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One pptadm command's context: its parsed command line, the netlink
 * handle, what it loaded once (the host's devices, the kernel's, the
 * variants file), the names it parsed and the VFIO nodes it gave away,
 * and where it writes.  Every command takes it (cmds.h); nothing lives at
 * file scope, so a batch runs command after command in one process and
 * the tests can build a context of their own.
 *
 * The helpers below report failures in the command's format (output.h's
 * out_error(): a line on c->err, or with -j an object on c->out) and
 * return what the command returns: EXIT_FAIL or EXIT_USAGE (args.h).
 */
#ifndef PPTADM_CTX_H
#define PPTADM_CTX_H

#include <stdbool.h>
#include <stdio.h>

#include "args.h"
#include "names.h"
#include "output.h"
#include "variants.h"
#include "vfio_nodes.h"

struct ctx {
	struct args a;
	FILE *out, *err;		/* stdout, stderr */
	const char *root;		/* below which /sys and /dev are read: "" */
	struct ppt_handle *h;		/* opened when first needed */

	/* the host's devices (libpci) and the kernel's, each loaded once */
	struct out_device *host;
	size_t nhost;
	bool have_host;
	struct out_device *kern;
	size_t nkern;
	bool have_kern;

	struct variants vs;		/* the variants file, loaded once */
	bool have_vs;

	struct name *names;		/* the DEVICE arguments, parsed */
	struct vfio_user user;		/* --user, looked up */
	struct vfio_given given;	/* VFIO nodes given to it */
};

/* A context for a parsed command line, writing to stdout and stderr. */
void ctx_init(struct ctx *c, const struct args *a);
/* Close the handle and free what it loaded. */
void ctx_free(struct ctx *c);

/* The command's name for messages: "reserve", "match add"... */
const char *ctx_op(const struct ctx *c);

void ctx_report(struct ctx *c, const struct out_error *e);
/* A failure of pptadm's own, without a device. */
void ctx_report_what(struct ctx *c, int err, const char *what, const char *op);
/* A failed operation on a device: the kernel's reason and blocker from c->h. */
void ctx_report_op(struct ctx *c, const char *op, const char *dev, int err);
/* A name that names nothing, or too much. */
void ctx_report_name(struct ctx *c, const char *op, const char *name, int err,
		     const char *msg);
/* "pptadm: " and the message on c->err; returns EXIT_USAGE. */
int ctx_usage_error(struct ctx *c, const char *fmt, const char *arg);

/* The handle; 0 or a negative errno (said). */
int ctx_open(struct ctx *c, const char *op);
/* The host's devices (c->host), the kernel's (c->kern); 0 or said. */
int ctx_load_host(struct ctx *c, const char *op);
int ctx_load_kernel(struct ctx *c, const char *op);

/*
 * The variants file.  Where variants decide what is done (claim or run
 * --variant, list --format assignable) a bad or missing file is an error
 * (fatal); where they only label a listing, a warning, and the devices
 * are listed without variants.
 */
int ctx_load_variants(struct ctx *c, bool fatal);
/* Variant and type of devices; nb: the devices that may share their slots. */
void ctx_label(struct ctx *c, struct out_device *devs, size_t n,
	       const struct out_device *nb, size_t nnb);

/* Parse every DEVICE argument into c->names; a bad one is a usage error. */
int ctx_parse_names(struct ctx *c, int argc, char **argv);

enum ctx_scope {
	SCOPE_HOST,		/* every PCI device (reserve, add) */
	SCOPE_KERNEL,		/* the devices ppt manages */
};

/*
 * The devices names stand for (names_resolve()) among devs (described by
 * where), checked before anything is done: on any problem each is
 * reported and EXIT_FAIL returned.  *out is malloc()ed.
 */
int ctx_resolve_in(struct ctx *c, const struct out_device *devs, size_t ndevs,
		   const char *where, int flags, const struct name *names,
		   int nnames, struct name_target **out, size_t *nout);
/* ... among the host's or the kernel's, loaded only when a name needs them. */
int ctx_resolve(struct ctx *c, enum ctx_scope scope, bool single,
		const struct name *names, int nnames, struct name_target **out,
		size_t *nout);

/* -o, or dflt: a usage error names an unknown field or one given twice. */
int ctx_select_fields(struct ctx *c, const struct field_set *fs,
		      const char *dflt, struct out_fields *sel);

#endif /* PPTADM_CTX_H */
