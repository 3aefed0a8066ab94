/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How pptadm's users name devices, and the boot-list entry syntax.
 *
 * A device argument is one of:
 *	a PCI address		0000:01:00.0 or 01:00.0
 *	a topology path		0000:00/1c.0/00.0 (contains '/'; the paths= syntax)
 *	vendor:device		10de:1db4, or vendor:device:subvendor:subdevice,
 *				four hex digits each; names every such device
 * All of this is pure logic (no hardware), so the unit tests cover it.
 */
#ifndef PPTADM_NAMES_H
#define PPTADM_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libppt.h"

/*
 * PCI addresses, read by libppt's one parser, ppt_addr_normalize(), every
 * time pptadm reads one (a name, a devices= entry, a sysfs directory), so
 * that every part of pptadm takes the same addresses: "[domain:]bus:dev.fn"
 * with a domain of up to eight hex digits (VMD domains have five).
 */

/* Is s a PCI address?  Its canonical form goes to out unless NULL. */
bool addr_parse(const char *s, char *out);

/*
 * Address order: domain, bus, device, function, as numbers; what is not
 * an address sorts after every address, by strcmp().
 */
int addr_cmp(const char *a, const char *b);

/* Are a and b functions of one slot (same domain, bus and device)? */
bool addr_same_slot(const char *a, const char *b);

/* An ids= entry; PPT_ANY_ID in a field matches anything. */
#define PPT_ANY_ID	0xffffffffu

struct id_match {
	uint32_t vendor, device, subvendor, subdevice;
	uint32_t class, class_mask;
	int nfields;
};

/*
 * Parse one boot-list entry of a kind (the syntax of the ids=, devices=,
 * paths= and vfs= parameters, checked as strictly as the kernel does) and
 * write its canonical form to canon.  On error returns -EINVAL and points
 * *why at a constant reason.
 */
int entry_parse_ids(const char *tok, struct id_match *m, const char **why);

/* The largest VF count a vfs= entry takes (the kernel's u16). */
#define VFS_COUNT_MAX	65535

/*
 * A vfs= entry, "[domain:]bus:dev.fn[=count]": the physical function's
 * canonical address to pf, and the count (decimal, 1 to 65535, no sign,
 * no leading zero, as kernel/ppt_parse.c's ppt_parse_vfs() takes it) to
 * *count, 0 when the entry has none.  A runtime match takes no count.
 */
int entry_parse_vfs(const char *tok, char pf[PPT_ADDR_BUFLEN],
		    unsigned int *count, const char **why);
int entry_normalize(enum ppt_match_kind kind, const char *tok, char *canon,
		    size_t len, const char **why);

/* Does an ids= entry match a device with these ids? */
bool id_match_dev(const struct id_match *m, uint16_t vendor, uint16_t device,
		  uint16_t subvendor, uint16_t subdevice, uint32_t pci_class);

enum name_kind { NAME_ADDR, NAME_PATH, NAME_IDS };

struct name {
	enum name_kind kind;
	const char *arg;		/* as given */
	char canon[PPT_MATCH_BUFLEN];	/* canonical address, path or ids entry */
	struct id_match ids;		/* NAME_IDS */
};

/*
 * Classify and parse a device argument.  On error returns -EINVAL with a
 * reason in why that names what is wrong.
 */
int name_parse(const char *arg, struct name *n, char *why, size_t whylen);

/* The boot list (module parameter) that takes a name of this kind. */
enum ppt_match_kind name_list(const struct name *n);

/* What a name is matched against. */
struct name_cand {
	const char *addr;
	const char *path;		/* "" when unknown */
	uint16_t vendor, device, subvendor, subdevice;
	uint32_t pci_class;
	const char *physfn;		/* an SR-IOV VF's PF; NULL or "" otherwise */
};

bool name_matches(const struct name *n, const struct name_cand *c);

/* Does a boot-list entry (canonical text) name this device? */
bool entry_matches(enum ppt_match_kind kind, const char *canon,
		   const struct name_cand *c);

/* A device a name stands for, and which name (an index) it came from. */
struct name_target {
	char addr[PPT_ADDR_BUFLEN];
	int name;
};

/* A name that resolves to nothing, or to too much. */
struct name_problem {
	int name;
	int err;		/* negative errno: -ENODEV, -EINVAL */
	char msg[512];
};

enum {
	RESOLVE_ONE = 1,	/* each name must be one device */
	RESOLVE_ADDR_LISTED = 2, /* an address must be among the candidates too */
};

/*
 * Resolve names to devices.  An address stands for itself (the kernel
 * says whether it exists), unless RESOLVE_ADDR_LISTED; a path or
 * vendor:device stands for every candidate it matches and must match one.
 * Each device comes once, from the first name that names it, in the
 * candidates' order.  where says what the candidates are, for messages
 * ("on this host", "ppt manages"); op is the verb.  Returns 0 or -ENOMEM;
 * *targets and *problems are malloc()ed (free them), and nothing should
 * be done when *nproblems is not 0.
 */
int names_resolve(const struct name *names, int nnames,
		  const struct name_cand *cands, size_t ncands, int flags,
		  const char *where, const char *op,
		  struct name_target **targets, size_t *ntargets,
		  struct name_problem **problems, size_t *nproblems);

/* "vendor:device", "topology path" or "address": for messages. */
const char *name_kind_text(const struct name *n);

/*
 * The topology path of a device from its sysfs link target, e.g.
 * "../../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0" gives
 * "0000:00/1c.0/00.0": the domain and root bus of the last host bridge
 * ("pciDDDD:BB") in the chain, then the dev.fn of each PCI function below it.
 * Returns 0, or -EINVAL when the link does not look like that.
 */
int path_from_sysfs_link(const char *link, char *out, size_t len);

#endif /* PPTADM_NAMES_H */
