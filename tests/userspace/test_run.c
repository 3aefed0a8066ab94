// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm run without a kernel: {} and {N} in the COMMAND's arguments, the
 * addresses joined, exit statuses, a device's VFIO nodes in a fake tree,
 * and giving a node to a user and back.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "faketree.h"
#include "run.h"
#include "tap.h"

static const char addrs[3][PPT_ADDR_BUFLEN] = {
	"0000:03:00.0", "0000:03:00.1", "0000:05:00.0",
};

static void test_expand(void)
{
	char *argv[] = {
		"qemu", "-device", "vfio-pci,host={0}", "-device", "vfio-pci,host={1}",
		"{}", "{2}x{2}", "{", "{}}", "{x}", "{0", "{1000}", "a{}b{1}c", "",
	};
	char **out = NULL, err[256] = "";
	char *bad[] = { "ok", "host={3}" };
	char *j;
	int ret;

	ret = run_expand(14, argv, addrs, 3, &out, err, sizeof(err));
	ok(ret == 0, "expand");
	if (ret)
		return;
	is_str(out[0], "qemu", "no placeholder: as it was");
	is_str(out[2], "vfio-pci,host=0000:03:00.0", "{0} inside an argument");
	is_str(out[4], "vfio-pci,host=0000:03:00.1", "{1}");
	is_str(out[5], "0000:03:00.0,0000:03:00.1,0000:05:00.0", "{}: joined by commas");
	is_str(out[6], "0000:05:00.0x0000:05:00.0", "twice in one argument");
	is_str(out[7], "{", "a lone brace");
	is_str(out[8], "0000:03:00.0,0000:03:00.1,0000:05:00.0}", "{} then a brace");
	is_str(out[9], "{x}", "{x}: not a placeholder");
	is_str(out[10], "{0", "unclosed");
	is_str(out[11], "{1000}", "four digits: not a placeholder");
	is_str(out[12], "a0000:03:00.0,0000:03:00.1,0000:05:00.0b0000:03:00.1c", "mixed");
	is_str(out[13], "", "an empty argument");
	ok(out[14] == NULL, "NULL-terminated");
	run_free_argv(out);

	out = NULL;
	ok(run_expand(2, bad, addrs, 3, &out, err, sizeof(err)) == -ERANGE && !out,
	   "{3} of three devices: ERANGE");
	is_str(err, "argument 2 (\"host={3}\") asks for {3}, but 3 devices were claimed ({0} to {2})",
	       "... naming the argument");
	ok(run_expand(2, bad, addrs, 1, &out, err, sizeof(err)) == -ERANGE, "one device");
	is_str(err, "argument 2 (\"host={3}\") asks for {3}, but 1 device was claimed ({0} to {0})",
	       "... singular");

	j = run_join(addrs, 3, ' ');
	is_str(j, "0000:03:00.0 0000:03:00.1 0000:05:00.0", "PPT_DEVICES: space-separated");
	free(j);
	j = run_join(addrs, 0, ' ');
	is_str(j, "", "no devices: empty");
	free(j);
}

static void test_status(void)
{
	pid_t pid;
	int st;

	pid = fork();
	if (!pid)
		_exit(3);
	waitpid(pid, &st, 0);
	ok(run_exit_status(st) == 3, "exit 3: 3");
	pid = fork();
	if (!pid) {
		raise(SIGKILL);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ok(run_exit_status(st) == 128 + SIGKILL, "killed by SIGKILL: 137");
}

static void test_nodes(void)
{
	char nodes[RUN_MAX_NODES][RUN_NODE_PATH], want[RUN_NODE_PATH];
	struct run_node saved;
	struct stat st;
	size_t n;

	ft_init();
	n = run_vfio_nodes(ft_root, "0000:03:00.0", 7, nodes);
	ok(n == 0, "no nodes yet: none");
	ft_write("dev/vfio/7", "");
	n = run_vfio_nodes(ft_root, "0000:03:00.0", 7, nodes);
	snprintf(want, sizeof(want), "%s/dev/vfio/7", ft_root);
	ok(n == 1, "the group node");
	is_str(nodes[0], want, "... /dev/vfio/GROUP");
	ft_dir("sys/bus/pci/devices/0000:03:00.0/vfio-dev/vfio2");
	ft_dir("sys/bus/pci/devices/0000:03:00.0/vfio-dev/vfiox");
	n = run_vfio_nodes(ft_root, "0000:03:00.0", 7, nodes);
	ok(n == 1, "a cdev in sysfs without its node: only the group's");
	ft_write("dev/vfio/devices/vfio2", "");
	n = run_vfio_nodes(ft_root, "0000:03:00.0", 7, nodes);
	snprintf(want, sizeof(want), "%s/dev/vfio/devices/vfio2", ft_root);
	ok(n == 2, "the group node and the iommufd cdev");
	is_str(nodes[1], want, "... /dev/vfio/devices/vfioN");
	n = run_vfio_nodes(ft_root, "0000:03:00.0", -1, nodes);
	ok(n == 1 && !strcmp(nodes[0], want), "no group: the cdev only");

	ok(run_node_give(nodes[0], getuid(), getgid(), &saved) == 0, "give a node (to ourselves)");
	is_str(saved.path, nodes[0], "... its path saved");
	ok(saved.uid == getuid(), "... and its owner");
	run_node_restore(&saved);
	ok(stat(nodes[0], &st) == 0 && st.st_uid == getuid(), "restored");
	ok(run_node_give("/nonexistent/vfio/9", 0, 0, &saved) == -ENOENT, "a missing node: ENOENT");
	unlink(nodes[0]);
	run_node_restore(&saved);	/* gone: nothing to do */
	ok(1, "a node that went away is left alone");
	ft_cleanup();
}

int main(void)
{
	test_expand();
	test_status();
	test_nodes();
	return tap_done();
}
