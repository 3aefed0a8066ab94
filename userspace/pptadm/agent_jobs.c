// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sanitise agent's decisions and words, apart from its processes and
 * sockets (agent.c); see agent.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "agent.h"
#include "output.h"

int agent_jobs_add(struct agent_jobs *js, uint64_t id, const char *addr,
		   const char *sanitiser, uint32_t timeout_s, bool inspect)
{
	struct agent_job *j;
	size_t i;

	for (i = 0; i < js->n; i++)
		if (js->v[i].id == id)
			return -EEXIST;
	if (js->n == js->cap) {
		size_t cap = js->cap ? js->cap * 2 : 8;
		struct agent_job *v = realloc(js->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		js->v = v;
		js->cap = cap;
	}
	j = &js->v[js->n++];
	memset(j, 0, sizeof(*j));
	j->id = id;
	snprintf(j->addr, sizeof(j->addr), "%s", addr);
	snprintf(j->sanitiser, sizeof(j->sanitiser), "%s", sanitiser);
	j->timeout_s = timeout_s;
	j->inspect = inspect;
	j->report_fd = -1;
	return 0;
}

size_t agent_jobs_running(const struct agent_jobs *js)
{
	size_t i, n = 0;

	for (i = 0; i < js->n; i++)
		n += js->v[i].pid != 0;
	return n;
}

static bool device_busy(const struct agent_jobs *js, const char *addr)
{
	size_t i;

	for (i = 0; i < js->n; i++)
		if (js->v[i].pid && !strcmp(js->v[i].addr, addr))
			return true;
	return false;
}

struct agent_job *agent_jobs_next(struct agent_jobs *js)
{
	size_t i;

	if (agent_jobs_running(js) >= js->max_running)
		return NULL;
	for (i = 0; i < js->n; i++)
		if (!js->v[i].pid && !device_busy(js, js->v[i].addr))
			return &js->v[i];
	return NULL;
}

struct agent_job *agent_jobs_by_pid(struct agent_jobs *js, pid_t pid)
{
	size_t i;

	for (i = 0; pid > 0 && i < js->n; i++)
		if (js->v[i].pid == pid)
			return &js->v[i];
	return NULL;
}

void agent_jobs_remove(struct agent_jobs *js, struct agent_job *j)
{
	size_t i = (size_t)(j - js->v);

	if (i >= js->n)
		return;
	memmove(&js->v[i], &js->v[i + 1], (js->n - i - 1) * sizeof(*j));
	js->n--;
}

int agent_jobs_wait_ms(const struct agent_jobs *js, long long now_ms)
{
	long long first = -1;
	size_t i;

	for (i = 0; i < js->n; i++) {
		const struct agent_job *j = &js->v[i];

		if (!j->pid || j->killed)
			continue;
		if (first < 0 || j->deadline_ms < first)
			first = j->deadline_ms;
	}
	if (first < 0)
		return -1;
	if (first <= now_ms)
		return 0;
	return first - now_ms > 3600 * 1000 ? 3600 * 1000 : (int)(first - now_ms);
}

struct agent_job *agent_jobs_overdue(struct agent_jobs *js, long long now_ms)
{
	size_t i;

	for (i = 0; i < js->n; i++)
		if (js->v[i].pid && !js->v[i].killed && js->v[i].deadline_ms <= now_ms)
			return &js->v[i];
	return NULL;
}

void agent_jobs_free(struct agent_jobs *js)
{
	free(js->v);
	js->v = NULL;
	js->n = js->cap = 0;
}

static uint32_t timeout_of(uint32_t timeout_s)
{
	return timeout_s ? timeout_s : AGENT_TIMEOUT_DEFAULT_S;
}

long long agent_deadline(long long started_ms, uint32_t timeout_s, unsigned int grace_s)
{
	return started_ms + ((long long)timeout_of(timeout_s) + grace_s) * 1000;
}

unsigned int agent_erase_timeout(uint32_t timeout_s)
{
	uint32_t t = timeout_of(timeout_s);

	/* a short timeout keeps it all: an answer a little late beats none */
	return t > 2 * AGENT_ANSWER_MARGIN_S ? t - AGENT_ANSWER_MARGIN_S : t;
}

void agent_status_text(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status)) {
		const char *name = sigabbrev_np(WTERMSIG(status));

		snprintf(buf, len, "killed by signal %d%s%s%s", WTERMSIG(status),
			 name ? " (SIG" : "", name ? name : "", name ? ")" : "");
	} else if (WIFEXITED(status)) {
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	} else {
		snprintf(buf, len, "ended with wait status 0x%x", (unsigned int)status);
	}
}

int agent_dead_child(const struct agent_job *j, int status, unsigned int grace_s,
		     char *why, size_t len)
{
	char st[64];

	if (j->killed) {
		snprintf(why, len,
			 "the sanitiser did not finish within the %u s the kernel gave it and %u s more: killed",
			 timeout_of(j->timeout_s), grace_s);
		return -ETIMEDOUT;
	}
	agent_status_text(status, st, sizeof(st));
	snprintf(why, len, "the sanitiser's process %s before it answered", st);
	return -EIO;
}

/* "93.2 s" */
static void duration(char *buf, size_t len, long long ms)
{
	if (ms < 0)
		ms = 0;
	snprintf(buf, len, "%lld.%lld s", ms / 1000, ms % 1000 / 100);
}

void agent_line_start(char *buf, size_t len, const struct agent_job *j)
{
	snprintf(buf, len, "%s %s: started%s (request %llu, pid %d, timeout %u s)", j->addr,
		 j->sanitiser, j->inspect ? " to inspect" : "", (unsigned long long)j->id,
		 (int)j->pid, timeout_of(j->timeout_s));
}

void agent_line_waiting(char *buf, size_t len, const struct agent_job *j, size_t running)
{
	snprintf(buf, len, "%s %s: waiting (request %llu): %zu sanitiser%s running", j->addr,
		 j->sanitiser, (unsigned long long)j->id, running, running == 1 ? "" : "s");
}

void agent_line_outcome(char *buf, size_t len, const struct agent_job *j, long long ms,
			const struct agent_report *r)
{
	char took[32], name[16], dname[16];
	int n;

	duration(took, sizeof(took), ms);
	if (!r->err)
		n = snprintf(buf, len, "%s %s: %s in %s (request %llu): %s; verified: %s",
			     j->addr, j->sanitiser, j->inspect ? "inspected" : "erased", took,
			     (unsigned long long)j->id,
			     r->method[0] ? r->method : "-", r->verified[0] ? r->verified : "-");
	else
		n = snprintf(buf, len, "%s %s: failed in %s (request %llu): %s: %s", j->addr,
			     j->sanitiser, took, (unsigned long long)j->id,
			     out_errno_name(r->err, name, sizeof(name)),
			     r->why[0] ? r->why : strerror(-r->err));
	if (n < 0 || (size_t)n >= len || !r->done)
		return;
	if (r->done == -ENOENT)
		snprintf(buf + n, len - (size_t)n, "; the kernel had given up on it (timed out)");
	else
		snprintf(buf + n, len - (size_t)n, "; the answer failed: %s: %s",
			 out_errno_name(r->done, dname, sizeof(dname)),
			 r->done_msg[0] ? r->done_msg : strerror(-r->done));
}

void agent_status_print(FILE *f, enum out_format fmt, bool found, uint32_t pid,
			uint32_t portid, uint32_t pending)
{
	struct json j;

	if (!out_is_json(fmt)) {
		if (found)
			fprintf(f, "agent: pid %u, netlink port %u, %u request(s) pending\n",
				pid, portid, pending);
		else
			fprintf(f, "agent: none registered (systemctl enable --now ppt-agent)\n");
		return;
	}
	out_json_init(&j, f, fmt);
	json_object_begin(&j);
	json_key(&j, "agent");
	if (found) {
		json_object_begin(&j);
		json_kv_uint(&j, "pid", pid);
		json_kv_uint(&j, "portid", portid);
		json_kv_uint(&j, "pending", pending);
		json_object_end(&j);
	} else {
		json_null(&j);
	}
	json_object_end(&j);
}
