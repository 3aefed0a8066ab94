// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device variants: see variants.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "names.h"
#include "variants.h"

_Static_assert(sizeof(((struct out_device *)0)->variant) == VARIANT_NAME_MAX + 1,
	       "out_device.variant holds a variant name");

static const char *const type_names[VT_COUNT] = {
	[VT_GPU] = "gpu",
	[VT_GPU_AUDIO] = "gpu-audio",
	[VT_NIC] = "nic",
	[VT_NVME] = "nvme",
	[VT_STORAGE] = "storage",
	[VT_ACCEL] = "accel",
	[VT_USB] = "usb",
	[VT_OTHER] = "other",
};

_Static_assert(sizeof(((struct out_device *)0)->type) > sizeof("gpu-audio"),
	       "out_device.type holds every type name");

const char *variant_type_name(enum variant_type t)
{
	return (unsigned int)t < VT_COUNT ? type_names[t] : "other";
}

int variant_type_parse(const char *name)
{
	int t;

	for (t = 0; t < VT_COUNT; t++)
		if (!strcmp(type_names[t], name))
			return t;
	return -1;
}

const char *variant_type_names(void)
{
	static char buf[128];
	size_t off = 0;
	int t;

	if (buf[0])
		return buf;
	for (t = 0; t < VT_COUNT; t++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
					t ? ", " : "", type_names[t]);
	return buf;
}

const char *variants_path(const char *opt, bool *explicit)
{
	const char *env = getenv(VARIANTS_ENV);

	*explicit = true;
	if (opt)
		return opt;
	if (env && env[0])
		return env;
	*explicit = false;
	return VARIANTS_DEFAULT_PATH;
}

bool variant_name_ok(const char *name, const char **why)
{
	size_t i, len = strlen(name);

	if (!len) {
		*why = "empty variant name";
		return false;
	}
	if (len > VARIANT_NAME_MAX) {
		*why = "variant name longer than 64 bytes";
		return false;
	}
	for (i = 0; i < len; i++) {
		char c = name[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (i && (c == '.' || c == '_' || c == '-'))
			continue;
		*why = i || (c != '.' && c != '_' && c != '-') ?
		       "a variant name is lower-case letters, digits, '.', '_' and '-'" :
		       "a variant name starts with a lower-case letter or a digit";
		return false;
	}
	return true;
}

/* Exactly digits hex digits, into *out. */
static bool hex_exact(const char *s, size_t len, size_t digits, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (len != digits)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

/*
 * One ID token: vendor:device[:subvendor:subdevice][:revision].  On error
 * *why says what is wrong.
 */
static int parse_id(const char *tok, size_t toklen, struct variant_id *id,
		    const char **why)
{
	const char *f[6];
	size_t flen[6], i;
	int n = 0;
	uint32_t v[5];
	const char *p = tok, *end = tok + toklen;

	while (n < 6) {
		const char *c = memchr(p, ':', (size_t)(end - p));

		f[n] = p;
		flen[n] = (size_t)((c ? c : end) - p);
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	if (n < 2) {
		*why = "an ID is vendor:device[:subvendor:subdevice][:revision]";
		return -EINVAL;
	}
	if (n > 5) {
		*why = "an ID has at most five fields (vendor:device:subvendor:subdevice:revision)";
		return -EINVAL;
	}
	memset(id, 0, sizeof(*id));
	for (i = 0; i < (size_t)n; i++) {
		bool rev = (n == 3 && i == 2) || (n == 5 && i == 4);

		if (!flen[i]) {
			*why = "an ID has an empty field";
			return -EINVAL;
		}
		if (!hex_exact(f[i], flen[i], rev ? 2 : 4, &v[i])) {
			if (rev && n == 3)
				*why = "a third field is the revision, two hex digits (a subsystem is subvendor:subdevice)";
			else if (rev)
				*why = "the revision is two hex digits";
			else
				*why = "vendor, device, subvendor and subdevice are four hex digits each";
			return -EINVAL;
		}
	}
	id->vendor = (uint16_t)v[0];
	id->device = (uint16_t)v[1];
	if (n >= 4) {
		id->has_subsys = true;
		id->subvendor = (uint16_t)v[2];
		id->subdevice = (uint16_t)v[3];
	}
	if (n == 3 || n == 5) {
		id->has_rev = true;
		id->revision = (uint8_t)v[n - 1];
	}
	return 0;
}

static bool same_id(const struct variant_id *a, const struct variant_id *b)
{
	return a->vendor == b->vendor && a->device == b->device &&
	       a->has_subsys == b->has_subsys && a->has_rev == b->has_rev &&
	       (!a->has_subsys || (a->subvendor == b->subvendor &&
				   a->subdevice == b->subdevice)) &&
	       (!a->has_rev || a->revision == b->revision);
}

/*
 * A token for a message: control and non-ASCII bytes as \xNN, quotes and
 * backslashes escaped, cut after 40 bytes.
 */
static void quote_token(const char *tok, size_t len, char *out, size_t outlen)
{
	size_t i, off = 0;

	for (i = 0; i < len && i < 40 && off + 5 < outlen; i++) {
		unsigned char c = (unsigned char)tok[i];

		if (c < 0x20 || c >= 0x7f)
			off += (size_t)snprintf(out + off, outlen - off, "\\x%02x", c);
		else if (c == '"' || c == '\\')
			off += (size_t)snprintf(out + off, outlen - off, "\\%c", c);
		else
			out[off++] = (char)c;
	}
	if (i < len && off + 4 < outlen)
		off += (size_t)snprintf(out + off, outlen - off, "...");
	out[off < outlen ? off : outlen - 1] = '\0';
}

struct parser {
	struct variants *vs;
	const char *path;
	int line;
	char *err;
	size_t errlen;
	size_t vcap, idcap;
};

static int bad(struct parser *ps, const char *what, const char *tok, size_t len)
{
	char q[200];

	quote_token(tok, len, q, sizeof(q));
	snprintf(ps->err, ps->errlen, "%s:%d: %s (\"%s\")", ps->path, ps->line, what, q);
	return -EINVAL;
}

static int add_variant(struct parser *ps, const char *name, size_t len,
		       enum variant_type type)
{
	struct variants *vs = ps->vs;

	if (vs->n == ps->vcap) {
		size_t cap = ps->vcap ? ps->vcap * 2 : 8;
		struct variant *nv = realloc(vs->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		vs->v = nv;
		ps->vcap = cap;
	}
	memcpy(vs->v[vs->n].name, name, len);
	vs->v[vs->n].name[len] = '\0';
	vs->v[vs->n].type = type;
	vs->v[vs->n].line = ps->line;
	vs->n++;
	return 0;
}

static int add_id(struct parser *ps, const struct variant_id *id)
{
	struct variants *vs = ps->vs;

	if (vs->nids == ps->idcap) {
		size_t cap = ps->idcap ? ps->idcap * 2 : 16;
		struct variant_id *ni = realloc(vs->ids, cap * sizeof(*ni));

		if (!ni)
			return -ENOMEM;
		vs->ids = ni;
		ps->idcap = cap;
	}
	vs->ids[vs->nids++] = *id;
	return 0;
}

/* NAME: well-formed and not defined before. */
static int check_name(struct parser *ps, const char *tok, size_t len,
		      char name[VARIANT_NAME_MAX + 1])
{
	const struct variant *v;
	const char *why;
	char what[160];

	if (len > VARIANT_NAME_MAX)
		return bad(ps, "variant name longer than 64 bytes", tok, len);
	memcpy(name, tok, len);
	name[len] = '\0';
	if (!variant_name_ok(name, &why))
		return bad(ps, why, tok, len);
	v = variants_find(ps->vs, name);
	if (v) {
		snprintf(what, sizeof(what), "variant already defined on line %d", v->line);
		return bad(ps, what, tok, len);
	}
	return 0;
}

static int check_type(struct parser *ps, const char *tok, size_t len)
{
	char type[16], what[200];
	int t = -1;

	if (len < sizeof(type)) {
		memcpy(type, tok, len);
		type[len] = '\0';
		t = variant_type_parse(type);
	}
	if (t < 0) {
		snprintf(what, sizeof(what), "unknown type, want one of %s",
			 variant_type_names());
		return bad(ps, what, tok, len);
	}
	return t;
}

/* An ID of the line's variant (the last one added). */
static int add_line_id(struct parser *ps, const char *tok, size_t len)
{
	struct variants *vs = ps->vs;
	struct variant_id id;
	const char *why;
	char what[160];
	size_t i;

	if (parse_id(tok, len, &id, &why))
		return bad(ps, why, tok, len);
	for (i = 0; i < vs->nids; i++) {
		const struct variant_id *o = &vs->ids[i];

		if (!same_id(o, &id))
			continue;
		if (o->variant == vs->n - 1)
			snprintf(what, sizeof(what), "ID listed twice for %s",
				 vs->v[vs->n - 1].name);
		else
			snprintf(what, sizeof(what),
				 "ID already listed for variant %s on line %d",
				 vs->v[o->variant].name, o->line);
		return bad(ps, what, tok, len);
	}
	id.variant = vs->n - 1;
	id.line = ps->line;
	return add_id(ps, &id);
}

/* One line, without its newline and comment: NAME TYPE ID [ID...]. */
static int parse_line(struct parser *ps, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *first = NULL;
	char name[VARIANT_NAME_MAX + 1];
	size_t nwords = 0, firstlen = 0;
	int ret;

	for (;;) {
		const char *w;
		size_t wlen;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == end)
			break;
		w = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		wlen = (size_t)(p - w);
		if (nwords == 0) {
			ret = check_name(ps, w, wlen, name);
			first = w;
			firstlen = wlen;
		} else if (nwords == 1) {
			ret = check_type(ps, w, wlen);
			if (ret >= 0)
				ret = add_variant(ps, name, firstlen, (enum variant_type)ret);
		} else {
			ret = add_line_id(ps, w, wlen);
		}
		if (ret)
			return ret;
		nwords++;
	}
	if (nwords == 1)
		return bad(ps, "a variant needs a type and at least one ID (NAME TYPE ID...)",
			   first, firstlen);
	if (nwords == 2)
		return bad(ps, "a variant needs at least one ID (NAME TYPE ID...)",
			   first, firstlen);
	return 0;
}

void variants_free(struct variants *vs)
{
	free(vs->path);
	free(vs->v);
	free(vs->ids);
	memset(vs, 0, sizeof(*vs));
}

int variants_parse(struct variants *vs, const char *path, const char *text,
		   size_t len, char *err, size_t errlen)
{
	struct parser ps = { .vs = vs, .path = path, .err = err, .errlen = errlen };
	const char *p = text, *end = text + len;
	int ret = 0;

	memset(vs, 0, sizeof(*vs));
	if (len && memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: not a text file (it contains NUL bytes)", path);
		return -EINVAL;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *hash = memchr(p, '#', (size_t)(eol - p));

		ps.line++;
		ret = parse_line(&ps, p, (size_t)((hash ? hash : eol) - p));
		if (ret)
			break;
		p = nl ? nl + 1 : end;
	}
	if (!ret) {
		vs->path = strdup(path);
		if (!vs->path)
			ret = -ENOMEM;
	}
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "%s: out of memory", path);
		variants_free(vs);
	}
	return ret;
}

int variants_load(struct variants *vs, const char *path, bool must_exist,
		  char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int ret;

	memset(vs, 0, sizeof(*vs));
	if (!f) {
		ret = -errno;
		if (ret == -ENOENT && !must_exist)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		fclose(f);
		return -EINVAL;
	}
	buf = malloc(VARIANTS_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	len = fread(buf, 1, VARIANTS_MAX_BYTES + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		ret = -EIO;
	} else if (len > VARIANTS_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %d bytes: not a variants file",
			 path, VARIANTS_MAX_BYTES);
		ret = -EFBIG;
	} else {
		ret = variants_parse(vs, path, buf, len, err, errlen);
	}
	free(buf);
	fclose(f);
	return ret;
}

/* How specific an ID is: subsystem and revision beat subsystem beat revision. */
static int specificity(const struct variant_id *id)
{
	return (id->has_subsys ? 2 : 0) + (id->has_rev ? 1 : 0);
}

const struct variant *variants_lookup(const struct variants *vs,
				      uint16_t vendor, uint16_t device,
				      uint16_t subvendor, uint16_t subdevice,
				      uint8_t revision)
{
	const struct variant_id *best = NULL;
	size_t i;

	for (i = 0; vs && i < vs->nids; i++) {
		const struct variant_id *id = &vs->ids[i];

		if (id->vendor != vendor || id->device != device ||
		    (id->has_subsys && (id->subvendor != subvendor ||
					id->subdevice != subdevice)) ||
		    (id->has_rev && id->revision != revision))
			continue;
		if (!best || specificity(id) > specificity(best))
			best = id;
	}
	return best ? &vs->v[best->variant] : NULL;
}

const struct variant *variants_find(const struct variants *vs,
				    const char *name)
{
	size_t i;

	for (i = 0; vs && i < vs->n; i++)
		if (!strcmp(vs->v[i].name, name))
			return &vs->v[i];
	return NULL;
}

enum variant_type variant_type_guess(uint32_t pci_class, uint16_t vendor,
				     bool display_in_slot)
{
	uint32_t base = pci_class >> 16, sub = (pci_class >> 8) & 0xff;

	switch (base) {
	case 0x03:
		return VT_GPU;
	case 0x04:
		if (sub == 0x03 && (display_in_slot || vendor == 0x10de || vendor == 0x1002))
			return VT_GPU_AUDIO;
		return VT_OTHER;
	case 0x01:
		return sub == 0x08 ? VT_NVME : VT_STORAGE;
	case 0x02:
		return VT_NIC;
	case 0x0c:
		return sub == 0x03 ? VT_USB : VT_OTHER;
	case 0x12:
		return VT_ACCEL;
	case 0x0b:
		return sub == 0x40 ? VT_ACCEL : VT_OTHER;
	}
	return VT_OTHER;
}

/* Is there a display controller in addr's slot (domain:bus:dev) among ctx? */
static bool display_in_slot(const char *addr, const struct out_device *ctx,
			    size_t nctx)
{
	size_t i;

	for (i = 0; i < nctx; i++) {
		const char *o = ctx[i].info.addr;

		if (addr_same_slot(o, addr) && strcmp(o, addr) &&
		    ctx[i].info.pci_class >> 16 == 0x03)
			return true;
	}
	return false;
}

void variants_label(const struct variants *vs, struct out_device *devs,
		    size_t n, const struct out_device *ctx, size_t nctx)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct out_device *d = &devs[i];
		const struct variant *v;
		enum variant_type t;

		v = variants_lookup(vs, d->info.vendor, d->info.device,
				    d->info.subvendor, d->info.subdevice,
				    d->info.revision);
		if (v) {
			snprintf(d->variant, sizeof(d->variant), "%s", v->name);
			t = v->type;
		} else {
			d->variant[0] = '\0';
			t = variant_type_guess(d->info.pci_class, d->info.vendor,
					       display_in_slot(d->info.addr, ctx, nctx));
		}
		snprintf(d->type, sizeof(d->type), "%s", variant_type_name(t));
	}
}
