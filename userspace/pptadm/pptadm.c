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
};

static struct opts opt;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pptadm [-j | -p -o FIELD,...] [-o FIELD,...] COMMAND [ARGS]\n"
		"\n"
		"commands:\n"
		"  list              devices ppt manages\n"
		"  show DEVICE       one device (DEVICE: 0000:01:00.0 or 01:00.0)\n"
		"  version           pptadm's and the module's versions\n"
		"  help              this text\n"
		"\n"
		"options:\n"
		"  -j, --json        JSON output\n"
		"  -p, --parseable   ':'-separated output (needs -o)\n"
		"  -o, --output F,.. fields: %s\n",
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

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "version", cmd_version },
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "parseable", no_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool parseable = false;
	size_t i;
	int c;

	opt.fmt = OUT_TABLE;
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
