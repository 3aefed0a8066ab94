// SPDX-License-Identifier: GPL-2.0-only
/*
 * add and remove without a kernel (bootlists.c): what else reserves a
 * device at boot (another entry of the file, the kernel command line,
 * another modprobe.d file), and remove's checks of every name before
 * anything is done.
 */
#include <errno.h>
#include <stdlib.h>

#include "bootlists.h"
#include "faketree.h"
#include "tap.h"

static struct out_device dev(const char *addr, const char *path, uint16_t vendor,
			     uint16_t device)
{
	struct out_device d = { 0 };

	snprintf(d.info.addr, sizeof(d.info.addr), "%s", addr);
	snprintf(d.info.path, sizeof(d.info.path), "%s", path);
	d.info.vendor = vendor;
	d.info.device = device;
	d.info.state = PPT_STATE_RESERVED;
	return d;
}

static void names(struct name *n, int count, ...)
{
	char why[256];
	va_list ap;
	int i;

	va_start(ap, count);
	for (i = 0; i < count; i++)
		if (name_parse(va_arg(ap, const char *), &n[i], why, sizeof(why)))
			printf("# bad name: %s\n", why);
	va_end(ap);
}

int main(void)
{
	struct out_device devs[3] = {
		dev("0000:3b:00.0", "0000:00/03.0/00.0", 0x10de, 0x1db4),
		dev("0000:3b:00.1", "0000:00/03.0/00.1", 0x10de, 0x10f0),
		dev("10000:01:00.0", "", 0x8086, 0x0a54),
	};
	struct persist p, *others;
	struct boot_problem *pr;
	const struct persist_entry *e;
	struct name n[3];
	char err[512], path[256];
	const char *src;
	size_t npr, nothers;
	int kind = -1;

	ok(!persist_parse(&p, "/etc/modprobe.d/ppt-devices.conf",
			  "options ppt ids=10de:1db4 devices=0000:3b:00.0,10000:01:00.0\n",
			  err, sizeof(err)), "a boot lists file");

	names(n, 1, "0000:3b:00.0");
	e = boot_other_entry(&p, &devs[0], n, 1, &kind);
	ok(e && kind == PPT_MATCH_IDS && !strcmp(e->text, "10de:1db4"),
	   "removing the address: the ids entry still names the device");
	names(n, 2, "0000:3b:00.0", "10de:1db4");
	ok(!boot_other_entry(&p, &devs[0], n, 2, &kind),
	   "removing both: nothing else names it");

	/* remove's checks */
	names(n, 1, "0000:3b:00.0");
	ok(!boot_remove_check(&p, NULL, 0, devs, 3, n, 1, &pr, &npr) && npr == 1,
	   "remove 0000:3b:00.0: one problem");
	ok(npr == 1 && pr[0].err == -EEXIST && pr[0].name == 0, "... EEXIST for the name");
	if (npr)
		is_str(pr[0].msg, "0000:3b:00.0 is also named by ids=10de:1db4 "
		       "(/etc/modprobe.d/ppt-devices.conf:1): remove that too (pptadm remove 10de:1db4)",
		       "... naming the entry, its file and line");
	free(pr);
	names(n, 2, "0000:3b:00.0", "10de:1db4");
	ok(!boot_remove_check(&p, NULL, 0, devs, 3, n, 2, &pr, &npr) && npr == 0,
	   "remove both names: no problem");
	free(pr);
	names(n, 1, "10000:01:00.0");
	ok(!boot_remove_check(&p, NULL, 0, devs, 3, n, 1, &pr, &npr) && npr == 0,
	   "a five-digit VMD domain, listed and managed: no problem");
	free(pr);
	names(n, 1, "0000:5e:00.0");
	ok(!boot_remove_check(&p, NULL, 0, devs, 3, n, 1, &pr, &npr) && npr == 1 &&
	   pr[0].err == -ENOENT, "a name neither listed nor managed: ENOENT");
	if (npr)
		is_str(pr[0].msg, "not in /etc/modprobe.d/ppt-devices.conf and not managed by ppt",
		       "... saying so");
	free(pr);
	names(n, 1, "0000:5e:00.0");
	ok(!boot_remove_check(&p, NULL, 0, NULL, 0, n, 1, &pr, &npr) && npr == 1,
	   "... also without the module (no devices)");
	free(pr);
	names(n, 1, "10000:01:00.0");
	ok(!boot_remove_check(&p, NULL, 0, NULL, 0, n, 1, &pr, &npr) && npr == 0,
	   "without the module, a listed name: only the file changes");
	free(pr);

	/* the kernel command line and other modprobe.d files */
	ft_init();
	ft_write("proc/cmdline", "quiet ppt.devices=0000:3b:00.1\n");
	ft_write("etc/modprobe.d/vfio.conf", "options ppt paths=0000:00/03.0/00.0\n");
	ft_write("etc/modprobe.d/other.conf", "blacklist nouveau\n");
	ft_write("etc/modprobe.d/ppt-devices.conf", "");
	snprintf(path, sizeof(path), "%s/etc/modprobe.d/ppt-devices.conf", ft_root);
	others = boot_load_elsewhere(path, ft_root, &nothers);
	ok(others && nothers == 3, "elsewhere: the command line and the two other files");
	is_str(others[0].path, "the kernel command line", "... the command line first");
	ok(boot_elsewhere_entry(others, nothers, &devs[1], &src, &kind) &&
	   kind == PPT_MATCH_DEVICE && !strcmp(src, "the kernel command line"),
	   "the audio function: the command line's devices=");
	e = boot_elsewhere_entry(others, nothers, &devs[0], &src, &kind);
	ok(e && kind == PPT_MATCH_PATH && strstr(src, "vfio.conf"),
	   "the GPU: vfio.conf's paths=");
	ok(!boot_elsewhere_entry(others, nothers, &devs[2], &src, &kind),
	   "the VMD device: nowhere else");
	names(n, 2, "0000:3b:00.0", "10de:1db4");
	ok(!boot_remove_check(&p, others, nothers, devs, 3, n, 2, &pr, &npr) && npr == 2 &&
	   pr[0].err == -EEXIST && pr[0].name == 0 && pr[1].name == 1 &&
	   strstr(pr[0].msg, "vfio.conf: it would be reserved again at boot"),
	   "remove: another file would reserve it again at boot, said for each name of it");
	free(pr);
	boot_free_elsewhere(others, nothers);
	ft_cleanup();
	persist_free(&p);
	return tap_done();
}
