// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: pptadm's command line (userspace/pptadm/args.c), and
 * what a parsed command line leads to without a kernel: the -o field list
 * (output.c) and run's {} / {N} expansion (run_args.c).
 *
 * The input is the words after "pptadm", separated by NUL bytes (at most
 * 30).  Besides the sanitizers' findings, it checks that a usage error
 * always says what is wrong, and that a command line that parses names a
 * verb with a legal number of operands.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char addrs[2][PPT_ADDR_BUFLEN] = { "0000:3b:00.0", "0000:3b:00.1" };
	char *buf = malloc(size + 1), *argv[32], err[512], bad[64], exp_err[256];
	struct out_fields sel;
	struct args a;
	char **cmd = NULL;
	int argc = 1, ret;
	size_t off = 0;

	if (!buf)
		return 0;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "pptadm";
	while (off < size && argc < 31) {
		argv[argc++] = buf + off;
		off += strlen(buf + off) + 1;
	}
	argv[argc] = NULL;
	err[0] = '\0';
	ret = args_parse(argc, argv, &a, err, sizeof(err));
	switch (ret) {
	case ARGS_USAGE:
		if (!err[0])
			abort();
		break;
	case ARGS_HELP:
		if (devnull) {
			if (a.verb)
				args_verb_help(devnull, a.verb);
			else
				args_usage(devnull);
		}
		break;
	case ARGS_VERSION:
		if (a.verb)
			abort();
		break;
	case ARGS_BATCH:
		if (a.verb || !a.batch || !a.batch[0])
			abort();
		break;
	case ARGS_OK:
		if (!a.verb || a.argc < 0 || (a.verb->max_args >= 0 && a.argc > a.verb->max_args))
			abort();
		out_fields_select(a.verb->id == V_MATCH ? &out_match_fields : &out_device_fields,
				  a.fmt, a.fields, &sel, bad, sizeof(bad));
		if (a.verb->id == V_RUN) {
			if (a.cmd_argc < 1)
				abort();
			if (!run_expand(a.cmd_argc, a.cmd_argv, addrs, 2, &cmd, exp_err,
					sizeof(exp_err)))
				run_free_argv(cmd);
		}
		break;
	default:
		abort();
	}
	free(buf);
	return 0;
}
