/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm's command line: the verbs, which options each takes, help texts,
 * and a parser that checks all of it before anything is done, so every
 * mistake is a usage error (exit 2) that names the bad word.
 */
#ifndef PPTADM_ARGS_H
#define PPTADM_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#include "names.h"
#include "output.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

enum verb_id {
	V_LIST, V_SHOW, V_RESERVE, V_RELEASE, V_CLAIM, V_UNCLAIM, V_ASSIGN,
	V_UNASSIGN, V_RESET, V_CLEAN, V_ADD, V_REMOVE, V_MATCH, V_MONITOR,
	V_CHECK, V_SET, V_VERSION, V_HELP, V_TAKE, V_RUN, V_SRIOV, V_EXPORT,
	V_SANITISE, V_AGENT,
};

/* Options, as bits: which were given, and which a verb takes. */
enum {
	OPT_JSON	= 1 << 0,
	OPT_PARSEABLE	= 1 << 1,
	OPT_OUTPUT	= 1 << 2,
	OPT_ALL		= 1 << 3,
	OPT_OWNER	= 1 << 4,
	OPT_FORCE	= 1 << 5,
	OPT_NO_WAIT	= 1 << 6,
	OPT_TIMEOUT	= 1 << 7,
	OPT_METHOD	= 1 << 8,
	OPT_ALL_DIRTY	= 1 << 9,
	OPT_QUIET	= 1 << 10,
	OPT_RESET_PREF	= 1 << 11,
	OPT_VARIANT	= 1 << 12,
	OPT_COUNT	= 1 << 13,
	OPT_MATCH	= 1 << 14,
	OPT_USER	= 1 << 15,
	OPT_TIMEOUT_CLEAN = 1 << 16,
	OPT_FORMAT	= 1 << 17,
	OPT_VARIANTS	= 1 << 18,	/* every command takes it */
	OPT_UNCLEAN	= 1 << 19,
	OPT_PRETTY	= 1 << 20,	/* every command takes it (with -j) */
	OPT_TIMESTAMPS	= 1 << 21,
	OPT_BATCH	= 1 << 22,	/* no command takes it: it runs commands */
	OPT_VERSION	= 1 << 23,	/* likewise: pptadm's, not a command's */
	OPT_NUMA_POLICY	= 1 << 24,	/* export nova */
	OPT_BY_ID	= 1 << 25,	/* export nova */
	OPT_PREFIX	= 1 << 26,	/* export kubevirt */
	OPT_EXTERNAL	= 1 << 27,	/* export kubevirt */
	OPT_KIND	= 1 << 28,	/* export cdi */
	OPT_VFS		= 1 << 29,	/* add --vfs COUNT PF */
	OPT_RECYCLE	= 1 << 30,	/* assign --recycle */
};

/* bits 31 and up, outside the enum (an int): given and opts are 64 bits wide */
#define OPT_PERSIST	(1ull << 31)	/* sanitise set|del --persist */
#define OPT_JOBS	(1ull << 32)	/* agent --jobs */
#define OPT_GRACE	(1ull << 33)	/* agent --timeout-grace */
#define OPT_INSPECT	(1ull << 34)	/* clean --inspect */

/* Options every command takes. */
#define OPT_GLOBAL	(OPT_JSON | OPT_PRETTY | OPT_VARIANTS)

/* list -j --format: RFD 114's shapes (output.h) */
enum list_format { FORMAT_DEVICES, FORMAT_SYSINFO, FORMAT_ASSIGNABLE };

struct verb {
	const char *name;
	enum verb_id id;
	unsigned long long opts;	/* options it takes besides OPT_GLOBAL and --help */
	int min_args, max_args;	/* operands; max -1: any number */
	/*
	 * Its forms, one a line, each starting with the command's name; a
	 * line starting with a tab continues the form before it.
	 */
	const char *synopsis;
	const char *help;
};

struct args {
	const struct verb *verb;
	enum out_format fmt;
	const char *fields;	/* -o */
	const char *owner;	/* --owner */
	bool force, all, all_dirty, inspect;
	bool force_critical;	/* --force twice: host-critical devices too */
	bool unclean;		/* release --unclean: a tainted device as it is */
	bool recycle;		/* assign --recycle: clean and give back at each close */
	bool persist;		/* sanitise set|del --persist: the boot file too */
	bool quiet;		/* -q (check): only problems */
	bool timestamps;	/* -t (monitor) */
	const char *batch;	/* -b FILE: run its lines ("-": stdin) */
	int reset_pref;		/* --reset-pref: enum ppt_reset_method, or -1 */
	int method;		/* --method: enum ppt_reset_method, or -1 */
	int timeout_ms;		/* 0: --no-wait */
	const char *variant;	/* --variant NAME (checked) */
	unsigned int count;	/* --count N; 0: not given */
	unsigned int vfs;	/* add --vfs COUNT (1 to 65535); 0: not given */
	unsigned int numvfs;	/* sriov PF COUNT (0 to 65535) */
	const char *match;	/* --match IDS, as given (checked) */
	struct id_match match_ids;	/* ... parsed */
	const char *user;	/* --user USER (looked up when run) */
	int timeout_clean_ms;	/* --timeout-clean SECS (default 120) */
	enum list_format format;	/* --format */
	const char *variants_file;	/* --variants FILE; NULL: the default */
	int export_format;	/* export: enum export_format */
	const char *outfile;	/* export -o/--output FILE; NULL: stdout */
	const char *numa_policy;	/* export nova --numa-policy */
	bool by_id;		/* export nova --by-id */
	const char *prefix;	/* export kubevirt --prefix */
	bool external;		/* export kubevirt --external-provider */
	const char *kind;	/* export cdi --kind */
	int cmd_argc;		/* run: the COMMAND after "--" */
	char **cmd_argv;
	unsigned long long given;	/* OPT_* given */
	enum { MATCH_LIST, MATCH_ADD, MATCH_DEL } match_op;
	enum ppt_match_kind match_kind;	/* match add/del */
	enum ppt_sanitise_kind sanitise_kind;	/* sanitise set/del */
	const char *match_text;		/* as given; checked */
	bool agent_status;	/* agent status */
	bool agent_restore;	/* agent restore */
	unsigned int jobs;	/* agent --jobs N (default 4) */
	unsigned int grace_s;	/* agent --timeout-grace SECS (default 30) */
	int argc;		/* operands after the verb */
	char **argv;
};

enum { ARGS_OK, ARGS_HELP, ARGS_USAGE, ARGS_VERSION, ARGS_BATCH };

/*
 * Parse argv.  ARGS_OK: run a->verb; ARGS_HELP: print help (for a->verb
 * when set, else the overview) and exit 0; ARGS_VERSION: print the
 * versions (-V, --version, without a command); ARGS_BATCH: run the
 * commands of a->batch (-b FILE, without a command; a->force: go on after
 * a failure); ARGS_USAGE: err says what is wrong, exit 2.
 *
 * -p is --pretty when -j is given, --parseable otherwise.  devlink's
 * spellings -json, -pretty, -batch and -force are taken for --json,
 * --pretty, --batch and --force (argv is changed to say so).  Uses
 * getopt_long (resets it first).
 */
int args_parse(int argc, char **argv, struct args *a, char *err, size_t errlen);

const struct verb *args_find_verb(const char *name);

/* The overview, or one verb's help. */
void args_usage(FILE *f);
void args_verb_help(FILE *f, const struct verb *v);

#endif /* PPTADM_ARGS_H */
