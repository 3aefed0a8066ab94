/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VFIO nodes assign --user and run --user give to a user: a device's
 * IOMMU group node /dev/vfio/N and its iommufd cdev /dev/vfio/devices/vfioN,
 * who they belonged to, and giving them back (run, when its devices go
 * back to ppt).  Paths are read below a root ("" for /) so that tests can
 * use a fake tree.
 */
#ifndef PPTADM_VFIO_NODES_H
#define PPTADM_VFIO_NODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libppt.h"

#define VFIO_NODE_PATH	256
#define VFIO_MAX_NODES	2

/* --user: the user's ids and name (for its groups). */
struct vfio_user {
	uid_t uid;
	gid_t gid;
	char name[256];
	bool named;		/* in the user database: it has groups */
};

/*
 * Look a user up by name, or by number; a number the database does not
 * know is taken as user and group N, without supplementary groups.
 * Returns 0 or -ENOENT.
 */
int vfio_user_lookup(const char *user, struct vfio_user *u);

/*
 * The VFIO nodes of a device: its group's /dev/vfio/GROUP and, when
 * vfio-pci made one, its iommufd cdev /dev/vfio/devices/vfioN (named by
 * ROOT/sys/bus/pci/devices/ADDR/vfio-dev/vfioN).  Only nodes that exist
 * are returned (with root in front).  Returns how many.
 */
size_t vfio_nodes_of(const char *root, const char *addr, int64_t group,
		     char nodes[VFIO_MAX_NODES][VFIO_NODE_PATH]);

/* A node given to a user, and whose it was. */
struct vfio_node {
	char path[VFIO_NODE_PATH];
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	ino_t ino;
};

/*
 * chown path to uid:gid, recording in *saved whose it was.  Returns 0 or
 * a negative errno.
 */
int vfio_node_give(const char *path, uid_t uid, gid_t gid,
		   struct vfio_node *saved);

/*
 * Give a node back to whom it was, if it is still the same node (its
 * device number and inode): vfio-pci removes the node when the device
 * leaves it, and a new one is not ours to change.
 */
void vfio_node_restore(const struct vfio_node *saved);

/* The nodes given so far, each once. */
struct vfio_given {
	struct vfio_node *v;
	size_t n, cap;
};

bool vfio_given_has(const struct vfio_given *g, const char *path);

/*
 * Give path to u unless it was given already.  Returns 0 or a negative
 * errno (-ENOMEM, or chown's).
 */
int vfio_given_add(struct vfio_given *g, const char *path,
		   const struct vfio_user *u);

/* Give every node back (vfio_node_restore()); g is empty afterwards. */
void vfio_given_restore(struct vfio_given *g);

void vfio_given_free(struct vfio_given *g);

struct ctx;

/*
 * Give the VFIO nodes of a device's IOMMU group to c's --user: the group's
 * node and the cdev of every function of the group ppt holds.  addrs, when
 * given, are the devices to look at (run's); else the kernel is asked for
 * the group's members.  Returns 0, or -1 when it failed (reported).
 */
int vfio_give_group(struct ctx *c, const char *addr,
		    const char (*addrs)[PPT_ADDR_BUFLEN], size_t naddrs);

#endif /* PPTADM_VFIO_NODES_H */
