/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm monitor's lines: one per event, human or JSON (one object per
 * line).  Human lines start with a word saying what they are:
 *
 *	device ADDR state=STATE owner=OWNER driver=DRIVER seq=N
 *	device ADDR removed seq=N
 *	request ADDR COMMAND id=N ok seq=N
 *	request ADDR COMMAND id=N failed errno=EBUSY message="..." [blocker=ADDR blocker_driver=DRV] seq=N
 *	lost N events after seq=N: resynchronising
 *	lost events (socket receive buffer overrun): resynchronising
 *	lost events (ppt was loaded again): resynchronising
 *	lost events (ppt was unloaded): waiting for it to be loaded again
 *	state ADDR state=STATE owner=OWNER driver=DRIVER   (every device: at the start
 *	synced devices=N                                    and after a loss)
 *
 * With timestamps (monitor -t) each human line starts with the time pptadm
 * read the event, RFC 3339 in local time with microseconds
 * (2026-11-21T10:15:02.123456+01:00), and each JSON object has it as
 * "time", after "event".
 *
 * A missing value prints as "-"; a value with characters other than
 * letters, digits and ._:/@+- is quoted as a JSON string.  JSON objects:
 *
 *	{"event":"device","seq":N,"removed":BOOL,"device":{...every field...}}
 *	{"event":"request","seq":N,"id":N,"command":"assign","device":"ADDR","ok":BOOL,
 *	 "errno":"EBUSY"|null,"code":N,"message":STR|null,"blocker":STR|null,"blocker_driver":STR|null}
 *	{"event":"lost","reason":"gap"|"overrun"|"restart"|"unloaded","count":N|null,"after_seq":N|null}
 *	{"event":"state","device":{...}}
 *	{"event":"synced","devices":N}
 */
#ifndef PPTADM_EVENTS_H
#define PPTADM_EVENTS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "output.h"

/* A request's outcome as monitor prints it; strings "" when missing. */
struct ev_request {
	uint64_t id;
	uint32_t cmd;			/* enum ppt_cmd */
	char addr[PPT_ADDR_BUFLEN];
	int error;			/* 0 or a negative errno */
	char msg[256];
	char blocker[PPT_ADDR_BUFLEN];
	char blocker_driver[64];
};

/* An event as monitor prints it (kernel.h copies libppt's struct ppt_event). */
struct ev_event {
	enum ppt_event_type type;
	uint64_t seq;
	struct dev_info device;		/* PPT_EVENT_DEVICE */
	bool removed;
	struct ev_request request;	/* PPT_EVENT_REQUEST */
	enum ppt_lost_reason lost_reason;	/* PPT_EVENT_LOST */
	uint64_t lost, lost_after;
};

/*
 * Print an event; dev is the device of a PPT_EVENT_DEVICE event, with
 * names.  ts: the line's timestamp, NULL for none.
 */
void ev_print(FILE *f, enum out_format fmt, const struct timespec *ts,
	      const struct ev_event *ev, const struct out_device *dev);

/* One device of a dump: at the start, and after a loss. */
void ev_print_state(FILE *f, enum out_format fmt, const struct timespec *ts,
		    const struct out_device *d);

/* The end of that dump. */
void ev_print_synced(FILE *f, enum out_format fmt, const struct timespec *ts,
		     size_t ndev);

/* A timestamp as the lines have it: RFC 3339, local time, microseconds. */
void ev_time_text(const struct timespec *ts, char *buf, size_t len);

/* Does the event call for a dump?  (Every loss but an unload.) */
bool ev_needs_resync(const struct ev_event *ev);

/* "gap", "overrun", "restart", "unloaded". */
const char *ev_lost_reason_name(enum ppt_lost_reason why);

#endif /* PPTADM_EVENTS_H */
