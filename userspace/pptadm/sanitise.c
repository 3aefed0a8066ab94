// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running a sanitiser (sanitise.h; its spec is parsed in sanitise_spec.c)
 * on a device opened through VFIO: the NVMe driver (nvme.c) reaches its
 * controller through BAR0 of the VFIO device and DMA memory mapped in the
 * device's IOMMU domain; the bar sanitiser (sanitise_bar.c) through the
 * BARs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "baseline_kept.h"
#include "nvme_vfio.h"
#include "sanitise.h"
#include "vfio_dev.h"

static long long now_ms(void);

/*
 * With baselines (the agent's): the controller as the tenant left it,
 * compared after the erase with the one kept (baseline_kept.h).
 */
static int run_nvme(const char *addr, const struct sanitiser_spec *s, unsigned int timeout_s,
		    const char *baselines, struct sanitise_result *r)
{
	struct nvme_erase_report rep;
	struct nvme_baseline now;
	struct nvme_ctrl *ctrl;
	struct nvme_vfio nv;
	struct vfio_dev d;
	struct nvme_io io;
	char note[160] = "";
	int ret, diff;

	ret = nvme_vfio_open(&d, &nv, &io, addr, r->why, sizeof(r->why));
	if (ret)
		return ret;
	ret = nvme_open(&io, &ctrl, r->why, sizeof(r->why));
	if (!ret) {
		if (baselines)
			ret = nvme_baseline_take(ctrl, &now, r->why, sizeof(r->why));
		memset(&rep, 0, sizeof(rep));
		if (!ret) {
			ret = nvme_erase(ctrl, s->erase, timeout_s, &rep);
			snprintf(r->method, sizeof(r->method), "%s", nvme_erase_name(rep.method));
			snprintf(r->offered, sizeof(r->offered), "%s", rep.offered);
			if (ret)
				snprintf(r->why, sizeof(r->why), "%s", rep.why);
		}
		if (!ret && baselines) {
			diff = baseline_kept_check(baselines, addr, &now, note, sizeof(note),
						   r->why, sizeof(r->why));
			if (diff)
				ret = diff > 0 ? -EIO : diff;
		}
		/* a long list of what was read back ends in "..." */
		if (snprintf(r->verified, sizeof(r->verified), "%s%s%s", rep.verified,
			     rep.verified[0] && note[0] ? "; " : "", note) >= (int)sizeof(r->verified))
			strcpy(r->verified + sizeof(r->verified) - 4, "...");
		nvme_close(ctrl);
	}
	if (nv.err && !ret) {
		ret = nv.err;
		snprintf(r->why, sizeof(r->why), "BAR0 access: %s", strerror(-ret));
	}
	vfio_dev_close(&d);
	return ret;
}

/* The controller's baseline, read through VFIO: 0, or a negative errno with why. */
static int baseline_through_vfio(const char *addr, struct nvme_baseline *b, char *why,
				 size_t whylen)
{
	struct nvme_ctrl *ctrl;
	struct nvme_vfio nv;
	struct vfio_dev d;
	struct nvme_io io;
	int ret;

	ret = nvme_vfio_open(&d, &nv, &io, addr, why, whylen);
	if (ret)
		return ret;
	ret = nvme_open(&io, &ctrl, why, whylen);
	if (!ret) {
		ret = nvme_baseline_take(ctrl, b, why, whylen);
		nvme_close(ctrl);
	}
	if (nv.err && !ret) {
		ret = nv.err;
		snprintf(why, whylen, "BAR0 access: %s", strerror(-ret));
	}
	vfio_dev_close(&d);
	return ret;
}

int sanitise_nvme_baseline(const char *addr, char *text, size_t len, char *why, size_t whylen)
{
	struct nvme_baseline b;
	int ret, n;

	ret = baseline_through_vfio(addr, &b, why, whylen);
	if (ret)
		return ret;
	n = nvme_baseline_format(&b, text, len);
	if (n < 0 || (size_t)n >= len) {
		snprintf(why, whylen, "the baseline does not fit in %zu bytes", len);
		return n < 0 ? n : -ENOSPC;
	}
	return 0;
}

/*
 * An inspection (the kernel's PPT_A_INSPECT): the controller's baseline
 * kept, or compared with the one kept, and nothing erased.  This is how
 * a controller that ppt claimed at boot, which never had the host's nvme
 * driver for pptadm reserve to read it through, gets a baseline before
 * its first tenant.
 */
static int inspect_nvme(const char *addr, const char *baselines, struct sanitise_result *r)
{
	struct nvme_baseline now;
	int ret, diff;

	ret = baseline_through_vfio(addr, &now, r->why, sizeof(r->why));
	if (ret)
		return ret;
	snprintf(r->method, sizeof(r->method), "inspect");
	diff = baseline_kept_check(baselines, addr, &now, r->verified, sizeof(r->verified),
				   r->why, sizeof(r->why));
	if (diff)
		return diff > 0 ? -EIO : diff;
	/* keeping it was the point: a baseline that could not be kept fails */
	if (!baseline_kept_has(baselines, addr)) {
		snprintf(r->why, sizeof(r->why), "%s", r->verified);
		return -EIO;
	}
	return 0;
}

int sanitise_inspect(const char *addr, const struct sanitiser_spec *s, const char *baselines,
		     struct sanitise_result *r)
{
	long long t0 = now_ms();
	int ret;

	memset(r, 0, sizeof(*r));
	if (s->kind == SANITISER_NVME) {
		ret = inspect_nvme(addr, baselines, r);
	} else {
		ret = -EOPNOTSUPP;
		snprintf(r->why, sizeof(r->why),
			 "the %s sanitiser keeps no baseline: only nvme inspects a device",
			 s->kind == SANITISER_BAR ? "bar" : "exec");
	}
	r->ms = now_ms() - t0;
	return ret;
}

/* --- bar ------------------------------------------------------------------- */

static int run_bar(const char *addr, const struct sanitiser_spec *s, struct sanitise_result *r)
{
	struct bar_report rep;
	struct vfio_dev d;
	int ret;

	ret = vfio_dev_open(&d, addr, r->why, sizeof(r->why));
	if (ret)
		return ret;
	ret = sanitise_bars(&d, s->bars, s->bar_mask, &rep);
	snprintf(r->method, sizeof(r->method), "zero");
	snprintf(r->verified, sizeof(r->verified), "%s", rep.verified);
	if (ret)
		snprintf(r->why, sizeof(r->why), "%s", rep.why);
	vfio_dev_close(&d);
	return ret;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int sanitise_run(const char *addr, const struct sanitiser_spec *s, unsigned int timeout_s,
		 const char *baselines, struct sanitise_result *r)
{
	long long t0 = now_ms();
	int ret;

	memset(r, 0, sizeof(*r));
	switch (s->kind) {
	case SANITISER_NVME:
		ret = run_nvme(addr, s, timeout_s, baselines, r);
		break;
	case SANITISER_BAR:
		ret = run_bar(addr, s, r);
		break;
	default:
		ret = sanitise_exec(addr, s->prog, timeout_s, r);
	}
	r->ms = now_ms() - t0;
	return ret;
}
