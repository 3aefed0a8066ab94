// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal, polled NVMe host driver for erasing a controller's media
 * between tenants; see nvme.h.  Field names are those of the NVM Express
 * Base Specification 2.0 (and the NVM Command Set Specification 1.0 for
 * Identify Namespace and the I/O commands).
 *
 * One command is outstanding at a time, on the admin queue or on the one
 * I/O queue pair, and its completion is polled on the phase tag: no
 * interrupts (the I/O queues are created with IEN=0), no asynchronous
 * events.  Memory page size is 4 KiB (CC.MPS=0), data moves through the
 * driver's own DMA buffer described by PRP entries.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvme.h"

/* Controller registers (section 3.1.3), offsets into BAR0 */
#define REG_CAP		0x00	/* Controller Capabilities, 64 bits */
#define REG_VS		0x08
#define REG_CC		0x14	/* Controller Configuration */
#define REG_CSTS	0x1c	/* Controller Status */
#define REG_AQA		0x24	/* Admin Queue Attributes */
#define REG_ASQ		0x28	/* Admin Submission Queue Base Address, 64 bits */
#define REG_ACQ		0x30	/* Admin Completion Queue Base Address, 64 bits */
#define REG_DBS		0x1000	/* the first doorbell, SQ 0 Tail */

#define CAP_MQES(cap)	((uint32_t)((cap) & 0xffff))	/* 0's based */
#define CAP_TO(cap)	((uint32_t)(((cap) >> 24) & 0xff))	/* 500 ms units */
#define CAP_DSTRD(cap)	((uint32_t)(((cap) >> 32) & 0xf))
#define CAP_CSS(cap)	((uint32_t)(((cap) >> 37) & 0xff))
#define CAP_MPSMIN(cap)	((uint32_t)(((cap) >> 48) & 0xf))

#define CC_EN		(1u << 0)
#define CC_CSS_NVM	(0u << 4)
#define CC_MPS_4K	(0u << 7)
#define CC_SHN_MASK	(3u << 14)
#define CC_SHN_NORMAL	(1u << 14)
#define CC_IOSQES	(6u << 16)	/* 64-byte submission queue entries */
#define CC_IOCQES	(4u << 20)	/* 16-byte completion queue entries */

#define CSTS_RDY	(1u << 0)
#define CSTS_CFS	(1u << 1)
#define CSTS_SHST_MASK	(3u << 2)
#define CSTS_SHST_DONE	(2u << 2)

/* Admin and NVM command opcodes */
#define OP_DELETE_SQ	0x00
#define OP_CREATE_SQ	0x01
#define OP_GET_LOG	0x02
#define OP_DELETE_CQ	0x04
#define OP_CREATE_CQ	0x05
#define OP_IDENTIFY	0x06
#define OP_SET_FEATURES	0x09
#define OP_FORMAT	0x80
#define OP_SANITIZE	0x84
#define OP_SECURITY_RECV 0x82
#define OP_WRITE	0x01
#define OP_READ		0x02
#define OP_WRITE_ZEROES	0x08

/*
 * Security Receive protocols (SECP): 00h the Supported Security Protocols
 * List (SPC-5 7.7.1), 01h TCG, whose ComID 0001h (SPSP) answers Level 0
 * Discovery (TCG Storage Architecture Core Specification 3.3.6).
 */
#define SECP_INFO	0x00
#define SECP_TCG	0x01
#define TCG_LEVEL0	0x0001
#define TCG_FC_LOCKING	0x0002	/* the Locking feature descriptor */
#define TCG_LEVEL0_LEN	2048u	/* what Linux's sed-opal reads too */
/* the Locking feature's byte 4: what a baseline compares (not MBR Done, bit 5) */
#define TCG_LOCKING_BITS 0x1f

#define LID_FW_SLOT	0x03
#define LID_SANITIZE	0x81

/*
 * Identify Controller (NVM Express Base Specification 2.0) CMIC, Controller
 * Multi-Path I/O and Namespace Sharing Capabilities (byte 76): bit 0 the
 * NVM subsystem may contain two or more ports, bit 1 it may contain two or
 * more controllers, bit 2 the controller is associated with an SR-IOV
 * Virtual Function, bit 3 ANA reporting.
 */
#define CMIC_MPORT	(1u << 0)
#define CMIC_MCTRL	(1u << 1)
#define CMIC_SRIOV	(1u << 2)

/*
 * Identify Controller FNA, Format NVM Attributes (byte 524): bit 0 a format
 * (excluding secure erase) of any namespace formats every namespace in the
 * NVM subsystem, bit 1 a secure erase (user data or cryptographic) applies
 * to every namespace in the NVM subsystem, bit 2 cryptographic erase is
 * supported.
 */
#define FNA_FMT_ALL	(1u << 0)
#define FNA_SES_ALL	(1u << 1)
#define FNA_CRYPTO	(1u << 2)

/*
 * Identify Namespace (NVM Command Set Specification 1.0) NMIC, Namespace
 * Multi-path I/O and Namespace Sharing Capabilities (byte 30): bit 0 the
 * namespace may be attached to two or more controllers in the NVM
 * subsystem concurrently.
 */
#define NMIC_SHARED	(1u << 0)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define PAGE		4096u
#define QDEPTH		32u		/* entries of the admin and of the I/O queues */
#define MAX_XFER	(128u * 1024)	/* the driver's own cap on one command's data */
#define POLL_US		50u
#define ADMIN_TIMEOUT_US (30u * 1000 * 1000)
#define SANITIZE_POLL_US (100u * 1000)
#define WZ_MAX_BLOCKS	65536u		/* Write Zeroes NLB is 16 bits, 0's based */
#define NS_SAMPLES	64u		/* sampled LBAs per namespace: first, last, 62 between */

struct dma {
	void *p;
	uint64_t iova;
	size_t size;
};

struct queue {
	uint16_t qid;
	uint16_t depth;
	struct dma sq, cq;
	uint16_t sq_tail, sq_head, cq_head;
	uint8_t phase;
};

/* What the driver keeps of Identify Namespace besides struct nvme_ns */
struct nsi {
	struct nvme_ns ns;
	uint16_t ms;		/* LBAF's MS: metadata bytes per block */
	bool ext;		/* FLBAS bit 4: metadata at the end of each block's data */
	uint8_t dps;		/* DPS: protection information type and position */
	uint8_t nsfeat;
};

struct nvme_ctrl {
	struct nvme_io io;
	struct nvme_passthru pt;	/* pt.admin set: another driver runs it */
	uint64_t cap;
	uint32_t db_stride;	/* bytes between doorbells: 4 << CAP.DSTRD */
	uint32_t to_ms;		/* CAP.TO * 500 */
	struct queue aq, iq;
	bool iq_cq, iq_sq;	/* the I/O queues exist */
	bool dead;		/* a command timed out: only the reset in close is safe */
	uint16_t cid;
	struct dma buf;		/* MAX_XFER of data, also Identify's and logs' buffer */
	struct dma prp;		/* one page of PRP list */
	struct dma meta;	/* separate metadata (MPTR), allocated when needed */
	uint32_t max_xfer;	/* bytes per command: MDTS, at most MAX_XFER */
	/* Identify Controller */
	char sn[21], mn[41], fr[9];
	uint16_t oacs, oncs;
	uint32_t sanicap, nn, rtd3e;
	uint8_t fna, mdts, frmw, cmic;
	/* the active namespaces, from the last scan */
	struct nsi nsi[NVME_MAX_NS];
	size_t nns;
};

/* Little-endian accessors for the data structures the controller fills */
static uint16_t le16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64_at(const uint8_t *p)
{
	return (uint64_t)le32_at(p) | (uint64_t)le32_at(p + 4) << 32;
}

__attribute__((format(printf, 3, 4)))
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Append to buf at *pos, "; " between items; truncates quietly. */
__attribute__((format(printf, 4, 5)))
static void addf(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos + 1 >= len)
		return;
	if (*pos) {
		n = snprintf(buf + *pos, len - *pos, "; ");
		*pos = *pos + (size_t)n >= len ? len - 1 : *pos + (size_t)n;
	}
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos = *pos + (size_t)n >= len ? len - 1 : *pos + (size_t)n;
}

/* Registers.  64-bit registers are two 32-bit accesses, low half first. */
static uint32_t rd32(struct nvme_ctrl *c, uint32_t off)
{
	return c->io.rd32(c->io.ctx, off);
}

static void wr32(struct nvme_ctrl *c, uint32_t off, uint32_t val)
{
	c->io.wr32(c->io.ctx, off, val);
}

static uint64_t rd64(struct nvme_ctrl *c, uint32_t off)
{
	uint64_t lo = rd32(c, off);

	return lo | (uint64_t)rd32(c, off + 4) << 32;
}

static void wr64(struct nvme_ctrl *c, uint32_t off, uint64_t val)
{
	wr32(c, off, (uint32_t)val);
	wr32(c, off + 4, (uint32_t)(val >> 32));
}

static int dma_get(struct nvme_ctrl *c, struct dma *d, size_t size)
{
	d->p = c->io.dma_alloc(c->io.ctx, size, &d->iova);
	if (!d->p)
		return -ENOMEM;
	d->size = size;
	return 0;
}

static void dma_put(struct nvme_ctrl *c, struct dma *d)
{
	if (d->p)
		c->io.dma_free(c->io.ctx, d->p, d->size);
	memset(d, 0, sizeof(*d));
}

/* Generic (SCT 0h), Command Specific (1h) and Media (2h) statuses worth naming */
static const char *status_name(unsigned int sct, unsigned int sc)
{
	static const struct {
		uint8_t sct, sc;
		const char *name;
	} names[] = {
		{ 0, 0x01, "Invalid Command Opcode" },
		{ 0, 0x02, "Invalid Field in Command" },
		{ 0, 0x03, "Command ID Conflict" },
		{ 0, 0x04, "Data Transfer Error" },
		{ 0, 0x05, "Commands Aborted due to Power Loss Notification" },
		{ 0, 0x06, "Internal Error" },
		{ 0, 0x07, "Command Abort Requested" },
		{ 0, 0x08, "Command Aborted due to SQ Deletion" },
		{ 0, 0x0b, "Invalid Namespace or Format" },
		{ 0, 0x0c, "Command Sequence Error" },
		{ 0, 0x13, "PRP Offset Invalid" },
		{ 0, 0x15, "Operation Denied" },
		{ 0, 0x1c, "Sanitize Failed" },
		{ 0, 0x1d, "Sanitize In Progress" },
		{ 0, 0x20, "Namespace is Write Protected" },
		{ 0, 0x21, "Command Interrupted" },
		{ 0, 0x80, "LBA Out of Range" },
		{ 0, 0x81, "Capacity Exceeded" },
		{ 0, 0x82, "Namespace Not Ready" },
		{ 0, 0x83, "Reservation Conflict" },
		{ 0, 0x84, "Format In Progress" },
		{ 1, 0x00, "Completion Queue Invalid" },
		{ 1, 0x01, "Invalid Queue Identifier" },
		{ 1, 0x02, "Invalid Queue Size" },
		{ 1, 0x09, "Invalid Log Page" },
		{ 1, 0x0a, "Invalid Format" },
		{ 1, 0x0c, "Invalid Queue Deletion" },
		{ 1, 0x80, "Conflicting Attributes" },
		{ 1, 0x81, "Invalid Protection Information" },
		{ 1, 0x82, "Attempted Write to Read Only Range" },
		{ 2, 0x80, "Write Fault" },
		{ 2, 0x81, "Unrecovered Read Error" },
		{ 2, 0x82, "End-to-end Guard Check Error" },
		{ 2, 0x86, "Access Denied" },
		{ 2, 0x87, "Deallocated or Unwritten Logical Block" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].sct == sct && names[i].sc == sc)
			return names[i].name;
	return NULL;
}

/* "status SCT 0x0 SC 0x1d (Sanitize In Progress)" */
static void status_str(uint16_t status, char *buf, size_t len)
{
	unsigned int sct = (status >> 8) & 7, sc = status & 0xff;
	const char *name = status_name(sct, sc);

	snprintf(buf, len, "status SCT 0x%x SC 0x%02x%s%s%s", sct, sc, name ? " (" : "",
		 name ? name : "", name ? ")" : "");
}

/*
 * Wait until (CSTS & mask) == want, at most timeout_ms of sleep_us time.
 * CSTS.CFS ends the wait early when stop_on_cfs: the controller has failed
 * and will not become ready.  0, or -ETIMEDOUT, -EIO (CFS) or -ENODEV (the
 * register reads all ones: the device has gone).
 */
static int wait_csts(struct nvme_ctrl *c, uint32_t mask, uint32_t want, uint32_t timeout_ms,
		     bool stop_on_cfs, uint32_t *csts)
{
	uint64_t waited = 0;

	for (;;) {
		*csts = rd32(c, REG_CSTS);
		if (*csts == 0xffffffff)
			return -ENODEV;
		if ((*csts & mask) == want)
			return 0;
		if (stop_on_cfs && (*csts & CSTS_CFS))
			return -EIO;
		if (waited >= (uint64_t)timeout_ms * 1000)
			return -ETIMEDOUT;
		c->io.sleep_us(c->io.ctx, 1000);
		waited += 1000;
	}
}

static uint32_t sq_doorbell(struct nvme_ctrl *c, uint16_t qid)
{
	return REG_DBS + 2u * qid * c->db_stride;
}

static uint32_t cq_doorbell(struct nvme_ctrl *c, uint16_t qid)
{
	return REG_DBS + (2u * qid + 1) * c->db_stride;
}

/*
 * Submit cmd (16 dwords in host order; CID is filled in) on q and poll its
 * completion for at most timeout_us of sleeps.  Returns 0; the NVMe status
 * (SCT << 8 | SC, > 0) with what and the status in err; or a negative
 * errno (a timeout, a completion that is not ours) after which the
 * controller is dead to us.
 */
static int submit(struct nvme_ctrl *c, struct queue *q, uint32_t cmd[16], uint64_t timeout_us,
		  uint32_t *dw0, const char *what, char *err, size_t errlen)
{
	volatile uint32_t *cqe;
	uint32_t le[16], dw2, dw3, csts;
	uint16_t cid, status, sqhd;
	uint64_t waited = 0;
	unsigned int polls = 0, i;
	char st[96];

	if (c->dead) {
		seterr(err, errlen, "%s: the controller stopped responding earlier", what);
		return -EIO;
	}
	if (c->pt.admin) {
		seterr(err, errlen, "%s: the controller is another driver's", what);
		return -EOPNOTSUPP;
	}
	/* the queue is full when the tail would meet the head the controller reported */
	if ((uint16_t)((q->sq_tail + 1) % q->depth) == q->sq_head) {
		seterr(err, errlen, "%s: submission queue %u is full", what, q->qid);
		return -EBUSY;
	}
	cid = c->cid++;
	cmd[0] = (cmd[0] & 0xffff) | (uint32_t)cid << 16;
	for (i = 0; i < 16; i++)
		le[i] = htole32(cmd[i]);
	memcpy((uint8_t *)q->sq.p + (size_t)q->sq_tail * 64, le, 64);
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->depth);
	/* the entry must be in memory before the controller sees the new tail */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(c, sq_doorbell(c, q->qid), q->sq_tail);

	cqe = (volatile uint32_t *)((uint8_t *)q->cq.p + (size_t)q->cq_head * 16);
	for (;;) {
		dw3 = le32toh(cqe[3]);
		if (((dw3 >> 16) & 1) == q->phase)
			break;
		if (waited >= timeout_us) {
			csts = rd32(c, REG_CSTS);
			c->dead = true;
			seterr(err, errlen, "%s: no completion within %" PRIu64 " s (CSTS 0x%x%s)",
			       what, timeout_us / 1000000, csts,
			       csts != 0xffffffff && (csts & CSTS_CFS) ?
			       ": controller fatal status, CSTS.CFS" : "");
			return -ETIMEDOUT;
		}
		/* a controller that failed (CSTS.CFS) posts nothing more */
		if (++polls % 64 == 0) {
			csts = rd32(c, REG_CSTS);
			if (csts == 0xffffffff || (csts & CSTS_CFS)) {
				c->dead = true;
				seterr(err, errlen, "%s: %s (CSTS 0x%x)", what,
				       csts == 0xffffffff ? "the device stopped responding" :
				       "controller fatal status, CSTS.CFS", csts);
				return -EIO;
			}
		}
		c->io.sleep_us(c->io.ctx, POLL_US);
		waited += POLL_US;
	}
	/* the rest of the entry only after its phase tag says it is new */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	dw2 = le32toh(cqe[2]);
	if (dw0)
		*dw0 = le32toh(cqe[0]);
	q->cq_head = (uint16_t)((q->cq_head + 1) % q->depth);
	if (!q->cq_head)
		q->phase ^= 1;
	wr32(c, cq_doorbell(c, q->qid), q->cq_head);

	sqhd = dw2 & 0xffff;
	if ((dw3 & 0xffff) != cid || (dw2 >> 16) != q->qid || sqhd >= q->depth) {
		c->dead = true;
		seterr(err, errlen,
		       "%s: completion for CID %u SQ %u head %u, expected CID %u SQ %u head < %u",
		       what, dw3 & 0xffff, dw2 >> 16, sqhd, cid, q->qid, q->depth);
		return -EPROTO;
	}
	q->sq_head = sqhd;
	status = (dw3 >> 17) & 0x7ff;	/* SCT 10:8, SC 7:0 */
	if (status) {
		status_str(status, st, sizeof(st));
		seterr(err, errlen, "%s: %s%s", what, st, (dw3 >> 31) ? ", do not retry" : "");
		return status;
	}
	return 0;
}

/* An admin command with a 30 s timeout; negative errno or NVMe status as submit() */
static int admin(struct nvme_ctrl *c, uint32_t cmd[16], uint32_t *dw0, const char *what,
		 char *err, size_t errlen)
{
	return submit(c, &c->aq, cmd, ADMIN_TIMEOUT_US, dw0, what, err, errlen);
}

/*
 * An admin command whose data, len bytes, the controller puts in c->buf:
 * through the driver that runs the controller, or submit() on our own
 * admin queue.
 */
static int admin_read(struct nvme_ctrl *c, uint32_t cmd[16], uint32_t len, const char *what,
		      char *err, size_t errlen)
{
	uint32_t dw0;
	char st[96];
	int ret;

	if (!c->pt.admin)
		return admin(c, cmd, NULL, what, err, errlen);
	ret = c->pt.admin(c->pt.ctx, cmd, c->buf.p, len, &dw0);
	if (ret > 0) {
		status_str((uint16_t)(ret & 0x7ff), st, sizeof(st));
		seterr(err, errlen, "%s: %s", what, st);
		return ret & 0x7ff;
	}
	if (ret < 0)
		seterr(err, errlen, "%s: %s", what, strerror(-ret));
	return ret;
}

/* Identify (06h) into c->buf */
static int identify(struct nvme_ctrl *c, uint8_t cns, uint32_t nsid, const char *what,
		    char *err, size_t errlen)
{
	uint32_t cmd[16] = { OP_IDENTIFY, nsid };

	memset(c->buf.p, 0, PAGE);
	cmd[6] = (uint32_t)c->buf.iova;
	cmd[7] = (uint32_t)(c->buf.iova >> 32);
	cmd[10] = cns;			/* CNS 7:0, CNTID 0 */
	return admin_read(c, cmd, PAGE, what, err, errlen);
}

/* Get Log Page (02h) of len bytes (a multiple of 4, at most a page) into c->buf */
static int get_log(struct nvme_ctrl *c, uint8_t lid, uint32_t len, const char *what,
		   char *err, size_t errlen)
{
	uint32_t cmd[16] = { OP_GET_LOG, 0xffffffff }, numd = len / 4 - 1;

	memset(c->buf.p, 0, len);
	cmd[6] = (uint32_t)c->buf.iova;
	cmd[7] = (uint32_t)(c->buf.iova >> 32);
	cmd[10] = lid | (numd & 0xffff) << 16;	/* LID, RAE 0, NUMDL */
	cmd[11] = numd >> 16;			/* NUMDU */
	return admin_read(c, cmd, len, what, err, errlen);
}

/* Security Receive (82h) of len bytes (at most a page) into c->buf */
static int security_recv(struct nvme_ctrl *c, uint8_t secp, uint16_t spsp, uint32_t len,
			 const char *what, char *err, size_t errlen)
{
	uint32_t cmd[16] = { OP_SECURITY_RECV };

	memset(c->buf.p, 0, len);
	cmd[6] = (uint32_t)c->buf.iova;
	cmd[7] = (uint32_t)(c->buf.iova >> 32);
	cmd[10] = (uint32_t)secp << 24 | (uint32_t)spsp << 8;	/* SECP, SPSP1, SPSP0, NSSF 0 */
	cmd[11] = len;						/* AL */
	return admin_read(c, cmd, len, what, err, errlen);
}

/* Copy an ASCII, space-padded Identify string without the padding */
static void trim_copy(char *dst, const uint8_t *src, size_t n)
{
	size_t b = 0;

	while (b < n && (src[b] == ' ' || !src[b]))
		b++;
	while (n > b && (src[n - 1] == ' ' || !src[n - 1]))
		n--;
	memcpy(dst, src + b, n - b);
	dst[n - b] = '\0';
}

static int identify_ctrl(struct nvme_ctrl *c, char *err, size_t errlen)
{
	const uint8_t *id = c->buf.p;
	int ret;

	ret = identify(c, 0x01, 0, "Identify Controller (CNS 01h)", err, errlen);
	if (ret)
		return ret;
	trim_copy(c->sn, id + 4, 20);
	trim_copy(c->mn, id + 24, 40);
	trim_copy(c->fr, id + 64, 8);
	c->cmic = id[76];
	c->mdts = id[77];
	c->rtd3e = le32_at(id + 88);
	c->oacs = le16_at(id + 256);
	c->frmw = id[260];
	c->sanicap = le32_at(id + 328);
	c->nn = le32_at(id + 516);
	c->oncs = le16_at(id + 520);
	c->fna = id[524];
	/* SQES and CQES: bits 3:0 required (minimum), 7:4 maximum entry size */
	if ((id[512] & 0xf) > 6 || (id[512] >> 4) < 6 || (id[513] & 0xf) > 4 ||
	    (id[513] >> 4) < 4) {
		seterr(err, errlen, "Identify Controller: SQES 0x%02x CQES 0x%02x do not allow "
		       "64-byte submission and 16-byte completion entries", id[512], id[513]);
		return -EOPNOTSUPP;
	}
	/* MDTS is a power of two in units of CAP.MPSMIN, which open required to be 4 KiB */
	c->max_xfer = c->mdts && c->mdts < 6 ? PAGE << c->mdts : MAX_XFER;
	return 0;
}

static int create_io_queues(struct nvme_ctrl *c, char *err, size_t errlen)
{
	uint32_t cmd[16];
	int ret;

	/*
	 * Number of Queues (Set Features FID 07h): one of each, 0's based.
	 * Some controllers want it before Create I/O queue; one that refuses
	 * it still has at least one pair.
	 */
	memset(cmd, 0, sizeof(cmd));
	cmd[0] = OP_SET_FEATURES;
	cmd[10] = 0x07;
	cmd[11] = 0;
	ret = admin(c, cmd, NULL, "Set Features (Number of Queues)", err, errlen);
	if (ret < 0)
		return ret;

	/* Create I/O Completion Queue: PC=1 (contiguous), IEN=0 (polled) */
	memset(cmd, 0, sizeof(cmd));
	cmd[0] = OP_CREATE_CQ;
	cmd[6] = (uint32_t)c->iq.cq.iova;
	cmd[7] = (uint32_t)(c->iq.cq.iova >> 32);
	cmd[10] = c->iq.qid | (uint32_t)(c->iq.depth - 1) << 16;
	cmd[11] = 1u << 0;
	ret = admin(c, cmd, NULL, "Create I/O Completion Queue 1", err, errlen);
	if (ret)
		return ret > 0 ? -EIO : ret;
	c->iq_cq = true;

	/* Create I/O Submission Queue: PC=1, QPRIO 0, CQID 1 */
	memset(cmd, 0, sizeof(cmd));
	cmd[0] = OP_CREATE_SQ;
	cmd[6] = (uint32_t)c->iq.sq.iova;
	cmd[7] = (uint32_t)(c->iq.sq.iova >> 32);
	cmd[10] = c->iq.qid | (uint32_t)(c->iq.depth - 1) << 16;
	cmd[11] = 1u << 0 | (uint32_t)c->iq.qid << 16;
	ret = admin(c, cmd, NULL, "Create I/O Submission Queue 1", err, errlen);
	if (ret)
		return ret > 0 ? -EIO : ret;
	c->iq_sq = true;
	return 0;
}

/* CC.EN=0 and wait for CSTS.RDY=0, which resets every queue */
static int disable(struct nvme_ctrl *c, char *err, size_t errlen)
{
	uint32_t cc = rd32(c, REG_CC), csts;
	int ret;

	/*
	 * Clearing CC.EN while CC.EN=1 and CSTS.RDY=0 (the controller still
	 * becoming ready) has undefined results: wait for ready first.
	 */
	if (cc & CC_EN) {
		ret = wait_csts(c, CSTS_RDY, CSTS_RDY, c->to_ms, true, &csts);
		if (ret == -ENODEV) {
			seterr(err, errlen, "CSTS reads 0xffffffff: the device does not respond");
			return ret;
		}
		wr32(c, REG_CC, cc & ~CC_EN);
	}
	ret = wait_csts(c, CSTS_RDY, 0, c->to_ms, false, &csts);
	if (ret == -ENODEV)
		seterr(err, errlen, "CSTS reads 0xffffffff: the device does not respond");
	else if (ret)
		seterr(err, errlen, "CSTS.RDY still 1 %u ms (CAP.TO) after CC.EN=0 (CSTS 0x%x)",
		       c->to_ms, csts);
	return ret;
}

static void free_all(struct nvme_ctrl *c)
{
	dma_put(c, &c->aq.sq);
	dma_put(c, &c->aq.cq);
	dma_put(c, &c->iq.sq);
	dma_put(c, &c->iq.cq);
	dma_put(c, &c->buf);
	dma_put(c, &c->prp);
	dma_put(c, &c->meta);
	free(c);
}

void nvme_close(struct nvme_ctrl *c)
{
	uint32_t cmd[16], csts, ms;

	if (!c)
		return;
	/* another driver's: it keeps running it */
	if (c->pt.admin) {
		free(c->buf.p);
		free(c);
		return;
	}
	if (c->iq_sq) {
		memset(cmd, 0, sizeof(cmd));
		cmd[0] = OP_DELETE_SQ;
		cmd[10] = c->iq.qid;
		admin(c, cmd, NULL, "Delete I/O Submission Queue", NULL, 0);
	}
	if (c->iq_cq) {
		memset(cmd, 0, sizeof(cmd));
		cmd[0] = OP_DELETE_CQ;
		cmd[10] = c->iq.qid;
		admin(c, cmd, NULL, "Delete I/O Completion Queue", NULL, 0);
	}
	/*
	 * Normal shutdown (CC.SHN=01b) while enabled, so the controller
	 * flushes what it caches, until CSTS.SHST=10b: bounded by RTD3E (the
	 * RTD3 entry latency it reports, in us) or 10 s, at most a minute.
	 */
	csts = rd32(c, REG_CSTS);
	if (csts != 0xffffffff && (csts & CSTS_RDY) && (rd32(c, REG_CC) & CC_EN)) {
		ms = c->rtd3e ? c->rtd3e / 1000 + 1 : 10000;
		if (ms > 60000)
			ms = 60000;
		wr32(c, REG_CC, (rd32(c, REG_CC) & ~CC_SHN_MASK) | CC_SHN_NORMAL);
		wait_csts(c, CSTS_SHST_MASK, CSTS_SHST_DONE, ms, true, &csts);
	}
	/*
	 * Disabled, the controller no longer touches the queues or buffers.
	 * If it never says so the memory goes anyway: through VFIO it is
	 * unmapped from the IOMMU, so a late write faults instead of landing.
	 */
	disable(c, NULL, 0);
	free_all(c);
}

int nvme_open(const struct nvme_io *io, struct nvme_ctrl **out, char *err, size_t errlen)
{
	struct nvme_ctrl *c;
	uint32_t cc, csts, mqes;
	int ret;

	*out = NULL;
	if (!io || !io->rd32 || !io->wr32 || !io->dma_alloc || !io->dma_free || !io->sleep_us) {
		seterr(err, errlen, "incomplete NVMe transport");
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->io = *io;
	c->cap = rd64(c, REG_CAP);
	if (c->cap == UINT64_MAX) {
		seterr(err, errlen, "CAP reads all ones: the device does not respond");
		free(c);
		return -ENODEV;
	}
	c->db_stride = 4u << CAP_DSTRD(c->cap);
	c->to_ms = (CAP_TO(c->cap) ? CAP_TO(c->cap) : 1) * 500;
	if (!(CAP_CSS(c->cap) & 1)) {
		seterr(err, errlen, "CAP.CSS 0x%02x: the NVM command set is not supported",
		       CAP_CSS(c->cap));
		free(c);
		return -EOPNOTSUPP;
	}
	if (CAP_MPSMIN(c->cap)) {
		seterr(err, errlen, "CAP.MPSMIN %u: the controller's smallest page exceeds 4 KiB",
		       CAP_MPSMIN(c->cap));
		free(c);
		return -EOPNOTSUPP;
	}
	/* queues of up to 32 entries, no more than CAP.MQES (0's based) allows */
	mqes = CAP_MQES(c->cap) + 1;
	c->aq.depth = c->iq.depth = (uint16_t)(mqes < QDEPTH ? mqes : QDEPTH);
	c->aq.qid = 0;
	c->iq.qid = 1;
	c->aq.phase = c->iq.phase = 1;

	ret = disable(c, err, errlen);
	if (ret) {
		free(c);
		return ret;
	}
	if (dma_get(c, &c->aq.sq, PAGE) || dma_get(c, &c->aq.cq, PAGE) ||
	    dma_get(c, &c->iq.sq, PAGE) || dma_get(c, &c->iq.cq, PAGE) ||
	    dma_get(c, &c->buf, MAX_XFER) || dma_get(c, &c->prp, PAGE)) {
		seterr(err, errlen, "cannot allocate DMA memory for the queues");
		free_all(c);
		return -ENOMEM;
	}

	/* AQA: ACQS 27:16 and ASQS 11:0, both 0's based */
	wr32(c, REG_AQA, (uint32_t)(c->aq.depth - 1) << 16 | (uint32_t)(c->aq.depth - 1));
	wr64(c, REG_ASQ, c->aq.sq.iova);
	wr64(c, REG_ACQ, c->aq.cq.iova);
	cc = CC_CSS_NVM | CC_MPS_4K | CC_IOSQES | CC_IOCQES;
	wr32(c, REG_CC, cc);
	wr32(c, REG_CC, cc | CC_EN);
	ret = wait_csts(c, CSTS_RDY, CSTS_RDY, c->to_ms, true, &csts);
	if (ret) {
		if (ret == -EIO)
			seterr(err, errlen, "controller fatal status (CSTS.CFS) while enabling "
			       "(CSTS 0x%x)", csts);
		else if (ret == -ENODEV)
			seterr(err, errlen, "CSTS reads 0xffffffff: the device does not respond");
		else
			seterr(err, errlen, "CSTS.RDY not 1 %u ms (CAP.TO) after CC.EN=1 (CSTS 0x%x)",
			       c->to_ms, csts);
		nvme_close(c);
		return ret;
	}
	ret = identify_ctrl(c, err, errlen);
	if (!ret)
		ret = create_io_queues(c, err, errlen);
	if (ret) {
		nvme_close(c);
		return ret > 0 ? -EIO : ret;
	}
	*out = c;
	return 0;
}

int nvme_open_passthru(const struct nvme_passthru *pt, struct nvme_ctrl **out, char *err,
		       size_t errlen)
{
	struct nvme_ctrl *c;
	int ret;

	*out = NULL;
	if (!pt || !pt->admin) {
		seterr(err, errlen, "incomplete NVMe transport");
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->buf.p = aligned_alloc(PAGE, MAX_XFER);
	if (!c || !c->buf.p) {
		free(c);
		seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->buf.size = MAX_XFER;
	c->pt = *pt;
	ret = identify_ctrl(c, err, errlen);
	if (ret) {
		nvme_close(c);
		return ret > 0 ? -EIO : ret;
	}
	*out = c;
	return 0;
}

int nvme_admin_nodata(struct nvme_ctrl *c, uint32_t cmd[16], unsigned int timeout_s, char *err,
		      size_t errlen)
{
	char what[32];

	snprintf(what, sizeof(what), "admin command %02xh", cmd[0] & 0xff);
	return submit(c, &c->aq, cmd, (uint64_t)timeout_s * 1000000, NULL, what, err, errlen);
}

const char *nvme_ctrl_sn(const struct nvme_ctrl *c)
{
	return c->sn;
}

const char *nvme_ctrl_mn(const struct nvme_ctrl *c)
{
	return c->mn;
}

const char *nvme_ctrl_fr(const struct nvme_ctrl *c)
{
	return c->fr;
}

uint8_t nvme_ctrl_cmic(const struct nvme_ctrl *c)
{
	return c->cmic;
}

/*
 * Identify Namespace (CNS 00h) of nsid into *ni.  1 when the namespace is
 * not active (NSZE 0: Identify of an inactive NSID returns zeroes), 0 when
 * it is, or a negative errno.
 */
static int identify_ns(struct nvme_ctrl *c, uint32_t nsid, struct nsi *ni, char *err,
		       size_t errlen)
{
	const uint8_t *id = c->buf.p;
	char what[64];
	uint32_t lbaf;
	unsigned int idx, lbads;
	int ret;

	snprintf(what, sizeof(what), "Identify Namespace %u (CNS 00h)", nsid);
	ret = identify(c, 0x00, nsid, what, err, errlen);
	if (ret)
		return ret > 0 ? -EIO : ret;
	memset(ni, 0, sizeof(*ni));
	ni->ns.nsid = nsid;
	ni->ns.nsze = le64_at(id);
	ni->ns.ncap = le64_at(id + 8);
	ni->nsfeat = id[24];
	ni->ns.flbas = id[26];
	ni->dps = id[29];
	ni->ns.nmic = id[30];
	ni->ns.dlfeat = id[33];
	if (!ni->ns.nsze)
		return 1;
	/* FLBAS: format index bits 3:0, and 6:5 above them when NLBAF > 16; bit 4 extended */
	idx = (ni->ns.flbas & 0xf) | ((ni->ns.flbas >> 5) & 3) << 4;
	if (idx > id[25]) {
		seterr(err, errlen, "namespace %u: FLBAS 0x%02x selects format %u, NLBAF is %u",
		       nsid, ni->ns.flbas, idx, id[25]);
		return -EPROTO;
	}
	lbaf = le32_at(id + 128 + 4 * idx);	/* MS 15:0, LBADS 23:16 */
	lbads = (lbaf >> 16) & 0xff;
	if (lbads < 9 || lbads > 16) {
		seterr(err, errlen, "namespace %u: LBA format %u has LBADS %u", nsid, idx, lbads);
		return -EPROTO;
	}
	ni->ns.lba_size = 1u << lbads;
	ni->ms = lbaf & 0xffff;
	ni->ext = ni->ms && (ni->ns.flbas & 0x10);
	return 0;
}

/* Refresh c->nsi: the active NSID list (CNS 02h), else every NSID 1..NN */
static int scan_ns(struct nvme_ctrl *c, char *err, size_t errlen)
{
	uint32_t list[1024], nsid, i, n = 0;
	bool have_list;
	int ret;

	c->nns = 0;
	ret = identify(c, 0x02, 0, "Identify Active Namespace ID list (CNS 02h)", err, errlen);
	if (ret < 0)
		return ret;
	have_list = ret == 0;
	if (have_list) {
		for (i = 0; i < 1024; i++) {
			nsid = le32_at((uint8_t *)c->buf.p + 4 * i);
			if (!nsid)
				break;
			list[n++] = nsid;
		}
	} else {
		for (nsid = 1; nsid <= c->nn && n < 1024; nsid++)
			list[n++] = nsid;
	}
	for (i = 0; i < n; i++) {
		struct nsi ni;

		ret = identify_ns(c, list[i], &ni, err, errlen);
		if (ret < 0)
			return ret;
		if (ret)
			continue;
		if (c->nns == NVME_MAX_NS) {
			seterr(err, errlen, "more than %u active namespaces", NVME_MAX_NS);
			return -E2BIG;
		}
		c->nsi[c->nns++] = ni;
	}
	return 0;
}

int nvme_namespaces(struct nvme_ctrl *c, struct nvme_ns *ns, size_t max, size_t *n, char *err,
		    size_t errlen)
{
	size_t i;
	int ret;

	*n = 0;
	ret = scan_ns(c, err, errlen);
	if (ret)
		return ret;
	if (c->nns > max) {
		seterr(err, errlen, "%zu active namespaces, room for %zu", c->nns, max);
		return -E2BIG;
	}
	for (i = 0; i < c->nns; i++)
		ns[i] = c->nsi[i].ns;
	*n = c->nns;
	return 0;
}

static struct nsi *find_ns(struct nvme_ctrl *c, uint32_t nsid, char *err, size_t errlen)
{
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->nns; i++)
			if (c->nsi[i].ns.nsid == nsid)
				return &c->nsi[i];
		if (pass || scan_ns(c, err, errlen))
			break;
	}
	if (!pass)
		return NULL;	/* the scan failed, err says why */
	seterr(err, errlen, "namespace %u is not active", nsid);
	return NULL;
}

/*
 * PRP1 and PRP2 for len bytes of c->buf (page aligned): PRP2 is the second
 * page when the data spans two pages, a PRP list of the pages after the
 * first when it spans more.
 */
static void set_prps(struct nvme_ctrl *c, uint32_t cmd[16], size_t len)
{
	size_t pages = (len + PAGE - 1) / PAGE, i;
	uint64_t prp2 = 0, *list = c->prp.p;

	if (pages == 2) {
		prp2 = c->buf.iova + PAGE;
	} else if (pages > 2) {
		for (i = 1; i < pages; i++)
			list[i - 1] = htole64(c->buf.iova + i * PAGE);
		prp2 = c->prp.iova;
	}
	cmd[6] = (uint32_t)c->buf.iova;
	cmd[7] = (uint32_t)(c->buf.iova >> 32);
	cmd[8] = (uint32_t)prp2;
	cmd[9] = (uint32_t)(prp2 >> 32);
}

int nvme_rw(struct nvme_ctrl *c, uint32_t nsid, uint64_t slba, uint32_t nlb, void *buf,
	    bool write, char *err, size_t errlen)
{
	struct nsi *ni = find_ns(c, nsid, err, errlen);
	uint32_t cmd[16], bs, per, n, b;
	uint8_t *p = buf;
	char what[96];
	size_t msz;
	int ret;

	if (!ni)
		return -ENOENT;
	if (slba > ni->ns.nsze || nlb > ni->ns.nsze - slba) {
		seterr(err, errlen, "namespace %u: LBA %" PRIu64 " + %u blocks is beyond NSZE %"
		       PRIu64, nsid, slba, nlb, ni->ns.nsze);
		return -ERANGE;
	}
	/* with extended LBAs (FLBAS bit 4) each block's metadata follows its data */
	bs = ni->ns.lba_size + (ni->ext ? ni->ms : 0);
	per = c->max_xfer / bs;
	if (!per) {
		seterr(err, errlen, "namespace %u: a %u-byte block exceeds MDTS (%u bytes)", nsid,
		       bs, c->max_xfer);
		return -EOPNOTSUPP;
	}
	if (per > WZ_MAX_BLOCKS)
		per = WZ_MAX_BLOCKS;
	/* separate metadata (FLBAS bit 4 clear) goes to MPTR, a contiguous buffer */
	msz = ni->ms && !ni->ext ? (size_t)per * ni->ms : 0;
	if (msz > c->meta.size) {
		dma_put(c, &c->meta);
		if (dma_get(c, &c->meta, (msz + PAGE - 1) & ~(size_t)(PAGE - 1))) {
			seterr(err, errlen, "cannot allocate DMA memory for metadata");
			return -ENOMEM;
		}
	}
	while (nlb) {
		n = nlb < per ? nlb : per;
		if (write) {
			if (ni->ext) {
				memset(c->buf.p, 0, (size_t)n * bs);
				for (b = 0; b < n; b++)
					memcpy((uint8_t *)c->buf.p + (size_t)b * bs,
					       p + (size_t)b * ni->ns.lba_size, ni->ns.lba_size);
			} else {
				memcpy(c->buf.p, p, (size_t)n * bs);
			}
			if (msz)
				memset(c->meta.p, 0, msz);
		}
		memset(cmd, 0, sizeof(cmd));
		cmd[0] = write ? OP_WRITE : OP_READ;
		cmd[1] = nsid;
		if (msz) {
			cmd[4] = (uint32_t)c->meta.iova;
			cmd[5] = (uint32_t)(c->meta.iova >> 32);
		}
		set_prps(c, cmd, (size_t)n * bs);
		cmd[10] = (uint32_t)slba;
		cmd[11] = (uint32_t)(slba >> 32);
		cmd[12] = n - 1;	/* NLB, 0's based; PRINFO 0: no protection checks */
		snprintf(what, sizeof(what), "%s (namespace %u, LBA %" PRIu64 ", %u blocks)",
			 write ? "Write" : "Read", nsid, slba, n);
		ret = submit(c, &c->iq, cmd, ADMIN_TIMEOUT_US, NULL, what, err, errlen);
		if (ret)
			return ret > 0 ? -EIO : ret;
		if (!write) {
			if (ni->ext) {
				for (b = 0; b < n; b++)
					memcpy(p + (size_t)b * ni->ns.lba_size,
					       (uint8_t *)c->buf.p + (size_t)b * bs,
					       ni->ns.lba_size);
			} else {
				memcpy(p, c->buf.p, (size_t)n * bs);
			}
		}
		p += (size_t)n * ni->ns.lba_size;
		slba += n;
		nlb -= n;
	}
	return 0;
}

int nvme_write_zeroes(struct nvme_ctrl *c, uint32_t nsid, uint64_t slba, uint64_t nlb, char *err,
		      size_t errlen)
{
	struct nsi *ni;
	uint32_t cmd[16], n;
	char what[96];
	int ret;

	if (!(c->oncs & (1u << 3))) {
		seterr(err, errlen, "Write Zeroes is not supported (ONCS bit 3 clear)");
		return -EOPNOTSUPP;
	}
	ni = find_ns(c, nsid, err, errlen);
	if (!ni)
		return -ENOENT;
	if (slba > ni->ns.nsze || nlb > ni->ns.nsze - slba) {
		seterr(err, errlen, "namespace %u: LBA %" PRIu64 " + %" PRIu64
		       " blocks is beyond NSZE %" PRIu64, nsid, slba, nlb, ni->ns.nsze);
		return -ERANGE;
	}
	while (nlb) {
		n = nlb < WZ_MAX_BLOCKS ? (uint32_t)nlb : WZ_MAX_BLOCKS;
		memset(cmd, 0, sizeof(cmd));
		cmd[0] = OP_WRITE_ZEROES;
		cmd[1] = nsid;
		cmd[10] = (uint32_t)slba;
		cmd[11] = (uint32_t)(slba >> 32);
		/*
		 * NLB 0's based; DEAC (bit 25) 0: the blocks are written, so
		 * they read back as zeroes whatever DLFEAT says of
		 * deallocated ones.
		 */
		cmd[12] = n - 1;
		snprintf(what, sizeof(what), "Write Zeroes (namespace %u, LBA %" PRIu64 ", %u blocks)",
			 nsid, slba, n);
		ret = submit(c, &c->iq, cmd, ADMIN_TIMEOUT_US, NULL, what, err, errlen);
		if (ret)
			return ret > 0 ? -EIO : ret;
		slba += n;
		nlb -= n;
	}
	return 0;
}

/* Erase */

static const char *const erase_names[] = {
	[NVME_ERASE_AUTO] = "auto",
	[NVME_ERASE_SANITIZE_CRYPTO] = "sanitize-crypto",
	[NVME_ERASE_SANITIZE_BLOCK] = "sanitize-block",
	[NVME_ERASE_FORMAT_CRYPTO] = "format-crypto",
	[NVME_ERASE_FORMAT_USER] = "format-user",
	[NVME_ERASE_WRITE_ZEROES] = "write-zeroes",
	[NVME_ERASE_OVERWRITE] = "overwrite",
};

#define N_ERASE ARRAY_SIZE(erase_names)

const char *nvme_erase_name(enum nvme_erase how)
{
	return (unsigned int)how < N_ERASE ? erase_names[how] : "?";
}

int nvme_erase_parse(const char *name, enum nvme_erase *how)
{
	unsigned int i;

	for (i = 0; name && i < N_ERASE; i++) {
		if (!strcmp(name, erase_names[i])) {
			*how = (enum nvme_erase)i;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Why the controller does not offer how, or NULL when it does.  Sanitize:
 * SANICAP.CES (bit 0) crypto erase, SANICAP.BES (bit 1) block erase.
 * Format NVM: OACS bit 1; its cryptographic erase (SES 010b): FNA bit 2.
 * Write Zeroes: ONCS bit 3.  Write is mandatory.
 */
static const char *not_offered(const struct nvme_ctrl *c, enum nvme_erase how)
{
	switch (how) {
	case NVME_ERASE_SANITIZE_CRYPTO:
		return c->sanicap & 1 ? NULL : "SANICAP.CES (bit 0) is clear";
	case NVME_ERASE_SANITIZE_BLOCK:
		return c->sanicap & 2 ? NULL : "SANICAP.BES (bit 1) is clear";
	case NVME_ERASE_FORMAT_CRYPTO:
		if (!(c->oacs & 2))
			return "OACS bit 1 (Format NVM) is clear";
		return c->fna & FNA_CRYPTO ? NULL :
		       "FNA bit 2 (cryptographic erase in Format NVM) is clear";
	case NVME_ERASE_FORMAT_USER:
		return c->oacs & 2 ? NULL : "OACS bit 1 (Format NVM) is clear";
	case NVME_ERASE_WRITE_ZEROES:
		return c->oncs & 8 ? NULL : "ONCS bit 3 (Write Zeroes) is clear";
	case NVME_ERASE_OVERWRITE:
		return NULL;
	default:
		return "no such method";
	}
}

/*
 * Other controllers, and so other users, may share the NVM subsystem: CMIC
 * bit 1 (two or more controllers: a dual-port drive, a multi-controller
 * subsystem) or bit 2 (an SR-IOV Virtual Function, whose PF and other VFs
 * are the host's or other tenants').  Several ports of one controller
 * (bit 0 alone) share nothing; ANA reporting (bit 3) says nothing of it.
 */
static bool shared_subsystem(const struct nvme_ctrl *c)
{
	return c->cmic & (CMIC_MCTRL | CMIC_SRIOV);
}

/* Format NVM reaches every namespace of the NVM subsystem: FNA bit 0 or 1 */
static bool format_reaches_all(const struct nvme_ctrl *c)
{
	return c->fna & (FNA_FMT_ALL | FNA_SES_ALL);
}

/*
 * true when how would erase more than this controller's namespaces on a
 * shared NVM subsystem, with why said in why (unless NULL); whether the
 * controller offers how is not_offered()'s question.  A sanitize operation
 * alters all user data in the NVM subsystem (Sanitize command, 84h; Base
 * Specification 2.0, Sanitize Operations); a Format NVM does when FNA
 * bit 0 or 1 is set.  Neither is the tenant's to run where other
 * controllers may share the subsystem.
 */
static bool held_back(const struct nvme_ctrl *c, enum nvme_erase how, char *why, size_t len)
{
	if (!shared_subsystem(c))
		return false;
	switch (how) {
	case NVME_ERASE_SANITIZE_CRYPTO:
	case NVME_ERASE_SANITIZE_BLOCK:
		if (why)
			snprintf(why, len, "%s would erase the whole NVM subsystem, which CMIC "
				 "says other controllers share (CMIC 0x%02x)",
				 nvme_erase_name(how), c->cmic);
		return true;
	case NVME_ERASE_FORMAT_CRYPTO:
	case NVME_ERASE_FORMAT_USER:
		if (!format_reaches_all(c))
			return false;
		if (why)
			snprintf(why, len, "%s would erase every namespace in the NVM subsystem "
				 "(FNA 0x%02x: %s), which CMIC says other controllers share "
				 "(CMIC 0x%02x)", nvme_erase_name(how), c->fna,
				 (c->fna & FNA_FMT_ALL) && (c->fna & FNA_SES_ALL) ?
				 "bits 0 and 1, a format and a secure erase apply to all" :
				 c->fna & FNA_FMT_ALL ? "bit 0, a format applies to all" :
				 "bit 1, a secure erase applies to all", c->cmic);
		return true;
	default:
		return false;
	}
}

/*
 * What the controller offers; on a shared NVM subsystem what is held back
 * is left out and named after it: "format user; write-zeroes (sanitize
 * held back: shared subsystem, CMIC 0x02)".
 */
static void offered_str(const struct nvme_ctrl *c, char *buf, size_t len)
{
	bool hold_san = (c->sanicap & 7) && shared_subsystem(c);
	bool hold_fmt = (c->oacs & 2) && held_back(c, NVME_ERASE_FORMAT_USER, NULL, 0);
	char fna[16] = "";
	size_t pos = 0;

	buf[0] = '\0';
	if ((c->sanicap & 7) && !hold_san)
		addf(buf, len, &pos, "sanitize %s%s%s%s%s", c->sanicap & 1 ? "crypto" : "",
		     (c->sanicap & 1) && (c->sanicap & 6) ? "," : "",
		     c->sanicap & 2 ? "block" : "", (c->sanicap & 2) && (c->sanicap & 4) ? "," : "",
		     c->sanicap & 4 ? "overwrite" : "");
	if ((c->oacs & 2) && !hold_fmt)
		addf(buf, len, &pos, "format %s", c->fna & FNA_CRYPTO ? "crypto,user" : "user");
	if (c->oncs & 8)
		addf(buf, len, &pos, "write-zeroes");
	if (!pos)
		addf(buf, len, &pos, "write only");
	if (hold_fmt)
		snprintf(fna, sizeof(fna), ", FNA 0x%02x", c->fna);
	if (hold_san || hold_fmt)
		snprintf(buf + pos, len - pos,
			 " (%s%s%s held back: shared subsystem, CMIC 0x%02x%s)",
			 hold_san ? "sanitize" : "", hold_san && hold_fmt ? ", " : "",
			 hold_fmt ? "format" : "", c->cmic, fna);
}

/* Sanitize Status log (LID 81h): SPROG bytes 1:0, SSTAT bytes 3:2 */
static int sanitize_status(struct nvme_ctrl *c, unsigned int *sstat, unsigned int *sprog,
			   char *err, size_t errlen)
{
	int ret = get_log(c, LID_SANITIZE, 512, "Get Log Page (Sanitize Status, LID 81h)",
			  err, errlen);

	if (ret)
		return ret > 0 ? -EIO : ret;
	*sprog = le16_at(c->buf.p);
	*sstat = le16_at((uint8_t *)c->buf.p + 2) & 7;
	return 0;
}

static int run_sanitize(struct nvme_ctrl *c, enum nvme_erase how, unsigned int timeout_s,
			bool failed_before, struct nvme_erase_report *r)
{
	uint32_t cmd[16] = { OP_SANITIZE };
	unsigned int sstat, sprog;
	uint64_t waited = 0;
	char err[200];
	int ret;

	/* SANACT 100b crypto erase, 010b block erase; AUSE 0; NDAS 0: deallocate after */
	cmd[10] = how == NVME_ERASE_SANITIZE_CRYPTO ? 4 : 2;
	ret = admin(c, cmd, NULL, how == NVME_ERASE_SANITIZE_CRYPTO ?
		    "Sanitize (Crypto Erase)" : "Sanitize (Block Erase)", err, sizeof(err));
	if (ret) {
		snprintf(r->why, sizeof(r->why), "%s", err);
		return ret > 0 ? -EIO : ret;
	}
	/*
	 * The sanitize runs in the background; the log says how far (SPROG,
	 * of 65536) and, in SSTAT bits 2:0, how it ended: 001b completed,
	 * 010b in progress, 011b failed, 100b completed without deallocation.
	 */
	for (;;) {
		ret = sanitize_status(c, &sstat, &sprog, err, sizeof(err));
		if (ret) {
			snprintf(r->why, sizeof(r->why), "%s", err);
			return ret;
		}
		if (sstat == 1 || sstat == 4)
			return 0;
		if (sstat == 3) {
			snprintf(r->why, sizeof(r->why), "sanitize failed (Sanitize Status SSTAT "
				 "011b)%s: the controller is in sanitize failure mode",
				 failed_before ? ", as the one before it did" : "");
			return -EIO;
		}
		if (sstat != 2) {
			snprintf(r->why, sizeof(r->why), "the Sanitize Status log says SSTAT %u "
				 "after a Sanitize command completed", sstat);
			return -EPROTO;
		}
		if (waited >= (uint64_t)timeout_s * 1000000) {
			snprintf(r->why, sizeof(r->why), "sanitize still in progress after %u s "
				 "(SPROG %u/65536)", timeout_s, sprog);
			return -ETIMEDOUT;
		}
		c->io.sleep_us(c->io.ctx, SANITIZE_POLL_US);
		waited += SANITIZE_POLL_US;
	}
}

static int run_format(struct nvme_ctrl *c, enum nvme_erase how, unsigned int timeout_s,
		      struct nvme_erase_report *r)
{
	uint32_t cmd[16], ses = how == NVME_ERASE_FORMAT_CRYPTO ? 2 : 1;
	bool all = c->fna & 1;
	char what[64], err[200];
	size_t i;
	int ret;

	for (i = 0; i < c->nns; i++) {
		const struct nsi *ni = &c->nsi[i];
		uint32_t f = ni->ns.flbas;

		/*
		 * The namespace's current format, kept: LBAF 3:0 and LBAFU
		 * 13:12 from FLBAS 3:0 and 6:5, MSET 4 from FLBAS bit 4, PI 7:5
		 * and PIL 8 from DPS; SES 11:9 the erase.  FNA bit 0: a format
		 * applies to every namespace, which share one format; one
		 * command to NSID FFFFFFFFh then.
		 */
		memset(cmd, 0, sizeof(cmd));
		cmd[0] = OP_FORMAT;
		cmd[1] = all ? 0xffffffff : ni->ns.nsid;
		cmd[10] = (f & 0xf) | (f & 0x10) | (uint32_t)(ni->dps & 7) << 5 |
			  (uint32_t)((ni->dps >> 3) & 1) << 8 | ses << 9 |
			  ((f >> 5) & 3) << 12;
		if (all)
			snprintf(what, sizeof(what), "Format NVM (all namespaces, SES %u)", ses);
		else
			snprintf(what, sizeof(what), "Format NVM (namespace %u, SES %u)",
				 ni->ns.nsid, ses);
		ret = submit(c, &c->aq, cmd, (uint64_t)timeout_s * 1000000, NULL, what, err,
			     sizeof(err));
		if (ret) {
			snprintf(r->why, sizeof(r->why), "%s", err);
			return ret > 0 ? -EIO : ret;
		}
		if (all)
			break;
	}
	return 0;
}

static int run_writes(struct nvme_ctrl *c, enum nvme_erase how, struct nvme_erase_report *r)
{
	struct nsi ns[NVME_MAX_NS];
	size_t nns = c->nns, i;
	uint64_t lba, n, per;
	char err[200];
	void *zero;
	int ret = 0;

	memcpy(ns, c->nsi, nns * sizeof(ns[0]));
	zero = calloc(1, MAX_XFER);
	if (!zero) {
		snprintf(r->why, sizeof(r->why), "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < nns && !ret; i++) {
		if (how == NVME_ERASE_WRITE_ZEROES) {
			ret = nvme_write_zeroes(c, ns[i].ns.nsid, 0, ns[i].ns.nsze, err,
						sizeof(err));
			continue;
		}
		per = MAX_XFER / ns[i].ns.lba_size;
		for (lba = 0; lba < ns[i].ns.nsze && !ret; lba += n) {
			n = ns[i].ns.nsze - lba < per ? ns[i].ns.nsze - lba : per;
			ret = nvme_rw(c, ns[i].ns.nsid, lba, (uint32_t)n, zero, true, err,
				      sizeof(err));
		}
	}
	free(zero);
	if (ret)
		snprintf(r->why, sizeof(r->why), "%s", err);
	return ret;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The LBAs to read back of a namespace of nsze blocks: the first, the last
 * and one in each of 62 equal stretches between them, placed in its
 * stretch by a hash of the NSID and the stretch (the same every time).
 */
static size_t sample_lbas(uint32_t nsid, uint64_t nsze, uint64_t *lba)
{
	uint64_t span, lo, hi, k;
	size_t n = 0, i, out;

	lba[n++] = 0;
	if (nsze > 1)
		lba[n++] = nsze - 1;
	span = nsze > 2 ? nsze - 2 : 0;
	for (k = 0; span && k < NS_SAMPLES - 2; k++) {
		lo = 1 + k * span / (NS_SAMPLES - 2);
		hi = 1 + (k + 1) * span / (NS_SAMPLES - 2);
		if (hi > lo)
			lba[n++] = lo + mix64((uint64_t)nsid << 32 | k) % (hi - lo);
	}
	qsort(lba, n, sizeof(lba[0]), cmp_u64);
	for (i = 1, out = 1; i < n; i++)
		if (lba[i] != lba[out - 1])
			lba[out++] = lba[i];
	return out;
}

/* The byte every byte of the block is, or -1 */
static int uniform(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (p[i] != p[0])
			return -1;
	return p[0];
}

int nvme_erase(struct nvme_ctrl *c, enum nvme_erase how, unsigned int timeout_s,
	       struct nvme_erase_report *r)
{
	uint64_t lbas[NVME_MAX_NS][NS_SAMPLES];
	struct nsi before[NVME_MAX_NS];
	size_t nsamp[NVME_MAX_NS], nns, i, k, j;
	unsigned int sstat = 0, sprog = 0, e;
	uint64_t zeroes = 0, ffs = 0;
	bool failed_before = false, erased_by_dealloc;
	const char *why;
	char err[200];
	uint8_t *blk = NULL;
	int ret, v;

	memset(r, 0, sizeof(*r));
	r->method = how;
	offered_str(c, r->offered, sizeof(r->offered));
	if (!timeout_s)
		timeout_s = NVME_ERASE_TIMEOUT_DEFAULT;
	if (how == NVME_ERASE_AUTO) {
		/* overwrite is always offered and never held back */
		for (e = NVME_ERASE_SANITIZE_CRYPTO; e <= NVME_ERASE_OVERWRITE; e++)
			if (!not_offered(c, (enum nvme_erase)e) &&
			    !held_back(c, (enum nvme_erase)e, NULL, 0))
				break;
		how = (enum nvme_erase)e;
		r->method = how;
	}
	why = not_offered(c, how);
	if (why) {
		snprintf(r->why, sizeof(r->why), "%s is not offered by the controller: %s",
			 nvme_erase_name(how), why);
		return (unsigned int)how < N_ERASE ? -EOPNOTSUPP : -EINVAL;
	}
	if (held_back(c, how, r->why, sizeof(r->why)))
		return -EOPNOTSUPP;

	/*
	 * A sanitize in progress (a tenant's) makes the controller abort
	 * media access and another Sanitize; a failed one leaves it in
	 * sanitize failure mode, which only a sanitize that completes (or
	 * Exit Failure Mode) leaves.
	 */
	if (c->sanicap & 7) {
		ret = sanitize_status(c, &sstat, &sprog, err, sizeof(err));
		if (ret && (how == NVME_ERASE_SANITIZE_CRYPTO || how == NVME_ERASE_SANITIZE_BLOCK)) {
			snprintf(r->why, sizeof(r->why), "%s", err);
			return ret;
		}
		if (!ret && sstat == 2) {
			snprintf(r->why, sizeof(r->why), "a sanitize is already in progress "
				 "(Sanitize Status SSTAT 010b, SPROG %u/65536)", sprog);
			return -EBUSY;
		}
		if (!ret && sstat == 3) {
			failed_before = true;
			if (how != NVME_ERASE_SANITIZE_CRYPTO && how != NVME_ERASE_SANITIZE_BLOCK) {
				snprintf(r->why, sizeof(r->why), "the most recent sanitize failed "
					 "(SSTAT 011b): the controller is in sanitize failure mode, "
					 "which only a sanitize leaves");
				return -EIO;
			}
		}
	}

	ret = scan_ns(c, err, sizeof(err));
	if (ret) {
		snprintf(r->why, sizeof(r->why), "%s", err);
		return ret;
	}
	nns = c->nns;
	memcpy(before, c->nsi, nns * sizeof(before[0]));
	/*
	 * A namespace other controllers may have attached too (NMIC bit 0)
	 * may hold another user's data, whichever method would erase it:
	 * refused before any namespace is read or written.
	 */
	for (i = 0; i < nns; i++) {
		if (before[i].ns.nmic & NMIC_SHARED) {
			snprintf(r->why, sizeof(r->why), "namespace %u may be attached to other "
				 "controllers (NMIC 0x%02x, bit 0): erasing it could destroy data "
				 "another controller's user has", before[i].ns.nsid,
				 before[i].ns.nmic);
			return -EPERM;
		}
	}
	if (!nns && how != NVME_ERASE_SANITIZE_CRYPTO && how != NVME_ERASE_SANITIZE_BLOCK) {
		snprintf(r->why, sizeof(r->why), "no active namespaces for %s to erase",
			 nvme_erase_name(how));
		return -ENOENT;
	}
	blk = malloc(1u << 16);
	if (!blk) {
		snprintf(r->why, sizeof(r->why), "out of memory");
		return -ENOMEM;
	}

	/* before: how many sampled blocks held something (unreadable ones count) */
	for (i = 0; i < nns; i++) {
		nsamp[i] = sample_lbas(before[i].ns.nsid, before[i].ns.nsze, lbas[i]);
		for (k = 0; k < nsamp[i]; k++) {
			r->sampled++;
			if (nvme_rw(c, before[i].ns.nsid, lbas[i][k], 1, blk, false, err,
				    sizeof(err))) {
				r->held_data++;
				continue;
			}
			v = uniform(blk, before[i].ns.lba_size);
			if (v != 0 && v != 0xff)
				r->held_data++;
		}
	}
	r->namespaces = (unsigned int)nns;

	switch (how) {
	case NVME_ERASE_SANITIZE_CRYPTO:
	case NVME_ERASE_SANITIZE_BLOCK:
		ret = run_sanitize(c, how, timeout_s, failed_before, r);
		break;
	case NVME_ERASE_FORMAT_CRYPTO:
	case NVME_ERASE_FORMAT_USER:
		ret = run_format(c, how, timeout_s, r);
		break;
	default:
		ret = run_writes(c, how, r);
		break;
	}
	if (ret)
		goto out;

	/* the same namespaces, the same formats, or the samples mean nothing */
	ret = scan_ns(c, err, sizeof(err));
	if (ret) {
		snprintf(r->why, sizeof(r->why), "after the erase: %s", err);
		goto out;
	}
	for (i = 0; i < nns; i++) {
		for (j = 0; j < c->nns; j++)
			if (c->nsi[j].ns.nsid == before[i].ns.nsid)
				break;
		if (j == c->nns || c->nsi[j].ns.nsze != before[i].ns.nsze ||
		    c->nsi[j].ns.lba_size != before[i].ns.lba_size) {
			snprintf(r->why, sizeof(r->why), "namespace %u %s by the erase",
				 before[i].ns.nsid, j == c->nns ? "disappeared" : "changed");
			ret = -EPROTO;
			goto out;
		}
	}

	/*
	 * after: every sampled block uniform.  0x00, or 0xFF where DLFEAT
	 * bits 2:0 say deallocated blocks read 0xFF (010b); after a sanitize
	 * or format, which deallocate, also where DLFEAT does not say (000b).
	 * Write Zeroes (DEAC 0) and Write of zeroes leave zeroes only.
	 */
	erased_by_dealloc = how != NVME_ERASE_WRITE_ZEROES && how != NVME_ERASE_OVERWRITE;
	for (i = 0; i < nns; i++) {
		unsigned int rd = before[i].ns.dlfeat & 7;
		bool ff_ok = erased_by_dealloc && (rd == 2 || rd == 0);

		for (k = 0; k < nsamp[i]; k++) {
			ret = nvme_rw(c, before[i].ns.nsid, lbas[i][k], 1, blk, false, err,
				      sizeof(err));
			if (ret) {
				snprintf(r->why, sizeof(r->why), "verification: %s", err);
				goto out;
			}
			v = uniform(blk, before[i].ns.lba_size);
			if (v == 0) {
				zeroes++;
			} else if (v == 0xff && ff_ok) {
				ffs++;
			} else {
				if (v == 0xff)
					snprintf(r->why, sizeof(r->why), "verification failed: "
						 "namespace %u LBA %" PRIu64 " reads as 0xFF, "
						 "which DLFEAT 0x%02x does not allow after %s",
						 before[i].ns.nsid, lbas[i][k], before[i].ns.dlfeat,
						 nvme_erase_name(how));
				else
					snprintf(r->why, sizeof(r->why), "verification failed: "
						 "namespace %u LBA %" PRIu64 " is not blank after "
						 "%s (byte 0 is 0x%02x)", before[i].ns.nsid,
						 lbas[i][k], nvme_erase_name(how), blk[0]);
				ret = -EIO;
				goto out;
			}
		}
	}
	snprintf(r->verified, sizeof(r->verified),
		 "%zu namespace%s, %" PRIu64 " sampled blocks (%" PRIu64 " held data) read back as %s",
		 nns, nns == 1 ? "" : "s", r->sampled, r->held_data,
		 !nns ? "nothing: no active namespaces" : !ffs ? "zeroes" :
		 !zeroes ? "0xFF" : "zeroes or 0xFF");
	ret = 0;
out:
	free(blk);
	return ret;
}

/* Baseline */

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* TCG Level 0 feature codes that name the Security Subsystem Class */
static const struct {
	uint16_t code;
	const char *name;
} tcg_sscs[] = {
	{ 0x0100, "Enterprise" }, { 0x0200, "Opal 1" }, { 0x0203, "Opal 2" },
	{ 0x0301, "Opalite" }, { 0x0302, "Pyrite 1" }, { 0x0303, "Pyrite 2" },
	{ 0x0304, "Ruby" },
};

/*
 * The security state: the protocols Security Receive lists and, for TCG,
 * Level 0 Discovery's SSC and Locking feature (a tenant's ownership of an
 * Opal drive: locking enabled, ranges locked, the MBR shadowed).
 */
static int take_security(struct nvme_ctrl *c, struct nvme_baseline *b, char *err, size_t errlen)
{
	const uint8_t *d = c->buf.p;
	uint32_t total, off, n, i;
	bool tcg = false;
	int ret;

	b->sec_known = true;
	b->locking = -1;
	b->sec = c->oacs & 1;
	if (!b->sec)
		return 0;
	ret = security_recv(c, SECP_INFO, 0, 512,
			    "Security Receive (Supported Security Protocols List)", err, errlen);
	if (ret)
		return ret > 0 ? -EIO : ret;
	n = be16_at(d + 6);
	for (i = 0; i < n && 8 + i < 512; i++) {
		if (b->nprotos == NVME_SEC_PROTOS) {
			seterr(err, errlen, "more than %u security protocols", NVME_SEC_PROTOS);
			return -E2BIG;
		}
		b->protos[b->nprotos++] = d[8 + i];
		tcg |= d[8 + i] == SECP_TCG;
	}
	if (!tcg)
		return 0;
	ret = security_recv(c, SECP_TCG, TCG_LEVEL0, TCG_LEVEL0_LEN,
			    "Security Receive (TCG Level 0 Discovery)", err, errlen);
	if (ret)
		return ret > 0 ? -EIO : ret;
	/* the header: the length of what follows its first 4 bytes, then 44 more */
	total = be32_at(d);
	total = total > TCG_LEVEL0_LEN - 4 ? TCG_LEVEL0_LEN : total + 4;
	for (off = 48; off + 4 <= total; off += 4u + d[off + 3]) {
		uint16_t code = be16_at(d + off);

		if (off + 4u + d[off + 3] > total)
			break;
		if (code == TCG_FC_LOCKING && d[off + 3])
			b->locking = d[off + 4];
		for (i = 0; i < ARRAY_SIZE(tcg_sscs) && !b->ssc; i++)
			if (code == tcg_sscs[i].code)
				b->ssc = code;
	}
	return 0;
}

int nvme_baseline_take(struct nvme_ctrl *c, struct nvme_baseline *b, char *err, size_t errlen)
{
	const uint8_t *log = c->buf.p;
	unsigned int slots, i;
	int ret;

	memset(b, 0, sizeof(*b));
	ret = identify_ctrl(c, err, errlen);
	if (ret)
		return ret > 0 ? -EIO : ret;
	memcpy(b->sn, c->sn, sizeof(b->sn));
	memcpy(b->mn, c->mn, sizeof(b->mn));
	memcpy(b->fr, c->fr, sizeof(b->fr));
	b->nn = c->nn;
	/* Firmware Slot Information (LID 03h): AFI byte 0, FRS1..FRS7 at bytes 8..63 */
	ret = get_log(c, LID_FW_SLOT, 512, "Get Log Page (Firmware Slot Information, LID 03h)",
		      err, errlen);
	if (ret)
		return ret > 0 ? -EIO : ret;
	b->afi = log[0] & 0x77;
	/* FRMW bits 3:1: how many slots; the rest are not there */
	slots = (c->frmw >> 1) & 7;
	for (i = 0; i < slots; i++)
		trim_copy(b->frs[i], log + 8 + 8 * i, 8);
	ret = scan_ns(c, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < c->nns; i++) {
		b->ns[i].nsid = c->nsi[i].ns.nsid;
		b->ns[i].nsze = c->nsi[i].ns.nsze;
		b->ns[i].ncap = c->nsi[i].ns.ncap;
		b->ns[i].flbas = c->nsi[i].ns.flbas;
		b->ns[i].lba_size = c->nsi[i].ns.lba_size;
	}
	b->nns = (unsigned int)c->nns;
	return take_security(c, b, err, errlen);
}

static const char *or_none(const char *s)
{
	return *s ? s : "(none)";
}

static void protos_str(const struct nvme_baseline *b, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int i;
	int n;

	buf[0] = '\0';
	if (!b->sec)
		snprintf(buf, len, "none (OACS bit 0 clear)");
	for (i = 0; i < b->nprotos && pos < len; i++) {
		n = snprintf(buf + pos, len - pos, "%s%02x", i ? "," : "", b->protos[i]);
		pos += n > 0 ? (size_t)n : 0;
	}
}

static void ssc_str(uint16_t code, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tcg_sscs); i++)
		if (tcg_sscs[i].code == code) {
			snprintf(buf, len, "%s", tcg_sscs[i].name);
			return;
		}
	snprintf(buf, len, code ? "0x%04x" : "none", code);
}

static const char *const locking_bits[] = {
	"locking supported", "locking enabled", "locked", "media encryption",
	"MBR shadowing enabled",
};

static void afi_slot(unsigned int s, char *buf, size_t len)
{
	if (s)
		snprintf(buf, len, "%u", s);
	else
		snprintf(buf, len, "none");
}

int nvme_baseline_compare(const struct nvme_baseline *before, const struct nvme_baseline *now,
			  char *why, size_t len)
{
	char a[8], b[8], tmp[1];
	size_t pos = 0;
	unsigned int i, j, diffs = 0;

	if (!why || !len) {
		why = tmp;
		len = sizeof(tmp);
	}
	why[0] = '\0';
#define DIFF(...) do { addf(why, len, &pos, __VA_ARGS__); diffs++; } while (0)
	if (strcmp(before->sn, now->sn))
		DIFF("SN %s -> %s", or_none(before->sn), or_none(now->sn));
	if (strcmp(before->mn, now->mn))
		DIFF("MN %s -> %s", or_none(before->mn), or_none(now->mn));
	if (strcmp(before->fr, now->fr))
		DIFF("firmware FR %s -> %s", or_none(before->fr), or_none(now->fr));
	if ((before->afi & 7) != (now->afi & 7)) {
		afi_slot(before->afi & 7, a, sizeof(a));
		afi_slot(now->afi & 7, b, sizeof(b));
		DIFF("firmware active slot (AFI) %s -> %s", a, b);
	}
	if ((before->afi >> 4 & 7) != (now->afi >> 4 & 7)) {
		afi_slot(before->afi >> 4 & 7, a, sizeof(a));
		afi_slot(now->afi >> 4 & 7, b, sizeof(b));
		DIFF("firmware slot activated at the next reset (AFI) %s -> %s", a, b);
	}
	for (i = 0; i < NVME_FW_SLOTS; i++)
		if (strcmp(before->frs[i], now->frs[i]))
			DIFF("firmware slot %u %s -> %s", i + 1, or_none(before->frs[i]),
			     or_none(now->frs[i]));
	if (before->nn != now->nn)
		DIFF("NN %u -> %u", before->nn, now->nn);
	for (i = 0; i < before->nns; i++) {
		for (j = 0; j < now->nns; j++)
			if (now->ns[j].nsid == before->ns[i].nsid)
				break;
		if (j == now->nns) {
			DIFF("namespace %u disappeared", before->ns[i].nsid);
			continue;
		}
		if (before->ns[i].nsze != now->ns[j].nsze)
			DIFF("namespace %u NSZE %" PRIu64 " -> %" PRIu64, now->ns[j].nsid,
			     before->ns[i].nsze, now->ns[j].nsze);
		if (before->ns[i].ncap != now->ns[j].ncap)
			DIFF("namespace %u NCAP %" PRIu64 " -> %" PRIu64, now->ns[j].nsid,
			     before->ns[i].ncap, now->ns[j].ncap);
		if (before->ns[i].flbas != now->ns[j].flbas)
			DIFF("namespace %u FLBAS 0x%02x -> 0x%02x", now->ns[j].nsid,
			     before->ns[i].flbas, now->ns[j].flbas);
		if (before->ns[i].lba_size != now->ns[j].lba_size)
			DIFF("namespace %u LBA size %u -> %u", now->ns[j].nsid,
			     before->ns[i].lba_size, now->ns[j].lba_size);
	}
	for (j = 0; j < now->nns; j++) {
		for (i = 0; i < before->nns; i++)
			if (before->ns[i].nsid == now->ns[j].nsid)
				break;
		if (i == before->nns)
			DIFF("namespace %u appeared (NSZE %" PRIu64 ", LBA size %u)",
			     now->ns[j].nsid, now->ns[j].nsze, now->ns[j].lba_size);
	}
	/* a baseline kept before it held the security state: nothing to compare */
	if (before->sec_known && now->sec_known) {
		char p[80], q[80];

		if (before->sec != now->sec || before->nprotos != now->nprotos ||
		    memcmp(before->protos, now->protos, before->nprotos)) {
			protos_str(before, p, sizeof(p));
			protos_str(now, q, sizeof(q));
			DIFF("security protocols %s -> %s", p, q);
		}
		if (before->ssc != now->ssc) {
			ssc_str(before->ssc, p, sizeof(p));
			ssc_str(now->ssc, q, sizeof(q));
			DIFF("TCG SSC %s -> %s", p, q);
		}
		if ((before->locking < 0) != (now->locking < 0)) {
			DIFF("TCG Locking feature %s", before->locking < 0 ? "appeared" :
			     "disappeared");
		} else if (before->locking >= 0) {
			for (i = 0; i < ARRAY_SIZE(locking_bits); i++)
				if ((before->locking ^ now->locking) & 1 << i)
					DIFF("TCG %s %s -> %s", locking_bits[i],
					     before->locking & 1 << i ? "yes" : "no",
					     now->locking & 1 << i ? "yes" : "no");
		}
	}
#undef DIFF
	return diffs ? 1 : 0;
}

/*
 * The text form: "nvme-baseline/1 sn=S mn=M fr=F afi=XX fw=S1,...,S7 nn=N
 * ns=NSID:NSZE:NCAP:FLBAS:LBASIZE,... sec=SEC".  Strings keep letters,
 * digits and ".-_+/"; any other byte is %XX.  SEC is "none" (OACS bit 0
 * clear) or the security protocols in hex joined by "+", "/", the TCG
 * SSC's feature code (4 hex digits, 0000 for none), "/", the Locking
 * feature's byte 4 (2 hex digits, "--" for none).  A baseline without
 * sec= (kept before it held the security state) is compared without it.
 */
#define BASELINE_MAGIC "nvme-baseline/1"

static bool plain(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr(".-_+/", ch));
}

static void put_esc(char *buf, size_t len, size_t *pos, const char *s)
{
	for (; *s; s++) {
		if (plain(*s)) {
			if (*pos + 1 < len)
				buf[*pos] = *s;
			(*pos)++;
		} else {
			if (*pos + 3 < len)
				snprintf(buf + *pos, 4, "%%%02X", (unsigned char)*s);
			*pos += 3;
		}
	}
}

__attribute__((format(printf, 4, 5)))
static void put_f(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*pos < len ? buf + *pos : NULL, *pos < len ? len - *pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n;
}

int nvme_baseline_format(const struct nvme_baseline *b, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int i;

	if (b->nns > NVME_MAX_NS)
		return -EINVAL;
	if (len)
		buf[0] = '\0';
	put_f(buf, len, &pos, BASELINE_MAGIC " sn=");
	put_esc(buf, len, &pos, b->sn);
	put_f(buf, len, &pos, " mn=");
	put_esc(buf, len, &pos, b->mn);
	put_f(buf, len, &pos, " fr=");
	put_esc(buf, len, &pos, b->fr);
	put_f(buf, len, &pos, " afi=%02x fw=", b->afi);
	for (i = 0; i < NVME_FW_SLOTS; i++) {
		if (i)
			put_f(buf, len, &pos, ",");
		put_esc(buf, len, &pos, b->frs[i]);
	}
	put_f(buf, len, &pos, " nn=%u ns=", b->nn);
	for (i = 0; i < b->nns; i++)
		put_f(buf, len, &pos, "%s%u:%" PRIu64 ":%" PRIu64 ":%02x:%u", i ? "," : "",
		      b->ns[i].nsid, b->ns[i].nsze, b->ns[i].ncap, b->ns[i].flbas,
		      b->ns[i].lba_size);
	if (b->sec_known && !b->sec) {
		put_f(buf, len, &pos, " sec=none");
	} else if (b->sec_known) {
		put_f(buf, len, &pos, " sec=");
		for (i = 0; i < b->nprotos; i++)
			put_f(buf, len, &pos, "%s%02x", i ? "+" : "", b->protos[i]);
		put_f(buf, len, &pos, "/%04x/", b->ssc);
		if (b->locking < 0)
			put_f(buf, len, &pos, "--");
		else
			put_f(buf, len, &pos, "%02x", (unsigned int)b->locking);
	}
	if (len)
		buf[pos < len ? pos : len - 1] = '\0';
	return pos > INT32_MAX ? -EOVERFLOW : (int)pos;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Unescape s[0..n) into dst of size dstlen; false on a bad escape or overflow */
static bool get_esc(const char *s, size_t n, char *dst, size_t dstlen)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (o + 1 >= dstlen)
			return false;
		if (s[i] == '%') {
			if (i + 2 >= n)
				return false;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || !(hi | lo))
				return false;
			dst[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (plain(s[i])) {
			dst[o++] = s[i];
		} else {
			return false;
		}
	}
	dst[o] = '\0';
	return true;
}

/* A whole unsigned decimal (or hex with base 16) number of at most max */
static bool get_num(const char *s, size_t n, int base, uint64_t max, uint64_t *v)
{
	char tmp[24], *end;

	if (!n || n >= sizeof(tmp) || !strchr("0123456789abcdefABCDEF", s[0]))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	*v = strtoull(tmp, &end, base);
	return !errno && !*end && *v <= max;
}

static bool parse_ns(const char *s, size_t n, struct nvme_baseline *b)
{
	const char *end = s + n, *p = s, *q;
	uint64_t f[5];
	const uint64_t max[5] = { UINT32_MAX, UINT64_MAX, UINT64_MAX, 0xff, 1u << 16 };
	unsigned int k;

	if (!n)
		return true;
	for (;;) {
		if (b->nns == NVME_MAX_NS)
			return false;
		for (k = 0; k < 5; k++) {
			for (q = p; q < end && *q != ':' && *q != ','; q++)
				;
			if (!get_num(p, (size_t)(q - p), k == 3 ? 16 : 10, max[k], &f[k]))
				return false;
			if (k < 4 && (q == end || *q != ':'))
				return false;
			p = q + 1;
		}
		if (!f[0] || !f[4])
			return false;
		b->ns[b->nns].nsid = (uint32_t)f[0];
		b->ns[b->nns].nsze = f[1];
		b->ns[b->nns].ncap = f[2];
		b->ns[b->nns].flbas = (uint8_t)f[3];
		b->ns[b->nns].lba_size = (uint32_t)f[4];
		b->nns++;
		if (q == end)
			return true;
		if (*q != ',')
			return false;
	}
}

/* sec=: "none", or PROTO+PROTO.../SSC/LOCKING */
static bool parse_sec(const char *s, size_t n, struct nvme_baseline *b)
{
	const char *end = s + n, *p = s, *q;
	uint64_t v;

	b->sec_known = true;
	b->locking = -1;
	if (n == 4 && !strncmp(s, "none", 4))
		return true;
	b->sec = true;
	q = memchr(s, '/', n);
	if (!q)
		return false;
	while (p < q) {
		const char *e = p;

		while (e < q && *e != '+')
			e++;
		if (e - p != 2 || !get_num(p, 2, 16, 0xff, &v) || b->nprotos == NVME_SEC_PROTOS)
			return false;
		b->protos[b->nprotos++] = (uint8_t)v;
		if (e == q)
			break;
		p = e + 1;
		if (p == q)
			return false;
	}
	p = q + 1;
	if (end - p != 7 || p[4] != '/' || !get_num(p, 4, 16, 0xffff, &v))
		return false;
	b->ssc = (uint16_t)v;
	p += 5;
	if (!strncmp(p, "--", 2))
		return true;
	if (!get_num(p, 2, 16, 0xff, &v))
		return false;
	b->locking = (int16_t)v;
	return true;
}

int nvme_baseline_parse(const char *text, struct nvme_baseline *b, char *err, size_t errlen)
{
	static const char *const keys[] = { "sn", "mn", "fr", "afi", "fw", "nn", "ns", "sec" };
	const char *p = text, *tok, *eq, *v, *q;
	unsigned int seen = 0, k, i;
	size_t n, vn;
	uint64_t num;
	bool good;

	memset(b, 0, sizeof(*b));
	n = strcspn(p, " ");
	if (n != strlen(BASELINE_MAGIC) || strncmp(p, BASELINE_MAGIC, n)) {
		seterr(err, errlen, "not an NVMe baseline: '%.*s' is not '" BASELINE_MAGIC "'",
		       (int)(n > 40 ? 40 : n), p);
		return -EINVAL;
	}
	p += n;
	while (*p) {
		if (*p++ != ' ' || !*p || *p == ' ') {
			seterr(err, errlen, "bad spacing at '%.20s'", p - 1);
			return -EINVAL;
		}
		tok = p;
		n = strcspn(p, " ");
		p += n;
		eq = memchr(tok, '=', n);
		for (k = 0; eq && k < ARRAY_SIZE(keys); k++)
			if ((size_t)(eq - tok) == strlen(keys[k]) &&
			    !strncmp(tok, keys[k], (size_t)(eq - tok)))
				break;
		if (!eq || k == ARRAY_SIZE(keys) || (seen & 1u << k)) {
			seterr(err, errlen, "%s token '%.*s'", eq && k < ARRAY_SIZE(keys) ? "repeated" : "unknown",
			       (int)(n > 60 ? 60 : n), tok);
			return -EINVAL;
		}
		seen |= 1u << k;
		v = eq + 1;
		vn = n - (size_t)(v - tok);
		switch (k) {
		case 0:
			good = get_esc(v, vn, b->sn, sizeof(b->sn));
			break;
		case 1:
			good = get_esc(v, vn, b->mn, sizeof(b->mn));
			break;
		case 2:
			good = get_esc(v, vn, b->fr, sizeof(b->fr));
			break;
		case 3:
			good = vn == 2 && get_num(v, vn, 16, 0x77, &num) && !(num & 0x88);
			b->afi = (uint8_t)num;
			break;
		case 4:
			good = true;
			for (i = 0; i < NVME_FW_SLOTS && good; i++) {
				for (q = v; q < tok + n && *q != ','; q++)
					;
				good = get_esc(v, (size_t)(q - v), b->frs[i], sizeof(b->frs[i])) &&
				       (i == NVME_FW_SLOTS - 1 ? q == tok + n : q < tok + n);
				v = q + 1;
			}
			break;
		case 5:
			good = get_num(v, vn, 10, UINT32_MAX, &num);
			b->nn = (uint32_t)num;
			break;
		case 6:
			good = parse_ns(v, vn, b);
			break;
		default:
			good = parse_sec(v, vn, b);
			break;
		}
		if (!good) {
			seterr(err, errlen, "bad token '%.*s'", (int)(n > 80 ? 80 : n), tok);
			return -EINVAL;
		}
	}
	/* every key but sec, which older baselines do not have */
	for (k = 0; k < ARRAY_SIZE(keys) - 1; k++) {
		if (!(seen & 1u << k)) {
			seterr(err, errlen, "no %s= token", keys[k]);
			return -EINVAL;
		}
	}
	return 0;
}
