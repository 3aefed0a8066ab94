// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for kernel/ppt_reset_plan.c: how a reset runs, given the PCI
 * core's method list.  No emulated device has a device-specific or ACPI
 * reset, so these cases are where that path is proven: auto leaves the
 * core's order alone (a quirk listed first runs first), an explicit method
 * narrows to it, a method the administrator removed is never used.
 *
 * The file under test is compiled into this test module by including it (see
 * ppt_parse_test.c).
 */
#include <kunit/test.h>

#include "../../kernel/ppt_reset_plan.c"

#define DS	PPT_CORE_RESET_DEVICE_SPECIFIC
#define ACPI	PPT_CORE_RESET_ACPI
#define FLR	PPT_CORE_RESET_FLR
#define AFFLR	PPT_CORE_RESET_AF_FLR
#define PM	PPT_CORE_RESET_PM
#define BUS	PPT_CORE_RESET_BUS
#define CXL	PPT_CORE_RESET_CXL_BUS

/* A core list, 0-padded to the core's length. */
#define LIST(...) ((const u8[PCI_NUM_RESET_METHODS]) { __VA_ARGS__ })

static int choose(const u8 *core, enum ppt_reset_method want, bool alone,
		  bool bus_possible, struct ppt_reset_choice *c)
{
	const char *why = NULL;
	int ret = ppt_reset_choose(core, want, alone, bus_possible, c, &why);

	/* every refusal says why */
	if (ret && !why)
		return -1000;
	return ret;
}

/* An NVMe with a device-specific quirk first: auto runs the core's list. */
static void auto_keeps_device_specific_first_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(DS, FLR, BUS), PPT_RESET_AUTO,
				     true, true, &c), 0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_AUTO);
	KUNIT_EXPECT_EQ(test, c.reported, PPT_RESET_DEVICE_SPECIFIC);
	KUNIT_EXPECT_TRUE(test, c.inferred);
}

/* A GPU whose only reset is vendor-reset's: auto can clean it. */
static void auto_device_specific_only_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(DS), PPT_RESET_AUTO, false, false, &c),
			0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_AUTO);
	KUNIT_EXPECT_EQ(test, c.reported, PPT_RESET_DEVICE_SPECIFIC);
	/* the only method that can run: nothing to infer */
	KUNIT_EXPECT_FALSE(test, c.inferred);
}

/* ACPI _RST before FLR, as the core lists it. */
static void auto_acpi_first_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(ACPI, FLR, PM), PPT_RESET_AUTO,
				     false, true, &c), 0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_AUTO);
	KUNIT_EXPECT_EQ(test, c.reported, PPT_RESET_ACPI);
}

/* The administrator's order (sysfs "bus flr") is the order auto uses. */
static void auto_follows_admin_order_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(BUS, FLR), PPT_RESET_AUTO, true, true,
				     &c), 0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_AUTO);
	KUNIT_EXPECT_EQ(test, c.reported, PPT_RESET_SBR);
}

/*
 * A multi-function slot: the core lists "bus" but refuses it for a
 * function that shares its bus, so ppt resets the domain.
 */
static void auto_shared_bus_goes_to_domain_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(BUS), PPT_RESET_AUTO, false, true, &c),
			0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_SBR);
	KUNIT_EXPECT_EQ(test, c.reported, PPT_RESET_SBR);
	KUNIT_EXPECT_FALSE(test, c.inferred);
}

/* A shared bus skips "bus" but keeps the function's own methods. */
static void auto_shared_bus_skips_bus_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(BUS, PM), PPT_RESET_AUTO, false, true,
				     &c), 0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_AUTO);
	KUNIT_EXPECT_EQ(test, c.reported, PPT_RESET_PM);
	KUNIT_EXPECT_FALSE(test, c.inferred);
}

/* Nothing in the list, and no bridge: refused. */
static void auto_nothing_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_EXPECT_EQ(test, choose(LIST(0), PPT_RESET_AUTO, true, false, &c),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, choose(LIST(BUS), PPT_RESET_AUTO, false, false, &c),
			-EOPNOTSUPP);
}

/* An emptied list with a bridge: the domain (the core has nothing). */
static void auto_empty_list_bridge_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(0), PPT_RESET_AUTO, true, true, &c), 0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_SBR);
}

/* flr narrows to FLR and AF FLR, in the core's order, nothing else. */
static void explicit_flr_narrows_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(DS, AFFLR, FLR, PM), PPT_RESET_FLR,
				     true, true, &c), 0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_FLR);
	KUNIT_EXPECT_EQ(test, c.reported, PPT_RESET_FLR);
	KUNIT_EXPECT_EQ(test, c.narrow[0], AFFLR);
	KUNIT_EXPECT_EQ(test, c.narrow[1], FLR);
	KUNIT_EXPECT_EQ(test, c.narrow[2], 0);
}

/* An explicit device_specific or acpi narrows to that method. */
static void explicit_device_specific_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(DS, FLR), PPT_RESET_DEVICE_SPECIFIC,
				     true, true, &c), 0);
	KUNIT_EXPECT_EQ(test, c.narrow[0], DS);
	KUNIT_EXPECT_EQ(test, c.narrow[1], 0);
	KUNIT_ASSERT_EQ(test, choose(LIST(ACPI, FLR), PPT_RESET_ACPI, true, true,
				     &c), 0);
	KUNIT_EXPECT_EQ(test, c.narrow[0], ACPI);
}

/* A method the administrator removed is never used. */
static void explicit_removed_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_EXPECT_EQ(test, choose(LIST(BUS), PPT_RESET_FLR, true, true, &c),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, choose(LIST(FLR), PPT_RESET_DEVICE_SPECIFIC, true,
				     true, &c), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, choose(LIST(FLR), PPT_RESET_PM, true, true, &c),
			-EOPNOTSUPP);
}

/* sbr is ppt's domain reset: it needs a bridge, not the core's "bus". */
static void explicit_sbr_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_ASSERT_EQ(test, choose(LIST(FLR), PPT_RESET_SBR, false, true, &c),
			0);
	KUNIT_EXPECT_EQ(test, c.plan, PPT_RESET_SBR);
	KUNIT_EXPECT_EQ(test, choose(LIST(BUS), PPT_RESET_SBR, true, false, &c),
			-EOPNOTSUPP);
}

static void unknown_method_test(struct kunit *test)
{
	struct ppt_reset_choice c;

	KUNIT_EXPECT_EQ(test, choose(LIST(FLR), PPT_RESET_MAX + 1, true, true, &c),
			-EINVAL);
}

/* What ppt reports as supported: the list, with sbr from the bridge. */
static void mask_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ppt_reset_mask(LIST(DS, ACPI, FLR, PM, BUS), false),
			(u32)(BIT(PPT_RESET_DEVICE_SPECIFIC) | BIT(PPT_RESET_ACPI) |
			      BIT(PPT_RESET_FLR) | BIT(PPT_RESET_PM)));
	KUNIT_EXPECT_EQ(test, ppt_reset_mask(LIST(FLR), true),
			(u32)(BIT(PPT_RESET_FLR) | BIT(PPT_RESET_SBR)));
	KUNIT_EXPECT_EQ(test, ppt_reset_mask(LIST(CXL), false), 0U);
	/* a method a later kernel adds is not reported as anything */
	KUNIT_EXPECT_EQ(test, ppt_reset_mask(LIST(42, PM), false),
			(u32)BIT(PPT_RESET_PM));
}

/* The administrator's list comes back, unless they wrote a new one. */
static void narrowed_restore_test(struct kunit *test)
{
	u8 saved[PCI_NUM_RESET_METHODS] = { DS, FLR, BUS };
	u8 narrowed[PCI_NUM_RESET_METHODS] = { FLR };
	u8 live[PCI_NUM_RESET_METHODS] = { FLR };
	u8 admin[PCI_NUM_RESET_METHODS] = { BUS };

	KUNIT_EXPECT_TRUE(test, ppt_reset_narrowed_restore(live, narrowed, saved));
	KUNIT_EXPECT_EQ(test, memcmp(live, saved, sizeof(live)), 0);
	memcpy(live, admin, sizeof(live));
	KUNIT_EXPECT_FALSE(test, ppt_reset_narrowed_restore(live, narrowed, saved));
	KUNIT_EXPECT_EQ(test, memcmp(live, admin, sizeof(live)), 0);
}

static struct kunit_case ppt_reset_plan_test_cases[] = {
	KUNIT_CASE(auto_keeps_device_specific_first_test),
	KUNIT_CASE(auto_device_specific_only_test),
	KUNIT_CASE(auto_acpi_first_test),
	KUNIT_CASE(auto_follows_admin_order_test),
	KUNIT_CASE(auto_shared_bus_goes_to_domain_test),
	KUNIT_CASE(auto_shared_bus_skips_bus_test),
	KUNIT_CASE(auto_nothing_test),
	KUNIT_CASE(auto_empty_list_bridge_test),
	KUNIT_CASE(explicit_flr_narrows_test),
	KUNIT_CASE(explicit_device_specific_test),
	KUNIT_CASE(explicit_removed_test),
	KUNIT_CASE(explicit_sbr_test),
	KUNIT_CASE(unknown_method_test),
	KUNIT_CASE(mask_test),
	KUNIT_CASE(narrowed_restore_test),
	{}
};

static struct kunit_suite ppt_reset_plan_test_suite = {
	.name = "ppt_reset_plan",
	.test_cases = ppt_reset_plan_test_cases,
};

kunit_test_suite(ppt_reset_plan_test_suite);
