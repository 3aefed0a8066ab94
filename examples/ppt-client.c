// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ppt-client: an example client of libppt, for authors of orchestrator
 * agents.  Every command of the ppt netlink family is one libppt call, and
 * this program drives each from the command line, so it is a template for
 * an agent and a tool for tests (tests/vm/35-cli.sh uses it).
 *
 * usage: ppt-client [-t MS | -n] [-i] COMMAND [ARGS]
 *
 *	get ADDR			one device
 *	list				every device ppt manages
 *	reserve ADDR [force|force-host]	take a device for ppt (force: from its host
 *					driver; force-host: even one the host uses)
 *	release ADDR [unclean]		give it back to host drivers (unclean: a
 *					tainted one without cleaning it)
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
 *	version				the loaded module's protocol version and libppt's
 *
 *	-t MS	how long asynchronous commands wait for their outcome
 *		(default 60000); -n: do not wait
 *	-i	print each asynchronous request's id, and the devices a
 *		match-add reserved, before its result line
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
 *	request ID				(-i: the request's id; 0 when refused)
 *	reserved ADDR				(-i, match-add: one line per device)
 *	ok COMMAND ADDR
 *	subscribed				(events: from here on nothing is missed)
 *	event device ADDR state=STATE owner=OWNER removed=yes|no seq=N
 *	event request ADDR CMD id=N errno=NAME|0 msg="..." blocker=ADDR seq=N
 *	event lost reason=gap|overrun|restart|unloaded count=N
 *	error COMMAND ADDR: ENAME (strerror): MESSAGE [blocker ADDR driver DRV]
 *	      [missing ATTR | attribute ATTR]	(what the kernel pointed at)
 *	protocol N libppt M			(version: the module's and libppt's)
 *
 * (one line each; "-" stands for a missing value).  Exit status: 0 success,
 * 1 the command failed (the error line says why, with the kernel's
 * message), 2 usage error.
 *
 * An agent's event loop would send with a timeout of 0 (-n), keep each
 * request's id (-i) and match it with the outcome events' ids.
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
static bool show_ids;

static const char *dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void print_device(const struct ppt_dev *d)
{
	char methods[64] = "";
	uint32_t m;

	for (m = PPT_RESET_AUTO + 1; m <= PPT_RESET_MAX; m++)
		if (ppt_dev_reset_methods(d) & (1u << m))
			snprintf(methods + strlen(methods), sizeof(methods) - strlen(methods),
				 "%s%s", methods[0] ? "," : "", ppt_reset_method_name(m));
	printf("device %s state=%s owner=%s driver=%s vendor=%04x device=%04x",
	       ppt_dev_addr(d), ppt_state_name(ppt_dev_state(d)), dash(ppt_dev_owner(d)),
	       dash(ppt_dev_driver(d)), ppt_dev_vendor(d), ppt_dev_device(d));
	if (ppt_dev_iommu_group(d) >= 0)
		printf(" group=%" PRId64, ppt_dev_iommu_group(d));
	else
		printf(" group=-");
	printf(" path=%s slot=%s boot=%s adopted=%s reset_methods=%s",
	       dash(ppt_dev_path(d)), dash(ppt_dev_slot(d)),
	       ppt_dev_boot_listed(d) ? "yes" : "no",
	       ppt_dev_adopted(d) ? "yes" : "no", dash(methods));
	if (ppt_dev_last_reset(d) >= 0)
		printf(" last_reset=%s last_reset_usec=%" PRIu64,
		       ppt_reset_method_name((uint32_t)ppt_dev_last_reset(d)),
		       ppt_dev_last_reset_usec(d));
	else
		printf(" last_reset=- last_reset_usec=-");
	printf(" reset_pref=%s", ppt_dev_reset_pref(d) >= 0 ?
	       ppt_reset_method_name((uint32_t)ppt_dev_reset_pref(d)) : "-");
	if (ppt_dev_lease(d))
		printf(" lease=%" PRIu32, ppt_dev_lease(d));
	else
		printf(" lease=-");
	printf(" lease_ended=%s\n", ppt_dev_lease_ended(d) ? "yes" : "no");
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

/* An asynchronous request's result: with -i, its id first. */
static int done_async(struct ppt_handle *h, const char *cmd, const char *what,
		      int err, uint64_t id)
{
	if (show_ids)
		printf("request %" PRIu64 "\n", id);
	return done(h, cmd, what, err);
}

static int print_one(const struct ppt_dev *d, void *arg)
{
	(void)arg;
	print_device(d);
	return 0;
}

static void print_event(const struct ppt_event *ev)
{
	const struct ppt_dev *d = ppt_event_dev(ev);
	const struct ppt_req *r = ppt_event_req(ev);
	const char *name;

	switch (ppt_event_type(ev)) {
	case PPT_EVENT_DEVICE:
		printf("event device %s state=%s owner=%s removed=%s seq=%" PRIu64 "\n",
		       ppt_dev_addr(d), ppt_state_name(ppt_dev_state(d)),
		       dash(ppt_dev_owner(d)), ppt_event_removed(ev) ? "yes" : "no",
		       ppt_event_seq(ev));
		break;
	case PPT_EVENT_REQUEST:
		name = ppt_req_error(r) ? strerrorname_np(-ppt_req_error(r)) : "0";
		printf("event request %s %s id=%" PRIu64 " errno=%s msg=\"%s\" blocker=%s seq=%" PRIu64 "\n",
		       dash(ppt_req_addr(r)), ppt_cmd_name(ppt_req_cmd(r)), ppt_req_id(r),
		       name ? name : "E?", ppt_req_msg(r) ? ppt_req_msg(r) : "",
		       dash(ppt_req_blocker(r)), ppt_event_seq(ev));
		break;
	case PPT_EVENT_LOST:
		printf("event lost reason=%s count=%" PRIu64 "\n",
		       ppt_event_lost_reason(ev) == PPT_LOST_GAP ? "gap" :
		       ppt_event_lost_reason(ev) == PPT_LOST_OVERRUN ? "overrun" :
		       ppt_event_lost_reason(ev) == PPT_LOST_RESTART ? "restart" : "unloaded",
		       ppt_event_lost_count(ev));
		break;
	}
}

/*
 * Subscribe, then read events.  An agent would subscribe first, then list
 * the devices, then apply events; on PPT_EVENT_LOST it lists again.
 */
static int events(struct ppt_handle *h, long count, int wait_ms)
{
	struct ppt_event *ev;
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
		print_event(ev);
		ppt_event_free(ev);
		fflush(stdout);
		seen++;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ppt-client [-t MS | -n] [-i] COMMAND [ARGS]\n"
		"commands: get ADDR, list, reserve ADDR [force|force-host],\n"
		"  release ADDR [unclean], claim|unclaim|assign|unassign ADDR [OWNER],\n"
		"  reset|clean ADDR [METHOD], set ADDR METHOD,\n"
		"  claim-set OWNER [match=IDS] [count=N] [ADDR...], take OWNER,\n"
		"  match-add ids|device|path TEXT [METHOD], match-del ids|device|path TEXT,\n"
		"  match-list, events [COUNT [MS]], version\n");
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
	struct ppt_claim_spec *spec = ppt_claim_spec_new(owner);
	char **got = NULL;
	size_t n = 0, i;
	int k, ret = spec ? 0 : -ENOMEM;

	for (k = 0; !ret && k < argc; k++) {
		if (!strncmp(argv[k], "match=", 6))
			ret = ppt_claim_spec_set_match(spec, argv[k] + 6);
		else if (!strncmp(argv[k], "count=", 6))
			ret = ppt_claim_spec_set_count(spec, (unsigned int)atoi(argv[k] + 6));
		else
			ret = ppt_claim_spec_add_addr(spec, argv[k]);
	}
	if (!ret && !strcmp(cmd, "take"))
		ret = ppt_take(h, owner, 0, &got, &n);
	else if (!ret)
		ret = ppt_claim(h, spec, 0, &got, &n);
	ppt_claim_spec_free(spec);
	if (ret)
		return fail(h, cmd, owner, ret);
	for (i = 0; i < n; i++)
		printf("claimed %s\n", got[i]);
	ppt_addrs_free(got);
	printf("ok %s %s\n", cmd, owner);
	return 0;
}

/*
 * A runtime match: the entry is added at once, and the kernel reserves
 * the functions it matches that no driver holds; the outcome names them.
 */
static int match_add(struct ppt_handle *h, const char *kind, const char *text,
		     uint32_t method)
{
	struct ppt_req *outcome = NULL;
	uint64_t id = 0;
	size_t i;
	int ret;

	ret = ppt_match_add(h, (enum ppt_match_kind)ppt_match_kind_parse(kind), text,
			    method, 0, timeout_ms, &id, &outcome);
	if (show_ids)
		printf("request %" PRIu64 "\n", id);
	for (i = 0; show_ids && outcome && i < ppt_req_device_count(outcome); i++)
		printf("reserved %s\n", ppt_req_device(outcome, i));
	ppt_req_free(outcome);
	return done(h, "match-add", text, ret);
}

/* The loaded module's protocol version, and the one libppt speaks. */
static int version(struct ppt_handle *h)
{
	int v = ppt_family_version(h);

	if (v < 0)
		return fail(h, "version", "-", v);
	printf("protocol %d libppt %d\n", v, PPT_GENL_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	struct ppt_handle *h;
	struct ppt_dev *d;
	const char *cmd, *addr, *arg;
	uint64_t id = 0;
	int c, ret, method, kind;

	while ((c = getopt(argc, argv, "+t:ni")) != -1) {
		switch (c) {
		case 't': timeout_ms = atoi(optarg); break;
		case 'n': timeout_ms = 0; break;
		case 'i': show_ids = true; break;
		default: return usage();
		}
	}
	if (optind >= argc)
		return usage();
	cmd = argv[optind];
	addr = optind + 1 < argc ? argv[optind + 1] : NULL;
	arg = optind + 2 < argc ? argv[optind + 2] : NULL;
	if (!strstr(" get list reserve release claim unclaim assign unassign reset clean set"
		    " claim-set take match-add match-del match-list events version ", cmd) ||
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
		struct ppt_match **m;
		size_t i;

		ret = ppt_match_list(h, &m, NULL);
		if (ret) {
			ret = fail(h, cmd, "-", ret);
		} else {
			for (i = 0; m[i]; i++)
				printf("match %s %s boot=%s reset_pref=%s\n",
				       ppt_match_kind_name(ppt_match_kind(m[i])),
				       ppt_match_text(m[i]), ppt_match_boot(m[i]) ? "yes" : "no",
				       ppt_match_reset_pref(m[i]) >= 0 ?
				       ppt_reset_method_name((uint32_t)ppt_match_reset_pref(m[i])) :
				       "-");
			ppt_match_list_free(m);
		}
	} else if (!strcmp(cmd, "version")) {
		ret = version(h);
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
			print_device(d);
		ppt_dev_free(d);
	} else if (!strcmp(cmd, "reserve")) {
		unsigned int flags = !arg ? 0 : !strcmp(arg, "force") ? PPT_RESERVE_FORCE :
				     !strcmp(arg, "force-host") ?
				     PPT_RESERVE_FORCE | PPT_RESERVE_FORCE_HOST : ~0u;

		ret = flags == ~0u ? usage() :
		      done_async(h, cmd, addr,
				 ppt_device_reserve(h, addr, flags, timeout_ms, &id), id);
	} else if (!strcmp(cmd, "release")) {
		unsigned int flags = !arg ? 0 : !strcmp(arg, "unclean") ? PPT_RELEASE_UNCLEAN : ~0u;

		ret = flags == ~0u ? usage() :
		      done_async(h, cmd, addr,
				 ppt_device_release(h, addr, flags, timeout_ms, &id), id);
	} else if (!strcmp(cmd, "claim")) {
		ret = done(h, cmd, addr, ppt_device_claim(h, addr, arg, 0));
	} else if (!strcmp(cmd, "unclaim")) {
		ret = done(h, cmd, addr, ppt_device_unclaim(h, addr, arg, 0));
	} else if (!strcmp(cmd, "assign")) {
		ret = done_async(h, cmd, addr,
				 ppt_device_assign(h, addr, arg, 0, timeout_ms, &id), id);
	} else if (!strcmp(cmd, "unassign")) {
		ret = done_async(h, cmd, addr,
				 ppt_device_unassign(h, addr, arg, 0, timeout_ms, &id), id);
	} else if (!strcmp(cmd, "reset") || !strcmp(cmd, "clean")) {
		method = arg ? ppt_reset_method_parse(arg) : PPT_RESET_AUTO;
		if (method < 0)
			ret = usage();
		else if (cmd[1] == 'e')
			ret = done_async(h, cmd, addr,
					 ppt_device_reset(h, addr, (uint32_t)method, 0,
							  timeout_ms, &id), id);
		else
			ret = done_async(h, cmd, addr,
					 ppt_device_clean(h, addr, (uint32_t)method, 0,
							  timeout_ms, &id), id);
	} else if (!strcmp(cmd, "set")) {
		method = arg ? ppt_reset_method_parse(arg) : -1;
		if (method < 0)
			ret = usage();
		else
			ret = done(h, cmd, addr,
				   ppt_device_set_reset_pref(h, addr, (uint32_t)method, 0));
	} else if (!strcmp(cmd, "match-add") || !strcmp(cmd, "match-del")) {
		/* here addr is the kind and arg the entry, passed as given */
		const char *pref = optind + 3 < argc ? argv[optind + 3] : NULL;

		kind = ppt_match_kind_parse(addr);
		method = pref ? ppt_reset_method_parse(pref) : PPT_RESET_AUTO;
		if (kind < 0 || !arg || method < 0 || (pref && cmd[6] == 'd'))
			ret = usage();
		else if (!strcmp(cmd, "match-add"))
			ret = match_add(h, addr, arg, (uint32_t)method);
		else
			ret = done(h, cmd, arg, ppt_match_del(h, (enum ppt_match_kind)kind,
							      arg, 0));
	} else {
		ret = usage();
	}
	ppt_close(h);
	return ret;
}
