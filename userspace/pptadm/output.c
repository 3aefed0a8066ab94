// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm's output formats.  Every format prints the same fields from the
 * same table, so they cannot disagree.
 */
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "output.h"

enum field_kind { F_STR, F_HEX4, F_HEX6, F_HEX2, F_INT, F_BOOL };

struct field {
	const char *name;	/* -o name and JSON key */
	const char *header;	/* table header */
	enum field_kind kind;
	bool by_default;	/* shown without -o */
	/* value as a string ("" = missing), and as a number for JSON */
	void (*get)(const struct out_device *d, char *buf, size_t len);
};

#define GETTER(fname, fmt, expr)					\
	static void get_##fname(const struct out_device *d, char *buf,	\
				size_t len)				\
	{								\
		snprintf(buf, len, fmt, expr);				\
	}

GETTER(addr, "%s", d->info.addr)
GETTER(state, "%s", ppt_state_name(d->info.state))
GETTER(driver, "%s", d->info.driver)
GETTER(owner, "%s", d->info.owner)
GETTER(vendor, "%04x", d->info.vendor)
GETTER(device, "%04x", d->info.device)
GETTER(subvendor, "%04x", d->info.subvendor)
GETTER(subdevice, "%04x", d->info.subdevice)
GETTER(class, "%06x", d->info.pci_class)
GETTER(revision, "%02x", d->info.revision)
GETTER(path, "%s", d->info.path)
GETTER(name, "%s", d->name)
GETTER(boot, "%s", d->info.boot_listed ? "yes" : "no")
GETTER(adopted, "%s", d->info.adopted ? "yes" : "no")

static void get_group(const struct out_device *d, char *buf, size_t len)
{
	if (d->info.iommu_group < 0)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%" PRId64, d->info.iommu_group);
}

static const struct field fields[] = {
	{ "addr", "ADDR", F_STR, true, get_addr },
	{ "state", "STATE", F_STR, true, get_state },
	{ "driver", "DRIVER", F_STR, true, get_driver },
	{ "owner", "OWNER", F_STR, true, get_owner },
	{ "group", "GROUP", F_INT, true, get_group },
	{ "vendor", "VENDOR", F_HEX4, true, get_vendor },
	{ "device", "DEVICE", F_HEX4, true, get_device },
	{ "subvendor", "SUBVENDOR", F_HEX4, false, get_subvendor },
	{ "subdevice", "SUBDEVICE", F_HEX4, false, get_subdevice },
	{ "class", "CLASS", F_HEX6, false, get_class },
	{ "revision", "REV", F_HEX2, false, get_revision },
	{ "path", "PATH", F_STR, false, get_path },
	{ "boot", "BOOT", F_BOOL, false, get_boot },
	{ "adopted", "ADOPTED", F_BOOL, false, get_adopted },
	{ "name", "NAME", F_STR, true, get_name },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

const char *out_field_names(void)
{
	static char names[256];
	size_t i, off = 0;

	if (names[0])
		return names;
	for (i = 0; i < NFIELDS; i++)
		off += snprintf(names + off, sizeof(names) - off, "%s%s",
				i ? "," : "", fields[i].name);
	return names;
}

int out_fields_parse(const char *list, struct out_fields *out,
		     char *bad, size_t badlen)
{
	const char *p = list;
	size_t i;

	out->n = 0;
	if (!list) {
		for (i = 0; i < NFIELDS; i++)
			if (fields[i].by_default)
				out->idx[out->n++] = (int)i;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		bool found = false;

		for (i = 0; i < NFIELDS && len; i++) {
			if (strlen(fields[i].name) == len &&
			    !strncasecmp(fields[i].name, p, len)) {
				found = true;
				break;
			}
		}
		if (!found || out->n == OUT_MAX_FIELDS) {
			snprintf(bad, badlen, "%.*s", (int)len, p);
			return -1;
		}
		out->idx[out->n++] = (int)i;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void parseable_string(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == ':' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void json_value(FILE *f, const struct field *fl, const char *v)
{
	if (!v[0]) {
		fputs("null", f);
		return;
	}
	switch (fl->kind) {
	case F_INT:
		fputs(v, f);
		break;
	case F_BOOL:
		fputs(strcmp(v, "yes") ? "false" : "true", f);
		break;
	default:
		json_string(f, v);
	}
}

void out_devices(FILE *f, enum out_format fmt, const struct out_fields *sel,
		 const struct out_device *devs, size_t n)
{
	char v[256];
	size_t i;
	int c;

	if (fmt == OUT_JSON) {
		fputs("{\"devices\":[", f);
		for (i = 0; i < n; i++) {
			fputs(i ? ",{" : "{", f);
			for (c = 0; c < sel->n; c++) {
				const struct field *fl = &fields[sel->idx[c]];

				fl->get(&devs[i], v, sizeof(v));
				if (c)
					fputc(',', f);
				json_string(f, fl->name);
				fputc(':', f);
				json_value(f, fl, v);
			}
			fputc('}', f);
		}
		fputs("]}\n", f);
		return;
	}
	if (fmt == OUT_PARSEABLE) {
		for (i = 0; i < n; i++) {
			for (c = 0; c < sel->n; c++) {
				fields[sel->idx[c]].get(&devs[i], v, sizeof(v));
				if (c)
					fputc(':', f);
				parseable_string(f, v);
			}
			fputc('\n', f);
		}
		return;
	}

	/* table: size each column to its widest value */
	int width[OUT_MAX_FIELDS];

	for (c = 0; c < sel->n; c++) {
		width[c] = (int)strlen(fields[sel->idx[c]].header);
		for (i = 0; i < n; i++) {
			fields[sel->idx[c]].get(&devs[i], v, sizeof(v));
			if ((int)strlen(v[0] ? v : OUT_NONE) > width[c])
				width[c] = (int)strlen(v[0] ? v : OUT_NONE);
		}
	}
	for (c = 0; c < sel->n; c++) {
		if (c == sel->n - 1)
			fprintf(f, "%s\n", fields[sel->idx[c]].header);
		else
			fprintf(f, "%-*s  ", width[c], fields[sel->idx[c]].header);
	}
	for (i = 0; i < n; i++) {
		for (c = 0; c < sel->n; c++) {
			fields[sel->idx[c]].get(&devs[i], v, sizeof(v));
			if (c == sel->n - 1)
				fprintf(f, "%s\n", v[0] ? v : OUT_NONE);
			else
				fprintf(f, "%-*s  ", width[c], v[0] ? v : OUT_NONE);
		}
	}
}
