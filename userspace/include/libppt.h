/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libppt: a C client of the "ppt" generic netlink family.
 *
 * Build against it with `pkg-config --cflags --libs libppt`: the headers
 * are installed in PREFIX/include/ppt (this one, and the protocol header
 * <linux/ppt.h> as PREFIX/include/ppt/linux/ppt.h, away from the kernel's
 * own headers), and pkg-config adds that directory to the include path.
 * The shared library's soname is libppt.so.1.
 *
 * ERRORS
 *
 * Every call that can fail returns 0 (or the documented non-negative
 * value) on success, or a negative errno.  When a request failed,
 * ppt_errmsg() explains it until the next call on the same handle: the
 * kernel's extended ack message, an asynchronous request's failure
 * message, or libppt's own reason for a request it refused to send.
 *
 * ABI
 *
 * libppt grows without breaking programs built against an older libppt.so.1:
 *  - what the kernel reports (devices, events, request outcomes, match
 *    entries) and what a claim asks for are opaque objects reached through
 *    calls: a field added later is a new call, never a changed layout;
 *  - options are a flags word (unsigned int flags) of named PPT_* bits; a
 *    call refuses a bit it does not know with -EINVAL, so a program built
 *    for a newer libppt fails clearly on an older one;
 *  - every exported symbol carries a version node (LIBPPT_1.0, ...): calls
 *    added later are in later nodes, so a program that uses them does not
 *    start against an older libppt.so.1 instead of failing at the call.
 * An incompatible change gets a new soname (make check compares the
 * library with a recorded baseline: tests/userspace/check-abi.sh).
 *
 * MEMORY
 *
 * What a call returns belongs to the caller, who frees it with the call
 * named in its description (ppt_dev_free(), ppt_dev_list_free(),
 * ppt_req_free(), ppt_req_list_free(), ppt_match_list_free(),
 * ppt_event_free(), ppt_addrs_free(), ppt_claim_spec_free(),
 * ppt_sanitise_req_free(), ppt_agent_free()); every one of
 * them takes NULL.  A string or object a getter returns belongs to the
 * object it came from and lives as long as it (ppt_event_dev()'s device
 * is the event's).  ppt_errmsg() and ppt_blocker() return the handle's
 * strings, valid until the next call on that handle.  libppt keeps no
 * pointer the caller passed in once a call returns: it copies what it
 * keeps.  Each call's "Memory:" note says what it allocates.
 *
 * THREADS
 *
 * A handle is not thread-safe: use one handle per thread, or serialise
 * every call that takes the handle (ppt_errmsg() reads what the last call
 * left there).  Different handles may be used in different threads at the
 * same time.  Objects are immutable once returned: their getters may run
 * in several threads at once, but freeing an object must not race with
 * them.  Calls without a handle (the getters, names and parsing at the
 * end of this header) are thread-safe.  libppt keeps no global state and
 * installs no signal handler; a call blocked waiting for an outcome is
 * interrupted only by its timeout.  Each call's "Threads:" note says when
 * it differs from these rules.
 *
 * VERSIONS OF THE MODULE AND OF LIBPPT
 *
 * After an upgrade the loaded ppt module and libppt may be of different
 * releases (a DKMS upgrade installs a module that loads only at the next
 * boot, or the other way round).  The protocol only grows: numbers are
 * never reused, attributes and commands are only added, and the family's
 * version (PPT_GENL_VERSION) counts incompatible changes of behaviour.
 *
 *  - A newer libppt with an older module: libppt asks the kernel, once
 *    per handle and when first needed, for the family's version, its
 *    commands and the attributes each command's policy accepts
 *    (CTRL_CMD_GETFAMILY and CTRL_CMD_GETPOLICY).  A call that needs a
 *    command or attribute the module lacks fails with -EOPNOTSUPP before
 *    anything is sent, and ppt_errmsg() names what is missing and both
 *    versions ("load the matching module").  Everything else works:
 *    device attributes an older module does not report read as absent
 *    (ppt_dev_has_attr() tells), and a module of protocol 1 adds a match
 *    synchronously (no request id, no outcome).  ppt_family_version(),
 *    ppt_supports_cmd() and ppt_supports_attr() let a program ask first.
 *  - An older libppt with a newer module: the kernel's replies and events
 *    carry attributes the older libppt does not know, which it ignores;
 *    the requests it sends mean what they meant.  What it cannot ask for
 *    it cannot have (libppt.so.0 cannot release a tainted device unclean,
 *    nor take a device the host uses, nor see the devices a match
 *    reserved).  libppt.so.0 and libppt.so.1 can be installed side by side.
 */
#ifndef LIBPPT_H
#define LIBPPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ppt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "dddd:bb:dd.f" with a domain of up to eight digits, plus NUL. */
#define PPT_ADDR_BUFLEN	17
/* A topology path (PPT_A_DEV_PATH) with its NUL. */
#define PPT_PATH_BUFLEN	PPT_PATH_MAX
/* A match entry with its NUL: the longest is a path. */
#define PPT_MATCH_BUFLEN PPT_PATH_MAX

/* timeout_ms: wait as long as it takes */
#define PPT_WAIT_FOREVER	(-1)

struct ppt_handle;

/**
 * ppt_open() - connect to the ppt family
 * @out: receives the handle
 *
 * Memory: the handle is the caller's; ppt_close() frees it.
 *
 * Return: 0; -ENOENT when the family is not registered (ppt not loaded,
 * or the caller is outside the initial network namespace); -ENOMEM; or
 * another negative errno from the socket layer.
 */
int ppt_open(struct ppt_handle **out);

/**
 * ppt_close() - close a handle and any event subscription
 *
 * NULL is allowed.  Leases of the handle's socket (%PPT_CLAIM_LEASE) end.
 */
void ppt_close(struct ppt_handle *h);

/**
 * ppt_errmsg() - why the last call on @h failed
 *
 * Memory: the handle's, valid until the next call on @h.
 *
 * Return: the kernel's extended ack text, an asynchronous request's failure
 * message, libppt's own reason when it refused to send a request (a
 * malformed address, say, or an attribute the loaded module lacks),
 * "missing attribute NAME" or "invalid attribute NAME" when the kernel
 * named an attribute without giving a message, or NULL when there is none.
 */
const char *ppt_errmsg(const struct ppt_handle *h);

/**
 * ppt_err_attr() - the attribute the kernel's refusal pointed at
 * @missing: if not NULL, set to true when the request lacked it, false
 *	when it carried it but the kernel rejected its value
 *
 * Return: the enum ppt_attr value (ppt_attr_name() spells it), or -1 when
 * the last call's refusal named none.
 */
int ppt_err_attr(const struct ppt_handle *h, bool *missing);

/**
 * ppt_blocker() - the device that made the last call fail
 * @driver: if not NULL, receives that device's driver ("" when none)
 *
 * Memory: the handle's strings, valid until the next call on @h.
 *
 * Return: its PCI address, or NULL when no device blocked the call.
 */
const char *ppt_blocker(const struct ppt_handle *h, const char **driver);

/** ppt_handle_portid() - the netlink port id of @h's socket (its leases' id) */
uint32_t ppt_handle_portid(const struct ppt_handle *h);

/*
 * What the loaded module supports.  libppt asks the kernel once per handle
 * (again after the module was reloaded, when subscribed to events) and
 * checks every request against the answer.
 */

/**
 * ppt_family_version() - the protocol version of the loaded module
 *
 * Compare with PPT_GENL_VERSION, the version this libppt was built for.
 *
 * Return: the version (1 or more), or a negative errno when the kernel
 * could not be asked (-ENOENT: ppt is not loaded any more).
 */
int ppt_family_version(struct ppt_handle *h);

/**
 * ppt_supports_cmd() - does the loaded module have command @cmd?
 * @cmd: an enum ppt_cmd value
 *
 * Return: 1 yes, 0 no, or a negative errno as for ppt_family_version().
 */
int ppt_supports_cmd(struct ppt_handle *h, uint32_t cmd);

/**
 * ppt_supports_attr() - does the loaded module take attribute @attr with @cmd?
 * @cmd: an enum ppt_cmd value
 * @attr: an enum ppt_attr value
 *
 * Answers from the command's policy (its doit's; its dumpit's for a
 * command that has none).
 *
 * Return: 1 yes, 0 no (or no such command), -EOPNOTSUPP when the kernel
 * cannot dump policies (before Linux 5.10; requests are then sent
 * unchecked), or another negative errno as for ppt_family_version().
 */
int ppt_supports_attr(struct ppt_handle *h, uint32_t cmd, uint32_t attr);

/*
 * Devices.  struct ppt_dev is one device as the kernel reported it: a
 * snapshot, which does not change when the device does.  A string getter
 * returns NULL when the kernel did not send that attribute.
 */
struct ppt_dev;

/** ppt_dev_addr() - PCI address, "0000:01:00.0" */
const char *ppt_dev_addr(const struct ppt_dev *d);
/** ppt_dev_vendor() - vendor id */
uint16_t ppt_dev_vendor(const struct ppt_dev *d);
/** ppt_dev_device() - device id */
uint16_t ppt_dev_device(const struct ppt_dev *d);
/** ppt_dev_subvendor() - subsystem vendor id */
uint16_t ppt_dev_subvendor(const struct ppt_dev *d);
/** ppt_dev_subdevice() - subsystem id */
uint16_t ppt_dev_subdevice(const struct ppt_dev *d);
/** ppt_dev_class() - 24-bit class code */
uint32_t ppt_dev_class(const struct ppt_dev *d);
/** ppt_dev_revision() - revision id */
uint8_t ppt_dev_revision(const struct ppt_dev *d);
/** ppt_dev_state() - enum ppt_state (ppt_state_name() spells it) */
uint32_t ppt_dev_state(const struct ppt_dev *d);
/** ppt_dev_driver() - the driver bound now, NULL when none */
const char *ppt_dev_driver(const struct ppt_dev *d);
/** ppt_dev_owner() - the owner, NULL when none */
const char *ppt_dev_owner(const struct ppt_dev *d);
/** ppt_dev_iommu_group() - IOMMU group number, -1 when none */
int64_t ppt_dev_iommu_group(const struct ppt_dev *d);
/** ppt_dev_path() - topology path as the paths= parameter takes it, NULL when unknown */
const char *ppt_dev_path(const struct ppt_dev *d);
/** ppt_dev_slot() - the physical slot label the platform gives, NULL when none */
const char *ppt_dev_slot(const struct ppt_dev *d);
/** ppt_dev_boot_listed() - a boot list names the device */
bool ppt_dev_boot_listed(const struct ppt_dev *d);
/** ppt_dev_adopted() - it was with vfio-pci when ppt loaded and was adopted */
bool ppt_dev_adopted(const struct ppt_dev *d);
/**
 * ppt_dev_reset_methods() - the reset methods the device supports
 *
 * Return: bit i set for enum ppt_reset_method i (never for %PPT_RESET_AUTO).
 */
uint32_t ppt_dev_reset_methods(const struct ppt_dev *d);
/**
 * ppt_dev_last_reset() - the method of ppt's last reset of the device
 *
 * Return: an enum ppt_reset_method, or -1 before the first reset.
 */
int ppt_dev_last_reset(const struct ppt_dev *d);
/** ppt_dev_last_reset_usec() - how long that reset took, in microseconds; 0 before it */
uint64_t ppt_dev_last_reset_usec(const struct ppt_dev *d);
/**
 * ppt_dev_last_reset_inferred() - was the last reset's method inferred?
 *
 * True when an auto reset ran the PCI core's method order, which does not
 * say which method worked: ppt_dev_last_reset() is the first that applies.
 */
bool ppt_dev_last_reset_inferred(const struct ppt_dev *d);
/**
 * ppt_dev_reset_pref() - the method auto resets and cleans use for the device
 *
 * Return: an enum ppt_reset_method, or -1 for the default order.
 */
int ppt_dev_reset_pref(const struct ppt_dev *d);
/**
 * ppt_dev_lease() - the netlink port id of the socket whose lease holds the device
 *
 * Return: the port id (ppt_handle_portid() tells a handle's own), 0 when none.
 */
uint32_t ppt_dev_lease(const struct ppt_dev *d);
/**
 * ppt_dev_lease_ended() - the lease's socket closed
 *
 * The kernel returns the device (once its VFIO device is closed, when assigned).
 */
bool ppt_dev_lease_ended(const struct ppt_dev *d);
/**
 * ppt_dev_tainted() - may the device hold a tenant's data or state?
 *
 * It went to a tenant, came from a driver that works for someone else,
 * was found dirty at load, or was quarantined; only a successful clean
 * clears it.
 */
bool ppt_dev_tainted(const struct ppt_dev *d);
/**
 * ppt_dev_gated() - ppt holds the DMA ownership of the device's IOMMU group
 *
 * No host driver can bind a device of the group, and no VFIO user open it.
 */
bool ppt_dev_gated(const struct ppt_dev *d);
/**
 * ppt_dev_recycle() - is the device's assignment recycled?
 *
 * Assigned with %PPT_ASSIGN_RECYCLE, or on its way back to its owner
 * through a clean.  Since 1.1.
 */
bool ppt_dev_recycle(const struct ppt_dev *d);
/**
 * ppt_dev_recycles() - how many times the device went back to its owner clean
 *
 * Counted since the recycling assignment was made; 0 when not recycled.
 * Since 1.1.
 */
uint32_t ppt_dev_recycles(const struct ppt_dev *d);
/** ppt_dev_reason() - why the device is quarantined or could not be returned; NULL when nothing */
const char *ppt_dev_reason(const struct ppt_dev *d);
/**
 * ppt_dev_sanitiser() - the sanitiser the kernel's policy gives the device
 *
 * "none" when its clean is a reset only; NULL from a module that keeps no
 * sanitiser policy.  See ppt_sanitise_set().  Since 1.2.
 */
const char *ppt_dev_sanitiser(const struct ppt_dev *d);
/**
 * ppt_dev_sanitised() - was the device sanitised since it last went to a tenant?
 *
 * True while it awaits the rest of its clean (the reset) after its
 * sanitiser erased it.  Since 1.3.
 */
bool ppt_dev_sanitised(const struct ppt_dev *d);
/**
 * ppt_dev_last_sanitiser() - the sanitiser the device's last sanitise ran
 *
 * NULL before the first one (and from a module without sanitise agents);
 * the other ppt_dev_last_sanitise_*() calls describe that sanitise, and
 * read as 0 or NULL without it.  Since 1.3.
 */
const char *ppt_dev_last_sanitiser(const struct ppt_dev *d);
/** ppt_dev_last_sanitise_time() - when it ended, seconds since the epoch; 0 when none.  Since 1.3. */
uint64_t ppt_dev_last_sanitise_time(const struct ppt_dev *d);
/**
 * ppt_dev_last_sanitise_usec() - how long it took, in microseconds
 *
 * From the kernel's request to the agent's answer, or to the timeout.
 * Since 1.3.
 */
uint64_t ppt_dev_last_sanitise_usec(const struct ppt_dev *d);
/**
 * ppt_dev_last_sanitise_error() - its outcome
 *
 * Return: 0 when the device was erased and verified, else a negative
 * errno (-ETIMEDOUT when no answer came in time).  Since 1.3.
 */
int ppt_dev_last_sanitise_error(const struct ppt_dev *d);
/** ppt_dev_last_sanitise_method() - what the sanitiser ran (an NVMe erase, "zero", the program); NULL when unsaid.  Since 1.3. */
const char *ppt_dev_last_sanitise_method(const struct ppt_dev *d);
/** ppt_dev_last_sanitise_verified() - what the sanitiser read back; NULL when unsaid.  Since 1.3. */
const char *ppt_dev_last_sanitise_verified(const struct ppt_dev *d);
/** ppt_dev_last_sanitise_msg() - why it failed; NULL on success.  Since 1.3. */
const char *ppt_dev_last_sanitise_msg(const struct ppt_dev *d);

/**
 * ppt_dev_has_attr() - did the kernel report attribute @attr for the device?
 * @attr: an enum ppt_attr value
 *
 * Tells a false flag from one an older module does not report (a module
 * of protocol 1 sends no %PPT_A_DEV_TAINTED), and an absent number from
 * zero.
 *
 * Return: true when the kernel's message carried it; false otherwise, and
 * for attributes newer than this libppt.
 */
bool ppt_dev_has_attr(const struct ppt_dev *d, uint32_t attr);

/**
 * ppt_dev_dup() - a copy of a device, to keep after what held it is freed
 *
 * Memory: the caller's; ppt_dev_free() frees it.
 *
 * Return: the copy, or NULL when out of memory.
 */
struct ppt_dev *ppt_dev_dup(const struct ppt_dev *d);

/** ppt_dev_free() - free a device; NULL is allowed. */
void ppt_dev_free(struct ppt_dev *d);

/** ppt_dev_list_free() - free a list ppt_device_list() returned, and its devices; NULL is allowed. */
void ppt_dev_list_free(struct ppt_dev **list);

/**
 * ppt_device_get() - get one device
 * @addr: a PCI address in any form ppt_addr_normalize() accepts
 * @out: receives the device
 *
 * Memory: *@out is the caller's; ppt_dev_free() frees it.
 *
 * Return: 0, -EINVAL for a malformed address, -ENODEV when ppt does not
 * manage the device, or another negative errno.
 */
int ppt_device_get(struct ppt_handle *h, const char *addr,
		   struct ppt_dev **out);

/**
 * ppt_device_list() - get every device ppt manages
 * @out: receives a NULL-terminated array of devices, in the kernel's
 *	table order
 * @n: receives how many; may be NULL
 *
 * A dump the kernel marks as interrupted by a concurrent change is
 * retried, so the list is one consistent snapshot.
 *
 * Memory: *@out and its devices are the caller's; ppt_dev_list_free()
 * frees them all (ppt_dev_dup() a device to keep it longer).
 *
 * Return: 0, -EAGAIN when the table kept changing, or a negative errno.
 */
int ppt_device_list(struct ppt_handle *h, struct ppt_dev ***out, size_t *n);

/**
 * ppt_device_foreach() - call @cb for every device ppt manages
 * @cb: called once per device, in the kernel's table order; a non-zero
 *	return stops the iteration and becomes foreach's return value
 * @arg: passed to @cb
 *
 * The callbacks run after a consistent snapshot has arrived (as with
 * ppt_device_list()), so @cb sees each device exactly once and may itself
 * call libppt on the same handle, e.g. to reserve the device it is given.
 *
 * Memory: the device @cb gets is freed when @cb returns (ppt_dev_dup() to
 * keep it).
 *
 * Return: 0, the first non-zero value @cb returned, or a negative errno as
 * for ppt_device_list().
 */
int ppt_device_foreach(struct ppt_handle *h,
		       int (*cb)(const struct ppt_dev *dev, void *arg),
		       void *arg);

/*
 * Changing devices needs CAP_SYS_ADMIN (-EPERM otherwise).
 *
 * Reserve, release, assign, unassign, reset, clean and match add complete
 * asynchronously in the kernel: it accepts the request, replies with its
 * id, and announces the outcome later (an event, %PPT_EVENT_REQUEST, with
 * the same id).  These calls wait for the outcome for up to timeout_ms
 * milliseconds (%PPT_WAIT_FOREVER: as long as it takes; -ETIMEDOUT after
 * that, while the operation goes on in the kernel) and return it; with
 * timeout_ms 0 they return once the kernel has accepted the request.
 * They listen for the outcome on a socket of their own, opened before the
 * request is sent, so waiting works with or without an event subscription.
 *
 * req_id, when not NULL, receives the request's id once the kernel has
 * accepted the request, whatever happens next: an event loop that does not
 * wait (timeout_ms 0) matches it with the outcome's ppt_req_id(), and one
 * that stopped waiting (-ETIMEDOUT) can still recognise it.  It is 0 when
 * the request was refused at once or never sent.
 *
 * Every addr is a PCI address in any form ppt_addr_normalize() accepts; a
 * malformed one fails with -EINVAL before anything is sent.  Flag bits a
 * call does not define fail with -EINVAL.
 *
 * Threads: a call that waits blocks its thread (and its handle) until the
 * outcome arrives or timeout_ms runs out.
 */

/* ppt_device_reserve() flags */
#define PPT_RESERVE_FORCE	(1u << 0)	/* take it from its host driver (PPT_A_FORCE) */
#define PPT_RESERVE_FORCE_HOST	(1u << 1)	/* ...even when the host uses it (PPT_A_FORCE_HOST) */

/**
 * ppt_device_reserve() - take a device for ppt
 * @flags: %PPT_RESERVE_FORCE takes a device bound to a host driver; with
 *	it, %PPT_RESERVE_FORCE_HOST also takes one the host uses
 *
 * A forced reserve without %PPT_RESERVE_FORCE_HOST first asks
 * ppt_device_host_use() and refuses a device the host uses, before
 * anything is sent; the kernel refuses, for every client, the network
 * devices it can see the host use (%PPT_CMD_DEVICE_RESERVE).
 *
 * Return: 0; -EINVAL for %PPT_RESERVE_FORCE_HOST without
 * %PPT_RESERVE_FORCE; -EBUSY naming the host driver (ppt_blocker()), or
 * for a device the host uses (ppt_errmsg() says what it found); another
 * negative errno when libppt could not tell whether the host uses it
 * (ppt_errmsg() says why: %PPT_RESERVE_FORCE_HOST takes it anyway); or
 * the kernel's refusal.  A module of protocol 1 has no host check and no
 * %PPT_A_FORCE_HOST: the flag is then not sent, which means the same.
 */
int ppt_device_reserve(struct ppt_handle *h, const char *addr,
		       unsigned int flags, int timeout_ms, uint64_t *req_id);

/**
 * ppt_device_host_use() - what the host uses a PCI function for
 * @addr: the function's address
 * @what: receives what was found, joined by "; ": a network interface up
 *	with an address, on itself or on a bridge, bond, team, VLAN or
 *	macvlan above it ("enp2s0 (bond0 → vmbr0, up, 10.0.2.15/24)"), a
 *	port of an Open vSwitch datapath whose bridge has the address, the
 *	host's root file system over the network; a block device that is
 *	mounted, swap, held by md, dm or bcache, or held exclusively (ZFS,
 *	btrfs): "nvme0n1 (held: zfs_member, pool tank)"
 * @len: size of @what
 *
 * Reads /sys, /proc and the interfaces' addresses; needs no handle and no
 * module.  Threads: safe.  Memory: @what is the caller's.
 *
 * Return: 1 when the host uses the function, 0 when it does not, or a
 * negative errno when it could not tell (@what says why).
 */
int ppt_device_host_use(const char *addr, char *what, size_t len);

/* ppt_device_release() flags */
#define PPT_RELEASE_UNCLEAN	(1u << 0)	/* release a tainted device as it is (PPT_A_UNCLEAN) */

/**
 * ppt_device_release() - give a device back to host drivers
 * @flags: %PPT_RELEASE_UNCLEAN releases a device that may hold a tenant's
 *	data (ppt_dev_tainted()) without cleaning it first; the host gets
 *	the tenant's leftovers
 *
 * Without %PPT_RELEASE_UNCLEAN a tainted device is cleaned first and stays
 * (quarantined) when the clean fails.
 *
 * Return: 0; -EOPNOTSUPP for %PPT_RELEASE_UNCLEAN with a module of
 * protocol 1; or the kernel's refusal.
 */
int ppt_device_release(struct ppt_handle *h, const char *addr,
		       unsigned int flags, int timeout_ms, uint64_t *req_id);

/* ppt_device_claim(), ppt_claim() and ppt_take() flags */
#define PPT_CLAIM_LEASE		(1u << 0)	/* bind the claim to the handle's socket */

/**
 * ppt_device_claim() - give a reserved device an owner (synchronous)
 * @owner: the owner; NULL sends the request without one, which the kernel
 *	refuses with -EINVAL ("missing owner")
 * @flags: %PPT_CLAIM_LEASE: the claim ends when @h is closed or its
 *	process dies (see ppt(4), "Leases")
 *
 * The other endpoints of its IOMMU group, which must be reserved, come along.
 */
int ppt_device_claim(struct ppt_handle *h, const char *addr,
		     const char *owner, unsigned int flags);

/**
 * ppt_device_unclaim() - make a device the owner claimed reserved again (synchronous)
 * @flags: none defined yet: 0
 */
int ppt_device_unclaim(struct ppt_handle *h, const char *addr,
		       const char *owner, unsigned int flags);

/* ppt_device_assign() flags */
#define PPT_ASSIGN_RECYCLE	(1u << 0)	/* recycle the assignment (PPT_A_RECYCLE); since 1.1 */

/**
 * ppt_device_assign() - hand a claimed device and its IOMMU group to vfio-pci
 * @flags: %PPT_ASSIGN_RECYCLE: each time the device's VFIO user closes it,
 *	the kernel takes it back, cleans it and assigns it to @owner again,
 *	until @owner unassigns it (see ppt(4), "Recycling assignments")
 *
 * Return: 0; -EBUSY with ppt_blocker() naming the device of the group
 * that blocked it; -EOPNOTSUPP for %PPT_ASSIGN_RECYCLE with a module that
 * cannot recycle; or the kernel's refusal.
 */
int ppt_device_assign(struct ppt_handle *h, const char *addr,
		      const char *owner, unsigned int flags, int timeout_ms,
		      uint64_t *req_id);

/**
 * ppt_device_unassign() - take an assigned device back from vfio-pci
 * @owner: NULL, or the owner, which must then match
 * @flags: none defined yet: 0
 *
 * Return: -EBUSY at once while a VM (a VFIO user) holds the device.
 */
int ppt_device_unassign(struct ppt_handle *h, const char *addr,
			const char *owner, unsigned int flags, int timeout_ms,
			uint64_t *req_id);

/**
 * ppt_device_reset() - reset a reserved, dirty or quarantined device
 * @method: enum ppt_reset_method; %PPT_RESET_AUTO lets the kernel choose
 * @flags: none defined yet: 0
 *
 * The device returns to the state it had; a failed reset quarantines it.
 * A reset does not make a dirty device clean.
 *
 * Return: 0; -EINVAL for a method outside enum ppt_reset_method; the
 * kernel's refusal (e.g. -EOPNOTSUPP when the device lacks the method).
 */
int ppt_device_reset(struct ppt_handle *h, const char *addr, uint32_t method,
		     unsigned int flags, int timeout_ms, uint64_t *req_id);

#define PPT_CLEAN_INSPECT	(1u << 0)	/* inspect, do not clean (PPT_A_INSPECT); since 1.4 */

/**
 * ppt_device_clean() - reset, restore and verify a dirty or quarantined device
 * @method: enum ppt_reset_method; %PPT_RESET_AUTO lets the kernel choose
 * @flags: %PPT_CLEAN_INSPECT inspects a reserved device instead
 *
 * Success makes the device reserved; failure quarantines it.  Cleaning a
 * quarantined device is how an administrator clears it.
 *
 * With %PPT_CLEAN_INSPECT (@method %PPT_RESET_AUTO), the device must be
 * reserved, hold no tenant's data (ppt_dev_tainted()) and have a sanitiser
 * (ppt_dev_sanitiser()): the agent's sanitiser reads its state without
 * erasing it (pptadm's nvme sanitiser keeps the controller's baseline),
 * and the device is reserved again whatever the outcome.  -EOPNOTSUPP
 * from a module older than inspection, or when the registered agent
 * cannot inspect.
 */
int ppt_device_clean(struct ppt_handle *h, const char *addr, uint32_t method,
		     unsigned int flags, int timeout_ms, uint64_t *req_id);

/**
 * ppt_device_set_reset_pref() - the method auto resets and cleans use for a device
 * @method: an enum ppt_reset_method the device supports, or
 *	%PPT_RESET_AUTO for the default order
 * @flags: none defined yet: 0
 *
 * For hardware that resets badly by its first method (a broken FLR).
 * Synchronous (%PPT_CMD_DEVICE_SET).
 *
 * Return: 0; -EINVAL for a method outside enum ppt_reset_method;
 * -EOPNOTSUPP when the device lacks the method; -ENODEV when ppt does not
 * hold the device; or another negative errno.
 */
int ppt_device_set_reset_pref(struct ppt_handle *h, const char *addr,
			      uint32_t method, unsigned int flags);

/*
 * Request outcomes.  struct ppt_req is the outcome of one asynchronous
 * request: from an event (ppt_event_req()), ppt_devices_clean() or
 * ppt_match_add().  A string getter returns NULL when there is nothing.
 */
struct ppt_req;

/** ppt_req_id() - the request's id, as the kernel's reply gave it (0: refused at once) */
uint64_t ppt_req_id(const struct ppt_req *r);
/** ppt_req_cmd() - the request's enum ppt_cmd (ppt_cmd_name() spells it) */
uint32_t ppt_req_cmd(const struct ppt_req *r);
/** ppt_req_addr() - the device the request named; NULL for a match add */
const char *ppt_req_addr(const struct ppt_req *r);
/** ppt_req_error() - 0 on success, else the negative errno it failed with */
int ppt_req_error(const struct ppt_req *r);
/** ppt_req_msg() - why it failed; NULL when the kernel gave no reason */
const char *ppt_req_msg(const struct ppt_req *r);
/** ppt_req_blocker() - the device that made it fail; NULL when none */
const char *ppt_req_blocker(const struct ppt_req *r);
/** ppt_req_blocker_driver() - that device's driver; NULL when none */
const char *ppt_req_blocker_driver(const struct ppt_req *r);
/**
 * ppt_req_device_count() - how many devices the request took
 *
 * For a match add, the devices it reserved (%PPT_A_CLAIM_ADDR); 0 for the
 * other requests.
 */
size_t ppt_req_device_count(const struct ppt_req *r);
/**
 * ppt_req_device() - one of them
 * @i: 0 to ppt_req_device_count() - 1
 *
 * Return: its PCI address, or NULL when @i is out of range.
 */
const char *ppt_req_device(const struct ppt_req *r, size_t i);

/**
 * ppt_req_dup() - a copy of an outcome, to keep after what held it is freed
 *
 * Memory: the caller's; ppt_req_free() frees it.
 *
 * Return: the copy, or NULL when out of memory.
 */
struct ppt_req *ppt_req_dup(const struct ppt_req *r);

/** ppt_req_free() - free an outcome; NULL is allowed. */
void ppt_req_free(struct ppt_req *r);

/** ppt_req_list_free() - free a NULL-terminated array of outcomes and the outcomes; NULL is allowed. */
void ppt_req_list_free(struct ppt_req **list);

/**
 * ppt_devices_clean() - clean several devices side by side
 * @addrs: the devices, @n of them
 * @method: enum ppt_reset_method, for every device
 * @flags: none defined yet: 0
 * @timeout_ms: how long to wait for all the outcomes; 0: do not wait,
 *	%PPT_WAIT_FOREVER: as long as it takes
 * @out: receives a NULL-terminated array of @n outcomes, in the order of
 *	@addrs: each device's canonical address (or the name it was given,
 *	when malformed), its request id (0 when refused at once), its error
 *	(0, or a negative errno with a message and maybe a blocker)
 *
 * Every request is sent before any outcome is awaited, so the kernel
 * cleans the devices concurrently: n devices take about as long as one,
 * where a loop of ppt_device_clean() calls would take n times as long.
 * One device's refusal or failure does not stop the others.  A device
 * another request cleans already (the audio function of a GPU whose slot
 * is reset as one unit) gets that clean's outcome, even when that clean
 * ended before the refusal could be checked; a device that was busy with
 * something that left it dirty is asked again once.  Outcomes not yet
 * known when @timeout_ms runs out are -ETIMEDOUT (the cleans go on in the
 * kernel).
 *
 * Memory: *@out and its outcomes are the caller's, whatever the call
 * returns; ppt_req_list_free() frees them.  *@out is NULL when the call
 * failed before sending anything.
 *
 * Return: 0 when every device was cleaned (with @timeout_ms 0: every
 * request was accepted); else the error of the first device that failed,
 * and ppt_errmsg() counts the failures; or -EINVAL (bad @method or @flags,
 * no devices), -ENOMEM, or the events socket's failure.
 */
int ppt_devices_clean(struct ppt_handle *h, const char *const *addrs,
		      size_t n, uint32_t method, unsigned int flags,
		      int timeout_ms, struct ppt_req ***out);

/*
 * Allocation: claims of several devices, decided by the kernel under one
 * lock, all or nothing.  A struct ppt_claim_spec says what to claim; it is
 * built by the calls below and may be sent any number of times.
 */
struct ppt_claim_spec;

/**
 * ppt_claim_spec_new() - a claim for an owner
 * @owner: the owner (copied); NULL sends the claim without one, which the
 *	kernel refuses ("missing owner")
 *
 * Memory: the caller's; ppt_claim_spec_free() frees it.
 *
 * Return: the claim, or NULL when out of memory.
 */
struct ppt_claim_spec *ppt_claim_spec_new(const char *owner);

/**
 * ppt_claim_spec_add_addr() - add a candidate device
 * @addr: a PCI address (copied; checked by ppt_claim())
 *
 * At most %PPT_CLAIM_MAX candidates can be sent.
 *
 * Return: 0, -EINVAL for a NULL @c or @addr, or -ENOMEM.
 */
int ppt_claim_spec_add_addr(struct ppt_claim_spec *c, const char *addr);

/**
 * ppt_claim_spec_set_match() - candidates by a match
 * @ids: a match in the ids= syntax
 *	("vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]"),
 *	copied; NULL clears it.  With candidate devices as well, the
 *	candidates are the listed devices that match.
 *
 * Return: 0, -EINVAL for a NULL @c, or -ENOMEM.
 */
int ppt_claim_spec_set_match(struct ppt_claim_spec *c, const char *ids);

/**
 * ppt_claim_spec_set_count() - how many candidates to claim
 * @count: 1 to %PPT_CLAIM_MAX; 0 (the default): every listed device, or
 *	one with a match alone
 *
 * Return: 0, or -EINVAL for a NULL @c.
 */
int ppt_claim_spec_set_count(struct ppt_claim_spec *c, unsigned int count);

/** ppt_claim_spec_free() - free a claim; NULL is allowed. */
void ppt_claim_spec_free(struct ppt_claim_spec *c);

/** ppt_addrs_free() - free an address list ppt_claim() or ppt_take() returned; NULL is allowed. */
void ppt_addrs_free(char **addrs);

/**
 * ppt_claim() - claim several devices for an owner, all or nothing
 * @c: what to claim
 * @flags: %PPT_CLAIM_LEASE: the claim ends when @h is closed, or its
 *	process dies (see ppt(4), "Leases")
 * @out: receives a NULL-terminated array of the addresses claimed (with
 *	the IOMMU group mates that came along), in address order; may be NULL
 * @n: receives its length; may be NULL
 *
 * Only reserved, known-good devices are chosen, each with every other
 * endpoint of its IOMMU group.
 *
 * Memory: *@out is the caller's; ppt_addrs_free() frees it.  Set to NULL
 * on failure.
 *
 * Return: 0; -EINVAL for a malformed address, an empty claim or more than
 * %PPT_CLAIM_MAX candidates or devices; -EBUSY when a listed device is not
 * available (ppt_blocker() names it); -ENOSPC when fewer candidates are
 * available than asked for; or the kernel's refusal.  Nothing is claimed
 * unless 0 is returned.
 */
int ppt_claim(struct ppt_handle *h, const struct ppt_claim_spec *c,
	      unsigned int flags, char ***out, size_t *n);

/**
 * ppt_take() - take back every device an owner holds
 * @flags: %PPT_CLAIM_LEASE to put them under @h's lease, 0 for none
 * @out, @n: as for ppt_claim()
 *
 * For an agent restarted after a crash: its devices whose lease ended,
 * including assigned ones waiting for their VM to exit, stay its own.
 *
 * Memory: as for ppt_claim().
 *
 * Return: 0; -ENOENT when the owner holds no device; or a negative errno.
 */
int ppt_take(struct ppt_handle *h, const char *owner, unsigned int flags,
	     char ***out, size_t *n);

/*
 * Runtime matches: the twins of the boot lists (ids=, devices=, paths=,
 * vfs=), in the same syntax.  See %PPT_CMD_MATCH_ADD in <linux/ppt.h>.
 */

/**
 * enum ppt_match_kind - which boot list an entry belongs to
 * @PPT_MATCH_IDS: "vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]"
 * @PPT_MATCH_DEVICE: "[domain:]bus:dev.fn"
 * @PPT_MATCH_PATH: "[domain:]rootbus/dev.fn[/dev.fn...]"
 * @PPT_MATCH_VFS: "[domain:]bus:dev.fn" of an SR-IOV physical function:
 *	every virtual function of that PF.  A boot list entry (vfs=) may add
 *	"=count", the number of VFs ppt enables; a runtime match may not (the
 *	kernel refuses it with -EINVAL: write the PF's sriov_numvfs instead).
 *	Needs a module that knows %PPT_A_MATCH_VFS.
 */
enum ppt_match_kind {
	PPT_MATCH_IDS,
	PPT_MATCH_DEVICE,
	PPT_MATCH_PATH,
	PPT_MATCH_VFS,
};

/* struct ppt_match: one match entry, as ppt_match_list() returns it. */
struct ppt_match;

/** ppt_match_kind() - the entry's list */
enum ppt_match_kind ppt_match_kind(const struct ppt_match *m);
/** ppt_match_text() - the entry as the kernel keeps it */
const char *ppt_match_text(const struct ppt_match *m);
/** ppt_match_boot() - it comes from a module parameter and cannot be deleted */
bool ppt_match_boot(const struct ppt_match *m);
/**
 * ppt_match_reset_pref() - the reset preference the entry gives the devices it takes
 *
 * Return: an enum ppt_reset_method, or -1 when it gives none.
 */
int ppt_match_reset_pref(const struct ppt_match *m);

/** ppt_match_list_free() - free a list ppt_match_list() returned; NULL is allowed. */
void ppt_match_list_free(struct ppt_match **list);

/**
 * ppt_match_add() - add a runtime match
 * @text: the entry; the kernel parses it and names what is wrong
 * @reset_pref: the enum ppt_reset_method the devices the entry takes get
 *	as their preference (see ppt_device_set_reset_pref()), or
 *	%PPT_RESET_AUTO for none
 * @flags: none defined yet: 0
 * @timeout_ms, @req_id: as for the other asynchronous calls: the entry is
 *	added at once; reserving the matching functions no driver holds is
 *	asynchronous
 * @outcome: if not NULL, receives the outcome once it arrived, whose
 *	ppt_req_device() lists the devices the entry reserved; NULL when the
 *	call did not wait for it (@timeout_ms 0, or an error before it)
 *
 * Matching functions that appear later are claimed before host drivers
 * bind.  A module of protocol 1 adds the match synchronously: *@req_id
 * and *@outcome are then 0 and NULL.
 *
 * Memory: *@outcome is the caller's; ppt_req_free() frees it.
 *
 * Return: 0, -EEXIST for a duplicate, -EINVAL for a malformed entry, kind,
 * preference or flags, the outcome's error, or another negative errno.
 */
int ppt_match_add(struct ppt_handle *h, enum ppt_match_kind kind,
		  const char *text, uint32_t reset_pref, unsigned int flags,
		  int timeout_ms, uint64_t *req_id, struct ppt_req **outcome);

/**
 * ppt_match_del() - remove a runtime match (the kind and text it was added with; synchronous)
 * @flags: none defined yet: 0
 *
 * Return: 0, -ENOENT when there is no such entry, -EPERM for a boot list
 * entry, or another negative errno.
 */
int ppt_match_del(struct ppt_handle *h, enum ppt_match_kind kind,
		  const char *text, unsigned int flags);

/**
 * ppt_match_list() - every match entry, boot lists included
 * @out: receives a NULL-terminated array of entries
 * @n: receives how many; may be NULL
 *
 * Memory: *@out and its entries are the caller's; ppt_match_list_free()
 * frees them.
 */
int ppt_match_list(struct ppt_handle *h, struct ppt_match ***out, size_t *n);

/*
 * The sanitiser policy: which sanitiser must erase a device's data between
 * tenants, beyond the reset of a clean.  The kernel keeps it (from boot:
 * the sanitise= module parameter); see %PPT_CMD_SANITISE_SET in
 * <linux/ppt.h> for the selectors, the specs and the built-in defaults.
 * Since 1.2; a module without it fails these calls with -EOPNOTSUPP.
 */

/**
 * enum ppt_sanitise_kind - how a policy entry selects devices
 * @PPT_SANITISE_BY_DEVICE: an address, "[domain:]bus:dev.fn"
 * @PPT_SANITISE_BY_IDS: the ids= syntax,
 *	"vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]"
 * @PPT_SANITISE_BY_CLASS: 2, 4 or 6 hex digits of the class code ("0108")
 */
enum ppt_sanitise_kind {
	PPT_SANITISE_BY_DEVICE,
	PPT_SANITISE_BY_IDS,
	PPT_SANITISE_BY_CLASS,
};

/** ppt_sanitise_kind_name() - "device", "ids" or "class"; "invalid" otherwise */
const char *ppt_sanitise_kind_name(enum ppt_sanitise_kind kind);
/** ppt_sanitise_kind_parse() - the kind of a name ppt_sanitise_kind_name() gives, or -EINVAL */
int ppt_sanitise_kind_parse(const char *name);

/* struct ppt_sanitise_rule: one policy entry, as ppt_sanitise_list() returns it. */
struct ppt_sanitise_rule;

/** ppt_sanitise_rule_kind() - how the entry selects devices */
enum ppt_sanitise_kind ppt_sanitise_rule_kind(const struct ppt_sanitise_rule *r);
/** ppt_sanitise_rule_selector() - the selector as the kernel keeps it */
const char *ppt_sanitise_rule_selector(const struct ppt_sanitise_rule *r);
/** ppt_sanitise_rule_sanitiser() - the sanitiser spec ("none": reset only) */
const char *ppt_sanitise_rule_sanitiser(const struct ppt_sanitise_rule *r);
/** ppt_sanitise_rule_boot() - the entry comes from the sanitise= module parameter */
bool ppt_sanitise_rule_boot(const struct ppt_sanitise_rule *r);
/** ppt_sanitise_rule_default() - the entry is a built-in default */
bool ppt_sanitise_rule_default(const struct ppt_sanitise_rule *r);

/**
 * ppt_sanitise_list() - the whole policy, built-in defaults included
 * @out: receives a NULL-terminated array of entries, in the kernel's order
 * @n: receives how many; may be NULL
 *
 * Memory: ppt_sanitise_list_free() frees *@out and its entries.
 */
int ppt_sanitise_list(struct ppt_handle *h, struct ppt_sanitise_rule ***out,
		      size_t *n);
/** ppt_sanitise_list_free() - free what ppt_sanitise_list() returned; NULL is allowed. */
void ppt_sanitise_list_free(struct ppt_sanitise_rule **list);

/**
 * ppt_sanitise_set() - set a selector's sanitiser (synchronous)
 * @sanitiser: "none", "nvme[:METHOD]", "bar[:BARS]" or "exec:/PATH"
 * @flags: none defined yet: 0
 *
 * An entry with the same selector is replaced; "none" is logged by the
 * kernel.  The kernel checks both and names what is wrong (ppt_errmsg()).
 *
 * Return: 0, -EINVAL for a malformed selector or sanitiser, or another
 * negative errno.
 */
int ppt_sanitise_set(struct ppt_handle *h, enum ppt_sanitise_kind kind,
		     const char *selector, const char *sanitiser, unsigned int flags);

/**
 * ppt_sanitise_del() - remove a selector's entry (synchronous)
 * @flags: none defined yet: 0
 *
 * A built-in default's selector goes back to its default.
 *
 * Return: 0, -ENOENT when there is nothing to remove, or another negative
 * errno.
 */
int ppt_sanitise_del(struct ppt_handle *h, enum ppt_sanitise_kind kind,
		     const char *selector, unsigned int flags);

/*
 * The sanitise agent (since 1.3).  A clean of a tainted device whose
 * sanitiser policy names a sanitiser first binds the device's IOMMU group
 * to vfio-pci (state "sanitising") and asks the agent to erase it: one
 * process (pptadm agent) registers a handle, reads the requests, runs each
 * sanitiser on the device through VFIO, and answers each request with
 * ppt_sanitise_done().  A module without agents fails these calls with
 * -EOPNOTSUPP (ppt_errmsg() says so).  Typical use:
 *
 *	ppt_agent_register(h, 0);
 *	for (;;) {
 *		poll ppt_agent_fd(h) with the caller's other descriptors;
 *		while (ppt_agent_next(h, &req, 0) == 0) {
 *			start erasing ppt_sanitise_req_addr(req);
 *			ppt_sanitise_req_free(req);
 *		}
 *	}
 *	... and, when an erase ends, from any handle:
 *	ppt_sanitise_done(h2, id, addr, err, why, method, verified, 0);
 *
 * The registration lasts as long as the handle's socket: closing the
 * handle (or the process's end) tells the kernel, which leaves the devices
 * it was waiting for dirty.  The socket is shared with a child across
 * fork(): a child that is not to be the agent calls ppt_close() on its
 * copy of the handle (which sends nothing) and opens its own.  Unloading
 * ppt ends the registration without a word on the agent's socket:
 * subscribe to events (ppt_events_subscribe()) to see %PPT_LOST_UNLOADED.
 */

/* struct ppt_sanitise_req: one request the kernel sent the agent. */
struct ppt_sanitise_req;

/** ppt_sanitise_req_id() - the request's id, for ppt_sanitise_done() */
uint64_t ppt_sanitise_req_id(const struct ppt_sanitise_req *r);
/** ppt_sanitise_req_addr() - the device to erase, "dddd:bb:dd.f" */
const char *ppt_sanitise_req_addr(const struct ppt_sanitise_req *r);
/** ppt_sanitise_req_sanitiser() - the sanitiser to run, a spec as ppt_sanitise_set() takes it */
const char *ppt_sanitise_req_sanitiser(const struct ppt_sanitise_req *r);
/**
 * ppt_sanitise_req_timeout() - seconds the kernel waits for the answer
 *
 * After them it leaves the device dirty and forgets the request.  0 when
 * the kernel gave none.
 */
uint32_t ppt_sanitise_req_timeout(const struct ppt_sanitise_req *r);
/**
 * ppt_sanitise_req_inspect() - is the request an inspection?
 *
 * True when the sanitiser is to read the device's state and erase nothing
 * (ppt_device_clean() with %PPT_CLEAN_INSPECT).  Only an agent registered
 * with %PPT_AGENT_INSPECTS is sent such requests.  Since 1.4.
 */
bool ppt_sanitise_req_inspect(const struct ppt_sanitise_req *r);
/** ppt_sanitise_req_free() - free a request; NULL is allowed. */
void ppt_sanitise_req_free(struct ppt_sanitise_req *r);

/**
 * ppt_agent_register() - make @h's socket the sanitise agent
 * @flags: %PPT_AGENT_INSPECTS when the agent honours
 *	ppt_sanitise_req_inspect(); since 1.4
 *
 * The kernel sends its requests to @h's request socket from then on;
 * ppt_agent_next() reads them.  A request that arrives while another call
 * on @h waits for its reply is kept for ppt_agent_next(), not lost.
 * Needs CAP_SYS_ADMIN.
 *
 * Return: 0; -EBUSY when another socket is registered; -EOPNOTSUPP when
 * the loaded module has no agents; or another negative errno.
 */
int ppt_agent_register(struct ppt_handle *h, unsigned int flags);

/*
 * The agent reads a device without erasing it when a request says so
 * (ppt_sanitise_req_inspect()).  The kernel sends inspections only to an
 * agent that registered with it: one that did not would erase instead.
 */
#define PPT_AGENT_INSPECTS	(1u << 0)

/**
 * ppt_agent_fd() - the descriptor to poll for sanitise requests
 *
 * @h's request socket: it becomes readable when a request may be
 * available; then call ppt_agent_next() with timeout 0 until it returns
 * -EAGAIN.  Requests another call on @h queued do not make it readable:
 * call ppt_agent_next() after every call on @h, too.
 *
 * Return: the descriptor, or -EINVAL when @h is not registered.
 */
int ppt_agent_fd(const struct ppt_handle *h);

/**
 * ppt_agent_next() - the next sanitise request
 * @out: receives it
 * @timeout_ms: how long to wait: 0 not at all, %PPT_WAIT_FOREVER forever
 *
 * Threads: as every call on @h.  Memory: *@out is the caller's;
 * ppt_sanitise_req_free() frees it.
 *
 * Return: 0 with *@out set; -EAGAIN when none arrived within @timeout_ms;
 * -EINTR when a signal interrupted the wait; -EINVAL when @h is not
 * registered; -ENOBUFS when the socket overran and requests were lost, or
 * -EPROTO when one could not be read (the kernel times those out; call
 * again for the rest); or another negative errno.
 */
int ppt_agent_next(struct ppt_handle *h, struct ppt_sanitise_req **out,
		   int timeout_ms);

/**
 * ppt_sanitise_done() - answer a sanitise request
 * @id: ppt_sanitise_req_id() of the request
 * @addr: its device, which must be the request's
 * @error: 0 when the sanitiser erased the device and verified it, else a
 *	negative errno
 * @msg: why it failed, or NULL
 * @method: what the sanitiser ran (ppt_dev_last_sanitise_method()), or NULL
 * @verified: what it read back, or NULL
 * @flags: none defined yet: 0
 *
 * May be sent from any handle (a child's own), not only the agent's.  The
 * device must be closed (its VFIO device) before: the kernel takes it
 * back from vfio-pci.  Texts longer than %PPT_SANITISE_TEXT_MAX - 1 bytes
 * are cut there, before a UTF-8 character.  Needs CAP_SYS_ADMIN.
 *
 * Return: 0; -ENOENT when the kernel has no such request (it timed out);
 * -EINVAL for a malformed address, error or flags; -EOPNOTSUPP when the
 * loaded module has no agents; or another negative errno.
 */
int ppt_sanitise_done(struct ppt_handle *h, uint64_t id, const char *addr, int error,
		      const char *msg, const char *method, const char *verified,
		      unsigned int flags);

/* struct ppt_agent: the registered agent, as ppt_agent_get() returns it. */
struct ppt_agent;

/** ppt_agent_portid() - the netlink port id of its socket (ppt_handle_portid() of its handle) */
uint32_t ppt_agent_portid(const struct ppt_agent *a);
/** ppt_agent_pid() - the process that registered it */
uint32_t ppt_agent_pid(const struct ppt_agent *a);
/** ppt_agent_pending() - sanitise requests outstanding: sent to it, or waiting to be */
uint32_t ppt_agent_pending(const struct ppt_agent *a);
/** ppt_agent_free() - free what ppt_agent_get() returned; NULL is allowed. */
void ppt_agent_free(struct ppt_agent *a);

/**
 * ppt_agent_get() - the registered sanitise agent
 * @out: receives it
 *
 * Open to every user.  Memory: *@out is the caller's; ppt_agent_free()
 * frees it.
 *
 * Return: 0; -ENOENT when no agent is registered; -EOPNOTSUPP when the
 * loaded module has no agents; or another negative errno.
 */
int ppt_agent_get(struct ppt_handle *h, struct ppt_agent **out);

/*
 * Statistics the module kept since it loaded (%PPT_CMD_STATS_GET in
 * <linux/ppt.h>; since libppt 1.1): resets and cleans by method and
 * outcome with a histogram of their durations, quarantines, and lease
 * expiries.  Only resets and cleans that touched the hardware count; one
 * of a whole reset domain counts once.
 */

/* struct ppt_stats: one reading of the statistics, as ppt_stats_get() returns it. */
struct ppt_stats;
/* struct ppt_series: the resets or cleans of one method and outcome; belongs to its struct ppt_stats. */
struct ppt_series;

/**
 * ppt_stats_get() - read the module's statistics
 * @out: receives them
 *
 * A dump the kernel marks as interrupted by a concurrent change is
 * retried, so the reading is one consistent snapshot.
 *
 * Threads: as every call on @h.  Memory: *@out is the caller's;
 * ppt_stats_free() frees it, with its series.
 *
 * Return: 0; -EOPNOTSUPP when the loaded module is older and has no
 * statistics (ppt_errmsg() says so); -EPROTO for a malformed answer; or
 * another negative errno.
 */
int ppt_stats_get(struct ppt_handle *h, struct ppt_stats **out);
/** ppt_stats_free() - free what ppt_stats_get() returned, series included; NULL is allowed. */
void ppt_stats_free(struct ppt_stats *st);
/** ppt_stats_quarantines() - how many times a device was moved into quarantined */
uint64_t ppt_stats_quarantines(const struct ppt_stats *st);
/** ppt_stats_lease_expiries() - how many leases ended (socket closed) holding devices, one per lease */
uint64_t ppt_stats_lease_expiries(const struct ppt_stats *st);
/** ppt_stats_nbounds() - how many finite duration bucket bounds there are */
size_t ppt_stats_nbounds(const struct ppt_stats *st);
/**
 * ppt_stats_bound_usec() - a duration bucket's upper bound
 * @i: 0 to ppt_stats_nbounds() - 1, increasing
 *
 * Return: the bound in microseconds; UINT64_MAX (infinity) past the last.
 */
uint64_t ppt_stats_bound_usec(const struct ppt_stats *st, size_t i);
/** ppt_stats_nseries() - how many series counted anything */
size_t ppt_stats_nseries(const struct ppt_stats *st);
/**
 * ppt_stats_series() - one series, in the kernel's order
 * @i: 0 to ppt_stats_nseries() - 1
 *
 * Memory: the series belongs to @st and lives as long as it.
 *
 * Return: the series, or NULL past the last.
 */
const struct ppt_series *ppt_stats_series(const struct ppt_stats *st, size_t i);
/** ppt_series_op() - what the series counts: resets or cleans */
enum ppt_stats_op ppt_series_op(const struct ppt_series *s);
/** ppt_series_method() - the enum ppt_reset_method that ran */
uint32_t ppt_series_method(const struct ppt_series *s);
/** ppt_series_failed() - the series counts failures (else successes) */
bool ppt_series_failed(const struct ppt_series *s);
/** ppt_series_count() - how many it counted */
uint64_t ppt_series_count(const struct ppt_series *s);
/** ppt_series_usec_sum() - the sum of their durations, in microseconds */
uint64_t ppt_series_usec_sum(const struct ppt_series *s);
/**
 * ppt_series_bucket() - how many fell in one duration bucket
 * @i: 0 to ppt_stats_nbounds(): those that took at most bound @i and more
 *	than bound @i - 1; @i = ppt_stats_nbounds() counts the longer ones
 *
 * Return: the count (not cumulative); 0 past the last bucket.
 */
uint64_t ppt_series_bucket(const struct ppt_series *s, size_t i);
/** ppt_stats_op_name() - "reset" or "clean"; "invalid" otherwise. */
const char *ppt_stats_op_name(enum ppt_stats_op op);

/*
 * Events: a subscription to the "events" multicast group, on a socket of
 * its own, delivered one parsed event at a time.
 *
 * Every notification carries a sequence number.  A jump in it, an overrun
 * of the socket's receive buffer (ENOBUFS) or a reload of the module shows
 * up as a %PPT_EVENT_LOST event: the caller's picture is then stale, and
 * it should resynchronise with ppt_device_list() and carry on with the
 * events that follow.  Typical use:
 *
 *	ppt_events_subscribe(h);
 *	ppt_device_list(h, ...);		// the state to start from
 *	for (;;) {
 *		poll ppt_events_fd(h) with the caller's other descriptors;
 *		while (ppt_events_next(h, &ev, 0) == 0) {
 *			handle ev; on PPT_EVENT_LOST, list again;
 *			ppt_event_free(ev);
 *		}
 *	}
 */

/** enum ppt_event_type - what a struct ppt_event reports */
enum ppt_event_type {
	PPT_EVENT_DEVICE = 1,	/* a device changed state, or left ppt */
	PPT_EVENT_REQUEST,	/* an asynchronous request finished */
	PPT_EVENT_LOST,		/* events were lost: resynchronise */
};

/**
 * enum ppt_lost_reason - why events were lost
 * @PPT_LOST_GAP: the sequence numbers jumped; the count is known
 * @PPT_LOST_OVERRUN: the socket's receive buffer overran (ENOBUFS); how
 *	many were lost is unknown
 * @PPT_LOST_RESTART: the module was loaded again (the family reappeared,
 *	or the sequence started over); libppt has subscribed again, and asks
 *	the new module what it supports at the next request
 * @PPT_LOST_UNLOADED: the family went away (ppt was unloaded); nothing
 *	arrives until it is loaded again, which %PPT_LOST_RESTART announces
 */
enum ppt_lost_reason {
	PPT_LOST_GAP,
	PPT_LOST_OVERRUN,
	PPT_LOST_RESTART,
	PPT_LOST_UNLOADED,
};

/* struct ppt_event: one event, from ppt_events_next(). */
struct ppt_event;

/** ppt_event_type() - which of the getters below apply */
enum ppt_event_type ppt_event_type(const struct ppt_event *ev);
/** ppt_event_seq() - the notification's sequence number (0 for %PPT_EVENT_LOST) */
uint64_t ppt_event_seq(const struct ppt_event *ev);
/**
 * ppt_event_dev() - %PPT_EVENT_DEVICE: the device's attributes after the change
 *
 * Memory: the event's (ppt_dev_dup() to keep it).
 *
 * Return: the device, or NULL for the other types.
 */
const struct ppt_dev *ppt_event_dev(const struct ppt_event *ev);
/** ppt_event_removed() - %PPT_EVENT_DEVICE: ppt no longer knows the device */
bool ppt_event_removed(const struct ppt_event *ev);
/**
 * ppt_event_req() - %PPT_EVENT_REQUEST: the outcome
 *
 * Memory: the event's (ppt_req_dup() to keep it).
 *
 * Return: the outcome, or NULL for the other types.
 */
const struct ppt_req *ppt_event_req(const struct ppt_event *ev);
/** ppt_event_lost_reason() - %PPT_EVENT_LOST: why */
enum ppt_lost_reason ppt_event_lost_reason(const struct ppt_event *ev);
/** ppt_event_lost_count() - %PPT_EVENT_LOST: how many notifications were lost; 0 when unknown */
uint64_t ppt_event_lost_count(const struct ppt_event *ev);
/**
 * ppt_event_lost_after() - %PPT_EVENT_LOST: the sequence number of the
 * last event received before the loss; 0 when none
 */
uint64_t ppt_event_lost_after(const struct ppt_event *ev);

/** ppt_event_free() - free an event and what it holds; NULL is allowed. */
void ppt_event_free(struct ppt_event *ev);

/**
 * ppt_events_subscribe() - start receiving events on @h
 *
 * Opens a second socket, joins the events group and watches for the
 * family going away and coming back (module unload and load).  Calling it
 * again while subscribed does nothing.
 *
 * Return: 0 or a negative errno.
 */
int ppt_events_subscribe(struct ppt_handle *h);

/** ppt_events_unsubscribe() - stop receiving events; events not yet read are dropped. */
void ppt_events_unsubscribe(struct ppt_handle *h);

/**
 * ppt_events_fd() - the descriptor to poll for events
 *
 * It becomes readable when an event may be available; then call
 * ppt_events_next() with timeout 0 until it returns -EAGAIN (one datagram
 * may yield more than one event).
 *
 * Return: the descriptor, or -EINVAL when @h is not subscribed.
 */
int ppt_events_fd(const struct ppt_handle *h);

/**
 * ppt_events_next() - the next event
 * @ev: receives it
 * @timeout_ms: how long to wait: 0 not at all, %PPT_WAIT_FOREVER forever
 *
 * Memory: *@ev is the caller's; ppt_event_free() frees it.
 *
 * Return: 0 with *@ev set; -EAGAIN when none arrived within @timeout_ms;
 * -EINTR when a signal interrupted the wait; -EINVAL when @h is not
 * subscribed; or another negative errno.
 */
int ppt_events_next(struct ppt_handle *h, struct ppt_event **ev,
		    int timeout_ms);

/*
 * Names and parsing; these need no handle, return static strings, and
 * are thread-safe.
 */

/** ppt_state_name() - printable name of an enum ppt_state value ("invalid" outside it). */
const char *ppt_state_name(uint32_t state);

/** ppt_reset_method_name() - "auto", "flr", "pm", "sbr", ...; "invalid" outside enum ppt_reset_method. */
const char *ppt_reset_method_name(uint32_t method);

/**
 * ppt_reset_method_parse() - an enum ppt_reset_method from its name
 *
 * Return: the method, or -EINVAL for a name that is none of them.
 */
int ppt_reset_method_parse(const char *name);

/** ppt_cmd_name() - printable name of an enum ppt_cmd value ("reserve", "match-add", ...). */
const char *ppt_cmd_name(uint32_t cmd);

/** ppt_attr_name() - the enum ppt_attr name of an attribute ("PPT_A_DEV_OWNER"); "unknown" otherwise. */
const char *ppt_attr_name(uint32_t attr);

/** ppt_match_kind_name() - "ids", "device", "path" or "vfs"; "invalid" otherwise. */
const char *ppt_match_kind_name(enum ppt_match_kind kind);

/**
 * ppt_match_kind_parse() - an enum ppt_match_kind from its name
 *
 * Return: the kind, or -EINVAL.
 */
int ppt_match_kind_parse(const char *name);

/**
 * ppt_addr_normalize() - canonical form of a PCI address
 * @in: "[domain:]bus:dev.fn" in hex, e.g. "01:00.0" or "0000:01:00.0"
 * @out: receives "dddd:bb:dd.f" (lower case, domain at least four digits)
 *
 * Return: 0 or -EINVAL.
 */
int ppt_addr_normalize(const char *in, char out[PPT_ADDR_BUFLEN]);

#ifdef __cplusplus
}
#endif

#endif /* LIBPPT_H */
