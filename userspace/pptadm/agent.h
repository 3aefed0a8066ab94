/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm agent: the sanitise agent (libppt.h, "The sanitise agent").  The
 * kernel asks it to erase devices; it runs each sanitiser (sanitise.h) in
 * a child process of its own and answers the kernel.
 *
 * What the service loop (agent.c) decides is kept here, apart from
 * processes and sockets, so the unit tests reach it: the jobs, waiting and
 * running, and which to start next; the deadlines; what a child that died
 * without answering is said to have done; and the log lines.
 */
#ifndef PPTADM_AGENT_H
#define PPTADM_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "libppt.h"
#include "output.h"

#define AGENT_JOBS_MAX		64
#define AGENT_JOBS_DEFAULT	4
/*
 * A sanitiser still running this long after the kernel's timeout is
 * killed: the kernel, once its timeout passed, tries for 10 s to take the
 * group back from vfio-pci, and leaves it detached when the device is
 * still open then.
 */
#define AGENT_GRACE_DEFAULT_S	5
/* A request without a timeout gets sanitise run's default. */
#define AGENT_TIMEOUT_DEFAULT_S	3600
/*
 * The erase stops this long before the kernel's timeout, when the timeout
 * is long enough to spare it: time to close the device and answer.
 */
#define AGENT_ANSWER_MARGIN_S	10

/* One sanitise request: waiting its turn (pid 0), or running in child pid. */
struct agent_job {
	uint64_t id;
	char addr[PPT_ADDR_BUFLEN];
	char sanitiser[PPT_SANITISER_MAX];
	uint32_t timeout_s;		/* the kernel's; 0: it gave none */
	bool inspect;			/* read the device, erase nothing */
	pid_t pid;			/* 0: waiting */
	int report_fd;			/* the child's report pipe; -1: none */
	long long started_ms;		/* on a clock that does not jump */
	long long deadline_ms;		/* killed after it */
	bool killed;			/* it overran its deadline and was killed */
};

/*
 * The jobs, in arrival order.  A pointer to a job stays valid until the
 * next agent_jobs_add() or agent_jobs_remove().
 */
struct agent_jobs {
	struct agent_job *v;
	size_t n, cap;
	unsigned int max_running;	/* --jobs */
};

/* Add a waiting job.  0, -EEXIST for a request id that is there already, or -ENOMEM. */
int agent_jobs_add(struct agent_jobs *js, uint64_t id, const char *addr,
		   const char *sanitiser, uint32_t timeout_s, bool inspect);
/* How many jobs run. */
size_t agent_jobs_running(const struct agent_jobs *js);
/*
 * The job to start now: the oldest waiting one, when fewer than
 * max_running run, whose device no running job has (a request the kernel
 * sent again after a timeout waits for the old erase to end); NULL when
 * none may start.
 */
struct agent_job *agent_jobs_next(struct agent_jobs *js);
/* The running job of child pid, or NULL. */
struct agent_job *agent_jobs_by_pid(struct agent_jobs *js, pid_t pid);
/* Forget a job (a pointer into js->v). */
void agent_jobs_remove(struct agent_jobs *js, struct agent_job *j);
/* Milliseconds until the first deadline of a running job (0: one passed), or -1 for none. */
int agent_jobs_wait_ms(const struct agent_jobs *js, long long now_ms);
/* The first running job whose deadline passed and that is not yet killed, or NULL. */
struct agent_job *agent_jobs_overdue(struct agent_jobs *js, long long now_ms);
void agent_jobs_free(struct agent_jobs *js);

/* A job started at started_ms is killed after the kernel's timeout and grace_s. */
long long agent_deadline(long long started_ms, uint32_t timeout_s, unsigned int grace_s);
/* The time the erase itself gets (sanitise_run()'s timeout_s). */
unsigned int agent_erase_timeout(uint32_t timeout_s);

/* What a child reports through its pipe before it exits: one write. */
struct agent_report {
	int err;		/* the sanitiser's: 0 or a negative errno */
	int done;		/* ppt_sanitise_done()'s (or ppt_open()'s) */
	char method[32];
	char verified[256];
	char why[512];		/* the sanitiser's, on failure */
	char done_msg[256];	/* ppt_errmsg() when the answer failed */
};

/*
 * A child that ended without a report, as the parent answers for it: the
 * error, and why (wait status, or killed for overrunning its deadline).
 */
int agent_dead_child(const struct agent_job *j, int status, unsigned int grace_s,
		     char *why, size_t len);

/* "exited with status 3", "killed by signal 9 (SIGKILL)" */
void agent_status_text(int status, char *buf, size_t len);

/*
 * The log lines, each naming the device and the sanitiser:
 *	ADDR SANITISER: started (request N, pid P, timeout T s)
 *	ADDR SANITISER: waiting (request N): K sanitisers running
 *	ADDR SANITISER: erased in 93.2 s (request N): METHOD; verified: TEXT
 *	ADDR SANITISER: failed in 2.1 s (request N): EIO: WHY
 * an outcome followed, when the answer did not reach the kernel, by
 * "; the kernel had given up on it (timed out)" or "; the answer failed:
 * ENAME: MESSAGE".
 */
void agent_line_start(char *buf, size_t len, const struct agent_job *j);
void agent_line_waiting(char *buf, size_t len, const struct agent_job *j, size_t running);
void agent_line_outcome(char *buf, size_t len, const struct agent_job *j, long long ms,
			const struct agent_report *r);

/*
 * agent status: the registered agent (found), or none:
 *	agent: pid P, netlink port N, K request(s) pending
 *	agent: none registered (systemctl enable --now ppt-agent)
 * JSON: {"agent":{"pid":P,"portid":N,"pending":K}} or {"agent":null}.
 */
void agent_status_print(FILE *f, enum out_format fmt, bool found, uint32_t pid,
			uint32_t portid, uint32_t pending);

#endif /* PPTADM_AGENT_H */
