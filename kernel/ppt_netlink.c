// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "ppt" generic netlink family: the interface orchestrator agents and
 * pptadm drive ppt through.  include/uapi/linux/ppt.h defines the protocol
 * and docs/netlink/ppt.yaml describes it.
 *
 * Handlers run with parallel_ops, so genetlink's global mutex does not
 * serialise them with other families; they still run under genetlink's
 * cb_lock (read), which family (un)registration takes for write host-wide,
 * so no handler may sleep on hardware or on the driver core.  They take
 * only ppt_table_lock, and briefly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <net/genetlink.h>

#include "ppt.h"

static struct genl_family ppt_nl_family;

/* Add the device's attributes to msg; -EMSGSIZE when they do not fit. */
static int ppt_nl_dev_put(struct sk_buff *msg, struct ppt_device *pd)
{
	struct pci_dev *pdev = pd->pdev;
	struct device_driver *drv = READ_ONCE(pdev->dev.driver);
	struct ppt_path_match path;
	struct iommu_group *group;
	char pathbuf[PPT_TOKEN_MAX + 1];

	if (nla_put_string(msg, PPT_A_DEV_ADDR, pci_name(pdev)) ||
	    nla_put_u16(msg, PPT_A_DEV_VENDOR, pdev->vendor) ||
	    nla_put_u16(msg, PPT_A_DEV_DEVICE, pdev->device) ||
	    nla_put_u16(msg, PPT_A_DEV_SUBVENDOR, pdev->subsystem_vendor) ||
	    nla_put_u16(msg, PPT_A_DEV_SUBDEVICE, pdev->subsystem_device) ||
	    nla_put_u32(msg, PPT_A_DEV_CLASS, pdev->class) ||
	    nla_put_u8(msg, PPT_A_DEV_REVISION, pdev->revision) ||
	    nla_put_u32(msg, PPT_A_DEV_STATE, pd->state))
		return -EMSGSIZE;
	if (drv && nla_put_string(msg, PPT_A_DEV_DRIVER, drv->name))
		return -EMSGSIZE;
	if (pd->owner[0] && nla_put_string(msg, PPT_A_DEV_OWNER, pd->owner))
		return -EMSGSIZE;
	group = iommu_group_get(&pdev->dev);
	if (group) {
		int id = iommu_group_id(group);

		iommu_group_put(group);
		if (nla_put_u32(msg, PPT_A_DEV_IOMMU_GROUP, id))
			return -EMSGSIZE;
	}
	ppt_dev_path(pdev, &path);
	if (path.nhops && ppt_format_path(&path, pathbuf, sizeof(pathbuf)) > 0 &&
	    nla_put_string(msg, PPT_A_DEV_PATH, pathbuf))
		return -EMSGSIZE;
	if (pd->boot_listed && nla_put_flag(msg, PPT_A_DEV_BOOT_LISTED))
		return -EMSGSIZE;
	return 0;
}

/* One message for one device: serves doit replies, dumps and events. */
static int ppt_nl_dev_fill(struct sk_buff *msg, struct ppt_device *pd,
			   u32 portid, u32 seq, int flags, u8 cmd,
			   struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &ppt_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (ppt_nl_dev_put(msg, pd)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int ppt_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ppt_device *pd;
	struct sk_buff *msg;
	int ret;

	if (!info->attrs[PPT_A_DEV_ADDR]) {
		NL_SET_ERR_MSG(info->extack, "missing device address");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&ppt_table_lock);
	pd = ppt_table_find_name(nla_data(info->attrs[PPT_A_DEV_ADDR]));
	if (!pd) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PPT_A_DEV_ADDR],
				    "device not managed by ppt");
		ret = -ENODEV;
		goto unlock;
	}
	ret = ppt_nl_dev_fill(msg, pd, info->snd_portid, info->snd_seq, 0,
			      PPT_CMD_DEVICE_GET, NULL);
unlock:
	mutex_unlock(&ppt_table_lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int ppt_nl_dev_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	unsigned long start = cb->args[0], idx = 0;
	struct ppt_device *pd;
	int ret = 0;

	mutex_lock(&ppt_table_lock);
	/* never 0: nl_dump_check_consistent() treats 0 as "not set" */
	cb->seq = (ppt_table_gen << 1) | 1;
	list_for_each_entry(pd, &ppt_table, node) {
		if (idx < start) {
			idx++;
			continue;
		}
		ret = ppt_nl_dev_fill(skb, pd, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      PPT_CMD_DEVICE_GET, cb);
		if (ret)
			break;
		idx++;
	}
	mutex_unlock(&ppt_table_lock);
	cb->args[0] = idx;
	/* a full skb ends this part of the dump; the next part resumes */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

/* "ffffffff:ff:1f.7" is the longest address pci_name() can print. */
#define PPT_ADDR_MAX_LEN	16

static const struct nla_policy ppt_nl_dev_get_policy[PPT_A_DEV_ADDR + 1] = {
	[PPT_A_DEV_ADDR] = { .type = NLA_NUL_STRING, .len = PPT_ADDR_MAX_LEN },
};

static const struct genl_ops ppt_nl_ops[] = {
	{
		.cmd	= PPT_CMD_DEVICE_GET,
		.doit	= ppt_nl_dev_get_doit,
		.dumpit	= ppt_nl_dev_get_dumpit,
		.policy	= ppt_nl_dev_get_policy,
		.maxattr = ARRAY_SIZE(ppt_nl_dev_get_policy) - 1,
	},
};

static const struct genl_multicast_group ppt_nl_mcgrps[] = {
	{ .name = PPT_GENL_MCGRP_EVENTS },
};

static struct genl_family ppt_nl_family = {
	.name		= PPT_GENL_NAME,
	.version	= PPT_GENL_VERSION,
	.maxattr	= PPT_A_MAX,
	/* handing DMA to a VM is for the initial network namespace only */
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= ppt_nl_ops,
	.n_ops		= ARRAY_SIZE(ppt_nl_ops),
	.mcgrps		= ppt_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ppt_nl_mcgrps),
};

/**
 * ppt_netlink_init() - register the family
 *
 * Context: module init.
 * Return: 0 or a negative errno from genl_register_family().
 */
int ppt_netlink_init(void)
{
	return genl_register_family(&ppt_nl_family);
}

/**
 * ppt_netlink_exit() - unregister the family
 *
 * Context: module exit or init failure.
 */
void ppt_netlink_exit(void)
{
	genl_unregister_family(&ppt_nl_family);
}
