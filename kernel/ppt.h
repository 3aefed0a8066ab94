/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ppt internals shared between the module's files.
 *
 * Files and their concerns:
 *	ppt_main.c	module parameters, init and exit
 *	ppt_parse.c	pure parsers for the boot lists (KUnit-tested)
 *	ppt_state.c	the device life cycle (KUnit-tested)
 *	ppt_match.c	the match lists (boot and runtime) and matching devices
 *	ppt_table.c	the table of devices ppt manages, and its lock
 *	ppt_driver.c	the "ppt" PCI driver: probe and remove
 *	ppt_bind.c	claiming functions for ppt, and giving them back
 *	ppt_ops.c	the operations requests start, on ppt's workqueue
 *	ppt_pick.c	choosing a multi-device claim's devices (KUnit-tested)
 *	ppt_alloc.c	multi-device claims, and owners taking devices back
 *	ppt_lease.c	claims bound to a netlink socket, and their end
 *	ppt_reset_plan.c	choosing a reset method (KUnit-tested)
 *	ppt_reset.c	resetting and cleaning functions
 *	ppt_gate.c	holding a tainted function's IOMMU group's DMA ownership
 *	ppt_host.c	network devices the host itself uses
 *	ppt_sriov.c	SR-IOV: holding VFs, guarding PFs, ppt's sriov_configure
 *	ppt_stats.c	counters and duration histograms since load (monitoring)
 *	ppt_sanitise.c	the sanitiser policy: what erases a device's data
 *	ppt_agent.c	the sanitise agent: asking it to erase, and its answers
 *	ppt_taint.c	tainted=: the functions a previous boot left tainted
 *	ppt_netlink.c	the "ppt" generic netlink family
 *	ppt_compat.h	differences between kernel versions, from Kbuild probes
 */
#ifndef PPT_H
#define PPT_H

#include <linux/list.h>
#include <linux/pci.h>
#include <linux/workqueue.h>
#include <uapi/linux/ppt.h>

#include "ppt_compat.h"
#include "ppt_parse.h"
#include "ppt_reset_plan.h"
#include "ppt_state.h"

/**
 * struct ppt_snapshot - a function's config space when ppt reserved it
 * @state: the PCI core's saved state (header and capabilities), loaded
 *	back by cleaning
 * @header: the standard header as read then, for verifying a clean
 */
struct ppt_snapshot {
	struct pci_saved_state *state;
	u32 header[16];
};

/**
 * struct ppt_reset_result - one reset: how it was asked for and how it went
 * @method: in: enum ppt_reset_method wanted; out: the method that ran
 * @inferred: @method is inferred: the PCI core ran its own order and does
 *	not say which method worked (ppt_reset_plan.c)
 * @touched: the hardware was touched; a failure before that (the function
 *	left ppt meanwhile, a method went away, the domain stayed locked)
 *	leaves the devices as they were
 * @usec: how long the reset took, with the config save and restore
 * @why: on failure, a constant reason
 */
struct ppt_reset_result {
	enum ppt_reset_method method;
	bool inferred;
	bool touched;
	u64 usec;
	const char *why;
};

/**
 * struct ppt_device - one PCI function ppt manages
 * @node: entry in the device table, under ppt_table_lock
 * @pdev: the function; holds a reference (pci_dev_get) for the entry's life
 * @state: life-cycle state; under ppt_table_lock
 * @owner: owner string, empty when none; under ppt_table_lock
 * @boot_listed: a boot list (ids=, devices=, paths=) names the function
 * @adopted: was with vfio-pci when ppt loaded, and adopted as assigned
 * @snap: config space when reserved; NULL when ppt never saw the function
 *	clean, and while a clean operation borrows it
 * @failed: the function reported a fatal error (AER) since it was last
 *	cleaned; whatever state an operation ends in, it is quarantined
 * @reset_done: a reset ran under ppt; @last_reset is valid
 * @last_reset: the method and duration of the last reset
 * @reset_pref: the method an auto reset or clean uses (PPT_RESET_AUTO:
 *	the default order)
 * @lease: netlink port id of the socket whose lease holds the device, 0
 *	for none; only while it has an owner
 * @lease_ended: that socket closed: the lease reaper returns the device
 *	(unassign once no VFIO user holds it, clean); cleared when it is
 *	reserved, quarantined or detached, or taken back
 * @tainted: the device may hold a tenant's data or state: it went to
 *	vfio-pci for a tenant, came from a driver that works for someone
 *	else, was found dirty at load, or was quarantined.  Only a successful
 *	clean clears it (ppt_table_mark_clean()); while it is set the device
 *	is never reserved (ppt_table_set_state()).  Survives detached.
 * @reason: why the device is quarantined, why a clean left it dirty (its
 *	sanitiser), or why the lease reaper cannot return it; a constant
 *	string, NULL when there is nothing to say
 * @reap_at: the lease reaper's next attempt (jiffies), while its last one
 *	failed
 * @reap_wait: the reaper's current wait between failed attempts, in ms
 * @vfs_removing: a PF whose VFs ppt's sriov_configure is removing: none
 *	of them can be claimed meanwhile
 * @lent: unbound from ppt behind its back while reserved or claimed, and
 *	not tainted: if vfio-pci binds it next (libvirt's managed hostdev),
 *	it is assigned to an outside user (adopted)
 * @recycle: the assignment recycles (ppt_recycle.c): when its VFIO user
 *	closes it, ppt unassigns, cleans and assigns it to @recycle_owner
 *	again.  Set by such an assign, cleared by any other way out
 *	(an owner's unassign, a failed clean, a lease that ended).
 * @recycle_owner: the owner a recycled device goes back to
 * @recycles: how many times it went back since the assignment was made
 * @watch: the runtime-PM watch on the function while it is with vfio-pci
 *	and @recycle (ppt_recycle.c); NULL when none
 * @sanitised: a sanitiser erased the function since it last went to a
 *	tenant; cleared when it goes to one again, and by the clean that
 *	clears @tainted
 * @last_sanitise: the last sanitise of the function, NULL before one
 */
struct ppt_device {
	struct list_head node;
	struct pci_dev *pdev;
	enum ppt_state state;
	char owner[PPT_OWNER_MAX];
	bool boot_listed;
	bool adopted;
	struct ppt_snapshot *snap;
	bool failed;
	bool reset_done;
	struct ppt_reset_result last_reset;
	enum ppt_reset_method reset_pref;
	u32 lease;
	bool lease_ended;
	bool tainted;
	const char *reason;
	unsigned long reap_at;
	unsigned int reap_wait;
	bool vfs_removing;
	bool lent;
	bool recycle;
	char recycle_owner[PPT_OWNER_MAX];
	u32 recycles;
	struct ppt_recycle_watch *watch;
	bool sanitised;
	struct ppt_sanitise_last *last_sanitise;
};

/**
 * struct ppt_sanitise_last - how a function's last sanitise went
 * @spec: the sanitiser asked for
 * @when: when it ended, seconds since the epoch
 * @usec: from the request to its end
 * @err: 0 when it erased and verified, else a negative errno
 * @method: what the agent says ran; empty when it did not answer
 * @verified: what the agent says it read back; empty when none
 * @msg: why it failed; empty on success
 */
struct ppt_sanitise_last {
	char spec[PPT_SANITISER_MAX];
	u64 when;
	u64 usec;
	int err;
	char method[PPT_SANITISE_TEXT_MAX];
	char verified[PPT_SANITISE_TEXT_MAX];
	char msg[PPT_SANITISE_TEXT_MAX];
};

/**
 * struct ppt_sanitise_job - one function a sanitise operation waits for
 * @node: entry in the agent's job list, under ppt_agent_lock
 * @timer: ends the job when no agent came or it did not answer in time
 * @op: the operation the job belongs to
 * @pdev: the function; the operation holds the reference
 * @id: the request id the agent answers (%PPT_A_SANITISE_ID)
 * @res: its sanitiser (@res.spec) and outcome: the rest of @res is final
 *	once @ended
 * @sent_to: the agent's port id once it was sent, 0 while waiting
 * @deadline: when @timer is due (jiffies)
 * @start_ns: when it was submitted (ktime_get_ns())
 * @inspect: the operation inspects the function (%PPT_A_INSPECT): the
 *	sanitiser reads it and erases nothing
 * @ended: the outcome below is final; under ppt_agent_lock
 * @answered: the agent answered (a failure is the sanitiser's, not a
 *	missing or silent agent)
 * @why: a constant summary of a failure, for the device's reason
 * @last: allocated with the job; a copy of @res given to the function's
 *	entry when the operation records the outcome
 */
struct ppt_sanitise_job {
	struct list_head node;
	struct delayed_work timer;
	struct ppt_op *op;
	struct pci_dev *pdev;
	u64 id;
	struct ppt_sanitise_last res;
	u32 sent_to;
	unsigned long deadline;
	u64 start_ns;
	bool inspect;
	bool ended;
	bool answered;
	const char *why;
	struct ppt_sanitise_last *last;
};

/* Room for a request's formatted reason (ppt_req.msg). */
#define PPT_REQ_MSG_MAX	160

/**
 * struct ppt_req - one request: who asked for what, and why it failed
 * @id: request id, reported with an asynchronous request's outcome
 * @cmd: the netlink command (enum ppt_cmd)
 * @force: %PPT_A_FORCE was given
 * @force_host: %PPT_A_FORCE_HOST was given: take a device the host uses
 * @unclean: %PPT_A_UNCLEAN was given: release without cleaning
 * @inspect: %PPT_A_INSPECT was given: a clean that inspects a reserved
 *	device with its sanitiser instead (ppt_op_inspect_check())
 * @method: %PPT_A_RESET_METHOD (enum ppt_reset_method), auto when absent
 * @owner: %PPT_A_DEV_OWNER, "" when absent
 * @uid: who asked, for the kernel log
 * @pid: who asked (thread group), for the kernel log
 * @why: on failure, a reason for the caller: a constant string, or @msg
 * @blocker: on failure, the device that blocked the request; holds a
 *	reference, dropped by ppt_req_release()
 * @lease: %PPT_A_LEASE was given: bind the claim to @portid
 * @portid: the sender's netlink port id
 * @reap: the lease reaper asks: the device must still be lease_ended
 * @recycle: %PPT_A_RECYCLE was given (assign), or ppt recycles the device
 *	(its unassign and clean, and the assign that gives it back)
 * @pinned: the caller holds the group of the device for ppt
 *	(ppt_gate_hold()); the operation takes that hold over (a recycle's
 *	unassign, whose hold was taken when the VFIO user closed the device)
 * @msg: a formatted reason (naming what was found) that @why points to
 * @gist: a constant summary of @msg, for the extended ack (which outlives
 *	@msg); NULL for "the device is in use by the host"
 */
struct ppt_req {
	u64 id;
	u8 cmd;
	bool force;
	bool force_host;
	bool unclean;
	bool inspect;
	u8 method;
	char owner[PPT_OWNER_MAX];
	uid_t uid;
	pid_t pid;
	const char *why;
	struct pci_dev *blocker;
	bool lease;
	u32 portid;
	bool reap;
	bool recycle;
	bool pinned;
	char msg[PPT_REQ_MSG_MAX];
	const char *gist;
};

/**
 * struct ppt_match_entry - one entry of the match lists
 * @node: entry in ppt_match_list, under ppt_match_lock
 * @kind: %PPT_A_MATCH_IDS, %PPT_A_MATCH_DEVICE, %PPT_A_MATCH_PATH or
 *	%PPT_A_MATCH_VFS
 * @boot: from a module parameter, not a runtime request
 * @text: the entry as it was given
 * @reset_pref: the reset preference of the devices the entry takes
 * @id: the parsed ids= entry
 * @addr: the parsed devices= entry
 * @path: the parsed paths= entry
 * @vfs: the parsed vfs= entry
 */
struct ppt_match_entry {
	struct list_head node;
	int kind;
	bool boot;
	char text[PPT_TOKEN_MAX + 1];
	enum ppt_reset_method reset_pref;
	union {
		struct ppt_id_match id;
		struct ppt_addr_match addr;
		struct ppt_path_match path;
		struct ppt_vfs_match vfs;
	};
};

/**
 * struct ppt_sanitise_entry - one entry of the sanitiser policy
 * @node: entry in ppt_sanitise_list, under ppt_sanitise_lock
 * @kind: %PPT_A_MATCH_DEVICE, %PPT_A_MATCH_IDS or %PPT_A_SANITISE_CLASS
 * @boot: from the sanitise= module parameter
 * @is_default: holds the built-in default (@builtin)
 * @builtin: the built-in default's spec for this selector, NULL for none
 * @text: the selector as it was given
 * @spec: the sanitiser
 * @addr: the parsed device selector
 * @id: the parsed ids selector
 * @cls: the parsed class selector
 */
struct ppt_sanitise_entry {
	struct list_head node;
	int kind;
	bool boot;
	bool is_default;
	const char *builtin;
	char text[PPT_TOKEN_MAX + 1];
	char spec[PPT_SANITISER_MAX];
	union {
		struct ppt_addr_match addr;
		struct ppt_id_match id;
		struct ppt_class_match cls;
	};
};

struct ppt_op;
struct iommu_group;

/* ppt_table.c */
extern struct mutex ppt_table_lock;
extern struct list_head ppt_table;
extern unsigned int ppt_table_gen;
struct ppt_device *ppt_table_find(struct pci_dev *pdev);
struct ppt_device *ppt_table_find_name(const char *name);
struct ppt_device *ppt_table_insert(struct pci_dev *pdev,
				    enum ppt_state state, bool boot_listed);
void ppt_table_remove(struct ppt_device *pd);
void ppt_table_free(struct ppt_device *pd);
void ppt_table_set_state(struct ppt_device *pd, enum ppt_state state);
bool ppt_table_mark_clean(struct ppt_device *pd);
void ppt_table_notify_group(struct pci_dev *pdev);
bool ppt_table_idle_tainted(struct ppt_device *pd);

/* ppt_match.c */
bool ppt_addr_same(const struct ppt_addr_match *a,
		   const struct ppt_addr_match *b);
bool ppt_addr_is(const struct ppt_addr_match *m, struct pci_dev *pdev);
int ppt_match_init(const char *ids, const char *devices, const char *paths,
		   const char *vfs);
u16 ppt_match_vfs_count(struct pci_dev *pf);
void ppt_match_exit(void);
bool ppt_match_boot_listed(struct pci_dev *pdev);
bool ppt_match_wanted(struct pci_dev *pdev);
int ppt_match_add(int kind, const char *text, enum ppt_reset_method pref,
		  const char **why);
enum ppt_reset_method ppt_match_reset_pref(struct pci_dev *pdev);
int ppt_match_del(int kind, const char *text, const char **why);
extern struct mutex ppt_match_lock;
extern struct list_head ppt_match_list;
extern unsigned int ppt_match_gen;
void ppt_dev_path(struct pci_dev *pdev, struct ppt_path_match *path);
bool ppt_path_is(const struct ppt_path_match *m,
		 const struct ppt_path_match *devpath);

/* ppt_driver.c */
extern struct pci_driver ppt_pci_driver;
extern bool ppt_exiting;

/* ppt_main.c */
extern bool ppt_auto_clean;

/* ppt_ops.c */
u64 ppt_req_new_id(void);
int ppt_ops_init(void);
void ppt_ops_close(void);
void ppt_ops_exit(void);
void ppt_req_release(struct ppt_req *req);
int ppt_refuse(struct ppt_req *req, int err, const char *why,
	       struct pci_dev *blocker);
int ppt_op_claim(struct ppt_req *req, struct pci_dev *pdev);
int ppt_op_unclaim(struct ppt_req *req, struct pci_dev *pdev);
int ppt_op_set(struct ppt_req *req, struct pci_dev *pdev);
int ppt_op_prepare(struct ppt_req *req, struct pci_dev *pdev,
		   struct ppt_op **opp);
void ppt_op_start(struct ppt_op *op);
int ppt_op_start_own(struct ppt_req *req, struct pci_dev *pdev);
int ppt_op_match_start(const struct ppt_req *req);
void ppt_ops_later(struct pci_dev *pdev, u8 cmd);
void ppt_op_sanitise_ended(struct ppt_sanitise_job *job);
int ppt_group_mates(struct iommu_group *group, struct pci_dev *pdev,
		    struct pci_dev ***mates);
const char *ppt_cmd_name(u8 cmd);

/* ppt_reset.c */
const char *ppt_reset_name(unsigned int method);
u32 ppt_reset_methods(struct pci_dev *pdev);
int ppt_reset_plan(struct pci_dev *pdev, unsigned int method,
		   const char **why, struct pci_dev **blocker);
int ppt_reset_domain(struct pci_dev *pdev, struct pci_dev **devs, int max,
		     const char **why, struct pci_dev **blocker);
int ppt_reset_run(struct pci_dev *pdev, enum ppt_reset_method method,
		  struct ppt_reset_result *res,
		  const struct ppt_snapshot *snap);
int ppt_reset_bus_run(struct pci_dev *pdev, struct ppt_reset_result *res);
int ppt_clean_finish(struct pci_dev *pdev, const struct ppt_snapshot *snap,
		     bool restored, const char **why);
struct ppt_snapshot *ppt_snapshot_take(struct pci_dev *pdev);
void ppt_snapshot_free(struct ppt_snapshot *snap);

/* ppt_stats.c */
#define PPT_STATS_NBOUNDS	12
#define PPT_STATS_NSERIES	((PPT_STATS_OP_MAX + 1) * (PPT_RESET_MAX + 1) * 2)

/**
 * struct ppt_stats_series - resets or cleans of one method and outcome
 * @count: how many
 * @usec_sum: their durations' sum, in microseconds
 * @buckets: how many took at most ppt_stats_bounds[i] (and more than the
 *	bound before); the last counts the longer ones
 */
struct ppt_stats_series {
	u64 count;
	u64 usec_sum;
	u64 buckets[PPT_STATS_NBOUNDS + 1];
};

extern const u64 ppt_stats_bounds[PPT_STATS_NBOUNDS];
extern unsigned int ppt_stats_gen;
unsigned int ppt_stats_index(enum ppt_stats_op op,
			     enum ppt_reset_method method, bool failed);
void ppt_stats_reset(enum ppt_stats_op op, enum ppt_reset_method method,
		     bool failed, u64 usec);
void ppt_stats_quarantined(void);
void ppt_stats_lease_expired(void);
const struct ppt_stats_series *ppt_stats_series(unsigned int i,
						enum ppt_stats_op *op,
						enum ppt_reset_method *method,
						bool *failed);
void ppt_stats_totals(u64 *quarantines, u64 *lease_expiries);

/* ppt_sanitise.c */
extern struct mutex ppt_sanitise_lock;
extern struct list_head ppt_sanitise_list;
extern unsigned int ppt_sanitise_gen;
int ppt_sanitise_init(const char *param);
void ppt_sanitise_exit(void);
int ppt_sanitise_set(int kind, const char *text, const char *spec,
		     const char **why);
int ppt_sanitise_del(int kind, const char *text, const char **why);
void ppt_sanitise_lookup(struct pci_dev *pdev, char *spec, size_t len);
bool ppt_sanitise_owed(struct ppt_device *pd, char *spec, size_t len);

/* ppt_taint.c */
extern const struct kernel_param_ops ppt_taint_param_ops;
bool ppt_taint_arrive(struct ppt_device *pd);
void ppt_taint_start(void);
void ppt_taint_stop(void);

/* ppt_agent.c */
extern unsigned int ppt_sanitise_timeout;
extern unsigned int ppt_agent_wait;
int ppt_agent_init(void);
void ppt_agent_close(void);
void ppt_agent_exit(void);
struct ppt_sanitise_job *ppt_agent_job_new(struct ppt_op *op,
					   struct pci_dev *pdev,
					   const char *spec);
void ppt_agent_job_free(struct ppt_sanitise_job *job);
void ppt_agent_submit(struct ppt_sanitise_job *job);
int ppt_agent_register(u32 portid, bool inspects, const char **why);
int ppt_agent_get(u32 *portid, pid_t *pid, u32 *pending);
int ppt_agent_done(u64 id, struct pci_dev *pdev, int err, const char *msg,
		   const char *method, const char *verified, const char **why);

/* ppt_sriov.c */
int ppt_sriov_vfs_out(struct pci_dev *pf, char *msg, size_t len,
		      struct pci_dev **first);
int ppt_sriov_refuse(struct ppt_req *req, struct pci_dev *pdev,
		     const char *what);
bool ppt_sriov_pf_held(struct pci_dev *pdev);
bool ppt_sriov_removing(struct pci_dev *pdev);
int ppt_sriov_configure(struct pci_dev *pdev, int num_vfs);
void ppt_sriov_driver_bound(struct pci_dev *pdev);
void ppt_sriov_init(void);
void ppt_sriov_exit(void);

/* ppt_gate.c */
int ppt_gate_hold(struct pci_dev *pdev);
void ppt_gate_unpin(struct pci_dev *pdev);
bool ppt_gate_held(struct pci_dev *pdev);
bool ppt_gate_group_has_host_driver(struct pci_dev *pdev);
bool ppt_gate_vfio_busy(struct pci_dev *pdev);
void ppt_gate_sync(struct pci_dev *pdev);
void ppt_gate_exit(void);

/* ppt_host.c */
bool ppt_host_uses(struct pci_dev *pdev, char *what, size_t len);

/* ppt_bind.c */
int ppt_bind_init(void);
void ppt_bind_exit(void);
void ppt_bind_claim_present(void);
void ppt_bind_unclaim_present(void);
int ppt_bind_take_unbound(struct pci_dev **got, int max);
bool ppt_bind_untrusted_take(struct pci_dev *pdev);
bool ppt_bind_for_others(struct pci_dev *pdev);
bool ppt_bind_driver_for_others(struct device_driver *drv);
void ppt_bind_return_to_host(void);
int ppt_bind_move(struct pci_dev *pdev, const char *to, const char *mark);
const char *ppt_bind_driver_name(struct pci_dev *pdev);
void ppt_bind_save_owner(struct pci_dev *pdev, const char *owner);
void ppt_bind_save_sanitising(struct pci_dev *pdev);

/* ppt_alloc.c */
int ppt_alloc_claim(struct ppt_req *req, struct pci_dev **listed, int nlisted,
		    const struct ppt_id_match *m, unsigned int count,
		    struct pci_dev **got);
int ppt_alloc_take(struct ppt_req *req, struct pci_dev **got);

/* ppt_recycle.c */
struct ppt_recycle_watch;
int ppt_recycle_init(void);
void ppt_recycle_stop(void);
void ppt_recycle_exit(void);
void ppt_recycle_watch(struct pci_dev *pdev, bool used);
void ppt_recycle_unwatch(struct pci_dev *pdev);
void ppt_recycle_kick(void);

/* ppt_lease.c */
int ppt_lease_init(void);
void ppt_lease_exit(void);

/* ppt_netlink.c */
int ppt_netlink_init(void);
void ppt_netlink_exit(void);
void ppt_nl_notify_device(struct ppt_device *pd, bool removed);
void ppt_nl_notify_request(const struct ppt_req *req, struct pci_dev *pdev,
			   int err);
void ppt_nl_notify_match(const struct ppt_req *req, struct pci_dev **got,
			 int n, int err);
int ppt_nl_send_sanitise_req(u32 portid, const struct ppt_sanitise_job *job,
			     unsigned int timeout);

#endif /* PPT_H */
