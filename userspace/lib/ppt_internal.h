/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libppt's insides, shared by its source files and its unit tests; not
 * installed.  Names with two underscores (ppt__*) are not exported from
 * the shared library: lib/libppt.map lists every exported symbol.
 *
 * The objects libppt hands out (devices, request outcomes, match entries,
 * events, claim specs) are defined here and nowhere public, so their
 * layout can change in any release.
 */
#ifndef PPT_INTERNAL_H
#define PPT_INTERNAL_H

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "libppt.h"

#define PPT_DRIVER_BUFLEN	64
#define PPT_SLOT_BUFLEN		64
#define PPT_MSG_BUFLEN		256

/* Words of a bitmap with one bit per attribute this libppt knows. */
#define PPT__ATTR_WORDS		((PPT_A_MAX + 64) / 64)

struct ppt_dev {
	uint64_t present[PPT__ATTR_WORDS];	/* attributes the kernel sent */
	char addr[PPT_ADDR_BUFLEN];
	uint16_t vendor, device, subvendor, subdevice;
	uint32_t pci_class;
	uint8_t revision;
	uint32_t state;
	char driver[PPT_DRIVER_BUFLEN];
	char owner[PPT_OWNER_MAX];
	int64_t iommu_group;			/* -1: none */
	char path[PPT_PATH_BUFLEN];
	char slot[PPT_SLOT_BUFLEN];
	uint32_t reset_methods;
	int32_t last_reset;			/* -1: none */
	uint64_t last_reset_usec;
	int32_t reset_pref;			/* -1: the default order */
	uint32_t lease;
	uint32_t recycles;
	char reason[PPT_MSG_BUFLEN];
	char sanitiser[PPT_SANITISER_MAX];
	/* the last sanitise (PPT_A_DEV_LAST_SANITISE*); present[] says which were sent */
	char last_sanitiser[PPT_SANITISER_MAX];
	uint64_t last_sanitise_time;		/* seconds since the epoch */
	uint64_t last_sanitise_usec;
	uint32_t last_sanitise_errno;		/* positive, as the kernel sends it */
	char last_sanitise_method[PPT_SANITISE_TEXT_MAX];
	char last_sanitise_verified[PPT_SANITISE_TEXT_MAX];
	char last_sanitise_msg[PPT_SANITISE_TEXT_MAX];
};

/* A sanitise request the kernel sent the agent (PPT_CMD_SANITISE_REQ_NTF). */
struct ppt_sanitise_req {
	uint64_t id;
	char addr[PPT_ADDR_BUFLEN];
	char sanitiser[PPT_SANITISER_MAX];
	uint32_t timeout;		/* seconds; 0: the kernel gave none */
	bool inspect;			/* PPT_A_INSPECT: read, erase nothing */
};

/* The registered agent, as PPT_CMD_AGENT_GET reports it. */
struct ppt_agent {
	uint32_t portid, pid, pending;
};

/*
 * The sanitise requests that arrived on a handle's request socket and were
 * not yet read (ppt_agent.c).  They arrive unsolicited, also while a call
 * waits there for the reply to its own request: the transport queues them
 * here instead of taking them for that reply.
 */
struct ppt_agent_q {
	bool registered;		/* this handle's socket is the agent */
	int error;			/* met while queueing, for ppt_agent_next() */
	struct ppt_sanitise_req **q;	/* q[head..len) are unread */
	size_t head, len, cap;
};

struct ppt_req {
	uint64_t id;
	uint8_t cmd;
	int error;			/* 0 or a negative errno */
	char addr[PPT_ADDR_BUFLEN];	/* "": none */
	char msg[PPT_MSG_BUFLEN];
	char blocker[PPT_ADDR_BUFLEN];
	char blocker_driver[PPT_DRIVER_BUFLEN];
	char (*devices)[PPT_ADDR_BUFLEN];	/* PPT_A_CLAIM_ADDR, in order */
	size_t ndevices;
};

struct ppt_match {
	enum ppt_match_kind kind;
	char text[PPT_MATCH_BUFLEN];
	bool boot;
	int32_t reset_pref;		/* -1: none */
};

struct ppt_event {
	enum ppt_event_type type;
	uint64_t seq;
	struct ppt_dev *dev;		/* PPT_EVENT_DEVICE */
	bool removed;
	struct ppt_req *req;		/* PPT_EVENT_REQUEST */
	enum ppt_lost_reason lost_reason;
	uint64_t lost, lost_after;
};

struct ppt_claim_spec {
	char *owner;
	char **addrs;
	size_t naddrs, cap;
	char *match;
	unsigned int count;
};

/* An event subscription: its socket and the events parsed but not yet read. */
struct ppt_events {
	struct nl_sock *sk;
	struct nl_cb *cb;
	uint64_t last_seq;	/* last sequence number seen; 0: none since (re)joining */
	bool gone;		/* the family is unregistered (ppt unloaded) */
	int error;		/* an error met while parsing, for the caller */
	struct ppt_event **q;	/* queue: q[head..len) are unread */
	size_t head, len, cap;
};

/* One command's policy: a bit per attribute it accepts. */
struct ppt_policy {
	uint64_t *bits;
	uint32_t nwords;
};

#define PPT__NCMDS	256	/* a generic netlink command is a u8 */

/*
 * What the loaded module supports, from the controller (ppt_family.c):
 * asked once per handle, again after the family came back.
 */
struct ppt_family {
	bool known;			/* asked and answered */
	bool have_policy;		/* the kernel dumped the policies */
	uint32_t version;
	uint64_t ops[PPT__NCMDS / 64];	/* the commands the family has */
	int16_t do_policy[PPT__NCMDS];	/* policy index of each command, -1 */
	int16_t dump_policy[PPT__NCMDS];
	struct ppt_policy *policies;
	size_t npolicies;
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
	struct ppt_family fam;
	struct ppt_agent_q agent;	/* sanitise requests, once registered */
};

/* Validation policy for every attribute of the family (userspace side). */
extern struct nla_policy ppt__policy[PPT_A_MAX + 1];

int ppt__nl_errno(int nlerr);
void ppt__copy_str(char *dst, size_t len, struct nlattr *a);

__attribute__((format(printf, 2, 3)))
void ppt__set_errmsg(struct ppt_handle *h, const char *fmt, ...);
void ppt__clear_error(struct ppt_handle *h);

/* Canonical address into canon, or -EINVAL with the reason for ppt_errmsg(). */
int ppt__check_addr(struct ppt_handle *h, const char *addr,
		    char canon[PPT_ADDR_BUFLEN]);
/* -EINVAL, said in ppt_errmsg(), when flags has a bit outside allowed. */
int ppt__check_flags(struct ppt_handle *h, unsigned int flags,
		     unsigned int allowed);
/* -EINVAL, said, for a method outside enum ppt_reset_method. */
int ppt__check_method(struct ppt_handle *h, uint32_t method);

/*
 * Devices, outcomes and matches from a message's attributes (tb, parsed
 * with ppt__policy; nlh for the attributes that repeat).  NULL when the
 * message lacks what identifies the object, or without memory (*err says
 * which: -EPROTO or -ENOMEM).
 */
struct ppt_dev *ppt__dev_parse(struct nlattr **tb, int *err);
struct ppt_req *ppt__req_parse(const struct nlmsghdr *nlh, struct nlattr **tb,
			       int *err);
struct ppt_match *ppt__match_parse(struct nlattr **tb, int *err);
/* An outcome known without a notification (refused at once, say). */
struct ppt_req *ppt__req_new(uint8_t cmd, const char *addr);
/* Append an address to *list (NULL-terminated, *n long). */
int ppt__addrs_push(char ***list, size_t *n, size_t *cap, const char *addr);

/* Per-request state shared by the transport's callbacks (libppt.c). */
struct ppt__request {
	struct ppt_handle *h;
	struct nl_msg *sent;		/* the request, to name a rejected attribute */
	int error;			/* negative errno; 0 if none */
	/* parses one reply that is not an asynchronous request's receipt */
	int (*parse)(struct ppt__request *req, struct nlmsghdr *nlh,
		     struct nlattr **tb);
	/* or takes every reply as it is (the controller's, not ppt's) */
	int (*raw)(struct ppt__request *req, const struct nlmsghdr *nlh);
	void *priv;			/* for raw */
	void **items;			/* objects parse collected, NULL-terminated */
	size_t nitems, itemcap;
	bool want_addrs;		/* collect PPT_A_CLAIM_ADDR (they repeat) */
	char **addrs;			/* ... here, NULL-terminated */
	size_t naddrs, addrcap;
	uint64_t req_id;		/* an asynchronous request's id */
	bool have_req_id;
	bool done;			/* its outcome arrived */
	int outcome;			/* the outcome: 0 or negative errno */
	struct ppt_req *outcome_req;	/* ... parsed, when wanted */
	bool want_outcome_req;
	bool complete;			/* the ACK, error or dump's end arrived */
};

struct nl_msg *ppt__new_request(struct ppt_handle *h, uint8_t cmd, int flags);
/*
 * Send msg (consumed) and receive until the request completes: its ACK,
 * its error, or the end of its dump.  A request the loaded module cannot
 * take (ppt__family_check()) is not sent.  Returns 0 or a negative errno.
 */
int ppt__transact(struct ppt_handle *h, struct nl_msg *msg,
		  struct ppt__request *req);
int ppt__transact_one(struct ppt_handle *h, struct nl_msg *msg,
		      struct ppt__request *req, void **out);
/* A dump of cmd, retried while the kernel flags it as interrupted. */
int ppt__dump(struct ppt_handle *h, uint8_t cmd, struct ppt__request *req);
/*
 * A dump whose objects parse collects, handed out as *out: a
 * NULL-terminated array of *n, which put (list, i, object) fills with the
 * objects as their own type.  *out is NULL on failure.
 */
int ppt__list(struct ppt_handle *h, uint8_t cmd,
	      int (*parse)(struct ppt__request *req, struct nlmsghdr *nlh,
			   struct nlattr **tb),
	      void (*put)(void *list, size_t i, void *item), void **out,
	      size_t *n);
/* ppt_stats.c: one message of a PPT_CMD_STATS_GET dump, as a parse callback. */
int ppt__stats_msg(struct ppt__request *req, struct nlmsghdr *nlh,
		   struct nlattr **tb);
/* ... and the statistics from the messages req collected (its items stay). */
int ppt__stats_build(struct ppt__request *req, struct ppt_stats **out);
/*
 * A batch clean's request refused because an operation is in progress on
 * its device: follow the device to learn its outcome, send it again, or
 * keep the refusal (ppt_batch.c).
 */
enum ppt__busy_next {
	PPT__BUSY_FOLLOW,
	PPT__BUSY_RESEND,
	PPT__BUSY_REFUSED,
};

enum ppt__busy_next ppt__batch_after_busy(enum ppt_state now, bool in_progress);

/*
 * The kernel's reason for refusing a device that an operation holds in a
 * transitional state (kernel/ppt_state.c; the same in every protocol).
 */
#define PPT__MSG_IN_PROGRESS	"an operation is in progress on the device"

/*
 * Send a clean of canon (checked) without waiting: *req_id is its id, 0
 * when the kernel refused it (the return value).  For ppt_batch.c.
 */
int ppt__send_clean(struct ppt_handle *h, const char *canon, uint32_t method,
		    uint64_t *req_id);
/* Keep an object a reply yielded (freed with free() if unclaimed). */
int ppt__push_item(struct ppt__request *req, void *item);
/* Free what a request collected. */
void ppt__request_free(struct ppt__request *req);
/*
 * A socket in the events group, opened before a request is sent so that
 * its outcome cannot be missed.
 */
int ppt__open_events(struct ppt_handle *h, struct nl_sock **out);
/* Wait on ev for the outcome of req->req_id; returns it. */
int ppt__wait_outcome(struct ppt_handle *h, struct nl_sock *ev,
		      struct ppt__request *req, int timeout_ms);
/*
 * Receive notifications on ev, each handed to on_msg with arg, until
 * done(arg) or deadline (now_ms()'s clock; none when timeout_ms is
 * negative).  Returns 0 once done, -ETIMEDOUT, -ENOBUFS when the socket
 * overran, or another negative errno (said in ppt_errmsg()).
 */
int ppt__recv_until(struct ppt_handle *h, struct nl_sock *ev,
		    int (*on_msg)(struct nl_msg *msg, void *arg), void *arg,
		    bool (*done)(void *arg), long long deadline, int timeout_ms);
/* Milliseconds on a clock that does not jump. */
long long ppt__now_ms(void);

/*
 * Read the extended ack of an error message: the kernel's message, and the
 * attribute it names as missing, or as invalid (found by its offset in the
 * request sent, when given), for ppt_errmsg() and ppt_err_attr().  Without
 * a message from the kernel, the attribute makes one.
 */
void ppt__note_extack(struct ppt_handle *h, const struct nlmsghdr *nlh,
		      struct nl_msg *sent);

/*
 * What the loaded module supports (ppt_family.c).  The parsers take one
 * message of the controller's: the reply to CTRL_CMD_GETFAMILY, and one
 * of a CTRL_CMD_GETPOLICY dump; exposed for the unit tests, which feed
 * them messages they build.
 */
int ppt__family_parse(struct ppt_family *fam, const struct nlmsghdr *nlh);
int ppt__policy_parse(struct ppt_family *fam, const struct nlmsghdr *nlh);
/* Forget what was learnt (the family went away, or the handle closes). */
void ppt__family_reset(struct ppt_family *fam);
/*
 * May the request in msg be sent to the loaded module?  0, or -EOPNOTSUPP
 * naming the command or attribute it lacks.  Asks the kernel first when
 * the handle has not yet.
 */
int ppt__family_check(struct ppt_handle *h, struct nl_msg *msg);

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
/* Take the oldest queued event; NULL when none is queued. */
struct ppt_event *ppt__events_pop(struct ppt_events *ev);
/* Drop every queued event. */
void ppt__events_flush(struct ppt_events *ev);

/*
 * A sanitise request from a message's attributes: NULL when it lacks the
 * id, the address or the sanitiser, or without memory (*err says which).
 */
struct ppt_sanitise_req *ppt__sanitise_req_parse(struct nlattr **tb, int *err);
/*
 * A message read on the request socket: when it is a sanitise request,
 * queue it (or note why it could not be) and return true; false for any
 * other message, which belongs to the request being answered.  Exposed for
 * the unit tests, which feed it messages they build.
 */
bool ppt__agent_take(struct ppt_handle *h, struct nl_msg *msg);
/* Take the oldest queued request; NULL when none is. */
struct ppt_sanitise_req *ppt__agent_pop(struct ppt_agent_q *q);
/* Drop every queued request and the queue (the handle closes). */
void ppt__agent_flush(struct ppt_agent_q *q);

#endif /* PPT_INTERNAL_H */
