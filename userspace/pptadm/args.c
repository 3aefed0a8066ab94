// SPDX-License-Identifier: GPL-2.0-only
/*
 * pptadm's command line: see args.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "args.h"
#include "export.h"
#include "names.h"
#include "variants.h"

#define DEVICE_HELP \
	"DEVICE is a PCI address (0000:01:00.0 or 01:00.0), a topology path\n" \
	"(0000:00/1c.0/00.0, as the paths= parameter takes it) or vendor:device\n" \
	"(10de:1db4, optionally :subvendor:subdevice), which names every such device.\n"

#define WAIT_HELP \
	"The kernel completes it asynchronously; pptadm waits for the outcome\n" \
	"(--timeout SECS, default 60) unless --no-wait.\n"

#define RECORD_HELP \
	"With -j, one JSON record a line for each device acted on:\n" \
	"{\"device\":ADDR,\"operation\":OP,\"ok\":true,\"state\":STATE,...}; each\n" \
	"failure is a {\"error\":{...}} line instead.\n"

#define VARIANTS_HELP \
	"Variants are named in /etc/ppt/variants.conf (--variants FILE or\n" \
	"$PPT_VARIANTS names another; see ppt-variants(5)).\n"

#define CLAIM_HELP \
	"Several DEVICEs, --variant or --match make one request, all or nothing:\n" \
	"only reserved devices are chosen, each with every other endpoint of its\n" \
	"IOMMU group (which must be reserved too), and if it cannot be met in full\n" \
	"nothing is claimed.  --variant NAME: the candidates are the devices ppt\n" \
	"manages of that variant; --match IDS: the reserved devices matching\n" \
	"vendor:device[:subvendor:subdevice[:class[:class_mask]]] (the ids= syntax).\n" \
	"--count N: that many of the candidates, in address order (default: every\n" \
	"DEVICE given; one with --variant or --match; group mates do not count).\n"

#define CRITICAL_HELP \
	"A device the host uses is refused, naming what it found: a disk that is\n" \
	"mounted, swap, or held (md, dm, ZFS, btrfs), a NIC up with an address on\n" \
	"itself or on a bridge, bond or VLAN above it; --force given twice takes\n" \
	"it anyway.  A device from vfio-pci or another driver that works for\n" \
	"someone else arrives dirty: a tenant may have left data in it.\n"

static const struct verb verbs[] = {
	{ "list", V_LIST, OPT_PARSEABLE | OPT_OUTPUT | OPT_ALL | OPT_FORMAT, 0, -1,
	  "list [-a] [-j [--format sysinfo|assignable] | -p -o FIELD,...] [DEVICE...]",
	  "List the devices ppt manages, or with -a every PCI device on the host\n"
	  "(libpci's view merged with ppt's; STATE is - for devices ppt does not\n"
	  "manage).  DEVICE arguments filter the list.  VARIANT is the device's\n"
	  "variant, TYPE its variant's type or, without one, a guess from its class.\n"
	  "-j --format sysinfo: Triton RFD 114's \"PCI Devices\" array of the listed\n"
	  "devices; --format assignable: its \"assignable_devices\" array, the\n"
	  "devices ppt manages that a variant names.\n" DEVICE_HELP VARIANTS_HELP },
	{ "show", V_SHOW, OPT_PARSEABLE | OPT_OUTPUT, 1, -1,
	  "show [-j | -p -o FIELD,...] DEVICE...",
	  "Every field of devices ppt manages, one \"field: value\" line each.\n"
	  DEVICE_HELP },
	{ "reserve", V_RESERVE, OPT_FORCE | OPT_NO_WAIT | OPT_TIMEOUT, 1, -1,
	  "reserve [--force] DEVICE...",
	  "Take devices for ppt.  A device bound to a host driver is taken only\n"
	  "with --force.  Bridges are never reserved.  Lasts until the next boot:\n"
	  "'pptadm add' also keeps it in the boot lists.\n" CRITICAL_HELP WAIT_HELP RECORD_HELP
	  DEVICE_HELP },
	{ "release", V_RELEASE, OPT_UNCLEAN | OPT_NO_WAIT | OPT_TIMEOUT, 1, -1,
	  "release [--unclean] DEVICE...",
	  "Give reserved, dirty, quarantined or detached devices back to host\n"
	  "drivers; ppt forgets them.  A device that may hold a tenant's data\n"
	  "(dirty, quarantined: the tainted field) is cleaned first, and stays,\n"
	  "quarantined, when that fails; --unclean gives it to the host as it is\n"
	  "(the kernel log records it).\n" WAIT_HELP RECORD_HELP DEVICE_HELP },
	{ "claim", V_CLAIM, OPT_OWNER | OPT_VARIANT | OPT_MATCH | OPT_COUNT, 0, -1,
	  "claim --owner ID {DEVICE... | --variant NAME | --match IDS} [--count N]",
	  "Give reserved devices an owner (a VM's UUID, say: 1 to 64 bytes); one\n"
	  "DEVICE alone is claimed by itself, and nothing is printed (-j: its\n"
	  "record).\n" CLAIM_HELP
	  "The devices claimed are printed, one address a line (-j: one object,\n"
	  "{\"claimed\":[ADDR,...],\"owner\":ID}).  Each DEVICE must name one\n"
	  "device.\n" DEVICE_HELP VARIANTS_HELP },
	{ "unclaim", V_UNCLAIM, OPT_OWNER | OPT_ALL, 0, -1,
	  "unclaim --owner ID {DEVICE... | --all}",
	  "Make claimed devices reserved again; the owner must match.  --all: every\n"
	  "device the owner has claimed (not assigned ones: unassign them).\n"
	  RECORD_HELP DEVICE_HELP },
	{ "take", V_TAKE, OPT_OWNER, 0, 0,
	  "take --owner ID",
	  "Take back every device an owner holds, claimed or assigned: the devices\n"
	  "a lease held (see run) stay the owner's, their return is cancelled, and\n"
	  "they are held without a lease until unclaimed or unassigned.  For an\n"
	  "agent restarted after a crash.  The devices are printed, one address a\n"
	  "line.\n" },
	{ "assign", V_ASSIGN, OPT_OWNER | OPT_USER | OPT_RECYCLE | OPT_NO_WAIT |
	  OPT_TIMEOUT, 1, -1,
	  "assign --owner ID [--user USER] [--recycle] DEVICE...",
	  "Hand claimed devices, with every endpoint of their IOMMU groups, to\n"
	  "vfio-pci.  The other endpoints must be reserved or claimed by the same\n"
	  "owner; one that is not is named as blocking.  --user: give the VFIO\n"
	  "group node (/dev/vfio/N) and the devices' VFIO nodes (/dev/vfio/devices/)\n"
	  "to that user, so that a VMM need not run as root.  --recycle: each time\n"
	  "the device's VFIO user closes it, ppt takes it back, cleans it and\n"
	  "assigns it to the owner again, until the owner unassigns it (a pool for\n"
	  "consumers that never say they are done, such as KubeVirt's).\n" WAIT_HELP RECORD_HELP
	  DEVICE_HELP },
	{ "unassign", V_UNASSIGN, OPT_OWNER | OPT_NO_WAIT | OPT_TIMEOUT, 1, -1,
	  "unassign [--owner ID] DEVICE...",
	  "Take assigned devices and their groups back from vfio-pci; they become\n"
	  "dirty.  Fails at once with EBUSY while a VM holds them.\n"
	  WAIT_HELP RECORD_HELP DEVICE_HELP },
	{ "run", V_RUN, OPT_OWNER | OPT_VARIANT | OPT_MATCH | OPT_COUNT | OPT_USER |
	  OPT_TIMEOUT_CLEAN | OPT_TIMEOUT, 0, -1,
	  "run --owner ID {DEVICE... | --variant NAME | --match IDS} [--count N]\n"
	  "\t[--user USER] [--timeout-clean SECS] -- COMMAND [ARG...]",
	  "Run COMMAND (a VMM, say) with devices of its own, and give them back\n"
	  "when it ends.  The devices are claimed as claim does (all or nothing,\n"
	  "with their IOMMU groups), under a lease: if pptadm dies, even of SIGKILL,\n"
	  "the kernel takes them back.  Each is assigned to vfio-pci (all or none);\n"
	  "with --user its VFIO nodes go to USER and COMMAND runs as USER.  In\n"
	  "COMMAND's arguments {} becomes the addresses joined by commas, {0}, {1}...\n"
	  "each address (in address order, group mates included); its environment\n"
	  "has PPT_DEVICES (the addresses, space-separated) and PPT_OWNER.  COMMAND\n"
	  "dies of SIGTERM if pptadm dies; SIGINT, SIGTERM and SIGHUP are passed\n"
	  "on.  When it has ended, pptadm unassigns the devices (retrying while\n"
	  "they are still open), waits until they are clean (--timeout-clean SECS,\n"
	  "default 120) and unclaims what is left.  Exit status: COMMAND's, or\n"
	  "128+N when signal N killed it; 1 when it succeeded but the devices could\n"
	  "not be given back clean.  --timeout: for each assign and unassign.\n"
	  VARIANTS_HELP },
	{ "reset", V_RESET, OPT_METHOD | OPT_NO_WAIT | OPT_TIMEOUT, 1, 1,
	  "reset [--method METHOD] DEVICE",
	  "Reset a reserved, dirty or quarantined device.  METHOD: auto (the\n"
	  "default: the PCI core's order, as sysfs reset_method shows it; sbr of the\n"
	  "reset domain when nothing resets the device alone), flr, pm,\n"
	  "device_specific, acpi (each only when the device's list has it) or sbr.\n"
	  "It keeps its state; a failed reset quarantines it.  A reset does not make\n"
	  "a dirty device clean.\n"
	  WAIT_HELP RECORD_HELP DEVICE_HELP },
	{ "clean", V_CLEAN, OPT_METHOD | OPT_NO_WAIT | OPT_TIMEOUT | OPT_ALL_DIRTY | OPT_INSPECT,
	  0, -1,
	  "clean [--method METHOD] DEVICE... | --all-dirty | --inspect DEVICE...",
	  "Clean dirty or quarantined devices: reset, restore the configuration\n"
	  "saved at reserve, verify; they become reserved, or quarantined when it\n"
	  "fails.  Cleaning a quarantined device is how it is cleared.\n"
	  "--all-dirty cleans every dirty device.\n"
	  "--inspect inspects reserved devices that hold no tenant's data instead:\n"
	  "the agent's sanitiser reads each one and erases nothing (nvme keeps the\n"
	  "controller's baseline); they stay reserved.\n" WAIT_HELP RECORD_HELP DEVICE_HELP },
	{ "add", V_ADD, OPT_FORCE | OPT_NO_WAIT | OPT_TIMEOUT | OPT_VFS, 1, -1,
	  "add [--force] DEVICE...\n"
	  "add --vfs COUNT PF",
	  "Reserve devices now and for every boot: each DEVICE is added, as it was\n"
	  "named, to the devices=, paths= or ids= list of an 'options ppt' line in\n"
	  "/etc/modprobe.d/ppt-devices.conf ($PPT_MODPROBE_CONF overrides the file).\n"
	  "Adding what is there already changes nothing.  A DEVICE whose reserve\n"
	  "fails is not added.  When ppt loads from the initramfs, refresh it\n"
	  "(update-initramfs -u, or dracut -f) for the next boot to see the change.\n"
	  "--vfs COUNT PF: enable COUNT (1 to 65535) SR-IOV virtual functions of the\n"
	  "physical function PF now, as sriov does, and at every boot (the entry\n"
	  "vfs=PF=COUNT); ppt holds each VF.  The PF itself is not reserved.\n"
	  CRITICAL_HELP WAIT_HELP RECORD_HELP DEVICE_HELP },
	{ "remove", V_REMOVE, OPT_NO_WAIT | OPT_TIMEOUT, 1, -1,
	  "remove DEVICE...",
	  "Release devices now and drop them from the boot lists file (see add).\n"
	  "A DEVICE whose release fails stays in the file.  A PF with a vfs= entry\n"
	  "(a VF count, see add) has its virtual functions removed (as sriov PF 0\n"
	  "does: refused while one is in use) and the entry dropped.\n" WAIT_HELP RECORD_HELP
	  DEVICE_HELP },
	{ "sriov", V_SRIOV, OPT_PARSEABLE | OPT_OUTPUT | OPT_NO_WAIT | OPT_TIMEOUT, 2, 2,
	  "sriov [-j | -p -o FIELD,...] PF COUNT",
	  "Set the number of SR-IOV virtual functions of the physical function PF\n"
	  "(its sysfs sriov_numvfs) to COUNT, 0 to sriov_totalvfs, with ppt holding\n"
	  "every VF: unless ppt holds PF (its VFs are ppt's anyway) or a vfs= entry\n"
	  "or match names it, a runtime vfs match for PF is added first.  PF's\n"
	  "sriov_drivers_autoprobe is set to 0, so that no VF driver probes a VF.\n"
	  "Changing a count that is not 0 removes the VFs first: refused, naming\n"
	  "each, while a VF is in use (a driver other than ppt, or a state other\n"
	  "than reserved, dirty or quarantined).  COUNT 0 also deletes the runtime\n"
	  "vfs match.  The VFs are printed (addr, state, driver; -o for others)\n"
	  "once ppt holds each (--timeout SECS, default 60; --no-wait: at once).\n"
	  "PF is a PCI address, a topology path or vendor:device naming one device.\n"
	  "With -j, one JSON record a line for each VF (for PF when there is none).\n" },
	{ "match", V_MATCH, OPT_PARSEABLE | OPT_OUTPUT | OPT_RESET_PREF, 1, 3,
	  "match add [--reset-pref METHOD] ids|device|path|vfs ENTRY\n"
	  "match del ids|device|path|vfs ENTRY\n"
	  "match list [-j | -p -o kind,text,boot]",
	  "Runtime matches, the twins of the boot lists until ppt is unloaded:\n"
	  "  ids ENTRY     vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]\n"
	  "  device ENTRY  [domain:]bus:dev.fn\n"
	  "  path ENTRY    [domain:]rootbus/dev.fn[/dev.fn...]\n"
	  "  vfs ENTRY     [domain:]bus:dev.fn of an SR-IOV PF: its virtual functions\n"
	  "                (no =COUNT: a VF count is the boot list's, see add)\n"
	  "Matching functions that no driver holds are reserved at once; ones that\n"
	  "appear later are claimed before host drivers bind; with --reset-pref\n"
	  "they get that reset preference (see set).  'match list' shows the boot\n"
	  "list entries too (BOOT yes); those cannot be deleted.  With -j, add\n"
	  "prints a record for each device it reserved (or one for the entry\n"
	  "alone), del one for the entry.\n" },
	{ "monitor", V_MONITOR, OPT_TIMESTAMPS, 0, 0,
	  "monitor [-j] [-t]",
	  "Print the state of every device ppt manages, then every event as it\n"
	  "happens, one line each (-j: one JSON object each), until interrupted\n"
	  "(SIGINT, SIGTERM: exit 0).  When events were lost (a sequence gap, a\n"
	  "socket overrun, ppt reloaded) it says so and prints every device's\n"
	  "state again.  Lines:\n"
	  "  state ADDR state=S owner=O driver=D      (then: synced devices=N)\n"
	  "  device ADDR state=S owner=O driver=D seq=N   |   device ADDR removed seq=N\n"
	  "  request ADDR COMMAND id=N ok|failed errno=E message=\"...\" seq=N\n"
	  "  lost N events after seq=N: resynchronising\n"
	  "-t, --timestamps: each line starts with the time pptadm read it,\n"
	  "2026-11-21T10:15:02.123456+01:00 (RFC 3339, local time); with -j it is\n"
	  "the \"time\" key.\n" },
	{ "check", V_CHECK, OPT_QUIET, 0, 0,
	  "check [-q] [-j]",
	  "Is this host ready for passthrough?  One line per check, PASS, INFO\n"
	  "(no problem, no proof either), SKIP (it does not apply: no device to\n"
	  "check), WARN or FAIL with the fix: the IOMMU (ACPI DMAR/IVRS table,\n"
	  "IOMMU groups), the kernel command line, interrupt remapping, vfio\n"
	  "modules, ppt loaded and\n"
	  "its version, Secure Boot and lockdown against ppt.ko's signature, and\n"
	  "for each device of ppt's: its IOMMU group (another device in it bound to\n"
	  "a host driver), ACS, boot VGA, a host driver that is built into the\n"
	  "kernel or loaded before ppt.  -q prints only WARN and FAIL; -j one JSON\n"
	  "object.  Exit status 1 when any check FAILs.\n" },
	{ "set", V_SET, OPT_RESET_PREF, 1, -1,
	  "set --reset-pref auto|flr|pm|sbr DEVICE...",
	  "Change settings of devices ppt holds.  --reset-pref: the method a\n"
	  "reset or clean with auto uses for the device (which must support it),\n"
	  "for hardware that resets badly by its first method; auto restores the\n"
	  "default order (flr, pm, sbr).\n" RECORD_HELP DEVICE_HELP },
	{ "version", V_VERSION, 0, 0, 0, "version",
	  "pptadm's version with the netlink protocol it speaks and the version of\n"
	  "its JSON, and the loaded module's version and protocol (or \"module not\n"
	  "loaded\"), as pptadm -V prints them.\n" },
	{ "export", V_EXPORT, OPT_OUTPUT | OPT_ALL | OPT_FORMAT | OPT_NUMA_POLICY | OPT_BY_ID |
	  OPT_PREFIX | OPT_EXTERNAL | OPT_KIND, 1, -1,
	  "export nova [--numa-policy POLICY] [--by-id] [-o FILE]\n"
	  "export kubevirt [-j] [--prefix PREFIX] [--external-provider] [-o FILE]\n"
	  "export cdi [--kind VENDOR/CLASS] [-o FILE]\n"
	  "export triton [--format sysinfo|assignable] [-a] [-o FILE] [DEVICE...]\n"
	  "export prometheus [-o FILE]",
	  "The configuration a cluster engine needs for the devices ppt holds, with\n"
	  "the variants file's names (see docs/integration/).  nova: the [pci]\n"
	  "section of nova.conf, a device_spec for each device ppt manages that a\n"
	  "variant names (--by-id: for each vendor:device of the variants instead)\n"
	  "and an alias for each vendor:device of each variant, named after it, with\n"
	  "its device_type (type-VF, type-PF or type-PCI, from sysfs) and\n"
	  "--numa-policy (required, legacy, preferred or socket; default legacy).\n"
	  "kubevirt: KubeVirt's permittedHostDevices, a pciHostDevices entry for each\n"
	  "vendor:device of each variant with resourceName PREFIX/VARIANT (--prefix,\n"
	  "default ppt.io) and externalResourceProvider (--external-provider: true),\n"
	  "as YAML, or JSON with -j.  cdi: a Container Device Interface spec (JSON)\n"
	  "of the devices ppt has assigned to vfio-pci, kind --kind (default\n"
	  "ppt.io/vfio), each named by its address with its /dev/vfio/N, and\n"
	  "/dev/vfio/vfio; where the kernel has VFIO cdevs, the cdevs and /dev/iommu\n"
	  "instead.  triton: RFD 114's sysinfo (default) or assignable_devices, as\n"
	  "list -j --format prints them.  prometheus: the text exposition format\n"
	  "for node_exporter's textfile collector: devices by state, variant and\n"
	  "owner, resets and cleans by method and outcome with their durations,\n"
	  "quarantines and lease expiries, as the module counted them since it\n"
	  "loaded.  -o FILE writes FILE atomically (a\n"
	  "temporary file in its directory, synced, then renamed) instead of\n"
	  "standard output.\n" VARIANTS_HELP },
	{ "sanitise", V_SANITISE, OPT_TIMEOUT | OPT_PARSEABLE | OPT_OUTPUT | OPT_PERSIST, 1, 4,
	  "sanitise run [--timeout SECS] DEVICE [SANITISER]\n"
	  "sanitise baseline DEVICE [FILE]\n"
	  "sanitise set [--persist] device|ids|class SELECTOR SANITISER\n"
	  "sanitise del [--persist] device|ids|class SELECTOR\n"
	  "sanitise list [-j | -p -o kind,selector,sanitiser,source]",
	  "Erase what a tenant left on a device that ppt has assigned to\n"
	  "vfio-pci (pptadm assign) and nobody has open: pptadm opens it through\n"
	  "VFIO itself.  A reset does not erase media or memory; a sanitiser does.\n"
	  "SANITISER:\n"
	  "  nvme[:METHOD]  erase every namespace of an NVMe controller, then read\n"
	  "                 sampled blocks back.  METHOD: auto (the default: the\n"
	  "                 strongest the controller offers, in this order),\n"
	  "                 sanitize-crypto, sanitize-block, format-crypto,\n"
	  "                 format-user, write-zeroes, overwrite\n"
	  "  bar[:BARS]     zero memory BARs and read them back.  BARS: prefetchable\n"
	  "                 (the default; a GPU's frame buffer aperture), memory\n"
	  "                 (every memory BAR), or BAR numbers such as 0,2\n"
	  "  exec:PROGRAM   run PROGRAM (an absolute path) with the address as its\n"
	  "                 argument and in PPT_DEVICE, the VFIO group node in\n"
	  "                 PPT_VFIO_GROUP: it opens the device itself; exit status\n"
	  "                 0 and its last line out say what it verified\n"
	  "Without SANITISER, the kernel's sanitiser policy decides (show -o\n"
	  "sanitiser; a module without one: the class, nvme for class 0108, bar\n"
	  "for class 03).\n"
	  "It prints the method that ran, what the device offered and what was\n"
	  "verified; exit status 1 when the erase or its verification failed.\n"
	  "--timeout SECS: for the erase (default 3600; exec: then SIGTERM, and\n"
	  "SIGKILL 5 s later).  baseline: print an NVMe\n"
	  "controller's firmware, namespaces and formats as one line; with FILE,\n"
	  "compare them with the line kept in FILE (exit status 1, naming each\n"
	  "difference, when a tenant flashed firmware or changed namespaces).\n"
	  "set, del, list: the sanitiser policy the kernel keeps, which says what\n"
	  "must erase a device's data between tenants.  SELECTOR: an address\n"
	  "(device), the ids= syntax (ids), or 2, 4 or 6 hex digits of the class\n"
	  "code (class).  The most specific entry applies: device, then ids, then\n"
	  "the longest class.  Defaults: class 0108 nvme, class 03 bar, others\n"
	  "none (reset only); SANITISER none is logged.  set replaces a\n"
	  "selector's entry; del removes it (a default's selector gets its\n"
	  "default back).  --persist: also for every boot, as an entry\n"
	  "KIND:SELECTOR=SANITISER of the sanitise= list (entries joined by ';')\n"
	  "in the 'options ppt' line of the boot lists file (see add); del\n"
	  "--persist drops the file's entry even when the kernel has none.\n"
	  DEVICE_HELP },
	{ "agent", V_AGENT, OPT_JOBS | OPT_GRACE, 0, 1,
	  "agent [--jobs N] [--timeout-grace SECS]\n"
	  "agent status\n"
	  "agent restore",
	  "The sanitise agent, a service in the foreground (the unit ppt-agent.service\n"
	  "runs it): the kernel's clean of a device whose sanitiser policy names a\n"
	  "sanitiser (see sanitise) binds it to vfio-pci, in state sanitising, and\n"
	  "asks the agent to erase it.  For each request the agent runs the\n"
	  "sanitiser as sanitise run would, in a process of its own, at most --jobs\n"
	  "N at once (default 4; the rest wait their turn), and answers the kernel\n"
	  "with the outcome; the clean goes on, or quarantines the device when the\n"
	  "erase or its verification failed.  An erase gets the kernel's timeout\n"
	  "for the request, less 10 s; a sanitiser still running --timeout-grace SECS\n"
	  "after it (default 5) is killed.  One line on standard error for each request\n"
	  "as it starts and as it ends: device, sanitiser, outcome, duration.\n"
	  "SIGTERM or SIGINT: the sanitisers running are stopped, and the agent\n"
	  "exits 0 (the kernel leaves their devices dirty).  Exit status 1 when\n"
	  "another agent is registered, the module has no sanitise agents, or ppt\n"
	  "was unloaded or reloaded (its registration is gone; systemd restarts\n"
	  "the unit).  status: the registered agent, its process, netlink port and\n"
	  "pending requests (-j: one object); exit status 1 when none is.\n"
	  "The agent also keeps, in /var/lib/ppt/tainted ($PPT_TAINTED_FILE names\n"
	  "another), the devices that went to a tenant and were not cleaned since:\n"
	  "a reboot erases no media.  restore gives that list to ppt (its tainted=\n"
	  "parameter): the reserved devices it names become dirty and are cleaned,\n"
	  "with their sanitisers; ppt-agent.service runs it before the agent, and\n"
	  "before the orchestrators' services.  Exit status 1 when the file has a\n"
	  "line that is neither an address nor a topology path (file:line named;\n"
	  "nothing given) or ppt is not loaded.\n" },
	{ "help", V_HELP, 0, 0, 1, "help [COMMAND]",
	  "This overview, or a command's help (also: pptadm COMMAND --help).\n" },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

const struct verb *args_find_verb(const char *name)
{
	size_t i;

	for (i = 0; i < NVERBS; i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

/*
 * A synopsis, each form after first (the overview's "  ", help's
 * "usage: pptadm "), later forms after again ("  ", "       pptadm "),
 * continuations aligned with what follows the command's name.
 */
static void print_synopsis(FILE *f, const struct verb *v, const char *first,
			   const char *again)
{
	const char *p = v->synopsis, *lead = first;
	int width = 0;

	while (*p) {
		size_t len = strcspn(p, "\n");

		if (*p == '\t')
			fprintf(f, "%*s%.*s\n", width, "", (int)len - 1, p + 1);
		else {
			fprintf(f, "%s%.*s\n", lead, (int)len, p);
			width = (int)(strlen(lead) + strcspn(p, " ") + 1);
			lead = again;
		}
		p += len + (p[len] == '\n');
	}
}

void args_usage(FILE *f)
{
	size_t i;

	fputs("usage: pptadm [-j [--pretty]] COMMAND [OPTIONS] [ARGS]\n"
	      "       pptadm -b FILE [--force]\n"
	      "       pptadm -V\n\ncommands:\n", f);
	for (i = 0; i < NVERBS; i++)
		print_synopsis(f, &verbs[i], "  ", "  ");
	fprintf(f,
		"\n"
		DEVICE_HELP
		"\n"
		"options:\n"
		"  -j, --json          JSON output; failures too, one {\"error\":{...}} a line\n"
		"  --pretty            with -j: each JSON object indented over several lines\n"
		"  -p, --parseable     ':'-separated output (list, show, match list; needs -o);\n"
		"                      with -j, -p is --pretty (-jp)\n"
		"  -o, --output F,...  fields, or all: %s;\n"
		"                      with export: the file to write (atomically)\n"
		"  -a, --all           with list, export triton: every PCI device on the host;\n"
		"                      with unclaim: every device the owner claimed\n"
		"  --owner ID          owner of the devices (a VM's UUID, say)\n"
		"  --force             with reserve and add: take devices from host drivers;\n"
		"                      twice: devices the host runs on too; with -b: go on\n"
		"                      after a command that failed\n"
		"  -q, --quiet         with check: only the problems\n"
		"  -t, --timestamps    with monitor: the time on each line\n"
		"  --method M          with reset and clean: auto, flr, pm, sbr, device_specific, acpi\n"
		"  --reset-pref M      with set and match add: a device's preferred reset method\n"
		"  --all-dirty         with clean: every dirty device\n"
		"  --inspect           with clean: read reserved devices, erase nothing\n"
		"  --unclean           with release: a dirty device as it is, not cleaned first\n"
		"  --recycle           with assign: clean the device and assign it again each\n"
		"                      time its VFIO user closes it\n"
		"  --variant NAME      with claim and run: devices of that variant\n"
		"  --match IDS         with claim and run: devices matching vendor:device[:...]\n"
		"  --count N           with claim and run: how many devices (1 to %d)\n"
		"  --vfs COUNT         with add: SR-IOV virtual functions of a PF, at every boot\n"
		"  --persist           with sanitise set and del: the boot lists file too\n"
		"  --jobs N            with agent: sanitisers run at once (1 to %d, default 4)\n"
		"  --timeout-grace SECS  with agent: how long a sanitiser may overrun the\n"
		"                      kernel's timeout before it is killed (default 5)\n"
		"  --user USER         with run and assign: give the VFIO nodes to USER\n"
		"  --timeout-clean SECS  with run: how long to wait for cleaning (default 120)\n"
		"  --format F          with list -j and export triton: sysinfo or assignable (RFD 114)\n"
		"  --variants FILE     the variants file (default %s)\n"
		"  --numa-policy P     with export nova: required, legacy (default), preferred, socket\n"
		"  --by-id             with export nova: device_spec by vendor:device, not address\n"
		"  --prefix PREFIX     with export kubevirt: resourceName PREFIX/VARIANT (ppt.io)\n"
		"  --external-provider with export kubevirt: externalResourceProvider true\n"
		"  --kind VENDOR/CLASS with export cdi: the spec's kind (ppt.io/vfio)\n"
		"  --no-wait           do not wait for asynchronous operations to finish\n"
		"  --timeout SECS      how long to wait for them (default 60)\n"
		"  -b, --batch FILE    run FILE's commands ('-': standard input), one a line,\n"
		"                      words split as a shell splits them; stop at the first\n"
		"                      that fails unless --force\n"
		"  -V, --version       pptadm's version and the loaded module's\n"
		"  -h, --help          help; 'pptadm help COMMAND' for one command\n"
		"\n"
		"devlink's spellings -json, -pretty, -batch and -force work too.\n"
		"Exit status: 0 success, 1 an operation failed, 2 usage error.\n",
		out_field_names(&out_device_fields), PPT_CLAIM_MAX, AGENT_JOBS_MAX,
		VARIANTS_DEFAULT_PATH);
}

void args_verb_help(FILE *f, const struct verb *v)
{
	print_synopsis(f, v, "usage: pptadm ", "       pptadm ");
	fprintf(f, "\n%s", v->help);
	if (v->opts & OPT_OUTPUT)
		fprintf(f, "\nFields (-o): %s\n",
			out_field_names(v->id == V_MATCH ? &out_match_fields :
					v->id == V_SANITISE ? &out_sanitise_fields :
					&out_device_fields));
}

/* Edit distance, for suggesting the verb meant. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[32][32];

	if (la >= 32 || lb >= 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1,
			       sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			d[i][j] = del < ins ? del : ins;
			if (sub < d[i][j])
				d[i][j] = sub;
		}
	}
	return d[la][lb];
}

/*
 * A VF count: decimal digits, no sign, no leading zero (sriov_numvfs would
 * read "010" as octal), at most VFS_COUNT_MAX.  0 or -EINVAL.
 */
static int vfs_count_parse(const char *s, unsigned int *out)
{
	unsigned long v = 0;
	size_t i, len = strlen(s);

	if (!len || len > 5 || (s[0] == '0' && len > 1))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > VFS_COUNT_MAX)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

/* match add|del KIND ENTRY, match list */
static int parse_match(struct args *a, char *err, size_t errlen)
{
	const char *sub = a->argv[0], *why;
	char canon[PPT_MATCH_BUFLEN];
	int kind;

	if (!strcmp(sub, "list")) {
		a->match_op = MATCH_LIST;
		if (a->given & OPT_RESET_PREF) {
			snprintf(err, errlen, "match list does not take --reset-pref");
			return ARGS_USAGE;
		}
		if (a->argc > 1) {
			snprintf(err, errlen, "match list takes no arguments (\"%s\" is one too many)",
				 a->argv[1]);
			return ARGS_USAGE;
		}
		return ARGS_OK;
	}
	if (strcmp(sub, "add") && strcmp(sub, "del")) {
		snprintf(err, errlen, "unknown match command \"%s\" (want add, del or list)", sub);
		return ARGS_USAGE;
	}
	a->match_op = sub[0] == 'a' ? MATCH_ADD : MATCH_DEL;
	if (a->given & (OPT_PARSEABLE | OPT_OUTPUT)) {
		snprintf(err, errlen, "match %s does not take -p or -o", sub);
		return ARGS_USAGE;
	}
	if (a->match_op == MATCH_DEL && (a->given & OPT_RESET_PREF)) {
		snprintf(err, errlen, "match del does not take --reset-pref");
		return ARGS_USAGE;
	}
	if (a->argc != 3) {
		snprintf(err, errlen, "match %s needs a kind (ids, device, path or vfs) and an ENTRY", sub);
		return ARGS_USAGE;
	}
	kind = ppt_match_kind_parse(a->argv[1]);
	if (kind < 0) {
		snprintf(err, errlen, "unknown match kind \"%s\" (want ids, device, path or vfs)",
			 a->argv[1]);
		return ARGS_USAGE;
	}
	if (entry_normalize((enum ppt_match_kind)kind, a->argv[2], canon,
			    sizeof(canon), &why)) {
		snprintf(err, errlen, "%s entry \"%s\": %s", a->argv[1], a->argv[2], why);
		return ARGS_USAGE;
	}
	if (kind == PPT_MATCH_VFS && strchr(a->argv[2], '=')) {
		snprintf(err, errlen,
			 "vfs entry \"%s\": a VF count is for the boot list (pptadm add --vfs COUNT PF); at runtime, pptadm sriov PF COUNT",
			 a->argv[2]);
		return ARGS_USAGE;
	}
	a->match_kind = (enum ppt_match_kind)kind;
	a->match_text = a->argv[2];
	return ARGS_OK;
}

static const char *const opt_names[] = {
	"-j/--json", "-p/--parseable", "-o/--output", "-a/--all", "--owner",
	"--force", "--no-wait", "--timeout", "--method", "--all-dirty",
	"-q/--quiet", "--reset-pref", "--variant", "--count", "--match", "--user",
	"--timeout-clean", "--format", "--variants", "--unclean", "--pretty",
	"-t/--timestamps", "-b/--batch", "-V/--version", "--numa-policy", "--by-id",
	"--prefix", "--external-provider", "--kind", "--vfs", "--recycle", "--persist",
	"--jobs", "--timeout-grace", "--inspect",
};

/* export FORMAT: the format, and the options each format takes */
static int parse_export(struct args *a, char *err, size_t errlen)
{
	static const unsigned long long takes[] = {
		[EXPORT_NOVA] = OPT_NUMA_POLICY | OPT_BY_ID,
		[EXPORT_KUBEVIRT] = OPT_PREFIX | OPT_EXTERNAL,
		[EXPORT_CDI] = OPT_KIND,
		[EXPORT_TRITON] = OPT_FORMAT | OPT_ALL,
		[EXPORT_PROMETHEUS] = 0,
	};
	static const unsigned long long specific = OPT_NUMA_POLICY | OPT_BY_ID | OPT_PREFIX |
		OPT_EXTERNAL | OPT_KIND | OPT_FORMAT | OPT_ALL;
	unsigned long long bad;
	int f;
	size_t i;

	if (a->argc < 1) {
		snprintf(err, errlen, "export needs a FORMAT: nova, kubevirt, cdi, triton or prometheus");
		return ARGS_USAGE;
	}
	f = export_format_parse(a->argv[0]);
	if (f < 0) {
		snprintf(err, errlen,
			 "unknown export format \"%s\" (want nova, kubevirt, cdi, triton or prometheus)",
			 a->argv[0]);
		return ARGS_USAGE;
	}
	a->export_format = f;
	bad = a->given & specific & ~takes[f];
	if (bad) {
		for (i = 0; !(bad & (1ull << i)); i++)
			;
		snprintf(err, errlen, "export %s does not take %s", a->argv[0], opt_names[i]);
		return ARGS_USAGE;
	}
	if (f != EXPORT_TRITON && a->argc > 1) {
		snprintf(err, errlen, "export %s takes no DEVICE (\"%s\" is one too many)",
			 a->argv[0], a->argv[1]);
		return ARGS_USAGE;
	}
	if (a->given & OPT_OUTPUT) {
		if (!a->fields[0]) {
			snprintf(err, errlen, "-o/--output \"\": want a file to write");
			return ARGS_USAGE;
		}
		a->outfile = a->fields;
		a->fields = NULL;
	}
	return ARGS_OK;
}

/* getopt_long's values of the options without a short form */
enum {
	L_OWNER = 256, L_FORCE, L_NO_WAIT, L_TIMEOUT, L_METHOD, L_ALL_DIRTY,
	L_RESET_PREF, L_VARIANT, L_COUNT, L_MATCH, L_USER, L_TIMEOUT_CLEAN,
	L_FORMAT, L_VARIANTS, L_UNCLEAN, L_RECYCLE, L_PERSIST, L_PRETTY, L_PARSEABLE,
	L_NUMA_POLICY, L_BY_ID, L_PREFIX, L_EXTERNAL, L_KIND, L_VFS, L_JOBS, L_GRACE,
	L_INSPECT,
};

/* devlink's one-dash spellings, and ours */
static const char *const devlink_words[][2] = {
	{ "-json", "--json" }, { "-pretty", "--pretty" },
	{ "-batch", "--batch" }, { "-force", "--force" },
};

/* sanitise set KIND SELECTOR SANITISER | del KIND SELECTOR | list */
static int parse_sanitise_policy(struct args *a, const char *sub, char *err, size_t errlen)
{
	int want = !strcmp(sub, "set") ? 4 : !strcmp(sub, "del") ? 3 : 1;

	if (a->given & OPT_TIMEOUT) {
		snprintf(err, errlen, "sanitise %s does not take --timeout", sub);
		return ARGS_USAGE;
	}
	if (want == 1 && (a->given & OPT_PERSIST)) {
		snprintf(err, errlen, "sanitise list does not take --persist");
		return ARGS_USAGE;
	}
	if (want > 1 && (a->given & (OPT_PARSEABLE | OPT_OUTPUT))) {
		snprintf(err, errlen, "sanitise %s does not take -p or -o", sub);
		return ARGS_USAGE;
	}
	if (a->argc > want) {
		snprintf(err, errlen, "sanitise %s takes %d argument%s (\"%s\" is one too many)",
			 sub, want - 1, want == 2 ? "" : "s", a->argv[want]);
		return ARGS_USAGE;
	}
	if (a->argc < want) {
		snprintf(err, errlen, "sanitise %s needs a kind (device, ids or class), a SELECTOR%s",
			 sub, want == 4 ? " and a SANITISER" : "");
		return ARGS_USAGE;
	}
	if (want > 1) {
		int kind = ppt_sanitise_kind_parse(a->argv[1]);

		if (kind < 0) {
			snprintf(err, errlen, "unknown selector kind \"%s\" (want device, ids or class)",
				 a->argv[1]);
			return ARGS_USAGE;
		}
		a->sanitise_kind = (enum ppt_sanitise_kind)kind;
	}
	return ARGS_OK;
}

/*
 * sanitise run DEVICE SANITISER | sanitise baseline DEVICE [FILE] |
 * the policy's set, del and list
 */
static int parse_sanitise(struct args *a, char *err, size_t errlen)
{
	const char *sub = a->argc ? a->argv[0] : "";

	if (!strcmp(sub, "set") || !strcmp(sub, "del") || !strcmp(sub, "list"))
		return parse_sanitise_policy(a, sub, err, errlen);
	if ((!strcmp(sub, "run") || !strcmp(sub, "baseline")) && (a->given & (OPT_PARSEABLE | OPT_OUTPUT))) {
		snprintf(err, errlen, "sanitise %s does not take -p or -o", sub);
		return ARGS_USAGE;
	}
	if ((!strcmp(sub, "run") || !strcmp(sub, "baseline")) && (a->given & OPT_PERSIST)) {
		snprintf(err, errlen, "sanitise %s does not take --persist (set and del do)", sub);
		return ARGS_USAGE;
	}
	if (a->argc > 3) {
		snprintf(err, errlen, "sanitise %s takes 2 arguments at most (\"%s\" is one too many)",
			 sub, a->argv[3]);
		return ARGS_USAGE;
	}
	if (!strcmp(sub, "run")) {
		if (a->argc < 2) {
			snprintf(err, errlen, "sanitise run needs a DEVICE");
			return ARGS_USAGE;
		}
		return ARGS_OK;
	}
	if (!strcmp(sub, "baseline")) {
		if (a->given & OPT_TIMEOUT) {
			snprintf(err, errlen, "sanitise baseline does not take --timeout");
			return ARGS_USAGE;
		}
		if (a->argc < 2) {
			snprintf(err, errlen, "sanitise baseline needs a DEVICE");
			return ARGS_USAGE;
		}
		return ARGS_OK;
	}
	snprintf(err, errlen, "sanitise needs run, baseline, set, del or list%s%s%s",
		 a->argc ? " (not \"" : "",
		 a->argc ? sub : "", a->argc ? "\")" : "");
	return ARGS_USAGE;
}

/* agent [--jobs N] [--timeout-grace SECS] | agent status | agent restore */
static int parse_agent(struct args *a, char *err, size_t errlen)
{
	if (!a->argc) {
		if (a->given & OPT_JSON) {
			snprintf(err, errlen, "agent logs lines on standard error: it takes no -j (agent status does)");
			return ARGS_USAGE;
		}
		return ARGS_OK;
	}
	if (strcmp(a->argv[0], "status") && strcmp(a->argv[0], "restore")) {
		snprintf(err, errlen, "unknown agent command \"%s\" (want status, restore, or nothing)",
			 a->argv[0]);
		return ARGS_USAGE;
	}
	if (a->given & (OPT_JOBS | OPT_GRACE)) {
		snprintf(err, errlen, "agent %s does not take %s", a->argv[0],
			 a->given & OPT_JOBS ? "--jobs" : "--timeout-grace");
		return ARGS_USAGE;
	}
	if (!strcmp(a->argv[0], "restore")) {
		if (a->given & OPT_JSON) {
			snprintf(err, errlen, "agent restore takes no -j");
			return ARGS_USAGE;
		}
		a->agent_restore = true;
		return ARGS_OK;
	}
	a->agent_status = true;
	return ARGS_OK;
}

int args_parse(int argc, char **argv, struct args *a, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "parseable", no_argument, NULL, L_PARSEABLE },
		{ "pretty", no_argument, NULL, L_PRETTY },
		{ "output", required_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "owner", required_argument, NULL, L_OWNER },
		{ "force", no_argument, NULL, L_FORCE },
		{ "no-wait", no_argument, NULL, L_NO_WAIT },
		{ "timeout", required_argument, NULL, L_TIMEOUT },
		{ "method", required_argument, NULL, L_METHOD },
		{ "all-dirty", no_argument, NULL, L_ALL_DIRTY },
		{ "quiet", no_argument, NULL, 'q' },
		{ "timestamps", no_argument, NULL, 't' },
		{ "reset-pref", required_argument, NULL, L_RESET_PREF },
		{ "variant", required_argument, NULL, L_VARIANT },
		{ "count", required_argument, NULL, L_COUNT },
		{ "match", required_argument, NULL, L_MATCH },
		{ "user", required_argument, NULL, L_USER },
		{ "timeout-clean", required_argument, NULL, L_TIMEOUT_CLEAN },
		{ "format", required_argument, NULL, L_FORMAT },
		{ "variants", required_argument, NULL, L_VARIANTS },
		{ "unclean", no_argument, NULL, L_UNCLEAN },
		{ "recycle", no_argument, NULL, L_RECYCLE },
		{ "persist", no_argument, NULL, L_PERSIST },
		{ "batch", required_argument, NULL, 'b' },
		{ "version", no_argument, NULL, 'V' },
		{ "numa-policy", required_argument, NULL, L_NUMA_POLICY },
		{ "by-id", no_argument, NULL, L_BY_ID },
		{ "prefix", required_argument, NULL, L_PREFIX },
		{ "external-provider", no_argument, NULL, L_EXTERNAL },
		{ "kind", required_argument, NULL, L_KIND },
		{ "vfs", required_argument, NULL, L_VFS },
		{ "jobs", required_argument, NULL, L_JOBS },
		{ "timeout-grace", required_argument, NULL, L_GRACE },
		{ "inspect", no_argument, NULL, L_INSPECT },
		{ NULL, 0, NULL, 0 },
	};
	bool help = false, version = false, short_p = false;
	const char *vname, *why;
	size_t i, best = 99;
	unsigned long long bad;
	char *end;
	long secs;
	int c, dashes = -1, full_argc = argc;

	memset(a, 0, sizeof(*a));
	a->fmt = OUT_TABLE;
	a->method = -1;
	a->reset_pref = -1;
	a->timeout_ms = 60 * 1000;
	a->timeout_clean_ms = 120 * 1000;
	a->jobs = AGENT_JOBS_DEFAULT;
	a->grace_s = AGENT_GRACE_DEFAULT_S;
	optind = 0;		/* glibc: start over, as for a new argv */
	opterr = 0;
	/* long options in full: an abbreviation is as likely a typo */
	for (c = 1; c < argc; c++) {
		const char *w = argv[c];
		const struct option *o;
		size_t len;

		if (!strcmp(w, "--")) {
			dashes = c;
			break;
		}
		if (!strcmp(w, "-o") || !strcmp(w, "-b")) {
			c++;	/* its value */
			continue;
		}
		for (i = 0; i < sizeof(devlink_words) / sizeof(devlink_words[0]); i++)
			if (!strcmp(w, devlink_words[i][0]))
				argv[c] = (char *)devlink_words[i][1];
		w = argv[c];
		if (strncmp(w, "--", 2))
			continue;
		len = strcspn(w + 2, "=");
		for (o = longopts; o->name; o++)
			if (strlen(o->name) == len && !strncmp(o->name, w + 2, len))
				break;
		if (!o->name) {
			const char *near = NULL;

			for (o = longopts; o->name; o++) {
				size_t d = distance(w + 2, o->name);

				if (d < best) {
					best = d;
					near = o->name;
				}
			}
			if (near && best <= 2)
				snprintf(err, errlen, "unknown option \"%s\" (did you mean --%s?)",
					 w, near);
			else
				snprintf(err, errlen, "unknown option \"%s\"", w);
			return ARGS_USAGE;
		}
		if (o->has_arg == required_argument && !w[2 + len])
			c++;	/* its value */
	}
	/*
	 * What follows "--" is run's COMMAND, which getopt would mix with the
	 * DEVICE operands: parse what precedes it only.  For the other verbs
	 * the words after "--" are operands like the others (put back below).
	 */
	if (dashes > 0)
		argc = dashes;
	best = 99;
	while ((c = getopt_long(argc, argv, ":jpo:ahqtb:V", longopts, NULL)) != -1) {
		const char *word = argv[optind - 1];

		switch (c) {
		case 'j': a->given |= OPT_JSON; break;
		case 'p': short_p = true; break;
		case L_PARSEABLE: a->given |= OPT_PARSEABLE; break;
		case L_PRETTY: a->given |= OPT_PRETTY; break;
		case 'o': a->given |= OPT_OUTPUT; a->fields = optarg; break;
		case 'a': a->given |= OPT_ALL; a->all = true; break;
		case 'h': help = true; break;
		case 't': a->given |= OPT_TIMESTAMPS; a->timestamps = true; break;
		case 'V': a->given |= OPT_VERSION; version = true; break;
		case 'b':
			a->given |= OPT_BATCH;
			if (!optarg[0]) {
				snprintf(err, errlen, "--batch \"\": want a file, or - for standard input");
				return ARGS_USAGE;
			}
			a->batch = optarg;
			break;
		case L_OWNER:
			a->given |= OPT_OWNER;
			if (!optarg[0] || strlen(optarg) >= PPT_OWNER_MAX) {
				snprintf(err, errlen, "--owner must be 1 to %d bytes",
					 PPT_OWNER_MAX - 1);
				return ARGS_USAGE;
			}
			for (i = 0; optarg[i]; i++) {
				if ((unsigned char)optarg[i] < 0x20 || optarg[i] == 0x7f) {
					snprintf(err, errlen, "--owner must not contain control characters");
					return ARGS_USAGE;
				}
			}
			a->owner = optarg;
			break;
		case L_FORCE:
			a->force_critical = a->force;
			a->given |= OPT_FORCE;
			a->force = true;
			break;
		case 'q': a->given |= OPT_QUIET; a->quiet = true; break;
		case L_UNCLEAN: a->given |= OPT_UNCLEAN; a->unclean = true; break;
		case L_RECYCLE: a->given |= OPT_RECYCLE; a->recycle = true; break;
		case L_PERSIST: a->given |= OPT_PERSIST; a->persist = true; break;
		case L_RESET_PREF:
			a->given |= OPT_RESET_PREF;
			a->reset_pref = ppt_reset_method_parse(optarg);
			if (a->reset_pref < 0) {
				snprintf(err, errlen,
					 "--reset-pref \"%s\": want auto, flr, pm or sbr", optarg);
				return ARGS_USAGE;
			}
			break;
		case L_NO_WAIT: a->given |= OPT_NO_WAIT; break;
		case L_TIMEOUT:
			a->given |= OPT_TIMEOUT;
			errno = 0;
			secs = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || secs < 1 || secs > 86400) {
				snprintf(err, errlen,
					 "--timeout \"%s\": want whole seconds, 1 to 86400", optarg);
				return ARGS_USAGE;
			}
			a->timeout_ms = (int)secs * 1000;
			break;
		case L_METHOD:
			a->given |= OPT_METHOD;
			a->method = ppt_reset_method_parse(optarg);
			if (a->method < 0) {
				snprintf(err, errlen,
					 "--method \"%s\": want auto, flr, pm or sbr", optarg);
				return ARGS_USAGE;
			}
			break;
		case L_ALL_DIRTY: a->given |= OPT_ALL_DIRTY; a->all_dirty = true; break;
		case L_VARIANT:
			a->given |= OPT_VARIANT;
			if (!variant_name_ok(optarg, &why)) {
				snprintf(err, errlen, "--variant \"%s\": %s", optarg, why);
				return ARGS_USAGE;
			}
			a->variant = optarg;
			break;
		case L_COUNT:
			a->given |= OPT_COUNT;
			errno = 0;
			secs = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || secs < 1 || secs > PPT_CLAIM_MAX) {
				snprintf(err, errlen, "--count \"%s\": want a number, 1 to %d",
					 optarg, PPT_CLAIM_MAX);
				return ARGS_USAGE;
			}
			a->count = (unsigned int)secs;
			break;
		case L_MATCH:
			a->given |= OPT_MATCH;
			if (entry_parse_ids(optarg, &a->match_ids, &why)) {
				snprintf(err, errlen,
					 "--match \"%s\": %s (want vendor:device[:subvendor:subdevice[:class[:class_mask]]], hex)",
					 optarg, why);
				return ARGS_USAGE;
			}
			a->match = optarg;
			break;
		case L_VFS:
			a->given |= OPT_VFS;
			if (vfs_count_parse(optarg, &a->vfs) || !a->vfs) {
				snprintf(err, errlen,
					 "--vfs \"%s\": want a VF count, 1 to %d (decimal)",
					 optarg, VFS_COUNT_MAX);
				return ARGS_USAGE;
			}
			break;
		case L_USER:
			a->given |= OPT_USER;
			for (i = 0; optarg[i]; i++)
				if ((unsigned char)optarg[i] <= 0x20 || optarg[i] == 0x7f ||
				    optarg[i] == ':')
					break;
			if (!optarg[0] || optarg[i] || i > 256) {
				snprintf(err, errlen,
					 "--user \"%s\": want a user name or number", optarg);
				return ARGS_USAGE;
			}
			a->user = optarg;
			break;
		case L_TIMEOUT_CLEAN:
			a->given |= OPT_TIMEOUT_CLEAN;
			errno = 0;
			secs = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || secs < 1 || secs > 86400) {
				snprintf(err, errlen,
					 "--timeout-clean \"%s\": want whole seconds, 1 to 86400", optarg);
				return ARGS_USAGE;
			}
			a->timeout_clean_ms = (int)secs * 1000;
			break;
		case L_FORMAT:
			a->given |= OPT_FORMAT;
			if (!strcmp(optarg, "sysinfo")) {
				a->format = FORMAT_SYSINFO;
			} else if (!strcmp(optarg, "assignable")) {
				a->format = FORMAT_ASSIGNABLE;
			} else {
				snprintf(err, errlen,
					 "--format \"%s\": want sysinfo or assignable", optarg);
				return ARGS_USAGE;
			}
			break;
		case L_VARIANTS:
			a->given |= OPT_VARIANTS;
			if (!optarg[0]) {
				snprintf(err, errlen, "--variants \"\": want a file");
				return ARGS_USAGE;
			}
			a->variants_file = optarg;
			break;
		case L_NUMA_POLICY:
			a->given |= OPT_NUMA_POLICY;
			if (!export_numa_policy_ok(optarg)) {
				snprintf(err, errlen,
					 "--numa-policy \"%s\": want required, legacy, preferred or socket",
					 optarg);
				return ARGS_USAGE;
			}
			a->numa_policy = optarg;
			break;
		case L_BY_ID: a->given |= OPT_BY_ID; a->by_id = true; break;
		case L_PREFIX:
			a->given |= OPT_PREFIX;
			if (!export_prefix_ok(optarg)) {
				snprintf(err, errlen,
					 "--prefix \"%s\": want a DNS domain name (lower case), such as ppt.io",
					 optarg);
				return ARGS_USAGE;
			}
			a->prefix = optarg;
			break;
		case L_EXTERNAL: a->given |= OPT_EXTERNAL; a->external = true; break;
		case L_KIND:
			a->given |= OPT_KIND;
			if (!export_kind_ok(optarg, &why)) {
				snprintf(err, errlen, "--kind \"%s\": %s", optarg, why);
				return ARGS_USAGE;
			}
			a->kind = optarg;
			break;
		case L_JOBS:
			a->given |= OPT_JOBS;
			errno = 0;
			secs = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || secs < 1 || secs > AGENT_JOBS_MAX) {
				snprintf(err, errlen, "--jobs \"%s\": want a number, 1 to %d",
					 optarg, AGENT_JOBS_MAX);
				return ARGS_USAGE;
			}
			a->jobs = (unsigned int)secs;
			break;
		case L_INSPECT: a->given |= OPT_INSPECT; a->inspect = true; break;
		case L_GRACE:
			a->given |= OPT_GRACE;
			errno = 0;
			secs = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || secs < 0 || secs > 3600) {
				snprintf(err, errlen,
					 "--timeout-grace \"%s\": want whole seconds, 0 to 3600", optarg);
				return ARGS_USAGE;
			}
			a->grace_s = (unsigned int)secs;
			break;
		case ':':
			snprintf(err, errlen, "option \"%s\" needs a value", word);
			return ARGS_USAGE;
		default:
			if (optopt && strncmp(word, "--", 2))
				snprintf(err, errlen, "unknown option \"-%c\"", optopt);
			else
				snprintf(err, errlen, "unknown option \"%s\"", word);
			return ARGS_USAGE;
		}
	}
	/* -p: --pretty for JSON, --parseable for the rest */
	if (short_p)
		a->given |= a->given & OPT_JSON ? OPT_PRETTY : OPT_PARSEABLE;
	if (a->given & OPT_JSON)
		a->fmt = a->given & OPT_PRETTY ? OUT_JSON_PRETTY : OUT_JSON;
	if ((a->given & OPT_PRETTY) && !(a->given & OPT_JSON) && !help) {
		snprintf(err, errlen, "--pretty lays out JSON: it needs -j (-jp)");
		return ARGS_USAGE;
	}
	if ((a->given & OPT_PARSEABLE) && (a->given & OPT_JSON)) {
		snprintf(err, errlen, "--parseable and -j exclude each other");
		return ARGS_USAGE;
	}
	if (optind >= argc) {
		if (help)
			return ARGS_HELP;
		if (version && !(a->given & OPT_BATCH))
			return ARGS_VERSION;
		if (a->given & OPT_BATCH) {
			bad = a->given & ~(OPT_GLOBAL | OPT_FORCE | OPT_BATCH);
			if (bad) {
				for (i = 0; !(bad & (1ull << i)); i++)
					;
				snprintf(err, errlen,
					 "-b/--batch takes -j, --pretty, --variants and --force, not %s",
					 opt_names[i]);
				return ARGS_USAGE;
			}
			return ARGS_BATCH;
		}
		snprintf(err, errlen, "no command given");
		return ARGS_USAGE;
	}
	vname = argv[optind];
	a->verb = args_find_verb(vname);
	if (dashes > 0 && a->verb && a->verb->id == V_RUN) {
		a->cmd_argc = full_argc - dashes - 1;
		a->cmd_argv = argv + dashes + 1;
	} else if (dashes > 0) {
		/* the operands after "--" join those before it */
		memmove(&argv[dashes], &argv[dashes + 1],
			(size_t)(full_argc - dashes - 1) * sizeof(*argv));
		argv[full_argc - 1] = NULL;
		argc = full_argc - 1;
	}
	if (!a->verb) {
		const char *near = NULL;

		for (i = 0; i < NVERBS; i++) {
			size_t d = distance(vname, verbs[i].name);

			if (d < best) {
				best = d;
				near = verbs[i].name;
			}
		}
		if (near && best <= 2)
			snprintf(err, errlen, "unknown command \"%s\" (did you mean %s?)",
				 vname, near);
		else
			snprintf(err, errlen, "unknown command \"%s\"", vname);
		return ARGS_USAGE;
	}
	a->argc = argc - optind - 1;
	a->argv = argv + optind + 1;
	if (help)
		return ARGS_HELP;
	if (a->verb->id == V_HELP) {
		if (a->argc > 1) {
			snprintf(err, errlen, "help takes at most one COMMAND");
			return ARGS_USAGE;
		}
		a->verb = a->argc ? args_find_verb(a->argv[0]) : NULL;
		if (a->argc && !a->verb) {
			snprintf(err, errlen, "no command \"%s\"", a->argv[0]);
			return ARGS_USAGE;
		}
		return ARGS_HELP;
	}

	/* options the verb does not take */
	bad = a->given & ~(a->verb->opts | OPT_GLOBAL);
	if (bad) {
		for (i = 0; !(bad & (1ull << i)); i++)
			;
		snprintf(err, errlen, "%s does not take %s", a->verb->name, opt_names[i]);
		return ARGS_USAGE;
	}
	if (a->verb->id == V_EXPORT)
		return parse_export(a, err, errlen);
	if (a->given & OPT_PARSEABLE) {
		if (!a->fields) {
			snprintf(err, errlen,
				 "-p needs -o FIELD,... so scripts name what they parse (with -j, -p is --pretty)");
			return ARGS_USAGE;
		}
		a->fmt = OUT_PARSEABLE;
	}
	if ((a->given & OPT_NO_WAIT) && (a->given & OPT_TIMEOUT)) {
		snprintf(err, errlen, "--no-wait and --timeout exclude each other");
		return ARGS_USAGE;
	}
	if (a->given & OPT_NO_WAIT)
		a->timeout_ms = 0;
	if (a->verb->id == V_SET && a->reset_pref < 0) {
		snprintf(err, errlen, "set needs a setting: --reset-pref METHOD");
		return ARGS_USAGE;
	}
	if ((a->verb->id == V_CLAIM || a->verb->id == V_UNCLAIM ||
	     a->verb->id == V_ASSIGN || a->verb->id == V_TAKE ||
	     a->verb->id == V_RUN) && !a->owner) {
		snprintf(err, errlen, "%s needs --owner ID", a->verb->name);
		return ARGS_USAGE;
	}
	if (a->given & OPT_FORMAT) {
		if (!out_is_json(a->fmt)) {
			snprintf(err, errlen, "--format %s is JSON: it needs -j",
				 a->format == FORMAT_SYSINFO ? "sysinfo" : "assignable");
			return ARGS_USAGE;
		}
		if (a->given & OPT_OUTPUT) {
			snprintf(err, errlen, "--format and -o exclude each other (the format has its keys)");
			return ARGS_USAGE;
		}
	}
	if (a->verb->id == V_ADD && (a->given & OPT_VFS)) {
		if (a->force) {
			snprintf(err, errlen, "add --vfs does not reserve the PF: it does not take --force");
			return ARGS_USAGE;
		}
		if (a->argc != 1) {
			snprintf(err, errlen, "add --vfs COUNT takes one PF%s%s%s",
				 a->argc ? " (\"" : "", a->argc ? a->argv[1] : "",
				 a->argc ? "\" is one too many)" : "");
			return ARGS_USAGE;
		}
	}
	if (a->verb->id == V_SRIOV && a->argc == 2 &&
	    vfs_count_parse(a->argv[1], &a->numvfs)) {
		snprintf(err, errlen,
			 "sriov: VF count \"%s\" is not a decimal number from 0 to %d",
			 a->argv[1], VFS_COUNT_MAX);
		return ARGS_USAGE;
	}
	if (a->verb->id == V_CLAIM || a->verb->id == V_RUN) {
		int ways = !!a->argc + !!a->variant + !!a->match;

		if (ways == 0) {
			snprintf(err, errlen, "%s needs DEVICE..., --variant NAME or --match IDS",
				 a->verb->name);
			return ARGS_USAGE;
		}
		if (ways > 1) {
			snprintf(err, errlen,
				 "%s takes one of DEVICE..., --variant and --match, not %s",
				 a->verb->name, !a->argc ? "--variant and --match" :
				 a->variant ? "DEVICE and --variant" : "DEVICE and --match");
			return ARGS_USAGE;
		}
		if (a->argc > PPT_CLAIM_MAX) {
			snprintf(err, errlen, "%s names at most %d devices", a->verb->name,
				 PPT_CLAIM_MAX);
			return ARGS_USAGE;
		}
	}
	if (a->verb->id == V_RUN) {
		if (dashes < 0 || !a->cmd_argc) {
			snprintf(err, errlen, "run needs -- COMMAND [ARG...] after its options");
			return ARGS_USAGE;
		}
		return ARGS_OK;
	}
	if (a->verb->id == V_UNCLAIM) {
		if (a->all && a->argc) {
			snprintf(err, errlen, "unclaim takes DEVICE... or --all, not both");
			return ARGS_USAGE;
		}
		if (!a->all && !a->argc) {
			snprintf(err, errlen, "unclaim needs DEVICE... or --all");
			return ARGS_USAGE;
		}
		return ARGS_OK;
	}
	if (a->verb->id == V_CLEAN) {
		if (a->all_dirty && a->argc) {
			snprintf(err, errlen, "clean takes DEVICE... or --all-dirty, not both");
			return ARGS_USAGE;
		}
		if (!a->all_dirty && !a->argc) {
			snprintf(err, errlen, "clean needs DEVICE... or --all-dirty");
			return ARGS_USAGE;
		}
		if (a->inspect && (a->all_dirty || a->method >= 0)) {
			snprintf(err, errlen, "clean --inspect resets nothing: it takes neither %s",
				 a->all_dirty ? "--all-dirty" : "--method");
			return ARGS_USAGE;
		}
		return ARGS_OK;
	}
	if (a->verb->id == V_SANITISE)
		return parse_sanitise(a, err, errlen);
	if (a->verb->id == V_AGENT)
		return parse_agent(a, err, errlen);
	if (a->argc < a->verb->min_args) {
		snprintf(err, errlen, "%s needs %s", a->verb->name,
			 a->verb->max_args == 1 ? "one DEVICE" :
			 a->verb->id == V_MATCH ? "add, del or list" :
			 a->verb->id == V_SRIOV ? "a PF and a VF COUNT" : "at least one DEVICE");
		return ARGS_USAGE;
	}
	if (a->verb->max_args >= 0 && a->argc > a->verb->max_args) {
		if (a->verb->max_args == 0)
			snprintf(err, errlen, "%s takes no arguments (\"%s\" is one too many)",
				 a->verb->name, a->argv[0]);
		else
			snprintf(err, errlen, "%s takes %d argument%s at most (\"%s\" is one too many)",
				 a->verb->name, a->verb->max_args,
				 a->verb->max_args == 1 ? "" : "s",
				 a->argv[a->verb->max_args]);
		return ARGS_USAGE;
	}
	if (a->verb->id == V_MATCH)
		return parse_match(a, err, errlen);
	return ARGS_OK;
}
