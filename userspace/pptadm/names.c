// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device names and boot-list entries: see names.h.  The entry parsers
 * follow the kernel's (kernel/ppt_parse.c) field by field, with the same
 * reasons, so pptadm refuses what the module would ignore.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

#define HEX_FIELD_MAX_DIGITS	8
#define PATH_MAX_HOPS		16
#define TOKEN_MAX		(PPT_PATH_MAX - 1)

bool addr_parse(const char *s, char *out)
{
	char canon[PPT_ADDR_BUFLEN];

	if (ppt_addr_normalize(s, canon))
		return false;
	if (out)
		memcpy(out, canon, sizeof(canon));
	return true;
}

int addr_cmp(const char *a, const char *b)
{
	char ca[PPT_ADDR_BUFLEN], cb[PPT_ADDR_BUFLEN];
	bool pa = addr_parse(a, ca), pb = addr_parse(b, cb);
	size_t da, db;

	if (!pa || !pb)
		return pa != pb ? (pa ? -1 : 1) : strcmp(a, b);
	/*
	 * Canonical: the domain in at least four digits without a leading
	 * zero beyond them, the rest of fixed width: a longer domain is a
	 * larger one, and equal widths compare as text.
	 */
	da = strcspn(ca, ":");
	db = strcspn(cb, ":");
	if (da != db)
		return da < db ? -1 : 1;
	return strcmp(ca, cb);
}

bool addr_same_slot(const char *a, const char *b)
{
	char ca[PPT_ADDR_BUFLEN], cb[PPT_ADDR_BUFLEN];
	size_t slot;

	if (!addr_parse(a, ca) || !addr_parse(b, cb))
		return false;
	slot = (size_t)(strrchr(ca, '.') - ca);
	return slot == (size_t)(strrchr(cb, '.') - cb) && !strncmp(ca, cb, slot);
}

/* Parse s[0..len) as hexadecimal up to max; -ERANGE above max. */
static int parse_hex(const char *s, size_t len, uint32_t max, uint32_t *out,
		     const char **why)
{
	uint32_t v = 0;
	size_t i;

	if (!len) {
		*why = "empty field";
		return -EINVAL;
	}
	if (len > HEX_FIELD_MAX_DIGITS) {
		*why = "field has too many digits";
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i])) {
			*why = "field is not hexadecimal";
			return -EINVAL;
		}
		v = v * 16 + (uint32_t)(isdigit((unsigned char)s[i]) ? s[i] - '0' :
					tolower((unsigned char)s[i]) - 'a' + 10);
	}
	if (v > max) {
		*why = "field out of range";
		return -ERANGE;
	}
	*out = v;
	return 0;
}

/* Split tok at sep into at most max fields; -1 when there are more. */
static int split(const char *tok, char sep, const char **start, size_t *len,
		 int max)
{
	const char *p = tok;
	int n = 0;

	for (;;) {
		const char *end = strchr(p, sep);

		if (!end)
			end = p + strlen(p);
		if (n == max)
			return -1;
		start[n] = p;
		len[n] = (size_t)(end - p);
		n++;
		if (!*end)
			return n;
		p = end + 1;
	}
}

static int check_token(const char *tok, const char **why)
{
	size_t len = strlen(tok);

	if (!len) {
		*why = "empty entry";
		return -EINVAL;
	}
	if (len > TOKEN_MAX) {
		*why = "entry too long";
		return -EINVAL;
	}
	return 0;
}

int entry_parse_ids(const char *tok, struct id_match *m, const char **why)
{
	struct id_match r = { PPT_ANY_ID, PPT_ANY_ID, PPT_ANY_ID, PPT_ANY_ID, 0, 0, 0 };
	uint32_t *ids[4] = { &r.vendor, &r.device, &r.subvendor, &r.subdevice };
	const char *start[6];
	size_t len[6];
	int n, i, ret;

	if (check_token(tok, why))
		return -EINVAL;
	n = split(tok, ':', start, len, 6);
	if (n < 0) {
		*why = "too many fields (max 6)";
		return -EINVAL;
	}
	if (n < 2) {
		*why = "need at least vendor:device";
		return -EINVAL;
	}
	for (i = 0; i < n && i < 4; i++) {
		if (parse_hex(start[i], len[i], PPT_ANY_ID, ids[i], why))
			return -EINVAL;
		if (*ids[i] > 0xffff && *ids[i] != PPT_ANY_ID) {
			*why = "id out of range (max ffff, or ffffffff for any)";
			return -EINVAL;
		}
	}
	if (n > 4) {
		ret = parse_hex(start[4], len[4], 0xffffff, &r.class, why);
		if (ret == -ERANGE)
			*why = "class out of range (max ffffff)";
		if (ret)
			return -EINVAL;
		r.class_mask = 0xffffff;
	}
	if (n > 5) {
		ret = parse_hex(start[5], len[5], 0xffffff, &r.class_mask, why);
		if (ret == -ERANGE)
			*why = "class_mask out of range (max ffffff)";
		if (ret)
			return -EINVAL;
	}
	if (r.class & ~r.class_mask) {
		*why = "class has bits outside class_mask";
		return -EINVAL;
	}
	r.nfields = n;
	*m = r;
	return 0;
}

static void format_ids(const struct id_match *m, char *out, size_t len)
{
	const uint32_t ids[4] = { m->vendor, m->device, m->subvendor, m->subdevice };
	size_t off = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < m->nfields && i < 4 && off < len; i++)
		off += snprintf(out + off, len - off, ids[i] == PPT_ANY_ID ?
				"%s%x" : "%s%04x", i ? ":" : "", ids[i]);
	if (m->nfields > 4 && off < len)
		off += snprintf(out + off, len - off, ":%06x", m->class);
	if (m->nfields > 5 && off < len)
		snprintf(out + off, len - off, ":%06x", m->class_mask);
}

bool id_match_dev(const struct id_match *m, uint16_t vendor, uint16_t device,
		  uint16_t subvendor, uint16_t subdevice, uint32_t pci_class)
{
	return (m->vendor == PPT_ANY_ID || m->vendor == vendor) &&
	       (m->device == PPT_ANY_ID || m->device == device) &&
	       (m->subvendor == PPT_ANY_ID || m->subvendor == subvendor) &&
	       (m->subdevice == PPT_ANY_ID || m->subdevice == subdevice) &&
	       !((m->class ^ pci_class) & m->class_mask);
}

/* "dd.f" into device and function. */
static int parse_devfn(const char *s, size_t len, uint32_t *dev, uint32_t *fn,
		       const char **why)
{
	const char *dot = memchr(s, '.', len);
	int ret;

	if (!dot) {
		*why = "missing '.' between device and function";
		return -EINVAL;
	}
	ret = parse_hex(s, (size_t)(dot - s), 0x1f, dev, why);
	if (ret == -ERANGE)
		*why = "device out of range (max 1f)";
	if (ret)
		return -EINVAL;
	ret = parse_hex(dot + 1, len - (size_t)(dot - s) - 1, 7, fn, why);
	if (ret == -ERANGE)
		*why = "function out of range (max 7)";
	return ret ? -EINVAL : 0;
}

/* "[domain:]bus". */
static int parse_domain_bus(const char *s, size_t len, uint32_t *domain,
			    uint32_t *bus, const char **why)
{
	const char *colon = memchr(s, ':', len);
	int ret;

	*domain = 0;
	if (colon) {
		ret = parse_hex(s, (size_t)(colon - s), 0x7fffffff, domain, why);
		if (ret == -ERANGE)
			*why = "domain out of range (max 7fffffff)";
		if (ret)
			return -EINVAL;
		len -= (size_t)(colon - s) + 1;
		s = colon + 1;
	}
	ret = parse_hex(s, len, 0xff, bus, why);
	if (ret == -ERANGE)
		*why = "bus out of range (max ff)";
	return ret ? -EINVAL : 0;
}

/* Parse s[0..len) as at most digits hexadecimal digits up to max. */
static int parse_hex_digits(const char *s, size_t len, size_t digits,
			    uint32_t max, uint32_t *out, const char **why,
			    const char *too_many)
{
	if (len > digits) {
		*why = too_many;
		return -EINVAL;
	}
	return parse_hex(s, len, max, out, why) ? -EINVAL : 0;
}

/*
 * Why ppt_addr_normalize() refused tok: the field that is wrong, in the
 * kernel's words where it has them.
 */
static const char *addr_why(const char *tok)
{
	uint32_t domain, bus, dev, fn;
	const char *start[3], *why = "want [domain:]bus:dev.fn", *dot;
	size_t len[3];
	int n = split(tok, ':', start, len, 3);

	if (n < 2)
		return n < 0 ? "too many ':' (want [domain:]bus:dev.fn)" : why;
	if (n == 3 && parse_domain_bus(start[0], (size_t)(start[2] - start[0] - 1),
				      &domain, &bus, &why))
		return why;
	if (parse_hex_digits(start[n - 2], len[n - 2], 2, 0xff, &bus, &why,
			     "bus has more than two digits"))
		return !strcmp(why, "field out of range") ? "bus out of range (max ff)" : why;
	dot = memchr(start[n - 1], '.', len[n - 1]);
	if (!dot)
		return "missing '.' between device and function";
	if (parse_hex_digits(start[n - 1], (size_t)(dot - start[n - 1]), 2, 0x1f, &dev,
			     &why, "device has more than two digits"))
		return !strcmp(why, "field out of range") ? "device out of range (max 1f)" : why;
	if (parse_hex_digits(dot + 1, len[n - 1] - (size_t)(dot - start[n - 1]) - 1, 1, 7,
			     &fn, &why, "function has more than one digit"))
		return !strcmp(why, "field out of range") ? "function out of range (max 7)" : why;
	return "want [domain:]bus:dev.fn";
}

/*
 * A devices= entry: an address, as libppt reads every address (the kernel
 * takes more digits per field; pptadm writes and accepts the common form).
 */
static int parse_addr_entry(const char *tok, char *canon, size_t clen,
			    const char **why)
{
	char c[PPT_ADDR_BUFLEN];

	if (check_token(tok, why))
		return -EINVAL;
	if (!addr_parse(tok, c)) {
		*why = addr_why(tok);
		return -EINVAL;
	}
	snprintf(canon, clen, "%s", c);
	return 0;
}

static int parse_path_entry(const char *tok, char *canon, size_t clen,
			    const char **why)
{
	const char *start[PATH_MAX_HOPS + 1];
	size_t len[PATH_MAX_HOPS + 1], off;
	uint32_t domain, bus, dev, fn;
	int n, i;

	if (check_token(tok, why))
		return -EINVAL;
	n = split(tok, '/', start, len, PATH_MAX_HOPS + 1);
	if (n < 0) {
		*why = "too many hops (max 16)";
		return -EINVAL;
	}
	if (n < 2) {
		*why = "want [domain:]rootbus/dev.fn[/dev.fn...]";
		return -EINVAL;
	}
	if (parse_domain_bus(start[0], len[0], &domain, &bus, why))
		return -EINVAL;
	off = (size_t)snprintf(canon, clen, "%04x:%02x", domain, bus);
	for (i = 1; i < n; i++) {
		if (!len[i]) {
			*why = "empty hop";
			return -EINVAL;
		}
		if (parse_devfn(start[i], len[i], &dev, &fn, why))
			return -EINVAL;
		if (off < clen)
			off += (size_t)snprintf(canon + off, clen - off,
						"/%02x.%x", dev, fn);
	}
	if (off >= clen) {
		*why = "entry too long";
		return -EINVAL;
	}
	return 0;
}

int entry_parse_vfs(const char *tok, char pf[PPT_ADDR_BUFLEN],
		    unsigned int *count, const char **why)
{
	char addr[TOKEN_MAX + 1];
	const char *eq, *p;
	unsigned int n = 0;
	size_t alen;

	if (check_token(tok, why))
		return -EINVAL;
	/* the first '=' ends the address, as the kernel splits it */
	eq = strchr(tok, '=');
	alen = eq ? (size_t)(eq - tok) : strlen(tok);
	memcpy(addr, tok, alen);
	addr[alen] = '\0';
	if (parse_addr_entry(addr, pf, PPT_ADDR_BUFLEN, why))
		return -EINVAL;
	if (eq) {
		p = eq + 1;
		/* decimal, as sriov_numvfs takes it; no sign, no leading 0 */
		if (!*p || *p == '0' || strlen(p) > 5) {
			*why = "VF count must be 1 to 65535";
			return -EINVAL;
		}
		for (; *p; p++) {
			if (*p < '0' || *p > '9') {
				*why = "VF count is not a decimal number";
				return -EINVAL;
			}
			n = n * 10 + (unsigned int)(*p - '0');
		}
		if (n > VFS_COUNT_MAX) {
			*why = "VF count must be 1 to 65535";
			return -EINVAL;
		}
	}
	*count = n;
	return 0;
}

int entry_normalize(enum ppt_match_kind kind, const char *tok, char *canon,
		    size_t len, const char **why)
{
	char pf[PPT_ADDR_BUFLEN];
	unsigned int count;
	struct id_match m;

	switch (kind) {
	case PPT_MATCH_IDS:
		if (entry_parse_ids(tok, &m, why))
			return -EINVAL;
		format_ids(&m, canon, len);
		return 0;
	case PPT_MATCH_DEVICE:
		return parse_addr_entry(tok, canon, len, why);
	case PPT_MATCH_PATH:
		return parse_path_entry(tok, canon, len, why);
	case PPT_MATCH_VFS:
		if (entry_parse_vfs(tok, pf, &count, why))
			return -EINVAL;
		if (count)
			snprintf(canon, len, "%s=%u", pf, count);
		else
			snprintf(canon, len, "%s", pf);
		return 0;
	}
	*why = "unknown kind";
	return -EINVAL;
}

/* Exactly four hex digits. */
static bool hex4(const char *s, size_t len)
{
	size_t i;

	if (len != 4)
		return false;
	for (i = 0; i < 4; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

int name_parse(const char *arg, struct name *n, char *why, size_t whylen)
{
	const char *reason, *start[5];
	size_t len[5];
	int nf, i;

	memset(n, 0, sizeof(*n));
	n->arg = arg;
	if (!arg || !arg[0]) {
		snprintf(why, whylen, "empty device name");
		return -EINVAL;
	}
	if (strchr(arg, '/')) {
		n->kind = NAME_PATH;
		if (parse_path_entry(arg, n->canon, sizeof(n->canon), &reason)) {
			snprintf(why, whylen,
				 "\"%s\" is not a topology path: %s (want [domain:]rootbus/dev.fn[/dev.fn...], e.g. 0000:00/1c.0/00.0)",
				 arg, reason);
			return -EINVAL;
		}
		return 0;
	}
	if (strchr(arg, '.')) {
		n->kind = NAME_ADDR;
		if (!addr_parse(arg, n->canon)) {
			snprintf(why, whylen,
				 "\"%s\" is not a PCI address: %s (want [domain:]bus:dev.fn, e.g. 0000:01:00.0)",
				 arg, addr_why(arg));
			return -EINVAL;
		}
		return 0;
	}
	n->kind = NAME_IDS;
	nf = split(arg, ':', start, len, 5);
	for (i = 0; nf > 0 && i < nf; i++)
		if (!hex4(start[i], len[i]))
			break;
	if ((nf != 2 && nf != 4) || i < nf) {
		snprintf(why, whylen,
			 "\"%s\" is not a PCI address, topology path or vendor:device (want 0000:01:00.0, 0000:00/1c.0/00.0, or 10de:1db4[:subvendor:subdevice] with four hex digits each)",
			 arg);
		return -EINVAL;
	}
	if (entry_parse_ids(arg, &n->ids, &reason)) {
		snprintf(why, whylen, "\"%s\": %s", arg, reason);
		return -EINVAL;
	}
	format_ids(&n->ids, n->canon, sizeof(n->canon));
	return 0;
}

enum ppt_match_kind name_list(const struct name *n)
{
	return n->kind == NAME_IDS ? PPT_MATCH_IDS :
	       n->kind == NAME_PATH ? PPT_MATCH_PATH : PPT_MATCH_DEVICE;
}

bool name_matches(const struct name *n, const struct name_cand *c)
{
	switch (n->kind) {
	case NAME_ADDR:
		return !strcmp(n->canon, c->addr);
	case NAME_PATH:
		return c->path && !strcmp(n->canon, c->path);
	case NAME_IDS:
		return id_match_dev(&n->ids, c->vendor, c->device, c->subvendor,
				    c->subdevice, c->pci_class);
	}
	return false;
}

bool entry_matches(enum ppt_match_kind kind, const char *canon,
		   const struct name_cand *c)
{
	struct id_match m;
	const char *why;

	switch (kind) {
	case PPT_MATCH_IDS:
		return !entry_parse_ids(canon, &m, &why) &&
		       id_match_dev(&m, c->vendor, c->device, c->subvendor,
				    c->subdevice, c->pci_class);
	case PPT_MATCH_DEVICE:
		return !strcmp(canon, c->addr);
	case PPT_MATCH_PATH:
		return c->path && !strcmp(canon, c->path);
	case PPT_MATCH_VFS: {
		char pf[PPT_ADDR_BUFLEN];
		unsigned int count;

		return c->physfn && c->physfn[0] &&
		       !entry_parse_vfs(canon, pf, &count, &why) &&
		       !strcmp(pf, c->physfn);
	}
	}
	return false;
}

/* Append addr for name i, unless it is there already; -ENOMEM. */
static int add_target(struct name_target **t, size_t *n, size_t *cap,
		      const char *addr, int i)
{
	size_t k;

	for (k = 0; k < *n; k++)
		if (!strcmp((*t)[k].addr, addr))
			return 0;
	if (*n == *cap) {
		struct name_target *nt = realloc(*t, (*cap = *cap * 2 + 8) * sizeof(**t));

		if (!nt)
			return -ENOMEM;
		*t = nt;
	}
	snprintf((*t)[*n].addr, sizeof((*t)[*n].addr), "%s", addr);
	(*t)[(*n)++].name = i;
	return 0;
}

int names_resolve(const struct name *names, int nnames,
		  const struct name_cand *cands, size_t ncands, int flags,
		  const char *where, const char *op,
		  struct name_target **targets, size_t *ntargets,
		  struct name_problem **problems, size_t *nproblems)
{
	struct name_target *t = NULL;
	struct name_problem *pr = calloc((size_t)nnames + 1, sizeof(*pr));
	size_t n = 0, cap = 0, np = 0, j, k, found, first;
	int i;

	if (!pr)
		return -ENOMEM;
	for (i = 0; i < nnames; i++) {
		const struct name *nm = &names[i];

		if (nm->kind == NAME_ADDR && !(flags & RESOLVE_ADDR_LISTED)) {
			if (add_target(&t, &n, &cap, nm->canon, i))
				goto nomem;
			continue;
		}
		first = n;
		found = 0;
		for (j = 0; j < ncands; j++) {
			if (!name_matches(nm, &cands[j]))
				continue;
			found++;
			if (add_target(&t, &n, &cap, cands[j].addr, i))
				goto nomem;
		}
		if (!found) {
			pr[np].name = i;
			pr[np].err = -ENODEV;
			snprintf(pr[np++].msg, sizeof(pr[0].msg), "no device %s has this %s",
				 where, name_kind_text(nm));
		} else if ((flags & RESOLVE_ONE) && found > 1) {
			struct name_problem *p = &pr[np++];
			size_t off;

			p->name = i;
			p->err = -EINVAL;
			off = (size_t)snprintf(p->msg, sizeof(p->msg), "names %zu devices (", found);
			for (k = first; k < n && off < sizeof(p->msg); k++)
				off += (size_t)snprintf(p->msg + off, sizeof(p->msg) - off,
							"%s%s", k > first ? ", " : "", t[k].addr);
			/* devices named before by another name are not listed again */
			if (off < sizeof(p->msg))
				snprintf(p->msg + off, sizeof(p->msg) - off,
					 "): %s takes one at a time; name it by address", op);
		}
	}
	*targets = t;
	*ntargets = n;
	*problems = pr;
	*nproblems = np;
	return 0;
nomem:
	free(t);
	free(pr);
	return -ENOMEM;
}

const char *name_kind_text(const struct name *n)
{
	return n->kind == NAME_IDS ? "vendor:device" :
	       n->kind == NAME_PATH ? "topology path" : "address";
}

/* "pciDDDD:BB": a host bridge in sysfs. */
static bool host_bridge(const char *c, size_t len, uint32_t *domain,
			uint32_t *bus)
{
	const char *why;

	return len > 3 && !strncmp(c, "pci", 3) && memchr(c, ':', len) &&
	       !parse_domain_bus(c + 3, len - 3, domain, bus, &why);
}

int path_from_sysfs_link(const char *link, char *out, size_t len)
{
	const char *p, *comp = NULL, *end;
	uint32_t domain = 0, bus = 0;
	char addr[PPT_ADDR_BUFLEN], canon[PPT_ADDR_BUFLEN];
	size_t off, clen;
	int hops = 0;

	/* the last host bridge in the chain (a VMD domain sits below another) */
	for (p = link; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		if (host_bridge(p, (size_t)(end - p), &domain, &bus))
			comp = *end ? end + 1 : end;
	}
	if (!comp || !*comp)
		return -EINVAL;
	off = (size_t)snprintf(out, len, "%04x:%02x", domain, bus);
	for (p = comp; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		clen = (size_t)(end - p);
		if (clen >= sizeof(addr))
			return -EINVAL;
		memcpy(addr, p, clen);
		addr[clen] = '\0';
		if (!addr_parse(addr, canon) || ++hops > PATH_MAX_HOPS)
			return -EINVAL;
		if (off < len)
			off += (size_t)snprintf(out + off, len - off, "/%s",
						canon + strlen(canon) - 4);
	}
	return off < len ? 0 : -EINVAL;
}
