// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm check: host readiness for passthrough (see check.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "check.h"
#include "names.h"

#define PATHLEN 4096

__attribute__((format(printf, 4, 5)))
static void add(struct check_list *l, const char *name, enum check_status st,
		const char *fmt, ...)
{
	struct check_result *r;
	va_list ap;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct check_result *nr = realloc(l->r, cap * sizeof(*nr));

		if (!nr)
			return;	/* out of memory: the result is lost, not the run */
		l->r = nr;
		l->cap = cap;
	}
	r = &l->r[l->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}

/* The fix for the result just added. */
__attribute__((format(printf, 2, 3)))
static void fix(struct check_list *l, const char *fmt, ...)
{
	va_list ap;

	if (!l->n)
		return;
	va_start(ap, fmt);
	vsnprintf(l->r[l->n - 1].fix, sizeof(l->r[0].fix), fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 4, 5)))
static char *path(char *buf, size_t len, const char *root, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(buf, len, "%s", root);
	va_list ap;

	va_start(ap, fmt);
	if (n < len)
		vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	return buf;
}

/* The first line of a file, without its newline; false if unreadable. */
static bool read_line(const char *p, char *buf, size_t len)
{
	FILE *f = fopen(p, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* A whole (small) file, malloc()ed and NUL-terminated, or NULL. */
static char *slurp(const char *p, size_t *lenp)
{
	FILE *f = fopen(p, "r");
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 8192;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static bool exists(const char *p)
{
	return access(p, F_OK) == 0;
}

/* The last component of a symlink's target ("" if none). */
static bool link_name(const char *p, char *buf, size_t len)
{
	char t[PATHLEN];
	ssize_t n = readlink(p, t, sizeof(t) - 1);
	const char *s;

	buf[0] = '\0';
	if (n < 0)
		return false;
	t[n] = '\0';
	s = strrchr(t, '/');
	s = s ? s + 1 : t;
	n = (ssize_t)strlen(s);
	if ((size_t)n >= len)
		n = (ssize_t)len - 1;
	memcpy(buf, s, (size_t)n);
	buf[n] = '\0';
	return true;
}

static bool dev_file(const struct check_env *e, const char *dev,
		     const char *file, char *buf, size_t len)
{
	char p[PATHLEN];

	return read_line(path(p, sizeof(p), e->root, "/sys/bus/pci/devices/%s/%s",
			      dev, file), buf, len);
}

static void dev_driver(const struct check_env *e, const char *dev, char *buf,
		       size_t len)
{
	char p[PATHLEN];

	link_name(path(p, sizeof(p), e->root, "/sys/bus/pci/devices/%s/driver", dev),
		  buf, len);
}

static int dev_group(const struct check_env *e, const char *dev)
{
	char p[PATHLEN], g[64];

	if (!link_name(path(p, sizeof(p), e->root, "/sys/bus/pci/devices/%s/iommu_group",
			    dev), g, sizeof(g)) || !isdigit((unsigned char)g[0]))
		return -1;
	return atoi(g);
}

static bool dev_is_bridge(const struct check_env *e, const char *dev)
{
	char c[32];

	return dev_file(e, dev, "class", c, sizeof(c)) && !strncmp(c, "0x0604", 6);
}

/* Does a word (or a word=value with this prefix) appear in the command line? */
static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);
	const char *s = cmdline;

	while ((s = strstr(s, word))) {
		if ((s == cmdline || isspace((unsigned char)s[-1])) &&
		    (!s[n] || isspace((unsigned char)s[n])))
			return true;
		s += n;
	}
	return false;
}

static void read_cmdline(const struct check_env *e, char *buf, size_t len)
{
	char p[PATHLEN];

	if (!read_line(path(p, sizeof(p), e->root, "/proc/cmdline"), buf, len))
		buf[0] = '\0';
}

static const char *iommu_table(const struct check_env *e)
{
	char p[PATHLEN];

	if (exists(path(p, sizeof(p), e->root, "/sys/firmware/acpi/tables/DMAR")))
		return "DMAR";
	if (exists(path(p, sizeof(p), e->root, "/sys/firmware/acpi/tables/IVRS")))
		return "IVRS";
	return NULL;
}

static int count_groups(const struct check_env *e)
{
	char p[PATHLEN];
	DIR *d = opendir(path(p, sizeof(p), e->root, "/sys/kernel/iommu_groups"));
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (isdigit((unsigned char)de->d_name[0]))
			n++;
	closedir(d);
	return n;
}

void check_iommu(const struct check_env *e, struct check_list *l)
{
	const char *table = iommu_table(e);
	int groups = count_groups(e);

	if (groups > 0) {
		add(l, "iommu", CHECK_PASS, "IOMMU enabled: %d IOMMU groups%s%s%s", groups,
		    table ? " (ACPI " : "", table ? table : "", table ? " table)" : "");
	} else if (!table) {
		add(l, "iommu", CHECK_FAIL,
		    "no IOMMU: no DMAR or IVRS ACPI table, no IOMMU groups");
		fix(l, "enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup, "
		    "then boot with intel_iommu=on (Intel)");
	} else {
		add(l, "iommu", CHECK_FAIL,
		    "the firmware has an IOMMU (ACPI %s table) but the kernel did not enable it: no IOMMU groups",
		    table);
		fix(l, "boot with %s on the kernel command line",
		    !strcmp(table, "DMAR") ? "intel_iommu=on" : "amd_iommu=on (and no iommu=off)");
	}
}

void check_cmdline(const struct check_env *e, struct check_list *l)
{
	static const char *const off[] = {
		"intel_iommu=off", "amd_iommu=off", "iommu=off", "intremap=off",
		"nointremap", "vfio_iommu_type1.allow_unsafe_interrupts=1",
	};
	const char *table = iommu_table(e);
	char cl[4096], found[256] = "";
	size_t i;

	read_cmdline(e, cl, sizeof(cl));
	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		if (cmdline_has(cl, off[i])) {
			add(l, "cmdline", CHECK_FAIL, "the kernel command line has %s", off[i]);
			fix(l, "remove %s from the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub)",
			    off[i]);
			return;
		}
	}
	if (table && !strcmp(table, "DMAR") && !cmdline_has(cl, "intel_iommu=on") &&
	    !count_groups(e)) {
		add(l, "cmdline", CHECK_FAIL, "intel_iommu=on is not on the kernel command line");
		fix(l, "add intel_iommu=on iommu=pt to GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub and reboot");
		return;
	}
	for (i = 0; i < 3; i++) {
		static const char *const on[] = { "intel_iommu=on", "amd_iommu=on", "iommu=pt" };

		if (cmdline_has(cl, on[i]))
			snprintf(found + strlen(found), sizeof(found) - strlen(found), "%s%s",
				 found[0] ? " " : "", on[i]);
	}
	if (cmdline_has(cl, "iommu=pt"))
		add(l, "cmdline", CHECK_PASS, "kernel command line: %s", found);
	else
		add(l, "cmdline", CHECK_PASS,
		    "kernel command line: %s (iommu=pt is optional: host devices then bypass translation)",
		    found[0] ? found : "no IOMMU options, the kernel's defaults");
}

void check_intremap(const struct check_env *e, struct check_list *l)
{
	char p[PATHLEN], v[64], cl[4096];
	bool ecap = false, ecap_ir = false;
	struct dirent *de;
	DIR *d;

	read_cmdline(e, cl, sizeof(cl));
	if (cmdline_has(cl, "intremap=off") || cmdline_has(cl, "nointremap")) {
		add(l, "intremap", CHECK_FAIL, "interrupt remapping is switched off on the kernel command line");
		fix(l, "remove intremap=off / nointremap from the kernel command line");
		return;
	}
	if (e->dmesg && (strstr(e->dmesg, "Enabled IRQ remapping") ||
			 strstr(e->dmesg, "Interrupt remapping enabled"))) {
		add(l, "intremap", CHECK_PASS, "interrupt remapping enabled (kernel log)");
		return;
	}
	d = opendir(path(p, sizeof(p), e->root, "/sys/class/iommu"));
	while (d && (de = readdir(d))) {
		char ep[PATHLEN];

		if (de->d_name[0] == '.')
			continue;
		if (!read_line(path(ep, sizeof(ep), e->root, "/sys/class/iommu/%s/intel-iommu/ecap",
				    de->d_name), v, sizeof(v)))
			continue;
		ecap = true;
		/* VT-d extended capability bit 3: IR, interrupt remapping */
		if (strtoull(v, NULL, 16) & (1ull << 3))
			ecap_ir = true;
	}
	if (d)
		closedir(d);
	if (ecap_ir) {
		add(l, "intremap", CHECK_PASS, "the IOMMU supports interrupt remapping (VT-d ecap IR)");
	} else if (ecap) {
		add(l, "intremap", CHECK_FAIL, "the IOMMU has no interrupt remapping (VT-d ecap IR clear)");
		fix(l, "vfio refuses such devices; only on a trusted host: vfio_iommu_type1.allow_unsafe_interrupts=1");
	} else if (!count_groups(e)) {
		add(l, "intremap", CHECK_FAIL, "no interrupt remapping: no IOMMU");
		fix(l, "enable the IOMMU (see the iommu check)");
	} else {
		add(l, "intremap", CHECK_WARN, "cannot tell whether interrupts are remapped "
		    "(no kernel log message, no VT-d ecap)");
		fix(l, "look for \"Interrupt remapping enabled\" or \"IRQ remapping\" in dmesg");
	}
}

/* Is module name (with _ or -) loaded, built in, or installed for krel? */
static const char *module_state(const struct check_env *e, const char *name)
{
	static const char *const lists[] = { "modules.builtin", "modules.dep" };
	char p[PATHLEN];
	size_t i;

	if (exists(path(p, sizeof(p), e->root, "/sys/module/%s", name)))
		return "loaded";
	for (i = 0; i < 2; i++) {
		char *s, *txt = slurp(path(p, sizeof(p), e->root, "/lib/modules/%s/%s",
					  e->krel, lists[i]), NULL);
		bool found = false;

		for (s = txt; s && *s && !found; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : "") {
			size_t len = strcspn(s, ":\n"), k, n = strlen(name);
			const char *b = s;

			for (k = 0; k < len; k++)
				if (s[k] == '/')
					b = s + k + 1;
			if ((size_t)(s + len - b) < n + 3 || strncmp(b + n, ".ko", 3))
				continue;
			for (k = 0; k < n; k++)
				if (b[k] != name[k] && !(b[k] == '-' && name[k] == '_'))
					break;
			found = k == n;
		}
		free(txt);
		if (found)
			return i ? "available" : "built in";
	}
	return NULL;
}

void check_vfio(const struct check_env *e, struct check_list *l)
{
	static const char *const mods[] = { "vfio", "vfio_iommu_type1", "vfio_pci" };
	char msg[256] = "";
	const char *missing = NULL, *st;
	size_t i;

	for (i = 0; i < 3; i++) {
		st = module_state(e, mods[i]);
		if (!st) {
			missing = mods[i];
			break;
		}
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "%s%s %s",
			 i ? ", " : "", mods[i], st);
	}
	if (missing) {
		add(l, "vfio", CHECK_FAIL, "%s is neither loaded nor installed for %s",
		    missing, e->krel);
		fix(l, "install the kernel's modules package (CONFIG_VFIO_PCI, CONFIG_VFIO_IOMMU_TYPE1)");
	} else {
		add(l, "vfio", CHECK_PASS, "%s", msg);
	}
}

void check_module(const struct check_env *e, struct check_list *l)
{
	char p[PATHLEN], v[64];

	if (!exists(path(p, sizeof(p), e->root, "/sys/module/ppt"))) {
		add(l, "module", CHECK_FAIL, "ppt is not loaded");
		fix(l, "modprobe ppt; to reserve at boot install ppt's modprobe.d and initramfs files (make install) and update-initramfs -u");
		return;
	}
	if (!read_line(path(p, sizeof(p), e->root, "/sys/module/ppt/version"), v, sizeof(v))) {
		add(l, "module", CHECK_WARN, "ppt is loaded but has no version (/sys/module/ppt/version)");
		fix(l, "install ppt %s and reload it (rmmod ppt; modprobe ppt)", e->version);
	} else if (strcmp(v, e->version)) {
		add(l, "module", CHECK_WARN, "ppt %s is loaded, pptadm is %s", v, e->version);
		fix(l, "install the same version of both (make dkms-install install), then reload ppt");
	} else {
		add(l, "module", CHECK_PASS, "ppt %s loaded, the same version as pptadm", v);
	}
}

#define SIG_MAGIC "~Module signature appended~\n"

/* 1 signed, 0 unsigned, -1 unknown. */
static int module_signed(const struct check_env *e, char *where, size_t len)
{
	char p[PATHLEN], t[64], *dep, *s;
	int ret = -1;

	where[0] = '\0';
	if (read_line(path(p, sizeof(p), e->root, "/sys/module/ppt/taint"), t, sizeof(t))) {
		snprintf(where, len, "the loaded ppt");
		return strchr(t, 'E') ? 0 : 1;
	}
	dep = slurp(path(p, sizeof(p), e->root, "/lib/modules/%s/modules.dep", e->krel), NULL);
	for (s = dep; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : "") {
		size_t n = strcspn(s, ":\n");
		char mp[PATHLEN], tail[sizeof(SIG_MAGIC)];
		FILE *f;

		if (n < 7 || strncmp(s + n - 7, "/ppt.ko", 7))
			continue;
		snprintf(mp, sizeof(mp), "%s/lib/modules/%s/%.*s", e->root, e->krel, (int)n, s);
		snprintf(where, len, "/lib/modules/%s/%.*s", e->krel, (int)n, s);
		f = fopen(mp, "r");
		if (f && !fseek(f, -(long)(sizeof(SIG_MAGIC) - 1), SEEK_END) &&
		    fread(tail, 1, sizeof(SIG_MAGIC) - 1, f) == sizeof(SIG_MAGIC) - 1)
			ret = !memcmp(tail, SIG_MAGIC, sizeof(SIG_MAGIC) - 1);
		if (f)
			fclose(f);
		break;
	}
	free(dep);
	return ret;
}

/* 1 on, 0 off, -1 unknown (no EFI variable). */
static int secure_boot(const struct check_env *e)
{
	char p[PATHLEN];
	unsigned char b[5];
	FILE *f = fopen(path(p, sizeof(p), e->root,
			     "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"),
			"r");
	int ret = -1;

	if (f) {
		/* 4 bytes of attributes, then the value */
		if (fread(b, 1, 5, f) == 5)
			ret = b[4] == 1;
		fclose(f);
	}
	if (ret < 0 && !e->root[0] && exists("/usr/bin/mokutil")) {
		char line[256];

		f = popen("/usr/bin/mokutil --sb-state 2>/dev/null", "r");
		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, "SecureBoot enabled"))
				ret = 1;
			else if (strstr(line, "SecureBoot disabled"))
				ret = 0;
		if (f)
			pclose(f);
	}
	return ret;
}

/* Secure Boot's state as the messages say it. */
static const char *sb_text(int sb)
{
	return sb == 1 ? "on" : sb == 0 ? "off" : "unknown (no EFI variable)";
}

void check_secureboot(const struct check_env *e, struct check_list *l)
{
	char p[PATHLEN], lock[128], mode[32] = "none", where[PATHLEN];
	int sb = secure_boot(e), sig = module_signed(e, where, sizeof(where));
	const char *a, *b, *what;
	bool enforced;

	if (read_line(path(p, sizeof(p), e->root, "/sys/kernel/security/lockdown"), lock,
		      sizeof(lock)) && (a = strchr(lock, '[')) && (b = strchr(a, ']')))
		snprintf(mode, sizeof(mode), "%.*s", (int)(b - a - 1), a + 1);
	enforced = sb == 1 || strcmp(mode, "none");
	if (!enforced) {
		what = sig == 1 ? "ppt.ko is signed" : sig == 0 ?
		       "an unsigned ppt.ko loads (it taints the kernel)" :
		       "module signatures are not enforced";
		/* without the EFI variable it is no proof that nothing is enforced */
		add(l, "secureboot", sb < 0 ? CHECK_INFO : CHECK_PASS,
		    "Secure Boot %s, lockdown %s: %s", sb_text(sb), mode, what);
	} else if (sig == 1) {
		add(l, "secureboot", CHECK_PASS, "Secure Boot %s, lockdown %s: %s is signed",
		    sb_text(sb), mode, where);
	} else if (sig == 0) {
		add(l, "secureboot", CHECK_FAIL,
		    "Secure Boot %s, lockdown %s: %s is not signed, the kernel refuses to load it",
		    sb_text(sb), mode, where);
		fix(l, "let DKMS sign it (dkms install) and enrol its key: mokutil --import /var/lib/dkms/mok.pub, reboot, confirm in MokManager");
	} else {
		add(l, "secureboot", CHECK_WARN,
		    "Secure Boot %s, lockdown %s: cannot tell whether ppt.ko is signed (%s)",
		    sb_text(sb), mode, where[0] ? where : "not installed for this kernel");
		fix(l, "modinfo -F signer ppt must name a key enrolled with mokutil --import");
	}
}

/* Another device of a group is fine when no host driver can use it. */
static bool harmless_driver(const char *drv)
{
	return !drv[0] || !strcmp(drv, "ppt") || !strcmp(drv, "vfio-pci") ||
	       !strcmp(drv, "pci-stub") || !strcmp(drv, "pcieport");
}

void check_groups(const struct check_env *e, struct check_list *l)
{
	size_t i;

	if (!e->ndevices) {
		add(l, "group", CHECK_SKIP, "ppt manages no devices: no IOMMU group to check");
		return;
	}
	for (i = 0; i < e->ndevices; i++) {
		const char *dev = e->devices[i];
		char p[PATHLEN], drv[64];
		int g = dev_group(e, dev), n = 0, bad = 0;
		struct dirent *de;
		DIR *d;

		if (g < 0) {
			add(l, "group", CHECK_FAIL, "%s has no IOMMU group: vfio cannot take it", dev);
			fix(l, "enable the IOMMU (see the iommu check)");
			continue;
		}
		d = opendir(path(p, sizeof(p), e->root, "/sys/kernel/iommu_groups/%d/devices", g));
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.' || !strcmp(de->d_name, dev))
				continue;
			n++;
			if (dev_is_bridge(e, de->d_name))
				continue;
			dev_driver(e, de->d_name, drv, sizeof(drv));
			if (harmless_driver(drv))
				continue;
			bad++;
			add(l, "group", CHECK_WARN,
			    "%s shares IOMMU group %d with %s, bound to host driver %s",
			    dev, g, de->d_name, drv);
			fix(l, "a VM gets the whole group: reserve it too (pptadm reserve --force %s)",
			    de->d_name);
		}
		if (d)
			closedir(d);
		if (!bad)
			add(l, "group", CHECK_PASS, n ? "%s: IOMMU group %d, no host driver in it"
			    : "%s: IOMMU group %d, alone in it", dev, g);
	}
}

/* Offset of a capability in config space (PCIe extended if ext), or 0. */
static unsigned int find_cap(const unsigned char *c, size_t len, unsigned int id, bool ext)
{
	unsigned int pos, guard = 0;

	if (!ext) {
		if (len < 64 || !(c[6] & 0x10))	/* status: capability list */
			return 0;
		for (pos = c[0x34] & 0xfc; pos >= 0x40 && pos + 1 < len && guard++ < 48;
		     pos = c[pos + 1] & 0xfc)
			if (c[pos] == id)
				return pos;
		return 0;
	}
	for (pos = 0x100; pos >= 0x100 && pos + 4 <= len && guard++ < 256;) {
		uint32_t h = c[pos] | c[pos + 1] << 8 | c[pos + 2] << 16 | (uint32_t)c[pos + 3] << 24;

		if (!h || h == 0xffffffff)
			return 0;
		if ((h & 0xffff) == id)
			return pos;
		pos = h >> 20;
	}
	return 0;
}

void check_acs(const struct check_env *e, struct check_list *l)
{
	size_t i;

	if (!e->ndevices)
		add(l, "acs", CHECK_SKIP, "ppt manages no devices: no IOMMU group to check");

	for (i = 0; i < e->ndevices; i++) {
		const char *dev = e->devices[i];
		char p[PATHLEN], real[PATHLEN], other[256] = "", lacking[256] = "", *s, *save;
		int g = dev_group(e, dev);
		struct dirent *de;
		DIR *d;

		if (g < 0)
			continue;
		d = opendir(path(p, sizeof(p), e->root, "/sys/kernel/iommu_groups/%d/devices", g));
		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' && !addr_same_slot(de->d_name, dev) &&
			    !dev_is_bridge(e, de->d_name))
				snprintf(other, sizeof(other), "%s", de->d_name);
		if (d)
			closedir(d);
		if (!other[0]) {
			add(l, "acs", CHECK_PASS, "%s: isolated (no other slot in IOMMU group %d)", dev, g);
			continue;
		}
		/* the ports above it: root and downstream ports want ACS */
		if (!realpath(path(p, sizeof(p), e->root, "/sys/bus/pci/devices/%s", dev), real))
			real[0] = '\0';
		for (s = strtok_r(real, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
			unsigned char *c;
			unsigned int pe;
			size_t len = 0;

			if (!addr_parse(s, NULL) || !strcmp(s, dev))
				continue;
			c = (unsigned char *)slurp(path(p, sizeof(p), e->root,
							"/sys/bus/pci/devices/%s/config", s), &len);
			pe = c ? find_cap(c, len, 0x10, false) : 0;
			if (pe && pe + 3 < len) {
				unsigned int type = (c[pe + 2] >> 4) & 0xf;

				if ((type == 4 || type == 6) && (len <= 0x100 || !find_cap(c, len, 0x0d, true)))
					snprintf(lacking + strlen(lacking), sizeof(lacking) - strlen(lacking),
						 "%s%s", lacking[0] ? ", " : "", s);
			}
			free(c);
		}
		add(l, "acs", CHECK_WARN, "%s shares IOMMU group %d with %s in another slot%s%s",
		    dev, g, other, lacking[0] ? ": no ACS on " : " (no ACS isolation between them)",
		    lacking);
		fix(l, "a VM gets the whole group; for isolation use a slot below a port with ACS");
	}
}

void check_boot_vga(const struct check_env *e, struct check_list *l)
{
	char v[16];
	size_t i;
	bool any = false;

	for (i = 0; i < e->ndevices; i++) {
		if (!dev_file(e, e->devices[i], "boot_vga", v, sizeof(v)) || strcmp(v, "1"))
			continue;
		any = true;
		add(l, "boot-vga", CHECK_WARN, "%s is the boot VGA device (the host's console)",
		    e->devices[i]);
		fix(l, "give the host another console (serial, another GPU); vfio-pci takes the framebuffer with it");
	}
	if (!e->ndevices)
		add(l, "boot-vga", CHECK_SKIP, "ppt manages no devices");
	else if (!any)
		add(l, "boot-vga", CHECK_PASS, "no device of ppt's is the boot VGA device");
}

/* The built-in module whose PCI alias matches modalias, from modules.builtin.modinfo. */
static bool builtin_for(const struct check_env *e, const char *modalias, char *mod, size_t len)
{
	char p[PATHLEN], *txt, *s, *end;
	size_t n = 0;

	txt = slurp(path(p, sizeof(p), e->root, "/lib/modules/%s/modules.builtin.modinfo",
			 e->krel), &n);
	if (!txt)
		return false;
	for (s = txt, end = txt + n; s < end; s += strlen(s) + 1) {
		const char *dot = strchr(s, '.');

		if (!dot || strncmp(dot, ".alias=pci:", 11))
			continue;
		if (!fnmatch(dot + 7, modalias, 0)) {
			snprintf(mod, len, "%.*s", (int)(dot - s), s);
			free(txt);
			return true;
		}
	}
	free(txt);
	return false;
}

void check_builtin(const struct check_env *e, struct check_list *l)
{
	size_t i;
	bool any = false;

	for (i = 0; i < e->ndevices; i++) {
		const char *dev = e->devices[i];
		char p[PATHLEN], drv[64], mod[64] = "", alias[256];

		dev_driver(e, dev, drv, sizeof(drv));
		if (!harmless_driver(drv)) {
			/* bound to a host driver: built in, or a module that won */
			if (!link_name(path(p, sizeof(p), e->root, "/sys/bus/pci/drivers/%s/module",
					    drv), mod, sizeof(mod)))
				snprintf(mod, sizeof(mod), "%s", drv);
			any = true;
			if (!exists(path(p, sizeof(p), e->root, "/sys/module/%s/initstate", mod))) {
				add(l, "builtin", CHECK_WARN,
				    "%s is held by %s, built into the kernel: it binds before ppt can load",
				    dev, drv);
				fix(l, "reserve it after boot (pptadm reserve --force %s), or use a kernel with %s as a module",
				    dev, mod);
			} else {
				add(l, "builtin", CHECK_WARN,
				    "%s is held by %s (module %s): it loaded before ppt", dev, drv, mod);
				fix(l, "install ppt's modprobe.d softdeps and initramfs hook (make install), add 'softdep %s pre: ppt' if it is not listed, update-initramfs -u",
				    mod);
			}
			continue;
		}
		if (dev_file(e, dev, "modalias", alias, sizeof(alias)) &&
		    builtin_for(e, alias, mod, sizeof(mod))) {
			any = true;
			add(l, "builtin", CHECK_WARN,
			    "%s: its host driver %s is built into the kernel: at boot it binds first", dev, mod);
			fix(l, "reserve it after boot (pptadm reserve --force %s), or use a kernel with %s as a module",
			    dev, mod);
		}
	}
	if (!e->ndevices)
		add(l, "builtin", CHECK_SKIP, "ppt manages no devices");
	else if (!any)
		add(l, "builtin", CHECK_PASS, "no device of ppt's has a host driver that is built in or loaded before ppt");
}

void check_all(const struct check_env *e, struct check_list *l)
{
	check_iommu(e, l);
	check_cmdline(e, l);
	check_intremap(e, l);
	check_vfio(e, l);
	check_module(e, l);
	check_secureboot(e, l);
	check_groups(e, l);
	check_acs(e, l);
	check_boot_vga(e, l);
	check_builtin(e, l);
	check_recycle(e, l);
	check_sanitise(e, l);
	check_baseline(e, l);
}

/*
 * A device the sanitiser policy names a sanitiser for keeps its tenant's
 * data through a reset: registers go back, not an NVMe's blocks or a GPU's
 * memory.  A module with sanitise agents has its clean ask the agent
 * (pptadm agent) to erase the device first, and leaves the device dirty
 * when no agent is registered: that stops the device from going back to
 * the pool, so it fails.  An older module's clean runs no sanitiser at
 * all: say what to run by hand, and when.
 */
void check_sanitise(const struct check_env *e, struct check_list *l)
{
	const char *more = e->nsanitised > 1 ? ", ..." : "";

	if (!e->nsanitised)
		return;
	switch (e->agent) {
	case CHECK_AGENT_RUNNING:
		add(l, "sanitise", CHECK_PASS,
		    "the sanitise agent (pid %u, %u request(s) pending) erases the %zu device(s) whose policy names a sanitiser: %s%s",
		    e->agent_pid, e->agent_pending, e->nsanitised, e->sanitised[0], more);
		return;
	case CHECK_AGENT_NONE:
		add(l, "sanitise", CHECK_FAIL,
		    "no sanitise agent is registered: the clean of %zu device(s) whose policy names a sanitiser leaves them dirty: %s%s",
		    e->nsanitised, e->sanitised[0], more);
		fix(l, "start the agent: systemctl enable --now ppt-agent (or run pptadm agent)");
		return;
	case CHECK_AGENT_UNKNOWN:
		add(l, "sanitise", CHECK_WARN,
		    "%zu device(s) need the sanitise agent, which the kernel could not be asked about (%s): %s%s",
		    e->nsanitised, e->agent_why ? e->agent_why : "unknown error", e->sanitised[0], more);
		fix(l, "pptadm agent status; start the agent with systemctl enable --now ppt-agent");
		return;
	case CHECK_AGENT_UNSUPPORTED:
		break;
	}
	add(l, "sanitise", CHECK_WARN,
	    "%zu device(s) keep a tenant's data through ppt's clean, which resets but runs no sanitiser: %s%s",
	    e->nsanitised, e->sanitised[0], more);
	fix(l, "run pptadm sanitise run DEVICE while the device is still assigned, after its tenant's VM stops and before unassign (or set the policy to none for data that may stay: pptadm sanitise set)");
}

/*
 * A recycled device's close is seen through runtime PM (ppt(4),
 * "Recycling assignments"): vfio-pci must let it suspend when no user has
 * it, which its disable_idle_d3 parameter and the device's power/control
 * "on" both stop.  The parameter is vfio_pci_core's since 5.15 (vfio_pci's
 * before); vfio-pci reads it when it binds a device.
 */
/*
 * The agent compares an NVMe controller after each tenant with the
 * baseline it keeps.  One with none kept gets its first at its first
 * erase, as its first tenant left it: what that tenant flashed, reformatted
 * or locked is then the reference.  pptadm reserve keeps one for a
 * controller it takes from the host's nvme driver; the agent inspects one
 * ppt claimed at boot (clean --inspect) for one.  A warning means the
 * agent has not run since, or the inspection failed.
 */
void check_baseline(const struct check_env *e, struct check_list *l)
{
	const char *more = e->nunbaselined > 1 ? ", ..." : "";

	if (!e->nnvme)
		return;
	if (!e->nunbaselined) {
		add(l, "baseline", CHECK_PASS,
		    "the %zu NVMe controller(s) the nvme sanitiser erases have a baseline kept to compare each tenant with",
		    e->nnvme);
		return;
	}
	add(l, "baseline", CHECK_WARN,
	    "%zu of %zu NVMe controller(s) have no baseline kept: what their next tenant changes (firmware, namespaces, formats, Opal locking) is not caught: %s%s",
	    e->nunbaselined, e->nnvme, e->unbaselined[0], more);
	fix(l, "inspect each for one before its first tenant: pptadm clean --inspect ADDRESS (the agent inspects such controllers as it starts; its log says why one failed)");
}

void check_recycle(const struct check_env *e, struct check_list *l)
{
	char p[PATHLEN], v[16];
	size_t i;
	int bad = 0;

	if (!e->nrecycled)
		return;
	if (read_line(path(p, sizeof(p), e->root,
			   "/sys/module/vfio_pci_core/parameters/disable_idle_d3"), v, sizeof(v)) ||
	    read_line(path(p, sizeof(p), e->root,
			   "/sys/module/vfio_pci/parameters/disable_idle_d3"), v, sizeof(v))) {
		if (!strcmp(v, "Y")) {
			bad++;
			add(l, "recycle", CHECK_FAIL,
			    "vfio-pci's disable_idle_d3 is on: the %zu recycled device(s) never runtime-suspend, so ppt never sees their VFIO users close them (%s%s)",
			    e->nrecycled, e->recycled[0], e->nrecycled > 1 ? ", ..." : "");
			fix(l, "set disable_idle_d3 off (options vfio_pci_core disable_idle_d3=0 in modprobe.d), then assign the devices again");
		}
	}
	for (i = 0; i < e->nrecycled; i++) {
		const char *dev = e->recycled[i];

		if (!read_line(path(p, sizeof(p), e->root,
				    "/sys/bus/pci/devices/%s/power/control", dev), v, sizeof(v)) ||
		    strcmp(v, "on"))
			continue;
		bad++;
		add(l, "recycle", CHECK_FAIL,
		    "%s is recycled, but its runtime PM is off (power/control \"on\"): ppt never sees its VFIO user close it",
		    dev);
		fix(l, "echo auto > /sys/bus/pci/devices/%s/power/control", dev);
	}
	if (!bad)
		add(l, "recycle", CHECK_PASS,
		    "%zu recycled device(s): runtime PM lets ppt see their VFIO users close them",
		    e->nrecycled);
}

int check_add_device(char ***devs, size_t *n, const char *addr)
{
	char **nd;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*devs)[i], addr))
			return 0;
	nd = realloc(*devs, (*n + 1) * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	*devs = nd;
	nd[*n] = strdup(addr);
	if (!nd[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

int check_sysfs_devices(const char *root, char ***devs, size_t *n)
{
	struct check_env e = { .root = root };
	char p[PATHLEN], drv[64], ov[64];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	d = opendir(path(p, sizeof(p), root, "/sys/bus/pci/devices"));
	while (d && !ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		dev_driver(&e, de->d_name, drv, sizeof(drv));
		if (!strcmp(drv, "ppt") ||
		    (dev_file(&e, de->d_name, "driver_override", ov, sizeof(ov)) &&
		     !strcmp(ov, "ppt")))
			ret = check_add_device(devs, n, de->d_name);
	}
	if (d)
		closedir(d);
	return ret;
}

char *check_kernel_log(void)
{
	int len = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf;

	if (len <= 0)
		return NULL;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return NULL;
	len = klogctl(3, buf, len);	/* SYSLOG_ACTION_READ_ALL */
	if (len < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static const char *const status_name[] = {
	[CHECK_PASS] = "PASS", [CHECK_INFO] = "INFO", [CHECK_SKIP] = "SKIP",
	[CHECK_WARN] = "WARN", [CHECK_FAIL] = "FAIL",
};

/* ... as JSON has them */
static const char *const status_key[] = {
	[CHECK_PASS] = "pass", [CHECK_INFO] = "info", [CHECK_SKIP] = "skip",
	[CHECK_WARN] = "warn", [CHECK_FAIL] = "fail",
};

const char *check_status_name(enum check_status s)
{
	return (unsigned int)s < sizeof(status_name) / sizeof(status_name[0]) ?
	       status_name[s] : "?";
}

/* Shown with -q: the problems. */
static bool problem(const struct check_result *r)
{
	return r->status == CHECK_WARN || r->status == CHECK_FAIL;
}

void check_print(FILE *f, enum out_format fmt, bool quiet, const struct check_list *l)
{
	/* the counts' keys, in this order */
	static const enum check_status counted[] = {
		CHECK_PASS, CHECK_WARN, CHECK_FAIL, CHECK_INFO, CHECK_SKIP,
	};
	struct json j;
	size_t i, k;

	if (out_is_json(fmt)) {
		out_json_init(&j, f, fmt);
		json_object_begin(&j);
		json_key(&j, "checks");
		json_array_begin(&j);
		for (i = 0; i < l->n; i++) {
			const struct check_result *r = &l->r[i];

			if (quiet && !problem(r))
				continue;
			json_object_begin(&j);
			json_kv_str(&j, "check", r->name);
			json_kv_str(&j, "status", status_key[r->status]);
			json_kv_str(&j, "message", r->msg);
			json_kv_str(&j, "fix", r->fix[0] ? r->fix : NULL);
			json_object_end(&j);
		}
		json_array_end(&j);
		for (k = 0; k < sizeof(counted) / sizeof(counted[0]); k++)
			json_kv_uint(&j, status_key[counted[k]], check_count(l, counted[k]));
		json_object_end(&j);
		return;
	}
	for (i = 0; i < l->n; i++) {
		const struct check_result *r = &l->r[i];

		if (quiet && !problem(r))
			continue;
		fprintf(f, "%s %-10s %s%s%s\n", status_name[r->status], r->name, r->msg,
			r->fix[0] ? "; fix: " : "", r->fix);
	}
}

size_t check_count(const struct check_list *l, enum check_status s)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->r[i].status == s;
	return n;
}

void check_list_free(struct check_list *l)
{
	free(l->r);
	memset(l, 0, sizeof(*l));
}
