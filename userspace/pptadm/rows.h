/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libppt's objects as pptadm's rows: devices, match entries and events
 * copied out of libppt's opaque objects into the plain structures that
 * output.h, events.h and inventory.h print and merge (and that the unit
 * tests build by hand).
 */
#ifndef PPTADM_ROWS_H
#define PPTADM_ROWS_H

#include <stddef.h>

#include "events.h"
#include "output.h"

/* A device's fields. */
void rows_dev(const struct ppt_dev *d, struct dev_info *out);

/* One device, as ppt_device_get(); the same return values. */
int rows_get(struct ppt_handle *h, const char *addr, struct dev_info *out);

/*
 * Every device ppt manages, as ppt_device_list(): *out is malloc()ed
 * (never NULL on success).
 */
int rows_list(struct ppt_handle *h, struct dev_info **out, size_t *n);

/* Every match entry, as ppt_match_list(): *out is malloc()ed. */
int rows_matches(struct ppt_handle *h, struct out_match **out, size_t *n);
/* The kernel's sanitiser policy, as sanitise list shows it. */
int rows_sanitise_rules(struct ppt_handle *h, struct out_sanitise_rule **out, size_t *n);

/* An event. */
void rows_event(const struct ppt_event *e, struct ev_event *out);

/*
 * Addresses as run.h and output.h take them: a malloc()ed array of n
 * (at least one element, so never NULL but without memory).
 */
char (*rows_addrs(char *const *addrs, size_t n))[PPT_ADDR_BUFLEN];

#endif /* PPTADM_ROWS_H */
