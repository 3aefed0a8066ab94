/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-critical devices: a PCI function that backs a mounted filesystem or
 * swap, or a network interface that is up with addresses.  pptadm refuses to
 * reserve one (reserve, add) unless --force is given twice.  Every path is
 * read below a root directory ("" for the live system), so the unit tests
 * run on a fake /proc and /sys; interface addresses are passed in.
 */
#ifndef PPTADM_CRITICAL_H
#define PPTADM_CRITICAL_H

#include <stdbool.h>
#include <stddef.h>

struct critical_ifaddr {
	char ifname[32];
	char addr[64];		/* "10.0.2.15/24" */
};

struct critical_env {
	const char *root;
	const struct critical_ifaddr *ifaddrs;
	size_t nifaddrs;
};

/*
 * What host-critical use PCI function dev (0000:02:00.0) or a function
 * below it has: "eth0 (up, 10.0.2.15/24)", "nvme0n1p1 (mounted on /, ext4)",
 * "nvme0n1p2 (swap)", joined by "; ", into what.  Returns true if any.
 */
bool critical_find(const struct critical_env *e, const char *dev, char *what,
		   size_t len);

/*
 * The host's interface addresses (getifaddrs), IPv6 link-local ones left
 * out: a malloc()ed array.  Returns 0 or a negative errno.
 */
int critical_ifaddrs(struct critical_ifaddr **out, size_t *n);

#endif /* PPTADM_CRITICAL_H */
