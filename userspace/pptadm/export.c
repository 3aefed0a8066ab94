// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm export's formats; see export.h.
 */
#include <ctype.h>
#include <string.h>

#include "export.h"

static const char *const format_names[] = {
	[EXPORT_NOVA] = "nova",
	[EXPORT_KUBEVIRT] = "kubevirt",
	[EXPORT_CDI] = "cdi",
	[EXPORT_TRITON] = "triton",
	[EXPORT_PROMETHEUS] = "prometheus",
};

int export_format_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(name, format_names[i]))
			return (int)i;
	return -1;
}

const char *export_format_name(enum export_format f)
{
	return format_names[f];
}

bool export_numa_policy_ok(const char *policy)
{
	static const char *const ok[] = { "required", "legacy", "preferred", "socket" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(policy, ok[i]))
			return true;
	return false;
}

/* a DNS label: [a-z0-9]([-a-z0-9]*[a-z0-9])? */
static bool dns_label(const char *p, size_t len)
{
	size_t i;

	if (!len || len > 63 || p[0] == '-' || p[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!islower((unsigned char)p[i]) && !isdigit((unsigned char)p[i]) &&
		    p[i] != '-')
			return false;
	return true;
}

bool export_prefix_ok(const char *prefix)
{
	const char *p = prefix;
	size_t len;

	if (!*p || strlen(p) > 253)
		return false;
	for (;;) {
		len = strcspn(p, ".");
		if (!dns_label(p, len))
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

/* CDI: a vendor is [A-Za-z][A-Za-z0-9_.-]* ending alphanumeric; a class likewise without '.' */
static bool cdi_name(const char *p, size_t len, bool dots)
{
	size_t i;

	if (!len || !isalpha((unsigned char)p[0]) || !isalnum((unsigned char)p[len - 1]))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '_' && p[i] != '-' &&
		    !(dots && p[i] == '.'))
			return false;
	return true;
}

bool export_kind_ok(const char *kind, const char **why)
{
	const char *slash = strchr(kind, '/');

	if (!slash || strchr(slash + 1, '/')) {
		*why = "want VENDOR/CLASS, one '/'";
		return false;
	}
	if (!cdi_name(kind, (size_t)(slash - kind), true)) {
		*why = "the vendor must start with a letter, end with a letter or digit and hold only letters, digits, '_', '-' and '.'";
		return false;
	}
	if (!cdi_name(slash + 1, strlen(slash + 1), false)) {
		*why = "the class must start with a letter, end with a letter or digit and hold only letters, digits, '_' and '-'";
		return false;
	}
	return true;
}

/* Has an ID before index i of the variant the same vendor:device? */
static bool id_seen(const struct variants *vs, size_t i, bool any_variant)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (vs->ids[k].vendor == vs->ids[i].vendor &&
		    vs->ids[k].device == vs->ids[i].device &&
		    (any_variant || vs->ids[k].variant == vs->ids[i].variant))
			return true;
	return false;
}

static const struct variant *dev_variant(const struct variants *vs,
					 const struct out_device *d)
{
	if (d->host_only || !d->variant[0])
		return NULL;
	return variants_find(vs, d->variant);
}

const char *export_nova_type(const struct variant *v, const struct variants *vs,
			     const struct out_device *devs, size_t n)
{
	bool pf = false, vf = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (dev_variant(vs, &devs[i]) != v)
			continue;
		vf |= devs[i].hw.sriov_vf;
		pf |= devs[i].hw.sriov_pf;
	}
	return vf ? "type-VF" : pf ? "type-PF" : "type-PCI";
}

static void hex4(char *buf, size_t len, uint16_t v)
{
	snprintf(buf, len, "%04x", v);
}

void export_nova(FILE *f, const struct export_opts *o, const struct variants *vs,
		 const struct out_device *devs, size_t n)
{
	const char *policy = o->numa_policy ? o->numa_policy : EXPORT_NUMA_POLICY_DEFAULT;
	char ven[8], dev[8];
	struct json j;
	size_t i;

	fputs("[pci]\n", f);
	if (o->by_id) {
		for (i = 0; i < vs->nids; i++) {
			if (id_seen(vs, i, true))
				continue;
			hex4(ven, sizeof(ven), vs->ids[i].vendor);
			hex4(dev, sizeof(dev), vs->ids[i].device);
			fputs("device_spec = ", f);
			json_init(&j, f, false);
			json_object_begin(&j);
			json_kv_str(&j, "vendor_id", ven);
			json_kv_str(&j, "product_id", dev);
			json_object_end(&j);
		}
	} else {
		for (i = 0; i < n; i++) {
			if (!dev_variant(vs, &devs[i]))
				continue;
			fputs("device_spec = ", f);
			json_init(&j, f, false);
			json_object_begin(&j);
			json_kv_str(&j, "address", devs[i].info.addr);
			json_object_end(&j);
		}
	}
	for (i = 0; i < vs->nids; i++) {
		const struct variant *v = &vs->v[vs->ids[i].variant];

		if (id_seen(vs, i, false))
			continue;
		hex4(ven, sizeof(ven), vs->ids[i].vendor);
		hex4(dev, sizeof(dev), vs->ids[i].device);
		fputs("alias = ", f);
		json_init(&j, f, false);
		json_object_begin(&j);
		json_kv_str(&j, "name", v->name);
		json_kv_str(&j, "vendor_id", ven);
		json_kv_str(&j, "product_id", dev);
		json_kv_str(&j, "device_type", export_nova_type(v, vs, devs, n));
		json_kv_str(&j, "numa_policy", policy);
		json_object_end(&j);
	}
}

void export_kubevirt(FILE *f, enum out_format fmt, const struct export_opts *o,
		     const struct variants *vs)
{
	const char *prefix = o->prefix ? o->prefix : EXPORT_PREFIX_DEFAULT;
	char sel[16], res[320];
	bool yaml = !out_is_json(fmt), any = false;
	struct json j;
	size_t i, k;

	if (yaml) {
		fputs("permittedHostDevices:\n  pciHostDevices:", f);
	} else {
		out_json_init(&j, f, fmt);
		json_object_begin(&j);
		json_key(&j, "permittedHostDevices");
		json_object_begin(&j);
		json_key(&j, "pciHostDevices");
		json_array_begin(&j);
	}
	for (i = 0; i < vs->nids; i++) {
		const struct variant *v = &vs->v[vs->ids[i].variant];

		if (id_seen(vs, i, false))
			continue;
		snprintf(sel, sizeof(sel), "%04x:%04x", vs->ids[i].vendor, vs->ids[i].device);
		if (id_seen(vs, i, true)) {
			for (k = 0; k < i; k++)
				if (vs->ids[k].vendor == vs->ids[i].vendor &&
				    vs->ids[k].device == vs->ids[i].device)
					break;
			if (o->warn)
				fprintf(o->warn,
					"pptadm: export kubevirt: variant %s: %s is %s's already; KubeVirt selects by vendor:device only, so it is left out\n",
					v->name, sel, vs->v[vs->ids[k].variant].name);
			continue;
		}
		snprintf(res, sizeof(res), "%s/%s", prefix, v->name);
		any = true;
		if (yaml) {
			fprintf(f, "\n  - pciVendorSelector: \"%s\"\n    resourceName: \"%s\"\n"
				"    externalResourceProvider: %s", sel, res,
				o->external ? "true" : "false");
			continue;
		}
		json_object_begin(&j);
		json_kv_str(&j, "pciVendorSelector", sel);
		json_kv_str(&j, "resourceName", res);
		json_kv_bool(&j, "externalResourceProvider", o->external);
		json_object_end(&j);
	}
	if (yaml) {
		fputs(any ? "\n" : " []\n", f);
		return;
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
}

static bool cdi_assigned(const struct out_device *d)
{
	return !d->host_only && d->info.state == PPT_STATE_ASSIGNED &&
	       d->hw.vfio_group[0];
}

static void device_nodes(struct json *j, const char *path)
{
	json_key(j, "containerEdits");
	json_object_begin(j);
	json_key(j, "deviceNodes");
	json_array_begin(j);
	json_object_begin(j);
	json_kv_str(j, "path", path);
	json_object_end(j);
	json_array_end(j);
	json_object_end(j);
}

void export_cdi(FILE *f, enum out_format fmt, const struct export_opts *o,
		const struct out_device *devs, size_t n)
{
	bool cdev = false;
	struct json j;
	size_t i;

	/* the cdev form only where every assigned device has a cdev */
	for (i = 0; i < n; i++) {
		if (!cdi_assigned(&devs[i]))
			continue;
		if (!devs[i].hw.vfio_cdev[0]) {
			cdev = false;
			break;
		}
		cdev = true;
	}
	out_json_init(&j, f, fmt);
	json_object_begin(&j);
	json_kv_str(&j, "cdiVersion", EXPORT_CDI_VERSION);
	json_kv_str(&j, "kind", o->kind ? o->kind : EXPORT_KIND_DEFAULT);
	json_key(&j, "devices");
	json_array_begin(&j);
	for (i = 0; i < n; i++) {
		if (!cdi_assigned(&devs[i]))
			continue;
		json_object_begin(&j);
		json_kv_str(&j, "name", devs[i].info.addr);
		device_nodes(&j, cdev ? devs[i].hw.vfio_cdev : devs[i].hw.vfio_group);
		json_object_end(&j);
	}
	json_array_end(&j);
	device_nodes(&j, cdev ? "/dev/iommu" : "/dev/vfio/vfio");
	json_object_end(&j);
}
