// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm: administer ppt, the PCI passthrough reservation module.
 *
 * This file parses arguments and prints; libppt speaks netlink and libpci
 * supplies vendor and device names.  See pptadm(8).
 *
 * Exit status: 0 success, 1 the operation failed, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "libppt.h"
#include "output.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct opts {
	enum out_format fmt;
	const char *fields;
	const char *owner;
	bool force;
	int timeout_ms;		/* for asynchronous operations; 0: --no-wait */
};

static struct opts opt;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pptadm [-j | -p -o FIELD,...] [-o FIELD,...] COMMAND [ARGS]\n"
		"\n"
		"commands (DEVICE: 0000:01:00.0 or 01:00.0):\n"
		"  list                          devices ppt knows\n"
		"  show DEVICE                   one device\n"
		"  reserve [--force] DEVICE...   take devices for ppt (--force: from host drivers)\n"
		"  release DEVICE...             give devices back to host drivers\n"
		"  claim --owner ID DEVICE...    give reserved devices an owner\n"
		"  unclaim --owner ID DEVICE...  make claimed devices reserved again\n"
		"  assign --owner ID DEVICE...   hand devices, with their IOMMU groups, to vfio-pci\n"
		"  unassign [--owner ID] DEVICE... take devices back from vfio-pci (they become dirty)\n"
		"  version                       pptadm's and the module's versions\n"
		"  help                          this text\n"
		"\n"
		"options:\n"
		"  -j, --json        JSON output\n"
		"  -p, --parseable   ':'-separated output (needs -o)\n"
		"  -o, --output F,.. fields: %s\n"
		"  --owner ID        owner of the devices (a VM's UUID, say)\n"
		"  --force           with reserve: take devices from host drivers\n"
		"  --no-wait         do not wait for asynchronous operations to finish\n"
		"  --timeout SECS    how long to wait for them (default 60)\n",
		out_field_names());
}

/* Report an error the way the chosen output format asks for. */
static void report(const char *what, int err, const char *kmsg)
{
	if (opt.fmt == OUT_JSON) {
		fputs("{\"error\":{\"message\":", stderr);
		json_string(stderr, what);
		fprintf(stderr, ",\"errno\":%d,\"strerror\":", -err);
		json_string(stderr, strerror(-err));
		if (kmsg) {
			fputs(",\"kernel\":", stderr);
			json_string(stderr, kmsg);
		}
		fputs("}}\n", stderr);
		return;
	}
	fprintf(stderr, "pptadm: %s: %s%s%s\n", what, strerror(-err),
		kmsg ? ": " : "", kmsg ? kmsg : "");
}

static int open_ppt(struct ppt_handle **h)
{
	int ret = ppt_open(h);

	if (ret == -ENOENT)
		report("cannot reach the ppt netlink family (is the ppt module loaded? "
		       "it is reachable only from the initial network namespace)",
		       ret, NULL);
	else if (ret)
		report("cannot open a netlink socket", ret, NULL);
	return ret;
}

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

static _Noreturn void pci_fatal(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	fputs("pptadm: libpci: ", stderr);
	vfprintf(stderr, msg, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(EXIT_FAIL);
}

/*
 * Add libpci's "Vendor Device" names to the kernel's view.  Name lookups
 * need no pci_init(), but an id missing from pci.ids makes libpci consult
 * udev's hwdb and call the debug and warning hooks, which only pci_init()
 * would set: set them here.
 */
static void add_names(struct out_device *devs, size_t n)
{
	struct pci_access *pacc = pci_alloc();
	size_t i;

	if (!pacc)
		return;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	pacc->error = pci_fatal;
	for (i = 0; i < n; i++) {
		char *name = pci_lookup_name(pacc, devs[i].name,
					     sizeof(devs[i].name),
					     PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
					     devs[i].info.vendor,
					     devs[i].info.device);
		if (!name)
			devs[i].name[0] = '\0';
	}
	pci_cleanup(pacc);
}

static int print_devices(struct ppt_device_info *info, size_t n)
{
	struct out_device *devs = calloc(n ? n : 1, sizeof(*devs));
	struct out_fields fields;
	char bad[64];
	size_t i;

	if (!devs) {
		report("out of memory", -ENOMEM, NULL);
		return EXIT_FAIL;
	}
	if (out_fields_parse(opt.fields, &fields, bad, sizeof(bad))) {
		fprintf(stderr, "pptadm: unknown output field \"%s\" (fields: %s)\n",
			bad, out_field_names());
		free(devs);
		return EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		devs[i].info = info[i];
	add_names(devs, n);
	out_devices(stdout, opt.fmt, &fields, devs, n);
	free(devs);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	struct ppt_device_info *info = NULL;
	struct ppt_handle *h;
	size_t n = 0;
	int ret;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "pptadm: list takes no arguments\n");
		return EXIT_USAGE;
	}
	if (open_ppt(&h))
		return EXIT_FAIL;
	ret = ppt_device_list(h, &info, &n);
	if (ret) {
		report("cannot list devices", ret, ppt_errmsg(h));
		ppt_close(h);
		return EXIT_FAIL;
	}
	ppt_close(h);
	ret = print_devices(info, n);
	free(info);
	return ret;
}

static int cmd_show(int argc, char **argv)
{
	struct ppt_device_info info;
	char canon[PPT_ADDR_BUFLEN];
	struct ppt_handle *h;
	char what[128];
	int ret;

	if (argc != 1) {
		fprintf(stderr, "pptadm: show takes one DEVICE\n");
		return EXIT_USAGE;
	}
	if (ppt_addr_normalize(argv[0], canon)) {
		fprintf(stderr,
			"pptadm: \"%s\" is not a PCI address (want [domain:]bus:dev.fn, e.g. 0000:01:00.0)\n",
			argv[0]);
		return EXIT_USAGE;
	}
	if (open_ppt(&h))
		return EXIT_FAIL;
	ret = ppt_device_get(h, canon, &info);
	if (ret) {
		snprintf(what, sizeof(what), "%s", canon);
		report(what, ret, ppt_errmsg(h));
		ppt_close(h);
		return EXIT_FAIL;
	}
	ppt_close(h);
	return print_devices(&info, 1);
}

static int cmd_version(int argc, char **argv)
{
	FILE *f;
	char mod[64] = "";

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "pptadm: version takes no arguments\n");
		return EXIT_USAGE;
	}
	f = fopen("/sys/module/ppt/version", "r");
	if (f) {
		if (!fgets(mod, sizeof(mod), f))
			mod[0] = '\0';
		mod[strcspn(mod, "\n")] = '\0';
		fclose(f);
	}
	printf("pptadm %s\nmodule %s\nprotocol %d\n", PPT_VERSION,
	       mod[0] ? mod : "not loaded", PPT_GENL_VERSION);
	return 0;
}

/* Report a failed mutation with the kernel's reason and any blocker. */
static void report_op(struct ppt_handle *h, const char *verb,
		      const char *dev, int err)
{
	const char *drv = NULL, *blocker = ppt_blocker(h, &drv);
	const char *kmsg = ppt_errmsg(h);
	char what[96], detail[512];

	snprintf(what, sizeof(what), "%s %s", verb, dev);
	if (blocker) {
		snprintf(detail, sizeof(detail), "%s (blocking: %s, %s%s)",
			 kmsg ? kmsg : "blocked", blocker,
			 drv && drv[0] ? "driver " : "no driver",
			 drv && drv[0] ? drv : "");
		kmsg = detail;
	}
	report(what, err, kmsg);
}

/* The verbs that change devices: one operation per DEVICE argument. */
static int cmd_mutate(const char *verb, int argc, char **argv)
{
	char canon[PPT_ADDR_BUFLEN];
	struct ppt_handle *h;
	int i, ret, status = 0;
	bool needs_owner = !strcmp(verb, "claim") || !strcmp(verb, "unclaim") ||
			   !strcmp(verb, "assign");

	if (argc < 1) {
		fprintf(stderr, "pptadm: %s needs at least one DEVICE\n", verb);
		return EXIT_USAGE;
	}
	if (needs_owner && !opt.owner) {
		fprintf(stderr, "pptadm: %s needs --owner ID\n", verb);
		return EXIT_USAGE;
	}
	if (opt.force && strcmp(verb, "reserve")) {
		fprintf(stderr, "pptadm: --force goes with reserve only\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if (ppt_addr_normalize(argv[i], canon)) {
			fprintf(stderr,
				"pptadm: \"%s\" is not a PCI address (want [domain:]bus:dev.fn, e.g. 0000:01:00.0)\n",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	if (open_ppt(&h))
		return EXIT_FAIL;
	for (i = 0; i < argc; i++) {
		if (!strcmp(verb, "reserve"))
			ret = ppt_device_reserve(h, argv[i], opt.force, opt.timeout_ms);
		else if (!strcmp(verb, "release"))
			ret = ppt_device_release(h, argv[i], opt.timeout_ms);
		else if (!strcmp(verb, "claim"))
			ret = ppt_device_claim(h, argv[i], opt.owner);
		else if (!strcmp(verb, "unclaim"))
			ret = ppt_device_unclaim(h, argv[i], opt.owner);
		else if (!strcmp(verb, "assign"))
			ret = ppt_device_assign(h, argv[i], opt.owner, opt.timeout_ms);
		else
			ret = ppt_device_unassign(h, argv[i], opt.owner, opt.timeout_ms);
		if (ret) {
			ppt_addr_normalize(argv[i], canon);
			report_op(h, verb, canon, ret);
			status = EXIT_FAIL;
		}
	}
	ppt_close(h);
	return status;
}

#define MUTATOR(name)							\
	static int cmd_##name(int argc, char **argv)			\
	{								\
		return cmd_mutate(#name, argc, argv);			\
	}
MUTATOR(reserve)
MUTATOR(release)
MUTATOR(claim)
MUTATOR(unclaim)
MUTATOR(assign)
MUTATOR(unassign)

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "reserve", cmd_reserve },
	{ "release", cmd_release },
	{ "claim", cmd_claim },
	{ "unclaim", cmd_unclaim },
	{ "assign", cmd_assign },
	{ "unassign", cmd_unassign },
	{ "version", cmd_version },
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "parseable", no_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "owner", required_argument, NULL, 'O' },
		{ "force", no_argument, NULL, 'F' },
		{ "no-wait", no_argument, NULL, 'W' },
		{ "timeout", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	bool parseable = false, no_wait = false;
	char *end;
	long secs;
	size_t i;
	int c;

	opt.fmt = OUT_TABLE;
	opt.timeout_ms = 60 * 1000;
	while ((c = getopt_long(argc, argv, "jpo:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.fmt = OUT_JSON;
			break;
		case 'p':
			parseable = true;
			break;
		case 'o':
			opt.fields = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'O':
			if (!optarg[0] || strlen(optarg) >= PPT_OWNER_MAX) {
				fprintf(stderr, "pptadm: --owner must be 1 to %d bytes\n",
					PPT_OWNER_MAX - 1);
				return EXIT_USAGE;
			}
			opt.owner = optarg;
			break;
		case 'F':
			opt.force = true;
			break;
		case 'W':
			no_wait = true;
			break;
		case 'T':
			errno = 0;
			secs = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || secs < 1 || secs > 86400) {
				fprintf(stderr, "pptadm: --timeout \"%s\": want whole seconds, 1 to 86400\n",
					optarg);
				return EXIT_USAGE;
			}
			opt.timeout_ms = (int)secs * 1000;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (parseable) {
		if (opt.fmt == OUT_JSON) {
			fprintf(stderr, "pptadm: -p and -j exclude each other\n");
			return EXIT_USAGE;
		}
		if (!opt.fields) {
			fprintf(stderr, "pptadm: -p needs -o FIELD,... so scripts name what they parse\n");
			return EXIT_USAGE;
		}
		opt.fmt = OUT_PARSEABLE;
	}
	if (no_wait)
		opt.timeout_ms = 0;
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			return commands[i].fn(argc - optind - 1, argv + optind + 1);
	fprintf(stderr, "pptadm: unknown command \"%s\"; try 'pptadm help'\n",
		argv[optind]);
	return EXIT_USAGE;
}
