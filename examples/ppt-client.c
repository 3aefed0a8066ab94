// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ppt-client: an example client of libppt, for authors of orchestrator
 * agents.  Every command of the ppt netlink family is one libppt call, and
 * this program drives each from the command line, so it is a template for
 * an agent and a tool for tests (tests/vm/35-cli.sh uses it).
 *
 * usage: ppt-client [-t MS | -n] COMMAND [ARGS]
 *
 *	get ADDR			one device
 *	list				every device ppt manages
 *	reserve ADDR [force]		take a device for ppt (force: from its host driver)
 *	release ADDR			give it back to host drivers
 *	claim ADDR [OWNER]		give a reserved device an owner
 *	unclaim ADDR [OWNER]		make it reserved again
 *	assign ADDR [OWNER]		hand it and its IOMMU group to vfio-pci
 *	unassign ADDR [OWNER]		take it back; it becomes dirty
 *	reset ADDR [METHOD]		auto (default), flr, pm or sbr
 *	clean ADDR [METHOD]		reset, restore and verify a dirty device
 *	set ADDR METHOD			the method auto resets use for it (auto: default)
 *	claim-set OWNER [match=IDS] [count=N] [ADDR...]
 *					claim several devices at once, all or nothing:
 *					the listed ones, or N (default 1) that match
 *	take OWNER			take back every device OWNER holds
 *	match-add ids|device|path TEXT [METHOD]
 *					a runtime match (the boot lists' syntax),
 *					optionally with a reset preference
 *	match-del ids|device|path TEXT
 *	match-list
 *	events [COUNT [MS]]		print events: COUNT of them (default: until
 *					interrupted), waiting at most MS for each
 *
 *	-t MS	how long asynchronous commands wait for their outcome
 *		(default 60000); -n: do not wait
 *
 * An OWNER left out is left out of the request too: the kernel then refuses
 * claim and assign with "missing owner" and names PPT_A_DEV_OWNER as
 * missing, which is how tests see the kernel's answer to a request that
 * lacks an attribute.  Match entries are passed as given, for the kernel
 * to judge.
 *
 * Output, one line per item, easy to grep:
 *
 *	device ADDR state=STATE owner=OWNER driver=DRIVER vendor=VVVV device=DDDD
 *	       group=N path=PATH slot=SLOT boot=yes|no adopted=yes|no
 *	       reset_methods=flr,pm last_reset=METHOD last_reset_usec=N reset_pref=METHOD
 *	       lease=PORTID lease_ended=yes|no
 *	claimed ADDR				(claim-set, take: one line per device)
 *	match KIND TEXT boot=yes|no reset_pref=METHOD
 *	ok COMMAND ADDR
 *	subscribed				(events: from here on nothing is missed)
 *	event device ADDR state=STATE owner=OWNER removed=yes|no seq=N
 *	event request ADDR CMD id=N errno=NAME|0 msg="..." blocker=ADDR seq=N
 *	event lost reason=gap|overrun|restart|unloaded count=N
 *	error COMMAND ADDR: ENAME (strerror): MESSAGE [blocker ADDR driver DRV]
 *	      [missing ATTR | attribute ATTR]	(what the kernel pointed at)
 *
 * (one line each; "-" stands for a missing value).  Exit status: 0 success,
 * 1 the command failed (the error line says why, with the kernel's
 * message), 2 usage error.
 *
 * Build: cc ppt-client.c $(pkg-config --cflags --libs libppt)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libppt.h>

static int timeout_ms = 60000;

static const char *dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void print_device(const struct ppt_device_info *d)
{
	char methods[64] = "";
	uint32_t m;

	for (m = PPT_RESET_AUTO + 1; m <= PPT_RESET_MAX; m++)
		if (d->reset_methods & (1u << m))
			snprintf(methods + strlen(methods), sizeof(methods) - strlen(methods),
				 "%s%s", methods[0] ? "," : "", ppt_reset_method_name(m));
	printf("device %s state=%s owner=%s driver=%s vendor=%04x device=%04x",
	       d->addr, ppt_state_name(d->state), dash(d->owner), dash(d->driver),
	       d->vendor, d->device);
	if (d->iommu_group >= 0)
		printf(" group=%" PRId64, d->iommu_group);
	else
		printf(" group=-");
	printf(" path=%s slot=%s boot=%s adopted=%s reset_methods=%s",
	       dash(d->path), dash(d->slot), d->boot_listed ? "yes" : "no",
	       d->adopted ? "yes" : "no", dash(methods));
	if (d->last_reset >= 0)
		printf(" last_reset=%s last_reset_usec=%" PRIu64,
		       ppt_reset_method_name((uint32_t)d->last_reset), d->last_reset_usec);
	else
		printf(" last_reset=- last_reset_usec=-");
	printf(" reset_pref=%s", d->reset_pref >= 0 ?
	       ppt_reset_method_name((uint32_t)d->reset_pref) : "-");
	if (d->lease)
		printf(" lease=%" PRIu32, d->lease);
	else
		printf(" lease=-");
	printf(" lease_ended=%s\n", d->lease_ended ? "yes" : "no");
}

/*
 * The failure, with everything libppt knows about it: the errno, the
 * kernel's message, the device that blocked the request, and the attribute
 * the kernel found missing or wrong.
 */
static int fail(struct ppt_handle *h, const char *cmd, const char *what, int err)
{
	const char *name = strerrorname_np(-err), *drv = NULL;
	const char *msg = ppt_errmsg(h), *blocker = ppt_blocker(h, &drv);
	bool missing = false;
	int attr = ppt_err_attr(h, &missing);

	printf("error %s %s: %s (%s): %s", cmd, what, name ? name : "E?",
	       strerror(-err), msg ? msg : "no message");
	if (blocker)
		printf(" [blocker %s driver %s]", blocker, dash(drv));
	if (attr >= 0)
		printf(" [%s %s]", missing ? "missing" : "attribute",
		       ppt_attr_name((uint32_t)attr));
	printf("\n");
	return 1;
}

static int done(struct ppt_handle *h, const char *cmd, const char *what, int err)
{
	if (err)
		return fail(h, cmd, what, err);
	printf("ok %s %s\n", cmd, what);
	return 0;
}

static int print_one(const struct ppt_device_info *d, void *arg)
{
	(void)arg;
	print_device(d);
	return 0;
}

static void print_event(const struct ppt_event *ev)
{
	const struct ppt_request_event *r = &ev->request;
	const char *name;

	switch (ev->type) {
	case PPT_EVENT_DEVICE:
		printf("event device %s state=%s owner=%s removed=%s seq=%" PRIu64 "\n",
		       ev->device.addr, ppt_state_name(ev->device.state),
		       dash(ev->device.owner), ev->removed ? "yes" : "no", ev->seq);
		break;
	case PPT_EVENT_REQUEST:
		name = r->error ? strerrorname_np(-r->error) : "0";
		printf("event request %s %s id=%" PRIu64 " errno=%s msg=\"%s\" blocker=%s seq=%" PRIu64 "\n",
		       dash(r->addr), ppt_cmd_name(r->cmd), r->id, name ? name : "E?",
		       r->msg, dash(r->blocker), ev->seq);
		break;
	case PPT_EVENT_LOST:
		printf("event lost reason=%s count=%" PRIu64 "\n",
		       ev->lost_reason == PPT_LOST_GAP ? "gap" :
		       ev->lost_reason == PPT_LOST_OVERRUN ? "overrun" :
		       ev->lost_reason == PPT_LOST_RESTART ? "restart" : "unloaded",
		       ev->lost);
		break;
	}
}

/*
 * Subscribe, then read events.  An agent would subscribe first, then list
 * the devices, then apply events; on PPT_EVENT_LOST it lists again.
 */
static int events(struct ppt_handle *h, long count, int wait_ms)
{
	struct ppt_event ev;
	long seen = 0;
	int ret = ppt_events_subscribe(h);

	if (ret)
		return fail(h, "events", "-", ret);
	printf("subscribed\n");
	fflush(stdout);
	while (count < 0 || seen < count) {
		ret = ppt_events_next(h, &ev, wait_ms);
		if (ret == -EAGAIN) {
			printf("error events -: no event within %d ms\n", wait_ms);
			return 1;
		}
		if (ret)
			return fail(h, "events", "-", ret);
		print_event(&ev);
		fflush(stdout);
		seen++;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ppt-client [-t MS | -n] COMMAND [ARGS]\n"
		"commands: get ADDR, list, reserve ADDR [force], release ADDR,\n"
		"  claim|unclaim|assign|unassign ADDR [OWNER], reset|clean ADDR [METHOD],\n"
		"  set ADDR METHOD, claim-set OWNER [match=IDS] [count=N] [ADDR...],\n"
		"  take OWNER, match-add ids|device|path TEXT [METHOD],\n"
		"  match-del ids|device|path TEXT, match-list, events [COUNT [MS]]\n");
	return 2;
}

/*
 * Several devices at once: the kernel chooses and claims them all, or
 * none, under one lock (an agent would add PPT_CLAIM_LEASE, so that they
 * come back if it dies).  take: every device the owner holds.
 */
static int claim_set(struct ppt_handle *h, const char *cmd, const char *owner,
		     int argc, char **argv)
{
	struct ppt_claim_spec spec = { .owner = owner };
	char (*got)[PPT_ADDR_BUFLEN];
	const char **addrs;
	size_t n = 0, i;
	int k, ret;

	addrs = calloc((size_t)argc + 1, sizeof(*addrs));
	if (!addrs)
		return 1;
	for (k = 0; k < argc; k++) {
		if (!strncmp(argv[k], "match=", 6))
			spec.match = argv[k] + 6;
		else if (!strncmp(argv[k], "count=", 6))
			spec.count = (unsigned int)atoi(argv[k] + 6);
		else
			addrs[n++] = argv[k];
	}
	spec.addrs = addrs;
	spec.n_addrs = n;
	if (!strcmp(cmd, "take"))
		ret = ppt_take(h, owner, 0, &got, &n);
	else
		ret = ppt_claim(h, &spec, &got, &n);
	free(addrs);
	if (ret)
		return fail(h, cmd, owner, ret);
	for (i = 0; i < n; i++)
		printf("claimed %s\n", got[i]);
	free(got);
	printf("ok %s %s\n", cmd, owner);
	return 0;
}

int main(int argc, char **argv)
{
	struct ppt_handle *h;
	struct ppt_device_info d;
	const char *cmd, *addr, *arg;
	int c, ret, method, kind;

	while ((c = getopt(argc, argv, "+t:n")) != -1) {
		switch (c) {
		case 't': timeout_ms = atoi(optarg); break;
		case 'n': timeout_ms = 0; break;
		default: return usage();
		}
	}
	if (optind >= argc)
		return usage();
	cmd = argv[optind];
	addr = optind + 1 < argc ? argv[optind + 1] : NULL;
	arg = optind + 2 < argc ? argv[optind + 2] : NULL;
	if (!strstr(" get list reserve release claim unclaim assign unassign reset clean set"
		    " claim-set take match-add match-del match-list events ", cmd) ||
	    strchr(cmd, ' ') ||
	    !cmd[0])
		return usage();

	ret = ppt_open(&h);
	if (ret) {
		printf("error open -: %s (%s): is the ppt module loaded?\n",
		       strerrorname_np(-ret), strerror(-ret));
		return 1;
	}

	if (!strcmp(cmd, "list")) {
		ret = ppt_device_foreach(h, print_one, NULL);
		ret = ret ? fail(h, cmd, "-", ret) : 0;
	} else if (!strcmp(cmd, "match-list")) {
		struct ppt_match *m;
		size_t n, i;

		ret = ppt_match_list(h, &m, &n);
		if (ret) {
			ret = fail(h, cmd, "-", ret);
		} else {
			for (i = 0; i < n; i++)
				printf("match %s %s boot=%s reset_pref=%s\n",
				       ppt_match_kind_name(m[i].kind), m[i].text,
				       m[i].boot ? "yes" : "no", m[i].reset_pref >= 0 ?
				       ppt_reset_method_name((uint32_t)m[i].reset_pref) : "-");
			free(m);
		}
	} else if (!strcmp(cmd, "claim-set") || !strcmp(cmd, "take")) {
		/* here addr is the owner */
		ret = addr ? claim_set(h, cmd, addr, argc - optind - 2, argv + optind + 2)
			   : usage();
	} else if (!strcmp(cmd, "events")) {
		ret = events(h, addr ? atol(addr) : -1,
			     arg ? atoi(arg) : PPT_WAIT_FOREVER);
	} else if (!addr) {
		ret = usage();
	} else if (!strcmp(cmd, "get")) {
		ret = ppt_device_get(h, addr, &d);
		if (ret)
			ret = fail(h, cmd, addr, ret);
		else
			print_device(&d);
	} else if (!strcmp(cmd, "reserve")) {
		ret = done(h, cmd, addr, ppt_device_reserve(h, addr,
				arg && !strcmp(arg, "force"), timeout_ms));
	} else if (!strcmp(cmd, "release")) {
		ret = done(h, cmd, addr, ppt_device_release(h, addr, timeout_ms));
	} else if (!strcmp(cmd, "claim")) {
		ret = done(h, cmd, addr, ppt_device_claim(h, addr, arg));
	} else if (!strcmp(cmd, "unclaim")) {
		ret = done(h, cmd, addr, ppt_device_unclaim(h, addr, arg));
	} else if (!strcmp(cmd, "assign")) {
		ret = done(h, cmd, addr, ppt_device_assign(h, addr, arg, timeout_ms));
	} else if (!strcmp(cmd, "unassign")) {
		ret = done(h, cmd, addr, ppt_device_unassign(h, addr, arg, timeout_ms));
	} else if (!strcmp(cmd, "reset") || !strcmp(cmd, "clean")) {
		method = arg ? ppt_reset_method_parse(arg) : PPT_RESET_AUTO;
		if (method < 0)
			ret = usage();
		else if (cmd[1] == 'e')
			ret = done(h, cmd, addr, ppt_device_reset(h, addr, (uint32_t)method,
								  timeout_ms));
		else
			ret = done(h, cmd, addr, ppt_device_clean(h, addr, (uint32_t)method,
								  timeout_ms));
	} else if (!strcmp(cmd, "set")) {
		method = arg ? ppt_reset_method_parse(arg) : -1;
		if (method < 0)
			ret = usage();
		else
			ret = done(h, cmd, addr, ppt_device_set_reset_pref(h, addr, (uint32_t)method));
	} else if (!strcmp(cmd, "match-add") || !strcmp(cmd, "match-del")) {
		/* here addr is the kind and arg the entry, passed as given */
		const char *pref = optind + 3 < argc ? argv[optind + 3] : NULL;

		kind = ppt_match_kind_parse(addr);
		method = pref ? ppt_reset_method_parse(pref) : PPT_RESET_AUTO;
		if (kind < 0 || !arg || method < 0 || (pref && cmd[6] == 'd'))
			ret = usage();
		else if (!strcmp(cmd, "match-add"))
			ret = done(h, cmd, arg, ppt_match_add_reset_pref(h, (enum ppt_match_kind)kind,
									 arg, (uint32_t)method));
		else
			ret = done(h, cmd, arg, ppt_match_del(h, (enum ppt_match_kind)kind, arg));
	} else {
		ret = usage();
	}
	ppt_close(h);
	return ret;
}
