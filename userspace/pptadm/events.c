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

/* " key=value", quoted when the value has more than plain characters. */
static void kv(FILE *f, const char *key, const char *v)
{
	const char *p;

	fprintf(f, " %s=", key);
	if (!v || !v[0]) {
		fputc('-', f);
		return;
	}
	for (p = v; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._:/@+-", *p))
			break;
	if (*p)
		json_string(f, v);
	else
		fputs(v, f);
}

static void device_words(FILE *f, const struct dev_info *d)
{
	kv(f, "state", ppt_state_name(d->state));
	kv(f, "owner", d->owner);
	kv(f, "driver", d->driver);
}

static void json_device(FILE *f, const struct out_device *d)
{
	struct out_fields all;
	char bad[8];

	out_fields_parse(&out_device_fields, "all", &all, bad, sizeof(bad));
	out_row_json(f, &out_device_fields, &all, d);
}

static void print_request(FILE *f, enum out_format fmt, const struct ev_event *ev)
{
	const struct ev_request *r = &ev->request;
	char nb[16];

	if (fmt == OUT_JSON) {
		fprintf(f, "{\"event\":\"request\",\"seq\":%" PRIu64 ",\"id\":%" PRIu64
			",\"command\":", ev->seq, r->id);
		json_string(f, ppt_cmd_name(r->cmd));
		fputs(",\"device\":", f);
		json_string_or_null(f, r->addr[0] ? r->addr : NULL);
		fprintf(f, ",\"ok\":%s,\"errno\":", r->error ? "false" : "true");
		json_string_or_null(f, r->error ? out_errno_name(r->error, nb, sizeof(nb)) : NULL);
		fprintf(f, ",\"code\":%d,\"message\":", -r->error);
		json_string_or_null(f, r->msg[0] ? r->msg : NULL);
		fputs(",\"blocker\":", f);
		json_string_or_null(f, r->blocker[0] ? r->blocker : NULL);
		fputs(",\"blocker_driver\":", f);
		json_string_or_null(f, r->blocker_driver[0] ? r->blocker_driver : NULL);
		fputs("}\n", f);
		return;
	}
	fprintf(f, "request %s %s id=%" PRIu64, r->addr[0] ? r->addr : "-",
		ppt_cmd_name(r->cmd), r->id);
	if (!r->error) {
		fputs(" ok", f);
	} else {
		fputs(" failed", f);
		kv(f, "errno", out_errno_name(r->error, nb, sizeof(nb)));
		fputs(" message=", f);
		json_string(f, r->msg[0] ? r->msg : strerror(-r->error));
		if (r->blocker[0]) {
			kv(f, "blocker", r->blocker);
			kv(f, "blocker_driver", r->blocker_driver);
		}
	}
	fprintf(f, " seq=%" PRIu64 "\n", ev->seq);
}

static void print_lost(FILE *f, enum out_format fmt, const struct ev_event *ev)
{
	if (fmt == OUT_JSON) {
		fputs("{\"event\":\"lost\",\"reason\":", f);
		json_string(f, ev_lost_reason_name(ev->lost_reason));
		if (ev->lost)
			fprintf(f, ",\"count\":%" PRIu64, ev->lost);
		else
			fputs(",\"count\":null", f);
		if (ev->lost_after)
			fprintf(f, ",\"after_seq\":%" PRIu64 "}\n", ev->lost_after);
		else
			fputs(",\"after_seq\":null}\n", f);
		return;
	}
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

void ev_print(FILE *f, enum out_format fmt, const struct ev_event *ev,
	      const struct out_device *dev)
{
	struct out_device plain;

	switch (ev->type) {
	case PPT_EVENT_DEVICE:
		if (!dev) {
			memset(&plain, 0, sizeof(plain));
			plain.info = ev->device;
			dev = &plain;
		}
		if (fmt == OUT_JSON) {
			fprintf(f, "{\"event\":\"device\",\"seq\":%" PRIu64
				",\"removed\":%s,\"device\":", ev->seq,
				ev->removed ? "true" : "false");
			json_device(f, dev);
			fputs("}\n", f);
			return;
		}
		fprintf(f, "device %s", ev->device.addr);
		if (ev->removed)
			fputs(" removed", f);
		else
			device_words(f, &ev->device);
		fprintf(f, " seq=%" PRIu64 "\n", ev->seq);
		return;
	case PPT_EVENT_REQUEST:
		print_request(f, fmt, ev);
		return;
	case PPT_EVENT_LOST:
		print_lost(f, fmt, ev);
		return;
	}
}

void ev_print_state(FILE *f, enum out_format fmt, const struct out_device *d)
{
	if (fmt == OUT_JSON) {
		fputs("{\"event\":\"state\",\"device\":", f);
		json_device(f, d);
		fputs("}\n", f);
		return;
	}
	fprintf(f, "state %s", d->info.addr);
	device_words(f, &d->info);
	fputc('\n', f);
}

void ev_print_synced(FILE *f, enum out_format fmt, size_t ndev)
{
	if (fmt == OUT_JSON)
		fprintf(f, "{\"event\":\"synced\",\"devices\":%zu}\n", ndev);
	else
		fprintf(f, "synced devices=%zu\n", ndev);
}
