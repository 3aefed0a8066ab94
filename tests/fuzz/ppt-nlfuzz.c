// SPDX-License-Identifier: GPL-2.0-only
/*
 * ppt-nlfuzz: a netlink fuzzer for the generic netlink family "ppt".
 *
 *   ppt-nlfuzz [--seed N] [--count N | --long] [--threads T]
 *              [--devices ADDR,...] [--user UID] [--timeout SECS] [-v]
 *
 * Raw AF_NETLINK/NETLINK_GENERIC sockets and a small message builder, so
 * that every byte of a request can be wrong.  Each thread has its own
 * socket and its own PRNG (seeded from --seed and its index; the seed is
 * printed, and one thread with the same seed sends the same messages).
 * A thread sends batches of 1 to 16 requests in one datagram (or a single
 * one), then reads until every request has its answer.
 *
 * What is sent (generators, chosen at random per message):
 *   - structured valid requests: get of every PCI device, dumps of
 *     device-get, match-get, stats-get and sanitise-get, and
 *     reserve/release/claim/unclaim/reset/clean/set/unassign/match-add/
 *     match-del of the sandbox devices (--devices) so that state really
 *     changes; requests naming devices that do not exist, and malformed
 *     addresses; sanitise-set/-del with good and bad selectors and
 *     sanitisers (the selectors select no device of the sandbox);
 *     agent-register (a socket may become the sanitise agent), agent-get,
 *     and sanitise-done answering no request;
 *   - random commands: valid ones, 0, the notification commands, 255 and
 *     others unknown; random genl version and reserved byte;
 *   - attributes of random and wrong types and lengths (0, 1..3, odd,
 *     u8/u16/u32/u64 sizes, long), nla_len < 4, nla_len past the end,
 *     NLA_F_NESTED (with nested content) and NLA_F_NET_BYTEORDER on plain
 *     attributes, missing required attributes, duplicates;
 *   - strings: no NUL, longer than the policy allows, exactly at the
 *     limit, empty, with control bytes, with bytes >= 0x80;
 *   - dumps (NLM_F_DUMP) with random flags and attributes, dumps of
 *     commands that have none;
 *   - broken netlink headers: datagrams shorter than a header, nlmsg_len
 *     below 16 or past the datagram (the kernel drops these without an
 *     answer: they are sent alone and counted as "silent"), a genl header
 *     cut short; random nlmsg flags (with or without NLM_F_REQUEST), the
 *     control message types below NLMSG_MIN_TYPE.
 *
 * Safety: as root the fuzzer changes only the sandbox devices.  Every
 * message is checked just before it is sent, walking its attributes as the
 * kernel does: a PPT_A_DEV_ADDR that the kernel's parser would read as an
 * existing device outside the sandbox (in any command but device-get; in
 * assign, any existing device), and a match entry that is not one of the
 * sandbox's own entries (device, path, or ids that match only sandbox
 * devices) but could parse, are spoiled (first byte 'g') so that they
 * cannot parse.  Nothing is ever assigned to vfio-pci.
 *
 * Checks (each failure is printed with the request's bytes in hex):
 *   - every request is answered: an NLMSG_ERROR (ack or error) or, for a
 *     dump, NLMSG_DONE, within --timeout (default 20 s); a thread stuck in
 *     send() that long is a hang (a watchdog reports it and exits);
 *   - every errno is in the sane set: EINVAL ERANGE EOPNOTSUPP EPERM ENODEV
 *     ENOENT EEXIST EBUSY EALREADY EUCLEAN EIO E2BIG EMSGSIZE ENOMEM ENOSPC
 *     (the netlink core's policy errors, and what kernel/ppt_*.c return
 *     to a request);
 *   - exact answers where the outcome is known: an unknown command, a dump
 *     of a command without dumpit, match-get and stats-get without
 *     NLM_F_DUMP are
 *     EOPNOTSUPP; a genl header cut short is EINVAL; a message without
 *     NLM_F_REQUEST or of a control type is acked with 0; get of an
 *     existing device is 0 or ENODEV, and its reply names that device; a
 *     request naming a device that does not exist is ENODEV, a malformed
 *     address EINVAL; match-add of a sandbox entry 0 or EEXIST, match-del
 *     0, ENOENT or EPERM; dumps end with DONE and error 0; nlmsg flags
 *     other than REQUEST, ACK, ECHO (and the two DUMP bits of a dump) or a
 *     non-zero genl reserved field are EINVAL before the command is looked
 *     at (genetlink on 6.1 and 6.12, for a family without resv_start_op);
 *     an empty datagram is refused by send() with ENODATA;
 *   - as an unprivileged user (--user UID: setuid before any socket is
 *     opened) no mutation ever succeeds, and every well-formed one is
 *     EPERM;
 *   - what the kernel sends is well-formed: message lengths, genl headers,
 *     attributes (lengths within the message), error messages echo the
 *     request's sequence number, extended-ack TLVs; no answer for a
 *     sequence number never sent or already answered; no datagram
 *     truncated, no socket overrun.
 * At the end, as root, sandbox devices left claimed are unclaimed, so that
 * they end reserved, dirty, quarantined or released.
 *
 * Reproduce a failure with the printed seed and one thread (--threads 1
 * gives the same messages; with more, each thread's messages are the same
 * but their interleaving is not).  The first 25 failures are printed in
 * full, every one with -v.  The rate (messages/s) is printed at the end.
 *
 * Output: the seed, counts of answers by errno and of messages by
 * generator, then "fuzz: N messages, N answered, N unanswered" (silent
 * messages are not counted in N).  Exit status 0 when nothing failed, 1 on
 * any failure, 2 on a usage or setup error.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "linux/ppt.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif

#define MAX_BATCH	16
#define MSG_MAX		2048
#define RXBUF		(256 * 1024)
#define MAX_DEVS	512
#define MAX_TEXTS	64
#define ADDR_LEN	32
#define MAX_DUMPED_FAILS 25
/* kernel/ppt_netlink.c: the policy's longest PPT_A_DEV_ADDR ("ffffffff:ff:1f.7") */
#define PPT_ADDR_POLICY_LEN 16

/* ------------------------------------------------------------------ */
/* errno classes */

static const int sane_errnos[] = {
	EINVAL, ERANGE, EOPNOTSUPP, EPERM, ENODEV, ENOENT, EEXIST, EBUSY,
	EALREADY, EUCLEAN, EIO, E2BIG, EMSGSIZE, ENOMEM, ENOSPC,
};
#define N_SANE (sizeof(sane_errnos) / sizeof(sane_errnos[0]))

/* bit 0: success; bit i+1: sane_errnos[i]; the top bit: anything else */
#define E_OK		(1u << 0)
#define E_OTHER		(1u << 31)

static unsigned int ebit(int err)
{
	size_t i;

	if (!err)
		return E_OK;
	for (i = 0; i < N_SANE; i++)
		if (sane_errnos[i] == err)
			return 1u << (i + 1);
	return E_OTHER;
}

#define E_SANE	(((1u << (N_SANE + 1)) - 1))

/* ------------------------------------------------------------------ */
/* configuration, shared read-only by the threads */

struct pcidev {
	char addr[ADDR_LEN];
	unsigned int vendor, device, subvendor, subdevice, class;
	bool sandbox;
};

static struct {
	uint64_t seed;
	long count;
	int threads;
	int timeout_ms;
	long user;		/* -1: stay root */
	bool verbose;
	bool root;		/* mutations are expected to work */
	uint16_t family;
	struct pcidev devs[MAX_DEVS];
	int ndevs;
	int sandbox[MAX_DEVS];	/* indices into devs */
	int nsandbox;
	char nonexist[MAX_TEXTS][ADDR_LEN];
	int nnonexist;
	struct { int kind; char text[PPT_PATH_MAX]; } matches[MAX_TEXTS];
	int nmatches;
} cfg = {
	.count = 100000, .threads = 1, .timeout_ms = 20000, .user = -1,
};

static const char *const malformed_addrs[] = {
	"", "0", ":", ".", "::.", "00:00", "0000:00:00", "00.0", "0000:00:00.8",
	"0000:00:20.0", "0000:100:00.0", "80000000:00:00.0", "g000:00:00.0",
	"0000:00:00.0.0", "0000:00:00:00.0", "0000:00:00.0 ", " 0000:00:00.0",
	"0000:00:00.0\n", "-1:00:00.0", "+0:00:00.0", "0x0:00:00.0",
	"000000000:00:00.0", "0000:000000000:00.0", "0000:00:0000000000.0",
	"0000:00:.0", "0000::00.0", ":00:00.0", "0000:00:00.", "ffffffff:ff:1f.7",
};
#define N_MALFORMED (sizeof(malformed_addrs) / sizeof(malformed_addrs[0]))

static const char *const bad_match_texts[] = {
	"", ":", "/", "z", "8086", "8086:", ":10d3", "12345:1", "8086:10d3:1:2:3:4:5",
	"8086:10d3:0:0:1:0", "gggg:gggg", "0000:00", "0000:00/", "0000:00//00.0",
	"0000:00/20.0", "0000:00/00.8", "00:00.0.0", "0000:00:00.8", "0000:100:00.0",
	"x/00.0", "8086:10d3,1234:11e8", "8086:10d3 ", " 1234:11e8",
};
#define N_BAD_MATCH (sizeof(bad_match_texts) / sizeof(bad_match_texts[0]))

/*
 * Sanitiser policy rules: selectors that select none of the sandbox's
 * devices (a rule for them would change what the other tests see), good
 * and bad sanitisers.
 */
static const struct {
	uint16_t attr;
	const char *text;
} sanitise_selectors[] = {
	{ PPT_A_MATCH_DEVICE, "0000:fe:1f.7" }, { PPT_A_MATCH_IDS, "1d0f:fffe" },
	{ PPT_A_SANITISE_CLASS, "ff" }, { PPT_A_SANITISE_CLASS, "ff00" },
	{ PPT_A_SANITISE_CLASS, "ff0001" },
};
#define N_SANITISE_SELECTORS (sizeof(sanitise_selectors) / sizeof(sanitise_selectors[0]))

/* bad as an address, as ids and as a class alike */
static const char *const bad_sanitise_selectors[] = {
	"", "f", "fff", "fffff", "ff000102", "gg", "0000:fe:1f.8", "1d0f:", "1d0f:fffe ",
};
#define N_BAD_SANITISE_SELECTORS \
	(sizeof(bad_sanitise_selectors) / sizeof(bad_sanitise_selectors[0]))

static const char *const good_sanitisers[] = {
	"none", "nvme", "nvme:auto", "nvme:format-user", "bar", "bar:memory", "bar:0,2",
	"exec:/bin/true",
};
#define N_GOOD_SANITISERS (sizeof(good_sanitisers) / sizeof(good_sanitisers[0]))

static const char *const bad_sanitisers[] = {
	"", "wipe", "nvme:", "nvme:shred", "bar:6", "bar:0,0", "bar:", "exec:", "exec:true",
	"exec:/bin/a b", "exec:/x;y", "none:x", "bar:prefetchable,0",
};
#define N_BAD_SANITISERS (sizeof(bad_sanitisers) / sizeof(bad_sanitisers[0]))

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64 */

struct rng { uint64_t s; };

static uint64_t rnd64(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd(struct rng *r, uint32_t n)	/* 0..n-1 */
{
	return n ? (uint32_t)(rnd64(r) % n) : 0;
}

static bool chance(struct rng *r, uint32_t pct)
{
	return rnd(r, 100) < pct;
}

static void rnd_bytes(struct rng *r, void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = (uint8_t)rnd64(r);
}

/* ------------------------------------------------------------------ */
/* the kernel's address parser (kernel/ppt_parse.c), to keep off devices */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_hex(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (!len || len > 8)
		return false;
	for (i = 0; i < len; i++) {
		if (hexval((unsigned char)s[i]) < 0)
			return false;
		v = (v << 4) | (uint32_t)hexval((unsigned char)s[i]);
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* "[domain:]bus:dev.fn" -> canonical "dddd:bb:dd.f"; false if it does not parse */
static bool parse_addr(const char *tok, char *canon, size_t cap)
{
	const char *c1, *c2, *c3, *bus, *dot;
	uint32_t dom = 0, b, dev, fn;
	size_t len = strlen(tok);

	if (!len || len > PPT_PATH_MAX - 1)
		return false;
	c1 = strchr(tok, ':');
	if (!c1)
		return false;
	c2 = strchr(c1 + 1, ':');
	if (c2) {
		c3 = strchr(c2 + 1, ':');
		if (c3)
			return false;
		if (!parse_hex(tok, c1 - tok, 0x7fffffff, &dom))
			return false;
		bus = c1 + 1;
	} else {
		c2 = c1;
		bus = tok;
	}
	if (!parse_hex(bus, c2 - bus, 0xff, &b))
		return false;
	dot = strchr(c2 + 1, '.');
	if (!dot)
		return false;
	if (!parse_hex(c2 + 1, dot - c2 - 1, 0x1f, &dev) ||
	    !parse_hex(dot + 1, strlen(dot + 1), 7, &fn))
		return false;
	snprintf(canon, cap, "%04x:%02x:%02x.%u", dom, b, dev, fn);
	return true;
}

static int find_dev(const char *canon)
{
	int i;

	for (i = 0; i < cfg.ndevs; i++)
		if (!strcmp(cfg.devs[i].addr, canon))
			return i;
	return -1;
}

static bool maybe_parses(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (hexval((unsigned char)*s) < 0 && *s != ':' && *s != '.' && *s != '/')
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* message builder */

struct mb {
	uint8_t buf[MSG_MAX];
	size_t len;
};

static void mb_put(struct mb *m, const void *p, size_t n)
{
	if (m->len + n > sizeof(m->buf))
		n = sizeof(m->buf) - m->len;
	memcpy(m->buf + m->len, p, n);
	m->len += n;
}

static void mb_pad(struct mb *m)
{
	static const uint8_t z[4];

	mb_put(m, z, NLMSG_ALIGN(m->len) - m->len);
}

static struct nlmsghdr *mb_nlh(struct mb *m)
{
	return (struct nlmsghdr *)m->buf;
}

static void mb_start(struct mb *m, uint16_t type, uint16_t flags, uint32_t seq,
		     uint8_t cmd, uint8_t version)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq };
	struct genlmsghdr g = { .cmd = cmd, .version = version };

	m->len = 0;
	mb_put(m, &h, sizeof(h));
	mb_put(m, &g, sizeof(g));
}

/* an attribute with a payload of len bytes; returns its offset */
static size_t mb_attr(struct mb *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };
	size_t off = m->len;

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(m->buf))
		return off;
	mb_put(m, &a, sizeof(a));
	mb_put(m, data, len);
	mb_pad(m);
	return off;
}

static size_t mb_str(struct mb *m, uint16_t type, const char *s)
{
	return mb_attr(m, type, s, strlen(s) + 1);
}

static void mb_u32(struct mb *m, uint16_t type, uint32_t v)
{
	mb_attr(m, type, &v, sizeof(v));
}

static void mb_u64(struct mb *m, uint16_t type, uint64_t v)
{
	mb_attr(m, type, &v, sizeof(v));
}

static void mb_end(struct mb *m)
{
	mb_nlh(m)->nlmsg_len = (uint32_t)m->len;
}

/* ------------------------------------------------------------------ */
/* requests and results */

enum gen {
	G_VALID, G_RANDCMD, G_BADATTR, G_NLALEN, G_NESTED, G_MISSING, G_DUP,
	G_STRING, G_DUMP, G_TRUNC, G_FLAGS, G_CTRL, G_SILENT, N_GEN
};

static const char *const gen_names[N_GEN] = {
	"valid", "random-cmd", "bad-attr", "bad-nla_len", "nested", "missing",
	"duplicate", "string", "dump", "truncated-genl", "random-flags",
	"control-type", "silent",
};

struct req {
	uint32_t seq;
	enum gen gen;
	int cmd;		/* -1: no complete genl header */
	uint16_t flags;
	bool silent;		/* no answer expected */
	bool dump;
	bool reached;		/* a request genetlink hands to a ppt op (if it has one) */
	bool mutating;		/* a command that changes things */
	bool wellformed;	/* passes the command's policy */
	unsigned int expect;	/* allowed outcomes (E_ bits); 0: the sane set */
	char get_addr[ADDR_LEN];	/* device-get: the reply must name it */
	/* outcome */
	bool answered;
	int err;
	int replies;
	bool get_reply_ok;
	/* what was sent */
	size_t len;
	uint8_t bytes[MSG_MAX];
};

struct stats {
	long sent, answered, unanswered, silent, failures, replies, dump_msgs;
	long zapped, late, acks_tlv;
	long agent_reqs;	/* sanitise requests sent to a socket that registered */
	long by_errno[N_SANE + 2];	/* [0] ok, [i+1] sane_errnos[i], [N_SANE+1] other */
	long by_gen[N_GEN];
	long by_cmd_ok[256];
};

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int dumped_fails;

struct thr {
	pthread_t th;
	int idx;
	int fd;
	struct rng r;
	long quota;
	uint32_t seqbase, seqn;
	struct stats st;
	struct req reqs[MAX_BATCH];
	int nreqs;
	bool ext_ack, cap_ack;
	_Atomic long long progress_ms;	/* last time it was not blocked */
	atomic_bool in_send;
	atomic_bool done;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void hexdump(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x%s", p[i], (i % 32 == 31 || i + 1 == n) ? "\n#     " : "");
	fputc('\n', f);
}

static void failf(struct thr *t, const struct req *q, const char *fmt, ...)
{
	va_list ap;

	t->st.failures++;
	if (atomic_fetch_add(&dumped_fails, 1) >= MAX_DUMPED_FAILS && !cfg.verbose)
		return;
	pthread_mutex_lock(&out_lock);
	fprintf(stderr, "FAIL thread %d: ", t->idx);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (q) {
		fprintf(stderr, "\n#   request seq %u gen %s cmd %d flags 0x%x, %zu bytes:\n#     ",
			q->seq, gen_names[q->gen], q->cmd, q->flags, q->len);
		hexdump(stderr, q->bytes, q->len);
	} else {
		fputc('\n', stderr);
	}
	pthread_mutex_unlock(&out_lock);
}

/* ------------------------------------------------------------------ */
/* commands */

/* the notifications (DEVICE_NTF, REQUEST_NTF, SANITISE_REQ_NTF) are none */
static bool is_op(int cmd)
{
	return (cmd >= PPT_CMD_DEVICE_GET && cmd <= PPT_CMD_DEVICE_UNASSIGN) ||
	       (cmd >= PPT_CMD_DEVICE_RESET && cmd <= PPT_CMD_AGENT_GET) ||
	       cmd == PPT_CMD_SANITISE_DONE;
}

/* the commands that only read: the rest of is_op() changes state */
static bool is_read(int cmd)
{
	return cmd == PPT_CMD_DEVICE_GET || cmd == PPT_CMD_MATCH_GET ||
	       cmd == PPT_CMD_STATS_GET || cmd == PPT_CMD_SANITISE_GET ||
	       cmd == PPT_CMD_AGENT_GET;
}

static bool is_mutation(int cmd)
{
	return is_op(cmd) && !is_read(cmd);
}

static bool has_dumpit(int cmd)
{
	return is_read(cmd) && cmd != PPT_CMD_AGENT_GET;
}

/* match-get, stats-get and sanitise-get are dumps only */
static bool has_doit(int cmd)
{
	return is_op(cmd) && cmd != PPT_CMD_MATCH_GET && cmd != PPT_CMD_STATS_GET &&
	       cmd != PPT_CMD_SANITISE_GET;
}

static int any_cmd(struct rng *r)
{
	static const int odd[] = { 0, 8, 9, 16, 17, 31, 64, 127, 128, 200, 254, 255 };

	if (chance(r, 60)) {
		int c;

		do
			c = 1 + (int)rnd(r, PPT_CMD_MAX);
		while (!is_op(c));
		return c;
	}
	if (chance(r, 80))
		return odd[rnd(r, sizeof(odd) / sizeof(odd[0]))];
	return (int)rnd(r, 256);
}

static int mutating_op(struct rng *r)
{
	int c;

	do
		c = any_cmd(r);
	while (!is_mutation(c));
	return c;
}

/* ------------------------------------------------------------------ */
/* attribute content */

static const struct pcidev *sandbox_dev(struct rng *r)
{
	return cfg.nsandbox ? &cfg.devs[cfg.sandbox[rnd(r, cfg.nsandbox)]] : NULL;
}

enum addr_kind { A_SANDBOX, A_EXISTING, A_NONEXIST, A_MALFORMED };

/* An address for cmd; *kind says what it is. */
static void pick_addr(struct rng *r, int cmd, char *out, enum addr_kind *kind)
{
	uint32_t k = rnd(r, 100);
	const struct pcidev *d;

	if (cmd == PPT_CMD_DEVICE_ASSIGN)	/* never a real device */
		k = 60 + rnd(r, 40);
	if (k < 45 && (d = sandbox_dev(r))) {
		*kind = A_SANDBOX;
		/* long or short spelling, upper case now and then */
		strcpy(out, chance(r, 25) && !strncmp(d->addr, "0000:", 5) ? d->addr + 5 : d->addr);
		if (chance(r, 10))
			for (char *p = out; *p; p++)
				*p = (char)toupper((unsigned char)*p);
		return;
	}
	if (k < 60 && cmd == PPT_CMD_DEVICE_GET && cfg.ndevs) {
		*kind = A_EXISTING;
		strcpy(out, cfg.devs[rnd(r, cfg.ndevs)].addr);
		return;
	}
	if (k < 80 && cfg.nnonexist) {
		*kind = A_NONEXIST;
		strcpy(out, cfg.nonexist[rnd(r, cfg.nnonexist)]);
		return;
	}
	*kind = A_MALFORMED;
	strcpy(out, malformed_addrs[rnd(r, N_MALFORMED)]);
}

static const char *pick_owner(struct rng *r)
{
	static const char *const owners[] = {
		"fuzz-a", "fuzz-b", "vm-1",
		/* 63 bytes: the longest owner */
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
	};

	return owners[rnd(r, 4)];
}

/* A string attribute's payload that is bad in some way; returns its length. */
static size_t bad_string(struct rng *r, uint8_t *buf, size_t cap)
{
	size_t n, i;

	switch (rnd(r, 9)) {
	case 0:		/* no NUL */
		n = 1 + rnd(r, 40);
		for (i = 0; i < n; i++)
			buf[i] = (uint8_t)('0' + rnd(r, 10));
		return n;
	case 1:		/* longer than any policy allows, NUL-terminated */
		n = 17 + rnd(r, 200);
		break;
	case 2:		/* at the limits: 16 (address), 63/64 (owner), 91/92 (match) */
		{
			static const size_t lim[] = { 15, 16, 17, 63, 64, 65, 90, 91, 92, 93 };

			n = lim[rnd(r, 10)];
		}
		break;
	case 3:		/* empty */
		buf[0] = 0;
		return 1;
	case 4:		/* control bytes */
		n = 1 + rnd(r, 20);
		for (i = 0; i < n; i++)
			buf[i] = (uint8_t)(chance(r, 50) ? rnd(r, 32) : 'a' + rnd(r, 26));
		buf[rnd(r, n)] = (uint8_t)(1 + rnd(r, 31));
		buf[n] = 0;
		return n + 1;
	case 5:		/* bytes >= 0x80 (UTF-8) */
		n = 1 + rnd(r, 20);
		for (i = 0; i < n; i++)
			buf[i] = (uint8_t)(chance(r, 50) ? 0x80 + rnd(r, 128) : 'a' + rnd(r, 26));
		buf[n] = 0;
		return n + 1;
	case 6:		/* NUL in the middle, then more */
		n = 2 + rnd(r, 20);
		for (i = 0; i < n; i++)
			buf[i] = (uint8_t)('a' + rnd(r, 26));
		buf[rnd(r, n)] = 0;
		return n;
	case 7:		/* DEL */
		memcpy(buf, "vm\x7f", 4);
		return 4;
	default:	/* random bytes */
		n = rnd(r, 64);
		rnd_bytes(r, buf, n);
		return n;
	}
	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)('a' + rnd(r, 26));
	buf[n] = 0;
	return n + 1;
}

/* a random attribute of any type and length */
static void rnd_attr(struct rng *r, struct mb *m, int cmd)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 63, 64, 65 };
	uint8_t buf[512];
	uint16_t type;
	size_t len;

	type = chance(r, 85) ? (uint16_t)rnd(r, PPT_A_MAX + 4) : (uint16_t)rnd64(r);
	if (chance(r, 10))
		type |= chance(r, 50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
	switch (rnd(r, 4)) {
	case 0:	/* a string-like payload */
		if (chance(r, 50)) {
			enum addr_kind k;

			pick_addr(r, cmd, (char *)buf, &k);
			len = strlen((char *)buf) + (chance(r, 80) ? 1 : 0);
		} else {
			len = bad_string(r, buf, sizeof(buf));
		}
		break;
	case 1:	/* integer sizes with random or edge values */
		len = (size_t[]){ 1, 2, 4, 8 }[rnd(r, 4)];
		rnd_bytes(r, buf, len);
		if (chance(r, 50)) {
			memset(buf, 0, len);
			buf[0] = (uint8_t)rnd(r, 6);
		}
		break;
	case 2:
		len = lens[rnd(r, sizeof(lens) / sizeof(lens[0]))];
		rnd_bytes(r, buf, len);
		break;
	default:
		len = rnd(r, 300);
		rnd_bytes(r, buf, len);
		break;
	}
	mb_attr(m, type, buf, len);
}

/* ------------------------------------------------------------------ */
/* the safety filter: walk the attributes as the kernel does */

static bool match_allowed(int kind, const char *s)
{
	int i;

	for (i = 0; i < cfg.nmatches; i++)
		if (cfg.matches[i].kind == kind && !strcmp(cfg.matches[i].text, s))
			return true;
	return false;
}

static bool addr_allowed(int cmd, const char *s)
{
	char canon[ADDR_LEN];
	int i;

	if (!parse_addr(s, canon, sizeof(canon)))
		return true;
	i = find_dev(canon);
	if (i < 0)
		return true;		/* no such device */
	if (cmd == PPT_CMD_DEVICE_GET)
		return true;
	if (cmd == PPT_CMD_DEVICE_ASSIGN)
		return false;
	return cfg.devs[i].sandbox;
}

/* Returns true when the message had to be changed. */
static bool make_safe(uint8_t *msg, size_t len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	size_t mlen, off;
	bool changed = false;
	int cmd;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN)
		return false;
	mlen = h->nlmsg_len < len ? h->nlmsg_len : len;
	if (mlen < NLMSG_HDRLEN + GENL_HDRLEN)
		return false;
	cmd = ((struct genlmsghdr *)(msg + NLMSG_HDRLEN))->cmd;
	off = NLMSG_HDRLEN + GENL_HDRLEN;
	while (mlen - off >= NLA_HDRLEN) {
		struct nlattr *a = (struct nlattr *)(msg + off);
		int type = a->nla_type & NLA_TYPE_MASK;
		size_t alen = a->nla_len, plen;
		char s[MSG_MAX];
		bool ok = true;

		if (alen < NLA_HDRLEN || alen > mlen - off)
			break;
		plen = alen - NLA_HDRLEN;
		memcpy(s, msg + off + NLA_HDRLEN, plen);
		s[plen] = 0;
		if (type == PPT_A_DEV_ADDR || type == PPT_A_CLAIM_ADDR)
			ok = addr_allowed(cmd, s);
		else if ((type == PPT_A_MATCH_IDS || type == PPT_A_MATCH_DEVICE ||
			  type == PPT_A_MATCH_PATH) &&
			 /* a sanitiser policy selector reserves nothing */
			 cmd != PPT_CMD_SANITISE_SET && cmd != PPT_CMD_SANITISE_DEL)
			ok = match_allowed(type, s) || !maybe_parses(s);
		if (!ok) {
			msg[off + NLA_HDRLEN] = 'g';
			changed = true;
		}
		off += NLA_ALIGN(alen);
		if (off > mlen)
			break;
	}
	return changed;
}

/* ------------------------------------------------------------------ */
/* generators */

static uint16_t base_flags(bool dump)
{
	return NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
}

static uint8_t version(struct rng *r)
{
	if (chance(r, 85))
		return PPT_GENL_VERSION;
	return (uint8_t)(chance(r, 50) ? rnd(r, 3) : rnd(r, 256));
}

/* A structured request that its command's policy accepts. */
static void gen_valid(struct thr *t, struct req *q, struct mb *m, bool allow_dump)
{
	struct rng *r = &t->r;
	char addr[ADDR_LEN];
	enum addr_kind k;
	int cmd, i, n;
	uint32_t pick = rnd(r, 100);

	q->wellformed = true;
	if (allow_dump && pick < 8) {
		cmd = chance(r, 60) ? PPT_CMD_DEVICE_GET :
		      chance(r, 60) ? PPT_CMD_MATCH_GET :
		      chance(r, 50) ? PPT_CMD_STATS_GET : PPT_CMD_SANITISE_GET;
		q->dump = true;
		mb_start(m, cfg.family, base_flags(true), q->seq, (uint8_t)cmd, PPT_GENL_VERSION);
		mb_end(m);
		q->cmd = cmd;
		return;
	}
	if (pick < 35) {
		cmd = PPT_CMD_DEVICE_GET;
		/* every device in turn, and the others at random */
		if (chance(r, 50) && cfg.ndevs) {
			strcpy(addr, cfg.devs[(t->seqn + (uint32_t)t->idx) % (uint32_t)cfg.ndevs].addr);
			k = A_EXISTING;
		} else {
			pick_addr(r, cmd, addr, &k);
		}
	} else {
		cmd = mutating_op(r);
		pick_addr(r, cmd, addr, &k);
	}
	q->cmd = cmd;
	mb_start(m, cfg.family, base_flags(false), q->seq, (uint8_t)cmd, PPT_GENL_VERSION);
	if (cmd == PPT_CMD_MATCH_ADD || cmd == PPT_CMD_MATCH_DEL) {
		bool good = cfg.nmatches && chance(r, 75);
		int kind;

		q->wellformed = good;	/* a bad text may need the safety filter */
		if (good) {
			i = (int)rnd(r, cfg.nmatches);
			kind = cfg.matches[i].kind;
			mb_str(m, (uint16_t)kind, cfg.matches[i].text);
		} else {
			kind = PPT_A_MATCH_IDS + (int)rnd(r, 3);
			mb_str(m, (uint16_t)kind, bad_match_texts[rnd(r, N_BAD_MATCH)]);
		}
		if (cmd == PPT_CMD_MATCH_ADD && chance(r, 30))
			mb_u32(m, PPT_A_DEV_RESET_PREF, rnd(r, PPT_RESET_MAX + 1));
		if (!cfg.root)
			q->expect = ebit(EPERM);
		else if (!good)
			q->expect = ebit(EINVAL) | ebit(EEXIST) | ebit(ENOENT) | ebit(EPERM);
		else if (cmd == PPT_CMD_MATCH_ADD)
			q->expect = E_OK | ebit(EEXIST);
		else
			q->expect = E_OK | ebit(ENOENT) | ebit(EPERM);
		mb_end(m);
		return;
	}
	if (cmd == PPT_CMD_SANITISE_SET || cmd == PPT_CMD_SANITISE_DEL) {
		bool good_sel = chance(r, 75);
		bool good_spec = cmd == PPT_CMD_SANITISE_DEL || chance(r, 70);

		i = (int)rnd(r, N_SANITISE_SELECTORS);
		if (good_sel)
			mb_str(m, sanitise_selectors[i].attr, sanitise_selectors[i].text);
		else
			mb_str(m, sanitise_selectors[i].attr,
			       bad_sanitise_selectors[rnd(r, N_BAD_SANITISE_SELECTORS)]);
		if (cmd == PPT_CMD_SANITISE_SET)
			mb_str(m, PPT_A_SANITISER, good_spec ?
			       good_sanitisers[rnd(r, N_GOOD_SANITISERS)] :
			       bad_sanitisers[rnd(r, N_BAD_SANITISERS)]);
		mb_end(m);
		q->wellformed = good_sel && good_spec;
		if (!cfg.root)	/* the policy may refuse a long class before the caller */
			q->expect = ebit(EPERM) | (good_sel ? 0 : ebit(EINVAL));
		else if (!good_sel || !good_spec)
			q->expect = ebit(EINVAL);
		else if (cmd == PPT_CMD_SANITISE_SET)
			q->expect = E_OK;
		else
			q->expect = E_OK | ebit(ENOENT);
		return;
	}
	if (cmd == PPT_CMD_AGENT_REGISTER || cmd == PPT_CMD_AGENT_GET) {
		/*
		 * No attributes.  This socket may become the sanitise agent; no
		 * sandbox device has a sanitiser, so no request is sent to it
		 * (one would be counted and skipped: handle_msg()).
		 */
		mb_end(m);
		if (cmd == PPT_CMD_AGENT_GET)
			q->expect = E_OK | ebit(ENOENT);
		else if (!cfg.root)
			q->expect = ebit(EPERM);
		else	/* another thread's socket, or this one, is the agent */
			q->expect = E_OK | ebit(EBUSY) | ebit(EALREADY);
		return;
	}
	if (cmd == PPT_CMD_SANITISE_DONE) {
		/* an answer to no request: the ids the kernel gives are small */
		mb_u64(m, PPT_A_SANITISE_ID, (1ull << 40) + rnd64(r) % (1ull << 40));
		mb_str(m, PPT_A_DEV_ADDR, addr);
		if (chance(r, 50))
			mb_u32(m, PPT_A_REQ_ERRNO, chance(r, 50) ? 0 : 1 + rnd(r, 4095));
		if (chance(r, 30))
			mb_str(m, PPT_A_REQ_MSG, "the fuzzer's answer");
		mb_end(m);
		if (strlen(addr) > PPT_ADDR_POLICY_LEN)	/* the policy refuses it first */
			q->expect = ebit(EINVAL);
		else if (!cfg.root)
			q->expect = ebit(EPERM);
		else if (k == A_MALFORMED)
			q->expect = ebit(EINVAL);
		else if (k == A_NONEXIST)
			q->expect = ebit(ENODEV);
		else
			q->expect = ebit(ENOENT);
		return;
	}
	if (cmd == PPT_CMD_CLAIM || cmd == PPT_CMD_TAKE) {
		bool toolong = false;

		/* several devices at once: the sandbox's, or bad ones */
		n = cmd == PPT_CMD_CLAIM ? 1 + (int)rnd(r, 3) : 0;
		for (i = 0; i < n; i++) {
			pick_addr(r, cmd, addr, &k);
			toolong |= strlen(addr) > PPT_ADDR_POLICY_LEN;
			mb_str(m, PPT_A_CLAIM_ADDR, addr);
		}
		if (cmd == PPT_CMD_CLAIM && chance(r, 30))
			mb_u32(m, PPT_A_CLAIM_COUNT, 1 + rnd(r, 3));
		mb_str(m, PPT_A_DEV_OWNER, pick_owner(r));
		if (chance(r, 30))
			mb_attr(m, PPT_A_LEASE, NULL, 0);
		mb_end(m);
		if (toolong)	/* the policy refuses it first */
			q->expect = ebit(EINVAL);
		else if (!cfg.root)
			q->expect = ebit(EPERM);
		return;
	}
	mb_str(m, PPT_A_DEV_ADDR, addr);
	switch (cmd) {
	case PPT_CMD_DEVICE_RESERVE:
		if (chance(r, 30))
			mb_attr(m, PPT_A_FORCE, NULL, 0);
		break;
	case PPT_CMD_DEVICE_CLAIM:
	case PPT_CMD_DEVICE_UNCLAIM:
	case PPT_CMD_DEVICE_ASSIGN:
		mb_str(m, PPT_A_DEV_OWNER, pick_owner(r));
		break;
	case PPT_CMD_DEVICE_UNASSIGN:
		if (chance(r, 50))
			mb_str(m, PPT_A_DEV_OWNER, pick_owner(r));
		break;
	case PPT_CMD_DEVICE_RESET:
	case PPT_CMD_DEVICE_CLEAN:
		if (chance(r, 60))
			mb_u32(m, PPT_A_RESET_METHOD, rnd(r, PPT_RESET_MAX + 1));
		break;
	case PPT_CMD_DEVICE_SET:
		mb_u32(m, PPT_A_DEV_RESET_PREF, rnd(r, PPT_RESET_MAX + 1));
		break;
	}
	mb_end(m);
	if (strlen(addr) > PPT_ADDR_POLICY_LEN)	/* the policy refuses it first */
		q->expect = ebit(EINVAL);
	else if (is_mutation(cmd) && !cfg.root)
		q->expect = ebit(EPERM);
	else if (k == A_MALFORMED)
		q->expect = ebit(EINVAL);
	else if (k == A_NONEXIST)
		q->expect = ebit(ENODEV);
	else if (cmd == PPT_CMD_DEVICE_GET) {
		q->expect = E_OK | ebit(ENODEV);
		if (!parse_addr(addr, q->get_addr, sizeof(q->get_addr)))
			q->get_addr[0] = 0;
	}
}

/* One message from a generator; the request's expectations are set. */
static void generate(struct thr *t, struct req *q, struct mb *m, bool allow_dump,
		     bool allow_silent)
{
	struct rng *r = &t->r;
	int cmd, n, i;
	enum gen g;
	uint32_t w = rnd(r, 1000);

	/* weights in per mille */
	if (w < 300) g = G_VALID;
	else if (w < 380) g = G_RANDCMD;
	else if (w < 520) g = G_BADATTR;
	else if (w < 580) g = G_NLALEN;
	else if (w < 630) g = G_NESTED;
	else if (w < 690) g = G_MISSING;
	else if (w < 750) g = G_DUP;
	else if (w < 850) g = G_STRING;
	else if (w < 890) g = G_DUMP;
	else if (w < 910) g = G_TRUNC;
	else if (w < 960) g = G_FLAGS;
	else if (w < 975) g = G_CTRL;
	else g = G_SILENT;
	if (g == G_DUMP && !allow_dump)
		g = G_BADATTR;
	if (g == G_SILENT && !allow_silent)
		g = G_STRING;

	memset(q, 0, offsetof(struct req, bytes));
	q->seq = t->seqbase + t->seqn++;
	q->gen = g;
	q->cmd = -1;

	switch (g) {
	case G_VALID:
		gen_valid(t, q, m, allow_dump);
		break;
	case G_RANDCMD:
		cmd = any_cmd(r);
		mb_start(m, cfg.family, base_flags(false), q->seq, (uint8_t)cmd, version(r));
		n = (int)rnd(r, 4);
		for (i = 0; i < n; i++)
			rnd_attr(r, m, cmd);
		mb_end(m);
		q->cmd = cmd;
		break;
	case G_BADATTR:
	case G_NESTED:
	case G_MISSING:
	case G_DUP:
	case G_STRING: {
		char addr[ADDR_LEN];
		enum addr_kind k;
		uint8_t buf[512];
		size_t len;

		cmd = chance(r, 90) ? (int)(1 + rnd(r, PPT_CMD_MAX)) : any_cmd(r);
		mb_start(m, cfg.family, base_flags(false), q->seq, (uint8_t)cmd, version(r));
		q->cmd = cmd;
		if (g == G_BADATTR) {
			n = 1 + (int)rnd(r, 5);
			for (i = 0; i < n; i++) {
				if (chance(r, 40)) {
					pick_addr(r, cmd, addr, &k);
					mb_str(m, PPT_A_DEV_ADDR, addr);
				}
				rnd_attr(r, m, cmd);
			}
		} else if (g == G_NESTED) {
			struct mb inner = { .len = 0 };

			n = 1 + (int)rnd(r, 3);
			for (i = 0; i < n; i++) {
				if (chance(r, 50)) {
					pick_addr(r, cmd, addr, &k);
					mb_str(&inner, PPT_A_DEV_ADDR, addr);
				} else {
					rnd_attr(r, &inner, cmd);
				}
			}
			if (chance(r, 30) && inner.len > NLA_HDRLEN)	/* cut the last one short */
				((struct nlattr *)inner.buf)->nla_len = (uint16_t)(inner.len + 8);
			mb_attr(m, (uint16_t)((chance(r, 70) ? PPT_A_DEV_ADDR : rnd(r, PPT_A_MAX + 1)) |
					      NLA_F_NESTED), inner.buf, inner.len);
			if (chance(r, 50)) {
				pick_addr(r, cmd, addr, &k);
				mb_attr(m, PPT_A_DEV_ADDR | (chance(r, 50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER),
					addr, strlen(addr) + 1);
			}
		} else if (g == G_MISSING) {
			/* the optional attributes only, or none at all */
			if (chance(r, 50))
				mb_str(m, PPT_A_DEV_OWNER, pick_owner(r));
			if (chance(r, 30))
				mb_attr(m, PPT_A_FORCE, NULL, 0);
			if (chance(r, 30))
				mb_u32(m, PPT_A_RESET_METHOD, rnd(r, 5));
			if (chance(r, 30))
				mb_u32(m, PPT_A_DEV_RESET_PREF, rnd(r, 5));
			if (chance(r, 20)) {
				pick_addr(r, cmd, addr, &k);
				mb_str(m, PPT_A_DEV_ADDR, addr);	/* but no owner */
			}
			/* a policy-valid mutation without its address: EINVAL, or EPERM unprivileged */
		} else if (g == G_DUP) {
			n = 2 + (int)rnd(r, 3);
			for (i = 0; i < n; i++) {
				switch (rnd(r, 4)) {
				case 0:
				case 1:
					pick_addr(r, cmd, addr, &k);
					mb_str(m, PPT_A_DEV_ADDR, addr);
					break;
				case 2:
					mb_str(m, PPT_A_DEV_OWNER, pick_owner(r));
					break;
				default:
					mb_u32(m, chance(r, 50) ? PPT_A_RESET_METHOD : PPT_A_DEV_RESET_PREF,
					       rnd(r, 6));
				}
			}
			if (cmd == PPT_CMD_MATCH_ADD || cmd == PPT_CMD_MATCH_DEL) {
				for (i = 0; i < 2 && cfg.nmatches; i++) {
					int j = (int)rnd(r, cfg.nmatches);

					mb_str(m, (uint16_t)cfg.matches[j].kind, cfg.matches[j].text);
				}
			}
		} else {	/* G_STRING */
			uint16_t type = (uint16_t[]){ PPT_A_DEV_ADDR, PPT_A_DEV_OWNER, PPT_A_MATCH_IDS,
						      PPT_A_MATCH_DEVICE, PPT_A_MATCH_PATH,
						      PPT_A_DEV_DRIVER }[rnd(r, 6)];

			if (type != PPT_A_DEV_ADDR && chance(r, 60)) {
				pick_addr(r, cmd, addr, &k);
				mb_str(m, PPT_A_DEV_ADDR, addr);
			}
			len = bad_string(r, buf, sizeof(buf));
			mb_attr(m, type, buf, len);
		}
		mb_end(m);
		break;
	}
	case G_NLALEN: {
		size_t off;
		struct nlattr *a;

		cmd = chance(r, 90) ? (int)(1 + rnd(r, PPT_CMD_MAX)) : any_cmd(r);
		mb_start(m, cfg.family, base_flags(false), q->seq, (uint8_t)cmd, version(r));
		q->cmd = cmd;
		if (chance(r, 50))
			rnd_attr(r, m, cmd);
		off = m->len;
		rnd_attr(r, m, cmd);
		if (off == m->len)
			mb_attr(m, PPT_A_DEV_ADDR, "x", 2);
		a = (struct nlattr *)(m->buf + off);
		switch (rnd(r, 4)) {
		case 0:
			a->nla_len = (uint16_t)rnd(r, NLA_HDRLEN);	/* < 4 */
			break;
		case 1:
			a->nla_len = (uint16_t)(m->len - off + 1 + rnd(r, 64));	/* past the end */
			break;
		case 2:
			a->nla_len = (uint16_t)(a->nla_len | 1);	/* odd */
			break;
		default:
			a->nla_len = (uint16_t)rnd64(r);
		}
		if (chance(r, 30))	/* trailing bytes that are not an attribute */
			mb_put(m, "\x01\x00", 2 + rnd(r, 2));
		mb_end(m);
		break;
	}
	case G_DUMP:
		cmd = chance(r, 70) ? (chance(r, 60) ? PPT_CMD_DEVICE_GET : PPT_CMD_MATCH_GET) : any_cmd(r);
		q->flags = (uint16_t)(NLM_F_REQUEST | NLM_F_DUMP);
		if (chance(r, 50))
			q->flags |= (uint16_t)(rnd64(r) & (NLM_F_ACK | NLM_F_ECHO | NLM_F_ATOMIC |
							   NLM_F_DUMP_INTR | NLM_F_DUMP_FILTERED |
							   0x0800 | 0x1000 | 0x8000));
		mb_start(m, cfg.family, q->flags, q->seq, (uint8_t)cmd, version(r));
		n = chance(r, 50) ? 0 : 1 + (int)rnd(r, 3);
		for (i = 0; i < n; i++)
			rnd_attr(r, m, cmd);
		mb_end(m);
		q->cmd = cmd;
		q->dump = true;
		break;
	case G_TRUNC:
		/* an nlmsghdr and 0..3 bytes of the genl header */
		mb_start(m, cfg.family, base_flags(false), q->seq, (uint8_t)any_cmd(r), version(r));
		m->len = NLMSG_HDRLEN + rnd(r, GENL_HDRLEN);
		mb_end(m);
		q->expect = ebit(EINVAL);
		break;
	case G_FLAGS:
		cmd = any_cmd(r);
		q->flags = (uint16_t)((rnd64(r) | NLM_F_ACK) & ~(uint64_t)(allow_dump ? 0 : NLM_F_MATCH));
		mb_start(m, cfg.family, q->flags, q->seq, (uint8_t)cmd, version(r));
		if (chance(r, 70)) {
			char addr[ADDR_LEN];
			enum addr_kind k;

			pick_addr(r, cmd, addr, &k);
			mb_str(m, PPT_A_DEV_ADDR, addr);
		}
		if (chance(r, 50))
			rnd_attr(r, m, cmd);
		mb_end(m);
		q->cmd = cmd;
		break;
	case G_CTRL:
		mb_start(m, (uint16_t)rnd(r, NLMSG_MIN_TYPE), (uint16_t)(rnd64(r) | NLM_F_ACK) &
			 (uint16_t)~NLM_F_MATCH, q->seq, (uint8_t)rnd(r, 256), 0);
		if (chance(r, 50))
			rnd_attr(r, m, 1);
		mb_end(m);
		q->expect = E_OK;
		break;
	case G_SILENT:
		mb_start(m, cfg.family, base_flags(false), q->seq, PPT_CMD_DEVICE_GET, 1);
		mb_str(m, PPT_A_DEV_ADDR, "0000:00:00.0");
		switch (rnd(r, 3)) {
		case 0:	/* shorter than a header */
			m->len = rnd(r, NLMSG_HDRLEN);
			break;
		case 1:	/* nlmsg_len below a header */
			mb_end(m);
			mb_nlh(m)->nlmsg_len = rnd(r, NLMSG_HDRLEN);
			break;
		default:	/* nlmsg_len past the datagram */
			mb_end(m);
			mb_nlh(m)->nlmsg_len = (uint32_t)(m->len + 1 + rnd(r, 100000));
		}
		q->silent = true;
		break;
	default:
		break;
	}

	if (g != G_SILENT && g != G_VALID && g != G_TRUNC && m->len >= NLMSG_HDRLEN + GENL_HDRLEN &&
	    chance(r, 3))
		((struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->reserved = (uint16_t)(1 + rnd(r, 0xffff));
	if (g != G_SILENT) {
		struct nlmsghdr *h = mb_nlh(m);

		if (g != G_DUMP && g != G_FLAGS && g != G_CTRL)
			h->nlmsg_flags = base_flags(q->dump);
		q->flags = h->nlmsg_flags;
		q->dump = h->nlmsg_type == cfg.family && (q->flags & NLM_F_REQUEST) &&
			  (q->flags & NLM_F_DUMP) == NLM_F_DUMP;
		if (g != G_TRUNC && m->len >= NLMSG_HDRLEN + GENL_HDRLEN)
			q->cmd = ((struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->cmd;
		else
			q->cmd = -1;
		/* what the netlink core and genetlink decide before ppt's code runs */
		unsigned int core = 0;

		if (h->nlmsg_type < NLMSG_MIN_TYPE || !(q->flags & NLM_F_REQUEST))
			core = E_OK;
		else if (q->cmd < 0)
			core = ebit(EINVAL);
		else if (((struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->reserved ||
			 (q->flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO |
				       (q->dump ? NLM_F_DUMP : 0))))
			/* genetlink refuses these before it looks at the command */
			core = ebit(EINVAL);
		else if (!is_op(q->cmd) || (q->dump && !has_dumpit(q->cmd)) ||
			 (!q->dump && !has_doit(q->cmd)))
			core = ebit(EOPNOTSUPP);
		if (core)
			q->expect = core;
		q->reached = !core && h->nlmsg_type == cfg.family;
		q->mutating = q->reached && is_mutation(q->cmd) && !q->dump;
		if (q->dump && q->expect == 0 && g == G_VALID)
			q->expect = E_OK;
	}
	if (make_safe(m->buf, m->len)) {
		t->st.zapped++;
		if (q->wellformed) {	/* a bug of ours: it should never need it */
			q->wellformed = false;
			failf(t, q, "a structured request needed the safety filter");
		}
	}
	memcpy(q->bytes, m->buf, m->len);
	q->len = m->len;
	t->st.by_gen[g]++;
}

/* ------------------------------------------------------------------ */
/* answers */

static struct req *find_req(struct thr *t, uint32_t seq)
{
	int i;

	for (i = 0; i < t->nreqs; i++)
		if (t->reqs[i].seq == seq)
			return &t->reqs[i];
	return NULL;
}

/* attributes in [p, p+len): all within bounds; returns false if not */
static bool attrs_ok(const uint8_t *p, size_t len, const char **why)
{
	size_t off = 0;

	while (off < len) {
		const struct nlattr *a = (const void *)(p + off);

		if (len - off < NLA_HDRLEN) {
			*why = "trailing bytes after the attributes";
			return false;
		}
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len - off) {
			*why = "attribute length out of bounds";
			return false;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return true;
}

static const struct nlattr *find_attr(const uint8_t *p, size_t len, int type)
{
	size_t off = 0;

	while (len - off >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)(p + off);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len - off)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static void complete(struct thr *t, struct req *q, int err)
{
	unsigned int b = ebit(err);
	size_t i;

	q->answered = true;
	q->err = err;
	t->st.answered++;
	if (!err)
		t->st.by_errno[0]++;
	else {
		for (i = 0; i < N_SANE; i++)
			if (sane_errnos[i] == err)
				break;
		t->st.by_errno[i + 1]++;
	}
	if (!err && q->reached)
		t->st.by_cmd_ok[q->cmd]++;
	if (!(b & (E_SANE)))
		failf(t, q, "errno %d (%s) is not in the sane set", err, strerror(err));
	else if (q->expect && !(b & q->expect))
		failf(t, q, "answer %d (%s) is not one this request can get (mask 0x%x)",
		      err, err ? strerror(err) : "ok", q->expect);
	else if (!cfg.root && q->mutating && !err)
		failf(t, q, "an unprivileged mutation succeeded");
	else if (q->mutating && !err && q->cmd == PPT_CMD_DEVICE_ASSIGN)
		failf(t, q, "an assign succeeded: it only ever names devices that do not exist");
	else if (!err && q->get_addr[0] && q->cmd == PPT_CMD_DEVICE_GET && !q->dump &&
		 !q->get_reply_ok)
		failf(t, q, "device-get succeeded without a reply naming %s", q->get_addr);
}

static void check_ext_ack(struct thr *t, struct req *q, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t hlen = h->nlmsg_len, off;
	const char *why = NULL;
	const struct nlattr *a;

	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	if (off > hlen) {
		failf(t, q, "error message shorter than the request it echoes");
		return;
	}
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	t->st.acks_tlv++;
	if (!attrs_ok((const uint8_t *)h + off, hlen - off, &why)) {
		failf(t, q, "extended ack: %s", why);
		return;
	}
	a = find_attr((const uint8_t *)h + off, hlen - off, NLMSGERR_ATTR_MSG);
	if (a && (a->nla_len == NLA_HDRLEN ||
		  memchr((const char *)a + NLA_HDRLEN, 0, a->nla_len - NLA_HDRLEN) == NULL))
		failf(t, q, "extended ack message not NUL-terminated");
	a = find_attr((const uint8_t *)h + off, hlen - off, NLMSGERR_ATTR_OFFS);
	if (a && (a->nla_len != NLA_HDRLEN + 4 || *(const uint32_t *)((const char *)a + NLA_HDRLEN) >= q->len))
		failf(t, q, "extended ack offset outside the request");
}

static void handle_msg(struct thr *t, const struct nlmsghdr *h)
{
	struct req *q = find_req(t, h->nlmsg_seq);
	const char *why = NULL;

	/* a request to the sanitise agent this socket may have become */
	if (!h->nlmsg_seq && h->nlmsg_type == cfg.family &&
	    h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN &&
	    ((const struct genlmsghdr *)NLMSG_DATA(h))->cmd == PPT_CMD_SANITISE_REQ_NTF) {
		t->st.agent_reqs++;
		return;
	}

	if (!q || q->answered) {
		t->st.late++;
		failf(t, q, "%s message type %u for seq %u", q ? "another answer after the answer:" :
		      "unexpected", h->nlmsg_type, h->nlmsg_seq);
		return;
	}
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
			failf(t, q, "short error message");
			return;
		}
		if (e->error > 0)
			failf(t, q, "positive error %d", e->error);
		if (e->msg.nlmsg_seq != q->seq)
			failf(t, q, "error message echoes seq %u", e->msg.nlmsg_seq);
		check_ext_ack(t, q, h);
		complete(t, q, -e->error);
		return;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		int err = 0;

		if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
			memcpy(&err, NLMSG_DATA(h), sizeof(err));
		else
			failf(t, q, "short DONE message");
		if (!q->dump)
			failf(t, q, "DONE for a request that is not a dump");
		complete(t, q, -err);
		return;
	}
	if (h->nlmsg_type != cfg.family) {
		failf(t, q, "reply of type %u", h->nlmsg_type);
		return;
	}
	/* a genl reply: a device, a request id, a match entry */
	q->replies++;
	t->st.replies++;
	if (q->dump)
		t->st.dump_msgs++;
	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		failf(t, q, "reply without a genl header");
		return;
	}
	if (!attrs_ok((const uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN,
		      h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &why)) {
		failf(t, q, "reply: %s", why);
		return;
	}
	if (q->get_addr[0] && !q->dump) {
		const struct nlattr *a = find_attr((const uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN,
						   h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
						   PPT_A_DEV_ADDR);

		if (a && a->nla_len > NLA_HDRLEN &&
		    !strncmp((const char *)a + NLA_HDRLEN, q->get_addr, a->nla_len - NLA_HDRLEN))
			q->get_reply_ok = true;
		else
			failf(t, q, "device-get reply does not name %s", q->get_addr);
	}
}

/* Read until every request of the batch is answered, or the timeout. */
static void receive(struct thr *t)
{
	static _Thread_local uint8_t buf[RXBUF];
	long long deadline = now_ms() + cfg.timeout_ms;
	int pending = 0, i;

	for (i = 0; i < t->nreqs; i++)
		pending += !t->reqs[i].silent;
	for (;;) {
		struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;
		size_t off;

		/* answers to what was sent are queued by the time send() returns */
		if (!pending)
			left = 0;
		if (left < 0)
			left = 0;
		if (poll(&pfd, 1, (int)left) <= 0) {
			if (!pending)
				break;
			if (now_ms() >= deadline)
				break;
			continue;
		}
		n = recv(t->fd, buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			failf(t, NULL, "recv: %s", strerror(errno));
			if (errno == ENOBUFS)
				continue;
			break;
		}
		if ((size_t)n > sizeof(buf)) {
			failf(t, NULL, "datagram of %zd bytes truncated", n);
			n = sizeof(buf);
		}
		for (off = 0; (size_t)n - off >= NLMSG_HDRLEN;) {
			const struct nlmsghdr *h = (const void *)(buf + off);
			struct req *q;

			if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > (size_t)n - off) {
				failf(t, NULL, "malformed message from the kernel (nlmsg_len %u)",
				      h->nlmsg_len);
				break;
			}
			q = find_req(t, h->nlmsg_seq);
			if (q && q->silent) {
				failf(t, q, "answer to a message the kernel should have dropped");
				q->silent = false;
				q->answered = true;
			} else {
				bool was = q && q->answered;

				handle_msg(t, h);
				if (q && !was && q->answered)
					pending--;
			}
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
		atomic_store(&t->progress_ms, now_ms());
	}
	for (i = 0; i < t->nreqs; i++) {
		struct req *q = &t->reqs[i];

		if (q->silent) {
			t->st.silent++;
			continue;
		}
		if (!q->answered) {
			t->st.unanswered++;
			failf(t, q, "no answer within %d ms", cfg.timeout_ms);
		}
	}
}

static int open_socket(struct thr *t)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1, sz = 4 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (t && t->ext_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (t && t->cap_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	static _Thread_local uint8_t out[MAX_BATCH * MSG_MAX];
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	static _Thread_local struct mb m;
	long done = 0;

	atomic_store(&t->progress_ms, now_ms());
	while (done < t->quota) {
		int nb = chance(&t->r, 30) ? 1 : 1 + (int)rnd(&t->r, MAX_BATCH);
		size_t len = 0;
		ssize_t n;
		int i;

		if (nb > t->quota - done)
			nb = (int)(t->quota - done);
		t->nreqs = 0;
		for (i = 0; i < nb; i++) {
			struct req *q = &t->reqs[i];

			generate(t, q, &m, i == nb - 1, nb == 1);
			t->nreqs++;
			memcpy(out + len, q->bytes, q->len);
			len += NLMSG_ALIGN(q->len);
			if (q->silent)
				len = q->len;
		}
		atomic_store(&t->progress_ms, now_ms());
		atomic_store(&t->in_send, true);
		n = sendto(t->fd, out, len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
		atomic_store(&t->in_send, false);
		atomic_store(&t->progress_ms, now_ms());
		/* an empty datagram is refused at once (ENODATA since 6.x) */
		if (n < 0 && !(len == 0 && errno == ENODATA))
			failf(t, &t->reqs[0], "send of %d messages: %s", nb, strerror(errno));
		t->st.sent += nb;
		receive(t);
		done += nb;
	}
	atomic_store(&t->done, true);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* setup */

static int resolve_family(void)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	uint8_t buf[8192];
	struct mb m;
	ssize_t n;
	int fd, family = -1;

	fd = open_socket(NULL);
	if (fd < 0) {
		perror("ppt-nlfuzz: netlink socket");
		return -1;
	}
	mb_start(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, 1, CTRL_CMD_GETFAMILY, 1);
	mb_str(&m, CTRL_ATTR_FAMILY_NAME, PPT_GENL_NAME);
	mb_end(&m);
	if (sendto(fd, m.buf, m.len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		perror("ppt-nlfuzz: send");
		close(fd);
		return -1;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

				if (err)
					fprintf(stderr, "ppt-nlfuzz: family %s: %s\n", PPT_GENL_NAME,
						strerror(-err));
				close(fd);
				return family;
			}
			if (h->nlmsg_type == GENL_ID_CTRL) {
				const struct nlattr *a = find_attr((uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN,
								   h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
								   CTRL_ATTR_FAMILY_ID);

				if (a)
					family = *(const uint16_t *)((const char *)a + NLA_HDRLEN);
			}
		}
	}
	close(fd);
	return family;
}

static unsigned int read_hex_file(const char *dir, const char *name)
{
	char path[PATH_MAX], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return (unsigned int)strtoul(buf, NULL, 16);
}

static void scan_devices(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;

	if (!d) {
		perror("ppt-nlfuzz: /sys/bus/pci/devices");
		exit(2);
	}
	while ((e = readdir(d)) && cfg.ndevs < MAX_DEVS) {
		struct pcidev *p = &cfg.devs[cfg.ndevs];
		char dir[PATH_MAX], canon[ADDR_LEN];

		if (e->d_name[0] == '.' || !parse_addr(e->d_name, canon, sizeof(canon)))
			continue;
		snprintf(p->addr, sizeof(p->addr), "%s", canon);
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", e->d_name);
		p->vendor = read_hex_file(dir, "vendor");
		p->device = read_hex_file(dir, "device");
		p->subvendor = read_hex_file(dir, "subsystem_vendor");
		p->subdevice = read_hex_file(dir, "subsystem_device");
		p->class = read_hex_file(dir, "class");
		cfg.ndevs++;
	}
	closedir(d);
}

static void add_match(int kind, const char *text)
{
	size_t n = strlen(text);

	if (cfg.nmatches < MAX_TEXTS && n < PPT_PATH_MAX) {
		cfg.matches[cfg.nmatches].kind = kind;
		memcpy(cfg.matches[cfg.nmatches].text, text, n + 1);
		cfg.nmatches++;
	}
}

/* ids entries that match only sandbox devices; device and path entries */
static void sandbox_matches(const struct pcidev *p)
{
	char buf[PPT_PATH_MAX * 2], link[PATH_MAX], path[PATH_MAX];
	const char *s;
	int forms, f, i;
	ssize_t n;

	add_match(PPT_A_MATCH_DEVICE, p->addr);
	for (forms = 0; forms < 3; forms++) {
		if (forms == 0)
			snprintf(buf, sizeof(buf), "%04x:%04x", p->vendor, p->device);
		else if (forms == 1)
			snprintf(buf, sizeof(buf), "%04x:%04x:%04x:%04x", p->vendor, p->device,
				 p->subvendor, p->subdevice);
		else
			snprintf(buf, sizeof(buf), "%04x:%04x:ffffffff:ffffffff:%06x", p->vendor,
				 p->device, p->class);
		for (f = 1, i = 0; i < cfg.ndevs; i++) {
			const struct pcidev *o = &cfg.devs[i];
			bool m = o->vendor == p->vendor && o->device == p->device &&
				 (forms != 1 || (o->subvendor == p->subvendor && o->subdevice == p->subdevice)) &&
				 (forms != 2 || o->class == p->class);

			if (m && !o->sandbox)
				f = 0;
		}
		if (f)
			add_match(PPT_A_MATCH_IDS, buf);
	}
	/* the path: /sys/devices/pci0000:00/0000:00:02.1/0000:01:00.0 */
	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s", p->addr);
	if (!realpath(link, path))
		return;
	s = strstr(path, "/pci");
	if (!s)
		return;
	s += 4;
	n = snprintf(buf, sizeof(buf), "%.7s", s);	/* dddd:bb */
	for (s = strchr(s, '/'); s && n < (ssize_t)sizeof(buf) - 8; s = strchr(s + 1, '/')) {
		const char *dot = strrchr(s, '.');
		const char *slash = strchr(s + 1, '/');

		if (!dot || (slash && dot > slash) || dot - s < 3)
			break;
		n += snprintf(buf + n, sizeof(buf) - n, "/%.2s.%c", dot - 2, dot[1]);
	}
	if (strlen(buf) > 8)
		add_match(PPT_A_MATCH_PATH, buf);
}

static void setup_addrs(const char *devices)
{
	static const char *const cand[] = {
		"0000:7f:1f.7", "0000:fe:00.0", "0001:00:00.0", "ffff:00:00.0",
		"7fffffff:ff:1f.7", "0000:00:1f.6", "0000:00:1d.7", "0000:42:00.0",
		"0000:00:00.7", "00:1e.7", "fe:1f.0",
		/* leading zeros: the kernel's parser takes them */
		"0000:0fe:00.0", "0000:fe:000.0", "0000:fe:00.00", "00000000:fe:1f.7",
	};
	char *list, *tok, *save = NULL, canon[ADDR_LEN];
	size_t i;
	int j;

	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (!parse_addr(cand[i], canon, sizeof(canon)) || find_dev(canon) >= 0)
			continue;
		snprintf(cfg.nonexist[cfg.nnonexist++], ADDR_LEN, "%s", cand[i]);
	}
	if (!devices)
		return;
	list = strdup(devices);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!parse_addr(tok, canon, sizeof(canon)) || (j = find_dev(canon)) < 0) {
			fprintf(stderr, "ppt-nlfuzz: --devices: no such device '%s'\n", tok);
			exit(2);
		}
		if (!cfg.devs[j].sandbox) {
			cfg.devs[j].sandbox = true;
			cfg.sandbox[cfg.nsandbox++] = j;
		}
	}
	free(list);
	for (j = 0; j < cfg.nsandbox; j++)
		sandbox_matches(&cfg.devs[cfg.sandbox[j]]);
}

/* ------------------------------------------------------------------ */
/* the end: unclaim what is left claimed, so the sandbox is in a resting state */

static int simple_request(int fd, uint8_t cmd, const char *addr, const char *owner,
			  uint32_t *state, char *owner_out, size_t owner_cap)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	static uint8_t buf[65536];
	struct mb m;
	int err = -1;
	ssize_t n;

	mb_start(&m, cfg.family, NLM_F_REQUEST | NLM_F_ACK, 0x7fffffff, cmd, PPT_GENL_VERSION);
	mb_str(&m, PPT_A_DEV_ADDR, addr);
	if (owner)
		mb_str(&m, PPT_A_DEV_OWNER, owner);
	mb_end(&m);
	if (sendto(fd, m.buf, m.len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -1;
	while (err == -1 && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			} else if (h->nlmsg_type == cfg.family && state) {
				const uint8_t *p = (uint8_t *)h + NLMSG_HDRLEN + GENL_HDRLEN;
				size_t l = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
				const struct nlattr *a = find_attr(p, l, PPT_A_DEV_STATE);

				if (a)
					*state = *(const uint32_t *)((const char *)a + NLA_HDRLEN);
				a = find_attr(p, l, PPT_A_DEV_OWNER);
				if (a && owner_out)
					snprintf(owner_out, owner_cap, "%.*s",
						 (int)(a->nla_len - NLA_HDRLEN), (const char *)a + NLA_HDRLEN);
			}
		}
	}
	return err;
}

static void tidy(void)
{
	int fd = open_socket(NULL), i, tries;

	if (fd < 0)
		return;
	for (i = 0; i < cfg.nsandbox; i++) {
		const char *addr = cfg.devs[cfg.sandbox[i]].addr;

		for (tries = 0; tries < 50; tries++) {
			uint32_t state = 0;
			char owner[PPT_OWNER_MAX] = "";

			if (simple_request(fd, PPT_CMD_DEVICE_GET, addr, NULL, &state, owner,
					   sizeof(owner)) || state != PPT_STATE_CLAIMED)
				break;
			if (!simple_request(fd, PPT_CMD_DEVICE_UNCLAIM, addr, owner, NULL, NULL, 0)) {
				printf("fuzz: unclaimed %s (owner %s)\n", addr, owner);
				break;
			}
			usleep(100000);
		}
	}
	close(fd);
}

/* ------------------------------------------------------------------ */

static void usage(void)
{
	fprintf(stderr,
		"usage: ppt-nlfuzz [--seed N] [--count N | --long] [--threads T]\n"
		"                  [--devices ADDR,...] [--user UID] [--timeout SECS] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *devices = NULL;
	struct thr *thr;
	struct stats tot = { 0 };
	bool seeded = false;
	long long t0, dt;
	int i, fam;
	size_t e;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--long")) {
			cfg.count = 1000000;
			continue;
		}
		if (!strcmp(a, "-v")) {
			cfg.verbose = true;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--seed")) {
			cfg.seed = strtoull(v, NULL, 0);
			seeded = true;
		} else if (!strcmp(a, "--count")) {
			cfg.count = strtol(v, NULL, 0);
		} else if (!strcmp(a, "--threads")) {
			cfg.threads = atoi(v);
		} else if (!strcmp(a, "--devices")) {
			devices = v;
		} else if (!strcmp(a, "--user")) {
			cfg.user = strtol(v, NULL, 0);
		} else if (!strcmp(a, "--timeout")) {
			cfg.timeout_ms = atoi(v) * 1000;
		} else {
			usage();
		}
	}
	if (cfg.count < 1 || cfg.threads < 1 || cfg.threads > 64 || cfg.timeout_ms < 1000)
		usage();
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		cfg.seed = (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("fuzz: seed %llu, %ld messages, %d thread%s%s\n", (unsigned long long)cfg.seed,
	       cfg.count, cfg.threads, cfg.threads == 1 ? "" : "s",
	       cfg.user >= 0 ? ", unprivileged" : "");

	scan_devices();
	setup_addrs(devices);
	printf("fuzz: %d PCI devices, sandbox:", cfg.ndevs);
	for (i = 0; i < cfg.nsandbox; i++)
		printf(" %s", cfg.devs[cfg.sandbox[i]].addr);
	printf(" (%d match entries of its own, %d absent addresses)\n", cfg.nmatches, cfg.nnonexist);

	if (cfg.user >= 0) {
		gid_t g = (gid_t)cfg.user;

		if (setgroups(0, NULL) || setgid(g) || setuid((uid_t)cfg.user)) {
			perror("ppt-nlfuzz: dropping privileges");
			return 2;
		}
		if (setuid(0) == 0) {
			fprintf(stderr, "ppt-nlfuzz: could regain root\n");
			return 2;
		}
	}
	cfg.root = cfg.user < 0 && geteuid() == 0;

	fam = resolve_family();
	if (fam < 0) {
		fprintf(stderr, "ppt-nlfuzz: cannot resolve the family %s\n", PPT_GENL_NAME);
		return 2;
	}
	cfg.family = (uint16_t)fam;

	thr = calloc((size_t)cfg.threads, sizeof(*thr));
	if (!thr)
		return 2;
	t0 = now_ms();
	for (i = 0; i < cfg.threads; i++) {
		struct thr *t = &thr[i];

		t->idx = i;
		t->r.s = cfg.seed * 0x100000001b3ull + (uint64_t)i;
		t->quota = cfg.count / cfg.threads + (i < cfg.count % cfg.threads);
		t->seqbase = ((uint32_t)i << 26) | 1;
		t->ext_ack = chance(&t->r, 70);
		t->cap_ack = chance(&t->r, 40);
		t->fd = open_socket(t);
		if (t->fd < 0) {
			perror("ppt-nlfuzz: netlink socket");
			return 2;
		}
		if (pthread_create(&t->th, NULL, thread_main, t)) {
			fprintf(stderr, "ppt-nlfuzz: cannot start thread %d\n", i);
			return 2;
		}
	}
	/* the watchdog: a handler that never returns keeps send() blocked */
	for (;;) {
		bool all = true;

		for (i = 0; i < cfg.threads; i++) {
			struct thr *t = &thr[i];

			if (atomic_load(&t->done))
				continue;
			all = false;
			if (atomic_load(&t->in_send) &&
			    now_ms() - atomic_load(&t->progress_ms) > cfg.timeout_ms) {
				pthread_mutex_lock(&out_lock);
				fprintf(stderr, "FAIL thread %d: hang: send() of %d messages has not returned in %d ms; the batch:\n",
					i, t->nreqs, cfg.timeout_ms);
				for (int j = 0; j < t->nreqs; j++) {
					fprintf(stderr, "#   seq %u gen %s cmd %d, %zu bytes:\n#     ",
						t->reqs[j].seq, gen_names[t->reqs[j].gen],
						t->reqs[j].cmd, t->reqs[j].len);
					hexdump(stderr, t->reqs[j].bytes, t->reqs[j].len);
				}
				printf("fuzz: hang (seed %llu)\nfuzz: FAILED\n", (unsigned long long)cfg.seed);
				fflush(NULL);
				_exit(1);
			}
		}
		if (all)
			break;
		usleep(100000);
	}
	for (i = 0; i < cfg.threads; i++) {
		struct stats *s = &thr[i].st;
		int c;

		pthread_join(thr[i].th, NULL);
		close(thr[i].fd);
		tot.sent += s->sent;
		tot.answered += s->answered;
		tot.unanswered += s->unanswered;
		tot.silent += s->silent;
		tot.failures += s->failures;
		tot.replies += s->replies;
		tot.dump_msgs += s->dump_msgs;
		tot.zapped += s->zapped;
		tot.late += s->late;
		tot.agent_reqs += s->agent_reqs;
		tot.acks_tlv += s->acks_tlv;
		for (e = 0; e < N_SANE + 2; e++)
			tot.by_errno[e] += s->by_errno[e];
		for (c = 0; c < N_GEN; c++)
			tot.by_gen[c] += s->by_gen[c];
		for (c = 0; c < 256; c++)
			tot.by_cmd_ok[c] += s->by_cmd_ok[c];
	}
	dt = now_ms() - t0;
	if (cfg.root)
		tidy();

	printf("fuzz: answers by errno:");
	printf(" ok %ld", tot.by_errno[0]);
	for (e = 0; e < N_SANE; e++)
		if (tot.by_errno[e + 1])
			printf(", %s %ld", strerrorname_np(sane_errnos[e]) ?: "?", tot.by_errno[e + 1]);
	if (tot.by_errno[N_SANE + 1])
		printf(", other %ld", tot.by_errno[N_SANE + 1]);
	printf("\nfuzz: messages by generator:");
	for (i = 0; i < N_GEN; i++)
		printf("%s %s %ld", i ? "," : "", gen_names[i], tot.by_gen[i]);
	printf("\nfuzz: successes by command (number:count):");
	for (i = 0; i < 256; i++)
		if (tot.by_cmd_ok[i])
			printf(" %d:%ld", i, tot.by_cmd_ok[i]);
	printf("\nfuzz: %ld reply messages (%ld in dumps), %ld extended acks, %ld made safe, %ld silent (dropped by netlink, as they must be)\n",
	       tot.replies, tot.dump_msgs, tot.acks_tlv, tot.zapped, tot.silent);
	if (tot.agent_reqs)
		printf("fuzz: %ld sanitise requests reached a socket that had registered as the agent\n",
		       tot.agent_reqs);
	printf("fuzz: %lld ms, %.0f messages/s\n", dt, dt ? tot.sent * 1000.0 / (double)dt : 0.0);
	printf("fuzz: %ld messages, %ld answered, %ld unanswered\n", tot.sent - tot.silent,
	       tot.answered, tot.unanswered);
	if (tot.failures) {
		printf("fuzz: FAILED: %ld failures (seed %llu)\n", tot.failures,
		       (unsigned long long)cfg.seed);
		return 1;
	}
	printf("fuzz: ok\n");
	return 0;
}
