// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm monitor's event lines; see events.h for their shapes.
 */
#include <inttypes.h>
#include <string.h>

#include "events.h"

const char *ev_lost_reason_name(enum ppt_lost_reason why)
{
	switch (why) {
	case PPT_LOST_GAP: return "gap";
	case PPT_LOST_OVERRUN: return "overrun";
	case PPT_LOST_RESTART: return "restart";
	case PPT_LOST_UNLOADED: return "unloaded";
	}
	return "unknown";
}

bool ev_needs_resync(const struct ev_event *ev)
{
	return ev->type == PPT_EVENT_LOST && ev->lost_reason != PPT_LOST_UNLOADED;
}

void ev_time_text(const struct timespec *ts, char *buf, size_t len)
{
	char date[32], zone[8];
	struct tm tm;

	if (!localtime_r(&ts->tv_sec, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm) || strlen(zone) != 5) {
		snprintf(buf, len, "%lld.%06ld", (long long)ts->tv_sec, ts->tv_nsec / 1000);
		return;
	}
	/* RFC 3339 wants the offset as +hh:mm */
	snprintf(buf, len, "%s.%06ld%.3s:%s", date, ts->tv_nsec / 1000, zone, zone + 3);
}

/* A human line's start: its timestamp, when there is one. */
static void stamp(FILE *f, const struct timespec *ts)
{
	char t[64];

	if (!ts)
		return;
	ev_time_text(ts, t, sizeof(t));
	fprintf(f, "%s ", t);
}

/* A JSON object's start: {"event":WHAT[,"time":...]. */
static void begin(struct json *j, FILE *f, enum out_format fmt,
		  const struct timespec *ts, const char *what)
{
	char t[64];

	out_json_init(j, f, fmt);
	json_object_begin(j);
	json_kv_str(j, "event", what);
	if (ts) {
		ev_time_text(ts, t, sizeof(t));
		json_kv_str(j, "time", t);
	}
}

/* " key=value", quoted when the value has more than plain characters. */
static void kv(FILE *f, const char *key, const char *v)
{
	const char *p;

	fprintf(f, " %s=", key);
	if (!v || !v[0]) {
		fputs(OUT_NONE, f);
		return;
	}
	for (p = v; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._:/@+-", *p))
			break;
	if (*p)
		json_write_string(f, v);
	else
		fputs(v, f);
}

static void device_words(FILE *f, const struct dev_info *d)
{
	kv(f, "state", ppt_state_name(d->state));
	kv(f, "owner", d->owner);
	kv(f, "driver", d->driver);
}

/*
 * Every field the kernel's event carries: not the SR-IOV relations, which
 * list and show read from sysfs (sriov.h) and an event does not have.
 */
static void json_device(struct json *j, const struct out_device *d)
{
	static const char *const sysfs_only[] = {
		"physfn", "vf_index", "sriov_numvfs", "sriov_totalvfs",
	};
	struct out_fields all;
	char bad[8];
	int i, k, n = 0;

	out_fields_parse(&out_device_fields, "all", &all, bad, sizeof(bad));
	for (i = 0; i < all.n; i++) {
		const char *name = out_device_fields.fields[all.idx[i]].name;

		for (k = 0; k < (int)(sizeof(sysfs_only) / sizeof(sysfs_only[0])); k++)
			if (!strcmp(name, sysfs_only[k]))
				break;
		if (k == (int)(sizeof(sysfs_only) / sizeof(sysfs_only[0])))
			all.idx[n++] = all.idx[i];
	}
	all.n = n;
	json_key(j, "device");
	out_row_json(j, &out_device_fields, &all, d);
}

/* s, or null for "" */
static const char *or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static void print_request(FILE *f, enum out_format fmt, const struct timespec *ts,
			  const struct ev_event *ev)
{
	const struct ev_request *r = &ev->request;
	struct json j;
	char nb[16];

	if (out_is_json(fmt)) {
		begin(&j, f, fmt, ts, "request");
		json_kv_uint(&j, "seq", ev->seq);
		json_kv_uint(&j, "id", r->id);
		json_kv_str(&j, "command", ppt_cmd_name(r->cmd));
		json_kv_str(&j, "device", or_null(r->addr));
		json_kv_bool(&j, "ok", !r->error);
		json_kv_str(&j, "errno", r->error ? out_errno_name(r->error, nb, sizeof(nb)) : NULL);
		json_kv_int(&j, "code", -r->error);
		json_kv_str(&j, "message", or_null(r->msg));
		json_kv_str(&j, "blocker", or_null(r->blocker));
		json_kv_str(&j, "blocker_driver", or_null(r->blocker_driver));
		json_object_end(&j);
		return;
	}
	stamp(f, ts);
	fprintf(f, "request %s %s id=%" PRIu64, r->addr[0] ? r->addr : OUT_NONE,
		ppt_cmd_name(r->cmd), r->id);
	if (!r->error) {
		fputs(" ok", f);
	} else {
		fputs(" failed", f);
		kv(f, "errno", out_errno_name(r->error, nb, sizeof(nb)));
		fputs(" message=", f);
		json_write_string(f, r->msg[0] ? r->msg : strerror(-r->error));
		if (r->blocker[0]) {
			kv(f, "blocker", r->blocker);
			kv(f, "blocker_driver", r->blocker_driver);
		}
	}
	fprintf(f, " seq=%" PRIu64 "\n", ev->seq);
}

static void print_lost(FILE *f, enum out_format fmt, const struct timespec *ts,
		       const struct ev_event *ev)
{
	struct json j;

	if (out_is_json(fmt)) {
		begin(&j, f, fmt, ts, "lost");
		json_kv_str(&j, "reason", ev_lost_reason_name(ev->lost_reason));
		json_key(&j, "count");
		if (ev->lost)
			json_uint(&j, ev->lost);
		else
			json_null(&j);
		json_key(&j, "after_seq");
		if (ev->lost_after)
			json_uint(&j, ev->lost_after);
		else
			json_null(&j);
		json_object_end(&j);
		return;
	}
	stamp(f, ts);
	switch (ev->lost_reason) {
	case PPT_LOST_GAP:
		fprintf(f, "lost %" PRIu64 " event%s after seq=%" PRIu64
			": resynchronising\n", ev->lost, ev->lost == 1 ? "" : "s",
			ev->lost_after);
		break;
	case PPT_LOST_OVERRUN:
		fputs("lost events (socket receive buffer overrun): resynchronising\n", f);
		break;
	case PPT_LOST_RESTART:
		fputs("lost events (ppt was loaded again): resynchronising\n", f);
		break;
	case PPT_LOST_UNLOADED:
		fputs("lost events (ppt was unloaded): waiting for it to be loaded again\n", f);
		break;
	}
}

void ev_print(FILE *f, enum out_format fmt, const struct timespec *ts,
	      const struct ev_event *ev, const struct out_device *dev)
{
	struct out_device plain;
	struct json j;

	switch (ev->type) {
	case PPT_EVENT_DEVICE:
		if (!dev) {
			memset(&plain, 0, sizeof(plain));
			plain.info = ev->device;
			dev = &plain;
		}
		if (out_is_json(fmt)) {
			begin(&j, f, fmt, ts, "device");
			json_kv_uint(&j, "seq", ev->seq);
			json_kv_bool(&j, "removed", ev->removed);
			json_device(&j, dev);
			json_object_end(&j);
			return;
		}
		stamp(f, ts);
		fprintf(f, "device %s", ev->device.addr);
		if (ev->removed)
			fputs(" removed", f);
		else
			device_words(f, &ev->device);
		fprintf(f, " seq=%" PRIu64 "\n", ev->seq);
		return;
	case PPT_EVENT_REQUEST:
		print_request(f, fmt, ts, ev);
		return;
	case PPT_EVENT_LOST:
		print_lost(f, fmt, ts, ev);
		return;
	}
}

void ev_print_state(FILE *f, enum out_format fmt, const struct timespec *ts,
		    const struct out_device *d)
{
	struct json j;

	if (out_is_json(fmt)) {
		begin(&j, f, fmt, ts, "state");
		json_device(&j, d);
		json_object_end(&j);
		return;
	}
	stamp(f, ts);
	fprintf(f, "state %s", d->info.addr);
	device_words(f, &d->info);
	fputc('\n', f);
}

void ev_print_synced(FILE *f, enum out_format fmt, const struct timespec *ts,
		     size_t ndev)
{
	struct json j;

	if (out_is_json(fmt)) {
		begin(&j, f, fmt, ts, "synced");
		json_kv_uint(&j, "devices", ndev);
		json_object_end(&j);
		return;
	}
	stamp(f, ts);
	fprintf(f, "synced devices=%zu\n", ndev);
}
