// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm's command line: what parses, and that every mistake is a usage
 * error naming the bad word.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "args.h"
#include "tap.h"

static struct args a;
static char err[512];

/* Parse a NULL-terminated list of words after "pptadm". */
static int parse(const char *first, ...)
{
	static char *argv[32];	/* a.argv and a.cmd_argv point into it */
	int argc = 1;
	const char *w;
	va_list ap;

	argv[0] = "pptadm";
	va_start(ap, first);
	for (w = first; w && argc < 31; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return args_parse(argc, argv, &a, err, sizeof(err));
}

static void usage_err(int ret, const char *want, const char *what)
{
	ok(ret == ARGS_USAGE, "%s: usage error", what);
	if (!ok(strstr(err, want) != NULL, "... saying \"%s\"", want))
		printf("#   err: %s\n", err);
}

/* -p: --pretty with -j, --parseable without; --pretty needs -j */
static void test_pretty(void)
{
	ok(parse("list", "-p", "-j", "-o", "addr", NULL) == ARGS_OK && a.fmt == OUT_JSON_PRETTY,
	   "-p -j: pretty JSON (with -o)");
	ok(parse("-jp", "list", NULL) == ARGS_OK && a.fmt == OUT_JSON_PRETTY &&
	   (a.given & OPT_PRETTY) && !(a.given & OPT_PARSEABLE), "-jp: pretty JSON");
	ok(parse("-pj", "reserve", "01:00.0", NULL) == ARGS_OK && a.fmt == OUT_JSON_PRETTY,
	   "-pj with a command that has no -p: pretty, which every command takes");
	ok(parse("--json", "--pretty", "monitor", NULL) == ARGS_OK && a.fmt == OUT_JSON_PRETTY,
	   "--json --pretty");
	ok(parse("-p", "-o", "state", "show", "01:00.0", NULL) == ARGS_OK && a.fmt == OUT_PARSEABLE,
	   "-p -o without -j: parseable, as scripts have it");
	ok(parse("list", "--parseable", "-o", "addr", NULL) == ARGS_OK && a.fmt == OUT_PARSEABLE,
	   "--parseable -o");
	ok(parse("-j", "list", NULL) == ARGS_OK && a.fmt == OUT_JSON, "-j alone: compact");
	usage_err(parse("--pretty", "list", NULL), "--pretty lays out JSON: it needs -j (-jp)",
		  "--pretty without -j");
	usage_err(parse("-j", "--parseable", "-o", "addr", "list", NULL),
		  "--parseable and -j exclude each other", "--parseable with -j");
	usage_err(parse("-p", "reserve", "01:00.0", NULL), "reserve does not take -p/--parseable",
		  "-p without -j for reserve");
	usage_err(parse("list", "-p", NULL), "(with -j, -p is --pretty)", "-p alone says what it is");
	ok(parse("monitor", "-t", NULL) == ARGS_OK && a.timestamps, "monitor -t");
	ok(parse("--timestamps", "-j", "monitor", NULL) == ARGS_OK && a.timestamps, "--timestamps");
	usage_err(parse("list", "-t", NULL), "list does not take -t/--timestamps", "list -t");
}

/* -V, -b FILE and devlink's spellings */
static void test_global(void)
{
	ok(parse("-V", NULL) == ARGS_VERSION, "-V: the versions");
	ok(parse("--version", NULL) == ARGS_VERSION, "--version");
	ok(parse("-jV", NULL) == ARGS_VERSION && a.fmt == OUT_JSON, "-jV: as JSON");
	ok(parse("-jpV", NULL) == ARGS_VERSION && a.fmt == OUT_JSON_PRETTY, "-jpV: pretty");
	usage_err(parse("-V", "list", NULL), "list does not take -V/--version", "-V with a command");
	ok(parse("-b", "f.txt", NULL) == ARGS_BATCH && !strcmp(a.batch, "f.txt") && !a.force,
	   "-b FILE: a batch");
	ok(parse("--batch", "-", "--force", "-j", NULL) == ARGS_BATCH && !strcmp(a.batch, "-") &&
	   a.force && a.fmt == OUT_JSON, "--batch - --force -j");
	ok(parse("-batch", "f.txt", "-force", "-json", "-pretty", NULL) == ARGS_BATCH &&
	   !strcmp(a.batch, "f.txt") && a.force && a.fmt == OUT_JSON_PRETTY,
	   "devlink's -batch, -force, -json and -pretty");
	ok(parse("--variants", "v.conf", "-b", "f", NULL) == ARGS_BATCH &&
	   !strcmp(a.variants_file, "v.conf"), "-b with --variants");
	usage_err(parse("-b", "f", "list", NULL), "list does not take -b/--batch", "-b with a command");
	usage_err(parse("-b", "f", "--owner", "x", NULL),
		  "-b/--batch takes -j, --pretty, --variants and --force, not --owner",
		  "-b with a command's option");
	usage_err(parse("-b", "", NULL), "--batch \"\": want a file", "-b with an empty name");
	usage_err(parse("-b", NULL), "option \"-b\" needs a value", "-b without a file");
	ok(parse("-h", "-b", "f", NULL) == ARGS_HELP, "--help wins");
	usage_err(parse("-jsn", "list", NULL), "unknown option", "-jsn is no devlink word");
}

/* claim, take, run, unclaim --all, assign --user, list --format, --variants */
static void test_alloc(void)
{
	ok(parse("claim", "--owner", "vm1", "01:00.0", "02:00.0", NULL) == ARGS_OK &&
	   a.argc == 2 && !a.count, "claim DEVICE DEVICE");
	ok(parse("claim", "--owner", "vm1", "--variant", "v100", "--count", "2", NULL) == ARGS_OK &&
	   !strcmp(a.variant, "v100") && a.count == 2 && a.argc == 0, "claim --variant --count");
	ok(parse("claim", "--owner", "vm1", "--match", "10de:1db4:ffffffff:ffffffff:030000:ff0000",
		 NULL) == ARGS_OK && a.match && a.match_ids.class == 0x030000,
	   "claim --match with a class and mask");
	ok(parse("claim", "--owner", "vm1", "--count", "3", "01:00.0", "02:00.0", "03:00.0",
		 "04:00.0", NULL) == ARGS_OK && a.count == 3 && a.argc == 4,
	   "claim --count N of the DEVICEs");
	ok(parse("take", "--owner", "vm1", NULL) == ARGS_OK && a.verb->id == V_TAKE, "take --owner");
	ok(parse("unclaim", "--owner", "vm1", "--all", NULL) == ARGS_OK && a.all, "unclaim --all");
	ok(parse("unclaim", "-a", "--owner", "vm1", NULL) == ARGS_OK && a.all, "unclaim -a");
	ok(parse("assign", "--owner", "vm1", "--user", "qemu", "01:00.0", NULL) == ARGS_OK &&
	   !strcmp(a.user, "qemu"), "assign --user");
	ok(parse("-j", "list", "--format", "sysinfo", NULL) == ARGS_OK &&
	   a.format == FORMAT_SYSINFO, "list -j --format sysinfo");
	ok(parse("list", "-a", "-j", "--format", "assignable", NULL) == ARGS_OK &&
	   a.format == FORMAT_ASSIGNABLE, "list -j --format assignable");
	ok(parse("list", NULL) == ARGS_OK && a.format == FORMAT_DEVICES, "list: no format");
	ok(parse("--variants", "/x.conf", "list", NULL) == ARGS_OK &&
	   !strcmp(a.variants_file, "/x.conf"), "--variants before the command");
	ok(parse("monitor", "--variants", "/x.conf", NULL) == ARGS_OK, "--variants with any command");

	ok(parse("run", "--owner", "vm1", "--variant", "v100", "--user", "qemu",
		 "--timeout-clean", "30", "--", "qemu-system-x86_64", "-device",
		 "vfio-pci,host={0}", "--", "-x", NULL) == ARGS_OK && a.verb->id == V_RUN,
	   "run --variant --user --timeout-clean -- COMMAND");
	ok(a.cmd_argc == 5 && !strcmp(a.cmd_argv[0], "qemu-system-x86_64") &&
	   !strcmp(a.cmd_argv[3], "--") && !strcmp(a.cmd_argv[4], "-x") && a.argc == 0,
	   "... the COMMAND is everything after the first --, its options untouched");
	ok(a.timeout_clean_ms == 30000 && !strcmp(a.user, "qemu"), "... the options");
	ok(parse("run", "--owner", "vm1", "01:00.0", "02:00.0", "--", "sh", "-c", "echo {}",
		 NULL) == ARGS_OK && a.argc == 2 && !strcmp(a.argv[1], "02:00.0") &&
	   a.cmd_argc == 3 && !strcmp(a.cmd_argv[2], "echo {}"),
	   "run DEVICE DEVICE -- COMMAND: the devices and the command apart");
	ok(parse("run", "01:00.0", "--owner", "vm1", "--", "true", NULL) == ARGS_OK &&
	   a.argc == 1 && a.cmd_argc == 1 && a.timeout_clean_ms == 120000,
	   "run: options after a DEVICE; default --timeout-clean 120");
	ok(parse("unclaim", "--owner", "vm1", "--", "01:00.0", NULL) == ARGS_OK &&
	   a.argc == 1 && !strcmp(a.argv[0], "01:00.0"), "another verb: operands after -- too");
	ok(parse("list", "01:00.0", "--", "-a", NULL) == ARGS_OK && a.argc == 2 && !a.all &&
	   !strcmp(a.argv[1], "-a"), "... an operand after -- that looks like an option");

	usage_err(parse("claim", "--owner", "vm1", NULL),
		  "claim needs DEVICE..., --variant NAME or --match IDS", "claim of nothing");
	usage_err(parse("claim", "--owner", "vm1", "--variant", "a", "01:00.0", NULL),
		  "claim takes one of DEVICE..., --variant and --match, not DEVICE and --variant",
		  "claim of a DEVICE and a variant");
	usage_err(parse("claim", "--owner", "vm1", "--variant", "a", "--match", "10de:1db4", NULL),
		  "not --variant and --match", "claim of a variant and a match");
	usage_err(parse("claim", "--owner", "vm1", "--variant", "V100", NULL),
		  "--variant \"V100\": a variant name is lower-case letters", "a bad variant name");
	usage_err(parse("claim", "--owner", "vm1", "--match", "10de", NULL),
		  "--match \"10de\": need at least vendor:device (want vendor:device[:subvendor",
		  "a bad match");
	usage_err(parse("claim", "--owner", "vm1", "--match", "10de:zz", NULL),
		  "--match \"10de:zz\": field is not hexadecimal", "a match that is not hex");
	usage_err(parse("claim", "--owner", "vm1", "--count", "0", "--variant", "a", NULL),
		  "--count \"0\": want a number, 1 to 256", "a zero count");
	usage_err(parse("claim", "--owner", "vm1", "--count", "257", "--variant", "a", NULL),
		  "--count \"257\": want a number, 1 to 256", "too many");
	usage_err(parse("claim", "--owner", "vm1", "--count", "2x", "--variant", "a", NULL),
		  "--count \"2x\"", "a count with junk");
	usage_err(parse("claim", "--owner", "vm1", "--user", "x", "01:00.0", NULL),
		  "claim does not take --user", "--user with claim");
	usage_err(parse("claim", "--owner", "vm1", "--timeout-clean", "5", "01:00.0", NULL),
		  "claim does not take --timeout-clean", "--timeout-clean with claim");
	usage_err(parse("reserve", "--variant", "a", "01:00.0", NULL),
		  "reserve does not take --variant", "--variant with reserve");
	usage_err(parse("take", NULL), "take needs --owner ID", "take without owner");
	usage_err(parse("take", "--owner", "vm1", "01:00.0", NULL),
		  "take takes no arguments (\"01:00.0\" is one too many)", "take with a device");
	usage_err(parse("unclaim", "--owner", "vm1", NULL), "unclaim needs DEVICE... or --all",
		  "unclaim of nothing");
	usage_err(parse("unclaim", "--owner", "vm1", "--all", "01:00.0", NULL),
		  "unclaim takes DEVICE... or --all, not both", "unclaim of both");
	usage_err(parse("assign", "--owner", "vm1", "--user", "", "01:00.0", NULL),
		  "--user \"\": want a user name or number", "an empty user");
	usage_err(parse("assign", "--owner", "vm1", "--user", "a b", "01:00.0", NULL),
		  "--user \"a b\"", "a user with a space");
	usage_err(parse("list", "--format", "sysinfo", NULL), "--format sysinfo is JSON: it needs -j",
		  "--format without -j");
	usage_err(parse("list", "-j", "--format", "yaml", NULL),
		  "--format \"yaml\": want sysinfo or assignable", "an unknown format");
	usage_err(parse("list", "-j", "--format", "sysinfo", "-o", "addr", NULL),
		  "--format and -o exclude each other", "--format with -o");
	usage_err(parse("show", "-j", "--format", "sysinfo", "01:00.0", NULL),
		  "show does not take --format", "--format with show");
	usage_err(parse("list", "--variants", "", NULL), "--variants \"\": want a file",
		  "an empty --variants");
	usage_err(parse("list", "--variant", NULL), "option \"--variant\" needs a value",
		  "--variant without a value");
	usage_err(parse("run", "--owner", "vm1", "--variant", "a", NULL),
		  "run needs -- COMMAND [ARG...] after its options", "run without a command");
	usage_err(parse("run", "--owner", "vm1", "--variant", "a", "--", NULL),
		  "run needs -- COMMAND", "run with an empty command");
	usage_err(parse("run", "--variant", "a", "--", "true", NULL), "run needs --owner ID",
		  "run without an owner");
	usage_err(parse("run", "--owner", "vm1", "--", "true", NULL),
		  "run needs DEVICE..., --variant NAME or --match IDS", "run of nothing");
	usage_err(parse("run", "--owner", "vm1", "--variant", "a", "--timeout-clean", "0", "--",
			"true", NULL),
		  "--timeout-clean \"0\": want whole seconds, 1 to 86400", "a zero --timeout-clean");
	usage_err(parse("run", "--owner", "vm1", "--force", "--variant", "a", "--", "true", NULL),
		  "run does not take --force", "--force with run");
	usage_err(parse("run", "--owner", "vm1", "--varient", "a", "--", "true", NULL),
		  "unknown option \"--varient\" (did you mean --variant?)", "a typo in run's options");
	ok(parse("run", "--owner", "vm1", "--variant", "a", "--", "qemu", "--varient", NULL) ==
	   ARGS_OK, "... but not in the COMMAND's, which are not pptadm's");
}

int main(void)
{
	ok(parse("list", NULL) == ARGS_OK && a.verb->id == V_LIST &&
	   a.fmt == OUT_TABLE && a.argc == 0, "list");
	ok(parse("-j", "list", "-a", NULL) == ARGS_OK && a.fmt == OUT_JSON && a.all,
	   "-j list -a: options before and after the verb");
	ok(parse("list", "-p", "-o", "addr,state", "10de:1db4", NULL) == ARGS_OK &&
	   a.fmt == OUT_PARSEABLE && !strcmp(a.fields, "addr,state") && a.argc == 1 &&
	   !strcmp(a.argv[0], "10de:1db4"), "list -p -o FIELDS NAME");
	ok(parse("reserve", "--force", "01:00.0", "02:00.0", NULL) == ARGS_OK &&
	   a.force && a.argc == 2 && a.timeout_ms == 60000, "reserve --force, two devices");
	ok(parse("assign", "--owner", "vm1", "--timeout", "5", "01:00.0", NULL) == ARGS_OK &&
	   !strcmp(a.owner, "vm1") && a.timeout_ms == 5000, "assign --owner --timeout");
	ok(parse("release", "--no-wait", "01:00.0", NULL) == ARGS_OK && a.timeout_ms == 0,
	   "--no-wait");
	ok(parse("reset", "--method", "sbr", "01:00.0", NULL) == ARGS_OK &&
	   a.method == PPT_RESET_SBR, "reset --method sbr");
	ok(parse("reset", "01:00.0", NULL) == ARGS_OK && a.method == -1,
	   "reset without --method");
	ok(parse("clean", "--all-dirty", NULL) == ARGS_OK && a.all_dirty, "clean --all-dirty");
	ok(parse("clean", "--inspect", "01:00.0", "02:00.0", NULL) == ARGS_OK && a.inspect &&
	   a.argc == 2, "clean --inspect DEVICE...");
	ok(parse("set", "--reset-pref", "pm", "1234:1111", NULL) == ARGS_OK &&
	   a.verb->id == V_SET && a.reset_pref == PPT_RESET_PM && a.argc == 1,
	   "set --reset-pref pm vendor:device");
	ok(parse("match", "add", "--reset-pref", "sbr", "ids", "10de:1db4", NULL) == ARGS_OK &&
	   a.match_op == MATCH_ADD && a.reset_pref == PPT_RESET_SBR, "match add --reset-pref");
	ok(parse("clean", "01:00.0", "02:00.0", NULL) == ARGS_OK && a.argc == 2, "clean DEVICE...");
	ok(parse("match", "add", "ids", "10de:1db4", NULL) == ARGS_OK &&
	   a.match_op == MATCH_ADD && a.match_kind == PPT_MATCH_IDS &&
	   !strcmp(a.match_text, "10de:1db4"), "match add ids");
	ok(parse("match", "del", "path", "0000:00/1c.0/00.0", NULL) == ARGS_OK &&
	   a.match_op == MATCH_DEL && a.match_kind == PPT_MATCH_PATH, "match del path");
	ok(parse("match", "list", "-p", "-o", "kind,text", NULL) == ARGS_OK &&
	   a.match_op == MATCH_LIST && a.fmt == OUT_PARSEABLE, "match list -p -o");
	/* the sanitiser policy: set, del, list; run and baseline */
	ok(parse("sanitise", "set", "class", "0108", "nvme:format-user", NULL) == ARGS_OK &&
	   a.verb->id == V_SANITISE && a.sanitise_kind == PPT_SANITISE_BY_CLASS && a.argc == 4,
	   "sanitise set class SELECTOR SANITISER");
	ok(parse("sanitise", "del", "device", "01:00.0", NULL) == ARGS_OK &&
	   a.sanitise_kind == PPT_SANITISE_BY_DEVICE, "sanitise del device SELECTOR");
	ok(parse("sanitise", "list", "-p", "-o", "selector,sanitiser", NULL) == ARGS_OK &&
	   a.fmt == OUT_PARSEABLE, "sanitise list -p -o");
	ok(parse("sanitise", "run", "--timeout", "60", "01:00.0", "bar", NULL) == ARGS_OK,
	   "sanitise run --timeout DEVICE SANITISER");
	usage_err(parse("sanitise", "set", "slot", "3", "nvme", NULL),
		  "unknown selector kind \"slot\"", "sanitise set with a bad kind");
	usage_err(parse("sanitise", "set", "ids", "10de:1db4", NULL),
		  "needs a kind (device, ids or class), a SELECTOR and a SANITISER",
		  "sanitise set without a sanitiser");
	usage_err(parse("sanitise", "del", "ids", "10de:1db4", "bar", NULL),
		  "\"bar\" is one too many", "sanitise del with a sanitiser");
	usage_err(parse("sanitise", "list", "x", NULL), "\"x\" is one too many",
		  "sanitise list with an argument");
	usage_err(parse("sanitise", "set", "-o", "kind", "class", "03", "none", NULL),
		  "sanitise set does not take -p or -o", "sanitise set -o");
	usage_err(parse("sanitise", "list", "--timeout", "5", NULL),
		  "sanitise list does not take --timeout", "sanitise list --timeout");
	usage_err(parse("sanitise", "run", "-o", "kind", "01:00.0", NULL),
		  "sanitise run does not take -p or -o", "sanitise run -o");
	ok(parse("sanitise", "set", "--persist", "class", "0108", "none", NULL) == ARGS_OK &&
	   a.persist && a.argc == 4, "sanitise set --persist");
	ok(parse("sanitise", "del", "ids", "10de:1db4", "--persist", NULL) == ARGS_OK && a.persist,
	   "sanitise del ... --persist");
	usage_err(parse("sanitise", "list", "--persist", NULL),
		  "sanitise list does not take --persist", "sanitise list --persist");
	usage_err(parse("sanitise", "run", "--persist", "01:00.0", NULL),
		  "sanitise run does not take --persist (set and del do)", "sanitise run --persist");
	usage_err(parse("list", "--persist", NULL), "list does not take --persist",
		  "--persist is sanitise's only");
	usage_err(parse("sanitise", "wipe", NULL),
		  "sanitise needs run, baseline, set, del or list (not \"wipe\")", "sanitise wipe");
	ok(parse("-j", "monitor", NULL) == ARGS_OK && a.verb->id == V_MONITOR, "monitor -j");
	ok(parse("add", "--force", "0000:00/1c.0/00.0", NULL) == ARGS_OK, "add --force PATH");
	ok(parse("remove", "10de:1db4", NULL) == ARGS_OK, "remove IDS");

	/* SR-IOV: sriov PF COUNT, add --vfs COUNT PF, the vfs match kind */
	ok(parse("sriov", "3b:00.0", "4", NULL) == ARGS_OK && a.verb->id == V_SRIOV &&
	   a.numvfs == 4 && a.argc == 2, "sriov PF COUNT");
	ok(parse("sriov", "3b:00.0", "0", NULL) == ARGS_OK && a.numvfs == 0, "sriov PF 0");
	ok(parse("sriov", "3b:00.0", "65535", NULL) == ARGS_OK && a.numvfs == 65535,
	   "sriov PF 65535");
	ok(parse("-j", "sriov", "--timeout", "5", "3b:00.0", "2", NULL) == ARGS_OK &&
	   a.fmt == OUT_JSON && a.timeout_ms == 5000, "sriov -j --timeout");
	ok(parse("sriov", "-p", "-o", "addr,physfn,vf_index", "3b:00.0", "2", NULL) == ARGS_OK &&
	   a.fmt == OUT_PARSEABLE, "sriov -p -o");
	usage_err(parse("sriov", "3b:00.0", "04", NULL),
		  "sriov: VF count \"04\" is not a decimal number from 0 to 65535", "sriov: a leading zero");
	usage_err(parse("sriov", "3b:00.0", "0x4", NULL),
		  "sriov: VF count \"0x4\" is not a decimal number from 0 to 65535", "sriov: hex");
	usage_err(parse("sriov", "3b:00.0", "-1", NULL),
		  "unknown option \"-1\"", "sriov: a sign is an option");
	usage_err(parse("sriov", "3b:00.0", "65536", NULL),
		  "sriov: VF count \"65536\" is not a decimal number from 0 to 65535", "sriov: too many");
	usage_err(parse("sriov", "3b:00.0", NULL), "sriov needs a PF and a VF COUNT", "sriov: no count");
	usage_err(parse("sriov", "3b:00.0", "1", "2", NULL),
		  "sriov takes 2 arguments at most (\"2\" is one too many)", "sriov: one too many");
	usage_err(parse("sriov", "--force", "3b:00.0", "1", NULL),
		  "sriov does not take --force", "sriov: --force");
	ok(parse("add", "--vfs", "4", "0000:3b:00.0", NULL) == ARGS_OK && a.vfs == 4 &&
	   a.argc == 1, "add --vfs COUNT PF");
	ok(parse("add", "--vfs=65535", "3b:00.0", NULL) == ARGS_OK && a.vfs == 65535,
	   "add --vfs=COUNT PF");
	usage_err(parse("add", "--vfs", "0", "3b:00.0", NULL),
		  "--vfs \"0\": want a VF count, 1 to 65535 (decimal)", "add --vfs 0");
	usage_err(parse("add", "--vfs", "4x", "3b:00.0", NULL),
		  "--vfs \"4x\": want a VF count, 1 to 65535 (decimal)", "add --vfs: not a number");
	usage_err(parse("add", "--vfs", "4", "3b:00.0", "5e:00.0", NULL),
		  "add --vfs COUNT takes one PF (\"5e:00.0\" is one too many)", "add --vfs: two PFs");
	usage_err(parse("add", "--force", "--vfs", "4", "3b:00.0", NULL),
		  "add --vfs does not reserve the PF: it does not take --force", "add --vfs --force");
	usage_err(parse("remove", "--vfs", "4", "3b:00.0", NULL),
		  "remove does not take --vfs", "remove --vfs");
	ok(parse("match", "add", "vfs", "3b:00.0", NULL) == ARGS_OK &&
	   a.match_kind == PPT_MATCH_VFS && !strcmp(a.match_text, "3b:00.0"), "match add vfs PF");
	ok(parse("match", "del", "vfs", "0000:3b:00.0", NULL) == ARGS_OK &&
	   a.match_kind == PPT_MATCH_VFS, "match del vfs PF");
	usage_err(parse("match", "add", "vfs", "3b:00.0=4", NULL),
		  "vfs entry \"3b:00.0=4\": a VF count is for the boot list (pptadm add --vfs COUNT PF); at runtime, pptadm sriov PF COUNT",
		  "match add vfs: no count at runtime");
	usage_err(parse("match", "add", "vfs", "3b:00.0=04", NULL),
		  "vfs entry \"3b:00.0=04\": VF count must be 1 to 65535", "match add vfs: a bad count");
	usage_err(parse("match", "add", "vfs", "10de:1db4", NULL),
		  "vfs entry \"10de:1db4\": bus has more than two digits", "match add vfs: not an address");
	ok(parse("show", "--", "01:00.0", NULL) == ARGS_OK && a.argc == 1, "-- ends options");
	ok(parse("list", "--output=addr", NULL) == ARGS_OK && !strcmp(a.fields, "addr"),
	   "--output=FIELDS");

	/* help */
	ok(parse("help", NULL) == ARGS_HELP && !a.verb, "help");
	ok(parse("--help", NULL) == ARGS_HELP && !a.verb, "--help");
	ok(parse("help", "reset", NULL) == ARGS_HELP && a.verb->id == V_RESET, "help reset");
	ok(parse("clean", "--help", NULL) == ARGS_HELP && a.verb->id == V_CLEAN,
	   "clean --help: the verb's help, even without its arguments");
	ok(parse("-h", "monitor", NULL) == ARGS_HELP && a.verb->id == V_MONITOR, "-h monitor");
	usage_err(parse("help", "frobnicate", NULL), "no command \"frobnicate\"", "help of nothing");

	/* mistakes */
	usage_err(parse(NULL), "no command given", "nothing");
	usage_err(parse("lsit", NULL), "unknown command \"lsit\" (did you mean list?)",
		  "a typo in a verb");
	usage_err(parse("frobnicate", NULL), "unknown command \"frobnicate\"",
		  "an unknown verb");
	usage_err(parse("list", "--jsn", NULL), "unknown option \"--jsn\" (did you mean --json?)",
		  "a typo in an option");
	usage_err(parse("reserve", "--forc", "01:00.0", NULL),
		  "unknown option \"--forc\" (did you mean --force?)",
		  "an abbreviation is refused, not guessed");
	usage_err(parse("list", "-x", NULL), "unknown option \"-x\"", "an unknown short option");
	usage_err(parse("claim", "--owner", NULL), "option \"--owner\" needs a value",
		  "an option without its value");
	usage_err(parse("claim", "01:00.0", NULL), "claim needs --owner ID", "claim without owner");
	usage_err(parse("claim", "--owner", "", "01:00.0", NULL), "--owner must be 1 to 64 bytes",
		  "an empty owner");
	usage_err(parse("claim", "--owner", "a\tb", "01:00.0", NULL), "control characters",
		  "an owner with a tab");
	usage_err(parse("claim", "--owner", "vm1", "--force", "01:00.0", NULL),
		  "claim does not take --force", "--force with claim");
	usage_err(parse("list", "--method", "flr", NULL), "list does not take --method",
		  "--method with list");
	usage_err(parse("show", "-a", "01:00.0", NULL), "show does not take -a/--all", "-a with show");
	usage_err(parse("reserve", "-o", "addr", "01:00.0", NULL),
		  "reserve does not take -o/--output", "-o with reserve");
	usage_err(parse("reset", "--method", "hot", "01:00.0", NULL),
		  "--method \"hot\": want auto, flr, pm or sbr", "an unknown reset method");
	usage_err(parse("reset", "01:00.0", "02:00.0", NULL),
		  "reset takes 1 argument at most (\"02:00.0\" is one too many)", "reset of two");
	usage_err(parse("reset", NULL), "reset needs one DEVICE", "reset of none");
	usage_err(parse("reserve", NULL), "reserve needs at least one DEVICE", "reserve of none");
	usage_err(parse("release", "--timeout", "0", "01:00.0", NULL),
		  "--timeout \"0\": want whole seconds, 1 to 86400", "a zero timeout");
	usage_err(parse("release", "--timeout", "5s", "01:00.0", NULL),
		  "--timeout \"5s\"", "a timeout with a unit");
	usage_err(parse("release", "--timeout", "5", "--no-wait", "01:00.0", NULL),
		  "--no-wait and --timeout exclude each other", "both waits");
	usage_err(parse("clean", NULL), "clean needs DEVICE... or --all-dirty", "clean of nothing");
	usage_err(parse("set", "01:00.0", NULL), "set needs a setting: --reset-pref METHOD",
		  "set without a setting");
	usage_err(parse("set", "--reset-pref", "hot", "01:00.0", NULL),
		  "--reset-pref \"hot\": want auto, flr, pm or sbr", "an unknown preference");
	usage_err(parse("reset", "--reset-pref", "pm", "01:00.0", NULL),
		  "reset does not take --reset-pref", "--reset-pref with reset");
	usage_err(parse("match", "del", "--reset-pref", "pm", "ids", "10de:1db4", NULL),
		  "match del does not take --reset-pref", "--reset-pref with match del");
	usage_err(parse("clean", "--all-dirty", "01:00.0", NULL),
		  "clean takes DEVICE... or --all-dirty, not both", "clean of both");
	usage_err(parse("clean", "--inspect", "--all-dirty", NULL),
		  "clean --inspect resets nothing: it takes neither --all-dirty", "--inspect --all-dirty");
	usage_err(parse("clean", "--inspect", "--method", "flr", "01:00.0", NULL),
		  "clean --inspect resets nothing: it takes neither --method", "--inspect --method");
	usage_err(parse("reset", "--inspect", "01:00.0", NULL), "reset does not take --inspect",
		  "--inspect with reset");
	usage_err(parse("list", "-p", NULL), "-p needs -o FIELD", "-p without -o");
	test_pretty();
	test_global();
	usage_err(parse("version", "now", NULL), "version takes no arguments (\"now\" is one too many)",
		  "version with an argument");
	usage_err(parse("monitor", "-a", NULL), "monitor does not take -a/--all", "monitor -a");
	usage_err(parse("match", NULL), "match needs add, del or list", "match alone");
	usage_err(parse("match", "show", NULL), "unknown match command \"show\"", "match show");
	usage_err(parse("match", "add", "ids", NULL), "match add needs a kind", "match add without entry");
	usage_err(parse("match", "add", "vendor", "10de:1db4", NULL),
		  "unknown match kind \"vendor\" (want ids, device, path or vfs)", "a bad kind");
	usage_err(parse("match", "add", "ids", "10de:zz", NULL),
		  "ids entry \"10de:zz\": field is not hexadecimal", "a bad ids entry");
	usage_err(parse("match", "del", "device", "01:00.9", NULL),
		  "device entry \"01:00.9\": function out of range (max 7)", "a bad device entry");
	usage_err(parse("match", "add", "-o", "kind", "ids", "10de:1db4", NULL),
		  "match add does not take -p or -o", "-o with match add");
	usage_err(parse("match", "list", "extra", NULL),
		  "match list takes no arguments (\"extra\" is one too many)", "match list extra");

	test_alloc();
	ok(args_find_verb("monitor") && !args_find_verb("monitr"), "args_find_verb");
	{
		char *got = NULL;
		size_t len;
		FILE *f = open_memstream(&got, &len);

		args_usage(f);
		fclose(f);
		ok(strstr(got, "match add [--reset-pref METHOD] ids|device|path|vfs ENTRY") &&
		   strstr(got, "sriov [-j | -p -o FIELD,...] PF COUNT") &&
		   strstr(got, "add --vfs COUNT PF") && strstr(got, "--vfs COUNT") &&
		   strstr(got, "monitor [-j] [-t]") &&
		   strstr(got, "--all-dirty") && strstr(got, "Exit status: 0 success"),
		   "the overview names every verb and option");
		free(got);
		f = open_memstream(&got, &len);
		args_verb_help(f, args_find_verb("list"));
		fclose(f);
		ok(strstr(got, "usage: pptadm list [-a]") && strstr(got, "Fields (-o): addr,state"),
		   "list's help names its fields");
		free(got);
	}
	return tap_done();
}
