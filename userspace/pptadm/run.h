/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parts of pptadm run (and assign --user) that need no kernel: the
 * COMMAND's arguments with the devices put in, the exit status, and the
 * VFIO device nodes of a device and their ownership.  Paths are read
 * below a root ("" for /) so that tests can use a fake tree.
 */
#ifndef PPTADM_RUN_H
#define PPTADM_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libppt.h"

/*
 * COMMAND's arguments with each "{}" replaced by the addresses joined by
 * commas and each "{N}" (N decimal, up to three digits) by address N;
 * other braces are left alone.  *out is a malloc()ed NULL-terminated
 * array of malloc()ed strings (run_free_argv()).  Returns 0, -ENOMEM, or
 * -ERANGE with err naming the argument whose {N} is past the last device.
 */
int run_expand(int argc, char *const *argv,
	       const char (*addrs)[PPT_ADDR_BUFLEN], size_t n, char ***out,
	       char *err, size_t errlen);
void run_free_argv(char **argv);

/* The addresses joined by sep (malloc()ed): PPT_DEVICES is "a b". */
char *run_join(const char (*addrs)[PPT_ADDR_BUFLEN], size_t n, char sep);

/* A wait status as an exit status: the code, or 128 + the signal. */
int run_exit_status(int wstatus);

#define RUN_NODE_PATH	256
#define RUN_MAX_NODES	2

/*
 * The VFIO nodes of a device: its group's /dev/vfio/GROUP and, when
 * vfio-pci made one, its iommufd cdev /dev/vfio/devices/vfioN (named by
 * ROOT/sys/bus/pci/devices/ADDR/vfio-dev/vfioN).  Only nodes that exist
 * are returned (with root in front).  Returns how many.
 */
size_t run_vfio_nodes(const char *root, const char *addr, int64_t group,
		      char nodes[RUN_MAX_NODES][RUN_NODE_PATH]);

/* A node given to a user, and whose it was. */
struct run_node {
	char path[RUN_NODE_PATH];
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	ino_t ino;
};

/*
 * chown path to uid:gid, recording in *saved whose it was.  Returns 0 or
 * a negative errno.
 */
int run_node_give(const char *path, uid_t uid, gid_t gid,
		  struct run_node *saved);

/*
 * Give a node back to whom it was, if it is still the same node (its
 * device number and inode): vfio-pci removes the node when the device
 * leaves it, and a new one is not ours to change.
 */
void run_node_restore(const struct run_node *saved);

#endif /* PPTADM_RUN_H */
