/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm's output formats: a human table, JSON, and the parseable form
 * (-p -o FIELD,...: values separated by ':', with ':' and '\' escaped by
 * a backslash, as illumos pptadm and dladm print them).
 */
#ifndef PPTADM_OUTPUT_H
#define PPTADM_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "libppt.h"

enum out_format { OUT_TABLE, OUT_JSON, OUT_PARSEABLE };

/* A device as pptadm prints it: the kernel's view plus libpci's names. */
struct out_device {
	struct ppt_device_info info;
	char name[128];			/* "Vendor Device" from pci.ids */
};

#define OUT_MAX_FIELDS 32

struct out_fields {
	int idx[OUT_MAX_FIELDS];
	int n;
};

/* Missing values print as this, as in illumos pptadm. */
#define OUT_NONE "--"

void json_string(FILE *f, const char *s);
void parseable_string(FILE *f, const char *s);

/*
 * Parse "-o" argument "addr,state,..." into fields; NULL selects the
 * default columns.  On error returns -1 and points *bad at the bad name.
 */
int out_fields_parse(const char *list, struct out_fields *fields,
		     char *bad, size_t badlen);

/* The comma-separated list of every field name, for usage messages. */
const char *out_field_names(void);

void out_devices(FILE *f, enum out_format fmt, const struct out_fields *fields,
		 const struct out_device *devs, size_t n);

#endif /* PPTADM_OUTPUT_H */
