// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm run, the supervisor; see run.h.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "rows.h"
#include "run.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void run_note(struct ctx *c, const char *fmt, const char *a, const char *b)
{
	if (out_is_json(c->a.fmt))
		return;
	fputs("pptadm: run: ", c->err);
	fprintf(c->err, fmt, a, b);
	fputc('\n', c->err);
}

/* Unassign each device still assigned to us (a group mate goes along). */
static int unassign_all(struct ctx *c, const char (*addrs)[PPT_ADDR_BUFLEN],
			size_t n, long long deadline)
{
	struct dev_info info;
	int ret = 0, status = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		for (;;) {
			ret = rows_get(c->h, addrs[i], &info);
			if (ret || info.state != PPT_STATE_ASSIGNED ||
			    strcmp(info.owner, c->a.owner))
				break;
			ret = ppt_device_unassign(c->h, addrs[i], c->a.owner, 0,
						  c->a.timeout_ms, NULL);
			if (ret != -EBUSY || now_ms() >= deadline)
				break;
			sleep_ms(100);
		}
		if (ret && ret != -ENODEV) {
			ctx_report_op(c, "run: unassign", addrs[i], ret);
			status = -1;
		}
	}
	return status;
}

/*
 * One look at a device being given back: true when it is done with
 * (*status -1 when it ended badly, said), false to look again.
 */
static bool give_back_one(struct ctx *c, const char *addr, bool auto_clean,
			  int *status)
{
	struct dev_info info;
	char msg[512];
	int ret = rows_get(c->h, addr, &info);

	if (ret == -ENODEV)
		return true;
	if (ret) {
		ctx_report_op(c, "run", addr, ret);
		*status = -1;
		return true;
	}
	switch (run_giveback_step(info.state, info.owner, c->a.owner, auto_clean)) {
	case RUN_DONE:
		return true;
	case RUN_WAIT:
		return false;
	case RUN_UNCLAIM:
		ret = ppt_device_unclaim(c->h, addr, c->a.owner, 0);
		if (ret == -EBUSY)
			return false;	/* again next round */
		if (ret) {
			ctx_report_op(c, "run: unclaim", addr, ret);
			*status = -1;
		}
		return true;
	case RUN_DIRTY:
		snprintf(msg, sizeof(msg),
			 "%s is dirty and auto_clean is off: clean it with pptadm clean %s",
			 addr, addr);
		ctx_report_name(c, "run", addr, -EAGAIN, msg);
		break;
	case RUN_HELD:
		snprintf(msg, sizeof(msg),
			 "%s is still held by a VFIO user; the kernel gives it back when that closes it (the lease)",
			 addr);
		ctx_report_name(c, "run", addr, -EBUSY, msg);
		break;
	case RUN_QUARANTINED:
		snprintf(msg, sizeof(msg),
			 "%s failed cleaning and is quarantined: see pptadm show %s", addr, addr);
		ctx_report_name(c, "run", addr, -EIO, msg);
		break;
	}
	*status = -1;
	return true;
}

/*
 * Give run's devices back: unassign what is assigned (retrying while a
 * VFIO user still holds it), wait until the kernel has cleaned what came
 * back, unclaim what is still claimed.  Everything within the deadline
 * of --timeout-clean.  Returns 0 when every device ended reserved (or
 * left ppt), nonzero when one did not (said).
 */
static int give_back(struct ctx *c, const char (*addrs)[PPT_ADDR_BUFLEN], size_t n)
{
	long long deadline = now_ms() + c->a.timeout_clean_ms;
	bool auto_clean = run_auto_clean(c->root), *done;
	struct dev_info info;
	size_t i, left;
	int ret, status = 0;
	char msg[512];

	done = calloc(n + 1, sizeof(*done));
	if (!done) {
		ctx_report_what(c, -ENOMEM, "out of memory", "run");
		return -1;
	}
	vfio_given_restore(&c->given);
	/* unassign: each group once (the first of its devices takes it back) */
	status = unassign_all(c, addrs, n, deadline);
	/* then wait for the kernel's cleaning, and unclaim what is claimed */
	for (left = n; left;) {
		for (i = 0; i < n; i++) {
			if (done[i] || !give_back_one(c, addrs[i], auto_clean, &status))
				continue;
			done[i] = true;
			left--;
		}
		if (!left)
			break;
		if (now_ms() >= deadline) {
			for (i = 0; i < n; i++) {
				if (done[i])
					continue;
				ret = rows_get(c->h, addrs[i], &info);
				snprintf(msg, sizeof(msg),
					 "still %s after --timeout-clean %d s",
					 ret ? "unknown" : ppt_state_name(info.state),
					 c->a.timeout_clean_ms / 1000);
				ctx_report_name(c, "run", addrs[i], -ETIMEDOUT, msg);
			}
			status = -1;
			break;
		}
		sleep_ms(100);
	}
	free(done);
	return status;
}

/* The COMMAND, in the child: as --user, dying with pptadm. */
static _Noreturn void run_child(struct ctx *c, char **argv, const sigset_t *mask,
				pid_t parent, const char *devices)
{
	const struct vfio_user *u = &c->user;

	if (c->a.user) {
		if ((u->named ? initgroups(u->name, u->gid) : setgroups(0, NULL)) ||
		    setgid(u->gid) || setuid(u->uid)) {
			fprintf(c->err, "pptadm: run: cannot become %s: %s\n", u->name,
				strerror(errno));
			_exit(126);
		}
	}
	/* after the change of user, which clears it */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(126);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (setenv("PPT_DEVICES", devices, 1) || setenv("PPT_OWNER", c->a.owner, 1))
		_exit(126);
	execvp(argv[0], argv);
	fprintf(c->err, "pptadm: run: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Assign each device; a group mate goes along with the first of its group. */
static int assign_all(struct ctx *c, const char (*got)[PPT_ADDR_BUFLEN], size_t n)
{
	struct dev_info info;
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		ret = rows_get(c->h, got[i], &info);
		if (!ret && info.state == PPT_STATE_ASSIGNED && !strcmp(info.owner, c->a.owner))
			continue;
		ret = ppt_device_assign(c->h, got[i], c->a.owner, 0, c->a.timeout_ms, NULL);
		if (ret) {
			ctx_report_op(c, "run: assign", got[i], ret);
			return ret;
		}
	}
	if (c->a.user)
		for (i = 0; !ret && i < n; i++)
			ret = vfio_give_group(c, got[i], got, n);
	return ret;
}

/* Pass signals on until the command has ended; its wait status. */
static int supervise(int sfd, pid_t pid)
{
	struct signalfd_siginfo si;
	int wstatus = 0;

	for (;;) {
		ssize_t got_bytes = read(sfd, &si, sizeof(si));

		if (got_bytes != sizeof(si)) {
			if (got_bytes < 0 && errno == EINTR)
				continue;
			/* cannot read signals: wait for the command without */
			while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
				;
			return wstatus;
		}
		if (si.ssi_signo == SIGCHLD) {
			if (waitpid(pid, &wstatus, WNOHANG) == pid)
				return wstatus;
			continue;
		}
		/* the terminal sends ^C to the whole foreground group: the command has it */
		if (si.ssi_code != SI_KERNEL)
			kill(pid, (int)si.ssi_signo);
	}
}

/* A signal that arrived before the command started; 0 when none. */
static int early_signal(int sfd)
{
	struct pollfd p = { .fd = sfd, .events = POLLIN };
	struct signalfd_siginfo si;

	while (poll(&p, 1, 0) == 1 && read(sfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			return (int)si.ssi_signo;
	return 0;
}

int cmd_run(struct ctx *c)
{
	struct claim_req cr = { 0 };
	char (*got)[PPT_ADDR_BUFLEN] = NULL, **claimed = NULL;
	char **argv = NULL, *devices = NULL, err[512], list[PPT_CLAIM_MAX * 2 * PPT_ADDR_BUFLEN];
	sigset_t set, old;
	size_t n = 0;
	int ret, sig, sfd = -1, status = EXIT_FAIL;
	pid_t pid, self = getpid();

	if (c->a.user && vfio_user_lookup(c->a.user, &c->user))
		return ctx_usage_error(c, "--user \"%s\": no such user", c->a.user);
	/* signals wait until the devices are set up, and are passed on then */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		ctx_report_what(c, -errno, "cannot watch for signals", "run");
		return EXIT_FAIL;
	}
	ret = claim_spec(c, &cr);
	if (ret) {
		status = ret;
		goto out;
	}
	if (ctx_open(c, "run"))
		goto out;
	/* under a lease: if pptadm dies, the kernel gives the devices back */
	ret = ppt_claim(c->h, cr.spec, PPT_CLAIM_LEASE, &claimed, &n);
	if (ret) {
		claim_report(c, ret, &cr);
		goto out;
	}
	/* without memory the handle's close ends the lease: they come back */
	got = rows_addrs(claimed, n);
	if (!got) {
		ctx_report_what(c, -ENOMEM, "out of memory", "run");
		goto out;
	}
	devices = run_join((const char (*)[PPT_ADDR_BUFLEN])got, n, ' ');
	snprintf(list, sizeof(list), "%s", devices ? devices : "");
	ret = run_expand(c->a.cmd_argc, c->a.cmd_argv, (const char (*)[PPT_ADDR_BUFLEN])got,
			 n, &argv, err, sizeof(err));
	if (ret || !devices) {
		if (ret == -ERANGE) {
			fprintf(c->err, "pptadm: run: %s\n", err);
			status = EXIT_USAGE;
		} else {
			ctx_report_what(c, -ENOMEM, "out of memory", "run");
		}
		give_back(c, (const char (*)[PPT_ADDR_BUFLEN])got, n);
		goto out;
	}
	ret = assign_all(c, (const char (*)[PPT_ADDR_BUFLEN])got, n);
	/* a signal before the command started: give back and stop */
	if (!ret && (sig = early_signal(sfd))) {
		ret = -EINTR;
		status = 128 + sig;
	}
	if (ret) {
		if (give_back(c, (const char (*)[PPT_ADDR_BUFLEN])got, n) == 0)
			run_note(c, "gave %s back to ppt%s", list, "");
		goto out;
	}
	run_note(c, "%s assigned to %s", list, c->a.owner);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ctx_report_what(c, -errno, "cannot start the command", "run");
		give_back(c, (const char (*)[PPT_ADDR_BUFLEN])got, n);
		goto out;
	}
	if (pid == 0) {
		close(sfd);
		run_child(c, argv, &old, self, devices);
	}
	status = run_exit_status(supervise(sfd, pid));
	if (give_back(c, (const char (*)[PPT_ADDR_BUFLEN])got, n) == 0)
		run_note(c, "%s given back to ppt, clean%s", list, "");
	else if (!status)
		status = EXIT_FAIL;
out:
	run_free_argv(argv);
	free(devices);
	free(got);
	ppt_addrs_free(claimed);
	ppt_claim_spec_free(cr.spec);
	/*
	 * The signals stay blocked: one that came while the devices were
	 * given back must not kill pptadm before it exits with the status
	 * (run is a process's last command: never in a batch).
	 */
	close(sfd);
	return status;
}
