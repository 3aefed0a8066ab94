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
 */
struct ppt_device {
	struct list_head node;
	struct pci_dev *pdev;
	enum ppt_state state;
	char owner[PPT_OWNER_MAX];
	bool boot_listed;
};

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

/* ppt_bind.c */
int ppt_bind_init(void);
void ppt_bind_exit(void);
void ppt_bind_claim_present(void);
void ppt_bind_return_to_host(void);

/* ppt_netlink.c */
int ppt_netlink_init(void);
void ppt_netlink_exit(void);

#endif /* PPT_H */
