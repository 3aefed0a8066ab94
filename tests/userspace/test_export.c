// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm export's formats from a fixed inventory: a host with two GPUs
 * (each with its HDMI audio function), an SR-IOV NIC with one VF, and a
 * device of no variant.  The worked examples in docs/integration/ are
 * this output: each block after a "<!-- example: NAME -->" line must be
 * exactly what NAME prints here, so the guides cannot go stale.  With
 * PPT_UPDATE_EXAMPLES=1 the blocks are rewritten instead (then review the
 * diff).  A few structural checks besides say what matters to each
 * consumer, so that a wrong example is not blessed by accident.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "export.h"
#include "ppt_internal.h"
#include "tap.h"

#ifndef PPT_TOP
#define PPT_TOP "."
#endif

#define CAPTURE(buf, stmt)						\
	do {								\
		size_t len_;						\
		FILE *f = open_memstream(&(buf), &len_);		\
		stmt;							\
		fclose(f);						\
	} while (0)

static const char variants_text[] =
	"# NAME     TYPE       IDS\n"
	"v100       gpu        10de:1db4\n"
	"v100-audio gpu-audio  10de:10f0\n"
	"x710       nic        8086:1572\n"
	"x710-vf    nic        8086:154c\n";

static struct variants vs;
static struct out_device devs[8];
static size_t ndevs;

static struct out_device *add(const char *addr, uint16_t ven, uint16_t dev,
			      uint32_t state, int group, const char *owner)
{
	struct out_device *d = &devs[ndevs++];

	snprintf(d->info.addr, sizeof(d->info.addr), "%s", addr);
	d->info.vendor = ven;
	d->info.device = dev;
	d->info.subvendor = ven;
	d->info.subdevice = 0x1214;
	d->info.revision = 0xa1;
	d->info.state = state;
	d->info.iommu_group = group;
	d->info.last_reset = -1;
	d->info.reset_pref = -1;
	snprintf(d->info.owner, sizeof(d->info.owner), "%s", owner);
	snprintf(d->info.path, sizeof(d->info.path), "0000:00/%02x.0/00.%c",
		 (unsigned int)strtoul(addr + 5, NULL, 16) + 1, addr[11]);
	if (state == PPT_STATE_ASSIGNED) {
		snprintf(d->info.driver, sizeof(d->info.driver), "vfio-pci");
		snprintf(d->hw.vfio_group, sizeof(d->hw.vfio_group), "/dev/vfio/%d", group);
	} else {
		snprintf(d->info.driver, sizeof(d->info.driver), "ppt");
	}
	return d;
}

static void inventory(void)
{
	char err[256];
	struct out_device *d;

	if (variants_parse(&vs, "variants.conf", variants_text, strlen(variants_text),
			   err, sizeof(err))) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	add("0000:3b:00.0", 0x10de, 0x1db4, PPT_STATE_ASSIGNED, 12,
	    "6ffa6b0e-3377-11e8-967e-abff9784e7f6");
	add("0000:3b:00.1", 0x10de, 0x10f0, PPT_STATE_ASSIGNED, 12,
	    "6ffa6b0e-3377-11e8-967e-abff9784e7f6");
	add("0000:5e:00.0", 0x10de, 0x1db4, PPT_STATE_RESERVED, 14, "");
	add("0000:5e:00.1", 0x10de, 0x10f0, PPT_STATE_RESERVED, 14, "");
	d = add("0000:af:00.0", 0x8086, 0x1572, PPT_STATE_RESERVED, 30, "");
	d->hw.sriov_pf = true;
	d = add("0000:af:02.0", 0x8086, 0x154c, PPT_STATE_DIRTY, 31, "");
	d->hw.sriov_vf = true;
	add("0000:d8:00.0", 0x1234, 0x11e8, PPT_STATE_RESERVED, 40, "");
	variants_label(&vs, devs, ndevs, devs, ndevs);
}

/* The block after "<!-- example: NAME" in docs/integration/FILE. */
static char *doc_block(const char *file, const char *name, char **text_out,
		       size_t *start, size_t *end)
{
	char path[512], marker[128], *text = NULL, *p, *q;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/docs/integration/%s", PPT_TOP, file);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	text = malloc(1 << 20);
	if (text)
		len = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	if (!text)
		return NULL;
	text[len] = '\0';
	snprintf(marker, sizeof(marker), "<!-- example: %s -->", name);
	p = strstr(text, marker);
	p = p ? strstr(p, "\n```") : NULL;
	p = p ? strchr(p + 1, '\n') : NULL;
	q = p ? strstr(p, "\n```") : NULL;
	if (!q) {
		free(text);
		return NULL;
	}
	p++;
	q++;
	*text_out = text;
	*start = (size_t)(p - text);
	*end = (size_t)(q - text);
	return strndup(p, (size_t)(q - p));
}

/* got must be the example NAME in docs/integration/FILE. */
static void example(const char *file, const char *name, const char *got)
{
	size_t start = 0, end = 0;
	char *text = NULL, *want = doc_block(file, name, &text, &start, &end);

	if (want && getenv("PPT_UPDATE_EXAMPLES")) {
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/docs/integration/%s", PPT_TOP, file);
		f = fopen(path, "w");
		if (f) {
			fwrite(text, 1, start, f);
			fputs(got, f);
			fputs(text + end, f);
			fclose(f);
		}
		free(want);
		free(text);
		want = doc_block(file, name, &text, &start, &end);
	}
	ok(want != NULL, "docs/integration/%s has the example %s", file, name);
	is_str(got, want ? want : "", "docs/integration/%s: example %s is pptadm's output", file, name);
	free(want);
	free(text);
}

static void nova(void)
{
	struct export_opts o = { .warn = stderr };
	char *out = NULL;

	CAPTURE(out, export_nova(f, &o, &vs, devs, ndevs));
	example("nova.md", "nova", out);
	ok(strstr(out, "device_spec = {\"address\":\"0000:3b:00.1\"}\n") &&
	   !strstr(out, "0000:d8:00.0"),
	   "nova: a device_spec for each device of a variant, none for the others");
	ok(strstr(out, "alias = {\"name\":\"v100-audio\",\"vendor_id\":\"10de\",\"product_id\":\"10f0\",\"device_type\":\"type-PCI\",\"numa_policy\":\"legacy\"}\n") != NULL,
	   "nova: the audio functions get an alias of their own");
	ok(strstr(out, "\"name\":\"x710\",\"vendor_id\":\"8086\",\"product_id\":\"1572\",\"device_type\":\"type-PF\"") &&
	   strstr(out, "\"name\":\"x710-vf\",\"vendor_id\":\"8086\",\"product_id\":\"154c\",\"device_type\":\"type-VF\""),
	   "nova: type-PF for a device with VFs, type-VF for a VF");
	free(out);
	o.by_id = true;
	o.numa_policy = "preferred";
	CAPTURE(out, export_nova(f, &o, &vs, devs, ndevs));
	example("nova.md", "nova-by-id", out);
	ok(strstr(out, "device_spec = {\"vendor_id\":\"10de\",\"product_id\":\"1db4\"}\n") &&
	   !strstr(out, "address") && strstr(out, "\"numa_policy\":\"preferred\""),
	   "nova --by-id --numa-policy preferred");
	free(out);
}

static void kubevirt(void)
{
	struct export_opts o = { .warn = stderr };
	struct variants clash = { 0 };
	char err[256], *out = NULL, *warn = NULL;
	static const char two[] = "a gpu 10de:1db4:10de:1214\nb gpu 10de:1db4\n";

	CAPTURE(out, export_kubevirt(f, OUT_TABLE, &o, &vs));
	example("kubevirt.md", "kubevirt", out);
	free(out);
	CAPTURE(out, export_kubevirt(f, OUT_JSON_PRETTY, &o, &vs));
	example("kubevirt.md", "kubevirt-json", out);
	free(out);
	o.prefix = "example.com";
	o.external = true;
	CAPTURE(out, export_kubevirt(f, OUT_JSON, &o, &vs));
	ok(strstr(out, "{\"pciVendorSelector\":\"10de:1db4\",\"resourceName\":\"example.com/v100\",\"externalResourceProvider\":true}") != NULL,
	   "kubevirt: --prefix and --external-provider");
	free(out);
	variants_parse(&clash, "two", two, strlen(two), err, sizeof(err));
	CAPTURE(warn, {
		FILE *w = f;
		o.warn = w;
		CAPTURE(out, export_kubevirt(f, OUT_JSON, &o, &clash));
	});
	is_str(out, "{\"permittedHostDevices\":{\"pciHostDevices\":[{\"pciVendorSelector\":\"10de:1db4\",\"resourceName\":\"example.com/a\",\"externalResourceProvider\":true}]}}\n",
	       "kubevirt: a vendor:device two variants share goes to the first");
	ok(warn && strstr(warn, "variant b: 10de:1db4 is a's already"), "... and the second is warned about");
	free(out);
	free(warn);
	variants_free(&clash);
	CAPTURE(out, export_kubevirt(f, OUT_TABLE, &o, &clash));
	is_str(out, "permittedHostDevices:\n  pciHostDevices: []\n", "kubevirt: no variants, YAML's empty list");
	free(out);
}

static void cdi(void)
{
	struct export_opts o = { 0 };
	char *out = NULL;
	size_t i;

	CAPTURE(out, export_cdi(f, OUT_JSON_PRETTY, &o, devs, ndevs));
	example("cdi.md", "cdi", out);
	ok(strstr(out, "\"/dev/vfio/vfio\"") && !strstr(out, "/dev/iommu") &&
	   !strstr(out, "0000:5e:00.0"),
	   "cdi: the assigned devices' groups and /dev/vfio/vfio; no cdev form");
	free(out);
	/* where the kernel makes cdevs: those and /dev/iommu, never both forms */
	snprintf(devs[0].hw.vfio_cdev, sizeof(devs[0].hw.vfio_cdev), "/dev/vfio/devices/vfio0");
	snprintf(devs[1].hw.vfio_cdev, sizeof(devs[1].hw.vfio_cdev), "/dev/vfio/devices/vfio1");
	o.kind = "example.com/gpu";
	CAPTURE(out, export_cdi(f, OUT_JSON_PRETTY, &o, devs, ndevs));
	example("cdi.md", "cdi-cdev", out);
	ok(strstr(out, "/dev/iommu") && !strstr(out, "/dev/vfio/vfio") &&
	   !strstr(out, "\"/dev/vfio/12\"") && strstr(out, "\"example.com/gpu\""),
	   "cdi: the cdev form has no group nodes");
	free(out);
	devs[1].hw.vfio_cdev[0] = '\0';
	CAPTURE(out, export_cdi(f, OUT_JSON, &o, devs, ndevs));
	ok(strstr(out, "/dev/vfio/vfio") && !strstr(out, "/dev/iommu") &&
	   !strstr(out, "devices/vfio0"),
	   "cdi: one device without a cdev: the group form for all");
	free(out);
	devs[0].hw.vfio_cdev[0] = '\0';
	for (i = 0; i < ndevs; i++)
		if (devs[i].info.state == PPT_STATE_ASSIGNED)
			devs[i].info.state = PPT_STATE_RESERVED;
	CAPTURE(out, export_cdi(f, OUT_JSON, &o, devs, ndevs));
	is_str(out, "{\"cdiVersion\":\"0.6.0\",\"kind\":\"example.com/gpu\",\"devices\":[],\"containerEdits\":{\"deviceNodes\":[{\"path\":\"/dev/vfio/vfio\"}]}}\n",
	       "cdi: nothing assigned, no devices");
	free(out);
	devs[0].info.state = devs[1].info.state = PPT_STATE_ASSIGNED;
}

static void triton(void)
{
	char *out = NULL;

	CAPTURE(out, out_sysinfo(f, OUT_JSON_PRETTY, devs, ndevs));
	example("triton.md", "triton-sysinfo", out);
	free(out);
	CAPTURE(out, out_assignable(f, OUT_JSON_PRETTY, devs, ndevs));
	example("triton.md", "triton-assignable", out);
	free(out);
}

static void options(void)
{
	const char *why = NULL;

	ok(export_format_parse("nova") == EXPORT_NOVA && export_format_parse("triton") == EXPORT_TRITON &&
	   export_format_parse("prometheus") == EXPORT_PROMETHEUS &&
	   export_format_parse("graphite") == -1, "format names");
	ok(export_numa_policy_ok("legacy") && export_numa_policy_ok("socket") &&
	   !export_numa_policy_ok("Legacy") && !export_numa_policy_ok(""), "numa policies: Nova's");
	ok(export_prefix_ok("ppt.io") && export_prefix_ok("gpu.example.com") &&
	   !export_prefix_ok("PPT.io") && !export_prefix_ok("-a.io") && !export_prefix_ok("a..io") &&
	   !export_prefix_ok("a/b") && !export_prefix_ok(""), "resource name prefixes: DNS names");
	ok(export_kind_ok("ppt.io/vfio", &why) && export_kind_ok("example.com/gpu_1", &why),
	   "CDI kinds");
	ok(!export_kind_ok("ppt.io", &why) && !export_kind_ok("ppt.io/a/b", &why) &&
	   !export_kind_ok("1ppt.io/vfio", &why) && !export_kind_ok("ppt.io/vf.io", &why) &&
	   !export_kind_ok("ppt.io/vfio-", &why), "bad CDI kinds refused");
}

/* One message of a fixed statistics dump into req. */
static void stats_put(struct ppt__request *req, struct nl_msg *m)
{
	struct nlattr *tb[PPT_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(m), 0, tb, PPT_A_MAX, ppt__policy) ||
	    ppt__stats_msg(req, nlmsg_hdr(m), tb)) {
		printf("Bail out! a statistics message does not parse\n");
		exit(1);
	}
	nlmsg_free(m);
}

static struct nl_msg *stats_new(void)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 1, 0x20, 0, NLM_F_MULTI, PPT_CMD_STATS_GET, PPT_GENL_VERSION);
	return m;
}

/* A series with the given count in each bucket (13: the kernel's bounds and +Inf). */
static void stats_series(struct ppt__request *req, uint32_t op, uint32_t method,
			 bool failed, uint64_t sum, const uint64_t *buckets)
{
	struct nl_msg *m = stats_new();
	uint64_t count = 0;
	int i;

	for (i = 0; i < 13; i++)
		count += buckets[i];
	nla_put_u32(m, PPT_A_STATS_OP, op);
	nla_put_u32(m, PPT_A_RESET_METHOD, method);
	if (failed)
		nla_put_flag(m, PPT_A_STATS_FAILED);
	nla_put_u64(m, PPT_A_STATS_COUNT, count);
	nla_put_u64(m, PPT_A_STATS_USEC_SUM, sum);
	for (i = 0; i < 13; i++)
		nla_put_u64(m, PPT_A_STATS_BUCKET, buckets[i]);
	stats_put(req, m);
}

/*
 * The fixed statistics: three FLRs and a bus reset, two FLR cleans and a
 * failed pm clean, a quarantine, two lease expiries; the kernel's bounds.
 */
static struct ppt_stats *fixed_stats(void)
{
	static const uint64_t bounds[] = {
		10000, 50000, 100000, 150000, 250000, 500000,
		1000000, 2500000, 5000000, 10000000, 30000000, 60000000,
	};
	static const uint64_t flr3[13] = { [3] = 2, [4] = 1 };
	static const uint64_t sbr1[13] = { [7] = 1 };
	static const uint64_t clean2[13] = { [3] = 1, [5] = 1 };
	static const uint64_t pm1[13] = { [2] = 1 };
	struct ppt_handle *h = calloc(1, sizeof(*h));
	struct ppt__request req = { .h = h };
	struct ppt_stats *st = NULL;
	struct nl_msg *m = stats_new();
	size_t i;

	nla_put_u64(m, PPT_A_STATS_QUARANTINES, 1);
	nla_put_u64(m, PPT_A_STATS_LEASE_EXPIRIES, 2);
	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
		nla_put_u64(m, PPT_A_STATS_BOUND, bounds[i]);
	stats_put(&req, m);
	stats_series(&req, PPT_STATS_OP_RESET, PPT_RESET_FLR, false, 412345, flr3);
	stats_series(&req, PPT_STATS_OP_RESET, PPT_RESET_SBR, false, 1204000, sbr1);
	stats_series(&req, PPT_STATS_OP_CLEAN, PPT_RESET_FLR, false, 560100, clean2);
	stats_series(&req, PPT_STATS_OP_CLEAN, PPT_RESET_PM, true, 20500, pm1);
	if (ppt__stats_build(&req, &st)) {
		printf("Bail out! the fixed statistics do not build\n");
		exit(1);
	}
	ppt__request_free(&req);
	free(h);
	return st;
}

static void prometheus(void)
{
	struct ppt_stats *st = fixed_stats();
	struct export_prom p = { .stats = st, .module_version = "0.2.0", .protocol = 2 };
	struct out_device odd;
	char *out = NULL;

	CAPTURE(out, export_prometheus(f, &p, devs, ndevs));
	example("prometheus.md", "prometheus", out);
	ok(strstr(out, "ppt_devices{state=\"assigned\",variant=\"v100\",owner_present=\"true\"} 1\n") &&
	   strstr(out, "ppt_devices{state=\"reserved\",variant=\"\",owner_present=\"false\"} 1\n"),
	   "prometheus: devices by state, variant and owner");
	ok(strstr(out, "ppt_reset_duration_seconds_bucket{method=\"flr\",outcome=\"ok\",le=\"0.15\"} 2\n") &&
	   strstr(out, "ppt_reset_duration_seconds_bucket{method=\"flr\",outcome=\"ok\",le=\"0.25\"} 3\n") &&
	   strstr(out, "ppt_reset_duration_seconds_bucket{method=\"flr\",outcome=\"ok\",le=\"+Inf\"} 3\n") &&
	   strstr(out, "ppt_reset_duration_seconds_sum{method=\"flr\",outcome=\"ok\"} 0.412345\n"),
	   "... cumulative buckets, le and the sum in seconds");
	ok(strstr(out, "ppt_cleans_total{method=\"pm\",outcome=\"failed\"} 1\n") &&
	   strstr(out, "ppt_cleans_total{method=\"acpi\",outcome=\"ok\"} 0\n") &&
	   !strstr(out, "method=\"auto\""),
	   "... counters for every method but auto, zero included");
	free(out);

	/* label values escaped: backslash, quote, newline */
	odd = devs[0];
	snprintf(odd.variant, sizeof(odd.variant), "a\"b\\c\nd");
	out = NULL;
	CAPTURE(out, export_prometheus(f, &p, &odd, 1));
	ok(strstr(out, "variant=\"a\\\"b\\\\c\\nd\"") != NULL, "... label values escaped");
	free(out);
	ppt_stats_free(st);
}

int main(void)
{
	inventory();
	nova();
	kubevirt();
	cdi();
	triton();
	options();
	prometheus();
	variants_free(&vs);
	return tap_done();
}
