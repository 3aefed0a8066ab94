/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pptadm's output formats: a human table, JSON, and the parseable form
 * (-p -o FIELD,...: values separated by ':', with ':' and '\' escaped by
 * a backslash, as illumos pptadm and dladm print them).
 *
 * Rows are devices or match entries; each kind has a field set, and every
 * format prints the same fields from it, so the formats cannot disagree.
 */
#ifndef PPTADM_OUTPUT_H
#define PPTADM_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "json.h"
#include "libppt.h"

/* OUT_JSON_PRETTY: JSON over several lines, indented (--pretty, -jp) */
enum out_format { OUT_TABLE, OUT_JSON, OUT_PARSEABLE, OUT_JSON_PRETTY };

static inline bool out_is_json(enum out_format fmt)
{
	return fmt == OUT_JSON || fmt == OUT_JSON_PRETTY;
}

/* A JSON writer (json.h) for a format's layout. */
static inline void out_json_init(struct json *j, FILE *f, enum out_format fmt)
{
	json_init(j, f, fmt == OUT_JSON_PRETTY);
}

/*
 * A device's fields: the kernel's (kernel.h copies them from libppt's
 * struct ppt_dev) or libpci's.  Strings are "" when missing.
 */
struct dev_info {
	char addr[PPT_ADDR_BUFLEN];
	uint16_t vendor;
	uint16_t device;
	uint16_t subvendor;
	uint16_t subdevice;
	uint32_t pci_class;
	uint8_t revision;
	uint32_t state;			/* enum ppt_state */
	char driver[64];
	char owner[PPT_OWNER_MAX];
	int64_t iommu_group;		/* -1: none */
	char path[PPT_PATH_BUFLEN];
	bool boot_listed;
	bool adopted;
	uint32_t reset_methods;		/* bit i: enum ppt_reset_method i */
	int32_t last_reset;		/* enum ppt_reset_method, -1: none yet */
	uint64_t last_reset_usec;
	bool last_reset_inferred;
	char slot[64];
	int32_t reset_pref;		/* enum ppt_reset_method, -1: none */
	uint32_t lease;			/* netlink port id, 0: none */
	bool lease_ended;
	bool tainted;
	bool gated;
	char reason[256];
	bool recycle;
	uint32_t recycles;
	char sanitiser[PPT_SANITISER_MAX];	/* "": the module keeps no policy */
	bool sanitised;			/* erased, awaiting the rest of its clean */
	/* the last sanitise: none while last_sanitiser is "" */
	char last_sanitiser[PPT_SANITISER_MAX];
	uint64_t last_sanitise_time;	/* seconds since the epoch */
	uint64_t last_sanitise_usec;
	int last_sanitise_err;		/* 0 or a negative errno */
	char last_sanitise_method[PPT_SANITISE_TEXT_MAX];
	char last_sanitise_verified[PPT_SANITISE_TEXT_MAX];
	char last_sanitise_msg[PPT_SANITISE_TEXT_MAX];
};

/*
 * A device's SR-IOV relations, from sysfs (sriov.h fills them): a VF's PF
 * (its physfn link) and the K of the PF's virtfnK link to it; a PF's
 * sriov_numvfs and sriov_totalvfs.  All zero: neither.
 */
struct out_sriov {
	char physfn[PPT_ADDR_BUFLEN];	/* a VF's PF; "" for any other device */
	unsigned int vf_index;		/* a VF's index, when physfn[0] */
	bool is_pf;			/* it has sriov_totalvfs: */
	unsigned int numvfs, totalvfs;
};

/*
 * A device as pptadm prints it: the kernel's view plus libpci's names.
 * host_only marks a device ppt does not manage (list -a): its state prints
 * as "-" and what only the kernel knows (owner, boot, reset methods...) is
 * missing.
 */
/*
 * What schedulers place by, read by pptadm from sysfs and libpci for the
 * devices it prints (inventory_hw()), not asked of the kernel.  Strings
 * are "" when missing.
 */
struct dev_hw {
	bool has_numa;			/* numa_node is the device's node */
	int numa_node;			/* sysfs numa_node; -1 there: !has_numa */
	char pcie_root[24];		/* "pci0000:00": its root complex (DRA's pcieRoot) */
	char root_port[PPT_ADDR_BUFLEN];	/* the bridge on the root bus above it */
	char serial[24];		/* Device Serial Number, "xx-xx-...-xx" */
	char link_speed[24];		/* "8.0 GT/s" (current_link_speed) */
	int link_width;			/* current_link_width; 0: unknown */
	char vfio_group[32];		/* "/dev/vfio/N" of a device on vfio-pci */
	char vfio_cdev[48];		/* "/dev/vfio/devices/vfioN", where there is one */
	/* for export's device types only (not fields) */
	bool sriov_pf;			/* sriov_totalvfs > 0 */
	bool sriov_vf;			/* has a physfn link */
};

struct out_device {
	struct dev_info info;
	bool host_only;
	struct dev_hw hw;
	char vendor_name[128];		/* from pci.ids */
	char device_name[128];
	char name[256];			/* "Vendor Device" */
	char variant[65];		/* variants.h: its variant, "" when none */
	char type[16];			/* its variant's type, or the class's guess */
	struct out_sriov sriov;
};

enum field_kind {
	F_STR,		/* JSON string */
	F_HEX,		/* hexadecimal, a JSON string to keep its digits */
	F_INT,		/* JSON number */
	F_BOOL,		/* "yes"/"no", JSON true/false */
	F_LIST,		/* comma-separated, a JSON array of strings */
};

struct field {
	const char *name;	/* -o name and JSON key */
	const char *header;	/* table header */
	enum field_kind kind;
	int by_default;		/* shown without -o: 1, or OUT_DEF_TABLE */
	const char *none;	/* a missing value in tables and -p; NULL: "-" and "" */
	/* the value as text; false when missing (JSON null) */
	bool (*get)(const void *row, char *buf, size_t len);
};

struct field_alias {
	const char *alias;
	const char *name;
};

struct field_set {
	const char *what;		/* JSON key of the list: "devices" */
	const struct field *fields;
	size_t n;
	const struct field_alias *aliases;
	size_t naliases;
	size_t rowsize;			/* sizeof one row */
};

/* by_default: shown without -o in tables only (JSON keeps its keys) */
#define OUT_DEF_TABLE	2

/* A match entry as pptadm prints it (kernel.h copies libppt's). */
/* One entry of the kernel's sanitiser policy (sanitise list). */
struct out_sanitise_rule {
	enum ppt_sanitise_kind kind;
	char selector[PPT_MATCH_BUFLEN];
	char sanitiser[PPT_SANITISER_MAX];
	const char *source;		/* "boot", "default" or "runtime" */
};

struct out_match {
	enum ppt_match_kind kind;
	char text[PPT_MATCH_BUFLEN];
	bool boot;
	int32_t reset_pref;		/* enum ppt_reset_method, -1: none */
};

extern const struct field_set out_device_fields;	/* rows: struct out_device */
extern const struct field_set out_match_fields;		/* rows: struct out_match */
extern const struct field_set out_sanitise_fields;	/* rows: struct out_sanitise_rule */

#define OUT_MAX_FIELDS 64

struct out_fields {
	int idx[OUT_MAX_FIELDS];
	int n;
};

/*
 * Missing values print as this in tables (and monitor's lines): one
 * placeholder, also for the state of a device ppt does not manage.
 */
#define OUT_NONE "-"

void parseable_string(FILE *f, const char *s);

/* out_fields_parse() and out_fields_select() failures */
#define OUT_FIELD_UNKNOWN	(-1)	/* no such field */
#define OUT_FIELD_TWICE		(-2)	/* a field named twice (or by an alias too) */

/*
 * Parse -o "addr,state,..." into fields (names and aliases are
 * case-insensitive); NULL selects the default fields, "all" every field.
 * A field named twice, in any spelling, is refused: JSON would get the key
 * twice.  On error returns OUT_FIELD_UNKNOWN with the bad name, as given,
 * in bad, or OUT_FIELD_TWICE with the field's own name in bad.
 */
int out_fields_parse(const struct field_set *fs, const char *list,
		     struct out_fields *fields, char *bad, size_t badlen);

/*
 * As out_fields_parse(), for a format: without a list, tables get their
 * default fields (those of OUT_DEF_TABLE too), the other formats the
 * default fields.
 */
int out_fields_select(const struct field_set *fs, enum out_format fmt,
		      const char *list, struct out_fields *fields, char *bad,
		      size_t badlen);

/* Does the selection have the field of that name? */
bool out_fields_has(const struct field_set *fs, const struct out_fields *sel,
		    const char *name);

/* The comma-separated list of every field name, for usage messages. */
const char *out_field_names(const struct field_set *fs);

/* Rows in a format: a table, {"devices":[...]}, or -p lines. */
void out_rows(FILE *f, enum out_format fmt, const struct field_set *fs,
	      const struct out_fields *sel, const void *rows, size_t n);
/* One row as a JSON object, a value of j. */
void out_row_json(struct json *j, const struct field_set *fs,
		  const struct out_fields *sel, const void *row);
/* Rows as "field: value" blocks separated by blank lines (show). */
void out_rows_vertical(FILE *f, const struct field_set *fs,
		       const struct out_fields *sel, const void *rows, size_t n);

static inline void out_devices(FILE *f, enum out_format fmt,
			       const struct out_fields *sel,
			       const struct out_device *devs, size_t n)
{
	out_rows(f, fmt, &out_device_fields, sel, devs, n);
}

/*
 * Triton RFD 114's shapes of a device inventory, one JSON object a call:
 *
 * {"PCI Devices":[{"device":"1db4","driver":"-","id":ID,"revision":"a1",
 *   "subsystem":"1214","subvendor":"10de","used_by":OWNER,"vendor":"10de"}]}
 *	sysinfo's array, every device given; "driver" is "-" for none,
 *	"used_by" is there only for a device with an owner
 * {"assignable_devices":[{"id":ID,"state":STATE,"type":TYPE,
 *   "used_by":OWNER,"variant":VARIANT}]}
 *	the server's array: the devices ppt manages that a variant names,
 *	with RFD 114's states (out_assignable_state()); "used_by" as above
 *
 * ID is the topology path (the same slot after bus renumbering, as RFD
 * 114 wants of it), or the address when the path is unknown.
 */
void out_sysinfo(FILE *f, enum out_format fmt, const struct out_device *devs,
		 size_t n);
void out_assignable(FILE *f, enum out_format fmt, const struct out_device *devs,
		    size_t n);

/*
 * RFD 114's state of a device in a ppt state: "unassigned" (reserved),
 * "provisioning" (claimed, assigning), "used" (assigned), "dirty"
 * (unassigning, dirty, cleaning, quarantined, resetting); NULL for the
 * states of a device that is not assignable (detached, reserving,
 * releasing).
 */
const char *out_assignable_state(uint32_t state);

/*
 * The devices a claim or take got: humans one address a line, JSON
 * {"KEY":["ADDR",...],"owner":OWNER}.
 */
void out_addr_list(FILE *f, enum out_format fmt, const char *key,
		   const char *owner, const char (*addrs)[PPT_ADDR_BUFLEN],
		   size_t n);

/* "flr,pm": the names of the methods in a PPT_A_DEV_RESET_METHODS mask. */
void out_reset_methods(uint32_t mask, char *buf, size_t len);

/* "EBUSY" for -EBUSY or EBUSY; "E<n>" for a number without a name. */
const char *out_errno_name(int err, char *buf, size_t len);

/*
 * A failed operation.  Humans get one line on stderr:
 *	pptadm: OPERATION DEVICE: strerror: message (blocking: ADDR, driver D)
 * JSON gets one object per failure on stdout:
 *	{"error":{"errno":"EBUSY","code":16,"strerror":"...","message":"...",
 *	  "operation":"assign","device":"0000:01:00.0",
 *	  "blocker":"0000:01:00.1","blocker_driver":"snd_hda_intel"}}
 * with null for what does not apply; "message" falls back to what, then
 * to strerror.
 */
struct out_error {
	int err;			/* negative errno */
	const char *what;		/* human prefix; NULL: "OPERATION DEVICE" */
	const char *message;		/* the kernel's or pptadm's reason */
	const char *operation;		/* "assign", "list", ... */
	const char *device;		/* the device or name it concerns */
	const char *blocker;
	const char *blocker_driver;
};

void out_error(FILE *human, FILE *json, enum out_format fmt,
	       const struct out_error *e);

/*
 * One device a changing command acted on, as its JSON record (humans get
 * nothing: success is silent):
 *	{"device":"0000:01:00.0","operation":"reserve","ok":true,
 *	 "state":"reserved","owner":null,"request_id":42,"entry":null}
 * "state" and "owner" are the device's after the operation (null when ppt
 * no longer manages it, after release or remove); "request_id" the id the
 * kernel gave an asynchronous request (null for a synchronous one, or one
 * not sent: add of a device ppt holds already); "entry" the boot-list
 * entry add or remove changed, or the runtime match of match add or del,
 * as {"kind":"ids","text":"10de:1db4"}.  "device" is null for a record
 * that concerns an entry alone: a match that took no device, match del, a
 * remove of an entry whose devices ppt does not manage.
 */
struct out_result {
	const char *operation;	/* "reserve", "match add", ... */
	const char *device;	/* NULL: none */
	const char *state;	/* NULL: ppt does not manage it (now) */
	const char *owner;	/* NULL or "": none */
	uint64_t request_id;	/* 0: none */
	int entry_kind;		/* enum ppt_match_kind; -1: no entry */
	const char *entry;
};

void out_result(FILE *f, enum out_format fmt, const struct out_result *r);

/*
 * pptadm's version and the loaded module's (--version, -V, version):
 *	pptadm 0.1.0 (protocol 2, JSON 1)
 *	module 0.1.0 (protocol 2)	or: module not loaded
 * JSON: {"pptadm":"0.1.0","module":"0.1.0"|null,"protocol":2,
 *	  "module_protocol":2|null,"json":1}
 * "protocol" is the netlink protocol version pptadm was built for,
 * "module_protocol" the loaded module's (null when it is not loaded or
 * cannot be asked), "json" PPTADM_JSON_VERSION.
 */
struct out_version {
	const char *pptadm;
	int protocol;
	const char *module;	/* NULL: not loaded */
	int module_protocol;	/* <= 0: unknown */
	const char *module_why;	/* why it is unknown, for humans; may be NULL */
};

void out_version(FILE *f, enum out_format fmt, const struct out_version *v);

#endif /* PPTADM_OUTPUT_H */
