/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libppt's insides, shared by its source files and its unit tests; not
 * installed.  Names with two underscores (ppt__*) are not exported from
 * the shared library (lib/libppt.map exports ppt_[a-z]* only).
 */
#ifndef PPT_INTERNAL_H
#define PPT_INTERNAL_H

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "libppt.h"

/* An event subscription: its socket and the events parsed but not yet read. */
struct ppt_events {
	struct nl_sock *sk;
	struct nl_cb *cb;
	uint64_t last_seq;	/* last sequence number seen; 0: none since (re)joining */
	bool gone;		/* the family is unregistered (ppt unloaded) */
	int error;		/* an error met while parsing, for the caller */
	struct ppt_event *q;	/* queue: q[head..len) are unread */
	size_t head, len, cap;
};

struct ppt_handle {
	struct nl_sock *sk;
	int family;
	int events_group;
	char errmsg[PPT_MSG_BUFLEN];
	bool has_errmsg;
	char blocker[PPT_ADDR_BUFLEN];
	char blocker_driver[PPT_DRIVER_BUFLEN];
	int err_attr;		/* attribute the kernel's ack named, or -1 */
	bool err_attr_missing;	/* ... as missing (else as invalid) */
	struct ppt_events *ev;	/* NULL when not subscribed */
};

/* Validation policy for every attribute of the family (userspace side). */
extern struct nla_policy ppt__policy[PPT_A_MAX + 1];

int ppt__nl_errno(int nlerr);
int ppt__parse_device(struct nlattr **tb, struct ppt_device_info *d);
int ppt__parse_request(struct nlattr **tb, struct ppt_request_event *r);
void ppt__copy_str(char *dst, size_t len, struct nlattr *a);

__attribute__((format(printf, 2, 3)))
void ppt__set_errmsg(struct ppt_handle *h, const char *fmt, ...);

/*
 * Read the extended ack of an error message: the kernel's message, and the
 * attribute it names as missing, or as invalid (found by its offset in the
 * request sent, when given), for ppt_errmsg() and ppt_err_attr().  Without
 * a message from the kernel, the attribute makes one.
 */
void ppt__note_extack(struct ppt_handle *h, const struct nlmsghdr *nlh,
		      struct nl_msg *sent);

/*
 * One message received on the events socket: parse it, check its sequence
 * number and queue what it yields (a lost-events notice first, when the
 * sequence jumped).  Returns 0 or -ENOMEM.  Exposed for the unit tests,
 * which feed it messages they build.
 */
int ppt__events_handle(struct ppt_handle *h, struct nl_msg *msg);
/* Queue a lost-events notice. */
int ppt__events_lost(struct ppt_events *ev, enum ppt_lost_reason why,
		     uint64_t count);
/* Take the oldest queued event; false when none is queued. */
bool ppt__events_pop(struct ppt_events *ev, struct ppt_event *out);

#endif /* PPT_INTERNAL_H */
