// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the variants file parser (userspace/pptadm/variants.c).
 *
 * The input is a whole file, NUL bytes and all.  Besides the sanitizers'
 * findings, it checks what must hold of any input: a refused file leaves
 * nothing behind and says FILE:LINE; an accepted one has every ID point at
 * a variant, and each ID's own ids find a variant at least that specific.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "variants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out_device devs[3];
	struct variants vs;
	char err[512] = "";
	size_t i;
	int ret;

	ret = variants_parse(&vs, "fuzz.conf", (const char *)data, size, err, sizeof(err));
	if (ret) {
		if (vs.n || vs.nids || vs.path || strncmp(err, "fuzz.conf:", 10))
			abort();
		variants_free(&vs);
		return 0;
	}
	for (i = 0; i < vs.nids; i++) {
		const struct variant_id *id = &vs.ids[i];
		const struct variant *v;

		if (id->variant >= vs.n)
			abort();
		v = variants_lookup(&vs, id->vendor, id->device, id->subvendor,
				    id->subdevice, id->revision);
		if (!v || !variants_find(&vs, v->name))
			abort();
	}
	for (i = 0; i < vs.n; i++) {
		const char *why;

		if (!variant_name_ok(vs.v[i].name, &why) || variants_find(&vs, vs.v[i].name) != &vs.v[i])
			abort();
	}
	memset(devs, 0, sizeof(devs));
	for (i = 0; i < 3; i++) {
		snprintf(devs[i].info.addr, sizeof(devs[i].info.addr), "0000:01:00.%zu", i);
		if (vs.nids) {
			const struct variant_id *id = &vs.ids[i % vs.nids];

			devs[i].info.vendor = id->vendor;
			devs[i].info.device = id->device;
		}
		devs[i].info.pci_class = i ? 0x040300 : 0x030000;
	}
	variants_label(&vs, devs, 3, devs, 3);
	for (i = 0; i < 3; i++)
		if (variant_type_parse(devs[i].type) < 0)
			abort();
	variants_free(&vs);
	return 0;
}
