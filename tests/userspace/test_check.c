// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm check on a fake /sys, /proc and /lib/modules: each check's PASS,
 * WARN and FAIL, the fixes it names, -q and -j output.
 */
#include "check.h"
#include "faketree.h"
#include "tap.h"

static struct check_list L;
static struct check_env E;

/* The first result named name after running fn on a fresh list. */
static const struct check_result *run(void (*fn)(const struct check_env *, struct check_list *),
				      const char *name)
{
	size_t i;

	check_list_free(&L);
	fn(&E, &L);
	for (i = 0; i < L.n; i++)
		if (!strcmp(L.r[i].name, name))
			return &L.r[i];
	return NULL;
}

#define expect(fn, name, st, needle, ...)					\
	do {									\
		const struct check_result *r_ = run(fn, name);			\
		if (!ok(r_ && r_->status == (st) && strstr(r_->msg, needle),	\
			__VA_ARGS__))						\
			printf("#   got: %s %s\n", r_ ? check_status_name(r_->status) : "none", \
			       r_ ? r_->msg : "");				\
	} while (0)

static bool has_fix(const char *needle)
{
	return L.n && strstr(L.r[L.n - 1].fix, needle);
}

/* A PCI function below the root port path parent ("" for the root bus). */
static void pci(const char *parent, const char *addr, const char *cls, const char *drv,
		int group)
{
	char rel[256], p[1024], t[1024];

	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00%s%s/%s", parent[0] ? "/" : "",
		 parent, addr);
	ft_dir(rel);
	snprintf(p, sizeof(p), "%s/class", rel);
	ft_write(p, cls);
	snprintf(t, sizeof(t), "%s/%s", ft_root, rel);
	snprintf(p, sizeof(p), "sys/bus/pci/devices/%s", addr);
	ft_link(t, p);
	snprintf(p, sizeof(p), "%s/driver", rel);
	ft_rm(p);
	if (drv) {
		snprintf(t, sizeof(t), "../../../bus/pci/drivers/%s", drv);
		ft_link(t, p);
	}
	if (group >= 0) {
		snprintf(p, sizeof(p), "%s/iommu_group", rel);
		snprintf(t, sizeof(t), "../../../kernel/iommu_groups/%d", group);
		ft_link(t, p);
		snprintf(p, sizeof(p), "sys/kernel/iommu_groups/%d/devices/%s", group, addr);
		snprintf(t, sizeof(t), "../../../../devices/%s", addr);
		ft_link(t, p);
	}
}

static void test_empty(void)
{
	expect(check_iommu, "iommu", CHECK_FAIL, "no IOMMU", "no IOMMU: FAIL");
	ok(has_fix("VT-d"), "... the fix: VT-d in the firmware");
	expect(check_intremap, "intremap", CHECK_FAIL, "no IOMMU", "no IOMMU: interrupt remapping FAIL");
	expect(check_vfio, "vfio", CHECK_FAIL, "vfio is neither", "no vfio modules: FAIL naming vfio");
	expect(check_module, "module", CHECK_FAIL, "not loaded", "ppt not loaded: FAIL");
	ok(has_fix("modprobe ppt"), "... the fix: modprobe ppt");
	expect(check_groups, "group", CHECK_SKIP, "no devices", "no devices: the group check SKIPs");
	expect(check_acs, "acs", CHECK_SKIP, "no devices", "... and ACS");
	expect(check_boot_vga, "boot-vga", CHECK_SKIP, "no devices", "... and boot VGA");
	expect(check_builtin, "builtin", CHECK_SKIP, "no devices", "... and built-in drivers");
	expect(check_secureboot, "secureboot", CHECK_INFO, "Secure Boot unknown",
	       "no EFI variable: Secure Boot unknown is INFO, not PASS");
	ok(!L.r[L.n - 1].fix[0], "... without a fix");
}

static void test_iommu(void)
{
	ft_write("sys/firmware/acpi/tables/DMAR", "x");
	ft_write("proc/cmdline", "console=ttyS0 quiet\n");
	expect(check_iommu, "iommu", CHECK_FAIL, "did not enable", "DMAR, no groups: FAIL");
	ok(has_fix("intel_iommu=on"), "... the fix: intel_iommu=on");
	expect(check_cmdline, "cmdline", CHECK_FAIL, "intel_iommu=on", "cmdline: intel_iommu=on missing");
	ft_write("proc/cmdline", "console=ttyS0 intel_iommu=on iommu=pt\n");
	ft_dir("sys/kernel/iommu_groups/0/devices");
	ft_dir("sys/kernel/iommu_groups/1/devices");
	expect(check_iommu, "iommu", CHECK_PASS, "2 IOMMU groups (ACPI DMAR table)", "groups: PASS");
	expect(check_cmdline, "cmdline", CHECK_PASS, "intel_iommu=on iommu=pt", "cmdline: PASS");
	ft_write("proc/cmdline", "intel_iommu=on intremap=off\n");
	expect(check_cmdline, "cmdline", CHECK_FAIL, "intremap=off", "intremap=off: FAIL");
	expect(check_intremap, "intremap", CHECK_FAIL, "switched off", "intremap=off: no remapping");
	ft_write("proc/cmdline", "intel_iommu=on\n");
	ft_write("sys/class/iommu/dmar0/intel-iommu/ecap", "f02050\n");
	expect(check_intremap, "intremap", CHECK_FAIL, "ecap IR clear", "ecap without IR: FAIL");
	ok(has_fix("allow_unsafe_interrupts"), "... the fix names allow_unsafe_interrupts");
	ft_write("sys/class/iommu/dmar0/intel-iommu/ecap", "f0205e\n");
	expect(check_intremap, "intremap", CHECK_PASS, "ecap IR", "ecap IR: PASS");
	E.dmesg = "[0.1] DMAR-IR: Enabled IRQ remapping in x2apic mode\n";
	ft_write("sys/class/iommu/dmar0/intel-iommu/ecap", "f02050\n");
	expect(check_intremap, "intremap", CHECK_PASS, "kernel log", "dmesg says enabled: PASS");
	E.dmesg = NULL;
	ft_rm("sys/class/iommu/dmar0/intel-iommu/ecap");
	expect(check_intremap, "intremap", CHECK_WARN, "cannot tell", "no evidence either way: WARN");
}

static void test_vfio(void)
{
	ft_write("lib/modules/6.1.0-test/modules.dep",
		 "kernel/drivers/vfio/vfio.ko:\n"
		 "kernel/drivers/vfio/vfio_iommu_type1.ko: kernel/drivers/vfio/vfio.ko\n");
	expect(check_vfio, "vfio", CHECK_FAIL, "vfio_pci is neither", "vfio-pci missing: FAIL naming it");
	ft_write("lib/modules/6.1.0-test/modules.dep",
		 "kernel/drivers/vfio/vfio.ko:\n"
		 "kernel/drivers/vfio/vfio_iommu_type1.ko: kernel/drivers/vfio/vfio.ko\n"
		 "kernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/vfio.ko\n");
	expect(check_vfio, "vfio", CHECK_PASS, "vfio_pci available", "all installed: PASS");
	ft_dir("sys/module/vfio");
	expect(check_vfio, "vfio", CHECK_PASS, "vfio loaded", "... a loaded one says loaded");
}

static void test_module(void)
{
	ft_write("sys/module/ppt/version", "0.0.9\n");
	expect(check_module, "module", CHECK_WARN, "ppt 0.0.9 is loaded, pptadm is 0.1.0",
	       "version mismatch: WARN with both versions");
	ft_write("sys/module/ppt/version", "0.1.0\n");
	expect(check_module, "module", CHECK_PASS, "0.1.0", "same version: PASS");
}

static void test_secureboot(void)
{
	static const char sb_on[] = { 6, 0, 0, 0, 1 };

	ft_write("sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	ft_write("sys/module/ppt/taint", "OE\n");
	expect(check_secureboot, "secureboot", CHECK_FAIL, "not signed", "lockdown + unsigned: FAIL");
	ok(has_fix("mokutil --import"), "... the fix: mokutil --import");
	ft_write("sys/module/ppt/taint", "O\n");
	expect(check_secureboot, "secureboot", CHECK_PASS, "lockdown integrity", "lockdown + signed: PASS");
	expect(check_secureboot, "secureboot", CHECK_PASS, "Secure Boot unknown (no EFI variable), lockdown",
	       "... saying Secure Boot is unknown, not off, without the EFI variable");
	/* not loaded: the installed file's signature */
	ft_rm("sys/module/ppt/taint");
	ft_write("sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
	ft_write_n("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c",
		   sb_on, sizeof(sb_on));
	ft_write("lib/modules/6.1.0-test/modules.dep", "updates/dkms/ppt.ko:\n");
	ft_write("lib/modules/6.1.0-test/updates/dkms/ppt.ko", "\177ELF... a module without a signature at its end");
	expect(check_secureboot, "secureboot", CHECK_FAIL, "updates/dkms/ppt.ko is not signed",
	       "Secure Boot on, unsigned file: FAIL naming it");
	ft_write("lib/modules/6.1.0-test/updates/dkms/ppt.ko",
		 "\177ELF...sig...~Module signature appended~\n");
	expect(check_secureboot, "secureboot", CHECK_PASS, "Secure Boot on", "signed file: PASS");
	ft_write_n("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c",
		   "\6\0\0\0\0", 5);
	expect(check_secureboot, "secureboot", CHECK_PASS, "Secure Boot off, lockdown none",
	       "Secure Boot known off, no lockdown: PASS");
	ft_rm("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c");
	ft_rm("sys/kernel/security/lockdown");
}

static void test_devices(void)
{
	static const char *devs[] = { "0000:01:00.0" };
	char cfg[4096] = { 0 };
	char **found = NULL;
	size_t nfound = 0, i;

	/* a GPU and its audio function in one group, below root port 00:04.0 */
	pci("", "0000:00:04.0", "0x060400", "pcieport", 4);
	pci("0000:00:04.0", "0000:01:00.0", "0x030000", "ppt", 5);
	pci("0000:00:04.0", "0000:01:00.1", "0x040300", "snd_hda_intel", 5);
	E.devices = devs;
	E.ndevices = 1;
	expect(check_groups, "group", CHECK_WARN, "shares IOMMU group 5 with 0000:01:00.1, bound to host driver snd_hda_intel",
	       "group shared with a host driver: WARN naming it");
	ok(has_fix("pptadm reserve --force 0000:01:00.1"), "... the fix reserves it");
	pci("0000:00:04.0", "0000:01:00.1", "0x040300", "ppt", 5);
	expect(check_groups, "group", CHECK_PASS, "IOMMU group 5, no host driver", "all ppt's: PASS");
	expect(check_acs, "acs", CHECK_PASS, "isolated", "one slot in the group: ACS PASS");

	/* another slot in the group, a root port without ACS */
	pci("", "0000:00:05.0", "0x020000", "e1000e", 5);
	cfg[6] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;
	cfg[0x42] = 0x42;	/* PCIe v2, root port */
	ft_write_n("sys/devices/pci0000:00/0000:00:04.0/config", cfg, sizeof(cfg));
	expect(check_acs, "acs", CHECK_WARN, "with 0000:00:05.0 in another slot: no ACS on 0000:00:04.0",
	       "another slot, no ACS: WARN naming the port");
	cfg[0x100] = 0x0d;
	cfg[0x102] = 0x01;
	ft_write_n("sys/devices/pci0000:00/0000:00:04.0/config", cfg, sizeof(cfg));
	expect(check_acs, "acs", CHECK_WARN, "(no ACS isolation between them)",
	       "... with ACS on the port, the port is not named");
	ft_rm("sys/kernel/iommu_groups/5/devices/0000:00:05.0");

	/* a five-digit VMD domain is an address like any other (libppt's parser) */
	{
		static const char *vmd[] = { "10000:01:00.0" };

		pci("", "10000:01:00.0", "0x010802", "ppt", 9);
		pci("", "10000:01:00.1", "0x010802", "nvme", 9);
		E.devices = vmd;
		expect(check_acs, "acs", CHECK_PASS, "10000:01:00.0: isolated",
		       "VMD domain: its function .1 is the same slot");
		expect(check_groups, "group", CHECK_WARN, "10000:01:00.0 shares IOMMU group 9 with 10000:01:00.1",
		       "... and the group check names its neighbour");
		pci("", "10000:02:00.0", "0x010802", "nvme", 9);
		expect(check_acs, "acs", CHECK_WARN, "with 10000:02:00.0 in another slot",
		       "... another slot of the VMD domain: WARN");
		ft_rm("sys/kernel/iommu_groups/9/devices/10000:02:00.0");
		ft_rm("sys/kernel/iommu_groups/9/devices/10000:01:00.1");
		ft_rm("sys/kernel/iommu_groups/9/devices/10000:01:00.0");
		E.devices = devs;
	}

	expect(check_boot_vga, "boot-vga", CHECK_PASS, "no device", "not the boot VGA: PASS");
	ft_write("sys/devices/pci0000:00/0000:00:04.0/0000:01:00.0/boot_vga", "1\n");
	expect(check_boot_vga, "boot-vga", CHECK_WARN, "0000:01:00.0 is the boot VGA", "boot VGA: WARN");

	/* host drivers: built in, or a module that won */
	expect(check_builtin, "builtin", CHECK_PASS, "no device", "held by ppt, no built-in alias: PASS");
	pci("0000:00:04.0", "0000:01:00.0", "0x030000", "virtio-pci", 5);
	ft_link("../../../../module/virtio_pci", "sys/bus/pci/drivers/virtio-pci/module");
	ft_dir("sys/module/virtio_pci/parameters");
	expect(check_builtin, "builtin", CHECK_WARN, "held by virtio-pci, built into the kernel",
	       "held by a built-in driver: WARN");
	ft_write("sys/module/virtio_pci/initstate", "live\n");
	expect(check_builtin, "builtin", CHECK_WARN, "(module virtio_pci): it loaded before ppt",
	       "held by a module: WARN");
	ok(has_fix("softdep virtio_pci pre: ppt"), "... the fix names the softdep");
	pci("0000:00:04.0", "0000:01:00.0", "0x030000", "ppt", 5);
	ft_write("sys/devices/pci0000:00/0000:00:04.0/0000:01:00.0/modalias",
		 "pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00\n");
	ft_write_n("lib/modules/6.1.0-test/modules.builtin.modinfo",
		   "virtio_pci.license=GPL\0virtio_pci.alias=pci:v00001AF4d*sv*sd*bc*sc*i*\0", 70);
	expect(check_builtin, "builtin", CHECK_WARN, "its host driver virtio_pci is built into the kernel",
	       "held by ppt, a built-in driver's alias matches: WARN");

	/* which devices are ppt's */
	pci("", "0000:00:06.0", "0x010802", "vfio-pci", 7);
	ft_write("sys/devices/pci0000:00/0000:00:06.0/driver_override", "ppt\n");
	ft_write("sys/devices/pci0000:00/0000:00:04.0/driver_override", "(null)\n");
	ok(!check_sysfs_devices(ft_root, &found, &nfound), "check_sysfs_devices");
	ok(nfound == 4, "... finds ppt's four (bound to ppt, the VMD one too, or vfio-pci with override ppt): %zu",
	   nfound);
	for (i = 0; i < nfound; i++)
		free(found[i]);
	free(found);
	E.devices = NULL;
	E.ndevices = 0;
}

static void test_print(void)
{
	char buf[8192];
	FILE *f;

	check_list_free(&L);
	check_all(&E, &L);
	ok(check_count(&L, CHECK_FAIL) > 0, "check_all: the fake host has failures");
	f = fmemopen(buf, sizeof(buf), "w");
	check_print(f, OUT_TABLE, true, &L);
	fclose(f);
	ok(!strstr(buf, "PASS"), "-q: no PASS lines");
	ok(strstr(buf, "FAIL vfio") != NULL, "... FAIL lines, name first");
	f = fmemopen(buf, sizeof(buf), "w");
	check_print(f, OUT_TABLE, false, &L);
	fclose(f);
	ok(strstr(buf, "PASS iommu ") == buf, "full output starts with the iommu check");
	ok(strstr(buf, "; fix: ") != NULL, "... fixes on the same line");
	f = fmemopen(buf, sizeof(buf), "w");
	check_print(f, OUT_JSON, false, &L);
	fclose(f);
	ok(!strncmp(buf, "{\"checks\":[{\"check\":\"iommu\",\"status\":\"pass\",\"message\":",
		    strlen("{\"checks\":[{\"check\":\"iommu\",\"status\":\"pass\",\"message\":")),
	   "JSON: {\"checks\":[{\"check\":...,\"status\":\"pass\"...");
	ok(strstr(buf, "\"fix\":null},{") != NULL, "... fix null for a PASS");
	ok(strstr(buf, "],\"pass\":") && strstr(buf, ",\"fail\":"), "... counts at the end");
	ok(strstr(buf, ",\"info\":") && strstr(buf, ",\"skip\":\"") == NULL &&
	   strstr(buf, ",\"skip\":"), "... INFO and SKIP counted too");
	ok(strstr(buf, "\"status\":\"skip\"") && strstr(buf, "\"status\":\"info\""),
	   "... statuses skip and info");
	f = fmemopen(buf, sizeof(buf), "w");
	check_print(f, OUT_TABLE, false, &L);
	fclose(f);
	ok(strstr(buf, "\nSKIP group ") && strstr(buf, "\nINFO secureboot "),
	   "SKIP and INFO lines");
	f = fmemopen(buf, sizeof(buf), "w");
	check_print(f, OUT_TABLE, true, &L);
	fclose(f);
	ok(!strstr(buf, "SKIP") && !strstr(buf, "INFO"), "-q: neither SKIP nor INFO");
	is_str(check_status_name(CHECK_SKIP), "SKIP", "status names");
}

static void test_recycle(void)
{
	static const char *rec[] = { "0000:01:00.0" };
	const char *const *devs = E.recycled;

	E.recycled = NULL;
	E.nrecycled = 0;
	ok(!run(check_recycle, "recycle"), "no recycled device: no recycle line");
	E.recycled = rec;
	E.nrecycled = 1;
	pci("", "0000:01:00.0", "0x030000", "vfio-pci", 5);
	ft_write("sys/devices/pci0000:00/0000:01:00.0/power/control", "auto\n");
	ft_write("sys/module/vfio_pci_core/parameters/disable_idle_d3", "N\n");
	expect(check_recycle, "recycle", CHECK_PASS, "1 recycled device(s)",
	       "disable_idle_d3 off, power/control auto: PASS");
	ft_write("sys/module/vfio_pci_core/parameters/disable_idle_d3", "Y\n");
	expect(check_recycle, "recycle", CHECK_FAIL, "disable_idle_d3 is on",
	       "disable_idle_d3 on: FAIL");
	ok(has_fix("disable_idle_d3=0"), "... the fix turns it off");
	ft_write("sys/module/vfio_pci_core/parameters/disable_idle_d3", "N\n");
	ft_write("sys/devices/pci0000:00/0000:01:00.0/power/control", "on\n");
	expect(check_recycle, "recycle", CHECK_FAIL,
	       "0000:01:00.0 is recycled, but its runtime PM is off",
	       "power/control on: FAIL naming the device");
	ok(has_fix("echo auto > /sys/bus/pci/devices/0000:01:00.0/power/control"),
	   "... the fix sets it to auto");
	ft_write("sys/devices/pci0000:00/0000:01:00.0/power/control", "auto\n");
	E.recycled = devs;
	E.nrecycled = 0;
}

/* NVMe controllers the nvme sanitiser erases: a baseline kept for each */
static void test_baseline(void)
{
	static const char *none[] = { "0000:05:00.0", "0000:06:00.0" };

	ok(!run(check_baseline, "baseline"), "no NVMe controller the nvme sanitiser erases: no line");
	E.nnvme = 2;
	expect(check_baseline, "baseline", CHECK_PASS,
	       "the 2 NVMe controller(s) the nvme sanitiser erases have a baseline kept",
	       "each has a baseline: PASS");
	E.unbaselined = none;
	E.nunbaselined = 1;
	expect(check_baseline, "baseline", CHECK_WARN,
	       "1 of 2 NVMe controller(s) have no baseline kept: what their next tenant changes (firmware, namespaces, formats, Opal locking) is not caught: 0000:05:00.0",
	       "one without: WARN naming it");
	ok(has_fix("pptadm clean --inspect ADDRESS"),
	   "... the fix inspects it, which keeps one and erases nothing");
	E.nunbaselined = 2;
	expect(check_baseline, "baseline", CHECK_WARN, "2 of 2 NVMe controller(s) have no baseline kept",
	       "two: counted");
	E.nnvme = 0;
	E.nunbaselined = 0;
	E.unbaselined = NULL;
}

/*
 * devices the policy gives a sanitiser: an older module's clean does not
 * erase them; a newer one's asks the agent, which must be registered
 */
static void test_sanitise(void)
{
	static const char *san[] = { "0000:04:00.0 (nvme)", "0000:01:00.0 (bar)" };

	ok(!run(check_sanitise, "sanitise"), "no device needs a sanitiser: no sanitise line");
	E.sanitised = san;
	E.nsanitised = 1;
	expect(check_sanitise, "sanitise", CHECK_WARN,
	       "1 device(s) keep a tenant's data through ppt's clean, which resets but runs no sanitiser: 0000:04:00.0 (nvme)",
	       "one NVMe: WARN naming it and its sanitiser");
	ok(has_fix("pptadm sanitise run DEVICE while the device is still assigned"),
	   "... the fix says what to run, and when");
	E.nsanitised = 2;
	expect(check_sanitise, "sanitise", CHECK_WARN, "2 device(s) keep a tenant's data", "two: counted");

	E.agent = CHECK_AGENT_NONE;
	expect(check_sanitise, "sanitise", CHECK_FAIL,
	       "no sanitise agent is registered: the clean of 2 device(s) whose policy names a sanitiser leaves them dirty: 0000:04:00.0 (nvme), ...",
	       "a module with agents, none registered: FAIL naming the devices");
	ok(has_fix("systemctl enable --now ppt-agent (or run pptadm agent)"),
	   "... the fix starts the agent");
	E.agent = CHECK_AGENT_RUNNING;
	E.agent_pid = 4321;
	E.agent_pending = 1;
	expect(check_sanitise, "sanitise", CHECK_PASS,
	       "the sanitise agent (pid 4321, 1 request(s) pending) erases the 2 device(s) whose policy names a sanitiser: 0000:04:00.0 (nvme), ...",
	       "an agent registered: PASS naming its pid and how many devices rely on it");
	E.agent = CHECK_AGENT_UNKNOWN;
	E.agent_why = "Permission denied";
	expect(check_sanitise, "sanitise", CHECK_WARN,
	       "2 device(s) need the sanitise agent, which the kernel could not be asked about (Permission denied)",
	       "the kernel could not be asked: WARN saying why");
	E.nsanitised = 0;
	E.agent = CHECK_AGENT_NONE;
	ok(!run(check_sanitise, "sanitise"), "no agent but no device needs one: no sanitise line");
	E.agent = CHECK_AGENT_UNSUPPORTED;
	E.agent_why = NULL;
	E.sanitised = NULL;
	E.nsanitised = 0;
}

int main(void)
{
	ft_init();
	E.root = ft_root;
	E.krel = "6.1.0-test";
	E.version = "0.1.0";
	test_empty();
	test_iommu();
	test_vfio();
	test_module();
	test_secureboot();
	test_devices();
	test_recycle();
	test_sanitise();
	test_baseline();
	test_print();
	check_list_free(&L);
	ft_cleanup();
	return tap_done();
}
