// SPDX-License-Identifier: GPL-2.0-only
/*
 * agent: the sanitise agent, a service in the foreground; agent status:
 * the registered agent.  See agent.h for the decisions, which this file
 * only carries out.
 *
 * One process holds the registered handle and never touches a device: a
 * sanitiser runs in a child of its own, which closes its copy of that
 * handle at once (the registration lives as long as the socket is open
 * anywhere), dies with the parent (PR_SET_PDEATHSIG), runs the sanitiser
 * through VFIO, answers the kernel on a handle of its own, and writes the
 * outcome to a pipe for the parent's log.  A child that ends without a
 * report is answered for by the parent.  Signals arrive through a
 * signalfd, polled with the agent's socket and its events socket: no
 * handler, no race between a child's end and the wait for the next
 * request.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "baseline_kept.h"
#include "cmds.h"
#include "sanitise.h"
#include "taint_file.h"

/* How long stopped sanitisers get after SIGTERM before SIGKILL. */
#define AGENT_STOP_GRACE_MS	5000

struct agent {
	struct ctx *c;
	struct agent_jobs jobs;
	int sfd;		/* signalfd: SIGCHLD, SIGTERM, SIGINT, SIGHUP */
	sigset_t old_mask;	/* restored in children */
	pid_t pid;		/* the agent's own */
	bool stop;		/* asked to stop: exit 0 */
	int fatal;		/* exit status once the loop ends */
	struct taint_set kept;	/* the tainted functions on disk (taint_file.h) */
	struct taint_set seen;	/* addresses this agent saw tainted */
	struct taint_set asked;	/* addresses this agent asked to inspect */
	const char *kept_file;
};

static long long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

__attribute__((format(printf, 2, 3)))
static void say(struct agent *ag, const char *fmt, ...)
{
	va_list ap;

	fputs("pptadm agent: ", ag->c->err);
	va_start(ap, fmt);
	vfprintf(ag->c->err, fmt, ap);
	va_end(ap);
	fputc('\n', ag->c->err);
	fflush(ag->c->err);
}

/* --- the child -------------------------------------------------------------- */

/* Run the job's sanitiser and answer the kernel; never returns. */
static void child(struct agent *ag, const struct agent_job *j, int report)
{
	struct agent_report r = { .done = 0 };
	struct sanitiser_spec spec;
	struct sanitise_result res;
	struct ppt_handle *h = NULL;
	ssize_t n;

	/* its own group, so that stopping it stops an exec sanitiser's program too */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the agent died before the line above: nobody waits for this erase */
	if (getppid() != ag->pid)
		_exit(1);
	/* the agent's socket stays the parent's alone */
	ppt_close(ag->c->h);
	ag->c->h = NULL;
	close(ag->sfd);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, &ag->old_mask, NULL);

	memset(&res, 0, sizeof(res));
	if (sanitiser_parse(j->sanitiser, &spec, r.why, sizeof(r.why))) {
		r.err = -EINVAL;
	} else {
		r.err = j->inspect ? sanitise_inspect(j->addr, &spec, baseline_dir(), &res) :
			 sanitise_run(j->addr, &spec, agent_erase_timeout(j->timeout_s),
				      baseline_dir(), &res);
		snprintf(r.method, sizeof(r.method), "%s", res.method);
		snprintf(r.verified, sizeof(r.verified), "%s", res.verified);
		if (r.err)
			snprintf(r.why, sizeof(r.why), "%s", res.why[0] ? res.why : strerror(-r.err));
	}
	/* sanitise_run() closed the device: the kernel may take it back now */
	r.done = ppt_open(&h);
	if (!r.done)
		r.done = ppt_sanitise_done(h, j->id, j->addr, r.err, r.err ? r.why : NULL,
					   r.method, r.verified, 0);
	if (r.done)
		snprintf(r.done_msg, sizeof(r.done_msg), "%s",
			 h && ppt_errmsg(h) ? ppt_errmsg(h) : strerror(-r.done));
	ppt_close(h);
	do
		n = write(report, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	_exit(0);
}

/* --- the parent ------------------------------------------------------------- */

/*
 * A request whose child could not be started (@what failed with errno
 * @err): answer the kernel at once, say so, and forget it.
 */
static void start_failed(struct agent *ag, struct agent_job *j, const char *what, int err)
{
	struct agent_report r = { .err = -err };
	char line[512];

	snprintf(r.why, sizeof(r.why), "%s: %s", what, strerror(err));
	r.done = ppt_sanitise_done(ag->c->h, j->id, j->addr, r.err, r.why, NULL, NULL, 0);
	agent_line_outcome(line, sizeof(line), j, 0, &r);
	say(ag, "%s", line);
	agent_jobs_remove(&ag->jobs, j);
}

static void start(struct agent *ag, struct agent_job *j)
{
	char line[512];
	int p[2], err;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		start_failed(ag, j, "pipe", errno);
		return;
	}
	/* the parent reads it once the child ended: never wait on it */
	if (fcntl(p[0], F_SETFL, O_NONBLOCK)) {
		err = errno;
		close(p[0]);
		close(p[1]);
		start_failed(ag, j, "pipe", err);
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		child(ag, j, p[1]);
	}
	err = errno;
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		start_failed(ag, j, "fork", err);
		return;
	}
	/* the child's group is its own, also before it ran setpgid() */
	setpgid(pid, pid);
	j->pid = pid;
	j->report_fd = p[0];
	j->started_ms = mono_ms();
	j->deadline_ms = agent_deadline(j->started_ms, j->timeout_s, ag->c->a.grace_s);
	agent_line_start(line, sizeof(line), j);
	say(ag, "%s", line);
}

/* A child ended: log its outcome, answering for it when it could not. */
static void reaped(struct agent *ag, struct agent_job *j, int status)
{
	struct agent_report r;
	char line[1536];
	ssize_t n;

	memset(&r, 0, sizeof(r));
	do
		n = read(j->report_fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	close(j->report_fd);
	if (n != (ssize_t)sizeof(r)) {
		memset(&r, 0, sizeof(r));
		r.err = agent_dead_child(j, status, ag->c->a.grace_s, r.why, sizeof(r.why));
		r.done = 1;
	}
	/* no report, or the child's answer did not reach the kernel: answer now */
	if (r.done && r.done != -ENOENT) {
		r.done = ppt_sanitise_done(ag->c->h, j->id, j->addr, r.err, r.why, r.method,
					   r.verified, 0);
		snprintf(r.done_msg, sizeof(r.done_msg), "%s",
			 ppt_errmsg(ag->c->h) ? ppt_errmsg(ag->c->h) : "");
	}
	agent_line_outcome(line, sizeof(line), j, mono_ms() - j->started_ms, &r);
	say(ag, "%s", line);
	agent_jobs_remove(&ag->jobs, j);
}

static void reap(struct agent *ag)
{
	struct agent_job *j;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		j = agent_jobs_by_pid(&ag->jobs, pid);
		if (j)
			reaped(ag, j, status);
	}
}

static void on_signals(struct agent *ag)
{
	struct signalfd_siginfo si;

	while (read(ag->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;	/* reaped below, every child at once */
		say(ag, "%s: stopping", strsignal((int)si.ssi_signo));
		ag->stop = true;
	}
	reap(ag);
}

/* Every request the kernel sent, queued as jobs. */
static void take_requests(struct agent *ag)
{
	struct ppt_sanitise_req *req;
	struct agent_job *j;
	char line[512];
	int ret;

	while ((ret = ppt_agent_next(ag->c->h, &req, 0)) != -EAGAIN) {
		if (ret == -ENOBUFS || ret == -EPROTO) {
			say(ag, "%s", ppt_errmsg(ag->c->h));
			continue;
		}
		if (ret) {
			say(ag, "reading the kernel's requests: %s", strerror(-ret));
			ag->fatal = EXIT_FAIL;
			return;
		}
		ret = agent_jobs_add(&ag->jobs, ppt_sanitise_req_id(req), ppt_sanitise_req_addr(req),
				     ppt_sanitise_req_sanitiser(req), ppt_sanitise_req_timeout(req),
				     ppt_sanitise_req_inspect(req));
		if (ret == -ENOMEM) {
			say(ag, "%s %s: out of memory: request %llu dropped (the kernel times it out)",
			    ppt_sanitise_req_addr(req), ppt_sanitise_req_sanitiser(req),
			    (unsigned long long)ppt_sanitise_req_id(req));
		} else if (!ret && agent_jobs_running(&ag->jobs) >= ag->jobs.max_running) {
			j = &ag->jobs.v[ag->jobs.n - 1];
			agent_line_waiting(line, sizeof(line), j, agent_jobs_running(&ag->jobs));
			say(ag, "%s", line);
		}
		ppt_sanitise_req_free(req);
	}
}

/* --- the kept taint ---------------------------------------------------------- */

/*
 * What ppt now says of a function goes into the file: a tainted one is
 * kept; one this agent saw tainted and now sees clean goes.  A line for a
 * function this agent never saw tainted stays: it may not have been given
 * back to ppt (agent restore), and a reboot still owes its erase.
 */
static bool keep_note(struct agent *ag, const struct ppt_dev *d)
{
	const char *addr = ppt_dev_addr(d);
	bool tainted = ppt_dev_tainted(d);
	bool nomem = false, changed;

	if (tainted) {
		if (taint_add(&ag->seen, addr))
			nomem = true;
	} else if (!taint_drop(&ag->seen, addr)) {
		return false;
	}
	changed = !nomem && taint_note(&ag->kept, addr, ppt_dev_path(d), tainted, &nomem);
	if (nomem)
		say(ag, "%s: out of memory: %s is not kept as tainted", ag->kept_file, addr);
	return changed;
}

static void keep_save(struct agent *ag)
{
	char err[512];

	if (taint_save(&ag->kept, ag->kept_file, err, sizeof(err)))
		say(ag, "cannot keep the tainted functions (a reboot forgets them): %s", err);
}

/* The file brought up to date with ppt's whole table. */
static void keep_sync(struct agent *ag)
{
	struct ppt_dev **devs = NULL;
	bool changed = false;
	size_t n = 0, i;
	int ret;

	ret = ppt_device_list(ag->c->h, &devs, &n);
	if (ret) {
		say(ag, "listing ppt's devices for %s: %s", ag->kept_file, strerror(-ret));
		return;
	}
	for (i = 0; i < n; i++)
		changed |= keep_note(ag, devs[i]);
	ppt_dev_list_free(devs);
	if (changed)
		keep_save(ag);
}

/* The file, read at the start: a file that does not parse stops the agent. */
static int keep_load(struct agent *ag)
{
	char err[512];

	ag->kept_file = taint_file_path();
	if (taint_load(&ag->kept, ag->kept_file, err, sizeof(err))) {
		say(ag, "cannot keep the tainted functions: %s", err);
		return EXIT_FAIL;
	}
	return 0;
}

/* --- inspections ------------------------------------------------------------ */

/*
 * An NVMe controller that ppt claimed at boot (ppt.ids=, ppt.devices=)
 * never had the host's nvme driver, through which pptadm reserve reads a
 * controller's baseline: without this, its first baseline would be taken
 * after its first tenant, who could have changed it unseen.  So the agent
 * asks the kernel to inspect each reserved, untainted controller whose
 * sanitiser is nvme and that has no baseline kept: the kernel hands it
 * over as for a sanitise, and the agent keeps its baseline, erasing
 * nothing.  Once per controller while the agent runs, so that one whose
 * inspection fails is not asked again and again.
 */
static void inspect_note(struct agent *ag, const struct ppt_dev *d)
{
	const char *addr = ppt_dev_addr(d), *sanitiser = ppt_dev_sanitiser(d);
	struct sanitiser_spec spec;
	char err[256];
	uint64_t id;
	int ret;

	if (ppt_dev_state(d) != PPT_STATE_RESERVED || ppt_dev_tainted(d) || !sanitiser ||
	    sanitiser_parse(sanitiser, &spec, err, sizeof(err)) || spec.kind != SANITISER_NVME ||
	    taint_has(&ag->asked, addr) || baseline_kept_has(baseline_dir(), addr))
		return;
	if (taint_add(&ag->asked, addr))
		return;
	ret = ppt_device_clean(ag->c->h, addr, PPT_RESET_AUTO, PPT_CLEAN_INSPECT, 0, &id);
	if (ret)
		say(ag, "%s: no NVMe baseline is kept, and it cannot be inspected for one: %s",
		    addr, ppt_errmsg(ag->c->h) ? ppt_errmsg(ag->c->h) : strerror(-ret));
	else
		say(ag, "%s: no NVMe baseline is kept: inspecting it for one (request %llu)", addr,
		    (unsigned long long)id);
}

/* Every device ppt holds, at the start. */
static void inspect_sync(struct agent *ag)
{
	struct ppt_dev **devs = NULL;
	size_t n = 0, i;
	int ret;

	ret = ppt_device_list(ag->c->h, &devs, &n);
	if (ret) {
		say(ag, "listing ppt's devices to inspect: %s", strerror(-ret));
		return;
	}
	for (i = 0; i < n; i++)
		inspect_note(ag, devs[i]);
	ppt_dev_list_free(devs);
}

/*
 * Events tell the agent which functions become tainted or clean (kept on
 * disk), which are reserved with no baseline (inspected), and that ppt
 * went away: its registration with it.
 */
static void take_events(struct agent *ag)
{
	bool changed = false, resync = false;
	struct ppt_event *ev;
	int ret;

	while ((ret = ppt_events_next(ag->c->h, &ev, 0)) == 0) {
		if (ppt_event_type(ev) == PPT_EVENT_LOST &&
		    (ppt_event_lost_reason(ev) == PPT_LOST_UNLOADED ||
		     ppt_event_lost_reason(ev) == PPT_LOST_RESTART)) {
			say(ag, "ppt was %s: the registration ended with it; exiting (systemd restarts the agent)",
			    ppt_event_lost_reason(ev) == PPT_LOST_UNLOADED ? "unloaded" : "reloaded");
			ag->fatal = EXIT_FAIL;
		} else if (ppt_event_type(ev) == PPT_EVENT_LOST) {
			resync = true;
		} else if (ppt_event_type(ev) == PPT_EVENT_DEVICE && !ppt_event_removed(ev)) {
			/* one ppt no longer knows still owes its erase: kept */
			changed |= keep_note(ag, ppt_event_dev(ev));
			inspect_note(ag, ppt_event_dev(ev));
		} else if (ppt_event_type(ev) == PPT_EVENT_DEVICE) {
			/* reserved again later, it is inspected again */
			taint_drop(&ag->asked, ppt_dev_addr(ppt_event_dev(ev)));
		}
		ppt_event_free(ev);
	}
	if (changed)
		keep_save(ag);
	if (resync && !ag->fatal)
		keep_sync(ag);
	if (ret != -EAGAIN && ret != -EINTR) {
		say(ag, "reading ppt's events: %s", strerror(-ret));
		ag->fatal = EXIT_FAIL;
	}
}

/* Kill the process groups of the children whose deadline passed. */
static void kill_overdue(struct agent *ag)
{
	struct agent_job *j;

	while ((j = agent_jobs_overdue(&ag->jobs, mono_ms()))) {
		say(ag, "%s %s: request %llu overran its timeout (%u s) by %u s: killing pid %d",
		    j->addr, j->sanitiser, (unsigned long long)j->id,
		    j->timeout_s ? j->timeout_s : AGENT_TIMEOUT_DEFAULT_S, ag->c->a.grace_s,
		    (int)j->pid);
		kill(-j->pid, SIGKILL);
		j->killed = true;
	}
}

/*
 * Stop every running sanitiser: SIGTERM to its group, SIGKILL a few
 * seconds later.  They are not answered for: closing the socket tells the
 * kernel, which leaves their devices dirty.
 */
static void stop_all(struct agent *ag)
{
	long long until = mono_ms() + AGENT_STOP_GRACE_MS;
	size_t i;
	int status;
	pid_t pid;

	for (i = 0; i < ag->jobs.n; i++)
		if (ag->jobs.v[i].pid)
			kill(-ag->jobs.v[i].pid, SIGTERM);
	while (agent_jobs_running(&ag->jobs)) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			struct agent_job *j = agent_jobs_by_pid(&ag->jobs, pid);

			if (j) {
				say(ag, "%s %s: request %llu stopped", j->addr, j->sanitiser,
				    (unsigned long long)j->id);
				close(j->report_fd);
				agent_jobs_remove(&ag->jobs, j);
			}
			continue;
		}
		if (pid < 0 && errno != EINTR)
			break;
		if (mono_ms() >= until) {
			for (i = 0; i < ag->jobs.n; i++)
				if (ag->jobs.v[i].pid)
					kill(-ag->jobs.v[i].pid, SIGKILL);
			until = mono_ms() + 60 * 1000;
		}
		usleep(50 * 1000);
	}
}

/* Open, subscribe, register: 0, or the exit status (said). */
static int setup(struct agent *ag)
{
	struct ctx *c = ag->c;
	struct ppt_agent *other = NULL;
	int ret;

	if (ctx_open(c, "agent"))
		return EXIT_FAIL;
	ret = keep_load(ag);
	if (ret)
		return ret;
	/* subscribed first: an unload after the registration cannot go unseen */
	ret = ppt_events_subscribe(c->h);
	if (ret) {
		ctx_report_what(c, ret, "cannot subscribe to ppt's events", "agent");
		return EXIT_FAIL;
	}
	ret = ppt_agent_register(c->h, PPT_AGENT_INSPECTS);
	if (ret == -EBUSY && !ppt_agent_get(c->h, &other)) {
		say(ag, "another sanitise agent is registered (pid %u, netlink port %u): only one may run",
		    ppt_agent_pid(other), ppt_agent_portid(other));
		ppt_agent_free(other);
		return EXIT_FAIL;
	}
	if (ret) {
		ctx_report_op(c, "agent", NULL, ret);
		return EXIT_FAIL;
	}
	say(ag, "registered (pid %d, netlink port %u): up to %u sanitiser%s at once, %u s of grace",
	    (int)getpid(), ppt_handle_portid(c->h), c->a.jobs, c->a.jobs == 1 ? "" : "s",
	    c->a.grace_s);
	/* subscribed before: no change between this list and the events is missed */
	keep_sync(ag);
	inspect_sync(ag);
	return 0;
}

static int serve(struct ctx *c)
{
	struct agent ag = { .c = c, .sfd = -1, .pid = getpid(),
			    .jobs = { .max_running = c->a.jobs } };
	struct agent_job *j;
	sigset_t mask;
	int ret;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/* blocked before anything starts: no child can end unseen */
	if (sigprocmask(SIG_BLOCK, &mask, &ag.old_mask) ||
	    (ag.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
		ctx_report_what(c, -errno, "signalfd", "agent");
		return EXIT_FAIL;
	}
	ret = setup(&ag);
	while (!ret && !ag.stop && !ag.fatal) {
		struct pollfd pfd[3] = {
			{ .fd = ag.sfd, .events = POLLIN },
			{ .fd = ppt_agent_fd(c->h), .events = POLLIN },
			{ .fd = ppt_events_fd(c->h), .events = POLLIN },
		};

		/* requests a call on the handle queued first, then the socket's */
		take_requests(&ag);
		while (!ag.fatal && (j = agent_jobs_next(&ag.jobs)))
			start(&ag, j);
		if (ag.fatal)
			break;
		if (poll(pfd, 3, agent_jobs_wait_ms(&ag.jobs, mono_ms())) < 0 && errno != EINTR) {
			ctx_report_what(c, -errno, "poll", "agent");
			ag.fatal = EXIT_FAIL;
			break;
		}
		on_signals(&ag);
		if (pfd[2].revents)
			take_events(&ag);
		kill_overdue(&ag);
	}
	stop_all(&ag);
	agent_jobs_free(&ag.jobs);
	taint_free(&ag.kept);
	taint_free(&ag.seen);
	taint_free(&ag.asked);
	close(ag.sfd);
	sigprocmask(SIG_SETMASK, &ag.old_mask, NULL);
	if (!ret && ag.stop && !ag.fatal)
		say(&ag, "stopped");
	return ret ? ret : ag.fatal;
}

/* agent status: the registered agent; exit status 1 when none is. */
static int status(struct ctx *c)
{
	struct ppt_agent *a = NULL;
	bool found;
	int ret;

	if (ctx_open(c, "agent status"))
		return EXIT_FAIL;
	ret = ppt_agent_get(c->h, &a);
	if (ret && ret != -ENOENT) {
		ctx_report_op(c, "agent status", NULL, ret);
		return EXIT_FAIL;
	}
	agent_status_print(c->out, c->a.fmt, a != NULL, a ? ppt_agent_pid(a) : 0,
			   a ? ppt_agent_portid(a) : 0, a ? ppt_agent_pending(a) : 0);
	found = a != NULL;
	ppt_agent_free(a);
	return found ? 0 : EXIT_FAIL;
}

/*
 * agent restore: give ppt the functions kept as tainted, so that the
 * reserved ones among them become dirty and are cleaned.
 */
static int restore(struct ctx *c)
{
	const char *file = taint_file_path();
	struct taint_set kept;
	char err[512];
	int ret;

	ret = taint_load(&kept, file, err, sizeof(err));
	if (!ret)
		ret = taint_give(&kept, TAINT_PARAM_DEFAULT, err, sizeof(err));
	if (ret)
		fprintf(c->err, "pptadm: agent restore: %s\n", err);
	else
		fprintf(c->out, "%zu device%s kept as tainted in %s given to ppt\n", kept.n,
			kept.n == 1 ? "" : "s", file);
	taint_free(&kept);
	return ret ? EXIT_FAIL : 0;
}

int cmd_agent(struct ctx *c)
{
	if (c->a.agent_restore)
		return restore(c);
	return c->a.agent_status ? status(c) : serve(c);
}
