// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exec sanitiser: a program of the administrator's (a GPU vendor's
 * memory scrubber, a drive's own erase tool) run on the device, for what
 * pptadm's own sanitisers cannot reach (VRAM beyond a BAR's aperture).  It
 * gets the device's address as its argument and in PPT_DEVICE, its IOMMU
 * group's VFIO node in PPT_VFIO_GROUP and the group's number in
 * PPT_IOMMU_GROUP (both empty without a group), and opens the device itself: pptadm holds nothing open
 * while it runs.  Exit status 0 says it erased and verified; its last line
 * on standard output is what it verified, its last on standard error why
 * it failed.  It is killed (SIGTERM, then SIGKILL 5 s later) when the
 * timeout passes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sanitise.h"
#include "vfio_dev.h"

#define EXEC_KEEP	4096	/* the tail of each stream kept */
#define EXEC_KILL_GRACE_MS	5000

struct tail {
	char buf[EXEC_KEEP];
	size_t len;
};

static void tail_add(struct tail *t, const char *p, size_t n)
{
	if (n >= sizeof(t->buf)) {
		p += n - (sizeof(t->buf) - 1);
		n = sizeof(t->buf) - 1;
	}
	if (t->len + n >= sizeof(t->buf)) {
		size_t drop = t->len + n - (sizeof(t->buf) - 1);

		memmove(t->buf, t->buf + drop, t->len - drop);
		t->len -= drop;
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/* The last line with something in it, control bytes made '?'. */
static void last_line(const struct tail *t, char *out, size_t len)
{
	size_t end = t->len, start;

	while (end && (t->buf[end - 1] == '\n' || t->buf[end - 1] == ' '))
		end--;
	start = end;
	while (start && t->buf[start - 1] != '\n')
		start--;
	snprintf(out, len, "%.*s", (int)(end - start), t->buf + start);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static long long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void child(const char *prog, const char *addr, int group, int out, int err)
{
	char num[32], node[64];

	if (dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
		_exit(127);
	/* no IOMMU group (no device, or no IOMMU): both empty */
	snprintf(num, sizeof(num), group < 0 ? "" : "%d", group);
	snprintf(node, sizeof(node), group < 0 ? "" : "/dev/vfio/%d", group);
	if (setenv("PPT_DEVICE", addr, 1) || setenv("PPT_IOMMU_GROUP", num, 1) ||
	    setenv("PPT_VFIO_GROUP", node, 1))
		_exit(127);
	execl(prog, prog, addr, (char *)NULL);
	fprintf(stderr, "cannot run %s: %s\n", prog, strerror(errno));
	_exit(127);
}

int sanitise_exec(const char *addr, const char *prog, unsigned int timeout_s,
		  struct sanitise_result *r)
{
	struct tail out = { .len = 0 }, err = { .len = 0 };
	long long deadline = mono_ms() + (long long)timeout_s * 1000, killed_at = 0;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status = 0, ret;
	int group = -1;
	struct pollfd pfd[2];
	char line[256];
	pid_t pid;

	snprintf(r->method, sizeof(r->method), "exec");
	if (vfio_dev_group(addr, &group))
		group = -1;
	if (access(prog, X_OK)) {
		snprintf(r->why, sizeof(r->why), "%s: %s", prog, strerror(errno));
		return -errno;
	}
	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
		ret = -errno;
		snprintf(r->why, sizeof(r->why), "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		snprintf(r->why, sizeof(r->why), "fork: %s", strerror(errno));
		goto out;
	}
	if (!pid)
		child(prog, addr, group, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	pfd[0] = (struct pollfd){ .fd = po[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = pe[0], .events = POLLIN };
	/* read both streams until the program closes them (it ends) */
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		long long now = mono_ms(), wait = (killed_at ? killed_at + EXEC_KILL_GRACE_MS :
						   deadline) - now;
		char buf[1024];

		if (wait <= 0) {
			kill(pid, killed_at ? SIGKILL : SIGTERM);
			if (!killed_at) {
				killed_at = now;
				continue;
			}
			break;
		}
		if (poll(pfd, 2, (int)(wait > 1000 ? 1000 : wait)) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n > 0) {
				tail_add(i ? &err : &out, buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				(i ? pe : po)[0] = -1;
			}
		}
	}
	if (waitpid(pid, &status, 0) < 0) {
		ret = -errno;
		snprintf(r->why, sizeof(r->why), "waitpid: %s", strerror(errno));
		goto out;
	}
	/* its last words: on stderr, else on stdout (a failing script's echo) */
	last_line(&err, line, sizeof(line));
	if (!line[0])
		last_line(&out, line, sizeof(line));
	if (killed_at) {
		snprintf(r->why, sizeof(r->why), "%s did not finish within %u s: killed%s%s", prog,
			 timeout_s, line[0] ? "; it said: " : "", line);
		ret = -ETIMEDOUT;
	} else if (WIFSIGNALED(status)) {
		snprintf(r->why, sizeof(r->why), "%s was killed by signal %d%s%s", prog,
			 WTERMSIG(status), line[0] ? "; it said: " : "", line);
		ret = -EIO;
	} else if (WEXITSTATUS(status)) {
		snprintf(r->why, sizeof(r->why), "%s exited with status %d%s%s", prog,
			 WEXITSTATUS(status), line[0] ? ": " : "", line);
		ret = -EIO;
	} else {
		last_line(&out, line, sizeof(line));
		snprintf(r->verified, sizeof(r->verified), "%s",
			 line[0] ? line : "(the program printed nothing)");
		ret = 0;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	return ret;
}
