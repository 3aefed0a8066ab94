// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm's output formats.  Every format prints the same fields from the
 * same table, so they cannot disagree.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "output.h"

#define DEV(row) ((const struct out_device *)(row))
#define MATCH(row) ((const struct out_match *)(row))

#define GETTER(fname, cond, fmt, expr)					\
	static bool get_##fname(const void *row, char *buf, size_t len)	\
	{								\
		const struct out_device *d = DEV(row);			\
		if (!(cond))						\
			return false;					\
		snprintf(buf, len, fmt, expr);				\
		return true;						\
	}

/* what the kernel knows, for devices it manages */
#define KNOWN	(!d->host_only)

GETTER(addr, 1, "%s", d->info.addr)
GETTER(state, KNOWN, "%s", ppt_state_name(d->info.state))
GETTER(driver, d->info.driver[0], "%s", d->info.driver)
GETTER(owner, d->info.owner[0], "%s", d->info.owner)
GETTER(group, d->info.iommu_group >= 0, "%" PRId64, d->info.iommu_group)
GETTER(vendor, 1, "%04x", d->info.vendor)
GETTER(device, 1, "%04x", d->info.device)
GETTER(subvendor, 1, "%04x", d->info.subvendor)
GETTER(subdevice, 1, "%04x", d->info.subdevice)
GETTER(class, 1, "%06x", d->info.pci_class)
GETTER(revision, 1, "%02x", d->info.revision)
GETTER(path, d->info.path[0], "%s", d->info.path)
GETTER(slot, d->info.slot[0], "%s", d->info.slot)
GETTER(boot, KNOWN, "%s", d->info.boot_listed ? "yes" : "no")
GETTER(adopted, KNOWN, "%s", d->info.adopted ? "yes" : "no")
GETTER(last_reset, KNOWN && d->info.last_reset >= 0, "%s",
       ppt_reset_method_name((uint32_t)d->info.last_reset))
GETTER(last_reset_usec, KNOWN && d->info.last_reset >= 0, "%" PRIu64,
       d->info.last_reset_usec)
GETTER(reset_pref, KNOWN && d->info.reset_pref >= 0, "%s",
       ppt_reset_method_name((uint32_t)d->info.reset_pref))
GETTER(vendor_name, d->vendor_name[0], "%s", d->vendor_name)
GETTER(device_name, d->device_name[0], "%s", d->device_name)
GETTER(name, d->name[0], "%s", d->name)
GETTER(lease, KNOWN && d->info.lease, "%" PRIu32, d->info.lease)
GETTER(lease_ended, KNOWN, "%s", d->info.lease_ended ? "yes" : "no")
GETTER(last_reset_inferred, KNOWN && d->info.last_reset >= 0, "%s",
       d->info.last_reset_inferred ? "yes" : "no")
GETTER(tainted, KNOWN, "%s", d->info.tainted ? "yes" : "no")
GETTER(gated, KNOWN, "%s", d->info.gated ? "yes" : "no")
GETTER(reason, KNOWN && d->info.reason[0], "%s", d->info.reason)
GETTER(recycle, KNOWN, "%s", d->info.recycle ? "yes" : "no")
GETTER(recycles, KNOWN && d->info.recycle, "%" PRIu32, d->info.recycles)
GETTER(sanitiser, KNOWN && d->info.sanitiser[0], "%s", d->info.sanitiser)
GETTER(sanitised, KNOWN, "%s", d->info.sanitised ? "yes" : "no")
/* the last sanitise: all missing before the first */
#define SANITISED_ONCE	(KNOWN && d->info.last_sanitiser[0])
GETTER(last_sanitiser, SANITISED_ONCE, "%s", d->info.last_sanitiser)
GETTER(last_sanitise_usec, SANITISED_ONCE, "%" PRIu64, d->info.last_sanitise_usec)
GETTER(last_sanitise_method, SANITISED_ONCE && d->info.last_sanitise_method[0], "%s",
       d->info.last_sanitise_method)
GETTER(last_sanitise_verified, SANITISED_ONCE && d->info.last_sanitise_verified[0], "%s",
       d->info.last_sanitise_verified)
GETTER(last_sanitise_msg, SANITISED_ONCE && d->info.last_sanitise_msg[0], "%s",
       d->info.last_sanitise_msg)
GETTER(variant, d->variant[0], "%s", d->variant)
GETTER(type, d->type[0], "%s", d->type)
/* SR-IOV (sriov.h): a VF's PF and index, a PF's counts */
GETTER(physfn, d->sriov.physfn[0], "%s", d->sriov.physfn)
GETTER(vf_index, d->sriov.physfn[0], "%u", d->sriov.vf_index)
GETTER(sriov_numvfs, d->sriov.is_pf, "%u", d->sriov.numvfs)
GETTER(sriov_totalvfs, d->sriov.is_pf, "%u", d->sriov.totalvfs)
GETTER(numa_node, d->hw.has_numa, "%d", d->hw.numa_node)
GETTER(pcie_root, d->hw.pcie_root[0], "%s", d->hw.pcie_root)
GETTER(root_port, d->hw.root_port[0], "%s", d->hw.root_port)
GETTER(serial, d->hw.serial[0], "%s", d->hw.serial)
GETTER(link_speed, d->hw.link_speed[0], "%s", d->hw.link_speed)
GETTER(link_width, d->hw.link_width > 0, "%d", d->hw.link_width)
GETTER(vfio_group, d->hw.vfio_group[0], "%s", d->hw.vfio_group)
GETTER(vfio_cdev, d->hw.vfio_cdev[0], "%s", d->hw.vfio_cdev)

/* RFC 3339 in UTC: the same text wherever it is read */
static bool get_last_sanitise_time(const void *row, char *buf, size_t len)
{
	const struct out_device *d = DEV(row);
	time_t t;
	struct tm tm;

	if (!SANITISED_ONCE || d->info.last_sanitise_time > (uint64_t)INT64_MAX / 2)
		return false;
	t = (time_t)d->info.last_sanitise_time;
	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return false;
	return true;
}

/* "ok", or the errno's name: EIO, ETIMEDOUT (no answer in time) */
static bool get_last_sanitise_outcome(const void *row, char *buf, size_t len)
{
	const struct out_device *d = DEV(row);
	char num[16];

	if (!SANITISED_ONCE)
		return false;
	snprintf(buf, len, "%s", d->info.last_sanitise_err ?
		 out_errno_name(d->info.last_sanitise_err, num, sizeof(num)) : "ok");
	return true;
}

static bool get_reset_methods(const void *row, char *buf, size_t len)
{
	const struct out_device *d = DEV(row);

	if (!KNOWN)
		return false;
	out_reset_methods(d->info.reset_methods, buf, len);
	return true;
}

static const struct field device_fields[] = {
	{ "addr", "ADDR", F_STR, true, NULL, get_addr },
	{ "state", "STATE", F_STR, true, "-", get_state },
	{ "driver", "DRIVER", F_STR, true, NULL, get_driver },
	{ "owner", "OWNER", F_STR, true, NULL, get_owner },
	{ "group", "GROUP", F_INT, true, NULL, get_group },
	{ "vendor", "VENDOR", F_HEX, true, NULL, get_vendor },
	{ "device", "DEVICE", F_HEX, true, NULL, get_device },
	{ "subvendor", "SUBVENDOR", F_HEX, false, NULL, get_subvendor },
	{ "subdevice", "SUBDEVICE", F_HEX, false, NULL, get_subdevice },
	{ "class", "CLASS", F_HEX, false, NULL, get_class },
	{ "revision", "REV", F_HEX, false, NULL, get_revision },
	{ "path", "PATH", F_STR, false, NULL, get_path },
	{ "slot", "SLOT", F_STR, false, NULL, get_slot },
	{ "numa_node", "NUMA", F_INT, false, NULL, get_numa_node },
	{ "pcie_root", "PCIE_ROOT", F_STR, false, NULL, get_pcie_root },
	{ "root_port", "ROOT_PORT", F_STR, false, NULL, get_root_port },
	{ "link_speed", "LINK_SPEED", F_STR, false, NULL, get_link_speed },
	{ "link_width", "LINK_WIDTH", F_INT, false, NULL, get_link_width },
	{ "serial", "SERIAL", F_STR, false, NULL, get_serial },
	{ "vfio_group", "VFIO_GROUP", F_STR, false, NULL, get_vfio_group },
	{ "vfio_cdev", "VFIO_CDEV", F_STR, false, NULL, get_vfio_cdev },
	{ "boot", "BOOT", F_BOOL, false, NULL, get_boot },
	{ "adopted", "ADOPTED", F_BOOL, false, NULL, get_adopted },
	{ "reset_methods", "RESET_METHODS", F_LIST, false, NULL, get_reset_methods },
	{ "last_reset", "LAST_RESET", F_STR, false, NULL, get_last_reset },
	{ "last_reset_usec", "LAST_RESET_USEC", F_INT, false, NULL, get_last_reset_usec },
	{ "last_reset_inferred", "INFERRED", F_BOOL, false, NULL, get_last_reset_inferred },
	{ "reset_pref", "RESET_PREF", F_STR, false, NULL, get_reset_pref },
	{ "vendor_name", "VENDOR_NAME", F_STR, false, NULL, get_vendor_name },
	{ "device_name", "DEVICE_NAME", F_STR, false, NULL, get_device_name },
	{ "lease", "LEASE", F_INT, false, NULL, get_lease },
	{ "lease_ended", "LEASE_ENDED", F_BOOL, false, NULL, get_lease_ended },
	{ "tainted", "TAINTED", F_BOOL, false, NULL, get_tainted },
	{ "gated", "GATED", F_BOOL, false, NULL, get_gated },
	{ "reason", "REASON", F_STR, false, NULL, get_reason },
	{ "recycle", "RECYCLE", F_BOOL, false, NULL, get_recycle },
	{ "recycles", "RECYCLES", F_INT, false, NULL, get_recycles },
	{ "sanitiser", "SANITISER", F_STR, false, NULL, get_sanitiser },
	{ "sanitised", "SANITISED", F_BOOL, false, NULL, get_sanitised },
	{ "last_sanitiser", "LAST_SANITISER", F_STR, false, NULL, get_last_sanitiser },
	{ "last_sanitise_time", "LAST_SANITISE_TIME", F_STR, false, NULL, get_last_sanitise_time },
	{ "last_sanitise_usec", "LAST_SANITISE_USEC", F_INT, false, NULL, get_last_sanitise_usec },
	{ "last_sanitise_outcome", "LAST_SANITISE_OUTCOME", F_STR, false, NULL,
	  get_last_sanitise_outcome },
	{ "last_sanitise_method", "LAST_SANITISE_METHOD", F_STR, false, NULL,
	  get_last_sanitise_method },
	{ "last_sanitise_verified", "LAST_SANITISE_VERIFIED", F_STR, false, NULL,
	  get_last_sanitise_verified },
	{ "last_sanitise_msg", "LAST_SANITISE_MSG", F_STR, false, NULL, get_last_sanitise_msg },
	/* SR-IOV */
	{ "physfn", "PHYSFN", F_STR, false, NULL, get_physfn },
	{ "vf_index", "VF_INDEX", F_INT, false, NULL, get_vf_index },
	{ "sriov_numvfs", "NUMVFS", F_INT, false, NULL, get_sriov_numvfs },
	{ "sriov_totalvfs", "TOTALVFS", F_INT, false, NULL, get_sriov_totalvfs },
	{ "variant", "VARIANT", F_STR, OUT_DEF_TABLE, NULL, get_variant },
	{ "type", "TYPE", F_STR, OUT_DEF_TABLE, NULL, get_type },
	{ "name", "NAME", F_STR, true, NULL, get_name },
};

/*
 * The inventory names of RFD 114 and a few spellings people reach for.
 * "id" is the address here; RFD 114's own shapes (out_sysinfo(),
 * out_assignable()) have an "id" key that is the topology path.
 */
static const struct field_alias device_aliases[] = {
	{ "id", "addr" },
	{ "dsn", "serial" },
	{ "address", "addr" },
	{ "used_by", "owner" },
	{ "subsystem", "subdevice" },
	{ "rev", "revision" },
	{ "iommu_group", "group" },
};

const struct field_set out_device_fields = {
	"devices", device_fields, sizeof(device_fields) / sizeof(device_fields[0]),
	device_aliases, sizeof(device_aliases) / sizeof(device_aliases[0]),
	sizeof(struct out_device),
};

static bool get_kind(const void *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s", ppt_match_kind_name(MATCH(row)->kind));
	return true;
}

static bool get_text(const void *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s", MATCH(row)->text);
	return true;
}

static bool get_mboot(const void *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s", MATCH(row)->boot ? "yes" : "no");
	return true;
}

static bool get_mpref(const void *row, char *buf, size_t len)
{
	if (MATCH(row)->reset_pref < 0)
		return false;
	snprintf(buf, len, "%s", ppt_reset_method_name((uint32_t)MATCH(row)->reset_pref));
	return true;
}

static const struct field match_fields[] = {
	{ "kind", "KIND", F_STR, true, NULL, get_kind },
	{ "text", "TEXT", F_STR, true, NULL, get_text },
	{ "boot", "BOOT", F_BOOL, true, NULL, get_mboot },
	{ "reset_pref", "RESET_PREF", F_STR, true, NULL, get_mpref },
};

const struct field_set out_match_fields = {
	"matches", match_fields, sizeof(match_fields) / sizeof(match_fields[0]),
	NULL, 0, sizeof(struct out_match),
};

#define RULE(row) ((const struct out_sanitise_rule *)(row))

static bool get_skind(const void *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s", ppt_sanitise_kind_name(RULE(row)->kind));
	return true;
}

static bool get_selector(const void *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s", RULE(row)->selector);
	return true;
}

static bool get_rule_sanitiser(const void *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s", RULE(row)->sanitiser);
	return true;
}

static bool get_source(const void *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s", RULE(row)->source);
	return true;
}

static const struct field sanitise_fields[] = {
	{ "kind", "KIND", F_STR, true, NULL, get_skind },
	{ "selector", "SELECTOR", F_STR, true, NULL, get_selector },
	{ "sanitiser", "SANITISER", F_STR, true, NULL, get_rule_sanitiser },
	{ "source", "SOURCE", F_STR, true, NULL, get_source },
};

const struct field_set out_sanitise_fields = {
	"sanitise_rules", sanitise_fields, sizeof(sanitise_fields) / sizeof(sanitise_fields[0]),
	NULL, 0, sizeof(struct out_sanitise_rule),
};

void out_reset_methods(uint32_t mask, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t m;

	buf[0] = '\0';
	for (m = PPT_RESET_AUTO + 1; m <= PPT_RESET_MAX && off < len; m++)
		if (mask & (1u << m))
			off += snprintf(buf + off, len - off, "%s%s",
					off ? "," : "", ppt_reset_method_name(m));
}

const char *out_errno_name(int err, char *buf, size_t len)
{
	const char *name;

	if (err < 0)
		err = -err;
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(buf, len, "E%d", err);
	return buf;
}

const char *out_field_names(const struct field_set *fs)
{
	/* one buffer per field set */
	static char names[3][1024];
	char *buf = names[fs == &out_match_fields ? 1 : fs == &out_sanitise_fields ? 2 : 0];
	size_t i, off = 0;

	if (buf[0])
		return buf;
	for (i = 0; i < fs->n; i++)
		off += snprintf(buf + off, sizeof(names[0]) - off, "%s%s",
				i ? "," : "", fs->fields[i].name);
	return buf;
}

bool out_fields_has(const struct field_set *fs, const struct out_fields *sel,
		    const char *name)
{
	int c;

	for (c = 0; c < sel->n; c++)
		if (!strcmp(fs->fields[sel->idx[c]].name, name))
			return true;
	return false;
}

static int find_field(const struct field_set *fs, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < fs->naliases; i++) {
		if (strlen(fs->aliases[i].alias) == len &&
		    !strncasecmp(fs->aliases[i].alias, p, len)) {
			p = fs->aliases[i].name;
			len = strlen(p);
			break;
		}
	}
	for (i = 0; i < fs->n; i++)
		if (strlen(fs->fields[i].name) == len &&
		    !strncasecmp(fs->fields[i].name, p, len))
			return (int)i;
	return -1;
}

int out_fields_parse(const struct field_set *fs, const char *list,
		     struct out_fields *out, char *bad, size_t badlen)
{
	return out_fields_select(fs, OUT_JSON, list, out, bad, badlen);
}

int out_fields_select(const struct field_set *fs, enum out_format fmt,
		      const char *list, struct out_fields *out, char *bad,
		      size_t badlen)
{
	const char *p = list;
	size_t i;

	out->n = 0;
	if (!list || !strcasecmp(list, "all")) {
		for (i = 0; i < fs->n && i < OUT_MAX_FIELDS; i++)
			if (list || fs->fields[i].by_default == 1 ||
			    (fmt == OUT_TABLE && fs->fields[i].by_default == OUT_DEF_TABLE))
				out->idx[out->n++] = (int)i;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		int idx = len ? find_field(fs, p, len) : -1, c;

		if (idx < 0 || out->n == OUT_MAX_FIELDS) {
			snprintf(bad, badlen, "%.*s", (int)len, p);
			return OUT_FIELD_UNKNOWN;
		}
		for (c = 0; c < out->n; c++) {
			if (out->idx[c] == idx) {
				snprintf(bad, badlen, "%s", fs->fields[idx].name);
				return OUT_FIELD_TWICE;
			}
		}
		out->idx[out->n++] = idx;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

void parseable_string(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == ':' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void json_value(struct json *j, const struct field *fl, bool present,
		       const char *v)
{
	const char *p;
	size_t len;

	if (!present) {
		json_null(j);
		return;
	}
	switch (fl->kind) {
	case F_INT:
		json_number(j, v);
		break;
	case F_BOOL:
		json_bool(j, !strcmp(v, "yes"));
		break;
	case F_LIST:
		json_array_begin(j);
		for (p = v; *p; p += len + (p[len] == ',')) {
			char item[64];

			len = strcspn(p, ",");
			snprintf(item, sizeof(item), "%.*s", (int)len, p);
			json_str(j, item);
		}
		json_array_end(j);
		break;
	default:
		json_str(j, v);
	}
}

#define ROW(rows, fs, i) ((const char *)(rows) + (i) * (fs)->rowsize)

void out_row_json(struct json *j, const struct field_set *fs,
		  const struct out_fields *sel, const void *row)
{
	char v[512];
	int c;

	json_object_begin(j);
	for (c = 0; c < sel->n; c++) {
		const struct field *fl = &fs->fields[sel->idx[c]];
		bool present = fl->get(row, v, sizeof(v));

		json_key(j, fl->name);
		json_value(j, fl, present, v);
	}
	json_object_end(j);
}

/* The value as tables show it. */
static const char *table_value(const struct field *fl, const void *row,
			       char *v, size_t len)
{
	if (!fl->get(row, v, len) || !v[0])
		return fl->none ? fl->none : OUT_NONE;
	return v;
}

void out_rows(FILE *f, enum out_format fmt, const struct field_set *fs,
	      const struct out_fields *sel, const void *rows, size_t n)
{
	int width[OUT_MAX_FIELDS];
	char v[512];
	size_t i;
	int c;

	if (out_is_json(fmt)) {
		struct json j;

		out_json_init(&j, f, fmt);
		json_object_begin(&j);
		json_key(&j, fs->what);
		json_array_begin(&j);
		for (i = 0; i < n; i++)
			out_row_json(&j, fs, sel, ROW(rows, fs, i));
		json_array_end(&j);
		json_object_end(&j);
		return;
	}
	if (fmt == OUT_PARSEABLE) {
		for (i = 0; i < n; i++) {
			for (c = 0; c < sel->n; c++) {
				const struct field *fl = &fs->fields[sel->idx[c]];

				if (!fl->get(ROW(rows, fs, i), v, sizeof(v)))
					snprintf(v, sizeof(v), "%s",
						 fl->none ? fl->none : "");
				if (c)
					fputc(':', f);
				parseable_string(f, v);
			}
			fputc('\n', f);
		}
		return;
	}

	/* table: size each column to its widest value */
	for (c = 0; c < sel->n; c++) {
		const struct field *fl = &fs->fields[sel->idx[c]];

		width[c] = (int)strlen(fl->header);
		for (i = 0; i < n; i++) {
			int w = (int)strlen(table_value(fl, ROW(rows, fs, i),
							v, sizeof(v)));

			if (w > width[c])
				width[c] = w;
		}
	}
	for (c = 0; c < sel->n; c++) {
		const char *hdr = fs->fields[sel->idx[c]].header;

		if (c == sel->n - 1)
			fprintf(f, "%s\n", hdr);
		else
			fprintf(f, "%-*s  ", width[c], hdr);
	}
	for (i = 0; i < n; i++) {
		for (c = 0; c < sel->n; c++) {
			const char *val = table_value(&fs->fields[sel->idx[c]],
						      ROW(rows, fs, i), v, sizeof(v));

			if (c == sel->n - 1)
				fprintf(f, "%s\n", val);
			else
				fprintf(f, "%-*s  ", width[c], val);
		}
	}
}

void out_rows_vertical(FILE *f, const struct field_set *fs,
		       const struct out_fields *sel, const void *rows, size_t n)
{
	int width = 0, c;
	char v[512];
	size_t i;

	for (c = 0; c < sel->n; c++)
		if ((int)strlen(fs->fields[sel->idx[c]].name) > width)
			width = (int)strlen(fs->fields[sel->idx[c]].name);
	for (i = 0; i < n; i++) {
		if (i)
			fputc('\n', f);
		for (c = 0; c < sel->n; c++) {
			const struct field *fl = &fs->fields[sel->idx[c]];

			fprintf(f, "%s:%*s %s\n", fl->name,
				width - (int)strlen(fl->name), "",
				table_value(fl, ROW(rows, fs, i), v, sizeof(v)));
		}
	}
}

/* The inventory id RFD 114 wants: the topology path, or the address. */
static const char *rfd_id(const struct out_device *d)
{
	return d->info.path[0] ? d->info.path : d->info.addr;
}

static void json_kv_hex(struct json *j, const char *key, const char *fmt,
			unsigned int v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), fmt, v);
	json_kv_str(j, key, buf);
}

void out_sysinfo(FILE *f, enum out_format fmt, const struct out_device *devs,
		 size_t n)
{
	struct json j;
	size_t i;

	out_json_init(&j, f, fmt);
	json_object_begin(&j);
	json_key(&j, "PCI Devices");
	json_array_begin(&j);
	for (i = 0; i < n; i++) {
		const struct out_device *d = &devs[i];

		json_object_begin(&j);
		json_kv_hex(&j, "device", "%04x", d->info.device);
		json_kv_str(&j, "driver", d->info.driver[0] ? d->info.driver : "-");
		json_kv_str(&j, "id", rfd_id(d));
		json_kv_hex(&j, "revision", "%02x", d->info.revision);
		json_kv_hex(&j, "subsystem", "%04x", d->info.subdevice);
		json_kv_hex(&j, "subvendor", "%04x", d->info.subvendor);
		if (d->info.owner[0])
			json_kv_str(&j, "used_by", d->info.owner);
		json_kv_hex(&j, "vendor", "%04x", d->info.vendor);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
}

const char *out_assignable_state(uint32_t state)
{
	switch (state) {
	case PPT_STATE_RESERVED:
		return "unassigned";
	case PPT_STATE_CLAIMED:
	case PPT_STATE_ASSIGNING:
		return "provisioning";
	case PPT_STATE_ASSIGNED:
		return "used";
	case PPT_STATE_UNASSIGNING:
	case PPT_STATE_DIRTY:
	case PPT_STATE_CLEANING:
	case PPT_STATE_QUARANTINED:
	case PPT_STATE_RESETTING:
		return "dirty";
	}
	return NULL;
}

void out_assignable(FILE *f, enum out_format fmt, const struct out_device *devs,
		    size_t n)
{
	struct json j;
	size_t i;

	out_json_init(&j, f, fmt);
	json_object_begin(&j);
	json_key(&j, "assignable_devices");
	json_array_begin(&j);
	for (i = 0; i < n; i++) {
		const struct out_device *d = &devs[i];
		const char *state = out_assignable_state(d->info.state);

		if (d->host_only || !d->variant[0] || !state)
			continue;
		json_object_begin(&j);
		json_kv_str(&j, "id", rfd_id(d));
		json_kv_str(&j, "state", state);
		json_kv_str(&j, "type", d->type[0] ? d->type : "other");
		if (d->info.owner[0])
			json_kv_str(&j, "used_by", d->info.owner);
		json_kv_str(&j, "variant", d->variant);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
}

void out_addr_list(FILE *f, enum out_format fmt, const char *key,
		   const char *owner, const char (*addrs)[PPT_ADDR_BUFLEN],
		   size_t n)
{
	struct json j;
	size_t i;

	if (!out_is_json(fmt)) {
		for (i = 0; i < n; i++)
			fprintf(f, "%s\n", addrs[i]);
		return;
	}
	out_json_init(&j, f, fmt);
	json_object_begin(&j);
	json_key(&j, key);
	json_array_begin(&j);
	for (i = 0; i < n; i++)
		json_str(&j, addrs[i]);
	json_array_end(&j);
	json_kv_str(&j, "owner", owner);
	json_object_end(&j);
}

void out_error(FILE *human, FILE *json, enum out_format fmt,
	       const struct out_error *e)
{
	char namebuf[16], detail[768];
	const char *msg = e->message;

	if (out_is_json(fmt)) {
		struct json j;
		int code = e->err < 0 ? -e->err : e->err;

		out_json_init(&j, json, fmt);
		json_object_begin(&j);
		json_key(&j, "error");
		json_object_begin(&j);
		json_kv_str(&j, "errno", out_errno_name(e->err, namebuf, sizeof(namebuf)));
		json_kv_int(&j, "code", code);
		json_kv_str(&j, "strerror", strerror(code));
		json_kv_str(&j, "message", msg ? msg : e->what ? e->what : strerror(code));
		json_kv_str(&j, "operation", e->operation);
		json_kv_str(&j, "device", e->device);
		json_kv_str(&j, "blocker", e->blocker);
		json_kv_str(&j, "blocker_driver", e->blocker ? e->blocker_driver : NULL);
		json_object_end(&j);
		json_object_end(&j);
		fflush(json);
		return;
	}
	if (e->blocker) {
		snprintf(detail, sizeof(detail), "%s (blocking: %s, %s%s)",
			 msg ? msg : "blocked", e->blocker,
			 e->blocker_driver && e->blocker_driver[0] ?
			 "driver " : "no driver",
			 e->blocker_driver ? e->blocker_driver : "");
		msg = detail;
	}
	fputs("pptadm: ", human);
	if (e->what)
		fputs(e->what, human);
	else
		fprintf(human, "%s%s%s", e->operation ? e->operation : "",
			e->operation && e->device ? " " : "",
			e->device ? e->device : "");
	fprintf(human, ": %s%s%s\n", strerror(e->err < 0 ? -e->err : e->err),
		msg ? ": " : "", msg ? msg : "");
}

void out_result(FILE *f, enum out_format fmt, const struct out_result *r)
{
	struct json j;

	if (!out_is_json(fmt))
		return;
	out_json_init(&j, f, fmt);
	json_object_begin(&j);
	json_kv_str(&j, "device", r->device);
	json_kv_str(&j, "operation", r->operation);
	json_kv_bool(&j, "ok", true);
	json_kv_str(&j, "state", r->state);
	json_kv_str(&j, "owner", r->owner && r->owner[0] ? r->owner : NULL);
	json_key(&j, "request_id");
	if (r->request_id)
		json_uint(&j, r->request_id);
	else
		json_null(&j);
	json_key(&j, "entry");
	if (r->entry_kind >= 0 && r->entry) {
		json_object_begin(&j);
		json_kv_str(&j, "kind", ppt_match_kind_name((enum ppt_match_kind)r->entry_kind));
		json_kv_str(&j, "text", r->entry);
		json_object_end(&j);
	} else {
		json_null(&j);
	}
	json_object_end(&j);
	fflush(f);
}

void out_version(FILE *f, enum out_format fmt, const struct out_version *v)
{
	struct json j;

	if (!out_is_json(fmt)) {
		fprintf(f, "pptadm %s (protocol %d, JSON %d)\n", v->pptadm, v->protocol,
			PPTADM_JSON_VERSION);
		if (!v->module)
			fputs("module not loaded\n", f);
		else if (v->module_protocol > 0)
			fprintf(f, "module %s (protocol %d)\n", v->module, v->module_protocol);
		else
			fprintf(f, "module %s (protocol unknown%s%s)\n", v->module,
				v->module_why ? ": " : "", v->module_why ? v->module_why : "");
		return;
	}
	out_json_init(&j, f, fmt);
	json_object_begin(&j);
	json_kv_str(&j, "pptadm", v->pptadm);
	json_kv_str(&j, "module", v->module);
	json_kv_int(&j, "protocol", v->protocol);
	json_key(&j, "module_protocol");
	if (v->module && v->module_protocol > 0)
		json_int(&j, v->module_protocol);
	else
		json_null(&j);
	json_kv_int(&j, "json", PPTADM_JSON_VERSION);
	json_object_end(&j);
}
