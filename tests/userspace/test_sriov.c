// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm sriov (sriov.c) in a fake sysfs: a PF's and its VFs' relations,
 * the new fields' formatting, and sriov_decide()'s refusals and plans.
 */
#include <errno.h>
#include <stdlib.h>

#include "faketree.h"
#include "output.h"
#include "sriov.h"
#include "tap.h"

#define PF	"0000:3b:00.0"
#define VF0	"0000:3b:02.0"
#define VF1	"0000:3b:02.1"
#define DEVS	"sys/bus/pci/devices/"

/* A PF with two VFs (ixgbevf holds the second), a device without SR-IOV. */
static void make_tree(void)
{
	ft_write(DEVS PF "/sriov_totalvfs", "8\n");
	ft_write(DEVS PF "/sriov_numvfs", "2\n");
	ft_write(DEVS PF "/sriov_drivers_autoprobe", "1\n");
	ft_link("../../../bus/pci/drivers/ixgbe", DEVS PF "/driver");
	ft_link("../" VF0, DEVS PF "/virtfn0");
	ft_link("../" VF1, DEVS PF "/virtfn1");
	ft_link("../" PF, DEVS VF0 "/physfn");
	ft_link("../" PF, DEVS VF1 "/physfn");
	ft_link("../../../bus/pci/drivers/ppt", DEVS VF0 "/driver");
	ft_link("../../../bus/pci/drivers/ixgbevf", DEVS VF1 "/driver");
	ft_write(DEVS "0000:00:1f.0/vendor", "0x8086\n");
}

static void test_read(void)
{
	struct out_sriov s;
	struct sriov_pf p;

	sriov_read(ft_root, PF, &s);
	ok(s.is_pf && s.totalvfs == 8 && s.numvfs == 2 && !s.physfn[0],
	   "a PF: its counts, no physfn");
	sriov_read(ft_root, VF1, &s);
	ok(!s.is_pf && !strcmp(s.physfn, PF) && s.vf_index == 1,
	   "a VF: its PF and the K of the PF's virtfnK");
	sriov_read(ft_root, "0000:00:1f.0", &s);
	ok(!s.is_pf && !s.physfn[0], "neither: nothing");

	ok(sriov_pf_read(ft_root, PF, &p) == 0 && p.exists && p.capable, "the PF is read");
	ok(p.nvfs == 2 && !strcmp(p.vfs[0].addr, VF0) && !strcmp(p.vfs[1].addr, VF1) &&
	   p.vfs[1].index == 1, "... its VFs, by index");
	is_str(p.driver, "ixgbe", "... its driver");
	is_str(p.vfs[1].driver, "ixgbevf", "... a VF's driver");
	sriov_pf_free(&p);
	ok(sriov_pf_read(ft_root, VF0, &p) == 0 && !strcmp(p.physfn, PF) && !p.capable,
	   "a VF read as a PF: its physfn");
	sriov_pf_free(&p);
}

static void test_fields(void)
{
	struct out_device d[3] = { 0 };
	struct out_fields sel;
	char bad[64], *buf = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(d[0].info.addr, sizeof(d[0].info.addr), PF);
	snprintf(d[1].info.addr, sizeof(d[1].info.addr), VF1);
	snprintf(d[2].info.addr, sizeof(d[2].info.addr), "0000:00:1f.0");
	sriov_fill(ft_root, d, 3);
	ok(out_fields_parse(&out_device_fields, "addr,physfn,vf_index,sriov_numvfs,sriov_totalvfs",
			    &sel, bad, sizeof(bad)) == 0, "the SR-IOV fields are -o fields");
	f = open_memstream(&buf, &len);
	out_rows(f, OUT_PARSEABLE, &out_device_fields, &sel, d, 3);
	fclose(f);
	is_str(buf, "0000\\:3b\\:00.0:::2:8\n0000\\:3b\\:02.1:0000\\:3b\\:00.0:1::\n"
	       "0000\\:00\\:1f.0::::\n",
	       "-p: a PF's counts, a VF's PF and index (':' escaped), empty otherwise");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	out_rows(f, OUT_JSON, &out_device_fields, &sel, d, 2);
	fclose(f);
	is_str(buf, "{\"devices\":[{\"addr\":\"" PF "\",\"physfn\":null,\"vf_index\":null,"
	       "\"sriov_numvfs\":2,\"sriov_totalvfs\":8},{\"addr\":\"" VF1 "\",\"physfn\":\""
	       PF "\",\"vf_index\":1,\"sriov_numvfs\":null,\"sriov_totalvfs\":null}]}\n",
	       "JSON: numbers, null where they do not apply");
	free(buf);
	ok(out_fields_parse(&out_device_fields, NULL, &sel, bad, sizeof(bad)) == 0, "defaults");
	{
		int c;
		bool any = false;

		for (c = 0; c < sel.n; c++)
			any |= !strncmp(out_device_fields.fields[sel.idx[c]].name, "sriov", 5) ||
			       !strcmp(out_device_fields.fields[sel.idx[c]].name, "physfn");
		ok(!any, "... not among the default fields");
	}
	ok(out_fields_parse(&out_device_fields, "all", &sel, bad, sizeof(bad)) == 0 &&
	   (size_t)sel.n == out_device_fields.n, "-o all: every field (%d)", sel.n);
}

static struct sriov_pf pf_with(unsigned int total, unsigned int num, const char *drv)
{
	struct sriov_pf p;

	sriov_pf_read(ft_root, PF, &p);
	p.totalvfs = total;
	p.numvfs = num;
	snprintf(p.driver, sizeof(p.driver), "%s", drv);
	return p;
}

static void test_decide(void)
{
	struct sriov_env env = { .ppt = true };
	struct sriov_plan plan;
	struct sriov_pf p;
	char why[1024];

	p = pf_with(8, 2, "ixgbe");
	ok(sriov_decide(&p, 9, &env, &plan, why, sizeof(why)) == -ERANGE, "more than total: ERANGE");
	is_str(why, "VF count 9 is more than " PF "'s sriov_totalvfs (8)", "... said");
	ok(sriov_decide(&p, 4, &env, &plan, why, sizeof(why)) == -EBUSY,
	   "a VF with a host driver: changing the count is refused");
	is_str(why, "VFs in use: " VF1 " (driver ixgbevf); changing the count removes every VF: stop using it first",
	       "... naming it and its driver");
	ok(sriov_decide(&p, 0, &env, &plan, why, sizeof(why)) == -EBUSY, "... and so is 0");
	ok(sriov_decide(&p, 2, &env, &plan, why, sizeof(why)) == 0 && !plan.write_zero &&
	   !plan.write_count && plan.add_match, "the same count: nothing to write (the match still)");
	snprintf(p.vfs[1].driver, sizeof(p.vfs[1].driver), "ppt");
	p.vfs[1].managed = true;
	p.vfs[1].state = PPT_STATE_ASSIGNED;
	p.vfs[0].managed = true;
	p.vfs[0].state = PPT_STATE_CLAIMED;
	ok(sriov_decide(&p, 4, &env, &plan, why, sizeof(why)) == -EBUSY,
	   "ppt's VFs claimed and assigned: refused");
	is_str(why, "VFs in use: " VF0 " (claimed), " VF1 " (assigned); changing the count removes every VF: stop using them first",
	       "... each named with its state");
	p.vfs[0].state = PPT_STATE_DIRTY;
	p.vfs[1].state = PPT_STATE_QUARANTINED;
	ok(sriov_decide(&p, 4, &env, &plan, why, sizeof(why)) == 0 && plan.write_zero &&
	   plan.write_count && plan.add_match && !plan.del_match,
	   "dirty and quarantined are idle: remove, then the new count, a match first");
	env.runtime_match = true;
	ok(sriov_decide(&p, 4, &env, &plan, why, sizeof(why)) == 0 && !plan.add_match,
	   "a runtime vfs match is there: none added");
	ok(sriov_decide(&p, 0, &env, &plan, why, sizeof(why)) == 0 && plan.write_zero &&
	   !plan.write_count && plan.del_match, "0: the VFs removed, the runtime match deleted");
	env.runtime_match = false;
	env.boot_match = true;
	ok(sriov_decide(&p, 0, &env, &plan, why, sizeof(why)) == 0 && !plan.del_match,
	   "... a boot entry stays");
	env.boot_match = false;
	sriov_pf_free(&p);

	p = pf_with(8, 0, "ppt");
	ok(sriov_decide(&p, 3, &env, &plan, why, sizeof(why)) == 0 && !plan.add_match &&
	   !plan.write_zero && plan.write_count, "a PF ppt holds: its VFs are ppt's, no match");
	env.ppt = false;
	ok(sriov_decide(&p, 3, &env, &plan, why, sizeof(why)) == -ENOENT,
	   "ppt not loaded: no VFs nothing would hold");
	ok(sriov_decide(&p, 0, &env, &plan, why, sizeof(why)) == 0, "... but 0 is fine");
	env.ppt = true;
	sriov_pf_free(&p);

	sriov_pf_read(ft_root, "0000:00:1f.0", &p);
	ok(sriov_decide(&p, 1, &env, &plan, why, sizeof(why)) == -ENODEV,
	   "no sriov_totalvfs: no SR-IOV capability");
	is_str(why, "0000:00:1f.0 has no SR-IOV capability (no sriov_totalvfs in sysfs)", "... said");
	sriov_pf_free(&p);
	sriov_pf_read(ft_root, VF0, &p);
	ok(sriov_decide(&p, 1, &env, &plan, why, sizeof(why)) == -ENODEV &&
	   strstr(why, "is an SR-IOV virtual function (of " PF ")"), "a VF is not a PF: %s", why);
	sriov_pf_free(&p);
	sriov_pf_read(ft_root, "0000:99:00.0", &p);
	ok(sriov_decide(&p, 1, &env, &plan, why, sizeof(why)) == -ENODEV &&
	   strstr(why, "no PCI device"), "no such device");
	sriov_pf_free(&p);
}

static void test_write(void)
{
	char path[256], buf[32] = "";
	FILE *f;

	ok(sriov_write(ft_root, PF, "sriov_drivers_autoprobe", 0) == 0, "a sysfs write");
	snprintf(path, sizeof(path), "%s/" DEVS PF "/sriov_drivers_autoprobe", ft_root);
	f = fopen(path, "r");
	ok(f && fgets(buf, sizeof(buf), f) && !strcmp(buf, "0\n"), "... writes the number");
	if (f)
		fclose(f);
	ok(sriov_write(ft_root, "0000:99:00.0", "sriov_numvfs", 1) == -ENOENT,
	   "a missing attribute: ENOENT");
	is_str(sriov_write_why(-EBUSY), "the kernel refused: VFs in use (see the kernel log)",
	       "EBUSY from sriov_numvfs, explained");
	ok(sriov_write_why(-ENOENT) && strstr(sriov_write_why(-ENOENT), "has no driver, or its driver cannot configure SR-IOV"),
	   "ENOENT, explained");
}

int main(void)
{
	ft_init();
	make_tree();
	test_read();
	test_fields();
	test_decide();
	test_write();
	ft_cleanup();
	return tap_done();
}
