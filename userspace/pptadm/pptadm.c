// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm: administer ppt, the PCI passthrough reservation module.
 *
 * This file parses the command line and dispatches: a command, the
 * overview or a command's help, the versions, or a batch of commands.
 * Each concern lives in a file of its own, where the unit tests reach it:
 *	args.c		the command line
 *	ctx.c		a command's context and what every command uses
 *	listing.c, change.c, bootlists.c, run.c, monitor.c, info.c
 *			the commands (cmds.h)
 *	vfio_nodes.c	the VFIO nodes --user gets
 *	sanitise*.c, vfio_dev.c, nvme.c
 *			sanitisers, on devices pptadm opens through VFIO
 *	agent.c, agent_jobs.c
 *			the sanitise agent, which runs them for the kernel
 *	batch.c		-b FILE
 *	names.c		device names, boot-list entries, addresses
 *	persist.c	the modprobe.d boot lists file
 *	inventory.c	libpci
 *	output.c, events.c, check.c	formats; json.c, the JSON writer
 *	export.c	export's formats
 *	closeout.c	write errors on standard output
 *	variants.c	the variants file
 *	rows.c		libppt's objects as pptadm's rows
 * libppt speaks netlink.
 *
 * Exit status: 0 success, 1 an operation failed, 2 usage error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "batch.h"
#include "closeout.h"
#include "cmds.h"
#include "inventory.h"

static int (*const command[])(struct ctx *) = {
	[V_LIST] = cmd_list,
	[V_SHOW] = cmd_show,
	[V_RESERVE] = cmd_change,
	[V_RELEASE] = cmd_change,
	[V_CLAIM] = cmd_claim,
	[V_UNCLAIM] = cmd_unclaim,
	[V_TAKE] = cmd_take,
	[V_ASSIGN] = cmd_assign,
	[V_UNASSIGN] = cmd_change,
	[V_RUN] = cmd_run,
	[V_RESET] = cmd_change,
	[V_CLEAN] = cmd_change,
	[V_ADD] = cmd_add,
	[V_REMOVE] = cmd_remove,
	[V_MATCH] = cmd_match,
	[V_MONITOR] = cmd_monitor,
	[V_CHECK] = cmd_check,
	[V_SET] = cmd_change,
	[V_VERSION] = cmd_version,
	[V_SRIOV] = cmd_sriov,
	[V_EXPORT] = cmd_export,
	[V_SANITISE] = cmd_sanitise,
	[V_AGENT] = cmd_agent,
};

/* Run one parsed command in a context of its own. */
static int run_command(const struct args *a)
{
	struct ctx c;
	int ret;

	ctx_init(&c, a);
	ret = a->verb ? command[a->verb->id](&c) : cmd_version(&c);
	ctx_free(&c);
	return ret;
}

static int run_batch(const struct args *a);

/*
 * Parse argv and do what it says.  where: "FILE:LINE" of a batch's line,
 * NULL for pptadm's own command line.
 */
static int run_argv(int argc, char **argv, const char *where)
{
	const struct verb *v;
	struct args a;
	char err[512];
	int i;

	switch (args_parse(argc, argv, &a, err, sizeof(err))) {
	case ARGS_HELP:
		/* longer than stdout's buffer: a failed write's errno is said now */
		errno = 0;
		if (a.verb && a.verb->id != V_HELP)
			args_verb_help(stdout, a.verb);
		else
			args_usage(stdout);
		return out_flush(stdout) ? EXIT_FAIL : 0;
	case ARGS_VERSION:
		return run_command(&a);
	case ARGS_BATCH:
		if (where) {
			fprintf(stderr, "pptadm: %s: -b/--batch does not run from a batch\n", where);
			return EXIT_USAGE;
		}
		return run_batch(&a);
	case ARGS_USAGE:
		/* a bad option is found before the verb is: name the verb anyway */
		for (v = a.verb, i = 1; !v && i < argc; i++)
			v = args_find_verb(argv[i]);
		fprintf(stderr, "pptadm: %s%s%s\nTry 'pptadm help%s%s'.\n", where ? where : "",
			where ? ": " : "", err, v ? " " : "", v ? v->name : "");
		return EXIT_USAGE;
	}
	if (where && (a.verb->id == V_MONITOR || a.verb->id == V_RUN ||
		      (a.verb->id == V_AGENT && !a.agent_status && !a.agent_restore))) {
		fprintf(stderr, "pptadm: %s: %s does not run from a batch\n", where, a.verb->name);
		return EXIT_USAGE;
	}
	return run_command(&a);
}

/* A batch line: pptadm's options that apply to every line, then its words. */
struct batch_line {
	const struct args *outer;
};

static int batch_line(void *arg, int argc, char **words, const char *where)
{
	const struct args *outer = ((struct batch_line *)arg)->outer;
	char **argv = calloc((size_t)argc + 6, sizeof(*argv));
	int n = 0, ret;

	if (!argv) {
		fprintf(stderr, "pptadm: %s: out of memory\n", where);
		return EXIT_FAIL;
	}
	argv[n++] = "pptadm";
	if (outer->given & OPT_JSON)
		argv[n++] = "--json";
	if (outer->given & OPT_PRETTY)
		argv[n++] = "--pretty";
	if (outer->variants_file) {
		argv[n++] = "--variants";
		argv[n++] = (char *)outer->variants_file;
	}
	memcpy(argv + n, words, (size_t)argc * sizeof(*argv));
	ret = run_argv(n + argc, argv, where);
	if (ret == EXIT_FAIL)
		fprintf(stderr, "pptadm: %s: the command failed%s\n", where,
			outer->force ? "" : "; the lines after it are not run (--force runs them)");
	/* stdout cannot take what the next lines print: stop there */
	if (out_flush(stdout))
		ret = -(ret ? ret : EXIT_FAIL);
	free(argv);
	return ret;
}

static int run_batch(const struct args *a)
{
	struct batch_line bl = { a };
	bool in = !strcmp(a->batch, "-");
	FILE *f = in ? stdin : fopen(a->batch, "r");
	int ret;

	if (!f) {
		fprintf(stderr, "pptadm: %s: %s\n", a->batch, strerror(errno));
		return EXIT_FAIL;
	}
	ret = batch_run(f, in ? "<stdin>" : a->batch, a->force, batch_line, &bl, stderr);
	if (!in)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	int ret = run_argv(argc, argv, NULL);

	inventory_cleanup();
	return out_close_stdout(ret);
}
