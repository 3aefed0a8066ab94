/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libppt: a C client of the "ppt" generic netlink family.
 *
 * Every call returns 0 on success or a negative errno.  When the kernel
 * rejected a request, ppt_errmsg() returns the kernel's explanation (its
 * extended ack message) until the next call on the same handle.
 *
 * A handle is one netlink socket; it is not thread-safe: use one handle per
 * thread.  The protocol itself is documented in <linux/ppt.h>.
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

struct ppt_handle;

/** One device as the kernel reports it. */
struct ppt_device_info {
	char addr[PPT_ADDR_BUFLEN];	/**< PCI address, "0000:01:00.0" */
	uint16_t vendor;		/**< vendor id */
	uint16_t device;		/**< device id */
	uint16_t subvendor;		/**< subsystem vendor id */
	uint16_t subdevice;		/**< subsystem id */
	uint32_t pci_class;		/**< 24-bit class code */
	uint8_t revision;		/**< revision id */
	uint32_t state;			/**< enum ppt_state */
	char driver[PPT_DRIVER_BUFLEN];	/**< bound driver, "" when none */
	char owner[PPT_OWNER_MAX];	/**< owner, "" when none */
	int64_t iommu_group;		/**< IOMMU group, -1 when none */
	char path[PPT_PATH_BUFLEN];	/**< topology path, "" when unknown */
	bool boot_listed;		/**< named by a boot list */
	bool adopted;			/**< with vfio-pci when ppt loaded */
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

/** ppt_close() - close a handle; NULL is allowed. */
void ppt_close(struct ppt_handle *h);

/**
 * ppt_errmsg() - the kernel's message for the last failed call
 *
 * Return: the extended ack text (or an asynchronous request's failure
 * message), or NULL when the kernel sent none.
 */
const char *ppt_errmsg(const struct ppt_handle *h);

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
 * Reserve, release, assign and unassign complete asynchronously in the
 * kernel.  These calls wait for the outcome for up to timeout_ms
 * milliseconds (-ETIMEDOUT after that: the operation goes on in the kernel)
 * and return it; with timeout_ms 0 they return once the kernel has accepted
 * the request.
 */
#define PPT_WAIT_FOREVER	(-1)

/** ppt_device_reserve() - take a device for ppt; @force takes it from a host driver. */
int ppt_device_reserve(struct ppt_handle *h, const char *addr, bool force,
		       int timeout_ms);
/** ppt_device_release() - give a device back to host drivers. */
int ppt_device_release(struct ppt_handle *h, const char *addr,
		       int timeout_ms);
/** ppt_device_claim() - give a reserved device an owner (synchronous). */
int ppt_device_claim(struct ppt_handle *h, const char *addr,
		     const char *owner);
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
 * ppt_device_get() - get one device
 * @addr: PCI address in any form ppt_addr_normalize() accepts
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

/** ppt_state_name() - printable name of an enum ppt_state value. */
const char *ppt_state_name(uint32_t state);

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
