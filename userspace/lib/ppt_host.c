// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: host use of a PCI function (see ppt_host.h).
 *
 * Network.  A NIC (an interface whose /sys/class/net/IF/device is the
 * function or below it) is in use when it, or an interface stacked on it,
 * is up (IFF_UP in /sys/class/net/X/flags) with an address other than an
 * IPv6 link-local one.  Bridges, bonds, teams, VLANs and macvlans all link
 * their lower devices to themselves as upper devices, so the walk follows
 * /sys/class/net/X/upper_* and master, recursively.  Open vSwitch is the
 * exception: a port's master is the datapath's own device (ovs-system),
 * while the bridges that carry addresses (br-ex, vmbr0) are separate
 * internal ports of the datapath, linked to nothing.  sysfs does not tell
 * an internal port from any other virtual interface (no DEVTYPE in its
 * uevent, no device link, no links to the datapath); ethtool's driver
 * name does: "openvswitch" (net/openvswitch/vport-internal_dev.c), and the
 * datapath's device is itself an internal port.  So when the walk meets a
 * virtual interface whose driver is "openvswitch", every internal port of
 * the host that is up with an address (or has such an interface stacked
 * on it) counts as carried by the NIC.  Approximation: every datapath is
 * taken as the NIC's (ovs-vswitchd keeps one, ovs-system, per host).
 *
 * Root over the network.  When / is NFS or CIFS (mountinfo's fstype nfs,
 * nfs4, cifs, smb3), or sits on a block device whose sysfs path, through
 * dm and md slaves, goes through an iSCSI session (.../sessionN/...) or an
 * NVMe-oF controller (/sys/class/nvme/nvmeN/transport tcp, rdma or fc),
 * each NIC found in use above also may carry the host's root filesystem,
 * and the message says so.  Approximation: which interface the traffic
 * takes (routes, iBFT, multipath) is not worked out; the verdict is the
 * network rule's, only the message adds the root.  A root whose source
 * names no block device (a ZFS dataset) is not traced to an iSCSI or
 * NVMe-oF disk; a Fibre Channel HBA's own disks are below it, so the disk
 * rules find those.  Interfaces in other network namespaces are not seen.
 *
 * Disks.  Every block device whose sysfs path is below the function (whole
 * disks and partitions) and every device stacked on those through
 * /sys/class/block/X/holders (dm, md, bcache) is in use when it is mounted
 * (mountinfo's major:minor, or for a filesystem with an anonymous device,
 * 0:N as btrfs shows, its source), is swap (/proc/swaps), has holders, or
 * an exclusive open of its node fails with EBUSY: the kernel's block
 * device claim that mounts, swap, md, dm, ZFS (vdev_disk) and btrfs's
 * other devices all take.  libmount parses mountinfo and swaps; libblkid
 * names what holds a device that only the open probe found (zfs_member
 * and its pool, btrfs, LVM2_member) and finds the node on the live system.
 * A whole disk one of whose partitions is in use is claimed by that use,
 * so it is not probed again.  Approximation: the probe is an open, for a
 * moment: a mount racing it fails with EBUSY.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include <blkid.h>
#include <libmount.h>

#include "ppt_host.h"

#define PATHLEN		4096
#define NAMELEN		(NAME_MAX + 1)
#define MAXDEPTH	8	/* interfaces or block devices stacked */
#define MAXSEEN		64
#define CHAINLEN	512

struct host {
	const struct ppt_host_env *env;
	const char *root;
	const char *addr;
	char *what;
	size_t len;
	const struct ppt_host_ifaddr *ifa;
	size_t nifa;
	struct ppt_host_ifaddr *own_ifa;
	bool ifa_read, ifa_ok;
	struct libmnt_table *mounts, *swaps;
	bool mounts_read, swaps_read;
	int root_net;		/* -1 not looked at yet, else 0 or 1 */
	char root_desc[256];
	int err;		/* the first reason it could not tell */
	char errmsg[512];
};

__attribute__((format(printf, 2, 3)))
static void append(struct host *h, const char *fmt, ...)
{
	size_t n = strlen(h->what);
	va_list ap;

	if (n && n + 2 < h->len) {
		memcpy(h->what + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	if (n < h->len)
		vsnprintf(h->what + n, h->len - n, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void note_err(struct host *h, int err, const char *fmt, ...)
{
	va_list ap;

	if (h->err)
		return;
	h->err = err;
	va_start(ap, fmt);
	vsnprintf(h->errmsg, sizeof(h->errmsg), fmt, ap);
	va_end(ap);
}

/* Read a one-line file into buf without its newline: 0 or a negative errno. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		err = ferror(f) ? -EIO : 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err;
}

/* Is name one of the components of path? */
static bool has_component(const char *path, const char *name)
{
	size_t n = strlen(name);
	const char *s = path;

	while ((s = strstr(s, name))) {
		if (s > path && s[-1] == '/' && (!s[n] || s[n] == '/'))
			return true;
		s += n;
	}
	return false;
}

/* Does the sysfs path p (a link or directory) resolve to the function or below? */
static bool below(struct host *h, const char *p)
{
	char real[PATH_MAX];

	return realpath(p, real) && has_component(real, h->addr);
}

static int skip_dot(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/*
 * The entries of a directory, sorted, in names[NAMELEN] (malloc()ed), or
 * those starting with prefix, the prefix dropped.  Returns the count, or a
 * negative errno.
 */
static int list_dir(const char *dir, const char *prefix, char (**names)[NAMELEN])
{
	struct dirent **de;
	size_t plen = prefix ? strlen(prefix) : 0;
	int n, i, k = 0;

	*names = NULL;
	n = scandir(dir, &de, skip_dot, alphasort);
	if (n < 0)
		return -errno;
	*names = calloc(n ? (size_t)n : 1, NAMELEN);
	for (i = 0; i < n; i++) {
		if (*names && (!prefix || !strncmp(de[i]->d_name, prefix, plen)))
			snprintf((*names)[k++], NAMELEN, "%s", de[i]->d_name + plen);
		free(de[i]);
	}
	free(de);
	return *names ? k : -ENOMEM;
}

/* ---- network ---- */

static bool ipv6_link_local(const char *addr)
{
	char a[64];
	struct in6_addr in6;

	snprintf(a, sizeof(a), "%s", addr);
	a[strcspn(a, "/%")] = '\0';
	return inet_pton(AF_INET6, a, &in6) == 1 && IN6_IS_ADDR_LINKLOCAL(&in6);
}

static bool load_ifaddrs(struct host *h)
{
	int err;

	if (h->ifa_read)
		return h->ifa_ok;
	h->ifa_read = true;
	if (h->env->ifaddrs) {
		h->ifa = h->env->ifaddrs;
		h->nifa = h->env->nifaddrs;
		return h->ifa_ok = true;
	}
	err = ppt_host_ifaddrs(&h->own_ifa, &h->nifa);
	if (err) {
		note_err(h, err, "cannot read the interface addresses: %s", strerror(-err));
		return false;
	}
	h->ifa = h->own_ifa;
	return h->ifa_ok = true;
}

/* The addresses of ifname but IPv6 link-local ones, ", "-joined into buf. */
static bool if_addrs(struct host *h, const char *ifname, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	if (!load_ifaddrs(h))
		return false;
	for (i = 0; i < h->nifa; i++) {
		if (strcmp(h->ifa[i].ifname, ifname) || ipv6_link_local(h->ifa[i].addr))
			continue;
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", h->ifa[i].addr);
	}
	return buf[0] != '\0';
}

static bool if_up(struct host *h, const char *ifname)
{
	char p[PATHLEN], v[32];

	snprintf(p, sizeof(p), "%s/sys/class/net/%s/flags", h->root, ifname);
	return !read_line(p, v, sizeof(v)) && (strtoul(v, NULL, 16) & IFF_UP);
}

static int ethtool_driver(const char *ifname, char *driver, size_t len, void *arg)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr;
	int fd, err = 0;

	(void)arg;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (char *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		err = -errno;
	else
		snprintf(driver, len, "%.*s", (int)sizeof(info.driver), info.driver);
	close(fd);
	return err;
}

/* An Open vSwitch internal port: virtual, and ethtool's driver "openvswitch". */
static bool if_ovs(struct host *h, const char *ifname)
{
	int (*drv)(const char *, char *, size_t, void *) = h->env->if_driver ?
		h->env->if_driver : ethtool_driver;
	char p[PATHLEN], driver[64] = "";
	struct stat st;

	snprintf(p, sizeof(p), "%s/sys/class/net/%s/device", h->root, ifname);
	if (!lstat(p, &st))
		return false;
	return !drv(ifname, driver, sizeof(driver), h->env->if_driver_arg) &&
	       !strcmp(driver, "openvswitch");
}

/* The interfaces stacked directly on ifname: upper_* links and master. */
static int if_uppers(struct host *h, const char *ifname, char (**names)[NAMELEN])
{
	char p[PATHLEN], t[PATHLEN], (*nn)[NAMELEN];
	const char *m;
	ssize_t l;
	int n, i;

	snprintf(p, sizeof(p), "%s/sys/class/net/%s", h->root, ifname);
	n = list_dir(p, "upper_", names);
	if (n < 0)
		return 0;
	snprintf(p, sizeof(p), "%s/sys/class/net/%s/master", h->root, ifname);
	l = readlink(p, t, sizeof(t) - 1);
	if (l <= 0)
		return n;
	t[l] = '\0';
	m = strrchr(t, '/') ? strrchr(t, '/') + 1 : t;
	for (i = 0; i < n; i++)
		if (!strcmp((*names)[i], m))
			return n;
	nn = realloc(*names, ((size_t)n + 1) * NAMELEN);
	if (!nn)
		return n;
	*names = nn;
	snprintf(nn[n], NAMELEN, "%.*s", NAMELEN - 1, m);
	return n + 1;
}

/* One walk up from a NIC, or from an Open vSwitch internal port. */
struct walk {
	const char *nic;
	const char *start;	/* nic, or the internal port walked from */
	const char *dp;		/* the Open vSwitch datapath the NIC is a port of */
	const char *dp_via;	/* interfaces between the NIC and dp */
	char seen[MAXSEEN][NAMELEN];
	size_t nseen;
	bool found;
};

static void ovs_ports(struct host *h, struct walk *w, const char *via, const char *dp);

/*
 * Visit ifname, reached from w->start through via (" → "-joined, "" when
 * ifname is w->start), then what is stacked on it.
 */
static void visit(struct host *h, struct walk *w, const char *ifname, const char *via,
		  int depth)
{
	char chain[CHAINLEN] = "", addrs[512], (*up)[NAMELEN];
	size_t i;
	int n;

	if (depth > MAXDEPTH || w->nseen == MAXSEEN)
		return;
	for (i = 0; i < w->nseen; i++)
		if (!strcmp(w->seen[i], ifname))
			return;
	snprintf(w->seen[w->nseen++], NAMELEN, "%s", ifname);
	if (depth)
		snprintf(chain, sizeof(chain), "%s%s%s", via, *via ? " → " : "", ifname);
	if (!w->dp && depth && if_ovs(h, ifname)) {
		ovs_ports(h, w, via, ifname);
		return;
	}
	if (if_up(h, ifname) && if_addrs(h, ifname, addrs, sizeof(addrs))) {
		w->found = true;
		if (!w->dp)
			append(h, "%s (%s%sup, %s)", w->nic, chain, *chain ? ", " : "", addrs);
		else
			append(h, "%s%s%s%s is a port of Open vSwitch datapath %s, whose %s%s%s is up with %s",
			       w->nic, *w->dp_via ? " (through " : "", w->dp_via, *w->dp_via ? ")" : "",
			       w->dp, w->start, *chain ? " → " : "", chain, addrs);
	}
	n = if_uppers(h, ifname, &up);
	for (i = 0; i < (size_t)n; i++)
		visit(h, w, up[i], chain, depth + 1);
	free(up);
}

/* The NIC of w is a port of datapath dp: walk up from every internal port. */
static void ovs_ports(struct host *h, struct walk *w, const char *via, const char *dp)
{
	char p[PATHLEN], (*names)[NAMELEN];
	struct walk *pw;
	int n, i;

	snprintf(p, sizeof(p), "%s/sys/class/net", h->root);
	n = list_dir(p, NULL, &names);
	pw = malloc(sizeof(*pw));
	for (i = 0; pw && i < n; i++) {
		if (!if_ovs(h, names[i]))
			continue;
		memset(pw, 0, sizeof(*pw));
		pw->nic = w->nic;
		pw->start = names[i];
		pw->dp = dp;
		pw->dp_via = via;
		visit(h, pw, names[i], "", 0);
		w->found |= pw->found;
	}
	if (!pw && n >= 0)
		note_err(h, -ENOMEM, "out of memory");
	free(pw);
	free(names);
}

/* ---- mounts, swap, the root filesystem ---- */

static struct libmnt_table *load_table(struct host *h, const char *rel, bool swaps)
{
	struct libmnt_table *tb = mnt_new_table();
	char p[PATHLEN];
	int err;

	snprintf(p, sizeof(p), "%s%s", h->root, rel);
	if (!tb) {
		note_err(h, -ENOMEM, "out of memory");
		return NULL;
	}
	err = swaps ? mnt_table_parse_swaps(tb, p) : mnt_table_parse_file(tb, p);
	if (err) {
		mnt_unref_table(tb);
		/* a kernel without swap support has no /proc/swaps */
		if (!(swaps && err == -ENOENT))
			note_err(h, err < 0 ? err : -EIO, "cannot read %s: %s", p,
				 strerror(err < 0 ? -err : EIO));
		return NULL;
	}
	return tb;
}

static struct libmnt_table *mounts(struct host *h)
{
	if (!h->mounts_read) {
		h->mounts_read = true;
		h->mounts = load_table(h, "/proc/self/mountinfo", false);
	}
	return h->mounts;
}

static struct libmnt_table *swaps(struct host *h)
{
	if (!h->swaps_read) {
		h->swaps_read = true;
		h->swaps = load_table(h, "/proc/swaps", true);
	}
	return h->swaps;
}

/*
 * The sysfs directory (below root) of the block device a mount's source
 * names when its device number does not (0:N): /dev/NAME by name first, so
 * a fake tree needs no device nodes, then the node's device number.
 */
static bool src_dir(struct host *h, const char *src, char *out, size_t len)
{
	char p[PATHLEN];
	struct stat st;

	if (!src || strncmp(src, "/dev/", 5))
		return false;
	snprintf(out, len, "%s/sys/class/block/%s", h->root, src + 5);
	if (!stat(out, &st))
		return true;
	snprintf(p, sizeof(p), "%s%s", h->root, src);
	if (stat(p, &st) || !S_ISBLK(st.st_mode))
		return false;
	snprintf(out, len, "%s/sys/dev/block/%u:%u", h->root, major(st.st_rdev),
		 minor(st.st_rdev));
	return true;
}

/* Is s prefix followed by a number and nothing else ("session3", "nvme0")? */
static bool numbered(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(s, prefix, n) && s[n] && strspn(s + n, "0123456789") == strlen(s + n);
}

/* Is NVMe controller ctrl (nvmeN) reached over a network?  "NVMe over tcp, nvme1". */
static bool nvme_fabric(struct host *h, const char *ctrl, char *out, size_t len)
{
	char p[PATHLEN], v[32];

	snprintf(p, sizeof(p), "%s/sys/class/nvme/%s/transport", h->root, ctrl);
	if (read_line(p, v, sizeof(v)) ||
	    (strcmp(v, "tcp") && strcmp(v, "rdma") && strcmp(v, "fc")))
		return false;
	snprintf(out, len, "NVMe over %s, %s", v, ctrl);
	return true;
}

/*
 * The network transport of the block device at sysfs directory dir, or of
 * its slaves': an iSCSI session or an NVMe-oF controller in its sysfs path
 * (.../sessionN/..., .../nvmeN/..., or a multipath namespace's
 * .../nvme-subsysN/..., whose controllers the subsystem lists).
 */
static bool block_transport(struct host *h, const char *dir, char *out, size_t len, int depth)
{
	char real[PATH_MAX], p[PATH_MAX + 16], *c, *save = NULL, (*names)[NAMELEN];
	bool found = false;
	int n, i;

	if (depth > MAXDEPTH || !realpath(dir, real))
		return false;
	snprintf(p, sizeof(p), "%s", real);
	for (c = strtok_r(p, "/", &save); c && !found; c = strtok_r(NULL, "/", &save)) {
		if (numbered(c, "session")) {
			snprintf(out, len, "iSCSI, %s", strrchr(real, '/') + 1);
			return true;
		}
		if (numbered(c, "nvme"))
			found = nvme_fabric(h, c, out, len);
		if (numbered(c, "nvme-subsys")) {
			char sd[PATHLEN];

			snprintf(sd, sizeof(sd), "%s/sys/class/nvme-subsystem/%s", h->root, c);
			n = list_dir(sd, NULL, &names);
			for (i = 0; i < n && !found; i++)
				found = numbered(names[i], "nvme") &&
					nvme_fabric(h, names[i], out, len);
			if (n >= 0)
				free(names);
		}
	}
	if (found)
		return true;
	snprintf(p, sizeof(p), "%s/slaves", real);
	n = list_dir(p, NULL, &names);
	for (i = 0; i < n && !found; i++) {
		snprintf(p, sizeof(p), "%s/sys/class/block/%s", h->root, names[i]);
		found = block_transport(h, p, out, len, depth + 1);
	}
	if (n >= 0)
		free(names);
	return found;
}

/* Is the host's root filesystem reached over the network?  Says how in h->root_desc. */
static bool root_over_network(struct host *h)
{
	static const char *const netfs[] = { "nfs", "nfs4", "cifs", "smb3" };
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	const char *type, *src;
	char dir[PATHLEN], how[128];
	dev_t devno;
	size_t i;

	if (h->root_net >= 0)
		return h->root_net;
	h->root_net = 0;
	tb = mounts(h);
	fs = tb ? mnt_table_find_target(tb, "/", MNT_ITER_BACKWARD) : NULL;
	if (!fs)
		return false;
	type = mnt_fs_get_fstype(fs) ? mnt_fs_get_fstype(fs) : "?";
	src = mnt_fs_get_source(fs) ? mnt_fs_get_source(fs) : "?";
	for (i = 0; i < sizeof(netfs) / sizeof(netfs[0]); i++) {
		if (!strcmp(type, netfs[i])) {
			snprintf(h->root_desc, sizeof(h->root_desc), "%s from %s", type, src);
			h->root_net = 1;
			return true;
		}
	}
	devno = mnt_fs_get_devno(fs);
	if (major(devno))
		snprintf(dir, sizeof(dir), "%s/sys/dev/block/%u:%u", h->root, major(devno),
			 minor(devno));
	else if (!src_dir(h, mnt_fs_get_srcpath(fs), dir, sizeof(dir)))
		return false;
	if (!block_transport(h, dir, how, sizeof(how), 0))
		return false;
	snprintf(h->root_desc, sizeof(h->root_desc), "%s on %s", type, how);
	h->root_net = 1;
	return true;
}

static void net_uses(struct host *h)
{
	char p[PATHLEN], (*names)[NAMELEN];
	struct walk *w = malloc(sizeof(*w));
	int n, i;

	snprintf(p, sizeof(p), "%s/sys/class/net", h->root);
	n = list_dir(p, NULL, &names);
	if (n < 0 || !w) {
		note_err(h, n < 0 ? n : -ENOMEM, "cannot read %s: %s", p,
			 strerror(n < 0 ? -n : ENOMEM));
		free(w);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/sys/class/net/%s/device", h->root, names[i]);
		if (!below(h, p))
			continue;
		memset(w, 0, sizeof(*w));
		w->nic = w->start = names[i];
		visit(h, w, names[i], "", 0);
		if (w->found && if_up(h, names[i]) && root_over_network(h))
			append(h, "%s may carry the host's root filesystem (%s)", names[i],
			       h->root_desc);
	}
	free(w);
	free(names);
}

/* ---- disks ---- */

struct bdev {
	char name[NAMELEN];
	char disk[NAMELEN];	/* a partition's whole disk, else "" */
	dev_t devno;
	char use[512];		/* what holds it, "" when nothing */
};

struct bdevs {
	struct bdev *d;
	size_t n, cap;
};

static int bdev_add(struct host *h, struct bdevs *l, const char *name)
{
	char p[PATHLEN], real[PATH_MAX], v[32];
	unsigned int ma, mi;
	struct bdev *b;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->d[i].name, name))
			return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;

		b = realloc(l->d, cap * sizeof(*b));
		if (!b)
			return -ENOMEM;
		l->d = b;
		l->cap = cap;
	}
	b = &l->d[l->n++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(p, sizeof(p), "%s/sys/class/block/%s/dev", h->root, name);
	if (!read_line(p, v, sizeof(v)) && sscanf(v, "%u:%u", &ma, &mi) == 2)
		b->devno = makedev(ma, mi);
	snprintf(p, sizeof(p), "%s/sys/class/block/%s/partition", h->root, name);
	if (!access(p, F_OK)) {
		snprintf(p, sizeof(p), "%s/sys/class/block/%s/..", h->root, name);
		if (realpath(p, real))
			snprintf(b->disk, sizeof(b->disk), "%s", strrchr(real, '/') + 1);
	}
	return 0;
}

/* Does a mount's or a swap area's source name block device b? */
static bool src_is(struct host *h, const char *src, const struct bdev *b)
{
	char p[PATHLEN], v[NAMELEN];
	struct stat st;

	if (!src || strncmp(src, "/dev/", 5))
		return false;
	if (!strcmp(src + 5, b->name))
		return true;
	if (!strncmp(src, "/dev/mapper/", 12)) {
		snprintf(p, sizeof(p), "%s/sys/class/block/%s/dm/name", h->root, b->name);
		if (!read_line(p, v, sizeof(v)) && !strcmp(v, src + 12))
			return true;
	}
	snprintf(p, sizeof(p), "%s%s", h->root, src);
	return b->devno && !stat(p, &st) && S_ISBLK(st.st_mode) && st.st_rdev == b->devno;
}

__attribute__((format(printf, 2, 3)))
static void use_add(struct bdev *b, const char *fmt, ...)
{
	size_t n = strlen(b->use);
	va_list ap;

	if (n && n + 2 < sizeof(b->use)) {
		memcpy(b->use + n, ", ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	if (n < sizeof(b->use))
		vsnprintf(b->use + n, sizeof(b->use) - n, fmt, ap);
	va_end(ap);
}

/* Mounted, swap, held by stacked devices: what sysfs and /proc show. */
static void bdev_known_uses(struct host *h, struct bdev *b)
{
	struct libmnt_table *tb;
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	char p[PATHLEN], (*names)[NAMELEN];
	int n, i;

	if (!it) {
		note_err(h, -ENOMEM, "out of memory");
		return;
	}
	tb = mounts(h);
	while (tb && !mnt_table_next_fs(tb, it, &fs)) {
		dev_t d = mnt_fs_get_devno(fs);

		if ((b->devno && d == b->devno) ||
		    (!major(d) && src_is(h, mnt_fs_get_srcpath(fs), b))) {
			use_add(b, "mounted on %s, %s", mnt_fs_get_target(fs),
				mnt_fs_get_fstype(fs) ? mnt_fs_get_fstype(fs) : "?");
			break;	/* the first; bind mounts repeat it */
		}
	}
	mnt_reset_iter(it, MNT_ITER_FORWARD);
	tb = swaps(h);
	while (tb && !mnt_table_next_fs(tb, it, &fs)) {
		const char *src = mnt_fs_get_srcpath(fs), *type = mnt_fs_get_swaptype(fs);
		struct stat st;

		if (type && !strcmp(type, "file")) {
			snprintf(p, sizeof(p), "%s%s", h->root, src ? src : "");
			if (src && b->devno && !stat(p, &st) && st.st_dev == b->devno)
				use_add(b, "swap file %s", src);
		} else if (src_is(h, src, b)) {
			use_add(b, "swap");
		}
	}
	mnt_free_iter(it);
	snprintf(p, sizeof(p), "%s/sys/class/block/%s/holders", h->root, b->name);
	n = list_dir(p, NULL, &names);
	for (i = 0; i < n; i++)
		use_add(b, "%s%s", i ? "" : "held by ", names[i]);
	if (n >= 0)
		free(names);
}

static int open_probe(const char *devnode, void *arg)
{
	int fd = open(devnode, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK);

	(void)arg;
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EBUSY)
		return 1;
	if (errno == ENOMEDIUM)
		return 0;	/* an empty card reader holds nothing */
	return -errno;
}

/* Say what holds a device only the open probe found held: libblkid's TYPE. */
static void held_by(struct bdev *b, const char *devnode)
{
	blkid_probe pr = blkid_new_probe_from_filename(devnode);
	const char *type = NULL, *label = NULL;

	if (pr) {
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL);
		if (blkid_do_safeprobe(pr) == 0 &&
		    !blkid_probe_lookup_value(pr, "TYPE", &type, NULL))
			blkid_probe_lookup_value(pr, "LABEL", &label, NULL);
	}
	if (type && label && !strcmp(type, "zfs_member"))
		use_add(b, "held: %s, pool %s", type, label);
	else if (type)
		use_add(b, "held: %s", type);
	else
		use_add(b, "held");
	if (pr)
		blkid_free_probe(pr);
}

static void bdev_probe(struct host *h, struct bdev *b)
{
	int (*probe)(const char *, void *) = h->env->busy_probe ? h->env->busy_probe : open_probe;
	char node[PATHLEN], *live = NULL;
	int r;

	if (!h->root[0] && b->devno)
		live = blkid_devno_to_devname(b->devno);
	if (live)
		snprintf(node, sizeof(node), "%s", live);
	else
		snprintf(node, sizeof(node), "%s/dev/%s", h->root, b->name);
	free(live);
	r = probe(node, h->env->busy_arg);
	if (r > 0)
		held_by(b, node);
	else if (r < 0)
		note_err(h, r, "cannot tell whether %s is in use: %s: %s", b->name, node,
			 strerror(-r));
}

static void block_uses(struct host *h)
{
	struct bdevs l = { 0 };
	char p[PATHLEN], (*names)[NAMELEN];
	size_t i, j;
	int n, k, err = 0;

	snprintf(p, sizeof(p), "%s/sys/class/block", h->root);
	n = list_dir(p, NULL, &names);
	if (n < 0) {
		note_err(h, n, "cannot read %s: %s", p, strerror(-n));
		return;
	}
	for (k = 0; k < n && !err; k++) {
		snprintf(p, sizeof(p), "%s/sys/class/block/%s", h->root, names[k]);
		if (below(h, p))
			err = bdev_add(h, &l, names[k]);
	}
	free(names);
	/* the devices stacked on them (the list grows as it is walked) */
	for (i = 0; i < l.n && !err; i++) {
		snprintf(p, sizeof(p), "%s/sys/class/block/%s/holders", h->root, l.d[i].name);
		n = list_dir(p, NULL, &names);
		for (k = 0; k < n && !err; k++)
			err = bdev_add(h, &l, names[k]);
		if (n >= 0)
			free(names);
	}
	if (err)
		note_err(h, err, "out of memory");
	for (i = 0; i < l.n; i++)
		bdev_known_uses(h, &l.d[i]);
	/* the probe: partitions and stacked devices, then whole disks */
	for (i = 0; i < l.n; i++)
		if (!l.d[i].use[0] && l.d[i].disk[0])
			bdev_probe(h, &l.d[i]);
	for (i = 0; i < l.n; i++) {
		bool part_used = false;

		for (j = 0; j < l.n; j++)
			part_used |= !strcmp(l.d[j].disk, l.d[i].name) && l.d[j].use[0];
		if (!l.d[i].use[0] && !l.d[i].disk[0] && !part_used)
			bdev_probe(h, &l.d[i]);
	}
	for (i = 0; i < l.n; i++)
		if (l.d[i].use[0])
			append(h, "%s (%s)", l.d[i].name, l.d[i].use);
	free(l.d);
}

/* ---- ppt_host_use ---- */

int ppt_host_use(const struct ppt_host_env *env, const char *addr, char *what, size_t len)
{
	struct host h = {
		.env = env, .root = env->root ? env->root : "", .addr = addr,
		.what = what, .len = len, .root_net = -1,
	};
	static const char *const dirs[] = { "/sys/class/net", "/sys/class/block" };
	char p[PATHLEN];
	size_t i;
	int ret;

	if (!len)
		return -EINVAL;
	what[0] = '\0';
	if (!addr || !addr[0] || strchr(addr, '/')) {
		snprintf(what, len, "not a PCI address: \"%s\"", addr ? addr : "");
		return -EINVAL;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", h.root, dirs[i]);
		if (access(p, R_OK | X_OK)) {
			ret = -errno;
			snprintf(what, len, "cannot read %s: %s", p, strerror(-ret));
			return ret;
		}
	}
	net_uses(&h);
	block_uses(&h);
	mnt_unref_table(h.mounts);
	mnt_unref_table(h.swaps);
	free(h.own_ifa);
	if (what[0])
		return 1;
	if (h.err) {
		snprintf(what, len, "%s", h.errmsg);
		return h.err;
	}
	return 0;
}

int ppt_host_ifaddrs(struct ppt_host_ifaddr **out, size_t *n)
{
	struct ifaddrs *ifa, *i;
	struct ppt_host_ifaddr *a = NULL, *na;
	size_t cnt = 0;

	*out = NULL;
	*n = 0;
	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		char buf[INET6_ADDRSTRLEN];
		const unsigned char *m = NULL;
		const void *ad;
		int fam, prefix = 0;
		size_t k, mlen;

		if (!i->ifa_addr)
			continue;
		fam = i->ifa_addr->sa_family;
		if (fam == AF_INET) {
			ad = &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
			if (i->ifa_netmask)
				m = (const unsigned char *)
					&((struct sockaddr_in *)(void *)i->ifa_netmask)->sin_addr;
			mlen = 4;
		} else if (fam == AF_INET6) {
			const struct in6_addr *a6 =
				&((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;

			if (IN6_IS_ADDR_LINKLOCAL(a6))
				continue;	/* every interface that is up has one */
			ad = a6;
			if (i->ifa_netmask)
				m = ((struct sockaddr_in6 *)(void *)i->ifa_netmask)->sin6_addr.s6_addr;
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
		/* an IPv4 address's label ("eth0:1") names its interface before the ':' */
		snprintf(a[cnt].ifname, sizeof(a[cnt].ifname), "%.*s",
			 (int)strcspn(i->ifa_name, ":"), i->ifa_name);
		snprintf(a[cnt].addr, sizeof(a[cnt].addr), "%s/%d", buf, prefix);
		cnt++;
	}
	freeifaddrs(ifa);
	*out = a;
	*n = cnt;
	return 0;
}
