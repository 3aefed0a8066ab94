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
#include <stdio.h>
#include <string.h>

#include "args.h"

/* A value that parses for an option that needs one. */
static const char *value_for(const char *cmd, const char *opt)
{
	if (!strcmp(opt, "-o") || !strcmp(opt, "--output"))
		return strcmp(cmd, "match") ? "addr" : "kind";
	if (!strcmp(opt, "--owner"))
		return "vm-1";
	if (!strcmp(opt, "--timeout"))
		return "5";
	if (!strcmp(opt, "--method"))
		return "auto";
	return NULL;
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
		char *argv[5] = { "pptadm", (char *)cmd, opts[i], NULL, NULL };
		const char *val = value_for(cmd, opts[i]);
		int argc = 3;

		if (val)
			argv[argc++] = (char *)val;
		err[0] = '\0';
		if (args_parse(argc, argv, &a, err, sizeof(err)) != ARGS_USAGE)
			printf("%s yes\n", opts[i]);
		else if (strstr(err, "does not take"))
			printf("%s no\n", opts[i]);
		else if (strstr(err, "unknown option") || strstr(err, "needs a value"))
			printf("%s unknown\n", opts[i]);
		else
			printf("%s yes\n", opts[i]);	/* refused for its arguments */
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
