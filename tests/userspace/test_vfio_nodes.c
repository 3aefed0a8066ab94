// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VFIO nodes --user gets (vfio_nodes.c) in a fake tree: a device's
 * nodes, giving one to a user and back, each node given once, and the
 * lookup of --user.
 */
#include <errno.h>
#include <stdlib.h>

#include "faketree.h"
#include "tap.h"
#include "vfio_nodes.h"

static void test_nodes(void)
{
	char nodes[VFIO_MAX_NODES][VFIO_NODE_PATH], want[VFIO_NODE_PATH];
	struct vfio_node saved;
	struct stat st;
	size_t n;

	n = vfio_nodes_of(ft_root, "0000:03:00.0", 7, nodes);
	ok(n == 0, "no nodes yet: none");
	ft_write("dev/vfio/7", "");
	n = vfio_nodes_of(ft_root, "0000:03:00.0", 7, nodes);
	snprintf(want, sizeof(want), "%s/dev/vfio/7", ft_root);
	ok(n == 1, "the group node");
	is_str(nodes[0], want, "... /dev/vfio/GROUP");
	ft_dir("sys/bus/pci/devices/0000:03:00.0/vfio-dev/vfio2");
	ft_dir("sys/bus/pci/devices/0000:03:00.0/vfio-dev/vfiox");
	n = vfio_nodes_of(ft_root, "0000:03:00.0", 7, nodes);
	ok(n == 1, "a cdev in sysfs without its node: only the group's");
	ft_write("dev/vfio/devices/vfio2", "");
	n = vfio_nodes_of(ft_root, "0000:03:00.0", 7, nodes);
	snprintf(want, sizeof(want), "%s/dev/vfio/devices/vfio2", ft_root);
	ok(n == 2, "the group node and the iommufd cdev");
	is_str(nodes[1], want, "... /dev/vfio/devices/vfioN");
	n = vfio_nodes_of(ft_root, "0000:03:00.0", -1, nodes);
	ok(n == 1 && !strcmp(nodes[0], want), "no group: the cdev only");

	ok(vfio_node_give(nodes[0], getuid(), getgid(), &saved) == 0, "give a node (to ourselves)");
	is_str(saved.path, nodes[0], "... its path saved");
	ok(saved.uid == getuid(), "... and its owner");
	vfio_node_restore(&saved);
	ok(stat(nodes[0], &st) == 0 && st.st_uid == getuid(), "restored");
	ok(vfio_node_give("/nonexistent/vfio/9", 0, 0, &saved) == -ENOENT, "a missing node: ENOENT");
	ft_write("dev/vfio/devices/vfio3", "");
	snprintf(want, sizeof(want), "%s/dev/vfio/devices/vfio3", ft_root);
	ok(vfio_node_give(want, getuid(), getgid(), &saved) == 0, "give another");
	unlink(want);
	vfio_node_restore(&saved);	/* gone: nothing to do */
	ok(stat(want, &st) != 0, "a node that went away is left alone");
}

static void test_given(void)
{
	struct vfio_given g = { 0 };
	struct vfio_user u = { .uid = getuid(), .gid = getgid(), .name = "me" };
	char p7[VFIO_NODE_PATH], p8[VFIO_NODE_PATH];
	int i;

	snprintf(p7, sizeof(p7), "%s/dev/vfio/7", ft_root);
	snprintf(p8, sizeof(p8), "%s/dev/vfio/8", ft_root);
	ft_write("dev/vfio/8", "");
	ok(!vfio_given_has(&g, p7), "nothing given yet");
	ok(vfio_given_add(&g, p7, &u) == 0 && vfio_given_has(&g, p7) && g.n == 1, "given once");
	ok(vfio_given_add(&g, p7, &u) == 0 && g.n == 1, "... and not twice");
	ok(vfio_given_add(&g, p8, &u) == 0 && g.n == 2, "another node");
	ok(vfio_given_add(&g, "/nonexistent/vfio/9", &u) == -ENOENT && g.n == 2,
	   "a missing node: ENOENT, not recorded");
	for (i = 0; i < 20; i++) {
		char p[VFIO_NODE_PATH], rel[64];

		snprintf(rel, sizeof(rel), "dev/vfio/%d", 100 + i);
		ft_write(rel, "");
		snprintf(p, sizeof(p), "%s/%s", ft_root, rel);
		vfio_given_add(&g, p, &u);
	}
	ok(g.n == 22, "the list grows: %zu", g.n);
	vfio_given_restore(&g);
	ok(g.n == 0 && !vfio_given_has(&g, p7), "given back: empty");
	vfio_given_free(&g);
	ok(!g.v && !g.cap, "freed");
}

static void test_user(void)
{
	struct vfio_user u;

	ok(vfio_user_lookup("root", &u) == 0 && u.uid == 0 && u.named &&
	   !strcmp(u.name, "root"), "root: a named user, uid 0");
	ok(vfio_user_lookup("0", &u) == 0 && u.uid == 0 && !strcmp(u.name, "root"),
	   "0: root, by number");
	ok(vfio_user_lookup("4000123", &u) == 0 && u.uid == 4000123 && u.gid == 4000123 &&
	   !u.named && !strcmp(u.name, "4000123"),
	   "a number the database does not know: that uid and gid, no groups");
	ok(vfio_user_lookup("no-such-user-here", &u) == -ENOENT, "an unknown name: ENOENT");
	ok(vfio_user_lookup("12x", &u) == -ENOENT, "not a number either: ENOENT");
}

int main(void)
{
	ft_init();
	test_nodes();
	test_given();
	ft_cleanup();
	test_user();
	return tap_done();
}
