// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsers for ppt's boot lists.  See ppt_parse.h for the formats.
 *
 * Parsing is strict: every field must be present where the syntax says so,
 * hold only hexadecimal digits and fit its range; nothing may follow the
 * last field.  A token that does not parse is rejected whole, with a reason
 * the caller logs next to the token, and the other tokens still apply.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mod_devicetable.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "ppt_parse.h"

/* Longest hexadecimal field accepted: a full 32-bit value. */
#define HEX_FIELD_MAX_DIGITS	8

/*
 * Parse the hexadecimal field s[0..len) into *out.  Fails with -EINVAL on an
 * empty field, a non-hex character or more than eight digits, and with
 * -ERANGE on a value above max, so callers can name the field in *why.
 * The public parsers turn both into -EINVAL.
 */
static int parse_hex(const char *s, size_t len, u32 max, u32 *out,
		     const char **why)
{
	u32 val = 0;
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
		int digit = hex_to_bin(s[i]);

		if (digit < 0) {
			*why = "field is not hexadecimal";
			return -EINVAL;
		}
		val = (val << 4) | digit;
	}
	if (val > max) {
		*why = "field out of range";
		return -ERANGE;
	}
	*out = val;
	return 0;
}

/*
 * Split tok at the separator sep into at most max fields, recording where
 * each starts and how long it is.  Returns the number of fields, or
 * -EINVAL when there are more than max.
 */
static int split_fields(const char *tok, char sep, const char **start,
			size_t *len, int max)
{
	int n = 0;
	const char *p = tok;

	for (;;) {
		const char *end = strchrnul(p, sep);

		if (n == max)
			return -EINVAL;
		start[n] = p;
		len[n] = end - p;
		n++;
		if (!*end)
			return n;
		p = end + 1;
	}
}

/* A vendor/device/subsystem id: 16 bits, or PCI_ANY_ID spelled ffffffff. */
static int parse_id_field(const char *s, size_t len, u32 *out,
			  const char **why)
{
	int ret = parse_hex(s, len, PCI_ANY_ID, out, why);

	if (ret)
		return -EINVAL;
	if (*out > 0xffff && *out != PCI_ANY_ID) {
		*why = "id out of range (max ffff, or ffffffff for any)";
		return -EINVAL;
	}
	return 0;
}

static int check_token(const char *tok, const char **why)
{
	size_t len = strnlen(tok, PPT_TOKEN_MAX + 1);

	if (!len) {
		*why = "empty entry";
		return -EINVAL;
	}
	if (len > PPT_TOKEN_MAX) {
		*why = "entry too long";
		return -EINVAL;
	}
	return 0;
}

/**
 * ppt_parse_id() - parse one ids= entry
 * @tok: NUL-terminated token, e.g. "10de:1db4" or "8086:10d3:ffffffff:0:20000"
 * @m: filled on success; untouched on failure
 * @why: set to a constant reason on failure
 *
 * A class given without a class mask matches that exact class (mask
 * ffffff), unlike pci-stub, where an omitted mask silently matches any
 * class.
 *
 * Return: 0 or -EINVAL.
 */
int ppt_parse_id(const char *tok, struct ppt_id_match *m, const char **why)
{
	const char *start[6];
	size_t len[6];
	struct ppt_id_match r = {
		.vendor = PCI_ANY_ID, .device = PCI_ANY_ID,
		.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,
	};
	u32 *ids[4] = { &r.vendor, &r.device, &r.subvendor, &r.subdevice };
	int n, i, ret;

	ret = check_token(tok, why);
	if (ret)
		return ret;
	n = split_fields(tok, ':', start, len, ARRAY_SIZE(start));
	if (n < 0) {
		*why = "too many fields (max 6)";
		return -EINVAL;
	}
	if (n < 2) {
		*why = "need at least vendor:device";
		return -EINVAL;
	}
	for (i = 0; i < n && i < 4; i++) {
		ret = parse_id_field(start[i], len[i], ids[i], why);
		if (ret)
			return ret;
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
	*m = r;
	return 0;
}

/* Parse "dd.f" (device 0-1f, function 0-7) into a devfn. */
static int parse_devfn(const char *s, size_t len, u8 *devfn, const char **why)
{
	const char *dot = memchr(s, '.', len);
	u32 dev, fn;
	int ret;

	if (!dot) {
		*why = "missing '.' between device and function";
		return -EINVAL;
	}
	ret = parse_hex(s, dot - s, 0x1f, &dev, why);
	if (ret == -ERANGE)
		*why = "device out of range (max 1f)";
	if (ret)
		return -EINVAL;
	ret = parse_hex(dot + 1, len - (dot - s) - 1, 7, &fn, why);
	if (ret == -ERANGE)
		*why = "function out of range (max 7)";
	if (ret)
		return -EINVAL;
	*devfn = (dev << 3) | fn;
	return 0;
}

/* Parse "[domain:]bus" (domain 0-7fffffff, bus 0-ff). */
static int parse_domain_bus(const char *s, size_t len, u32 *domain, u8 *bus,
			    const char **why)
{
	const char *colon = memchr(s, ':', len);
	u32 b;
	int ret;

	*domain = 0;
	if (colon) {
		ret = parse_hex(s, colon - s, 0x7fffffff, domain, why);
		if (ret == -ERANGE)
			*why = "domain out of range (max 7fffffff)";
		if (ret)
			return -EINVAL;
		len -= colon - s + 1;
		s = colon + 1;
	}
	ret = parse_hex(s, len, 0xff, &b, why);
	if (ret == -ERANGE)
		*why = "bus out of range (max ff)";
	if (ret)
		return -EINVAL;
	*bus = b;
	return 0;
}

/**
 * ppt_parse_addr() - parse one devices= entry
 * @tok: NUL-terminated token, "[domain:]bus:dev.fn", e.g. "0000:01:00.0"
 * @m: filled on success; untouched on failure
 * @why: set to a constant reason on failure
 *
 * Return: 0 or -EINVAL.
 */
int ppt_parse_addr(const char *tok, struct ppt_addr_match *m,
		   const char **why)
{
	const char *start[3];
	size_t len[3];
	struct ppt_addr_match r;
	int n, ret;

	ret = check_token(tok, why);
	if (ret)
		return ret;
	n = split_fields(tok, ':', start, len, ARRAY_SIZE(start));
	if (n < 2) {
		*why = n < 0 ? "too many ':' (want [domain:]bus:dev.fn)" :
			       "want [domain:]bus:dev.fn";
		return -EINVAL;
	}
	/* start[0] runs to the last ':' that separates bus from dev.fn */
	ret = parse_domain_bus(start[0], start[n - 1] - start[0] - 1,
			       &r.domain, &r.bus, why);
	if (ret)
		return ret;
	ret = parse_devfn(start[n - 1], len[n - 1], &r.devfn, why);
	if (ret)
		return ret;
	*m = r;
	return 0;
}

/**
 * ppt_parse_vfs() - parse one vfs= entry
 * @tok: NUL-terminated token, "[domain:]bus:dev.fn[=count]", e.g.
 *	 "0000:01:00.0=4"
 * @m: filled on success; untouched on failure
 * @why: set to a constant reason on failure
 *
 * Return: 0 or -EINVAL.
 */
int ppt_parse_vfs(const char *tok, struct ppt_vfs_match *m, const char **why)
{
	char addr[PPT_TOKEN_MAX + 1];
	const char *eq = strchr(tok, '=');
	struct ppt_vfs_match r = { };
	size_t alen = eq ? eq - tok : strlen(tok);
	u32 count = 0;
	int ret;

	if (alen > PPT_TOKEN_MAX) {
		*why = "entry too long";
		return -EINVAL;
	}
	memcpy(addr, tok, alen);
	addr[alen] = '\0';
	ret = ppt_parse_addr(addr, &r.pf, why);
	if (ret)
		return ret;
	if (eq) {
		const char *p = eq + 1;

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
			count = count * 10 + (*p - '0');
		}
		if (count > U16_MAX) {
			*why = "VF count must be 1 to 65535";
			return -EINVAL;
		}
	}
	r.count = count;
	*m = r;
	return 0;
}

/**
 * ppt_parse_path() - parse one paths= entry
 * @tok: NUL-terminated token, "[domain:]rootbus/dev.fn[/dev.fn...]",
 *	 e.g. "0000:00/1c.0/00.0"
 * @m: filled on success; untouched on failure
 * @why: set to a constant reason on failure
 *
 * Return: 0 or -EINVAL.
 */
int ppt_parse_path(const char *tok, struct ppt_path_match *m,
		   const char **why)
{
	const char *start[PPT_PATH_MAX_HOPS + 1];
	size_t len[PPT_PATH_MAX_HOPS + 1];
	struct ppt_path_match r = { };
	int n, i, ret;

	ret = check_token(tok, why);
	if (ret)
		return ret;
	n = split_fields(tok, '/', start, len, ARRAY_SIZE(start));
	if (n < 0) {
		*why = "too many hops (max 16)";
		return -EINVAL;
	}
	if (n < 2) {
		*why = "want [domain:]rootbus/dev.fn[/dev.fn...]";
		return -EINVAL;
	}
	ret = parse_domain_bus(start[0], len[0], &r.domain, &r.root_bus, why);
	if (ret)
		return ret;
	for (i = 1; i < n; i++) {
		if (!len[i]) {
			*why = "empty hop";
			return -EINVAL;
		}
		ret = parse_devfn(start[i], len[i], &r.hops[i - 1], why);
		if (ret)
			return ret;
	}
	r.nhops = n - 1;
	*m = r;
	return 0;
}

/**
 * ppt_id_match_dev() - does an ids= entry match a device?
 * @m: the parsed entry
 * @vendor: the device's vendor id
 * @device: the device's device id
 * @subvendor: the device's subsystem vendor id
 * @subdevice: the device's subsystem id
 * @class: the device's 24-bit class code
 *
 * Return: true when every field of @m matches.
 */
bool ppt_id_match_dev(const struct ppt_id_match *m, u32 vendor, u32 device,
		      u32 subvendor, u32 subdevice, u32 class)
{
	return (m->vendor == PCI_ANY_ID || m->vendor == vendor) &&
	       (m->device == PCI_ANY_ID || m->device == device) &&
	       (m->subvendor == PCI_ANY_ID || m->subvendor == subvendor) &&
	       (m->subdevice == PCI_ANY_ID || m->subdevice == subdevice) &&
	       !((m->class ^ class) & m->class_mask);
}

/**
 * ppt_next_token() - take the next comma-separated token from a list
 * @list: cursor into the list; advanced past the token and its comma
 * @tok: receives the token, truncated to PPT_TOKEN_MAX bytes, NUL-terminated
 *
 * Return: the token's full length (callers reject lengths above
 * PPT_TOKEN_MAX), or -ENOENT when the list is exhausted.
 */
int ppt_next_token(const char **list, char tok[PPT_TOKEN_MAX + 1])
{
	const char *p = *list;
	const char *end;
	size_t len;

	if (!p || !*p)
		return -ENOENT;
	end = strchrnul(p, ',');
	len = end - p;
	memcpy(tok, p, min_t(size_t, len, PPT_TOKEN_MAX));
	tok[min_t(size_t, len, PPT_TOKEN_MAX)] = '\0';
	*list = *end ? end + 1 : end;
	return len;
}

/**
 * ppt_format_path() - print a path the way ppt_parse_path() reads it
 * @p: the path
 * @buf: output buffer
 * @len: size of @buf
 *
 * Return: the number of characters written (excluding NUL), or -ENOSPC.
 */
int ppt_format_path(const struct ppt_path_match *p, char *buf, size_t len)
{
	size_t n;
	int i;

	n = snprintf(buf, len, "%04x:%02x", p->domain, p->root_bus);
	for (i = 0; i < p->nhops && n < len; i++)
		n += snprintf(buf + n, len - n, "/%02x.%x",
			      PCI_SLOT(p->hops[i]), PCI_FUNC(p->hops[i]));
	return n < len ? n : -ENOSPC;
}

/**
 * ppt_parse_class() - parse a sanitiser policy selector by class
 * @tok: NUL-terminated token, 2, 4 or 6 hexadecimal digits ("0108", "03")
 * @m: filled on success; untouched on failure
 * @why: set to a constant reason on failure
 *
 * Return: 0 or -EINVAL.
 */
int ppt_parse_class(const char *tok, struct ppt_class_match *m,
		    const char **why)
{
	size_t len = strnlen(tok, 7);
	u32 v;
	int ret;

	if (len != 2 && len != 4 && len != 6) {
		*why = "a class is 2, 4 or 6 hex digits (class, subclass, programming interface)";
		return -EINVAL;
	}
	ret = parse_hex(tok, len, 0xffffff, &v, why);
	if (ret)
		return ret;
	m->digits = len;
	m->class = v << (4 * (6 - len));
	m->mask = GENMASK(23, 4 * (6 - len));
	return 0;
}

/* The NVMe erase methods nvme:METHOD names (pptadm's nvme sanitiser). */
static const char * const ppt_nvme_methods[] = {
	"auto", "sanitize-crypto", "sanitize-block", "format-crypto",
	"format-user", "write-zeroes", "overwrite",
};

/* "prefetchable", "memory", or distinct BAR numbers 0-5 joined by ','. */
static int parse_bars(const char *s, const char **why)
{
	unsigned int seen = 0;

	if (!strcmp(s, "prefetchable") || !strcmp(s, "memory"))
		return 0;
	for (;;) {
		if (s[0] < '0' || s[0] > '5' || (s[1] && s[1] != ',')) {
			*why = "bar takes prefetchable, memory or BAR numbers 0-5 joined by ','";
			return -EINVAL;
		}
		if (seen & BIT(s[0] - '0')) {
			*why = "bar names a BAR twice";
			return -EINVAL;
		}
		seen |= BIT(s[0] - '0');
		if (!s[1])
			return 0;
		s += 2;
	}
}

/**
 * ppt_parse_sanitiser() - check a sanitiser spec
 * @spec: NUL-terminated, "none", "nvme[:METHOD]", "bar[:BARS]" or
 *	"exec:/PATH"
 * @why: set to a constant reason on failure
 *
 * The kernel does not run sanitisers; it keeps the policy, so it refuses
 * what no sanitiser would accept rather than fail a clean later.
 *
 * Return: 0 or -EINVAL.
 */
int ppt_parse_sanitiser(const char *spec, const char **why)
{
	size_t len = strnlen(spec, PPT_SANITISER_MAX);
	const char *arg = strchr(spec, ':');
	size_t i;

	if (!len) {
		*why = "empty sanitiser";
		return -EINVAL;
	}
	if (len >= PPT_SANITISER_MAX) {
		*why = "sanitiser too long";
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (spec[i] <= ' ' || spec[i] > '~' || spec[i] == ';') {
			*why = "a sanitiser has no whitespace, control character or ';'";
			return -EINVAL;
		}
	}
	if (!strcmp(spec, "none") || !strcmp(spec, "nvme") ||
	    !strcmp(spec, "bar"))
		return 0;
	if (arg && arg - spec == 4 && !strncmp(spec, "nvme", 4)) {
		for (i = 0; i < ARRAY_SIZE(ppt_nvme_methods); i++)
			if (!strcmp(arg + 1, ppt_nvme_methods[i]))
				return 0;
		*why = "unknown nvme method (ppt(4) lists them under sanitise=)";
		return -EINVAL;
	}
	if (arg && arg - spec == 3 && !strncmp(spec, "bar", 3))
		return parse_bars(arg + 1, why);
	if (arg && arg - spec == 4 && !strncmp(spec, "exec", 4)) {
		if (arg[1] != '/' || !arg[2]) {
			*why = "exec needs a program's absolute path (exec:/PATH)";
			return -EINVAL;
		}
		return 0;
	}
	*why = "unknown sanitiser (want none, nvme[:METHOD], bar[:BARS] or exec:/PATH)";
	return -EINVAL;
}

/**
 * ppt_parse_sanitise_entry() - split one sanitise= entry
 * @tok: "KIND:SELECTOR=SANITISER"; modified in place
 * @kind: receives the selector's attribute
 * @sel: receives the selector, inside @tok
 * @spec: receives the sanitiser, inside @tok, checked
 * @why: set to a constant reason on failure
 *
 * Return: 0 or -EINVAL.
 */
int ppt_parse_sanitise_entry(char *tok, int *kind, char **sel, char **spec,
			     const char **why)
{
	static const struct {
		const char *name;
		int kind;
	} kinds[] = {
		{ "device", PPT_A_MATCH_DEVICE },
		{ "ids", PPT_A_MATCH_IDS },
		{ "class", PPT_A_SANITISE_CLASS },
	};
	char *colon = strchr(tok, ':');
	char *eq = strchr(tok, '=');
	size_t i;

	if (!colon || !eq || eq < colon) {
		*why = "want KIND:SELECTOR=SANITISER (KIND device, ids or class)";
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strlen(kinds[i].name) == colon - tok &&
		    !strncmp(tok, kinds[i].name, colon - tok))
			break;
	if (i == ARRAY_SIZE(kinds)) {
		*why = "unknown selector kind (want device, ids or class)";
		return -EINVAL;
	}
	if (ppt_parse_sanitiser(eq + 1, why))
		return -EINVAL;
	*colon = '\0';
	*eq = '\0';
	*kind = kinds[i].kind;
	*sel = colon + 1;
	*spec = eq + 1;
	return 0;
}
