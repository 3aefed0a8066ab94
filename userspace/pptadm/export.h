/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm export FORMAT: the configuration a cluster engine needs to use
 * the devices ppt holds, from the devices and the variants file (whose
 * names become the engine's names):
 *
 *	nova		the [pci] section of nova.conf: device_spec and alias
 *	kubevirt	KubeVirt's permittedHostDevices.pciHostDevices (YAML, -j JSON)
 *	cdi		a Container Device Interface spec of the assigned devices
 *	triton		RFD 114's sysinfo or assignable_devices (output.h)
 *	prometheus	the text exposition format (0.0.4) for node_exporter's
 *			textfile collector: devices, resets, cleans, quarantines
 *
 * These are pure formatters of a device list (labelled with variants,
 * with struct dev_hw filled); tests/userspace/test_export.c checks their
 * exact output, and docs/integration/ shows it.
 */
#ifndef PPTADM_EXPORT_H
#define PPTADM_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "output.h"
#include "variants.h"

enum export_format { EXPORT_NOVA, EXPORT_KUBEVIRT, EXPORT_CDI, EXPORT_TRITON,
		     EXPORT_PROMETHEUS };

#define EXPORT_NUMA_POLICY_DEFAULT	"legacy"
#define EXPORT_PREFIX_DEFAULT		"ppt.io"
#define EXPORT_KIND_DEFAULT		"ppt.io/vfio"
#define EXPORT_CDI_VERSION		"0.6.0"

/* "nova" ... -> enum export_format; -1 for an unknown name */
int export_format_parse(const char *name);
const char *export_format_name(enum export_format f);

/* Nova's numa_policy values (nova.objects.fields.PCINUMAAffinityPolicy) */
bool export_numa_policy_ok(const char *policy);
/* A resource name prefix: a DNS subdomain ("ppt.io", "example.com") */
bool export_prefix_ok(const char *prefix);
/* A CDI kind, VENDOR/CLASS as the CDI spec allows them */
bool export_kind_ok(const char *kind, const char **why);

struct export_opts {
	const char *numa_policy;	/* nova; NULL: the default */
	bool by_id;			/* nova: device_spec by vendor/product */
	const char *prefix;		/* kubevirt: resourceName PREFIX/VARIANT */
	bool external;			/* kubevirt: externalResourceProvider */
	const char *kind;		/* cdi */
	FILE *warn;			/* what cannot be expressed; NULL: quiet */
};

/*
 * Nova's device type of a variant, from its devices among devs:
 * "type-VF" when one is an SR-IOV VF, "type-PF" when one has VFs to
 * give (sriov_totalvfs > 0), "type-PCI" otherwise (and without devices).
 */
const char *export_nova_type(const struct variant *v, const struct variants *vs,
			     const struct out_device *devs, size_t n);

/*
 * The [pci] section: "device_spec = {...}" for each device ppt manages
 * that a variant names (by address), or with by_id for each vendor:device
 * of a variant; "alias = {...}" for each vendor:device of each variant,
 * named after it.  Each value is one line of JSON (oslo.config's
 * MultiStrOpt takes the option once a line).
 */
void export_nova(FILE *f, const struct export_opts *o, const struct variants *vs,
		 const struct out_device *devs, size_t n);

/*
 * {"permittedHostDevices":{"pciHostDevices":[{"pciVendorSelector":
 *  "10de:1db4","resourceName":"ppt.io/v100","externalResourceProvider":
 *  false},...]}} in fmt (JSON), or the same as YAML for OUT_TABLE: one
 * entry for each vendor:device of each variant.  KubeVirt selects by
 * vendor:device alone: a vendor:device two variants share goes to the
 * first, and the second is warned about.
 */
void export_kubevirt(FILE *f, enum out_format fmt, const struct export_opts *o,
		     const struct variants *vs);

/*
 * A CDI spec (JSON, fmt's layout) with one device a function ppt has
 * assigned to vfio-pci, named by its address: its /dev/vfio/N, and
 * /dev/vfio/vfio for every container; or, where every such device has a
 * VFIO cdev, the cdev and /dev/iommu instead (never both forms).
 */
void export_cdi(FILE *f, enum out_format fmt, const struct export_opts *o,
		const struct out_device *devs, size_t n);

/* What export prometheus reports besides the devices. */
struct export_prom {
	const struct ppt_stats *stats;	/* the module's statistics */
	const char *module_version;	/* /sys/module/ppt/version; "" unknown */
	int protocol;			/* the family's version */
};

/*
 * The Prometheus text exposition format (version 0.0.4): ppt_devices
 * (a gauge by state, variant and owner_present, for the combinations that
 * have devices), ppt_resets_total and ppt_cleans_total (counters by
 * method and outcome: every method but auto with both outcomes, and any
 * other series the module counted), ppt_reset_duration_seconds and
 * ppt_clean_duration_seconds (histograms of the series the module
 * counted, le in seconds), ppt_quarantines_total,
 * ppt_lease_expiries_total and ppt_module_info.
 */
void export_prometheus(FILE *f, const struct export_prom *p,
		       const struct out_device *devs, size_t n);

#endif /* PPTADM_EXPORT_H */
