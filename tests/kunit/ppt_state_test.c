// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for kernel/ppt_state.c: the device life cycle.
 *
 * The file under test is compiled into this test module by including it (see
 * ppt_parse_test.c).
 */
#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/string.h>

#include "../../kernel/ppt_state.c"

/* Every state has a distinct, non-empty, lower-case name. */
static void state_names_test(struct kunit *test)
{
	int i, j;

	for (i = 0; i < __PPT_STATE_MAX; i++) {
		const char *name = ppt_state_name(i);
		const char *p;

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, name);
		KUNIT_EXPECT_GT_MSG(test, strlen(name), 0UL, "state %d", i);
		KUNIT_EXPECT_STRNEQ_MSG(test, name, "invalid", "state %d", i);
		for (p = name; *p; p++)
			KUNIT_EXPECT_TRUE_MSG(test, islower(*p) || *p == '_',
					      "state %d name \"%s\"", i, name);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ_MSG(test, name, ppt_state_name(j),
						"states %d and %d", i, j);
	}
}

/* The names are ABI (log lines, pptadm output): pin them. */
static void state_names_stable_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_UNSPEC), "unspec");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_RESERVED), "reserved");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_CLAIMED), "claimed");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_ASSIGNING),
			   "assigning");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_ASSIGNED), "assigned");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_UNASSIGNING),
			   "unassigning");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_DIRTY), "dirty");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_CLEANING), "cleaning");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_QUARANTINED),
			   "quarantined");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_RELEASING),
			   "releasing");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_DETACHED), "detached");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_RESERVING),
			   "reserving");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_RESETTING),
			   "resetting");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(PPT_STATE_SANITISING),
			   "sanitising");
}

static void state_name_out_of_range_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, ppt_state_name(__PPT_STATE_MAX), "invalid");
	KUNIT_EXPECT_STREQ(test, ppt_state_name(__PPT_STATE_MAX + 100),
			   "invalid");
	KUNIT_EXPECT_STREQ(test, ppt_state_name((enum ppt_state)-1), "invalid");
}

/*
 * The legal changes, written out independently of the table in
 * ppt_state.c, so a change to either one shows here.  docs/design.md draws
 * the same graph.
 */
static const struct {
	enum ppt_state from, to;
} legal[] = {
	{ PPT_STATE_RESERVED, PPT_STATE_CLAIMED },	/* claim */
	{ PPT_STATE_RESERVED, PPT_STATE_CLEANING },	/* clean a clean device */
	{ PPT_STATE_RESERVED, PPT_STATE_RESETTING },	/* reset */
	{ PPT_STATE_RESERVED, PPT_STATE_RELEASING },	/* release to host */
	{ PPT_STATE_RESERVED, PPT_STATE_QUARANTINED },	/* device error */
	{ PPT_STATE_RESERVED, PPT_STATE_DETACHED },	/* unbound behind ppt */
	{ PPT_STATE_CLAIMED, PPT_STATE_RESERVED },	/* unclaim */
	{ PPT_STATE_CLAIMED, PPT_STATE_ASSIGNING },	/* assign */
	{ PPT_STATE_CLAIMED, PPT_STATE_QUARANTINED },
	{ PPT_STATE_CLAIMED, PPT_STATE_DETACHED },
	{ PPT_STATE_ASSIGNING, PPT_STATE_ASSIGNED },	/* assign done */
	{ PPT_STATE_ASSIGNING, PPT_STATE_CLAIMED },	/* assign failed, undone */
	{ PPT_STATE_ASSIGNED, PPT_STATE_UNASSIGNING },	/* unassign */
	{ PPT_STATE_ASSIGNED, PPT_STATE_DIRTY },	/* vfio-pci let go */
	{ PPT_STATE_UNASSIGNING, PPT_STATE_DIRTY },	/* unassign done */
	{ PPT_STATE_UNASSIGNING, PPT_STATE_ASSIGNED },	/* VFIO still open */
	{ PPT_STATE_DIRTY, PPT_STATE_CLEANING },	/* clean */
	{ PPT_STATE_DIRTY, PPT_STATE_RESETTING },	/* reset, stays dirty */
	{ PPT_STATE_DIRTY, PPT_STATE_RELEASING },
	{ PPT_STATE_DIRTY, PPT_STATE_QUARANTINED },
	{ PPT_STATE_DIRTY, PPT_STATE_DETACHED },
	{ PPT_STATE_CLEANING, PPT_STATE_RESERVED },	/* clean done */
	{ PPT_STATE_CLEANING, PPT_STATE_QUARANTINED },	/* clean failed */
	{ PPT_STATE_QUARANTINED, PPT_STATE_CLEANING },	/* administrator cleans */
	{ PPT_STATE_QUARANTINED, PPT_STATE_RESETTING },
	{ PPT_STATE_QUARANTINED, PPT_STATE_DIRTY },	/* administrator clears */
	{ PPT_STATE_QUARANTINED, PPT_STATE_RELEASING },
	{ PPT_STATE_QUARANTINED, PPT_STATE_DETACHED },
	{ PPT_STATE_RELEASING, PPT_STATE_RESERVED },	/* release failed: */
	{ PPT_STATE_RELEASING, PPT_STATE_DIRTY },	/* back where it was */
	{ PPT_STATE_RELEASING, PPT_STATE_QUARANTINED },
	{ PPT_STATE_RELEASING, PPT_STATE_DETACHED },
	{ PPT_STATE_DETACHED, PPT_STATE_RESERVING },	/* forced reserve */
	{ PPT_STATE_DETACHED, PPT_STATE_RELEASING },	/* forget it */
	{ PPT_STATE_RESERVING, PPT_STATE_RESERVED },	/* reserve done */
	{ PPT_STATE_RESERVING, PPT_STATE_DETACHED },	/* reserve failed */
	{ PPT_STATE_RESETTING, PPT_STATE_RESERVED },	/* reset done: back */
	{ PPT_STATE_RESETTING, PPT_STATE_DIRTY },	/* to where it was */
	{ PPT_STATE_RESETTING, PPT_STATE_QUARANTINED },	/* reset failed */
	{ PPT_STATE_DIRTY, PPT_STATE_SANITISING },	/* clean: erase first */
	{ PPT_STATE_QUARANTINED, PPT_STATE_SANITISING },
	{ PPT_STATE_RESERVED, PPT_STATE_SANITISING },	/* a group mate goes along */
	{ PPT_STATE_SANITISING, PPT_STATE_DIRTY },	/* erased, or not: */
	{ PPT_STATE_SANITISING, PPT_STATE_QUARANTINED },/* back, or failed */
	{ PPT_STATE_SANITISING, PPT_STATE_RESERVED },	/* the mate comes back */
	{ PPT_STATE_SANITISING, PPT_STATE_DETACHED },	/* kept by a VFIO user */
};

static bool is_legal(enum ppt_state from, enum ppt_state to)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(legal); i++)
		if (legal[i].from == from && legal[i].to == to)
			return true;
	return false;
}

/* Every (from, to) pair: legal ones pass, every other one is refused. */
static void state_matrix_test(struct kunit *test)
{
	enum ppt_state from, to;

	for (from = PPT_STATE_RESERVED; from < __PPT_STATE_MAX; from++) {
		for (to = PPT_STATE_RESERVED; to < __PPT_STATE_MAX; to++) {
			const char *why = NULL;
			int ret = ppt_state_check(from, to, &why);

			if (is_legal(from, to)) {
				KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s -> %s",
						    ppt_state_name(from),
						    ppt_state_name(to));
				continue;
			}
			KUNIT_EXPECT_LT_MSG(test, ret, 0, "%s -> %s must be refused",
					    ppt_state_name(from),
					    ppt_state_name(to));
			KUNIT_EXPECT_TRUE_MSG(test,
					      ret == -EBUSY || ret == -EINVAL ||
					      ret == -EUCLEAN || ret == -EIO ||
					      ret == -ENODEV || ret == -EALREADY,
					      "%s -> %s: undocumented errno %d",
					      ppt_state_name(from),
					      ppt_state_name(to), ret);
			KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, why, "%s -> %s",
							 ppt_state_name(from),
							 ppt_state_name(to));
		}
	}
}

/* The refusals callers see most, with the errno each must carry. */
static void state_refusal_test(struct kunit *test)
{
	static const struct {
		enum ppt_state from, to;
		int ret;
		const char *why;
	} cases[] = {
		{ PPT_STATE_DIRTY, PPT_STATE_CLAIMED, -EUCLEAN,
		  "device is dirty: it must be cleaned first" },
		{ PPT_STATE_QUARANTINED, PPT_STATE_CLAIMED, -EIO,
		  "device is quarantined: an administrator must clear it" },
		{ PPT_STATE_DETACHED, PPT_STATE_CLAIMED, -ENODEV,
		  "device is bound to another driver, not to ppt" },
		{ PPT_STATE_CLAIMED, PPT_STATE_CLAIMED, -EBUSY,
		  "device is already claimed" },
		{ PPT_STATE_ASSIGNED, PPT_STATE_CLAIMED, -EBUSY,
		  "device is assigned: unassign it first" },
		{ PPT_STATE_RESERVED, PPT_STATE_ASSIGNING, -EINVAL,
		  "device must be claimed before it is assigned" },
		{ PPT_STATE_CLAIMED, PPT_STATE_UNASSIGNING, -EINVAL,
		  "device is not assigned" },
		{ PPT_STATE_RESERVED, PPT_STATE_RESERVED, -EINVAL,
		  "device is not claimed" },
		{ PPT_STATE_CLAIMED, PPT_STATE_RELEASING, -EBUSY,
		  "a claimed device must be unclaimed before release" },
		{ PPT_STATE_RESERVED, PPT_STATE_RESERVING, -EALREADY,
		  "device is already held by ppt" },
		{ PPT_STATE_RESERVED, PPT_STATE_DIRTY, -EINVAL,
		  "only a quarantined device can be cleared" },
		{ PPT_STATE_CLAIMED, PPT_STATE_RESETTING, -EBUSY,
		  "a claimed device must be unclaimed before it is reset" },
		{ PPT_STATE_ASSIGNED, PPT_STATE_CLEANING, -EBUSY,
		  "device is assigned: unassign it first" },
		{ PPT_STATE_SANITISING, PPT_STATE_CLAIMED, -EBUSY,
		  "an operation is in progress on the device" },
		{ PPT_STATE_CLAIMED, PPT_STATE_SANITISING, -EBUSY,
		  "a claimed device must be unclaimed before it is reset" },
		{ PPT_STATE_ASSIGNED, PPT_STATE_SANITISING, -EBUSY,
		  "device is assigned: unassign it first" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *why = NULL;

		KUNIT_EXPECT_EQ_MSG(test,
				    ppt_state_check(cases[i].from, cases[i].to, &why),
				    cases[i].ret, "case %zu", i);
		KUNIT_EXPECT_STREQ_MSG(test, why ?: "(none)", cases[i].why,
				       "case %zu", i);
	}
}

/* A running operation holds the device: everything else is EBUSY. */
static void state_transitional_test(struct kunit *test)
{
	enum ppt_state from, to;

	for (from = PPT_STATE_RESERVED; from < __PPT_STATE_MAX; from++) {
		if (!ppt_state_is_transitional(from))
			continue;
		for (to = PPT_STATE_RESERVED; to < __PPT_STATE_MAX; to++) {
			const char *why = NULL;

			if (is_legal(from, to))
				continue;
			KUNIT_EXPECT_EQ_MSG(test, ppt_state_check(from, to, &why),
					    -EBUSY, "%s -> %s", ppt_state_name(from),
					    ppt_state_name(to));
		}
	}
	KUNIT_EXPECT_TRUE(test, ppt_state_is_transitional(PPT_STATE_ASSIGNING));
	KUNIT_EXPECT_TRUE(test, ppt_state_is_transitional(PPT_STATE_RESERVING));
	KUNIT_EXPECT_TRUE(test, ppt_state_is_transitional(PPT_STATE_RESETTING));
	KUNIT_EXPECT_TRUE(test, ppt_state_is_transitional(PPT_STATE_SANITISING));
	KUNIT_EXPECT_FALSE(test, ppt_state_is_transitional(PPT_STATE_ASSIGNED));
	KUNIT_EXPECT_FALSE(test, ppt_state_is_transitional(PPT_STATE_DIRTY));
}

/* The safety rules of the design, stated directly. */
static void state_rules_test(struct kunit *test)
{
	enum ppt_state s;
	const char *why;

	/* only a claimed device goes to vfio-pci: never dirty or quarantined */
	for (s = PPT_STATE_RESERVED; s < __PPT_STATE_MAX; s++)
		if (s != PPT_STATE_CLAIMED)
			KUNIT_EXPECT_NE_MSG(test,
					    ppt_state_check(s, PPT_STATE_ASSIGNING, &why),
					    0, "%s -> assigning", ppt_state_name(s));
	/* only cleaning makes a device reserved again after a tenant */
	KUNIT_EXPECT_NE(test, ppt_state_check(PPT_STATE_DIRTY, PPT_STATE_RESERVED, &why), 0);
	KUNIT_EXPECT_NE(test, ppt_state_check(PPT_STATE_UNASSIGNING,
					      PPT_STATE_RESERVED, &why), 0);
	KUNIT_EXPECT_NE(test, ppt_state_check(PPT_STATE_QUARANTINED,
					      PPT_STATE_RESERVED, &why), 0);
	/* a sanitiser is not a clean: it hands the device on to one */
	KUNIT_EXPECT_NE(test, ppt_state_check(PPT_STATE_SANITISING,
					      PPT_STATE_CLAIMED, &why), 0);
	KUNIT_EXPECT_NE(test, ppt_state_check(PPT_STATE_SANITISING,
					      PPT_STATE_ASSIGNING, &why), 0);
	/*
	 * quarantine is left only through an administrator's clean (which
	 * verifies the device) or release: never straight to a tenant
	 */
	KUNIT_EXPECT_NE(test, ppt_state_check(PPT_STATE_QUARANTINED,
					      PPT_STATE_CLAIMED, &why), 0);
	KUNIT_EXPECT_EQ(test, ppt_state_check(PPT_STATE_QUARANTINED,
					      PPT_STATE_CLEANING, &why), 0);
}

static void state_invalid_test(struct kunit *test)
{
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, ppt_state_check(PPT_STATE_UNSPEC,
					      PPT_STATE_RESERVED, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, ppt_state_check(PPT_STATE_RESERVED,
					      PPT_STATE_UNSPEC, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, ppt_state_check(__PPT_STATE_MAX,
					      PPT_STATE_RESERVED, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, ppt_state_check(PPT_STATE_RESERVED,
					      (enum ppt_state)-1, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "invalid state");
}

static struct kunit_case ppt_state_test_cases[] = {
	KUNIT_CASE(state_names_test),
	KUNIT_CASE(state_names_stable_test),
	KUNIT_CASE(state_name_out_of_range_test),
	KUNIT_CASE(state_matrix_test),
	KUNIT_CASE(state_refusal_test),
	KUNIT_CASE(state_transitional_test),
	KUNIT_CASE(state_rules_test),
	KUNIT_CASE(state_invalid_test),
	{}
};

static struct kunit_suite ppt_state_test_suite = {
	.name = "ppt_state",
	.test_cases = ppt_state_test_cases,
};

kunit_test_suite(ppt_state_test_suite);
