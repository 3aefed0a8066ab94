// SPDX-License-Identifier: GPL-2.0-only
/*
 * docs_cli: pptadm's command line as check-docs.sh compares it with the
 * manual page and the bash completion.  Built from pptadm's own args.c,
 * so what it prints is what pptadm prints and parses:
 *
 *	docs_cli help [COMMAND]		pptadm help [COMMAND], word for word
 *	docs_cli takes COMMAND OPTION...
 *		for each OPTION, "OPTION yes" when pptadm's parser lets
 *		COMMAND take it, "OPTION no" when it refuses it as one the
 *		command does not take ("COMMAND does not take ..."), and
 *		"OPTION unknown" when the parser does not know the option.
 *
 * Nothing is run: args_parse() only parses.  Exit status 2 on misuse.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "args.h"

/*
 * Values to try for an option, first none: one of them parses for every
 * option pptadm has (a field, an owner, seconds, a reset method, a match,
 * a format, a NUMA policy, a CDI kind).
 */
static const char *const values[] = { NULL, "kind", "addr", "vm-1", "5", "auto",
				      "1234:1111", "sysinfo", "legacy", "ppt.io/vfio" };

/*
 * Is err about the option's value ("--timeout \"x\": want ...", "--owner
 * must be ...") rather than about the command?
 */
static bool value_error(const char *err, const char *opt)
{
	size_t len = strlen(opt);

	return strstr(err, "needs a value") ||
	       (!strncmp(err, opt, len) &&
		(!strncmp(err + len, " \"", 2) || !strncmp(err + len, " must", 5)));
}

static int takes(const char *cmd, int n, char **opts)
{
	struct args a;
	char err[512];
	int i;

	if (!args_find_verb(cmd)) {
		fprintf(stderr, "docs_cli: pptadm has no command \"%s\"\n", cmd);
		return 2;
	}
	for (i = 0; i < n; i++) {
		const char *said = "unknown";
		size_t k;

		for (k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
			char *argv[5] = { "pptadm", (char *)cmd, opts[i], (char *)values[k], NULL };

			err[0] = '\0';
			if (args_parse(values[k] ? 4 : 3, argv, &a, err, sizeof(err)) != ARGS_USAGE) {
				said = "yes";
			} else if (strstr(err, "does not take")) {
				said = "no";
			} else if (strstr(err, "unknown option")) {
				break;
			} else if (value_error(err, opts[i])) {
				continue;
			} else {
				said = "yes";	/* refused for its arguments */
			}
			break;
		}
		printf("%s %s\n", opts[i], said);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct verb *v;

	if (argc >= 2 && !strcmp(argv[1], "help") && argc <= 3) {
		if (argc == 2) {
			args_usage(stdout);
			return 0;
		}
		v = args_find_verb(argv[2]);
		if (!v) {
			fprintf(stderr, "docs_cli: pptadm has no command \"%s\"\n", argv[2]);
			return 2;
		}
		/* as pptadm: "help help" is the overview */
		if (v->id == V_HELP)
			args_usage(stdout);
		else
			args_verb_help(stdout, v);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "takes"))
		return takes(argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: docs_cli help [COMMAND] | docs_cli takes COMMAND OPTION...\n");
	return 2;
}
