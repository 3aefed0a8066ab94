/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * ppt: PCI passthrough reservation — the generic netlink protocol.
 *
 * This header is the single source of the protocol's names and numbers for
 * the kernel module (kernel/), libppt and pptadm (userspace/).  The same
 * protocol is described in docs/netlink/ppt.yaml; tests/userspace checks
 * that the two agree.  Numbers are append-only: never renumber or reuse.
 *
 * Talk to it with generic netlink: resolve the family PPT_GENL_NAME, send
 * commands from enum ppt_cmd carrying attributes from enum ppt_attr, and
 * subscribe to the multicast group PPT_GENL_MCGRP_EVENTS for state changes.
 */
#ifndef _UAPI_LINUX_PPT_H
#define _UAPI_LINUX_PPT_H

#define PPT_GENL_NAME		"ppt"
#define PPT_GENL_VERSION	2
#define PPT_GENL_MCGRP_EVENTS	"events"

/* Longest owner string, including its terminating NUL. */
#define PPT_OWNER_MAX		65

/*
 * Longest topology path (PPT_A_DEV_PATH, the paths= parameter), including
 * its NUL: "7fffffff:ff" and 16 hops of "/1f.7".
 */
#define PPT_PATH_MAX		92

/* Most devices one %PPT_CMD_CLAIM names or claims. */
#define PPT_CLAIM_MAX		256

/*
 * Longest sanitiser spec (%PPT_A_SANITISER, %PPT_A_DEV_SANITISER),
 * including its NUL.
 */
#define PPT_SANITISER_MAX	128

/*
 * Longest %PPT_A_SANITISE_METHOD, %PPT_A_SANITISE_VERIFIED and the
 * %PPT_A_REQ_MSG of a %PPT_CMD_SANITISE_DONE, with the terminating NUL.
 */
#define PPT_SANITISE_TEXT_MAX	256

/**
 * enum ppt_state - where a device ppt manages is in its life cycle
 * @PPT_STATE_UNSPEC: not a state; never reported
 * @PPT_STATE_RESERVED: bound to ppt, clean, no owner; can be claimed
 * @PPT_STATE_CLAIMED: bound to ppt, held by an owner, not yet with vfio-pci
 * @PPT_STATE_ASSIGNING: being handed from ppt to vfio-pci (transitional)
 * @PPT_STATE_ASSIGNED: bound to vfio-pci on behalf of its owner
 * @PPT_STATE_UNASSIGNING: being taken back from vfio-pci (transitional)
 * @PPT_STATE_DIRTY: back from a tenant; must be cleaned before reuse
 * @PPT_STATE_CLEANING: being reset and verified (transitional)
 * @PPT_STATE_QUARANTINED: cleaning or the device failed; held until an
 *	administrator clears it
 * @PPT_STATE_RELEASING: being returned to host drivers (transitional)
 * @PPT_STATE_DETACHED: known to ppt (listed, or released behind ppt's
 *	back) but not held by it: bound to another driver or to none; ppt
 *	does not touch it
 * @PPT_STATE_RESERVING: being taken from its host driver for ppt
 *	(transitional)
 * @PPT_STATE_RESETTING: being reset on request; returns to the state it
 *	came from, or becomes quarantined if the reset fails (transitional)
 * @PPT_STATE_SANITISING: a clean's first step: bound to vfio-pci with the
 *	rest of its IOMMU group while the sanitise agent erases it
 *	(%PPT_CMD_SANITISE_REQ_NTF); no one can claim it.  Ends as the clean
 *	goes on (success), dirty (no agent, a timeout) or quarantined (the
 *	sanitiser failed) (transitional)
 */
enum ppt_state {
	PPT_STATE_UNSPEC,
	PPT_STATE_RESERVED,
	PPT_STATE_CLAIMED,
	PPT_STATE_ASSIGNING,
	PPT_STATE_ASSIGNED,
	PPT_STATE_UNASSIGNING,
	PPT_STATE_DIRTY,
	PPT_STATE_CLEANING,
	PPT_STATE_QUARANTINED,
	PPT_STATE_RELEASING,
	PPT_STATE_DETACHED,
	PPT_STATE_RESERVING,
	PPT_STATE_RESETTING,
	PPT_STATE_SANITISING,

	__PPT_STATE_MAX,
	PPT_STATE_MAX = __PPT_STATE_MAX - 1
};

/*
 * The states' printable names, as an array initializer indexed by enum
 * ppt_state.  The kernel log, pptadm and the netlink spec use these names.
 */
#define PPT_STATE_NAMES {					\
	[PPT_STATE_UNSPEC]	= "unspec",			\
	[PPT_STATE_RESERVED]	= "reserved",			\
	[PPT_STATE_CLAIMED]	= "claimed",			\
	[PPT_STATE_ASSIGNING]	= "assigning",			\
	[PPT_STATE_ASSIGNED]	= "assigned",			\
	[PPT_STATE_UNASSIGNING]	= "unassigning",		\
	[PPT_STATE_DIRTY]	= "dirty",			\
	[PPT_STATE_CLEANING]	= "cleaning",			\
	[PPT_STATE_QUARANTINED]	= "quarantined",		\
	[PPT_STATE_RELEASING]	= "releasing",			\
	[PPT_STATE_DETACHED]	= "detached",			\
	[PPT_STATE_RESERVING]	= "reserving",			\
	[PPT_STATE_RESETTING]	= "resetting",			\
	[PPT_STATE_SANITISING]	= "sanitising",			\
}

/**
 * enum ppt_reset_method - how a device is reset
 * @PPT_RESET_AUTO: the device's reset preference if it has one
 *	(%PPT_A_DEV_RESET_PREF), else the PCI core's own method order, as
 *	sysfs reset_method shows it (an administrator may have changed it):
 *	device_specific, acpi, flr, pm, bus by default; a bus reset of the
 *	whole reset domain only when the core has no method that works for
 *	the function alone (a multi-function slot)
 * @PPT_RESET_FLR: Function Level Reset (PCIe FLR, or conventional PCI
 *	Advanced Features FLR)
 * @PPT_RESET_PM: power-management reset: D0 -> D3hot -> D0, on devices
 *	that do not advertise No_Soft_Reset
 * @PPT_RESET_SBR: secondary bus reset of the parent bridge, which resets
 *	every function below it: ppt runs it for the whole reset domain, and
 *	only when it holds every function there and none has a tenant
 * @PPT_RESET_DEVICE_SPECIFIC: the PCI core's device-specific reset: a
 *	quirk for that model (some NVMe and GPUs), or one a driver such as
 *	vendor-reset registers
 * @PPT_RESET_ACPI: the platform's ACPI _RST method for the device
 *
 * Bit i of %PPT_A_DEV_RESET_METHODS is set when method i is supported.
 */
enum ppt_reset_method {
	PPT_RESET_AUTO,
	PPT_RESET_FLR,
	PPT_RESET_PM,
	PPT_RESET_SBR,
	PPT_RESET_DEVICE_SPECIFIC,
	PPT_RESET_ACPI,

	__PPT_RESET_MAX,
	PPT_RESET_MAX = __PPT_RESET_MAX - 1
};

/* The reset methods' names (pptadm, the kernel log, the netlink spec). */
#define PPT_RESET_NAMES {					\
	[PPT_RESET_AUTO]	= "auto",			\
	[PPT_RESET_FLR]		= "flr",			\
	[PPT_RESET_PM]		= "pm",				\
	[PPT_RESET_SBR]		= "sbr",			\
	[PPT_RESET_DEVICE_SPECIFIC] = "device_specific",	\
	[PPT_RESET_ACPI]	= "acpi",			\
}

/**
 * enum ppt_stats_op - which operation a %PPT_CMD_STATS_GET series counts
 * @PPT_STATS_OP_RESET: resets asked for with %PPT_CMD_DEVICE_RESET
 * @PPT_STATS_OP_CLEAN: cleans: %PPT_CMD_DEVICE_CLEAN, automatic cleans,
 *	and the clean a release of a tainted device runs first
 */
enum ppt_stats_op {
	PPT_STATS_OP_RESET,
	PPT_STATS_OP_CLEAN,

	__PPT_STATS_OP_MAX,
	PPT_STATS_OP_MAX = __PPT_STATS_OP_MAX - 1
};

/**
 * enum ppt_cmd - commands and notifications of the ppt family
 * @PPT_CMD_UNSPEC: invalid
 * @PPT_CMD_DEVICE_GET: get one device (doit, by %PPT_A_DEV_ADDR) or every
 *	device ppt knows (dumpit).  Open to everyone.  Replies carry the
 *	device attributes.  A dump that spans several messages and races with
 *	changes is flagged NLM_F_DUMP_INTR: dump again.
 * @PPT_CMD_DEVICE_RESERVE: take a device for ppt (%PPT_A_DEV_ADDR).  A
 *	device bound to a host driver is taken only with %PPT_A_FORCE, and
 *	a network device the host uses (it, or a bridge, bond, VLAN or other
 *	upper device above it, is up with an address) only with
 *	%PPT_A_FORCE_HOST too.  A device that comes from a driver that works
 *	for someone else (vfio-pci and its variants, uio_pci_generic,
 *	pci-stub, xen-pciback) is dirty: it may hold a tenant's data.
 *	Asynchronous.  Bridges are never reserved.
 * @PPT_CMD_DEVICE_RELEASE: give a reserved, dirty, quarantined or detached
 *	device back to host drivers (%PPT_A_DEV_ADDR); ppt forgets it.  A
 *	device that may hold a tenant's data (%PPT_A_DEV_TAINTED) is cleaned
 *	first, and stays (quarantined) when the clean fails; %PPT_A_UNCLEAN
 *	releases it as it is.  Asynchronous.
 * @PPT_CMD_DEVICE_CLAIM: give a reserved device an owner (%PPT_A_DEV_ADDR,
 *	%PPT_A_DEV_OWNER), with every other endpoint of its IOMMU group,
 *	which must be reserved too (as %PPT_CMD_CLAIM).  Synchronous.
 * @PPT_CMD_DEVICE_UNCLAIM: make a claimed device reserved again, with the
 *	other endpoints of its IOMMU group that the same owner claimed
 *	(%PPT_A_DEV_ADDR, %PPT_A_DEV_OWNER, which must match).  Synchronous.
 * @PPT_CMD_DEVICE_ASSIGN: hand a claimed device, with every other endpoint
 *	of its IOMMU group, to vfio-pci (%PPT_A_DEV_ADDR, %PPT_A_DEV_OWNER).
 *	The other endpoints must be reserved or claimed by the same owner; a
 *	device that is not blocks the request and is named in
 *	%PPT_A_BLOCKER_ADDR and %PPT_A_BLOCKER_DRIVER.  With %PPT_A_RECYCLE
 *	the assignment recycles: each time its VFIO user closes the device,
 *	ppt takes the group back, cleans it and assigns it to the same owner
 *	again.  Asynchronous.
 * @PPT_CMD_DEVICE_UNASSIGN: take an assigned device and its group back
 *	from vfio-pci; they become dirty (%PPT_A_DEV_ADDR, optionally
 *	%PPT_A_DEV_OWNER, which must then match).  Endpoints of the group
 *	that already left vfio-pci (dirty) stay dirty.  Fails at once with
 *	EBUSY while a VFIO user (a VM) holds the group.  Ends a recycling
 *	assignment.  Asynchronous.
 * @PPT_CMD_DEVICE_NTF: notification on the events group: a device changed
 *	state (or, with %PPT_A_DEV_REMOVED, left ppt); carries the device
 *	attributes and %PPT_A_EVENT_SEQ.
 * @PPT_CMD_REQUEST_NTF: notification on the events group: an asynchronous
 *	request finished; carries %PPT_A_REQ_ID, %PPT_A_REQ_CMD,
 *	%PPT_A_DEV_ADDR (absent for %PPT_CMD_MATCH_ADD), %PPT_A_REQ_ERRNO
 *	(0 on success), on failure %PPT_A_REQ_MSG and any blocker, for
 *	%PPT_CMD_MATCH_ADD the devices it reserved as %PPT_A_CLAIM_ADDR, and
 *	%PPT_A_EVENT_SEQ.
 * @PPT_CMD_DEVICE_RESET: reset a reserved, dirty or quarantined device
 *	(%PPT_A_DEV_ADDR, optionally %PPT_A_RESET_METHOD, default auto).
 *	A method other than auto must be in the device's list (sysfs
 *	reset_method).  A physical function is not reset while one of its
 *	virtual functions is with another driver.
 *	Config space is saved before and restored after.  The device returns
 *	to the state it had; a failed reset quarantines it.  A reset does not
 *	make a dirty device clean: only %PPT_CMD_DEVICE_CLEAN does.
 *	Asynchronous.
 * @PPT_CMD_DEVICE_CLEAN: clean a dirty or quarantined (or, to check it
 *	again, a reserved) device
 *	(%PPT_A_DEV_ADDR, optionally %PPT_A_RESET_METHOD): reset it, restore
 *	the config space ppt saved when it reserved the device, and verify
 *	(the device answers with its own ids, bus mastering is off).  Success
 *	makes it reserved; failure quarantines it.  Cleaning a quarantined
 *	device is how an administrator clears it.  Asynchronous.  With
 *	%PPT_A_INSPECT, inspect a reserved device that holds no tenant's data
 *	instead: its sanitiser reads the device's state (an NVMe controller's
 *	baseline) without erasing it; the device goes back to reserved
 *	whatever the outcome.
 * @PPT_CMD_MATCH_ADD: add a runtime match, the twin of a boot list entry:
 *	exactly one of %PPT_A_MATCH_IDS, %PPT_A_MATCH_DEVICE,
 *	%PPT_A_MATCH_PATH or %PPT_A_MATCH_VFS, in the syntax of the ids=,
 *	devices=, paths= and vfs= parameters.  Matching functions that no driver holds are reserved
 *	now; matching functions added later are claimed before host drivers
 *	bind.  Functions bound to a host driver are left alone (reserve them
 *	with %PPT_A_FORCE).  With %PPT_A_DEV_RESET_PREF, the devices the
 *	entry takes from then on get that reset preference.  -EEXIST for a
 *	duplicate.  The entry is added at once; binding the functions no
 *	driver holds is asynchronous: the reply carries %PPT_A_REQ_ID, and the
 *	outcome names the devices reserved.
 * @PPT_CMD_MATCH_DEL: remove a runtime match (the same attribute and text
 *	as it was added with).  Devices it reserved stay reserved.  Boot list
 *	entries cannot be removed (-EPERM).  Synchronous.
 * @PPT_CMD_MATCH_GET: dump every match (dumpit only): one message per
 *	entry with its attribute, %PPT_A_MATCH_BOOT for boot list entries,
 *	and %PPT_A_DEV_RESET_PREF when the entry sets one.  Open to everyone.
 * @PPT_CMD_DEVICE_SET: change a managed device's settings
 *	(%PPT_A_DEV_ADDR; %PPT_A_DEV_RESET_PREF, the method an auto reset or
 *	clean uses for it, which the device must support; auto restores the
 *	default order).  Synchronous.
 * @PPT_CMD_CLAIM: claim several devices for one owner at once, all or
 *	nothing (%PPT_A_DEV_OWNER; candidates: %PPT_A_CLAIM_ADDR, repeated,
 *	and/or %PPT_A_MATCH_IDS, a match in the ids= syntax; optionally
 *	%PPT_A_CLAIM_COUNT and %PPT_A_LEASE).  With both, the candidates are
 *	the listed devices that match.  Without a count every listed device
 *	is claimed (a match alone claims one); with one, that many candidates
 *	are chosen, in address order.  Only reserved devices that are known good are chosen,
 *	and always with every other endpoint of their IOMMU group, which must
 *	be reserved too (a group mate does not count towards the count).  If
 *	the request cannot be met in full nothing is claimed: -EBUSY naming
 *	the listed device that is not available, or -ENOSPC when fewer
 *	candidates are available than asked for.  The reply carries the
 *	claimed devices as %PPT_A_CLAIM_ADDR, in address order.  Synchronous.
 * @PPT_CMD_TAKE: take back the devices an owner holds (%PPT_A_DEV_OWNER,
 *	optionally %PPT_A_LEASE): every claimed or assigned device of that
 *	owner moves to the sender's lease (with %PPT_A_LEASE) or to no lease,
 *	including devices whose lease ended and that wait for their VFIO
 *	device to close; their return is cancelled.  This is how a restarted
 *	agent resumes.  The reply lists them as %PPT_A_CLAIM_ADDR; -ENOENT
 *	when the owner holds none.  Synchronous.
 * @PPT_CMD_STATS_GET: dump the statistics the module kept since it
 *	loaded (dumpit only).  Open to everyone.  The first message carries
 *	the totals: %PPT_A_STATS_QUARANTINES, %PPT_A_STATS_LEASE_EXPIRIES
 *	and the duration histograms' bucket bounds, %PPT_A_STATS_BOUND
 *	repeated.  Then one message per series that counted anything: resets
 *	or cleans (%PPT_A_STATS_OP) by the method that ran
 *	(%PPT_A_RESET_METHOD) and outcome (%PPT_A_STATS_FAILED), with
 *	%PPT_A_STATS_COUNT, %PPT_A_STATS_USEC_SUM and %PPT_A_STATS_BUCKET
 *	repeated, one more than there are bounds.  Only resets and cleans
 *	that touched the hardware count; one that covers a whole reset
 *	domain counts once.  A dump that races with a change is flagged
 *	NLM_F_DUMP_INTR: dump again.
 * @PPT_CMD_SANITISE_SET: set the sanitiser policy of a selector: exactly
 *	one of %PPT_A_MATCH_DEVICE (an address), %PPT_A_MATCH_IDS (the ids=
 *	syntax) or %PPT_A_SANITISE_CLASS, and %PPT_A_SANITISER.  An entry
 *	with the same selector is replaced.  The policy says what must erase
 *	a device's data between tenants, beyond the reset of a clean; the
 *	most specific entry that matches a device applies: an address, then
 *	ids, then the longest class.  Built-in defaults: class 0108 (NVMe)
 *	nvme, class 03 (display) bar, every other device none (reset only).
 *	Setting none is logged.  Synchronous.
 * @PPT_CMD_SANITISE_DEL: remove a selector's entry (the same selector
 *	attribute as it was set with).  A built-in default's selector goes
 *	back to its default; -ENOENT when there is nothing to remove.
 *	Synchronous.
 * @PPT_CMD_SANITISE_GET: dump the sanitiser policy (dumpit only): one
 *	message per entry with its selector attribute, %PPT_A_SANITISER,
 *	%PPT_A_MATCH_BOOT for an entry of the sanitise= module parameter and
 *	%PPT_A_SANITISE_DEFAULT for a built-in default.  Open to everyone.
 *	A policy change sends no %PPT_CMD_DEVICE_NTF: dump the devices to see
 *	each one's %PPT_A_DEV_SANITISER.
 * @PPT_CMD_AGENT_REGISTER: make the sending socket ppt's sanitise agent,
 *	until it closes.  One agent at a time: -EBUSY while another socket
 *	is registered.  Requests that waited for an agent are sent to it at
 *	once.  With %PPT_A_INSPECT the agent says it can inspect (read a
 *	device without erasing it); an agent registered without it is sent
 *	no inspection: they fail with -EOPNOTSUPP.  Synchronous.
 * @PPT_CMD_AGENT_GET: the registered agent: %PPT_A_AGENT_PORTID,
 *	%PPT_A_AGENT_PID and %PPT_A_AGENT_PENDING (doit); -ENOENT when none
 *	is registered.  Open to everyone.
 * @PPT_CMD_SANITISE_REQ_NTF: sent to the agent's socket only (unicast):
 *	erase a device, which ppt has bound to vfio-pci for it:
 *	%PPT_A_DEV_ADDR, %PPT_A_SANITISE_ID, %PPT_A_SANITISER and
 *	%PPT_A_SANITISE_TIMEOUT, and %PPT_A_INSPECT when the sanitiser is
 *	to read the device's state without erasing it.  The agent answers
 *	with %PPT_CMD_SANITISE_DONE once it has closed the device.
 * @PPT_CMD_SANITISE_DONE: the answer to a request, from the agent or a
 *	process working for it (CAP_SYS_ADMIN): %PPT_A_SANITISE_ID,
 *	%PPT_A_DEV_ADDR, %PPT_A_REQ_ERRNO (0: erased and verified),
 *	%PPT_A_REQ_MSG (why it failed), %PPT_A_SANITISE_METHOD and
 *	%PPT_A_SANITISE_VERIFIED.  -ENOENT for an id no request waits for
 *	(it timed out).  Synchronous.
 *
 * Sanitising: a clean (or a release that cleans) of a tainted device
 * whose policy names a sanitiser first moves the device's IOMMU group to
 * vfio-pci (%PPT_STATE_SANITISING; ppt lets go of the group's DMA
 * ownership so the agent can open it) and asks the agent; the request's
 * %PPT_CMD_REQUEST_NTF waits for the whole clean.  Without an agent the
 * request waits agent_wait seconds (a module parameter) for one; an agent
 * gets sanitise_timeout seconds.  No agent or a timeout leaves the device
 * dirty; a sanitiser that failed leaves it quarantined; both with
 * %PPT_A_DEV_REASON.  After a success the group goes back to ppt and the
 * clean's reset runs as without a sanitiser.  A tainted device whose
 * policy names a sanitiser becomes reserved only after one succeeded.
 *
 * Leases: a claim sent with %PPT_A_LEASE (%PPT_CMD_DEVICE_CLAIM or
 * %PPT_CMD_CLAIM) is bound to the sending netlink socket.  When that socket
 * is closed (its process exited or was killed), the lease ends: claimed
 * devices become reserved at once; assigned devices stay with their VM
 * until its VFIO device is closed, then are unassigned and cleaned.  A
 * device that returns to reserved, or is unassigned by its owner, leaves
 * its lease.  Without %PPT_A_LEASE a claim lasts until it is undone.
 *
 * Asynchronous requests are those that wait on hardware or the driver
 * core.  Their handler checks and changes state, replies at once with the
 * command and %PPT_A_REQ_ID, and queues the work; the outcome follows as a
 * %PPT_CMD_REQUEST_NTF with the same %PPT_A_REQ_ID.  Subscribe to the
 * events group before sending so the outcome cannot be missed.  Every
 * command but %PPT_CMD_DEVICE_GET, %PPT_CMD_MATCH_GET,
 * %PPT_CMD_STATS_GET and %PPT_CMD_SANITISE_GET needs
 * CAP_SYS_ADMIN in the initial user namespace; the family exists only in
 * the initial network namespace.
 *
 * %PPT_A_REQ_CMD carries an enum ppt_cmd value.
 */
enum ppt_cmd {
	PPT_CMD_UNSPEC,
	PPT_CMD_DEVICE_GET,
	PPT_CMD_DEVICE_RESERVE,
	PPT_CMD_DEVICE_RELEASE,
	PPT_CMD_DEVICE_CLAIM,
	PPT_CMD_DEVICE_UNCLAIM,
	PPT_CMD_DEVICE_ASSIGN,
	PPT_CMD_DEVICE_UNASSIGN,
	PPT_CMD_DEVICE_NTF,
	PPT_CMD_REQUEST_NTF,
	PPT_CMD_DEVICE_RESET,
	PPT_CMD_DEVICE_CLEAN,
	PPT_CMD_MATCH_ADD,
	PPT_CMD_MATCH_DEL,
	PPT_CMD_MATCH_GET,
	PPT_CMD_DEVICE_SET,
	PPT_CMD_CLAIM,
	PPT_CMD_TAKE,
	PPT_CMD_STATS_GET,
	PPT_CMD_SANITISE_SET,
	PPT_CMD_SANITISE_DEL,
	PPT_CMD_SANITISE_GET,
	PPT_CMD_AGENT_REGISTER,
	PPT_CMD_AGENT_GET,
	PPT_CMD_SANITISE_REQ_NTF,
	PPT_CMD_SANITISE_DONE,

	__PPT_CMD_MAX,
	PPT_CMD_MAX = __PPT_CMD_MAX - 1
};

/**
 * enum ppt_attr - attributes of the ppt family
 * @PPT_A_UNSPEC: invalid
 * @PPT_A_DEV_ADDR: string, the device's PCI address "dddd:bb:dd.f"
 * @PPT_A_DEV_VENDOR: u16, vendor id
 * @PPT_A_DEV_DEVICE: u16, device id
 * @PPT_A_DEV_SUBVENDOR: u16, subsystem vendor id
 * @PPT_A_DEV_SUBDEVICE: u16, subsystem id
 * @PPT_A_DEV_CLASS: u32, 24-bit class code
 * @PPT_A_DEV_REVISION: u8, revision id
 * @PPT_A_DEV_STATE: u32, enum ppt_state
 * @PPT_A_DEV_DRIVER: string, the driver bound now; absent when none
 * @PPT_A_DEV_OWNER: string, the owner (1 to %PPT_OWNER_MAX - 1 bytes);
 *	absent when none
 * @PPT_A_DEV_IOMMU_GROUP: u32, IOMMU group number; absent without IOMMU
 * @PPT_A_DEV_PATH: string, topology path as the paths= parameter takes it
 * @PPT_A_DEV_BOOT_LISTED: flag, a boot list names the device
 * @PPT_A_PAD: padding for 64-bit attributes
 * @PPT_A_FORCE: flag, with %PPT_CMD_DEVICE_RESERVE: take a device from its
 *	host driver
 * @PPT_A_REQ_ID: u64, the id of an asynchronous request
 * @PPT_A_REQ_CMD: u8, the command (a PPT_CMD_ value) of a request
 * @PPT_A_REQ_ERRNO: u32, a finished request's errno (0: success)
 * @PPT_A_REQ_MSG: string, why a request failed
 * @PPT_A_BLOCKER_ADDR: string, the device that made a request fail
 * @PPT_A_BLOCKER_DRIVER: string, that device's driver; absent when none
 * @PPT_A_EVENT_SEQ: u64, the notification's sequence number; a gap means
 *	notifications were lost (socket overrun): dump to resynchronise
 * @PPT_A_DEV_ADOPTED: flag, the device is assigned by someone other than
 *	ppt: it was with vfio-pci when ppt loaded, or was bound to vfio-pci
 *	behind ppt's back while reserved (libvirt's managed hostdev)
 * @PPT_A_DEV_REMOVED: flag, in %PPT_CMD_DEVICE_NTF: ppt no longer knows
 *	the device (released, or removed from the system)
 * @PPT_A_RESET_METHOD: u32, enum ppt_reset_method, with
 *	%PPT_CMD_DEVICE_RESET and %PPT_CMD_DEVICE_CLEAN
 * @PPT_A_DEV_RESET_METHODS: u32, the reset methods the device supports:
 *	bit i set for enum ppt_reset_method i (never for auto)
 * @PPT_A_DEV_LAST_RESET: u32, enum ppt_reset_method that last reset the
 *	device under ppt; absent before the first reset
 * @PPT_A_DEV_LAST_RESET_USEC: u64, how long that reset took, including
 *	the save and restore of config space, in microseconds
 * @PPT_A_DEV_SLOT: string, the physical slot label the platform gives
 *	(ACPI/PCIe slot number); absent where it gives none
 * @PPT_A_MATCH_IDS: string, an ids= entry
 *	"vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]"
 * @PPT_A_MATCH_DEVICE: string, a devices= entry "[domain:]bus:dev.fn"
 * @PPT_A_MATCH_PATH: string, a paths= entry
 *	"[domain:]rootbus/dev.fn[/dev.fn...]"
 * @PPT_A_MATCH_BOOT: flag, in %PPT_CMD_MATCH_GET: the entry comes from a
 *	module parameter (a boot list), not from %PPT_CMD_MATCH_ADD
 * @PPT_A_DEV_RESET_PREF: u32, enum ppt_reset_method: the method a reset or
 *	clean with auto uses for the device; absent (or auto) for the
 *	default order.  Set by %PPT_CMD_DEVICE_SET, or by
 *	%PPT_CMD_MATCH_ADD for the devices the entry takes
 * @PPT_A_CLAIM_ADDR: string, "dddd:bb:dd.f"; may repeat: with
 *	%PPT_CMD_CLAIM a candidate device, in its reply (and %PPT_CMD_TAKE's)
 *	a device claimed
 * @PPT_A_CLAIM_COUNT: u32, with %PPT_CMD_CLAIM: how many candidates to
 *	claim (1 to %PPT_CLAIM_MAX)
 * @PPT_A_LEASE: flag, with %PPT_CMD_DEVICE_CLAIM, %PPT_CMD_CLAIM and
 *	%PPT_CMD_TAKE: bind the claim to the sending socket (a lease)
 * @PPT_A_DEV_LEASE: u32, the netlink port id of the socket whose lease
 *	holds the device; absent without a lease
 * @PPT_A_DEV_LEASE_ENDED: flag, the device's lease ended (its socket
 *	closed): ppt returns it once its VFIO device is closed
 * @PPT_A_DEV_TAINTED: flag, the device may hold a tenant's data or state:
 *	it went to a tenant, came from a driver that works for someone else,
 *	was found dirty at load, or was quarantined.  Only a successful clean
 *	clears it; until then the device is never reserved.
 * @PPT_A_DEV_GATED: flag, ppt holds the DMA ownership of the device's
 *	IOMMU group: no host driver can bind a device of the group and no
 *	VFIO user can open it.  Held while a tainted device of the group is
 *	not with a tenant.
 * @PPT_A_DEV_REASON: string, why the device is quarantined, why it is
 *	still dirty after a clean (its sanitiser did not run or did not
 *	finish), or why ppt could not return it (a lease's unassign that
 *	keeps failing); absent when there is nothing to say
 * @PPT_A_DEV_LAST_RESET_INFERRED: flag, %PPT_A_DEV_LAST_RESET is inferred:
 *	an auto reset ran the PCI core's method order, which does not say
 *	which method worked; ppt names the first one that applies
 * @PPT_A_UNCLEAN: flag, with %PPT_CMD_DEVICE_RELEASE: release a tainted
 *	device without cleaning it (the host gets the tenant's leftovers;
 *	logged)
 * @PPT_A_FORCE_HOST: flag, with %PPT_CMD_DEVICE_RESERVE and %PPT_A_FORCE:
 *	take the device even when the host uses it (see
 *	%PPT_CMD_DEVICE_RESERVE)
 * @PPT_A_MATCH_VFS: string, a vfs= entry "[domain:]bus:dev.fn": every
 *	SR-IOV virtual function of that physical function.  A boot list
 *	entry may add "=count", the number of VFs ppt enables; a runtime
 *	entry may not (set the count with sriov_numvfs).
 * @PPT_A_STATS_OP: u32, enum ppt_stats_op, in %PPT_CMD_STATS_GET: the
 *	series' operation
 * @PPT_A_STATS_FAILED: flag, in %PPT_CMD_STATS_GET: the series counts
 *	the resets or cleans that failed (absent: those that succeeded)
 * @PPT_A_STATS_COUNT: u64, in %PPT_CMD_STATS_GET: how many the series
 *	counted
 * @PPT_A_STATS_USEC_SUM: u64, in %PPT_CMD_STATS_GET: the sum of their
 *	durations, in microseconds (as %PPT_A_DEV_LAST_RESET_USEC)
 * @PPT_A_STATS_BUCKET: u64, repeated, in %PPT_CMD_STATS_GET: how many
 *	took at most the matching %PPT_A_STATS_BOUND and more than the one
 *	before (not cumulative); the last one counts those longer than the
 *	last bound
 * @PPT_A_STATS_BOUND: u64, repeated, in %PPT_CMD_STATS_GET: the upper
 *	bounds of the duration buckets, in microseconds, increasing
 * @PPT_A_STATS_QUARANTINES: u64, in %PPT_CMD_STATS_GET: how many times a
 *	device was moved into quarantined (a bus reset that fails counts
 *	each function of its domain)
 * @PPT_A_STATS_LEASE_EXPIRIES: u64, in %PPT_CMD_STATS_GET: how many
 *	leases ended (their socket closed) while they held devices; one per
 *	lease, however many devices it held
 * @PPT_A_RECYCLE: flag, with %PPT_CMD_DEVICE_ASSIGN: the assignment
 *	recycles (see there)
 * @PPT_A_DEV_RECYCLE: flag, the device's assignment recycles: it is
 *	assigned, or on its way back to its owner through a clean
 * @PPT_A_DEV_RECYCLES: u32, how many times the device was cleaned and
 *	given back to its owner since the recycling assignment was made;
 *	present with %PPT_A_DEV_RECYCLE
 * @PPT_A_SANITISER: string, a sanitiser spec: "none", "nvme[:METHOD]"
 *	(METHOD auto, sanitize-crypto, sanitize-block, format-crypto,
 *	format-user, write-zeroes or overwrite), "bar[:BARS]" (BARS
 *	prefetchable, memory or BAR numbers 0-5 joined by commas) or
 *	"exec:/PATH" (an absolute path, no whitespace or ';'); at most
 *	%PPT_SANITISER_MAX - 1 bytes
 * @PPT_A_SANITISE_CLASS: string, a sanitiser policy selector by class:
 *	2, 4 or 6 hexadecimal digits, the class, class and subclass, or
 *	class, subclass and programming interface ("0108", "03")
 * @PPT_A_SANITISE_DEFAULT: flag, in %PPT_CMD_SANITISE_GET: the entry is a
 *	built-in default
 * @PPT_A_DEV_SANITISER: string, the sanitiser the policy gives the device
 *	now ("none": its clean is a reset only)
 * @PPT_A_SANITISE_ID: u64, a sanitise request's id (unique for the
 *	module's life)
 * @PPT_A_SANITISE_TIMEOUT: u32, seconds ppt gives the agent for a
 *	request before the device is left dirty
 * @PPT_A_SANITISE_METHOD: string, what the sanitiser ran (an NVMe erase
 *	method, "zero" for BARs, the program for exec)
 * @PPT_A_SANITISE_VERIFIED: string, what the sanitiser read back
 * @PPT_A_AGENT_PORTID: u32, the registered agent's netlink port id
 * @PPT_A_AGENT_PID: u32, the process that registered it
 * @PPT_A_AGENT_PENDING: u32, how many sanitise requests are outstanding
 *	(sent to the agent, or waiting for one)
 * @PPT_A_DEV_SANITISED: flag, the device was sanitised since it last went
 *	to a tenant, and awaits the rest of its clean
 * @PPT_A_DEV_LAST_SANITISER: string, the sanitiser the last sanitise of
 *	the device ran; absent before the first one.  With it:
 * @PPT_A_DEV_LAST_SANITISE_TIME: u64, when it ended, seconds since the
 *	epoch
 * @PPT_A_DEV_LAST_SANITISE_USEC: u64, how long it took, from the request
 *	to the answer (or the timeout), in microseconds
 * @PPT_A_DEV_LAST_SANITISE_ERRNO: u32, its outcome (0: erased and
 *	verified)
 * @PPT_A_DEV_LAST_SANITISE_METHOD: string, %PPT_A_SANITISE_METHOD of its
 *	answer; absent when there was none
 * @PPT_A_DEV_LAST_SANITISE_VERIFIED: string, %PPT_A_SANITISE_VERIFIED of
 *	its answer; absent when there was none
 * @PPT_A_DEV_LAST_SANITISE_MSG: string, why it failed; absent on success
 * @PPT_A_INSPECT: flag, with %PPT_CMD_DEVICE_CLEAN: inspect a reserved
 *	device instead of cleaning it; in a %PPT_CMD_SANITISE_REQ_NTF: the
 *	request is such an inspection (read, do not erase); with
 *	%PPT_CMD_AGENT_REGISTER: the agent can be sent inspections
 */
enum ppt_attr {
	PPT_A_UNSPEC,
	PPT_A_DEV_ADDR,
	PPT_A_DEV_VENDOR,
	PPT_A_DEV_DEVICE,
	PPT_A_DEV_SUBVENDOR,
	PPT_A_DEV_SUBDEVICE,
	PPT_A_DEV_CLASS,
	PPT_A_DEV_REVISION,
	PPT_A_DEV_STATE,
	PPT_A_DEV_DRIVER,
	PPT_A_DEV_OWNER,
	PPT_A_DEV_IOMMU_GROUP,
	PPT_A_DEV_PATH,
	PPT_A_DEV_BOOT_LISTED,
	PPT_A_PAD,
	PPT_A_FORCE,
	PPT_A_REQ_ID,
	PPT_A_REQ_CMD,
	PPT_A_REQ_ERRNO,
	PPT_A_REQ_MSG,
	PPT_A_BLOCKER_ADDR,
	PPT_A_BLOCKER_DRIVER,
	PPT_A_EVENT_SEQ,
	PPT_A_DEV_ADOPTED,
	PPT_A_DEV_REMOVED,
	PPT_A_RESET_METHOD,
	PPT_A_DEV_RESET_METHODS,
	PPT_A_DEV_LAST_RESET,
	PPT_A_DEV_LAST_RESET_USEC,
	PPT_A_DEV_SLOT,
	PPT_A_MATCH_IDS,
	PPT_A_MATCH_DEVICE,
	PPT_A_MATCH_PATH,
	PPT_A_MATCH_BOOT,
	PPT_A_DEV_RESET_PREF,
	PPT_A_CLAIM_ADDR,
	PPT_A_CLAIM_COUNT,
	PPT_A_LEASE,
	PPT_A_DEV_LEASE,
	PPT_A_DEV_LEASE_ENDED,
	PPT_A_DEV_TAINTED,
	PPT_A_DEV_GATED,
	PPT_A_DEV_REASON,
	PPT_A_DEV_LAST_RESET_INFERRED,
	PPT_A_UNCLEAN,
	PPT_A_FORCE_HOST,
	PPT_A_MATCH_VFS,
	PPT_A_STATS_OP,
	PPT_A_STATS_FAILED,
	PPT_A_STATS_COUNT,
	PPT_A_STATS_USEC_SUM,
	PPT_A_STATS_BUCKET,
	PPT_A_STATS_BOUND,
	PPT_A_STATS_QUARANTINES,
	PPT_A_STATS_LEASE_EXPIRIES,
	PPT_A_RECYCLE,
	PPT_A_DEV_RECYCLE,
	PPT_A_DEV_RECYCLES,
	PPT_A_SANITISER,
	PPT_A_SANITISE_CLASS,
	PPT_A_SANITISE_DEFAULT,
	PPT_A_DEV_SANITISER,
	PPT_A_SANITISE_ID,
	PPT_A_SANITISE_TIMEOUT,
	PPT_A_SANITISE_METHOD,
	PPT_A_SANITISE_VERIFIED,
	PPT_A_AGENT_PORTID,
	PPT_A_AGENT_PID,
	PPT_A_AGENT_PENDING,
	PPT_A_DEV_SANITISED,
	PPT_A_DEV_LAST_SANITISER,
	PPT_A_DEV_LAST_SANITISE_TIME,
	PPT_A_DEV_LAST_SANITISE_USEC,
	PPT_A_DEV_LAST_SANITISE_ERRNO,
	PPT_A_DEV_LAST_SANITISE_METHOD,
	PPT_A_DEV_LAST_SANITISE_VERIFIED,
	PPT_A_DEV_LAST_SANITISE_MSG,
	PPT_A_INSPECT,

	__PPT_A_MAX,
	PPT_A_MAX = __PPT_A_MAX - 1
};

#endif /* _UAPI_LINUX_PPT_H */
