// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm's device names (address, topology path, vendor:device), the
 * boot-list entry syntax, and topology paths from sysfs links.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "tap.h"

static void name_ok(const char *arg, enum name_kind kind, const char *canon)
{
	struct name n;
	char why[256] = "";

	ok(name_parse(arg, &n, why, sizeof(why)) == 0 && n.kind == kind,
	   "\"%s\" is a %s", arg,
	   kind == NAME_ADDR ? "address" : kind == NAME_PATH ? "path" : "vendor:device");
	is_str(n.canon, canon, "\"%s\" canonical", arg);
}

static void name_bad(const char *arg, const char *want_in_why)
{
	struct name n;
	char why[256] = "";

	ok(name_parse(arg, &n, why, sizeof(why)) == -EINVAL, "\"%s\" is refused", arg);
	if (!ok(strstr(why, want_in_why) != NULL, "... saying \"%s\"", want_in_why))
		printf("#   why: %s\n", why);
}

static void entry_ok(enum ppt_match_kind k, const char *tok, const char *canon)
{
	char out[PPT_MATCH_BUFLEN] = "";
	const char *why = NULL;

	ok(entry_normalize(k, tok, out, sizeof(out), &why) == 0,
	   "%s entry \"%s\" parses", ppt_match_kind_name(k), tok);
	is_str(out, canon, "... as %s", canon);
}

static void entry_bad(enum ppt_match_kind k, const char *tok, const char *reason)
{
	char out[PPT_MATCH_BUFLEN];
	const char *why = NULL;

	ok(entry_normalize(k, tok, out, sizeof(out), &why) == -EINVAL,
	   "%s entry \"%s\" is refused", ppt_match_kind_name(k), tok);
	is_str(why, reason, "... because: %s", reason);
}

static void link_ok(const char *link, const char *want)
{
	char out[PPT_PATH_BUFLEN] = "";

	ok(path_from_sysfs_link(link, out, sizeof(out)) == 0, "sysfs link %s", link);
	is_str(out, want, "... is at %s", want);
}

static void link_bad(const char *link, const char *what)
{
	char out[PPT_PATH_BUFLEN];

	ok(path_from_sysfs_link(link, out, sizeof(out)) == -EINVAL,
	   "sysfs link refused: %s", what);
}

static struct name nm[4];

/* Resolve words among the candidates; returns the number of problems. */
static size_t resolve(const struct name_cand *c, size_t nc, int flags,
		      const char *words[], int nw, struct name_target **t,
		      size_t *nt, struct name_problem **pr)
{
	char why[256];
	size_t np = 99;
	int i;

	for (i = 0; i < nw; i++)
		name_parse(words[i], &nm[i], why, sizeof(why));
	if (names_resolve(nm, nw, c, nc, flags, "ppt manages", "claim", t, nt, pr, &np))
		return 99;
	return np;
}

static void test_resolve(void)
{
	const struct name_cand c[] = {
		{ "0000:01:00.0", "0000:00/02.0/00.0", 0x1234, 0x1111, 0, 0, 0x038000, NULL },
		{ "0000:01:00.1", "0000:00/02.0/00.1", 0x8086, 0x293e, 0, 0, 0x040300, NULL },
		{ "0000:02:00.0", "0000:00/03.0/00.0", 0x1234, 0x1111, 0, 0, 0x038000, NULL },
		{ "0000:05:00.0", "", 0x8086, 0x10d3, 0, 0, 0x020000, NULL },
	};
	struct name_target *t;
	struct name_problem *pr;
	size_t nt, np;

	{
		const char *w[] = { "1234:1111" };

		np = resolve(c, 4, 0, w, 1, &t, &nt, &pr);
		ok(np == 0 && nt == 2 && !strcmp(t[0].addr, "0000:01:00.0") &&
		   !strcmp(t[1].addr, "0000:02:00.0") && t[0].name == 0 && t[1].name == 0,
		   "vendor:device expands to both GPUs, in order");
		free(t);
		free(pr);
	}
	{
		const char *w[] = { "01:00.0", "1234:1111", "0000:00/02.0/00.1" };

		np = resolve(c, 4, 0, w, 3, &t, &nt, &pr);
		ok(np == 0 && nt == 3, "three names, three devices");
		ok(!strcmp(t[0].addr, "0000:01:00.0") && t[0].name == 0 &&
		   !strcmp(t[1].addr, "0000:02:00.0") && t[1].name == 1 &&
		   !strcmp(t[2].addr, "0000:01:00.1") && t[2].name == 2,
		   "each device once, from the first name that names it");
		free(t);
		free(pr);
	}
	{
		const char *w[] = { "0000:09:00.0" };

		np = resolve(c, 4, 0, w, 1, &t, &nt, &pr);
		ok(np == 0 && nt == 1 && !strcmp(t[0].addr, "0000:09:00.0"),
		   "an address stands for itself: the kernel judges it");
		free(t);
		free(pr);
		np = resolve(NULL, 0, 0, w, 1, &t, &nt, &pr);
		ok(np == 0 && nt == 1, "... even without candidates");
		free(t);
		free(pr);
		np = resolve(c, 4, RESOLVE_ADDR_LISTED, w, 1, &t, &nt, &pr);
		ok(np == 1 && pr[0].err == -ENODEV && pr[0].name == 0,
		   "with RESOLVE_ADDR_LISTED an address must be a candidate");
		is_str(pr[0].msg, "no device ppt manages has this address", "... saying so");
		free(t);
		free(pr);
	}
	{
		const char *w[] = { "dead:beef", "1234:1111", "0000:00/09.0" };

		np = resolve(c, 4, RESOLVE_ONE, w, 3, &t, &nt, &pr);
		ok(np == 3, "one problem per bad name");
		ok(pr[0].name == 0 && pr[0].err == -ENODEV, "dead:beef names nothing");
		is_str(pr[0].msg, "no device ppt manages has this vendor:device", "... said so");
		ok(pr[1].name == 1 && pr[1].err == -EINVAL,
		   "1234:1111 names two, for a one-device verb");
		is_str(pr[1].msg,
		       "names 2 devices (0000:01:00.0, 0000:02:00.0): claim takes one at a time; name it by address",
		       "... listing them");
		is_str(pr[2].msg, "no device ppt manages has this topology path", "a path of nothing");
		free(t);
		free(pr);
	}
	{
		const char *w[] = { "8086:10d3" };

		np = resolve(c, 4, RESOLVE_ONE, w, 1, &t, &nt, &pr);
		ok(np == 0 && nt == 1 && !strcmp(t[0].addr, "0000:05:00.0"),
		   "a vendor:device naming one device is fine for a one-device verb");
		free(t);
		free(pr);
	}
}

/* PCI addresses: libppt's parser, the order, the slot */
static void test_addresses(void)
{
	char canon[PPT_ADDR_BUFLEN];
	const char *why;

	ok(addr_parse("10000:01:00.0", canon) && !strcmp(canon, "10000:01:00.0"),
	   "a five-digit VMD domain is an address");
	ok(addr_parse("1:0.7", canon) && !strcmp(canon, "0000:01:00.7"), "the short form, canonical");
	ok(addr_parse("0000:3B:00.0", NULL), "upper case, without asking for the canonical form");
	ok(!addr_parse("pci0000:00", NULL) && !addr_parse("0000:00:04", NULL) &&
	   !addr_parse("0000:001:00.0", NULL), "not addresses: a root bus, no function, three bus digits");
	ok(addr_cmp("0000:01:00.0", "0000:01:00.1") < 0 && addr_cmp("0000:01:00.1", "0000:01:00.0") > 0 &&
	   addr_cmp("01:00.0", "0000:01:00.0") == 0, "order: by function, short forms equal");
	ok(addr_cmp("ffff:00:00.0", "10000:00:00.0") < 0, "order: domain ffff before 10000 (as numbers)");
	ok(addr_cmp("0001:00:00.0", "0000:ff:1f.7") > 0, "order: the domain first");
	ok(addr_cmp("zzz", "0000:00:00.0") > 0 && addr_cmp("0000:00:00.0", "zzz") < 0,
	   "what is not an address sorts last");
	ok(addr_same_slot("0000:3b:00.0", "0000:3b:00.1") && addr_same_slot("10000:01:00.0", "10000:01:00.3"),
	   "same slot: functions of one device, VMD domain too");
	ok(!addr_same_slot("0000:3b:00.0", "0000:3b:01.0") && !addr_same_slot("10000:01:00.0", "0000:01:00.0") &&
	   !addr_same_slot("0000:3b:00.0", "nonsense"), "... not another device, domain, or no address");
	/* a devices= entry is read by the same parser */
	ok(!entry_normalize(PPT_MATCH_DEVICE, "10000:1:0.0", canon, sizeof(canon), &why) &&
	   !strcmp(canon, "10000:01:00.0"), "devices= entry with a VMD domain");
	ok(entry_normalize(PPT_MATCH_DEVICE, "0000:001:00.0", canon, sizeof(canon), &why) &&
	   !strcmp(why, "bus has more than two digits"), "three bus digits refused, as libppt refuses them");
	ok(entry_normalize(PPT_MATCH_DEVICE, "00:001.0", canon, sizeof(canon), &why) &&
	   !strcmp(why, "device has more than two digits"), "... and three device digits");
}

int main(void)
{
	struct name_cand c = {
		.addr = "0000:01:00.0", .path = "0000:00/1c.0/00.0",
		.vendor = 0x10de, .device = 0x1db4, .subvendor = 0x10de,
		.subdevice = 0x1212, .pci_class = 0x030200,
	};
	struct name n;
	char why[256], deep[256];
	int i;

	test_addresses();
	/* classification */
	name_ok("0000:01:00.0", NAME_ADDR, "0000:01:00.0");
	name_ok("01:00.0", NAME_ADDR, "0000:01:00.0");
	name_ok("0000:00/1c.0/00.0", NAME_PATH, "0000:00/1c.0/00.0");
	name_ok("00/1C.0/0.0", NAME_PATH, "0000:00/1c.0/00.0");
	name_ok("10DE:1db4", NAME_IDS, "10de:1db4");
	name_ok("10de:1db4:10de:1212", NAME_IDS, "10de:1db4:10de:1212");
	name_bad("", "empty");
	name_bad("01:00", "not a PCI address, topology path or vendor:device");
	name_bad("10de:1db", "four hex digits");
	name_bad("10de:1db4:10de", "four hex digits");
	name_bad("10de:1db4:10de:1212:0300", "four hex digits");
	name_bad("zzzz:1db4", "four hex digits");
	name_bad("gpu0", "not a PCI address, topology path or vendor:device");
	name_bad("01:00.8", "is not a PCI address: function out of range (max 7)");
	name_ok("10000:01:00.0", NAME_ADDR, "10000:01:00.0");
	name_bad("0000:00/1c.0//00.0", "empty hop");
	name_bad("0000:00/1c.8", "function out of range");
	name_bad("0000:100/1c.0", "bus out of range");
	name_bad("/1c.0", "not a topology path");

	/* what they match */
	name_parse("0000:01:00.0", &n, why, sizeof(why));
	ok(name_matches(&n, &c), "an address matches its device");
	name_parse("01:00.1", &n, why, sizeof(why));
	ok(!name_matches(&n, &c), "... and not its neighbour");
	name_parse("0000:00/1c.0/00.0", &n, why, sizeof(why));
	ok(name_matches(&n, &c), "a path matches the device at it");
	name_parse("0000:00/1c.0/00.1", &n, why, sizeof(why));
	ok(!name_matches(&n, &c), "... and not another function");
	c.path = "";
	name_parse("0000:00/1c.0/00.0", &n, why, sizeof(why));
	ok(!name_matches(&n, &c), "a device with no known path matches no path");
	c.path = "0000:00/1c.0/00.0";
	name_parse("10de:1db4", &n, why, sizeof(why));
	ok(name_matches(&n, &c), "vendor:device matches");
	name_parse("10de:1db4:10de:1212", &n, why, sizeof(why));
	ok(name_matches(&n, &c), "with the subsystem too");
	name_parse("10de:1db4:10de:0000", &n, why, sizeof(why));
	ok(!name_matches(&n, &c), "... not with another subsystem");
	name_parse("10de:1db5", &n, why, sizeof(why));
	ok(!name_matches(&n, &c), "another device id does not match");
	is_str(name_kind_text(&n), "vendor:device", "kind text");
	ok(name_list(&n) == PPT_MATCH_IDS, "vendor:device goes to ids=");

	/* boot-list entries, as strictly as the kernel reads them */
	entry_ok(PPT_MATCH_IDS, "10DE:1db4", "10de:1db4");
	entry_ok(PPT_MATCH_IDS, "8086:10d3:ffffffff:0:20000",
		 "8086:10d3:ffffffff:0000:020000");
	entry_ok(PPT_MATCH_IDS, "ffffffff:ffffffff:ffffffff:ffffffff:030000:ff0000",
		 "ffffffff:ffffffff:ffffffff:ffffffff:030000:ff0000");
	entry_bad(PPT_MATCH_IDS, "", "empty entry");
	entry_bad(PPT_MATCH_IDS, "10de", "need at least vendor:device");
	entry_bad(PPT_MATCH_IDS, "zz:1", "field is not hexadecimal");
	entry_bad(PPT_MATCH_IDS, "10de:", "empty field");
	entry_bad(PPT_MATCH_IDS, "1:2:3:4:5:6:7", "too many fields (max 6)");
	entry_bad(PPT_MATCH_IDS, "10000:1", "id out of range (max ffff, or ffffffff for any)");
	entry_bad(PPT_MATCH_IDS, "1:2:3:4:1000000", "class out of range (max ffffff)");
	entry_bad(PPT_MATCH_IDS, "1:2:3:4:030000:ff", "class has bits outside class_mask");
	entry_bad(PPT_MATCH_IDS, "123456789:1", "field has too many digits");
	entry_ok(PPT_MATCH_DEVICE, "1:0.0", "0000:01:00.0");
	entry_ok(PPT_MATCH_DEVICE, "0001:ff:1f.7", "0001:ff:1f.7");
	entry_bad(PPT_MATCH_DEVICE, "00:1f.8", "function out of range (max 7)");
	entry_bad(PPT_MATCH_DEVICE, "00:20.0", "device out of range (max 1f)");
	entry_bad(PPT_MATCH_DEVICE, "0:0:0:0.0", "too many ':' (want [domain:]bus:dev.fn)");
	entry_bad(PPT_MATCH_DEVICE, "01.0", "want [domain:]bus:dev.fn");
	entry_bad(PPT_MATCH_DEVICE, "01:00", "missing '.' between device and function");
	entry_bad(PPT_MATCH_DEVICE, "80000000:00:00.0", "domain out of range (max 7fffffff)");
	entry_ok(PPT_MATCH_PATH, "00/1c.0/0.0", "0000:00/1c.0/00.0");
	entry_bad(PPT_MATCH_PATH, "00/", "empty hop");
	entry_bad(PPT_MATCH_PATH, "00", "want [domain:]rootbus/dev.fn[/dev.fn...]");
	strcpy(deep, "00");
	for (i = 0; i < 17; i++)
		strcat(deep, "/0.0");
	entry_bad(PPT_MATCH_PATH, deep, "too many hops (max 16)");
	memset(deep, '1', 100);
	deep[100] = '\0';
	entry_bad(PPT_MATCH_DEVICE, deep, "entry too long");

	/*
	 * vfs=: the table of tests/kunit/ppt_parse_test.c's ppt_parse_vfs()
	 * cases, so pptadm takes exactly the tokens the module takes.
	 */
	entry_ok(PPT_MATCH_VFS, "0000:01:00.0", "0000:01:00.0");
	entry_ok(PPT_MATCH_VFS, "01:00.0=4", "0000:01:00.0=4");
	entry_ok(PPT_MATCH_VFS, "0000:3b:00.1=65535", "0000:3b:00.1=65535");
	entry_ok(PPT_MATCH_VFS, "0000:3b:00.1=1", "0000:3b:00.1=1");
	entry_bad(PPT_MATCH_VFS, "=4", "empty entry");
	entry_bad(PPT_MATCH_VFS, "", "empty entry");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=", "VF count must be 1 to 65535");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=0", "VF count must be 1 to 65535");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=04", "VF count must be 1 to 65535");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=65536", "VF count must be 1 to 65535");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=123456", "VF count must be 1 to 65535");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=0x4", "VF count must be 1 to 65535");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=-1", "VF count is not a decimal number");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=4=4", "VF count is not a decimal number");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0=4 ", "VF count is not a decimal number");
	/* pptadm's own reasons for an address, as for devices= */
	entry_bad(PPT_MATCH_VFS, "0000:01:00.0 ", "function has more than one digit");
	entry_bad(PPT_MATCH_VFS, "0000:01:00.8=4", "function out of range (max 7)");
	entry_bad(PPT_MATCH_VFS, "0000:01:00=4", "missing '.' between device and function");
	entry_bad(PPT_MATCH_VFS, "10de:1db4", "bus has more than two digits");
	{
		char pf[PPT_ADDR_BUFLEN];
		unsigned int count = 99;
		const char *why;

		ok(!entry_parse_vfs("3b:00.0", pf, &count, &why) && count == 0 &&
		   !strcmp(pf, "0000:3b:00.0"), "vfs= without a count: count 0, the PF canonical");
		ok(!entry_parse_vfs("0000:3b:00.0=12", pf, &count, &why) && count == 12,
		   "... with one: the count");
	}
	{
		struct name_cand vf = { .addr = "0000:01:00.4", .physfn = "0000:01:00.0" };
		struct name_cand notvf = { .addr = "0000:01:00.0" };

		ok(entry_matches(PPT_MATCH_VFS, "0000:01:00.0=4", &vf), "vfs entry names its PF's VF");
		ok(entry_matches(PPT_MATCH_VFS, "0000:01:00.0", &vf), "... without a count too");
		ok(!entry_matches(PPT_MATCH_VFS, "0000:02:00.0", &vf), "... not another PF's");
		ok(!entry_matches(PPT_MATCH_VFS, "0000:01:00.0", &notvf),
		   "... nor the PF itself (not a VF)");
	}

	ok(entry_matches(PPT_MATCH_IDS, "10de:1db4", &c), "ids entry matches the device");
	ok(!entry_matches(PPT_MATCH_IDS, "10de:ffffffff:10de:0001", &c),
	   "... unless its subsystem differs");
	ok(entry_matches(PPT_MATCH_IDS, "ffffffff:ffffffff:ffffffff:ffffffff:030000:ff0000", &c),
	   "a class match");
	ok(entry_matches(PPT_MATCH_DEVICE, "0000:01:00.0", &c), "devices entry");
	ok(entry_matches(PPT_MATCH_PATH, "0000:00/1c.0/00.0", &c), "paths entry");
	ok(!entry_matches(PPT_MATCH_PATH, "0000:00/1c.0/00.1", &c), "another path");

	/* topology paths from sysfs */
	link_ok("../../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0",
		"0000:00/1c.0/00.0");
	link_ok("../../../devices/pci0000:00/0000:00:02.0", "0000:00/02.0");
	link_ok("../../../devices/pci0000:40/0000:40:01.1/0000:41:00.0/0000:42:08.0/0000:43:00.3",
		"0000:40/01.1/00.0/08.0/00.3");
	link_ok("/sys/devices/pci0000:00/0000:00:0e.0/pci10000:e0/10000:e0:06.0/10000:e1:00.0",
		"10000:e0/06.0/00.0");
	link_ok("../../../devices/LNXSYSTM:00/LNXSYBUS:00/PNP0A03:00/device:07/VMBUS:01/"
		"47505500-0001-0000-3130-444531454238/pci0001:00/0001:00:00.0",
		"0001:00/00.0");
	link_bad("../../../devices/platform/foo", "no host bridge");
	link_bad("../../../devices/pci0000:00", "a host bridge only");
	link_bad("../../../devices/pci0000:00/0000:00:1c.0/firmware_node", "not a function");
	strcpy(deep, "../../../devices/pci0000:00");
	for (i = 0; i < 17; i++)
		strcat(deep, "/0000:00:00.0");
	link_bad(deep, "deeper than 16 hops");

	test_resolve();
	return tap_done();
}
