// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libppt: device objects.  A struct ppt_dev is parsed from the device
 * attributes of a reply or notification and read through getters; it
 * remembers which attributes the kernel sent, so that a flag an older
 * module does not report can be told from a false one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ppt_internal.h"

static bool has(const struct ppt_dev *d, uint32_t attr)
{
	return attr <= PPT_A_MAX && (d->present[attr / 64] >> (attr % 64) & 1);
}

/* An enum value of a u32 attribute, or -1 when absent or out of range. */
static int32_t enum_of(struct nlattr *a)
{
	uint32_t v;

	if (!a)
		return -1;
	v = nla_get_u32(a);
	return v <= INT32_MAX ? (int32_t)v : -1;
}

struct ppt_dev *ppt__dev_parse(struct nlattr **tb, int *err)
{
	struct ppt_dev *d;
	uint32_t i;

	if (!tb[PPT_A_DEV_ADDR] || !tb[PPT_A_DEV_STATE]) {
		*err = -EPROTO;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i <= PPT_A_MAX; i++)
		if (tb[i])
			d->present[i / 64] |= 1ull << (i % 64);
	ppt__copy_str(d->addr, sizeof(d->addr), tb[PPT_A_DEV_ADDR]);
	if (tb[PPT_A_DEV_VENDOR])
		d->vendor = nla_get_u16(tb[PPT_A_DEV_VENDOR]);
	if (tb[PPT_A_DEV_DEVICE])
		d->device = nla_get_u16(tb[PPT_A_DEV_DEVICE]);
	if (tb[PPT_A_DEV_SUBVENDOR])
		d->subvendor = nla_get_u16(tb[PPT_A_DEV_SUBVENDOR]);
	if (tb[PPT_A_DEV_SUBDEVICE])
		d->subdevice = nla_get_u16(tb[PPT_A_DEV_SUBDEVICE]);
	if (tb[PPT_A_DEV_CLASS])
		d->pci_class = nla_get_u32(tb[PPT_A_DEV_CLASS]);
	if (tb[PPT_A_DEV_REVISION])
		d->revision = nla_get_u8(tb[PPT_A_DEV_REVISION]);
	d->state = nla_get_u32(tb[PPT_A_DEV_STATE]);
	ppt__copy_str(d->driver, sizeof(d->driver), tb[PPT_A_DEV_DRIVER]);
	ppt__copy_str(d->owner, sizeof(d->owner), tb[PPT_A_DEV_OWNER]);
	d->iommu_group = tb[PPT_A_DEV_IOMMU_GROUP] ?
		(int64_t)nla_get_u32(tb[PPT_A_DEV_IOMMU_GROUP]) : -1;
	ppt__copy_str(d->path, sizeof(d->path), tb[PPT_A_DEV_PATH]);
	ppt__copy_str(d->slot, sizeof(d->slot), tb[PPT_A_DEV_SLOT]);
	ppt__copy_str(d->reason, sizeof(d->reason), tb[PPT_A_DEV_REASON]);
	ppt__copy_str(d->sanitiser, sizeof(d->sanitiser), tb[PPT_A_DEV_SANITISER]);
	if (tb[PPT_A_DEV_RESET_METHODS])
		d->reset_methods = nla_get_u32(tb[PPT_A_DEV_RESET_METHODS]);
	d->last_reset = enum_of(tb[PPT_A_DEV_LAST_RESET]);
	if (d->last_reset >= 0 && tb[PPT_A_DEV_LAST_RESET_USEC])
		d->last_reset_usec = nla_get_u64(tb[PPT_A_DEV_LAST_RESET_USEC]);
	d->reset_pref = enum_of(tb[PPT_A_DEV_RESET_PREF]);
	if (tb[PPT_A_DEV_LEASE])
		d->lease = nla_get_u32(tb[PPT_A_DEV_LEASE]);
	if (tb[PPT_A_DEV_RECYCLES])
		d->recycles = nla_get_u32(tb[PPT_A_DEV_RECYCLES]);
	ppt__copy_str(d->last_sanitiser, sizeof(d->last_sanitiser),
		      tb[PPT_A_DEV_LAST_SANITISER]);
	if (tb[PPT_A_DEV_LAST_SANITISE_TIME])
		d->last_sanitise_time = nla_get_u64(tb[PPT_A_DEV_LAST_SANITISE_TIME]);
	if (tb[PPT_A_DEV_LAST_SANITISE_USEC])
		d->last_sanitise_usec = nla_get_u64(tb[PPT_A_DEV_LAST_SANITISE_USEC]);
	if (tb[PPT_A_DEV_LAST_SANITISE_ERRNO])
		d->last_sanitise_errno = nla_get_u32(tb[PPT_A_DEV_LAST_SANITISE_ERRNO]);
	ppt__copy_str(d->last_sanitise_method, sizeof(d->last_sanitise_method),
		      tb[PPT_A_DEV_LAST_SANITISE_METHOD]);
	ppt__copy_str(d->last_sanitise_verified, sizeof(d->last_sanitise_verified),
		      tb[PPT_A_DEV_LAST_SANITISE_VERIFIED]);
	ppt__copy_str(d->last_sanitise_msg, sizeof(d->last_sanitise_msg),
		      tb[PPT_A_DEV_LAST_SANITISE_MSG]);
	return d;
}

const char *ppt_dev_addr(const struct ppt_dev *d)
{
	return d->addr;
}

uint16_t ppt_dev_vendor(const struct ppt_dev *d)
{
	return d->vendor;
}

uint16_t ppt_dev_device(const struct ppt_dev *d)
{
	return d->device;
}

uint16_t ppt_dev_subvendor(const struct ppt_dev *d)
{
	return d->subvendor;
}

uint16_t ppt_dev_subdevice(const struct ppt_dev *d)
{
	return d->subdevice;
}

uint32_t ppt_dev_class(const struct ppt_dev *d)
{
	return d->pci_class;
}

uint8_t ppt_dev_revision(const struct ppt_dev *d)
{
	return d->revision;
}

uint32_t ppt_dev_state(const struct ppt_dev *d)
{
	return d->state;
}

/* A string attribute: NULL when the kernel sent none. */
static const char *str(const struct ppt_dev *d, uint32_t attr, const char *s)
{
	return has(d, attr) ? s : NULL;
}

const char *ppt_dev_driver(const struct ppt_dev *d)
{
	return str(d, PPT_A_DEV_DRIVER, d->driver);
}

const char *ppt_dev_owner(const struct ppt_dev *d)
{
	return str(d, PPT_A_DEV_OWNER, d->owner);
}

int64_t ppt_dev_iommu_group(const struct ppt_dev *d)
{
	return d->iommu_group;
}

const char *ppt_dev_path(const struct ppt_dev *d)
{
	return str(d, PPT_A_DEV_PATH, d->path);
}

const char *ppt_dev_slot(const struct ppt_dev *d)
{
	return str(d, PPT_A_DEV_SLOT, d->slot);
}

bool ppt_dev_boot_listed(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_BOOT_LISTED);
}

bool ppt_dev_adopted(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_ADOPTED);
}

uint32_t ppt_dev_reset_methods(const struct ppt_dev *d)
{
	return d->reset_methods;
}

int ppt_dev_last_reset(const struct ppt_dev *d)
{
	return d->last_reset;
}

uint64_t ppt_dev_last_reset_usec(const struct ppt_dev *d)
{
	return d->last_reset_usec;
}

bool ppt_dev_last_reset_inferred(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_LAST_RESET_INFERRED);
}

int ppt_dev_reset_pref(const struct ppt_dev *d)
{
	return d->reset_pref;
}

uint32_t ppt_dev_lease(const struct ppt_dev *d)
{
	return d->lease;
}

bool ppt_dev_lease_ended(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_LEASE_ENDED);
}

bool ppt_dev_recycle(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_RECYCLE);
}

const char *ppt_dev_sanitiser(const struct ppt_dev *d)
{
	return d->sanitiser[0] ? d->sanitiser : NULL;
}

uint32_t ppt_dev_recycles(const struct ppt_dev *d)
{
	return d->recycles;
}

bool ppt_dev_tainted(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_TAINTED);
}

bool ppt_dev_gated(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_GATED);
}

const char *ppt_dev_reason(const struct ppt_dev *d)
{
	return str(d, PPT_A_DEV_REASON, d->reason);
}

bool ppt_dev_sanitised(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_SANITISED);
}

const char *ppt_dev_last_sanitiser(const struct ppt_dev *d)
{
	return str(d, PPT_A_DEV_LAST_SANITISER, d->last_sanitiser);
}

/*
 * The rest of the last sanitise is read only with its sanitiser: a stray
 * number without it describes nothing.
 */
uint64_t ppt_dev_last_sanitise_time(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_LAST_SANITISER) ? d->last_sanitise_time : 0;
}

uint64_t ppt_dev_last_sanitise_usec(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_LAST_SANITISER) ? d->last_sanitise_usec : 0;
}

int ppt_dev_last_sanitise_error(const struct ppt_dev *d)
{
	/* errno values fit in 16 bits; anything else is no errno */
	if (!has(d, PPT_A_DEV_LAST_SANITISER))
		return 0;
	return d->last_sanitise_errno ? -(int)(d->last_sanitise_errno & 0xffff) : 0;
}

const char *ppt_dev_last_sanitise_method(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_LAST_SANITISER) ?
		str(d, PPT_A_DEV_LAST_SANITISE_METHOD, d->last_sanitise_method) : NULL;
}

const char *ppt_dev_last_sanitise_verified(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_LAST_SANITISER) ?
		str(d, PPT_A_DEV_LAST_SANITISE_VERIFIED, d->last_sanitise_verified) : NULL;
}

const char *ppt_dev_last_sanitise_msg(const struct ppt_dev *d)
{
	return has(d, PPT_A_DEV_LAST_SANITISER) ?
		str(d, PPT_A_DEV_LAST_SANITISE_MSG, d->last_sanitise_msg) : NULL;
}

bool ppt_dev_has_attr(const struct ppt_dev *d, uint32_t attr)
{
	return has(d, attr);
}

struct ppt_dev *ppt_dev_dup(const struct ppt_dev *d)
{
	struct ppt_dev *c = malloc(sizeof(*c));

	if (c)
		*c = *d;
	return c;
}

void ppt_dev_free(struct ppt_dev *d)
{
	free(d);
}

void ppt_dev_list_free(struct ppt_dev **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		ppt_dev_free(list[i]);
	free(list);
}
