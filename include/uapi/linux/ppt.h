/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
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
#define PPT_GENL_VERSION	1
#define PPT_GENL_MCGRP_EVENTS	"events"

/* Longest owner string, including its terminating NUL. */
#define PPT_OWNER_MAX		65

/*
 * Longest topology path (PPT_A_DEV_PATH, the paths= parameter), including
 * its NUL: "7fffffff:ff" and 16 hops of "/1f.7".
 */
#define PPT_PATH_MAX		92

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
}

/**
 * enum ppt_cmd - commands of the ppt family
 * @PPT_CMD_UNSPEC: invalid
 * @PPT_CMD_DEVICE_GET: get one device (doit, by %PPT_A_DEV_ADDR) or every
 *	device ppt manages (dumpit).  Open to everyone.  Replies carry
 *	%PPT_CMD_DEVICE_GET with the device attributes.
 */
enum ppt_cmd {
	PPT_CMD_UNSPEC,
	PPT_CMD_DEVICE_GET,

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
 * @PPT_A_DEV_OWNER: string, the owner; absent when none
 * @PPT_A_DEV_IOMMU_GROUP: u32, IOMMU group number; absent without IOMMU
 * @PPT_A_DEV_PATH: string, topology path as the paths= parameter takes it
 * @PPT_A_DEV_BOOT_LISTED: flag, the device matched a boot list entry
 * @PPT_A_PAD: padding for 64-bit attributes
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

	__PPT_A_MAX,
	PPT_A_MAX = __PPT_A_MAX - 1
};

#endif /* _UAPI_LINUX_PPT_H */
