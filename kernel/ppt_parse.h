/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Parsers for ppt's boot lists (module parameters ids=, devices=, paths=,
 * vfs=) and for its sanitiser policy (sanitise=).
 *
 * These are pure functions: no allocation, no locking, no access to PCI
 * hardware, so they are tested by KUnit in isolation (tests/kunit).  Every
 * parser takes one token (one comma-separated element of a list), fills a
 * match structure, and on failure returns -EINVAL and sets *why to a short
 * constant string that names what is wrong, for the caller's pr_warn().
 */
#ifndef PPT_PARSE_H
#define PPT_PARSE_H

#include <linux/types.h>
#include <uapi/linux/ppt.h>

/*
 * The longest token accepted, long enough for the longest path; anything
 * longer is refused, not truncated.
 */
#define PPT_TOKEN_MAX		(PPT_PATH_MAX - 1)

/* A topology path has at most this many dev.fn hops below the root bus. */
#define PPT_PATH_MAX_HOPS	16

/*
 * ids= entry, pci-stub syntax:
 *	vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]
 * Fields are hexadecimal.  Omitted vendor/device/subvendor/subdevice fields
 * match anything (PCI_ANY_ID); an omitted class matches any class.
 */
struct ppt_id_match {
	u32 vendor;
	u32 device;
	u32 subvendor;
	u32 subdevice;
	u32 class;
	u32 class_mask;
};

/* devices= entry: [domain:]bus:dev.fn, hexadecimal like lspci prints it. */
struct ppt_addr_match {
	u32 domain;
	u8 bus;
	u8 devfn;
};

/*
 * paths= entry: [domain:]rootbus/dev.fn[/dev.fn...]
 *
 * The first hop is the device (or the bridge leading to it) on the root bus;
 * each further hop is the dev.fn on the secondary bus of the previous hop.
 * Bus numbers below the root are not part of the path, so it still names the
 * same slot after firmware renumbers buses because a card was added.
 */
struct ppt_path_match {
	u32 domain;
	u8 root_bus;
	u8 nhops;
	u8 hops[PPT_PATH_MAX_HOPS];	/* devfn of each hop, root first */
};

/*
 * vfs= entry: "[domain:]bus:dev.fn[=count]", a physical function's address
 * (hexadecimal, as devices= takes it) naming every virtual function of
 * that PF; with "=count" (decimal, 1 to 65535) the number of VFs ppt
 * enables once a driver that can configure SR-IOV holds the PF.
 */
struct ppt_vfs_match {
	struct ppt_addr_match pf;
	u16 count;	/* 0: no count given */
};

int ppt_parse_id(const char *tok, struct ppt_id_match *m, const char **why);
int ppt_parse_addr(const char *tok, struct ppt_addr_match *m,
		   const char **why);
int ppt_parse_path(const char *tok, struct ppt_path_match *m,
		   const char **why);

int ppt_parse_vfs(const char *tok, struct ppt_vfs_match *m,
		  const char **why);

/*
 * A sanitiser policy selector by class: "CC", "CCSS" or "CCSSPP" in hex
 * (class; class and subclass; and programming interface).  A device
 * matches when its 24-bit class code agrees with @class on @mask; @digits
 * (2, 4 or 6) ranks the more specific selector first.
 */
struct ppt_class_match {
	u32 class;
	u32 mask;
	u8 digits;
};

int ppt_parse_class(const char *tok, struct ppt_class_match *m,
		    const char **why);
int ppt_parse_sanitiser(const char *spec, const char **why);

/*
 * One sanitise= entry, "KIND:SELECTOR=SANITISER" with KIND device, ids or
 * class: splits it in place (the ':' after KIND and the '=' become NULs)
 * and checks the sanitiser; the selector is for the caller to parse.
 * @kind receives %PPT_A_MATCH_DEVICE, %PPT_A_MATCH_IDS or
 * %PPT_A_SANITISE_CLASS.
 */
int ppt_parse_sanitise_entry(char *tok, int *kind, char **sel, char **spec,
			     const char **why);

bool ppt_id_match_dev(const struct ppt_id_match *m, u32 vendor, u32 device,
		      u32 subvendor, u32 subdevice, u32 class);

/*
 * Split a comma-separated list in place-independent fashion: copies the
 * next token of *list (at most PPT_TOKEN_MAX bytes plus NUL) into tok and
 * advances *list past it and its comma.  Returns the token's length, which
 * may exceed PPT_TOKEN_MAX (then tok holds a truncated copy and the caller
 * must reject it), or -ENOENT at the end of the list.  Empty tokens (",,")
 * are returned as length 0 so the caller can report them.
 */
int ppt_next_token(const char **list, char tok[PPT_TOKEN_MAX + 1]);

/* Format a path as the parser accepts it ("0000:00/1c.0/00.0"). */
int ppt_format_path(const struct ppt_path_match *p, char *buf, size_t len);

#endif /* PPT_PARSE_H */
