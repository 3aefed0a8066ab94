// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sanitise agent's decisions and log lines (agent_jobs.c), without
 * processes or sockets: which job starts next (at most --jobs at once, one
 * at a time per device), deadlines and which job overran, what a child
 * that died without answering is said to have done, and the lines the
 * journal gets.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "agent.h"
#include "tap.h"

static void test_queue(void)
{
	struct agent_jobs js = { .max_running = 2 };
	struct agent_job *j;

	ok(!agent_jobs_next(&js), "no job: nothing to start");
	ok(agent_jobs_wait_ms(&js, 0) == -1, "... and no deadline to wait for");
	ok(agent_jobs_add(&js, 1, "0000:04:00.0", "nvme", 600, false) == 0 &&
	   agent_jobs_add(&js, 2, "0000:05:00.0", "bar", 60, false) == 0 &&
	   agent_jobs_add(&js, 3, "0000:06:00.0", "bar", 0, false) == 0,
	   "three requests queued");
	ok(agent_jobs_add(&js, 2, "0000:05:00.0", "bar", 60, false) == -EEXIST,
	   "a request id twice is refused");
	ok(js.v[0].report_fd == -1 && !js.v[0].pid, "a new job waits, without a pipe");

	j = agent_jobs_next(&js);
	ok(j && j->id == 1, "the oldest starts first");
	j->pid = 100;
	j->started_ms = 1000;
	j->deadline_ms = agent_deadline(1000, j->timeout_s, 30);
	j = agent_jobs_next(&js);
	ok(j && j->id == 2, "... then the next");
	j->pid = 101;
	j->started_ms = 2000;
	j->deadline_ms = agent_deadline(2000, j->timeout_s, 30);
	ok(agent_jobs_running(&js) == 2 && !agent_jobs_next(&js),
	   "--jobs 2: two run, the third waits");

	ok(agent_jobs_wait_ms(&js, 2000) == 90000,
	   "the first deadline: 60 s and 30 s of grace after the second start");
	ok(!agent_jobs_overdue(&js, 91999), "nothing overdue before it");
	j = agent_jobs_overdue(&js, 92000);
	ok(j && j->id == 2, "the second is overdue at its deadline");
	j->killed = true;
	ok(!agent_jobs_overdue(&js, 92000), "... once: a killed job is not killed again");
	ok(agent_jobs_wait_ms(&js, 92000) == 1000 + 630000 - 92000,
	   "... and its deadline no longer counts");

	j = agent_jobs_by_pid(&js, 101);
	ok(j && j->id == 2, "a child's job by its pid");
	ok(!agent_jobs_by_pid(&js, 999) && !agent_jobs_by_pid(&js, 0),
	   "... none for another pid, nor for 0 (a waiting job's)");
	agent_jobs_remove(&js, j);
	j = agent_jobs_next(&js);
	ok(js.n == 2 && j && j->id == 3, "its end lets the third start");

	/* a request for a device that is being erased waits for that erase */
	ok(agent_jobs_add(&js, 4, "0000:04:00.0", "nvme", 600, true) == 0 && js.v[js.n - 1].inspect,
	   "a second request for a busy device (an inspection, kept as one)");
	j->pid = 102;
	js.max_running = 4;
	ok(!agent_jobs_next(&js), "... waits while the first erase of that device runs");
	agent_jobs_remove(&js, agent_jobs_by_pid(&js, 100));
	j = agent_jobs_next(&js);
	ok(j && j->id == 4, "... and starts when it ended");
	agent_jobs_free(&js);
	ok(!js.v && !js.n, "freed");
}

static void test_timeouts(void)
{
	ok(agent_erase_timeout(600) == 590, "the erase stops 10 s before the kernel's timeout");
	ok(agent_erase_timeout(15) == 15, "... not when that leaves too little");
	ok(agent_erase_timeout(0) == AGENT_TIMEOUT_DEFAULT_S - 10,
	   "no timeout from the kernel: sanitise run's default");
	ok(agent_deadline(5000, 0, 30) == 5000 + (AGENT_TIMEOUT_DEFAULT_S + 30) * 1000ll,
	   "... and the deadline after it");
}

static void test_dead_child(void)
{
	struct agent_job j = { .id = 9, .addr = "0000:04:00.0", .sanitiser = "nvme", .timeout_s = 60 };
	char why[256], st[64];

	agent_status_text(9, st, sizeof(st));	/* killed by SIGKILL */
	is_str(st, "killed by signal 9 (SIGKILL)", "a signal is named");
	agent_status_text(3 << 8, st, sizeof(st));
	is_str(st, "exited with status 3", "an exit status is given");

	ok(agent_dead_child(&j, SIGSEGV, 30, why, sizeof(why)) == -EIO,
	   "a child that crashed: EIO");
	is_str(why, "the sanitiser's process killed by signal 11 (SIGSEGV) before it answered",
	       "... naming the signal");
	ok(agent_dead_child(&j, 1 << 8, 30, why, sizeof(why)) == -EIO,
	   "a child that exited without its report: EIO");
	is_str(why, "the sanitiser's process exited with status 1 before it answered",
	       "... naming its status");
	j.killed = true;
	ok(agent_dead_child(&j, SIGKILL, 30, why, sizeof(why)) == -ETIMEDOUT,
	   "a child killed for overrunning: ETIMEDOUT");
	is_str(why, "the sanitiser did not finish within the 60 s the kernel gave it and 30 s more: killed",
	       "... saying how long it had");
}

static void test_lines(void)
{
	struct agent_job j = { .id = 17, .addr = "0000:04:00.0", .sanitiser = "nvme", .timeout_s = 600,
			       .pid = 2345 };
	struct agent_report r = { .err = 0, .method = "format-crypto",
				  .verified = "64 blocks read back as zero" };
	char line[1536];

	agent_line_start(line, sizeof(line), &j);
	is_str(line, "0000:04:00.0 nvme: started (request 17, pid 2345, timeout 600 s)", "started");
	agent_line_waiting(line, sizeof(line), &j, 4);
	is_str(line, "0000:04:00.0 nvme: waiting (request 17): 4 sanitisers running", "waiting");
	agent_line_outcome(line, sizeof(line), &j, 93250, &r);
	is_str(line,
	       "0000:04:00.0 nvme: erased in 93.2 s (request 17): format-crypto; verified: 64 blocks read back as zero",
	       "erased: method, what was verified, the duration");
	r = (struct agent_report){ .err = -EIO, .method = "format-crypto",
				   .why = "namespace 2 reads back data" };
	agent_line_outcome(line, sizeof(line), &j, 2100, &r);
	is_str(line, "0000:04:00.0 nvme: failed in 2.1 s (request 17): EIO: namespace 2 reads back data",
	       "failed: the errno's name and why");
	r.done = -ENOENT;
	agent_line_outcome(line, sizeof(line), &j, 2100, &r);
	ok(strstr(line, "reads back data; the kernel had given up on it (timed out)"),
	   "... the kernel no longer waiting for the answer");
	r.done = -EPERM;
	snprintf(r.done_msg, sizeof(r.done_msg), "Operation not permitted");
	agent_line_outcome(line, sizeof(line), &j, 2100, &r);
	ok(strstr(line, "; the answer failed: EPERM: Operation not permitted"),
	   "... the answer refused");
	r = (struct agent_report){ .err = -ETIMEDOUT };
	agent_line_outcome(line, sizeof(line), &j, -5, &r);
	is_str(line, "0000:04:00.0 nvme: failed in 0.0 s (request 17): ETIMEDOUT: Connection timed out",
	       "no why: strerror; no negative duration");
	j.inspect = true;
	agent_line_start(line, sizeof(line), &j);
	is_str(line, "0000:04:00.0 nvme: started to inspect (request 17, pid 2345, timeout 600 s)",
	       "an inspection: started");
	r = (struct agent_report){ .method = "inspect", .verified = "baseline kept" };
	agent_line_outcome(line, sizeof(line), &j, 400, &r);
	is_str(line, "0000:04:00.0 nvme: inspected in 0.4 s (request 17): inspect; verified: baseline kept",
	       "... inspected, not erased");
}

int main(void)
{
	test_queue();
	test_timeouts();
	test_dead_child();
	test_lines();
	return tap_done();
}
