// SPDX-License-Identifier: GPL-2.0-only
/*
 * libppt's objects as pptadm's rows; see rows.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rows.h"

/* A string getter's value, "" for NULL. */
static void copy(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s ? s : "");
}

void rows_dev(const struct ppt_dev *d, struct dev_info *out)
{
	memset(out, 0, sizeof(*out));
	copy(out->addr, sizeof(out->addr), ppt_dev_addr(d));
	out->vendor = ppt_dev_vendor(d);
	out->device = ppt_dev_device(d);
	out->subvendor = ppt_dev_subvendor(d);
	out->subdevice = ppt_dev_subdevice(d);
	out->pci_class = ppt_dev_class(d);
	out->revision = ppt_dev_revision(d);
	out->state = ppt_dev_state(d);
	copy(out->driver, sizeof(out->driver), ppt_dev_driver(d));
	copy(out->owner, sizeof(out->owner), ppt_dev_owner(d));
	out->iommu_group = ppt_dev_iommu_group(d);
	copy(out->path, sizeof(out->path), ppt_dev_path(d));
	out->boot_listed = ppt_dev_boot_listed(d);
	out->adopted = ppt_dev_adopted(d);
	out->reset_methods = ppt_dev_reset_methods(d);
	out->last_reset = ppt_dev_last_reset(d);
	out->last_reset_usec = ppt_dev_last_reset_usec(d);
	out->last_reset_inferred = ppt_dev_last_reset_inferred(d);
	copy(out->slot, sizeof(out->slot), ppt_dev_slot(d));
	out->reset_pref = ppt_dev_reset_pref(d);
	out->lease = ppt_dev_lease(d);
	out->lease_ended = ppt_dev_lease_ended(d);
	out->tainted = ppt_dev_tainted(d);
	out->gated = ppt_dev_gated(d);
	out->recycle = ppt_dev_recycle(d);
	out->recycles = ppt_dev_recycles(d);
	copy(out->reason, sizeof(out->reason), ppt_dev_reason(d));
	copy(out->sanitiser, sizeof(out->sanitiser), ppt_dev_sanitiser(d));
	out->sanitised = ppt_dev_sanitised(d);
	copy(out->last_sanitiser, sizeof(out->last_sanitiser), ppt_dev_last_sanitiser(d));
	out->last_sanitise_time = ppt_dev_last_sanitise_time(d);
	out->last_sanitise_usec = ppt_dev_last_sanitise_usec(d);
	out->last_sanitise_err = ppt_dev_last_sanitise_error(d);
	copy(out->last_sanitise_method, sizeof(out->last_sanitise_method),
	     ppt_dev_last_sanitise_method(d));
	copy(out->last_sanitise_verified, sizeof(out->last_sanitise_verified),
	     ppt_dev_last_sanitise_verified(d));
	copy(out->last_sanitise_msg, sizeof(out->last_sanitise_msg), ppt_dev_last_sanitise_msg(d));
}

int rows_get(struct ppt_handle *h, const char *addr, struct dev_info *out)
{
	struct ppt_dev *d;
	int ret = ppt_device_get(h, addr, &d);

	if (!ret)
		rows_dev(d, out);
	ppt_dev_free(d);
	return ret;
}

int rows_list(struct ppt_handle *h, struct dev_info **out, size_t *n)
{
	struct ppt_dev **devs;
	size_t i, k = 0;
	int ret = ppt_device_list(h, &devs, &k);

	*out = NULL;
	*n = 0;
	if (ret)
		return ret;
	*out = calloc(k + 1, sizeof(**out));
	for (i = 0; *out && i < k; i++)
		rows_dev(devs[i], &(*out)[i]);
	ppt_dev_list_free(devs);
	if (!*out)
		return -ENOMEM;
	*n = k;
	return 0;
}

int rows_matches(struct ppt_handle *h, struct out_match **out, size_t *n)
{
	struct ppt_match **m;
	size_t i, k = 0;
	int ret = ppt_match_list(h, &m, &k);

	*out = NULL;
	*n = 0;
	if (ret)
		return ret;
	*out = calloc(k + 1, sizeof(**out));
	for (i = 0; *out && i < k; i++) {
		(*out)[i].kind = ppt_match_kind(m[i]);
		copy((*out)[i].text, sizeof((*out)[i].text), ppt_match_text(m[i]));
		(*out)[i].boot = ppt_match_boot(m[i]);
		(*out)[i].reset_pref = ppt_match_reset_pref(m[i]);
	}
	ppt_match_list_free(m);
	if (!*out)
		return -ENOMEM;
	*n = k;
	return 0;
}

int rows_sanitise_rules(struct ppt_handle *h, struct out_sanitise_rule **out, size_t *n)
{
	struct ppt_sanitise_rule **r;
	size_t i, k = 0;
	int ret = ppt_sanitise_list(h, &r, &k);

	*out = NULL;
	*n = 0;
	if (ret)
		return ret;
	*out = calloc(k + 1, sizeof(**out));
	for (i = 0; *out && i < k; i++) {
		(*out)[i].kind = ppt_sanitise_rule_kind(r[i]);
		copy((*out)[i].selector, sizeof((*out)[i].selector),
		     ppt_sanitise_rule_selector(r[i]));
		copy((*out)[i].sanitiser, sizeof((*out)[i].sanitiser),
		     ppt_sanitise_rule_sanitiser(r[i]));
		(*out)[i].source = ppt_sanitise_rule_default(r[i]) ? "default" :
				   ppt_sanitise_rule_boot(r[i]) ? "boot" : "runtime";
	}
	ppt_sanitise_list_free(r);
	if (!*out)
		return -ENOMEM;
	*n = k;
	return 0;
}

void rows_event(const struct ppt_event *e, struct ev_event *out)
{
	const struct ppt_req *r = ppt_event_req(e);
	struct ev_request *q = &out->request;

	memset(out, 0, sizeof(*out));
	out->type = ppt_event_type(e);
	out->seq = ppt_event_seq(e);
	out->removed = ppt_event_removed(e);
	out->lost_reason = ppt_event_lost_reason(e);
	out->lost = ppt_event_lost_count(e);
	out->lost_after = ppt_event_lost_after(e);
	out->device.iommu_group = -1;
	out->device.last_reset = -1;
	out->device.reset_pref = -1;
	if (ppt_event_dev(e))
		rows_dev(ppt_event_dev(e), &out->device);
	if (!r)
		return;
	q->id = ppt_req_id(r);
	q->cmd = ppt_req_cmd(r);
	copy(q->addr, sizeof(q->addr), ppt_req_addr(r));
	q->error = ppt_req_error(r);
	copy(q->msg, sizeof(q->msg), ppt_req_msg(r));
	copy(q->blocker, sizeof(q->blocker), ppt_req_blocker(r));
	copy(q->blocker_driver, sizeof(q->blocker_driver), ppt_req_blocker_driver(r));
}

char (*rows_addrs(char *const *addrs, size_t n))[PPT_ADDR_BUFLEN]
{
	char (*out)[PPT_ADDR_BUFLEN] = calloc(n + 1, sizeof(*out));
	size_t i;

	for (i = 0; out && i < n; i++)
		copy(out[i], sizeof(out[i]), addrs[i]);
	return out;
}
