// SPDX-License-Identifier: GPL-2.0-only
/*
 * json_samples: every JSON shape pptadm prints, from its own output code
 * on made-up devices, for check-schema.py to check against the schema.
 * Each section starts with a line "# DEF", DEF being the schema's
 * definition (under $defs) its JSON texts must validate against; both
 * layouts, compact and pretty, are printed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "check.h"
#include "events.h"
#include "output.h"
#include "sanitise.h"

static struct out_device dev(const char *addr)
{
	struct out_device d = { 0 };

	snprintf(d.info.addr, sizeof(d.info.addr), "%s", addr);
	d.info.iommu_group = -1;
	d.info.last_reset = -1;
	d.info.reset_pref = -1;
	return d;
}

/* A device with every field, and others with as few as can be. */
static void devices(struct out_device *d)
{
	d[0] = dev("0000:3b:00.0");
	d[0].info.vendor = 0x10de;
	d[0].info.device = 0x1db4;
	d[0].info.subvendor = 0x10de;
	d[0].info.subdevice = 0x1214;
	d[0].info.pci_class = 0x030200;
	d[0].info.revision = 0xa1;
	d[0].info.state = PPT_STATE_ASSIGNED;
	snprintf(d[0].info.driver, sizeof(d[0].info.driver), "vfio-pci");
	snprintf(d[0].info.owner, sizeof(d[0].info.owner), "6ffa6b0e \"vm\" \xc3\xa9");
	d[0].info.iommu_group = 12;
	snprintf(d[0].info.path, sizeof(d[0].info.path), "0000:00/03.0/00.0");
	snprintf(d[0].info.slot, sizeof(d[0].info.slot), "3");
	d[0].info.boot_listed = true;
	d[0].info.reset_methods = 1u << PPT_RESET_FLR | 1u << PPT_RESET_SBR;
	d[0].info.last_reset = PPT_RESET_FLR;
	d[0].info.last_reset_usec = 51234;
	d[0].info.last_reset_inferred = true;
	d[0].info.reset_pref = PPT_RESET_SBR;
	d[0].info.lease = 4242;
	d[0].info.tainted = true;
	d[0].info.gated = true;
	snprintf(d[0].info.sanitiser, sizeof(d[0].info.sanitiser), "bar:prefetchable");
	d[0].info.sanitised = true;
	snprintf(d[0].info.last_sanitiser, sizeof(d[0].info.last_sanitiser), "bar");
	d[0].info.last_sanitise_time = 1767225600;
	d[0].info.last_sanitise_usec = 93000123;
	d[0].info.last_sanitise_err = -EIO;
	snprintf(d[0].info.last_sanitise_method, sizeof(d[0].info.last_sanitise_method), "zero");
	snprintf(d[0].info.last_sanitise_verified, sizeof(d[0].info.last_sanitise_verified),
		 "BAR2 256 MiB: zeroed, read back zero");
	snprintf(d[0].info.last_sanitise_msg, sizeof(d[0].info.last_sanitise_msg),
		 "BAR0 \"read back\" data");
	snprintf(d[0].info.reason, sizeof(d[0].info.reason), "a reason\nwith a line");
	snprintf(d[0].vendor_name, sizeof(d[0].vendor_name), "NVIDIA Corporation");
	snprintf(d[0].device_name, sizeof(d[0].device_name), "GV100GL [Tesla V100 PCIe 16GB]");
	snprintf(d[0].name, sizeof(d[0].name), "NVIDIA Corporation GV100GL");
	snprintf(d[0].variant, sizeof(d[0].variant), "v100");
	snprintf(d[0].type, sizeof(d[0].type), "gpu");
	/* an SR-IOV VF (d[0] is made one for the sample) and a PF */
	snprintf(d[0].sriov.physfn, sizeof(d[0].sriov.physfn), "0000:3a:00.0");
	d[0].sriov.vf_index = 3;
	d[1] = dev("10000:01:00.0");		/* a VMD domain, ppt does not manage it */
	d[1].host_only = true;
	d[2] = dev("0000:5e:00.0");
	d[2].info.state = PPT_STATE_RESERVED;
	d[2].sriov.is_pf = true;
	d[2].sriov.numvfs = 4;
	d[2].sriov.totalvfs = 64;
	snprintf(d[2].variant, sizeof(d[2].variant), "edu");
	snprintf(d[2].type, sizeof(d[2].type), "accel");
	d[3] = dev("0000:5f:00.0");
	d[3].info.state = PPT_STATE_DETACHED;
}

static void both(void (*fn)(enum out_format))
{
	fn(OUT_JSON);
	fn(OUT_JSON_PRETTY);
}

static struct out_device D[4];

static void devices_out(enum out_format fmt)
{
	static const char *const sel[] = { NULL, "all", "addr,state", "id,used_by,rev" };
	struct out_fields fl;
	char bad[32];
	size_t i;

	for (i = 0; i < sizeof(sel) / sizeof(sel[0]); i++) {
		out_fields_select(&out_device_fields, fmt, sel[i], &fl, bad, sizeof(bad));
		out_devices(stdout, fmt, &fl, D, 4);
	}
	out_devices(stdout, fmt, &fl, D, 0);
}

static void matches_out(enum out_format fmt)
{
	struct out_match m[2] = {
		{ PPT_MATCH_IDS, "10de:1db4", true, -1 },
		{ PPT_MATCH_PATH, "0000:00/03.0/00.0", false, PPT_RESET_SBR },
	};
	struct out_fields fl;
	char bad[32];

	out_fields_select(&out_match_fields, fmt, NULL, &fl, bad, sizeof(bad));
	out_rows(stdout, fmt, &out_match_fields, &fl, m, 2);
	out_rows(stdout, fmt, &out_match_fields, &fl, m, 0);
}

static void sanitise_rules_out(enum out_format fmt)
{
	struct out_sanitise_rule r[3] = {
		{ PPT_SANITISE_BY_CLASS, "0108", "nvme", "default" },
		{ PPT_SANITISE_BY_IDS, "10de:1db4", "exec:/usr/libexec/gpu-wipe", "boot" },
		{ PPT_SANITISE_BY_DEVICE, "0000:3b:00.0", "none", "runtime" },
	};
	struct out_fields fl;
	char bad[32];

	out_fields_select(&out_sanitise_fields, fmt, NULL, &fl, bad, sizeof(bad));
	out_rows(stdout, fmt, &out_sanitise_fields, &fl, r, 3);
	out_rows(stdout, fmt, &out_sanitise_fields, &fl, r, 0);
}

static void sysinfo_out(enum out_format fmt)
{
	out_sysinfo(stdout, fmt, D, 4);
	out_sysinfo(stdout, fmt, D, 0);
}

static void assignable_out(enum out_format fmt)
{
	out_assignable(stdout, fmt, D, 4);
}

static void error_out(enum out_format fmt)
{
	struct out_error e = {
		.err = -EBUSY, .message = "another device of the IOMMU group is not held by ppt",
		.operation = "assign", .device = "0000:3b:00.0", .blocker = "0000:3b:00.1",
		.blocker_driver = "snd_hda_intel",
	};
	struct out_error bare = { .err = -ENOENT, .what = "cannot reach ppt" };
	struct out_error odd = { .err = 4095, .operation = "list" };

	out_error(stderr, stdout, fmt, &e);
	out_error(stderr, stdout, fmt, &bare);
	out_error(stderr, stdout, fmt, &odd);
}

static void result_out(enum out_format fmt)
{
	struct out_result r[] = {
		{ "reserve", "0000:3b:00.0", "reserved", NULL, 42, -1, NULL },
		{ "claim", "0000:3b:00.0", "claimed", "vm-1", 0, -1, NULL },
		{ "release", "0000:3b:00.0", NULL, NULL, 43, -1, NULL },
		{ "add", "0000:3b:00.0", "reserved", "", 44, PPT_MATCH_IDS, "10de:1db4" },
		{ "remove", NULL, NULL, NULL, 0, PPT_MATCH_DEVICE, "0000:5e:00.0" },
		{ "match add", "10000:01:00.0", "reserving", NULL, 45, PPT_MATCH_PATH, "10000:00/01.0" },
		{ "match del", NULL, NULL, NULL, 0, PPT_MATCH_IDS, "8086:10ed" },
		{ "sriov", "0000:5e:02.0", "reserved", NULL, 46, PPT_MATCH_VFS, "0000:5e:00.0" },
		{ "add", "0000:5e:02.1", "reserved", NULL, 0, PPT_MATCH_VFS, "0000:5e:00.0=4" },
	};
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		out_result(stdout, fmt, &r[i]);
}

static void addrs_out(enum out_format fmt, const char *key)
{
	static const char a[2][PPT_ADDR_BUFLEN] = { "0000:3b:00.0", "0000:3b:00.1" };

	out_addr_list(stdout, fmt, key, "vm-1", a, 2);
	out_addr_list(stdout, fmt, key, "vm-1", a, 0);
}

static void claimed_out(enum out_format fmt)
{
	addrs_out(fmt, "claimed");
}

static void taken_out(enum out_format fmt)
{
	addrs_out(fmt, "taken");
}

static void version_out(enum out_format fmt)
{
	struct out_version loaded = { "0.1.0", PPT_GENL_VERSION, "0.1.0", PPT_GENL_VERSION, NULL };
	struct out_version not = { "0.1.0", PPT_GENL_VERSION, NULL, 0, NULL };
	struct out_version unknown = { "0.1.0", PPT_GENL_VERSION, "0.0.9", 0, "not reachable" };

	out_version(stdout, fmt, &loaded);
	out_version(stdout, fmt, &not);
	out_version(stdout, fmt, &unknown);
}

static void check_out(enum out_format fmt)
{
	static const char *const devs[] = { "0000:3b:00.0", "10000:01:00.0" };
	struct check_env e = { .root = "/nonexistent-ppt-root", .krel = "6.1.0", .version = "0.1.0" };
	struct check_list l = { 0 };

	check_all(&e, &l);		/* no devices: SKIPs; no EFI: INFO; FAILs */
	check_print(stdout, fmt, false, &l);
	check_print(stdout, fmt, true, &l);
	check_list_free(&l);
	e.devices = devs;
	e.ndevices = 2;
	check_all(&e, &l);
	check_print(stdout, fmt, false, &l);
	check_list_free(&l);
}

static void events_out(enum out_format fmt)
{
	struct timespec ts = { 1795000000, 123456789 };
	const struct timespec *stamps[2] = { NULL, &ts };
	struct ev_event dev_ev = { .type = PPT_EVENT_DEVICE, .seq = 7 };
	struct ev_event gone = { .type = PPT_EVENT_DEVICE, .seq = 8, .removed = true };
	struct ev_event ok_ev = { .type = PPT_EVENT_REQUEST, .seq = 9 };
	struct ev_event bad_ev = { .type = PPT_EVENT_REQUEST, .seq = 10 };
	struct ev_event lost[4] = {
		{ .type = PPT_EVENT_LOST, .lost_reason = PPT_LOST_GAP, .lost = 3, .lost_after = 10 },
		{ .type = PPT_EVENT_LOST, .lost_reason = PPT_LOST_OVERRUN },
		{ .type = PPT_EVENT_LOST, .lost_reason = PPT_LOST_RESTART },
		{ .type = PPT_EVENT_LOST, .lost_reason = PPT_LOST_UNLOADED },
	};
	size_t s, i;

	dev_ev.device = D[0].info;
	gone.device = D[2].info;
	ok_ev.request.id = 42;
	ok_ev.request.cmd = PPT_CMD_DEVICE_RESERVE;
	snprintf(ok_ev.request.addr, sizeof(ok_ev.request.addr), "0000:3b:00.0");
	bad_ev.request.id = 43;
	bad_ev.request.cmd = PPT_CMD_MATCH_ADD;
	bad_ev.request.error = -EBUSY;
	snprintf(bad_ev.request.msg, sizeof(bad_ev.request.msg), "busy");
	snprintf(bad_ev.request.blocker, sizeof(bad_ev.request.blocker), "0000:3b:00.1");
	for (s = 0; s < 2; s++) {
		ev_print_state(stdout, fmt, stamps[s], &D[0]);
		ev_print_state(stdout, fmt, stamps[s], &D[1]);
		ev_print_synced(stdout, fmt, stamps[s], 2);
		ev_print(stdout, fmt, stamps[s], &dev_ev, &D[0]);
		ev_print(stdout, fmt, stamps[s], &gone, NULL);
		ev_print(stdout, fmt, stamps[s], &ok_ev, NULL);
		ev_print(stdout, fmt, stamps[s], &bad_ev, NULL);
		for (i = 0; i < 4; i++)
			ev_print(stdout, fmt, stamps[s], &lost[i], NULL);
	}
}

/* agent status -j: an agent, and none */
static void agent_out(enum out_format fmt)
{
	agent_status_print(stdout, fmt, true, 4321, 2199023255u, 2);
	agent_status_print(stdout, fmt, false, 0, 0, 0);
}

/* sanitise run -j: an NVMe erase, a BAR zeroing, a failure */
static void sanitised_out(enum out_format fmt)
{
	struct sanitise_result nvme = {
		.method = "format-crypto", .offered = "format crypto,user; write-zeroes",
		.verified = "1 namespace, 64 sampled blocks (64 held data) read back as zeroes",
		.ms = 412,
	};
	struct sanitise_result bar = {
		.method = "zero", .verified = "BAR0 16 MiB (held data): zeroed, read back zero",
		.ms = 93,
	};
	struct sanitise_result bad = {
		.method = "sanitize-crypto", .offered = "format crypto,user; write-zeroes",
		.why = "the controller does not offer Sanitize crypto erase", .ms = 7,
	};

	sanitise_result_print(stdout, stderr, fmt, "0000:05:00.0", "nvme", 0, &nvme);
	sanitise_result_print(stdout, stderr, fmt, "0000:02:00.0", "bar", 0, &bar);
	sanitise_result_print(stdout, stderr, fmt, "0000:05:00.0", "nvme:sanitize-crypto",
			      -EOPNOTSUPP, &bad);
}

int main(void)
{
	static const struct {
		const char *def;
		void (*fn)(enum out_format);
	} shapes[] = {
		{ "devices", devices_out }, { "matches", matches_out },
		{ "sysinfo", sysinfo_out }, { "assignable", assignable_out },
		{ "error", error_out }, { "result", result_out },
		{ "claimed", claimed_out }, { "taken", taken_out },
		{ "version", version_out }, { "check", check_out },
		{ "event", events_out }, { "sanitised", sanitised_out },
		{ "sanitise_rules", sanitise_rules_out }, { "agent", agent_out },
	};
	size_t i;

	setenv("TZ", "UTC", 1);
	devices(D);
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		printf("# %s\n", shapes[i].def);
		both(shapes[i].fn);
	}
	return 0;
}
