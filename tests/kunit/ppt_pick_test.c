// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for kernel/ppt_pick.c: choosing a multi-device claim's
 * devices (whole IOMMU groups, all or nothing).
 *
 * The file under test is compiled into this test module by including it (see
 * ppt_parse_test.c).
 */
#include <kunit/test.h>

#include "../../kernel/ppt_pick.c"

#define NCANDS(a) ((int)ARRAY_SIZE(a))

/* A listed claim (count 0) takes every candidate when all are available. */
static void pick_listed_all_test(struct kunit *test)
{
	const struct ppt_pick_cand c[] = {
		{ .unit = 0, .avail = true },
		{ .unit = 1, .avail = true },
		{ .unit = 2, .avail = true },
	};
	bool chosen[3];
	int blocker = -1;

	KUNIT_EXPECT_EQ(test, ppt_pick(c, NCANDS(c), 0, chosen, &blocker), 3);
	KUNIT_EXPECT_TRUE(test, chosen[0] && chosen[1] && chosen[2]);
	KUNIT_EXPECT_EQ(test, blocker, -1);
}

/* A listed claim with one unavailable device takes nothing and names it. */
static void pick_listed_blocked_test(struct kunit *test)
{
	const struct ppt_pick_cand c[] = {
		{ .unit = 0, .avail = true },
		{ .unit = 1, .avail = false },
		{ .unit = 2, .avail = false },
	};
	bool chosen[3] = { true, true, true };
	int blocker = -1;

	KUNIT_EXPECT_EQ(test, ppt_pick(c, NCANDS(c), 0, chosen, &blocker),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, blocker, 1);
	KUNIT_EXPECT_FALSE(test, chosen[0] || chosen[1] || chosen[2]);
}

/* A count takes the first available units in order, skipping busy ones. */
static void pick_count_skips_busy_test(struct kunit *test)
{
	const struct ppt_pick_cand c[] = {
		{ .unit = 0, .avail = false },
		{ .unit = 1, .avail = true },
		{ .unit = 2, .avail = false },
		{ .unit = 3, .avail = true },
		{ .unit = 4, .avail = true },
	};
	bool chosen[5];
	int blocker = -1;

	KUNIT_EXPECT_EQ(test, ppt_pick(c, NCANDS(c), 2, chosen, &blocker), 2);
	KUNIT_EXPECT_FALSE(test, chosen[0]);
	KUNIT_EXPECT_TRUE(test, chosen[1]);
	KUNIT_EXPECT_FALSE(test, chosen[2]);
	KUNIT_EXPECT_TRUE(test, chosen[3]);
	KUNIT_EXPECT_FALSE(test, chosen[4]);
}

/* Too few available units: nothing is chosen. */
static void pick_count_short_test(struct kunit *test)
{
	const struct ppt_pick_cand c[] = {
		{ .unit = 0, .avail = true },
		{ .unit = 1, .avail = false },
	};
	bool chosen[2] = { true, true };
	int blocker = -1;

	KUNIT_EXPECT_EQ(test, ppt_pick(c, NCANDS(c), 2, chosen, &blocker),
			-ENOSPC);
	KUNIT_EXPECT_FALSE(test, chosen[0] || chosen[1]);
	KUNIT_EXPECT_EQ(test, ppt_pick(c, 0, 1, chosen, &blocker), -ENOSPC);
}

/*
 * Two candidates of one IOMMU group (a GPU and its audio function both
 * match) count once, and both come along, even the one after the count
 * was reached.
 */
static void pick_group_counts_once_test(struct kunit *test)
{
	const struct ppt_pick_cand c[] = {
		{ .unit = 0, .avail = true },
		{ .unit = 0, .avail = true },
		{ .unit = 2, .avail = true },
		{ .unit = 0, .avail = true },
	};
	bool chosen[4];
	int blocker = -1;

	KUNIT_EXPECT_EQ(test, ppt_pick(c, NCANDS(c), 1, chosen, &blocker), 1);
	KUNIT_EXPECT_TRUE(test, chosen[0]);
	KUNIT_EXPECT_TRUE(test, chosen[1]);
	KUNIT_EXPECT_FALSE(test, chosen[2]);
	KUNIT_EXPECT_TRUE(test, chosen[3]);

	KUNIT_EXPECT_EQ(test, ppt_pick(c, NCANDS(c), 2, chosen, &blocker), 2);
	KUNIT_EXPECT_TRUE(test, chosen[0] && chosen[1] && chosen[2] &&
			  chosen[3]);
}

/* A listed claim of both functions of a group counts the group once. */
static void pick_listed_group_test(struct kunit *test)
{
	const struct ppt_pick_cand c[] = {
		{ .unit = 0, .avail = true },
		{ .unit = 0, .avail = true },
	};
	bool chosen[2];
	int blocker = -1;

	KUNIT_EXPECT_EQ(test, ppt_pick(c, NCANDS(c), 0, chosen, &blocker), 1);
	KUNIT_EXPECT_TRUE(test, chosen[0] && chosen[1]);
}

static struct kunit_case ppt_pick_test_cases[] = {
	KUNIT_CASE(pick_listed_all_test),
	KUNIT_CASE(pick_listed_blocked_test),
	KUNIT_CASE(pick_count_skips_busy_test),
	KUNIT_CASE(pick_count_short_test),
	KUNIT_CASE(pick_group_counts_once_test),
	KUNIT_CASE(pick_listed_group_test),
	{}
};

static struct kunit_suite ppt_pick_test_suite = {
	.name = "ppt_pick",
	.test_cases = ppt_pick_test_cases,
};

kunit_test_suite(ppt_pick_test_suite);
