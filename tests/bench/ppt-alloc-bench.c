// SPDX-License-Identifier: GPL-2.0-only
/*
 * ppt-alloc-bench: the allocation benchmarks (tests/bench/40-alloc.sh).
 *
 *   ppt-alloc-bench claims NCLIENTS TOTAL IDS
 *	NCLIENTS threads, each with its own libppt handle (as independent
 *	agents), claim one device matching IDS and unclaim it, TOTAL claims
 *	in all; a claim that finds every device taken (ENOSPC) is retried
 *	and not counted.  Prints "claims TOTAL in USEC us".
 *   ppt-alloc-bench handoff N ADDR
 *	N times: claim ADDR, then time one assign (ppt -> vfio-pci) and one
 *	unassign (vfio-pci -> ppt) through libppt, each waited for; clean it
 *	untimed.  Prints "handoff N in USEC us" (the timed part only).
 *   ppt-alloc-bench sysfs-handoff N ADDR DRIVER
 *	N times the sysfs sequence libvirt and driverctl use for the same two
 *	binds, between DRIVER (e.g. pci-stub) and vfio-pci: driver_override,
 *	unbind, drivers_probe, each way.  Prints "handoff N in USEC us".
 *
 * Times are CLOCK_MONOTONIC wall time.  Exit status 0 on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libppt.h"

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

struct client {
	pthread_t thread;
	int id, share, ret;
	const char *ids;
};

static pthread_barrier_t start;

static void *claim_loop(void *arg)
{
	struct client *c = arg;
	struct ppt_claim_spec *spec;
	struct ppt_handle *h = NULL;
	char owner[32];
	int made = 0;

	snprintf(owner, sizeof(owner), "bench-%d", c->id);
	spec = ppt_claim_spec_new(owner);
	c->ret = spec ? ppt_open(&h) : -ENOMEM;
	if (!c->ret)
		c->ret = ppt_claim_spec_set_match(spec, c->ids);
	if (!c->ret)
		c->ret = ppt_claim_spec_set_count(spec, 1);
	/* libppt asks what the module supports once: before the clock */
	if (!c->ret && ppt_family_version(h) < 0)
		c->ret = -EIO;
	pthread_barrier_wait(&start);
	while (!c->ret && made < c->share) {
		char **got;
		size_t n;
		int ret = ppt_claim(h, spec, 0, &got, &n);

		if (ret == -ENOSPC)
			continue;
		if (ret || n != 1) {
			c->ret = ret ? ret : -EPROTO;
			ppt_addrs_free(got);
			break;
		}
		c->ret = ppt_device_unclaim(h, got[0], owner, 0);
		ppt_addrs_free(got);
		made++;
	}
	if (c->ret)
		fprintf(stderr, "ppt-alloc-bench: client %d: %s: %s\n", c->id,
			strerror(-c->ret), ppt_errmsg(h) ?: "");
	ppt_claim_spec_free(spec);
	ppt_close(h);
	return NULL;
}

static int bench_claims(int nclients, int total, const char *ids)
{
	struct client *c = calloc((size_t)nclients, sizeof(*c));
	long long t0;
	int i, failed = 0;

	if (!c || pthread_barrier_init(&start, NULL, (unsigned int)nclients + 1))
		return 1;
	for (i = 0; i < nclients; i++) {
		c[i].id = i;
		c[i].share = total / nclients + (i < total % nclients);
		c[i].ids = ids;
		if (pthread_create(&c[i].thread, NULL, claim_loop, &c[i]))
			return 1;
	}
	pthread_barrier_wait(&start);
	t0 = now_us();
	for (i = 0; i < nclients; i++) {
		pthread_join(c[i].thread, NULL);
		failed += c[i].ret != 0;
	}
	printf("claims %d in %lld us\n", total, now_us() - t0);
	free(c);
	return failed ? 1 : 0;
}

static int bench_handoff(int n, const char *addr)
{
	struct ppt_handle *h;
	long long t = 0, t0;
	int i, ret = ppt_open(&h);

	for (i = 0; !ret && i < n; i++) {
		ret = ppt_device_claim(h, addr, "bench", 0);
		if (ret)
			break;
		t0 = now_us();
		ret = ppt_device_assign(h, addr, "bench", 0, 60000, NULL);
		if (!ret)
			ret = ppt_device_unassign(h, addr, "bench", 0, 60000, NULL);
		t += now_us() - t0;
		if (!ret)
			ret = ppt_device_clean(h, addr, PPT_RESET_AUTO, 0, 60000, NULL);
	}
	if (ret) {
		fprintf(stderr, "ppt-alloc-bench: handoff %s: %s: %s\n", addr,
			strerror(-ret), ppt_errmsg(h) ?: "");
		ppt_close(h);
		return 1;
	}
	printf("handoff %d in %lld us\n", n, t);
	ppt_close(h);
	return 0;
}

/* Write @val to a sysfs file, as `echo VAL > FILE` does. */
static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t w;

	if (fd < 0) {
		fprintf(stderr, "ppt-alloc-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	w = write(fd, val, strlen(val));
	if (w < 0)
		fprintf(stderr, "ppt-alloc-bench: write %s to %s: %s\n", val,
			path, strerror(errno));
	close(fd);
	return w < 0 ? -1 : 0;
}

/* driver_override, unbind from @from, drivers_probe: bind @addr to @to. */
static int sysfs_move(const char *addr, const char *from, const char *to)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override",
		 addr);
	if (sysfs_write(path, to))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind", from);
	if (sysfs_write(path, addr))
		return -1;
	return sysfs_write("/sys/bus/pci/drivers_probe", addr);
}

static int bench_sysfs_handoff(int n, const char *addr, const char *driver)
{
	long long t0 = now_us();
	int i;

	for (i = 0; i < n; i++)
		if (sysfs_move(addr, driver, "vfio-pci") ||
		    sysfs_move(addr, "vfio-pci", driver))
			return 1;
	printf("handoff %d in %lld us\n", n, now_us() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "claims"))
		return bench_claims(atoi(argv[2]), atoi(argv[3]), argv[4]);
	if (argc == 4 && !strcmp(argv[1], "handoff"))
		return bench_handoff(atoi(argv[2]), argv[3]);
	if (argc == 5 && !strcmp(argv[1], "sysfs-handoff"))
		return bench_sysfs_handoff(atoi(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "usage: ppt-alloc-bench claims NCLIENTS TOTAL IDS\n"
			"       ppt-alloc-bench handoff N ADDR\n"
			"       ppt-alloc-bench sysfs-handoff N ADDR DRIVER\n");
	return 2;
}
