/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device variants: names an operator gives to kinds of hardware ("the
 * V100 GPUs of this rack") so that allocation asks for a variant rather
 * than for addresses, as Triton's RFD 114 does.  The file, by default
 * /etc/ppt/variants.conf ($PPT_VARIANTS or pptadm --variants FILE names
 * another), has one variant a line:
 *
 *	# comment
 *	NAME TYPE ID [ID...]
 *
 * NAME is [a-z0-9][a-z0-9._-]* (at most VARIANT_NAME_MAX bytes), TYPE one
 * of the variant_type names below, and each ID
 *
 *	vendor:device			any subsystem and revision
 *	vendor:device:revision
 *	vendor:device:subvendor:subdevice
 *	vendor:device:subvendor:subdevice:revision
 *
 * in hexadecimal, four digits for each id, two for the revision.  A '#'
 * starts a comment anywhere on a line.  The file is read strictly: any bad
 * token, a variant named twice, or an ID listed twice (under one variant or
 * two) rejects the whole file with "FILE:LINE: what is wrong ("token")".
 *
 * A device is of the variant whose matching ID is the most specific: with
 * subsystem and revision, then with subsystem, then with revision, then
 * plain.  Two IDs of one specificity that match one device are the same
 * ID, which the file cannot have twice, so the answer is always unique.
 *
 * All of this is pure logic; tests/userspace/test_variants.c covers it and
 * tests/fuzz/fuzz_variants.c feeds the parser garbage.
 */
#ifndef PPTADM_VARIANTS_H
#define PPTADM_VARIANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output.h"

#define VARIANTS_DEFAULT_PATH	"/etc/ppt/variants.conf"
#define VARIANTS_ENV		"PPT_VARIANTS"
#define VARIANT_NAME_MAX	64
/* A variants file larger than this is refused: it is surely not one. */
#define VARIANTS_MAX_BYTES	(1 << 20)

enum variant_type {
	VT_GPU,
	VT_GPU_AUDIO,
	VT_NIC,
	VT_NVME,
	VT_STORAGE,
	VT_ACCEL,
	VT_USB,
	VT_OTHER,
	VT_COUNT
};

struct variant_id {
	uint16_t vendor, device, subvendor, subdevice;
	uint8_t revision;
	bool has_subsys, has_rev;
	size_t variant;		/* index into variants.v */
	int line;
};

struct variant {
	char name[VARIANT_NAME_MAX + 1];
	enum variant_type type;
	int line;
};

struct variants {
	char *path;		/* the file it came from; NULL: none */
	struct variant *v;
	size_t n;
	struct variant_id *ids;
	size_t nids;
};

/*
 * The file to read: opt (from --variants) if given, else $PPT_VARIANTS if
 * set and not empty, else the default.  *explicit says whether the user
 * named it (then a missing file is an error).
 */
const char *variants_path(const char *opt, bool *explicit);

/*
 * Parse len bytes of text from path.  Returns 0, -EINVAL with
 * "PATH:LINE: reason ("token")" in err, or -ENOMEM; on failure vs is empty
 * (nothing of a bad file is used).  vs must be freed with variants_free()
 * either way.
 */
int variants_parse(struct variants *vs, const char *path, const char *text,
		   size_t len, char *err, size_t errlen);

/*
 * Read and parse a file.  A missing file is no variants unless must_exist
 * (then -ENOENT).  Errors as for variants_parse(), or the file's errno with
 * "PATH: strerror" in err.
 */
int variants_load(struct variants *vs, const char *path, bool must_exist,
		  char *err, size_t errlen);

void variants_free(struct variants *vs);

/* The variant a device is of (the most specific matching ID), or NULL. */
const struct variant *variants_lookup(const struct variants *vs,
				      uint16_t vendor, uint16_t device,
				      uint16_t subvendor, uint16_t subdevice,
				      uint8_t revision);

/* The variant of that name, or NULL. */
const struct variant *variants_find(const struct variants *vs,
				    const char *name);

/* Is name a well-formed variant name?  *why says what is wrong. */
bool variant_name_ok(const char *name, const char **why);

/* "gpu", "gpu-audio", ...; variant_type_parse() returns -1 for none. */
const char *variant_type_name(enum variant_type t);
int variant_type_parse(const char *name);
/* "gpu, gpu-audio, ..., other": for messages. */
const char *variant_type_names(void);

/*
 * The type of a device no variant names, from its class code:
 *	03xxxx display controller			gpu
 *	0403xx HD audio beside a display controller in its slot, or made
 *	       by NVIDIA (10de) or AMD/ATI graphics (1002)	gpu-audio
 *	0108xx non-volatile memory (NVMe)		nvme
 *	01xxxx other mass storage			storage
 *	02xxxx network controller			nic
 *	0c03xx USB controller				usb
 *	12xxxx processing accelerator, 0b40xx co-processor	accel
 *	anything else					other
 */
enum variant_type variant_type_guess(uint32_t pci_class, uint16_t vendor,
				     bool display_in_slot);

/*
 * Fill each device's variant and type: the variant's (vs may be NULL or
 * empty), else the guess.  The slot neighbours that decide gpu-audio are
 * looked for among ctx (ctx may be devs itself, or NULL).
 */
void variants_label(const struct variants *vs, struct out_device *devs,
		    size_t n, const struct out_device *ctx, size_t nctx);

#endif /* PPTADM_VARIANTS_H */
