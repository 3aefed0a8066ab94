// SPDX-License-Identifier: GPL-2.0-only
/*
 * monitor: every device's state, then every event, one line each, until
 * SIGINT or SIGTERM (events.h has the lines).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "closeout.h"
#include "cmds.h"
#include "events.h"
#include "inventory.h"
#include "rows.h"

/* The line's timestamp (-t): now, or NULL without -t. */
static const struct timespec *now(const struct ctx *c, struct timespec *ts)
{
	if (!c->a.timestamps)
		return NULL;
	clock_gettime(CLOCK_REALTIME, ts);
	return ts;
}

/* A device of an event or a dump, with its names and variant for JSON. */
static void device_of(struct ctx *c, const struct dev_info *info, struct out_device *d)
{
	memset(d, 0, sizeof(*d));
	d->info = *info;
	if (out_is_json(c->a.fmt)) {
		inventory_names(d, 1);
		ctx_label(c, d, 1, NULL, 0);
	}
}

/* Flush what was printed; false when it could not be written (said). */
static bool flushed(struct ctx *c)
{
	return !out_flush(c->out);
}

/* Every device as it is now: at the start, and after a loss. */
static bool sync_state(struct ctx *c)
{
	struct dev_info *info = NULL;
	struct out_device d;
	struct timespec ts;
	size_t n = 0, i;
	int ret = rows_list(c->h, &info, &n);

	if (ret) {
		struct out_error e = { .err = ret, .what = "cannot list devices to resynchronise",
				       .operation = "monitor", .message = ppt_errmsg(c->h) };

		out_error(c->out, c->out, c->a.fmt, &e);
		return flushed(c);
	}
	for (i = 0; i < n; i++) {
		device_of(c, &info[i], &d);
		ev_print_state(c->out, c->a.fmt, now(c, &ts), &d);
	}
	ev_print_synced(c->out, c->a.fmt, now(c, &ts), n);
	free(info);
	return flushed(c);
}

int cmd_monitor(struct ctx *c)
{
	struct pollfd pfd[2];
	struct ppt_event *pe;
	struct ev_event ev;
	struct out_device d;
	struct timespec ts;
	sigset_t set;
	int ret, sfd, status = 0;

	if (ctx_open(c, "monitor"))
		return EXIT_FAIL;
	ret = ppt_events_subscribe(c->h);
	if (ret) {
		ctx_report_what(c, ret, "cannot subscribe to ppt's events", "monitor");
		return EXIT_FAIL;
	}
	/* SIGINT and SIGTERM end the stream: read them, do not die of them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		ctx_report_what(c, -errno, "cannot watch for signals", "monitor");
		return EXIT_FAIL;
	}
	/* subscribed first, so nothing between the dump and the events is lost */
	if (!sync_state(c))
		goto write_error;
	pfd[0] = (struct pollfd){ .fd = ppt_events_fd(c->h), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		while ((ret = ppt_events_next(c->h, &pe, 0)) == 0) {
			rows_event(pe, &ev);
			ppt_event_free(pe);
			if (ev.type == PPT_EVENT_DEVICE)
				device_of(c, &ev.device, &d);
			ev_print(c->out, c->a.fmt, now(c, &ts), &ev,
				 ev.type == PPT_EVENT_DEVICE ? &d : NULL);
			if (!flushed(c))
				goto write_error;
			if (ev_needs_resync(&ev) && !sync_state(c))
				goto write_error;
		}
		if (ret != -EAGAIN && ret != -EINTR) {
			ctx_report_what(c, ret, "cannot read ppt's events", "monitor");
			status = EXIT_FAIL;
			break;
		}
		if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
			ctx_report_what(c, -errno, "poll", "monitor");
			status = EXIT_FAIL;
			break;
		}
		if (pfd[1].revents & POLLIN)
			break;
	}
	close(sfd);
	return status;
write_error:
	/* nobody reads what monitor says: stop */
	close(sfd);
	return EXIT_FAIL;
}
