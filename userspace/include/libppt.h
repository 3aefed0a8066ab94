/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libppt: a C client of the "ppt" generic netlink family.
 *
 * Every call returns 0 on success or a negative errno.  When a request
 * failed, ppt_errmsg() explains it until the next call on the same handle:
 * the kernel's extended ack message, an asynchronous request's failure
 * message, or libppt's own reason for a request it refused to send.
 *
 * A handle is one netlink socket (two while subscribed to events); it is
 * not thread-safe: use one handle per thread.  The protocol itself is
 * documented in <linux/ppt.h>, which libppt installs next to this header.
 *
 * Build against it with `pkg-config --cflags --libs libppt`; the shared
 * library's soname is libppt.so.0.
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
#define PPT_PATH_BUFLEN	PPT_PATH_MAX
#define PPT_DRIVER_BUFLEN 64
#define PPT_SLOT_BUFLEN	64
/* A match entry: the longest is a path (see PPT_PATH_MAX). */
#define PPT_MATCH_BUFLEN PPT_PATH_MAX
#define PPT_MSG_BUFLEN	256

struct ppt_handle;

/**
 * struct ppt_device_info - one device as the kernel reports it
 * @addr: PCI address, "0000:01:00.0"
 * @vendor: vendor id
 * @device: device id
 * @subvendor: subsystem vendor id
 * @subdevice: subsystem id
 * @pci_class: 24-bit class code
 * @revision: revision id
 * @state: enum ppt_state
 * @driver: the driver bound now, "" when none
 * @owner: the owner, "" when none
 * @iommu_group: IOMMU group number, -1 when none
 * @path: topology path as the paths= parameter takes it, "" when unknown
 * @boot_listed: a boot list names the device
 * @adopted: it was with vfio-pci when ppt loaded and was adopted
 * @reset_methods: the reset methods it supports: bit i set for enum
 *	ppt_reset_method i (never for %PPT_RESET_AUTO)
 * @last_reset: the enum ppt_reset_method that last reset it under ppt, or
 *	-1 before the first reset
 * @last_reset_usec: how long that reset took, in microseconds (0 when
 *	@last_reset is -1)
 * @slot: the physical slot label the platform gives, "" when none
 * @reset_pref: the enum ppt_reset_method a reset or clean with
 *	%PPT_RESET_AUTO uses for the device, or -1 when the kernel reported
 *	none (the default order)
 * @lease: the netlink port id of the socket whose lease holds the device,
 *	0 when none (ppt_handle_portid() tells a handle's own)
 * @lease_ended: the lease's socket closed: the kernel returns the device
 *	(once its VFIO device is closed, when assigned)
 */
struct ppt_device_info {
	char addr[PPT_ADDR_BUFLEN];
	uint16_t vendor;
	uint16_t device;
	uint16_t subvendor;
	uint16_t subdevice;
	uint32_t pci_class;
	uint8_t revision;
	uint32_t state;
	char driver[PPT_DRIVER_BUFLEN];
	char owner[PPT_OWNER_MAX];
	int64_t iommu_group;
	char path[PPT_PATH_BUFLEN];
	bool boot_listed;
	bool adopted;
	uint32_t reset_methods;
	int32_t last_reset;
	uint64_t last_reset_usec;
	char slot[PPT_SLOT_BUFLEN];
	int32_t reset_pref;
	uint32_t lease;
	bool lease_ended;
};

/**
 * ppt_open() - connect to the ppt family
 * @out: receives the handle
 *
 * Return: 0; -ENOENT when the family is not registered (ppt not loaded,
 * or the caller is outside the initial network namespace); -ENOMEM; or
 * another negative errno from the socket layer.
 */
int ppt_open(struct ppt_handle **out);

/** ppt_close() - close a handle and any event subscription; NULL is allowed. */
void ppt_close(struct ppt_handle *h);

/**
 * ppt_errmsg() - why the last call on @h failed
 *
 * Return: the kernel's extended ack text, an asynchronous request's failure
 * message, libppt's own reason when it refused to send a request (a
 * malformed address, say), "missing attribute NAME" or "invalid attribute
 * NAME" when the kernel named an attribute without giving a message, or
 * NULL when there is none.
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
 * Return: its PCI address, or NULL when no device blocked the call.
 */
const char *ppt_blocker(const struct ppt_handle *h, const char **driver);

/*
 * Changing devices needs CAP_SYS_ADMIN (-EPERM otherwise).
 *
 * Reserve, release, assign, unassign, reset and clean complete
 * asynchronously in the kernel.  These calls wait for the outcome for up
 * to timeout_ms milliseconds (-ETIMEDOUT after that: the operation goes on
 * in the kernel) and return it; with timeout_ms 0 they return once the
 * kernel has accepted the request.  They listen for the outcome on a
 * socket of their own, opened before the request is sent, so waiting works
 * with or without an event subscription (ppt_events_subscribe()).
 *
 * Every @addr is a PCI address in any form ppt_addr_normalize() accepts; a
 * malformed one fails with -EINVAL before anything is sent.
 */
#define PPT_WAIT_FOREVER	(-1)

/** ppt_device_reserve() - take a device for ppt; @force takes it from a host driver. */
int ppt_device_reserve(struct ppt_handle *h, const char *addr, bool force,
		       int timeout_ms);
/** ppt_device_release() - give a device back to host drivers. */
int ppt_device_release(struct ppt_handle *h, const char *addr,
		       int timeout_ms);
/**
 * ppt_device_claim() - give a reserved device an owner (synchronous)
 * @owner: the owner; NULL sends the request without one, which the kernel
 *	refuses with -EINVAL ("missing owner")
 */
int ppt_device_claim(struct ppt_handle *h, const char *addr,
		     const char *owner);

/* ppt_claim() flags */
#define PPT_CLAIM_LEASE		(1u << 0)	/* bind the claim to @h's socket */

/**
 * struct ppt_claim_spec - what ppt_claim() asks for
 * @addrs: candidate devices (any form ppt_addr_normalize() accepts), or NULL
 * @n_addrs: how many; at most %PPT_CLAIM_MAX
 * @match: a match in the ids= syntax
 *	("vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]"), or NULL
 * @count: how many candidates to claim; 0: every listed device (or one,
 *	with @match alone)
 * @owner: the owner
 * @flags: %PPT_CLAIM_LEASE
 */
struct ppt_claim_spec {
	const char *const *addrs;
	size_t n_addrs;
	const char *match;
	unsigned int count;
	const char *owner;
	unsigned int flags;
};

/**
 * ppt_claim() - claim several devices for an owner, all or nothing
 * @out: receives a malloc()ed array of the addresses claimed (with the
 *	IOMMU group mates that came along), in address order; free() it.
 *	May be NULL.
 * @n: receives its length; may be NULL
 *
 * Only reserved, known-good devices are chosen, each with every other
 * endpoint of its IOMMU group.  With %PPT_CLAIM_LEASE the claim ends when
 * @h is closed, or its process dies: see ppt(4), "Leases".
 *
 * Return: 0; -EINVAL for a malformed address or an empty request; -EBUSY
 * when a listed device is not available (ppt_blocker() names it); -ENOSPC
 * when fewer candidates are available than asked for; or the kernel's
 * refusal.  Nothing is claimed unless 0 is returned.
 */
int ppt_claim(struct ppt_handle *h, const struct ppt_claim_spec *spec,
	      char (**out)[PPT_ADDR_BUFLEN], size_t *n);

/**
 * ppt_take() - take back every device an owner holds
 * @flags: %PPT_CLAIM_LEASE to put them under @h's lease, 0 for none
 * @out, @n: as for ppt_claim()
 *
 * For an agent restarted after a crash: its devices whose lease ended,
 * including assigned ones waiting for their VM to exit, stay its own.
 *
 * Return: 0; -ENOENT when the owner holds no device; or a negative errno.
 */
int ppt_take(struct ppt_handle *h, const char *owner, unsigned int flags,
	     char (**out)[PPT_ADDR_BUFLEN], size_t *n);

/** ppt_handle_portid() - the netlink port id of @h's socket (its leases' id) */
uint32_t ppt_handle_portid(const struct ppt_handle *h);

/** ppt_device_unclaim() - make a device the owner claimed reserved again. */
int ppt_device_unclaim(struct ppt_handle *h, const char *addr,
		       const char *owner);
/**
 * ppt_device_assign() - hand a claimed device and its IOMMU group to vfio-pci
 *
 * On -EBUSY, ppt_blocker() names the device of the group that blocked it.
 */
int ppt_device_assign(struct ppt_handle *h, const char *addr,
		      const char *owner, int timeout_ms);
/**
 * ppt_device_unassign() - take an assigned device back from vfio-pci
 * @owner: NULL, or the owner, which must then match
 *
 * Return: -EBUSY at once while a VM (a VFIO user) holds the device.
 */
int ppt_device_unassign(struct ppt_handle *h, const char *addr,
			const char *owner, int timeout_ms);
/**
 * ppt_device_reset() - reset a reserved, dirty or quarantined device
 * @method: enum ppt_reset_method; %PPT_RESET_AUTO lets the kernel choose
 *
 * The device returns to the state it had; a failed reset quarantines it.
 * A reset does not make a dirty device clean.
 *
 * Return: 0; -EINVAL for a method outside enum ppt_reset_method; the
 * kernel's refusal (e.g. -EOPNOTSUPP when the device lacks the method).
 */
int ppt_device_reset(struct ppt_handle *h, const char *addr,
		     uint32_t method, int timeout_ms);
/**
 * ppt_device_clean() - reset, restore and verify a dirty or quarantined device
 * @method: enum ppt_reset_method; %PPT_RESET_AUTO lets the kernel choose
 *
 * Success makes the device reserved; failure quarantines it.  Cleaning a
 * quarantined device is how an administrator clears it.
 */
int ppt_device_clean(struct ppt_handle *h, const char *addr,
		     uint32_t method, int timeout_ms);

struct ppt_request_event;	/* below, with the events */

/**
 * ppt_devices_clean() - clean several devices side by side
 * @addrs: the devices, @n of them
 * @method: enum ppt_reset_method, for every device
 * @timeout_ms: how long to wait for all the outcomes; 0: do not wait,
 *	negative: wait as long as it takes
 * @out: @n entries, filled in the order of @addrs: the device's canonical
 *	address, its request id (0 when refused at once), its outcome
 *	(@error 0, or a negative errno with @msg and maybe @blocker)
 *
 * Every request is sent before any outcome is awaited, so the kernel
 * cleans the devices concurrently: n devices take about as long as one,
 * where a loop of ppt_device_clean() calls would take n times as long.
 * One device's refusal or failure does not stop the others.  A device
 * another request cleans already (the audio function of a GPU whose slot
 * is reset as one unit) gets that clean's outcome.  Outcomes not yet
 * known when @timeout_ms runs out are -ETIMEDOUT (the cleans go on in the
 * kernel).
 *
 * Return: 0 when every device was cleaned (with @timeout_ms 0: every
 * request was accepted); else the error of the first device that failed,
 * and ppt_errmsg() counts the failures; or -EINVAL (bad @method, no
 * devices), -ENOMEM, or the events socket's failure.
 */
int ppt_devices_clean(struct ppt_handle *h, const char *const *addrs,
		      size_t n, uint32_t method, int timeout_ms,
		      struct ppt_request_event *out);

/**
 * ppt_device_set_reset_pref() - the method auto resets and cleans use for a device
 * @method: an enum ppt_reset_method the device supports, or
 *	%PPT_RESET_AUTO for the default order (flr, pm, sbr)
 *
 * For hardware that resets badly by its first method (a broken FLR).
 * Synchronous (%PPT_CMD_DEVICE_SET).
 *
 * Return: 0; -EINVAL for a method outside enum ppt_reset_method;
 * -EOPNOTSUPP when the device lacks the method; -ENODEV when ppt does not
 * hold the device; or another negative errno.
 */
int ppt_device_set_reset_pref(struct ppt_handle *h, const char *addr,
			      uint32_t method);

/**
 * ppt_device_get() - get one device
 *
 * Return: 0, -EINVAL for a malformed address, -ENODEV when ppt does not
 * manage the device, or another negative errno.
 */
int ppt_device_get(struct ppt_handle *h, const char *addr,
		   struct ppt_device_info *out);

/**
 * ppt_device_list() - get every device ppt manages
 * @out: receives a malloc()ed array; free it with free()
 * @n: receives its length
 *
 * A dump the kernel marks as interrupted by a concurrent change is
 * retried, so the list is one consistent snapshot.
 *
 * Return: 0, -EAGAIN when the table kept changing, or a negative errno.
 */
int ppt_device_list(struct ppt_handle *h, struct ppt_device_info **out,
		    size_t *n);

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
 * Return: 0, the first non-zero value @cb returned, or a negative errno as
 * for ppt_device_list().
 */
int ppt_device_foreach(struct ppt_handle *h,
		       int (*cb)(const struct ppt_device_info *dev, void *arg),
		       void *arg);

/*
 * Runtime matches: the twins of the boot lists (ids=, devices=, paths=),
 * in the same syntax.  See %PPT_CMD_MATCH_ADD in <linux/ppt.h>.
 */

/**
 * enum ppt_match_kind - which boot list an entry belongs to
 * @PPT_MATCH_IDS: "vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]"
 * @PPT_MATCH_DEVICE: "[domain:]bus:dev.fn"
 * @PPT_MATCH_PATH: "[domain:]rootbus/dev.fn[/dev.fn...]"
 */
enum ppt_match_kind {
	PPT_MATCH_IDS,
	PPT_MATCH_DEVICE,
	PPT_MATCH_PATH,
};

/**
 * struct ppt_match - one match entry
 * @kind: its list
 * @text: the entry as the kernel keeps it
 * @boot: it comes from a module parameter, not from ppt_match_add(); it
 *	cannot be deleted
 * @reset_pref: the reset preference the entry gives the devices it takes
 *	(enum ppt_reset_method), or -1 when it gives none
 */
struct ppt_match {
	enum ppt_match_kind kind;
	char text[PPT_MATCH_BUFLEN];
	bool boot;
	int32_t reset_pref;
};

/**
 * ppt_match_add() - add a runtime match (synchronous)
 * @text: the entry; the kernel parses it and names what is wrong
 *
 * Matching functions no driver holds are reserved at once; matching
 * functions that appear later are claimed before host drivers bind.
 *
 * Return: 0, -EEXIST for a duplicate, -EINVAL for a malformed entry or
 * kind, or another negative errno.
 */
int ppt_match_add(struct ppt_handle *h, enum ppt_match_kind kind,
		  const char *text);
/**
 * ppt_match_add_reset_pref() - add a runtime match that sets a reset preference
 * @method: the enum ppt_reset_method the devices the entry takes from now
 *	on get as their preference (see ppt_device_set_reset_pref());
 *	%PPT_RESET_AUTO: none, as ppt_match_add()
 */
int ppt_match_add_reset_pref(struct ppt_handle *h, enum ppt_match_kind kind,
			     const char *text, uint32_t method);
/**
 * ppt_match_del() - remove a runtime match (the kind and text it was added with)
 *
 * Return: 0, -ENOENT when there is no such entry, -EPERM for a boot list
 * entry, or another negative errno.
 */
int ppt_match_del(struct ppt_handle *h, enum ppt_match_kind kind,
		  const char *text);
/**
 * ppt_match_list() - every match entry, boot lists included
 * @out: receives a malloc()ed array; free it with free()
 * @n: receives its length
 */
int ppt_match_list(struct ppt_handle *h, struct ppt_match **out, size_t *n);

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
 *		while (ppt_events_next(h, &ev, 0) == 0)
 *			handle ev; on PPT_EVENT_LOST, list again;
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
 *	or the sequence started over); libppt has subscribed again
 * @PPT_LOST_UNLOADED: the family went away (ppt was unloaded); nothing
 *	arrives until it is loaded again, which %PPT_LOST_RESTART announces
 */
enum ppt_lost_reason {
	PPT_LOST_GAP,
	PPT_LOST_OVERRUN,
	PPT_LOST_RESTART,
	PPT_LOST_UNLOADED,
};

/**
 * struct ppt_request_event - the outcome of an asynchronous request
 * @id: the request's id, as the kernel's reply gave it
 * @cmd: the request's enum ppt_cmd
 * @addr: the device it named
 * @error: 0 on success, else the negative errno it failed with
 * @msg: why it failed, "" when the kernel gave no reason
 * @blocker: the device that made it fail, "" when none
 * @blocker_driver: that device's driver, "" when none
 */
struct ppt_request_event {
	uint64_t id;
	uint8_t cmd;
	char addr[PPT_ADDR_BUFLEN];
	int error;
	char msg[PPT_MSG_BUFLEN];
	char blocker[PPT_ADDR_BUFLEN];
	char blocker_driver[PPT_DRIVER_BUFLEN];
};

/**
 * struct ppt_event - one event
 * @type: which of the members below apply
 * @seq: the notification's sequence number (0 for %PPT_EVENT_LOST)
 * @device: %PPT_EVENT_DEVICE: the device's attributes after the change
 * @removed: %PPT_EVENT_DEVICE: ppt no longer knows the device
 * @request: %PPT_EVENT_REQUEST: the outcome
 * @lost_reason: %PPT_EVENT_LOST: why
 * @lost: %PPT_EVENT_LOST: how many notifications were lost; 0 when unknown
 * @lost_after: %PPT_EVENT_LOST: the sequence number of the last event
 *	received before the loss; 0 when none
 */
struct ppt_event {
	enum ppt_event_type type;
	uint64_t seq;
	struct ppt_device_info device;
	bool removed;
	struct ppt_request_event request;
	enum ppt_lost_reason lost_reason;
	uint64_t lost;
	uint64_t lost_after;
};

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
 * Return: 0 with *@ev filled; -EAGAIN when none arrived within
 * @timeout_ms; -EINTR when a signal interrupted the wait; -EINVAL when @h
 * is not subscribed; or another negative errno.
 */
int ppt_events_next(struct ppt_handle *h, struct ppt_event *ev,
		    int timeout_ms);

/*
 * Names and parsing; these need no handle.
 */

/** ppt_state_name() - printable name of an enum ppt_state value ("invalid" outside it). */
const char *ppt_state_name(uint32_t state);

/** ppt_reset_method_name() - "auto", "flr", "pm", "sbr"; "invalid" outside enum ppt_reset_method. */
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

/** ppt_match_kind_name() - "ids", "device" or "path"; "invalid" otherwise. */
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
