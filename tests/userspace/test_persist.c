// SPDX-License-Identifier: GPL-2.0-only
/*
 * The modprobe.d file pptadm add/remove keep: strict parsing (bad lines
 * named by file:line), merging, rendering, the atomic write, the initramfs
 * and other-file checks, the kernel command line's lists and the lock, in a
 * temporary directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "persist.h"
#include "tap.h"

static char dir[64];

static void bad(const char *content, const char *want)
{
	struct persist p;
	char err[512] = "";

	ok(persist_parse(&p, "f.conf", content, err, sizeof(err)) == -EINVAL,
	   "refused: %s", want);
	is_str(err, want, "... with the reason");
	persist_free(&p);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void spew(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	fputs(s, f);
	fclose(f);
}

/* Files in dir whose names start with '.' (the write's temporaries). */
static int leftovers(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_parse(void)
{
	const char *text =
		"# ppt's boot lists\n"
		"\n"
		"softdep nvidia pre: ppt\n"
		"options ppt devices=0000:01:00.0,2:0.0 ids=10DE:1db4\n"
		"  # indented comment\n"
		"options ppt paths=00/1c.0/0.0 devices=0000:01:00.0\n";
	struct persist p;
	char err[256] = "", *out;

	ok(persist_parse(&p, "f.conf", text, err, sizeof(err)) == 0, "a good file parses");
	ok(p.nlist[PPT_MATCH_DEVICE] == 2 && p.nlist[PPT_MATCH_IDS] == 1 &&
	   p.nlist[PPT_MATCH_PATH] == 1, "entries of both options lines, duplicate once");
	ok(persist_find(&p, PPT_MATCH_DEVICE, "0000:02:00.0") != NULL,
	   "found by canonical form");
	ok(persist_find(&p, PPT_MATCH_DEVICE, "0000:02:00.0")->line == 4,
	   "... with its line");
	is_str(persist_find(&p, PPT_MATCH_IDS, "10de:1db4")->text, "10DE:1db4",
	       "the file's spelling is kept");
	ok(!p.changed, "parsing changes nothing");

	ok(persist_add(&p, PPT_MATCH_DEVICE, "0000:01:00.0") == 0, "adding what is there: 0");
	ok(!p.changed, "... and nothing changed");
	ok(persist_add(&p, PPT_MATCH_DEVICE, "0000:03:00.0") == 1, "a new entry: 1");
	ok(persist_del(&p, PPT_MATCH_PATH, "0000:00/1c.0/00.0") == 1, "a path dropped");
	ok(persist_del(&p, PPT_MATCH_PATH, "0000:00/1c.0/00.0") == 0, "... once");
	out = persist_render(&p);
	is_str(out,
	       "# ppt's boot lists\n"
	       "\n"
	       "softdep nvidia pre: ppt\n"
	       "options ppt ids=10DE:1db4 devices=0000:01:00.0,2:0.0,0000:03:00.0\n"
	       "  # indented comment\n",
	       "render: one merged options line where the first was, the rest kept");
	free(out);
	ok(persist_del(&p, PPT_MATCH_IDS, "10de:1db4") == 1 &&
	   persist_del(&p, PPT_MATCH_DEVICE, "0000:01:00.0") == 1 &&
	   persist_del(&p, PPT_MATCH_DEVICE, "0000:02:00.0") == 1 &&
	   persist_del(&p, PPT_MATCH_DEVICE, "0000:03:00.0") == 1, "drop them all");
	out = persist_render(&p);
	is_str(out, "# ppt's boot lists\n\nsoftdep nvidia pre: ppt\n  # indented comment\n",
	       "no entries left: no options line");
	free(out);
	persist_free(&p);

	ok(persist_parse(&p, "new.conf", NULL, err, sizeof(err)) == 0 && !p.exists,
	   "no file: empty lists");
	persist_add(&p, PPT_MATCH_PATH, "0000:00/1c.0/00.0");
	out = persist_render(&p);
	ok(out && !strncmp(out, "# Boot lists of the ppt module", 30) &&
	   strstr(out, "\noptions ppt paths=0000:00/1c.0/00.0\n"),
	   "a new file: a header comment, then the options line");
	free(out);
	persist_free(&p);

	ok(persist_parse(&p, "f.conf", "options ppt devices=01:00.0", err, sizeof(err)) == 0 &&
	   p.nlist[PPT_MATCH_DEVICE] == 1, "a last line without newline");
	persist_free(&p);

	/* found by tests/fuzz/fuzz_persist.c: a '\r' before "options" */
	ok(persist_parse(&p, "f.conf", "\r\n\roptions ppt devices=01:00.0\n", err, sizeof(err)) == 0 &&
	   p.nlist[PPT_MATCH_DEVICE] == 1, "an options line after a carriage return");
	persist_add(&p, PPT_MATCH_DEVICE, "0000:3b:00.0");
	persist_del(&p, PPT_MATCH_DEVICE, "0000:01:00.0");
	out = persist_render(&p);
	is_str(out, "\r\noptions ppt devices=0000:3b:00.0\n",
	       "... is the line render replaces: the change is not lost");
	free(out);
	persist_free(&p);

	bad("options ppt devices=01:00.0\nblacklist nouveau\n",
	    "f.conf:2: \"blacklist\" lines are not understood here (only comments, \"options ppt\" and \"softdep ... ppt\")");
	bad("options vfio-pci ids=10de:1db4\n",
	    "f.conf:1: options for module \"vfio-pci\": this file holds ppt's only");
	bad("options\n", "f.conf:1: options for module \"\": this file holds ppt's only");
	bad("options ppt foo=1\n",
	    "f.conf:1: unknown ppt parameter \"foo\" (this file holds ids=, devices=, paths=, vfs= and sanitise=)");
	bad("options ppt vfs=0000:01:00.0=04\n",
	    "f.conf:1: vfs= entry \"0000:01:00.0=04\": VF count must be 1 to 65535");
	bad("options ppt vfs=0000:01:00.0=0x4\n",
	    "f.conf:1: vfs= entry \"0000:01:00.0=0x4\": VF count must be 1 to 65535");
	bad("options ppt vfs==4\n", "f.conf:1: vfs= entry \"=4\": empty entry");
	bad("options ppt vfs=01:00.0=4\noptions ppt vfs=0000:01:00.0=8\n",
	    "f.conf:2: vfs= entry \"0000:01:00.0=8\": 0000:01:00.0 is named already (as \"01:00.0=4\", line 1)");
	bad("options ppt vfs=01:00.0=4,\n", "f.conf:1: vfs= has an empty entry");
	bad("options ppt devices\n", "f.conf:1: \"devices\" is not parameter=value");
	bad("\n\noptions ppt devices=0000:01:00.8\n",
	    "f.conf:3: devices= entry \"0000:01:00.8\": function out of range (max 7)");
	bad("options ppt ids=10de:zz\n",
	    "f.conf:1: ids= entry \"10de:zz\": field is not hexadecimal");
	bad("options ppt paths=00//1.0\n", "f.conf:1: paths= entry \"00//1.0\": empty hop");
	bad("options ppt devices=01:00.0,,02:00.0\n",
	    "f.conf:1: devices= entry \"\": empty entry");
	bad("options ppt devices=01:00.0,\n", "f.conf:1: devices= has an empty entry");
	bad("options ppt devices=\n", "f.conf:1: devices= has an empty entry");
	bad("options ppt devices=\"01:00.0\"\n",
	    "f.conf:1: quoted values are not supported: devices=\"01:00.0\"");
	bad("options ppt \\\n devices=01:00.0\n",
	    "f.conf:1: continued lines ('\\' at the end) are not supported here");
	bad("softdep nvidia pre: vfio-pci\n", "f.conf:1: a softdep line that does not name ppt");
}

/* vfs=: one entry per PF, found and dropped by the PF, its count changed in place */
static void test_vfs(void)
{
	struct persist p;
	char err[256] = "", *out;

	ok(persist_parse(&p, "f.conf",
			 "options ppt devices=01:00.0 vfs=3b:00.0=4,0000:5e:00.0\n"
			 "options ppt vfs=0000:3b:00.0=4\n", err, sizeof(err)) == 0,
	   "vfs= entries parse (the same entry twice is one)");
	ok(p.nlist[PPT_MATCH_VFS] == 2, "... two PFs");
	ok(persist_find(&p, PPT_MATCH_VFS, "0000:3b:00.0") &&
	   !strcmp(persist_find(&p, PPT_MATCH_VFS, "0000:3b:00.0")->text, "3b:00.0=4"),
	   "... found by the PF's address, the file's spelling kept");
	ok(persist_find(&p, PPT_MATCH_VFS, "0000:5e:00.0") != NULL, "... a PF without a count");
	ok(persist_add(&p, PPT_MATCH_VFS, "0000:3b:00.0=4") == 0 && !p.changed,
	   "adding the same count: nothing changes");
	ok(persist_add(&p, PPT_MATCH_VFS, "0000:3b:00.0=8") == 1 && p.changed,
	   "another count replaces the PF's entry");
	ok(p.nlist[PPT_MATCH_VFS] == 2, "... still one entry per PF");
	ok(persist_add(&p, PPT_MATCH_VFS, "0000:af:00.1=2") == 1, "a new PF");
	out = persist_render(&p);
	is_str(out, "options ppt devices=01:00.0 vfs=0000:3b:00.0=8,0000:5e:00.0,0000:af:00.1=2\n",
	       "render: vfs= after the other lists");
	free(out);
	ok(persist_del(&p, PPT_MATCH_VFS, "0000:5e:00.0") == 1, "dropped by the PF");
	ok(persist_del(&p, PPT_MATCH_VFS, "0000:5e:00.0") == 0, "... once");
	out = persist_render(&p);
	persist_free(&p);
	ok(persist_parse(&p, "f.conf", out, err, sizeof(err)) == 0 &&
	   p.nlist[PPT_MATCH_VFS] == 2 &&
	   !strcmp(persist_find(&p, PPT_MATCH_VFS, "0000:3b:00.0")->text, "0000:3b:00.0=8"),
	   "the rendered file reads back the same: %s", err);
	free(out);
	persist_free(&p);
	is_str(persist_param(PPT_MATCH_VFS), "vfs", "the parameter's name");
}

/*
 * sanitise=: entries joined by ';' (a sanitiser may hold a ','), checked as
 * the module checks them, one per selector, a selector's sanitiser
 * replaced in place, dropped by KIND:SELECTOR.
 */
static void test_sanitise(void)
{
	char err[512] = "", canon[PPT_MATCH_BUFLEN], key[PPT_MATCH_BUFLEN], line[512], *out;
	struct persist p;

	ok(persist_parse(&p, "f.conf",
			 "options ppt ids=1234:1111 sanitise=class:0108=nvme:format-user;device:1:0.0=bar:0,2\n",
			 err, sizeof(err)) == 0,
	   "sanitise= entries parse: %s", err);
	ok(p.nlist[PERSIST_SANITISE] == 2 && p.nlist[PPT_MATCH_IDS] == 1, "... two entries, one ids=");
	ok(persist_find(&p, PERSIST_SANITISE, "device:0000:01:00.0") &&
	   !strcmp(persist_find(&p, PERSIST_SANITISE, "device:0000:01:00.0")->text,
		   "device:0000:01:00.0=bar:0,2"),
	   "... found by KIND:SELECTOR, the address in canonical form");
	ok(persist_add(&p, PERSIST_SANITISE, "class:0108=nvme:format-user") == 0 && !p.changed,
	   "the same entry again: nothing changes");
	ok(persist_add(&p, PERSIST_SANITISE, "class:0108=none") == 1 && p.changed,
	   "another sanitiser replaces the selector's entry");
	ok(persist_add(&p, PERSIST_SANITISE, "ids:8086:293e=exec:/usr/lib/x/scrub") == 1,
	   "a new selector");
	out = persist_render(&p);
	is_str(out, "options ppt ids=1234:1111 sanitise=class:0108=none;device:0000:01:00.0=bar:0,2;ids:8086:293e=exec:/usr/lib/x/scrub\n",
	       "render: ';' between sanitise= entries");
	ok(persist_del(&p, PERSIST_SANITISE, "device:0000:01:00.0") == 1 &&
	   persist_del(&p, PERSIST_SANITISE, "device:0000:01:00.0") == 0,
	   "dropped by KIND:SELECTOR, once");
	persist_free(&p);
	ok(persist_parse(&p, "f.conf", out, err, sizeof(err)) == 0 && p.nlist[PERSIST_SANITISE] == 3,
	   "the rendered file reads back: %s", err);
	persist_free(&p);
	free(out);
	ok(persist_sanitise_normalize("class:03=bar", canon, sizeof(canon), key, sizeof(key),
				      err, sizeof(err)) == 0 &&
	   !strcmp(canon, "class:03=bar") && !strcmp(key, "class:03"),
	   "normalize: class:03=bar, keyed class:03");
	ok(persist_sanitise_normalize("class:0C0330=none", canon, sizeof(canon), key, sizeof(key),
				      err, sizeof(err)) == 0 && !strcmp(canon, "class:0c0330=none"),
	   "... a class in lower case, none allowed");
	is_str(persist_param(PERSIST_SANITISE), "sanitise", "the parameter's name");
	/* the module's string parameters take 1024 bytes: a longer list fails modprobe */
	ok(persist_parse(&p, "f.conf", NULL, err, sizeof(err)) == 0, "an empty file");
	{
		char dev[32];
		int i, ret = 0, added = 0;

		for (i = 0; i < 200 && ret >= 0; i++) {
			snprintf(dev, sizeof(dev), "0000:%02x:%02x.0", i / 32, i % 32);
			ret = persist_add(&p, PPT_MATCH_DEVICE, dev);
			added += ret > 0;
		}
		/* 13 bytes an address with its ',': 78 make 1013 */
		ok(ret == -E2BIG && added == 78,
		   "devices=: the 79th address would pass 1024 bytes: -E2BIG (%d added)", added);
		is_str(persist_strerror(ret),
		       "the list would be longer than the 1024 bytes a module parameter takes (modprobe ppt would fail)",
		       "... which says so");
		out = persist_render(&p);
		ok(out && strstr(out, "0000:02:0d.0\n"), "... and the file keeps the 78");
		persist_free(&p);
		ok(persist_parse(&p, "f.conf", out, err, sizeof(err)) == 0, "... which parse: %s", err);
		persist_free(&p);
		free(out);
	}
	{
		char *big = malloc(1300);
		size_t n = (size_t)sprintf(big, "options ppt devices=0000:00:00.0");

		while (n < 1280)
			n += (size_t)sprintf(big + n, ",0000:00:00.0");
		sprintf(big + n, "\n");
		ok(persist_parse(&p, "f.conf", big, err, sizeof(err)) == 0,
		   "the same address many times is one entry");
		persist_free(&p);
		n = (size_t)sprintf(big, "options ppt devices=");
		for (int i = 0; n < 1100; i++)
			n += (size_t)sprintf(big + n, "%s0000:%02x:%02x.0", i ? "," : "", i / 32, i % 32);
		sprintf(big + n, "\n");
		ok(persist_parse(&p, "f.conf", big, err, sizeof(err)) == -EINVAL &&
		   strstr(err, "f.conf:1: devices= is ") &&
		   strstr(err, "bytes long: the module takes at most 1024 (modprobe ppt would fail)"),
		   "a file whose devices= is too long for the module is refused: %s", err);
		persist_free(&p);
		free(big);
	}
	/* longer than any match entry: a program's path up to the module's limit */
	err[0] = '\0';
	snprintf(line, sizeof(line),
		 "options ppt sanitise=ids:10de:1db4:10de:1212:030000:ffff00=exec:/opt/vendor/gpu-tools/%0100d\n", 0);
	ok(persist_parse(&p, "f.conf", line, err, sizeof(err)) == 0 &&
	   p.nlist[PERSIST_SANITISE] == 1, "a sanitise= entry of %zu bytes parses: %s",
	   strlen(line) - 22, err);
	persist_free(&p);
	bad("options ppt sanitise=class:010=nvme\n",
	    "f.conf:1: sanitise= entry \"class:010=nvme\": class \"010\": want 2, 4 or 6 hex digits");
	bad("options ppt sanitise=slot:1=nvme\n",
	    "f.conf:1: sanitise= entry \"slot:1=nvme\": unknown selector kind \"slot\" (want device, ids or class)");
	bad("options ppt sanitise=class:03\n",
	    "f.conf:1: sanitise= entry \"class:03\": want KIND:SELECTOR=SANITISER (KIND device, ids or class)");
	bad("options ppt sanitise=class:03=disk\n",
	    "f.conf:1: sanitise= entry \"class:03=disk\": unknown sanitiser \"disk\" (want nvme[:METHOD], bar[:BARS] or exec:PROGRAM)");
	bad("options ppt sanitise=device:zz=bar\n",
	    "f.conf:1: sanitise= entry \"device:zz=bar\": device \"zz\": want [domain:]bus:dev.fn");
	bad("options ppt sanitise=class:03=bar;class:03=none\n",
	    "f.conf:1: sanitise= entry \"class:03=none\": class:03 is named already (as \"class:03=bar\", line 1)");
	bad("options ppt sanitise=class:03=bar;\n", "f.conf:1: sanitise= has an empty entry");
}

static void test_write(void)
{
	char path[128], link[128], err[512] = "", where[256];
	struct persist p;
	struct stat st;
	char *out;

	snprintf(path, sizeof(path), "%s/ppt-devices.conf", dir);
	ok(persist_load(&p, path, err, sizeof(err)) == 0 && !p.exists,
	   "loading a missing file: empty");
	persist_add(&p, PPT_MATCH_DEVICE, "0000:01:00.0");
	out = persist_render(&p);
	ok(persist_write(path, out, err, sizeof(err)) == 0, "write a new file");
	ok(!stat(path, &st) && (st.st_mode & 07777) == 0644, "... mode 0644");
	ok(strstr(slurp(path), "options ppt devices=0000:01:00.0\n") != NULL, "... content");
	ok(leftovers() == 0, "... no temporary left behind");
	free(out);
	persist_free(&p);

	chmod(path, 0600);
	ok(persist_load(&p, path, err, sizeof(err)) == 0 && p.exists, "load it back");
	persist_add(&p, PPT_MATCH_IDS, "10de:1db4");
	out = persist_render(&p);
	ok(persist_write(path, out, err, sizeof(err)) == 0, "rewrite");
	ok(!stat(path, &st) && (st.st_mode & 07777) == 0600, "... the mode is kept");
	ok(strstr(slurp(path), "options ppt ids=10de:1db4 devices=0000:01:00.0\n") != NULL,
	   "... merged");
	free(out);
	persist_free(&p);

	/* a symlinked file is replaced at its target */
	snprintf(link, sizeof(link), "%s/link.conf", dir);
	ok(symlink("ppt-devices.conf", link) == 0, "a symlink to it");
	ok(persist_write(link, "options ppt devices=0000:05:00.0\n", err, sizeof(err)) == 0,
	   "write through the symlink");
	ok(!lstat(link, &st) && S_ISLNK(st.st_mode), "... it is still a symlink");
	is_str(slurp(path), "options ppt devices=0000:05:00.0\n", "... the target changed");
	unlink(link);

	/* a failed write leaves the old file alone */
	snprintf(link, sizeof(link), "%s/nodir/x.conf", dir);
	ok(persist_write(link, "x\n", err, sizeof(err)) < 0, "writing into a missing directory fails");
	ok(strstr(err, "cannot create a file in") != NULL, "... saying where: %s", err);
	ok(leftovers() == 0, "... nothing left behind");

	/* a strict load changes nothing and names the line */
	spew(path, "options ppt devices=0000:01:00.0\ninstall ppt /bin/true\n");
	ok(persist_load(&p, path, err, sizeof(err)) == -EINVAL, "a file with a foreign line");
	ok(strstr(err, "ppt-devices.conf:2: \"install\" lines are not understood") != NULL,
	   "... named by file:line");
	persist_free(&p);
	is_str(slurp(path), "options ppt devices=0000:01:00.0\ninstall ppt /bin/true\n",
	       "... and the file is untouched");

	spew(path, "options ppt devices=0000:01:00.0\n");
	{
		FILE *f = fopen(path, "a");

		fputc('\0', f);
		fclose(f);
	}
	ok(persist_load(&p, path, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "NUL") != NULL, "a binary file is refused");
	persist_free(&p);

	/* other files setting ppt options */
	snprintf(link, sizeof(link), "%s/other.conf", dir);
	spew(link, "# x\noptions ppt ids=1234:1111\n");
	ok(persist_others(path, where, sizeof(where)), "another .conf sets ppt options");
	ok(strstr(where, "other.conf") != NULL, "... named: %s", where);
	unlink(link);
	snprintf(link, sizeof(link), "%s/other.txt", dir);
	spew(link, "options ppt ids=1234:1111\n");
	ok(!persist_others(path, where, sizeof(where)), "a file not named .conf does not count");
	unlink(link);
	unlink(path);

	/* is ppt in the initramfs? */
	ok(!persist_in_initramfs(dir, where, sizeof(where)), "an empty root: no");
	snprintf(link, sizeof(link), "%s/etc", dir);
	mkdir(link, 0755);
	snprintf(link, sizeof(link), "%s/etc/initramfs-tools", dir);
	mkdir(link, 0755);
	snprintf(link, sizeof(link), "%s/etc/initramfs-tools/modules", dir);
	spew(link, "# ppt\nvfio-pci\n");
	ok(!persist_in_initramfs(dir, where, sizeof(where)), "a comment naming ppt: no");
	spew(link, "vfio-pci\nppt ids=10de:1db4\n");
	ok(persist_in_initramfs(dir, where, sizeof(where)) &&
	   strstr(where, "initramfs-tools/modules"), "initramfs-tools' modules: yes");
	unlink(link);
	snprintf(link, sizeof(link), "%s/etc/dracut.conf.d", dir);
	mkdir(link, 0755);
	snprintf(link, sizeof(link), "%s/etc/dracut.conf.d/10-vfio.conf", dir);
	spew(link, "force_drivers+=\" vfio-pci ppt \"\n");
	ok(persist_in_initramfs(dir, where, sizeof(where)) &&
	   strstr(where, "10-vfio.conf"), "a dracut configuration: yes");
}

/* The kernel command line's and other files' lists, and the lock. */
static void test_elsewhere(void)
{
	char path[256], err[512] = "", **files = NULL;
	struct persist p;
	size_t n = 0, i;
	int fd, fd2;

	snprintf(path, sizeof(path), "%s/proc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/cmdline", dir);
	spew(path, "BOOT_IMAGE=/vmlinuz root=/dev/vda ppt.ids=10de:1db4,zz ppt.devices=0000:03:00.0 ppt.auto_clean=0 ppt.vfs=3b:00.0=4,5e:00.0=04 ppt.sanitise=class:03=disk;class:0108=none quiet\n");
	ok(!persist_load_cmdline(&p, dir, err, sizeof(err)), "the command line is read");
	ok(persist_find(&p, PPT_MATCH_IDS, "10de:1db4") != NULL,
	   "... ppt.ids= gives its entries");
	ok(p.nlist[PPT_MATCH_IDS] == 1, "... a malformed one skipped, as the module skips it");
	ok(persist_find(&p, PPT_MATCH_DEVICE, "0000:03:00.0") != NULL,
	   "... ppt.devices= too");
	ok(p.nlist[PPT_MATCH_PATH] == 0, "... and other ppt.* parameters are not lists");
	ok(p.nlist[PERSIST_SANITISE] == 1 && persist_find(&p, PERSIST_SANITISE, "class:0108"),
	   "... ppt.sanitise= gives its entries, a bad one skipped");
	ok(persist_find(&p, PPT_MATCH_VFS, "0000:3b:00.0") && p.nlist[PPT_MATCH_VFS] == 1,
	   "... ppt.vfs= too, its malformed entry skipped");
	is_str(p.path, "the kernel command line", "... and it names itself");
	persist_free(&p);
	unlink(path);
	ok(!persist_load_cmdline(&p, dir, err, sizeof(err)) && !p.nlist[0],
	   "no /proc/cmdline: no entries");
	persist_free(&p);

	snprintf(path, sizeof(path), "%s/md", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/md/vfio.conf", dir);
	spew(path, "blacklist nouveau\noptions vfio-pci ids=10de:1db4\noptions ppt devices=01:00.0 auto_clean=0\n");
	ok(!persist_load_other(&p, path, err, sizeof(err)),
	   "another file is read leniently (blacklist, another module's options)");
	ok(persist_find(&p, PPT_MATCH_DEVICE, "0000:01:00.0") != NULL,
	   "... its options ppt entries count");
	ok(!p.nlist[PPT_MATCH_IDS], "... vfio-pci's ids do not");
	persist_free(&p);
	snprintf(path, sizeof(path), "%s/md/ppt-devices.conf", dir);
	spew(path, "options ppt ids=1234:11e8\n");
	snprintf(err, sizeof(err), "%s/md/notes.txt", dir);
	spew(err, "options ppt ids=1:2\n");
	ok(!persist_other_files(path, &files, &n) && n == 1 &&
	   strstr(files[0], "vfio.conf"), "the other *.conf files of the directory");
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);

	fd = persist_lock(path, err, sizeof(err));
	ok(fd >= 0, "the lock is taken");
	fd2 = open(dir, O_RDONLY);
	snprintf(err, sizeof(err), "%s/md", dir);
	close(fd2);
	fd2 = open(err, O_RDONLY | O_DIRECTORY);
	ok(fd2 >= 0 && flock(fd2, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK,
	   "... a second pptadm would wait for it");
	close(fd);
	ok(flock(fd2, LOCK_EX | LOCK_NB) == 0, "... until the first lets go");
	close(fd2);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ppt-persist-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_parse();
	test_vfs();
	test_sanitise();
	test_write();
	test_elsewhere();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	return tap_done();
}
