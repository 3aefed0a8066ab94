// SPDX-License-Identifier: GPL-2.0-only
/*
 * The polled NVMe driver (nvme.c) against a fake controller in memory: its
 * registers and doorbells, DMA memory by IOVA, PRP entries and lists, a
 * clock that sleep_us advances, namespaces with media, and the admin and
 * NVM commands the driver uses; capabilities and faults are configurable.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "baseline_kept.h"
#include "nvme.h"
#include "tap.h"

#define F_MAXNS		4
#define F_NQ		4
#define F_MAXDMA	64
#define PG		4096u
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct fns {
	bool active;
	uint64_t nsze, ncap;
	uint8_t flbas, dlfeat;
	uint8_t nmic;			/* NMIC: bit 0 shared with other controllers */
	uint8_t *data;
};

struct fake {
	/* what the controller offers */
	uint64_t cap;
	uint32_t sanicap, nn;
	uint16_t oacs, oncs;
	uint8_t fna, mdts, frmw, afi;
	uint8_t cmic;			/* CMIC: 1 ports, 2 controllers, 4 SR-IOV VF */
	char sn[21], mn[41], fr[9], frs[7][9];
	struct fns ns[F_MAXNS + 1];	/* by NSID */
	/* Security Receive (OACS bit 0): its protocols; TCG Level 0's SSC and Locking byte */
	uint8_t protos[8], nprotos;
	uint16_t ssc;
	int locking;			/* -1: no Locking feature */
	/* how it behaves */
	uint8_t fill;			/* media after a sanitize or format */
	bool lie;			/* sanitize, format and Write Zeroes do nothing */
	bool cfs_on_enable, no_cns2, swallow, bad_cid;
	uint64_t sanitize_us;
	bool sanitize_forever;
	uint16_t sanitize_result;	/* SSTAT when it ends: 1 or 3 */
	uint32_t rdy_delay_us;
	int fail_qid;			/* fail the next command of fail_op on this queue */
	uint8_t fail_op;
	uint16_t fail_status;
	/* state */
	uint32_t cc, csts, aqa;
	uint64_t asq, acq, clock, rdy_at;
	bool rdy_pending;
	struct {
		bool on;
		uint64_t base;
		uint16_t size, head, tail, cqid;
	} sq[F_NQ];
	struct {
		bool on, ien, pc;
		uint64_t base;
		uint16_t size, tail;
		uint8_t phase;
	} cq[F_NQ];
	struct {
		void *p;
		uint64_t iova;
		size_t size;
	} dma[F_MAXDMA];
	uint64_t next_iova;
	uint16_t sstat, sprog;
	uint64_t san_end;
	uint32_t san_cdw10;
	/* what the driver did */
	int live_dma, bad_free, bad_cc, faults, shutdowns, resets;
	unsigned int prp_lists, two_page, max_bytes, log81, sanitizes;
	unsigned int ncmd[2][256];	/* [admin, I/O][opcode] */
	uint32_t fmt_cdw10[8], fmt_nsid[8];
	unsigned int nfmt;
	uint32_t wz_nlb[8];
	unsigned int nwz;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void pad(uint8_t *dst, const char *s, size_t n)
{
	memset(dst, ' ', n);
	memcpy(dst, s, strlen(s) < n ? strlen(s) : n);
}

static uint32_t lba_size(const struct fns *ns)
{
	return ns->flbas & 0xf ? 4096 : 512;
}

static void ns_make(struct fake *f, uint32_t nsid, uint64_t nsze, uint8_t flbas)
{
	struct fns *ns = &f->ns[nsid];

	free(ns->data);
	ns->active = true;
	ns->nsze = ns->ncap = nsze;
	ns->flbas = flbas;
	ns->data = calloc(nsze, lba_size(ns));
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	/* MQES 63, CQR, TO 2 (1 s), DSTRD 0, CSS bit 0 (NVM), MPSMIN 0 */
	f->cap = 63 | 1u << 16 | 2u << 24 | 1ull << 37;
	f->sanicap = 3;
	f->oacs = 2;
	f->fna = 4;
	f->oncs = 8;
	f->mdts = 5;
	f->frmw = 2 << 1;	/* two slots */
	f->afi = 1;
	f->nn = 4;
	strcpy(f->sn, "FAKE0001");
	strcpy(f->mn, "Fake NVMe Controller");
	strcpy(f->fr, "1.0");
	strcpy(f->frs[0], "1.0");
	strcpy(f->frs[1], "0.9");
	f->sanitize_result = 1;
	f->locking = -1;
	f->next_iova = 0x100000;
	ns_make(f, 1, 512, 0);		/* 512 blocks of 512 bytes */
	ns_make(f, 2, 256, 1);		/* 256 blocks of 4096 bytes */
}

static void fake_free(struct fake *f)
{
	int i;

	for (i = 0; i <= F_MAXNS; i++)
		free(f->ns[i].data);
	for (i = 0; i < F_MAXDMA; i++)
		free(f->dma[i].p);
}

static void *xlate(struct fake *f, uint64_t iova, size_t len)
{
	int i;

	for (i = 0; i < F_MAXDMA; i++)
		if (f->dma[i].p && iova >= f->dma[i].iova &&
		    iova + len <= f->dma[i].iova + f->dma[i].size)
			return (uint8_t *)f->dma[i].p + (iova - f->dma[i].iova);
	f->faults++;
	return NULL;
}

/* Move len bytes between data and the PRP-described host memory; a status or 0 */
static uint16_t xfer(struct fake *f, uint64_t prp1, uint64_t prp2, uint8_t *data, size_t len,
		     bool to_host)
{
	size_t first = PG - (prp1 & (PG - 1)), done, n, i, pages;
	uint64_t addr;
	uint8_t *p, *list = NULL;

	if (first > len)
		first = len;
	pages = (len - first + PG - 1) / PG;
	if (pages > 1) {
		list = xlate(f, prp2, pages * 8);
		if (!list || (prp2 & 7))
			return 0x04;	/* Data Transfer Error */
		f->prp_lists++;
	} else if (pages == 1) {
		f->two_page++;
	}
	for (i = 0, done = 0; done < len; i++) {
		addr = !i ? prp1 : list ? get64(list + 8 * (i - 1)) : prp2;
		if (i && (addr & (PG - 1)))
			return 0x13;	/* PRP Offset Invalid */
		n = !i ? first : len - done < PG ? len - done : PG;
		p = xlate(f, addr, n);
		if (!p)
			return 0x04;
		if (to_host)
			memcpy(p, data + done, n);
		else
			memcpy(data + done, p, n);
		done += n;
	}
	return 0;
}

static void media_fill(struct fake *f, uint8_t v)
{
	int i;

	for (i = 1; i <= F_MAXNS; i++)
		if (f->ns[i].active)
			memset(f->ns[i].data, v, f->ns[i].nsze * lba_size(&f->ns[i]));
}

static void sanitize_tick(struct fake *f)
{
	if (f->sstat != 2)
		return;
	if (f->sanitize_forever || f->clock < f->san_end) {
		f->sprog = f->sanitize_forever ? 1000 :
			   (uint16_t)(65535 - (f->san_end - f->clock) * 65535 / f->sanitize_us);
		return;
	}
	f->sstat = f->sanitize_result;
	f->sprog = 0xffff;
	if (f->sstat == 1 && !f->lie)
		media_fill(f, f->fill);
}

static void id_ctrl(struct fake *f, uint8_t *id)
{
	put16(id, 0x1b36);
	pad(id + 4, f->sn, 20);
	pad(id + 24, f->mn, 40);
	pad(id + 64, f->fr, 8);
	id[76] = f->cmic;
	id[77] = f->mdts;
	put16(id + 256, f->oacs);
	id[260] = f->frmw;
	put32(id + 328, f->sanicap);
	id[512] = 0x66;
	id[513] = 0x44;
	put32(id + 516, f->nn);
	put16(id + 520, f->oncs);
	id[524] = f->fna;
}

static void id_ns(struct fake *f, uint32_t nsid, uint8_t *id)
{
	struct fns *ns;

	if (!nsid || nsid > F_MAXNS || !f->ns[nsid].active)
		return;
	ns = &f->ns[nsid];
	put64(id, ns->nsze);
	put64(id + 8, ns->ncap);
	put64(id + 16, ns->nsze);
	id[25] = 1;			/* NLBAF: two formats, 0's based */
	id[26] = ns->flbas;
	id[30] = ns->nmic;
	id[33] = ns->dlfeat;
	put32(id + 128, 9u << 16);	/* LBAF0: 512 bytes, no metadata */
	put32(id + 132, 12u << 16);	/* LBAF1: 4096 bytes */
}

static struct fns *io_ns(struct fake *f, uint32_t nsid)
{
	return nsid && nsid <= F_MAXNS && f->ns[nsid].active ? &f->ns[nsid] : NULL;
}

static uint16_t do_format(struct fake *f, const uint32_t *cmd)
{
	uint32_t c10 = cmd[10], nsid = cmd[1], ses = (c10 >> 9) & 7, lbaf, i;

	if (!(f->oacs & 2))
		return 0x01;
	if (ses > 2 || (ses == 2 && !(f->fna & 4)))
		return 0x02;
	lbaf = (c10 & 0xf) | ((c10 >> 12) & 3) << 4;
	if (lbaf > 1)
		return 0x10a;			/* Invalid Format */
	if (nsid != 0xffffffff && !io_ns(f, nsid))
		return 0x0b;
	if (f->nfmt < 8) {
		f->fmt_cdw10[f->nfmt] = c10;
		f->fmt_nsid[f->nfmt++] = nsid;
	}
	for (i = 1; i <= F_MAXNS; i++) {
		struct fns *ns = &f->ns[i];

		if (!ns->active || (nsid != 0xffffffff && !(f->fna & 1) && i != nsid))
			continue;
		if (lbaf != (ns->flbas & 0xfu))
			ns_make(f, i, ns->nsze * lba_size(ns) / (lbaf ? 4096 : 512),
				(uint8_t)lbaf);
		else if (!f->lie)
			memset(ns->data, f->fill, ns->nsze * lba_size(ns));
	}
	return 0;
}

static uint16_t do_admin(struct fake *f, const uint32_t *cmd, uint32_t *dw0)
{
	uint8_t op = cmd[0] & 0xff, page[PG];
	uint64_t prp1 = cmd[6] | (uint64_t)cmd[7] << 32, prp2 = cmd[8] | (uint64_t)cmd[9] << 32;
	uint16_t qid = cmd[10] & 0xffff, qsize = (uint16_t)((cmd[10] >> 16) + 1);
	uint32_t len, i, n = 0;

	memset(page, 0, sizeof(page));
	switch (op) {
	case 0x06:	/* Identify */
		switch (cmd[10] & 0xff) {
		case 0:
			id_ns(f, cmd[1], page);
			break;
		case 1:
			id_ctrl(f, page);
			break;
		case 2:
			if (f->no_cns2)
				return 0x02;
			for (i = cmd[1] + 1; i <= F_MAXNS; i++)
				if (f->ns[i].active)
					put32(page + 4 * n++, i);
			break;
		default:
			return 0x02;
		}
		return xfer(f, prp1, prp2, page, PG, true);
	case 0x02:	/* Get Log Page */
		len = (((cmd[10] >> 16) | (cmd[11] & 0xffff) << 16) + 1) * 4;
		if (len > PG)
			return 0x02;
		if ((cmd[10] & 0xff) == 0x81) {
			if (!f->sanicap)
				return 0x109;
			f->log81++;
			sanitize_tick(f);
			put16(page, f->sprog);
			put16(page + 2, f->sstat);
			put32(page + 4, f->san_cdw10);
		} else if ((cmd[10] & 0xff) == 0x03) {
			page[0] = f->afi;
			for (i = 0; i < 7; i++)
				pad(page + 8 + 8 * i, f->frs[i], 8);
		} else {
			return 0x109;
		}
		return xfer(f, prp1, prp2, page, len, true);
	case 0x82:	/* Security Receive */
		if (!(f->oacs & 1))
			return 0x01;
		len = cmd[11];
		if (len > PG)
			return 0x02;
		if (cmd[10] >> 24 == 0 && (cmd[10] >> 8 & 0xffff) == 0) {
			page[7] = f->nprotos;
			memcpy(page + 8, f->protos, f->nprotos);
		} else if (cmd[10] >> 24 == 1 && (cmd[10] >> 8 & 0xffff) == 1) {
			/* Level 0: header, TPer (0001h), Locking (0002h), the SSC */
			n = 48;
			page[n + 1] = 0x01;
			page[n + 2] = 0x10;
			page[n + 3] = 12;
			page[n + 4] = 0x11;
			n += 16;
			if (f->locking >= 0) {
				page[n + 1] = 0x02;
				page[n + 2] = 0x10;
				page[n + 3] = 12;
				page[n + 4] = (uint8_t)f->locking;
				n += 16;
			}
			if (f->ssc) {
				page[n] = (uint8_t)(f->ssc >> 8);
				page[n + 1] = (uint8_t)f->ssc;
				page[n + 2] = 0x10;
				page[n + 3] = 16;
				n += 20;
			}
			page[3] = (uint8_t)(n - 4);
		} else {
			return 0x02;
		}
		return xfer(f, prp1, prp2, page, len, true);
	case 0x09:	/* Set Features */
		if ((cmd[10] & 0xff) != 7)
			return 0x02;
		*dw0 = 0;
		return 0;
	case 0x05:	/* Create I/O CQ */
		if (!qid || qid >= F_NQ || f->cq[qid].on)
			return 0x101;
		if (qsize > (f->cap & 0xffff) + 1)
			return 0x102;
		f->cq[qid].on = true;
		f->cq[qid].pc = cmd[11] & 1;
		f->cq[qid].ien = cmd[11] & 2;
		f->cq[qid].base = prp1;
		f->cq[qid].size = qsize;
		f->cq[qid].tail = 0;
		f->cq[qid].phase = 1;
		return 0;
	case 0x01:	/* Create I/O SQ */
		if (!qid || qid >= F_NQ || f->sq[qid].on)
			return 0x101;
		if (qsize > (f->cap & 0xffff) + 1)
			return 0x102;
		if ((cmd[11] >> 16) >= F_NQ || !f->cq[cmd[11] >> 16].on)
			return 0x100;
		f->sq[qid].on = true;
		f->sq[qid].base = prp1;
		f->sq[qid].size = qsize;
		f->sq[qid].head = f->sq[qid].tail = 0;
		f->sq[qid].cqid = (uint16_t)(cmd[11] >> 16);
		return 0;
	case 0x00:	/* Delete I/O SQ */
		if (!qid || qid >= F_NQ || !f->sq[qid].on)
			return 0x101;
		f->sq[qid].on = false;
		return 0;
	case 0x04:	/* Delete I/O CQ */
		if (!qid || qid >= F_NQ || !f->cq[qid].on)
			return 0x101;
		for (i = 1; i < F_NQ; i++)
			if (f->sq[i].on && f->sq[i].cqid == qid)
				return 0x10c;
		f->cq[qid].on = false;
		return 0;
	case 0x80:	/* Format NVM */
		sanitize_tick(f);
		if (f->sstat == 2)
			return 0x1d;
		return do_format(f, cmd);
	case 0x84:	/* Sanitize */
		sanitize_tick(f);
		if (f->sstat == 2)
			return 0x1d;
		switch (cmd[10] & 7) {
		case 2:
			if (!(f->sanicap & 2))
				return 0x02;
			break;
		case 4:
			if (!(f->sanicap & 1))
				return 0x02;
			break;
		default:
			return 0x02;
		}
		f->sanitizes++;
		f->san_cdw10 = cmd[10];
		f->sstat = 2;
		f->sprog = 0;
		f->san_end = f->clock + f->sanitize_us;
		sanitize_tick(f);
		return 0;
	default:
		return 0x01;
	}
}

static uint16_t do_io(struct fake *f, const uint32_t *cmd)
{
	uint8_t op = cmd[0] & 0xff;
	struct fns *ns = io_ns(f, cmd[1]);
	uint64_t slba = cmd[10] | (uint64_t)cmd[11] << 32;
	uint32_t nlb = (cmd[12] & 0xffff) + 1;
	uint64_t prp1 = cmd[6] | (uint64_t)cmd[7] << 32, prp2 = cmd[8] | (uint64_t)cmd[9] << 32;
	size_t len;

	sanitize_tick(f);
	if (f->sstat == 2)
		return 0x1d;
	if (!ns)
		return 0x0b;
	if (slba + nlb > ns->nsze)
		return 0x80;
	len = (size_t)nlb * lba_size(ns);
	switch (op) {
	case 0x01:
	case 0x02:
		if (f->mdts && len > (size_t)PG << f->mdts)
			return 0x02;
		if (len > f->max_bytes)
			f->max_bytes = (unsigned int)len;
		return xfer(f, prp1, prp2, ns->data + slba * lba_size(ns), len, op == 0x02);
	case 0x08:
		if (!(f->oncs & 8))
			return 0x01;
		if (f->nwz < 8)
			f->wz_nlb[f->nwz++] = nlb;
		if (!f->lie)
			memset(ns->data + slba * lba_size(ns), 0, len);
		return 0;
	default:
		return 0x01;
	}
}

static void run_sq(struct fake *f, uint16_t qid)
{
	uint32_t cmd[16], dw0, *cqe;
	uint16_t st, cqid;
	uint8_t *e;
	int i;

	while (f->sq[qid].head != f->sq[qid].tail) {
		e = xlate(f, f->sq[qid].base + (uint64_t)f->sq[qid].head * 64, 64);
		if (!e)
			return;
		for (i = 0; i < 16; i++)
			cmd[i] = get32(e + 4 * i);
		f->sq[qid].head = (uint16_t)((f->sq[qid].head + 1) % f->sq[qid].size);
		if (f->swallow)
			continue;
		f->ncmd[!!qid][cmd[0] & 0xff]++;
		dw0 = 0;
		if (f->fail_op == (cmd[0] & 0xff) && f->fail_qid == qid && f->fail_status) {
			st = f->fail_status;
			f->fail_status = 0;
		} else {
			st = qid ? do_io(f, cmd) : do_admin(f, cmd, &dw0);
		}
		cqid = f->sq[qid].cqid;
		cqe = xlate(f, f->cq[cqid].base + (uint64_t)f->cq[cqid].tail * 16, 16);
		if (!cqe)
			return;
		put32((uint8_t *)&cqe[0], dw0);
		put32((uint8_t *)&cqe[1], 0);
		put32((uint8_t *)&cqe[2], f->sq[qid].head | (uint32_t)qid << 16);
		put32((uint8_t *)&cqe[3], ((cmd[0] >> 16) + (f->bad_cid ? 1 : 0)) % 65536 |
		      (uint32_t)f->cq[cqid].phase << 16 | (uint32_t)st << 17);
		if (++f->cq[cqid].tail == f->cq[cqid].size) {
			f->cq[cqid].tail = 0;
			f->cq[cqid].phase ^= 1;
		}
	}
}

static uint32_t f_rd32(void *ctx, uint32_t off)
{
	struct fake *f = ctx;

	if (off == 0x1c && f->rdy_pending && f->clock >= f->rdy_at) {
		f->rdy_pending = false;
		f->csts |= 1;
	}
	switch (off) {
	case 0x00: return (uint32_t)f->cap;
	case 0x04: return (uint32_t)(f->cap >> 32);
	case 0x08: return 0x20000;
	case 0x14: return f->cc;
	case 0x1c: return f->csts;
	case 0x24: return f->aqa;
	case 0x28: return (uint32_t)f->asq;
	case 0x2c: return (uint32_t)(f->asq >> 32);
	case 0x30: return (uint32_t)f->acq;
	case 0x34: return (uint32_t)(f->acq >> 32);
	default: return 0;
	}
}

static void f_wr32(void *ctx, uint32_t off, uint32_t val)
{
	struct fake *f = ctx;
	uint32_t stride = 4u << ((f->cap >> 32) & 0xf), idx, old = f->cc;
	int i;

	if (off >= 0x1000) {
		if ((off - 0x1000) % stride) {
			f->faults++;
			return;
		}
		idx = (off - 0x1000) / stride;
		if (idx / 2 >= F_NQ || !(f->csts & 1) || !f->sq[idx / 2].on) {
			f->faults++;
			return;
		}
		if (idx % 2 == 0) {
			f->sq[idx / 2].tail = (uint16_t)val;
			run_sq(f, (uint16_t)(idx / 2));
		}
		return;
	}
	switch (off) {
	case 0x14:
		f->cc = val;
		if (!(old & 1) && (val & 1)) {
			/* CSS 0 (NVM), MPS 0, IOSQES 6, IOCQES 4 */
			if ((val & 0xfffff0) != (6u << 16 | 4u << 20))
				f->bad_cc++;
			if (f->cfs_on_enable) {
				f->csts |= 2;
				return;
			}
			memset(f->sq, 0, sizeof(f->sq));
			memset(f->cq, 0, sizeof(f->cq));
			f->sq[0].on = f->cq[0].on = true;
			f->sq[0].base = f->asq;
			f->sq[0].size = (uint16_t)((f->aqa & 0xfff) + 1);
			f->cq[0].base = f->acq;
			f->cq[0].size = (uint16_t)(((f->aqa >> 16) & 0xfff) + 1);
			f->cq[0].phase = 1;
			f->rdy_pending = true;
			f->rdy_at = f->clock + f->rdy_delay_us;
		} else if ((old & 1) && !(val & 1)) {
			f->resets++;
			f->csts = 0;
			f->rdy_pending = false;
			for (i = 0; i < F_NQ; i++)
				f->sq[i].on = f->cq[i].on = false;
		}
		if ((val & 1) && ((val >> 14) & 3) == 1 && !((old >> 14) & 3)) {
			f->shutdowns++;
			f->csts = (f->csts & ~0xcu) | 2u << 2;
		}
		return;
	case 0x24:
		f->aqa = val;
		return;
	case 0x28:
		f->asq = (f->asq & ~0xffffffffull) | val;
		return;
	case 0x2c:
		f->asq = (f->asq & 0xffffffffull) | (uint64_t)val << 32;
		return;
	case 0x30:
		f->acq = (f->acq & ~0xffffffffull) | val;
		return;
	case 0x34:
		f->acq = (f->acq & 0xffffffffull) | (uint64_t)val << 32;
		return;
	}
}

static void *f_alloc(void *ctx, size_t size, uint64_t *iova)
{
	struct fake *f = ctx;
	size_t sz = (size + PG - 1) & ~(size_t)(PG - 1);
	int i;

	for (i = 0; i < F_MAXDMA; i++) {
		if (f->dma[i].p)
			continue;
		f->dma[i].p = aligned_alloc(PG, sz);
		if (!f->dma[i].p)
			return NULL;
		memset(f->dma[i].p, 0, sz);
		f->dma[i].size = sz;
		f->dma[i].iova = f->next_iova;
		f->next_iova += sz + PG;	/* a hole between buffers catches overruns */
		f->live_dma++;
		*iova = f->dma[i].iova;
		return f->dma[i].p;
	}
	return NULL;
}

static void f_free(void *ctx, void *p, size_t size)
{
	struct fake *f = ctx;
	int i;

	for (i = 0; i < F_MAXDMA; i++) {
		if (f->dma[i].p == p) {
			if (size > f->dma[i].size)
				f->bad_free++;
			free(p);
			f->dma[i].p = NULL;
			f->live_dma--;
			return;
		}
	}
	f->bad_free++;
}

static void f_sleep(void *ctx, unsigned int us)
{
	struct fake *f = ctx;

	f->clock += us;
}

static struct nvme_io fio(struct fake *f)
{
	struct nvme_io io = { f, f_rd32, f_wr32, f_alloc, f_free, f_sleep };

	return io;
}

/* Put tenant data into every block of a namespace (a block is its LBA's byte, never 0/FF) */
static void tenant_fill(struct fake *f, uint32_t nsid)
{
	struct fns *ns = &f->ns[nsid];
	uint64_t b;

	for (b = 0; b < ns->nsze; b++)
		memset(ns->data + b * lba_size(ns), (int)(b % 250) + 1, lba_size(ns));
}

static bool media_is(struct fake *f, uint8_t v)
{
	int i;
	size_t k;

	for (i = 1; i <= F_MAXNS; i++)
		for (k = 0; f->ns[i].active && k < f->ns[i].nsze * lba_size(&f->ns[i]); k++)
			if (f->ns[i].data[k] != v)
				return false;
	return true;
}

/* The namespace still holds what tenant_fill() put there */
static bool media_is_tenant(struct fake *f, uint32_t nsid)
{
	struct fns *ns = &f->ns[nsid];
	size_t k, bs = lba_size(ns);

	for (k = 0; k < ns->nsze * bs; k++)
		if (ns->data[k] != (uint8_t)(k / bs % 250 + 1))
			return false;
	return true;
}

/* I/O commands the fake ran: reads, writes, Write Zeroes */
static unsigned int io_cmds(const struct fake *f)
{
	unsigned int n = 0, i;

	for (i = 0; i < 256; i++)
		n += f->ncmd[1][i];
	return n;
}

static struct nvme_ctrl *open_ok(struct fake *f, struct nvme_io *io, const char *what)
{
	struct nvme_ctrl *c = NULL;
	char err[256] = "";

	*io = fio(f);
	if (!ok(nvme_open(io, &c, err, sizeof(err)) == 0, "%s: open", what))
		printf("#   %s\n", err);
	return c;
}

static void test_open_close(void)
{
	struct fake f;
	struct nvme_io io;
	struct nvme_ctrl *c;

	fake_init(&f);
	f.cap |= 2ull << 32;		/* DSTRD 2: doorbells 16 bytes apart */
	f.cap = (f.cap & ~0xffffull) | 7;	/* MQES 7: queues of 8 */
	f.rdy_delay_us = 20000;
	f.cc = 1;			/* left enabled by a tenant */
	f.csts = 1;
	c = open_ok(&f, &io, "open/close");
	ok(f.resets == 1, "open disabled the controller the tenant left enabled");
	ok(f.aqa == (7u << 16 | 7), "admin queues capped by CAP.MQES+1: AQA 0x%x", f.aqa);
	ok(!f.bad_cc, "CC: CSS NVM, MPS 4 KiB, IOSQES 6, IOCQES 4");
	ok(f.clock >= 20000, "waited for CSTS.RDY (%" PRIu64 " us)", f.clock);
	ok(f.cq[1].on && f.sq[1].on && f.cq[1].pc && !f.cq[1].ien && f.sq[1].size == 8,
	   "I/O queue pair 1: physically contiguous, no interrupts, 8 entries");
	ok(!f.faults, "no stray doorbell or DMA access with DSTRD 2");
	if (c) {
		is_str(nvme_ctrl_mn(c), "Fake NVMe Controller", "MN trimmed");
		is_str(nvme_ctrl_sn(c), "FAKE0001", "SN trimmed");
	}
	nvme_close(c);
	ok(f.ncmd[0][0x00] == 1 && f.ncmd[0][0x04] == 1, "close deleted the I/O SQ and CQ");
	ok(f.shutdowns == 1 && f.resets == 2 && !(f.cc & 1), "close: normal shutdown, then disabled");
	ok(f.live_dma == 0 && !f.bad_free, "close freed all DMA memory");
	fake_free(&f);
}

static void test_rw(void)
{
	struct fake f;
	struct nvme_io io;
	struct nvme_ctrl *c;
	struct nvme_ns ns[4];
	size_t n = 0, i;
	uint8_t *w = malloc(300 * 512), *r = malloc(300 * 512);
	char err[256] = "";
	int ret;

	fake_init(&f);
	f.mdts = 2;			/* 16 KiB per command */
	c = open_ok(&f, &io, "rw");
	ret = nvme_namespaces(c, ns, 4, &n, err, sizeof(err));
	ok(ret == 0 && n == 2 && ns[0].nsid == 1 && ns[0].nsze == 512 && ns[0].lba_size == 512 &&
	   ns[1].nsid == 2 && ns[1].lba_size == 4096 && ns[1].flbas == 1,
	   "namespaces: 1 (512 x 512 B) and 2 (256 x 4096 B)");
	for (i = 0; i < 300 * 512; i++)
		w[i] = (uint8_t)(i * 7 + i / 512);
	ret = nvme_rw(c, 1, 100, 300, w, true, err, sizeof(err));
	ok(ret == 0, "write 300 blocks: %s", ret ? err : "ok");
	ok(!memcmp(f.ns[1].data + 100 * 512, w, 300 * 512), "... the media holds them");
	ok(f.ncmd[1][0x01] == 10 && f.max_bytes == 16384,
	   "... in 10 commands of at most MDTS (16 KiB): %u, largest %u", f.ncmd[1][0x01],
	   f.max_bytes);
	ok(f.prp_lists == 9 && f.two_page == 1,
	   "... nine of 4 pages through a PRP list, the last of 6 KiB through PRP2 (%u, %u)",
	   f.prp_lists, f.two_page);
	memset(r, 0, 300 * 512);
	ret = nvme_rw(c, 1, 100, 300, r, false, err, sizeof(err));
	ok(ret == 0 && !memcmp(r, w, 300 * 512), "read them back");
	f.two_page = f.prp_lists = 0;
	ret = nvme_rw(c, 2, 3, 2, w, true, err, sizeof(err));
	ok(ret == 0 && f.two_page == 1 && !f.prp_lists && !memcmp(f.ns[2].data + 3 * 4096, w, 8192),
	   "two 4 KiB blocks: PRP2 is the second page");
	ret = nvme_rw(c, 1, 510, 3, r, false, err, sizeof(err));
	ok(ret == -ERANGE && strstr(err, "beyond NSZE 512"), "beyond the namespace: %s", err);
	ret = nvme_rw(c, 3, 0, 1, r, false, err, sizeof(err));
	ok(ret == -ENOENT && strstr(err, "namespace 3 is not active"), "inactive namespace: %s",
	   err);
	f.fail_qid = 1;
	f.fail_op = 0x02;
	f.fail_status = 0x281;	/* SCT 2h SC 81h */
	ret = nvme_rw(c, 1, 0, 1, r, false, err, sizeof(err));
	is_str(err, "Read (namespace 1, LBA 0, 1 blocks): status SCT 0x2 SC 0x81 "
	       "(Unrecovered Read Error)", "an error status is named");
	ok(ret == -EIO, "... and fails the read");
	tenant_fill(&f, 1);
	ret = nvme_write_zeroes(c, 1, 100, 300, err, sizeof(err));
	for (i = 0; i < 300 * 512 && !f.ns[1].data[100 * 512 + i]; i++)
		;
	ok(ret == 0 && i == 300 * 512 && f.ns[1].data[100 * 512 - 1] && f.ns[1].data[400 * 512],
	   "Write Zeroes over exactly the range");
	ok(!f.faults, "no bad DMA access");
	nvme_close(c);
	ok(f.live_dma == 0, "all DMA memory freed");
	fake_free(&f);

	/* a big namespace: Write Zeroes split at 65536 blocks */
	fake_init(&f);
	f.ns[2].active = false;
	ns_make(&f, 1, 70000, 0);
	c = open_ok(&f, &io, "big namespace");
	ret = nvme_write_zeroes(c, 1, 0, 70000, err, sizeof(err));
	ok(ret == 0 && f.nwz == 2 && f.wz_nlb[0] == 65536 && f.wz_nlb[1] == 70000 - 65536,
	   "Write Zeroes of 70000 blocks: 65536 + 4464");
	nvme_close(c);
	fake_free(&f);
	free(w);
	free(r);
}

/* An erase on a fresh fake with tenant data; the fake is left for the caller */
static int erase_on(struct fake *f, enum nvme_erase how, unsigned int timeout,
		    struct nvme_erase_report *r)
{
	struct nvme_io io;
	struct nvme_ctrl *c;
	int ret;

	tenant_fill(f, 1);
	tenant_fill(f, 2);
	c = open_ok(f, &io, nvme_erase_name(how));
	if (!c)
		return -1;
	ret = nvme_erase(c, how, timeout, r);
	if (ret)
		printf("#   erase: %s\n", r->why);
	nvme_close(c);
	if (f->live_dma)
		printf("#   DMA memory left: %d\n", f->live_dma);
	return ret;
}

static void test_auto(void)
{
	struct nvme_erase_report r;
	struct fake f;
	int ret;

	fake_init(&f);
	ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
	is_str(r.offered, "sanitize crypto,block; format crypto,user; write-zeroes", "offered");
	ok(ret == 0 && r.method == NVME_ERASE_SANITIZE_CRYPTO && f.sanitizes == 1 &&
	   (f.san_cdw10 & 0x3ff) == 4, "auto: Sanitize Crypto Erase (SANACT 100b, AUSE 0, NDAS 0)");
	ok(media_is(&f, 0), "... the media is zeroes");
	fake_free(&f);

	fake_init(&f);
	f.sanicap = 2;
	ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
	ok(ret == 0 && r.method == NVME_ERASE_SANITIZE_BLOCK && (f.san_cdw10 & 7) == 2 &&
	   media_is(&f, 0), "auto without SANICAP.CES: Sanitize Block Erase");
	fake_free(&f);

	fake_init(&f);
	f.sanicap = 0;
	ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
	ok(ret == 0 && r.method == NVME_ERASE_FORMAT_CRYPTO && f.nfmt == 2 &&
	   ((f.fmt_cdw10[0] >> 9) & 7) == 2 && media_is(&f, 0),
	   "auto without sanitize: Format NVM SES 010b");
	ok(f.fmt_nsid[0] == 1 && f.fmt_nsid[1] == 2 && (f.fmt_cdw10[0] & 0xf) == 0 &&
	   (f.fmt_cdw10[1] & 0xf) == 1, "... each namespace, keeping its LBA format");
	is_str(r.offered, "format crypto,user; write-zeroes", "... offered");
	fake_free(&f);

	fake_init(&f);
	f.sanicap = 0;
	f.fna = 0;
	ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
	ok(ret == 0 && r.method == NVME_ERASE_FORMAT_USER && ((f.fmt_cdw10[0] >> 9) & 7) == 1 &&
	   media_is(&f, 0), "auto without FNA bit 2: Format NVM SES 001b");
	fake_free(&f);

	fake_init(&f);
	f.sanicap = 0;
	f.oacs = 0;
	ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
	ok(ret == 0 && r.method == NVME_ERASE_WRITE_ZEROES && f.nwz == 2 && !f.nfmt &&
	   media_is(&f, 0), "auto without Format NVM: Write Zeroes");
	fake_free(&f);

	fake_init(&f);
	f.sanicap = 0;
	f.oacs = 0;
	f.oncs = 0;
	ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
	ok(ret == 0 && r.method == NVME_ERASE_OVERWRITE && !f.nwz && f.ncmd[1][0x01] > 0 &&
	   media_is(&f, 0), "auto without Write Zeroes: overwrite");
	is_str(r.offered, "write only", "... offered");
	fake_free(&f);

	/* FNA bit 0: one format of every namespace, NSID FFFFFFFFh */
	fake_init(&f);
	f.sanicap = 0;
	f.fna = 5;
	f.ns[2].flbas = 0;
	free(f.ns[2].data);
	f.ns[2].data = calloc(256, 512);
	ret = erase_on(&f, NVME_ERASE_FORMAT_CRYPTO, 0, &r);
	ok(ret == 0 && f.nfmt == 1 && f.fmt_nsid[0] == 0xffffffff && media_is(&f, 0),
	   "FNA bit 0: one Format NVM to NSID FFFFFFFFh");
	fake_free(&f);
}

static void test_explicit(void)
{
	struct nvme_erase_report r;
	struct fake f;
	int ret;

	fake_init(&f);
	f.sanicap = 2;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_CRYPTO, 0, &r);
	ok(ret == -EOPNOTSUPP && !f.sanitizes && f.ns[1].data[0] == 1,
	   "sanitize-crypto not offered: fails, nothing done");
	is_str(r.why, "sanitize-crypto is not offered by the controller: SANICAP.CES (bit 0) is "
	       "clear", "... and says why");
	fake_free(&f);

	fake_init(&f);
	f.fna = 0;
	ret = erase_on(&f, NVME_ERASE_FORMAT_CRYPTO, 0, &r);
	ok(ret == -EOPNOTSUPP && strstr(r.why, "FNA bit 2") && !f.nfmt,
	   "format-crypto without FNA bit 2: %s", r.why);
	fake_free(&f);

	fake_init(&f);
	f.oncs = 0;
	ret = erase_on(&f, NVME_ERASE_WRITE_ZEROES, 0, &r);
	ok(ret == -EOPNOTSUPP && strstr(r.why, "ONCS bit 3"), "write-zeroes without ONCS bit 3");
	fake_free(&f);

	fake_init(&f);
	ret = erase_on(&f, NVME_ERASE_OVERWRITE, 0, &r);
	ok(ret == 0 && r.method == NVME_ERASE_OVERWRITE && media_is(&f, 0) && !f.sanitizes,
	   "overwrite asked for: overwrite, though sanitize is offered");
	fake_free(&f);
}

/* Other controllers sharing the NVM subsystem or a namespace */
static void test_shared(void)
{
	static const uint8_t fnas[] = { 5, 6, 7 };
	static const uint8_t cmics[] = { 0x01, 0x08, 0x09 };
	struct nvme_erase_report r;
	struct nvme_io io;
	struct nvme_ctrl *c;
	struct nvme_ns ns[4];
	struct fake f;
	size_t n = 0, i;
	char err[256] = "", want[256];
	enum nvme_erase e;
	int ret;

	fake_init(&f);
	f.cmic = 0x06;
	f.ns[2].nmic = 1;
	c = open_ok(&f, &io, "CMIC and NMIC read");
	ret = nvme_namespaces(c, ns, 4, &n, err, sizeof(err));
	ok(c && nvme_ctrl_cmic(c) == 0x06 && ret == 0 && n == 2 && !ns[0].nmic && ns[1].nmic == 1,
	   "CMIC 0x06 and namespace 2's NMIC 0x01 read");
	nvme_close(c);
	fake_free(&f);

	/* CMIC bit 1: sanitize held back, format per namespace (FNA 0) runs */
	fake_init(&f);
	f.cmic = 0x02;
	f.sanicap = 1;
	f.fna = 0;
	ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
	ok(ret == 0 && r.method == NVME_ERASE_FORMAT_USER && !f.sanitizes && !f.ncmd[0][0x84] &&
	   f.nfmt == 2 && f.fmt_nsid[0] == 1 && f.fmt_nsid[1] == 2 && media_is(&f, 0),
	   "CMIC bit 1, SANICAP.CES: auto formats each namespace, no sanitize");
	is_str(r.offered, "format user; write-zeroes (sanitize held back: shared subsystem, "
	       "CMIC 0x02)", "... offered says sanitize is held back");
	fake_free(&f);

	/* and FNA bit 0 or 1 (with or without crypto): format held back too */
	for (i = 0; i < ARRAY_SIZE(fnas); i++) {
		fake_init(&f);
		f.cmic = 0x02;
		f.sanicap = 1;
		f.fna = fnas[i];
		ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
		ok(ret == 0 && r.method == NVME_ERASE_WRITE_ZEROES && !f.sanitizes && !f.nfmt &&
		   f.nwz == 2 && media_is(&f, 0),
		   "CMIC bit 1, FNA 0x%02x: auto writes zeroes, no sanitize, no format", fnas[i]);
		snprintf(want, sizeof(want), "write-zeroes (sanitize, format held back: shared "
			 "subsystem, CMIC 0x02, FNA 0x%02x)", fnas[i]);
		is_str(r.offered, want, "... offered");
		fake_free(&f);
	}

	/* explicit sanitize on a VF: refused, nothing run */
	fake_init(&f);
	f.cmic = 0x04;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_BLOCK, 0, &r);
	ok(ret == -EOPNOTSUPP && !f.sanitizes && !f.ncmd[0][0x84] && !f.ncmd[0][0x80] &&
	   !io_cmds(&f) && media_is_tenant(&f, 1) && media_is_tenant(&f, 2),
	   "CMIC bit 2: sanitize-block refused, no command on the media, media untouched");
	is_str(r.why, "sanitize-block would erase the whole NVM subsystem, which CMIC says other "
	       "controllers share (CMIC 0x04)", "... naming CMIC");
	is_str(r.offered, "format crypto,user; write-zeroes (sanitize held back: shared subsystem, "
	       "CMIC 0x04)", "... offered");
	fake_free(&f);

	fake_init(&f);
	f.cmic = 0x06;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_CRYPTO, 0, &r);
	ok(ret == -EOPNOTSUPP && !f.sanitizes && !io_cmds(&f) && media_is_tenant(&f, 1) &&
	   media_is_tenant(&f, 2) && strstr(r.why, "(CMIC 0x06)"),
	   "CMIC 0x06: sanitize-crypto refused: %s", r.why);
	fake_free(&f);

	/* explicit format reaching the whole subsystem: refused naming FNA and CMIC */
	fake_init(&f);
	f.cmic = 0x02;
	f.fna = 6;
	ret = erase_on(&f, NVME_ERASE_FORMAT_USER, 0, &r);
	ok(ret == -EOPNOTSUPP && !f.nfmt && !f.ncmd[0][0x80] && !io_cmds(&f) &&
	   media_is_tenant(&f, 1) && media_is_tenant(&f, 2),
	   "CMIC bit 1, FNA bit 1: format-user refused, media untouched");
	is_str(r.why, "format-user would erase every namespace in the NVM subsystem (FNA 0x06: "
	       "bit 1, a secure erase applies to all), which CMIC says other controllers share "
	       "(CMIC 0x02)", "... naming FNA and CMIC");
	fake_free(&f);

	/* a shared namespace: every method refused before any namespace is touched */
	for (e = NVME_ERASE_AUTO; e <= NVME_ERASE_OVERWRITE; e++) {
		fake_init(&f);
		f.ns[2].nmic = 1;
		ret = erase_on(&f, e, 0, &r);
		ok(ret == -EPERM && !f.sanitizes && !f.ncmd[0][0x84] && !f.ncmd[0][0x80] &&
		   !io_cmds(&f) && media_is_tenant(&f, 1) && media_is_tenant(&f, 2),
		   "namespace 2 NMIC bit 0: %s refused, neither namespace touched",
		   nvme_erase_name(e));
		is_str(r.why, "namespace 2 may be attached to other controllers (NMIC 0x01, "
		       "bit 0): erasing it could destroy data another controller's user has",
		       "... naming the namespace");
		fake_free(&f);
	}

	/* several ports of one controller, ANA reporting: nothing changes */
	for (i = 0; i < ARRAY_SIZE(cmics); i++) {
		fake_init(&f);
		f.cmic = cmics[i];
		ret = erase_on(&f, NVME_ERASE_AUTO, 0, &r);
		ok(ret == 0 && r.method == NVME_ERASE_SANITIZE_CRYPTO && f.sanitizes == 1 &&
		   media_is(&f, 0), "CMIC 0x%02x: auto still sanitizes", cmics[i]);
		is_str(r.offered, "sanitize crypto,block; format crypto,user; write-zeroes",
		       "... offered unchanged");
		fake_free(&f);

		fake_init(&f);
		f.cmic = cmics[i];
		f.fna = 5;
		f.ns[2].flbas = 0;
		free(f.ns[2].data);
		f.ns[2].data = calloc(256, 512);
		ret = erase_on(&f, NVME_ERASE_FORMAT_CRYPTO, 0, &r);
		ok(ret == 0 && f.nfmt == 1 && f.fmt_nsid[0] == 0xffffffff && media_is(&f, 0),
		   "CMIC 0x%02x, FNA bit 0: format-crypto of all namespaces still runs", cmics[i]);
		fake_free(&f);
	}
}

static void test_sanitize(void)
{
	struct nvme_erase_report r;
	struct fake f;
	int ret;

	fake_init(&f);
	f.sanitize_us = 2500000;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_BLOCK, 10, &r);
	ok(ret == 0 && f.log81 >= 26 && f.clock >= 2500000 && media_is(&f, 0),
	   "sanitize in progress for 2.5 s: polled (%u log reads) to completion", f.log81);
	fake_free(&f);

	fake_init(&f);
	f.sanitize_us = 500000;
	f.sanitize_result = 3;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_CRYPTO, 10, &r);
	ok(ret == -EIO && strstr(r.why, "sanitize failed (Sanitize Status SSTAT 011b)"),
	   "sanitize failed: %s", r.why);
	ok(!r.verified[0] && f.ns[1].data[0] == 1, "... nothing verified");
	fake_free(&f);

	fake_init(&f);
	f.sanitize_forever = true;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_CRYPTO, 3, &r);
	ok(ret == -ETIMEDOUT && strstr(r.why, "still in progress after 3 s"), "sanitize never ends: %s",
	   r.why);
	ok(f.clock >= 3000000 && f.clock < 4000000, "... gave up after 3 s of waiting");
	fake_free(&f);

	/* a tenant's sanitize still running */
	fake_init(&f);
	f.sstat = 2;
	f.sanitize_forever = true;
	ret = erase_on(&f, NVME_ERASE_AUTO, 3, &r);
	ok(ret == -EBUSY && strstr(r.why, "already in progress") && !f.sanitizes,
	   "a sanitize already in progress is reported: %s", r.why);
	fake_free(&f);

	/* the last sanitize failed: format cannot run, another sanitize may */
	fake_init(&f);
	f.sstat = 3;
	ret = erase_on(&f, NVME_ERASE_FORMAT_USER, 3, &r);
	ok(ret == -EIO && strstr(r.why, "sanitize failure mode") && !f.nfmt,
	   "after a failed sanitize: format refused: %s", r.why);
	fake_free(&f);
	fake_init(&f);
	f.sstat = 3;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_BLOCK, 3, &r);
	ok(ret == 0 && f.sanitizes == 1, "after a failed sanitize: another sanitize runs");
	fake_free(&f);
}

static void test_verify(void)
{
	struct nvme_erase_report r;
	struct fake f;
	int ret;

	fake_init(&f);
	f.lie = true;
	ret = erase_on(&f, NVME_ERASE_FORMAT_USER, 0, &r);
	ok(ret == -EIO, "a controller whose format does nothing: the erase fails");
	is_str(r.why, "verification failed: namespace 1 LBA 0 is not blank after format-user "
	       "(byte 0 is 0x01)", "... naming namespace and LBA");
	fake_free(&f);

	fake_init(&f);
	f.lie = true;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_CRYPTO, 0, &r);
	ok(ret == -EIO && strstr(r.why, "namespace 1 LBA 0 is not blank"),
	   "a controller whose sanitize does nothing: fails");
	fake_free(&f);

	/* tenant data in every block of namespace 1, none in namespace 2 */
	fake_init(&f);
	tenant_fill(&f, 1);
	{
		struct nvme_io io;
		struct nvme_ctrl *c = open_ok(&f, &io, "held data");

		ret = nvme_erase(c, NVME_ERASE_WRITE_ZEROES, 0, &r);
		nvme_close(c);
	}
	ok(ret == 0 && r.namespaces == 2 && r.sampled == 128 && r.held_data == 64,
	   "held data: 64 of 128 sampled blocks (%" PRIu64 " of %" PRIu64 ")", r.held_data,
	   r.sampled);
	is_str(r.verified, "2 namespaces, 128 sampled blocks (64 held data) read back as zeroes",
	       "... the verification line");
	fake_free(&f);

	/* only LBA 0 and the last of namespace 2 hold data; 0xFF is blank */
	fake_init(&f);
	f.ns[2].data[0] = 9;
	f.ns[2].data[255 * 4096 + 100] = 9;
	memset(f.ns[1].data, 0xff, 512 * 512);
	{
		struct nvme_io io;
		struct nvme_ctrl *c = open_ok(&f, &io, "held data 2");

		ret = nvme_erase(c, NVME_ERASE_OVERWRITE, 0, &r);
		nvme_close(c);
	}
	ok(ret == 0 && r.held_data == 2, "held data: the first and last blocks only (%" PRIu64 ")",
	   r.held_data);
	fake_free(&f);

	/* DLFEAT 010b: deallocated blocks read 0xFF */
	fake_init(&f);
	f.fill = 0xff;
	f.ns[1].dlfeat = f.ns[2].dlfeat = 2;
	ret = erase_on(&f, NVME_ERASE_SANITIZE_BLOCK, 0, &r);
	ok(ret == 0 && media_is(&f, 0xff), "DLFEAT 010b: 0xFF after sanitize accepted");
	is_str(r.verified, "2 namespaces, 128 sampled blocks (128 held data) read back as 0xFF",
	       "... the verification line says so");
	fake_free(&f);

	/* DLFEAT 000b (not reported): 0xFF accepted after a format */
	fake_init(&f);
	f.fill = 0xff;
	ret = erase_on(&f, NVME_ERASE_FORMAT_USER, 0, &r);
	ok(ret == 0, "DLFEAT 000b: 0xFF after format accepted");
	fake_free(&f);

	/* DLFEAT 001b says zeroes: 0xFF is not what it promised */
	fake_init(&f);
	f.fill = 0xff;
	f.ns[1].dlfeat = f.ns[2].dlfeat = 1;
	ret = erase_on(&f, NVME_ERASE_FORMAT_USER, 0, &r);
	ok(ret == -EIO && strstr(r.why, "namespace 1 LBA 0 reads as 0xFF, which DLFEAT 0x01"),
	   "DLFEAT 001b: 0xFF fails: %s", r.why);
	fake_free(&f);

	/* Write Zeroes that leaves 0xFF: not zeroes */
	fake_init(&f);
	f.lie = true;
	memset(f.ns[1].data, 0xff, 512 * 512);
	f.ns[1].dlfeat = 2;
	{
		struct nvme_io io;
		struct nvme_ctrl *c = open_ok(&f, &io, "write zeroes 0xFF");

		ret = nvme_erase(c, NVME_ERASE_WRITE_ZEROES, 0, &r);
		nvme_close(c);
	}
	ok(ret == -EIO && strstr(r.why, "namespace 1 LBA 0 reads as 0xFF"),
	   "Write Zeroes reading back 0xFF fails: %s", r.why);
	fake_free(&f);
}

static void test_faults(void)
{
	struct fake f;
	struct nvme_io io;
	struct nvme_ctrl *c = NULL;
	struct nvme_erase_report r;
	struct nvme_ns ns[4];
	size_t n = 0;
	char err[256] = "";
	uint8_t blk[512];
	int ret;

	fake_init(&f);
	f.cfs_on_enable = true;
	io = fio(&f);
	ret = nvme_open(&io, &c, err, sizeof(err));
	ok(ret == -EIO && !c && strstr(err, "controller fatal status (CSTS.CFS) while enabling"),
	   "CSTS.CFS on enable: %s", err);
	ok(f.live_dma == 0 && f.clock < 2000000, "... nothing left allocated, no long wait");
	fake_free(&f);

	fake_init(&f);
	f.fail_qid = 0;
	f.fail_op = 0x06;
	f.fail_status = 0x06;
	io = fio(&f);
	ret = nvme_open(&io, &c, err, sizeof(err));
	ok(ret == -EIO && !c, "Identify Controller fails: open fails");
	is_str(err, "Identify Controller (CNS 01h): status SCT 0x0 SC 0x06 (Internal Error)",
	       "... naming the command and status");
	ok(f.live_dma == 0 && !(f.cc & 1), "... controller disabled, memory freed");
	fake_free(&f);

	fake_init(&f);
	c = open_ok(&f, &io, "format error");
	f.fail_qid = 0;
	f.fail_op = 0x80;
	f.fail_status = 0x10a;
	ret = nvme_erase(c, NVME_ERASE_FORMAT_USER, 0, &r);
	is_str(r.why, "Format NVM (namespace 1, SES 1): status SCT 0x1 SC 0x0a (Invalid Format)",
	       "a Format NVM error is named");
	ok(ret == -EIO, "... and fails the erase");
	nvme_close(c);
	fake_free(&f);

	fake_init(&f);
	c = open_ok(&f, &io, "no completion");
	nvme_namespaces(c, ns, 4, &n, err, sizeof(err));
	f.swallow = true;
	ret = nvme_rw(c, 1, 0, 1, blk, false, err, sizeof(err));
	ok(ret == -ETIMEDOUT && strstr(err, "Read (namespace 1, LBA 0, 1 blocks): no completion "
				       "within 30 s"), "a command never completing: %s", err);
	ok(f.clock >= 30000000 && f.clock < 31000000, "... after 30 s");
	ret = nvme_rw(c, 1, 0, 1, blk, false, err, sizeof(err));
	ok(ret == -EIO && strstr(err, "stopped responding earlier"), "... nothing more is sent");
	nvme_close(c);
	ok(f.live_dma == 0 && !(f.cc & 1), "... close still disables and frees");
	fake_free(&f);

	fake_init(&f);
	c = open_ok(&f, &io, "bad CID");
	f.bad_cid = true;
	ret = nvme_namespaces(c, ns, 4, &n, err, sizeof(err));
	ok(ret == -EPROTO && strstr(err, "completion for CID"), "a completion for another CID: %s",
	   err);
	nvme_close(c);
	fake_free(&f);

	fake_init(&f);
	f.no_cns2 = true;
	f.ns[2].active = false;
	ns_make(&f, 4, 64, 0);
	c = open_ok(&f, &io, "no CNS 02h");
	ret = nvme_namespaces(c, ns, 4, &n, err, sizeof(err));
	ok(ret == 0 && n == 2 && ns[0].nsid == 1 && ns[1].nsid == 4 && ns[1].nsze == 64,
	   "no active NSID list: namespaces found among 1..NN");
	nvme_close(c);
	fake_free(&f);
}

static void test_baseline(void)
{
	struct nvme_baseline a, b, p, s0;
	struct fake f;
	struct nvme_io io;
	struct nvme_ctrl *c;
	char why[512], text[2048], err[256];
	int ret;

	fake_init(&f);
	c = open_ok(&f, &io, "baseline");
	ret = nvme_baseline_take(c, &a, err, sizeof(err));
	ok(ret == 0 && !strcmp(a.fr, "1.0") && a.afi == 1 && !strcmp(a.frs[1], "0.9") &&
	   !a.frs[2][0] && a.nn == 4 && a.nns == 2 && a.ns[1].nsid == 2 && a.ns[1].lba_size == 4096,
	   "baseline taken");
	nvme_baseline_take(c, &b, err, sizeof(err));
	ret = nvme_baseline_compare(&a, &b, why, sizeof(why));
	ok(ret == 0 && !why[0], "unchanged: equal");

	strcpy(f.fr, "2.0");
	strcpy(f.frs[1], "2.0");
	f.afi = 0x21;
	nvme_baseline_take(c, &b, err, sizeof(err));
	ret = nvme_baseline_compare(&a, &b, why, sizeof(why));
	ok(ret == 1, "firmware changed: different");
	is_str(why, "firmware FR 1.0 -> 2.0; firmware slot activated at the next reset (AFI) none "
	       "-> 2; firmware slot 2 0.9 -> 2.0", "... each difference named");
	strcpy(f.fr, "1.0");
	strcpy(f.frs[1], "0.9");
	f.afi = 1;

	ns_make(&f, 3, 128, 0);
	nvme_baseline_take(c, &b, err, sizeof(err));
	nvme_baseline_compare(&a, &b, why, sizeof(why));
	is_str(why, "namespace 3 appeared (NSZE 128, LBA size 512)", "namespace added");
	f.ns[3].active = false;
	f.ns[2].active = false;
	nvme_baseline_take(c, &b, err, sizeof(err));
	nvme_baseline_compare(&a, &b, why, sizeof(why));
	is_str(why, "namespace 2 disappeared", "namespace removed");
	f.ns[2].active = true;
	f.ns[1].nsze = 256;
	f.ns[1].ncap = 200;
	nvme_baseline_take(c, &b, err, sizeof(err));
	nvme_baseline_compare(&a, &b, why, sizeof(why));
	is_str(why, "namespace 1 NSZE 512 -> 256; namespace 1 NCAP 512 -> 200", "namespace resized");
	f.ns[1].nsze = f.ns[1].ncap = 512;
	f.ns[2].flbas = 0;
	nvme_baseline_take(c, &b, err, sizeof(err));
	nvme_baseline_compare(&a, &b, why, sizeof(why));
	is_str(why, "namespace 2 FLBAS 0x01 -> 0x00; namespace 2 LBA size 4096 -> 512",
	       "format changed");
	f.ns[2].flbas = 1;

	/* a tenant's own Format NVM to another LBA format, a command without data */
	{
		uint32_t cmd[16] = { 0x80, 1 };

		cmd[10] = 1;		/* LBAF 1: 4096-byte blocks */
		ret = nvme_admin_nodata(c, cmd, 5, err, sizeof(err));
		ok(ret == 0 && f.nfmt == 1, "admin command without data: Format NVM to LBAF 1: %s",
		   err);
		nvme_baseline_take(c, &b, err, sizeof(err));
		nvme_baseline_compare(&a, &b, why, sizeof(why));
		is_str(why, "namespace 1 NSZE 512 -> 64; namespace 1 NCAP 512 -> 64; namespace 1 FLBAS "
		       "0x00 -> 0x01; namespace 1 LBA size 512 -> 4096", "... the baseline names it");
		memset(cmd, 0, sizeof(cmd));
		cmd[0] = 0x80;
		cmd[1] = 1;
		cmd[10] = 7;		/* a format the controller does not have */
		ret = nvme_admin_nodata(c, cmd, 5, err, sizeof(err));
		ok(ret == 0x10a && strstr(err, "admin command 80h: "),
		   "... a refused one: its NVMe status, the command named: %s", err);
		ns_make(&f, 1, 512, 0);
	}
	nvme_close(c);

	/* security: an Opal 2 drive, as the host had it, then as a tenant left it */
	err[0] = '\0';
	f.oacs |= 1;
	f.protos[0] = 0x00;
	f.protos[1] = 0x01;
	f.protos[2] = 0xea;
	f.nprotos = 3;
	f.ssc = 0x0203;
	f.locking = 0x09;		/* locking supported, media encryption */
	c = open_ok(&f, &io, "security");
	ret = nvme_baseline_take(c, &s0, err, sizeof(err));
	ok(ret == 0 && s0.sec_known && s0.sec && s0.nprotos == 3 && s0.protos[2] == 0xea &&
	   s0.ssc == 0x0203 && s0.locking == 0x09, "Opal: protocols, SSC and Locking feature: %s",
	   err);
	ok(nvme_baseline_compare(&a, &s0, why, sizeof(why)) == 1, "... differs from no security");
	is_str(why, "security protocols none (OACS bit 0 clear) -> 00,01,ea; TCG SSC none -> "
	       "Opal 2; TCG Locking feature appeared", "... named");
	f.locking = 0x09 | 0x02 | 0x04 | 0x10 | 0x20;
	nvme_baseline_take(c, &b, err, sizeof(err));
	ok(nvme_baseline_compare(&s0, &b, why, sizeof(why)) == 1, "a tenant took ownership: differs");
	is_str(why, "TCG locking enabled no -> yes; TCG locked no -> yes; TCG MBR shadowing enabled "
	       "no -> yes", "... each bit named (MBR Done is not compared)");
	ret = nvme_baseline_format(&b, text, sizeof(text));
	ok(ret > 0 && strstr(text, " sec=00+01+ea/0203/3f"), "... kept as sec=00+01+ea/0203/3f");
	ret = nvme_baseline_parse(text, &p, err, sizeof(err));
	ok(ret == 0 && !memcmp(&p, &b, sizeof(b)), "... and parsed back: %s", err);
	f.ssc = 0;
	f.locking = -1;
	f.nprotos = 1;
	nvme_baseline_take(c, &b, err, sizeof(err));
	nvme_baseline_compare(&s0, &b, why, sizeof(why));
	is_str(why, "security protocols 00,01,ea -> 00; TCG SSC Opal 2 -> none; TCG Locking feature "
	       "disappeared", "TCG gone (firmware): named");
	ret = nvme_baseline_format(&b, text, sizeof(text));
	ok(ret > 0 && strstr(text, " sec=00/0000/--"), "... kept as sec=00/0000/--");
	f.nprotos = 3;
	f.oacs &= (uint16_t)~1;
	nvme_close(c);
	/* a baseline kept before it held the security state: compared without it */
	ret = nvme_baseline_parse("nvme-baseline/1 sn=A mn=B fr=C afi=01 fw=,,,,,, nn=1 ns=",
				  &p, err, sizeof(err));
	ok(ret == 0 && !p.sec_known, "no sec=: parses, the security state unknown");
	b = p;
	b.sec_known = true;
	b.sec = true;
	b.locking = 0x07;
	ok(nvme_baseline_compare(&p, &b, why, sizeof(why)) == 0, "... and is not compared");
	{
		static const char *const bad[] = {
			"sec=", "sec=nope", "sec=01/0203", "sec=1/0203/00", "sec=01+/0203/00",
			"sec=01/203/00", "sec=01/0203/0", "sec=01/0203/--x", "sec=zz/0203/00",
		};
		size_t k;

		for (k = 0; k < ARRAY_SIZE(bad); k++) {
			char t[256], want[64];

			snprintf(t, sizeof(t), "nvme-baseline/1 sn=A mn=B fr=C afi=01 fw=,,,,,, nn=1 "
				 "ns= %s", bad[k]);
			snprintf(want, sizeof(want), "bad token '%s'", bad[k]);
			ret = nvme_baseline_parse(t, &p, err, sizeof(err));
			ok(ret == -EINVAL && !strcmp(err, want), "%s refused: %s", bad[k], err);
		}
	}

	/* text form */
	strcpy(a.mn, "Fake NVMe 100% Ctrl");
	strcpy(a.frs[6], "a,b:c");
	ret = nvme_baseline_format(&a, text, sizeof(text));
	ok(ret > 0 && (size_t)ret == strlen(text) && !strchr(text, '\n'), "formatted: %s", text);
	ok(strstr(text, " mn=Fake%20NVMe%20100%25%20Ctrl ") != NULL, "... MN's spaces escaped");
	ret = nvme_baseline_parse(text, &p, err, sizeof(err));
	ok(ret == 0 && !memcmp(&p, &a, sizeof(a)), "parse(format(b)) == b");
	ok(nvme_baseline_compare(&a, &p, why, sizeof(why)) == 0, "... and compares equal");
	ret = nvme_baseline_format(&a, text, 10);
	ok(ret > 10 && strlen(text) == 9, "a short buffer: truncated, the length needed returned");

	ret = nvme_baseline_format(&a, text, sizeof(text));
	{
		char bad[2100];
		char *nn = strstr(text, " nn=4 ");

		ok(nn != NULL, "nn=4 in the text");
		if (nn) {
			snprintf(bad, sizeof(bad), "%.*s nn=4x %s", (int)(nn - text), text, nn + 6);
			ret = nvme_baseline_parse(bad, &p, err, sizeof(err));
			ok(ret == -EINVAL, "bad nn rejected");
			is_str(err, "bad token 'nn=4x'", "... naming the token");
		}
	}
	ret = nvme_baseline_parse("nvme-baseline/1 sn=A mn=B fr=C afi=01 fw=,,,,,, nn=1 "
				  "ns=1:10:10:00:512 colour=red", &p, err, sizeof(err));
	ok(ret == -EINVAL && !strcmp(err, "unknown token 'colour=red'"), "unknown key: %s", err);
	ret = nvme_baseline_parse("nvme-baseline/1 sn=A mn=B fr=C afi=01 fw=,,,,,, nn=1 "
				  "ns=1:10:10:00", &p, err, sizeof(err));
	ok(ret == -EINVAL && !strcmp(err, "bad token 'ns=1:10:10:00'"), "short namespace: %s", err);
	ret = nvme_baseline_parse("nvme-baseline/1 sn=A mn=B fr=C afi=01 fw=,,,,, nn=1 ns=",
				  &p, err, sizeof(err));
	ok(ret == -EINVAL && !strcmp(err, "bad token 'fw=,,,,,'"), "six firmware slots: %s", err);
	ret = nvme_baseline_parse("nvme-baseline/1 sn=A mn=B fr=C afi=01 fw=,,,,,, ns=", &p, err,
				  sizeof(err));
	ok(ret == -EINVAL && !strcmp(err, "no nn= token"), "missing key: %s", err);
	ret = nvme_baseline_parse("nvme-baseline/1 sn=A%2 mn=B fr=C afi=01 fw=,,,,,, nn=1 ns=",
				  &p, err, sizeof(err));
	ok(ret == -EINVAL && !strcmp(err, "bad token 'sn=A%2'"), "bad escape: %s", err);
	ret = nvme_baseline_parse("nvme-baseline/1 sn=A mn=B fr=C afi=01 fw=,,,,,, nn=1 ns=",
				  &p, err, sizeof(err));
	ok(ret == 0 && p.nns == 0 && !strcmp(p.sn, "A"), "no namespaces parses");
	ret = nvme_baseline_parse("ppt 1", &p, err, sizeof(err));
	ok(ret == -EINVAL && strstr(err, "not an NVMe baseline: 'ppt'"), "not a baseline: %s", err);
	fake_free(&f);
}

static void test_names(void)
{
	enum nvme_erase e, got;
	bool all = true;

	for (e = NVME_ERASE_AUTO; e <= NVME_ERASE_OVERWRITE; e++)
		if (nvme_erase_parse(nvme_erase_name(e), &got) || got != e)
			all = false;
	ok(all, "every method's name parses back to it");
	is_str(nvme_erase_name(NVME_ERASE_FORMAT_CRYPTO), "format-crypto", "format-crypto");
	ok(nvme_erase_parse("secure", &got) == -EINVAL, "an unknown name is rejected");
}

/* The agent's kept baselines: the first is kept, later ones compared. */
static void test_baseline_kept(void)
{
	char dir[] = "/tmp/test_nvme.XXXXXX", sub[64], file[128], cmd[96];
	char note[160], why[1024];
	struct nvme_baseline now;
	struct fake f;
	struct nvme_io io;
	struct nvme_ctrl *c;
	int ret;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(sub, sizeof(sub), "%s/lib/baseline", dir);
	snprintf(file, sizeof(file), "%s/nvme-0000:05:00.0.baseline", sub);
	fake_init(&f);
	c = open_ok(&f, &io, "kept baselines");
	nvme_baseline_take(c, &now, why, sizeof(why));
	note[0] = why[0] = '\0';
	ret = baseline_kept_check(sub, "0000:05:00.0", &now, note, sizeof(note), why, sizeof(why));
	ok(ret == 0, "the first erase: no baseline kept, so this one is");
	is_str(note, "baseline kept", "... saying so");
	ok(access(file, R_OK) == 0, "... in DIR/nvme-ADDRESS.baseline, its directories made");
	ret = baseline_kept_check(sub, "0000:05:00.0", &now, note, sizeof(note), why, sizeof(why));
	ok(ret == 0, "the next tenant left it as it was: the same");
	is_str(note, "baseline unchanged", "... saying so");

	/* a tenant who re-created a namespace and flashed firmware */
	ns_make(&f, 3, 128, 0);
	strcpy(f.fr, "2.0");
	nvme_baseline_take(c, &now, why, sizeof(why));
	ret = baseline_kept_check(sub, "0000:05:00.0", &now, note, sizeof(note), why, sizeof(why));
	ok(ret == 1, "a tenant changed the controller: it differs");
	{
		char want[1024];

		snprintf(want, sizeof(want), "the controller changed since its baseline (%s): "
			 "firmware FR 1.0 -> 2.0; namespace 3 appeared (NSZE 128, LBA size 512)", file);
		is_str(why, want, "... the file and each difference named");
	}
	ret = baseline_kept_check(sub, "0000:06:00.0", &now, note, sizeof(note), why, sizeof(why));
	ok(ret == 0 && !strcmp(note, "baseline kept"), "another controller has a baseline of its own");

	/* a kept file that does not parse: no comparison can vouch for it */
	{
		FILE *fp = fopen(file, "w");

		fputs("nvme-baseline/1 sn=A colour=red\n", fp);
		fclose(fp);
	}
	ret = baseline_kept_check(sub, "0000:05:00.0", &now, note, sizeof(note), why, sizeof(why));
	ok(ret == -EINVAL, "a kept baseline that does not parse fails");
	ok(strstr(why, "the kept baseline ") == why && strstr(why, "nvme-0000:05:00.0.baseline: "),
	   "... naming the file: %s", why);
	nvme_close(c);
	fake_free(&f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
}

/*
 * The passthrough transport the host's nvme driver gives (nvme_host.c):
 * the fake runs the admin command on data of its own, copied out after,
 * as the kernel's NVME_IOCTL_ADMIN_CMD does.  Anything the driver does
 * through registers counts as a fault: another driver runs the controller.
 */
struct passthru_fake {
	struct fake *f;
	unsigned int cmds, lens_bad;
	int fail_status;
};

static int f_passthru(void *ctx, const uint32_t cmd[16], void *data, uint32_t len, uint32_t *dw0)
{
	struct passthru_fake *pf = ctx;
	uint32_t c[16];
	uint64_t iova;
	uint16_t st;
	void *p;

	pf->cmds++;
	if (pf->fail_status)
		return pf->fail_status;
	if (!len || len > PG) {
		pf->lens_bad++;
		return -EINVAL;
	}
	p = f_alloc(pf->f, PG, &iova);
	if (!p)
		return -ENOMEM;
	memcpy(c, cmd, sizeof(c));
	c[6] = (uint32_t)iova;
	c[7] = (uint32_t)(iova >> 32);
	c[8] = c[9] = 0;
	st = do_admin(pf->f, c, dw0);
	memcpy(data, p, len);
	f_free(pf->f, p, PG);
	return st;
}

static void test_passthru(void)
{
	struct passthru_fake pf = { 0 };
	struct nvme_passthru pt = { &pf, f_passthru };
	struct nvme_baseline own, host;
	struct nvme_erase_report r;
	struct nvme_ctrl *c = NULL;
	struct nvme_io io;
	struct fake f;
	char err[256] = "", why[512];
	unsigned int n;
	int ret;

	fake_init(&f);
	c = open_ok(&f, &io, "passthru: own driver");
	nvme_baseline_take(c, &own, err, sizeof(err));
	nvme_close(c);
	fake_free(&f);
	fake_init(&f);
	pf.f = &f;
	ret = nvme_open_passthru(&pt, &c, err, sizeof(err));
	ok(ret == 0 && c, "passthru: opened through another driver's admin commands: %s", err);
	ok(f.cc == 0 && f.resets == 0, "... without touching its registers (CC 0x%x)", f.cc);
	is_str(nvme_ctrl_fr(c), "1.0", "... Identify Controller read");
	ret = nvme_baseline_take(c, &host, err, sizeof(err));
	ok(ret == 0 && nvme_baseline_compare(&own, &host, why, sizeof(why)) == 0,
	   "... its baseline is the one our own driver takes: %s%s", err, why);
	ok(pf.lens_bad == 0 && pf.cmds >= 4, "... each command with its data length (%u commands)",
	   pf.cmds);
	n = pf.cmds;
	ret = nvme_erase(c, NVME_ERASE_AUTO, 0, &r);
	ok(ret == -EOPNOTSUPP && strstr(r.why, "another driver's"),
	   "... an erase is refused: %s", r.why);
	ok(f.nfmt == 0 && f.sanitizes == 0 && f.nwz == 0 && f.faults == 0,
	   "... nothing was formatted, sanitized or zeroed (%u commands went through)",
	   pf.cmds - n);
	nvme_close(c);
	ok(f.live_dma == 0 && f.cc == 0, "... closing leaves the controller as it was");
	pf.fail_status = 0x4002;	/* DNR, Invalid Field */
	ret = nvme_open_passthru(&pt, &c, err, sizeof(err));
	ok(ret == -EIO && !c && strstr(err, "Identify Controller") && strstr(err, "Invalid Field"),
	   "a failing command names the command and its status: %s", err);
	pf.fail_status = -EACCES;
	ret = nvme_open_passthru(&pt, &c, err, sizeof(err));
	ok(ret == -EACCES && strstr(err, "Permission denied"), "an errno says so: %s", err);
	ok(nvme_open_passthru(NULL, &c, err, sizeof(err)) == -EINVAL, "no transport: -EINVAL");
	fake_free(&f);
}

int main(void)
{
	test_open_close();
	test_rw();
	test_auto();
	test_explicit();
	test_shared();
	test_sanitize();
	test_verify();
	test_faults();
	test_baseline();
	test_baseline_kept();
	test_passthru();
	test_names();
	return tap_done();
}
