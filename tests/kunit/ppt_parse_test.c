// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for kernel/ppt_parse.c: the parsers of ppt's boot lists
 * (module parameters ids=, devices=, paths=).
 *
 * The file under test is compiled into this test module by including it, so
 * its static helpers are reachable and ppt.ko itself is not needed.  Each
 * file of kernel/ is included by exactly one test file of ppt_kunit.ko.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "../../kernel/ppt_parse.c"

/* Fill pattern: a parser that fails must leave its output untouched. */
#define POISON 0xa5

/* --- ids= ---------------------------------------------------------------- */

struct id_case {
	const char *tok;
	int ret;
	struct ppt_id_match want;	/* when ret == 0 */
};

#define ANY PCI_ANY_ID

static const struct id_case id_cases[] = {
	{ "10de:1db4", 0, { 0x10de, 0x1db4, ANY, ANY, 0, 0 } },
	{ "10DE:1DB4", 0, { 0x10de, 0x1db4, ANY, ANY, 0, 0 } },
	{ "0:0", 0, { 0, 0, ANY, ANY, 0, 0 } },
	{ "ffffffff:ffffffff", 0, { ANY, ANY, ANY, ANY, 0, 0 } },
	{ "8086:10d3:1af4:1100", 0, { 0x8086, 0x10d3, 0x1af4, 0x1100, 0, 0 } },
	/* a class without a mask matches exactly that class */
	{ "8086:10d3:ffffffff:0:20000", 0,
	  { 0x8086, 0x10d3, ANY, 0, 0x020000, 0xffffff } },
	{ "1234:1111:ffffffff:ffffffff:030000:ff0000", 0,
	  { 0x1234, 0x1111, ANY, ANY, 0x030000, 0xff0000 } },
	{ "1234:1111:ffffffff:ffffffff:0:0", 0,
	  { 0x1234, 0x1111, ANY, ANY, 0, 0 } },
	{ "00000001:00000002", 0, { 1, 2, ANY, ANY, 0, 0 } },

	{ "", -EINVAL },
	{ "10de", -EINVAL },			/* need vendor:device */
	{ "10de:", -EINVAL },			/* empty field */
	{ ":1db4", -EINVAL },
	{ "10de:1db4:", -EINVAL },
	{ "10de::1:1", -EINVAL },
	{ "1:2:3:4:5:6:7", -EINVAL },		/* too many fields */
	{ "10000:1", -EINVAL },			/* id above ffff */
	{ "1:fffffffe", -EINVAL },		/* not ffffffff either */
	{ "fffffffff:1", -EINVAL },		/* nine digits */
	{ "g0de:1", -EINVAL },
	{ "0x10de:1", -EINVAL },
	{ "-1:1", -EINVAL },
	{ " 10de:1db4", -EINVAL },
	{ "10de:1db4 ", -EINVAL },
	{ "10de:1db4:0:0:1000000", -EINVAL },	/* class above ffffff */
	{ "10de:1db4:0:0:0:1000000", -EINVAL },	/* class_mask above ffffff */
	{ "10de:1db4:0:0:30001:ff0000", -EINVAL }, /* class outside mask */
	{ "10de:1db4:0:0::ff0000", -EINVAL },
	{ "10de:1db4:0:0:0:", -EINVAL },
};

static void id_case_desc(const struct id_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->tok);
}

KUNIT_ARRAY_PARAM(id, id_cases, id_case_desc);

static void parse_id_test(struct kunit *test)
{
	const struct id_case *c = test->param_value;
	struct ppt_id_match m, untouched;
	const char *why = NULL;
	int ret;

	memset(&m, POISON, sizeof(m));
	untouched = m;
	ret = ppt_parse_id(c->tok, &m, &why);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "token \"%s\" (why: %s)",
			    c->tok, why ?: "-");
	if (c->ret) {
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, why);
		KUNIT_EXPECT_EQ(test, memcmp(&m, &untouched, sizeof(m)), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, m.vendor, c->want.vendor);
	KUNIT_EXPECT_EQ(test, m.device, c->want.device);
	KUNIT_EXPECT_EQ(test, m.subvendor, c->want.subvendor);
	KUNIT_EXPECT_EQ(test, m.subdevice, c->want.subdevice);
	KUNIT_EXPECT_EQ(test, m.class, c->want.class);
	KUNIT_EXPECT_EQ(test, m.class_mask, c->want.class_mask);
}

/* The reasons are what the administrator sees: spot-check the important ones. */
static void parse_id_why_test(struct kunit *test)
{
	struct ppt_id_match m;
	const char *why = NULL;
	char long_tok[PPT_TOKEN_MAX + 2];

	KUNIT_EXPECT_EQ(test, ppt_parse_id("10de", &m, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "need at least vendor:device");
	KUNIT_EXPECT_EQ(test, ppt_parse_id("1:2:3:4:5:6:7", &m, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "too many fields (max 6)");
	KUNIT_EXPECT_EQ(test, ppt_parse_id("10000:1", &m, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why,
			   "id out of range (max ffff, or ffffffff for any)");
	KUNIT_EXPECT_EQ(test, ppt_parse_id("1:1:0:0:1000000", &m, &why),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "class out of range (max ffffff)");
	KUNIT_EXPECT_EQ(test, ppt_parse_id("1:1:0:0:30001:ff0000", &m, &why),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "class has bits outside class_mask");
	KUNIT_EXPECT_EQ(test, ppt_parse_id("", &m, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "empty entry");

	/* One byte over the limit is refused, not truncated. */
	memset(long_tok, '0', sizeof(long_tok) - 1);
	long_tok[sizeof(long_tok) - 1] = '\0';
	long_tok[4] = ':';
	KUNIT_EXPECT_EQ(test, ppt_parse_id(long_tok, &m, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "entry too long");
}

static void id_match_dev_test(struct kunit *test)
{
	struct ppt_id_match m;
	const char *why;

	KUNIT_ASSERT_EQ(test, ppt_parse_id("ffffffff:ffffffff", &m, &why), 0);
	KUNIT_EXPECT_TRUE(test, ppt_id_match_dev(&m, 0x8086, 0x10d3, 0x8086,
						 0, 0x020000));
	KUNIT_EXPECT_TRUE(test, ppt_id_match_dev(&m, 0, 0, 0, 0, 0));

	KUNIT_ASSERT_EQ(test, ppt_parse_id("8086:10d3", &m, &why), 0);
	KUNIT_EXPECT_TRUE(test, ppt_id_match_dev(&m, 0x8086, 0x10d3, 0x1af4,
						 0x1100, 0x020000));
	KUNIT_EXPECT_FALSE(test, ppt_id_match_dev(&m, 0x8086, 0x10d4, 0x1af4,
						  0x1100, 0x020000));
	KUNIT_EXPECT_FALSE(test, ppt_id_match_dev(&m, 0x8087, 0x10d3, 0x1af4,
						  0x1100, 0x020000));

	KUNIT_ASSERT_EQ(test, ppt_parse_id("8086:10d3:1af4:1100", &m, &why), 0);
	KUNIT_EXPECT_TRUE(test, ppt_id_match_dev(&m, 0x8086, 0x10d3, 0x1af4,
						 0x1100, 0));
	KUNIT_EXPECT_FALSE(test, ppt_id_match_dev(&m, 0x8086, 0x10d3, 0x1af4,
						  0x1101, 0));
	KUNIT_EXPECT_FALSE(test, ppt_id_match_dev(&m, 0x8086, 0x10d3, 0x1af5,
						  0x1100, 0));

	/* Any display controller (base class 03) from vendor 1234. */
	KUNIT_ASSERT_EQ(test,
			ppt_parse_id("1234:ffffffff:ffffffff:ffffffff:030000:ff0000",
				     &m, &why), 0);
	KUNIT_EXPECT_TRUE(test, ppt_id_match_dev(&m, 0x1234, 0x1111, 0, 0,
						 0x030000));
	KUNIT_EXPECT_TRUE(test, ppt_id_match_dev(&m, 0x1234, 0x1111, 0, 0,
						 0x038000));
	KUNIT_EXPECT_FALSE(test, ppt_id_match_dev(&m, 0x1234, 0x11e8, 0, 0,
						  0x00ff00));

	/* A class without a mask is exact. */
	KUNIT_ASSERT_EQ(test, ppt_parse_id("1234:1111:ffffffff:ffffffff:038000",
					   &m, &why), 0);
	KUNIT_EXPECT_TRUE(test, ppt_id_match_dev(&m, 0x1234, 0x1111, 0, 0,
						 0x038000));
	KUNIT_EXPECT_FALSE(test, ppt_id_match_dev(&m, 0x1234, 0x1111, 0, 0,
						  0x030000));
}

/* --- devices= ------------------------------------------------------------ */

struct addr_case {
	const char *tok;
	int ret;
	u32 domain;
	u8 bus;
	u8 devfn;
};

static const struct addr_case addr_cases[] = {
	{ "0000:01:00.0", 0, 0, 0x01, PCI_DEVFN(0, 0) },
	{ "01:00.0", 0, 0, 0x01, PCI_DEVFN(0, 0) },
	{ "0:1:2.3", 0, 0, 0x01, PCI_DEVFN(2, 3) },
	{ "00:1f.7", 0, 0, 0x00, PCI_DEVFN(0x1f, 7) },
	{ "ff:1F.7", 0, 0, 0xff, PCI_DEVFN(0x1f, 7) },
	{ "0001:80:1c.4", 0, 1, 0x80, PCI_DEVFN(0x1c, 4) },
	{ "7fffffff:00:00.0", 0, 0x7fffffff, 0, 0 },
	{ "10000:00:00.0", 0, 0x10000, 0, 0 },

	{ "", -EINVAL },
	{ "00.0", -EINVAL },			/* no bus */
	{ "0:0:0:00.0", -EINVAL },		/* too many ':' */
	{ "80000000:00:00.0", -EINVAL },	/* domain above 7fffffff */
	{ "100:00.0", -EINVAL },		/* bus above ff */
	{ "00:20.0", -EINVAL },			/* device above 1f */
	{ "00:00.8", -EINVAL },			/* function above 7 */
	{ "00:00", -EINVAL },			/* no '.' */
	{ "00:00.0.0", -EINVAL },
	{ ":00.0", -EINVAL },
	{ "00:.0", -EINVAL },
	{ "00:0.", -EINVAL },
	{ ":00:00.0", -EINVAL },		/* empty domain */
	{ "0000:01:00.0 ", -EINVAL },
	{ "0000:01:00,0", -EINVAL },
	{ "0000:01:00/0", -EINVAL },
};

static void addr_case_desc(const struct addr_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->tok);
}

KUNIT_ARRAY_PARAM(addr, addr_cases, addr_case_desc);

static void parse_addr_test(struct kunit *test)
{
	const struct addr_case *c = test->param_value;
	struct ppt_addr_match m, untouched;
	const char *why = NULL;
	int ret;

	memset(&m, POISON, sizeof(m));
	untouched = m;
	ret = ppt_parse_addr(c->tok, &m, &why);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "token \"%s\" (why: %s)",
			    c->tok, why ?: "-");
	if (c->ret) {
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, why);
		KUNIT_EXPECT_EQ(test, memcmp(&m, &untouched, sizeof(m)), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, m.domain, c->domain);
	KUNIT_EXPECT_EQ(test, m.bus, c->bus);
	KUNIT_EXPECT_EQ(test, m.devfn, c->devfn);
}

/* --- paths= -------------------------------------------------------------- */

struct path_case {
	const char *tok;
	int ret;
	const char *canonical;	/* ppt_format_path() of the result */
};

static const struct path_case path_cases[] = {
	{ "0000:00/1c.0/00.0", 0, "0000:00/1c.0/00.0" },
	{ "00/02.0", 0, "0000:00/02.0" },
	{ "0:0/2.0", 0, "0000:00/02.0" },
	{ "1:80/1F.7/0.1", 0, "0001:80/1f.7/00.1" },
	/* 16 hops, the most a path may have: path_max_hops_test */

	{ "", -EINVAL },
	{ "00", -EINVAL },			/* no hop */
	{ "00/", -EINVAL },			/* empty hop */
	{ "00//00.0", -EINVAL },
	{ "00/00.0/", -EINVAL },
	{ "/00.0", -EINVAL },			/* empty root bus */
	{ "100/00.0", -EINVAL },
	{ "00/20.0", -EINVAL },
	{ "00/00.8", -EINVAL },
	{ "00/00", -EINVAL },
	{ "00:00:00/00.0", -EINVAL },
	{ "0000:00:1c.0", -EINVAL },		/* an address, not a path */
	/* one hop too many */
	{ "0/1.0/2.0/3.0/4.0/5.0/6.0/7.0/8.0/9.0/a.0/b.0/c.0/d.0/e.0/f.0/10.0/11.0",
	  -EINVAL },
};

static void path_case_desc(const struct path_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->tok);
}

KUNIT_ARRAY_PARAM(path, path_cases, path_case_desc);

static void parse_path_test(struct kunit *test)
{
	const struct path_case *c = test->param_value;
	struct ppt_path_match m, untouched;
	const char *why = NULL;
	char buf[128];
	int ret;

	memset(&m, POISON, sizeof(m));
	untouched = m;
	ret = ppt_parse_path(c->tok, &m, &why);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "token \"%s\" (why: %s)",
			    c->tok, why ?: "-");
	if (c->ret) {
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, why);
		KUNIT_EXPECT_EQ(test, memcmp(&m, &untouched, sizeof(m)), 0);
		return;
	}
	ret = ppt_format_path(&m, buf, sizeof(buf));
	KUNIT_ASSERT_GT(test, ret, 0);
	KUNIT_EXPECT_EQ(test, ret, (int)strlen(c->canonical));
	KUNIT_EXPECT_STREQ(test, buf, c->canonical);
}

static void parse_path_fields_test(struct kunit *test)
{
	struct ppt_path_match m;
	const char *why;

	KUNIT_ASSERT_EQ(test, ppt_parse_path("0002:40/1c.0/00.3", &m, &why), 0);
	KUNIT_EXPECT_EQ(test, m.domain, 2U);
	KUNIT_EXPECT_EQ(test, m.root_bus, 0x40);
	KUNIT_EXPECT_EQ(test, m.nhops, 2);
	KUNIT_EXPECT_EQ(test, m.hops[0], PCI_DEVFN(0x1c, 0));
	KUNIT_EXPECT_EQ(test, m.hops[1], PCI_DEVFN(0, 3));

	KUNIT_EXPECT_EQ(test, ppt_parse_path("00//00.0", &m, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "empty hop");
	KUNIT_EXPECT_EQ(test, ppt_parse_path("00/20.0", &m, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "device out of range (max 1f)");
	KUNIT_EXPECT_EQ(test, ppt_parse_path("00/00.8", &m, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "function out of range (max 7)");
}

/*
 * What ppt_format_path() prints must parse back to the same path: the netlink
 * attribute PPT_A_DEV_PATH is documented as the path "as the paths= parameter
 * takes it".  Checked for every depth up to PPT_PATH_MAX_HOPS with the widest
 * hops, domain and root bus: every path ppt can print must fit in a paths=
 * token.
 */
static void path_roundtrip_test(struct kunit *test)
{
	struct ppt_path_match p = { .domain = 0x7fffffff, .root_bus = 0xff }, q;
	char buf[8 + 1 + 2 + PPT_PATH_MAX_HOPS * 5 + 1];
	const char *why = NULL;
	int nhops, len;

	for (nhops = 1; nhops <= PPT_PATH_MAX_HOPS; nhops++) {
		p.nhops = nhops;
		p.hops[nhops - 1] = PCI_DEVFN(0x1f, nhops % 8);
		len = ppt_format_path(&p, buf, sizeof(buf));
		KUNIT_ASSERT_GT(test, len, 0);
		KUNIT_ASSERT_LE_MSG(test, len, PPT_TOKEN_MAX,
				    "a %d-hop path prints as %d characters, more than a paths= entry may have",
				    nhops, len);
		memset(&q, POISON, sizeof(q));
		KUNIT_ASSERT_EQ_MSG(test, ppt_parse_path(buf, &q, &why), 0,
				    "\"%s\" (why: %s)", buf, why ?: "-");
		KUNIT_ASSERT_EQ(test, q.domain, p.domain);
		KUNIT_ASSERT_EQ(test, q.root_bus, p.root_bus);
		KUNIT_ASSERT_EQ(test, q.nhops, p.nhops);
		KUNIT_ASSERT_EQ(test, memcmp(q.hops, p.hops, nhops), 0);
	}
}

/* The deepest path parses, and prints back as the same text. */
static void path_max_hops_test(struct kunit *test)
{
	char tok[PPT_PATH_MAX], buf[PPT_PATH_MAX];
	struct ppt_path_match m;
	const char *why = NULL;
	int i, n;

	n = snprintf(tok, sizeof(tok), "0000:00");
	for (i = 1; i <= PPT_PATH_MAX_HOPS; i++)
		n += snprintf(tok + n, sizeof(tok) - n, "/%02x.0", i);
	KUNIT_ASSERT_LT(test, n, (int)sizeof(tok));
	KUNIT_ASSERT_EQ_MSG(test, ppt_parse_path(tok, &m, &why), 0, "%s: %s",
			    tok, why ?: "-");
	KUNIT_EXPECT_EQ(test, m.nhops, PPT_PATH_MAX_HOPS);
	KUNIT_EXPECT_EQ(test, ppt_format_path(&m, buf, sizeof(buf)), n);
	KUNIT_EXPECT_STREQ(test, buf, tok);
}

static void format_path_test(struct kunit *test)
{
	struct ppt_path_match m = {
		.domain = 0, .root_bus = 0, .nhops = 1,
		.hops = { PCI_DEVFN(2, 0) },
	};
	char buf[32];

	/* "0000:00/02.0" is 12 characters: it needs 13 bytes. */
	KUNIT_EXPECT_EQ(test, ppt_format_path(&m, buf, 13), 12);
	KUNIT_EXPECT_STREQ(test, buf, "0000:00/02.0");
	KUNIT_EXPECT_EQ(test, ppt_format_path(&m, buf, 12), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ppt_format_path(&m, buf, 7), -ENOSPC);

	m.domain = 0x7fffffff;
	m.root_bus = 0xff;
	m.hops[0] = PCI_DEVFN(0x1f, 7);
	KUNIT_EXPECT_EQ(test, ppt_format_path(&m, buf, sizeof(buf)), 16);
	KUNIT_EXPECT_STREQ(test, buf, "7fffffff:ff/1f.7");
}

/* --- list splitting ------------------------------------------------------- */

static void next_token_test(struct kunit *test)
{
	char tok[PPT_TOKEN_MAX + 1];
	const char *list = "a,bb,,ccc";

	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), 1);
	KUNIT_EXPECT_STREQ(test, tok, "a");
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), 2);
	KUNIT_EXPECT_STREQ(test, tok, "bb");
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), 0);	/* ",," */
	KUNIT_EXPECT_STREQ(test, tok, "");
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), 3);
	KUNIT_EXPECT_STREQ(test, tok, "ccc");
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), -ENOENT);
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), -ENOENT);

	list = "";
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), -ENOENT);
	list = NULL;
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), -ENOENT);

	/* A leading empty token is reported; a trailing comma ends the list. */
	list = ",x,";
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), 0);
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), 1);
	KUNIT_EXPECT_STREQ(test, tok, "x");
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), -ENOENT);
}

static void next_token_long_test(struct kunit *test)
{
	char tok[PPT_TOKEN_MAX + 1];
	char list_buf[PPT_TOKEN_MAX + 16];
	const char *list;

	/* Exactly PPT_TOKEN_MAX bytes fits. */
	memset(list_buf, 'a', PPT_TOKEN_MAX);
	strscpy(list_buf + PPT_TOKEN_MAX, ",b", sizeof(list_buf) - PPT_TOKEN_MAX);
	list = list_buf;
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), PPT_TOKEN_MAX);
	KUNIT_EXPECT_EQ(test, (int)strlen(tok), PPT_TOKEN_MAX);
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), 1);
	KUNIT_EXPECT_STREQ(test, tok, "b");

	/* Longer: the full length is returned, the copy is truncated. */
	memset(list_buf, 'a', PPT_TOKEN_MAX + 5);
	strscpy(list_buf + PPT_TOKEN_MAX + 5, ",b",
		sizeof(list_buf) - PPT_TOKEN_MAX - 5);
	list = list_buf;
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), PPT_TOKEN_MAX + 5);
	KUNIT_EXPECT_EQ(test, (int)strlen(tok), PPT_TOKEN_MAX);
	KUNIT_EXPECT_EQ(test, ppt_next_token(&list, tok), 1);
	KUNIT_EXPECT_STREQ(test, tok, "b");
}

/* --- static helpers -------------------------------------------------------- */

static void parse_hex_test(struct kunit *test)
{
	const char *why = NULL;
	u32 v = 0;

	KUNIT_EXPECT_EQ(test, parse_hex("ffffffff", 8, U32_MAX, &v, &why), 0);
	KUNIT_EXPECT_EQ(test, v, U32_MAX);
	KUNIT_EXPECT_EQ(test, parse_hex("12345", 3, U32_MAX, &v, &why), 0);
	KUNIT_EXPECT_EQ(test, v, 0x123U);
	KUNIT_EXPECT_EQ(test, parse_hex("100", 3, 0xff, &v, &why), -ERANGE);
	KUNIT_EXPECT_STREQ(test, why, "field out of range");
	KUNIT_EXPECT_EQ(test, parse_hex("", 0, 0xff, &v, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "empty field");
	KUNIT_EXPECT_EQ(test, parse_hex("000000000", 9, U32_MAX, &v, &why),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "field has too many digits");
	KUNIT_EXPECT_EQ(test, parse_hex("1z", 2, 0xff, &v, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "field is not hexadecimal");
}

static void split_fields_test(struct kunit *test)
{
	const char *start[3];
	size_t len[3];

	KUNIT_EXPECT_EQ(test, split_fields("a:bc:", ':', start, len, 3), 3);
	KUNIT_EXPECT_EQ(test, len[0], 1UL);
	KUNIT_EXPECT_EQ(test, len[1], 2UL);
	KUNIT_EXPECT_EQ(test, len[2], 0UL);
	KUNIT_EXPECT_EQ(test, split_fields("abc", ':', start, len, 3), 1);
	KUNIT_EXPECT_EQ(test, len[0], 3UL);
	KUNIT_EXPECT_EQ(test, split_fields("", ':', start, len, 3), 1);
	KUNIT_EXPECT_EQ(test, len[0], 0UL);
	KUNIT_EXPECT_EQ(test, split_fields("a:b:c:d", ':', start, len, 3),
			-EINVAL);
}

struct vfs_case {
	const char *tok;
	int ret;
	u8 bus;
	u8 devfn;
	u16 count;
};

static const struct vfs_case vfs_cases[] = {
	{ "0000:01:00.0", 0, 0x01, PCI_DEVFN(0, 0), 0 },
	{ "01:00.0=4", 0, 0x01, PCI_DEVFN(0, 0), 4 },
	{ "0000:3b:00.1=65535", 0, 0x3b, PCI_DEVFN(0, 1), 65535 },
	{ "0000:01:00.0=1", 0, 0x01, 0, 1 },

	{ "", -EINVAL },
	{ "=4", -EINVAL },			/* no address */
	{ "0000:01:00.0=", -EINVAL },		/* no count */
	{ "0000:01:00.0=0", -EINVAL },		/* no VFs: leave the entry out */
	{ "0000:01:00.0=04", -EINVAL },		/* a leading zero */
	{ "0000:01:00.0=65536", -EINVAL },
	{ "0000:01:00.0=123456", -EINVAL },
	{ "0000:01:00.0=0x4", -EINVAL },
	{ "0000:01:00.0=-1", -EINVAL },
	{ "0000:01:00.0=4=4", -EINVAL },
	{ "0000:01:00.0=4 ", -EINVAL },
	{ "0000:01:00.8=4", -EINVAL },		/* bad address */
};

static void vfs_case_desc(const struct vfs_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->tok);
}

KUNIT_ARRAY_PARAM(vfs, vfs_cases, vfs_case_desc);

static void parse_vfs_test(struct kunit *test)
{
	const struct vfs_case *c = test->param_value;
	struct ppt_vfs_match m, untouched;
	const char *why = NULL;
	int ret;

	memset(&m, POISON, sizeof(m));
	untouched = m;
	ret = ppt_parse_vfs(c->tok, &m, &why);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "token \"%s\" (why: %s)",
			    c->tok, why ?: "-");
	if (c->ret) {
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, why);
		KUNIT_EXPECT_EQ(test, memcmp(&m, &untouched, sizeof(m)), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, m.pf.domain, 0U);
	KUNIT_EXPECT_EQ(test, m.pf.bus, c->bus);
	KUNIT_EXPECT_EQ(test, m.pf.devfn, c->devfn);
	KUNIT_EXPECT_EQ(test, m.count, c->count);
}

/* --- sanitise= ------------------------------------------------------------ */

struct class_case {
	const char *tok;
	int ret;
	u32 class, mask;
	u8 digits;
};

static const struct class_case class_cases[] = {
	{ "0108", 0, 0x010800, 0xffff00, 4 },
	{ "03", 0, 0x030000, 0xff0000, 2 },
	{ "010802", 0, 0x010802, 0xffffff, 6 },
	{ "0C03", 0, 0x0c0300, 0xffff00, 4 },
	{ "", -EINVAL },
	{ "1", -EINVAL },
	{ "010", -EINVAL },
	{ "01080", -EINVAL },
	{ "0108020", -EINVAL },
	{ "01g8", -EINVAL },
	{ "0x01", -EINVAL },
};

static void class_case_desc(const struct class_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->tok);
}

KUNIT_ARRAY_PARAM(class, class_cases, class_case_desc);

static void parse_class_test(struct kunit *test)
{
	const struct class_case *c = test->param_value;
	struct ppt_class_match m, untouched;
	const char *why = NULL;
	int ret;

	memset(&m, POISON, sizeof(m));
	untouched = m;
	ret = ppt_parse_class(c->tok, &m, &why);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "token \"%s\" (why: %s)",
			    c->tok, why ?: "-");
	if (c->ret) {
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, why);
		KUNIT_EXPECT_EQ(test, memcmp(&m, &untouched, sizeof(m)), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, m.class, c->class);
	KUNIT_EXPECT_EQ(test, m.mask, c->mask);
	KUNIT_EXPECT_EQ(test, m.digits, c->digits);
}

struct sanitiser_case {
	const char *spec;
	int ret;
};

static const struct sanitiser_case sanitiser_cases[] = {
	{ "none", 0 },
	{ "nvme", 0 },
	{ "nvme:auto", 0 },
	{ "nvme:sanitize-crypto", 0 },
	{ "nvme:sanitize-block", 0 },
	{ "nvme:format-crypto", 0 },
	{ "nvme:format-user", 0 },
	{ "nvme:write-zeroes", 0 },
	{ "nvme:overwrite", 0 },
	{ "bar", 0 },
	{ "bar:prefetchable", 0 },
	{ "bar:memory", 0 },
	{ "bar:0", 0 },
	{ "bar:0,2,5", 0 },
	{ "exec:/usr/bin/scrub", 0 },
	{ "exec:/opt/v/scrub--all=1", 0 },
	{ "", -EINVAL },
	{ "None", -EINVAL },
	{ "none:x", -EINVAL },
	{ "nvme:", -EINVAL },
	{ "nvme:format", -EINVAL },
	{ "nvmex", -EINVAL },
	{ "bar:", -EINVAL },
	{ "bar:6", -EINVAL },
	{ "bar:0,", -EINVAL },
	{ "bar:0,0", -EINVAL },
	{ "bar:01", -EINVAL },
	{ "bar:io", -EINVAL },
	{ "exec", -EINVAL },
	{ "exec:", -EINVAL },
	{ "exec:/", -EINVAL },
	{ "exec:scrub", -EINVAL },
	{ "exec:/bin/a b", -EINVAL },
	{ "exec:/bin/a;b", -EINVAL },
	{ "exec:/bin/a\tb", -EINVAL },
	{ "reset", -EINVAL },
};

static void sanitiser_case_desc(const struct sanitiser_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->spec);
}

KUNIT_ARRAY_PARAM(sanitiser, sanitiser_cases, sanitiser_case_desc);

static void parse_sanitiser_test(struct kunit *test)
{
	const struct sanitiser_case *c = test->param_value;
	const char *why = NULL;

	KUNIT_EXPECT_EQ_MSG(test, ppt_parse_sanitiser(c->spec, &why), c->ret,
			    "spec \"%s\" (why: %s)", c->spec, why ?: "-");
	if (c->ret)
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, why);
}

static void parse_sanitiser_long_test(struct kunit *test)
{
	char spec[PPT_SANITISER_MAX + 1];
	const char *why = NULL;

	/* exec:/ and a path that fills the attribute exactly */
	memset(spec, 'a', sizeof(spec));
	memcpy(spec, "exec:/", 6);
	spec[PPT_SANITISER_MAX - 1] = '\0';
	KUNIT_EXPECT_EQ(test, ppt_parse_sanitiser(spec, &why), 0);
	spec[PPT_SANITISER_MAX - 1] = 'a';
	spec[PPT_SANITISER_MAX] = '\0';
	KUNIT_EXPECT_EQ(test, ppt_parse_sanitiser(spec, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "sanitiser too long");
}

static void parse_sanitise_entry_test(struct kunit *test)
{
	char tok[64];
	const char *why = NULL;
	char *sel, *spec;
	int kind = 0, ret;

	strscpy(tok, "class:0108=nvme:format-user", sizeof(tok));
	ret = ppt_parse_sanitise_entry(tok, &kind, &sel, &spec, &why);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, kind, PPT_A_SANITISE_CLASS);
	KUNIT_EXPECT_STREQ(test, sel, "0108");
	KUNIT_EXPECT_STREQ(test, spec, "nvme:format-user");

	strscpy(tok, "device:0000:01:00.0=bar:0,2", sizeof(tok));
	ret = ppt_parse_sanitise_entry(tok, &kind, &sel, &spec, &why);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, kind, PPT_A_MATCH_DEVICE);
	KUNIT_EXPECT_STREQ(test, sel, "0000:01:00.0");
	KUNIT_EXPECT_STREQ(test, spec, "bar:0,2");

	strscpy(tok, "ids:8086:293e=exec:/bin/x=y", sizeof(tok));
	ret = ppt_parse_sanitise_entry(tok, &kind, &sel, &spec, &why);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, kind, PPT_A_MATCH_IDS);
	KUNIT_EXPECT_STREQ(test, sel, "8086:293e");
	KUNIT_EXPECT_STREQ(test, spec, "exec:/bin/x=y");

	strscpy(tok, "slot:1=nvme", sizeof(tok));
	ret = ppt_parse_sanitise_entry(tok, &kind, &sel, &spec, &why);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "unknown selector kind (want device, ids or class)");
	strscpy(tok, "class:0108", sizeof(tok));
	ret = ppt_parse_sanitise_entry(tok, &kind, &sel, &spec, &why);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	strscpy(tok, "class=0108:nvme", sizeof(tok));
	ret = ppt_parse_sanitise_entry(tok, &kind, &sel, &spec, &why);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	/* a bad sanitiser leaves the token whole */
	strscpy(tok, "class:0108=nvme:bogus", sizeof(tok));
	ret = ppt_parse_sanitise_entry(tok, &kind, &sel, &spec, &why);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_STREQ(test, tok, "class:0108=nvme:bogus");
}

static struct kunit_case ppt_parse_test_cases[] = {
	KUNIT_CASE_PARAM(parse_id_test, id_gen_params),
	KUNIT_CASE(parse_id_why_test),
	KUNIT_CASE(id_match_dev_test),
	KUNIT_CASE_PARAM(parse_addr_test, addr_gen_params),
	KUNIT_CASE_PARAM(parse_vfs_test, vfs_gen_params),
	KUNIT_CASE_PARAM(parse_path_test, path_gen_params),
	KUNIT_CASE(parse_path_fields_test),
	KUNIT_CASE(format_path_test),
	KUNIT_CASE(path_max_hops_test),
	KUNIT_CASE(path_roundtrip_test),
	KUNIT_CASE(next_token_test),
	KUNIT_CASE(next_token_long_test),
	KUNIT_CASE(parse_hex_test),
	KUNIT_CASE(split_fields_test),
	KUNIT_CASE_PARAM(parse_class_test, class_gen_params),
	KUNIT_CASE_PARAM(parse_sanitiser_test, sanitiser_gen_params),
	KUNIT_CASE(parse_sanitiser_long_test),
	KUNIT_CASE(parse_sanitise_entry_test),
	{}
};

static struct kunit_suite ppt_parse_test_suite = {
	.name = "ppt_parse",
	.test_cases = ppt_parse_test_cases,
};

kunit_test_suite(ppt_parse_test_suite);
