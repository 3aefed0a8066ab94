// SPDX-License-Identifier: GPL-2.0-only
/*
 * ppt-alloc-test: drive ppt's allocation commands through libppt for the
 * VM tests (tests/vm/46-alloc.sh).
 *
 *   ppt-alloc-test claim OWNER [--lease] [--count N] [--match IDS] [ADDR...]
 *	One ppt_claim(); prints "claimed ADDR" per device, or the error
 *	("error ERRNO-NAME: message [blocker ADDR]") and exits 1.
 *   ppt-alloc-test hold OWNER [--assign] [--take] [--count N]
 *			[--match IDS] [ADDR...]
 *	Claim with a lease (--take: take the owner's devices back with one
 *	instead), assign them with --assign, print "held ADDR" per device and
 *	"ready", then sleep until killed: the lease lives as long as the
 *	process.
 *   ppt-alloc-test show ADDR
 *	Print "STATE OWNER LEASE ENDED" for a device: owner "-" when none,
 *	lease the port id (0: none), ended "ended" or "-".
 *   ppt-alloc-test storm NPROC TOTAL IDS LOG
 *	NPROC processes claim one device matching IDS and unclaim it, TOTAL
 *	claims in all.  Each records, per hold, the device and the
 *	CLOCK_MONOTONIC time after ppt_claim() returned and before the
 *	unclaim was sent, in LOG.N; then the parent checks that no two holds
 *	of one device overlap and prints "storm: C claims, B busy, 0 overlaps".
 *	Exit status 1 on an overlap or an unexpected error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libppt.h"

#define MAX_ADDRS 64

struct args {
	const char *owner;
	const char *match;
	unsigned int count;
	bool lease, assign, take;
	const char *addrs[MAX_ADDRS];
	size_t naddrs;
};

static int usage(void)
{
	fprintf(stderr, "usage: ppt-alloc-test claim|hold OWNER [options] [ADDR...]\n"
			"       ppt-alloc-test storm NPROC TOTAL IDS LOG\n");
	return 2;
}

static int parse(int argc, char **argv, struct args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->owner = argv[0];
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--lease"))
			a->lease = true;
		else if (!strcmp(argv[i], "--assign"))
			a->assign = true;
		else if (!strcmp(argv[i], "--take"))
			a->take = true;
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			a->count = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--match") && i + 1 < argc)
			a->match = argv[++i];
		else if (argv[i][0] == '-' || a->naddrs == MAX_ADDRS)
			return -1;
		else
			a->addrs[a->naddrs++] = argv[i];
	}
	return 0;
}

static void print_error(struct ppt_handle *h, int ret)
{
	const char *b = ppt_blocker(h, NULL);

	printf("error %s: %s%s%s\n", strerrorname_np(-ret) ?: "?",
	       ppt_errmsg(h) ?: strerror(-ret), b ? " blocker " : "", b ?: "");
}

static int do_claim(struct ppt_handle *h, const struct args *a, bool lease,
		    char ***got, size_t *n)
{
	struct ppt_claim_spec *spec = ppt_claim_spec_new(a->owner);
	int ret = spec ? 0 : -ENOMEM;
	size_t i;

	for (i = 0; !ret && i < a->naddrs; i++)
		ret = ppt_claim_spec_add_addr(spec, a->addrs[i]);
	if (!ret)
		ret = ppt_claim_spec_set_match(spec, a->match);
	if (!ret)
		ret = ppt_claim_spec_set_count(spec, a->count);
	if (!ret)
		ret = ppt_claim(h, spec, lease ? PPT_CLAIM_LEASE : 0, got, n);
	ppt_claim_spec_free(spec);
	return ret;
}

static int cmd_claim(struct ppt_handle *h, const struct args *a)
{
	char **got;
	size_t n, i;
	int ret = do_claim(h, a, a->lease, &got, &n);

	if (ret) {
		print_error(h, ret);
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("claimed %s\n", got[i]);
	ppt_addrs_free(got);
	return 0;
}

static int cmd_hold(struct ppt_handle *h, const struct args *a)
{
	char **got;
	size_t n, i;
	int ret;

	if (a->take)
		ret = ppt_take(h, a->owner, PPT_CLAIM_LEASE, &got, &n);
	else
		ret = do_claim(h, a, true, &got, &n);
	if (ret) {
		print_error(h, ret);
		return 1;
	}
	for (i = 0; a->assign && i < n; i++) {
		ret = ppt_device_assign(h, got[i], a->owner, 0, 60000, NULL);
		/* group mates go along with the first of their group */
		if (ret && ret != -EINVAL && ret != -EBUSY) {
			print_error(h, ret);
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		printf("held %s\n", got[i]);
	printf("ready %u\n", ppt_handle_portid(h));
	fflush(stdout);
	ppt_addrs_free(got);
	for (;;)
		pause();
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One storm worker: claim, record, unclaim, until it made its share. */
static int storm_worker(int id, int share, const char *ids, const char *log)
{
	char owner[32], path[256];
	struct ppt_claim_spec *spec;
	struct ppt_handle *h;
	int made = 0, busy = 0, ret;
	unsigned int seed = (unsigned int)id * 7919u + 1u;
	FILE *f;

	snprintf(owner, sizeof(owner), "storm-%d", id);
	snprintf(path, sizeof(path), "%s.%d", log, id);
	f = fopen(path, "w");
	spec = ppt_claim_spec_new(owner);
	if (!f || !spec || ppt_claim_spec_set_match(spec, ids) ||
	    ppt_claim_spec_set_count(spec, 1) || ppt_open(&h))
		return 1;
	while (made < share) {
		char **got;
		long long t0, t1;
		size_t n;

		ret = ppt_claim(h, spec, 0, &got, &n);
		if (ret == -ENOSPC) {
			busy++;
			continue;
		}
		if (ret || n != 1) {
			fprintf(stderr, "storm-%d: claim: %s: %s\n", id,
				strerror(-ret), ppt_errmsg(h) ?: "");
			return 1;
		}
		t0 = now_ns();
		/* hold it a while, so a double allocation would overlap */
		usleep((useconds_t)(rand_r(&seed) % 300));
		t1 = now_ns();
		fprintf(f, "%s %lld %lld\n", got[0], t0, t1);
		ret = ppt_device_unclaim(h, got[0], owner, 0);
		if (ret) {
			fprintf(stderr, "storm-%d: unclaim %s: %s: %s\n", id,
				got[0], strerror(-ret), ppt_errmsg(h) ?: "");
			return 1;
		}
		ppt_addrs_free(got);
		made++;
	}
	fprintf(f, "busy %d\n", busy);
	fclose(f);
	ppt_claim_spec_free(spec);
	ppt_close(h);
	return 0;
}

struct hold {
	char addr[PPT_ADDR_BUFLEN];
	long long t0, t1;
	int who;
};

static int cmp_hold(const void *a, const void *b)
{
	const struct hold *x = a, *y = b;
	int c = strcmp(x->addr, y->addr);

	if (c)
		return c;
	return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

static int cmd_storm(int nproc, int total, const char *ids, const char *log)
{
	struct hold *holds = calloc((size_t)total, sizeof(*holds));
	int i, n = 0, busy = 0, overlaps = 0, failed = 0, status;
	char path[256], line[128];

	if (!holds)
		return 1;
	for (i = 0; i < nproc; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(storm_worker(i, total / nproc + (i < total % nproc),
					   ids, log));
		if (pid < 0)
			return 1;
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	for (i = 0; i < nproc; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s.%d", log, i);
		f = fopen(path, "r");
		if (!f)
			return 1;
		while (fgets(line, sizeof(line), f)) {
			int b;

			if (sscanf(line, "busy %d", &b) == 1) {
				busy += b;
				continue;
			}
			if (n == total ||
			    sscanf(line, "%16s %lld %lld", holds[n].addr,
				   &holds[n].t0, &holds[n].t1) != 3)
				return 1;
			holds[n++].who = i;
		}
		fclose(f);
	}
	qsort(holds, (size_t)n, sizeof(*holds), cmp_hold);
	for (i = 1; i < n; i++) {
		if (strcmp(holds[i].addr, holds[i - 1].addr) ||
		    holds[i].t0 > holds[i - 1].t1)
			continue;
		overlaps++;
		printf("overlap: %s held by storm-%d until %lld and by storm-%d from %lld\n",
		       holds[i].addr, holds[i - 1].who, holds[i - 1].t1,
		       holds[i].who, holds[i].t0);
	}
	printf("storm: %d claims, %d busy, %d overlaps, %d workers failed\n",
	       n, busy, overlaps, failed);
	free(holds);
	return overlaps || failed || n != total;
}

static int cmd_show(const char *addr)
{
	static const char *const names[] = PPT_STATE_NAMES;
	struct ppt_handle *h = NULL;
	struct ppt_dev *d = NULL;
	int ret = ppt_open(&h);

	if (!ret)
		ret = ppt_device_get(h, addr, &d);
	if (ret) {
		fprintf(stderr, "ppt-alloc-test: %s: %s\n", addr, strerror(-ret));
		ppt_close(h);
		return 1;
	}
	printf("%s %s %u %s\n",
	       ppt_dev_state(d) <= PPT_STATE_MAX ? names[ppt_dev_state(d)] : "?",
	       ppt_dev_owner(d) ? ppt_dev_owner(d) : "-", ppt_dev_lease(d),
	       ppt_dev_lease_ended(d) ? "ended" : "-");
	ppt_dev_free(d);
	ppt_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	struct ppt_handle *h;
	struct args a;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "show"))
		return cmd_show(argv[2]);
	if (argc >= 6 && !strcmp(argv[1], "storm"))
		return cmd_storm(atoi(argv[2]), atoi(argv[3]), argv[4], argv[5]);
	if (argc < 3 || parse(argc - 2, argv + 2, &a))
		return usage();
	ret = ppt_open(&h);
	if (ret) {
		fprintf(stderr, "ppt-alloc-test: ppt_open: %s\n", strerror(-ret));
		return 1;
	}
	if (!strcmp(argv[1], "claim"))
		ret = cmd_claim(h, &a);
	else if (!strcmp(argv[1], "hold"))
		ret = cmd_hold(h, &a);
	else
		ret = usage();
	ppt_close(h);
	return ret;
}
