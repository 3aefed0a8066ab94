// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm run without a kernel: {} and {N} in the COMMAND's arguments, the
 * addresses joined, exit statuses, and what giving a device back does in
 * each state.
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

static void test_giveback(void)
{
	ok(run_giveback_step(PPT_STATE_CLAIMED, "vm1", "vm1", true) == RUN_UNCLAIM,
	   "claimed by us: unclaim");
	ok(run_giveback_step(PPT_STATE_CLAIMED, "vm2", "vm1", true) == RUN_DONE,
	   "claimed by another: none of ours any more");
	ok(run_giveback_step(PPT_STATE_DIRTY, "", "vm1", true) == RUN_WAIT,
	   "dirty with auto_clean: the kernel cleans it, wait");
	ok(run_giveback_step(PPT_STATE_DIRTY, "", "vm1", false) == RUN_DIRTY,
	   "dirty without auto_clean: said");
	ok(run_giveback_step(PPT_STATE_CLEANING, "", "vm1", true) == RUN_WAIT &&
	   run_giveback_step(PPT_STATE_UNASSIGNING, "vm1", "vm1", true) == RUN_WAIT &&
	   run_giveback_step(PPT_STATE_ASSIGNING, "vm1", "vm1", true) == RUN_WAIT &&
	   run_giveback_step(PPT_STATE_RESETTING, "", "vm1", true) == RUN_WAIT,
	   "transitional: wait");
	ok(run_giveback_step(PPT_STATE_ASSIGNED, "vm1", "vm1", true) == RUN_HELD,
	   "still assigned to us: a VFIO user holds it");
	ok(run_giveback_step(PPT_STATE_ASSIGNED, "vm2", "vm1", true) == RUN_DONE,
	   "assigned to another: not ours");
	ok(run_giveback_step(PPT_STATE_QUARANTINED, "", "vm1", true) == RUN_QUARANTINED,
	   "quarantined: said");
	ok(run_giveback_step(PPT_STATE_RESERVED, "", "vm1", true) == RUN_DONE,
	   "reserved: done");

	ft_init();
	ok(run_auto_clean(ft_root), "no module parameter: the kernel's default, on");
	ft_write("sys/module/ppt/parameters/auto_clean", "N\n");
	ok(!run_auto_clean(ft_root), "auto_clean N: off");
	ft_write("sys/module/ppt/parameters/auto_clean", "Y\n");
	ok(run_auto_clean(ft_root), "auto_clean Y: on");
	ft_cleanup();
}

int main(void)
{
	test_expand();
	test_status();
	test_giveback();
	return tap_done();
}
