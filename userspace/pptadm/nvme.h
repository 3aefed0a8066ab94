/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal NVMe host driver for erasing a controller's media between
 * tenants: controller reset, the admin queue and one I/O queue pair, all
 * polled (no interrupts), Identify, Format NVM with Secure Erase Settings,
 * Sanitize (with its status log), Write Zeroes or overwrite, read-back
 * verification, and a controller baseline (firmware, namespaces, formats)
 * to compare after a tenant.
 *
 * The driver does not know how it reaches the controller: struct nvme_io
 * gives it BAR0's registers and DMA-able memory.  pptadm's sanitiser gives
 * it a device opened through VFIO (sanitise_vfio.c); the unit tests a fake
 * controller in memory (tests/userspace/test_nvme.c).  A controller another
 * driver runs (the host's nvme driver, before ppt reserves it) is reached
 * through that driver's admin commands, struct nvme_passthru: enough for a
 * baseline, nothing that needs queues of its own.
 */
#ifndef PPTADM_NVME_H
#define PPTADM_NVME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How the driver reaches a controller.  Register offsets are into BAR0
 * (the controller registers, the doorbells at 0x1000 and on).  Memory from
 * dma_alloc is zeroed, aligned to 4096 bytes, and the controller sees it
 * at *iova.  sleep_us waits (a fake controller advances its clock).
 */
struct nvme_io {
	void *ctx;
	uint32_t (*rd32)(void *ctx, uint32_t off);
	void (*wr32)(void *ctx, uint32_t off, uint32_t val);
	void *(*dma_alloc)(void *ctx, size_t size, uint64_t *iova);
	void (*dma_free)(void *ctx, void *p, size_t size);
	void (*sleep_us)(void *ctx, unsigned int us);
};

/* An open controller: its queues, its Identify data, its DMA buffers. */
struct nvme_ctrl;

/*
 * A controller another driver runs: admin(ctx, cmd, data, len, dw0) has it
 * run the admin command cmd (16 dwords in host order; the driver fills in
 * CID and the data pointers), the controller filling len bytes of data.
 * Returns 0 with the completion's DW0 in *dw0, the NVMe status (SCT << 8 |
 * SC, > 0), or a negative errno.
 */
struct nvme_passthru {
	void *ctx;
	int (*admin)(void *ctx, const uint32_t cmd[16], void *data, uint32_t len, uint32_t *dw0);
};

/*
 * Open a controller another driver runs, without resetting it: Identify
 * Controller only.  Such a controller gives a baseline (nvme_baseline_take)
 * and its Identify strings; anything that needs I/O queues or a reset
 * fails with -EOPNOTSUPP.  0 with *out set, or a negative errno with err.
 */
int nvme_open_passthru(const struct nvme_passthru *pt, struct nvme_ctrl **out, char *err,
		       size_t errlen);

/*
 * Reset the controller and bring it up, polled: CC.EN=0 and CSTS.RDY=0, the
 * admin queue, CC.EN=1 and CSTS.RDY=1, Identify Controller, one I/O queue
 * pair.  Returns 0 with *out set, or a negative errno with what failed in
 * err (the register, the command and its NVMe status); nothing stays
 * allocated on failure.
 */
int nvme_open(const struct nvme_io *io, struct nvme_ctrl **out, char *err, size_t errlen);

/*
 * Delete the I/O queues, shut down normally (CC.SHN), disable the
 * controller and free every DMA buffer.  Safe on a controller any call has
 * failed on, and with NULL.
 */
void nvme_close(struct nvme_ctrl *c);

/*
 * Run an admin command that moves no data (cmd: 16 dwords in host order,
 * CID filled in), waiting at most timeout_s seconds: what a tenant's own
 * driver may send, Format NVM to another LBA format say.  The erase does
 * not need it; a VM test's tenant does.  0, the NVMe status (SCT << 8 |
 * SC, > 0) or a negative errno, with what failed in err.
 */
int nvme_admin_nodata(struct nvme_ctrl *c, uint32_t cmd[16], unsigned int timeout_s, char *err,
		      size_t errlen);

/* Identify Controller's strings, trimmed (SN, MN, FR). */
const char *nvme_ctrl_sn(const struct nvme_ctrl *c);
const char *nvme_ctrl_mn(const struct nvme_ctrl *c);
const char *nvme_ctrl_fr(const struct nvme_ctrl *c);

/*
 * Identify Controller CMIC (byte 76): bit 0 the NVM subsystem may have two
 * or more ports, bit 1 it may contain two or more controllers, bit 2 the
 * controller is associated with an SR-IOV Virtual Function, bit 3 ANA
 * reporting.  With bit 1 or 2 set other controllers, and so other users,
 * may share the NVM subsystem: nvme_erase() then holds back what would
 * erase all of it (Sanitize; Format NVM where FNA bit 0 or 1 is set).
 */
uint8_t nvme_ctrl_cmic(const struct nvme_ctrl *c);

/* An active namespace, from Identify Namespace. */
struct nvme_ns {
	uint32_t nsid;
	uint64_t nsze;			/* NSZE, in logical blocks */
	uint64_t ncap;			/* NCAP */
	uint32_t lba_size;		/* 2^LBADS of the format FLBAS selects */
	uint8_t flbas;			/* FLBAS as reported */
	uint8_t dlfeat;			/* DLFEAT: bits 2:0 read value of deallocated blocks */
	uint8_t nmic;			/* NMIC: bit 0 may be attached to other controllers */
};

#define NVME_MAX_NS 32

/*
 * The active namespaces (Identify CNS 02h, or 1..NN when the controller
 * does not give that list), at most max of them in ns[], *n set to how
 * many.  0 or a negative errno (-E2BIG when there are more than max).
 */
int nvme_namespaces(struct nvme_ctrl *c, struct nvme_ns *ns, size_t max, size_t *n,
		    char *err, size_t errlen);

/*
 * Read or write nlb logical blocks (a count, not 0's based) of namespace
 * nsid from slba, buf holding nlb * the namespace's LBA size bytes.  Split
 * into commands no larger than MDTS allows.  0 or a negative errno.
 */
int nvme_rw(struct nvme_ctrl *c, uint32_t nsid, uint64_t slba, uint32_t nlb, void *buf,
	    bool write, char *err, size_t errlen);

/* Write Zeroes over nlb blocks from slba (ONCS bit 3).  0 or a negative errno. */
int nvme_write_zeroes(struct nvme_ctrl *c, uint32_t nsid, uint64_t slba, uint64_t nlb,
		      char *err, size_t errlen);

enum nvme_erase {
	NVME_ERASE_AUTO,		/* the strongest of the below the controller offers */
	NVME_ERASE_SANITIZE_CRYPTO,	/* Sanitize, SANACT 100b (SANICAP.CES) */
	NVME_ERASE_SANITIZE_BLOCK,	/* Sanitize, SANACT 010b (SANICAP.BES) */
	NVME_ERASE_FORMAT_CRYPTO,	/* Format NVM, SES 010b (OACS bit 1, FNA bit 2) */
	NVME_ERASE_FORMAT_USER,		/* Format NVM, SES 001b (OACS bit 1) */
	NVME_ERASE_WRITE_ZEROES,	/* Write Zeroes over every namespace (ONCS bit 3) */
	NVME_ERASE_OVERWRITE,		/* Write of zeroes over every namespace */
};

/* How long nvme_erase waits for a sanitize or a format when given 0 seconds. */
#define NVME_ERASE_TIMEOUT_DEFAULT 7200

struct nvme_erase_report {
	enum nvme_erase method;		/* the method run (AUTO resolved) */
	/*
	 * e.g. "sanitize crypto,block; format crypto,user; write-zeroes", or
	 * on a shared NVM subsystem "format user; write-zeroes (sanitize held
	 * back: shared subsystem, CMIC 0x02)"
	 */
	char offered[160];
	unsigned int namespaces;	/* active namespaces verified */
	uint64_t sampled;		/* blocks read back */
	uint64_t held_data;		/* sampled blocks not blank before the erase */
	char verified[200];		/* one line: what the read-back found */
	char why[256];			/* on failure: what failed */
};

/*
 * Erase the controller's media with how and verify it: sampled blocks of
 * every active namespace are read before and after, and after must be
 * uniformly 0x00 (or 0xFF where the deallocated-read value allows it).
 * timeout_s bounds a sanitize's or a format's wait (0:
 * NVME_ERASE_TIMEOUT_DEFAULT).
 *
 * Nothing that may belong to another controller's user is erased.  On a
 * shared NVM subsystem (CMIC bit 1 or 2, see nvme_ctrl_cmic()) Sanitize,
 * and Format NVM when FNA bit 0 or 1 makes it reach every namespace of the
 * subsystem, are held back: AUTO passes over them, asked for they fail
 * with -EOPNOTSUPP.  An active namespace that may be attached to other
 * controllers (Identify Namespace NMIC bit 0) fails every method with
 * -EPERM before any namespace is touched.
 *
 * Returns 0 only when the erase ran and the verification passed; else a
 * negative errno (-EOPNOTSUPP: the controller does not offer how, or it
 * is held back; -EPERM: a shared namespace) with r->why set.
 */
int nvme_erase(struct nvme_ctrl *c, enum nvme_erase how, unsigned int timeout_s,
	       struct nvme_erase_report *r);

/* "auto", "sanitize-crypto", ..., "overwrite"; "?" for anything else. */
const char *nvme_erase_name(enum nvme_erase how);

/* The method a name from nvme_erase_name() gives.  0, or -EINVAL. */
int nvme_erase_parse(const char *name, enum nvme_erase *how);

#define NVME_FW_SLOTS 7

#define NVME_SEC_PROTOS 16

/*
 * What a tenant could change on a controller without it being erased:
 * identity and firmware (Identify Controller SN, MN, FR; the Firmware Slot
 * Information log), the number of namespaces and each active namespace's
 * size and format, and its security state: the security protocols it
 * answers (Security Receive, protocol 00h) and, where it speaks TCG
 * (protocol 01h), its Level 0 Discovery's SSC and Locking feature, where
 * a tenant who took ownership of an Opal drive shows as locking enabled,
 * a range locked or the MBR shadowed.
 */
struct nvme_baseline {
	char sn[21];			/* SN, trimmed */
	char mn[41];			/* MN, trimmed */
	char fr[9];			/* FR, trimmed */
	uint8_t afi;			/* AFI: bits 2:0 active slot, 6:4 slot at next reset */
	char frs[NVME_FW_SLOTS][9];	/* FRS1..FRS7, trimmed ("" for an empty slot) */
	uint32_t nn;			/* NN */
	unsigned int nns;		/* active namespaces in ns[] */
	struct {
		uint32_t nsid;
		uint64_t nsze;
		uint64_t ncap;
		uint8_t flbas;
		uint32_t lba_size;
	} ns[NVME_MAX_NS];
	/*
	 * The security state.  sec_known false: a baseline kept before it
	 * held one, compared without it.
	 */
	bool sec_known;
	bool sec;			/* OACS bit 0: Security Send and Receive */
	unsigned int nprotos;		/* the supported security protocols, in order */
	uint8_t protos[NVME_SEC_PROTOS];
	uint16_t ssc;			/* TCG Level 0: the SSC's feature code, 0 for none */
	int16_t locking;		/* TCG Level 0 Locking feature byte 4, -1 for none */
};

/* Take the controller's baseline.  0 or a negative errno. */
int nvme_baseline_take(struct nvme_ctrl *c, struct nvme_baseline *b, char *err, size_t errlen);

/*
 * 0 when before and now are the same, 1 when not, every difference in why
 * ("firmware FR 1.0 -> 2.0; namespace 2 appeared; namespace 1 NSZE 2048 ->
 * 1024").
 */
int nvme_baseline_compare(const struct nvme_baseline *before, const struct nvme_baseline *now,
			  char *why, size_t len);

/*
 * The baseline as one line of text without a newline, for keeping on disk;
 * strings are escaped (%XX) so spaces survive.  The length snprintf would
 * give (>= len: truncated), or a negative errno.
 */
int nvme_baseline_format(const struct nvme_baseline *b, char *buf, size_t len);

/* Parse nvme_baseline_format()'s text.  0, or -EINVAL naming the bad token in err. */
int nvme_baseline_parse(const char *text, struct nvme_baseline *b, char *err, size_t errlen);

#endif /* PPTADM_NVME_H */
