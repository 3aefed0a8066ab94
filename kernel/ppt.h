/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ppt internals shared between the module's files.
 *
 * Files and their concerns:
 *	ppt_main.c	module parameters, init and exit
 *	ppt_parse.c	pure parsers for the boot lists (KUnit-tested)
 *	ppt_state.c	the device life cycle (KUnit-tested)
 *	ppt_match.c	the parsed boot lists and matching devices against them
 *	ppt_table.c	the table of devices ppt manages, and its lock
 *	ppt_driver.c	the "ppt" PCI driver: probe and remove
 *	ppt_bind.c	claiming functions for ppt, and giving them back
 *	ppt_ops.c	the operations requests start, on ppt's workqueue
 *	ppt_netlink.c	the "ppt" generic netlink family
 *	ppt_compat.h	differences between kernel versions, from Kbuild probes
 */
#ifndef PPT_H
#define PPT_H

#include <linux/list.h>
#include <linux/pci.h>
#include <uapi/linux/ppt.h>

#include "ppt_compat.h"
#include "ppt_parse.h"
#include "ppt_state.h"

/**
 * struct ppt_device - one PCI function ppt manages
 * @node: entry in the device table, under ppt_table_lock
 * @pdev: the function; holds a reference (pci_dev_get) for the entry's life
 * @state: life-cycle state; under ppt_table_lock
 * @owner: owner string, empty when none; under ppt_table_lock
 * @boot_listed: a boot list (ids=, devices=, paths=) names the function
 * @adopted: was with vfio-pci when ppt loaded, and adopted as assigned
 */
struct ppt_device {
	struct list_head node;
	struct pci_dev *pdev;
	enum ppt_state state;
	char owner[PPT_OWNER_MAX];
	bool boot_listed;
	bool adopted;
};

/**
 * struct ppt_req - one request: who asked for what, and why it failed
 * @id: request id, reported with an asynchronous request's outcome
 * @cmd: the netlink command (enum ppt_cmd)
 * @force: %PPT_A_FORCE was given
 * @owner: %PPT_A_DEV_OWNER, "" when absent
 * @uid: who asked, for the kernel log
 * @pid: who asked (thread group), for the kernel log
 * @why: on failure, a constant reason for the caller
 * @blocker: on failure, the device that blocked the request; holds a
 *	reference, dropped by ppt_req_release()
 */
struct ppt_req {
	u64 id;
	u8 cmd;
	bool force;
	char owner[PPT_OWNER_MAX];
	uid_t uid;
	pid_t pid;
	const char *why;
	struct pci_dev *blocker;
};

struct ppt_op;

/* ppt_table.c */
extern struct mutex ppt_table_lock;
extern struct list_head ppt_table;
extern unsigned int ppt_table_gen;
struct ppt_device *ppt_table_find(struct pci_dev *pdev);
struct ppt_device *ppt_table_find_name(const char *name);
struct ppt_device *ppt_table_insert(struct pci_dev *pdev,
				    enum ppt_state state, bool boot_listed);
void ppt_table_remove(struct ppt_device *pd);
void ppt_table_set_state(struct ppt_device *pd, enum ppt_state state);

/* ppt_match.c */
int ppt_match_init(const char *ids, const char *devices, const char *paths);
void ppt_match_exit(void);
bool ppt_match_boot_listed(struct pci_dev *pdev);
void ppt_dev_path(struct pci_dev *pdev, struct ppt_path_match *path);

/* ppt_driver.c */
extern struct pci_driver ppt_pci_driver;
extern bool ppt_exiting;

/* ppt_ops.c */
int ppt_ops_init(void);
void ppt_ops_exit(void);
void ppt_req_release(struct ppt_req *req);
int ppt_op_claim(struct ppt_req *req, struct pci_dev *pdev);
int ppt_op_unclaim(struct ppt_req *req, struct pci_dev *pdev);
int ppt_op_prepare(struct ppt_req *req, struct pci_dev *pdev,
		   struct ppt_op **opp);
void ppt_op_start(struct ppt_op *op);
const char *ppt_cmd_name(u8 cmd);

/* ppt_bind.c */
int ppt_bind_init(void);
void ppt_bind_exit(void);
void ppt_bind_claim_present(void);
void ppt_bind_return_to_host(void);
int ppt_bind_move(struct pci_dev *pdev, const char *to, const char *mark);
const char *ppt_bind_driver_name(struct pci_dev *pdev);
void ppt_bind_save_owner(struct pci_dev *pdev, const char *owner);

/* ppt_netlink.c */
int ppt_netlink_init(void);
void ppt_netlink_exit(void);
void ppt_nl_notify_device(struct ppt_device *pd, bool removed);
void ppt_nl_notify_request(const struct ppt_req *req, struct pci_dev *pdev,
			   int err);

#endif /* PPT_H */
