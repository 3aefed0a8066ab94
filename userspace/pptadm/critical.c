// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-critical devices (see critical.h): mounts and swap are traced from
 * their block device (/proc/self/mountinfo's major:minor, /proc/swaps'
 * device) through /sys/dev/block to the PCI functions in its sysfs path,
 * through the slaves of stacked devices (dm, md); network interfaces from
 * /sys/class/net/IF/device.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "critical.h"

#define PATHLEN 4096

static void append(char *what, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *what, size_t len, const char *fmt, ...)
{
	size_t n = strlen(what);
	va_list ap;

	if (n && n + 2 < len) {
		memcpy(what + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	if (n < len)
		vsnprintf(what + n, len - n, fmt, ap);
	va_end(ap);
}

/* Is dev one of the components of a sysfs path (the device or above it)? */
static bool path_has_dev(const char *sysfs, const char *dev)
{
	size_t n = strlen(dev);
	const char *s = sysfs;

	while ((s = strstr(s, dev))) {
		if (s > sysfs && s[-1] == '/' && (!s[n] || s[n] == '/'))
			return true;
		s += n;
	}
	return false;
}

/*
 * Does the block device at sysfs directory dir (a path below root) sit on
 * dev, itself or through its slaves?
 */
static bool block_on(const char *root, const char *dir, const char *dev, int depth)
{
	char real[PATHLEN], p[PATHLEN + 16];
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (depth > 8 || !realpath(dir, real))
		return false;
	if (path_has_dev(real, dev))
		return true;
	snprintf(p, sizeof(p), "%s/slaves", real);
	d = opendir(p);
	while (d && !found && (de = readdir(d))) {
		char sp[PATHLEN];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sp, sizeof(sp), "%s/sys/class/block/%s", root, de->d_name);
		found = block_on(root, sp, dev, depth + 1);
	}
	if (d)
		closedir(d);
	return found;
}

/* The sysfs directory of the block device a source names (a path below root). */
static bool block_dir(const char *root, const char *src, unsigned int maj,
		      unsigned int min, char *out, size_t len)
{
	struct stat st;
	char p[PATHLEN];

	if (maj) {
		snprintf(out, len, "%s/sys/dev/block/%u:%u", root, maj, min);
		return true;
	}
	if (strncmp(src, "/dev/", 5))
		return false;
	/* /dev/NAME: by name first, so a fake tree needs no device nodes */
	snprintf(out, len, "%s/sys/class/block/%s", root, src + 5);
	if (!stat(out, &st))
		return true;
	snprintf(p, sizeof(p), "%s%s", root, src);
	if (stat(p, &st) || !S_ISBLK(st.st_mode))
		return false;
	snprintf(out, len, "%s/sys/dev/block/%u:%u", root, major(st.st_rdev), minor(st.st_rdev));
	return true;
}

static void find_mounts(const struct critical_env *e, const char *dev, char *what, size_t len)
{
	char p[PATHLEN], line[PATHLEN], dir[PATHLEN];
	FILE *f;

	snprintf(p, sizeof(p), "%s/proc/self/mountinfo", e->root);
	f = fopen(p, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char mnt[1024], fstype[64], src[1024], *sep;
		unsigned int maj, min;

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE ... */
		if (sscanf(line, "%*u %*u %u:%u %*s %1023s", &maj, &min, mnt) != 3)
			continue;
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%63s %1023s", fstype, src) != 2)
			continue;
		if (!block_dir(e->root, src, maj, min, dir, sizeof(dir)) ||
		    !block_on(e->root, dir, dev, 0))
			continue;
		{
			char real[PATHLEN];
			const char *name = realpath(dir, real) ? strrchr(real, '/') + 1 : src;

			append(what, len, "%s (mounted on %s, %s)", name, mnt, fstype);
		}
	}
	if (f)
		fclose(f);
}

static void find_swaps(const struct critical_env *e, const char *dev, char *what, size_t len)
{
	char p[PATHLEN], line[PATHLEN], dir[PATHLEN], real[PATHLEN];
	FILE *f;

	snprintf(p, sizeof(p), "%s/proc/swaps", e->root);
	f = fopen(p, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char name[1024];
		struct stat st;
		bool found;

		if (sscanf(line, "%1023s", name) != 1 || !strcmp(name, "Filename"))
			continue;
		found = block_dir(e->root, name, 0, 0, dir, sizeof(dir));
		if (!found) {
			/* a swap file: the filesystem it lives on */
			snprintf(p, sizeof(p), "%s%s", e->root, name);
			if (stat(p, &st))
				continue;
			snprintf(dir, sizeof(dir), "%s/sys/dev/block/%u:%u", e->root,
				 major(st.st_dev), minor(st.st_dev));
		}
		if (block_on(e->root, dir, dev, 0))
			append(what, len, "%s (swap%s%s)",
			       found && realpath(dir, real) ? strrchr(real, '/') + 1 : name,
			       found ? "" : " file on ", found ? "" :
			       (realpath(dir, real) ? strrchr(real, '/') + 1 : "?"));
	}
	if (f)
		fclose(f);
}

static void find_netdevs(const struct critical_env *e, const char *dev, char *what, size_t len)
{
	char p[PATHLEN], real[PATHLEN], v[64];
	struct dirent *de;
	DIR *d;

	snprintf(p, sizeof(p), "%s/sys/class/net", e->root);
	d = opendir(p);
	while (d && (de = readdir(d))) {
		char addrs[512] = "";
		unsigned long flags = 0;
		FILE *f;
		size_t i;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/sys/class/net/%s/device", e->root, de->d_name);
		if (!realpath(p, real) || !path_has_dev(real, dev))
			continue;
		snprintf(p, sizeof(p), "%s/sys/class/net/%s/flags", e->root, de->d_name);
		f = fopen(p, "r");
		if (f) {
			if (fgets(v, sizeof(v), f))
				flags = strtoul(v, NULL, 16);
			fclose(f);
		}
		if (!(flags & IFF_UP))
			continue;
		for (i = 0; i < e->nifaddrs; i++)
			if (!strcmp(e->ifaddrs[i].ifname, de->d_name))
				snprintf(addrs + strlen(addrs), sizeof(addrs) - strlen(addrs),
					 ", %s", e->ifaddrs[i].addr);
		if (addrs[0])
			append(what, len, "%s (up%s)", de->d_name, addrs);
	}
	if (d)
		closedir(d);
}

bool critical_find(const struct critical_env *e, const char *dev, char *what, size_t len)
{
	if (!len)
		return false;
	what[0] = '\0';
	find_netdevs(e, dev, what, len);
	find_mounts(e, dev, what, len);
	find_swaps(e, dev, what, len);
	return what[0] != '\0';
}

int critical_ifaddrs(struct critical_ifaddr **out, size_t *n)
{
	struct ifaddrs *ifa, *i;
	struct critical_ifaddr *a = NULL, *na;
	size_t cnt = 0;

	*out = NULL;
	*n = 0;
	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		char buf[INET6_ADDRSTRLEN];
		const void *ad;
		int fam, prefix = 0;
		const unsigned char *m;
		size_t k, mlen;

		if (!i->ifa_addr)
			continue;
		fam = i->ifa_addr->sa_family;
		if (fam == AF_INET) {
			ad = &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
			m = i->ifa_netmask ? (const unsigned char *)
				&((struct sockaddr_in *)(void *)i->ifa_netmask)->sin_addr : NULL;
			mlen = 4;
		} else if (fam == AF_INET6) {
			const struct in6_addr *a6 = &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;

			if (IN6_IS_ADDR_LINKLOCAL(a6))
				continue;	/* every interface that is up has one */
			ad = a6;
			m = i->ifa_netmask ? ((struct sockaddr_in6 *)(void *)i->ifa_netmask)->sin6_addr.s6_addr
				: NULL;
			mlen = 16;
		} else {
			continue;
		}
		for (k = 0; m && k < mlen; k++)
			prefix += __builtin_popcount(m[k]);
		if (!inet_ntop(fam, ad, buf, sizeof(buf)))
			continue;
		na = realloc(a, (cnt + 1) * sizeof(*a));
		if (!na) {
			free(a);
			freeifaddrs(ifa);
			return -ENOMEM;
		}
		a = na;
		snprintf(a[cnt].ifname, sizeof(a[cnt].ifname), "%s", i->ifa_name);
		snprintf(a[cnt].addr, sizeof(a[cnt].addr), "%s/%d", buf, prefix);
		cnt++;
	}
	freeifaddrs(ifa);
	*out = a;
	*n = cnt;
	return 0;
}
