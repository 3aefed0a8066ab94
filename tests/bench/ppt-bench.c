// SPDX-License-Identifier: GPL-2.0-only
/*
 * ppt-bench: drive ppt through libppt for the benchmarks (tests/bench/).
 *
 *   ppt-bench clean METHOD ADDR...
 *	Send one clean request per device, each from its own thread and
 *	netlink socket (as independent agents would), all released at once,
 *	without waiting for the outcome; then wait for every outcome.  Prints
 *	"clean N devices in USEC us" and one line "reset ADDR METHOD USEC"
 *	per device with the kernel's own measure of its reset.
 *
 *   ppt-bench batch METHOD ADDR...
 *	Clean the devices as one agent does (pptadm clean DEVICE...):
 *	ppt_devices_clean() sends every request, then waits for every
 *	outcome.  Prints the same lines.
 *
 * Times are wall-clock (CLOCK_MONOTONIC) from the first request to the last
 * outcome.  Exit status 0 when every clean succeeded, 1 otherwise.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libppt.h"

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

struct sender {
	pthread_t thread;
	struct ppt_handle *h;
	const char *addr;
	int method;
	int ret;
	uint64_t id;		/* the request's id */
	long long accepted;	/* when the kernel's reply came, us */
	long long done;		/* when the outcome came, us */
};

static long long t0;

static pthread_barrier_t start;

static void *send_clean(void *arg)
{
	struct sender *s = arg;

	pthread_barrier_wait(&start);
	s->ret = ppt_device_clean(s->h, s->addr, s->method, 0, 0, &s->id);
	s->accepted = now_us() - t0;
	if (s->ret)
		fprintf(stderr, "ppt-bench: clean %s: %s: %s\n", s->addr,
			strerror(-s->ret), ppt_errmsg(s->h) ?: "");
	return NULL;
}

/* The kernel's own measure of each device's last reset. */
static void print_resets(struct ppt_handle *h, int n, char **addrs)
{
	struct ppt_dev *d;
	int i;

	for (i = 0; i < n; i++) {
		if (ppt_device_get(h, addrs[i], &d))
			continue;
		printf("reset %s %s %llu\n", ppt_dev_addr(d),
		       ppt_reset_method_name((uint32_t)ppt_dev_last_reset(d)),
		       (unsigned long long)ppt_dev_last_reset_usec(d));
		ppt_dev_free(d);
	}
}

static int bench_clean(struct ppt_handle *h, int method, int n, char **addrs)
{
	struct sender *senders;
	const struct ppt_req *r;
	struct ppt_event *ev;
	long long t;
	int i, ret, pending = n, failed = 0;

	ret = ppt_events_subscribe(h);
	if (ret) {
		fprintf(stderr, "ppt-bench: subscribe: %s\n", strerror(-ret));
		return 1;
	}
	senders = calloc(n, sizeof(*senders));
	if (!senders || pthread_barrier_init(&start, NULL, n + 1))
		return 1;
	for (i = 0; i < n; i++) {
		senders[i].addr = addrs[i];
		senders[i].method = method;
		ret = ppt_open(&senders[i].h);
		/* libppt asks what the module supports once: before the clock */
		if (!ret && ppt_family_version(senders[i].h) < 0)
			ret = -EIO;
		if (ret || pthread_create(&senders[i].thread, NULL, send_clean,
					  &senders[i])) {
			fprintf(stderr, "ppt-bench: cannot start sender %d\n", i);
			return 1;
		}
	}
	t0 = now_us();
	pthread_barrier_wait(&start);
	for (i = 0; i < n; i++) {
		pthread_join(senders[i].thread, NULL);
		ppt_close(senders[i].h);
		if (senders[i].ret)
			return 1;
	}
	while (pending > 0) {
		ret = ppt_events_next(h, &ev, 60000);
		if (ret) {
			fprintf(stderr, "ppt-bench: waiting for outcomes: %s\n",
				strerror(-ret));
			return 1;
		}
		if (ppt_event_type(ev) == PPT_EVENT_LOST) {
			fprintf(stderr, "ppt-bench: events lost\n");
			return 1;
		}
		r = ppt_event_req(ev);
		/* each outcome by its request's id */
		for (i = 0; r && i < n; i++)
			if (ppt_req_id(r) == senders[i].id)
				break;
		if (!r || i == n) {
			ppt_event_free(ev);
			continue;
		}
		senders[i].done = now_us() - t0;
		if (ppt_req_error(r)) {
			fprintf(stderr, "ppt-bench: clean %s failed: %s\n",
				addrs[i], ppt_req_msg(r) ?: "");
			failed++;
		}
		ppt_event_free(ev);
		pending--;
	}
	t = now_us() - t0;
	printf("clean %d devices in %lld us\n", n, t);
	print_resets(h, n, addrs);
	/* where the time goes: when each request was accepted and finished */
	for (i = 0; i < n; i++)
		printf("timeline %s accepted %lld done %lld\n", addrs[i],
		       senders[i].accepted, senders[i].done);
	free(senders);
	return failed ? 1 : 0;
}

static int bench_batch(struct ppt_handle *h, int method, int n, char **addrs)
{
	struct ppt_req **out = NULL;
	long long start;
	int i, ret;

	/* libppt asks what the module supports once: before the clock */
	if (ppt_family_version(h) < 0)
		return 1;
	start = now_us();
	ret = ppt_devices_clean(h, (const char *const *)addrs, n, method, 0, 60000, &out);
	printf("clean %d devices in %lld us\n", n, now_us() - start);
	for (i = 0; out && i < n; i++)
		if (ppt_req_error(out[i]))
			fprintf(stderr, "ppt-bench: clean %s: %s: %s\n", ppt_req_addr(out[i]),
				strerror(-ppt_req_error(out[i])), ppt_req_msg(out[i]) ?: "");
	if (ret && (!out || !ppt_req_error(out[0])))
		fprintf(stderr, "ppt-bench: %s\n", ppt_errmsg(h) ?: strerror(-ret));
	print_resets(h, n, addrs);
	ppt_req_list_free(out);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct ppt_handle *h;
	int method, ret;

	if (argc < 4 || (strcmp(argv[1], "clean") && strcmp(argv[1], "batch"))) {
		fprintf(stderr, "usage: ppt-bench clean|batch METHOD ADDR...\n");
		return 2;
	}
	method = ppt_reset_method_parse(argv[2]);
	if (method < 0) {
		fprintf(stderr, "ppt-bench: unknown reset method '%s'\n", argv[2]);
		return 2;
	}
	ret = ppt_open(&h);
	if (ret) {
		fprintf(stderr, "ppt-bench: cannot reach ppt: %s\n", strerror(-ret));
		return 1;
	}
	if (!strcmp(argv[1], "batch"))
		ret = bench_batch(h, method, argc - 3, argv + 3);
	else
		ret = bench_clean(h, method, argc - 3, argv + 3);
	ppt_close(h);
	return ret;
}
